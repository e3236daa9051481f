// The IndexedDB page layout against fake-indexeddb: a version-2 database (one object per customer) and a
// version-3 one (pages as strings) migrate to byte pages keeping every customer; an anonymization leaves
// the old data in no stored value of any store; two tabs appending at once keep both tabs' customers; a reopen after many changes in many batches
// loads exactly what memory held; and a reopen reads its pages in parts, reporting a damaged line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { Clientele, IndexedDbStore, SCHEMA_VERSION } from "../../js/dist/runtime/node.js";
import { asText } from "./fixtures/stored.mjs";

// As in a browser: with IDBKeyRange, a reopen reads its pages in parts (the other files' tests run without it).
globalThis.IDBKeyRange ??= IDBKeyRange;

let n = 0;
const fresh = () => ({ organizationId: `org-pages-${++n}`, persist: "indexeddb", indexedDB: new IDBFactory() });

const request = (req) => new Promise((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))));

/** Every value of every object store of the organization's database, as text (what a disk scan would find). */
async function everything(env) {
  const db = await request(env.indexedDB.open(IndexedDbStore.name(env.organizationId)));
  try {
    const out = [];
    for (const name of db.objectStoreNames) out.push(asText(await request(db.transaction(name).objectStore(name).getAll())));
    return out.join("\n");
  } finally {
    db.close();
  }
}

const sortedLines = (text) => text.trim().split("\n").filter(Boolean).sort();

/** `count` customers made in memory and exported (so a test can import many at once). */
async function snapshotOf(organizationId, count, tag = "bulk") {
  const source = await Clientele.open({ organizationId });
  await Promise.all(Array.from({ length: count }, (_, i) => source.customers.create({ email: `${tag}${i}@example.com`, name: `${tag} ${i}` })));
  const text = source.exportSnapshot();
  source.close();
  return text;
}

test("a version-2 database (one object per customer) migrates to pages: every customer kept, an unreadable one reported", async () => {
  const env = fresh();
  const lines = sortedLines(await snapshotOf(env.organizationId, 600, "v2-"));
  const records = lines.map((line) => JSON.parse(line));
  const [first, ...rest] = records;
  await new Promise((resolve, reject) => {
    const req = env.indexedDB.open(IndexedDbStore.name(env.organizationId), 2); // as version 2 of the package left it
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore("customers", { keyPath: "id" });
      req.result.createObjectStore("meta").put(2, "schema");
      store.put({ id: first.id, $v1_text: `\uFEFF${lines[0]}` }); // a version-1 text kept by version 2
      for (const record of rest) store.put(record);
      store.put({ id: "broken-1", unreadable: "{not json" });
    };
    req.onsuccess = () => (req.result.close(), resolve());
    req.onerror = () => reject(req.error);
  });
  const c = await Clientele.open(env);
  assert.equal(c.loadReport.imported, 600);
  assert.deepEqual(c.loadReport.failed.map((f) => f.id), ["broken-1"]);
  assert.deepEqual(sortedLines(c.exportSnapshot()), lines, "every customer as it was");
  c.close();
  const stores = await request(env.indexedDB.open(IndexedDbStore.name(env.organizationId)));
  assert.deepEqual([...stores.objectStoreNames], ["index", "meta", "pages"]);
  const pages = await request(stores.transaction("index").objectStore("index").getAll());
  stores.close();
  assert.ok(pages.length > 1, "more than one page");
  const again = await Clientele.open(env);
  assert.equal(again.loadReport.imported, 600, "migrated once, loaded again");
  again.close();
});


test("a version-3 database (pages as JSON Lines strings) migrates to byte pages: same keys and index, every customer kept, writes go on", async () => {
  const env = fresh();
  const lines = sortedLines(await snapshotOf(env.organizationId, 300, "v3-"));
  const ids = lines.map((line) => JSON.parse(line).id);
  const pages = [lines.slice(0, 200), lines.slice(200)];
  await new Promise((resolve, reject) => {
    const req = env.indexedDB.open(IndexedDbStore.name(env.organizationId), 3); // as version 3 of the package left it
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of ["pages", "index", "meta"]) db.createObjectStore(name);
      const tx = req.transaction;
      tx.objectStore("meta").put(3, "schema");
      pages.forEach((page, key) => {
        tx.objectStore("pages").put(page.join("\n"), key); // lines joined, no newline after the last
        tx.objectStore("index").put({ ids: page.map((line) => JSON.parse(line).id), v: `v3.${key}` }, key);
      });
    };
    req.onsuccess = () => (req.result.close(), resolve());
    req.onerror = () => reject(req.error);
  });
  const c = await Clientele.open(env);
  assert.equal(c.loadReport.imported, 300);
  assert.deepEqual(c.loadReport.failed, []);
  assert.deepEqual(sortedLines(c.exportSnapshot()), lines, "every customer as it was");
  await c.customers.update({ id: ids[250], customerUpdate: { name: "Renamed After Migration" } });
  c.close();
  const db = await request(env.indexedDB.open(IndexedDbStore.name(env.organizationId)));
  const stored = await request(db.transaction("pages").objectStore("pages").getAll());
  const schema = await request(db.transaction("meta").objectStore("meta").get("schema"));
  db.close();
  assert.equal(schema, SCHEMA_VERSION);
  assert.equal(stored.length, 2, "the same two pages");
  for (const page of stored) assert.ok(page instanceof Uint8Array, "each page is UTF-8 bytes now");
  assert.ok(asText(stored[1]).includes("Renamed After Migration"), "the write after the migration rewrote its page");
  const again = await Clientele.open(env);
  assert.equal(again.loadReport.imported, 300);
  assert.equal((await again.customers.get({ id: ids[250] })).name, "Renamed After Migration");
  again.close();
});
test("an anonymization rewrites the page holding the customer in its transaction: no stored value keeps the old data", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "Pia.Pagemarker@Private-Example.org", name: "Pia Pagemarker", billingAddress: { country: "DE", line1: "Seitenweg 7", city: "Blattstadt" } });
  await c.importSnapshot(await snapshotOf(env.organizationId, 700)); // x stays in the first page, others follow
  await c.customers.update({ id: x.id, customerUpdate: { name: "Pia P. Pagemarker" } });
  await c.members.create({ customerId: x.id, email: "pia.crew@private-example.org", name: "Crew Pagemarker" }).catch(() => undefined);
  const before = (await everything(env)).toLowerCase();
  assert.ok(before.includes("pagemarker"), "the scan sees stored customers");
  // The anonymization shares its batch with other changes, behind a batch still in flight.
  const others = Array.from({ length: 20 }, (_, i) => c.customers.create({ email: `late${i}@example.com` }));
  await new Promise((resolve) => setImmediate(resolve));
  const anonymized = c.customers.delete({ id: x.id, anonymize: true });
  const more = c.customers.create({ email: "same-turn@example.com" });
  await Promise.all([...others, anonymized, more]);
  const after = (await everything(env)).toLowerCase();
  for (const pii of ["pia.pagemarker", "private-example", "pagemarker", "seitenweg", "blattstadt"]) assert.ok(!after.includes(pii), pii);
  assert.ok(after.includes("anonymized.invalid"));
  const reopened = await Clientele.open(env);
  assert.deepEqual(sortedLines(reopened.exportSnapshot()), sortedLines(c.exportSnapshot()));
  reopened.close();
  c.close();
});

test("two tabs appending in the same turns keep both tabs' customers: a page another tab wrote is read and merged", async () => {
  const env = fresh();
  const a = await Clientele.open(env);
  const b = await Clientele.open(env);
  const made = [];
  for (let round = 0; round < 5; ++round)
    made.push(
      ...(await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => a.customers.create({ email: `a${round}-${i}@example.com` })),
        ...Array.from({ length: 40 }, (_, i) => b.customers.create({ email: `b${round}-${i}@example.com` })),
      ])),
    );
  // Both tabs change customers in the same pages in the same turn.
  await Promise.all([a.customers.update({ id: made[0].id, customerUpdate: { name: "From A" } }), b.customers.update({ id: made[1].id, customerUpdate: { name: "From B" } })]);
  const reopened = await Clientele.open(env);
  assert.deepEqual(reopened.loadReport.failed, []);
  assert.equal(reopened.loadReport.imported, 400, "no customer lost, none twice");
  assert.equal((await reopened.customers.get({ id: made[0].id })).name, "From A");
  assert.equal((await reopened.customers.get({ id: made[1].id })).name, "From B");
  reopened.close();
  // Each tab loads the other's changes from the notices.
  for (let i = 0; i < 50 && (await a.customers.list()).pagination.total_count < 400; ++i) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal((await a.customers.list()).pagination.total_count, 400);
  assert.equal((await a.customers.get({ id: made[1].id })).name, "From B");
  a.close();
  b.close();
});

test("a reopen after many changes in many batches loads exactly what memory held", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  let seed = 7;
  const random = (k) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
  const ids = [];
  for (let batch = 0; batch < 30; ++batch) {
    const calls = [];
    for (let i = 0; i < 1 + random(40); ++i) {
      const id = ids.length ? ids[random(ids.length)] : undefined;
      const pick = random(10);
      if (!id || pick < 4) calls.push(c.customers.create({ email: `r${batch}-${i}@example.com`, name: `R ${batch} ${i}`, metadata: { batch } }).then((x) => ids.push(x.id)));
      else if (pick < 7) calls.push(c.customers.update({ id, customerUpdate: { name: `Renamed ${batch} ${i}` } }));
      else if (pick < 8) calls.push(c.members.create({ customerId: id, email: `m${batch}-${i}@example.com` }));
      else if (pick < 9) calls.push(c.customers.delete({ id }));
      else calls.push(c.customers.delete({ id, anonymize: true }));
    }
    await Promise.allSettled(calls); // some refuse (a deleted customer, a member of an individual): they write nothing
  }
  const memory = c.exportSnapshot();
  c.close();
  const reopened = await Clientele.open(env);
  assert.deepEqual(reopened.loadReport.failed, []);
  assert.deepEqual(sortedLines(reopened.exportSnapshot()), sortedLines(memory));
  reopened.close();
});

test("a reopen reads the pages in parts while the core loads them: every customer, an unreadable line in a late part reported with its customer and its line over all parts", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  await c.importSnapshot(await snapshotOf(env.organizationId, 9000, "parts-")); // more pages than one part holds
  const memory = c.exportSnapshot();
  c.close();
  // Page 34 (in the second part) gets an unreadable first line, as a damaged disk might leave it.
  const db = await request(env.indexedDB.open(IndexedDbStore.name(env.organizationId)));
  const keys = await request(db.transaction("index").objectStore("index").getAllKeys());
  assert.ok(keys.length > 33, `${keys.length} pages`);
  const before = (await request(db.transaction("index").objectStore("index").getAll())).slice(0, 34).reduce((n, page) => n + page.ids.length, 0);
  const [entry, bytes] = await Promise.all([request(db.transaction("index").objectStore("index").get(34)), request(db.transaction("pages").objectStore("pages").get(34))]);
  const text = new TextDecoder().decode(bytes);
  const tx = db.transaction("pages", "readwrite");
  tx.objectStore("pages").put(new TextEncoder().encode(`{"id": "damaged\n${text.slice(text.indexOf("\n") + 1)}`), 34);
  await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
  db.close();
  const reopened = await Clientele.open(env);
  assert.equal(reopened.loadReport.imported, 8999);
  assert.equal(reopened.loadReport.failed.length, 1);
  assert.equal(reopened.loadReport.failed[0].id, entry.ids[0], "the customer of the damaged line");
  assert.deepEqual(reopened.loadReport.failed[0].detail[0].loc, ["line", before + 1], "its line counted over every part");
  const lost = JSON.stringify(entry.ids[0]);
  assert.deepEqual(sortedLines(reopened.exportSnapshot()), sortedLines(memory).filter((line) => !line.includes(lost)));
  reopened.close();
});

test("a database of many small pages (more parts than the part sizes double through) loads every customer", async () => {
  const env = fresh();
  const lines = sortedLines(await snapshotOf(env.organizationId, 1000, "tiny-"));
  await new Promise((resolve, reject) => {
    const req = env.indexedDB.open(IndexedDbStore.name(env.organizationId), SCHEMA_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of ["pages", "index", "meta"]) db.createObjectStore(name);
      const tx = req.transaction;
      tx.objectStore("meta").put(SCHEMA_VERSION, "schema");
      lines.forEach((line, key) => { // one customer a page, as many writers' small pages might leave them
        tx.objectStore("pages").put(new TextEncoder().encode(`${line}\n`), key);
        tx.objectStore("index").put({ ids: [JSON.parse(line).id], v: `tiny.${key}` }, key);
      });
    };
    req.onsuccess = () => (req.result.close(), resolve());
    req.onerror = () => reject(req.error);
  });
  const c = await Clientele.open(env);
  assert.deepEqual(c.loadReport, { imported: 1000, failed: [] });
  assert.deepEqual(sortedLines(c.exportSnapshot()), lines);
  c.close();
});
