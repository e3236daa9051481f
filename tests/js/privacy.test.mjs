// After anonymization no personal data survives anywhere the core keeps it: records, indexes,
// stored events, and freed memory (a scan of the whole WASM heap for the old bytes), the exported
// snapshot and the event log. IndexedDB is scanned in Chromium (tests/browser/indexeddb.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Clientele, loadCore } from "../../js/dist/runtime/node.js";

const PII = {
  email: "Zelda.Pii-Marker@Hyrule-Example.org",
  name: "Zelda Piimarker Hyrulian",
  billingName: "Zelda P. Hyrulian Billing",
  line1: "77 Piimarker Castle Road",
  city: "Piimarkerville",
};

function heapContains(module, text) {
  const heap = Buffer.from(module.HEAPU8.buffer, module.HEAPU8.byteOffset, module.HEAPU8.byteLength);
  return heap.indexOf(Buffer.from(text, "utf8")) !== -1 || heap.indexOf(Buffer.from(text.toLowerCase(), "utf8")) !== -1;
}

test("the old personal data is found nowhere in the WASM heap after anonymization", async () => {
  const module = await loadCore(); // the shared instance Clientele.open uses
  const c = await Clientele.open({ organizationId: "org-privacy" });
  const x = await c.customers.create({
    email: PII.email,
    name: PII.name,
    billingName: PII.billingName,
    billingAddress: { country: "FR", line1: PII.line1, city: PII.city },
    metadata: { segment: "vip" },
  });
  await c.customers.update({ id: x.id, customerUpdate: { metadata: { segment: "vip", touched: true } } });
  await c.customers.list({ query: "piimarker" });
  await c.customers.getState({ id: x.id });
  for (const value of Object.values(PII)) assert.ok(heapContains(module, value), `present before: ${value}`);

  await c.customers.delete({ id: x.id, anonymize: true });
  for (const value of Object.values(PII)) assert.equal(heapContains(module, value), false, `gone after: ${value}`);
  const kept = { snapshot: c.exportSnapshot().toLowerCase(), events: JSON.stringify(c.events()).toLowerCase() };
  for (const [where, text] of Object.entries(kept))
    for (const value of Object.values(PII)) assert.equal(text.includes(value.toLowerCase()), false, `${value} in the ${where}`);
  assert.ok(kept.snapshot.includes("@anonymized.invalid") && kept.events.includes("customer.deleted"), "the scans looked at the right data");
  assert.equal((await c.customers.list({ query: "piimarker" })).pagination.total_count, 0);
});

test("a refused import leaves none of its lines in the WASM heap", async () => {
  const module = await loadCore();
  const from = await Clientele.open({ organizationId: "org-refused-import" });
  await from.customers.create({ email: "Refused.Marker@Import-Example.org", name: "Refusedmarker Importperson" });
  const good = from.exportSnapshot();
  from.close();
  const to = await Clientele.open({ organizationId: "org-refused-import" });
  // The good line is read, checked and encoded before the broken one refuses the whole import.
  await assert.rejects(to.importSnapshot(`${good}{broken`));
  assert.equal((await to.customers.list()).pagination.total_count, 0);
  for (const value of ["Refused.Marker@Import-Example.org", "Refusedmarker Importperson"])
    assert.equal(heapContains(module, value), false, `gone: ${value}`);
});

// Short values (kept inline in C++ strings, so on the stack and in small-string buffers as well as the
// heap) are gone too: the scan covers every byte of the module's linear memory (heap, stack, static data).
test("short personal values are found nowhere in linear memory after anonymization", async () => {
  const module = await loadCore();
  const SHORT = { email: "q7@zx.io", name: "Qz7 Wx", billingName: "Wq7 Zx", line1: "7 Qzw St", city: "Zqx7" };
  const c = await Clientele.open({ organizationId: "org-privacy-short" });
  const x = await c.customers.create({
    email: SHORT.email,
    name: SHORT.name,
    billingName: SHORT.billingName,
    billingAddress: { country: "FR", line1: SHORT.line1, city: SHORT.city },
  });
  await c.customers.update({ id: x.id, customerUpdate: { metadata: { seen: 1 } } });
  await c.customers.list({ query: "qz7" });
  await c.customers.list({ email: SHORT.email });
  await c.customers.getState({ id: x.id });
  await c.customers.validate({ email: SHORT.email, name: SHORT.name });
  for (const value of Object.values(SHORT)) assert.ok(heapContains(module, value), `present before: ${value}`);

  await c.customers.delete({ id: x.id, anonymize: true });
  for (const value of Object.values(SHORT)) assert.equal(heapContains(module, value), false, `gone after: ${value}`);

  // A team's short member values, deleted by external id, and a snapshot round trip through an import.
  const MEMBER = { email: "m9@qz.io", name: "Mq9 Zx", ownerEmail: "o9@qz.io" };
  const team = await c.customers.create({ type: "team", name: "Tq9", externalId: "tq9x", owner: { email: MEMBER.ownerEmail } });
  await c.members.create({ customerId: team.id, email: MEMBER.email, name: MEMBER.name });
  const copy = await Clientele.open({ organizationId: "org-privacy-short" }); // a store of its own
  await copy.importSnapshot(c.exportSnapshot().split("\n").filter((l) => l.includes("tq9x")).join("\n"));
  for (const value of Object.values(MEMBER)) assert.ok(heapContains(module, value), `present before: ${value}`);
  await c.customers.deleteExternal({ externalId: "tq9x", anonymize: true });
  await copy.customers.delete({ id: team.id, anonymize: true });
  for (const value of Object.values(MEMBER)) assert.equal(heapContains(module, value), false, `gone after: ${value}`);
});
