/*
 * A harness for engine tests: a forum whose actors have real Ed25519 keys,
 * actions built from a jansson pack format, signed, wrapped in leaves with a
 * test clock, and applied to a pnyx_state exactly as the server will.
 *
 *   eng e;
 *   eng_init(&e, "oewg");
 *   eng_genesis(&e, codes, 5, NULL);          // secretariat, chair.1, 5 members
 *   e.now += 3600 * 1000;
 *   EXPECT_OK(&e, "FRA", "key.add", "{s:s}", "key", vkey_text);
 *   EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "consensus.join", "{s:s}", ...);
 *   eng_check_replay(&e);                     // replay gives the same digest
 *   eng_free(&e);
 *
 * Every rejected action is checked to leave the state digest unchanged.
 * Accepted leaves are kept, in order, for replay.
 */
#ifndef PNYX_TEST_ENGINE_SUPPORT_H
#define PNYX_TEST_ENGINE_SUPPORT_H

#include <jansson.h>
#include <stdint.h>

#include "pnyx/buf.h"
#include "pnyx/engine.h"
#include "pnyx/key.h"

#define ENG_MAX_ACTORS 512

typedef struct eng_actor {
	char id[65];
	pnyx_signer key;
	uint64_t seq; /* last sequence number used in an accepted action */
} eng_actor;

typedef struct eng {
	pnyx_state *st;
	uint64_t now; /* ms; the time of the next leaf */
	char forum[65];
	eng_actor actors[ENG_MAX_ACTORS];
	size_t nactors;
	pnyx_buf *leaves; /* accepted leaves, in order */
	size_t nleaves, cap;
	pnyx_verdict last; /* verdict of the last action */
} eng;

/* A fresh harness for forum id; now starts at 1,700,000,000,000 ms. */
void eng_init(eng *e, const char *forum);
void eng_free(eng *e);

/* The actor with this id, created with a new key if unknown. */
eng_actor *eng_who(eng *e, const char *id);

/* The actor's verifier key text (static storage until the next call). */
const char *eng_vkey(eng *e, const char *id);

/* The default rules: all three procedures, vote on request, quorum 50%,
 * silence 72 h, objection window 336 h (14 days). New reference. */
json_t *eng_default_rules(void);

/* Creates the forum: secretariat, one chair "chair.1", members with the
 * given codes, rules (stolen; NULL for the defaults), languages en, fr,
 * ar, zh, ru, es. Asserts it is accepted. */
void eng_genesis(eng *e, const char *const *codes, size_t n, json_t *rules);

/* Builds the action {forum, actor, seq (next), type, fields from fmt}, signs
 * it with the actor's key, applies it at e->now. Returns the verdict (also
 * in e->last). A rejection is asserted to leave the digest unchanged. */
pnyx_rule eng_act(eng *e, const char *actor, const char *type,
		  const char *fmt, ...);

/* As eng_act but with everything explicit: body (stolen, the whole JSON
 * object), the signer, and no automatic envelope. */
pnyx_rule eng_act_raw(eng *e, json_t *body, const pnyx_signer *signer);

/* Applies raw leaf bytes; same rejection check. */
pnyx_rule eng_apply_leaf(eng *e, const uint8_t *leaf, size_t n);

/* Replays the accepted leaves into new states, checking signatures and
 * trusting them, and asserts both digests equal the live one. */
void eng_check_replay(eng *e);

/* Fails, in turn, each allocation made while applying e's accepted leaf i
 * to the state of leaves 0..i-1: every run must end in PNYX_RULE_NOMEM, or
 * in PNYX_RULE_OK with exactly the state a fault-free apply reaches; any
 * other refusal must leave the state untouched; ASan checks for leaks.
 * Allocations made while parsing the action are not failed: jansson 2.14's
 * parser mishandles a failed allocation (akheron/jansson#362). Returns how
 * many runs ended in PNYX_RULE_NOMEM. */
uint64_t eng_fault_loop(eng *e, size_t i);

/* A value inside the state by a path of object keys ("decisions", "d1",
 * "outcome"), NULL-terminated. Borrowed. */
const json_t *eng_get(eng *e, ...);

/* The string at that path, or "" if absent. */
const char *eng_get_str(eng *e, ...);

#define EXPECT_OK(e, ...)                                                    \
	do {                                                                 \
		pnyx_rule r_ = eng_act(e, __VA_ARGS__);                      \
		if (r_ != PNYX_RULE_OK)                                      \
			fail_msg("expected ok, got %s: %s", pnyx_rule_name(r_), \
				 (e)->last.msg);                             \
	} while (0)

#define EXPECT_RULE(e, rule, ...)                                            \
	do {                                                                 \
		pnyx_rule r_ = eng_act(e, __VA_ARGS__);                      \
		if (r_ != (rule))                                            \
			fail_msg("expected %s, got %s: %s", pnyx_rule_name(rule), \
				 pnyx_rule_name(r_), (e)->last.msg);         \
	} while (0)

#endif
