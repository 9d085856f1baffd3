/* The read API: sessions with their agenda and the statements under each
 * item, who registered, the stakeholder segments; statements listed in
 * the order they were delivered, per session, per agenda item and per
 * speaker (docs/API.md). The names of speakers come in ?lang=. */
#include "read_api.h"
#include "read_common.h"

#include "pnyx/action.h"
#include "pnyx/country.h"
#include "pnyx/json.h"
#include "pnyx/mem.h"

#include <stdlib.h>
#include <string.h>

/* The name of a statement's speaker in lang: a member's short name (null
 * if the server has no names), a stakeholder's own name. */
static json_t *speaker_name(const struct read_ctx *c,
			    const pnyx_country_set *set, const json_t *st,
			    const char *lang)
{
	const char *by = json_string_value(json_object_get(st, "by"));
	const char *as = json_string_value(json_object_get(st, "as"));
	const char *name = NULL;
	if (as != NULL && strcmp(as, "stakeholder") == 0)
		name = json_string_value(json_object_get(
			json_object_get(json_object_get(read_section(c, "stakeholders"),
							"applications"), by), "name"));
	else if (set != NULL)
		name = pnyx_country_lookup(set, by, lang, PNYX_COUNTRY_SHORT, NULL);
	return name != NULL ? json_string(name) : json_null();
}

/* A statement for an answer: its record with "id" and the speaker's
 * "name". NULL if memory is short. */
static json_t *statement_item(const struct read_ctx *c,
			      const pnyx_country_set *set, const char *id,
			      const json_t *st, const char *lang)
{
	json_t *it = read_copy_with(st, "id", id);
	if (it != NULL &&
	    json_object_set_new(it, "name", speaker_name(c, set, st, lang)) != 0) {
		json_decref(it);
		return NULL;
	}
	return it;
}

/* ---- GET /v1/sessions ---- */

/* An agenda item for the list: "statements_count" instead of the ids. */
static json_t *item_summary(const json_t *item)
{
	json_t *x = read_copy(item);
	size_t n = json_array_size(json_object_get(item, "statements"));
	if (x == NULL || json_object_del(x, "statements") != 0 ||
	    !read_set(x, "statements_count", json_integer((json_int_t)n))) {
		json_decref(x);
		return NULL;
	}
	return x;
}

/* The agenda item in full: its statements, in the order delivered. */
static json_t *item_full(const struct read_ctx *c, const pnyx_country_set *set,
			 const json_t *item, const char *lang)
{
	const json_t *all = read_section(c, "statements");
	json_t *list = json_array();
	size_t i;
	const json_t *id;
	json_array_foreach(json_object_get(item, "statements"), i, id) {
		const char *sid = json_string_value(id);
		if (list != NULL &&
		    json_array_append_new(list, statement_item(c, set, sid,
							       json_object_get(all, sid),
							       lang)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	json_t *x = list != NULL ? read_copy(item) : NULL;
	if (x == NULL || !read_set(x, "statements", list)) {
		json_decref(x);
		json_decref(list);
		return NULL;
	}
	return x;
}

/* The session's agenda with each item made by item_summary (set NULL) or
 * item_full. */
static json_t *agenda_of(const struct read_ctx *c, const pnyx_country_set *set,
			 const json_t *agenda, const char *lang, bool full)
{
	json_t *items = json_array();
	size_t i;
	const json_t *it;
	json_array_foreach(json_object_get(agenda, "items"), i, it) {
		json_t *x = full ? item_full(c, set, it, lang) : item_summary(it);
		if (items != NULL && json_array_append_new(items, x) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	json_t *ag = items != NULL ? read_copy(agenda) : NULL;
	if (ag == NULL || !read_set(ag, "items", items)) {
		json_decref(ag);
		json_decref(items);
		return NULL;
	}
	return ag;
}

/* A list item: the session with, per agenda item, how many statements
 * (not the statements), and how many members registered. */
static json_t *session_summary(const char *id, const json_t *s, void *arg)
{
	const struct read_ctx *c = arg;
	size_t np = json_object_size(json_object_get(s, "participants"));
	json_t *out = read_copy_with(s, "id", id);
	if (out == NULL ||
	    !read_set(out, "agenda", agenda_of(c, NULL, json_object_get(s, "agenda"), NULL,
					  false)) ||
	    json_object_del(out, "participants") != 0 ||
	    !read_set(out, "participants_count", json_integer((json_int_t)np))) {
		json_decref(out);
		return NULL;
	}
	return out;
}

void srv_h_sessions(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !read_begin(&c, req, resp))
		return;
	read_list(&c, read_section(&c, "sessions"), &pg, NULL, session_summary, &c);
	read_end(&c);
}

/* ---- GET /v1/sessions/{id} ---- */

/* The participants, by code, each {code, name, registered_ms}. */
static json_t *participants(const pnyx_country_set *set, const json_t *p,
			    const char *lang)
{
	size_t n = 0;
	const char **codes = json_object_size(p) > 0 ? pnyx_json_sorted_keys(p, &n)
						      : NULL;
	json_t *list = json_object_size(p) == 0 || codes != NULL ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++) {
		const char *name = set != NULL ? pnyx_country_lookup(set, codes[i], lang,
								     PNYX_COUNTRY_SHORT, NULL)
					       : NULL;
		json_t *it = json_pack("{s:s,s:o,s:O}", "code", codes[i], "name",
				       name != NULL ? json_string(name) : json_null(),
				       "registered_ms",
				       json_object_get(json_object_get(p, codes[i]),
						       "registered_ms"));
		if (json_array_append_new(list, it) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	pnyx_free(codes);
	return list;
}

/* The session in full: agenda items with their statements, participants
 * with their names. */
static json_t *session_full(const struct read_ctx *c, const pnyx_country_set *set,
			    const char *id, const json_t *s, const char *lang)
{
	json_t *out = read_copy_with(s, "id", id);
	if (out == NULL ||
	    !read_set(out, "agenda", agenda_of(c, set, json_object_get(s, "agenda"), lang,
					  true)) ||
	    !read_set(out, "participants",
		 participants(set, json_object_get(s, "participants"), lang))) {
		json_decref(out);
		return NULL;
	}
	return out;
}

void srv_h_session(const struct srv_request *req, struct srv_response *resp)
{
	const char *lang;
	struct read_ctx c;
	if (!read_lang(req, resp, &lang) || !read_begin(&c, req, resp))
		return;
	const json_t *s = json_object_get(read_section(&c, "sessions"), req->args[0]);
	if (s == NULL) {
		read_fail(&c, "not-found", "no session of this forum has this id");
	} else {
		read_put(&c, "lang", json_string(lang));
		read_put(&c, "session",
			 session_full(&c, req->app->countries, req->args[0], s, lang));
	}
	read_end(&c);
}

/* ---- GET /v1/statements ---- */

struct stmt_ref {
	const char *id;
	json_int_t leaf;
};

static int by_leaf(const void *a, const void *b)
{
	json_int_t x = ((const struct stmt_ref *)a)->leaf;
	json_int_t y = ((const struct stmt_ref *)b)->leaf;
	return (x > y) - (x < y);
}

/* The filters of the list: each NULL when not given. */
struct stmt_filter {
	const char *by, *session, *item;
};

static bool matches(const json_t *st, const struct stmt_filter *f)
{
	const char *keys[] = {"by", "session", "item"};
	const char *want[] = {f->by, f->session, f->item};
	for (size_t i = 0; i < 3; i++) {
		const char *v = json_string_value(json_object_get(st, keys[i]));
		if (want[i] != NULL && (v == NULL || strcmp(v, want[i]) != 0))
			return false;
	}
	return true;
}

/* The statements that match, sorted by leaf; *n their number. NULL with
 * *n = 0 when there are none; NULL with *n = SIZE_MAX when memory is short. */
static struct stmt_ref *collect(const json_t *all, const struct stmt_filter *f,
				size_t *n)
{
	*n = 0;
	size_t cap = json_object_size(all);
	struct stmt_ref *refs = cap > 0 ? pnyx_malloc(cap * sizeof *refs) : NULL;
	if (cap > 0 && refs == NULL) {
		*n = SIZE_MAX;
		return NULL;
	}
	const char *id;
	const json_t *st;
	json_object_foreach((json_t *)all, id, st)
		if (matches(st, f))
			refs[(*n)++] = (struct stmt_ref){
				id, json_integer_value(json_object_get(st, "leaf"))};
	if (*n > 0)
		qsort(refs, *n, sizeof *refs, by_leaf);
	return refs;
}

/* Puts "items" and "next": up to pg->limit statements after the cursor. */
static void put_statements(struct read_ctx *c, const pnyx_country_set *set,
			   const struct read_page *pg, const struct stmt_filter *f,
			   const char *lang)
{
	const json_t *all = read_section(c, "statements");
	size_t n, start = 0;
	struct stmt_ref *refs = collect(all, f, &n);
	if (n == SIZE_MAX) {
		read_fail(c, "out-of-memory", "out of memory");
		return;
	}
	if (pg->after != NULL) {
		const json_t *a = json_object_get(all, pg->after);
		json_int_t leaf = json_integer_value(json_object_get(a, "leaf"));
		while (a != NULL && start < n && refs[start].leaf <= leaf)
			start++;
		start = a != NULL ? start : n;
	}
	json_t *items = json_array();
	size_t end = start;
	for (; items != NULL && end < n && end - start < pg->limit; end++) {
		json_t *it = statement_item(c, set, refs[end].id,
					    json_object_get(all, refs[end].id), lang);
		if (it == NULL || json_array_append_new(items, it) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	read_put(c, "items", items);
	read_put(c, "next", end < n && end > start ? json_string(refs[end - 1].id)
						    : json_null());
	pnyx_free(refs);
}

/* A filter value: NULL or an id. False after answering 400. */
static bool id_param(const struct srv_request *req, struct srv_response *resp,
		     const char *name, const char **out)
{
	*out = read_query(req, name);
	if (*out == NULL || pnyx_id_is_valid((const uint8_t *)*out, strlen(*out)))
		return true;
	srv_problem(resp, "bad-parameter", "%s must be an id", name);
	return false;
}

void srv_h_statements(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	struct stmt_filter f;
	const char *lang;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !read_lang(req, resp, &lang) ||
	    !id_param(req, resp, "by", &f.by) ||
	    !id_param(req, resp, "session", &f.session) ||
	    !id_param(req, resp, "item", &f.item) || !read_begin(&c, req, resp))
		return;
	read_put(&c, "lang", json_string(lang));
	put_statements(&c, req->app->countries, &pg, &f, lang);
	read_end(&c);
}

void srv_h_statement(const struct srv_request *req, struct srv_response *resp)
{
	const char *lang;
	struct read_ctx c;
	if (!read_lang(req, resp, &lang) || !read_begin(&c, req, resp))
		return;
	const json_t *st = json_object_get(read_section(&c, "statements"), req->args[0]);
	if (st == NULL) {
		read_fail(&c, "not-found", "no statement of this forum has this id");
	} else {
		read_put(&c, "lang", json_string(lang));
		read_put(&c, "statement", statement_item(&c, req->app->countries,
							 req->args[0], st, lang));
	}
	read_end(&c);
}
