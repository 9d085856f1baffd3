/* Fault-injection counter: see pnyx/fault.h. */
#include "pnyx/fault.h"

#include <stdatomic.h>

static atomic_bool armed;
static atomic_uint_fast64_t passed;
static atomic_uint_fast64_t fail_at_point;

void pnyx_fault_arm(uint64_t fail_at)
{
	atomic_store(&passed, 0);
	atomic_store(&fail_at_point, fail_at);
	atomic_store(&armed, true);
}

void pnyx_fault_disarm(void)
{
	atomic_store(&armed, false);
}

uint64_t pnyx_fault_passed(void)
{
	return atomic_load(&passed);
}

bool pnyx_fault_hit(void)
{
	if (!atomic_load_explicit(&armed, memory_order_relaxed))
		return false;
	uint64_t n = atomic_fetch_add(&passed, 1) + 1;
	uint64_t target = atomic_load(&fail_at_point);
	return target != PNYX_FAULT_COUNT && n == target;
}
