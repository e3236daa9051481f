// The published package as a user gets it: `npm pack`, installed into a fresh project outside the
// repository, imported from Node, bundled with Vite into a page that runs in Chromium, and bundled for
// Cloudflare Workers as wrangler does (esbuild with the workerd conditions, .wasm as a module) into workerd.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile, readFile, readdir, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, basename, resolve } from "node:path";
import { build, createServer as viteServer } from "vite";
import { build as esbuild } from "esbuild"; // Vite's own bundler, as wrangler uses it
import { Miniflare } from "miniflare";
import { launch } from "./browser.mjs";

const repo = new URL("../../", import.meta.url).pathname;
let project;

before(async () => {
  project = await mkdtemp(join(tmpdir(), "clientele-user-"));
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: join(repo, "js"), encoding: "utf8" }).trim().split("\n").pop();
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", join(project, packed)], { cwd: project });
});
after(() => rm(project, { recursive: true, force: true }));

test("the tarball installs into a fresh project and works from Node", async () => {
  await writeFile(join(project, "main.mjs"), `
    import { Clientele, ValidationError } from "clientele";
    const c = await Clientele.open({ organizationId: "org-user" });
    const x = await c.customers.create({ email: "user@example.com" });
    let refused = false;
    try { await c.customers.create({ email: "x" }); } catch (e) { refused = e instanceof ValidationError; }
    console.log(JSON.stringify({ email: x.email, refused }));`);
  const out = JSON.parse(execFileSync("node", ["main.mjs"], { cwd: project, encoding: "utf8" }));
  assert.deepEqual(out, { email: "user@example.com", refused: true });
  const files = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: join(repo, "js"), encoding: "utf8" });
  const names = JSON.parse(files)[0].files.map((f) => f.path);
  for (const name of ["wasm/clientele.wasm", "dist/index.d.ts", "README.md", "LICENSE", "dist/runtime/node.js", "dist/runtime/browser.js", "dist/runtime/workerd.js"])
    assert.ok(names.includes(name), `${name} in the tarball`);
  assert.ok(!names.some((n) => n.startsWith("src/")), "sources stay out of the tarball");
  assert.ok(!names.some((n) => n.startsWith("fixtures/") || n.includes("seeded_random")), "test fixtures stay out of the tarball");
});

test("every target of the installed package's exports map exists, and each runtime's conditions pick its entry", async () => {
  const installed = join(project, "node_modules", "clientele");
  const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8"));
  const targets = [];
  const walk = (node, path) => (typeof node === "string" ? targets.push([path, node]) : Object.entries(node).forEach(([k, v]) => walk(v, `${path} ${k}`)));
  walk(manifest.exports, "exports");
  for (const [path, target] of targets) assert.ok((await stat(join(installed, target))).isFile(), `${path} -> ${target} exists`);
  for (const key of ["types", "workerd", "worker", "browser", "node", "default"]) assert.ok(manifest.exports["."][key], `condition ${key}`);
  // Node's resolver itself, from the user's project, with the conditions each runtime's tooling sets.
  const resolved = (...conditions) =>
    execFileSync("node", [...conditions.flatMap((c) => ["-C", c]), "--input-type=module", "-e", 'console.log(import.meta.resolve("clientele"))'], { cwd: project, encoding: "utf8" }).trim();
  const inPackage = (entry) => new URL(entry, `file://${installed}/`).href;
  assert.equal(resolved(), inPackage("dist/runtime/node.js"));
  assert.equal(resolved("browser"), inPackage("dist/runtime/browser.js"));
  assert.equal(resolved("workerd", "worker", "browser"), inPackage("dist/runtime/workerd.js"));
  assert.equal(resolved("worker"), inPackage("dist/runtime/browser.js"));
  const wasm = execFileSync("node", ["--input-type=module", "-e", 'console.log(import.meta.resolve("clientele/wasm"))'], { cwd: project, encoding: "utf8" }).trim();
  assert.equal(wasm, inPackage("wasm/clientele.wasm"));
});

test("a Vite bundle of a page using the package runs in Chromium", async () => {
  await writeFile(join(project, "index.html"), `<!doctype html><script type="module" src="./app.js"></script>`);
  await writeFile(join(project, "app.js"), `
    import { Clientele } from "clientele";
    const c = await Clientele.open({ organizationId: "org-vite" });
    await c.customers.create({ email: "vite@example.com", name: "Vïte" });
    const page = await c.customers.list({ query: "vï" });
    document.title = "done:" + page.pagination.total_count;`);
  await build({ root: project, logLevel: "error", build: { outDir: join(project, "dist"), target: "es2022" } });
  const bundled = await Promise.all((await readdir(join(project, "dist", "assets"))).filter((f) => f.endsWith(".js")).map((f) => readFile(join(project, "dist", "assets", f), "utf8")));
  assert.ok(!bundled.some((js) => js.includes("node:fs")), "the browser build holds no Node entry");
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer(async (req, res) => {
    try {
      const path = join(project, "dist", req.url === "/" ? "index.html" : req.url.split("?")[0]);
      const body = await readFile(path);
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.title.startsWith("done:"), null, { timeout: 15000 });
    assert.equal(await page.title(), "done:1");
  } finally {
    await b.close();
    server.close();
  }
});

// The page of the test above, served by the dev server instead of built.
test("the Vite dev server, with the package kept out of dependency pre-bundling as its README says, runs it", async () => {
  const server = await viteServer({ root: project, logLevel: "error", server: { port: 0, host: "127.0.0.1" }, optimizeDeps: { exclude: ["clientele"] }, cacheDir: join(project, ".vite-dev") });
  await server.listen();
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(server.resolvedUrls.local[0]);
    await page.waitForFunction(() => document.title.startsWith("done:"), null, { timeout: 20000 });
    assert.equal(await page.title(), "done:1");
  } finally {
    await b.close();
    await server.close();
  }
});

test("a Worker bundled as wrangler does gets the .wasm as a module, with no option, inside workerd", async () => {
  await writeFile(join(project, "worker.mjs"), `
    import { Clientele, createHandler } from "clientele";
    let handler;
    export default {
      async fetch(request) {
        handler ??= createHandler(await Clientele.open({ organizationId: "org-worker" }), { tokens: { t: "org-worker" } });
        return handler(request);
      },
    };`);
  // wrangler's defaults: the workerd conditions, and a .wasm import kept as a CompiledWasm module.
  const wasmModules = new Map();
  const wasmAsModule = {
    name: "wasm-as-module",
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path);
        wasmModules.set(basename(file), file);
        return { path: `./${basename(file)}`, external: true };
      });
    },
  };
  const out = join(project, "worker-dist");
  await esbuild({
    entryPoints: [join(project, "worker.mjs")], bundle: true, format: "esm", platform: "neutral", target: "es2022",
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], outdir: out, plugins: [wasmAsModule], logLevel: "error",
  });
  assert.deepEqual([...wasmModules.keys()], ["clientele.wasm"]);
  const modules = [
    { type: "ESModule", path: join(out, "worker.js"), contents: await readFile(join(out, "worker.js")) },
    ...(await Promise.all([...wasmModules].map(async ([name, file]) => ({ type: "CompiledWasm", path: join(out, name), contents: await readFile(file) })))),
  ];
  const mf = new Miniflare({ modules, modulesRoot: out, compatibilityDate: "2025-01-01" });
  try {
    const headers = { authorization: "Bearer t", "content-type": "application/json" };
    const created = await mf.dispatchFetch("http://worker.test/v1/customers", { method: "POST", headers, body: JSON.stringify({ email: "worker@example.com" }) });
    assert.equal(created.status, 201, await created.clone().text());
    const duplicate = await mf.dispatchFetch("http://worker.test/v1/customers", { method: "POST", headers, body: JSON.stringify({ email: "Worker@example.com" }) });
    assert.equal(duplicate.status, 422);
    assert.equal((await (await mf.dispatchFetch("http://worker.test/v1/customers", { headers })).json()).pagination.total_count, 1);
  } finally {
    await mf.dispose();
  }
});
