// Checks of a cooperation entry in the browser, the checks `pnyx inbox`
// makes before it shows a step: the entry is in the cooperation log (its
// RFC 6962 inclusion proof leads to a checkpoint signed with the log's
// key, which the public record names as the key of the actor
// "cooperation"), and its action is signed by a key its author held at
// the entry's time on the public record (added_ms <= time < revoked_ms).
// WebCrypto only (verify.js); runs in a browser and in Node 20+.
import { base64Decode, parseVerifierKey } from './keys.js';
import { verifyCheckpoint, checkInclusion, VerifyError } from './verify.js';

const utf8 = new TextEncoder();

// The parts of a leaf's bytes: {ms, text (the signed text), sigs: [{name,
// hash, sig}]}. Throws VerifyError('malformed-leaf').
export function leafParts(bytes) {
  const s = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const m = /^pnyx-leaf v1 ([0-9]{1,16})\n/.exec(s);
  const note = m ? s.slice(m[0].length) : '';
  const cut = note.indexOf('\n\n');
  if (!m || cut < 0) throw new VerifyError('malformed-leaf', 'the entry is not a signed action');
  const sigs = [];
  for (const line of note.slice(cut + 2).split('\n')) {
    const l = /^\u2014 (\S+) (\S+)$/.exec(line);
    const b = l ? base64Decode(l[2]) : null;
    if (b && b.length === 68) {
      sigs.push({ name: l[1], hash: ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, sig: b.slice(4) });
    }
  }
  return { ms: Number(m[1]), text: note.slice(0, cut + 1), sigs };
}

// Which of keys ([{key (verifier key text), added_ms, revoked_ms}]) signed
// parts at its time: the key's name, or null.
async function signer(parts, keys) {
  for (const k of keys || []) {
    const live = typeof k.added_ms === 'number' && k.added_ms <= parts.ms && (k.revoked_ms == null || parts.ms < k.revoked_ms);
    if (!live) continue;
    let vk;
    try { vk = await parseVerifierKey(k.key); } catch (e) { continue; }
    const pub = await crypto.subtle.importKey('raw', vk.pk, { name: 'Ed25519' }, false, ['verify']);
    for (const s of parts.sigs.filter((x) => x.name === vk.name && x.hash === vk.hash)) {
      if (await crypto.subtle.verify({ name: 'Ed25519' }, pub, s.sig, utf8.encode(parts.text))) return vk.name;
    }
  }
  return null;
}

// Checks entry (an answer of GET /v1/cooperation/entries/{N}: index, leaf,
// proof, proof_size, checkpoint) whose action's author is actor.
// keysOf(id) gives the public record's key list of an actor (GET
// /v1/actors/{id}: actor.keys). Returns {size (of the checkpoint), signer
// (the key name)}. Throws VerifyError: 'bad-signature' (the checkpoint),
// 'bad-action-signature', 'bad-proof' or 'root-mismatch',
// 'malformed-leaf', 'malformed-checkpoint'.
export async function verifyEntry(entry, actor, keysOf) {
  const bytes = base64Decode(entry.leaf || '');
  if (!bytes) throw new VerifyError('malformed-leaf', 'the entry is not base64');
  let cp = null;
  let last = null;
  for (const k of (await keysOf('cooperation')).filter((x) => x.revoked_ms == null)) {
    try {
      cp = await verifyCheckpoint(entry.checkpoint || '', k.key);
      break;
    } catch (e) {
      last = e;
    }
  }
  if (!cp) throw last || new VerifyError('bad-signature', 'the public record names no key of the cooperation log');
  if (entry.proof_size !== cp.size || !Array.isArray(entry.proof)) throw new VerifyError('bad-proof', 'the proof is not for the checkpoint given');
  await checkInclusion(bytes, entry.index, cp, entry.proof);
  const name = await signer(leafParts(bytes), await keysOf(actor));
  if (!name) throw new VerifyError('bad-action-signature', `no key that ${actor} held at that time signed this action`);
  return { size: cp.size, signer: name };
}
