// End-to-end tests of the cooperation pages in Debian's Chromium against a
// real server (tests/web_coop.sh starts it; the helpers and what is
// checked are described in e2e_coop_lib.mjs).
// Usage: node e2e_coop.mjs BASE_URL SCREENSHOT_DIR DEMO_DIR A_CONTACT_KEY OUT_DIR
import { mkdirSync, readFileSync } from 'node:fs';
import * as L from './e2e_coop_lib.mjs';

const { check, go, act, axe, shot, A, B, C, SILENT, MARKER, ANSWER, TAMPER, NOT_AUTHENTIC, K, CA, CS, base } = L;
const IOC = `192.0.2.1 ${MARKER}\n`; // an attachment
const text = (page, sel) => page.locator(sel).first().innerText({ timeout: 5000 }).catch(() => '');

async function register(pa) {
  const owner = await L.importKey(pa.page, A);
  check(owner.includes('France'), `A's key (${A}) is imported and named as France's`, owner);
  await L.importContact(pa.page, L.aContactKey);
  check((await text(pa.page, '#contact-keys')).includes('not in the directory yet'),
    'A\'s contact key (pnyx keygen --contact) is kept, not yet in the directory');
  await axe(pa.page, 'the cooperation page of a member without points of contact');
  await act(pa.page, 'poc', async (f) => {
    await f.locator('#poc-0-name').fill('CERT-FR duty officer (test)');
    await f.locator('#poc-0-email').fill('cert@fra.example');
    await f.locator('#poc-0-phone').fill('+33 1 00 00 00 00');
  }, ['"type":"poc.register"', '"contacts":[{', '"function":"technical"']);
  check((await text(pa.page, '#poc-current')).includes('CERT-FR duty officer'), 'A\'s points of contact are in the directory');
  check((await text(pa.page, '#contact-keys')).includes(`contact cert of ${A}`), 'A\'s contact key is recognised in the directory');
}

async function dataRequestRefused(pa) {
  const form = pa.page.locator('form.act[data-act="send"]');
  await form.locator('#coop-to').selectOption(B);
  await form.locator('#coop-kind').selectOption('data');
  await form.locator('#coop-text').fill('subscriber data, please');
  await form.locator('button[type=submit]').click();
  const msg = await text(pa.page, '.act-out .act-msg.error');
  check(msg.includes('legal basis') && (await pa.page.locator('pre.to-sign').count()) === 0,
    'a data request without legal basis, offence and need is refused by the page, nothing signed', msg);
}

async function send(pa) {
  const index = await act(pa.page, 'send', async (f) => {
    await f.locator('#coop-to').selectOption(B);
    await f.locator('#coop-kind').selectOption('incident');
    await f.locator('#coop-severity').selectOption('high');
    await f.locator('#coop-tlp').selectOption('AMBER');
    await f.locator('#coop-text').fill(`Ransomware at a grid operator, ${MARKER}; indicators follow.`);
    await f.locator('#coop-files').setInputFiles({ name: 'indicators.txt', mimeType: 'text/plain', buffer: Buffer.from(IOC) });
  }, ['"type":"request.send"', `"to":"${B}"`, '"kind":"incident"', '"sealed":{"ct":"'], [MARKER]);
  const row = A ? await text(pa.page, `#coop-outbox tr:has-text("${MARKER}")`) : '';
  const id = (/FRA:\d+/.exec(row) || [''])[0];
  check(id !== '', `A's outbox shows the request ${id}, decrypted with A's own contact key`, row);
  return { id, index };
}

async function readAndAnswer(pb, id) {
  await L.importKey(pb.page, B);
  for (const f of L.contactFiles(B)) await L.importContact(pb.page, f);
  await go(pb.page, '#/cooperation');
  const row = await text(pb.page, `#coop-inbox tr[data-request="${id}"]`);
  check(row.includes(MARKER) && row.includes('sent'), `B's inbox shows ${id} decrypted, status sent`, row);
  const demoRow = await text(pb.page, '#coop-inbox tr[data-request="BRN:2"]');
  check(demoRow.includes('Training exercise') && !demoRow.includes('does not authenticate'),
    'a body sealed by the C library (pnyx demo) opens in the browser', demoRow);
  await axe(pb.page, 'the inbox and outbox (English)');
  await shot(pb.page, 'inbox-en');
  await go(pb.page, '#/cooperation/requests/' + id);
  check((await text(pb.page, '#coop-steps')).includes(MARKER), 'B\'s request page shows the message decrypted');
  const [download] = await Promise.all([pb.page.waitForEvent('download'), pb.page.getByRole('link', { name: 'indicators.txt' }).click()]);
  const got = readFileSync(await download.path(), 'utf8');
  check(got === IOC, 'B downloads the attachment, decrypted, byte for byte', got);
  await keyboardAck(pb.page, id);
  await act(pb.page, 'answer', (f) => f.locator('#coop-answer').fill(`Indicators received; ${ANSWER}.`),
    ['"type":"request.answer"', `"request":"${id}"`], [ANSWER]);
  check((await text(pb.page, '#coop-status')).includes('answered'), 'the request is answered');
  await axe(pb.page, 'a request with its steps and forms');
  await shot(pb.page, 'request-en');
}

// The acknowledgement with the keyboard only: Tab to the button, Enter,
// Tab to "Sign and send", Enter.
async function keyboardAck(page, id) {
  await page.locator('#main h1').focus();
  let on = '';
  for (let i = 0; i < 80 && on !== 'Acknowledge receipt'; i++) {
    await page.keyboard.press('Tab');
    on = await page.evaluate(() => document.activeElement.textContent);
  }
  await page.keyboard.press('Enter');
  await page.locator('pre.to-sign').waitFor({ timeout: 20000 });
  const shown = await text(page, 'pre.to-sign');
  check(shown.includes('"type":"request.ack"') && shown.includes(`"request":"${id}"`),
    'keyboard: the acknowledgement is prepared from the keyboard and its text shown', shown);
  for (let i = 0; i < 10 && on !== 'Sign and send'; i++) {
    await page.keyboard.press('Tab');
    on = await page.evaluate(() => document.activeElement.textContent);
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('#coop-done, .act-msg.error', { timeout: 20000 });
  await L.settled(page);
  check((await text(page, '#coop-status')).includes('acknowledged'), 'keyboard: B acknowledged the request');
}

async function senderSeesBoth(pa, id) {
  await go(pa.page, '#/cooperation/requests/' + id);
  const steps = await text(pa.page, '#coop-steps');
  const types = await pa.page.locator('#coop-steps > li').evaluateAll((l) => l.map((x) => x.dataset.step));
  check(types.join(',') === 'request.send,request.ack,request.answer' && steps.includes(ANSWER),
    'A sees the acknowledgement and the answer, decrypted', `${types} ${steps}`);
  check(await pa.page.locator('#coop-steps > li .coop-proved').count() === 3,
    'each step is proved in the browser: inclusion in a signed checkpoint, signed by its author\'s key');
  // one bit of each proof changed on the way: nothing is shown
  const glob = '**/v1/cooperation/entries/*';
  await pa.page.route(glob, async (route) => {
    const r = await route.fetch();
    const j = await r.json();
    if (Array.isArray(j.proof) && j.proof.length) {
      const b = Buffer.from(j.proof[0], 'base64');
      b[5] ^= 0x10;
      j.proof[0] = b.toString('base64');
    }
    await route.fulfill({ response: r, json: j });
  });
  await go(pa.page, '#/cooperation/requests/' + id);
  const bad = await text(pa.page, '#coop-steps');
  check(await pa.page.locator('#coop-steps > li .coop-unproved').count() === 3 && bad.includes('Verification FAILED') && !bad.includes(MARKER),
    'a proof altered on the way: every step says verification failed, no content shown', bad);
  await pa.page.unroute(glob);
}

// A data request with its legal basis, offence and need; B declines it on
// grounds, with an explanation; A reads the refusal and closes it.
async function dataDeclined(pa, pb) {
  await go(pa.page, '#/cooperation');
  await act(pa.page, 'send', async (f) => {
    await f.locator('#coop-to').selectOption(B);
    await f.locator('#coop-kind').selectOption('data');
    await f.locator('#coop-legal').fill('Budapest Convention, article 31');
    await f.locator('#coop-offence').fill(`Fraud, ${MARKER}`);
    await f.locator('#coop-need').fill('To identify the account holder');
    await f.locator('#coop-text').fill('Subscriber data of one account, please.');
  }, ['"kind":"data"', '"legal_basis":"Budapest Convention, article 31"'], [MARKER, 'To identify']);
  const id = (/FRA:\d+/.exec(await text(pa.page, '#coop-outbox tr:has-text("Subscriber data of one account")')) || [''])[0];
  await go(pb.page, '#/cooperation/requests/' + id);
  check((await text(pb.page, '#coop-steps')).includes('To identify the account holder'), 'B reads the offence and the need of the data request');
  await act(pb.page, 'decline', async (f) => {
    await f.locator('#coop-grounds').selectOption('not-in-jurisdiction');
    await f.locator('#coop-why').fill(`The account is held abroad; ${ANSWER}.`);
  }, ['"type":"request.decline"', '"grounds":"not-in-jurisdiction"', '"sealed":{'], [ANSWER]);
  await go(pa.page, '#/cooperation/requests/' + id);
  const steps = await text(pa.page, '#coop-steps');
  check((await text(pa.page, '#coop-status')).includes('declined') && steps.includes('not in the jurisdiction') && steps.includes(ANSWER),
    'A sees the refusal, its grounds and its explanation decrypted', steps);
  await act(pa.page, 'close', null, ['"type":"request.close"', `"request":"${id}"`]);
  check((await text(pa.page, '#coop-status')).includes('closed'), 'A closes the request');
}

async function thirdSeesNothing(pc, id, index) {
  await L.importKey(pc.page, C);
  for (const f of L.contactFiles(C)) await L.importContact(pc.page, f);
  await go(pc.page, '#/cooperation');
  const body = await text(pc.page, '#main');
  check(!body.includes(id + ' ') && !body.includes(MARKER) && !body.includes(ANSWER) &&
    (await pc.page.locator(`tr[data-request="${id}"]`).count()) === 0, `a third member (${C}) sees neither the request nor its content`);
  await go(pc.page, '#/cooperation/requests/' + id);
  check((await text(pc.page, '#main')).includes(`No request ${id} concerns you`), 'its request page says no such request concerns it');
  const got = await pc.page.evaluate(async ([i, who]) => {
    const { coopGet } = await import('/web/coop_api.js');
    const { currentKey } = await import('/web/act.js');
    try { await coopGet('/v1/cooperation/entries/' + i, await currentKey(), who); return 'read'; } catch (e) { return `${e.status} ${e.code}`; }
  }, [index, C]);
  check(got === '404 not-found', `the server refuses ${C} the request's entry (signed GET)`, got);
}

// A request.send from A whose "ct" was altered before signing, built in
// node with the page's modules; B's page must refuse to show it.
async function tampered() {
  const key = await K.importKeyFile(readFileSync(L.keyFile(A)));
  const opts = { base };
  const me = await CA.coopMe(key, A, opts);
  const dir = await CA.coopGet('/v1/cooperation/directory', key, A, opts);
  const env = { forum: me.forum, actor: A, seq: me.seq, type: 'request.send' };
  const sealed = await CS.seal({ text: TAMPER, attachments: [] }, CA.recipientsOf(dir.items, B, A), env);
  const ct = K.base64Decode(sealed.ct);
  ct[3] ^= 0x01;
  sealed.ct = K.base64Encode(ct);
  const action = CA.buildCoopAction({ ...env, fields: { to: B, kind: 'incident', severity: 'low', tlp: 'GREEN', sealed } });
  const r = await CA.signAndSendCoop((await import('../../web/sign.js')).actionText(action), key, opts);
  check(r.index > 0, 'the server records a request whose ciphertext was altered before signing (it cannot read it)');
  return `${A}:${me.seq}`;
}

async function tamperShown(pb, id) {
  await go(pb.page, '#/cooperation');
  const row = await text(pb.page, `#coop-inbox tr[data-request="${id}"] .coop-error`);
  check(row === NOT_AUTHENTIC, 'B\'s inbox shows the altered request with the clear sentence', row);
  await go(pb.page, '#/cooperation/requests/' + id);
  check((await text(pb.page, '#coop-steps .coop-error')) === NOT_AUTHENTIC, 'and so does its request page');
  await shot(pb.page, 'tampered-en');
}

async function arabic(pb) {
  await pb.page.locator('#lang').selectOption('ar');
  await go(pb.page, '#/cooperation');
  const dir = await pb.page.evaluate(() => document.documentElement.dir);
  check(dir === 'rtl' && (await text(pb.page, '#coop-inbox caption')) === 'البريد الوارد', 'Arabic: right to left, the inbox translated');
  await axe(pb.page, 'the cooperation page in Arabic');
  await shot(pb.page, 'inbox-ar');
  await pb.page.locator('#lang').selectOption('en');
  await L.settled(pb.page);
  const bad = await pb.page.evaluate(async () => {
    const { table, LANGS } = await import('/web/i18n.js');
    await import('/web/i18n_coop.js');
    const { COOP_MESSAGES } = await import('/web/coop_seal.js');
    const rows = Object.entries(table()).filter(([, r]) => r.length !== LANGS.length || r.some((s) => typeof s !== 'string' || !s.trim()));
    const missing = Object.entries(COOP_MESSAGES).filter(([c, en]) => !table()['coop_err_' + c] || table()['coop_err_' + c][1] !== en);
    return rows.map(([k]) => k).concat(missing.map(([c]) => 'coop_err_' + c));
  });
  check(bad.length === 0, 'every cooperation string and refusal exists in the six languages', bad.join(', '));
}

async function figures(pc) {
  await go(pc.page, '#/cooperation/figures');
  const t = await text(pc.page, '#fig-per-member');
  check(t.includes('France (FRA)') && t.includes('Kenya (KEN)'), 'the public figures list A and B per member', t.slice(0, 300));
  await axe(pc.page, 'the public figures');
  await shot(pc.page, 'figures-en');
}

// Every member with contacts in the round acknowledges except SILENT: A
// and B in their browsers, the others in node with the page's modules.
async function pings(ps, pa, pb) {
  await go(ps.page, '#/cooperation');
  check((await ps.page.locator('#fig-per-member').count()) === 1 && (await ps.page.locator('#coop-import-key a').count()) === 1,
    'without a key, the cooperation page shows the public figures and how to take part');
  const owner = await L.importKey(ps.page, 'secretariat');
  check(owner.includes('secretariat'), 'the secretariat\'s key is imported', owner);
  await go(ps.page, '#/cooperation/pings');
  const round = await ps.page.locator('#ping-round').inputValue();
  await act(ps.page, 'ping-start', null, ['"type":"ping.start"', `"round":"${round}"`]);
  const sk = await K.importKeyFile(readFileSync(L.keyFile('secretariat')));
  const items = (await CA.coopGet('/v1/cooperation/pings', sk, 'secretariat', { base })).items;
  const r = items.find((x) => x.round === round);
  for (const [m, contacts] of Object.entries(r.contacts)) {
    if ([A, B, SILENT].includes(m)) continue;
    const key = await K.importKeyFile(readFileSync(L.keyFile(m)));
    for (const c of contacts) {
      const p = await CA.prepareCoop({ actor: m, type: 'ping.ack', fields: { round, contact: c } }, key, { base });
      await CA.signAndSendCoop(p.text, key, { base });
    }
  }
  for (const p of [pa, pb]) {
    await go(p.page, '#/cooperation');
    while (await p.page.locator(`form.act[data-act^="ping-${round}-"]`).count() > 0) {
      const name = await p.page.locator(`form.act[data-act^="ping-${round}-"]`).first().getAttribute('data-act');
      await act(p.page, name, null, ['"type":"ping.ack"', `"round":"${round}"`]);
    }
  }
  await go(ps.page, '#/cooperation/pings');
  const notAnswered = await ps.page.locator(`section[data-round="${round}"] tr[data-result]`).evaluateAll(
    (rows) => rows.filter((x) => x.dataset.result !== 'answered').map((x) => x.dataset.member));
  check(notAnswered.join(',') === SILENT, `the dashboard lists exactly the member that stayed silent (${SILENT})`, notAnswered.join(','));
  check((await text(ps.page, `section[data-round="${round}"] .ping-silent`)).includes('Pakistan'), 'and names it');
  await axe(ps.page, 'the ping dashboard');
  await shot(ps.page, 'pings-en');
}

mkdirSync(L.shots, { recursive: true });
const open = [];
try {
  const pa = await L.browser('A');
  const pb = await L.browser('B');
  open.push(pa, pb);
  await register(pa);
  await go(pa.page, '#/cooperation');
  await dataRequestRefused(pa);
  const { id, index } = await send(pa);
  await readAndAnswer(pb, id);
  await senderSeesBoth(pa, id);
  await dataDeclined(pa, pb);
  const pc = await L.browser('C');
  open.push(pc);
  await thirdSeesNothing(pc, id, index);
  await tamperShown(pb, await tampered());
  await arabic(pb);
  await figures(pc);
  const ps = await L.browser('secretariat');
  open.push(ps);
  await pings(ps, pa, pb);
  for (const [i, b] of open.entries()) check(b.page.errors.length === 0, `no error in browser ${i + 1}'s console`, b.page.errors.join('; '));
} catch (e) {
  check(false, 'the scenario ran to its end', e && e.stack ? e.stack : String(e));
}
await L.finish(open);
