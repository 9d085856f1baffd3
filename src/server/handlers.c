/*
 * The read-only log endpoints of the pnyx HTTP service (docs/API.md):
 * checkpoint, log state, inclusion and consistency proofs, C2SP tiles,
 * health and metrics (the sequencer's endpoints are in handlers_seq.c).
 */
#include "http.h"
#include "logview.h"
#include "read_cache.h"
#include "sequencer.h"
#include "witness_client.h"

#include "pnyx/base64.h"
#include "pnyx/json.h"
#include "pnyx/log.h"
#include "pnyx/merkle.h"
#include "pnyx/tile.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

static const char json_media[] = "application/json";
static const char text_type[] = "text/plain; charset=utf-8";
/* Changes as the log grows: revalidate every time (ETag makes it cheap). */
static const char revalidate[] = "no-cache";
/* A proof for given sizes never changes: the log is append-only. */
static const char immutable[] = "public, max-age=31536000, immutable";

static void ok(struct srv_response *resp, const char *type,
	       const char *cache_control, bool cacheable)
{
	resp->status = 200;
	resp->content_type = type;
	resp->cache_control = cache_control;
	resp->cacheable = cacheable;
}

/* Encodes doc (a new reference, stolen; NULL means out of memory) as the
 * 200 response. */
static void send_json(struct srv_response *resp, json_t *doc,
		      const char *cache_control)
{
	if (doc == NULL) {
		srv_problem(resp, "out-of-memory", "cannot build the response");
		return;
	}
	pnyx_err err = pnyx_json_encode(doc, &resp->body);
	json_decref(doc);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&resp->body, "\n");
	if (err != PNYX_OK) {
		srv_problem_err(resp, err, NULL);
		return;
	}
	ok(resp, json_media, cache_control, true);
}

static json_t *hash_json(const pnyx_hash *h)
{
	char b64[PNYX_HASH_B64_LEN + 1];
	pnyx_base64_encode(h->b, sizeof h->b, b64, sizeof b64);
	return json_string(b64);
}

static json_t *u64_json(uint64_t v)
{
	assert(v <= INT64_MAX); /* tree sizes never come near */
	return json_integer((json_int_t)v);
}

void srv_h_checkpoint(const struct srv_request *req, struct srv_response *resp)
{
	if (req->app->witnesses != NULL)
		srv_witnesses_answer(req->app->witnesses, resp);
	else
		srv_log_checkpoint(req->app->log, resp);
}

void srv_log_checkpoint(struct srv_logview *lv, struct srv_response *resp)
{
	pnyx_err err = srv_logview_checkpoint(lv, &resp->body);
	if (err == PNYX_ERR_NOT_FOUND)
		srv_problem(resp, "no-checkpoint",
			    "no checkpoint has been signed for this log yet");
	else if (err != PNYX_OK)
		srv_problem_err(resp, err, NULL);
	else
		ok(resp, text_type, revalidate, true);
}

void srv_h_log(const struct srv_request *req, struct srv_response *resp)
{
	pnyx_log *log = srv_logview_lock(req->app->log);
	uint64_t size = pnyx_log_size(log);
	pnyx_hash root;
	pnyx_log_root(log, &root);
	const char *origin = pnyx_log_key(log)->name;
	srv_logview_unlock(req->app->log);
	send_json(resp, json_pack("{s:s,s:s,s:o,s:o}", "origin", origin,
				  "verifier_key", srv_logview_vkey(req->app->log),
				  "size", u64_json(size), "root",
				  hash_json(&root)),
		  revalidate);
}

/* The body of a proof: {"<a_name>":a,"<b_name>":b,"hashes":[...]}. */
static void send_proof(struct srv_response *resp, const char *a_name,
		       uint64_t a, const char *b_name, uint64_t b,
		       const pnyx_hash *hashes, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < n; i++)
		if (json_array_append_new(list, hash_json(&hashes[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	if (list == NULL) {
		send_json(resp, NULL, immutable);
		return;
	}
	send_json(resp, json_pack("{s:o,s:o,s:o}", a_name, u64_json(a), b_name,
				  u64_json(b), "hashes", list),
		  immutable);
}

static void proof_failed(struct srv_response *resp, pnyx_err err,
			 uint64_t size, const char *rule)
{
	if (err == PNYX_ERR_RANGE)
		srv_problem(resp, "out-of-range",
			    "the log has %llu entries: %s",
			    (unsigned long long)size, rule);
	else
		srv_problem_err(resp, err, NULL);
}

void srv_h_inclusion(const struct srv_request *req, struct srv_response *resp)
{
	uint64_t index, size;
	if (!srv_query_u64(req, resp, "index", &index) ||
	    !srv_query_u64(req, resp, "size", &size))
		return;
	pnyx_hash hashes[PNYX_MERKLE_MAX_PROOF];
	size_t n = 0;
	pnyx_log *log = srv_logview_lock(req->app->log);
	uint64_t have = pnyx_log_size(log);
	pnyx_err err = pnyx_log_inclusion_proof(log, index, size, hashes, &n);
	srv_logview_unlock(req->app->log);
	if (err != PNYX_OK)
		proof_failed(resp, err, have, "index must be below size, and "
			     "size at most the number of entries");
	else
		send_proof(resp, "index", index, "size", size, hashes, n);
}

void srv_h_consistency(const struct srv_request *req,
		       struct srv_response *resp)
{
	srv_log_consistency(req->app->log, req, resp);
}

void srv_log_consistency(struct srv_logview *lv, const struct srv_request *req,
			 struct srv_response *resp)
{
	uint64_t old, size;
	if (!srv_query_u64(req, resp, "old", &old) ||
	    !srv_query_u64(req, resp, "new", &size))
		return;
	pnyx_hash hashes[PNYX_MERKLE_MAX_PROOF];
	size_t n = 0;
	pnyx_log *log = srv_logview_lock(lv);
	uint64_t have = pnyx_log_size(log);
	pnyx_err err = pnyx_log_consistency_proof(log, old, size, hashes, &n);
	srv_logview_unlock(lv);
	if (err != PNYX_OK)
		proof_failed(resp, err, have, "old must be at most new, and new "
			     "at most the number of entries");
	else
		send_proof(resp, "old", old, "new", size, hashes, n);
}

/* C2SP tlog-tiles: the whole path ("tile/...") goes to its parser. A path
 * that does not parse, or a tile the tree does not hold (yet), is 404 as
 * for any missing file; tiles never change once they exist. */
void srv_h_tile(const struct srv_request *req, struct srv_response *resp)
{
	const char *path = srv_target_path(req->target) + 1;
	pnyx_tile t;
	if (pnyx_tile_path_parse((const uint8_t *)path, strlen(path), &t) !=
	    PNYX_OK) {
		srv_problem(resp, "not-found", "not a tile path (C2SP tlog-tiles)");
		return;
	}
	pnyx_log *log = srv_logview_lock(req->app->log);
	pnyx_err err = pnyx_log_tile_resource(log, &t, &resp->body);
	srv_logview_unlock(req->app->log);
	if (err == PNYX_ERR_RANGE)
		srv_problem(resp, "not-found", "the log does not hold this tile");
	else if (err != PNYX_OK)
		srv_problem_err(resp, err, NULL);
	else
		ok(resp, "application/octet-stream", immutable, true);
}

void srv_h_healthz(const struct srv_request *req, struct srv_response *resp)
{
	/* Taking the lock shows that no request holds it for long. */
	srv_logview_lock(req->app->log);
	srv_logview_unlock(req->app->log);
	pnyx_buf_puts(&resp->body, "ok\n");
	ok(resp, text_type, "no-store", false);
}

static void gauge(pnyx_buf *out, const char *name, const char *help,
		  long long value)
{
	pnyx_buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name,
			help, name, name, value);
}

void srv_h_metrics(const struct srv_request *req, struct srv_response *resp)
{
	struct srv_app *app = req->app;
	struct srv_log_stats st;
	pnyx_err err = srv_logview_stats(app->log, &st);
	if (err != PNYX_OK) {
		srv_problem_err(resp, err, NULL);
		return;
	}
	time_t now = time(NULL);
	pnyx_buf *b = &resp->body;
	gauge(b, "pnyx_tree_size", "Entries in the log.", (long long)st.size);
	if (st.has_checkpoint) {
		gauge(b, "pnyx_checkpoint_size",
		      "Tree size of the latest signed checkpoint.",
		      (long long)st.checkpoint_size);
		gauge(b, "pnyx_checkpoint_age_seconds",
		      "Seconds since this server first saw the latest checkpoint "
		      "(at start-up or when it signed it).",
		      (long long)(now - st.checkpoint_seen));
	}
	gauge(b, "pnyx_http_in_flight", "Requests being answered.",
	      (long long)atomic_load(&app->in_flight));
	gauge(b, "pnyx_uptime_seconds", "Seconds since the server started.",
	      (long long)(now - app->started));
	err = app->seq != NULL ? srv_sequencer_metrics(app->seq, "pnyx", b)
			       : PNYX_OK;
	if (err == PNYX_OK && app->coop_seq != NULL)
		err = srv_sequencer_metrics(app->coop_seq, "pnyx_cooperation", b);
	if (err == PNYX_OK && app->read_cache != NULL)
		err = srv_read_cache_metrics(app->read_cache, b);
	if (err == PNYX_OK && srv_metrics_render(&app->metrics, b) == PNYX_OK)
		ok(resp, "text/plain; version=0.0.4; charset=utf-8", "no-store",
		   false);
}
