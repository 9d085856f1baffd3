/*
 * The capacity-building board (engine_board.c): only members post needs;
 * members and accredited stakeholders post offers and pledge them; only
 * the member in need accepts a pledge; either side records progress and
 * completion; the need's status follows its pledges. Every rejection is
 * checked by the harness to leave the state digest unchanged; every test
 * ends with a replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "session_support.h"

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI"};

#define POST_FMT "{s:s,s:s,s:{s:s},s:{s:s},s:[s]}"

static void setup_forum(eng *e)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 5, NULL);
	e->now += 1000;
}

static pnyx_rule post(eng *e, const char *actor, const char *type, const char *id,
		      const char *area, const char *lang)
{
	return eng_act(e, actor, type, POST_FMT, "id", id, "area", area, "title", "en",
		       "A title", "description", "en", "A description.", "languages",
		       lang);
}

static pnyx_rule pledge(eng *e, const char *actor, const char *id, const char *offer,
			const char *need)
{
	return eng_act(e, actor, "pledge.make", "{s:s,s:s,s:s}", "id", id, "offer",
		       offer, "need", need);
}

static pnyx_rule step(eng *e, const char *actor, const char *type, const char *p)
{
	return eng_act(e, actor, type, "{s:s}", "pledge", p);
}

/* Only members post needs. */
static void needs_by_members_only(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	ses_accredit(&e, "sh.ngo");
	assert_int_equal(post(&e, "sh.ngo", "need.post", "n1", "legislation", "en"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(post(&e, "chair.1", "need.post", "n1", "legislation", "en"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(post(&e, "secretariat", "offer.post", "o1", "legislation", "en"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(post(&e, "FJI", "need.post", "n1", "space", "en"),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(post(&e, "FJI", "need.post", "n1", "legislation", "de"),
			 PNYX_RULE_INVALID_FIELD);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FJI", "need.post",
		    "{s:s,s:s,s:{s:s},s:{s:s},s:[s,s]}", "id", "n1", "area", "legislation",
		    "title", "en", "T", "description", "en", "D", "languages", "en", "en");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FJI", "need.post",
		    "{s:s,s:s,s:{s:s},s:{s:s},s:[]}", "id", "n1", "area", "legislation",
		    "title", "en", "T", "description", "en", "D", "languages");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FJI", "need.post", POST_FMT, "id", "n1",
		    "area", "legislation", "title", "xx", "T", "description", "en", "D",
		    "languages", "en");
	assert_null(eng_get(&e, "board", NULL));
	assert_int_equal(post(&e, "FJI", "need.post", "n1", "legislation", "fr"),
			 PNYX_RULE_OK);
	assert_int_equal(post(&e, "KEN", "need.post", "n1", "legislation", "fr"),
			 PNYX_RULE_EXISTS);
	assert_string_equal(eng_get_str(&e, "board", "needs", "n1", "status", NULL), "open");
	assert_string_equal(eng_get_str(&e, "board", "needs", "n1", "by", NULL), "FJI");
	/* an accredited stakeholder offers; one still in its window does not */
	assert_int_equal(post(&e, "sh.ngo", "offer.post", "o1", "legislation", "fr"),
			 PNYX_RULE_OK);
	assert_string_equal(eng_get_str(&e, "board", "offers", "o1", "as", NULL),
			    "stakeholder");
	EXPECT_OK(&e, "sh.new", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(&e, "sh.new"), "name", "New Applicant", "category", "academia");
	assert_int_equal(post(&e, "sh.new", "offer.post", "o2", "legislation", "fr"),
			 PNYX_RULE_NOT_PERMITTED);
	eng_check_replay(&e);
	eng_free(&e);
}

static void pledge_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(post(&e, "FJI", "need.post", "n1", "cert-maturity", "en"), 0);
	assert_int_equal(post(&e, "FRA", "need.post", "n2", "legislation", "fr"), 0);
	assert_int_equal(post(&e, "FRA", "offer.post", "o1", "cert-maturity", "en"), 0);
	assert_int_equal(post(&e, "CHN", "offer.post", "o2", "cert-maturity", "zh"), 0);
	assert_int_equal(pledge(&e, "FRA", "p1", "nope", "n1"), PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(pledge(&e, "FRA", "p1", "o1", "nope"), PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(pledge(&e, "CHN", "p1", "o1", "n1"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(pledge(&e, "FRA", "p1", "o1", "n2"), PNYX_RULE_CONFLICT);
	assert_int_equal(pledge(&e, "FRA", "p1", "o1", "n1"), PNYX_RULE_OK);
	assert_int_equal(pledge(&e, "FRA", "p1", "o1", "n1"), PNYX_RULE_EXISTS);
	assert_int_equal(pledge(&e, "FRA", "p1b", "o1", "n1"), PNYX_RULE_CONFLICT);
	assert_int_equal(pledge(&e, "CHN", "p2", "o2", "n1"), PNYX_RULE_OK);
	assert_string_equal(eng_get_str(&e, "board", "pledges", "p1", "to", NULL), "FJI");
	assert_string_equal(eng_get_str(&e, "board", "pledges", "p1", "status", NULL),
			    "pledged");
	assert_int_equal(json_array_size(eng_get(&e, "board", "needs", "n1", "pledges",
						 NULL)), 2);
	assert_int_equal(json_array_size(eng_get(&e, "board", "offers", "o1", "pledges",
						 NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

/* Only the member in need accepts; either side records progress and
 * completion; the need's status follows. */
static void accept_progress_complete(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	ses_accredit(&e, "sh.ngo");
	assert_int_equal(post(&e, "FJI", "need.post", "n1", "cert-maturity", "en"), 0);
	assert_int_equal(post(&e, "FRA", "offer.post", "o1", "cert-maturity", "en"), 0);
	assert_int_equal(post(&e, "sh.ngo", "offer.post", "o2", "cert-maturity", "en"), 0);
	assert_int_equal(pledge(&e, "FRA", "p1", "o1", "n1"), 0);
	assert_int_equal(pledge(&e, "sh.ngo", "p2", "o2", "n1"), 0);
	assert_int_equal(step(&e, "FRA", "pledge.accept", "p1"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(step(&e, "KEN", "pledge.accept", "p1"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(step(&e, "sh.ngo", "pledge.accept", "p2"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(step(&e, "FJI", "pledge.accept", "nope"),
			 PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(step(&e, "FJI", "pledge.complete", "p1"), PNYX_RULE_CONFLICT);
	assert_int_equal(step(&e, "FJI", "pledge.accept", "p1"), PNYX_RULE_OK);
	assert_int_equal(step(&e, "FJI", "pledge.accept", "p1"), PNYX_RULE_CONFLICT);
	assert_string_equal(eng_get_str(&e, "board", "needs", "n1", "status", NULL),
			    "in-progress");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "KEN", "pledge.progress", "{s:s,s:{s:s}}",
		    "pledge", "p1", "note", "en", "Not mine.");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "FRA", "pledge.progress", "{s:s}",
		    "pledge", "p1");
	EXPECT_OK(&e, "FRA", "pledge.progress", "{s:s,s:{s:s}}", "pledge", "p1", "note",
		  "en", "First training week held.");
	EXPECT_OK(&e, "FJI", "pledge.progress", "{s:s,s:{s:s}}", "pledge", "p1", "note",
		  "fr", "Procédures rédigées.");
	EXPECT_OK(&e, "FJI", "pledge.accept", "{s:s}", "pledge", "p2");
	/* a note in a language the forum does not use is refused */
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.ngo", "pledge.progress",
		    "{s:s,s:{s:s}}", "pledge", "p2", "note", "xx", "No.");
	EXPECT_OK(&e, "FRA", "pledge.complete", "{s:s,s:{s:s}}", "pledge", "p1", "note",
		  "en", "Done.");
	assert_string_equal(eng_get_str(&e, "board", "pledges", "p1", "status", NULL),
			    "completed");
	assert_string_equal(eng_get_str(&e, "board", "needs", "n1", "status", NULL),
			    "in-progress");
	assert_int_equal(step(&e, "FRA", "pledge.complete", "p1"), PNYX_RULE_CONFLICT);
	assert_int_equal(step(&e, "sh.ngo", "pledge.complete", "p2"), PNYX_RULE_OK);
	assert_string_equal(eng_get_str(&e, "board", "needs", "n1", "status", NULL),
			    "completed");
	assert_int_equal(json_array_size(eng_get(&e, "board", "pledges", "p1", "progress",
						 NULL)), 4);
	/* each step records its event, who and the note (null if none) */
	static const char *const events[] = {"accepted", "progress", "progress",
					     "completed"};
	static const char *const by[] = {"FJI", "FRA", "FJI", "FRA"};
	for (size_t i = 0; i < 4; i++) {
		const json_t *st = json_array_get(
			eng_get(&e, "board", "pledges", "p1", "progress", NULL), i);
		assert_string_equal(json_string_value(json_object_get(st, "event")),
				    events[i]);
		assert_string_equal(json_string_value(json_object_get(st, "by")), by[i]);
		assert_true(json_is_null(json_object_get(st, "note")) == (i == 0));
	}
	assert_string_equal(json_string_value(json_object_get(json_object_get(
				    json_array_get(eng_get(&e, "board", "pledges", "p1",
							   "progress", NULL), 3),
				    "note"), "en")), "Done.");
	/* a completed need takes no new pledge */
	assert_int_equal(post(&e, "CHN", "offer.post", "o3", "cert-maturity", "zh"), 0);
	assert_int_equal(pledge(&e, "CHN", "p3", "o3", "n1"), PNYX_RULE_CONFLICT);
	eng_check_replay(&e);
	eng_free(&e);
}

static void fault_loops(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(post(&e, "FJI", "need.post", "n1", "cert-maturity", "en"), 0);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	assert_int_equal(post(&e, "FRA", "offer.post", "o1", "cert-maturity", "en"), 0);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	assert_int_equal(pledge(&e, "FRA", "p1", "o1", "n1"), 0);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	assert_int_equal(step(&e, "FJI", "pledge.accept", "p1"), 0);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	EXPECT_OK(&e, "FRA", "pledge.progress", "{s:s,s:{s:s}}", "pledge", "p1", "note",
		  "en", "Half done.");
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	assert_int_equal(step(&e, "FJI", "pledge.complete", "p1"), 0);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(needs_by_members_only),
		cmocka_unit_test(pledge_rules),
		cmocka_unit_test(accept_progress_complete),
		cmocka_unit_test(fault_loops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
