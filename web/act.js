// Acting as a member in the page: the key kept in this browser (keys.js)
// and, on a decision, the controls a delegate needs (join, object,
// withdraw an objection, request a vote, break silence, vote, explain a
// position). Each action is built and shown exactly as it will be signed
// (sign.js prepareAction); only after the delegate confirms is it signed
// and sent. Loaded only by the views that need it (app.js stays small).
import { get, members, memberName } from './api.js';
import { t, has, label, lang, LANG_NAMES } from './i18n.js';
import { h } from './dom.js';
import './i18n_act.js';
import { indexedDbStore, listKeys, checkActor, KeyError } from './keys.js';
import { prepareAction, signAndSend, SignError, ActionRefused } from './sign.js';

let store = null;

// The page's key store (IndexedDB "pnyx").
export function keyStore() {
  if (!store) store = indexedDbStore();
  return store;
}

// The key kept in this browser (the last imported), or null.
export async function currentKey() {
  const all = await listKeys(keyStore());
  return all.length ? all[all.length - 1] : null;
}

// Whose key rec is, asked again of the server: {id, status, kind}
// (status 'active', 'revoked', 'absent' or 'no-actor').
export async function whose(rec) {
  const id = rec.actor && rec.actor.id;
  if (!id) return { id: null, status: 'no-actor', kind: null };
  try {
    return await checkActor(id, rec.vkey);
  } catch (e) {
    return rec.actor;
  }
}

// A refusal or failure as a plain sentence in the page's language.
export function plain(e) {
  if (e instanceof KeyError && has('key_' + e.code)) return t('key_' + e.code);
  if (e instanceof SignError && has('sign_' + e.code)) return t('sign_' + e.code, { path: e.path, max: e.max });
  if (e instanceof ActionRefused && has('prob_' + e.code)) return t('prob_' + e.code);
  return e && e.message ? e.message : String(e);
}

// The outcome of the last action, shown once after the view is refreshed.
let last = null;

export function message(text, isError, detail, index) {
  return h('div', { class: isError ? 'act-msg error' : 'act-msg', role: isError ? 'alert' : 'status', tabindex: '-1' },
    h('p', {}, text, index != null ? [' ', h('a', { href: '#/record?index=' + index }, t('rec_verify_link'))] : null),
    detail ? h('p', { class: 'muted' }, t('act_server_said', { detail })) : null);
}

// A refusal shown in ui.out (in explain's words), the confirmation taken down.
function refuse(ui, e, explain) {
  ui.confirm.replaceChildren();
  const m = message(t('act_refused', { detail: explain(e) }), true, e && e.detail);
  ui.out.replaceChildren(m);
  m.focus();
}

// The confirmation step of every action (this page's and act_coop.js's):
// prepare() builds {text (exactly what will be signed), note (a line shown
// under it, or null)}; the text is shown, and once the delegate confirms,
// send(text) signs and sends it and returns the outcome kept for the view
// drawn again ({text, index (in the public record, or null)}). A refusal
// at either step is shown as explain(e).
export async function confirmStep(ui, prepare, send, explain = plain) {
  ui.out.replaceChildren();
  let prep;
  try {
    prep = await prepare();
  } catch (e) {
    refuse(ui, e, explain);
    return;
  }
  const head = h('h3', { tabindex: '-1' }, t('act_confirm_title'));
  const sign = h('button', { type: 'button', class: 'primary', onclick: async () => {
    for (const b of ui.confirm.querySelectorAll('button')) b.disabled = true;
    ui.out.replaceChildren(h('p', { role: 'status' }, t('act_sending')));
    try {
      last = { where: location.hash, ...await send(prep.text) };
      window.dispatchEvent(new CustomEvent('pnyx:refresh'));
    } catch (e) {
      refuse(ui, e, explain);
    }
  } }, t('act_sign'));
  const cancel = h('button', { type: 'button', onclick: () => {
    ui.confirm.replaceChildren();
    const m = message(t('act_cancelled'), false);
    ui.out.replaceChildren(m);
    m.focus();
  } }, t('act_cancel'));
  ui.confirm.replaceChildren(head,
    h('p', {}, t('act_confirm_text')),
    h('pre', { class: 'to-sign', lang: 'en', dir: 'ltr', tabindex: '0', 'aria-label': t('act_confirm_text') }, prep.text),
    prep.note ? h('p', { class: 'muted' }, prep.note) : null,
    h('p', { class: 'buttons' }, sign, ' ', cancel));
  head.focus();
}

// The outcome of the last action if it was taken on this view, once.
export function takeDone() {
  const done = last && last.where === location.hash ? last : null;
  last = null;
  return done;
}

// Builds, shows and (once confirmed) signs and sends one action.
// ui: {key, actor, out, confirm, textLang}.
export function start(ui, type, fields) {
  return confirmStep(ui, async () => {
    const prep = await prepareAction({ actor: ui.actor, type, fields }, ui.key);
    return { text: prep.text, note: prep.training ? t('act_training') : null };
  }, async (text) => {
    const r = await signAndSend(text, ui.key);
    return { text: t('act_recorded', { index: r.index }), index: r.index };
  });
}

// A text of the record in the language chosen in the panel.
export const texts = (ui, s) => ({ [ui.textLang.value]: s });

export function textArea(id, labelKey, required) {
  return [h('label', { for: id }, t(labelKey)),
    h('textarea', { id, name: id, rows: '3', required: required || null, maxlength: '8000' })];
}

export function form(ui, name, onsubmit, ...content) {
  return h('form', { class: 'act', 'data-act': name, onsubmit: (ev) => { ev.preventDefault(); onsubmit(ev.target); } },
    ...content);
}

export function button(key) {
  return h('p', {}, h('button', { type: 'submit' }, t(key)));
}

// The paragraphs of the revision the decision concerns, as checkboxes.
async function dissociateBox(dec) {
  const s = dec.subject || {};
  if (s.kind !== 'document') return null;
  let rev;
  try {
    rev = await get(`/v1/documents/${encodeURIComponent(s.document)}/revisions/${encodeURIComponent(s.revision)}`);
  } catch (e) {
    return null;
  }
  const paras = (rev.revision && rev.revision.paragraphs) || [];
  return h('details', {}, h('summary', {}, t('act_dissociate')),
    h('fieldset', {}, h('legend', {}, t('act_dissociate')), paras.map((p) => {
      const id = 'dis-' + p.id;
      const txt = (p.text && (p.text[lang()] || p.text.en)) || '';
      return h('p', {}, h('input', { type: 'checkbox', id, name: 'dissociate', value: p.id }), ' ',
        h('label', { for: id }, p.id + ': ' + (txt.length > 90 ? txt.slice(0, 90) + '…' : txt)));
    })));
}

async function consensusForms(ui, dec, pos) {
  const id = dec.id;
  const out = [form(ui, 'join', (f) => {
    const dis = [...f.querySelectorAll('input[name=dissociate]:checked')].map((c) => c.value);
    start(ui, 'consensus.join', dis.length ? { decision: id, dissociate: dis } : { decision: id });
  }, await dissociateBox(dec), button('act_join'))];
  out.push(form(ui, 'object', (f) => {
    const r = f.elements['act-reason'].value.trim();
    start(ui, 'consensus.object', r ? { decision: id, reason: texts(ui, r) } : { decision: id });
  }, ...textArea('act-reason', 'act_reason_opt', false), button('act_object')));
  if (pos && pos.position === 'objected') {
    out.push(form(ui, 'withdraw', () => start(ui, 'consensus.withdraw_objection', { decision: id }),
      button('act_withdraw')));
  }
  out.push(form(ui, 'request-vote', () => start(ui, 'vote.request', { decision: id }), button('act_request_vote')));
  return out;
}

function silenceForms(ui, dec) {
  return [form(ui, 'break', (f) => {
    const r = f.elements['act-break-reason'].value.trim();
    if (!r) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    start(ui, 'silence.break', { decision: dec.id, reason: texts(ui, r) });
  }, ...textArea('act-break-reason', 'act_reason', true), button('act_break'))];
}

function voteForms(ui, dec) {
  return [form(ui, 'vote', (f) => {
    const v = f.querySelector('input[name=vote]:checked');
    if (v) start(ui, 'vote.cast', { decision: dec.id, vote: v.value });
  }, h('fieldset', {}, h('legend', {}, t('act_vote')), ['yes', 'no', 'abstain'].map((v) =>
    h('p', {}, h('input', { type: 'radio', id: 'vote-' + v, name: 'vote', value: v, required: true }), ' ',
      h('label', { for: 'vote-' + v }, t('vote_' + v))))), button('act_cast'))];
}

function explainForm(ui, dec) {
  return form(ui, 'explain', (f) => {
    const r = f.elements['act-explain'].value.trim();
    if (!r) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    start(ui, 'position.explain', { decision: dec.id, when: dec.status === 'open' ? 'before' : 'after', text: texts(ui, r) });
  }, h('h3', {}, t('act_explain')), ...textArea('act-explain', 'act_explanation', true), button('act_send_explain'));
}

function langSelect(forum) {
  const langs = (forum.forum && forum.forum.languages) || ['en'];
  const sel = h('select', { id: 'act-lang' }, langs.map((l) => h('option', { value: l, lang: l }, LANG_NAMES[l] || l)));
  sel.value = langs.includes(lang()) ? lang() : langs[0];
  return sel;
}

export function panel(children) {
  return h('section', { class: 'act-panel', 'aria-labelledby': 'act' }, children);
}

// What every panel starts from: the kept key, whose it is, the outcome of
// the last action on this view (once), and the ui of start() for a
// member's or stakeholder's key (null without a key). Returns {rec, who,
// done, ui, head} where head is the panel's heading and first lines.
export async function frame() {
  let rec = null;
  try { rec = await currentKey(); } catch (e) { rec = null; }
  const done = takeDone();
  if (!rec) return { rec, who: null, done, ui: null, head: [] };
  const who = await whose(rec);
  if (who.kind !== 'member' && who.kind !== 'stakeholder') return { rec, who, done, ui: null, head: [] };
  const [names, forum] = await Promise.all([members(lang()), get('/v1/forum')]);
  const ui = { key: rec, actor: who.id, out: h('div', { class: 'act-out' }), confirm: h('div', { class: 'act-confirm' }) };
  ui.textLang = langSelect(forum);
  if (done) {
    ui.out.append(message(done.text, false, null, done.index));
    setTimeout(() => { const m = ui.out.querySelector('.act-msg'); if (m) m.focus(); }, 0);
  }
  const name = who.kind === 'member' ? memberName(names, who.id) : who.id;
  const head = [h('h2', { id: 'act' }, t('act_title', { name })),
    who.status !== 'active' ? h('p', { class: 'error' }, t('act_key_warning'), t('key_unknown', { id: who.id })) : null,
    h('p', {}, h('label', { for: 'act-lang' }, t('act_text_lang')), ' ', ui.textLang)];
  return { rec, who, done, ui, head };
}

// The controls for the decision dec (the engine's object), or a line that
// says how to take part; null when there is nothing to offer.
export async function decisionPanel(dec) {
  const { rec, who, ui, head } = await frame();
  if (!rec) {
    return dec.status === 'open' ? panel([h('h2', { id: 'act' }, t('key_title')),
      h('p', {}, h('a', { href: '#/key' }, t('act_import')))]) : null;
  }
  if (who.kind !== 'member') {
    const line = who.kind ? t('act_not_member', { id: who.id }) : t('key_unknown', { id: rec.name });
    return panel([h('h2', { id: 'act' }, t('key_title')), h('p', {}, line)]);
  }
  const pos = (dec.positions || {})[who.id] || null;
  let forms = [];
  if (dec.status === 'open' && dec.procedure === 'consensus') forms = await consensusForms(ui, dec, pos);
  if (dec.status === 'open' && dec.procedure === 'silence') forms = silenceForms(ui, dec);
  if (dec.status === 'open' && dec.procedure === 'vote') forms = voteForms(ui, dec);
  forms.push(explainForm(ui, dec));
  return panel([head[0], head[1],
    h('p', {}, t('act_now', { pos: pos ? label('pos_', pos.position) : t('not_spoken') })),
    head[2], ui.out, forms, ui.confirm]);
}
