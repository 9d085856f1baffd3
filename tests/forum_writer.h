/*
 * forum_writer: builds forum logs with real Ed25519 keys, for
 * tests/verify_forum.sh and for the seeds of fuzz/corpus/action/.
 *
 * A writer holds a forum's state and its actors' keys; fw_act builds an
 * action, signs it with the actor's current key, wraps it in a leaf at
 * w->now, applies it to the state exactly as the server would (checking
 * signatures) and emits it. A refused scripted action ends the program with
 * the verdict: the script must follow the rules.
 *
 * Keys are random, or with a seed text derived: the Ed25519 seed of actor
 * id is SHA-256(seed || "/" || id) (crypto_sign_seed_keypair), the key name
 * "pnyx.test/" id. fuzz/fuzz_action.c derives its genesis keys the same way
 * from the seed FW_FUZZ_SEED, with the same genesis (FW_FORUM, FW_T0,
 * fw_member_codes, the rules of fw_genesis): keep them in step.
 */
#ifndef PNYX_TEST_FORUM_WRITER_H
#define PNYX_TEST_FORUM_WRITER_H

#include <jansson.h>
#include <stdint.h>

#include "pnyx/buf.h"
#include "pnyx/engine.h"
#include "pnyx/key.h"

#define FW_FORUM "oewg"
#define FW_T0 UINT64_C(1767258000000) /* 2026-01-01 09:00:00 UTC */
#define FW_FUZZ_SEED "pnyx fuzz_action"
#define FW_SEPARATOR "~~~ next leaf ~~~\n" /* between leaves of a seed */
#define FW_MAX_ACTORS 64
#define FW_MINUTE UINT64_C(60000)
#define FW_HOUR (60 * FW_MINUTE)

extern const char *const fw_member_codes[];
extern const size_t fw_member_count;

typedef struct fw_actor {
	char id[65];
	pnyx_signer key;
	uint64_t seq;
} fw_actor;

typedef struct fw {
	pnyx_state *st;
	uint64_t now;        /* time of the next leaf, ms */
	const char *seed;    /* NULL: random keys */
	fw_actor actors[FW_MAX_ACTORS];
	size_t nactors;
	pnyx_buf leaves;     /* emitted leaves, each followed by FW_SEPARATOR */
	size_t nleaves;
} fw;

/* Prints "forum_writer: <message>" and exits 1. */
_Noreturn void fw_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A writer with an empty state at FW_T0; seed may be NULL. */
void fw_init(fw *w, const char *seed);
void fw_free(fw *w);

/* The actor (created with a new or derived key if unknown). */
fw_actor *fw_who(fw *w, const char *id);

/* A key for id (random, or derived from w->seed), not registered. */
void fw_make_key(const fw *w, const char *id, pnyx_signer *out);

/* The verifier key text of a signer (static storage until the next call). */
const char *fw_vkey(const pnyx_signer *s);

/* Builds the action {forum, actor, seq, type, fields of the pack format},
 * signs, applies and emits it; dies if the engine refuses it. Then
 * advances w->now by one minute. */
void fw_act(fw *w, const char *actor, const char *type, const char *fmt, ...);

/* The leaf of body (stolen: a whole action object) signed by signer at
 * w->now, appended to out. Nothing is applied. */
void fw_leaf(const fw *w, json_t *body, const pnyx_signer *signer, pnyx_buf *out);

/* The body of the next action of actor: envelope plus fields (new ref). */
json_t *fw_body(fw *w, const char *actor, const char *type, const char *fmt, ...);

/* Creates the forum: secretariat, chair.1, the members fw_member_codes. */
void fw_genesis(fw *w);

/* The scripted forum after genesis, in scenes; each scene also stands
 * alone after a fresh genesis (for the fuzz seeds). */
typedef struct fw_scene {
	const char *name;
	void (*run)(fw *w);
} fw_scene;

extern const fw_scene fw_scenes[];
extern const size_t fw_scene_count;

/* Scenes that only the fuzz seeds hold (sessions, the board). */
extern const fw_scene fw_corpus_scenes[];
extern const size_t fw_corpus_scene_count;

/* Hex of the state digest (static storage until the next call). */
const char *fw_digest_hex(const pnyx_state *st);

#endif
