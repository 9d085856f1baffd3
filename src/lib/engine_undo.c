/*
 * The undo log (engine_internal.h, "settling in place"): while settling
 * deadlines before a leaf is judged, every change to the state is first
 * recorded here, so that a refused leaf can put the state back exactly as
 * it was without copying the whole state beforehand. A change is recorded
 * at the level of one object member or one array element; below that
 * level the settling code works on fresh copies (engine_own).
 */
#include "engine_internal.h"

#include "pnyx/mem.h"

#include <assert.h>
#include <string.h>

static pnyx_rule record(pnyx_state *st, json_t *parent, const char *key,
			size_t index, json_t *old)
{
	engine_undo *u = &st->undo;
	if (u->n == u->cap) {
		size_t ncap = u->cap < 16 ? 16 : u->cap * 2;
		engine_undo_entry *p = pnyx_realloc(u->e, ncap * sizeof *p);
		if (p == NULL)
			return PNYX_RULE_NOMEM;
		u->e = p;
		u->cap = ncap;
	}
	char *k = NULL;
	if (key != NULL) {
		size_t n = strlen(key);
		if ((k = pnyx_malloc(n + 1)) == NULL)
			return PNYX_RULE_NOMEM;
		memcpy(k, key, n + 1);
	}
	u->e[u->n++] = (engine_undo_entry){.parent = json_incref(parent), .key = k,
					   .index = index, .old = json_incref(old)};
	return PNYX_RULE_OK;
}

void engine_undo_begin(pnyx_state *st)
{
	assert(st->undo.n == 0);
	st->undo.on = true;
}

void engine_undo_stop(pnyx_state *st)
{
	st->undo.on = false;
}

pnyx_rule engine_will_set(pnyx_state *st, json_t *obj, const char *key)
{
	if (!st->undo.on)
		return PNYX_RULE_OK;
	return record(st, obj, key, 0, json_object_get(obj, key));
}

pnyx_rule engine_will_remove(pnyx_state *st, json_t *arr, size_t index)
{
	if (!st->undo.on)
		return PNYX_RULE_OK;
	return record(st, arr, NULL, index, json_array_get(arr, index));
}

pnyx_rule engine_own(pnyx_state *st, json_t *obj, const char *key, json_t **out)
{
	json_t *child = json_object_get(obj, key);
	*out = child;
	if (!st->undo.on || child == NULL)
		return PNYX_RULE_OK;
	json_t *copy = json_deep_copy(child);
	if (copy == NULL || record(st, obj, key, 0, child) != PNYX_RULE_OK) {
		json_decref(copy);
		return PNYX_RULE_NOMEM;
	}
	if (json_object_set_new(obj, key, copy) != 0) /* it frees copy */
		return PNYX_RULE_NOMEM;
	*out = copy;
	return PNYX_RULE_OK;
}

/* Puts one change back. Restoring needs no memory that the change did not
 * already hold, except jansson's table for a deleted key, whose slot stays
 * allocated; so it does not fail in practice, and the result is asserted. */
static void restore(const engine_undo_entry *e)
{
	int rc;
	if (e->key == NULL)
		rc = json_array_insert(e->parent, e->index, e->old);
	else if (e->old == NULL)
		rc = json_object_del(e->parent, e->key);
	else
		rc = json_object_set(e->parent, e->key, e->old);
	assert(rc == 0);
	(void)rc;
}

void engine_undo_finish(pnyx_state *st, bool accepted)
{
	engine_undo *u = &st->undo;
	u->on = false;
	for (size_t i = u->n; i-- > 0;) {
		engine_undo_entry *e = &u->e[i];
		if (!accepted)
			restore(e);
		json_decref(e->parent);
		json_decref(e->old);
		pnyx_free(e->key);
	}
	u->n = 0;
}

void engine_undo_clear(pnyx_state *st)
{
	engine_undo_finish(st, true);
	pnyx_free(st->undo.e);
	st->undo = (engine_undo){0};
}
