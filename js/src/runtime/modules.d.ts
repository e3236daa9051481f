// The non-TypeScript modules the runtime entry points import, declared here so the package needs no
// @types package: a .wasm module as workerd and wrangler give it, and the one node:fs function used.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "node:fs/promises" {
  export function readFile(path: URL): Promise<Uint8Array>;
}
