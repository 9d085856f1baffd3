/*
 * pnyx/merkle.h — RFC 6962 / RFC 9162 Merkle tree hashing and proofs.
 *
 *   leaf hash  = SHA-256(0x00 || entry)
 *   node hash  = SHA-256(0x01 || left || right)
 *   empty root = SHA-256("")
 *
 * Trees are addressed by complete subtrees: (level L, index i) is the
 * subtree over leaves [i * 2^L, (i+1) * 2^L). A store keeps the hash of every
 * complete subtree, so any root or proof needs O(log n) of them; the
 * functions here ask for them through a pnyx_merkle_reader callback and never
 * rebuild a tree.
 */
#ifndef PNYX_MERKLE_H
#define PNYX_MERKLE_H

#include "pnyx/common.h"
#include "pnyx/hash.h"

#define PNYX_MERKLE_MAX_LEVEL 63
#define PNYX_MERKLE_MAX_PROOF 128 /* more hashes than any proof can have */

/* Hash of a leaf holding n bytes of entry. */
PNYX_EXPORT void pnyx_merkle_leaf_hash(const uint8_t *entry, size_t n,
				       pnyx_hash *out);

/* Hash of an interior node from its two children. */
PNYX_EXPORT void pnyx_merkle_node_hash(const pnyx_hash *left,
				       const pnyx_hash *right, pnyx_hash *out);

/* Root of the empty tree: SHA-256 of the empty string. */
PNYX_EXPORT void pnyx_merkle_empty_root(pnyx_hash *out);

/* Reads the hashes of count consecutive complete subtrees at level, the
 * first being (level, index), into out[0..count-1]. The subtrees asked for
 * always lie inside the tree the caller named. Returns PNYX_OK or an error
 * that the calling function returns unchanged. */
typedef pnyx_err (*pnyx_merkle_reader)(void *ctx, unsigned level,
				       uint64_t index, size_t count,
				       pnyx_hash *out);

/* The right edge of a tree ("compact range" from leaf 0): enough to append
 * leaves and compute the root without reading anything. Caller-owned. */
typedef struct pnyx_merkle_edge {
	uint64_t size;
	pnyx_hash peaks[PNYX_MERKLE_MAX_LEVEL + 1]; /* peaks[L] valid where
						       bit L of size is 1 */
} pnyx_merkle_edge;

/* Called by pnyx_merkle_edge_append for the new leaf (level 0) and for each
 * complete subtree the leaf completes, lowest level first. */
typedef pnyx_err (*pnyx_merkle_emit)(void *ctx, unsigned level,
				     uint64_t index, const pnyx_hash *h);

/* Starts the edge of the empty tree. */
PNYX_EXPORT void pnyx_merkle_edge_init(pnyx_merkle_edge *e);

/* Loads the edge of a tree of size leaves through read (log2(size) reads
 * at most). Writes e only on success. */
PNYX_EXPORT pnyx_err pnyx_merkle_edge_load(pnyx_merkle_edge *e, uint64_t size,
					   pnyx_merkle_reader read, void *ctx)
	PNYX_WUR;

/* Appends one leaf hash; emit (may be NULL) sees every new complete subtree.
 * If emit fails the edge is left unchanged and its error is returned. */
PNYX_EXPORT pnyx_err pnyx_merkle_edge_append(pnyx_merkle_edge *e,
					     const pnyx_hash *leaf,
					     pnyx_merkle_emit emit, void *ctx)
	PNYX_WUR;

/* Root hash of the tree the edge describes. */
PNYX_EXPORT void pnyx_merkle_edge_root(const pnyx_merkle_edge *e,
				       pnyx_hash *out);

/* Root of the tree of the first size leaves, through read. */
PNYX_EXPORT pnyx_err pnyx_merkle_root(uint64_t size, pnyx_merkle_reader read,
				      void *ctx, pnyx_hash *out) PNYX_WUR;

/* RFC 9162 2.1.3.1 inclusion proof of leaf index in the tree of size leaves
 * (index < size): writes the hashes to proof[] (PNYX_MERKLE_MAX_PROOF slots)
 * and their number to *n. PNYX_ERR_RANGE if index >= size. */
PNYX_EXPORT pnyx_err pnyx_merkle_inclusion_proof(uint64_t index, uint64_t size,
						 pnyx_merkle_reader read,
						 void *ctx, pnyx_hash *proof,
						 size_t *n) PNYX_WUR;

/* RFC 9162 2.1.4.1 consistency proof from the tree of old leaves to the
 * tree of size leaves (old <= size). Empty when old is 0 or old == size.
 * PNYX_ERR_RANGE if old > size. */
PNYX_EXPORT pnyx_err pnyx_merkle_consistency_proof(uint64_t old, uint64_t size,
						   pnyx_merkle_reader read,
						   void *ctx, pnyx_hash *proof,
						   size_t *n) PNYX_WUR;

/* RFC 9162 2.1.3.2: PNYX_OK if proof (n hashes) proves that leaf is at
 * index in the tree of size leaves with the given root; PNYX_ERR_BAD_PROOF
 * otherwise (also for index >= size or a proof of the wrong length). */
PNYX_EXPORT pnyx_err pnyx_merkle_verify_inclusion(const pnyx_hash *leaf,
						  uint64_t index, uint64_t size,
						  const pnyx_hash *proof,
						  size_t n,
						  const pnyx_hash *root)
	PNYX_WUR;

/* RFC 9162 2.1.4.2: PNYX_OK if proof proves that the tree of size leaves
 * with new_root extends the tree of old leaves with old_root; for old == 0
 * or old == size the proof must be empty (and the roots equal when
 * old == size). PNYX_ERR_BAD_PROOF otherwise. */
PNYX_EXPORT pnyx_err pnyx_merkle_verify_consistency(uint64_t old, uint64_t size,
						    const pnyx_hash *proof,
						    size_t n,
						    const pnyx_hash *old_root,
						    const pnyx_hash *new_root)
	PNYX_WUR;

#endif
