/*
 * bench_tree: pnyx's in-memory Merkle work, the C side of bench/run.sh.
 *
 *   bench_tree N PROOFS REPEAT
 *
 * 1. raw SHA-256 of 65-byte inputs through pnyx_sha256 (the OpenSSL path the
 *    tree uses), 5 N hashes, each output fed back into bytes 1..32 (sha.*);
 * 2. the tree of N entries of 300 bytes (bench_util.h): leaf hashing plus
 *    pnyx_merkle_edge_append whose emit callback stores every complete
 *    subtree hash in per-level arrays (tree.*), then leaf hashing alone
 *    (leaf.*) and the appends of ready leaf hashes alone (node.*);
 * 3. PROOFS inclusion and consistency proofs of random pairs in the tree of
 *    N through a pnyx_merkle_reader over those arrays (incl.*, cons.*), and
 *    a digest of the first ones (proof.digest);
 * 4. the peak resident set (rss_kb).
 * The phases of 1-2 run in turn, REPEAT rounds, and so do the two kinds of
 * proofs; the fastest run of each is reported. The output ("key value" lines) matches bench/go/tlog_bench.go's.
 */
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "pnyx/hash.h"
#include "pnyx/mem.h"
#include "pnyx/merkle.h"

#define SHA_PER_LEAF 5 /* raw SHA-256 runs 5 N chained hashes */

typedef struct tree {
	uint64_t n;
	unsigned levels;                          /* levels with a hash */
	pnyx_hash *level[PNYX_MERKLE_MAX_LEVEL + 1]; /* n >> L hashes each */
} tree;

/* Chains rounds hashes of 65 bytes, feeding each output back into bytes
 * 1..32 of the input; returns the time and the last hash. */
static double sha_chain(uint64_t rounds, pnyx_hash *final)
{
	uint8_t buf[65] = {0x01};
	double t0 = bench_now();
	for (uint64_t k = 0; k < rounds; k++) {
		pnyx_hash h;
		pnyx_sha256(buf, sizeof buf, &h);
		memcpy(buf + 1, h.b, PNYX_HASH_LEN);
	}
	double d = bench_now() - t0;
	memcpy(final->b, buf + 1, PNYX_HASH_LEN);
	return d;
}

static void tree_alloc(tree *t, uint64_t n)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	for (unsigned l = 0; (n >> l) > 0; l++) {
		t->level[l] = pnyx_calloc(n >> l, sizeof(pnyx_hash));
		if (t->level[l] == NULL)
			bench_fail("tree arrays", PNYX_ERR_NOMEM);
		t->levels = l + 1;
	}
}

static void tree_free(tree *t)
{
	for (unsigned l = 0; l < t->levels; l++)
		pnyx_free(t->level[l]);
}

static pnyx_err tree_emit(void *ctx, unsigned level, uint64_t index,
			  const pnyx_hash *h)
{
	tree *t = ctx;
	t->level[level][index] = *h;
	return PNYX_OK;
}

static pnyx_err tree_read(void *ctx, unsigned level, uint64_t index,
			  size_t count, pnyx_hash *out)
{
	const tree *t = ctx;
	memcpy(out, t->level[level] + index, count * sizeof *out);
	return PNYX_OK;
}

static double build_full(tree *t, const bench_entries *e, pnyx_hash *root)
{
	pnyx_merkle_edge edge;
	pnyx_merkle_edge_init(&edge);
	double t0 = bench_now();
	for (uint64_t i = 0; i < t->n; i++) {
		pnyx_hash leaf;
		pnyx_merkle_leaf_hash(bench_entry(e, i), BENCH_ENTRY_LEN, &leaf);
		pnyx_err err = pnyx_merkle_edge_append(&edge, &leaf, tree_emit, t);
		if (err != PNYX_OK)
			bench_fail("edge append", err);
	}
	pnyx_merkle_edge_root(&edge, root);
	return bench_now() - t0;
}

static double hash_leaves(uint64_t n, const bench_entries *e,
			  pnyx_hash *leaves)
{
	double t0 = bench_now();
	for (uint64_t i = 0; i < n; i++)
		pnyx_merkle_leaf_hash(bench_entry(e, i), BENCH_ENTRY_LEN,
				      &leaves[i]);
	return bench_now() - t0;
}

static double append_leaves(tree *t, const pnyx_hash *leaves, pnyx_hash *root)
{
	pnyx_merkle_edge edge;
	pnyx_merkle_edge_init(&edge);
	double t0 = bench_now();
	for (uint64_t i = 0; i < t->n; i++) {
		pnyx_err err =
			pnyx_merkle_edge_append(&edge, &leaves[i], tree_emit, t);
		if (err != PNYX_OK)
			bench_fail("edge append", err);
	}
	pnyx_merkle_edge_root(&edge, root);
	return bench_now() - t0;
}

static void check_root(tree *t, const pnyx_hash *want)
{
	pnyx_hash got;
	pnyx_err err = pnyx_merkle_root(t->n, tree_read, t, &got);
	if (err != PNYX_OK)
		bench_fail("root from stored hashes", err);
	if (!pnyx_hash_eq(&got, want))
		bench_fail("root from stored hashes", PNYX_ERR_MISMATCH);
}

static unsigned popcount64(uint64_t x)
{
	unsigned c = 0;
	for (; x != 0; x &= x - 1)
		c++;
	return c;
}

/* Fastest of the runs of each phase. */
typedef struct timings {
	double sha, full, leaf, node;
} timings;

static double faster(unsigned r, double best, double d)
{
	return (r == 0 || d < best) ? d : best;
}

/* The phases run in turn, REPEAT rounds, so that a slow spell of the
 * machine does not fall on one phase only. */
static void bench_build(tree *t, const bench_entries *e, unsigned repeat)
{
	pnyx_hash root, root2, sha_final;
	uint64_t rounds = SHA_PER_LEAF * t->n;
	timings best = {0};
	pnyx_hash *leaves = pnyx_calloc(t->n, sizeof *leaves);
	if (leaves == NULL)
		bench_fail("leaf array", PNYX_ERR_NOMEM);
	for (unsigned r = 0; r < repeat; r++) {
		best.sha = faster(r, best.sha, sha_chain(rounds, &sha_final));
		best.full = faster(r, best.full, build_full(t, e, &root));
		check_root(t, &root);
		best.leaf = faster(r, best.leaf, hash_leaves(t->n, e, leaves));
		best.node = faster(r, best.node,
				   append_leaves(t, leaves, &root2));
		if (!pnyx_hash_eq(&root, &root2))
			bench_fail("second pass root", PNYX_ERR_MISMATCH);
	}
	pnyx_free(leaves);
	bench_report_rate("sha", rounds, best.sha);
	bench_report_hash("sha.final", &sha_final);
	bench_report_u64("tree.n", t->n);
	printf("tree.seconds %.6f\n", best.full);
	printf("tree.leaves_per_s %.0f\n", (double)t->n / best.full);
	bench_report_hash("tree.root", &root);
	printf("leaf.seconds %.6f\nleaf.per_s %.0f\n", best.leaf,
	       (double)t->n / best.leaf);
	bench_report_rate("node", t->n - popcount64(t->n), best.node);
}

static pnyx_err tree_inclusion(void *ctx, uint64_t index, uint64_t size,
			       pnyx_hash *proof, size_t *n)
{
	return pnyx_merkle_inclusion_proof(index, size, tree_read, ctx, proof,
					   n);
}

static pnyx_err tree_consistency(void *ctx, uint64_t old, uint64_t size,
				 pnyx_hash *proof, size_t *n)
{
	return pnyx_merkle_consistency_proof(old, size, tree_read, ctx, proof,
					     n);
}

static pnyx_err tree_root(void *ctx, uint64_t size, pnyx_hash *out)
{
	return pnyx_merkle_root(size, tree_read, ctx, out);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_tree N PROOFS REPEAT\n");
		return 2;
	}
	uint64_t n = bench_arg(argv[1]), proofs = bench_arg(argv[2]);
	uint64_t repeat = bench_arg(argv[3]);
	if (n < 2 || repeat < 1 || repeat > 100) {
		fprintf(stderr, "bench_tree: N >= 2, 1 <= REPEAT <= 100\n");
		return 2;
	}
	bench_entries *entries = pnyx_malloc(sizeof *entries);
	if (entries == NULL)
		bench_fail("entry table", PNYX_ERR_NOMEM);
	bench_entries_init(entries);

	tree t;
	tree_alloc(&t, n);
	bench_build(&t, entries, (unsigned)repeat);
	bench_prover p = {&t, tree_inclusion, tree_consistency, tree_root};
	if (proofs > 0) {
		bench_proofs(&p, n, proofs, (unsigned)repeat);
		bench_proof_digest(&p, entries, n);
	}
	tree_free(&t);
	pnyx_free(entries);
	printf("rss_kb %ld\n", bench_rss_kb());
	return 0;
}
