// web/keys.js and web/sign.js in Debian's Chromium (playwright-core),
// on the origin of a real `pnyx serve` holding the demo forum (the two
// modules are served to the page by Playwright's routing, so this test
// needs nothing of the page itself): a member's key file imported into a
// non-extractable key kept in IndexedDB, found to be the member's; after a
// reload the kept key signs a consensus.join that the server accepts;
// forgetting the key empties the store. Run by tests/web_sign.sh when
// Chromium and playwright-core are there. Environment: WEB_SIGN_URL,
// WEB_SIGN_DEMO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const base = process.env.WEB_SIGN_URL;
const demo = process.env.WEB_SIGN_DEMO;
const web = fileURLToPath(new URL('../../web/', import.meta.url));
const skip = base && demo ? false : 'WEB_SIGN_URL and WEB_SIGN_DEMO are not set';

async function get(path) {
  const r = await fetch(base + path);
  assert.equal(r.status, 200, path);
  return r.json();
}

test('a key kept in IndexedDB signs after a reload, in Chromium', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(process.env.PNYX_TEST_TMP || '/tmp', 'chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    await ctx.route(`${base}/__sign_test/**`, (r) => {
      const name = new URL(r.request().url()).pathname.slice('/__sign_test/'.length);
      if (name === '') return r.fulfill({ body: '<!doctype html><html lang="en"><title>sign test</title></html>', contentType: 'text/html' });
      return r.fulfill({ body: readFileSync(join(web, name.replace(/[^a-z_.]/g, ''))), contentType: 'text/javascript' });
    });
    await page.goto(`${base}/__sign_test/`);
    const open = (await get('/v1/decisions?status=open')).items.find((d) => d.procedure === 'consensus');
    const member = (await get(`/v1/decisions/${open.id}`)).not_spoken[2];
    const keyText = readFileSync(join(demo, 'keys', `${member}.key`), 'utf8');

    const first = await page.evaluate(async (text) => {
      const K = await import('/__sign_test/keys.js');
      const k = await K.importKeyFile(text);
      const found = await K.findActor(k);
      const store = K.indexedDbStore('pnyx-sign-test');
      await K.saveKey(store, k, found && found.id);
      return { vkey: k.vkey, actor: found && found.id, extractable: k.privateKey.extractable, kept: (await K.listKeys(store)).length };
    }, keyText);
    assert.deepEqual({ actor: first.actor, extractable: first.extractable, kept: first.kept }, { actor: member, extractable: false, kept: 1 });

    await page.reload();
    const second = await page.evaluate(async ({ member, decision }) => {
      const K = await import('/__sign_test/keys.js');
      const S = await import('/__sign_test/sign.js');
      const store = K.indexedDbStore('pnyx-sign-test');
      const [rec] = await K.listKeys(store);
      const isKey = rec.privateKey instanceof CryptoKey && !rec.privateKey.extractable;
      const p = await S.prepareAction({ actor: rec.actor, type: 'consensus.join', fields: { decision } }, rec);
      const sent = await S.signAndSend(p.text, rec);
      let refused = null;
      try { await S.postAction(sent.note); } catch (e) { refused = { code: e.code, message: e.message }; }
      await K.forgetKey(store, rec.vkey);
      return { isKey, actor: rec.actor, member, index: sent.index, action: p.action, refused, left: (await K.listKeys(store)).length };
    }, { member, decision: open.id });
    assert.equal(second.isKey, true, 'IndexedDB gives back a non-extractable CryptoKey');
    assert.equal(second.actor, member);
    assert.equal(second.left, 0, 'forgotten');
    assert.equal(second.refused.code, 'seq-replayed');
    const acts = await get(`/v1/actors/${member}/actions?after=${second.index - 1}`);
    assert.deepEqual(acts.items[0].action, second.action);
    assert.equal((await get(`/v1/decisions/${open.id}`)).decision.positions[member].position, 'joined');
    t.diagnostic(`browser: ${member} joined ${open.id} with a key kept in IndexedDB, entry ${second.index}`);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
