/*
 * Fuzz target for the tile parsers of pnyx/tile.h. The first byte chooses:
 *
 *   'p' <path>            pnyx_tile_path_parse on the rest: an accepted path
 *                         must format back to the same bytes, and
 *                         pnyx_tile_check must answer for a few tree sizes;
 *   'b' <w> <bundle>      pnyx_tile_bundle_parse on the rest with width
 *                         w + 1 (1..256): the answer must agree with a
 *                         plain walk of the length prefixes, and an accepted
 *                         bundle must re-encode to the same bytes with every
 *                         entry inside the input.
 *
 * Any other first byte is ignored. Seeds: fuzz/corpus/tile/.
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/tile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_path(const uint8_t *p, size_t n)
{
	pnyx_tile t;
	if (pnyx_tile_path_parse(p, n, &t) != PNYX_OK)
		return;
	char out[PNYX_TILE_PATH_MAX];
	size_t len = pnyx_tile_path_format(&t, out);
	if (len != n || memcmp(out, p, n) != 0)
		abort(); /* accepted a non-canonical path */
	static const uint64_t sizes[] = {0, 1, 256, 70000, UINT64_MAX};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		pnyx_err err = pnyx_tile_check(&t, sizes[i]);
		if (err != PNYX_OK && err != PNYX_ERR_RANGE)
			abort();
		unsigned w = pnyx_tile_width(sizes[i], t.level, t.index);
		if (err == PNYX_OK && (w == 0 || (w < 256 && t.width > w)))
			abort(); /* served past the tree */
	}
}

/* True if n bytes at p are exactly width length-prefixed entries. */
static bool walk(const uint8_t *p, size_t n, unsigned width)
{
	size_t pos = 0;
	for (unsigned i = 0; i < width; i++) {
		if (n - pos < 2)
			return false;
		size_t len = (size_t)p[pos] << 8 | p[pos + 1];
		pos += 2;
		if (n - pos < len)
			return false;
		pos += len;
	}
	return pos == n;
}

static void fuzz_bundle(const uint8_t *p, size_t n, unsigned width)
{
	pnyx_entry e[PNYX_TILE_WIDTH];
	pnyx_err err = pnyx_tile_bundle_parse(p, n, width, e);
	if ((err == PNYX_OK) != walk(p, n, width))
		abort();
	if (err != PNYX_OK)
		return;
	size_t pos = 0;
	for (unsigned i = 0; i < width; i++) {
		if (e[i].n > 65535 || e[i].p != p + pos + 2 ||
		    p[pos] != (uint8_t)(e[i].n >> 8) ||
		    p[pos + 1] != (uint8_t)(e[i].n & 0xff))
			abort();
		pos += 2 + e[i].n;
	}
	if (pos != n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 1 && data[0] == 'p')
		fuzz_path(data + 1, size - 1);
	else if (size >= 2 && data[0] == 'b')
		fuzz_bundle(data + 2, size - 2, (unsigned)data[1] + 1);
	return 0;
}
