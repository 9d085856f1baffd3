/*
 * pnyx/proof.h — the text form of Merkle proofs, as `pnyx log prove` prints
 * them and `pnyx log verify` reads them (docs/FORMATS.md):
 *
 *   inclusion                     consistency
 *   index <leaf index>            old <old size>
 *   size <tree size>              size <new size>
 *   <base64 hash>                 <base64 hash>
 *   ...                           ...
 *
 * Every line ends in '\n'; numbers are canonical decimals; hashes canonical
 * base64 of 32 bytes; at most PNYX_MERKLE_MAX_PROOF hashes. Strict and
 * byte-exact: encode(parse(text)) == text.
 */
#ifndef PNYX_PROOF_H
#define PNYX_PROOF_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/merkle.h"

typedef enum pnyx_proof_kind {
	PNYX_PROOF_INCLUSION = 1,
	PNYX_PROOF_CONSISTENCY = 2,
} pnyx_proof_kind;

/* A decoded proof: for inclusion, a is the leaf index and b the tree size;
 * for consistency, a is the old size and b the new size. */
typedef struct pnyx_proof {
	pnyx_proof_kind kind;
	uint64_t a;
	uint64_t b;
	size_t n;
	pnyx_hash hashes[PNYX_MERKLE_MAX_PROOF];
} pnyx_proof;

/* Parses a proof's text. PNYX_OK, or PNYX_ERR_MALFORMED with the reason in
 * diag. Says nothing about whether the proof verifies. */
PNYX_EXPORT pnyx_err pnyx_proof_parse(const uint8_t *text, size_t n,
				      pnyx_proof *out, pnyx_diag *diag)
	PNYX_WUR;

/* Appends the proof's text to out. */
PNYX_EXPORT pnyx_err pnyx_proof_encode(const pnyx_proof *p, pnyx_buf *out)
	PNYX_WUR;

#endif
