// One table: clientele (native and WASM in Node) against what a web developer would use instead, in the
// same Node process: @orama/orama, minisearch, flexsearch and a plain Array.filter. Usage:
//   node bench/js_bench.mjs N [native-bench-binary]
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { create as oramaCreate, insertMultiple, search as oramaSearch } from "@orama/orama";
import MiniSearch from "minisearch";
import FlexSearch from "flexsearch";
import { Clientele } from "../js/dist/runtime/node.js";
import { freshQueries, generate, queries } from "./generate.mjs";

const N = Number(process.argv[2] ?? 10000);
const NATIVE = process.argv[3];
const RUNS = N >= 1_000_000 ? 10 : N >= 100_000 ? 30 : 100;
const customers = generate(N);
const Q = queries(customers);
const wasmBytes = await readFile(new URL("../js/wasm/clientele.wasm", import.meta.url));

async function timeit(fn, runs = RUNS) {
  let count = 0;
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    count = await fn();
    if (i >= 2) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), count };
}

const heapMb = () => (global.gc?.(), process.memoryUsage().heapUsed / 1048576);
const engines = [];

// ---- clientele, WASM in Node ----------------------------------------------------------------------------
// The snapshot moves in chunks of 50k records (snapshot.records / importSnapshot): one JSON Lines string
// for 1M customers would pass V8's string limit.
{
  const engine = "clientele WASM (Node)";
  const creator = await Clientele.open({ organizationId: "bench", wasm: wasmBytes });
  const ids = [];
  let t = performance.now(), failure;
  try {
    for (const body of customers) ids.push((await creator.call("customers.create", { body })).id);
  } catch (err) {
    failure = `out of WASM memory after ${ids.length.toLocaleString("en")} creates (${(creator.memoryInUse() / ids.length).toFixed(0)} B/customer in use): ${err.message.slice(0, 60)}`;
  }
  const createPerS = ids.length / ((performance.now() - t) / 1000);
  if (failure) engines.push({ engine, skipped: failure });
  else {
    const chunks = [];
    for (let i = 0; i < ids.length; i += 50_000) {
      const records = await creator.call("snapshot.records", { ids: ids.slice(i, i + 50_000) });
      chunks.push(records.map((r) => JSON.stringify(r)).join("\n"));
    }
    creator.close();
    const c = await Clientele.open({ organizationId: "bench", wasm: wasmBytes });
    heapMb();  // every engine's load starts from a collected heap (the creator's garbage and memory gone)
    t = performance.now();
    for (const chunk of chunks) await c.importSnapshot(chunk);
    const load = performance.now() - t;
    const list = async (q) => (await c.customers.list(q)).pagination.total_count;
    engines.push({
      engine,
      bulk_load_ms: load,
      create_per_s: createPerS,
      rows: {
        substring3: await timeit(() => list({ query: Q.substring3 })),
        substring6: await timeit(() => list({ query: Q.substring6 })),
        email: await timeit(() => list({ email: Q.email })),
        externalId: await timeit(() => list({ externalId: Q.externalId })),
        metadata: await timeit(() => list({ metadata: { plan: "pro" } })),
        sortedPage1: await timeit(() => list({ sorting: ["email"], page: 1 })),
        sortedPage500: await timeit(() => list({ sorting: ["email"], page: 500 })),
      },
    });
    for (const query of freshQueries(customers, Q)) await list({ query });  // until every trigram list is built
    const mb = (n) => (n / 1048576).toFixed(0);
    engines.at(-1).memory = `${mb(c.memoryInUse())} MB in use (${(c.memoryInUse() / N).toFixed(0)} B/customer, every trigram list built), ${mb(c.memoryBytes())} MB WASM heap`;
    c.close();
  }
}

// ---- clientele native (the binary built from bench/native_bench.cpp) -------------------------------------
if (NATIVE) {
  const input = customers.map((x) => JSON.stringify(x)).join("\n");
  const out = JSON.parse(execFileSync(NATIVE, [JSON.stringify(Q)], { input, maxBuffer: 1 << 30 }).toString());
  engines.unshift({ ...out, memory: `${out.peak_rss_mb.toFixed(0)} MB peak RSS (whole process)` });
}

// ---- Array.filter over precomputed lower-cased text --------------------------------------------------------
{
  const before = heapMb();
  let t = performance.now();
  const rows = JSON.parse(JSON.stringify(customers)).map((c) => ({ ...c, hay: `${c.email} ${c.name}`.toLowerCase(), emailLower: c.email.toLowerCase() }));
  const load = performance.now() - t;
  const byEmail = (a, b) => (a.emailLower < b.emailLower ? -1 : a.emailLower > b.emailLower ? 1 : 0);
  engines.push({
    engine: "Array.filter",
    bulk_load_ms: load,
    memory: `${(heapMb() - before).toFixed(0)} MB JS heap`,
    rows: {
      substring3: await timeit(() => rows.filter((c) => c.hay.includes(Q.substring3) || c.external_id.startsWith(Q.substring3)).length),
      substring6: await timeit(() => rows.filter((c) => c.hay.includes(Q.substring6) || c.external_id.startsWith(Q.substring6)).length),
      email: await timeit(() => rows.filter((c) => c.emailLower === Q.email.toLowerCase()).length),
      externalId: await timeit(() => rows.filter((c) => c.external_id === Q.externalId).length),
      metadata: await timeit(() => rows.filter((c) => c.metadata.plan === "pro").length),
      sortedPage1: await timeit(() => (rows.slice().sort(byEmail).slice(0, 10), rows.length)),
      sortedPage500: await timeit(() => (rows.slice().sort(byEmail).slice(4990, 5000), rows.length)),
    },
  });
}

// ---- @orama/orama ---------------------------------------------------------------------------------------------
{
  const before = heapMb();
  let t = performance.now();
  const db = oramaCreate({ schema: { email: "string", name: "string", external_id: "string", plan: "enum" } });
  await insertMultiple(db, customers.map((c) => ({ email: c.email, name: c.name, external_id: c.external_id, plan: c.metadata.plan ?? "none" })));
  const load = performance.now() - t;
  const count = async (params) => (await oramaSearch(db, { ...params, limit: 10 })).count;
  engines.push({
    engine: "@orama/orama (tokens)",
    bulk_load_ms: load,
    memory: `${(heapMb() - before).toFixed(0)} MB JS heap`,
    rows: {
      substring3: await timeit(() => count({ term: Q.substring3, properties: ["email", "name"] })),
      substring6: await timeit(() => count({ term: Q.substring6, properties: ["email", "name"] })),
      email: await timeit(() => count({ term: Q.email, properties: ["email"], exact: true })),
      externalId: await timeit(() => count({ term: Q.externalId, properties: ["external_id"], exact: true })),
      metadata: await timeit(() => count({ where: { plan: { eq: "pro" } } })),
      sortedPage1: await timeit(() => count({ sortBy: { property: "email", order: "ASC" }, offset: 0 })),
      sortedPage500: await timeit(() => count({ sortBy: { property: "email", order: "ASC" }, offset: 4990 })),
    },
  });
}

// ---- minisearch (prefix search over tokens) ------------------------------------------------------------
{
  const before = heapMb();
  let t = performance.now();
  const ms = new MiniSearch({ fields: ["email", "name", "external_id"], idField: "external_id", storeFields: [] });
  ms.addAll(customers);
  const load = performance.now() - t;
  engines.push({
    engine: "minisearch (prefix)",
    bulk_load_ms: load,
    memory: `${(heapMb() - before).toFixed(0)} MB JS heap`,
    rows: {
      substring3: await timeit(() => ms.search(Q.substring3, { prefix: true }).length),
      substring6: await timeit(() => ms.search(Q.substring6, { prefix: true }).length),
    },
  });
}

// ---- flexsearch (forward tokenizer: prefixes) --------------------------------------------------------------
{
  const before = heapMb();
  let t = performance.now();
  const index = new FlexSearch.Index({ tokenize: "forward" });
  customers.forEach((c, i) => index.add(i, `${c.email} ${c.name} ${c.external_id}`));
  const load = performance.now() - t;
  engines.push({
    engine: "flexsearch (forward)",
    bulk_load_ms: load,
    memory: `${(heapMb() - before).toFixed(0)} MB JS heap`,
    rows: {
      substring3: await timeit(() => index.search(Q.substring3, { limit: N }).length),
      substring6: await timeit(() => index.search(Q.substring6, { limit: N }).length),
    },
  });
}

// ---- the table -----------------------------------------------------------------------------------------------
const ROWS = [
  ["substring3", `query "${Q.substring3}" (3 chars)`], ["substring6", `query "${Q.substring6}" (6 chars)`],
  ["email", "exact email"], ["externalId", "external id"], ["metadata", "metadata plan=pro"],
  ["sortedPage1", "sorted by email, page 1"], ["sortedPage500", "sorted by email, page 500"],
];
const cell = (r) => (r ? `${r.p50.toFixed(3)} / ${r.p99.toFixed(3)} (${r.count})` : "—");
console.log(`\n### ${N.toLocaleString("en")} customers — latency ms p50 / p99 (result count)\n`);
console.log(`| | ${engines.map((e) => e.engine).join(" | ")} |`);
console.log(`|---|${engines.map(() => "---").join("|")}|`);
for (const [key, label] of ROWS) console.log(`| ${label} | ${engines.map((e) => (e.skipped ? "—" : cell(e.rows?.[key]))).join(" | ")} |`);
console.log(`| bulk load from JSON (ms) | ${engines.map((e) => (e.skipped ? e.skipped : e.bulk_load_ms.toFixed(0))).join(" | ")} |`);
console.log(`| memory | ${engines.map((e) => e.memory ?? "—").join(" | ")} |`);
console.log(`| create throughput (/s) | ${engines.map((e) => (e.create_per_s ? Math.round(e.create_per_s).toLocaleString("en") : "—")).join(" | ")} |`);
