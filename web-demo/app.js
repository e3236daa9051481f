// The demo page. Every rule and every message comes from the WebAssembly core through the package;
// this file only reads forms, calls the API and renders. Data lives in IndexedDB and survives a reload.
import { Clientele, ValidationError, ClienteleError, webhooks, payloadOf } from "/js/dist/runtime/browser.js";
import { demoCustomers } from "./demo-data.js";

const ORG = "d3m00000-0000-4000-8000-000000000001";
const WEBHOOK_SECRET = "whsec_" + btoa("clientele demo webhook secret");
const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const json = (value) => JSON.stringify(value, null, 2);

const view = { query: "", metadata: undefined, sorting: "-created_at", page: 1, limit: 20, selected: null };
const clientele = await Clientele.open({ organizationId: ORG, persist: "indexeddb" });
window.clientele = clientele;

// ---- first visit: the demo data set, loaded in one batch -------------------------------------------
async function seed() {
  if ((await clientele.customers.list({ limit: 1 })).pagination.total_count > 0) return;
  $("#status").textContent = "Creating 5,000 demo customers…";
  const scratch = await Clientele.open({ organizationId: ORG });
  for (const body of demoCustomers()) await scratch.customers.create(body);
  await clientele.importSnapshot(scratch.exportSnapshot());
  scratch.close();
}

// ---- list ---------------------------------------------------------------------------------------------
function parseMetadataFilter(text) {
  const filter = {};
  for (const part of text.split(";").map((p) => p.trim()).filter(Boolean)) {
    const [key, values = ""] = part.split("=");
    const list = values.split(",").map((v) => v.trim()).filter(Boolean);
    filter[key.trim()] = list.length === 1 ? list[0] : list;
  }
  return Object.keys(filter).length ? filter : undefined;
}

async function renderList() {
  $("#meta-error").textContent = "";
  let page;
  try {
    page = await clientele.customers.list({ query: view.query || undefined, metadata: view.metadata, sorting: [view.sorting], page: view.page, limit: view.limit });
  } catch (err) {
    if (!(err instanceof ClienteleError)) throw err;
    $("#meta-error").textContent = err.message;
    return;
  }
  $("#count").textContent = page.pagination.total_count.toLocaleString("en");
  $("#page-info").textContent = `page ${view.page} of ${Math.max(page.pagination.max_page, 1)}`;
  $("#prev").disabled = view.page <= 1;
  $("#next").disabled = view.page >= page.pagination.max_page;
  $("#rows").replaceChildren(...page.items.map((c) => {
    const tr = el("tr", { className: c.id === view.selected ? "selected" : "" },
      el("td", { textContent: c.email ?? "—", title: c.email ?? "" }),
      el("td", { textContent: c.name ?? "" }),
      el("td", { className: "hide-narrow", textContent: c.type }),
      el("td", { className: "hide-narrow", textContent: c.created_at.slice(0, 16).replace("T", " ") }));
    tr.dataset.id = c.id;
    tr.addEventListener("click", () => select(c.id));
    return tr;
  }));
  for (const b of document.querySelectorAll("button.sort")) {
    const key = b.dataset.key;
    if (view.sorting === key) b.dataset.dir = "▲"; else if (view.sorting === "-" + key) b.dataset.dir = "▼"; else delete b.dataset.dir;
  }
}

// ---- the customer form: create or edit, validated live by the core ---------------------------------
const form = $("#customer-form");

function formInput() {
  const f = new FormData(form);
  const text = (k) => String(f.get(k) ?? "").trim();
  const input = { email: text("email") || null, name: text("name") || null, type: text("type"), externalId: text("externalId") || null, taxId: text("taxId") || null };
  if (text("country")) input.billingAddress = { country: text("country"), state: text("state") || null, city: text("city") || null };
  try {
    input.metadata = JSON.parse(text("metadata") || "{}");
  } catch {
    input.metadata = "not JSON";  // the core says what is wrong with it
  }
  return input;
}

function showProblems(problems) {
  $("#problems").replaceChildren(...problems.map((d) => el("li", { textContent: `${d.loc.slice(1).join(".") || d.loc.join(".")}: ${d.msg}` })));
}

let validating = 0;
async function validateLive() {
  const ticket = ++validating;
  const input = formInput();
  let problems;
  if (view.selected) {
    const current = await clientele.customers.get({ id: view.selected });
    problems = await clientele.customers.validateUpdate({ id: view.selected, customerUpdate: changes(current, input) });
  } else {
    problems = await clientele.customers.validate(input);
  }
  if (ticket === validating) showProblems(form.dataset.touched ? problems : []);
}

// Only what the person changed is sent, as Polar's PATCH expects.
function changes(current, input) {
  const out = {};
  if ((input.email ?? "") !== (current.email ?? "")) out.email = input.email;
  if ((input.name ?? "") !== (current.name ?? "")) out.name = input.name;
  if (input.type !== current.type) out.type = input.type;
  if ((input.externalId ?? "") !== (current.external_id ?? "")) out.externalId = input.externalId;
  if ((input.taxId ?? "") !== (current.tax_id?.[0] ?? "")) out.taxId = input.taxId;
  const addr = current.billing_address;
  const next = input.billingAddress;
  if (JSON.stringify(next ? [next.country.toUpperCase(), next.state, next.city] : null) !== JSON.stringify(addr ? [addr.country, addr.state, addr.city] : null))
    out.billingAddress = next ?? null;
  if (JSON.stringify(input.metadata) !== JSON.stringify(current.metadata)) out.metadata = input.metadata;
  return out;
}

function fill(c) {
  const set = (name, value) => (form.elements[name].value = value ?? "");
  set("email", c?.email); set("name", c?.name); set("type", c?.type ?? "individual"); set("externalId", c?.external_id);
  set("country", c?.billing_address?.country); set("state", c?.billing_address?.state); set("city", c?.billing_address?.city);
  set("taxId", c?.tax_id?.[0]); set("metadata", json(c?.metadata ?? {}));
  delete form.dataset.touched;
  showProblems([]);
}

function restrictedHint(c) {
  const hints = [];
  if (c.external_id) hints.push("External ID is set: the core refuses any change to it.");
  if (c.type === "team") hints.push("Type is team: the core refuses a downgrade to individual.");
  if (c.billing_address) hints.push("Billing address is set: it can change but not be removed.");
  $("#restricted").textContent = hints.join(" ");
}

async function select(id) {
  view.selected = id;
  const c = await clientele.customers.get({ id });
  $("#form-title").textContent = c.name ?? c.email ?? "Customer";
  $("#save").textContent = "Save changes";
  fill(c);
  restrictedHint(c);
  $("#extra").hidden = false;
  $("#before-after").hidden = true;
  $("#member-form").hidden = false;
  await Promise.all([renderMembers(), renderState(), renderList()]);
}

function newCustomer() {
  view.selected = null;
  $("#form-title").textContent = "New customer";
  $("#save").textContent = "Create";
  $("#restricted").textContent = "";
  $("#extra").hidden = true;
  fill(null);
  renderList();
}

form.addEventListener("input", () => ((form.dataset.touched = "1"), validateLive()));
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  form.dataset.touched = "1";
  const input = formInput();
  try {
    if (view.selected) {
      const current = await clientele.customers.get({ id: view.selected });
      await clientele.customers.update({ id: view.selected, customerUpdate: changes(current, input) });
      await select(view.selected);
    } else {
      const created = await clientele.customers.create(input);
      await select(created.id);
    }
  } catch (err) {
    if (err instanceof ValidationError) return showProblems(err.detail);
    showProblems([{ loc: ["error"], msg: err.message }]);
  }
});
$("#cancel").addEventListener("click", newCustomer);
$("#new-customer").addEventListener("click", newCustomer);

// ---- members ------------------------------------------------------------------------------------------
async function renderMembers() {
  const list = await clientele.members.list({ customerId: view.selected, sorting: "created_at", limit: 100 });
  $("#members").replaceChildren(...list.items.map((m) => {
    const role = el("select", {}, ...["owner", "billing_manager", "member"].map((r) => el("option", { value: r, textContent: r, selected: r === m.role })));
    role.addEventListener("change", () => memberAction(() => clientele.members.update({ id: m.id, memberUpdate: { role: role.value } })));
    const remove = el("button", { type: "button", className: "secondary", textContent: "Remove" });
    remove.addEventListener("click", () => memberAction(() => clientele.members.delete({ id: m.id })));
    return el("li", {}, el("span", { textContent: `${m.email}${m.name ? " · " + m.name : ""}` }), role, remove);
  }));
}

async function memberAction(run) {
  $("#member-problem").textContent = "";
  try {
    await run();
  } catch (err) {
    if (!(err instanceof ClienteleError)) throw err;
    $("#member-problem").textContent = err.message;
  }
  await renderMembers();
}

$("#member-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = new FormData(event.target);
  await memberAction(() => clientele.members.create({ customerId: view.selected, email: String(f.get("email")), role: String(f.get("role")) }));
  if (!$("#member-problem").textContent) event.target.reset();
});

// ---- state ----------------------------------------------------------------------------------------------
async function renderState() {
  const state = await clientele.customers.getState({ id: view.selected });
  const { active_subscriptions, granted_benefits, active_meters } = state;
  $("#state").textContent = json({ active_subscriptions, granted_benefits, active_meters });
}
$("#add-subscription").addEventListener("click", async () => {
  await clientele.call("subscriptions.create", { body: { customer_id: view.selected, product_id: "pro-monthly", amount: 1900, currency: "eur", seats: 5 } });
  await renderState();
});
$("#grant-benefit").addEventListener("click", async () => {
  await clientele.call("benefits.grant", { customer_id: view.selected, body: { benefit_id: "downloads", benefit_type: "downloadables" } });
  await renderState();
});

// ---- delete, with the before and after ---------------------------------------------------------------
async function remove(anonymize) {
  const before = await clientele.customers.get({ id: view.selected });
  const after = await clientele.customers.delete({ id: view.selected, anonymize });
  $("#before").textContent = json(before);
  $("#after").textContent = json(after);
  $("#before-after").hidden = false;
  // the deleted customer's data leaves the page, but for the before/after just asked for
  view.selected = null;
  fill(null);
  $("#form-title").textContent = anonymize ? "Deleted and anonymized" : "Deleted";
  $("#restricted").textContent = "";
  $("#members").replaceChildren();
  $("#member-form").hidden = true;
  $("#state").textContent = "";
  await renderList();
}
$("#delete").addEventListener("click", () => remove(false));
$("#anonymize").addEventListener("click", () => remove(true));

// ---- event log: read from the core (redacted there after anonymization), signed on demand ----------
async function renderEvents() {
  const events = clientele.events().slice(-40).reverse();
  $("#events").replaceChildren(...events.map((e) => {
    const details = el("details", {}, el("summary", {}, el("code", { textContent: e.type }), ` ${e.timestamp.slice(11, 19)} · ${e.data.email ?? e.data.id ?? ""}`));
    details.addEventListener("toggle", async () => {
      if (!details.open || details.dataset.signed) return;
      details.dataset.signed = "1";
      const signed = await webhooks.sign(payloadOf(e), WEBHOOK_SECRET, { id: `msg_${e.seq}` });
      details.append(el("pre", { className: "json", textContent: `${Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${json(JSON.parse(signed.body))}` }));
    });
    return el("li", {}, details);
  }));
}
clientele.on("*", () => queueMicrotask(renderEvents));
clientele.onRemoteChange(() => renderList());

// ---- list controls --------------------------------------------------------------------------------------
$("#search").addEventListener("input", (e) => ((view.query = e.target.value), (view.page = 1), renderList()));
$("#meta-filter").addEventListener("input", (e) => ((view.metadata = parseMetadataFilter(e.target.value)), (view.page = 1), renderList()));
$("#prev").addEventListener("click", () => ((view.page -= 1), renderList()));
$("#next").addEventListener("click", () => ((view.page += 1), renderList()));
for (const b of document.querySelectorAll("button.sort"))
  b.addEventListener("click", () => {
    const key = b.dataset.key;
    view.sorting = view.sorting === key ? "-" + key : key;
    view.page = 1;
    renderList();
  });

// Pull from Polar: every page fetched (paced, retried), then applied at once; pulling again resumes.
$("#pull-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const bar = $("#pull-progress");
  const status = $("#pull-status");
  bar.hidden = false;
  bar.value = 0;
  $("#pull").disabled = true;
  const n = (x) => x.toLocaleString("en");
  try {
    const report = await clientele.sync.pull({
      accessToken: $("#pull-token").value.trim(),
      server: $("#pull-url").value.trim() || "production",
      onProgress: ({ phase, loaded, total }) => {
        bar.max = Math.max(total, 1);
        bar.value = loaded;
        status.textContent = `${phase}: ${n(loaded)} / ${n(total)}`;
      },
    });
    status.textContent = `Pulled ${n(report.customers)} customers and ${n(report.members)} members${report.resumed ? " (resumed)" : ""}; ` +
      `${n(report.removed.length)} removed, ${n(report.localOnly.length)} local-only kept`;
    document.body.dataset.pulled = String(report.customers);
    view.page = 1;
    await renderList();
  } catch (err) {
    status.textContent = `Pull failed: ${err.message}. Pulling again resumes where it stopped.`;
  } finally {
    $("#pull").disabled = false;
  }
});

await seed();
newCustomer();
await renderEvents();
const report = clientele.loadReport;
$("#status").textContent = `${(await clientele.customers.list({ limit: 1 })).pagination.total_count.toLocaleString("en")} customers in IndexedDB` +
  (report?.failed.length ? ` · ${report.failed.length} unreadable record(s) reported` : "");
document.body.dataset.ready = "1";
