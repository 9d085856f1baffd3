// Acting on commitments (the end of #/commitments), with a member's key
// kept in this browser: for each norm of each adopted revision, subscribe
// to it (commitment.subscribe), or, once subscribed, file an
// implementation report (report.file) or withdraw the commitment
// (commitment.withdraw). Every action goes through act.js start().
import { get } from './api.js';
import { t, label, lang } from './i18n.js';
import { h } from './dom.js';
import { frame, panel, start, form, button, textArea, texts, message } from './act.js';

const STATUSES = ['not-started', 'in-progress', 'implemented', 'other'];

// The norm paragraphs of the revision an adopted decision concerns.
async function norms(it) {
  try {
    const r = await get(`/v1/documents/${encodeURIComponent(it.document)}/revisions/${encodeURIComponent(it.revision)}`);
    return ((r.revision && r.revision.paragraphs) || []).filter((p) => p.norm);
  } catch (e) {
    return [];
  }
}

function reportForm(ui, it, norm) {
  const k = `${it.decision}-${norm}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return form(ui, 'report-' + norm, (f) => {
    const txt = f.elements['rp-text-' + k].value.trim();
    if (!txt) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    start(ui, 'report.file', { decision: it.decision, norm, status: f.elements['rp-status-' + k].value, text: texts(ui, txt) });
  }, h('p', {}, h('label', { for: 'rp-status-' + k }, t('rp_status')), ' ',
    h('select', { id: 'rp-status-' + k, name: 'rp-status-' + k }, STATUSES.map((s) => h('option', { value: s }, label('rp_', s))))),
  ...textArea('rp-text-' + k, 'rp_text', true), button('rp_file'));
}

function normItem(ui, it, p, code) {
  const mine = ((it.norms || {})[p.id] || {})[code];
  const txt = (p.text && (p.text[lang()] || p.text.en)) || '';
  const hid = `norm-head-${it.decision}-${p.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const head = h('p', { id: hid }, h('code', {}, p.id), ' · ', txt.length > 120 ? txt.slice(0, 120) + '…' : txt);
  if (mine && mine.status === 'subscribed') {
    return h('li', { 'data-norm': p.id }, head, h('p', {}, t('cm_yours', { status: label('cm_', mine.status) })),
      reportForm(ui, it, p.id),
      h('p', {}, h('button', { type: 'button', 'data-withdraw-norm': p.id, 'aria-describedby': hid,
        onclick: () => start(ui, 'commitment.withdraw', { decision: it.decision, norm: p.id }) }, t('cm_withdraw'))));
  }
  return h('li', { 'data-norm': p.id }, head, h('p', {}, h('button', { type: 'button', 'data-subscribe': p.id, 'aria-describedby': hid,
    onclick: () => start(ui, 'commitment.subscribe', { decision: it.decision, norm: p.id }) }, t('cm_subscribe'))));
}

// The controls for the commitments list items (GET /v1/commitments), or
// null when the kept key is not a member's (the view is public).
export async function commitmentsPanel(items) {
  const { rec, who, ui, head } = await frame();
  if (!rec || !ui || who.kind !== 'member') return null;
  const groups = [];
  for (const it of items) {
    const list = await norms(it);
    if (list.length) {
      groups.push(h('h3', {}, it.document, ' · ', it.decision), h('ul', { class: 'norm-actions' }, list.map((p) => normItem(ui, it, p, who.id))));
    }
  }
  return panel([head, ui.out, groups.length ? groups : h('p', {}, t('none')), ui.confirm]);
}
