// clientele: Polar-style customer management running in WebAssembly, in the browser, Node and at the edge.
export { Clientele, PersistenceError, type OpenOptions, type LoadReport, type ClienteleStorage } from "./client.js";
export { IndexedDbStore, SCHEMA_VERSION, type RemoteChange } from "./persistence.js";
export type { Lines } from "./lines.js";
export { loadCore, type WasmSource } from "./loader.js";
export * from "./errors.js";
export { webhooks, sign, verify, WebhookVerificationError, type SignOptions, type VerifyOptions, type SignedWebhook } from "./webhooks.js";
export { createHandler, type HandlerOptions } from "./handler.js";
export { payloadOf } from "./client.js";
export type * from "./types.js";
export {
  Sync,
  Upstream,
  PolarHttp,
  UpstreamUnavailableError,
  SERVERS,
  RATE_LIMITS,
  type ConnectionOptions,
  type PolarServer,
  type PullOptions,
  type PullProgress,
  type PullReport,
  type PullCursor,
  type IngestInput,
  type IngestOptions,
  type IngestResult,
  type ReplicaRecord,
  type ReplicaOutcome,
  type ReplicaType,
} from "./sync/index.js";
