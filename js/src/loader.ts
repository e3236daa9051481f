// Instantiates the WebAssembly core from whatever source is handed in. Where the .wasm shipped with the
// package comes from is the runtime's business: each entry point in src/runtime/ (chosen by the
// package's `exports` conditions) tells this module once, when it is imported.
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

/** How one runtime gets the packaged .wasm, and reads a URL or path handed in. */
export interface WasmRuntime {
  /** The .wasm shipped in this package, in the form this runtime gets it best. */
  packaged(): WasmSource | Promise<WasmSource>;
  /** A URL, or a string resolved against the packaged .wasm's location where the runtime has one. */
  locate(source: URL | string): ModuleArg | Promise<ModuleArg>;
}

let runtime: WasmRuntime | undefined;

/** Called by the runtime entry point that imports this module (src/runtime/*.ts). */
export function useRuntime(r: WasmRuntime): void {
  runtime = r;
}

function fromModule(module: WebAssembly.Module): ModuleArg {
  return {
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module));
      return {};
    },
  };
}

async function moduleArg(source: WasmSource): Promise<ModuleArg> {
  if (source instanceof WebAssembly.Module) return fromModule(source);
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return { wasmBinary: source };
  if (source instanceof URL || typeof source === "string") {
    // Without a runtime entry the glue fetches an absolute URL itself.
    return runtime ? runtime.locate(source) : { locateFile: () => new URL(String(source)).href };
  }
  return { wasmBinary: new Uint8Array(await (await source).arrayBuffer()) };
}

async function packaged(): Promise<WasmSource> {
  if (!runtime)
    throw new TypeError('clientele: no default .wasm here; import "clientele" through its package exports, or pass { wasm }');
  return runtime.packaged();
}

// The glue builds new URL("clientele.wasm", import.meta.url) unless locateFile is given: always give it,
// so runtimes without a usable import.meta.url (edge) never reach that line.
async function factoryArg(source: WasmSource): Promise<ModuleArg> {
  return { locateFile: (path: string) => path, ...(await moduleArg(source)) };
}

let shared: Promise<CoreModule> | undefined;

/** Instantiates the core. Without a source, the module shipped in this package is loaded once and reused. */
export function loadCore(source?: WasmSource): Promise<CoreModule> {
  if (source !== undefined) return factoryArg(source).then(createClienteleModule);
  shared ??= packaged().then(factoryArg).then(createClienteleModule);
  return shared;
}
