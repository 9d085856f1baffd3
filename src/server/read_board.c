/* The read API: the capacity-building board (docs/API.md). Needs with
 * their pledges, status and suggested offers (same area, a common
 * language), listed by area and status; offers; per actor, what it asked
 * for, offered, gave and received. */
#include "read_api.h"
#include "read_common.h"

#include "pnyx/json.h"
#include "pnyx/mem.h"

#include <stdint.h>
#include <string.h>

#define AREA_MAX 32

/* The board's part ("needs", "offers", "pledges"), or NULL. */
static const json_t *part(const struct read_ctx *c, const char *name)
{
	const json_t *p = json_object_get(read_section(c, "board"), name);
	return json_is_object(p) ? p : NULL;
}

static bool str_is(const json_t *obj, const char *key, const char *want)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s != NULL && strcmp(s, want) == 0;
}

/* The pledges named by the array ids, each with its "id". */
static json_t *pledges_of(const struct read_ctx *c, const json_t *ids)
{
	const json_t *all = part(c, "pledges");
	json_t *list = json_array();
	size_t i;
	const json_t *id;
	json_array_foreach(ids, i, id) {
		const char *pid = json_string_value(id);
		if (list != NULL &&
		    json_array_append_new(list, read_copy_with(json_object_get(all, pid),
							       "id", pid)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

/* True if the two arrays of language tags share one. */
static bool share_language(const json_t *a, const json_t *b)
{
	size_t i, j;
	const json_t *x, *y;
	json_array_foreach(a, i, x)
		json_array_foreach(b, j, y)
			if (json_equal(x, y))
				return true;
	return false;
}

/* True if the offer is already pledged against the need. */
static bool pledged_to(const struct read_ctx *c, const json_t *offer,
		       const char *need)
{
	size_t i;
	const json_t *id;
	json_array_foreach(json_object_get(offer, "pledges"), i, id)
		if (str_is(json_object_get(part(c, "pledges"), json_string_value(id)),
			   "need", need))
			return true;
	return false;
}

/* The ids of the offers, sorted (keys[n]), taken once per request: NULL
 * with *n = 0 when there are none; NULL with *n = SIZE_MAX when memory is
 * short. Free with pnyx_free. */
static const char **offer_ids(const struct read_ctx *c, size_t *n)
{
	const json_t *offers = part(c, "offers");
	*n = 0;
	if (json_object_size(offers) == 0)
		return NULL;
	const char **keys = pnyx_json_sorted_keys(offers, n);
	if (keys == NULL)
		*n = SIZE_MAX;
	return keys;
}

/* Offers that could meet the need: same area, a language in common, by
 * another actor, not yet pledged against it. Ids, in id order (keys, n:
 * offer_ids). */
static json_t *suggestions(const struct read_ctx *c, const char **keys, size_t n,
			   const char *id, const json_t *need)
{
	json_t *list = json_array();
	const json_t *offers = part(c, "offers");
	for (size_t i = 0; list != NULL && i < n; i++) {
		const json_t *o = json_object_get(offers, keys[i]);
		if (!json_equal(json_object_get(o, "area"), json_object_get(need, "area")) ||
		    json_equal(json_object_get(o, "by"), json_object_get(need, "by")) ||
		    !share_language(json_object_get(o, "languages"),
				    json_object_get(need, "languages")) ||
		    pledged_to(c, o, id))
			continue;
		if (json_array_append_new(list, json_string(keys[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

/* ---- GET /v1/board ---- */

struct need_filter {
	const char *area;   /* NULL: every area */
	const char *status; /* NULL: every status */
	const struct read_ctx *c;
	const char **offers; /* offer_ids, for the needs' suggestions */
	size_t n_offers;
};

static bool keep_need(const json_t *need, void *arg)
{
	const struct need_filter *f = arg;
	return (f->area == NULL || str_is(need, "area", f->area)) &&
	       (f->status == NULL || str_is(need, "status", f->status));
}

/* A need with its pledges in full, and suggested offers unless it is
 * completed. */
static json_t *need_item(const char *id, const json_t *need, void *arg)
{
	const struct need_filter *f = arg;
	json_t *it = read_copy_with(need, "id", id);
	if (it == NULL || !read_set(it, "pledges", pledges_of(f->c, json_object_get(need, "pledges"))) ||
	    (!str_is(need, "status", "completed") &&
	     !read_set(it, "suggestions",
		  suggestions(f->c, f->offers, f->n_offers, id, need)))) {
		json_decref(it);
		return NULL;
	}
	return it;
}

/* ?area and ?status: absent, or a word of at most AREA_MAX bytes from
 * a-z and '-'. False after answering 400. */
static bool word_param(const struct srv_request *req, struct srv_response *resp,
		       const char *name, const char **out)
{
	*out = read_query(req, name);
	if (*out == NULL)
		return true;
	size_t n = strlen(*out);
	bool ok = n > 0 && n <= AREA_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = ((*out)[i] >= 'a' && (*out)[i] <= 'z') || (*out)[i] == '-';
	if (!ok)
		srv_problem(resp, "bad-parameter", "%s must be one of the words the "
			    "board uses (docs/actions/board.md)", name);
	return ok;
}

void srv_h_board(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	struct need_filter f;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !word_param(req, resp, "area", &f.area) ||
	    !word_param(req, resp, "status", &f.status) || !read_begin(&c, req, resp))
		return;
	f.c = &c;
	f.offers = offer_ids(&c, &f.n_offers);
	if (f.n_offers == SIZE_MAX)
		read_fail(&c, "out-of-memory", "cannot build the response");
	else
		read_list(&c, part(&c, "needs"), &pg, keep_need, need_item, &f);
	pnyx_free(f.offers);
	read_end(&c);
}

/* ---- GET /v1/board/offers ---- */

static json_t *offer_item(const char *id, const json_t *offer, void *arg)
{
	const struct need_filter *f = arg;
	json_t *it = read_copy_with(offer, "id", id);
	if (it == NULL ||
	    !read_set(it, "pledges", pledges_of(f->c, json_object_get(offer, "pledges")))) {
		json_decref(it);
		return NULL;
	}
	return it;
}

void srv_h_board_offers(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	struct need_filter f = {.status = NULL};
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !word_param(req, resp, "area", &f.area) ||
	    !read_begin(&c, req, resp))
		return;
	f.c = &c;
	read_list(&c, part(&c, "offers"), &pg, keep_need, offer_item, &f);
	read_end(&c);
}

/* ---- GET /v1/board/actors/{id} ---- */

/* The entries of a board part whose key equals actor, each with its id,
 * in id order. */
static json_t *entries_of(const json_t *obj, const char *key, const char *actor)
{
	size_t n = 0;
	const char **ids = json_object_size(obj) > 0 ? pnyx_json_sorted_keys(obj, &n)
						     : NULL;
	json_t *list = json_object_size(obj) == 0 || ids != NULL ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++) {
		const json_t *e = json_object_get(obj, ids[i]);
		if (str_is(e, key, actor) &&
		    json_array_append_new(list, read_copy_with(e, "id", ids[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	pnyx_free(ids);
	return list;
}

void srv_h_board_actor(const struct srv_request *req, struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const char *id = req->args[0];
	if (json_object_get(read_section(&c, "actors"), id) == NULL) {
		read_fail(&c, "not-found", "no member or stakeholder has this id");
	} else {
		read_put(&c, "actor", json_string(id));
		read_put(&c, "asked", entries_of(part(&c, "needs"), "by", id));
		read_put(&c, "offered", entries_of(part(&c, "offers"), "by", id));
		read_put(&c, "gave", entries_of(part(&c, "pledges"), "by", id));
		read_put(&c, "received", entries_of(part(&c, "pledges"), "to", id));
	}
	read_end(&c);
}
