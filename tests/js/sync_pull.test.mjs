// Pulling a Polar organization from the local upstream: 10k customers compared record by record, a resync
// after upstream creates, updates and deletes (removed, replaced, local-only reported), a pull through
// 429s, 500s, dropped connections and slow pages, an interrupted pull resumed from its next page, and a
// resync that readers see whole (old or new organization, never a mix).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Clientele } from "../../js/dist/runtime/node.js";
import { ORG, assertSame, startUpstream, stateOf } from "./fixtures/polar_upstream.mjs";

const ups = [];
after(() => ups.forEach((u) => u.close()));
async function upstream(n, options) {
  const up = await startUpstream();
  ups.push(up);
  await up.seed(n, options);
  return up;
}
const connection = (up, extra = {}) => ({ accessToken: up.token, server: up.url, requestsPerMinute: 0, backoffMs: 5, ...extra });

test("a pull of 10,000 customers (teams with members among them) matches the upstream record by record", async () => {
  const up = await upstream(10_000, { teamEvery: 50 });
  const replica = await Clientele.open({ organizationId: ORG });
  const progress = [];
  const report = await replica.sync.pull({ ...connection(up), onProgress: (p) => progress.push(p) });
  assert.equal(report.customers, 10_000);
  assert.equal(report.members, 10_000 + 200);
  assert.equal(report.applied, 10_000);
  assert.deepEqual(report.failed, []);
  assert.deepEqual(report.removed, []);
  assert.deepEqual(report.localOnly, []);
  assert.equal(report.resumed, false);
  const customerPages = progress.filter((p) => p.phase === "customers");
  assert.equal(customerPages.length, 100);
  assert.ok(customerPages.every((p) => p.total === 10_000));
  assert.deepEqual(customerPages.at(-1), { phase: "customers", loaded: 10_000, total: 10_000 });
  assert.equal(progress.at(-1).phase, "applying");
  assertSame(await stateOf(replica), await stateOf(up.store));
  // Polar's ids and timestamps are kept, and the replica answers queries locally.
  const [one] = (await up.store.customers.list({ limit: 1, sorting: ["-created_at"] })).items;
  assert.deepEqual(await replica.customers.get({ id: one.id }), one);
  assert.equal((await replica.customers.list({ email: one.email })).items[0].id, one.id);
  replica.close();
});

test("a resync replaces changed customers, removes those gone upstream and reports local-only ones", async () => {
  const up = await upstream(300, { teamEvery: 30 });
  const replica = await Clientele.open({ organizationId: ORG });
  await replica.sync.pull(connection(up));
  const local = await replica.customers.create({ email: "only-here@example.com" });

  const all = [...(await stateOf(up.store)).customers.values()];
  const [a, b, c] = all;
  await up.store.customers.update({ id: a.id, customerUpdate: { name: "Renamed Upstream", metadata: { plan: "enterprise" } } });
  await up.store.customers.delete({ id: b.id });
  await up.store.customers.delete({ id: c.id, anonymize: true });
  const added = await up.store.customers.create({ email: "new-upstream@example.com", name: "New Upstream" });

  const report = await replica.sync.pull(connection(up));
  assert.deepEqual(report.removed.sort(), [b.id, c.id].sort());
  assert.deepEqual(report.localOnly, [local.id]);
  assert.equal(report.customers, 299);
  assertSame(
    await (async () => {
      const s = await stateOf(replica);
      s.customers.delete(local.id);
      for (const [id, m] of s.members) if (m.customer_id === local.id) s.members.delete(id);
      return s;
    })(),
    await stateOf(up.store),
  );
  assert.equal((await replica.customers.get({ id: a.id })).name, "Renamed Upstream");
  assert.equal((await replica.customers.get({ id: added.id })).email, "new-upstream@example.com");
  assert.equal((await replica.customers.get({ id: local.id })).email, "only-here@example.com");
  assert.equal((await replica.customers.list({ email: b.email })).items.length, 0);
  assert.ok(!replica.exportSnapshot().includes(c.id), "a removed customer is gone from the store, not only hidden");
  replica.close();
});

test("a pull through 429s, 500s, a connection dropped mid-page and slow pages completes", async () => {
  const up = await upstream(450);
  const replica = await Clientele.open({ organizationId: ORG });
  up.inject(
    { kind: "429", retryAfter: "0.02", path: /page=2\b/ },
    { kind: "500", path: /page=3\b/ },
    { kind: "drop", path: /page=4\b/ },
    { kind: "slow", ms: 30, path: /page=5\b/ },
    { kind: "500", status: 503, path: /^\/v1\/members\// },
  );
  const report = await replica.sync.pull(connection(up));
  assert.equal(report.customers, 450);
  assert.equal(report.requests, 5 + 5 + 4); // 5 customer pages, 5 member pages, 4 retries
  assertSame(await stateOf(replica), await stateOf(up.store));
  replica.close();
});

test("an interrupted pull resumes from the page after the last one loaded", async () => {
  const up = await upstream(1000, { teamEvery: 10 });
  const replica = await Clientele.open({ organizationId: ORG });
  const controller = new AbortController();
  await assert.rejects(
    replica.sync.pull({ ...connection(up), signal: controller.signal, onProgress: (p) => p.loaded >= 400 && controller.abort(new Error("reload")) }),
    /reload/,
  );
  assert.equal((await replica.customers.list()).pagination.total_count, 0, "nothing is applied before every page is fetched");
  assert.deepEqual(
    { phase: replica.sync.cursor.phase, page: replica.sync.cursor.page, loaded: replica.sync.cursor.customersLoaded },
    { phase: "customers", page: 5, loaded: 400 },
  );
  up.requests.length = 0;
  // The connection drops once more on the first page fetched after resuming: it is retried.
  up.inject({ kind: "drop", path: /page=5\b/ });
  const report = await replica.sync.pull(connection(up));
  assert.equal(report.resumed, true);
  const pages = up.requests.filter((r) => r.url.startsWith("/v1/customers/?")).map((r) => Number(new URL(r.url, up.url).searchParams.get("page")));
  assert.deepEqual(pages, [5, 5, 6, 7, 8, 9, 10]);
  assert.equal(replica.sync.cursor, undefined);
  assertSame(await stateOf(replica), await stateOf(up.store));
  // resume: false starts over
  const again = await replica.sync.pull({ ...connection(up), resume: false });
  assert.equal(again.resumed, false);
  replica.close();
});

test("readers never see half of a resync: every record changes in one synchronous block", async () => {
  const up = await upstream(500);
  const replica = await Clientele.open({ organizationId: ORG });
  await replica.sync.pull(connection(up));
  for (const c of (await up.store.customers.list({ limit: 100 })).items) await up.store.customers.update({ id: c.id, customerUpdate: { metadata: { plan: "v2" } } });
  const seen = new Set();
  let stop = false;
  const watch = (async () => {
    while (!stop) {
      seen.add((await replica.customers.list({ metadata: { plan: "v2" } })).pagination.total_count);
      await new Promise((ok) => setImmediate(ok));
    }
  })();
  await replica.sync.pull(connection(up));
  stop = true;
  await watch;
  assert.deepEqual([...seen].filter((n) => n !== 0 && n !== 100), []);
  assert.equal((await replica.customers.list({ metadata: { plan: "v2" } })).pagination.total_count, 100);
  replica.close();
});

test("a pull without a token or with a wrong one is refused", async () => {
  const up = await upstream(1);
  const replica = await Clientele.open({ organizationId: ORG });
  await assert.rejects(replica.sync.pull({ server: up.url }), TypeError);
  await assert.rejects(replica.sync.pull({ accessToken: "wrong", server: up.url, requestsPerMinute: 0 }), (e) => e.status === 401);
  replica.close();
});
