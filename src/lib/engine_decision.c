/* placeholder: decisions (being written) */
#include "engine_internal.h"

const action_spec engine_decision_actions[] = {{NULL, 0, NULL, NULL, NULL}};

pnyx_rule engine_decision_settle(pnyx_state *st, uint64_t time_ms, pnyx_verdict *v)
{
	(void)st; (void)time_ms; (void)v;
	return PNYX_RULE_OK;
}

const json_t *engine_decision(const pnyx_state *st, const char *id)
{
	return json_object_get(engine_section(st, "decisions"), id);
}
