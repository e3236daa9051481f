// IndexedDB persistence for browsers, one database per organization (`clientele:<org>`). Customers are
// kept in pages: a page is the core's snapshot lines of a few hundred customers as JSON Lines in UTF-8
// bytes, every line ending in "\n" (store "pages"), beside an index record naming the customer of each
// line and the page's version (store "index"). The bytes go from the core's memory to storage and back
// without ever becoming a JS string. Opening reads every page and hands the bytes to the core; a write
// rewrites, in one transaction, each page holding a changed customer and the last page, which takes new
// customers. Tabs on the same database tell each other what they wrote over a BroadcastChannel.

import { bytesOf, joinLines, splitLines, type Lines } from "./lines.js";

export type { Lines } from "./lines.js";

export const SCHEMA_VERSION = 4;
const PAGES = "pages";
const INDEX = "index";
const META = "meta";
/** A page takes new customers until it holds this many lines or this many bytes. */
const PAGE_LINES = 256;
const PAGE_BYTES = 96 * 1024;
/**
 * Pages read and handed to the core as one part when a handle opens: the first parts are small, so the
 * core's first calls (run by the engine's baseline compiler until its optimized code is ready) are short
 * and the later, larger parts run optimized.
 */
const partPages = (part: number) => Math.min(32, 2 ** (part + 1));
/** Pages whose lines a handle keeps to rewrite without reading them first (the last page always). */
const CACHED_PAGES = 8;

/** A change another tab wrote: the customers it changed and the pages it rewrote (all when absent). */
export interface RemoteChange {
  ids: string[];
  pages?: number[];
}

/** What the index store holds per page: the customer of each line, and a version every write changes. */
interface PageIndex {
  ids: string[];
  v: string;
}

/** A page's lines (UTF-8, without their "\n") and their customers, as one transaction read them (at version `v`) or writes them. */
interface Page {
  ids: string[];
  lines: Uint8Array[];
  v?: string;
}

const EMPTY: Page = { ids: [], lines: [] };

/** Thrown inside a write when a cached page turned out to be older than storage's. */
const STALE = new Error("a cached page is stale");

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

const isFull = (page: Page, bytes: number) => page.lines.length >= PAGE_LINES || bytes >= PAGE_BYTES;

/** Cuts lines into pages of at most PAGE_LINES lines and about PAGE_BYTES bytes each. */
function paginate(ids: string[], lines: Uint8Array[]): Page[] {
  const pages: Page[] = [];
  let page: Page | undefined;
  let bytes = 0;
  ids.forEach((id, i) => {
    if (!page || isFull(page, bytes)) pages.push((page = { ids: [], lines: [] })), (bytes = 0);
    page.ids.push(id);
    page.lines.push(lines[i]);
    bytes += lines[i].length + 1;
  });
  return pages;
}

const utf8 = new TextEncoder();
const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

// Schema history. Version 1 kept each customer as JSON text in store "records" ({ id, text }); version 2
// kept one structured record per customer in store "customers" (a version-1 text as { id, $v1_text });
// version 3 kept pages as JSON Lines strings (lines joined by "\n"). Version 4 keeps the same pages as
// UTF-8 bytes. The upgrade turns any older layout into byte pages in the upgrade transaction: version-3
// pages are encoded as they are (same keys, same index), and each version-1 or -2 record becomes one line
// as it was (the core decides what is readable when it loads), its old store deleted.
function upgrade(db: IDBDatabase, tx: IDBTransaction): void {
  for (const name of [PAGES, INDEX, META]) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
  tx.objectStore(META).put(SCHEMA_VERSION, "schema");
  const pages = tx.objectStore(PAGES).openCursor();
  pages.onsuccess = () => {
    const cursor = pages.result;
    if (!cursor) return;
    if (typeof cursor.value === "string") cursor.update(utf8.encode(cursor.value.endsWith("\n") ? cursor.value : `${cursor.value}\n`));
    cursor.continue();
  };
  const old = ["customers", "records"].find((name) => db.objectStoreNames.contains(name));
  if (!old) return;
  const all = tx.objectStore(old).getAll();
  all.onsuccess = () => {
    const records = all.result as Array<Record<string, unknown>>;
    const ids = records.map((r) => String(r.id));
    const lines = records.map((r) => utf8.encode(old === "records" ? v1Line(r) : v2Line(r)));
    paginate(ids, lines).forEach((page, key) => {
      tx.objectStore(PAGES).put(joinLines(page.lines), key);
      tx.objectStore(INDEX).put({ ids: page.ids, v: "migrated" } satisfies PageIndex, key);
    });
    db.deleteObjectStore(old);
  };
}

/** A version-1 record's line: its text when that is one non-blank line, else a line the core reports. */
function v1Line(record: Record<string, unknown>): string {
  const text = record.text;
  const oneLine = typeof text === "string" && text.trim() !== "" && !text.includes("\n");
  return oneLine ? text : JSON.stringify({ id: record.id, unreadable: text });
}

/** A version-2 record's line: the record as JSON, or the version-1 text it kept. */
function v2Line(record: Record<string, unknown>): string {
  const text = record.$v1_text;
  return typeof text === "string" ? v1Line({ id: record.id, text }) : JSON.stringify(record);
}

export class IndexedDbStore {
  /** Every page this handle knows, by key: its customers and the version it last saw. */
  private readonly index = new Map<number, PageIndex>();
  /** The page of each customer in `index`, built at the first write or read (not on the way to opening). */
  private readonly pageOf = new Map<string, number>();
  private located = false;
  /** The lines of recently read or written pages, as storage held them at the version in `index`. */
  private readonly cache = new Map<number, Uint8Array[]>();
  /** The highest page key this handle knows (-1: none). */
  private lastKey = -1;
  /** Versions this handle writes: its own tag and a count, so no two writers write the same version. */
  private readonly tag = Math.random().toString(36).slice(2);
  private writes = 0;

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
    open.onupgradeneeded = () => upgrade(open.result, open.transaction!);
    const db = await request(open);
    const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(IndexedDbStore.name(organizationId)) : undefined;
    (channel as { unref?: () => void } | undefined)?.unref?.(); // Node: an open channel must not keep the process alive
    return new IndexedDbStore(db, channel);
  }

  /**
   * Every stored line, a part of a few pages at a time in page order, read in one transaction whose
   * reads are all under way at once (so the core loads one part while storage reads the next). Reading
   * starts here, not when the parts are asked for; the index of every page is known once the last part is
   * handed out.
   */
  load(): AsyncIterable<Lines> {
    const parts = this.readParts();
    parts.then((all) => all.forEach((part) => part.catch(() => undefined))).catch(() => undefined); // observed below
    return {
      async *[Symbol.asyncIterator]() {
        for (const part of await parts) yield await part;
      },
    };
  }

  private async readParts(): Promise<Array<Promise<Lines>>> {
    const tx = this.db.transaction([PAGES, INDEX]);
    const last = await lastKeyOf(tx);
    this.index.clear();
    this.cache.clear();
    this.pageOf.clear();
    this.located = false;
    // Each part reads its range of page keys from both stores (no index of every page read first, so the
    // first part comes soonest). Without IDBKeyRange (a polyfill that does not set it), one part.
    const Range = (globalThis as { IDBKeyRange?: typeof IDBKeyRange }).IDBKeyRange;
    const parts: Array<Promise<Lines>> = [];
    for (let low = 0, size = partPages(0); low <= last; low += size, size = partPages(parts.length)) {
      const range = Range?.bound(low, low + size - 1);
      const read = Promise.all([INDEX, PAGES].flatMap((name) => [request(tx.objectStore(name).getAllKeys(range)), request(tx.objectStore(name).getAll(range))]));
      parts.push(read.then(([indexKeys, entries, pageKeys, values]) => this.part(indexKeys, entries, pageKeys, values, last)));
      if (!Range) break;
    }
    return parts;
  }

  /** One part's pages (those with an index record and bytes) as lines, each page taken as known. */
  private part(indexKeys: IDBValidKey[], entries: unknown[], pageKeys: IDBValidKey[], values: unknown[], last: number): Lines {
    const valueOf = new Map(pageKeys.map((key, i) => [Number(key), values[i]]));
    const ids: string[] = [];
    const pages: Uint8Array[] = [];
    indexKeys.forEach((k, i) => {
      const key = Number(k);
      const entry = entries[i];
      const bytes = valueOf.get(key);
      if (!isIndex(entry) || !isBytes(bytes)) return;
      for (const id of entry.ids) ids.push(id);
      pages.push(bytes);
      this.take(key, { ids: entry.ids, lines: [], v: entry.v }, false);
      if (key === last) this.cache.set(key, splitLines(bytes)); // the last page, which takes new customers
    });
    const jsonl = new Uint8Array(pages.reduce((n, page) => n + page.length, 0));
    let at = 0;
    for (const page of pages) jsonl.set(page, at), (at += page.length);
    return { ids, jsonl };
  }

  /**
   * The stored lines of these customers (those storage holds), read from the pages this handle knows
   * them in and from `pages` ("all": every page, for customers this handle may not know).
   */
  async read(ids: string[], pages: number[] | "all" = []): Promise<Lines> {
    const tx = this.db.transaction([PAGES, INDEX]);
    const keys = new Set(pages === "all" ? (await request(tx.objectStore(INDEX).getAllKeys())).map(Number) : pages);
    const pageOf = this.locate();
    for (const id of ids) if (pageOf.has(id)) keys.add(pageOf.get(id)!);
    const read = new Map<number, Page>();
    await Promise.all([...keys].map(async (key) => read.set(key, await readPage(tx, key))));
    const wanted = new Set(ids);
    const found: string[] = [];
    const lines: Uint8Array[] = [];
    for (const [key, page] of read) {
      this.take(key, page, true);
      page.ids.forEach((id, i) => {
        if (!wanted.has(id)) return;
        found.push(id);
        lines.push(page.lines[i]);
      });
    }
    return { ids: found, jsonl: joinLines(lines) };
  }

  /**
   * Stores these changed customers as `held` has them, in one transaction: each page holding one of them
   * is rewritten, new ones are appended to the last page (a new page once it is full), and a changed
   * customer `held` leaves out is removed. Rejects, having written nothing, if the transaction fails.
   */
  async write(changed: string[], held: Lines): Promise<void> {
    const text = splitLines(held.jsonl);
    const lines = new Map(held.ids.map((id, i) => [id, text[i]]));
    let written: number[];
    try {
      written = await this.rewrite(changed, lines, true);
    } catch (err) {
      if (err !== STALE) throw err;
      written = await this.rewrite(changed, lines, false); // another tab wrote one of the pages: read them first
    }
    if (written.length) this.channel?.postMessage({ ids: changed, pages: written } satisfies RemoteChange);
  }

  /**
   * One write transaction. A page whose text this handle holds (when `trusted`) is rewritten without
   * being read, its version checked in the same transaction (a mismatch aborts it: STALE); every other
   * page is read first. Answers the pages written.
   */
  private async rewrite(changed: string[], lines: Map<string, Uint8Array>, trusted: boolean): Promise<number[]> {
    const tx = this.db.transaction([PAGES, INDEX], "readwrite");
    const finished = done(tx);
    let stale = false;
    const expect = (key: number, v: string | undefined) => {
      const req = tx.objectStore(INDEX).get(key);
      req.onsuccess = () => {
        if (stale || (req.result as PageIndex | undefined)?.v === v) return;
        stale = true;
        abort(tx);
      };
    };
    let out = new Map<number, Page>();
    try {
      const { touched, added } = this.group(changed, lines);
      const pages = new Map<number, Page>();
      const reads: Array<Promise<unknown>> = [];
      const need = (key: number) => {
        if (pages.has(key)) return;
        const cached = trusted ? this.cached(key) : undefined;
        pages.set(key, cached ?? EMPTY);
        if (cached) expect(key, cached.v);
        else reads.push(readPage(tx, key).then((page) => pages.set(key, page)));
      };
      for (const key of touched.keys()) need(key);
      // The last page takes new customers: the one this handle holds, else the last one stored now.
      let last = this.lastKey;
      if (trusted && (last < 0 || this.cache.has(last))) {
        if (added.length && last >= 0) need(last);
      } else {
        const lastStored = lastKeyOf(tx).then((key) => {
          last = key;
          if (key >= 0) need(key);
        });
        reads.push(lastStored);
      }
      while (reads.length) await reads.shift(); // (reading the last page adds a read while this waits)
      const merged = merge(pages, touched, lines);
      out = merged.pages;
      for (const [key, page] of append(out, pages, last, [...merged.missing, ...added], lines)) {
        if (trusted && !pages.has(key)) expect(key, undefined); // a new page: no other tab made it meanwhile
        out.set(key, page);
      }
      for (const [key, page] of out) this.put(tx, key, page);
    } catch (err) {
      if (!stale) abort(tx);
      await finished.catch(() => undefined);
      throw stale ? STALE : err;
    }
    try {
      await finished;
    } catch (err) {
      throw stale ? STALE : err;
    }
    for (const [key, page] of out) this.take(key, page, true);
    return [...out.keys()];
  }

  /** The known pages of changed customers (with the customers changed in each), and the new customers. */
  private group(changed: string[], lines: Map<string, Uint8Array>): { touched: Map<number, Set<string>>; added: string[] } {
    const touched = new Map<number, Set<string>>();
    const added: string[] = [];
    const pageOf = this.locate();
    for (const id of new Set(changed)) {
      const key = pageOf.get(id);
      if (key !== undefined) touched.set(key, (touched.get(key) ?? new Set()).add(id));
      else if (lines.has(id)) added.push(id);
    }
    return { touched, added };
  }

  /** Writes a page (with a new version) in `tx`, or deletes it when it holds no customer. */
  private put(tx: IDBTransaction, key: number, page: Page): void {
    if (!page.ids.length) {
      tx.objectStore(PAGES).delete(key);
      tx.objectStore(INDEX).delete(key);
      return;
    }
    page.v = `${this.tag}.${++this.writes}`;
    const bytes = joinLines(page.lines);
    page.lines = splitLines(bytes); // views of the page's own buffer: a cached page keeps no larger one alive
    tx.objectStore(PAGES).put(bytes, key);
    tx.objectStore(INDEX).put({ ids: page.ids, v: page.v } satisfies PageIndex, key);
  }

  /** Takes a page as storage holds it (gone when it has no version), its text cached when `cache`. */
  private take(key: number, page: Page, cache: boolean): void {
    this.forgetPage(key);
    if (page.v === undefined || !page.ids.length) return;
    this.index.set(key, { ids: page.ids, v: page.v });
    if (this.located) for (const id of page.ids) this.pageOf.set(id, key);
    this.lastKey = Math.max(this.lastKey, key);
    if (!cache) return;
    this.cache.set(key, page.lines);
    for (const old of this.cache.keys()) if (this.cache.size > CACHED_PAGES && old !== this.lastKey) this.cache.delete(old);
  }

  /** The page of each known customer. */
  private locate(): Map<string, number> {
    if (!this.located) for (const [key, entry] of this.index) for (const id of entry.ids) this.pageOf.set(id, key);
    this.located = true;
    return this.pageOf;
  }

  private forgetPage(key: number): void {
    if (this.located) for (const id of this.index.get(key)?.ids ?? []) if (this.pageOf.get(id) === key) this.pageOf.delete(id);
    this.index.delete(key);
    this.cache.delete(key);
  }

  /** A page whose text this handle holds, most recently used from now on. */
  private cached(key: number): Page | undefined {
    const lines = this.cache.get(key);
    const entry = this.index.get(key);
    if (!lines || !entry) return undefined;
    this.cache.delete(key);
    this.cache.set(key, lines);
    return { ids: entry.ids, lines, v: entry.v };
  }

  /**
   * The sync module's state (js/src/sync/): keys of store "meta" that start with "sync:" (the pull's
   * cursor, the pages it fetched and has not applied yet, the ids seen upstream). Answers every such key
   * with its value; the schema is unchanged (store "meta" takes any key).
   */
  async readSync(): Promise<Map<string, unknown>> {
    const tx = this.db.transaction(META);
    const store = tx.objectStore(META);
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    const out = new Map<string, unknown>();
    keys.forEach((key, i) => {
      if (typeof key === "string" && key.startsWith("sync:")) out.set(key, values[i]);
    });
    return out;
  }

  /**
   * Writes sync state in one transaction: first deletes every "sync:" key starting with one of `clear`,
   * then puts `put` (a value of undefined deletes its key).
   */
  async writeSync(put: Iterable<[string, unknown]>, clear: string[] = []): Promise<void> {
    const tx = this.db.transaction(META, "readwrite");
    const finished = done(tx);
    const store = tx.objectStore(META);
    const writes = () => {
      for (const [key, value] of put) {
        if (!key.startsWith("sync:")) throw new Error(`not a sync key: ${key}`);
        if (value === undefined) store.delete(key);
        else store.put(value, key);
      }
    };
    if (clear.length) {
      const keys = store.getAllKeys();
      keys.onsuccess = () => {
        for (const key of keys.result)
          if (typeof key === "string" && clear.some((prefix) => prefix.startsWith("sync:") && key.startsWith(prefix))) store.delete(key);
        writes();
      };
    } else writes();
    await finished;
  }

  /** Called with what another tab wrote (a message of any other shape on the channel is ignored). */
  onRemoteChange(fn: (change: RemoteChange) => void): void {
    if (this.channel)
      this.channel.onmessage = (event: MessageEvent<unknown>) => {
        const data = event.data as { ids?: unknown; pages?: unknown } | null;
        const ids = data?.ids;
        if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) return;
        const pages = data?.pages;
        fn({ ids, pages: Array.isArray(pages) && pages.every(Number.isInteger) ? pages : undefined });
      };
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }
}

const isIndex = (entry: unknown): entry is PageIndex =>
  !!entry && Array.isArray((entry as PageIndex).ids) && typeof (entry as PageIndex).v === "string";

/** A stored page (EMPTY, with no version, when it is not stored). */
async function readPage(tx: IDBTransaction, key: number): Promise<Page> {
  const [entry, bytes] = await Promise.all([request(tx.objectStore(INDEX).get(key)), request(tx.objectStore(PAGES).get(key))]);
  return isIndex(entry) && isBytes(bytes) ? { ids: entry.ids, lines: splitLines(bytes), v: entry.v } : EMPTY;
}

/** The highest page key stored (-1: none). */
async function lastKeyOf(tx: IDBTransaction): Promise<number> {
  const cursor = await request(tx.objectStore(INDEX).openKeyCursor(null, "prev"));
  return cursor ? Number(cursor.key) : -1;
}

function abort(tx: IDBTransaction): void {
  try {
    tx.abort();
  } catch {
    // already finished or aborted
  }
}

/**
 * The touched pages with the changed customers' lines replaced (removed where `lines` has none), and the
 * changed customers a page no longer held (to be appended as new).
 */
function merge(pages: Map<number, Page>, touched: Map<number, Set<string>>, lines: Map<string, Uint8Array>): { pages: Map<number, Page>; missing: string[] } {
  const out = new Map<number, Page>();
  const missing: string[] = [];
  for (const [key, ids] of touched) {
    const page = pages.get(key) ?? EMPTY;
    const next: Page = { ids: [], lines: [] };
    const seen = new Set<string>();
    page.ids.forEach((id, i) => {
      const line = ids.has(id) ? lines.get(id) : page.lines[i];
      seen.add(id);
      if (line === undefined) return;
      next.ids.push(id);
      next.lines.push(line);
    });
    for (const id of ids) if (!seen.has(id) && lines.has(id)) missing.push(id);
    out.set(key, next);
  }
  return { pages: out, missing };
}

/**
 * The pages new customers go to: the last page (`last`, as merged or as stored) while it has room, then
 * new pages after it.
 */
function append(out: Map<number, Page>, pages: Map<number, Page>, last: number, added: string[], lines: Map<string, Uint8Array>): Map<number, Page> {
  const result = new Map<number, Page>();
  if (!added.length) return result;
  const base = out.get(last) ?? pages.get(last) ?? EMPTY;
  let key = last;
  let page: Page = { ids: [...base.ids], lines: [...base.lines] };
  let bytes = bytesOf(page.lines);
  let grew = false;
  for (const id of added) {
    if (key < 0 || isFull(page, bytes)) {
      if (grew) result.set(key, page);
      (key += 1), (page = { ids: [], lines: [] }), (bytes = 0);
    }
    grew = true;
    const line = lines.get(id)!;
    page.ids.push(id);
    page.lines.push(line);
    bytes += line.length + 1;
  }
  result.set(key, page);
  return result;
}
