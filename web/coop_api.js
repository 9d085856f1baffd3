// The cooperation endpoints from the browser (docs/API.md "Cooperation"):
// reads signed with HTTP Message Signatures (httpsig.js) by the member's
// key of keys.js, actions built, signed (sign.js: the same text and note
// as `pnyx act`) and posted to /v1/cooperation/actions. No DOM: runs in a
// browser and in Node 20+ (opts.base, opts.fetch as in sign.js).
import { base64Decode, ID_RE } from './keys.js';
import { actionText, signNote, SignError, ActionRefused, request, refusal } from './sign.js';
import { coopHeaders } from './httpsig.js';

// The cooperation action types and their fields (docs/COOPERATION.md).
export const COOP_TYPES = {
  'poc.register': { contacts: ['array', true], salt: ['string', true] },
  'request.send': { to: ['string', true], kind: ['string', true], severity: ['string', true],
    tlp: ['string', true], legal_basis: ['string', false], sealed: ['object', true] },
  'request.ack': { request: ['string', true] },
  'request.answer': { request: ['string', true], sealed: ['object', true] },
  'request.decline': { request: ['string', true], grounds: ['string', true], sealed: ['object', false] },
  'request.close': { request: ['string', true] },
  'ping.start': { round: ['string', true] },
  'ping.ack': { round: ['string', true], contact: ['string', true] },
};
export const KINDS = ['incident', 'assistance', 'information', 'data'];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
export const GROUNDS = ['political-offence', 'human-rights', 'sovereignty-security', 'not-in-jurisdiction',
  'insufficient-information', 'other'];

function kindOf(v) {
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

// The action object of a cooperation type: fields checked against
// COOP_TYPES, then the envelope. Throws SignError.
export function buildCoopAction({ forum, actor, seq, type, fields = {} }) {
  const spec = COOP_TYPES[type];
  if (!spec) throw new SignError('unknown-type', type);
  for (const [k, v] of Object.entries(fields)) {
    if (!spec[k]) throw new SignError('unknown-field', k);
    if (kindOf(v) !== spec[k][0]) throw new SignError('wrong-kind', k, spec[k][0]);
  }
  for (const [k, [, req]] of Object.entries(spec)) if (req && fields[k] === undefined) throw new SignError('missing-field', k);
  if (!ID_RE.test(forum || '')) throw new SignError('bad-envelope', 'forum', 'an id');
  if (!ID_RE.test(actor || '')) throw new SignError('bad-envelope', 'actor', 'an id');
  if (!Number.isSafeInteger(seq) || seq < 1) throw new SignError('bad-envelope', 'seq', 'a whole number from 1');
  return { ...fields, forum, actor, seq, type };
}

// GET path signed as actor with key (a keys.js record: privateKey); the
// JSON answer. opts: {base, fetch, now}. Throws ActionRefused (the
// server's code: signature-required, bad-request-signature, forbidden,
// no-cooperation, not-found, ...).
export async function coopGet(path, key, actor, opts = {}) {
  const url = new URL(path, opts.base || globalThis.location.href);
  const headers = await coopHeaders('GET', url, actor, key.privateKey, opts.now);
  headers.Accept = 'application/json';
  const resp = await request(opts, path, { headers });
  if (!resp.ok) throw await refusal(resp);
  try {
    return await resp.json();
  } catch (e) {
    throw new ActionRefused('answer', resp.status);
  }
}

// Who the key's actor is on the cooperation log: {actor, kind, seq
// (next_seq), forum (its id)}. Throws ActionRefused.
export async function coopMe(key, actor, opts = {}) {
  const me = await coopGet('/v1/cooperation/me', key, actor, opts);
  if (!me || !Number.isSafeInteger(me.next_seq) || !me.forum || typeof me.forum.id !== 'string') {
    throw new ActionRefused('answer', 200);
  }
  return { actor: me.actor, kind: me.kind, seq: me.next_seq, forum: me.forum.id };
}

// Builds the action with the next sequence number from the server:
// {action, text} (text: exactly what will be signed). Throws SignError or
// ActionRefused.
export async function prepareCoop({ actor, type, fields }, key, opts = {}) {
  const me = await coopMe(key, actor, opts);
  const action = buildCoopAction({ forum: me.forum, actor, seq: me.seq, type, fields });
  return { action, text: actionText(action) };
}

// Signs text and posts it to /v1/cooperation/actions: {index, timeMs,
// leafHash, receipt, note}. Throws ActionRefused.
export async function signAndSendCoop(text, key, opts = {}) {
  const note = await signNote(text, key);
  const resp = await request(opts, '/v1/cooperation/actions', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain; charset=utf-8', Accept: 'application/json' },
    body: note,
  });
  if (resp.status !== 201) throw await refusal(resp);
  let r = null;
  try { r = await resp.json(); } catch (e) { r = null; }
  if (!r || !Number.isSafeInteger(r.index)) throw new ActionRefused('answer', 201);
  return { index: r.index, timeMs: r.time_ms, leafHash: r.leaf_hash, receipt: r.receipt, note };
}

// A cooperation leaf (base64 of "pnyx-leaf v1 <ms>\npnyx-action v1\n<json>
// \n\n— signature\n"): {ms, action} (action null if it cannot be read).
export function readCoopLeaf(b64) {
  const bytes = typeof b64 === 'string' ? base64Decode(b64) : null;
  if (!bytes) return { ms: null, action: null };
  const lines = new TextDecoder('utf-8', { fatal: false }).decode(bytes).split('\n');
  const m = /^pnyx-leaf v1 ([0-9]{1,16})$/.exec(lines[0] || '');
  let action = null;
  try { action = lines[1] === 'pnyx-action v1' ? JSON.parse(lines[2]) : null; } catch (e) { action = null; }
  return { ms: m ? Number(m[1]) : null, action };
}

// The recipients of a sealed body for member `to` and the sender `self`:
// every contact of each in the directory (items of GET
// /v1/cooperation/directory), as [{member, contact, pk}]. Empty when
// either has no entry.
export function recipientsOf(directory, to, self) {
  const of = (m) => {
    const d = (directory || []).find((x) => x.member === m);
    return d ? d.contacts.map((c) => ({ member: m, contact: c.id, pk: c.key })) : [];
  };
  const a = of(to);
  const b = to === self ? [] : of(self);
  return a.length && b.length ? a.concat(b).slice(0, 16) : [];
}
