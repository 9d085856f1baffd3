/*
 * POST /v1/actions without a waiting thread (handlers_seq.c), for the
 * network layer (daemon.c):
 *
 *   if (srv_actions_can_post(app, x)) {
 *       stop reading the connection;
 *       srv_sequencer_post(app->seq, x->body.data, x->body.len, &r, done, arg)
 *       (if it returns false, call done yourself: r holds the failure);
 *   }
 *   ... done(arg) came ...
 *   srv_actions_answer(app, x, &r);  then send x->resp.
 *
 * Any other exchange goes through srv_exchange_finish as usual (which also
 * answers POST /v1/actions, waiting in the calling thread).
 */
#ifndef PNYX_SERVER_HANDLERS_SEQ_H
#define PNYX_SERVER_HANDLERS_SEQ_H

#include "http.h"
#include "sequencer.h"

/* True if x is a POST /v1/actions with a body that the sequencer of app
 * can take (the route's other answers come from srv_exchange_finish). */
bool srv_actions_can_post(const struct srv_app *app,
			  const struct srv_exchange *x);

/* Makes x->resp the answer for the sequencer's result r of
 * srv_sequencer_post (signing its receipt here; r's buffers are cleared),
 * marks x done and completes it (srv_exchange_finish:
 * metrics). */
void srv_actions_answer(struct srv_app *app, struct srv_exchange *x,
			struct srv_seq_result *r);

#endif
