/*
 * Fuzz target for pnyx_proof_parse: any input must be refused with an error
 * or accepted; an accepted text must re-encode to the same bytes. The proof
 * is then verified against the 8-leaf tree of the RFC 6962 test vectors
 * (transparency-dev/merkle testonly/constants.go; sizes above 8 are checked
 * against the 8-leaf root), so the seeds taken from those vectors verify: verification must not crash, and within
 * the tree it may accept only the proof that pnyx_merkle_*_proof produces.
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/proof.h"

#define LEAVES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every complete subtree of the fixed tree: node[level][index]. */
typedef struct tree {
	pnyx_hash node[4][LEAVES];
	pnyx_hash root[LEAVES + 1]; /* root[s] of the first s leaves */
} tree;

static pnyx_err tree_emit(void *ctx, unsigned level, uint64_t index,
			  const pnyx_hash *h)
{
	tree *t = ctx;
	t->node[level][index] = *h;
	return PNYX_OK;
}

static pnyx_err tree_read(void *ctx, unsigned level, uint64_t index,
			  size_t count, pnyx_hash *out)
{
	const tree *t = ctx;
	if (level > 3 || index + count > ((uint64_t)LEAVES >> level))
		abort(); /* asked for a node outside the tree */
	memcpy(out, &t->node[level][index], count * sizeof *out);
	return PNYX_OK;
}

/* The leaf inputs of the RFC 6962 test vectors, "" and then 1 to 16 bytes. */
static const uint8_t leaf_bytes[] = {
	0x00, 0x10, 0x20, 0x21, 0x30, 0x31, 0x40, 0x41, 0x42, 0x43,
	0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x60, 0x61,
	0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
	0x6c, 0x6d, 0x6e, 0x6f};
static const size_t leaf_len[LEAVES] = {0, 1, 1, 2, 2, 4, 8, 16};

static void tree_build(tree *t)
{
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	pnyx_merkle_edge_root(&e, &t->root[0]);
	size_t off = 0;
	for (unsigned i = 0; i < LEAVES; i++) {
		pnyx_hash leaf;
		pnyx_merkle_leaf_hash(leaf_bytes + off, leaf_len[i], &leaf);
		off += leaf_len[i];
		if (pnyx_merkle_edge_append(&e, &leaf, tree_emit, t) != PNYX_OK)
			abort();
		pnyx_merkle_edge_root(&e, &t->root[i + 1]);
	}
}

/* Verifies p against t; aborts if it accepts a proof that differs from
 * the one generation gives for the same question. */
static void check(const tree *t, const pnyx_proof *p)
{
	pnyx_hash gen[PNYX_MERKLE_MAX_PROOF];
	size_t gn = 0;
	uint64_t a = p->a < LEAVES ? p->a : LEAVES;
	uint64_t b = p->b < LEAVES ? p->b : LEAVES;
	bool inside = p->a <= LEAVES && p->b <= LEAVES;
	pnyx_err ok, made = PNYX_ERR_RANGE;
	if (p->kind == PNYX_PROOF_INCLUSION) {
		const pnyx_hash *leaf = &t->node[0][p->a % LEAVES];
		ok = pnyx_merkle_verify_inclusion(leaf, p->a, p->b, p->hashes,
						  p->n, &t->root[b]);
		if (inside)
			made = pnyx_merkle_inclusion_proof(p->a, p->b,
							   tree_read,
							   (void *)t, gen, &gn);
	} else {
		ok = pnyx_merkle_verify_consistency(p->a, p->b, p->hashes, p->n,
						    &t->root[a], &t->root[b]);
		if (inside)
			made = pnyx_merkle_consistency_proof(
				p->a, p->b, tree_read, (void *)t, gen, &gn);
	}
	if (ok == PNYX_OK && inside &&
	    (made != PNYX_OK || gn != p->n ||
	     (gn > 0 && memcmp(gen, p->hashes, gn * sizeof *gen) != 0)))
		abort(); /* accepted something other than the true proof */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pnyx_proof p;
	if (pnyx_init() != PNYX_OK)
		abort();
	pnyx_diag diag;
	if (pnyx_proof_parse(data, size, &p, &diag) != PNYX_OK)
		return 0;
	pnyx_buf b;
	pnyx_buf_init(&b, size + 1);
	if (pnyx_proof_encode(&p, &b) != PNYX_OK || b.len != size ||
	    memcmp(b.data, data, size) != 0)
		abort(); /* not byte-exact */
	pnyx_buf_clear(&b);
	tree t;
	tree_build(&t);
	check(&t, &p);
	return 0;
}
