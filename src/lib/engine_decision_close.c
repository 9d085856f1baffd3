/*
 * Decisions: closing. The engine computes the tally and the outcome from
 * the record; nobody types an outcome in.
 *   consensus: adopted if no objection stands at the close;
 *   vote:      quorum (rules.quorum_percent of the active members voted yes,
 *              no or abstain), then yes > no, or for an important question
 *              3 * yes >= 2 * (yes + no), with at least one member present
 *              and voting;
 *   silence:   adopted at the deadline (settled by the first leaf at or after
 *              it), not adopted when a member breaks silence before it.
 * Only the positions of members active at the close count, and for a
 * decision taken in a session, of members registered for it; the quorum
 * of such a decision counts the registered members. An adopted
 * membership question is carried out at the close (engine_forum.c), an
 * adopted agenda in its session (engine_session.c).
 */
#include "engine_decision_internal.h"
#include "engine_session.h"

#include "pnyx/buf.h"

#include <string.h>

#define OUTCOME_TEXT_MAX 4096

/* What a close computes. */
typedef struct outcome {
	bool adopted;
	const char *code; /* outcome_code: a stable token */
	pnyx_buf text;    /* outcome: a sentence */
	json_t *tally;
} outcome;

/* Inserts the string code into the sorted array arr. NOMEM only. */
static pnyx_rule push_sorted(json_t *arr, const char *code)
{
	size_t i = 0;
	while (i < json_array_size(arr) &&
	       strcmp(json_string_value(json_array_get(arr, i)), code) < 0)
		i++;
	json_t *s = json_string(code);
	if (s == NULL || json_array_insert_new(arr, i, s) != 0)
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

/* True if the member's position counts: active at the close and, for a
 * decision taken in a session, registered for it. */
static bool counts(const pnyx_state *st, const json_t *d, const char *code)
{
	const char *session = decision_str(d, "session");
	return engine_member_is_active(st, code) &&
	       (session == NULL || engine_session_is_registered(st, session, code));
}

/* Appends "A, B, C" (the strings of arr) to b. */
static void put_list(pnyx_buf *b, const json_t *arr)
{
	size_t i;
	const json_t *s;
	json_array_foreach(arr, i, s)
		(void)pnyx_buf_printf(b, "%s%s", i > 0 ? ", " : "", json_string_value(s));
}

/* ---- consensus ---- */

/* Sorts the positions of active members into the tally's lists. */
static pnyx_rule count_consensus(const pnyx_state *st, const json_t *d,
				 json_t *tally)
{
	const char *code;
	const json_t *p;
	json_object_foreach(json_object_get(d, "positions"), code, p) {
		const char *pos = decision_str(p, "position");
		const json_t *dis = json_object_get(p, "dissociate");
		pnyx_rule r = PNYX_RULE_OK;
		if (!counts(st, d, code))
			r = push_sorted(json_object_get(tally, "not_counted"), code);
		else if (strcmp(pos, "joined") == 0) {
			r = push_sorted(json_object_get(tally, "joined"), code);
			if (r == PNYX_RULE_OK && dis != NULL)
				r = engine_set(json_object_get(tally, "reservations"), code,
					       json_deep_copy(dis));
		} else if (strcmp(pos, "objected") == 0)
			r = push_sorted(json_object_get(tally, "objected"), code);
		if (r != PNYX_RULE_OK)
			return r;
	}
	return PNYX_RULE_OK;
}

static pnyx_rule tally_consensus(const pnyx_state *st, const json_t *d, outcome *o)
{
	o->tally = json_pack("{s:[],s:[],s:{},s:[],s:I}", "joined", "objected",
			     "reservations", "not_counted", "active_members",
			     (json_int_t)engine_active_member_count(st));
	if (o->tally == NULL || count_consensus(st, d, o->tally) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	const json_t *objected = json_object_get(o->tally, "objected");
	const json_t *reservations = json_object_get(o->tally, "reservations");
	o->adopted = json_array_size(objected) == 0;
	o->code = o->adopted ? "consensus" : "objection";
	if (!o->adopted) {
		(void)pnyx_buf_puts(&o->text, json_array_size(objected) == 1
						       ? "objection by " : "objections by ");
		put_list(&o->text, objected);
		return PNYX_RULE_OK;
	}
	(void)pnyx_buf_puts(&o->text, "adopted by consensus");
	size_t i, n = 0;
	const json_t *code;
	json_array_foreach(json_object_get(o->tally, "joined"), i, code)
		if (json_object_get(reservations, json_string_value(code)) != NULL)
			(void)pnyx_buf_printf(&o->text, "%s%s",
					      n++ == 0 ? "; reservations by " : ", ",
					      json_string_value(code));
	return PNYX_RULE_OK;
}

/* ---- recorded vote ---- */

static pnyx_rule count_votes(const pnyx_state *st, const json_t *d, json_t *tally)
{
	const char *code;
	const json_t *p;
	json_object_foreach(json_object_get(d, "positions"), code, p) {
		const char *pos = decision_str(p, "position");
		pnyx_rule r = PNYX_RULE_OK;
		bool vote = strcmp(pos, "yes") == 0 || strcmp(pos, "no") == 0 ||
			    strcmp(pos, "abstain") == 0;
		if (!counts(st, d, code))
			r = push_sorted(json_object_get(tally, "not_counted"), code);
		else if (vote)
			r = push_sorted(json_object_get(tally, pos), code);
		if (r != PNYX_RULE_OK)
			return r;
	}
	return PNYX_RULE_OK;
}

/* Sets the figures and the outcome once the votes are counted. */
static pnyx_rule judge_votes(const pnyx_state *st, const json_t *d, outcome *o)
{
	size_t yes = json_array_size(json_object_get(o->tally, "yes"));
	size_t no = json_array_size(json_object_get(o->tally, "no"));
	size_t abst = json_array_size(json_object_get(o->tally, "abstain"));
	size_t active = engine_active_member_count(st);
	const char *session = decision_str(d, "session");
	size_t base = session != NULL ? engine_session_registered_count(st, session)
				      : active;
	size_t q = (size_t)json_integer_value(json_object_get(engine_rules(st), "quorum_percent"));
	size_t required = (q * base + 99) / 100;
	size_t pv = yes + no;
	bool important = json_is_true(json_object_get(d, "important"));
	const char *majority = important ? "two-thirds" : "simple";
	if (engine_set(o->tally, "active_members", json_integer((json_int_t)active)) ||
	    engine_set(o->tally, "quorum_percent", json_integer((json_int_t)q)) ||
	    engine_set(o->tally, "quorum_required", json_integer((json_int_t)required)) ||
	    engine_set(o->tally, "voting", json_integer((json_int_t)(pv + abst))) ||
	    engine_set(o->tally, "present_and_voting", json_integer((json_int_t)pv)) ||
	    engine_set(o->tally, "majority", json_string(majority)) ||
	    (session != NULL && engine_set(o->tally, "registered_members",
					   json_integer((json_int_t)base))))
		return PNYX_RULE_NOMEM;
	if (pv + abst < required) {
		o->code = "no-quorum";
		(void)pnyx_buf_printf(&o->text, "quorum not reached: %zu of %zu %s "
				      "members voted, %zu needed", pv + abst, base,
				      session != NULL ? "registered" : "active",
				      required);
		return PNYX_RULE_OK;
	}
	o->adopted = pv > 0 && (important ? 3 * yes >= 2 * pv : yes > no);
	o->code = o->adopted ? "majority" : "no-majority";
	(void)pnyx_buf_printf(&o->text, "%s by a recorded vote: %zu yes, %zu no, %zu "
			      "abstaining (%s majority of the members present "
			      "and voting)", o->adopted ? "adopted" : "not adopted",
			      yes, no, abst, majority);
	return PNYX_RULE_OK;
}

static pnyx_rule tally_vote(const pnyx_state *st, const json_t *d, outcome *o)
{
	o->tally = json_pack("{s:[],s:[],s:[],s:[]}", "yes", "no", "abstain",
			     "not_counted");
	if (o->tally == NULL || count_votes(st, d, o->tally) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return judge_votes(st, d, o);
}

/* ---- silence ---- */

static pnyx_rule tally_silence(const json_t *d, const char *broken_by, outcome *o)
{
	o->tally = json_pack("{s:O,s:s?}", "deadline_ms",
			     json_object_get(d, "deadline_ms"), "broken_by", broken_by);
	if (o->tally == NULL)
		return PNYX_RULE_NOMEM;
	o->adopted = broken_by == NULL;
	o->code = o->adopted ? "silence-passed" : "silence-broken";
	if (o->adopted)
		(void)pnyx_buf_puts(&o->text, "adopted under the silence procedure: "
				    "no member broke silence before the deadline");
	else
		(void)pnyx_buf_printf(&o->text, "silence broken by %s", broken_by);
	return PNYX_RULE_OK;
}

/* ---- recording the close ---- */

static pnyx_rule record(json_t *d, outcome *o, uint64_t t, uint64_t leaf,
			const char *by)
{
	if (o->text.err != PNYX_OK)
		return PNYX_RULE_NOMEM;
	json_t *tally = o->tally;
	o->tally = NULL;
	if (engine_set(d, "tally", tally) ||
	    engine_set(d, "status", json_string(o->adopted ? "adopted" : "not-adopted")) ||
	    engine_set(d, "outcome", json_string((const char *)o->text.data)) ||
	    engine_set(d, "outcome_code", json_string(o->code)) ||
	    engine_set(d, "closed_by", by != NULL ? json_string(by) : json_null()) ||
	    engine_set(d, "closed_ms", json_integer((json_int_t)t)) ||
	    engine_set(d, "closed_leaf", json_integer((json_int_t)leaf)))
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

/* Carries out an adopted membership question, if it still applies (another
 * decision may have settled the same question since it was opened). */
static pnyx_rule carry_out(pnyx_state *st, json_t *d, const char *id, uint64_t t,
			   pnyx_verdict *v)
{
	const json_t *subject = json_object_get(d, "subject");
	bool agenda = decision_str_is(subject, "kind", "agenda");
	if (decision_str_is(subject, "kind", "document"))
		return PNYX_RULE_OK;
	pnyx_verdict why = {.code = PNYX_RULE_OK};
	if ((agenda ? engine_session_check_agenda(st, subject, &why)
		    : engine_member_check_subject(st, subject, &why)) != PNYX_RULE_OK) {
		json_t *e = json_pack("{s:b,s:s}", "applied", 0, "reason", why.msg);
		return engine_set(d, "effect", e) == PNYX_RULE_OK
			       ? PNYX_RULE_OK
			       : engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	pnyx_rule r = agenda ? engine_session_adopt_agenda(st, subject, id, t, v)
			     : engine_member_apply_subject(st, subject, t, v);
	if (r != PNYX_RULE_OK)
		return r;
	json_t *e = json_pack("{s:b,s:I}", "applied", 1, "ms", (json_int_t)t);
	if (engine_set(d, "effect", e) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

pnyx_rule decision_close(pnyx_state *st, json_t *d, const char *id, uint64_t t,
			 uint64_t leaf, const char *by, pnyx_verdict *v)
{
	outcome o = {.adopted = false, .code = NULL, .tally = NULL};
	pnyx_buf_init(&o.text, OUTCOME_TEXT_MAX);
	pnyx_rule r;
	if (decision_str_is(d, "procedure", "consensus"))
		r = tally_consensus(st, d, &o);
	else if (decision_str_is(d, "procedure", "vote"))
		r = tally_vote(st, d, &o);
	else
		r = tally_silence(d, NULL, &o);
	if (r == PNYX_RULE_OK)
		r = record(d, &o, t, leaf, by);
	json_decref(o.tally);
	pnyx_buf_clear(&o.text);
	if (r != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return o.adopted ? carry_out(st, d, id, t, v) : PNYX_RULE_OK;
}

pnyx_rule decision_close_broken(json_t *d, const char *member, uint64_t t,
				uint64_t leaf, pnyx_verdict *v)
{
	outcome o = {.adopted = false, .code = NULL, .tally = NULL};
	pnyx_buf_init(&o.text, OUTCOME_TEXT_MAX);
	pnyx_rule r = tally_silence(d, member, &o);
	if (r == PNYX_RULE_OK)
		r = record(d, &o, t, leaf, member);
	json_decref(o.tally);
	pnyx_buf_clear(&o.text);
	if (r != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- decision.close ---- */

pnyx_rule decision_close_check(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	const json_t *d;
	pnyx_rule r = decision_find(st, c, &d, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (decision_str_is(d, "procedure", "silence"))
		return engine_fail(v, PNYX_RULE_WRONG_PROCEDURE,
				   "a silence procedure closes at its deadline, or "
				   "when a member breaks silence");
	return decision_need_open(d, c, v);
}

pnyx_rule decision_close_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	const char *id = engine_str(c, "decision");
	return decision_close(st, decision_get(st, id), id, c->time_ms, c->index,
			      c->a->actor, v);
}

/* ---- settle: silence procedures whose deadline came ---- */

bool engine_decision_deadline_live(const pnyx_state *st, const char *id,
				   uint64_t ms)
{
	const json_t *d = json_object_get(engine_section(st, "decisions"), id);
	return decision_str_is(d, "status", "open") &&
	       decision_str_is(d, "procedure", "silence") &&
	       (uint64_t)json_integer_value(json_object_get(d, "deadline_ms")) == ms;
}

pnyx_rule engine_decision_settle(pnyx_state *st, pnyx_verdict *v)
{
	json_t *decisions = engine_section(st, "decisions");
	for (size_t i = 0; i < st->due.ntaken; i++) {
		const engine_deadline *e = &st->due.taken[i];
		json_t *d;
		if (e->kind != ENGINE_DUE_DECISION ||
		    !engine_decision_deadline_live(st, e->id, e->ms))
			continue;
		if (engine_own(st, decisions, e->id, &d) != PNYX_RULE_OK)
			return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
		pnyx_rule r = decision_close(st, d, e->id, e->ms, pnyx_state_leaves(st),
					     NULL, v);
		if (r != PNYX_RULE_OK)
			return r;
	}
	return PNYX_RULE_OK;
}
