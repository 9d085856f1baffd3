/*
 * Differential fuzz target for pnyx_json_parse_canonical (json_canonical.c)
 * against the method it replaced, kept here as the reference: jansson's
 * parser (duplicates refused), a walk refusing reals and measuring depth,
 * then re-encoding in the canonical form and comparing the bytes.
 *
 * On every input both must agree: accepted or refused (as malformed),
 * at the depth limits 1, the text's own depth and one less, and
 * PNYX_JSON_MAX_DEPTH; when accepted, the values are json_equal, their
 * members are in the same order, and the value re-encodes to the input.
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/json.h"
#include "pnyx/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What *out holds until the parser writes it. */
static json_t *const UNTOUCHED = (json_t *)&UNTOUCHED;

/* One open container of the reference's walk. */
struct ref_frame {
	json_t *c;
	size_t i;
	void *it;
};

static json_t *ref_next_child(struct ref_frame *f)
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

/* Depth of the tree at root (the root is 1), or 0 if it holds a real or
 * nests deeper than PNYX_JSON_MAX_DEPTH. */
static size_t ref_depth(json_t *root)
{
	struct ref_frame stack[PNYX_JSON_MAX_DEPTH];
	size_t top = 0, deepest = 1;
	stack[top++] = (struct ref_frame){root, 0, json_object_iter(root)};
	while (top > 0) {
		json_t *v = ref_next_child(&stack[top - 1]);
		if (v == NULL) {
			top--;
			continue;
		}
		if (json_is_real(v))
			return 0;
		if (!json_is_array(v) && !json_is_object(v))
			continue;
		if (top == PNYX_JSON_MAX_DEPTH)
			return 0;
		stack[top++] = (struct ref_frame){
			v, 0, json_is_object(v) ? json_object_iter(v) : NULL};
		if (top > deepest)
			deepest = top;
	}
	return deepest;
}

/* True if v re-encodes in the canonical form to the n bytes at p. */
static bool encodes_to(const json_t *v, const uint8_t *p, size_t n)
{
	pnyx_buf b;
	pnyx_buf_init(&b, n + 1);
	bool same = pnyx_json_encode(v, &b) == PNYX_OK && b.len == n &&
		    memcmp(b.data, p, n) == 0;
	pnyx_buf_clear(&b);
	return same;
}

/* The reference: a new reference and *depth, or NULL if refused. */
static json_t *ref_parse(const uint8_t *p, size_t n, size_t *depth)
{
	json_error_t e;
	json_t *v = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &e);
	if (v == NULL)
		return NULL;
	*depth = json_is_object(v) ? ref_depth(v) : 0;
	if (*depth == 0 || !encodes_to(v, p, n)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* True if a and b list their members in the same order (compact dumps
 * without sorting are equal). */
static bool same_order(const json_t *a, const json_t *b)
{
	char *x = json_dumps(a, JSON_COMPACT), *y = json_dumps(b, JSON_COMPACT);
	bool same = x != NULL && y != NULL && strcmp(x, y) == 0;
	pnyx_free(x);
	pnyx_free(y);
	return same;
}

/* Runs the parser at max_depth and checks it against the reference. */
static void check_at(const uint8_t *p, size_t n, size_t max_depth,
		     const json_t *ref, size_t ref_depth_)
{
	json_t *v = UNTOUCHED;
	pnyx_diag diag;
	pnyx_err err = pnyx_json_parse_canonical(n ? p : NULL, n, max_depth, &v,
						 &diag);
	bool want = ref != NULL && ref_depth_ <= max_depth;
	if (!want) {
		if (err != PNYX_ERR_MALFORMED || v != UNTOUCHED ||
		    diag.msg[0] == 0)
			abort(); /* accepted what the reference refuses */
		for (size_t i = 0; diag.msg[i] != 0; i++)
			if (diag.msg[i] < 0x20 || diag.msg[i] > 0x7e)
				abort(); /* the reason quotes the input */
		return;
	}
	if (err != PNYX_OK)
		abort(); /* refused what the reference accepts */
	if (!json_equal(v, ref) || !same_order(v, ref) || !encodes_to(v, p, n))
		abort(); /* not the same value */
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (pnyx_init() != PNYX_OK)
		abort();
	size_t depth = 0;
	json_t *ref = ref_parse(data, size, &depth);
	const size_t limits[] = {1, depth > 1 ? depth - 1 : 1,
				 depth > 0 ? depth : 1, PNYX_JSON_MAX_DEPTH};
	for (size_t i = 0; i < sizeof limits / sizeof *limits; i++)
		check_at(data, size, limits[i], ref, depth);
	json_decref(ref);
	return 0;
}
