// Loads the WebAssembly core in any runtime: Node (reads the .wasm bytes), a browser or worker
// (fetches it), or an edge runtime that hands in a precompiled WebAssembly.Module.
import createClienteleModule, { type CoreModule, type ModuleArg } from "../wasm/clientele.mjs";

/** Where the core's WebAssembly comes from. */
export type WasmSource =
  | WebAssembly.Module
  | ArrayBuffer
  | Uint8Array
  | URL
  | string
  | Response
  | Promise<Response>;

// Resolved on first use: edge runtimes have no usable import.meta.url, and hand a Module in anyway.
const defaultWasmUrl = () => new URL("../wasm/clientele.wasm", import.meta.url);

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

async function readFileBytes(url: URL): Promise<Uint8Array> {
  const fsName = "node:fs/promises"; // a variable, so browser bundlers leave it alone
  const fs = (await import(/* @vite-ignore */ fsName)) as { readFile(u: URL): Promise<Uint8Array> };
  return fs.readFile(url);
}

function fromModule(module: WebAssembly.Module): ModuleArg {
  return {
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module));
      return {};
    },
  };
}

async function moduleArg(source: WasmSource | undefined): Promise<ModuleArg> {
  if (source instanceof WebAssembly.Module) return fromModule(source);
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return { wasmBinary: source };
  if (source !== undefined && !(source instanceof URL) && typeof source !== "string") {
    return { wasmBinary: new Uint8Array(await (await source).arrayBuffer()) };
  }
  const url = source === undefined ? defaultWasmUrl() : new URL(String(source), defaultWasmUrl());
  if (url.protocol === "file:" && isNode()) return { wasmBinary: await readFileBytes(url) };
  return { locateFile: () => url.href };
}

// The glue builds new URL("clientele.wasm", import.meta.url) unless locateFile is given: always give it,
// so runtimes without a usable import.meta.url (edge) never reach that line.
async function factoryArg(source: WasmSource | undefined): Promise<ModuleArg> {
  return { locateFile: (path: string) => path, ...(await moduleArg(source)) };
}

let shared: Promise<CoreModule> | undefined;

/** Instantiates the core. Without a source, the module beside this package is loaded once and reused. */
export function loadCore(source?: WasmSource): Promise<CoreModule> {
  if (source !== undefined) return factoryArg(source).then(createClienteleModule);
  shared ??= factoryArg(undefined).then(createClienteleModule);
  return shared;
}
