/* The list of actions by actor (see actor_index.h): an open-addressing
 * table of actors (FNV-1a of the id, linear probing, at most half full),
 * each with a growing array of leaf indices. */
#include "actor_index.h"

#include "pnyx/action.h"
#include "pnyx/mem.h"

#include <assert.h>
#include <string.h>

#define FIRST_SLOTS 64

struct actor_slot {
	char id[PNYX_ID_MAX + 1];  /* "" for a free slot */
	uint64_t *leaves;
	size_t n, cap;
};

struct srv_actor_index {
	struct actor_slot *slots;
	size_t cap;     /* a power of two */
	size_t used;
	uint64_t size;  /* leaves indexed */
	pnyx_err broken;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (; *s != 0; s++) {
		h ^= (uint8_t)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* The slot of id, or the free slot where it would go. */
static struct actor_slot *find(const struct srv_actor_index *ix,
			       const char *id)
{
	size_t mask = ix->cap - 1;
	for (size_t i = (size_t)fnv1a(id) & mask;; i = (i + 1) & mask) {
		struct actor_slot *s = &ix->slots[i];
		if (s->id[0] == 0 || strcmp(s->id, id) == 0)
			return s;
	}
}

/* Doubles the table. */
static pnyx_err grow(struct srv_actor_index *ix)
{
	struct actor_slot *old = ix->slots;
	size_t old_cap = ix->cap;
	struct actor_slot *slots = pnyx_calloc(old_cap * 2, sizeof *slots);
	if (slots == NULL)
		return PNYX_ERR_NOMEM;
	ix->slots = slots;
	ix->cap = old_cap * 2;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].id[0] != 0)
			*find(ix, old[i].id) = old[i];
	pnyx_free(old);
	return PNYX_OK;
}

/* Appends index to id's list. */
static pnyx_err put(struct srv_actor_index *ix, const char *id, uint64_t index)
{
	if (2 * (ix->used + 1) > ix->cap && grow(ix) != PNYX_OK)
		return PNYX_ERR_NOMEM;
	struct actor_slot *s = find(ix, id);
	if (s->n == s->cap) {
		size_t cap = s->cap > 0 ? 2 * s->cap : 4;
		uint64_t *leaves = pnyx_realloc(s->leaves, cap * sizeof *leaves);
		if (leaves == NULL)
			return PNYX_ERR_NOMEM;
		s->leaves = leaves;
		s->cap = cap;
	}
	if (s->id[0] == 0) {
		memcpy(s->id, id, strlen(id) + 1);
		ix->used++;
	}
	s->leaves[s->n++] = index;
	return PNYX_OK;
}

pnyx_err srv_actor_index_add_keys(struct srv_actor_index *ix, uint64_t index,
				  const char *const *keys, size_t n)
{
	if (ix->broken != PNYX_OK)
		return ix->broken;
	assert(index == ix->size);
	pnyx_err err = n >= 1 && n <= 2 ? PNYX_OK : PNYX_ERR_CORRUPT;
	for (size_t i = 0; i < n && err == PNYX_OK; i++) {
		size_t len = strlen(keys[i]);
		err = len >= 1 && len <= PNYX_ID_MAX &&
				      (i == 0 || strcmp(keys[0], keys[i]) != 0)
			      ? put(ix, keys[i], index)
			      : PNYX_ERR_CORRUPT;
	}
	if (err != PNYX_OK)
		ix->broken = err;
	else
		ix->size++;
	return err;
}

pnyx_err srv_actor_index_new(struct srv_actor_index **out)
{
	struct srv_actor_index *ix = pnyx_calloc(1, sizeof *ix);
	if (ix == NULL)
		return PNYX_ERR_NOMEM;
	ix->slots = pnyx_calloc(FIRST_SLOTS, sizeof *ix->slots);
	if (ix->slots == NULL) {
		pnyx_free(ix);
		return PNYX_ERR_NOMEM;
	}
	ix->cap = FIRST_SLOTS;
	*out = ix;
	return PNYX_OK;
}

void srv_actor_index_free(struct srv_actor_index *ix)
{
	if (ix == NULL)
		return;
	for (size_t i = 0; i < ix->cap; i++)
		pnyx_free(ix->slots[i].leaves);
	pnyx_free(ix->slots);
	pnyx_free(ix);
}

uint64_t srv_actor_index_size(const struct srv_actor_index *ix)
{
	return ix->size;
}

pnyx_err srv_actor_index_page(const struct srv_actor_index *ix,
			      const char *actor, uint64_t from, uint64_t *out,
			      size_t max, size_t *n, bool *more)
{
	if (ix->broken != PNYX_OK)
		return ix->broken;
	const struct actor_slot *s = find(ix, actor);
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->leaves[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = s->n - lo < max ? s->n - lo : max;
	if (k > 0)
		memcpy(out, s->leaves + lo, k * sizeof *out);
	*n = k;
	*more = lo + k < s->n;
	return PNYX_OK;
}
