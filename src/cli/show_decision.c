/*
 * pnyx show decisions / decision ID: the list of decisions, and one
 * decision's consensus board: who joined (and dissociated from which
 * paragraphs), who objected and why, the votes, who broke silence, who has
 * not spoken, the explanations of position, the tally and the outcome
 * (show.h). Every outcome shown is the engine's, as the server computed it;
 * 'pnyx verify URL' recomputes them.
 */
#include "cli.h"
#include "cli_text.h"
#include "show.h"

#include <stdio.h>
#include <string.h>

#define DECISION_PATH_MAX 256

/* The positions a member can hold, in the order the board shows them. */
static const struct {
	const char *position;
	const char *label;
} groups[] = {
	{"joined", "joined the consensus"},
	{"objected", "objected"},
	{"objection-withdrawn", "withdrew their objection"},
	{"yes", "voted yes"},
	{"no", "voted no"},
	{"abstain", "abstained"},
	{"broke-silence", "broke silence"},
};

int show_decisions(struct show_ctx *c, int argc, char **argv)
{
	const char *query = "";
	if (argc == 1 && strcmp(argv[0], "open") != 0 && strcmp(argv[0], "closed") != 0)
		return cli_usage_error("show", "decisions takes open or closed");
	if (argc == 1)
		query = strcmp(argv[0], "open") == 0 ? "?status=open" : "?status=closed";
	json_t *items = NULL;
	int rc = show_list(c, "/v1/decisions", query, &items);
	if (items == NULL)
		return rc;
	printf("decisions: %zu\n", json_array_size(items));
	size_t i;
	const json_t *d;
	json_array_foreach(items, i, d) {
		fputs("  ", stdout);
		cli_put_str(stdout, d, "id");
		const char *title = cli_text_in(json_object_get(d, "title"), c->lang);
		if (title != NULL) {
			fputs(": ", stdout);
			cli_put_text(stdout, title);
		}
		fputs("\n      ", stdout);
		cli_put_scalar(stdout, json_object_get(d, "procedure"));
		fputs(", ", stdout);
		cli_put_scalar(stdout, json_object_get(d, "status"));
		const char *outcome = cli_str_of(d, "outcome");
		if (outcome != NULL) {
			fputs(": ", stdout);
			cli_put_text(stdout, outcome);
		}
		fputc('\n', stdout);
	}
	json_decref(items);
	return CLI_EXIT_OK;
}

/* "KEN Kenya" */
static void put_member(struct show_ctx *c, const char *code)
{
	fputs("    ", stdout);
	cli_put_text(stdout, code);
	const char *name = show_member_name(c, code);
	if (strcmp(name, code) != 0) {
		fputc(' ', stdout);
		cli_put_text(stdout, name);
	}
}

/* One member's position: dissociations and reasons. */
static void put_position(struct show_ctx *c, const char *code, const json_t *p)
{
	put_member(c, code);
	const json_t *dis = json_object_get(p, "dissociate");
	if (json_array_size(dis) > 0) {
		fputs(", dissociating from", stdout);
		size_t i;
		const json_t *x;
		json_array_foreach(dis, i, x) {
			fputs(i > 0 ? ", " : " ", stdout);
			cli_put_scalar(stdout, x);
		}
	}
	const char *reason = cli_text_in(json_object_get(p, "reason"), c->lang);
	if (reason != NULL) {
		fputs(": \"", stdout);
		cli_put_text(stdout, reason);
		fputc('"', stdout);
	}
	fputc('\n', stdout);
}

static void put_board(struct show_ctx *c, const json_t *d, const json_t *not_spoken)
{
	const json_t *positions = json_object_get(d, "positions");
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
		size_t n = 0;
		const char *code;
		const json_t *p;
		json_object_foreach((json_t *)positions, code, p)
			n += strcmp(cli_str_of(p, "position") != NULL
					    ? cli_str_of(p, "position") : "",
				    groups[g].position) == 0;
		if (n == 0)
			continue;
		printf("  %s (%zu):\n", groups[g].label, n);
		json_object_foreach((json_t *)positions, code, p)
			if (strcmp(cli_str_of(p, "position") != NULL
					   ? cli_str_of(p, "position") : "",
				   groups[g].position) == 0)
				put_position(c, code, p);
	}
	printf("  have not spoken (%zu):\n", json_array_size(not_spoken));
	size_t i;
	const json_t *code;
	json_array_foreach(not_spoken, i, code) {
		put_member(c, json_string_value(code) != NULL ? json_string_value(code) : "?");
		fputc('\n', stdout);
	}
}

static void put_explanations(struct show_ctx *c, const json_t *list)
{
	if (json_array_size(list) == 0)
		return;
	puts("\nexplanations of position:");
	size_t i;
	const json_t *e;
	json_array_foreach(list, i, e) {
		const char *m = cli_str_of(e, "member");
		put_member(c, m != NULL ? m : "?");
		fputs(" (", stdout);
		cli_put_scalar(stdout, json_object_get(e, "when"));
		fputs(" the decision): \"", stdout);
		const char *text = cli_text_in(json_object_get(e, "text"), c->lang);
		cli_put_text(stdout, text != NULL ? text : "");
		fputs("\"\n", stdout);
	}
}

/* What the decision is about: a document's revision or a question. */
static void put_subject(const json_t *s)
{
	fputs("  about: ", stdout);
	const char *kind = cli_str_of(s, "kind");
	if (kind != NULL && strcmp(kind, "document") == 0) {
		fputs("document ", stdout);
		cli_put_scalar(stdout, json_object_get(s, "document"));
		fputs(", Rev.", stdout);
		cli_put_scalar(stdout, json_object_get(s, "revision"));
	} else {
		cli_put_text(stdout, kind != NULL ? kind : "?");
		fputc(' ', stdout);
		cli_put_scalar(stdout, json_object_get(s, "member"));
	}
	fputc('\n', stdout);
}

/* The header: title, subject, procedure, status. */
static void put_header(struct show_ctx *c, const char *id, const json_t *d)
{
	fputs("decision ", stdout);
	cli_put_text(stdout, id);
	const char *title = cli_text_in(json_object_get(d, "title"), c->lang);
	if (title != NULL) {
		fputs(": ", stdout);
		cli_put_text(stdout, title);
	}
	fputc('\n', stdout);
	put_subject(json_object_get(d, "subject"));
	fputs("  procedure: ", stdout);
	cli_put_scalar(stdout, json_object_get(d, "procedure"));
	if (json_is_true(json_object_get(d, "important")))
		fputs(" (important question: two thirds in a vote)", stdout);
	fputs("\n  opened ", stdout);
	cli_put_time(stdout, json_object_get(d, "opened_ms"));
	fputs(" by ", stdout);
	cli_put_scalar(stdout, json_object_get(d, "opened_by"));
	if (json_is_integer(json_object_get(d, "deadline_ms"))) {
		fputs("; silence until ", stdout);
		cli_put_time(stdout, json_object_get(d, "deadline_ms"));
	}
	fputs("\n  status: ", stdout);
	cli_put_scalar(stdout, json_object_get(d, "status"));
	if (json_is_integer(json_object_get(d, "closed_ms"))) {
		fputs(", closed ", stdout);
		cli_put_time(stdout, json_object_get(d, "closed_ms"));
	}
	fputs("\n\n", stdout);
}

/* The outcome and the tally's numbers. */
static void put_outcome(const json_t *d)
{
	const char *outcome = cli_str_of(d, "outcome");
	if (outcome == NULL) {
		puts("\noutcome: none yet (the decision is open)");
		return;
	}
	fputs("\noutcome: ", stdout);
	cli_put_text(stdout, outcome);
	fputs("\ntally:", stdout);
	const char *k;
	const json_t *v;
	const char *sep = " ";
	json_object_foreach(json_object_get(d, "tally"), k, v) {
		if (!json_is_integer(v) && !json_is_string(v) && !json_is_array(v))
			continue;
		fputs(sep, stdout);
		cli_put_text(stdout, k);
		fputc(' ', stdout);
		size_t n = strlen(k);
		if (json_is_array(v))
			printf("%zu", json_array_size(v));
		else if (json_is_integer(v) && n > 3 && strcmp(k + n - 3, "_ms") == 0)
			cli_put_time(stdout, v);
		else
			cli_put_scalar(stdout, v);
		sep = ", ";
	}
	fputc('\n', stdout);
}

int show_decision(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	char path[DECISION_PATH_MAX];
	snprintf(path, sizeof path, "/v1/decisions/%s", argv[0]);
	json_t *r = NULL;
	int rc = show_get(c, path, &r);
	if (r == NULL)
		return rc;
	const json_t *d = json_object_get(r, "decision");
	put_header(c, argv[0], d);
	put_board(c, d, json_object_get(r, "not_spoken"));
	put_explanations(c, json_object_get(d, "explanations"));
	put_outcome(d);
	json_decref(r);
	return CLI_EXIT_OK;
}
