/* The read API: the members, with their names in the six UN languages
 * from Debian's iso-codes (pnyx/country.h) and their status, history and
 * credentials (docs/API.md). */
#include "read_api.h"
#include "pnyx/languages.h"
#include "read_common.h"

#include "pnyx/country.h"

/* The short name of code in lang: a string, or null when the server has
 * no names or iso-codes does not know the code. */
static json_t *name_of(const pnyx_country_set *set, const char *code,
		       const char *lang)
{
	const char *name = set != NULL
		? pnyx_country_lookup(set, code, lang, PNYX_COUNTRY_SHORT, NULL)
		: NULL;
	return name != NULL ? json_string(name) : json_null();
}

struct names_arg {
	const pnyx_country_set *set;
	const char *lang;
};

/* A member: its record (status, since_ms, history, credentials) with
 * "code" and "name" (in the asked language) added. */
static json_t *member_item(const char *code, const json_t *m, void *arg)
{
	const struct names_arg *a = arg;
	json_t *it = read_copy_with(m, "code", code);
	if (it != NULL &&
	    json_object_set_new(it, "name", name_of(a->set, code, a->lang)) != 0) {
		json_decref(it);
		return NULL;
	}
	return it;
}

void srv_h_members(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	struct names_arg a = {.set = req->app->countries};
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !read_lang(req, resp, &a.lang) ||
	    !read_begin(&c, req, resp))
		return;
	read_put(&c, "lang", json_string(a.lang));
	read_list(&c, read_section(&c, "members"), &pg, NULL, member_item, &a);
	read_end(&c);
}

/* {"ar": name, "en": ..., ...} */
static json_t *all_names(const pnyx_country_set *set, const char *code)
{
	json_t *names = json_object();
	for (size_t i = 0; names != NULL && i < PNYX_UN_LANGUAGE_COUNT; i++)
		if (json_object_set_new(names, pnyx_un_languages[i],
					name_of(set, code, pnyx_un_languages[i])) != 0) {
			json_decref(names);
			names = NULL;
		}
	return names;
}

void srv_h_member(const struct srv_request *req, struct srv_response *resp)
{
	struct names_arg a = {.set = req->app->countries};
	struct read_ctx c;
	if (!read_lang(req, resp, &a.lang) || !read_begin(&c, req, resp))
		return;
	const char *code = req->args[0];
	const json_t *m = json_object_get(read_section(&c, "members"), code);
	if (m == NULL) {
		read_fail(&c, "not-found", "no member of this forum has this code");
	} else {
		json_t *it = member_item(code, m, &a);
		if (it != NULL &&
		    json_object_set_new(it, "names", all_names(a.set, code)) != 0) {
			json_decref(it);
			it = NULL;
		}
		read_put(&c, "lang", json_string(a.lang));
		read_put(&c, "member", it);
	}
	read_end(&c);
}

pnyx_err srv_read_names_load(const char *data_dir, pnyx_country_set **out,
			     pnyx_diag *diag)
{
	char members[4096];
	int n = snprintf(members, sizeof members, "%s/un-members.txt", data_dir);
	if (n < 0 || (size_t)n >= sizeof members)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the data directory's name is too long");
	pnyx_country_paths paths = {.members = members};
	return pnyx_country_set_load(&paths, out, diag);
}
