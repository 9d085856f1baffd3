/*
 * pnyx/fault.h — numbered fault-injection points for tests, inert in
 * production (the idea of SQLite's sqlite3FaultSim).
 *
 * Every fallible step the library takes that tests want to fail (each
 * allocation through pnyx_malloc, each storage call through a fault-wrapped
 * store) calls pnyx_fault_hit(). While no test has armed the counter it
 * returns false at the cost of one relaxed atomic load.
 *
 * A fault loop first arms with PNYX_FAULT_COUNT to count the points one
 * scenario passes, then re-runs the scenario failing point 1, 2, ... N.
 * The counter is process-wide (the one mutable global of the library,
 * deliberately: a fault must reach allocations deep inside any module).
 */
#ifndef PNYX_FAULT_H
#define PNYX_FAULT_H

#include "pnyx/common.h"

/* Passed to pnyx_fault_arm: count the points passed, fail none. */
#define PNYX_FAULT_COUNT 0

/* Arms the counter: the fail_at-th point passed from now on fails (once).
 * With PNYX_FAULT_COUNT no point fails and pnyx_fault_passed() counts. */
PNYX_EXPORT void pnyx_fault_arm(uint64_t fail_at);

/* Disarms the counter; pnyx_fault_hit() returns false again. */
PNYX_EXPORT void pnyx_fault_disarm(void);

/* Number of points passed since the last pnyx_fault_arm(). */
PNYX_EXPORT uint64_t pnyx_fault_passed(void);

/* True if the fault point being passed now must fail. Thread-safe. */
PNYX_EXPORT bool pnyx_fault_hit(void);

#endif
