// Helpers of tests/web/e2e_coop.mjs (the arguments, the markers, the
// browsers, checks, axe-core, acting in the page). End-to-end tests of the cooperation pages (web/view_coop*.js,
// act_coop.js, coop_seal.js, httpsig.js) in Debian's Chromium, driven by
// playwright-core, against a real `pnyx serve` with the demo's
// cooperation log (tests/web_coop.sh starts it). Three members in three
// browsers (each its own profile, so its own IndexedDB): A registers its
// points of contact and sends B an incident notification holding a marker;
// B reads it decrypted, acknowledges and answers; A sees both; C sees
// neither. A data request without its legal basis is refused by the page.
// A request whose "ct" was altered before signing (built here, in node,
// with the page's own modules) shows the clear sentence. The secretariat
// starts a ping round; every member but one acknowledges (two in the
// browser, the rest with the same modules in node) and the dashboard
// lists exactly the silent one. Every API answer each browser received is
// recorded and searched for the markers.
// Usage: node e2e_coop.mjs BASE_URL SCREENSHOT_DIR DEMO_DIR A_CONTACT_KEY OUT_DIR
// (A_CONTACT_KEY: a contact key of member A made by `pnyx keygen
// --contact`; OUT_DIR: where the markers are written for the shell to grep
// the server's files.) Prints "ok N - ..." / "not ok N - ..." lines;
// exits 1 if any check failed.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installX25519Shim } from './x25519_shim.mjs';

const [base, shots, demo, aContactKey, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node e2e_coop.mjs BASE_URL SCREENSHOT_DIR DEMO_DIR A_CONTACT_KEY OUT_DIR');
  process.exit(2);
}
await installX25519Shim();
const web = (f) => import(new URL(`../../web/${f}`, import.meta.url).href);
const K = await web('keys.js');
const S = await web('sign.js');
const CA = await web('coop_api.js');
const CS = await web('coop_seal.js');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const A = 'FRA'; // registers its contacts in the browser
const B = 'KEN'; // a demo member with contacts (demo/contacts/KEN.*.key)
const C = 'MEX'; // a third member with contacts
const SILENT = 'PAK';
const tag = Date.now().toString(36);
const MARKER = `MARKER-INCIDENT-${tag}`;
const ANSWER = `MARKER-ANSWER-${tag}`;
const TAMPER = `MARKER-TAMPER-${tag}`;
const NOT_AUTHENTIC = 'The encrypted message does not authenticate: it was changed, or it is not addressed to this key.';
writeFileSync(join(outDir, 'markers'), [MARKER, ANSWER, TAMPER].join('\n') + '\n');

let n = 0;
let failed = 0;
function check(cond, what, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else {
    failed++;
    console.log(`not ok ${n} - ${what}${detail ? ': ' + String(detail).slice(0, 600) : ''}`);
  }
}

const keyFile = (actor) => join(demo, 'keys', actor + '.key');
const contactFiles = (m) => ['cert', 'desk'].map((c) => join(demo, 'contacts', `${m}.${c}.key`));

// ---- browsers ----

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const profiles = [];
const answers = []; // [who, url, body] of every API answer a browser received

async function browser(who) {
  const profile = mkdtempSync(join(tmpdir(), 'pnyx-coop-e2e-'));
  profiles.push(profile);
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PNYX_CHROMIUM || '/usr/bin/chromium',
    headless: true, locale: 'en-US', viewport: { width: 1200, height: 900 }, args: ARGS,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.errors.push(m.text()); });
  page.on('response', async (r) => {
    if (!new URL(r.url()).pathname.startsWith('/v1/')) return;
    try { answers.push([who, r.url(), await r.text()]); } catch (e) { /* a body that went away */ }
  });
  await page.goto(base + '/#/forum');
  await settled(page);
  return { ctx, page };
}

async function settled(page) {
  await page.waitForFunction(() => {
    const m = document.getElementById('main');
    return m && !m.hasAttribute('aria-busy') && m.querySelector('h1');
  }, null, { timeout: 30000 });
}

async function go(page, hash) {
  await page.evaluate(() => { const h1 = document.querySelector('#main h1'); if (h1) h1.remove(); });
  await page.evaluate((h) => {
    if (window.location.hash === h) window.dispatchEvent(new CustomEvent('pnyx:refresh'));
    else window.location.hash = h;
  }, hash);
  await settled(page);
}

async function axe(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe-core: no serious or critical violation on ${name}`,
    bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(', ')}`).join('; '));
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, 'coop-' + name + '.png'), fullPage: false });
}

async function importKey(page, actor) {
  await go(page, '#/key');
  await page.setInputFiles('#key-file', keyFile(actor));
  await page.locator('form.key-import button[type=submit]').click();
  await page.waitForSelector('#key-done, #key-error', { timeout: 20000 });
  return page.locator('#key-owner').innerText().catch(() => '');
}

async function importContact(page, file) {
  await go(page, '#/cooperation');
  const before = await page.locator('#contact-keys li').count();
  await page.setInputFiles('#contact-file', file);
  await page.locator('#contact-file').locator('xpath=ancestor::form').locator('button[type=submit]').click();
  await page.waitForFunction((k) => document.querySelectorAll('#contact-keys li').length > k ||
    document.getElementById('contact-error'), before, { timeout: 20000 });
  await settled(page);
}

// Submits form name, checks the text shown for signing (expect: strings
// it holds, absent: strings it must not), signs and sends; returns the
// entry index the page reports.
async function act(page, name, fill, expect = [], absent = []) {
  const form = page.locator(`form.act[data-act="${name}"]`);
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
  const pre = page.locator('pre.to-sign');
  await pre.waitFor({ timeout: 20000 }).catch(() => {});
  const shown = await pre.innerText().catch(async () => 'nothing shown: ' + await page.locator('.act-out').innerText());
  check(shown.startsWith('pnyx-action v1\n{') && expect.every((x) => shown.includes(x)) && !absent.some((x) => shown.includes(x)),
    `${name}: the exact text to sign is shown, without the plaintext`, shown);
  await page.getByRole('button', { name: 'Sign and send' }).click();
  await page.waitForSelector('#coop-done, .act-msg.error', { timeout: 20000 });
  const msg = await page.locator('#coop-done, .act-msg.error').first().innerText();
  const m = /entry (\d+) of the cooperation log/.exec(msg);
  check(m !== null, `${name}: recorded, the page reports the entry`, msg);
  await settled(page);
  return m ? Number(m[1]) : -1;
}

export { base, shots, demo, aContactKey, A, B, C, SILENT, MARKER, ANSWER, TAMPER, NOT_AUTHENTIC, K, S, CA, CS,
  check, browser, go, axe, shot, importKey, importContact, act, settled, keyFile, contactFiles, answers };


// Closes every browser and removes their profiles; prints the last
// checks (no marker in any API answer) and exits.
export async function finish(browsers) {
  for (const b of browsers) await b.ctx.close().catch(() => {});
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
  const leaked = answers.filter(([, , body]) => [MARKER, ANSWER, TAMPER].some((m) => body.includes(m)));
  check(answers.length > 20 && leaked.length === 0, `no marker in any of the ${answers.length} API answers the browsers received`,
    leaked.map(([w, u]) => `${w} ${u}`).join(', '));
  console.log(`# ${n} checks, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
