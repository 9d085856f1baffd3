/*
 * Tests for the pnyx_log side of pnyx/tile.h (C2SP tlog-tiles v0.1.0):
 *  - every tile (levels 0 and 1) and entry bundle of a real log at every
 *    tile boundary up to 2,049 entries, against leaf hashes kept here (and
 *    level-1 hashes computed pairwise here); the root from the rightmost
 *    tiles and pnyx_tile_verify_tree over the log's tiles equal to
 *    pnyx_log_root; older partial tiles; every out-of-range request;
 *  - pnyx_log_tile_resource for parsed paths;
 *  - bundle length prefixes (1, 255, 256, 65,535 bytes), a buffer too
 *    small, and every allocation failing in turn (out left as before).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/fault.h"
#include "pnyx/log.h"
#include "pnyx/tile.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))
#define ORIGIN "example.org/pnyx-tiles"

typedef struct fixture {
	pnyx_signer signer;
	pnyx_verifier key;
	pnyx_log *log;
	pnyx_hash *leaves; /* leaf hashes of the entries appended */
	uint8_t *scratch;  /* PNYX_ENTRY_MAX bytes */
} fixture;

static size_t entry_len(uint64_t i)
{
	return (size_t)((i * 7919u + 13u) % 300u) + 1u;
}

static void entry_fill(uint64_t i, uint8_t *out)
{
	for (size_t k = 0; k < entry_len(i); k++)
		out[k] = (uint8_t)((i * 31u + k * 7u) & 0xffu);
}

static fixture *fixture_new(const char *name, size_t max)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	char path[4200];
	snprintf(path, sizeof path, "%s/log.db", test_tmpdir(name));
	assert_int_equal(pnyx_signer_generate(ORIGIN, &f->signer), PNYX_OK);
	pnyx_signer_verifier(&f->signer, &f->key);
	f->leaves = calloc(max, sizeof *f->leaves);
	f->scratch = malloc(PNYX_ENTRY_MAX);
	assert_true(f->leaves != NULL && f->scratch != NULL);
	pnyx_store *s = NULL;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &s,
						&diag),
			 PNYX_OK);
	assert_int_equal(pnyx_log_create(s, &f->key, &f->log, &diag), PNYX_OK);
	return f;
}

static void fixture_free(fixture *f)
{
	pnyx_log_close(f->log);
	pnyx_signer_clear(&f->signer);
	free(f->leaves);
	free(f->scratch);
	free(f);
}

/* Appends the test entries up to size, one batch. */
static void grow_to(fixture *f, uint64_t size)
{
	uint64_t base = pnyx_log_size(f->log);
	size_t n = (size_t)(size - base), off = 0;
	pnyx_entry *e = calloc(n, sizeof *e);
	uint8_t *bytes = malloc(n * 300);
	assert_true(e != NULL && bytes != NULL);
	for (size_t i = 0; i < n; i++) {
		e[i] = (pnyx_entry){bytes + off, entry_len(base + i)};
		entry_fill(base + i, bytes + off);
		pnyx_merkle_leaf_hash(e[i].p, e[i].n, &f->leaves[base + i]);
		off += e[i].n;
	}
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_log_append(f->log, e, n, NULL, &diag), PNYX_OK);
	free(bytes);
	free(e);
}

/* The hash of 256 leaves, pairwise up (not with the code under test). */
static void hash256(const pnyx_hash *leaves, pnyx_hash *out)
{
	pnyx_hash h[256];
	memcpy(h, leaves, sizeof h);
	for (size_t len = 256; len > 1; len /= 2)
		for (size_t i = 0; i < len / 2; i++)
			pnyx_merkle_node_hash(&h[2 * i], &h[2 * i + 1], &h[i]);
	*out = h[0];
}

/* The expected tile (level 0 or 1) from the leaf hashes kept here. */
static void expect_tile(const fixture *f, unsigned level, uint64_t index,
			unsigned width, uint8_t *out)
{
	for (unsigned i = 0; i < width; i++) {
		uint64_t x = index * 256 + i;
		pnyx_hash h = f->leaves[x];
		if (level == 1)
			hash256(&f->leaves[x * 256], &h);
		memcpy(out + i * 32, h.b, 32);
	}
}

static void check_bundle(fixture *f, uint64_t n, unsigned w, pnyx_buf *b)
{
	pnyx_buf_reset(b);
	assert_int_equal(pnyx_log_bundle(f->log, n, w, b), PNYX_OK);
	pnyx_entry e[256];
	assert_int_equal(pnyx_tile_bundle_parse(b->data, b->len, w, e),
			 PNYX_OK);
	for (unsigned i = 0; i < w; i++) {
		assert_int_equal(e[i].n, entry_len(n * 256 + i));
		entry_fill(n * 256 + i, f->scratch);
		assert_memory_equal(e[i].p, f->scratch, e[i].n);
	}
	uint8_t tile[PNYX_TILE_BYTES];
	expect_tile(f, 0, n, w, tile);
	assert_int_equal(pnyx_tile_bundle_verify(e, w, tile, NULL), PNYX_OK);
}

static pnyx_err log_tile_reader(void *ctx, unsigned level, uint64_t index,
				unsigned width, uint8_t *out)
{
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_TILE_BYTES);
	pnyx_err err = pnyx_log_tile(ctx, level, index, width, &b);
	if (err == PNYX_OK)
		memcpy(out, b.data, b.len);
	pnyx_buf_clear(&b);
	return err;
}

/* Every tile and bundle of the log at its current size, and the roots. */
static void check_log(fixture *f)
{
	uint64_t size = pnyx_log_size(f->log);
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 20);
	uint8_t want[PNYX_TILE_BYTES];
	for (unsigned l = 0; l < 3; l++) {
		uint64_t count = pnyx_tile_count(size, l);
		for (uint64_t n = 0; n <= count; n++) {
			unsigned w = pnyx_tile_width(size, l, n);
			pnyx_buf_reset(&b);
			pnyx_err err = pnyx_log_tile(f->log, l, n, w ? w : 1, &b);
			assert_int_equal(err, w ? PNYX_OK : PNYX_ERR_RANGE);
			if (w == 0)
				continue;
			assert_int_equal(b.len, w * 32);
			expect_tile(f, l, n, w, want);
			assert_memory_equal(b.data, want, b.len);
			if (l == 0)
				check_bundle(f, n, w, &b);
		}
	}
	pnyx_hash root, got;
	pnyx_log_root(f->log, &root);
	assert_int_equal(pnyx_tile_tree_root(size, log_tile_reader, f->log,
					     &got),
			 PNYX_OK);
	assert_memory_equal(got.b, root.b, 32);
	pnyx_diag diag = {{0}};
	if (pnyx_tile_verify_tree(size, &root, log_tile_reader, f->log,
				  &diag) != PNYX_OK)
		fail_msg("size %llu: %s", (unsigned long long)size, diag.msg);
	pnyx_buf_clear(&b);
}

static const uint64_t sizes[] = {
	1,    2,    3,    7,    8,    9,    127,  128,  129,  254,  255,  256,
	257,  300,  511,  512,  513,  767,  768,  769,  1023, 1024, 1025, 1279,
	1280, 1281, 1500, 1791, 1792, 1793, 2000, 2047, 2048, 2049};
#define N_SIZES (sizeof sizes / sizeof sizes[0])

/* The log of 2,049 entries, built and checked at every size above. */
static int setup_log(void **state)
{
	fixture *f = fixture_new("tile-log", sizes[N_SIZES - 1]);
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 20);
	/* the empty log has no tiles */
	assert_int_equal(pnyx_log_tile(f->log, 0, 0, 1, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_bundle(f->log, 0, 1, &b), PNYX_ERR_RANGE);
	pnyx_buf_clear(&b);
	for (size_t i = 0; i < N_SIZES; i++) {
		grow_to(f, sizes[i]);
		check_log(f);
	}
	*state = f;
	return 0;
}

static int teardown_log(void **state)
{
	fixture_free(*state);
	return 0;
}

static void log_tiles(void **state)
{
	fixture *f = *state;
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 20);
	/* Older partial tiles stay servable: prefixes of the full tiles. */
	uint8_t want[PNYX_TILE_BYTES];
	for (unsigned w = 1; w <= 256; w += 51) {
		pnyx_buf_reset(&b);
		assert_int_equal(pnyx_log_tile(f->log, 0, 3, w, &b), PNYX_OK);
		expect_tile(f, 0, 3, w, want);
		assert_memory_equal(b.data, want, b.len);
		check_bundle(f, 2, w, &b);
	}
	assert_int_equal(pnyx_log_tile(f->log, 1, 0, 8, &b), PNYX_OK);
	assert_int_equal(pnyx_log_tile(f->log, 1, 0, 9, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_tile(f->log, 0, 8, 2, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_tile(f->log, 0, 8, 0, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_tile(f->log, 0, 0, 257, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_tile(f->log, 9, 0, 1, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_tile(f->log, 64, 0, 1, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_tile(f->log, 0, UINT64_MAX, 1, &b),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_bundle(f->log, 8, 2, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_bundle(f->log, 0, 257, &b), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_log_bundle(f->log, 0, 0, &b), PNYX_ERR_RANGE);
	pnyx_buf_clear(&b);
}

/* pnyx_log_tile_resource serves what a path names. */
static void log_resources(void **state)
{
	fixture *f = *state;
	const char *paths[] = {"tile/0/007", "tile/entries/007",
			       "tile/1/000.p/8", "tile/entries/008.p/1"};
	pnyx_buf b, c;
	pnyx_buf_init(&b, 1 << 20);
	pnyx_buf_init(&c, 1 << 20);
	for (size_t i = 0; i < 4; i++) {
		pnyx_tile t;
		assert_int_equal(pnyx_tile_path_parse(U8(paths[i]),
						      strlen(paths[i]), &t),
				 PNYX_OK);
		pnyx_buf_reset(&b);
		pnyx_buf_reset(&c);
		assert_int_equal(pnyx_log_tile_resource(f->log, &t, &b), PNYX_OK);
		assert_int_equal(t.kind == PNYX_TILE_ENTRIES
					 ? pnyx_log_bundle(f->log, t.index,
							   t.width, &c)
					 : pnyx_log_tile(f->log, t.level,
							 t.index, t.width, &c),
				 PNYX_OK);
		assert_true(b.len == c.len && b.len > 0);
		assert_memory_equal(b.data, c.data, b.len);
		t.width++; /* one past the tree */
		assert_int_equal(pnyx_log_tile_resource(f->log, &t, &b),
				 PNYX_ERR_RANGE);
		t.width--;
		t.level = 1; /* entries have no level 1 */
		if (t.kind == PNYX_TILE_ENTRIES)
			assert_int_equal(pnyx_log_tile_resource(f->log, &t, &b),
					 PNYX_ERR_RANGE);
	}
	pnyx_buf_clear(&b);
	pnyx_buf_clear(&c);
}

static const size_t edge_lens[] = {1, 255, 256, PNYX_ENTRY_MAX};

/* A log of entries of the lengths above. */
static fixture *edge_log(const char *name)
{
	fixture *f = fixture_new(name, 4);
	uint8_t *bytes = malloc(PNYX_ENTRY_MAX);
	assert_non_null(bytes);
	memset(bytes, 'q', PNYX_ENTRY_MAX);
	pnyx_entry e[4];
	for (size_t i = 0; i < 4; i++)
		e[i] = (pnyx_entry){bytes, edge_lens[i]};
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_log_append(f->log, e, 4, NULL, &diag), PNYX_OK);
	free(bytes);
	return f;
}

/* Length prefixes at their edges; a buffer too small. */
static void log_bundle_edges(void **state)
{
	(void)state;
	fixture *f = edge_log("tile-bundle");
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 20);
	assert_int_equal(pnyx_buf_append(&b, "keep", 4), PNYX_OK);
	assert_int_equal(pnyx_log_bundle(f->log, 0, 4, &b), PNYX_OK);
	assert_int_equal(b.len, 4 + 8 + 1 + 255 + 256 + PNYX_ENTRY_MAX);
	const uint8_t *p = b.data + 4;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(p[0], edge_lens[i] >> 8);
		assert_int_equal(p[1], edge_lens[i] & 0xff);
		assert_int_equal(p[2], 'q');
		p += 2 + edge_lens[i];
	}
	pnyx_buf_clear(&b);
	pnyx_buf_init(&b, 600);
	assert_int_equal(pnyx_buf_append(&b, "keep", 4), PNYX_OK);
	assert_int_equal(pnyx_log_bundle(f->log, 0, 4, &b), PNYX_ERR_TOO_LARGE);
	assert_int_equal(b.len, 4); /* nothing added */
	assert_string_equal((const char *)b.data, "keep");
	pnyx_buf_clear(&b);
	assert_int_equal(pnyx_buf_append(&b, "k", 1), PNYX_OK);
	assert_int_equal(pnyx_log_tile(f->log, 0, 0, 4, &b), PNYX_OK);
	assert_int_equal(b.len, 1 + 4 * 32);
	pnyx_buf_clear(&b);
	pnyx_buf_init(&b, 1 + 4 * 32 - 1);
	assert_int_equal(pnyx_buf_append(&b, "k", 1), PNYX_OK);
	assert_int_equal(pnyx_log_tile(f->log, 0, 0, 4, &b), PNYX_ERR_TOO_LARGE);
	assert_int_equal(b.len, 1);
	pnyx_buf_clear(&b);
	fixture_free(f);
}

/* Every allocation failing in turn: an error, and out as before. */
static void log_bundle_faults(void **state)
{
	(void)state;
	fixture *f = edge_log("tile-faults");
	pnyx_buf want, b;
	pnyx_buf_init(&want, 1 << 20);
	pnyx_buf_init(&b, 1 << 20);
	assert_int_equal(pnyx_log_bundle(f->log, 0, 4, &want), PNYX_OK);
	for (uint64_t i = 1;; i++) {
		pnyx_buf_clear(&b);
		assert_int_equal(pnyx_buf_append(&b, "k", 1), PNYX_OK);
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_log_bundle(f->log, 0, 4, &b);
		bool passed = pnyx_fault_passed() < i;
		pnyx_fault_disarm();
		if (passed) {
			assert_true(i > 1); /* some allocation did fail */
			assert_int_equal(err, PNYX_OK);
			assert_int_equal(b.len, 1 + want.len);
			assert_memory_equal(b.data + 1, want.data, want.len);
			break;
		}
		assert_int_equal(err, PNYX_ERR_NOMEM);
		assert_int_equal(b.len, 1);
		assert_int_equal(b.data[1], 0);
	}
	pnyx_buf_clear(&b);
	pnyx_buf_clear(&want);
	fixture_free(f);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_tiles),
		cmocka_unit_test(log_resources),
		cmocka_unit_test(log_bundle_edges),
		cmocka_unit_test(log_bundle_faults),
	};
	/* the group's state is the log that setup_log built */
	return cmocka_run_group_tests(tests, setup_log, teardown_log);
}
