/*
 * pnyx/text.h — reading untrusted text: a bounded line cursor, strict UTF-8
 * validation, and canonical decimal numbers. Every parser in Pnyx reads its
 * input through these, so that no parser indexes raw bytes on its own.
 */
#ifndef PNYX_TEXT_H
#define PNYX_TEXT_H

#include "pnyx/common.h"

/* A read position over borrowed bytes; the bytes must outlive the cursor. */
typedef struct pnyx_cursor {
	const uint8_t *p;
	size_t len;
	size_t pos; /* 0 <= pos <= len */
} pnyx_cursor;

/* Starts a cursor at the first of len bytes at p (p may be NULL if len 0). */
PNYX_EXPORT void pnyx_cursor_init(pnyx_cursor *c, const uint8_t *p, size_t len);

/* Bytes not yet read. */
PNYX_EXPORT size_t pnyx_cursor_left(const pnyx_cursor *c);

/* Reads one line ending in '\n': on success *line points at its first byte
 * inside the input, *n is its length without the '\n', and the cursor moves
 * past the '\n'. Returns false, moving nothing, if no '\n' is left. */
PNYX_EXPORT bool pnyx_cursor_line(pnyx_cursor *c, const uint8_t **line,
				  size_t *n);

/* True if the n bytes at p are well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF). */
PNYX_EXPORT bool pnyx_utf8_is_valid(const uint8_t *p, size_t n);

/* Checks the characters of text that a signed note may carry: valid UTF-8
 * and no ASCII control character other than '\n' (C2SP signed-note). Returns
 * PNYX_OK, or PNYX_ERR_MALFORMED with a sentence in diag that starts with
 * what (e.g. "the note") and gives the offset of the first bad byte. */
PNYX_EXPORT pnyx_err pnyx_text_check_note_chars(const uint8_t *p, size_t n,
						const char *what,
						pnyx_diag *diag) PNYX_WUR;

/* Parses a canonical unsigned decimal: one or more ASCII digits, no sign,
 * no leading zero unless the number is 0, no value above UINT64_MAX.
 * Returns PNYX_OK and sets *out, or PNYX_ERR_MALFORMED. */
PNYX_EXPORT pnyx_err pnyx_parse_u64(const uint8_t *p, size_t n,
				    uint64_t *out) PNYX_WUR;

/* True if the n bytes at p equal the NUL-terminated literal s. */
PNYX_EXPORT bool pnyx_bytes_eq(const uint8_t *p, size_t n, const char *s);

#endif
