// Acting in a session (the end of #/sessions/ID), with the key kept in
// this browser: a member registers its delegation (session.register) and
// delivers a statement under an item of the adopted agenda, or a right of
// reply to another delegation's statement (statement.deliver); an
// accredited stakeholder delivers a statement in the stakeholder segment.
// Every action goes through act.js start(): shown exactly as it will be
// signed, signed only once confirmed.
import { t, label, pick } from './i18n.js';
import { h } from './dom.js';
import { frame, panel, start, form, button, texts, message } from './act.js';
import './i18n_sessions.js';

// A fresh identifier: PREFIX-actor-<base36 time>, of the forum's alphabet
// (the server refuses it, already-exists, if taken).
export const freshId = (prefix, actor) => `${prefix}-${actor.toLowerCase()}-${Date.now().toString(36)}`;

export function idField(id, value) {
  return h('p', {}, h('label', { for: id }, t('ss_act_id')), ' ',
    h('input', { type: 'text', id, name: id, value, required: true, maxlength: '64',
      pattern: '[A-Za-z0-9._:\\-]{1,64}', dir: 'ltr' }));
}

const itemTitle = (it) => pick(it.title);

// The item the floor is on for delegations: that of the latest statement
// by a member (a stakeholder segment does not move it), else the first.
function currentItem(items) {
  let best = items.length ? items[0].id : null;
  let leaf = -1;
  for (const it of items) {
    for (const st of it.statements || []) {
      if (st.as !== 'stakeholder' && st.leaf > leaf) { leaf = st.leaf; best = it.id; }
    }
  }
  return best;
}

function itemSelect(items) {
  const cur = currentItem(items);
  return h('p', {}, h('label', { for: 'st-item' }, t('ss_act_item')), ' ',
    h('select', { id: 'st-item', name: 'st-item' }, items.map((it) =>
      h('option', { value: it.id, selected: it.id === cur }, t('ss_item', { id: it.id }) + ' ' + itemTitle(it)))));
}

function modeSelect() {
  return h('p', {}, h('label', { for: 'st-mode' }, t('ss_act_mode')), ' ',
    h('select', { id: 'st-mode', name: 'st-mode' }, ['oral', 'written'].map((m) => h('option', { value: m }, label('ss_mode_', m)))));
}

// The statements another delegation delivered, for a right of reply.
function replySelect(s, code) {
  const others = [];
  for (const it of s.agenda.items) {
    for (const st of it.statements || []) {
      if (st.by !== code && st.as === 'member') others.push([it, st]);
    }
  }
  return h('p', {}, h('label', { for: 'st-reply' }, t('ss_act_reply')), ' ',
    h('select', { id: 'st-reply', name: 'st-reply' }, h('option', { value: '' }, t('ss_act_reply_none')),
      others.map(([it, st]) => h('option', { value: st.id, 'data-item': it.id },
        `${st.name || st.by} · ${t('ss_item', { id: it.id })} · ${st.id}`))));
}

function statementForm(ui, s, items, reply) {
  return form(ui, 'statement', (f) => {
    const txt = f.elements['st-text'].value.trim();
    if (!txt) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    const fields = { id: f.elements['st-id'].value.trim(), session: s.id, item: f.elements['st-item'].value,
      mode: f.elements['st-mode'].value, text: texts(ui, txt) };
    const to = f.elements['st-reply'] ? f.elements['st-reply'].value : '';
    if (to) {
      fields.reply_to = to;
      fields.item = f.elements['st-reply'].selectedOptions[0].dataset.item; // a reply is under the answered item
    }
    start(ui, 'statement.deliver', fields);
  }, h('h3', {}, t('ss_act_deliver')), itemSelect(items), modeSelect(), reply,
  h('label', { for: 'st-text' }, t('ss_act_text')),
  h('textarea', { id: 'st-text', name: 'st-text', rows: '5', required: true, maxlength: '16000' }),
  idField('st-id', freshId('st', ui.actor)), button('ss_act_deliver'));
}

function memberForms(ui, s, code) {
  const registered = (s.participants || []).some((p) => p.code === code);
  const out = [h('p', { class: 'ss-reg' }, t(registered ? 'ss_act_registered' : 'ss_act_not_registered'))];
  if (!registered && s.status !== 'closed') {
    out.push(form(ui, 'register', () => start(ui, 'session.register', { session: s.id }), button('ss_act_register')));
  }
  if (s.status === 'open' && s.agenda.status === 'adopted') {
    out.push(statementForm(ui, s, s.agenda.items, replySelect(s, code)));
  } else {
    out.push(h('p', {}, t('ss_act_not_open')));
  }
  return out;
}

function stakeholderForms(ui, s) {
  const seg = (s.segments || []).find((g) => g.closed_ms == null);
  if (s.status !== 'open' || !seg) return [h('p', {}, t('ss_act_no_segment'))];
  const items = s.agenda.items.filter((it) => it.id === seg.item);
  return [h('p', {}, t('ss_act_segment', { item: seg.item })), statementForm(ui, s, items, null)];
}

// The controls for session s (GET /v1/sessions/{ID}'s session), or a line
// that says how to take part.
export async function sessionPanel(s) {
  const { rec, who, ui, head } = await frame();
  if (!rec) {
    return s.status === 'closed' ? null : panel([h('h2', { id: 'act' }, t('key_title')),
      h('p', {}, h('a', { href: '#/key' }, t('ss_act_import')))]);
  }
  if (!ui) {
    const line = who.kind ? t('ss_act_officer', { id: who.id }) : t('key_unknown', { id: rec.name });
    return panel([h('h2', { id: 'act' }, t('key_title')), h('p', {}, line)]);
  }
  const forms = who.kind === 'member' ? memberForms(ui, s, who.id) : stakeholderForms(ui, s);
  return panel([head, ui.out, forms, ui.confirm]);
}
