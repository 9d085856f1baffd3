/*
 * Tests for the response cache of the read API (src/server/read_cache.c
 * and its use in read_common.c), without the network: a forum written by
 * tests/forum_writer (its path is argv[1]) served by a real sequencer,
 * exchanges fed directly as tests/test_server_read.c does.
 *
 * A second identical GET is a hit with the byte-identical body and ETag
 * of an uncached server; after a POST the next GET is built afresh at the
 * new tree size (never the old answer) with a new ETag; each ?lang= and
 * each query is its own entry, the order of parameters is not; problems
 * are not kept; the cap holds while entries are evicted and an answer
 * too large for a shard is not kept; /metrics shows the counters;
 * readers beside a writing sequencer get only answers at least as new as
 * the committed size when they asked, each internally consistent; every
 * allocation failing in turn, on a hit and on a miss.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/action.h"
#include "pnyx/country.h"
#include "pnyx/fault.h"
#include "pnyx/note.h"

#include "../src/server/http.h"
#include "../src/server/logview.h"
#include "../src/server/read_api.h"
#include "../src/server/read_cache.h"
#include "../src/server/sequencer.h"
#include "server_fixture.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))

static const char *forum_writer;
static char dir[4096];
static struct srv_app app;      /* with a cache of SRV_READ_CACHE_BYTES */
static struct srv_app plain;    /* the same without a cache */
static struct srv_exchange ex;  /* large: off the stack */
static json_t *doc;             /* the last answer, parsed */
static json_int_t fji_seq = 1;  /* FJI's next sequence number */

static int setup(void **state)
{
	(void)state;
	sfx_start(&app, forum_writer, "server_cache", dir, sizeof dir);
	assert_int_equal(srv_read_cache_new(SRV_READ_CACHE_BYTES, &app.read_cache),
			 PNYX_OK);
	plain = app;
	plain.read_cache = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(doc);
	srv_exchange_clear(&ex);
	srv_read_cache_free(app.read_cache);
	sfx_stop(&app);
	return 0;
}

/* Runs one exchange on a (body may be NULL) without parsing the answer
 * (jansson allocates through pnyx_malloc, which the fault loop fails). */
static unsigned exchange(struct srv_app *a, const char *method,
			 const char *target, const char *inm,
			 const pnyx_buf *body)
{
	srv_exchange_clear(&ex);
	srv_exchange_begin(a, &ex, method, U8(target), strlen(target));
	if (body != NULL)
		srv_exchange_body(&ex, body->data, body->len);
	srv_exchange_finish(a, &ex, inm, NULL);
	return ex.resp.status;
}

/* The same, parsing the answer into doc. */
static unsigned run(struct srv_app *a, const char *method, const char *target,
		    const char *inm, const pnyx_buf *body)
{
	unsigned status = exchange(a, method, target, inm, body);
	json_decref(doc);
	doc = ex.resp.body.len > 0
		      ? json_loadb((const char *)ex.resp.body.data,
				   ex.resp.body.len, 0, NULL)
		      : NULL;
	return status;
}

static struct srv_read_cache_stats stats(struct srv_read_cache *c)
{
	struct srv_read_cache_stats st;
	srv_read_cache_stats(c, &st);
	return st;
}

/* An answer kept aside: status, body and ETag. */
struct answer {
	unsigned status;
	char etag[40];
	size_t len;
	char *body;
};

static struct answer take(void)
{
	struct answer a = {.status = ex.resp.status, .len = ex.resp.body.len};
	memcpy(a.etag, ex.resp.etag, sizeof a.etag);
	a.body = malloc(a.len + 1);
	assert_non_null(a.body);
	memcpy(a.body, ex.resp.body.data, a.len);
	a.body[a.len] = 0;
	return a;
}

static void assert_same(const struct answer *a, const struct answer *b)
{
	assert_int_equal(a->status, b->status);
	assert_string_equal(a->etag, b->etag);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->body, b->body, a->len);
}

/* GET target on a; the answer, which must be a 200. */
static struct answer get_ok(struct srv_app *a, const char *target)
{
	unsigned status = run(a, "GET", target, NULL, NULL);
	if (status != 200)
		fail_msg("%s: %u", target, status);
	return take();
}

static json_int_t tree_size(void)
{
	return json_integer_value(json_object_get(doc, "tree_size"));
}

static size_t explanations(void)
{
	return json_array_size(json_object_get(json_object_get(doc, "decision"),
					       "explanations"));
}

/* Posts FJI's next explanation of dec-report (text); returns the status. */
static unsigned post_explanation(const char *text)
{
	pnyx_buf note;
	sfx_sign_action(dir, "FJI", fji_seq, "position.explain",
			json_pack("{s:s,s:{s:s},s:s}", "decision", "dec-report",
				  "text", "en", text, "when", "after"),
			&note);
	unsigned status = exchange(&app, "POST", "/v1/actions", NULL, &note);
	pnyx_buf_clear(&note);
	fji_seq += status == 201;
	return status;
}

static void keys(void **state)
{
	(void)state;
	static const char *same[] = {
		"/v1/members?lang=fr&limit=3", "/v1/members?limit=3&lang=fr",
		"/v1/members?limit=%33&lang=f%72",
	};
	static const char *other[] = {
		"/v1/members?lang=ar&limit=3", "/v1/members?limit=3",
		"/v1/members", "/v1/members?lang=fr", "/v1/members/fr?limit=3",
		"/v1/members?lang=fr&limit=3&after=FRA",
	};
	uint8_t k0[SRV_READ_CACHE_KEY_MAX], k[SRV_READ_CACHE_KEY_MAX];
	struct srv_target t;
	assert_int_equal(srv_target_parse(U8(same[0]), strlen(same[0]), &t, NULL),
			 PNYX_OK);
	size_t n0 = srv_read_cache_key(&t, k0);
	for (size_t i = 1; i < sizeof same / sizeof *same; i++) {
		assert_int_equal(srv_target_parse(U8(same[i]), strlen(same[i]),
						  &t, NULL), PNYX_OK);
		assert_int_equal(srv_read_cache_key(&t, k), n0);
		assert_memory_equal(k, k0, n0);
	}
	for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
		assert_int_equal(srv_target_parse(U8(other[i]), strlen(other[i]),
						  &t, NULL), PNYX_OK);
		size_t n = srv_read_cache_key(&t, k);
		assert_false(n == n0 && memcmp(k, k0, n) == 0);
	}
}

/* The second GET is a hit: the same bytes and ETag as the first, and as
 * a server without a cache; HEAD and If-None-Match are hits too. */
static void second_get_is_a_hit(void **state)
{
	(void)state;
	const char *target = "/v1/decisions/dec-report";
	struct srv_read_cache_stats s0 = stats(app.read_cache);
	struct answer first = get_ok(&app, target);
	struct srv_read_cache_stats s1 = stats(app.read_cache);
	assert_int_equal(s1.misses, s0.misses + 1);
	assert_int_equal(s1.hits, s0.hits);
	assert_int_equal(s1.entries, s0.entries + 1);
	struct answer second = get_ok(&app, target);
	struct srv_read_cache_stats s2 = stats(app.read_cache);
	assert_int_equal(s2.hits, s1.hits + 1);
	assert_int_equal(s2.misses, s1.misses);
	assert_same(&first, &second);
	assert_string_equal(ex.resp.content_type, "application/json");
	assert_string_equal(ex.resp.cache_control, "no-cache");
	struct answer built = get_ok(&plain, target);
	assert_same(&first, &built);
	/* the ETag is that of the body */
	srv_response_set_etag(&ex.resp);
	assert_string_equal(ex.resp.etag, first.etag);
	assert_int_equal(run(&app, "HEAD", target, NULL, NULL), 200);
	assert_string_equal(ex.resp.etag, first.etag);
	assert_int_equal(run(&app, "GET", target, first.etag, NULL), 304);
	assert_string_equal(ex.resp.etag, first.etag);
	assert_int_equal(stats(app.read_cache).hits, s2.hits + 2);
	free(first.body);
	free(second.body);
	free(built.body);
}

/* Each language is an entry of its own; the order of parameters is not. */
static void languages(void **state)
{
	(void)state;
	struct srv_read_cache_stats s0 = stats(app.read_cache);
	struct answer fr = get_ok(&app, "/v1/members/FRA?lang=fr");
	struct answer ar = get_ok(&app, "/v1/members/FRA?lang=ar");
	assert_string_not_equal(fr.etag, ar.etag);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(doc, "member"), "name")), "فرنسا");
	struct answer fr2 = get_ok(&app, "/v1/members/FRA?lang=f%72");
	struct answer ar2 = get_ok(&app, "/v1/members/FRA?lang=ar");
	assert_same(&fr, &fr2);
	assert_same(&ar, &ar2);
	struct srv_read_cache_stats s1 = stats(app.read_cache);
	assert_int_equal(s1.misses, s0.misses + 2);
	assert_int_equal(s1.hits, s0.hits + 2);
	assert_int_equal(s1.entries, s0.entries + 2);
	/* same parameters in another order: a hit */
	struct answer p1 = get_ok(&app, "/v1/members?lang=es&limit=2");
	struct answer p2 = get_ok(&app, "/v1/members?limit=2&lang=es");
	assert_same(&p1, &p2);
	assert_int_equal(stats(app.read_cache).hits, s1.hits + 1);
	struct answer *all[] = {&fr, &ar, &fr2, &ar2, &p1, &p2};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(all[i]->body);
}

/* Problems are answered but not kept. */
static void problems_are_not_kept(void **state)
{
	(void)state;
	struct srv_read_cache_stats s0 = stats(app.read_cache);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(run(&app, "GET", "/v1/decisions/nope", NULL, NULL), 404);
		assert_string_equal(ex.resp.code, "not-found");
		assert_int_equal(run(&app, "GET", "/v1/members?lang=de", NULL, NULL),
				 400);
	}
	struct srv_read_cache_stats s1 = stats(app.read_cache);
	assert_int_equal(s1.entries, s0.entries);
	assert_int_equal(s1.hits, s0.hits);
}

/* After a POST that changes the decision, the next GET is built at the
 * new size: the new explanation, a new ETag; then it is a hit again. */
static void no_stale_answer(void **state)
{
	(void)state;
	const char *target = "/v1/decisions/dec-report";
	struct answer before = get_ok(&app, target);
	json_int_t size = tree_size();
	size_t n = explanations();
	struct answer again = get_ok(&app, target);
	assert_same(&before, &again);
	assert_int_equal(post_explanation("Cached or not, we explain."), 201);
	struct srv_read_cache_stats s0 = stats(app.read_cache);
	struct answer after = get_ok(&app, target);
	assert_int_equal(stats(app.read_cache).misses, s0.misses + 1);
	assert_int_equal(tree_size(), size + 1);
	assert_int_equal(explanations(), n + 1);
	assert_string_not_equal(after.etag, before.etag);
	/* the old ETag no longer matches: a 200 with the new body */
	assert_int_equal(run(&app, "GET", target, before.etag, NULL), 200);
	struct answer hit = take();
	assert_same(&after, &hit);
	assert_int_equal(stats(app.read_cache).hits, s0.hits + 1);
	struct answer built = get_ok(&plain, target);
	assert_same(&after, &built);
	/* the actor's next_seq moved too */
	free(get_ok(&app, "/v1/actors/FJI").body);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(doc, "actor"), "next_seq")), fji_seq);
	struct answer *all[] = {&before, &again, &after, &hit, &built};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(all[i]->body);
}

/* A small cache never holds more than its cap, evicts the least recently
 * used, and keeps no answer larger than a shard's share. */
static void cap(void **state)
{
	(void)state;
	struct srv_app small = app;
	size_t max = SRV_READ_CACHE_SHARDS * 4096;
	assert_int_equal(srv_read_cache_new(max, &small.read_cache), PNYX_OK);
	static const char *const langs[] = {"ar", "en", "es", "fr", "ru", "zh"};
	char target[128];
	for (int round = 0; round < 2; round++) {
		for (size_t limit = 1; limit <= 60; limit++) {
			snprintf(target, sizeof target, "/v1/members?limit=%zu&lang=%s",
				 limit % 13 + 1, langs[limit % 6]);
			struct answer a = get_ok(&small, target);
			struct answer a2 = get_ok(&small, target);
			struct answer b = get_ok(&plain, target);
			assert_same(&a, &b);
			assert_same(&a2, &b);
			free(a.body);
			free(a2.body);
			free(b.body);
			struct srv_read_cache_stats st = stats(small.read_cache);
			assert_true(st.bytes <= max);
			assert_int_equal(st.max_bytes, max);
		}
	}
	struct srv_read_cache_stats st = stats(small.read_cache);
	assert_true(st.evictions > 0);
	assert_true(st.hits > 0);
	assert_true(st.entries > 0);
	/* dec-report's page (about 2 KB here) in a cache of 16 x 512 B */
	srv_read_cache_free(small.read_cache);
	assert_int_equal(srv_read_cache_new(SRV_READ_CACHE_SHARDS * 512,
					    &small.read_cache), PNYX_OK);
	for (int i = 0; i < 2; i++)
		free(get_ok(&small, "/v1/decisions/dec-report").body);
	st = stats(small.read_cache);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	assert_int_equal(st.misses, 2);
	srv_read_cache_free(small.read_cache);
}

static void metrics(void **state)
{
	(void)state;
	free(get_ok(&app, "/v1/forum").body);
	free(get_ok(&app, "/v1/forum").body);
	struct srv_read_cache_stats st = stats(app.read_cache);
	assert_int_equal(run(&app, "GET", "/metrics", NULL, NULL), 200);
	char want[128];
	const char *text = (const char *)ex.resp.body.data;
	snprintf(want, sizeof want, "\npnyx_read_cache_hits_total %llu\n",
		 (unsigned long long)st.hits);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof want, "\npnyx_read_cache_misses_total %llu\n",
		 (unsigned long long)st.misses);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof want, "\npnyx_read_cache_bytes %llu\n",
		 (unsigned long long)st.bytes);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "# TYPE pnyx_read_cache_hits_total counter\n"));
	assert_non_null(strstr(text, "# TYPE pnyx_read_cache_bytes gauge\n"));
	assert_non_null(strstr(text, "\npnyx_read_cache_max_bytes 67108864\n"));
	assert_non_null(strstr(text, "\npnyx_read_cache_evictions_total 0\n"));
	assert_non_null(strstr(text, "\npnyx_read_cache_entries "));
}

/* For the fault loop: an empty cache for a miss (cold), else the warm
 * one as it is. */
static void ready(struct srv_app *a, bool warm)
{
	if (warm)
		return;
	srv_read_cache_free(a->read_cache);
	assert_int_equal(srv_read_cache_new(1u << 20, &a->read_cache), PNYX_OK);
}

/* GET target on a with every fault point failing in turn: the answer
 * is want or a 5xx problem. */
static void fail_each(struct srv_app *a, const char *target, bool warm,
		      const struct answer *want)
{
	ready(a, warm);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	exchange(a, "GET", target, NULL, NULL);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_true(points > 0);
	for (uint64_t k = 1; k <= points; k++) {
		ready(a, warm);
		pnyx_fault_arm(k);
		unsigned got = exchange(a, "GET", target, NULL, NULL);
		pnyx_fault_disarm();
		if (got == 200) {
			struct answer b = take();
			assert_same(want, &b);
			free(b.body);
		} else if (got < 500) {
			fail_msg("%s, fault %llu: %u", target,
				 (unsigned long long)k, got);
		}
	}
}

/* Every allocation fails in turn, on a hit (warm cache) and on a miss (a
 * new cache each time): the answer is the right one or a 5xx problem, and
 * nothing leaks (ASan checks). The sequencer is idle. */
static void faults(void **state)
{
	(void)state;
	static const char *targets[] = {
		"/v1/forum", "/v1/members?lang=ar&limit=3",
		"/v1/members/FRA", "/v1/actors/KEN",
		"/v1/decisions?status=closed", "/v1/decisions/dec-report",
		"/v1/documents", "/v1/documents/draft-norms",
		"/v1/documents/draft-norms/revisions/1",
		"/v1/documents/draft-norms/diff?from=1&to=2",
		"/v1/stakeholders", "/v1/stakeholders/sh.acme",
		"/v1/commitments", "/v1/commitments/NOR",
	};
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		for (int warm = 0; warm < 2; warm++) {
			struct srv_app a = app;
			assert_int_equal(srv_read_cache_new(1u << 20, &a.read_cache),
					 PNYX_OK);
			assert_int_equal(exchange(&a, "GET", targets[i], NULL, NULL),
					 200);
			struct answer want = take();
			fail_each(&a, targets[i], warm, &want);
			/* a hit after the faults is still the same answer */
			for (int k = 0; k < 2; k++) {
				assert_int_equal(exchange(&a, "GET", targets[i], NULL,
							  NULL), 200);
				struct answer last = take();
				assert_same(&want, &last);
				free(last.body);
			}
			assert_true(stats(a.read_cache).hits > 0);
			free(want.body);
			srv_read_cache_free(a.read_cache);
		}
	}
}

#define READERS 4
#define POSTS 30

struct reader {
	pthread_t thread;
	json_int_t first;      /* explanations at tree size `at` */
	json_int_t at;
	size_t answers;
	const char *error;
	_Atomic bool *stop;
};

/* The committed tree size now. */
static json_int_t committed(void)
{
	const pnyx_state *st = srv_sequencer_lock_state(app.seq);
	json_int_t n = (json_int_t)pnyx_state_leaves(st);
	srv_sequencer_unlock_state(app.seq);
	return n;
}

/* One GET of dec-report through the cache: a 200 whose tree_size is at
 * least the committed size before the request and not below the last
 * this reader saw, whose explanations match its tree_size, and whose
 * ETag is that of its body. */
static const char *check_once(struct reader *r, struct srv_exchange *x,
			      json_int_t *last)
{
	static const char target[] = "/v1/decisions/dec-report";
	json_int_t floor = committed();
	srv_exchange_begin(&app, x, "GET", U8(target), strlen(target));
	srv_exchange_finish(&app, x, NULL, NULL);
	char tag[40];
	memcpy(tag, x->resp.etag, sizeof tag);
	srv_response_set_etag(&x->resp);
	json_t *d = x->resp.status == 200
			    ? json_loadb((const char *)x->resp.body.data,
					 x->resp.body.len, 0, NULL) : NULL;
	json_int_t size = json_integer_value(json_object_get(d, "tree_size"));
	size_t n = json_array_size(json_object_get(
		json_object_get(d, "decision"), "explanations"));
	const char *err = d == NULL ? "not a 200 JSON answer"
		: size < floor ? "an answer older than the committed size"
		: size < *last ? "an answer older than one seen before"
		: (json_int_t)n != r->first + size - r->at
			? "the explanations do not match the tree size"
		: strcmp(tag, x->resp.etag) != 0 ? "an ETag not of its body"
		: NULL;
	*last = size;
	json_decref(d);
	srv_exchange_clear(x);
	return err;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct srv_exchange *x = calloc(1, sizeof *x);
	json_int_t last = 0;
	while (r->error == NULL && !*r->stop) {
		r->error = check_once(r, x, &last);
		r->answers++;
	}
	free(x);
	return NULL;
}

static void readers_beside_the_sequencer(void **state)
{
	(void)state;
	free(get_ok(&app, "/v1/decisions/dec-report").body);
	json_int_t first = (json_int_t)explanations(), at = tree_size();
	struct srv_read_cache_stats s0 = stats(app.read_cache);
	_Atomic bool stop = false;
	struct reader r[READERS];
	for (size_t i = 0; i < READERS; i++) {
		r[i] = (struct reader){.first = first, .at = at, .stop = &stop};
		assert_int_equal(pthread_create(&r[i].thread, NULL, reader_main, &r[i]), 0);
	}
	for (int i = 0; i < POSTS; i++) {
		char text[64];
		snprintf(text, sizeof text, "Explanation %d.", i);
		assert_int_equal(post_explanation(text), 201);
	}
	stop = true;
	for (size_t i = 0; i < READERS; i++) {
		pthread_join(r[i].thread, NULL);
		if (r[i].error != NULL)
			fail_msg("reader %zu: %s", i, r[i].error);
		assert_true(r[i].answers > 0);
	}
	struct srv_read_cache_stats s1 = stats(app.read_cache);
	assert_true(s1.hits > s0.hits);
	assert_true(s1.misses > s0.misses);
	free(get_ok(&app, "/v1/decisions/dec-report").body);
	assert_int_equal(tree_size(), at + POSTS);
	assert_int_equal(explanations(), (size_t)first + POSTS);
}

int main(int argc, char **argv)
{
	if (argc != 2 || pnyx_init() != PNYX_OK) {
		fputs("usage: test_server_cache FORUM_WRITER\n", stderr);
		return 1;
	}
	forum_writer = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys),
		cmocka_unit_test(second_get_is_a_hit),
		cmocka_unit_test(languages),
		cmocka_unit_test(problems_are_not_kept),
		cmocka_unit_test(cap),
		cmocka_unit_test(metrics),
		cmocka_unit_test(faults),
		cmocka_unit_test(no_stale_answer),
		cmocka_unit_test(readers_beside_the_sequencer),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
