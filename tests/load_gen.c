/*
 * load_gen: signed actions submitted concurrently to `pnyx serve --key`,
 * for tests/durability.sh and bench/bench_serve.sh.
 *
 *   load_gen setup URLFILE MEMBERS
 *       creates the forum through the server: forum.create (the
 *       secretariat, chair.1 and MEMBERS members AAA, AAB, ...), the
 *       document "load-doc", the consensus decision "load-decision" on it,
 *       joined by the upper half of the members (three of them explain
 *       their position). The lower half never acts here.
 *   load_gen run URLFILE FIRST CLIENTS SECONDS OUT
 *       CLIENTS threads for SECONDS seconds (or until SIGTERM); client i
 *       is member FIRST + i (which must not have acted before) and
 *       submits input.submit on load-doc with seq 1, 2, ... Every 201 is
 *       appended to OUT as
 *       "INDEX LEAF-HASH ACTOR SEQ". Prints "key value" lines: acked,
 *       per_s, latency percentiles of the 201s, retries, errors.
 *   load_gen fill DIR N MEMBERS
 *       writes DIR/forum.db, a log of N leaves one second apart, straight
 *       into the store (no server), and DIR/log.key, its key: the setup
 *       above, then cycles of a forum's work (a document, a consensus
 *       decision every member joins, three explanations, ten members'
 *       written input, the close). Signed, not checked: `pnyx serve` and
 *       `pnyx verify` replay it. For start-up figures (bench_serve.sh).
 *   load_gen check DB OUT...
 *       every line of the OUT files is in the log DB: the entry at INDEX
 *       exists and its RFC 6962 leaf hash is LEAF-HASH. Prints "checked N".
 *
 * URLFILE is the server's ready file (`pnyx serve --ready-file`); it is
 * read again before every retry, so the server may restart on another
 * port. A client survives the server dying mid-request: on a transport
 * error or a 5xx it sends the same signed note again once the server
 * answers; if the server then says seq-replayed, the earlier attempt was
 * committed without an answer reaching us (counted as unacked, not
 * recorded: only acknowledged actions are promised). Any other refusal is
 * an error: the client stops and the program exits 1.
 *
 * The forum, its actors and keys, and `fill` are in load_forum.c.
 */
#include "load_forum.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pnyx/base64.h"
#include "pnyx/hash.h"
#include "pnyx/log.h"
#include "pnyx/merkle.h"
#include "pnyx/store.h"
#include "pnyx/text.h"

#define MAX_CLIENTS 256
#define URL_MAX 256
#define RETRY_PAUSE_NS 20000000L /* 20 ms between attempts */

/* One HTTP connection (kept alive) and its last answer. */
typedef struct conn {
	CURL *h;
	const char *url_file;
	char url[URL_MAX];
	pnyx_buf body;
	long status;       /* 0: no answer (transport error) */
} conn;

typedef struct client {
	pthread_t thread;
	struct run *run;
	actor who;
	conn c;
	uint32_t *lat_us;  /* latency of each 201 */
	size_t nlat, cap;
	uint64_t acked, unacked, retries, errors;
} client;

typedef struct run {
	const char *url_file;
	double until;      /* monotonic seconds */
	atomic_bool stop;  /* SIGTERM came */
	FILE *out;
	pthread_mutex_t out_mu;
	client *clients;
	size_t nclients;
} run;

static uint64_t arg_u64(const char *s, const char *what)
{
	uint64_t v = 0;
	if (pnyx_parse_u64((const uint8_t *)s, strlen(s), &v) != PNYX_OK)
		lf_die("%s must be a decimal number", what);
	return v;
}

/* ---- HTTP ---- */

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	conn *c = arg;
	return pnyx_buf_append(&c->body, p, size * n) == PNYX_OK ? size * n : 0;
}

/* Reads the server's URL from the ready file (false if not there yet). */
static bool read_url(conn *c)
{
	FILE *f = fopen(c->url_file, "r");
	if (f == NULL)
		return false;
	char line[URL_MAX];
	bool ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	size_t n = ok ? strcspn(line, "\r\n") : 0;
	if (n == 0 || n + sizeof "/v1/actions" > sizeof c->url)
		return false;
	memcpy(c->url, line, n);
	memcpy(c->url + n, "/v1/actions", sizeof "/v1/actions");
	return true;
}

static void conn_init(conn *c, const char *url_file)
{
	memset(c, 0, sizeof *c);
	c->url_file = url_file;
	c->h = curl_easy_init();
	if (c->h == NULL)
		lf_die("curl_easy_init failed");
	pnyx_buf_init(&c->body, BODY_MAX);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, 60000L);
}

static void conn_clear(conn *c)
{
	curl_easy_cleanup(c->h);
	pnyx_buf_clear(&c->body);
}

/* POSTs note to /v1/actions; c->status is the HTTP status, or 0 when no
 * answer came (no server, connection reset, timeout). */
static void post(conn *c, const pnyx_buf *note)
{
	pnyx_buf_reset(&c->body);
	c->status = 0;
	if (c->url[0] == 0 && !read_url(c))
		return;
	curl_easy_setopt(c->h, CURLOPT_URL, c->url);
	curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, (const char *)note->data);
	curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)note->len);
	if (curl_easy_perform(c->h) != CURLE_OK)
		return;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &c->status);
}

static void pause_briefly(conn *c)
{
	struct timespec t = {0, RETRY_PAUSE_NS};
	nanosleep(&t, NULL);
	c->url[0] = 0; /* read the ready file again */
}

/* The problem code of the last answer ("" if none). */
static const char *problem_code(const conn *c, char out[64])
{
	out[0] = 0;
	json_t *doc = json_loadb((const char *)c->body.data, c->body.len, 0, NULL);
	const char *code = json_string_value(json_object_get(doc, "code"));
	if (code != NULL)
		snprintf(out, 64, "%s", code);
	json_decref(doc);
	return out;
}

/* Posts note until the server answers something other than a 5xx, or
 * until the deadline or *stop (may be NULL). */
static void post_until_answered(conn *c, const pnyx_buf *note, double until,
				const atomic_bool *stop, uint64_t *retries)
{
	for (;;) {
		post(c, note);
		if (c->status != 0 && c->status < 500)
			return;
		if (lf_now() >= until || (stop != NULL && atomic_load(stop)))
			return;
		(*retries)++;
		pause_briefly(c);
	}
}

/* ---- setup through the server ---- */

typedef struct http_sink {
	sink k;
	conn c;
	pnyx_buf note;
} http_sink;

/* Posts one action of a and expects 201. */
static void http_emit(sink *k, actor *a, const char *type, json_t *body)
{
	http_sink *h = (http_sink *)k;
	lf_sign_action(a, type, body, &h->note);
	uint64_t retries = 0;
	post_until_answered(&h->c, &h->note, lf_now() + 30.0, NULL, &retries);
	if (h->c.status != 201)
		lf_die("setup: %s by %s: HTTP %ld: %.*s", type, a->id, h->c.status,
		    (int)h->c.body.len, (const char *)h->c.body.data);
	a->seq++;
}

static int cmd_setup(const char *url_file, size_t n)
{
	forum f;
	lf_forum_init(&f, n);
	http_sink h = {.k = {http_emit}};
	conn_init(&h.c, url_file);
	pnyx_buf_init(&h.note, BODY_MAX);
	lf_emit_setup(&f, &h.k);
	printf("members %zu\ndecision %s\n", n, DECISION);
	conn_clear(&h.c);
	pnyx_buf_clear(&h.note);
	free(f.members);
	return 0;
}

/* ---- run ---- */

static void keep_latency(client *cl, double seconds)
{
	if (cl->nlat == cl->cap) {
		size_t cap = cl->cap != 0 ? 2 * cl->cap : 4096;
		uint32_t *p = realloc(cl->lat_us, cap * sizeof *p);
		if (p == NULL)
			lf_die("out of memory");
		cl->lat_us = p;
		cl->cap = cap;
	}
	double us = seconds * 1e6;
	cl->lat_us[cl->nlat++] = us < 4e9 ? (uint32_t)us : UINT32_MAX;
}

/* Records a 201: "INDEX LEAF-HASH ACTOR SEQ". */
static bool record(client *cl)
{
	json_t *doc = json_loadb((const char *)cl->c.body.data, cl->c.body.len, 0, NULL);
	json_t *index = json_object_get(doc, "index");
	const char *hash = json_string_value(json_object_get(doc, "leaf_hash"));
	bool ok = json_is_integer(index) && json_integer_value(index) >= 0 &&
		  hash != NULL && strlen(hash) == PNYX_HASH_B64_LEN;
	if (ok) {
		pthread_mutex_lock(&cl->run->out_mu);
		fprintf(cl->run->out, "%lld %s %s %llu\n",
			(long long)json_integer_value(index), hash, cl->who.id,
			(unsigned long long)cl->who.seq + 1);
		pthread_mutex_unlock(&cl->run->out_mu);
	}
	json_decref(doc);
	return ok;
}

/* The answer to a note that may have been sent before without an answer:
 * true to go on with the next sequence number. */
static bool settle(client *cl, bool resent, double took)
{
	char code[64];
	if (cl->c.status == 201 && record(cl)) {
		keep_latency(cl, took);
		cl->acked++;
		return true;
	}
	if (cl->c.status == 409 && resent &&
	    strcmp(problem_code(&cl->c, code), "seq-replayed") == 0) {
		cl->unacked++; /* committed; its answer was lost */
		return true;
	}
	cl->errors++;
	fprintf(stderr, "load_gen: %s seq %llu: HTTP %ld: %.*s\n", cl->who.id,
		(unsigned long long)cl->who.seq + 1, cl->c.status,
		(int)cl->c.body.len, (const char *)cl->c.body.data);
	return false;
}

static void *client_main(void *arg)
{
	client *cl = arg;
	pnyx_buf note;
	pnyx_buf_init(&note, BODY_MAX);
	while (lf_now() < cl->run->until && !atomic_load(&cl->run->stop)) {
		char text[96];
		snprintf(text, sizeof text, "Input %llu of %s under load.",
			 (unsigned long long)cl->who.seq + 1, cl->who.id);
		lf_sign_action(&cl->who, "input.submit",
			    json_pack("{s:s,s:{s:s}}", "document", DOC, "text",
				      "en", text), &note);
		uint64_t tries = cl->retries;
		double t0 = lf_now();
		post_until_answered(&cl->c, &note, cl->run->until, &cl->run->stop,
				    &cl->retries);
		if (cl->c.status == 0 || cl->c.status >= 500)
			break; /* time is up: an unanswered note is not promised */
		bool resent = cl->retries != tries;
		if (!settle(cl, resent, lf_now() - t0))
			break;
		cl->who.seq++;
	}
	pnyx_buf_clear(&note);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Prints the totals and the latency percentiles of every client. */
static void report(const run *r, double seconds)
{
	uint64_t acked = 0, unacked = 0, retries = 0, errors = 0;
	size_t nlat = 0;
	for (size_t i = 0; i < r->nclients; i++)
		nlat += r->clients[i].nlat;
	uint32_t *all = malloc((nlat + 1) * sizeof *all);
	if (all == NULL)
		lf_die("out of memory");
	size_t k = 0;
	for (size_t i = 0; i < r->nclients; i++) {
		const client *cl = &r->clients[i];
		acked += cl->acked;
		unacked += cl->unacked;
		retries += cl->retries;
		errors += cl->errors;
		memcpy(all + k, cl->lat_us, cl->nlat * sizeof *all);
		k += cl->nlat;
	}
	qsort(all, nlat, sizeof *all, cmp_u32);
	printf("clients %zu\nseconds %.2f\nacked %llu\nper_s %.0f\n"
	       "unacked %llu\nretries %llu\nerrors %llu\n", r->nclients, seconds,
	       (unsigned long long)acked, (double)acked / seconds,
	       (unsigned long long)unacked, (unsigned long long)retries,
	       (unsigned long long)errors);
	if (nlat > 0)
		printf("lat.p50_ms %.2f\nlat.p99_ms %.2f\nlat.max_ms %.2f\n",
		       all[nlat / 2] / 1e3, all[(nlat * 99) / 100] / 1e3,
		       all[nlat - 1] / 1e3);
	free(all);
}

/* Waits (main thread, SIGTERM blocked) until the deadline or SIGTERM;
 * tells the clients to stop after a SIGTERM. */
static void wait_for_stop(run *r)
{
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	for (;;) {
		double left = r->until - lf_now();
		if (left <= 0)
			return;
		struct timespec t = {(time_t)left,
				     (long)((left - (double)(time_t)left) * 1e9)};
		if (sigtimedwait(&term, NULL, &t) == SIGTERM) {
			atomic_store(&r->stop, true);
			return;
		}
	}
}

static int cmd_run(const char *url_file, size_t first, size_t n, double seconds,
		   const char *out)
{
	if (n < 1 || n > MAX_CLIENTS || first + n > MAX_MEMBERS)
		lf_die("CLIENTS must be 1 to %d, FIRST + CLIENTS at most %d",
		    MAX_CLIENTS, MAX_MEMBERS);
	run r = {.url_file = url_file, .nclients = n};
	r.out = fopen(out, "a");
	r.clients = calloc(n, sizeof *r.clients);
	if (r.out == NULL || r.clients == NULL)
		lf_die("cannot open %s", out);
	pthread_mutex_init(&r.out_mu, NULL);
	atomic_init(&r.stop, false);
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &term, NULL); /* the clients inherit it */
	double t0 = lf_now();
	r.until = t0 + seconds;
	for (size_t i = 0; i < n; i++) {
		client *cl = &r.clients[i];
		char code[4];
		lf_member_code(first + i, code);
		cl->run = &r;
		lf_actor_init(&cl->who, code);
		conn_init(&cl->c, url_file);
		if (pthread_create(&cl->thread, NULL, client_main, cl) != 0)
			lf_die("cannot start a client thread");
	}
	wait_for_stop(&r);
	uint64_t errors = 0;
	for (size_t i = 0; i < n; i++) {
		pthread_join(r.clients[i].thread, NULL);
		errors += r.clients[i].errors;
	}
	report(&r, lf_now() - t0);
	for (size_t i = 0; i < n; i++) {
		conn_clear(&r.clients[i].c);
		free(r.clients[i].lat_us);
	}
	free(r.clients);
	pthread_mutex_destroy(&r.out_mu);
	if (fclose(r.out) != 0)
		lf_die("cannot write %s", out);
	return errors == 0 ? 0 : 1;
}

/* ---- check ---- */

/* Checks one "INDEX LEAF-HASH ..." line against the log. */
static void check_line(pnyx_log *log, const char *line, pnyx_buf *entry)
{
	size_t n = strcspn(line, " ");
	uint64_t index = 0;
	const char *hash = line + n + 1;
	size_t hn = line[n] == ' ' ? strcspn(hash, " \n") : 0;
	pnyx_hash want, got;
	if (pnyx_parse_u64((const uint8_t *)line, n, &index) != PNYX_OK ||
	    pnyx_base64_decode_hash((const uint8_t *)hash, hn, &want) != PNYX_OK)
		lf_die("a malformed line: %.80s", line);
	pnyx_buf_reset(entry);
	if (index >= pnyx_log_size(log) || pnyx_log_entry(log, index, entry) != PNYX_OK)
		lf_die("acknowledged entry %llu is not in the log (size %llu)",
		    (unsigned long long)index, (unsigned long long)pnyx_log_size(log));
	pnyx_merkle_leaf_hash(entry->data, entry->len, &got);
	if (!pnyx_hash_eq(&got, &want))
		lf_die("entry %llu is not the acknowledged one (leaf hash differs)",
		    (unsigned long long)index);
}

static int cmd_check(const char *db, char **files, int nfiles)
{
	pnyx_diag diag = {{0}};
	pnyx_store *store = NULL;
	pnyx_log *log = NULL;
	pnyx_err err = pnyx_store_sqlite_open(db, PNYX_STORE_OPEN, &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(store, &log, &diag);
	if (err != PNYX_OK)
		lf_die("cannot open %s: %s", db, diag.msg);
	pnyx_buf entry;
	pnyx_buf_init(&entry, PNYX_ENTRY_MAX);
	uint64_t checked = 0;
	for (int i = 0; i < nfiles; i++) {
		FILE *f = fopen(files[i], "r");
		if (f == NULL)
			lf_die("cannot open %s", files[i]);
		char line[512];
		while (fgets(line, sizeof line, f) != NULL) {
			check_line(log, line, &entry);
			checked++;
		}
		fclose(f);
	}
	printf("checked %llu\nsize %llu\n", (unsigned long long)checked,
	       (unsigned long long)pnyx_log_size(log));
	pnyx_buf_clear(&entry);
	pnyx_log_close(log);
	return 0;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK || curl_global_init(CURL_GLOBAL_ALL) != 0)
		lf_die("cannot initialise");
	int rc = 2;
	if (argc == 4 && strcmp(argv[1], "setup") == 0)
		rc = cmd_setup(argv[2], (size_t)arg_u64(argv[3], "MEMBERS"));
	else if (argc == 7 && strcmp(argv[1], "run") == 0)
		rc = cmd_run(argv[2], (size_t)arg_u64(argv[3], "FIRST"),
			     (size_t)arg_u64(argv[4], "CLIENTS"),
			     (double)arg_u64(argv[5], "SECONDS"), argv[6]);
	else if (argc == 5 && strcmp(argv[1], "fill") == 0)
		rc = lf_fill(argv[2], arg_u64(argv[3], "N"),
			      (size_t)arg_u64(argv[4], "MEMBERS"));
	else if (argc >= 4 && strcmp(argv[1], "check") == 0)
		rc = cmd_check(argv[2], argv + 3, argc - 3);
	else
		fputs("usage: load_gen setup URLFILE MEMBERS | run URLFILE FIRST "
		      "CLIENTS SECONDS OUT | fill DIR N MEMBERS | check DB OUT...\n",
		      stderr);
	curl_global_cleanup();
	return rc;
}
