// Compile-time checks of the package's types (tsc --noEmit): right calls compile, wrong ones must not.
import { Clientele, ConflictError, ValidationError, createHandler, toError, type Customer, type CustomerState, type ErrorCode } from "../../js/dist/index.js";

export async function usage(): Promise<void> {
  const c = await Clientele.open({ organizationId: "org" });
  const created: Customer = await c.customers.create({ email: "a@example.com", billingAddress: { country: "FR" }, metadata: { plan: "pro", n: 1, on: true } });
  const state: CustomerState = await c.customers.getState({ id: created.id });
  state.active_subscriptions.map((s) => s.amount.toFixed());
  await c.customers.update({ id: created.id, customerUpdate: { name: null, type: "team" } });
  await c.customers.list({ sorting: ["-email"], metadata: { plan: ["pro", "free"] } });
  await c.members.create({ customerId: created.id, email: "b@example.com", role: "billing_manager" });
  try {
    await c.customers.create({ email: "x" });
  } catch (e) {
    if (e instanceof ValidationError) e.detail.map((d) => d.loc.join("."));
  }
  // @ts-expect-error unknown field
  await c.customers.create({ email: "a@example.com", emial: "typo" });
  // @ts-expect-error wrong type for a field
  await c.customers.create({ email: 42 });
  // @ts-expect-error type is "individual" | "team"
  await c.customers.update({ id: created.id, customerUpdate: { type: "company" } });
  // @ts-expect-error sorting criteria are an enum
  await c.customers.list({ sorting: ["-bogus"] });
  // @ts-expect-error a new member cannot be an owner
  await c.members.create({ customerId: created.id, email: "c@example.com", role: "owner" });
  // @ts-expect-error metadata values are string | number | boolean
  await c.customers.create({ email: "a@example.com", metadata: { nested: { a: 1 } } });
  // @ts-expect-error responses are snake_case
  created.createdAt;
  const code: ErrorCode = "conflict";
  const err = toError(422, { error: "PolarRequestValidationError", detail: [] }, code);
  if (err instanceof ConflictError) err.detail.map((d) => d.msg);
  // @ts-expect-error codes are an enum
  toError(422, { error: "PolarRequestValidationError", detail: [] }, "duplicate");
  createHandler(c, { tokens: { t: "org" }, maxBodyBytes: 64 * 1024 });
  createHandler(c, { tokens: new Map([["t", "org"]]) });
  // @ts-expect-error maxBodyBytes is a number of bytes
  createHandler(c, { tokens: {}, maxBodyBytes: "1mb" });
  await c.customers.delete({ id: created.id, anonymize: true });
  // @ts-expect-error anonymize is a boolean
  await c.customers.delete({ id: created.id, anonymize: "true" });
}
