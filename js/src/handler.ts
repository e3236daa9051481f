// An edge handler: a standard fetch(Request) => Response that serves Polar's customer REST endpoints
// from a clientele store, with bearer tokens mapped to organizations. Every rule stays in the core:
// this file only routes, decodes HTTP and maps the core's answers to status codes. It reads requests as
// Polar's server does: query booleans and integers as pydantic parses them, paths decoded one segment at
// a time, bodies as JSON only under a JSON content type and only up to a size limit; and user-supplied
// names (tokens, metadata keys, query keys) are never looked up on plain objects.
import { csvExport, type Clientele } from "./client.js";
import { ClienteleError, ValidationError, type ValidationDetail } from "./errors.js";
import type { CustomerExport } from "./types.js";

/** The default of HandlerOptions.maxBodyBytes: 1 MiB. */
const DEFAULT_MAX_BODY_BYTES = 1 << 20;

export interface HandlerOptions {
  /**
   * Bearer token -> organization id. A request without a known token answers 401. Only the object's own
   * keys are tokens (a token named `constructor` or `__proto__` is unknown unless it is an own key).
   */
  tokens: Record<string, string> | ReadonlyMap<string, string>;
  /**
   * The largest request body read, in bytes; default 1 MiB (1,048,576). A larger body
   * answers 413: at once when its `Content-Length` says so, else as soon as the bytes counted while
   * reading pass the limit (a chunked body is never buffered whole).
   */
  maxBodyBytes?: number;
  /**
   * Webhook secret -> organization id: `POST /webhooks/polar` verifies a delivery against each secret (as
   * Polar keys it) and applies it to the organization of the secret that verifies it
   * (`clientele.sync.ingest`), answering its status. Deliveries need no bearer token; without this option
   * the route is not served (404). Only own keys are secrets, as for `tokens`.
   */
  webhooks?: Record<string, string> | ReadonlyMap<string, string>;
}

type Params = { [name: string]: string };
type Route = {
  method: string;
  /** Path segments after the leading "/": literals, or ":name" for a parameter. */
  path: string[];
  /** A trailing "/" is allowed (collection routes). */
  slash?: boolean;
  /** The answer's JSON, or a Response of its own (the CSV export). */
  run: (org: Clientele, params: Params, url: URL, body: unknown) => Promise<unknown>;
  status?: number;
};

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { "content-type": "application/json" },
  });

const notFound = () => json(404, { error: "ResourceNotFound", detail: "Not found" });

const invalid = (detail: ValidationDetail[]) => new ValidationError({ error: "PolarRequestValidationError", detail });

// Query values as pydantic (Polar's server) reads them from text.
const TRUE = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE = new Set(["0", "off", "f", "false", "n", "no"]);

function queryBool(name: string, value: string, problems: ValidationDetail[]): boolean | undefined {
  const word = value.toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  problems.push({ type: "bool_parsing", loc: ["query", name], msg: "Input should be a valid boolean, unable to interpret input", input: value });
  return undefined;
}

function queryInt(name: string, value: string, problems: ValidationDetail[]): number | undefined {
  // Decimal digits with an optional sign only: no hex, octal, binary, exponent, fraction, blank or space.
  if (/^[+-]?[0-9]+$/.test(value)) return Number(value);
  problems.push({ type: "int_parsing", loc: ["query", name], msg: "Input should be a valid integer, unable to parse string as an integer", input: value });
  return undefined;
}

/** The last value of a query parameter (Starlette's reading of a repeated scalar parameter). */
function last(url: URL, name: string): string | undefined {
  const all = url.searchParams.getAll(name);
  return all.length ? all[all.length - 1] : undefined;
}

const INTS = new Set(["page", "limit"]);
/** Parameters that may be given several times, read as a list (the last value of any other wins). */
const LISTS = new Set(["sorting", "organization_id"]);

/**
 * A query string as the core reads a list's (or the export's) query: `page` and `limit` as integers,
 * `active` as a boolean, `sorting` and `organization_id` as lists, `metadata[key]` as an object; every
 * other name as text, the last value winning. Which names a route takes is the core's to say: an unknown
 * one reaches it, and it answers extra_forbidden at that name.
 */
function queryOf(url: URL): Record<string, unknown> {
  const q: Record<string, unknown> = Object.create(null);
  const metadata = new Map<string, string[]>();
  const lists = new Map<string, string[]>();
  const problems: ValidationDetail[] = [];
  for (const [key, value] of url.searchParams) {
    const meta = /^metadata\[(.+)\]$/s.exec(key);
    if (meta) {
      const values = metadata.get(meta[1]);
      if (values) values.push(value);
      else metadata.set(meta[1], [value]);
    } else if (LISTS.has(key)) lists.set(key, [...(lists.get(key) ?? []), value]);
    else if (INTS.has(key)) q[key] = queryInt(key, value, problems);
    else if (key === "active") q[key] = queryBool(key, value, problems);
    else q[key] = value;
  }
  if (problems.length) throw invalid(problems);
  for (const [key, values] of lists) q[key] = values;
  if (metadata.size) {
    const m: Record<string, unknown> = Object.create(null);
    for (const [k, v] of metadata) m[k] = v.length === 1 ? v[0] : v;
    q.metadata = m;
  }
  return q;
}

function anonymize(url: URL): boolean {
  const value = last(url, "anonymize");
  if (value === undefined) return false;
  const problems: ValidationDetail[] = [];
  const flag = queryBool("anonymize", value, problems);
  if (problems.length) throw invalid(problems);
  return flag!;
}

const CSV_HEADERS = { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="polar-customers.csv"' };

/**
 * The export as Polar serves it: a CSV body streamed a chunk of rows at a time, each read from the core
 * only when the client is ready for it. The first chunk is read before answering, so a refused request
 * is an error status, not a broken stream.
 */
async function csvResponse(exported: CustomerExport): Promise<Response> {
  const chunks = exported[Symbol.asyncIterator]();
  const first = await chunks.next();
  let pending = first.done ? undefined : first.value;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending !== undefined ? { done: false as const, value: pending } : await chunks.next();
        pending = undefined;
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  }, { highWaterMark: 0 }); // the next chunk is read from the core only when the client reads
  return new Response(body, { status: 200, headers: CSV_HEADERS });
}

/** Clientele keeps no payment methods: a customer's list is empty (and the customer must exist). */
async function noPaymentMethods(find: () => Promise<unknown>, url: URL) {
  queryOf(url); // page and limit must still be integers
  await find();
  return { items: [], pagination: { total_count: 0, max_page: 0 } };
}

const objectBody = (body: unknown, extra: Record<string, unknown>) =>
  body && typeof body === "object" && !Array.isArray(body) ? { ...body, ...extra } : body;

const route = (method: string, path: string, run: Route["run"], extra: { status?: number; slash?: boolean } = {}): Route => ({
  method,
  path: path.slice(1).split("/"),
  run,
  ...extra,
});

const ROUTES: Route[] = [
  route("GET", "/v1/customers", async (org, _p, url) => org.call("customers.list", { query: queryOf(url) }), { slash: true }),
  route("POST", "/v1/customers", async (org, _p, _u, body) => org.call("customers.create", { body }), { status: 201, slash: true }),
  route("GET", "/v1/customers/export", async (org, _p, url) => csvResponse(csvExport(org, queryOf(url))), { slash: true }),
  route("GET", "/v1/customers/external/:ext/state", async (org, p) => org.call("customers.getStateExternal", { external_id: p.ext })),
  route("GET", "/v1/customers/external/:ext", async (org, p) => org.call("customers.getExternal", { external_id: p.ext })),
  route("PATCH", "/v1/customers/external/:ext", async (org, p, _u, body) => org.call("customers.updateExternal", { external_id: p.ext, body })),
  route(
    "DELETE",
    "/v1/customers/external/:ext",
    async (org, p, url) => void (await org.call("customers.deleteExternal", { external_id: p.ext, anonymize: anonymize(url) })),
    { status: 204 },
  ),
  route("GET", "/v1/customers/external/:ext/members", async (org, p, url) => org.call("members.list", { external_customer_id: p.ext, query: queryOf(url) }), {
    slash: true,
  }),
  route("POST", "/v1/customers/external/:ext/members", async (org, p, _u, body) => org.call("members.createExternal", { external_customer_id: p.ext, body }), {
    status: 201,
    slash: true,
  }),
  route("GET", "/v1/customers/external/:ext/members/:member", async (org, p) =>
    org.call("members.getExternal", { external_customer_id: p.ext, external_id: p.member }),
  ),
  route("PATCH", "/v1/customers/external/:ext/members/:member", async (org, p, _u, body) =>
    org.call("members.updateExternal", { external_customer_id: p.ext, external_id: p.member, body }),
  ),
  route(
    "DELETE",
    "/v1/customers/external/:ext/members/:member",
    async (org, p) => void (await org.call("members.deleteExternal", { external_customer_id: p.ext, external_id: p.member })),
    { status: 204 },
  ),
  route("GET", "/v1/customers/external/:ext/payment-methods", async (org, p, url) =>
    noPaymentMethods(() => org.call("customers.getExternal", { external_id: p.ext }), url),
  ),
  route("GET", "/v1/customers/:id/state", async (org, p) => org.call("customers.getState", { id: p.id })),
  route("GET", "/v1/customers/:id", async (org, p) => org.call("customers.get", { id: p.id })),
  route("PATCH", "/v1/customers/:id", async (org, p, _u, body) => org.call("customers.update", { id: p.id, body })),
  route("DELETE", "/v1/customers/:id", async (org, p, url) => void (await org.call("customers.delete", { id: p.id, anonymize: anonymize(url) })), {
    status: 204,
  }),
  route("GET", "/v1/customers/:id/members", async (org, p, url) => org.call("members.list", { customer_id: p.id, query: queryOf(url) }), { slash: true }),
  route("POST", "/v1/customers/:id/members", async (org, p, _u, body) => org.call("members.create", { body: objectBody(body, { customer_id: p.id }) }), {
    status: 201,
    slash: true,
  }),
  route("GET", "/v1/customers/:id/members/:member", async (org, p) => org.call("members.get", { customer_id: p.id, id: p.member })),
  route("PATCH", "/v1/customers/:id/members/:member", async (org, p, _u, body) => org.call("members.update", { customer_id: p.id, id: p.member, body })),
  route("DELETE", "/v1/customers/:id/members/:member", async (org, p) => void (await org.call("members.delete", { customer_id: p.id, id: p.member })), {
    status: 204,
  }),
  route("GET", "/v1/customers/:id/payment-methods", async (org, p, url) => noPaymentMethods(() => org.call("customers.get", { id: p.id }), url)),
  route("GET", "/v1/members", async (org, _p, url) => org.call("members.list", { query: queryOf(url) }), { slash: true }),
];

/**
 * The path's segments, each percent-decoded on its own (so "%2F" stays inside its segment); null when one
 * is not valid percent-encoded UTF-8.
 */
function segments(pathname: string): string[] | null {
  const raw = pathname.slice(1).split("/");
  const out: string[] = [];
  for (const segment of raw) {
    try {
      out.push(decodeURIComponent(segment));
    } catch {
      return null;
    }
  }
  return out;
}

function match(r: Route, segs: string[]): Params | null {
  const n = r.path.length;
  if (segs.length === n + 1 && r.slash && segs[n] === "") segs = segs.slice(0, n);
  if (segs.length !== n) return null;
  const params: Params = Object.create(null);
  for (let i = 0; i < n; i++) {
    const part = r.path[i];
    if (part.startsWith(":")) {
      if (segs[i] === "") return null;
      params[part.slice(1)] = segs[i];
    } else if (part !== segs[i]) return null;
  }
  return params;
}

function organizationFor(tokens: HandlerOptions["tokens"], token: string): string | undefined {
  let value: unknown;
  if (tokens instanceof Map) value = tokens.get(token);
  else if (tokens && typeof tokens === "object" && Object.hasOwn(tokens, token)) value = (tokens as Record<string, unknown>)[token];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `application/json` or any `…/…+json`, with no charset other than UTF-8. */
function isJsonType(header: string | null): boolean {
  if (header === null) return false;
  const [essence, ...params] = header.split(";");
  const type = essence.trim().toLowerCase();
  if (type !== "application/json" && !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9!#$&^_.+-]+\+json$/.test(type)) return false;
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    const charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}

const tooLarge = (limit: number) => json(413, { error: "RequestEntityTooLarge", detail: `The request body exceeds ${limit} bytes.` });
const unsupportedType = () =>
  json(415, { error: "UnsupportedMediaType", detail: "The request body must be JSON, sent with Content-Type: application/json." });
const jsonInvalid = () =>
  json(422, { error: "PolarRequestValidationError", detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error", input: null }] });

/** Reads at most `limit` bytes of the body; null when it has more (the rest is not read). */
export async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, at), (at += chunk.byteLength);
  return bytes;
}

async function readBody(request: Request, limit: number): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  if (request.method === "GET" || request.method === "DELETE") return { ok: true, value: undefined };
  const discard = () => void request.body?.cancel().catch(() => {});
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\s*[0-9]+\s*$/.test(declared) && Number(declared) > limit) return discard(), { ok: false, response: tooLarge(limit) };
  if (request.body === null) return { ok: true, value: {} };
  if (!isJsonType(request.headers.get("content-type"))) return discard(), { ok: false, response: unsupportedType() };
  try {
    const bytes = await readLimited(request.body, limit);
    if (bytes === null) return { ok: false, response: tooLarge(limit) };
    // fatal: bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { ok: true, value: text === "" ? {} : JSON.parse(text) };
  } catch {
    return { ok: false, response: jsonInvalid() };
  }
}

/** A fetch handler serving Polar's customer endpoints over `store` (any handle; each request is scoped by its token). */
export function createHandler(store: Clientele, options: HandlerOptions): (request: Request) => Promise<Response> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof limit !== "number" || !(limit >= 0)) throw new TypeError("maxBodyBytes must be a number of bytes, 0 or more");
  const secrets = options.webhooks instanceof Map ? [...options.webhooks] : Object.entries(options.webhooks ?? {});
  return async (request) => {
    if (secrets.length && new URL(request.url).pathname === "/webhooks/polar") return polarWebhook(store, secrets, request, limit);
    const auth = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
    const organizationId = auth ? organizationFor(options.tokens, auth[1].trim()) : undefined;
    if (!organizationId) return json(401, { error: "Unauthorized", detail: "A valid bearer token is required." });
    const url = new URL(request.url);
    const segs = segments(url.pathname);
    if (!segs) return notFound();
    let known = false;
    for (const r of ROUTES) {
      const params = match(r, segs);
      if (!params) continue;
      known = true;
      if (r.method !== request.method) continue;
      const body = await readBody(request, limit);
      if (!body.ok) return body.response;
      try {
        const value = await r.run(store.forOrganization(organizationId), params, url, body.value);
        if (value instanceof Response) return value;
        return json(r.status ?? 200, r.status === 204 ? undefined : value);
      } catch (err) {
        if (err instanceof ClienteleError) return json(err.status, err.body);
        throw err;
      }
    }
    return known ? json(405, { error: "MethodNotAllowed", detail: "Method not allowed" }) : notFound();
  };
}

/**
 * `POST /webhooks/polar`: the delivery applied to the organization whose secret verifies it; 403 when none
 * does. The answer is the ingest result as JSON with its status (2xx handled, 5xx retry).
 */
async function polarWebhook(store: Clientele, secrets: Array<[string, string]>, request: Request, limit: number): Promise<Response> {
  if (request.method !== "POST") return json(405, { error: "MethodNotAllowed", detail: "Method not allowed" });
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\s*[0-9]+\s*$/.test(declared) && Number(declared) > limit) return tooLarge(limit);
  const bytes = request.body ? await readLimited(request.body, limit) : new Uint8Array();
  if (bytes === null) return tooLarge(limit);
  let last: unknown = { status: 403, applied: false, reason: "signature" };
  for (const [secret, organizationId] of secrets) {
    if (typeof secret !== "string" || typeof organizationId !== "string" || !organizationId) continue;
    const result = await store.forOrganization(organizationId).sync.ingest({ body: bytes, headers: request.headers }, secret);
    if (result.status !== 403) return json(result.status, result);
    last = result;
  }
  return json(403, last);
}
