/*
 * pnyx/receipt.h — signed receipts: the log's word that it accepted an
 * entry, and when. A log proves what it holds, not what it left out; a
 * member that keeps the receipt of its objection (or of its breaking of
 * silence) can show later that the log accepted it at that index and time.
 *
 * A receipt is a C2SP signed note (pnyx/note.h) signed by the log's key,
 * whose text is exactly six lines:
 *
 *   pnyx-receipt v1
 *   <log origin>            the log key's name, as a checkpoint origin
 *   <forum id>              pnyx_id_is_valid (pnyx/action.h)
 *   <leaf index>            canonical decimal
 *   <leaf hash>             base64 of the 32-byte RFC 6962 leaf hash
 *   <sequencer time>        canonical decimal, ms since the Unix epoch
 *
 * Parsing is strict and byte-exact: encode(parse(text)) == text.
 */
#ifndef PNYX_RECEIPT_H
#define PNYX_RECEIPT_H

#include "pnyx/action.h"
#include "pnyx/buf.h"
#include "pnyx/checkpoint.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"
#include "pnyx/log.h"

#define PNYX_RECEIPT_HEADER "pnyx-receipt v1"
#define PNYX_RECEIPT_MAX 16384 /* bytes of a signed receipt, a Pnyx cap */

/* A receipt's content. Plain data, caller-owned. */
typedef struct pnyx_receipt {
	char origin[PNYX_ORIGIN_MAX + 1]; /* NUL-terminated */
	char forum[PNYX_ID_MAX + 1];      /* NUL-terminated */
	uint64_t index;
	pnyx_hash leaf_hash;
	uint64_t time_ms;
} pnyx_receipt;

/* Parses receipt text (a note's text, without signatures). Returns PNYX_OK,
 * or PNYX_ERR_MALFORMED with the reason in diag: wrong header, a line
 * missing or in excess, empty or over-long origin, invalid forum id,
 * non-canonical index or time, leaf hash that is not canonical base64 of 32
 * bytes, missing final newline, invalid UTF-8 or control characters. */
PNYX_EXPORT pnyx_err pnyx_receipt_parse(const uint8_t *text, size_t n,
					pnyx_receipt *out, pnyx_diag *diag)
	PNYX_WUR;

/* Appends the receipt's text to out. The origin and forum must be valid
 * (asserted). Returns out's sticky error. */
PNYX_EXPORT pnyx_err pnyx_receipt_encode(const pnyx_receipt *r,
					 pnyx_buf *out) PNYX_WUR;

/* Appends the receipt as a note signed by signer, the log's key: the
 * receipt's origin must be signer's name (PNYX_ERR_MISMATCH otherwise,
 * nothing appended). Other errors are out's. */
PNYX_EXPORT pnyx_err pnyx_receipt_sign(const pnyx_receipt *r,
				       const pnyx_signer *signer,
				       pnyx_buf *out, pnyx_diag *diag)
	PNYX_WUR;

/* Opens a signed receipt (n bytes at msg, at most PNYX_RECEIPT_MAX) with
 * the log's verifier key: the note must carry a valid signature by key, its
 * text must parse, and its origin must be key's name. Returns PNYX_OK and
 * *out, or PNYX_ERR_TOO_LARGE, PNYX_ERR_MALFORMED, PNYX_ERR_BAD_SIGNATURE
 * (key's signature does not verify: the receipt was altered),
 * PNYX_ERR_UNVERIFIED (key did not sign it), PNYX_ERR_MISMATCH (signed by
 * key but for another origin), PNYX_ERR_NOMEM; the reason in diag. */
PNYX_EXPORT pnyx_err pnyx_receipt_open(const uint8_t *msg, size_t n,
				       const pnyx_verifier *key,
				       pnyx_receipt *out, pnyx_diag *diag)
	PNYX_WUR;

/* Builds the receipt of a forum leaf (pnyx/leaf.h; n bytes at leaf) stored
 * at index in the log named origin (NUL-terminated, a valid origin): the
 * leaf hash of the bytes, the leaf's time, and the forum of the action it
 * carries (whose signature is not checked here: the log accepted it).
 * Returns PNYX_OK and *out, or PNYX_ERR_MALFORMED (not a forum leaf),
 * PNYX_ERR_NOMEM; the reason in diag. The server calls it after the durable
 * commit with the bytes it appended. */
PNYX_EXPORT pnyx_err pnyx_receipt_from_leaf(const char *origin,
					    uint64_t index,
					    const uint8_t *leaf, size_t n,
					    pnyx_receipt *out,
					    pnyx_diag *diag) PNYX_WUR;

/* Checks an opened receipt against a log: its origin is the log's, the
 * log holds an entry at its index, that entry's leaf hash is the receipt's,
 * and the entry is a forum leaf whose time and action's forum are the
 * receipt's. Returns PNYX_OK, or PNYX_ERR_RANGE (no entry at that index),
 * PNYX_ERR_MISMATCH (origin, hash, time or forum differ, or the entry is
 * not a forum leaf), PNYX_ERR_STORAGE / PNYX_ERR_NOMEM (reading the entry
 * failed); the reason in diag. The receipt's signature is not checked here:
 * open it with pnyx_receipt_open and the log's key first. */
PNYX_EXPORT pnyx_err pnyx_receipt_check(pnyx_log *log, const pnyx_receipt *r,
					pnyx_diag *diag) PNYX_WUR;

#endif
