// Hand-written types for the Emscripten factory (Embind generates none in 3.1.6).
export interface CoreStore {
  call(method: string, argsJson: string): CoreEnvelope;
  /** `text` (UTF-8 bytes or a string) travels beside the JSON: snapshot.import's JSON Lines. */
  callWithText(method: string, argsJson: string, text: Uint8Array | string): CoreEnvelope;
  callJson(method: string, argsJson: string): string;
  delete(): void;
}
export type CoreEnvelope =
  | { ok: true; value: unknown }
  | { ok: false; status: number; error: { error: string; detail: unknown } };
export interface CoreModule {
  Store: new () => CoreStore;
  /** Bytes malloc has handed out and not had back (HEAPU8.byteLength is the high-water mark). */
  heapInUse(): number;
  /** The module's linear memory (a fresh view: memory growth replaces it). */
  HEAPU8: Uint8Array;
}
export interface ModuleArg {
  wasmBinary?: ArrayBuffer | Uint8Array;
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ) => object;
  locateFile?: (path: string, prefix: string) => string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}
export default function createClienteleModule(arg?: ModuleArg): Promise<CoreModule>;
