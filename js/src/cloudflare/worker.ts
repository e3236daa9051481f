// The Worker of clientele/cloudflare: authenticates the bearer token (CLIENTELE_TOKENS), finds its
// organization and forwards the request to that organization's Durable Object (`idFromName`). A Polar
// webhook delivery (`POST /webhooks/polar`, no token) goes to the object of each organization with a
// secret in CLIENTELE_WEBHOOKS in turn, until one verifies it.
import { readLimited } from "../handler.js";
import { ORGANIZATION_HEADER, json, organizationsOf, type ClienteleEnv } from "./config.js";
import type { DurableObjectNamespace } from "./types.js";

export interface WorkerOptions {
  /** The Durable Object namespace binding of ClienteleObject; default "CLIENTELE". */
  binding?: string;
  /** The largest webhook body the Worker buffers to hand to several objects; default 1 MiB (as the handler's). */
  maxBodyBytes?: number;
}

export interface ClienteleWorker {
  fetch(request: Request, env: ClienteleEnv): Promise<Response>;
}

const unauthorized = () => json(401, { error: "Unauthorized", detail: "A valid bearer token is required." });

/** The body's bytes, or null when it has more than `limit`. */
async function bytesOf(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  return request.body ? readLimited(request.body, limit) : new Uint8Array(0);
}

export function createWorker(options: WorkerOptions = {}): ClienteleWorker {
  const binding = options.binding ?? "CLIENTELE";
  const limit = options.maxBodyBytes ?? 1 << 20;
  const objectOf = (env: ClienteleEnv, organizationId: string) => {
    const namespace = env[binding] as DurableObjectNamespace | undefined;
    if (!namespace || typeof namespace.idFromName !== "function") throw new TypeError(`env.${binding} must be the Durable Object namespace of ClienteleObject`);
    return namespace.get(namespace.idFromName(organizationId));
  };
  const forward = (env: ClienteleEnv, organizationId: string, request: Request, body?: BodyInit | null) => {
    const headers = new Headers(request.headers);
    headers.set(ORGANIZATION_HEADER, organizationId);
    const init: RequestInit = body === undefined ? { headers } : { method: request.method, headers, body };
    return objectOf(env, organizationId).fetch(new Request(request, init));
  };
  return {
    async fetch(request, env) {
      const url = new URL(request.url);
      const webhooks = organizationsOf(env, "CLIENTELE_WEBHOOKS");
      if (webhooks.size && url.pathname === "/webhooks/polar") {
        if (request.method !== "POST") return json(405, { error: "MethodNotAllowed", detail: "Method not allowed" });
        const bytes = await bytesOf(request, limit);
        if (bytes === null) return json(413, { error: "RequestEntityTooLarge", detail: `The request body exceeds ${limit} bytes.` });
        let last: Response = json(403, { status: 403, applied: false, reason: "signature" });
        for (const organizationId of new Set(webhooks.values())) {
          last = await forward(env, organizationId, request, bytes);
          if (last.status !== 403) return last;
        }
        return last;
      }
      const auth = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
      const organizationId = auth ? organizationsOf(env, "CLIENTELE_TOKENS").get(auth[1].trim()) : undefined;
      if (!organizationId) return unauthorized();
      return forward(env, organizationId, request);
    },
  };
}
