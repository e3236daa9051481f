// clientele/cloudflare under miniflare (workerd): cold start of an object holding 10k and 100k customers
// (the first request's latency after a restart), requests per second for get / list / search / create
// through the Worker, storage bytes per customer, and the same requests to a Worker keeping its store in
// memory only (createHandler over Clientele.open, nothing persisted), so the cost of durability shows.
// Usage: node bench/cloudflare_bench.mjs [sizes, default 10000,100000] [requests per kind, default 400]
import { Miniflare } from "miniflare";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Clientele } from "../js/dist/runtime/node.js";
import { generate } from "./generate.mjs";
import { startCloudflare, api } from "../tests/js/fixtures/cloudflare.mjs";

const SIZES = (process.argv[2] ?? "10000,100000").split(",").map(Number);
const REQUESTS = Number(process.argv[3] ?? 400);
const CONCURRENCY = 8;
const orgOf = (n) => `org_${n}`;
const tokens = Object.fromEntries([...SIZES.map((n) => [`t${n}`, orgOf(n)]), ["twarm", "org_warm"]]);
const vars = { CLIENTELE_TOKENS: JSON.stringify(tokens), CLIENTELE_MAX_CUSTOMERS: "1000000" };
const root = new URL("../", import.meta.url);

/** The organization's customers as the core's snapshot lines (made in Node, loaded into an object in one import). */
async function snapshot(n, organizationId) {
  const c = await Clientele.open({ organizationId });
  const bodies = generate(n);
  for (let i = 0; i < n; i += 1000) await Promise.all(bodies.slice(i, i + 1000).map((b) => c.customers.create({ email: b.email, name: b.name, externalId: b.external_id, metadata: b.metadata })));
  const jsonl = c.exportSnapshot();
  c.close();
  return { jsonl, bodies };
}

/** Resident memory of the workerd processes this process started (MB), as Linux reports it; NaN elsewhere. */
async function workerdRss() {
  try {
    const { execFileSync } = await import("node:child_process");
    const pids = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" }).split("\n").filter(Boolean);
    let kb = 0;
    for (const pid of pids) {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      if (/^Name:\s*workerd/m.test(status)) kb += Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function time(fn) {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** Requests per second of `make(i)` requests, CONCURRENCY at a time. */
async function rate(call, make, count = REQUESTS) {
  let next = 0;
  let failed = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const [method, path, body] = make(next++);
        const r = await call(method, path, body);
        if (r.status >= 300) failed++;
      }
    }),
  );
  if (failed) throw new Error(`${failed} requests failed`);
  return count / ((performance.now() - t) / 1000);
}

const kinds = (bodies, ids, tag) => ({
  get: (i) => ["GET", `/v1/customers/${ids[(i * 7919) % ids.length]}`],
  list: (i) => ["GET", `/v1/customers/?limit=20&page=${1 + (i % 50)}&sorting=-created_at`],
  search: (i) => ["GET", `/v1/customers/?limit=20&query=${encodeURIComponent(bodies[(i * 104729) % bodies.length].name.split(" ")[1].slice(0, 4))}`],
  create: (i) => ["POST", "/v1/customers/", { email: `bench.${tag}.${i}@example.net`, name: `Bench ${i}` }],
});

const MEMORY_WORKER = `
import { Clientele, createHandler } from "./js/dist/runtime/workerd.js";
let store, handler;
export default {
  async fetch(request, env) {
    store ??= await Clientele.open({ organizationId: "org_memory" });
    handler ??= createHandler(store, { tokens: { tm: "org_memory" } });
    if (new URL(request.url).pathname === "/__import") return Response.json(await store.importSnapshot(await request.text()));
    return handler(request);
  },
};`;

async function memoryWorker() {
  const file = async (path) => ({ path, contents: await readFile(new URL(path, root)) });
  const dist = (await readdir(new URL("js/dist/", root), { recursive: true })).filter((f) => f.endsWith(".js"));
  return new Miniflare({
    modules: [
      { type: "ESModule", path: "worker.mjs", contents: MEMORY_WORKER },
      ...(await Promise.all(dist.map((f) => file(`js/dist/${f}`)))).map((m) => ({ type: "ESModule", ...m })),
      { type: "ESModule", ...(await file("js/wasm/clientele.mjs")) },
      { type: "CompiledWasm", ...(await file("js/wasm/clientele.wasm")) },
    ],
    modulesRoot: root.pathname,
    compatibilityDate: "2025-01-01",
  });
}

const rows = [];
const dir = await mkdtemp(join(tmpdir(), "clientele-cf-bench-"));
try {
  for (const n of SIZES) {
    const org = orgOf(n);
    const { jsonl, bodies } = await snapshot(n, org);
    const ids = jsonl.split("\n").filter(Boolean).map((l) => JSON.parse(l).id);
    let mf = await startCloudflare({ persist: dir, vars });
    const load = await (await mf.dispatchFetch(`http://bench.test/__test/import?org=${org}`, { method: "POST", body: jsonl, headers: { authorization: "Bearer twarm" } })).json();
    await mf.dispose();
    // Cold start: a restarted runtime (warmed on another, empty object), then the first request to this one.
    const colds = [];
    let size;
    let rss;
    for (let run = 0; run < 3; run++) {
      mf = await startCloudflare({ persist: dir, vars });
      await api(mf, "twarm")("GET", "/v1/customers/?limit=1");
      const rssBefore = await workerdRss();
      const first = await time(() => api(mf, `t${n}`)("GET", "/v1/customers/?limit=1"));
      if (first.value.status !== 200 || first.value.body.pagination.total_count !== n) throw new Error(`cold start answered ${JSON.stringify(first.value)}`);
      colds.push(first.ms);
      rss = (await workerdRss()) - rssBefore;
      size = await (await mf.dispatchFetch(`http://bench.test/__test/size?org=${org}`, { headers: { authorization: "Bearer twarm" } })).json();
      if (run < 2) await mf.dispose();
    }
    colds.sort((a, b) => a - b);
    const call = api(mf, `t${n}`);
    const persisted = {};
    for (const [kind, make] of Object.entries(kinds(bodies, ids, `p${n}`))) persisted[kind] = await rate(call, make);
    await mf.dispose();

    const mem = await memoryWorker();
    await mem.dispatchFetch("http://bench.test/__import", { method: "POST", body: jsonl.replaceAll(`"organization_id":"${org}"`, '"organization_id":"org_memory"') });
    const mcall = api(mem, "tm");
    const memory = {};
    for (const [kind, make] of Object.entries(kinds(bodies, ids, `m${n}`))) memory[kind] = await rate(mcall, make);
    await mem.dispose();

    rows.push({ n, load, colds, size, rss, persisted, memory, lineBytes: Buffer.byteLength(jsonl) / n });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const f0 = (x) => x.toFixed(0);
console.log(`clientele/cloudflare under miniflare ${new Date().toISOString().slice(0, 10)}; ${REQUESTS} requests per kind, ${CONCURRENCY} at a time`);
console.log("| customers | cold start, first request (ms, median of 3) | bulk import into the object (ms) | storage bytes / customer (line bytes) | wasm memory (MB, in use) | workerd RSS growth on load (MB) |");
console.log("|---|---|---|---|---|---|");
for (const r of rows)
  console.log(`| ${r.n.toLocaleString("en")} | ${f0(r.colds[1])} (${r.colds.map(f0).join(", ")}) | ${f0(r.load.ms)} | ${f0(r.size.databaseSize / r.size.count)} (${f0(r.lineBytes)}) | ${(r.size.memoryBytes / 2 ** 20).toFixed(0)} (${(r.size.memoryInUse / 2 ** 20).toFixed(1)}) | ${f0(r.rss)} |`);
console.log("\n| customers | store | get /s | list /s | search /s | create /s |");
console.log("|---|---|---|---|---|---|");
for (const r of rows)
  for (const [label, v] of [["Durable Object, SQLite", r.persisted], ["memory only", r.memory]])
    console.log(`| ${r.n.toLocaleString("en")} | ${label} | ${f0(v.get)} | ${f0(v.list)} | ${f0(v.search)} | ${f0(v.create)} |`);
