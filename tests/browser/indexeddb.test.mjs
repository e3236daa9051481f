// IndexedDB in real Chromium: write -> reload -> same data; two pages on one database at once; and
// after anonymization the old personal data is in no IndexedDB record at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./browser.mjs";

const ORG = "0e0e0e0e-0000-4000-8000-00000000idb1";

async function openPage(b) {
  const page = await b.context.newPage();
  await page.goto(`${b.base}/js/package.json`); // any same-origin document
  await page.evaluate(async (org) => {
    const { Clientele } = await import("/js/dist/runtime/browser.js");
    window.c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
  }, ORG);
  return page;
}

// Every record of every object store of every database of this origin, as text.
const everything = (page) =>
  page.evaluate(async () => {
    const out = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, ko) => Object.assign(indexedDB.open(name), { onsuccess: (e) => ok(e.target.result), onerror: ko }));
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => (db.transaction(store).objectStore(store).getAll().onsuccess = (e) => ok(e.target.result)));
        out.push(JSON.stringify(all));
      }
      db.close();
    }
    return out.join("\n");
  });

test("Chromium: reload keeps the data, two pages stay in sync, anonymization leaves nothing in IndexedDB", async () => {
  const b = await launch();
  try {
    const one = await openPage(b);
    const id = await one.evaluate(async () => {
      const x = await c.customers.create({ type: "team", email: "Ingrid.Persona@Fjord-Example.no", name: "Ingrid Persona", billingAddress: { country: "NO", line1: "Fjordveien 12", city: "Bergen" } });
      await c.members.create({ customerId: x.id, email: "crew@fjord-example.no" });
      return x.id;
    });
    await one.reload();
    await one.evaluate(async (org) => {
      const { Clientele } = await import("/js/dist/runtime/browser.js");
      window.c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
    }, ORG);
    const reloaded = await one.evaluate(async (id) => ({ c: await c.customers.get({ id }), m: (await c.members.list({ customerId: id })).items.length }), id);
    assert.equal(reloaded.c.name, "Ingrid Persona");
    assert.equal(reloaded.m, 2);

    const two = await openPage(b);
    const seen = two.evaluate(() => new Promise((ok) => c.onRemoteChange(ok)));
    await one.evaluate(() => c.customers.create({ email: "from-one@example.no" }));
    await seen;
    assert.equal(await two.evaluate(async () => (await c.customers.list({ query: "from-one" })).pagination.total_count), 1);
    const back = one.evaluate(() => new Promise((ok) => c.onRemoteChange(ok)));
    await two.evaluate(() => c.customers.create({ email: "from-two@example.no" }));
    await back;
    assert.equal(await one.evaluate(async () => (await c.customers.list()).pagination.total_count), 3, "neither page lost a write");

    const before = await everything(one);
    assert.match(before, /Ingrid\.Persona@fjord-example\.no/);
    await one.evaluate((id) => c.customers.delete({ id, anonymize: true }), id);
    const after = (await everything(one)).toLowerCase();
    for (const pii of ["ingrid.persona", "ingrid persona", "fjordveien", "bergen", "crew@fjord"]) assert.ok(!after.includes(pii), pii);
  } finally {
    await b.close();
  }
});
