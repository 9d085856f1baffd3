/*
 * The witness's requests, transport-neutral (witness_srv.h): route, judge
 * against the held checkpoint (pnyx_witness_judge), store the accepted one
 * with a compare-and-swap before answering, keep evidence of a fork.
 */
#include "witness_srv.h"

#include "pnyx/json.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HELD_MAX (PNYX_WITNESS_BODY_MAX + 4096u)
#define ATTEMPTS 4 /* judgements of one request when others race it */

static const char *const titles[PNYX_WITNESS__COUNT] = {
	[PNYX_WITNESS_COSIGNED] = "Cosigned",
	[PNYX_WITNESS_MALFORMED] = "The request is not a valid add-checkpoint "
				   "request",
	[PNYX_WITNESS_TOO_LARGE] = "The request body is too large",
	[PNYX_WITNESS_UNKNOWN_LOG] = "This witness does not follow that log",
	[PNYX_WITNESS_UNVERIFIED] = "The checkpoint is not signed by the "
				    "log's key",
	[PNYX_WITNESS_OLD_SIZE_TOO_LARGE] = "The old size is larger than "
					    "the checkpoint's size",
	[PNYX_WITNESS_OLD_SIZE_MISMATCH] = "The old size is not the size the "
					   "witness holds",
	[PNYX_WITNESS_ROOT_MISMATCH] = "The log signed two different trees "
				       "of the same size",
	[PNYX_WITNESS_BAD_PROOF] = "The consistency proof does not verify",
	[PNYX_WITNESS_INTERNAL] = "The witness cannot answer now",
};

void wit_response_init(struct wit_response *r)
{
	r->status = 500;
	r->content_type = NULL;
	r->allow = NULL;
	pnyx_buf_init(&r->body, WIT_RESPONSE_MAX);
}

void wit_response_clear(struct wit_response *r)
{
	pnyx_buf_clear(&r->body);
}

/* Adds a string member if s is valid UTF-8 (n bytes); skips it otherwise. */
static void set_text(json_t *doc, const char *key, const uint8_t *s, size_t n)
{
	json_t *v = json_stringn((const char *)s, n);
	if (v != NULL)
		json_object_set_new(doc, key, v);
}

/* Makes r a problem document (status, code, title) with detail; extra
 * (may be NULL) is merged in (its members are the evidence of a fork). */
static void put_problem(struct wit_response *r, unsigned status,
			const char *code, const char *title,
			const char *detail, json_t *extra)
{
	char type[64];
	snprintf(type, sizeof type, "/problems/%s", code);
	r->status = status;
	r->content_type = "application/problem+json";
	pnyx_buf_reset(&r->body);
	json_t *doc = json_pack("{s:s,s:s,s:i,s:s}", "type", type, "title",
				title, "status", (int)status, "code", code);
	if (doc == NULL)
		return;
	set_text(doc, "detail", (const uint8_t *)detail, strlen(detail));
	if (extra != NULL)
		json_object_update(doc, extra);
	if (pnyx_json_encode(doc, &r->body) != PNYX_OK ||
	    pnyx_buf_puts(&r->body, "\n") != PNYX_OK)
		pnyx_buf_reset(&r->body); /* the status still says it */
	json_decref(doc);
}

/* The problem document of a witness verdict's code. */
static void problem(struct wit_response *r, pnyx_witness_code code,
		    const char *detail, json_t *extra)
{
	put_problem(r, pnyx_witness_code_status(code),
		    pnyx_witness_code_name(code), titles[code], detail, extra);
}

void wit_too_large(struct wit_response *r)
{
	char detail[96];
	snprintf(detail, sizeof detail, "the request body is larger than %u "
		 "bytes", PNYX_WITNESS_BODY_MAX);
	problem(r, PNYX_WITNESS_TOO_LARGE, detail, NULL);
}

/* The answer to a refused request (not a fork: see fork_answer). */
static void refuse(struct wit_response *r, const pnyx_witness_verdict *v)
{
	if (v->code != PNYX_WITNESS_OLD_SIZE_MISMATCH) {
		problem(r, v->code, v->diag.msg, NULL);
		return;
	}
	/* tlog-witness: the held size in decimal and a newline. */
	r->status = 409;
	r->content_type = "text/x.tlog.size";
	pnyx_buf_reset(&r->body);
	if (pnyx_buf_printf(&r->body, "%llu\n",
			    (unsigned long long)v->held_size) != PNYX_OK)
		pnyx_buf_reset(&r->body);
}

/* A checkpoint that contradicts the held one: kept as evidence with the
 * held one, reported on stderr and in the answer. */
static void fork_answer(struct wit_app *app, const pnyx_witness_verdict *v,
			const pnyx_buf *held, const uint8_t *body, size_t n,
			uint64_t now, struct wit_response *r)
{
	const char *code = pnyx_witness_code_name(v->code);
	const char *origin = app->logs[v->log].origin;
	char name[72] = "";
	pnyx_diag d = {{0}};
	if (pnyx_witness_store_evidence(app->store, code, now, held->data,
					held->len, body, n, name, &d) == PNYX_OK)
		fprintf(stderr, "pnyx witness: the log %s contradicts the "
			"checkpoint this witness holds (%s): evidence in "
			"evidence/%s\n", origin, code, name);
	else
		fprintf(stderr, "pnyx witness: the log %s contradicts the "
			"checkpoint this witness holds (%s); the evidence "
			"could not be kept: %s\n", origin, code, d.msg);
	const uint8_t *note = NULL;
	size_t note_len = 0;
	json_t *extra = json_object();
	if (extra != NULL) {
		set_text(extra, "held_checkpoint", held->data, held->len);
		if (pnyx_witness_body_note(body, n, &note, &note_len))
			set_text(extra, "submitted_checkpoint", note, note_len);
		if (name[0] != 0)
			set_text(extra, "evidence", (const uint8_t *)name,
				 strlen(name));
	}
	problem(r, v->code, v->diag.msg, extra);
	json_decref(extra);
}

/* Stores the accepted note with the witness's cosignature (the held
 * checkpoint must still be latest) and answers with the cosignature. */
static pnyx_err store_and_answer(struct wit_app *app, const char *origin,
				 const pnyx_witness_latest *latest,
				 const uint8_t *body, size_t n,
				 const pnyx_buf *cosig, struct wit_response *r)
{
	const uint8_t *note = NULL;
	size_t note_len = 0;
	pnyx_buf next;
	pnyx_buf_init(&next, HELD_MAX);
	pnyx_diag d = {{0}};
	pnyx_err err = PNYX_ERR_MALFORMED;
	if (pnyx_witness_body_note(body, n, &note, &note_len)) {
		pnyx_buf_append(&next, note, note_len);
		err = pnyx_buf_append(&next, cosig->data, cosig->len);
	}
	if (err == PNYX_OK)
		err = pnyx_witness_store_swap(app->store, origin, latest,
					      next.data, next.len, &d);
	pnyx_buf_clear(&next);
	if (err == PNYX_OK) {
		r->status = 200;
		r->content_type = "text/plain; charset=utf-8";
		pnyx_buf_reset(&r->body);
		if (pnyx_buf_append(&r->body, cosig->data, cosig->len) != PNYX_OK)
			err = PNYX_ERR_NOMEM;
	} else if (err != PNYX_ERR_MISMATCH) {
		fprintf(stderr, "pnyx witness: cannot store the checkpoint of "
			"%s: %s\n", origin, d.msg[0] != 0 ? d.msg
							  : pnyx_err_text(err));
	}
	return err;
}

/* One judgement against what is held now. Returns true when answered,
 * false when another request changed the held checkpoint meanwhile. */
static bool attempt(struct wit_app *app, size_t log, const uint8_t *body,
		    size_t n, uint64_t now, struct wit_response *r)
{
	const char *origin = app->logs[log].origin;
	pnyx_witness_latest latest;
	pnyx_buf held, cosig;
	pnyx_buf_init(&held, HELD_MAX);
	pnyx_buf_init(&cosig, 4096);
	pnyx_diag d = {{0}};
	pnyx_witness_verdict v = {.code = PNYX_WITNESS_INTERNAL};
	bool answered = true;
	pnyx_err err = pnyx_witness_store_load(app->store, origin, &latest,
					       &held, &d);
	if (err != PNYX_OK) {
		fprintf(stderr, "pnyx witness: cannot read the state of %s: "
			"%s\n", origin, d.msg);
		problem(r, PNYX_WITNESS_INTERNAL, "the witness cannot read its "
			"state", NULL);
	} else if (pnyx_witness_judge(app->logs, app->nlogs, log, &latest,
				      app->key, body, n, now, &cosig, &v) ==
		   PNYX_WITNESS_COSIGNED) {
		err = store_and_answer(app, origin, &latest, body, n, &cosig, r);
		answered = err != PNYX_ERR_MISMATCH;
		if (err != PNYX_OK && answered)
			problem(r, PNYX_WITNESS_INTERNAL, "the witness cannot "
				"store the checkpoint", NULL);
	} else if ((v.code == PNYX_WITNESS_ROOT_MISMATCH ||
		    v.code == PNYX_WITNESS_BAD_PROOF) && latest.present) {
		fork_answer(app, &v, &held, body, n, now, r);
	} else {
		refuse(r, &v);
	}
	if (answered) {
		pnyx_witness_code c = r->status == 200 ? PNYX_WITNESS_COSIGNED
				      : err != PNYX_OK ? PNYX_WITNESS_INTERNAL
						       : v.code;
		atomic_fetch_add(&app->answers[c], 1);
	}
	pnyx_buf_clear(&held);
	pnyx_buf_clear(&cosig);
	return answered;
}

static void add_checkpoint(struct wit_app *app, const uint8_t *body,
			   size_t n, uint64_t now, struct wit_response *r)
{
	size_t log = 0;
	pnyx_witness_verdict v;
	if (!pnyx_witness_find_log(app->logs, app->nlogs, body, n, &log, &v)) {
		atomic_fetch_add(&app->answers[v.code], 1);
		refuse(r, &v);
		return;
	}
	for (int i = 0; i < ATTEMPTS; i++)
		if (attempt(app, log, body, n, now, r))
			return;
	problem(r, PNYX_WITNESS_INTERNAL, "the checkpoint of this log "
		"changed too often while this request was judged; send it "
		"again", NULL);
}

void wit_handle(struct wit_app *app, const char *method, const char *path,
		const uint8_t *body, size_t n, uint64_t now,
		struct wit_response *r)
{
	if (strcmp(path, "/add-checkpoint") != 0) {
		put_problem(r, 404, "not-found", "No such resource",
			    "a witness answers POST /add-checkpoint only", NULL);
		return;
	}
	if (strcmp(method, "POST") != 0) {
		put_problem(r, 405, "method-not-allowed", "Method not allowed",
			    "/add-checkpoint takes POST only", NULL);
		r->allow = "POST";
		return;
	}
	add_checkpoint(app, body, n, now, r);
}
