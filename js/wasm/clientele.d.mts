// Hand-written types for the Emscripten factory (Embind generates none in 3.1.6).
export interface CoreStore {
  call(method: string, argsJson: string): CoreEnvelope;
  /** A view of at least `size` bytes in the heap for a text argument; what was written before is kept.
   * Valid until the next call into the module. */
  textBuffer(size: number): Uint8Array;
  /** `call` with the first `length` bytes of the text buffer beside the JSON: snapshot.import's JSON Lines. */
  callWithText(method: string, argsJson: string, length: number): CoreEnvelope;
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
