// Write-through to the local upstream: local validation first (no request for a 422 the core knows), then
// Polar, then Polar's answer applied (its ids and timestamps win); an upstream refusal leaves the store
// unchanged and surfaces as the typed error; a write with Polar unreachable is refused, not queued; and
// customer state fetched lazily once, within the connection's pacing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Clientele, ConflictError, NotFoundError, ValidationError, UpstreamUnavailableError } from "../../js/dist/runtime/node.js";
import { ORG, startUpstream } from "./fixtures/polar_upstream.mjs";

const ups = [];
after(() => ups.forEach((u) => u.close()));
async function setup(n = 3) {
  const up = await startUpstream();
  ups.push(up);
  await up.seed(n);
  const replica = await Clientele.open({ organizationId: ORG });
  const polar = replica.sync.connect({ accessToken: up.token, server: up.url, requestsPerMinute: 0, backoffMs: 1 });
  await replica.sync.pull();
  return { up, replica, polar };
}
const writes = (up) => up.requests.filter((r) => r.method !== "GET").length;

test("create, update and delete go to Polar first, then the store takes Polar's answer", async () => {
  const { up, replica, polar } = await setup();
  const created = await polar.customers.create({ email: "wt@example.com", name: "Write Through", metadata: { plan: "pro" } });
  const upstreamCopy = await up.store.customers.get({ id: created.id });
  assert.deepEqual(created, upstreamCopy, "Polar's id and timestamps are the store's");
  const updated = await polar.customers.update({ id: created.id, customerUpdate: { name: "Renamed", billingAddress: { country: "FR" } } });
  assert.deepEqual(updated, await up.store.customers.get({ id: created.id }));
  assert.equal((await replica.customers.get({ id: created.id })).name, "Renamed");
  await polar.customers.delete({ id: created.id });
  await assert.rejects(up.store.customers.get({ id: created.id }), NotFoundError);
  await assert.rejects(replica.customers.get({ id: created.id }), NotFoundError);
  replica.close();
});

test("team members are written through", async () => {
  const { up, replica, polar } = await setup(0);
  const team = await polar.customers.create({ type: "team", name: "Acme", email: "boss@acme.example" });
  const member = await polar.members.create({ customerId: team.id, email: "dev@acme.example", role: "member" });
  assert.deepEqual(member, await up.store.members.get({ id: member.id }));
  const promoted = await polar.members.update({ id: member.id, memberUpdate: { role: "billing_manager" } });
  assert.equal(promoted.role, "billing_manager");
  assert.equal((await replica.members.get({ id: member.id })).role, "billing_manager");
  await polar.members.delete({ id: member.id });
  await assert.rejects(replica.members.get({ id: member.id }), NotFoundError);
  await assert.rejects(up.store.members.get({ id: member.id }), NotFoundError);
  replica.close();
});

test("a 422 the core knows is refused locally, with no request to Polar", async () => {
  const { up, replica, polar } = await setup();
  const before = writes(up);
  await assert.rejects(polar.customers.create({ email: "not an email", locale: "xx-nope" }), (e) => e instanceof ValidationError && e.detail.length === 2);
  const [held] = (await replica.customers.list({ limit: 1 })).items;
  await assert.rejects(polar.customers.create({ email: held.email }), ConflictError);
  await assert.rejects(polar.customers.update({ id: held.id, customerUpdate: { email: "" } }), ValidationError);
  assert.equal(writes(up), before);
  replica.close();
});

test("an upstream refusal leaves the store unchanged and surfaces as the typed error", async () => {
  const { up, replica, polar } = await setup();
  // Polar holds an email the replica has not heard of yet: only Polar can refuse it.
  await up.store.customers.create({ email: "taken-upstream@example.com" });
  const snapshot = replica.exportSnapshot();
  await assert.rejects(polar.customers.create({ email: "taken-upstream@example.com" }), ConflictError);
  up.inject({ kind: "500", path: /^\/v1\/customers\// });
  const [held] = (await replica.customers.list({ limit: 1 })).items;
  await assert.rejects(polar.customers.update({ id: held.id, customerUpdate: { name: "Never" } }), (e) => e.status === 500);
  assert.equal(replica.exportSnapshot(), snapshot);
  replica.close();
});

test("with Polar unreachable a write is refused with a clear error and nothing changes", async () => {
  const { up, replica, polar } = await setup();
  const snapshot = replica.exportSnapshot();
  up.close();
  await assert.rejects(polar.customers.create({ email: "offline@example.com" }), (e) => e instanceof UpstreamUnavailableError && /unreachable/.test(e.message));
  const nav = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", { value: { onLine: false }, configurable: true });
  try {
    await assert.rejects(polar.customers.create({ email: "offline@example.com" }), (e) => e instanceof UpstreamUnavailableError && /Offline/.test(e.message));
  } finally {
    if (nav) Object.defineProperty(globalThis, "navigator", nav);
    else delete globalThis.navigator;
  }
  assert.equal(replica.exportSnapshot(), snapshot);
  replica.close();
});

test("customer state is fetched lazily, once, and a state_changed webhook makes it known", async () => {
  const { up, replica } = await setup(2);
  const [a, b] = (await up.store.customers.list({ sorting: ["created_at"] })).items;
  await up.store.call("subscriptions.create", { body: { customer_id: a.id, product_id: "prod-1", amount: 1500, currency: "eur" } });
  const expected = await up.store.customers.getState({ id: a.id });
  const stateCalls = () => up.requests.filter((r) => r.url.endsWith("/state")).length;
  const first = await replica.sync.getState({ id: a.id });
  assert.deepEqual(first, expected);
  assert.equal(stateCalls(), 1);
  await replica.sync.getState({ id: a.id });
  assert.equal(stateCalls(), 1);
  // A state_changed webhook for b: no request when asked.
  const [delivery] = await up.sign(up.events.filter((e) => e.type === "customer.state_changed" && e.data.id === b.id).slice(-1));
  assert.equal((await replica.sync.ingest(delivery, up.secret)).status, 200);
  await replica.sync.getState({ id: b.id });
  assert.equal(stateCalls(), 1);
  replica.close();
});
