/*
 * pnyx verify: audit a forum's log on one's own machine. First the log
 * itself (cli_log_audit: the Merkle tree and the latest checkpoint), then
 * every leaf replayed from the forum's creation with the same engine the
 * server runs, checking every signature; then what the record says: the
 * forum, its members, each decision with its procedure, status and tally,
 * the stakeholders, and the state digest.
 */
#include "cli.h"
#include "cli_log.h"
#include "verify_coop.h"
#include "verify_report.h"

#include "pnyx/engine.h"
#include "pnyx/log.h"
#include "pnyx/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx verify --db FILE [--vkey LOGKEY] [--cooperation-db FILE]\n"
	"                   [--json]\n"
	"       pnyx verify URL [--vkey LOGKEY] [--receipt FILE]... [--json]\n"
	"\n"
	"With a URL, the log is read from the forum's server or from any copy\n"
	"of its tiles (a mirror, a file:// directory): see 'pnyx verify URL\n"
	"--help'.\n"
	"\n"
	"Checks a forum's record on your own machine, trusting neither the\n"
	"server nor its operator. FILE is a copy of the forum's log (a SQLite\n"
	"file, for instance a mirror's). Two checks, in order:\n"
	"\n"
	"  1. The log. Every entry is hashed again into the Merkle tree, which\n"
	"     must match the tree stored in the file, and the latest signed\n"
	"     checkpoint must verify and match it. With --vkey, the log must\n"
	"     be the one LOGKEY signs (LOGKEY as text, or @FILE to read it from\n"
	"     a file): get it from the forum's secretariat, not from the file.\n"
	"  2. The rules. Every entry, from the forum's creation on, is replayed\n"
	"     with the rules of procedure (the same engine the server runs):\n"
	"     each action's signature by its actor's key, its sequence number,\n"
	"     who may take it, its deadlines. Outcomes are computed, never read\n"
	"     from the file.\n"
	"\n"
	"It then prints the forum, the members and their status, every\n"
	"decision (what it is about, its procedure, status, tally and\n"
	"outcome), the stakeholders and their status, and the state digest:\n"
	"the SHA-256 of the whole computed state. Anyone who replays the same\n"
	"log gets the same digest, so comparing digests compares records.\n"
	"\n"
	"On the first entry the rules refuse it stops with\n"
	"  pnyx: leaf N is refused: <code>: <reason>\n"
	"where N counts entries from 0 and <code> is a stable verdict name\n"
	"(bad-signature, seq-replayed, ...): the log and the rules part there.\n"
	"\n"
	"With --cooperation-db, the whole cooperation log too (the operator's\n"
	"or an auditor's copy; docs/COOPERATION.md): its tree and checkpoint\n"
	"with the cooperation key the forum's log names, every anchor the\n"
	"forum's log holds against its roots, every entry replayed with the\n"
	"cooperation rules; then the figures (requests per member, data\n"
	"requests per pair, ping rounds) and its state digest.\n"
	"\n"
	"  --db FILE      the forum's log\n"
	"  --vkey LOGKEY  the log's verifier key (recommended)\n"
	"  --cooperation-db FILE  the cooperation log\n"
	"  --json         print the summary as one JSON object on standard\n"
	"                 output (the log check's report goes to standard error)\n"
	"\n"
	"Exit status: 0 verified, 1 a check failed, 2 the command line is wrong.\n";


struct verify_args {
	const char *db;
	const char *coop_db;
	const char *vkey;
	bool json;
};

/* Returns CLI_EXIT_OK to go on, -1 after printing the help, or a usage
 * error. */
static int parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"vkey", required_argument, NULL, 'v'},
		{"json", no_argument, NULL, 'j'},
		{"cooperation-db", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct verify_args){.db = NULL};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'v': a->vkey = optarg; break;
		case 'j': a->json = true; break;
		case 'c': a->coop_db = optarg; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("verify", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if (a->db == NULL)
		return cli_usage_error("verify", "--db FILE is required");
	return CLI_EXIT_OK;
}


/* A replay in progress: the state, the next leaf, and the exit code. */
struct verify_run {
	pnyx_state *st;
	uint64_t next;
	int rc;
};

/* Applies one leaf (pnyx_entry_fn); a refusal is printed and stops. */
static pnyx_err verify_entry(void *ctx, uint64_t i, const uint8_t *p, size_t n)
{
	struct verify_run *r = ctx;
	r->rc = verify_apply_leaf(r->st, i, p, n);
	if (r->rc != CLI_EXIT_OK)
		return PNYX_ERR_MISMATCH; /* any error stops the scan */
	r->next = i + 1;
	return PNYX_OK;
}

/* Applies every entry of the log to st, checking signatures, reading the
 * log in one pass. */
static int replay(pnyx_log *log, pnyx_state *st)
{
	uint64_t n = pnyx_log_size(log);
	if (n == 0)
		return cli_fail("the log holds no leaf: there is no forum to verify");
	struct verify_run r = {.st = st, .next = 0, .rc = CLI_EXIT_OK};
	pnyx_err err = pnyx_log_scan(log, 0, n, verify_entry, &r);
	if (r.rc != CLI_EXIT_OK)
		return r.rc;
	if (err != PNYX_OK)
		return cli_fail("leaf %llu cannot be read (%s)",
				(unsigned long long)r.next, pnyx_err_name(err));
	return CLI_EXIT_OK;
}

static int verify_open(pnyx_log *log, const struct verify_args *a,
		       const pnyx_verifier *pinned)
{
	FILE *report = a->json ? stderr : stdout;
	int rc = cli_log_audit(log, pinned, report);
	if (rc != CLI_EXIT_OK)
		return rc;
	fprintf(report, "replaying %llu leaves with the rules of procedure, "
		"checking every signature...\n",
		(unsigned long long)pnyx_log_size(log));
	pnyx_state *st = NULL;
	if (pnyx_state_new(&st) != PNYX_OK)
		return cli_fail("out of memory");
	rc = replay(log, st);
	char digest[2 * PNYX_HASH_LEN + 1];
	if (rc == CLI_EXIT_OK)
		rc = verify_digest(st, digest);
	if (rc == CLI_EXIT_OK && a->json) {
		verify_log_id id = {.origin = pnyx_log_key(log)->name,
				    .entries = pnyx_log_size(log)};
		pnyx_log_root(log, &id.root);
		rc = verify_print_json(st, &id, digest);
	} else if (rc == CLI_EXIT_OK) {
		verify_print_summary(st, digest);
	}
	if (rc == CLI_EXIT_OK && a->coop_db != NULL) {
		pnyx_log *coop = NULL;
		rc = cli_open_log(a->coop_db, &coop)
			     ? verify_cooperation_db(coop, st, report)
			     : CLI_EXIT_FAIL;
		pnyx_log_close(coop);
	}
	pnyx_state_free(st);
	return rc;
}

/* True if an argument is a URL: then the log is read over HTTP. */
static bool names_url(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "http://", 7) == 0 ||
		    strncmp(argv[i], "https://", 8) == 0 ||
		    strncmp(argv[i], "file://", 7) == 0)
			return true;
	return false;
}

int cmd_verify(int argc, char **argv)
{
	if (names_url(argc, argv))
		return cmd_verify_url(argc, argv);
	struct verify_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	pnyx_verifier pinned;
	if (a.vkey != NULL && !cli_load_verifier(a.vkey, &pinned))
		return CLI_EXIT_FAIL;
	pnyx_log *log = NULL;
	if (!cli_open_log(a.db, &log))
		return CLI_EXIT_FAIL;
	rc = verify_open(log, &a, a.vkey != NULL ? &pinned : NULL);
	pnyx_log_close(log);
	return rc;
}
