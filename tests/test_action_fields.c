/*
 * What each action type takes (src/lib/action_fields.c), read from the
 * engine's tables: every type the engine lists is found, with the actors
 * and fields the pages of docs/actions/ give; an unknown type is not; field kinds
 * have stable names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/action_fields.h"
#include "pnyx/engine.h"

static void every_type_found(void **state)
{
	(void)state;
	size_t n = pnyx_engine_type_count();
	assert_true(n >= 25);
	for (size_t i = 0; i < n; i++) {
		pnyx_action_type_info t;
		assert_true(pnyx_action_type_find(pnyx_engine_type_name(i), &t));
		assert_string_equal(t.type, pnyx_engine_type_name(i));
		assert_true(t.actors != 0);
		for (size_t j = 0; j < t.nfields; j++) {
			pnyx_field_info f;
			pnyx_action_type_field(&t, j, &f);
			assert_non_null(f.name);
			/* the envelope is never among a type's own fields */
			assert_true(strcmp(f.name, "forum") != 0 &&
				    strcmp(f.name, "actor") != 0 &&
				    strcmp(f.name, "seq") != 0 &&
				    strcmp(f.name, "type") != 0);
		}
	}
}

/* Finds field name of t; fails the test if absent. */
static pnyx_field_info field(const pnyx_action_type_info *t, const char *name)
{
	for (size_t j = 0; j < t->nfields; j++) {
		pnyx_field_info f;
		pnyx_action_type_field(t, j, &f);
		if (strcmp(f.name, name) == 0)
			return f;
	}
	fail_msg("%s has no field %s", t->type, name);
	return (pnyx_field_info){0};
}

static void fields_as_documented(void **state)
{
	(void)state;
	pnyx_action_type_info t;
	assert_true(pnyx_action_type_find("consensus.join", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_MEMBER);
	assert_int_equal(t.nfields, 2);
	pnyx_field_info f = field(&t, "decision");
	assert_int_equal(f.kind, PNYX_FIELD_STRING);
	assert_true(f.required);
	assert_int_equal(f.max, 64);
	f = field(&t, "dissociate");
	assert_int_equal(f.kind, PNYX_FIELD_ARRAY);
	assert_false(f.required);

	assert_true(pnyx_action_type_find("decision.open", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_SECRETARIAT | PNYX_ACTORS_CHAIR);
	assert_int_equal(field(&t, "important").kind, PNYX_FIELD_BOOLEAN);
	assert_int_equal(field(&t, "revision").kind, PNYX_FIELD_INTEGER);
	assert_int_equal(field(&t, "subject").kind, PNYX_FIELD_OBJECT);

	assert_true(pnyx_action_type_find("stakeholder.apply", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_NEW);
	assert_true(pnyx_action_type_find("forum.create", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_NEW);
}

static void unknown_type(void **state)
{
	(void)state;
	pnyx_action_type_info t = {.type = "untouched"};
	assert_false(pnyx_action_type_find("consensus.nod", &t));
	assert_false(pnyx_action_type_find("", &t));
	assert_false(pnyx_action_type_find("consensus", &t));
	assert_string_equal(t.type, "untouched");
}

static void kind_names(void **state)
{
	(void)state;
	assert_string_equal(pnyx_field_kind_name(PNYX_FIELD_STRING), "string");
	assert_string_equal(pnyx_field_kind_name(PNYX_FIELD_INTEGER), "integer");
	assert_string_equal(pnyx_field_kind_name(PNYX_FIELD_BOOLEAN), "boolean");
	assert_string_equal(pnyx_field_kind_name(PNYX_FIELD_ARRAY), "list");
	assert_string_equal(pnyx_field_kind_name(PNYX_FIELD_OBJECT), "object");
	assert_string_equal(pnyx_field_kind_name((pnyx_field_kind)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_found),
		cmocka_unit_test(fields_as_documented),
		cmocka_unit_test(unknown_type),
		cmocka_unit_test(kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
