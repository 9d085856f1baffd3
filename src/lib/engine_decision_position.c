/*
 * Decisions: the members' positions. Under consensus a member joins (with
 * or without dissociating from named paragraphs of the revision, which the
 * record keeps as a reservation), lodges a formal objection or withdraws
 * it; it may ask for a recorded vote instead where the rules allow. Under
 * the silence procedure a member may break silence before the deadline.
 * Under a vote it votes yes, no or abstain, and may change its vote until
 * the close. Under any procedure a member may explain its position before
 * the decision (while it is open) or after it (once it is closed).
 * Each position is kept with the history of the member's changes.
 */
#include "engine_decision_internal.h"

#include <string.h>

/* The action's decision, under procedure and open at the action's time. */
static pnyx_rule open_under(const pnyx_state *st, const engine_ctx *c,
			    const char *procedure, const json_t **d,
			    pnyx_verdict *v)
{
	pnyx_rule r = decision_find(st, c, d, v);
	if (r == PNYX_RULE_OK)
		r = decision_need_procedure(*d, c, procedure, v);
	if (r == PNYX_RULE_OK)
		r = decision_need_open(*d, c, v);
	return r;
}

static bool position_is(const json_t *d, const char *member, const char *want)
{
	const char *p = decision_position_of(d, member);
	return p != NULL && strcmp(p, want) == 0;
}

/* A position entry {"position": position} with the action's field key
 * copied into it if present (NULL: out of memory). */
static json_t *entry_with(const engine_ctx *c, const char *position,
			  const char *key)
{
	json_t *e = json_pack("{s:s}", "position", position);
	json_t *x = key != NULL ? engine_field(c, key) : NULL;
	if (e != NULL && x != NULL && engine_set(e, key, json_deep_copy(x)) != PNYX_RULE_OK) {
		json_decref(e);
		return NULL;
	}
	return e;
}

/* ---- consensus.join ---- */

/* The paragraphs named exist in the decision's revision, once each. */
static pnyx_rule check_dissociation(const pnyx_state *st, const json_t *d,
				    const json_t *paras, pnyx_verdict *v)
{
	const json_t *subject = json_object_get(d, "subject");
	if (!decision_str_is(subject, "kind", "document"))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "only a decision on a document has paragraphs to "
				   "dissociate from");
	if (json_array_size(paras) == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"dissociate\" names at least one paragraph "
				   "(or leave it out)");
	const json_t *rev = engine_revision(st, decision_str(subject, "document"),
					    json_integer_value(json_object_get(subject, "revision")));
	size_t i, j;
	const json_t *p, *q;
	json_array_foreach(paras, i, p) {
		if (!json_is_string(p))
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "\"dissociate\" lists paragraph ids");
		json_array_foreach(paras, j, q)
			if (j < i && json_equal(p, q))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "paragraph %s is named twice",
						   decision_quote(json_string_value(p)));
		if (rev == NULL || !engine_revision_has_paragraph(rev, json_string_value(p)))
			return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
					   "the revision has no paragraph %s",
					   decision_quote(json_string_value(p)));
	}
	return PNYX_RULE_OK;
}

pnyx_rule decision_join_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = open_under(st, c, "consensus", &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	const char *me = c->a->actor;
	if (position_is(d, me, "objected"))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s objects to this decision: it must withdraw its "
				   "objection before joining", me);
	const json_t *paras = engine_field(c, "dissociate");
	if (paras != NULL && (r = check_dissociation(st, d, paras, v)) != PNYX_RULE_OK)
		return r;
	const json_t *now = json_object_get(json_object_get(d, "positions"), me);
	if (position_is(d, me, "joined") &&
	    (paras == NULL ? json_object_get(now, "dissociate") == NULL
			   : json_equal(json_object_get(now, "dissociate"), paras)))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s has already joined on these terms", me);
	return PNYX_RULE_OK;
}

pnyx_rule decision_join_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return decision_record_position(st, c, entry_with(c, "joined", "dissociate"), v);
}

/* ---- consensus.object, consensus.withdraw_objection ---- */

pnyx_rule decision_object_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = open_under(st, c, "consensus", &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (position_is(d, c->a->actor, "objected"))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s already objects to this decision", c->a->actor);
	if (engine_field(c, "reason") != NULL)
		return engine_check_texts(st, engine_field(c, "reason"), "reason",
					  DECISION_TEXT_MAX, v);
	return PNYX_RULE_OK;
}

pnyx_rule decision_object_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return decision_record_position(st, c, entry_with(c, "objected", "reason"), v);
}

pnyx_rule decision_withdraw_check(const pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = open_under(st, c, "consensus", &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!position_is(d, c->a->actor, "objected"))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s has no standing objection to withdraw",
				   c->a->actor);
	return PNYX_RULE_OK;
}

pnyx_rule decision_withdraw_exec(pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	return decision_record_position(st, c, entry_with(c, "objection-withdrawn", NULL),
					v);
}

/* ---- vote.request ---- */

pnyx_rule decision_request_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = decision_find(st, c, &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!json_is_true(json_object_get(engine_rules(st), "vote_on_request")) ||
	    !decision_rules_allow(st, "vote"))
		return engine_fail(v, PNYX_RULE_PROCEDURE_NOT_ALLOWED,
				   "the forum's rules do not allow a member to ask for "
				   "a recorded vote");
	return open_under(st, c, "consensus", &d, v);
}

pnyx_rule decision_request_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *d = decision_get(st, engine_str(c, "decision"));
	json_t *req = json_pack("{s:s,s:I,s:I}", "by", c->a->actor, "ms",
				(json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	if (engine_set(d, "vote_requested", req) != PNYX_RULE_OK ||
	    engine_set(d, "procedure", json_string("vote")) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- silence.break ---- */

pnyx_rule decision_break_check(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = decision_find(st, c, &d, v);
	if (r == PNYX_RULE_OK)
		r = decision_need_procedure(d, c, "silence", v);
	if (r != PNYX_RULE_OK)
		return r;
	json_int_t deadline = json_integer_value(json_object_get(d, "deadline_ms"));
	if (c->time_ms >= (uint64_t)deadline)
		return engine_fail(v, PNYX_RULE_DEADLINE_PASSED,
				   "the silence procedure ended at %lld: the decision "
				   "was adopted", (long long)deadline);
	if (!decision_str_is(d, "status", "open"))
		return engine_fail(v, PNYX_RULE_DECISION_CLOSED,
				   "silence was already broken on this decision");
	return engine_check_texts(st, engine_field(c, "reason"), "reason",
				  DECISION_TEXT_MAX, v);
}

pnyx_rule decision_break_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	pnyx_rule r = decision_record_position(st, c,
					       entry_with(c, "broke-silence", "reason"), v);
	if (r != PNYX_RULE_OK)
		return r;
	return decision_close_broken(decision_get(st, engine_str(c, "decision")),
				     c->a->actor, c->time_ms, c->index, v);
}

/* ---- vote.cast ---- */

pnyx_rule decision_cast_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = open_under(st, c, "vote", &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	const char *vote = engine_str(c, "vote");
	if (strcmp(vote, "yes") != 0 && strcmp(vote, "no") != 0 &&
	    strcmp(vote, "abstain") != 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"vote\" is yes, no or abstain");
	if (position_is(d, c->a->actor, vote))
		return engine_fail(v, PNYX_RULE_CONFLICT, "%s has already voted %s",
				   c->a->actor, vote);
	return PNYX_RULE_OK;
}

pnyx_rule decision_cast_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return decision_record_position(st, c, entry_with(c, engine_str(c, "vote"), NULL),
					v);
}

/* ---- position.explain ---- */

pnyx_rule decision_explain_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = decision_find(st, c, &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	const char *when = engine_str(c, "when");
	bool before = strcmp(when, "before") == 0;
	if (!before && strcmp(when, "after") != 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"when\" is before or after (the decision)");
	bool open = decision_is_open_at(d, c->time_ms);
	if (before && !open)
		return engine_fail(v, PNYX_RULE_DECISION_CLOSED,
				   "decision %s is closed: explain the position "
				   "\"after\" it", engine_str(c, "decision"));
	if (!before && open)
		return engine_fail(v, PNYX_RULE_TOO_EARLY,
				   "decision %s is still open: explain the position "
				   "\"before\" it", engine_str(c, "decision"));
	return engine_check_texts(st, engine_field(c, "text"), "text",
				  DECISION_TEXT_MAX, v);
}

pnyx_rule decision_explain_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *d = decision_get(st, engine_str(c, "decision"));
	json_t *e = json_pack("{s:s,s:s,s:O,s:I,s:I}", "member", c->a->actor, "when",
			      engine_str(c, "when"), "text", engine_field(c, "text"),
			      "ms", (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	if (engine_push(json_object_get(d, "explanations"), e) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}
