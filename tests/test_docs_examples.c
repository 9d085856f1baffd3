/*
 * The examples in docs/actions/ are real: every JSON line of an action
 * there must parse as a canonical action, and every action type the engine
 * knows must have at least one example.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pnyx/action.h"
#include "pnyx/coop.h"
#include "pnyx/engine.h"
#include "support.h"

static const char *const pages[] = {"forum", "documents", "decisions",
				    "stakeholders", "commitments", "sessions",
				    "board", "cooperation"};

static void examples_parse(void **state)
{
	(void)state;
	assert_int_equal(pnyx_init(), PNYX_OK);
	char seen[4096] = " ";
	size_t examples = 0;
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "docs/actions/%s.md", pages[i]);
		FILE *f = fopen(test_source_path(rel), "r");
		assert_non_null(f);
		static char line[65536];
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "{\"actor\":", 9) != 0)
				continue;
			char text[65600];
			int n = snprintf(text, sizeof text, "%s\n%s", PNYX_ACTION_HEADER, line);
			pnyx_action a = {0};
			pnyx_diag d = {{0}};
			if (pnyx_action_parse((const uint8_t *)text, (size_t)n, &a, &d) != PNYX_OK)
				fail_msg("%s: an example is not a canonical action: %s", rel, d.msg);
			char key[80];
			snprintf(key, sizeof key, " %s ", a.type);
			if (strstr(seen, key) == NULL)
				strncat(seen, key + 1, sizeof seen - strlen(seen) - 1);
			pnyx_action_clear(&a);
			examples++;
		}
		fclose(f);
	}
	print_message("%zu examples, types: %s\n", examples, seen);
	for (size_t i = 0; i < pnyx_engine_type_count(); i++) {
		char want[80];
		snprintf(want, sizeof want, " %s ", pnyx_engine_type_name(i));
		if (strstr(seen, want) == NULL)
			fail_msg("the action type %s has no example in docs/actions/", want);
	}
	for (size_t i = 0; i < pnyx_coop_type_count(); i++) {
		char want[80];
		snprintf(want, sizeof want, " %s ", pnyx_coop_type_name(i));
		if (strstr(seen, want) == NULL)
			fail_msg("the cooperation action type %s has no example in "
				 "docs/actions/", want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(examples_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
