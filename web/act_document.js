// Acting on a document (the end of #/documents/ID), with the key kept in
// this browser: a member tables an amendment to a paragraph of the latest
// revision, co-sponsors or withdraws an open amendment; a member or a
// stakeholder submits a written input. Every action goes through act.js
// start(): shown exactly as it will be signed, signed only once confirmed.
import { t, label, lang } from './i18n.js';
import { h } from './dom.js';
import { frame, panel, start, form, button, textArea, texts, message } from './act.js';

function paragraphSelect(id, rev, optional) {
  return h('select', { id, name: id }, optional ? h('option', { value: '' }, t('in_whole')) : null,
    rev.paragraphs.map((p) => {
      const txt = (p.text && (p.text[lang()] || p.text.en)) || '';
      return h('option', { value: p.id }, p.id + ': ' + (txt.length > 60 ? txt.slice(0, 60) + '…' : txt));
    }));
}

// A fresh amendment id for member code: CODE-<base36 time>, an id of the
// forum's alphabet (the server refuses it, already-exists, if taken).
const freshId = (code) => `${code.toLowerCase()}-${Date.now().toString(36)}`;

function tableForm(ui, doc, rev, code) {
  return form(ui, 'table', (f) => {
    const op = f.elements['am-op'].value;
    const txt = f.elements['am-text'].value.trim();
    if (op !== 'delete' && !txt) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    const fields = { id: f.elements['am-id'].value.trim(), document: doc.id, revision: rev.number,
      paragraph: f.elements['am-para'].value, op };
    if (op !== 'delete') fields.text = texts(ui, txt);
    start(ui, 'amendment.table', fields);
  }, h('h3', {}, t('am_table')),
  h('p', {}, h('label', { for: 'am-para' }, t('am_paragraph')), ' ', paragraphSelect('am-para', rev, false)),
  h('p', {}, h('label', { for: 'am-op' }, t('am_op')), ' ', h('select', { id: 'am-op', name: 'am-op' },
    ['replace', 'insert_after', 'delete'].map((o) => h('option', { value: o }, label('op_', o))))),
  ...textArea('am-text', 'am_text', false),
  h('p', {}, h('label', { for: 'am-id' }, t('am_id')), ' ',
    h('input', { type: 'text', id: 'am-id', name: 'am-id', value: freshId(code), required: true, maxlength: '64',
      pattern: '[A-Za-z0-9._:\\-]{1,64}', dir: 'ltr' })),
  button('am_table'));
}

// The open amendments with what this member may do on each.
function openAmendments(ui, amendments, code) {
  const rows = amendments.filter((a) => a.status === 'open').map((a) => {
    const mine = a.sponsor === code;
    const cosponsored = (a.cosponsors || []).some((c) => c.member === code);
    const hid = 'am-act-' + a.id.replace(/[^A-Za-z0-9_-]/g, '_');
    const act = mine
      ? h('button', { type: 'button', 'data-withdraw': a.id, 'aria-describedby': hid, onclick: () => start(ui, 'amendment.withdraw', { amendment: a.id }) },
        t('am_withdraw'))
      : cosponsored ? h('span', { class: 'muted' }, t('am_cosponsored'))
        : h('button', { type: 'button', 'data-cosponsor': a.id, 'aria-describedby': hid, onclick: () => start(ui, 'amendment.cosponsor', { amendment: a.id }) },
          t('am_cosponsor'));
    return h('li', {}, h('span', { id: hid }, h('code', {}, a.id), ' · ', h('code', {}, a.paragraph), ' · ', label('op_', a.op)),
      ' · ', act);
  });
  return rows.length ? [h('h3', {}, t('am_open_list')), h('ul', { class: 'am-actions' }, rows)] : null;
}

function inputForm(ui, doc, rev) {
  return form(ui, 'input', (f) => {
    const txt = f.elements['in-text'].value.trim();
    if (!txt) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    const para = f.elements['in-para'].value;
    start(ui, 'input.submit', para ? { document: doc.id, paragraph: para, text: texts(ui, txt) }
      : { document: doc.id, text: texts(ui, txt) });
  }, h('h3', {}, t('in_submit')),
  h('p', {}, h('label', { for: 'in-para' }, t('in_paragraph')), ' ', paragraphSelect('in-para', rev, true)),
  ...textArea('in-text', 'in_text', true), button('in_submit'));
}

// The controls for document doc (its latest revision rev, its amendments
// as a list with ids), or a line saying how to take part.
export async function documentPanel(doc, rev, amendments) {
  const { rec, who, ui, head } = await frame();
  if (!rec) return panel([h('h2', { id: 'act' }, t('key_title')), h('p', {}, h('a', { href: '#/key' }, t('act_doc_import')))]);
  if (!ui) return panel([h('h2', { id: 'act' }, t('key_title')), h('p', {}, t('key_unknown', { id: rec.name }))]);
  const forms = who.kind === 'member'
    ? [tableForm(ui, doc, rev, who.id), openAmendments(ui, amendments, who.id), inputForm(ui, doc, rev)]
    : [inputForm(ui, doc, rev)];
  return panel([head, ui.out, forms, ui.confirm]);
}
