// A tiny static server for the demo: / is web-demo/, /js/ is the built package, /fixtures/ the seeded
// RNG module the demo data is drawn with. Loopback only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

// Paths served from the repository root as they are; every other path is a file of web-demo/.
const SERVED = ["/js/", "/fixtures/"];

export function resolvePath(urlPath) {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0])).replace(/^(\.\.[/\\])+/, "");
  const rel = SERVED.some((dir) => clean.startsWith(dir)) ? clean : join("web-demo", clean === "/" ? "index.html" : clean);
  const full = join(ROOT, rel);
  return full.startsWith(ROOT) ? full : null;
}

export function startServer(port = 0, host = "127.0.0.1") {
  const server = createServer(async (req, res) => {
    const path = resolvePath(req.url ?? "/");
    try {
      if (!path || !(await stat(path)).isFile()) throw new Error("not found");
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(await readFile(path));
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  const server = await startServer(port);
  console.log(`clientele demo: http://127.0.0.1:${server.address().port}/`);
}
