// The demo page: every rule and message comes from the WebAssembly core through the package.
import { Clientele, ValidationError } from "/js/dist/index.js";

const ORG = "00000000-0000-4000-8000-00000000demo";
const $ = (sel) => document.querySelector(sel);
const clientele = await Clientele.open({ organizationId: ORG });
window.clientele = clientele;

async function render() {
  const page = await clientele.customers.list({ query: $("#search").value, limit: 50 });
  $("#count").textContent = `(${page.pagination.total_count})`;
  $("#rows").replaceChildren(
    ...page.items.map((c) => {
      const tr = document.createElement("tr");
      for (const text of [c.email, c.name ?? "", c.created_at.slice(0, 19).replace("T", " ")]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

$("#create").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("#errors").replaceChildren();
  try {
    await clientele.customers.create({ email: form.get("email"), name: form.get("name") || null });
    event.target.reset();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    $("#errors").replaceChildren(...err.detail.map((d) => Object.assign(document.createElement("li"), { textContent: `${d.loc.slice(1).join(".")}: ${d.msg}` })));
  }
  await render();
});
$("#search").addEventListener("input", render);
await render();
