/* The response cache of the read API (see read_cache.h). */
#include "read_cache.h"

#include "pnyx/mem.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

/* Hash chains per shard (a power of two). */
#define BUCKETS 1024u

/* One kept answer. data holds the key, then the body. Immutable once in
 * a shard except for its list links, which the shard's mutex guards. */
struct entry {
	struct entry *chain;          /* next in the hash chain */
	struct entry *newer, *older;  /* the shard's recency list */
	uint64_t hash;
	size_t key_len, body_len, cost;
	const char *content_type;     /* static strings, as the handler's */
	const char *cache_control;
	char etag[40];
	uint8_t data[];
};

struct shard {
	pthread_mutex_t mu;
	uint64_t tree_size;           /* the size every entry was made at */
	struct entry *bucket[BUCKETS];
	struct entry *newest, *oldest;
	size_t bytes;
};

struct srv_read_cache {
	size_t shard_max;             /* bytes per shard */
	size_t max_bytes;
	uint8_t hash_key[crypto_shorthash_KEYBYTES];
	atomic_uint_fast64_t hits, misses, evictions, bytes, entries;
	struct shard shard[SRV_READ_CACHE_SHARDS];
};

pnyx_err srv_read_cache_new(size_t max_bytes, struct srv_read_cache **out)
{
	assert(max_bytes > 0 && out != NULL);
	struct srv_read_cache *c = pnyx_calloc(1, sizeof *c);
	if (c == NULL)
		return PNYX_ERR_NOMEM;
	c->max_bytes = max_bytes;
	c->shard_max = max_bytes / SRV_READ_CACHE_SHARDS;
	/* keyed: a client cannot choose targets that share a chain */
	randombytes_buf(c->hash_key, sizeof c->hash_key);
	atomic_init(&c->hits, 0);
	atomic_init(&c->misses, 0);
	atomic_init(&c->evictions, 0);
	atomic_init(&c->bytes, 0);
	atomic_init(&c->entries, 0);
	for (size_t i = 0; i < SRV_READ_CACHE_SHARDS; i++) {
		if (pthread_mutex_init(&c->shard[i].mu, NULL) != 0) {
			while (i-- > 0)
				pthread_mutex_destroy(&c->shard[i].mu);
			pnyx_free(c);
			return PNYX_ERR_NOMEM;
		}
	}
	*out = c;
	return PNYX_OK;
}

/* Frees every entry of s (its mutex held, or no other thread). */
static void empty_shard(struct srv_read_cache *c, struct shard *s)
{
	size_t n = 0;
	for (struct entry *e = s->newest, *next; e != NULL; e = next) {
		next = e->older;
		pnyx_free(e);
		n++;
	}
	memset(s->bucket, 0, sizeof s->bucket);
	s->newest = s->oldest = NULL;
	atomic_fetch_sub_explicit(&c->bytes, s->bytes, memory_order_relaxed);
	atomic_fetch_sub_explicit(&c->entries, n, memory_order_relaxed);
	s->bytes = 0;
}

void srv_read_cache_free(struct srv_read_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < SRV_READ_CACHE_SHARDS; i++) {
		empty_shard(c, &c->shard[i]);
		pthread_mutex_destroy(&c->shard[i].mu);
	}
	pnyx_free(c);
}

size_t srv_read_cache_key(const struct srv_target *t, uint8_t *out)
{
	size_t order[SRV_QUERY_MAX], n = t->nparams, len = t->path_len;
	memcpy(out, srv_target_path(t), len);
	/* insertion sort by name: at most SRV_QUERY_MAX of them */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && strcmp(srv_target_name(t, order[j - 1]),
				       srv_target_name(t, i)) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = srv_target_name(t, order[i]);
		size_t vlen, nlen = strlen(name);
		const char *value = srv_target_value(t, order[i], &vlen);
		/* the target's buffer holds the same bytes with their NULs */
		assert(len + nlen + vlen + 2 <= SRV_READ_CACHE_KEY_MAX);
		out[len++] = 0;
		memcpy(out + len, name, nlen);
		len += nlen;
		out[len++] = 0;
		memcpy(out + len, value, vlen);
		len += vlen;
	}
	return len;
}

static uint64_t key_hash(const struct srv_read_cache *c, const uint8_t *key,
			 size_t key_len)
{
	uint8_t h[crypto_shorthash_BYTES];
	crypto_shorthash(h, key, key_len, c->hash_key);
	uint64_t v = 0;
	for (size_t i = 0; i < sizeof h; i++)
		v = v << 8 | h[i];
	return v;
}

static struct shard *shard_of(struct srv_read_cache *c, uint64_t hash)
{
	return &c->shard[hash >> 32 & (SRV_READ_CACHE_SHARDS - 1)];
}

static struct entry **chain_of(struct shard *s, uint64_t hash)
{
	return &s->bucket[hash & (BUCKETS - 1)];
}

/* Brings s to tree_size (its mutex held): a newer size empties it. True
 * if s now holds answers made at tree_size. */
static bool at_size(struct srv_read_cache *c, struct shard *s,
		    uint64_t tree_size)
{
	if (tree_size > s->tree_size) {
		empty_shard(c, s);
		s->tree_size = tree_size;
	}
	return tree_size == s->tree_size;
}

static struct entry *find(struct shard *s, uint64_t hash, const uint8_t *key,
			  size_t key_len)
{
	for (struct entry *e = *chain_of(s, hash); e != NULL; e = e->chain)
		if (e->hash == hash && e->key_len == key_len &&
		    memcmp(e->data, key, key_len) == 0)
			return e;
	return NULL;
}

static void unlink_list(struct shard *s, struct entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
}

static void push_newest(struct shard *s, struct entry *e)
{
	e->newer = NULL;
	e->older = s->newest;
	if (s->newest != NULL)
		s->newest->newer = e;
	else
		s->oldest = e;
	s->newest = e;
}

bool srv_read_cache_get(struct srv_read_cache *c, const uint8_t *key,
			size_t key_len, uint64_t tree_size,
			struct srv_response *resp)
{
	uint64_t hash = key_hash(c, key, key_len);
	struct shard *s = shard_of(c, hash);
	bool hit = false;
	pthread_mutex_lock(&s->mu);
	struct entry *e = at_size(c, s, tree_size)
				  ? find(s, hash, key, key_len) : NULL;
	if (e != NULL && pnyx_buf_append(&resp->body, e->data + key_len,
					 e->body_len) == PNYX_OK) {
		unlink_list(s, e);
		push_newest(s, e);
		resp->status = 200;
		resp->content_type = e->content_type;
		resp->cache_control = e->cache_control;
		resp->cacheable = true;
		memcpy(resp->etag, e->etag, sizeof resp->etag);
		hit = true;
	}
	pthread_mutex_unlock(&s->mu);
	if (e != NULL && !hit)
		pnyx_buf_reset(&resp->body); /* short of memory: build it */
	atomic_fetch_add_explicit(hit ? &c->hits : &c->misses, 1,
				  memory_order_relaxed);
	return hit;
}

/* Removes e from s (its mutex held) and frees it. */
static void drop(struct srv_read_cache *c, struct shard *s, struct entry *e)
{
	struct entry **p = chain_of(s, e->hash);
	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	unlink_list(s, e);
	s->bytes -= e->cost;
	atomic_fetch_sub_explicit(&c->bytes, e->cost, memory_order_relaxed);
	atomic_fetch_sub_explicit(&c->entries, 1, memory_order_relaxed);
	pnyx_free(e);
}

/* A new entry for key and resp, not yet in any shard; NULL if memory is
 * short. */
static struct entry *make_entry(const uint8_t *key, size_t key_len,
				uint64_t hash, const struct srv_response *resp,
				size_t cost)
{
	struct entry *e = pnyx_malloc(cost);
	if (e == NULL)
		return NULL;
	*e = (struct entry){
		.hash = hash,
		.key_len = key_len,
		.body_len = resp->body.len,
		.cost = cost,
		.content_type = resp->content_type,
		.cache_control = resp->cache_control,
	};
	memcpy(e->etag, resp->etag, sizeof e->etag);
	memcpy(e->data, key, key_len);
	if (resp->body.len > 0)
		memcpy(e->data + key_len, resp->body.data, resp->body.len);
	return e;
}

void srv_read_cache_put(struct srv_read_cache *c, const uint8_t *key,
			size_t key_len, uint64_t tree_size,
			const struct srv_response *resp)
{
	if (resp->status != 200 || resp->body.err != PNYX_OK ||
	    resp->etag[0] == 0)
		return;
	size_t cost = sizeof(struct entry) + key_len + resp->body.len;
	if (resp->body.len > c->shard_max || cost > c->shard_max)
		return;
	uint64_t hash = key_hash(c, key, key_len);
	struct shard *s = shard_of(c, hash);
	/* allocated and filled before the lock, so that it is held briefly */
	struct entry *e = make_entry(key, key_len, hash, resp, cost);
	if (e == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	if (!at_size(c, s, tree_size) || find(s, hash, key, key_len) != NULL) {
		pthread_mutex_unlock(&s->mu);
		pnyx_free(e);
		return;
	}
	while (s->oldest != NULL && s->bytes + cost > c->shard_max) {
		drop(c, s, s->oldest);
		atomic_fetch_add_explicit(&c->evictions, 1, memory_order_relaxed);
	}
	struct entry **chain = chain_of(s, hash);
	e->chain = *chain;
	*chain = e;
	push_newest(s, e);
	s->bytes += cost;
	atomic_fetch_add_explicit(&c->bytes, cost, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->entries, 1, memory_order_relaxed);
	pthread_mutex_unlock(&s->mu);
}

void srv_read_cache_stats(struct srv_read_cache *c,
			  struct srv_read_cache_stats *out)
{
	*out = (struct srv_read_cache_stats){
		.hits = atomic_load_explicit(&c->hits, memory_order_relaxed),
		.misses = atomic_load_explicit(&c->misses, memory_order_relaxed),
		.evictions = atomic_load_explicit(&c->evictions,
						  memory_order_relaxed),
		.bytes = atomic_load_explicit(&c->bytes, memory_order_relaxed),
		.entries = atomic_load_explicit(&c->entries, memory_order_relaxed),
		.max_bytes = c->max_bytes,
	};
}

pnyx_err srv_read_cache_metrics(struct srv_read_cache *c, pnyx_buf *out)
{
	static const struct {
		const char *name, *type, *help;
	} m[] = {
		{"pnyx_read_cache_hits_total", "counter",
		 "Read API answers served from the response cache."},
		{"pnyx_read_cache_misses_total", "counter",
		 "Read API answers built afresh (not in the response cache)."},
		{"pnyx_read_cache_evictions_total", "counter",
		 "Response cache entries dropped to stay under its cap."},
		{"pnyx_read_cache_bytes", "gauge",
		 "Bytes the response cache holds (keys, bodies, bookkeeping)."},
		{"pnyx_read_cache_entries", "gauge",
		 "Answers the response cache holds."},
		{"pnyx_read_cache_max_bytes", "gauge",
		 "The response cache's cap in bytes."},
	};
	struct srv_read_cache_stats st;
	srv_read_cache_stats(c, &st);
	const uint64_t v[] = {st.hits, st.misses, st.evictions, st.bytes,
			      st.entries, st.max_bytes};
	_Static_assert(sizeof v / sizeof *v == sizeof m / sizeof *m,
		       "one value per metric");
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		pnyx_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
				m[i].name, m[i].help, m[i].name, m[i].type,
				m[i].name, (unsigned long long)v[i]);
	return out->err;
}
