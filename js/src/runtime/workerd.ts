// The package in Cloudflare Workers (workerd): the `workerd` condition of its exports. Workers may not
// compile WebAssembly from bytes at run time; the .wasm is imported as a module, which wrangler (and
// workerd's own module list) hands over as a compiled WebAssembly.Module.
import wasm from "../../wasm/clientele.wasm";
import { useRuntime } from "../loader.js";

useRuntime({
  packaged: () => wasm,
  locate: (source) => ({ locateFile: () => new URL(String(source)).href }),
});

export * from "../index.js";
