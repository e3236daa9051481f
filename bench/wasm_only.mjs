// The clientele WASM part of the benchmark alone, for quick measurements while changing the core:
//   node --expose-gc bench/wasm_only.mjs N   (prints create rate, bulk load and memory)
import { readFile } from "node:fs/promises";
import { Clientele } from "../js/dist/index.js";
import { generate, queries } from "./generate.mjs";

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
const before = c.memoryInUse();
const hits = (await c.customers.list({ query: Q.substring6 })).pagination.total_count;
const mb = (n) => (n / 1048576).toFixed(1);
console.log(JSON.stringify({
  n: N, create_per_s: Math.round(createPerS), bulk_load_ms: Math.round(load),
  in_use_mb: mb(before), per_customer_b: Math.round(before / N),
  with_postings_mb: mb(c.memoryInUse()), with_postings_per_customer_b: Math.round(c.memoryInUse() / N),
  wasm_memory_mb: mb(c.memoryBytes()), substring6_hits: hits,
}));
