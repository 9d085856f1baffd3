/* Helpers for the log tests: see log_support.h. */
#include "log_support.h"

#include "pnyx/merkle.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t test_entry_len(uint64_t i)
{
	/* 1 to 700 bytes, varied */
	return (size_t)((i * 7919u + 13u) % 700u) + 1u;
}

void test_entry_fill(uint64_t i, uint8_t *out)
{
	size_t n = test_entry_len(i);
	for (size_t k = 0; k < n; k++)
		out[k] = (uint8_t)((i * 31u + k * 7u) & 0xffu);
}

void ref_add(ref_tree *t, const uint8_t *entry, size_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->leaves = realloc(t->leaves, t->cap * sizeof *t->leaves);
		if (t->leaves == NULL)
			abort();
	}
	pnyx_merkle_leaf_hash(entry, n, &t->leaves[t->n++]);
}

void ref_free(ref_tree *t)
{
	free(t->leaves);
	memset(t, 0, sizeof *t);
}

void ref_root(const ref_tree *t, size_t size, pnyx_hash *out)
{
	if (size == 0) {
		pnyx_sha256(NULL, 0, out);
		return;
	}
	pnyx_hash *level = malloc(size * sizeof *level);
	if (level == NULL)
		abort();
	memcpy(level, t->leaves, size * sizeof *level);
	size_t n = size;
	while (n > 1) {
		size_t m = 0;
		for (size_t i = 0; i + 1 < n; i += 2)
			pnyx_merkle_node_hash(&level[i], &level[i + 1],
					      &level[m++]);
		if (n % 2 == 1)
			level[m++] = level[n - 1];
		n = m;
	}
	*out = level[0];
	free(level);
}

void test_exec_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql,
			msg != NULL ? msg : sqlite3_errmsg(db));
		abort();
	}
	sqlite3_close(db);
}

void test_copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	FILE *out = fopen(to, "wb");
	if (in == NULL || out == NULL)
		abort();
	char buf[65536];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, out) != got)
			abort();
	fclose(in);
	if (fclose(out) != 0)
		abort();
}

void test_remove_db(const char *path)
{
	char side[4200];
	(void)unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	(void)unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	(void)unlink(side);
}
