// The Durable Object of clientele/cloudflare: one object per organization, holding that organization's
// store in memory and its customers in the object's SQLite storage. The first request loads every stored
// line into the core in one import; every change is written in the same request, before the answer
// (Clientele's write-through over SqlStore). Requests arrive from the Worker (worker.ts), which has
// checked the bearer token and names the organization in ORGANIZATION_HEADER; Polar's routes, the CSV
// export and the webhook route are createHandler's.
import { Clientele } from "../client.js";
import { createHandler } from "../handler.js";
import { ORGANIZATION_HEADER, json, maxCustomersOf, organizationsOf, type ClienteleEnv } from "./config.js";
import { SqlStore } from "./storage.js";
import type { DurableObjectState } from "./types.js";

/** What an object holds once its organization is loaded. */
export interface LoadedOrganization {
  organizationId: string;
  clientele: Clientele;
  storage: SqlStore;
  handler: (request: Request) => Promise<Response>;
  /** The bearer token the object's own handler takes (never leaves the object). */
  token: string;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ClienteleObject {
  private loaded?: Promise<LoadedOrganization>;
  /** Requests that may add records, in flight (counted against the cap until written). */
  private growing = 0;

  constructor(
    protected readonly ctx: DurableObjectState,
    protected readonly env: ClienteleEnv,
  ) {}

  /** The storage of this object (a subclass may wrap it). */
  protected storageFor(ctx: DurableObjectState): SqlStore {
    return new SqlStore(ctx.storage);
  }

  /** The organization this object holds, loaded on first use (one bulk import of every stored line). */
  protected organization(organizationId: string): Promise<LoadedOrganization> {
    const loading = (this.loaded ??= this.load(organizationId));
    loading.catch(() => {
      if (this.loaded === loading) this.loaded = undefined; // the next request tries again
    });
    return loading;
  }

  private async load(organizationId: string): Promise<LoadedOrganization> {
    const storage = this.storageFor(this.ctx);
    const owner = storage.meta("organization_id");
    if (owner !== undefined && owner !== organizationId) throw new Error(`this object holds organization ${owner}, not ${organizationId}`);
    if (owner === undefined) storage.setMeta("organization_id", organizationId);
    const clientele = await Clientele.open({ organizationId, storage });
    const token = crypto.randomUUID();
    const webhooks = new Map([...organizationsOf(this.env, "CLIENTELE_WEBHOOKS")].filter(([, org]) => org === organizationId));
    const handler = createHandler(clientele, { tokens: new Map([[token, organizationId]]), webhooks });
    return { organizationId, clientele, storage, handler, token };
  }

  async fetch(request: Request): Promise<Response> {
    const organizationId = request.headers.get(ORGANIZATION_HEADER);
    if (!organizationId) return json(400, { error: "BadRequest", detail: `${ORGANIZATION_HEADER} is required: requests reach this object through the clientele Worker` });
    let org: LoadedOrganization;
    try {
      org = await this.organization(organizationId);
    } catch (err) {
      return json(500, { error: "StorageUnavailable", detail: `Loading organization ${organizationId} failed: ${describe(err)}` });
    }
    if (org.organizationId !== organizationId)
      return json(500, { error: "WrongObject", detail: `This object holds organization ${org.organizationId}, not ${organizationId}` });
    // Growth past the cap is refused before the core is touched (an isolate has 128 MB; see docs/cloudflare.md).
    const grows = request.method === "POST";
    if (grows) {
      const max = maxCustomersOf(this.env);
      const held = org.storage.count + this.growing;
      if (held >= max)
        return json(507, {
          error: "InsufficientStorage",
          detail: `This organization holds ${held} customers, the most one object holds (CLIENTELE_MAX_CUSTOMERS = ${max}): requests that add records are refused`,
        });
    }
    const headers = new Headers(request.headers);
    headers.delete(ORGANIZATION_HEADER);
    headers.set("authorization", `Bearer ${org.token}`);
    if (grows) this.growing++;
    try {
      return await org.handler(new Request(request, { headers }));
    } finally {
      if (grows) this.growing--;
    }
  }
}
