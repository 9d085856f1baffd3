/*
 * pnyx/engine.h — the rules of procedure as a pure function:
 *
 *   apply(state, leaf) -> state' | verdict (stable code + message)
 *
 * No I/O, no clock (time is the leaf's sequencer timestamp), no globals.
 * The server and `pnyx verify` run this same engine; replaying a forum's log
 * from its first leaf must reach the same state digest as applying live.
 *
 * A rejected leaf leaves the state exactly as it was, with one exception:
 * PNYX_RULE_NOMEM (an allocation failed midway), after which the state must
 * be discarded and rebuilt from the log.
 *
 * The state is a JSON document (docs/FORMATS.md describes its sections);
 * its canonical encoding is what the digest hashes and what the read API
 * serves. A pnyx_state is used by one thread at a time.
 */
#ifndef PNYX_ENGINE_H
#define PNYX_ENGINE_H

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"

/* Verdicts. Numbers and names (pnyx_rule_name) are stable. */
typedef enum pnyx_rule {
	PNYX_RULE_OK = 0,
	PNYX_RULE_MALFORMED_LEAF,      /* not a pnyx leaf */
	PNYX_RULE_MALFORMED_NOTE,      /* not a well-formed signed note */
	PNYX_RULE_BAD_SIGNATURE,       /* a signature by the actor's key fails */
	PNYX_RULE_UNKNOWN_KEY,         /* not signed by an active key of the actor */
	PNYX_RULE_MALFORMED_ACTION,    /* envelope, canonical form, fields */
	PNYX_RULE_UNKNOWN_TYPE,        /* no such action type */
	PNYX_RULE_NO_FORUM,            /* the first leaf must create the forum */
	PNYX_RULE_FORUM_EXISTS,        /* the forum was already created */
	PNYX_RULE_WRONG_FORUM,         /* the action names another forum */
	PNYX_RULE_UNKNOWN_ACTOR,       /* no such member, officer or stakeholder */
	PNYX_RULE_SEQ_REPLAYED,        /* sequence number already used */
	PNYX_RULE_SEQ_SKIPPED,         /* sequence number not the next one */
	PNYX_RULE_TIME_BACKWARDS,      /* leaf time before the previous leaf's */
	PNYX_RULE_NOT_PERMITTED,       /* the actor's role may not take it */
	PNYX_RULE_SUSPENDED,           /* the member is suspended */
	PNYX_RULE_UNKNOWN_OBJECT,      /* no such document, revision, paragraph,
					  amendment, decision or stakeholder */
	PNYX_RULE_EXISTS,              /* the id is already taken */
	PNYX_RULE_INVALID_FIELD,       /* a field's value breaks a rule */
	PNYX_RULE_PROCEDURE_NOT_ALLOWED, /* the forum's rules do not allow it */
	PNYX_RULE_WRONG_PROCEDURE,     /* not possible under this decision's procedure */
	PNYX_RULE_DECISION_CLOSED,     /* the decision is no longer open */
	PNYX_RULE_DEADLINE_PASSED,     /* too late */
	PNYX_RULE_TOO_EARLY,           /* not yet possible */
	PNYX_RULE_CONFLICT,            /* contradicts the record (e.g. withdraw
					  what was never lodged) */
	PNYX_RULE_NOMEM,               /* out of memory: discard the state */
	PNYX_RULE__COUNT
} pnyx_rule;

/* Stable name of a verdict, e.g. "seq-replayed"; "unknown" out of range. */
PNYX_EXPORT const char *pnyx_rule_name(pnyx_rule r);

/* A verdict with its human-readable reason. */
typedef struct pnyx_verdict {
	pnyx_rule code;
	char msg[256];
} pnyx_verdict;

/* Whether apply checks the actors' signatures (a server accepting new
 * actions, an auditor) or trusts them (rebuilding from the server's own
 * log, whose leaves were checked when they were accepted). */
typedef enum pnyx_engine_mode {
	PNYX_ENGINE_CHECK_SIGNATURES = 0,
	PNYX_ENGINE_TRUST_SIGNATURES = 1,
} pnyx_engine_mode;

typedef struct pnyx_state pnyx_state;

/* A new empty state (no forum yet: the first leaf must create one).
 * PNYX_OK or PNYX_ERR_NOMEM. Free with pnyx_state_free. */
PNYX_EXPORT pnyx_err pnyx_state_new(pnyx_state **out) PNYX_WUR;

/* Frees a state; NULL is a no-op. */
PNYX_EXPORT void pnyx_state_free(pnyx_state *st);

/* Applies one leaf (pnyx/leaf.h) to st. Returns PNYX_RULE_OK and updates
 * st, or another verdict and leaves st untouched (see above for NOMEM).
 * v (may be NULL) receives the code and a sentence. */
PNYX_EXPORT pnyx_rule pnyx_engine_apply(pnyx_state *st, const uint8_t *leaf,
					size_t n, pnyx_engine_mode mode,
					pnyx_verdict *v) PNYX_WUR;

/* Number of action types the engine knows, and the name of the i-th
 * (i < count), e.g. "consensus.join"; a fixed order. Thread-safe. */
PNYX_EXPORT size_t pnyx_engine_type_count(void);
PNYX_EXPORT const char *pnyx_engine_type_name(size_t i);

/* The actor (e.g. "KEN") of the last leaf accepted, "" before any:
 * what an index of actions by actor needs without parsing the leaf again.
 * Valid until the next apply or free. */
PNYX_EXPORT const char *pnyx_state_last_actor(const pnyx_state *st);

/* Number of leaves applied so far. */
PNYX_EXPORT uint64_t pnyx_state_leaves(const pnyx_state *st);

/* The state as JSON, borrowed: valid until the next apply or free. */
PNYX_EXPORT const json_t *pnyx_state_json(const pnyx_state *st);

/* Appends the canonical encoding of the state to out. */
PNYX_EXPORT pnyx_err pnyx_state_dump(const pnyx_state *st, pnyx_buf *out)
	PNYX_WUR;

/* SHA-256 of the canonical encoding: equal digests, equal states. */
PNYX_EXPORT pnyx_err pnyx_state_digest(const pnyx_state *st, pnyx_hash *out)
	PNYX_WUR;

#endif
