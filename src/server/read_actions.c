/* The read API: the list of actions by actor (docs/API.md). The leaf
 * indices come from the actor index under the state's read lock; the
 * actions themselves are read from the log after it is released (they
 * never change once committed). */
#include "read_api.h"
#include "read_common.h"

#include "actor_index.h"
#include "logview.h"
#include "sequencer.h"

#include "pnyx/action.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"
#include "pnyx/text.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Entry bytes one page reads at most (beyond the first entry), so that
 * an answer stays well below SRV_RESPONSE_MAX. */
#define PAGE_BYTES_MAX (4u * 1024u * 1024u)

/* ?after: a leaf index; *from is the first index to list. False after
 * answering 400. */
static bool after_index(const struct srv_request *req,
			struct srv_response *resp, uint64_t *from)
{
	const char *v = read_query(req, "after");
	uint64_t after;
	if (v == NULL) {
		*from = 0;
		return true;
	}
	if (pnyx_parse_u64((const uint8_t *)v, strlen(v), &after) != PNYX_OK) {
		srv_problem(resp, "bad-parameter", "after must be the next cursor "
			    "of a previous page (a leaf index)");
		return false;
	}
	*from = after < UINT64_MAX ? after + 1 : UINT64_MAX;
	return true;
}

/* The item of a committed entry: index, time, type, sequence number and
 * the action object as signed. NULL if memory is short or the entry is
 * not an action (it always is: the index holds only actions). */
static json_t *item(uint64_t index, const pnyx_buf *e)
{
	pnyx_leaf leaf;
	size_t text_len;
	pnyx_action a = {0};
	if (pnyx_leaf_parse(e->data, e->len, &leaf, NULL) != PNYX_OK ||
	    pnyx_note_text_len(leaf.note, leaf.note_len, &text_len) != PNYX_OK ||
	    pnyx_action_parse(leaf.note, text_len, &a, NULL) != PNYX_OK) {
		pnyx_action_clear(&a);
		return NULL;
	}
	assert(index <= INT64_MAX && leaf.time_ms <= INT64_MAX &&
	       a.seq <= INT64_MAX);
	json_t *it = json_pack("{s:I,s:I,s:s,s:I,s:O}", "index",
			       (json_int_t)index, "time_ms",
			       (json_int_t)leaf.time_ms, "type", a.type, "seq",
			       (json_int_t)a.seq, "action", a.body);
	pnyx_action_clear(&a);
	return it;
}

/* Puts "items" and "next" for the n indices idx[] (more: the actor has
 * leaves after them). */
static void put_items(struct read_ctx *c, struct srv_logview *lv,
		      const uint64_t *idx, size_t n, bool more)
{
	json_t *items = json_array();
	pnyx_buf e;
	pnyx_buf_init(&e, PNYX_ENTRY_MAX);
	size_t bytes = 0, i = 0;
	pnyx_err err = items != NULL ? PNYX_OK : PNYX_ERR_NOMEM;
	for (; i < n && err == PNYX_OK && bytes <= PAGE_BYTES_MAX; i++) {
		pnyx_buf_reset(&e);
		pnyx_log *log = srv_logview_lock(lv);
		err = pnyx_log_entry(log, idx[i], &e);
		srv_logview_unlock(lv);
		bytes += e.len;
		if (err == PNYX_OK &&
		    json_array_append_new(items, item(idx[i], &e)) != 0)
			err = PNYX_ERR_NOMEM;
	}
	pnyx_buf_clear(&e);
	if (err != PNYX_OK) {
		json_decref(items);
		read_fail(c, err == PNYX_ERR_NOMEM ? "out-of-memory" : "storage",
			  "cannot read the actions from the log");
		return;
	}
	char cursor[24];
	snprintf(cursor, sizeof cursor, "%llu",
		 (unsigned long long)(i > 0 ? idx[i - 1] : 0));
	read_put(c, "items", items);
	read_put(c, "next", more || i < n ? json_string(cursor) : json_null());
}

void srv_h_actor_actions(const struct srv_request *req,
			 struct srv_response *resp)
{
	size_t limit;
	uint64_t from;
	struct read_ctx c;
	if (!read_limit(req, resp, &limit) || !after_index(req, resp, &from) ||
	    !read_begin(&c, req, resp))
		return;
	const char *id = req->args[0];
	uint64_t idx[READ_LIMIT_MAX];
	size_t n = 0;
	bool more = false;
	pnyx_err err = PNYX_OK;
	bool known = json_object_get(read_section(&c, "actors"), id) != NULL;
	if (known)
		err = srv_actor_index_page(srv_sequencer_actor_index(c.seq), id,
					   from, idx, limit, &n, &more);
	read_release(&c);
	if (!known)
		read_fail(&c, "not-found", "no member, officer or stakeholder of "
			  "this forum has this id");
	else if (err != PNYX_OK)
		read_fail(&c, "unavailable", "the server's list of actions by "
			  "actor is incomplete (%s); it must be restarted",
			  pnyx_err_name(err));
	else
		put_items(&c, req->app->log, idx, n, more);
	read_end(&c);
}
