/*
 * The capacity-building board: members (and only members) post needs;
 * members and accredited stakeholders post offers and pledge them against
 * a need; the member in need accepts a pledge; either side records
 * progress and completion. docs/actions/board.md describes the actions.
 *
 * Section "board" (created by the first need or offer):
 *   {"needs":   id -> {by, area, title, description, languages, status
 *                      ("open", "in-progress", "completed"), pledges [ids],
 *                      ms, leaf},
 *    "offers":  id -> {by, as, area, title, description, languages,
 *                      pledges [ids], ms, leaf},
 *    "pledges": id -> {offer, need, by, to, status ("pledged", "accepted",
 *                      "completed"), note, ms, leaf, accepted_ms,
 *                      completed_ms, progress [{by, event ("accepted",
 *                      "progress", "completed"), note, ms, leaf}]}}
 * A need is "in-progress" while a pledge it accepted is not completed, and
 * "completed" once every pledge it accepted is (at least one).
 */
#include "engine_session.h"

#include <string.h>

#define BOARD_TITLE_MAX 300 /* bytes of a title, per language */
#define BOARD_TEXT_MAX 8000 /* bytes of a description or note, per language */

static const char *const areas[] = {
	"cert-maturity", "critical-infrastructure", "legislation",
	"diplomatic-training", "other",
};

/* The entry id of the board's part ("needs", "offers", "pledges"). */
static json_t *entry(const pnyx_state *st, const char *part, const char *id)
{
	return json_object_get(json_object_get(engine_section(st, "board"), part), id);
}

/* The board, created with its three parts if absent. NULL if memory is
 * short. */
static json_t *board(pnyx_state *st)
{
	json_t *b = engine_section(st, "board");
	if (b != NULL)
		return b;
	if (engine_set(st->root, "board",
		       json_pack("{s:{},s:{},s:{}}", "needs", "offers", "pledges")) !=
	    PNYX_RULE_OK)
		return NULL;
	return engine_section(st, "board");
}

static pnyx_rule find(const pnyx_state *st, const engine_ctx *c,
		      const char *field, const char *part, const json_t **out,
		      pnyx_verdict *v)
{
	const char *id = engine_str(c, field);
	*out = entry(st, part, id);
	if (*out == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no %s %s", field,
				   ses_quote(id));
	return PNYX_RULE_OK;
}

/* ---- need.post and offer.post ---- */

static bool is_area(const char *s)
{
	for (size_t i = 0; i < sizeof areas / sizeof *areas; i++)
		if (strcmp(s, areas[i]) == 0)
			return true;
	return false;
}

/* 1 to 6 languages of the forum, each once. */
static pnyx_rule check_languages(const pnyx_state *st, const json_t *langs,
				 pnyx_verdict *v)
{
	size_t i, j;
	const json_t *l;
	if (json_array_size(langs) == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"languages\" lists 1 to 6 languages of the forum");
	json_array_foreach(langs, i, l) {
		if (!json_is_string(l) || !engine_is_forum_language(st, json_string_value(l)))
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "\"languages\" lists languages of the forum");
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(langs, j), l))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "\"languages\" names a language twice");
	}
	return PNYX_RULE_OK;
}

static pnyx_rule post_check(const pnyx_state *st, const engine_ctx *c,
			    const char *part, pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	pnyx_rule r = ses_check_new_id(id, entry(st, part, id) != NULL,
				       strcmp(part, "needs") == 0 ? "need" : "offer", v);
	if (r == PNYX_RULE_OK)
		r = engine_check_accredited(st, c, v);
	if (r == PNYX_RULE_OK && !is_area(engine_str(c, "area")))
		r = engine_fail(v, PNYX_RULE_INVALID_FIELD,
				"\"area\" is cert-maturity, critical-infrastructure, "
				"legislation, diplomatic-training or other");
	if (r == PNYX_RULE_OK)
		r = check_languages(st, engine_field(c, "languages"), v);
	if (r == PNYX_RULE_OK)
		r = engine_check_texts(st, engine_field(c, "title"), "title",
				       BOARD_TITLE_MAX, v);
	if (r == PNYX_RULE_OK)
		r = engine_check_texts(st, engine_field(c, "description"),
				       "description", BOARD_TEXT_MAX, v);
	return r;
}

static pnyx_rule need_check(const pnyx_state *st, const engine_ctx *c,
			    pnyx_verdict *v)
{
	return post_check(st, c, "needs", v);
}

static pnyx_rule offer_check(const pnyx_state *st, const engine_ctx *c,
			     pnyx_verdict *v)
{
	return post_check(st, c, "offers", v);
}

static pnyx_rule post_exec(pnyx_state *st, const engine_ctx *c, const char *part,
			   pnyx_verdict *v)
{
	json_t *e = json_pack("{s:s,s:s,s:s,s:O,s:O,s:O,s:[],s:I,s:I}", "by",
			      c->a->actor, "as",
			      c->kind == ACTOR_MEMBER ? "member" : "stakeholder", "area",
			      engine_str(c, "area"), "title", engine_field(c, "title"),
			      "description", engine_field(c, "description"), "languages",
			      engine_field(c, "languages"), "pledges", "ms",
			      (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	json_t *b = board(st);
	if (e != NULL && strcmp(part, "needs") == 0 &&
	    (json_object_del(e, "as") != 0 ||
	     engine_set(e, "status", json_string("open")) != PNYX_RULE_OK)) {
		json_decref(e);
		e = NULL;
	}
	if (b == NULL || e == NULL) {
		json_decref(e);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_set(json_object_get(b, part), engine_str(c, "id"), e) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule need_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return post_exec(st, c, "needs", v);
}

static pnyx_rule offer_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return post_exec(st, c, "offers", v);
}

/* ---- pledge.make ---- */

/* True if a pledge of the offer to the need is pledged or accepted. */
static bool already_pledged(const pnyx_state *st, const json_t *offer,
			    const char *need)
{
	size_t i;
	const json_t *id;
	json_array_foreach(json_object_get(offer, "pledges"), i, id) {
		const json_t *p = entry(st, "pledges", json_string_value(id));
		if (ses_str_is(p, "need", need) && !ses_str_is(p, "status", "completed"))
			return true;
	}
	return false;
}

static pnyx_rule pledge_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	const json_t *offer, *need;
	const char *id = engine_str(c, "id");
	pnyx_rule r = ses_check_new_id(id, entry(st, "pledges", id) != NULL, "pledge", v);
	if (r == PNYX_RULE_OK)
		r = engine_check_accredited(st, c, v);
	if (r == PNYX_RULE_OK)
		r = find(st, c, "offer", "offers", &offer, v);
	if (r == PNYX_RULE_OK)
		r = find(st, c, "need", "needs", &need, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!ses_str_is(offer, "by", c->a->actor))
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "only the author of offer %s pledges it",
				   engine_str(c, "offer"));
	if (ses_str_is(need, "by", c->a->actor))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s cannot pledge against its own need", c->a->actor);
	if (ses_str_is(need, "status", "completed"))
		return engine_fail(v, PNYX_RULE_CONFLICT, "need %s is completed",
				   engine_str(c, "need"));
	if (already_pledged(st, offer, engine_str(c, "need")))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "offer %s is already pledged against need %s",
				   engine_str(c, "offer"), engine_str(c, "need"));
	if (engine_field(c, "note") != NULL)
		return engine_check_texts(st, engine_field(c, "note"), "note",
					  BOARD_TEXT_MAX, v);
	return PNYX_RULE_OK;
}

static pnyx_rule pledge_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	json_t *need = entry(st, "needs", engine_str(c, "need"));
	json_t *p = json_pack("{s:s,s:s,s:s,s:O,s:s,s:O?,s:I,s:I,s:n,s:n,s:[]}",
			      "offer", engine_str(c, "offer"), "need",
			      engine_str(c, "need"), "by", c->a->actor, "to",
			      json_object_get(need, "by"), "status", "pledged", "note",
			      engine_field(c, "note"), "ms", (json_int_t)c->time_ms,
			      "leaf", (json_int_t)c->index, "accepted_ms",
			      "completed_ms", "progress");
	if (engine_set(json_object_get(board(st), "pledges"), id, p) != PNYX_RULE_OK ||
	    engine_push(json_object_get(need, "pledges"), json_string(id)) !=
		    PNYX_RULE_OK ||
	    engine_push(json_object_get(entry(st, "offers", engine_str(c, "offer")),
					"pledges"),
			json_string(id)) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- pledge.accept, pledge.progress, pledge.complete ---- */

/* The pledge of the action, in status want; the actor is the member in
 * need (to_only) or either side. */
static pnyx_rule check_pledge(const pnyx_state *st, const engine_ctx *c,
			      const char *want, bool to_only, pnyx_verdict *v)
{
	const json_t *p;
	const char *id = engine_str(c, "pledge");
	pnyx_rule r = find(st, c, "pledge", "pledges", &p, v);
	if (r != PNYX_RULE_OK)
		return r;
	bool to = ses_str_is(p, "to", c->a->actor);
	if (to_only && !to)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "only %s, the member in need, accepts pledge %s",
				   ses_str(p, "to"), id);
	if (!to && !ses_str_is(p, "by", c->a->actor))
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "only %s and %s record the progress of pledge %s",
				   ses_str(p, "by"), ses_str(p, "to"), id);
	if (!ses_str_is(p, "status", want))
		return engine_fail(v, PNYX_RULE_CONFLICT, "pledge %s is %s, not %s", id,
				   ses_str(p, "status"), want);
	if (engine_field(c, "note") != NULL)
		return engine_check_texts(st, engine_field(c, "note"), "note",
					  BOARD_TEXT_MAX, v);
	return PNYX_RULE_OK;
}

/* The need's status from its pledges. */
static const char *need_status(const pnyx_state *st, const json_t *need)
{
	size_t i, accepted = 0, completed = 0;
	const json_t *id;
	json_array_foreach(json_object_get(need, "pledges"), i, id) {
		const json_t *p = entry(st, "pledges", json_string_value(id));
		accepted += ses_str_is(p, "status", "accepted");
		completed += ses_str_is(p, "status", "completed");
	}
	return accepted > 0 ? "in-progress" : completed > 0 ? "completed" : "open";
}

/* Appends {by, event, note (or null), ms, leaf} to the pledge's progress.
 * NOMEM only. */
static pnyx_rule push_step(json_t *pledge, const engine_ctx *c, const char *event)
{
	return engine_push(json_object_get(pledge, "progress"),
			   json_pack("{s:s,s:s,s:O?,s:I,s:I}", "by", c->a->actor,
				     "event", event, "note", engine_field(c, "note"),
				     "ms", (json_int_t)c->time_ms, "leaf",
				     (json_int_t)c->index));
}

/* Sets the pledge's status, stamps it, records the step in its progress,
 * and updates its need's status. */
static pnyx_rule advance(pnyx_state *st, const engine_ctx *c, const char *status,
			 const char *stamp_key, pnyx_verdict *v)
{
	json_t *p = entry(st, "pledges", engine_str(c, "pledge"));
	json_t *need = entry(st, "needs", ses_str(p, "need"));
	if (push_step(p, c, status) != PNYX_RULE_OK ||
	    engine_set(p, "status", json_string(status)) != PNYX_RULE_OK ||
	    (stamp_key != NULL &&
	     engine_set(p, stamp_key, json_integer((json_int_t)c->time_ms)) !=
		     PNYX_RULE_OK) ||
	    engine_set(need, "status", json_string(need_status(st, need))) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule accept_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	return check_pledge(st, c, "pledged", true, v);
}

static pnyx_rule accept_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return advance(st, c, "accepted", "accepted_ms", v);
}

static pnyx_rule progress_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	return check_pledge(st, c, "accepted", false, v);
}

static pnyx_rule progress_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	if (push_step(entry(st, "pledges", engine_str(c, "pledge")), c, "progress") !=
	    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule complete_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return advance(st, c, "completed", "completed_ms", v);
}

/* ---- the table ---- */

#define POSTERS (ACTOR_MEMBER | ACTOR_STAKEHOLDER)

static const field_spec post_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"area", JSON_STRING, true, 32},
	{"title", JSON_OBJECT, true, 0},
	{"description", JSON_OBJECT, true, 0},
	{"languages", JSON_ARRAY, true, 6},
	{NULL, 0, false, 0},
};
static const field_spec pledge_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"offer", JSON_STRING, true, PNYX_ID_MAX},
	{"need", JSON_STRING, true, PNYX_ID_MAX},
	{"note", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec step_fields[] = {
	{"pledge", JSON_STRING, true, PNYX_ID_MAX},
	{"note", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec progress_fields[] = {
	{"pledge", JSON_STRING, true, PNYX_ID_MAX},
	{"note", JSON_OBJECT, true, 0},
	{NULL, 0, false, 0},
};

const action_spec engine_board_actions[] = {
	{"need.post", ACTOR_MEMBER, post_fields, need_check, need_exec},
	{"offer.post", POSTERS, post_fields, offer_check, offer_exec},
	{"pledge.make", POSTERS, pledge_fields, pledge_check, pledge_exec},
	{"pledge.accept", ACTOR_MEMBER, step_fields, accept_check, accept_exec},
	{"pledge.progress", POSTERS, progress_fields, progress_check, progress_exec},
	{"pledge.complete", POSTERS, step_fields, progress_check, complete_exec},
	{NULL, 0, NULL, NULL, NULL},
};
