// IndexedDB in real Chromium: write -> reload -> same data; two pages on one database at once; after
// anonymization the old personal data is in no IndexedDB record at all, also with many customers in many
// storage pages and the anonymization in a batch of other changes; and a version-2 database (one object
// per customer) migrates to pages keeping every customer.
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
        const decoder = new TextDecoder(); // pages are UTF-8 bytes: decoded so the scan sees their text
        out.push(JSON.stringify(all, (_key, v) => (v instanceof Uint8Array ? decoder.decode(v) : v)));
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

test("Chromium: many customers in many storage pages, written a turn at a time: anonymization leaves nothing, a reopen loads what memory held", async () => {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`${b.base}/js/package.json`);
    const result = await page.evaluate(async () => {
      const { Clientele } = await import("/js/dist/runtime/browser.js");
      const org = "0e0e0e0e-0000-4000-8000-00000000idb2";
      const source = await Clientele.open({ organizationId: org });
      await Promise.all(Array.from({ length: 1500 }, (_, i) => source.customers.create({ email: `bulk${i}@example.com`, name: `Bulk ${i}` })));
      const snapshot = source.exportSnapshot();
      source.close();
      let c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
      const x = await c.customers.create({ email: "Oskar.Seitenmarker@Hidden-Example.no", name: "Oskar Seitenmarker", billingAddress: { country: "NO", line1: "Sidegata 4", city: "Skjultby" } });
      await c.importSnapshot(snapshot);
      const created = await Promise.all(Array.from({ length: 500 }, (_, i) => c.customers.create({ email: `turn${i}@example.com` })));
      await Promise.all(created.slice(0, 100).map((y, i) => c.customers.update({ id: y.id, customerUpdate: { name: `Updated ${i}` } })));
      await Promise.all([c.customers.delete({ id: x.id, anonymize: true }), c.customers.create({ email: "same-turn@example.com" }), c.customers.delete({ id: created[7].id })]);
      const memory = c.exportSnapshot();
      c.close();
      c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
      const reopened = { export: c.exportSnapshot(), failed: c.loadReport.failed, imported: c.loadReport.imported };
      c.close();
      const db = await new Promise((ok, ko) => Object.assign(indexedDB.open(`clientele:${org}`), { onsuccess: (e) => ok(e.target.result), onerror: ko }));
      const pages = await new Promise((ok) => (db.transaction("index").objectStore("index").count().onsuccess = (e) => ok(e.target.result)));
      db.close();
      return { memory, reopened, pages };
    });
    assert.ok(result.pages > 4, `customers spread over ${result.pages} pages`);
    assert.deepEqual(result.reopened.failed, []);
    assert.equal(result.reopened.imported, 2002);
    const sorted = (text) => text.trim().split("\n").sort();
    assert.deepEqual(sorted(result.reopened.export), sorted(result.memory));
    const stored = (await everything(page)).toLowerCase();
    for (const pii of ["oskar.seitenmarker", "hidden-example", "seitenmarker", "sidegata", "skjultby"]) assert.ok(!stored.includes(pii), pii);
    assert.ok(stored.includes("anonymized.invalid"), "the scan reads the stored pages");
  } finally {
    await b.close();
  }
});

test("Chromium: a version-2 database (one object per customer) migrates to pages, every customer kept", async () => {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`${b.base}/js/package.json`);
    const result = await page.evaluate(async () => {
      const { Clientele } = await import("/js/dist/runtime/browser.js");
      const org = "0e0e0e0e-0000-4000-8000-00000000idb3";
      const source = await Clientele.open({ organizationId: org });
      await Promise.all(Array.from({ length: 700 }, (_, i) => source.customers.create({ email: `old${i}@example.com`, name: `Old ${i}` })));
      const lines = source.exportSnapshot().trim().split("\n");
      source.close();
      await new Promise((ok, ko) => {
        const req = indexedDB.open(`clientele:${org}`, 2);
        req.onupgradeneeded = () => {
          const store = req.result.createObjectStore("customers", { keyPath: "id" });
          req.result.createObjectStore("meta").put(2, "schema");
          for (const line of lines) store.put(JSON.parse(line));
        };
        req.onsuccess = () => (req.result.close(), ok());
        req.onerror = ko;
      });
      const c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
      const out = { lines, loaded: c.exportSnapshot().trim().split("\n"), report: c.loadReport };
      c.close();
      return out;
    });
    assert.deepEqual(result.report, { imported: 700, failed: [] });
    assert.deepEqual(result.loaded.sort(), result.lines.sort());
  } finally {
    await b.close();
  }
});
