/*
 * pnyx/note.h — C2SP signed-note v1.0.0: a UTF-8 text followed by a blank
 * line and signature lines "— <name> <base64(4-byte key hash || sig)>".
 *
 * Parsing rejects what the spec (and Go's golang.org/x/mod/sumdb/note)
 * rejects: invalid UTF-8, ASCII control characters other than '\n', a text
 * or signature block not ending in '\n', no signature block, signature lines
 * that do not parse, invalid key names, more than PNYX_NOTE_MAX_SIGS
 * signatures, and (a Pnyx cap fixed by the caller at start-up) notes longer
 * than max_len bytes. Signatures by unknown keys are kept but ignored; a
 * signature by a known key that does not verify fails the whole note; a note
 * verifies only if at least one known key signed it.
 */
#ifndef PNYX_NOTE_H
#define PNYX_NOTE_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/key.h"

#define PNYX_NOTE_MAX_SIGS 100   /* as Go's note package */

/* One signature line of a note. */
typedef struct pnyx_note_sig {
	char name[PNYX_KEY_NAME_MAX + 1];
	uint32_t hash;
	uint8_t sig[PNYX_SIG_LEN + 64]; /* signature bytes after the key hash */
	size_t sig_len; /* 0 if the signature is longer than sig holds (an
			 * unknown key's, kept unverified; a known key's
			 * fails) */
	bool verified; /* signed by one of the known keys, and valid */
} pnyx_note_sig;

/* An opened note. text borrows the input bytes (they must outlive it);
 * sigs is allocated; free with pnyx_note_clear. */
typedef struct pnyx_note {
	const uint8_t *text; /* the signed text, ending in '\n' */
	size_t text_len;
	pnyx_note_sig *sigs; /* in the order of the note, duplicates dropped */
	size_t nsigs;
} pnyx_note;

/* Parses and verifies the n bytes at msg against the nknown keys in known
 * (known may be NULL if nknown is 0). On PNYX_OK, out holds the note and at
 * least one signature is verified. Errors: PNYX_ERR_TOO_LARGE (n > max_len),
 * PNYX_ERR_MALFORMED, PNYX_ERR_BAD_SIGNATURE (a known key's signature is
 * invalid), PNYX_ERR_UNVERIFIED (well formed, but no known key signed it),
 * PNYX_ERR_NOMEM; the reason in diag. */
PNYX_EXPORT pnyx_err pnyx_note_open(const uint8_t *msg, size_t n,
				    size_t max_len,
				    const pnyx_verifier *known, size_t nknown,
				    pnyx_note *out, pnyx_diag *diag) PNYX_WUR;

/* Finds where a note's text ends without verifying anything: *text_len is
 * the length of the text (up to and including the newline before the blank
 * line that starts the signatures). PNYX_ERR_MALFORMED if there is no
 * signature block. Use it only to learn whose keys to pass to
 * pnyx_note_open, which then checks everything. */
PNYX_EXPORT pnyx_err pnyx_note_text_len(const uint8_t *msg, size_t n,
					size_t *text_len) PNYX_WUR;

/* Frees what pnyx_note_open allocated; note may be zeroed or NULL. */
PNYX_EXPORT void pnyx_note_clear(pnyx_note *note);

/* Appends to out a signed note: text (n bytes, valid note text ending in
 * '\n'), a blank line, then one signature line per signer (nsigners >= 1),
 * in order.
 * PNYX_ERR_MALFORMED if the text is not valid note text. */
PNYX_EXPORT pnyx_err pnyx_note_sign(const uint8_t *text, size_t n,
				    const pnyx_signer *signers,
				    size_t nsigners, pnyx_buf *out) PNYX_WUR;

#endif
