/*
 * The sessions scenario of issue 7: an organisational and a substantive
 * session, each with its agenda adopted as its first decision; statements
 * by 24 members in the six languages, a right of reply, a stakeholder
 * segment, a recorded vote whose quorum counts the registered members; and
 * the capacity-building board with needs, offers, pledges, acceptance,
 * progress and completion. The state reached live and by replaying the
 * accepted leaves (checking and trusting signatures) has the same digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "session_support.h"

#define NMEMBERS 24

static const char *const codes[NMEMBERS] = {
	"ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "EGY", "FJI", "FRA", "GBR",
	"IDN", "IND", "JPN", "KEN", "MEX", "NGA", "NOR", "PAK", "RUS", "SAU",
	"SEN", "SGP", "USA", "ZAF",
};

static const char *const langs[] = {"en", "fr", "es", "ru", "zh", "ar"};
static const char *const texts[] = {
	"We support the programme of work.",
	"Nous appuyons le programme de travail.",
	"Apoyamos el programa de trabajo.",
	"Мы поддерживаем программу работы.",
	"我们支持工作方案。",
	"نؤيد برنامج العمل.",
};

/* Every member delivers one statement under item, in one of the six
 * languages in turn; the first registered members orally (some of them in
 * writing), the others in writing. */
static void everyone_speaks(eng *e, const char *session, const char *item,
			    size_t registered)
{
	for (size_t i = 0; i < NMEMBERS; i++) {
		char id[64];
		snprintf(id, sizeof id, "%s-%s-%s", session, item, codes[i]);
		EXPECT_OK(e, codes[i], "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s}}",
			  "id", id, "session", session, "item", item, "mode",
			  i % 5 == 4 || i >= registered ? "written" : "oral", "text", langs[i % 6],
			  texts[i % 6]);
		e->now += 60 * 1000;
	}
}

static void organisational_session(eng *e)
{
	assert_int_equal(ses_schedule(e, "org1"), PNYX_RULE_OK);
	ses_open(e, "org1", codes, NMEMBERS);
	ses_adopt_agenda(e, "org1");
	everyone_speaks(e, "org1", "2", NMEMBERS);
	EXPECT_OK(e, "chair.1", "session.close", "{s:s}", "session", "org1");
	e->now += 24 * SES_HOUR_MS;
}

static void substantive_session(eng *e)
{
	assert_int_equal(ses_schedule(e, "sub1"), PNYX_RULE_OK);
	ses_open(e, "sub1", codes, 20); /* 4 delegations do not attend */
	ses_adopt_agenda(e, "sub1");
	everyone_speaks(e, "sub1", "5", 20);
	EXPECT_OK(e, "RUS", "statement.deliver", "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}", "id",
		  "sub1-rus-reply", "session", "sub1", "item", "5", "mode", "oral",
		  "reply_to", "sub1-5-USA", "text", "ru",
		  "Мы хотели бы воспользоваться правом на ответ.");
	EXPECT_OK(e, "chair.1", "segment.open", "{s:s,s:s}", "session", "sub1", "item",
		  "5");
	EXPECT_OK(e, "sh.ngo", "statement.deliver", "{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s}}",
		  "id", "sub1-ngo", "session", "sub1", "item", "5", "mode", "oral",
		  "attachment",
		  "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		  "text", "en", "Civil society asks for a fund.", "fr",
		  "La société civile demande un fonds.");
	EXPECT_OK(e, "chair.1", "segment.close", "{s:s}", "session", "sub1");
	/* a recorded vote in the session: 20 registered, quorum 10 */
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:s}", "id",
		  "sub1-report", "procedure", "vote", "document", "report", "revision",
		  1, "session", "sub1");
	for (size_t i = 0; i < 11; i++)
		EXPECT_OK(e, codes[i], "vote.cast", "{s:s,s:s}", "decision",
			  "sub1-report", "vote", i < 8 ? "yes" : "no");
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", "sub1-report");
	EXPECT_OK(e, "chair.1", "session.close", "{s:s}", "session", "sub1");
}

static void board(eng *e)
{
	const char *post = "{s:s,s:s,s:{s:s},s:{s:s},s:[s,s]}";
	EXPECT_OK(e, "FJI", "need.post", post, "id", "fji-cert", "area", "cert-maturity",
		  "title", "en", "A national CERT", "description", "en",
		  "Procedures, tooling, training.", "languages", "en", "fr");
	EXPECT_OK(e, "SEN", "need.post", post, "id", "sen-law", "area", "legislation",
		  "title", "fr", "Loi sur la cybercriminalité", "description", "fr",
		  "Appui à la rédaction.", "languages", "fr", "en");
	EXPECT_OK(e, "FRA", "offer.post", post, "id", "fra-cert", "area",
		  "cert-maturity", "title", "fr", "Mentorat CERT", "description", "fr",
		  "Deux experts.", "languages", "fr", "en");
	EXPECT_OK(e, "sh.ngo", "offer.post", post, "id", "ngo-law", "area",
		  "legislation", "title", "en", "Model laws", "description", "en",
		  "Comparative study.", "languages", "en", "es");
	EXPECT_OK(e, "FRA", "pledge.make", "{s:s,s:s,s:s}", "id", "p1", "offer",
		  "fra-cert", "need", "fji-cert");
	EXPECT_OK(e, "sh.ngo", "pledge.make", "{s:s,s:s,s:s}", "id", "p2", "offer",
		  "ngo-law", "need", "sen-law");
	EXPECT_OK(e, "FJI", "pledge.accept", "{s:s}", "pledge", "p1");
	EXPECT_OK(e, "SEN", "pledge.accept", "{s:s}", "pledge", "p2");
	EXPECT_OK(e, "FRA", "pledge.progress", "{s:s,s:{s:s}}", "pledge", "p1", "note",
		  "en", "Team on site.");
	EXPECT_OK(e, "FJI", "pledge.complete", "{s:s}", "pledge", "p1");
	assert_string_equal(eng_get_str(e, "board", "needs", "fji-cert", "status", NULL),
			    "completed");
	assert_string_equal(eng_get_str(e, "board", "needs", "sen-law", "status", NULL),
			    "in-progress");
}

static void two_sessions_and_the_board(void **state)
{
	(void)state;
	eng e;
	eng_init(&e, "oewg");
	eng_genesis(&e, codes, NMEMBERS, NULL);
	e.now += 1000;
	EXPECT_OK(&e, "chair.1", "document.create", "{s:s,s:{s:s},s:[{s:s,s:{s:s}}]}",
		  "id", "report", "title", "en", "Progress report", "paragraphs", "id",
		  "p1", "text", "en", "The Group met twice.");
	ses_accredit(&e, "sh.ngo");
	organisational_session(&e);
	substantive_session(&e);
	board(&e);

	const json_t *items = eng_get(&e, "sessions", "sub1", "agenda", NULL);
	items = json_object_get(items, "items");
	assert_int_equal(json_array_size(json_object_get(json_array_get(items, 2),
							 "statements")), NMEMBERS + 2);
	assert_int_equal(json_object_size(eng_get(&e, "statements", NULL)),
			 2 * NMEMBERS + 2);
	assert_int_equal(json_object_size(eng_get(&e, "sessions", "sub1", "participants",
						  NULL)), 20);
	const json_t *tally = eng_get(&e, "decisions", "sub1-report", "tally", NULL);
	assert_int_equal(json_integer_value(json_object_get(tally, "quorum_required")), 10);
	assert_int_equal(json_array_size(json_object_get(tally, "yes")), 8);
	assert_string_equal(eng_get_str(&e, "decisions", "sub1-report", "status", NULL),
			    "adopted");
	assert_string_equal(eng_get_str(&e, "statements", "sub1-rus-reply", "reply_to",
					NULL), "sub1-5-USA");
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_sessions_and_the_board),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
