// The demo page, clicked through in real Chromium as a person would, with screenshots saved to
// test-results/: first visit with 5,000 demo customers, search, metadata filter, sort, paging, create
// with live validation from the core, edit with restricted fields, members and roles, state, delete and
// anonymize with before/after, the signed event log, and a reload that keeps everything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { launch } from "./browser.mjs";

const SHOTS = new URL("../../test-results/", import.meta.url).pathname;
const count = async (page) => Number((await page.textContent("#count")).replace(/,/g, ""));
const problems = async (page) => (await page.locator("#problems li").allTextContents()).join(" | ");

async function typeAndSettle(page, selector, text) {
  await page.fill(selector, text);
  await page.waitForTimeout(150);
}

test("a person can use every part of the demo, and it survives a reload", async () => {
  await mkdir(SHOTS, { recursive: true });
  const b = await launch();
  try {
    const page = await b.context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${b.base}/`);
    await page.waitForSelector("body[data-ready]", { timeout: 60000 });
    assert.equal(await count(page), 5000);
    await page.screenshot({ path: SHOTS + "demo-list.png" });

    // search as you type, metadata filter, sort, page
    await typeAndSettle(page, "#search", "zo");
    const zo = await count(page);
    await typeAndSettle(page, "#search", "zoë");
    const zoe = await count(page);
    assert.ok(zoe > 0 && zoe <= zo, `${zoe} <= ${zo}`);
    await typeAndSettle(page, "#meta-filter", "plan=pro");
    const pro = await count(page);
    assert.ok(pro > 0 && pro < zoe);
    await typeAndSettle(page, "#meta-filter", "plan=definitely-not-a-plan");
    assert.equal(await count(page), 0);
    await typeAndSettle(page, "#meta-filter", "");
    await typeAndSettle(page, "#search", "");
    await page.click('button.sort[data-key="email"]');
    await page.waitForTimeout(150);
    const emails = await page.locator("#rows tr td:first-child").allTextContents();
    assert.deepEqual(emails, [...emails].sort());
    await page.click("#next");
    await page.waitForTimeout(150);
    assert.match(await page.textContent("#page-info"), /^page 2 of 250$/);

    // create with live validation messages from the core
    await page.click("#new-customer");
    await typeAndSettle(page, 'input[name="email"]', "not-an-email");
    assert.match(await problems(page), /email: value is not a valid email address/);
    await typeAndSettle(page, 'input[name="email"]', "grace.hopper@navy.example");
    await typeAndSettle(page, 'input[name="country"]', "US");
    await typeAndSettle(page, 'input[name="state"]', "ZZ");
    assert.match(await problems(page), /billing_address\.state: Invalid US state/);
    await typeAndSettle(page, 'input[name="country"]', "FR");
    await typeAndSettle(page, 'input[name="state"]', "");
    await typeAndSettle(page, 'input[name="taxId"]', "FR40303265046");
    assert.match(await problems(page), /tax_id: Invalid tax ID\./);
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])));
    await typeAndSettle(page, 'textarea[name="metadata"]', many);
    assert.match(await problems(page), /metadata: Dictionary should have at most 50 items/);
    await page.screenshot({ path: SHOTS + "demo-validation.png" });
    await typeAndSettle(page, 'textarea[name="metadata"]', '{"plan":"pro"}');
    await typeAndSettle(page, 'input[name="taxId"]', "FR40303265045");
    await typeAndSettle(page, 'input[name="name"]', "Grace Hopper");
    await typeAndSettle(page, 'input[name="externalId"]', "gh-1");
    assert.equal(await problems(page), "");
    await page.click("#save");
    await page.waitForSelector("#extra:not([hidden])");
    assert.equal(await page.textContent("#form-title"), "Grace Hopper");

    // edit: restricted fields explain themselves, with the core's messages
    assert.match(await page.textContent("#restricted"), /External ID is set/);
    await typeAndSettle(page, 'input[name="externalId"]', "gh-2");
    assert.match(await problems(page), /external_id: Customer external ID cannot be updated\./);
    await typeAndSettle(page, 'input[name="externalId"]', "gh-1");
    await page.selectOption('select[name="type"]', "team");
    await page.click("#save");
    await page.waitForTimeout(200);
    await page.selectOption('select[name="type"]', "individual");
    await page.waitForTimeout(200);
    assert.match(await problems(page), /type: Customer type cannot be downgraded/);

    // team members and roles
    await page.fill('#member-form input[name="email"]', "dev@navy.example");
    await page.click('#member-form button[type="submit"]');
    await page.waitForTimeout(200);
    assert.equal(await page.locator("#members li").count(), 2);
    await page.locator("#members li").nth(1).locator("select").selectOption("owner");
    await page.waitForTimeout(200);
    const roles = await page.locator("#members li select").evaluateAll((s) => s.map((x) => x.value));
    assert.deepEqual(roles.sort(), ["billing_manager", "owner"]);

    // state
    await page.click("#add-subscription");
    await page.waitForTimeout(200);
    assert.match(await page.textContent("#state"), /"amount": 1900/);
    await page.screenshot({ path: SHOTS + "demo-customer.png" });

    // the event log, signed
    const first = page.locator("#events details").first();
    await first.locator("summary").click();
    await page.waitForTimeout(200);
    assert.match(await first.textContent(), /webhook-signature: v1,/);

    // reload: everything is still there
    await page.reload();
    await page.waitForSelector("body[data-ready]", { timeout: 60000 });
    assert.equal(await count(page), 5001);
    await typeAndSettle(page, "#search", "grace");
    await page.click("#rows tr");
    await page.waitForTimeout(200);
    assert.match(await page.textContent("#state"), /"amount": 1900/);
    assert.equal(await page.locator("#members li").count(), 2);

    // delete and anonymize, before and after
    await page.click("#anonymize");
    await page.waitForSelector("#before-after:not([hidden])");
    assert.match(await page.textContent("#before"), /grace\.hopper@navy\.example/);
    const after = await page.textContent("#after");
    assert.match(after, /@anonymized\.invalid/);
    assert.doesNotMatch(after, /grace\.hopper|navy\.example/);
    assert.match(after, /"name": "Grace Hopper"/, "a customer with a tax ID is a business: its name is kept");
    await page.screenshot({ path: SHOTS + "demo-anonymized.png" });
    assert.doesNotMatch(await page.textContent("#events"), /grace\.hopper/, "the event log was redacted");
    assert.equal(await count(page), 0);

    // a phone-width screen
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: SHOTS + "demo-phone.png" });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (${overflow}px)`);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
