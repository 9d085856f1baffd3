// End-to-end tests of the web page (web/) in Debian's Chromium, driven by
// playwright-core, against a real `pnyx serve` (tests/web_e2e.sh starts it).
// Usage: node e2e.mjs BASE_URL SCREENSHOT_DIR KEYS_DIR SILENCE_ID
// (KEYS_DIR: the demo's key files, demo/keys/<ACTOR>.key; SILENCE_ID: an
// open silence procedure nobody has spoken on; PNYX: the CLI, for
// `pnyx keygen` of a forged key.)
// Prints one "ok N - ..." or "not ok N - ..." line per check and exits 1 if
// any check failed.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, check, finish, go, settled, unsettle } from './e2e_lib.mjs';

const base = process.argv[2];
const shots = process.argv[3];
const keysDir = process.argv[4];
const silenceId = process.argv[5];
if (!base || !shots || !keysDir || !silenceId) {
  console.error('usage: node e2e.mjs BASE_URL SCREENSHOT_DIR KEYS_DIR SILENCE_ID');
  process.exit(2);
}
let quiet = false; // while true, HTTP refusals in the console are expected
const BUDGET = 150 * 1024; // bytes the first view may transfer

async function api(path) {
  const r = await fetch(base + path);
  return r.json();
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: false });
}

const text = (page, sel) => page.locator(sel).first().innerText();

// The page's Content-Security-Policy: no inline script runs, and the page
// itself breaks none of its rules (a violation would be in the console).
async function csp(page) {
  const blocked = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.append(s);
    setTimeout(() => resolve(false), 2000);
  }));
  check(blocked && !(await page.evaluate(() => window.__injected === true)),
    'the Content-Security-Policy refuses an injected inline script');
}

async function firstView(page) {
  let bytes = 0;
  const pending = [];
  page.on('requestfinished', (req) => {
    pending.push(req.sizes().then((s) => { bytes += s.responseBodySize + s.responseHeadersSize; }));
  });
  await page.goto(base + '/', { waitUntil: 'networkidle' });
  await settled(page);
  await Promise.all(pending);
  page.removeAllListeners('requestfinished');
  check(bytes > 0 && bytes < BUDGET, `the first view transfers ${bytes} bytes, under ${BUDGET}`);
  return bytes;
}

async function forumView(page, forum) {
  const h1 = await text(page, 'h1');
  check(h1 === forum.forum.title, 'the forum view shows the forum title', h1);
  const notice = page.locator('#notice');
  check(await notice.isVisible(), 'the training notice is shown');
  check((await notice.innerText()).includes('Training simulation'), 'the notice says it is a training simulation');
  check(await page.locator('section[aria-labelledby="rules"] dd').count() >= 6, 'the rules of procedure are listed');
  await page.locator('summary').first().click(); // open the members table
  const rows = await page.locator('table.members tbody tr').count();
  check(rows === forum.counts.members, `every member is listed (${rows})`);
  check((await page.locator('table.members').innerText()).includes('France'), 'member names are in English');
  check((await page.locator('#stakeholders').locator('..').innerText()).includes('Objection by Dominica'),
    'the objection to a stakeholder names the member');
  check(await page.locator('a[href^="#/documents/"]').count() >= 1, 'the documents are linked');
  await axe(page, 'the forum');
}

async function documentView(page, doc) {
  await unsettle(page);
  await page.locator(`a[href="#/documents/${doc.id}"]`).first().click();
  await settled(page);
  const paras = await page.locator('ol.paragraphs > li').count();
  check(paras > 0, `the document shows its paragraphs (${paras})`);
  const am = page.locator('li.amendment');
  check(await am.count() >= 1, 'the document shows amendments on paragraphs');
  check(/Sponsor/.test(await am.first().innerText()), 'an amendment names its sponsor');
  check(await page.locator('#revisions').count() === 1, 'the revisions are listed');
  await axe(page, 'a document');
}

async function diffView(page, doc) {
  await page.selectOption('#diff-from', String(doc.revisions - 1));
  await page.selectOption('#diff-to', String(doc.revisions));
  await unsettle(page);
  await page.getByRole('button').first().click();
  await page.waitForFunction(() => window.location.hash.includes('/diff?'));
  await settled(page);
  check((await text(page, 'h1')).includes(`Rev.${doc.revisions - 1}`), 'the difference view names the revisions');
  const changed = await page.locator('table.diff tr.ch-changed, table.diff tr.ch-added, table.diff tr.ch-removed').count();
  check(changed >= 1, `the difference shows changed paragraphs (${changed})`);
  check(await page.locator('table.diff ins').count() >= 1, 'the new text is marked as inserted');
  await axe(page, 'the difference of two revisions');
}

async function decisionView(page, dec, total) {
  await go(page, '#/decisions/' + dec.decision.id);
  const rows = await page.locator('table.board tbody tr').count();
  check(rows === total, `the board lists every member (${rows} of ${total})`);
  const [code, pos] = Object.entries(dec.decision.positions).find(([, p]) => p.position === 'objected');
  const row = await page.locator(`tr[data-member="${code}"]`).innerText();
  check(row.includes('objected'), `the board shows ${code}'s objection`, row);
  const silent = dec.not_spoken[0];
  check((await page.locator(`tr[data-member="${silent}"]`).innerText()).includes('not yet spoken'),
    `the board shows that ${silent} has not yet spoken`);
  check(pos.reason ? row.includes(pos.reason.en) : true, 'the board shows the reason of the objection');
  check((await page.locator('#explanations').locator('..').innerText()).length > 0, 'the explanations are shown');
  await axe(page, 'a decision');
}

async function commitmentsView(page) {
  await go(page, '#/commitments');
  check(await page.locator('main table').count() >= 1, 'the commitments are listed');
  await axe(page, 'the commitments');
}

const views = (doc, dec) => [
  ['forum', '#/forum'],
  ['document', '#/documents/' + doc.id],
  ['diff', `#/documents/${doc.id}/diff?from=${doc.revisions - 1}&to=${doc.revisions}`],
  ['decision', '#/decisions/' + dec.decision.id],
  ['commitments', '#/commitments'],
];

async function switchLang(page, lang) {
  await page.selectOption('#lang', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await settled(page);
}

async function languages(page, doc, dec) {
  for (const [name, hash] of views(doc, dec)) {
    await go(page, hash);
    await shot(page, `${name}-en`);
  }
  await go(page, '#/decisions/' + dec.decision.id);
  await switchLang(page, 'ar');
  check(await page.evaluate(() => document.documentElement.dir) === 'rtl', 'Arabic: <html dir="rtl">');
  check((await text(page, '#nav')).includes('المنتدى'), 'Arabic: the interface is translated');
  check((await page.locator('tr[data-member="FRA"]').innerText()).includes('فرنسا'), 'Arabic: member names from the server are in Arabic');
  check((await text(page, '#notice')).includes('محاكاة تدريبية'), 'Arabic: the notice is translated');
  for (const [name, hash] of views(doc, dec)) {
    await go(page, hash);
    if (name === 'forum') await page.locator('summary').first().click();
    await axe(page, `${name} in Arabic`);
    await shot(page, `${name}-ar`);
  }
  await go(page, '#/decisions/' + dec.decision.id);
  await switchLang(page, 'zh');
  check(await page.evaluate(() => document.documentElement.dir) === 'ltr', 'Chinese: left to right');
  check((await page.locator('tr[data-member="FRA"]').innerText()).includes('法国'), 'Chinese: member names in Chinese');
  await page.reload();
  await settled(page);
  check(await page.evaluate(() => document.documentElement.lang) === 'zh', 'the language choice persists across a reload');
  check((await text(page, '#nav')).includes('论坛'), 'Chinese: the interface is translated after the reload');
  await switchLang(page, 'en');
  check((await page.locator('tr[data-member="FRA"]').innerText()).includes('France'), 'back to English: member names in English');
  check((await text(page, '#nav')).includes('Forum'), 'back to English: the interface is in English');
}

async function strings(page) {
  const bad = await page.evaluate(async () => {
    const { table, LANGS } = await import('/web/i18n.js');
    await import('/web/i18n_act.js'); // the strings of acting (and i18n_msg.js), loaded lazily
    return Object.entries(table()).filter(([, row]) =>
      row.length !== LANGS.length || row.some((s) => typeof s !== 'string' || s.trim() === '')).map(([k]) => k);
  });
  check(bad.length === 0, 'every interface string exists in the six languages', bad.join(', '));
  const untranslated = await page.evaluate(async () => {
    const { table } = await import('/web/i18n.js');
    const { KEY_MESSAGES } = await import('/web/keys.js');
    const { SIGN_MESSAGES, PROBLEM_MESSAGES } = await import('/web/sign.js');
    const tables = [['key_', KEY_MESSAGES], ['sign_', SIGN_MESSAGES], ['prob_', PROBLEM_MESSAGES]];
    return tables.flatMap(([pre, tab]) => Object.entries(tab)
      .filter(([c, en]) => !table()[pre + c] || table()[pre + c][1] !== en).map(([c]) => pre + c));
  });
  check(untranslated.length === 0, 'every sentence of keys.js and sign.js has its row in the six languages',
    untranslated.join(', '));
}

// ---- acting as a member (act.js, view_key.js) ----

async function importKey(page, file) {
  await go(page, '#/key');
  await page.setInputFiles('#key-file', file);
  await page.locator('form.key-import button[type=submit]').click();
  await page.waitForSelector('#key-done, #key-error', { timeout: 20000 });
  return page.locator('#key-owner').innerText().catch(() => '');
}

// Submits the action form name on the decision view, checks the text shown
// for signing, confirms, and returns the leaf index the page reports.
async function act(page, name, fill, expect) {
  const form = page.locator(`form.act[data-act="${name}"]`);
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
  const pre = page.locator('pre.to-sign');
  await pre.waitFor({ timeout: 20000 });
  const shown = await pre.innerText();
  check(shown.startsWith('pnyx-action v1\n{') && expect.every((x) => shown.includes(x)),
    `${name}: the exact text to sign is shown before signing`, shown);
  if (name === 'object') {
    await axe(page, 'the text shown for signing');
    await pre.scrollIntoViewIfNeeded();
    await shot(page, 'confirm-en');
  }
  await page.getByRole('button', { name: 'Sign and send' }).click();
  const msg = page.locator('.act-msg');
  await msg.waitFor({ timeout: 20000 });
  const m = /entry (\d+)/.exec(await msg.innerText());
  check(m !== null, `${name}: the page reports the leaf index`, await msg.innerText());
  return m ? Number(m[1]) : -1;
}

// The actions of member code on the decision, from the server's log.
async function onDecision(code, dec) {
  const log = await api(`/v1/actors/${code}/actions?limit=1000`);
  return log.items.filter((x) => x.action && x.action.decision === dec.decision.id);
}

const row = (page, code) => page.locator(`tr[data-member="${code}"]`).innerText();

async function memberActs(page, dec, code, names) {
  const owner = await importKey(page, join(keysDir, code + '.key'));
  check(owner.includes(code) && owner.includes(names.get(code)), `the key panel says the key is ${code}'s`, owner);
  await axe(page, 'the key panel');
  await shot(page, 'key-en');
  await go(page, '#/decisions/' + dec.decision.id);
  check(await page.locator('form.act').count() >= 3, 'a member key sees the decision controls');
  // Cancel: nothing is signed or sent.
  const before = (await onDecision(code, dec)).length;
  const ex = page.locator('form.act[data-act="explain"]');
  await ex.locator('textarea').fill('An explanation that is never sent.');
  await ex.locator('button[type=submit]').click();
  await page.locator('pre.to-sign').waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  check(await page.evaluate(() => document.activeElement.textContent.includes('Nothing was signed'))
    && await page.locator('pre.to-sign').count() === 0 && (await onDecision(code, dec)).length === before,
  'Cancel signs and sends nothing, and says so');
  const reason = 'The e2e test objects: paragraph p2 needs work.';
  const i1 = await act(page, 'object', (f) => f.locator('textarea').fill(reason),
    [`"actor":"${code}"`, '"type":"consensus.object"', reason]);
  check((await row(page, code)).includes('objected') && (await row(page, code)).includes(reason),
    `the board shows ${code}'s objection after signing`, await row(page, code));
  await axe(page, 'the decision controls');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'act-en');
  const i2 = await act(page, 'withdraw', null, ['"type":"consensus.withdraw_objection"']);
  check((await row(page, code)).includes('withdrew its objection'), 'the board shows the withdrawal');
  const i3 = await act(page, 'join', null, ['"type":"consensus.join"']);
  check((await row(page, code)).includes('joined'), 'the board shows the join');
  await switchLang(page, 'ar');
  check((await page.locator('.act-panel h2').innerText()).includes('التصرف باسم'), 'Arabic: the decision controls are translated');
  await axe(page, 'the decision controls in Arabic');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'act-ar');
  await go(page, '#/key');
  await axe(page, 'the key panel in Arabic');
  await shot(page, 'key-ar');
  await switchLang(page, 'en');
  const got = (await onDecision(code, dec)).map((x) => [x.index, x.action.type]);
  check(JSON.stringify(got) === JSON.stringify([[i1, 'consensus.object'], [i2, 'consensus.withdraw_objection'],
    [i3, 'consensus.join']]), 'the server\'s log shows the three signed actions at the leaves the page reported',
  JSON.stringify(got));
  return i3;
}

async function stakeholderSees(page, dec) {
  const owner = await importKey(page, join(keysDir, 'sh.rights.key'));
  check(owner.includes('sh.rights') && owner.includes('stakeholder'), 'the key panel says the key is a stakeholder\'s', owner);
  await go(page, '#/decisions/' + dec.decision.id);
  check(await page.locator('form.act').count() === 0, 'a stakeholder key sees no decision controls');
  check((await page.locator('.act-panel').innerText()).includes('not a member'), 'the page says why');
}

// A key named for a member that is not the member's key.
async function forged(page, dec, code, tmp) {
  const file = join(tmp, 'forged.key');
  execFileSync(process.env.PNYX, ['keygen', 'pnyx.demo/' + code, '-o', file], { stdio: 'ignore' });
  const owner = await importKey(page, file);
  check(owner.includes('not an active key'), 'the key panel warns that a forged key is nobody\'s', owner);
  await go(page, '#/decisions/' + dec.decision.id);
  await page.locator('form.act[data-act="join"] button[type=submit]').click();
  const alert = page.locator('.act-msg[role=alert]');
  await alert.waitFor({ timeout: 20000 });
  check((await alert.innerText()).includes('not an active key of that member'), 'the page refuses to sign with it, in plain words',
    await alert.innerText());
  // The same attempt past the page's own check (the actor's key list
  // rewritten on the way): the server refuses it.
  await page.route(`**/v1/actors/${code}`, async (route) => {
    const resp = await route.fetch();
    const body = await resp.json();
    const kept = await page.evaluate(async () => (await import('/web/act.js')).currentKey().then((k) => k.vkey));
    body.actor.keys.push({ key: kept, revoked_ms: null });
    await route.fulfill({ response: resp, json: body });
  });
  await go(page, '#/forum');
  await go(page, '#/decisions/' + dec.decision.id);
  await page.locator('form.act[data-act="join"] button[type=submit]').click();
  await page.locator('pre.to-sign').waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Sign and send' }).click();
  await page.locator('.act-msg[role=alert]').waitFor({ timeout: 20000 });
  const said = await page.locator('.act-msg[role=alert]').innerText();
  check(said.includes('This key is not an active key of the member or stakeholder named in the action'),
    'the server refuses the forged action and the page says so in plain words', said);
  await page.unroute(`**/v1/actors/${code}`);
  check((await onDecision(code, dec)).length === 0, `nothing was recorded for ${code}`);
  await go(page, '#/key');
  await page.locator('#key-forget').click();
  await page.waitForSelector('#key-none');
  check(true, 'the key is forgotten');
}

async function acting(page, dec, doc, tmp) {
  const names = new Map((await api('/v1/members?lang=en&limit=1000')).items.map((m) => [m.code, m.name]));
  const silent = dec.not_spoken.filter((c) => existsSync(join(keysDir, c + '.key')));
  const joined = await memberActs(page, dec, silent[0], names);
  await stakeholderSees(page, dec);
  await forged(page, dec, silent[1], tmp);
  await voting(page, dec, silent[0]);
  await silenceActs(page, silent[0]);
  await documentActs(page, doc, silent[0]);
  await commitActs(page, silent[0]);
  return joined;
}

// Signs, after the text was shown, the action a button starts.
async function confirmButton(page, sel) {
  await page.locator(sel).first().click();
  await page.locator('pre.to-sign').waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Sign and send' }).click();
  await page.locator('.act-msg').waitFor({ timeout: 20000 });
  return page.locator('.act-msg').innerText();
}

// Commitments: subscribe to a norm, report on it, withdraw.
async function commitActs(page, code) {
  await importKey(page, join(keysDir, code + '.key'));
  await go(page, '#/commitments');
  const norm = await page.locator('button[data-subscribe]').first().getAttribute('data-subscribe');
  const said = await confirmButton(page, `button[data-subscribe="${norm}"]`);
  const mine = async () => {
    const it = (await api('/v1/commitments')).items.find((x) => (x.norms[norm] || {})[code]);
    return it ? it.norms[norm][code] : null;
  };
  check(said.includes('Recorded') && (await mine()).status === 'subscribed', `${code} subscribes to ${norm} from the page`, said);
  const report = 'The e2e test reports progress.';
  await act(page, 'report-' + norm, async (f) => {
    await f.locator('select').selectOption('in-progress');
    await f.locator('textarea').fill(report);
  }, ['"type":"report.file"', '"status":"in-progress"', report]);
  const rp = ((await mine()).reports || []).at(-1);
  check(rp && rp.status === 'in-progress' && rp.text.en === report, 'the implementation report is on the record');
  await axe(page, 'the commitments controls');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'act-commitments-en');
  await confirmButton(page, `button[data-withdraw-norm="${norm}"]`);
  check((await mine()).status === 'withdrawn', 'the commitment is withdrawn from the page');
  await stakeholderObjection(page, code);
}

// On the forum view: object to a pending stakeholder, then withdraw.
async function stakeholderObjection(page, code) {
  await go(page, '#/forum');
  const form = page.locator('form.act[data-act^="sh-object-"]').first();
  const sh = (await form.getAttribute('data-act')).slice('sh-object-'.length);
  const reason = 'The e2e test doubts the relevance of this organisation.';
  await act(page, 'sh-object-' + sh, (f) => f.locator('textarea').fill(reason),
    ['"type":"stakeholder.object"', `"stakeholder":"${sh}"`, reason]);
  const standing = async () => ((await api('/v1/stakeholders/' + sh)).stakeholder.objections || [])
    .filter((o) => o.member === code && o.withdrawn_ms == null).length;
  check(await standing() === 1, `${code}'s objection to ${sh} is on the record`);
  await axe(page, 'the forum controls');
  await confirmButton(page, `button[data-sh-withdraw="${sh}"]`);
  check(await standing() === 0, `${code} withdraws its objection to ${sh} from the page`);
}

// On a document: table an amendment, co-sponsor another, withdraw one's
// own, submit an input; a stakeholder submits an input.
async function documentActs(page, doc, code) {
  await go(page, '#/documents/' + doc.id);
  const text = 'The e2e test proposes this text for the first paragraph.';
  const id = await page.locator('#am-id').inputValue();
  await act(page, 'table', (f) => f.locator('#am-text').fill(text),
    ['"type":"amendment.table"', `"id":"${id}"`, `"actor":"${code}"`, text]);
  check((await page.locator('ol.paragraphs').innerText()).includes(text), 'the tabled amendment shows on its paragraph');
  await axe(page, 'the document controls');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'act-document-en');
  const other = page.locator('button[data-cosponsor]').first();
  if (await other.count() > 0) {
    const aid = await other.getAttribute('data-cosponsor');
    await other.click();
    await page.locator('pre.to-sign').waitFor({ timeout: 20000 });
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await page.locator('.act-msg[role=status]').waitFor({ timeout: 20000 });
    const am = (await api('/v1/documents/' + doc.id)).document.amendments[aid];
    check(am.cosponsors.some((c) => c.member === code), `${code} co-sponsors ${aid} from the page`);
  }
  await page.locator(`button[data-withdraw="${id}"]`).click();
  await page.locator('pre.to-sign').waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Sign and send' }).click();
  await page.locator('.act-msg[role=status]').waitFor({ timeout: 20000 });
  check((await api('/v1/documents/' + doc.id)).document.amendments[id].status === 'withdrawn', 'the sponsor withdraws it from the page');
  const input = 'The e2e test submits this input.';
  await act(page, 'input', (f) => f.locator('#in-text').fill(input), ['"type":"input.submit"', input]);
  check((await page.locator('#inputs').locator('..').innerText()).includes(input), 'the member\'s input shows on the document');
  const accredited = (await api('/v1/stakeholders')).items.find((x) => x.status === 'accredited'
    && existsSync(join(keysDir, x.id + '.key')));
  await importKey(page, join(keysDir, accredited.id + '.key'));
  await go(page, '#/documents/' + doc.id);
  check(await page.locator('form.act[data-act="table"]').count() === 0, 'a stakeholder key cannot table amendments');
  const sh = 'A stakeholder input sent by the e2e test.';
  await act(page, 'input', (f) => f.locator('#in-text').fill(sh), [`"actor":"${accredited.id}"`, sh]);
  check((await page.locator('#inputs').locator('..').innerText()).includes(sh), 'the stakeholder\'s input shows on the document');
}

// A recorded vote asked for from the page, then a vote cast.
async function voting(page, dec, code) {
  await importKey(page, join(keysDir, code + '.key'));
  await go(page, '#/decisions/' + dec.decision.id);
  await act(page, 'request-vote', null, ['"type":"vote.request"']);
  check(await page.locator('form.act[data-act="vote"]').count() === 1
    && await page.locator('form.act[data-act="join"]').count() === 0, 'after the request, the controls are those of a vote');
  await act(page, 'vote', (f) => f.locator('#vote-yes').check(), ['"type":"vote.cast"', '"vote":"yes"']);
  check((await row(page, code)).includes('voted yes'), 'the board shows the vote', await row(page, code));
  await axe(page, 'the vote controls');
}

// On the silence procedure: break silence with a reason (which closes it),
// then explain the position after the decision.
async function silenceActs(page, code) {
  await importKey(page, join(keysDir, code + '.key'));
  await go(page, '#/decisions/' + silenceId);
  const reason = 'The e2e test breaks silence: the capital needs more time.';
  await act(page, 'break', (f) => f.locator('textarea').fill(reason),
    [`"actor":"${code}"`, '"type":"silence.break"', `"decision":"${silenceId}"`, reason]);
  const r = await row(page, code);
  check(r.includes('broke silence') && r.includes(reason), `the board shows that ${code} broke silence, with the reason`, r);
  const main = await text(page, '#main');
  check(main.includes('not adopted: the silence was broken') && main.includes(`silence broken by ${code}`),
    'the outcome says the silence was broken, and by whom', main.slice(0, 600));
  const d = (await api('/v1/decisions/' + silenceId)).decision;
  check(d.status === 'not-adopted' && d.outcome_code === 'silence-broken' && d.closed_by === code,
    `the server says ${silenceId} is not adopted: silence broken by ${code}`, JSON.stringify([d.status, d.outcome_code, d.closed_by]));
  await axe(page, 'a silence procedure broken');
  const why = 'The e2e test explains: we support the norms but not this procedure.';
  await act(page, 'explain', (f) => f.locator('textarea').fill(why),
    ['"type":"position.explain"', '"when":"after"', why]);
  check((await page.locator('#explanations').locator('..').innerText()).includes(why), 'the explanation of position shows on the page');
  const ex = (await api('/v1/decisions/' + silenceId)).decision.explanations || [];
  check(ex.some((e) => e.member === code && e.when === 'after' && e.text.en === why),
    'the explanation of position is in the server\'s decision', JSON.stringify(ex));
}

// ---- the record (view_record.js, verify.js) ----

async function verifyEntry(page, index) {
  const verdict = page.locator('#verdict-' + index);
  await page.locator(`button[data-index="${index}"]`).click();
  await page.waitForFunction((i) => {
    const v = document.getElementById('verdict-' + i);
    return v && /\b(ok|error)\b/.test(v.className);
  }, index, { timeout: 20000 });
  return verdict.innerText();
}

async function recordView(page, joined) {
  await go(page, '#/record?index=' + joined);
  check((await text(page, '#cp-status')).includes('verifies with the log'), 'the record: the checkpoint\'s signature verifies in the browser',
    await text(page, '#cp-status'));
  if (await page.locator('#new-checkpoint').count() > 0) {
    await page.locator('#new-checkpoint').click();
    await page.waitForFunction(() => !document.getElementById('new-checkpoint'), null, { timeout: 20000 });
    await settled(page);
  }
  check(await page.locator(`tr.marked[data-index="${joined}"]`).count() === 1, 'the record shows the entry the page signed');
  const ok = await verifyEntry(page, joined);
  check(ok.startsWith('Verified'), `the inclusion proof of entry ${joined} verifies in the browser`, ok);
  await axe(page, 'the record');
  await shot(page, 'record-en');
  const other = joined - 1;
  await page.route('**/v1/proof/inclusion?*', async (route) => {
    const resp = await route.fetch();
    const body = await resp.json();
    const b = Buffer.from(body.hashes[0], 'base64');
    b[0] ^= 1; // one bit of one hash
    body.hashes[0] = b.toString('base64');
    await route.fulfill({ response: resp, json: body });
  });
  const bad = await verifyEntry(page, other);
  check(bad.includes('FAILED') && bad.includes('not what the log signed'), 'a tampered proof fails, in plain words', bad);
  await page.unroute('**/v1/proof/inclusion?*');
  await switchLang(page, 'ar');
  await axe(page, 'the record in Arabic');
  await shot(page, 'record-ar');
  await switchLang(page, 'en');
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const forum = await api('/v1/forum');
  const docs = await api('/v1/documents');
  const decs = await api('/v1/decisions?status=open');
  const doc = docs.items.find((d) => d.revisions >= 2 && d.amendments > 0);
  const open = decs.items.find((d) => d.procedure === 'consensus');
  const dec = await api('/v1/decisions/' + open.id);
  const profile = mkdtempSync(join(tmpdir(), 'pnyx-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PNYX_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !(quiet && /Failed to load resource|Content Security Policy/.test(m.text()))) errors.push(m.text());
    });
    await firstView(page);
    quiet = true; // the refused script below is reported in the console on purpose
    await csp(page);
    quiet = false;
    await forumView(page, forum);
    await documentView(page, doc);
    await diffView(page, doc);
    await decisionView(page, dec, forum.counts.members);
    await commitmentsView(page);
    await strings(page);
    await languages(page, doc, dec);
    quiet = true; // refusals below are on purpose: their HTTP errors are expected
    const joined = await acting(page, dec, doc, profile);
    quiet = false;
    await recordView(page, joined);
    check(errors.length === 0, 'no error in the page\'s console', errors.join(' | '));
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  finish();
}

main().catch((e) => {
  console.log(`not ok - the test stopped: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
