// web/sign.js against the real CLI: actions signed in JavaScript are byte
// for byte the notes `pnyx act --dry-run` signs for the same fields
// (canonical JSON: unicode, escapes, key order, integers up to 2^63 - 1)
// and verify with `pnyx note verify`; what jansson cannot encode the same
// way is refused by both; the field table matches `pnyx act TYPE --help`;
// problem documents become plain sentences. Run by tests/web_sign.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keygen, pnyx, scratch, skipNoPnyx, write, fakeFetch } from './sign_lib.mjs';
import { importKeyFile } from '../../web/keys.js';
import * as S from '../../web/sign.js';

const dir = skipNoPnyx ? null : scratch();
let keyFile = null;
let key = null;
async function theKey() {
  if (!key) {
    const g = keygen(dir, 'pnyx.test/KEN', 'KEN.key');
    keyFile = g;
    key = await importKeyFile(g.content);
  }
  return key;
}

// The note `pnyx act --dry-run` signs for type with the fields in the JSON
// text json (as the file --json reads): {status, note, stderr}.
function cliNote(type, json, seq = '7') {
  const path = write(dir, 'fields.json', json);
  const r = pnyx(['act', '--dry-run', '--forum', 'oewg', '--seq', seq, '--key', keyFile.file,
    '--as', 'KEN', type, '--json', path]);
  return { status: r.status, note: r.stdout, stderr: r.stderr };
}

async function same(type, fields, json = JSON.stringify(fields), seq = 7) {
  const k = await theKey();
  const { note, text } = await S.signAction({ forum: 'oewg', actor: 'KEN', seq, type, fields }, k);
  const c = cliNote(type, json, String(seq));
  assert.equal(c.status, 0, c.stderr);
  assert.equal(note, c.note, `${type} ${json}`);
  const v = pnyx(['note', 'verify', '--vkey', k.vkey], note);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout, text);
  return text;
}

test('the example action of docs/FORMATS.md', () => {
  const a = S.buildAction({ forum: 'oewg', actor: 'KEN', seq: 12, type: 'consensus.object', fields: { decision: 'd-2026-1' } });
  assert.equal(S.actionText(a), 'pnyx-action v1\n{"actor":"KEN","decision":"d-2026-1","forum":"oewg","seq":12,"type":"consensus.object"}\n');
});

const strings = [
  '', 'plain text', 'السلام عليكم ورحمة الله', '中华人民共和国', 'Российская Федерация', 'Côte d’Ivoire',
  'emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '"quoted" \\ back\\slash / slash </script>',
  Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join(''),
  'tab\there\nnew line\r\n\b\f', 'DEL \u007f C1 \u0080\u009f', 'separators \u2028 \u2029',
  'BOM \ufeff private \ue000 \uf8ff replacement \ufffd nonchar \uffff \u{10ffff}',
  'long '.repeat(1500),
];

test('strings: the same bytes as jansson (escapes, unicode)', { skip: skipNoPnyx }, async () => {
  for (const s of strings) {
    const text = await same('consensus.object', { decision: 'd1', reason: { en: s } });
    if (s.includes('\u0001')) assert.ok(text.includes('\\u0001\\u0002'), 'controls as \\u00XX');
    if (s.includes('\u001f')) assert.ok(text.includes('\\u001F'), 'upper-case hex, where JSON.stringify writes \\u001f');
  }
  // the same fields given to the CLI with every character escaped
  const esc = (s) => '"' + Array.from({ length: s.length }, (_, i) => '\\u' + s.charCodeAt(i).toString(16).padStart(4, '0')).join('') + '"';
  for (const s of strings.slice(0, 13)) {
    await same('consensus.object', { decision: 'd1', reason: { en: s } }, `{"decision":"d1","reason":{"en":${esc(s)}}}`);
  }
});

test('object keys sorted by UTF-8 bytes, not UTF-16 units', { skip: skipNoPnyx }, async () => {
  const reason = { zh: 'a', en: 'b', ar: 'c', '\ue000': 'd', '\u{10000}': 'e', 'é': 'f', E: 'g', e1: 'h', '': 'i', 'e\u0001': 'j' };
  const text = await same('consensus.object', { decision: 'd1', reason });
  assert.ok(text.indexOf('"\ue000"') < text.indexOf('"\u{10000}"'), 'U+E000 before U+10000 (UTF-8 order)');
  assert.ok(S.compareUtf8('\ue000', '\u{10000}') < 0);
  assert.ok('\u{10000}' < '\ue000', 'where UTF-16 order differs');
});

test('integers up to 2^63 - 1 (BigInt beyond 2^53 - 1), lists, booleans', { skip: skipNoPnyx }, async () => {
  const table = (rev) => ({ id: 'a1', document: 'd', revision: rev, paragraph: 'p1', op: 'delete' });
  const jsonOf = (rev) => `{"id":"a1","document":"d","revision":${rev},"paragraph":"p1","op":"delete"}`;
  for (const n of [0, 1, -1, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
    await same('amendment.table', table(n), jsonOf(n));
  }
  for (const n of [2n ** 53n, 2n ** 53n + 1n, 9007199254740993n, 2n ** 63n - 1n, -(2n ** 63n)]) {
    await same('amendment.table', table(n), jsonOf(n));
  }
  await same('amendment.table', table(-0), jsonOf(0));
  await same('consensus.join', { decision: 'd1', dissociate: ['p3', 'p1', 'ö', 'p1'] });
  await same('decision.open', { id: 'x', procedure: 'vote', important: false, document: 'd', revision: 3, title: { fr: 'Décision', en: 'Decision' } });
  await same('consensus.join', { decision: 'd1' }, undefined, 2n ** 62n);
});

test('what cannot be encoded identically is refused, by both', { skip: skipNoPnyx }, async () => {
  const k = await theKey();
  const refused = [
    ['unsafe-integer', { revision: 2 ** 53 }, '9007199254740992'],
    ['unsafe-integer', { revision: -(2 ** 53) }, null],
    ['unsafe-integer', { revision: 1e21 }, null],
    ['not-integer', { revision: 1.5 }, '1.5'],
    ['not-integer', { revision: NaN }, null],
    ['not-integer', { revision: Infinity }, null],
    ['int64-range', { revision: 2n ** 63n }, '9223372036854775808'],
    ['int64-range', { revision: -(2n ** 63n) - 1n }, '-9223372036854775809'],
    ['nul', { text: { en: 'a\u0000b' } }, '{"en":"a\\u0000b"}'],
    ['lone-surrogate', { text: { en: 'a\ud800b' } }, '{"en":"a\\ud800b"}'],
    ['lone-surrogate', { text: { en: 'a\udc00' } }, '{"en":"a\\udc00"}'],
    ['lone-surrogate', { text: { en: '\udc00\ud800' } }, '{"en":"\\udc00\\ud800"}'],
    ['lone-surrogate', { text: { ['\ud83d']: 'x' } }, '{"\\ud83d":"x"}'],
    ['not-json', { text: { en: undefined } }, null],
    ['not-json', { text: { en: () => 1 } }, null],
    ['not-json', { text: new Map() }, null],
    ['not-json', { text: { when: new Date(0) } }, null],
    ['not-json', { text: { s: Symbol('x') } }, null],
  ];
  for (const [code, extra, cliValue] of refused) {
    const fields = { id: 'a1', document: 'd', revision: 1, paragraph: 'p1', op: 'replace', ...extra };
    assert.throws(() => S.actionText({ ...fields, forum: 'oewg', actor: 'KEN', seq: 1, type: 'amendment.table' }),
      (e) => e instanceof S.SignError && e.code === code, `${code}`);
    if (cliValue === null) continue;
    const name = Object.keys(extra)[0];
    const c = cliNote('amendment.table', `{"id":"a1","document":"d","revision":1,"paragraph":"p1","op":"replace","${name}":${cliValue}}`);
    assert.notEqual(c.status, 0, `pnyx act accepts ${cliValue}: ${c.note}`);
  }
  // nesting: an action holds at most 6 levels
  let deep = 'x';
  for (let i = 0; i < 5; i++) deep = [deep];
  assert.ok(S.actionText({ forum: 'f', actor: 'a', seq: 1, type: 't', v: deep }));
  assert.throws(() => S.actionText({ forum: 'f', actor: 'a', seq: 1, type: 't', v: [deep] }), { code: 'too-deep' });
  // size: at most 65,535 bytes of text
  assert.throws(() => S.actionText({ forum: 'f', actor: 'a', seq: 1, type: 't', v: 'é'.repeat(33000) }), { code: 'too-large' });
  assert.equal(k.name, 'pnyx.test/KEN');
});

test('the envelope and the fields are checked before signing', () => {
  const ok = { forum: 'oewg', actor: 'KEN', seq: 1, type: 'consensus.join', fields: { decision: 'd1' } };
  assert.ok(S.buildAction(ok));
  const bad = [
    ['bad-envelope', { forum: 'o ewg' }], ['bad-envelope', { actor: '' }], ['bad-envelope', { actor: 'x'.repeat(65) }],
    ['bad-envelope', { seq: 0 }], ['bad-envelope', { seq: 1.5 }], ['bad-envelope', { seq: 2 ** 53 }], ['bad-envelope', { seq: 2n ** 63n }],
    ['unknown-type', { type: 'consensus.agree' }], ['unknown-field', { fields: { decision: 'd1', forum: 'x' } }],
    ['unknown-field', { fields: { decision: 'd1', reason: { en: 'no' } } }], ['missing-field', { fields: {} }],
    ['wrong-kind', { fields: { decision: 1 } }], ['wrong-kind', { fields: { decision: 'd', dissociate: 'p1' } }],
    ['too-long', { fields: { decision: 'd'.repeat(65) } }],
    ['too-long', { fields: { decision: 'd', dissociate: Array(501).fill('p') } }],
  ];
  for (const [code, change] of bad) {
    assert.throws(() => S.buildAction({ ...ok, ...change }), (e) => e instanceof S.SignError && e.code === code && e.message.length > 10,
      `${code}: ${JSON.stringify(change, (k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  assert.match(new S.SignError('missing-field', 'decision').message, /"decision" is required/);
});

test('signNote refuses texts a signed note cannot carry', { skip: skipNoPnyx }, async () => {
  const k = await theKey();
  for (const t of ['no newline', 'tab\there\n', 'cr\r\n', 'nul\u0000\n', 'lone \ud800\n']) {
    await assert.rejects(S.signNote(t, k), { code: 'bad-text' }, JSON.stringify(t));
  }
  const note = await S.signNote('two\nlines\n', k);
  assert.match(note, /^two\nlines\n\n\u2014 pnyx\.test\/KEN [A-Za-z0-9+/]{91}=\n$/);
});

test('the table of action types is the one pnyx act --help gives', { skip: skipNoPnyx }, () => {
  const help = pnyx(['act', '--help']).stdout;
  // the types a person signs on the forum's log: not those of the
  // cooperation log (web/act_coop.js builds them), nor the anchors the
  // server signs with the cooperation log's key
  const types = [...help.matchAll(/^ {2}([a-z_]+\.[a-z_]+) +(.*)$/gm)]
    .filter((m) => !/\(cooperation log\)|^the server/.test(m[2])).map((m) => m[1]);
  assert.deepEqual(Object.keys(S.ACTION_TYPES), types);
  const who = { 'the secretariat': 'secretariat', 'a chair': 'chair', 'a member': 'member', 'a stakeholder': 'stakeholder', 'a newcomer (its first action)': 'new' };
  for (const t of types) {
    const h = pnyx(['act', t, '--help']).stdout;
    const line = h.match(/^Who may take it: (.*)\.$/m)[1];
    const fields = [...h.matchAll(/^ {2}--(\S+) +(required|optional), (string|integer|boolean|object|list)(?: of at most (\d+) (?:bytes|items))?/gm)]
      .map((m) => ({ name: m[1], kind: m[3] === 'list' ? 'array' : m[3], ...(m[2] === 'required' ? { required: true } : {}), ...(m[4] ? { max: Number(m[4]) } : {}) }));
    assert.deepEqual(S.ACTION_TYPES[t], { who: line.split(', ').map((w) => who[w]), fields }, t);
  }
});

test('every problem code of the server has a plain sentence', () => {
  const src = readFileSync(fileURLToPath(new URL('../../src/server/problem.c', import.meta.url)), 'utf8');
  const codes = [...src.matchAll(/^\s*\{"([a-z-]+)", \d{3},/gm)].map((m) => m[1]);
  assert.ok(codes.length >= 40, `${codes.length} codes in problem.c`);
  for (const c of codes) {
    assert.ok(Object.prototype.hasOwnProperty.call(S.PROBLEM_MESSAGES, c), `no sentence for ${c}`);
    assert.match(S.PROBLEM_MESSAGES[c], /^[A-Z].*\.$/, c);
  }
  assert.equal(S.problemMessage('new-code', 418, 'A title'), 'A title');
  assert.equal(S.problemMessage('new-code', 418), 'The server refused the request (HTTP status 418).');
});

const base = 'http://forum.test';
const forum = { id: 'oewg', title: 'T', training: true };

test('next sequence number, sending, and refusals as plain sentences (fake server)', { skip: skipNoPnyx }, async () => {
  const k = await theKey();
  const actor = { status: 200, body: { actor: { id: 'KEN', kind: 'member', keys: [{ key: k.vkey, revoked_ms: null }], seq: 4, next_seq: 5 }, forum, tree_size: 9 } };
  let f = fakeFetch({ [`${base}/v1/actors/KEN`]: actor });
  const p = await S.prepareAction({ actor: 'KEN', type: 'consensus.join', fields: { decision: 'd1' } }, k, { base, fetch: f });
  assert.equal(p.text, 'pnyx-action v1\n{"actor":"KEN","decision":"d1","forum":"oewg","seq":5,"type":"consensus.join"}\n');
  assert.equal(p.training, true);
  // accepted
  const receipt = 'pnyx-receipt v1\n...\n';
  f = fakeFetch({ [`${base}/v1/actions`]: { status: 201, body: { index: 42, leaf_hash: 'h', receipt, time_ms: 5 } } });
  const r = await S.signAndSend(p.text, k, { base, fetch: f });
  assert.deepEqual({ ...r, note: undefined }, { index: 42, leafHash: 'h', receipt, timeMs: 5, note: undefined });
  assert.equal(f.calls[0].init.method, 'POST');
  assert.equal(f.calls[0].init.body, r.note);
  assert.equal(pnyx(['note', 'verify', '--vkey', k.vkey], r.note).stdout, p.text);
  // refused with a problem document
  f = fakeFetch({ [`${base}/v1/actions`]: { status: 409, body: { code: 'seq-replayed', detail: 'KEN used 5', status: 409, title: 'The sequence number was already used', type: '/problems/seq-replayed' } } });
  await assert.rejects(S.postAction(r.note, { base, fetch: f }), (e) => e instanceof S.ActionRefused && e.code === 'seq-replayed' &&
    e.status === 409 && e.detail === 'KEN used 5' && e.message === S.PROBLEM_MESSAGES['seq-replayed']);
  f = fakeFetch({ [`${base}/v1/actions`]: { status: 502, body: '<html>bad gateway</html>' } });
  await assert.rejects(S.postAction(r.note, { base, fetch: f }), { code: 'answer', status: 502 });
  f = fakeFetch({});
  await assert.rejects(S.postAction(r.note, { base, fetch: f }), { code: 'network', message: S.PROBLEM_MESSAGES.network });
  // who acts: unknown actor, a key that is not the actor's, a newcomer
  f = fakeFetch({ [`${base}/v1/actors/KEN`]: { status: 404, body: { code: 'not-found' } } });
  await assert.rejects(S.actorContext('KEN', 'consensus.join', k.vkey, { base, fetch: f }), { code: 'no-actor' });
  f = fakeFetch({ [`${base}/v1/actors/KEN`]: { ...actor, body: { ...actor.body, actor: { ...actor.body.actor, keys: ['other+00000000+AA'] } } } });
  await assert.rejects(S.actorContext('KEN', 'consensus.join', k.vkey, { base, fetch: f }), { code: 'key-not-active' });
  f = fakeFetch({ [`${base}/v1/actors/sh.new`]: { status: 404, body: {} }, [`${base}/v1/forum`]: { status: 200, body: { forum } } });
  assert.deepEqual(await S.actorContext('sh.new', 'stakeholder.apply', k.vkey, { base, fetch: f }), { forum: 'oewg', seq: 1, training: true, kind: null });
});
