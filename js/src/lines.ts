// Snapshot lines as storage keeps them: the core's JSON Lines in UTF-8 bytes, every line ending in "\n",
// with the customer of each. They go from the core's memory to storage and back without becoming a JS string.

/** JSON Lines as UTF-8, every line ending in "\n", and the customer of each: line i is the record of `ids[i]`. */
export interface Lines {
  ids: string[];
  jsonl: Uint8Array;
}

const NEWLINE = 10;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The lines of UTF-8 JSON Lines (every line ending in "\n", as the core writes them), as views of it. */
export function splitLines(jsonl: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  for (let start = 0; start < jsonl.length; ) {
    const end = jsonl.indexOf(NEWLINE, start);
    const stop = end < 0 ? jsonl.length : end;
    lines.push(jsonl.subarray(start, stop));
    start = stop + 1;
  }
  return lines;
}

/** Bytes the lines take joined, each with its "\n". */
export const bytesOf = (lines: Uint8Array[]): number => lines.reduce((n, line) => n + line.length + 1, 0);

/** Lines as one UTF-8 JSON Lines buffer of their own, each line ending in "\n". */
export function joinLines(lines: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(bytesOf(lines));
  let at = 0;
  for (const line of lines) {
    out.set(line, at);
    out[(at += line.length)] = NEWLINE;
    at++;
  }
  return out;
}

/** Lines given as text (one JSON record each, no "\n" in it) as storage keeps them. */
export const encodeLines = (lines: string[]): Uint8Array => encoder.encode(lines.map((line) => `${line}\n`).join(""));

/** Each line as text. */
export const decodeLines = (jsonl: Uint8Array): string[] => splitLines(jsonl).map((line) => decoder.decode(line));
