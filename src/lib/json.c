/* Canonical JSON over jansson: see pnyx/json.h. */
#include "pnyx/json.h"

#include "pnyx/mem.h"

#include <assert.h>
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

/* One open container of the walk in check_values. */
struct frame {
	json_t *c;
	size_t i;  /* next array index */
	void *it;  /* next object member */
};

/* Next child of the frame's container, or NULL when none is left. */
static json_t *next_child(struct frame *f)
{
	if (json_is_array(f->c))
		return f->i < json_array_size(f->c) ? json_array_get(f->c, f->i++)
						     : NULL;
	if (f->it == NULL)
		return NULL;
	json_t *v = json_object_iter_value(f->it);
	f->it = json_object_iter_next(f->c, f->it);
	return v;
}

static struct frame open_frame(json_t *c)
{
	return (struct frame){.c = c, .i = 0,
			      .it = json_is_object(c) ? json_object_iter(c) : NULL};
}

/* Checks nesting depth and that every number is an integer, without
 * recursion: a stack of open containers no deeper than max_depth. */
static pnyx_err check_values(json_t *root, size_t max_depth, pnyx_diag *diag)
{
	struct frame stack[PNYX_JSON_MAX_DEPTH];
	size_t top = 0;
	stack[top++] = open_frame(root);
	while (top > 0) {
		json_t *v = next_child(&stack[top - 1]);
		if (v == NULL) {
			top--;
			continue;
		}
		if (json_is_real(v))
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "the JSON holds a number that is not an integer");
		if (!json_is_array(v) && !json_is_object(v))
			continue;
		if (top == max_depth)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "the JSON nests deeper than %zu levels",
					     max_depth);
		stack[top++] = open_frame(v);
	}
	return PNYX_OK;
}

pnyx_err pnyx_json_parse_canonical(const uint8_t *p, size_t n,
				   size_t max_depth, json_t **out,
				   pnyx_diag *diag)
{
	assert(max_depth >= 1 && max_depth <= PNYX_JSON_MAX_DEPTH);
	json_error_t e;
	json_t *v = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &e);
	if (v == NULL && json_error_code(&e) == json_error_out_of_memory)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	if (v == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "not valid JSON at character %d", e.position);
	pnyx_err err = PNYX_OK;
	if (!json_is_object(v))
		err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				    "the JSON value is not an object");
	else
		err = check_values(v, max_depth, diag);
	if (err == PNYX_OK) {
		pnyx_buf again;
		pnyx_buf_init(&again, n + 1);
		err = pnyx_json_encode(v, &again);
		if (err == PNYX_ERR_TOO_LARGE ||
		    (err == PNYX_OK && (again.len != n || memcmp(again.data, p, n) != 0)))
			err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					    "the JSON is not in canonical form (compact, "
					    "keys sorted, integers only)");
		pnyx_buf_clear(&again);
	}
	if (err != PNYX_OK) {
		json_decref(v);
		return err;
	}
	*out = v;
	return PNYX_OK;
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
