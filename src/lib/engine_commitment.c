/*
 * Commitments: each member may subscribe to the norms of an adopted
 * document (paragraphs marked "norm" in the revision the decision adopted)
 * as political commitments, withdraw a commitment, and file implementation
 * reports per norm (a status and a text), which the engine keeps as a
 * history. docs/actions/commitments.md describes the actions and the state.
 *
 * Section "commitments":
 *   decision id -> {"document", "revision", "norms": {
 *       norm (paragraph id) -> {member -> {"status", "history", "reports"}}}}
 */
#include "engine_internal.h"

#include <string.h>

#define TEXT_MAX 8000   /* bytes of one language of a report */
#define REASON_MAX 4000 /* bytes of one language of a reason */

static const char *const report_statuses[] = {"not-started", "in-progress",
					      "implemented", "other"};

static const char *str_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool str_is(const json_t *obj, const char *key, const char *want)
{
	const char *s = str_of(obj, key);
	return s != NULL && strcmp(s, want) == 0;
}

/* ---- the adopted text ---- */

/* What the decision put to the members: its "subject" when it has one
 * ({"kind": "document", "document", "revision"}), else the decision. */
static const json_t *question_of(const json_t *d)
{
	const json_t *s = json_object_get(d, "subject");
	return s != NULL ? s : d;
}

/* True if the decision is adopted at time t: recorded as adopted, or a
 * silence procedure still open whose deadline has come (settle records
 * that adoption only after check). */
static bool adopted_at(const json_t *d, uint64_t t)
{
	if (str_is(d, "status", "adopted"))
		return true;
	const json_t *deadline = json_object_get(d, "deadline_ms");
	return str_is(d, "status", "open") && str_is(d, "procedure", "silence") &&
	       json_is_integer(deadline) && json_integer_value(deadline) >= 0 &&
	       (uint64_t)json_integer_value(deadline) <= t;
}

/* The decision of the action, adopted at its time, on a document. */
static pnyx_rule check_decision(const pnyx_state *st, const engine_ctx *c,
				const json_t **rev, pnyx_verdict *v)
{
	const char *id = engine_str(c, "decision");
	const json_t *d = engine_decision(st, id);
	if (d == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no decision %.64s",
				   id);
	const json_t *q = question_of(d);
	const char *doc = str_of(q, "document");
	if (doc == NULL)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "decision %s is not on a document: it has no norms", id);
	if (str_is(d, "status", "open") && !adopted_at(d, c->time_ms))
		return engine_fail(v, PNYX_RULE_TOO_EARLY,
				   "decision %s is still open: only adopted norms can "
				   "be subscribed to", id);
	if (!adopted_at(d, c->time_ms))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "decision %s was not adopted", id);
	*rev = engine_revision(st, doc, json_integer_value(json_object_get(q, "revision")));
	if (*rev == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "the revision decision %s adopted is missing", id);
	return PNYX_RULE_OK;
}

/* The decision and the norm of the action: a paragraph marked as a norm in
 * the adopted revision. */
static pnyx_rule check_norm(const pnyx_state *st, const engine_ctx *c,
			    pnyx_verdict *v)
{
	const json_t *rev = NULL;
	pnyx_rule r = check_decision(st, c, &rev, v);
	if (r != PNYX_RULE_OK)
		return r;
	const char *norm = engine_str(c, "norm");
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(rev, "paragraphs"), i, p) {
		if (!str_is(p, "id", norm))
			continue;
		if (!json_is_true(json_object_get(p, "norm")))
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "paragraph %s of the adopted text is not a norm",
					   norm);
		return PNYX_RULE_OK;
	}
	return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
			   "the adopted text has no paragraph %.64s", norm);
}

/* ---- the section ---- */

/* The actor's commitment record for the action's decision and norm. */
static json_t *commitment(const pnyx_state *st, const engine_ctx *c)
{
	json_t *d = json_object_get(engine_section(st, "commitments"),
				    engine_str(c, "decision"));
	json_t *n = json_object_get(json_object_get(d, "norms"), engine_str(c, "norm"));
	return json_object_get(n, c->a->actor);
}

static bool is_subscribed(const pnyx_state *st, const engine_ctx *c)
{
	return str_is(commitment(st, c), "status", "subscribed");
}

/* The entry for the action's decision (created with what it adopted). */
static json_t *decision_entry(pnyx_state *st, const engine_ctx *c)
{
	json_t *sec = engine_section(st, "commitments");
	const char *id = engine_str(c, "decision");
	json_t *d = json_object_get(sec, id);
	if (d != NULL)
		return d;
	const json_t *q = question_of(engine_decision(st, id));
	d = json_pack("{s:s,s:I,s:{}}", "document", str_of(q, "document"), "revision",
		      json_integer_value(json_object_get(q, "revision")), "norms");
	if (engine_set(sec, id, d) != PNYX_RULE_OK)
		return NULL;
	return d;
}

/* The actor's record for the action's decision and norm, created if new. */
static json_t *commitment_make(pnyx_state *st, const engine_ctx *c)
{
	json_t *norms = json_object_get(decision_entry(st, c), "norms");
	const char *norm = engine_str(c, "norm");
	if (norms == NULL)
		return NULL;
	if (json_object_get(norms, norm) == NULL &&
	    engine_set(norms, norm, json_object()) != PNYX_RULE_OK)
		return NULL;
	json_t *byn = json_object_get(norms, norm);
	if (json_object_get(byn, c->a->actor) == NULL &&
	    engine_set(byn, c->a->actor,
		       json_pack("{s:s,s:[],s:[]}", "status", "withdrawn", "history",
				 "reports")) != PNYX_RULE_OK)
		return NULL;
	return json_object_get(byn, c->a->actor);
}

/* Sets the record's status and appends the event to its history, with the
 * action's optional reason. */
static pnyx_rule record_event(json_t *rec, const engine_ctx *c, const char *status,
			      const char *event)
{
	json_t *e = json_pack("{s:s,s:I,s:I}", "event", event, "ms",
			      (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	json_t *reason = engine_field(c, "reason");
	if (e != NULL && reason != NULL &&
	    engine_set(e, "reason", json_deep_copy(reason)) != PNYX_RULE_OK) {
		json_decref(e);
		e = NULL;
	}
	if (rec == NULL) {
		json_decref(e);
		return PNYX_RULE_NOMEM;
	}
	if (engine_push(json_object_get(rec, "history"), e) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return engine_set(rec, "status", json_string(status));
}

/* ---- commitment.subscribe and commitment.withdraw ---- */

static pnyx_rule subscribe_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	pnyx_rule r = check_norm(st, c, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (is_subscribed(st, c))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s has already subscribed to norm %s of decision %s",
				   c->a->actor, engine_str(c, "norm"),
				   engine_str(c, "decision"));
	return PNYX_RULE_OK;
}

static pnyx_rule subscribe_exec(pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	if (record_event(commitment_make(st, c), c, "subscribed", "subscribed") !=
	    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule withdraw_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	pnyx_rule r = check_norm(st, c, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!is_subscribed(st, c))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s has no commitment to norm %s of decision %s",
				   c->a->actor, engine_str(c, "norm"),
				   engine_str(c, "decision"));
	if (engine_field(c, "reason") != NULL)
		return engine_check_texts(st, engine_field(c, "reason"), "reason",
					  REASON_MAX, v);
	return PNYX_RULE_OK;
}

static pnyx_rule withdraw_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	if (record_event(commitment(st, c), c, "withdrawn", "withdrawn") != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- report.file ---- */

static bool is_report_status(const char *s)
{
	for (size_t i = 0; i < sizeof report_statuses / sizeof *report_statuses; i++)
		if (strcmp(s, report_statuses[i]) == 0)
			return true;
	return false;
}

static pnyx_rule report_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	pnyx_rule r = check_norm(st, c, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!is_subscribed(st, c))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s reports only on norms it has subscribed to; it "
				   "has no commitment to norm %s of decision %s",
				   c->a->actor, engine_str(c, "norm"),
				   engine_str(c, "decision"));
	if (!is_report_status(engine_str(c, "status")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"status\" is not-started, in-progress, implemented "
				   "or other");
	return engine_check_texts(st, engine_field(c, "text"), "text", TEXT_MAX, v);
}

static pnyx_rule report_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *rep = json_pack("{s:s,s:O,s:I,s:I}", "status", engine_str(c, "status"),
				"text", engine_field(c, "text"), "ms",
				(json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	if (engine_push(json_object_get(commitment(st, c), "reports"), rep) !=
	    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

static const field_spec subscribe_fields[] = {
	{"decision", JSON_STRING, true, 64},
	{"norm", JSON_STRING, true, 64},
	{NULL, 0, false, 0},
};
static const field_spec withdraw_fields[] = {
	{"decision", JSON_STRING, true, 64},
	{"norm", JSON_STRING, true, 64},
	{"reason", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec report_fields[] = {
	{"decision", JSON_STRING, true, 64},
	{"norm", JSON_STRING, true, 64},
	{"status", JSON_STRING, true, 16},
	{"text", JSON_OBJECT, true, 0},
	{NULL, 0, false, 0},
};

const action_spec engine_commitment_actions[] = {
	{"commitment.subscribe", ACTOR_MEMBER, subscribe_fields, subscribe_check,
	 subscribe_exec},
	{"commitment.withdraw", ACTOR_MEMBER, withdraw_fields, withdraw_check,
	 withdraw_exec},
	{"report.file", ACTOR_MEMBER, report_fields, report_check, report_exec},
	{NULL, 0, NULL, NULL, NULL},
};
