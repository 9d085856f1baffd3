// A decision: the board of positions (every member: joined, objected,
// broke silence, voted, or not yet spoken), explanations of position,
// the tally and outcome once closed, and the revision it concerns.
import { get, members, memberName } from './api.js';
import { t, has, label, lang, date } from './i18n.js';
import { h, rec, dl, section, lazy } from './dom.js';

// Every member of the board: [code, position or null], by name.
function boardRows(dec, notSpoken, names) {
  const codes = new Set([...Object.keys(dec.positions || {}), ...notSpoken]);
  return [...codes].map((c) => [c, (dec.positions || {})[c] || null])
    .sort((a, b) => memberName(names, a[0]).localeCompare(memberName(names, b[0]), lang()));
}

function positionCell(p) {
  if (!p) return h('td', { class: 'pos pos-none' }, t('not_spoken'));
  return h('td', { class: 'pos pos-' + p.position },
    h('span', { class: 'badge' }, label('pos_', p.position)),
    p.reason ? h('p', {}, t('reason'), ': ', rec(p.reason)) : null,
    p.dissociate && p.dissociate.length ? h('p', {}, t('dissociates', { list: p.dissociate.join(', ') })) : null);
}

function summary(rows) {
  const counts = new Map();
  for (const [, p] of rows) {
    const k = p ? 'pos_' + p.position : 'not_spoken';
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return h('ul', { class: 'summary', 'aria-label': t('summary') }, [...counts].map(([k, n]) =>
    h('li', {}, t('count_of', { what: has(k) ? t(k) : k, n }))));
}

function board(dec, notSpoken, names) {
  const rows = boardRows(dec, notSpoken, names);
  return section(t('board'), [summary(rows), h('table', { class: 'board' },
    h('caption', {}, t('board_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('member')), h('th', { scope: 'col' }, t('code')),
      h('th', { scope: 'col' }, t('position')))),
    h('tbody', {}, rows.map(([code, p]) => h('tr', { 'data-member': code },
      h('th', { scope: 'row' }, memberName(names, code)), h('td', {}, h('code', {}, code)), positionCell(p)))))], 2, 'board');
}

function explanations(dec, names) {
  const list = dec.explanations || [];
  return section(t('explanations'), list.length ? h('ul', {}, list.map((e) => h('li', {},
    h('strong', {}, memberName(names, e.member)), ' · ', label('when_', e.when), ' · ', date(e.ms),
    rec(e.text, 'p')))) : h('p', {}, t('none')), 2, 'explanations');
}

function tallyValue(k, v, names) {
  if (Array.isArray(v)) return v.length ? v.map((c) => memberName(names, c)).join(', ') : t('none');
  if (typeof v === 'object') {
    const parts = Object.entries(v).map(([m, l]) => memberName(names, m) + ' (' + [].concat(l).join(', ') + ')');
    return parts.length ? parts.join('; ') : t('none');
  }
  if (k === 'deadline_ms') return date(v);
  if (k === 'majority') return label('maj_', v);
  if (k === 'broken_by') return memberName(names, v);
  return String(v);
}

function tally(dec, names) {
  if (!dec.tally) return null;
  const pairs = Object.entries(dec.tally).filter(([, v]) => v != null)
    .map(([k, v]) => [label('tally_', k), tallyValue(k, v, names)]);
  return section(t('tally'), dl(pairs), 2, 'tally');
}

function outcome(dec) {
  return [h('strong', {}, label('oc_', dec.outcome_code)), h('br'),
    h('span', { lang: 'en', dir: 'ltr', title: t('record_text') }, dec.outcome), h('br'),
    t('closed_on', { date: date(dec.closed_ms) })];
}

export async function viewDecision(id) {
  const [d, names] = await Promise.all([get('/v1/decisions/' + encodeURIComponent(id)), members(lang())]);
  const dec = d.decision;
  const s = dec.subject || {};
  const subject = s.kind === 'document'
    ? h('a', { href: '#/documents/' + encodeURIComponent(s.document) }, t('concerns', { doc: s.document, n: s.revision }))
    : h('code', {}, JSON.stringify(s));
  const body = h('div', { class: 'view view-decision' },
    dl([[t('status'), h('span', { class: 'badge st-' + dec.status }, label('dec_', dec.status))],
      [t('procedure'), label('proc_', dec.procedure)],
      [t('decision'), [subject, h('br'), t('opened_on', { date: date(dec.opened_ms), actor: dec.opened_by })]],
      dec.outcome ? [t('outcome'), outcome(dec)] : null,
    ].filter(Boolean)),
    board(dec, d.not_spoken || [], names),
    explanations(dec, names),
    tally(dec, names),
    await lazy(() => import('./act.js'), (m) => m.decisionPanel(dec)));
  return { title: dec.title ? rec(dec.title) : dec.id, body, envelope: d };
}
