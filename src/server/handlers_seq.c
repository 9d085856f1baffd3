/*
 * The endpoints of the sequencer (docs/API.md): POST /v1/actions and
 * GET /v1/state/digest. Without a sequencer (the server was started
 * without the log's key) both answer 501 not-implemented: the server then
 * serves the log read-only.
 *
 * POST /v1/actions has two ways in: srv_h_actions, the routing table's
 * handler, waits for the sequencer in the calling thread; daemon.c posts
 * the action instead (handlers_seq.h) and answers once the sequencer is
 * done, so that no network thread waits for a commit.
 */
#include "handlers_seq.h"
#include "http.h"
#include "sequencer.h"

#include "pnyx/base64.h"
#include "pnyx/json.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

static void read_only(struct srv_response *resp)
{
	srv_problem(resp, "not-implemented",
		    "this server was started without the log's key (--key): "
		    "it serves the log read-only");
}

/* Encodes doc (stolen; NULL: out of memory) as the response. */
static void send(struct srv_response *resp, unsigned status, json_t *doc,
		 const char *cache_control)
{
	pnyx_err err = doc != NULL ? pnyx_json_encode(doc, &resp->body)
				   : PNYX_ERR_NOMEM;
	json_decref(doc);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&resp->body, "\n");
	if (err != PNYX_OK) {
		srv_problem_err(resp, err, NULL);
		return;
	}
	resp->status = status;
	resp->content_type = "application/json";
	resp->cache_control = cache_control;
	resp->cacheable = status == 200;
}

static void accepted(struct srv_response *resp,
		     const struct srv_seq_result *r)
{
	char b64[PNYX_HASH_B64_LEN + 1];
	pnyx_base64_encode(r->leaf_hash.b, sizeof r->leaf_hash.b, b64,
			   sizeof b64);
	assert(r->index <= INT64_MAX && r->time_ms <= INT64_MAX);
	json_t *receipt = r->receipt.len > 0 && r->receipt.err == PNYX_OK
				  ? json_stringn((const char *)r->receipt.data,
						 r->receipt.len)
				  : json_null();
	send(resp, 201,
	     json_pack("{s:I,s:s,s:I,s:o}", "index", (json_int_t)r->index,
		       "leaf_hash", b64, "time_ms", (json_int_t)r->time_ms,
		       "receipt", receipt),
	     "no-store");
}

/* The answer to POST /v1/actions for the sequencer's result r (whose
 * receipt buffer is cleared). */
/* The answer to a POST of actions for the sequencer's result r (whose
 * receipt buffer is cleared). */
static void respond(struct srv_response *resp, struct srv_seq_result *r)
{
	switch (r->outcome) {
	case SRV_SEQ_ACCEPTED:
		accepted(resp, r);
		break;
	case SRV_SEQ_REFUSED:
		srv_problem_rule(resp, &r->v);
		break;
	case SRV_SEQ_FAILED:
		srv_problem(resp, r->problem, "%s", r->detail);
		break;
	}
	pnyx_buf_clear(&r->receipt);
}

struct srv_sequencer *srv_actions_post_target(const struct srv_app *app,
					      const struct srv_exchange *x)
{
	if (x->done || x->method != SRV_POST || x->body.len == 0)
		return NULL;
	const char *path = srv_target_path(&x->target);
	if (strcmp(path, "/v1/actions") == 0)
		return app->seq;
	if (strcmp(path, "/v1/cooperation/actions") == 0)
		return app->coop_seq;
	return NULL;
}

void srv_actions_answer(struct srv_app *app, struct srv_exchange *x,
			struct srv_sequencer *seq, struct srv_seq_result *r)
{
	srv_sequencer_sign_receipt(seq, r);
	respond(&x->resp, r);
	x->done = true;
	srv_exchange_finish(app, x, NULL, NULL);
}

void srv_actions_submit(struct srv_sequencer *seq, const struct srv_request *req,
			struct srv_response *resp)
{
	if (req->body_len == 0) {
		srv_problem(resp, "malformed-note", "the request body is empty: "
			    "it must be one signed action note");
		return;
	}
	struct srv_seq_result r;
	srv_sequencer_submit(seq, req->body, req->body_len, &r);
	respond(resp, &r);
}

void srv_h_actions(const struct srv_request *req, struct srv_response *resp)
{
	if (req->app->seq == NULL)
		read_only(resp);
	else
		srv_actions_submit(req->app->seq, req, resp);
}

static json_t *hex_json(const pnyx_hash *h)
{
	static const char hex[] = "0123456789abcdef";
	char s[2 * PNYX_HASH_LEN + 1];
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		s[2 * i] = hex[h->b[i] >> 4];
		s[2 * i + 1] = hex[h->b[i] & 15];
	}
	s[2 * PNYX_HASH_LEN] = 0;
	return json_string(s);
}

void srv_h_state_digest(const struct srv_request *req,
			struct srv_response *resp)
{
	struct srv_sequencer *seq = req->app->seq;
	if (seq == NULL) {
		read_only(resp);
		return;
	}
	pnyx_hash digest;
	const pnyx_state *st = srv_sequencer_lock_state(seq);
	uint64_t leaves = pnyx_state_leaves(st);
	pnyx_err err = pnyx_state_digest(st, &digest);
	srv_sequencer_unlock_state(seq);
	if (err != PNYX_OK) {
		srv_problem_err(resp, err, NULL);
		return;
	}
	assert(leaves <= INT64_MAX);
	send(resp, 200,
	     json_pack("{s:o,s:I}", "digest", hex_json(&digest), "leaves",
		       (json_int_t)leaves),
	     "no-cache");
}

void srv_h_checkpoint_now(const struct srv_request *req,
			  struct srv_response *resp)
{
	struct srv_sequencer *seq = req->app->seq;
	if (seq == NULL) {
		read_only(resp);
		return;
	}
	if (srv_sequencer_checkpoint(seq) != PNYX_OK) {
		srv_problem(resp, "unavailable",
			    "the server could not sign a checkpoint now; try again");
		return;
	}
	srv_h_checkpoint(req, resp);
	if (resp->status == 200) {
		resp->cache_control = "no-store";
		resp->cacheable = false;
	}
}
