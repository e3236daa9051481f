// Standard Webhooks signing: interop both ways with the `standardwebhooks` package and Polar's SDK
// (validateEvent), tolerance, tampering, several signatures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { validateEvent } from "@polar-sh/sdk/webhooks";
import { Clientele, webhooks, payloadOf, WebhookVerificationError } from "../../js/dist/runtime/node.js";

const SECRET = "whsec_" + Buffer.from("a 24-byte secret for tests").toString("base64");

test("our signature verifies with standardwebhooks, and theirs with ours", async () => {
  const event = { type: "customer.created", timestamp: "2026-01-01T00:00:00.000Z", data: { id: "c1" } };
  const signed = await webhooks.sign(event, SECRET);
  assert.deepEqual(new Webhook(SECRET).verify(signed.body, signed.headers), event);
  const now = Math.floor(Date.now() / 1000);
  const theirs = new Webhook(SECRET).sign("msg_1", new Date(now * 1000), signed.body);
  const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(now), "webhook-signature": theirs };
  assert.deepEqual(await webhooks.verify(signed.body, headers, SECRET), event);
});

test("polarCompatible signatures pass Polar's own validateEvent, with a real customer event", async () => {
  const c = await Clientele.open({ organizationId: "org-hooks" });
  const seen = [];
  c.on("customer.created", (e) => seen.push(e));
  await c.customers.create({ email: "hook@example.com", name: "Hook", metadata: { plan: "pro" } });
  const polarSecret = "polar_whs_test_secret_123";
  const signed = await webhooks.sign(payloadOf(seen[0]), polarSecret, { polarCompatible: true });
  const parsed = validateEvent(signed.body, signed.headers, polarSecret);
  assert.equal(parsed.type, "customer.created");
  assert.equal(parsed.data.email, "hook@example.com");
  assert.equal(parsed.data.metadata.plan, "pro");
  // and ours verifies what Polar's keying produced
  assert.equal((await webhooks.verify(signed.body, signed.headers, polarSecret, { polarCompatible: true })).type, "customer.created");
  await assert.rejects(webhooks.verify(signed.body, signed.headers, polarSecret), WebhookVerificationError, "standard keying differs");
});

test("tampered bodies, wrong secrets, stale or future timestamps and missing headers are refused", async () => {
  const signed = await webhooks.sign({ type: "customer.updated", data: {} }, SECRET, { timestamp: 1_000_000, id: "msg_x" });
  const ok = (opts) => webhooks.verify(signed.body, signed.headers, SECRET, { now: 1_000_000, ...opts });
  assert.ok(await ok({}));
  await assert.rejects(webhooks.verify(signed.body + " ", signed.headers, SECRET, { now: 1_000_000 }), /No matching signature/);
  await assert.rejects(webhooks.verify(signed.body, signed.headers, "whsec_" + Buffer.from("other").toString("base64"), { now: 1_000_000 }), WebhookVerificationError);
  await assert.rejects(ok({ now: 1_000_301 }), /too old/);
  await assert.rejects(ok({ now: 999_699 }), /too new/);
  assert.ok(await ok({ now: 1_000_300 }), "the tolerance is inclusive");
  await assert.rejects(webhooks.verify(signed.body, { "webhook-id": "msg_x" }, SECRET), /Missing required headers/);
  const several = { ...signed.headers, "webhook-signature": `v1,AAAA v2,zzz ${signed.headers["webhook-signature"]}` };
  assert.ok(await webhooks.verify(signed.body, new Headers(several), SECRET, { now: 1_000_000 }), "any of several signatures");
});
