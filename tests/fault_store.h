/*
 * A test-only pnyx_store that wraps another and passes a fault point
 * (pnyx_fault_hit) before every fallible call it forwards: when the point
 * fails, the call is not forwarded and returns PNYX_ERR_STORAGE. rollback
 * and close are not fault points (they cannot fail). A scan of entries
 * passes one more point before each entry it hands on.
 */
#ifndef PNYX_TEST_FAULT_STORE_H
#define PNYX_TEST_FAULT_STORE_H

#include "pnyx/store.h"

/* Wraps inner (taking ownership: closing the wrapper closes inner). The
 * wrapper's own allocation is not a fault point; it aborts on failure. */
pnyx_store *fault_store_wrap(pnyx_store *inner);

#endif
