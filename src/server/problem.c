/*
 * Problem documents (RFC 9457) and the one table that maps every error code
 * the service can report to its HTTP status: the library's pnyx_err names
 * (pnyx/common.h), the engine's verdict names (pnyx/engine.h, which
 * POST /v1/actions returns), and the service's own codes. A name the two
 * enums share (bad-signature, out-of-memory) means the same thing in both
 * and appears once. tests/test_server.c checks that every name of both
 * enums is here.
 */
#include "http.h"

#include "pnyx/json.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct problem_def {
	const char *code;
	unsigned status;
	const char *title;
};

static const struct problem_def problems[] = {
	/* the service's own */
	{"not-found", 404, "No such resource"},
	{"method-not-allowed", 405, "Method not allowed on this resource"},
	{"bad-target", 400, "The request target is malformed"},
	{"target-too-long", 414, "The request target is too long"},
	{"bad-parameter", 400, "A query parameter is missing, unknown or malformed"},
	{"unsupported-language", 400, "The language is not one of the six "
				      "official languages of the UN"},
	{"too-large", 413, "The request body is larger than allowed"},
	{"unsupported-media-type", 415, "The request body has the wrong media type"},
	{"request-timeout", 408, "The request took too long"},
	{"no-checkpoint", 404, "The log has no signed checkpoint yet"},
	{"not-implemented", 501, "Not implemented yet"},
	{"internal", 500, "Internal server error"},
	{"unavailable", 503, "The service is unavailable"},
	/* pnyx_err (not-found and too-large above) */
	{"out-of-memory", 503, "The server is out of memory"},
	{"signature-required", 401, "The request must be signed by a "
	 "member's key (HTTP Message Signatures)"},
	{"bad-request-signature", 401, "The request's signature is not "
	 "acceptable"},
	{"forbidden", 403, "The signer may not read this"},
	{"no-cooperation", 404, "This server keeps no cooperation log"},
	{"malformed", 400, "The input is not well formed"},
	{"bad-signature", 400, "A signature does not verify"},
	{"unverified", 403, "No known key signed it"},
	{"bad-proof", 400, "The proof does not verify"},
	{"out-of-range", 400, "The index or size is outside the log"},
	{"storage", 500, "The storage failed"},
	{"corrupt", 500, "The stored log is inconsistent"},
	{"exists", 409, "It already exists"},
	{"io", 500, "A file could not be read or written"},
	{"mismatch", 409, "Two values that must agree differ"},
	/* pnyx_rule (bad-signature and out-of-memory above) */
	{"malformed-leaf", 400, "Not a Pnyx log leaf"},
	{"malformed-note", 400, "Not a well-formed signed note"},
	{"unknown-key", 403, "Not signed by an active key of the actor"},
	{"malformed-action", 400, "The action is malformed"},
	{"unknown-action-type", 400, "No such action type"},
	{"no-forum", 409, "The forum has not been created"},
	{"forum-exists", 409, "The forum was already created"},
	{"wrong-forum", 422, "The action names another forum"},
	{"unknown-actor", 403, "No such member, officer or stakeholder"},
	{"seq-replayed", 409, "The sequence number was already used"},
	{"seq-skipped", 409, "The sequence number is not the next one"},
	{"time-backwards", 500, "The sequencer's clock went backwards"},
	{"not-permitted", 403, "The actor's role may not take this action"},
	{"member-suspended", 403, "The member is suspended"},
	{"unknown-object", 422, "No such document, revision, paragraph, "
				"amendment, decision or stakeholder"},
	{"already-exists", 409, "The identifier is already taken"},
	{"invalid-field", 422, "A field's value breaks a rule"},
	{"procedure-not-allowed", 422, "The forum's rules do not allow this procedure"},
	{"wrong-procedure", 422, "Not possible under this decision's procedure"},
	{"decision-closed", 409, "The decision is no longer open"},
	{"deadline-passed", 409, "The deadline has passed"},
	{"too-early", 409, "Not yet possible"},
	{"conflict", 409, "The action contradicts the record"},
};

static const struct problem_def *find(const char *code)
{
	for (size_t i = 0; i < sizeof problems / sizeof *problems; i++)
		if (strcmp(problems[i].code, code) == 0)
			return &problems[i];
	return NULL;
}

unsigned srv_problem_status(const char *code)
{
	const struct problem_def *d = find(code);
	return d != NULL ? d->status : 0;
}

size_t srv_problem_count(void)
{
	return sizeof problems / sizeof *problems;
}

const char *srv_problem_code(size_t i)
{
	assert(i < srv_problem_count());
	return problems[i].code;
}

/* Encodes the problem document into resp->body; false on failure. */
static bool encode(struct srv_response *resp, const struct problem_def *d,
		   const char *detail)
{
	char type[96];
	snprintf(type, sizeof type, "/problems/%s", d->code);
	json_t *doc = json_pack("{s:s,s:s,s:i,s:s}", "type", type, "title",
				d->title, "status", (int)d->status, "code",
				d->code);
	if (doc == NULL)
		return false;
	/* A detail that is not UTF-8 (it never should be) is left out. */
	json_t *s = detail[0] != 0 ? json_string(detail) : NULL;
	if (s != NULL && json_object_set_new(doc, "detail", s) != 0) {
		json_decref(doc);
		return false;
	}
	pnyx_buf_reset(&resp->body);
	pnyx_err err = pnyx_json_encode(doc, &resp->body);
	json_decref(doc);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&resp->body, "\n");
	return err == PNYX_OK;
}

static void problem_with(struct srv_response *resp, const char *code,
			 const char *detail)
{
	const struct problem_def *d = find(code);
	assert(d != NULL); /* every code the service uses is in the table */
	resp->status = d->status;
	resp->code = d->code;
	resp->content_type = "application/problem+json";
	resp->cache_control = "no-store";
	resp->cacheable = false;
	resp->etag[0] = 0;
	if (!encode(resp, d, detail))
		pnyx_buf_reset(&resp->body); /* the status and code still say it */
}

void srv_problem(struct srv_response *resp, const char *code,
		 const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	problem_with(resp, code, detail);
}

void srv_problem_err(struct srv_response *resp, pnyx_err err,
		     const pnyx_diag *diag)
{
	assert(err != PNYX_OK);
	const char *detail = diag != NULL && diag->msg[0] != 0
				     ? diag->msg
				     : pnyx_err_text(err);
	problem_with(resp, pnyx_err_name(err), detail);
}

void srv_problem_rule(struct srv_response *resp, const pnyx_verdict *v)
{
	assert(v->code != PNYX_RULE_OK);
	problem_with(resp, pnyx_rule_name(v->code), v->msg);
}
