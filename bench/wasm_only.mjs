// The clientele WASM part of the benchmark alone, in a quiet process (no JS peers), for quick runs and
// for 1M, whose JS peers take most of an hour:
//   node --expose-gc --max-old-space-size=8192 bench/wasm_only.mjs N
// prints the create rate, the bulk load (a snapshot import in 50k-line chunks into a fresh client), the
// memory, the first substring query (it builds the trigram lists its keys need), p50 / p99 over 200 runs of each
// query (result counts beside them), and sorted pages right after an update (the order brought up to
// date, not sorted again) beside the first sort by name. The memory at the end has every trigram list.
import { readFile } from "node:fs/promises";
import { Clientele } from "../js/dist/runtime/node.js";
import { freshQueries, generate, queries } from "./generate.mjs";

const N = Number(process.argv[2] ?? 100000);
const customers = generate(N);
const Q = queries(customers);
const wasm = await readFile(new URL("../js/wasm/clientele.wasm", import.meta.url));
const creator = await Clientele.open({ organizationId: "bench", wasm });
let t = performance.now();
const ids = [];
for (const body of customers) ids.push((await creator.call("customers.create", { body })).id);
const createPerS = N / ((performance.now() - t) / 1000);
const chunks = [];
for (let i = 0; i < ids.length; i += 50_000) {
  const records = await creator.call("snapshot.records", { ids: ids.slice(i, i + 50_000) });
  chunks.push(records.map((r) => JSON.stringify(r)).join("\n"));
}
creator.close();
const c = await Clientele.open({ organizationId: "bench", wasm });
t = performance.now();
for (const chunk of chunks) await c.importSnapshot(chunk);
const load = performance.now() - t;
const mb = (n) => (n / 1048576).toFixed(1);
const loaded = { in_use_mb: mb(c.memoryInUse()), per_customer_b: Math.round(c.memoryInUse() / N), wasm_memory_mb: mb(c.memoryBytes()) };
const rows = {};
let firstSubstring = 0;  // the first substring query builds the trigram postings
const list = async (q) => (await c.customers.list(q)).pagination.total_count;
for (const [name, q] of Object.entries({
  substring3: { query: Q.substring3 },
  substring6: { query: Q.substring6 },
  email: { email: Q.email },
  externalId: { externalId: Q.externalId },
  metadata: { metadata: { plan: "pro" } },
  sortedPage1: { sorting: ["email"], page: 1 },
  sortedPage500: { sorting: ["email"], page: 500 },
})) {
  const times = [];
  let count = 0;
  for (let i = 0; i < 202; i++) {
    const start = performance.now();
    count = await list(q);
    if (i === 0 && name === "substring3") firstSubstring = Math.round(performance.now() - start);
    if (i >= 2) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  rows[name] = `${times[100].toFixed(3)} / ${times[198].toFixed(3)} (${count})`;
}
// Queries whose keys lack trigram lists: each builds some in one pass over the rows, until the core's
// passes for some keys run out; the next builds every list.
const freshMs = [];
for (const query of freshQueries(customers, Q)) {
  const start = performance.now();
  await list({ query });
  freshMs.push(Math.round(performance.now() - start));
}
const afterUpdate = {};
for (const sorting of [["name"], ["-created_at"], ["email"]]) {
  let start = performance.now();
  await list({ sorting });
  if (sorting[0] === "name") afterUpdate.first_sort_by_name_ms = Math.round(performance.now() - start);
  const times = [];
  for (let i = 0; i < 21; i++) {
    await c.customers.update({ id: ids[(i * 7919) % N], customerUpdate: { name: `Renamed ${i}` } });
    start = performance.now();
    await list({ sorting });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  afterUpdate[sorting[0]] = `${times[10].toFixed(3)} / ${times[20].toFixed(3)}`;
}
console.log(JSON.stringify({
  n: N, create_per_s: Math.round(createPerS), bulk_load_ms: Math.round(load), after_load: loaded,
  first_substring_query_ms: firstSubstring, p50_p99_ms: rows, fresh_queries_ms: freshMs, page_after_an_update_p50_max_ms: afterUpdate,
  with_postings: { in_use_mb: mb(c.memoryInUse()), per_customer_b: Math.round(c.memoryInUse() / N), wasm_memory_mb: mb(c.memoryBytes()) },
}, null, 1));
