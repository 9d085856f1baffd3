/* Helpers for the log tests: a reference Merkle tree and test entries. */
#ifndef PNYX_TEST_LOG_SUPPORT_H
#define PNYX_TEST_LOG_SUPPORT_H

#include "pnyx/hash.h"
#include "pnyx/log.h"

#include <stddef.h>
#include <stdint.h>

/* The bytes of test entry i: a deterministic pattern of test_entry_len(i)
 * bytes written to out (room for PNYX_ENTRY_MAX bytes). */
size_t test_entry_len(uint64_t i);
void test_entry_fill(uint64_t i, uint8_t *out);

/* Reference leaves: leaf hashes of entries, grown by the tests. */
typedef struct ref_tree {
	pnyx_hash *leaves;
	size_t n;
	size_t cap;
} ref_tree;

void ref_add(ref_tree *t, const uint8_t *entry, size_t n);
void ref_free(ref_tree *t);

/* RFC 6962 root of the first size leaves, computed independently of
 * pnyx_merkle_edge: level by level, the odd node of a level carried up. */
void ref_root(const ref_tree *t, size_t size, pnyx_hash *out);

/* Runs sql on the SQLite database at path, outside any store (aborts with
 * SQLite's message on failure): for tests that break a store by hand. */
void test_exec_sql(const char *path, const char *sql);

/* Copies the file at from to to (aborts on failure). */
void test_copy_file(const char *from, const char *to);

/* Removes path, path-wal and path-shm, ignoring absent files. */
void test_remove_db(const char *path);

#endif
