// clientele/cloudflare under miniflare: two organizations through one Worker, each in its own Durable
// Object (tokens, isolation, 404 across organizations, the CSV export and Polar's webhook route passing
// through), and the cap on customers per object answering 507 instead of growing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Clientele, webhooks, payloadOf } from "../../js/dist/runtime/node.js";
import { startCloudflare, api } from "./fixtures/cloudflare.mjs";

const SECRET = "whsec_Y2xvdWRmbGFyZS1yb3V0aW5nLXRlc3Q=";

test("two organizations through one Worker: tokens, isolation, 404 across, export and webhooks", async () => {
  const mf = await startCloudflare({
    vars: {
      CLIENTELE_TOKENS: JSON.stringify({ "token-a": "org_a", "token-a2": "org_a", "token-b": "org_b" }),
      CLIENTELE_WEBHOOKS: JSON.stringify({ [SECRET]: "org_a" }),
    },
  });
  try {
    const a = api(mf, "token-a");
    const a2 = api(mf, "token-a2");
    const b = api(mf, "token-b");
    const nobody = api(mf, "token-unknown");
    const ada = await a("POST", "/v1/customers/", { email: "ada@example.com", name: "Ada", external_id: "u1" });
    assert.equal(ada.status, 201, JSON.stringify(ada.body));
    assert.equal(ada.body.organization_id, "org_a");
    const bob = await b("POST", "/v1/customers/", { email: "ada@example.com", name: "Bob B", external_id: "u1" });
    assert.equal(bob.status, 201, "the same email and external id are free in another organization");
    assert.equal(bob.body.organization_id, "org_b");

    // A second token of the same organization reaches the same object.
    assert.equal((await a2("GET", `/v1/customers/${ada.body.id}`)).body.email, "ada@example.com");
    // Across organizations: 404 for ids, external ids and members; lists see only their own.
    assert.equal((await b("GET", `/v1/customers/${ada.body.id}`)).status, 404);
    assert.equal((await a("GET", `/v1/customers/${bob.body.id}`)).status, 404);
    assert.equal((await b("PATCH", `/v1/customers/${ada.body.id}`, { name: "x" })).status, 404);
    assert.equal((await b("DELETE", `/v1/customers/${ada.body.id}`)).status, 404);
    assert.equal((await b("GET", "/v1/customers/external/u1")).body.id, bob.body.id);
    assert.equal((await a("GET", "/v1/customers/external/u1")).body.id, ada.body.id);
    const listA = await a("GET", "/v1/customers/?query=ada");
    assert.deepEqual(listA.body.items.map((c) => c.id), [ada.body.id]);
    assert.equal((await b("GET", "/v1/customers/")).body.pagination.total_count, 1);
    assert.equal((await a("GET", "/v1/members/")).body.items.every((m) => m.customer_id === ada.body.id), true);

    // Tokens: none, unknown, and an inherited property name are 401; nothing reaches an object.
    assert.equal((await nobody("GET", "/v1/customers/")).status, 401);
    assert.equal((await api(mf, "constructor")("GET", "/v1/customers/")).status, 401);
    assert.equal((await mf.dispatchFetch("http://clientele.test/v1/customers/")).status, 401);
    // The organization header a client sends is ignored: the token decides.
    const spoof = await mf.dispatchFetch("http://clientele.test/v1/customers/", { headers: { authorization: "Bearer token-b", "x-clientele-organization": "org_a" } });
    assert.equal((await spoof.json()).items[0].id, bob.body.id);

    // The CSV export passes through, per organization.
    const csv = await mf.dispatchFetch("http://clientele.test/v1/customers/export", { headers: { authorization: "Bearer token-a" } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type"), /^text\/csv/);
    const text = await csv.text();
    assert.match(text, /ada@example\.com/);
    assert.doesNotMatch(text, /Bob B/);

    // Polar's webhook route: a delivery signed with org_a's secret lands in org_a only; a bad signature is 403.
    const local = await Clientele.open({ organizationId: "org_a" });
    const made = await local.customers.create({ email: "hooked@example.com", name: "Hooked" });
    const created = local.events().find((e) => e.type === "customer.created" && e.data.id === made.id);
    const signed = await webhooks.sign(payloadOf(created), SECRET, { polarCompatible: true, id: "msg_cf_1" });
    local.close();
    const hook = await mf.dispatchFetch("http://clientele.test/webhooks/polar", { method: "POST", headers: signed.headers, body: signed.body });
    assert.equal(hook.status, 200, await hook.clone().text());
    assert.equal((await a("GET", `/v1/customers/${made.id}`)).body.email, "hooked@example.com");
    assert.equal((await b("GET", `/v1/customers/${made.id}`)).status, 404);
    const forged = await mf.dispatchFetch("http://clientele.test/webhooks/polar", {
      method: "POST",
      headers: signed.headers,
      body: signed.body.replace("hooked@", "forged@"),
    });
    assert.equal(forged.status, 403);
  } finally {
    await mf.dispose();
  }
});

test("an object at its cap answers 507 for requests that add records, and keeps serving the rest", async () => {
  const mf = await startCloudflare({ vars: { CLIENTELE_TOKENS: JSON.stringify({ t: "org_cap" }), CLIENTELE_MAX_CUSTOMERS: "4" } });
  try {
    const c = api(mf, "t");
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await c("POST", "/v1/customers/", { email: `c${i}@example.com` })).body.id);
    // Concurrent creates near the cap: one fits, the others are refused (requests in flight count).
    const burst = await Promise.all([0, 1, 2].map((i) => c("POST", "/v1/customers/", { email: `burst${i}@example.com` })));
    assert.deepEqual(burst.map((r) => r.status).sort(), [201, 507, 507]);
    const refused = await c("POST", "/v1/customers/", { email: "c3@example.com" });
    assert.equal(refused.status, 507);
    assert.equal(refused.body.error, "InsufficientStorage");
    assert.match(refused.body.detail, /holds 4 customers.*CLIENTELE_MAX_CUSTOMERS = 4/);
    assert.equal((await c("PATCH", `/v1/customers/${ids[0]}`, { name: "Still writable" })).status, 200);
    assert.equal((await c("DELETE", `/v1/customers/${ids[1]}`)).status, 204);
    assert.equal((await c("GET", "/v1/customers/")).body.pagination.total_count, 3);
    // A deleted customer is still held (the core keeps it): the cap still refuses.
    assert.equal((await c("POST", "/v1/customers/", { email: "c4@example.com" })).status, 507);
  } finally {
    await mf.dispose();
  }
});
