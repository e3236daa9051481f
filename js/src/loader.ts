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

/** The glue's argument, and a promise that rejects if instantiating fails where the glue cannot see it. */
type Prepared = { arg: ModuleArg; failed?: Promise<never> };

function fromModule(module: WebAssembly.Module): Prepared {
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // observed through the race in instantiate()
  return {
    arg: {
      instantiateWasm(imports, receive) {
        // A module whose imports do not fit (another build, another program) rejects here; the glue
        // would wait for receive() forever, so the failure rejects the load instead.
        WebAssembly.instantiate(module, imports)
          .then((instance) => receive(instance, module))
          .catch((err: unknown) => fail(new Error(`clientele: this WebAssembly module is not clientele's core (${err instanceof Error ? err.message : String(err)})`)));
        return {};
      },
    },
    failed,
  };
}

async function moduleArg(source: WasmSource): Promise<Prepared> {
  if (source instanceof WebAssembly.Module) return fromModule(source);
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return { arg: { wasmBinary: source } };
  if (source instanceof URL || typeof source === "string") {
    // Without a runtime entry the glue fetches an absolute URL itself.
    return { arg: runtime ? await runtime.locate(source) : { locateFile: () => new URL(String(source)).href } };
  }
  return fromModule(await compileResponse(source));
}

/**
 * Compiles a fetched .wasm while its bytes arrive (WebAssembly.compileStreaming) when the server sends it
 * as application/wasm, which streaming compilation requires; otherwise from the whole body.
 */
export async function compileResponse(source: Response | Promise<Response>): Promise<WebAssembly.Module> {
  const response = await source;
  if (!response.ok) throw new Error(`clientele: the .wasm response is ${response.status} ${response.statusText}`.trim());
  const streams = typeof WebAssembly.compileStreaming === "function" && /^application\/wasm\b/i.test(response.headers.get("content-type") ?? "");
  return streams ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

async function packaged(): Promise<WasmSource> {
  if (!runtime)
    throw new TypeError('clientele: no default .wasm here; import "clientele" through its package exports, or pass { wasm }');
  return runtime.packaged();
}

// The glue builds new URL("clientele.wasm", import.meta.url) unless locateFile is given: always give it,
// so runtimes without a usable import.meta.url (edge) never reach that line.
async function instantiate(source: WasmSource): Promise<CoreModule> {
  const { arg, failed } = await moduleArg(source);
  const made = createClienteleModule({ locateFile: (path: string) => path, ...arg });
  return failed ? Promise.race([made, failed]) : made;
}

let shared: Promise<CoreModule> | undefined;

/**
 * Instantiates the core. Without a source, the module shipped in this package is loaded once and reused;
 * a load that fails rejects every open waiting for it and is then forgotten, so a later open tries again.
 */
export function loadCore(source?: WasmSource): Promise<CoreModule> {
  if (source !== undefined) return instantiate(source);
  if (!shared) {
    const loading = packaged().then(instantiate);
    shared = loading;
    loading.catch(() => {
      if (shared === loading) shared = undefined;
    });
  }
  return shared;
}
