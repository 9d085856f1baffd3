/*
 * pnyx_revision_diff: every kind of change, the order of the entries
 * (removed paragraphs after their predecessor), both directions, every
 * malformed input, and a fault loop over its allocations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/fault.h"
#include "pnyx/revdiff.h"

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);
	if (v == NULL)
		fail_msg("bad test JSON: %s", err.text);
	return v;
}

/* Diffs two revisions given as JSON text and compares with want. */
static void expect_diff(const char *from, const char *to, const char *want)
{
	json_t *a = parse(from), *b = parse(to), *w = parse(want), *got = NULL;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_revision_diff(a, b, &got, &diag), PNYX_OK);
	if (!json_equal(got, w)) {
		char *s = json_dumps(got, JSON_COMPACT);
		fail_msg("got %s", s);
	}
	json_decref(a);
	json_decref(b);
	json_decref(w);
	json_decref(got);
}

static void setup_lib(void)
{
	assert_int_equal(pnyx_init(), PNYX_OK);
}

static void same_revision_is_unchanged(void **state)
{
	(void)state;
	setup_lib();
	const char *r = "{\"number\":1,\"paragraphs\":["
			"{\"id\":\"p1\",\"text\":{\"en\":\"One\"},\"norm\":false},"
			"{\"id\":\"p2\",\"text\":{\"en\":\"Two\",\"fr\":\"Deux\"},\"norm\":true}]}";
	expect_diff(r, r,
		    "[{\"paragraph\":\"p1\",\"change\":\"unchanged\",\"from\":{\"en\":\"One\"},"
		    "\"to\":{\"en\":\"One\"},\"from_norm\":false,\"to_norm\":false},"
		    "{\"paragraph\":\"p2\",\"change\":\"unchanged\",\"from\":{\"en\":\"Two\","
		    "\"fr\":\"Deux\"},\"to\":{\"en\":\"Two\",\"fr\":\"Deux\"},"
		    "\"from_norm\":true,\"to_norm\":true}]");
}

static void every_kind_of_change(void **state)
{
	(void)state;
	setup_lib();
	/* p1 unchanged, p2 text changed in one language, p3 removed, p4 only
	 * its norm mark changed, p5 added ("norm" absent means false) */
	const char *a = "{\"paragraphs\":["
			"{\"id\":\"p1\",\"text\":{\"en\":\"A\"}},"
			"{\"id\":\"p2\",\"text\":{\"en\":\"B\",\"fr\":\"b\"}},"
			"{\"id\":\"p3\",\"text\":{\"en\":\"C\"}},"
			"{\"id\":\"p4\",\"text\":{\"en\":\"D\"},\"norm\":false}]}";
	const char *b = "{\"paragraphs\":["
			"{\"id\":\"p1\",\"text\":{\"en\":\"A\"},\"norm\":false},"
			"{\"id\":\"p2\",\"text\":{\"en\":\"B\",\"fr\":\"bb\"}},"
			"{\"id\":\"p4\",\"text\":{\"en\":\"D\"},\"norm\":true},"
			"{\"id\":\"p5\",\"text\":{\"en\":\"E\"}}]}";
	expect_diff(a, b,
		    "[{\"paragraph\":\"p1\",\"change\":\"unchanged\",\"from\":{\"en\":\"A\"},"
		    "\"to\":{\"en\":\"A\"},\"from_norm\":false,\"to_norm\":false},"
		    "{\"paragraph\":\"p2\",\"change\":\"changed\",\"from\":{\"en\":\"B\",\"fr\":\"b\"},"
		    "\"to\":{\"en\":\"B\",\"fr\":\"bb\"},\"from_norm\":false,\"to_norm\":false},"
		    "{\"paragraph\":\"p3\",\"change\":\"removed\",\"from\":{\"en\":\"C\"},"
		    "\"to\":null,\"from_norm\":false,\"to_norm\":null},"
		    "{\"paragraph\":\"p4\",\"change\":\"changed\",\"from\":{\"en\":\"D\"},"
		    "\"to\":{\"en\":\"D\"},\"from_norm\":false,\"to_norm\":true},"
		    "{\"paragraph\":\"p5\",\"change\":\"added\",\"from\":null,"
		    "\"to\":{\"en\":\"E\"},\"from_norm\":null,\"to_norm\":false}]");
	/* the other way round: p5 removed, p3 added */
	expect_diff(b, a,
		    "[{\"paragraph\":\"p1\",\"change\":\"unchanged\",\"from\":{\"en\":\"A\"},"
		    "\"to\":{\"en\":\"A\"},\"from_norm\":false,\"to_norm\":false},"
		    "{\"paragraph\":\"p2\",\"change\":\"changed\",\"from\":{\"en\":\"B\",\"fr\":\"bb\"},"
		    "\"to\":{\"en\":\"B\",\"fr\":\"b\"},\"from_norm\":false,\"to_norm\":false},"
		    "{\"paragraph\":\"p3\",\"change\":\"added\",\"from\":null,"
		    "\"to\":{\"en\":\"C\"},\"from_norm\":null,\"to_norm\":false},"
		    "{\"paragraph\":\"p4\",\"change\":\"changed\",\"from\":{\"en\":\"D\"},"
		    "\"to\":{\"en\":\"D\"},\"from_norm\":true,\"to_norm\":false},"
		    "{\"paragraph\":\"p5\",\"change\":\"removed\",\"from\":{\"en\":\"E\"},"
		    "\"to\":null,\"from_norm\":false,\"to_norm\":null}]");
}

/* Compact form of an entry list for order tests: "id:change ...". */
static void expect_order(const char *from, const char *to, const char *want)
{
	json_t *a = parse(from), *b = parse(to), *got = NULL;
	assert_int_equal(pnyx_revision_diff(a, b, &got, NULL), PNYX_OK);
	char line[512] = "";
	size_t i, used = 0;
	json_t *e;
	json_array_foreach(got, i, e) {
		const char *id = json_string_value(json_object_get(e, "paragraph"));
		const char *ch = json_string_value(json_object_get(e, "change"));
		int n = snprintf(line + used, sizeof line - used, "%s%s:%c",
				 i > 0 ? " " : "", id, ch[0]);
		assert_true(n > 0 && (size_t)n < sizeof line - used);
		used += (size_t)n;
	}
	assert_string_equal(line, want);
	json_decref(a);
	json_decref(b);
	json_decref(got);
}

#define P(id) "{\"id\":\"" id "\",\"text\":{\"en\":\"" id "\"}}"

static void order_of_entries(void **state)
{
	(void)state;
	setup_lib();
	/* removed paragraphs at the start come first; a removed run follows
	 * its kept predecessor even when the kept paragraphs moved */
	expect_order("{\"paragraphs\":[" P("a") "," P("b") "," P("c") "," P("d") ","
		     P("e") "," P("f") "]}",
		     "{\"paragraphs\":[" P("x") "," P("f") "," P("c") "," P("y") "]}",
		     "a:r b:r x:a f:u c:u d:r e:r y:a");
	/* everything replaced */
	expect_order("{\"paragraphs\":[" P("a") "," P("b") "]}",
		     "{\"paragraphs\":[" P("c") "]}", "a:r b:r c:a");
	/* an empty revision on either side */
	expect_order("{\"paragraphs\":[]}", "{\"paragraphs\":[" P("a") "]}", "a:a");
	expect_order("{\"paragraphs\":[" P("a") "]}", "{\"paragraphs\":[]}", "a:r");
	expect_order("{\"paragraphs\":[]}", "{\"paragraphs\":[]}", "");
	/* a removed run at the end */
	expect_order("{\"paragraphs\":[" P("a") "," P("b") "," P("c") "]}",
		     "{\"paragraphs\":[" P("a") "]}", "a:u b:r c:r");
	/* other keys of a revision or paragraph are ignored */
	expect_order("{\"number\":3,\"issued_by\":\"chair.1\",\"paragraphs\":["
		     "{\"id\":\"a\",\"text\":{},\"x\":1}]}",
		     "{\"paragraphs\":[{\"id\":\"a\",\"text\":{}}]}", "a:u");
}

static void malformed_revisions(void **state)
{
	(void)state;
	setup_lib();
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"paragraphs\":{}}",
		"{\"paragraphs\":[1]}",
		"{\"paragraphs\":[{\"text\":{\"en\":\"x\"}}]}",
		"{\"paragraphs\":[{\"id\":\"\",\"text\":{\"en\":\"x\"}}]}",
		"{\"paragraphs\":[{\"id\":5,\"text\":{\"en\":\"x\"}}]}",
		"{\"paragraphs\":[{\"id\":\"a\\u0000b\",\"text\":{\"en\":\"x\"}}]}",
		"{\"paragraphs\":[{\"id\":\"a\"}]}",
		"{\"paragraphs\":[{\"id\":\"a\",\"text\":\"x\"}]}",
		"{\"paragraphs\":[{\"id\":\"a\",\"text\":{},\"norm\":1}]}",
		"{\"paragraphs\":[{\"id\":\"a\",\"text\":{}},{\"id\":\"a\",\"text\":{}}]}",
	};
	json_t *good = parse("{\"paragraphs\":[" P("a") "]}");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_error_t err;
		json_t *x = json_loads(bad[i], JSON_ALLOW_NUL, &err);
		assert_non_null(x);
		json_t dummy;
		json_t *out = &dummy; /* must stay untouched */
		pnyx_diag diag = {{0}};
		if (pnyx_revision_diff(x, good, &out, &diag) != PNYX_ERR_MALFORMED ||
		    pnyx_revision_diff(good, x, &out, NULL) != PNYX_ERR_MALFORMED)
			fail_msg("input %zu accepted", i);
		assert_ptr_equal(out, &dummy);
		assert_true(diag.msg[0] != '\0');
		json_decref(x);
	}
	json_decref(good);
}

static void too_many_paragraphs(void **state)
{
	(void)state;
	setup_lib();
	json_t *paras = json_array();
	for (size_t i = 0; i <= PNYX_REVDIFF_MAX_PARAGRAPHS; i++)
		assert_int_equal(json_array_append_new(paras, json_null()), 0);
	json_t *big = json_pack("{s:o}", "paragraphs", paras);
	json_t *good = parse("{\"paragraphs\":[]}");
	json_t *out = NULL;
	assert_int_equal(pnyx_revision_diff(big, good, &out, NULL), PNYX_ERR_TOO_LARGE);
	assert_int_equal(pnyx_revision_diff(good, big, &out, NULL), PNYX_ERR_TOO_LARGE);
	assert_null(out);
	json_decref(big);
	json_decref(good);
}

/* The result owns its values: changing the inputs afterwards leaves it. */
static void result_shares_nothing(void **state)
{
	(void)state;
	setup_lib();
	json_t *a = parse("{\"paragraphs\":[" P("a") "]}");
	json_t *out = NULL;
	assert_int_equal(pnyx_revision_diff(a, a, &out, NULL), PNYX_OK);
	json_t *text = json_object_get(json_array_get(json_object_get(a, "paragraphs"), 0),
				       "text");
	assert_int_equal(json_object_set_new(text, "en", json_string("changed")), 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_array_get(out, 0), "from"), "en")),
			    "a");
	json_decref(a);
	json_decref(out);
}

/* Fails each allocation in turn: NOMEM, no output, nothing leaked (ASan). */
static void fault_loop(void **state)
{
	(void)state;
	setup_lib();
	json_t *a = parse("{\"paragraphs\":[" P("a") "," P("b") "," P("c") "]}");
	json_t *b = parse("{\"paragraphs\":[" P("c") "," P("d") "]}");
	json_t *out = NULL;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_revision_diff(a, b, &out, NULL), PNYX_OK);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	json_decref(out);
	assert_true(points > 10);
	for (uint64_t k = 1; k <= points; k++) {
		out = NULL;
		pnyx_fault_arm(k);
		pnyx_err err = pnyx_revision_diff(a, b, &out, NULL);
		pnyx_fault_disarm();
		if (err != PNYX_ERR_NOMEM)
			fail_msg("failing allocation %llu gave %s", (unsigned long long)k,
				 pnyx_err_name(err));
		assert_null(out);
	}
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_revision_is_unchanged),
		cmocka_unit_test(every_kind_of_change),
		cmocka_unit_test(order_of_entries),
		cmocka_unit_test(malformed_revisions),
		cmocka_unit_test(too_many_paragraphs),
		cmocka_unit_test(result_shares_nothing),
		cmocka_unit_test(fault_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
