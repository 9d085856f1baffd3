/*
 * The documents module: document.create, revision.issue, amendment.table,
 * amendment.cosponsor, amendment.withdraw, input.submit and comment.add,
 * each allowed action and each refusal with its exact verdict; the
 * accessors engine_revision and engine_revision_has_paragraph; the
 * difference between two revisions taken from the state. Every refusal is
 * checked by the harness to leave the state digest unchanged, and every
 * test ends by replaying its log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "../src/lib/engine_internal.h"
#include "engine_support.h"
#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"
#include "pnyx/revdiff.h"

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI"};

#define HOUR_MS (UINT64_C(3600) * 1000)

/* A JSON value from text (new reference, for the "o" pack format). */
static json_t *J(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);
	if (v == NULL)
		fail_msg("bad test JSON: %s", err.text);
	return v;
}

static void setup_forum(eng *e)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 5, NULL);
	e->now += 1000;
}

#define D1_PARAGRAPHS                                                          \
	"[{\"id\":\"p1\",\"text\":{\"en\":\"States meet.\",\"fr\":\"Les Etats se reunissent.\"}},"  \
	"{\"id\":\"p2\",\"text\":{\"en\":\"States shall not harm.\"},\"norm\":true},"           \
	"{\"id\":\"p3\",\"text\":{\"en\":\"Capacity matters.\"}}]"

/* d1 by the chair: p1 (en, fr), p2 (a norm), p3. */
static void create_d1(eng *e)
{
	EXPECT_OK(e, "chair.1", "document.create", "{s:s,s:{s:s},s:s,s:o}", "id", "d1",
		  "title", "en", "Draft report", "symbol", "A/AC.292/2025/CRP.1",
		  "paragraphs", J(D1_PARAGRAPHS));
	e->now += 1000;
}

/* document.create by actor with the given paragraphs (JSON text). */
static pnyx_rule create(eng *e, const char *actor, const char *id,
			const char *paragraphs)
{
	return eng_act(e, actor, "document.create", "{s:s,s:{s:s},s:o}", "id", id,
		       "title", "en", "A draft", "paragraphs", J(paragraphs));
}

/* revision.issue by the chair (or actor) with paragraphs and taken ids. */
static pnyx_rule issue(eng *e, const char *actor, const char *doc,
		       const char *paragraphs, const char *taken)
{
	return eng_act(e, actor, "revision.issue", "{s:s,s:o,s:o}", "document", doc,
		       "paragraphs", J(paragraphs), "amendments_taken", J(taken));
}

static const json_t *para(eng *e, const char *doc, size_t rev, size_t i)
{
	const json_t *revs = eng_get(e, "documents", doc, "revisions", NULL);
	return json_array_get(json_object_get(json_array_get(revs, rev - 1),
					      "paragraphs"), i);
}

static const char *para_text(eng *e, const char *doc, size_t rev, size_t i,
			     const char *lang)
{
	return json_string_value(json_object_get(json_object_get(para(e, doc, rev, i),
								 "text"), lang));
}

static bool para_norm(eng *e, const char *doc, size_t rev, size_t i)
{
	return json_is_true(json_object_get(para(e, doc, rev, i), "norm"));
}

/* ---- document.create ---- */

static void document_create_allowed(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	EXPECT_OK(&e, "secretariat", "document.create", "{s:s,s:{s:s,s:s},s:o}", "id",
		  "d2", "title", "en", "Second draft", "fr", "Second projet",
		  "paragraphs", J("[{\"id\":\"a\",\"text\":{\"zh\":\"x\"}}]"));
	const json_t *d1 = eng_get(&e, "documents", "d1", NULL);
	assert_string_equal(eng_get_str(&e, "documents", "d1", "symbol", NULL),
			    "A/AC.292/2025/CRP.1");
	assert_string_equal(eng_get_str(&e, "documents", "d1", "created_by", NULL), "chair.1");
	assert_string_equal(eng_get_str(&e, "documents", "d1", "title", "en", NULL),
			    "Draft report");
	assert_int_equal(json_array_size(json_object_get(d1, "revisions")), 1);
	assert_int_equal(json_object_size(json_object_get(d1, "amendments")), 0);
	assert_int_equal(json_array_size(json_object_get(d1, "inputs")), 0);
	assert_int_equal(json_array_size(json_object_get(d1, "comments")), 0);
	const json_t *rev1 = json_array_get(json_object_get(d1, "revisions"), 0);
	assert_int_equal(json_integer_value(json_object_get(rev1, "number")), 1);
	assert_string_equal(json_string_value(json_object_get(rev1, "issued_by")),
			    "chair.1");
	assert_int_equal(json_integer_value(json_object_get(rev1, "leaf")), 1);
	assert_int_equal(json_array_size(json_object_get(rev1, "amendments_taken")), 0);
	assert_string_equal(para_text(&e, "d1", 1, 0, "fr"), "Les Etats se reunissent.");
	assert_false(para_norm(&e, "d1", 1, 0));
	assert_true(para_norm(&e, "d1", 1, 1));
	assert_true(json_is_null(eng_get(&e, "documents", "d2", "symbol", NULL)));
	assert_string_equal(eng_get_str(&e, "documents", "d2", "created_by", NULL),
			    "secretariat");
	eng_check_replay(&e);
	eng_free(&e);
}

static void document_create_refused(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	const char *one = "[{\"id\":\"p1\",\"text\":{\"en\":\"x\"}}]";
	/* who */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "document.create",
		    "{s:s,s:{s:s},s:o}", "id", "d9", "title", "en", "T", "paragraphs", J(one));
	/* ids and symbols */
	assert_int_equal(create(&e, "chair.1", "d1", one), PNYX_RULE_EXISTS);
	assert_int_equal(create(&e, "chair.1", "d 9", one), PNYX_RULE_INVALID_FIELD);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "chair.1", "document.create",
		    "{s:s,s:{s:s},s:s,s:o}", "id", "d9", "title", "en", "T", "symbol",
		    "A/AC.292/2025/CRP.1", "paragraphs", J(one));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "document.create",
		    "{s:s,s:{s:s},s:s,s:o}", "id", "d9", "title", "en", "T", "symbol",
		    "A B", "paragraphs", J(one));
	/* titles */
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "document.create",
		    "{s:s,s:{s:s},s:o}", "id", "d9", "title", "de", "T", "paragraphs", J(one));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "document.create",
		    "{s:s,s:{},s:o}", "id", "d9", "title", "paragraphs", J(one));
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "document.create",
		    "{s:s,s:o}", "id", "d9", "paragraphs", J(one));
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "document.create",
		    "{s:s,s:s,s:o}", "id", "d9", "title", "T", "paragraphs", J(one));
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "document.create",
		    "{s:s,s:{s:s},s:o,s:b}", "id", "d9", "title", "en", "T",
		    "paragraphs", J(one), "final", 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void document_paragraphs_refused(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	static const struct {
		const char *paragraphs;
		pnyx_rule want;
	} bad[] = {
		{"[]", PNYX_RULE_INVALID_FIELD},
		{"[\"p1\"]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p 1\",\"text\":{\"en\":\"x\"}}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"text\":{\"en\":\"x\"}}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\"}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":{}}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":{\"en\":\"\"}}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":{\"de\":\"x\"}}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":\"x\"}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":{\"en\":\"x\"},\"norm\":1}]", PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":{\"en\":\"x\"}},{\"id\":\"p1\",\"text\":{\"en\":\"y\"}}]",
		 PNYX_RULE_INVALID_FIELD},
		{"[{\"id\":\"p1\",\"text\":{\"en\":\"x\"},\"style\":\"bold\"}]",
		 PNYX_RULE_MALFORMED_ACTION},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pnyx_rule r = create(&e, "chair.1", "d9", bad[i].paragraphs);
		if (r != bad[i].want)
			fail_msg("paragraphs %zu: expected %s, got %s: %s", i,
				 pnyx_rule_name(bad[i].want), pnyx_rule_name(r), e.last.msg);
	}
	/* a paragraph text one byte over the limit */
	char *big = test_malloc(8002);
	memset(big, 'a', 8001);
	big[8001] = '\0';
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "document.create",
		    "{s:s,s:{s:s},s:[{s:s,s:{s:s}}]}", "id", "d9", "title", "en", "T",
		    "paragraphs", "id", "p1", "text", "en", big);
	big[8000] = '\0';
	EXPECT_OK(&e, "chair.1", "document.create", "{s:s,s:{s:s},s:[{s:s,s:{s:s}}]}",
		  "id", "d9", "title", "en", "T", "paragraphs", "id", "p1", "text", "en", big);
	test_free(big);
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- revision.issue ---- */

static void revisions_are_numbered_and_carry_text(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	/* p1 kept as is, p2 new text (keeps its norm mark), p3 removed, p4 new */
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p1\"},{\"id\":\"p2\",\"text\":{\"en\":\"States "
			       "shall never harm.\"}},{\"id\":\"p4\",\"text\":{\"en\":\"Four.\"}}]",
			       "[]"), PNYX_RULE_OK);
	const json_t *revs = eng_get(&e, "documents", "d1", "revisions", NULL);
	assert_int_equal(json_array_size(revs), 2);
	const json_t *rev2 = json_array_get(revs, 1);
	assert_int_equal(json_integer_value(json_object_get(rev2, "number")), 2);
	assert_string_equal(json_string_value(json_object_get(rev2, "issued_by")), "chair.1");
	assert_int_equal(json_array_size(json_object_get(rev2, "paragraphs")), 3);
	assert_string_equal(para_text(&e, "d1", 2, 0, "fr"), "Les Etats se reunissent.");
	assert_string_equal(para_text(&e, "d1", 2, 1, "en"), "States shall never harm.");
	assert_true(para_norm(&e, "d1", 2, 1));
	assert_false(para_norm(&e, "d1", 2, 2));
	/* Rev.1 is untouched */
	assert_string_equal(para_text(&e, "d1", 1, 1, "en"), "States shall not harm.");
	/* Rev.3: p2 loses its norm mark, p3 comes back at the end */
	e.now += 1000;
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p1\"},{\"id\":\"p2\",\"norm\":false},{\"id\":\"p4\"},"
			       "{\"id\":\"p3\",\"text\":{\"en\":\"Capacity matters.\"}}]",
			       "[]"), PNYX_RULE_OK);
	assert_false(para_norm(&e, "d1", 3, 1));
	assert_string_equal(para_text(&e, "d1", 3, 1, "en"), "States shall never harm.");
	/* Rev.4: only the order changes */
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p4\"},{\"id\":\"p1\"},{\"id\":\"p2\"},{\"id\":\"p3\"}]",
			       "[]"), PNYX_RULE_OK);
	assert_string_equal(json_string_value(json_object_get(para(&e, "d1", 4, 0), "id")),
			    "p4");
	/* without amendments_taken */
	EXPECT_OK(&e, "chair.1", "revision.issue", "{s:s,s:o}", "document", "d1",
		  "paragraphs", J("[{\"id\":\"p4\"}]"));
	assert_int_equal(json_array_size(eng_get(&e, "documents", "d1", "revisions", NULL)), 5);
	eng_check_replay(&e);
	eng_free(&e);
}

static void revision_issue_refused(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	const char *next = "[{\"id\":\"p1\"}]";
	assert_int_equal(issue(&e, "secretariat", "d1", next, "[]"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(issue(&e, "FRA", "d1", next, "[]"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(issue(&e, "chair.1", "d9", next, "[]"), PNYX_RULE_UNKNOWN_OBJECT);
	/* the same revision again, with or without its texts */
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p1\"},{\"id\":\"p2\"},{\"id\":\"p3\"}]", "[]"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(issue(&e, "chair.1", "d1", D1_PARAGRAPHS, "[]"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p1\"},{\"id\":\"p2\",\"norm\":true},{\"id\":\"p3\"}]",
			       "[]"), PNYX_RULE_INVALID_FIELD);
	/* a new paragraph needs its text; ids once each; at least one */
	assert_int_equal(issue(&e, "chair.1", "d1", "[{\"id\":\"p1\"},{\"id\":\"p9\"}]", "[]"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(issue(&e, "chair.1", "d1", "[{\"id\":\"p1\"},{\"id\":\"p1\"}]", "[]"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(issue(&e, "chair.1", "d1", "[]", "[]"), PNYX_RULE_INVALID_FIELD);
	/* amendments_taken must name open amendments of this document */
	assert_int_equal(issue(&e, "chair.1", "d1", next, "[\"zz\"]"),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(issue(&e, "chair.1", "d1", next, "[5]"), PNYX_RULE_INVALID_FIELD);
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "revision.issue",
		    "{s:s,s:o,s:s}", "document", "d1", "paragraphs", J(next),
		    "amendments_taken", "a1");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "revision.issue",
		    "{s:s,s:o,s:i}", "document", "d1", "paragraphs", J(next), "number", 2);
	assert_int_equal(json_array_size(eng_get(&e, "documents", "d1", "revisions", NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- amendments ---- */

static pnyx_rule table(eng *e, const char *member, const char *id, json_int_t rev,
		       const char *paragraph, const char *op, const char *text)
{
	if (text == NULL)
		return eng_act(e, member, "amendment.table", "{s:s,s:s,s:I,s:s,s:s}",
			       "id", id, "document", "d1", "revision", rev, "paragraph",
			       paragraph, "op", op);
	return eng_act(e, member, "amendment.table", "{s:s,s:s,s:I,s:s,s:s,s:o}", "id",
		       id, "document", "d1", "revision", rev, "paragraph", paragraph,
		       "op", op, "text", J(text));
}

static pnyx_rule amend(eng *e, const char *member, const char *type, const char *id)
{
	return eng_act(e, member, type, "{s:s}", "amendment", id);
}

static const char *amendment_str(eng *e, const char *doc, const char *id,
				 const char *key)
{
	return eng_get_str(e, "documents", doc, "amendments", id, key, NULL);
}

static void amendment_table_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	assert_int_equal(table(&e, "FRA", "a1", 1, "p1", "replace",
			       "{\"en\":\"States meet often.\"}"), PNYX_RULE_OK);
	assert_int_equal(table(&e, "KEN", "a2", 1, "p2", "insert_after",
			       "{\"en\":\"States help.\",\"fr\":\"Les Etats aident.\"}"),
			 PNYX_RULE_OK);
	assert_int_equal(table(&e, "BRA", "a3", 1, "p3", "delete", NULL), PNYX_RULE_OK);
	assert_string_equal(amendment_str(&e, "d1", "a1", "sponsor"), "FRA");
	assert_string_equal(amendment_str(&e, "d1", "a1", "status"), "open");
	assert_string_equal(amendment_str(&e, "d1", "a2", "op"), "insert_after");
	assert_true(json_is_null(eng_get(&e, "documents", "d1", "amendments", "a3", "text",
					 NULL)));
	assert_int_equal(json_integer_value(eng_get(&e, "documents", "d1", "amendments",
						    "a1", "revision", NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void amendment_table_refused(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	assert_int_equal(create(&e, "chair.1", "d2", "[{\"id\":\"q1\",\"text\":{\"en\":\"x\"}}]"),
			 PNYX_RULE_OK);
	assert_int_equal(table(&e, "FRA", "a1", 1, "p1", "delete", NULL), PNYX_RULE_OK);
	assert_int_equal(table(&e, "chair.1", "a9", 1, "p1", "delete", NULL),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(table(&e, "KEN", "a1", 1, "p1", "delete", NULL), PNYX_RULE_EXISTS);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "KEN", "amendment.table", "{s:s,s:s,s:i,s:s,s:s}",
		    "id", "a1", "document", "d2", "revision", 1, "paragraph", "q1", "op",
		    "delete");
	assert_int_equal(table(&e, "KEN", "a 9", 1, "p1", "delete", NULL),
			 PNYX_RULE_INVALID_FIELD);
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "KEN", "amendment.table",
		    "{s:s,s:s,s:i,s:s,s:s}", "id", "a9", "document", "d9", "revision", 1,
		    "paragraph", "p1", "op", "delete");
	assert_int_equal(table(&e, "KEN", "a9", 2, "p1", "delete", NULL),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(table(&e, "KEN", "a9", 0, "p1", "delete", NULL),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p9", "delete", NULL),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "move", "{\"en\":\"x\"}"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "replace", NULL),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "insert_after", NULL),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "delete", "{\"en\":\"x\"}"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "replace",
			       "{\"en\":\"States meet.\",\"fr\":\"Les Etats se reunissent.\"}"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "replace", "{\"de\":\"x\"}"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a9", 1, "p1", "replace", "{}"),
			 PNYX_RULE_INVALID_FIELD);
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "KEN", "amendment.table",
		    "{s:s,s:s,s:s,s:s,s:s}", "id", "a9", "document", "d1", "revision",
		    "1", "paragraph", "p1", "op", "delete");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "KEN", "amendment.table",
		    "{s:s,s:s,s:i,s:s,s:s,s:[s]}", "id", "a9", "document", "d1",
		    "revision", 1, "paragraph", "p1", "op", "delete", "cosponsors", "BRA");
	/* the same paragraph may be amended again, by anyone */
	assert_int_equal(table(&e, "KEN", "a4", 1, "p1", "replace", "{\"en\":\"Other.\"}"),
			 PNYX_RULE_OK);
	eng_check_replay(&e);
	eng_free(&e);
}

static void cosponsor_and_withdraw(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	assert_int_equal(table(&e, "FRA", "a1", 1, "p1", "delete", NULL), PNYX_RULE_OK);
	assert_int_equal(table(&e, "CHN", "a2", 1, "p2", "delete", NULL), PNYX_RULE_OK);
	e.now += 1000;
	assert_int_equal(amend(&e, "KEN", "amendment.cosponsor", "a1"), PNYX_RULE_OK);
	assert_int_equal(amend(&e, "BRA", "amendment.cosponsor", "a1"), PNYX_RULE_OK);
	assert_int_equal(amend(&e, "FRA", "amendment.cosponsor", "a1"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(amend(&e, "KEN", "amendment.cosponsor", "a1"), PNYX_RULE_CONFLICT);
	assert_int_equal(amend(&e, "KEN", "amendment.cosponsor", "zz"),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(amend(&e, "chair.1", "amendment.cosponsor", "a1"),
			 PNYX_RULE_NOT_PERMITTED);
	const json_t *cos = eng_get(&e, "documents", "d1", "amendments", "a1", "cosponsors",
				    NULL);
	assert_int_equal(json_array_size(cos), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cos, 0),
							      "member")), "KEN");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cos, 1),
							      "member")), "BRA");
	/* withdrawal: the sponsor only, while open; a co-sponsor may not */
	assert_int_equal(amend(&e, "KEN", "amendment.withdraw", "a1"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(amend(&e, "FJI", "amendment.withdraw", "a2"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(amend(&e, "CHN", "amendment.withdraw", "zz"), PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(amend(&e, "CHN", "amendment.withdraw", "a2"), PNYX_RULE_OK);
	assert_string_equal(amendment_str(&e, "d1", "a2", "status"), "withdrawn");
	assert_int_equal(json_integer_value(eng_get(&e, "documents", "d1", "amendments", "a2",
						    "closed_ms", NULL)), (json_int_t)e.now);
	assert_int_equal(amend(&e, "CHN", "amendment.withdraw", "a2"), PNYX_RULE_CONFLICT);
	assert_int_equal(amend(&e, "FRA", "amendment.cosponsor", "a2"), PNYX_RULE_CONFLICT);
	/* the id of a withdrawn amendment stays taken */
	assert_int_equal(table(&e, "CHN", "a2", 1, "p2", "delete", NULL), PNYX_RULE_EXISTS);
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "CHN", "amendment.withdraw", "{}");
	eng_check_replay(&e);
	eng_free(&e);
}

static void revision_closes_amendments(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	assert_int_equal(create(&e, "chair.1", "d2", "[{\"id\":\"q1\",\"text\":{\"en\":\"x\"}}]"),
			 PNYX_RULE_OK);
	assert_int_equal(table(&e, "FRA", "a1", 1, "p1", "replace",
			       "{\"en\":\"States meet often.\"}"), PNYX_RULE_OK);
	assert_int_equal(table(&e, "KEN", "a2", 1, "p2", "insert_after",
			       "{\"en\":\"States help.\"}"), PNYX_RULE_OK);
	assert_int_equal(table(&e, "BRA", "a3", 1, "p3", "delete", NULL), PNYX_RULE_OK);
	assert_int_equal(table(&e, "CHN", "a4", 1, "p3", "delete", NULL), PNYX_RULE_OK);
	EXPECT_OK(&e, "FRA", "amendment.table", "{s:s,s:s,s:i,s:s,s:s}", "id", "b1",
		  "document", "d2", "revision", 1, "paragraph", "q1", "op", "delete");
	assert_int_equal(amend(&e, "CHN", "amendment.withdraw", "a4"), PNYX_RULE_OK);
	e.now += 1000;
	const char *rev2 = "[{\"id\":\"p1\",\"text\":{\"en\":\"States meet often.\"}},"
			   "{\"id\":\"p2\"}]";
	assert_int_equal(issue(&e, "chair.1", "d1", rev2, "[\"a4\"]"), PNYX_RULE_CONFLICT);
	assert_int_equal(issue(&e, "chair.1", "d1", rev2, "[\"b1\"]"),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(issue(&e, "chair.1", "d1", rev2, "[\"a1\",\"a1\"]"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(issue(&e, "chair.1", "d1", rev2, "[\"a1\",\"a3\"]"), PNYX_RULE_OK);
	assert_string_equal(amendment_str(&e, "d1", "a1", "status"), "taken");
	assert_string_equal(amendment_str(&e, "d1", "a3", "status"), "taken");
	assert_string_equal(amendment_str(&e, "d1", "a2", "status"), "not-taken");
	assert_string_equal(amendment_str(&e, "d1", "a4", "status"), "withdrawn");
	assert_string_equal(amendment_str(&e, "d2", "b1", "status"), "open");
	assert_int_equal(json_integer_value(eng_get(&e, "documents", "d1", "amendments", "a2",
						    "closed_by_revision", NULL)), 2);
	assert_true(json_is_null(eng_get(&e, "documents", "d1", "amendments", "a4",
					 "closed_by_revision", NULL)));
	json_t *want = J("[\"a1\",\"a3\"]");
	const json_t *r2 = json_array_get(eng_get(&e, "documents", "d1", "revisions", NULL), 1);
	assert_true(json_equal(json_object_get(r2, "amendments_taken"), want));
	json_decref(want);
	/* closed amendments take no more action */
	assert_int_equal(amend(&e, "FRA", "amendment.withdraw", "a1"), PNYX_RULE_CONFLICT);
	assert_int_equal(amend(&e, "FJI", "amendment.cosponsor", "a2"), PNYX_RULE_CONFLICT);
	/* amendments now go to Rev.2 */
	assert_int_equal(table(&e, "KEN", "a5", 1, "p1", "delete", NULL), PNYX_RULE_CONFLICT);
	assert_int_equal(table(&e, "KEN", "a5", 2, "p3", "delete", NULL),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(table(&e, "KEN", "a5", 2, "p1", "replace",
			       "{\"en\":\"States meet often.\"}"), PNYX_RULE_INVALID_FIELD);
	assert_int_equal(table(&e, "KEN", "a5", 2, "p2", "insert_after",
			       "{\"en\":\"States help.\"}"), PNYX_RULE_OK);
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- written input and comments ---- */

static void member_input(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	EXPECT_OK(&e, "FRA", "input.submit", "{s:s,s:{s:s}}", "document", "d1", "text",
		  "fr", "Nous proposons un calendrier.");
	EXPECT_OK(&e, "KEN", "input.submit", "{s:s,s:{s:s},s:s}", "document", "d1",
		  "text", "en", "On p2: capacity first.", "paragraph", "p2");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "KEN", "input.submit",
		    "{s:s,s:{s:s},s:s}", "document", "d1", "text", "en", "x", "paragraph", "p9");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "KEN", "input.submit", "{s:s,s:{s:s}}",
		    "document", "d9", "text", "en", "x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "KEN", "input.submit", "{s:s,s:{}}",
		    "document", "d1", "text");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "KEN", "input.submit", "{s:s,s:s}",
		    "document", "d1", "text", "x");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "input.submit", "{s:s,s:{s:s}}",
		    "document", "d1", "text", "en", "x");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "secretariat", "input.submit",
		    "{s:s,s:{s:s}}", "document", "d1", "text", "en", "x");
	/* members table amendments; comment.add is for stakeholders */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "comment.add",
		    "{s:s,s:i,s:s,s:{s:s}}", "document", "d1", "revision", 1, "paragraph",
		    "p1", "text", "en", "x");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_ACTOR, "sh.nobody", "input.submit",
		    "{s:s,s:{s:s}}", "document", "d1", "text", "en", "x");
	const json_t *inputs = eng_get(&e, "documents", "d1", "inputs", NULL);
	assert_int_equal(json_array_size(inputs), 2);
	const json_t *in0 = json_array_get(inputs, 0), *in1 = json_array_get(inputs, 1);
	assert_string_equal(json_string_value(json_object_get(in0, "by")), "FRA");
	assert_string_equal(json_string_value(json_object_get(in0, "role")), "member");
	assert_true(json_is_null(json_object_get(in0, "paragraph")));
	assert_int_equal(json_integer_value(json_object_get(in0, "revision")), 1);
	assert_string_equal(json_string_value(json_object_get(in1, "paragraph")), "p2");
	eng_check_replay(&e);
	eng_free(&e);
}

/* Needs the stakeholders module (engine_stakeholder.c): an applicant not on
 * the secretariat's list is accredited when the objection window (336 h in
 * the harness's rules) ends with no objection standing. */
static void stakeholder_input_and_comments(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	EXPECT_OK(&e, "sh.ngo", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(&e, "sh.ngo"), "name", "Civil Society Network", "category", "ngo");
	/* not accredited while the window is open */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "input.submit", "{s:s,s:{s:s}}",
		    "document", "d1", "text", "en", "Our input.");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "comment.add",
		    "{s:s,s:i,s:s,s:{s:s}}", "document", "d1", "revision", 1, "paragraph",
		    "p2", "text", "en", "Too weak.");
	e.now += 336 * HOUR_MS + 1000;
	EXPECT_OK(&e, "sh.ngo", "input.submit", "{s:s,s:{s:s}}", "document", "d1", "text",
		  "en", "Our input.");
	EXPECT_OK(&e, "sh.ngo", "comment.add", "{s:s,s:i,s:s,s:{s:s}}", "document", "d1",
		  "revision", 1, "paragraph", "p2", "text", "en", "Too weak.");
	const json_t *in = json_array_get(eng_get(&e, "documents", "d1", "inputs", NULL), 0);
	assert_string_equal(json_string_value(json_object_get(in, "role")), "stakeholder");
	/* comments name an existing revision and paragraph */
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "sh.ngo", "comment.add",
		    "{s:s,s:i,s:s,s:{s:s}}", "document", "d1", "revision", 2, "paragraph",
		    "p2", "text", "en", "x");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "sh.ngo", "comment.add",
		    "{s:s,s:i,s:s,s:{s:s}}", "document", "d1", "revision", 1, "paragraph",
		    "p9", "text", "en", "x");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "sh.ngo", "comment.add",
		    "{s:s,s:i,s:s,s:{s:s}}", "document", "d9", "revision", 1, "paragraph",
		    "p1", "text", "en", "x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.ngo", "comment.add",
		    "{s:s,s:i,s:s,s:{s:s}}", "document", "d1", "revision", 1, "paragraph",
		    "p1", "text", "xx", "x");
	/* a stakeholder never amends, issues or creates */
	assert_int_equal(table(&e, "sh.ngo", "a1", 1, "p1", "delete", NULL),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(issue(&e, "sh.ngo", "d1", "[{\"id\":\"p1\"}]", "[]"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(create(&e, "sh.ngo", "d5", "[{\"id\":\"p1\",\"text\":{\"en\":\"x\"}}]"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(table(&e, "FRA", "a1", 1, "p1", "delete", NULL), PNYX_RULE_OK);
	assert_int_equal(amend(&e, "sh.ngo", "amendment.cosponsor", "a1"),
			 PNYX_RULE_NOT_PERMITTED);
	/* after Rev.2, comments on Rev.1 are still taken; input is on Rev.2 */
	assert_int_equal(issue(&e, "chair.1", "d1", "[{\"id\":\"p1\"}]", "[]"), PNYX_RULE_OK);
	EXPECT_OK(&e, "sh.ngo", "comment.add", "{s:s,s:i,s:s,s:{s:s}}", "document", "d1",
		  "revision", 1, "paragraph", "p3", "text", "en", "Why was p3 removed?");
	EXPECT_OK(&e, "sh.ngo", "input.submit", "{s:s,s:{s:s},s:s}", "document", "d1",
		  "text", "en", "More.", "paragraph", "p1");
	const json_t *comments = eng_get(&e, "documents", "d1", "comments", NULL);
	assert_int_equal(json_array_size(comments), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(comments, 1),
							      "paragraph")), "p3");
	assert_string_equal(json_string_value(json_object_get(json_array_get(comments, 0),
							      "by")), "sh.ngo");
	in = json_array_get(eng_get(&e, "documents", "d1", "inputs", NULL), 1);
	assert_int_equal(json_integer_value(json_object_get(in, "revision")), 2);
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- what the other modules read; the difference between revisions ---- */

static void accessors_and_diff(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p1\"},{\"id\":\"p2\",\"text\":{\"en\":\"Changed.\"}},"
			       "{\"id\":\"p4\",\"text\":{\"en\":\"New.\"},\"norm\":true}]",
			       "[]"), PNYX_RULE_OK);
	const json_t *r1 = engine_revision(e.st, "d1", 1);
	const json_t *r2 = engine_revision(e.st, "d1", 2);
	assert_non_null(r1);
	assert_non_null(r2);
	assert_int_equal(json_integer_value(json_object_get(r2, "number")), 2);
	assert_null(engine_revision(e.st, "d1", 0));
	assert_null(engine_revision(e.st, "d1", 3));
	assert_null(engine_revision(e.st, "d1", -1));
	assert_null(engine_revision(e.st, "d9", 1));
	assert_true(engine_revision_has_paragraph(r1, "p3"));
	assert_false(engine_revision_has_paragraph(r2, "p3"));
	assert_true(engine_revision_has_paragraph(r2, "p4"));
	assert_false(engine_revision_has_paragraph(r2, "P4"));
	assert_false(engine_revision_has_paragraph(NULL, "p1"));
	json_t *d = NULL;
	assert_int_equal(pnyx_revision_diff(r1, r2, &d, NULL), PNYX_OK);
	json_t *want = J("[{\"paragraph\":\"p1\",\"change\":\"unchanged\","
			 "\"from\":{\"en\":\"States meet.\",\"fr\":\"Les Etats se reunissent.\"},"
			 "\"to\":{\"en\":\"States meet.\",\"fr\":\"Les Etats se reunissent.\"},"
			 "\"from_norm\":false,\"to_norm\":false},"
			 "{\"paragraph\":\"p2\",\"change\":\"changed\","
			 "\"from\":{\"en\":\"States shall not harm.\"},\"to\":{\"en\":\"Changed.\"},"
			 "\"from_norm\":true,\"to_norm\":true},"
			 "{\"paragraph\":\"p3\",\"change\":\"removed\","
			 "\"from\":{\"en\":\"Capacity matters.\"},\"to\":null,"
			 "\"from_norm\":false,\"to_norm\":null},"
			 "{\"paragraph\":\"p4\",\"change\":\"added\",\"from\":null,"
			 "\"to\":{\"en\":\"New.\"},\"from_norm\":null,\"to_norm\":true}]");
	if (!json_equal(d, want))
		fail_msg("diff: %s", json_dumps(d, JSON_COMPACT));
	json_decref(d);
	json_decref(want);
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- allocation failures in the module's own steps ---- */


static void allocation_failures(void **state)
{
	(void)state;
	eng e;
	size_t mine[16], n = 0;
	setup_forum(&e);
	create_d1(&e);
	mine[n++] = e.nleaves - 1;
	EXPECT_OK(&e, "sh.ngo", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(&e, "sh.ngo"), "name", "Civil Society Network", "category", "ngo");
	e.now += 336 * HOUR_MS + 1000;
	assert_int_equal(table(&e, "FRA", "a1", 1, "p1", "replace", "{\"en\":\"New.\"}"),
			 PNYX_RULE_OK);
	mine[n++] = e.nleaves - 1;
	assert_int_equal(table(&e, "KEN", "a2", 1, "p3", "delete", NULL), PNYX_RULE_OK);
	mine[n++] = e.nleaves - 1;
	assert_int_equal(amend(&e, "BRA", "amendment.cosponsor", "a1"), PNYX_RULE_OK);
	mine[n++] = e.nleaves - 1;
	assert_int_equal(table(&e, "CHN", "a3", 1, "p2", "delete", NULL), PNYX_RULE_OK);
	assert_int_equal(amend(&e, "CHN", "amendment.withdraw", "a3"), PNYX_RULE_OK);
	mine[n++] = e.nleaves - 1;
	EXPECT_OK(&e, "FRA", "input.submit", "{s:s,s:{s:s},s:s}", "document", "d1",
		  "text", "en", "Input.", "paragraph", "p1");
	mine[n++] = e.nleaves - 1;
	EXPECT_OK(&e, "sh.ngo", "comment.add", "{s:s,s:i,s:s,s:{s:s}}", "document", "d1",
		  "revision", 1, "paragraph", "p2", "text", "en", "Comment.");
	mine[n++] = e.nleaves - 1;
	assert_int_equal(issue(&e, "chair.1", "d1",
			       "[{\"id\":\"p1\",\"text\":{\"en\":\"New.\"}},{\"id\":\"p2\"},"
			       "{\"id\":\"p4\",\"text\":{\"en\":\"Four.\"},\"norm\":true}]",
			       "[\"a1\"]"), PNYX_RULE_OK);
	mine[n++] = e.nleaves - 1;
	for (size_t m = 0; m < n; m++) {
		uint64_t nomem = eng_fault_loop(&e, mine[m]);
		if (nomem < 3)
			fail_msg("leaf %zu: only %llu allocation failures reached", mine[m],
				 (unsigned long long)nomem);
	}
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document_create_allowed),
		cmocka_unit_test(document_create_refused),
		cmocka_unit_test(document_paragraphs_refused),
		cmocka_unit_test(revisions_are_numbered_and_carry_text),
		cmocka_unit_test(revision_issue_refused),
		cmocka_unit_test(amendment_table_rules),
		cmocka_unit_test(amendment_table_refused),
		cmocka_unit_test(cosponsor_and_withdraw),
		cmocka_unit_test(revision_closes_amendments),
		cmocka_unit_test(member_input),
		cmocka_unit_test(stakeholder_input_and_comments),
		cmocka_unit_test(accessors_and_diff),
		cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
