/*
 * The forum tests/load_gen.c acts in: its actors with derived keys, signed
 * actions, the setup, and forum logs written straight into a store.
 *
 * Keys are derived: the Ed25519 seed of actor ID is
 * SHA-256("pnyx load_gen/" ID), its key name "load.pnyx/" ID. Members are
 * AAA, AAB, ... (member i is 'A'+i/676, 'A'+(i/26)%26, 'A'+i%26).
 */
#ifndef PNYX_TEST_LOAD_FORUM_H
#define PNYX_TEST_LOAD_FORUM_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/key.h"

#define FORUM "oewg"
#define DOC "load-doc"            /* the document members submit input on */
#define DECISION "load-decision"  /* the decision the upper half joined */
#define MAX_MEMBERS 250
#define BODY_MAX (1u << 20)       /* largest signed action built */

typedef struct actor {
	char id[16];
	pnyx_signer key;
	uint64_t seq;                 /* the last sequence number used */
} actor;

typedef struct forum {
	actor secretariat, chair;
	actor *members;               /* n of them, malloc'ed */
	size_t n;
} forum;

/* Where actions go: posted to a server, or written into a log. emit
 * takes body (an action's fields, stolen), signs it as a's next action
 * and counts a->seq up once it is accepted. */
typedef struct sink {
	void (*emit)(struct sink *k, actor *a, const char *type, json_t *body);
} sink;

/* Prints "load_gen: <message>" and exits 1. */
_Noreturn PNYX_PRINTF(1, 2) void lf_die(const char *fmt, ...);

/* Monotonic clock in seconds. */
double lf_now(void);

/* The code of member i: "AAA", "AAB", ... */
void lf_member_code(size_t i, char out[4]);

/* Actor id (at most 15 bytes) with its derived key and seq 0. */
void lf_actor_init(actor *a, const char *id);

/* Signs body (stolen) with forum, actor, type and seq a->seq + 1 as a's
 * action note into note (reset first). a->seq is unchanged. */
void lf_sign_action(actor *a, const char *type, json_t *body, pnyx_buf *note);

/* The secretariat, chair.1 and n members (2 to MAX_MEMBERS); free
 * f->members when done. */
void lf_forum_init(forum *f, size_t n);

/* forum.create, the document DOC and the consensus decision DECISION on
 * it, joined by members n/2 .. n-1 (the first three explain). */
void lf_emit_setup(forum *f, sink *k);

/* `load_gen fill DIR N MEMBERS` (see load_gen.c): 0, or exits 1. */
int lf_fill(const char *dir, uint64_t want, size_t n);

#endif
