// The parts of the Cloudflare Workers runtime (workerd) that clientele/cloudflare uses, declared
// structurally so the package needs no @cloudflare/workers-types: a Durable Object's state and SQLite
// storage, and a Durable Object namespace binding.

/** A cursor over the rows of one `sql.exec`. */
export interface SqlCursor<Row> extends Iterable<Row> {
  toArray(): Row[];
  one(): Row;
  raw<T extends unknown[] = unknown[]>(): Iterable<T>;
}

/** `ctx.storage.sql`: SQLite, synchronous. */
export interface SqlStorage {
  exec<Row = Record<string, unknown>>(query: string, ...bindings: unknown[]): SqlCursor<Row>;
  readonly databaseSize: number;
}

/** `ctx.storage` of a SQLite-backed Durable Object. */
export interface DurableObjectStorage {
  readonly sql: SqlStorage;
  transactionSync<T>(fn: () => T): T;
  deleteAll(): Promise<void>;
}

/** `ctx`, the first argument of a Durable Object's constructor. */
export interface DurableObjectState {
  readonly storage: DurableObjectStorage;
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
}

export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object namespace binding (`env.CLIENTELE`). */
export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}
