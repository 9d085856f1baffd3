/*
 * The response cache of the read API (read_cache.c): encoded 200 answers
 * of the read handlers, kept until the log grows.
 *
 * An answer of the read API depends only on its request (path and query
 * parameters, ?lang among them) and on the forum's committed state, which
 * changes only when the log grows. So an entry is keyed by the request's
 * canonical form (srv_read_cache_key) and remembers the tree size of the
 * state it was made from; it is served only to a request that finds the
 * committed state at that same size (read under the state's read lock,
 * which the sequencer holds for writing while the size changes). The
 * first request that sees a newer size empties the shard it falls in.
 *
 * Only 200 answers are kept: problems (400, 404, 503) are cheap to build
 * and a flood of unknown ids must not push the real pages out.
 *
 * Memory: at most the cap given to srv_read_cache_new, counting each
 * entry's key, body and bookkeeping; the cap is split evenly between
 * SRV_READ_CACHE_SHARDS shards, each with its own mutex and its own
 * least-recently-used order, and an answer larger than a shard's share is
 * not kept. Thread-safe throughout.
 */
#ifndef PNYX_SERVER_READ_CACHE_H
#define PNYX_SERVER_READ_CACHE_H

#include "http.h"

/* The cap `pnyx serve` uses: 64 MiB. */
#define SRV_READ_CACHE_BYTES (64u * 1024u * 1024u)
/* Independent parts of the cache (a power of two). */
#define SRV_READ_CACHE_SHARDS 16u
/* Longest key srv_read_cache_key makes. */
#define SRV_READ_CACHE_KEY_MAX (sizeof(((struct srv_target *)0)->buf))

struct srv_read_cache;

/* Figures for /metrics and tests. */
struct srv_read_cache_stats {
	uint64_t hits;       /* answers served from the cache */
	uint64_t misses;     /* cacheable requests built afresh */
	uint64_t evictions;  /* entries dropped to stay under the cap */
	uint64_t bytes;      /* held now (keys, bodies and bookkeeping) */
	uint64_t entries;    /* held now */
	uint64_t max_bytes;  /* the cap */
};

/* Makes an empty cache holding at most max_bytes (> 0). Returns PNYX_OK
 * and *out (free with srv_read_cache_free), or PNYX_ERR_NOMEM. */
pnyx_err srv_read_cache_new(size_t max_bytes, struct srv_read_cache **out)
	PNYX_WUR;

/* Frees c and every entry; NULL is a no-op. No other call on c may run. */
void srv_read_cache_free(struct srv_read_cache *c);

/* Writes the canonical key of target t into out (SRV_READ_CACHE_KEY_MAX
 * bytes) and returns its length: the decoded path, then each query
 * parameter in byte order of its name as NUL, name, NUL, value. Two
 * targets that differ only in the order or the escaping of their
 * parameters have the same key. */
size_t srv_read_cache_key(const struct srv_target *t, uint8_t *out);

/* Looks up key (key_len bytes) made at tree_size, the committed size the
 * caller reads under the state's read lock. On a hit, fills resp (a fresh
 * response: status, content type, cache control, ETag and a copy of the
 * body) and returns true; otherwise leaves resp as it was and returns
 * false. Counts a hit or a miss. */
bool srv_read_cache_get(struct srv_read_cache *c, const uint8_t *key,
			size_t key_len, uint64_t tree_size,
			struct srv_response *resp);

/* Keeps resp (a 200 whose ETag is set) as the answer to key at
 * tree_size. Does nothing if resp is not a 200, if it is too large for
 * a shard, if memory is short, if the key is held already, or if the
 * cache has seen a newer size (the answer is stale already). */
void srv_read_cache_put(struct srv_read_cache *c, const uint8_t *key,
			size_t key_len, uint64_t tree_size,
			const struct srv_response *resp);

/* The cache's figures now (each read without stopping the others). */
void srv_read_cache_stats(struct srv_read_cache *c,
			  struct srv_read_cache_stats *out);

/* Appends the pnyx_read_cache_* metrics (Prometheus text) to out;
 * returns out->err. */
pnyx_err srv_read_cache_metrics(struct srv_read_cache *c, pnyx_buf *out)
	PNYX_WUR;

#endif
