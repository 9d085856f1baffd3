/*
 * pnyx inbox: a point of contact reads the cooperation requests that
 * concern its member (GET /v1/cooperation/requests, signed as the member),
 * and the content of each step, decrypted on this machine with the
 * contact's X25519 key: every sealed step's entry is fetched
 * (GET /v1/cooperation/entries/N), its note's signature checked against
 * the author's keys on the public record (GET /v1/actors/ID), and its
 * sealed body opened (pnyx/coop_seal.h).
 */
#include "cli.h"
#include "cli_text.h"
#include "coop_client.h"
#include "inbox.h"

#include "pnyx/coop_seal.h"
#include "pnyx/mem.h"

#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx inbox --server URL --key FILE --as MEMBER --contact-key FILE\n"
	"                  [--outbox | --all] [--save DIR] [--json] [--timeout SECS]\n"
	"\n"
	"Lists the cooperation requests your member received (or, with --outbox,\n"
	"sent; --all: both), with their status, kind, severity and TLP label,\n"
	"the acknowledgement deadline and whether it was missed, and the text\n"
	"and attachments of every step, decrypted here with your point of\n"
	"contact's key. The server holds only ciphertext; it cannot read them.\n"
	"\n"
	"Each encrypted step is checked before it is shown: its entry must be\n"
	"in the cooperation log (an inclusion proof in a checkpoint signed with\n"
	"the log's key named on the public record), signed by a key its author\n"
	"held at that time on the public record, and its ciphertext must\n"
	"authenticate for your key (a changed ciphertext, or one encrypted to\n"
	"another contact, does not). A step that fails is reported in one line,\n"
	"and the exit status is then 1.\n"
	"\n"
	"Example (the French CERT reads its inbox):\n"
	"  pnyx inbox --server https://forum.example --key FRA.key --as FRA \\\n"
	"      --contact-key FRA_tech-1.contact.key\n"
	"\n"
	"Options:\n"
	"  --server URL         the forum's server\n"
	"  --key FILE           your member's signing key (the server lets only\n"
	"                       the two members of a request read it)\n"
	"  --as MEMBER          your member code, e.g. FRA\n"
	"  --contact-key FILE   your point of contact's key ('pnyx keygen\n"
	"                       --contact'); repeat for several contacts\n"
	"  --outbox             the requests your member sent\n"
	"  --all                the requests your member sent and received\n"
	"  --save DIR           write the decrypted attachments to new files in\n"
	"                       DIR (<request>-<entry>-<name>, readable only by\n"
	"                       you); they are written as they came: open them\n"
	"                       with the care any file from outside deserves\n"
	"  --json               the requests as JSON, each step with its\n"
	"                       \"message\" (decrypted) or its \"error\"\n"
	"  --timeout SECS       time limit of each request (default 30)\n"
	"\n"
	"Handle what you read as its TLP label says (CLEAR, GREEN, AMBER,\n"
	"AMBER+STRICT, RED: FIRST's Traffic Light Protocol 2.0).\n"
	"Answer with 'pnyx act ... request.ack|request.answer|request.decline\n"
	"--request ID'.\n"
	"\n"
	"Exit status: 0 every step was read, 1 a step could not be read or the\n"
	"server refused, 2 the command line is wrong.\n";

struct inbox_args {
	const char *server, *key, *actor, *box, *save;
	const char *contact_keys[INBOX_KEYS_MAX];
	size_t nkeys;
	bool json;
	long timeout;
};

static int parse_option(int c, struct inbox_args *a)
{
	switch (c) {
	case 's': a->server = optarg; break;
	case 'k': a->key = optarg; break;
	case 'a': a->actor = optarg; break;
	case 'o': a->box = "outbox"; break;
	case 'l': a->box = "all"; break;
	case 'j': a->json = true; break;
	case 'd': a->save = optarg; break;
	case 'c':
		if (a->nkeys == INBOX_KEYS_MAX)
			return cli_usage_error("inbox", "at most %d --contact-key",
					       INBOX_KEYS_MAX);
		a->contact_keys[a->nkeys++] = optarg;
		break;
	case 't': return http_timeout_arg("inbox", optarg, &a->timeout);
	case 'h': fputs(help, stdout); return -1;
	default: return cli_usage_error("inbox", "unknown option");
	}
	return CLI_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct inbox_args *a)
{
	static const struct option opts[] = {
		{"server", required_argument, NULL, 's'},
		{"key", required_argument, NULL, 'k'},
		{"as", required_argument, NULL, 'a'},
		{"contact-key", required_argument, NULL, 'c'},
		{"outbox", no_argument, NULL, 'o'},
		{"all", no_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{"save", required_argument, NULL, 'd'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct inbox_args){.box = "inbox", .timeout = HTTP_TIMEOUT_DEFAULT};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if ((rc = parse_option(c, a)) != CLI_EXIT_OK)
			return rc;
	if (optind != argc)
		return cli_usage_error("inbox", "unexpected argument '%s'",
				       argv[optind]);
	if (a->server == NULL || a->key == NULL || a->actor == NULL)
		return cli_usage_error("inbox", "--server, --key and --as are "
				       "required");
	if (a->nkeys == 0)
		return cli_usage_error("inbox", "--contact-key FILE is required: "
				       "the key that decrypts your messages");
	return CLI_EXIT_OK;
}

static int load_keys(const struct inbox_args *a, inbox_keys *k)
{
	for (size_t i = 0; i < a->nkeys; i++) {
		pnyx_buf file;
		if (!cli_read_file(a->contact_keys[i], &file))
			return CLI_EXIT_FAIL;
		char name[PNYX_KEY_NAME_MAX + 1];
		uint8_t pk[PNYX_HPKE_PK_LEN];
		pnyx_diag d = {{0}};
		pnyx_err err = pnyx_coop_key_parse(file.data, file.len, name,
						   k->sk[i], pk, &d);
		if (file.data != NULL)
			sodium_memzero(file.data, file.len);
		pnyx_buf_clear(&file);
		if (err != PNYX_OK)
			return cli_fail("%s: %s", a->contact_keys[i], d.msg);
		k->n = i + 1;
	}
	return CLI_EXIT_OK;
}

/* ---- printing ---- */

/* Writes text line by line, each indented, escaped for the terminal. */
static void put_lines(FILE *f, const char *text, const char *indent)
{
	size_t n = strlen(text);
	char *copy = pnyx_malloc(n + 1);
	if (copy == NULL) {
		fprintf(f, "%s(out of memory)\n", indent);
		return;
	}
	memcpy(copy, text, n + 1);
	for (char *line = copy, *nl; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = 0;
		if (nl == NULL && line[0] == 0 && line != copy)
			break;
		fputs(indent, f);
		cli_put_text(f, line);
		fputc('\n', f);
	}
	sodium_memzero(copy, n);
	pnyx_free(copy);
}

static void put_message(FILE *f, const json_t *msg)
{
	static const char *const extra[] = {"offence", "need"};
	put_lines(f, cli_str_of(msg, "text") != NULL ? cli_str_of(msg, "text") : "",
		  "      ");
	for (size_t i = 0; i < 2; i++)
		if (cli_str_of(msg, extra[i]) != NULL) {
			fprintf(f, "    %s:\n", extra[i]);
			put_lines(f, cli_str_of(msg, extra[i]), "      ");
		}
	size_t i;
	const json_t *att;
	json_array_foreach(json_object_get(msg, "attachments"), i, att) {
		const char *data = cli_str_of(att, "data");
		size_t len = data != NULL ? strlen(data) : 0;
		size_t pad = (len > 0 && data[len - 1] == '=' ? 1u : 0u) +
			     (len > 1 && data[len - 2] == '=' ? 1u : 0u);
		fputs("    attachment: ", f);
		cli_put_str(f, att, "name");
		fputs(" (", f);
		cli_put_str(f, att, "type");
		fprintf(f, ", %zu bytes)", len / 4 * 3 - pad);
		if (cli_str_of(att, "saved_to") != NULL) {
			fputs(" saved to ", f);
			cli_put_str(f, att, "saved_to");
		}
		fputc('\n', f);
	}
}

static void put_step(FILE *f, const json_t *step)
{
	fputs("  ", f);
	cli_put_str(f, step, "type");
	fputs(" by ", f);
	cli_put_str(f, step, "actor");
	fputs(", ", f);
	cli_put_time(f, json_object_get(step, "time_ms"));
	fprintf(f, ", entry %" JSON_INTEGER_FORMAT,
		json_integer_value(json_object_get(step, "index")));
	const json_t *msg = json_object_get(step, "message");
	const char *err = cli_str_of(step, "error");
	if (err != NULL) {
		fputs(": cannot be read: ", f);
		cli_put_text(f, err);
		fputc('\n', f);
	} else if (msg != NULL) {
		fputs(", signed by ", f);
		cli_put_str(f, step, "signed_by");
		fprintf(f, ", proved in the log of %" JSON_INTEGER_FORMAT
			" entries:\n",
			json_integer_value(json_object_get(step, "included_in")));
		put_message(f, msg);
	} else {
		fputc('\n', f);
	}
}

static void put_field(FILE *f, const json_t *r, const char *key,
		      const char *label)
{
	if (cli_str_of(r, key) == NULL)
		return;
	fprintf(f, "  %s: ", label);
	cli_put_str(f, r, key);
	fputc('\n', f);
}

static void put_request(FILE *f, const json_t *r)
{
	cli_put_str(f, r, "id");
	fputs("  ", f);
	cli_put_str(f, r, "kind");
	fputs(" from ", f);
	cli_put_str(f, r, "from");
	fputs(" to ", f);
	cli_put_str(f, r, "to");
	fputs(", severity ", f);
	cli_put_str(f, r, "severity");
	fputs(", TLP:", f);
	cli_put_str(f, r, "tlp");
	fputs("\n  status: ", f);
	cli_put_str(f, r, "status");
	fputs("; sent ", f);
	cli_put_time(f, json_object_get(r, "sent_ms"));
	fputs("; acknowledge by ", f);
	cli_put_time(f, json_object_get(r, "deadline_ms"));
	const json_t *ack = json_object_get(r, "acknowledged_ms");
	if (json_is_integer(ack)) {
		fputs("; acknowledged ", f);
		cli_put_time(f, ack);
		fputs(json_is_true(json_object_get(r, "late")) ? " (late)" : "", f);
	}
	fputs(json_is_true(json_object_get(r, "overdue"))
		      ? "\n  OVERDUE: not acknowledged, and the deadline has passed"
		      : "", f);
	fputc('\n', f);
	put_field(f, r, "legal_basis", "legal basis");
	put_field(f, r, "grounds", "declined on the grounds");
	size_t i;
	const json_t *step;
	json_array_foreach(json_object_get(r, "steps"), i, step)
		put_step(f, step);
}

/* ---- the command ---- */

/* Reads every sealed step of every request; true if all could be read. */
static bool read_steps(inbox_reader *ir, json_t *items)
{
	bool all = true;
	size_t i, j;
	json_t *r, *step;
	json_array_foreach(items, i, r) {
		if (!inbox_steps(r))
			return false;
		json_array_foreach(json_object_get(r, "steps"), j, step)
			all = inbox_open_step(ir, step) && all;
	}
	return all;
}

static int print_all(const struct inbox_args *a, json_t *list)
{
	const json_t *items = json_object_get(list, "items");
	if (a->json) {
		char *text = json_dumps(list, JSON_INDENT(2) | JSON_SORT_KEYS);
		bool ok = text != NULL && puts(text) >= 0;
		pnyx_free(text);
		return ok ? CLI_EXIT_OK : cli_fail("cannot write the answer");
	}
	size_t i;
	const json_t *r;
	printf("%s of %s: %zu request%s\n",
	       strcmp(a->box, "inbox") == 0 ? "Inbox" :
	       strcmp(a->box, "outbox") == 0 ? "Outbox" : "Requests",
	       a->actor, json_array_size(items), cli_plural(json_array_size(items)));
	json_array_foreach(items, i, r) {
		putchar('\n');
		put_request(stdout, r);
	}
	return CLI_EXIT_OK;
}

static int inbox(const struct inbox_args *a, coop_client *cc,
		 const inbox_keys *keys)
{
	char target[64];
	snprintf(target, sizeof target, "/v1/cooperation/requests?box=%s", a->box);
	json_t *list = NULL;
	pnyx_diag d = {{0}};
	if (!coop_get_json(cc, target, &list, NULL, &d))
		return cli_fail("cannot read the requests of %s: %s", a->actor, d.msg);
	if (!json_is_array(json_object_get(list, "items"))) {
		json_decref(list);
		return cli_fail("the server's list of requests has no items");
	}
	inbox_reader ir = {.cc = cc, .keys = keys};
	bool all = read_steps(&ir, json_object_get(list, "items"));
	int rc = a->save != NULL
			 ? inbox_save_attachments(a->save, json_object_get(list, "items"))
			 : CLI_EXIT_OK;
	if (rc == CLI_EXIT_OK)
		rc = print_all(a, list);
	json_decref(ir.actors);
	json_decref(list);
	if (rc == CLI_EXIT_OK && !all)
		rc = cli_fail("some steps could not be read (see above)");
	return rc;
}

int cmd_inbox(int argc, char **argv)
{
	struct inbox_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	inbox_keys keys = {0};
	pnyx_signer key;
	if ((rc = load_keys(&a, &keys)) != CLI_EXIT_OK ||
	    !cli_load_signer(a.key, &key)) {
		sodium_memzero(&keys, sizeof keys);
		return CLI_EXIT_FAIL;
	}
	pnyx_diag d = {{0}};
	coop_client cc;
	http_client *hc = http_client_new(a.server, a.timeout, &d);
	if (hc == NULL || !coop_client_init(&cc, hc, &key, a.actor, &d))
		rc = cli_usage_error("inbox", "--server %s: %s", a.server, d.msg);
	else
		rc = inbox(&a, &cc, &keys);
	http_client_free(hc);
	pnyx_signer_clear(&key);
	sodium_memzero(&keys, sizeof keys);
	return rc;
}
