// One call into the core through its memory: the method and arguments written as UTF-8 straight into the
// module's heap (TextEncoder.encodeInto), the answer read back with one TextDecoder pass where the core
// left it (a large text answer beside the envelope may instead be copied out as bytes). Both the typed
// client and the stateless webhook helpers call the core this way.
import type { CoreModule, CoreStore, LineSource } from "../wasm/clientele.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A store's input room and where it keeps its answer's length (both fixed until the room must grow). */
type Room = { at: number; bytes: number; lengthAt: number };
const rooms = new WeakMap<CoreStore, Room>();

/** Runs `method` with `args` (JSON text), and `lines` beside it if given; answers the core's answer text. */
export function callCore(module: CoreModule, store: CoreStore, method: string, args: string, lines?: LineSource): string {
  const { at, end } = run(module, store, method, args, lines);
  return decoder.decode(module.HEAPU8.subarray(at, end));
}

/**
 * The same for an answer whose large text goes beside the envelope (after its first newline): the envelope
 * decoded, the text beside it copied out as the UTF-8 bytes it is, never decoded (storage keeps bytes).
 */
export function callCoreBeside(module: CoreModule, store: CoreStore, method: string, args: string, lines?: LineSource): { envelope: string; beside: Uint8Array } {
  const { at, end } = run(module, store, method, args, lines);
  const heap = module.HEAPU8;
  const newline = heap.subarray(at, end).indexOf(10);
  const split = newline < 0 ? end : at + newline;
  return { envelope: decoder.decode(heap.subarray(at, split)), beside: heap.slice(Math.min(split + 1, end), end) };
}

/** Writes the call into the store's input room and runs it; answers where the answer lies in the heap. */
function run(module: CoreModule, store: CoreStore, method: string, args: string, lines?: LineSource): { at: number; end: number } {
  const need = 3 * (method.length + args.length); // UTF-8 bytes at most, for this many UTF-16 units
  let room = rooms.get(store);
  if (!room || room.bytes < need) {
    room = { at: store.input(need), bytes: need, lengthAt: room?.lengthAt ?? store.answerLengthAt() };
    rooms.set(store, room);
  }
  const heap = module.HEAPU8;
  const methodBytes = encoder.encodeInto(method, heap.subarray(room.at, room.at + room.bytes)).written;
  const argsBytes = encoder.encodeInto(args, heap.subarray(room.at + methodBytes, room.at + room.bytes)).written;
  const at = lines ? store.runWithLines(methodBytes, argsBytes, lines) : store.run(methodBytes, argsBytes);
  const length = module.HEAPU32[room.lengthAt >>> 2]; // fresh views: the call may have grown memory
  return { at, end: at + length };
}
