/* placeholder: stakeholders (being written) */
#include "engine_internal.h"

const action_spec engine_stakeholder_actions[] = {{NULL, 0, NULL, NULL, NULL}};

pnyx_rule engine_stakeholder_settle(pnyx_state *st, uint64_t time_ms, pnyx_verdict *v)
{
	(void)st; (void)time_ms; (void)v;
	return PNYX_RULE_OK;
}

bool engine_stakeholder_is_accredited(const pnyx_state *st, const char *id,
				      uint64_t time_ms)
{
	(void)st; (void)id; (void)time_ms;
	return false;
}
