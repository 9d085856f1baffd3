/*
 * pnyx receipt check: checks signed receipts a member kept against a copy
 * of the forum's log. The library does the work (pnyx/receipt.h); this file
 * turns arguments and files into calls and results into one line each.
 */
#include "cli.h"

#include "pnyx/log.h"
#include "pnyx/receipt.h"
#include "pnyx/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"Usage: pnyx receipt check --db FILE [--vkey LOGKEY] RECEIPT-FILE...\n"
	"\n"
	"Checks receipts against a forum's log. When the forum's server\n"
	"accepts an action (a statement, an objection, a breaking of silence)\n"
	"it answers with a receipt: a short text signed with the log's key that\n"
	"names the log, the forum, the entry's index in the log, the entry's\n"
	"hash and the time the server accepted it. Keep it. A log can prove\n"
	"what it holds but not what it left out; the receipt is your proof\n"
	"that the action was accepted, and when.\n"
	"\n"
	"For each RECEIPT-FILE this command checks that\n"
	"  - the receipt is signed by the log's key and was not altered;\n"
	"  - the log in FILE holds an entry at the receipt's index;\n"
	"  - that entry is exactly the one the receipt names (same hash), an\n"
	"    action of the receipt's forum, accepted at the receipt's time.\n"
	"FILE is a copy of the forum's log (a SQLite file, for instance a\n"
	"mirror's). Without --vkey the log's key is read from FILE; with\n"
	"--vkey LOGKEY (the key as text, or @FILE to read it from a file) the\n"
	"log must be the one that key signs: get it from the forum's\n"
	"secretariat, not from the file.\n"
	"\n"
	"A receipt that checks prints one line on standard output:\n"
	"  RECEIPT-FILE: ok: entry N of forum F, accepted 2026-01-05 12:00:00.123 UTC\n"
	"A receipt that does not prints one line on standard error:\n"
	"  pnyx: RECEIPT-FILE: <reason> (<code>)\n"
	"where <code> is a stable name: bad-signature (altered), unverified (not\n"
	"signed by the log's key), out-of-range (the log holds no such entry: if\n"
	"the receipt is genuine, the log was cut back), mismatch (the log holds\n"
	"another entry at that index: if the receipt is genuine, the log was\n"
	"rewritten), malformed (not a receipt).\n"
	"\n"
	"  --db FILE      the forum's log\n"
	"  --vkey LOGKEY  the log's verifier key (recommended)\n"
	"\n"
	"Exit status: 0 every receipt checks, 1 one or more do not (or the log\n"
	"cannot be opened), 2 the command line is wrong.\n";

struct receipt_args {
	const char *db;
	const char *vkey;
	int first; /* argv index of the first receipt file */
};

/* Returns CLI_EXIT_OK to go on, -1 after printing the help, or a usage
 * error. argv[0] is "check". */
static int parse_args(int argc, char **argv, struct receipt_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"vkey", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct receipt_args){.db = NULL};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'v': a->vkey = optarg; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("receipt", "unknown option");
		}
	}
	if (a->db == NULL)
		return cli_usage_error("receipt", "--db FILE is required");
	if (optind == argc)
		return cli_usage_error("receipt", "name at least one RECEIPT-FILE");
	a->first = optind;
	return CLI_EXIT_OK;
}

/* A time in ms since the epoch as "2026-01-05 12:00:00.123 UTC". */
static void format_time(uint64_t ms, char out[48])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char day[32];
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		snprintf(out, 48, "at %" PRIu64 " ms", ms);
		return;
	}
	snprintf(out, 48, "%s.%03u UTC", day, (unsigned)(ms % 1000));
}

/* Checks one receipt file; prints one line either way. */
static int check_one(pnyx_log *log, const char *path)
{
	pnyx_buf b;
	if (!cli_read_file(path, &b))
		return CLI_EXIT_FAIL;
	pnyx_receipt r;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_receipt_open(b.data, b.len, pnyx_log_key(log), &r,
					 &diag);
	pnyx_buf_clear(&b);
	if (err == PNYX_OK)
		err = pnyx_receipt_check(log, &r, &diag);
	if (err != PNYX_OK)
		return cli_fail_err(path, err, &diag);
	char when[48];
	format_time(r.time_ms, when);
	printf("%s: ok: entry %" PRIu64 " of forum %s, accepted %s\n", path,
	       r.index, r.forum, when);
	return CLI_EXIT_OK;
}

static int check_all(const struct receipt_args *a, int argc, char **argv)
{
	pnyx_verifier pinned;
	if (a->vkey != NULL && !cli_load_verifier(a->vkey, &pinned))
		return CLI_EXIT_FAIL;
	pnyx_log *log = NULL;
	if (!cli_open_log(a->db, &log))
		return CLI_EXIT_FAIL;
	int rc = CLI_EXIT_OK;
	if (a->vkey != NULL && !cli_same_key(pnyx_log_key(log), &pinned)) {
		rc = cli_fail("%s: the log's key is not the one given with --vkey",
			      a->db);
	} else {
		for (int i = a->first; i < argc; i++)
			if (check_one(log, argv[i]) != CLI_EXIT_OK)
				rc = CLI_EXIT_FAIL;
	}
	pnyx_log_close(log);
	if (fflush(stdout) != 0)
		rc = cli_fail("cannot write to standard output");
	return rc;
}

int cmd_receipt(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "check") != 0)
		return cli_usage_error("receipt", "no subcommand named '%s'",
				       argv[1]);
	struct receipt_args a;
	int rc = parse_args(argc - 1, argv + 1, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	return check_all(&a, argc - 1, argv + 1);
}
