/*
 * pnyx demo: creates (or reopens) the demonstration forum in a folder
 * (docs/DEMO.md), a training simulation like a Model UN, and prints what
 * it holds and how to act in it as a member. Every action of the forum
 * goes through the sequencer `pnyx serve` runs (demo_forum.c).
 */
#include "cli.h"
#include "demo.h"

#include "pnyx/mem.h"

#include "../server/coop_log.h"
#include "../server/sequencer.h"
#include "../server/server.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"Usage: pnyx demo [--dir DIR] [--seed N] [--data DIR] [--listen ADDR:PORT]\n"
	"\n"
	"Creates the demonstration forum, a training simulation (like a Model\n"
	"UN), in DIR (default: demo): the secretariat, a chair and the 193 UN\n"
	"member states, each with its own key; a chair's draft of the eleven\n"
	"voluntary norms of the 2015 report (in Pnyx's own words) with its\n"
	"amendments and revisions, adopted by consensus; a second draft under\n"
	"consensus, still open; stakeholders accredited, pending and objected\n"
	"to. Every action is signed by its actor and goes through the same\n"
	"sequencer as 'pnyx serve', with the rules of procedure.\n"
	"\n"
	"The members that take the scripted positions are drawn at random from\n"
	"the seed: the positions are those of the simulation, not of any\n"
	"government.\n"
	"\n"
	"It writes DIR/forum.db (the log), DIR/log.key and DIR/log.vkey (the\n"
	"log's keys) and DIR/keys/ACTOR.key for every actor (DIR/keys/KEN.key,\n"
	"DIR/keys/secretariat.key, DIR/keys/chair.1.key, ...). If DIR/forum.db\n"
	"exists, it is kept as it is. Then it prints what the forum holds and\n"
	"how to act in it as a member once it is served:\n"
	"  pnyx serve --db DIR/forum.db --key DIR/log.key\n"
	"\n"
	"  --dir DIR           the demo's folder (default: demo)\n"
	"  --seed N            the seed of the random draw (default: 1)\n"
	"  --data DIR          the project's data folder, with un-members.txt\n"
	"                      and norms-2015.tsv (default: the one of the\n"
	"                      source tree it was built from, " PNYX_DATA_DIR ")\n"
	"  --listen ADDR:PORT  where the forum will be served: checks that no\n"
	"                      other program listens there, and prints the\n"
	"                      commands for it (default: 127.0.0.1:8080, not\n"
	"                      checked)\n"
	"\n"
	"Exit status: 0 done, 1 it failed (nothing half-made is kept as the\n"
	"forum), 2 the command line is wrong.\n";

struct demo_args {
	const char *dir;
	const char *data;
	const char *listen;
	uint64_t seed;
};

/* Returns CLI_EXIT_OK to go on, -1 after printing the help, or a usage
 * error. */
static int parse_args(int argc, char **argv, struct demo_args *a)
{
	static const struct option opts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"seed", required_argument, NULL, 's'},
		{"data", required_argument, NULL, 'D'},
		{"listen", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct demo_args){.dir = "demo", .data = PNYX_DATA_DIR, .seed = 1};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dir = optarg; break;
		case 'D': a->data = optarg; break;
		case 'l': a->listen = optarg; break;
		case 's':
			if (!cli_parse_u64("demo", "--seed", optarg, &a->seed))
				return CLI_EXIT_USAGE;
			break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("demo", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
	if (a->dir[0] == '\0' || strlen(a->dir) > DEMO_PATH_MAX - 64 ||
	    strlen(a->data) > DEMO_PATH_MAX - 64)
		return cli_usage_error("demo", "the folder name is empty or too long");
	return CLI_EXIT_OK;
}

/* Checks that nothing listens at l (bound with SO_REUSEADDR, as the
 * server binds). */
static bool listen_is_free(const struct srv_listen *l, const char *text)
{
	int fd = socket(l->ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	bool ok = fd >= 0 &&
		  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
		  bind(fd, (const struct sockaddr *)&l->addr,
		       l->ipv6 ? sizeof(struct sockaddr_in6)
			       : sizeof(struct sockaddr_in)) == 0;
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (ok)
		return true;
	if (e == EADDRINUSE)
		cli_fail("%s is already in use by another program (a demo server "
			 "still running?): stop it, or choose another port (with "
			 "make run: PNYX_PORT=8081 make run)", text);
	else
		cli_fail("cannot listen on %s: %s", text, strerror(e));
	return false;
}

static bool exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

/* Writes key's private form to path (mode 0600) and its verifier key to
 * vpath (0644). */
static bool write_log_key(const pnyx_signer *key, const char *path,
			  const char *vpath)
{
	pnyx_buf b;
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	pnyx_buf_init(&b, 1024);
	bool ok = pnyx_signer_encode(key, &b) == PNYX_OK &&
		  pnyx_buf_puts(&b, "\n") == PNYX_OK &&
		  cli_write_new_file(path, b.data, b.len, 0600);
	pnyx_buf_reset(&b);
	ok = ok && pnyx_verifier_encode(&v, &b) == PNYX_OK &&
	     pnyx_buf_puts(&b, "\n") == PNYX_OK &&
	     cli_write_new_file(vpath, b.data, b.len, 0644);
	pnyx_buf_clear(&b);
	return ok;
}

/* Creates an empty log at path whose checkpoints key signs. */
static bool create_log(const char *path, const pnyx_signer *key)
{
	static const char *const sidecars[] = {"", "-wal", "-shm", "-journal"};
	char p[DEMO_PATH_MAX];
	for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
		snprintf(p, sizeof p, "%s%s", path, sidecars[i]);
		if (unlink(p) != 0 && errno != ENOENT) {
			cli_fail("cannot remove %s: %s", p, strerror(errno));
			return false;
		}
	}
	pnyx_diag diag = {{0}};
	pnyx_store *store = NULL;
	pnyx_log *log = NULL;
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_create(store, &v, &log, &diag);
	if (err != PNYX_OK) {
		cli_fail_err("cannot create the demo's log", err, &diag);
		return false;
	}
	pnyx_log_close(log);
	return true;
}

/* The paths of the demo's files. */
struct demo_paths {
	const char *dir;
	char db[DEMO_PATH_MAX], part[DEMO_PATH_MAX], key[DEMO_PATH_MAX],
		vkey[DEMO_PATH_MAX], keys[DEMO_PATH_MAX];
	char coop_db[DEMO_PATH_MAX], coop_part[DEMO_PATH_MAX],
		coop_key[DEMO_PATH_MAX], coop_vkey[DEMO_PATH_MAX];
};

static void demo_paths(const char *dir, struct demo_paths *p)
{
	p->dir = dir;
	snprintf(p->db, sizeof p->db, "%s/forum.db", dir);
	snprintf(p->part, sizeof p->part, "%s/forum.db.part", dir);
	snprintf(p->key, sizeof p->key, "%s/log.key", dir);
	snprintf(p->vkey, sizeof p->vkey, "%s/log.vkey", dir);
	snprintf(p->keys, sizeof p->keys, "%s/keys", dir);
	snprintf(p->coop_db, sizeof p->coop_db, "%s/cooperation.db", dir);
	snprintf(p->coop_part, sizeof p->coop_part, "%s/cooperation.db.part", dir);
	snprintf(p->coop_key, sizeof p->coop_key, "%s/cooperation.key", dir);
	snprintf(p->coop_vkey, sizeof p->coop_vkey, "%s/cooperation.vkey", dir);
}

/* Opens cooperation on the forum (d->seq) and runs its scenes on the
 * cooperation log at p->coop_part, through its own sequencer. */
static bool run_cooperation(struct demo *d, const struct demo_paths *p,
			    const pnyx_signer *coop_key)
{
	pnyx_verifier v;
	pnyx_signer_verifier(coop_key, &v);
	pnyx_buf vkey;
	pnyx_buf_init(&vkey, 1024);
	bool ok = pnyx_verifier_encode(&v, &vkey) == PNYX_OK;
	if (ok)
		demo_act(d, "secretariat", "cooperation.open",
			 "{s:s,s:{s:{s:i,s:i,s:i,s:i},s:i,s:[s,s,s]}}", "log_key",
			 (const char *)vkey.data, "rules", "ack_hours", "critical", 2,
			 "high", 8, "low", 168, "medium", 48, "ping_window_hours", 48,
			 "publish", "data_requests", "per_member", "pings");
	pnyx_buf_clear(&vkey);
	struct srv_coop *coop = NULL;
	pnyx_diag diag = {{0}};
	ok = ok && !d->failed && create_log(p->coop_part, coop_key);
	pnyx_err err = ok ? srv_coop_start(p->coop_part, coop_key, d->seq, 1000,
					   &coop, &diag)
			  : PNYX_ERR_MALFORMED;
	if (ok && err != PNYX_OK) {
		cli_fail_err("cannot start the demo's cooperation log", err, &diag);
		ok = false;
	}
	ok = ok && demo_coop_run(d, srv_coop_sequencer(coop), p->dir);
	srv_coop_stop(coop);
	return ok;
}

/* Runs the script on the log at p->part through a sequencer of its own,
 * then the cooperation scenes. */
static bool run_script(struct demo *d, const struct demo_paths *p,
		       const pnyx_signer *key, const pnyx_signer *coop_key)
{
	struct srv_logview *lv = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_logview_open(p->part, &lv, &diag);
	if (err == PNYX_OK)
		err = srv_sequencer_start(lv, key, 1000, &d->seq, &diag);
	if (err != PNYX_OK) {
		srv_logview_close(lv);
		cli_fail_err("cannot start the demo's sequencer", err, &diag);
		return false;
	}
	bool ok = demo_script_run(d) && run_cooperation(d, p, coop_key);
	srv_sequencer_stop(d->seq);
	d->seq = NULL;
	srv_logview_close(lv);
	return ok;
}

/* Builds the forum into p->part with d's cast, writes every key, and only
 * then renames the log to p->db, so that a forum.db is always whole. */
static bool build(struct demo *d, const struct demo_paths *p)
{
	pnyx_signer log_key, coop_key;
	memset(&log_key, 0, sizeof log_key);
	memset(&coop_key, 0, sizeof coop_key);
	bool ok = pnyx_signer_generate(DEMO_LOG_KEY_NAME, &log_key) == PNYX_OK &&
		  pnyx_signer_generate(DEMO_COOP_KEY_NAME, &coop_key) == PNYX_OK;
	if (!ok)
		cli_fail("cannot create the logs' keys");
	ok = ok && create_log(p->part, &log_key) &&
	     run_script(d, p, &log_key, &coop_key) && demo_write_keys(d, p->dir) &&
	     write_log_key(&log_key, p->key, p->vkey) &&
	     write_log_key(&coop_key, p->coop_key, p->coop_vkey);
	pnyx_signer_clear(&log_key);
	pnyx_signer_clear(&coop_key);
	if (ok && rename(p->coop_part, p->coop_db) != 0) {
		cli_fail("cannot rename %s to %s: %s", p->coop_part, p->coop_db,
			 strerror(errno));
		ok = false;
	}
	if (ok && rename(p->part, p->db) != 0) {
		cli_fail("cannot rename %s to %s: %s", p->part, p->db,
			 strerror(errno));
		ok = false;
	}
	return ok;
}

/* Creates the forum in a->dir; *actions receives the number of actions. */
static bool create_forum(const struct demo_args *a, const pnyx_country_set *cs,
			 const struct demo_paths *p, size_t *actions)
{
	char contacts[DEMO_PATH_MAX];
	snprintf(contacts, sizeof contacts, "%s/contacts", p->dir);
	if (exists(p->key) || exists(p->keys) || exists(contacts)) {
		cli_fail("%s holds keys but no forum.db (left by an earlier "
			 "version of the demo, or by a run that stopped half-way): "
			 "remove the folder %s and run again", a->dir, a->dir);
		return false;
	}
	struct demo *d = pnyx_calloc(1, sizeof *d);
	if (d == NULL) {
		cli_fail("out of memory");
		return false;
	}
	bool ok = demo_load_norms(d, a->data) && demo_cast_init(d, cs, a->seed);
	if (ok && mkdir(a->dir, 0755) != 0 && errno != EEXIST) {
		cli_fail("cannot create %s: %s", a->dir, strerror(errno));
		ok = false;
	}
	ok = ok && build(d, p);
	*actions = d->accepted;
	demo_cast_clear(d);
	pnyx_free(d);
	return ok;
}

/* Prints how to act in the forum served at url, and how to read it. */
static void print_howto(const pnyx_state *st, const pnyx_country_set *cs,
			const struct demo_args *a, const char *url)
{
	const char *order[DEMO_MAX_ACTORS];
	size_t n = demo_order(cs, a->seed, order);
	const char *dec = demo_report_open_decision(st);
	const char *who = demo_report_pick(st, order, n, dec);
	printf("\nKeys: %s/keys/ACTOR.key for every member (by its ISO code), "
	       "the secretariat,\nchair.1 and the stakeholders; the log's key: "
	       "%s/log.key.\n\nThe forum is served at %s (the forum's record: "
	       "%s/v1/forum)\n", a->dir, a->dir, url, url);
	if (who != NULL && dec != NULL) {
		printf("\nAct as a member: %s (%s) has not yet taken a position on "
		       "the open decision\n%s. Join the consensus:\n"
		       "  build/pnyx act --server %s --key %s/keys/%s.key --as %s "
		       "consensus.join --decision %s\n",
		       pnyx_country_name(cs, who, "en"), who, dec, url, a->dir, who,
		       who, dec);
		printf("Read the decision (positions, and who has not spoken):\n"
		       "  curl -s %s/v1/decisions/%s\n", url, dec);
	} else if (who != NULL) {
		printf("\nAct as a member, for example %s (%s):\n"
		       "  build/pnyx act --server %s --key %s/keys/%s.key --as %s "
		       "--help\n", pnyx_country_name(cs, who, "en"), who, url,
		       a->dir, who, who);
	}
	demo_sessions_howto(st, cs, order, n, a->dir, url);
	char coop_db[DEMO_PATH_MAX];
	snprintf(coop_db, sizeof coop_db, "%s/cooperation.db", a->dir);
	if (exists(coop_db) && n > 4)
		printf("\nCooperation between members (docs/COOPERATION.md): %s (%s) "
		       "has a request for\nassistance from %s waiting. Read its inbox "
		       "and acknowledge the request:\n"
		       "  build/pnyx inbox --server %s --key %s/keys/%s.key --as %s "
		       "--contact-key %s/contacts/%s.cert.key\n"
		       "  build/pnyx act --server %s --key %s/keys/%s.key --as %s "
		       "request.ack --request %s:2\n\n",
		       pnyx_country_name(cs, order[1], "en"), order[1], order[4],
		       url, a->dir, order[1], order[1], a->dir, order[1], url, a->dir,
		       order[1], order[1], order[4]);
	printf("Every action a member can take, and its fields:\n"
	       "  build/pnyx act --help\n"
	       "Check the whole record on your own machine:\n"
	       "  build/pnyx verify --db %s/forum.db --vkey @%s/log.vkey\n"
	       "To start again from nothing: stop the server, remove %s/, "
	       "run the demo again.\n", a->dir, a->dir, a->dir);
}

/* Opens the forum at p->db (checking it with its log key, as the server
 * will) and prints what it holds and how to act in it. */
static int show_forum(const struct demo_args *a, const pnyx_country_set *cs,
		      const struct demo_paths *p, const char *url)
{
	pnyx_signer key;
	if (!cli_load_signer(p->key, &key))
		return CLI_EXIT_FAIL;
	struct srv_logview *lv = NULL;
	struct srv_sequencer *seq = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_logview_open(p->db, &lv, &diag);
	if (err == PNYX_OK)
		err = srv_sequencer_start(lv, &key, 1000, &seq, &diag);
	pnyx_signer_clear(&key);
	int rc = CLI_EXIT_OK;
	if (err != PNYX_OK) {
		char what[DEMO_PATH_MAX + 64];
		snprintf(what, sizeof what, "cannot open the demo forum %s", p->db);
		rc = cli_fail_err(what, err, &diag);
	} else {
		const pnyx_state *st = srv_sequencer_lock_state(seq);
		demo_report_forum(st, cs, stdout);
		print_howto(st, cs, a, url);
		srv_sequencer_unlock_state(seq);
	}
	srv_sequencer_stop(seq);
	srv_logview_close(lv);
	return rc;
}

/* Loads the UN member list of a->data and the names from iso-codes. */
static pnyx_country_set *load_countries(const struct demo_args *a)
{
	char members[DEMO_PATH_MAX];
	snprintf(members, sizeof members, "%s/un-members.txt", a->data);
	pnyx_country_paths paths = {.members = members};
	pnyx_country_set *cs = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_country_set_load(&paths, &cs, &diag);
	if (err != PNYX_OK) {
		cli_fail_err("cannot load the UN member list and the state names "
			     "(give the project's data folder with --data)", err,
			     &diag);
		return NULL;
	}
	return cs;
}

/* Writes the URL the forum will be served at; checks the address if
 * given. Returns CLI_EXIT_OK or the exit status. */
static int server_url(const struct demo_args *a, char *url, size_t cap)
{
	struct srv_listen l;
	pnyx_diag diag = {{0}};
	const char *listen = a->listen != NULL ? a->listen : "127.0.0.1:8080";
	if (srv_listen_parse(listen, &l, &diag) != PNYX_OK)
		return cli_usage_error("demo", "--listen: %s", diag.msg);
	if (l.port == 0)
		return cli_usage_error("demo", "--listen needs the port the server "
				       "will use, not 0");
	if (a->listen != NULL && !listen_is_free(&l, listen))
		return CLI_EXIT_FAIL;
	snprintf(url, cap, "http://%s:%u", l.host, (unsigned)l.port);
	return CLI_EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
	struct demo_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	char url[SRV_LISTEN_MAX + 16];
	rc = server_url(&a, url, sizeof url);
	if (rc != CLI_EXIT_OK)
		return rc;
	pnyx_country_set *cs = load_countries(&a);
	if (cs == NULL)
		return CLI_EXIT_FAIL;
	struct demo_paths p;
	demo_paths(a.dir, &p);
	printf("Pnyx demo. %s\n\n", PNYX_TRAINING_NOTICE);
	fflush(stdout);
	size_t actions = 0;
	if (exists(p.db)) {
		printf("Reopened the demo forum in %s/ as it was left (remove the "
		       "folder to start again).\n\n", a.dir);
	} else if (create_forum(&a, cs, &p, &actions)) {
		printf("Created the demo forum in %s/ with seed %llu: %zu actions, "
		       "each signed by its actor's\nkey and accepted by the "
		       "sequencer under the rules of procedure.\n\n", a.dir,
		       (unsigned long long)a.seed, actions);
	} else {
		pnyx_country_set_free(cs);
		return CLI_EXIT_FAIL;
	}
	rc = show_forum(&a, cs, &p, url);
	pnyx_country_set_free(cs);
	return rc;
}
