// The package against the real .wasm in Node: create, read, list, update, delete, errors, events.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Clientele, ClienteleError, ValidationError, ConflictError, NotFoundError, NotPermittedError, UnauthorizedError, toError } from "../../js/dist/runtime/node.js";

const ORG = "11111111-1111-4111-8111-111111111111";
const open = () => Clientele.open({ organizationId: ORG });

test("create, get and list customers through the WASM core", async () => {
  const c = await open();
  const ada = await c.customers.create({ email: "ada@Example.com", name: "Ada", externalId: "u1", metadata: { planName: "pro" } });
  assert.equal(ada.email, "ada@example.com");
  assert.equal(ada.external_id, "u1");
  assert.deepEqual(ada.metadata, { planName: "pro" }, "metadata keys are not case-converted");
  assert.deepEqual(await c.customers.get({ id: ada.id }), ada);
  assert.deepEqual(await c.customers.getExternal({ externalId: "u1" }), ada);
  await c.customers.create({ email: "bob@example.com", name: "Bob" });
  const page = await c.customers.list({ query: "ada" });
  assert.equal(page.pagination.total_count, 1);
  assert.equal(page.items[0].id, ada.id);
  const all = await c.customers.list({ sorting: ["email"], limit: 1, page: 2 });
  assert.deepEqual(all.pagination, { total_count: 2, max_page: 2 });
  assert.equal(all.items[0].email, "bob@example.com");
});

test("validation errors are typed and name the field and rule", async () => {
  const c = await open();
  await assert.rejects(
    c.customers.create({ email: "nope", billingAddress: { country: "US", state: "ZZ" } }),
    (err) => {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.status, 422);
      assert.equal(err.detail.length, 2);
      assert.match(err.message, /email: value is not a valid email address/);
      assert.match(err.message, /billing_address\.state: Invalid US state/);
      return true;
    },
  );
  assert.equal((await c.customers.list()).pagination.total_count, 0, "a refused call writes nothing");
});

test("duplicates are ConflictError (a 422 ValidationError)", async () => {
  const c = await open();
  await c.customers.create({ email: "a@example.com" });
  await assert.rejects(c.customers.create({ email: "A@example.com" }), (err) => {
    assert.ok(err instanceof ConflictError);
    assert.ok(err instanceof ValidationError);
    assert.match(err.message, /A customer with this email address already exists/);
    return true;
  });
});

test("ConflictError is the core's \"conflict\" code: duplicate customer email or external id, duplicate member email or external id", async () => {
  const c = await open();
  const conflict = (what, loc) => (err) => {
    assert.ok(err instanceof ConflictError, `${what}: ${err}`);
    assert.ok(err instanceof ValidationError);
    assert.equal(err.status, 422);
    assert.deepEqual(err.detail.map((d) => d.loc.join(".")), loc, what);
    return true;
  };
  await c.customers.create({ email: "taken@example.com", externalId: "ext-taken" });
  await assert.rejects(c.customers.create({ email: "Taken@Example.com" }), conflict("email", ["body.email"]));
  await assert.rejects(c.customers.create({ email: "free@example.com", externalId: "ext-taken" }), conflict("external id", ["body.external_id"]));
  await assert.rejects(c.customers.create({ email: "taken@example.com", externalId: "ext-taken" }), conflict("both", ["body.email", "body.external_id"]));
  const team = await c.customers.create({ type: "team", name: "Acme", owner: { email: "boss@acme.io" } });
  const dev = await c.members.create({ customerId: team.id, email: "dev@acme.io", externalId: "m-1" });
  await assert.rejects(c.members.update({ id: dev.id, memberUpdate: { email: "Boss@acme.io" } }), conflict("member email", ["body.email"]));
  await assert.rejects(c.members.create({ customerId: team.id, email: "ops@acme.io", externalId: "m-1" }), conflict("member external id", ["body.external_id"]));
});

test("a duplicate together with another broken rule is a ValidationError, not a ConflictError", async () => {
  const c = await open();
  await c.customers.create({ email: "taken@example.com", externalId: "ext-taken" });
  for (const input of [
    { email: "taken@example.com", name: 5 },
    { email: "taken@example.com", billingAddress: { country: "US", state: "ZZ" } },
    { email: "new@example.com", externalId: "ext-taken", type: "robot" },
  ]) {
    await assert.rejects(c.customers.create(input), (err) => {
      assert.ok(err instanceof ValidationError, String(err));
      assert.ok(!(err instanceof ConflictError), `${JSON.stringify(input)}: ${err.message}`);
      assert.equal(err.detail.length, 2);
      assert.ok(err.detail.some((d) => ["body.email", "body.external_id"].includes(d.loc.join(".")) && d.type === "value_error"), "the duplicate is still reported");
      return true;
    });
  }
});

test("toError: the class follows the code; without one, the status (message wording never decides)", () => {
  const dup = { error: "PolarRequestValidationError", detail: [{ type: "value_error", loc: ["body", "email"], msg: "A customer with this email address already exists." }] };
  assert.ok(toError(422, dup, "conflict") instanceof ConflictError);
  assert.ok(!(toError(422, dup, "validation") instanceof ConflictError));
  assert.ok(!(toError(422, dup) instanceof ConflictError), "no code: a plain ValidationError whatever the message says");
  assert.ok(toError(422, dup) instanceof ValidationError);
  const plain = (error, detail) => ({ error, detail });
  assert.ok(toError(404, plain("ResourceNotFound", "Not found"), "not_found") instanceof NotFoundError);
  assert.ok(toError(404, plain("ResourceNotFound", "Not found")) instanceof NotFoundError);
  assert.ok(toError(403, plain("NotPermitted", "no"), "not_permitted") instanceof NotPermittedError);
  assert.ok(toError(401, plain("Unauthorized", "no"), "unauthorized") instanceof UnauthorizedError);
  const internal = toError(500, plain("InternalError", "unexpected failure"));
  assert.equal(internal.constructor, ClienteleError);
  assert.equal(internal.message, "unexpected failure");
  assert.equal(internal.status, 500);
});

test("update, state and delete with anonymization", async () => {
  const c = await open();
  const x = await c.customers.create({ email: "grace@navy.mil", name: "Grace", billingAddress: { country: "US", state: "VA" } });
  const updated = await c.customers.update({ id: x.id, customerUpdate: { name: "Grace Hopper", billingAddress: { country: "US", state: "NY", postalCode: "10001" } } });
  assert.equal(updated.name, "Grace Hopper");
  assert.equal(updated.billing_address.postal_code, "10001");
  assert.equal(updated.billing_address.state, "US-NY");
  await assert.rejects(c.customers.update({ id: x.id, customerUpdate: { billingAddress: null } }), ValidationError);
  const state = await c.customers.getState({ id: x.id });
  assert.deepEqual(state.active_subscriptions, []);
  const gone = await c.customers.delete({ id: x.id, anonymize: true });
  assert.equal(gone.name, "[deleted]");
  assert.match(gone.email, /^[0-9a-f]{64}@anonymized\.invalid$/);
  await assert.rejects(c.customers.get({ id: x.id }), NotFoundError);
  assert.ok(!JSON.stringify(c.events()).includes("Grace"), "stored events are redacted");
});

test("members of a team, and the individual refusal", async () => {
  const c = await open();
  const team = await c.customers.create({ type: "team", name: "Acme", owner: { email: "boss@acme.io" } });
  const dev = await c.members.create({ customerId: team.id, email: "dev@acme.io", role: "billing_manager" });
  assert.equal(dev.role, "billing_manager");
  const list = await c.members.list({ customerId: team.id });
  assert.deepEqual(list.items.map((m) => m.role).sort(), ["billing_manager", "owner"]); // newest first; both may share a millisecond
  const solo = await c.customers.create({ email: "solo@example.com" });
  await assert.rejects(c.members.create({ customerId: solo.id, email: "x@example.com" }), NotPermittedError);
});

test("events reach listeners in order", async () => {
  const c = await open();
  const seen = [];
  c.on("*", (e) => seen.push(e.type));
  const x = await c.customers.create({ email: "e@example.com" });
  await c.customers.update({ id: x.id, customerUpdate: { name: "E" } });
  await c.customers.update({ id: x.id, customerUpdate: { name: "E" } });  // no change, no event
  assert.deepEqual(seen, ["customer.created", "member.created", "customer.state_changed", "customer.updated", "customer.state_changed"]);
});

test("changes made while nobody listens are not replayed to a later listener, and stay in the log", async () => {
  const c = await open();
  const quiet = await c.customers.create({ email: "quiet@example.com" });
  const seen = [];
  const off = c.on("*", (e) => e.type.startsWith("customer.") && e.type !== "customer.state_changed" && seen.push(`${e.type} ${e.data.id}`));
  const loud = await c.customers.create({ email: "loud@example.com" });
  await c.customers.update({ id: quiet.id, customerUpdate: { name: "Q" } });
  await c.customers.update({ id: loud.id, customerUpdate: { name: "L" } });
  off();
  await c.customers.update({ id: loud.id, customerUpdate: { name: "L2" } });
  assert.deepEqual(seen, [`customer.created ${loud.id}`, `customer.updated ${quiet.id}`, `customer.updated ${loud.id}`]);
  const logged = c.events().filter((e) => e.type === "customer.created").map((e) => e.data.id);
  assert.deepEqual(logged, [quiet.id, loud.id], "the core's log holds every event, heard or not");
});

test("organizations sharing one core never see each other", async () => {
  const a = await open();
  const b = a.forOrganization("22222222-2222-4222-8222-222222222222");
  const x = await a.customers.create({ email: "same@example.com" });
  await assert.rejects(b.customers.get({ id: x.id }), NotFoundError);
  assert.equal((await b.customers.list()).pagination.total_count, 0);
  await b.customers.create({ email: "same@example.com" });  // unique per organization only
  assert.equal(b.events().some((e) => e.data.id === x.id), false);
});

test("billing inputs drive state, seats and automatic creation", async () => {
  const c = await open();
  const events = [];
  c.on("customer.state_changed", (e) => events.push(e.data.active_subscriptions.length));
  const buyer = await c.call("checkouts.complete", { body: { email: "buyer@example.com", name: "Buyer" } });
  assert.equal(buyer.email_verified, true, "a completed checkout verifies the email");
  const again = await c.call("checkouts.complete", { body: { email: "BUYER@example.com" } });
  assert.equal(again.id, buyer.id, "the same email reuses the customer");
  await c.customers.update({ id: buyer.id, customerUpdate: { type: "team" } });
  await c.call("subscriptions.create", { body: { customer_id: buyer.id, product_id: "seats", seats: 2, amount: 1200 } });
  const state = await c.customers.getState({ id: buyer.id });
  assert.equal(state.active_subscriptions.length, 1);
  assert.equal(state.active_subscriptions[0].amount, 1200);
  assert.deepEqual(events.slice(-1), [1]);
  await c.members.create({ customerId: buyer.id, email: "second@example.com" });
  await assert.rejects(c.members.create({ customerId: buyer.id, email: "third@example.com" }), NotPermittedError);
  await assert.rejects(c.call("checkouts.complete", { body: { email: "us@example.com", billing_address: { country: "US" } } }), ValidationError);
});

test("events as an async iterator, ending when the signal aborts", async () => {
  const c = await open();
  const controller = new AbortController();
  const got = [];
  const reading = (async () => {
    for await (const e of c.stream(controller.signal)) {
      got.push(e.type);
      if (got.length === 3) controller.abort();
    }
  })();
  await c.customers.create({ email: "stream@example.com" });
  await reading;
  assert.deepEqual(got, ["customer.created", "member.created", "customer.state_changed"]);
});

test("a snapshot larger than the core's 1 MB window, in several scripts, loads back unchanged", async () => {
  const from = await open();
  const names = ["Zoë Ångström", "北京 客户", "Ελένη Παπαδοπούλου", "😀 Emoji Person", "Олег"];
  for (let i = 0; i < 3500; i++)
    await from.customers.create({ email: `u${i}@example.com`, name: `${names[i % names.length]} ${i}`, metadata: { note: "é😀北".repeat(1 + (i % 60)) } });
  const text = from.exportSnapshot();
  assert.ok(new TextEncoder().encode(text).length > 2 * 1048576, "crosses window boundaries, mid-character among others");
  const to = await open();
  assert.equal(await to.importSnapshot(text), 3500);
  assert.equal(to.exportSnapshot(), text);
  assert.equal((await to.customers.list({ query: "北京" })).pagination.total_count, 700);
  const refused = `${text}{broken`;  // the export ends its last line
  const again = await open();
  await assert.rejects(again.importSnapshot(refused), (err) => err instanceof ValidationError && JSON.stringify(err.detail[0].loc) === JSON.stringify(["line", 3501]));
  assert.equal((await again.customers.list()).pagination.total_count, 0, "atomic: nothing loaded");
  const bytes = await open(); // the same snapshot as UTF-8 bytes (as fetched), windows cut mid-character
  assert.equal(await bytes.importSnapshot(new TextEncoder().encode(text)), 3500);
  assert.equal(bytes.exportSnapshot(), text);
});

test("members.validate reports what create would refuse and writes nothing", async () => {
  const c = await open();
  const team = await c.customers.create({ email: "t@acme.io", type: "team" });
  const solo = await c.customers.create({ email: "solo@example.com" });
  const before = c.exportSnapshot();
  assert.deepEqual(await c.members.validate({ customerId: team.id, email: "dev@acme.io" }), []);
  const problems = await c.members.validate({ customerId: team.id, email: "nope" });
  assert.deepEqual(problems.map((d) => d.loc), [["body", "email"]]);
  await assert.rejects(c.members.validate({ customerId: solo.id, email: "second@example.com" }), NotPermittedError);
  assert.equal(c.exportSnapshot(), before);
});
