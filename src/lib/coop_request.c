/*
 * Requests between two members (docs/COOPERATION.md): request.send, then
 * the recipient's request.ack, request.answer (repeatable), request.decline,
 * and either member's request.close. The content is sealed to the points of
 * contact of both members; the engine checks only the recipients' names and
 * the sizes. A request's id is "<sender>:<seq of its request.send>".
 *
 * Section "requests":
 *   id -> {"from", "to", "kind", "severity", "tlp", ["legal_basis"],
 *          "status", "sent_ms", "deadline_ms", "acknowledged_ms", "late",
 *          "overdue", "answered_ms", "answers", "declined_ms", "grounds",
 *          "closed_ms", "closed_by", "events": [{"type", "ms", "leaf"}]}
 */
#include "coop_internal.h"

#include "pnyx/coop_seal.h"

#include <stdio.h>
#include <string.h>

#define LEGAL_BASIS_MAX 500

static const char *const kinds[] = {"incident", "assistance", "information", "data"};
static const char *const severities[] = {"low", "medium", "high", "critical"};
static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
static const char *const grounds_list[] = {
	"political-offence", "human-rights", "sovereignty-security",
	"not-in-jurisdiction", "insufficient-information", "other",
};
static const char *const recipient_keys[] = {"contact", "enc", "key", "member"};
/* the content key (32 bytes) sealed with HPKE: plus a 16-byte tag */
#define WRAPPED_KEY_LEN (32 + PNYX_HPKE_TAG_LEN)

/* ---- the sealed body ---- */

static bool seen_before(const json_t *list, size_t upto, const json_t *r)
{
	for (size_t j = 0; j < upto; j++) {
		const json_t *o = json_array_get(list, j);
		if (strcmp(coop_str(o, "member"), coop_str(r, "member")) == 0 &&
		    strcmp(coop_str(o, "contact"), coop_str(r, "contact")) == 0)
			return true;
	}
	return false;
}

/* Recipient i: a contact of actor or other, enc and key of the right sizes;
 * *side gets bit 1 for the actor, 2 for the other. */
static pnyx_rule check_recipient(const pnyx_coop *c, const json_t *list, size_t i,
				 const char *actor, const char *other,
				 unsigned *side, pnyx_verdict *v)
{
	const json_t *r = json_array_get(list, i);
	bool nomem = false;
	if (!coop_has_keys(r, recipient_keys, 4) || coop_str(r, "member") == NULL ||
	    coop_str(r, "contact") == NULL)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "sealed recipient %zu must have exactly contact, enc, "
				   "key and member", i + 1);
	const char *m = coop_str(r, "member"), *k = coop_str(r, "contact");
	bool mine = strcmp(m, actor) == 0, theirs = strcmp(m, other) == 0;
	if ((!mine && !theirs) || !coop_has_contact(c, m, k) || seen_before(list, i, r))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "sealed recipient %zu is not a contact of %s or %s in "
				   "the directory, or is named twice", i + 1, actor, other);
	*side |= (mine ? 1u : 0u) | (theirs ? 2u : 0u);
	if (!coop_is_b64(json_object_get(r, "enc"), PNYX_HPKE_ENC_LEN,
			 PNYX_HPKE_ENC_LEN, &nomem) ||
	    !coop_is_b64(json_object_get(r, "key"), WRAPPED_KEY_LEN,
			 WRAPPED_KEY_LEN, &nomem))
		return engine_fail(v, nomem ? PNYX_RULE_NOMEM : PNYX_RULE_INVALID_FIELD,
				   "sealed recipient %zu needs enc (base64 of 32 bytes) "
				   "and key (base64 of %d bytes)", i + 1,
				   WRAPPED_KEY_LEN);
	return PNYX_RULE_OK;
}

pnyx_rule coop_check_sealed(const pnyx_coop *c, const json_t *sealed,
			    const char *actor, const char *other, pnyx_verdict *v)
{
	static const char *const keys[] = {"ct", "recipients"};
	const json_t *list = json_object_get(sealed, "recipients");
	size_t n = json_array_size(list);
	bool nomem = false;
	if (!coop_has_keys(sealed, keys, 2) || !json_is_array(list) || n == 0 ||
	    n > PNYX_COOP_RECIPIENTS_MAX)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"sealed\" must be {\"ct\": ..., \"recipients\": "
				   "[...]} with 1 to %d recipients",
				   PNYX_COOP_RECIPIENTS_MAX);
	if (!coop_is_b64(json_object_get(sealed, "ct"), PNYX_HPKE_TAG_LEN,
			 PNYX_COOP_PLAINTEXT_MAX + PNYX_HPKE_TAG_LEN, &nomem))
		return engine_fail(v, nomem ? PNYX_RULE_NOMEM : PNYX_RULE_INVALID_FIELD,
				   "\"sealed\" needs ct (base64 of 16 to %u bytes)",
				   PNYX_COOP_PLAINTEXT_MAX + PNYX_HPKE_TAG_LEN);
	unsigned side = 0;
	for (size_t i = 0; i < n; i++) {
		pnyx_rule r = check_recipient(c, list, i, actor, other, &side, v);
		if (r != PNYX_RULE_OK)
			return r;
	}
	if (side != 3u)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"sealed\" needs at least one recipient of %s and one "
				   "of %s", actor, other);
	return PNYX_RULE_OK;
}

/* ---- request.send ---- */

static bool is_member(const coop_ctx *ctx, const char *id)
{
	const char *kind = coop_str(coop_pub_actor(ctx, id), "kind");
	return kind != NULL && strcmp(kind, "member") == 0;
}

static pnyx_rule check_kind_fields(const coop_ctx *ctx, pnyx_verdict *v)
{
	const json_t *body = ctx->a->body;
	if (!coop_in_list(coop_str(body, "kind"), kinds, 4))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"kind\" is incident, assistance, information or data");
	if (!coop_in_list(coop_str(body, "severity"), severities, 4))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"severity\" is low, medium, high or critical");
	if (!coop_in_list(coop_str(body, "tlp"), tlps, 5))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"tlp\" is CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
	const json_t *basis = json_object_get(body, "legal_basis");
	bool data = strcmp(coop_str(body, "kind"), "data") == 0;
	if (data && !coop_is_text(basis, LEGAL_BASIS_MAX))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a data request needs a \"legal_basis\" (1 to %d bytes): "
				   "the treaty or law it rests on", LEGAL_BASIS_MAX);
	if (!data && basis != NULL)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "only a data request has a \"legal_basis\"");
	return PNYX_RULE_OK;
}

static pnyx_rule send_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	const char *to = coop_str(ctx->a->body, "to");
	if (strcmp(to, ctx->a->actor) == 0 || !is_member(ctx, to))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"to\" must be another member of the forum");
	if (coop_entry(c, to) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "%s has no points of contact in the directory", to);
	pnyx_rule r = check_kind_fields(ctx, v);
	if (r != PNYX_RULE_OK)
		return r;
	return coop_check_sealed(c, json_object_get(ctx->a->body, "sealed"),
				 ctx->a->actor, to, v);
}

static uint64_t ack_hours(const coop_ctx *ctx, const char *severity)
{
	const json_t *h = json_object_get(json_object_get(ctx->rules, "ack_hours"), severity);
	return (uint64_t)json_integer_value(h);
}

static json_t *event(const char *type, const coop_ctx *ctx)
{
	return json_pack("{s:s,s:I,s:I}", "type", type, "ms", (json_int_t)ctx->time_ms,
			 "leaf", (json_int_t)ctx->index);
}

static json_t *new_request(const coop_ctx *ctx)
{
	const json_t *b = ctx->a->body;
	uint64_t deadline = ctx->time_ms + ack_hours(ctx, coop_str(b, "severity")) * MS_PER_HOUR;
	json_t *req = json_pack("{s:s,s:O,s:O,s:O,s:O,s:s,s:I,s:I,s:n,s:b,s:b,s:n,s:i,"
				"s:n,s:n,s:n,s:n,s:[o]}",
				"from", ctx->a->actor, "to", json_object_get(b, "to"),
				"kind", json_object_get(b, "kind"), "severity",
				json_object_get(b, "severity"), "tlp", json_object_get(b, "tlp"),
				"status", "sent", "sent_ms", (json_int_t)ctx->time_ms,
				"deadline_ms", (json_int_t)deadline, "acknowledged_ms",
				"late", 0, "overdue", 0, "answered_ms", "answers", 0,
				"declined_ms", "grounds", "closed_ms", "closed_by", "events",
				event("request.send", ctx));
	const json_t *basis = json_object_get(b, "legal_basis");
	if (req != NULL && basis != NULL &&
	    json_object_set(req, "legal_basis", (json_t *)basis) != 0) {
		json_decref(req);
		return NULL;
	}
	return req;
}

static pnyx_rule send_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	char id[sizeof ctx->request_id];
	snprintf(id, sizeof id, "%s:%llu", ctx->a->actor, (unsigned long long)ctx->a->seq);
	json_t *req = new_request(ctx);
	if (engine_set(coop_section(c, "requests"), id, req) != PNYX_RULE_OK ||
	    coop_figures_sent(c, req, id) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the steps after ---- */

/* The request the action names, if the actor is party to it (the
 * recipient only, when only_recipient); the same refusal for a request
 * that does not exist and one that concerns others. */
static pnyx_rule find_request(const pnyx_coop *c, coop_ctx *ctx, bool only_recipient,
			      pnyx_verdict *v)
{
	const char *id = coop_str(ctx->a->body, "request");
	const char *me = ctx->a->actor;
	json_t *req = json_object_get(coop_section(c, "requests"), id);
	const char *from = coop_str(req, "from"), *to = coop_str(req, "to");
	if (req == NULL || (strcmp(from, me) != 0 && strcmp(to, me) != 0))
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "no request %.140s concerns you", id);
	if (only_recipient && strcmp(to, me) != 0)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "only %s, the recipient of request %.140s, may take %s",
				   to, id, ctx->a->type);
	ctx->request = req;
	snprintf(ctx->request_id, sizeof ctx->request_id, "%s", id);
	return PNYX_RULE_OK;
}

static bool status_is(const json_t *req, const char *s)
{
	return strcmp(coop_str(req, "status"), s) == 0;
}

static pnyx_rule wrong_status(const coop_ctx *ctx, pnyx_verdict *v)
{
	return engine_fail(v, PNYX_RULE_CONFLICT, "request %s is %s: %s is not possible",
			   ctx->request_id, coop_str(ctx->request, "status"), ctx->a->type);
}

static pnyx_rule ack_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	pnyx_rule r = find_request(c, ctx, true, v);
	if (r == PNYX_RULE_OK && !status_is(ctx->request, "sent"))
		return wrong_status(ctx, v);
	return r;
}

static pnyx_rule answer_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	pnyx_rule r = find_request(c, ctx, true, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (status_is(ctx->request, "declined") || status_is(ctx->request, "closed"))
		return wrong_status(ctx, v);
	return coop_check_sealed(c, json_object_get(ctx->a->body, "sealed"),
				 ctx->a->actor, coop_str(ctx->request, "from"), v);
}

static pnyx_rule decline_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	pnyx_rule r = find_request(c, ctx, true, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!status_is(ctx->request, "sent") && !status_is(ctx->request, "acknowledged"))
		return wrong_status(ctx, v);
	if (!coop_in_list(coop_str(ctx->a->body, "grounds"), grounds_list, 6))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"grounds\" is political-offence, human-rights, "
				   "sovereignty-security, not-in-jurisdiction, "
				   "insufficient-information or other");
	const json_t *sealed = json_object_get(ctx->a->body, "sealed");
	return sealed == NULL ? PNYX_RULE_OK
			      : coop_check_sealed(c, sealed, ctx->a->actor,
						  coop_str(ctx->request, "from"), v);
}

static pnyx_rule close_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	pnyx_rule r = find_request(c, ctx, false, v);
	if (r == PNYX_RULE_OK && status_is(ctx->request, "closed"))
		return wrong_status(ctx, v);
	return r;
}

/* The common part of every step: the event, the status, and for the first
 * response to a request still "sent", the acknowledgement. */
static pnyx_rule step(pnyx_coop *c, const coop_ctx *ctx, const char *status,
		      bool responds)
{
	json_t *req = ctx->request;
	pnyx_rule r = engine_push(json_object_get(req, "events"), event(ctx->a->type, ctx));
	if (r == PNYX_RULE_OK && status_is(req, "sent")) {
		r = coop_figures_unsent(c, req);
		if (r == PNYX_RULE_OK && responds)
			r = coop_figures_responded(c, req, ctx->time_ms);
	}
	if (r == PNYX_RULE_OK)
		r = engine_set(req, "status", json_string(status));
	return r;
}

static pnyx_rule nomem(pnyx_verdict *v)
{
	return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
}

static pnyx_rule ack_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	return step(c, ctx, "acknowledged", true) == PNYX_RULE_OK ? PNYX_RULE_OK : nomem(v);
}

static pnyx_rule answer_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	json_t *req = ctx->request;
	bool first = json_is_null(json_object_get(req, "answered_ms"));
	json_int_t n = json_integer_value(json_object_get(req, "answers"));
	pnyx_rule r = step(c, ctx, "answered", true);
	if (r == PNYX_RULE_OK && first)
		r = engine_set(req, "answered_ms", json_integer((json_int_t)ctx->time_ms));
	if (r == PNYX_RULE_OK && first && strcmp(coop_str(req, "kind"), "data") == 0)
		r = coop_figures_data(c, req, NULL);
	if (r == PNYX_RULE_OK)
		r = engine_set(req, "answers", json_integer(n + 1));
	return r == PNYX_RULE_OK ? r : nomem(v);
}

static pnyx_rule decline_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	json_t *req = ctx->request;
	const char *grounds = coop_str(ctx->a->body, "grounds");
	pnyx_rule r = step(c, ctx, "declined", true);
	if (r == PNYX_RULE_OK)
		r = engine_set(req, "declined_ms", json_integer((json_int_t)ctx->time_ms));
	if (r == PNYX_RULE_OK)
		r = engine_set(req, "grounds", json_string(grounds));
	if (r == PNYX_RULE_OK && strcmp(coop_str(req, "kind"), "data") == 0)
		r = coop_figures_data(c, req, grounds);
	return r == PNYX_RULE_OK ? r : nomem(v);
}

static pnyx_rule close_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	json_t *req = ctx->request;
	pnyx_rule r = step(c, ctx, "closed", false);
	if (r == PNYX_RULE_OK)
		r = engine_set(req, "closed_ms", json_integer((json_int_t)ctx->time_ms));
	if (r == PNYX_RULE_OK)
		r = engine_set(req, "closed_by", json_string(ctx->a->actor));
	return r == PNYX_RULE_OK ? r : nomem(v);
}

/* ---- the table ---- */

#define REQUEST_ID_MAX (2 * PNYX_ID_MAX + 21)

static const field_spec send_fields[] = {
	{"to", JSON_STRING, true, PNYX_ID_MAX},
	{"kind", JSON_STRING, true, 16},
	{"severity", JSON_STRING, true, 16},
	{"tlp", JSON_STRING, true, 16},
	{"sealed", JSON_OBJECT, true, 0},
	{"legal_basis", JSON_STRING, false, LEGAL_BASIS_MAX},
	{NULL, 0, false, 0},
};
static const field_spec ack_fields[] = {
	{"request", JSON_STRING, true, REQUEST_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec answer_fields[] = {
	{"request", JSON_STRING, true, REQUEST_ID_MAX},
	{"sealed", JSON_OBJECT, true, 0},
	{NULL, 0, false, 0},
};
static const field_spec decline_fields[] = {
	{"request", JSON_STRING, true, REQUEST_ID_MAX},
	{"grounds", JSON_STRING, true, 32},
	{"sealed", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};

const coop_spec coop_request_actions[] = {
	{"request.send", ACTOR_MEMBER, send_fields, send_check, send_exec, false},
	{"request.ack", ACTOR_MEMBER, ack_fields, ack_check, ack_exec, false},
	{"request.answer", ACTOR_MEMBER, answer_fields, answer_check, answer_exec, false},
	{"request.decline", ACTOR_MEMBER, decline_fields, decline_check, decline_exec,
	 false},
	{"request.close", ACTOR_MEMBER, ack_fields, close_check, close_exec, false},
	{NULL, 0, NULL, NULL, NULL, false},
};
