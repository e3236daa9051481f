// clientele/cloudflare persisted across restarts: 1,000 customers written through the Worker, miniflare
// disposed and started again on the same directory, every customer back (updates, deletions,
// anonymizations, team members), memory and storage agreeing, and no byte of an anonymized customer's
// old email or name left in any persisted file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCloudflare, api } from "./fixtures/cloudflare.mjs";

const vars = { CLIENTELE_TOKENS: JSON.stringify({ t: "org_restart" }) };
const sortedLines = (jsonl) => jsonl.split("\n").filter(Boolean).sort();

async function persistedBytes(dir) {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  return Promise.all(files.map(async (f) => ({ name: join(f.parentPath ?? f.path, f.name), bytes: await readFile(join(f.parentPath ?? f.path, f.name)) })));
}

test("1,000 customers survive a restart, anonymizations included, with no personal data left on disk", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "clientele-cf-restart-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const tag = Math.random().toString(36).slice(2, 8);
  let mf = await startCloudflare({ persist: dir, vars });
  let before;
  const made = [];
  const anonymized = [];
  try {
    const c = api(mf, "t");
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const n = i + k;
          return c("POST", "/v1/customers/", { email: `person${n}.${tag}@example.com`, name: `Person ${n} Q${tag}`, external_id: `ext-${n}`, metadata: { n } });
        }),
      );
      for (const r of batch) assert.equal(r.status, 201, JSON.stringify(r.body));
      made.push(...batch.map((r) => r.body));
    }
    const team = await c("POST", "/v1/customers/", { type: "team", name: `Team ${tag}`, owner: { email: `owner.${tag}@team.example` } });
    assert.equal(team.status, 201);
    assert.equal((await c("POST", `/v1/customers/${team.body.id}/members`, { email: `dev.${tag}@team.example`, role: "member" })).status, 201);
    for (let i = 0; i < 20; i++) assert.equal((await c("PATCH", `/v1/customers/${made[i].id}`, { name: `Renamed ${i}`, metadata: { tier: "gold" } })).status, 200);
    for (let i = 20; i < 30; i++) assert.equal((await c("DELETE", `/v1/customers/${made[i].id}`)).status, 204);
    for (let i = 30; i < 45; i++) {
      assert.equal((await c("DELETE", `/v1/customers/${made[i].id}?anonymize=true`)).status, 204);
      anonymized.push(made[i]);
    }
    before = await c("GET", "/__test/state?org=org_restart");
    assert.deepEqual(sortedLines(before.body.storage.map((r) => r.line).join("\n")), sortedLines(before.body.memory), "storage holds what memory holds");
  } finally {
    await mf.dispose();
  }

  mf = await startCloudflare({ persist: dir, vars });
  try {
    const c = api(mf, "t");
    const list = await c("GET", "/v1/customers/?limit=1");
    assert.equal(list.body.pagination.total_count, 1000 + 1 - 10 - 15);
    const after = await c("GET", "/__test/state?org=org_restart");
    assert.deepEqual(sortedLines(after.body.memory), sortedLines(before.body.memory), "the restarted object holds what it held");
    assert.equal(after.body.count, 1001);
    assert.equal((await c("GET", `/v1/customers/${made[5].id}`)).body.name, "Renamed 5");
    assert.equal((await c("GET", "/v1/customers/external/ext-999")).body.email, `person999.${tag}@example.com`);
    assert.equal((await c("GET", `/v1/customers/${made[25].id}`)).status, 404, "a deleted customer stays deleted");
    const records = await c("GET", `/__test/records?org=org_restart&${anonymized.map((a) => `id=${a.id}`).join("&")}`);
    assert.equal(records.body.length, anonymized.length);
    for (const r of records.body) {
      assert.ok(r.anonymized_at, `${r.id} is anonymized after the restart`);
      assert.match(r.email, /@anonymized\.invalid$/);
      assert.equal(r.name, "[deleted]");
    }
  } finally {
    await mf.dispose();
  }

  const files = await persistedBytes(dir);
  const all = Buffer.concat(files.map((f) => f.bytes));
  assert.ok(all.includes(Buffer.from(`person999.${tag}@example.com`)), "the scan sees stored customers (control)");
  for (const a of anonymized) {
    for (const secret of [a.email, a.name]) {
      const hits = files.filter((f) => f.bytes.includes(Buffer.from(secret))).map((f) => f.name);
      assert.deepEqual(hits, [], `${secret} is left in ${hits.join(", ")}`);
    }
  }
});
