/*
 * The deadline index (engine_internal.h, "deadlines"): a binary min-heap of
 * the deadlines the rule modules registered, ordered by (time, kind, id), so
 * that finding out whether anything is due at a leaf's time costs O(1) and
 * settling costs O(log n) per deadline instead of a scan of every decision
 * and application at every leaf.
 *
 * The heap is a cache beside the JSON state, never part of its digest. An
 * entry may outlive its deadline's relevance (a silence procedure broken
 * early, an application decided): the module's liveness predicate decides
 * whether an entry still counts, and stale entries are dropped when they
 * reach the top.
 */
#include "engine_internal.h"

#include "pnyx/mem.h"

#include <assert.h>
#include <string.h>

static bool before(const engine_deadline *a, const engine_deadline *b)
{
	if (a->ms != b->ms)
		return a->ms < b->ms;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return strcmp(a->id, b->id) < 0;
}

static void swap(engine_deadline *a, engine_deadline *b)
{
	engine_deadline t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(engine_deadline *h, size_t i)
{
	while (i > 0 && before(&h[i], &h[(i - 1) / 2])) {
		swap(&h[i], &h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sift_down(engine_deadline *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && before(&h[l], &h[m]))
			m = l;
		if (r < n && before(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		swap(&h[i], &h[m]);
		i = m;
	}
}

static pnyx_rule grow(engine_deadline **arr, size_t *cap, size_t need)
{
	if (need <= *cap)
		return PNYX_RULE_OK;
	size_t ncap = *cap < 16 ? 16 : *cap * 2;
	engine_deadline *p = pnyx_realloc(*arr, ncap * sizeof *p);
	if (p == NULL)
		return PNYX_RULE_NOMEM;
	*arr = p;
	*cap = ncap;
	return PNYX_RULE_OK;
}

static pnyx_rule push(engine_deadlines *d, const engine_deadline *e)
{
	if (grow(&d->heap, &d->cap, d->n + 1) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	d->heap[d->n] = *e;
	sift_up(d->heap, d->n++);
	return PNYX_RULE_OK;
}

static void pop(engine_deadlines *d)
{
	assert(d->n > 0);
	d->heap[0] = d->heap[--d->n];
	sift_down(d->heap, d->n, 0);
}

pnyx_rule engine_due_add(pnyx_state *st, engine_due_kind kind, const char *id,
			 uint64_t ms)
{
	engine_deadline e = {.ms = ms, .kind = kind};
	size_t n = strlen(id);
	if (n >= sizeof e.id)
		return PNYX_RULE_NOMEM; /* ids are at most 64 bytes: never */
	memcpy(e.id, id, n + 1);
	return push(&st->due, &e);
}

static bool is_live(const pnyx_state *st, const engine_deadline *e)
{
	switch (e->kind) {
	case ENGINE_DUE_DECISION:
		return engine_decision_deadline_live(st, e->id, e->ms);
	case ENGINE_DUE_APPLICATION:
		return engine_stakeholder_window_live(st, e->id, e->ms);
	}
	return false;
}

bool engine_due_any(pnyx_state *st, uint64_t time_ms)
{
	engine_deadlines *d = &st->due;
	while (d->n > 0 && d->heap[0].ms <= time_ms) {
		if (is_live(st, &d->heap[0]))
			return true;
		pop(d);
	}
	return false;
}

pnyx_rule engine_due_take(pnyx_state *st, uint64_t time_ms)
{
	engine_deadlines *d = &st->due;
	assert(d->ntaken == 0);
	while (d->n > 0 && d->heap[0].ms <= time_ms) {
		if (grow(&d->taken, &d->taken_cap, d->ntaken + 1) != PNYX_RULE_OK)
			return PNYX_RULE_NOMEM;
		d->taken[d->ntaken++] = d->heap[0];
		pop(d);
	}
	return PNYX_RULE_OK;
}

void engine_due_settled(pnyx_state *st, bool accepted)
{
	engine_deadlines *d = &st->due;
	/* Putting back never needs more room than the entries took. */
	for (size_t i = 0; !accepted && i < d->ntaken; i++) {
		d->heap[d->n] = d->taken[i];
		sift_up(d->heap, d->n++);
	}
	d->ntaken = 0;
}

void engine_due_clear(pnyx_state *st)
{
	pnyx_free(st->due.heap);
	pnyx_free(st->due.taken);
	st->due = (engine_deadlines){0};
}
