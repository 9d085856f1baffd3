/*
 * Tests for src/server/actor_index.h: leaves listed under their keys (an
 * actor; both members of a cooperation request, or "*"), pages from an
 * index on, and the keys that break the index (empty, too long, the same
 * key twice, no key or three), after which every query says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "../src/server/actor_index.h"

#include "pnyx/action.h"

static struct srv_actor_index *fresh(void)
{
	struct srv_actor_index *ix = NULL;
	assert_int_equal(srv_actor_index_new(&ix), PNYX_OK);
	return ix;
}

static pnyx_err add(struct srv_actor_index *ix, uint64_t i, const char *a,
		    const char *b)
{
	const char *keys[2] = {a, b};
	return srv_actor_index_add_keys(ix, i, keys, b != NULL ? 2 : 1);
}

/* The page of key from index from (at most max), as a string "i,j,..." */
static void page(const struct srv_actor_index *ix, const char *key,
		 uint64_t from, size_t max, const char *want, bool want_more)
{
	uint64_t out[16];
	size_t n = 99;
	bool more = !want_more;
	assert_int_equal(srv_actor_index_page(ix, key, from, out, max, &n, &more),
			 PNYX_OK);
	char got[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%llu",
			 i ? "," : "", (unsigned long long)out[i]);
	assert_string_equal(got, want);
	assert_true(more == want_more);
}

static void keys_and_pages(void **state)
{
	(void)state;
	struct srv_actor_index *ix = fresh();
	assert_int_equal(add(ix, 0, "secretariat", NULL), PNYX_OK);
	assert_int_equal(add(ix, 1, "KEN", "FRA"), PNYX_OK);
	assert_int_equal(add(ix, 2, "*", NULL), PNYX_OK);
	assert_int_equal(add(ix, 3, "FRA", "NOR"), PNYX_OK);
	assert_int_equal(add(ix, 4, "KEN", NULL), PNYX_OK);
	assert_int_equal(srv_actor_index_size(ix), 5);
	page(ix, "KEN", 0, 16, "1,4", false);
	page(ix, "FRA", 0, 16, "1,3", false);
	page(ix, "FRA", 0, 1, "1", true);
	page(ix, "FRA", 2, 16, "3", false);
	page(ix, "*", 0, 16, "2", false);
	page(ix, "NOR", 4, 16, "", false);
	page(ix, "USA", 0, 16, "", false);
	srv_actor_index_free(ix);
}

/* Many actors and leaves: the table grows, every list stays in order. */
static void growth(void **state)
{
	(void)state;
	struct srv_actor_index *ix = fresh();
	char id[8];
	for (uint64_t i = 0; i < 2000; i++) {
		snprintf(id, sizeof id, "A%03u", (unsigned)(i % 300));
		assert_int_equal(add(ix, i, id, NULL), PNYX_OK);
	}
	page(ix, "A007", 0, 3, "7,307,607", true);
	page(ix, "A199", 1500, 16, "1699,1999", false);
	page(ix, "A299", 1800, 16, "", false);
	srv_actor_index_free(ix);
}

static void bad_keys_break_it(void **state)
{
	(void)state;
	char long_id[PNYX_ID_MAX + 2];
	memset(long_id, 'a', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = 0;
	const char *three[3] = {"KEN", "FRA", "NOR"};
	struct {
		const char *a, *b;
		size_t n;
	} bad[] = {{"", NULL, 1}, {long_id, NULL, 1}, {"KEN", "KEN", 2},
		   {"KEN", "", 2}, {"KEN", NULL, 0}, {"KEN", "FRA", 3}};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		struct srv_actor_index *ix = fresh();
		assert_int_equal(add(ix, 0, "KEN", NULL), PNYX_OK);
		const char *keys[3] = {bad[k].a, bad[k].b, "NOR"};
		pnyx_err err = srv_actor_index_add_keys(
			ix, 1, bad[k].n == 3 ? three : keys, bad[k].n);
		assert_int_equal(err, PNYX_ERR_CORRUPT);
		/* broken: every later add and query says so */
		assert_int_equal(add(ix, 1, "FRA", NULL), PNYX_ERR_CORRUPT);
		uint64_t out[4];
		size_t n;
		bool more;
		assert_int_equal(srv_actor_index_page(ix, "KEN", 0, out, 4, &n,
						      &more), PNYX_ERR_CORRUPT);
		srv_actor_index_free(ix);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_and_pages),
		cmocka_unit_test(growth),
		cmocka_unit_test(bad_keys_break_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
