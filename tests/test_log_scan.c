/*
 * Tests of pnyx_log_scan (pnyx/log.h), the sequential read of a range of
 * entries: order and bytes, bounds, empty ranges, a stop asked by the
 * function, stored entries that are missing or empty, a storage failure
 * half-way, and a fault loop: every storage call (the scan passes one
 * fault point per entry) and allocation of "open the log, scan it all"
 * fails in turn; the scan must then fail having shown a prefix of the
 * entries, and the log must read in full once no fault is armed.
 * (A file of its own: test_log.c is near the size limit of a file.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pnyx/fault.h"
#include "pnyx/log.h"

#include "fault_store.h"
#include "log_support.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN "example.org/pnyx-log-scan"
#define N_ENTRIES 300 /* more than one tile of entries */

static char path_buf[4200];

/* What a scan saw: the leaf hashes of its entries, checked to be the test
 * entries in order from `from`; it stops (PNYX_ERR_MISMATCH) after
 * stop_after entries when that is not 0. */
typedef struct seen {
	uint64_t from, count, stop_after;
	ref_tree ref;
	uint8_t *want; /* PNYX_ENTRY_MAX bytes */
} seen;

static pnyx_err see(void *ctx, uint64_t index, const uint8_t *p, size_t n)
{
	seen *w = ctx;
	assert_int_equal(index, w->from + w->count);
	assert_int_equal(n, test_entry_len(index));
	test_entry_fill(index, w->want);
	assert_memory_equal(p, w->want, n);
	ref_add(&w->ref, p, n);
	w->count++;
	return w->count == w->stop_after ? PNYX_ERR_MISMATCH : PNYX_OK;
}

/* Scans [from, to) of log; returns the scan's result, *w what it saw. */
static pnyx_err scan(pnyx_log *log, uint64_t from, uint64_t to,
		     uint64_t stop_after, seen *w)
{
	ref_free(&w->ref);
	uint8_t *want = w->want;
	*w = (seen){.from = from, .stop_after = stop_after, .want = want};
	return pnyx_log_scan(log, from, to, see, w);
}

static pnyx_log *open_log(const char *path, bool faults)
{
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &s, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(faults ? fault_store_wrap(s) : s, &log,
				    &diag);
	if (err != PNYX_OK && !faults)
		fail_msg("open %s: %s (%s)", path, pnyx_err_name(err), diag.msg);
	return err == PNYX_OK ? log : NULL;
}

/* A log of n test entries at a fresh path (path_buf), closed. */
static const char *make_log(const char *name, uint64_t n)
{
	snprintf(path_buf, sizeof path_buf, "%s/log.db", test_tmpdir(name));
	pnyx_signer signer;
	pnyx_verifier key;
	assert_int_equal(pnyx_signer_generate(ORIGIN, &signer), PNYX_OK);
	pnyx_signer_verifier(&signer, &key);
	pnyx_signer_clear(&signer);
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_store_sqlite_open(path_buf, PNYX_STORE_CREATE,
						&s, &diag),
			 PNYX_OK);
	assert_int_equal(pnyx_log_create(s, &key, &log, &diag), PNYX_OK);
	uint8_t *bytes = malloc(PNYX_ENTRY_MAX);
	assert_non_null(bytes);
	for (uint64_t i = 0; i < n; i++) {
		pnyx_entry e = {bytes, test_entry_len(i)};
		test_entry_fill(i, bytes);
		assert_int_equal(pnyx_log_append(log, &e, 1, NULL, &diag),
				 PNYX_OK);
	}
	free(bytes);
	pnyx_log_close(log);
	return path_buf;
}

static void seen_init(seen *w)
{
	*w = (seen){.want = malloc(PNYX_ENTRY_MAX)};
	assert_non_null(w->want);
}

static void seen_clear(seen *w)
{
	ref_free(&w->ref);
	free(w->want);
}

/* ---- tests ---- */

static void test_order_and_bounds(void **state)
{
	(void)state;
	pnyx_log *log = open_log(make_log("scan-bounds", N_ENTRIES), false);
	seen w;
	seen_init(&w);
	assert_int_equal(scan(log, 0, N_ENTRIES, 0, &w), PNYX_OK);
	assert_int_equal(w.count, N_ENTRIES);
	pnyx_hash got, want;
	ref_root(&w.ref, N_ENTRIES, &got);
	pnyx_log_root(log, &want);
	assert_memory_equal(got.b, want.b, PNYX_HASH_LEN);
	static const uint64_t r[][2] = {{0, 1}, {1, 2}, {17, 256},
					{255, 257}, {N_ENTRIES - 1, N_ENTRIES}};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		assert_int_equal(scan(log, r[i][0], r[i][1], 0, &w), PNYX_OK);
		assert_int_equal(w.count, r[i][1] - r[i][0]);
	}
	/* outside the log, or backwards: nothing is read */
	assert_int_equal(scan(log, 0, N_ENTRIES + 1, 0, &w), PNYX_ERR_RANGE);
	assert_int_equal(scan(log, N_ENTRIES, N_ENTRIES + 1, 0, &w),
			 PNYX_ERR_RANGE);
	assert_int_equal(scan(log, 0, UINT64_MAX, 0, &w), PNYX_ERR_RANGE);
	assert_int_equal(scan(log, 5, 4, 0, &w), PNYX_ERR_RANGE);
	assert_int_equal(w.count, 0);
	seen_clear(&w);
	pnyx_log_close(log);
}

static void test_empty_ranges(void **state)
{
	(void)state;
	seen w;
	seen_init(&w);
	pnyx_log *log = open_log(make_log("scan-empty-log", 0), false);
	assert_int_equal(scan(log, 0, 0, 0, &w), PNYX_OK);
	assert_int_equal(scan(log, 0, 1, 0, &w), PNYX_ERR_RANGE);
	pnyx_log_close(log);
	log = open_log(make_log("scan-empty", 10), false);
	for (uint64_t i = 0; i <= 10; i++)
		assert_int_equal(scan(log, i, i, 0, &w), PNYX_OK);
	assert_int_equal(w.count, 0);
	seen_clear(&w);
	pnyx_log_close(log);
}

/* The function stops the scan; the log reads and appends after it. */
static void test_early_stop(void **state)
{
	(void)state;
	pnyx_log *log = open_log(make_log("scan-stop", 20), false);
	seen w;
	seen_init(&w);
	assert_int_equal(scan(log, 3, 20, 1, &w), PNYX_ERR_MISMATCH);
	assert_int_equal(w.count, 1);
	assert_int_equal(scan(log, 3, 20, 7, &w), PNYX_ERR_MISMATCH);
	assert_int_equal(w.count, 7);
	assert_int_equal(scan(log, 0, 20, 20, &w), PNYX_ERR_MISMATCH);
	assert_int_equal(w.count, 20);
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_ENTRY_MAX);
	assert_int_equal(pnyx_log_entry(log, 19, &b), PNYX_OK);
	pnyx_buf_clear(&b);
	test_entry_fill(20, w.want);
	pnyx_entry e = {w.want, test_entry_len(20)};
	assert_int_equal(pnyx_log_append(log, &e, 1, NULL, NULL), PNYX_OK);
	assert_int_equal(scan(log, 0, 21, 0, &w), PNYX_OK);
	assert_int_equal(w.count, 21);
	seen_clear(&w);
	pnyx_log_close(log);
}

/* Entries missing or empty in the store (the log opens: it checks only
 * the last one) are corrupt, after the entries before them were seen. */
static void test_corrupt_entries(void **state)
{
	(void)state;
	const char *path = make_log("scan-corrupt", 12);
	seen w;
	seen_init(&w);
	test_exec_sql(path, "DELETE FROM entries WHERE idx = 5;");
	pnyx_log *log = open_log(path, false);
	assert_int_equal(scan(log, 0, 12, 0, &w), PNYX_ERR_CORRUPT);
	assert_int_equal(w.count, 5);
	assert_int_equal(scan(log, 6, 12, 0, &w), PNYX_OK);
	pnyx_log_close(log);
	test_exec_sql(path, "INSERT INTO entries VALUES (5, x'');");
	log = open_log(path, false);
	assert_int_equal(scan(log, 2, 12, 0, &w), PNYX_ERR_CORRUPT);
	assert_int_equal(w.count, 3);
	seen_clear(&w);
	pnyx_log_close(log);
}

/* A storage failure at the start or at the k-th entry of a scan. */
static void test_storage_error(void **state)
{
	(void)state;
	pnyx_log *log = open_log(make_log("scan-storage", 30), true);
	assert_non_null(log);
	seen w;
	seen_init(&w);
	for (uint64_t k = 0; k <= 30; k++) {
		/* point 1: the scan; point j + 2: before entry j */
		pnyx_fault_arm(k + 1);
		pnyx_err err = scan(log, 0, 30, 0, &w);
		pnyx_fault_disarm();
		assert_int_equal(err, PNYX_ERR_STORAGE);
		assert_int_equal(w.count, k == 0 ? 0 : k - 1);
	}
	assert_int_equal(scan(log, 0, 30, 0, &w), PNYX_OK);
	assert_int_equal(w.count, 30);
	seen_clear(&w);
	pnyx_log_close(log);
}

/* Opens the log through the fault store and scans it all; returns the
 * number of entries seen, or UINT64_MAX when the open failed. */
static uint64_t scan_scenario(const char *path, seen *w, pnyx_err *err)
{
	pnyx_log *log = open_log(path, true);
	if (log == NULL)
		return UINT64_MAX;
	*err = scan(log, 0, pnyx_log_size(log), 0, w);
	pnyx_log_close(log);
	return w->count;
}

static void test_fault_loop(void **state)
{
	(void)state;
	const char *path = make_log("scan-faults", 40);
	seen w;
	seen_init(&w);
	pnyx_err err = PNYX_OK;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	uint64_t n = scan_scenario(path, &w, &err);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_int_equal(err, PNYX_OK);
	assert_int_equal(n, 40);
	assert_true(points > 40);
	for (uint64_t i = 1; i <= points; i++) {
		err = PNYX_OK;
		pnyx_fault_arm(i);
		n = scan_scenario(path, &w, &err);
		pnyx_fault_disarm();
		if (n == UINT64_MAX)
			continue; /* the open failed */
		assert_true(err == PNYX_ERR_STORAGE || err == PNYX_ERR_NOMEM);
		assert_true(n < 40);
		/* the log reads in full once the fault is gone */
		pnyx_log *log = open_log(path, false);
		assert_int_equal(scan(log, 0, 40, 0, &w), PNYX_OK);
		assert_int_equal(w.count, 40);
		pnyx_log_close(log);
	}
	printf("# scan fault loop: %llu points\n", (unsigned long long)points);
	seen_clear(&w);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_bounds),
		cmocka_unit_test(test_empty_ranges),
		cmocka_unit_test(test_early_stop),
		cmocka_unit_test(test_corrupt_entries),
		cmocka_unit_test(test_storage_error),
		cmocka_unit_test(test_fault_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
