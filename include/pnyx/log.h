/*
 * pnyx/log.h — a durable, append-only, verifiable log of entries over a
 * pnyx_store: RFC 6962 Merkle hashing, C2SP checkpoints signed by the log's
 * key, inclusion and consistency proofs in O(log n) store reads.
 *
 * Entries are opaque bytes, 1 to max_entry bytes (at most 65,535, the C2SP
 * entry-bundle limit). Every append is one transaction: when it returns
 * PNYX_OK the entries are durable and visible; when it returns an error the
 * log (in memory and in the store) is exactly as before. The in-memory tree
 * state changes only after the durable commit.
 *
 * A pnyx_log is used by one thread at a time.
 */
#ifndef PNYX_LOG_H
#define PNYX_LOG_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"
#include "pnyx/merkle.h"
#include "pnyx/store.h"

#define PNYX_ENTRY_MAX 65535

typedef struct pnyx_log pnyx_log;

/* One entry to append, borrowed for the call. */
typedef struct pnyx_entry {
	const uint8_t *p;
	size_t n;
} pnyx_entry;

/* Creates an empty log in a new store: records the log's verifier key
 * (whose name is the log's origin). Takes ownership of store in every case.
 * Returns PNYX_OK and *out (close with pnyx_log_close) or an error. */
PNYX_EXPORT pnyx_err pnyx_log_create(pnyx_store *store,
				     const pnyx_verifier *key, pnyx_log **out,
				     pnyx_diag *diag) PNYX_WUR;

/* Opens an existing log: reads its size, key and right edge (O(log n)
 * reads). Takes ownership of store in every case. PNYX_ERR_CORRUPT if the
 * store is not a log or contradicts itself. */
PNYX_EXPORT pnyx_err pnyx_log_open(pnyx_store *store, pnyx_log **out,
				   pnyx_diag *diag) PNYX_WUR;

/* Closes the log and its store. NULL is a no-op. */
PNYX_EXPORT void pnyx_log_close(pnyx_log *log);

/* Appends n entries (n >= 1) in one durable transaction with consecutive
 * indices; *first (may be NULL) receives the index of the first.
 * PNYX_ERR_TOO_LARGE for an entry over PNYX_ENTRY_MAX, PNYX_ERR_MALFORMED
 * for an empty entry (nothing is written then), PNYX_ERR_STORAGE /
 * PNYX_ERR_NOMEM on failure. */
PNYX_EXPORT pnyx_err pnyx_log_append(pnyx_log *log, const pnyx_entry *entries,
				     size_t n, uint64_t *first,
				     pnyx_diag *diag) PNYX_WUR;

/* Number of entries committed. */
PNYX_EXPORT uint64_t pnyx_log_size(const pnyx_log *log);

/* Root hash of the committed tree. */
PNYX_EXPORT void pnyx_log_root(const pnyx_log *log, pnyx_hash *out);

/* The log's verifier key (its name is the origin), borrowed from log. */
PNYX_EXPORT const pnyx_verifier *pnyx_log_key(const pnyx_log *log);

/* Appends entry index to out. PNYX_ERR_RANGE past the end. */
PNYX_EXPORT pnyx_err pnyx_log_entry(pnyx_log *log, uint64_t index,
				    pnyx_buf *out) PNYX_WUR;

/* Calls fn(ctx, index, p, n) for every entry with index in [from, to), in
 * index order, reading them in one read transaction of the store (one
 * snapshot), far cheaper than pnyx_log_entry in a loop. Requires
 * from <= to <= pnyx_log_size(log), else PNYX_ERR_RANGE (fn not called);
 * from == to calls nothing and returns PNYX_OK. The entry bytes p (n of
 * them, 1 to PNYX_ENTRY_MAX) are borrowed from the store and valid only
 * during that call: copy what must outlive it. fn returning anything but
 * PNYX_OK stops the scan, which returns that value. Otherwise PNYX_OK once
 * fn saw every entry, PNYX_ERR_CORRUPT for a missing or empty stored entry,
 * PNYX_ERR_STORAGE if the store fails (fn may then have seen a prefix of
 * the range: a caller that must be all or nothing undoes it). fn must not
 * use log (nor scan it again) during the call; ctx is passed through. */
PNYX_EXPORT pnyx_err pnyx_log_scan(pnyx_log *log, uint64_t from, uint64_t to,
				   pnyx_entry_fn fn, void *ctx) PNYX_WUR;

/* Root of the tree of the first size entries (size <= log size). */
PNYX_EXPORT pnyx_err pnyx_log_root_at(pnyx_log *log, uint64_t size,
				      pnyx_hash *out) PNYX_WUR;

/* Hashes of count consecutive complete subtrees at level from index, as
 * pnyx_merkle_reader; all must lie inside the committed tree. */
PNYX_EXPORT pnyx_err pnyx_log_read_hashes(pnyx_log *log, unsigned level,
					  uint64_t index, size_t count,
					  pnyx_hash *out) PNYX_WUR;

/* Inclusion proof of entry index in the tree of size entries (both within
 * the committed log). proof has PNYX_MERKLE_MAX_PROOF slots. */
PNYX_EXPORT pnyx_err pnyx_log_inclusion_proof(pnyx_log *log, uint64_t index,
					      uint64_t size, pnyx_hash *proof,
					      size_t *n) PNYX_WUR;

/* Consistency proof from old to size entries (old <= size <= log size). */
PNYX_EXPORT pnyx_err pnyx_log_consistency_proof(pnyx_log *log, uint64_t old,
						uint64_t size,
						pnyx_hash *proof,
						size_t *n) PNYX_WUR;

/* Signs a C2SP checkpoint of the committed tree with signer (which must be
 * the log's key: PNYX_ERR_MISMATCH otherwise), stores it durably, and
 * appends the signed note to out. */
PNYX_EXPORT pnyx_err pnyx_log_checkpoint(pnyx_log *log,
					 const pnyx_signer *signer,
					 pnyx_buf *out, pnyx_diag *diag)
	PNYX_WUR;

/* Appends the latest stored checkpoint (a signed note) to out;
 * PNYX_ERR_NOT_FOUND if none was signed yet. */
PNYX_EXPORT pnyx_err pnyx_log_latest_checkpoint(pnyx_log *log, pnyx_buf *out)
	PNYX_WUR;

#endif
