// X25519 for crypto.subtle from node:crypto, for the node tests of
// web/hpke.js on node 18, whose WebCrypto lacks X25519 (Debian 12's
// nodejs). Installed only when needed; PNYX_HPKE_SHIM=1 forces it, to
// check it on a newer node. Covers what web/hpke.js uses: generateKey,
// importKey raw (public) and pkcs8 (private), exportKey raw (public),
// deriveBits. Shared by the node tests (hpke, coop_seal, e2e_coop_lib).
import * as nodeCrypto from 'node:crypto';

if (!globalThis.crypto) globalThis.crypto = nodeCrypto.webcrypto;

// Returns whether the shim was installed.
export async function installX25519Shim() {
  const subtle = globalThis.crypto.subtle;
  try {
    // PNYX_HPKE_SHIM=1 forces the shim, to check it on a newer node
    if (process.env.PNYX_HPKE_SHIM !== '1') {
      await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
      return false;
    }
  } catch {
    // fall through: no X25519 in this WebCrypto
  }
  const SPKI = Buffer.from('302a300506032b656e032100', 'hex');
  const isX = (a) => (typeof a === 'string' ? a : a && a.name) === 'X25519';
  const wrap = (type, obj, extractable, usages) => ({ type, extractable, usages, algorithm: { name: 'X25519' }, _obj: obj });
  const orig = {
    generateKey: subtle.generateKey.bind(subtle), importKey: subtle.importKey.bind(subtle),
    exportKey: subtle.exportKey.bind(subtle), deriveBits: subtle.deriveBits.bind(subtle),
  };
  subtle.generateKey = async (alg, ext, usages) => {
    if (!isX(alg)) return orig.generateKey(alg, ext, usages);
    const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('x25519');
    return { privateKey: wrap('private', privateKey, ext, usages), publicKey: wrap('public', publicKey, true, []) };
  };
  subtle.importKey = async (fmt, data, alg, ext, usages) => {
    if (!isX(alg)) return orig.importKey(fmt, data, alg, ext, usages);
    const b = Buffer.from(data);
    if (fmt === 'raw') return wrap('public', nodeCrypto.createPublicKey({ key: Buffer.concat([SPKI, b]), format: 'der', type: 'spki' }), ext, usages);
    return wrap('private', nodeCrypto.createPrivateKey({ key: b, format: 'der', type: 'pkcs8' }), ext, usages);
  };
  subtle.exportKey = async (fmt, key) => {
    if (!key || !key._obj) return orig.exportKey(fmt, key);
    if (fmt !== 'raw' || key.type !== 'public') throw new Error('not extractable');
    return key._obj.export({ format: 'der', type: 'spki' }).subarray(12);
  };
  subtle.deriveBits = async (alg, key, len) => {
    if (!isX(alg)) return orig.deriveBits(alg, key, len);
    const out = nodeCrypto.diffieHellman({ privateKey: key._obj, publicKey: alg.public._obj });
    if (out.every((x) => x === 0)) throw new Error('all-zero X25519 result');
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
  };
  return true;
}
