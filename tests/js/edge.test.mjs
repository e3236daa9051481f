// The same handler inside workerd (Cloudflare's runtime) through miniflare, through the package's workerd
// entry: it imports the .wasm as a module, which workerd hands over as a precompiled WebAssembly.Module
// (eval and compiling from bytes are unavailable there). A Module handed in explicitly works as well.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { readFile, readdir } from "node:fs/promises";

const root = new URL("../../", import.meta.url);

test("the edge handler serves Polar's endpoints inside workerd", async () => {
  const worker = `
    import { Clientele, createHandler } from "./js/dist/runtime/workerd.js";
    import wasm from "./js/wasm/clientele.wasm";
    let handler;
    export default {
      async fetch(request) {
        if (new URL(request.url).pathname === "/explicit-module") {
          const c = await Clientele.open({ organizationId: "org-explicit", wasm });
          await c.customers.create({ email: "explicit@example.com" });
          return Response.json((await c.customers.list()).pagination);
        }
        if (!handler) {
          const store = await Clientele.open({ organizationId: "org-edge" });
          handler = createHandler(store, { tokens: { "edge-token": "org-edge" } });
        }
        return handler(request);
      },
    };`;
  // The modules a bundler would ship: the worker, the package's files and the .wasm (as CompiledWasm).
  const file = async (path) => ({ path, contents: await readFile(new URL(path, root)) });
  const dist = (await readdir(new URL("js/dist/", root), { recursive: true })).filter((f) => f.endsWith(".js"));
  const modules = [
    { type: "ESModule", path: "worker.mjs", contents: worker },
    ...(await Promise.all(dist.map((f) => file(`js/dist/${f}`)))).map((m) => ({ type: "ESModule", ...m })),
    { type: "ESModule", ...(await file("js/wasm/clientele.mjs")) },
    { type: "CompiledWasm", ...(await file("js/wasm/clientele.wasm")) },
  ];
  const mf = new Miniflare({ modules, modulesRoot: root.pathname, compatibilityDate: "2025-01-01" });
  try {
    const auth = { authorization: "Bearer edge-token", "content-type": "application/json" };
    const created = await mf.dispatchFetch("http://edge.test/v1/customers/", { method: "POST", headers: auth, body: JSON.stringify({ email: "edge@example.com", name: "Edge" }) });
    assert.equal(created.status, 201, await created.clone().text());
    const customer = await created.json();
    const listed = await (await mf.dispatchFetch("http://edge.test/v1/customers/?query=edge", { headers: auth })).json();
    assert.equal(listed.pagination.total_count, 1);
    const refused = await mf.dispatchFetch("http://edge.test/v1/customers/", { method: "POST", headers: auth, body: JSON.stringify({ email: "nope" }) });
    assert.equal(refused.status, 422);
    assert.equal((await mf.dispatchFetch(`http://edge.test/v1/customers/${customer.id}`)).status, 401);
    const gone = await mf.dispatchFetch(`http://edge.test/v1/customers/${customer.id}?anonymize=true`, { method: "DELETE", headers: auth });
    assert.equal(gone.status, 204);
    const reused = await mf.dispatchFetch("http://edge.test/v1/customers/", { method: "POST", headers: auth, body: JSON.stringify({ email: "edge@example.com" }) });
    assert.equal(reused.status, 201, "an anonymized customer's email is free again");
    const again = await mf.dispatchFetch("http://edge.test/v1/customers/", { method: "POST", headers: auth, body: JSON.stringify({ email: "EDGE@example.com" }) });
    assert.equal(again.status, 422);
    assert.equal((await again.json()).detail[0].loc.join("."), "body.email");
    assert.deepEqual(await (await mf.dispatchFetch("http://edge.test/explicit-module")).json(), { total_count: 1, max_page: 1 });
  } finally {
    await mf.dispose();
  }
});
