/*
 * pnyx show sessions / session ID / statements ACTOR / board [AREA]: the
 * sessions, one session's agenda with the statements delivered under each
 * item, one delegation's statements over time, and the capacity-building
 * board (show.h). Texts are printed in the chosen language when the
 * speaker gave one, otherwise in the language given, marked.
 */
#include "cli.h"
#include "cli_text.h"
#include "show.h"

#include "pnyx/action.h"

#include <stdio.h>
#include <string.h>

#define SESSION_PATH_MAX 256

/* A multilingual text in the chosen language, or in the one it has,
 * marked "[fr]". */
static void put_texts(struct show_ctx *c, const json_t *texts)
{
	const char *s = cli_text_in(texts, c->lang);
	if (s == NULL)
		return;
	const char *lang;
	const json_t *t;
	json_object_foreach((json_t *)texts, lang, t)
		if (json_string_value(t) == s && strcmp(lang, c->lang) != 0) {
			fputc('[', stdout);
			cli_put_text(stdout, lang);
			fputs("] ", stdout);
		}
	cli_put_text(stdout, s);
}

/* CLI_EXIT_USAGE (after saying so) unless id is an identifier. */
static int need_id(const char *id)
{
	if (!pnyx_id_is_valid((const uint8_t *)id, strlen(id)))
		return cli_usage_error("show", "not an identifier");
	return CLI_EXIT_OK;
}

/* Builds /base/ID; CLI_EXIT_USAGE if ID is not an id. */
static int path_of(char *out, const char *base, const char *id)
{
	int rc = need_id(id);
	if (rc == CLI_EXIT_OK)
		snprintf(out, SESSION_PATH_MAX, "%s/%s", base, id);
	return rc;
}

/* "ID: title" and, on the next line after indent, "kind, status". */
static void put_head(struct show_ctx *c, const json_t *s, const char *indent)
{
	cli_put_str(stdout, s, "id");
	fputs(": ", stdout);
	put_texts(c, json_object_get(s, "title"));
	fputc('\n', stdout);
	fputs(indent, stdout);
	cli_put_str(stdout, s, "kind");
	fputs(", ", stdout);
	cli_put_str(stdout, s, "status");
}

int show_sessions(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	json_t *items = NULL;
	int rc = show_list(c, "/v1/sessions", "", &items);
	if (items == NULL)
		return rc;
	printf("sessions: %zu\n", json_array_size(items));
	size_t i;
	const json_t *s;
	json_array_foreach(items, i, s) {
		fputs("  ", stdout);
		put_head(c, s, "      ");
		fputs(", from ", stdout);
		cli_put_time(stdout, json_object_get(s, "start_ms"));
		fputs(" to ", stdout);
		cli_put_time(stdout, json_object_get(s, "end_ms"));
		printf(", %lld delegations registered\n",
		       (long long)json_integer_value(json_object_get(s, "participants_count")));
	}
	json_decref(items);
	return CLI_EXIT_OK;
}

/* "FRA France (in writing), in reply to st-1: text" */
static void put_statement(struct show_ctx *c, const json_t *st)
{
	fputs("    ", stdout);
	cli_put_str(stdout, st, "by");
	const char *name = cli_str_of(st, "name");
	const char *by = cli_str_of(st, "by");
	if (name != NULL && strcmp(name, by != NULL ? by : "") != 0) {
		fputc(' ', stdout);
		cli_put_text(stdout, name);
	}
	const char *mode = cli_str_of(st, "mode");
	if (mode != NULL && strcmp(mode, "written") == 0)
		fputs(" (in writing)", stdout);
	if (cli_str_of(st, "reply_to") != NULL) {
		fputs(", in reply to ", stdout);
		cli_put_str(stdout, st, "reply_to");
	}
	fputs(" [", stdout);
	cli_put_str(stdout, st, "id");
	fputs("]: ", stdout);
	put_texts(c, json_object_get(st, "text"));
	if (cli_str_of(st, "attachment") != NULL) {
		fputs("\n      attachment ", stdout);
		cli_put_str(stdout, st, "attachment");
	}
	fputc('\n', stdout);
}

static void put_agenda(struct show_ctx *c, const json_t *agenda)
{
	fputs("agenda (", stdout);
	cli_put_str(stdout, agenda, "status");
	if (cli_str_of(agenda, "decision") != NULL) {
		fputs(" by decision ", stdout);
		cli_put_str(stdout, agenda, "decision");
	}
	fputs("):\n", stdout);
	size_t i, j;
	const json_t *it, *st;
	json_array_foreach(json_object_get(agenda, "items"), i, it) {
		fputs("  item ", stdout);
		cli_put_str(stdout, it, "id");
		fputs(": ", stdout);
		put_texts(c, json_object_get(it, "title"));
		const json_t *list = json_object_get(it, "statements");
		printf(" (%zu statement%s)\n", json_array_size(list),
		       cli_plural(json_array_size(list)));
		json_array_foreach(list, j, st)
			put_statement(c, st);
	}
}

int show_session(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	char path[SESSION_PATH_MAX + 16];
	int rc = path_of(path, "/v1/sessions", argv[0]);
	if (rc != CLI_EXIT_OK)
		return rc;
	snprintf(path + strlen(path), sizeof path - strlen(path), "?lang=%s", c->lang);
	json_t *r = NULL;
	rc = show_get(c, path, &r);
	if (r == NULL)
		return rc;
	const json_t *s = json_object_get(r, "session");
	fputs("session ", stdout);
	put_head(c, s, "  ");
	if (cli_str_of(s, "venue") != NULL) {
		fputs(", ", stdout);
		cli_put_str(stdout, s, "venue");
	}
	fputs(json_is_true(json_object_get(s, "online")) ? ", online\n" : "\n", stdout);
	const json_t *parts = json_object_get(s, "participants");
	printf("registered delegations (%zu):", json_array_size(parts));
	size_t i;
	const json_t *p;
	json_array_foreach(parts, i, p) {
		fputc(' ', stdout);
		cli_put_str(stdout, p, "code");
	}
	fputc('\n', stdout);
	put_agenda(c, json_object_get(s, "agenda"));
	json_decref(r);
	return CLI_EXIT_OK;
}

int show_statements(struct show_ctx *c, int argc, char **argv)
{
	(void)argc;
	int rc = need_id(argv[0]);
	if (rc != CLI_EXIT_OK)
		return rc;
	char query[SESSION_PATH_MAX];
	snprintf(query, sizeof query, "?by=%s&lang=%s", argv[0], c->lang);
	json_t *items = NULL;
	rc = show_list(c, "/v1/statements", query, &items);
	if (items == NULL)
		return rc;
	printf("statements by %s: %zu\n", argv[0], json_array_size(items));
	size_t i;
	const json_t *st;
	json_array_foreach(items, i, st) {
		fputs("  ", stdout);
		cli_put_time(stdout, json_object_get(st, "ms"));
		fputs(", session ", stdout);
		cli_put_str(stdout, st, "session");
		fputs(", item ", stdout);
		cli_put_str(stdout, st, "item");
		fputc('\n', stdout);
		put_statement(c, st);
	}
	json_decref(items);
	return CLI_EXIT_OK;
}

/* One need: area, status, who asked, the pledges, the suggested offers. */
static void put_need(struct show_ctx *c, const json_t *n)
{
	fputs("  ", stdout);
	cli_put_str(stdout, n, "id");
	fputs(" (", stdout);
	cli_put_str(stdout, n, "area");
	fputs(", ", stdout);
	cli_put_str(stdout, n, "status");
	fputs(") asked by ", stdout);
	cli_put_text(stdout, show_member_name(c, cli_str_of(n, "by") != NULL
							 ? cli_str_of(n, "by") : "?"));
	fputs(": ", stdout);
	put_texts(c, json_object_get(n, "title"));
	fputc('\n', stdout);
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(n, "pledges"), i, p) {
		fputs("      pledge ", stdout);
		cli_put_str(stdout, p, "id");
		fputs(" by ", stdout);
		cli_put_str(stdout, p, "by");
		fputs(" (offer ", stdout);
		cli_put_str(stdout, p, "offer");
		fputs("): ", stdout);
		cli_put_str(stdout, p, "status");
		fputc('\n', stdout);
	}
	const json_t *sug = json_object_get(n, "suggestions");
	if (json_array_size(sug) == 0)
		return;
	fputs("      offers that could match:", stdout);
	json_array_foreach(sug, i, p) {
		fputc(' ', stdout);
		cli_put_scalar(stdout, p);
	}
	fputc('\n', stdout);
}

int show_board(struct show_ctx *c, int argc, char **argv)
{
	char query[SESSION_PATH_MAX] = "";
	if (argc == 1) {
		size_t n = strlen(argv[0]);
		for (size_t i = 0; i < n; i++)
			if (!(argv[0][i] >= 'a' && argv[0][i] <= 'z') && argv[0][i] != '-')
				return cli_usage_error("show", "board takes an area, e.g. "
							       "cert-maturity");
		snprintf(query, sizeof query, "?area=%s", argv[0]);
	}
	json_t *items = NULL;
	int rc = show_list(c, "/v1/board", query, &items);
	if (items == NULL)
		return rc;
	printf("capacity-building needs: %zu\n", json_array_size(items));
	size_t i;
	const json_t *n;
	json_array_foreach(items, i, n)
		put_need(c, n);
	json_decref(items);
	return CLI_EXIT_OK;
}
