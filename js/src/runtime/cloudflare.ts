// clientele/cloudflare in Cloudflare Workers (workerd): the package as the workerd entry gives it (the
// .wasm imported as a compiled module, which wrangler hands over as a WebAssembly.Module), with the
// Durable Object, the Worker and their storage.
import wasm from "../../wasm/clientele.wasm";
import { useRuntime } from "../loader.js";

useRuntime({
  packaged: () => wasm,
  locate: (source) => ({ locateFile: () => new URL(String(source)).href }),
});

export * from "../index.js";
export * from "../cloudflare/index.js";
