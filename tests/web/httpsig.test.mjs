// web/httpsig.js (RFC 9421 request signing with WebCrypto Ed25519) against
// RFC 9421 Appendix B.2.6 ("Signing a Request Using ed25519", key
// test-key-ed25519 of B.1.4, the request of B.2): the signature base byte
// for byte, and both header values exactly (Ed25519 is deterministic).
// Then the cooperation profile: the components and parameters the server
// asks for. tests/web_coop.sh runs it (and the same against the server).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const S = await import(new URL('../../web/httpsig.js', import.meta.url).href);

// B.1.4: the PKCS#8 of the test key (its last 32 bytes are the seed).
const PKCS8 = Buffer.from('MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF', 'base64');
const SPKI = Buffer.from('MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=', 'base64');
// B.2: POST /foo?param=Value&Pet=dog, Host example.com, ...
const REQUEST = {
  method: 'POST', scheme: 'https', authority: 'example.com', path: '/foo', query: 'param=Value&Pet=dog',
  headers: [['Host', 'example.com'], ['Date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
    ['Content-Type', 'application/json'], ['Content-Length', '18']],
};
const COMPONENTS = ['date', '@method', '@path', '@authority', 'content-type', 'content-length'];
const PARAMS = { created: 1618884473, keyid: 'test-key-ed25519' };
const BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
].join('\n');
const INPUT = 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const SIGNATURE = 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';

const privateKey = await crypto.subtle.importKey('pkcs8', PKCS8, { name: 'Ed25519' }, false, ['sign']);
const publicKey = await crypto.subtle.importKey('spki', SPKI, { name: 'Ed25519' }, false, ['verify']);

test('RFC 9421 B.2.6: the signature base, byte for byte', () => {
  const params = S.signatureParams(COMPONENTS, PARAMS);
  assert.equal(S.signatureBase(COMPONENTS, REQUEST, params), BASE);
});

test('RFC 9421 B.2.6: Signature-Input and Signature exactly', async () => {
  const h = await S.signRequest(REQUEST, privateKey, { label: 'sig-b26', components: COMPONENTS, params: PARAMS });
  assert.equal(h['Signature-Input'], INPUT);
  assert.equal(h.Signature, SIGNATURE);
});

test('derived components: @query with and without a query, @target-uri, @request-target', () => {
  const p = S.signatureParams(['@query', '@target-uri', '@request-target', '@scheme'], { created: 1 });
  const base = S.signatureBase(['@query', '@target-uri', '@request-target', '@scheme'], REQUEST, p);
  assert.equal(base.split('\n').slice(0, 4).join('\n'), [
    '"@query": ?param=Value&Pet=dog', '"@target-uri": https://example.com/foo?param=Value&Pet=dog',
    '"@request-target": /foo?param=Value&Pet=dog', '"@scheme": https'].join('\n'));
  const none = S.signatureBase(['@query'], { ...REQUEST, query: '' }, '("@query")');
  assert.equal(none.split('\n')[0], '"@query": ?');
  const root = S.signatureBase(['@path'], { ...REQUEST, path: '' }, '("@path")');
  assert.equal(root.split('\n')[0], '"@path": /');
});

test('the cooperation profile: what the server asks for, verifying with the public key', async () => {
  const now = 1800000000123;
  const h = await S.coopHeaders('GET', new URL('http://127.0.0.1:8080/v1/cooperation/requests?box=inbox'), 'KEN', privateKey, now);
  const m = /^pnyx=\("@method" "@authority" "@path" "@query"\);created=1800000000;keyid="KEN";nonce="([A-Za-z0-9_-]{22})";alg="ed25519"$/.exec(h['Signature-Input']);
  assert.ok(m, h['Signature-Input']);
  const base = ['"@method": GET', '"@authority": 127.0.0.1:8080', '"@path": /v1/cooperation/requests',
    '"@query": ?box=inbox', `"@signature-params": ${h['Signature-Input'].slice(5)}`].join('\n');
  const sig = Buffer.from(/^pnyx=:(.*):$/.exec(h.Signature)[1], 'base64');
  assert.equal(sig.length, 64);
  assert.ok(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, sig, new TextEncoder().encode(base)));
  // a fresh nonce each time
  const h2 = await S.coopHeaders('GET', new URL('http://127.0.0.1:8080/v1/cooperation/me'), 'KEN', privateKey, now);
  assert.notEqual(h2['Signature-Input'], h['Signature-Input']);
});

test('refused: components and parameters outside the profile, control characters', () => {
  assert.throws(() => S.signatureParams(['Date'], {}), S.HttpSigError);
  assert.throws(() => S.signatureParams(['@method'], { other: 'x' }), S.HttpSigError);
  assert.throws(() => S.signatureParams(['@method'], { created: -1 }), S.HttpSigError);
  assert.throws(() => S.signatureParams(['@method'], { keyid: 'é' }), S.HttpSigError);
  assert.throws(() => S.signatureParams(['@method'], { keyid: 'k'.repeat(129) }), S.HttpSigError);
  assert.equal(S.signatureParams(['@method'], { keyid: 'k'.repeat(128) }), `("@method");keyid="${'k'.repeat(128)}"`);
  assert.throws(() => S.signatureParams(['@method'], { expires: 1.5 }), S.HttpSigError);
  assert.throws(() => S.signatureParams(['@method'], { nonce: 7 }), S.HttpSigError);
  assert.equal(S.signatureParams(['@method'], { keyid: 'a"b\\c' }), '("@method");keyid="a\\"b\\\\c"');
  assert.throws(() => S.signatureBase(['x-a'], { ...REQUEST, headers: [['X-A', 'a\u0001b']] }, '("x-a")'), S.HttpSigError);
  assert.throws(() => S.signatureBase(['x-missing'], REQUEST, '("x-missing")'), S.HttpSigError);
  // several lines of one field: trimmed, joined by ", "
  const b = S.signatureBase(['x-m'], { ...REQUEST, headers: [['X-M', ' a '], ['x-m', '\tb']] }, '("x-m")');
  assert.equal(b.split('\n')[0], '"x-m": a, b');
});
