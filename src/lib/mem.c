/* Allocation behind a fault-injection point. */
#include "pnyx/mem.h"

#include "pnyx/fault.h"

#include <assert.h>
#include <stdlib.h>

void *pnyx_malloc(size_t n)
{
	assert(n > 0);
	if (pnyx_fault_hit())
		return NULL;
	return malloc(n);
}

void *pnyx_calloc(size_t count, size_t size)
{
	if (pnyx_fault_hit())
		return NULL;
	return calloc(count, size);
}

void *pnyx_realloc(void *p, size_t n)
{
	assert(n > 0);
	if (pnyx_fault_hit())
		return NULL;
	return realloc(p, n);
}

void pnyx_free(void *p)
{
	free(p);
}
