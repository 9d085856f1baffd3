/*
 * What the cooperation endpoints share (coop_read.c, coop_entries.c): who
 * asks (coop_auth.h), both states under their read locks, the envelope
 * and the encoding of the answer.
 *   struct coop_ctx c;
 *   if (!coop_begin(&c, req, resp, ACCESS_MEMBERS)) return; // answered
 *   ... coop_put(&c, "items", list) ...
 *   coop_end(&c);                                   // encodes, unlocks
 */
#ifndef PNYX_SERVER_COOP_READ_H
#define PNYX_SERVER_COOP_READ_H

#include "coop_auth.h"
#include "http.h"

#include "pnyx/coop.h"

/* Who may ask. */
enum coop_access {
	ACCESS_PUBLIC,
	ACCESS_MEMBERS,             /* members only */
	ACCESS_MEMBERS_SECRETARIAT, /* members and the secretariat */
};

struct coop_ctx {
	struct srv_response *resp;
	struct srv_caller caller;
	struct srv_sequencer *seq;   /* the cooperation log's */
	struct srv_sequencer *forum;
	const pnyx_coop *st;
	const pnyx_state *pub;
	json_t *doc;
	bool locked;
	bool private_answer;
};

/* Checks who asks (not for ACCESS_PUBLIC), takes both states' read
 * locks (the cooperation log's, then the forum's) and starts the answer
 * with the envelope. False once resp is answered: 404 no-cooperation,
 * 401 (coop_auth.h), 403 forbidden, 503 out-of-memory. */
bool coop_begin(struct coop_ctx *c, const struct srv_request *req,
		struct srv_response *resp, enum coop_access access);

/* Sets member key of the answer to v (stolen; NULL: out of memory fails
 * the answer). */
void coop_put(struct coop_ctx *c, const char *key, json_t *v);

/* Releases both locks early (no-op if released). */
void coop_release(struct coop_ctx *c);

/* Drops the answer and releases the locks: the caller answers resp. */
void coop_abort(struct coop_ctx *c);

/* Encodes the answer (200; private, no-store when signed) and releases
 * the locks. */
void coop_end(struct coop_ctx *c);

/* Handlers (route.c). */
void srv_h_coop_actions(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_me(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_directory(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_pings(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_figures(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_requests(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_entries(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_entry(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_checkpoint(const struct srv_request *req, struct srv_response *resp);
void srv_h_coop_consistency(const struct srv_request *req, struct srv_response *resp);

#endif
