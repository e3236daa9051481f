// The package in browsers and web workers: the `browser` and `default` conditions of its exports. The
// core's .wasm is fetched from a URL written as new URL("…", import.meta.url), which bundlers such as
// Vite and webpack recognize: they copy the file into the build and rewrite the URL.
import { useRuntime } from "../loader.js";

// Built on first use, so importing this module never touches import.meta.url.
const packaged = () => new URL("../../wasm/clientele.wasm", import.meta.url);

useRuntime({
  packaged,
  locate: (source) => ({ locateFile: () => new URL(String(source), packaged()).href }),
});

export * from "../index.js";
