/*
 * The figures of the cooperation log (docs/COOPERATION.md, "What the engine
 * derives"), kept incrementally: each accepted action changes the counters
 * it touches, and coop_figures_tick advances them to the leaf's time
 * (requests whose acknowledgement deadline passed, ping rounds whose window
 * closed) in time proportional to what changed.
 *
 * Section "figures":
 *   "per_member":    member -> {"sent", "received", "acknowledged",
 *                    "median_ack_ms", "late_acks", "overdue"}
 *   "data_requests": from -> to -> {"made", "granted", "refused",
 *                    "refusals": {grounds -> n}}
 *   "pings":         round -> {"started_ms", "closes_ms", "results"}
 *                    (coop_ping.c fills the results)
 *
 * Caches beside the state: for each member the sorted times its first
 * responses took (the median), the deadlines of requests not yet
 * acknowledged, the rounds whose window is open.
 */
#include "coop_internal.h"

#include "pnyx/mem.h"

#include <string.h>

static json_t *figures(const pnyx_coop *c, const char *group)
{
	return json_object_get(coop_section(c, "figures"), group);
}

/* obj[key] += delta (an integer member, created at 0). NOMEM only. */
static pnyx_rule add(json_t *obj, const char *key, json_int_t delta)
{
	json_int_t n = json_integer_value(json_object_get(obj, key));
	return engine_set(obj, key, json_integer(n + delta));
}

/* obj[key], created as a new empty object if absent; NULL on NOMEM. */
static json_t *child(json_t *obj, const char *key)
{
	json_t *x = json_object_get(obj, key);
	if (x == NULL && obj != NULL && engine_set(obj, key, json_object()) == PNYX_RULE_OK)
		x = json_object_get(obj, key);
	return x;
}

json_t *coop_member_figures(pnyx_coop *c, const char *member)
{
	json_t *all = figures(c, "per_member");
	json_t *m = json_object_get(all, member);
	if (m != NULL)
		return m;
	m = json_pack("{s:i,s:i,s:i,s:n,s:i,s:i}", "sent", 0, "received", 0,
		      "acknowledged", 0, "median_ack_ms", "late_acks", 0, "overdue", 0);
	return engine_set(all, member, m) == PNYX_RULE_OK ? m : NULL;
}

/* ---- deadlines ---- */

static int due_cmp(const coop_due *a, uint64_t ms, const char *id)
{
	if (a->ms != ms)
		return a->ms < ms ? -1 : 1;
	return strcmp(a->id, id);
}

static pnyx_rule due_add(pnyx_coop *c, uint64_t ms, const char *id)
{
	if (c->ndue == c->capdue) {
		size_t cap = c->capdue ? c->capdue * 2 : 64;
		coop_due *d = pnyx_realloc(c->due, cap * sizeof *d);
		if (d == NULL)
			return PNYX_RULE_NOMEM;
		c->due = d;
		c->capdue = cap;
	}
	size_t lo = 0, hi = c->ndue;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (due_cmp(&c->due[mid], ms, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&c->due[lo + 1], &c->due[lo], (c->ndue - lo) * sizeof *c->due);
	c->due[lo] = (coop_due){.ms = ms};
	memcpy(c->due[lo].id, id, strlen(id) + 1);
	c->ndue++;
	return PNYX_RULE_OK;
}

pnyx_rule coop_figures_sent(pnyx_coop *c, const json_t *req, const char *id)
{
	const char *from = coop_str(req, "from"), *to = coop_str(req, "to");
	json_t *f = coop_member_figures(c, from), *t = coop_member_figures(c, to);
	if (f == NULL || t == NULL || add(f, "sent", 1) != PNYX_RULE_OK ||
	    add(t, "received", 1) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (strcmp(coop_str(req, "kind"), "data") == 0) {
		json_t *pair = child(child(figures(c, "data_requests"), from), to);
		if (pair == NULL || add(pair, "made", 1) != PNYX_RULE_OK ||
		    add(pair, "granted", 0) != PNYX_RULE_OK ||
		    add(pair, "refused", 0) != PNYX_RULE_OK || child(pair, "refusals") == NULL)
			return PNYX_RULE_NOMEM;
	}
	return due_add(c, (uint64_t)json_integer_value(json_object_get(req, "deadline_ms")),
		       id);
}

/* ---- acknowledgements ---- */

/* Inserts ms into the sorted array and returns the median (NULL: NOMEM). */
static json_t *insert_median(json_t *arr, json_int_t ms)
{
	size_t lo = 0, hi = json_array_size(arr);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (json_integer_value(json_array_get(arr, mid)) < ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (json_array_insert_new(arr, lo, json_integer(ms)) != 0)
		return NULL;
	size_t n = json_array_size(arr);
	json_int_t m = json_integer_value(json_array_get(arr, n / 2));
	if (n % 2 == 0)
		m = (json_integer_value(json_array_get(arr, n / 2 - 1)) + m) / 2;
	return json_integer(m);
}

pnyx_rule coop_figures_responded(pnyx_coop *c, json_t *req, uint64_t t)
{
	const char *to = coop_str(req, "to");
	uint64_t sent = (uint64_t)json_integer_value(json_object_get(req, "sent_ms"));
	uint64_t deadline = (uint64_t)json_integer_value(json_object_get(req, "deadline_ms"));
	bool late = t > deadline;
	json_t *f = coop_member_figures(c, to);
	json_t *times = json_object_get(c->ack_ms, to);
	if (times == NULL && engine_set(c->ack_ms, to, json_array()) == PNYX_RULE_OK)
		times = json_object_get(c->ack_ms, to);
	if (f == NULL || times == NULL ||
	    engine_set(req, "acknowledged_ms", json_integer((json_int_t)t)) != PNYX_RULE_OK ||
	    engine_set(req, "late", json_boolean(late)) != PNYX_RULE_OK ||
	    add(f, "acknowledged", 1) != PNYX_RULE_OK ||
	    add(f, "late_acks", late ? 1 : 0) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return engine_set(f, "median_ack_ms", insert_median(times, (json_int_t)(t - sent)));
}

pnyx_rule coop_figures_unsent(pnyx_coop *c, json_t *req)
{
	if (!json_is_true(json_object_get(req, "overdue")))
		return PNYX_RULE_OK;
	json_t *f = coop_member_figures(c, coop_str(req, "to"));
	if (f == NULL || add(f, "overdue", -1) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return engine_set(req, "overdue", json_false());
}

pnyx_rule coop_figures_data(pnyx_coop *c, const json_t *req, const char *grounds)
{
	json_t *pair = child(child(figures(c, "data_requests"), coop_str(req, "from")),
			     coop_str(req, "to"));
	if (pair == NULL)
		return PNYX_RULE_NOMEM;
	if (grounds == NULL)
		return add(pair, "granted", 1);
	if (add(pair, "refused", 1) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return add(child(pair, "refusals"), grounds, 1);
}

/* ---- time ---- */

/* Requests whose deadline is before t and still unacknowledged become
 * overdue. */
static pnyx_rule tick_requests(pnyx_coop *c, uint64_t t)
{
	size_t k = 0;
	pnyx_rule r = PNYX_RULE_OK;
	for (; k < c->ndue && c->due[k].ms < t && r == PNYX_RULE_OK; k++) {
		json_t *req = json_object_get(coop_section(c, "requests"), c->due[k].id);
		if (req == NULL || strcmp(coop_str(req, "status"), "sent") != 0 ||
		    json_is_true(json_object_get(req, "overdue")))
			continue;
		json_t *f = coop_member_figures(c, coop_str(req, "to"));
		r = f == NULL ? PNYX_RULE_NOMEM : add(f, "overdue", 1);
		if (r == PNYX_RULE_OK)
			r = engine_set(req, "overdue", json_true());
	}
	if (k > 0)
		memmove(c->due, c->due + k, (c->ndue - k) * sizeof *c->due);
	c->ndue -= k;
	return r;
}

/* Rounds whose window closed before t: every member's final result. */
static pnyx_rule tick_rounds(pnyx_coop *c, uint64_t t)
{
	size_t i = 0;
	while (i < json_array_size(c->open_rounds)) {
		const char *id = json_string_value(json_array_get(c->open_rounds, i));
		json_t *round = json_object_get(coop_section(c, "pings"), id);
		if ((uint64_t)json_integer_value(json_object_get(round, "closes_ms")) >= t) {
			i++;
			continue;
		}
		const char *m;
		json_t *x;
		json_object_foreach(json_object_get(round, "contacts"), m, x)
			if (coop_ping_result(c, id, round, m, t) != PNYX_RULE_OK)
				return PNYX_RULE_NOMEM;
		if (json_array_remove(c->open_rounds, i) != 0)
			return PNYX_RULE_NOMEM;
	}
	return PNYX_RULE_OK;
}

pnyx_rule coop_figures_tick(pnyx_coop *c, uint64_t t)
{
	pnyx_rule r = tick_requests(c, t);
	return r == PNYX_RULE_OK ? tick_rounds(c, t) : r;
}

void coop_figures_clear(pnyx_coop *c)
{
	json_decref(c->ack_ms);
	json_decref(c->open_rounds);
	pnyx_free(c->due);
	c->ack_ms = c->open_rounds = NULL;
	c->due = NULL;
	c->ndue = c->capdue = 0;
}
