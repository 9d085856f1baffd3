/* Helpers for the sessions and board tests: see session_support.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>

#include "session_support.h"

pnyx_rule ses_schedule(eng *e, const char *id)
{
	return eng_act(e, "secretariat", "session.schedule",
		       "{s:s,s:s,s:{s:s,s:s},s:I,s:I,s:s,s:b,s:[{s:s,s:{s:s}},"
		       "{s:s,s:{s:s}},{s:s,s:{s:s}}]}",
		       "id", id, "kind", "substantive", "title", "en",
		       "Substantive session", "fr", "Session de fond", "start_ms",
		       (json_int_t)e->now, "end_ms", (json_int_t)(e->now + 120 * SES_HOUR_MS),
		       "venue", "Conference Room 4", "online", 1, "agenda", "id", "1",
		       "title", "en", "Opening", "id", "2", "title", "en",
		       "General exchange of views", "id", "5", "title", "en",
		       "Capacity building");
}

void ses_open(eng *e, const char *id, const char *const *members, size_t n)
{
	EXPECT_OK(e, "chair.1", "session.open", "{s:s}", "session", id);
	for (size_t i = 0; i < n; i++)
		EXPECT_OK(e, members[i], "session.register", "{s:s}", "session", id);
	e->now += 1000;
}

void ses_adopt_agenda(eng *e, const char *id)
{
	char d[80];
	snprintf(d, sizeof d, "%s-agenda", id);
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id", d,
		  "procedure", "consensus", "subject", "kind", "agenda", "session", id);
	e->now += 1000;
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", d);
	e->now += 1000;
	assert_string_equal(eng_get_str(e, "sessions", id, "agenda", "status", NULL),
			    "adopted");
}

void ses_accredit(eng *e, const char *sh)
{
	EXPECT_OK(e, sh, "stakeholder.apply", "{s:s,s:s,s:s}", "key", eng_vkey(e, sh),
		  "name", "Cyber Peace Network", "category", "ngo");
	e->now += 336 * SES_HOUR_MS + 1000;
}

pnyx_rule ses_say(eng *e, const char *actor, const char *id, const char *session,
		  const char *item, const char *mode, const char *text)
{
	return eng_act(e, actor, "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s}}",
		       "id", id, "session", session, "item", item, "mode", mode, "text",
		       "en", text);
}
