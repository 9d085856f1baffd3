/*
 * Helpers for the sessions, statements and board tests (on top of
 * engine_support.h): a session scheduled with a three-item agenda, opened,
 * with registered members and its agenda adopted by consensus, and an
 * accredited stakeholder.
 */
#ifndef PNYX_TEST_SESSION_SUPPORT_H
#define PNYX_TEST_SESSION_SUPPORT_H

#include "engine_support.h"

#define SES_HOUR_MS UINT64_C(3600000)

/* Schedules session id (secretariat) with agenda items "1", "2", "5";
 * returns the verdict. */
pnyx_rule ses_schedule(eng *e, const char *id);

/* Opens session id (chair) and registers the n members. Asserts. */
void ses_open(eng *e, const char *id, const char *const *members, size_t n);

/* Adopts the agenda of the open session id by consensus (decision
 * "<id>-agenda"). Asserts. */
void ses_adopt_agenda(eng *e, const char *id);

/* Has stakeholder sh apply and waits out its objection window (the
 * harness's 336 h): accredited afterwards. Asserts. */
void ses_accredit(eng *e, const char *sh);

/* statement.deliver by actor under session/item, mode, English text. */
pnyx_rule ses_say(eng *e, const char *actor, const char *id,
		  const char *session, const char *item, const char *mode,
		  const char *text);

#endif
