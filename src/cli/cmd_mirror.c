/*
 * pnyx mirror: keep a full copy of a forum's log and serve it (mirror.h,
 * docs/MIRROR.md). Options, the log's key (given once, then kept in the
 * copy), the catch-up loop and the signals that end it.
 */
#include "cli.h"
#include "mirror.h"
#include "verify_witness.h"

#include "../server/listener.h"

#include "pnyx/text.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"Usage: pnyx mirror --dir DIR --from URL [--log-key LOGKEY]\n"
	"                   [--once | --interval TIME] [--serve ADDR:PORT]\n"
	"       pnyx mirror --dir DIR --serve ADDR:PORT\n"
	"\n"
	"Keeps a full copy of a forum's log in DIR: its signed checkpoint,\n"
	"every tile of hashes and every entry bundle (C2SP tlog-tiles), read\n"
	"from URL, which is the forum's server or another mirror (http://,\n"
	"https:// or file://). Each new checkpoint must be signed with the\n"
	"log's key, and the new tree must extend the copy's: the copy's own\n"
	"tiles and the new entries must hash to the new root. If they do not\n"
	"(a log that went back or forked), the checkpoint is refused, both\n"
	"checkpoints are printed, and the copy stays as it was. New files are\n"
	"written beside the copy and moved into place once checked, the\n"
	"checkpoint last, so the copy is never one its files do not support.\n"
	"\n"
	"  --dir DIR          the copy (created if missing)\n"
	"  --from URL         where to copy from\n"
	"  --log-key LOGKEY   the log's verifier key (as text, or @FILE), from\n"
	"                     the forum's secretariat; needed the first time,\n"
	"                     then kept in DIR/log.vkey (given again, it must\n"
	"                     be the same key)\n"
	"  --once             catch up once and exit: 0 if the copy is up to\n"
	"                     date, 1 if anything was refused or failed\n"
	"  --interval TIME    wait between catch-ups: seconds, or a number and\n"
	"                     'ms' (default 10); runs until SIGTERM or SIGINT\n"
	"  --serve ADDR:PORT  serve DIR read-only over HTTP in the same layout\n"
	"                     (/checkpoint, /tile/...), IPv4:PORT or\n"
	"                     [IPv6]:PORT, port 0 for any free port; 'pnyx\n"
	"                     verify URL --vkey LOGKEY' reads it\n"
	"  --ready-file FILE  once serving, write the URL to FILE\n"
	"  --witnesses FILE   take only checkpoints that K of the witnesses of\n"
	"                     the forum's policy in FILE cosigned ('quorum K'\n"
	"                     and 'witness KEY' lines)\n"
	"  --timeout SECS     time limit of each request to URL (default 30)\n"
	"\n"
	"Exit status: 0 done (or stopped by a signal), 1 a failure, 2 the\n"
	"command line is wrong.\n";

struct mirror_args {
	const char *dir, *from, *log_key, *serve, *ready_file, *witnesses;
	bool once;
	struct timespec interval;
	long timeout;
};

/* TIME: a canonical decimal of seconds, or of milliseconds ending in "ms";
 * 1 ms to one day. */
static bool parse_interval(const char *arg, struct timespec *out)
{
	size_t n = strlen(arg);
	bool ms = n > 2 && strcmp(arg + n - 2, "ms") == 0;
	uint64_t v;
	if (pnyx_parse_u64((const uint8_t *)arg, ms ? n - 2 : n, &v) != PNYX_OK)
		return false;
	if (!ms)
		v = v > 86400 ? UINT64_MAX : v * 1000;
	if (v == 0 || v > 86400000)
		return false;
	out->tv_sec = (time_t)(v / 1000);
	out->tv_nsec = (long)(v % 1000) * 1000000L;
	return true;
}

static int parse_option(int c, struct mirror_args *a)
{
	switch (c) {
	case 'd': a->dir = optarg; break;
	case 'f': a->from = optarg; break;
	case 'k': a->log_key = optarg; break;
	case 's': a->serve = optarg; break;
	case 'r': a->ready_file = optarg; break;
	case 'w': a->witnesses = optarg; break;
	case 'o': a->once = true; break;
	case 'i':
		if (!parse_interval(optarg, &a->interval))
			return cli_usage_error("mirror", "--interval needs seconds, "
					       "or milliseconds ending in ms "
					       "(1 ms to one day)");
		break;
	case 't': return http_timeout_arg("mirror", optarg, &a->timeout);
	case 'h': fputs(help, stdout); return -1;
	default: return cli_usage_error("mirror", "unknown option");
	}
	return CLI_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct mirror_args *a)
{
	static const struct option opts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"from", required_argument, NULL, 'f'},
		{"log-key", required_argument, NULL, 'k'},
		{"serve", required_argument, NULL, 's'},
		{"ready-file", required_argument, NULL, 'r'},
		{"witnesses", required_argument, NULL, 'w'},
		{"once", no_argument, NULL, 'o'},
		{"interval", required_argument, NULL, 'i'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct mirror_args){.interval = {.tv_sec = 10},
				  .timeout = HTTP_TIMEOUT_DEFAULT};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if ((rc = parse_option(c, a)) != CLI_EXIT_OK)
			return rc;
	if (optind != argc)
		return cli_usage_error("mirror", "mirror takes no arguments");
	if (a->dir == NULL)
		return cli_usage_error("mirror", "give the copy's directory with --dir");
	if (a->from == NULL && a->serve == NULL)
		return cli_usage_error("mirror", "give --from URL to copy a log, "
				       "--serve ADDR:PORT to serve the copy, or both");
	if (a->once && (a->serve != NULL || a->from == NULL))
		return cli_usage_error("mirror", "--once catches up once from "
				       "--from, and cannot serve");
	return CLI_EXIT_OK;
}

/* ---- the log's key ---- */

/* Keeps key in the copy, as text. */
static bool keep_key(struct mirror_dir *d, const pnyx_verifier *key)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	bool ok = pnyx_verifier_encode(key, &b) == PNYX_OK &&
		  pnyx_buf_puts(&b, "\n") == PNYX_OK;
	if (!ok)
		cli_fail("out of memory");
	ok = ok && mirror_replace(d, MIRROR_KEY_FILE, b.data, b.len);
	pnyx_buf_clear(&b);
	return ok;
}

/* The key kept in the copy: 1, 0 if none, -1 (printed) if unreadable. */
static int kept_key(struct mirror_dir *d, pnyx_verifier *out)
{
	pnyx_buf b;
	int r = mirror_read(d, MIRROR_KEY_FILE, 4096, &b);
	pnyx_diag diag = {{0}};
	if (r == 1 && pnyx_verifier_parse(b.data, b.len, out, &diag) != PNYX_OK) {
		cli_fail("%s/%s is not a verifier key: %s", d->path,
			 MIRROR_KEY_FILE, diag.msg);
		r = -1;
	}
	pnyx_buf_clear(&b);
	return r;
}

/* The key to check checkpoints with: the one kept in the copy, which
 * --log-key must match, or --log-key, then kept. */
static bool log_key(const struct mirror_args *a, struct mirror_dir *d,
		    pnyx_verifier *key)
{
	pnyx_verifier given;
	int r = kept_key(d, key);
	if (r < 0 || (a->log_key != NULL && !cli_load_verifier(a->log_key, &given)))
		return false;
	if (r == 1 && a->log_key != NULL && !cli_same_key(&given, key)) {
		cli_fail("%s holds a copy of another log, whose key is in %s/%s: "
			 "give that key, or another directory", d->path, d->path,
			 MIRROR_KEY_FILE);
		return false;
	}
	if (r == 1)
		return true;
	if (a->log_key == NULL) {
		cli_fail("%s holds no copy yet: give the log's verifier key with "
			 "--log-key (the forum's secretariat publishes it)", d->path);
		return false;
	}
	*key = given;
	return keep_key(d, key);
}

/* ---- the loop ---- */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* What a catch-up needs. */
struct copy {
	http_client *hc;          /* NULL: serve only */
	struct mirror_dir *d;
	pnyx_verifier key;
	const pnyx_witness_policy *policy; /* NULL: no --witnesses */
};

/* One catch-up, with a line on stdout when the copy grew. */
static enum mirror_result catch_up(const struct copy *c)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct mirror_stats st = {0};
	enum mirror_result res = mirror_sync(c->hc, c->d, &c->key, c->policy, &st);
	if (res == MIRROR_GREW)
		printf("copied: %llu entries (the copy had %llu): the new tree "
		       "extends the copy's; %llu tiles and %llu entry bundles, "
		       "%llu bytes, in %.3f s\n", (unsigned long long)st.size,
		       (unsigned long long)st.old_size,
		       (unsigned long long)st.tiles,
		       (unsigned long long)st.bundles,
		       (unsigned long long)st.bytes, seconds_since(&t0));
	fflush(stdout);
	return res;
}

/* The first catch-up of a run, which also says when nothing was new. */
static enum mirror_result first_catch_up(const struct copy *c)
{
	enum mirror_result res = catch_up(c);
	if (res == MIRROR_SAME) {
		pnyx_buf note;
		pnyx_checkpoint cp;
		if (mirror_load_checkpoint(c->d, &c->key, &note, &cp) == 1)
			printf("up to date: %llu entries\n",
			       (unsigned long long)cp.size);
		pnyx_buf_clear(&note);
		fflush(stdout);
	}
	return res;
}

/* Catches up every interval (the first time at once) until SIGTERM or
 * SIGINT (blocked in stop); "up to date" is said only the first time. */
static int run_loop(const struct mirror_args *a, const struct copy *c,
		    const sigset_t *stop)
{
	if (c->hc != NULL)
		(void)first_catch_up(c);
	for (;;) {
		int sig = c->hc != NULL ? sigtimedwait(stop, NULL, &a->interval)
					: sigwaitinfo(stop, NULL);
		if (sig == SIGTERM || sig == SIGINT) {
			fprintf(stderr, "pnyx: %s: the mirror stops\n",
				sig == SIGINT ? "SIGINT" : "SIGTERM");
			return CLI_EXIT_OK;
		}
		if (c->hc != NULL)
			(void)catch_up(c);
	}
}

static int run(const struct mirror_args *a, struct mirror_dir *d,
	       const sigset_t *stop)
{
	struct copy c = {.d = d};
	pnyx_witness_policy policy;
	if (a->witnesses != NULL) {
		if (!cli_load_policy(a->witnesses, &policy))
			return CLI_EXIT_FAIL;
		c.policy = &policy;
	}
	if (a->from != NULL) {
		if (!log_key(a, d, &c.key))
			return CLI_EXIT_FAIL;
		pnyx_diag diag = {{0}};
		c.hc = http_client_new(a->from, a->timeout, &diag);
		if (c.hc == NULL)
			return cli_usage_error("mirror", "%s: %s", a->from, diag.msg);
	}
	int rc = CLI_EXIT_FAIL;
	if (a->once) {
		enum mirror_result res = first_catch_up(&c);
		rc = res == MIRROR_GREW || res == MIRROR_SAME ? CLI_EXIT_OK
							      : CLI_EXIT_FAIL;
	} else {
		struct mirror_server *srv = NULL;
		if (a->serve == NULL ||
		    (srv = mirror_serve_start(d, a->serve, a->ready_file)) != NULL)
			rc = run_loop(a, &c, stop);
		mirror_serve_stop(srv);
		if (a->ready_file != NULL && srv != NULL)
			(void)remove(a->ready_file);
	}
	http_client_free(c.hc);
	return rc;
}

int cmd_mirror(int argc, char **argv)
{
	struct mirror_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	/* Blocked before any thread starts, so that only sigwait sees them. */
	sigset_t stop;
	srv_block_stop_signals(&stop);
	struct mirror_dir d;
	if (!mirror_dir_open(a.dir, &d))
		return CLI_EXIT_FAIL;
	rc = a.from == NULL || mirror_dir_lock(&d) ? run(&a, &d, &stop)
						  : CLI_EXIT_FAIL;
	mirror_dir_close(&d);
	return rc;
}
