/*
 * pnyx/store.h — the storage interface under the log: a table of functions,
 * so that SQLite (the embedded default) and later PostgreSQL implement the
 * same contract. Only the log module calls these.
 *
 * A store holds: entries by index; the hash of every complete subtree by
 * (level, index) (pnyx/merkle.h); the committed tree size; checkpoints
 * (signed notes) by tree size; and a few named metadata values (the log's
 * origin and verifier key).
 *
 * Writes happen between begin and commit. commit returns only once the
 * transaction is durable (it survives kill -9 and power loss as far as the
 * storage engine guarantees); on any failure the caller calls rollback and
 * the store is exactly as before begin. Reads see the transaction's own
 * writes. A store is used by one thread at a time.
 */
#ifndef PNYX_STORE_H
#define PNYX_STORE_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"

typedef struct pnyx_store pnyx_store;

/* Called by a scan for each entry in index order: p (n bytes) is borrowed
 * from the store and valid only during the call. Returning anything but
 * PNYX_OK stops the scan, which returns that value. */
typedef pnyx_err (*pnyx_entry_fn)(void *ctx, uint64_t index,
				  const uint8_t *p, size_t n);

struct pnyx_store_ops {
	pnyx_err (*begin)(pnyx_store *s);
	pnyx_err (*commit)(pnyx_store *s);
	void (*rollback)(pnyx_store *s);

	/* Committed (or, inside a transaction, pending) tree size. */
	pnyx_err (*get_size)(pnyx_store *s, uint64_t *size);
	pnyx_err (*set_size)(pnyx_store *s, uint64_t size);

	pnyx_err (*put_entry)(pnyx_store *s, uint64_t index, const uint8_t *p,
			      size_t n);
	/* Appends the entry to out (PNYX_ERR_NOT_FOUND if absent). */
	pnyx_err (*get_entry)(pnyx_store *s, uint64_t index, pnyx_buf *out);
	/* Calls fn for every entry with index in [from, to) in index order,
	 * all read in one read transaction (one snapshot; inside a write
	 * transaction, its pending writes). Every index must exist, else
	 * PNYX_ERR_CORRUPT (after fn saw the entries before the gap).
	 * from >= to calls nothing. fn must not use s. Returns PNYX_OK,
	 * fn's error, PNYX_ERR_CORRUPT or PNYX_ERR_STORAGE. */
	pnyx_err (*scan_entries)(pnyx_store *s, uint64_t from, uint64_t to,
				 pnyx_entry_fn fn, void *ctx);

	pnyx_err (*put_hash)(pnyx_store *s, unsigned level, uint64_t index,
			     const pnyx_hash *h);
	/* count consecutive hashes at level from index (all must exist, else
	 * PNYX_ERR_CORRUPT). */
	pnyx_err (*get_hashes)(pnyx_store *s, unsigned level, uint64_t index,
			       size_t count, pnyx_hash *out);

	/* Checkpoints: stored inside a transaction; get returns the one with
	 * the largest size (PNYX_ERR_NOT_FOUND if none), appended to out. */
	pnyx_err (*put_checkpoint)(pnyx_store *s, uint64_t size,
				   const uint8_t *note, size_t n);
	pnyx_err (*get_checkpoint)(pnyx_store *s, pnyx_buf *out);

	/* Named metadata (key is a short ASCII name). get appends the value to
	 * out, PNYX_ERR_NOT_FOUND if absent; put inside a transaction. */
	pnyx_err (*get_meta)(pnyx_store *s, const char *key, pnyx_buf *out);
	pnyx_err (*put_meta)(pnyx_store *s, const char *key, const uint8_t *v,
			     size_t n);

	/* Closes the store and frees s. NULL is a no-op at the call site. */
	void (*close)(pnyx_store *s);
};

/* Every implementation starts with this header. */
struct pnyx_store {
	const struct pnyx_store_ops *ops;
};

typedef enum pnyx_store_mode {
	PNYX_STORE_OPEN = 0,   /* the store must exist */
	PNYX_STORE_CREATE = 1, /* the store must not exist (nor a left-over
				  write-ahead log beside it); it is created */
} pnyx_store_mode;

/* Opens or creates the SQLite store at path (WAL, synchronous=FULL).
 * Returns PNYX_OK and *out (close with (*out)->ops->close), or
 * PNYX_ERR_NOT_FOUND / PNYX_ERR_EXISTS / PNYX_ERR_STORAGE /
 * PNYX_ERR_CORRUPT (not a Pnyx store, or a newer schema) with the reason
 * in diag. */
PNYX_EXPORT pnyx_err pnyx_store_sqlite_open(const char *path,
					    pnyx_store_mode mode,
					    pnyx_store **out,
					    pnyx_diag *diag) PNYX_WUR;

/* Closes any store; NULL is a no-op. */
PNYX_EXPORT void pnyx_store_close(pnyx_store *s);

#endif
