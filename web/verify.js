// Checking the log in the browser, with WebCrypto only: the signed
// checkpoint (C2SP signed note, Ed25519, against the log's verifier key),
// entries read from the C2SP entry bundles (/tile/entries/...), and RFC
// 6962/9162 inclusion proofs (leaf = SHA-256(0x00 || entry), node =
// SHA-256(0x01 || left || right)) against the checkpoint's root. Runs
// unchanged in Node 18+.
import { base64Decode, parseVerifierKey } from './keys.js';

const utf8 = new TextEncoder();

// A check that failed: code (stable, for the page's sentences) and an
// English message.
export class VerifyError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'VerifyError';
    this.code = code;
  }
}

async function sha256(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let off = 0;
  for (const p of parts) { buf.set(p, off); off += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

// The RFC 6962 leaf hash of an entry's bytes.
export function leafHash(entry) {
  return sha256(Uint8Array.of(0), entry);
}

function nodeHash(l, r) {
  return sha256(Uint8Array.of(1), l, r);
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

// The root an inclusion proof leads to (RFC 9162, 2.1.3.2) from the leaf
// hash of entry index in a tree of size entries. Throws VerifyError
// ('bad-proof') when the proof has the wrong length for index and size.
export async function rootFromInclusion(index, size, leaf, proof) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) {
    throw new VerifyError('bad-proof', 'the index is not inside the tree');
  }
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) throw new VerifyError('bad-proof', 'the proof is too long or holds a hash that is not 32 bytes');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new VerifyError('bad-proof', 'the proof is too short');
  return r;
}

// {origin, size, root, body} of a checkpoint's text (C2SP tlog-checkpoint),
// checked against vkeyText (the log's verifier key) with WebCrypto.
// Throws VerifyError ('malformed-checkpoint', 'bad-signature').
export async function verifyCheckpoint(text, vkeyText) {
  const cut = text.indexOf('\n\n');
  if (cut < 0) throw new VerifyError('malformed-checkpoint', 'the checkpoint has no signature');
  const body = text.slice(0, cut + 1);
  const lines = body.split('\n');
  const size = /^(0|[1-9][0-9]{0,15})$/.test(lines[1] || '') ? Number(lines[1]) : NaN;
  const root = base64Decode(lines[2] || '');
  if (!lines[0] || !Number.isSafeInteger(size) || !root || root.length !== 32) {
    throw new VerifyError('malformed-checkpoint', 'the checkpoint is not origin, size and root hash');
  }
  const vk = await parseVerifierKey(vkeyText);
  const key = await crypto.subtle.importKey('raw', vk.pk, { name: 'Ed25519' }, false, ['verify']);
  for (const line of text.slice(cut + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== vk.name) continue;
    const sig = base64Decode(m[2]);
    if (!sig || sig.length !== 68) continue;
    const hash = ((sig[0] << 24) | (sig[1] << 16) | (sig[2] << 8) | sig[3]) >>> 0;
    if (hash !== vk.hash) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key, sig.slice(4), utf8.encode(body))) {
      return { origin: lines[0], size, root, body };
    }
  }
  throw new VerifyError('bad-signature', 'no signature of the log\'s key verifies on this checkpoint');
}

// The tile path of index n (C2SP tlog-tiles): 1234067 -> x001/x234/067.
export function tileIndexPath(n) {
  const groups = [];
  let v = n;
  do { groups.unshift(String(v % 1000).padStart(3, '0')); v = Math.floor(v / 1000); } while (v > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? 'x' + g : g)).join('/');
}

// The path of the entry bundle holding entry index in a tree of size.
export function bundlePath(index, size) {
  const n = Math.floor(index / 256);
  const w = Math.min(256, size - n * 256);
  return '/tile/entries/' + tileIndexPath(n) + (w < 256 ? '.p/' + w : '');
}

// The entries of a bundle's bytes (uint16 big-endian length, bytes).
export function parseBundle(bytes) {
  const out = [];
  let off = 0;
  while (off < bytes.length) {
    if (off + 2 > bytes.length) throw new VerifyError('malformed-bundle', 'the entry bundle is cut short');
    const n = (bytes[off] << 8) | bytes[off + 1];
    if (off + 2 + n > bytes.length) throw new VerifyError('malformed-bundle', 'the entry bundle is cut short');
    out.push(bytes.slice(off + 2, off + 2 + n));
    off += 2 + n;
  }
  return out;
}

// A forum leaf's parts: {ms, action (the object, or null), text}.
export function readLeaf(entry) {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(entry);
  const lines = text.split('\n');
  const m = /^pnyx-leaf v1 ([0-9]{1,16})$/.exec(lines[0] || '');
  let action = null;
  try { action = lines[1] === 'pnyx-action v1' ? JSON.parse(lines[2]) : null; } catch (e) { action = null; }
  return { ms: m ? Number(m[1]) : null, action, text };
}

// Checks that entry (bytes) is entry index of the tree the checkpoint cp
// ({size, root}) signs, with the proof's hashes (base64 strings).
// Returns the leaf hash; throws VerifyError ('bad-proof', 'root-mismatch').
export async function checkInclusion(entry, index, cp, hashes) {
  const proof = hashes.map((b) => base64Decode(b));
  if (proof.some((p) => p === null)) throw new VerifyError('bad-proof', 'a hash of the proof is not base64');
  const leaf = await leafHash(entry);
  const root = await rootFromInclusion(index, cp.size, leaf, proof);
  if (!equalBytes(root, cp.root)) throw new VerifyError('root-mismatch', 'the proof does not lead to the checkpoint\'s root');
  return leaf;
}
