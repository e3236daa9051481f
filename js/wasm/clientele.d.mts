// Hand-written types for the Emscripten factory (Embind generates none in 3.1.6).
export interface CoreStore {
  /** Where to write a call's method then its arguments, UTF-8: room for at least `bytes` bytes. */
  input(bytes: number): number;
  /** Runs the call written at input(); answers where its answer (UTF-8) is, its length at
   * answerLengthAt(). The answer is the envelope (a CoreEnvelope) as JSON text; a large text answer
   * follows it after a newline (the envelope's `beside` names where in the value it belongs). */
  run(methodBytes: number, argsBytes: number): number;
  /** `run` with a large text beside the JSON (snapshot.import's JSON Lines), pulled from `source` a
   * window at a time, as often as the core reads it. */
  runWithLines(methodBytes: number, argsBytes: number, source: LineSource): number;
  /** The address of the last answer's length, a 32-bit word (fixed for the life of the store). */
  answerLengthAt(): number;
  delete(): void;
}
/** A text the core pulls as UTF-8: `fill` writes the next bytes into `view` (at least 4 bytes long) and
 * answers how many, 0 at the end; `rewind` starts again from the first byte. */
export interface LineSource {
  fill(view: Uint8Array): number;
  rewind(): void;
}
export type CoreEnvelope =
  | { ok: true; value: unknown }
  | { ok: false; status: number; code?: CoreErrorCode; error: { error: string; detail: unknown } };
/** The core's kind of refusal; "internal" on the binding's own 500 (an exception caught at the boundary). */
export type CoreErrorCode = "validation" | "conflict" | "not_found" | "not_permitted" | "unauthorized" | "webhook_verification" | "internal";
export interface CoreModule {
  Store: new () => CoreStore;
  /** Bytes malloc has handed out and not had back (HEAPU8.byteLength is the high-water mark). */
  heapInUse(): number;
  /** The module's linear memory (fresh views: memory growth replaces them). */
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
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
