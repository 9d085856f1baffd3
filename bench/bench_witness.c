/*
 * bench_witness: checkpoints cosigned per second by one `pnyx witness`
 * (bench/bench_witness.sh drives it).
 *
 *   bench_witness prepare DIR LOGS
 *       writes DIR/log-<i>.key (i < LOGS) and DIR/logs.txt, the witness's
 *       --logs file (one verifier key a line)
 *   bench_witness run URL DIR LOGS COUNT
 *       one thread per log; each makes COUNT checkpoints of its own
 *       growing log (one entry more each time: tree sizes 1 .. COUNT, in
 *       memory), signed with DIR/log-<i>.key, with the consistency proof
 *       from the previous one, then posts them in order to URL/add-checkpoint
 *       on one keep-alive connection. Every answer must be 200. Reports
 *       cosigned.count, .seconds, .per_s, and the latency percentiles.
 *
 * Requests are made before the clock starts, so only the witness (its
 * checks, its signature and its fsyncs) and HTTP are timed.
 */
#include "bench_util.h"

#include "pnyx/checkpoint.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"
#include "pnyx/witness_req.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS_MAX 64
#define COUNT_MAX 100000
#define LEVELS 18 /* 2^17 > COUNT_MAX */

/* A log in memory: the hash of every complete subtree, by level. */
struct tree {
	pnyx_hash *level[LEVELS];
	uint64_t size;
};

struct worker {
	const char *url;
	pnyx_signer key;
	uint64_t count;
	pnyx_buf *reqs;    /* count request bodies */
	double *latency;   /* seconds, per request */
	uint64_t ok;
	pthread_t thread;
};

static pnyx_err tree_read(void *ctx, unsigned level, uint64_t index,
			  size_t count, pnyx_hash *out)
{
	struct tree *t = ctx;
	memcpy(out, &t->level[level][index], count * sizeof *out);
	return PNYX_OK;
}

static void tree_append(struct tree *t, uint64_t i)
{
	uint8_t entry[32];
	memset(entry, 0, sizeof entry);
	memcpy(entry, &i, sizeof i);
	pnyx_merkle_leaf_hash(entry, sizeof entry, &t->level[0][i]);
	t->size = i + 1;
	for (unsigned l = 1; l < LEVELS && (t->size >> l) << l == t->size; l++) {
		uint64_t k = (t->size >> l) - 1;
		pnyx_merkle_node_hash(&t->level[l - 1][2 * k],
				      &t->level[l - 1][2 * k + 1],
				      &t->level[l][k]);
	}
}

/* The request that takes a witness from size n-1 to size n. */
static void make_request(struct tree *t, const pnyx_signer *key,
			 pnyx_buf *out)
{
	pnyx_checkpoint cp = {0};
	memcpy(cp.origin, key->name, sizeof cp.origin);
	cp.size = t->size;
	pnyx_err err = pnyx_merkle_root(t->size, tree_read, t, &cp.root);
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
	size_t n = 0;
	if (err == PNYX_OK && t->size > 1)
		err = pnyx_merkle_consistency_proof(t->size - 1, t->size,
						    tree_read, t, proof, &n);
	pnyx_buf text, note;
	pnyx_buf_init(&text, 4096);
	pnyx_buf_init(&note, 4096);
	if (err == PNYX_OK)
		err = pnyx_checkpoint_encode(&cp, &text);
	if (err == PNYX_OK)
		err = pnyx_note_sign(text.data, text.len, key, 1, &note);
	pnyx_buf_init(out, 8192);
	if (err == PNYX_OK)
		err = pnyx_witness_req_encode(t->size - 1, proof, n, note.data,
					      note.len, out);
	if (err != PNYX_OK)
		bench_fail("making a request", err);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
}

static void make_requests(struct worker *w)
{
	struct tree t = {.size = 0};
	for (unsigned l = 0; l < LEVELS; l++)
		t.level[l] = calloc((w->count >> l) + 1, sizeof(pnyx_hash));
	w->reqs = calloc(w->count, sizeof *w->reqs);
	w->latency = calloc(w->count, sizeof *w->latency);
	if (w->reqs == NULL || w->latency == NULL)
		bench_fail("allocating", PNYX_ERR_NOMEM);
	for (uint64_t i = 0; i < w->count; i++) {
		tree_append(&t, i);
		make_request(&t, &w->key, &w->reqs[i]);
	}
	for (unsigned l = 0; l < LEVELS; l++)
		free(t.level[l]);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

static void *post_all(void *arg)
{
	struct worker *w = arg;
	CURL *c = curl_easy_init();
	char url[512];
	snprintf(url, sizeof url, "%s/add-checkpoint", w->url);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	for (uint64_t i = 0; i < w->count; i++) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, w->reqs[i].data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
				 (long)w->reqs[i].len);
		double t0 = bench_now();
		long status = 0;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		w->latency[i] = bench_now() - t0;
		if (status != 200)
			break;
		w->ok++;
	}
	curl_easy_cleanup(c);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report_latency(struct worker *ws, uint64_t logs, uint64_t count)
{
	double *all = calloc(logs * count, sizeof *all);
	if (all == NULL)
		return;
	for (uint64_t i = 0; i < logs; i++)
		memcpy(all + i * count, ws[i].latency, count * sizeof *all);
	qsort(all, logs * count, sizeof *all, by_value);
	uint64_t n = logs * count;
	printf("latency.p50_ms %.3f\nlatency.p99_ms %.3f\n",
	       all[n / 2] * 1e3, all[n * 99 / 100] * 1e3);
	free(all);
}

static bool load_key(const char *dir, uint64_t i, pnyx_signer *out)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/log-%llu.key", dir,
		 (unsigned long long)i);
	FILE *f = fopen(path, "rb");
	uint8_t text[1024];
	size_t n = f != NULL ? fread(text, 1, sizeof text, f) : 0;
	if (f != NULL)
		fclose(f);
	return pnyx_signer_parse(text, n, out, NULL) == PNYX_OK;
}

static int run(const char *url, const char *dir, uint64_t logs, uint64_t count)
{
	struct worker *ws = calloc(logs, sizeof *ws);
	if (ws == NULL)
		bench_fail("allocating", PNYX_ERR_NOMEM);
	for (uint64_t i = 0; i < logs; i++) {
		ws[i].url = url;
		ws[i].count = count;
		if (!load_key(dir, i, &ws[i].key))
			bench_fail("reading a log key", PNYX_ERR_IO);
		make_requests(&ws[i]);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	double t0 = bench_now();
	for (uint64_t i = 0; i < logs; i++)
		pthread_create(&ws[i].thread, NULL, post_all, &ws[i]);
	uint64_t ok = 0;
	for (uint64_t i = 0; i < logs; i++) {
		pthread_join(ws[i].thread, NULL);
		ok += ws[i].ok;
	}
	double secs = bench_now() - t0;
	bench_report_u64("logs", logs);
	bench_report_rate("cosigned", ok, secs);
	if (ok == logs * count)
		report_latency(ws, logs, count);
	for (uint64_t i = 0; i < logs; i++) {
		for (uint64_t k = 0; k < count; k++)
			pnyx_buf_clear(&ws[i].reqs[k]);
		free(ws[i].reqs);
		free(ws[i].latency);
		pnyx_signer_clear(&ws[i].key);
	}
	free(ws);
	curl_global_cleanup();
	if (ok != logs * count) {
		fprintf(stderr, "bench_witness: %llu of %llu requests were "
			"not cosigned\n", (unsigned long long)(logs * count - ok),
			(unsigned long long)(logs * count));
		return 1;
	}
	return 0;
}

static int prepare(const char *dir, uint64_t logs)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/logs.txt", dir);
	FILE *list = fopen(path, "w");
	if (list == NULL)
		bench_fail(path, PNYX_ERR_IO);
	for (uint64_t i = 0; i < logs; i++) {
		char name[64];
		snprintf(name, sizeof name, "bench.pnyx.example/log-%llu",
			 (unsigned long long)i);
		pnyx_signer s;
		pnyx_verifier v;
		pnyx_buf b;
		pnyx_buf_init(&b, 1024);
		if (pnyx_signer_generate(name, &s) != PNYX_OK ||
		    pnyx_signer_encode(&s, &b) != PNYX_OK)
			bench_fail("generating a key", PNYX_ERR_NOMEM);
		snprintf(path, sizeof path, "%s/log-%llu.key", dir,
			 (unsigned long long)i);
		FILE *f = fopen(path, "w");
		if (f == NULL || fwrite(b.data, 1, b.len, f) != b.len ||
		    fclose(f) != 0)
			bench_fail(path, PNYX_ERR_IO);
		pnyx_buf_reset(&b);
		pnyx_signer_verifier(&s, &v);
		if (pnyx_verifier_encode(&v, &b) != PNYX_OK)
			bench_fail("encoding a key", PNYX_ERR_NOMEM);
		fprintf(list, "%s\n", (const char *)b.data);
		pnyx_buf_clear(&b);
		pnyx_signer_clear(&s);
	}
	return fclose(list) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	if (argc == 4 && strcmp(argv[1], "prepare") == 0) {
		uint64_t logs = bench_arg(argv[3]);
		if (logs < 1 || logs > LOGS_MAX)
			return 2;
		return prepare(argv[2], logs);
	}
	if (argc == 6 && strcmp(argv[1], "run") == 0) {
		uint64_t logs = bench_arg(argv[4]), count = bench_arg(argv[5]);
		if (logs < 1 || logs > LOGS_MAX || count < 1 ||
		    count > COUNT_MAX)
			return 2;
		return run(argv[2], argv[3], logs, count);
	}
	fputs("usage: bench_witness prepare DIR LOGS\n"
	      "       bench_witness run URL DIR LOGS COUNT\n", stderr);
	return 2;
}
