// The package in Node: the `node` condition of its exports. The core's .wasm is read
// from beside the package with node:fs; a file: URL or path handed in is read the same way.
import { readFile } from "node:fs/promises";
import { useRuntime } from "../loader.js";

const packaged = new URL("../../wasm/clientele.wasm", import.meta.url);

useRuntime({
  packaged: () => readFile(packaged),
  async locate(source) {
    const url = new URL(String(source), packaged);
    return url.protocol === "file:" ? { wasmBinary: await readFile(url) } : { locateFile: () => url.href };
  },
});

export * from "../index.js";
