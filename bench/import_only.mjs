// The bulk load alone: N generated customers exported as one snapshot, then imported into a fresh client
// ROUNDS times in the same process (the first import runs on code V8 has not optimized yet). Usage:
//   node --expose-gc bench/import_only.mjs [N=100000] [ROUNDS=7] [CHUNK=N]
// prints the first import, then the minimum and median of the others, the WASM memory after one, and the
// median time of exportSnapshot() of what was imported.
import { readFile } from "node:fs/promises";
import { Clientele } from "../js/dist/runtime/node.js";
import { generate } from "./generate.mjs";

const N = Number(process.argv[2] ?? 100000);
const ROUNDS = Number(process.argv[3] ?? 7);
const CHUNK = Number(process.argv[4] ?? N);
const wasm = await readFile(new URL("../js/wasm/clientele.wasm", import.meta.url));
const creator = await Clientele.open({ organizationId: "bench", wasm });
const ids = [];
for (const body of generate(N)) ids.push((await creator.call("customers.create", { body })).id);
const chunks = [];
for (let i = 0; i < N; i += CHUNK) {
  const lines = [];
  for (let k = i; k < Math.min(N, i + CHUNK); k += 50_000)
    for (const r of await creator.call("snapshot.records", { ids: ids.slice(k, Math.min(N, i + CHUNK, k + 50_000)) })) lines.push(JSON.stringify(r));
  chunks.push(lines.join("\n"));
}
creator.close();
const times = [], exports = [];
let memory = 0;
for (let round = 0; round < ROUNDS; round++) {
  global.gc?.();
  const c = await Clientele.open({ organizationId: "bench", wasm });
  const t = performance.now();
  for (const chunk of chunks) await c.importSnapshot(chunk);
  times.push(performance.now() - t);
  memory = c.memoryBytes();
  const e = performance.now();
  c.exportSnapshot();
  exports.push(performance.now() - e);
  c.close();
}
const rest = times.slice(1).sort((a, b) => a - b);
console.log(JSON.stringify({
  n: N, chunks: chunks.length, first_ms: Math.round(times[0]),
  then_min_ms: Math.round(rest[0]), then_median_ms: Math.round(rest[rest.length >> 1]),
  all_ms: times.map(Math.round), wasm_memory_mb: Math.round(memory / 1048576),
  export_median_ms: Math.round([...exports].sort((a, b) => a - b)[exports.length >> 1]),
}));
