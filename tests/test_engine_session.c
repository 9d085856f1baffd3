/*
 * Sessions and statements (engine_session.c, engine_statement.c, and the
 * agenda's link with the decisions): scheduling, opening and closing,
 * registration, the agenda as the session's first decision, statements
 * only under an item of an open session's adopted agenda, stakeholders only
 * in the stakeholder segment, the right of reply, and the quorum of a
 * decision taken in a session counting its registered members. Every
 * rejection is checked by the harness to leave the state digest unchanged;
 * every test ends with a replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "session_support.h"

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI",
				    "DEU", "IND", "MEX", "RUS", "ZAF"};

static void setup_forum(eng *e)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 10, NULL);
	e->now += 1000;
}

/* Document d1 (Rev.1, one paragraph), for decisions. */
static void create_d1(eng *e)
{
	EXPECT_OK(e, "chair.1", "document.create", "{s:s,s:{s:s},s:[{s:s,s:{s:s}}]}",
		  "id", "d1", "title", "en", "Report", "paragraphs", "id", "p1", "text",
		  "en", "Text.");
}

/* d1, and session s1 open with the first n members registered and its
 * agenda adopted: ready for a vote in the session. */
static void setup_vote_in_session(eng *e, size_t n)
{
	setup_forum(e);
	create_d1(e);
	assert_int_equal(ses_schedule(e, "s1"), PNYX_RULE_OK);
	ses_open(e, "s1", codes, n);
	ses_adopt_agenda(e, "s1");
}

/* Session s1 open, FRA CHN KEN registered, agenda adopted. */
static void setup_session(eng *e)
{
	setup_forum(e);
	assert_int_equal(ses_schedule(e, "s1"), PNYX_RULE_OK);
	ses_open(e, "s1", codes, 3);
	ses_adopt_agenda(e, "s1");
}

static void schedule_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s,s:{s:s}}]}", "id", "x", "kind",
		    "substantive", "title", "en", "T", "start_ms", 1, "end_ms", 2, "online",
		    1, "agenda", "id", "1", "title", "en", "Opening");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s,s:{s:s}}]}", "id", "x", "kind",
		    "plenary", "title", "en", "T", "start_ms", 1, "end_ms", 2, "online", 1,
		    "agenda", "id", "1", "title", "en", "Opening");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s,s:{s:s}}]}", "id", "x", "kind",
		    "substantive", "title", "en", "T", "start_ms", 5, "end_ms", 5, "online",
		    1, "agenda", "id", "1", "title", "en", "Opening");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s,s:{s:s}}]}", "id", "x", "kind",
		    "substantive", "title", "en", "T", "start_ms", 1, "end_ms", 2, "online",
		    0, "agenda", "id", "1", "title", "en", "Opening");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[]}", "id", "x", "kind",
		    "substantive", "title", "en", "T", "start_ms", 1, "end_ms", 2, "online",
		    1, "agenda");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s,s:{s:s}},{s:s,s:{s:s}}]}", "id",
		    "x", "kind", "substantive", "title", "en", "T", "start_ms", 1, "end_ms",
		    2, "online", 1, "agenda", "id", "1", "title", "en", "A", "id", "1",
		    "title", "en", "B");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s,s:{s:s}}]}", "id", "x", "kind",
		    "substantive", "title", "de", "T", "start_ms", 1, "end_ms", 2, "online",
		    1, "agenda", "id", "1", "title", "en", "Opening");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:b,s:[{s:s}]}", "id", "x", "kind",
		    "substantive", "title", "en", "T", "start_ms", 1, "end_ms", 2, "online",
		    1, "agenda", "id", "1");
	/* neither a venue nor online */
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:[{s:s,s:{s:s}}]}", "id", "x", "kind",
		    "substantive", "title", "en", "T", "start_ms", 1, "end_ms", 2,
		    "agenda", "id", "1", "title", "en", "Opening");
	assert_non_null(strstr(e.last.msg, "\"venue\""));
	assert_null(eng_get(&e, "sessions", NULL));
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "secretariat", "session.schedule",
		    "{s:s,s:s,s:{s:s},s:i,s:i,s:s,s:[{s:s,s:{s:s}}]}", "id", "s1", "kind",
		    "organisational", "title", "en", "T", "start_ms", 1, "end_ms", 2,
		    "venue", "Geneva", "agenda", "id", "1", "title", "en", "Opening");
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "status", NULL), "scheduled");
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "agenda", "status", NULL),
			    "provisional");
	eng_check_replay(&e);
	eng_free(&e);
}

static void open_register_close(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "session.open", "{s:s}",
		    "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "secretariat", "session.open", "{s:s}",
		    "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "chair.1", "session.open", "{s:s}",
		    "session", "s2");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "session.close", "{s:s}",
		    "session", "s1");
	/* members register before and after the opening */
	EXPECT_OK(&e, "BRA", "session.register", "{s:s}", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "BRA", "session.register", "{s:s}",
		    "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "session.register", "{s:s}",
		    "session", "s1");
	ses_open(&e, "s1", codes, 2);
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "session.open", "{s:s}",
		    "session", "s1");
	assert_non_null(eng_get(&e, "sessions", "s1", "participants", "FRA", NULL));
	assert_non_null(eng_get(&e, "sessions", "s1", "participants", "BRA", NULL));
	assert_null(eng_get(&e, "sessions", "s1", "participants", "KEN", NULL));
	/* an agenda decision left open blocks the close */
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id", "ag",
		  "procedure", "consensus", "subject", "kind", "agenda", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "session.close", "{s:s}",
		    "session", "s1");
	EXPECT_OK(&e, "CHN", "consensus.object", "{s:s}", "decision", "ag");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "ag");
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "agenda", "status", NULL),
			    "provisional");
	EXPECT_OK(&e, "chair.1", "session.close", "{s:s}", "session", "s1");
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "status", NULL), "closed");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "KEN", "session.register", "{s:s}",
		    "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "session.close", "{s:s}",
		    "session", "s1");
	eng_check_replay(&e);
	eng_free(&e);
}

/* A suspended member cannot register: the pipeline refuses it. */
static void suspended_member_cannot_register(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id", "susp",
		  "procedure", "consensus", "subject", "kind", "suspend", "member", "FJI");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "susp");
	EXPECT_RULE(&e, PNYX_RULE_SUSPENDED, "FJI", "session.register", "{s:s}",
		    "session", "s1");
	assert_null(eng_get(&e, "sessions", "s1", "participants", "FJI", NULL));
	eng_check_replay(&e);
	eng_free(&e);
}

static void agenda_first(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_d1(&e);
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	/* not before the session opens */
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s}}", "id", "ag", "procedure", "consensus",
		    "subject", "kind", "agenda", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s}}", "id", "ag", "procedure", "consensus",
		    "subject", "kind", "agenda", "session", "nope");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s,s:i}}", "id", "ag", "procedure", "consensus",
		    "subject", "kind", "agenda", "session", "s1", "x", 1);
	ses_open(&e, "s1", codes, 4);
	/* a decision in the session waits for the agenda */
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:s}", "id", "r1", "procedure", "consensus",
		    "document", "d1", "revision", 1, "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "st1", "session", "s1", "item", "1",
		    "mode", "oral", "text", "en", "Early.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:{s:s,s:s}}", "id", "ag", "procedure", "consensus",
		    "session", "s2", "subject", "kind", "agenda", "session", "s1");
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id", "ag",
		  "procedure", "consensus", "subject", "kind", "agenda", "session", "s1");
	assert_string_equal(eng_get_str(&e, "decisions", "ag", "session", NULL), "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s}}", "id", "ag2", "procedure", "consensus",
		    "subject", "kind", "agenda", "session", "s1");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "ag");
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "agenda", "decision", NULL),
			    "ag");
	assert_true(json_is_true(eng_get(&e, "decisions", "ag", "effect", "applied", NULL)));
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "decision.open",
		    "{s:s,s:s,s:{s:s,s:s}}", "id", "ag2", "procedure", "consensus",
		    "subject", "kind", "agenda", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "chair.1", "decision.open",
		    "{s:s,s:s,s:s,s:i,s:s}", "id", "r1", "procedure", "consensus",
		    "document", "d1", "revision", 1, "session", "s9");
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:s}", "id", "r1",
		  "procedure", "consensus", "document", "d1", "revision", 1, "session",
		  "s1");
	eng_check_replay(&e);
	eng_free(&e);
}

/* The agenda adopted under the silence procedure: the first leaf at or
 * after the deadline settles it in place; a refused leaf puts everything
 * back (the harness checks the digest), the next accepted one keeps it. */
static void agenda_by_silence(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	ses_open(&e, "s1", codes, 3);
	uint64_t deadline = e.now + 73 * SES_HOUR_MS;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:I,s:{s:s,s:s}}", "id", "ag",
		  "procedure", "silence", "deadline_ms", (json_int_t)deadline, "subject",
		  "kind", "agenda", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "2",
		    "mode", "oral", "text", "en", "Before the deadline.");
	e.now = deadline + 1000;
	/* refused after the deadline: the settled adoption is undone */
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "9",
		    "mode", "oral", "text", "en", "Off the agenda.");
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "agenda", "status", NULL),
			    "provisional");
	/* accepted: judged against the adopted agenda */
	assert_int_equal(ses_say(&e, "FRA", "fra-1", "s1", "2", "oral", "Now."),
			 PNYX_RULE_OK);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	assert_string_equal(eng_get_str(&e, "sessions", "s1", "agenda", "status", NULL),
			    "adopted");
	assert_int_equal(json_integer_value(eng_get(&e, "sessions", "s1", "agenda",
						    "adopted_ms", NULL)), (json_int_t)deadline);
	assert_string_equal(eng_get_str(&e, "decisions", "ag", "outcome_code", NULL),
			    "silence-passed");
	eng_check_replay(&e);
	eng_free(&e);
}

static void statement_place(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	assert_int_equal(ses_schedule(&e, "s2"), PNYX_RULE_OK);
	ses_open(&e, "s1", codes, 3);
	ses_adopt_agenda(&e, "s1");
	/* outside an open session */
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s2", "item", "1",
		    "mode", "written", "text", "en", "Scheduled only.");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s3", "item", "1",
		    "mode", "oral", "text", "en", "No session.");
	/* outside the agenda */
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "9",
		    "mode", "oral", "text", "en", "Off the agenda.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "1",
		    "mode", "sung", "text", "en", "Hm.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "1",
		    "mode", "oral", "text", "de", "Guten Tag.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item",
		    "1", "mode", "oral", "attachment", "sha256:ABC", "text", "en", "Hm.");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "1",
		    "mode", "oral", "text", "en", "The chair does not speak for a state.");
	/* oral needs registration; written does not */
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "MEX", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "x", "session", "s1", "item", "2",
		    "mode", "oral", "text", "en", "Not registered.");
	assert_int_equal(ses_say(&e, "MEX", "mex-1", "s1", "2", "written", "In writing."),
			 PNYX_RULE_OK);
	assert_int_equal(ses_say(&e, "FRA", "fra-1", "s1", "2", "oral", "We thank the Chair."),
			 PNYX_RULE_OK);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "CHN", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "fra-1", "session", "s1", "item",
		    "2", "mode", "oral", "text", "en", "Same id.");
	const json_t *list = eng_get(&e, "sessions", "s1", "agenda", NULL);
	list = json_object_get(json_array_get(json_object_get(list, "items"), 1),
			       "statements");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_array_get(list, 1)), "fra-1");
	assert_string_equal(eng_get_str(&e, "statements", "fra-1", "as", NULL), "member");
	assert_true(json_is_null(eng_get(&e, "statements", "fra-1", "reply_to", NULL)));
	EXPECT_OK(&e, "chair.1", "session.close", "{s:s}", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "late", "session", "s1", "item",
		    "2", "mode", "written", "text", "en", "Too late.");
	eng_check_replay(&e);
	eng_free(&e);
}

static void right_of_reply(void **state)
{
	(void)state;
	eng e;
	setup_session(&e);
	assert_int_equal(ses_say(&e, "FRA", "fra-1", "s1", "2", "oral", "A view."),
			 PNYX_RULE_OK);
	assert_int_equal(ses_say(&e, "FRA", "fra-2", "s1", "5", "oral", "Another view."),
			 PNYX_RULE_OK);
	const char *fmt = "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}";
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "CHN", "statement.deliver", fmt, "id",
		    "r", "session", "s1", "item", "2", "mode", "oral", "reply_to", "nope",
		    "text", "en", "Reply.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "CHN", "statement.deliver", fmt, "id",
		    "r", "session", "s1", "item", "5", "mode", "oral", "reply_to", "fra-1",
		    "text", "en", "Reply under another item.");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "statement.deliver", fmt, "id",
		    "r", "session", "s1", "item", "2", "mode", "oral", "reply_to", "fra-1",
		    "text", "en", "Replying to itself.");
	EXPECT_OK(&e, "CHN", "statement.deliver", fmt, "id", "chn-r", "session", "s1",
		  "item", "2", "mode", "oral", "reply_to", "fra-1", "text", "en",
		  "In exercise of the right of reply.");
	assert_string_equal(eng_get_str(&e, "statements", "chn-r", "reply_to", NULL),
			    "fra-1");
	const json_t *replies = eng_get(&e, "statements", "fra-1", "replies", NULL);
	assert_int_equal(json_array_size(replies), 1);
	assert_string_equal(json_string_value(json_array_get(replies, 0)), "chn-r");
	eng_check_replay(&e);
	eng_free(&e);
}

static void stakeholder_segment(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	ses_accredit(&e, "sh.ngo");
	EXPECT_OK(&e, "sh.new", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(&e, "sh.new"), "name", "New Applicant", "category", "academia");
	assert_int_equal(ses_schedule(&e, "s1"), PNYX_RULE_OK);
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "segment.open", "{s:s,s:s}",
		    "session", "s1", "item", "5");
	ses_open(&e, "s1", codes, 3);
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "segment.open", "{s:s,s:s}",
		    "session", "s1", "item", "5");
	ses_adopt_agenda(&e, "s1");
	/* outside the segment */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "ngo-1", "session", "s1", "item",
		    "5", "mode", "oral", "text", "en", "Before the segment.");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "segment.close", "{s:s}",
		    "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "chair.1", "segment.open", "{s:s,s:s}",
		    "session", "s1", "item", "7");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "segment.open", "{s:s,s:s}",
		    "session", "s1", "item", "5");
	EXPECT_OK(&e, "chair.1", "segment.open", "{s:s,s:s}", "session", "s1", "item", "5");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "segment.open", "{s:s,s:s}",
		    "session", "s1", "item", "2");
	/* in the segment, but under another item, or not accredited */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "ngo-1", "session", "s1", "item",
		    "2", "mode", "oral", "text", "en", "Wrong item.");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.new", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "new-1", "session", "s1", "item",
		    "5", "mode", "oral", "text", "en", "Not yet accredited.");
	assert_int_equal(ses_say(&e, "sh.ngo", "ngo-1", "s1", "5", "oral",
				 "Civil society welcomes the programme."),
			 PNYX_RULE_OK);
	assert_string_equal(eng_get_str(&e, "statements", "ngo-1", "as", NULL),
			    "stakeholder");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}", "id", "ngo-2", "session", "s1", "item",
		    "5", "mode", "oral", "reply_to", "ngo-1", "text", "en", "A reply.");
	/* members speak in the segment too */
	assert_int_equal(ses_say(&e, "CHN", "chn-1", "s1", "5", "oral", "We agree."),
			 PNYX_RULE_OK);
	EXPECT_OK(&e, "chair.1", "segment.close", "{s:s}", "session", "s1");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ngo", "statement.deliver",
		    "{s:s,s:s,s:s,s:s,s:{s:s}}", "id", "ngo-3", "session", "s1", "item",
		    "5", "mode", "written", "text", "en", "After the segment.");
	const json_t *seg = json_array_get(eng_get(&e, "sessions", "s1", "segments", NULL), 0);
	assert_true(json_is_integer(json_object_get(seg, "closed_ms")));
	/* closing the session closes the segment still open */
	EXPECT_OK(&e, "chair.1", "segment.open", "{s:s,s:s}", "session", "s1", "item", "2");
	seg = json_array_get(eng_get(&e, "sessions", "s1", "segments", NULL), 1);
	assert_true(json_is_null(json_object_get(seg, "closed_ms")));
	EXPECT_OK(&e, "chair.1", "session.close", "{s:s}", "session", "s1");
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	seg = json_array_get(eng_get(&e, "sessions", "s1", "segments", NULL), 1);
	assert_int_equal(json_integer_value(json_object_get(seg, "closed_ms")),
			 json_integer_value(eng_get(&e, "sessions", "s1", "closed_ms", NULL)));
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "chair.1", "segment.close", "{s:s}",
		    "session", "s1");
	eng_check_replay(&e);
	eng_free(&e);
}

/* A vote in a session: the quorum counts the members registered for it;
 * the same votes outside a session miss the quorum of all members. */
static void quorum_counts_registered(void **state)
{
	(void)state;
	eng e;
	setup_vote_in_session(&e, 4); /* FRA CHN BRA KEN of 10 */
	const char *open = "{s:s,s:s,s:s,s:i,s:s}";
	EXPECT_OK(&e, "chair.1", "decision.open", open, "id", "in", "procedure", "vote",
		  "document", "d1", "revision", 1, "session", "s1");
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "in", "vote", "yes");
	EXPECT_OK(&e, "CHN", "vote.cast", "{s:s,s:s}", "decision", "in", "vote", "no");
	EXPECT_OK(&e, "BRA", "vote.cast", "{s:s,s:s}", "decision", "in", "vote", "yes");
	EXPECT_OK(&e, "MEX", "vote.cast", "{s:s,s:s}", "decision", "in", "vote", "no");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "in");
	assert_string_equal(eng_get_str(&e, "decisions", "in", "outcome_code", NULL),
			    "majority");
	const json_t *tally = eng_get(&e, "decisions", "in", "tally", NULL);
	assert_int_equal(json_integer_value(json_object_get(tally, "registered_members")), 4);
	assert_int_equal(json_integer_value(json_object_get(tally, "quorum_required")), 2);
	assert_int_equal(json_integer_value(json_object_get(tally, "voting")), 3);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(tally, "not_counted"), 0)), "MEX");
	EXPECT_OK(&e, "chair.1", "session.close", "{s:s}", "session", "s1");
	/* outside a session, 3 of 10 members voting miss the quorum of 5 */
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", "out",
		  "procedure", "vote", "document", "d1", "revision", 1);
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "out", "vote", "yes");
	EXPECT_OK(&e, "CHN", "vote.cast", "{s:s,s:s}", "decision", "out", "vote", "no");
	EXPECT_OK(&e, "BRA", "vote.cast", "{s:s,s:s}", "decision", "out", "vote", "yes");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "out");
	assert_string_equal(eng_get_str(&e, "decisions", "out", "outcome_code", NULL),
			    "no-quorum");
	assert_null(eng_get(&e, "decisions", "out", "tally", "registered_members", NULL));
	eng_check_replay(&e);
	eng_free(&e);
}

/* A session whose registered members are too few for the quorum. */
static void quorum_missed_in_session(void **state)
{
	(void)state;
	eng e;
	setup_vote_in_session(&e, 6);
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:s}", "id", "in",
		  "procedure", "vote", "document", "d1", "revision", 1, "session", "s1");
	EXPECT_OK(&e, "FRA", "vote.cast", "{s:s,s:s}", "decision", "in", "vote", "yes");
	EXPECT_OK(&e, "CHN", "vote.cast", "{s:s,s:s}", "decision", "in", "vote", "yes");
	EXPECT_OK(&e, "chair.1", "decision.close", "{s:s}", "decision", "in");
	assert_string_equal(eng_get_str(&e, "decisions", "in", "outcome_code", NULL),
			    "no-quorum");
	assert_non_null(strstr(eng_get_str(&e, "decisions", "in", "outcome", NULL),
			       "2 of 6 registered members voted, 3 needed"));
	eng_check_replay(&e);
	eng_free(&e);
}

static void fault_loops(void **state)
{
	(void)state;
	eng e;
	setup_session(&e);
	size_t adoption = e.nleaves - 1; /* the agenda's decision.close */
	assert_int_equal(ses_say(&e, "FRA", "fra-1", "s1", "2", "oral", "A view."),
			 PNYX_RULE_OK);
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	EXPECT_OK(&e, "CHN", "statement.deliver", "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}", "id",
		  "chn-r", "session", "s1", "item", "2", "mode", "oral", "reply_to",
		  "fra-1", "text", "zh", "答复。");
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	EXPECT_OK(&e, "chair.1", "session.close", "{s:s}", "session", "s1");
	assert_true(eng_fault_loop(&e, e.nleaves - 1) > 0);
	assert_true(eng_fault_loop(&e, adoption) > 0);
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schedule_rules),
		cmocka_unit_test(open_register_close),
		cmocka_unit_test(suspended_member_cannot_register),
		cmocka_unit_test(agenda_first),
		cmocka_unit_test(agenda_by_silence),
		cmocka_unit_test(statement_place),
		cmocka_unit_test(right_of_reply),
		cmocka_unit_test(stakeholder_segment),
		cmocka_unit_test(quorum_counts_registered),
		cmocka_unit_test(quorum_missed_in_session),
		cmocka_unit_test(fault_loops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
