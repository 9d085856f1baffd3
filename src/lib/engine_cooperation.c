/*
 * Cooperation on the public log (docs/COOPERATION.md): the secretariat
 * opens the members-only cooperation log once (cooperation.open: its
 * verifier key and rules), and the cooperation log itself anchors its
 * checkpoints here (cooperation.anchor, signed by the log key as the actor
 * "cooperation" of kind "log"). docs/actions/cooperation.md describes the
 * actions and the state.
 *
 * Section "cooperation" (absent until cooperation.open):
 *   {"log_key", "rules", "opened_ms", "anchors": [{"size", "root", "time_ms"}]}
 */
#include "engine_internal.h"

#include "pnyx/base64.h"
#include "pnyx/key.h"

#include <string.h>

#define ACK_HOURS_MAX 8760
#define PING_HOURS_MAX 720
#define VKEY_MAX 600

static const char *const severities[] = {"low", "medium", "high", "critical"};
static const char *const groups[] = {"per_member", "data_requests", "pings"};

static bool hours_ok(const json_t *v, json_int_t max)
{
	return json_is_integer(v) && json_integer_value(v) >= 1 &&
	       json_integer_value(v) <= max;
}

static pnyx_rule check_ack_hours(const json_t *ack, pnyx_verdict *v)
{
	bool ok = json_is_object(ack) && json_object_size(ack) == 4;
	for (size_t i = 0; ok && i < 4; i++)
		ok = hours_ok(json_object_get(ack, severities[i]), ACK_HOURS_MAX);
	if (!ok)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "rules.ack_hours must give low, medium, high and "
				   "critical, each 1 to %d hours", ACK_HOURS_MAX);
	return PNYX_RULE_OK;
}

/* True if s is one of the figure groups and not already in arr[0..upto). */
static bool is_new_group(const json_t *arr, size_t upto, const char *s)
{
	bool known = false;
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
		known = known || strcmp(groups[g], s) == 0;
	for (size_t i = 0; known && i < upto; i++)
		known = strcmp(json_string_value(json_array_get(arr, i)), s) != 0;
	return known;
}

static pnyx_rule check_publish(const json_t *publish, pnyx_verdict *v)
{
	bool ok = json_is_array(publish);
	size_t i;
	const json_t *g;
	json_array_foreach(publish, i, g)
		ok = ok && json_is_string(g) && is_new_group(publish, i, json_string_value(g));
	if (!ok)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "rules.publish must list some of per_member, "
				   "data_requests and pings, each once");
	return PNYX_RULE_OK;
}

static pnyx_rule check_coop_rules(const json_t *rules, pnyx_verdict *v)
{
	const char *k;
	const json_t *x;
	json_object_foreach((json_t *)rules, k, x)
		if (strcmp(k, "ack_hours") != 0 && strcmp(k, "ping_window_hours") != 0 &&
		    strcmp(k, "publish") != 0)
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "the cooperation rules have no \"%.64s\"", k);
	pnyx_rule r = check_ack_hours(json_object_get(rules, "ack_hours"), v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!hours_ok(json_object_get(rules, "ping_window_hours"), PING_HOURS_MAX))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "rules.ping_window_hours must be 1 to %d",
				   PING_HOURS_MAX);
	return check_publish(json_object_get(rules, "publish"), v);
}

static pnyx_rule open_check(const pnyx_state *st, const engine_ctx *c,
			    pnyx_verdict *v)
{
	if (engine_section(st, "cooperation") != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS,
				   "cooperation is already open in this forum");
	if (json_object_get(engine_section(st, "actors"), "cooperation") != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS,
				   "the actor id \"cooperation\" is already taken");
	const char *key = engine_str(c, "log_key");
	pnyx_verifier ver;
	if (pnyx_verifier_parse((const uint8_t *)key, strlen(key), &ver, NULL) != PNYX_OK)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"log_key\" is not a verifier key");
	return check_coop_rules(engine_field(c, "rules"), v);
}

static pnyx_rule open_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *sec = json_pack("{s:s,s:O,s:I,s:[]}", "log_key",
				engine_str(c, "log_key"), "rules",
				engine_field(c, "rules"), "opened_ms",
				(json_int_t)c->time_ms, "anchors");
	if (engine_set(st->root, "cooperation", sec) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return engine_actor_create(st, "cooperation", "log", engine_str(c, "log_key"),
				   c->time_ms, v);
}

static pnyx_rule anchor_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	const char *root = engine_str(c, "root");
	json_int_t size = engine_int(c, "size", -1);
	pnyx_hash h;
	if (pnyx_base64_decode_hash((const uint8_t *)root, strlen(root), &h) != PNYX_OK)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"root\" must be the base64 of a 32-byte hash");
	if (size < 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"size\" must be a tree size (0 or more)");
	const json_t *anchors = json_object_get(engine_section(st, "cooperation"), "anchors");
	const json_t *last = json_array_get(anchors, json_array_size(anchors) - 1);
	if (last == NULL)
		return PNYX_RULE_OK;
	json_int_t last_size = json_integer_value(json_object_get(last, "size"));
	if (size < last_size)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "the cooperation log was already anchored at size %lld",
				   (long long)last_size);
	if (size == last_size &&
	    strcmp(json_string_value(json_object_get(last, "root")), root) != 0)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "the cooperation log was anchored at size %lld with "
				   "another root", (long long)size);
	return PNYX_RULE_OK;
}

static pnyx_rule anchor_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *anchors = json_object_get(engine_section(st, "cooperation"), "anchors");
	if (engine_push(anchors, json_pack("{s:I,s:s,s:I}", "size",
					   engine_int(c, "size", 0), "root",
					   engine_str(c, "root"), "time_ms",
					   (json_int_t)c->time_ms)) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

static const field_spec open_fields[] = {
	{"log_key", JSON_STRING, true, VKEY_MAX},
	{"rules", JSON_OBJECT, true, 0},
	{NULL, 0, false, 0},
};
static const field_spec anchor_fields[] = {
	{"size", JSON_INTEGER, true, 0},
	{"root", JSON_STRING, true, PNYX_HASH_B64_LEN},
	{NULL, 0, false, 0},
};

const action_spec engine_cooperation_actions[] = {
	{"cooperation.open", ACTOR_SECRETARIAT, open_fields, open_check, open_exec},
	{"cooperation.anchor", ACTOR_LOG, anchor_fields, anchor_check, anchor_exec},
	{NULL, 0, NULL, NULL, NULL},
};
