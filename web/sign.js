// Building, showing, signing and sending actions in the browser
// (docs/WEB-SIGNING.md).
//
// An action is a C2SP signed note whose text is exactly two lines
// (docs/FORMATS.md "Actions"):
//   pnyx-action v1
//   <canonical JSON of the action object>
// canonicalJson() writes the bytes src/lib/json.c writes (jansson's
// json_dump with JSON_COMPACT | JSON_SORT_KEYS) and refuses every value for
// which that cannot be guaranteed: numbers that are not exact integers
// within JavaScript's safe range (larger integers go as BigInt), strings
// with U+0000 or a lone surrogate, and anything that is not plain JSON
// data. signNote() appends the signature line of C2SP signed-note v1.0.0:
//   "\n— <key name> <base64(4-byte key hash || 64-byte Ed25519 signature)>\n"
// Ed25519 signatures are deterministic, so for the same key and fields the
// note is byte for byte what `pnyx act --dry-run` prints.

import { base64Encode, ID_RE, keyStatus } from './keys.js';

export const ACTION_HEADER = 'pnyx-action v1';
export const ACTION_TEXT_MAX = 65535; // bytes (PNYX_ACTION_TEXT_MAX)
export const ACTION_DEPTH = 6; // JSON nesting of an action (PNYX_ACTION_DEPTH)
export const JSON_MAX_DEPTH = 32; // PNYX_JSON_MAX_DEPTH
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Every action type, who may take it ('new': a newcomer's first action)
// and its fields (kind: string, integer, boolean, object, array; max: bytes
// of a string, items of an array), as `pnyx act TYPE --help` lists them
// from the engine's tables (tests/web/sign.test.mjs checks that they
// agree). An object field other than "rules" and "subject" is a text in
// languages: {"en": "...", "fr": "..."}.
export const ACTION_TYPES = {
  'forum.create': { who: ['new'], fields: [
    { name: 'title', kind: 'string', required: true, max: 300 },
    { name: 'languages', kind: 'array', required: true, max: 6 },
    { name: 'rules', kind: 'object', required: true },
    { name: 'secretariat_key', kind: 'string', required: true, max: 600 },
    { name: 'chairs', kind: 'array', required: true, max: 16 },
    { name: 'members', kind: 'array', required: true, max: 250 },
    { name: 'consultative_list', kind: 'array', max: 10000 },
    { name: 'training', kind: 'boolean' },
  ] },
  'key.add': { who: ['secretariat', 'chair', 'member', 'stakeholder'], fields: [
    { name: 'key', kind: 'string', required: true, max: 600 },
  ] },
  'key.revoke': { who: ['secretariat', 'chair', 'member', 'stakeholder'], fields: [
    { name: 'key', kind: 'string', required: true, max: 600 },
  ] },
  'credentials.record': { who: ['secretariat'], fields: [
    { name: 'member', kind: 'string', required: true, max: 3 },
    { name: 'text', kind: 'string', required: true, max: 4000 },
  ] },
  'document.create': { who: ['secretariat', 'chair'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'title', kind: 'object', required: true },
    { name: 'symbol', kind: 'string', max: 100 },
    { name: 'paragraphs', kind: 'array', required: true, max: 1000 },
  ] },
  'revision.issue': { who: ['chair'], fields: [
    { name: 'document', kind: 'string', required: true, max: 64 },
    { name: 'paragraphs', kind: 'array', required: true, max: 1000 },
    { name: 'amendments_taken', kind: 'array', max: 1000 },
  ] },
  'amendment.table': { who: ['member'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'document', kind: 'string', required: true, max: 64 },
    { name: 'revision', kind: 'integer', required: true },
    { name: 'paragraph', kind: 'string', required: true, max: 64 },
    { name: 'op', kind: 'string', required: true, max: 16 },
    { name: 'text', kind: 'object' },
  ] },
  'amendment.cosponsor': { who: ['member'], fields: [
    { name: 'amendment', kind: 'string', required: true, max: 64 },
  ] },
  'amendment.withdraw': { who: ['member'], fields: [
    { name: 'amendment', kind: 'string', required: true, max: 64 },
  ] },
  'input.submit': { who: ['member', 'stakeholder'], fields: [
    { name: 'document', kind: 'string', required: true, max: 64 },
    { name: 'text', kind: 'object', required: true },
    { name: 'paragraph', kind: 'string', max: 64 },
  ] },
  'comment.add': { who: ['stakeholder'], fields: [
    { name: 'document', kind: 'string', required: true, max: 64 },
    { name: 'revision', kind: 'integer', required: true },
    { name: 'paragraph', kind: 'string', required: true, max: 64 },
    { name: 'text', kind: 'object', required: true },
  ] },
  'decision.open': { who: ['secretariat', 'chair'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'procedure', kind: 'string', required: true, max: 16 },
    { name: 'important', kind: 'boolean' },
    { name: 'document', kind: 'string', max: 64 },
    { name: 'revision', kind: 'integer' },
    { name: 'subject', kind: 'object' },
    { name: 'deadline_ms', kind: 'integer' },
    { name: 'title', kind: 'object' },
    { name: 'session', kind: 'string', max: 64 },
  ] },
  'decision.close': { who: ['secretariat', 'chair'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
  ] },
  'consensus.join': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'dissociate', kind: 'array', max: 500 },
  ] },
  'consensus.object': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'reason', kind: 'object' },
  ] },
  'consensus.withdraw_objection': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
  ] },
  'vote.request': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
  ] },
  'silence.break': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'reason', kind: 'object', required: true },
  ] },
  'vote.cast': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'vote', kind: 'string', required: true, max: 16 },
  ] },
  'position.explain': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'text', kind: 'object', required: true },
    { name: 'when', kind: 'string', required: true, max: 16 },
  ] },
  'stakeholder.apply': { who: ['new'], fields: [
    { name: 'key', kind: 'string', required: true, max: 600 },
    { name: 'name', kind: 'string', required: true, max: 300 },
    { name: 'category', kind: 'string', required: true, max: 64 },
    { name: 'country', kind: 'string', max: 3 },
    { name: 'website', kind: 'string', max: 300 },
    { name: 'description', kind: 'object' },
  ] },
  'stakeholder.list_add': { who: ['secretariat'], fields: [
    { name: 'names', kind: 'array', required: true, max: 1000 },
  ] },
  'stakeholder.object': { who: ['member'], fields: [
    { name: 'stakeholder', kind: 'string', required: true, max: 64 },
    { name: 'reason', kind: 'object' },
  ] },
  'stakeholder.withdraw_objection': { who: ['member'], fields: [
    { name: 'stakeholder', kind: 'string', required: true, max: 64 },
  ] },
  'commitment.subscribe': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'norm', kind: 'string', required: true, max: 64 },
  ] },
  'commitment.withdraw': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'norm', kind: 'string', required: true, max: 64 },
    { name: 'reason', kind: 'object' },
  ] },
  'report.file': { who: ['member'], fields: [
    { name: 'decision', kind: 'string', required: true, max: 64 },
    { name: 'norm', kind: 'string', required: true, max: 64 },
    { name: 'status', kind: 'string', required: true, max: 16 },
    { name: 'text', kind: 'object', required: true },
  ] },
  'cooperation.open': { who: ['secretariat'], fields: [
    { name: 'log_key', kind: 'string', required: true, max: 600 },
    { name: 'rules', kind: 'object', required: true },
  ] },
  'session.schedule': { who: ['secretariat'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'kind', kind: 'string', required: true, max: 32 },
    { name: 'title', kind: 'object', required: true },
    { name: 'start_ms', kind: 'integer', required: true },
    { name: 'end_ms', kind: 'integer', required: true },
    { name: 'venue', kind: 'string', max: 300 },
    { name: 'online', kind: 'boolean' },
    { name: 'agenda', kind: 'array', required: true, max: 100 },
  ] },
  'session.open': { who: ['chair'], fields: [
    { name: 'session', kind: 'string', required: true, max: 64 },
  ] },
  'session.close': { who: ['chair'], fields: [
    { name: 'session', kind: 'string', required: true, max: 64 },
  ] },
  'session.register': { who: ['member'], fields: [
    { name: 'session', kind: 'string', required: true, max: 64 },
  ] },
  'segment.open': { who: ['chair'], fields: [
    { name: 'session', kind: 'string', required: true, max: 64 },
    { name: 'item', kind: 'string', required: true, max: 64 },
  ] },
  'segment.close': { who: ['chair'], fields: [
    { name: 'session', kind: 'string', required: true, max: 64 },
  ] },
  'statement.deliver': { who: ['member', 'stakeholder'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'session', kind: 'string', required: true, max: 64 },
    { name: 'item', kind: 'string', required: true, max: 64 },
    { name: 'mode', kind: 'string', required: true, max: 16 },
    { name: 'text', kind: 'object', required: true },
    { name: 'attachment', kind: 'string', max: 71 },
    { name: 'reply_to', kind: 'string', max: 64 },
  ] },
  'need.post': { who: ['member'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'area', kind: 'string', required: true, max: 32 },
    { name: 'title', kind: 'object', required: true },
    { name: 'description', kind: 'object', required: true },
    { name: 'languages', kind: 'array', required: true, max: 6 },
  ] },
  'offer.post': { who: ['member', 'stakeholder'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'area', kind: 'string', required: true, max: 32 },
    { name: 'title', kind: 'object', required: true },
    { name: 'description', kind: 'object', required: true },
    { name: 'languages', kind: 'array', required: true, max: 6 },
  ] },
  'pledge.make': { who: ['member', 'stakeholder'], fields: [
    { name: 'id', kind: 'string', required: true, max: 64 },
    { name: 'offer', kind: 'string', required: true, max: 64 },
    { name: 'need', kind: 'string', required: true, max: 64 },
    { name: 'note', kind: 'object' },
  ] },
  'pledge.accept': { who: ['member'], fields: [
    { name: 'pledge', kind: 'string', required: true, max: 64 },
    { name: 'note', kind: 'object' },
  ] },
  'pledge.progress': { who: ['member', 'stakeholder'], fields: [
    { name: 'pledge', kind: 'string', required: true, max: 64 },
    { name: 'note', kind: 'object', required: true },
  ] },
  'pledge.complete': { who: ['member', 'stakeholder'], fields: [
    { name: 'pledge', kind: 'string', required: true, max: 64 },
    { name: 'note', kind: 'object' },
  ] },
};

// ---- errors ----

// English sentences for every SignError code ({path} is where in the
// action the value is, {max} a limit); the page's i18n may replace them.
export const SIGN_MESSAGES = {
  'not-integer': 'The value of {path} is not a whole number: actions carry whole numbers only.',
  'unsafe-integer': 'The number in {path} is too large to be handled exactly in a browser (beyond 2^53 - 1); give it as a BigInt.',
  'int64-range': 'The number in {path} is outside the range of 64-bit integers.',
  'nul': 'The text in {path} holds the character U+0000, which an action cannot carry.',
  'lone-surrogate': 'The text in {path} holds a broken character (a lone UTF-16 surrogate), which UTF-8 cannot carry.',
  'not-json': 'The value of {path} is not plain JSON data (text, whole number, true/false, null, list or object).',
  'too-deep': 'The action nests lists or objects more than {max} levels deep (at {path}).',
  'too-large': 'The action is larger than {max} bytes: shorten the texts.',
  'bad-envelope': 'The {path} of the action is not valid ({max}).',
  'unknown-type': 'There is no action type "{path}".',
  'unknown-field': 'This type of action has no field "{path}".',
  'missing-field': 'The field "{path}" is required.',
  'wrong-kind': 'The field "{path}" must be {max}.',
  'too-long': 'The field "{path}" is over its limit of {max}.',
  'bad-text': 'The text to sign must be UTF-8 ending with a newline, with no control character other than newlines.',
};

// A value that cannot be signed as asked: code (a key of SIGN_MESSAGES),
// path (where), max (a limit or what was expected).
export class SignError extends Error {
  constructor(code, path = '', max = '') {
    const t = SIGN_MESSAGES[code] || code;
    super(t.replace('{path}', path).replace('{max}', String(max)));
    this.name = 'SignError';
    this.code = code;
    this.path = path;
    this.max = max;
  }
}

// ---- canonical JSON (the bytes of src/lib/json.c) ----

const SHORT_ESCAPES = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
const utf8 = new TextEncoder();

// A JSON string as jansson's dump_string writes it: '"' and '\\' escaped,
// U+0001..U+001F as \b \t \n \f \r or \u00XX with upper-case hex (where
// JSON.stringify writes lower case); '/', DEL, U+2028, U+2029 and all
// other characters raw (JSON.stringify agrees there). U+0000 and lone
// surrogates (which JSON.stringify writes as \uXXXX escapes) are refused.
export function quoteString(s, path = '') {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc = null;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c < 0x20) {
      if (c === 0) throw new SignError('nul', path);
      esc = SHORT_ESCAPES[c] || '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw new SignError('lone-surrogate', path);
      i++;
    }
    if (esc !== null) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

// Orders strings by their UTF-8 bytes (strcmp in C), which is code point
// order; JavaScript's default sort compares UTF-16 units, which differs
// for characters beyond U+FFFF against U+E000..U+FFFF.
export function compareUtf8(a, b) {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function isPlainObject(v) {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function integerText(v, path) {
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) throw new SignError('int64-range', path);
    return v.toString();
  }
  if (!Number.isInteger(v)) throw new SignError('not-integer', path);
  if (!Number.isSafeInteger(v)) throw new SignError('unsafe-integer', path);
  return Object.is(v, -0) ? '0' : String(v);
}

function childPath(path, k) {
  return path === '' ? String(k) : `${path}.${k}`;
}

// The canonical JSON text of a container (depth: its level, 1 for the
// top); the nesting is bounded by maxDepth, so the recursion is too.
function encodeContainer(v, path, depth, maxDepth) {
  if (depth > maxDepth) throw new SignError('too-deep', path, maxDepth);
  if (Array.isArray(v)) {
    const parts = [];
    for (let i = 0; i < v.length; i++) parts.push(encodeValue(v[i], childPath(path, i), depth, maxDepth));
    return '[' + parts.join(',') + ']';
  }
  if (!isPlainObject(v) || Object.getOwnPropertySymbols(v).length > 0) throw new SignError('not-json', path);
  const keys = Object.keys(v).sort(compareUtf8);
  const parts = keys.map((k) => quoteString(k, childPath(path, k)) + ':' +
    encodeValue(v[k], childPath(path, k), depth, maxDepth));
  return '{' + parts.join(',') + '}';
}

function encodeValue(v, path, depth, maxDepth) {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'number': case 'bigint': return integerText(v, path);
    case 'string': return quoteString(v, path);
    case 'object': return encodeContainer(v, path, depth + 1, maxDepth);
    default: throw new SignError('not-json', path);
  }
}

// The canonical JSON text of v (compact, keys sorted by UTF-8 bytes,
// integers only), byte for byte what pnyx_json_encode writes for the same
// value; throws SignError for what cannot be encoded identically.
export function canonicalJson(v, maxDepth = JSON_MAX_DEPTH) {
  return encodeValue(v, '', 0, maxDepth);
}

// ---- building an action ----

function byteLength(s) {
  return utf8.encode(s).length;
}

function kindOf(v) {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (v === null) return 'null';
  return typeof v;
}

const KIND_WORDS = {
  string: 'a text', integer: 'a whole number', boolean: 'true or false',
  object: 'an object (a text in languages: {"en": "..."})', array: 'a list',
};

// Checks fields against ACTION_TYPES[type] as `pnyx act` does before
// signing: no unknown field, every required one, each of its kind, strings
// and lists within their limits. The rules of procedure are the server's
// to judge. Throws SignError.
export function checkFields(type, fields) {
  const t = ACTION_TYPES[type];
  if (!t) throw new SignError('unknown-type', type);
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new SignError('not-json', 'fields');
  for (const k of Object.keys(fields)) {
    const f = t.fields.find((x) => x.name === k);
    if (!f) throw new SignError('unknown-field', k);
    const v = fields[k];
    if (kindOf(v) !== f.kind) throw new SignError('wrong-kind', k, KIND_WORDS[f.kind]);
    if (f.max && f.kind === 'string' && byteLength(v) > f.max) throw new SignError('too-long', k, `${f.max} bytes`);
    if (f.max && f.kind === 'array' && v.length > f.max) throw new SignError('too-long', k, `${f.max} items`);
  }
  for (const f of t.fields) if (f.required && fields[f.name] === undefined) throw new SignError('missing-field', f.name);
}

function checkSeq(seq) {
  const ok = typeof seq === 'bigint' ? seq >= 1n && seq <= INT64_MAX
    : Number.isSafeInteger(seq) && seq >= 1;
  if (!ok) throw new SignError('bad-envelope', 'seq', 'a whole number from 1');
}

// The action object: the type's fields (checked by checkFields) and the
// envelope forum, actor, seq, type (docs/FORMATS.md). Throws SignError.
export function buildAction({ forum, actor, seq, type, fields = {} }) {
  if (typeof forum !== 'string' || !ID_RE.test(forum)) throw new SignError('bad-envelope', 'forum', '1 to 64 of A-Z a-z 0-9 . _ - :');
  if (typeof actor !== 'string' || !ID_RE.test(actor)) throw new SignError('bad-envelope', 'actor', '1 to 64 of A-Z a-z 0-9 . _ - :');
  checkSeq(seq);
  checkFields(type, fields);
  return { ...fields, forum, actor, seq, type };
}

// The exact text that is signed: the header line and the canonical JSON
// line, each ending in "\n". Throws SignError.
export function actionText(action) {
  const text = `${ACTION_HEADER}\n${canonicalJson(action, ACTION_DEPTH)}\n`;
  if (byteLength(text) > ACTION_TEXT_MAX) throw new SignError('too-large', '', ACTION_TEXT_MAX);
  return text;
}

// ---- signing (C2SP signed-note v1.0.0) ----

// Signs text (UTF-8, ending in "\n", no control character but "\n") with
// key {name, hash (number), privateKey (Ed25519 CryptoKey)} from
// keys.js, and returns the signed note. Throws SignError for a bad text.
export async function signNote(text, key) {
  if (typeof text !== 'string' || !text.endsWith('\n') || /[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw new SignError('bad-text');
  }
  try { quoteString(text); } catch (e) { throw new SignError('bad-text'); }
  const msg = utf8.encode(text);
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, msg));
  const blob = new Uint8Array(4 + sig.length);
  new DataView(blob.buffer).setUint32(0, key.hash >>> 0);
  blob.set(sig, 4);
  return `${text}\n\u2014 ${key.name} ${base64Encode(blob)}\n`;
}

// Builds, encodes and signs an action: {action, text, note}.
export async function signAction(parts, key) {
  const action = buildAction(parts);
  const text = actionText(action);
  return { action, text, note: await signNote(text, key) };
}

// ---- the server: next sequence number, sending, refusals ----

// A plain sentence for each stable problem code (docs/API.md "Errors",
// src/server/problem.c) and for the page's own 'network' and 'answer'
// cases; English, for the page's i18n to take over by code.
export const PROBLEM_MESSAGES = {
  'not-found': 'The server has no such page or object.',
  'method-not-allowed': 'The server does not take this kind of request here.',
  'bad-target': 'The address asked for is malformed.',
  'target-too-long': 'The address asked for is too long.',
  'bad-parameter': 'A parameter of the request is missing, unknown or malformed.',
  'unsupported-language': 'That language is not one of the six official languages of the United Nations.',
  'too-large': 'The action is larger than the server accepts: shorten the text. Nothing was recorded.',
  'unsupported-media-type': 'The server does not take this kind of content.',
  'request-timeout': 'The request took too long. Check the connection and send it again.',
  'no-checkpoint': 'The log has no signed checkpoint yet. Try again in a moment.',
  'not-implemented': 'This server only shows the record; it does not take actions.',
  'internal': 'The server failed. Nothing was recorded. Try again later, or tell the secretariat.',
  'unavailable': 'The server is unavailable just now. Nothing was recorded: send the same action again in a moment.',
  'out-of-memory': 'The server is overloaded just now. Nothing was recorded: send the same action again in a moment.',
  'signature-required': 'Only members may read this: load your delegation\'s key so that the page signs the request.',
  'bad-request-signature': 'The server did not accept the request\'s signature: check that your key is current and your computer\'s clock is right, then try again.',
  'forbidden': 'Your delegation may not read this.',
  'no-cooperation': 'This server keeps no cooperation log.',
  'malformed': 'The request is not well formed.',
  'bad-signature': 'The signature does not match the action: it was changed after signing, or signed with a different key of the same name. Nothing was recorded.',
  'unverified': 'No key the server knows signed this.',
  'bad-proof': 'The proof does not check out.',
  'out-of-range': 'That entry or size is outside the log.',
  'storage': 'The server could not write to its storage. Nothing was recorded. Tell the secretariat.',
  'corrupt': 'The server found its stored log inconsistent. Nothing was recorded. Tell the secretariat.',
  'exists': 'It already exists.',
  'io': 'The server could not read or write a file. Nothing was recorded. Tell the secretariat.',
  'mismatch': 'Two values that must agree differ.',
  'malformed-leaf': 'The server could not read the action as a log entry. Nothing was recorded.',
  'malformed-note': 'The server could not read the signed action. Nothing was recorded.',
  'unknown-key': 'This key is not an active key of the member or stakeholder named in the action: import your delegation\'s current key file. Nothing was recorded.',
  'malformed-action': 'The action is malformed: a field is missing, unknown or of the wrong kind. Nothing was recorded.',
  'unknown-action-type': 'The forum does not know this kind of action. Nothing was recorded.',
  'no-forum': 'The forum has not been created yet.',
  'forum-exists': 'The forum has already been created.',
  'wrong-forum': 'The action names another forum than the one this server holds. Nothing was recorded.',
  'unknown-actor': 'The forum has no member, officer or stakeholder by that name. Nothing was recorded.',
  'seq-replayed': 'This action was already recorded, or another action of yours took its place. Reload to see the record, then act again if needed.',
  'seq-skipped': 'The action is out of order for your delegation. Reload and act again. Nothing was recorded.',
  'time-backwards': 'The server\'s clock went backwards. Nothing was recorded. Tell the secretariat.',
  'not-permitted': 'Your role in the forum does not allow this action. Nothing was recorded.',
  'member-suspended': 'Your delegation is suspended in this forum and cannot take this action. Nothing was recorded.',
  'unknown-object': 'The document, revision, paragraph, amendment, decision or stakeholder named does not exist. Nothing was recorded.',
  'already-exists': 'That identifier is already taken: choose another. Nothing was recorded.',
  'invalid-field': 'A value in the action breaks a rule of procedure. Nothing was recorded.',
  'procedure-not-allowed': 'The forum\'s rules of procedure do not allow this procedure. Nothing was recorded.',
  'wrong-procedure': 'This is not possible under the procedure of this decision. Nothing was recorded.',
  'decision-closed': 'The decision is closed: positions can no longer be taken. Nothing was recorded.',
  'deadline-passed': 'The deadline has passed. Nothing was recorded.',
  'too-early': 'This is not possible yet. Nothing was recorded.',
  'conflict': 'The action contradicts the record (for example joining while your objection stands, or doing the same thing twice). Nothing was recorded.',
  'network': 'The server could not be reached, so the action may or may not have arrived. Send it again: if it was recorded, the server says so.',
  'answer': 'The server gave an answer this page does not understand.',
  'no-actor': 'The forum has no member, officer or stakeholder by that name.',
  'key-not-active': 'This key is not an active key of that member or stakeholder in this forum.',
};

// The plain sentence for a problem code, else the problem's title, else a
// sentence with the HTTP status.
export function problemMessage(code, status = 0, title = '') {
  if (Object.prototype.hasOwnProperty.call(PROBLEM_MESSAGES, code)) return PROBLEM_MESSAGES[code];
  if (title) return title;
  return `The server refused the request (HTTP status ${status}).`;
}

// A refusal or failure while sending: code (a PROBLEM_MESSAGES key or the
// server's code), status (HTTP, 0 without an answer), detail (the
// server's own English detail, if any), message (the plain sentence).
export class ActionRefused extends Error {
  constructor(code, status = 0, detail = '', title = '') {
    super(problemMessage(code, status, title));
    this.name = 'ActionRefused';
    this.code = code;
    this.status = status;
    this.detail = detail;
  }
}

// fetch(base + path, init) of opts ({base, fetch}); a network failure is
// ActionRefused('network').
export async function request(opts, path, init) {
  const f = opts.fetch || globalThis.fetch;
  try {
    return await f(`${opts.base || ''}${path}`, init);
  } catch (e) {
    throw new ActionRefused('network');
  }
}

// The ActionRefused for a non-2xx answer (a problem document or not).
export async function refusal(resp) {
  let p = null;
  try { p = await resp.json(); } catch (e) { p = null; }
  if (p && typeof p.code === 'string') {
    return new ActionRefused(p.code, resp.status, typeof p.detail === 'string' ? p.detail : '',
      typeof p.title === 'string' ? p.title : '');
  }
  return new ActionRefused('answer', resp.status);
}

// Who acts and where, as `pnyx act` asks it (src/cli/cmd_act.c): GET
// /v1/actors/{actor}; the key must be one of its active keys. A newcomer's
// first action (stakeholder.apply) has seq 1 and the forum of GET
// /v1/forum. opts: {base, fetch}. Returns {forum, seq, training, kind}.
// Throws ActionRefused ('no-actor', 'key-not-active', 'network', ...).
export async function actorContext(actor, type, vkey, opts = {}) {
  const t = ACTION_TYPES[type];
  if (!t) throw new SignError('unknown-type', type);
  if (!ID_RE.test(actor)) throw new ActionRefused('no-actor');
  const resp = await request(opts, `/v1/actors/${actor}`, { headers: { Accept: 'application/json' } });
  if (resp.status === 404 && t.who.includes('new')) {
    const fr = await request(opts, '/v1/forum', { headers: { Accept: 'application/json' } });
    if (fr.status !== 200) throw await refusal(fr);
    const f = (await fr.json()).forum || {};
    if (typeof f.id !== 'string') throw new ActionRefused('answer', fr.status);
    return { forum: f.id, seq: 1, training: f.training === true, kind: null };
  }
  if (resp.status === 404) throw new ActionRefused('no-actor', 404);
  if (resp.status !== 200) throw await refusal(resp);
  const body = await resp.json();
  const a = body && body.actor;
  if (!a || !Number.isSafeInteger(a.next_seq) || a.next_seq < 1 || !body.forum || typeof body.forum.id !== 'string') {
    throw new ActionRefused('answer', resp.status);
  }
  if (Array.isArray(a.keys) && keyStatus(a.keys, vkey) !== 'active') throw new ActionRefused('key-not-active', 200);
  return { forum: body.forum.id, seq: a.next_seq, training: body.forum.training === true, kind: a.kind };
}

// Prepares an action for the signer to read before signing: asks the
// server for the forum and the next sequence number, builds the action
// and its exact text. key: from keys.js (importKeyFile or a stored
// record). Returns {action, text, training}. Throws SignError or
// ActionRefused.
export async function prepareAction({ actor, type, fields = {} }, key, opts = {}) {
  checkFields(type, fields);
  const ctx = await actorContext(actor, type, key.vkey, opts);
  const action = buildAction({ forum: ctx.forum, actor, seq: ctx.seq, type, fields });
  return { action, text: actionText(action), training: ctx.training };
}

// Sends a signed action (POST /v1/actions). Returns {index, leafHash,
// receipt, timeMs} once the server has recorded it (201); throws
// ActionRefused otherwise.
export async function postAction(note, opts = {}) {
  const resp = await request(opts, '/v1/actions', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain; charset=utf-8', Accept: 'application/json' },
    body: note,
  });
  if (resp.status !== 201) throw await refusal(resp);
  let r = null;
  try { r = await resp.json(); } catch (e) { r = null; }
  if (!r || !Number.isSafeInteger(r.index) || typeof r.receipt !== 'string') throw new ActionRefused('answer', 201);
  return { index: r.index, leafHash: r.leaf_hash, receipt: r.receipt, timeMs: r.time_ms };
}

// Signs the text that prepareAction returned (and the signer read) and
// sends it: {index, leafHash, receipt, timeMs, note}.
export async function signAndSend(text, key, opts = {}) {
  const note = await signNote(text, key);
  return { ...(await postAction(note, opts)), note };
}
