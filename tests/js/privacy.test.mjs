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
