/*
 * pnyx/witness_req.h — the body of a C2SP tlog-witness add-checkpoint
 * request (c2sp.org/tlog-witness):
 *
 *   old <size>\n                    canonical decimal, "0" for zero
 *   <base64 hash>\n                 0 to 63 consistency proof lines
 *   \n                              an empty line
 *   <checkpoint note>               text, blank line, signature lines
 *
 * Parsing is strict: every line ends in '\n', the size has no sign, no
 * leading zero and fits 64 bits, each proof line is the canonical base64 of
 * exactly one 32-byte hash, at most PNYX_WITNESS_PROOF_MAX of them, none
 * when the old size is 0, and the checkpoint note is not empty. The
 * checkpoint note itself is checked later, by pnyx_note_open and
 * pnyx_checkpoint parsing, with the log's keys; whether the old size is at
 * most the checkpoint's size is the witness's check too.
 */
#ifndef PNYX_WITNESS_REQ_H
#define PNYX_WITNESS_REQ_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"

#define PNYX_WITNESS_PROOF_MAX 63 /* proof lines, the spec's limit */

/* A parsed request. note borrows the input bytes (they must outlive it). */
typedef struct pnyx_witness_req {
	uint64_t old_size;
	pnyx_hash proof[PNYX_WITNESS_PROOF_MAX];
	size_t nproof;
	const uint8_t *note; /* the checkpoint note, to the end of the body */
	size_t note_len;
} pnyx_witness_req;

/* Parses an add-checkpoint request body of n bytes. Returns PNYX_OK and
 * fills *out, PNYX_ERR_TOO_LARGE if n > max_len, or PNYX_ERR_MALFORMED with
 * the reason in diag; *out is untouched on error. */
PNYX_EXPORT pnyx_err pnyx_witness_req_parse(const uint8_t *body, size_t n,
					    size_t max_len,
					    pnyx_witness_req *out,
					    pnyx_diag *diag) PNYX_WUR;

/* Appends the request body for old_size, the nproof hashes of proof and the
 * checkpoint note (note_len bytes, appended as they are) to out.
 * PNYX_ERR_MALFORMED if nproof > PNYX_WITNESS_PROOF_MAX, if old_size is 0
 * and nproof is not, or if the note is empty; out's own errors otherwise.
 * On error out keeps its former length. */
PNYX_EXPORT pnyx_err pnyx_witness_req_encode(uint64_t old_size,
					     const pnyx_hash *proof,
					     size_t nproof,
					     const uint8_t *note,
					     size_t note_len,
					     pnyx_buf *out) PNYX_WUR;

#endif
