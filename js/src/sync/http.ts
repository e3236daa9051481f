// A paced HTTP client for Polar's API over plain fetch: requests spaced under the organization's rate
// limit, 429 answered by waiting Retry-After, 5xx and dropped connections retried with exponential
// backoff and full jitter, everything cancellable with an AbortSignal. No rule of the domain lives here.
import { ClienteleError, ConflictError, toError, type ErrorBody, type ValidationDetail } from "../errors.js";

/** Polar's servers, or any base URL (a local upstream in tests, a proxy). */
export type PolarServer = "production" | "sandbox" | string | URL;

export const SERVERS = { production: "https://api.polar.sh", sandbox: "https://sandbox-api.polar.sh" } as const;

/** Requests a minute Polar allows an organization (production 500, sandbox 100); pacing stays under them. */
export const RATE_LIMITS = { production: 500, sandbox: 100 } as const;

export interface ConnectionOptions {
  /** An organization access token (`polar_oat_…`). */
  accessToken: string;
  /** "production" (default), "sandbox", or a base URL. */
  server?: PolarServer;
  /**
   * Requests a minute to stay under; default 450 for production, 90 for sandbox, 450 for a URL. 0 or
   * Infinity: no pacing (a local upstream).
   */
  requestsPerMinute?: number;
  /** Attempts after the first for a 429, a 5xx or a dropped connection; default 6. */
  maxRetries?: number;
  /** The first backoff in milliseconds (doubled each retry, full jitter); default 500. */
  backoffMs?: number;
  /** The longest backoff or Retry-After wait in milliseconds; default 60,000. */
  maxWaitMs?: number;
  /** The fetch to use; default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** Polar could not be reached (offline, DNS, a connection dropped and not retried): nothing changed locally. */
export class UpstreamUnavailableError extends ClienteleError {
  constructor(message: string, readonly cause?: unknown) {
    super(message, 503, { error: "UpstreamUnavailable", detail: message });
  }
}

export function baseUrlOf(server: PolarServer | undefined): string {
  if (server === undefined || server === "production") return SERVERS.production;
  if (server === "sandbox") return SERVERS.sandbox;
  const url = new URL(String(server));
  return url.href.replace(/\/+$/, "");
}

function defaultRate(server: PolarServer | undefined): number {
  return server === "sandbox" ? RATE_LIMITS.sandbox * 0.9 : RATE_LIMITS.production * 0.9;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Retry-After in milliseconds: delta-seconds (fractions allowed) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Polar's error body as the package's typed error (a duplicate email or external id: ConflictError). */
export function upstreamError(status: number, body: unknown): ClienteleError {
  const b: ErrorBody =
    body && typeof body === "object" && "error" in body ? (body as ErrorBody) : { error: `HTTP ${status}`, detail: typeof body === "string" ? body : `Polar answered ${status}` };
  if (status === 422 && Array.isArray(b.detail) && b.detail.length) {
    const detail = b.detail as ValidationDetail[];
    if (detail.every((d) => d?.type === "value_error" && /already exists/i.test(String(d.msg)))) return new ConflictError(b);
  }
  return toError(status, b);
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Retry dropped connections and 5xx (safe for reads; writes retry 429 only). Default: true for GET. */
  retry?: boolean;
}

export interface UpstreamResponse<T> {
  status: number;
  body: T;
}

/** One connection to Polar: a base URL, a token and a pace shared by every request made through it. */
export class PolarHttp {
  readonly baseUrl: string;
  private readonly interval: number;
  private next = 0;
  private readonly fetch: typeof fetch;
  /** Requests sent (attempts, retries included). */
  requests = 0;

  constructor(readonly options: ConnectionOptions) {
    if (!options?.accessToken || typeof options.accessToken !== "string") throw new TypeError("accessToken is required");
    this.baseUrl = baseUrlOf(options.server);
    const rate = options.requestsPerMinute ?? defaultRate(options.server);
    this.interval = rate > 0 && Number.isFinite(rate) ? 60_000 / rate : 0;
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== "function") throw new TypeError("fetch is not available in this runtime");
    this.fetch = f.bind(globalThis);
  }

  /** Waits for this request's slot: requests are spaced `interval` apart. */
  private async pace(signal?: AbortSignal): Promise<void> {
    if (!this.interval) return;
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.interval;
    if (at > now) await sleep(at - now, signal);
  }

  /** Pushes every later request back (a 429 applies to the whole organization). */
  private holdUntil(at: number): void {
    this.next = Math.max(this.next, at);
  }

  private backoff(attempt: number): number {
    const base = this.options.backoffMs ?? 500;
    const cap = this.options.maxWaitMs ?? 60_000;
    return Math.random() * Math.min(cap, base * 2 ** attempt); // full jitter
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<UpstreamResponse<T>> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const retryAll = options.retry ?? method === "GET";
    const maxRetries = this.options.maxRetries ?? 6;
    const cap = this.options.maxWaitMs ?? 60_000;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.accessToken}`, accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      await this.pace(options.signal);
      let response: Response;
      try {
        this.requests++;
        response = await this.fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        });
      } catch (err) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (!retryAll || attempt >= maxRetries) throw new UpstreamUnavailableError(`Polar is unreachable (${method} ${url.pathname}): ${err instanceof Error ? err.message : String(err)}`, err);
        await sleep(this.backoff(attempt), options.signal);
        continue;
      }
      if (response.status === 429 || (retryAll && response.status >= 500)) {
        const wait = retryAfterMs(response.headers.get("retry-after"));
        await response.body?.cancel().catch(() => undefined);
        if (attempt >= maxRetries) throw upstreamError(response.status, { error: response.status === 429 ? "TooManyRequests" : "UpstreamError", detail: `Polar answered ${response.status} after ${attempt + 1} attempts` });
        const delay = Math.min(cap, wait ?? this.backoff(attempt));
        if (response.status === 429) this.holdUntil(Date.now() + delay);
        await sleep(delay, options.signal);
        continue;
      }
      let body: unknown;
      try {
        const text = await response.text();
        body = text === "" ? undefined : JSON.parse(text);
      } catch (err) {
        if (options.signal?.aborted) throw options.signal.reason;
        // The connection dropped while the body was read (or it was not JSON): a read is tried again.
        if (!retryAll || attempt >= maxRetries) throw new UpstreamUnavailableError(`Polar's answer to ${method} ${url.pathname} could not be read: ${err instanceof Error ? err.message : String(err)}`, err);
        await sleep(this.backoff(attempt), options.signal);
        continue;
      }
      if (!response.ok) throw upstreamError(response.status, body);
      return { status: response.status, body: body as T };
    }
  }
}
