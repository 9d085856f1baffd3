/*
 * Fuzz target for the forum's leaves, actions and the engine.
 *
 * The input is one leaf, or several separated by the line
 * "~~~ next leaf ~~~\n" (at most MAX_PIECES; no valid leaf contains that
 * line, since a JSON string holds no raw newline). Each piece is
 *   1. parsed as a leaf (pnyx_leaf_parse), its note's text as an action
 *      (pnyx_action_parse), and the piece itself as an action and as
 *      canonical JSON; whatever parses must re-encode to the same bytes;
 *   2. applied with pnyx_engine_apply to two states that start from the
 *      same fixed genesis leaf: one trusting signatures, one checking them.
 *      Neither may crash; a refusal must give a reason and leave the state
 *      digest and leaf count unchanged; what the checking state accepts,
 *      the trusting one accepts with the same digest, and a refusal for a
 *      reason other than the signature is the same in both.
 * At the end, the leaves each state accepted are replayed into a fresh
 * state, which must reach the same digest (the engine is deterministic).
 *
 * The genesis leaf is built once, at the first input, with keys derived
 * from a fixed seed: the Ed25519 seed of actor id is
 * SHA-256("pnyx fuzz_action/" id) (crypto_sign_seed_keypair), its key
 * name "pnyx.test/" id. It is the genesis tests/forum_writer builds with
 * the seed "pnyx fuzz_action" (fw_genesis in tests/forum_script.c): keep
 * the two in step. `forum_writer corpus DIR` writes seeds that this
 * genesis accepts, signed with those keys (fuzz/corpus/action/valid-*).
 */
#include "fuzz_support.h"

#include "pnyx/action.h"
#include "pnyx/engine.h"
#include "pnyx/hash.h"
#include "pnyx/json.h"
#include "pnyx/key.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"
#include "pnyx/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED "pnyx fuzz_action"
#define T0 UINT64_C(1767258000000)
#define MAX_PIECES 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static const char *const members[] = {
	"BRA", "CHN", "EGY", "FJI", "FRA", "IND",
	"JPN", "KEN", "MEX", "NOR", "RUS", "USA",
};
#define NMEMBERS (sizeof members / sizeof *members)

/* ---- the fixed genesis ---- */



static json_t *genesis_body(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < NMEMBERS; i++)
		CHECK(json_array_append_new(list, json_pack("{s:s,s:o}", "code", members[i],
							    "key", fuzz_vkey(SEED, members[i]))) == 0);
	json_t *rules = json_pack("{s:[sss],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
				  "consensus", "silence", "vote", "vote_on_request", 1,
				  "quorum_percent", 50, "silence_min_hours", 72,
				  "objection_window_hours", 336, "majority", "simple",
				  "important_majority", "two-thirds");
	json_t *body = json_pack(
		"{s:s,s:s,s:I,s:s,s:s,s:[ssssss],s:o,s:o,s:[{s:s,s:o,s:s}],s:o,s:[s]}",
		"forum", "oewg", "actor", "secretariat", "seq", (json_int_t)1, "type",
		"forum.create", "title",
		"Open-ended working group on security of and in the use of ICTs",
		"languages", "ar", "en", "es", "fr", "ru", "zh", "rules", rules,
		"secretariat_key", fuzz_vkey(SEED, "secretariat"), "chairs", "id", "chair.1", "key",
		fuzz_vkey(SEED, "chair.1"), "name", "The Chair", "members", list,
		"consultative_list", "Internet Society");
	CHECK(body != NULL);
	return body;
}

/* The genesis leaf, built at the first call (one-time initialisation). */
static const pnyx_buf *genesis(void)
{
	static pnyx_buf leaf;
	static bool built;
	if (built)
		return &leaf;
	json_t *body = genesis_body();
	pnyx_buf text, note;
	pnyx_buf_init(&text, 1u << 16);
	pnyx_buf_init(&note, 1u << 16);
	pnyx_buf_init(&leaf, 1u << 16);
	CHECK(pnyx_action_encode(body, &text) == PNYX_OK);
	json_decref(body);
	pnyx_signer s;
	fuzz_seeded_signer(SEED, "secretariat", &s);
	CHECK(pnyx_note_sign(text.data, text.len, &s, 1, &note) == PNYX_OK);
	pnyx_signer_clear(&s);
	CHECK(pnyx_leaf_encode(T0, note.data, note.len, &leaf) == PNYX_OK);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
	built = true;
	return &leaf;
}

/* ---- the parsers ---- */

/* A reason: non-empty, valid UTF-8, no control characters. */
static void check_diag(const pnyx_diag *d)
{
	size_t n = strlen(d->msg);
	CHECK(n > 0 && pnyx_utf8_is_valid((const uint8_t *)d->msg, n));
	for (size_t i = 0; i < n; i++)
		CHECK((uint8_t)d->msg[i] >= 0x20);
}

static void check_action(const uint8_t *text, size_t n)
{
	pnyx_action a;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_action_parse(n ? text : NULL, n, &a, &diag);
	if (err != PNYX_OK) {
		CHECK(err == PNYX_ERR_MALFORMED);
		check_diag(&diag);
		return;
	}
	CHECK(pnyx_id_is_valid((const uint8_t *)a.forum, strlen(a.forum)));
	CHECK(pnyx_id_is_valid((const uint8_t *)a.actor, strlen(a.actor)));
	CHECK(pnyx_id_is_valid((const uint8_t *)a.type, strlen(a.type)));
	CHECK(a.seq >= 1 && a.seq <= INT64_MAX && json_is_object(a.body));
	pnyx_buf again;
	pnyx_buf_init(&again, n + 1);
	CHECK(pnyx_action_encode(a.body, &again) == PNYX_OK);
	CHECK(again.len == n && memcmp(again.data, text, n) == 0);
	pnyx_buf_clear(&again);
	pnyx_action_clear(&a);
}

static void check_json(const uint8_t *p, size_t n)
{
	json_t *v;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_json_parse_canonical(n ? p : NULL, n, PNYX_JSON_MAX_DEPTH,
						 &v, &diag);
	if (err != PNYX_OK) {
		CHECK(err == PNYX_ERR_MALFORMED);
		check_diag(&diag);
		return;
	}
	pnyx_buf again;
	pnyx_buf_init(&again, n + 1);
	CHECK(pnyx_json_encode(v, &again) == PNYX_OK);
	CHECK(again.len == n && memcmp(again.data, p, n) == 0);
	pnyx_buf_clear(&again);
	json_decref(v);
}

static void check_parsers(const uint8_t *p, size_t n)
{
	check_action(p, n);
	check_json(p, n);
	pnyx_leaf leaf;
	pnyx_diag diag = {{0}};
	if (pnyx_leaf_parse(n ? p : NULL, n, &leaf, &diag) != PNYX_OK) {
		check_diag(&diag);
		return;
	}
	CHECK(leaf.note > p && leaf.note_len >= 1 && leaf.note + leaf.note_len == p + n);
	pnyx_buf again;
	pnyx_buf_init(&again, n + 1);
	CHECK(pnyx_leaf_encode(leaf.time_ms, leaf.note, leaf.note_len, &again) == PNYX_OK);
	CHECK(again.len == n && memcmp(again.data, p, n) == 0);
	pnyx_buf_clear(&again);
	size_t text_len;
	if (pnyx_note_text_len(leaf.note, leaf.note_len, &text_len) == PNYX_OK) {
		CHECK(text_len <= leaf.note_len);
		check_action(leaf.note, text_len);
	}
}

/* ---- the engine ---- */

/* One state and the pieces it accepted. */
struct run {
	pnyx_state *st;
	pnyx_engine_mode mode;
	size_t accepted[MAX_PIECES];
	size_t naccepted;
};

static void digest(const pnyx_state *st, pnyx_hash *out)
{
	CHECK(pnyx_state_digest(st, out) == PNYX_OK);
}

static void run_init(struct run *r, pnyx_engine_mode mode)
{
	const pnyx_buf *g = genesis();
	*r = (struct run){.mode = mode, .naccepted = 0};
	CHECK(pnyx_state_new(&r->st) == PNYX_OK);
	CHECK(pnyx_engine_apply(r->st, g->data, g->len, PNYX_ENGINE_TRUST_SIGNATURES,
				NULL) == PNYX_RULE_OK);
}

/* Applies a piece; checks what a verdict promises. */
static pnyx_rule apply(struct run *r, const uint8_t *p, size_t n, size_t index)
{
	pnyx_hash before, after;
	digest(r->st, &before);
	uint64_t leaves = pnyx_state_leaves(r->st);
	pnyx_verdict v;
	pnyx_rule rule = pnyx_engine_apply(r->st, n ? p : NULL, n, r->mode, &v);
	CHECK(v.code == rule);
	if (rule == PNYX_RULE_OK) {
		CHECK(pnyx_state_leaves(r->st) == leaves + 1);
		r->accepted[r->naccepted++] = index;
		return rule;
	}
	CHECK(rule > PNYX_RULE_OK && rule < PNYX_RULE_NOMEM);
	CHECK(v.msg[0] != 0);
	digest(r->st, &after);
	CHECK(pnyx_hash_eq(&before, &after));
	CHECK(pnyx_state_leaves(r->st) == leaves);
	return rule;
}


/* Replays the accepted pieces from genesis, trusting signatures. */
static void check_replay(const struct run *r, const uint8_t *const *p,
			 const size_t *n)
{
	struct run again;
	run_init(&again, PNYX_ENGINE_TRUST_SIGNATURES);
	for (size_t i = 0; i < r->naccepted; i++) {
		size_t k = r->accepted[i];
		CHECK(pnyx_engine_apply(again.st, p[k], n[k], again.mode, NULL) ==
		      PNYX_RULE_OK);
	}
	pnyx_hash a, b;
	digest(r->st, &a);
	digest(again.st, &b);
	CHECK(pnyx_hash_eq(&a, &b));
	pnyx_state_free(again.st);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	static const uint8_t empty[1];
	const uint8_t *p[MAX_PIECES];
	size_t n[MAX_PIECES];
	size_t count = fuzz_split(size ? data : empty, size, p, n, MAX_PIECES);
	struct run trust, check;
	run_init(&trust, PNYX_ENGINE_TRUST_SIGNATURES);
	run_init(&check, PNYX_ENGINE_CHECK_SIGNATURES);
	bool in_step = true;
	for (size_t i = 0; i < count; i++) {
		check_parsers(p[i], n[i]);
		pnyx_rule rt = apply(&trust, p[i], n[i], i);
		pnyx_rule rc = apply(&check, p[i], n[i], i);
		CHECK(rt != PNYX_RULE_BAD_SIGNATURE);
		if (!in_step)
			continue;
		if (rc == PNYX_RULE_OK) {
			pnyx_hash a, b;
			digest(trust.st, &a);
			digest(check.st, &b);
			CHECK(rt == PNYX_RULE_OK && pnyx_hash_eq(&a, &b));
		} else if (!fuzz_is_signature_verdict(rc)) {
			CHECK(rt == rc);
		}
		in_step = (rt == PNYX_RULE_OK) == (rc == PNYX_RULE_OK);
	}
	check_replay(&trust, p, n);
	check_replay(&check, p, n);
	pnyx_state_free(trust.st);
	pnyx_state_free(check.st);
	return 0;
}
