// Every customer and member method of Polar's SDK (@polar-sh/sdk 0.49.0) through the edge handler,
// with the SDK's fetcher pointed at createHandler: each answer must parse with the SDK's own schemas and
// carry the values that were stored. Covered: customers.{list, create, export, get, delete, update,
// getExternal, deleteExternal, updateExternal, getState, getStateExternal, listPaymentMethods,
// listPaymentMethodsExternal}, customers.members.{create, createExternal, get, getExternal, update,
// updateExternal, delete, deleteExternal}, members.listMembers (its page iterator included).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Polar } from "@polar-sh/sdk";
import { HTTPClient } from "@polar-sh/sdk/lib/http.js";
import { ResourceNotFound } from "@polar-sh/sdk/models/errors/resourcenotfound.js";
import { HTTPValidationError } from "@polar-sh/sdk/models/errors/httpvalidationerror.js";
import { NotPermitted } from "@polar-sh/sdk/models/errors/notpermitted.js";
import { Clientele, createHandler } from "../../js/dist/runtime/node.js";

const ORG_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", ORG_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const CSV_HEADER =
  "ID,External ID,Created At,Email,Name,Tax ID,Billing Address Line 1,Billing Address Line 2,Billing Address City," +
  "Billing Address State,Billing Address Zip,Billing Address Country,Metadata\r\n";

/** A fresh store, its handler, and SDK clients for organization A and B whose fetcher is the handler. */
async function setup() {
  const store = await Clientele.open({ organizationId: ORG_A });
  const handler = createHandler(store, { tokens: { "token-a": ORG_A, "token-b": ORG_B } });
  const client = (token) =>
    new Polar({ accessToken: token, serverURL: "http://edge.test", retryConfig: { strategy: "none" }, httpClient: new HTTPClient({ fetcher: (request) => handler(request) }) });
  return { store, polar: client("token-a"), other: client("token-b") };
}

/** Every page of an SDK page iterator, collected with for await. */
async function allPages(iterator) {
  const pages = [];
  for await (const page of iterator) pages.push(page.result);
  return pages;
}

/**
 * SDK objects in the core's order: createdAt, ties by id, in the criterion's direction (clocks are real
 * here, so two records may share a millisecond).
 */
const ordered = (items, descending = false) =>
  [...items].sort((a, b) => (a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)) * (descending ? -1 : 1));

const rejectsWith = (promise, Class, check = () => {}) =>
  assert.rejects(promise, (err) => {
    assert.ok(err instanceof Class, `${err?.constructor?.name}: ${err?.message}`);
    check(err);
    return true;
  });

test("customers.create, get, getExternal, update and updateExternal answer the stored values", async () => {
  const { polar } = await setup();
  const ada = await polar.customers.create({
    email: "Ada@Example.com",
    name: "Ada Lovelace",
    externalId: "user-1",
    metadata: { plan: "pro", seats: 3, beta: true },
    billingAddress: { country: "FR", line1: "1 rue de la Paix", postalCode: "75002", city: "Paris" },
    taxId: "FR40303265045",
  });
  assert.equal(ada.email, "Ada@example.com", "the domain is lower-cased, the local part kept");
  assert.equal(ada.name, "Ada Lovelace");
  assert.equal(ada.externalId, "user-1");
  assert.equal(ada.type, "individual");
  assert.equal(ada.organizationId, ORG_A);
  assert.deepEqual(ada.metadata, { plan: "pro", seats: 3, beta: true });
  assert.deepEqual(ada.billingAddress, { line1: "1 rue de la Paix", line2: null, postalCode: "75002", city: "Paris", state: null, country: "FR" });
  assert.deepEqual(ada.taxId, ["FR40303265045", "eu_vat"]);
  assert.equal(ada.billingName, "Ada Lovelace", "falls back to the name");
  assert.ok(ada.createdAt instanceof Date);
  assert.equal(ada.modifiedAt, null);
  assert.equal(ada.deletedAt, null);

  assert.deepEqual(await polar.customers.get({ id: ada.id }), ada);
  assert.deepEqual(await polar.customers.getExternal({ externalId: "user-1" }), ada);

  const renamed = await polar.customers.update({ id: ada.id, customerUpdate: { name: "Ada King", metadata: { plan: "team" }, type: "team" } });
  assert.equal(renamed.name, "Ada King");
  assert.equal(renamed.type, "team");
  assert.deepEqual(renamed.metadata, { plan: "team" });
  assert.ok(renamed.modifiedAt instanceof Date);
  const external = await polar.customers.updateExternal({ externalId: "user-1", customerUpdateExternalID: { locale: "fr-fr", taxId: null, email: "ada@lovelace.io" } });
  assert.equal(external.locale, "fr-FR", "canonical case");
  assert.equal(external.taxId, null);
  assert.equal(external.email, "ada@lovelace.io");
  assert.equal(external.emailVerified, false);
  assert.equal(external.name, "Ada King");
  assert.deepEqual(await polar.customers.get({ id: ada.id }), external);

  await rejectsWith(polar.customers.get({ id: "00000000-0000-4000-8000-000000000000" }), ResourceNotFound);
  await rejectsWith(polar.customers.create({ email: "ADA@lovelace.io" }), HTTPValidationError, (e) => {
    assert.deepEqual(e.detail[0].loc, ["body", "email"]);
    assert.equal(e.detail[0].msg, "A customer with this email address already exists.");
  });
});

test("customers.getState and getStateExternal carry the customer's subscriptions, grants and meters", async () => {
  const { store, polar } = await setup();
  const c = await polar.customers.create({ email: "state@example.com", externalId: "state-1" });
  await store.call("subscriptions.create", { body: { customer_id: c.id, product_id: "prod-1", amount: 1500, currency: "eur" } });
  await store.call("benefits.grant", { customer_id: c.id, body: { benefit_id: "benefit-1", benefit_type: "custom" } });
  await store.call("meters.record", { customer_id: c.id, body: { meter_id: "meter-1", consumed_units: 3, credited_units: 10 } });
  for (const state of [await polar.customers.getState({ id: c.id }), await polar.customers.getStateExternal({ externalId: "state-1" })]) {
    assert.equal(state.id, c.id);
    assert.equal(state.email, "state@example.com");
    assert.equal(state.activeSubscriptions.length, 1);
    assert.equal(state.activeSubscriptions[0].productId, "prod-1");
    assert.equal(state.activeSubscriptions[0].amount, 1500);
    assert.equal(state.activeSubscriptions[0].currency, "eur");
    assert.equal(state.activeSubscriptions[0].status, "active");
    assert.deepEqual(state.grantedBenefits.map((g) => g.benefitId), ["benefit-1"]);
    assert.equal(state.activeMeters[0].meterId, "meter-1");
    assert.equal(state.activeMeters[0].balance, 7);
  }
  await rejectsWith(polar.customers.getStateExternal({ externalId: "nobody" }), ResourceNotFound);
});

test("customers.list: filters, sorting, Polar's pagination and the page iterator", async () => {
  const { polar, other } = await setup();
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await polar.customers.create({ email: `list${i}@example.com`, name: `List ${i}`, metadata: { n: i, parity: i % 2 ? "odd" : "even" } }));
  await other.customers.create({ email: "list-other@example.com" });

  const first = await polar.customers.list({ limit: 2 });
  assert.deepEqual(first.result.pagination, { totalCount: 5, maxPage: 3 });
  const pages = await allPages(first);
  assert.equal(pages.length, 3);
  assert.deepEqual(pages.flatMap((p) => p.items), ordered(made, true), "newest first, every customer once");

  const second = await polar.customers.list({ sorting: ["created_at"], limit: 1, page: 2 });
  assert.deepEqual(second.result.items, [ordered(made)[1]]);
  assert.deepEqual((await polar.customers.list({ metadata: { parity: "odd" }, sorting: ["name"] })).result.items.map((c) => c.name), ["List 1", "List 3"]);
  assert.equal((await polar.customers.list({ email: "LIST2@example.com" })).result.items[0].id, made[2].id);
  assert.equal((await polar.customers.list({ query: "list 4" })).result.items[0].id, made[4].id);
  // organization_id is a filter on what the token sees.
  assert.equal((await polar.customers.list({ organizationId: [ORG_B, ORG_A] })).result.pagination.totalCount, 5);
  assert.equal((await polar.customers.list({ organizationId: ORG_A })).result.pagination.totalCount, 5);
  const foreign = await polar.customers.list({ organizationId: [ORG_B] });
  assert.deepEqual(foreign.result.items, []);
  assert.deepEqual(foreign.result.pagination, { totalCount: 0, maxPage: 0 });
  assert.equal((await other.customers.list({})).result.pagination.totalCount, 1);
});

test("customers.delete and deleteExternal: gone for the SDK, anonymized when asked", async () => {
  const { store, polar } = await setup();
  const plain = await polar.customers.create({ email: "plain@example.com", externalId: "plain-1" });
  const secret = await polar.customers.create({ email: "secret@example.com", name: "Secret Name", externalId: "secret-1" });
  assert.equal(await polar.customers.delete({ id: plain.id }), undefined);
  await rejectsWith(polar.customers.get({ id: plain.id }), ResourceNotFound);
  await rejectsWith(polar.customers.delete({ id: plain.id }), ResourceNotFound);
  assert.equal(await polar.customers.deleteExternal({ externalId: "secret-1", anonymize: true }), undefined);
  await rejectsWith(polar.customers.getExternal({ externalId: "secret-1" }), ResourceNotFound);
  const snapshot = store.exportSnapshot();
  assert.ok(!snapshot.includes("secret@example.com") && !snapshot.includes("Secret Name"), "anonymized");
  assert.ok(snapshot.includes(secret.id));
  assert.equal((await polar.customers.list({})).result.pagination.totalCount, 0);
  // The external id is free again.
  assert.equal((await polar.customers.create({ email: "again@example.com", externalId: "plain-1" })).externalId, "plain-1");
});

test("customers.export: Polar's CSV, columns and values, through the SDK", async () => {
  const { polar, other } = await setup();
  const ada = await polar.customers.create({
    email: "ada@example.com",
    name: 'Lovelace, "Ada"',
    externalId: "u-1",
    billingAddress: { country: "US", state: "NY", line1: "1 Main St", line2: "Floor 2", city: "New York", postalCode: "10001" },
    metadata: { plan: "pro", n: 2 },
  });
  const bob = await polar.customers.create({ email: "bob@example.com", type: "team" });
  await other.customers.create({ email: "not-exported@example.com" });
  const csv = await polar.customers.export({});
  assert.equal(typeof csv, "string");
  assert.ok(csv.startsWith(CSV_HEADER));
  const rows = csv.slice(CSV_HEADER.length).split("\r\n");
  assert.equal(rows.pop(), "", "every row ends in CRLF");
  const iso = (d) => d.toISOString().replace(/\.000Z$/, "+00:00").replace(/\.(\d{3})Z$/, ".$1000+00:00");
  const expected = new Map([
    [ada.id, `${ada.id},u-1,${iso(ada.createdAt)},ada@example.com,"Lovelace, ""Ada""",,1 Main St,Floor 2,New York,US-NY,10001,US,"{""n"": 2, ""plan"": ""pro""}"`],
    [bob.id, `${bob.id},,${iso(bob.createdAt)},bob@example.com,,,,,,,,,`],
  ]);
  assert.deepEqual(rows, ordered([ada, bob]).map((c) => expected.get(c.id)), "oldest first");
  assert.equal(await polar.customers.export({ organizationId: [ORG_B] }), CSV_HEADER, "another organization's filter: no row");
  assert.equal(await polar.customers.export({ organizationId: [ORG_B, ORG_A] }), csv);
  assert.ok((await other.customers.export({})).includes("not-exported@example.com"));
});

test("customers.listPaymentMethods and listPaymentMethodsExternal: clientele keeps none", async () => {
  const { polar } = await setup();
  const c = await polar.customers.create({ email: "pay@example.com", externalId: "pay-1" });
  for (const page of [await polar.customers.listPaymentMethods({ id: c.id }), await polar.customers.listPaymentMethodsExternal({ externalId: "pay-1" })]) {
    assert.deepEqual(page.result.items, []);
    assert.deepEqual(page.result.pagination, { totalCount: 0, maxPage: 0 });
  }
  await rejectsWith(polar.customers.listPaymentMethods({ id: "00000000-0000-4000-8000-000000000000" }), ResourceNotFound);
  await rejectsWith(polar.customers.listPaymentMethodsExternal({ externalId: "nobody" }), ResourceNotFound);
});

test("customers.members by ids: create, get, update with ownership transfer, delete", async () => {
  const { polar, other } = await setup();
  const team = await polar.customers.create({ type: "team", email: "billing@acme.io", name: "Acme", owner: { email: "boss@acme.io", name: "Boss" } });
  const [owner] = (await polar.members.listMembers({ customerId: team.id })).result.items;
  assert.equal(owner.email, "boss@acme.io");
  assert.equal(owner.role, "owner");

  const dev = await polar.customers.members.create({ id: team.id, memberCreateFromCustomer: { email: "dev@acme.io", name: "Dev", externalId: "m-dev" } });
  assert.equal(dev.customerId, team.id);
  assert.equal(dev.role, "member", "the SDK's default role");
  assert.equal(dev.externalId, "m-dev");
  assert.ok(dev.createdAt instanceof Date);
  const same = await polar.customers.members.create({ id: team.id, memberCreateFromCustomer: { email: "DEV@acme.io" } });
  assert.equal(same.id, dev.id, "the same email answers the existing member");
  assert.deepEqual(await polar.customers.members.get({ id: team.id, memberId: dev.id }), dev);

  const promoted = await polar.customers.members.update({ id: team.id, memberId: dev.id, memberUpdate: { role: "owner", name: "Lead Dev" } });
  assert.equal(promoted.role, "owner");
  assert.equal(promoted.name, "Lead Dev");
  assert.equal((await polar.customers.members.get({ id: team.id, memberId: owner.id })).role, "billing_manager", "the old owner steps down");

  // The only owner: 422 in Polar's words, and nothing changes.
  await rejectsWith(polar.customers.members.update({ id: team.id, memberId: dev.id, memberUpdate: { role: "member" } }), HTTPValidationError, (e) => {
    assert.deepEqual(e.detail.map((d) => [d.loc, d.msg]), [[["body"], "Cannot demote the only owner. Transfer ownership first."]]);
  });
  await rejectsWith(polar.customers.members.delete({ id: team.id, memberId: dev.id }), HTTPValidationError, (e) => {
    assert.deepEqual(e.detail.map((d) => [d.loc, d.msg]), [[["body"], "Cannot delete the only owner. Transfer ownership first."]]);
  });
  assert.equal((await polar.customers.members.get({ id: team.id, memberId: dev.id })).role, "owner");

  assert.equal(await polar.customers.members.delete({ id: team.id, memberId: owner.id }), undefined);
  await rejectsWith(polar.customers.members.get({ id: team.id, memberId: owner.id }), ResourceNotFound);
  // A member under another customer's path, another organization, a second member of an individual.
  const solo = await polar.customers.create({ email: "solo@example.com" });
  await rejectsWith(polar.customers.members.get({ id: solo.id, memberId: dev.id }), ResourceNotFound);
  await rejectsWith(other.customers.members.get({ id: team.id, memberId: dev.id }), ResourceNotFound);
  await rejectsWith(polar.customers.members.create({ id: solo.id, memberCreateFromCustomer: { email: "friend@example.com" } }), NotPermitted, (e) =>
    assert.equal(e.detail, "Individual customers can only have one member (the owner). Upgrade to a team customer to add more members."),
  );
});

test("customers.members by external ids: createExternal, getExternal, updateExternal, deleteExternal", async () => {
  const { polar, other } = await setup();
  const team = await polar.customers.create({ type: "team", email: "ops@beta.io", externalId: "team/β 1" });
  const m = await polar.customers.members.createExternal({ externalId: "team/β 1", memberCreateFromCustomer: { email: "qa@beta.io", externalId: "qa/1", role: "billing_manager" } });
  assert.equal(m.customerId, team.id);
  assert.equal(m.role, "billing_manager");
  assert.deepEqual(await polar.customers.members.getExternal({ externalId: "team/β 1", memberExternalId: "qa/1" }), m);
  const renamed = await polar.customers.members.updateExternal({ externalId: "team/β 1", memberExternalId: "qa/1", memberUpdate: { name: "QA", email: "qa2@beta.io" } });
  assert.equal(renamed.id, m.id);
  assert.equal(renamed.name, "QA");
  assert.equal(renamed.email, "qa2@beta.io");
  await rejectsWith(other.customers.members.getExternal({ externalId: "team/β 1", memberExternalId: "qa/1" }), ResourceNotFound);
  await rejectsWith(polar.customers.members.getExternal({ externalId: "team/β 1", memberExternalId: "nobody" }), ResourceNotFound);
  await rejectsWith(polar.customers.members.createExternal({ externalId: "nobody", memberCreateFromCustomer: { email: "x@beta.io" } }), ResourceNotFound);
  assert.equal(await polar.customers.members.deleteExternal({ externalId: "team/β 1", memberExternalId: "qa/1" }), undefined);
  await rejectsWith(polar.customers.members.getExternal({ externalId: "team/β 1", memberExternalId: "qa/1" }), ResourceNotFound);
  assert.deepEqual((await polar.members.listMembers({ externalCustomerId: "team/β 1" })).result.items.map((x) => x.role), ["owner"]);
});

test("members.listMembers: the whole organization, filters, and every page through for await", async () => {
  const { polar, other } = await setup();
  const acme = await polar.customers.create({ type: "team", email: "a@acme.io", externalId: "acme" });
  const beta = await polar.customers.create({ type: "team", email: "b@beta.io", externalId: "beta" });
  const solo = await polar.customers.create({ email: "solo@example.com" });
  await polar.customers.members.create({ id: acme.id, memberCreateFromCustomer: { email: "dev@acme.io" } });
  await polar.customers.members.create({ id: beta.id, memberCreateFromCustomer: { email: "money@beta.io", role: "billing_manager" } });
  const foreign = await other.customers.create({ type: "team", email: "x@other.io" });
  const every = [];
  for (const c of [acme, beta, solo]) every.push(...(await polar.members.listMembers({ customerId: c.id })).result.items);
  assert.equal(every.length, 5);

  const newestFirst = [];
  for await (const page of await polar.members.listMembers({ limit: 2 })) {
    assert.equal(page.result.pagination.totalCount, 5);
    assert.equal(page.result.pagination.maxPage, 3);
    assert.ok(page.result.items.length <= 2);
    newestFirst.push(...page.result.items);
  }
  assert.deepEqual(newestFirst, ordered(every, true), "every member once, newest first");
  assert.deepEqual(new Set(newestFirst.map((m) => m.email)), new Set(["a@acme.io", "b@beta.io", "solo@example.com", "dev@acme.io", "money@beta.io"]));
  const pages = await allPages(await polar.members.listMembers({ limit: 2, sorting: ["created_at"] }));
  assert.equal(pages.length, 3);
  assert.deepEqual(pages.flatMap((p) => p.items), ordered(every));

  const emails = async (request) => (await polar.members.listMembers(request)).result.items.map((m) => m.email).sort();
  assert.deepEqual(await emails({ customerId: acme.id }), ["a@acme.io", "dev@acme.io"]);
  assert.deepEqual(await emails({ externalCustomerId: "beta" }), ["b@beta.io", "money@beta.io"]);
  assert.deepEqual(await emails({ role: "owner" }), ["a@acme.io", "b@beta.io", "solo@example.com"]);
  assert.deepEqual(await emails({ role: "billing_manager", externalCustomerId: "beta" }), ["money@beta.io"]);
  assert.deepEqual(await emails({ customerId: solo.id, role: "member" }), []);
  // A customer the token cannot see lists nothing (as Polar filters), not 404.
  const hidden = await polar.members.listMembers({ customerId: foreign.id });
  assert.deepEqual(hidden.result.items, []);
  assert.deepEqual(hidden.result.pagination, { totalCount: 0, maxPage: 0 });
  assert.deepEqual(await emails({ externalCustomerId: "nobody" }), []);
  await rejectsWith(polar.members.listMembers({ page: 0 }), HTTPValidationError, (e) => assert.deepEqual(e.detail[0].loc, ["query", "page"]));
  assert.equal((await other.members.listMembers({})).result.pagination.totalCount, 1);
});
