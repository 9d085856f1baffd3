// #/key: the key kept in this browser. Import a key file made by `pnyx
// keygen` (keys.js wraps it into a non-extractable WebCrypto key kept in
// IndexedDB; the file's bytes are not kept and never sent), see whose key
// it is (GET /v1/actors/{ID}), forget it. One key at a time: importing
// another replaces it.
import { get, members, memberName } from './api.js';
import { t, label, lang } from './i18n.js';
import { h, dl, section } from './dom.js';
import { keyStore, currentKey, whose, plain } from './act.js';
import { importKeyFile, actorIdFromKeyName, checkActor, saveKey, listKeys, forgetKey } from './keys.js';

// Whose key, in words: the member's name, the stakeholder, the officer,
// or a warning that it is nobody's active key.
async function belongs(rec) {
  const who = await whose(rec);
  if (who.status !== 'active') {
    return h('span', { class: 'error', 'data-status': who.status }, t('key_unknown', { id: (rec.actor && rec.actor.id) || rec.name }));
  }
  if (who.kind === 'member') {
    const names = await members(lang());
    return h('span', { 'data-actor': who.id }, t('key_member', { name: memberName(names, who.id), id: who.id }));
  }
  if (who.kind === 'stakeholder') return h('span', { 'data-actor': who.id }, t('key_stakeholder', { id: who.id }));
  return h('span', { 'data-actor': who.id }, t('key_officer', { id: who.id, kind: label('kind_', who.kind) }));
}

// Imports the chosen file: the key, whose it is, kept in place of any
// other. Throws KeyError (a bad file) or Error.
async function importChosen(file) {
  const key = await importKeyFile(new Uint8Array(await file.arrayBuffer()));
  const id = actorIdFromKeyName(key.name);
  const a = id ? await checkActor(id, key.vkey) : { id: null, status: 'no-actor' };
  const store = keyStore();
  for (const old of await listKeys(store)) await forgetKey(store, old.vkey);
  await saveKey(store, key, { id: a.id, status: a.status, kind: a.kind || null });
}

async function keptSection(body, note) {
  const rec = await currentKey();
  if (!rec) return section(t('key_kept'), h('p', { id: 'key-none' }, t('key_none')), 2, 'key-kept');
  const forget = h('button', { type: 'button', id: 'key-forget', onclick: async () => {
    await forgetKey(keyStore(), rec.vkey);
    await fill(body, h('p', { role: 'status', tabindex: '-1' }, t('key_forgotten')));
  } }, t('key_forget'));
  return section(t('key_kept'), [dl([
    [t('key_name'), h('code', { dir: 'ltr' }, rec.name)],
    [t('key_verifier'), h('code', { class: 'vkey', dir: 'ltr' }, rec.vkey)],
    [t('key_belongs'), h('span', { id: 'key-owner' }, await belongs(rec))],
  ]), h('p', {}, forget)], 2, 'key-kept');
}

function importForm(body) {
  const input = h('input', { type: 'file', id: 'key-file', name: 'key-file', accept: '.key,text/plain' });
  const out = h('div', { class: 'key-out' });
  const submit = async (ev) => {
    ev.preventDefault();
    const file = input.files && input.files[0];
    if (!file) { out.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('key_choose'))); return; }
    try {
      await importChosen(file);
    } catch (e) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'key-error' }, t('key_refused', { detail: plain(e) })));
      return;
    }
    await fill(body, h('p', { role: 'status', tabindex: '-1', id: 'key-done' }, t('key_imported')));
  };
  return h('form', { class: 'key-import', onsubmit: submit },
    h('p', {}, h('label', { for: 'key-file' }, t('key_file')), ' ', input),
    h('p', {}, h('button', { type: 'submit' }, t('key_import'))), out);
}

// (Re)draws the panel in body, with a note (a status line) on top.
async function fill(body, note) {
  const kept = await keptSection(body, note);
  body.replaceChildren(note || '', h('p', {}, t('key_intro')), kept, section(t('key_import'), importForm(body), 2, 'key-import'));
  if (note) note.focus();
}

export async function viewKey() {
  const body = h('div', { class: 'view view-key' });
  const [forum] = await Promise.all([get('/v1/forum'), fill(body, null)]);
  return { title: t('key_title'), body, envelope: forum };
}
