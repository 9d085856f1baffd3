// Acting on the cooperation log from the page (docs/WEB.md "Cooperation"):
// the delegation's key (act.js, keys.js) and its contact keys
// (coop_seal.js), the confirmation of exactly the text that will be signed,
// and the forms: register points of contact, send a request (encrypted in
// this browser to the recipient's contacts and the sender's own),
// acknowledge, answer, decline, close, and the ping test (start a round:
// the secretariat; acknowledge it: a member). Loaded with the cooperation
// views only.
import { members, memberName } from './api.js';
import { t, has, label, lang } from './i18n.js';
import { h } from './dom.js';
import { currentKey, whose, plain as plainAct, message, form, button, confirmStep, takeDone } from './act.js';
import { base64Encode, listKeys, forgetKey } from './keys.js';
import { contactStore, importContactKeyFile, saveContact, seal, CoopError } from './coop_seal.js';
import { coopGet, prepareCoop, signAndSendCoop, buildCoopAction, coopMe, recipientsOf, KINDS, SEVERITIES, TLPS, GROUNDS } from './coop_api.js';
import { actionText } from './sign.js';
import './i18n_coop.js';

// A refusal or failure as a plain sentence in the page's language.
export function plain(e) {
  if (e instanceof CoopError && has('coop_err_' + e.code)) return t('coop_err_' + e.code);
  return plainAct(e);
}

// Everything a cooperation view needs about who is reading: {rec (the
// member's key), who ({id, kind, status}), names, directory (items),
// contacts ([{rec, member, contact}]: kept contact keys, placed in the
// directory by their public key), ui ({key, actor, out, confirm})}, or
// null without a member's or the secretariat's key.
export async function coopFrame() {
  let rec = null;
  try { rec = await currentKey(); } catch (e) { rec = null; }
  if (!rec) return null;
  const who = await whose(rec);
  if (who.kind !== 'member' && who.kind !== 'secretariat') return { rec, who, ui: null };
  let names, dir, kept;
  try {
    [names, dir, kept] = await Promise.all([members(lang()),
      coopGet('/v1/cooperation/directory', rec, who.id), listKeys(contactStore())]);
  } catch (e) {
    throw Object.assign(new Error(plain(e)), { status: e.status }); // the view's error line, in the page's language
  }
  const directory = dir.items || [];
  const contacts = kept.map((c) => {
    for (const d of directory) {
      const hit = (d.contacts || []).find((x) => x.key === c.pkText);
      if (hit) return { rec: c, member: d.member, contact: hit.id };
    }
    return { rec: c, member: null, contact: null };
  });
  const ui = { key: rec, actor: who.id, out: h('div', { class: 'act-out' }), confirm: h('div', { class: 'act-confirm' }) };
  const done = takeDone();
  if (done) {
    const m = message(done.text, false);
    m.id = 'coop-done';
    ui.out.append(m);
    setTimeout(() => m.focus(), 0);
  }
  return { rec, who, names, directory, contacts, ui, envelope: dir };
}

// The keys that may open a sealed body here: [{privateKey, member, contact}].
export function openKeys(ctx) {
  return ctx.contacts.map((c) => ({ privateKey: c.rec.privateKey, member: c.member, contact: c.contact }));
}

// Builds one action (sealing sealWith.plaintext to sealWith.recipients
// under the action's own envelope), shows the text to sign, and signs and
// sends it once the delegate confirms (act.js confirmStep).
export function startCoop(ui, type, fields, sealWith = null) {
  return confirmStep(ui, async () => {
    if (!sealWith) return { text: (await prepareCoop({ actor: ui.actor, type, fields }, ui.key)).text, note: null };
    const me = await coopMe(ui.key, ui.actor);
    const env = { forum: me.forum, actor: ui.actor, seq: me.seq, type };
    const sealed = await seal(sealWith.plaintext, sealWith.recipients, env);
    return { text: actionText(buildCoopAction({ ...env, fields: { ...fields, sealed } })),
      note: t('coop_sealed_note', { n: sealWith.recipients.length }) };
  }, async (text) => {
    const r = await signAndSendCoop(text, ui.key);
    return { text: t('coop_recorded', { index: r.index }), index: null }; // not an index of the public record
  }, plain);
}

// ---- form pieces ----

export function field(id, labelKey, input) {
  return h('p', {}, h('label', { for: id }, t(labelKey)), ' ', input);
}

export function text(id, opts = {}) {
  return h('input', { type: 'text', id, name: id, maxlength: opts.max || '200', required: opts.required || null, value: opts.value || null });
}

export function area(id, required) {
  return h('textarea', { id, name: id, rows: '4', required: required || null, maxlength: '20000' });
}

export function choice(id, values, prefix, required = true) {
  return h('select', { id, name: id, required: required || null },
    required ? null : h('option', { value: '' }, '—'),
    values.map((v) => h('option', { value: v }, label(prefix, v))));
}

const val = (f, id) => (f.elements[id] ? f.elements[id].value.trim() : '');

// A file input for attachments (sealed with the text).
export function filesInput(id) {
  return field(id, 'coop_files', h('input', { type: 'file', id, name: id, multiple: true }));
}

// The plaintext of a message: {text, attachments: [{name, type, data
// (base64)}]} from the text and the files chosen in input id of form f.
export async function plaintextOf(f, textId, filesId) {
  const files = f.elements[filesId] && f.elements[filesId].files ? [...f.elements[filesId].files] : [];
  const attachments = [];
  for (const file of files) {
    attachments.push({ name: file.name, type: file.type || 'application/octet-stream',
      data: base64Encode(new Uint8Array(await file.arrayBuffer())) });
  }
  return { text: val(f, textId), attachments };
}

// ---- sending a request ----

function needText(ui, msgKey) {
  ui.out.replaceChildren(message(t(msgKey), true));
  ui.out.firstChild.focus();
}

// The form to send a request to another member with a directory entry.
export function sendForm(ctx) {
  const { ui } = ctx;
  const others = ctx.directory.map((d) => d.member).filter((m) => m !== ui.actor);
  const to = h('select', { id: 'coop-to', name: 'coop-to', required: true },
    others.map((m) => h('option', { value: m }, `${memberName(ctx.names, m)} (${m})`)));
  const dataOnly = h('div', { class: 'coop-data' },
    field('coop-legal', 'coop_legal_basis', text('coop-legal', { max: '500' })),
    field('coop-offence', 'coop_offence', area('coop-offence')),
    field('coop-need', 'coop_need', area('coop-need')));
  const kind = choice('coop-kind', KINDS, 'coop_kind_');
  const sync = () => { dataOnly.hidden = kind.value !== 'data'; };
  kind.addEventListener('change', sync);
  sync();
  return form(ui, 'send', async (f) => {
    const k = val(f, 'coop-kind');
    const plaintext = await plaintextOf(f, 'coop-text', 'coop-files');
    if (!plaintext.text) return needText(ui, 'act_need_text');
    const fields = { to: val(f, 'coop-to'), kind: k, severity: val(f, 'coop-severity'), tlp: val(f, 'coop-tlp') };
    if (k === 'data') {
      fields.legal_basis = val(f, 'coop-legal');
      plaintext.offence = val(f, 'coop-offence');
      plaintext.need = val(f, 'coop-need');
      if (!fields.legal_basis || !plaintext.offence || !plaintext.need) return needText(ui, 'coop_data_needs');
    }
    const recipients = recipientsOf(ctx.directory, fields.to, ui.actor);
    if (recipients.length === 0) return needText(ui, 'coop_no_contacts');
    return startCoop(ui, 'request.send', fields, { plaintext, recipients });
  }, h('h3', {}, t('coop_send_title')),
  others.length ? field('coop-to', 'coop_to', to) : h('p', {}, t('coop_nobody')),
  field('coop-kind', 'coop_kind', kind), field('coop-severity', 'coop_severity', choice('coop-severity', SEVERITIES, 'coop_sev_')),
  field('coop-tlp', 'coop_tlp', choice('coop-tlp', TLPS, 'coop_tlp_')),
  field('coop-text', 'coop_text', area('coop-text', true)), filesInput('coop-files'), dataOnly, button('coop_send'));
}

// ---- steps on a request ----

// The forms the engine allows ctx's member on request req (the engine's
// object): the recipient acknowledges, answers, declines; either closes.
export function requestForms(ctx, req) {
  const { ui } = ctx;
  const id = req.id;
  const out = [];
  const isTo = req.to === ui.actor;
  const sender = req.from;
  const replyTo = () => recipientsOf(ctx.directory, sender, ui.actor);
  if (isTo && req.status === 'sent') {
    out.push(form(ui, 'ack', () => startCoop(ui, 'request.ack', { request: id }), button('coop_ack')));
  }
  if (isTo && ['sent', 'acknowledged', 'answered'].includes(req.status)) {
    out.push(form(ui, 'answer', async (f) => {
      const plaintext = await plaintextOf(f, 'coop-answer', 'coop-answer-files');
      if (!plaintext.text) return needText(ui, 'act_need_text');
      return startCoop(ui, 'request.answer', { request: id }, { plaintext, recipients: replyTo() });
    }, h('h3', {}, t('coop_answer_title')), field('coop-answer', 'coop_text', area('coop-answer', true)),
    filesInput('coop-answer-files'), button('coop_answer')));
  }
  if (isTo && ['sent', 'acknowledged'].includes(req.status)) {
    out.push(form(ui, 'decline', (f) => {
      const s = val(f, 'coop-why');
      const fields = { request: id, grounds: val(f, 'coop-grounds') };
      return s ? startCoop(ui, 'request.decline', fields, { plaintext: { text: s, attachments: [] }, recipients: replyTo() })
        : startCoop(ui, 'request.decline', fields);
    }, h('h3', {}, t('coop_decline_title')), field('coop-grounds', 'coop_grounds', choice('coop-grounds', GROUNDS, 'coop_gr_')),
    field('coop-why', 'coop_explain_opt', area('coop-why')), button('coop_decline')));
  }
  if ((isTo || req.from === ui.actor) && req.status !== 'closed') {
    out.push(form(ui, 'close', () => startCoop(ui, 'request.close', { request: id }), button('coop_close')));
  }
  return out;
}

// ---- points of contact ----

function contactFieldset(i, kept) {
  const p = (k) => `poc-${i}-${k}`;
  const keySel = h('select', { id: p('key'), name: p('key'), required: true },
    kept.map((c) => h('option', { value: c.rec.pkText }, c.rec.name)));
  return h('fieldset', { class: 'poc' }, h('legend', {}, t('coop_contact_n', { n: i + 1 })),
    field(p('id'), 'coop_c_id', text(p('id'), { required: true, max: '64', value: i === 0 ? 'cert' : null })),
    field(p('function'), 'coop_c_function', choice(p('function'), ['technical', 'diplomatic'], 'coop_fn_')),
    field(p('name'), 'coop_c_name', text(p('name'), { required: true })),
    field(p('email'), 'coop_c_email', text(p('email'), { required: true })),
    field(p('phone'), 'coop_c_phone', text(p('phone'), { required: true })),
    field(p('hours'), 'coop_c_hours', text(p('hours'), { required: true, value: '24/7' })),
    field(p('tz'), 'coop_c_tz', text(p('tz'), { required: true, value: 'UTC' })),
    field(p('langs'), 'coop_c_langs', text(p('langs'), { required: true, value: 'en' })),
    field(p('key'), 'coop_c_key', keySel));
}

function readContact(f, i) {
  const v = (k) => val(f, `poc-${i}-${k}`);
  return { id: v('id'), function: v('function'), name: v('name'), email: v('email'), phone: v('phone'),
    hours: v('hours'), time_zone: v('tz'), languages: v('langs').split(/[\s,]+/).filter(Boolean), key: v('key') };
}

// poc.register: the whole directory entry, one contact per kept contact
// key (at most 8); a fresh salt.
export function pocForm(ctx) {
  const { ui } = ctx;
  const kept = ctx.contacts.slice(0, 8);
  if (kept.length === 0) return h('p', { id: 'poc-need-key' }, t('coop_poc_need_key'));
  const sets = kept.map((c, i) => contactFieldset(i, kept));
  return form(ui, 'poc', (f) => {
    const contacts = sets.map((s, i) => readContact(f, i));
    const salt = base64Encode(crypto.getRandomValues(new Uint8Array(32)));
    return startCoop(ui, 'poc.register', { contacts, salt });
  }, h('p', {}, t('coop_poc_intro')), sets, button('coop_poc_register'));
}

// The contact keys kept in this browser, and the import of another.
export function contactKeys(ctx) {
  const input = h('input', { type: 'file', id: 'contact-file', name: 'contact-file', accept: '.key,text/plain' });
  const out = h('div', { class: 'key-out' });
  const rows = ctx.contacts.map((c) => h('li', { 'data-contact': c.contact || '' },
    h('code', { dir: 'ltr' }, c.rec.name), ' — ',
    c.member ? t('coop_key_is', { member: c.member, contact: c.contact }) : t('coop_key_unlisted'), ' ',
    h('button', { type: 'button', onclick: async () => {
      await forgetKey(contactStore(), c.rec.vkey);
      window.dispatchEvent(new CustomEvent('pnyx:refresh'));
    } }, t('coop_key_forget'))));
  const submit = async (ev) => {
    ev.preventDefault();
    const file = input.files && input.files[0];
    if (!file) { out.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('key_choose'))); return; }
    try {
      await saveContact(contactStore(), await importContactKeyFile(new Uint8Array(await file.arrayBuffer())));
    } catch (e) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'contact-error' }, t('key_refused', { detail: plain(e) })));
      return;
    }
    window.dispatchEvent(new CustomEvent('pnyx:refresh'));
  };
  return [h('p', {}, t('coop_keys_intro')),
    rows.length ? h('ul', { id: 'contact-keys' }, rows) : h('p', { id: 'contact-none' }, t('coop_keys_none')),
    h('form', { class: 'key-import', onsubmit: submit },
      h('p', {}, h('label', { for: 'contact-file' }, t('coop_key_file')), ' ', input),
      h('p', {}, h('button', { type: 'submit' }, t('coop_key_import'))), out)];
}

// ---- ping tests ----

// For a member: acknowledge each open round, per contact not yet done.
export function pingAckForms(ctx, rounds, now) {
  const { ui } = ctx;
  const out = [];
  for (const r of rounds) {
    const mine = (r.contacts || {})[ui.actor] || [];
    const acked = (r.acks || {})[ui.actor] || {};
    if (r.closes_ms <= now) continue;
    for (const c of mine.filter((x) => acked[x] == null)) {
      out.push(form(ui, `ping-${r.round}-${c}`, () => startCoop(ui, 'ping.ack', { round: r.round, contact: c }),
        h('p', {}, h('button', { type: 'submit' }, t('coop_ping_ack', { round: r.round, contact: c })))));
    }
  }
  return out.length ? out : [h('p', {}, t('coop_ping_none'))];
}

// For the secretariat: start a round (its id proposed from the time).
export function pingStartForm(ctx) {
  const { ui } = ctx;
  const id = text('ping-round', { required: true, max: '64', value: 'ping-' + Date.now().toString(36) });
  return form(ui, 'ping-start', (f) => startCoop(ui, 'ping.start', { round: val(f, 'ping-round') }),
    field('ping-round', 'coop_ping_round', id), button('coop_ping_start'));
}
