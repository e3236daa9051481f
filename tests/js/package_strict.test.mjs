// The package's own hardening: boolean options are booleans, user keys are never looked up on (or
// assigned through) plain objects, a throwing listener changes no call's outcome and silences no other
// listener, and storage failures are never lost (no unhandled rejection, no silent disagreement).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { IDBFactory } from "fake-indexeddb";
import { Clientele, IndexedDbStore, PersistenceError, ValidationError, NotFoundError, sign, verify } from "../../js/dist/runtime/node.js";

let n = 0;
const open = () => Clientele.open({ organizationId: `org-pkg-${++n}` });

/** Runs `fn` with globalThis.reportError captured; answers what was reported. */
async function reported(fn) {
  const seen = [];
  const had = Object.hasOwn(globalThis, "reportError");
  const before = globalThis.reportError;
  globalThis.reportError = (err) => seen.push(err);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    if (had) globalThis.reportError = before;
    else delete globalThis.reportError;
  }
  return seen;
}

// 1. Booleans --------------------------------------------------------------------------------------------

test("delete and deleteExternal refuse a non-boolean anonymize with a ValidationError, and delete nothing", async () => {
  const c = await open();
  const x = await c.customers.create({ email: "keep@example.com", externalId: "keep" });
  for (const value of ["true", "false", 1, 0, null, {}, "yes"]) {
    for (const run of [() => c.customers.delete({ id: x.id, anonymize: value }), () => c.customers.deleteExternal({ externalId: "keep", anonymize: value }), () => c.call("customers.delete", { id: x.id, anonymize: value })]) {
      const err = await run().then(() => null, (e) => e);
      assert.ok(err instanceof ValidationError, `${JSON.stringify(value)}: ${err}`);
      assert.equal(err.detail.length, 1);
      assert.equal(err.detail[0].type, "bool_type");
      assert.equal(err.detail[0].loc.at(-1), "anonymize");
      assert.equal(err.detail[0].msg, "Input should be a valid boolean");
    }
  }
  assert.equal((await c.customers.get({ id: x.id })).deleted_at, null, "still live");
  assert.equal((await c.customers.delete({ id: x.id, anonymize: true })).email.includes("keep"), false);
});

test("list refuses a non-boolean active; webhooks refuse a non-boolean polarCompatible", async () => {
  const c = await open();
  await assert.rejects(c.customers.list({ active: "yes" }), (e) => e instanceof ValidationError && e.detail[0].loc.at(-1) === "active");
  const secret = "whsec_" + Buffer.from("k".repeat(32)).toString("base64");
  await assert.rejects(sign({ a: 1 }, secret, { polarCompatible: "true" }), (e) => e instanceof ValidationError && e.detail[0].loc.at(-1) === "polarCompatible");
  const signed = await sign({ a: 1 }, secret);
  await assert.rejects(verify(signed.body, signed.headers, secret, { polarCompatible: 1 }), (e) => e instanceof ValidationError && e.detail[0].type === "bool_type");
  assert.deepEqual(await verify(signed.body, signed.headers, secret, { polarCompatible: false }), { a: 1 });
});

// 2. User keys -------------------------------------------------------------------------------------------

test("an own __proto__ key in an input reaches the core (extra_forbidden) instead of replacing the prototype", async () => {
  const c = await open();
  const err = await c.customers.create(JSON.parse('{"email":"proto@example.com","__proto__":{"name":"Injected"}}')).then(() => null, (e) => e);
  assert.ok(err instanceof ValidationError, String(err));
  assert.deepEqual(err.detail.map((d) => [d.loc, d.type]), [[["body", "__proto__"], "extra_forbidden"]]);
  const nested = await c.customers.create(JSON.parse('{"email":"proto2@example.com","billingAddress":{"country":"US","__proto__":{"city":"X"}}}')).then(() => null, (e) => e);
  assert.ok(nested instanceof ValidationError, String(nested));
  assert.deepEqual(nested.detail.map((d) => d.loc.at(-1)), ["__proto__"]);
});

test("inputs without a prototype are converted like plain objects", async () => {
  const c = await open();
  const input = Object.assign(Object.create(null), { email: "np@example.com", externalId: "np-1", billingAddress: Object.assign(Object.create(null), { country: "FR" }) });
  const x = await c.customers.create(input);
  assert.equal(x.external_id, "np-1");
  assert.equal(x.billing_address.country, "FR");
});

test("metadata keys named like Object.prototype members are kept as they are", async () => {
  const c = await open();
  // (keys starting with "__" are reserved by the core, so "__proto__" is a metadata filter key only)
  const metadata = JSON.parse('{"constructor":"c","toString":"t","valueOf":"v","hasOwnProperty":"h","isPrototypeOf":"i"}');
  const x = await c.customers.create({ email: "meta@example.com", metadata });
  assert.deepEqual(Object.entries(x.metadata).sort(), Object.entries(metadata).sort());
  for (const key of Object.keys(metadata)) {
    const found = await c.customers.list({ metadata: JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(metadata[key])}}`) });
    assert.deepEqual(found.items.map((i) => i.id), [x.id], key);
  }
});

// 5. Listeners -------------------------------------------------------------------------------------------

test("a throwing listener changes no outcome, every other listener hears the event, and the error is reported", async () => {
  const c = await open();
  const boom = new Error("listener bug");
  const heard = [];
  c.on("customer.created", () => {
    throw boom;
  });
  c.on("customer.created", (e) => heard.push(e.data.email));
  c.on("*", () => {
    throw new Error("star bug");
  });
  c.on("*", (e) => heard.push(e.type));
  let created;
  const errors = await reported(async () => {
    created = await c.customers.create({ email: "heard@example.com" });
  });
  assert.equal(created.email, "heard@example.com", "create resolved");
  assert.ok(heard.includes("heard@example.com"), "the second listener heard it");
  assert.ok(heard.includes("customer.created"), "the second \"*\" listener heard it");
  assert.ok(errors.includes(boom), "the listener's error was reported");
  assert.ok(errors.some((e) => e.message === "star bug"));
  assert.equal((await c.customers.get({ id: created.id })).id, created.id, "stored");
});

test("a throwing listener does not stop a stream consumer from hearing the event", async () => {
  const c = await open();
  c.on("*", () => {
    throw new Error("first listener bug");
  });
  const ac = new AbortController();
  const stream = c.stream(ac.signal);
  const next = stream.next();
  const errors = await reported(() => c.customers.create({ email: "stream@example.com" }));
  const { value } = await next;
  assert.equal(value.type, "customer.created");
  assert.equal(errors.length >= 1, true);
  ac.abort();
});

test("without reportError (Node), a listener's error surfaces as an uncaught exception, and the call still resolves", () => {
  const script = `
    import { Clientele } from ${JSON.stringify(new URL("../../js/dist/runtime/node.js", import.meta.url).href)};
    const c = await Clientele.open({ organizationId: "o" });
    process.on("uncaughtException", (err) => { console.log(JSON.stringify({ uncaught: err.message })); });
    c.on("customer.created", () => { throw new Error("listener bug"); });
    const x = await c.customers.create({ email: "a@example.com" });
    console.log(JSON.stringify({ created: x.email }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(lines.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))), [{ created: "a@example.com" }, { uncaught: "listener bug" }]);
});

// 6. Storage failures --------------------------------------------------------------------------------------

const persisted = async () => {
  const env = { organizationId: `org-pkg-db-${++n}`, factory: new IDBFactory() };
  return { env, c: await Clientele.open({ organizationId: env.organizationId, persist: "indexeddb", indexedDB: env.factory }) };
};

test("a write that fails and a reload that fails too: PersistenceError says memory and disk may disagree, and the handle turns read-only", async () => {
  const { c } = await persisted();
  const x = await c.customers.create({ email: "kept@example.com" });
  const db = c["core"].storage.db;
  db.write = async () => {
    throw new Error("disk full");
  };
  db.read = async () => {
    throw new Error("disk gone");
  };
  const err = await c.customers.update({ id: x.id, customerUpdate: { name: "Changed" } }).then(() => null, (e) => e);
  assert.ok(err instanceof PersistenceError, String(err));
  assert.match(err.message, /may disagree/);
  assert.match(err.message, /disk full/);
  assert.match(err.message, /disk gone/);
  // Every later change is refused, before the core changes anything; reads still answer.
  const before = c.exportSnapshot();
  const again = await c.customers.create({ email: "new@example.com" }).then(() => null, (e) => e);
  assert.ok(again instanceof PersistenceError, String(again));
  assert.match(again.message, /read-only/);
  await assert.rejects(c.importSnapshot(""), PersistenceError);
  assert.equal(c.exportSnapshot(), before);
  assert.equal((await c.customers.get({ id: x.id })).id, x.id);
  c.close();
});

test("a remote change whose reload fails is no unhandled rejection: it is reported and the handle turns read-only", async () => {
  const { env, c } = await persisted();
  const x = await c.customers.create({ email: "tab@example.com" });
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    c["core"].storage.db.read = async () => {
      throw new Error("read failed");
    };
    const errors = await reported(async () => {
      const other = await IndexedDbStore.open(env.organizationId, env.factory);
      for await (const _part of other.load()); // the pages it knows, before it writes
      await other.write([x.id], { ids: [x.id], jsonl: new TextEncoder().encode(`${JSON.stringify({ ...JSON.parse(c.exportSnapshot().trim()), name: "From Tab B" })}\n`) });
      other.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    assert.deepEqual(unhandled, []);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof PersistenceError, String(errors[0]));
    assert.match(errors[0].message, /read failed/);
    await assert.rejects(c.customers.create({ email: "later@example.com" }), PersistenceError);
  } finally {
    process.off("unhandledRejection", onUnhandled);
    c.close();
  }
});

test("a failed IndexedDB open rejects open() and leaves no store behind", async () => {
  const factory = { open() { throw new Error("blocked"); } };
  await assert.rejects(Clientele.open({ organizationId: "org-broken-db", persist: "indexeddb", indexedDB: factory }), /blocked/);
  await assert.rejects(open().then((c) => c.customers.get({ id: "none" })), NotFoundError, "later opens work");
});

test("a message of another shape on the tabs' channel is ignored, not a failed reload", async () => {
  const { env, c } = await persisted();
  await c.customers.create({ email: "shape@example.com" });
  const channel = new BroadcastChannel(IndexedDbStore.name(env.organizationId));
  const errors = await reported(async () => {
    for (const data of [null, "x", { ids: "nope" }, { ids: [1, 2] }, {}]) channel.postMessage(data);
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
  channel.close();
  assert.deepEqual(errors, []);
  assert.equal((await c.customers.create({ email: "still-writable@example.com" })).email, "still-writable@example.com");
  c.close();
});
