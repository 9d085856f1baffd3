/*
 * POST /v1/actions without a waiting thread (handlers_seq.c), for the
 * network layer (daemon.c):
 *
 *   if ((seq = srv_actions_post_target(app, x)) != NULL) {
 *       stop reading the connection;
 *       srv_sequencer_post(seq, x->body.data, x->body.len, &r, done, arg)
 *       (if it returns false, call done yourself: r holds the failure);
 *   }
 *   ... done(arg) came ...
 *   srv_actions_answer(app, x, seq, &r);  then send x->resp.
 *
 * The same holds for POST /v1/cooperation/actions (the cooperation log's
 * sequencer). Any other exchange goes through srv_exchange_finish as usual
 * (which also answers both, waiting in the calling thread).
 */
#ifndef PNYX_SERVER_HANDLERS_SEQ_H
#define PNYX_SERVER_HANDLERS_SEQ_H

#include "http.h"
#include "sequencer.h"

/* The sequencer to post x to, if x is a POST /v1/actions (the forum's) or
 * /v1/cooperation/actions (the cooperation log's) with a body and that
 * sequencer runs; NULL otherwise (the route's other answers come from
 * srv_exchange_finish). */
struct srv_sequencer *srv_actions_post_target(const struct srv_app *app,
					      const struct srv_exchange *x);

/* Makes x->resp the answer for the sequencer's result r of
 * srv_sequencer_post (signing its receipt here; r's buffers are cleared),
 * marks x done and completes it (srv_exchange_finish:
 * metrics). */
void srv_actions_answer(struct srv_app *app, struct srv_exchange *x,
			struct srv_sequencer *seq, struct srv_seq_result *r);

/* Submits req's body to seq and waits (srv_sequencer_submit, which signs
 * the receipt): the routing table's way in for both POST routes. */
void srv_actions_submit(struct srv_sequencer *seq, const struct srv_request *req,
			struct srv_response *resp);

#endif
