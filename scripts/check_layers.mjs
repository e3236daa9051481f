// Checks that core/'s folders are layers: every #include "folder/file" points into the file's own
// folder or a folder of a lower floor (rules and storage share a floor and do not include each other);
// and that no two modules (a .hpp with its .cpp) need each other, directly or round a longer loop.
// Prints each offending include or loop and exits 1 if there is any. Usage: node scripts/check_layers.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const FLOORS = { util: 1, io: 2, webhooks: 3, model: 3, rules: 4, storage: 4, index: 5, domain: 6, api: 7 };
const core = new URL("../core/", import.meta.url).pathname;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(hpp|cpp)$/.test(name)) yield path;
  }
}

const wrong = [];
const needs = new Map();  // module (path without extension) -> the modules it includes
let files = 0, includes = 0;
for (const path of sources(core)) {
  const file = relative(core, path);
  const folder = file.split("/")[0];
  if (!(folder in FLOORS)) { wrong.push(`${file}: not in a layer folder`); continue; }
  files++;
  const module = file.replace(/\.(hpp|cpp)$/, "");
  if (!needs.has(module)) needs.set(module, new Set());
  for (const [, target] of readFileSync(path, "utf8").matchAll(/^#include "([^"]+)"/gm)) {
    includes++;
    const other = target.replace(/\.hpp$/, "");
    if (other !== module) needs.get(module).add(other);
    const to = target.split("/")[0];
    if (!(to in FLOORS)) wrong.push(`${file} includes "${target}": not a layer folder`);
    else if (to !== folder && FLOORS[to] >= FLOORS[folder]) wrong.push(`${file} (${folder}) includes "${target}" (${to}): points up or sideways`);
  }
}
// Loops between modules: a depth-first walk, each loop reported once from where it was entered.
const state = new Map();  // module -> "open" while on the walk's path, "done" after
const path = [];
let loops = 0;
const walk = (module) => {
  state.set(module, "open");
  path.push(module);
  for (const next of needs.get(module) ?? []) {
    if (state.get(next) === "open") {
      loops++;
      wrong.push(`loop: ${[...path.slice(path.indexOf(next)), next].join(" -> ")}`);
    } else if (!state.has(next)) walk(next);
  }
  path.pop();
  state.set(module, "done");
};
for (const module of [...needs.keys()].sort()) if (!state.has(module)) walk(module);

for (const line of wrong) console.log(line);
console.log(`layers: ${files} files, ${includes} includes, ${wrong.length - loops} pointing up or sideways, ${loops} loops between modules`);
process.exit(wrong.length ? 1 : 0);
