/*
 * Tests for pnyx/tile.h (C2SP tlog-tiles v0.1.0):
 *  - paths: the spec's examples, canonical formatting and round trips, and
 *    a rejection for every branch of the parser;
 *  - which tiles a tree has: the spec's examples (sizes 70,000 and 256), a
 *    brute-force definition (floor(s / 256^L), by repeated division) for
 *    every size up to 3,000 and pseudo-random 64-bit sizes, and
 *    pnyx_tile_check at its boundaries;
 *  - bundles: every parse error, the largest bundle, verification
 *    against a tile;
 *  - in-memory trees of up to 70,000 leaves (level-2 tiles), checked with
 *    pnyx_tile_verify_tree (each tile read once, level 0 in order) and
 *    tampered at each level; trees of up to 2^64 - 1 identical leaves for
 *    the level arithmetic at the top.
 * The tiles and bundles of a real pnyx_log are tested in test_tile_log.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/fault.h"
#include "pnyx/tile.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))
#define BIG 70000 /* leaves of the in-memory tree */

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* ---- paths ---- */

static void expect_path(const char *path, pnyx_tile_kind kind, unsigned level,
			uint64_t index, unsigned width)
{
	pnyx_tile t;
	if (pnyx_tile_path_parse(U8(path), strlen(path), &t) != PNYX_OK)
		fail_msg("refused %s", path);
	assert_int_equal(t.kind, kind);
	assert_int_equal(t.level, level);
	assert_true(t.index == index);
	assert_int_equal(t.width, width);
	char out[PNYX_TILE_PATH_MAX];
	assert_int_equal(pnyx_tile_path_format(&t, out), strlen(path));
	assert_string_equal(out, path);
}

static void path_examples(void **state)
{
	(void)state;
	/* The spec's example: index 1234067 is x001/x234/067. */
	expect_path("tile/0/x001/x234/067", PNYX_TILE_HASHES, 0, 1234067, 256);
	expect_path("tile/3/x001/x234/067.p/1", PNYX_TILE_HASHES, 3, 1234067, 1);
	expect_path("tile/entries/x001/x234/067.p/255", PNYX_TILE_ENTRIES, 0,
		    1234067, 255);
	expect_path("tile/0/000", PNYX_TILE_HASHES, 0, 0, 256);
	expect_path("tile/0/000.p/1", PNYX_TILE_HASHES, 0, 0, 1);
	expect_path("tile/63/999", PNYX_TILE_HASHES, 63, 999, 256);
	expect_path("tile/10/x001/000", PNYX_TILE_HASHES, 10, 1000, 256);
	expect_path("tile/1/x001/x000/000.p/17", PNYX_TILE_HASHES, 1, 1000000,
		    17);
	expect_path("tile/entries/000", PNYX_TILE_ENTRIES, 0, 0, 256);
	expect_path("tile/entries/272.p/112", PNYX_TILE_ENTRIES, 0, 272, 112);
	expect_path("tile/2/x018/x446/x744/x073/x709/x551/615.p/99",
		    PNYX_TILE_HASHES, 2, UINT64_MAX, 99);
	expect_path("tile/entries/x018/x446/x744/x073/x709/x551/615.p/255",
		    PNYX_TILE_ENTRIES, 0, UINT64_MAX, 255);
	/* the longest path there is */
	assert_int_equal(strlen("tile/entries/x018/x446/x744/x073/x709/x551/"
				"615.p/255"),
			 52);
}

static void path_rejects(void **state)
{
	(void)state;
	static const char *bad[] = {
		/* prefix */
		"", "t", "tile", "tile/", "tiles/0/000", "/tile/0/000",
		"Tile/0/000", " tile/0/000", "tile\\0\\000",
		/* level */
		"tile/0", "tile//000", "tile/00/000", "tile/01/000",
		"tile/64/000", "tile/99/000", "tile/-1/000", "tile/+1/000",
		"tile/a/000", "tile/0x1/000", "tile/data/000",
		"tile/entry/000", "tile/ENTRIES/000", "tile/entries0/000",
		"tile/18446744073709551616/000", "tile/8/L/000",
		/* index */
		"tile/0/", "tile/0/1", "tile/0/01", "tile/0/0001",
		"tile/0/00a", "tile/0/ 00", "tile/0/x001", "tile/0/x001/",
		"tile/0/x000/001", "tile/0/x000/x001/002", "tile/0/x001/x002",
		"tile/0/001/002", "tile/0/X001/002", "tile/0/x01/002",
		"tile/0/x1234/567", "tile/0/x001//002", "tile/0/xx001/002",
		"tile/0/x001/02", "tile/entries/", "tile/entries/x001",
		"tile/0/x018/x446/x744/x073/x709/x551/616",
		"tile/0/x999/x999/x999/x999/x999/x999/999",
		"tile/0/x001/x000/x000/x000/x000/x000/x000/000",
		/* width and the end */
		"tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/01",
		"tile/0/000.p/", "tile/0/000.p/1/", "tile/0/000.p/1x",
		"tile/0/000.p/-1", "tile/0/000.p/+1", "tile/0/000.q/1",
		"tile/0/000.p1", "tile/0/000.", "tile/0/000/",
		"tile/0/000.p/255 ", "tile/0/000\n", "tile/0/000?x=1",
		"tile/0/000.p/18446744073709551617", "tile/0/000.p/1000",
		"tile/0/000.p.p/1", "tile/entries/000.p/0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pnyx_tile t = {PNYX_TILE_ENTRIES, 7, 7, 7};
		pnyx_err err =
			pnyx_tile_path_parse(U8(bad[i]), strlen(bad[i]), &t);
		if (err != PNYX_ERR_MALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(t.level, 7); /* not written */
	}
	/* A NUL inside, and a path cut at every length. */
	pnyx_tile t;
	assert_int_equal(pnyx_tile_path_parse(U8("tile/0/000\0"), 11, &t),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_tile_path_parse(NULL, 0, &t), PNYX_ERR_MALFORMED);
	const char *full = "tile/1/x001/x234/067.p/123";
	for (size_t n = 0; n < strlen(full); n++) {
		pnyx_err err = pnyx_tile_path_parse(U8(full), n, &t);
		bool ok = n == 20 || n == 24 || n == 25;
		assert_int_equal(err, ok ? PNYX_OK : PNYX_ERR_MALFORMED);
	}
}

static void path_round_trips(void **state)
{
	(void)state;
	uint64_t seed = 1;
	for (unsigned i = 0; i < 20000; i++) {
		uint64_t r = splitmix64(&seed);
		pnyx_tile t = {
			.kind = (r & 1) ? PNYX_TILE_ENTRIES : PNYX_TILE_HASHES,
			.level = (r & 1) ? 0 : (unsigned)(r >> 1) % 64,
			.index = splitmix64(&seed) >> (r >> 8) % 64,
			.width = (unsigned)(r >> 16) % 256 + 1,
		};
		char out[PNYX_TILE_PATH_MAX];
		size_t n = pnyx_tile_path_format(&t, out);
		assert_true(n <= 52 && strlen(out) == n);
		pnyx_tile back;
		assert_int_equal(pnyx_tile_path_parse(U8(out), n, &back),
				 PNYX_OK);
		assert_true(back.kind == t.kind && back.level == t.level &&
			    back.index == t.index && back.width == t.width);
	}
}

/* ---- which tiles a tree has ---- */

/* floor(size / 256^level), by repeated division. */
static uint64_t brute_hashes(uint64_t size, unsigned level)
{
	for (unsigned l = 0; l < level && size > 0; l++)
		size /= 256;
	return size;
}

static void check_geometry(uint64_t s)
{
	unsigned levels = 0;
	while (brute_hashes(s, levels) > 0)
		levels++;
	assert_int_equal(pnyx_tile_levels(s), levels);
	for (unsigned l = 0; l <= levels + 1; l++) {
		uint64_t h = brute_hashes(s, l), full = h / 256;
		unsigned part = (unsigned)(h % 256);
		assert_true(pnyx_tile_count(s, l) == full + (part > 0));
		uint64_t probe[] = {0, full > 0 ? full - 1 : 0, full,
				    full + 1, UINT64_MAX};
		for (size_t i = 0; i < 5; i++) {
			unsigned want = probe[i] < full    ? 256
					: probe[i] == full ? part
							   : 0;
			assert_int_equal(pnyx_tile_width(s, l, probe[i]), want);
			pnyx_tile t = {PNYX_TILE_HASHES, l, probe[i], 256};
			assert_int_equal(pnyx_tile_check(&t, s) == PNYX_OK,
					 want == 256);
			for (unsigned w = 1; w < 256; w += 37) {
				t.width = w;
				bool in = probe[i] < full ||
					  (probe[i] == full && w <= part);
				assert_int_equal(pnyx_tile_check(&t, s) ==
							 PNYX_OK,
						 in);
			}
		}
	}
}

static void geometry(void **state)
{
	(void)state;
	/* The spec: 70,000 leaves are 273 full level-0 tiles and one of
	 * width 112, one full level-1 tile and one of width 17, one level-2
	 * tile of width 1; 256 leaves are one full level-0 tile and a
	 * level-1 tile of width 1. */
	assert_int_equal(pnyx_tile_levels(70000), 3);
	assert_int_equal(pnyx_tile_count(70000, 0), 274);
	assert_int_equal(pnyx_tile_width(70000, 0, 272), 256);
	assert_int_equal(pnyx_tile_width(70000, 0, 273), 112);
	assert_int_equal(pnyx_tile_count(70000, 1), 2);
	assert_int_equal(pnyx_tile_width(70000, 1, 0), 256);
	assert_int_equal(pnyx_tile_width(70000, 1, 1), 17);
	assert_int_equal(pnyx_tile_count(70000, 2), 1);
	assert_int_equal(pnyx_tile_width(70000, 2, 0), 1);
	assert_int_equal(pnyx_tile_count(70000, 3), 0);
	assert_int_equal(pnyx_tile_levels(256), 2);
	assert_int_equal(pnyx_tile_count(256, 0), 1);
	assert_int_equal(pnyx_tile_width(256, 0, 0), 256);
	assert_int_equal(pnyx_tile_width(256, 1, 0), 1);
	assert_int_equal(pnyx_tile_levels(0), 0);
	assert_int_equal(pnyx_tile_count(0, 0), 0);
	assert_int_equal(pnyx_tile_levels(UINT64_MAX), 8);
	assert_int_equal(pnyx_tile_width(UINT64_MAX, 7, 0), 255);
	assert_int_equal(pnyx_tile_count(UINT64_MAX, 63), 0);
	assert_int_equal(pnyx_tile_count(UINT64_MAX, 1000), 0);
	for (uint64_t s = 0; s <= 3000; s++)
		check_geometry(s);
	uint64_t seed = 7;
	for (unsigned i = 0; i < 3000; i++)
		check_geometry(splitmix64(&seed) >> (i % 64));
	const uint64_t edges[] = {65535, 65536, 65537, 16777215, 16777216,
				  UINT64_C(1) << 56, (UINT64_C(1) << 56) - 1,
				  UINT64_MAX, UINT64_MAX - 1};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		check_geometry(edges[i]);
}

static void check_rules(void **state)
{
	(void)state;
	pnyx_tile t = {PNYX_TILE_HASHES, 0, 0, 256};
	assert_int_equal(pnyx_tile_check(&t, 255), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_tile_check(&t, 256), PNYX_OK);
	t.width = 255; /* an older partial tile stays servable */
	assert_int_equal(pnyx_tile_check(&t, 255), PNYX_OK);
	assert_int_equal(pnyx_tile_check(&t, 100000), PNYX_OK);
	assert_int_equal(pnyx_tile_check(&t, 254), PNYX_ERR_RANGE);
	t = (pnyx_tile){PNYX_TILE_ENTRIES, 0, 1, 1};
	assert_int_equal(pnyx_tile_check(&t, 256), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_tile_check(&t, 257), PNYX_OK);
	t.level = 1; /* entries have no level */
	assert_int_equal(pnyx_tile_check(&t, UINT64_MAX), PNYX_ERR_RANGE);
	t = (pnyx_tile){PNYX_TILE_HASHES, 1, 0, 1};
	assert_int_equal(pnyx_tile_check(&t, 255), PNYX_ERR_RANGE);
	assert_int_equal(pnyx_tile_check(&t, 256), PNYX_OK);
	t = (pnyx_tile){PNYX_TILE_HASHES, 7, 0, 255};
	assert_int_equal(pnyx_tile_check(&t, UINT64_MAX), PNYX_OK);
	t.width = 256;
	assert_int_equal(pnyx_tile_check(&t, UINT64_MAX), PNYX_ERR_RANGE);
	const pnyx_tile invalid[] = {
		{PNYX_TILE_HASHES, 8, 0, 1},   {PNYX_TILE_HASHES, 64, 0, 1},
		{PNYX_TILE_HASHES, 0, 0, 0},   {PNYX_TILE_HASHES, 0, 0, 257},
		{(pnyx_tile_kind)2, 0, 0, 1},  {PNYX_TILE_HASHES, 0, UINT64_MAX, 256},
		{PNYX_TILE_HASHES, 0, UINT64_MAX / 256 + 1, 1},
	};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		assert_int_equal(pnyx_tile_check(&invalid[i], UINT64_MAX),
				 PNYX_ERR_RANGE);
	t = (pnyx_tile){PNYX_TILE_HASHES, 0, UINT64_MAX / 256, 255};
	assert_int_equal(pnyx_tile_check(&t, UINT64_MAX), PNYX_OK);
}

/* ---- an in-memory tree and a tile reader over it ---- */

typedef struct memtree {
	uint64_t size;     /* the tree the reader serves */
	uint64_t n;        /* leaves held */
	pnyx_hash *node[PNYX_MERKLE_MAX_LEVEL + 1]; /* every subtree */
	unsigned reads;
	uint64_t next0;    /* next level-0 tile expected (verify order) */
	bool ordered;      /* check that level 0 is read in order */
	int tamper_level;  /* flip a byte of this tile (-1: none) */
	uint64_t tamper_index;
	unsigned fail_at;  /* fail this read (0: never) */
} memtree;

static pnyx_err mem_emit(void *ctx, unsigned level, uint64_t index,
			 const pnyx_hash *h)
{
	memtree *t = ctx;
	t->node[level][index] = *h;
	return PNYX_OK;
}

static memtree *mem_new(uint64_t n, uint64_t seed)
{
	memtree *t = calloc(1, sizeof *t);
	assert_non_null(t);
	for (unsigned l = 0; l <= PNYX_MERKLE_MAX_LEVEL; l++) {
		t->node[l] = calloc((size_t)(n >> l) + 1, sizeof(pnyx_hash));
		assert_non_null(t->node[l]);
	}
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t entry[8];
		uint64_t v = splitmix64(&seed);
		memcpy(entry, &v, sizeof entry);
		pnyx_hash leaf;
		pnyx_merkle_leaf_hash(entry, 1 + (size_t)(v % 8), &leaf);
		assert_int_equal(pnyx_merkle_edge_append(&e, &leaf, mem_emit, t),
				 PNYX_OK);
	}
	t->n = t->size = n;
	t->tamper_level = -1;
	return t;
}

static void mem_free(memtree *t)
{
	for (unsigned l = 0; l <= PNYX_MERKLE_MAX_LEVEL; l++)
		free(t->node[l]);
	free(t);
}

static pnyx_err mem_tile(void *ctx, unsigned level, uint64_t index,
			 unsigned width, uint8_t *out)
{
	memtree *t = ctx;
	if (++t->reads == t->fail_at)
		return PNYX_ERR_IO;
	assert_int_equal(width, pnyx_tile_width(t->size, level, index));
	if (t->ordered && level == 0) {
		assert_true(index == t->next0);
		t->next0++;
	}
	const pnyx_hash *src = t->node[8 * level] + index * 256;
	memcpy(out, src, (size_t)width * 32);
	if (t->tamper_level == (int)level && t->tamper_index == index)
		out[width * 32 - 1] ^= 1;
	return PNYX_OK;
}

static pnyx_err mem_read(void *ctx, unsigned level, uint64_t index,
			 size_t count, pnyx_hash *out)
{
	memtree *t = ctx;
	memcpy(out, t->node[level] + index, count * sizeof *out);
	return PNYX_OK;
}

static void mem_root(memtree *t, uint64_t size, pnyx_hash *out)
{
	assert_int_equal(pnyx_merkle_root(size, mem_read, t, out), PNYX_OK);
}

/* Roots and proofs from tiles against those from the subtrees. */
static void check_tiles_of(memtree *t, uint64_t size)
{
	t->size = size;
	pnyx_hash want, got;
	mem_root(t, size, &want);
	assert_int_equal(pnyx_tile_tree_root(size, mem_tile, t, &got), PNYX_OK);
	assert_memory_equal(got.b, want.b, 32);
	t->ordered = true;
	t->next0 = 0;
	t->reads = 0;
	pnyx_diag diag = {{0}};
	if (pnyx_tile_verify_tree(size, &want, mem_tile, t, &diag) != PNYX_OK)
		fail_msg("size %llu: %s", (unsigned long long)size, diag.msg);
	uint64_t tiles = 0;
	for (unsigned l = 0; l < pnyx_tile_levels(size); l++)
		tiles += pnyx_tile_count(size, l);
	assert_true(t->reads == tiles); /* each tile once */
	assert_true(t->next0 == pnyx_tile_count(size, 0));
	t->ordered = false;
	pnyx_tile_source src = {size, mem_tile, t};
	assert_int_equal(pnyx_merkle_root(size, pnyx_tile_merkle_read, &src,
					  &got),
			 PNYX_OK);
	assert_memory_equal(got.b, want.b, 32);
	uint64_t seed = size;
	for (unsigned i = 0; i < 4 && size > 0; i++) {
		uint64_t a = splitmix64(&seed) % size;
		pnyx_hash p1[PNYX_MERKLE_MAX_PROOF], p2[PNYX_MERKLE_MAX_PROOF];
		size_t n1, n2;
		assert_int_equal(pnyx_merkle_inclusion_proof(
					 a, size, pnyx_tile_merkle_read, &src,
					 p1, &n1),
				 PNYX_OK);
		assert_int_equal(pnyx_merkle_inclusion_proof(a, size, mem_read,
							     t, p2, &n2),
				 PNYX_OK);
		assert_true(n1 == n2);
		assert_memory_equal(p1, p2, n1 * sizeof p1[0]);
		assert_int_equal(pnyx_merkle_consistency_proof(
					 a + 1, size, pnyx_tile_merkle_read,
					 &src, p1, &n1),
				 PNYX_OK);
		assert_int_equal(pnyx_merkle_consistency_proof(
					 a + 1, size, mem_read, t, p2, &n2),
				 PNYX_OK);
		assert_true(n1 == n2);
		assert_memory_equal(p1, p2, n1 * sizeof p1[0]);
	}
	pnyx_hash h;
	assert_int_equal(pnyx_tile_merkle_read(&src, 0, size, 1, &h),
			 PNYX_ERR_RANGE);
	assert_int_equal(pnyx_tile_merkle_read(&src, 64, 0, 1, &h),
			 PNYX_ERR_RANGE);
}

static void memory_trees(void **state)
{
	(void)state;
	memtree *t = mem_new(BIG, 42);
	const uint64_t sizes[] = {0,     1,     2,     255,   256,   257,
				  511,   512,   4096,  65279, 65280, 65281,
				  65535, 65536, 65537, 65791, 65792, 65793,
				  69999, 70000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		check_tiles_of(t, sizes[i]);
	mem_free(t);
}

/* A tampered tile at each level is caught, naming the tile. */
static void expect_caught(memtree *t, int level, uint64_t index,
			  const char *what)
{
	pnyx_hash root;
	mem_root(t, t->size, &root);
	t->tamper_level = level;
	t->tamper_index = index;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_tile_verify_tree(t->size, &root, mem_tile, t,
					       &diag),
			 PNYX_ERR_MISMATCH);
	if (strstr(diag.msg, what) == NULL)
		fail_msg("tamper %d/%llu: %s", level,
			 (unsigned long long)index, diag.msg);
	t->tamper_level = -1;
}

static void tampered_trees(void **state)
{
	(void)state;
	memtree *t = mem_new(BIG, 43);
	t->size = BIG;
	expect_caught(t, 0, 5, "tile/1/000 does not hold");
	expect_caught(t, 0, 272, "tile/1/001.p/17 does not hold");
	expect_caught(t, 0, 273, "level-0 tiles do not hash to the root");
	expect_caught(t, 1, 0, "tile/1/000 does not hold");
	expect_caught(t, 1, 1, "tile/1/001.p/17 does not hold");
	expect_caught(t, 2, 0, "tile/2/000.p/1 does not hold");
	/* The root from the rightmost tiles changes with any of them. */
	pnyx_hash root, got;
	mem_root(t, BIG, &root);
	for (int l = 0; l < 3; l++) {
		t->tamper_level = l;
		t->tamper_index = pnyx_tile_count(BIG, (unsigned)l) - 1;
		assert_int_equal(pnyx_tile_tree_root(BIG, mem_tile, t, &got),
				 PNYX_OK);
		assert_memory_not_equal(got.b, root.b, 32);
	}
	t->tamper_level = -1;
	/* A wrong root; reader failures; allocation failures. */
	pnyx_diag diag = {{0}};
	got = root;
	got.b[0] ^= 1;
	assert_int_equal(pnyx_tile_verify_tree(BIG, &got, mem_tile, t, &diag),
			 PNYX_ERR_MISMATCH);
	assert_int_equal(pnyx_tile_verify_tree(0, &got, mem_tile, t, &diag),
			 PNYX_ERR_MISMATCH);
	pnyx_merkle_empty_root(&got);
	assert_int_equal(pnyx_tile_verify_tree(0, &got, mem_tile, t, &diag),
			 PNYX_OK);
	const unsigned fails[] = {1, 2, 257, 258, 275, 276, 277};
	for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++) {
		t->reads = 0;
		t->fail_at = fails[i];
		assert_int_equal(pnyx_tile_verify_tree(BIG, &root, mem_tile, t,
						       &diag),
				 PNYX_ERR_IO);
	}
	for (unsigned i = 1; i <= 4; i++) {
		t->reads = 0;
		t->fail_at = i;
		assert_int_equal(pnyx_tile_tree_root(BIG, mem_tile, t, &got),
				 i <= 3 ? PNYX_ERR_IO : PNYX_OK);
	}
	t->fail_at = 0;
	for (uint64_t i = 1; i <= 2; i++) {
		pnyx_fault_arm(i);
		assert_int_equal(pnyx_tile_verify_tree(BIG, &root, mem_tile, t,
						       &diag),
				 PNYX_ERR_NOMEM);
		pnyx_fault_disarm();
	}
	mem_free(t);
}

/* Every leaf identical: the subtree at level k is uniform[k]. */
static pnyx_hash uniform[PNYX_MERKLE_MAX_LEVEL + 1];

static pnyx_err uniform_read(void *ctx, unsigned level, uint64_t index,
			     size_t count, pnyx_hash *out)
{
	(void)ctx;
	(void)index;
	for (size_t i = 0; i < count; i++)
		out[i] = uniform[level];
	return PNYX_OK;
}

static pnyx_err uniform_tile(void *ctx, unsigned level, uint64_t index,
			     unsigned width, uint8_t *out)
{
	const uint64_t *size = ctx;
	assert_int_equal(width, pnyx_tile_width(*size, level, index));
	assert_true(index == pnyx_tile_count(*size, level) - 1);
	for (unsigned i = 0; i < width; i++)
		memcpy(out + i * 32, uniform[8 * level].b, 32);
	return PNYX_OK;
}

static void huge_trees(void **state)
{
	(void)state;
	pnyx_merkle_leaf_hash(U8("x"), 1, &uniform[0]);
	for (unsigned l = 1; l <= PNYX_MERKLE_MAX_LEVEL; l++)
		pnyx_merkle_node_hash(&uniform[l - 1], &uniform[l - 1],
				      &uniform[l]);
	uint64_t seed = 99;
	for (unsigned i = 0; i < 400; i++) {
		uint64_t size = i < 64 ? UINT64_MAX >> i
				       : splitmix64(&seed) >> (i % 64);
		pnyx_hash want, got;
		assert_int_equal(pnyx_merkle_root(size, uniform_read, NULL,
						  &want),
				 PNYX_OK);
		assert_int_equal(pnyx_tile_tree_root(size, uniform_tile, &size,
						     &got),
				 PNYX_OK);
		assert_memory_equal(got.b, want.b, 32);
	}
}

/* ---- bundles ---- */

static void bundle_parse(void **state)
{
	(void)state;
	static const uint8_t ok[] = {0, 1, 'a', 0, 0, 0, 3, 'b', 'c', 'd'};
	pnyx_entry e[256];
	assert_int_equal(pnyx_tile_bundle_parse(ok, sizeof ok, 3, e), PNYX_OK);
	assert_int_equal(e[0].n, 1);
	assert_ptr_equal(e[0].p, ok + 2);
	assert_int_equal(e[1].n, 0); /* the spec allows an empty entry */
	assert_int_equal(e[2].n, 3);
	assert_memory_equal(e[2].p, "bcd", 3);
	static const struct {
		size_t n;
		unsigned width;
	} bad[] = {
		{0, 1}, {1, 1}, {2, 1}, /* no length; half a length; no entry */
		{sizeof ok, 2},          /* trailing bytes */
		{sizeof ok, 4},          /* fewer entries than the width */
		{sizeof ok - 1, 3},      /* truncated entry */
		{5, 3},                  /* truncated length */
		{sizeof ok, 1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		e[0].n = 12345;
		assert_int_equal(pnyx_tile_bundle_parse(ok, bad[i].n,
							bad[i].width, e),
				 PNYX_ERR_MALFORMED);
		assert_int_equal(e[0].n, 12345); /* not written */
	}
	assert_int_equal(pnyx_tile_bundle_parse(NULL, 0, 1, e),
			 PNYX_ERR_MALFORMED);
	/* 256 entries of 65,535 bytes, the largest bundle */
	size_t n = 256 * 65537;
	uint8_t *big = malloc(n);
	assert_non_null(big);
	memset(big, 0xff, n);
	assert_int_equal(pnyx_tile_bundle_parse(big, n, 256, e), PNYX_OK);
	assert_int_equal(e[255].n, 65535);
	assert_int_equal(pnyx_tile_bundle_parse(big, n - 1, 256, e),
			 PNYX_ERR_MALFORMED);
	free(big);
}

static void bundle_verify(void **state)
{
	(void)state;
	pnyx_entry e[5];
	uint8_t tile[5 * 32], bytes[5];
	for (unsigned i = 0; i < 5; i++) {
		bytes[i] = (uint8_t)('a' + i);
		e[i] = (pnyx_entry){bytes + i, 1};
		pnyx_hash h;
		pnyx_merkle_leaf_hash(bytes + i, 1, &h);
		memcpy(tile + i * 32, h.b, 32);
	}
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_tile_bundle_verify(e, 5, tile, &diag), PNYX_OK);
	e[3].n = 0;
	assert_int_equal(pnyx_tile_bundle_verify(e, 5, tile, &diag),
			 PNYX_ERR_MISMATCH);
	assert_non_null(strstr(diag.msg, "entry 3 "));
	e[3].n = 1;
	tile[0] ^= 0x80;
	assert_int_equal(pnyx_tile_bundle_verify(e, 5, tile, NULL),
			 PNYX_ERR_MISMATCH);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_examples),
		cmocka_unit_test(path_rejects),
		cmocka_unit_test(path_round_trips),
		cmocka_unit_test(geometry),
		cmocka_unit_test(check_rules),
		cmocka_unit_test(memory_trees),
		cmocka_unit_test(tampered_trees),
		cmocka_unit_test(huge_trees),
		cmocka_unit_test(bundle_parse),
		cmocka_unit_test(bundle_verify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
