// Acting on the forum view (#/forum), with a member's key kept in this
// browser: object to a pending stakeholder's accreditation while its
// window is open (stakeholder.object, with an optional reason), or
// withdraw the member's standing objection (stakeholder.withdraw_objection).
// Every action goes through act.js start().
import { t, date } from './i18n.js';
import { h } from './dom.js';
import { frame, panel, start, form, button, textArea, texts } from './act.js';

function applicant(ui, s, code) {
  const standing = (s.objections || []).some((o) => o.member === code && o.withdrawn_ms == null);
  const k = s.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const head = h('p', { id: 'sh-head-' + k }, h('strong', {}, s.name || s.id), ' ', h('code', {}, s.id), ' · ',
    t('sh_window', { date: date(s.window_end_ms) }));
  if (standing) {
    return h('li', {}, head, h('p', {}, h('button', { type: 'button', 'data-sh-withdraw': s.id, 'aria-describedby': 'sh-head-' + k,
      onclick: () => start(ui, 'stakeholder.withdraw_objection', { stakeholder: s.id }) }, t('sh_withdraw'))));
  }
  return h('li', {}, head, form(ui, 'sh-object-' + s.id, (f) => {
    const r = f.elements['sh-reason-' + k].value.trim();
    start(ui, 'stakeholder.object', r ? { stakeholder: s.id, reason: texts(ui, r) } : { stakeholder: s.id });
  }, ...textArea('sh-reason-' + k, 'act_reason_opt', false), button('sh_object')));
}

// The controls for the stakeholders (GET /v1/stakeholders items) whose
// objection window is open, or null for any key but a member's.
export async function forumPanel(items) {
  const { rec, who, ui, head } = await frame();
  if (!rec || !ui || who.kind !== 'member') return null;
  const now = Date.now();
  const open = items.filter((s) => s.status === 'pending' && typeof s.window_end_ms === 'number' && s.window_end_ms > now);
  return panel([head, h('h3', {}, t('sh_title')), ui.out,
    open.length ? h('ul', { class: 'sh-actions' }, open.map((s) => applicant(ui, s, who.id))) : h('p', {}, t('none')),
    ui.confirm]);
}
