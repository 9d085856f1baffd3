/*
 * pnyx/leaf.h — the log leaf of a forum: one signed action (its exact bytes)
 * and the time the sequencer accepted it, in milliseconds since the Unix
 * epoch (UTC). That time is the only clock the engine sees.
 *
 *   pnyx-leaf v1 <time-ms>\n
 *   <the signed action note, byte for byte>
 */
#ifndef PNYX_LEAF_H
#define PNYX_LEAF_H

#include "pnyx/buf.h"
#include "pnyx/common.h"

#define PNYX_LEAF_HEADER "pnyx-leaf v1 "

/* A parsed leaf; note borrows the input bytes. */
typedef struct pnyx_leaf {
	uint64_t time_ms;
	const uint8_t *note;
	size_t note_len;
} pnyx_leaf;

/* Parses a leaf. PNYX_OK, or PNYX_ERR_MALFORMED with the reason in diag. */
PNYX_EXPORT pnyx_err pnyx_leaf_parse(const uint8_t *p, size_t n,
				     pnyx_leaf *out, pnyx_diag *diag) PNYX_WUR;

/* Appends the leaf for a signed note accepted at time_ms to out. */
PNYX_EXPORT pnyx_err pnyx_leaf_encode(uint64_t time_ms, const uint8_t *note,
				      size_t n, pnyx_buf *out) PNYX_WUR;

#endif
