// A live replica of a Polar organization: pull it (paged, paced, resumable, applied atomically), follow its
// webhooks (verified, then applied), fetch customer state lazily, and write through to it. Every rule of
// spec §9 (ids and timestamps kept, older records ignored, no resurrection, each webhook id once) is the
// core's `replica.apply`: this module fetches, verifies, stages and hands records over.
import type { Clientele } from "../client.js";
import { ClienteleError, ValidationError } from "../errors.js";
import type { IndexedDbStore } from "../persistence.js";
import type { Customer, CustomerState, EventType, ListResource, Member } from "../types.js";
import { verify, WebhookVerificationError } from "../webhooks.js";
import { PolarHttp, type ConnectionOptions } from "./http.js";
import { Upstream } from "./upstream.js";

/** Polar's webhook types the replica applies, and "customer.pulled" for a record read by a pull. */
export type ReplicaType = EventType | "customer.pulled";

const WEBHOOK_TYPES = new Set<string>([
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "customer.state_changed",
  "member.created",
  "member.updated",
  "member.deleted",
]);

export interface ReplicaRecord {
  type: ReplicaType;
  /** The webhook's `data` (or the listed customer, with optional `members`), as Polar writes it. */
  data: Record<string, unknown>;
  /** The `webhook-id` header. */
  webhookId?: string;
  /** The `webhook-timestamp` header, Unix seconds. */
  timestamp?: number;
}

/** The core's answer: applied, or why not (and the customer the record is about). */
export interface ReplicaOutcome {
  applied: boolean;
  reason?: "duplicate" | "stale" | "deleted" | "unknown_customer";
  id: string;
}

export interface PullProgress {
  /** "customers" and "members" while pages are fetched (loaded of total records), then "applying". */
  phase: "customers" | "members" | "applying";
  loaded: number;
  total: number;
}

export interface PullOptions extends Partial<ConnectionOptions> {
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Resume an interrupted pull of the same server (default true); false starts over. */
  resume?: boolean;
}

export interface PullReport {
  /** Customers and members Polar listed. */
  customers: number;
  members: number;
  /** Customers the core applied (new or changed, or unchanged); the others it found older than what it holds. */
  applied: number;
  skipped: Array<{ id: string; reason: string }>;
  /** Customers seen upstream before and gone from Polar now: removed from the store. */
  removed: string[];
  /** Live customers of the store never seen upstream (created here): kept, reported. */
  localOnly: string[];
  /** Records the core could not read (its 422 detail). */
  failed: Array<{ id: string; error: ClienteleError }>;
  /** Whether this pull carried on from pages an interrupted pull had fetched. */
  resumed: boolean;
  /** HTTP requests sent (retries included). */
  requests: number;
}

/** Where a pull is: the pages fetched so far are staged beside it (memory, and IndexedDB when persisted). */
export interface PullCursor {
  server: string;
  startedAt: string;
  phase: "customers" | "members" | "fetched";
  /** The next page to fetch in `phase`. */
  page: number;
  customersTotal: number;
  membersTotal: number;
  customersLoaded: number;
  membersLoaded: number;
  /** The organization's total changed while paging: offset pages may have shifted (removals are confirmed). */
  shifted: boolean;
}

export interface IngestInput {
  body: string | Uint8Array;
  headers: Headers | Record<string, string | undefined>;
}

export interface IngestOptions {
  /** Key the HMAC with the whole secret string, as Polar does (default true). */
  polarCompatible?: boolean;
  toleranceSeconds?: number;
  /** Unix seconds to verify against; default now. */
  now?: number;
}

/**
 * The answer to a webhook delivery. `status`: 200 applied or ignored (duplicate, older than the stored
 * record, about a deleted customer), 202 an event type the replica does not keep, 403 a signature that
 * does not verify, 422 a verified payload the core cannot read, 503 not applied yet (a member of a
 * customer the store does not hold; Polar retries), 500 the store failed (Polar retries).
 */
export interface IngestResult {
  status: number;
  applied: boolean;
  type?: string;
  id?: string;
  reason?: string;
  error?: string;
}

/** What a Clientele hands its sync module: storage (when persisted) and removal written through. */
export interface SyncHost {
  db(): IndexedDbStore | undefined;
  /** Forgets these customers (snapshot.forget) and writes that through with this turn's other changes; the core call runs synchronously. */
  forget(ids: string[]): Promise<unknown>;
}

const CURSOR = "sync:cursor";
const PAGES = "sync:page:";
const SEEN = "sync:seen";
const SEEN_ONE = "sync:seen:";
const GONE = "sync:gone";

interface Staged {
  customers: Map<number, Customer[]>;
  members: Map<number, Member[]>;
}

const emptyStage = (): Staged => ({ customers: new Map(), members: new Map() });

/** `clientele.sync`: pull, ingest, lazy state, write-through. */
export class Sync {
  private loaded?: Promise<void>;
  private cursorState?: PullCursor;
  private staged: Staged = emptyStage();
  /** Customers known to exist (or have existed) upstream: pulled, or named by a webhook or a write-through. */
  private readonly seen = new Set<string>();
  /** Customers removed by a resync: a late webhook about one is not applied (the store keeps no tombstone). */
  private readonly gone = new Set<string>();
  /** Customers whose state came from Polar (a state_changed webhook or a lazy fetch) since this handle opened. */
  private readonly stateKnown = new Set<string>();
  /** Customers a webhook touched while a pull runs: never removed by that pull. */
  private touched?: Set<string>;
  private pendingSeen = new Set<string>();
  private flushing = false;
  private connection?: PolarHttp;
  private upstream?: Upstream;

  constructor(
    private readonly clientele: Clientele,
    private readonly host: SyncHost,
  ) {}

  /** The interrupted pull a next pull of the same server resumes (undefined: none). */
  get cursor(): PullCursor | undefined {
    return this.cursorState && { ...this.cursorState };
  }

  /**
   * One record through the core's replica rules (`replica.apply`). Not async before the call: records
   * applied without awaiting between them reach the core in the same synchronous block.
   */
  apply(record: ReplicaRecord): Promise<ReplicaOutcome> {
    return this.clientele.call<ReplicaOutcome>("replica.apply", {
      type: record.type,
      data: record.data,
      webhook_id: record.webhookId,
      timestamp: record.timestamp,
    });
  }

  /** Reads the sync state persisted with the data (once). */
  private ready(): Promise<void> {
    return (this.loaded ??= this.load());
  }

  private async load(): Promise<void> {
    const db = this.host.db();
    if (!db) return;
    const state = await db.readSync();
    for (const [key, value] of state) {
      if (key === CURSOR) this.cursorState = value as PullCursor;
      else if (key === SEEN) for (const id of value as string[]) this.seen.add(id);
      else if (key === GONE) for (const id of value as string[]) this.gone.add(id);
      else if (key.startsWith(SEEN_ONE)) this.seen.add(key.slice(SEEN_ONE.length));
      else if (key.startsWith(PAGES)) {
        const [kind, page] = key.slice(PAGES.length).split(":");
        if (kind === "c") this.staged.customers.set(Number(page), value as Customer[]);
        else if (kind === "m") this.staged.members.set(Number(page), value as Member[]);
      }
    }
  }

  private async persist(put: Array<[string, unknown]>, clear: string[] = []): Promise<void> {
    await this.host.db()?.writeSync(put, clear);
  }

  /** Notes a customer seen upstream (persisted a turn at a time). */
  private see(id: string): void {
    this.touched?.add(id);
    this.gone.delete(id);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (!this.host.db()) return;
    this.pendingSeen.add(id);
    if (this.flushing) return;
    this.flushing = true;
    setTimeout(() => {
      this.flushing = false;
      const ids = [...this.pendingSeen];
      this.pendingSeen.clear();
      this.persist(ids.map((id) => [SEEN_ONE + id, 1])).catch(() => ids.forEach((id) => this.pendingSeen.add(id)));
    }, 0);
  }

  /**
   * Sets the Polar connection used by write-through, lazy state and (when a pull names no token) pulls,
   * and answers the write-through API: `customers.create/update/delete`, `members.create/update/delete`.
   */
  connect(options: ConnectionOptions): Upstream {
    this.connection = new PolarHttp(options);
    this.upstream = new Upstream(this.clientele, this.connection, (record) => this.applyOwn(record));
    return this.upstream;
  }

  /** The write-through API of the connection `connect` set (throws when there is none). */
  get polar(): Upstream {
    if (!this.upstream) throw new Error("No Polar connection: call clientele.sync.connect({ accessToken, server }) first");
    return this.upstream;
  }

  /** Applies Polar's answer to a write made through it. */
  private async applyOwn(record: ReplicaRecord): Promise<ReplicaOutcome> {
    await this.ready();
    const outcome = await this.apply(record);
    if (outcome.id) this.see(outcome.id);
    return outcome;
  }

  /**
   * The customer's state: from the store when Polar's state for it is known here (a state_changed webhook,
   * or an earlier fetch), else fetched once from Polar (GET /v1/customers/{id}/state, paced with the
   * connection's other requests) and applied first. Without a connection, the store's answer.
   */
  async getState(req: { id: string }): Promise<CustomerState> {
    await this.ready();
    if (this.connection && !this.stateKnown.has(req.id)) {
      const { body } = await this.connection.request<Record<string, unknown>>("GET", `/v1/customers/${encodeURIComponent(req.id)}/state`);
      await this.apply({ type: "customer.state_changed", data: body });
      this.stateKnown.add(req.id);
    }
    return this.clientele.customers.getState(req);
  }

  /**
   * Verifies a Polar webhook delivery (Standard Webhooks, Polar's keying of `whsec_` secrets) and applies
   * it. Never throws for a delivery: the result's `status` is the HTTP status to answer Polar with.
   */
  async ingest(input: Request | IngestInput, secret: string, options: IngestOptions = {}): Promise<IngestResult> {
    let body: string | Uint8Array;
    let headers: IngestInput["headers"];
    if (typeof (input as Request).text === "function" && typeof (input as Request).headers?.get === "function") {
      body = await (input as Request).text();
      headers = (input as Request).headers;
    } else ({ body, headers } = input as IngestInput);
    const header = (name: string) =>
      typeof (headers as Headers).get === "function"
        ? ((headers as Headers).get(name) ?? undefined)
        : Object.entries(headers as Record<string, string | undefined>).find(([k]) => k.toLowerCase() === name)?.[1];
    let payload: { type?: unknown; data?: unknown };
    try {
      payload = (await verify(body, headers, secret, {
        polarCompatible: options.polarCompatible ?? true,
        toleranceSeconds: options.toleranceSeconds,
        now: options.now,
      })) as typeof payload;
    } catch (err) {
      if (err instanceof WebhookVerificationError) return { status: 403, applied: false, reason: "signature", error: err.message };
      if (err instanceof ClienteleError) return { status: err.status, applied: false, error: err.message };
      throw err;
    }
    const type = typeof payload?.type === "string" ? payload.type : undefined;
    if (!type || !WEBHOOK_TYPES.has(type)) return { status: 202, applied: false, type, reason: "ignored" };
    const data = payload.data as Record<string, unknown> | undefined;
    const about = data && typeof data === "object" ? String((type.startsWith("member.") ? data.customer_id : data.id) ?? "") : "";
    await this.ready();
    if (about && this.gone.has(about)) return { status: 200, applied: false, type, id: about, reason: "deleted" };
    const stamp = Number(header("webhook-timestamp"));
    let outcome: ReplicaOutcome;
    try {
      outcome = await this.apply({
        type: type as ReplicaType,
        data: data as Record<string, unknown>,
        webhookId: header("webhook-id"),
        timestamp: Number.isFinite(stamp) ? stamp : undefined,
      });
    } catch (err) {
      if (err instanceof ValidationError) return { status: 422, applied: false, type, id: about || undefined, reason: "invalid", error: err.message };
      return { status: 500, applied: false, type, id: about || undefined, reason: "failed", error: err instanceof Error ? err.message : String(err) };
    }
    if (outcome.reason === "unknown_customer") return { status: 503, applied: false, type, id: outcome.id, reason: outcome.reason };
    if (outcome.id && outcome.reason !== "duplicate") this.see(outcome.id);
    if (outcome.applied && type === "customer.state_changed") this.stateKnown.add(outcome.id);
    return { status: 200, applied: outcome.applied, type, id: outcome.id, reason: outcome.reason };
  }

  private pulling = false;

  /**
   * Pulls the organization: every page of `GET /v1/customers/` and `GET /v1/members/` (100 a page, paced,
   * retried), staged; then every record applied in one synchronous block (a reader sees the old
   * organization or the new one), customers seen before and gone upstream removed, and local-only
   * customers reported. Interrupted (abort, network, a reload), the next pull of the same server resumes
   * from the next page to fetch.
   */
  async pull(options: PullOptions = {}): Promise<PullReport> {
    if (this.pulling) throw new Error("A pull is already running on this handle");
    this.pulling = true;
    this.touched = new Set();
    try {
      return await this.runPull(options);
    } finally {
      this.pulling = false;
      this.touched = undefined;
    }
  }

  private async runPull(options: PullOptions): Promise<PullReport> {
    const http = options.accessToken ? new PolarHttp(options as ConnectionOptions) : this.connection;
    if (!http) throw new TypeError("accessToken is required (or call clientele.sync.connect first)");
    const { signal, onProgress } = options;
    await this.ready();
    let cursor = this.cursorState;
    const resumed = !!cursor && cursor.server === http.baseUrl && options.resume !== false;
    if (!resumed || !cursor) {
      cursor = { server: http.baseUrl, startedAt: new Date().toISOString(), phase: "customers", page: 1, customersTotal: 0, membersTotal: 0, customersLoaded: 0, membersLoaded: 0, shifted: false };
      this.staged = emptyStage();
      await this.persist([[CURSOR, cursor]], [PAGES]);
      this.cursorState = cursor;
    }
    const requestsBefore = http.requests;
    const progress = (phase: PullProgress["phase"], c: PullCursor) =>
      onProgress?.(
        phase === "members"
          ? { phase, loaded: c.membersLoaded, total: Math.max(c.membersTotal, c.membersLoaded) }
          : { phase, loaded: c.customersLoaded, total: Math.max(c.customersTotal, c.customersLoaded) },
      );
    if (resumed) progress(cursor.phase === "members" ? "members" : "customers", cursor);

    while (cursor.phase !== "fetched") {
      const customersPhase = cursor.phase === "customers";
      const { body } = await http.request<ListResource<Customer | Member>>("GET", customersPhase ? "/v1/customers/" : "/v1/members/", {
        query: { page: cursor.page, limit: 100, sorting: "created_at" },
        signal,
      });
      const items = Array.isArray(body?.items) ? body.items : [];
      const total = Number(body?.pagination?.total_count ?? 0);
      const maxPage = Number(body?.pagination?.max_page ?? 0);
      const next: PullCursor = { ...cursor };
      const key = customersPhase ? "customersTotal" : "membersTotal";
      if (cursor.page === 1) next[key] = total;
      else if (total !== cursor[key]) (next.shifted = true), (next[key] = total);
      if (customersPhase) next.customersLoaded += items.length;
      else next.membersLoaded += items.length;
      const last = !items.length || cursor.page >= maxPage;
      if (!last) next.page += 1;
      else if (customersPhase) (next.phase = "members"), (next.page = 1);
      else next.phase = "fetched";
      await this.persist([
        [`${PAGES}${customersPhase ? "c" : "m"}:${cursor.page}`, items],
        [CURSOR, next],
      ]);
      if (customersPhase) this.staged.customers.set(cursor.page, items as Customer[]);
      else this.staged.members.set(cursor.page, items as Member[]);
      this.cursorState = cursor = next;
      progress(customersPhase ? "customers" : "members", cursor);
    }

    // Everything fetched: gather customers (a later page wins a repeat) and their members.
    const customers = new Map<string, Customer>();
    for (const page of [...this.staged.customers.keys()].sort((a, b) => a - b))
      for (const c of this.staged.customers.get(page)!) if (c && typeof c.id === "string" && c.deleted_at == null) customers.set(c.id, c);
    const membersOf = new Map<string, Map<string, Member>>();
    for (const page of [...this.staged.members.keys()].sort((a, b) => a - b))
      for (const m of this.staged.members.get(page)!) {
        if (!m || typeof m.customer_id !== "string") continue;
        const list = membersOf.get(m.customer_id) ?? new Map<string, Member>();
        list.set(m.id, m);
        membersOf.set(m.customer_id, list);
      }
    let members = 0;
    for (const [id, list] of membersOf) if (customers.has(id)) members += list.size;

    // Customers seen upstream before and not listed now. When the organization changed while paging,
    // offset pages may have shifted past a live customer: each candidate is then asked for by id.
    let removed = [...this.seen].filter((id) => !customers.has(id) && !this.touched!.has(id));
    if (cursor.shifted && removed.length) {
      const confirmed: string[] = [];
      for (const id of removed) {
        try {
          const { body } = await http.request<Customer>("GET", `/v1/customers/${encodeURIComponent(id)}`, { signal });
          if (body && body.deleted_at == null) customers.set(id, body);
          else confirmed.push(id);
        } catch (err) {
          if ((err as ClienteleError)?.status === 404) confirmed.push(id);
          else throw err;
        }
      }
      removed = confirmed;
    }

    // The swap: every core call below runs in this one synchronous block (no await between them).
    progress("applying", cursor);
    const pending: Array<Promise<{ id: string; outcome?: ReplicaOutcome; error?: unknown }>> = [];
    for (const [id, c] of customers) {
      const list = membersOf.get(id);
      const data = list ? { ...c, members: [...list.values()] } : c;
      pending.push(this.apply({ type: "customer.pulled", data: data as unknown as Record<string, unknown> }).then((outcome) => ({ id, outcome }), (error) => ({ id, error })));
    }
    const forgetting = removed.length ? this.host.forget(removed) : undefined;
    const results = await Promise.all(pending);
    await forgetting; // a storage failure rejects: the cursor stays, and the next pull applies again

    const report: PullReport = { customers: customers.size, members, applied: 0, skipped: [], removed, localOnly: [], failed: [], resumed, requests: http.requests - requestsBefore };
    for (const r of results) {
      if (r.error !== undefined) {
        if (!(r.error instanceof ValidationError)) throw r.error; // storage or the core failed: the cursor stays
        report.failed.push({ id: r.id, error: r.error });
      } else if (r.outcome!.applied) report.applied++;
      else report.skipped.push({ id: r.id, reason: r.outcome!.reason ?? "" });
    }

    // The pull is done: what is seen upstream now, what was removed, no staged pages, no cursor.
    for (const id of removed) this.seen.delete(id), this.gone.add(id);
    for (const id of customers.keys()) this.seen.add(id), this.gone.delete(id);
    this.cursorState = undefined;
    this.staged = emptyStage();
    await this.persist(
      [
        [CURSOR, undefined],
        [SEEN, [...this.seen]],
        [GONE, [...this.gone]],
      ],
      [PAGES, SEEN_ONE],
    );
    report.localOnly = await this.localOnly();
    return report;
  }

  /** Live customers of the store never seen upstream (created locally, never pulled nor delivered). */
  async localOnly(): Promise<string[]> {
    await this.ready();
    const out: string[] = [];
    for (let page = 1; ; page++) {
      const list = await this.clientele.customers.list({ page, limit: 100, sorting: "created_at" });
      for (const c of list.items) if (!this.seen.has(c.id)) out.push(c.id);
      if (page >= list.pagination.max_page) return out;
    }
  }
}
