/*
 * pnyx/cosignature.h — C2SP tlog-cosignature, the Ed25519 type
 * (cosignature/v1): a witness's timestamped statement that a checkpoint is
 * the largest consistent tree head it has seen for the log.
 *
 * A cosignature is a signed-note signature line
 *
 *   — <witness name> base64(key ID || timestamp || Ed25519 signature)
 *
 * with a 4-byte key ID, an 8-byte big-endian POSIX timestamp (at most
 * 2^63 - 1) and a 64-byte signature over the message
 *
 *   "cosignature/v1\n" "time <timestamp in decimal>\n" <checkpoint text>
 *
 * where the checkpoint text is the note's whole text, ending in '\n',
 * without its signature lines. The key ID is the first 4 bytes of
 * SHA-256(name || "\n" || 0x04 || public key): a witness key is a
 * pnyx_verifier whose alg is PNYX_KEY_ALG_COSIG_V1, in text form
 * <name>+<hash>+<base64(0x04 || public key)>. Such a key never verifies an
 * ordinary (0x01) note signature, so cosignature lines are signatures by
 * unknown keys to pnyx_note_open and are skipped there.
 * The library reads no clock: callers pass the time.
 */
#ifndef PNYX_COSIGNATURE_H
#define PNYX_COSIGNATURE_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/key.h"
#include "pnyx/note.h"

#define PNYX_KEY_ALG_COSIG_V1 0x04 /* tlog-cosignature Ed25519 key ID byte */
#define PNYX_COSIG_LEN 72          /* timestamp (8) || signature (64) */
#define PNYX_COSIG_TIME_MAX INT64_MAX

/* The witness verifier key (alg PNYX_KEY_ALG_COSIG_V1) of a signer's
 * Ed25519 key pair, under the signer's name. */
PNYX_EXPORT void pnyx_cosig_verifier(const pnyx_signer *s,
				     pnyx_verifier *out);

/* Parses a witness verifier key in text form (optionally followed by one
 * '\n'). PNYX_ERR_MALFORMED, with the reason in diag, if it is not a valid
 * verifier key or its type is not 0x04. */
PNYX_EXPORT pnyx_err pnyx_cosig_verifier_parse(const uint8_t *text, size_t n,
					       pnyx_verifier *out,
					       pnyx_diag *diag) PNYX_WUR;

/* Appends to out the cosignature line "— <name> <base64>\n" of witness s
 * over the checkpoint text (n bytes, valid note text ending in '\n') at
 * time (POSIX seconds). PNYX_ERR_MALFORMED if the text is not valid note
 * text or time exceeds PNYX_COSIG_TIME_MAX; out's own errors
 * (PNYX_ERR_TOO_LARGE, PNYX_ERR_NOMEM) otherwise. On error out keeps its
 * former length. */
PNYX_EXPORT pnyx_err pnyx_cosig_sign(const pnyx_signer *s,
				     const uint8_t *text, size_t n,
				     uint64_t time, pnyx_buf *out) PNYX_WUR;

/* Verifies one cosignature line (line_len bytes, with or without its final
 * '\n') by witness w (alg PNYX_KEY_ALG_COSIG_V1) over the checkpoint text
 * (n bytes, ending in '\n'). On PNYX_OK, *time (may be NULL) is the
 * cosignature's timestamp. Errors: PNYX_ERR_MALFORMED (not a cosignature
 * line, or w is not a witness key), PNYX_ERR_MISMATCH (the line is by
 * another key name or key ID), PNYX_ERR_BAD_SIGNATURE (w's line, but the
 * signature does not verify or the timestamp exceeds 2^63 - 1). */
PNYX_EXPORT pnyx_err pnyx_cosig_verify_line(const pnyx_verifier *w,
					    const uint8_t *text, size_t n,
					    const uint8_t *line,
					    size_t line_len, uint64_t *time,
					    pnyx_diag *diag) PNYX_WUR;

/* Verifies the signature bytes of one note signature line (sig, sig_len
 * bytes after the key ID) as w's cosignature over text (n bytes). The
 * caller has matched the line's name and key ID with w. Returns PNYX_OK and
 * sets *time (may be NULL), PNYX_ERR_MALFORMED if w is not a witness key,
 * or PNYX_ERR_BAD_SIGNATURE. */
PNYX_EXPORT pnyx_err pnyx_cosig_verify_sig(const pnyx_verifier *w,
					   const uint8_t *text, size_t n,
					   const uint8_t *sig, size_t sig_len,
					   uint64_t *time) PNYX_WUR;

/* Finds witness w's cosignature among the signature lines of an opened
 * note (pnyx_note_open with the log's key) and verifies it over the note's
 * text. On PNYX_OK, *time (may be NULL) is its timestamp. Errors:
 * PNYX_ERR_MALFORMED (w is not a witness key), PNYX_ERR_NOT_FOUND (no line
 * with w's name and key ID), PNYX_ERR_BAD_SIGNATURE (w's line does not
 * verify); the reason in diag. Pass only the log's keys to pnyx_note_open:
 * given a witness key, it would find that key's line and fail the note. */
PNYX_EXPORT pnyx_err pnyx_cosig_find(const pnyx_note *note,
				     const pnyx_verifier *w, uint64_t *time,
				     pnyx_diag *diag) PNYX_WUR;

#endif
