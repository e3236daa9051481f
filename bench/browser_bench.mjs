// The package in headless Chromium (Debian's, driven by playwright-core), through its public API only:
// cold start, snapshot import into IndexedDB, reopening a saved store, creates under IndexedDB, and an
// in-memory import. Prints one table of medians over N runs. Usage:
//   node bench/browser_bench.mjs [--runs N] [--big] [--cold]
// --big adds importing 100,000 into IndexedDB and reopening them; --cold measures the cold start alone.
import { chromium } from "playwright-core";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../scripts/serve.mjs";
import { Clientele } from "../js/dist/runtime/node.js";
import { generate } from "./generate.mjs";

const arg = (name) => process.argv.indexOf(name);
const RUNS = arg("--runs") > 0 ? Number(process.argv[arg("--runs") + 1]) : 7;
const BIG = arg("--big") > 0;
const COLD_ONLY = arg("--cold") > 0;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];
const PACKAGE = "/js/dist/runtime/browser.js";

// ---- data: create bodies from bench/generate.mjs, and snapshots of them made with the Node entry ----------
const camel = ({ external_id, ...rest }) => ({ ...rest, externalId: external_id });

// Snapshot lines carry their organization: every import and reopen below is into this one, each in a
// fresh database (every database is dropped between runs).
const ORG = "org-bench";

async function snapshotOf(n) {
  const c = await Clientele.open({ organizationId: ORG });
  for (const body of generate(n)) await c.call("customers.create", { body });
  const text = c.exportSnapshot();
  c.close();
  return text;
}

const files = new Map(); // path -> [content type, body], served beside scripts/serve.mjs's files
const page = (script) => `<!doctype html><meta charset="utf-8"><title>bench</title><script type="module">${script}</script>`;
files.set("/__bench/blank.html", ["text/html", page("")]);
files.set("/__bench/empty.html", ["text/html", page("window.__bench = { done: performance.now() };")]);
// Timed from the navigation's start (performance.now() counts from it); the package is a static import,
// as an app would write it.
files.set("/__bench/cold.html", ["text/html", page(`
  import { Clientele } from "${PACKAGE}";
  const imported = performance.now();
  const c = await Clientele.open({ organizationId: "org-cold" });
  const opened = performance.now();
  const answer = await c.customers.list({ limit: 20 });
  const done = performance.now();
  const wasm = performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm"));
  window.__bench = { imported, opened, done, wasmStart: wasm[0]?.startTime, wasmRequests: wasm.length, total: answer.pagination.total_count };`)]);
// The same page with hints that start both downloads with the page's own, as a site can write them.
const HINTS = `<link rel="modulepreload" href="${PACKAGE}"><link rel="preload" href="/js/wasm/clientele.wasm" as="fetch" crossorigin>`;
files.set("/__bench/hinted.html", ["text/html", files.get("/__bench/cold.html")[1].replace("<script", `${HINTS}<script`)]);
files.set("/__bench/reopen.html", ["text/html", page(`
  import { Clientele } from "${PACKAGE}";
  const start = performance.now();
  const c = await Clientele.open({ organizationId: "${ORG}", persist: "indexeddb" });
  const answer = await c.customers.list({ limit: 20 });
  const open = performance.now() - start;
  c.close();
  // The same again in this page, the module's code optimized by now.
  const again = performance.now();
  const d = await Clientele.open({ organizationId: "${ORG}", persist: "indexeddb" });
  await d.customers.list({ limit: 20 });
  window.__bench = { open, again: performance.now() - again, done: performance.now(), total: answer.pagination.total_count };`)]);
files.set("/__bench/tierup.html", ["text/html", page(`
  import { Clientele } from "${PACKAGE}";
  const lines = (await (await fetch("/__bench/snapshot-100000.jsonl")).text()).split("\\n");
  const c = await Clientele.open({ organizationId: "${ORG}" });
  const times = [];
  for (let i = 0; i < 20; i++) {
    const part = lines.slice(i * 1000, (i + 1) * 1000).join("\\n");
    const t = performance.now();
    await c.importSnapshot(part);
    times.push(performance.now() - t);
  }
  const later = times.slice(10).sort((a, b) => a - b);
  window.__bench = { first: times[0], later: later[later.length >> 1] };`)]);
if (!COLD_ONLY) {
  console.error("browser bench: making the snapshots…");
  files.set("/__bench/bodies.json", ["application/json", JSON.stringify(generate(10_000).map(camel))]);
  files.set("/__bench/snapshot-10000.jsonl", ["text/plain", await snapshotOf(10_000)]);
  files.set("/__bench/snapshot-100000.jsonl", ["text/plain", await snapshotOf(100_000)]);
}

async function serve() {
  const server = await startServer(0);
  const [handler] = server.listeners("request");
  server.removeAllListeners("request");
  server.on("request", (req, res) => {
    const file = files.get((req.url ?? "/").split("?")[0]);
    if (!file) return handler(req, res);
    res.writeHead(200, { "content-type": file[0], "cache-control": "no-store" });
    res.end(file[1]);
  });
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

// ---- measuring --------------------------------------------------------------------------------------------
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const results = []; // [label, values, unit]
const record = (label, values, unit = "ms") => results.push([label, values, unit]);

/** Loads `path` in a fresh page and answers what its script left in window.__bench. */
async function visit(context, url) {
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (err) => errors.push(err));
  await tab.goto(url);
  await tab.waitForFunction(() => window.__bench, null, { timeout: 120_000, polling: 20 }).catch((err) => {
    throw errors[0] ?? err;
  });
  const out = await tab.evaluate(() => window.__bench);
  await tab.close();
  return out;
}

/** Cold start: a new browser context (no HTTP cache, no storage) for every page load. */
async function coldStart(base) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const empty = [], cold = [], imported = [], opened = [], listed = [], wasmStart = [], hinted = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [path, fn] of [["empty", (r) => empty.push(r.done)], ["cold", (r) => {
        cold.push(r.done);
        imported.push(r.imported);
        opened.push(r.opened - r.imported);
        listed.push(r.done - r.opened);
        if (r.wasmStart !== undefined) wasmStart.push(r.wasmStart);
      }], ["hinted", (r) => {
        if (r.wasmRequests !== 1) throw new Error(`the hinted page requested the .wasm ${r.wasmRequests} times`);
        hinted.push(r.done);
      }]]) {
        const context = await browser.newContext();
        fn(await visit(context, `${base}/__bench/${path}.html`));
        await context.close();
      }
    }
    record("empty module page (the browser's floor): navigation → script ran", empty);
    record("**cold start: navigation → first list answer**", cold);
    record("  of which: navigation → package imported", imported);
    record("  of which: open (fetch, compile, instantiate)", opened);
    record("  of which: first list", listed);
    record("  .wasm request starts at (from navigation)", wasmStart);
    record("cold start, the page hinting both files (modulepreload, preload as fetch)", hinted);
    return browser.version();
  } finally {
    await browser.close();
  }
}

/** The IndexedDB rows: a persistent profile on disk, fresh for this benchmark. */
async function withIndexedDb(base) {
  const profile = await mkdtemp(join(tmpdir(), "clientele-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const tab = await context.newPage();
    await tab.goto(`${base}/__bench/blank.html`);
    // An error from the page is cut short: a refused import names every line.
    const inPage = (fn, arg) => tab.evaluate(fn, arg).catch((err) => {
      throw new Error(String(err.message).slice(0, 500));
    });
    const dropDatabases = () => inPage(async () => {
      for (const { name } of await indexedDB.databases())
        await new Promise((ok, fail) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: ok, onerror: fail }));
    });

    const importInto = async (n, persist, runs = RUNS) => {
      const times = [];
      for (let i = 0; i < runs; i++) {
        times.push(await inPage(async ({ pkg, org, n, persist }) => {
          const { Clientele } = await import(pkg);
          const text = await (await fetch(`/__bench/snapshot-${n}.jsonl`)).text();
          const c = await Clientele.open({ organizationId: org, persist });
          const t = performance.now();
          const count = await c.importSnapshot(text);
          const ms = performance.now() - t;
          if (count !== n) throw new Error(`imported ${count} of ${n}`);
          c.close();
          return ms;
        }, { pkg: PACKAGE, org: ORG, n, persist }));
        await dropDatabases();
      }
      return times;
    };

    console.error("browser bench: IndexedDB…");
    record("importSnapshot 10,000 into IndexedDB", await importInto(10_000, "indexeddb"));
    if (BIG) record(`importSnapshot 100,000 into IndexedDB (${Math.min(RUNS, 3)} runs)`, await importInto(100_000, "indexeddb", Math.min(RUNS, 3)));

    // n customers saved, then reopened in a new page each run.
    const reopen = async (n, runs = RUNS) => {
      await inPage(async ({ pkg, org, n }) => {
        const { Clientele } = await import(pkg);
        const c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
        await c.importSnapshot(await (await fetch(`/__bench/snapshot-${n}.jsonl`)).text());
        c.close();
      }, { pkg: PACKAGE, org: ORG, n });
      const times = [], again = [];
      for (let i = 0; i < runs; i++) {
        const r = await visit(context, `${base}/__bench/reopen.html`);
        if (r.total !== n) throw new Error(`reopened ${r.total} of ${n}`);
        times.push(r.open);
        again.push(r.again);
      }
      await dropDatabases();
      return [times, again];
    };
    const [ten, tenAgain] = await reopen(10_000);
    record("reopen with 10,000 saved, in a new page: open → first list answer", ten);
    record("  the same, opened again in that page (optimized code)", tenAgain);
    if (BIG) {
      const [hundred, hundredAgain] = await reopen(100_000, Math.min(RUNS, 3));
      record(`reopen with 100,000 saved, in a new page (${Math.min(RUNS, 3)} runs)`, hundred);
      record("  the same, opened again in that page (optimized code)", hundredAgain);
    }

    const together = [], awaited = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await inPage(async ({ pkg, org }) => {
        const { Clientele } = await import(pkg);
        const bodies = await (await fetch("/__bench/bodies.json")).json();
        const c = await Clientele.open({ organizationId: org, persist: "indexeddb" });
        let t = performance.now();
        await Promise.all(bodies.map((b) => c.customers.create(b)));
        const perS = bodies.length / ((performance.now() - t) / 1000);
        const one = [];
        for (let k = 0; k < 31; k++) {
          t = performance.now();
          await c.customers.create({ email: `one.${k}@awaited.example` });
          one.push(performance.now() - t);
        }
        c.close();
        return { perS, one: one.sort((a, b) => a - b)[one.length >> 1] };
      }, { pkg: PACKAGE, org: ORG });
      together.push(r.perS);
      awaited.push(r.one);
      await dropDatabases();
    }
    record("10,000 customers.create with Promise.all, IndexedDB", together, "/s");
    record("one awaited customers.create, IndexedDB (median of 31)", awaited);

    // The floor under one awaited write: an IndexedDB transaction alone, with one small value, and with
    // what a create's transaction does (read a page's index record, put the page of ~96 KB and the record).
    const bare = [], pageSized = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await inPage(async () => {
        const req = (r) => new Promise((ok, ko) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => ko(r.error))));
        const open = indexedDB.open("bench-floor", 1);
        open.onupgradeneeded = () => ["a", "b"].forEach((name) => open.result.createObjectStore(name));
        const db = await req(open);
        const page = new Uint8Array(96 * 1024).fill(97);
        const median = async (write) => {
          const times = [];
          for (let k = 0; k < 31; k++) {
            const t = performance.now();
            const tx = db.transaction(["a", "b"], "readwrite");
            write(tx, k);
            await new Promise((ok, ko) => ((tx.oncomplete = ok), (tx.onerror = ko), (tx.onabort = ko)));
            times.push(performance.now() - t);
          }
          return times.sort((x, y) => x - y)[15];
        };
        const small = await median((tx, k) => tx.objectStore("a").put(k, 0));
        const like = await median((tx, k) => {
          tx.objectStore("b").get(0);
          tx.objectStore("a").put(page, 1);
          tx.objectStore("b").put({ ids: [String(k)], v: String(k) }, 0);
        });
        db.close();
        await req(indexedDB.deleteDatabase("bench-floor"));
        return { small, like };
      });
      bare.push(r.small);
      pageSized.push(r.like);
    }
    record("one awaited IndexedDB transaction alone, one small value (the floor)", bare);
    record("one awaited IndexedDB transaction as a create's: read an index record, put a 96 KB page and the record", pageSized);

    console.error("browser bench: in memory…");
    record("importSnapshot 100,000 in memory", await importInto(100_000, "memory"));

    // A fresh page runs the module on the engine's baseline code until its optimized code is ready: the
    // same 1,000 lines cost several times more in the first calls than from the 11th on.
    const first = [], later = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await visit(context, `${base}/__bench/tierup.html`);
      first.push(r.first);
      later.push(r.later);
    }
    record("1,000 lines imported in a fresh page: the first call", first);
    record("1,000 lines imported in a fresh page: calls 11–20 (median)", later);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const { server, base } = await serve();
try {
  console.error("browser bench: cold start…");
  const version = await coldStart(base);
  if (!COLD_ONLY) await withIndexedDb(base);
  const fmt = (v, unit) => (unit === "/s" ? Math.round(v).toLocaleString("en") : v < 10 ? v.toFixed(1) : v.toFixed(0));
  console.log(`\n### Browser: headless Chromium ${version} — median of ${RUNS} runs (min – max)\n`);
  console.log("| | median | min – max |");
  console.log("|---|---|---|");
  for (const [label, values, unit] of results) {
    const u = unit === "ms" ? " ms" : unit;
    console.log(`| ${label} | ${fmt(median(values), unit)}${u} | ${fmt(Math.min(...values), unit)} – ${fmt(Math.max(...values), unit)}${u} |`);
  }
} finally {
  server.close();
}
