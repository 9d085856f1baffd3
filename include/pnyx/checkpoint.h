/*
 * pnyx/checkpoint.h — C2SP tlog-checkpoint v1.0.0: the text of a signed
 * note that commits to a log's state:
 *
 *   <origin>\n
 *   <tree size, decimal, no leading zeros>\n
 *   <base64 of the 32-byte root hash>\n
 *   [<extension line>\n ...]
 *
 * Parsing is strict and byte-exact: encode(parse(text)) == text.
 */
#ifndef PNYX_CHECKPOINT_H
#define PNYX_CHECKPOINT_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"

#define PNYX_ORIGIN_MAX 255 /* bytes, a Pnyx limit */

/* A parsed checkpoint. ext borrows the input (the extension lines exactly
 * as given, each ending in '\n'); it must outlive the struct. */
typedef struct pnyx_checkpoint {
	char origin[PNYX_ORIGIN_MAX + 1]; /* NUL-terminated */
	uint64_t size;
	pnyx_hash root;
	const uint8_t *ext; /* NULL when there are none */
	size_t ext_len;
} pnyx_checkpoint;

/* Parses checkpoint text (the note text, without signatures). Returns
 * PNYX_OK or PNYX_ERR_MALFORMED with the reason in diag: empty or
 * over-long origin, non-canonical size, root that is not canonical base64 of
 * 32 bytes, empty extension line, missing final newline, invalid UTF-8 or
 * control characters. */
PNYX_EXPORT pnyx_err pnyx_checkpoint_parse(const uint8_t *text, size_t n,
					   pnyx_checkpoint *out,
					   pnyx_diag *diag) PNYX_WUR;

/* Appends the checkpoint's text to out. The origin must be valid (non-empty,
 * no '\n'); ext, if any, must be valid extension lines. */
PNYX_EXPORT pnyx_err pnyx_checkpoint_encode(const pnyx_checkpoint *c,
					    pnyx_buf *out) PNYX_WUR;

#endif
