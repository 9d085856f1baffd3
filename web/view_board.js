// The capacity-building board (docs/actions/board.md): needs by area
// with their status and pledges, the offers, who asked for and gave what
// (#/board, #/board?area=A&status=S), and one member's or stakeholder's
// part (#/board/actors/ID).
import { get, getAll, members, memberName } from './api.js';
import { t, label, lang, pick, date, LANG_NAMES } from './i18n.js';
import { h, rec, section, lazy } from './dom.js';
import './i18n_sessions.js';

export const AREAS = ['cert-maturity', 'critical-infrastructure', 'legislation', 'diplomatic-training', 'other'];
export const NEED_STATUSES = ['open', 'in-progress', 'completed'];
const enc = encodeURIComponent;

// Names of members (in the page's language) and stakeholders, by id.
export async function actorNames() {
  const [names, sh] = await Promise.all([members(lang()), getAll('/v1/stakeholders')]);
  const shNames = new Map(sh.items.map((s) => [s.id, s.name]));
  return (id) => (names.has(id) ? memberName(names, id) : shNames.get(id) || id);
}

const actorLink = (id, nameOf) => h('a', { href: '#/board/actors/' + enc(id) }, nameOf(id));
const langs = (list) => (list || []).map((l) => LANG_NAMES[l] || l).join(', ');
const badge = (status) => h('span', { class: 'badge bd-' + status }, label('bd_st_', status));

function progress(p, nameOf) {
  const list = p.progress || [];
  if (!list.length) return null;
  return h('ul', { class: 'progress' }, list.map((e) => h('li', {},
    label('bd_ev_', e.event), ' · ', nameOf(e.by), ' · ', date(e.ms), e.note ? [' · ', rec(e.note)] : null)));
}

// One pledge: who pledged which offer, its status, its note and progress.
function pledge(p, offers, nameOf) {
  const o = offers.get(p.offer);
  return h('li', { class: 'pledge', 'data-pledge': p.id, 'data-status': p.status },
    badge(p.status), ' ', t('bd_pledge_line', { by: nameOf(p.by), offer: o ? pickTitle(o) : p.offer }),
    ' ', h('code', {}, p.id), p.note ? h('p', {}, rec(p.note)) : null, progress(p, nameOf));
}

// The title in the current language (i18n.js pick), else the id.
const pickTitle = (x) => pick(x.title) || x.id;

function need(n, offers, nameOf, level = 4) {
  const sugg = (n.suggestions || []).map((id) => offers.get(id)).filter(Boolean);
  const hid = 'need-' + n.id.replace(/[^A-Za-z0-9_-]/g, '_');
  return h('li', { class: 'need', 'data-need': n.id, 'data-status': n.status, 'aria-labelledby': hid },
    h('h' + level, { id: hid }, rec(n.title), ' ', badge(n.status)),
    h('p', { class: 'muted' }, t('bd_asked_by'), ' ', actorLink(n.by, nameOf), ' · ', t('bd_languages'), ': ',
      langs(n.languages), ' · ', date(n.ms), ' · ', h('code', {}, n.id)),
    rec(n.description, 'p'),
    (n.pledges || []).length ? h('ul', { class: 'pledges', 'aria-label': t('bd_pledges') },
      n.pledges.map((p) => pledge(p, offers, nameOf))) : h('p', {}, t('bd_no_pledges')),
    sugg.length ? h('p', { class: 'suggestions' }, t('bd_suggestions'), ' ',
      sugg.map((o, i) => [i ? ', ' : '', pickTitle(o), ' (', nameOf(o.by), ')'])) : null);
}

function counts(all) {
  return h('table', { class: 'board-counts' }, h('caption', {}, t('bd_by_area')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('bd_area')),
      NEED_STATUSES.map((s) => h('th', { scope: 'col' }, label('bd_st_', s))))),
    h('tbody', {}, AREAS.map((a) => h('tr', { 'data-area': a }, h('th', { scope: 'row' },
      h('a', { href: `#/board?area=${a}&status=open` }, label('bd_area_', a))),
    NEED_STATUSES.map((s) => h('td', {}, String(all.filter((n) => n.area === a && n.status === s).length)))))));
}

function filterForm(area, status) {
  const sel = (id, values, prefix, cur) => h('select', { id, name: id },
    h('option', { value: '' }, t('bd_all')), values.map((v) => h('option', { value: v, selected: v === cur }, label(prefix, v))));
  return h('form', { class: 'compare', onsubmit: (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (ev.target.elements['bd-area'].value) q.set('area', ev.target.elements['bd-area'].value);
    if (ev.target.elements['bd-status'].value) q.set('status', ev.target.elements['bd-status'].value);
    window.location.hash = '#/board' + (q.toString() ? '?' + q : '');
  } }, h('label', { for: 'bd-area' }, t('bd_area')), sel('bd-area', AREAS, 'bd_area_', area),
  h('label', { for: 'bd-status' }, t('status')), sel('bd-status', NEED_STATUSES, 'bd_st_', status),
  h('button', { type: 'submit' }, t('bd_show')));
}

function offerTable(list, nameOf) {
  if (!list.length) return h('p', {}, t('none'));
  return h('table', { class: 'offers' }, h('caption', {}, t('bd_offers')),
    h('thead', {}, h('tr', {}, [t('bd_offer'), t('bd_area'), t('bd_offered_by'), t('bd_languages'), t('bd_pledges')]
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, list.map((o) => h('tr', { 'data-offer': o.id },
      h('th', { scope: 'row' }, rec(o.title), h('br'), h('code', {}, o.id)), h('td', {}, label('bd_area_', o.area)),
      h('td', {}, actorLink(o.by, nameOf), o.as === 'stakeholder' ? [' ', h('span', { class: 'badge' }, t('ss_as_stakeholder'))] : null),
      h('td', {}, langs(o.languages)), h('td', {}, String((o.pledges || []).length))))));
}

function perActor(all, offers, nameOf) {
  const ids = new Set([...all.map((n) => n.by), ...offers.map((o) => o.by)]);
  return h('ul', { class: 'actors' }, [...ids].sort((a, b) => nameOf(a).localeCompare(nameOf(b), lang()))
    .map((id) => h('li', {}, actorLink(id, nameOf))));
}

// #/board[?area=A&status=S]
export async function viewBoard(q) {
  const area = AREAS.includes(q.get('area')) ? q.get('area') : '';
  const status = NEED_STATUSES.includes(q.get('status')) ? q.get('status') : '';
  const f = new URLSearchParams();
  if (area) f.set('area', area);
  if (status) f.set('status', status);
  const [all, shown, offers, nameOf] = await Promise.all([getAll('/v1/board'),
    f.toString() ? getAll('/v1/board?' + f) : null, getAll('/v1/board/offers'), actorNames()]);
  const needs = (shown || all).items;
  const byId = new Map(offers.items.map((o) => [o.id, o]));
  const groups = AREAS.filter((a) => needs.some((n) => n.area === a)).map((a) => section(label('bd_area_', a),
    h('ul', { class: 'needs' }, needs.filter((n) => n.area === a).map((n) => need(n, byId, nameOf))), 3, 'area-' + a));
  const body = h('div', { class: 'view view-board' },
    h('p', {}, t('bd_intro')), counts(all.items), filterForm(area, status),
    section(t('bd_needs'), groups.length ? groups : h('p', {}, t('bd_no_needs')), 2, 'needs'),
    section(t('bd_offers'), offerTable(offers.items, nameOf), 2, 'offers'),
    section(t('bd_per_actor'), perActor(all.items, offers.items, nameOf), 2, 'per-actor'),
    await lazy(() => import('./act_board.js'), (m) => m.boardPanel(all.items, offers.items, nameOf)));
  return { title: t('bd_title'), body, envelope: all };
}

// #/board/actors/ID
export async function viewBoardActor(id) {
  const [r, offers, nameOf] = await Promise.all([get('/v1/board/actors/' + enc(id)), getAll('/v1/board/offers'), actorNames()]);
  const byId = new Map(offers.items.map((o) => [o.id, o]));
  // the needs asked name their pledges by id: those are the pledges received
  const got = new Map(r.received.map((p) => [p.id, p]));
  const asked = r.asked.map((n) => ({ ...n, pledges: (n.pledges || []).map((p) => (typeof p === 'string' ? got.get(p) : p)).filter(Boolean) }));
  const pl = (list) => (list.length ? h('ul', { class: 'pledges' }, list.map((p) => pledge(p, byId, nameOf))) : h('p', {}, t('none')));
  const body = h('div', { class: 'view view-board-actor' },
    h('p', {}, h('a', { href: '#/board' }, t('bd_title')), ' · ', h('a', { href: '#/statements/by/' + enc(id) }, t('bd_statements_link'))),
    section(t('bd_asked'), asked.length ? h('ul', { class: 'needs' }, asked.map((n) => need(n, byId, nameOf, 3))) : h('p', {}, t('none')), 2, 'asked'),
    section(t('bd_gave'), pl(r.gave), 2, 'gave'),
    section(t('bd_offered'), offerTable(r.offered, nameOf), 2, 'offered'),
    section(t('bd_received'), pl(r.received), 2, 'received'));
  return { title: t('bd_actor_title', { name: nameOf(id) }), body, envelope: r };
}
