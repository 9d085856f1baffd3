/*
 * pnyx witness: a C2SP tlog-witness service (src/witness/,
 * docs/WITNESS.md). Reads its settings from options, the logs it follows
 * from --log and --logs, then runs until SIGTERM or SIGINT.
 */
#include "cli.h"

#include "../witness/witness_srv.h"

#include "pnyx/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx witness --key FILE --state DIR --log KEY... [options]\n"
	"\n"
	"Runs a witness (C2SP tlog-witness v1.0.0): logs send it their new\n"
	"checkpoints with a proof that the log only grew since the checkpoint\n"
	"the witness holds (POST /add-checkpoint); it checks the log's\n"
	"signature and the proof, keeps the new checkpoint on disk, and answers\n"
	"with its cosignature (C2SP tlog-cosignature). It refuses a log that\n"
	"rewrote its history, and keeps both contradicting checkpoints as\n"
	"evidence in DIR/evidence/. On start it prints its own verifier key:\n"
	"give it to those who check cosignatures. Stops on SIGTERM or SIGINT.\n"
	"\n"
	"  --key FILE          the witness's private key ('pnyx keygen NAME')\n"
	"  --state DIR         where it keeps the latest checkpoint of each log\n"
	"                      (created if absent; one witness per directory)\n"
	"  --log KEY           follow the log whose checkpoints KEY signs (a\n"
	"                      verifier key; the log's origin is the key's name)\n"
	"  --log ORIGIN=KEY    the same for a log whose origin is not the key's\n"
	"                      name; repeat --log for more logs or more keys\n"
	"  --logs FILE         read the logs from FILE: one KEY or ORIGIN=KEY a\n"
	"                      line, '#' starts a comment line\n"
	"  --listen ADDR:PORT  IPv4:PORT or [IPv6]:PORT, numeric (default\n"
	"                      127.0.0.1:7380); port 0 picks a free port\n"
	"  --ready-file FILE   once listening, write the URL to FILE\n"
	"  --threads N         worker threads (default 0: one per CPU)\n"
	"  --timeout SECONDS   connection timeout and longest wait at shutdown\n"
	"                      (default 30)\n";

static const struct option opts[] = {
	{"key", required_argument, NULL, 'k'},
	{"state", required_argument, NULL, 's'},
	{"log", required_argument, NULL, 'l'},
	{"logs", required_argument, NULL, 'L'},
	{"listen", required_argument, NULL, 'a'},
	{"ready-file", required_argument, NULL, 'r'},
	{"threads", required_argument, NULL, 't'},
	{"timeout", required_argument, NULL, 'T'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct witness_args {
	struct wit_config cfg;
	const char *key_file;
	pnyx_witness_log *logs; /* WIT_LOGS_MAX */
};

static int add_log(struct witness_args *a, const char *line)
{
	pnyx_diag diag = {{0}};
	if (pnyx_witness_config_line(a->logs, &a->cfg.nlogs, WIT_LOGS_MAX,
				     (const uint8_t *)line, strlen(line),
				     &diag) != PNYX_OK)
		return cli_usage_error("witness", "--log %s: %s", line,
				       diag.msg);
	return CLI_EXIT_OK;
}

static int add_logs_file(struct witness_args *a, const char *path)
{
	pnyx_buf b;
	if (!cli_read_file(path, &b))
		return CLI_EXIT_FAIL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_config_parse(a->logs, &a->cfg.nlogs,
						 WIT_LOGS_MAX, b.data, b.len,
						 &diag);
	pnyx_buf_clear(&b);
	if (err != PNYX_OK)
		return cli_fail("%s: %s", path, diag.msg);
	return CLI_EXIT_OK;
}

static int parse_number(const char *opt, const char *arg, uint64_t max,
			unsigned *out)
{
	uint64_t v = 0;
	if (!cli_parse_u64("witness", opt, arg, &v))
		return CLI_EXIT_USAGE;
	if (v > max)
		return cli_usage_error("witness", "%s: at most %llu", opt,
				       (unsigned long long)max);
	*out = (unsigned)v;
	return CLI_EXIT_OK;
}

static int parse_option(struct witness_args *a, int c)
{
	switch (c) {
	case 'k': a->key_file = optarg; return CLI_EXIT_OK;
	case 's': a->cfg.state = optarg; return CLI_EXIT_OK;
	case 'l': return add_log(a, optarg);
	case 'L': return add_logs_file(a, optarg);
	case 'a': a->cfg.listen = optarg; return CLI_EXIT_OK;
	case 'r': a->cfg.ready_file = optarg; return CLI_EXIT_OK;
	case 't': return parse_number("--threads", optarg, 64, &a->cfg.threads);
	case 'T': return parse_number("--timeout", optarg, 3600,
				      &a->cfg.timeout);
	default: return cli_usage_error("witness", "unknown option");
	}
}

static int parse_args(int argc, char **argv, struct witness_args *a)
{
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int rc = parse_option(a, c);
		if (rc != CLI_EXIT_OK)
			return rc;
	}
	if (optind != argc)
		return cli_usage_error("witness", "witness takes no arguments");
	if (a->key_file == NULL || a->cfg.state == NULL)
		return cli_usage_error("witness", "--key and --state are "
				       "required");
	if (a->cfg.nlogs == 0)
		return cli_usage_error("witness", "name at least one log with "
				       "--log or --logs");
	return CLI_EXIT_OK;
}

int cmd_witness(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			fputs(help, stdout);
			return CLI_EXIT_OK;
		}
	struct witness_args a = {
		.cfg = {.listen = "127.0.0.1:7380", .timeout = 30},
	};
	a.logs = pnyx_calloc(WIT_LOGS_MAX, sizeof *a.logs);
	if (a.logs == NULL)
		return cli_fail("out of memory");
	a.cfg.logs = a.logs;
	int rc = parse_args(argc, argv, &a);
	pnyx_signer key;
	if (rc == CLI_EXIT_OK && !cli_load_signer(a.key_file, &key))
		rc = CLI_EXIT_FAIL;
	if (rc == CLI_EXIT_OK) {
		a.cfg.key = &key;
		rc = wit_run(&a.cfg);
		pnyx_signer_clear(&key);
	}
	pnyx_free(a.logs);
	return rc;
}
