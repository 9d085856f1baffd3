/*
 * Decisions (src/lib/engine_decision*.c): the rule table of every action,
 * consensus with reservations and objections, a recorded vote asked for
 * under consensus, the silence procedure broken and passed, quorum and
 * two-thirds arithmetic at their boundaries, membership questions carried
 * out on adoption, and a fault loop over the module's executions. Every
 * rejection is checked by the harness to leave the state unchanged, and
 * every scenario ends with a replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "engine_support.h"
#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"

#define HOUR_MS UINT64_C(3600000)

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI",
				    "DEU", "IND"};

static void setup(eng *e, json_t *rules)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 5, rules);
	e->now += 1000;
}

/* Rules: the defaults with some settings replaced. */
static json_t *rules_with(const char *key, json_t *value)
{
	json_t *r = eng_default_rules();
	json_object_set_new(r, key, value);
	return r;
}

/* Document d1 (Rev.1: p1, p2, p3), created by the secretariat. */
static void make_doc(eng *e)
{
	EXPECT_OK(e, "secretariat", "document.create",
		  "{s:s,s:{s:s},s:[{s:s,s:{s:s}},{s:s,s:{s:s}},{s:s,s:{s:s}}]}",
		  "id", "d1", "title", "en", "Report", "paragraphs", "id", "p1",
		  "text", "en", "One.", "id", "p2", "text", "en", "Two.", "id", "p3",
		  "text", "en", "Three.");
}

static void open_doc(eng *e, const char *id, const char *procedure)
{
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", id,
		  "procedure", procedure, "document", "d1", "revision", 1);
}

static const char *status(eng *e, const char *id)
{
	return eng_get_str(e, "decisions", id, "status", NULL);
}

static const char *outcome(eng *e, const char *id)
{
	return eng_get_str(e, "decisions", id, "outcome", NULL);
}

static size_t list_size(eng *e, const char *id, const char *list)
{
	return json_array_size(eng_get(e, "decisions", id, "tally", list, NULL));
}

/* ---- decision.open ---- */

static void open_rules(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c 1", "procedure", "consensus",
		    "document", "d1", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c1", "procedure", "lottery",
		    "document", "d1", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s}", "id", "c1", "procedure", "consensus");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s}", "id", "c1", "procedure", "consensus",
		    "document", "d1");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 0);
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 2);
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c1", "procedure", "consensus",
		    "document", "d9", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:{s:s,s:s}}", "id", "c1", "procedure",
		    "consensus", "document", "d1", "revision", 1, "subject", "kind",
		    "suspend", "member", "KEN");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s}}", "id", "c1", "procedure", "consensus",
		    "subject", "kind", "expel", "member", "KEN");
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s,s:s}}", "id", "c1", "procedure", "consensus",
		    "subject", "kind", "admit", "member", "KEN", "key", eng_vkey(&e, "x"));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:I}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 1, "deadline_ms",
		    (json_int_t)(e.now + 100 * HOUR_MS));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:{s:s}}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 1, "title", "de", "Bericht");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:s}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 1, "outcome", "adopted");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:i}", "id", "c1", "procedure", "consensus",
		    "document", "d1", "revision", 1, "important", 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void open_one_per_question(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	EXPECT_OK(&e, "secretariat", "decision.open", "{s:s,s:s,s:s,s:i,s:b,s:{s:s}}",
		  "id", "c1", "procedure", "consensus", "document", "d1", "revision", 1,
		  "important", 1, "title", "en", "Adoption of the report");
	assert_string_equal(status(&e, "c1"), "open");
	assert_true(json_is_true(eng_get(&e, "decisions", "c1", "important", NULL)));
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "subject", "kind", NULL),
			    "document");
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s}}", "id", "c1", "procedure", "vote",
		    "subject", "kind", "suspend", "member", "KEN");
	/* one open decision per revision, and per member */
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "c2", "procedure", "vote",
		    "document", "d1", "revision", 1);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id", "m1",
		  "procedure", "vote", "subject", "kind", "suspend", "member", "KEN");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s,s:b}}", "id", "m2", "procedure", "consensus",
		    "subject", "kind", "credentials", "member", "KEN", "accept", 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void open_procedures_and_deadlines(void **state)
{
	(void)state;
	eng e;
	setup(&e, rules_with("procedures", json_pack("[s]", "consensus")));
	make_doc(&e);
	EXPECT_RULE(&e, PNYX_RULE_PROCEDURE_NOT_ALLOWED, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "v1", "procedure", "vote",
		    "document", "d1", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_PROCEDURE_NOT_ALLOWED, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:I}", "id", "s1", "procedure", "silence",
		    "document", "d1", "revision", 1, "deadline_ms",
		    (json_int_t)(e.now + 100 * HOUR_MS));
	open_doc(&e, "c1", "consensus");
	/* vote_on_request is true, but "vote" is not among the procedures */
	EXPECT_RULE(&e, PNYX_RULE_PROCEDURE_NOT_ALLOWED, "KEN", "vote.request",
		    "{s:s}", "decision", "c1");
	eng_check_replay(&e);
	eng_free(&e);

	setup(&e, NULL);
	make_doc(&e);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i}", "id", "s1", "procedure", "silence",
		    "document", "d1", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:I}", "id", "s1", "procedure", "silence",
		    "document", "d1", "revision", 1, "deadline_ms",
		    (json_int_t)(e.now + 72 * HOUR_MS - 1));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:I}", "id", "s1", "procedure", "silence",
		    "document", "d1", "revision", 1, "deadline_ms", (json_int_t)-5);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "s1",
		  "procedure", "silence", "document", "d1", "revision", 1,
		  "deadline_ms", (json_int_t)(e.now + 72 * HOUR_MS));
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- consensus ---- */

static void consensus_positions(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	open_doc(&e, "c1", "consensus");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "consensus.join", "{s:s}",
		    "decision", "c9");
	EXPECT_OK(&e, "FRA", "consensus.join", "{s:s}", "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "consensus.join", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "consensus.join",
		    "{s:s,s:[s]}", "decision", "c1", "dissociate", "p9");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "consensus.join",
		    "{s:s,s:[ss]}", "decision", "c1", "dissociate", "p2", "p2");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "consensus.join",
		    "{s:s,s:[]}", "decision", "c1", "dissociate");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "consensus.join",
		    "{s:s,s:[i]}", "decision", "c1", "dissociate", 2);
	EXPECT_OK(&e, "FRA", "consensus.join", "{s:s,s:[ss]}", "decision", "c1",
		  "dissociate", "p3", "p2");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "consensus.join", "{s:s,s:[ss]}",
		    "decision", "c1", "dissociate", "p3", "p2");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "BRA", "consensus.withdraw_objection",
		    "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "KEN", "consensus.object", "{s:s,s:{s:s}}", "decision", "c1",
		  "reason", "en", "Paragraph 2 goes too far.");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "KEN", "consensus.object", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "KEN", "consensus.join", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "CHN", "consensus.object",
		    "{s:s,s:{s:s}}", "decision", "c1", "reason", "xx", "no");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "CHN", "vote.cast", "{s:s,s:s}",
		    "decision", "c1", "vote", "no");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "CHN", "silence.break",
		    "{s:s,s:{s:s}}", "decision", "c1", "reason", "en", "no");
	EXPECT_RULE(&e, PNYX_RULE_TOO_EARLY, "CHN", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "c1", "when", "after", "text",
		    "en", "We explain.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "CHN", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "c1", "when", "during", "text",
		    "en", "We explain.");
	EXPECT_OK(&e, "CHN", "position.explain", "{s:s,s:s,s:{s:s,s:s}}", "decision",
		  "c1", "when", "before", "text", "en", "We join.", "zh", "我们加入。");
	EXPECT_OK(&e, "CHN", "consensus.join", "{s:s}", "decision", "c1");
	/* FRA's position keeps its history: joined, then joined with reservations */
	assert_int_equal(json_array_size(eng_get(&e, "decisions", "c1", "positions",
						 "FRA", "history", NULL)), 2);
	eng_check_replay(&e);
	eng_free(&e);
}

static void consensus_close_over_objection(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	open_doc(&e, "c1", "consensus");
	EXPECT_OK(&e, "FRA", "consensus.join", "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "KEN", "consensus.object", "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "CHN", "consensus.object", "{s:s}", "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "decision.close", "{s:s}",
		    "decision", "c1");
	e.now += 5000;
	/* the chair closes: the engine, not the chair, decides the outcome */
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "c1");
	assert_string_equal(status(&e, "c1"), "not-adopted");
	assert_string_equal(outcome(&e, "c1"), "objections by CHN, KEN");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "outcome_code", NULL),
			    "objection");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "closed_by", NULL),
			    "chair.1");
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "c1",
						    "closed_ms", NULL)), e.now);
	assert_int_equal(list_size(&e, "c1", "objected"), 2);
	assert_int_equal(list_size(&e, "c1", "joined"), 1);
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "chair.1", "decision.close",
		    "{s:s}", "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "KEN",
		    "consensus.withdraw_objection", "{s:s}", "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "BRA", "consensus.join", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "BRA", "vote.request", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "KEN", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "c1", "when", "before", "text",
		    "en", "Too late.");
	EXPECT_OK(&e, "KEN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "c1",
		  "when", "after", "text", "en", "We could not accept paragraph 2.");
	assert_int_equal(json_array_size(eng_get(&e, "decisions", "c1", "explanations",
						 NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void consensus_adopted_with_reservations(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	/* Rev.2 adds p4; a decision on Rev.1 knows only Rev.1's paragraphs */
	EXPECT_OK(&e, "chair.1", "revision.issue", "{s:s,s:[{s:s},{s:s},{s:s,s:{s:s}}]}",
		  "document", "d1", "paragraphs", "id", "p1", "id", "p2", "id", "p4",
		  "text", "en", "Four.");
	open_doc(&e, "c1", "consensus");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "consensus.join",
		    "{s:s,s:[s]}", "decision", "c1", "dissociate", "p4");
	EXPECT_OK(&e, "FRA", "consensus.join", "{s:s,s:[s]}", "decision", "c1",
		  "dissociate", "p3");
	EXPECT_OK(&e, "KEN", "consensus.object", "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "KEN", "consensus.withdraw_objection", "{s:s}", "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "KEN", "consensus.withdraw_objection",
		    "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "BRA", "consensus.join", "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "c1");
	assert_string_equal(status(&e, "c1"), "adopted");
	assert_string_equal(outcome(&e, "c1"), "adopted by consensus; reservations by FRA");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "positions", "KEN",
					"position", NULL), "objection-withdrawn");
	assert_int_equal(json_array_size(eng_get(&e, "decisions", "c1", "tally",
						 "reservations", "FRA", NULL)), 1);
	assert_int_equal(list_size(&e, "c1", "objected"), 0);
	/* the revision is free for a new decision once this one is closed */
	open_doc(&e, "c2", "vote");
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- recorded vote ---- */

static void vote_on_request(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	open_doc(&e, "c1", "consensus");
	EXPECT_OK(&e, "FRA", "consensus.join", "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "KEN", "consensus.object", "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "KEN", "vote.request", "{s:s}", "decision", "c1");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "procedure", NULL), "vote");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "opened_as", NULL),
			    "consensus");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "vote_requested", "by",
					NULL), "KEN");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "BRA", "vote.request", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "BRA", "consensus.join", "{s:s}",
		    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "KEN",
		    "consensus.withdraw_objection", "{s:s}", "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "vote.cast", "{s:s,s:s}",
		    "decision", "c1", "vote", "maybe");
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "c1", "vote", "no");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "vote.cast", "{s:s,s:s}",
		    "decision", "c1", "vote", "no");
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "c1", "vote", "yes");
	EXPECT_OK(&e, "BRA", "vote.cast", "{s:s,s:s}", "decision", "c1", "vote", "yes");
	EXPECT_OK(&e, "KEN", "vote.cast", "{s:s,s:s}", "decision", "c1", "vote", "no");
	EXPECT_OK(&e, "CHN", "vote.cast", "{s:s,s:s}", "decision", "c1", "vote",
		  "abstain");
	EXPECT_OK(&e, "CHN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "c1",
		  "when", "before", "text", "en", "We abstain.");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "c1");
	assert_string_equal(status(&e, "c1"), "adopted");
	assert_string_equal(eng_get_str(&e, "decisions", "c1", "outcome_code", NULL),
			    "majority");
	assert_int_equal(list_size(&e, "c1", "yes"), 2);
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "c1", "tally",
						    "present_and_voting", NULL)), 3);
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "FJI", "vote.cast", "{s:s,s:s}",
		    "decision", "c1", "vote", "no");
	eng_check_replay(&e);
	eng_free(&e);

	setup(&e, rules_with("vote_on_request", json_false()));
	make_doc(&e);
	open_doc(&e, "c1", "consensus");
	EXPECT_RULE(&e, PNYX_RULE_PROCEDURE_NOT_ALLOWED, "KEN", "vote.request",
		    "{s:s}", "decision", "c1");
	eng_check_replay(&e);
	eng_free(&e);
}

/* A forum of n members and this quorum votes on a question; checks the
 * outcome code and status. */
static void run_vote(size_t n, int quorum, int important, size_t yes, size_t no,
		     size_t abst, const char *want_code)
{
	eng e;
	eng_init(&e, "oewg");
	eng_genesis(&e, codes, n, rules_with("quorum_percent", json_integer(quorum)));
	e.now += 1000;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:b,s:{s:s,s:s,s:b}}", "id",
		  "v1", "procedure", "vote", "important", important, "subject",
		  "kind", "credentials", "member", "FRA", "accept", 1);
	size_t m = 0;
	for (size_t i = 0; i < yes; i++)
		EXPECT_OK(&e, codes[m++], "vote.cast", "{s:s,s:s}", "decision", "v1", "vote", "yes");
	for (size_t i = 0; i < no; i++)
		EXPECT_OK(&e, codes[m++], "vote.cast", "{s:s,s:s}", "decision", "v1", "vote", "no");
	for (size_t i = 0; i < abst; i++)
		EXPECT_OK(&e, codes[m++], "vote.cast", "{s:s,s:s}", "decision", "v1", "vote",
			  "abstain");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "v1");
	const char *got = eng_get_str(&e, "decisions", "v1", "outcome_code", NULL);
	if (strcmp(got, want_code) != 0)
		fail_msg("%zu members, quorum %d%%, important %d, %zu/%zu/%zu: %s (%s)", n,
			 quorum, important, yes, no, abst, got, outcome(&e, "v1"));
	assert_string_equal(status(&e, "v1"),
			    strcmp(want_code, "majority") == 0 ? "adopted" : "not-adopted");
	size_t history = json_array_size(eng_get(&e, "members", "FRA", "history", NULL));
	assert_int_equal(history, strcmp(want_code, "majority") == 0 ? 2 : 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void vote_arithmetic(void **state)
{
	(void)state;
	/* quorum: 50% of 6 is 3 voters; 50% of 7 is 3.5, so 4 */
	run_vote(6, 50, 0, 2, 0, 0, "no-quorum");
	run_vote(6, 50, 0, 2, 1, 0, "majority");
	run_vote(7, 50, 0, 2, 1, 0, "no-quorum");
	run_vote(7, 50, 0, 2, 1, 1, "majority");
	/* abstentions count for the quorum, not for the majority */
	run_vote(6, 50, 0, 1, 1, 1, "no-majority");
	run_vote(6, 50, 0, 1, 0, 5, "majority");
	run_vote(6, 50, 0, 0, 0, 3, "no-majority");
	run_vote(6, 50, 1, 0, 0, 3, "no-majority");
	run_vote(5, 100, 0, 4, 0, 0, "no-quorum");
	run_vote(5, 100, 0, 4, 0, 1, "majority");
	run_vote(5, 0, 0, 0, 0, 0, "no-majority");
	run_vote(5, 0, 0, 1, 0, 0, "majority");
	/* two thirds of the members present and voting: 2 of 3 is enough,
	 * 3 of 5 is not, 4 of 6 is */
	run_vote(6, 50, 1, 2, 1, 0, "majority");
	run_vote(6, 50, 1, 3, 2, 0, "no-majority");
	run_vote(6, 50, 1, 4, 2, 0, "majority");
	run_vote(7, 50, 1, 4, 2, 1, "majority");
	run_vote(7, 50, 1, 3, 2, 2, "no-majority");
}

/* ---- silence ---- */

static void silence_broken(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	uint64_t deadline = e.now + 80 * HOUR_MS;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "s1",
		  "procedure", "silence", "document", "d1", "revision", 1,
		  "deadline_ms", (json_int_t)deadline);
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "KEN", "vote.cast", "{s:s,s:s}",
		    "decision", "s1", "vote", "no");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "KEN", "consensus.object", "{s:s}",
		    "decision", "s1");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "KEN", "vote.request", "{s:s}",
		    "decision", "s1");
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "chair.1", "decision.close", "{s:s}",
		    "decision", "s1");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "KEN", "silence.break", "{s:s}",
		    "decision", "s1");
	EXPECT_OK(&e, "FRA", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "s1",
		  "when", "before", "text", "en", "We support the text.");
	e.now = deadline - 1;
	EXPECT_OK(&e, "KEN", "silence.break", "{s:s,s:{s:s}}", "decision", "s1",
		  "reason", "en", "Paragraph 2 needs discussion.");
	assert_string_equal(status(&e, "s1"), "not-adopted");
	assert_string_equal(outcome(&e, "s1"), "silence broken by KEN");
	assert_string_equal(eng_get_str(&e, "decisions", "s1", "tally", "broken_by", NULL),
			    "KEN");
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "s1", "closed_ms",
						    NULL)), deadline - 1);
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "CHN", "silence.break",
		    "{s:s,s:{s:s}}", "decision", "s1", "reason", "en", "Also.");
	EXPECT_OK(&e, "KEN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "s1",
		  "when", "after", "text", "en", "We remain open to talks.");
	/* nothing changes at the deadline */
	e.now = deadline + 1;
	EXPECT_RULE(&e, PNYX_RULE_DEADLINE_PASSED, "CHN", "silence.break",
		    "{s:s,s:{s:s}}", "decision", "s1", "reason", "en", "Also.");
	EXPECT_OK(&e, "secretariat", "credentials.record", "{s:s,s:s}", "member", "FRA",
		  "text", "Credentials of France");
	assert_string_equal(status(&e, "s1"), "not-adopted");
	eng_check_replay(&e);
	eng_free(&e);
}

static void silence_passed(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	uint64_t deadline = e.now + 72 * HOUR_MS;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "s1",
		  "procedure", "silence", "document", "d1", "revision", 1,
		  "deadline_ms", (json_int_t)deadline);
	e.now = deadline;
	/* at the deadline silence can no longer be broken, and the decision is
	 * adopted though no leaf has recorded it yet */
	EXPECT_RULE(&e, PNYX_RULE_DEADLINE_PASSED, "KEN", "silence.break",
		    "{s:s,s:{s:s}}", "decision", "s1", "reason", "en", "Late.");
	EXPECT_RULE(&e, PNYX_RULE_DECISION_CLOSED, "KEN", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "s1", "when", "before", "text",
		    "en", "Late.");
	assert_string_equal(status(&e, "s1"), "open");
	e.now = deadline + 5 * HOUR_MS;
	size_t leaf = (size_t)pnyx_state_leaves(e.st);
	EXPECT_OK(&e, "KEN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "s1",
		  "when", "after", "text", "en", "We did not object.");
	assert_string_equal(status(&e, "s1"), "adopted");
	assert_string_equal(eng_get_str(&e, "decisions", "s1", "outcome_code", NULL),
			    "silence-passed");
	assert_true(json_is_null(eng_get(&e, "decisions", "s1", "closed_by", NULL)));
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "s1", "closed_ms",
						    NULL)), deadline);
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "s1", "closed_leaf",
						    NULL)), leaf);
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- membership questions ---- */

static void open_question(eng *e, const char *id, const char *procedure,
			  const char *kind, const char *member, const char *key)
{
	json_t *subject = json_pack("{s:s,s:s}", "kind", kind, "member", member);
	if (key != NULL)
		json_object_set_new(subject, "key", json_string(key));
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:o}", "id", id,
		  "procedure", procedure, "subject", subject);
}

static void membership_questions(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	open_question(&e, "admit-deu", "consensus", "admit", "DEU", eng_vkey(&e, "DEU"));
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_ACTOR, "DEU", "consensus.join", "{s:s}",
		    "decision", "admit-deu");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "consensus.join",
		    "{s:s,s:[s]}", "decision", "admit-deu", "dissociate", "p1");
	EXPECT_OK(&e, "FRA", "consensus.join", "{s:s}", "decision", "admit-deu");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "admit-deu");
	assert_string_equal(status(&e, "admit-deu"), "adopted");
	assert_true(json_is_true(eng_get(&e, "decisions", "admit-deu", "effect",
					 "applied", NULL)));
	assert_string_equal(eng_get_str(&e, "members", "DEU", "status", NULL), "active");
	/* suspend KEN by a vote in which the new member takes part */
	open_question(&e, "suspend-ken", "vote", "suspend", "KEN", NULL);
	EXPECT_OK(&e, "DEU", "vote.cast", "{s:s,s:s}", "decision", "suspend-ken",
		  "vote", "yes");
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "suspend-ken",
		  "vote", "yes");
	EXPECT_OK(&e, "KEN", "vote.cast", "{s:s,s:s}", "decision", "suspend-ken",
		  "vote", "no");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "suspend-ken");
	assert_string_equal(status(&e, "suspend-ken"), "adopted");
	assert_string_equal(eng_get_str(&e, "members", "KEN", "status", NULL),
			    "suspended");
	/* a suspended member takes no position, even on its reinstatement */
	open_question(&e, "reinstate-ken", "consensus", "reinstate", "KEN", NULL);
	EXPECT_RULE(&e, PNYX_RULE_SUSPENDED, "KEN", "consensus.object", "{s:s}",
		    "decision", "reinstate-ken");
	EXPECT_RULE(&e, PNYX_RULE_SUSPENDED, "KEN", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "reinstate-ken", "when", "before",
		    "text", "en", "Let us back in.");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "reinstate-ken");
	assert_string_equal(eng_get_str(&e, "members", "KEN", "status", NULL), "active");
	EXPECT_OK(&e, "KEN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision",
		  "reinstate-ken", "when", "after", "text", "en", "Thank you.");
	eng_check_replay(&e);
	eng_free(&e);
}

static void suspended_positions_do_not_count(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s,s:b}}", "id",
		  "cred-fra", "procedure", "consensus", "subject", "kind",
		  "credentials", "member", "FRA", "accept", 1);
	EXPECT_OK(&e, "KEN", "consensus.object", "{s:s}", "decision", "cred-fra");
	open_question(&e, "suspend-ken", "vote", "suspend", "KEN", NULL);
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "suspend-ken",
		  "vote", "yes");
	EXPECT_OK(&e, "CHN", "vote.cast", "{s:s,s:s}", "decision", "suspend-ken",
		  "vote", "abstain");
	EXPECT_OK(&e, "BRA", "vote.cast", "{s:s,s:s}", "decision", "suspend-ken",
		  "vote", "yes");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "suspend-ken");
	assert_string_equal(eng_get_str(&e, "members", "KEN", "status", NULL),
			    "suspended");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "cred-fra");
	assert_string_equal(status(&e, "cred-fra"), "adopted");
	assert_int_equal(list_size(&e, "cred-fra", "not_counted"), 1);
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "cred-fra", "tally",
						    "active_members", NULL)), 4);
	eng_check_replay(&e);
	eng_free(&e);
}

static void restore_keys_by_silence(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	char new_key[700];
	snprintf(new_key, sizeof new_key, "%s", eng_vkey(&e, "FJI-new"));
	uint64_t deadline = e.now + 100 * HOUR_MS;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s,s:s},s:I}", "id",
		  "keys-fji", "procedure", "silence", "subject", "kind", "restore-keys",
		  "member", "FJI", "key", new_key, "deadline_ms", (json_int_t)deadline);
	e.now = deadline + 1;
	EXPECT_OK(&e, "secretariat", "credentials.record", "{s:s,s:s}", "member", "FRA",
		  "text", "Credentials of France");
	assert_string_equal(status(&e, "keys-fji"), "adopted");
	assert_int_equal(json_integer_value(eng_get(&e, "decisions", "keys-fji", "effect",
						    "ms", NULL)), deadline);
	/* the old key signs nothing any more; the restored one does */
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_KEY, "FJI", "key.add", "{s:s}", "key",
		    eng_vkey(&e, "FJI-third"));
	eng_actor *fji = eng_who(&e, "FJI");
	pnyx_signer old = fji->key;
	fji->key = eng_who(&e, "FJI-new")->key;
	eng_who(&e, "FJI-new")->key = old;
	EXPECT_OK(&e, "FJI", "position.explain", "{s:s,s:s,s:{s:s}}", "decision",
		  "keys-fji", "when", "after", "text", "en", "Thank you.");
	eng_check_replay(&e);
	eng_free(&e);
}

/* Deadlines are settled in place before a leaf is judged; a leaf refused
 * after that (here: by the very suspension the settle carried out) puts
 * everything back: decisions, members, actors. The harness checks the
 * digest after every refusal. */
static void refused_leaf_at_deadline_changes_nothing(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	uint64_t deadline = e.now + 72 * HOUR_MS;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s},s:I}", "id", "s1",
		  "procedure", "silence", "subject", "kind", "suspend", "member",
		  "KEN", "deadline_ms", (json_int_t)deadline);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s,s:s},s:I}", "id",
		  "s2", "procedure", "silence", "subject", "kind", "admit", "member",
		  "DEU", "key", eng_vkey(&e, "DEU"), "deadline_ms", (json_int_t)deadline);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "s3",
		  "procedure", "silence", "document", "d1", "revision", 1,
		  "deadline_ms", (json_int_t)(deadline + 1));
	e.now = deadline + 1;
	/* KEN is suspended by the settle this leaf triggers, so it is refused */
	EXPECT_RULE(&e, PNYX_RULE_SUSPENDED, "KEN", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "s3", "when", "before", "text",
		    "en", "We are still here.");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "consensus.join", "{s:s}",
		    "decision", "nothing");
	assert_string_equal(eng_get_str(&e, "members", "KEN", "status", NULL), "active");
	assert_null(eng_get(&e, "members", "DEU", NULL));
	assert_null(eng_get(&e, "actors", "DEU", NULL));
	assert_string_equal(status(&e, "s1"), "open");
	assert_string_equal(status(&e, "s3"), "open");
	/* the first accepted leaf settles all three, in deadline order */
	EXPECT_OK(&e, "FRA", "position.explain", "{s:s,s:s,s:{s:s}}", "decision",
		  "s1", "when", "after", "text", "en", "Noted.");
	assert_string_equal(eng_get_str(&e, "members", "KEN", "status", NULL),
			    "suspended");
	assert_string_equal(eng_get_str(&e, "members", "DEU", "status", NULL), "active");
	assert_string_equal(status(&e, "s1"), "adopted");
	assert_string_equal(status(&e, "s2"), "adopted");
	assert_string_equal(status(&e, "s3"), "adopted");
	EXPECT_OK(&e, "DEU", "position.explain", "{s:s,s:s,s:{s:s}}", "decision",
		  "s2", "when", "after", "text", "en", "Thank you.");
	eng_check_replay(&e);
	eng_free(&e);
}

static void stakeholders_never_decide(void **state)
{
	(void)state;
	eng e;
	setup(&e, NULL);
	make_doc(&e);
	open_doc(&e, "c1", "consensus");
	EXPECT_OK(&e, "sh.ngo", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(&e, "sh.ngo"), "name", "Open Networks", "category", "ngo");
	static const char *const types[] = {
		"consensus.join", "consensus.object", "consensus.withdraw_objection",
		"vote.request", "decision.close", "decision.open"};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", types[i], "{s:s}",
			    "decision", "c1");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "vote.cast", "{s:s,s:s}",
		    "decision", "c1", "vote", "yes");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "position.explain",
		    "{s:s,s:s,s:{s:s}}", "decision", "c1", "when", "before", "text",
		    "en", "We have views.");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "secretariat", "vote.cast",
		    "{s:s,s:s}", "decision", "c1", "vote", "yes");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "consensus.object",
		    "{s:s}", "decision", "c1");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "c1");
	assert_string_equal(outcome(&e, "c1"), "adopted by consensus");
	eng_check_replay(&e);
	eng_free(&e);
}

/* ---- allocation failures ---- */

/* A scenario that passes through every execution of the module. */
static void fault_scenario(eng *e)
{
	setup(e, NULL);
	make_doc(e);
	uint64_t deadline = e->now + 72 * HOUR_MS;
	open_doc(e, "c1", "consensus");
	EXPECT_OK(e, "FRA", "consensus.join", "{s:s,s:[s]}", "decision", "c1",
		  "dissociate", "p2");
	EXPECT_OK(e, "KEN", "consensus.object", "{s:s,s:{s:s}}", "decision", "c1",
		  "reason", "en", "No.");
	EXPECT_OK(e, "KEN", "consensus.withdraw_objection", "{s:s}", "decision", "c1");
	EXPECT_OK(e, "CHN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "c1",
		  "when", "before", "text", "en", "Yes.");
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", "c1");
	open_question(e, "a1", "consensus", "admit", "DEU", eng_vkey(e, "DEU"));
	EXPECT_OK(e, "BRA", "vote.request", "{s:s}", "decision", "a1");
	EXPECT_OK(e, "BRA", "vote.cast", "{s:s,s:s}", "decision", "a1", "vote", "yes");
	EXPECT_OK(e, "FJI", "vote.cast", "{s:s,s:s}", "decision", "a1", "vote", "no");
	EXPECT_OK(e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "a1", "vote", "yes");
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", "a1");
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s},s:I}", "id", "s1",
		  "procedure", "silence", "subject", "kind", "suspend", "member",
		  "KEN", "deadline_ms", (json_int_t)deadline);
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "s2",
		  "procedure", "silence", "document", "d1", "revision", 1,
		  "deadline_ms", (json_int_t)deadline);
	EXPECT_OK(e, "CHN", "silence.break", "{s:s,s:{s:s}}", "decision", "s2",
		  "reason", "en", "Wait.");
	e->now = deadline;
	EXPECT_OK(e, "secretariat", "credentials.record", "{s:s,s:s}", "member", "FRA",
		  "text", "Credentials");
	assert_string_equal(eng_get_str(e, "members", "KEN", "status", NULL), "suspended");
}


static void allocation_failures(void **state)
{
	(void)state;
	eng e;
	fault_scenario(&e);
	for (size_t i = 2; i < e.nleaves; i++) {
		(void)eng_fault_loop(&e, i);
	}
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_rules),
		cmocka_unit_test(open_one_per_question),
		cmocka_unit_test(open_procedures_and_deadlines),
		cmocka_unit_test(consensus_positions),
		cmocka_unit_test(consensus_close_over_objection),
		cmocka_unit_test(consensus_adopted_with_reservations),
		cmocka_unit_test(vote_on_request),
		cmocka_unit_test(vote_arithmetic),
		cmocka_unit_test(silence_broken),
		cmocka_unit_test(silence_passed),
		cmocka_unit_test(membership_questions),
		cmocka_unit_test(suspended_positions_do_not_count),
		cmocka_unit_test(restore_keys_by_silence),
		cmocka_unit_test(refused_leaf_at_deadline_changes_nothing),
		cmocka_unit_test(stakeholders_never_decide),
		cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
