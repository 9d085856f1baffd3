/*
 * pnyx/common.h — what every Pnyx module shares: error codes, the diagnostic
 * buffer, and the attributes on exported functions.
 *
 * Ownership rule for the whole library: a function named *_new or *_open
 * returns an object the caller frees with the matching *_free or *_close;
 * *_init and *_clear work on storage the caller owns; every other pointer
 * argument is borrowed for the duration of the call only, unless its contract
 * comment says otherwise. free functions accept NULL.
 *
 * Errors: a fallible function returns pnyx_err (PNYX_OK is 0) and writes its
 * out-parameters only on success. Untrusted input never crashes: it yields an
 * error. A broken caller contract (NULL where none is allowed, an impossible
 * argument) is a bug and is asserted.
 */
#ifndef PNYX_COMMON_H
#define PNYX_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PNYX_EXPORT __attribute__((visibility("default")))
#define PNYX_WUR __attribute__((warn_unused_result))
#define PNYX_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Error codes. The numbers and the names pnyx_err_name() returns are stable:
 * they appear in CLI messages and, later, in HTTP problem documents. */
typedef enum pnyx_err {
	PNYX_OK = 0,
	PNYX_ERR_NOMEM,          /* an allocation failed */
	PNYX_ERR_MALFORMED,      /* input does not parse, or is not canonical */
	PNYX_ERR_TOO_LARGE,      /* input exceeds a size cap */
	PNYX_ERR_BAD_SIGNATURE,  /* a signature by a known key does not verify */
	PNYX_ERR_UNVERIFIED,     /* no known key signed the note */
	PNYX_ERR_BAD_PROOF,      /* a Merkle proof does not verify */
	PNYX_ERR_RANGE,          /* an index or size is outside the tree */
	PNYX_ERR_STORAGE,        /* the storage layer failed (I/O, SQL, fsync) */
	PNYX_ERR_CORRUPT,        /* stored data contradicts itself */
	PNYX_ERR_EXISTS,         /* refused to overwrite something that exists */
	PNYX_ERR_NOT_FOUND,      /* a file, key or record is absent */
	PNYX_ERR_IO,             /* a file could not be read or written */
	PNYX_ERR_MISMATCH,       /* two things that must agree do not */
	PNYX_ERR__COUNT
} pnyx_err;

/* Stable machine-readable name of an error, e.g. "malformed". Never NULL;
 * "unknown" for a value out of range. Thread-safe. */
PNYX_EXPORT const char *pnyx_err_name(pnyx_err err);

/* One-sentence English description of an error. Never NULL. Thread-safe. */
PNYX_EXPORT const char *pnyx_err_text(pnyx_err err);

/* Human-readable detail for the last error of one call, owned by the caller.
 * Functions that take a pnyx_diag * accept NULL when the caller does not
 * want detail. The message never contains untrusted bytes unescaped. */
typedef struct pnyx_diag {
	char msg[256];
} pnyx_diag;

/* Writes a formatted message into diag (if diag is not NULL), truncating to
 * fit, and returns err so that callers can `return pnyx_diag_set(...)`. */
PNYX_EXPORT pnyx_err pnyx_diag_set(pnyx_diag *diag, pnyx_err err,
				   const char *fmt, ...) PNYX_PRINTF(3, 4);

/* Initialises the library's dependencies (libsodium; jansson's allocator,
 * set to the library's). Call once before any other function; safe to call
 * again. Returns PNYX_OK or PNYX_ERR_NOMEM when
 * libsodium cannot initialise. Not thread-safe on its first call. */
PNYX_EXPORT pnyx_err pnyx_init(void) PNYX_WUR;

#endif
