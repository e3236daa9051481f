// Following Polar's webhooks: deliveries signed as Polar signs them (the whole `whsec_` string as the HMAC
// key), 1,000 of them shuffled and duplicated ending in the upstream's exact state, a late update after a
// delete that does not resurrect, the statuses Polar retries on (5xx) or not (2xx), and the edge route
// POST /webhooks/polar choosing the organization by the secret that verifies the delivery.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Clientele, createHandler, webhooks } from "../../js/dist/runtime/node.js";
import { ORG, SECRET, assertSame, deliver, startUpstream, stateOf } from "./fixtures/polar_upstream.mjs";

const ups = [];
after(() => ups.forEach((u) => u.close()));
async function upstream() {
  const up = await startUpstream();
  ups.push(up);
  return up;
}
const ingestWith = (replica) => async (d) => (await replica.sync.ingest({ body: d.body, headers: d.headers }, SECRET)).status;

test("1,000+ webhooks delivered shuffled, with duplicates and Polar's retries, end in the upstream's exact state", async () => {
  const up = await upstream();
  const made = await up.seed(220, { teamEvery: 6 });
  for (let i = 0; i < 60; i++) await up.store.customers.update({ id: made[i].id, customerUpdate: { name: `Renamed ${i}`, metadata: { round: i } } });
  for (let i = 60; i < 80; i++) await up.store.customers.delete({ id: made[i].id });
  for (let i = 80; i < 90; i++) await up.store.customers.delete({ id: made[i].id, anonymize: true });
  for (let i = 90; i < 140; i++) await up.store.customers.update({ id: made[i].id, customerUpdate: { email: `moved.${i}@example.net` } });
  const teams = made.filter((c) => c.type === "team" && !(made.indexOf(c) >= 60 && made.indexOf(c) < 90));
  for (const t of teams.slice(0, 5)) {
    const m = await up.store.members.create({ customerId: t.id, email: `extra.${t.id.slice(0, 6)}@team.example`, role: "member" });
    await up.store.members.update({ id: m.id, memberUpdate: { role: "billing_manager", name: "Bill" } });
  }
  for (const t of teams.slice(5, 8)) {
    const [m] = (await up.store.members.list({ customerId: t.id })).items.filter((x) => x.role === "member");
    await up.store.members.delete({ id: m.id });
  }
  const deliveries = await up.sign();
  assert.ok(deliveries.length >= 1000, `the upstream made ${deliveries.length} events`);
  const replica = await Clientele.open({ organizationId: ORG });
  const { statuses, undelivered } = await deliver(deliveries, ingestWith(replica), { duplicates: 250, seed: 11 });
  assert.deepEqual(undelivered, []);
  assert.ok(statuses.every((s) => s === 200 || s === 503), `statuses: ${[...new Set(statuses)]}`);
  assert.ok(statuses.includes(503), "a member delivered before its customer is answered 503 and retried");
  assertSame(await stateOf(replica), await stateOf(up.store));
  replica.close();
});

test("every event of an upstream, shuffled with duplicates, ends in the upstream's state", async () => {
  const up = await upstream();
  const made = await up.seed(60, { teamEvery: 5 });
  for (let i = 0; i < 20; i++) await up.store.customers.update({ id: made[i].id, customerUpdate: { name: `N${i}` } });
  for (let i = 20; i < 30; i++) await up.store.customers.delete({ id: made[i].id, anonymize: i % 2 === 0 });
  const replica = await Clientele.open({ organizationId: ORG });
  const { undelivered } = await deliver(await up.sign(), ingestWith(replica), { duplicates: 100, seed: 3 });
  assert.deepEqual(undelivered, []);
  assertSame(await stateOf(replica), await stateOf(up.store));
  replica.close();
});

test("a late customer.updated after customer.deleted does not resurrect the customer", async () => {
  const up = await upstream();
  const [c] = await up.seed(1);
  await up.store.customers.update({ id: c.id, customerUpdate: { name: "Before Delete" } });
  await up.store.customers.delete({ id: c.id });
  const all = await up.sign();
  const created = all.find((d) => d.event.type === "customer.created");
  const updated = all.find((d) => d.event.type === "customer.updated");
  const deleted = all.find((d) => d.event.type === "customer.deleted");
  const replica = await Clientele.open({ organizationId: ORG });
  const send = ingestWith(replica);
  assert.equal(await send(created), 200);
  assert.equal(await send(deleted), 200);
  const late = await replica.sync.ingest({ body: updated.body, headers: updated.headers }, SECRET);
  assert.deepEqual({ status: late.status, applied: late.applied }, { status: 200, applied: false });
  assert.ok(["deleted", "stale"].includes(late.reason), late.reason);
  await assert.rejects(replica.customers.get({ id: c.id }), (e) => e.status === 404);
  assert.equal((await replica.customers.list()).pagination.total_count, 0);
  replica.close();
});

test("a member.deleted delivered before its member.created does not bring the member back", async () => {
  const up = await upstream();
  const [team] = await up.seed(1, { teamEvery: 1 });
  const [m] = (await up.store.members.list({ customerId: team.id })).items.filter((x) => x.role === "member");
  await up.store.members.delete({ id: m.id });
  const all = await up.sign();
  const replica = await Clientele.open({ organizationId: ORG });
  const send = ingestWith(replica);
  for (const d of all.filter((d) => d.event.type.startsWith("customer."))) assert.equal(await send(d), 200);
  assert.equal(await send(all.find((d) => d.event.type === "member.deleted")), 200);
  for (const d of all.filter((d) => d.event.type === "member.created")) assert.equal(await send(d), 200);
  await assert.rejects(replica.members.get({ id: m.id }), (e) => e.status === 404);
  replica.close();
});

test("statuses: 403 for a bad signature, 200 for a duplicate, 202 for another event type, 422 for unreadable data", async () => {
  const up = await upstream();
  await up.seed(1);
  const [created] = await up.sign(up.events.filter((e) => e.type === "customer.created"));
  const replica = await Clientele.open({ organizationId: ORG });
  const wrongKey = await replica.sync.ingest({ body: created.body, headers: created.headers }, "whsec_c29tZXRoaW5nLWVsc2U=");
  assert.equal(wrongKey.status, 403);
  const tampered = await replica.sync.ingest({ body: created.body.replace('"email":"', '"email":"x'), headers: created.headers }, SECRET);
  assert.equal(tampered.status, 403);
  // The standard keying (base64-decoded secret) is not Polar's: refused unless asked for.
  const standard = await webhooks.sign(JSON.parse(created.body), SECRET, { id: "msg_std" });
  assert.equal((await replica.sync.ingest(standard, SECRET)).status, 403);
  assert.equal((await replica.sync.ingest(standard, SECRET, { polarCompatible: false })).status, 200);
  // Request objects are read too; a redelivery (same webhook-id) is a handled duplicate.
  const request = () => new Request("http://local/webhooks/polar", { method: "POST", body: created.body, headers: created.headers });
  const first = await replica.sync.ingest(request(), SECRET);
  assert.equal(first.status, 200);
  const again = await replica.sync.ingest(request(), SECRET);
  assert.deepEqual({ status: again.status, applied: again.applied, reason: again.reason }, { status: 200, applied: false, reason: "duplicate" });
  const order = await webhooks.sign({ type: "order.created", timestamp: new Date().toISOString(), data: { id: "o1" } }, SECRET, { polarCompatible: true });
  assert.equal((await replica.sync.ingest(order, SECRET)).status, 202);
  const broken = await webhooks.sign({ type: "customer.updated", timestamp: new Date().toISOString(), data: { email: 3 } }, SECRET, { polarCompatible: true });
  const refused = await replica.sync.ingest(broken, SECRET);
  assert.equal(refused.status, 422);
  const orphan = await webhooks.sign(
    { type: "member.created", timestamp: new Date().toISOString(), data: { id: "8b4f0d7e-0000-4000-8000-000000000001", customer_id: "8b4f0d7e-0000-4000-8000-00000000000c", email: "m@x.io", role: "member", created_at: new Date().toISOString(), modified_at: null, name: null, external_id: null } },
    SECRET,
    { polarCompatible: true },
  );
  const retry = await replica.sync.ingest(orphan, SECRET);
  assert.deepEqual({ status: retry.status, reason: retry.reason }, { status: 503, reason: "unknown_customer" });
  replica.close();
});

test("POST /webhooks/polar applies a delivery to the organization whose secret verifies it", async () => {
  const ORG_B = "22222222-2222-4222-8222-222222222222", SECRET_B = "whsec_b3RoZXItb3JnYW5pemF0aW9u";
  const up = await upstream();
  await up.seed(3);
  const deliveries = await up.sign();
  const store = await Clientele.open({ organizationId: ORG });
  const handler = createHandler(store, { tokens: { t: ORG }, webhooks: { [SECRET_B]: ORG_B, [SECRET]: ORG } });
  const post = (d, path = "/webhooks/polar") =>
    handler(new Request(`http://edge${path}`, { method: "POST", body: d.body, headers: { ...d.headers, "content-type": "application/json" } }));
  for (const d of deliveries) assert.equal((await post(d)).status, 200);
  assert.equal((await store.customers.list()).pagination.total_count, 3);
  assert.equal((await store.forOrganization(ORG_B).customers.list()).pagination.total_count, 0);
  const answer = await post(deliveries[0]);
  assert.equal(answer.status, 200);
  assert.equal((await answer.json()).reason, "duplicate");
  const forged = await webhooks.sign(JSON.parse(deliveries[0].body), "whsec_bm9ib2R5LWtub3dzLXRoaXMta2V5", { polarCompatible: true });
  assert.equal((await post(forged)).status, 403);
  assert.equal((await handler(new Request("http://edge/webhooks/polar"))).status, 405);
  // The API routes still need their bearer token; without `webhooks` the route does not exist.
  assert.equal((await handler(new Request("http://edge/v1/customers/"))).status, 401);
  const plain = createHandler(store, { tokens: { t: ORG } });
  assert.equal((await plain(new Request("http://edge/webhooks/polar", { method: "POST", body: "{}", headers: { authorization: "Bearer t" } }))).status, 404);
  store.close();
});
