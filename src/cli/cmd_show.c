/*
 * pnyx show: print a forum's record in the terminal, in one of the six UN
 * languages, from the server's read API (show.h). The views themselves are
 * in show_views.c and show_decision.c.
 */
#include "cli.h"
#include "pnyx/languages.h"
#include "cli_text.h"
#include "show.h"

#include "pnyx/action.h"
#include "pnyx/mem.h"
#include "pnyx/training.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx show --server URL [--lang LANG] [--json] VIEW [ARGS]\n"
	"\n"
	"Prints what the forum's record says, as its server publishes it.\n"
	"(To check the record rather than read it, use 'pnyx verify URL'.)\n"
	"\n"
	"Views:\n"
	"  forum                  the forum: title, languages, rules of procedure,\n"
	"                         officers, counts\n"
	"  members                every member and its status\n"
	"  member CODE            one member (ISO 3166-1 alpha-3 code, e.g. KEN)\n"
	"  documents              the documents under negotiation\n"
	"  document ID [REV]      a document's text at revision REV (default: the\n"
	"                         latest), with its amendments\n"
	"  decisions [open|closed]\n"
	"                         the decisions, with their status and outcome\n"
	"  decision ID            the consensus board of a decision: who joined\n"
	"                         (and dissociated from what), who objected and why,\n"
	"                         the votes, who has not spoken, the explanations,\n"
	"                         the tally and the outcome\n"
	"  stakeholders           accreditation of stakeholders, with objections\n"
	"  commitments            members' commitments to adopted norms\n"
	"  sessions               the sessions: dates, status, registered delegations\n"
	"  session ID             a session's agenda, with the statements delivered\n"
	"                         under each item\n"
	"  statements ACTOR       a delegation's (or stakeholder's) statements over\n"
	"                         time\n"
	"  board [AREA]           the capacity-building board: needs, pledges,\n"
	"                         offers that could match (AREA e.g. cert-maturity)\n"
	"  actor ID               an actor: its keys and its last sequence number\n"
	"\n"
	"Options:\n"
	"  --server URL     the forum's server\n"
	"  --lang LANG      ar, en, es, fr, ru or zh: the language of state names\n"
	"                   and of texts that exist in it (default en)\n"
	"  --json           print the server's answers as they are\n"
	"  --timeout SECS   time limit of each request (default 30)\n"
	"\n"
	"A forum that is a training simulation is marked on every view.\n"
	"\n"
	"Exit status: 0 shown, 1 the server cannot be reached or has no such\n"
	"object, 2 the command line is wrong.\n";

#define SHOW_PAGE "1000"
#define SHOW_PATH_MAX 512


static const struct {
	const char *name;
	int min, max; /* arguments */
	int (*fn)(struct show_ctx *, int, char **);
} views[] = {
	{"forum", 0, 0, show_forum},
	{"members", 0, 0, show_members},
	{"member", 1, 1, show_member},
	{"documents", 0, 0, show_documents},
	{"document", 1, 2, show_document},
	{"decisions", 0, 1, show_decisions},
	{"decision", 1, 1, show_decision},
	{"stakeholders", 0, 0, show_stakeholders},
	{"commitments", 0, 0, show_commitments},
	{"actor", 1, 1, show_actor},
	{"sessions", 0, 0, show_sessions},
	{"session", 1, 1, show_session},
	{"statements", 1, 1, show_statements},
	{"board", 0, 1, show_board},
};

/* ---- talking to the server ---- */

static void print_notice(struct show_ctx *c, const json_t *r)
{
	if (c->noticed || c->json)
		return;
	const char *notice = cli_str_of(r, "notice");
	if (notice == NULL &&
	    !json_is_true(json_object_get(json_object_get(r, "forum"), "training")))
		return;
	fputs(notice != NULL && strncmp(notice, "Training simulation", 19) == 0
		      ? notice
		      : PNYX_TRAINING_NOTICE, stdout);
	fputs("\n\n", stdout);
	c->noticed = true;
}

/* Prints an answer as it came, for --json. */
static void print_raw(const json_t *r)
{
	char *text = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
	if (text != NULL)
		puts(text);
	pnyx_free(text);
}

int show_get_quiet(struct show_ctx *c, const char *path, json_t **out)
{
	pnyx_buf body;
	pnyx_buf_init(&body, HTTP_JSON_MAX);
	long status;
	pnyx_diag diag = {{0}};
	int rc = CLI_EXIT_OK;
	*out = NULL;
	if (!http_get(c->hc, path, HTTP_JSON_MAX, &body, &status, &diag)) {
		rc = cli_fail("cannot read %s: %s", path, diag.msg);
	} else if (status != 200) {
		char why[300];
		http_problem_text(status, &body, why, sizeof why);
		rc = cli_fail("%s: %s", path, why);
	} else {
		json_error_t jerr;
		*out = json_loadb((const char *)body.data, body.len,
				  JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(*out)) {
			json_decref(*out);
			*out = NULL;
			rc = cli_fail("%s: the answer is not a JSON object", path);
		}
	}
	pnyx_buf_clear(&body);
	return rc;
}

/* GET path as a JSON object: printed as it is with --json, else the
 * training line and the heading once. */
static int fetch(struct show_ctx *c, const char *path, json_t **out)
{
	int rc = show_get_quiet(c, path, out);
	if (rc == CLI_EXIT_OK && c->json) {
		print_raw(*out);
	} else if (rc == CLI_EXIT_OK) {
		print_notice(c, *out);
		if (!c->headed)
			show_heading(*out);
		c->headed = true;
	}
	return rc;
}

int show_get(struct show_ctx *c, const char *path, json_t **out)
{
	int rc = fetch(c, path, out);
	if (rc == CLI_EXIT_OK && c->json) {
		json_decref(*out);
		*out = NULL; /* printed: nothing more to show */
	}
	return rc;
}

/* Appends the items of one page to all; sets next (cap bytes) to the
 * cursor or "". */
static int list_page(struct show_ctx *c, const char *path, const char *query,
		     json_t *all, char *next, size_t cap)
{
	char url[SHOW_PATH_MAX];
	int n = snprintf(url, sizeof url, "%s%s%slimit=" SHOW_PAGE "%s%s", path,
			 query, query[0] != 0 ? "&" : "?",
			 next[0] != 0 ? "&after=" : "", next);
	if (n < 0 || (size_t)n >= sizeof url)
		return cli_fail("the request is too long");
	json_t *r = NULL;
	int rc = fetch(c, url, &r);
	if (rc != CLI_EXIT_OK)
		return rc;
	const json_t *items = json_object_get(r, "items");
	const char *cursor = cli_str_of(r, "next");
	next[0] = 0;
	if (!json_is_array(items) || json_array_extend(all, (json_t *)items) != 0)
		rc = cli_fail("%s: the answer has no list of items", path);
	else if (cursor != NULL && (strlen(cursor) >= cap ||
				    !pnyx_id_is_valid((const uint8_t *)cursor,
						      strlen(cursor))))
		rc = cli_fail("%s: the next page's cursor is not an id", path);
	else if (cursor != NULL)
		memcpy(next, cursor, strlen(cursor) + 1);
	json_decref(r);
	return rc;
}

int show_list(struct show_ctx *c, const char *path, const char *query,
	      json_t **out)
{
	json_t *all = json_array();
	if (all == NULL)
		return cli_fail("out of memory");
	char next[PNYX_ID_MAX + 1] = "";
	int rc;
	do
		rc = list_page(c, path, query, all, next, sizeof next);
	while (rc == CLI_EXIT_OK && next[0] != 0);
	if (rc != CLI_EXIT_OK || c->json) {
		json_decref(all); /* with --json, every page was printed */
		all = NULL;
	}
	*out = all;
	return rc;
}

/* Loads code -> name from /v1/members?lang=LANG, once. */
static void load_names(struct show_ctx *c)
{
	c->names = json_object();
	if (c->names == NULL)
		return;
	char query[16];
	snprintf(query, sizeof query, "?lang=%s", c->lang);
	json_t *items = NULL;
	bool json = c->json;
	c->json = false; /* names are a help, not the answer asked for */
	if (show_list(c, "/v1/members", query, &items) == CLI_EXIT_OK) {
		size_t i;
		const json_t *m;
		json_array_foreach(items, i, m) {
			const char *code = cli_str_of(m, "code");
			json_t *name = json_object_get(m, "name");
			if (code != NULL && json_is_string(name))
				json_object_set(c->names, code, name);
		}
	}
	c->json = json;
	json_decref(items);
}

const char *show_member_name(struct show_ctx *c, const char *code)
{
	if (c->names == NULL)
		load_names(c);
	const char *name = cli_str_of(c->names, code);
	return name != NULL ? name : code;
}

/* ---- the command line ---- */

struct show_args {
	const char *server, *lang;
	long timeout;
	bool json;
};

static int parse_option(int c, struct show_args *a)
{
	switch (c) {
	case 's': a->server = optarg; break;
	case 'l': a->lang = optarg; break;
	case 'j': a->json = true; break;
	case 't': return http_timeout_arg("show", optarg, &a->timeout);
	case 'h': fputs(help, stdout); return -1;
	default: return cli_usage_error("show", "unknown option");
	}
	return CLI_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct show_args *a)
{
	static const struct option opts[] = {
		{"server", required_argument, NULL, 's'},
		{"lang", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct show_args){.lang = "en", .timeout = HTTP_TIMEOUT_DEFAULT};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if ((rc = parse_option(c, a)) != CLI_EXIT_OK)
			return rc;
	bool lang_ok = false;
	for (size_t i = 0; i < PNYX_UN_LANGUAGE_COUNT; i++)
		lang_ok = lang_ok || strcmp(a->lang, pnyx_un_languages[i]) == 0;
	if (!lang_ok)
		return cli_usage_error("show", "--lang is one of ar, en, es, fr, ru, zh");
	if (a->server == NULL)
		return cli_usage_error("show", "--server URL is required");
	if (optind == argc)
		return cli_usage_error("show", "name a view (forum, members, "
				       "documents, decisions, decision ID, ...)");
	return CLI_EXIT_OK;
}

/* Arguments that go into a path must be ids. */
static int check_ids(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!pnyx_id_is_valid((const uint8_t *)argv[i], strlen(argv[i])))
			return cli_usage_error("show", "'%s' is not an identifier",
					       argv[i]);
	return CLI_EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	struct show_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	const char *view = argv[optind];
	int nargs = argc - optind - 1;
	char **args = argv + optind + 1;
	size_t v = 0;
	while (v < sizeof views / sizeof *views && strcmp(views[v].name, view) != 0)
		v++;
	if (v == sizeof views / sizeof *views)
		return cli_usage_error("show", "there is no view '%s'", view);
	if (nargs < views[v].min || nargs > views[v].max)
		return cli_usage_error("show", "wrong number of arguments for %s", view);
	if ((rc = check_ids(nargs, args)) != CLI_EXIT_OK)
		return rc;
	pnyx_diag diag = {{0}};
	struct show_ctx c = {.lang = a.lang, .json = a.json};
	c.hc = http_client_new(a.server, a.timeout, &diag);
	if (c.hc == NULL)
		return cli_usage_error("show", "--server %s: %s", a.server, diag.msg);
	rc = views[v].fn(&c, nargs, args);
	json_decref(c.names);
	http_client_free(c.hc);
	if (fflush(stdout) != 0)
		rc = cli_fail("cannot write to standard output");
	return rc;
}
