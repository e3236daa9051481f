// The typed API over the core, named after Polar's SDK: customers.*, members.*, billing inputs, events.
import { toSnake } from "./case.js";
import { ClienteleError, ValidationError, toError, type ValidationDetail } from "./errors.js";
import { callCore, callCoreBeside } from "./core_call.js";
import { loadCore, type WasmSource } from "./loader.js";
import type { Lines } from "./lines.js";
import { IndexedDbStore, type RemoteChange } from "./persistence.js";
import { report as reportError } from "./report.js";
import { Sync } from "./sync/sync.js";
import type { CoreEnvelope, CoreModule, CoreStore, LineSource } from "../wasm/clientele.mjs";
import type {
  ClienteleEvent,
  Customer,
  CustomerCreate,
  CustomerExport,
  CustomerExportRequest,
  CustomerListRequest,
  CustomerState,
  CustomerUpdate,
  EventType,
  ListResource,
  Member,
  MemberCreate,
  MemberCreateFromCustomer,
  MemberListRequest,
  MemberUpdate,
  WebhookPayload,
} from "./types.js";

export interface OpenOptions {
  /** Every read and write of this handle is scoped to this organization. */
  organizationId: string;
  /** Where the WebAssembly comes from; default: the .wasm shipped beside this package. */
  wasm?: WasmSource;
  /** "indexeddb": load from and write through to IndexedDB (browsers); default "memory". */
  persist?: "memory" | "indexeddb";
  /** The IndexedDB factory to use (default globalThis.indexedDB). */
  indexedDB?: IDBFactory;
  /** Storage to load from and write through to instead (e.g. a Durable Object's SQLite, clientele/cloudflare); `persist` is then ignored. */
  storage?: ClienteleStorage;
}

/**
 * Where a persisted organization's customers live, as the core's snapshot lines (IndexedDbStore is one).
 * The handle loads every line once when it opens, writes the changed customers' lines a group at a time
 * (each write one transaction: all or nothing), and after a failed write reads the changed customers back.
 */
export interface ClienteleStorage {
  /**
   * Every stored line with the customer of each, in parts (one part is fine): the core loads a part
   * while storage reads the next. Reading starts when this is called, not when the parts are asked for.
   */
  load(): AsyncIterable<Lines>;
  /** The stored lines of these customers (those storage holds); `pages` names more places to look where storage has such places. */
  read(ids: string[], pages?: number[] | "all"): Promise<Lines>;
  /** Stores these changed customers as `held` has them, removing a changed customer `held` leaves out; rejects having written nothing. */
  write(changed: string[], held: Lines): Promise<void>;
  /** Called with changes another writer made to the same storage (never called where there is none). */
  onRemoteChange(fn: (change: RemoteChange) => void): void;
  close(): void;
}

/** What opening an IndexedDB-backed store loaded, and the records it could not read. */
export interface LoadReport {
  imported: number;
  failed: Array<{ id: string | undefined; detail: ValidationDetail[] }>;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A change the core made but storage refused: memory was put back as storage has it. When putting it
 * back failed too (or a change from another tab could not be loaded), the message says memory and
 * IndexedDB may disagree, and the handle is read-only from then on: every later change rejects with a
 * PersistenceError before the core is touched; reads still answer what memory holds.
 */
export class PersistenceError extends ClienteleError {
  constructor(
    readonly cause: unknown,
    message = `Storage write failed (IndexedDB, or a Durable Object's storage), change undone: ${describe(cause)}`,
  ) {
    super(message, 507, { error: "PersistenceError", detail: message });
  }
}

type Listener = (event: ClienteleEvent) => void;

/** The webhook payload of an event: `{ type, timestamp, data }` (the log position dropped). */
export function payloadOf(event: ClienteleEvent): WebhookPayload {
  return { type: event.type, timestamp: event.timestamp, data: event.data };
}

/**
 * The arguments as JSON text for the core. What JSON cannot carry (a cycle, a BigInt, nesting deeper than
 * this engine's stack) is refused as the core refuses undecodable text: a 422 json_invalid at ["body"].
 */
function serialize(args: Record<string, unknown>): string {
  try {
    return JSON.stringify(args);
  } catch (err) {
    const msg = `JSON encode error: ${err instanceof Error ? err.message : String(err)}`;
    throw new ValidationError({ error: "PolarRequestValidationError", detail: [{ type: "json_invalid", loc: ["body"], msg, input: null }] });
  }
}

/**
 * The core's answer: the envelope's JSON, and a large text answer (an export, snapshot lines) after its
 * first newline, unescaped; the envelope's `beside` names where in the value that text belongs.
 */
function parseEnvelope(text: string): CoreEnvelope {
  const newline = text.indexOf("\n");
  const envelope = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as CoreEnvelope & { beside?: string };
  if (envelope.ok && typeof envelope.beside === "string") {
    const long = newline < 0 ? "" : text.slice(newline + 1);
    if (envelope.beside === "") envelope.value = long;
    else (envelope.value as Record<string, unknown>)[envelope.beside] = long;
  }
  return envelope;
}

const utf8 = new TextEncoder();

/**
 * A text for the core to pull as UTF-8. A JS string: encodeInto writes each window straight into the heap
 * (no Uint8Array of the whole text, no copy; ~10x faster than encode() for a snapshot), and the heap never
 * holds more than a window of it. Each fill encodes a slice of at most a window's length in UTF-16 units
 * (never the whole rest of the text, which costs time in proportion to its length in some engines), cut
 * before a lone high surrogate so a pair is never split. UTF-8 bytes (storage's pages): copied a window at
 * a time.
 */
export function linesOf(text: string | Uint8Array): LineSource {
  let read = 0;
  if (typeof text !== "string")
    return {
      fill(view) {
        const n = Math.min(view.length, text.length - read);
        view.set(text.subarray(read, read + n));
        read += n;
        return n;
      },
      rewind() {
        read = 0;
      },
    };
  return {
    fill(view) {
      let end = Math.min(text.length, read + view.length);
      if (end < text.length && end > read + 1 && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      const done = utf8.encodeInto(text.slice(read, end), view);
      read += done.read;
      return done.written;
    },
    rewind() {
      read = 0;
    },
  };
}

/** The customers an event is about (the core's own key: its log is redacted by the same one). */
const customerOf = (e: ClienteleEvent) => String(e.type.startsWith("member.") ? e.data.customer_id : e.data.id);

/**
 * The changes one IndexedDB transaction writes: the calls applied in one turn of the event loop, or while
 * the transaction before was in flight. Every call in it settles with it.
 */
interface Batch {
  ids: Set<string>;
  /** The lines of `ids` as the one change of this batch left them (an import's), when no other change joined it. */
  ready?: Lines;
  done: Promise<void>;
  settle(err?: PersistenceError): void;
}

function newBatch(): Batch {
  let settle!: (err?: PersistenceError) => void;
  const done = new Promise<void>((resolve, reject) => (settle = (err) => (err ? reject(err) : resolve())));
  done.catch(() => undefined); // its calls observe it; the batch itself must not be an unhandled rejection
  return { ids: new Set(), done, settle };
}

let turns: { port: MessagePort; queue: Array<() => void> } | undefined;

/** Runs `fn` in the next turn of the event loop, after every microtask of this one. */
function nextTurn(fn: () => void): void {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof immediate === "function") return void immediate(fn);
  if (typeof MessageChannel !== "function") return void setTimeout(fn, 0); // workerd before its 2025-08-15 compatibility date
  if (!turns) {
    const channel = new MessageChannel();
    const queue: Array<() => void> = [];
    channel.port1.onmessage = () => queue.shift()?.();
    turns = { port: channel.port2, queue };
  }
  turns.queue.push(fn);
  turns.port.postMessage(null);
}

/** Opens an organization's database and reads its pages (closing it again if the read fails). */
async function openStorage(organizationId: string, factory?: IDBFactory, given?: ClienteleStorage) {
  const db: ClienteleStorage = given ?? (await IndexedDbStore.open(organizationId, factory));
  try {
    return { db, stored: db.load() };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The shared core instance behind one or more organization handles. */
class Core {
  private seq = new Map<string, number>();
  private listeners = new Map<string, Set<Listener>>();
  private remote = new Set<(ids: string[]) => void>();
  /** Events the package holds in JS per organization, not yet handed out: stream buffers, batches not yet dispatched. */
  private held = new Map<string, Set<ClienteleEvent[]>>();
  storage?: { organizationId: string; db: ClienteleStorage };
  /** Set when memory and storage may disagree: the persisted organization refuses every change. */
  private broken?: PersistenceError;
  /** The batch the persisted organization's changes of this turn join (see commit). */
  private open?: Batch;
  /** A write, an undo or a load from storage is in flight (one at a time). */
  private busy = false;
  /** The open batch's write is scheduled for the next turn. */
  private flushing = false;
  /** Changes other tabs wrote, loaded once the writes before them are done. */
  private remoteChanges: RemoteChange[] = [];
  /** Calls waiting while memory is put back or loaded from storage (undefined: calls apply at once). */
  private waiting?: Array<() => void>;
  /** The sync module of each organization (its replica state is the organization's, whichever handle asks). */
  readonly syncs = new Map<string, Sync>();
  /** Set by close(): storage work still pending touches neither storage nor the freed core. */
  closed = false;
  constructor(
    readonly store: CoreStore,
    readonly module: CoreModule,
  ) {}

  call<T>(method: string, args: Record<string, unknown>, organizationId: string): T {
    const { json, lines } = this.encode(args, organizationId);
    const envelope = parseEnvelope(callCore(this.module, this.store, method, json, lines));
    if (!envelope.ok) throw toError(envelope.status, envelope.error, envelope.code);
    return envelope.value as T;
  }

  /**
   * A call whose answer holds snapshot lines (snapshot.lines; snapshot.import with `report_lines`): they
   * come back as the UTF-8 bytes storage keeps, never decoded.
   */
  callLines<T extends { ids: string[] }>(method: string, args: Record<string, unknown>, organizationId: string): T & Lines {
    const { json, lines } = this.encode(args, organizationId);
    const { envelope, beside } = callCoreBeside(this.module, this.store, method, json, lines);
    const answer = JSON.parse(envelope) as CoreEnvelope;
    if (!answer.ok) throw toError(answer.status, answer.error, answer.code);
    return { ...(answer.value as T), jsonl: beside };
  }

  /**
   * The arguments as JSON, and a snapshot (text or UTF-8 bytes) to pass beside it: pulled as UTF-8, no
   * escaping, no second parse. A `jsonl` of any other kind stays in the JSON, for the core to refuse.
   */
  private encode(args: Record<string, unknown>, organizationId: string): { json: string; lines?: LineSource } {
    const { jsonl, ...rest } = args;
    if (typeof jsonl === "string" || jsonl instanceof Uint8Array) return { json: serialize({ ...rest, organization_id: organizationId }), lines: linesOf(jsonl) };
    return { json: serialize({ ...args, organization_id: organizationId }) };
  }

  on(organizationId: string, type: string, fn: Listener): () => void {
    const key = `${organizationId}\u0000${type}`;
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(fn);
    this.listeners.set(key, set);
    return () => set.delete(fn);
  }

  /** Whether a change must be read back as events: to write it through to storage, or for listeners. */
  wantsEvents(organizationId: string): boolean {
    if (this.storage?.organizationId === organizationId) return true;
    const prefix = `${organizationId}\u0000`;
    for (const [key, set] of this.listeners) if (set.size && key.startsWith(prefix)) return true;
    return false;
  }

  onRemoteChange(fn: (ids: string[]) => void): () => void {
    this.remote.add(fn);
    return () => this.remote.delete(fn);
  }

  /** Whether this organization is the one written through to IndexedDB. */
  persisted(organizationId: string): boolean {
    return this.storage?.organizationId === organizationId;
  }

  /**
   * Runs `fn` at once (a change applies to the core and joins the open batch synchronously), unless memory
   * is being put back or loaded from storage (a failed write's undo, a change from another tab): then once
   * that is done, after the calls that waited before it, in call order.
   */
  inOrder<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.waiting) return fn();
    return new Promise<T>((resolve, reject) => this.waiting!.push(() => void fn().then(resolve, reject)));
  }

  /** Registers an array of events the package holds for this organization, so an anonymization reaches it. */
  hold(organizationId: string, events: ClienteleEvent[]): () => void {
    const set = this.held.get(organizationId) ?? new Set<ClienteleEvent[]>();
    set.add(events);
    this.held.set(organizationId, set);
    return () => {
      set.delete(events);
      if (!set.size) this.held.delete(organizationId);
    };
  }

  /**
   * After these customers were anonymized: every held event about them is replaced by the core's copy of
   * the same event (the core redacted its log by its one rule), or dropped where the core no longer holds
   * it or its copy cannot be trusted to be redacted (customers not in `redactedHere`). In place, so a
   * stream or a dispatch in progress hands out only what is left.
   */
  redactHeld(organizationId: string, anonymized: Iterable<string>, redactedHere: ReadonlySet<string>): void {
    const ids = new Set(anonymized);
    const buffers = [...(this.held.get(organizationId) ?? [])];
    let first = Infinity;
    for (const buffer of buffers) for (const e of buffer) if (ids.has(customerOf(e))) first = Math.min(first, e.seq);
    if (first === Infinity) return;
    let current = new Map<number, ClienteleEvent>();
    try {
      current = new Map(this.call<ClienteleEvent[]>("events.since", { after: first - 1 }, organizationId).map((e) => [e.seq, e]));
    } catch (err) {
      reportError(err); // nothing to replace them with: they are dropped
    }
    for (const buffer of buffers) {
      let kept = 0;
      for (const e of buffer) {
        const about = customerOf(e);
        const fresh = ids.has(about) ? (redactedHere.has(about) ? current.get(e.seq) : undefined) : e;
        if (fresh && customerOf(fresh) === about) buffer[kept++] = fresh;
      }
      buffer.length = kept;
    }
  }

  /** The events emitted since the last read for this organization. */
  drain(organizationId: string): ClienteleEvent[] {
    const after = this.seq.get(organizationId) ?? 0;
    const events = this.call<ClienteleEvent[]>("events.since", { after }, organizationId);
    if (events.length) this.seq.set(organizationId, events[events.length - 1].seq);
    return events;
  }

  /**
   * Calls every listener, taking the events off `events` one at a time (what is left stays held and
   * redactable, should a listener anonymize); one that throws is reported and neither stops the others
   * nor fails the call.
   */
  dispatch(organizationId: string, events: ClienteleEvent[]): void {
    for (let event = events.shift(); event; event = events.shift())
      for (const type of [event.type, "*"])
        for (const fn of [...(this.listeners.get(`${organizationId}\u0000${type}`) ?? [])])
          try {
            fn(event);
          } catch (err) {
            reportError(err);
          }
  }

  /** Throws when this organization's storage and memory may disagree (see PersistenceError). */
  assertWritable(organizationId: string): void {
    if (this.broken && this.storage?.organizationId === organizationId)
      throw new PersistenceError(this.broken.cause, `This store is read-only: ${this.broken.message}`);
  }

  /** Marks the persisted organization read-only; answers the error that says why. */
  breakWith(cause: unknown, message: string): PersistenceError {
    const err = new PersistenceError(cause, `${message}: memory and storage may disagree; this store is now read-only (open it again to reload from storage)`);
    this.broken ??= err;
    return err;
  }

  /**
   * Writes these changed customers through to storage with the other changes of this turn (group commit):
   * resolves once their transaction has completed; rejects with PersistenceError when it failed, memory
   * then put back as storage has it (see undo).
   */
  commit(organizationId: string, ids: string[], ready?: Lines): Promise<void> {
    if (!this.persisted(organizationId) || !ids.length) return Promise.resolve();
    const batch = (this.open ??= newBatch());
    batch.ready = ready && !batch.ids.size ? ready : undefined; // another change in the batch: lines read at the flush
    for (const id of ids) batch.ids.add(id);
    this.pump();
    return batch.done;
  }

  /** Notes a change another tab wrote: calls wait until it is loaded, after the writes before it. */
  remoteChange(change: RemoteChange): void {
    this.remoteChanges.push(change);
    this.waiting ??= [];
    this.pump();
  }

  /**
   * Starts the next piece of storage work when none is in flight: the open batch's write (in the next
   * turn, so every call of this turn joins it), else loading other tabs' changes, else the waiting calls.
   */
  private pump(): void {
    if (this.busy || this.flushing) return;
    if (this.open) {
      this.flushing = true;
      nextTurn(() => {
        this.flushing = false;
        void this.flush();
      });
    } else if (this.remoteChanges.length) {
      void this.loadRemote();
    } else if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      for (const run of waiting) run();
    }
  }

  /** Writes the open batch in one transaction (the core's lines of its customers, as memory has them now). */
  private async flush(): Promise<void> {
    const batch = this.open;
    const storage = this.storage;
    if (this.busy || !batch || !storage) return;
    this.open = undefined;
    if (this.closed) return batch.settle(new PersistenceError(new Error("the store was closed"), "The store was closed before this change was written to IndexedDB"));
    this.busy = true;
    try {
      const ids = [...batch.ids];
      await storage.db.write(ids, batch.ready ?? this.callLines<Lines>("snapshot.lines", { ids }, storage.organizationId));
      batch.settle();
    } catch (err) {
      await this.undo(storage.organizationId, batch, err);
    } finally {
      this.busy = false;
      this.pump();
    }
  }

  /**
   * After a failed write: the failed batch and the batch gathered while it was in flight (its calls may
   * build on the failed changes) are undone together, every customer either changed loaded back as storage
   * has it, and all their calls reject with PersistenceError. Calls made meanwhile wait (see inOrder). When
   * the load fails too, the handle turns read-only (see breakWith).
   */
  private async undo(organizationId: string, failed: Batch, cause: unknown): Promise<void> {
    this.waiting ??= [];
    const later = this.open;
    this.open = undefined;
    const ids = [...new Set([...failed.ids, ...(later?.ids ?? [])])];
    let err: PersistenceError;
    let laterErr: PersistenceError;
    try {
      await this.reload(organizationId, ids);
      err = new PersistenceError(cause);
      laterErr = new PersistenceError(cause, `IndexedDB write of an earlier change failed, this change (made after it) undone too: ${describe(cause)}`);
    } catch (reloadErr) {
      err = laterErr = this.breakWith(
        new AggregateError([cause, reloadErr], "IndexedDB write and reload failed"),
        `Storage write failed (${describe(cause)}) and putting memory back from storage failed (${describe(reloadErr)})`,
      );
    }
    failed.settle(err);
    later?.settle(laterErr);
  }

  /** Loads the changes other tabs wrote; one that cannot be loaded turns the handle read-only (reported). */
  private async loadRemote(): Promise<void> {
    const storage = this.storage!;
    const changes = this.remoteChanges.splice(0);
    const ids = [...new Set(changes.flatMap((c) => c.ids))];
    const pages = changes.every((c) => c.pages) ? [...new Set(changes.flatMap((c) => c.pages!))] : "all";
    this.busy = true;
    try {
      await this.reload(storage.organizationId, ids, pages);
    } catch (err) {
      if (!this.closed) reportError(this.breakWith(err, `Loading a change from another tab failed (${describe(err)})`));
    } finally {
      this.busy = false;
      this.pump();
    }
  }

  /**
   * Replaces these customers in memory by what storage holds (read from the pages it knows them in, and
   * from `pages`), or drops them where it holds none. The core loads a customer stored anonymized (by
   * another tab) over its copy and redacts the events it holds about it by its own rule; the events the
   * package holds in JS about it are replaced by those redacted copies (or dropped).
   */
  async reload(organizationId: string, ids: string[], pages: number[] | "all" = []): Promise<void> {
    const stored = await this.storage!.db.read(ids, pages);
    if (this.closed) return;
    const kept = new Set(stored.ids);
    const watched = this.held.has(organizationId); // events held in JS, to redact
    const before = watched ? new Set(this.callLines<Lines>("snapshot.lines", { ids: stored.ids }, organizationId).ids) : undefined;
    const gone = ids.filter((id) => !kept.has(id));
    if (gone.length) this.call("snapshot.forget", { ids: gone }, organizationId);
    if (stored.ids.length) this.call("snapshot.import", { jsonl: stored.jsonl, atomic: false, replace: true }, organizationId);
    if (before) {
      const records = this.call<Array<{ id: string; anonymized_at?: unknown }>>("snapshot.records", { ids: stored.ids }, organizationId);
      const anonymized = records.filter((r) => r.anonymized_at != null).map((r) => r.id);
      this.redactHeld(organizationId, anonymized, new Set(anonymized.filter((id) => before.has(id))));
    }
    this.seq.set(organizationId, this.lastSeq(organizationId));
    for (const fn of [...this.remote])
      try {
        fn(ids);
      } catch (err) {
        reportError(err);
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
  /** The replica of a Polar organization: pull, ingest webhooks, lazy state, write-through (js/src/sync/). */
  readonly sync: Sync;

  private constructor(
    private readonly core: Core,
    readonly organizationId: string,
  ) {
    this.customers = new Customers(this);
    this.members = new Members(this);
    let sync = core.syncs.get(organizationId); // one replica state per organization, shared by its handles
    if (!sync) core.syncs.set(organizationId, (sync = new Sync(this, {
      db: () => {
        const db = this.core.persisted(organizationId) ? this.core.storage!.db : undefined;
        return db instanceof IndexedDbStore ? db : undefined; // sync state is kept in IndexedDB only
      },
      forget: (ids) => this.forget(ids),
    })));
    this.sync = sync;
  }

  /** Removes these customers (snapshot.forget), written through with this turn's other changes; the core call runs at once. */
  private forget(ids: string[]): Promise<unknown> {
    const run = async () => {
      this.core.assertWritable(this.organizationId);
      const value = this.core.call("snapshot.forget", { ids }, this.organizationId);
      await this.core.commit(this.organizationId, ids);
      return value;
    };
    return this.core.persisted(this.organizationId) ? this.core.inOrder(run) : run();
  }

  /** What an IndexedDB-backed open loaded and what it could not read (undefined in memory). */
  loadReport?: LoadReport;

  /**
   * Loads the WebAssembly core and opens a store scoped to `organizationId`: empty in memory, or with
   * `persist: "indexeddb"` every record saved in this browser (or with `storage`, every record it holds),
   * each later change written through.
   */
  static async open(options: OpenOptions): Promise<Clientele> {
    if (!options?.organizationId) throw new TypeError("organizationId is required");
    // The database opens and its pages are read while the core loads.
    const storage =
      options.storage || options.persist === "indexeddb" ? openStorage(options.organizationId, options.indexedDB, options.storage) : undefined;
    storage?.catch(() => undefined); // observed below
    let module: CoreModule;
    try {
      module = await loadCore(options.wasm);
    } catch (err) {
      (await storage?.catch(() => undefined))?.db.close();
      throw err;
    }
    const clientele = new Clientele(new Core(new module.Store(), module), options.organizationId);
    if (storage) {
      // A failed open frees what it made: the core's store, and the database once it is open.
      let db: ClienteleStorage | undefined;
      try {
        const opened = await storage;
        db = opened.db;
        await clientele.attach(db, opened.stored);
      } catch (err) {
        db?.close();
        clientele.core.store.delete();
        throw err;
      }
    }
    return clientele;
  }

  /**
   * Loads the stored lines into the core a part at a time as storage reads them, then writes this
   * organization's changes through to `db`. A line that cannot be loaded is reported with its customer
   * and its line number counted over all parts.
   */
  private async attach(db: ClienteleStorage, stored: AsyncIterable<Lines>): Promise<void> {
    const report: LoadReport = { imported: 0, failed: [] };
    let before = 0; // lines in the parts before this one
    for await (const part of stored) {
      const loaded = this.core.call<{ imported: number; failed: ValidationDetail[] }>("snapshot.import", { jsonl: part.jsonl, atomic: false }, this.organizationId);
      const failed = new Map<number, ValidationDetail[]>();
      for (const d of loaded.failed) {
        const line = Number(d.loc[1]);
        const detail = { ...d, loc: ["line", before + line, ...d.loc.slice(2)] };
        failed.set(line, [...(failed.get(line) ?? []), detail]);
      }
      report.imported += loaded.imported;
      for (const [line, detail] of failed) report.failed.push({ id: part.ids[line - 1], detail });
      before += part.ids.length;
    }
    this.loadReport = report;
    this.core.storage = { organizationId: this.organizationId, db };
    // A change another tab made that cannot be loaded here leaves memory behind IndexedDB: the handle
    // turns read-only and the failure is reported (there is no call to reject).
    db.onRemoteChange((change) => this.core.remoteChange(change));
  }

  /** Bytes of WebAssembly memory the core's module holds (shared by every store of that module). */
  memoryBytes(): number {
    return this.core.module.HEAPU8.byteLength;
  }

  /** Bytes of that memory in use now (the memory itself never shrinks after a peak such as an import). */
  memoryInUse(): number {
    return this.core.module.heapInUse();
  }

  /** Called with the customer ids another tab changed (after they were loaded here). */
  onRemoteChange(fn: (ids: string[]) => void): () => void {
    return this.core.onRemoteChange(fn);
  }

  /** Every record of this organization as JSON Lines (members, subscriptions, grants and meters included). */
  exportSnapshot(): string {
    return this.core.call<string>("snapshot.export", {}, this.organizationId);
  }

  /**
   * Loads JSON Lines from exportSnapshot (text, or UTF-8 bytes as fetched): all or nothing, written through
   * with the other changes of this turn in one storage transaction. Answers the count.
   */
  async importSnapshot(jsonl: string | Uint8Array): Promise<number> {
    // Persisted: the core answers the customers it loaded with their lines as storage keeps them, so they
    // go to storage as they are (unless another change of this turn joins the write).
    if (!this.core.persisted(this.organizationId)) return this.core.call<{ imported: number }>("snapshot.import", { jsonl, atomic: true }, this.organizationId).imported;
    return this.core.inOrder(async () => {
      this.core.assertWritable(this.organizationId);
      const args = { jsonl, atomic: true, report_lines: true };
      const loaded = this.core.callLines<{ imported: number; ids: string[] }>("snapshot.import", args, this.organizationId);
      await this.core.commit(this.organizationId, loaded.ids, loaded);
      return loaded.imported;
    });
  }

  /** A handle on the same store scoped to another organization (as an edge handler maps tokens to them). */
  forOrganization(organizationId: string): Clientele {
    if (!organizationId) throw new TypeError("organizationId is required");
    return new Clientele(this.core, organizationId);
  }

  /** Subscribes to one event type (or "*"); returns the unsubscribe function. */
  on(type: EventType | "*", fn: Listener): () => void {
    this.core.drain(this.organizationId); // listeners hear what happens from now on
    return this.core.on(this.organizationId, type, fn);
  }

  /**
   * The events emitted from now on, as an async iterator (`for await (const e of clientele.stream())`).
   * Ends when `signal` aborts.
   */
  async *stream(signal?: AbortSignal): AsyncGenerator<ClienteleEvent> {
    const queue: ClienteleEvent[] = [];
    let wake: (() => void) | undefined;
    const release = this.core.hold(this.organizationId, queue); // an anonymization redacts what is not yet pulled
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
      release();
    }
  }

  /** Every event the core still holds for this organization, oldest first. */
  events(after = 0): ClienteleEvent[] {
    return this.core.call<ClienteleEvent[]>("events.since", { after }, this.organizationId);
  }

  /**
   * Low-level: one core command with snake_case arguments. A change is written through to storage (when
   * persisted) before listeners hear of it and before this resolves. Throws the typed errors of errors.ts.
   */
  async call<T>(method: string, args: Record<string, unknown> = {}): Promise<T> {
    // A persisted organization's calls apply in call order; the changes of one turn are written together.
    return this.core.persisted(this.organizationId) ? this.core.inOrder(() => this.apply<T>(method, args)) : this.apply<T>(method, args);
  }

  private async apply<T>(method: string, args: Record<string, unknown>): Promise<T> {
    const organizationId = this.organizationId;
    if (!READS.has(method)) this.core.assertWritable(organizationId);
    const value = this.core.call<T>(method, args, organizationId);
    // An anonymization reaches the events held in JS at once, before anything else is handed out.
    if (ANONYMIZING.has(method) && args?.anonymize === true) {
      const id = (value as { id?: unknown } | null)?.id;
      if (typeof id === "string") this.core.redactHeld(organizationId, [id], new Set([id]));
    }
    // Unread events stay in the core's log; a listener added later starts after them (see on()).
    if (READS.has(method) || !this.core.wantsEvents(organizationId)) return value;
    const events = this.core.drain(organizationId);
    const changed = [...new Set(events.map(customerOf))];
    const release = this.core.hold(organizationId, events); // until every listener heard them
    try {
      if (this.core.persisted(organizationId)) await this.core.commit(organizationId, changed);
      this.core.dispatch(organizationId, events);
    } finally {
      release();
    }
    return value;
  }

  /** Frees the core's memory and closes storage; the handle (and every handle from forOrganization) is unusable afterwards. */
  close(): void {
    this.core.closed = true;
    this.core.storage?.db.close();
    this.core.store.delete();
  }
}

/** The methods that anonymize when asked to (`anonymize: true`); they answer the customer. */
const ANONYMIZING = new Set(["customers.delete", "customers.deleteExternal"]);

const READS = new Set([
  "customers.get",
  "customers.getExternal",
  "customers.list",
  "customers.getState",
  "customers.getStateExternal",
  "customers.export",
  "members.list",
  "members.get",
  "members.getExternal",
  "events.since",
  "snapshot.export",
  "snapshot.records",
  "customers.validate",
  "customers.validateUpdate",
  "members.validate",
]);

async function problems(run: () => Promise<unknown>): Promise<ValidationDetail[]> {
  try {
    await run();
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return err.detail;
    throw err;
  }
}

class Customers {
  constructor(private readonly c: Clientele) {}
  async create(input: CustomerCreate): Promise<Customer> {
    return this.c.call("customers.create", { body: toSnake(input) });
  }
  async get(req: { id: string }): Promise<Customer> {
    return this.c.call("customers.get", { id: req.id });
  }
  /** Every problem `create` would report for this input, writing nothing ([] when it would succeed). */
  async validate(input: CustomerCreate): Promise<ValidationDetail[]> {
    return problems(() => this.c.call("customers.validate", { body: toSnake(input) }));
  }
  /** Every problem `update` would report, writing nothing. */
  async validateUpdate(req: { id: string; customerUpdate: CustomerUpdate }): Promise<ValidationDetail[]> {
    return problems(() => this.c.call("customers.validateUpdate", { id: req.id, body: toSnake(req.customerUpdate) }));
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
    return this.c.call("customers.delete", { id: req.id, anonymize: req.anonymize }); // the core refuses a non-boolean
  }
  async deleteExternal(req: { externalId: string; anonymize?: boolean }): Promise<Customer> {
    return this.c.call("customers.deleteExternal", { external_id: req.externalId, anonymize: req.anonymize });
  }
  async getState(req: { id: string }): Promise<CustomerState> {
    return this.c.call("customers.getState", { id: req.id });
  }
  async getStateExternal(req: { externalId: string }): Promise<CustomerState> {
    return this.c.call("customers.getStateExternal", { external_id: req.externalId });
  }
  /**
   * Polar's CSV export of the organization's customers, read a chunk of rows at a time as it is consumed
   * (nothing is read until then): iterate it (`for await`), or take `text()` or `stream()`.
   */
  export(req: CustomerExportRequest = {}): CustomerExport {
    const { rowsPerChunk, ...query } = req;
    return csvExport(this.c, toSnake(query) as Record<string, unknown>, rowsPerChunk);
  }
}

/**
 * The export of `query` (the core's export query: `organization_id`) through the core, `rowsPerChunk`
 * rows per chunk (default: the core's). Each iteration reads the store afresh from the first row; the
 * core's cursor carries on from the last row read, so changes between chunks neither skip nor repeat rows.
 */
export function csvExport(c: Clientele, query: Record<string, unknown>, rowsPerChunk?: number): CustomerExport {
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    let after: string | undefined;
    do {
      const chunk = await c.call<{ csv: string; next: string | null }>("customers.export", { query, after, rows_per_chunk: rowsPerChunk });
      after = chunk.next ?? undefined;
      yield chunk.csv;
    } while (after !== undefined);
  }
  return {
    [Symbol.asyncIterator]: chunks,
    async text() {
      let out = "";
      for await (const chunk of chunks()) out += chunk;
      return out;
    },
    stream() {
      const source = chunks();
      const encoder = new TextEncoder();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const next = await source.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(next.value));
          } catch (err) {
            controller.error(err);
          }
        },
        async cancel() {
          await source.return();
        },
      }, { highWaterMark: 0 }); // a chunk is read from the core only when one is asked for
    },
  };
}

class Members {
  constructor(private readonly c: Clientele) {}
  async create(input: MemberCreate): Promise<Member> {
    return this.c.call("members.create", { body: toSnake(input) });
  }
  /**
   * Every problem `create` would report for this input, writing nothing ([] when it would succeed); a
   * refusal that is not about the input (an individual customer's second member, an unknown customer)
   * throws as `create` would.
   */
  async validate(input: MemberCreate): Promise<ValidationDetail[]> {
    return problems(() => this.c.call("members.validate", { body: toSnake(input) }));
  }
  /** Every member of the organization, or of one customer (`customerId` or `externalCustomerId`), a page at a time. */
  async list(req: MemberListRequest = {}): Promise<ListResource<Member>> {
    return this.c.call("members.list", { query: toSnake(req) });
  }
  /** Adds a member to the customer with that external id. */
  async createExternal(req: { externalId: string; memberCreateFromCustomer: MemberCreateFromCustomer }): Promise<Member> {
    return this.c.call("members.createExternal", { external_customer_id: req.externalId, body: toSnake(req.memberCreateFromCustomer) });
  }
  /** The member with external id `memberExternalId` of the customer with external id `externalId`. */
  async getExternal(req: { externalId: string; memberExternalId: string }): Promise<Member> {
    return this.c.call("members.getExternal", { external_customer_id: req.externalId, external_id: req.memberExternalId });
  }
  async updateExternal(req: { externalId: string; memberExternalId: string; memberUpdate: MemberUpdate }): Promise<Member> {
    return this.c.call("members.updateExternal", {
      external_customer_id: req.externalId,
      external_id: req.memberExternalId,
      body: toSnake(req.memberUpdate),
    });
  }
  async deleteExternal(req: { externalId: string; memberExternalId: string }): Promise<void> {
    await this.c.call("members.deleteExternal", { external_customer_id: req.externalId, external_id: req.memberExternalId });
  }
  async get(req: { id: string }): Promise<Member> {
    return this.c.call("members.get", { id: req.id });
  }
  async update(req: { id: string; memberUpdate: MemberUpdate }): Promise<Member> {
    return this.c.call("members.update", { id: req.id, body: toSnake(req.memberUpdate) });
  }
  async delete(req: { id: string }): Promise<void> {
    await this.c.call("members.delete", { id: req.id });
  }
}
