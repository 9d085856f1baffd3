// #/cooperation and #/cooperation/requests/ID (docs/WEB.md "Cooperation"):
// a delegation's inbox and outbox on the members-only cooperation log, read
// with requests signed by its key (coop_api.js), each step's encrypted
// message opened in this browser with its contact keys (coop_seal.js); the
// forms of act_coop.js. Without a member's key, the public figures
// (view_coop_pings.js) and how to take part.
import { t, has, label, date } from './i18n.js';
import { h, dl, section } from './dom.js';
import { get } from './api.js';
import { coopFrame, openKeys, plain, sendForm, requestForms, pocForm, contactKeys, pingAckForms } from './act_coop.js';
import { coopGet, readCoopLeaf } from './coop_api.js';
import { open } from './coop_seal.js';
import { verifyEntry } from './coop_verify.js';
import { base64Decode } from './keys.js';
import { figuresSection, named } from './view_coop_pings.js';
import { panel } from './act.js';

// One step of a request: the entry at index, checked (coop_verify.js:
// proved {size, signer}, or unproved: a sentence, and then nothing more),
// its action, and its message opened: {index, ms, action, plaintext} or
// {..., error (a sentence), code}; plaintext and error are absent when
// the step carries no message.
export async function openStep(ctx, index) {
  const e = await coopGet(`/v1/cooperation/entries/${index}`, ctx.ui.key, ctx.ui.actor);
  const { ms, action } = readCoopLeaf(e.leaf);
  const step = { index, ms, action };
  try {
    step.proved = await verifyEntry(e, action ? action.actor : '', keysOf(ctx));
  } catch (err) {
    step.unproved = has('coop_vfail_' + err.code) ? t('coop_vfail_' + err.code)
      : has('rec_fail_' + err.code) ? t('rec_fail_' + err.code) : err.message;
    return step;
  }
  if (!action || !action.sealed) return step;
  try {
    step.plaintext = (await open(action.sealed, action, openKeys(ctx))).plaintext;
  } catch (err) {
    step.error = plain(err);
    step.code = err.code || 'error';
  }
  return step;
}

// The public record's keys of an actor (GET /v1/actors/{id}), fetched
// once per view.
function keysOf(ctx) {
  if (!ctx.keyCache) ctx.keyCache = new Map();
  return (id) => {
    if (!ctx.keyCache.has(id)) {
      ctx.keyCache.set(id, get('/v1/actors/' + encodeURIComponent(id)).then((r) => (r.actor && r.actor.keys) || [], () => []));
    }
    return ctx.keyCache.get(id);
  };
}

function who(ctx, code) {
  return named(ctx.names, code);
}

// The message of a step, as the page shows it.
function messageOf(step, short) {
  if (step.unproved) return h('span', { class: 'error coop-unproved' }, t('coop_unproved', { detail: step.unproved }));
  if (step.error) return h('span', { class: 'error coop-error', 'data-error': step.code }, step.error);
  if (!step.plaintext) return h('span', { class: 'muted' }, t('coop_no_message'));
  const p = step.plaintext;
  const s = typeof p.text === 'string' ? p.text : '';
  if (short) return h('span', { class: 'coop-text', dir: 'auto' }, s.length > 100 ? s.slice(0, 100) + '…' : s);
  return h('div', { class: 'coop-text' }, h('p', { dir: 'auto' }, s),
    p.offence ? h('p', {}, h('strong', {}, t('coop_offence') + ' '), h('span', { dir: 'auto' }, p.offence)) : null,
    p.need ? h('p', {}, h('strong', {}, t('coop_need') + ' '), h('span', { dir: 'auto' }, p.need)) : null,
    Array.isArray(p.attachments) && p.attachments.length ? attachmentList(p.attachments) : null);
}

// Download links for the attachments of a message (their bytes as a Blob
// of type application/octet-stream: the page never renders them).
function attachmentList(atts) {
  return h('div', { class: 'coop-attachments' }, h('p', {}, t('coop_attachments', { n: atts.length })),
    h('ul', {}, atts.map((a) => {
      const name = a && typeof a.name === 'string' ? a.name : '?';
      const bytes = a && typeof a.data === 'string' ? (a.data === '' ? new Uint8Array(0) : base64Decode(a.data)) : null;
      if (!bytes) return h('li', {}, name);
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      return h('li', {}, h('a', { href: url, download: name, dir: 'auto' }, name),
        ` (${typeof a.type === 'string' ? a.type : ''}, ${t('coop_bytes', { n: bytes.length })})`);
    })));
}

function flags(r) {
  return [r.late ? h('span', { class: 'badge coop-late' }, t('coop_late')) : null,
    r.overdue ? h('span', { class: 'badge coop-overdue' }, t('coop_overdue')) : null];
}

function boxTable(ctx, items, first, box) {
  const other = box === 'inbox' ? 'from' : 'to';
  return h('table', { id: 'coop-' + box },
    h('caption', {}, t('coop_' + box)),
    h('thead', {}, h('tr', {}, [t('coop_request'), t('coop_' + other), t('coop_kind'), t('coop_severity'), t('coop_tlp'),
      t('coop_status'), t('coop_sent'), t('coop_deadline'), t('coop_message')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((r, i) => h('tr', { 'data-request': r.id },
      h('td', {}, h('a', { href: '#/cooperation/requests/' + encodeURIComponent(r.id) }, r.id)),
      h('td', {}, who(ctx, r[other])), h('td', {}, label('coop_kind_', r.kind)), h('td', {}, label('coop_sev_', r.severity)),
      h('td', {}, r.tlp), h('td', { class: 'coop-status' }, label('coop_st_', r.status), ' ', flags(r)),
      h('td', {}, date(r.sent_ms)), h('td', {}, date(r.deadline_ms)), h('td', {}, messageOf(first[i], true))))));
}

async function box(ctx, which) {
  const r = await coopGet('/v1/cooperation/requests?box=' + which, ctx.ui.key, ctx.ui.actor);
  const items = (r.items || []).slice().sort((a, b) => b.sent_ms - a.sent_ms);
  if (items.length === 0) return h('p', { id: 'coop-' + which + '-empty' }, t('coop_box_empty'));
  const first = await Promise.all(items.map((x) => openStep(ctx, x.events[0].leaf).catch((e) => ({ error: plain(e), code: e.code }))));
  return boxTable(ctx, items, first, which);
}

function directoryEntry(ctx) {
  const d = ctx.directory.find((x) => x.member === ctx.ui.actor);
  if (!d) return h('p', { id: 'poc-none' }, t('coop_poc_none'));
  return h('ul', { id: 'poc-current' }, d.contacts.map((c) => h('li', {},
    `${c.id}: ${c.name} (${label('coop_fn_', c.function)}), ${c.email}, ${c.phone}, ${c.hours}, ${c.time_zone}`)));
}

function publicView(ctx, fig) {
  const line = ctx && ctx.who ? t('coop_only_members', { id: ctx.who.id || '' }) : null;
  return { title: t('coop_title'), envelope: fig.envelope, body: h('div', { class: 'view view-coop' },
    h('p', {}, t('coop_intro_public')),
    line ? h('p', {}, line) : h('p', { id: 'coop-import-key' }, h('a', { href: '#/key' }, t('coop_import_key'))),
    fig.body) };
}

// #/cooperation
export async function viewCoop() {
  const ctx = await coopFrame();
  if (!ctx || !ctx.ui) return publicView(ctx, await figuresSection());
  const { ui } = ctx;
  const member = ctx.who.kind === 'member';
  const parts = [h('p', {}, t('coop_acting_as', { name: member ? who(ctx, ui.actor) : ui.actor })), ui.out, ui.confirm];
  if (member) {
    const [inbox, outbox, pings] = await Promise.all([box(ctx, 'inbox'), box(ctx, 'outbox'),
      coopGet('/v1/cooperation/pings', ui.key, ui.actor)]);
    const now = Date.now();
    parts.push(section(t('coop_keys_title'), contactKeys(ctx), 2, 'coop-keys'),
      section(t('coop_inbox'), inbox, 2, 'coop-inbox-h'), section(t('coop_outbox'), outbox, 2, 'coop-outbox-h'),
      section(t('coop_send_title'), sendForm(ctx), 2, 'coop-send-h'),
      section(t('coop_pings_title'), pingAckForms(ctx, pings.items || [], now), 2, 'coop-ping-h'),
      section(t('coop_poc_title'), [directoryEntry(ctx), pocForm(ctx)], 2, 'coop-poc-h'));
  }
  parts.push(h('p', {}, h('a', { href: '#/cooperation/pings' }, t('coop_pings_link')), ' · ',
    h('a', { href: '#/cooperation/figures' }, t('coop_figures_link'))));
  return { title: t('coop_title'), envelope: ctx.envelope, body: h('div', { class: 'view view-coop' }, parts) };
}

function stepItem(ctx, ev, step) {
  const actor = step.action ? step.action.actor : '';
  return h('li', { 'data-step': ev.type, 'data-leaf': ev.leaf },
    h('p', {}, h('strong', {}, label('coop_ev_', ev.type)), ' — ', date(ev.ms), ' — ', actor ? who(ctx, actor) : '',
      ' ', h('span', { class: 'muted' }, t('coop_entry', { index: ev.leaf }))),
    step.proved ? h('p', { class: 'muted coop-proved' }, t('coop_proved', { size: step.proved.size, signer: step.proved.signer })) : null,
    step.action && step.action.grounds ? h('p', {}, t('coop_grounds') + ' ', label('coop_gr_', step.action.grounds)) : null,
    messageOf(step, false));
}

// #/cooperation/requests/ID
export async function viewRequest(id) {
  const ctx = await coopFrame();
  if (!ctx || !ctx.ui || ctx.who.kind !== 'member') return publicView(ctx, await figuresSection());
  const all = await coopGet('/v1/cooperation/requests?box=all', ctx.ui.key, ctx.ui.actor);
  const req = (all.items || []).find((r) => r.id === id);
  if (!req) throw Object.assign(new Error(t('coop_no_request', { id })), { status: 404 });
  const steps = await Promise.all(req.events.map((ev) => openStep(ctx, ev.leaf).catch((e) => ({ error: plain(e), code: e.code }))));
  const summary = dl([
    [t('coop_from'), who(ctx, req.from)], [t('coop_to'), who(ctx, req.to)],
    [t('coop_kind'), label('coop_kind_', req.kind)], [t('coop_severity'), label('coop_sev_', req.severity)],
    [t('coop_tlp'), req.tlp], [t('coop_status'), h('span', { id: 'coop-status' }, label('coop_st_', req.status), ' ', flags(req))],
    [t('coop_sent'), date(req.sent_ms)], [t('coop_deadline'), date(req.deadline_ms)],
    [t('coop_acked'), req.acknowledged_ms ? date(req.acknowledged_ms) : '—'],
    req.legal_basis ? [t('coop_legal_basis'), h('span', { dir: 'auto' }, req.legal_basis)] : null,
  ].filter(Boolean));
  const body = h('div', { class: 'view view-coop-request' }, summary,
    section(t('coop_steps'), h('ol', { id: 'coop-steps' }, req.events.map((ev, i) => stepItem(ctx, ev, steps[i]))), 2, 'coop-steps-h'),
    panel([h('h2', { id: 'act' }, t('coop_act_title')), ctx.ui.out, requestForms(ctx, req), ctx.ui.confirm]),
    h('p', {}, h('a', { href: '#/cooperation' }, t('coop_back'))));
  return { title: t('coop_request_title', { id }), envelope: all, body };
}
