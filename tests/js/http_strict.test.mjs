// The edge handler reads requests as Polar's server does: query booleans and integers as pydantic parses
// them, user-supplied names never looked up on plain objects, paths decoded one segment at a time, bodies
// parsed only as JSON of a JSON content type and only up to a size limit.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { Clientele, createHandler } from "../../js/dist/runtime/node.js";

const ORG = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
let store, handler;

before(async () => {
  store = await Clientele.open({ organizationId: ORG });
  handler = createHandler(store, { tokens: { "token-c": ORG } });
});

const req = (method, path, { body, token = "token-c", type = body === undefined ? undefined : "application/json", headers = {} } = {}) => {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (type) h["content-type"] = type;
  return new Request(`http://edge.test${path}`, { method, headers: h, body: body === undefined || typeof body === "string" || body instanceof Uint8Array || body instanceof ReadableStream ? body : JSON.stringify(body), duplex: "half" });
};
const call = async (method, path, options) => {
  const response = await handler(req(method, path, options));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};
let n = 0;
const fresh = (extra = {}) => store.customers.create({ email: `strict${++n}@example.com`, ...extra });

// 1. Booleans ------------------------------------------------------------------------------------------

test("DELETE ?anonymize= reads true/1/yes/on (any case) as true and anonymizes", async () => {
  for (const word of ["true", "True", "TRUE", "1", "yes", "Yes", "on", "ON", "t", "y"]) {
    const c = await fresh({ name: "Real Name" });
    const r = await call("DELETE", `/v1/customers/${c.id}?anonymize=${word}`);
    assert.equal(r.status, 204, word);
    const after = store.exportSnapshot().split("\n").find((l) => l.includes(c.id));
    assert.ok(!after.includes(`strict${n}@example.com`), `${word}: the email is gone`);
    assert.ok(!after.includes("Real Name"), `${word}: the name is gone`);
  }
});

test("DELETE ?anonymize= reads false/0/no/off (any case) as false: deleted, not anonymized", async () => {
  for (const word of ["false", "False", "0", "no", "NO", "off", "f", "n"]) {
    const ext = `keep-${n}-${word}`;
    const c = await fresh({ externalId: ext, name: "Kept Name" });
    assert.equal((await call("DELETE", `/v1/customers/external/${ext}?anonymize=${word}`)).status, 204, word);
    const after = store.exportSnapshot().split("\n").find((l) => l.includes(c.id));
    assert.ok(after.includes("Kept Name"), `${word}: not anonymized`);
  }
});

test("DELETE ?anonymize= with any other word is Polar's 422 bool_parsing, and deletes nothing", async () => {
  for (const word of ["maybe", "", "2", "truthy", " true", "nope"]) {
    const c = await fresh();
    for (const path of [`/v1/customers/${c.id}`, `/v1/customers/external/none-${n}`]) {
      const r = await call("DELETE", `${path}?anonymize=${encodeURIComponent(word)}`);
      assert.equal(r.status, 422, `${JSON.stringify(word)} on ${path}`);
      assert.deepEqual(r.body, {
        error: "PolarRequestValidationError",
        detail: [{ type: "bool_parsing", loc: ["query", "anonymize"], msg: "Input should be a valid boolean, unable to interpret input", input: word }],
      });
    }
    assert.equal((await store.customers.get({ id: c.id })).id, c.id, "still there");
  }
});

test("GET /v1/customers?active= parses as a boolean too; an unknown word is 422 bool_parsing", async () => {
  const yes = await call("GET", "/v1/customers?active=Yes");
  assert.equal(yes.status, 200);
  const no = await call("GET", "/v1/customers?active=0");
  assert.equal(no.status, 200);
  assert.equal(no.body.pagination.total_count, (await store.customers.list({ active: false })).pagination.total_count);
  const bad = await call("GET", "/v1/customers?active=sometimes");
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.detail, [{ type: "bool_parsing", loc: ["query", "active"], msg: "Input should be a valid boolean, unable to interpret input", input: "sometimes" }]);
});

// 4 (query). Integers ------------------------------------------------------------------------------------

test("page and limit are decimal integers only: 0x2, 1e0, 0b11, ' 2', '2.0' are 422 int_parsing", async () => {
  for (const key of ["page", "limit"])
    for (const value of ["0x2", "1e0", "0b11", " 2", "2.0", "2 ", "abc", "", "Infinity", "0o7", "1_0"]) {
      const r = await call("GET", `/v1/customers?${key}=${encodeURIComponent(value)}`);
      assert.equal(r.status, 422, `${key}=${JSON.stringify(value)}`);
      assert.deepEqual(r.body.detail, [{ type: "int_parsing", loc: ["query", key], msg: "Input should be a valid integer, unable to parse string as an integer", input: value }]);
    }
  assert.equal((await call("GET", "/v1/customers?page=2&limit=1")).status, 200);
  assert.equal((await call("GET", "/v1/customers?page=0")).body.detail[0].type, "greater_than_equal", "the core still checks the range");
});

test("every unparsable query value is reported at once", async () => {
  const r = await call("GET", "/v1/customers?page=x&limit=1.5&active=perhaps");
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.detail.map((d) => [d.loc[1], d.type]).sort(), [["active", "bool_parsing"], ["limit", "int_parsing"], ["page", "int_parsing"]]);
});

// 2. User keys on plain objects --------------------------------------------------------------------------

const PROTO_NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__"];
// Metadata keys starting with "__" are reserved by the core: those names are checked as filters only.
const META_NAMES = PROTO_NAMES.filter((k) => !k.startsWith("__"));

test("a bearer token named like an Object.prototype member is not a token", async () => {
  for (const token of PROTO_NAMES) {
    const r = await call("GET", "/v1/customers", { token });
    assert.equal(r.status, 401, token);
  }
  const viaJson = createHandler(store, { tokens: JSON.parse(`{"__proto__": "${ORG}"}`) });
  assert.equal((await viaJson(req("GET", "/v1/customers", { token: "__proto__" }))).status, 200, "an own key named __proto__ is a token");
  const lenient = createHandler(store, { tokens: { "token-c": ORG } });
  assert.equal((await lenient(req("GET", "/v1/customers", { token: "constructor" }))).status, 401);
});

test("metadata[...] query keys named like Object.prototype members filter like any other key", async () => {
  for (const key of PROTO_NAMES) {
    const r = await call("GET", `/v1/customers?metadata[${encodeURIComponent(key)}]=nothing-has-this`);
    assert.equal(r.status, 200, key);
    assert.deepEqual(r.body.items, [], key);
  }
  for (const key of META_NAMES) {
    const c = await fresh({ metadata: { [key]: "x" } });
    const r = await call("GET", `/v1/customers?metadata[${encodeURIComponent(key)}]=x`);
    assert.equal(r.status, 200, key);
    assert.deepEqual(r.body.items.map((i) => i.id), [c.id], key);
    assert.equal((await call("GET", `/v1/customers?metadata[${encodeURIComponent(key)}]=x&metadata[${encodeURIComponent(key)}]=y`)).status, 200, `${key} twice`);
  }
});

test("an unknown query parameter named like an Object.prototype member is extra_forbidden, not dropped", async () => {
  for (const key of ["__proto__", "constructor", "toString"]) {
    const r = await call("GET", `/v1/customers?${key}=1`);
    assert.equal(r.status, 422, key);
    assert.deepEqual(r.body.detail.map((d) => [d.loc, d.type]), [[["query", key], "extra_forbidden"]], key);
  }
});

test("a body with an own __proto__ key reaches the core (extra_forbidden), through create and members", async () => {
  const r = await call("POST", "/v1/customers", { body: '{"email":"p@example.com","__proto__":{"name":"x"}}' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.detail.map((d) => [d.loc, d.type]), [[["body", "__proto__"], "extra_forbidden"]]);
});

// 3. Paths ------------------------------------------------------------------------------------------------

test("malformed percent-encoding in a path answers 404, never throws", async () => {
  const c = await fresh();
  for (const path of ["/v1/customers/%", "/v1/customers/%ZZ", "/v1/customers/%E2%82", "/v1/customers/external/%E2%82/state", "/v1/customers/%C0%AF", `/v1/customers/${c.id}/members/%`, "/v1/%", "/%FF"]) {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const r = await call(method, path, method === "PATCH" ? { body: {} } : undefined);
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.deepEqual(r.body, { error: "ResourceNotFound", detail: "Not found" });
    }
  }
});

test("an encoded slash belongs to its segment: external/foo%2Fstate is the external id 'foo/state'", async () => {
  const c = await fresh({ externalId: "foo/state" });
  const got = await call("GET", "/v1/customers/external/foo%2Fstate");
  assert.equal(got.status, 200);
  assert.equal(got.body.id, c.id);
  assert.equal(got.body.external_id, "foo/state");
  const state = await call("GET", "/v1/customers/external/foo%2Fstate/state");
  assert.equal(state.status, 200);
  assert.equal(state.body.id, c.id);
  const patched = await call("PATCH", "/v1/customers/external/foo%2Fstate", { body: { name: "Slashed" } });
  assert.equal(patched.body.name, "Slashed");
  const other = await fresh({ externalId: "a/b/members" });
  assert.equal((await call("GET", "/v1/customers/external/a%2Fb%2Fmembers")).body.id, other.id);
  assert.equal((await call("GET", `/v1/customers/${c.id}%2Fstate`)).status, 404, "an id with an encoded slash is one (unknown) id");
  const unicode = await fresh({ externalId: "ünï €" });
  assert.equal((await call("GET", `/v1/customers/external/${encodeURIComponent("ünï €")}`)).body.id, unicode.id);
  assert.equal((await call("DELETE", "/v1/customers/external/foo%2Fstate")).status, 204);
});

// 4. Bodies ------------------------------------------------------------------------------------------------

test("a body is JSON only with a JSON content type: others are 415 with a JSON error body", async () => {
  for (const type of [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "application/json-seq", "application/json; charset=latin1"]) {
    const request = new Request("http://edge.test/v1/customers", {
      method: "POST",
      headers: { authorization: "Bearer token-c", ...(type ? { "content-type": type } : {}) },
      body: new TextEncoder().encode(JSON.stringify({ email: `ct${++n}@example.com` })),
    });
    const response = await handler(request);
    assert.equal(response.status, 415, String(type));
    assert.equal(response.headers.get("content-type"), "application/json");
    const body = await response.json();
    assert.equal(typeof body.error, "string");
  }
  for (const type of ["application/json", "Application/JSON", "application/json; charset=utf-8", "application/json;charset=UTF-8", "application/vnd.api+json", "application/merge-patch+json"]) {
    const r = await call("POST", "/v1/customers", { type, body: { email: `ok${++n}@example.com` } });
    assert.equal(r.status, 201, type);
  }
  const c = await fresh();
  assert.equal((await call("PATCH", `/v1/customers/${c.id}`, { type: "text/plain", body: { name: "x" } })).status, 415, "PATCH too");
  assert.equal((await call("POST", `/v1/customers/${c.id}/members`, { type: "text/plain", body: { email: "m@example.com" } })).status, 415, "members too");
});

test("a body over 1 MiB is 413: by Content-Length at once, or counted while streaming", async () => {
  const big = JSON.stringify({ email: "big@example.com", name: "x".repeat(1 << 20) });
  const r = await call("POST", "/v1/customers", { body: big });
  assert.equal(r.status, 413);
  assert.equal(typeof r.body.error, "string");
  // A Content-Length above the limit answers 413 without reading anything.
  let pulled = 0;
  const endless = new ReadableStream({ pull(ctrl) { pulled++; ctrl.enqueue(new Uint8Array(64 * 1024)); } });
  const declared = await handler(req("POST", "/v1/customers", { body: endless, headers: { "content-length": String(50 << 20) } }));
  assert.equal(declared.status, 413);
  assert.ok(pulled <= 2, `pulled ${pulled} chunks`);
  // A chunked body (no length) is counted: it stops a little past the limit, not at the end of the stream.
  let sent = 0;
  const chunked = new ReadableStream({ pull(ctrl) { sent += 64 * 1024; if (sent > 64 << 20) ctrl.close(); else ctrl.enqueue(new Uint8Array(64 * 1024).fill(32)); } });
  const counted = await handler(req("POST", "/v1/customers", { body: chunked }));
  assert.equal(counted.status, 413);
  assert.ok(sent < 4 << 20, `read ${sent} bytes`);
  // Just under the limit is read and refused by the core's rules, not by size.
  const under = JSON.stringify({ email: "under@example.com", name: "x".repeat((1 << 20) - 100) });
  assert.equal((await call("POST", "/v1/customers", { body: under })).status, 422);
});

test("maxBodyBytes sets the limit", async () => {
  const small = createHandler(store, { tokens: { "token-c": ORG }, maxBodyBytes: 64 });
  const ok = await small(req("POST", "/v1/customers", { body: { email: "s@example.com" } }));
  assert.equal(ok.status, 201);
  const tooBig = await small(req("POST", "/v1/customers", { body: { email: "s2@example.com", name: "y".repeat(64) } }));
  assert.equal(tooBig.status, 413);
});
