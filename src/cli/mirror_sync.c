/*
 * One catch-up of a mirror (mirror.h, docs/MIRROR.md).
 *
 * The copy holds a checkpoint (size m, root r) and the tiles of that tree,
 * checked when they were copied. The source offers a checkpoint (size n,
 * root R), signed by the same key. The new tree is accepted only if it
 * extends the copy's:
 *
 *   1. the right edge of the copy's tree (its peaks) is loaded from the
 *      copy's own tiles and must hash to r;
 *   2. every level-0 tile from the one holding leaf m onwards is fetched,
 *      its entry bundle too, and each entry must hash to its tile; where a
 *      new tile replaces a partial one of the copy, the hashes they share
 *      must be equal;
 *   3. the new leaf hashes m..n-1 are appended to the copy's edge; every
 *      complete subtree they finish at a tile level L >= 1 must be the hash
 *      the new level-L tile holds at that place (those tiles are fetched as
 *      the first of their hashes is finished);
 *   4. the edge's root must be R: the first m leaves of the tree R are the
 *      copy's tree (RFC 6962 consistency, proven from the tiles).
 *
 * The fetched files wait in DIR/.incoming; only then are they renamed into
 * place, flushed to disk, and the checkpoint replaced last. When a check
 * fails, a consistency proof built from the source's own tiles tells a
 * source with wrong tiles (refused as a failure) from a tree that does not
 * extend the copy's (refused, both checkpoints printed).
 */
#include "cli.h"
#include "cli_log.h"
#include "cli_text.h"
#include "mirror.h"
#include "verify_witness.h"

#include "pnyx/base64.h"
#include "pnyx/mem.h"
#include "pnyx/merkle.h"
#include "pnyx/tile.h"

#include <stdio.h>
#include <string.h>

#define BUNDLE_MAX ((size_t)PNYX_TILE_WIDTH * (2 + PNYX_ENTRY_MAX))

/* A tile of level L >= 1 being checked hash by hash. */
struct upper {
	bool loaded;
	uint64_t index;
	uint8_t data[PNYX_TILE_BYTES];
};

struct sync {
	http_client *hc;
	struct mirror_dir *dir;
	pnyx_checkpoint old, cp;   /* the copy's (size 0 if none), the source's */
	pnyx_merkle_edge edge;
	struct upper up[PNYX_TILE_LEVELS];
	uint8_t tile0[PNYX_TILE_BYTES];
	pnyx_buf got;              /* the latest file fetched */
	struct mirror_stats stats;
	pnyx_diag diag;            /* why a check failed, when not printed */
	bool printed;              /* the reason is already on stderr */
	bool mismatch;             /* a check against the copy or R failed */
};

/* ---- files ---- */

/* GET the tile t from the source into s->got; a tile of hashes must have
 * exactly its width's bytes. */
static pnyx_err fetch(struct sync *s, const pnyx_tile *t)
{
	char path[PNYX_TILE_PATH_MAX + 1] = "/";
	pnyx_tile_path_format(t, path + 1);
	size_t max = t->kind == PNYX_TILE_ENTRIES ? BUNDLE_MAX : PNYX_TILE_BYTES;
	long status;
	pnyx_diag diag = {{0}};
	s->printed = true;
	if (!http_get(s->hc, path, max, &s->got, &status, &diag)) {
		cli_fail("cannot read %s%s: %s", http_client_base(s->hc), path, diag.msg);
		return PNYX_ERR_IO;
	}
	if (status != 200) {
		cli_fail("%s%s: HTTP %ld", http_client_base(s->hc), path, status);
		return PNYX_ERR_NOT_FOUND;
	}
	if (t->kind == PNYX_TILE_HASHES &&
	    s->got.len != (size_t)t->width * PNYX_HASH_LEN) {
		cli_fail("%s%s holds %zu bytes, not %u hashes",
			 http_client_base(s->hc), path, s->got.len, t->width);
		return PNYX_ERR_MALFORMED;
	}
	s->printed = false;
	s->stats.bytes += s->got.len;
	return PNYX_OK;
}

/* Fetches t and stages it in the copy's .incoming. */
static pnyx_err fetch_and_stage(struct sync *s, const pnyx_tile *t)
{
	pnyx_err err = fetch(s, t);
	if (err != PNYX_OK)
		return err;
	char path[PNYX_TILE_PATH_MAX];
	pnyx_tile_path_format(t, path);
	if (!mirror_stage(s->dir, path, s->got.data, s->got.len)) {
		s->printed = true;
		return PNYX_ERR_IO;
	}
	if (t->kind == PNYX_TILE_ENTRIES)
		s->stats.bundles++;
	else
		s->stats.tiles++;
	return PNYX_OK;
}

/* The pnyx_tile_reader of the copy's own tiles. */
static pnyx_err read_copy(void *ctx, unsigned level, uint64_t index,
			  unsigned width, uint8_t *out)
{
	struct sync *s = ctx;
	pnyx_tile t = {PNYX_TILE_HASHES, level, index, width};
	char path[PNYX_TILE_PATH_MAX];
	pnyx_tile_path_format(&t, path);
	pnyx_buf b;
	int r = mirror_read(s->dir, path, PNYX_TILE_BYTES, &b);
	bool ok = r == 1 && b.len == (size_t)width * PNYX_HASH_LEN;
	if (ok)
		memcpy(out, b.data, b.len);
	pnyx_buf_clear(&b);
	if (ok)
		return PNYX_OK;
	s->printed = r < 0;
	return pnyx_diag_set(&s->diag, PNYX_ERR_CORRUPT, "the copy in %s lacks "
			     "%s, or it is damaged: move the directory aside "
			     "and start a new copy", s->dir->path, path);
}

/* The pnyx_tile_reader of the source's tiles (nothing staged). */
static pnyx_err read_source(void *ctx, unsigned level, uint64_t index,
			    unsigned width, uint8_t *out)
{
	struct sync *s = ctx;
	pnyx_tile t = {PNYX_TILE_HASHES, level, index, width};
	pnyx_err err = fetch(s, &t);
	if (err == PNYX_OK)
		memcpy(out, s->got.data, s->got.len);
	return err;
}

/* ---- checks ---- */

/* Where the new tile (level, index) replaces a partial tile of the copy,
 * the hashes they share must be the same. */
static pnyx_err check_prefix(struct sync *s, unsigned level, uint64_t index,
			     const uint8_t *data)
{
	uint64_t old_n = s->old.size >> (PNYX_TILE_HEIGHT * level);
	unsigned w = (unsigned)(old_n % PNYX_TILE_WIDTH);
	if (index != old_n / PNYX_TILE_WIDTH || w == 0)
		return PNYX_OK;
	uint8_t old[PNYX_TILE_BYTES];
	pnyx_err err = read_copy(s, level, index, w, old);
	if (err != PNYX_OK)
		return err;
	if (memcmp(old, data, (size_t)w * PNYX_HASH_LEN) == 0)
		return PNYX_OK;
	s->mismatch = true;
	return pnyx_diag_set(&s->diag, PNYX_ERR_MISMATCH, "tile %u/%llu of the "
			     "source differs from the copy's in its first %u "
			     "hashes", level, (unsigned long long)index, w);
}

/* Fetches the new tile (level, index), level >= 1, into s->up[level]. */
static pnyx_err load_upper(struct sync *s, unsigned level, uint64_t index)
{
	struct upper *u = &s->up[level];
	pnyx_tile t = {PNYX_TILE_HASHES, level, index,
		       pnyx_tile_width(s->cp.size, level, index)};
	u->loaded = false;
	pnyx_err err = fetch_and_stage(s, &t);
	if (err != PNYX_OK)
		return err;
	memcpy(u->data, s->got.data, s->got.len);
	err = check_prefix(s, level, index, u->data);
	if (err == PNYX_OK) {
		u->loaded = true;
		u->index = index;
	}
	return err;
}

/* The pnyx_merkle_emit of the new leaves: a complete subtree at a tile
 * level must be the hash its tile holds. */
static pnyx_err check_subtree(void *ctx, unsigned level, uint64_t index,
			      const pnyx_hash *h)
{
	struct sync *s = ctx;
	if (level == 0 || level % PNYX_TILE_HEIGHT != 0)
		return PNYX_OK;
	unsigned l = level / PNYX_TILE_HEIGHT;
	uint64_t t = index / PNYX_TILE_WIDTH;
	struct upper *u = &s->up[l];
	if (!u->loaded || u->index != t) {
		pnyx_err err = load_upper(s, l, t);
		if (err != PNYX_OK)
			return err;
	}
	size_t at = (size_t)(index % PNYX_TILE_WIDTH) * PNYX_HASH_LEN;
	if (memcmp(u->data + at, h->b, PNYX_HASH_LEN) == 0)
		return PNYX_OK;
	s->mismatch = true;
	return pnyx_diag_set(&s->diag, PNYX_ERR_MISMATCH, "hash %llu of tile "
			     "%u/%llu is not the hash of the entries below it",
			     (unsigned long long)(index % PNYX_TILE_WIDTH), l,
			     (unsigned long long)t);
}

/* Level-0 tile t of the new tree and its entry bundle: fetched, checked
 * against each other and the copy, the new leaves appended to the edge. */
static pnyx_err copy_tile0(struct sync *s, uint64_t t)
{
	unsigned w = pnyx_tile_width(s->cp.size, 0, t);
	pnyx_tile tile = {PNYX_TILE_HASHES, 0, t, w};
	pnyx_err err = fetch_and_stage(s, &tile);
	if (err != PNYX_OK)
		return err;
	memcpy(s->tile0, s->got.data, s->got.len);
	if ((err = check_prefix(s, 0, t, s->tile0)) != PNYX_OK)
		return err;
	tile.kind = PNYX_TILE_ENTRIES;
	if ((err = fetch_and_stage(s, &tile)) != PNYX_OK)
		return err;
	pnyx_entry entries[PNYX_TILE_WIDTH];
	pnyx_diag diag = {{0}};
	err = pnyx_tile_bundle_parse(s->got.data, s->got.len, w, entries);
	if (err == PNYX_OK)
		err = pnyx_tile_bundle_verify(entries, w, s->tile0, &diag);
	if (err != PNYX_OK)
		return pnyx_diag_set(&s->diag, err, "entry bundle %llu of the "
				     "source: %s", (unsigned long long)t,
				     diag.msg[0] ? diag.msg : pnyx_err_text(err));
	unsigned k = t == s->old.size / PNYX_TILE_WIDTH
			     ? (unsigned)(s->old.size % PNYX_TILE_WIDTH) : 0;
	for (; k < w && err == PNYX_OK; k++) {
		pnyx_hash h;
		memcpy(h.b, s->tile0 + (size_t)k * PNYX_HASH_LEN, PNYX_HASH_LEN);
		err = pnyx_merkle_edge_append(&s->edge, &h, check_subtree, s);
	}
	return err;
}

/* Steps 1 to 4 of the header. */
static pnyx_err check_growth(struct sync *s)
{
	pnyx_merkle_edge_init(&s->edge);
	if (s->old.size > 0) {
		pnyx_tile_source src = {s->old.size, read_copy, s};
		pnyx_hash r;
		pnyx_err err = pnyx_merkle_edge_load(&s->edge, s->old.size,
						     pnyx_tile_merkle_read, &src);
		if (err != PNYX_OK)
			return err;
		pnyx_merkle_edge_root(&s->edge, &r);
		if (!pnyx_hash_eq(&r, &s->old.root))
			return pnyx_diag_set(&s->diag, PNYX_ERR_CORRUPT, "the tiles "
					     "of the copy in %s do not match its own "
					     "checkpoint: move the directory aside "
					     "and start a new copy", s->dir->path);
	}
	for (uint64_t t = s->old.size / PNYX_TILE_WIDTH;
	     t < pnyx_tile_count(s->cp.size, 0); t++) {
		pnyx_err err = copy_tile0(s, t);
		if (err != PNYX_OK)
			return err;
	}
	pnyx_hash root;
	pnyx_merkle_edge_root(&s->edge, &root);
	if (pnyx_hash_eq(&root, &s->cp.root))
		return PNYX_OK;
	s->mismatch = true;
	return pnyx_diag_set(&s->diag, PNYX_ERR_MISMATCH, "the copy's tree and "
			     "the new entries do not hash to the new root");
}

/* ---- outcomes ---- */

/* Prints a signed note line by line, indented, escaped for a terminal. */
static void print_note(const char *title, const pnyx_buf *note)
{
	fprintf(stderr, "%s:\n", title);
	char line[1024];
	size_t n = 0;
	for (size_t i = 0; i < note->len; i++) {
		if (note->data[i] != '\n' && n + 1 < sizeof line) {
			line[n++] = (char)note->data[i];
			continue;
		}
		line[n] = 0;
		fputs("    ", stderr);
		cli_put_text(stderr, line);
		fputc('\n', stderr);
		n = 0;
	}
}

static enum mirror_result refuse(struct sync *s, const pnyx_buf *old_note,
				 const pnyx_buf *new_note, const char *why)
{
	cli_fail("refused the checkpoint of %s: %s. The copy in %s is kept as "
		 "it was. Both checkpoints are signed by the log's key:",
		 http_client_base(s->hc), why, s->dir->path);
	print_note("the copy's checkpoint", old_note);
	print_note("the source's checkpoint", new_note);
	return MIRROR_REFUSED;
}

/* After a failed check_growth: does the source's own tree extend the
 * copy's (then its tiles are wrong), or not (a fork)? */
static enum mirror_result judge(struct sync *s, pnyx_buf *old_note,
				pnyx_buf *new_note)
{
	pnyx_tile_source src = {s->cp.size, read_source, s};
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], root;
	size_t n = 0;
	pnyx_diag why = s->diag;
	if (pnyx_merkle_consistency_proof(s->old.size, s->cp.size,
					  pnyx_tile_merkle_read, &src, proof,
					  &n) != PNYX_OK ||
	    pnyx_tile_tree_root(s->cp.size, read_source, s, &root) != PNYX_OK) {
		cli_fail("%s", why.msg);
		return MIRROR_FAILED;
	}
	if (!pnyx_hash_eq(&root, &s->cp.root) ||
	    pnyx_merkle_verify_consistency(s->old.size, s->cp.size, proof, n,
					   &s->old.root, &s->cp.root) == PNYX_OK) {
		cli_fail("the tiles of %s do not match its checkpoint: %s; nothing "
			 "was copied", http_client_base(s->hc), why.msg);
		return MIRROR_FAILED;
	}
	char text[400];
	snprintf(text, sizeof text, "its tree of %llu entries does not extend "
		 "the copy's tree of %llu entries (a fork: %s)",
		 (unsigned long long)s->cp.size, (unsigned long long)s->old.size,
		 why.msg);
	return refuse(s, old_note, new_note, text);
}

/* Renames every fetched file into place, flushes, then the checkpoint. */
static bool publish(struct sync *s, const pnyx_buf *note)
{
	for (unsigned l = 0; l < pnyx_tile_levels(s->cp.size); l++) {
		uint64_t old_n = s->old.size >> (PNYX_TILE_HEIGHT * l);
		uint64_t n = s->cp.size >> (PNYX_TILE_HEIGHT * l);
		for (uint64_t t = old_n / PNYX_TILE_WIDTH; n > old_n &&
		     t < pnyx_tile_count(s->cp.size, l); t++) {
			pnyx_tile tile = {PNYX_TILE_HASHES, l, t,
					  pnyx_tile_width(s->cp.size, l, t)};
			char path[PNYX_TILE_PATH_MAX];
			pnyx_tile_path_format(&tile, path);
			if (!mirror_publish(s->dir, path))
				return false;
			if (l > 0)
				continue;
			tile.kind = PNYX_TILE_ENTRIES;
			pnyx_tile_path_format(&tile, path);
			if (!mirror_publish(s->dir, path))
				return false;
		}
	}
	return mirror_flush(s->dir) &&
	       mirror_replace(s->dir, MIRROR_CHECKPOINT, note->data, note->len);
}

/* ---- the catch-up ---- */

int mirror_load_checkpoint(struct mirror_dir *d, const pnyx_verifier *key,
			   pnyx_buf *note, pnyx_checkpoint *cp)
{
	int r = mirror_read(d, MIRROR_CHECKPOINT, CLI_NOTE_MAX, note);
	if (r != 1)
		return r;
	char what[PATH_MAX + 32];
	snprintf(what, sizeof what, "%s/%s", d->path, MIRROR_CHECKPOINT);
	return cli_open_checkpoint(note, key, what, cp) ? 1 : -1;
}

/* GET /checkpoint from the source, opened with key. */
static bool source_checkpoint(struct sync *s, const pnyx_verifier *key,
			      pnyx_buf *note)
{
	long status;
	pnyx_diag diag = {{0}};
	const char *base = http_client_base(s->hc);
	if (!http_get(s->hc, "/checkpoint", CLI_NOTE_MAX, note, &status, &diag)) {
		cli_fail("cannot read %s/checkpoint: %s", base, diag.msg);
		return false;
	}
	if (status != 200) {
		cli_fail("%s/checkpoint: HTTP %ld", base, status);
		return false;
	}
	char what[HTTP_URL_MAX + 32];
	snprintf(what, sizeof what, "%s/checkpoint", base);
	return cli_open_checkpoint(note, key, what, &s->cp);
}

/* Compares the two checkpoints; copies the new tree if it is larger. */
static enum mirror_result catch_up(struct sync *s, pnyx_buf *old_note,
				   pnyx_buf *new_note, bool has_old)
{
	if (has_old && s->cp.size < s->old.size)
		return refuse(s, old_note, new_note, "the log went back to fewer "
			      "entries (a log only grows)");
	if (has_old && s->cp.size == s->old.size) {
		if (!pnyx_hash_eq(&s->cp.root, &s->old.root))
			return refuse(s, old_note, new_note, "the same number of "
				      "entries with another root (a fork)");
		bool same = new_note->len == old_note->len &&
			    memcmp(new_note->data, old_note->data, old_note->len) == 0;
		return same || mirror_replace(s->dir, MIRROR_CHECKPOINT,
					      new_note->data, new_note->len)
			       ? MIRROR_SAME : MIRROR_FAILED;
	}
	pnyx_err err = check_growth(s);
	if (err != PNYX_OK) {
		mirror_stage_discard(s->dir);
		if (s->mismatch)
			return judge(s, old_note, new_note);
		if (!s->printed)
			cli_fail_err("the copy was not updated", err, &s->diag);
		return MIRROR_FAILED;
	}
	if (!publish(s, new_note)) {
		mirror_stage_discard(s->dir);
		return MIRROR_FAILED;
	}
	return MIRROR_GREW;
}

enum mirror_result mirror_sync(http_client *hc, struct mirror_dir *d,
			       const pnyx_verifier *key,
			       const pnyx_witness_policy *policy,
			       struct mirror_stats *stats)
{
	struct sync *s = pnyx_calloc(1, sizeof *s);
	if (s == NULL) {
		cli_fail("out of memory");
		return MIRROR_FAILED;
	}
	s->hc = hc;
	s->dir = d;
	pnyx_buf old_note, new_note;
	pnyx_buf_init(&new_note, CLI_NOTE_MAX);
	pnyx_buf_init(&s->got, BUNDLE_MAX);
	enum mirror_result res = MIRROR_FAILED;
	int has_old = mirror_load_checkpoint(d, key, &old_note, &s->old);
	if (has_old >= 0 && source_checkpoint(s, key, &new_note) &&
	    (policy == NULL || cli_check_cosigned(policy, &new_note, key,
						  "the source's checkpoint", NULL)))
		res = catch_up(s, &old_note, &new_note, has_old == 1);
	s->stats.old_size = s->old.size;
	s->stats.size = res == MIRROR_GREW ? s->cp.size : s->old.size;
	if (stats != NULL)
		*stats = s->stats;
	pnyx_buf_clear(&old_note);
	pnyx_buf_clear(&new_note);
	pnyx_buf_clear(&s->got);
	pnyx_free(s);
	return res;
}
