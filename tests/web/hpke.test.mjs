// web/hpke.js: RFC 9180 A.1.1 vectors (DHKEM(X25519, HKDF-SHA256),
// HKDF-SHA256, AES-128-GCM; the same source as tests/test_hpke.c: the
// CFRG's test-vectors.json, mode 0, kem_id 32, kdf_id 1, aead_id 1),
// refusals, and interop with the C module (src/lib/hpke.c) both ways and
// for both suites through tests/hpke_tool.c, whose path is in
// PNYX_HPKE_TOOL (tests/hpke_interop.sh sets it; without it the interop
// tests are skipped).
//
// Node 18's WebCrypto may lack X25519; then, and only here in the test,
// X25519 is supplied to crypto.subtle from node:crypto (installX25519Shim)
// so that the rest of web/hpke.js (HKDF, AES-GCM) still runs on WebCrypto
// (PNYX_HPKE_SHIM=1 forces the shim on a newer node, to check it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import { installX25519Shim } from './x25519_shim.mjs';

if (!globalThis.crypto) globalThis.crypto = nodeCrypto.webcrypto;
const shimmed = await installX25519Shim();
const H = await importHpke();

const TOOL = process.env.PNYX_HPKE_TOOL || '';
const noTool = TOOL === '' ? 'PNYX_HPKE_TOOL is not set (tests/hpke_interop.sh sets it)' : false;

const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

// RFC 9180 A.1.1 (Base mode, AES-128-GCM).
const V = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
  pkEm: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  skEm: '52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736',
  ikmR: '6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  shared: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
  key: '4531685d41d65f03dc48f6b8302c05b0',
  baseNonce: '56d890e5accaaf011cff4b7d',
  exporter: '45ff1c2e220db587171952c0592d5f5ebe103f1561a2614e38f2ffd47e99e3f8',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
};
const ENCRYPTIONS = [
  [0, '436f756e742d30', 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a'],
  [1, '436f756e742d31', 'af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84'],
  [2, '436f756e742d32', '498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb72516491588d96a19ad4a683518973dcc180'],
  [4, '436f756e742d34', '583bd32bc67a5994bb8ceaca813d369bca7b2a42408cddef5e22f880b631215a09fc0012bc69fccaa251c0246d'],
  [255, '436f756e742d323535', '7175db9717964058640a3a11fb9007941a5d1757fda1a6935c805c21af32505bf106deefec4a49ac38d71c9e0a'],
  [256, '436f756e742d323536', '957f9800542b0b8891badb026d79cc54597cb2d225b54c00c5238c25d05c30e3fbeda97d2e0e1aba483a2df9f2'],
];
const EXPORTS = [ // exportLength 32
  ['', '3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee'],
  ['00', '2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5'],
  ['54657374436f6e74657874', 'e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931'],
];

const code = (c) => (e) => e instanceof H.HpkeError && e.code === c;

async function vectorContexts() {
  const r = await H.deriveKeyPair(unhex(V.ikmR));
  const { enc, context: s } = await H.setupBaseS(H.AES_128_GCM, r.publicKey, unhex(V.info), { ikmE: unhex(V.ikmE) });
  assert.equal(hex(enc), V.enc);
  const rc = await H.setupBaseR(H.AES_128_GCM, enc, r.privateKey, unhex(V.info));
  return { s, r: rc };
}

test('X25519 comes from WebCrypto (or the test shim on old node)', () => {
  if (shimmed) console.log('# node\'s WebCrypto has no X25519: the test supplies it from node:crypto');
  else console.log(`# X25519 from WebCrypto (node ${process.version})`);
});

test('DeriveKeyPair gives the A.1.1 key pairs, as non-extractable keys', async () => {
  const e = await H.deriveKeyPair(unhex(V.ikmE));
  assert.equal(hex(e.publicKey), V.pkEm);
  const r = await H.deriveKeyPair(unhex(V.ikmR));
  assert.equal(hex(r.publicKey), V.pkRm);
  assert.equal(r.privateKey.extractable, false);
  assert.equal(r.privateKey.type, 'private');
  await assert.rejects(crypto.subtle.exportKey('pkcs8', r.privateKey));
  // the private key is the vector's skRm: importing skRm gives the same key
  const imported = await H.importPrivateKey(unhex(V.skRm));
  assert.equal(hex(imported.publicKey), V.pkRm);
  assert.equal((await H.importPrivateKey(unhex(V.skEm))).publicKey.length, 32);
  assert.equal(hex((await H.importPrivateKey(unhex(V.skEm))).publicKey), V.pkEm);
  await assert.rejects(H.deriveKeyPair(new Uint8Array(31)), (err) => code('malformed')(err) && /32 bytes/.test(err.message));
});

test('Encap and the key schedule give the A.1.1 shared secret, key, base_nonce and exporter_secret', async () => {
  const { enc, sharedSecret } = await H.kemEncapForTest(unhex(V.pkRm), unhex(V.ikmE));
  assert.equal(hex(enc), V.enc);
  assert.equal(hex(sharedSecret), V.shared);
  const k = await H.keyScheduleForTest(H.AES_128_GCM, sharedSecret, unhex(V.info));
  assert.equal(hex(k.key), V.key);
  assert.equal(hex(k.baseNonce), V.baseNonce);
  assert.equal(hex(k.exporterSecret), V.exporter);
  const k256 = await H.keyScheduleForTest(H.AES_256_GCM, sharedSecret, unhex(V.info));
  assert.equal(k256.key.length, 32);
  assert.notEqual(hex(k256.key).slice(0, 32), V.key, 'the suite id changes the keys');
});

test('A.1.1 ciphertexts for sequence numbers 0, 1, 2, 4, 255, 256 seal and open', async () => {
  const { s, r } = await vectorContexts();
  const pt = unhex(V.pt);
  for (const [seq, aad, ct] of ENCRYPTIONS) {
    s.seq = seq; // the vectors skip some numbers
    r.seq = seq;
    const got = await s.seal(unhex(aad), pt);
    assert.equal(hex(got), ct, `sequence number ${seq}`);
    assert.equal(s.seq, seq + 1);
    assert.deepEqual(await r.open(unhex(aad), got), pt);
    assert.equal(r.seq, seq + 1);
  }
});

test('A.1.1 exports, on both sides', async () => {
  const { s, r } = await vectorContexts();
  for (const [ctx, value] of EXPORTS) {
    assert.equal(hex(await s.export(unhex(ctx), 32)), value);
    assert.equal(hex(await r.export(unhex(ctx), 32)), value);
  }
  assert.equal((await s.export('', H.EXPORT_MAX)).length, H.EXPORT_MAX);
  await assert.rejects(s.export('', H.EXPORT_MAX + 1), code('too-large'));
  await assert.rejects(s.export('', 0), code('too-large'));
});

test('a generated key pair: non-extractable, and a round trip in both suites', async () => {
  const k = await H.generateKeyPair();
  assert.equal(k.publicKey.length, 32);
  assert.equal(k.privateKey.extractable, false);
  assert.deepEqual(k.privateKey.usages, ['deriveBits']);
  for (const aead of [H.AES_128_GCM, H.AES_256_GCM]) {
    const { enc, context: s } = await H.setupBaseS(aead, k.publicKey, 'pnyx test: cooperation message');
    const r = await H.setupBaseR(aead, enc, k.privateKey, 'pnyx test: cooperation message');
    for (let n = 0; n < 300; n += 37) {
      const pt = crypto.getRandomValues(new Uint8Array(n));
      const ct = await s.seal('request 42', pt);
      assert.equal(ct.length, n + 16);
      assert.deepEqual(await r.open('request 42', ct), pt);
    }
    assert.equal(s.seq, r.seq);
    assert.deepEqual(await s.export('x', 48), await r.export('x', 48));
  }
  // empty plaintext, no info, no aad
  const one = await H.sealBase(H.AES_256_GCM, k.publicKey, undefined, undefined, new Uint8Array(0));
  assert.equal(one.ct.length, 16);
  assert.deepEqual(await H.openBase(H.AES_256_GCM, one.enc, k.privateKey, undefined, undefined, one.ct), new Uint8Array(0));
});

test('tampered ciphertext, enc, aad or info, another key, suite or order are refused', async () => {
  const k = await H.generateKeyPair();
  const info = 'pnyx test: cooperation message';
  const aad = 'request 42';
  const { enc, ct } = await H.sealBase(H.AES_256_GCM, k.publicKey, info, aad, 'incident report: do not disclose!!!!!!!');
  assert.equal(new TextDecoder().decode(await H.openBase(H.AES_256_GCM, enc, k.privateKey, info, aad, ct)),
    'incident report: do not disclose!!!!!!!');
  for (let i = 0; i < ct.length; i++) {
    const t = Uint8Array.from(ct);
    t[i] ^= 0x20;
    await assert.rejects(H.openBase(H.AES_256_GCM, enc, k.privateKey, info, aad, t),
      (e) => code('not-authentic')(e) && /does not authenticate/.test(e.message));
  }
  for (let i = 0; i < enc.length; i++) {
    const t = Uint8Array.from(enc);
    t[i] ^= 0x01;
    await assert.rejects(H.openBase(H.AES_256_GCM, t, k.privateKey, info, aad, ct),
      (e) => code('not-authentic')(e) || code('malformed')(e));
  }
  await assert.rejects(H.openBase(H.AES_256_GCM, enc, k.privateKey, info, 'request 43', ct), code('not-authentic'));
  await assert.rejects(H.openBase(H.AES_256_GCM, enc, k.privateKey, info, undefined, ct), code('not-authentic'));
  await assert.rejects(H.openBase(H.AES_256_GCM, enc, k.privateKey, info.slice(1), aad, ct), code('not-authentic'));
  await assert.rejects(H.openBase(H.AES_256_GCM, enc, (await H.generateKeyPair()).privateKey, info, aad, ct),
    code('not-authentic'));
  await assert.rejects(H.openBase(H.AES_128_GCM, enc, k.privateKey, info, aad, ct), code('not-authentic'));
  await assert.rejects(H.openBase(H.AES_256_GCM, enc, k.privateKey, info, aad, ct.subarray(0, 15)),
    (e) => code('malformed')(e) && /shorter/.test(e.message));
  // out of order: message 1 is not message 0, and a refusal changes nothing
  const { enc: e2, context: s } = await H.setupBaseS(H.AES_256_GCM, k.publicKey);
  const r = await H.setupBaseR(H.AES_256_GCM, e2, k.privateKey);
  const c0 = await s.seal(undefined, 'a');
  const c1 = await s.seal(undefined, 'b');
  await assert.rejects(r.open(undefined, c1), code('not-authentic'));
  assert.equal(r.seq, 0);
  assert.equal(new TextDecoder().decode(await r.open(undefined, c0)), 'a');
  assert.equal(new TextDecoder().decode(await r.open(undefined, c1)), 'b');
  // an exhausted context
  s.seq = Number.MAX_SAFE_INTEGER;
  await assert.rejects(s.seal(undefined, 'c'), code('range'));
});

test('unusable keys are refused', async () => {
  const k = await H.generateKeyPair();
  const zero = new Uint8Array(32); // a low-order point: the DH result is all zeros
  await assert.rejects(H.sealBase(H.AES_256_GCM, zero, undefined, undefined, 'x'),
    (e) => code('malformed')(e) && /X25519/.test(e.message));
  await assert.rejects(H.openBase(H.AES_256_GCM, zero, k.privateKey, undefined, undefined, new Uint8Array(16)),
    code('malformed'));
  await assert.rejects(H.sealBase(H.AES_256_GCM, new Uint8Array(31), undefined, undefined, 'x'),
    (e) => code('malformed')(e) && /32 bytes/.test(e.message));
  await assert.rejects(H.setupBaseR(H.AES_256_GCM, new Uint8Array(32).fill(9), k.publicKey), code('malformed'));
  await assert.rejects(H.setupBaseS(3, k.publicKey), code('malformed'));
});

// ---- interop with src/lib/hpke.c through tests/hpke_tool.c ----

function tool(args, lines) {
  const out = execFileSync(TOOL, args, { input: lines.map((l) => `${l}\n`).join(''), encoding: 'utf8', stdio: 'pipe' });
  return out.split('\n').slice(0, -1);
}

function toolFails(args, lines) {
  try {
    tool(args, lines);
  } catch (e) {
    return String(e.stderr);
  }
  return null;
}

const SUITES = [['aes-128-gcm', 'AES_128_GCM'], ['aes-256-gcm', 'AES_256_GCM']];
const MARKER = 'INCIDENT-MARKER-7f3a: power grid control room, do not disclose';

for (const [name, id] of SUITES) {
  test(`${name}: JS seals to a C-generated key, C opens it`, { skip: noTool }, async () => {
    const [sk, pk] = tool(['keygen'], []);
    assert.match(sk, /^[0-9a-f]{64}$/);
    assert.match(pk, /^[0-9a-f]{64}$/);
    const info = new TextEncoder().encode('pnyx cooperation request');
    const aad = new TextEncoder().encode('request 7 from FRA to KEN');
    for (const pt of [new TextEncoder().encode(MARKER), new Uint8Array(0), crypto.getRandomValues(new Uint8Array(5000))]) {
      const { enc, ct } = await H.sealBase(H[id], unhex(pk), info, aad, pt);
      assert.deepEqual(tool(['open', name], [sk, hex(enc), hex(info), hex(aad), hex(ct)]), [hex(pt)]);
      // C refuses what was altered, with its message
      const t = Uint8Array.from(ct);
      t[t.length - 1] ^= 1;
      assert.match(toolFails(['open', name], [sk, hex(enc), hex(info), hex(aad), hex(t)]), /does not authenticate/);
      assert.match(toolFails(['open', name], [sk, hex(enc), hex(info), '00', hex(ct)]), /does not authenticate/);
    }
    // the same key imported into JS opens what C sealed to its public key
    const k = await H.importPrivateKey(unhex(sk));
    assert.equal(hex(k.publicKey), pk);
  });

  test(`${name}: C seals to a JS-generated key, JS opens it`, { skip: noTool }, async () => {
    const k = await H.generateKeyPair();
    const info = new TextEncoder().encode('pnyx cooperation request');
    const aad = new TextEncoder().encode('request 8 from KEN to FRA');
    for (const pt of [new TextEncoder().encode(MARKER), new Uint8Array(0), crypto.getRandomValues(new Uint8Array(5000))]) {
      const [enc, ct] = tool(['seal', name], [hex(k.publicKey), hex(info), hex(aad), hex(pt)]);
      assert.equal(ct.length, 2 * (pt.length + 16));
      assert.deepEqual(await H.openBase(H[id], unhex(enc), k.privateKey, info, aad, unhex(ct)), pt);
      const t = unhex(ct);
      t[0] ^= 0x80;
      await assert.rejects(H.openBase(H[id], unhex(enc), k.privateKey, info, aad, t), code('not-authentic'));
      await assert.rejects(H.openBase(H[id], unhex(enc), k.privateKey, info.subarray(1), aad, unhex(ct)),
        code('not-authentic'));
      // the other suite does not open it
      const other = id === 'AES_128_GCM' ? H.AES_256_GCM : H.AES_128_GCM;
      await assert.rejects(H.openBase(other, unhex(enc), k.privateKey, info, aad, unhex(ct)), code('not-authentic'));
    }
  });
}

test('C and JS derive the same A.1.1 context: C opens the vector ciphertext sealed by JS', { skip: noTool }, async () => {
  // sequence number 0 of the vector, opened by C with skRm
  const { s } = await vectorContexts();
  const ct = await s.seal(unhex(ENCRYPTIONS[0][1]), unhex(V.pt));
  assert.deepEqual(tool(['open', 'aes-128-gcm'], [V.skRm, V.enc, V.info, ENCRYPTIONS[0][1], hex(ct)]), [V.pt]);
});

// web/hpke.js has no package.json saying it is an ES module: node 20.19+
// detects that; older node reads it as CommonJS and fails, so it is then
// loaded from its text (it imports nothing).
async function importHpke() {
  const url = new URL('../../web/hpke.js', import.meta.url);
  try {
    return await import(url.href);
  } catch (e) {
    const { readFileSync } = await import('node:fs');
    try {
      return await import(`data:text/javascript;base64,${readFileSync(url).toString('base64')}`);
    } catch {
      throw e;
    }
  }
}
