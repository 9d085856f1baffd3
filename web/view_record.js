// #/record (and #/record?index=N): the public record itself. The tree
// size, the latest checkpoint with its signature checked in the browser
// against the log's verifier key (GET /v1/log), the latest entries read
// from the log's entry bundles, and for each a "verify" control that
// fetches its inclusion proof (GET /v1/proof/inclusion) and checks it
// against the checkpoint's root with WebCrypto (verify.js).
import { get, ApiError } from './api.js';
import { t, has, lang, date } from './i18n.js';
import { h, dl, section } from './dom.js';
import './i18n_act.js';
import { base64Encode } from './keys.js';
import { verifyCheckpoint, bundlePath, parseBundle, readLeaf, checkInclusion } from './verify.js';

const SHOWN = 20; // entries listed

async function fetchBytes(path, init) {
  let r;
  try { r = await fetch(path, init); } catch (e) { throw new ApiError(t('error_network'), 0); }
  if (!r.ok) throw new ApiError(`${path}: HTTP ${r.status}`, r.status);
  return new Uint8Array(await r.arrayBuffer());
}

// Entries from to (exclusive) of the tree of size entries, by index.
async function entries(from, to, size) {
  const out = new Map();
  for (let n = Math.floor(from / 256); n * 256 < to; n++) {
    const list = parseBundle(await fetchBytes(bundlePath(n * 256, size)));
    list.forEach((e, i) => { if (n * 256 + i >= from && n * 256 + i < to) out.set(n * 256 + i, e); });
  }
  return out;
}

function why(e) {
  return e && e.code && has('rec_fail_' + e.code) ? t('rec_fail_' + e.code) : (e && e.message) || String(e);
}

// The verify control of entry index: its button and result.
function verifyCell(index, entry, cp) {
  const out = h('span', { class: 'verdict', 'aria-live': 'polite', id: 'verdict-' + index });
  const run = async (ev) => {
    ev.target.disabled = true;
    out.replaceChildren(t('rec_checking'));
    try {
      const p = await get(`/v1/proof/inclusion?index=${index}&size=${cp.size}`);
      const leaf = await checkInclusion(entry, index, cp, p.hashes || []);
      out.className = 'verdict ok';
      out.replaceChildren(t('rec_ok', { size: cp.size }), ' ', h('code', { dir: 'ltr', class: 'hash' }, base64Encode(leaf)));
    } catch (e) {
      out.className = 'verdict error';
      out.replaceChildren(t('rec_fail', { detail: why(e) }));
    }
    ev.target.disabled = false;
  };
  return h('td', {}, h('button', { type: 'button', 'data-index': String(index), onclick: run,
    'aria-label': t('rec_verify_n', { n: index }) }, t('rec_verify')), ' ', out);
}

function entryRow(index, entry, cp, mark) {
  const leaf = readLeaf(entry);
  const a = leaf.action || {};
  return h('tr', { 'data-index': String(index), class: mark ? 'marked' : null },
    h('th', { scope: 'row' }, String(index)), h('td', {}, date(leaf.ms)),
    h('td', {}, h('code', {}, a.actor || '')), h('td', {}, h('code', {}, a.type || '')),
    verifyCell(index, entry, cp));
}

async function entriesSection(cp, want) {
  if (cp.size === 0) return section(t('rec_entries'), h('p', {}, t('none')), 2, 'entries');
  const from = Math.max(0, cp.size - SHOWN);
  const shown = await entries(from, cp.size, cp.size);
  if (want != null && want < cp.size && !shown.has(want)) {
    for (const [i, e] of await entries(want, want + 1, cp.size)) shown.set(i, e);
  }
  const rows = [...shown.keys()].sort((x, y) => y - x).map((i) => entryRow(i, shown.get(i), cp, i === want));
  return section(t('rec_entries'), [
    want != null && want >= cp.size ? h('p', { class: 'muted', id: 'not-covered' }, t('rec_not_covered', { n: want })) : null,
    h('table', { class: 'entries' }, h('caption', {}, t('rec_entries_caption', { size: cp.size })),
      h('thead', {}, h('tr', {}, ['rec_index', 'rec_time', 'rec_actor', 'rec_type', 'rec_proof'].map((k) =>
        h('th', { scope: 'col' }, t(k))))), h('tbody', {}, rows))], 2, 'entries');
}

function checkpointSection(log, cp, failure) {
  const ask = h('button', { type: 'button', id: 'new-checkpoint', onclick: async (ev) => {
    ev.target.disabled = true;
    try { await fetchBytes('/v1/checkpoint', { method: 'POST' }); } catch (e) { /* shown by the new rendering */ }
    window.dispatchEvent(new CustomEvent('pnyx:refresh'));
  } }, t('rec_new_checkpoint'));
  return section(t('rec_checkpoint'), [
    failure ? h('p', { class: 'error', role: 'alert', id: 'cp-status' }, t('rec_cp_bad', { detail: why(failure) }))
      : h('p', { class: 'verdict ok', id: 'cp-status' }, t('rec_cp_ok')),
    dl([[t('rec_origin'), h('code', { dir: 'ltr' }, log.origin)],
      [t('rec_tree_size'), (log.size || 0).toLocaleString(lang())],
      [t('rec_cp_size'), cp ? cp.size.toLocaleString(lang()) : '—'],
      [t('rec_root'), h('code', { dir: 'ltr', class: 'hash' }, cp ? base64Encode(cp.root) : '—')],
      [t('rec_vkey'), h('code', { dir: 'ltr', class: 'vkey' }, log.verifier_key)]]),
    h('p', { class: 'muted' }, t('rec_vkey_note')),
    log.size > (cp ? cp.size : 0) ? h('p', {}, ask) : null], 2, 'checkpoint');
}

export async function viewRecord(query) {
  const log = await get('/v1/log');
  const want = /^(0|[1-9][0-9]{0,15})$/.test(query.get('index') || '') ? Number(query.get('index')) : null;
  let cp = null;
  let failure = null;
  try {
    const text = new TextDecoder().decode(await fetchBytes('/checkpoint'));
    cp = await verifyCheckpoint(text, log.verifier_key);
  } catch (e) {
    failure = e;
  }
  const body = h('div', { class: 'view view-record' }, h('p', {}, t('rec_intro')),
    checkpointSection(log, cp, failure), cp ? await entriesSection(cp, want) : null);
  const forum = await get('/v1/forum');
  return { title: t('rec_title'), body, envelope: forum };
}
