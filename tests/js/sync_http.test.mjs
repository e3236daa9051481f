// The paced HTTP client the sync module talks to Polar with, against the local upstream's fault injector:
// 429 answered after Retry-After, 5xx and dropped connections retried with backoff, 4xx surfaced as the
// package's typed errors without retrying, an AbortSignal, an unreachable server, and pacing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { PolarHttp, UpstreamUnavailableError, UnauthorizedError, ValidationError, NotFoundError, ConflictError } from "../../js/dist/runtime/node.js";
import { retryAfterMs } from "../../js/dist/sync/http.js";
import { startUpstream } from "./fixtures/polar_upstream.mjs";

let up;
before(async () => {
  up = await startUpstream();
  await up.seed(5);
});
after(() => up.close());

const client = (extra = {}) => new PolarHttp({ accessToken: up.token, server: up.url, requestsPerMinute: 0, backoffMs: 5, ...extra });
const listCalls = () => up.requests.filter((r) => r.url.startsWith("/v1/customers/?")).length;

test("Retry-After: seconds (fractions too) or an HTTP date; unreadable is undefined", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs("0.25"), 250);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000);
  assert.equal(retryAfterMs("soon"), undefined);
  assert.equal(retryAfterMs(null), undefined);
});

test("a 429 is retried after Retry-After, then the page answers", async () => {
  up.inject({ kind: "429", retryAfter: "0.05", path: /^\/v1\/customers\// }, { kind: "429", retryAfter: "0", path: /^\/v1\/customers\// });
  const before = listCalls();
  const { body } = await client().request("GET", "/v1/customers/", { query: { limit: 100 } });
  assert.equal(body.items.length, 5);
  assert.equal(listCalls() - before, 3);
});

test("500s and a connection dropped mid-body are retried for reads", async () => {
  up.inject({ kind: "500", path: /^\/v1\/customers\// }, { kind: "drop", path: /^\/v1\/customers\// }, { kind: "500", status: 502, path: /^\/v1\/customers\// });
  const http = client();
  const { body } = await http.request("GET", "/v1/customers/", { query: { limit: 100 } });
  assert.equal(body.pagination.total_count, 5);
  assert.equal(http.requests, 4);
});

test("retries stop after maxRetries with the last status as the error", async () => {
  up.inject({ kind: "500", times: 3, path: /^\/v1\/customers\// });
  await assert.rejects(client({ maxRetries: 2 }).request("GET", "/v1/customers/"), (e) => e.status === 500);
});

test("4xx answers are not retried and surface as typed errors", async () => {
  await assert.rejects(new PolarHttp({ accessToken: "wrong", server: up.url, requestsPerMinute: 0 }).request("GET", "/v1/customers/"), UnauthorizedError);
  await assert.rejects(client().request("GET", "/v1/customers/00000000-0000-4000-8000-000000000000"), NotFoundError);
  await assert.rejects(client().request("POST", "/v1/customers/", { body: { email: "nope" } }), (e) => e instanceof ValidationError && e.detail[0].loc.join(".") === "body.email");
  const [first] = (await up.store.customers.list({ limit: 1 })).items;
  await assert.rejects(client().request("POST", "/v1/customers/", { body: { email: first.email } }), ConflictError);
});

test("writes are not retried after a 500 (it may have been applied); a 429 is", async () => {
  up.inject({ kind: "500", path: /^\/v1\/customers\/$/ });
  await assert.rejects(client().request("POST", "/v1/customers/", { body: { email: "w1@example.com" } }), (e) => e.status === 500);
  up.inject({ kind: "429", retryAfter: "0", path: /^\/v1\/customers\/$/ });
  const { status } = await client().request("POST", "/v1/customers/", { body: { email: "w2@example.com" } });
  assert.equal(status, 201);
});

test("an AbortSignal cancels a request waiting on a slow page or a backoff", async () => {
  up.inject({ kind: "hang", path: /^\/v1\/customers\// });
  const controller = new AbortController();
  const pending = client().request("GET", "/v1/customers/", { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("stop")), 20);
  await assert.rejects(pending, /stop/);
  up.inject({ kind: "429", retryAfter: "30", path: /^\/v1\/customers\// });
  const second = new AbortController();
  const waiting = client().request("GET", "/v1/customers/", { signal: second.signal });
  setTimeout(() => second.abort(new Error("stop again")), 20);
  await assert.rejects(waiting, /stop again/);
  up.faults.length = 0;
});

test("an unreachable server is UpstreamUnavailableError once retries are spent", async () => {
  const http = new PolarHttp({ accessToken: "t", server: "http://127.0.0.1:9", requestsPerMinute: 0, backoffMs: 1, maxRetries: 2 });
  await assert.rejects(http.request("GET", "/v1/customers/"), UpstreamUnavailableError);
  assert.equal(http.requests, 3);
});

test("pacing spaces requests under the rate (production and sandbox defaults under Polar's limits)", async () => {
  const at = [];
  const fake = async () => (at.push(Date.now()), new Response('{"items":[],"pagination":{"total_count":0,"max_page":0}}', { status: 200 }));
  const http = new PolarHttp({ accessToken: "t", server: "https://example.invalid", requestsPerMinute: 1200, fetch: fake });
  for (let i = 0; i < 4; i++) await http.request("GET", "/v1/customers/");
  for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 45, `gap ${at[i] - at[i - 1]} ms`);
  const sandbox = new PolarHttp({ accessToken: "t", server: "sandbox", fetch: fake });
  assert.equal(sandbox.baseUrl, "https://sandbox-api.polar.sh");
  assert.equal(new PolarHttp({ accessToken: "t", fetch: fake }).baseUrl, "https://api.polar.sh");
  assert.throws(() => new PolarHttp({ server: "sandbox" }), TypeError);
});
