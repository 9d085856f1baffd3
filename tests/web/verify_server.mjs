// web/verify.js against a real `pnyx serve` of `pnyx demo` (tests/web_sign.sh
// starts it: WEB_SIGN_URL): the checkpoint verifies with the log's key
// from /v1/log; every entry, read from the entry bundles, has the leaf
// hash of the server's level-0 tile and an inclusion proof that leads to
// the checkpoint's root; altered proofs, indexes, checkpoints and keys
// fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  verifyCheckpoint, bundlePath, parseBundle, readLeaf, checkInclusion, leafHash,
  rootFromInclusion, tileIndexPath, VerifyError,
} from '../../web/verify.js';

const base = process.env.WEB_SIGN_URL;
const tmp = process.env.PNYX_TEST_TMP;

async function bytes(path) {
  const r = await fetch(base + path);
  assert.equal(r.status, 200, path);
  return new Uint8Array(await r.arrayBuffer());
}
const json = async (path) => (await fetch(base + path)).json();
const b64 = (u) => Buffer.from(u).toString('base64');

test('tile paths are C2SP tlog-tiles paths', () => {
  assert.equal(tileIndexPath(0), '000');
  assert.equal(tileIndexPath(1234067), 'x001/x234/067');
  assert.equal(bundlePath(5, 70), '/tile/entries/000.p/70');
  assert.equal(bundlePath(300, 70000), '/tile/entries/001');
  assert.equal(bundlePath(69999, 70000), '/tile/entries/273.p/112');
});

test('the checkpoint and every entry verify; alterations fail', async () => {
  const log = await json('/v1/log');
  const text = new TextDecoder().decode(await bytes('/checkpoint'));
  const cp = await verifyCheckpoint(text, log.verifier_key);
  assert.equal(cp.origin, log.origin);
  assert.ok(cp.size > 10);
  const entries = parseBundle(await bytes(bundlePath(0, cp.size)));
  assert.equal(entries.length, Math.min(cp.size, 256));
  const tile = await bytes('/tile/0/000' + (cp.size < 256 ? '.p/' + cp.size : ''));
  for (let i = 0; i < entries.length; i++) {
    const leaf = await leafHash(entries[i]);
    assert.deepEqual(leaf, tile.slice(32 * i, 32 * i + 32), `leaf hash of entry ${i} as the server's tile`);
    const p = await json(`/v1/proof/inclusion?index=${i}&size=${cp.size}`);
    assert.deepEqual(await checkInclusion(entries[i], i, cp, p.hashes), leaf);
    assert.ok(readLeaf(entries[i]).action.type, `entry ${i} is a forum leaf`);
    for (let j = 0; j < p.hashes.length; j++) {
      const bad = [...p.hashes];
      const h = Buffer.from(bad[j], 'base64');
      h[i % 32] ^= 0x80;
      bad[j] = h.toString('base64');
      await assert.rejects(checkInclusion(entries[i], i, cp, bad), (e) => e.code === 'root-mismatch');
    }
    if (p.hashes.length > 0) {
      await assert.rejects(checkInclusion(entries[i], i, cp, p.hashes.slice(1)), VerifyError);
    }
    await assert.rejects(checkInclusion(entries[i], i, cp, [...p.hashes, b64(new Uint8Array(32))]), VerifyError);
    const other = (i + 1) % entries.length;
    await assert.rejects(checkInclusion(entries[other], i, cp, p.hashes), VerifyError, 'another entry at index i');
  }
  await assert.rejects(rootFromInclusion(cp.size, cp.size, new Uint8Array(32), []), (e) => e.code === 'bad-proof');
  // the checkpoint altered, or checked with another key
  await assert.rejects(verifyCheckpoint(text.replace(`\n${cp.size}\n`, `\n${cp.size + 1}\n`), log.verifier_key),
    (e) => e.code === 'bad-signature');
  await assert.rejects(verifyCheckpoint(text.replace(/\n\n[\s\S]*$/, '\n'), log.verifier_key),
    (e) => e.code === 'malformed-checkpoint');
  const other = execFileSync(process.env.PNYX, ['keygen', log.origin, '-o', join(tmp, 'other-log.key')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  await assert.rejects(verifyCheckpoint(text, other), (e) => e.code === 'bad-signature');
  assert.ok(readFileSync(join(tmp, 'other-log.key'), 'utf8').startsWith('PRIVATE+KEY+'));
});
