// web/coop_api.js and web/coop_verify.js in node, without a server: the
// cooperation action built and refused field by field, the recipients of a
// sealed body, a leaf read back, the signed reads and the posting against
// a fake fetch (each refusal: the server's problem, an answer the page
// does not understand, no network), and the checks of an entry that fail
// before any proof. tests/web_coop.sh runs it; e2e_coop.mjs drives the
// same modules against the real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const CA = await import(new URL('../../web/coop_api.js', import.meta.url).href);
const CV = await import(new URL('../../web/coop_verify.js', import.meta.url).href);
const { SignError, ActionRefused, actionText, signNote } = await import(new URL('../../web/sign.js', import.meta.url).href);
const { base64Encode } = await import(new URL('../../web/keys.js', import.meta.url).href);
const { VerifyError } = await import(new URL('../../web/verify.js', import.meta.url).href);

const ENV = { forum: 'demo', actor: 'FRA', seq: 3 };
const build = (type, fields) => CA.buildCoopAction({ ...ENV, type, fields });
const signErr = (code, path) => (e) => e instanceof SignError && e.code === code && e.path === path;
const refused = (code, status) => (e) => e instanceof ActionRefused && e.code === code && e.status === status;
const b64 = (s) => base64Encode(new TextEncoder().encode(s));

const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
const KEY = { name: 'FRA', hash: 0x01020304, privateKey: pair.privateKey };
const BASE = 'http://127.0.0.1:9';

// A fetch that answers status and body (an object: JSON) and records each call.
function fake(status, body) {
  const calls = [];
  const f = async (url, init) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { calls, opts: { base: BASE, fetch: f } };
}

test('buildCoopAction: the fields, then the envelope', () => {
  assert.deepEqual(build('request.ack', { request: 'r1' }),
    { request: 'r1', forum: 'demo', actor: 'FRA', seq: 3, type: 'request.ack' });
  // an optional field may be absent
  assert.equal(build('request.decline', { request: 'r1', grounds: 'other' }).sealed, undefined);
});

test('buildCoopAction: every refusal names the field', () => {
  assert.throws(() => build('request.nope', {}), signErr('unknown-type', 'request.nope'));
  assert.throws(() => build('request.ack', { request: 'r1', extra: 1 }), signErr('unknown-field', 'extra'));
  assert.throws(() => build('request.ack', { request: 5 }), signErr('wrong-kind', 'request'));
  assert.throws(() => build('request.answer', { request: 'r1', sealed: [] }), signErr('wrong-kind', 'sealed'));
  assert.throws(() => build('request.answer', { request: 'r1', sealed: null }), signErr('wrong-kind', 'sealed'));
  assert.throws(() => build('request.send', { to: 'KEN', kind: 'incident', severity: 'low', sealed: {} }),
    signErr('missing-field', 'tlp'));
  const env = (e) => () => CA.buildCoopAction({ ...ENV, ...e, type: 'request.ack', fields: { request: 'r1' } });
  assert.throws(env({ forum: '' }), signErr('bad-envelope', 'forum'));
  assert.throws(env({ actor: 'F R A' }), signErr('bad-envelope', 'actor'));
  assert.throws(env({ seq: 0 }), signErr('bad-envelope', 'seq'));
  assert.throws(env({ seq: 1.5 }), signErr('bad-envelope', 'seq'));
});

test('recipientsOf: every contact of both members, or nobody', () => {
  const dir = [{ member: 'FRA', contacts: [{ id: 'cert', key: 'K1' }, { id: 'dip', key: 'K2' }] },
    { member: 'KEN', contacts: [{ id: 'cert', key: 'K3' }] }];
  assert.deepEqual(CA.recipientsOf(dir, 'KEN', 'FRA'), [{ member: 'KEN', contact: 'cert', pk: 'K3' },
    { member: 'FRA', contact: 'cert', pk: 'K1' }, { member: 'FRA', contact: 'dip', pk: 'K2' }]);
  assert.deepEqual(CA.recipientsOf(dir, 'USA', 'FRA'), []); // the recipient has no entry
  assert.deepEqual(CA.recipientsOf(dir, 'KEN', 'USA'), []); // the sender has none
  assert.deepEqual(CA.recipientsOf(null, 'KEN', 'FRA'), []);
});

test('readCoopLeaf: the time and the action, or null for what cannot be read', () => {
  const a = build('request.ack', { request: 'r1' });
  assert.deepEqual(CA.readCoopLeaf(b64(`pnyx-leaf v1 1700000000000\n${actionText(a)}\n\u2014 FRA x\n`)),
    { ms: 1700000000000, action: a });
  assert.deepEqual(CA.readCoopLeaf(null), { ms: null, action: null });
  assert.deepEqual(CA.readCoopLeaf('not base64!'), { ms: null, action: null });
  assert.deepEqual(CA.readCoopLeaf(b64('pnyx-leaf v1 x\npnyx-action v1\n{')), { ms: null, action: null });
  assert.deepEqual(CA.readCoopLeaf(b64('pnyx-leaf v1 5\nother v1\n{}')), { ms: 5, action: null });
});

test('coopGet: a signed GET; the server\'s problem, a non-JSON answer, no network', async () => {
  const ok = fake(200, { items: [] });
  assert.deepEqual(await CA.coopGet('/v1/cooperation/requests?box=inbox', KEY, 'FRA', ok.opts), { items: [] });
  const { url, init } = ok.calls[0];
  assert.equal(url, BASE + '/v1/cooperation/requests?box=inbox');
  assert.equal(init.headers.Accept, 'application/json');
  assert.match(init.headers['Signature-Input'], /^pnyx=\("@method" "@authority" "@path" "@query"\);created=\d+;keyid="FRA";/);
  assert.match(init.headers.Signature, /^pnyx=:[A-Za-z0-9+/]{86}==:$/);
  await assert.rejects(CA.coopGet('/v1/cooperation/me', KEY, 'FRA',
    fake(403, { code: 'forbidden', detail: 'not yours' }).opts),
  (e) => refused('forbidden', 403)(e) && e.detail === 'not yours');
  await assert.rejects(CA.coopGet('/v1/cooperation/me', KEY, 'FRA', fake(200, '<html>').opts), refused('answer', 200));
  await assert.rejects(CA.coopGet('/v1/cooperation/me', KEY, 'FRA',
    { base: BASE, fetch: async () => { throw new TypeError('fetch failed'); } }), refused('network', 0));
});

test('coopMe and prepareCoop: the next sequence number; an answer without it is refused', async () => {
  const me = { actor: 'FRA', kind: 'member', next_seq: 7, forum: { id: 'demo' } };
  assert.deepEqual(await CA.coopMe(KEY, 'FRA', fake(200, me).opts), { actor: 'FRA', kind: 'member', seq: 7, forum: 'demo' });
  const p = await CA.prepareCoop({ actor: 'FRA', type: 'ping.start', fields: { round: 'p1' } }, KEY, fake(200, me).opts);
  assert.deepEqual(p.action, { round: 'p1', forum: 'demo', actor: 'FRA', seq: 7, type: 'ping.start' });
  assert.equal(p.text, actionText(p.action));
  for (const bad of [{ ...me, next_seq: '7' }, { ...me, forum: null }, { ...me, forum: { id: 3 } }, null]) {
    await assert.rejects(CA.coopMe(KEY, 'FRA', fake(200, bad).opts), refused('answer', 200), JSON.stringify(bad));
  }
});

test('signAndSendCoop: the signed note posted; the index, or the refusal', async () => {
  const text = actionText(build('request.ack', { request: 'r1' }));
  const ok = fake(201, { index: 4, time_ms: 9, leaf_hash: 'h', receipt: 'r' });
  const r = await CA.signAndSendCoop(text, KEY, ok.opts);
  assert.deepEqual({ ...r, note: undefined }, { index: 4, timeMs: 9, leafHash: 'h', receipt: 'r', note: undefined });
  assert.equal(r.note, await signNote(text, KEY));
  assert.equal(ok.calls[0].url, BASE + '/v1/cooperation/actions');
  assert.equal(ok.calls[0].init.method, 'POST');
  assert.equal(ok.calls[0].init.body, r.note);
  await assert.rejects(CA.signAndSendCoop(text, KEY, fake(409, { code: 'conflict' }).opts), refused('conflict', 409));
  await assert.rejects(CA.signAndSendCoop(text, KEY, fake(201, { index: 'x' }).opts), refused('answer', 201));
  await assert.rejects(CA.signAndSendCoop(text, KEY, fake(201, 'not json').opts), refused('answer', 201));
  await assert.rejects(CA.signAndSendCoop(text, KEY, fake(200, { index: 4 }).opts), refused('answer', 200));
});

test('coop_verify leafParts: the signed text and each signature line', async () => {
  const text = actionText(build('request.ack', { request: 'r1' }));
  const note = await signNote(text, KEY);
  const parts = CV.leafParts(new TextEncoder().encode(`pnyx-leaf v1 42\n${note}`));
  assert.equal(parts.ms, 42);
  assert.equal(parts.text, text);
  assert.equal(parts.sigs.length, 1);
  assert.equal(parts.sigs[0].name, 'FRA');
  assert.equal(parts.sigs[0].hash, 0x01020304);
  assert.ok(await crypto.subtle.verify({ name: 'Ed25519' }, pair.publicKey, parts.sigs[0].sig, new TextEncoder().encode(text)));
  for (const bad of ['', 'pnyx-leaf v1 42\n' + text, `pnyx-leaf v2 42\n${note}`]) {
    assert.throws(() => CV.leafParts(new TextEncoder().encode(bad)), (e) => e instanceof VerifyError && e.code === 'malformed-leaf', bad);
  }
});

test('coop_verify verifyEntry: refused before any proof', async () => {
  const none = async () => [];
  await assert.rejects(CV.verifyEntry({ leaf: '' }, 'FRA', none), (e) => e instanceof VerifyError && e.code === 'malformed-leaf');
  // no active key of the cooperation log on the public record
  const revoked = async () => [{ key: 'x', added_ms: 0, revoked_ms: 1 }];
  for (const keysOf of [none, revoked]) {
    await assert.rejects(CV.verifyEntry({ leaf: b64('pnyx-leaf v1 1\n'), checkpoint: '' }, 'FRA', keysOf),
      (e) => e instanceof VerifyError && e.code === 'bad-signature');
  }
});
