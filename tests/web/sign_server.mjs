// web/keys.js and web/sign.js against a real `pnyx serve` holding the demo
// forum (tests/web_sign.sh starts it): a member's demo key file is
// imported and found to be that member's; a consensus.join signed in
// JavaScript is accepted (201) and shows in the record exactly as signed;
// sent again it is refused as replayed; an action signed with another key
// of the same name is refused (unknown-key), a signed action altered after
// signing (an objection turned into a join) is refused (bad-signature),
// each with a plain sentence.
// Environment: WEB_SIGN_URL (the server), WEB_SIGN_DEMO (the demo folder),
// PNYX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keygen, pnyx, scratch } from './sign_lib.mjs';
import * as K from '../../web/keys.js';
import * as S from '../../web/sign.js';

const base = process.env.WEB_SIGN_URL;
const demo = process.env.WEB_SIGN_DEMO;
const skip = base && demo && process.env.PNYX ? false : 'WEB_SIGN_URL, WEB_SIGN_DEMO and PNYX are not set';
const opts = { base };

async function get(path) {
  const r = await fetch(base + path);
  assert.equal(r.status, 200, path);
  return r.json();
}

// The open consensus decision and a member that has not spoken on it.
async function openDecision() {
  const open = (await get('/v1/decisions?status=open')).items.filter((d) => d.procedure === 'consensus');
  assert.ok(open.length > 0, 'the demo has an open consensus decision');
  const d = await get(`/v1/decisions/${open[0].id}`);
  return { id: open[0].id, member: d.not_spoken[0], board: d };
}

test('a signed consensus.join from JavaScript is accepted by the real server', { skip }, async (t) => {
  const { id, member } = await openDecision();
  const key = await K.importKeyFile(readFileSync(join(demo, 'keys', `${member}.key`)));
  const found = await K.findActor(key, opts);
  assert.ok(found, `the key of ${member} is found to be ${member}'s`);
  assert.equal(found.id, member);
  assert.equal(found.kind, 'member');
  const store = K.memoryStore();
  const rec = await K.saveKey(store, key, found.id);

  const before = await get(`/v1/actors/${member}`);
  const p = await S.prepareAction({ actor: member, type: 'consensus.join', fields: { decision: id } }, rec, opts);
  assert.equal(p.training, true);
  assert.equal(p.action.seq, before.actor.next_seq);
  assert.equal(p.text.split('\n')[0], 'pnyx-action v1');
  const sent = await S.signAndSend(p.text, rec, opts);
  assert.ok(Number.isSafeInteger(sent.index) && sent.index > 0, `entry ${sent.index}`);
  assert.match(sent.receipt, /^pnyx-receipt v1\n/);
  const log = await get('/v1/log');
  const v = pnyx(['note', 'verify', '--vkey', log.verifier_key], sent.receipt);
  assert.equal(v.status, 0, `the receipt verifies with the log's key: ${v.stderr}`);
  t.diagnostic(`accepted: ${member} joined ${id}, entry ${sent.index}`);

  // the record holds the action as signed, and the board shows it
  const acts = await get(`/v1/actors/${member}/actions?after=${sent.index - 1}`);
  assert.deepEqual(acts.items[0].action, p.action);
  assert.equal(acts.items[0].index, sent.index);
  const d = await get(`/v1/decisions/${id}`);
  assert.equal(d.decision.positions[member].position, 'joined');
  assert.ok(!d.not_spoken.includes(member));
  assert.equal((await get(`/v1/actors/${member}`)).actor.next_seq, p.action.seq + 1);

  // the same signed action again: replayed, nothing appended
  await assert.rejects(S.postAction(sent.note, opts), (e) => e instanceof S.ActionRefused &&
    e.code === 'seq-replayed' && e.status === 409 && e.message === S.PROBLEM_MESSAGES['seq-replayed']);
  assert.equal((await get('/v1/log')).size, log.size);
});

test('forged and altered actions are refused with a plain sentence', { skip }, async (t) => {
  const { id, board } = await openDecision();
  const member = board.not_spoken[1];
  const real = await K.importKeyFile(readFileSync(join(demo, 'keys', `${member}.key`), 'utf8'));
  // another key under the member's own key name
  const forged = await K.importKeyFile(keygen(scratch(), `pnyx.demo/${member}`, 'forger.key').content);
  assert.equal(forged.name, real.name);
  assert.equal(await K.findActor(forged, { ...opts, candidates: [member] }), null, 'the forger\'s key is not the member\'s');
  await assert.rejects(S.actorContext(member, 'consensus.object', forged.vkey, opts), { code: 'key-not-active' });
  const size = (await get('/v1/log')).size;
  const seq = (await get(`/v1/actors/${member}`)).actor.next_seq;
  const parts = { forum: board.forum.id, actor: member, seq, type: 'consensus.object', fields: { decision: id } };

  // signed with another key (of the same name, pnyx.demo/<member>)
  const { note } = await S.signAction(parts, forged);
  await assert.rejects(S.postAction(note, opts), (e) => {
    assert.ok(e instanceof S.ActionRefused);
    assert.ok(['unknown-key', 'bad-signature'].includes(e.code), e.code);
    assert.equal(e.message, S.PROBLEM_MESSAGES[e.code]);
    assert.match(e.message, /Nothing was recorded/);
    t.diagnostic(`forged: ${e.status} ${e.code}: ${e.message}`);
    return true;
  });

  // signed with the member's key, then altered
  const good = await S.signAction(parts, real);
  // still canonical, so only the signature can tell
  const altered = good.note.replace('"type":"consensus.object"', '"type":"consensus.join"');
  assert.notEqual(altered, good.note);
  await assert.rejects(S.postAction(altered, opts), (e) => {
    assert.equal(e.code, 'bad-signature');
    assert.equal(e.status, 400);
    assert.match(e.message, /changed after signing/);
    t.diagnostic(`altered: ${e.status} ${e.code}: ${e.message}`);
    return true;
  });
  assert.equal((await get('/v1/log')).size, size, 'nothing was appended');
  assert.equal((await get(`/v1/actors/${member}`)).actor.next_seq, seq);
});
