// Signing keys in the browser (docs/WEB-SIGNING.md).
//
// A key file written by `pnyx keygen` holds one line, Go's note signer
// form (docs/FORMATS.md "Keys"):
//   PRIVATE+KEY+<name>+<hash: 8 lowercase hex>+<base64(0x01 || 32-byte seed)>
// importKeyFile() parses it as strictly as src/lib/key.c does, wraps the
// seed in PKCS#8 and imports it into a NON-EXTRACTABLE WebCrypto Ed25519
// key. The raw seed is used once and zeroed; it is never stored or sent.
// What is kept (IndexedDB in the page, any store of the same four methods
// in tests) is the CryptoKey, the key's name and hash, its public key and
// its verifier key text "<name>+<hash>+<base64(0x01 || public key)>",
// which is what the server lists among an actor's keys.

export const ALG_ED25519 = 0x01;
export const KEY_NAME_MAX = 255; // bytes of UTF-8 (PNYX_KEY_NAME_MAX)
const KEY_FILE_MAX = 4096; // a key line is about 320 bytes
export const ID_RE = /^[A-Za-z0-9._:-]{1,64}$/; // pnyx_id_is_valid: forum, actor, ... ids

// PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed.
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
  0x04, 0x22, 0x04, 0x20,
]);

// English sentences for every KeyError code; the page's i18n may replace
// them (the code is the stable part).
export const KEY_MESSAGES = {
  'empty': 'The file is empty. Choose the .key file that pnyx keygen wrote.',
  'too-large': 'The file is too large to be a key file. Choose the .key file that pnyx keygen wrote.',
  'not-utf8': 'The file is not text (UTF-8). Choose the .key file that pnyx keygen wrote.',
  'extra-lines': 'A key file holds exactly one line; this file has several lines or a carriage return (was it edited?).',
  'public-key': 'This is a public (verifier) key, which can only check signatures. Import the private key file, whose line starts with PRIVATE+KEY+.',
  'not-private-key': 'This is not a private key: its line must start with PRIVATE+KEY+.',
  'bad-name': 'The key name is empty, longer than 255 bytes, or holds a space, a \'+\' or a control character.',
  'bad-hash': 'The key hash (after the name) is not 8 lowercase hexadecimal digits.',
  'bad-base64': 'The key data at the end of the line is not valid base64.',
  'wrong-algorithm': 'The key is not an Ed25519 key (algorithm 0x01), the only kind Pnyx uses.',
  'bad-length': 'The Ed25519 key data is not 33 bytes long.',
  'hash-mismatch': 'The key hash does not match the key name and the key: the file was damaged or edited.',
  'no-webcrypto': 'This browser cannot keep Ed25519 keys (WebCrypto Ed25519 is missing). Use a current browser.',
  'insecure-context': 'The browser allows signing only on a secure page: open this forum through https:// (or on this computer, through http://localhost).',
};

// A refused key file or key text; code is a key of KEY_MESSAGES.
export class KeyError extends Error {
  constructor(code) {
    super(KEY_MESSAGES[code] || code);
    this.name = 'KeyError';
    this.code = code;
  }
}

// ---- bytes, base64, hashes ----

const utf8 = new TextEncoder();

// Standard base64 with padding of bytes (a Uint8Array).
export function base64Encode(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

// Decodes canonical base64 (alphabet, padding, zero unused bits, as
// src/lib/base64.c); null for anything else, including "".
export function base64Decode(s) {
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  let bin;
  try { bin = atob(s); } catch (e) { return null; }
  const out = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return base64Encode(out) === s ? out : null;
}

function hex8(n) {
  return (n >>> 0).toString(16).padStart(8, '0');
}

// The key hash of docs/FORMATS.md: the first 4 bytes, big-endian, of
// SHA-256(name || "\n" || alg || pk), as a number.
export async function keyHash(name, alg, pk) {
  const n = utf8.encode(name);
  const msg = new Uint8Array(n.length + 2 + pk.length);
  msg.set(n, 0);
  msg[n.length] = 0x0a;
  msg[n.length + 1] = alg;
  msg.set(pk, n.length + 2);
  const h = new Uint8Array(await crypto.subtle.digest('SHA-256', msg));
  return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
}

// ---- parsing (src/lib/key.c, field by field) ----

// Go's unicode.IsSpace (key.c rune_is_space).
function isSpace(r) {
  return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0 ||
    r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 ||
    r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000;
}

// True if s is well-formed UTF-16 (no lone surrogate).
function isWellFormed(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

// pnyx_key_name_is_valid.
export function keyNameIsValid(name) {
  if (typeof name !== 'string' || !isWellFormed(name)) return false;
  const n = utf8.encode(name).length;
  if (n === 0 || n > KEY_NAME_MAX) return false;
  for (const ch of name) {
    const r = ch.codePointAt(0);
    if (r < 0x20 || r === 0x2b || isSpace(r)) return false;
  }
  return true;
}

// Go's chop: [the text before the first '+', the text after it] (the whole
// text and "" without a '+').
function chop(s) {
  const i = s.indexOf('+');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

// "<name>+<hash>+<base64 key data>" -> {name, hash, data (33 bytes)}.
function parseFields(rest) {
  const [name, r1] = chop(rest);
  const [hash, b64] = chop(r1);
  if (!keyNameIsValid(name)) throw new KeyError('bad-name');
  if (!/^[0-9a-f]{8}$/.test(hash)) throw new KeyError('bad-hash');
  const data = base64Decode(b64);
  if (data === null) throw new KeyError('bad-base64');
  if (data[0] !== ALG_ED25519) throw new KeyError('wrong-algorithm');
  if (data.length !== 33) throw new KeyError('bad-length');
  return { name, hash: parseInt(hash, 16), data };
}

// The key text from a file's content (a string, or bytes: a Uint8Array or
// ArrayBuffer, decoded as strict UTF-8), without one final "\n".
function keyLine(content) {
  let text = content;
  if (content instanceof ArrayBuffer || ArrayBuffer.isView(content)) {
    const bytes = content instanceof ArrayBuffer ? new Uint8Array(content)
      : new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
    if (bytes.length > KEY_FILE_MAX) throw new KeyError('too-large');
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch (e) {
      throw new KeyError('not-utf8');
    }
  }
  if (typeof text !== 'string') throw new TypeError('a key file is a string or bytes');
  if (text.length > KEY_FILE_MAX) throw new KeyError('too-large');
  if (!isWellFormed(text)) throw new KeyError('not-utf8');
  if (text.length === 0) throw new KeyError('empty');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  if (/[\r\n]/.test(text)) throw new KeyError('extra-lines');
  return text;
}

// Parses a verifier key ("<name>+<hash>+<base64(0x01 || pk)>") strictly
// (pnyx_verifier_parse): {name, hash, hashHex, pk, vkey}. Throws KeyError.
export async function parseVerifierKey(text) {
  const line = keyLine(text);
  const k = parseFields(line);
  const pk = k.data.slice(1);
  if (await keyHash(k.name, ALG_ED25519, pk) !== k.hash) throw new KeyError('hash-mismatch');
  return { name: k.name, hash: k.hash, hashHex: hex8(k.hash), pk, vkey: line };
}

// Parses a private key file's content without importing it: {name, hash,
// seed (32 bytes: zero it after use)}. Throws KeyError. The hash is
// checked by importKeyFile, which derives the public key.
export function parsePrivateKey(content) {
  const line = keyLine(content);
  const [priv, r1] = chop(line);
  const [word, rest] = chop(r1);
  if (priv !== 'PRIVATE' || word !== 'KEY') {
    let isPublic = true;
    try { parseFields(line); } catch (e) { isPublic = false; }
    throw new KeyError(isPublic ? 'public-key' : 'not-private-key');
  }
  const k = parseFields(rest);
  const seed = k.data.slice(1);
  k.data.fill(0);
  return { name: k.name, hash: k.hash, seed };
}

// The verifier key text of a name, hash and public key.
export function verifierKeyText(name, hash, pk) {
  const data = new Uint8Array(33);
  data[0] = ALG_ED25519;
  data.set(pk, 1);
  return `${name}+${hex8(hash)}+${base64Encode(data)}`;
}

function base64urlDecode(s) {
  const b = s.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b + '='.repeat((4 - (b.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

// The public key of an Ed25519 seed: WebCrypto derives it only on export,
// so a first, extractable import lives just long enough for that export
// (as JWK, whose "x" is the public key) and is then dropped.
async function publicKeyOf(pkcs8) {
  const tmp = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', tmp);
  const pk = base64urlDecode(jwk.x);
  jwk.d = '';
  return pk;
}

// Imports a key file's content (string or bytes, as `pnyx keygen` wrote
// it). Returns {name, hash, hashHex, pk, vkey, privateKey, publicKey}:
// privateKey is a non-extractable Ed25519 CryptoKey usable only to sign.
// Throws KeyError for a file that is not a valid private key.
export async function importKeyFile(content) {
  if (!globalThis.crypto || !globalThis.crypto.subtle) throw new KeyError('insecure-context');
  const k = parsePrivateKey(content);
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  der.set(PKCS8_ED25519_PREFIX, 0);
  der.set(k.seed, PKCS8_ED25519_PREFIX.length);
  k.seed.fill(0);
  try {
    let pk, privateKey;
    try {
      pk = await publicKeyOf(der);
      privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
    } catch (e) {
      throw new KeyError('no-webcrypto');
    }
    if (await keyHash(k.name, ALG_ED25519, pk) !== k.hash) throw new KeyError('hash-mismatch');
    const publicKey = await crypto.subtle.importKey('raw', pk, { name: 'Ed25519' }, true, ['verify']);
    return {
      name: k.name, hash: k.hash, hashHex: hex8(k.hash), pk,
      vkey: verifierKeyText(k.name, k.hash, pk), privateKey, publicKey,
    };
  } finally {
    der.fill(0);
  }
}

// ---- which actor a key belongs to (GET /v1/actors/{ID}) ----

// The actor id a key name suggests: its last '/'-separated part, if that
// is an id ("pnyx.demo/KEN" -> "KEN"); null otherwise.
export function actorIdFromKeyName(name) {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return ID_RE.test(last) ? last : null;
}

// How the actor's "keys" list (items: a key string, or {key, revoked_ms})
// holds vkey: 'active', 'revoked' or 'absent' (as cmd_act.c reads it).
export function keyStatus(keys, vkey) {
  let status = 'absent';
  for (const k of Array.isArray(keys) ? keys : []) {
    const s = k !== null && typeof k === 'object' ? k.key : k;
    if (s !== vkey) continue;
    const revoked = k !== null && typeof k === 'object' ? k.revoked_ms : null;
    if (revoked === undefined || revoked === null) return 'active';
    status = 'revoked';
  }
  return status;
}

// Asks the server about actor id and whether vkey is one of its active
// keys. opts: {base: the server's URL ('' for the page's own origin),
// fetch}. Returns {id, status: 'active' | 'revoked' | 'absent' |
// 'no-actor', kind, nextSeq, forum}. Throws an Error when the server
// cannot be asked or answers something else.
export async function checkActor(id, vkey, opts = {}) {
  if (!ID_RE.test(id)) return { id, status: 'no-actor' };
  const f = opts.fetch || globalThis.fetch;
  const resp = await f(`${opts.base || ''}/v1/actors/${id}`, { headers: { Accept: 'application/json' } });
  if (resp.status === 404) return { id, status: 'no-actor' };
  if (resp.status !== 200) throw new Error(`The server could not say who ${id} is (HTTP ${resp.status}).`);
  const body = await resp.json();
  const actor = body && body.actor;
  if (!actor || actor.id !== id) throw new Error(`The server's answer about ${id} is not an actor.`);
  return {
    id, status: keyStatus(actor.keys, vkey), kind: actor.kind,
    nextSeq: actor.next_seq, forum: body.forum || null,
  };
}

// The actor a key belongs to: the first of the candidates (by default the
// one its name suggests) that lists key.vkey as an active key, or null.
// Returns the checkActor answer of that actor.
export async function findActor(key, opts = {}) {
  const guess = actorIdFromKeyName(key.name);
  const ids = opts.candidates || (guess ? [guess] : []);
  for (const id of ids) {
    const a = await checkActor(id, key.vkey, opts);
    if (a.status === 'active') return a;
  }
  return null;
}

// ---- storage ----
//
// A store has four async methods over records keyed by "vkey":
//   put(record), get(vkey) -> record or undefined, list() -> [records],
//   delete(vkey).
// A record: {vkey, name, hash, hashHex, pk, privateKey, actor, addedMs}.
// memoryStore() is for tests; indexedDbStore() is the page's.

export function memoryStore() {
  const m = new Map();
  return {
    async put(r) { m.set(r.vkey, r); },
    async get(vkey) { return m.get(vkey); },
    async list() { return [...m.values()]; },
    async delete(vkey) { m.delete(vkey); },
  };
}

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

// The object store "keys" of IndexedDB database dbName (created at
// version 1). CryptoKey objects are structured-cloneable: the browser
// keeps the non-extractable key itself, never its bytes.
export function indexedDbStore(dbName = 'pnyx', idb = globalThis.indexedDB) {
  let db = null;
  async function open() {
    if (db) return db;
    const r = idb.open(dbName, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('keys', { keyPath: 'vkey' });
    db = await req(r);
    return db;
  }
  async function run(mode, fn) {
    const d = await open();
    const tx = d.transaction('keys', mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const result = await req(fn(tx.objectStore('keys')));
    await done;
    return result;
  }
  return {
    put: (rec) => run('readwrite', (s) => s.put(rec)).then(() => undefined),
    get: (vkey) => run('readonly', (s) => s.get(vkey)),
    list: () => run('readonly', (s) => s.getAll()),
    delete: (vkey) => run('readwrite', (s) => s.delete(vkey)).then(() => undefined),
  };
}

// Keeps an imported key (from importKeyFile) in the store, with the actor
// it belongs to (or null). Returns the record.
export async function saveKey(store, key, actor = null) {
  const rec = {
    vkey: key.vkey, name: key.name, hash: key.hash, hashHex: key.hashHex,
    pk: key.pk, privateKey: key.privateKey, actor, addedMs: Date.now(),
  };
  await store.put(rec);
  return rec;
}

// The kept keys, oldest first.
export async function listKeys(store) {
  const all = await store.list();
  return all.sort((a, b) => a.addedMs - b.addedMs);
}

// Forgets a kept key (by its verifier key text); the browser drops the
// CryptoKey with the record.
export async function forgetKey(store, vkey) {
  await store.delete(vkey);
}
