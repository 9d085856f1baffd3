// Hybrid Public Key Encryption (RFC 9180) in the browser, with WebCrypto
// only (docs/WEB-SIGNING.md "Encryption (web/hpke.js)"). The same
// construction as src/lib/hpke.c: base mode, DHKEM(X25519, HKDF-SHA256)
// (kem_id 0x0020), HKDF-SHA256 (kdf_id 0x0001), and AES-256-GCM
// (aead_id 0x0002, the suite cooperation messages use) or AES-128-GCM
// (aead_id 0x0001, offered because RFC 9180 A.1.1 publishes its vectors).
//
// X25519 is WebCrypto's {name: 'X25519'} (Chromium 133+, Firefox 130+,
// Safari 17+, Node 20+); HKDF is written out over HMAC-SHA256 so that the
// labeled inputs are exactly RFC 9180's; AES-GCM is WebCrypto's.
// Private keys are non-extractable CryptoKeys; a context keeps its AEAD key
// and exporter secret as non-extractable CryptoKeys too. Raw secret bytes
// exist only inside the key schedule (and are zeroed there) and in the
// vector functions kemEncapForTest / keyScheduleForTest.
//
// Errors are HpkeError with a stable code and an English message (the same
// meanings as the C module's pnyx_err):
//   'not-authentic'  the message does not authenticate: altered ciphertext,
//                    enc, aad or info, another recipient's key, another
//                    suite, or a message out of order (PNYX_ERR_BAD_SIGNATURE)
//   'malformed'      a key or enc of the wrong length, or not a usable X25519
//                    key; ikm shorter than 32 bytes; ciphertext shorter than
//                    its tag (PNYX_ERR_MALFORMED)
//   'too-large'      an export longer than 255 * 32 bytes (PNYX_ERR_TOO_LARGE)
//   'range'          the context has used all its message numbers
//   'unsupported'    this browser's WebCrypto has no X25519

export const KEM_ID = 0x0020;
export const KDF_ID = 0x0001;
export const AES_128_GCM = 0x0001;
export const AES_256_GCM = 0x0002;
export const NPK = 32; // public key, enc, private key, shared secret
export const NN = 12; // nonce
export const NT = 16; // tag: a ciphertext is the plaintext + 16 bytes
export const EXPORT_MAX = 255 * 32;

export class HpkeError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'HpkeError';
    this.code = code;
  }
}

const subtle = () => globalThis.crypto.subtle;
const enc8 = (s) => new TextEncoder().encode(s);
const VERSION = enc8('HPKE-v1');
const KEM_SUITE = Uint8Array.from([0x4b, 0x45, 0x4d, 0x00, 0x20]); // "KEM" || 0x0020
// PKCS#8 PrivateKeyInfo for X25519 (RFC 8410) up to the 32-byte key.
const PKCS8_X25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e,
  0x04, 0x22, 0x04, 0x20,
]);
const BASEPOINT = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 9 : 0));

function hpkeSuite(aead) {
  return Uint8Array.from([0x48, 0x50, 0x4b, 0x45, 0x00, 0x20, 0x00, 0x01, 0x00, aead]);
}

function keyLen(aead) {
  if (aead === AES_128_GCM) return 16;
  if (aead === AES_256_GCM) return 32;
  throw new HpkeError('malformed', `unknown AEAD ${aead}: use AES_128_GCM (1) or AES_256_GCM (2)`);
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Bytes from a Uint8Array, an ArrayBuffer (view) or a string (UTF-8).
function bytes(x, what) {
  if (x === undefined || x === null) return new Uint8Array(0);
  if (typeof x === 'string') return enc8(x);
  if (x instanceof Uint8Array) return x;
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  throw new HpkeError('malformed', `${what} must be bytes (Uint8Array) or text`);
}

function exact(x, n, what) {
  const b = bytes(x, what);
  if (b.length !== n) throw new HpkeError('malformed', `${what} must be ${n} bytes, got ${b.length}`);
  return b;
}

function hmacKey(key, usage = 'sign') {
  return subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

async function hmac(key, data) {
  const k = key instanceof Uint8Array ? await hmacKey(key) : key;
  return new Uint8Array(await subtle().sign('HMAC', k, data));
}

// LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, "HPKE-v1" ||
// suite_id || label || ikm). An empty salt is 32 zero bytes (RFC 5869; HMAC
// pads both to the same key, and WebCrypto refuses an empty HMAC key).
function labeledExtract(suite, salt, label, ikm) {
  const s = salt.length === 0 ? new Uint8Array(32) : salt;
  return hmac(s, concat(VERSION, suite, enc8(label), ikm));
}

// LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) ||
// "HPKE-v1" || suite_id || label || info, L); prk is bytes or an HMAC key.
async function labeledExpand(suite, prk, label, info, len) {
  const labeled = concat(Uint8Array.from([len >> 8, len & 0xff]), VERSION, suite, enc8(label), info);
  const key = prk instanceof Uint8Array ? await hmacKey(prk) : prk;
  const out = new Uint8Array(len);
  let t = new Uint8Array(0);
  for (let i = 1, done = 0; done < len; i++) {
    t = await hmac(key, concat(t, labeled, Uint8Array.of(i)));
    out.set(t.subarray(0, Math.min(32, len - done)), done);
    done += 32;
  }
  t.fill(0);
  return out;
}

function checkWebCrypto() {
  if (!globalThis.crypto || !globalThis.crypto.subtle) {
    throw new HpkeError('unsupported', 'this browser offers no WebCrypto (it needs a secure https:// page)');
  }
}

async function dh(privateKey, publicKey) {
  checkWebCrypto();
  let pub;
  try {
    pub = await subtle().importKey('raw', publicKey, { name: 'X25519' }, true, []);
  } catch (e) {
    if (e && e.name === 'NotSupportedError') {
      throw new HpkeError('unsupported', 'this browser cannot do X25519 encryption; use a current Chromium, Firefox or Safari');
    }
    throw new HpkeError('malformed', 'the encapsulated key or the public key is not a usable X25519 key');
  }
  try {
    return new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: pub }, privateKey, 256));
  } catch {
    // WebCrypto refuses an all-zero result (a low-order point), as libsodium does
    throw new HpkeError('malformed', 'the encapsulated key or the public key is not a usable X25519 key');
  }
}

// The public key (32 bytes) of an X25519 private CryptoKey: X25519(sk, 9).
function publicKeyOf(privateKey) {
  return dh(privateKey, BASEPOINT);
}

// Imports a raw 32-byte X25519 private key (as pnyx_hpke_keypair writes it)
// as a non-extractable CryptoKey; returns { privateKey, publicKey }.
// The caller may zero sk afterwards.
export async function importPrivateKey(sk) {
  checkWebCrypto();
  const pkcs8 = concat(PKCS8_X25519_PREFIX, exact(sk, NPK, 'the private key'));
  let privateKey;
  try {
    privateKey = await subtle().importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  } catch {
    throw new HpkeError('unsupported', 'this browser cannot do X25519 encryption; use a current Chromium, Firefox or Safari');
  } finally {
    pkcs8.fill(0);
  }
  return { privateKey, publicKey: await publicKeyOf(privateKey) };
}

// A fresh key pair: { privateKey: non-extractable CryptoKey, publicKey:
// 32 bytes }. Equivalent to DeriveKeyPair on random input (a uniformly
// random clamped scalar).
export async function generateKeyPair() {
  checkWebCrypto();
  let pair;
  try {
    pair = await subtle().generateKey({ name: 'X25519' }, false, ['deriveBits']);
  } catch {
    throw new HpkeError('unsupported', 'this browser cannot do X25519 encryption; use a current Chromium, Firefox or Safari');
  }
  const publicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

// DeriveKeyPair(ikm) of RFC 9180 7.1.3 (ikm: at least 32 bytes): the same
// ikm always gives the same { privateKey, publicKey }, as in the C module.
export async function deriveKeyPair(ikm) {
  const b = bytes(ikm, 'ikm');
  if (b.length < 32) {
    throw new HpkeError('malformed', `key derivation needs at least 32 bytes of input keying material, got ${b.length}`);
  }
  const prk = await labeledExtract(KEM_SUITE, new Uint8Array(0), 'dkp_prk', b);
  const sk = await labeledExpand(KEM_SUITE, prk, 'sk', new Uint8Array(0), 32);
  prk.fill(0);
  try {
    return await importPrivateKey(sk);
  } finally {
    sk.fill(0);
  }
}

// ExtractAndExpand(dh, enc || pkR) of DHKEM.
async function kemSharedSecret(privateKey, peer, enc, pkR) {
  const d = await dh(privateKey, peer);
  const prk = await labeledExtract(KEM_SUITE, new Uint8Array(0), 'eae_prk', d);
  d.fill(0);
  const ss = await labeledExpand(KEM_SUITE, prk, 'shared_secret', concat(enc, pkR), 32);
  prk.fill(0);
  return ss;
}

// Encap (ephemeral key from ikmE when given, for test vectors; random
// otherwise): { enc, sharedSecret }.
async function encap(pkR, ikmE) {
  const e = ikmE === undefined ? await generateKeyPair() : await deriveKeyPair(ikmE);
  const sharedSecret = await kemSharedSecret(e.privateKey, pkR, e.publicKey, pkR);
  return { enc: e.publicKey, sharedSecret };
}

async function decap(enc, privateKey) {
  if (!privateKey || privateKey.type !== 'private' || !privateKey.algorithm || privateKey.algorithm.name !== 'X25519') {
    throw new HpkeError('malformed', 'the private key must be an X25519 CryptoKey (see importPrivateKey)');
  }
  const pkR = await publicKeyOf(privateKey);
  return kemSharedSecret(privateKey, enc, enc, pkR);
}

// KeySchedule(mode_base, shared_secret, info): raw { key, baseNonce,
// exporterSecret } bytes.
async function scheduleBytes(aead, sharedSecret, info) {
  const nk = keyLen(aead);
  const suite = hpkeSuite(aead);
  const none = new Uint8Array(0);
  const pskIdHash = await labeledExtract(suite, none, 'psk_id_hash', none);
  const infoHash = await labeledExtract(suite, none, 'info_hash', info);
  const ksc = concat(Uint8Array.of(0), pskIdHash, infoHash);
  const secret = await labeledExtract(suite, sharedSecret, 'secret', none);
  const out = {
    key: await labeledExpand(suite, secret, 'key', ksc, nk),
    baseNonce: await labeledExpand(suite, secret, 'base_nonce', ksc, NN),
    exporterSecret: await labeledExpand(suite, secret, 'exp', ksc, 32),
  };
  secret.fill(0);
  return out;
}

// An encryption context (RFC 9180 5.2): a sender's context seals messages
// 0, 1, 2, ...; the recipient's opens them in the same order. `seq` is the
// number of the next message (writable for test vectors that skip
// numbers). A refused open leaves seq unchanged.
export class Context {
  constructor(aead, aesKey, baseNonce, exporterKey) {
    this.aead = aead;
    this.seq = 0;
    this._key = aesKey;
    this._baseNonce = baseNonce;
    this._exporter = exporterKey;
  }

  // ComputeNonce(seq) = base_nonce XOR I2OSP(seq, 12).
  _nonce() {
    if (!Number.isSafeInteger(this.seq) || this.seq < 0 || this.seq >= Number.MAX_SAFE_INTEGER) {
      throw new HpkeError('range', 'this encryption context has used all its message numbers');
    }
    const n = Uint8Array.from(this._baseNonce);
    let s = BigInt(this.seq);
    for (let i = NN - 1; s > 0n; i--, s >>= 8n) n[i] ^= Number(s & 0xffn);
    return n;
  }

  // ContextS.Seal(aad, pt): the ciphertext (pt + 16 bytes); seq advances.
  async seal(aad, pt) {
    const iv = this._nonce();
    const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: bytes(aad, 'aad'), tagLength: 128 },
      this._key, bytes(pt, 'the plaintext'));
    this.seq++;
    return new Uint8Array(ct);
  }

  // ContextR.Open(aad, ct): the plaintext; seq advances. Throws
  // HpkeError 'not-authentic' (seq unchanged) when ct does not authenticate.
  async open(aad, ct) {
    const c = bytes(ct, 'the ciphertext');
    if (c.length < NT) {
      throw new HpkeError('malformed', `the ciphertext is ${c.length} bytes, shorter than its 16-byte authentication tag`);
    }
    const iv = this._nonce();
    let pt;
    try {
      pt = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: bytes(aad, 'aad'), tagLength: 128 },
        this._key, c);
    } catch {
      throw new HpkeError('not-authentic', 'the encrypted message does not authenticate: it was altered, or it was '
        + 'not encrypted to this key with this context and additional data');
    }
    this.seq++;
    return new Uint8Array(pt);
  }

  // Context.Export(exporter_context, L) (RFC 9180 5.3): L bytes of secret,
  // the same on both sides. 1 <= L <= 255 * 32.
  async export(exporterContext, len) {
    if (!Number.isInteger(len) || len < 1 || len > EXPORT_MAX) {
      throw new HpkeError('too-large', `an exported secret is 1 to ${EXPORT_MAX} bytes, ${len} were asked for`);
    }
    return labeledExpand(hpkeSuite(this.aead), this._exporter, 'sec', bytes(exporterContext, 'the exporter context'), len);
  }
}

async function makeContext(aead, sharedSecret, info) {
  const k = await scheduleBytes(aead, sharedSecret, bytes(info, 'info'));
  try {
    const aesKey = await subtle().importKey('raw', k.key, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    const exporterKey = await hmacKey(k.exporterSecret);
    return new Context(aead, aesKey, k.baseNonce, exporterKey);
  } finally {
    k.key.fill(0);
    k.exporterSecret.fill(0);
  }
}

// SetupBaseS(pkR, info): { enc, context }. enc (32 bytes) goes along with
// the ciphertexts. options.ikmE fixes the ephemeral key (test vectors
// only: reusing it for two messages destroys their confidentiality).
export async function setupBaseS(aead, pkR, info, options = {}) {
  keyLen(aead);
  const pk = exact(pkR, NPK, 'the recipient public key');
  const { enc, sharedSecret } = await encap(pk, options.ikmE);
  try {
    return { enc, context: await makeContext(aead, sharedSecret, info) };
  } finally {
    sharedSecret.fill(0);
  }
}

// SetupBaseR(enc, skR, info): the recipient's context. skR is an X25519
// private CryptoKey (generateKeyPair, importPrivateKey). A wrong key or
// info is detected by the first open, not here.
export async function setupBaseR(aead, enc, skR, info) {
  keyLen(aead);
  const sharedSecret = await decap(exact(enc, NPK, 'the encapsulated key'), skR);
  try {
    return await makeContext(aead, sharedSecret, info);
  } finally {
    sharedSecret.fill(0);
  }
}

// Single-shot encryption (SealBase): { enc, ct }.
export async function sealBase(aead, pkR, info, aad, pt) {
  const { enc, context } = await setupBaseS(aead, pkR, info);
  return { enc, ct: await context.seal(aad, pt) };
}

// Single-shot decryption (OpenBase): the plaintext.
export async function openBase(aead, enc, skR, info, aad, ct) {
  const context = await setupBaseR(aead, enc, skR, info);
  return context.open(aad, ct);
}

// For the RFC 9180 test vectors only: Encap with the ephemeral key
// DeriveKeyPair(ikmE), returning the raw KEM shared secret.
export async function kemEncapForTest(pkR, ikmE) {
  return encap(exact(pkR, NPK, 'the recipient public key'), ikmE);
}

// For the RFC 9180 test vectors only: the raw key schedule output
// { key, baseNonce, exporterSecret } of a shared secret and info.
export async function keyScheduleForTest(aead, sharedSecret, info) {
  return scheduleBytes(aead, exact(sharedSecret, 32, 'the shared secret'), bytes(info, 'info'));
}
