// The encrypted body ("sealed") of cooperation actions, in the browser
// (docs/COOPERATION.md "The encrypted body"), and the contact keys that
// open it. Byte for byte what src/lib/coop_seal.c writes and reads:
//   - the plaintext, canonical JSON of {"text", "attachments", ...}, is
//     encrypted ONCE with AES-256-GCM under a random 32-byte content key,
//     nonce 12 zero bytes, aad "<forum>\n<actor>\n<seq>\n<type>": "ct";
//   - the content key is sealed to each recipient with HPKE base mode
//     (web/hpke.js, X25519, HKDF-SHA256, AES-256-GCM), info "pnyx-coop v1",
//     the same aad: {"member", "contact", "enc" (32 bytes), "key" (48)}.
// A contact key file ("PRIVATE+X25519+<name>+<base64 of 32 bytes>", from
// `pnyx keygen --contact` or `pnyx demo`) is read once into a
// NON-EXTRACTABLE X25519 CryptoKey kept in IndexedDB (database
// "pnyx-coop"); its bytes are zeroed and never sent. Runs unchanged in a
// browser and in Node 20+.
import { base64Encode, base64Decode, keyNameIsValid, indexedDbStore } from './keys.js';
import { canonicalJson } from './sign.js';
import * as H from './hpke.js';

export const COOP_INFO = 'pnyx-coop v1';
export const CONTACT_PREFIX = 'PRIVATE+X25519+';
export const PLAINTEXT_MAX = 40000; // bytes of canonical JSON
export const RECIPIENTS_MAX = 16;
const CONTENT_KEY = 32;
const SEALED_KEY = CONTENT_KEY + H.NT; // 48
const FILE_MAX = 4096;
const utf8 = new TextEncoder();

// English sentences for every CoopError code; the page's i18n may replace
// them (i18n_coop.js, 'coop_err_' + code).
export const COOP_MESSAGES = {
  'not-authentic': 'The encrypted message does not authenticate: it was changed, or it is not addressed to this key.',
  'not-addressed': 'This message is not addressed to any point of contact whose key is kept in this browser.',
  'malformed': 'The encrypted message is not in the form Pnyx writes: it cannot be read.',
  'contact-file': 'This is not a contact key file: its one line must be PRIVATE+X25519+<name>+<base64 of 32 bytes>, as pnyx keygen --contact writes it.',
  'too-large': 'The message is larger than 40,000 bytes once encoded: shorten it, or send large evidence by other means and name it by its SHA-256.',
  'no-recipient': 'The message has no recipient, or more than 16.',
  'unsupported': 'This browser cannot encrypt or decrypt (WebCrypto X25519 is missing): use a current Chromium, Firefox or Safari.',
};

// A refusal of this module: code (a key of COOP_MESSAGES) and its sentence.
export class CoopError extends Error {
  constructor(code) {
    super(COOP_MESSAGES[code] || code);
    this.name = 'CoopError';
    this.code = code;
  }
}

// The aad of an action's envelope {forum, actor, seq, type}.
export function coopAad(env) {
  return `${env.forum}\n${env.actor}\n${env.seq}\n${env.type}`;
}

// ---- contact keys ----

// Parses a contact key file's content (string or bytes): {name, sk (32
// bytes: zero it after use)}. Throws CoopError('contact-file').
export function parseContactKey(content) {
  let text = content;
  try {
    if (content instanceof ArrayBuffer || ArrayBuffer.isView(content)) {
      const b = content instanceof ArrayBuffer ? new Uint8Array(content) : content;
      if (b.length > FILE_MAX) throw new CoopError('contact-file');
      text = new TextDecoder('utf-8', { fatal: true }).decode(b);
    }
  } catch (e) {
    throw new CoopError('contact-file');
  }
  if (typeof text !== 'string' || text.length > FILE_MAX) throw new CoopError('contact-file');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  if (!text.startsWith(CONTACT_PREFIX)) throw new CoopError('contact-file');
  const rest = text.slice(CONTACT_PREFIX.length);
  const plus = rest.indexOf('+'); // a key name holds no '+'; base64 may
  if (plus <= 0) throw new CoopError('contact-file');
  const name = rest.slice(0, plus);
  const sk = base64Decode(rest.slice(plus + 1));
  if (!keyNameIsValid(name) || sk === null || sk.length !== 32) throw new CoopError('contact-file');
  return { name, sk };
}

// Imports a contact key file: {name, pk (32 bytes), pkText (its base64,
// the "key" of poc.register), vkey ("X25519+<name>+<pkText>"),
// privateKey (non-extractable X25519 CryptoKey)}. Throws CoopError.
export async function importContactKeyFile(content) {
  const { name, sk } = parseContactKey(content);
  let pair;
  try {
    pair = await H.importPrivateKey(sk);
  } catch (e) {
    throw new CoopError(e.code === 'unsupported' ? 'unsupported' : 'contact-file');
  } finally {
    sk.fill(0);
  }
  const pkText = base64Encode(pair.publicKey);
  return { name, pk: pair.publicKey, pkText, vkey: `X25519+${name}+${pkText}`, privateKey: pair.privateKey };
}

let store = null;

// The page's store of contact keys: IndexedDB "pnyx-coop" (keys.js's
// store, records keyed by vkey).
export function contactStore() {
  if (!store) store = indexedDbStore('pnyx-coop');
  return store;
}

// Keeps an imported contact key in store; returns the record.
export async function saveContact(st, key) {
  const rec = { vkey: key.vkey, name: key.name, pk: key.pk, pkText: key.pkText, privateKey: key.privateKey, addedMs: Date.now() };
  await st.put(rec);
  return rec;
}

// ---- sealing ----

async function aesKey(raw, usage) {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
}

const ZERO_NONCE = new Uint8Array(12);

// Seals plaintext (a JSON object) for recipients [{member, contact, pk
// (32 bytes, or its base64)}] under the envelope env. Returns the sealed
// object {ct, recipients: [{contact, enc, key, member}]}. Throws CoopError
// or SignError (a plaintext that is not plain JSON).
export async function seal(plaintext, recipients, env) {
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > RECIPIENTS_MAX) {
    throw new CoopError('no-recipient');
  }
  const pt = utf8.encode(canonicalJson(plaintext));
  if (pt.length > PLAINTEXT_MAX) throw new CoopError('too-large');
  const aad = utf8.encode(coopAad(env));
  const ck = crypto.getRandomValues(new Uint8Array(CONTENT_KEY));
  try {
    const k = await aesKey(ck, 'encrypt');
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: ZERO_NONCE, additionalData: aad, tagLength: 128 }, k, pt));
    const out = [];
    for (const r of recipients) {
      const pk = typeof r.pk === 'string' ? base64Decode(r.pk) : r.pk;
      if (!pk || pk.length !== 32) throw new CoopError('malformed');
      let s;
      try {
        s = await H.sealBase(H.AES_256_GCM, pk, COOP_INFO, aad, ck);
      } catch (e) {
        throw new CoopError(e.code === 'unsupported' ? 'unsupported' : 'malformed');
      }
      out.push({ contact: r.contact, enc: base64Encode(s.enc), key: base64Encode(s.ct), member: r.member });
    }
    return { ct: base64Encode(ct), recipients: out };
  } finally {
    ck.fill(0);
    pt.fill(0);
  }
}

// ---- opening ----

function b64Of(v, min, max) {
  const b = typeof v === 'string' ? base64Decode(v) : null;
  return b && b.length >= min && b.length <= max ? b : null;
}

// The sealed object's parts, checked: {ct, entries: [{member, contact,
// enc, key}]}. Throws CoopError('malformed').
export function readSealed(sealed) {
  const ok = sealed && typeof sealed === 'object' && Array.isArray(sealed.recipients) &&
    sealed.recipients.length >= 1 && sealed.recipients.length <= RECIPIENTS_MAX;
  const ct = ok ? b64Of(sealed.ct, H.NT, 1 << 20) : null;
  if (!ct) throw new CoopError('malformed');
  const entries = sealed.recipients.map((r) => ({
    member: r && r.member, contact: r && r.contact,
    enc: r && b64Of(r.enc, 32, 32), key: r && b64Of(r.key, SEALED_KEY, SEALED_KEY),
  }));
  if (entries.some((e) => typeof e.member !== 'string' || typeof e.contact !== 'string' || !e.enc || !e.key)) {
    throw new CoopError('malformed');
  }
  return { ct, entries };
}

// The content key of entry e with privateKey, or null if it does not
// authenticate.
async function contentKey(e, privateKey, aad) {
  try {
    return await H.openBase(H.AES_256_GCM, e.enc, privateKey, COOP_INFO, aad, e.key);
  } catch (err) {
    if (err.code === 'unsupported') throw new CoopError('unsupported');
    return null;
  }
}

// Opens sealed under env with the keys [{privateKey, member, contact}]:
// each key tries the entries addressed to its member and contact (every
// entry when a key names neither). Returns {plaintext (the object),
// member, contact} of the first entry that opens. Throws CoopError:
// 'malformed', 'not-addressed' (no entry for any key), 'not-authentic'
// (an entry for a key, but the content key or "ct" does not authenticate).
export async function open(sealed, env, keys) {
  const s = readSealed(sealed);
  const aad = utf8.encode(coopAad(env));
  let tried = false;
  for (const k of keys) {
    const mine = s.entries.filter((e) => (k.member == null || e.member === k.member) && (k.contact == null || e.contact === k.contact));
    for (const e of mine) {
      tried = true;
      const ck = await contentKey(e, k.privateKey, aad);
      if (!ck || ck.length !== CONTENT_KEY) continue;
      let pt;
      try {
        const aes = await aesKey(ck, 'decrypt');
        pt = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: ZERO_NONCE, additionalData: aad, tagLength: 128 }, aes, s.ct));
      } catch (err) {
        throw new CoopError('not-authentic');
      } finally {
        ck.fill(0);
      }
      let obj = null;
      try { obj = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(pt)); } catch (err) { obj = null; }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new CoopError('malformed');
      return { plaintext: obj, member: e.member, contact: e.contact };
    }
  }
  throw new CoopError(tried ? 'not-authentic' : 'not-addressed');
}
