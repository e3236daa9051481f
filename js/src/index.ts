// clientele: Polar-style customer management running in WebAssembly, in the browser, Node and at the edge.
export { Clientele, PersistenceError, type OpenOptions, type LoadReport } from "./client.js";
export { IndexedDbStore, SCHEMA_VERSION } from "./persistence.js";
export { loadCore, type WasmSource } from "./loader.js";
export * from "./errors.js";
export { webhooks, sign, verify, WebhookVerificationError, type SignOptions, type VerifyOptions, type SignedWebhook } from "./webhooks.js";
export { createHandler, type HandlerOptions } from "./handler.js";
export { payloadOf } from "./client.js";
export type * from "./types.js";
