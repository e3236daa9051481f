// IndexedDB write-through with group commit: the changes of one turn of the event loop are written in one
// transaction, in call order, and each call resolves once that transaction has completed. A failed
// transaction fails exactly its calls and those of the batch gathered behind it while it was in flight
// (they may build on it); memory ends as storage has it, as a reopen shows (nothing in loadReport.failed,
// the same snapshot).
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDBFactory } from "fake-indexeddb";
import { Clientele, IndexedDbStore, PersistenceError, ValidationError } from "../../js/dist/runtime/node.js";
import { loadedRecords } from "./fixtures/stored.mjs";

let n = 0;
const fresh = () => ({ organizationId: `org-write-order-${++n}`, persist: "indexeddb", indexedDB: new IDBFactory() });

/** Every stored customer record, page after page (each line parsed here, by the test). */
async function stored(env) {
  const db = await IndexedDbStore.open(env.organizationId, env.indexedDB);
  try {
    return await loadedRecords(db);
  } finally {
    db.close();
  }
}

/** Makes the next `count` puts into fake-indexeddb throw QuotaExceededError; answers the undo. */
async function failPuts(env, count) {
  const probe = await IndexedDbStore.open(env.organizationId, env.indexedDB);
  const proto = Object.getPrototypeOf(probe["db"].transaction("pages", "readwrite").objectStore("pages"));
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

/** A deferred promise: `resolve` from outside. */
function deferred() {
  let resolve;
  const promise = new Promise((ok) => (resolve = ok));
  return { promise, resolve };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Holds each write of this handle until the test lets it go: `writes[i].go(fail)` lets write i run, its
 * transaction failing in IndexedDB itself (a put refused) when `fail`. `pass()` lets every later write run.
 */
async function holdWrites(env, c) {
  const probe = await IndexedDbStore.open(env.organizationId, env.indexedDB);
  const proto = Object.getPrototypeOf(probe["db"].transaction("pages", "readwrite").objectStore("pages"));
  probe.close();
  const db = c["core"].storage.db;
  const write = db.write.bind(db);
  const writes = [];
  let passing = false;
  db.write = async (ids, held) => {
    if (passing) return write(ids, held);
    const gate = deferred();
    writes.push({ ids, go: gate.resolve });
    const fail = await gate.promise;
    const put = proto.put;
    if (fail) proto.put = () => { throw new DOMException("quota exceeded", "QuotaExceededError"); };
    try {
      return await write(ids, held);
    } finally {
      proto.put = put;
    }
  };
  return {
    writes,
    async started(n) {
      while (writes.length < n) await turn();
    },
    pass() {
      passing = true;
    },
  };
}

test("an email update that fails to write, with a create of the old email in the same turn: both fail, memory and disk agree", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "old@example.com", name: "Xavier" });
  const restore = await failPuts(env, 1);
  let update, create;
  try {
    update = c.customers.update({ id: x.id, customerUpdate: { email: "new@example.com" } });
    create = c.customers.create({ email: "old@example.com", name: "Yvonne" }); // applies on the update, in its batch
    await Promise.allSettled([update, create]);
  } finally {
    restore();
  }
  await assert.rejects(update, PersistenceError);
  await assert.rejects(create, PersistenceError);
  await assertConsistent(env, c);
  assert.equal((await c.customers.get({ id: x.id })).email, "old@example.com", "the update was undone exactly");
  assert.equal((await c.customers.list({ query: "Yvonne" })).pagination.total_count, 0, "the create was undone");
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

test("a failed transaction fails exactly its calls and the batch gathered behind it; the batches before and after stand", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const x = await c.customers.create({ email: "x@example.com", name: "X0" });
  const y = await c.customers.create({ email: "y@example.com", name: "Y0" });
  const hold = await holdWrites(env, c);
  const b0 = [c.customers.update({ id: y.id, customerUpdate: { name: "Y1" } })];
  await hold.started(1); // batch 0 in flight
  const b1 = [
    c.customers.update({ id: x.id, customerUpdate: { name: "X1", email: "x1@example.com" } }),
    c.customers.create({ email: "x@example.com", name: "Z1" }), // builds on the email change in its batch
  ];
  hold.writes[0].go(false);
  await hold.started(2); // batch 1 in flight
  const b2 = [c.customers.update({ id: y.id, customerUpdate: { name: "Y2" } }), c.customers.create({ email: "w@example.com", name: "W2" })];
  assert.deepEqual(hold.writes.map((w) => w.ids.length), [1, 2], "one transaction per batch");
  hold.pass();
  hold.writes[1].go(true);
  const [r0, r1, r2] = await Promise.all([b0, b1, b2].map((calls) => Promise.allSettled(calls)));
  assert.deepEqual(r0.map((r) => r.status), ["fulfilled"]);
  assert.deepEqual([...r1, ...r2].map((r) => r.reason instanceof PersistenceError), [true, true, true, true]);
  assert.match(r2[0].reason.message, /earlier change/);
  assert.equal((await c.customers.get({ id: x.id })).name, "X0", "batch 1 undone");
  assert.equal((await c.customers.get({ id: y.id })).name, "Y1", "batch 0 stands, batch 2 undone");
  assert.equal((await c.customers.list({ query: "example.com" })).pagination.total_count, 2, "neither create stands");
  await assertConsistent(env, c);
  // Calls after the undo apply to what storage has, and the handle stays writable.
  const z = await c.customers.create({ email: "x1@example.com", name: "Z3" });
  assert.equal(z.name, "Z3");
  await assertConsistent(env, c);
  c.close();
});

test("the calls of one turn are written in one transaction, each resolved once it is durable, listeners told after", async () => {
  const env = fresh();
  const c = await Clientele.open(env);
  const db = c["core"].storage.db;
  const write = db.write.bind(db);
  const durable = new Set();
  let transactions = 0;
  db.write = async (ids, held) => {
    transactions++;
    await write(ids, held);
    for (const id of ids) durable.add(id);
  };
  const heard = [];
  c.on("customer.created", (event) => heard.push([event.data.id, durable.has(event.data.id)]));
  const created = await Promise.all(Array.from({ length: 300 }, (_, i) => c.customers.create({ email: `c${i}@example.com` })));
  assert.equal(transactions, 1);
  assert.equal(heard.length, 300);
  assert.ok(heard.every(([, wasDurable]) => wasDurable), "every listener heard its change after it was durable");
  assert.deepEqual(heard.map(([id]) => id), created.map((x) => x.id), "in call order");
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
