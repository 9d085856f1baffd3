/*
 * Tests for the HTTP service's exchanges (src/server/route.c, handlers.c,
 * logview.c) over real SQLite logs, without the network: every route, the
 * refusals (404, 405, bad targets and parameters, 413), ETag and 304, HEAD,
 * metrics, tiles; proofs and tiles equal the library's own; several
 * threads at once; and every allocation failing in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/base64.h"
#include "pnyx/fault.h"
#include "pnyx/log.h"
#include "pnyx/store.h"
#include "pnyx/tile.h"

#include "../src/server/http.h"
#include "../src/server/logview.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))
#define ENTRIES 300 /* a full level-0 tile and a partial one */

static struct srv_app app;
static struct srv_logview *full_log;  /* ENTRIES entries, a checkpoint */
static struct srv_logview *empty_log; /* no entry, no checkpoint */
static struct srv_exchange ex;        /* large: off the stack */

static void make_log(const char *path, const pnyx_signer *s, size_t n,
		     bool sign)
{
	pnyx_store *store;
	pnyx_log *log;
	pnyx_verifier v;
	pnyx_signer_verifier(s, &v);
	assert_int_equal(pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store,
						NULL), PNYX_OK);
	assert_int_equal(pnyx_log_create(store, &v, &log, NULL), PNYX_OK);
	for (size_t i = 0; i < n; i++) {
		char text[32];
		int len = snprintf(text, sizeof text, "entry %zu", i);
		pnyx_entry e = {U8(text), (size_t)len};
		assert_int_equal(pnyx_log_append(log, &e, 1, NULL, NULL), PNYX_OK);
	}
	if (sign) {
		pnyx_buf b;
		pnyx_buf_init(&b, 1 << 16);
		assert_int_equal(pnyx_log_checkpoint(log, s, &b, NULL), PNYX_OK);
		pnyx_buf_clear(&b);
	}
	pnyx_log_close(log);
}

static int setup(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("server");
	char full[4200], empty[4200];
	snprintf(full, sizeof full, "%s/full.db", dir);
	snprintf(empty, sizeof empty, "%s/empty.db", dir);
	pnyx_signer s;
	assert_int_equal(pnyx_signer_generate("log.example/test", &s), PNYX_OK);
	make_log(full, &s, ENTRIES, true);
	make_log(empty, &s, 0, false);
	pnyx_signer_clear(&s);
	assert_int_equal(srv_logview_open(full, &full_log, NULL), PNYX_OK);
	assert_int_equal(srv_logview_open(empty, &empty_log, NULL), PNYX_OK);
	srv_metrics_init(&app.metrics);
	atomic_init(&app.in_flight, 0);
	app.max_body = 1024;
	app.log = full_log;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	srv_exchange_clear(&ex);
	srv_logview_close(full_log);
	srv_logview_close(empty_log);
	return 0;
}

/* Runs one exchange without a body; returns the status. */
static unsigned run(struct srv_exchange *x, const char *method,
		    const char *target, const char *inm)
{
	srv_exchange_clear(x);
	srv_exchange_begin(&app, x, method, U8(target), strlen(target));
	srv_exchange_finish(&app, x, inm, NULL);
	return x->resp.status;
}

static unsigned get(const char *target)
{
	return run(&ex, "GET", target, NULL);
}

static const char *body(void)
{
	return ex.resp.body.data != NULL ? (const char *)ex.resp.body.data : "";
}

static void expect_problem(unsigned status, const char *code)
{
	assert_int_equal(ex.resp.status, status);
	assert_string_equal(ex.resp.code, code);
	assert_string_equal(ex.resp.content_type, "application/problem+json");
	assert_string_equal(ex.resp.etag, "");
	json_t *doc = json_loadb(body(), ex.resp.body.len, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "code")), code);
	json_decref(doc);
}

static void refusals(void **state)
{
	(void)state;
	get("/nowhere");
	expect_problem(404, "not-found");
	get("/checkpoint/");
	expect_problem(404, "not-found");
	get("/v1/log%00");
	expect_problem(400, "bad-target");
	get("/v1/%FFlog");
	expect_problem(400, "bad-target");
	get("/v1%2flog");
	expect_problem(400, "bad-target");
	char too_long[SRV_TARGET_MAX + 8];
	memset(too_long, 'a', sizeof too_long - 1);
	too_long[0] = '/';
	too_long[sizeof too_long - 1] = 0;
	get(too_long);
	expect_problem(414, "target-too-long");
	run(&ex, "POST", "/checkpoint", NULL);
	expect_problem(405, "method-not-allowed");
	assert_string_equal(ex.resp.allow, "GET, HEAD");
	run(&ex, "DELETE", "/v1/log", NULL);
	expect_problem(405, "method-not-allowed");
	run(&ex, "get", "/v1/log", NULL); /* methods are case-sensitive */
	expect_problem(405, "method-not-allowed");
	get("/v1/actions");
	expect_problem(405, "method-not-allowed");
	assert_string_equal(ex.resp.allow, "POST");
	get("/v1/log?x=1");
	expect_problem(400, "bad-parameter");
	get("/checkpoint?");
	assert_int_equal(ex.resp.status, 200);
}

static void proof_parameters(void **state)
{
	(void)state;
	static const char *bad[] = {
		"/v1/proof/inclusion",
		"/v1/proof/inclusion?index=1",
		"/v1/proof/inclusion?size=2",
		"/v1/proof/inclusion?index=01&size=2",
		"/v1/proof/inclusion?index=1&size=%2B2",
		"/v1/proof/inclusion?index=1&size=2&x=3",
		"/v1/proof/inclusion?index=1&size=2&index=1",
		"/v1/proof/inclusion?index=-1&size=2",
		"/v1/proof/inclusion?index=1&size=18446744073709551616",
		"/v1/proof/inclusion?index=1&size=",
		"/v1/proof/inclusion?old=1&new=2",
		"/v1/proof/consistency?old=1",
		"/v1/proof/consistency?old=1&new=2.0",
		"/v1/proof/consistency?index=1&size=2",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		get(bad[i]);
		if (ex.resp.status != 400 || strcmp(ex.resp.code, "bad-parameter") != 0)
			fail_msg("%s: %u %s", bad[i], ex.resp.status, body());
	}
	static const char *range[] = {
		"/v1/proof/inclusion?index=2&size=2",
		"/v1/proof/inclusion?index=0&size=0",
		"/v1/proof/inclusion?index=0&size=301",
		"/v1/proof/consistency?old=3&new=2",
		"/v1/proof/consistency?old=1&new=301",
		"/v1/proof/consistency?old=1&new=18446744073709551615",
	};
	for (size_t i = 0; i < sizeof range / sizeof *range; i++) {
		get(range[i]);
		expect_problem(400, "out-of-range");
		assert_non_null(strstr(body(), "300 entries"));
	}
}

/* The hashes of the proof document in the body, compared with the log's. */
static void check_proof_hashes(const pnyx_hash *want, size_t n)
{
	json_t *doc = json_loadb(body(), ex.resp.body.len, 0, NULL);
	assert_non_null(doc);
	json_t *list = json_object_get(doc, "hashes");
	assert_int_equal(json_array_size(list), n);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(list, i));
		pnyx_hash h;
		assert_int_equal(pnyx_base64_decode_hash(U8(s), strlen(s), &h), PNYX_OK);
		assert_true(pnyx_hash_eq(&h, &want[i]));
	}
	json_decref(doc);
}

static void proofs(void **state)
{
	(void)state;
	pnyx_hash want[PNYX_MERKLE_MAX_PROOF];
	size_t n;
	static const uint64_t pairs[][2] = {{0, 1}, {5, 300}, {299, 300},
					    {7, 8}, {0, 257}, {256, 257}};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		char t[128];
		snprintf(t, sizeof t, "/v1/proof/inclusion?index=%llu&size=%llu",
			 (unsigned long long)pairs[i][0],
			 (unsigned long long)pairs[i][1]);
		assert_int_equal(get(t), 200);
		assert_string_equal(ex.resp.content_type, "application/json");
		pnyx_log *log = srv_logview_lock(full_log);
		assert_int_equal(pnyx_log_inclusion_proof(log, pairs[i][0], pairs[i][1],
							  want, &n), PNYX_OK);
		srv_logview_unlock(full_log);
		check_proof_hashes(want, n);
		snprintf(t, sizeof t, "/v1/proof/consistency?new=%llu&old=%llu",
			 (unsigned long long)pairs[i][1],
			 (unsigned long long)pairs[i][0]);
		assert_int_equal(get(t), 200);
		log = srv_logview_lock(full_log);
		assert_int_equal(pnyx_log_consistency_proof(log, pairs[i][0],
							    pairs[i][1], want, &n),
				 PNYX_OK);
		srv_logview_unlock(full_log);
		check_proof_hashes(want, n);
		assert_non_null(strstr(body(), "\"old\":"));
	}
}

static void log_and_checkpoint(void **state)
{
	(void)state;
	assert_int_equal(get("/v1/log"), 200);
	json_t *doc = json_loadb(body(), ex.resp.body.len, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "origin")),
			    "log.example/test");
	assert_int_equal(json_integer_value(json_object_get(doc, "size")), ENTRIES);
	assert_string_equal(json_string_value(json_object_get(doc, "verifier_key")),
			    srv_logview_vkey(full_log));
	const char *root = json_string_value(json_object_get(doc, "root"));
	assert_non_null(root);
	assert_int_equal(strlen(root), PNYX_HASH_B64_LEN);
	assert_int_equal(get("/checkpoint"), 200);
	assert_string_equal(ex.resp.content_type, "text/plain; charset=utf-8");
	assert_string_equal(ex.resp.cache_control, "no-cache");
	/* The checkpoint's third line is the root /v1/log gave. */
	assert_non_null(strstr(body(), root));
	assert_non_null(strstr(body(), "\n300\n"));
	json_decref(doc);
	assert_int_equal(get("/healthz"), 200);
	assert_string_equal(body(), "ok\n");
	assert_string_equal(ex.resp.etag, "");
}

static void etag_and_head(void **state)
{
	(void)state;
	assert_int_equal(get("/v1/log"), 200);
	char tag[40], other[48];
	snprintf(tag, sizeof tag, "%s", ex.resp.etag);
	size_t len = ex.resp.body.len;
	assert_int_equal(tag[0], '"');
	assert_int_equal(strlen(tag), 34);
	/* The same content gives the same tag. */
	assert_int_equal(get("/v1/log"), 200);
	assert_string_equal(ex.resp.etag, tag);
	assert_int_equal(run(&ex, "GET", "/v1/log", tag), 304);
	assert_string_equal(ex.resp.etag, tag);
	assert_int_equal(ex.resp.body.len, len); /* for Content-Length */
	snprintf(other, sizeof other, "\"x\", W/%s", tag);
	assert_int_equal(run(&ex, "GET", "/v1/log", other), 304);
	assert_int_equal(run(&ex, "HEAD", "/v1/log", tag), 304);
	assert_int_equal(run(&ex, "GET", "/v1/log", "\"other\""), 200);
	assert_int_equal(run(&ex, "GET", "/checkpoint", tag), 200);
	assert_int_equal(run(&ex, "HEAD", "/checkpoint", NULL), 200);
	assert_true(ex.resp.body.len > 0); /* the transport drops it */
	/* Problems and uncacheable answers never get 304. */
	assert_int_equal(run(&ex, "GET", "/nowhere", "*"), 404);
	assert_int_equal(run(&ex, "GET", "/healthz", "*"), 200);
	assert_int_equal(run(&ex, "GET", "/v1/log", "*"), 304);
}

/* POST with a body of n bytes, announced (Content-Length) or not. */
static unsigned post(size_t n, bool announce)
{
	static uint8_t data[4096];
	srv_exchange_clear(&ex);
	srv_exchange_begin(&app, &ex, "POST", U8("/v1/actions"), 11);
	if (announce)
		srv_exchange_expect(&ex, n);
	for (size_t off = 0; off < n; off += 100)
		srv_exchange_body(&ex, data, n - off < 100 ? n - off : 100);
	srv_exchange_finish(&app, &ex, NULL, "text/plain");
	return ex.resp.status;
}

static void bodies(void **state)
{
	(void)state;
	assert_int_equal(post(1024, true), 501);
	expect_problem(501, "not-implemented");
	assert_int_equal(post(1024, false), 501);
	assert_int_equal(post(0, false), 501);
	assert_int_equal(post(1025, true), 413);
	expect_problem(413, "too-large");
	assert_non_null(strstr(body(), "1024 bytes"));
	assert_int_equal(post(1025, false), 413);
	assert_int_equal(post(4000, false), 413);
	/* GET takes no body. */
	srv_exchange_clear(&ex);
	srv_exchange_begin(&app, &ex, "GET", U8("/v1/log"), 7);
	srv_exchange_expect(&ex, 1);
	srv_exchange_finish(&app, &ex, NULL, NULL);
	expect_problem(413, "too-large");
	srv_exchange_clear(&ex);
	srv_exchange_begin(&app, &ex, "GET", U8("/v1/log"), 7);
	srv_exchange_expect(&ex, 0);
	srv_exchange_body(&ex, U8("x"), 1);
	srv_exchange_finish(&app, &ex, NULL, NULL);
	expect_problem(413, "too-large");
}

static void tiles(void **state)
{
	(void)state;
	pnyx_buf want;
	pnyx_buf_init(&want, SRV_RESPONSE_MAX);
	static const struct {
		const char *path;
		unsigned level;
		uint64_t index;
		unsigned width;
		bool bundle;
	} ok_cases[] = {
		{"/tile/0/000", 0, 0, 256, false},
		{"/tile/0/001.p/44", 0, 1, 44, false},
		{"/tile/0/001.p/3", 0, 1, 3, false},
		{"/tile/1/000.p/1", 1, 0, 1, false},
		{"/tile/entries/000", 0, 0, 256, true},
		{"/tile/entries/001.p/44", 0, 1, 44, true},
	};
	for (size_t i = 0; i < sizeof ok_cases / sizeof *ok_cases; i++) {
		if (get(ok_cases[i].path) != 200)
			fail_msg("%s: %s", ok_cases[i].path, body());
		assert_string_equal(ex.resp.content_type, "application/octet-stream");
		pnyx_buf_reset(&want);
		pnyx_log *log = srv_logview_lock(full_log);
		pnyx_err err = ok_cases[i].bundle
			? pnyx_log_bundle(log, ok_cases[i].index, ok_cases[i].width, &want)
			: pnyx_log_tile(log, ok_cases[i].level, ok_cases[i].index,
					ok_cases[i].width, &want);
		srv_logview_unlock(full_log);
		assert_int_equal(err, PNYX_OK);
		assert_int_equal(ex.resp.body.len, want.len);
		assert_memory_equal(ex.resp.body.data, want.data, want.len);
	}
	pnyx_buf_clear(&want);
	static const char *missing[] = {
		"/tile/0/001", "/tile/0/001.p/45", "/tile/1/000", "/tile/0/002.p/1",
		"/tile/entries/001", "/tile/0/x000/000", "/tile/00/000",
		"/tile/0/0", "/tile/", "/tile/0/000.p/256", "/tile/0/000.p/0",
		"/tile/64/000", "/tile/entries/000.p/01",
	};
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
		get(missing[i]);
		if (ex.resp.status != 404)
			fail_msg("%s: %u", missing[i], ex.resp.status);
		expect_problem(404, "not-found");
	}
	get("/tile/0/000?x=1");
	expect_problem(400, "bad-parameter");
}

static void empty_log_routes(void **state)
{
	(void)state;
	app.log = empty_log;
	get("/checkpoint");
	expect_problem(404, "no-checkpoint");
	assert_int_equal(get("/v1/log"), 200);
	assert_non_null(strstr(body(), "\"size\":0"));
	get("/v1/proof/inclusion?index=0&size=0");
	expect_problem(400, "out-of-range");
	assert_int_equal(get("/v1/proof/consistency?old=0&new=0"), 200);
	assert_non_null(strstr(body(), "\"hashes\":[]"));
	assert_int_equal(get("/metrics"), 200);
	assert_null(strstr(body(), "pnyx_checkpoint_size"));
	assert_non_null(strstr(body(), "pnyx_tree_size 0\n"));
	get("/tile/0/000.p/1");
	expect_problem(404, "not-found");
	app.log = full_log;
}

static void metrics(void **state)
{
	(void)state;
	srv_metrics_init(&app.metrics);
	get("/v1/log");
	get("/v1/log");
	get("/nowhere");
	run(&ex, "POST", "/v1/log", NULL);
	assert_int_equal(get("/metrics"), 200);
	assert_string_equal(ex.resp.content_type,
			    "text/plain; version=0.0.4; charset=utf-8");
	static const char *lines[] = {
		"\npnyx_tree_size 300\n",
		"\npnyx_checkpoint_size 300\n",
		"\npnyx_checkpoint_age_seconds ",
		"\npnyx_http_in_flight 0\n",
		"\n# TYPE pnyx_http_requests_total counter\n",
		"\npnyx_http_requests_total{route=\"/v1/log\",status=\"200\"} 2\n",
		"\npnyx_http_requests_total{route=\"/v1/log\",status=\"405\"} 1\n",
		"\npnyx_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		if (strstr(body(), lines[i]) == NULL)
			fail_msg("no '%s' in:\n%s", lines[i], body());
	/* The metrics request itself is counted once it is answered. */
	assert_int_equal(get("/metrics"), 200);
	assert_non_null(strstr(body(), "{route=\"/metrics\",status=\"200\"} 1\n"));
}

/* Several threads at once: each its own exchanges, one shared log. */
static void *reader(void *arg)
{
	(void)arg;
	static _Thread_local struct srv_exchange x; /* per thread, zeroed */
	bool ok = true;
	for (int i = 0; i < 150 && ok; i++) {
		char t[96];
		snprintf(t, sizeof t, "/v1/proof/inclusion?index=%d&size=300", i);
		ok = run(&x, "GET", t, NULL) == 200 &&
		     run(&x, "GET", "/checkpoint", NULL) == 200 &&
		     run(&x, "GET", "/tile/0/000", NULL) == 200 &&
		     x.resp.body.len == PNYX_TILE_BYTES &&
		     run(&x, "GET", "/metrics", NULL) == 200;
	}
	srv_exchange_clear(&x);
	return ok ? arg : NULL;
}

static void threads(void **state)
{
	(void)state;
	pthread_t t[4];
	int tag = 1;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &tag), 0);
	for (size_t i = 0; i < 4; i++) {
		void *ret;
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_ptr_equal(ret, &tag);
	}
}

/* Every allocation of an exchange fails in turn: the answer is then the
 * right one or a 5xx problem, and nothing leaks (ASan checks). */
static void faults(void **state)
{
	(void)state;
	static const char *targets[] = {
		"/v1/log", "/checkpoint", "/metrics", "/tile/entries/000",
		"/v1/proof/inclusion?index=5&size=300", "/nowhere",
		"/v1/proof/inclusion?index=x&size=1",
	};
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		unsigned want = get(targets[i]);
		pnyx_fault_arm(PNYX_FAULT_COUNT);
		get(targets[i]);
		uint64_t points = pnyx_fault_passed();
		pnyx_fault_disarm();
		assert_true(points > 0);
		for (uint64_t k = 1; k <= points; k++) {
			pnyx_fault_arm(k);
			unsigned got = get(targets[i]);
			pnyx_fault_disarm();
			if (got != want && got < 500)
				fail_msg("%s, fault %llu: %u", targets[i],
					 (unsigned long long)k, got);
		}
	}
	assert_int_equal(get("/v1/log"), 200);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refusals),
		cmocka_unit_test(proof_parameters),
		cmocka_unit_test(proofs),
		cmocka_unit_test(log_and_checkpoint),
		cmocka_unit_test(etag_and_head),
		cmocka_unit_test(bodies),
		cmocka_unit_test(tiles),
		cmocka_unit_test(empty_log_routes),
		cmocka_unit_test(metrics),
		cmocka_unit_test(threads),
		cmocka_unit_test(faults),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
