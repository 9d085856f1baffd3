/*
 * pnyx/witness_store.h — a witness's durable state: for each log it
 * follows, the latest checkpoint it cosigned, in one small file per log in
 * one directory:
 *
 *   DIR/LOCK                      held (flock) by the one process using DIR
 *   DIR/log-<32 hex>.checkpoint   the checkpoint note as it was submitted,
 *                                 followed by the witness's cosignature
 *                                 line (<32 hex>: the first 16 bytes of
 *                                 SHA-256 of the origin)
 *   DIR/evidence/<64 hex>.txt     a checkpoint that contradicts the held one,
 *                                 with the held one (see _evidence)
 *
 * A file is replaced by writing a temporary file, fsync, rename, and fsync
 * of the directory, so a crash leaves the old or the new checkpoint, never
 * a mixture. Replacing is a compare-and-swap on what is held, under a
 * mutex per log: of two requests judged against the same held checkpoint,
 * only the first is stored; the second learns it must judge again.
 */
#ifndef PNYX_WITNESS_STORE_H
#define PNYX_WITNESS_STORE_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/witness.h"

typedef struct pnyx_witness_store pnyx_witness_store;

/* Opens the state directory dir (NUL-terminated), creating it (mode 0700)
 * if it does not exist, and locks it against other processes. Close with
 * pnyx_witness_store_close. Errors: PNYX_ERR_IO (cannot create, open or
 * lock it), PNYX_ERR_EXISTS (another process holds the lock),
 * PNYX_ERR_TOO_LARGE (path too long), PNYX_ERR_NOMEM; reason in diag. */
PNYX_EXPORT pnyx_err pnyx_witness_store_open(const char *dir,
					     pnyx_witness_store **out,
					     pnyx_diag *diag) PNYX_WUR;

/* Releases the lock and frees s. NULL is a no-op. */
PNYX_EXPORT void pnyx_witness_store_close(pnyx_witness_store *s);

/* Reads what is held for origin into *latest (present false if nothing)
 * and, if note is not NULL, appends the stored note to it. Errors:
 * PNYX_ERR_CORRUPT (the file is not a checkpoint note of origin),
 * PNYX_ERR_IO, note's own errors; reason in diag. Thread-safe. */
PNYX_EXPORT pnyx_err pnyx_witness_store_load(pnyx_witness_store *s,
					     const char *origin,
					     pnyx_witness_latest *latest,
					     pnyx_buf *note, pnyx_diag *diag)
	PNYX_WUR;

/* If what is held for origin is still *expected (same presence, size and
 * root), replaces it durably with note (n bytes: a signed checkpoint note
 * of origin, with the witness's cosignature) and returns PNYX_OK.
 * Otherwise, or on failure, nothing changes: PNYX_ERR_MISMATCH (what is
 * held has changed: judge again), PNYX_ERR_MALFORMED (note is not a
 * checkpoint note of origin), PNYX_ERR_IO, PNYX_ERR_CORRUPT. Thread-safe. */
PNYX_EXPORT pnyx_err pnyx_witness_store_swap(pnyx_witness_store *s,
					     const char *origin,
					     const pnyx_witness_latest *expected,
					     const uint8_t *note, size_t n,
					     pnyx_diag *diag) PNYX_WUR;

/* Keeps evidence that a log contradicted itself: writes (once per distinct
 * submitted body) DIR/evidence/<hex SHA-256 of submitted>.txt holding the
 * code, the time now, the held note and the submitted request body. Its
 * name (64 hex digits and ".txt", NUL-terminated) goes to name. Existing
 * evidence is kept as it is. PNYX_ERR_IO on failure. Thread-safe. */
PNYX_EXPORT pnyx_err pnyx_witness_store_evidence(pnyx_witness_store *s,
						 const char *code,
						 uint64_t now,
						 const uint8_t *held,
						 size_t held_len,
						 const uint8_t *submitted,
						 size_t submitted_len,
						 char name[72],
						 pnyx_diag *diag) PNYX_WUR;

#endif
