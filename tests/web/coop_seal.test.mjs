// Sealed cooperation bodies (docs/COOPERATION.md, "The encrypted body")
// between the C library (src/lib/coop_seal.c, through tests/coop_seal_tool
// in PNYX_COOP_SEAL_TOOL) and web/hpke.js, both ways, with contact key
// files written by `pnyx keygen --contact` (PNYX): the body encrypted once
// with AES-256-GCM under a random content key (nonce 12 zero bytes), the
// content key sealed to each recipient with HPKE (info "pnyx-coop v1"),
// aad "<forum>\n<actor>\n<seq>\n<type>" for both.
// tests/coop_seal_interop.sh runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installX25519Shim } from './x25519_shim.mjs';

await installX25519Shim();
const H = await import(new URL('../../web/hpke.js', import.meta.url).href);
const { canonicalJson } = await import(new URL('../../web/sign.js', import.meta.url).href);

const TOOL = process.env.PNYX_COOP_SEAL_TOOL || '';
const PNYX = process.env.PNYX || '';
const skip = TOOL === '' || PNYX === '' ? 'PNYX_COOP_SEAL_TOOL and PNYX are not set (tests/coop_seal_interop.sh sets them)' : false;

const INFO = 'pnyx-coop v1';
const ENV = ['oewg', 'KEN', '3', 'request.send'];
const aadOf = (env) => env.join('\n');
const b64 = (b) => Buffer.from(b).toString('base64');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const MESSAGE = {
  attachments: [{ data: b64('192.0.2.1\n'), name: 'ioc.txt', type: 'text/plain' }],
  text: 'Ransomware at the grid operator — marker INTEROP-7f3a; indicators attached.',
};

// The body under the content key: AES-256-GCM, nonce 12 zero bytes.
async function bodyCrypt(op, cek, aad, data) {
  const k = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, [op]);
  const params = { name: 'AES-GCM', iv: new Uint8Array(12), additionalData: new TextEncoder().encode(aad) };
  return new Uint8Array(await crypto.subtle[op](params, k, data));
}

// The sealed body in JavaScript: what a browser would send. The body is
// encrypted once; its content key is sealed to each recipient.
async function sealJs(plaintext, recipients, env) {
  const pt = new TextEncoder().encode(canonicalJson(plaintext));
  const cek = crypto.getRandomValues(new Uint8Array(32));
  const ct = await bodyCrypt('encrypt', cek, aadOf(env), pt);
  const out = [];
  for (const r of recipients) {
    const { enc, ct: key } = await H.sealBase(H.AES_256_GCM, r.pk, INFO, aadOf(env), cek);
    out.push({ contact: r.contact, enc: b64(enc), key: b64(key), member: r.member });
  }
  cek.fill(0);
  return { ct: b64(ct), recipients: out };
}

async function openJs(sealed, member, contact, privateKey, env) {
  const e = sealed.recipients.find((x) => x.member === member && x.contact === contact);
  assert.ok(e, `no entry for ${member}/${contact}`);
  const cek = await H.openBase(H.AES_256_GCM, unb64(e.enc), privateKey, INFO, aadOf(env), unb64(e.key));
  assert.equal(cek.length, 32);
  const pt = await bodyCrypt('decrypt', cek, aadOf(env), unb64(sealed.ct));
  return new TextDecoder().decode(pt);
}

function tool(args, input) {
  return spawnSync(TOOL, args, { input, encoding: 'utf8' });
}

// A contact key made by `pnyx keygen --contact`: { file, pk (bytes), sk (bytes) }.
function keygen(dir, name) {
  const file = join(dir, name.replace('/', '_') + '.contact.key');
  const pk = execFileSync(PNYX, ['keygen', '--contact', name, '-o', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const text = readFileSync(file, 'utf8');
  const m = /^PRIVATE\+X25519\+([^+\s]+)\+([A-Za-z0-9+/]{43}=)\n$/.exec(text);
  assert.ok(m, 'the contact key file has the documented form');
  assert.equal(m[1], name);
  return { file, pk: unb64(pk), sk: unb64(m[2]) };
}

test('C seals to two keys, JavaScript opens each copy', { skip }, async () => {
  const fra = await H.generateKeyPair();
  const ken = await H.generateKeyPair();
  const r = tool(['seal', ...ENV, 'FRA', 'tech-1', b64(fra.publicKey), 'KEN', 'cert', b64(ken.publicKey)],
    JSON.stringify(MESSAGE));
  assert.equal(r.status, 0, r.stderr);
  const sealed = JSON.parse(r.stdout);
  assert.deepEqual(sealed.recipients.map((e) => [e.member, e.contact]), [['FRA', 'tech-1'], ['KEN', 'cert']]);
  const canonical = canonicalJson(MESSAGE);
  assert.equal(await openJs(sealed, 'FRA', 'tech-1', fra.privateKey, ENV), canonical);
  assert.equal(await openJs(sealed, 'KEN', 'cert', ken.privateKey, ENV), canonical);
  // FRA's key does not open KEN's copy; another envelope does not open
  assert.equal(Object.keys(sealed).join(','), 'ct,recipients');
  await assert.rejects(openJs(sealed, 'KEN', 'cert', fra.privateKey, ENV), (e) => e.code === 'not-authentic');
  await assert.rejects(openJs(sealed, 'FRA', 'tech-1', fra.privateKey, ['oewg', 'KEN', '4', 'request.send']),
    (e) => e.code === 'not-authentic');
});

test('JavaScript seals, C opens with a key from pnyx keygen --contact', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pnyx-coop-'));
  try {
    const fra = keygen(dir, 'FRA/tech-1');
    const other = keygen(dir, 'DEU/cert');
    const sealed = await sealJs(MESSAGE, [{ member: 'FRA', contact: 'tech-1', pk: fra.pk }], ENV);
    const r = tool(['open', ...ENV, fra.file, 'FRA', 'tech-1'], JSON.stringify(sealed));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, canonicalJson(MESSAGE) + '\n');
    // any entry (no member given)
    assert.equal(tool(['open', ...ENV, fra.file], JSON.stringify(sealed)).stdout, canonicalJson(MESSAGE) + '\n');
    // another key: refused with the sentence
    const no = tool(['open', ...ENV, other.file], JSON.stringify(sealed));
    assert.equal(no.status, 1);
    assert.match(no.stderr, /bad-signature: the encrypted message does not authenticate: it was changed, or it is not addressed to this key/);
    // the body changed by one bit
    const ct = unb64(sealed.ct);
    ct[3] ^= 1;
    const bad = { ...sealed, ct: b64(ct) };
    const t = tool(['open', ...ENV, fra.file], JSON.stringify(bad));
    assert.equal(t.status, 1);
    assert.match(t.stderr, /bad-signature/);
    // another type in the aad
    const w = tool(['open', 'oewg', 'KEN', '3', 'request.answer', fra.file], JSON.stringify(sealed));
    assert.match(w.stderr, /bad-signature/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('C seals to a pnyx contact key, JavaScript opens it with the key file', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pnyx-coop-'));
  try {
    const ken = keygen(dir, 'KEN/cert');
    const r = tool(['seal', ...ENV, 'KEN', 'cert', b64(ken.pk)], JSON.stringify(MESSAGE));
    assert.equal(r.status, 0, r.stderr);
    const { privateKey, publicKey } = await H.importPrivateKey(ken.sk);
    assert.deepEqual(publicKey, ken.pk);
    assert.equal(await openJs(JSON.parse(r.stdout), 'KEN', 'cert', privateKey, ENV), canonicalJson(MESSAGE));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
