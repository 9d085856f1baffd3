/*
 * pnyx act: take an action as a member (or an officer, or a stakeholder).
 * Builds the action from the command line (act_fields.c), asks the server
 * for the actor's next sequence number, shows the action, signs it with the
 * actor's key and sends it (POST /v1/actions); prints the entry and the
 * signed receipt, or the rules' verdict in one line.
 */
#include "act_coop.h"
#include "act_fields.h"
#include "cli.h"
#include "http_client.h"

#include "pnyx/action.h"
#include "pnyx/action_sign.h"
#include "pnyx/mem.h"
#include "pnyx/receipt.h"
#include "pnyx/training.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"Usage: pnyx act --server URL --key FILE --as ACTOR [options] TYPE [--FIELD VALUE]...\n"
	"       pnyx act TYPE --help          the fields of one type of action\n"
	"\n"
	"Takes an action in a forum: builds it, shows it, signs it with your key\n"
	"and sends it to the forum's server, which checks it against the rules\n"
	"of procedure and, if they accept it, records it in the public log.\n"
	"You get back the entry's number in the log and a signed receipt: keep\n"
	"it, it proves that the log accepted your action and when\n"
	"('pnyx verify URL --receipt FILE' checks it).\n"
	"\n"
	"Example (Kenya objects to a decision):\n"
	"  pnyx act --server https://forum.example --key KEN.key --as KEN \\\n"
	"      consensus.object --decision adopt-report-rev3 \\\n"
	"      --reason 'Paragraph 12 prejudges the negotiations.'\n"
	"\n"
	"Options:\n"
	"  --server URL     the forum's server\n"
	"  --key FILE       your private key (as 'pnyx keygen' writes it)\n"
	"  --as ACTOR       who acts: your member code (KEN), secretariat, chair.1,\n"
	"                   or your stakeholder id (sh.example-ngo)\n"
	"  --lang LANG      the language of texts given without one (default en)\n"
	"  --yes            send without asking for confirmation\n"
	"  --dry-run        print the signed action and send nothing\n"
	"  --receipt FILE   also write the receipt to FILE (a new file)\n"
	"  --forum ID       the forum's id (default: the server's forum; needed\n"
	"                   for forum.create)\n"
	"  --seq N          your sequence number (default: the server's next one)\n"
	"  --timeout SECS   time limit of each request (default 30)\n"
	"\n"
	"Action types and who may take them:\n";

static const char help_tail[] =
	"\n"
	"Exit status: 0 the action was accepted (or, with --dry-run, signed);\n"
	"1 it was refused or could not be sent; 2 the command line is wrong.\n"
	"A refusal prints one line: pnyx: refused: <reason> (<code>), where\n"
	"<code> is a stable name (docs/API.md lists them). Nothing is recorded\n"
	"then.\n";

#define ACT_ANSWER_MAX (64u * 1024u)

struct act_args {
	const char *server, *key, *actor, *lang, *receipt, *forum;
	uint64_t seq; /* 0: ask the server */
	long timeout;
	bool yes, dry_run;
	int first; /* argv index of the type */
};

static void print_help(void)
{
	fputs(help, stdout);
	act_types_list(stdout);
	act_coop_types_list(stdout);
	fputc('\n', stdout);
	fputs(act_values_help, stdout);
	fputs(help_tail, stdout);
}

static int parse_option(int c, struct act_args *a)
{
	switch (c) {
	case 's': a->server = optarg; break;
	case 'k': a->key = optarg; break;
	case 'a': a->actor = optarg; break;
	case 'l': a->lang = optarg; break;
	case 'r': a->receipt = optarg; break;
	case 'f': a->forum = optarg; break;
	case 'y': a->yes = true; break;
	case 'd': a->dry_run = true; break;
	case 'n':
		if (!cli_parse_u64("act", "--seq", optarg, &a->seq))
			return CLI_EXIT_USAGE;
		if (a->seq == 0)
			return cli_usage_error("act", "--seq counts from 1");
		break;
	case 't': return http_timeout_arg("act", optarg, &a->timeout);
	case 'h': print_help(); return -1;
	default: return cli_usage_error("act", "unknown option");
	}
	return CLI_EXIT_OK;
}

/* The options before TYPE. CLI_EXIT_OK, -1 after the help, or an error. */
static int parse_args(int argc, char **argv, struct act_args *a)
{
	static const struct option opts[] = {
		{"server", required_argument, NULL, 's'},
		{"key", required_argument, NULL, 'k'},
		{"as", required_argument, NULL, 'a'},
		{"lang", required_argument, NULL, 'l'},
		{"receipt", required_argument, NULL, 'r'},
		{"forum", required_argument, NULL, 'f'},
		{"seq", required_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},
		{"yes", no_argument, NULL, 'y'},
		{"dry-run", no_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct act_args){.lang = "en", .timeout = HTTP_TIMEOUT_DEFAULT};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1)
		if ((rc = parse_option(c, a)) != CLI_EXIT_OK)
			return rc;
	if (optind == argc)
		return cli_usage_error("act", "name the type of action (for "
				       "example consensus.join)");
	a->first = optind;
	return CLI_EXIT_OK;
}

static int check_args(const struct act_args *a, bool is_create)
{
	if (a->key == NULL)
		return cli_usage_error("act", "--key FILE is required");
	if (a->actor == NULL)
		return cli_usage_error("act", "--as ACTOR is required");
	if (!pnyx_id_is_valid((const uint8_t *)a->actor, strlen(a->actor)))
		return cli_usage_error("act", "--as: '%s' is not an actor id", a->actor);
	if (a->forum != NULL &&
	    !pnyx_id_is_valid((const uint8_t *)a->forum, strlen(a->forum)))
		return cli_usage_error("act", "--forum: '%s' is not a forum id", a->forum);
	if (is_create && a->forum == NULL)
		return cli_usage_error("act", "forum.create needs --forum ID");
	bool offline = a->dry_run && a->forum != NULL && (a->seq != 0 || is_create);
	if (a->server == NULL && !offline)
		return cli_usage_error("act", "--server URL is required (or --dry-run "
				       "with --forum and --seq)");
	return CLI_EXIT_OK;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- the actor's sequence number and the forum ---- */

struct who {
	char forum[PNYX_ID_MAX + 1];
	uint64_t seq;
	bool training;
};

static bool set_forum(struct who *w, const char *id)
{
	if (id == NULL || !pnyx_id_is_valid((const uint8_t *)id, strlen(id)))
		return false;
	memcpy(w->forum, id, strlen(id) + 1);
	return true;
}

/* True if the verifier key text vkey is an active key in the actor's
 * "keys" list (items: a key string, or {"key", "revoked_ms"}). */
static bool key_is_listed(const json_t *keys, const char *vkey)
{
	size_t i;
	const json_t *k;
	json_array_foreach(keys, i, k) {
		const json_t *s = json_is_object(k) ? json_object_get(k, "key") : k;
		const json_t *revoked = json_object_get(k, "revoked_ms");
		if (json_is_string(s) && strcmp(json_string_value(s), vkey) == 0 &&
		    (revoked == NULL || json_is_null(revoked)))
			return true;
	}
	return false;
}

/* Reads GET /v1/actors/ACTOR into w. */
static int ask_actor(http_client *hc, const struct act_args *a,
		     const pnyx_action_type_info *t, const char *vkey,
		     struct who *w)
{
	char path[PNYX_ID_MAX + 32];
	snprintf(path, sizeof path, "/v1/actors/%s", a->actor);
	long status;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	if (!http_get_json(hc, path, &status, &r, &diag))
		return cli_fail("cannot ask the server for %s's sequence number: %s",
				a->actor, diag.msg);
	int rc = CLI_EXIT_OK;
	const json_t *actor = json_object_get(r, "actor");
	const json_t *next = json_object_get(actor, "next_seq");
	if (status == 404 && (t->actors & PNYX_ACTORS_NEW) != 0) {
		w->seq = 1; /* a newcomer's first action; forum from /v1/forum */
	} else if (status == 404) {
		rc = cli_fail("the forum at %s has no actor '%s'",
			      http_client_base(hc), a->actor);
	} else if (status != 200 || !json_is_integer(next) ||
		   json_integer_value(next) < 1) {
		rc = cli_fail("the server's answer about %s has no next sequence "
			      "number (HTTP %ld)", a->actor, status);
	} else if (json_is_array(json_object_get(actor, "keys")) &&
		   !key_is_listed(json_object_get(actor, "keys"), vkey)) {
		rc = cli_fail("%s is not an active key of %s in this forum",
			      a->key, a->actor);
	} else {
		w->seq = (uint64_t)json_integer_value(next);
		const json_t *forum = json_object_get(r, "forum");
		set_forum(w, json_string_value(json_object_get(forum, "id")));
		w->training = json_is_true(json_object_get(forum, "training"));
	}
	json_decref(r);
	return rc;
}

/* The forum's id from GET /v1/forum (a newcomer's first action). */
static int ask_forum(http_client *hc, struct who *w)
{
	long status;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	if (!http_get_json(hc, "/v1/forum", &status, &r, &diag))
		return cli_fail("cannot ask the server for its forum: %s", diag.msg);
	const json_t *forum = json_object_get(r, "forum");
	bool ok = status == 200 &&
		  set_forum(w, json_string_value(json_object_get(forum, "id")));
	w->training = json_is_true(json_object_get(forum, "training"));
	json_decref(r);
	return ok ? CLI_EXIT_OK
		  : cli_fail("the server did not say which forum it holds "
			     "(HTTP %ld); give --forum ID", status);
}

static int find_who(http_client *hc, const struct act_args *a,
		    const pnyx_action_type_info *t, const char *vkey,
		    struct who *w)
{
	*w = (struct who){.seq = a->seq};
	if (a->forum != NULL)
		set_forum(w, a->forum);
	if (strcmp(t->type, "forum.create") == 0 && w->seq == 0)
		w->seq = 1;
	if (w->seq != 0 && w->forum[0] != 0)
		return CLI_EXIT_OK;
	struct who got = *w;
	int rc = ask_actor(hc, a, t, vkey, &got);
	if (rc == CLI_EXIT_OK && got.forum[0] == 0)
		rc = ask_forum(hc, &got);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (w->seq != 0)
		got.seq = w->seq;
	if (w->forum[0] != 0)
		memcpy(got.forum, w->forum, sizeof got.forum);
	*w = got;
	return CLI_EXIT_OK;
}

/* ---- building, showing, signing, sending ---- */

/* Adds the envelope to the fields and signs the action into note. */
static int sign_action(json_t *body, const struct act_args *a,
		       const char *type, const struct who *w,
		       const pnyx_signer *key, pnyx_buf *note)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_action_envelope(body, w->forum, a->actor, w->seq,
					    type, &diag);
	if (err == PNYX_OK)
		err = pnyx_action_sign(body, key, note, &diag);
	if (err != PNYX_OK)
		return cli_fail_err("cannot sign the action", err, &diag);
	return CLI_EXIT_OK;
}

/* Shows what will be signed, on standard error (standard output carries
 * the result). */
static void show(const json_t *body, const struct act_args *a,
		 const pnyx_signer *key, const struct who *w)
{
	char *text = json_dumps(body, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (w->training)
		fputs(PNYX_TRAINING_NOTICE "\n", stderr);
	fprintf(stderr, "Action of %s, signed with the key %s%s%s:\n%s\n", a->actor,
		key->name, a->server != NULL ? ", for " : "",
		a->server != NULL ? a->server : "", text != NULL ? text : "?");
	pnyx_free(text);
}

/* Asks on the terminal; true if the answer starts with y. */
static bool confirm(void)
{
	if (!isatty(STDIN_FILENO)) {
		cli_fail("not sent: confirm with --yes when not at a terminal");
		return false;
	}
	fputs("Sign and send this action? [y/N] ", stderr);
	char line[16];
	if (fgets(line, sizeof line, stdin) != NULL &&
	    (line[0] == 'y' || line[0] == 'Y'))
		return true;
	cli_fail("not sent");
	return false;
}

/* Prints an accepted action's entry and receipt; writes the receipt to
 * the file receipt_path if it is not NULL. */
static int accepted(const char *receipt_path, const pnyx_buf *answer)
{
	json_error_t jerr;
	json_t *r = json_loadb((const char *)answer->data, answer->len, 0, &jerr);
	const json_t *index = json_object_get(r, "index");
	const char *receipt = json_string_value(json_object_get(r, "receipt"));
	if (!json_is_integer(index) || receipt == NULL ||
	    strlen(receipt) > PNYX_RECEIPT_MAX) {
		json_decref(r);
		return cli_fail("the server accepted the action but its answer "
				"has no entry number or receipt");
	}
	int rc = CLI_EXIT_OK;
	printf("accepted: entry %" JSON_INTEGER_FORMAT " of the log\n",
	       json_integer_value(index));
	if (receipt_path != NULL &&
	    !cli_write_new_file(receipt_path, (const uint8_t *)receipt,
				strlen(receipt), 0644))
		rc = CLI_EXIT_FAIL;
	fputs(receipt_path != NULL ? "receipt (also written to the file):\n"
				   : "receipt (keep it):\n", stdout);
	fputs(receipt, stdout);
	json_decref(r);
	return rc;
}

static int send_action(http_client *hc, const char *path,
		       const char *receipt_path, const pnyx_buf *note)
{
	pnyx_buf answer;
	pnyx_buf_init(&answer, ACT_ANSWER_MAX);
	long status;
	pnyx_diag diag = {{0}};
	int rc;
	if (!http_post(hc, path, note->data, note->len, ACT_ANSWER_MAX,
		       &answer, &status, &diag)) {
		rc = cli_fail("cannot send the action: %s", diag.msg);
	} else if (status == 201) {
		rc = accepted(receipt_path, &answer);
	} else {
		char why[300];
		http_problem_text(status, &answer, why, sizeof why);
		rc = cli_fail("refused: %s", why);
	}
	pnyx_buf_clear(&answer);
	return rc;
}

int act_deliver(http_client *hc, const char *path, const char *receipt_path,
		act_mode mode, const pnyx_buf *note)
{
	if (mode == ACT_DRY_RUN)
		return cli_write_stdout(note->data, note->len) ? CLI_EXIT_OK
							       : CLI_EXIT_FAIL;
	if (mode == ACT_ASK && !confirm())
		return CLI_EXIT_FAIL;
	return send_action(hc, path, receipt_path, note);
}

/* Everything after the arguments are read and the key is loaded. */
static int act(const struct act_args *a, const pnyx_action_type_info *t,
	       json_t *body, const pnyx_signer *key, http_client *hc)
{
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	pnyx_buf vkey;
	pnyx_buf_init(&vkey, 1024);
	struct who w;
	int rc = pnyx_verifier_encode(&v, &vkey) != PNYX_OK
			 ? cli_fail("out of memory")
			 : find_who(hc, a, t, (const char *)vkey.data, &w);
	pnyx_buf_clear(&vkey);
	if (rc != CLI_EXIT_OK)
		return rc;
	pnyx_buf note;
	pnyx_buf_init(&note, CLI_NOTE_MAX);
	rc = sign_action(body, a, t->type, &w, key, &note);
	if (rc == CLI_EXIT_OK) {
		show(body, a, key, &w);
		rc = act_deliver(hc, "/v1/actions", a->receipt,
				 a->dry_run ? ACT_DRY_RUN : a->yes ? ACT_YES : ACT_ASK,
				 &note);
	}
	pnyx_buf_clear(&note);
	return rc;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (cli_is_help(argv[i]))
			return true;
	return false;
}

static int run(const struct act_args *a, const pnyx_action_type_info *t,
	       json_t *body)
{
	pnyx_signer key;
	if (!cli_load_signer(a->key, &key))
		return CLI_EXIT_FAIL;
	http_client *hc = NULL;
	pnyx_diag diag = {{0}};
	if (a->server != NULL &&
	    (hc = http_client_new(a->server, a->timeout, &diag)) == NULL) {
		pnyx_signer_clear(&key);
		return cli_usage_error("act", "--server %s: %s", a->server, diag.msg);
	}
	int rc = act(a, t, body, &key, hc);
	http_client_free(hc);
	pnyx_signer_clear(&key);
	return rc;
}

int cmd_act(int argc, char **argv)
{
	struct act_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	const char *type = argv[a.first];
	pnyx_action_type_info t;
	if (!pnyx_action_type_find(type, &t))
		return cli_usage_error("act", "there is no action type '%s'; "
				       "'pnyx act --help' lists them", type);
	if (t.log == PNYX_LOG_COOPERATION)
		return act_coop(&(act_coop_opts){a.server, a.key, a.actor, a.forum,
						 a.receipt, a.seq, now_ms(),
						 a.timeout, a.yes, a.dry_run},
				&t, argc - a.first - 1, argv + a.first + 1);
	int nf = argc - a.first - 1;
	char **fields = argv + a.first + 1;
	if (wants_help(nf, fields)) {
		act_fields_help(&t, stdout);
		return CLI_EXIT_OK;
	}
	if ((rc = check_args(&a, strcmp(type, "forum.create") == 0)) != CLI_EXIT_OK)
		return rc;
	json_t *body = NULL;
	if ((rc = act_fields_build(&t, nf, fields, a.lang, now_ms(), &body)) !=
	    CLI_EXIT_OK)
		return rc;
	rc = run(&a, &t, body);
	json_decref(body);
	return rc;
}
