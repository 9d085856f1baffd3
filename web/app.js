// The web page of a Pnyx forum: a router over location.hash, the language
// menu, the training notice, and the views (view_*.js). Signing (act.js,
// keys.js, sign.js) is loaded only on the views that need it.
//   #/forum                              the forum (the default)
//   #/documents/ID                       a document
//   #/documents/ID/diff?from=N&to=M      the difference of two revisions
//   #/decisions/ID                       a decision and its board
//   #/commitments                        commitments and reports
//   #/record[?index=N]                   the record, proofs checked (view_record.js)
//   #/key                                your key (view_key.js, loaded when asked)
//   #/cooperation[/requests/ID|/pings|/figures]  cooperation (view_coop*.js, loaded when asked)
//   #/sessions[/ID], #/statements/by/ID  sessions and statements (view_session.js, loaded when asked)
//   #/board[?area=A&status=S], #/board/actors/ID  the capacity-building board (view_board.js)
import { LANGS, LANG_NAMES, initialLang, setLang, lang, t } from './i18n.js';
import { h } from './dom.js';
import { viewForum } from './view_forum.js';
import { viewDocument, viewDiff } from './view_document.js';
import { viewDecision } from './view_decision.js';
import { viewCommitments } from './view_commitments.js';

const routes = [
  [/^\/?$/, () => viewForum()],
  [/^\/forum$/, () => viewForum()],
  [/^\/commitments$/, () => viewCommitments()],
  [/^\/documents\/([^/]+)$/, (m) => viewDocument(m[1])],
  [/^\/documents\/([^/]+)\/diff$/, (m, q) => viewDiff(m[1], q.get('from'), q.get('to'))],
  [/^\/decisions\/([^/]+)$/, (m) => viewDecision(m[1])],
  [/^\/record$/, (m, q) => import('./view_record.js').then((v) => v.viewRecord(q))],
  [/^\/key$/, () => import('./view_key.js').then((v) => v.viewKey())],
  [/^\/cooperation$/, () => import('./view_coop.js').then((v) => v.viewCoop())],
  [/^\/cooperation\/requests\/([^/]+)$/, (m) => import('./view_coop.js').then((v) => v.viewRequest(m[1]))],
  [/^\/cooperation\/pings$/, () => import('./view_coop_pings.js').then((v) => v.viewPings())],
  [/^\/cooperation\/figures$/, () => import('./view_coop_pings.js').then((v) => v.viewFigures())],
  [/^\/sessions$/, () => import('./view_session.js').then((v) => v.viewSessions())],
  [/^\/sessions\/([^/]+)$/, (m) => import('./view_session.js').then((v) => v.viewSession(m[1]))],
  [/^\/statements\/by\/([^/]+)$/, (m) => import('./view_session.js').then((v) => v.viewStatementsBy(m[1]))],
  [/^\/board$/, (m, q) => import('./view_board.js').then((v) => v.viewBoard(q))],
  [/^\/board\/actors\/([^/]+)$/, (m) => import('./view_board.js').then((v) => v.viewBoardActor(m[1]))],
];

// The route of the current hash: its path and query.
function location_() {
  const raw = window.location.hash.replace(/^#/, '');
  const qi = raw.indexOf('?');
  const path = qi < 0 ? raw : raw.slice(0, qi);
  const query = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
  let decoded = path;
  try { decoded = decodeURIComponent(path); } catch (e) { decoded = path; }
  return { path: decoded, query };
}

function renderChrome() {
  document.title = t('site_name');
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('site-name').textContent = t('site_name');
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav_label'));
  nav.replaceChildren(h('ul', {},
    h('li', {}, h('a', { href: '#/forum' }, t('nav_forum'))),
    h('li', {}, h('a', { href: '#/sessions' }, t('nav_sessions'))),
    h('li', {}, h('a', { href: '#/commitments' }, t('nav_commitments'))),
    h('li', {}, h('a', { href: '#/board' }, t('nav_board'))),
    h('li', {}, h('a', { href: '#/record' }, t('nav_record'))),
    h('li', {}, h('a', { href: '#/cooperation' }, t('nav_coop'))),
    h('li', {}, h('a', { href: '#/key' }, t('nav_key')))));
  document.getElementById('lang-label').textContent = t('language');
  const select = document.getElementById('lang');
  if (select.options.length === 0) {
    for (const l of LANGS) select.append(h('option', { value: l, lang: l }, LANG_NAMES[l]));
  }
  select.value = lang();
}

// Shows the notice of a training simulation when the record carries one.
function renderNotice(envelope) {
  const box = document.getElementById('notice');
  if (envelope && envelope.notice) {
    box.replaceChildren(h('strong', {}, t('notice_label') + ' '), t('notice'));
    box.dataset.notice = envelope.notice;
    box.hidden = false;
  } else {
    box.replaceChildren();
    box.hidden = true;
  }
}

function renderFooter(envelope) {
  const f = document.getElementById('record');
  f.textContent = envelope && typeof envelope.tree_size === 'number'
    ? t('record_size', { n: envelope.tree_size.toLocaleString(lang()) }) : '';
}

let generation = 0; // a later navigation wins over a slow earlier one

async function render(focus) {
  const gen = ++generation;
  renderChrome();
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', { role: 'status' }, t('loading')));
  const { path, query } = location_();
  let out;
  try {
    const route = routes.find(([re]) => re.test(path));
    if (!route) throw Object.assign(new Error(t('not_found')), { status: 404 });
    out = await route[1](path.match(route[0]), query);
  } catch (e) {
    const detail = e.status === 0 ? t('error_network') : e.message;
    out = { title: t('site_name'), body: h('p', { class: 'error', role: 'alert' }, t('error_load', { detail })) };
  }
  if (gen !== generation) return;
  renderNotice(out.envelope);
  renderFooter(out.envelope);
  const h1 = h('h1', { tabindex: '-1' }, out.title);
  main.replaceChildren(h1, out.body);
  main.removeAttribute('aria-busy');
  document.title = h1.textContent + ' · ' + t('site_name');
  if (focus) h1.focus();
}

setLang(initialLang());
document.getElementById('lang').addEventListener('change', (ev) => {
  setLang(ev.target.value);
  render(false);
});
window.addEventListener('hashchange', () => render(true));
// A view that changed the record (an action signed in act.js) asks for a
// fresh rendering of the same address.
window.addEventListener('pnyx:refresh', () => render(false));
render(false);
