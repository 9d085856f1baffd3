// web/httpsig.js against the real server (tests/web_coop.sh sets
// WEB_COOP_URL to a `pnyx serve` with the demo's cooperation log and
// WEB_COOP_DEMO to the demo's folder): a request signed in JavaScript is
// accepted; the same headers replayed, used on another path, dated 10
// minutes ago, or claiming another actor are refused (401
// bad-request-signature); no signature at all is 401 signature-required
// with Accept-Signature naming what to sign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const web = (f) => import(new URL(`../../web/${f}`, import.meta.url).href);
const K = await web('keys.js');
const S = await web('httpsig.js');
const U = process.env.WEB_COOP_URL;
const DEMO = process.env.WEB_COOP_DEMO;
const skip = U && DEMO ? false : 'WEB_COOP_URL and WEB_COOP_DEMO are not set (tests/web_coop.sh sets them)';
const key = skip ? null : await K.importKeyFile(readFileSync(join(DEMO, 'keys', 'KEN.key')));

async function get(path, headers) {
  const r = await fetch(U + path, { headers: { Accept: 'application/json', ...headers } });
  return { status: r.status, body: await r.json(), accept: r.headers.get('accept-signature') };
}

test('signed in JavaScript: accepted', { skip }, async () => {
  const h = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/me'), 'KEN', key.privateKey);
  const r = await get('/v1/cooperation/me', h);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.actor, 'KEN');
  assert.ok(Number.isSafeInteger(r.body.next_seq));
  // a query is covered too
  const q = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/requests?box=inbox'), 'KEN', key.privateKey);
  assert.equal((await get('/v1/cooperation/requests?box=inbox', q)).status, 200);
});

test('replayed, moved, stale, or claiming another actor: refused', { skip }, async () => {
  const h = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/me'), 'KEN', key.privateKey);
  assert.equal((await get('/v1/cooperation/me', h)).status, 200);
  const again = await get('/v1/cooperation/me', h);
  assert.equal(again.status, 401);
  assert.equal(again.body.code, 'bad-request-signature');
  const moved = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/me'), 'KEN', key.privateKey);
  assert.equal((await get('/v1/cooperation/directory', moved)).body.code, 'bad-request-signature');
  const query = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/requests?box=inbox'), 'KEN', key.privateKey);
  assert.equal((await get('/v1/cooperation/requests?box=outbox', query)).body.code, 'bad-request-signature');
  const stale = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/me'), 'KEN', key.privateKey, Date.now() - 600000);
  assert.equal((await get('/v1/cooperation/me', stale)).body.code, 'bad-request-signature');
  const other = await S.coopHeaders('GET', new URL(U + '/v1/cooperation/me'), 'MEX', key.privateKey);
  assert.equal((await get('/v1/cooperation/me', other)).body.code, 'bad-request-signature');
});

test('unsigned: 401 signature-required, Accept-Signature names the components', { skip }, async () => {
  const r = await get('/v1/cooperation/me', {});
  assert.equal(r.status, 401);
  assert.equal(r.body.code, 'signature-required');
  for (const c of S.COOP_COMPONENTS) assert.ok(r.accept.includes(`"${c}"`), r.accept);
});
