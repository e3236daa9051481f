// After an anonymization no copy of the customer's personal data that the package holds in JS survives:
// events buffered in a stream() not yet pulled, events waiting for listeners, and the buffers of another
// tab's instance that hears of the anonymization over the BroadcastChannel. Every scan is JSON.stringify
// of what a consumer gets after the anonymization.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDBFactory } from "fake-indexeddb";
import { Clientele, createHandler, loadCore } from "../../js/dist/runtime/node.js";

const PII = {
  email: "Event.Pii-Marker@Stream-Example.org",
  name: "Streamy Piimarker",
  billingName: "Streamy P. Billingmarker",
  line1: "12 Piimarker Lane",
  city: "Markerton",
  newName: "Streamy Renamedmarker",
  memberEmail: "Member.Pii@Stream-Example.org",
  memberName: "Membery Piimarker",
};

function assertNoPii(what, value) {
  const text = JSON.stringify(value).toLowerCase();
  for (const [field, pii] of Object.entries(PII)) assert.equal(text.includes(pii.toLowerCase()), false, `${field} (${pii}) in ${what}`);
}

/** A started stream (its listener is subscribed) and a way to read what it has buffered, then end it. */
async function startedStream(c) {
  const abort = new AbortController();
  const it = c.stream(abort.signal);
  const first = it.next();
  await c.customers.create({ email: `warmup-${Math.random()}@example.com` });
  assert.equal((await first).value.type, "customer.created");
  return {
    /** Everything the stream yields from now on until it has nothing more to give (then it ends). */
    async rest() {
      const got = [];
      for (;;) {
        const next = await Promise.race([it.next(), new Promise((resolve) => setTimeout(() => resolve("idle"), 100))]);
        if (next === "idle" || next.done) break;
        got.push(next.value);
      }
      abort.abort();
      await it.return();
      return got;
    },
  };
}

async function personalCustomer(c, extra = {}) {
  const x = await c.customers.create({
    type: "team",
    email: PII.email,
    name: PII.name,
    billingName: PII.billingName,
    billingAddress: { country: "FR", line1: PII.line1, city: PII.city },
    ...extra,
  });
  await c.customers.update({ id: x.id, customerUpdate: { name: PII.newName } });
  await c.members.create({ customerId: x.id, email: PII.memberEmail, name: PII.memberName });
  return x;
}

const ways = {
  "customers.delete by id": (c, x) => c.customers.delete({ id: x.id, anonymize: true }),
  "customers.deleteExternal": (c, x) => c.customers.deleteExternal({ externalId: x.external_id, anonymize: true }),
  "the edge handler's DELETE ?anonymize=true": async (c, x) => {
    const handler = createHandler(c, { tokens: { t: c.organizationId } });
    const res = await handler(new Request(`http://edge/v1/customers/${x.id}?anonymize=true`, { method: "DELETE", headers: { authorization: "Bearer t" } }));
    assert.equal(res.status, 204);
  },
  "anonymizing a customer already deleted": async (c, x) => {
    await c.customers.delete({ id: x.id });
    await c.customers.delete({ id: x.id, anonymize: true });
  },
};

for (const [way, anonymize] of Object.entries(ways))
  test(`a stream's events not yet pulled are redacted by an anonymization (${way})`, async () => {
    const c = await Clientele.open({ organizationId: `org-event-privacy-${way}` });
    const stream = await startedStream(c);
    const x = await personalCustomer(c, { externalId: `ext-${Math.random()}` });
    await anonymize(c, x);
    const got = await stream.rest();
    assertNoPii("the stream", got);
    const types = got.map((e) => e.type);
    assert.ok(types.includes("customer.created") && types.includes("customer.updated") && types.includes("member.created"), `buffered events are redacted, not lost: ${types}`);
    assert.ok(JSON.stringify(got).includes("@anonymized.invalid"));
    assertNoPii("events()", c.events());
    c.close();
  });

test("a persisted store's stream is redacted too", async () => {
  const c = await Clientele.open({ organizationId: "org-event-privacy-idb", persist: "indexeddb", indexedDB: new IDBFactory() });
  const stream = await startedStream(c);
  const x = await personalCustomer(c);
  await c.customers.delete({ id: x.id, anonymize: true });
  assertNoPii("the stream", await stream.rest());
  c.close();
});

for (const persist of ["memory", "indexeddb"])
  test(`events waiting for listeners are redacted when an anonymization overtakes them (${persist})`, async () => {
    const c = await Clientele.open({ organizationId: `org-event-privacy-listeners-${persist}`, persist, indexedDB: new IDBFactory() });
    const x = await personalCustomer(c);
    const late = [];
    // Whether the core has anonymized the customer when a listener hears an event: from then on no event
    // a listener hears may carry the personal data.
    const anonymized = () => !c.exportSnapshot().toLowerCase().includes(PII.email.toLowerCase());
    c.on("*", (event) => anonymized() && late.push(event));
    await Promise.all([
      c.customers.update({ id: x.id, customerUpdate: { billingName: "Another Piimarker Billing" } }),
      c.members.create({ customerId: x.id, email: "second.member@stream-example.org", name: "Second Piimarker" }),
      c.customers.delete({ id: x.id, anonymize: true }),
    ]);
    assert.ok(late.some((e) => e.type === "customer.deleted"), "the scan looked at events heard after the anonymization");
    assertNoPii("events heard after the anonymization", late);
    for (const pii of ["another piimarker billing", "second.member@stream-example.org", "second piimarker"])
      assert.equal(JSON.stringify(late).toLowerCase().includes(pii), false, pii);
    c.close();
  });

test("another tab's instance drops the personal data it buffered when it hears of the anonymization", async () => {
  const env = { organizationId: "org-event-privacy-tabs", persist: "indexeddb", indexedDB: new IDBFactory() };
  const a = await Clientele.open(env), b = await Clientele.open(env);
  const streamB = await startedStream(b);
  await new Promise((resolve) => a.onRemoteChange(resolve)); // the warm-up customer reached tab A
  const heardAll = new Promise((resolve) => {
    let n = 0;
    a.onRemoteChange(() => ++n === 3 && resolve()); // create, update, member
  });
  const x = await personalCustomer(b);
  await heardAll;
  assert.equal((await a.customers.get({ id: x.id })).name, PII.newName);
  const heard = new Promise((resolve) => b.onRemoteChange(resolve));
  await a.customers.delete({ id: x.id, anonymize: true });
  await heard;
  const got = await streamB.rest();
  assertNoPii("tab B's stream", got);
  assert.ok(got.some((e) => e.type === "customer.created"), "tab B's buffered events were redacted, not lost");
  assertNoPii("tab B's events()", b.events());
  assertNoPii("tab B's snapshot", b.exportSnapshot());
  assertNoPii("tab A's events()", a.events());
  // Both tabs' cores share this module: neither keeps the old bytes (tab B's log was redacted by its core).
  const heap = Buffer.from((await loadCore()).HEAPU8.buffer);
  for (const value of [PII.email, PII.newName, PII.billingName, PII.line1, PII.memberEmail])
    assert.equal(heap.indexOf(Buffer.from(value)), -1, `${value} in the WebAssembly heap`);
  a.close();
  b.close();
});
