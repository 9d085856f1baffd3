/*
 * Ping rounds (docs/COOPERATION.md): the secretariat starts a round that
 * covers every contact of every member with a directory entry at that
 * time; each member acknowledges for its contacts; when the window
 * (rules.ping_window_hours) has closed, each member's result is answered,
 * partial, late or silent ("pending" while the window is open and some
 * contact has not answered).
 *
 * Section "pings":
 *   round -> {"started_ms", "closes_ms", "leaf",
 *             "contacts": {member -> [contact id]},
 *             "acks": {member -> {contact id -> ms}}}
 * The results are figures: figures.pings[round].results (coop_figures.c).
 */
#include "coop_internal.h"

#include <string.h>


/* The result of a member with total contacts, acked of them acknowledged,
 * in_window of those in time, at a time when the window is closed or not. */
static const char *result_of(size_t total, size_t acked, size_t in_window,
			     bool closed)
{
	if (acked == total)
		return in_window == total ? "answered" : "late";
	if (!closed)
		return "pending";
	return in_window > 0 ? "partial" : "silent";
}

pnyx_rule coop_ping_result(pnyx_coop *c, const char *round, json_t *r,
			   const char *member, uint64_t t)
{
	uint64_t closes = (uint64_t)json_integer_value(json_object_get(r, "closes_ms"));
	size_t total = json_array_size(json_object_get(json_object_get(r, "contacts"), member));
	json_t *acks = json_object_get(json_object_get(r, "acks"), member);
	size_t in_window = 0;
	const char *k;
	json_t *ms;
	json_object_foreach(acks, k, ms)
		in_window += (uint64_t)json_integer_value(ms) <= closes;
	const char *res = result_of(total, json_object_size(acks), in_window, t > closes);
	json_t *fig = json_object_get(json_object_get(coop_section(c, "figures"), "pings"),
				      round);
	return engine_set(json_object_get(fig, "results"), member, json_string(res));
}

static pnyx_rule start_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	const char *id = coop_str(ctx->a->body, "round");
	if (!pnyx_id_is_valid((const uint8_t *)id, strlen(id)))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"round\" must be an id (A-Z a-z 0-9 . _ - :)");
	if (json_object_get(coop_section(c, "pings"), id) != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS, "there is already a ping round %s",
				   id);
	return PNYX_RULE_OK;
}

/* The contact ids of every member with a directory entry. */
static json_t *all_contacts(const pnyx_coop *c)
{
	json_t *out = json_object();
	const char *m;
	json_t *e;
	json_object_foreach(coop_section(c, "directory"), m, e) {
		json_t *ids = json_array();
		size_t i;
		json_t *k;
		json_array_foreach(json_object_get(e, "contacts"), i, k)
			if (ids != NULL && json_array_append(ids, json_object_get(k, "id")) != 0) {
				json_decref(ids);
				ids = NULL;
			}
		if (out != NULL && engine_set(out, m, ids) != PNYX_RULE_OK) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

static pnyx_rule start_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	const char *id = coop_str(ctx->a->body, "round");
	uint64_t window = (uint64_t)json_integer_value(
		json_object_get(ctx->rules, "ping_window_hours"));
	json_int_t closes = (json_int_t)(ctx->time_ms + window * MS_PER_HOUR);
	json_t *round = json_pack("{s:I,s:I,s:I,s:o,s:{}}", "started_ms",
				  (json_int_t)ctx->time_ms, "closes_ms", closes, "leaf",
				  (json_int_t)ctx->index, "contacts", all_contacts(c), "acks");
	json_t *fig = json_pack("{s:I,s:I,s:{}}", "started_ms", (json_int_t)ctx->time_ms,
				"closes_ms", closes, "results");
	pnyx_rule r = engine_set(coop_section(c, "pings"), id, round);
	if (r == PNYX_RULE_OK)
		r = engine_set(json_object_get(coop_section(c, "figures"), "pings"), id, fig);
	else
		json_decref(fig);
	if (r == PNYX_RULE_OK)
		r = engine_push(c->open_rounds, json_string(id));
	if (r != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	const char *m;
	json_t *x;
	json_object_foreach(json_object_get(round, "contacts"), m, x)
		if (r == PNYX_RULE_OK)
			r = coop_ping_result(c, id, round, m, ctx->time_ms);
	return r == PNYX_RULE_OK ? r : engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
}

static pnyx_rule ack_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	const char *id = coop_str(ctx->a->body, "round");
	const char *contact = coop_str(ctx->a->body, "contact");
	const json_t *round = json_object_get(coop_section(c, "pings"), id);
	if (round == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no ping round %.64s",
				   id);
	const json_t *mine = json_object_get(json_object_get(round, "contacts"),
					     ctx->a->actor);
	bool found = false;
	size_t i;
	const json_t *k;
	json_array_foreach(mine, i, k)
		found = found || strcmp(json_string_value(k), contact) == 0;
	if (!found)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "%.64s was not a contact of %s when round %s started",
				   contact, ctx->a->actor, id);
	if (json_object_get(json_object_get(json_object_get(round, "acks"), ctx->a->actor),
			    contact) != NULL)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "contact %s already answered round %s", contact, id);
	return PNYX_RULE_OK;
}

static pnyx_rule ack_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	const char *id = coop_str(ctx->a->body, "round");
	json_t *round = json_object_get(coop_section(c, "pings"), id);
	json_t *acks = json_object_get(round, "acks");
	json_t *mine = json_object_get(acks, ctx->a->actor);
	pnyx_rule r = PNYX_RULE_OK;
	if (mine == NULL && (r = engine_set(acks, ctx->a->actor, json_object())) == PNYX_RULE_OK)
		mine = json_object_get(acks, ctx->a->actor);
	if (r == PNYX_RULE_OK)
		r = engine_set(mine, coop_str(ctx->a->body, "contact"),
			       json_integer((json_int_t)ctx->time_ms));
	if (r == PNYX_RULE_OK)
		r = coop_ping_result(c, id, round, ctx->a->actor, ctx->time_ms);
	return r == PNYX_RULE_OK ? r : engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
}

static const field_spec start_fields[] = {
	{"round", JSON_STRING, true, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec ack_fields[] = {
	{"round", JSON_STRING, true, PNYX_ID_MAX},
	{"contact", JSON_STRING, true, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};

const coop_spec coop_ping_actions[] = {
	{"ping.start", ACTOR_SECRETARIAT, start_fields, start_check, start_exec, true},
	{"ping.ack", ACTOR_MEMBER, ack_fields, ack_check, ack_exec, true},
	{NULL, 0, NULL, NULL, NULL, false},
};
