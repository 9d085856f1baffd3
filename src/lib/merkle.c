/*
 * RFC 6962 hashing and the right edge of a tree (appending and roots).
 * Proofs are in merkle_proof.c.
 */
#include "pnyx/merkle.h"

#include <assert.h>

void pnyx_merkle_leaf_hash(const uint8_t *entry, size_t n, pnyx_hash *out)
{
	static const uint8_t prefix = 0x00;
	pnyx_sha256_ctx s;
	pnyx_sha256_start(&s);
	pnyx_sha256_update(&s, &prefix, 1);
	pnyx_sha256_update(&s, entry, n);
	pnyx_sha256_final(&s, out);
}

void pnyx_merkle_node_hash(const pnyx_hash *left, const pnyx_hash *right,
			   pnyx_hash *out)
{
	uint8_t buf[1 + 2 * PNYX_HASH_LEN];
	buf[0] = 0x01;
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		buf[1 + i] = left->b[i];
		buf[1 + PNYX_HASH_LEN + i] = right->b[i];
	}
	pnyx_sha256(buf, sizeof buf, out);
}

void pnyx_merkle_empty_root(pnyx_hash *out)
{
	pnyx_sha256(NULL, 0, out);
}

void pnyx_merkle_edge_init(pnyx_merkle_edge *e)
{
	e->size = 0;
}

pnyx_err pnyx_merkle_edge_load(pnyx_merkle_edge *e, uint64_t size,
			       pnyx_merkle_reader read, void *ctx)
{
	pnyx_merkle_edge tmp = {.size = size};
	for (unsigned level = 0; level <= PNYX_MERKLE_MAX_LEVEL; level++) {
		if (((size >> level) & 1) == 0)
			continue;
		/* The peak at this level starts after all higher peaks. */
		uint64_t start = level == PNYX_MERKLE_MAX_LEVEL
					 ? 0
					 : size & ~((UINT64_C(2) << level) - 1);
		pnyx_err err = read(ctx, level, start >> level, 1,
				    &tmp.peaks[level]);
		if (err != PNYX_OK)
			return err;
	}
	*e = tmp;
	return PNYX_OK;
}

pnyx_err pnyx_merkle_edge_append(pnyx_merkle_edge *e, const pnyx_hash *leaf,
				 pnyx_merkle_emit emit, void *ctx)
{
	assert(e->size < UINT64_MAX);
	uint64_t index = e->size;
	pnyx_hash carry = *leaf;
	unsigned level = 0;
	if (emit != NULL) {
		pnyx_err err = emit(ctx, 0, index, &carry);
		if (err != PNYX_OK)
			return err;
	}
	while ((index >> level) & 1) {
		pnyx_merkle_node_hash(&e->peaks[level], &carry, &carry);
		level++;
		if (emit != NULL) {
			pnyx_err err = emit(ctx, level, index >> level, &carry);
			if (err != PNYX_OK)
				return err;
		}
	}
	e->peaks[level] = carry;
	e->size = index + 1;
	return PNYX_OK;
}

void pnyx_merkle_edge_root(const pnyx_merkle_edge *e, pnyx_hash *out)
{
	if (e->size == 0) {
		pnyx_merkle_empty_root(out);
		return;
	}
	bool have = false;
	pnyx_hash acc;
	for (unsigned level = 0; level <= PNYX_MERKLE_MAX_LEVEL; level++) {
		if (((e->size >> level) & 1) == 0)
			continue;
		if (!have)
			acc = e->peaks[level];
		else
			pnyx_merkle_node_hash(&e->peaks[level], &acc, &acc);
		have = true;
	}
	*out = acc;
}

pnyx_err pnyx_merkle_root(uint64_t size, pnyx_merkle_reader read, void *ctx,
			  pnyx_hash *out)
{
	pnyx_merkle_edge e;
	pnyx_err err = pnyx_merkle_edge_load(&e, size, read, ctx);
	if (err != PNYX_OK)
		return err;
	pnyx_merkle_edge_root(&e, out);
	return PNYX_OK;
}
