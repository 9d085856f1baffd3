/*
 * RFC 9162 inclusion and consistency proofs: generation through a
 * pnyx_merkle_reader of complete subtrees, and verification. See
 * pnyx/merkle.h.
 *
 * Generation works on node IDs (level, index) instead of recursing over the
 * RFC's MTH/PATH/SUBPROOF definitions. The RFC 6962 tree of size n is the
 * perfect tree over [0, 2^64) with every node that would start at or past n
 * removed and every node that would straddle n replaced by the tree of its
 * leaves below n. So the path from a complete node up to the root collects,
 * at each level, the sibling of the current node:
 *   - nothing if the sibling starts at or after leaf n;
 *   - the stored hash if the sibling is a complete subtree;
 *   - otherwise (at most once per proof, on the right edge) the hash of the
 *     incomplete subtree, folded from its complete-subtree decomposition.
 * A consistency proof from old to size is the path of the largest complete
 * subtree ending at leaf old - 1, preceded by that subtree's own hash unless
 * old is a power of two (RFC 9162 2.1.4.1 gives the same list).
 */
#include "pnyx/merkle.h"

#include <assert.h>
#include <string.h>

/* Hash of leaves [start, size) where start is a multiple of 2^level and
 * size - start < 2^level: the fold of its complete subtrees, smallest
 * (rightmost) first, exactly as pnyx_merkle_edge_root folds peaks. */
static pnyx_err partial_hash(unsigned level, uint64_t start, uint64_t size,
			     pnyx_merkle_reader read, void *ctx,
			     pnyx_hash *out)
{
	uint64_t rem = size - start;
	pnyx_hash acc, piece;
	bool have = false;
	assert(rem > 0);
	for (unsigned b = 0; b < level; b++) {
		if (((rem >> b) & 1) == 0)
			continue;
		/* The piece at bit b starts after all pieces of higher bits. */
		uint64_t above = b + 1 < 64 ? (rem >> (b + 1)) << (b + 1) : 0;
		pnyx_err err = read(ctx, b, (start + above) >> b, 1, &piece);
		if (err != PNYX_OK)
			return err;
		if (have)
			pnyx_merkle_node_hash(&piece, &acc, &acc);
		else
			acc = piece;
		have = true;
	}
	*out = acc;
	return PNYX_OK;
}

/* Appends to proof[*n] the hashes on the path from the complete subtree
 * (level, index) to the root of the tree of size leaves, bottom-up. */
static pnyx_err path_proof(unsigned level, uint64_t index, uint64_t size,
			   pnyx_merkle_reader read, void *ctx,
			   pnyx_hash *proof, size_t *n)
{
	const uint64_t last = size - 1;
	for (unsigned l = level; l < 64 && (last >> l) != 0; l++, index >>= 1) {
		uint64_t sib = index ^ 1;
		pnyx_err err = PNYX_OK;
		if (sib > (last >> l))
			continue; /* starts past the last leaf: no node */
		assert(*n < PNYX_MERKLE_MAX_PROOF);
		if (sib < (size >> l))
			err = read(ctx, l, sib, 1, &proof[*n]);
		else
			err = partial_hash(l, sib << l, size, read, ctx,
					   &proof[*n]);
		if (err != PNYX_OK)
			return err;
		(*n)++;
	}
	return PNYX_OK;
}

pnyx_err pnyx_merkle_inclusion_proof(uint64_t index, uint64_t size,
				     pnyx_merkle_reader read, void *ctx,
				     pnyx_hash *proof, size_t *n)
{
	assert(read != NULL && proof != NULL && n != NULL);
	if (index >= size)
		return PNYX_ERR_RANGE;
	pnyx_hash tmp[PNYX_MERKLE_MAX_PROOF];
	size_t count = 0;
	pnyx_err err = path_proof(0, index, size, read, ctx, tmp, &count);
	if (err != PNYX_OK)
		return err;
	memcpy(proof, tmp, count * sizeof *tmp);
	*n = count;
	return PNYX_OK;
}

pnyx_err pnyx_merkle_consistency_proof(uint64_t old, uint64_t size,
				       pnyx_merkle_reader read, void *ctx,
				       pnyx_hash *proof, size_t *n)
{
	assert(read != NULL && proof != NULL && n != NULL);
	if (old > size)
		return PNYX_ERR_RANGE;
	if (old == 0 || old == size) {
		*n = 0;
		return PNYX_OK;
	}
	/* The largest complete subtree that ends at leaf old - 1. */
	unsigned level = (unsigned)__builtin_ctzll(old);
	uint64_t index = (old - 1) >> level;
	pnyx_hash tmp[PNYX_MERKLE_MAX_PROOF];
	size_t count = 0;
	pnyx_err err = PNYX_OK;
	if (index != 0) {
		err = read(ctx, level, index, 1, &tmp[0]);
		count = 1;
	}
	if (err == PNYX_OK)
		err = path_proof(level, index, size, read, ctx, tmp, &count);
	if (err != PNYX_OK)
		return err;
	memcpy(proof, tmp, count * sizeof *tmp);
	*n = count;
	return PNYX_OK;
}

pnyx_err pnyx_merkle_verify_inclusion(const pnyx_hash *leaf, uint64_t index,
				      uint64_t size, const pnyx_hash *proof,
				      size_t n, const pnyx_hash *root)
{
	assert(leaf != NULL && root != NULL && (proof != NULL || n == 0));
	/* RFC 9162 2.1.3.2, step by step. */
	if (index >= size || n > PNYX_MERKLE_MAX_PROOF)
		return PNYX_ERR_BAD_PROOF;
	uint64_t fn = index, sn = size - 1;
	pnyx_hash r = *leaf;
	for (size_t i = 0; i < n; i++) {
		if (sn == 0)
			return PNYX_ERR_BAD_PROOF;
		if ((fn & 1) != 0 || fn == sn) {
			pnyx_merkle_node_hash(&proof[i], &r, &r);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			pnyx_merkle_node_hash(&r, &proof[i], &r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || !pnyx_hash_eq(&r, root))
		return PNYX_ERR_BAD_PROOF;
	return PNYX_OK;
}

/* RFC 9162 2.1.4.2 steps 3 to 8 for 0 < old < size, with the first hash of
 * the path in seed and the rest in proof[0..n-1]. */
static pnyx_err verify_subproof(uint64_t old, uint64_t size,
				const pnyx_hash *seed, const pnyx_hash *proof,
				size_t n, const pnyx_hash *old_root,
				const pnyx_hash *new_root)
{
	uint64_t fn = old - 1, sn = size - 1;
	while ((fn & 1) != 0) {
		fn >>= 1;
		sn >>= 1;
	}
	pnyx_hash fr = *seed, sr = *seed;
	for (size_t i = 0; i < n; i++) {
		if (sn == 0)
			return PNYX_ERR_BAD_PROOF;
		if ((fn & 1) != 0 || fn == sn) {
			pnyx_merkle_node_hash(&proof[i], &fr, &fr);
			pnyx_merkle_node_hash(&proof[i], &sr, &sr);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			pnyx_merkle_node_hash(&sr, &proof[i], &sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || !pnyx_hash_eq(&fr, old_root) ||
	    !pnyx_hash_eq(&sr, new_root))
		return PNYX_ERR_BAD_PROOF;
	return PNYX_OK;
}

pnyx_err pnyx_merkle_verify_consistency(uint64_t old, uint64_t size,
					const pnyx_hash *proof, size_t n,
					const pnyx_hash *old_root,
					const pnyx_hash *new_root)
{
	assert(old_root != NULL && new_root != NULL &&
	       (proof != NULL || n == 0));
	if (old > size || n > PNYX_MERKLE_MAX_PROOF)
		return PNYX_ERR_BAD_PROOF;
	if (old == size) {
		if (n != 0 || !pnyx_hash_eq(old_root, new_root))
			return PNYX_ERR_BAD_PROOF;
		return PNYX_OK;
	}
	if (old == 0)
		return n == 0 ? PNYX_OK : PNYX_ERR_BAD_PROOF;
	if (n == 0)
		return PNYX_ERR_BAD_PROOF;
	/* Step 2: for a power of two the old root itself starts the path. */
	if ((old & (old - 1)) == 0)
		return verify_subproof(old, size, old_root, proof, n, old_root,
				       new_root);
	return verify_subproof(old, size, &proof[0], proof + 1, n - 1,
			       old_root, new_root);
}
