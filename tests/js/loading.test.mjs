// The loader's paths: default (Node reads the bytes), raw bytes, and a precompiled
// WebAssembly.Module handed in through instantiateWasm, as edge runtimes do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { Clientele } from "../../js/dist/index.js";

const wasmUrl = new URL("../../js/wasm/clientele.wasm", import.meta.url);
const ORG = "org-loading";

async function roundTrip(c) {
  const x = await c.customers.create({ email: "load@example.com" });
  assert.equal((await c.customers.get({ id: x.id })).email, "load@example.com");
}

test("default source: the .wasm beside the package", async () => {
  await roundTrip(await Clientele.open({ organizationId: ORG }));
});

test("bytes handed in", async () => {
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: await readFile(wasmUrl) }));
});

test("a precompiled WebAssembly.Module (edge path), never compiling from bytes itself", async () => {
  const module = await WebAssembly.compile(await readFile(wasmUrl));
  const compile = WebAssembly.compile, instantiateBytes = WebAssembly.instantiate;
  let compiledFromBytes = 0;
  WebAssembly.compile = (...a) => (compiledFromBytes++, compile(...a));
  WebAssembly.instantiate = (src, imports) => {
    if (!(src instanceof WebAssembly.Module)) compiledFromBytes++;
    return instantiateBytes(src, imports);
  };
  try {
    await roundTrip(await Clientele.open({ organizationId: ORG, wasm: module }));
  } finally {
    WebAssembly.compile = compile;
    WebAssembly.instantiate = instantiateBytes;
  }
  assert.equal(compiledFromBytes, 0);
});

test("a fetch Response, as a browser would hand it", async () => {
  const response = new Response(await readFile(wasmUrl), { headers: { "content-type": "application/wasm" } });
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: response }));
});

test("separate opens are separate stores", async () => {
  const a = await Clientele.open({ organizationId: ORG });
  const b = await Clientele.open({ organizationId: ORG });
  await a.customers.create({ email: "only-a@example.com" });
  assert.equal((await b.customers.list()).pagination.total_count, 0);
});
