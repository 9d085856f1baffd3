/* The read API: the forum (rules of procedure, officers, languages) and
 * the actors with their keys and sequence numbers (docs/API.md). */
#include "read_api.h"
#include "read_common.h"

#include <assert.h>
#include <string.h>

/* The officers (chairs and the secretariat), sorted by id. */
static json_t *officers(const json_t *actors)
{
	json_t *list = json_array();
	const char *id;
	const json_t *a;
	json_object_foreach((json_t *)actors, id, a) {
		const char *kind = json_string_value(json_object_get(a, "kind"));
		if (list == NULL || kind == NULL ||
		    (strcmp(kind, "chair") != 0 && strcmp(kind, "secretariat") != 0))
			continue;
		json_t *o = json_pack("{s:s,s:s,s:O?}", "id", id, "kind", kind,
				      "name", json_object_get(a, "name"));
		if (json_array_append_new(list, o) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

static size_t count_with(const json_t *obj, const char *key,
			 const char *value)
{
	size_t n = 0;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		const char *s = json_string_value(json_object_get(v, key));
		n += s != NULL && strcmp(s, value) == 0;
	}
	return n;
}

/* How many members, stakeholders, documents and decisions. */
static json_t *counts(const struct read_ctx *c)
{
	const json_t *members = read_section(c, "members");
	const json_t *decisions = read_section(c, "decisions");
	const json_t *sh = json_object_get(read_section(c, "stakeholders"),
					   "applications");
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}",
			 "members", (json_int_t)json_object_size(members),
			 "members_active",
			 (json_int_t)count_with(members, "status", "active"),
			 "stakeholders", (json_int_t)json_object_size(sh),
			 "documents",
			 (json_int_t)json_object_size(read_section(c, "documents")),
			 "decisions", (json_int_t)json_object_size(decisions),
			 "decisions_open",
			 (json_int_t)count_with(decisions, "status", "open"));
}

void srv_h_forum(const struct srv_request *req, struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	read_put(&c, "forum", json_incref((json_t *)read_section(&c, "forum")));
	read_put(&c, "officers", officers(read_section(&c, "actors")));
	read_put(&c, "counts", counts(&c));
	read_end(&c);
}

void srv_h_actor(const struct srv_request *req, struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const char *id = req->args[0];
	const json_t *a = json_object_get(read_section(&c, "actors"), id);
	json_int_t seq = json_integer_value(json_object_get(a, "seq"));
	if (a == NULL) {
		read_fail(&c, "not-found", "no member, officer or stakeholder of "
			  "this forum has this id");
	} else {
		assert(seq >= 0 && seq < INT64_MAX);
		json_t *actor = read_copy_with(a, "id", id);
		if (actor != NULL &&
		    json_object_set_new(actor, "next_seq", json_integer(seq + 1)) != 0) {
			json_decref(actor);
			actor = NULL;
		}
		read_put(&c, "actor", actor);
	}
	read_end(&c);
}
