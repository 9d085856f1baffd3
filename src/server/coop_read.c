/*
 * The cooperation endpoints (docs/API.md "Cooperation"): the actions
 * POST, and reads signed by a member (coop_auth.h) that show each member
 * only what concerns it: its requests, the entries it may read (with
 * proofs), the directory and the ping rounds; the figures the forum's
 * rules publish are public.
 *
 * Authenticated answers are "Cache-Control: private, no-store": a proxy
 * must not keep what one member may read for another.
 */
#include "coop_read.h"
#include "coop_log.h"
#include "actor_index.h"
#include "handlers_seq.h"
#include "read_api.h"
#include "read_common.h"
#include "sequencer.h"

#include "pnyx/base64.h"
#include "pnyx/coop.h"
#include "pnyx/json.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t now_s(void)
{
	return (uint64_t)time(NULL);
}

void coop_release(struct coop_ctx *c)
{
	if (!c->locked)
		return;
	srv_sequencer_unlock_state(c->forum);
	srv_sequencer_unlock_state(c->seq);
	c->locked = false;
}

/* Checks who asks, takes both states' read locks (the cooperation log's,
 * then the forum's) and starts the answer. False once resp is answered. */
bool coop_begin(struct coop_ctx *c, const struct srv_request *req,
		       struct srv_response *resp, enum coop_access access)
{
	*c = (struct coop_ctx){.resp = resp, .seq = req->app->coop_seq};
	if (req->app->coop == NULL || c->seq == NULL) {
		srv_problem(resp, "no-cooperation", "this server keeps no "
			    "cooperation log (settings cooperation-db and "
			    "cooperation-key)");
		return false;
	}
	c->forum = srv_coop_forum(req->app->coop);
	if (access != ACCESS_PUBLIC) {
		if (!srv_coop_authenticate(req, resp, now_s(), &c->caller))
			return false;
		bool may = c->caller.kind == SRV_CALLER_MEMBER ||
			   (access == ACCESS_MEMBERS_SECRETARIAT &&
			    c->caller.kind == SRV_CALLER_SECRETARIAT);
		if (!may) {
			srv_problem(resp, "forbidden", "%s may not read this: "
				    "only members%s", c->caller.actor,
				    access == ACCESS_MEMBERS ? ""
							     : " and the secretariat");
			resp->cache_control = "no-store";
			return false;
		}
		c->private_answer = true;
	}
	c->st = srv_sequencer_lock_any(c->seq);
	c->pub = srv_sequencer_lock_state(c->forum);
	c->locked = true;
	c->doc = read_envelope(json_object_get(pnyx_state_json(c->pub), "forum"),
			       pnyx_coop_leaves(c->st));
	if (c->doc == NULL) {
		coop_release(c);
		srv_problem(resp, "out-of-memory", "cannot build the response");
		return false;
	}
	return true;
}

/* Sets member key of the answer (v stolen; NULL: out of memory). */
void coop_put(struct coop_ctx *c, const char *key, json_t *v)
{
	if (c->doc != NULL && (v == NULL || json_object_set_new(c->doc, key, v) != 0)) {
		json_decref(c->doc);
		c->doc = NULL;
	}
}

void coop_abort(struct coop_ctx *c)
{
	json_decref(c->doc);
	c->doc = NULL;
	coop_release(c);
}

/* Encodes the answer and releases the locks. */
void coop_end(struct coop_ctx *c)
{
	struct srv_response *resp = c->resp;
	pnyx_err err = c->doc != NULL ? pnyx_json_encode(c->doc, &resp->body)
				      : PNYX_ERR_NOMEM;
	json_decref(c->doc);
	c->doc = NULL;
	coop_release(c);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&resp->body, "\n");
	if (err != PNYX_OK) {
		srv_problem_err(resp, err, NULL);
		return;
	}
	resp->status = 200;
	resp->content_type = "application/json";
	resp->cache_control = c->private_answer ? "private, no-store" : "no-cache";
	resp->cacheable = !c->private_answer;
}

static const json_t *section(const struct coop_ctx *c, const char *name)
{
	return json_object_get(pnyx_coop_json(c->st), name);
}

/* ---- POST /v1/cooperation/actions ---- */

void srv_h_coop_actions(const struct srv_request *req,
			struct srv_response *resp)
{
	if (req->app->coop_seq == NULL)
		srv_problem(resp, "no-cooperation", "this server keeps no "
			    "cooperation log");
	else
		srv_actions_submit(req->app->coop_seq, req, resp);
}

/* ---- who am I, the directory, pings, figures ---- */

void srv_h_coop_me(const struct srv_request *req, struct srv_response *resp)
{
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	coop_put(&c, "actor", json_string(c.caller.actor));
	coop_put(&c, "kind", json_string(c.caller.kind == SRV_CALLER_MEMBER
						 ? "member" : "secretariat"));
	coop_put(&c, "next_seq", json_integer((json_int_t)pnyx_coop_next_seq(
						 c.st, c.caller.actor)));
	coop_end(&c);
}

/* The members of obj (an object) as a list of its values, each with
 * member key set to its key, in key order. */
static json_t *items_keyed(const json_t *obj, const char *key)
{
	json_t *items = json_array();
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		json_t *item = read_copy_with(v, key, k);
		if (items == NULL || item == NULL ||
		    json_array_append_new(items, item) != 0) {
			json_decref(item);
			json_decref(items);
			return NULL;
		}
	}
	return items;
}

void srv_h_coop_directory(const struct srv_request *req,
			  struct srv_response *resp)
{
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	coop_put(&c, "items", items_keyed(section(&c, "directory"), "member"));
	coop_end(&c);
}

/* The ping rounds, each with its results per member (from the figures). */
static json_t *ping_items(const struct coop_ctx *c)
{
	json_t *items = items_keyed(section(c, "pings"), "round");
	const json_t *fig = json_object_get(section(c, "figures"), "pings");
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		const char *id = json_string_value(json_object_get(item, "round"));
		json_t *results = json_object_get(json_object_get(fig, id), "results");
		if (json_object_set(item, "results",
				    results != NULL ? results : json_null()) != 0) {
			json_decref(items);
			return NULL;
		}
	}
	return items;
}

void srv_h_coop_pings(const struct srv_request *req, struct srv_response *resp)
{
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	coop_put(&c, "items", ping_items(&c));
	coop_end(&c);
}

void srv_h_coop_figures(const struct srv_request *req,
			struct srv_response *resp)
{
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_PUBLIC))
		return;
	coop_put(&c, "figures", pnyx_coop_published_figures(c.st, c.pub));
	coop_put(&c, "as_of_ms", json_incref(json_object_get(pnyx_coop_json(c.st),
							     "time_ms")));
	const json_t *coop = json_object_get(pnyx_state_json(c.pub), "cooperation");
	json_t *anchors = json_object_get(coop, "anchors");
	size_t n = json_array_size(anchors);
	coop_put(&c, "last_anchor", n > 0 ? json_deep_copy(json_array_get(anchors, n - 1))
					  : json_null());
	coop_end(&c);
}

/* ---- requests ---- */

void srv_h_coop_requests(const struct srv_request *req,
			 struct srv_response *resp)
{
	const char *box = read_query(req, "box");
	bool in = box == NULL || strcmp(box, "inbox") == 0 || strcmp(box, "all") == 0;
	bool out = box == NULL || strcmp(box, "outbox") == 0 || strcmp(box, "all") == 0;
	if (!in && !out) {
		srv_problem(resp, "bad-parameter", "box must be inbox, outbox or all");
		return;
	}
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS))
		return;
	json_t *items = json_array();
	const char *id;
	const json_t *r;
	json_object_foreach((json_t *)section(&c, "requests"), id, r) {
		const char *from = json_string_value(json_object_get(r, "from"));
		const char *to = json_string_value(json_object_get(r, "to"));
		bool mine = (in && to != NULL && strcmp(to, c.caller.actor) == 0) ||
			    (out && from != NULL && strcmp(from, c.caller.actor) == 0);
		json_t *item = mine ? read_copy_with(r, "id", id) : NULL;
		if (mine && (items == NULL || item == NULL ||
			     json_array_append_new(items, item) != 0)) {
			json_decref(item);
			json_decref(items);
			items = NULL;
			break;
		}
	}
	coop_put(&c, "items", items);
	coop_end(&c);
}
