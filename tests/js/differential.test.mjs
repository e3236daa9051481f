// Differential test: a seeded random sequence of creates, updates, deletes (some anonymizing) and listings
// over two organizations, run on the core and on the plain TypeScript reference model (tests/model). After
// every step both organizations' listings must agree: ids in order, total_count, max_page and the fields shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Clientele, ValidationError, NotFoundError } from "../../js/dist/runtime/node.js";
import { ReferenceStore } from "../../build/model/reference.js";
import { mulberry32 } from "../../fixtures/seeded_random.mjs";

const SEED = Number(process.env.DIFF_SEED ?? 20261124), STEPS = Number(process.env.DIFF_STEPS ?? 1500);
const ORGS = ["org-diff-a", "org-diff-b"];

test(`core and reference model agree on every listing over ${STEPS} seeded steps`, async () => {
  const rand = mulberry32(SEED);
  const int = (n) => Math.floor(rand() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rand() < p;
  const LOCALS = ["ada", "Ada.L", "zoe", "ZOË", "li", "bei.jing", "omar", "Émile", "sam", "kim", "noor", "jo", "max", "eve", "ola"];
  const DOMAINS = ["example.com", "Example.org", "mail.test"];
  const NAMES = ["Zoë Ångström", "北京 Li", "Émile Zola", "Ada Lovelace", "  Omar Δelta  ", "Ωmega Kim", "Noor", "", "Sam O'Neil", "ÅSA Öberg"];
  const META = { plan: ["pro", "free", "team"], n: [1, 2, 3], vip: [true, false], region: ["eu", "us"] };
  const metadata = () => Object.fromEntries(Object.keys(META).filter(() => chance(0.4)).map((k) => [k, pick(META[k])]));
  const caseFlip = (s) => [...s].map((ch) => (chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join("");

  const core = await Clientele.open({ organizationId: ORGS[0] });
  const handles = { [ORGS[0]]: core, [ORGS[1]]: core.forOrganization(ORGS[1]) };
  const model = new ReferenceStore();
  const ids = [];

  const expectRefusal = async (run, refusal, what) => {
    const err = await run().then(() => null, (e) => e);
    if (refusal === "not_found") return assert.ok(err instanceof NotFoundError, `${what}: expected not found, got ${err?.message ?? "success"}`);
    assert.ok(err instanceof ValidationError, `${what}: expected ${JSON.stringify(refusal)}, got ${err?.message ?? "success"}`);
    assert.ok(err.detail.some((d) => JSON.stringify(d.loc) === JSON.stringify(refusal.loc) && d.type === refusal.type), `${what}: ${err.message}`);
  };

  const listQuery = (org) => {
    const q = {};
    const live = [...model.rows.values()].filter((r) => r.organization_id === org && !r.deleted);
    const some = live.length ? pick(live) : null;
    const roll = int(6);
    if (roll === 1 && some) {
      const field = pick([some.email, some.name ?? "zz"]);
      const from = int(field.length);
      q.query = caseFlip(field.slice(from, from + 1 + int(6)));
    } else if (roll === 2 && some?.external_id) q.query = some.external_id.slice(0, 1 + int(some.external_id.length));
    else if (roll === 3) q.email = caseFlip(some?.email ?? "nobody@example.com");
    else if (roll === 4) q.metadata = chance(0.5) ? { plan: pick(META.plan) } : { plan: ["pro", "team"], vip: String(pick(META.vip)) };
    else if (roll === 5) q.metadata = { n: String(pick(META.n)) };
    if (chance(0.7)) q.sorting = chance(0.8) ? [pick(["created_at", "-created_at", "email", "-email", "name", "-name"])] : ["name", "-created_at"];
    if (chance(0.5)) q.limit = pick([1, 3, 7, 20, 150]);
    if (chance(0.4)) q.page = 1 + int(3);
    return q;
  };

  const compare = async (step, op) => {
    for (const org of ORGS) {
      const q = listQuery(org);
      const got = await handles[org].customers.list(q);
      const want = model.list(org, q);
      const where = `step ${step} (${op}) ${org} ${JSON.stringify(q)}`;
      assert.deepEqual(got.items.map((c) => c.id), want.ids, where);
      assert.deepEqual(got.pagination, { total_count: want.total_count, max_page: want.max_page }, where);
      for (const c of got.items) {
        const r = model.rows.get(c.id);
        assert.deepEqual([c.email, c.name, c.external_id, c.organization_id], [r.email, r.name, r.external_id, org], where);
        assert.deepEqual(c.metadata, r.metadata, where);
      }
    }
  };

  let refused = 0, listed = 0;
  for (let step = 0; step < STEPS; step++) {
    const org = pick(ORGS), c = handles[org], roll = rand();
    let op;
    if (roll < 0.5 || ids.length === 0) {
      op = "create";
      const body = { email: `${pick(LOCALS)}${int(30)}@${pick(DOMAINS)}`, name: pick(NAMES), type: chance(0.3) ? "team" : "individual", metadata: metadata() };
      if (chance(0.5)) body.external_id = `ext-${int(80)}`;
      const refusal = model.checkCreate(org, body);
      const input = { email: body.email, name: body.name, type: body.type, metadata: body.metadata, externalId: body.external_id };
      if (refusal) {
        refused++;
        await expectRefusal(() => c.customers.create(input), refusal, `step ${step} create`);
      } else {
        const made = await c.customers.create(input);
        model.add(org, made.id, made.created_at, body);
        ids.push(made.id);
      }
    } else if (roll < 0.8) {
      op = "update";
      const id = pick(ids), body = {};
      if (chance(0.4)) body.name = chance(0.2) ? null : pick(NAMES);
      if (chance(0.3)) body.email = `${caseFlip(pick(LOCALS))}${int(30)}@${pick(DOMAINS)}`;
      if (chance(0.3)) body.metadata = metadata();
      if (chance(0.2)) body.external_id = chance(0.2) ? null : `ext-${int(80)}`;
      const snapshot = JSON.stringify(model.rows.get(id));
      const refusal = model.update(org, id, body);
      const input = { ...body, externalId: body.external_id };
      delete input.external_id;
      if (!("external_id" in body)) delete input.externalId;
      if (refusal) {
        refused++;
        assert.equal(JSON.stringify(model.rows.get(id)), snapshot, "the model refused without changing");
        await expectRefusal(() => c.customers.update({ id, customerUpdate: input }), refusal, `step ${step} update ${JSON.stringify(body)}`);
      } else {
        await c.customers.update({ id, customerUpdate: input });
      }
    } else {
      op = "delete";
      const id = pick(ids), anonymize = chance(0.5);
      const refusal = model.remove(org, id, anonymize);
      if (refusal) {
        refused++;
        await expectRefusal(() => c.customers.delete({ id, anonymize }), refusal, `step ${step} delete`);
      } else {
        await c.customers.delete({ id, anonymize });
      }
    }
    await compare(step, op);
    listed += 2;
  }
  // The run exercised what it claims to: refusals, deletions and non-empty listings on both sides.
  assert.ok(refused > STEPS / 20, `refusals: ${refused}`);
  for (const org of ORGS) assert.ok(model.list(org, {}).total_count > 10, `${org} has customers`);
  assert.equal(listed, STEPS * 2);
});
