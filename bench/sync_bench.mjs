// Sync benchmark (not part of the tests): a pull of N customers (default 100,000) from the local upstream
// with no rate limit (customers/s, memory), and webhook ingestion (webhooks/s, verified and applied).
// `node bench/sync_bench.mjs [N] [WEBHOOKS]`.
import { Clientele } from "../js/dist/runtime/node.js";
import { ORG, startUpstream } from "../tests/js/fixtures/polar_upstream.mjs";

const N = Number(process.argv[2] ?? 100_000);
const W = Number(process.argv[3] ?? 20_000);
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

const up = await startUpstream();
let t = performance.now();
await up.seed(N, { teamEvery: 50 });
console.log(`upstream seeded with ${N.toLocaleString("en")} customers in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const replica = await Clientele.open({ organizationId: ORG });
global.gc?.();
const rssBefore = process.memoryUsage().rss;
let phases = {};
t = performance.now();
const report = await replica.sync.pull({
  accessToken: up.token,
  server: up.url,
  requestsPerMinute: 0,
  onProgress: (p) => (phases[p.phase] ??= performance.now()),
});
const seconds = (performance.now() - t) / 1000;
const applyS = (performance.now() - phases.applying) / 1000;
console.log(
  `pull: ${report.customers.toLocaleString("en")} customers + ${report.members.toLocaleString("en")} members, ${report.requests} requests, ` +
    `${seconds.toFixed(1)} s (${Math.round(report.customers / seconds).toLocaleString("en")} customers/s; apply step ${applyS.toFixed(2)} s incl. local-only scan)`,
);
const customersS = (phases.members - t) / 1000, membersS = (phases.applying - phases.members) / 1000;
console.log(
  `  customer pages ${customersS.toFixed(1)} s (${Math.round(report.customers / customersS).toLocaleString("en")} customers/s), ` +
    `member pages ${membersS.toFixed(1)} s, apply ${applyS.toFixed(2)} s`,
);
console.log(`memory: rss +${mb(process.memoryUsage().rss - rssBefore)}, wasm heap ${mb(replica.memoryBytes())} (${mb(replica.memoryInUse())} in use)`);

// Ingest: the upstream's own events, signed as Polar signs them, each verified and applied.
const made = (await up.store.customers.list({ limit: 100 })).items;
up.events.length = 0;
for (let i = 0; W > up.events.length; i++) await up.store.customers.update({ id: made[i % made.length].id, customerUpdate: { name: `Bench ${i}` } });
const deliveries = await up.sign(up.events.slice(0, W));
t = performance.now();
let ok = 0;
for (const d of deliveries) if ((await replica.sync.ingest(d, up.secret)).status === 200) ok++;
const ingestS = (performance.now() - t) / 1000;
console.log(`ingest: ${deliveries.length.toLocaleString("en")} webhooks (${ok} answered 200) in ${ingestS.toFixed(2)} s: ${Math.round(deliveries.length / ingestS).toLocaleString("en")} webhooks/s`);
replica.close();
up.close();
