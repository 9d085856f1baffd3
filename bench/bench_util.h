/*
 * bench/bench_util.h — what the benchmark programs share: the entries, the
 * random pairs, timing, peak memory, the "key value" report lines, and the
 * proof loops (timed, then a digest of the first proofs that bench/run.sh
 * compares with Go's).
 *
 * Entries: entry i has BENCH_ENTRY_LEN (300) bytes, byte j being
 * (i*31 + j*7) & 0xff. That is (((i*31) & 0xff) + 7*j) & 0xff, so entry i is
 * row (i*31) & 0xff of a 256-row table built once, and no timed loop
 * includes making entries. bench/go/tlog_bench.go makes the same ones.
 *
 * Random pairs: x <- x*6364136223846793005 + 1442695040888963407 (mod 2^64),
 * r = x >> 33. Inclusion proofs (seed 1): leaf r % n in the tree of n.
 * Consistency proofs (seed 2): from 1 + r % (n-1) leaves to n leaves.
 * root_at (seed 3): the tree of 1 + r % n leaves.
 */
#ifndef PNYX_BENCH_UTIL_H
#define PNYX_BENCH_UTIL_H

#include "pnyx/common.h"
#include "pnyx/hash.h"
#include "pnyx/merkle.h"

#define BENCH_ENTRY_LEN 300
#define BENCH_DIGEST_MAX 1000 /* proofs of each kind in proof.digest */

typedef struct bench_entries {
	uint8_t rows[256][BENCH_ENTRY_LEN];
} bench_entries;

void bench_entries_init(bench_entries *t);
const uint8_t *bench_entry(const bench_entries *t, uint64_t i);

uint64_t bench_lcg(uint64_t x);
uint64_t bench_incl_index(uint64_t x, uint64_t n);
uint64_t bench_cons_old(uint64_t x, uint64_t n);

/* Monotonic clock in seconds. */
double bench_now(void);
/* Peak resident set of this process in KiB (getrusage ru_maxrss). */
long bench_rss_kb(void);

/* Parses a canonical decimal argument; exits with a message if bad. */
uint64_t bench_arg(const char *s);
/* Prints "bench: what: <error name>" to stderr and exits 1. */
_Noreturn void bench_fail(const char *what, pnyx_err err);

void bench_report_u64(const char *key, uint64_t v);
void bench_report_hash(const char *key, const pnyx_hash *h);
/* Prints key.count, key.seconds and key.per_s. */
void bench_report_rate(const char *key, uint64_t count, double seconds);

/* Something that makes proofs over a tree of at least n leaves. */
typedef struct bench_prover {
	void *ctx;
	pnyx_err (*inclusion)(void *ctx, uint64_t index, uint64_t size,
			      pnyx_hash *proof, size_t *n);
	pnyx_err (*consistency)(void *ctx, uint64_t old, uint64_t size,
				pnyx_hash *proof, size_t *n);
	pnyx_err (*root)(void *ctx, uint64_t size, pnyx_hash *out);
} bench_prover;

/* Times count inclusion proofs and count consistency proofs in the tree of
 * n leaves (best of repeat runs) and reports incl.* and cons.*. */
void bench_proofs(const bench_prover *p, uint64_t n, uint64_t count,
		  unsigned repeat);

/* Times count roots of random sizes (one run) and reports root_at.*. */
void bench_roots(const bench_prover *p, uint64_t n, uint64_t count);

/* Makes the first BENCH_DIGEST_MAX proofs of each kind (the same pairs as
 * bench_proofs), checks each against the roots and the entries' leaf
 * hashes, and reports proof.digest: SHA-256 of all their hashes in order. */
void bench_proof_digest(const bench_prover *p, const bench_entries *t,
			uint64_t n);

#endif
