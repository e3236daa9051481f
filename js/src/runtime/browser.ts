// The package in browsers and web workers: the `browser` and `default` conditions of its exports. The
// core's .wasm is fetched from a URL written as new URL("…", import.meta.url), which bundlers such as
// Vite and webpack recognize: they copy the file into the build and rewrite the URL.
import { compileResponse, useRuntime } from "../loader.js";

// Built on first use, so importing this module never touches import.meta.url.
const packaged = () => new URL("../../wasm/clientele.wasm", import.meta.url);

useRuntime({
  // Asked for by the first open without a { wasm } of its own: the fetch starts there, and the module
  // compiles while its bytes arrive.
  packaged: () => compileResponse(fetch(packaged(), { credentials: "same-origin" })),
  locate: (source) => ({ locateFile: () => new URL(String(source), packaged()).href }),
});

export * from "../index.js";
