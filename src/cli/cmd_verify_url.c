/*
 * pnyx verify URL: audit a forum from its server or from any copy of its
 * tiles, trusting neither. Reads the signed checkpoint, then every tile and
 * entry bundle of the tree it names (C2SP tlog-tiles), checking each
 * against the checkpoint's root (pnyx_tile_verify_tree) while replaying
 * every entry with the engine; checks the receipts a member kept; then
 * compares the outcomes with what the server's read API says
 * (verify_compare.c).
 */
#include "cli.h"
#include "cli_log.h"
#include "cli_text.h"
#include "http_client.h"
#include "verify_compare.h"
#include "verify_coop.h"
#include "verify_seen.h"
#include "verify_report.h"
#include "verify_witness.h"

#include "pnyx/base64.h"
#include "pnyx/checkpoint.h"
#include "pnyx/receipt.h"
#include "pnyx/tile.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"Usage: pnyx verify URL [--vkey LOGKEY] [--witnesses FILE] [--seen FILE]...\n"
	"                       [--receipt FILE]... [--json]\n"
	"\n"
	"Checks a forum's record from its server, or from any copy of its log\n"
	"(a mirror's web server, a directory given as file:///path), trusting\n"
	"neither. URL is where the log's files are: URL/checkpoint and\n"
	"URL/tile/... (C2SP tlog-tiles). In order:\n"
	"\n"
	"  1. The checkpoint. URL/checkpoint must be signed with the log's key:\n"
	"     LOGKEY (as text, or @FILE), which you get from the forum's\n"
	"     secretariat. Without --vkey the key the server names at URL/v1/log\n"
	"     is used, and printed: that proves only that the server is\n"
	"     consistent with itself. A mirror needs --vkey. With --witnesses\n"
	"     FILE (the forum's witness policy: 'quorum K' and 'witness KEY'\n"
	"     lines), K of those witnesses must have cosigned it; the\n"
	"     witnesses that did are named.\n"
	"  2. The log. Every tile of hashes and every entry bundle of the tree\n"
	"     the checkpoint names is downloaded and checked: each entry hashes\n"
	"     to its tile, the tiles hash to the checkpoint's root.\n"
	"  3. The rules. Every entry is replayed from the forum's creation with\n"
	"     the rules of procedure (the engine the server runs), checking\n"
	"     every signature. Outcomes are computed, never read.\n"
	"  4. Receipts. Each --receipt FILE (a receipt 'pnyx act' printed) must\n"
	"     be signed with the log's key and name an entry the log holds, with\n"
	"     the same hash, forum and time.\n"
	"  5. The server. If URL is a forum's server, its state digest and\n"
	"     every decision it publishes (/v1/decisions/ID) must be exactly\n"
	"     what the replay computed. A static mirror publishes none: that\n"
	"     step is skipped, and said.\n"
	"\n"
	"Then it prints the forum, members, documents, decisions with their\n"
	"tallies and outcomes, stakeholders and the state digest, as\n"
	"'pnyx verify --db' does.\n"
	"\n"
	"  --vkey LOGKEY    the log's verifier key (recommended; needed for a mirror)\n"
	"  --witnesses FILE require the cosignatures of the policy in FILE\n"
	"  --seen FILE      a signed checkpoint of this log seen elsewhere (another\n"
	"                   server, a mirror, a colleague): the log\n"
	"                   served must extend it, or verify reports a fork\n"
	"                   with both checkpoints (repeat for several)\n"
	"  --cooperation KEYFILE --as ACTOR\n"
	"                   then check ACTOR's part of the cooperation log\n"
	"                   (docs/COOPERATION.md), signing the requests with\n"
	"                   KEYFILE: every entry it may read with its proof,\n"
	"                   the log against the forum's last anchor, and its\n"
	"                   published figures against the replay\n"
	"  --receipt FILE   a receipt to check (repeat for several)\n"
	"  --json           print the summary as JSON on standard output (the\n"
	"                   report of each step goes to standard error)\n"
	"  --timeout SECS   time limit of each request (default 30)\n"
	"\n"
	"Exit status: 0 everything checks and agrees, 1 any check fails or any\n"
	"difference is found (each one printed), 2 the command line is wrong.\n";

#define RECEIPTS_MAX 64
#define SEEN_MAX 16
#define BUNDLE_MAX ((size_t)PNYX_TILE_WIDTH * (2 + PNYX_ENTRY_MAX))
#define SYNC_TRIES 40 /* waits of 250 ms for the checkpoint to catch up */

struct url_args {
	const char *url, *vkey, *witnesses;
	const char *coop_key, *coop_as; /* --cooperation KEYFILE --as ACTOR */
	const char *seen[SEEN_MAX];     /* --seen FILE */
	size_t nseen;
	const char *receipts[RECEIPTS_MAX];
	size_t nreceipts;
	long timeout;
	bool json;
};

struct receipt_slot {
	const char *path;
	pnyx_receipt r;
	bool open, checked;
};

/* What the tile reader needs: it replays each level-0 tile's entries. */
struct walk {
	http_client *hc;
	pnyx_state *st;
	const char *origin;
	struct receipt_slot *receipts;
	size_t nreceipts;
	pnyx_buf tile, bundle;
	bool printed; /* the reason of a failure is already on stderr */
	const pnyx_witness_policy *policy; /* NULL: no --witnesses */
};

static int parse_option(int c, struct url_args *a)
{
	switch (c) {
	case 'v': a->vkey = optarg; break;
	case 'w': a->witnesses = optarg; break;
	case 'c': a->coop_key = optarg; break;
	case 's':
		if (a->nseen == SEEN_MAX)
			return cli_usage_error("verify", "at most %d --seen at once",
					       SEEN_MAX);
		a->seen[a->nseen++] = optarg;
		break;
	case 'a': a->coop_as = optarg; break;
	case 'j': a->json = true; break;
	case 'r':
		if (a->nreceipts == RECEIPTS_MAX)
			return cli_usage_error("verify", "at most %d receipts at once",
					       RECEIPTS_MAX);
		a->receipts[a->nreceipts++] = optarg;
		break;
	case 't': return http_timeout_arg("verify", optarg, &a->timeout);
	case 'h': fputs(help, stdout); return -1;
	default: return cli_usage_error("verify", "unknown option");
	}
	return CLI_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct url_args *a)
{
	static const struct option opts[] = {
		{"vkey", required_argument, NULL, 'v'},
		{"witnesses", required_argument, NULL, 'w'},
		{"cooperation", required_argument, NULL, 'c'},
		{"seen", required_argument, NULL, 's'},
		{"as", required_argument, NULL, 'a'},
		{"receipt", required_argument, NULL, 'r'},
		{"json", no_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct url_args){.timeout = HTTP_TIMEOUT_DEFAULT};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if ((rc = parse_option(c, a)) != CLI_EXIT_OK)
			return rc;
	if (optind != argc - 1)
		return cli_usage_error("verify", "give exactly one URL");
	if ((a->coop_key == NULL) != (a->coop_as == NULL))
		return cli_usage_error("verify", "--cooperation KEYFILE goes with "
				       "--as ACTOR (the member whose key it is)");
	a->url = argv[optind];
	return CLI_EXIT_OK;
}

/* ---- the log's key and checkpoint ---- */

/* The key named at URL/v1/log, when none was given. */
static int server_key(http_client *hc, pnyx_verifier *key, FILE *report)
{
	long status;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	if (!http_get_json(hc, "/v1/log", &status, &r, &diag))
		return cli_fail("cannot read the log's key: %s", diag.msg);
	const char *vkey = cli_str_of(r, "verifier_key");
	int rc = CLI_EXIT_OK;
	if (status != 200 || vkey == NULL)
		rc = cli_fail("%s does not name its log's key (/v1/log): give it "
			      "with --vkey", http_client_base(hc));
	else if (pnyx_verifier_parse((const uint8_t *)vkey, strlen(vkey), key,
				     &diag) != PNYX_OK)
		rc = cli_fail("the server's log key is not a verifier key: %s",
			      diag.msg);
	else
		fprintf(report, "log key (as the server gives it; pin it with "
			"--vkey): %s\n", vkey);
	json_decref(r);
	return rc;
}

/* GET URL/checkpoint, opened with key. */
static int get_checkpoint(http_client *hc, const pnyx_verifier *key,
			  pnyx_buf *note, pnyx_checkpoint *cp)
{
	long status;
	pnyx_diag diag = {{0}};
	if (!http_get(hc, "/checkpoint", CLI_NOTE_MAX, note, &status, &diag))
		return cli_fail("cannot read the checkpoint: %s", diag.msg);
	if (status != 200)
		return cli_fail("%s/checkpoint: HTTP %ld", http_client_base(hc), status);
	return cli_open_checkpoint(note, key, "the checkpoint", cp) ? CLI_EXIT_OK
								       : CLI_EXIT_FAIL;
}

/* Reads the checkpoint and the server's state until both describe the same
 * tree (the server signs a checkpoint shortly after each commit). */
static int sync_checkpoint(http_client *hc, const pnyx_verifier *key,
			   pnyx_buf *note, pnyx_checkpoint *cp,
			   verify_server_state *server)
{
	for (int i = 0;; i++) {
		int rc = get_checkpoint(hc, key, note, cp);
		if (rc == CLI_EXIT_OK)
			rc = verify_get_server_state(hc, server);
		if (rc != CLI_EXIT_OK || !server->published ||
		    server->leaves == cp->size)
			return rc;
		if (i == SYNC_TRIES)
			return cli_fail("the server's state (%llu leaves) and its "
					"latest checkpoint (%llu entries) never "
					"matched: try again when the forum is quieter",
					(unsigned long long)server->leaves,
					(unsigned long long)cp->size);
		nanosleep(&(struct timespec){.tv_nsec = 250000000}, NULL);
	}
}

/* ---- receipts ---- */

static int open_receipts(const struct url_args *a, const pnyx_verifier *key,
			 struct receipt_slot *slots)
{
	int rc = CLI_EXIT_OK;
	for (size_t i = 0; i < a->nreceipts; i++) {
		slots[i] = (struct receipt_slot){.path = a->receipts[i]};
		pnyx_buf b;
		if (!cli_read_file(a->receipts[i], &b)) {
			rc = CLI_EXIT_FAIL;
			continue;
		}
		pnyx_diag diag = {{0}};
		pnyx_err err = pnyx_receipt_open(b.data, b.len, key, &slots[i].r, &diag);
		pnyx_buf_clear(&b);
		if (err != PNYX_OK)
			rc = cli_fail_err(a->receipts[i], err, &diag);
		else
			slots[i].open = true;
	}
	return rc;
}

/* Checks the receipts naming entry i (n bytes at p) of the log. */
static int check_receipts(struct walk *w, uint64_t i, const uint8_t *p,
			  size_t n)
{
	int rc = CLI_EXIT_OK;
	for (size_t k = 0; k < w->nreceipts; k++) {
		struct receipt_slot *s = &w->receipts[k];
		if (!s->open || s->r.index != i)
			continue;
		s->checked = true;
		pnyx_receipt got;
		pnyx_diag diag = {{0}};
		pnyx_err err = pnyx_receipt_from_leaf(w->origin, i, p, n, &got, &diag);
		if (err == PNYX_OK && (!pnyx_hash_eq(&got.leaf_hash, &s->r.leaf_hash) ||
				       got.time_ms != s->r.time_ms ||
				       strcmp(got.forum, s->r.forum) != 0))
			err = pnyx_diag_set(&diag, PNYX_ERR_MISMATCH, "the log's entry "
					    "%llu is another action than the receipt's "
					    "(hash, time or forum differ): if the "
					    "receipt is genuine, the log was rewritten",
					    (unsigned long long)i);
		if (err != PNYX_OK) {
			rc = cli_fail_err(s->path, err, &diag);
			s->open = false;
		}
	}
	return rc;
}

/* Receipts no entry was found for; prints one line for every receipt. */
static int report_receipts(const struct walk *w, uint64_t size, FILE *report)
{
	int rc = CLI_EXIT_OK;
	for (size_t k = 0; k < w->nreceipts; k++) {
		const struct receipt_slot *s = &w->receipts[k];
		if (s->open && s->checked) {
			char when[40];
			cli_format_time((json_int_t)s->r.time_ms, when);
			fprintf(report, "%s: ok: entry %llu of forum %s, accepted %s\n",
				s->path, (unsigned long long)s->r.index, s->r.forum, when);
		} else if (s->open) {
			rc = cli_fail("%s: the log holds %llu entries, none at index "
				      "%llu: if the receipt is genuine, the log was "
				      "cut back (or this copy is older than the "
				      "receipt) (out-of-range)", s->path,
				      (unsigned long long)size,
				      (unsigned long long)s->r.index);
		}
	}
	return rc;
}

/* ---- tiles ---- */

/* GET one tile or bundle into b; prints why not. */
static pnyx_err fetch(struct walk *w, const pnyx_tile *t, size_t max,
		      pnyx_buf *b)
{
	char path[PNYX_TILE_PATH_MAX + 1] = "/";
	pnyx_tile_path_format(t, path + 1);
	long status;
	pnyx_diag diag = {{0}};
	w->printed = true;
	if (!http_get(w->hc, path, max, b, &status, &diag)) {
		cli_fail("cannot read %s: %s", path + 1, diag.msg);
		return PNYX_ERR_IO;
	}
	if (status != 200) {
		cli_fail("%s%s: HTTP %ld", http_client_base(w->hc), path, status);
		return PNYX_ERR_NOT_FOUND;
	}
	w->printed = false;
	return PNYX_OK;
}

/* Fetches the entry bundle of level-0 tile (index, width), checks it
 * against the tile's hashes and replays its entries. */
static pnyx_err replay_bundle(struct walk *w, uint64_t index, unsigned width,
			      const uint8_t *tile)
{
	pnyx_tile t = {PNYX_TILE_ENTRIES, 0, index, width};
	pnyx_err err = fetch(w, &t, BUNDLE_MAX, &w->bundle);
	if (err != PNYX_OK)
		return err;
	pnyx_entry entries[PNYX_TILE_WIDTH];
	pnyx_diag diag = {{0}};
	err = pnyx_tile_bundle_parse(w->bundle.data, w->bundle.len, width, entries);
	if (err == PNYX_OK)
		err = pnyx_tile_bundle_verify(entries, width, tile, &diag);
	if (err != PNYX_OK) {
		char what[80];
		snprintf(what, sizeof what, "entry bundle %llu",
			 (unsigned long long)index);
		w->printed = true;
		cli_fail_err(what, err, &diag);
		return err;
	}
	for (unsigned k = 0; k < width; k++) {
		uint64_t i = index * PNYX_TILE_WIDTH + k;
		int rc = verify_apply_leaf(w->st, i, entries[k].p, entries[k].n);
		if (rc == CLI_EXIT_OK)
			rc = check_receipts(w, i, entries[k].p, entries[k].n);
		if (rc != CLI_EXIT_OK) {
			w->printed = true;
			return PNYX_ERR_MISMATCH;
		}
	}
	return PNYX_OK;
}

/* The pnyx_tile_reader: every tile once, level 0 in order. */
static pnyx_err read_tile(void *ctx, unsigned level, uint64_t index,
			  unsigned width, uint8_t *out)
{
	struct walk *w = ctx;
	pnyx_tile t = {PNYX_TILE_HASHES, level, index, width};
	pnyx_err err = fetch(w, &t, PNYX_TILE_BYTES, &w->tile);
	if (err != PNYX_OK)
		return err;
	if (w->tile.len != (size_t)width * PNYX_HASH_LEN) {
		char path[PNYX_TILE_PATH_MAX];
		pnyx_tile_path_format(&t, path);
		w->printed = true;
		cli_fail("%s holds %zu bytes, not %u hashes", path, w->tile.len, width);
		return PNYX_ERR_MALFORMED;
	}
	memcpy(out, w->tile.data, w->tile.len);
	return level == 0 ? replay_bundle(w, index, width, out) : PNYX_OK;
}

/* Checks every tile against the checkpoint while replaying the entries. */
static int walk_tree(struct walk *w, const pnyx_checkpoint *cp)
{
	if (cp->size == 0)
		return cli_fail("the checkpoint covers no entry: there is no forum "
				"to verify");
	pnyx_buf_init(&w->tile, PNYX_TILE_BYTES);
	pnyx_buf_init(&w->bundle, BUNDLE_MAX);
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_tile_verify_tree(cp->size, &cp->root, read_tile, w, &diag);
	pnyx_buf_clear(&w->tile);
	pnyx_buf_clear(&w->bundle);
	if (err == PNYX_OK)
		return CLI_EXIT_OK;
	return w->printed ? CLI_EXIT_FAIL
			  : cli_fail_err("the tiles do not match the checkpoint",
					 err, &diag);
}

/* ---- the command ---- */

static void print_checkpoint(const pnyx_checkpoint *cp, FILE *report)
{
	char root[64];
	pnyx_base64_encode(cp->root.b, PNYX_HASH_LEN, root, sizeof root);
	fprintf(report, "checkpoint: %s, %llu entries, root %s: signature verified\n",
		cp->origin, (unsigned long long)cp->size, root);
}

/* Prints the summary of the replayed state. */
static int summarise(const pnyx_state *st, const pnyx_checkpoint *cp,
		     const char *digest, bool json)
{
	if (!json) {
		verify_print_summary(st, digest);
		return CLI_EXIT_OK;
	}
	verify_log_id id = {.origin = cp->origin, .entries = cp->size,
			    .root = cp->root};
	return verify_print_json(st, &id, digest);
}

/* Steps 2 to 5, once the key and the receipts are ready. */
static int verify_tree(http_client *hc, const struct url_args *a,
		       const pnyx_verifier *key, struct walk *w)
{
	FILE *report = a->json ? stderr : stdout;
	pnyx_buf note;
	pnyx_buf_init(&note, CLI_NOTE_MAX);
	pnyx_checkpoint cp;
	verify_server_state server;
	int rc = sync_checkpoint(hc, key, &note, &cp, &server);
	if (rc == CLI_EXIT_OK) {
		print_checkpoint(&cp, report);
		if (verify_seen(hc, key, &cp, &note, a->seen, a->nseen, report) !=
		    CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		if (w->policy != NULL &&
		    !cli_check_cosigned(w->policy, &note, key, "the checkpoint",
					report))
			rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		fprintf(report, "reading every tile and entry, replaying %llu leaves "
			"with the rules of procedure, checking every signature...\n",
			(unsigned long long)cp.size);
		w->origin = key->name;
		rc = walk_tree(w, &cp);
	}
	char digest[2 * PNYX_HASH_LEN + 1];
	if (rc == CLI_EXIT_OK) {
		fputs("tiles: every entry and tile matches the checkpoint's root\n",
		      report);
		rc = report_receipts(w, cp.size, report);
		if (verify_digest(w->st, digest) != CLI_EXIT_OK ||
		    summarise(w->st, &cp, digest, a->json) != CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
		else if (verify_compare(hc, w->st, cp.size, digest, &server,
					report) != CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
	}
	pnyx_buf_clear(&note);
	return rc;
}

static int verify_url(http_client *hc, const struct url_args *a)
{
	FILE *report = a->json ? stderr : stdout;
	pnyx_verifier key;
	if (a->vkey != NULL ? !cli_load_verifier(a->vkey, &key)
			    : server_key(hc, &key, report) != CLI_EXIT_OK)
		return CLI_EXIT_FAIL;
	struct receipt_slot slots[RECEIPTS_MAX];
	struct walk w = {.hc = hc, .receipts = slots, .nreceipts = a->nreceipts};
	pnyx_witness_policy policy;
	if (a->witnesses != NULL) {
		if (!cli_load_policy(a->witnesses, &policy))
			return CLI_EXIT_FAIL;
		w.policy = &policy;
	}
	int rc = open_receipts(a, &key, slots);
	if (pnyx_state_new(&w.st) != PNYX_OK)
		return cli_fail("out of memory");
	if (verify_tree(hc, a, &key, &w) != CLI_EXIT_OK)
		rc = CLI_EXIT_FAIL;
	pnyx_signer member;
	if (rc == CLI_EXIT_OK && a->coop_key != NULL) {
		rc = cli_load_signer(a->coop_key, &member)
			     ? verify_cooperation_member(hc, w.st, &member,
							 a->coop_as, report)
			     : CLI_EXIT_FAIL;
		pnyx_signer_clear(&member);
	}
	pnyx_state_free(w.st);
	if (rc == CLI_EXIT_OK)
		fputs("verified: no difference found\n", report);
	return rc;
}

int cmd_verify_url(int argc, char **argv)
{
	struct url_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	pnyx_diag diag = {{0}};
	http_client *hc = http_client_new(a.url, a.timeout, &diag);
	if (hc == NULL)
		return cli_usage_error("verify", "%s: %s", a.url, diag.msg);
	rc = verify_url(hc, &a);
	http_client_free(hc);
	return rc;
}
