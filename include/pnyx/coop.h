/*
 * pnyx/coop.h — the engine of the cooperation log (docs/COOPERATION.md):
 *   apply(coop, public state, leaf) -> coop' | verdict
 * Pure like pnyx/engine.h: no I/O, no clock (time is the leaf's), no
 * globals. It reads the public forum state (borrowed, unchanged) for the
 * members, their keys with their history (a key signs a cooperation action
 * when added_ms <= leaf time < revoked_ms) and section "cooperation"
 * (opened by the public action cooperation.open: rules and log key).
 * A rejected leaf leaves the state as it was (except PNYX_RULE_NOMEM: then
 * discard it and rebuild from the log). A pnyx_coop is used by one thread
 * at a time.
 * The "sealed" objects: the body encrypted once (AES-256-GCM, "ct") and
 * its content key sealed per recipient with HPKE ("enc" 32 bytes, "key" 48
 * bytes): docs/COOPERATION.md, "The encrypted body" (changed 00:10 UTC
 * from one HPKE ciphertext per recipient: a log entry holds 64 KiB).
 */
#ifndef PNYX_COOP_H
#define PNYX_COOP_H

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/engine.h"
#include "pnyx/hash.h"

typedef struct pnyx_coop pnyx_coop;

/* The largest signed note of a cooperation action, the public log's bound:
 * a sealed body of the largest plaintext (40,000 bytes) and sixteen
 * recipients fit. */
#define PNYX_COOP_NOTE_MAX (64u * 1024u)

/* How much of the log the caller replays. */
typedef enum pnyx_coop_scope {
	/* Every entry (the server, an auditor with the whole log): sequence
	 * numbers must be exactly consecutive. */
	PNYX_COOP_WHOLE_LOG = 0,
	/* Only the entries one member may read (pnyx verify --cooperation):
	 * other actors' sequence numbers need only increase; the figures are
	 * exact for that member and the pairs it belongs to. */
	PNYX_COOP_MEMBER_VIEW = 1,
} pnyx_coop_scope;

/* Who may read an entry (the audience of the last applied leaf). */
typedef struct pnyx_coop_audience {
	bool all_members;  /* directory, ping and every member's own view */
	char a[65], b[65]; /* else the two members concerned */
} pnyx_coop_audience;

/* A new empty cooperation state. PNYX_OK or PNYX_ERR_NOMEM. */
PNYX_EXPORT pnyx_err pnyx_coop_new(pnyx_coop_scope scope, pnyx_coop **out)
	PNYX_WUR;

/* Frees a state; NULL is a no-op. */
PNYX_EXPORT void pnyx_coop_free(pnyx_coop *c);

/* Applies one leaf (pnyx/leaf.h) of the cooperation log against the
 * public state pub. Returns PNYX_RULE_OK and updates c, or a verdict (the
 * codes of pnyx/engine.h) with a sentence in v (may be NULL) and leaves c
 * untouched. Refusals about a request never tell whether a request the
 * actor is not party to exists. */
PNYX_EXPORT pnyx_rule pnyx_coop_apply(pnyx_coop *c, const pnyx_state *pub,
				      const uint8_t *leaf, size_t n,
				      pnyx_engine_mode mode, pnyx_verdict *v)
	PNYX_WUR;

/* Advances the derived figures to time_ms (overdue requests, closed ping
 * rounds) without a leaf, as the server's figures stand at that time: for
 * a member's replay of its own entries (PNYX_COOP_MEMBER_VIEW), whose last
 * entry may be older than the log's. No-op for a time not after the last
 * leaf's. PNYX_RULE_OK or PNYX_RULE_NOMEM (discard the state). */
PNYX_EXPORT pnyx_rule pnyx_coop_advance(pnyx_coop *c, uint64_t time_ms)
	PNYX_WUR;

/* Who may read the last accepted leaf. Undefined before the first. */
PNYX_EXPORT void pnyx_coop_last_audience(const pnyx_coop *c,
					 pnyx_coop_audience *out);

/* The actor of the last accepted leaf ("" before any). */
PNYX_EXPORT const char *pnyx_coop_last_actor(const pnyx_coop *c);

/* The next sequence number of actor on this log (1 if it never acted). */
PNYX_EXPORT uint64_t pnyx_coop_next_seq(const pnyx_coop *c,
					const char *actor);

/* Number of action types of the cooperation log, and the name of the
 * i-th (i < count), e.g. "request.send"; a fixed order. Thread-safe.
 * pnyx_action_type_find (pnyx/action_fields.h) describes them. */
PNYX_EXPORT size_t pnyx_coop_type_count(void);
PNYX_EXPORT const char *pnyx_coop_type_name(size_t i);

/* Number of leaves applied. */
PNYX_EXPORT uint64_t pnyx_coop_leaves(const pnyx_coop *c);

/* The whole state, borrowed until the next apply or free: sections
 * "directory" (member -> entry), "requests" (id -> request), "pings"
 * (round -> round), "figures" ({"per_member", "data_requests", "pings"}),
 * "actors" (actor -> {"seq"}), "time_ms" (the last leaf's time), "leaves"
 * (docs/actions/cooperation.md describes each). Only the
 * server and auditors see all of it; the read API filters. */
PNYX_EXPORT const json_t *pnyx_coop_json(const pnyx_coop *c);

/* SHA-256 of the canonical encoding of the whole state. */
PNYX_EXPORT pnyx_err pnyx_coop_digest(const pnyx_coop *c, pnyx_hash *out)
	PNYX_WUR;

/* The figures the public may see: a new object with the groups named in
 * the forum's rules.publish (pub's section "cooperation"), or an empty
 * object when cooperation is not open. NULL on allocation failure. */
PNYX_EXPORT json_t *pnyx_coop_published_figures(const pnyx_coop *c,
						const pnyx_state *pub);

#endif
