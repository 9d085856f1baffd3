// Browser tests of the sessions and the capacity-building board
// (web/view_session.js, view_board.js, act_session.js, act_board.js) in
// Debian's Chromium, driven by playwright-core, against a real `pnyx serve`
// of the demo forum (tests/web_sessions.sh starts it).
// Usage: node e2e_sessions.mjs BASE_URL SCREENSHOT_DIR KEYS_DIR
// Reads the open substantive session's agenda and statements in Arabic
// and in Chinese; the list of sessions, a delegation's statements over
// time and the board in English; then, with keys imported in the page, a
// member is refused an oral statement before registering, registers,
// delivers a statement and a right of reply and posts a need; a
// stakeholder speaks in the stakeholder segment (opened under item 4 by
// web_sessions.sh), posts an offer and pledges it against that need; the
// member accepts the pledge, records progress and completion. Each
// outcome is checked on the page and through the read API.
// Prints one "ok N - ..." or "not ok N - ..." line per check and exits 1
// if any check failed.
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { check, finish, axe, settled, go, switchLang, importKey as importKeyFrom, act, refused, launch } from './e2e_lib.mjs';

const [base, shots, keysDir] = process.argv.slice(2);
if (!base || !shots || !keysDir) {
  console.error('usage: node e2e_sessions.mjs BASE_URL SCREENSHOT_DIR KEYS_DIR');
  process.exit(2);
}
const STAKEHOLDER = 'sh.university';

async function api(path) {
  const r = await fetch(base + path);
  return r.json();
}

let nshots = 0;
async function shot(page, name, full = false) {
  const path = join(shots, name + '.png');
  await page.screenshot({ path, fullPage: full });
  if (existsSync(path)) nshots++;
}

const importKey = (page, id) => importKeyFrom(page, keysDir, id);
const text = (page, sel) => page.locator(sel).first().innerText();
const st = (page, id) => page.locator(`li[data-statement="${id}"]`);

// The statements of the session's item, from the read API in language l.
async function itemStatements(session, item, l) {
  const r = await api(`/v1/sessions/${session}?lang=${l}`);
  return r.session.agenda.items.find((it) => it.id === item).statements;
}

// Reads the session in language l: the agenda's titles, the statements
// under the general exchange of views, each in l when given in l, else in
// the language it was given in, marked.
async function readSession(page, session, l, words) {
  await go(page, '#/sessions/' + session);
  const sts = await itemStatements(session, '3', l);
  check(await page.evaluate(() => document.documentElement.dir) === (l === 'ar' ? 'rtl' : 'ltr'), `${l}: the page's direction`);
  check((await text(page, 'h1')).includes(words.title), `${l}: the session's title is in ${l}`, await text(page, 'h1'));
  check((await text(page, 'section[data-item="3"] h2')).includes(words.item), `${l}: the agenda item's title is in ${l}`,
    await text(page, 'section[data-item="3"] h2'));
  const shown = await page.locator('section[data-item="3"] li.statement').count();
  check(shown === sts.length && shown >= 20, `${l}: the general exchange shows every statement (${shown} of ${sts.length})`);
  const own = sts.find((s) => Object.keys(s.text).length === 1 && s.text[l]);
  const ownText = st(page, own.id).locator('.st-text');
  check(await ownText.innerText() === own.text[l] && await ownText.getAttribute('lang') === null,
    `${l}: a statement given in ${l} is shown as given, unmarked`, await ownText.innerText());
  const other = sts.find((s) => !s.text[l] && !s.text.en);
  const otherLang = Object.keys(other.text)[0];
  const otherText = st(page, other.id).locator('.st-text');
  check(await otherText.innerText() === other.text[otherLang] && await otherText.getAttribute('lang') === otherLang,
    `${l}: a statement given only in ${otherLang} is shown in ${otherLang}, marked lang="${otherLang}"`);
  check((await st(page, other.id).locator('.st-lang').innerText()).includes(words.given),
    `${l}: the language a statement was given in is named`, await st(page, other.id).innerText());
  check((await st(page, own.id).locator('.st-head').innerText()).includes(own.name),
    `${l}: the speaker's name is in ${l} (${own.name})`);
  const reply = sts.find((s) => s.reply_to);
  check(reply && (await st(page, reply.id).innerText()).includes(words.reply), `${l}: the right of reply is marked as such`);
  const cb = await itemStatements(session, '4', l);
  const sh = cb.find((s) => s.as === 'stakeholder');
  check(sh && (await st(page, sh.id).innerText()).includes(words.stakeholder), `${l}: a stakeholder's statement is marked`);
  await axe(page, `the session in ${l}`);
  await shot(page, `session-${l}`);
  await page.locator('section[data-item="3"]').scrollIntoViewIfNeeded();
  await shot(page, `session-statements-${l}`);
}

async function reading(page, session) {
  await switchLang(page, 'ar');
  await readSession(page, session, 'ar', { title: 'الدورة الموضوعية الأولى', item: 'تبادل عام للآراء', given: 'أُلقي بـ', reply: 'حق الرد', stakeholder: 'صاحب مصلحة' });
  await go(page, '#/sessions');
  check((await text(page, 'table.sessions')).includes('الدورة التنظيمية'), 'ar: the list of sessions is in Arabic');
  await axe(page, 'the sessions in ar');
  await shot(page, 'sessions-ar');
  await go(page, '#/board');
  check((await text(page, 'h1')).includes('لوحة بناء القدرات'), 'ar: the board is in Arabic');
  await axe(page, 'the board in ar');
  await shot(page, 'board-ar');
  await switchLang(page, 'zh');
  await readSession(page, session, 'zh', { title: '第一届实质性会议', item: '一般性意见交换', given: '发言语言', reply: '答辩权', stakeholder: '利益攸关方' });
  await switchLang(page, 'en');
}

async function englishViews(page, session) {
  await go(page, '#/sessions');
  const list = await api('/v1/sessions');
  check(await page.locator('table.sessions tbody tr').count() === list.items.length, 'the list shows every session');
  check((await text(page, `tr[data-session="${session}"]`)).includes('open'), 'the open session is marked open');
  await axe(page, 'the sessions');
  await shot(page, 'sessions-en');
  const sts = await itemStatements(session, '3', 'en');
  const by = sts[0].by;
  const mine = await api(`/v1/statements?by=${by}&limit=1000`);
  await go(page, '#/statements/by/' + by);
  check(await page.locator('li.statement').count() === mine.items.length && mine.items.length >= 2,
    `a delegation's statements over time (${mine.items.length})`);
  check((await text(page, 'h1')).includes(sts[0].name), 'titled with the delegation\'s name');
  await axe(page, 'a delegation\'s statements');
  await shot(page, 'statements-by-en');
  await go(page, '#/board');
  const board = await api('/v1/board?limit=1000');
  check(await page.locator('li.need').count() === board.items.length, `the board lists every need (${board.items.length})`);
  for (const s of ['open', 'in-progress', 'completed']) {
    const k = board.items.filter((x) => x.status === s).length;
    check(k > 0 && await page.locator(`li.need[data-status="${s}"]`).count() === k, `the board shows ${k} ${s} needs`);
  }
  check(await page.locator('li.pledge[data-status="completed"]').count() >= 1, 'a completed pledge is shown with its progress');
  check(await page.locator('p.suggestions').count() >= 1, 'suggested offers are shown');
  await axe(page, 'the board');
  await shot(page, 'board-en', true);
  await go(page, '#/board?area=legislation&status=open');
  const openLeg = board.items.filter((x) => x.area === 'legislation' && x.status === 'open').length;
  check(await page.locator('li.need').count() === openLeg, `the open needs of an area (${openLeg})`);
  const owner = board.items.find((x) => x.status === 'completed').by;
  await go(page, '#/board/actors/' + owner);
  check(await page.locator('#asked').count() === 1 && await page.locator('li.need').count() >= 1, 'a member\'s part on the board: what it asked for');
  await axe(page, 'a member on the board');
  await shot(page, 'board-actor-en');
}

async function strings(page) {
  const bad = await page.evaluate(async () => {
    const { table, LANGS } = await import('/web/i18n.js');
    await import('/web/i18n_sessions.js');
    return Object.entries(table()).filter(([, row]) =>
      row.length !== LANGS.length || row.some((s) => typeof s !== 'string' || s.trim() === '')).map(([k]) => k);
  });
  check(bad.length === 0, 'every string of the sessions and the board exists in the six languages', bad.join(', '));
}

// A member that is not registered for the session and asked for nothing.
async function newcomer(session) {
  const [s, board, all] = await Promise.all([api(`/v1/sessions/${session}`), api('/v1/board?limit=1000'),
    api('/v1/members?limit=1000')]);
  const taken = new Set([...s.session.participants.map((p) => p.code), ...board.items.map((x) => x.by)]);
  return all.items.map((m) => m.code).find((c) => !taken.has(c) && existsSync(join(keysDir, c + '.key')));
}

async function memberSpeaks(page, session, code, stamp) {
  await importKey(page, code);
  await go(page, '#/sessions/' + session);
  check((await text(page, '.act-panel')).includes('not registered'), 'the panel says the delegation is not registered');
  const early = `Training simulation: spoken before registering ${stamp}.`;
  const no = await refused(page, 'statement', (f) => f.locator('#st-text').fill(early), ['"mode":"oral"', early]);
  check(no.includes('contradicts the record') && no.includes('Nothing was recorded'),
    'an oral statement before registering is refused in plain words', no);
  check((await api(`/v1/statements?by=${code}`)).items.length === 0, 'and nothing was recorded');
  await act(page, 'register', null, [`"actor":"${code}"`, '"type":"session.register"']);
  const s = await api(`/v1/sessions/${session}`);
  check(s.session.participants.some((p) => p.code === code), `the read API lists ${code} as registered`);
  check((await text(page, '.act-panel')).includes('is registered'), 'the panel says the delegation is registered');
  const words = `Training simulation: the e2e test's statement ${stamp}.`;
  const leaf = await act(page, 'statement', async (f) => {
    await f.locator('#st-item').selectOption('3');
    await f.locator('#st-text').fill(words);
  }, ['"type":"statement.deliver"', '"item":"3"', words]);
  const mine = await api(`/v1/statements?by=${code}`);
  const got = mine.items.find((x) => x.text.en === words);
  check(got && got.leaf === leaf && got.session === session && got.mode === 'oral',
    'the read API has the statement at the leaf the page reported', JSON.stringify(mine.items));
  check((await text(page, `section[data-item="3"] li[data-statement="${got && got.id}"]`)).includes(words),
    'the statement shows under its agenda item');
  await axe(page, 'the session controls');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'session-act-en');
  const reply = `Training simulation: a right of reply ${stamp}.`;
  await act(page, 'statement', async (f) => {
    const value = await f.locator('#st-reply option').nth(1).getAttribute('value');
    await f.locator('#st-reply').selectOption(value);
    await f.locator('#st-text').fill(reply);
  }, ['"reply_to":"', reply]);
  const after = await api(`/v1/statements?by=${code}`);
  const r = after.items.find((x) => x.text.en === reply);
  check(r && r.reply_to, `the right of reply answers ${r && r.reply_to}`);
  await switchLang(page, 'ar');
  await axe(page, 'the session controls in ar');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'session-act-ar');
  await switchLang(page, 'en');
}

async function needOf(id) {
  const b = await api('/v1/board?limit=1000');
  return b.items.find((x) => x.id === id);
}

async function memberNeeds(page, code, stamp) {
  await go(page, '#/board');
  const title = `E2E need ${stamp}`;
  await act(page, 'need', async (f) => {
    await f.locator('#nd-area').selectOption('legislation');
    await f.locator('#nd-title').fill(title);
    await f.locator('#nd-desc').fill('Training simulation: help to draft a law.');
  }, ['"type":"need.post"', title, '"languages":["en"]']);
  const b = await api('/v1/board?limit=1000');
  const need = b.items.find((x) => x.by === code && x.title.en === title);
  check(need && need.status === 'open' && need.area === 'legislation', 'the read API has the member\'s need, open');
  check(need && await page.locator(`li.need[data-need="${need.id}"]`).count() === 1, 'the need shows on the board');
  return need ? need.id : '';
}

// The stakeholder, in the segment the chair opened under item 4
// (web_sessions.sh), delivers a statement.
async function stakeholderSpeaks(page, session, stamp) {
  await go(page, '#/sessions/' + session);
  check((await text(page, '.act-panel')).includes('now open under item 4'), 'the stakeholder is told the segment is open under item 4');
  check(await page.locator('#st-reply').count() === 0, 'a stakeholder is offered no right of reply');
  const words = `Training simulation: a stakeholder's statement ${stamp}.`;
  await act(page, 'statement', (f) => f.locator('#st-text').fill(words), ['"item":"4"', `"actor":"${STAKEHOLDER}"`, words]);
  const got = (await api(`/v1/statements?by=${STAKEHOLDER}`)).items.find((x) => x.text.en === words);
  check(got && got.as === 'stakeholder' && got.item === '4', 'the read API has the stakeholder\'s statement under item 4');
  check((await text(page, `li[data-statement="${got && got.id}"]`)).includes('stakeholder'), 'the page marks it as a stakeholder\'s');
}

async function stakeholderPledges(page, needId, stamp) {
  await importKey(page, STAKEHOLDER);
  await stakeholderSpeaks(page, (await api('/v1/sessions')).items.find((x) => x.status === 'open').id, stamp);
  await go(page, '#/board');
  check(await page.locator('form.act[data-act="need"]').count() === 0, 'a stakeholder is offered no need form');
  const title = `E2E offer ${stamp}`;
  await act(page, 'offer', async (f) => {
    await f.locator('#of-area').selectOption('legislation');
    await f.locator('#of-title').fill(title);
    await f.locator('#of-desc').fill('Training simulation: a legislative drafter for a week.');
  }, ['"type":"offer.post"', `"actor":"${STAKEHOLDER}"`, title]);
  const offers = await api('/v1/board/offers?limit=1000');
  const offer = offers.items.find((o) => o.title.en === title);
  check(offer && offer.as === 'stakeholder', 'the read API has the stakeholder\'s offer');
  await act(page, 'pledge', async (f) => {
    await f.locator('#pl-offer').selectOption(offer.id);
    await f.locator('#pl-need').selectOption(needId);
  }, ['"type":"pledge.make"', `"need":"${needId}"`]);
  const need = await needOf(needId);
  const p = need && need.pledges.find((x) => x.by === STAKEHOLDER);
  check(p && p.status === 'pledged' && need.status === 'open', 'the read API shows the pledge, waiting for acceptance');
  await axe(page, 'the board controls (stakeholder)');
  await page.locator('.act-panel').scrollIntoViewIfNeeded();
  await shot(page, 'board-act-stakeholder-en');
  return p ? p.id : '';
}

async function memberAccepts(page, code, needId, pledgeId) {
  await importKey(page, code);
  await go(page, '#/board');
  await act(page, 'accept-' + pledgeId, null, ['"type":"pledge.accept"', `"pledge":"${pledgeId}"`]);
  let need = await needOf(needId);
  check(need && need.status === 'in-progress' && need.pledges[0].status === 'accepted',
    'accepted: the pledge is accepted and the need in progress (read API)');
  check(await page.locator(`li.need[data-need="${needId}"]`).getAttribute('data-status') === 'in-progress',
    'the board shows the need in progress');
  await act(page, 'progress-' + pledgeId, (f) => f.locator('textarea').fill('First drafting week held.'),
    ['"type":"pledge.progress"']);
  await act(page, 'complete-' + pledgeId, null, ['"type":"pledge.complete"']);
  need = await needOf(needId);
  const events = need ? need.pledges[0].progress.map((e) => e.event).join(',') : '';
  check(need && need.status === 'completed' && events === 'accepted,progress,completed',
    'completed: the need and its pledge are completed, with their progress (read API)', events);
  check(await page.locator(`li.need[data-need="${needId}"]`).getAttribute('data-status') === 'completed',
    'the board shows the need completed');
  await axe(page, 'the board controls (member)');
  await page.locator(`li.need[data-need="${needId}"]`).scrollIntoViewIfNeeded();
  await shot(page, 'board-completed-en');
  await switchLang(page, 'ar');
  await axe(page, 'the board controls in ar');
  await switchLang(page, 'en');
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const sessions = await api('/v1/sessions');
  const open = sessions.items.find((x) => x.status === 'open' && x.kind === 'substantive');
  if (!open) throw new Error('the demo forum has no open substantive session');
  const { page, errors, quiet, close } = await launch();
  try {
    await page.goto(base + '/#/sessions', { waitUntil: 'networkidle' });
    await settled(page);
    await reading(page, open.id);
    await englishViews(page, open.id);
    await strings(page);
    const code = await newcomer(open.id);
    const stamp = Date.now().toString(36);
    quiet(true); // the refusal in memberSpeaks is on purpose: its HTTP error is expected
    await memberSpeaks(page, open.id, code, stamp);
    quiet(false);
    const needId = await memberNeeds(page, code, stamp);
    const pledgeId = await stakeholderPledges(page, needId, stamp);
    await memberAccepts(page, code, needId, pledgeId);
    check(errors.length === 0, 'no error in the page\'s console', errors.join(' | '));
    check(nshots >= 12, `${nshots} screenshots in ${shots}`);
  } finally {
    await close();
  }
  finish();
}

main().catch((e) => {
  console.log(`not ok - the test stopped: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
