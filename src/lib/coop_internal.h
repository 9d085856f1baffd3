/*
 * coop_internal.h — how the cooperation engine's modules plug into its
 * pipeline (coop.c). Not a public header: only src/lib/coop*.c and
 * action_fields.c include it.
 *
 * The pipeline for one leaf at time t (coop.c), against the public state:
 *   1. parse the leaf, the note and the action (engine_parse_leaf);
 *   2. cooperation open (public section "cooperation", t >= opened_ms), the
 *      forum id, the action type, the actor (a member or the secretariat
 *      of the public state), its keys at t (added_ms <= t < revoked_ms),
 *      the sequence number on this log (per scope), the role, the fields;
 *   3. spec->check(c, ctx): every rule, WITHOUT modifying c;
 *   4. spec->exec(c, ctx): apply; may fail only with PNYX_RULE_NOMEM;
 *   5. record the sequence number, the clock, the audience; then advance
 *      the figures to t (coop_figures_tick: overdue requests, ping rounds
 *      whose window closed).
 *
 * State sections (pnyx/coop.h):
 *   "directory"  coop_directory.c   member -> {"contacts", "salt", ...}
 *   "requests"   coop_request.c     id -> request
 *   "pings"      coop_ping.c        round -> round
 *   "figures"    coop_figures.c     {"per_member", "data_requests", "pings"}
 *   "actors", "time_ms", "leaves"   coop.c
 */
#ifndef PNYX_COOP_INTERNAL_H
#define PNYX_COOP_INTERNAL_H

#include "engine_internal.h"
#include "pnyx/coop.h"

/* A request not yet acknowledged, by acknowledgement deadline. */
typedef struct coop_due {
	uint64_t ms;
	char id[2 * PNYX_ID_MAX + 24];
} coop_due;

struct pnyx_coop {
	pnyx_coop_scope scope;
	json_t *root;
	char last_actor[PNYX_ID_MAX + 1];
	pnyx_coop_audience audience;
	/* caches beside the state (never in it or its digest): */
	json_t *ack_ms;      /* member -> sorted [ms a first response took] */
	json_t *open_rounds; /* [round id] whose window had not closed */
	coop_due *due;       /* sorted by (ms, id); stale entries skipped */
	size_t ndue, capdue;
};

/* What check and exec get for one action. */
typedef struct coop_ctx {
	const pnyx_action *a;
	const pnyx_state *pub; /* the public state, borrowed */
	const json_t *rules;   /* its cooperation.rules */
	uint64_t time_ms;      /* the leaf's time */
	uint64_t index;        /* the leaf's index in the cooperation log */
	json_t *request;       /* request.*: the request check found */
	char request_id[2 * PNYX_ID_MAX + 24];
} coop_ctx;

typedef pnyx_rule (*coop_check)(const pnyx_coop *c, coop_ctx *ctx,
				pnyx_verdict *v);
typedef pnyx_rule (*coop_exec)(pnyx_coop *c, const coop_ctx *ctx,
			       pnyx_verdict *v);

typedef struct coop_spec {
	const char *type;
	unsigned actors; /* ACTOR_MEMBER and/or ACTOR_SECRETARIAT */
	const field_spec *fields;
	coop_check check;
	coop_exec exec;
	bool all_members; /* audience: every member, else the two parties */
} coop_spec;

/* Each module's table, ending with {NULL}. */
extern const coop_spec coop_directory_actions[];
extern const coop_spec coop_request_actions[];
extern const coop_spec coop_ping_actions[];

/* The spec of a cooperation action type, or NULL. */
const coop_spec *coop_find_spec(const char *type);

/* ---- helpers (coop.c) ---- */

/* The state section named key. */
json_t *coop_section(const pnyx_coop *c, const char *key);

/* A string member of obj, or NULL. */
const char *coop_str(const json_t *obj, const char *key);

/* True if s is in list[0..n). */
bool coop_in_list(const char *s, const char *const *list, size_t n);

/* True if v is a string of base64 (canonical) decoding to min..max bytes.
 * NOMEM in *nomem if a buffer could not be had. */
bool coop_is_b64(const json_t *v, size_t min, size_t max, bool *nomem);

/* True if v is a string of 1..max bytes of UTF-8 without control
 * characters. */
bool coop_is_text(const json_t *v, size_t max);

/* True if the object obj has exactly the n keys of list (all present). */
bool coop_has_keys(const json_t *obj, const char *const *list, size_t n);

/* The public actor record of id (NULL if none). */
const json_t *coop_pub_actor(const coop_ctx *ctx, const char *id);

/* True if id is a member of the public forum, active at time t. */
bool coop_member_active_at(const pnyx_state *pub, const char *id, uint64_t t);

/* ---- the directory (coop_directory.c) ---- */

/* The directory entry of member (NULL if none). */
const json_t *coop_entry(const pnyx_coop *c, const char *member);

/* True if contact is a contact id of the member's entry. */
bool coop_has_contact(const pnyx_coop *c, const char *member,
		      const char *contact);

/* ---- requests (coop_request.c) ---- */

/* Checks a "sealed" object: 1 to 16 recipients, each a contact of the
 * actor or of other in the directory, at least one of each side; enc 32
 * bytes, ct 16 to plaintext max + 16. */
pnyx_rule coop_check_sealed(const pnyx_coop *c, const json_t *sealed,
			    const char *actor, const char *other,
			    pnyx_verdict *v);

/* ---- figures (coop_figures.c) ---- */

/* The figures of a member (created empty if absent). NULL on NOMEM. */
json_t *coop_member_figures(pnyx_coop *c, const char *member);

/* A request was sent. NOMEM only. */
pnyx_rule coop_figures_sent(pnyx_coop *c, const json_t *req, const char *id);

/* The recipient first responded (ack, answer or decline) at t. */
pnyx_rule coop_figures_responded(pnyx_coop *c, json_t *req, uint64_t t);

/* A request leaves status "sent" (responded or closed): no longer overdue. */
pnyx_rule coop_figures_unsent(pnyx_coop *c, json_t *req);

/* A data request was answered for the first time, or declined. */
pnyx_rule coop_figures_data(pnyx_coop *c, const json_t *req, const char *grounds);

/* Advances the figures to time t: requests past their deadline, rounds
 * whose window closed. NOMEM only. */
pnyx_rule coop_figures_tick(pnyx_coop *c, uint64_t t);

/* Frees the caches. */
void coop_figures_clear(pnyx_coop *c);

/* ---- pings (coop_ping.c) ---- */

/* Recomputes one member's result in a round at time t (the window closed
 * when t > closes_ms). NOMEM only. */
pnyx_rule coop_ping_result(pnyx_coop *c, const char *round, json_t *r,
			   const char *member, uint64_t t);

#endif
