/*
 * pnyx serve: the HTTP service over a log (src/server/, docs/API.md).
 * Settings: defaults < config file < PNYX_* environment < options.
 */
#include "cli.h"

#include "../server/server.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx serve --db FILE [--listen ADDR:PORT] [options]\n"
	"\n"
	"Serves a log over HTTP: its signed checkpoint, its state, inclusion\n"
	"and consistency proofs, health and metrics (docs/API.md). With the\n"
	"log's private key (--key) it is the forum's sequencer: it rebuilds\n"
	"the forum's state from the log and accepts signed actions\n"
	"(POST /v1/actions). Stops cleanly on SIGTERM or SIGINT, letting\n"
	"requests in flight finish.\n"
	"\n"
	"  --db FILE              the log (a SQLite file made by 'pnyx log init')\n"
	"  --key FILE             the log's private key: sequence actions, sign\n"
	"                         checkpoints and receipts\n"
	"  --checkpoint-interval-ms MS  sign a checkpoint at most MS after an\n"
	"                         entry is committed (default 1000)\n"
	"  --listen ADDR:PORT     IPv4:PORT or [IPv6]:PORT, numeric (default\n"
	"                         127.0.0.1:8080); port 0 picks a free port\n"
	"  --config FILE          read settings from FILE: 'key = value' lines,\n"
	"                         '#' comments; keys as the options below\n"
	"  --ready-file FILE      once listening, write the URL to FILE\n"
	"  --max-connections N    connections open at once (default 256)\n"
	"  --max-body BYTES       largest request body (default 61440)\n"
	"  --timeout SECONDS      idle connection and request timeout, and the\n"
	"                         longest wait at shutdown (default 30)\n"
	"  --threads N            worker threads (default 0: one per CPU)\n"
	"  --web-dir DIR          the web page's files, served at / and /web/\n"
	"                         (default: the source tree's web/; 'none'\n"
	"                         serves no page)\n"
	"  --data-dir DIR         the folder holding un-members.txt, the UN member\n"
	"                         list behind the names of states (default: the\n"
	"                         source tree's data/)\n"
	"  --cooperation-db FILE  the members-only cooperation log (made by\n"
	"                         'pnyx log init'; docs/COOPERATION.md)\n"
	"  --cooperation-key FILE its private key (needs --key as well)\n"
	"  --witnesses FILE       the forum's witness policy ('quorum K' and\n"
	"                         'witness KEY URL' lines; docs/MIRROR.md):\n"
	"                         each checkpoint is sent to every witness, and\n"
	"                         /checkpoint serves the newest one that K of\n"
	"                         them cosigned, with their cosignatures\n"
	"  --witness-k K          cosignatures needed (default: the policy's)\n"
	"\n"
	"Every setting can also come from the environment: PNYX_DB,\n"
	"PNYX_LISTEN, PNYX_READY_FILE, PNYX_MAX_CONNECTIONS, PNYX_MAX_BODY,\n"
	"PNYX_TIMEOUT, PNYX_THREADS, PNYX_KEY, PNYX_CHECKPOINT_INTERVAL_MS,\n"
	"PNYX_WEB_DIR, PNYX_DATA_DIR, PNYX_COOPERATION_DB,\n"
	"PNYX_COOPERATION_KEY, PNYX_WITNESSES, PNYX_WITNESS_K, and\n"
	"PNYX_CONFIG for the file. Options\n"
	"override the environment, which overrides the file.\n";

static const struct option opts[] = {
	{"db", required_argument, NULL, 0},
	{"listen", required_argument, NULL, 0},
	{"ready-file", required_argument, NULL, 0},
	{"max-connections", required_argument, NULL, 0},
	{"max-body", required_argument, NULL, 0},
	{"timeout", required_argument, NULL, 0},
	{"threads", required_argument, NULL, 0},
	{"key", required_argument, NULL, 0},
	{"checkpoint-interval-ms", required_argument, NULL, 0},
	{"web-dir", required_argument, NULL, 0},
	{"data-dir", required_argument, NULL, 0},
	{"cooperation-db", required_argument, NULL, 0},
	{"cooperation-key", required_argument, NULL, 0},
	{"witnesses", required_argument, NULL, 0},
	{"witness-k", required_argument, NULL, 0},
	{"config", required_argument, NULL, 'c'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* Finds the --config option (or PNYX_CONFIG) before anything else, since
 * the file has the lowest precedence. NULL if none. */
static const char *config_path(int argc, char **argv)
{
	const char *path = getenv("PNYX_CONFIG");
	int c, idx;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1)
		if (c == 'c')
			path = optarg;
	opterr = 1;
	return path;
}

static int apply_options(int argc, char **argv, struct srv_config *cfg)
{
	int c, idx;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		if (c == 'c')
			continue;
		if (c != 0)
			return cli_usage_error("serve", "unknown option");
		pnyx_diag diag = {{0}};
		if (srv_config_set(cfg, opts[idx].name, (const uint8_t *)optarg,
				   strlen(optarg), &diag) != PNYX_OK)
			return cli_usage_error("serve", "--%s: %s", opts[idx].name,
					       diag.msg);
	}
	if (optind != argc)
		return cli_usage_error("serve", "serve takes no arguments");
	return CLI_EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			fputs(help, stdout);
			return CLI_EXIT_OK;
		}
	struct srv_config cfg;
	srv_config_defaults(&cfg);
	pnyx_diag diag = {{0}};
	const char *file = config_path(argc, argv);
	if (file != NULL && srv_config_load_file(&cfg, file, &diag) != PNYX_OK)
		return cli_fail("config file %s: %s", file, diag.msg);
	if (srv_config_load_env(&cfg, &diag) != PNYX_OK)
		return cli_fail("%s", diag.msg);
	int rc = apply_options(argc, argv, &cfg);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (srv_config_check(&cfg, &diag) != PNYX_OK)
		return cli_usage_error("serve", "%s", diag.msg);
	return srv_run(&cfg);
}
