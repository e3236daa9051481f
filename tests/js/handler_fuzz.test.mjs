// The edge handler's request reading under random input (a seeded, bounded fuzz run in the test suite):
// paths, query strings, headers and bodies built from Polar's routes and hostile pieces. Whatever comes in,
// the handler's promise resolves (never rejects), answers one of the statuses it documents with a JSON
// body, and another organization's customer is never seen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Clientele, createHandler } from "../../js/dist/runtime/node.js";
import { mulberry32 } from "../../fixtures/seeded_random.mjs";

const ORG = "dddddddd-dddd-4ddd-8ddd-dddddddddddd", OTHER = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee";
const RUNS = 3000;
const STATUSES = new Set([200, 201, 204, 401, 403, 404, 405, 413, 415, 422]);

test(`${RUNS} random requests: the handler always answers a documented status with JSON, never throws`, async () => {
  const store = await Clientele.open({ organizationId: ORG });
  const handler = createHandler(store, { tokens: { "tok-d": ORG, "tok-e": OTHER }, maxBodyBytes: 4096 });
  const mine = await store.customers.create({ email: "fuzz-mine@example.com", externalId: "ext/mine" });
  const theirs = await store.forOrganization(OTHER).customers.create({ email: "fuzz-theirs@example.com", externalId: "theirs" });
  const rnd = mulberry32(20261130);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const pieces = ["v1", "customers", "members", "external", "state", "", "%", "%ZZ", "%E2%82", "%2F", "..", ".", "%00",
    "constructor", "__proto__", "toString", mine.id, theirs.id, "ext%2Fmine", "theirs", "x".repeat(300), "%F0%9F%98%80", " ", "?"];
  const keys = ["page", "limit", "active", "anonymize", "email", "query", "sorting", "metadata[plan]", "metadata[constructor]",
    "metadata[__proto__]", "organization_id", "customer_id", "external_customer_id", "role", "__proto__", "%", "a[b][c]"];
  const values = ["1", "0", "-1", "0x2", "1e0", "true", "True", "maybe", "", "%", "%ZZ", "email", "-created_at", "x".repeat(200),
    "99999999999999999999", "constructor", ORG, OTHER];
  const bodies = [undefined, "{}", "[]", "null", "{", '{"email":"a@b.co"}', '{"email":"x"}', '{"__proto__":{"x":1}}',
    '{"metadata":{"constructor":1}}', "[" + "1,".repeat(3000) + "1]", "\ufeff{}", "x".repeat(5000), '{"customer_id":"' + theirs.id + '"}'];
  const types = [undefined, "application/json", "text/plain", "application/json; charset=latin1", "application/x+json", "multipart/form-data"];
  const seen = new Map();  // status -> count: the run must reach the handler's paths, not one refusal
  for (let i = 0; i < RUNS; i++) {
    const segments = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(pieces));
    if (rnd() < 0.7) segments.splice(0, 2, "v1", pick(["customers", "members"]));
    const query = Array.from({ length: Math.floor(rnd() * 4) }, () => `${pick(keys)}=${pick(values)}`).join("&");
    const method = pick(["GET", "POST", "PATCH", "DELETE", "PUT"]);
    const headers = {};
    const token = pick(["tok-d", "tok-d", "tok-d", "tok-e", "", "constructor", "__proto__"]);
    if (token || rnd() < 0.5) headers.authorization = `Bearer ${token}`;
    const body = method === "GET" || method === "DELETE" ? undefined : pick(bodies);
    const type = pick(types);
    if (type) headers["content-type"] = type;
    const url = `http://edge.test/${segments.join("/")}${query ? "?" + query : ""}`;
    let request;
    try {
      request = new Request(url, { method, headers, body });
    } catch {
      continue;  // a URL or request the runtime itself refuses never reaches a handler
    }
    const where = `${method} ${url} (${type ?? "no type"}, token ${JSON.stringify(token)})`;
    const response = await handler(request);  // a rejection fails the test with its request
    assert.ok(STATUSES.has(response.status), `${where}: status ${response.status}`);
    seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
    const text = await response.text();
    if (response.status !== 204) assert.doesNotThrow(() => JSON.parse(text), `${where}: body is JSON`);
    if (token === "tok-d") assert.ok(!text.includes("fuzz-theirs@example.com"), `${where}: another organization's customer`);
    if (token === "tok-e") assert.ok(!text.includes("fuzz-mine@example.com"), `${where}: another organization's customer`);
  }
  for (const status of [200, 401, 404, 405, 413, 415, 422]) assert.ok(seen.get(status) > 0, `status ${status} reached: ${JSON.stringify([...seen])}`);
});
