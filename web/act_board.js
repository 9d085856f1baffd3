// Acting on the capacity-building board (the end of #/board), with the
// key kept in this browser: a member posts a need (need.post); a member or
// an accredited stakeholder posts an offer (offer.post) and pledges one of
// its offers against a need (pledge.make); the member in need accepts a
// pledge (pledge.accept); either side records progress (pledge.progress)
// and completion (pledge.complete). Every action goes through act.js
// start(): shown exactly as it will be signed, signed only once confirmed.
import { get } from './api.js';
import { t, label, lang, pick, LANG_NAMES } from './i18n.js';
import { h } from './dom.js';
import { frame, panel, start, form, button, textArea, texts, message } from './act.js';
import { freshId, idField } from './act_session.js';
import { AREAS } from './view_board.js';
import './i18n_sessions.js';

const safe = (id) => id.replace(/[^A-Za-z0-9_-]/g, '_');
const pickTitle = (x) => pick(x.title) || x.id;

// A need or an offer: area, title, description, languages, identifier.
function postForm(ui, kind, langs) {
  const p = kind === 'need' ? 'nd' : 'of';
  return form(ui, kind, (f) => {
    const title = f.elements[p + '-title'].value.trim();
    const desc = f.elements[p + '-desc'].value.trim();
    const chosen = [...f.querySelectorAll(`input[name=${p}-lang]:checked`)].map((c) => c.value);
    if (!title || !desc) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    if (!chosen.length) { ui.out.replaceChildren(message(t('bd_act_langs_none'), true)); return; }
    start(ui, kind + '.post', { id: f.elements[p + '-id'].value.trim(), area: f.elements[p + '-area'].value,
      title: texts(ui, title), description: texts(ui, desc), languages: chosen });
  }, h('h3', {}, t(kind === 'need' ? 'bd_act_need' : 'bd_act_offer')),
  h('p', {}, h('label', { for: p + '-area' }, t('bd_area')), ' ', h('select', { id: p + '-area', name: p + '-area' },
    AREAS.map((a) => h('option', { value: a }, label('bd_area_', a))))),
  h('p', {}, h('label', { for: p + '-title' }, t('bd_act_title')), ' ',
    h('input', { type: 'text', id: p + '-title', name: p + '-title', required: true, maxlength: '300' })),
  ...textArea(p + '-desc', 'bd_act_desc', true),
  h('fieldset', {}, h('legend', {}, t(kind === 'need' ? 'bd_act_langs_need' : 'bd_act_langs_offer')), langs.map((l) =>
    h('span', { class: 'check' }, h('input', { type: 'checkbox', id: `${p}-lang-${l}`, name: p + '-lang', value: l, checked: l === lang() }),
      ' ', h('label', { for: `${p}-lang-${l}`, lang: l }, LANG_NAMES[l] || l), ' '))),
  idField(p + '-id', freshId(kind, ui.actor)), button(kind === 'need' ? 'bd_act_need' : 'bd_act_offer'));
}

function pledgeForm(ui, needs, mine) {
  const open = needs.filter((n) => n.by !== ui.actor && n.status !== 'completed');
  if (!mine.length) return h('p', {}, t('bd_act_no_offer'));
  if (!open.length) return null;
  return form(ui, 'pledge', (f) => {
    const note = f.elements['pl-note'].value.trim();
    const fields = { id: f.elements['pl-id'].value.trim(), offer: f.elements['pl-offer'].value, need: f.elements['pl-need'].value };
    if (note) fields.note = texts(ui, note);
    start(ui, 'pledge.make', fields);
  }, h('h3', {}, t('bd_act_pledge')),
  h('p', {}, h('label', { for: 'pl-offer' }, t('bd_act_your_offer')), ' ', h('select', { id: 'pl-offer', name: 'pl-offer' },
    mine.map((o) => h('option', { value: o.id }, `${pickTitle(o)} (${o.id})`)))),
  h('p', {}, h('label', { for: 'pl-need' }, t('bd_act_the_need')), ' ', h('select', { id: 'pl-need', name: 'pl-need' },
    open.map((n) => h('option', { value: n.id }, `${label('bd_area_', n.area)} · ${pickTitle(n)} (${n.id})`)))),
  ...textArea('pl-note', 'bd_act_note', false), idField('pl-id', freshId('pledge', ui.actor)), button('bd_act_pledge'));
}

// The controls on one pledge that concerns the actor: accept it (the
// member in need), or record progress and completion (either side).
function pledgeControls(ui, p, n) {
  const k = safe(p.id);
  const hid = 'pl-head-' + k;
  const head = h('p', { id: hid }, h('strong', {}, pickTitle(n)), ' · ', h('code', {}, p.id), ' · ', label('bd_st_', p.status));
  if (p.status === 'pledged' && p.to === ui.actor) {
    return h('li', { 'data-pledge': p.id }, head, form(ui, 'accept-' + p.id, (f) => {
      const note = f.elements['ac-note-' + k].value.trim();
      start(ui, 'pledge.accept', note ? { pledge: p.id, note: texts(ui, note) } : { pledge: p.id });
    }, ...textArea('ac-note-' + k, 'bd_act_note', false), button('bd_act_accept')));
  }
  if (p.status !== 'accepted') return null;
  return h('li', { 'data-pledge': p.id }, head, form(ui, 'progress-' + p.id, (f) => {
    const note = f.elements['pg-note-' + k].value.trim();
    if (!note) { ui.out.replaceChildren(message(t('act_need_text'), true)); return; }
    start(ui, 'pledge.progress', { pledge: p.id, note: texts(ui, note) });
  }, ...textArea('pg-note-' + k, 'bd_act_progress_note', true), button('bd_act_progress')),
  form(ui, 'complete-' + p.id, (f) => {
    const note = f.elements['cp-note-' + k].value.trim();
    start(ui, 'pledge.complete', note ? { pledge: p.id, note: texts(ui, note) } : { pledge: p.id });
  }, ...textArea('cp-note-' + k, 'bd_act_note', false), button('bd_act_complete')));
}

function yourPledges(ui, needs) {
  const rows = [];
  for (const n of needs) {
    for (const p of n.pledges || []) {
      if (p.by === ui.actor || p.to === ui.actor) rows.push(pledgeControls(ui, p, n));
    }
  }
  const list = rows.filter(Boolean);
  return [h('h3', {}, t('bd_act_yours')), list.length ? h('ul', { class: 'pledge-actions' }, list) : h('p', {}, t('none'))];
}

// The controls for the board (its needs with their pledges, its offers),
// or a line that says how to take part.
export async function boardPanel(needs, offers) {
  const { rec, who, ui, head } = await frame();
  if (!rec) return panel([h('h2', { id: 'act' }, t('key_title')), h('p', {}, h('a', { href: '#/key' }, t('bd_act_import')))]);
  if (!ui) {
    const line = who.kind ? t('bd_act_officer', { id: who.id }) : t('key_unknown', { id: rec.name });
    return panel([h('h2', { id: 'act' }, t('key_title')), h('p', {}, line)]);
  }
  const f = await get('/v1/forum');
  const langs = (f.forum && f.forum.languages) || ['en'];
  const mine = offers.filter((o) => o.by === who.id);
  return panel([head, ui.out, yourPledges(ui, needs),
    who.kind === 'member' ? postForm(ui, 'need', langs) : null,
    postForm(ui, 'offer', langs), pledgeForm(ui, needs, mine), ui.confirm]);
}
