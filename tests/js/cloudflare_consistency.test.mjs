// clientele/cloudflare under load and failure: 200 interleaved requests to one organization's object end
// in the store a sequential replay of the same requests builds, with storage holding what memory holds;
// a storage write that fails part-way through its transaction leaves memory and storage agreeing (the
// change undone in both, the request answered 507).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startCloudflare, api } from "./fixtures/cloudflare.mjs";

const vars = { CLIENTELE_TOKENS: JSON.stringify({ tc: "org_concurrent", ts: "org_sequential", tf: "org_failing" }) };
const sortedLines = (jsonl) => jsonl.split("\n").filter(Boolean).sort();

/** Memory and storage of an object hold the same lines. */
async function assertAgree(c, org) {
  const state = (await c("GET", `/__test/state?org=${org}`)).body;
  assert.deepEqual(sortedLines(state.storage.map((r) => r.line).join("\n")), sortedLines(state.memory), `${org}: storage holds what memory holds`);
  return state;
}

/** Every live customer, as the fields requests set (ids and times differ between two stores). */
async function contents(c) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await c("GET", `/v1/customers/?limit=100&page=${page}&sorting=email`);
    out.push(...r.body.items.map((x) => ({ email: x.email, name: x.name, external_id: x.external_id, metadata: x.metadata })));
    if (page >= r.body.pagination.max_page) return out;
  }
}

function rng(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test("200 interleaved requests to one object end as a sequential replay does, storage agreeing", async () => {
  const mf = await startCloudflare({ vars });
  try {
    const stores = { concurrent: api(mf, "tc"), sequential: api(mf, "ts") };
    const base = {};
    for (const [name, c] of Object.entries(stores)) {
      base[name] = [];
      for (let i = 0; i < 60; i++) base[name].push((await c("POST", "/v1/customers/", { email: `base${i}@example.com`, name: `Base ${i}` })).body.id);
    }
    // The requests, by index into the base customers (so both stores replay them alike).
    const ops = [];
    for (let i = 0; i < 70; i++) ops.push({ method: "POST", path: () => "/v1/customers/", body: { email: `new${i}@example.com`, name: `New ${i}`, external_id: `n${i}` } });
    for (let i = 0; i < 10; i++) ops.push({ method: "POST", path: () => "/v1/customers/", body: { email: `twice${i}@example.com`, name: "Twice" } }, { method: "POST", path: () => "/v1/customers/", body: { email: `twice${i}@example.com`, name: "Twice" } });
    for (let i = 0; i < 50; i++) ops.push({ method: "PATCH", path: (ids) => `/v1/customers/${ids[i]}`, body: { name: `Updated ${i}`, metadata: { i } } });
    for (let i = 50; i < 60; i++) ops.push({ method: "DELETE", path: (ids) => `/v1/customers/${ids[i]}${i % 2 ? "?anonymize=true" : ""}` });
    for (let i = 0; i < 50; i++) ops.push({ method: "GET", path: (ids) => (i % 2 ? `/v1/customers/${ids[i]}` : `/v1/customers/?query=new${i}`) });
    assert.equal(ops.length, 200);
    const random = rng(42);
    for (let i = ops.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ops[i], ops[j]] = [ops[j], ops[i]];
    }
    const concurrent = await Promise.all(ops.map((op) => stores.concurrent(op.method, op.path(base.concurrent), op.body)));
    const sequential = [];
    for (const op of ops) sequential.push(await stores.sequential(op.method, op.path(base.sequential), op.body));

    const statuses = (rs) => rs.map((r) => r.status).sort().join(",");
    assert.equal(statuses(concurrent), statuses(sequential), "the same answers, whatever the order");
    assert.equal(concurrent.filter((r) => r.status === 422).length, 10, "one of each pair of creates with the same email loses");
    assert.deepEqual(await contents(stores.concurrent), await contents(stores.sequential));
    const state = await assertAgree(stores.concurrent, "org_concurrent");
    assert.equal(state.count, 60 + 70 + 10);
  } finally {
    await mf.dispose();
  }
});

test("a storage write failing part-way leaves memory and storage agreeing", async () => {
  const mf = await startCloudflare({ vars });
  try {
    const c = api(mf, "tf");
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await c("POST", "/v1/customers/", { email: `keep${i}@example.com`, name: `Keep ${i}` })).body.id);

    // One change, its transaction failing at its first row.
    await c("GET", "/__test/fail?org=org_failing&after=1");
    const patched = await c("PATCH", `/v1/customers/${ids[0]}`, { name: "Never stored", email: "moved@example.com" });
    assert.equal(patched.status, 507, JSON.stringify(patched.body));
    assert.equal(patched.body.error, "PersistenceError");
    assert.match(patched.body.detail, /injected storage failure/);
    assert.equal((await c("GET", `/v1/customers/${ids[0]}`)).body.name, "Keep 0", "memory is put back");
    await assertAgree(c, "org_failing");

    // Three concurrent creates (written in one or more group commits), the transaction that writes the
    // second row failing: the creates of that transaction are undone, the others stored.
    await c("GET", "/__test/fail?org=org_failing&after=2");
    const made = await Promise.all([0, 1, 2].map((i) => c("POST", "/v1/customers/", { email: `group${i}@example.com` })));
    const stored = made.filter((r) => r.status === 201).length;
    assert.ok(made.every((r) => r.status === 201 || r.status === 507), made.map((r) => r.status).join());
    assert.ok(stored < 3, "the failing transaction's creates are refused");
    assert.equal((await c("GET", "/v1/customers/?query=group")).body.pagination.total_count, stored);
    let state = await assertAgree(c, "org_failing");
    assert.equal(state.count, 5 + stored);

    // An anonymization whose write fails: the customer is as before in both, and a retry erases it.
    await c("GET", "/__test/fail?org=org_failing&after=1");
    assert.equal((await c("DELETE", `/v1/customers/${ids[1]}?anonymize=true`)).status, 507);
    assert.equal((await c("GET", `/v1/customers/${ids[1]}`)).body.email, "keep1@example.com");
    state = await assertAgree(c, "org_failing");
    assert.equal(state.erases, 0);
    assert.equal((await c("DELETE", `/v1/customers/${ids[1]}?anonymize=true`)).status, 204);
    state = await assertAgree(c, "org_failing");
    assert.equal(state.erases, 1);
    assert.doesNotMatch(state.storage.map((r) => r.line).join("\n"), /keep1@example\.com/);

    // Writes work again, and the email a failed change held is free.
    const refused = made.findIndex((r) => r.status === 507);
    assert.equal((await c("POST", "/v1/customers/", { email: `group${refused}@example.com` })).status, 201);
    assert.equal((await c("PATCH", `/v1/customers/${ids[0]}`, { email: "moved@example.com" })).status, 200);
    await assertAgree(c, "org_failing");
  } finally {
    await mf.dispose();
  }
});
