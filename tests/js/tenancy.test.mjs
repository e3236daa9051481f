// Tenancy: every core method, called from organization A with organization B's ids, external ids,
// emails and member ids as arguments, answers nothing of B and changes nothing of B. Checkout, order
// and subscription inputs naming B's email create A's own customer instead of reaching B's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Clientele } from "../../js/dist/runtime/node.js";

const ORG_A = "org-tenant-a", ORG_B = "org-tenant-b";
const SECRET = { email: "secret.b@tenant-b.example", name: "Bertha Secretname", member: "bmember@tenant-b.example", plan: "b-only-plan" };

test("no core method lets organization A read or change organization B", async () => {
  const a = await Clientele.open({ organizationId: ORG_A });
  const b = a.forOrganization(ORG_B);
  const other = await b.customers.create({ email: SECRET.email, name: SECRET.name, type: "team", externalId: "ext-b", metadata: { plan: SECRET.plan } });
  const member = await b.members.create({ customerId: other.id, email: SECRET.member });
  const sub = await b.call("subscriptions.create", { body: { customer_id: other.id, product_id: "p1", seats: 5 } });
  const grant = await b.call("benefits.grant", { customer_id: other.id, body: { benefit_id: "b1", benefit_type: "custom" } });
  await a.customers.create({ email: "a@tenant-a.example", name: "Alice" });
  const before = b.exportSnapshot();
  const bEvents = JSON.stringify(b.events());

  const buyer = { email: SECRET.email, name: "Someone in A" };
  const CALLS = [
    ["customers.get", { id: other.id }],
    ["customers.getExternal", { external_id: "ext-b" }],
    ["customers.update", { id: other.id, body: { name: "Taken over" } }],
    ["customers.updateExternal", { external_id: "ext-b", body: { name: "Taken over" } }],
    ["customers.delete", { id: other.id, anonymize: true }],
    ["customers.deleteExternal", { external_id: "ext-b", anonymize: true }],
    ["customers.getState", { id: other.id }],
    ["customers.getStateExternal", { external_id: "ext-b" }],
    ["customers.validateUpdate", { id: other.id, body: { name: "x" } }],
    ["customers.list", { query: {} }],
    ["customers.list", { query: { email: SECRET.email } }],
    ["customers.list", { query: { query: "secretname" } }],
    ["customers.list", { query: { external_id: "ext-b" } }],
    ["customers.list", { query: { metadata: { plan: SECRET.plan } } }],
    ["customers.list", { query: { organization_id: ORG_B } }],
    ["customers.list", { query: { organization_id: [ORG_A, ORG_B] } }],
    ["members.create", { body: { customer_id: other.id, email: "intruder@tenant-a.example" } }],
    ["members.list", { query: { customer_id: other.id } }],
    ["members.get", { id: member.id }],
    ["members.update", { id: member.id, body: { role: "owner" } }],
    ["members.delete", { id: member.id }],
    ["subscriptions.create", { body: { customer_id: other.id, product_id: "p2" } }],
    ["subscriptions.update", { id: sub.id, body: { status: "canceled" } }],
    ["benefits.grant", { customer_id: other.id, body: { benefit_id: "b2", benefit_type: "custom" } }],
    ["benefits.revoke", { id: grant.id }],
    ["meters.record", { customer_id: other.id, body: { meter_id: "m1", consumed_units: 3 } }],
    ["snapshot.export", {}],
    ["snapshot.records", { ids: [other.id, member.id] }],
    ["snapshot.forget", { ids: [other.id] }],
    ["events.since", { after: 0 }],
    ["checkouts.complete", { body: buyer }],
    ["orders.create", { body: buyer }],
    ["subscriptions.create", { body: { customer: buyer, product_id: "p3" } }],
  ];
  // B's data in an answer; an error may echo the id it was given as "input", which is not a leak.
  const leaks = (value) => {
    const text = JSON.stringify(value ?? null).replace(/"input":"[^"]*"/g, "");
    return [SECRET.name, SECRET.member, SECRET.plan, other.id, member.id].filter((s) => text.includes(s));
  };
  let refused = 0;
  for (const [method, args] of CALLS) {
    const answer = await a.call(method, args).then((v) => ({ ok: v }), (e) => ({ error: e.body ?? e.message }));
    if (answer.error) refused++;
    assert.deepEqual(leaks(answer), [], `${method} ${JSON.stringify(args)} answered B's data`);
    assert.equal(b.exportSnapshot(), before, `${method} changed organization B`);
    assert.equal(JSON.stringify(b.events()), bEvents, `${method} emitted into organization B's log`);
  }
  assert.ok(refused >= 15, `${refused} calls refused`);
  // The buyer with B's email became A's own customer; B's record is untouched.
  const mine = await a.customers.list({ email: SECRET.email });
  assert.equal(mine.pagination.total_count, 1);
  assert.notEqual(mine.items[0].id, other.id);
  assert.equal(mine.items[0].organization_id, ORG_A);
});
