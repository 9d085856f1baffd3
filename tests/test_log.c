/*
 * Tests of the durable log (pnyx/log.h) over the SQLite store, with roots
 * checked against a reference tree computed here from the leaves, and fault
 * loops: every allocation and storage call (and, in a second loop, every
 * allocation SQLite makes) of "open a log of N entries, append K" fails in
 * turn; the append must fail with the log as before, or succeed, and the
 * file must reopen in exactly that state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pnyx/checkpoint.h"
#include "pnyx/fault.h"
#include "pnyx/log.h"
#include "pnyx/note.h"

#include "fault_store.h"
#include "log_support.h"
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORIGIN "example.org/pnyx-log"

/* One test's log and its reference. */
typedef struct fixture {
	char path[4200];
	pnyx_signer signer;
	pnyx_verifier key;
	pnyx_log *log;
	ref_tree ref;
	uint8_t *scratch; /* PNYX_ENTRY_MAX + 1 bytes */
} fixture;

/* ---- SQLite's allocator behind pnyx_fault_hit ---- */

static sqlite3_mem_methods sqlite_mem;
static bool sqlite_faults; /* SQLite's allocations are fault points */

static void *fault_sqlite_malloc(int n)
{
	if (sqlite_faults && pnyx_fault_hit())
		return NULL;
	return sqlite_mem.xMalloc(n);
}

static void *fault_sqlite_realloc(void *p, int n)
{
	if (sqlite_faults && pnyx_fault_hit())
		return NULL;
	return sqlite_mem.xRealloc(p, n);
}

static void install_sqlite_faults(void)
{
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
		abort();
	sqlite3_mem_methods m = sqlite_mem;
	m.xMalloc = fault_sqlite_malloc;
	m.xRealloc = fault_sqlite_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		abort();
}

/* ---- fixtures ---- */

static pnyx_log *open_log_at(const char *path)
{
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &s,
					      &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(s, &log, &diag);
	if (err != PNYX_OK)
		fail_msg("open %s: %s (%s)", path, pnyx_err_name(err),
			 diag.msg);
	return log;
}

static fixture *fixture_new(const char *name)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->path, sizeof f->path, "%s/log.db", test_tmpdir(name));
	assert_int_equal(pnyx_signer_generate(ORIGIN, &f->signer), PNYX_OK);
	pnyx_signer_verifier(&f->signer, &f->key);
	f->scratch = malloc(PNYX_ENTRY_MAX + 1);
	assert_non_null(f->scratch);
	pnyx_store *s = NULL;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_store_sqlite_open(f->path, PNYX_STORE_CREATE, &s,
						&diag),
			 PNYX_OK);
	pnyx_err err = pnyx_log_create(s, &f->key, &f->log, &diag);
	if (err != PNYX_OK)
		fail_msg("create: %s", diag.msg);
	return f;
}

static void fixture_reopen(fixture *f)
{
	pnyx_log_close(f->log);
	f->log = open_log_at(f->path);
}

static void fixture_free(fixture *f)
{
	pnyx_log_close(f->log);
	ref_free(&f->ref);
	pnyx_signer_clear(&f->signer);
	free(f->scratch);
	free(f);
}

/* Appends test entries [size, size + n) in one batch. */
static void append_n(fixture *f, size_t n)
{
	uint64_t base = pnyx_log_size(f->log);
	pnyx_entry *e = calloc(n, sizeof *e);
	uint8_t **bytes = calloc(n, sizeof *bytes);
	assert_true(e != NULL && bytes != NULL);
	for (size_t i = 0; i < n; i++) {
		e[i].n = test_entry_len(base + i);
		bytes[i] = malloc(e[i].n);
		assert_non_null(bytes[i]);
		test_entry_fill(base + i, bytes[i]);
		e[i].p = bytes[i];
		ref_add(&f->ref, e[i].p, e[i].n);
	}
	uint64_t first = UINT64_MAX;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_log_append(f->log, e, n, &first, &diag);
	if (err != PNYX_OK)
		fail_msg("append: %s", diag.msg);
	assert_int_equal(first, base);
	for (size_t i = 0; i < n; i++)
		free(bytes[i]);
	free(bytes);
	free(e);
}

static void expect_root(fixture *f)
{
	pnyx_hash got, want;
	assert_int_equal(pnyx_log_size(f->log), f->ref.n);
	pnyx_log_root(f->log, &got);
	ref_root(&f->ref, f->ref.n, &want);
	assert_memory_equal(got.b, want.b, PNYX_HASH_LEN);
}

/* A log of sizes built from the batches below, checked after each. */
static const size_t batches[] = {1, 1, 2, 3, 1, 8, 16, 5, 100, 64, 31, 1, 200};

static fixture *fixture_filled(const char *name)
{
	fixture *f = fixture_new(name);
	for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
		append_n(f, batches[b]);
		expect_root(f);
	}
	return f;
}

/* ---- tests ---- */

static void test_empty_log(void **state)
{
	(void)state;
	fixture *f = fixture_new("log-empty");
	pnyx_hash root, empty;
	pnyx_log_root(f->log, &root);
	pnyx_merkle_empty_root(&empty);
	assert_memory_equal(root.b, empty.b, PNYX_HASH_LEN);
	assert_int_equal(pnyx_log_size(f->log), 0);
	assert_string_equal(pnyx_log_key(f->log)->name, ORIGIN);
	fixture_reopen(f);
	assert_int_equal(pnyx_log_size(f->log), 0);
	assert_memory_equal(pnyx_log_key(f->log)->pk, f->key.pk, 32);
	assert_int_equal(pnyx_log_key(f->log)->hash, f->key.hash);
	assert_int_equal(pnyx_log_root_at(f->log, 0, &root), PNYX_OK);
	assert_memory_equal(root.b, empty.b, PNYX_HASH_LEN);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_log_latest_checkpoint(f->log, &b),
			 PNYX_ERR_NOT_FOUND);
	assert_int_equal(pnyx_log_entry(f->log, 0, &b), PNYX_ERR_RANGE);
	pnyx_buf_clear(&b);
	fixture_free(f);
}

static void test_append_and_read(void **state)
{
	(void)state;
	fixture *f = fixture_filled("log-append");
	pnyx_hash want, got;
	ref_root(&f->ref, f->ref.n, &want);
	fixture_reopen(f);
	expect_root(f);
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_ENTRY_MAX);
	for (uint64_t i = 0; i < f->ref.n; i++) {
		pnyx_buf_reset(&b);
		assert_int_equal(pnyx_log_entry(f->log, i, &b), PNYX_OK);
		assert_int_equal(b.len, test_entry_len(i));
		test_entry_fill(i, f->scratch);
		assert_memory_equal(b.data, f->scratch, b.len);
	}
	pnyx_buf_clear(&b);
	for (size_t size = 0; size <= f->ref.n; size++) {
		assert_int_equal(pnyx_log_root_at(f->log, size, &got), PNYX_OK);
		ref_root(&f->ref, size, &want);
		assert_memory_equal(got.b, want.b, PNYX_HASH_LEN);
	}
	/* appends go on after a reopen */
	append_n(f, 7);
	expect_root(f);
	fixture_reopen(f);
	expect_root(f);
	fixture_free(f);
}

static void test_entry_limits(void **state)
{
	(void)state;
	fixture *f = fixture_filled("log-limits");
	pnyx_log_close(f->log);
	size_t db_len = 0;
	uint8_t *db = test_read_file(f->path, &db_len);
	f->log = open_log_at(f->path);
	pnyx_hash before, after;
	pnyx_log_root(f->log, &before);
	memset(f->scratch, 'x', PNYX_ENTRY_MAX + 1);
	pnyx_entry e[3] = {{f->scratch, 10}, {f->scratch, PNYX_ENTRY_MAX + 1},
			   {f->scratch, 5}};
	pnyx_diag diag = {{0}};
	uint64_t first = 77;
	assert_int_equal(pnyx_log_append(f->log, e, 3, &first, &diag),
			 PNYX_ERR_TOO_LARGE);
	assert_true(strstr(diag.msg, "entry 1") != NULL);
	e[1].n = 0;
	assert_int_equal(pnyx_log_append(f->log, e, 3, &first, &diag),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_log_append(f->log, &e[1], 1, &first, &diag),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(first, 77);
	assert_int_equal(pnyx_log_size(f->log), f->ref.n);
	pnyx_log_root(f->log, &after);
	assert_memory_equal(before.b, after.b, PNYX_HASH_LEN);
	pnyx_log_close(f->log);
	size_t db2_len = 0;
	uint8_t *db2 = test_read_file(f->path, &db2_len);
	assert_int_equal(db_len, db2_len);
	assert_memory_equal(db, db2, db_len);
	free(db);
	free(db2);

	/* the largest entry is accepted */
	f->log = open_log_at(f->path);
	e[1].n = PNYX_ENTRY_MAX;
	ref_add(&f->ref, e[1].p, e[1].n);
	assert_int_equal(pnyx_log_append(f->log, &e[1], 1, &first, &diag),
			 PNYX_OK);
	assert_int_equal(first, f->ref.n - 1);
	fixture_reopen(f);
	expect_root(f);
	fixture_free(f);
}

static void check_inclusion(fixture *f, uint64_t index, uint64_t size)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], root;
	size_t n = 0;
	assert_int_equal(pnyx_log_inclusion_proof(f->log, index, size, proof,
						  &n),
			 PNYX_OK);
	ref_root(&f->ref, size, &root);
	assert_int_equal(pnyx_merkle_verify_inclusion(&f->ref.leaves[index],
						      index, size, proof, n,
						      &root),
			 PNYX_OK);
	if (n > 0) {
		proof[n - 1].b[0] ^= 1;
		assert_int_equal(pnyx_merkle_verify_inclusion(
					 &f->ref.leaves[index], index, size,
					 proof, n, &root),
				 PNYX_ERR_BAD_PROOF);
	}
}

static void check_consistency(fixture *f, uint64_t old, uint64_t size)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], old_root, root;
	size_t n = 0;
	assert_int_equal(pnyx_log_consistency_proof(f->log, old, size, proof,
						    &n),
			 PNYX_OK);
	ref_root(&f->ref, old, &old_root);
	ref_root(&f->ref, size, &root);
	assert_int_equal(pnyx_merkle_verify_consistency(old, size, proof, n,
							&old_root, &root),
			 PNYX_OK);
}

static void test_proofs(void **state)
{
	(void)state;
	fixture *f = fixture_filled("log-proofs");
	uint64_t total = f->ref.n;
	for (uint64_t size = 1; size <= total; size += (size < 40 ? 1 : 37)) {
		for (uint64_t i = 0; i < size; i += (size < 40 ? 1 : 11))
			check_inclusion(f, i, size);
		check_inclusion(f, size - 1, size);
		for (uint64_t old = 0; old <= size; old += (size < 40 ? 1 : 13))
			check_consistency(f, old, size);
		check_consistency(f, size, size);
	}
	check_inclusion(f, total - 1, total);
	check_consistency(f, 1, total);
	check_consistency(f, total - 1, total);
	fixture_free(f);
}

static void test_read_hashes(void **state)
{
	(void)state;
	fixture *f = fixture_filled("log-read-hashes");
	uint64_t total = f->ref.n; /* 433 */
	pnyx_hash out[512];
	assert_int_equal(pnyx_log_read_hashes(f->log, 0, 0, total, out),
			 PNYX_OK);
	assert_memory_equal(out, f->ref.leaves, total * sizeof *out);
	assert_int_equal(pnyx_log_read_hashes(f->log, 8, 0, 1, out), PNYX_OK);
	pnyx_hash want;
	ref_root(&f->ref, 256, &want);
	assert_memory_equal(out[0].b, want.b, PNYX_HASH_LEN);
	assert_int_equal(pnyx_log_read_hashes(f->log, 0, total, 0, out),
			 PNYX_OK);
	assert_int_equal(pnyx_log_read_hashes(f->log, 0, 0, total + 1, out),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_read_hashes(f->log, 0, total, 1, out),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_read_hashes(f->log, 8, 1, 1, out),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_read_hashes(f->log, 9, 0, 1, out),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_read_hashes(f->log, 64, 0, 0, out),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_read_hashes(f->log, 0, UINT64_MAX, 2, out),
			 PNYX_ERR_RANGE);
	fixture_free(f);
}

static void test_range_errors(void **state)
{
	(void)state;
	fixture *f = fixture_new("log-ranges");
	append_n(f, 5);
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], h;
	size_t n = 0;
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_ENTRY_MAX);
	assert_int_equal(pnyx_log_entry(f->log, 5, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_entry(f->log, UINT64_MAX, &b),
			 PNYX_ERR_RANGE);
	assert_int_equal(b.len, 0);
	pnyx_buf_clear(&b);
	assert_int_equal(pnyx_log_root_at(f->log, 6, &h), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_inclusion_proof(f->log, 5, 5, proof, &n),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_inclusion_proof(f->log, 2, 6, proof, &n),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_inclusion_proof(f->log, 0, 0, proof, &n),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_consistency_proof(f->log, 4, 3, proof, &n),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_consistency_proof(f->log, 3, 6, proof, &n),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_consistency_proof(f->log, 0, 5, proof, &n),
			 PNYX_OK);
	assert_int_equal(n, 0);
	fixture_free(f);
}

static void open_checkpoint(fixture *f, const pnyx_buf *note, uint64_t size)
{
	pnyx_note opened = {0};
	pnyx_checkpoint cp;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_note_open(note->data, note->len, 4096, &f->key, 1,
				      &opened, &diag);
	if (err != PNYX_OK)
		fail_msg("note: %s", diag.msg);
	assert_int_equal(pnyx_checkpoint_parse(opened.text, opened.text_len,
					       &cp, &diag),
			 PNYX_OK);
	assert_string_equal(cp.origin, ORIGIN);
	assert_int_equal(cp.size, size);
	pnyx_hash want;
	ref_root(&f->ref, size, &want);
	assert_memory_equal(cp.root.b, want.b, PNYX_HASH_LEN);
	assert_null(cp.ext);
	pnyx_note_clear(&opened);
}

static void test_checkpoints(void **state)
{
	(void)state;
	fixture *f = fixture_new("log-checkpoints");
	pnyx_buf note, latest;
	pnyx_buf_init(&note, 4096);
	pnyx_buf_init(&latest, 4096);
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_log_checkpoint(f->log, &f->signer, &note, &diag),
			 PNYX_OK);
	open_checkpoint(f, &note, 0);
	append_n(f, 11);
	pnyx_buf_reset(&note);
	assert_int_equal(pnyx_log_checkpoint(f->log, &f->signer, &note, &diag),
			 PNYX_OK);
	open_checkpoint(f, &note, 11);
	fixture_reopen(f);
	assert_int_equal(pnyx_log_latest_checkpoint(f->log, &latest), PNYX_OK);
	assert_int_equal(latest.len, note.len);
	assert_memory_equal(latest.data, note.data, note.len);

	/* another key, or the right name with another key, is refused */
	pnyx_signer other;
	assert_int_equal(pnyx_signer_generate(ORIGIN, &other), PNYX_OK);
	pnyx_buf_reset(&note);
	assert_int_equal(pnyx_log_checkpoint(f->log, &other, &note, &diag),
			 PNYX_ERR_MISMATCH);
	assert_int_equal(note.len, 0);
	pnyx_signer_clear(&other);
	assert_int_equal(pnyx_signer_generate("example.org/other", &other),
			 PNYX_OK);
	assert_int_equal(pnyx_log_checkpoint(f->log, &other, &note, &diag),
			 PNYX_ERR_MISMATCH);
	pnyx_signer_clear(&other);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&latest);
	fixture_free(f);
}

static pnyx_err try_open_log(const char *path, pnyx_diag *diag)
{
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &s, diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(s, &log, diag);
	pnyx_log_close(log);
	return err;
}

static void test_create_rules(void **state)
{
	(void)state;
	fixture *f = fixture_new("log-create-rules");
	append_n(f, 3);
	pnyx_log_close(f->log);
	f->log = NULL;
	pnyx_diag diag = {{0}};
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	/* a store that holds a log */
	assert_int_equal(pnyx_store_sqlite_open(f->path, PNYX_STORE_OPEN, &s,
						&diag),
			 PNYX_OK);
	assert_int_equal(pnyx_log_create(s, &f->key, &log, &diag),
			 PNYX_ERR_EXISTS);
	/* a store without a log */
	char path[4300];
	snprintf(path, sizeof path, "%s.fresh", f->path);
	assert_int_equal(pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &s,
						&diag),
			 PNYX_OK);
	pnyx_store_close(s);
	assert_int_equal(try_open_log(path, &diag), PNYX_ERR_CORRUPT);
	/* a key that is not valid */
	assert_int_equal(pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &s,
						&diag),
			 PNYX_OK);
	pnyx_verifier bad = f->key;
	bad.hash ^= 1;
	assert_int_equal(pnyx_log_create(s, &bad, &log, &diag),
			 PNYX_ERR_MALFORMED);
	f->log = open_log_at(f->path);
	expect_root(f);
	fixture_free(f);
}

/* Breaks a copy of a good log with sql; opening it must say corrupt. */
static void expect_corrupt(const char *good, const char *sql)
{
	char path[4300];
	snprintf(path, sizeof path, "%s.broken", good);
	test_remove_db(path);
	test_copy_file(good, path);
	test_exec_sql(path, sql);
	pnyx_diag diag = {{0}};
	pnyx_err err = try_open_log(path, &diag);
	if (err != PNYX_ERR_CORRUPT)
		fail_msg("%s: %s", sql, pnyx_err_name(err));
}

static void test_corrupt_stores(void **state)
{
	(void)state;
	fixture *f = fixture_new("log-corrupt");
	append_n(f, 13);
	pnyx_log_close(f->log);
	f->log = NULL;
	expect_corrupt(f->path, "INSERT INTO entries VALUES (13, x'00');");
	expect_corrupt(f->path, "DELETE FROM entries WHERE idx = 12;");
	expect_corrupt(f->path, "UPDATE entries SET data = x'00' "
				"WHERE idx = 12;");
	expect_corrupt(f->path, "DELETE FROM hashes WHERE level = 2;");
	expect_corrupt(f->path, "DELETE FROM hashes WHERE level = 0 "
				"AND idx = 12;");
	expect_corrupt(f->path, "UPDATE tree SET size = 14;");
	expect_corrupt(f->path, "DELETE FROM meta WHERE key = 'vkey';");
	expect_corrupt(f->path, "UPDATE meta SET value = x'41' "
				"WHERE key = 'vkey';");
	expect_corrupt(f->path, "UPDATE meta SET value = x'41' "
				"WHERE key = 'origin';");
	expect_corrupt(f->path, "DELETE FROM meta WHERE key = 'origin';");
	f->log = open_log_at(f->path);
	fixture_free(f);
}

/* ---- fault loops ---- */

#define FAULT_N 5 /* entries before */
#define FAULT_K 6 /* entries in the failing batch */

enum outcome { OPEN_FAILED, APPEND_FAILED, APPEND_OK };

typedef struct fault_case {
	char path[4200];
	char pristine[4300];
	pnyx_hash before, after;
	pnyx_entry entries[FAULT_K];
	uint8_t bytes[FAULT_K][PNYX_ENTRY_MAX];
} fault_case;

static void expect_state(pnyx_log *log, uint64_t size, const pnyx_hash *root)
{
	pnyx_hash got;
	assert_int_equal(pnyx_log_size(log), size);
	pnyx_log_root(log, &got);
	assert_memory_equal(got.b, root->b, PNYX_HASH_LEN);
}

static bool transient(pnyx_err err)
{
	return err == PNYX_ERR_STORAGE || err == PNYX_ERR_NOMEM;
}

/* Opens the log through the fault store and appends the batch, under
 * whatever fault is armed. */
static enum outcome run_scenario(fault_case *c)
{
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(c->path, PNYX_STORE_OPEN, &s,
					      &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(fault_store_wrap(s), &log, &diag);
	if (err != PNYX_OK) {
		if (!transient(err))
			fail_msg("open: %s (%s)", pnyx_err_name(err), diag.msg);
		return OPEN_FAILED;
	}
	expect_state(log, FAULT_N, &c->before);
	uint64_t first = UINT64_MAX;
	err = pnyx_log_append(log, c->entries, FAULT_K, &first, &diag);
	if (err != PNYX_OK) {
		if (!transient(err))
			fail_msg("append: %s (%s)", pnyx_err_name(err),
				 diag.msg);
		assert_int_equal(first, UINT64_MAX);
		expect_state(log, FAULT_N, &c->before);
	} else {
		assert_int_equal(first, FAULT_N);
		expect_state(log, FAULT_N + FAULT_K, &c->after);
	}
	pnyx_log_close(log);
	return err == PNYX_OK ? APPEND_OK : APPEND_FAILED;
}

/* With no fault armed: the file holds exactly the tree of size entries. */
static void verify_file(fault_case *c, uint64_t size, const pnyx_hash *root)
{
	pnyx_log *log = open_log_at(c->path);
	expect_state(log, size, root);
	ref_tree ref = {0};
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_ENTRY_MAX);
	for (uint64_t i = 0; i < size; i++) {
		pnyx_buf_reset(&b);
		assert_int_equal(pnyx_log_entry(log, i, &b), PNYX_OK);
		ref_add(&ref, b.data, b.len);
	}
	pnyx_hash got;
	ref_root(&ref, size, &got);
	assert_memory_equal(got.b, root->b, PNYX_HASH_LEN);
	pnyx_buf_clear(&b);
	ref_free(&ref);
	pnyx_log_close(log);
}

static void restore_file(fault_case *c)
{
	test_remove_db(c->path);
	test_copy_file(c->pristine, c->path);
}

static fault_case *fault_case_new(const char *name)
{
	fixture *f = fixture_new(name);
	append_n(f, FAULT_N);
	pnyx_log_close(f->log);
	f->log = NULL;
	fault_case *c = calloc(1, sizeof *c);
	assert_non_null(c);
	snprintf(c->path, sizeof c->path, "%s", f->path);
	snprintf(c->pristine, sizeof c->pristine, "%s.pristine", f->path);
	test_copy_file(c->path, c->pristine);
	ref_root(&f->ref, FAULT_N, &c->before);
	for (size_t i = 0; i < FAULT_K; i++) {
		c->entries[i].n = test_entry_len(FAULT_N + i);
		test_entry_fill(FAULT_N + i, c->bytes[i]);
		c->entries[i].p = c->bytes[i];
		ref_add(&f->ref, c->bytes[i], c->entries[i].n);
	}
	ref_root(&f->ref, FAULT_N + FAULT_K, &c->after);
	fixture_free(f);
	return c;
}

/* Fails each fault point of the scenario in turn. Returns the number of
 * points; *ok counts runs that succeeded in spite of their fault. */
static uint64_t fault_loop(const char *name, uint64_t *ok)
{
	fault_case *c = fault_case_new(name);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	enum outcome r = run_scenario(c);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_int_equal(r, APPEND_OK);
	verify_file(c, FAULT_N + FAULT_K, &c->after);
	*ok = 0;
	for (uint64_t i = 1; i <= points + 1; i++) {
		restore_file(c);
		pnyx_fault_arm(i);
		r = run_scenario(c);
		pnyx_fault_disarm();
		if (r == APPEND_OK) {
			verify_file(c, FAULT_N + FAULT_K, &c->after);
			*ok += i <= points;
		} else {
			assert_true(i <= points);
			verify_file(c, FAULT_N, &c->before);
		}
	}
	test_remove_db(c->pristine);
	free(c);
	return points;
}

static void test_fault_loop(void **state)
{
	(void)state;
	uint64_t ok = 0;
	uint64_t points = fault_loop("log-faults", &ok);
	printf("# fault loop: %llu points (allocations and storage calls)\n",
	       (unsigned long long)points);
	assert_true(points > FAULT_K);
	/* nothing fallible follows the commit: every fault is an error */
	assert_int_equal(ok, 0);
}

static void test_sqlite_fault_loop(void **state)
{
	(void)state;
	uint64_t ok = 0;
	sqlite_faults = true;
	uint64_t points = fault_loop("log-sqlite-faults", &ok);
	sqlite_faults = false;
	printf("# SQLite allocation fault loop: %llu points, %llu absorbed\n",
	       (unsigned long long)points, (unsigned long long)ok);
}

int main(void)
{
	/* before anything touches SQLite */
	install_sqlite_faults();
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_log),
		cmocka_unit_test(test_append_and_read),
		cmocka_unit_test(test_entry_limits),
		cmocka_unit_test(test_proofs),
		cmocka_unit_test(test_read_hashes),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_checkpoints),
		cmocka_unit_test(test_create_rules),
		cmocka_unit_test(test_corrupt_stores),
		cmocka_unit_test(test_fault_loop),
		cmocka_unit_test(test_sqlite_fault_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
