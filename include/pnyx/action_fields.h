/*
 * pnyx/action_fields.h — what each action type takes, read from the
 * engine's own tables (the ones pnyx_engine_apply checks actions against),
 * so that a client builds actions from the same description the rules use:
 * who may take the type, and each field's name, JSON type, whether it is
 * required, and its size limit. The envelope fields (forum, actor, seq,
 * type) are not listed: every action has them.
 *
 * Everything here reads constant tables: thread-safe, no allocation.
 */
#ifndef PNYX_ACTION_FIELDS_H
#define PNYX_ACTION_FIELDS_H

#include "pnyx/common.h"

/* Who may take an action type (bits of pnyx_action_type_info.actors). */
#define PNYX_ACTORS_SECRETARIAT (1u << 0)
#define PNYX_ACTORS_CHAIR (1u << 1)
#define PNYX_ACTORS_MEMBER (1u << 2)
#define PNYX_ACTORS_STAKEHOLDER (1u << 3)
#define PNYX_ACTORS_NEW (1u << 4) /* an actor the forum does not know yet:
				     forum.create, stakeholder.apply */
#define PNYX_ACTORS_LOG (1u << 5) /* the cooperation log's own key (the actor
				     "cooperation"): cooperation.anchor */

/* The log an action type belongs to (pnyx_action_type_info.log). */
#define PNYX_LOG_PUBLIC 0      /* the forum's public log (pnyx/engine.h) */
#define PNYX_LOG_COOPERATION 1 /* the members-only cooperation log
				  (pnyx/coop.h) */

/* The JSON type of a field's value. */
typedef enum pnyx_field_kind {
	PNYX_FIELD_STRING = 0,
	PNYX_FIELD_INTEGER,
	PNYX_FIELD_BOOLEAN,
	PNYX_FIELD_ARRAY,
	PNYX_FIELD_OBJECT,
} pnyx_field_kind;

/* One field of an action type. name points into a constant table. */
typedef struct pnyx_field_info {
	const char *name;
	pnyx_field_kind kind;
	bool required;
	size_t max; /* strings: most bytes; arrays: most elements; 0: no limit
		       beyond the action's size */
} pnyx_field_info;

/* An action type: opaque handle into the engine's tables. */
typedef struct pnyx_action_type_info {
	const char *type;   /* e.g. "consensus.join" */
	unsigned actors;    /* PNYX_ACTORS_* bits */
	size_t nfields;     /* fields besides the envelope */
	const void *fields; /* internal: read with pnyx_action_type_field */
	unsigned log;       /* PNYX_LOG_PUBLIC or PNYX_LOG_COOPERATION */
} pnyx_action_type_info;

/* Finds the action type named type (NUL-terminated), on the public log or
 * the cooperation log (out->log says which). Returns true and fills *out,
 * or false if neither engine knows such a type (out untouched). The types
 * themselves are listed by pnyx_engine_type_count/_name (pnyx/engine.h)
 * and pnyx_coop_type_count/_name (pnyx/coop.h). */
PNYX_EXPORT bool pnyx_action_type_find(const char *type,
				       pnyx_action_type_info *out) PNYX_WUR;

/* The j-th field (j < t->nfields) of the type t, in the engine's order
 * (required fields first as the engine lists them). */
PNYX_EXPORT void pnyx_action_type_field(const pnyx_action_type_info *t,
					size_t j, pnyx_field_info *out);

/* Stable name of a field kind: "string", "integer", "boolean", "list",
 * "object". */
PNYX_EXPORT const char *pnyx_field_kind_name(pnyx_field_kind k);

#endif
