/*
 * engine_decision_internal.h — what the decision module's files share
 * (engine_decision.c: the table, decision.open and helpers;
 * engine_decision_position.c: the members' positions; engine_decision_close.c:
 * closing, the tally, the outcome and the silence deadline). Only those
 * files include it. docs/actions/decisions.md describes the actions and the
 * state section.
 */
#ifndef PNYX_ENGINE_DECISION_INTERNAL_H
#define PNYX_ENGINE_DECISION_INTERNAL_H

#include "engine_internal.h"

#define DECISION_TEXT_MAX 8000   /* bytes of one language of a text */
#define DECISION_DISSOCIATE_MAX 500 /* paragraphs named in one join */

/* The decision object, writable (NULL if none). */
json_t *decision_get(pnyx_state *st, const char *id);

/* A string member of an object (NULL if absent or not a string). */
const char *decision_str(const json_t *obj, const char *key);

/* True if obj[key] is the string want. */
bool decision_str_is(const json_t *obj, const char *key, const char *want);

/* s if it is a valid id (safe to quote in a verdict), else a placeholder:
 * verdicts never carry untrusted bytes unescaped. */
const char *decision_quote(const char *s);

/* True if the forum's rules list the procedure. */
bool decision_rules_allow(const pnyx_state *st, const char *procedure);

/* True if the decision is open at time t: its status is "open" and, under
 * the silence procedure, its deadline has not come (a silence procedure
 * whose deadline passed is adopted, even before settle records it). */
bool decision_is_open_at(const json_t *d, uint64_t t);

/* The decision named by the action's "decision" field, or
 * PNYX_RULE_UNKNOWN_OBJECT. */
pnyx_rule decision_find(const pnyx_state *st, const engine_ctx *c,
			const json_t **out, pnyx_verdict *v);

/* PNYX_RULE_WRONG_PROCEDURE unless the decision is under procedure. */
pnyx_rule decision_need_procedure(const json_t *d, const engine_ctx *c,
				  const char *procedure, pnyx_verdict *v);

/* PNYX_RULE_DECISION_CLOSED unless the decision is open at the action's
 * time. */
pnyx_rule decision_need_open(const json_t *d, const engine_ctx *c,
			     pnyx_verdict *v);

/* The actor's current position on the decision ("joined", "objected",
 * "yes", ...), or NULL if it has taken none. */
const char *decision_position_of(const json_t *d, const char *member);

/* Records a new position of the action's actor on its decision: entry
 * (stolen) holds "position" and any details; "ms" and "leaf" are added.
 * NOMEM only. */
pnyx_rule decision_record_position(pnyx_state *st, const engine_ctx *c,
				   json_t *entry, pnyx_verdict *v);

/* Closes the decision d (its id: id) at time t (leaf index leaf): computes
 * the tally and the outcome, sets the status and carries out an adopted
 * membership question or agenda. by is the officer who closed it, or NULL
 * for a deadline. NOMEM only. */
pnyx_rule decision_close(pnyx_state *st, json_t *d, const char *id, uint64_t t,
			 uint64_t leaf, const char *by, pnyx_verdict *v);

/* Closes a silence procedure that member broke at time t: not adopted.
 * NOMEM only. */
pnyx_rule decision_close_broken(json_t *d, const char *member, uint64_t t,
				uint64_t leaf, pnyx_verdict *v);

/* ---- the actions (check and exec of each type) ---- */

pnyx_rule decision_close_check(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v);
pnyx_rule decision_close_exec(pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v);
pnyx_rule decision_join_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v);
pnyx_rule decision_join_exec(pnyx_state *st, const engine_ctx *c,
			     pnyx_verdict *v);
pnyx_rule decision_object_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v);
pnyx_rule decision_object_exec(pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v);
pnyx_rule decision_withdraw_check(const pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v);
pnyx_rule decision_withdraw_exec(pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v);
pnyx_rule decision_request_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v);
pnyx_rule decision_request_exec(pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v);
pnyx_rule decision_break_check(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v);
pnyx_rule decision_break_exec(pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v);
pnyx_rule decision_cast_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v);
pnyx_rule decision_cast_exec(pnyx_state *st, const engine_ctx *c,
			     pnyx_verdict *v);
pnyx_rule decision_explain_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v);
pnyx_rule decision_explain_exec(pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v);

#endif
