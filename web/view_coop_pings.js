// #/cooperation/figures: the cooperation figures the forum's rules publish
// (GET /v1/cooperation/figures, anyone may read them); #/cooperation/pings:
// the ping-test dashboard (GET /v1/cooperation/pings, signed): each round,
// and per member whether its points of contact answered; the secretariat
// starts a round from here (act_coop.js).
import { get, members, memberName } from './api.js';
import { t, label, date, lang } from './i18n.js';
import { h, section } from './dom.js';
import './i18n_coop.js';

// A member as the cooperation pages name it: "France (FRA)".
export const named = (names, m) => `${memberName(names, m)} (${m})`;

const table = (id, caption, cols, rows) => h('table', { id },
  h('caption', {}, caption),
  h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
  h('tbody', {}, rows));

function perMember(names, pm) {
  const cols = [t('coop_member'), t('coop_f_sent'), t('coop_f_received'), t('coop_f_acknowledged'),
    t('coop_f_median'), t('coop_f_late'), t('coop_f_overdue')];
  return table('fig-per-member', t('coop_fig_per_member'), cols, Object.entries(pm).map(([m, f]) => h('tr', { 'data-member': m },
    h('th', { scope: 'row' }, named(names, m)), h('td', {}, f.sent), h('td', {}, f.received),
    h('td', {}, f.acknowledged), h('td', {}, f.median_ack_ms == null ? '—' : t('coop_hours', { n: (f.median_ack_ms / 3600000).toFixed(1) })),
    h('td', {}, f.late_acks), h('td', {}, f.overdue))));
}

function dataRequests(names, dr) {
  const rows = [];
  for (const [from, tos] of Object.entries(dr)) {
    for (const [to, f] of Object.entries(tos)) {
      const why = Object.entries(f.refusals || {}).map(([g, n]) => `${label('coop_gr_', g)}: ${n}`).join(', ');
      rows.push(h('tr', {}, h('td', {}, memberName(names, from)), h('td', {}, memberName(names, to)),
        h('td', {}, f.made), h('td', {}, f.granted), h('td', {}, f.refused), h('td', {}, why || '—')));
    }
  }
  return table('fig-data', t('coop_fig_data'), [t('coop_from'), t('coop_to'), t('coop_f_made'), t('coop_f_granted'),
    t('coop_f_refused'), t('coop_grounds')], rows);
}

// A member's result in a ping round: the engine's (results, when the
// answer carries them), else derived from the contacts and their
// acknowledgements as the engine does (docs/COOPERATION.md): answered,
// late, partial, silent, or pending while the window is open.
export function pingResult(round, member, now) {
  if (round.results && round.results[member]) return round.results[member];
  const ids = (round.contacts || {})[member] || [];
  const acks = (round.acks || {})[member] || {};
  const inWindow = ids.filter((c) => acks[c] != null && acks[c] <= round.closes_ms).length;
  const all = ids.filter((c) => acks[c] != null).length;
  if (ids.length > 0 && inWindow === ids.length) return 'answered';
  if (now < round.closes_ms) return 'pending';
  if (ids.length > 0 && all === ids.length) return 'late';
  return inWindow > 0 ? 'partial' : 'silent';
}

function roundSection(names, r, now) {
  const ms = Object.keys(r.contacts || r.results || {}).sort();
  const res = ms.map((m) => [m, pingResult(r, m, now)]);
  const silent = res.filter(([, v]) => v !== 'answered').map(([m]) => m);
  const rows = res.map(([m, v]) => h('tr', { 'data-member': m, 'data-result': v },
    h('th', { scope: 'row' }, named(names, m)),
    h('td', {}, ((r.contacts || {})[m] || []).map((c) => {
      const a = ((r.acks || {})[m] || {})[c];
      return `${c}: ${a != null ? date(a) : '—'}`;
    }).join('; ')),
    h('td', { class: 'ping-result' }, h('span', { class: 'badge ping-' + v }, label('coop_ping_', v)))));
  return h('section', { 'data-round': r.round, 'aria-labelledby': 'round-' + r.round },
    h('h3', { id: 'round-' + r.round }, t('coop_round', { round: r.round })),
    h('p', {}, t('coop_round_window', { start: date(r.started_ms), end: date(r.closes_ms) })),
    h('p', { class: 'ping-silent' }, silent.length ? t('coop_round_not_answered', { list: silent.map((m) => named(names, m)).join(', ') })
      : t('coop_round_all')),
    table('ping-' + r.round, t('coop_round', { round: r.round }), [t('coop_member'), t('coop_contacts'), t('coop_result')], rows));
}

// The published figures: {body, envelope}. Anyone may read them.
export async function figuresSection() {
  let fig, names;
  try {
    [fig, names] = await Promise.all([get('/v1/cooperation/figures'), members(lang())]);
  } catch (e) {
    if (e.status !== 404) throw e;
    return { body: h('p', { id: 'coop-none' }, t('prob_no-cooperation')), envelope: null };
  }
  const f = fig.figures || {};
  const now = Date.now();
  const parts = [h('p', {}, t('coop_fig_intro'))];
  if (f.per_member) parts.push(perMember(names, f.per_member));
  if (f.data_requests) parts.push(dataRequests(names, f.data_requests));
  if (f.pings) {
    parts.push(h('h3', {}, t('coop_pings_title')), Object.entries(f.pings).map(([round, r]) => roundSection(names, { round, ...r }, now)));
  }
  if (fig.last_anchor) {
    parts.push(h('p', { class: 'muted' }, t('coop_anchor', { size: fig.last_anchor.size, when: date(fig.last_anchor.time_ms) })));
  }
  return { body: section(t('coop_figures_link'), parts, 2, 'coop-figures'), envelope: fig };
}

// #/cooperation/figures
export async function viewFigures() {
  const f = await figuresSection();
  return { title: t('coop_figures_link'), envelope: f.envelope, body: h('div', { class: 'view view-coop-figures' }, f.body) };
}

// #/cooperation/pings
export async function viewPings() {
  const A = await import('./act_coop.js');
  const { coopGet } = await import('./coop_api.js');
  const ctx = await A.coopFrame();
  if (!ctx || !ctx.ui) return viewFigures();
  const p = await coopGet('/v1/cooperation/pings', ctx.ui.key, ctx.ui.actor);
  const now = Date.now();
  const rounds = (p.items || []).slice().sort((a, b) => b.started_ms - a.started_ms);
  const parts = [h('p', {}, t('coop_pings_intro')), ctx.ui.out, ctx.ui.confirm];
  if (ctx.who.kind === 'secretariat') parts.push(section(t('coop_ping_start'), A.pingStartForm(ctx), 2, 'ping-start-h'));
  parts.push(rounds.length ? rounds.map((r) => roundSection(ctx.names, r, now)) : h('p', {}, t('coop_ping_no_rounds')));
  parts.push(h('p', {}, h('a', { href: '#/cooperation' }, t('coop_back'))));
  return { title: t('coop_pings_title'), envelope: p, body: h('div', { class: 'view view-coop-pings' }, parts) };
}
