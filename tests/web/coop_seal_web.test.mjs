// web/coop_seal.js in node: the sealed body of docs/COOPERATION.md (one
// AES-256-GCM ciphertext under a content key, the key HPKE-sealed to each
// recipient), contact key files, and every refusal: a changed "ct", "enc"
// or "key", another envelope, another key, an entry for nobody here.
// Interop with the C library is checked by tests/web_coop.sh (the demo's
// bodies, sealed in C, opened in the browser; the browser's opened by
// `pnyx inbox`). tests/web_coop.sh runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installX25519Shim } from './x25519_shim.mjs';

await installX25519Shim();
const C = await import(new URL('../../web/coop_seal.js', import.meta.url).href);
const H = await import(new URL('../../web/hpke.js', import.meta.url).href);
const { canonicalJson } = await import(new URL('../../web/sign.js', import.meta.url).href);

const ENV = { forum: 'oewg', actor: 'KEN', seq: 3, type: 'request.send' };
const MSG = { text: 'Ransomware at the grid operator, marker WEB-SEAL-51c2', attachments: [] };
const b64 = (b) => Buffer.from(b).toString('base64');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const NOT_AUTHENTIC = 'The encrypted message does not authenticate: it was changed, or it is not addressed to this key.';

const fra = await H.generateKeyPair();
const ken = await H.generateKeyPair();
const other = await H.generateKeyPair();
const RECIPIENTS = [{ member: 'FRA', contact: 'cert', pk: fra.publicKey }, { member: 'KEN', contact: 'desk', pk: b64(ken.publicKey) }];
const FRA = { member: 'FRA', contact: 'cert', privateKey: fra.privateKey };
const KEN = { member: 'KEN', contact: 'desk', privateKey: ken.privateKey };

function changed(s, bit = 1) {
  const b = unb64(s);
  b[b.length >> 1] ^= bit;
  return b64(b);
}

test('sealed once, the content key to each recipient; each opens it', async () => {
  const s = await C.seal(MSG, RECIPIENTS, ENV);
  assert.deepEqual(Object.keys(s).sort(), ['ct', 'recipients']);
  assert.equal(unb64(s.ct).length, canonicalJson(MSG).length + 16);
  assert.deepEqual(s.recipients.map((r) => [r.member, r.contact, unb64(r.enc).length, unb64(r.key).length]),
    [['FRA', 'cert', 32, 48], ['KEN', 'desk', 32, 48]]);
  assert.ok(!JSON.stringify(s).includes('WEB-SEAL'));
  for (const k of [FRA, KEN]) {
    const o = await C.open(s, ENV, [k]);
    assert.deepEqual(o.plaintext, MSG);
    assert.equal(o.member, k.member);
  }
  // a key that names no member tries every entry
  assert.deepEqual((await C.open(s, ENV, [{ privateKey: ken.privateKey }])).plaintext, MSG);
});

test('a changed ct, enc or key, another envelope: refused with the sentence', async () => {
  const s = await C.seal(MSG, RECIPIENTS, ENV);
  const cases = [
    { ...s, ct: changed(s.ct) },
    { ...s, recipients: [{ ...s.recipients[0], key: changed(s.recipients[0].key) }, s.recipients[1]] },
    { ...s, recipients: [{ ...s.recipients[0], enc: changed(s.recipients[0].enc, 2) }, s.recipients[1]] },
  ];
  for (const bad of cases) {
    await assert.rejects(C.open(bad, ENV, [FRA]), (e) => e.code === 'not-authentic' && e.message === NOT_AUTHENTIC);
  }
  for (const env of [{ ...ENV, seq: 4 }, { ...ENV, type: 'request.answer' }, { ...ENV, actor: 'FRA' }, { ...ENV, forum: 'x' }]) {
    await assert.rejects(C.open(s, env, [FRA]), (e) => e.code === 'not-authentic');
  }
  // another key under FRA's name; an entry for nobody kept here
  await assert.rejects(C.open(s, ENV, [{ ...FRA, privateKey: other.privateKey }]), (e) => e.code === 'not-authentic');
  await assert.rejects(C.open(s, ENV, [{ member: 'DEU', contact: 'cert', privateKey: other.privateKey }]), (e) => e.code === 'not-addressed');
});

test('malformed bodies and limits', async () => {
  const s = await C.seal(MSG, RECIPIENTS, ENV);
  for (const bad of [null, {}, { ct: s.ct }, { ct: s.ct, recipients: [] }, { ct: 'AA==', recipients: s.recipients },
    { ct: s.ct, recipients: [{ ...s.recipients[0], enc: 'AAAA' }] }, { ct: s.ct, recipients: [{ ...s.recipients[0], member: 1 }] },
    { ct: s.ct + '=', recipients: s.recipients }]) {
    await assert.rejects(C.open(bad, ENV, [FRA]), (e) => e.code === 'malformed', JSON.stringify(bad));
  }
  await assert.rejects(C.seal(MSG, [], ENV), (e) => e.code === 'no-recipient');
  await assert.rejects(C.seal(MSG, Array(17).fill(RECIPIENTS[0]), ENV), (e) => e.code === 'no-recipient');
  await assert.rejects(C.seal({ text: 'x'.repeat(40000) }, RECIPIENTS, ENV), (e) => e.code === 'too-large');
  await assert.rejects(C.seal(MSG, [{ member: 'FRA', contact: 'c', pk: 'AAAA' }], ENV), (e) => e.code === 'malformed');
});

test('contact key files: imported non-extractable, the public key derived; bad files refused', async () => {
  const sk = crypto.getRandomValues(new Uint8Array(32));
  const { publicKey } = await H.importPrivateKey(sk);
  const k = await C.importContactKeyFile(new TextEncoder().encode(`PRIVATE+X25519+KEN/cert+${b64(sk)}\n`));
  assert.equal(k.name, 'KEN/cert');
  assert.equal(k.pkText, b64(publicKey));
  assert.equal(k.vkey, `X25519+KEN/cert+${b64(publicKey)}`);
  assert.equal(k.privateKey.extractable, false);
  const s = await C.seal(MSG, [{ member: 'KEN', contact: 'cert', pk: k.pk }], ENV);
  assert.deepEqual((await C.open(s, ENV, [{ privateKey: k.privateKey }])).plaintext, MSG);
  for (const bad of ['', `PRIVATE+KEY+KEN/cert+${b64(sk)}`, `PRIVATE+X25519+KEN/cert+${b64(sk.slice(1))}`,
    `PRIVATE+X25519+KEN cert+${b64(sk)}`, `PRIVATE+X25519+${b64(sk)}`, `PRIVATE+X25519+KEN/cert+${b64(sk)}\n\n`,
    `PRIVATE+X25519+KEN/cert+${b64(sk)}\r\n`, new Uint8Array([0xff, 0xfe])]) {
    await assert.rejects(C.importContactKeyFile(bad), (e) => e.code === 'contact-file', String(bad));
  }
  // a store holds the CryptoKey, never the bytes
  const { memoryStore } = await import(new URL('../../web/keys.js', import.meta.url).href);
  const st = memoryStore();
  const rec = await C.saveContact(st, k);
  assert.equal((await st.get(k.vkey)).privateKey, k.privateKey);
  assert.ok(!('sk' in rec));
});
