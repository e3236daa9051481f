// The storage of one organization in its Durable Object: SQLite (`ctx.storage.sql`), one row per customer
// holding the core's snapshot line of that customer as text. A write is one `transactionSync`: every changed
// customer's row is upserted, or deleted where the core no longer holds it. Old row versions survive in
// SQLite's write-ahead log and free pages, so a write that anonymizes or removes a customer is followed by
// an erase: the database is dropped (`deleteAll`, which removes its files) and written again from the rows.
import type { ClienteleStorage } from "../client.js";
import { decodeLines, encodeLines, type Lines } from "../lines.js";
import type { RemoteChange } from "../persistence.js";
import type { DurableObjectStorage } from "./types.js";

const CUSTOMERS = "clientele_customers";
const META = "clientele_meta";
/** Bound parameters per statement (Durable Objects allow at most 100). */
const PARAMS = 100;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${CUSTOMERS} (id TEXT PRIMARY KEY, line TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/** Whether a snapshot line is an anonymized customer's (the core writes `anonymized_at` only then). */
const anonymized = (line: string) => line.includes('"anonymized_at":"');

export class SqlStore implements ClienteleStorage {
  /** Customers stored (rows of the customers table). */
  count = 0;
  /** Erases done (a write that anonymized or removed a customer). */
  erases = 0;

  constructor(protected readonly storage: DurableObjectStorage) {
    for (const statement of SCHEMA) storage.sql.exec(statement);
  }

  /** A value of the meta table (undefined when absent). */
  meta(key: string): string | undefined {
    const rows = this.storage.sql.exec<{ value: string }>(`SELECT value FROM ${META} WHERE key = ?`, key).toArray();
    return rows[0]?.value;
  }

  setMeta(key: string, value: string): void {
    this.storage.sql.exec(`INSERT INTO ${META} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
  }

  /** Every stored line in insertion order, one read, as one part. */
  async *load(): AsyncGenerator<Lines> {
    const ids: string[] = [];
    const lines: string[] = [];
    for (const [id, line] of this.storage.sql.exec(`SELECT id, line FROM ${CUSTOMERS}`).raw<[string, string]>()) {
      ids.push(id);
      lines.push(line);
    }
    this.count = ids.length;
    yield { ids, jsonl: encodeLines(lines) };
  }

  async read(ids: string[]): Promise<Lines> {
    this.rewrite();
    const found = this.rows(ids);
    return { ids: [...found.keys()], jsonl: encodeLines([...found.values()]) };
  }

  /**
   * One transaction: the changed customers' rows as `held` has them. When a customer turns anonymized or
   * is removed, the database is erased and rewritten (see erase) before this resolves.
   */
  async write(changed: string[], held: Lines): Promise<void> {
    const text = decodeLines(held.jsonl);
    const lines = new Map(held.ids.map((id, i) => [id, text[i]]));
    this.rewrite();
    const erase = this.storage.transactionSync(() => {
      const before = this.rows([...new Set(changed)]);
      let count = this.count;
      let erase = false;
      for (const id of new Set(changed)) {
        const line = lines.get(id);
        const old = before.get(id);
        if (line === undefined) {
          if (old === undefined) continue;
          this.remove(id);
          count--;
          erase = true;
        } else {
          this.upsert(id, line);
          if (old === undefined) count++;
          else if (anonymized(line) && !anonymized(old)) erase = true;
          else if (anonymized(line) && old !== line) erase = true; // redacted again (a newer line loaded over it)
        }
      }
      this.count = count;
      return erase;
    });
    if (erase) await this.erase();
  }

  /** Writes one customer's row (inside write's transaction). */
  protected upsert(id: string, line: string): void {
    this.storage.sql.exec(`INSERT INTO ${CUSTOMERS} (id, line) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET line = excluded.line`, id, line);
  }

  /** Deletes one customer's row (inside write's transaction). */
  protected remove(id: string): void {
    this.storage.sql.exec(`DELETE FROM ${CUSTOMERS} WHERE id = ?`, id);
  }

  /**
   * Drops the database with its files (`deleteAll`) and writes every row and meta value back in one
   * transaction, so no earlier version of a row is left in the log or in free pages. Should the rewrite
   * fail, the rows stay here and every later read or write tries it again first (until then storage is
   * empty and nothing else may touch it).
   */
  async erase(): Promise<void> {
    const customers = [...this.storage.sql.exec(`SELECT id, line FROM ${CUSTOMERS}`).raw<[string, string]>()];
    const meta = [...this.storage.sql.exec(`SELECT key, value FROM ${META}`).raw<[string, string]>()];
    this.unwritten = { customers, meta };
    await this.storage.deleteAll();
    this.rewrite();
    this.erases++;
  }

  /** Rows an erase dropped and has not written back yet. */
  private unwritten?: { customers: Array<[string, string]>; meta: Array<[string, string]> };

  /** Writes back what an erase dropped (nothing when no erase is pending). */
  protected rewrite(): void {
    const rows = this.unwritten;
    if (!rows) return;
    this.storage.transactionSync(() => {
      for (const statement of SCHEMA) this.storage.sql.exec(statement);
      for (const [key, value] of rows.meta) this.setMeta(key, value);
      for (const [id, line] of rows.customers) this.upsert(id, line);
    });
    this.unwritten = undefined;
  }

  /** The stored line of each of these customers that has a row. */
  private rows(ids: string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += PARAMS) {
      const chunk = ids.slice(i, i + PARAMS);
      const query = `SELECT id, line FROM ${CUSTOMERS} WHERE id IN (${chunk.map(() => "?").join(",")})`;
      for (const [id, line] of this.storage.sql.exec(query, ...chunk).raw<[string, string]>()) out.set(id, line);
    }
    return out;
  }

  /** One object is the only writer of its storage: no change comes from elsewhere. */
  onRemoteChange(_fn: (change: RemoteChange) => void): void {}

  close(): void {}
}
