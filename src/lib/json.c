/* Canonical JSON over jansson: the encoder and sorted keys (the parser is
 * json_canonical.c); see pnyx/json.h. */
#include "pnyx/json.h"

#include "pnyx/mem.h"

#include <stdlib.h>
#include <string.h>

#define JSON_CANONICAL_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

/* jansson's dump callback: appends to a pnyx_buf. */
static int append_chunk(const char *p, size_t n, void *ctx)
{
	return pnyx_buf_append(ctx, p, n) == PNYX_OK ? 0 : -1;
}

pnyx_err pnyx_json_encode(const json_t *v, pnyx_buf *out)
{
	if (json_dump_callback(v, append_chunk, out, JSON_CANONICAL_FLAGS) != 0)
		return out->err != PNYX_OK ? out->err : PNYX_ERR_NOMEM;
	return out->err;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **pnyx_json_sorted_keys(const json_t *obj, size_t *n)
{
	size_t count = json_object_size(obj);
	const char **keys = pnyx_malloc((count > 0 ? count : 1) * sizeof *keys);
	*n = 0;
	if (keys == NULL || count == 0)
		return keys;
	size_t i = 0;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		keys[i++] = k;
	qsort(keys, count, sizeof *keys, cmp_keys);
	*n = count;
	return keys;
}
