// The loader's paths in Node's entry: default (reads the bytes beside the package), a file URL or path,
// raw bytes, a Response, and a precompiled WebAssembly.Module handed in through instantiateWasm, as edge
// runtimes do. And the entries as built: each a bundle that imports only what its runtime provides.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { build } from "esbuild";
import { Clientele } from "../../js/dist/runtime/node.js";

const wasmUrl = new URL("../../js/wasm/clientele.wasm", import.meta.url);
const ORG = "org-loading";

async function roundTrip(c) {
  const x = await c.customers.create({ email: "load@example.com" });
  assert.equal((await c.customers.get({ id: x.id })).email, "load@example.com");
}

test("default source: the .wasm beside the package", async () => {
  await roundTrip(await Clientele.open({ organizationId: ORG }));
});

test("a file: URL, an absolute path, or a path relative to the packaged .wasm", async () => {
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: wasmUrl }));
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: wasmUrl.pathname }));
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: "clientele.wasm" }));
});

test("the shared modules alone (no runtime entry) say where the .wasm must come from, and take one handed in", () => {
  const script = `
    import { Clientele } from ${JSON.stringify(new URL("../../js/dist/index.js", import.meta.url).href)};
    import { readFile } from "node:fs/promises";
    const refused = await Clientele.open({ organizationId: "o" }).then(() => "opened", (e) => e.message);
    const c = await Clientele.open({ organizationId: "o", wasm: await readFile(${JSON.stringify(wasmUrl.pathname)}) });
    console.log(JSON.stringify({ refused, email: (await c.customers.create({ email: "bare@example.com" })).email }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.match(out.refused, /package exports, or pass \{ wasm \}/);
  assert.equal(out.email, "bare@example.com");
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

test("a fetch Response, as a browser would hand it, streamed or (without application/wasm) whole", async () => {
  const response = new Response(await readFile(wasmUrl), { headers: { "content-type": "application/wasm" } });
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: response }));
  const untyped = new Response(await readFile(wasmUrl), { headers: { "content-type": "application/octet-stream" } });
  await roundTrip(await Clientele.open({ organizationId: ORG, wasm: Promise.resolve(untyped) }));
});

/** The modules a built file imports, as esbuild reads them. */
async function importsOf(path) {
  const file = new URL(path, new URL("../../js/", import.meta.url)).pathname;
  const { metafile } = await build({ entryPoints: [file], bundle: true, write: false, metafile: true, logLevel: "silent", platform: "neutral", external: ["*"] });
  return [...new Set(Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path)))].sort();
}

test("each runtime entry is one bundle with the glue in it; the .wasm stays a file of its own", async () => {
  assert.deepEqual(await importsOf("dist/runtime/browser.js"), []);
  assert.deepEqual(await importsOf("dist/runtime/workerd.js"), ["../../wasm/clientele.wasm"]);
  // Node's entry keeps the loader (itself a bundle with the glue) as a module of its own.
  assert.deepEqual(await importsOf("dist/runtime/node.js"), ["../loader.js", "node:fs/promises"]);
  assert.deepEqual(await importsOf("dist/loader.js"), []);
  // The only URL a bundler copies into a build is the entry's own, pointing at the packaged .wasm.
  const browser = await readFile(new URL("../../js/dist/runtime/browser.js", import.meta.url), "utf8");
  assert.deepEqual(browser.match(/new URL\("[^"]*",import\.meta\.url\)/g), ['new URL("../../wasm/clientele.wasm",import.meta.url)']);
});

test("separate opens are separate stores", async () => {
  const a = await Clientele.open({ organizationId: ORG });
  const b = await Clientele.open({ organizationId: ORG });
  await a.customers.create({ email: "only-a@example.com" });
  assert.equal((await b.customers.list()).pagination.total_count, 0);
});
