// The published package as a user gets it: `npm pack`, installed into a fresh project outside the
// repository, imported from Node, and bundled with Vite into a page that runs in Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import { build } from "vite";
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
  assert.ok(names.includes("wasm/clientele.wasm") && names.includes("dist/index.d.ts"));
  assert.ok(!names.some((n) => n.startsWith("src/")), "sources stay out of the tarball");
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
