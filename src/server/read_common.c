/* What every read API handler shares (see read_common.h). */
#include "read_common.h"
#include "pnyx/languages.h"

#include "sequencer.h"

#include "pnyx/action.h"
#include "pnyx/json.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"
#include "pnyx/training.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *read_query(const struct srv_request *req, const char *name)
{
	const struct srv_target *t = req->target;
	for (size_t i = 0; i < t->nparams; i++)
		if (strcmp(srv_target_name(t, i), name) == 0)
			return srv_target_value(t, i, NULL);
	return NULL;
}

bool read_limit(const struct srv_request *req, struct srv_response *resp,
		size_t *out)
{
	const char *v = read_query(req, "limit");
	uint64_t n = READ_LIMIT_DEFAULT;
	if (v != NULL &&
	    (pnyx_parse_u64((const uint8_t *)v, strlen(v), &n) != PNYX_OK ||
	     n < 1 || n > READ_LIMIT_MAX)) {
		srv_problem(resp, "bad-parameter", "limit must be a decimal "
			    "number from 1 to %d", READ_LIMIT_MAX);
		return false;
	}
	*out = (size_t)n;
	return true;
}

bool read_page_of_ids(const struct srv_request *req,
		      struct srv_response *resp, struct read_page *out)
{
	if (!read_limit(req, resp, &out->limit))
		return false;
	out->after = read_query(req, "after");
	if (out->after != NULL &&
	    !pnyx_id_is_valid((const uint8_t *)out->after, strlen(out->after))) {
		srv_problem(resp, "bad-parameter", "after must be the next "
			    "cursor of a previous page (an id)");
		return false;
	}
	return true;
}

bool read_lang(const struct srv_request *req, struct srv_response *resp,
	       const char **out)
{
	const char *v = read_query(req, "lang");
	if (v == NULL) {
		*out = "en";
		return true;
	}
	for (size_t i = 0; i < PNYX_UN_LANGUAGE_COUNT; i++)
		if (strcmp(v, pnyx_un_languages[i]) == 0) {
			*out = pnyx_un_languages[i];
			return true;
		}
	srv_problem(resp, "unsupported-language", "lang must be one of the "
		    "six official languages of the UN: ar, en, es, fr, ru, zh");
	return false;
}

/* The envelope: "forum" (copied, not borrowed, so that an answer may
 * outlive the lock: read_release), "tree_size", "notice" for a training
 * forum. */
json_t *read_envelope(const json_t *forum, uint64_t tree_size)
{
	const char *id = json_string_value(json_object_get(forum, "id"));
	const char *title = json_string_value(json_object_get(forum, "title"));
	bool training = json_is_true(json_object_get(forum, "training"));
	assert(tree_size <= INT64_MAX);
	json_t *doc = json_pack("{s:{s:s,s:s,s:b},s:I}", "forum", "id",
				id != NULL ? id : "", "title",
				title != NULL ? title : "", "training", training,
				"tree_size", (json_int_t)tree_size);
	if (doc != NULL && training &&
	    json_object_set_new(doc, "notice", json_string(PNYX_TRAINING_NOTICE)) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

bool read_begin(struct read_ctx *c, const struct srv_request *req,
		struct srv_response *resp)
{
	*c = (struct read_ctx){.resp = resp, .seq = req->app->seq};
	if (c->seq == NULL) {
		srv_problem(resp, "unavailable", "this server was started without "
			    "the log's key (--key), so it holds no forum state: "
			    "ask the forum's sequencer, or replay the log with "
			    "pnyx verify");
		return false;
	}
	c->st = srv_sequencer_lock_state(c->seq);
	c->locked = true;
	c->state = pnyx_state_json(c->st);
	c->tree_size = pnyx_state_leaves(c->st);
	c->cache = req->app->read_cache;
	if (c->cache != NULL) {
		c->key_len = srv_read_cache_key(req->target, c->key);
		/* under the read lock: the committed size is tree_size */
		if (srv_read_cache_get(c->cache, c->key, c->key_len,
				       c->tree_size, resp)) {
			read_release(c);
			return false;
		}
	}
	const json_t *forum = read_section(c, "forum");
	if (forum == NULL) {
		read_release(c);
		srv_problem(resp, "not-found", "the log holds no forum yet");
		return false;
	}
	c->doc = read_envelope(forum, c->tree_size);
	if (c->doc == NULL) {
		read_release(c);
		srv_problem(resp, "out-of-memory", "cannot build the response");
		return false;
	}
	return true;
}

const json_t *read_section(const struct read_ctx *c, const char *name)
{
	const json_t *s = json_object_get(c->state, name);
	return json_is_object(s) ? s : NULL;
}

void read_put(struct read_ctx *c, const char *key, json_t *v)
{
	if (c->doc == NULL) {
		json_decref(v);
		return;
	}
	if (v == NULL || json_object_set_new(c->doc, key, v) != 0)
		read_fail(c, "out-of-memory", "cannot build the response");
}

void read_fail(struct read_ctx *c, const char *code, const char *fmt, ...)
{
	if (c->doc == NULL)
		return; /* the first failure is the answer */
	json_decref(c->doc);
	c->doc = NULL;
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	srv_problem(c->resp, code, "%s", detail);
}

void read_release(struct read_ctx *c)
{
	if (c->locked)
		srv_sequencer_unlock_state(c->seq);
	c->locked = false;
	c->state = NULL;
	c->st = NULL;
}

/* Keeps the encoded 200 answer in the response cache, if there is one,
 * with its ETag, at the tree size it reflects. */
static void keep_in_cache(struct read_ctx *c)
{
	if (c->cache == NULL)
		return;
	srv_response_set_etag(c->resp);
	srv_read_cache_put(c->cache, c->key, c->key_len, c->tree_size, c->resp);
}

void read_end(struct read_ctx *c)
{
	if (c->doc != NULL) {
		struct srv_response *resp = c->resp;
		pnyx_err err = pnyx_json_encode(c->doc, &resp->body);
		if (err == PNYX_OK)
			err = pnyx_buf_puts(&resp->body, "\n");
		json_decref(c->doc);
		c->doc = NULL;
		if (err != PNYX_OK) {
			srv_problem_err(resp, err, NULL);
		} else {
			resp->status = 200;
			resp->content_type = "application/json";
			resp->cache_control = "no-cache";
			resp->cacheable = true;
			keep_in_cache(c);
		}
	}
	read_release(c);
}

json_t *read_copy(const json_t *obj)
{
	json_t *copy = json_copy((json_t *)obj);
	size_t want = json_is_array(obj) ? json_array_size(obj)
					 : json_object_size(obj);
	size_t got = json_is_array(copy) ? json_array_size(copy)
					 : json_object_size(copy);
	if (copy != NULL && got != want) {
		json_decref(copy);
		return NULL;
	}
	return copy;
}

json_t *read_copy_with(const json_t *obj, const char *key, const char *value)
{
	json_t *copy = read_copy(obj);
	if (copy != NULL &&
	    json_object_set_new(copy, key, json_string(value)) != 0) {
		json_decref(copy);
		return NULL;
	}
	return copy;
}

/* ---- lists ---- */

/* The first of the n sorted keys past after (NULL: the first). */
static size_t first_after(const char **keys, size_t n, const char *after)
{
	size_t lo = 0, hi = n;
	while (after != NULL && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(keys[mid], after) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Appends the items of keys[i..n) to items (at most limit); returns the
 * index of the next kept key not taken (n if none), or SIZE_MAX if
 * memory is short. *last receives the index of the last key taken. */
static size_t fill(json_t *items, const json_t *obj, const char **keys,
		   size_t i, size_t n, const struct read_page *pg,
		   read_keep_fn keep, read_item_fn item, void *arg,
		   size_t *last)
{
	for (; i < n; i++) {
		const json_t *v = json_object_get(obj, keys[i]);
		if (keep != NULL && !keep(v, arg))
			continue;
		if (json_array_size(items) == pg->limit)
			return i;
		if (json_array_append_new(items, item(keys[i], v, arg)) != 0)
			return SIZE_MAX;
		*last = i;
	}
	return n;
}

void read_list(struct read_ctx *c, const json_t *obj,
	       const struct read_page *pg, read_keep_fn keep,
	       read_item_fn item, void *arg)
{
	size_t n = 0, last = 0;
	const char **keys = obj != NULL ? pnyx_json_sorted_keys(obj, &n) : NULL;
	json_t *items = json_array();
	if ((obj != NULL && keys == NULL) || items == NULL) {
		pnyx_free(keys);
		json_decref(items);
		read_fail(c, "out-of-memory", "cannot build the response");
		return;
	}
	size_t next = fill(items, obj, keys, first_after(keys, n, pg->after), n,
			   pg, keep, item, arg, &last);
	json_t *cursor = NULL;
	if (next != SIZE_MAX)
		cursor = next < n ? json_string(keys[last]) : json_null();
	pnyx_free(keys);
	if (cursor == NULL) {
		json_decref(items);
		items = NULL;
	}
	read_put(c, "items", items);
	read_put(c, "next", cursor);
}

bool read_set(json_t *obj, const char *key, json_t *v)
{
	return v != NULL && json_object_set_new(obj, key, v) == 0;
}
