// IndexedDB write-through is serialized per store: one organization's changes apply and commit in call
// order, so a failed write is undone exactly (nothing later was built on it) and memory and disk agree
// afterwards, as a reopen shows (nothing in loadReport.failed, the same snapshot).
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDBFactory } from "fake-indexeddb";
import { Clientele, IndexedDbStore, PersistenceError, ValidationError } from "../../js/dist/runtime/node.js";

let n = 0;
const fresh = () => ({ organizationId: `org-write-order-${++n}`, persist: "indexeddb", indexedDB: new IDBFactory() });

async function stored(env) {
  const db = await IndexedDbStore.open(env.organizationId, env.indexedDB);
  try {
    return await db.readAll();
  } finally {
    db.close();
  }
}

/** Makes the next `count` puts into fake-indexeddb throw QuotaExceededError; answers the undo. */
async function failPuts(env, count) {
  const probe = await IndexedDbStore.open(env.organizationId, env.indexedDB);
  const proto = Object.getPrototypeOf(probe["db"].transaction("customers", "readwrite").objectStore("customers"));
  probe.close();
  const put = proto.put;
  proto.put = function (...args) {
    if (count-- > 0) throw new DOMException("quota exceeded", "QuotaExceededError");
    return put.apply(this, args);
  };
  return () => (proto.put = put);
}

/** Memory and disk hold the same records, and a reopen loads every one of them. */
async function assertConsistent(env, c) {
  const memory = c.exportSnapshot();
  const disk = await stored(env);
  const ids = disk.map((r) => r.id).sort();
  assert.deepEqual(
    memory.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line).id).sort(),
    ids,
    "memory and disk hold the same customers",
  );
  const records = await c.call("snapshot.records", { ids });
  assert.deepEqual(
    Object.fromEntries(records.map((r) => [r.id, r])),
    Object.fromEntries(disk.map((r) => [r.id, r])),
    "memory and disk hold the same records",
  );
  const reopened = await Clientele.open(env);
  try {
    assert.deepEqual(reopened.loadReport.failed, []);
    const lines = (text) => text.trim().split("\n").sort();
    assert.deepEqual(lines(reopened.exportSnapshot()), lines(memory), "a reopen loads what memory holds");
  } finally {
    reopened.close();
  }
}

test("an email update that fails to write, with a create of the old email right behind it: memory and disk agree", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "old@example.com", name: "Xavier" });
  const restore = await failPuts(env, 1);
  let update, create;
  try {
    update = c.customers.update({ id: x.id, customerUpdate: { email: "new@example.com" } });
    create = c.customers.create({ email: "old@example.com", name: "Yvonne" });
    await Promise.allSettled([update, create]);
  } finally {
    restore();
  }
  await assert.rejects(update, PersistenceError);
  await assertConsistent(env, c);
  // The create applies after the update was undone: the old email is Xavier's again, so it is taken.
  await assert.rejects(create, ValidationError);
  assert.equal((await c.customers.get({ id: x.id })).email, "old@example.com", "the update was undone exactly");
  // The handle stays writable: the undo was exact.
  const y = await c.customers.create({ email: "new@example.com", name: "Yvonne" });
  assert.equal(y.email, "new@example.com");
  await assertConsistent(env, c);
  c.close();
});

test("the same interleaving when the update is written: the create of the freed email stands", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "old@example.com", name: "Xavier" });
  const [updated, created] = await Promise.all([
    c.customers.update({ id: x.id, customerUpdate: { email: "new@example.com" } }),
    c.customers.create({ email: "old@example.com", name: "Yvonne" }),
  ]);
  assert.equal(updated.email, "new@example.com");
  assert.equal(created.email, "old@example.com");
  await assertConsistent(env, c);
  c.close();
});

test("a failed write among concurrent ones is undone exactly; the others stand, in call order", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "x@example.com", name: "X0" });
  const y = await c.customers.create({ email: "y@example.com", name: "Y0" });
  const restore = await failPuts(env, 0);
  const calls = [];
  try {
    calls.push(c.customers.update({ id: y.id, customerUpdate: { name: "Y1" } }));
    restore();
    const again = await failPuts(env, 1); // the next write after Y1's fails: X1's
    calls.push(c.customers.update({ id: x.id, customerUpdate: { name: "X1" } }));
    calls.push(c.customers.update({ id: y.id, customerUpdate: { name: "Y2" } }));
    calls.push(c.customers.update({ id: x.id, customerUpdate: { name: "X2", email: "x2@example.com" } }));
    const results = await Promise.allSettled(calls);
    again();
    assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    assert.ok(results[1].reason instanceof PersistenceError);
  } finally {
    restore();
  }
  assert.equal((await c.customers.get({ id: x.id })).name, "X2");
  assert.equal((await c.customers.get({ id: y.id })).name, "Y2");
  await assertConsistent(env, c);
  c.close();
});

test("many changes in flight at once commit in call order: disk ends as memory does", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "x@example.com" });
  const calls = [];
  for (let i = 0; i < 20; ++i) {
    calls.push(c.customers.update({ id: x.id, customerUpdate: { name: `Name ${i}` } }));
    calls.push(c.customers.update({ id: x.id, customerUpdate: { email: `x${i % 3}@example.com` } }).catch(() => "taken"));
    calls.push(c.customers.create({ email: `x${(i + 1) % 3}@example.com`, name: `Other ${i}` }).catch(() => "taken"));
  }
  await Promise.all(calls);
  assert.equal((await c.customers.get({ id: x.id })).name, "Name 19");
  await assertConsistent(env, c);
  c.close();
});

test("a read issued after a change answers the change (calls on a persisted store apply in call order)", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "x@example.com", name: "Before" });
  const restore = await failPuts(env, 0);
  restore();
  const update = c.customers.update({ id: x.id, customerUpdate: { name: "After" } });
  const first = c.customers.update({ id: x.id, customerUpdate: { name: "After 2" } });
  const read = c.customers.get({ id: x.id });
  await Promise.all([update, first]);
  assert.equal((await read).name, "After 2");
  c.close();
});
