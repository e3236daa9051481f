// Members and lists over HTTP as Polar serves them, and the CSV export: the routes by external id, the
// organization-wide member list and its bad input, the only-owner refusals, organization_id as a filter,
// the export streamed a chunk at a time, and the package's customers.export() / members.* methods.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { Clientele, createHandler, ValidationError, NotFoundError } from "../../js/dist/runtime/node.js";

const ORG = "dddddddd-dddd-4ddd-8ddd-dddddddddddd", OTHER = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee";
const CSV_HEADER =
  "ID,External ID,Created At,Email,Name,Tax ID,Billing Address Line 1,Billing Address Line 2,Billing Address City," +
  "Billing Address State,Billing Address Zip,Billing Address Country,Metadata\r\n";
let store, handler;

/**
 * Answers in the core's order: created_at, ties by id, in the criterion's direction (clocks are real
 * here, so two records may share a millisecond).
 */
const ordered = (items, descending = false) =>
  [...items].sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1) * (descending ? -1 : 1));

before(async () => {
  store = await Clientele.open({ organizationId: ORG });
  handler = createHandler(store, { tokens: { "token-d": ORG, "token-e": OTHER } });
});

const request = (method, path, body, token = "token-d") =>
  handler(
    new Request(`http://edge.test${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
const call = async (method, path, body, token) => {
  const response = await request(method, path, body, token);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};
let n = 0;
/** A team customer of ORG (or of `org`) with an external id, and a member with an external id. */
async function team(org = store) {
  const i = ++n;
  const customer = await org.customers.create({ type: "team", email: `owner${i}@team.io`, externalId: `team ${i}/x` });
  const member = await org.members.create({ customerId: customer.id, email: `dev${i}@team.io`, externalId: `dev/${i}` });
  return { customer, member, ext: encodeURIComponent(`team ${i}/x`), mext: encodeURIComponent(`dev/${i}`) };
}

test("member routes by external ids: each path parameter decoded on its own", async () => {
  const { customer, member, ext, mext } = await team();
  const got = await call("GET", `/v1/customers/external/${ext}/members/${mext}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, member);
  const made = await call("POST", `/v1/customers/external/${ext}/members`, { email: "new@team.io", external_id: "new 1", role: "billing_manager" });
  assert.equal(made.status, 201);
  assert.equal(made.body.customer_id, customer.id);
  assert.equal(made.body.role, "billing_manager");
  const patched = await call("PATCH", `/v1/customers/external/${ext}/members/new%201`, { name: "Newcomer" });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.name, "Newcomer");
  assert.equal((await call("DELETE", `/v1/customers/external/${ext}/members/new%201`)).status, 204);
  assert.equal((await call("GET", `/v1/customers/external/${ext}/members/new%201`)).status, 404);
  // Unknown customer, unknown member, another organization: 404, and nothing changes.
  for (const path of [`/v1/customers/external/nobody/members/${mext}`, `/v1/customers/external/${ext}/members/nobody`]) assert.equal((await call("GET", path)).status, 404, path);
  assert.equal((await call("PATCH", `/v1/customers/external/${ext}/members/${mext}`, { name: "Intruder" }, "token-e")).status, 404);
  assert.equal((await call("DELETE", `/v1/customers/external/${ext}/members/${mext}`, undefined, "token-e")).status, 404);
  assert.equal((await store.members.get({ id: member.id })).name, null);
  // Bad input names its field.
  const bad = await call("POST", `/v1/customers/external/${ext}/members`, { email: "not-an-email" });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.detail.map((d) => d.loc), [["body", "email"]]);
});

test("GET /v1/customers/{id}/members and /external/{external_id}/members list one customer's members; 404 for an unknown customer", async () => {
  const { customer, member, ext } = await team();
  for (const path of [`/v1/customers/${customer.id}/members`, `/v1/customers/external/${ext}/members/`]) {
    const r = await call("GET", `${path}?sorting=created_at`);
    assert.equal(r.status, 200, path);
    const owner = (await store.members.list({ customerId: customer.id, role: "owner" })).items[0];
    assert.deepEqual(r.body.items, ordered([owner, member]));
    assert.deepEqual(r.body.pagination, { total_count: 2, max_page: 1 });
    assert.deepEqual((await call("GET", `${path}?role=member`)).body.items, [member]);
  }
  assert.equal((await call("GET", "/v1/customers/00000000-0000-4000-8000-000000000000/members")).status, 404);
  assert.equal((await call("GET", `/v1/customers/${customer.id}/members`, undefined, "token-e")).status, 404);
  const filter = await call("GET", `/v1/customers/${customer.id}/members?customer_id=${customer.id}`);
  assert.equal(filter.status, 422);
  assert.equal(filter.body.detail[0].type, "extra_forbidden");
});

test("member routes under a customer's id refuse another customer's member", async () => {
  const a = await team(), b = await team();
  for (const [method, body] of [["GET"], ["PATCH", { name: "Moved" }], ["DELETE"]]) {
    const r = await call(method, `/v1/customers/${a.customer.id}/members/${b.member.id}`, body);
    assert.equal(r.status, 404, method);
    assert.deepEqual(r.body, { error: "ResourceNotFound", detail: "Not found" });
  }
  assert.equal((await store.members.get({ id: b.member.id })).name, null, "untouched");
});

test("GET /v1/members/ without a filter pages through the organization's members; bad input is a 422 naming the field", async () => {
  const fresh = await Clientele.open({ organizationId: ORG });
  const h = createHandler(fresh, { tokens: { t: ORG } });
  const get = async (query) => {
    const response = await h(new Request(`http://edge.test/v1/members/${query}`, { headers: { authorization: "Bearer t" } }));
    return { status: response.status, body: await response.json() };
  };
  const made = [];
  for (let i = 0; i < 3; i++) {
    const c = await fresh.customers.create({ type: "team", email: `o${i}@list.io` });
    made.push((await fresh.members.list({ customerId: c.id })).items[0], await fresh.members.create({ customerId: c.id, email: `m${i}@list.io` }));
  }
  const page2 = await get("?page=2&limit=4&sorting=created_at");
  assert.equal(page2.status, 200);
  assert.deepEqual(page2.body.items, ordered(made).slice(4));
  assert.deepEqual(page2.body.pagination, { total_count: 6, max_page: 2 });
  assert.deepEqual((await get("")).body.items, ordered(made, true));
  const members = made.filter((m) => m.role === "member");
  assert.deepEqual((await get("?role=member&sorting=-created_at&limit=1")).body.items, ordered(members, true).slice(0, 1));

  const cases = [
    ["?role=boss", ["query", "role"], "enum"],
    ["?sorting=-email", ["query", "sorting"], "enum"],
    ["?page=0", ["query", "page"], "greater_than_equal"],
    ["?limit=abc", ["query", "limit"], "int_parsing"],
    ["?customerid=x", ["query", "customerid"], "extra_forbidden"],
  ];
  for (const [query, loc, type] of cases) {
    const r = await get(query);
    assert.equal(r.status, 422, query);
    assert.deepEqual([r.body.detail[0].loc, r.body.detail[0].type], [loc, type], query);
  }
  const malformed = await get("?customer_id=not-a-uuid");
  assert.deepEqual([malformed.status, malformed.body], [404, { error: "ResourceNotFound", detail: "Invalid customer ID format" }]);
  const foreign = await fresh.forOrganization(OTHER).customers.create({ type: "team", email: "x@other.io" });
  const hidden = await get(`?customer_id=${foreign.id}`);
  assert.deepEqual([hidden.status, hidden.body], [200, { items: [], pagination: { total_count: 0, max_page: 0 } }]);
  fresh.close();
});

test("the only owner: demoting or deleting it answers 422 at the body in the spec's words, not 403, and changes nothing", async () => {
  const { customer } = await team();
  const owner = (await store.members.list({ customerId: customer.id, role: "owner" })).items[0];
  const demote = await call("PATCH", `/v1/customers/${customer.id}/members/${owner.id}`, { role: "member" });
  assert.equal(demote.status, 422);
  assert.deepEqual(demote.body, {
    error: "PolarRequestValidationError",
    detail: [{ type: "value_error", loc: ["body"], msg: "Cannot demote the only owner. Transfer ownership first.", input: "member" }],
  });
  const remove = await call("DELETE", `/v1/customers/${customer.id}/members/${owner.id}`);
  assert.equal(remove.status, 422);
  assert.deepEqual(remove.body, {
    error: "PolarRequestValidationError",
    detail: [{ type: "value_error", loc: ["body"], msg: "Cannot delete the only owner. Transfer ownership first.", input: owner.id }],
  });
  assert.deepEqual(await store.members.get({ id: owner.id }), owner);
  await assert.rejects(store.members.delete({ id: owner.id }), (e) => e instanceof ValidationError && e.detail[0].loc.length === 1);
  const solo = await store.customers.create({ email: `solo${++n}@example.com` });
  assert.equal((await call("POST", `/v1/customers/${solo.id}/members`, { email: "second@example.com" })).status, 403, "403 stays for a second member of an individual");
});

test("GET /v1/customers/: organization_id given several times is intersected with the token's organization", async () => {
  const fresh = await Clientele.open({ organizationId: ORG });
  const h = createHandler(fresh, { tokens: { t: ORG } });
  await fresh.customers.create({ email: "mine@example.com" });
  await fresh.forOrganization(OTHER).customers.create({ email: "theirs@example.com" });
  const total = async (query) => {
    const r = await h(new Request(`http://edge.test/v1/customers/${query}`, { headers: { authorization: "Bearer t" } }));
    assert.equal(r.status, 200, query);
    return (await r.json()).pagination.total_count;
  };
  assert.equal(await total(`?organization_id=${OTHER}&organization_id=${ORG}`), 1);
  assert.equal(await total(`?organization_id=${ORG}&organization_id=${ORG}`), 1);
  assert.equal(await total(`?organization_id=${OTHER}`), 0);
  assert.equal(await total(`?organization_id=${OTHER}&organization_id=nope`), 0);
  assert.equal(await total(""), 1);
  fresh.close();
});

test("GET /v1/customers/export streams Polar's CSV a chunk at a time, read as the client reads", async () => {
  const fresh = await Clientele.open({ organizationId: ORG });
  const h = createHandler(fresh, { tokens: { t: ORG } });
  const exportRequest = (query = "") => h(new Request(`http://edge.test/v1/customers/export${query}`, { headers: { authorization: "Bearer t" } }));
  const made = [];
  for (let i = 0; i < 2100; i++) made.push(await fresh.customers.create({ email: `e${i}@export.io`, name: i === 7 ? 'Doe, "J"\nJr.' : null }));
  const ids = ordered(made).map((c) => c.id);
  const response = await exportRequest();
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal(response.headers.get("content-disposition"), 'attachment; filename="polar-customers.csv"');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const first = decoder.decode((await reader.read()).value, { stream: true });
  assert.ok(first.startsWith(CSV_HEADER));
  assert.equal(first.split("\r\n").length - 2, 1000, "the header and 1,000 rows, each ending in CRLF");
  // Not read yet: a customer created now is in a later chunk; one deleted now, not yet written, is not.
  const late = await fresh.customers.create({ email: "late@export.io" });
  const gone = ids[2000];
  await fresh.customers.delete({ id: gone });
  let text = first;
  let chunks = 1;
  for (let r = await reader.read(); !r.done; r = await reader.read()) (text += decoder.decode(r.value, { stream: true })), chunks++;
  assert.equal(chunks, 3);
  const rowIds = text
    .slice(CSV_HEADER.length)
    .split("\r\n")
    .filter((line) => /^[0-9a-f-]{36},/.test(line))
    .map((line) => line.slice(0, 36));
  assert.deepEqual(rowIds, ordered([...made.filter((c) => c.id !== gone), late]).map((c) => c.id));
  assert.ok(text.includes(`${made[7].id},,`) && text.includes(',"Doe, ""J""\nJr.",'), "RFC 4180 quoting");
  assert.equal(text, await fresh.customers.export().text(), "the same text as the package's export");
  // Bad input answers before any byte is sent.
  const bad = await exportRequest("?limit=5");
  assert.equal(bad.status, 422);
  assert.equal((await bad.json()).detail[0].type, "extra_forbidden");
  assert.equal(await (await exportRequest(`?organization_id=${OTHER}`)).text(), CSV_HEADER);
  fresh.close();
});

test("the package's customers.export(): chunks of whole rows, text() and stream()", async () => {
  const fresh = await Clientele.open({ organizationId: ORG });
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await fresh.customers.create({ email: `p${i}@export.io`, metadata: { i } })).id);
  const rowOf = (text, id) => text.split("\r\n").find((line) => line.startsWith(id));
  const exported = fresh.customers.export({ rowsPerChunk: 2 });
  const chunks = [];
  for await (const chunk of exported) chunks.push(chunk);
  assert.equal(chunks.length, 3);
  assert.ok(chunks[0].startsWith(CSV_HEADER));
  assert.deepEqual(chunks.map((c) => c.replace(CSV_HEADER, "").split("\r\n").length - 1), [2, 2, 1], "whole rows per chunk");
  const text = chunks.join("");
  assert.equal(await exported.text(), text, "each use reads afresh");
  assert.equal(await new Response(exported.stream()).text(), text);
  assert.equal(await fresh.customers.export().text(), text, "chunk size changes nothing");
  assert.ok(rowOf(text, ids[3]).endsWith(`,p3@export.io,,,,,,,,,"{""i"": 3}"`));
  assert.equal(await fresh.customers.export({ organizationId: OTHER }).text(), CSV_HEADER);
  assert.equal(await fresh.customers.export({ organizationId: [OTHER, ORG] }).text(), text);
  await assert.rejects(fresh.customers.export({ rowsPerChunk: 0 }).text(), (e) => e instanceof ValidationError && e.detail[0].loc[0] === "rows_per_chunk");
  fresh.close();
});

test("the package's members methods: list without a filter, and by external ids", async () => {
  const fresh = await Clientele.open({ organizationId: ORG });
  const c = await fresh.customers.create({ type: "team", email: "boss@pkg.io", externalId: "pkg" });
  const m = await fresh.members.createExternal({ externalId: "pkg", memberCreateFromCustomer: { email: "dev@pkg.io", externalId: "dev" } });
  assert.equal(m.customer_id, c.id);
  assert.deepEqual(await fresh.members.getExternal({ externalId: "pkg", memberExternalId: "dev" }), m);
  assert.equal((await fresh.members.updateExternal({ externalId: "pkg", memberExternalId: "dev", memberUpdate: { name: "Dev" } })).name, "Dev");
  const all = await fresh.members.list();
  assert.deepEqual(all.items.map((x) => x.email).sort(), ["boss@pkg.io", "dev@pkg.io"]);
  assert.deepEqual(all.pagination, { total_count: 2, max_page: 1 });
  assert.deepEqual((await fresh.members.list({ externalCustomerId: "pkg", role: "owner" })).items.map((x) => x.email), ["boss@pkg.io"]);
  await fresh.members.deleteExternal({ externalId: "pkg", memberExternalId: "dev" });
  await assert.rejects(fresh.members.getExternal({ externalId: "pkg", memberExternalId: "dev" }), NotFoundError);
  fresh.close();
});
