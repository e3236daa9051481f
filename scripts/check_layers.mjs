// Checks that core/'s folders are layers: every #include "folder/file" points into the file's own
// folder or a folder of a lower floor (rules and storage share a floor and do not include each other).
// Prints each upward or sideways include and exits 1 if there is any. Usage: node scripts/check_layers.mjs
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
let files = 0, includes = 0;
for (const path of sources(core)) {
  const file = relative(core, path);
  const folder = file.split("/")[0];
  if (!(folder in FLOORS)) { wrong.push(`${file}: not in a layer folder`); continue; }
  files++;
  for (const [, target] of readFileSync(path, "utf8").matchAll(/^#include "([^"]+)"/gm)) {
    includes++;
    const to = target.split("/")[0];
    if (!(to in FLOORS)) wrong.push(`${file} includes "${target}": not a layer folder`);
    else if (to !== folder && FLOORS[to] >= FLOORS[folder]) wrong.push(`${file} (${folder}) includes "${target}" (${to}): points up or sideways`);
  }
}
for (const line of wrong) console.log(line);
console.log(`layers: ${files} files, ${includes} includes, ${wrong.length} pointing up or sideways`);
process.exit(wrong.length ? 1 : 0);
