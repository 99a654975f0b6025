// A local HTTP server for unit tests: answers from a script, records what it was sent.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Close the connection without answering (a network error). */
  drop?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type Script = (seen: Seen, index: number) => Reply;

export interface FakeServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function fakeServer(script: Script): Promise<FakeServer> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      const reply = script(entry, seen.length - 1);
      const answer = () => {
        if (reply.drop) return request.socket.destroy();
        const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers }).end(text);
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const ok = (data: unknown, meta?: unknown): Reply => ({ status: 200, body: meta === undefined ? { success: true, data } : { success: true, data, meta } });

export const fail = (status: number, code: string, message = "no", extra: Record<string, unknown> = {}, headers?: Record<string, string>): Reply => ({
  status,
  body: { success: false, error: { code, message, ...extra } },
  headers,
});
