// Helpers of the tests of web/keys.js and web/sign.js (tests/web_sign.sh):
// the real `pnyx` CLI ($PNYX) in a scratch folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';

// Node 18 has WebCrypto only as node:crypto's webcrypto.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

export const PNYX = process.env.PNYX || '';
export const skipNoPnyx = PNYX ? false : 'PNYX (the path of the pnyx CLI) is not set';

// A scratch folder, removed at exit.
export function scratch() {
  const dir = mkdtempSync(join(process.env.PNYX_TEST_TMP || tmpdir(), 'web-sign-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// `pnyx ARGS` with input on stdin: {status, stdout, stderr} (strings).
export function pnyx(args, input = '') {
  const r = spawnSync(PNYX, args, { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// `pnyx keygen NAME -o DIR/FILE`: {file, content, vkey}.
export function keygen(dir, name, file) {
  const path = join(dir, file);
  const vkey = execFileSync(PNYX, ['keygen', name, '-o', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { file: path, content: readFileSync(path, 'utf8'), vkey: vkey.replace(/\n$/, '') };
}

export function write(dir, file, content) {
  const path = join(dir, file);
  writeFileSync(path, content);
  return path;
}

// A fetch that answers from a table {path: {status, body}} and records
// the requests.
export function fakeFetch(routes) {
  const calls = [];
  const f = async (url, init = {}) => {
    calls.push({ url, init });
    const r = routes[url];
    if (r === undefined) throw new TypeError('fetch failed');
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    return new Response(text, { status: r.status, headers: { 'Content-Type': 'application/json' } });
  };
  f.calls = calls;
  return f;
}
