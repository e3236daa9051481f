// The browser path: the package is one module that fetches its .wasm over HTTP in real Chromium and runs
// the core there; a { wasm } handed in is used instead of the packaged file, never beside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { launch } from "./browser.mjs";

const wasmBytes = readFile(new URL("../../js/wasm/clientele.wasm", import.meta.url));
const PACKAGED = /\/js\/wasm\/clientele\.wasm$/;

/** A page of the test server that records the scripts and .wasm files it requests. */
async function recordingPage(b) {
  const page = await b.context.newPage();
  const requests = { scripts: [], wasm: [] };
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) requests.wasm.push(r.url());
    else if (r.resourceType() === "script") requests.scripts.push(new URL(r.url()).pathname);
  });
  return { page, requests };
}

test("Clientele.open in Chromium: one module, one .wasm fetch, answers like in Node", async () => {
  const b = await launch();
  try {
    const { page, requests } = await recordingPage(b);
    await page.goto(`${b.base}/js/package.json`); // any same-origin document
    const result = await page.evaluate(async () => {
      const { Clientele, ValidationError } = await import("/js/dist/runtime/browser.js");
      const c = await Clientele.open({ organizationId: "org-browser" });
      const x = await c.customers.create({ email: "Browser@Example.com", name: "Zoë" });
      let refused = "";
      try { await c.customers.create({ email: "bad" }); } catch (e) { refused = e instanceof ValidationError ? e.message : String(e); }
      const page1 = await c.customers.list({ query: "zoë" });
      return { email: x.email, total: page1.pagination.total_count, refused };
    });
    assert.equal(result.email, "Browser@example.com");
    assert.equal(result.total, 1);
    assert.match(result.refused, /email: value is not a valid email address/);
    assert.equal(requests.wasm.length, 1);
    assert.match(requests.wasm[0], PACKAGED);
    assert.deepEqual(requests.scripts, ["/js/dist/runtime/browser.js"], "the browser entry imports no other module");
  } finally {
    await b.close();
  }
});

test("a { wasm } handed in (URL, Response, bytes, compiled module) never fetches the packaged .wasm", async () => {
  const b = await launch();
  try {
    const { page, requests } = await recordingPage(b);
    const bytes = await wasmBytes;
    await page.route("**/elsewhere/core.wasm", (route) => route.fulfill({ body: bytes, contentType: "application/wasm" }));
    await page.goto(`${b.base}/js/package.json`); // any same-origin document
    const totals = await page.evaluate(async () => {
      const { Clientele } = await import("/js/dist/runtime/browser.js");
      const url = new URL("/elsewhere/core.wasm", location.href);
      const body = await (await fetch(url)).arrayBuffer();
      const sources = [url, url.pathname, fetch(url), await fetch(url), body, new Uint8Array(body), await WebAssembly.compile(body)];
      const out = [];
      for (const wasm of sources) {
        const c = await Clientele.open({ organizationId: "org-own", wasm });
        await c.customers.create({ email: "own@example.com" });
        out.push((await c.customers.list()).pagination.total_count);
        c.close();
      }
      return out;
    });
    assert.deepEqual(totals, [1, 1, 1, 1, 1, 1, 1]);
    assert.ok(requests.wasm.length > 0);
    assert.deepEqual(requests.wasm.filter((u) => PACKAGED.test(u)), [], "the packaged .wasm is never requested");
  } finally {
    await b.close();
  }
});

test("a server that sends the .wasm without application/wasm: compiled from the whole body, fetched once", async () => {
  const b = await launch();
  try {
    const { page, requests } = await recordingPage(b);
    const bytes = await wasmBytes;
    await page.route(PACKAGED, (route) => route.fulfill({ body: bytes, contentType: "application/octet-stream" }));
    await page.goto(`${b.base}/js/package.json`);
    const total = await page.evaluate(async () => {
      const { Clientele } = await import("/js/dist/runtime/browser.js");
      const c = await Clientele.open({ organizationId: "org-mime" });
      await c.customers.create({ email: "mime@example.com" });
      return (await c.customers.list()).pagination.total_count;
    });
    assert.equal(total, 1);
    assert.equal(requests.wasm.length, 1);
  } finally {
    await b.close();
  }
});
