/*
 * pnyx/buf.h — a growable byte buffer with a hard maximum fixed at init
 * (curl's dynbuf), whose failures are sticky (s2n's stuffer): after one
 * append fails, every later append fails with the same error, so an encoder
 * can append a whole document and check once at the end.
 *
 * The caller owns the pnyx_buf struct; pnyx_buf_clear frees its memory.
 * data is NUL-terminated after every successful append (the NUL is not
 * counted in len), so text can be passed to C string functions.
 */
#ifndef PNYX_BUF_H
#define PNYX_BUF_H

#include "pnyx/common.h"

typedef struct pnyx_buf {
	uint8_t *data; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;    /* len never exceeds max */
	pnyx_err err;  /* first failure, sticky until reset */
} pnyx_buf;

/* Prepares an empty buffer that will hold at most max bytes (max > 0). */
PNYX_EXPORT void pnyx_buf_init(pnyx_buf *b, size_t max);

/* Frees the memory; b is left empty and may be reused (same max). A
 * zero-initialised pnyx_buf may be cleared. */
PNYX_EXPORT void pnyx_buf_clear(pnyx_buf *b);

/* Empties b and forgets a sticky error, keeping its memory. */
PNYX_EXPORT void pnyx_buf_reset(pnyx_buf *b);

/* Appends n bytes of p (p may be NULL when n is 0). Returns PNYX_OK,
 * PNYX_ERR_TOO_LARGE past max, or PNYX_ERR_NOMEM; any failure is sticky. */
PNYX_EXPORT pnyx_err pnyx_buf_append(pnyx_buf *b, const void *p, size_t n);

/* Appends a NUL-terminated string. Same returns as pnyx_buf_append. */
PNYX_EXPORT pnyx_err pnyx_buf_puts(pnyx_buf *b, const char *s);

/* Appends printf-formatted text. Same returns as pnyx_buf_append. */
PNYX_EXPORT pnyx_err pnyx_buf_printf(pnyx_buf *b, const char *fmt, ...)
	PNYX_PRINTF(2, 3);

/* Gives the caller the buffer's memory (free with pnyx_free) and leaves b
 * empty. Returns NULL if b holds nothing. *len receives the length. */
PNYX_EXPORT uint8_t *pnyx_buf_take(pnyx_buf *b, size_t *len);

#endif
