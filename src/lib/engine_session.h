/*
 * engine_session.h — what the sessions module (engine_session.c) offers
 * the statements module (engine_statement.c) and the decisions module
 * (engine_decision*.c): sessions, their agenda and who registered for
 * them. Only src/lib/engine*.c include it. docs/actions/sessions.md
 * describes the actions and the sections "sessions" and "statements".
 *
 * Section "sessions" (created by the first session.schedule):
 *   session id -> {kind, title, start_ms, end_ms, venue, online, status
 *   ("scheduled", "open", "closed"), agenda {status ("provisional",
 *   "adopted"), decision, adopted_ms, items [{id, title, statements [ids]}]},
 *   participants {member -> {ms, leaf}}, segments [{item, opened_ms,
 *   opened_leaf, closed_ms, closed_leaf}], scheduled_by, scheduled_ms,
 *   scheduled_leaf, opened_ms, opened_leaf, closed_ms, closed_leaf}
 */
#ifndef PNYX_ENGINE_SESSION_H
#define PNYX_ENGINE_SESSION_H

#include "engine_internal.h"

#define SESSION_TITLE_MAX 1000 /* bytes of a title, per language */
#define SESSION_AGENDA_MAX 100 /* items of an agenda */

/* A string member of obj (NULL if absent or not a string). */
const char *ses_str(const json_t *obj, const char *key);

/* True if obj[key] is the string want. */
bool ses_str_is(const json_t *obj, const char *key, const char *want);

/* True if s is not NULL and a valid id (pnyx_id_is_valid). */
bool ses_is_id(const char *s);

/* s if it is a valid id (safe to quote in a verdict), else a placeholder. */
const char *ses_quote(const char *s);

/* INVALID_FIELD unless id is a valid id; EXISTS (naming the object as
 * what) if exists. */
pnyx_rule ses_check_new_id(const char *id, bool exists, const char *what,
			   pnyx_verdict *v);

/* The section key, created empty if absent (exec only: not under settle).
 * NULL if memory is short. */
json_t *ses_section(pnyx_state *st, const char *key);

/* The session (NULL if none); borrowed from the state. */
json_t *engine_session(const pnyx_state *st, const char *id);

/* The item of the session's agenda with this id (NULL if none). */
json_t *engine_session_item(const json_t *session, const char *item);

/* True if the session's agenda was adopted. */
bool engine_session_agenda_adopted(const json_t *session);

/* The item of the stakeholder segment now open in the session, or NULL. */
const char *engine_session_segment(const json_t *session);

/* True if member registered for the session. */
bool engine_session_is_registered(const pnyx_state *st, const char *session,
				  const char *member);

/* Number of active members registered for the session. */
size_t engine_session_registered_count(const pnyx_state *st,
				       const char *session);

/* Checks an agenda question put to a decision (subject {"kind": "agenda",
 * "session": id}): the session exists and is open, its agenda is not yet
 * adopted. */
pnyx_rule engine_session_check_agenda(const pnyx_state *st,
				      const json_t *subject, pnyx_verdict *v);

/* Checks the "session" of a decision.open that is not its agenda: the
 * session exists, is open and its agenda was adopted (the agenda is the
 * session's first decision). */
pnyx_rule engine_session_check_decision(const pnyx_state *st,
					const char *session, pnyx_verdict *v);

/* Carries out an adopted agenda (decision id, at time t): the session's
 * agenda becomes "adopted". Records changes for the undo log (it may run
 * under settle). NOMEM only. */
pnyx_rule engine_session_adopt_agenda(pnyx_state *st, const json_t *subject,
				      const char *decision, uint64_t t,
				      pnyx_verdict *v);

/* Appends the statement id to its agenda item's list (exec of
 * statement.deliver). NOMEM only. */
pnyx_rule engine_session_add_statement(pnyx_state *st, const char *session,
				       const char *item, const char *id);

#endif
