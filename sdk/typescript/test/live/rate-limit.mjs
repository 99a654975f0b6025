// 429: a typed RateLimitedError with retryAfter, then the same call retried after Retry-After.
// The organization may make `limit` calls a minute (fixed windows on the wall clock); the burst
// starts late in a minute so that Retry-After is short.
import assert from "node:assert/strict";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function checkRateLimit(sdk, baseUrl, apiKey, limit) {
  const second = Math.floor(Date.now() / 1000) % 60;
  if (second < 45) await sleep((45 - second) * 1000);
  const strict = new sdk.Client(apiKey, { baseUrl, maxRetries: 0 });
  let refused = null;
  // Two windows' worth: a slow machine may cross into the next minute during the burst.
  for (let call = 0; call < 2 * (limit + 1) && !refused; call++) {
    try {
      await strict.projects.list();
    } catch (error) {
      if (!(error instanceof sdk.RateLimitedError)) throw error;
      refused = error;
    }
  }
  assert.ok(refused, `no 429 after ${2 * (limit + 1)} calls`);
  assert.equal(refused.status, 429);
  assert.equal(refused.code, "RATE_LIMITED");
  assert.ok(refused.retryAfter > 0 && refused.retryAfter <= 60, `retryAfter ${refused.retryAfter}`);
  console.log(`ok RateLimitedError: 429 RATE_LIMITED, retryAfter ${refused.retryAfter} s`);

  const patient = new sdk.Client(apiKey, { baseUrl, maxRetries: 3, maxRetryAfterMs: 61_000 });
  const started = Date.now();
  const page = await patient.projects.list();
  const waited = (Date.now() - started) / 1000;
  assert.ok(page.data.length >= 1);
  assert.ok(waited >= refused.retryAfter - 1.5, `answered after ${waited} s, Retry-After was ${refused.retryAfter} s`);
  console.log(`ok 429 retried after Retry-After: answered after ${waited.toFixed(1)} s`);
}
