/*
 * Decisions: a text (the exact revision of a document) or a membership
 * question put to the members under one of the forum's procedures:
 * consensus (join, with or without dissociation from paragraphs, or lodge
 * a formal objection), the silence procedure (adopted at its deadline
 * unless a member breaks silence) or a recorded vote (yes, no, abstain;
 * majority of the members present and voting, two thirds for important
 * questions; quorum). The engine computes every outcome at close: nobody
 * types one in. docs/actions/decisions.md describes the actions and the
 * section "decisions" (decision id -> decision).
 *
 * This file: shared helpers, decision.open, the action table.
 */
#include "engine_decision_internal.h"
#include "engine_session.h"

#include <string.h>

#define TITLE_MAX 1000

static const char *const procedures[] = {"consensus", "silence", "vote"};

/* ---- helpers shared by the module's files ---- */

json_t *decision_get(pnyx_state *st, const char *id)
{
	return json_object_get(engine_section(st, "decisions"), id);
}

const json_t *engine_decision(const pnyx_state *st, const char *id)
{
	return json_object_get(engine_section(st, "decisions"), id);
}

const char *decision_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

bool decision_str_is(const json_t *obj, const char *key, const char *want)
{
	const char *s = decision_str(obj, key);
	return s != NULL && strcmp(s, want) == 0;
}

const char *decision_quote(const char *s)
{
	if (s != NULL && pnyx_id_is_valid((const uint8_t *)s, strlen(s)))
		return s;
	return "(not a valid id)";
}

bool decision_is_open_at(const json_t *d, uint64_t t)
{
	if (!decision_str_is(d, "status", "open"))
		return false;
	if (!decision_str_is(d, "procedure", "silence"))
		return true;
	return t < (uint64_t)json_integer_value(json_object_get(d, "deadline_ms"));
}

pnyx_rule decision_find(const pnyx_state *st, const engine_ctx *c,
			const json_t **out, pnyx_verdict *v)
{
	const char *id = engine_str(c, "decision");
	*out = engine_decision(st, id);
	if (*out == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no decision %s",
				   decision_quote(id));
	return PNYX_RULE_OK;
}

pnyx_rule decision_need_procedure(const json_t *d, const engine_ctx *c,
				  const char *procedure, pnyx_verdict *v)
{
	if (decision_str_is(d, "procedure", procedure))
		return PNYX_RULE_OK;
	return engine_fail(v, PNYX_RULE_WRONG_PROCEDURE,
			   "%s is possible only under the %s procedure; decision "
			   "%s is under %s", c->a->type, procedure,
			   engine_str(c, "decision"), decision_str(d, "procedure"));
}

pnyx_rule decision_need_open(const json_t *d, const engine_ctx *c,
			     pnyx_verdict *v)
{
	if (decision_is_open_at(d, c->time_ms))
		return PNYX_RULE_OK;
	return engine_fail(v, PNYX_RULE_DECISION_CLOSED,
			   "decision %s is closed", engine_str(c, "decision"));
}

const char *decision_position_of(const json_t *d, const char *member)
{
	const json_t *p = json_object_get(json_object_get(d, "positions"), member);
	return decision_str(p, "position");
}

pnyx_rule decision_record_position(pnyx_state *st, const engine_ctx *c,
				   json_t *entry, pnyx_verdict *v)
{
	json_t *positions = json_object_get(decision_get(st, engine_str(c, "decision")),
					    "positions");
	json_t *old = json_object_get(positions, c->a->actor);
	json_t *history = NULL, *now = NULL;
	pnyx_rule r = PNYX_RULE_NOMEM;
	if (entry == NULL ||
	    engine_set(entry, "ms", json_integer((json_int_t)c->time_ms)) != PNYX_RULE_OK ||
	    engine_set(entry, "leaf", json_integer((json_int_t)c->index)) != PNYX_RULE_OK)
		goto release;
	history = old != NULL ? json_incref(json_object_get(old, "history")) : json_array();
	now = json_deep_copy(entry);
	if (history == NULL || now == NULL ||
	    engine_push(history, json_incref(entry)) != PNYX_RULE_OK ||
	    engine_set(now, "history", json_incref(history)) != PNYX_RULE_OK ||
	    engine_set(positions, c->a->actor, json_incref(now)) != PNYX_RULE_OK)
		goto release;
	r = PNYX_RULE_OK;
release:
	json_decref(entry);
	json_decref(history);
	json_decref(now);
	return r == PNYX_RULE_OK ? r : engine_fail(v, r, "out of memory");
}

/* ---- decision.open ---- */

static bool is_procedure(const char *s)
{
	for (size_t i = 0; i < sizeof procedures / sizeof *procedures; i++)
		if (strcmp(s, procedures[i]) == 0)
			return true;
	return false;
}

bool decision_rules_allow(const pnyx_state *st, const char *procedure)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(engine_rules(st), "procedures"), i, p)
		if (strcmp(json_string_value(p), procedure) == 0)
			return true;
	return false;
}

static pnyx_rule check_procedure(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	const char *p = engine_str(c, "procedure");
	if (!is_procedure(p))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"procedure\" is consensus, silence or vote");
	if (!decision_rules_allow(st, p))
		return engine_fail(v, PNYX_RULE_PROCEDURE_NOT_ALLOWED,
				   "the forum's rules do not allow the %s procedure", p);
	return PNYX_RULE_OK;
}

/* An open decision (status "open", even a silence procedure whose deadline
 * passed unrecorded) on the same question: the same document revision, or
 * the same member. */
static bool question_is_open(const pnyx_state *st, const char *key,
			     const json_t *value, const json_t *revision)
{
	const char *id;
	const json_t *open;
	json_object_foreach(st->open_decisions, id, open) {
		const json_t *d = engine_decision(st, id);
		const json_t *s = json_object_get(d, "subject");
		if (decision_str_is(d, "status", "open") &&
		    json_equal(json_object_get(s, key), value) &&
		    (revision == NULL || json_equal(json_object_get(s, "revision"), revision)))
			return true;
	}
	return false;
}

static pnyx_rule check_document(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *doc = engine_field(c, "document");
	const json_t *rev = engine_field(c, "revision");
	if (doc == NULL || rev == NULL || json_integer_value(rev) < 1)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a decision names a \"document\" and its "
				   "\"revision\" (1 or more), or a membership "
				   "\"subject\"");
	if (engine_revision(st, json_string_value(doc), json_integer_value(rev)) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "document %s has no revision %lld",
				   decision_quote(json_string_value(doc)),
				   (long long)json_integer_value(rev));
	if (question_is_open(st, "document", doc, rev))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "a decision on this revision is already open");
	return PNYX_RULE_OK;
}

/* A session's agenda (engine_session.c), not already put to a decision. */
static pnyx_rule check_agenda(const pnyx_state *st, const json_t *subject,
			      pnyx_verdict *v)
{
	pnyx_rule r = engine_session_check_agenda(st, subject, v);
	if (r == PNYX_RULE_OK &&
	    question_is_open(st, "session", json_object_get(subject, "session"), NULL))
		r = engine_fail(v, PNYX_RULE_CONFLICT,
				"a decision on the agenda of session %s is already open",
				decision_str(subject, "session"));
	return r;
}

/* The session the decision is taken in: the "session" field, or the
 * session whose agenda it adopts (the two must agree). NULL if none. */
static const char *session_of(const engine_ctx *c)
{
	const json_t *subject = engine_field(c, "subject");
	if (decision_str_is(subject, "kind", "agenda"))
		return decision_str(subject, "session");
	return engine_str(c, "session");
}

static pnyx_rule check_session(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	const char *field = engine_str(c, "session");
	const char *session = session_of(c);
	if (field == NULL)
		return PNYX_RULE_OK;
	if (strcmp(field, session) != 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "an agenda is adopted in its own session");
	if (decision_str_is(engine_field(c, "subject"), "kind", "agenda"))
		return PNYX_RULE_OK;
	return engine_session_check_decision(st, field, v);
}

static pnyx_rule check_target(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	const json_t *subject = engine_field(c, "subject");
	if (subject == NULL)
		return check_document(st, c, v);
	if (engine_field(c, "document") != NULL || engine_field(c, "revision") != NULL)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a decision is on a document revision or on a "
				   "membership \"subject\", not both");
	if (decision_str_is(subject, "kind", "agenda"))
		return check_agenda(st, subject, v);
	pnyx_rule r = engine_member_check_subject(st, subject, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (question_is_open(st, "member", json_object_get(subject, "member"), NULL))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "a decision on a question about %s is already open",
				   decision_str(subject, "member"));
	return PNYX_RULE_OK;
}

static pnyx_rule check_deadline(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *deadline = engine_field(c, "deadline_ms");
	bool silence = strcmp(engine_str(c, "procedure"), "silence") == 0;
	if (!silence)
		return deadline == NULL
			       ? PNYX_RULE_OK
			       : engine_fail(v, PNYX_RULE_INVALID_FIELD,
					     "only the silence procedure has a "
					     "\"deadline_ms\"");
	json_int_t hours = json_integer_value(
		json_object_get(engine_rules(st), "silence_min_hours"));
	uint64_t span = (uint64_t)hours * MS_PER_HOUR;
	uint64_t earliest = c->time_ms > UINT64_MAX - span ? UINT64_MAX
							    : c->time_ms + span;
	if (deadline == NULL || json_integer_value(deadline) < 0 ||
	    (uint64_t)json_integer_value(deadline) < earliest)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "the silence procedure needs a \"deadline_ms\" at "
				   "least %lld hours after its opening (%llu)",
				   (long long)hours, (unsigned long long)earliest);
	return PNYX_RULE_OK;
}

static pnyx_rule open_check(const pnyx_state *st, const engine_ctx *c,
			    pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	if (!pnyx_id_is_valid((const uint8_t *)id, strlen(id)))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"id\" must be 1 to %d of A-Z a-z 0-9 . _ - :",
				   PNYX_ID_MAX);
	if (engine_decision(st, id) != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS, "decision %s already exists", id);
	pnyx_rule r = check_procedure(st, c, v);
	if (r == PNYX_RULE_OK)
		r = check_target(st, c, v);
	if (r == PNYX_RULE_OK)
		r = check_session(st, c, v);
	if (r == PNYX_RULE_OK)
		r = check_deadline(st, c, v);
	if (r == PNYX_RULE_OK && engine_field(c, "title") != NULL)
		r = engine_check_texts(st, engine_field(c, "title"), "title", TITLE_MAX, v);
	return r;
}

/* The decision's subject as the state records it. */
static json_t *subject_of(const engine_ctx *c)
{
	json_t *subject = engine_field(c, "subject");
	if (subject != NULL)
		return json_deep_copy(subject);
	return json_pack("{s:s,s:s,s:I}", "kind", "document", "document",
			 engine_str(c, "document"), "revision",
			 engine_int(c, "revision", 0));
}

static pnyx_rule set_optional(json_t *d, const engine_ctx *c)
{
	json_t *title = engine_field(c, "title");
	json_t *deadline = engine_field(c, "deadline_ms");
	if (title != NULL && engine_set(d, "title", json_deep_copy(title)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (deadline != NULL && engine_set(d, "deadline_ms", json_copy(deadline)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (engine_field(c, "subject") != NULL && engine_set(d, "effect", json_null()) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (session_of(c) != NULL &&
	    engine_set(d, "session", json_string(session_of(c))) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

/* Adds id to st->open_decisions, first dropping the decisions since closed
 * (each is dropped once: the table stays as small as the open ones). */
static pnyx_rule note_open(pnyx_state *st, const char *id)
{
	const char *k;
	json_t *x;
	void *tmp;
	json_object_foreach_safe(st->open_decisions, tmp, k, x)
		if (!decision_str_is(engine_decision(st, k), "status", "open"))
			(void)json_object_del(st->open_decisions, k);
	return engine_set(st->open_decisions, id, json_true());
}

static pnyx_rule open_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	const char *p = engine_str(c, "procedure");
	json_t *d = json_pack("{s:s,s:s,s:b,s:o,s:s,s:s,s:I,s:I,s:n,s:{},s:[],"
			      "s:n,s:n,s:n,s:n,s:n,s:n}",
			      "procedure", p, "opened_as", p, "important",
			      json_is_true(engine_field(c, "important")), "subject",
			      subject_of(c), "status", "open", "opened_by", c->a->actor,
			      "opened_ms", (json_int_t)c->time_ms, "opened_leaf",
			      (json_int_t)c->index, "vote_requested", "positions",
			      "explanations", "closed_by", "closed_ms", "closed_leaf",
			      "tally", "outcome", "outcome_code");
	if (d == NULL || set_optional(d, c) != PNYX_RULE_OK) {
		json_decref(d);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_set(engine_section(st, "decisions"), engine_str(c, "id"), d) !=
		    PNYX_RULE_OK ||
	    note_open(st, engine_str(c, "id")) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	if (strcmp(p, "silence") == 0 &&
	    engine_due_add(st, ENGINE_DUE_DECISION, engine_str(c, "id"),
			   (uint64_t)engine_int(c, "deadline_ms", 0)) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

#define OFFICERS (ACTOR_SECRETARIAT | ACTOR_CHAIR)

static const field_spec open_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"procedure", JSON_STRING, true, 16},
	{"important", JSON_TRUE, false, 0},
	{"document", JSON_STRING, false, PNYX_ID_MAX},
	{"revision", JSON_INTEGER, false, 0},
	{"subject", JSON_OBJECT, false, 0},
	{"deadline_ms", JSON_INTEGER, false, 0},
	{"title", JSON_OBJECT, false, 0},
	{"session", JSON_STRING, false, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec decision_only[] = {
	{"decision", JSON_STRING, true, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec join_fields[] = {
	{"decision", JSON_STRING, true, PNYX_ID_MAX},
	{"dissociate", JSON_ARRAY, false, DECISION_DISSOCIATE_MAX},
	{NULL, 0, false, 0},
};
static const field_spec object_fields[] = {
	{"decision", JSON_STRING, true, PNYX_ID_MAX},
	{"reason", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec break_fields[] = {
	{"decision", JSON_STRING, true, PNYX_ID_MAX},
	{"reason", JSON_OBJECT, true, 0},
	{NULL, 0, false, 0},
};
static const field_spec cast_fields[] = {
	{"decision", JSON_STRING, true, PNYX_ID_MAX},
	{"vote", JSON_STRING, true, 16},
	{NULL, 0, false, 0},
};
static const field_spec explain_fields[] = {
	{"decision", JSON_STRING, true, PNYX_ID_MAX},
	{"text", JSON_OBJECT, true, 0},
	{"when", JSON_STRING, true, 16},
	{NULL, 0, false, 0},
};

const action_spec engine_decision_actions[] = {
	{"decision.open", OFFICERS, open_fields, open_check, open_exec},
	{"decision.close", OFFICERS, decision_only, decision_close_check,
	 decision_close_exec},
	{"consensus.join", ACTOR_MEMBER, join_fields, decision_join_check,
	 decision_join_exec},
	{"consensus.object", ACTOR_MEMBER, object_fields, decision_object_check,
	 decision_object_exec},
	{"consensus.withdraw_objection", ACTOR_MEMBER, decision_only,
	 decision_withdraw_check, decision_withdraw_exec},
	{"vote.request", ACTOR_MEMBER, decision_only, decision_request_check,
	 decision_request_exec},
	{"silence.break", ACTOR_MEMBER, break_fields, decision_break_check,
	 decision_break_exec},
	{"vote.cast", ACTOR_MEMBER, cast_fields, decision_cast_check,
	 decision_cast_exec},
	{"position.explain", ACTOR_MEMBER, explain_fields, decision_explain_check,
	 decision_explain_exec},
	{NULL, 0, NULL, NULL, NULL},
};
