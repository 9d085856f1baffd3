// web/keys.js against the real CLI: key files written by `pnyx keygen`
// import into non-extractable Ed25519 keys with the verifier key keygen
// prints; every malformed file is refused with its own code, and the C
// parser (`pnyx note sign --key`) refuses exactly the same files; storage
// and the actor check through a fake fetch. Run by tests/web_sign.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keygen, pnyx, scratch, skipNoPnyx, write, fakeFetch } from './sign_lib.mjs';
import * as K from '../../web/keys.js';
import { signNote } from '../../web/sign.js';

const dir = skipNoPnyx ? null : scratch();

test('a keygen key file imports as a non-extractable Ed25519 key', { skip: skipNoPnyx }, async () => {
  const g = keygen(dir, 'pnyx.test/KEN', 'KEN.key');
  const k = await K.importKeyFile(g.content);
  assert.equal(k.name, 'pnyx.test/KEN');
  assert.equal(k.vkey, g.vkey, 'the verifier key is the one keygen printed');
  assert.equal(k.hashHex, g.vkey.split('+')[1]);
  assert.equal(k.privateKey.type, 'private');
  assert.equal(k.privateKey.extractable, false);
  assert.deepEqual(k.privateKey.usages, ['sign']);
  assert.equal(k.privateKey.algorithm.name, 'Ed25519');
  await assert.rejects(crypto.subtle.exportKey('pkcs8', k.privateKey), 'the seed cannot be read back');
  await assert.rejects(crypto.subtle.exportKey('jwk', k.privateKey));
  assert.equal(Object.values(k).some((v) => v instanceof Uint8Array && v.length === 32 && v !== k.pk), false);
  // the same file as bytes, and without its final newline
  const fromBytes = await K.importKeyFile(new TextEncoder().encode(g.content));
  assert.equal(fromBytes.vkey, g.vkey);
  const noNewline = await K.importKeyFile(g.content.replace(/\n$/, ''));
  assert.equal(noNewline.vkey, g.vkey);
  // the verifier key parses back to the same public key
  const v = await K.parseVerifierKey(g.vkey);
  assert.deepEqual(v.pk, k.pk);
  assert.equal(v.name, k.name);
});

test('a signature by the imported key verifies with pnyx note verify', { skip: skipNoPnyx }, async () => {
  const g = keygen(dir, 'pnyx.test/FRA', 'FRA.key');
  const k = await K.importKeyFile(g.content);
  const text = 'Hello, délégations. 你好\n';
  const note = await signNote(text, k);
  const r = pnyx(['note', 'verify', '--vkey', g.vkey], note);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, text);
  // byte for byte the note the C signer makes (Ed25519 is deterministic)
  const c = pnyx(['note', 'sign', '--key', g.file], text);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(note, c.stdout);
});

test('a UTF-8 key name imports as keygen made it', { skip: skipNoPnyx }, async () => {
  const g = keygen(dir, 'pnyx.test/Côte-d\'Ivoire/الوفد', 'civ.key');
  const k = await K.importKeyFile(g.content);
  assert.equal(k.vkey, g.vkey);
});

// A key file with another name (and the right hash for it) around the same
// seed, or with the hash given.
async function renamed(g, name, hashHex = null) {
  const v = await K.parseVerifierKey(g.vkey);
  const b64 = g.content.trim().split('+').slice(4).join('+');
  const h = hashHex || (await K.keyHash(name, 1, v.pk)).toString(16).padStart(8, '0');
  return `PRIVATE+KEY+${name}+${h}+${b64}\n`;
}

function withData(g, bytes) {
  const parts = g.content.trim().split('+');
  return `${parts.slice(0, 4).join('+')}+${K.base64Encode(Uint8Array.from(bytes))}\n`;
}

test('malformed key files are refused, each with its reason, as the C parser refuses them', { skip: skipNoPnyx }, async () => {
  const g = keygen(dir, 'pnyx.test/BRA', 'BRA.key');
  const line = g.content.trim();
  const seed = [...(await K.parseVerifierKey(g.vkey)).pk]; // any 32 bytes
  const hash = line.split('+')[3];
  const badHash = hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const cases = [
    ['empty', ''],
    ['public-key', g.vkey + '\n'],
    ['not-private-key', 'hello\n'],
    ['not-private-key', 'PRIVATE+KEYS+' + line.slice(12) + '\n'],
    ['not-private-key', 'private+key+' + line.slice(12) + '\n'],
    ['extra-lines', line + '\r\n'],
    ['extra-lines', line + '\n\n'],
    ['extra-lines', line + '\n' + line + '\n'],
    ['bad-name', 'PRIVATE+KEY+\n'],
    ['bad-name', await renamed(g, 'pnyx test/BRA')],
    ['bad-name', await renamed(g, 'pnyx.test/\u3000BRA')],
    ['bad-name', await renamed(g, 'pnyx.test/\u0001BRA')],
    ['bad-name', await renamed(g, 'x'.repeat(256))],
    ['bad-hash', line.replace(hash, 'ABCDEF01') + '\n'],
    ['bad-hash', line.replace(hash, hash.slice(1)) + '\n'],
    ['hash-mismatch', line.replace(hash, badHash) + '\n'],
    ['bad-base64', line + '=\n'],
    ['bad-base64', line.slice(0, -1) + '\n'],
    ['bad-base64', line.slice(0, -1) + '*\n'],
    ['bad-base64', line.split('+').slice(0, 4).join('+') + '+\n'],
    ['wrong-algorithm', withData(g, [0x02, ...seed])],
    ['wrong-algorithm', withData(g, [0x04, ...seed])],
    ['bad-length', withData(g, [0x01, ...seed.slice(1)])],
    ['bad-length', withData(g, [0x01, ...seed, 0])],
  ];
  for (const [code, content] of cases) {
    await assert.rejects(K.importKeyFile(content), (e) => {
      assert.ok(e instanceof K.KeyError, `${code}: ${e}`);
      assert.equal(e.code, code, `${JSON.stringify(content)}: ${e.message}`);
      assert.equal(e.message, K.KEY_MESSAGES[code]);
      return true;
    });
    const path = write(dir, 'bad.key', content);
    const c = pnyx(['note', 'sign', '--key', path], 'x\n');
    assert.equal(c.status, 1, `the C parser accepts what keys.js refuses (${code}): ${JSON.stringify(content)}`);
  }
  // not UTF-8 (bytes), too large
  await assert.rejects(K.importKeyFile(Uint8Array.from([0x50, 0xff, 0x0a])), { code: 'not-utf8' });
  await assert.rejects(K.importKeyFile('P'.repeat(5000)), { code: 'too-large' });
  await assert.rejects(K.importKeyFile('P\ud800'), { code: 'not-utf8' });
  // and a renamed key with its right hash is accepted by both
  const ok = await renamed(g, 'another.name/BRA');
  const k = await K.importKeyFile(ok);
  assert.equal(k.name, 'another.name/BRA');
  assert.equal(pnyx(['note', 'sign', '--key', write(dir, 'ok.key', ok)], 'x\n').status, 0);
});

test('key names: the rules of pnyx_key_name_is_valid', () => {
  for (const n of ['a', 'pnyx.demo/KEN', 'é', 'x'.repeat(255), '日本'.repeat(42)]) assert.ok(K.keyNameIsValid(n), n);
  for (const n of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2028b', 'a\u0085', 'x'.repeat(256), '日本'.repeat(43), 'a\ud800']) {
    assert.ok(!K.keyNameIsValid(n), JSON.stringify(n));
  }
});

test('strict base64', () => {
  assert.deepEqual(K.base64Decode('AQID'), Uint8Array.from([1, 2, 3]));
  for (const s of ['', 'AQI', 'AQI=', 'AQ==', 'AQID\n', ' AQID', 'AR==', 'AQJ=']) {
    const got = K.base64Decode(s);
    if (s === 'AQI=' || s === 'AQ==') assert.ok(got !== null, s);
    else assert.equal(got, null, JSON.stringify(s));
  }
});

test('the signed-note example key parses with its hash', async () => {
  const v = await K.parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
  assert.equal(v.name, 'example.com/foo');
  assert.equal(v.hashHex, '530d903a');
  await assert.rejects(K.parseVerifierKey('example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'), { code: 'hash-mismatch' });
});

const base = 'http://forum.test';
function actorAnswer(id, keys) {
  return { status: 200, body: { actor: { id, kind: 'member', keys, seq: 4, next_seq: 5 }, forum: { id: 'oewg', title: 'T', training: true }, tree_size: 9 } };
}

test('which actor a key belongs to: GET /v1/actors/{ID}', async () => {
  const key = { name: 'pnyx.demo/KEN', vkey: 'pnyx.demo/KEN+00000001+AAAA' };
  const other = 'pnyx.demo/KEN+00000002+BBBB';
  assert.equal(K.actorIdFromKeyName('pnyx.demo/KEN'), 'KEN');
  assert.equal(K.actorIdFromKeyName('sh.ngo'), 'sh.ngo');
  assert.equal(K.actorIdFromKeyName('a/b c'), null);
  let f = fakeFetch({ [`${base}/v1/actors/KEN`]: actorAnswer('KEN', [{ key: other, revoked_ms: null }, { key: key.vkey, added_ms: 1, revoked_ms: null }]) });
  const a = await K.findActor(key, { base, fetch: f });
  assert.equal(a.id, 'KEN');
  assert.equal(a.status, 'active');
  assert.equal(a.nextSeq, 5);
  assert.equal(a.forum.id, 'oewg');
  assert.equal(f.calls[0].url, `${base}/v1/actors/KEN`);
  f = fakeFetch({ [`${base}/v1/actors/KEN`]: actorAnswer('KEN', [{ key: key.vkey, revoked_ms: 17 }]) });
  assert.equal(await K.findActor(key, { base, fetch: f }), null);
  assert.equal((await K.checkActor('KEN', key.vkey, { base, fetch: f })).status, 'revoked');
  f = fakeFetch({ [`${base}/v1/actors/KEN`]: actorAnswer('KEN', [other]) });
  assert.equal((await K.checkActor('KEN', key.vkey, { base, fetch: f })).status, 'absent');
  f = fakeFetch({ [`${base}/v1/actors/KEN`]: actorAnswer('KEN', [key.vkey]) });
  assert.equal((await K.checkActor('KEN', key.vkey, { base, fetch: f })).status, 'active');
  f = fakeFetch({ [`${base}/v1/actors/XYZ`]: { status: 404, body: { code: 'not-found' } } });
  assert.equal((await K.checkActor('XYZ', key.vkey, { base, fetch: f })).status, 'no-actor');
  assert.equal((await K.checkActor('../x', key.vkey, { base, fetch: f })).status, 'no-actor');
  assert.equal(f.calls.length, 1, 'an id that is not an id is not asked for');
  // candidates: the first that lists the key
  f = fakeFetch({
    [`${base}/v1/actors/FRA`]: actorAnswer('FRA', [other]),
    [`${base}/v1/actors/KEN`]: actorAnswer('KEN', [key.vkey]),
  });
  assert.equal((await K.findActor(key, { base, fetch: f, candidates: ['FRA', 'KEN'] })).id, 'KEN');
  f = fakeFetch({ [`${base}/v1/actors/KEN`]: { status: 503, body: { code: 'unavailable' } } });
  await assert.rejects(K.checkActor('KEN', key.vkey, { base, fetch: f }), /HTTP 503/);
});

test('keeping, listing and forgetting keys (the store interface)', { skip: skipNoPnyx }, async () => {
  const store = K.memoryStore();
  const a = await K.importKeyFile(keygen(dir, 'pnyx.test/CHN', 'CHN.key').content);
  const b = await K.importKeyFile(keygen(dir, 'pnyx.test/DEU', 'DEU.key').content);
  const ra = await K.saveKey(store, a, 'CHN');
  await new Promise((r) => setTimeout(r, 2));
  await K.saveKey(store, b);
  const list = await K.listKeys(store);
  assert.deepEqual(list.map((r) => r.vkey), [a.vkey, b.vkey]);
  assert.equal(list[0].actor, 'CHN');
  assert.equal(list[1].actor, null);
  assert.equal(list[0].privateKey, a.privateKey);
  assert.deepEqual(Object.keys(ra).sort(), ['actor', 'addedMs', 'hash', 'hashHex', 'name', 'pk', 'privateKey', 'vkey']);
  // a kept record signs like the imported key
  const note = await signNote('kept\n', list[0]);
  assert.equal(pnyx(['note', 'verify', '--vkey', a.vkey], note).status, 0);
  await K.forgetKey(store, a.vkey);
  assert.deepEqual((await K.listKeys(store)).map((r) => r.vkey), [b.vkey]);
});
