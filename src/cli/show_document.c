/*
 * pnyx show document ID [REV]: a document's text at one revision, in the
 * chosen language where the text has it, with the amendments tabled to
 * that revision (show.h).
 */
#include "cli.h"
#include "cli_text.h"
#include "show.h"

#include "pnyx/text.h"

#include <stdio.h>
#include <string.h>

#define DOC_PATH_MAX 256

/* The text of t in the chosen language (or the one there is), indented. */
static void put_paragraph_text(const struct show_ctx *c, const json_t *t)
{
	const char *s = cli_text_in(t, c->lang);
	fputs("      ", stdout);
	cli_put_text(stdout, s != NULL ? s : "(no text)");
	fputc('\n', stdout);
}

static void put_paragraphs(const struct show_ctx *c, const json_t *rev)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(rev, "paragraphs"), i, p) {
		fputs("  ", stdout);
		cli_put_str(stdout, p, "id");
		if (json_is_true(json_object_get(p, "norm")))
			fputs(" (norm)", stdout);
		fputc('\n', stdout);
		put_paragraph_text(c, json_object_get(p, "text"));
	}
}

static void put_amendments(struct show_ctx *c, const json_t *amendments)
{
	printf("\namendments tabled to this revision: %zu\n",
	       json_array_size(amendments));
	size_t i;
	const json_t *a;
	json_array_foreach(amendments, i, a) {
		fputs("  ", stdout);
		cli_put_str(stdout, a, "id");
		fputs(" by ", stdout);
		const char *sponsor = cli_str_of(a, "sponsor");
		cli_put_text(stdout, sponsor != NULL ? show_member_name(c, sponsor) : "?");
		fputs(": ", stdout);
		cli_put_scalar(stdout, json_object_get(a, "op"));
		fputs(" paragraph ", stdout);
		cli_put_scalar(stdout, json_object_get(a, "paragraph"));
		fputs(", ", stdout);
		cli_put_scalar(stdout, json_object_get(a, "status"));
		size_t n = json_array_size(json_object_get(a, "cosponsors"));
		if (n > 0)
			printf(", %zu co-sponsor%s", n, cli_plural(n));
		fputc('\n', stdout);
		if (json_is_object(json_object_get(a, "text")))
			put_paragraph_text(c, json_object_get(a, "text"));
	}
}

/* The revision number to show: argv[1], or the document's latest. */
static int pick_revision(struct show_ctx *c, int argc, char **argv,
			 uint64_t *num)
{
	if (argc > 1)
		return cli_parse_u64("show", "REV", argv[1], num) && *num > 0
			       ? CLI_EXIT_OK
			       : cli_usage_error("show", "REV is a revision number (1 for Rev.1)");
	char path[DOC_PATH_MAX];
	snprintf(path, sizeof path, "/v1/documents/%s", argv[0]);
	json_t *r = NULL;
	int rc = show_get_quiet(c, path, &r);
	if (rc == CLI_EXIT_OK) {
		size_t n = json_array_size(json_object_get(json_object_get(r, "document"),
							   "revisions"));
		if (n == 0)
			rc = cli_fail("%s has no revision", argv[0]);
		*num = n;
	}
	json_decref(r);
	return rc;
}

int show_document(struct show_ctx *c, int argc, char **argv)
{
	uint64_t num = 0;
	int rc = pick_revision(c, argc, argv, &num);
	if (rc != CLI_EXIT_OK)
		return rc;
	char path[DOC_PATH_MAX];
	snprintf(path, sizeof path, "/v1/documents/%s/revisions/%llu", argv[0],
		 (unsigned long long)num);
	json_t *r = NULL;
	rc = show_get(c, path, &r);
	if (r == NULL)
		return rc;
	const json_t *doc = json_object_get(r, "document");
	const json_t *rev = json_object_get(r, "revision");
	fputs("document ", stdout);
	cli_put_text(stdout, argv[0]);
	const char *title = cli_text_in(json_object_get(doc, "title"), c->lang);
	if (title != NULL) {
		fputs(": ", stdout);
		cli_put_text(stdout, title);
	}
	printf("\nRev.%llu, issued ", (unsigned long long)num);
	cli_put_time(stdout, json_object_get(rev, "issued_ms"));
	fputs(" by ", stdout);
	cli_put_scalar(stdout, json_object_get(rev, "issued_by"));
	fputs("\n\n", stdout);
	put_paragraphs(c, rev);
	put_amendments(c, json_object_get(r, "amendments"));
	json_decref(r);
	return CLI_EXIT_OK;
}
