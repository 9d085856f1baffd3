/*
 * pnyx/tile.h — C2SP tlog-tiles v0.1.0: the static, cacheable form of a log
 * that the server serves, mirrors copy and `pnyx verify URL` reads
 * (docs/FORMATS.md, "Tiles").
 *
 *   tile/<L>/<N>[.p/<W>]        a tile: W consecutive hashes of the tree at
 *                               level 8*L, indices [N*256, N*256 + W)
 *   tile/entries/<N>[.p/<W>]    an entry bundle: entries [N*256, N*256 + W),
 *                               each as a big-endian uint16 length + bytes
 *
 * L is 0..63, N is written in 3-digit groups, all but the last prefixed
 * with "x" (1234067 is x001/x234/067), and ".p/<W>" (W in 1..255) marks a
 * partial tile; a full tile has 256 hashes (8,192 bytes). Tile level L holds
 * the hashes of complete subtrees of 256^L leaves; so the tree of size s has,
 * at tile level L, s >> 8L hashes: (s >> 8L) / 256 full tiles and, when
 * (s >> 8L) % 256 is not 0, one partial tile of that width.
 *
 * Everything here is thread-safe except the functions that take a pnyx_log
 * (which is used by one thread at a time).
 */
#ifndef PNYX_TILE_H
#define PNYX_TILE_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"
#include "pnyx/log.h"
#include "pnyx/merkle.h"

#define PNYX_TILE_HEIGHT 8      /* tree levels per tile level */
#define PNYX_TILE_WIDTH 256     /* hashes (entries) in a full tile */
#define PNYX_TILE_MAX_LEVEL 63  /* largest L a path may name */
#define PNYX_TILE_BYTES (PNYX_TILE_WIDTH * PNYX_HASH_LEN) /* full tile */
#define PNYX_TILE_PATH_MAX 64   /* longest path (52 bytes) and its NUL */
/* A tree of at most 2^64 - 1 leaves has tiles at levels 0..7 only. */
#define PNYX_TILE_LEVELS 8

typedef enum pnyx_tile_kind {
	PNYX_TILE_HASHES = 0,  /* tile/<L>/<N>[.p/<W>] */
	PNYX_TILE_ENTRIES = 1, /* tile/entries/<N>[.p/<W>] */
} pnyx_tile_kind;

/* A tile's coordinates. level is 0 for entry bundles; width is 1..255 for
 * a partial tile and PNYX_TILE_WIDTH for a full one. */
typedef struct pnyx_tile {
	pnyx_tile_kind kind;
	unsigned level;
	uint64_t index;
	unsigned width;
} pnyx_tile;

/* ---- paths ---- */

/* Parses a tile path of n bytes (starting "tile/", no leading slash, no
 * query, nothing after the last digit). Strict: L without leading zeros and
 * at most 63, every group of N exactly three digits, no leading "x000/"
 * group, N at most UINT64_MAX, W without leading zeros in 1..255. Returns
 * PNYX_OK and *out, or PNYX_ERR_MALFORMED. Says nothing about whether the
 * tile exists (see pnyx_tile_check). */
PNYX_EXPORT pnyx_err pnyx_tile_path_parse(const uint8_t *p, size_t n,
					  pnyx_tile *out) PNYX_WUR;

/* Writes t's canonical path and a NUL to out; returns its length (without
 * the NUL). t must be valid (level <= 63, 0 for entries; width 1..256). */
PNYX_EXPORT size_t pnyx_tile_path_format(const pnyx_tile *t,
					 char out[PNYX_TILE_PATH_MAX]);

/* ---- which tiles a tree has ---- */

/* Number of tile levels with at least one tile in the tree of size leaves
 * (0 for the empty tree, at most PNYX_TILE_LEVELS). */
PNYX_EXPORT unsigned pnyx_tile_levels(uint64_t size);

/* Number of tiles (full and partial) at tile level in the tree of size
 * leaves: ceil((size >> 8*level) / 256). Any level is allowed. */
PNYX_EXPORT uint64_t pnyx_tile_count(uint64_t size, unsigned level);

/* Width of tile (level, index) in the tree of size leaves: PNYX_TILE_WIDTH
 * for a full tile, 1..255 for the partial (rightmost) one, 0 if the tree has
 * no such tile. Entry bundles have the widths of level 0. */
PNYX_EXPORT unsigned pnyx_tile_width(uint64_t size, unsigned level,
				     uint64_t index);

/* May t be served from a log of size leaves? PNYX_OK if every hash (entry)
 * it holds is in the tree: a full tile once it is complete, and a partial
 * tile of ANY width whose hashes exist, not only the current width, since
 * the spec requires serving the partial tile of every tree size a
 * checkpoint was signed for (and allows keeping it once the full tile
 * exists). Tile contents never change, so serving is always safe. A full
 * tile is never a substitute for a partial one: a client asked for W
 * hashes. PNYX_ERR_RANGE otherwise (also for an invalid t). */
PNYX_EXPORT pnyx_err pnyx_tile_check(const pnyx_tile *t, uint64_t size)
	PNYX_WUR;

/* ---- tile data from a log ---- */

/* Appends the tile (level, index) of width hashes (1..256) to out:
 * width * 32 bytes, the hashes at tree level 8*level with indices
 * [index*256, index*256 + width), read with pnyx_log_read_hashes.
 * PNYX_ERR_RANGE if pnyx_tile_check refuses it for the log's size; storage
 * and buffer errors as they come. On error out's length is as before. */
PNYX_EXPORT pnyx_err pnyx_log_tile(pnyx_log *log, unsigned level,
				   uint64_t index, unsigned width,
				   pnyx_buf *out) PNYX_WUR;

/* Appends the entry bundle (index, width entries) to out: for each entry
 * [index*256, index*256 + width), its length as a big-endian uint16 and its
 * bytes. Same errors as pnyx_log_tile. */
PNYX_EXPORT pnyx_err pnyx_log_bundle(pnyx_log *log, uint64_t index,
				     unsigned width, pnyx_buf *out) PNYX_WUR;

/* pnyx_log_tile or pnyx_log_bundle, as t's kind says: the bytes to serve
 * at t's path. */
PNYX_EXPORT pnyx_err pnyx_log_tile_resource(pnyx_log *log, const pnyx_tile *t,
					    pnyx_buf *out) PNYX_WUR;

/* ---- entry bundles ---- */

/* Parses an entry bundle that must hold exactly width entries (1..256):
 * out[0..width-1] receive them, each pointing into p (borrowed: valid as
 * long as p). PNYX_ERR_MALFORMED for a truncated length or entry, fewer
 * entries, or any byte after the last one. A zero-length entry is accepted,
 * as the spec allows it (a Pnyx log never holds one, and its leaf hash will
 * not match a Pnyx tile). out is written only on success. */
PNYX_EXPORT pnyx_err pnyx_tile_bundle_parse(const uint8_t *p, size_t n,
					    unsigned width, pnyx_entry *out)
	PNYX_WUR;

/* PNYX_OK if entries[i] hashes (RFC 6962 leaf hash) to hash i of tile, the
 * data of the level-0 tile of the same index and width (width * 32 bytes),
 * for every i < width; PNYX_ERR_MISMATCH naming the first entry that does
 * not (its position in the bundle) in diag. */
PNYX_EXPORT pnyx_err pnyx_tile_bundle_verify(const pnyx_entry *entries,
					     unsigned width,
					     const uint8_t *tile,
					     pnyx_diag *diag) PNYX_WUR;

/* ---- verifying tiles against a checkpoint ---- */

/* RFC 6962 Merkle Tree Hash of a tile's width hashes (width >= 1), taking
 * them as the leaves' hashes: for a full tile at level L, the hash of the
 * subtree at tree level 8(L+1) that is the tile's entry in level L+1. */
PNYX_EXPORT void pnyx_tile_hash(const uint8_t *data, unsigned width,
				pnyx_hash *out);

/* Appends the width hashes of a level-0 tile (leaf hashes) to e, whose size
 * must be a multiple of 256 (the tiles before it, in order). After the
 * last tile of a tree, pnyx_merkle_edge_root gives the tree's root: the
 * root of a tree recomputed from all its level-0 tiles. */
PNYX_EXPORT void pnyx_tile_edge_append(pnyx_merkle_edge *e,
				       const uint8_t *data, unsigned width);

/* Reads the tile (level, index) of width hashes (its width in the tree
 * being checked) into out (width * 32 bytes). Returns PNYX_OK or an error
 * that the calling function returns unchanged. */
typedef pnyx_err (*pnyx_tile_reader)(void *ctx, unsigned level,
				     uint64_t index, unsigned width,
				     uint8_t *out);

/* Root of the tree of size leaves computed from the rightmost (partial)
 * tile of each level only, one read per level that has one: what a client
 * compares with a checkpoint's root before trusting those tiles. */
PNYX_EXPORT pnyx_err pnyx_tile_tree_root(uint64_t size, pnyx_tile_reader read,
					 void *ctx, pnyx_hash *out) PNYX_WUR;

/* Checks every tile of the tree of size leaves against root, reading each
 * tile exactly once: the level-0 tiles in increasing index order (the
 * reader may check the matching entry bundle there with
 * pnyx_tile_bundle_verify), each higher tile as soon as the tiles below it
 * are read. The root recomputed from the level-0 tiles must equal root, and
 * every tile at level L >= 1 must hold the hashes of the full tiles below
 * it. PNYX_OK, PNYX_ERR_MISMATCH (naming the tile in diag), PNYX_ERR_NOMEM,
 * or the reader's error. */
PNYX_EXPORT pnyx_err pnyx_tile_verify_tree(uint64_t size,
					   const pnyx_hash *root,
					   pnyx_tile_reader read, void *ctx,
					   pnyx_diag *diag) PNYX_WUR;

/* Tiles of one tree as a pnyx_merkle_reader (pass a pnyx_tile_source * as
 * ctx): every subtree hash asked for is computed from the tile that holds
 * it (read at its width in the tree of size leaves). With it,
 * pnyx_merkle_inclusion_proof / _consistency_proof build proofs from tiles;
 * the tiles are not authenticated here, so check such a proof with
 * pnyx_merkle_verify_* against a checkpoint's root. */
typedef struct pnyx_tile_source {
	uint64_t size;
	pnyx_tile_reader read;
	void *ctx;
} pnyx_tile_source;

PNYX_EXPORT pnyx_err pnyx_tile_merkle_read(void *source, unsigned level,
					   uint64_t index, size_t count,
					   pnyx_hash *out) PNYX_WUR;

#endif
