// IndexedDB persistence for browsers: every saved record is loaded into the core on open, each
// committed change is written through in one transaction, and tabs on the same database tell each
// other what changed over a BroadcastChannel. The records are the core's snapshot lines, as objects.

export const SCHEMA_VERSION = 2;
const STORE = "customers";

/** A record as the core's snapshot writes it (keyed by its customer id). */
export type StoredRecord = { id: string } & Record<string, unknown>;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * A version-1 record kept as its JSON text, for the core to read when it loads (it decides what is
 * readable, as it does for every snapshot line); the record is rewritten structured on its next change.
 */
const V1_TEXT = "$v1_text";

/** The snapshot line a stored record goes back to the core as. */
export function snapshotLine(record: StoredRecord): string {
  const text = record[V1_TEXT];
  return typeof text === "string" ? text : JSON.stringify(record);
}

// Schema history: version 1 kept each record as JSON text in store "records" ({ id, text }); version 2
// keeps structured records in "customers" and the schema version in "meta".
function upgrade(db: IDBDatabase, tx: IDBTransaction, oldVersion: number): void {
  if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "id" });
  if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
  if (oldVersion === 1 && db.objectStoreNames.contains("records")) {
    const target = tx.objectStore(STORE);
    const cursor = tx.objectStore("records").openCursor();
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return void db.deleteObjectStore("records");
      const { id, text } = c.value as { id: string; text: string };
      // One non-blank line goes to the core as it is; anything else could not be one snapshot line and is
      // kept so the load reports it instead of dropping it.
      const line = typeof text === "string" && text.trim() !== "" && !text.includes("\n");
      target.put(line ? { id, [V1_TEXT]: text } : { id, unreadable: text });
      c.continue();
    };
  }
  tx.objectStore("meta").put(SCHEMA_VERSION, "schema");
}

export class IndexedDbStore {
  private constructor(
    private readonly db: IDBDatabase,
    private readonly channel: BroadcastChannel | undefined,
  ) {}

  static name(organizationId: string): string {
    return `clientele:${organizationId}`;
  }

  static async open(organizationId: string, factory: IDBFactory = globalThis.indexedDB): Promise<IndexedDbStore> {
    if (!factory) throw new Error("IndexedDB is not available in this runtime");
    const open = factory.open(IndexedDbStore.name(organizationId), SCHEMA_VERSION);
    open.onupgradeneeded = (event) => upgrade(open.result, open.transaction!, event.oldVersion);
    const db = await request(open);
    const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(IndexedDbStore.name(organizationId)) : undefined;
    (channel as { unref?: () => void } | undefined)?.unref?.(); // Node: an open channel must not keep the process alive
    return new IndexedDbStore(db, channel);
  }

  async readAll(): Promise<StoredRecord[]> {
    return request(this.db.transaction(STORE).objectStore(STORE).getAll()) as Promise<StoredRecord[]>;
  }

  async read(ids: string[]): Promise<StoredRecord[]> {
    const store = this.db.transaction(STORE).objectStore(STORE);
    const found = await Promise.all(ids.map((id) => request(store.get(id)) as Promise<StoredRecord | undefined>));
    return found.filter((r): r is StoredRecord => r !== undefined);
  }

  /** Writes these records in one transaction; rejects (and writes nothing) if the transaction fails. */
  async write(records: StoredRecord[]): Promise<void> {
    if (!records.length) return;
    const tx = this.db.transaction(STORE, "readwrite");
    const store = tx.objectStore(STORE);
    for (const record of records) store.put(record);
    await done(tx);
    this.channel?.postMessage({ ids: records.map((r) => r.id) });
  }

  /** Called with the ids another tab wrote (a message of any other shape on the channel is ignored). */
  onRemoteChange(fn: (ids: string[]) => void): void {
    if (this.channel)
      this.channel.onmessage = (event: MessageEvent<unknown>) => {
        const ids = (event.data as { ids?: unknown } | null)?.ids;
        if (Array.isArray(ids) && ids.every((id) => typeof id === "string")) fn(ids);
      };
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }
}
