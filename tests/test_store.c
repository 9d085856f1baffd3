/* Tests of the SQLite store (pnyx/store.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pnyx/store.h"
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char path_buf[4096];

/* A fresh path for a database file in a fresh directory. */
static const char *db_path(const char *name)
{
	snprintf(path_buf, sizeof path_buf, "%s/log.db", test_tmpdir(name));
	return path_buf;
}

static pnyx_store *create_store(const char *path)
{
	pnyx_store *s = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &s,
					      &diag);
	if (err != PNYX_OK)
		fprintf(stderr, "create %s: %s\n", path, diag.msg);
	assert_int_equal(err, PNYX_OK);
	return s;
}

static pnyx_store *open_store(const char *path)
{
	pnyx_store *s = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &s, &diag);
	if (err != PNYX_OK)
		fprintf(stderr, "open %s: %s\n", path, diag.msg);
	assert_int_equal(err, PNYX_OK);
	return s;
}

static pnyx_err try_open(const char *path, pnyx_store_mode mode,
			 pnyx_diag *diag)
{
	pnyx_store *s = NULL;
	pnyx_err err = pnyx_store_sqlite_open(path, mode, &s, diag);
	if (err == PNYX_OK)
		pnyx_store_close(s);
	else
		assert_null(s);
	return err;
}

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static pnyx_hash hash_of(unsigned level, uint64_t index)
{
	pnyx_hash h;
	memset(h.b, (int)level, sizeof h.b);
	memcpy(h.b + 8, &index, sizeof index);
	return h;
}

static void expect_entry(pnyx_store *s, uint64_t index, const char *text)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 20);
	assert_int_equal(s->ops->get_entry(s, index, &b), PNYX_OK);
	assert_int_equal(b.len, strlen(text));
	assert_memory_equal(b.data, text, b.len);
	pnyx_buf_clear(&b);
}

static void expect_meta(pnyx_store *s, const char *key, const char *text)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 20);
	assert_int_equal(s->ops->get_meta(s, key, &b), PNYX_OK);
	assert_int_equal(b.len, strlen(text));
	assert_memory_equal(b.data, text, b.len);
	pnyx_buf_clear(&b);
}

static void test_create_open_rules(void **state)
{
	(void)state;
	pnyx_diag diag = {{0}};
	const char *path = db_path("store-rules");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_NOT_FOUND);
	assert_true(strstr(diag.msg, "log.db") != NULL);
	pnyx_store *s = create_store(path);
	uint64_t size = 99;
	assert_int_equal(s->ops->get_size(s, &size), PNYX_OK);
	assert_int_equal(size, 0);
	pnyx_store_close(s);
	assert_int_equal(try_open(path, PNYX_STORE_CREATE, &diag),
			 PNYX_ERR_EXISTS);
	s = open_store(path);
	assert_int_equal(s->ops->get_size(s, &size), PNYX_OK);
	assert_int_equal(size, 0);
	pnyx_store_close(s);
	pnyx_store_close(NULL);

	char bad[4200];
	snprintf(bad, sizeof bad, "%s/no/such/dir/x.db",
		 test_tmpdir("store-nodir"));
	assert_int_equal(try_open(bad, PNYX_STORE_CREATE, &diag),
			 PNYX_ERR_STORAGE);
	assert_int_equal(try_open(bad, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_NOT_FOUND);
}

static void test_stale_wal_refused(void **state)
{
	(void)state;
	pnyx_diag diag = {{0}};
	const char *path = db_path("store-stale-wal");
	char wal[4200];
	snprintf(wal, sizeof wal, "%s-wal", path);
	write_file(wal, "stale");
	assert_int_equal(try_open(path, PNYX_STORE_CREATE, &diag),
			 PNYX_ERR_EXISTS);
	FILE *f = fopen(path, "rb");
	assert_null(f); /* nothing was created */
}

static void test_empty_store(void **state)
{
	(void)state;
	pnyx_store *s = create_store(db_path("store-empty"));
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	assert_int_equal(s->ops->get_entry(s, 0, &b), PNYX_ERR_NOT_FOUND);
	assert_int_equal(s->ops->get_entry(s, UINT64_MAX, &b),
			 PNYX_ERR_NOT_FOUND);
	assert_int_equal(s->ops->get_checkpoint(s, &b), PNYX_ERR_NOT_FOUND);
	assert_int_equal(s->ops->get_meta(s, "origin", &b), PNYX_ERR_NOT_FOUND);
	assert_int_equal(b.len, 0);
	pnyx_hash h;
	assert_int_equal(s->ops->get_hashes(s, 0, 0, 1, &h), PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 0, 0, 0, &h), PNYX_OK);
	pnyx_buf_clear(&b);
	pnyx_store_close(s);
}

/* Writes entries 0..2, their hashes, meta and size 3 in one transaction. */
static void write_three(pnyx_store *s)
{
	static const char *const text[] = {"zero", "one", "two"};
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	for (uint64_t i = 0; i < 3; i++) {
		pnyx_hash h = hash_of(0, i);
		assert_int_equal(s->ops->put_entry(s, i,
						   (const uint8_t *)text[i],
						   strlen(text[i])),
				 PNYX_OK);
		assert_int_equal(s->ops->put_hash(s, 0, i, &h), PNYX_OK);
	}
	pnyx_hash h = hash_of(1, 0);
	assert_int_equal(s->ops->put_hash(s, 1, 0, &h), PNYX_OK);
	assert_int_equal(s->ops->put_meta(s, "origin",
					  (const uint8_t *)"example.org/log",
					  15),
			 PNYX_OK);
	assert_int_equal(s->ops->set_size(s, 3), PNYX_OK);
	/* reads inside the transaction see its writes */
	uint64_t size = 0;
	assert_int_equal(s->ops->get_size(s, &size), PNYX_OK);
	assert_int_equal(size, 3);
	expect_entry(s, 2, "two");
	expect_meta(s, "origin", "example.org/log");
}

static void test_rollback_leaves_nothing(void **state)
{
	(void)state;
	const char *path = db_path("store-rollback");
	pnyx_store *s = create_store(path);
	write_three(s);
	s->ops->rollback(s);
	s->ops->rollback(s); /* no transaction: nothing happens */
	uint64_t size = 9;
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	pnyx_hash h;
	assert_int_equal(s->ops->get_size(s, &size), PNYX_OK);
	assert_int_equal(size, 0);
	assert_int_equal(s->ops->get_entry(s, 0, &b), PNYX_ERR_NOT_FOUND);
	assert_int_equal(s->ops->get_meta(s, "origin", &b), PNYX_ERR_NOT_FOUND);
	assert_int_equal(s->ops->get_hashes(s, 0, 0, 1, &h), PNYX_ERR_CORRUPT);
	/* the same writes succeed after the rollback, and commit */
	write_three(s);
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	pnyx_store_close(s);

	s = open_store(path);
	assert_int_equal(s->ops->get_size(s, &size), PNYX_OK);
	assert_int_equal(size, 3);
	expect_entry(s, 0, "zero");
	expect_entry(s, 1, "one");
	expect_entry(s, 2, "two");
	expect_meta(s, "origin", "example.org/log");
	assert_int_equal(s->ops->get_hashes(s, 1, 0, 1, &h), PNYX_OK);
	pnyx_hash want = hash_of(1, 0);
	assert_memory_equal(h.b, want.b, PNYX_HASH_LEN);
	pnyx_buf_clear(&b);
	pnyx_store_close(s);
}

static void test_close_without_commit(void **state)
{
	(void)state;
	const char *path = db_path("store-close-open-tx");
	pnyx_store *s = create_store(path);
	write_three(s);
	pnyx_store_close(s); /* an open transaction is rolled back */
	s = open_store(path);
	uint64_t size = 9;
	assert_int_equal(s->ops->get_size(s, &size), PNYX_OK);
	assert_int_equal(size, 0);
	pnyx_store_close(s);
}

static void test_write_conflicts(void **state)
{
	(void)state;
	pnyx_store *s = create_store(db_path("store-conflicts"));
	write_three(s);
	pnyx_hash h = hash_of(0, 1);
	/* an entry or a hash is written once */
	assert_int_equal(s->ops->put_entry(s, 1, (const uint8_t *)"x", 1),
			 PNYX_ERR_STORAGE);
	assert_int_equal(s->ops->put_hash(s, 0, 1, &h), PNYX_ERR_STORAGE);
	/* indices SQLite cannot hold */
	assert_int_equal(s->ops->put_entry(s, UINT64_MAX,
					   (const uint8_t *)"x", 1),
			 PNYX_ERR_RANGE);
	assert_int_equal(s->ops->put_hash(s, 0, UINT64_MAX, &h),
			 PNYX_ERR_RANGE);
	assert_int_equal(s->ops->set_size(s, UINT64_MAX), PNYX_ERR_RANGE);
	/* the transaction goes on after failed statements */
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	expect_entry(s, 1, "one");
	/* commit without a transaction fails */
	assert_int_equal(s->ops->commit(s), PNYX_ERR_STORAGE);
	/* begin inside a transaction fails */
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	assert_int_equal(s->ops->begin(s), PNYX_ERR_STORAGE);
	s->ops->rollback(s);
	pnyx_store_close(s);
}

static void test_hash_ranges(void **state)
{
	(void)state;
	pnyx_store *s = create_store(db_path("store-hashes"));
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	for (uint64_t i = 0; i < 100; i++) {
		pnyx_hash h = hash_of(0, i);
		assert_int_equal(s->ops->put_hash(s, 0, i, &h), PNYX_OK);
		h = hash_of(1, i);
		if (i < 50)
			assert_int_equal(s->ops->put_hash(s, 1, i, &h),
					 PNYX_OK);
	}
	pnyx_hash h = hash_of(63, 0);
	assert_int_equal(s->ops->put_hash(s, 63, 0, &h), PNYX_OK);
	assert_int_equal(s->ops->commit(s), PNYX_OK);

	pnyx_hash out[101];
	static const size_t counts[] = {1, 2, 16, 17, 64, 100};
	for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		size_t n = counts[c];
		uint64_t from = 100 - n;
		assert_int_equal(s->ops->get_hashes(s, 0, from, n, out),
				 PNYX_OK);
		for (size_t i = 0; i < n; i++) {
			pnyx_hash want = hash_of(0, from + i);
			assert_memory_equal(out[i].b, want.b, PNYX_HASH_LEN);
		}
	}
	assert_int_equal(s->ops->get_hashes(s, 1, 10, 40, out), PNYX_OK);
	pnyx_hash want = hash_of(1, 49);
	assert_memory_equal(out[39].b, want.b, PNYX_HASH_LEN);
	assert_int_equal(s->ops->get_hashes(s, 63, 0, 1, out), PNYX_OK);
	want = hash_of(63, 0);
	assert_memory_equal(out[0].b, want.b, PNYX_HASH_LEN);

	/* a range running past what exists is corrupt; out is untouched */
	memset(out, 0xee, sizeof out);
	assert_int_equal(s->ops->get_hashes(s, 0, 90, 11, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 1, 0, 51, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 2, 0, 1, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 0, UINT64_MAX, 1, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 0, INT64_MAX, 2, out),
			 PNYX_ERR_CORRUPT);
	for (size_t i = 0; i < 101; i++)
		assert_int_equal(out[i].b[0], 0xee);
	pnyx_store_close(s);
}

static void test_hash_holes_and_shapes(void **state)
{
	(void)state;
	const char *path = db_path("store-hash-holes");
	pnyx_store *s = create_store(path);
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	for (uint64_t i = 0; i < 40; i++) {
		pnyx_hash h = hash_of(0, i);
		if (i != 20)
			assert_int_equal(s->ops->put_hash(s, 0, i, &h),
					 PNYX_OK);
	}
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	pnyx_store_close(s);
	exec_sql(path, "INSERT INTO hashes VALUES (5, 0, x'0102');"
		       "INSERT INTO hashes VALUES (6, 0, 'text');");
	s = open_store(path);
	pnyx_hash out[40];
	assert_int_equal(s->ops->get_hashes(s, 0, 0, 20, out), PNYX_OK);
	assert_int_equal(s->ops->get_hashes(s, 0, 0, 21, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 0, 19, 2, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 0, 21, 19, out), PNYX_OK);
	assert_int_equal(s->ops->get_hashes(s, 5, 0, 1, out),
			 PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->get_hashes(s, 6, 0, 1, out),
			 PNYX_ERR_CORRUPT);
	pnyx_store_close(s);
}

static void test_meta(void **state)
{
	(void)state;
	const char *path = db_path("store-meta");
	pnyx_store *s = create_store(path);
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	assert_int_equal(s->ops->put_meta(s, "vkey", (const uint8_t *)"a", 1),
			 PNYX_OK);
	assert_int_equal(s->ops->put_meta(s, "vkey",
					  (const uint8_t *)"second", 6),
			 PNYX_OK);
	assert_int_equal(s->ops->put_meta(s, "empty", NULL, 0), PNYX_OK);
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	pnyx_store_close(s);
	s = open_store(path);
	expect_meta(s, "vkey", "second");
	expect_meta(s, "empty", "");
	pnyx_buf b;
	pnyx_buf_init(&b, 3); /* too small for the value */
	assert_int_equal(s->ops->get_meta(s, "vkey", &b), PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&b);
	pnyx_store_close(s);
}

static void put_cp(pnyx_store *s, uint64_t size, const char *note)
{
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	assert_int_equal(s->ops->put_checkpoint(s, size,
						(const uint8_t *)note,
						strlen(note)),
			 PNYX_OK);
	assert_int_equal(s->ops->commit(s), PNYX_OK);
}

static void test_checkpoints(void **state)
{
	(void)state;
	const char *path = db_path("store-checkpoints");
	pnyx_store *s = create_store(path);
	put_cp(s, 5, "five");
	put_cp(s, 20, "twenty");
	put_cp(s, 10, "ten");
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	assert_int_equal(s->ops->get_checkpoint(s, &b), PNYX_OK);
	assert_string_equal((const char *)b.data, "twenty");
	put_cp(s, 20, "twenty again");
	pnyx_store_close(s);
	s = open_store(path);
	pnyx_buf_reset(&b);
	assert_int_equal(s->ops->get_checkpoint(s, &b), PNYX_OK);
	assert_string_equal((const char *)b.data, "twenty again");
	pnyx_buf_clear(&b);
	pnyx_store_close(s);
}

static void test_not_a_pnyx_store(void **state)
{
	(void)state;
	pnyx_diag diag = {{0}};
	const char *dir = test_tmpdir("store-foreign");
	char path[4200];

	snprintf(path, sizeof path, "%s/text.db", dir);
	write_file(path, "This is not a database, just some text that is long "
			 "enough to fill a header of one hundred bytes or so, "
			 "and a little more.\n");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_CORRUPT);

	snprintf(path, sizeof path, "%s/empty.db", dir);
	write_file(path, "");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_CORRUPT);
	assert_true(strstr(diag.msg, "not a Pnyx store") != NULL);

	snprintf(path, sizeof path, "%s/other.db", dir);
	exec_sql(path, "CREATE TABLE t (x); PRAGMA user_version = 1;");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_CORRUPT);

	/* our application id and version, but not our tables */
	snprintf(path, sizeof path, "%s/lookalike.db", dir);
	exec_sql(path, "CREATE TABLE t (x); PRAGMA application_id = "
		       "1349417336; PRAGMA user_version = 1;");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_CORRUPT);
}

static void test_unknown_schema(void **state)
{
	(void)state;
	pnyx_diag diag = {{0}};
	const char *path = db_path("store-schema");
	pnyx_store_close(create_store(path));
	exec_sql(path, "PRAGMA user_version = 2;");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_CORRUPT);
	assert_true(strstr(diag.msg, "schema version 2") != NULL);
	exec_sql(path, "PRAGMA user_version = -1;");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag),
			 PNYX_ERR_CORRUPT);
	exec_sql(path, "PRAGMA user_version = 1;");
	assert_int_equal(try_open(path, PNYX_STORE_OPEN, &diag), PNYX_OK);
}

static void test_corrupt_size(void **state)
{
	(void)state;
	const char *path = db_path("store-bad-size");
	pnyx_store_close(create_store(path));
	exec_sql(path, "UPDATE tree SET size = -4;");
	pnyx_store *s = open_store(path);
	uint64_t size = 7;
	assert_int_equal(s->ops->get_size(s, &size), PNYX_ERR_CORRUPT);
	assert_int_equal(size, 7);
	pnyx_store_close(s);
	exec_sql(path, "DELETE FROM tree;");
	s = open_store(path);
	assert_int_equal(s->ops->get_size(s, &size), PNYX_ERR_CORRUPT);
	assert_int_equal(s->ops->set_size(s, 1), PNYX_ERR_CORRUPT);
	pnyx_store_close(s);
}

static void test_wal_mode(void **state)
{
	(void)state;
	const char *path = db_path("store-wal");
	pnyx_store_close(create_store(path));
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* One writer at a time: a second writer waits the busy timeout (a few
 * seconds), then fails; readers are never blocked (WAL). */
static void test_second_writer(void **state)
{
	(void)state;
	const char *path = db_path("store-busy");
	pnyx_store *a = create_store(path);
	pnyx_store *b = open_store(path);
	assert_int_equal(a->ops->begin(a), PNYX_OK);
	assert_int_equal(a->ops->set_size(a, 1), PNYX_OK);
	uint64_t size = 9;
	assert_int_equal(b->ops->get_size(b, &size), PNYX_OK);
	assert_int_equal(size, 0);
	assert_int_equal(b->ops->begin(b), PNYX_ERR_STORAGE);
	assert_int_equal(a->ops->commit(a), PNYX_OK);
	assert_int_equal(b->ops->get_size(b, &size), PNYX_OK);
	assert_int_equal(size, 1);
	assert_int_equal(b->ops->begin(b), PNYX_OK);
	b->ops->rollback(b);
	pnyx_store_close(a);
	pnyx_store_close(b);
}

/* ---- scans of entries ---- */

/* What a scan saw: the entries joined by '|', each index checked to follow
 * the one before; stop_after > 0 stops the scan after that many. */
typedef struct scan_seen {
	char text[256];
	size_t len;
	uint64_t next, count, stop_after;
	pnyx_store *writer; /* not NULL: appends entry 3 at the first entry */
} scan_seen;

static pnyx_err see_entry(void *ctx, uint64_t index, const uint8_t *p,
			  size_t n)
{
	scan_seen *w = ctx;
	if (w->count > 0)
		assert_int_equal(index, w->next);
	assert_true(w->len + n + 1 < sizeof w->text);
	memcpy(w->text + w->len, p, n);
	w->len += n;
	w->text[w->len++] = '|';
	w->text[w->len] = 0;
	w->next = index + 1;
	w->count++;
	if (w->writer != NULL) {
		pnyx_store *b = w->writer;
		w->writer = NULL;
		assert_int_equal(b->ops->begin(b), PNYX_OK);
		assert_int_equal(b->ops->put_entry(b, 3, (const uint8_t *)"3", 1),
				 PNYX_OK);
		assert_int_equal(b->ops->commit(b), PNYX_OK);
	}
	return w->count == w->stop_after ? PNYX_ERR_MISMATCH : PNYX_OK;
}

/* Scans [from, to) of s; expects err and the entries seen as text. */
static void expect_scan(pnyx_store *s, uint64_t from, uint64_t to,
			pnyx_err err, const char *text)
{
	scan_seen w = {.len = 0};
	assert_int_equal(s->ops->scan_entries(s, from, to, see_entry, &w), err);
	assert_string_equal(w.text, text);
}

static void test_scan_entries(void **state)
{
	(void)state;
	const char *path = db_path("store-scan");
	pnyx_store *s = create_store(path);
	expect_scan(s, 0, 0, PNYX_OK, "");
	expect_scan(s, 0, 1, PNYX_ERR_CORRUPT, "");
	write_three(s);
	/* inside the transaction: its pending writes */
	expect_scan(s, 0, 3, PNYX_OK, "zero|one|two|");
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	expect_scan(s, 0, 3, PNYX_OK, "zero|one|two|");
	expect_scan(s, 1, 2, PNYX_OK, "one|");
	expect_scan(s, 2, 3, PNYX_OK, "two|");
	expect_scan(s, 2, 2, PNYX_OK, "");
	expect_scan(s, 3, 3, PNYX_OK, "");
	expect_scan(s, 3, 1, PNYX_OK, "");
	/* a range past the stored entries is a hole: corrupt */
	expect_scan(s, 1, 5, PNYX_ERR_CORRUPT, "one|two|");
	expect_scan(s, 10, 12, PNYX_ERR_CORRUPT, "");
	expect_scan(s, 0, UINT64_MAX, PNYX_ERR_CORRUPT, "");
	pnyx_store_close(s);
	/* a hole in the middle, and a value that is not a blob */
	exec_sql(path, "DELETE FROM entries WHERE idx = 1;");
	s = open_store(path);
	expect_scan(s, 0, 3, PNYX_ERR_CORRUPT, "zero|");
	expect_scan(s, 2, 3, PNYX_OK, "two|");
	pnyx_store_close(s);
	exec_sql(path, "INSERT INTO entries VALUES (1, 'one');");
	s = open_store(path);
	expect_scan(s, 0, 3, PNYX_ERR_CORRUPT, "zero|");
	pnyx_store_close(s);
}

/* A scan stops where its function says; the store is usable after. */
static void test_scan_stops(void **state)
{
	(void)state;
	pnyx_store *s = create_store(db_path("store-scan-stop"));
	write_three(s);
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	scan_seen w = {.stop_after = 2};
	assert_int_equal(s->ops->scan_entries(s, 0, 3, see_entry, &w),
			 PNYX_ERR_MISMATCH);
	assert_string_equal(w.text, "zero|one|");
	expect_scan(s, 0, 3, PNYX_OK, "zero|one|two|");
	assert_int_equal(s->ops->begin(s), PNYX_OK);
	assert_int_equal(s->ops->put_entry(s, 3, (const uint8_t *)"3", 1),
			 PNYX_OK);
	assert_int_equal(s->ops->commit(s), PNYX_OK);
	expect_scan(s, 0, 4, PNYX_OK, "zero|one|two|3|");
	pnyx_store_close(s);
}

/* One scan is one read transaction: a commit by another connection
 * during the scan is not seen by it, only by the next scan. */
static void test_scan_one_snapshot(void **state)
{
	(void)state;
	const char *path = db_path("store-scan-snapshot");
	pnyx_store *a = create_store(path);
	write_three(a);
	assert_int_equal(a->ops->commit(a), PNYX_OK);
	pnyx_store *b = open_store(path);
	scan_seen w = {.writer = b};
	assert_int_equal(a->ops->scan_entries(a, 0, 4, see_entry, &w),
			 PNYX_ERR_CORRUPT);
	assert_string_equal(w.text, "zero|one|two|");
	expect_scan(a, 0, 4, PNYX_OK, "zero|one|two|3|");
	pnyx_store_close(b);
	pnyx_store_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_open_rules),
		cmocka_unit_test(test_stale_wal_refused),
		cmocka_unit_test(test_empty_store),
		cmocka_unit_test(test_rollback_leaves_nothing),
		cmocka_unit_test(test_close_without_commit),
		cmocka_unit_test(test_write_conflicts),
		cmocka_unit_test(test_hash_ranges),
		cmocka_unit_test(test_hash_holes_and_shapes),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_checkpoints),
		cmocka_unit_test(test_not_a_pnyx_store),
		cmocka_unit_test(test_unknown_schema),
		cmocka_unit_test(test_corrupt_size),
		cmocka_unit_test(test_wal_mode),
		cmocka_unit_test(test_second_writer),
		cmocka_unit_test(test_scan_entries),
		cmocka_unit_test(test_scan_stops),
		cmocka_unit_test(test_scan_one_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
