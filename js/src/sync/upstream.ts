// Write-through to Polar: a change is validated by the local core first (a 422 it already knows costs no
// round trip), then made in Polar, then Polar's answer is applied to the store through the replica rules
// (Polar's ids and timestamps win). A refusal from Polar leaves the store unchanged and surfaces as the
// package's typed error; a write while offline is refused, never queued.
import { toSnake } from "../case.js";
import type { Clientele } from "../client.js";
import type { ValidationDetail } from "../errors.js";
import type { Customer, CustomerCreate, CustomerUpdate, Member, MemberCreate, MemberUpdate } from "../types.js";
import { UpstreamUnavailableError, upstreamError, type PolarHttp } from "./http.js";
import type { ReplicaOutcome, ReplicaRecord } from "./sync.js";

type Apply = (record: ReplicaRecord) => Promise<ReplicaOutcome>;

/** The core's problems as the error Polar would answer (a duplicate email or external id: ConflictError). */
const refuse = (detail: ValidationDetail[]) => upstreamError(422, { error: "PolarRequestValidationError", detail });
const path = (...parts: string[]) => parts.map((p) => `/${encodeURIComponent(p)}`).join("");

function online(): void {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  if (nav?.onLine === false)
    throw new UpstreamUnavailableError("Offline: writes go through Polar and are refused while offline (nothing changed locally)");
}

/** Polar's write API over a connection, applied locally after Polar answers (`clientele.sync.connect`). */
export class Upstream {
  readonly customers: UpstreamCustomers;
  readonly members: UpstreamMembers;
  constructor(clientele: Clientele, http: PolarHttp, apply: Apply) {
    this.customers = new UpstreamCustomers(clientele, http, apply);
    this.members = new UpstreamMembers(clientele, http, apply);
  }
}

class UpstreamCustomers {
  constructor(
    private readonly c: Clientele,
    private readonly http: PolarHttp,
    private readonly apply: Apply,
  ) {}

  async create(input: CustomerCreate): Promise<Customer> {
    const problems = await this.c.customers.validate(input);
    if (problems.length) throw refuse(problems);
    online();
    const { body } = await this.http.request<Customer>("POST", "/v1/customers/", { body: toSnake(input) });
    await this.apply({ type: "customer.created", data: body as unknown as Record<string, unknown> });
    return this.c.customers.get({ id: body.id });
  }

  async update(req: { id: string; customerUpdate: CustomerUpdate }): Promise<Customer> {
    const problems = await this.c.customers.validateUpdate(req);
    if (problems.length) throw refuse(problems);
    online();
    const { body } = await this.http.request<Customer>("PATCH", `/v1/customers${path(req.id)}`, { body: toSnake(req.customerUpdate) });
    await this.apply({ type: "customer.updated", data: body as unknown as Record<string, unknown> });
    return this.c.customers.get({ id: body.id });
  }

  /** Deletes in Polar (anonymizing when asked), then here: the record is marked deleted (and anonymized). */
  async delete(req: { id: string; anonymize?: boolean }): Promise<void> {
    const held = await this.c.customers.get({ id: req.id }); // NotFoundError for a customer the store does not hold
    online();
    const query = req.anonymize === undefined ? undefined : { anonymize: String(req.anonymize) };
    await this.http.request("DELETE", `/v1/customers${path(req.id)}`, { query });
    await this.apply({ type: "customer.deleted", data: held as unknown as Record<string, unknown> });
    if (req.anonymize === true) await this.c.customers.delete({ id: req.id, anonymize: true }); // personal data gone here at once
  }
}

class UpstreamMembers {
  constructor(
    private readonly c: Clientele,
    private readonly http: PolarHttp,
    private readonly apply: Apply,
  ) {}

  /** Adds a member in Polar (POST /v1/customers/{id}/members), then here. */
  async create(input: MemberCreate): Promise<Member> {
    const problems = await this.c.members.validate(input); // the customer must be held here, the member addable
    if (problems.length) throw refuse(problems);
    online();
    const { customerId, ...rest } = input;
    const { body } = await this.http.request<Member>("POST", `/v1/customers${path(customerId)}/members`, { body: toSnake(rest) });
    await this.apply({ type: "member.created", data: body as unknown as Record<string, unknown> });
    return this.c.members.get({ id: body.id });
  }

  async update(req: { id: string; memberUpdate: MemberUpdate }): Promise<Member> {
    const held = await this.c.members.get({ id: req.id });
    online();
    const { body } = await this.http.request<Member>("PATCH", `/v1/customers${path(held.customer_id, "members", req.id)}`, { body: toSnake(req.memberUpdate) });
    await this.apply({ type: "member.updated", data: body as unknown as Record<string, unknown> });
    return this.c.members.get({ id: body.id });
  }

  async delete(req: { id: string }): Promise<void> {
    const held = await this.c.members.get({ id: req.id });
    online();
    await this.http.request("DELETE", `/v1/customers${path(held.customer_id, "members", req.id)}`);
    await this.apply({ type: "member.deleted", data: held as unknown as Record<string, unknown> });
  }
}
