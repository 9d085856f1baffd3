/*
 * Tests for pnyx/merkle.h: RFC 6962 hashing, the right edge, and RFC 9162
 * inclusion and consistency proofs.
 *
 *  - the 8-leaf reference tree and proof vectors of transparency-dev/merkle
 *    (tests/vectors/, sources in tests/vectors/README.md);
 *  - a brute-force reference (MTH, PATH and SUBPROOF written as in the RFC,
 *    recursive over at most REF_MAX leaves, so depth <= 8) checked against
 *    generation and verification for every (index, size) and (old, new) up
 *    to 64; every proof mutated (bit flipped, hash dropped or added, index
 *    or sizes changed) must fail unless it is the true proof of the mutated
 *    question;
 *  - the right edge (load, append, root) against the reference;
 *  - trees of up to 2^64 - 1 identical leaves for the arithmetic at the top
 *    levels, and readers that fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/merkle.h"
#include "pnyx/text.h"
#include "support.h"

#define REF_MAX 130 /* leaves of the reference tree */
#define SMALL 64    /* brute force covers every size up to this */
#define LEVELS 8    /* 2^LEVELS > REF_MAX */

/* ---- an in-memory store of every complete subtree ---- */

typedef struct memtree {
	pnyx_hash node[LEVELS][REF_MAX]; /* node[L][i] */
	uint64_t limit;                  /* tree size the current call named */
	unsigned reads;                  /* read calls since use() */
	unsigned fail_at;                /* fail this read (0: never) */
} memtree;

static pnyx_err mem_emit(void *ctx, unsigned level, uint64_t index,
			 const pnyx_hash *h)
{
	memtree *t = ctx;
	assert_true(level < LEVELS && index < REF_MAX);
	t->node[level][index] = *h;
	return PNYX_OK;
}

static pnyx_err mem_read(void *ctx, unsigned level, uint64_t index,
			 size_t count, pnyx_hash *out)
{
	memtree *t = ctx;
	t->reads++;
	if (t->fail_at != 0 && t->reads >= t->fail_at)
		return PNYX_ERR_STORAGE;
	/* The reader contract: asked-for subtrees lie inside the tree. */
	assert_true(level < LEVELS && count > 0);
	assert_true(index + count <= (t->limit >> level));
	for (size_t i = 0; i < count; i++)
		out[i] = t->node[level][index + i];
	return PNYX_OK;
}

/* Deterministic distinct leaf hashes. */
static void make_leaves(pnyx_hash *leaf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t entry[9] = {'L'};
		for (int b = 0; b < 8; b++)
			entry[1 + b] = (uint8_t)((uint64_t)i >> (8 * b));
		pnyx_merkle_leaf_hash(entry, sizeof entry, &leaf[i]);
	}
}

static memtree *memtree_new(const pnyx_hash *leaf, size_t n)
{
	memtree *t = calloc(1, sizeof *t);
	assert_non_null(t);
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pnyx_merkle_edge_append(&e, &leaf[i], mem_emit,
							 t),
				 PNYX_OK);
	return t;
}

static void use(memtree *t, uint64_t limit)
{
	t->limit = limit;
	t->reads = 0;
}

/* ---- the RFC's definitions, recursive over at most REF_MAX leaves ---- */

static uint64_t split(uint64_t n) /* largest power of two < n, n > 1 */
{
	uint64_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

static void ref_mth(const pnyx_hash *d, uint64_t n, pnyx_hash *out)
{
	if (n == 0) {
		pnyx_merkle_empty_root(out);
	} else if (n == 1) {
		*out = d[0];
	} else {
		uint64_t k = split(n);
		pnyx_hash l, r;
		ref_mth(d, k, &l);
		ref_mth(d + k, n - k, &r);
		pnyx_merkle_node_hash(&l, &r, out);
	}
}

static void ref_path(uint64_t m, const pnyx_hash *d, uint64_t n,
		     pnyx_hash *out, size_t *len)
{
	if (n <= 1)
		return;
	uint64_t k = split(n);
	if (m < k) {
		ref_path(m, d, k, out, len);
		ref_mth(d + k, n - k, &out[(*len)++]);
	} else {
		ref_path(m - k, d + k, n - k, out, len);
		ref_mth(d, k, &out[(*len)++]);
	}
}

static void ref_subproof(uint64_t m, const pnyx_hash *d, uint64_t n, bool b,
			 pnyx_hash *out, size_t *len)
{
	if (m == n) {
		if (!b)
			ref_mth(d, n, &out[(*len)++]);
		return;
	}
	uint64_t k = split(n);
	if (m <= k) {
		ref_subproof(m, d, k, b, out, len);
		ref_mth(d + k, n - k, &out[(*len)++]);
	} else {
		ref_subproof(m - k, d + k, n - k, false, out, len);
		ref_mth(d, k, &out[(*len)++]);
	}
}

/* Reference proof of either kind (see question below); false if the
 * question has none. */
static bool ref_q(char kind, uint64_t a, uint64_t b, const pnyx_hash *d,
		  pnyx_hash *out, size_t *len)
{
	*len = 0;
	if (b > REF_MAX || (kind == 'i' ? a >= b : a > b))
		return false;
	if (kind == 'i')
		ref_path(a, d, b, out, len);
	else if (a > 0 && a < b)
		ref_subproof(a, d, b, true, out, len);
	return true;
}

static bool proofs_equal(const pnyx_hash *a, size_t na, const pnyx_hash *b,
			 size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

static unsigned bit_len(uint64_t x)
{
	return x == 0 ? 0 : 64 - (unsigned)__builtin_clzll(x);
}

static void flip(pnyx_hash *h, unsigned bit)
{
	h->b[(bit / 8) % PNYX_HASH_LEN] ^= (uint8_t)(1u << (bit % 8));
}

/* ---- reading the vector files ---- */

static size_t hex_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	if (n == 1 && s[0] == '-')
		return 0;
	assert_true(n % 2 == 0 && n / 2 <= cap);
	for (size_t i = 0; i < n; i++) {
		const char *d = memchr(digits, s[i], 16);
		assert_non_null(d);
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | (d - digits)
					     : (d - digits) << 4);
	}
	return n / 2;
}

#define MAX_TOK 16

typedef struct line_tokens {
	size_t count;
	const uint8_t *p[MAX_TOK];
	size_t n[MAX_TOK];
} line_tokens;

/* Next data line (skipping comments and blank lines), split at spaces. */
static bool next_tokens(pnyx_cursor *c, line_tokens *t)
{
	const uint8_t *line;
	size_t n;
	do {
		if (!pnyx_cursor_line(c, &line, &n))
			return false;
	} while (n == 0 || line[0] == '#');
	size_t start = 0;
	t->count = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && line[i] != ' ')
			continue;
		assert_true(t->count < MAX_TOK);
		t->p[t->count] = line + start;
		t->n[t->count] = i - start;
		t->count++;
		start = i + 1;
	}
	return true;
}

static uint64_t tok_u64(const line_tokens *t, size_t i)
{
	uint64_t v = 0;
	assert_int_equal(pnyx_parse_u64(t->p[i], t->n[i], &v), PNYX_OK);
	return v;
}

/* Decodes a base64 value into a hash; false if it is not 32 bytes. */
static bool tok_hash(const line_tokens *t, size_t i, pnyx_hash *out)
{
	uint8_t buf[64];
	size_t len = 0;
	if (t->n[i] == 1 && t->p[i][0] == '~')
		return false;
	if (pnyx_base64_decode(t->p[i], t->n[i], buf, sizeof buf, &len) !=
		    PNYX_OK ||
	    len != PNYX_HASH_LEN)
		return false;
	memcpy(out->b, buf, PNYX_HASH_LEN);
	return true;
}

static uint8_t *vector_file(const char *name, pnyx_cursor *c)
{
	char rel[128];
	size_t n = 0;
	snprintf(rel, sizeof rel, "tests/vectors/%s", name);
	uint8_t *text = test_read_file(test_source_path(rel), &n);
	pnyx_cursor_init(c, text, n);
	return text;
}

/* The reference tree of rfc6962_tree.txt: its leaf hashes. */
static void vector_leaves(pnyx_hash leaf[8])
{
	pnyx_cursor c;
	uint8_t *text = vector_file("rfc6962_tree.txt", &c);
	line_tokens t;
	unsigned count = 0;
	while (next_tokens(&c, &t)) {
		if (!pnyx_bytes_eq(t.p[0], t.n[0], "leaf"))
			continue;
		uint8_t bytes[64];
		uint64_t i = tok_u64(&t, 1);
		assert_true(i < 8);
		size_t bl = hex_decode(t.p[2], t.n[2], bytes, sizeof bytes);
		pnyx_merkle_leaf_hash(bytes, bl, &leaf[i]);
		count++;
	}
	assert_int_equal(count, 8);
	free(text);
}

/* ---- either kind of proof ---- */

/* A question a proof answers: kind 'i' asks whether leaf is at index a of
 * the tree of size b with root r2; kind 'c' whether the tree of size b
 * with root r2 extends the tree of size a with root r1. */
typedef struct question {
	char kind;
	uint64_t a, b;
	pnyx_hash leaf, r1, r2;
} question;

static pnyx_err verify_q(const question *q, const pnyx_hash *p, size_t n)
{
	if (q->kind == 'i')
		return pnyx_merkle_verify_inclusion(&q->leaf, q->a, q->b, p, n,
						    &q->r2);
	return pnyx_merkle_verify_consistency(q->a, q->b, p, n, &q->r1,
					      &q->r2);
}

static pnyx_err gen_q(char kind, uint64_t a, uint64_t b, memtree *t,
		      pnyx_hash *p, size_t *n)
{
	use(t, b);
	if (kind == 'i')
		return pnyx_merkle_inclusion_proof(a, b, mem_read, t, p, n);
	return pnyx_merkle_consistency_proof(a, b, mem_read, t, p, n);
}

/* ---- vector tests ---- */

static void vectors_tree(void **state)
{
	(void)state;
	pnyx_hash leaf[8];
	vector_leaves(leaf);
	memtree *mt = memtree_new(leaf, 8);
	pnyx_cursor c;
	uint8_t *text = vector_file("rfc6962_tree.txt", &c);
	line_tokens t;
	unsigned nodes = 0, roots = 0;
	while (next_tokens(&c, &t)) {
		pnyx_hash want, got;
		bool node = pnyx_bytes_eq(t.p[0], t.n[0], "node");
		if (!node && !pnyx_bytes_eq(t.p[0], t.n[0], "root"))
			continue;
		size_t last = t.count - 1;
		assert_int_equal(hex_decode(t.p[last], t.n[last], want.b, 32),
				 32);
		uint64_t x = tok_u64(&t, 1);
		if (node) {
			assert_memory_equal(&mt->node[x][tok_u64(&t, 2)], &want,
					    32);
			nodes++;
			continue;
		}
		use(mt, x);
		assert_int_equal(pnyx_merkle_root(x, mem_read, mt, &got),
				 PNYX_OK);
		assert_memory_equal(&got, &want, 32);
		ref_mth(leaf, x, &got);
		assert_memory_equal(&got, &want, 32);
		roots++;
	}
	assert_int_equal(nodes, 15);
	assert_int_equal(roots, 9);
	free(mt);
	free(text);
}

/* Runs one proof vector of the given kind. */
static void run_vector(char kind, const line_tokens *t, memtree *mt)
{
	question q = {.kind = kind, .a = tok_u64(t, 1), .b = tok_u64(t, 2)};
	bool want_ok = pnyx_bytes_eq(t->p[5], t->n[5], "ok");
	pnyx_hash proof[MAX_TOK], gen[PNYX_MERKLE_MAX_PROOF];
	size_t n = t->count - 6, gn = 0;
	bool decodes = tok_hash(t, 3, kind == 'i' ? &q.leaf : &q.r1) &&
		       tok_hash(t, 4, &q.r2);
	for (size_t i = 0; i < n; i++)
		decodes = decodes && tok_hash(t, 6 + i, &proof[i]);
	if (!decodes) {
		/* Not representable as hashes: refused before verifying. */
		assert_false(want_ok);
		return;
	}
	pnyx_err err = verify_q(&q, proof, n);
	if (err != (want_ok ? PNYX_OK : PNYX_ERR_BAD_PROOF))
		fail_msg("vector %.*s gave %d", (int)t->n[0], t->p[0], err);
	if (want_ok) {
		assert_int_equal(gen_q(kind, q.a, q.b, mt, gen, &gn), PNYX_OK);
		assert_true(proofs_equal(gen, gn, proof, n));
	}
}

static void run_vector_file(const char *name, char kind, unsigned min_ok,
			    unsigned min_err)
{
	pnyx_hash leaf[8];
	vector_leaves(leaf);
	memtree *mt = memtree_new(leaf, 8);
	pnyx_cursor c;
	uint8_t *text = vector_file(name, &c);
	line_tokens t;
	unsigned ok = 0, bad = 0;
	while (next_tokens(&c, &t)) {
		assert_true(t.count >= 6);
		run_vector(kind, &t, mt);
		if (pnyx_bytes_eq(t.p[5], t.n[5], "ok"))
			ok++;
		else
			bad++;
	}
	assert_true(ok >= min_ok && bad >= min_err);
	free(mt);
	free(text);
}

static void vectors_inclusion(void **state)
{
	(void)state;
	run_vector_file("inclusion.txt", 'i', 5, 15);
}

static void vectors_consistency(void **state)
{
	(void)state;
	run_vector_file("consistency.txt", 'c', 5, 10);
}

/* ---- brute force against the reference ---- */

typedef struct world {
	pnyx_hash leaf[REF_MAX];
	pnyx_hash root[REF_MAX + 1];
	memtree *mt;
} world;

static world *world_new(void)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	make_leaves(w->leaf, REF_MAX);
	for (uint64_t s = 0; s <= REF_MAX; s++)
		ref_mth(w->leaf, s, &w->root[s]);
	w->mt = memtree_new(w->leaf, REF_MAX);
	return w;
}

static void world_free(world *w)
{
	free(w->mt);
	free(w);
}

/* Asks q with a and b replaced (the leaf kept): the answer must be yes
 * exactly when p is the reference proof of the new question. */
static void check_question(const world *w, const question *q, uint64_t a,
			   uint64_t b, const pnyx_hash *p, size_t n)
{
	pnyx_hash ref[PNYX_MERKLE_MAX_PROOF];
	size_t rn = 0;
	if (b > REF_MAX)
		return;
	question m = *q;
	m.a = a;
	m.b = b;
	m.r2 = w->root[b];
	if (q->kind == 'c' && a <= REF_MAX)
		m.r1 = w->root[a];
	bool valid = ref_q(q->kind, a, b, w->leaf, ref, &rn) &&
		     proofs_equal(ref, rn, p, n) &&
		     (q->kind == 'c' || pnyx_hash_eq(&q->leaf, &w->leaf[a]));
	assert_int_equal(verify_q(&m, p, n),
			 valid ? PNYX_OK : PNYX_ERR_BAD_PROOF);
}

/* Every proof with one hash dropped, or one hash added anywhere. */
static void check_length_mutations(const question *q, const pnyx_hash *p,
				   size_t n)
{
	pnyx_hash m[PNYX_MERKLE_MAX_PROOF + 1];
	for (size_t j = 0; j < n; j++) {
		memcpy(m, p, j * sizeof *p);
		memcpy(m + j, p + j + 1, (n - j - 1) * sizeof *p);
		assert_int_equal(verify_q(q, m, n - 1), PNYX_ERR_BAD_PROOF);
	}
	for (size_t j = 0; j <= n; j++) {
		memcpy(m, p, j * sizeof *p);
		memcpy(m + j + 1, p + j, (n - j) * sizeof *p);
		m[j] = j < n ? p[j] : n > 0 ? p[0] : q->r2; /* plausible */
		assert_int_equal(verify_q(q, m, n + 1), PNYX_ERR_BAD_PROOF);
	}
}

/* Every proof with one bit flipped: all bits when all_bits, else three. */
static void check_flips(const question *q, pnyx_hash *p, size_t n,
			bool all_bits)
{
	for (size_t j = 0; j < n; j++) {
		unsigned some[3] = {0, 255, (unsigned)(j * 37 + n) % 256};
		for (unsigned k = 0; k < (all_bits ? 256u : 3u); k++) {
			unsigned bit = all_bits ? k : some[k];
			flip(&p[j], bit);
			assert_int_equal(verify_q(q, p, n), PNYX_ERR_BAD_PROOF);
			flip(&p[j], bit);
		}
	}
}

/* The leaf and roots flipped, where the question uses them. */
static void check_flipped_inputs(const question *q, const pnyx_hash *p,
				 size_t n)
{
	/* A consistency proof from 0 to more uses neither root. */
	bool unused = q->kind == 'c' && q->a == 0 && q->b > 0;
	for (unsigned bit = 0; bit < 256; bit += 85) {
		question m = *q;
		flip(q->kind == 'i' ? &m.leaf : &m.r1, bit);
		assert_int_equal(verify_q(&m, p, n),
				 unused ? PNYX_OK : PNYX_ERR_BAD_PROOF);
		m = *q;
		flip(&m.r2, bit);
		assert_int_equal(verify_q(&m, p, n),
				 unused ? PNYX_OK : PNYX_ERR_BAD_PROOF);
	}
}

static void mutations(const world *w, const question *q, pnyx_hash *p,
		      size_t n)
{
	uint64_t a = q->a, b = q->b;
	check_flips(q, p, n, b <= 16);
	check_length_mutations(q, p, n);
	check_flipped_inputs(q, p, n);
	uint64_t as[] = {a + 1, a - 1, a ^ 1, a ^ 2, 0, b, b + 1, a * 2};
	for (size_t k = 0; k < sizeof as / sizeof *as; k++)
		check_question(w, q, as[k], b, p, n);
	uint64_t bs[] = {b + 1, b - 1, b * 2, b / 2, 0, a, a + 1, b ^ 1, b ^ 2};
	for (size_t k = 0; k < sizeof bs / sizeof *bs; k++)
		check_question(w, q, a, bs[k], p, n);
}

/* Every question up to SMALL leaves: generation equals the reference,
 * takes O(log n) reads, verifies, and no mutation of it verifies. */
static void brute(char kind)
{
	world *w = world_new();
	pnyx_hash p[PNYX_MERKLE_MAX_PROOF], ref[PNYX_MERKLE_MAX_PROOF];
	size_t n, rn;
	for (uint64_t b = 0; b <= SMALL; b++) {
		for (uint64_t a = 0; kind == 'i' ? a < b : a <= b; a++) {
			question q = {.kind = kind, .a = a, .b = b};
			q.r1 = w->root[a];
			q.r2 = w->root[b];
			q.leaf = w->leaf[a];
			assert_int_equal(gen_q(kind, a, b, w->mt, p, &n),
					 PNYX_OK);
			/* One read per level, plus one read per level for the
			 * decomposition of at most one incomplete subtree. */
			assert_true(w->mt->reads <= 2 * bit_len(b) + 1);
			assert_true(ref_q(kind, a, b, w->leaf, ref, &rn));
			assert_true(proofs_equal(p, n, ref, rn));
			assert_int_equal(verify_q(&q, p, n), PNYX_OK);
			mutations(w, &q, p, n);
		}
	}
	world_free(w);
}

static void brute_inclusion(void **state)
{
	(void)state;
	brute('i');
}

static void brute_consistency(void **state)
{
	(void)state;
	brute('c');
}

/* ---- the right edge against the reference ---- */

static void edge_vs_reference(void **state)
{
	(void)state;
	world *w = world_new();
	pnyx_merkle_edge grown;
	pnyx_merkle_edge_init(&grown);
	for (uint64_t s = 0; s <= REF_MAX; s++) {
		pnyx_merkle_edge e;
		pnyx_hash r;
		use(w->mt, s);
		assert_int_equal(pnyx_merkle_edge_load(&e, s, mem_read, w->mt),
				 PNYX_OK);
		assert_true(w->mt->reads <= bit_len(s));
		assert_int_equal(e.size, s);
		pnyx_merkle_edge_root(&e, &r);
		assert_memory_equal(&r, &w->root[s], 32);
		pnyx_merkle_edge_root(&grown, &r);
		assert_memory_equal(&r, &w->root[s], 32);
		assert_int_equal(grown.size, s);
		use(w->mt, s);
		assert_int_equal(pnyx_merkle_root(s, mem_read, w->mt, &r),
				 PNYX_OK);
		assert_memory_equal(&r, &w->root[s], 32);
		if (s == REF_MAX)
			break;
		/* Appending to a loaded edge gives the next tree. */
		assert_int_equal(pnyx_merkle_edge_append(&e, &w->leaf[s], NULL,
							 NULL),
				 PNYX_OK);
		pnyx_merkle_edge_root(&e, &r);
		assert_memory_equal(&r, &w->root[s + 1], 32);
		assert_int_equal(pnyx_merkle_edge_append(&grown, &w->leaf[s],
							 NULL, NULL),
				 PNYX_OK);
	}
	world_free(w);
}

typedef struct emit_log {
	unsigned calls, fail_at;
	uint64_t seen[LEVELS][2]; /* (level, index) of each call */
} emit_log;

static pnyx_err log_emit(void *ctx, unsigned level, uint64_t index,
			 const pnyx_hash *h)
{
	emit_log *g = ctx;
	(void)h;
	if (g->calls + 1 == g->fail_at)
		return PNYX_ERR_STORAGE;
	assert_true(g->calls < LEVELS);
	g->seen[g->calls][0] = level;
	g->seen[g->calls][1] = index;
	g->calls++;
	return PNYX_OK;
}

static void edge_emit(void **state)
{
	(void)state;
	pnyx_hash leaf[8], r1, r2;
	make_leaves(leaf, 8);
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	for (int i = 0; i < 7; i++)
		assert_int_equal(pnyx_merkle_edge_append(&e, &leaf[i], NULL,
							 NULL),
				 PNYX_OK);
	pnyx_merkle_edge_root(&e, &r1);
	/* A failing emit leaves the edge unchanged. */
	for (unsigned f = 1; f <= 4; f++) {
		pnyx_merkle_edge before = e;
		emit_log g = {.fail_at = f};
		assert_int_equal(pnyx_merkle_edge_append(&e, &leaf[7], log_emit,
							 &g),
				 PNYX_ERR_STORAGE);
		assert_memory_equal(&before, &e, sizeof e);
	}
	pnyx_merkle_edge_root(&e, &r2);
	assert_memory_equal(&r1, &r2, 32);
	/* Leaf 7 completes (1,3), (2,1) and (3,0), lowest level first. */
	emit_log g = {0};
	assert_int_equal(pnyx_merkle_edge_append(&e, &leaf[7], log_emit, &g),
			 PNYX_OK);
	static const uint64_t want[4][2] = {{0, 7}, {1, 3}, {2, 1}, {3, 0}};
	assert_int_equal(g.calls, 4);
	assert_memory_equal(g.seen, want, sizeof want);
}

/* ---- contracts, reader failures, huge trees ---- */

static void generation_ranges(void **state)
{
	(void)state;
	world *w = world_new();
	pnyx_hash p[PNYX_MERKLE_MAX_PROOF];
	size_t n = 99;
	assert_int_equal(gen_q('i', 8, 8, w->mt, p, &n), PNYX_ERR_RANGE);
	assert_int_equal(gen_q('i', 0, 0, w->mt, p, &n), PNYX_ERR_RANGE);
	assert_int_equal(gen_q('c', 9, 8, w->mt, p, &n), PNYX_ERR_RANGE);
	assert_int_equal(n, 99); /* outputs untouched on error */
	assert_int_equal(gen_q('c', 0, 8, w->mt, p, &n), PNYX_OK);
	assert_int_equal(n, 0);
	assert_int_equal(gen_q('c', 8, 8, w->mt, p, &n), PNYX_OK);
	assert_int_equal(n, 0);
	world_free(w);
}

/* Verification edge cases: leaf 0 of the reference tree, roots of the
 * given sizes, and n copies of leaf 1 as the proof. */
static const struct verify_case {
	char kind;
	uint64_t a, b;
	size_t n;
	unsigned r1, r2;
	pnyx_err want;
} verify_cases[] = {
	{'i', 0, 0, 0, 0, 0, PNYX_ERR_BAD_PROOF},   /* empty tree */
	{'i', 1, 1, 0, 0, 1, PNYX_ERR_BAD_PROOF},   /* index == size */
	{'i', 0, 1, 0, 0, 1, PNYX_OK},
	{'i', 0, 1, 1, 0, 1, PNYX_ERR_BAD_PROOF},   /* one hash too many */
	{'i', 0, UINT64_MAX, PNYX_MERKLE_MAX_PROOF + 1, 0, 1,
	 PNYX_ERR_BAD_PROOF},                        /* over the cap */
	{'c', 9, 8, 0, 8, 8, PNYX_ERR_BAD_PROOF},   /* old > size */
	{'c', 8, 8, 0, 8, 8, PNYX_OK},
	{'c', 8, 8, 0, 1, 8, PNYX_ERR_BAD_PROOF},   /* roots differ */
	{'c', 8, 8, 1, 8, 8, PNYX_ERR_BAD_PROOF},   /* must be empty */
	{'c', 0, 0, 0, 0, 0, PNYX_OK},
	{'c', 0, 8, 0, 0, 8, PNYX_OK},
	{'c', 0, 8, 1, 0, 8, PNYX_ERR_BAD_PROOF},   /* must be empty */
	{'c', 3, 8, 0, 3, 8, PNYX_ERR_BAD_PROOF},   /* must not be empty */
	{'c', 1, UINT64_MAX, PNYX_MERKLE_MAX_PROOF + 1, 1, 8,
	 PNYX_ERR_BAD_PROOF},                        /* over the cap */
};

static void verification_edges(void **state)
{
	(void)state;
	world *w = world_new();
	pnyx_hash p[PNYX_MERKLE_MAX_PROOF + 1];
	for (size_t i = 0; i <= PNYX_MERKLE_MAX_PROOF; i++)
		p[i] = w->leaf[1];
	for (size_t k = 0; k < sizeof verify_cases / sizeof *verify_cases;
	     k++) {
		const struct verify_case *v = &verify_cases[k];
		question q = {.kind = v->kind, .a = v->a, .b = v->b};
		q.leaf = w->leaf[0];
		q.r1 = w->root[v->r1];
		q.r2 = w->root[v->r2];
		if (verify_q(&q, v->n == 0 ? NULL : p, v->n) != v->want)
			fail_msg("verify case %zu", k);
	}
	world_free(w);
}

static void reader_failures(void **state)
{
	(void)state;
	world *w = world_new();
	static const uint64_t q[][2] = {{0, 1},  {5, 7},   {3, 64},
					{62, 63}, {21, 50}, {0, 127}};
	for (size_t k = 0; k < 2 * sizeof q / sizeof *q; k++) {
		char kind = k % 2 ? 'c' : 'i';
		uint64_t a = q[k / 2][0] + (kind == 'c'), b = q[k / 2][1];
		pnyx_hash p[PNYX_MERKLE_MAX_PROOF];
		size_t n = 0;
		assert_int_equal(gen_q(kind, a, b, w->mt, p, &n), PNYX_OK);
		unsigned reads = w->mt->reads;
		for (unsigned f = 1; f <= reads; f++) {
			size_t n2 = 777;
			w->mt->fail_at = f;
			assert_int_equal(gen_q(kind, a, b, w->mt, p, &n2),
					 PNYX_ERR_STORAGE);
			assert_int_equal(n2, 777);
		}
		w->mt->fail_at = 0;
	}
	world_free(w);
}

/* A tree whose leaves are all the same hash: every node at level L has the
 * same hash u[L], so trees up to 2^64 - 1 leaves can be read. */
typedef struct uniform {
	pnyx_hash u[64];
	uint64_t limit;
	unsigned reads;
} uniform;

static pnyx_err uniform_read(void *ctx, unsigned level, uint64_t index,
			     size_t count, pnyx_hash *out)
{
	uniform *t = ctx;
	t->reads++;
	assert_true(level < 64 && count > 0);
	assert_true(count <= (t->limit >> level) &&
		    index <= (t->limit >> level) - count);
	for (size_t i = 0; i < count; i++)
		out[i] = t->u[level];
	return PNYX_OK;
}

static void huge_one(uniform *t, char kind, uint64_t a, uint64_t b)
{
	question q = {.kind = kind, .a = a, .b = b, .leaf = t->u[0]};
	pnyx_hash p[PNYX_MERKLE_MAX_PROOF];
	size_t n;
	if (kind == 'i' ? a >= b : a > b)
		return;
	t->limit = a;
	assert_int_equal(pnyx_merkle_root(a, uniform_read, t, &q.r1), PNYX_OK);
	t->limit = b;
	assert_int_equal(pnyx_merkle_root(b, uniform_read, t, &q.r2), PNYX_OK);
	t->reads = 0;
	pnyx_err err = kind == 'i' ? pnyx_merkle_inclusion_proof(
					     a, b, uniform_read, t, p, &n)
				   : pnyx_merkle_consistency_proof(
					     a, b, uniform_read, t, p, &n);
	assert_int_equal(err, PNYX_OK);
	assert_true(t->reads <= 129 && n <= 65);
	assert_int_equal(verify_q(&q, p, n), PNYX_OK);
	if (n > 0) {
		flip(&p[n / 2], 77);
		assert_int_equal(verify_q(&q, p, n), PNYX_ERR_BAD_PROOF);
	}
}

static void huge_trees(void **state)
{
	(void)state;
	uniform *t = calloc(1, sizeof *t);
	assert_non_null(t);
	pnyx_merkle_leaf_hash((const uint8_t *)"same", 4, &t->u[0]);
	for (int l = 1; l < 64; l++)
		pnyx_merkle_node_hash(&t->u[l - 1], &t->u[l - 1], &t->u[l]);
	const uint64_t top = UINT64_C(1) << 63;
	static const uint64_t sizes[] = {
		UINT64_MAX,     UINT64_MAX - 1, UINT64_C(1) << 63,
		(UINT64_C(1) << 63) + 1,        (UINT64_C(1) << 63) - 1,
		0x5555555555555555u, 0xaaaaaaaaaaaaaaabu, 1000000007u};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		uint64_t s = sizes[k];
		uint64_t as[] = {0,     1,         s - 1,    s / 2,
				 s / 3, top >> 1,  top - 1,  top,
				 top + 1, s - 2,   (s / 2) | 1};
		for (size_t j = 0; j < sizeof as / sizeof *as; j++) {
			huge_one(t, 'i', as[j], s);
			huge_one(t, 'c', as[j], s);
		}
	}
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors_tree),
		cmocka_unit_test(vectors_inclusion),
		cmocka_unit_test(vectors_consistency),
		cmocka_unit_test(brute_inclusion),
		cmocka_unit_test(brute_consistency),
		cmocka_unit_test(edge_vs_reference),
		cmocka_unit_test(edge_emit),
		cmocka_unit_test(generation_ranges),
		cmocka_unit_test(verification_edges),
		cmocka_unit_test(reader_failures),
		cmocka_unit_test(huge_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
