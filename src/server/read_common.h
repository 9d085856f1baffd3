/*
 * What every read API handler shares (read_common.c): the query
 * parameters (?limit, ?after, ?lang), the state under its read lock, the
 * envelope and the encoding of the answer, and pagination over the
 * sections of the state that are JSON objects keyed by id.
 *
 * Every answer is one canonical JSON object (pnyx/json.h) with
 *   "forum": {"id", "title", "training"}  the forum the state is of
 *   "tree_size": N                        leaves of the log it reflects
 *   "notice": "..."                       only for a training forum
 * and the handler's own members. A list puts
 *   "items": [...], "next": cursor or null
 * where the cursor is the id of the last item (pass it as ?after=).
 *
 * A handler:
 *   struct read_ctx c;
 *   if (!read_begin(&c, req, resp)) return;   // answered already
 *   ... read_section(&c, "decisions") ... read_put(&c, "decision", v) ...
 *   read_end(&c);                             // encodes, unlocks
 * The state's read lock is held from read_begin to read_end, while the
 * answer is built and encoded (the answer borrows the state's values);
 * read_end always releases it (read_release may do so earlier). Not thread-shared: one ctx per request.
 *
 * With a response cache (app->read_cache, read_cache.h), read_begin first
 * looks the request up at the committed tree size and, on a hit, answers
 * with the kept body and ETag and returns false like any early answer;
 * read_end keeps every 200 it encodes, with its ETag, for that size.
 */
#ifndef PNYX_SERVER_READ_COMMON_H
#define PNYX_SERVER_READ_COMMON_H

#include "http.h"
#include "read_cache.h"

#include <jansson.h>

#define READ_LIMIT_DEFAULT 100
#define READ_LIMIT_MAX 1000

/* ?limit and ?after of a list. */
struct read_page {
	size_t limit;       /* 1 .. READ_LIMIT_MAX */
	const char *after;  /* NULL: from the start; else the cursor text
			       (borrowed from the request's target) */
};

/* The value of query parameter name (NUL-terminated, borrowed from the
 * request), or NULL if it is not given. */
const char *read_query(const struct srv_request *req, const char *name);

/* Reads ?limit (default READ_LIMIT_DEFAULT, a canonical decimal 1 ..
 * READ_LIMIT_MAX). False after making resp a bad-parameter problem. */
bool read_limit(const struct srv_request *req, struct srv_response *resp,
		size_t *out);

/* Reads ?limit and ?after for a list keyed by ids: after, if given, must
 * be an id (pnyx_id_is_valid). False after making resp a bad-parameter
 * problem. */
bool read_page_of_ids(const struct srv_request *req,
		      struct srv_response *resp, struct read_page *out);

/* Reads ?lang: "ar", "en", "es", "fr", "ru" or "zh" (default "en"); *out
 * is a static string. False after making resp an unsupported-language
 * problem. */
bool read_lang(const struct srv_request *req, struct srv_response *resp,
	       const char **out);


struct read_ctx {
	struct srv_response *resp;
	struct srv_sequencer *seq;  /* its state lock is held */
	const pnyx_state *st;
	const json_t *state;        /* the state's JSON, borrowed */
	json_t *doc;                /* the answer; NULL once failed */
	uint64_t tree_size;
	bool locked;                /* the state's read lock is held */
	struct srv_read_cache *cache; /* NULL: no response cache */
	size_t key_len;             /* the request's key in the cache */
	uint8_t key[SRV_READ_CACHE_KEY_MAX];
};

/* Takes the state's read lock and starts the answer with the envelope.
 * False (lock not held, resp answered) if the response cache holds the
 * answer at the committed size (200, from the cache), the server has no
 * state (503 unavailable), the log holds no forum yet (404 not-found), or
 * memory is short. */
bool read_begin(struct read_ctx *c, const struct srv_request *req,
		struct srv_response *resp);

/* A new answer holding the envelope (forum, tree_size, notice) for the
 * state's section "forum" and a log of tree_size entries; NULL if memory
 * is short. */
json_t *read_envelope(const json_t *forum, uint64_t tree_size);

/* Section name of the state (an object), or NULL if absent. */
const json_t *read_section(const struct read_ctx *c, const char *name);

/* Sets member key of the answer to v (a new reference, stolen; NULL
 * means out of memory and fails the answer). No-op once failed. */
void read_put(struct read_ctx *c, const char *key, json_t *v);

/* Sets obj[key] = v (a new reference, stolen even on failure). False if v
 * is NULL (memory was short) or it cannot be set. */
bool read_set(json_t *obj, const char *key, json_t *v);

/* Fails the answer with a problem (code from problem.c's table); the
 * detail must not quote the request. */
void read_fail(struct read_ctx *c, const char *code, const char *fmt, ...)
	PNYX_PRINTF(3, 4);

/* Releases the state's lock early (no-op if released): from then on the
 * answer may hold no value borrowed from the state, and st and state are
 * NULL. For answers that go on to read the log (lock order: the state,
 * then the log). */
void read_release(struct read_ctx *c);

/* Encodes the answer (200, application/json, revalidated with its ETag)
 * unless it failed, keeps it in the response cache, and releases the
 * state's lock if still held. */
void read_end(struct read_ctx *c);

/* A shallow copy of obj (an object or an array; its values shared), or
 * NULL if memory is short. Unlike json_copy, which drops a member it
 * cannot add and returns the rest, it never returns a partial copy (an
 * answer is kept in the response cache). */
json_t *read_copy(const json_t *obj);

/* A shallow copy of obj (an object; its values shared) with member key
 * set to the string value, or NULL if memory is short. */
json_t *read_copy_with(const json_t *obj, const char *key, const char *value);

/* Keeps an item of a list (filters, e.g. ?status); arg is the list's. */
typedef bool (*read_keep_fn)(const json_t *value, void *arg);
/* Makes the item for key and value: a new reference, NULL if memory is
 * short. */
typedef json_t *(*read_item_fn)(const char *key, const json_t *value,
				void *arg);

/* Puts "items" and "next": the members of obj (an object, or NULL for
 * none) with keys after pg->after in byte order, those keep accepts (all
 * when keep is NULL), at most pg->limit, each made by item. */
void read_list(struct read_ctx *c, const json_t *obj,
	       const struct read_page *pg, read_keep_fn keep,
	       read_item_fn item, void *arg);

#endif
