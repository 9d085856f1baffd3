/*
 * bench_log: durable appends to a SQLite log and reads from it, the store
 * half of bench/run.sh.
 *
 *   bench_log N BATCH PROOFS DIR
 *
 * 1. creates a fresh log in DIR/bench-N-BATCH.db (pnyx_store_sqlite_open +
 *    pnyx_log_create: WAL, synchronous=FULL) and appends N entries of 300
 *    bytes (bench_util.h) with pnyx_log_append, BATCH entries per durable
 *    transaction (append.*, batch.*), then prints the root (log.root);
 * 2. closes it and reports the database and WAL file sizes (file.*);
 * 3. times reopening (pnyx_store_sqlite_open + pnyx_log_open, reopen.*);
 * 4. if PROOFS > 0: PROOFS roots of random sizes (pnyx_log_root_at,
 *    root_at.*), PROOFS inclusion and consistency proofs of random pairs in
 *    the tree of N (pnyx_log_*_proof, incl.*, cons.*), and the digest of
 *    the first ones (proof.digest, equal to bench_tree's for the same N);
 * 5. the peak resident set (rss_kb).
 * The database is left in DIR for the caller to remove.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "bench_util.h"
#include "pnyx/buf.h"
#include "pnyx/key.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"
#include "pnyx/store.h"

#define PATH_MAX_LEN 4096

static void fail_diag(const char *what, pnyx_err err, const pnyx_diag *diag)
{
	fprintf(stderr, "bench_log: %s: %s\n", what, diag->msg);
	bench_fail(what, err);
}

static pnyx_log *log_new(const char *path)
{
	pnyx_diag diag = {{0}};
	pnyx_signer signer;
	pnyx_verifier key;
	pnyx_store *store;
	pnyx_log *log;
	pnyx_err err = pnyx_signer_generate("bench.example/log", &signer);
	if (err != PNYX_OK)
		bench_fail("key", err);
	pnyx_signer_verifier(&signer, &key);
	pnyx_signer_clear(&signer);
	err = pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, &diag);
	if (err != PNYX_OK)
		fail_diag("create store", err, &diag);
	err = pnyx_log_create(store, &key, &log, &diag);
	if (err != PNYX_OK)
		fail_diag("create log", err, &diag);
	return log;
}

static void append_all(pnyx_log *log, const bench_entries *t, uint64_t n,
		       uint64_t batch)
{
	pnyx_entry *entries = pnyx_calloc(batch, sizeof *entries);
	if (entries == NULL)
		bench_fail("batch array", PNYX_ERR_NOMEM);
	double worst = 0;
	double t0 = bench_now();
	for (uint64_t i = 0; i < n; i += batch) {
		size_t k = (size_t)(n - i < batch ? n - i : batch);
		for (size_t j = 0; j < k; j++)
			entries[j] = (pnyx_entry){bench_entry(t, i + j),
						  BENCH_ENTRY_LEN};
		pnyx_diag diag = {{0}};
		double b0 = bench_now();
		pnyx_err err = pnyx_log_append(log, entries, k, NULL, &diag);
		double d = bench_now() - b0;
		if (err != PNYX_OK)
			fail_diag("append", err, &diag);
		worst = d > worst ? d : worst;
	}
	double total = bench_now() - t0;
	pnyx_free(entries);
	uint64_t batches = (n + batch - 1) / batch;
	bench_report_u64("append.batch", batch);
	bench_report_rate("append", n, total);
	printf("append.mb_per_s %.2f\n",
	       (double)n * BENCH_ENTRY_LEN / 1e6 / total);
	printf("batch.mean_ms %.3f\nbatch.max_ms %.3f\n",
	       total / (double)batches * 1e3, worst * 1e3);
}

static void report_file(const char *key, const char *path, const char *suffix)
{
	pnyx_buf name;
	struct stat st;
	pnyx_buf_init(&name, PATH_MAX_LEN);
	pnyx_err err = pnyx_buf_printf(&name, "%s%s", path, suffix);
	if (err != PNYX_OK)
		bench_fail("path", err);
	bench_report_u64(key, stat((const char *)name.data, &st) == 0
				      ? (uint64_t)st.st_size
				      : 0);
	pnyx_buf_clear(&name);
}

static pnyx_log *log_reopen(const char *path)
{
	pnyx_diag diag = {{0}};
	pnyx_store *store;
	pnyx_log *log;
	double t0 = bench_now();
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &store,
					      &diag);
	if (err != PNYX_OK)
		fail_diag("open store", err, &diag);
	err = pnyx_log_open(store, &log, &diag);
	if (err != PNYX_OK)
		fail_diag("open log", err, &diag);
	printf("reopen.ms %.3f\n", (bench_now() - t0) * 1e3);
	return log;
}

static pnyx_err log_inclusion(void *ctx, uint64_t index, uint64_t size,
			      pnyx_hash *proof, size_t *n)
{
	return pnyx_log_inclusion_proof(ctx, index, size, proof, n);
}

static pnyx_err log_consistency(void *ctx, uint64_t old, uint64_t size,
				pnyx_hash *proof, size_t *n)
{
	return pnyx_log_consistency_proof(ctx, old, size, proof, n);
}

static pnyx_err log_root(void *ctx, uint64_t size, pnyx_hash *out)
{
	return pnyx_log_root_at(ctx, size, out);
}

static void run(const char *path, uint64_t n, uint64_t batch,
		uint64_t proofs, const bench_entries *t)
{
	pnyx_log *log = log_new(path);
	append_all(log, t, n, batch);
	pnyx_hash root;
	pnyx_log_root(log, &root);
	bench_report_hash("log.root", &root);
	pnyx_log_close(log);
	report_file("file.db_bytes", path, "");
	report_file("file.wal_bytes", path, "-wal");

	log = log_reopen(path);
	if (pnyx_log_size(log) != n)
		bench_fail("size after reopen", PNYX_ERR_MISMATCH);
	if (proofs > 0) {
		bench_prover p = {log, log_inclusion, log_consistency,
				  log_root};
		bench_roots(&p, n, proofs);
		bench_proofs(&p, n, proofs, 1);
		bench_proof_digest(&p, t, n);
	}
	pnyx_log_close(log);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: bench_log N BATCH PROOFS DIR\n");
		return 2;
	}
	uint64_t n = bench_arg(argv[1]), batch = bench_arg(argv[2]);
	uint64_t proofs = bench_arg(argv[3]);
	if (n < 2 || batch < 1 || batch > n) {
		fprintf(stderr, "bench_log: N >= 2, 1 <= BATCH <= N\n");
		return 2;
	}
	if (pnyx_init() != PNYX_OK)
		bench_fail("init", PNYX_ERR_NOMEM);
	pnyx_buf path;
	pnyx_buf_init(&path, PATH_MAX_LEN);
	pnyx_err err = pnyx_buf_printf(&path, "%s/bench-%s-%s.db", argv[4],
				       argv[1], argv[2]);
	if (err != PNYX_OK)
		bench_fail("path", err);
	bench_entries *t = pnyx_malloc(sizeof *t);
	if (t == NULL)
		bench_fail("entry table", PNYX_ERR_NOMEM);
	bench_entries_init(t);
	run((const char *)path.data, n, batch, proofs, t);
	pnyx_free(t);
	pnyx_buf_clear(&path);
	printf("rss_kb %ld\n", bench_rss_kb());
	return 0;
}
