// clientele: Polar-style customer management running in WebAssembly, in the browser, Node and at the edge.
export { Clientele, type OpenOptions } from "./client.js";
export { loadCore, type WasmSource } from "./loader.js";
export * from "./errors.js";
export type * from "./types.js";
