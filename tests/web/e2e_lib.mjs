// What the browser tests of the page share (first used by
// tests/web/e2e_sessions.mjs): numbered checks printed as "ok N - ..." /
// "not ok N - ...", axe-core on the page as it is, waiting for a view to
// render, navigation, the language menu, importing a key file on "Your
// key", acting through a form of act.js (the text shown for signing
// checked, then signed and sent), and Debian's Chromium started with a
// fresh profile.
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const tally = { n: 0, failed: 0 };

// One numbered check, printed; detail is shown when it fails.
export function check(cond, what, detail) {
  tally.n++;
  if (cond) console.log(`ok ${tally.n} - ${what}`);
  else {
    tally.failed++;
    console.log(`not ok ${tally.n} - ${what}${detail ? ': ' + String(detail).slice(0, 600) : ''}`);
  }
}

// Prints the closing line and exits 1 if any check failed.
export function finish() {
  console.log(`${tally.n - tally.failed} passed, ${tally.failed} failed`);
  process.exit(tally.failed === 0 ? 0 : 1);
}

// axe-core on the page as it is: no serious or critical violation. (Loaded
// with evaluate, not a <script>: the page's Content-Security-Policy
// refuses inline scripts.)
export async function axe(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe-core: no serious or critical violation on ${name}`,
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(', ')}`).join('; '));
}

// Waits until the view has rendered (main no longer busy, a heading).
export async function settled(page) {
  await page.waitForFunction(() => {
    const m = document.getElementById('main');
    return m && !m.hasAttribute('aria-busy') && m.querySelector('h1');
  }, null, { timeout: 20000 });
}

// Drops the view's heading, so that settled() waits for the next view.
export const unsettle = (page) => page.evaluate(() => { const h1 = document.querySelector('#main h1'); if (h1) h1.remove(); });

// Goes to hash (or draws it again if the page is there) and waits.
export async function go(page, hash) {
  await unsettle(page);
  await page.evaluate((h) => {
    if (window.location.hash === h) window.dispatchEvent(new CustomEvent('pnyx:refresh'));
    else window.location.hash = h;
  }, hash);
  await settled(page);
}

// Chooses language l in the page's menu and waits for the view.
export async function switchLang(page, l) {
  await unsettle(page);
  await page.selectOption('#lang', l);
  await page.waitForFunction((x) => document.documentElement.lang === x, l);
  await settled(page);
}

// Imports keysDir/ID.key on "Your key" and checks it is named as id's.
export async function importKey(page, keysDir, id) {
  await go(page, '#/key');
  await page.setInputFiles('#key-file', join(keysDir, id + '.key'));
  await page.locator('form.key-import button[type=submit]').click();
  await page.waitForSelector('#key-done, #key-error', { timeout: 20000 });
  const owner = await page.locator('#key-owner').innerText().catch(() => '');
  check(owner.includes(id), `the key of ${id} is imported and named as ${id}'s`, owner);
}

// Submits the form data-act=name (after fill(form), if given), checks
// that the text shown for signing holds every string of expect, signs and
// sends, and returns the leaf index the page reports (-1 if none).
export async function act(page, name, fill, expect) {
  const msg = await signForm(page, name, fill, expect);
  const m = /entry (\d+)/.exec(msg);
  check(m !== null, `${name}: the page reports the leaf index`, msg);
  return m ? Number(m[1]) : -1;
}

// As act, for an action the server refuses: returns the text of the
// page's message, which must be an error.
export async function refused(page, name, fill, expect) {
  const msg = await signForm(page, name, fill, expect);
  check(await page.locator('.act-msg.error').count() === 1, `${name}: the page reports the refusal as an error`, msg);
  return msg;
}

async function signForm(page, name, fill, expect) {
  const form = page.locator(`form.act[data-act="${name}"]`);
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
  const pre = page.locator('pre.to-sign');
  await pre.waitFor({ timeout: 20000 });
  const shown = await pre.innerText();
  check(shown.startsWith('pnyx-action v1\n{') && expect.every((x) => shown.includes(x)),
    `${name}: the exact text to sign is shown before signing`, shown);
  await page.getByRole('button', { name: 'Sign and send' }).click();
  const msg = page.locator('.act-msg');
  await msg.waitFor({ timeout: 20000 });
  return msg.innerText();
}

// Debian's Chromium (PNYX_CHROMIUM or /usr/bin/chromium), headless, with
// a fresh profile: {page, errors (the page's console errors), quiet(on)
// (while on, the console's lines for refused HTTP requests are expected
// and not counted), close()}.
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'pnyx-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PNYX_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] || await browser.newPage();
  const errors = [];
  let hush = false;
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(hush && /Failed to load resource/.test(m.text()))) errors.push(m.text());
  });
  const close = async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, errors, quiet: (on) => { hush = on; }, close };
}
