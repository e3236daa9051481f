// The browser path: the package fetches its .wasm over HTTP in real Chromium and runs the core there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./browser.mjs";

test("Clientele.open in Chromium fetches the .wasm and answers like in Node", async () => {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    const wasmRequests = [];
    page.on("request", (r) => r.url().endsWith(".wasm") && wasmRequests.push(r.url()));
    await page.goto(`${b.base}/`);
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
    assert.equal(wasmRequests.length, 1);
    assert.match(wasmRequests[0], /\/js\/wasm\/clientele\.wasm$/);
  } finally {
    await b.close();
  }
});
