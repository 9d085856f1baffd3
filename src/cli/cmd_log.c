/*
 * pnyx log: keep a local log and prove what it holds.
 *   init         create a log in a new SQLite file
 *   append       append entries
 *   checkpoint   sign (or show) the log's checkpoint
 *   prove        print an inclusion or consistency proof
 *   verify       audit a whole local log file
 *   check-proof  check a proof against signed checkpoints, without the log
 */
#include "cli.h"
#include "cli_log.h"

#include "pnyx/checkpoint.h"
#include "pnyx/log.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"
#include "pnyx/proof.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx log <subcommand> --db FILE [options]\n"
	"\n"
	"A log is an append-only list of entries in a SQLite file, hashed into\n"
	"a Merkle tree (RFC 6962). Its checkpoints, signed with the log's key,\n"
	"commit to every entry; proofs show that an entry is in the log and\n"
	"that a later log extends an earlier one.\n"
	"\n"
	"  init --db FILE --vkey KEY         create a log whose checkpoints KEY\n"
	"                                    verifies (KEY's name is the log's\n"
	"                                    origin); --key FILE also works\n"
	"  append --db FILE [ENTRY-FILE...]  append each file as one entry, or\n"
	"                                    each line of standard input\n"
	"                                    (--batch N lines per transaction,\n"
	"                                    default 1000)\n"
	"  checkpoint --db FILE [--key FILE] sign a checkpoint of the log as it\n"
	"                                    is now and print it; without\n"
	"                                    --key, print the latest one\n"
	"  prove --db FILE --index N [--size S]\n"
	"                                    prove that entry N is in the log\n"
	"                                    of S entries (default: all)\n"
	"  prove --db FILE --old M [--size S]\n"
	"                                    prove that the log of S entries\n"
	"                                    extends the log of M entries\n"
	"  verify --db FILE [--vkey KEY]     recompute the whole tree, check it\n"
	"                                    against the stored state and the\n"
	"                                    latest checkpoint's signature\n"
	"  check-proof --vkey KEY --checkpoint FILE --proof FILE\n"
	"              (--entry FILE | --old-checkpoint FILE)\n"
	"                                    check a proof someone gave you\n"
	"                                    against signed checkpoints\n"
	"\n"
	"Entries are 1 to 65,535 bytes. Numbers count entries from 0.\n";

/* Options every log subcommand may take. */
struct log_args {
	const char *db;
	const char *key;
	const char *vkey;
	const char *checkpoint;
	const char *old_checkpoint;
	const char *proof;
	const char *entry;
	uint64_t index, old, size, batch;
	bool has_index, has_old, has_size;
	int first_operand; /* index in argv of the first non-option */
};

static int parse_args(int argc, char **argv, struct log_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"vkey", required_argument, NULL, 'v'},
		{"checkpoint", required_argument, NULL, 'c'},
		{"old-checkpoint", required_argument, NULL, 'C'},
		{"proof", required_argument, NULL, 'p'},
		{"entry", required_argument, NULL, 'e'},
		{"index", required_argument, NULL, 'i'},
		{"old", required_argument, NULL, 'o'},
		{"size", required_argument, NULL, 's'},
		{"batch", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct log_args){.batch = 1000};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'k': a->key = optarg; break;
		case 'v': a->vkey = optarg; break;
		case 'c': a->checkpoint = optarg; break;
		case 'C': a->old_checkpoint = optarg; break;
		case 'p': a->proof = optarg; break;
		case 'e': a->entry = optarg; break;
		case 'i':
			a->has_index = true;
			if (!cli_parse_u64("log", "--index", optarg, &a->index))
				return CLI_EXIT_USAGE;
			break;
		case 'o':
			a->has_old = true;
			if (!cli_parse_u64("log", "--old", optarg, &a->old))
				return CLI_EXIT_USAGE;
			break;
		case 's':
			a->has_size = true;
			if (!cli_parse_u64("log", "--size", optarg, &a->size))
				return CLI_EXIT_USAGE;
			break;
		case 'b':
			if (!cli_parse_u64("log", "--batch", optarg, &a->batch))
				return CLI_EXIT_USAGE;
			if (a->batch == 0 || a->batch > 1000000)
				return cli_usage_error("log", "--batch must be 1 to 1000000");
			break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("log", "unknown option");
		}
	}
	a->first_operand = optind;
	return CLI_EXIT_OK;
}

/* Opens the log in a->db (which must exist). */
static bool open_log(const struct log_args *a, pnyx_log **out)
{
	if (a->db == NULL) {
		cli_usage_error("log", "--db FILE is required");
		return false;
	}
	return cli_open_log(a->db, out);
}

static int log_init(const struct log_args *a, int argc)
{
	if (a->db == NULL || (a->key == NULL) == (a->vkey == NULL) ||
	    a->first_operand != argc)
		return cli_usage_error("log", "init needs --db FILE and one of --vkey KEY or --key FILE");
	pnyx_verifier v;
	if (a->vkey != NULL) {
		if (!cli_load_verifier(a->vkey, &v))
			return CLI_EXIT_FAIL;
	} else {
		pnyx_signer s;
		if (!cli_load_signer(a->key, &s))
			return CLI_EXIT_FAIL;
		pnyx_signer_verifier(&s, &v);
		pnyx_signer_clear(&s);
	}
	pnyx_diag diag = {{0}};
	pnyx_store *store = NULL;
	pnyx_log *log = NULL;
	pnyx_err err = pnyx_store_sqlite_open(a->db, PNYX_STORE_CREATE, &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_create(store, &v, &log, &diag);
	if (err != PNYX_OK)
		return cli_fail_err("cannot create the log", err, &diag);
	printf("created log %s with origin %s\n", a->db, v.name);
	pnyx_log_close(log);
	return CLI_EXIT_OK;
}

static int log_checkpoint(const struct log_args *a, int argc)
{
	if (a->first_operand != argc)
		return cli_usage_error("log", "checkpoint takes no arguments");
	pnyx_log *log;
	if (!open_log(a, &log))
		return CLI_EXIT_FAIL;
	pnyx_buf out;
	pnyx_buf_init(&out, CLI_NOTE_MAX);
	pnyx_diag diag = {{0}};
	pnyx_err err;
	if (a->key != NULL) {
		pnyx_signer s;
		if (!cli_load_signer(a->key, &s)) {
			pnyx_log_close(log);
			return CLI_EXIT_FAIL;
		}
		err = pnyx_log_checkpoint(log, &s, &out, &diag);
		pnyx_signer_clear(&s);
		if (err == PNYX_ERR_MISMATCH)
			pnyx_diag_set(&diag, err, "%s is not this log's key", a->key);
	} else {
		err = pnyx_log_latest_checkpoint(log, &out);
		if (err == PNYX_ERR_NOT_FOUND)
			pnyx_diag_set(&diag, err, "no checkpoint has been signed yet; "
				      "sign one with --key FILE");
	}
	int rc = err == PNYX_OK ? (cli_write_stdout(out.data, out.len) ? 0 : 1)
				: cli_fail_err("no checkpoint", err, &diag);
	pnyx_buf_clear(&out);
	pnyx_log_close(log);
	return rc;
}

static int log_prove(const struct log_args *a, int argc)
{
	if (a->first_operand != argc || a->has_index == a->has_old)
		return cli_usage_error("log", "prove needs exactly one of --index N or --old M");
	pnyx_log *log;
	if (!open_log(a, &log))
		return CLI_EXIT_FAIL;
	pnyx_proof p = {0};
	p.b = a->has_size ? a->size : pnyx_log_size(log);
	pnyx_err err;
	if (a->has_index) {
		p.kind = PNYX_PROOF_INCLUSION;
		p.a = a->index;
		err = pnyx_log_inclusion_proof(log, p.a, p.b, p.hashes, &p.n);
	} else {
		p.kind = PNYX_PROOF_CONSISTENCY;
		p.a = a->old;
		err = pnyx_log_consistency_proof(log, p.a, p.b, p.hashes, &p.n);
	}
	int rc;
	pnyx_buf out;
	pnyx_buf_init(&out, 1u << 16);
	if (err == PNYX_ERR_RANGE)
		rc = cli_fail("the log has %llu entries: no such proof",
			      (unsigned long long)pnyx_log_size(log));
	else if (err != PNYX_OK)
		rc = cli_fail_err("cannot make the proof", err, NULL);
	else if ((err = pnyx_proof_encode(&p, &out)) != PNYX_OK)
		rc = cli_fail_err("cannot print the proof", err, NULL);
	else
		rc = cli_write_stdout(out.data, out.len) ? 0 : 1;
	pnyx_buf_clear(&out);
	pnyx_log_close(log);
	return rc;
}

int cmd_log(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	const char *sub = argv[1];
	struct log_args a;
	int rc = parse_args(argc - 1, argv + 1, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	a.first_operand += 1; /* make it an index into argv */
	if (strcmp(sub, "init") == 0)
		return log_init(&a, argc);
	if (strcmp(sub, "append") == 0)
		return cli_log_append(a.db, a.batch, argc - a.first_operand,
				      argv + a.first_operand);
	if (strcmp(sub, "checkpoint") == 0)
		return log_checkpoint(&a, argc);
	if (strcmp(sub, "prove") == 0)
		return log_prove(&a, argc);
	if (strcmp(sub, "verify") == 0) {
		if (a.db == NULL || a.first_operand != argc)
			return cli_usage_error("log", "verify needs --db FILE");
		return cli_log_verify(a.db, a.vkey);
	}
	if (strcmp(sub, "check-proof") == 0) {
		if (a.vkey == NULL || a.checkpoint == NULL || a.proof == NULL ||
		    (a.entry == NULL) == (a.old_checkpoint == NULL) ||
		    a.first_operand != argc)
			return cli_usage_error("log", "check-proof needs --vkey, --checkpoint, --proof "
					       "and one of --entry or --old-checkpoint");
		return cli_log_check_proof(a.vkey, a.checkpoint, a.proof, a.entry,
					   a.old_checkpoint);
	}
	return cli_usage_error("log", "unknown subcommand '%s'", sub);
}
