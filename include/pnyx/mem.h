/*
 * pnyx/mem.h — the library's allocator: the C allocator behind a fault point.
 * Memory from pnyx_malloc/pnyx_calloc/pnyx_realloc is freed with pnyx_free.
 */
#ifndef PNYX_MEM_H
#define PNYX_MEM_H

#include "pnyx/common.h"

/* As malloc(n), but NULL also when a test fails this allocation. n > 0. */
PNYX_EXPORT void *pnyx_malloc(size_t n);

/* As calloc(count, size), checked for overflow; NULL on failure. */
PNYX_EXPORT void *pnyx_calloc(size_t count, size_t size);

/* As realloc(p, n); on failure returns NULL and leaves p untouched. */
PNYX_EXPORT void *pnyx_realloc(void *p, size_t n);

/* Frees memory from the functions above. NULL is a no-op. */
PNYX_EXPORT void pnyx_free(void *p);

#endif
