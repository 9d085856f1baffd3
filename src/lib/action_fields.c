/*
 * What each action type takes, read from the engine's action tables
 * (engine_internal.h): pnyx/action_fields.h. Nothing here is copied from
 * the rule modules; a field added to a module's table shows up here.
 */
#include "pnyx/action_fields.h"

#include "coop_internal.h"
#include "engine_internal.h"

#include <assert.h>
#include <string.h>

_Static_assert(PNYX_ACTORS_SECRETARIAT == ACTOR_SECRETARIAT &&
		       PNYX_ACTORS_CHAIR == ACTOR_CHAIR &&
		       PNYX_ACTORS_MEMBER == ACTOR_MEMBER &&
		       PNYX_ACTORS_STAKEHOLDER == ACTOR_STAKEHOLDER &&
		       PNYX_ACTORS_NEW == ACTOR_NEW && PNYX_ACTORS_LOG == ACTOR_LOG,
	       "the public actor bits are the engine's");

/* Every module's table, in the order engine.c searches them. */
static const action_spec *const tables[] = {
	engine_forum_actions,       engine_document_actions,
	engine_decision_actions,    engine_stakeholder_actions,
	engine_commitment_actions,  engine_cooperation_actions,
	engine_session_actions,     engine_statement_actions,
	engine_board_actions,
};

static pnyx_action_type_info info_of(const char *type, unsigned actors,
				     const field_spec *fields, unsigned log)
{
	size_t n = 0;
	while (fields[n].name != NULL)
		n++;
	return (pnyx_action_type_info){.type = type, .actors = actors, .nfields = n,
				       .fields = fields, .log = log};
}

bool pnyx_action_type_find(const char *type, pnyx_action_type_info *out)
{
	assert(type != NULL && out != NULL);
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
		for (const action_spec *s = tables[t]; s->type != NULL; s++) {
			if (strcmp(s->type, type) != 0)
				continue;
			*out = info_of(s->type, s->actors, s->fields, PNYX_LOG_PUBLIC);
			return true;
		}
	}
	const coop_spec *c = coop_find_spec(type);
	if (c == NULL)
		return false;
	*out = info_of(c->type, c->actors, c->fields, PNYX_LOG_COOPERATION);
	return true;
}

static pnyx_field_kind kind_of(json_type t)
{
	switch (t) {
	case JSON_STRING: return PNYX_FIELD_STRING;
	case JSON_INTEGER: return PNYX_FIELD_INTEGER;
	case JSON_TRUE: return PNYX_FIELD_BOOLEAN;
	case JSON_ARRAY: return PNYX_FIELD_ARRAY;
	default: break;
	}
	assert(t == JSON_OBJECT);
	return PNYX_FIELD_OBJECT;
}

void pnyx_action_type_field(const pnyx_action_type_info *t, size_t j,
			    pnyx_field_info *out)
{
	assert(t != NULL && out != NULL && j < t->nfields);
	const field_spec *f = (const field_spec *)t->fields + j;
	*out = (pnyx_field_info){.name = f->name,
				 .kind = kind_of(f->type),
				 .required = f->required,
				 .max = f->max};
}

const char *pnyx_field_kind_name(pnyx_field_kind k)
{
	static const char *const names[] = {"string", "integer", "boolean",
					    "list", "object"};
	return (size_t)k < sizeof names / sizeof *names ? names[k] : "unknown";
}
