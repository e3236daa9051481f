// clientele/cloudflare: one Durable Object per organization (ClienteleObject), the Worker that routes
// requests to them (createWorker), and the SQLite storage of an object (SqlStore). See docs/cloudflare.md.
export { ClienteleObject, type LoadedOrganization } from "./object.js";
export { createWorker, type WorkerOptions, type ClienteleWorker } from "./worker.js";
export { SqlStore } from "./storage.js";
export { DEFAULT_MAX_CUSTOMERS, ORGANIZATION_HEADER, type ClienteleEnv } from "./config.js";
export type { DurableObjectState, DurableObjectStorage, DurableObjectNamespace, DurableObjectStub, SqlStorage, SqlCursor } from "./types.js";
