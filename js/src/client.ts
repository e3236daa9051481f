// The typed API over the core, named after Polar's SDK: customers.*, members.*, billing inputs, events.
import { toSnake } from "./case.js";
import { toError } from "./errors.js";
import { loadCore, type WasmSource } from "./loader.js";
import type { CoreStore } from "../wasm/clientele.mjs";
import type {
  ClienteleEvent,
  Customer,
  CustomerCreate,
  CustomerListRequest,
  CustomerState,
  CustomerUpdate,
  EventType,
  ListResource,
  Member,
  MemberCreate,
  MemberRole,
  MemberUpdate,
  WebhookPayload,
} from "./types.js";

export interface OpenOptions {
  /** Every read and write of this handle is scoped to this organization. */
  organizationId: string;
  /** Where the WebAssembly comes from; default: the .wasm shipped beside this package. */
  wasm?: WasmSource;
}

type Listener = (event: ClienteleEvent) => void;

/** The webhook payload of an event: `{ type, timestamp, data }` (the log position dropped). */
export function payloadOf(event: ClienteleEvent): WebhookPayload {
  return { type: event.type, timestamp: event.timestamp, data: event.data };
}

/** The shared core instance behind one or more organization handles. */
class Core {
  private seq = new Map<string, number>();
  private listeners = new Map<string, Set<Listener>>();
  constructor(readonly store: CoreStore) {}

  call<T>(method: string, args: Record<string, unknown>, organizationId: string): T {
    const envelope = this.store.call(method, JSON.stringify({ ...args, organization_id: organizationId }));
    if (!envelope.ok) throw toError(envelope.status, envelope.error);
    return envelope.value as T;
  }

  on(organizationId: string, type: string, fn: Listener): () => void {
    const key = `${organizationId}\u0000${type}`;
    if (!this.seq.has(organizationId)) this.seq.set(organizationId, this.lastSeq(organizationId));
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(fn);
    this.listeners.set(key, set);
    return () => set.delete(fn);
  }

  /** Reads the events emitted since the last read and hands them to listeners. */
  dispatch(organizationId: string): void {
    if (!this.seq.has(organizationId)) return;
    const events = this.call<ClienteleEvent[]>("events.since", { after: this.seq.get(organizationId) }, organizationId);
    for (const event of events) {
      this.seq.set(organizationId, event.seq);
      for (const type of [event.type, "*"])
        for (const fn of this.listeners.get(`${organizationId}\u0000${type}`) ?? []) fn(event);
    }
  }

  private lastSeq(organizationId: string): number {
    const all = this.call<ClienteleEvent[]>("events.since", { after: 0 }, organizationId);
    return all.length ? all[all.length - 1].seq : 0;
  }
}

export class Clientele {
  readonly customers: Customers;
  readonly members: Members;

  private constructor(
    private readonly core: Core,
    readonly organizationId: string,
  ) {
    this.customers = new Customers(this);
    this.members = new Members(this);
  }

  /** Loads the WebAssembly core and opens an empty in-memory store scoped to `organizationId`. */
  static async open(options: OpenOptions): Promise<Clientele> {
    if (!options?.organizationId) throw new TypeError("organizationId is required");
    const module = await loadCore(options.wasm);
    return new Clientele(new Core(new module.Store()), options.organizationId);
  }

  /** A handle on the same store scoped to another organization (as an edge handler maps tokens to them). */
  forOrganization(organizationId: string): Clientele {
    if (!organizationId) throw new TypeError("organizationId is required");
    return new Clientele(this.core, organizationId);
  }

  /** Subscribes to one event type (or "*"); returns the unsubscribe function. */
  on(type: EventType | "*", fn: Listener): () => void {
    return this.core.on(this.organizationId, type, fn);
  }

  /**
   * The events emitted from now on, as an async iterator (`for await (const e of clientele.stream())`).
   * Ends when `signal` aborts.
   */
  async *stream(signal?: AbortSignal): AsyncGenerator<ClienteleEvent> {
    const queue: ClienteleEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.on("*", (event) => {
      queue.push(event);
      wake?.();
    });
    const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    try {
      while (!signal?.aborted) {
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
      }
    } finally {
      off();
    }
  }

  /** Every event the core still holds for this organization, oldest first. */
  events(after = 0): ClienteleEvent[] {
    return this.core.call<ClienteleEvent[]>("events.since", { after }, this.organizationId);
  }

  /** Low-level: one core command with snake_case arguments. Throws the typed errors of errors.ts. */
  call<T>(method: string, args: Record<string, unknown> = {}): T {
    const value = this.core.call<T>(method, args, this.organizationId);
    if (!READS.has(method)) this.core.dispatch(this.organizationId);
    return value;
  }

  /** Frees the core's memory; the handle (and every handle from forOrganization) is unusable afterwards. */
  close(): void {
    this.core.store.delete();
  }
}

const READS = new Set([
  "customers.get",
  "customers.getExternal",
  "customers.list",
  "customers.getState",
  "customers.getStateExternal",
  "members.list",
  "members.get",
  "events.since",
]);

class Customers {
  constructor(private readonly c: Clientele) {}
  async create(input: CustomerCreate): Promise<Customer> {
    return this.c.call("customers.create", { body: toSnake(input) });
  }
  async get(req: { id: string }): Promise<Customer> {
    return this.c.call("customers.get", { id: req.id });
  }
  async getExternal(req: { externalId: string }): Promise<Customer> {
    return this.c.call("customers.getExternal", { external_id: req.externalId });
  }
  async list(req: CustomerListRequest = {}): Promise<ListResource<Customer>> {
    return this.c.call("customers.list", { query: toSnake(req) });
  }
  async update(req: { id: string; customerUpdate: CustomerUpdate }): Promise<Customer> {
    return this.c.call("customers.update", { id: req.id, body: toSnake(req.customerUpdate) });
  }
  async updateExternal(req: { externalId: string; customerUpdateExternalID: Omit<CustomerUpdate, "externalId"> }): Promise<Customer> {
    return this.c.call("customers.updateExternal", {
      external_id: req.externalId,
      body: toSnake(req.customerUpdateExternalID),
    });
  }
  /** Soft-deletes (and with `anonymize`, anonymizes); answers the record as it now is. */
  async delete(req: { id: string; anonymize?: boolean }): Promise<Customer> {
    return this.c.call("customers.delete", { id: req.id, anonymize: req.anonymize ?? false });
  }
  async deleteExternal(req: { externalId: string; anonymize?: boolean }): Promise<Customer> {
    return this.c.call("customers.deleteExternal", { external_id: req.externalId, anonymize: req.anonymize ?? false });
  }
  async getState(req: { id: string }): Promise<CustomerState> {
    return this.c.call("customers.getState", { id: req.id });
  }
  async getStateExternal(req: { externalId: string }): Promise<CustomerState> {
    return this.c.call("customers.getStateExternal", { external_id: req.externalId });
  }
}

class Members {
  constructor(private readonly c: Clientele) {}
  async create(input: MemberCreate): Promise<Member> {
    return this.c.call("members.create", { body: toSnake(input) });
  }
  async list(req: { customerId: string; role?: MemberRole }): Promise<ListResource<Member>> {
    return this.c.call("members.list", { query: toSnake(req) });
  }
  async get(req: { id: string }): Promise<Member> {
    return this.c.call("members.get", { id: req.id });
  }
  async update(req: { id: string; memberUpdate: MemberUpdate }): Promise<Member> {
    return this.c.call("members.update", { id: req.id, body: toSnake(req.memberUpdate) });
  }
  async delete(req: { id: string }): Promise<void> {
    this.c.call("members.delete", { id: req.id });
  }
}
