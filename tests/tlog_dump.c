/*
 * tlog_dump: the pnyx side of the interop test with Go's
 * golang.org/x/mod/sumdb/tlog (tests/interop_tlog.sh).
 *
 *   tlog_dump dump N          prints a tree of N leaves (see below)
 *   tlog_dump verify N FILE   verifies the proofs in FILE (made by Go)
 *                             against the same tree of N leaves
 *
 * The tree: leaf i holds 1 to 48 pseudo-random bytes from splitmix64
 * seeded with i, so both runs (and Go, which reads the leaves from the
 * dump) see the same tree. It is built in memory with
 * pnyx_merkle_edge_append, whose emit callback stores every complete
 * subtree hash; proofs are generated through a reader over those arrays.
 *
 * Line format (fields separated by one space, hashes in lowercase hex):
 *   leaf <index> <entry bytes>               for index 0..N-1
 *   root <size> <root>                       for size 0..N
 *   incl <index> <size> <count> <hash>...    an inclusion proof
 *   cons <old> <size> <count> <hash>...      a consistency proof
 * `dump` prints all four kinds: every root, and for each size 1..N the
 * inclusion proofs of a handful of indices (0, size-1, the largest power
 * of two below size and its neighbour, one pseudo-random) and the
 * consistency proofs from a handful of old sizes (1, size-1, size, the
 * largest power of two <= size and the next size, one pseudo-random).
 * `verify` reads incl and cons lines only; each proof must verify with
 * pnyx_merkle_verify_*, must equal the proof pnyx generates, and must fail
 * once one bit is flipped. It prints "verified N proofs" and exits 0, or
 * names the first failing line and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/merkle.h"
#include "pnyx/text.h"

#define MAX_LEAVES 100000
#define LEVELS 18 /* 2^LEVELS > MAX_LEAVES */

typedef struct tree {
	uint64_t size;
	pnyx_hash *node[LEVELS]; /* node[L][i] */
	pnyx_hash *root;         /* root[s] for s = 0..size */
} tree;

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Entry bytes of leaf i into out (48 bytes); returns their number. */
static size_t leaf_entry(uint64_t i, uint8_t out[48])
{
	uint64_t state = i;
	size_t n = 1 + (size_t)(splitmix64(&state) % 48);
	for (size_t k = 0; k < n; k++)
		out[k] = (uint8_t)splitmix64(&state);
	return n;
}

static pnyx_err store_emit(void *ctx, unsigned level, uint64_t index,
			   const pnyx_hash *h)
{
	tree *t = ctx;
	t->node[level][index] = *h;
	return PNYX_OK;
}

static pnyx_err tree_read(void *ctx, unsigned level, uint64_t index,
			  size_t count, pnyx_hash *out)
{
	const tree *t = ctx;
	if (level >= LEVELS || index + count > (t->size >> level))
		return PNYX_ERR_RANGE;
	memcpy(out, &t->node[level][index], count * sizeof *out);
	return PNYX_OK;
}

static void die(const char *what)
{
	fprintf(stderr, "tlog_dump: %s\n", what);
	exit(1);
}

static void *alloc(size_t count, size_t size)
{
	void *p = calloc(count == 0 ? 1 : count, size);
	if (p == NULL)
		die("out of memory");
	return p;
}

static void tree_build(tree *t, uint64_t n)
{
	t->size = n;
	for (unsigned l = 0; l < LEVELS; l++)
		t->node[l] = alloc((size_t)(n >> l), sizeof(pnyx_hash));
	t->root = alloc((size_t)n + 1, sizeof(pnyx_hash));
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	pnyx_merkle_edge_root(&e, &t->root[0]);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t entry[48];
		pnyx_hash leaf;
		pnyx_merkle_leaf_hash(entry, leaf_entry(i, entry), &leaf);
		if (pnyx_merkle_edge_append(&e, &leaf, store_emit, t) != PNYX_OK)
			die("append failed");
		pnyx_merkle_edge_root(&e, &t->root[i + 1]);
	}
}

static void tree_free(tree *t)
{
	for (unsigned l = 0; l < LEVELS; l++)
		free(t->node[l]);
	free(t->root);
}

static void put_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		putchar(digits[p[i] >> 4]);
		putchar(digits[p[i] & 15]);
	}
}

static void put_proof(const char *kind, uint64_t a, uint64_t b,
		      const pnyx_hash *p, size_t n)
{
	printf("%s %llu %llu %zu", kind, (unsigned long long)a,
	       (unsigned long long)b, n);
	for (size_t i = 0; i < n; i++) {
		putchar(' ');
		put_hex(p[i].b, PNYX_HASH_LEN);
	}
	putchar('\n');
}

static uint64_t pow2_below(uint64_t s) /* largest power of two < s, s > 1 */
{
	uint64_t k = 1;
	while (k * 2 < s)
		k *= 2;
	return k;
}

static void dump_size(tree *t, uint64_t s, uint64_t *rng)
{
	pnyx_hash p[PNYX_MERKLE_MAX_PROOF];
	size_t n;
	uint64_t k = s > 1 ? pow2_below(s) : 0;
	uint64_t idx[] = {0, s - 1, k, k - 1, splitmix64(rng) % s};
	for (size_t j = 0; j < sizeof idx / sizeof *idx; j++) {
		if (idx[j] >= s)
			continue;
		if (pnyx_merkle_inclusion_proof(idx[j], s, tree_read, t, p,
						&n) != PNYX_OK)
			die("inclusion proof failed");
		put_proof("incl", idx[j], s, p, n);
	}
	uint64_t k2 = (s & (s - 1)) == 0 ? s : pow2_below(s);
	uint64_t olds[] = {1, s - 1, s, k2, k2 + 1, 1 + splitmix64(rng) % s};
	for (size_t j = 0; j < sizeof olds / sizeof *olds; j++) {
		if (olds[j] == 0 || olds[j] > s)
			continue;
		if (pnyx_merkle_consistency_proof(olds[j], s, tree_read, t, p,
						  &n) != PNYX_OK)
			die("consistency proof failed");
		put_proof("cons", olds[j], s, p, n);
	}
}

static int dump(uint64_t n)
{
	tree t;
	tree_build(&t, n);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t entry[48];
		size_t len = leaf_entry(i, entry);
		printf("leaf %llu ", (unsigned long long)i);
		put_hex(entry, len);
		putchar('\n');
	}
	for (uint64_t s = 0; s <= n; s++) {
		printf("root %llu ", (unsigned long long)s);
		put_hex(t.root[s].b, PNYX_HASH_LEN);
		putchar('\n');
	}
	uint64_t rng = 42;
	for (uint64_t s = 1; s <= n; s++)
		dump_size(&t, s, &rng);
	tree_free(&t);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ---- verify ---- */

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		die("cannot open the proof file");
	size_t cap = 1 << 20, n = 0, got;
	uint8_t *buf = alloc(cap, 1);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (nb == NULL)
				die("out of memory");
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Splits off the next space-separated field of a line. */
static bool field(const uint8_t **p, size_t *n, const uint8_t **f,
		  size_t *fn)
{
	if (*n == 0)
		return false;
	const uint8_t *sp = memchr(*p, ' ', *n);
	*f = *p;
	*fn = sp == NULL ? *n : (size_t)(sp - *p);
	size_t skip = sp == NULL ? *n : *fn + 1;
	*p += skip;
	*n -= skip;
	return true;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool parse_hash(const uint8_t *s, size_t n, pnyx_hash *out)
{
	if (n != 2 * PNYX_HASH_LEN)
		return false;
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out->b[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

typedef struct proof_line {
	bool incl;
	uint64_t a, b;
	size_t n;
	pnyx_hash h[PNYX_MERKLE_MAX_PROOF];
} proof_line;

static bool parse_line(const uint8_t *p, size_t n, proof_line *out)
{
	const uint8_t *f;
	size_t fn;
	uint64_t count;
	if (!field(&p, &n, &f, &fn))
		return false;
	out->incl = pnyx_bytes_eq(f, fn, "incl");
	if (!out->incl && !pnyx_bytes_eq(f, fn, "cons"))
		return false;
	if (!field(&p, &n, &f, &fn) || pnyx_parse_u64(f, fn, &out->a) != 0 ||
	    !field(&p, &n, &f, &fn) || pnyx_parse_u64(f, fn, &out->b) != 0 ||
	    !field(&p, &n, &f, &fn) || pnyx_parse_u64(f, fn, &count) != 0 ||
	    count > PNYX_MERKLE_MAX_PROOF)
		return false;
	out->n = (size_t)count;
	for (size_t i = 0; i < out->n; i++)
		if (!field(&p, &n, &f, &fn) || !parse_hash(f, fn, &out->h[i]))
			return false;
	return n == 0;
}

/* Verifies, compares with our own proof, and checks that a flip fails. */
static bool check_line(const tree *t, proof_line *pl)
{
	pnyx_hash own[PNYX_MERKLE_MAX_PROOF];
	size_t own_n = 0;
	if (pl->b > t->size || pl->a > pl->b || (pl->incl && pl->a >= pl->b))
		return false;
	const pnyx_hash *leaf = pl->incl ? &t->node[0][pl->a] : NULL;
	const pnyx_hash *r_old = &t->root[pl->a], *r_new = &t->root[pl->b];
	pnyx_err e1 = pl->incl ? pnyx_merkle_verify_inclusion(leaf, pl->a, pl->b,
							      pl->h, pl->n, r_new)
			       : pnyx_merkle_verify_consistency(
					 pl->a, pl->b, pl->h, pl->n, r_old, r_new);
	pnyx_err e2 = pl->incl ? pnyx_merkle_inclusion_proof(pl->a, pl->b,
							     tree_read,
							     (void *)t, own,
							     &own_n)
			       : pnyx_merkle_consistency_proof(pl->a, pl->b,
							       tree_read,
							       (void *)t, own,
							       &own_n);
	if (e1 != PNYX_OK || e2 != PNYX_OK || own_n != pl->n ||
	    (own_n > 0 && memcmp(own, pl->h, own_n * sizeof *own) != 0))
		return false;
	if (pl->n == 0)
		return true;
	pl->h[pl->n / 2].b[pl->a % PNYX_HASH_LEN] ^= 0x10;
	e1 = pl->incl ? pnyx_merkle_verify_inclusion(leaf, pl->a, pl->b, pl->h,
						     pl->n, r_new)
		      : pnyx_merkle_verify_consistency(pl->a, pl->b, pl->h,
						       pl->n, r_old, r_new);
	return e1 == PNYX_ERR_BAD_PROOF;
}

static int verify(uint64_t n, const char *path)
{
	tree t;
	tree_build(&t, n);
	size_t len;
	uint8_t *text = read_all(path, &len);
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, len);
	const uint8_t *line;
	size_t ln, lineno = 0, verified = 0;
	proof_line *pl = alloc(1, sizeof *pl);
	int rc = 0;
	while (rc == 0 && pnyx_cursor_line(&c, &line, &ln)) {
		lineno++;
		if (!parse_line(line, ln, pl) || !check_line(&t, pl)) {
			fprintf(stderr, "tlog_dump: line %zu of %s fails\n",
				lineno, path);
			rc = 1;
		}
		verified++;
	}
	if (rc == 0 && (pnyx_cursor_left(&c) != 0 || verified == 0)) {
		fprintf(stderr, "tlog_dump: %s is truncated or empty\n", path);
		rc = 1;
	}
	if (rc == 0)
		printf("verified %zu proofs\n", verified);
	free(pl);
	free(text);
	tree_free(&t);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t n = 0;
	if (pnyx_init() != PNYX_OK)
		die("cannot initialise");
	if (argc >= 3 && pnyx_parse_u64((const uint8_t *)argv[2],
					strlen(argv[2]), &n) == PNYX_OK &&
	    n <= MAX_LEAVES) {
		if (argc == 3 && strcmp(argv[1], "dump") == 0)
			return dump(n);
		if (argc == 4 && strcmp(argv[1], "verify") == 0)
			return verify(n, argv[3]);
	}
	fprintf(stderr, "usage: tlog_dump dump N | tlog_dump verify N FILE\n");
	return 2;
}
