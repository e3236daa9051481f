// An edge handler: a standard fetch(Request) => Response that serves Polar's customer REST endpoints
// from a clientele store, with bearer tokens mapped to organizations. Every rule stays in the core:
// this file only routes, decodes HTTP and maps the core's answers to status codes.
import type { Clientele } from "./client.js";
import { ClienteleError } from "./errors.js";

export interface HandlerOptions {
  /** Bearer token -> organization id. A request without a known token answers 401. */
  tokens: Record<string, string>;
}

type Params = Record<string, string>;
type Route = {
  method: string;
  pattern: RegExp;
  run: (org: Clientele, params: Params, url: URL, body: unknown) => Promise<unknown>;
  status?: number;
};

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { "content-type": "application/json" },
  });

const notFound = () => json(404, { error: "ResourceNotFound", detail: "Not found" });

// URL query values become JSON: numbers and booleans when they read as such, the text otherwise (the
// core then answers a typed 422 for a wrong one).
function scalar(value: string): unknown {
  if (value === "true" || value === "false") return value === "true";
  return value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
}

function listQuery(url: URL, organizationId: string): Record<string, unknown> | null {
  const q: Record<string, unknown> = {};
  const metadata: Record<string, unknown[]> = {};
  for (const [key, value] of url.searchParams) {
    const meta = /^metadata\[(.+)\]$/.exec(key);
    if (meta) (metadata[meta[1]] ??= []).push(value);
    else if (key === "organization_id") {
      if (value !== organizationId) return null; // another organization: nothing is visible
    } else if (key === "sorting") q.sorting = [...((q.sorting as string[] | undefined) ?? []), value];
    else if (key === "email" || key === "query" || key === "external_id") q[key] = value;
    else q[key] = scalar(value);
  }
  if (Object.keys(metadata).length) q.metadata = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
  return q;
}

const anonymize = (url: URL) => url.searchParams.get("anonymize") === "true";

async function memberOf(org: Clientele, customerId: string, memberId: string) {
  const member = await org.call<{ customer_id: string }>("members.get", { id: memberId });
  if (member.customer_id !== customerId) throw new ClienteleError("Not found", 404, { error: "ResourceNotFound", detail: "Not found" });
  return member;
}

const ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/v1\/customers\/?$/,
    run: async (org, _p, url) => {
      const query = listQuery(url, org.organizationId);
      return query ? org.call("customers.list", { query }) : { items: [], pagination: { total_count: 0, max_page: 0 } };
    },
  },
  { method: "POST", pattern: /^\/v1\/customers\/?$/, run: async (org, _p, _u, body) => org.call("customers.create", { body }), status: 201 },
  { method: "GET", pattern: /^\/v1\/customers\/external\/(?<ext>[^/]+)\/state$/, run: async (org, p) => org.call("customers.getStateExternal", { external_id: p.ext }) },
  { method: "GET", pattern: /^\/v1\/customers\/external\/(?<ext>[^/]+)$/, run: async (org, p) => org.call("customers.getExternal", { external_id: p.ext }) },
  { method: "PATCH", pattern: /^\/v1\/customers\/external\/(?<ext>[^/]+)$/, run: async (org, p, _u, body) => org.call("customers.updateExternal", { external_id: p.ext, body }) },
  {
    method: "DELETE",
    pattern: /^\/v1\/customers\/external\/(?<ext>[^/]+)$/,
    run: async (org, p, url) => void (await org.call("customers.deleteExternal", { external_id: p.ext, anonymize: anonymize(url) })),
    status: 204,
  },
  { method: "GET", pattern: /^\/v1\/customers\/(?<id>[^/]+)\/state$/, run: async (org, p) => org.call("customers.getState", { id: p.id }) },
  { method: "GET", pattern: /^\/v1\/customers\/(?<id>[^/]+)$/, run: async (org, p) => org.call("customers.get", { id: p.id }) },
  { method: "PATCH", pattern: /^\/v1\/customers\/(?<id>[^/]+)$/, run: async (org, p, _u, body) => org.call("customers.update", { id: p.id, body }) },
  {
    method: "DELETE",
    pattern: /^\/v1\/customers\/(?<id>[^/]+)$/,
    run: async (org, p, url) => void (await org.call("customers.delete", { id: p.id, anonymize: anonymize(url) })),
    status: 204,
  },
  {
    method: "POST",
    pattern: /^\/v1\/customers\/(?<id>[^/]+)\/members\/?$/,
    run: async (org, p, _u, body) =>
      org.call("members.create", { body: body && typeof body === "object" && !Array.isArray(body) ? { ...body, customer_id: p.id } : body }),
    status: 201,
  },
  { method: "GET", pattern: /^\/v1\/customers\/(?<id>[^/]+)\/members\/(?<member>[^/]+)$/, run: async (org, p) => memberOf(org, p.id, p.member) },
  {
    method: "PATCH",
    pattern: /^\/v1\/customers\/(?<id>[^/]+)\/members\/(?<member>[^/]+)$/,
    run: async (org, p, _u, body) => (await memberOf(org, p.id, p.member), org.call("members.update", { id: p.member, body })),
  },
  {
    method: "DELETE",
    pattern: /^\/v1\/customers\/(?<id>[^/]+)\/members\/(?<member>[^/]+)$/,
    run: async (org, p) => void (await memberOf(org, p.id, p.member), await org.call("members.delete", { id: p.member })),
    status: 204,
  },
  {
    method: "GET",
    pattern: /^\/v1\/members\/?$/,
    run: async (org, _p, url) => {
      let customerId = url.searchParams.get("customer_id") ?? "";
      const external = url.searchParams.get("external_customer_id");
      if (external) customerId = (await org.call<{ id: string }>("customers.getExternal", { external_id: external })).id;
      const role = url.searchParams.get("role");
      return org.call("members.list", { query: role ? { customer_id: customerId, role } : { customer_id: customerId } });
    },
  },
];

async function readBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  if (request.method === "GET" || request.method === "DELETE") return { ok: true, value: undefined };
  try {
    // fatal: bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    const text = new TextDecoder("utf-8", { fatal: true }).decode(await request.arrayBuffer());
    return { ok: true, value: text === "" ? {} : JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A fetch handler serving Polar's customer endpoints over `store` (any handle; each request is scoped by its token). */
export function createHandler(store: Clientele, options: HandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const auth = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
    const organizationId = auth ? options.tokens[auth[1].trim()] : undefined;
    if (!organizationId) return json(401, { error: "Unauthorized", detail: "A valid bearer token is required." });
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname);
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (!match || route.method !== request.method) continue;
      const body = await readBody(request);
      if (!body.ok)
        return json(422, { error: "PolarRequestValidationError", detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error", input: null }] });
      try {
        const value = await route.run(store.forOrganization(organizationId), match.groups ?? {}, url, body.value);
        return json(route.status ?? 200, route.status === 204 ? undefined : value);
      } catch (err) {
        if (err instanceof ClienteleError) return json(err.status, err.body);
        throw err;
      }
    }
    return ROUTES.some((r) => r.pattern.test(path)) ? json(405, { error: "MethodNotAllowed", detail: "Method not allowed" }) : notFound();
  };
}
