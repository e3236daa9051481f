// Two Chromium pages on one IndexedDB database, with the real BroadcastChannel: events the second page
// buffered in a stream are redacted when the first anonymizes the customer; and a failed write with a
// create of the old email in the same turn (one transaction) leaves memory and IndexedDB in agreement.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./browser.mjs";

async function openPage(b, org) {
  const page = await b.context.newPage();
  await page.goto(`${b.base}/js/package.json`); // any same-origin document
  await page.evaluate(async (org) => {
    const { Clientele } = await import("/js/dist/runtime/browser.js");
    window.c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
  }, org);
  return page;
}

const PII = ["Tabby.Persona@Tab-Example.se", "Tabby Personamarker", "Tabgatan 3", "Tabstad", "Crewmarker@Tab-Example.se"];

test("Chromium: a stream in another tab holds no personal data once the tab hears of the anonymization", async () => {
  const b = await launch();
  try {
    const org = "0e0e0e0e-0000-4000-8000-0000000tabs1";
    const one = await openPage(b, org), two = await openPage(b, org);
    const heardByOne = one.evaluate(() => new Promise((ok) => { let n = 0; c.onRemoteChange(() => ++n === 2 && ok()); }));
    const id = await two.evaluate(async (PII) => {
      window.abort = new AbortController();
      window.it = c.stream(abort.signal);
      const first = it.next();
      await c.customers.create({ email: "warmup@tab-example.se" });
      await first;
      const x = await c.customers.create({ type: "team", email: PII[0], name: PII[1], billingAddress: { country: "SE", line1: PII[2], city: PII[3] } });
      await c.members.create({ customerId: x.id, email: PII[4] });
      return x.id;
    }, PII);
    await heardByOne;
    const heardByTwo = two.evaluate(() => new Promise((ok) => c.onRemoteChange(ok)));
    await one.evaluate((id) => c.customers.delete({ id, anonymize: true }), id);
    await heardByTwo;
    const got = await two.evaluate(async () => {
      const out = [];
      for (;;) {
        const next = await Promise.race([it.next(), new Promise((ok) => setTimeout(() => ok("idle"), 200))]);
        if (next === "idle" || next.done) break;
        out.push(next.value);
      }
      abort.abort();
      return { stream: JSON.stringify(out), events: JSON.stringify(c.events()), types: out.map((e) => e.type) };
    });
    for (const pii of PII)
      for (const where of ["stream", "events"]) assert.ok(!got[where].toLowerCase().includes(pii.toLowerCase()), `${pii} in tab two's ${where}`);
    assert.ok(got.types.includes("customer.created"), `redacted, not lost: ${got.types}`);
  } finally {
    await b.close();
  }
});

test("Chromium: a failed email update with a create of the old email in the same turn: memory and IndexedDB agree after reopen", async () => {
  const b = await launch();
  try {
    const org = "0e0e0e0e-0000-4000-8000-0000000tabs2";
    const page = await openPage(b, org);
    const result = await page.evaluate(async (org) => {
      const x = await c.customers.create({ email: "old@tab-example.se", name: "Xavier" });
      const put = IDBObjectStore.prototype.put;
      let fail = 1;
      IDBObjectStore.prototype.put = function (...args) {
        if (fail-- > 0) throw new DOMException("quota exceeded", "QuotaExceededError");
        return put.apply(this, args);
      };
      const settled = await Promise.allSettled([
        c.customers.update({ id: x.id, customerUpdate: { email: "new@tab-example.se" } }),
        c.customers.create({ email: "old@tab-example.se", name: "Yvonne" }),
      ]);
      IDBObjectStore.prototype.put = put;
      const memory = c.exportSnapshot().trim().split("\n").sort();
      c.close();
      const { Clientele, PersistenceError } = await import("/js/dist/runtime/browser.js");
      const again = await Clientele.open({ organizationId: org, persist: "indexeddb" });
      const out = { settled: settled.map((s) => s.status === "fulfilled" ? "ok" : s.reason instanceof PersistenceError ? "PersistenceError" : String(s.reason)), memory, disk: again.exportSnapshot().trim().split("\n").sort(), failed: again.loadReport.failed };
      again.close();
      return out;
    }, org);
    // One turn, one transaction: the create builds on the update in the same batch, and both are undone.
    assert.deepEqual(result.settled, ["PersistenceError", "PersistenceError"]);
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.disk, result.memory);
  } finally {
    await b.close();
  }
});
