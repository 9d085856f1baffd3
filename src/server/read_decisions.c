/* The read API: decisions with every member's position, the explanations
 * of position, the outcome and the tally (docs/API.md). */
#include "read_api.h"
#include "read_common.h"

#include "pnyx/json.h"
#include "pnyx/mem.h"

#include <string.h>

enum status_filter { ALL, OPEN, CLOSED };

/* ?status: open, closed or absent. False after answering 400. */
static bool status_filter(const struct srv_request *req,
			  struct srv_response *resp, enum status_filter *out)
{
	const char *v = read_query(req, "status");
	if (v == NULL)
		*out = ALL;
	else if (strcmp(v, "open") == 0)
		*out = OPEN;
	else if (strcmp(v, "closed") == 0)
		*out = CLOSED;
	else {
		srv_problem(resp, "bad-parameter", "status must be open or closed");
		return false;
	}
	return true;
}

static bool is_open(const json_t *d)
{
	const char *s = json_string_value(json_object_get(d, "status"));
	return s != NULL && strcmp(s, "open") == 0;
}

static bool keep(const json_t *d, void *arg)
{
	enum status_filter f = *(const enum status_filter *)arg;
	return f == ALL || (f == OPEN) == is_open(d);
}

/* A list item: the decision without the positions and explanations (the
 * decision's own page has them), with how many members took a position. */
static json_t *summary(const char *id, const json_t *d, void *arg)
{
	(void)arg;
	json_t *s = read_copy_with(d, "id", id);
	size_t spoken = json_object_size(json_object_get(d, "positions"));
	if (s == NULL || json_object_del(s, "positions") != 0 ||
	    json_object_set_new(s, "positions_count",
				json_integer((json_int_t)spoken)) != 0) {
		json_decref(s);
		return NULL;
	}
	json_object_del(s, "explanations");
	return s;
}

void srv_h_decisions(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	enum status_filter f;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !status_filter(req, resp, &f) ||
	    !read_begin(&c, req, resp))
		return;
	read_list(&c, read_section(&c, "decisions"), &pg, keep, summary, &f);
	read_end(&c);
}

/* The members that took no position: the members now active, for a
 * closed decision only those already members before it closed (a member
 * admitted by the decision itself is not one). Sorted by code. */
static json_t *not_spoken(const json_t *members, const json_t *d)
{
	const json_t *positions = json_object_get(d, "positions");
	json_int_t closed = is_open(d)
		? INT64_MAX
		: json_integer_value(json_object_get(d, "closed_ms"));
	size_t n = 0;
	const char **codes = pnyx_json_sorted_keys(members, &n);
	json_t *list = codes != NULL ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++) {
		const json_t *m = json_object_get(members, codes[i]);
		const char *status = json_string_value(json_object_get(m, "status"));
		json_int_t since = json_integer_value(json_object_get(m, "since_ms"));
		if (status == NULL || strcmp(status, "active") != 0 ||
		    since >= closed || json_object_get(positions, codes[i]) != NULL)
			continue;
		if (json_array_append_new(list, json_string(codes[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	pnyx_free(codes);
	return list;
}

void srv_h_decision(const struct srv_request *req, struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const char *id = req->args[0];
	const json_t *d = json_object_get(read_section(&c, "decisions"), id);
	if (d == NULL) {
		read_fail(&c, "not-found", "no decision of this forum has this id");
	} else {
		read_put(&c, "decision", read_copy_with(d, "id", id));
		read_put(&c, "not_spoken", not_spoken(read_section(&c, "members"), d));
	}
	read_end(&c);
}
