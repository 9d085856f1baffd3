/*
 * C2SP tlog-tiles v0.1.0 (pnyx/tile.h): tile paths, which tiles a tree has,
 * tile and entry-bundle bytes from a pnyx_log (through its public API), and
 * the checks a client makes of tiles against a checkpoint's root.
 */
#include "pnyx/tile.h"

#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

#define GROUP_BASE 1000u /* N is written three decimal digits at a time */
#define MAX_GROUPS 7     /* UINT64_MAX has 20 digits */
#define MAX_PEAKS (PNYX_TILE_LEVELS * PNYX_TILE_HEIGHT)

static bool tile_is_valid(const pnyx_tile *t)
{
	if (t->kind != PNYX_TILE_HASHES && t->kind != PNYX_TILE_ENTRIES)
		return false;
	if (t->level > PNYX_TILE_MAX_LEVEL)
		return false;
	if (t->kind == PNYX_TILE_ENTRIES && t->level != 0)
		return false;
	return t->width >= 1 && t->width <= PNYX_TILE_WIDTH;
}

/* ---- paths: reading ---- */

/* Consumes the literal s if the cursor is at it. */
static bool take_lit(pnyx_cursor *c, const char *s)
{
	size_t n = strlen(s);
	if (pnyx_cursor_left(c) < n || memcmp(c->p + c->pos, s, n) != 0)
		return false;
	c->pos += n;
	return true;
}

/* Consumes the bytes up to the next '/' (or the end) and the '/'; false,
 * consuming nothing, if no '/' follows. */
static bool take_segment(pnyx_cursor *c, const uint8_t **seg, size_t *n)
{
	const uint8_t *start = c->p + c->pos;
	size_t left = pnyx_cursor_left(c);
	const uint8_t *slash = memchr(start, '/', left);
	if (slash == NULL)
		return false;
	*seg = start;
	*n = (size_t)(slash - start);
	c->pos += *n + 1;
	return true;
}

/* Consumes exactly three ASCII digits. */
static bool take_group(pnyx_cursor *c, unsigned *out)
{
	if (pnyx_cursor_left(c) < 3)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < 3; i++) {
		uint8_t ch = c->p[c->pos + i];
		if (ch < '0' || ch > '9')
			return false;
		v = v * 10u + (unsigned)(ch - '0');
	}
	c->pos += 3;
	*out = v;
	return true;
}

/* "<L>/" or "entries/". */
static pnyx_err parse_level(pnyx_cursor *c, pnyx_tile *t)
{
	const uint8_t *seg;
	size_t n;
	if (!take_segment(c, &seg, &n))
		return PNYX_ERR_MALFORMED;
	if (pnyx_bytes_eq(seg, n, "entries")) {
		t->kind = PNYX_TILE_ENTRIES;
		t->level = 0;
		return PNYX_OK;
	}
	uint64_t level;
	if (pnyx_parse_u64(seg, n, &level) != PNYX_OK ||
	    level > PNYX_TILE_MAX_LEVEL)
		return PNYX_ERR_MALFORMED;
	t->kind = PNYX_TILE_HASHES;
	t->level = (unsigned)level;
	return PNYX_OK;
}

/* "x001/x234/067": all groups but the last start with 'x'; the first group
 * of several is not 000 (the encoding is canonical). */
static pnyx_err parse_index(pnyx_cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	for (bool first = true;; first = false) {
		bool more = take_lit(c, "x");
		unsigned g;
		if (!take_group(c, &g))
			return PNYX_ERR_MALFORMED;
		if (more && first && g == 0)
			return PNYX_ERR_MALFORMED;
		if (v > (UINT64_MAX - g) / GROUP_BASE)
			return PNYX_ERR_MALFORMED;
		v = v * GROUP_BASE + g;
		if (!more)
			break;
		if (!take_lit(c, "/"))
			return PNYX_ERR_MALFORMED;
	}
	*out = v;
	return PNYX_OK;
}

/* Nothing (a full tile) or ".p/<W>" up to the end, W in 1..255. */
static pnyx_err parse_width(pnyx_cursor *c, unsigned *out)
{
	if (pnyx_cursor_left(c) == 0) {
		*out = PNYX_TILE_WIDTH;
		return PNYX_OK;
	}
	if (!take_lit(c, ".p/"))
		return PNYX_ERR_MALFORMED;
	uint64_t w;
	if (pnyx_parse_u64(c->p + c->pos, pnyx_cursor_left(c), &w) != PNYX_OK ||
	    w == 0 || w >= PNYX_TILE_WIDTH)
		return PNYX_ERR_MALFORMED;
	c->pos = c->len;
	*out = (unsigned)w;
	return PNYX_OK;
}

pnyx_err pnyx_tile_path_parse(const uint8_t *p, size_t n, pnyx_tile *out)
{
	assert(out != NULL && (p != NULL || n == 0));
	pnyx_cursor c;
	pnyx_cursor_init(&c, p, n);
	pnyx_tile t = {.kind = PNYX_TILE_HASHES};
	if (!take_lit(&c, "tile/"))
		return PNYX_ERR_MALFORMED;
	pnyx_err err = parse_level(&c, &t);
	if (err == PNYX_OK)
		err = parse_index(&c, &t.index);
	if (err == PNYX_OK)
		err = parse_width(&c, &t.width);
	if (err != PNYX_OK)
		return err;
	assert(pnyx_cursor_left(&c) == 0 && tile_is_valid(&t));
	*out = t;
	return PNYX_OK;
}

/* ---- paths: writing ---- */

static size_t put_str(char *out, size_t k, const char *s)
{
	size_t n = strlen(s);
	memcpy(out + k, s, n);
	return k + n;
}

/* A small number (at most 255) without leading zeros. */
static size_t put_small(char *out, size_t k, unsigned v)
{
	assert(v < 1000u);
	if (v >= 100u)
		out[k++] = (char)('0' + v / 100u);
	if (v >= 10u)
		out[k++] = (char)('0' + v / 10u % 10u);
	out[k++] = (char)('0' + v % 10u);
	return k;
}

size_t pnyx_tile_path_format(const pnyx_tile *t, char out[PNYX_TILE_PATH_MAX])
{
	assert(t != NULL && out != NULL && tile_is_valid(t));
	size_t k = put_str(out, 0, "tile/");
	if (t->kind == PNYX_TILE_ENTRIES) {
		k = put_str(out, k, "entries/");
	} else {
		k = put_small(out, k, t->level);
		out[k++] = '/';
	}
	unsigned groups[MAX_GROUPS];
	size_t ng = 0;
	uint64_t v = t->index;
	do {
		groups[ng++] = (unsigned)(v % GROUP_BASE);
		v /= GROUP_BASE;
	} while (v > 0);
	while (ng-- > 0) {
		if (ng > 0)
			out[k++] = 'x';
		out[k++] = (char)('0' + groups[ng] / 100u);
		out[k++] = (char)('0' + groups[ng] / 10u % 10u);
		out[k++] = (char)('0' + groups[ng] % 10u);
		if (ng > 0)
			out[k++] = '/';
	}
	if (t->width < PNYX_TILE_WIDTH) {
		k = put_str(out, k, ".p/");
		k = put_small(out, k, t->width);
	}
	assert(k < PNYX_TILE_PATH_MAX);
	out[k] = '\0';
	return k;
}

/* ---- which tiles a tree has ---- */

/* Hashes at tile level (tree level 8 * level) in the tree of size leaves. */
static uint64_t level_hashes(uint64_t size, unsigned level)
{
	if (level >= PNYX_TILE_LEVELS)
		return 0;
	return size >> (PNYX_TILE_HEIGHT * level);
}

unsigned pnyx_tile_levels(uint64_t size)
{
	unsigned l = 0;
	while (level_hashes(size, l) > 0)
		l++;
	return l;
}

uint64_t pnyx_tile_count(uint64_t size, unsigned level)
{
	uint64_t h = level_hashes(size, level);
	return h / PNYX_TILE_WIDTH + (h % PNYX_TILE_WIDTH != 0);
}

unsigned pnyx_tile_width(uint64_t size, unsigned level, uint64_t index)
{
	uint64_t h = level_hashes(size, level);
	uint64_t full = h / PNYX_TILE_WIDTH;
	if (index < full)
		return PNYX_TILE_WIDTH;
	if (index == full)
		return (unsigned)(h % PNYX_TILE_WIDTH);
	return 0;
}

pnyx_err pnyx_tile_check(const pnyx_tile *t, uint64_t size)
{
	assert(t != NULL);
	if (!tile_is_valid(t))
		return PNYX_ERR_RANGE;
	uint64_t h = level_hashes(size, t->level);
	/* index * 256 + width <= h, without overflow */
	if (t->width > h || t->index > (h - t->width) / PNYX_TILE_WIDTH)
		return PNYX_ERR_RANGE;
	return PNYX_OK;
}

/* ---- tile data from a log ---- */

/* Drops what a failed call appended (keeping the NUL after the data). */
static void buf_truncate(pnyx_buf *b, size_t len)
{
	b->len = len;
	if (b->data != NULL)
		b->data[len] = 0;
}

pnyx_err pnyx_log_tile(pnyx_log *log, unsigned level, uint64_t index,
		       unsigned width, pnyx_buf *out)
{
	assert(log != NULL && out != NULL);
	pnyx_tile t = {PNYX_TILE_HASHES, level, index, width};
	if (pnyx_tile_check(&t, pnyx_log_size(log)) != PNYX_OK)
		return PNYX_ERR_RANGE;
	pnyx_hash hashes[PNYX_TILE_WIDTH];
	pnyx_err err = pnyx_log_read_hashes(log, PNYX_TILE_HEIGHT * level,
					    index * PNYX_TILE_WIDTH, width,
					    hashes);
	if (err != PNYX_OK)
		return err;
	return pnyx_buf_append(out, hashes, (size_t)width * PNYX_HASH_LEN);
}

/* Appends one entry with its two-byte length prefix (pnyx_entry_fn; ctx is
 * the output buffer; the log already checked 1 <= n <= PNYX_ENTRY_MAX). */
static pnyx_err bundle_add(void *ctx, uint64_t index, const uint8_t *p,
			   size_t n)
{
	(void)index;
	const uint8_t len[2] = {(uint8_t)(n >> 8), (uint8_t)(n & 0xffu)};
	pnyx_err err = pnyx_buf_append(ctx, len, sizeof len);
	if (err == PNYX_OK)
		err = pnyx_buf_append(ctx, p, n);
	return err;
}

pnyx_err pnyx_log_bundle(pnyx_log *log, uint64_t index, unsigned width,
			 pnyx_buf *out)
{
	assert(log != NULL && out != NULL);
	pnyx_tile t = {PNYX_TILE_ENTRIES, 0, index, width};
	if (pnyx_tile_check(&t, pnyx_log_size(log)) != PNYX_OK)
		return PNYX_ERR_RANGE;
	size_t start = out->len;
	uint64_t from = index * PNYX_TILE_WIDTH;
	pnyx_err err = pnyx_log_scan(log, from, from + width, bundle_add, out);
	if (err != PNYX_OK)
		buf_truncate(out, start);
	return err;
}

pnyx_err pnyx_log_tile_resource(pnyx_log *log, const pnyx_tile *t,
				pnyx_buf *out)
{
	assert(t != NULL);
	if (t->kind == PNYX_TILE_ENTRIES && t->level == 0)
		return pnyx_log_bundle(log, t->index, t->width, out);
	if (t->kind == PNYX_TILE_HASHES)
		return pnyx_log_tile(log, t->level, t->index, t->width, out);
	return PNYX_ERR_RANGE;
}

/* ---- entry bundles ---- */

pnyx_err pnyx_tile_bundle_parse(const uint8_t *p, size_t n, unsigned width,
				pnyx_entry *out)
{
	assert((p != NULL || n == 0) && out != NULL);
	assert(width >= 1 && width <= PNYX_TILE_WIDTH);
	pnyx_entry got[PNYX_TILE_WIDTH];
	pnyx_cursor c;
	pnyx_cursor_init(&c, p, n);
	for (unsigned i = 0; i < width; i++) {
		if (pnyx_cursor_left(&c) < 2)
			return PNYX_ERR_MALFORMED;
		size_t len = (size_t)c.p[c.pos] << 8 | c.p[c.pos + 1];
		c.pos += 2;
		if (pnyx_cursor_left(&c) < len)
			return PNYX_ERR_MALFORMED;
		got[i].p = c.p + c.pos;
		got[i].n = len;
		c.pos += len;
	}
	if (pnyx_cursor_left(&c) != 0)
		return PNYX_ERR_MALFORMED;
	memcpy(out, got, width * sizeof got[0]);
	return PNYX_OK;
}

/* Hash i of a tile's data. */
static void tile_get(const uint8_t *data, size_t i, pnyx_hash *out)
{
	memcpy(out->b, data + i * PNYX_HASH_LEN, PNYX_HASH_LEN);
}

pnyx_err pnyx_tile_bundle_verify(const pnyx_entry *entries, unsigned width,
				 const uint8_t *tile, pnyx_diag *diag)
{
	assert(entries != NULL && tile != NULL);
	assert(width >= 1 && width <= PNYX_TILE_WIDTH);
	for (unsigned i = 0; i < width; i++) {
		pnyx_hash want, got;
		tile_get(tile, i, &want);
		pnyx_merkle_leaf_hash(entries[i].p, entries[i].n, &got);
		if (!pnyx_hash_eq(&want, &got))
			return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
					     "entry %u of the bundle does not "
					     "hash to its hash in the tile",
					     i);
	}
	return PNYX_OK;
}

/* ---- verifying tiles ---- */

/* Merkle Tree Hash of count hashes at data, taken as leaf hashes. */
static void range_hash(const uint8_t *data, size_t count, pnyx_hash *out)
{
	assert(count >= 1);
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	for (size_t i = 0; i < count; i++) {
		pnyx_hash h;
		tile_get(data, i, &h);
		pnyx_err err = pnyx_merkle_edge_append(&e, &h, NULL, NULL);
		assert(err == PNYX_OK); /* fails only through emit */
		(void)err;
	}
	pnyx_merkle_edge_root(&e, out);
}

void pnyx_tile_hash(const uint8_t *data, unsigned width, pnyx_hash *out)
{
	assert(data != NULL && out != NULL && width >= 1);
	range_hash(data, width, out);
}

void pnyx_tile_edge_append(pnyx_merkle_edge *e, const uint8_t *data,
			   unsigned width)
{
	assert(e != NULL && data != NULL);
	assert(width >= 1 && width <= PNYX_TILE_WIDTH);
	assert(e->size % PNYX_TILE_WIDTH == 0);
	for (unsigned i = 0; i < width; i++) {
		pnyx_hash h;
		tile_get(data, i, &h);
		pnyx_err err = pnyx_merkle_edge_append(e, &h, NULL, NULL);
		assert(err == PNYX_OK);
		(void)err;
	}
}

/* The peaks of the partial tile of width w: its complete subtrees of
 * 128, 64, ..., 1 hashes, left to right, appended to peaks[*np]. */
static void tile_peaks(const uint8_t *data, unsigned w, pnyx_hash *peaks,
		       size_t *np)
{
	size_t off = 0;
	for (unsigned b = PNYX_TILE_HEIGHT; b-- > 0;) {
		size_t span = (size_t)1 << b;
		if ((w & span) == 0)
			continue;
		range_hash(data + off * PNYX_HASH_LEN, span, &peaks[(*np)++]);
		off += span;
	}
}

pnyx_err pnyx_tile_tree_root(uint64_t size, pnyx_tile_reader read, void *ctx,
			     pnyx_hash *out)
{
	assert(read != NULL && out != NULL);
	pnyx_hash peaks[MAX_PEAKS];
	size_t np = 0;
	uint8_t data[PNYX_TILE_BYTES];
	for (unsigned l = pnyx_tile_levels(size); l-- > 0;) {
		uint64_t h = level_hashes(size, l);
		unsigned w = (unsigned)(h % PNYX_TILE_WIDTH);
		if (w == 0)
			continue;
		pnyx_err err = read(ctx, l, h / PNYX_TILE_WIDTH, w, data);
		if (err != PNYX_OK)
			return err;
		tile_peaks(data, w, peaks, &np);
	}
	if (np == 0) {
		pnyx_merkle_empty_root(out);
		return PNYX_OK;
	}
	pnyx_hash acc = peaks[np - 1];
	for (size_t i = np - 1; i-- > 0;)
		pnyx_merkle_node_hash(&peaks[i], &acc, &acc);
	*out = acc;
	return PNYX_OK;
}

/* The state of pnyx_tile_verify_tree: for each level L >= 1, the hashes
 * recomputed so far for its current tile (from the full tiles below). */
typedef struct tree_check {
	uint64_t size;
	pnyx_tile_reader read;
	void *ctx;
	pnyx_diag *diag;
	uint8_t *tile;                      /* one tile as read */
	uint8_t *acc;                       /* PNYX_TILE_LEVELS tiles */
	unsigned n_acc[PNYX_TILE_LEVELS];   /* hashes in acc[L] */
	uint64_t next[PNYX_TILE_LEVELS];    /* index of acc[L]'s tile */
	pnyx_merkle_edge edge;              /* of the level-0 hashes */
} tree_check;

static uint8_t *acc_at(tree_check *k, unsigned level)
{
	return k->acc + (size_t)level * PNYX_TILE_BYTES;
}

/* Reads tile (level, next[level]) of width w and compares it with the
 * hashes recomputed for it. */
static pnyx_err check_tile(tree_check *k, unsigned level, unsigned w)
{
	pnyx_tile t = {PNYX_TILE_HASHES, level, k->next[level], w};
	pnyx_err err = k->read(k->ctx, level, t.index, w, k->tile);
	if (err != PNYX_OK)
		return err;
	if (k->n_acc[level] == w &&
	    memcmp(k->tile, acc_at(k, level), (size_t)w * PNYX_HASH_LEN) == 0)
		return PNYX_OK;
	char path[PNYX_TILE_PATH_MAX];
	pnyx_tile_path_format(&t, path);
	return pnyx_diag_set(k->diag, PNYX_ERR_MISMATCH,
			     "%s does not hold the hashes of the tiles below "
			     "it",
			     path);
}

/* Adds the hash of a full tile at level - 1 to level's tile; each tile
 * that this completes is read, compared, and hashed into the level above. */
static pnyx_err push_hash(tree_check *k, unsigned level, const pnyx_hash *h)
{
	pnyx_hash carry = *h;
	for (;; level++) {
		assert(level < PNYX_TILE_LEVELS);
		memcpy(acc_at(k, level) + (size_t)k->n_acc[level] * PNYX_HASH_LEN,
		       carry.b, PNYX_HASH_LEN);
		if (++k->n_acc[level] < PNYX_TILE_WIDTH)
			return PNYX_OK;
		pnyx_err err = check_tile(k, level, PNYX_TILE_WIDTH);
		if (err != PNYX_OK)
			return err;
		range_hash(acc_at(k, level), PNYX_TILE_WIDTH, &carry);
		k->n_acc[level] = 0;
		k->next[level]++;
	}
}

/* Reads every level-0 tile in order, feeding the edge and level 1. */
static pnyx_err check_level0(tree_check *k)
{
	uint64_t count = pnyx_tile_count(k->size, 0);
	for (uint64_t n = 0; n < count; n++) {
		unsigned w = pnyx_tile_width(k->size, 0, n);
		pnyx_err err = k->read(k->ctx, 0, n, w, k->tile);
		if (err != PNYX_OK)
			return err;
		pnyx_tile_edge_append(&k->edge, k->tile, w);
		if (w < PNYX_TILE_WIDTH)
			continue;
		pnyx_hash h;
		range_hash(k->tile, PNYX_TILE_WIDTH, &h);
		err = push_hash(k, 1, &h);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}

/* After level 0: the partial tile of each level L >= 1. */
static pnyx_err check_partials(tree_check *k)
{
	unsigned levels = pnyx_tile_levels(k->size);
	for (unsigned l = 1; l < levels && l < PNYX_TILE_LEVELS; l++) {
		unsigned w = (unsigned)(level_hashes(k->size, l) %
					PNYX_TILE_WIDTH);
		assert(k->n_acc[l] == w);
		if (w == 0)
			continue;
		pnyx_err err = check_tile(k, l, w);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}

pnyx_err pnyx_tile_verify_tree(uint64_t size, const pnyx_hash *root,
			       pnyx_tile_reader read, void *ctx,
			       pnyx_diag *diag)
{
	assert(root != NULL && read != NULL);
	tree_check k = {.size = size, .read = read, .ctx = ctx, .diag = diag};
	pnyx_merkle_edge_init(&k.edge);
	pnyx_err err = PNYX_OK;
	if (size > 0) {
		unsigned levels = pnyx_tile_levels(size);
		k.tile = pnyx_malloc(PNYX_TILE_BYTES);
		k.acc = pnyx_malloc((size_t)levels * PNYX_TILE_BYTES);
		if (k.tile == NULL || k.acc == NULL)
			err = pnyx_diag_set(diag, PNYX_ERR_NOMEM,
					    "out of memory checking tiles");
		if (err == PNYX_OK)
			err = check_level0(&k);
		if (err == PNYX_OK)
			err = check_partials(&k);
	}
	pnyx_free(k.tile);
	pnyx_free(k.acc);
	if (err != PNYX_OK)
		return err;
	pnyx_hash got;
	pnyx_merkle_edge_root(&k.edge, &got);
	if (!pnyx_hash_eq(&got, root))
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the level-0 tiles do not hash to the "
				     "root of the tree of size %llu",
				     (unsigned long long)size);
	return PNYX_OK;
}

/* ---- tiles as a Merkle reader ---- */

/* The hash of subtree (level, index) from the tile that holds it; data
 * caches the tile *cached (or UINT64_MAX) of the tile level. */
static pnyx_err source_hash(const pnyx_tile_source *s, unsigned level,
			    uint64_t index, uint8_t *data, uint64_t *cached,
			    pnyx_hash *out)
{
	if (level > PNYX_MERKLE_MAX_LEVEL || index >= (s->size >> level))
		return PNYX_ERR_RANGE;
	unsigned tl = level / PNYX_TILE_HEIGHT;
	unsigned r = level % PNYX_TILE_HEIGHT;
	uint64_t pos = index << r; /* at tree level 8 * tl */
	uint64_t n = pos / PNYX_TILE_WIDTH;
	size_t off = (size_t)(pos % PNYX_TILE_WIDTH);
	if (*cached != n) {
		unsigned w = pnyx_tile_width(s->size, tl, n);
		assert(off + ((size_t)1 << r) <= w);
		pnyx_err err = s->read(s->ctx, tl, n, w, data);
		if (err != PNYX_OK)
			return err;
		*cached = n;
	}
	range_hash(data + off * PNYX_HASH_LEN, (size_t)1 << r, out);
	return PNYX_OK;
}

pnyx_err pnyx_tile_merkle_read(void *source, unsigned level, uint64_t index,
			       size_t count, pnyx_hash *out)
{
	const pnyx_tile_source *s = source;
	assert(s != NULL && s->read != NULL && (out != NULL || count == 0));
	uint8_t data[PNYX_TILE_BYTES];
	uint64_t cached = UINT64_MAX;
	for (size_t i = 0; i < count; i++) {
		pnyx_err err = source_hash(s, level, index + i, data, &cached,
					   &out[i]);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}
