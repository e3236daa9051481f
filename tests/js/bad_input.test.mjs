// The bad-input table: every case goes through the package API or the edge handler, must answer a typed
// error that names the field (loc) and the rule (type), and must leave both organizations' snapshots and
// event logs byte-identical. A last test races duplicate external ids and checks exactly one wins.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Clientele, createHandler, ValidationError, ConflictError, NotFoundError, NotPermittedError } from "../../js/dist/runtime/node.js";

const ORG_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", ORG_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
let a, b, handler, team, single, member, other, otherMember;

before(async () => {
  a = await Clientele.open({ organizationId: ORG_A });
  b = a.forOrganization(ORG_B);
  handler = createHandler(a, { tokens: { "token-a": ORG_A, "token-b": ORG_B } });
  team = await a.customers.create({ email: "team@example.com", name: "Team", type: "team", externalId: "ext-team", metadata: { plan: "pro" } });
  single = await a.customers.create({ email: "ind@example.com", name: "Ind", externalId: "ext-1" });
  member = await a.members.create({ customerId: team.id, email: "mem@example.com", name: "Mem" });
  other = await b.customers.create({ email: "b@example.com", name: "Other Org", type: "team", externalId: "ext-b" });
  otherMember = await b.members.create({ customerId: other.id, email: "bm@example.com" });
});

const state = () => JSON.stringify([a.exportSnapshot(), b.exportSnapshot(), a.events(), b.events()]);

const deep = (depth) => {
  let m = "v";
  for (let i = 0; i < depth; i++) m = { m };
  return m;
};
const MB = "x".repeat(1 << 20);
const line = (record) => JSON.stringify(record);
// A customer's snapshot line under a new id (a canonical UUID, with its own owner member), with changes.
const snapshotOf = (customer, changes) => {
  const base = JSON.parse(a.exportSnapshot().split("\n").find((l) => l.includes(customer.id)));
  const id = randomUUID(), email = changes.email ?? base.email;
  return line({ ...base, ...changes, id, members: [{ id: randomUUID(), customer_id: id, created_at: base.created_at, email, role: "owner" }] });
};

// [name, run, expected]: expected is a class (+ loc and rule type) for the API, a status (+ loc/type) for HTTP.
const api = (name, run, cls, loc, type) => ({ name: `api: ${name}`, run, cls, loc, type });
const http = (name, request, status, loc, type) => ({ name: `http: ${name}`, request, status, loc, type });
const req = (method, path, body, token = "token-a") => {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://edge.test${path}`, { method, headers, body: typeof body === "string" || body instanceof Uint8Array ? body : body === undefined ? undefined : JSON.stringify(body) });
};

const CASES = () => [
  api("email missing", () => a.customers.create({ name: "No Email" }), ValidationError, ["body", "email"], "missing"),
  api("email of the wrong type", () => a.customers.create({ email: 42 }), ValidationError, ["body", "email"], "string_type"),
  api("email null", () => a.customers.create({ email: null }), ValidationError, ["body", "email"], "string_type"),
  api("email empty", () => a.customers.create({ email: "" }), ValidationError, ["body", "email"], "value_error"),
  api("email of 1 MB", () => a.customers.create({ email: `${MB}@example.com` }), ValidationError, ["body", "email"], "string_too_long"),
  api("name of 1 MB", () => a.customers.create({ email: "n@example.com", name: MB }), ValidationError, ["body", "name"], "string_too_long"),
  api("control character in a name", () => a.customers.create({ email: "n@example.com", name: "a\u0000b" }), ValidationError, ["body", "name"], "value_error"),
  api("invalid UTF-16 (lone surrogate)", () => a.customers.create({ email: "n@example.com", name: "a\uD800b" }), ValidationError, ["body"], "json_invalid"),
  api("unknown field", () => a.customers.create({ email: "n@example.com", favouriteColour: "red" }), ValidationError, ["body", "favourite_colour"], "extra_forbidden"),
  api("type not in the enum", () => a.customers.create({ email: "n@example.com", type: "robot" }), ValidationError, ["body", "type"], "enum"),
  api("external id of the wrong type", () => a.customers.create({ email: "n@example.com", externalId: 7 }), ValidationError, ["body", "external_id"], "string_type"),
  api("billing address a string", () => a.customers.create({ email: "n@example.com", billingAddress: "Paris" }), ValidationError, ["body", "billing_address"], "dict_type"),
  api("billing address without country", () => a.customers.create({ email: "n@example.com", billingAddress: { city: "Paris" } }), ValidationError, ["body", "billing_address", "country"], "missing"),
  api("unknown country", () => a.customers.create({ email: "n@example.com", billingAddress: { country: "XX" } }), ValidationError, ["body", "billing_address", "country"]),
  api("invalid tax id", () => a.customers.create({ email: "n@example.com", billingAddress: { country: "FR" }, taxId: ["FR00000000000", "eu_vat"] }), ValidationError, ["body", "tax_id"]),
  api("metadata nested 60 deep", () => a.customers.create({ email: "n@example.com", metadata: { deep: deep(60) } }), ValidationError, ["body", "metadata", "deep"], "metadata_value_type"),
  api("metadata nested 1,000 deep", () => a.customers.create({ email: "n@example.com", metadata: { deep: deep(1000) } }), ValidationError, ["body"], "json_invalid"),
  api("metadata nested 100,000 deep", () => a.customers.create({ email: "n@example.com", metadata: { deep: deep(100000) } }), ValidationError, ["body"], "json_invalid"),
  api("metadata holding a BigInt", () => a.customers.create({ email: "n@example.com", metadata: { n: 10n } }), ValidationError, ["body"], "json_invalid"),
  api("10,000 metadata keys", () => a.customers.create({ email: "n@example.com", metadata: Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`k${i}`, i])) }), ValidationError, ["body", "metadata"], "too_long"),
  api("metadata key of 1 KB", () => a.customers.create({ email: "n@example.com", metadata: { ["k".repeat(1000)]: 1 } }), ValidationError, ["body", "metadata", "k".repeat(1000), "[key]"], "string_too_long"),
  api("metadata value of 1 MB", () => a.customers.create({ email: "n@example.com", metadata: { big: MB } }), ValidationError, ["body", "metadata", "big"], "string_too_long"),
  api("metadata value a list", () => a.customers.create({ email: "n@example.com", metadata: { tags: ["a"] } }), ValidationError, ["body", "metadata", "tags"], "metadata_value_type"),
  api("metadata number not finite", () => a.customers.create({ email: "n@example.com", metadata: { n: Infinity } }), ValidationError, ["body", "metadata", "n"], "metadata_value_type"),
  api("duplicate email, other case", () => a.customers.create({ email: "TEAM@Example.com" }), ConflictError, ["body", "email"], "value_error"),
  api("duplicate external id", () => a.customers.create({ email: "n@example.com", externalId: "ext-1" }), ConflictError, ["body", "external_id"], "value_error"),
  api("list page 0", () => a.customers.list({ page: 0 }), ValidationError, ["query", "page"], "greater_than_equal"),
  api("list limit 0", () => a.customers.list({ limit: 0 }), ValidationError, ["query", "limit"], "greater_than_equal"),
  api("list limit a word", () => a.customers.list({ limit: "ten" }), ValidationError, ["query", "limit"], "int_type"),
  api("list page beyond 64 bits", () => a.customers.list({ page: 2 ** 64 }), ValidationError, ["query", "page"], "int_type"),
  api("list page a fraction", () => a.customers.list({ page: 1.5 }), ValidationError, ["query", "page"], "int_type"),
  api("list unknown sort key", () => a.customers.list({ sorting: ["favourite"] }), ValidationError, ["query", "sorting"], "enum"),
  api("list unknown parameter", () => a.customers.list({ colour: "red" }), ValidationError, ["query", "colour"], "extra_forbidden"),
  api("list metadata filter nested", () => a.customers.list({ metadata: { plan: { pro: true } } }), ValidationError, ["query", "metadata", "plan"], "metadata_value_type"),
  api("update email of the wrong type", () => a.customers.update({ id: single.id, customerUpdate: { email: ["x"] } }), ValidationError, ["body", "email"], "string_type"),
  api("update downgrades a team", () => a.customers.update({ id: team.id, customerUpdate: { type: "individual" } }), ValidationError, ["body", "type"], "value_error"),
  api("update changes a set external id", () => a.customers.update({ id: single.id, customerUpdate: { externalId: "ext-2" } }), ValidationError, ["body", "external_id"], "value_error"),
  api("update to another's email", () => a.customers.update({ id: single.id, customerUpdate: { email: "team@example.com" } }), ConflictError, ["body", "email"], "value_error"),
  api("update an unknown id", () => a.customers.update({ id: "00000000-0000-4000-8000-000000000000", customerUpdate: { name: "X" } }), NotFoundError),
  api("update another organization's customer", () => a.customers.update({ id: other.id, customerUpdate: { name: "Stolen" } }), NotFoundError),
  api("get another organization's customer", () => a.customers.get({ id: other.id }), NotFoundError),
  api("get another organization's external id", () => a.customers.getExternal({ externalId: "ext-b" }), NotFoundError),
  api("state of another organization's customer", () => a.customers.getState({ id: other.id }), NotFoundError),
  api("delete another organization's customer", () => a.customers.delete({ id: other.id, anonymize: true }), NotFoundError),
  api("second member on an individual", () => a.members.create({ customerId: single.id, email: "m2@example.com" }), NotPermittedError),
  api("member role not in the enum", () => a.members.create({ customerId: team.id, email: "m2@example.com", role: "boss" }), ValidationError, ["body", "role"], "enum"),
  api("member email invalid", () => a.members.create({ customerId: team.id, email: "not-an-email" }), ValidationError, ["body", "email"], "value_error"),
  api("member on another organization's customer", () => a.members.create({ customerId: other.id, email: "m2@example.com" }), NotFoundError),
  api("member update role invalid", () => a.members.update({ id: member.id, memberUpdate: { role: "king" } }), ValidationError, ["body", "role"], "enum"),
  api("member of another organization", () => a.members.get({ id: otherMember.id }), NotFoundError),
  api("snapshot line not JSON", () => a.importSnapshot("{broken"), ValidationError, ["line", 1], "json_invalid"),
  api("snapshot not text", () => a.importSnapshot(123), ValidationError, ["jsonl"], "string_type"),
  api("snapshot missing", () => a.importSnapshot(), ValidationError, ["jsonl"], "missing"),
  api("snapshot of another organization", () => a.importSnapshot(line({ ...JSON.parse(b.exportSnapshot().split("\n")[0]), id: randomUUID(), members: [] })), ValidationError, ["line", 1, "organization_id"], "value_error"),
  api("snapshot batch with one external id twice", () =>
    a.importSnapshot([snapshotOf(single, { email: "n1@example.com", external_id: "race" }), snapshotOf(single, { email: "n2@example.com", external_id: "race" })].join("\n")),
    ValidationError, ["line", 2, "external_id"], "value_error"),
  http("malformed JSON", req("POST", "/v1/customers", "{\"email\":"), 422, ["body"], "json_invalid"),
  http("body an array", req("POST", "/v1/customers", "[1,2]"), 422, ["body"]),
  http("body null", req("POST", "/v1/customers", "null"), 422, ["body"]),
  http("invalid UTF-8 bytes", req("POST", "/v1/customers", new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 422, ["body"], "json_invalid"),
  http("email of half a MB (under the handler's 1 MiB body limit)", req("POST", "/v1/customers", { email: `${MB.slice(0, 1 << 19)}@example.com` }), 422, ["body", "email"], "string_too_long"),
  http("body of 1 MB (over the handler's 1 MiB body limit)", req("POST", "/v1/customers", { email: `${MB}@example.com` }), 413),
  http("metadata nested 100,000 deep", req("PATCH", `/v1/customers/${"{single}"}`, `{"metadata":{"deep":${"[".repeat(100000)}${"]".repeat(100000)}}}`), 422, ["body"], "json_invalid"),
  http("list page 0", req("GET", "/v1/customers?page=0"), 422, ["query", "page"], "greater_than_equal"),
  http("list limit a word", req("GET", "/v1/customers?limit=abc"), 422, ["query", "limit"], "int_parsing"),
  http("list unknown sort key", req("GET", "/v1/customers?sorting=colour"), 422, ["query", "sorting"], "enum"),
  http("list unknown parameter", req("GET", "/v1/customers?colour=red"), 422, ["query", "colour"], "extra_forbidden"),
  http("get another organization's customer", req("GET", `/v1/customers/${"{other}"}`), 404),
  http("patch another organization's customer", req("PATCH", `/v1/customers/${"{other}"}`, { name: "Stolen" }), 404),
  http("delete another organization's customer", req("DELETE", `/v1/customers/${"{other}"}?anonymize=true`), 404),
  http("state of another organization's customer", req("GET", `/v1/customers/${"{other}"}/state`), 404),
  http("another organization's external id", req("GET", "/v1/customers/external/ext-b"), 404),
  http("member added to another organization's customer", req("POST", `/v1/customers/${"{other}"}/members`, { email: "x@example.com" }), 404),
  http("another organization's member under our customer", req("DELETE", `/v1/customers/${"{team}"}/members/${"{otherMember}"}`), 404),
  http("no token", req("POST", "/v1/customers", { email: "n@example.com" }, null), 401),
  http("unknown token", req("POST", "/v1/customers", { email: "n@example.com" }, "token-z"), 401),
];

// Requests are built before the ids exist; "{team}" in a path is replaced when the case runs.
function resolve(request) {
  const ids = { team: team.id, single: single.id, other: other.id, otherMember: otherMember.id };
  const url = request.url.replace(/%7B(\w+)%7D/g, (_, k) => ids[k]);
  return url === request.url ? request : new Request(url, request);
}

function assertNames(detail, loc, type, name) {
  if (!loc) return;
  assert.ok(Array.isArray(detail), `${name}: a detail list`);
  const hit = detail.find((d) => JSON.stringify(d.loc) === JSON.stringify(loc) && (!type || d.type === type));
  assert.ok(hit, `${name}: expected loc ${JSON.stringify(loc)} ${type ?? ""}, got ${JSON.stringify(detail.map((d) => [d.loc, d.type])).slice(0, 300)}`);
  assert.ok(typeof hit.msg === "string" && hit.msg.length > 0, `${name}: a message`);
}

test("the bad-input table: typed errors naming field and rule, and not one byte of either store changes", async () => {
  const cases = CASES();
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  const before = state();
  for (const c of cases) {
    if (c.run) {
      const err = await c.run().then(() => null, (e) => e);
      assert.ok(err instanceof c.cls, `${c.name}: expected ${c.cls.name}, got ${err?.name}: ${err?.message}`);
      assert.ok(err.message.length > 0, `${c.name}: a message`);
      assertNames(err.detail, c.loc, c.type, c.name);
    } else {
      const response = await handler(resolve(c.request));
      assert.equal(response.status, c.status, `${c.name}: status`);
      const body = await response.json();
      assert.ok(typeof body.error === "string", `${c.name}: a typed error body`);
      assertNames(body.detail, c.loc, c.type, c.name);
    }
    assert.equal(state(), before, `${c.name}: the stores changed`);
  }
});

test("limit 1000 is reduced to 100 (Polar's rule, spec §4), not refused, and changes nothing", async () => {
  const before = state();
  const page = await a.customers.list({ limit: 1000 });
  assert.equal(page.pagination.max_page, 1);
  assert.equal(page.items.length, 2);
  assert.equal(state(), before);
});

test("duplicate external ids racing through the handler: exactly one is created, the rest are typed conflicts", async () => {
  const responses = await Promise.all(
    Array.from({ length: 8 }, (_, i) => handler(req("POST", "/v1/customers", { email: `race${i}@example.com`, external_id: "raced" }))),
  );
  const statuses = responses.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 422, 422, 422, 422, 422, 422, 422]);
  for (const r of responses.filter((r) => r.status === 422)) assertNames((await r.json()).detail, ["body", "external_id"], "value_error", "race");
  assert.equal((await a.customers.list({ query: "raced" })).pagination.total_count, 1);
});
