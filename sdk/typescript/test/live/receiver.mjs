// A local receiver for outbound webhook deliveries: keeps each one's raw body and headers.
import http from "node:http";

export async function startReceiver() {
  const deliveries = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      deliveries.push({ raw: Buffer.concat(chunks).toString("utf8"), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/flowbuilder`,
    async waitFor(matches, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = deliveries.find((delivery) => matches(delivery.raw));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching delivery within ${timeoutMs} ms (${deliveries.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    close: () => server.close(),
  };
}
