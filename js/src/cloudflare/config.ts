// What the Worker and the Durable Objects of clientele/cloudflare read from the environment: the bearer
// tokens and webhook secrets (JSON objects naming an organization each), the cap on customers per object,
// and the header a forwarded request names its organization in.

/** The environment variables read (secrets, as `wrangler secret put` sets them, are the same). */
export interface ClienteleEnv {
  /** JSON: bearer token -> organization id. */
  CLIENTELE_TOKENS?: string;
  /** JSON: webhook secret -> organization id (`POST /webhooks/polar`). */
  CLIENTELE_WEBHOOKS?: string;
  /** The most customers one object holds (decimal); default DEFAULT_MAX_CUSTOMERS. */
  CLIENTELE_MAX_CUSTOMERS?: string;
  [binding: string]: unknown;
}

/** The organization of a request the Worker forwards to an object (set by the Worker only). */
export const ORGANIZATION_HEADER = "x-clientele-organization";

/**
 * The most customers one object holds unless CLIENTELE_MAX_CUSTOMERS says otherwise: measured under
 * workerd to leave room, in the 128 MB of an isolate, for the load and for an erase (docs/cloudflare.md).
 */
export const DEFAULT_MAX_CUSTOMERS = 20_000;

const parsed = new WeakMap<object, Map<string, Map<string, string>>>();

/**
 * A JSON object of names to organization ids from `env[name]`, as a Map (own keys only, string values
 * only). Throws naming the variable when it is not such an object.
 */
export function organizationsOf(env: ClienteleEnv, name: "CLIENTELE_TOKENS" | "CLIENTELE_WEBHOOKS"): Map<string, string> {
  const cache = parsed.get(env) ?? new Map<string, Map<string, string>>();
  parsed.set(env, cache);
  const known = cache.get(name);
  if (known) return known;
  const text = env[name];
  const map = new Map<string, string>();
  if (text !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(String(text));
    } catch {
      throw new TypeError(`${name} must be a JSON object of strings to organization ids`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new TypeError(`${name} must be a JSON object of strings to organization ids`);
    for (const [key, org] of Object.entries(value)) {
      if (typeof org !== "string" || org === "") throw new TypeError(`${name}: the organization of each key must be a non-empty string`);
      map.set(key, org);
    }
  }
  cache.set(name, map);
  return map;
}

/** CLIENTELE_MAX_CUSTOMERS as a number (a positive integer), else the default. */
export function maxCustomersOf(env: ClienteleEnv): number {
  const text = env.CLIENTELE_MAX_CUSTOMERS;
  if (text === undefined) return DEFAULT_MAX_CUSTOMERS;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError("CLIENTELE_MAX_CUSTOMERS must be a positive integer");
  return n;
}

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
