// Errors that belong to no call (a listener that threw, a reload another tab asked for that failed) are
// reported, never swallowed and never turned into a call's outcome: asynchronously, through the host's
// reportError where it has one (browsers, workers, Deno: the global "error" event), else rethrown from a
// microtask (Node: process "uncaughtException", as a throwing EventEmitter listener would be).
export function report(err: unknown): void {
  queueMicrotask(() => {
    const host = (globalThis as { reportError?: (e: unknown) => void }).reportError;
    if (typeof host === "function") host(err);
    else throw err;
  });
}
