// Sessions and statements (docs/actions/sessions.md): the list of
// sessions (#/sessions), one session's agenda with the statements
// delivered under each item (#/sessions/ID), and one delegation's
// statements over time (#/statements/by/ID). A statement is shown in the
// reader's language when its speaker gave that language, else in the
// language it was given in, marked as such.
import { get, getAll, members, memberName } from './api.js';
import { t, label, lang, date, LANG_NAMES } from './i18n.js';
import { h, rec, dl, section, lazy } from './dom.js';
import './i18n_sessions.js';

const enc = encodeURIComponent;

// A statement's text (dom.js rec: the reader's language, else English,
// else the first given, marked with its lang), with a line naming the
// languages it was given in when the reader's is not among them.
export function said(texts) {
  const given = Object.keys(texts || {});
  if (!given.length) return null;
  const p = rec(texts, 'p');
  p.classList.add('st-text');
  return [p.hasAttribute('lang') ? h('p', { class: 'st-lang muted' },
    t('ss_given_in', { list: given.map((x) => LANG_NAMES[x] || x).join(', ') })) : null, p];
}

// Where a session meets: the venue, online, or both.
function where(s) {
  if (s.venue && s.online) return t('ss_venue_online', { venue: s.venue });
  return s.venue || t('ss_online');
}

const speakerLink = (st) => h('a', { href: '#/statements/by/' + enc(st.by) }, st.name || st.by);

// One statement: who, how, when, its text, the statement it answers and
// the replies it drew. byId maps the session's statement ids to statements.
function statement(st, byId, withPlace) {
  const answered = st.reply_to ? byId.get(st.reply_to) : null;
  const replies = (st.replies || []).map((r) => byId.get(r)).filter(Boolean);
  return h('li', { class: 'statement' + (st.reply_to ? ' reply' : ''), 'data-statement': st.id, 'data-by': st.by },
    h('p', { class: 'st-head' }, h('strong', {}, speakerLink(st)), ' ', h('code', {}, st.by),
      st.as === 'stakeholder' ? [' ', h('span', { class: 'badge' }, t('ss_as_stakeholder'))] : null,
      ' · ', label('ss_mode_', st.mode), ' · ', date(st.ms)),
    withPlace, st.reply_to ? h('p', { class: 'muted' }, t('ss_reply_to', {
      name: answered ? answered.name || answered.by : st.reply_to, id: st.reply_to })) : null,
    said(st.text),
    st.attachment ? h('p', { class: 'muted' }, t('ss_attachment'), ' ', h('code', { class: 'hash' }, st.attachment)) : null,
    replies.length ? h('p', { class: 'muted' }, t('ss_replies', { list: replies.map((r) => r.name || r.by).join(', ') })) : null,
    h('p', { class: 'muted' }, h('code', {}, st.id), ' · ', h('a', { href: '#/record?index=' + st.leaf }, t('ss_on_record'))));
}

function agendaLine(s) {
  const a = s.agenda || {};
  if (a.status !== 'adopted') return h('span', { class: 'badge' }, t('ss_agenda_provisional'));
  return [h('span', { class: 'badge st-adopted' }, t('ss_agenda_adopted')), ' ',
    t('ss_adopted_on', { date: date(a.adopted_ms) }), ' · ',
    h('a', { href: '#/decisions/' + enc(a.decision) }, t('ss_agenda_decision'))];
}

function facts(s) {
  return dl([
    [t('ss_kind'), label('ss_kind_', s.kind)],
    [t('status'), h('span', { class: 'badge ss-' + s.status }, label('ss_st_', s.status))],
    [t('ss_dates'), t('ss_from_to', { from: date(s.start_ms), to: date(s.end_ms) })],
    [t('ss_where'), where(s)],
    [t('ss_agenda'), agendaLine(s)],
    s.opened_ms ? [t('ss_opened'), date(s.opened_ms)] : null,
    s.closed_ms ? [t('ss_closed'), date(s.closed_ms)] : null,
  ].filter(Boolean));
}

function segments(s) {
  const list = s.segments || [];
  if (!list.length) return null;
  return section(t('ss_segments'), h('ul', {}, list.map((g) => h('li', { 'data-segment-item': g.item },
    g.closed_ms ? t('ss_segment_closed', { item: g.item, from: date(g.opened_ms), to: date(g.closed_ms) })
      : h('strong', {}, t('ss_segment_open', { item: g.item, from: date(g.opened_ms) }))))), 2, 'segments');
}

function agenda(s, byId) {
  const items = (s.agenda && s.agenda.items) || [];
  return items.map((it) => {
    const sts = it.statements || [];
    const hid = 'item-' + it.id.replace(/[^A-Za-z0-9_-]/g, '_');
    return h('section', { class: 'agenda-item', 'data-item': it.id, 'aria-labelledby': hid },
      h('h2', { id: hid }, t('ss_item', { id: it.id }), ' ', rec(it.title)),
      h('p', { class: 'muted' }, t('ss_statements_n', { n: sts.length })),
      sts.length ? h('ol', { class: 'statements' }, sts.map((st) => statement(st, byId, null)))
        : h('p', {}, t('ss_no_statements')));
  });
}

function participants(s) {
  const list = s.participants || [];
  return section(t('ss_participants'), h('details', {},
    h('summary', {}, t('ss_participants_n', { n: list.length })),
    h('table', { class: 'participants' }, h('caption', {}, t('ss_participants')),
      h('thead', {}, h('tr', {}, [t('name'), t('code'), t('ss_registered')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, list.map((p) => h('tr', { 'data-member': p.code },
        h('th', { scope: 'row' }, h('a', { href: '#/statements/by/' + enc(p.code) }, p.name || p.code)),
        h('td', {}, h('code', {}, p.code)), h('td', {}, date(p.registered_ms))))))), 2, 'participants');
}

// #/sessions/ID
export async function viewSession(id) {
  const r = await get(`/v1/sessions/${enc(id)}?lang=${lang()}`);
  const s = r.session;
  const byId = new Map();
  for (const it of (s.agenda && s.agenda.items) || []) for (const st of it.statements || []) byId.set(st.id, st);
  const body = h('div', { class: 'view view-session' },
    h('p', {}, h('a', { href: '#/sessions' }, t('ss_all_sessions'))),
    facts(s), segments(s), agenda(s, byId), participants(s),
    await lazy(() => import('./act_session.js'), (m) => m.sessionPanel(s)));
  return { title: rec(s.title), body, envelope: r };
}

function sessionRow(s) {
  const n = ((s.agenda && s.agenda.items) || []).reduce((a, it) => a + (it.statements_count || 0), 0);
  return h('tr', { 'data-session': s.id },
    h('th', { scope: 'row' }, h('a', { href: '#/sessions/' + enc(s.id) }, rec(s.title)), h('br'), h('code', {}, s.id)),
    h('td', {}, label('ss_kind_', s.kind)),
    h('td', {}, t('ss_from_to', { from: date(s.start_ms), to: date(s.end_ms) })),
    h('td', {}, h('span', { class: 'badge ss-' + s.status }, label('ss_st_', s.status))),
    h('td', {}, agendaLine(s)),
    h('td', {}, String(s.participants_count || 0)),
    h('td', {}, String(n)));
}

// #/sessions
export async function viewSessions() {
  const list = await getAll('/v1/sessions');
  const cols = [t('ss_session'), t('ss_kind'), t('ss_dates'), t('status'), t('ss_agenda'), t('ss_delegations'), t('ss_statements')];
  const body = h('div', { class: 'view view-sessions' },
    h('p', {}, t('ss_intro')),
    list.items.length ? h('table', { class: 'sessions' }, h('caption', {}, t('ss_title')),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, list.items.map(sessionRow))) : h('p', {}, t('ss_none')),
    h('p', {}, h('a', { href: '#/board' }, t('bd_title'))));
  return { title: t('ss_title'), body, envelope: list };
}

// #/statements/by/ID: a delegation's (or a stakeholder's) statements in
// the order they were delivered.
export async function viewStatementsBy(id) {
  const [list, sessions, names] = await Promise.all([
    getAll(`/v1/statements?by=${enc(id)}&lang=${lang()}`), getAll('/v1/sessions'), members(lang())]);
  const sess = new Map(sessions.items.map((s) => [s.id, s]));
  const name = list.items.length && list.items[0].name ? list.items[0].name : memberName(names, id);
  const place = (st) => {
    const s = sess.get(st.session);
    const it = s && ((s.agenda && s.agenda.items) || []).find((x) => x.id === st.item);
    return h('p', {}, h('a', { href: '#/sessions/' + enc(st.session) }, s ? rec(s.title) : st.session), ' · ',
      t('ss_item', { id: st.item }), ' ', it ? rec(it.title) : null);
  };
  const byId = new Map(list.items.map((st) => [st.id, st]));
  const body = h('div', { class: 'view view-statements' },
    h('p', {}, h('a', { href: '#/board/actors/' + enc(id) }, t('bd_actor_link'))),
    list.items.length ? h('ol', { class: 'statements' }, list.items.map((st) => statement(st, byId, place(st))))
      : h('p', {}, t('ss_none_by')));
  return { title: t('ss_by_title', { name }), body, envelope: list };
}
