// Pulling in real Chromium from the local upstream (another origin, with CORS): a pull interrupted and the
// page reloaded resumes from IndexedDB at the next page to fetch, ending with the upstream's customers;
// and the demo's "Pull from Polar" form pulls from a URL and token typed into it, with a progress bar.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./browser.mjs";
import { ORG, startUpstream, stateOf } from "../js/fixtures/polar_upstream.mjs";

test("Chromium: an interrupted pull resumes after a reload from the cursor and pages kept in IndexedDB", async () => {
  const up = await startUpstream();
  const b = await launch();
  try {
    await up.seed(1000, { teamEvery: 25 });
    const page = await b.context.newPage();
    await page.goto(`${b.base}/js/package.json`);
    const open = (org) =>
      page.evaluate(async (org) => {
        const { Clientele } = await import("/js/dist/runtime/browser.js");
        window.c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
      }, org);
    await open(ORG);
    const conn = { accessToken: up.token, server: up.url, requestsPerMinute: 0, backoffMs: 5 };
    const stopped = await page.evaluate(async (conn) => {
      const controller = new AbortController();
      try {
        await c.sync.pull({ ...conn, signal: controller.signal, onProgress: (p) => p.loaded >= 400 && controller.abort(new Error("interrupted")) });
        return "finished";
      } catch (err) {
        return err.message;
      }
    }, conn);
    assert.equal(stopped, "interrupted");
    await page.reload();
    await open(ORG);
    assert.equal(await page.evaluate(async () => (await c.customers.list()).pagination.total_count), 0);
    up.requests.length = 0;
    const report = await page.evaluate((conn) => c.sync.pull(conn).then((r) => ({ resumed: r.resumed, customers: r.customers, members: r.members, failed: r.failed.length })), conn);
    assert.deepEqual(report, { resumed: true, customers: 1000, members: 1040, failed: 0 });
    const pages = up.requests.filter((r) => r.url.startsWith("/v1/customers/?")).map((r) => Number(new URL(r.url, up.url).searchParams.get("page")));
    assert.deepEqual(pages, [5, 6, 7, 8, 9, 10]);
    // After another reload the data comes from IndexedDB, as the upstream has it.
    await page.reload();
    await open(ORG);
    const expected = await stateOf(up.store);
    const sample = [...expected.customers.values()].filter((_, i) => i % 97 === 0);
    const got = await page.evaluate(async (ids) => ({
      total: (await c.customers.list()).pagination.total_count,
      records: await Promise.all(ids.map((id) => c.customers.get({ id }))),
    }), sample.map((s) => s.id));
    assert.equal(got.total, 1000);
    assert.deepEqual(got.records, sample);
  } finally {
    await b.close();
    up.close();
  }
});

test("Chromium: the demo pulls from a Polar URL and token typed into its form", async () => {
  const up = await startUpstream({ organizationId: "d3m00000-0000-4000-8000-000000000001" });
  const b = await launch();
  try {
    await up.seed(250);
    const page = await b.context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${b.base}/`);
    await page.waitForSelector("body[data-ready]", { timeout: 60000 });
    await page.click("#pull-panel summary");
    await page.fill("#pull-url", up.url);
    await page.fill("#pull-token", up.token);
    await page.click("#pull");
    await page.waitForSelector("body[data-pulled]", { timeout: 60000 });
    assert.equal(await page.getAttribute("body", "data-pulled"), "250");
    assert.match(await page.textContent("#pull-status"), /Pulled 250 customers and 250 members; 0 removed, 5,000 local-only kept/);
    assert.equal(await page.evaluate(() => document.querySelector("#pull-progress").value), 250);
    const [one] = (await up.store.customers.list({ limit: 1 })).items;
    await page.fill("#search", one.email);
    await page.waitForTimeout(200);
    assert.equal((await page.textContent("#count")).trim(), "1");
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    up.close();
  }
});
