// A WebAssembly source that cannot be instantiated rejects open() (it never hangs), and a failure is never
// cached: a later open with a good source works, and a failed load of the shared default module does not
// poison later opens (nor webhook signing, which keeps its own store per module).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { Clientele, sign } from "../../js/dist/runtime/node.js";
import { useRuntime } from "../../js/dist/loader.js";

const wasmUrl = new URL("../../js/wasm/clientele.wasm", import.meta.url);
const good = () => readFile(wasmUrl);

/** Settles within `ms` or fails the test as a hang. */
const within = (promise, ms = 10000) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("HANG: open() never settled")), ms).unref())]);

const works = async (options = {}) => {
  const c = await within(Clientele.open({ organizationId: "org-ok", ...options }));
  assert.equal((await c.customers.create({ email: "ok@example.com" })).email, "ok@example.com");
  c.close();
};

test("the default module: a failed load rejects open() and a later open loads it again", async () => {
  const node = { packaged: good, locate: async (s) => ({ wasmBinary: await readFile(new URL(String(s), wasmUrl)) }) };
  useRuntime({ ...node, packaged: async () => { throw new Error("offline"); } });
  await assert.rejects(within(Clientele.open({ organizationId: "o" })), /offline/);
  await assert.rejects(within(sign({ a: 1 }, "whsec_" + Buffer.from("k".repeat(32)).toString("base64"))), /offline/);
  useRuntime({ ...node, packaged: () => new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) }); // a valid, empty module
  await assert.rejects(within(Clientele.open({ organizationId: "o" })));
  useRuntime(node);
  await works();
  const signed = await within(sign({ a: 1 }, "whsec_" + Buffer.from("k".repeat(32)).toString("base64")));
  assert.equal(signed.body, '{"a":1}');
});

test("bytes that are not WebAssembly reject open()", async () => {
  await assert.rejects(within(Clientele.open({ organizationId: "o", wasm: new Uint8Array([1, 2, 3]) })));
  await works({ wasm: await good() });
});

test("a compiled module that does not fit (wrong imports) rejects open() instead of hanging", async () => {
  const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  // A module importing a function the glue does not provide.
  const foreign = new WebAssembly.Module(
    new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 11, 1, 3, 101, 110, 118, 3, 122, 122, 122, 0, 0]),
  );
  await assert.rejects(within(Clientele.open({ organizationId: "o", wasm: empty })));
  await assert.rejects(within(Clientele.open({ organizationId: "o", wasm: foreign })));
  const compiled = await WebAssembly.compile(await good());
  await works({ wasm: compiled });
});

test("a rejected or unsuccessful Response rejects open(); a good one after it works", async () => {
  await assert.rejects(within(Clientele.open({ organizationId: "o", wasm: Promise.reject(new Error("network down")) })), /network down/);
  await assert.rejects(within(Clientele.open({ organizationId: "o", wasm: new Response("missing", { status: 404, statusText: "Not Found" }) })), /404/);
  await works({ wasm: new Response(await good(), { headers: { "content-type": "application/wasm" } }) });
});
