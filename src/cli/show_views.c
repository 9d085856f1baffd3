/*
 * pnyx show: the views of the forum, its members, documents, decisions
 * (as a list), stakeholders, commitments and actors (show.h). Everything
 * printed that came from the server goes through cli_put_text.
 */
#include "cli.h"
#include "cli_text.h"
#include "show.h"

#include <stdio.h>
#include <string.h>

#define PATH_MAX_SHOW 256

void show_heading(const json_t *r)
{
	const json_t *forum = json_object_get(r, "forum");
	fputs("forum ", stdout);
	cli_put_forum(stdout, forum);
	const json_t *size = json_object_get(r, "tree_size");
	if (json_is_integer(size))
		printf(", as of entry %lld of its log",
		       (long long)json_integer_value(size) - 1);
	fputs("\n\n", stdout);
}

/* "label: value" for a scalar member of obj, if present. */
static void put_field(const char *label, const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	if (v == NULL)
		return;
	printf("  %-24s ", label);
	size_t n = strlen(key);
	if (json_is_integer(v) && n > 3 && strcmp(key + n - 3, "_ms") == 0)
		cli_put_time(stdout, v);
	else if (json_is_array(v)) {
		size_t i;
		const json_t *x;
		json_array_foreach(v, i, x) {
			fputs(i > 0 ? ", " : "", stdout);
			cli_put_scalar(stdout, x);
		}
	} else
		cli_put_scalar(stdout, v);
	fputc('\n', stdout);
}

/* A text member in the chosen language, quoted. */
static void put_text_of(struct show_ctx *c, const json_t *t)
{
	const char *s = cli_text_in(t, c->lang);
	if (s == NULL)
		return;
	fputs(" \"", stdout);
	cli_put_text(stdout, s);
	fputc('"', stdout);
}

int show_forum(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	json_t *r = NULL;
	int rc = show_get(c, "/v1/forum", &r);
	if (r == NULL)
		return rc;
	const json_t *f = json_object_get(r, "forum");
	const json_t *rules = json_object_get(f, "rules");
	put_field("created", f, "created_ms");
	put_field("working languages", f, "languages");
	puts("\nrules of procedure:");
	put_field("procedures", rules, "procedures");
	put_field("vote on request", rules, "vote_on_request");
	put_field("quorum (percent)", rules, "quorum_percent");
	put_field("majority", rules, "majority");
	put_field("important questions", rules, "important_majority");
	put_field("silence at least (h)", rules, "silence_min_hours");
	put_field("objection window (h)", rules, "objection_window_hours");
	puts("\nofficers:");
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(r, "officers"), i, o) {
		fputs("  ", stdout);
		cli_put_str(stdout, o, "id");
		if (cli_str_of(o, "name") != NULL) {
			fputs(" (", stdout);
			cli_put_text(stdout, cli_str_of(o, "name"));
			fputc(')', stdout);
		}
		fputc('\n', stdout);
	}
	const json_t *counts = json_object_get(r, "counts");
	puts("\ncounts:");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)counts, k, v)
		put_field(k, counts, k);
	json_decref(r);
	return CLI_EXIT_OK;
}

/* One line per item: key, then the columns of cols. */
static void put_row(const json_t *item, const char *key, const char *const *cols,
		    size_t ncols)
{
	fputs("  ", stdout);
	cli_put_str(stdout, item, key);
	for (size_t i = 0; i < ncols; i++) {
		const json_t *v = json_object_get(item, cols[i]);
		if (v == NULL || json_is_null(v))
			continue;
		fputs("  ", stdout);
		cli_put_scalar(stdout, v);
	}
	fputc('\n', stdout);
}

/* A list view: the items of path, each as put_row. */
static int list_view(struct show_ctx *c, const char *path, const char *query,
		     const char *heading, const char *key,
		     const char *const *cols, size_t ncols)
{
	json_t *items = NULL;
	int rc = show_list(c, path, query, &items);
	if (items == NULL)
		return rc;
	printf("%s: %zu\n", heading, json_array_size(items));
	size_t i;
	const json_t *item;
	json_array_foreach(items, i, item)
		put_row(item, key, cols, ncols);
	json_decref(items);
	return CLI_EXIT_OK;
}

int show_members(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const char *const cols[] = {"name", "status"};
	char query[16];
	snprintf(query, sizeof query, "?lang=%s", c->lang);
	return list_view(c, "/v1/members", query, "members", "code", cols, 2);
}

int show_member(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	char path[PATH_MAX_SHOW];
	snprintf(path, sizeof path, "/v1/members/%s?lang=%s", argv[0], c->lang);
	json_t *r = NULL;
	int rc = show_get(c, path, &r);
	if (r == NULL)
		return rc;
	const json_t *m = json_object_get(r, "member");
	put_field("member", m, "code");
	put_field("name", m, "name");
	put_field("status", m, "status");
	put_field("since", m, "since_ms");
	size_t i;
	const json_t *e;
	puts("  history:");
	json_array_foreach(json_object_get(m, "history"), i, e) {
		fputs("    ", stdout);
		cli_put_time(stdout, json_object_get(e, "ms"));
		fputc(' ', stdout);
		cli_put_scalar(stdout, json_object_get(e, "event"));
		fputc('\n', stdout);
	}
	printf("  credentials recorded: %zu\n",
	       json_array_size(json_object_get(m, "credentials")));
	json_decref(r);
	return CLI_EXIT_OK;
}

int show_documents(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	json_t *items = NULL;
	int rc = show_list(c, "/v1/documents", "", &items);
	if (items == NULL)
		return rc;
	printf("documents: %zu\n", json_array_size(items));
	size_t i;
	const json_t *d;
	json_array_foreach(items, i, d) {
		fputs("  ", stdout);
		cli_put_str(stdout, d, "id");
		put_text_of(c, json_object_get(d, "title"));
		printf(": Rev.%lld, %lld amendment(s)\n",
		       (long long)json_integer_value(json_object_get(d, "revisions")),
		       (long long)json_integer_value(json_object_get(d, "amendments")));
	}
	json_decref(items);
	return CLI_EXIT_OK;
}

/* Who objected to an application, and why. */
static void put_objections(struct show_ctx *c, const json_t *app)
{
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(app, "objections"), i, o) {
		fputs("      objection by ", stdout);
		const char *m = cli_str_of(o, "member");
		cli_put_text(stdout, m != NULL ? show_member_name(c, m) : "?");
		put_text_of(c, json_object_get(o, "reason"));
		if (json_is_integer(json_object_get(o, "withdrawn_ms")))
			fputs(" (withdrawn)", stdout);
		fputc('\n', stdout);
	}
}

int show_stakeholders(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	json_t *items = NULL;
	int rc = show_list(c, "/v1/stakeholders", "", &items);
	if (items == NULL)
		return rc;
	printf("stakeholders: %zu\n", json_array_size(items));
	size_t i;
	const json_t *s;
	json_array_foreach(items, i, s) {
		fputs("  ", stdout);
		cli_put_str(stdout, s, "id");
		put_text_of(c, json_object_get(s, "name"));
		fputs(": ", stdout);
		cli_put_scalar(stdout, json_object_get(s, "status"));
		const char *basis = cli_str_of(s, "basis");
		if (basis != NULL) {
			fputs(strcmp(basis, "notification") == 0 ? " (on notification)"
								 : " (by non-objection)",
			      stdout);
		}
		fputc('\n', stdout);
		put_objections(c, s);
	}
	json_decref(items);
	return CLI_EXIT_OK;
}

/* commitments items: {decision, norms: {norm: {member: {status, reports}}}}
 * or flatter shapes: every member's status per norm, one line each. */
static void put_commitment(struct show_ctx *c, const json_t *item)
{
	const char *norm, *member;
	const json_t *byn, *m;
	json_object_foreach(json_object_get(item, "norms"), norm, byn) {
		fputs("  ", stdout);
		cli_put_text(stdout, cli_str_of(item, "decision") != NULL
					     ? cli_str_of(item, "decision") : "?");
		fputs(" norm ", stdout);
		cli_put_text(stdout, norm);
		fputs(":\n", stdout);
		json_object_foreach((json_t *)byn, member, m) {
			fputs("    ", stdout);
			cli_put_text(stdout, show_member_name(c, member));
			fputs(": ", stdout);
			cli_put_scalar(stdout, json_object_get(m, "status"));
			size_t n = json_array_size(json_object_get(m, "reports"));
			printf(", %zu report%s\n", n, cli_plural(n));
		}
	}
}

int show_commitments(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	json_t *items = NULL;
	int rc = show_list(c, "/v1/commitments", "", &items);
	if (items == NULL)
		return rc;
	printf("commitments: to the norms of %zu adopted text%s\n",
	       json_array_size(items), cli_plural(json_array_size(items)));
	size_t i;
	const json_t *item;
	json_array_foreach(items, i, item)
		put_commitment(c, item);
	json_decref(items);
	return CLI_EXIT_OK;
}

int show_actor(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	char path[PATH_MAX_SHOW];
	snprintf(path, sizeof path, "/v1/actors/%s", argv[0]);
	json_t *r = NULL;
	int rc = show_get(c, path, &r);
	if (r == NULL)
		return rc;
	const json_t *a = json_object_get(r, "actor");
	put_field("actor", a, "id");
	put_field("kind", a, "kind");
	put_field("last sequence number", a, "seq");
	put_field("next sequence number", a, "next_seq");
	puts("  keys:");
	size_t i;
	const json_t *k;
	json_array_foreach(json_object_get(a, "keys"), i, k) {
		fputs("    ", stdout);
		cli_put_scalar(stdout, json_is_object(k) ? json_object_get(k, "key") : k);
		if (json_is_integer(json_object_get(k, "revoked_ms"))) {
			fputs(" (revoked ", stdout);
			cli_put_time(stdout, json_object_get(k, "revoked_ms"));
			fputc(')', stdout);
		}
		fputc('\n', stdout);
	}
	json_decref(r);
	return CLI_EXIT_OK;
}
