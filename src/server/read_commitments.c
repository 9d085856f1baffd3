/* The read API: commitments to the norms of adopted texts, and the
 * implementation reports filed on them (docs/API.md). The state keeps
 * them by decision, then norm (a paragraph id), then member. */
#include "read_api.h"
#include "read_common.h"

#include "pnyx/json.h"
#include "pnyx/mem.h"

/* A list item: the decision's commitments, with "decision": its id. */
static json_t *by_decision(const char *id, const json_t *v, void *arg)
{
	(void)arg;
	return read_copy_with(v, "decision", id);
}

void srv_h_commitments(const struct srv_request *req,
		       struct srv_response *resp)
{
	struct read_page pg;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !read_begin(&c, req, resp))
		return;
	read_list(&c, read_section(&c, "commitments"), &pg, NULL, by_decision,
		  NULL);
	read_end(&c);
}

/* Appends to list the member's commitments under decision id (v), one
 * per norm, in norm order. False if memory is short. */
static bool append_member(json_t *list, const char *member, const char *id,
			  const json_t *v)
{
	const json_t *norms = json_object_get(v, "norms");
	size_t n = 0;
	const char **keys = pnyx_json_sorted_keys(norms, &n);
	bool ok = keys != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		const json_t *m = json_object_get(json_object_get(norms, keys[i]),
						  member);
		if (m == NULL)
			continue;
		json_t *it = read_copy(m);
		ok = it != NULL &&
		     json_object_set_new(it, "decision", json_string(id)) == 0 &&
		     json_object_set_new(it, "norm", json_string(keys[i])) == 0 &&
		     json_object_set(it, "document", json_object_get(v, "document")) == 0 &&
		     json_object_set(it, "revision", json_object_get(v, "revision")) == 0;
		if (!ok)
			json_decref(it);
		else
			ok = json_array_append_new(list, it) == 0;
	}
	pnyx_free(keys);
	return ok;
}

/* Every commitment of member, by decision then norm. */
static json_t *member_commitments(const json_t *commitments,
				  const char *member)
{
	size_t n = 0;
	const char **ids = pnyx_json_sorted_keys(commitments, &n);
	json_t *list = ids != NULL ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++)
		if (!append_member(list, member, ids[i],
				   json_object_get(commitments, ids[i]))) {
			json_decref(list);
			list = NULL;
		}
	pnyx_free(ids);
	return list;
}

void srv_h_member_commitments(const struct srv_request *req,
			      struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const char *code = req->args[0];
	if (json_object_get(read_section(&c, "members"), code) == NULL) {
		read_fail(&c, "not-found", "no member of this forum has this code");
	} else {
		read_put(&c, "member", json_string(code));
		read_put(&c, "commitments",
			 member_commitments(read_section(&c, "commitments"), code));
	}
	read_end(&c);
}
