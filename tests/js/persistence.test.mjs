// IndexedDB persistence against fake-indexeddb: reload gives the same data, refused changes write
// nothing, migrations, unreadable records reported, two tabs in sync, failed writes undone in memory,
// and anonymization leaves no personal data in any stored record.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDBFactory } from "fake-indexeddb";
import { Clientele, IndexedDbStore, PersistenceError, ValidationError, SCHEMA_VERSION } from "../../js/dist/runtime/node.js";
import { loadedRecords } from "./fixtures/stored.mjs";

let n = 0;
const fresh = () => ({ organizationId: `org-persist-${++n}`, factory: new IDBFactory() });
const open = ({ organizationId, factory }) => Clientele.open({ organizationId, persist: "indexeddb", indexedDB: factory });

/** Every stored customer record, page after page (each line parsed here, by the test). */
async function stored(env) {
  const db = await IndexedDbStore.open(env.organizationId, env.factory);
  try {
    return await loadedRecords(db);
  } finally {
    db.close();
  }
}

test("what is written survives a reload: customers, members, subscriptions", async () => {
  const env = fresh();
  const a = await open(env);
  const team = await a.customers.create({ type: "team", email: "team@acme.io", name: "Acme", metadata: { plan: "pro" } });
  await a.members.create({ customerId: team.id, email: "dev@acme.io" });
  await a.call("subscriptions.create", { body: { customer_id: team.id, product_id: "p", seats: 3 } });
  await a.customers.update({ id: team.id, customerUpdate: { name: "Acme Inc" } });
  const before = a.exportSnapshot();
  a.close();
  const b = await open(env);
  assert.deepEqual(b.loadReport, { imported: 1, failed: [] });
  assert.equal(b.exportSnapshot(), before);
  assert.equal((await b.customers.getState({ id: team.id })).active_subscriptions.length, 1);
  assert.equal((await b.members.list({ customerId: team.id })).items.length, 2);
  b.close();
});

test("a change the core refuses writes nothing", async () => {
  const env = fresh();
  const c = await open(env);
  const x = await c.customers.create({ email: "a@example.com", billingAddress: { country: "FR" } });
  const before = JSON.stringify(await stored(env));
  await assert.rejects(c.customers.update({ id: x.id, customerUpdate: { billingAddress: null, name: "Changed" } }), ValidationError);
  await assert.rejects(c.customers.create({ email: "A@example.com" }), ValidationError);
  assert.equal(JSON.stringify(await stored(env)), before);
  c.close();
});

test("the schema version is stored and a version-1 database is migrated; unreadable records are reported", async () => {
  const env = fresh();
  const source = await Clientele.open({ organizationId: env.organizationId });
  const x = await source.customers.create({ email: "old@example.com", name: "Old Layout" });
  const line = source.exportSnapshot().trim();
  await new Promise((resolve, reject) => {  // a database as version 1 of the package left it
    const req = env.factory.open(IndexedDbStore.name(env.organizationId), 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore("records", { keyPath: "id" });
      store.put({ id: x.id, text: line });
      store.put({ id: "broken-1", text: "{not json" });
    };
    req.onsuccess = () => (req.result.close(), resolve());
    req.onerror = () => reject(req.error);
  });
  const c = await open(env);
  assert.equal(c.loadReport.imported, 1);
  assert.equal(c.loadReport.failed.length, 1);
  assert.equal(c.loadReport.failed[0].id, "broken-1");
  assert.equal((await c.customers.get({ id: x.id })).name, "Old Layout");
  c.close();
  const version = await new Promise((resolve) => {
    const req = env.factory.open(IndexedDbStore.name(env.organizationId));
    req.onsuccess = () => {
      const db = req.result;
      const get = db.transaction("meta").objectStore("meta").get("schema");
      get.onsuccess = () => (db.close(), resolve({ db: db.version, stored: get.result, stores: [...db.objectStoreNames] }));
    };
  });
  assert.deepEqual(version, { db: SCHEMA_VERSION, stored: SCHEMA_VERSION, stores: ["index", "meta", "pages"] });
});

test("two tabs on one database see each other's changes without losing either's writes", async () => {
  const env = fresh();
  const a = await open(env), b = await open(env);
  const synced = new Promise((resolve) => b.onRemoteChange(resolve));
  const x = await a.customers.create({ email: "from-a@example.com" });
  await synced;
  assert.equal((await b.customers.get({ id: x.id })).email, "from-a@example.com");
  const y = await b.customers.create({ email: "from-b@example.com" });
  await new Promise((resolve) => a.onRemoteChange(resolve));
  assert.equal((await a.customers.list()).pagination.total_count, 2);
  assert.equal((await stored(env)).length, 2);
  assert.ok((await a.customers.get({ id: y.id })).email);
  a.close();
  b.close();
});

test("a failed IndexedDB write surfaces as an error and memory goes back to what disk holds", async () => {
  const env = fresh();
  const c = await open(env);
  const x = await c.customers.create({ email: "keep@example.com", name: "Kept" });
  // Make the next transaction fail as a full disk would.
  const probe = await IndexedDbStore.open(env.organizationId, env.factory);
  const db = probe["db"];
  const proto = Object.getPrototypeOf(db.transaction("pages", "readwrite").objectStore("pages"));
  probe.close();
  const put = proto.put;
  let failures = 2;
  proto.put = function (...args) {
    if (failures-- > 0) throw new DOMException("quota exceeded", "QuotaExceededError");
    return put.apply(this, args);
  };
  try {
    await assert.rejects(c.customers.create({ email: "lost@example.com" }), PersistenceError);
    await assert.rejects(c.customers.update({ id: x.id, customerUpdate: { name: "Not Kept" } }), PersistenceError);
  } finally {
    proto.put = put;
  }
  assert.equal((await c.customers.list({ query: "lost" })).pagination.total_count, 0, "the create was undone");
  assert.equal((await c.customers.get({ id: x.id })).name, "Kept", "the update was undone");
  const disk = await stored(env);
  assert.deepEqual(disk.map((r) => r.name), ["Kept"]);
  await c.customers.create({ email: "lost@example.com" });  // and the email is free again
  c.close();
});

test("anonymization rewrites the stored record: no personal data in any IndexedDB record", async () => {
  const env = fresh();
  const c = await open(env);
  const x = await c.customers.create({ email: "Secret.Person@Private-Example.org", name: "Secret Personname", billingAddress: { country: "DE", line1: "Geheimstrasse 9", city: "Verborgen" } });
  await c.customers.update({ id: x.id, customerUpdate: { name: "Secret P. Personname" } });
  await c.customers.delete({ id: x.id, anonymize: true });
  const text = JSON.stringify(await stored(env)).toLowerCase();
  for (const pii of ["secret.person", "private-example", "personname", "geheimstrasse", "verborgen"]) assert.ok(!text.includes(pii), pii);
  assert.ok(text.includes("anonymized.invalid"));
  c.close();
});

test("snapshots: export and import as JSON Lines, all or nothing", async () => {
  const env = fresh();
  const a = await Clientele.open({ organizationId: env.organizationId });
  for (const email of ["x@example.com", "y@example.com"]) await a.customers.create({ email });
  const b = await open(env);
  assert.equal(await b.importSnapshot(a.exportSnapshot()), 2);
  assert.equal((await stored(env)).length, 2, "one batch written through");
  await assert.rejects(b.importSnapshot(a.exportSnapshot()), ValidationError, "ids taken: nothing imported");
  assert.equal((await b.customers.list()).pagination.total_count, 2);
  b.close();
});

test("an import is written through by the ids the core reports: lines the core reads (BOM, trailing NUL, CRLF) survive a reload", async () => {
  const env = fresh();
  const source = await Clientele.open({ organizationId: env.organizationId });
  for (const email of ["bom@example.com", "nul@example.com", "crlf@example.com"]) await source.customers.create({ email });
  const [first, second, third] = source.exportSnapshot().trim().split("\n");
  // JSON.parse refuses all but the last of these lines; the core reads them all.
  const jsonl = `\uFEFF${first}\n${second}\u0000\n\n${third}\r\n`;
  const b = await open(env);
  assert.equal(await b.importSnapshot(jsonl), 3);
  assert.equal((await stored(env)).length, 3, "every loaded customer written through");
  const lines = (client) => client.exportSnapshot().trim().split("\n").sort();  // reloaded in key order
  const before = lines(b);
  b.close();
  const c = await open(env);
  assert.deepEqual(c.loadReport, { imported: 3, failed: [] });
  assert.deepEqual(lines(c), before);
  c.close();
});

test("an import writes the lines the core answers with it; a change of an imported customer in the same turn is what storage keeps", async () => {
  const env = fresh();
  const source = await Clientele.open({ organizationId: env.organizationId });
  const x = await source.customers.create({ email: "turn@example.com", name: "Before", metadata: { plan: "pro" } });
  await source.customers.create({ email: "other@example.com", name: "Other" });
  const text = source.exportSnapshot();
  source.close();
  const c = await open(env);
  // Given with its members reordered: storage gets the line as the core writes it, not as given.
  const reordered = text.trim().split("\n").map((line) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line)).reverse()))).join("\n");
  const imported = c.importSnapshot(reordered);
  const updated = c.customers.update({ id: x.id, customerUpdate: { name: "After" } });
  await Promise.all([imported, updated]);
  const disk = await stored(env);
  assert.deepEqual(disk.map((r) => r.name).sort(), ["After", "Other"]);
  assert.deepEqual(disk.map((r) => JSON.stringify(r)).sort(), c.exportSnapshot().trim().split("\n").sort(), "as the core writes them");
  c.close();
});

test("a snapshot given as UTF-8 bytes is imported and written through like text", async () => {
  const env = fresh();
  const source = await Clientele.open({ organizationId: env.organizationId });
  for (const name of ["Zoë Ångström", "北京 客户", "Олег"]) await source.customers.create({ email: `${name.length}.${name.charCodeAt(0)}@example.com`, name });
  const text = source.exportSnapshot();
  source.close();
  const c = await open(env);
  assert.equal(await c.importSnapshot(new TextEncoder().encode(text)), 3);
  c.close();
  const again = await open(env);
  assert.deepEqual(again.loadReport, { imported: 3, failed: [] });
  assert.equal(again.exportSnapshot(), text);
  again.close();
});

test("a version-1 record goes to the core as its text: a line JSON.parse refuses but the core reads loads", async () => {
  const env = fresh();
  const source = await Clientele.open({ organizationId: env.organizationId });
  const x = await source.customers.create({ email: "bom-v1@example.com", name: "Byte Order" });
  const line = source.exportSnapshot().trim();
  await new Promise((resolve, reject) => {
    const req = env.factory.open(IndexedDbStore.name(env.organizationId), 1);
    req.onupgradeneeded = () => req.result.createObjectStore("records", { keyPath: "id" }).put({ id: x.id, text: `\uFEFF${line}` });
    req.onsuccess = () => (req.result.close(), resolve());
    req.onerror = () => reject(req.error);
  });
  const c = await open(env);
  assert.deepEqual(c.loadReport, { imported: 1, failed: [] });
  assert.equal((await c.customers.get({ id: x.id })).name, "Byte Order");
  await c.customers.update({ id: x.id, customerUpdate: { name: "Rewritten" } });
  const [record] = await stored(env);
  assert.equal(record.name, "Rewritten", "a change stores the record structured");
  c.close();
});
