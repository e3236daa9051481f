// The edge handler behind a local HTTP server, driven by Polar's official SDK: every answer must
// parse with the SDK's own schemas. Plus auth (401) and tenancy (another organization's data is 404).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Polar } from "@polar-sh/sdk";
import { Clientele, createHandler } from "../../js/dist/runtime/node.js";

const ORG_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", ORG_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
let server, base, store;

before(async () => {
  store = await Clientele.open({ organizationId: ORG_A });
  const handler = createHandler(store, { tokens: { "token-a": ORG_A, "token-b": ORG_B } });
  server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const response = await handler(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const sdk = (token) => new Polar({ accessToken: token, serverURL: base, retryConfig: { strategy: "none" } });

test("Polar's SDK creates, lists with filters, updates, reads state and deletes with anonymization", async () => {
  const polar = sdk("token-a");
  const created = await polar.customers.create({ email: "sdk@example.com", name: "Sdk User", externalId: "sdk-1", metadata: { plan: "pro" }, billingAddress: { country: "US", state: "NY" } });
  assert.equal(created.email, "sdk@example.com");
  assert.ok(created.createdAt instanceof Date);
  await polar.customers.create({ email: "other@example.com", name: "Other", metadata: { plan: "free" } });
  const found = await polar.customers.list({ query: "sdk", metadata: { plan: "pro" }, sorting: ["-created_at"], limit: 10 });
  assert.equal(found.result.items.length, 1);
  assert.equal(found.result.pagination.totalCount, 1);
  const updated = await polar.customers.update({ id: created.id, customerUpdate: { name: "Sdk Renamed", taxId: null } });
  assert.equal(updated.name, "Sdk Renamed");
  assert.ok(updated.modifiedAt instanceof Date);
  const byExternal = await polar.customers.getExternal({ externalId: "sdk-1" });
  assert.equal(byExternal.id, created.id);
  const state = await polar.customers.getState({ id: created.id });
  assert.deepEqual(state.activeSubscriptions, []);
  await polar.customers.delete({ id: created.id, anonymize: true });
  await assert.rejects(polar.customers.get({ id: created.id }), (e) => e.statusCode === 404 || e.constructor.name === "ResourceNotFound");
  const anonymized = await store.call("customers.list", { query: { query: "sdk" } });
  assert.equal(anonymized.pagination.total_count, 0);
});

test("validation errors reach the SDK as its HTTPValidationError with the detail list", async () => {
  const polar = sdk("token-a");
  await assert.rejects(polar.customers.create({ email: "not-an-email" }), (e) => {
    assert.equal(e.constructor.name, "HTTPValidationError");
    assert.deepEqual(e.detail[0].loc, ["body", "email"]);
    return true;
  });
});

test("team members through the SDK", async () => {
  const polar = sdk("token-a");
  const team = await polar.customers.create({ type: "team", email: "team@acme.io", name: "Acme" });
  const member = await polar.customers.members.create({ id: team.id, memberCreateFromCustomer: { email: "dev@acme.io", role: "member" } });
  assert.equal(member.role, "member");
  const promoted = await polar.customers.members.update({ id: team.id, memberId: member.id, memberUpdate: { role: "owner" } });
  assert.equal(promoted.role, "owner");
  const list = await polar.members.listMembers({ customerId: team.id });
  assert.equal(list.result.items.length, 2);
});

test("no token or a wrong one: 401; another organization's customer: 404 everywhere", async () => {
  for (const headers of [{}, { authorization: "Bearer nope" }, { authorization: "Basic token-a" }]) {
    const r = await fetch(`${base}/v1/customers/`, { headers });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error, "Unauthorized");
  }
  const a = sdk("token-a"), b = sdk("token-b");
  const mine = await a.customers.create({ email: "private@example.com", externalId: "priv-1" });
  const h = { authorization: "Bearer token-b", "content-type": "application/json" };
  for (const [method, path, body] of [
    ["GET", `/v1/customers/${mine.id}`], ["PATCH", `/v1/customers/${mine.id}`, "{}"], ["DELETE", `/v1/customers/${mine.id}`],
    ["GET", `/v1/customers/${mine.id}/state`], ["GET", "/v1/customers/external/priv-1"], ["GET", "/v1/customers/external/priv-1/state"],
    ["POST", `/v1/customers/${mine.id}/members`, '{"email":"x@example.com"}'], ["GET", `/v1/customers/${mine.id}/members`],
  ]) {
    const r = await fetch(base + path, { method, headers: h, body });
    assert.equal(r.status, 404, `${method} ${path}`);
  }
  // A list filtered by another organization's customer lists nothing, as Polar filters.
  const filtered = await fetch(`${base}/v1/members/?customer_id=${mine.id}`, { headers: h });
  assert.equal(filtered.status, 200);
  assert.deepEqual(await filtered.json(), { items: [], pagination: { total_count: 0, max_page: 0 } });
  assert.equal((await b.customers.list({ query: "private" })).result.pagination.totalCount, 0);
  assert.equal((await b.customers.list({ organizationId: ORG_A })).result.pagination.totalCount, 0);
  assert.equal((await a.customers.get({ id: mine.id })).email, "private@example.com", "still there for its owner");
});

test("malformed JSON and bad query values answer 422", async () => {
  const h = { authorization: "Bearer token-a", "content-type": "application/json" };
  const bad = await fetch(`${base}/v1/customers/`, { method: "POST", headers: h, body: "{nope" });
  assert.equal(bad.status, 422);
  assert.equal((await bad.json()).detail[0].type, "json_invalid");
  for (const q of ["page=0", "limit=0", "page=abc", "sorting=-bogus"]) {
    const r = await fetch(`${base}/v1/customers/?${q}`, { headers: h });
    assert.equal(r.status, 422, q);
  }
});
