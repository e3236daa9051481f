// Bundles the package's runtime entries (js/src/runtime/*.ts) with esbuild, each into one minified ES
// module at js/dist/runtime/<name>.js, over what tsc wrote there (tsc writes the declarations and the
// unbundled modules beside them). The Emscripten glue is bundled in; the .wasm stays a file of its own,
// which each entry reaches as its runtime gets it.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

const js = resolve(dirname(new URL(import.meta.url).pathname), "../js");

// Bundlers copy the file named in `new URL("…", import.meta.url)`. The glue names its own .wasm that way,
// on a line the loader never reaches (it always gives locateFile); bundled, that name would point beside
// the bundle, where no .wasm is. Only the entries' own URL may remain.
const GLUE_URL = 'new URL("clientele.wasm",import.meta.url).toString()';
const glueWithoutUrl = {
  name: "glue-without-url",
  setup(b) {
    b.onLoad({ filter: /[/\\]wasm[/\\]clientele\.mjs$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes(GLUE_URL)) throw new Error(`scripts/bundle.mjs: the glue no longer holds ${GLUE_URL}; update GLUE_URL`);
      return { contents: text.replace(GLUE_URL, '""'), loader: "js" };
    });
  },
};

// The Node entry imports the loader as a module of its own (dist/loader.js, itself bundled with the glue):
// the loader holds the runtime the entry registers, and tests reach it there to stand in for the runtime.
const loaderOutside = {
  name: "loader-outside",
  setup(b) {
    b.onResolve({ filter: /\/loader\.js$/ }, () => ({ path: "../loader.js", external: true }));
  },
};

const common = { bundle: true, format: "esm", minify: true, target: "es2022", legalComments: "none", logLevel: "warning" };
const entries = [
  { entryPoints: [`${js}/src/runtime/browser.ts`], outfile: `${js}/dist/runtime/browser.js`, platform: "browser" },
  { entryPoints: [`${js}/src/runtime/workerd.ts`], outfile: `${js}/dist/runtime/workerd.js`, platform: "neutral", external: ["*.wasm"] },
  { entryPoints: [`${js}/src/runtime/cloudflare.ts`], outfile: `${js}/dist/runtime/cloudflare.js`, platform: "neutral", external: ["*.wasm"] },
  { entryPoints: [`${js}/src/runtime/node.ts`], outfile: `${js}/dist/runtime/node.js`, platform: "node", plugins: [loaderOutside] },
  { entryPoints: [`${js}/src/loader.ts`], outfile: `${js}/dist/loader.js`, platform: "neutral" },
];

await Promise.all(entries.map(({ plugins = [], ...entry }) => build({ ...common, ...entry, plugins: [glueWithoutUrl, ...plugins] })));
