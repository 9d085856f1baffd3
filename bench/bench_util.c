/*
 * Shared pieces of the benchmark programs (see bench_util.h).
 */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "pnyx/text.h"

void bench_entries_init(bench_entries *t)
{
	for (unsigned c = 0; c < 256; c++)
		for (unsigned j = 0; j < BENCH_ENTRY_LEN; j++)
			t->rows[c][j] = (uint8_t)((c + 7 * j) & 0xff);
}

const uint8_t *bench_entry(const bench_entries *t, uint64_t i)
{
	return t->rows[(i * 31) & 0xff];
}

uint64_t bench_lcg(uint64_t x)
{
	return x * UINT64_C(6364136223846793005) +
	       UINT64_C(1442695040888963407);
}

uint64_t bench_incl_index(uint64_t x, uint64_t n)
{
	return (x >> 33) % n;
}

uint64_t bench_cons_old(uint64_t x, uint64_t n)
{
	return 1 + (x >> 33) % (n - 1);
}

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long bench_rss_kb(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

uint64_t bench_arg(const char *s)
{
	uint64_t v;
	if (pnyx_parse_u64((const uint8_t *)s, strlen(s), &v) != PNYX_OK) {
		fprintf(stderr, "bench: bad number argument\n");
		exit(2);
	}
	return v;
}

void bench_fail(const char *what, pnyx_err err)
{
	fprintf(stderr, "bench: %s: %s\n", what, pnyx_err_name(err));
	exit(1);
}

void bench_report_u64(const char *key, uint64_t v)
{
	printf("%s %llu\n", key, (unsigned long long)v);
}

void bench_report_hash(const char *key, const pnyx_hash *h)
{
	static const char hex[] = "0123456789abcdef";
	char s[2 * PNYX_HASH_LEN + 1];
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		s[2 * i] = hex[h->b[i] >> 4];
		s[2 * i + 1] = hex[h->b[i] & 0xf];
	}
	s[2 * PNYX_HASH_LEN] = '\0';
	printf("%s %s\n", key, s);
}

void bench_report_rate(const char *key, uint64_t count, double seconds)
{
	printf("%s.count %llu\n", key, (unsigned long long)count);
	printf("%s.seconds %.6f\n", key, seconds);
	printf("%s.per_s %.0f\n", key, (double)count / seconds);
}

static double time_inclusion(const bench_prover *p, uint64_t n,
			     uint64_t count)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
	size_t len;
	uint64_t x = 1;
	double t0 = bench_now();
	for (uint64_t k = 0; k < count; k++) {
		x = bench_lcg(x);
		pnyx_err err = p->inclusion(p->ctx, bench_incl_index(x, n), n,
					    proof, &len);
		if (err != PNYX_OK)
			bench_fail("inclusion proof", err);
	}
	return bench_now() - t0;
}

static double time_consistency(const bench_prover *p, uint64_t n,
			       uint64_t count)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
	size_t len;
	uint64_t x = 2;
	double t0 = bench_now();
	for (uint64_t k = 0; k < count; k++) {
		x = bench_lcg(x);
		pnyx_err err = p->consistency(p->ctx, bench_cons_old(x, n), n,
					      proof, &len);
		if (err != PNYX_OK)
			bench_fail("consistency proof", err);
	}
	return bench_now() - t0;
}

void bench_proofs(const bench_prover *p, uint64_t n, uint64_t count,
		  unsigned repeat)
{
	double best_i = 0, best_c = 0;
	for (unsigned r = 0; r < repeat; r++) {
		double di = time_inclusion(p, n, count);
		double dc = time_consistency(p, n, count);
		best_i = (r == 0 || di < best_i) ? di : best_i;
		best_c = (r == 0 || dc < best_c) ? dc : best_c;
	}
	bench_report_rate("incl", count, best_i);
	bench_report_rate("cons", count, best_c);
}

void bench_roots(const bench_prover *p, uint64_t n, uint64_t count)
{
	pnyx_hash root;
	uint64_t x = 3;
	double t0 = bench_now();
	for (uint64_t k = 0; k < count; k++) {
		x = bench_lcg(x);
		pnyx_err err = p->root(p->ctx, 1 + (x >> 33) % n, &root);
		if (err != PNYX_OK)
			bench_fail("root", err);
	}
	bench_report_rate("root_at", count, bench_now() - t0);
}

static void digest_inclusion(const bench_prover *p, const bench_entries *t,
			     uint64_t n, uint64_t count, pnyx_sha256_ctx *s)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], root, leaf;
	size_t len;
	uint64_t x = 1;
	pnyx_err err = p->root(p->ctx, n, &root);
	if (err != PNYX_OK)
		bench_fail("root", err);
	for (uint64_t k = 0; k < count; k++) {
		x = bench_lcg(x);
		uint64_t i = bench_incl_index(x, n);
		err = p->inclusion(p->ctx, i, n, proof, &len);
		if (err != PNYX_OK)
			bench_fail("inclusion proof", err);
		pnyx_merkle_leaf_hash(bench_entry(t, i), BENCH_ENTRY_LEN,
				      &leaf);
		err = pnyx_merkle_verify_inclusion(&leaf, i, n, proof, len,
						   &root);
		if (err != PNYX_OK)
			bench_fail("inclusion proof check", err);
		pnyx_sha256_update(s, proof, len * sizeof proof[0]);
	}
}

static void digest_consistency(const bench_prover *p, uint64_t n,
			       uint64_t count, pnyx_sha256_ctx *s)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], root, old_root;
	size_t len;
	uint64_t x = 2;
	pnyx_err err = p->root(p->ctx, n, &root);
	if (err != PNYX_OK)
		bench_fail("root", err);
	for (uint64_t k = 0; k < count; k++) {
		x = bench_lcg(x);
		uint64_t old = bench_cons_old(x, n);
		err = p->consistency(p->ctx, old, n, proof, &len);
		if (err == PNYX_OK)
			err = p->root(p->ctx, old, &old_root);
		if (err != PNYX_OK)
			bench_fail("consistency proof", err);
		err = pnyx_merkle_verify_consistency(old, n, proof, len,
						     &old_root, &root);
		if (err != PNYX_OK)
			bench_fail("consistency proof check", err);
		pnyx_sha256_update(s, proof, len * sizeof proof[0]);
	}
}

void bench_proof_digest(const bench_prover *p, const bench_entries *t,
			uint64_t n)
{
	pnyx_sha256_ctx s;
	pnyx_hash d;
	pnyx_sha256_start(&s);
	digest_inclusion(p, t, n, BENCH_DIGEST_MAX, &s);
	digest_consistency(p, n, BENCH_DIGEST_MAX, &s);
	pnyx_sha256_final(&s, &d);
	bench_report_hash("proof.digest", &d);
}
