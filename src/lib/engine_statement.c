/*
 * Statements: a member (or, in the stakeholder segment only, an accredited
 * stakeholder) delivers a statement under an item of an open session's
 * adopted agenda, orally or in writing, in one or more of the forum's
 * languages, with an optional attachment named by its SHA-256 digest. A
 * right of reply names the statement it answers. docs/actions/sessions.md
 * describes the action.
 *
 * Section "statements" (created by the first statement):
 *   statement id -> {session, item, by, as ("member" or "stakeholder"),
 *   mode ("oral" or "written"), text, attachment (or null), reply_to (or
 *   null), replies [ids], ms, leaf}
 * Each statement's id is also appended to its agenda item's "statements"
 * in the section "sessions" (engine_session.c): adding one costs the same
 * however many there are.
 */
#include "engine_session.h"

#include <string.h>

#define STATEMENT_TEXT_MAX 16000 /* bytes of a statement, per language */
#define ATTACHMENT_LEN 71        /* "sha256:" and 64 hexadecimal digits */

static json_t *statement(const pnyx_state *st, const char *id)
{
	return json_object_get(engine_section(st, "statements"), id);
}

/* "sha256:" and 64 lowercase hexadecimal digits. */
static bool is_digest(const char *s)
{
	if (strlen(s) != ATTACHMENT_LEN || strncmp(s, "sha256:", 7) != 0)
		return false;
	for (size_t i = 7; i < ATTACHMENT_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The session is open, its agenda adopted, and the item on it. */
static pnyx_rule check_place(const pnyx_state *st, const engine_ctx *c,
			     const json_t **session, pnyx_verdict *v)
{
	const char *id = engine_str(c, "session");
	const char *item = engine_str(c, "item");
	*session = engine_session(st, id);
	if (*session == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no session %s",
				   ses_quote(id));
	if (!ses_str_is(*session, "status", "open"))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "session %s is not open: statements are delivered "
				   "in an open session", id);
	if (!engine_session_agenda_adopted(*session))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "the agenda of session %s is not adopted yet", id);
	if (engine_session_item(*session, item) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "the agenda of session %s has no item %s", id,
				   ses_quote(item));
	return PNYX_RULE_OK;
}

/* Who may speak: an accredited stakeholder only in the stakeholder segment
 * on this item; a member delivering orally only once registered. */
static pnyx_rule check_speaker(const pnyx_state *st, const engine_ctx *c,
			       const json_t *session, pnyx_verdict *v)
{
	const char *id = engine_str(c, "session");
	if (c->kind == ACTOR_STAKEHOLDER) {
		const char *seg = engine_session_segment(session);
		pnyx_rule r = engine_check_accredited(st, c, v);
		if (r != PNYX_RULE_OK)
			return r;
		if (seg == NULL || strcmp(seg, engine_str(c, "item")) != 0)
			return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
					   "stakeholders deliver statements only in the "
					   "stakeholder segment, on its agenda item");
		return PNYX_RULE_OK;
	}
	if (strcmp(engine_str(c, "mode"), "oral") == 0 &&
	    !engine_session_is_registered(st, id, c->a->actor))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s has not registered for session %s: a delegation "
				   "takes the floor once registered", c->a->actor, id);
	return PNYX_RULE_OK;
}

/* A right of reply: by a member, to another's statement under the same
 * item of the same session. */
static pnyx_rule check_reply(const pnyx_state *st, const engine_ctx *c,
			     pnyx_verdict *v)
{
	const char *to = engine_str(c, "reply_to");
	if (to == NULL)
		return PNYX_RULE_OK;
	if (c->kind != ACTOR_MEMBER)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "only members exercise a right of reply");
	const json_t *s = statement(st, to);
	if (s == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no statement %s",
				   ses_quote(to));
	if (!ses_str_is(s, "session", engine_str(c, "session")) ||
	    !ses_str_is(s, "item", engine_str(c, "item")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a reply is delivered under the same session and "
				   "agenda item as statement %s", to);
	if (ses_str_is(s, "by", c->a->actor))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a member does not reply to its own statement");
	return PNYX_RULE_OK;
}

static pnyx_rule deliver_check(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	const char *mode = engine_str(c, "mode");
	const char *att = engine_str(c, "attachment");
	const json_t *session = NULL;
	pnyx_rule r = ses_check_new_id(id, statement(st, id) != NULL, "statement", v);
	if (r != PNYX_RULE_OK)
		return r;
	if (strcmp(mode, "oral") != 0 && strcmp(mode, "written") != 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD, "\"mode\" is oral or written");
	r = check_place(st, c, &session, v);
	if (r == PNYX_RULE_OK)
		r = check_speaker(st, c, session, v);
	if (r == PNYX_RULE_OK)
		r = check_reply(st, c, v);
	if (r == PNYX_RULE_OK && att != NULL && !is_digest(att))
		r = engine_fail(v, PNYX_RULE_INVALID_FIELD,
				"\"attachment\" is \"sha256:\" and 64 lowercase "
				"hexadecimal digits");
	if (r == PNYX_RULE_OK)
		r = engine_check_texts(st, engine_field(c, "text"), "text",
				       STATEMENT_TEXT_MAX, v);
	return r;
}

static json_t *record_of(const engine_ctx *c)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:s?,s:s?,s:[],s:I,s:I}",
			 "session", engine_str(c, "session"), "item",
			 engine_str(c, "item"), "by", c->a->actor, "as",
			 c->kind == ACTOR_MEMBER ? "member" : "stakeholder", "mode",
			 engine_str(c, "mode"), "text", engine_field(c, "text"),
			 "attachment", engine_str(c, "attachment"), "reply_to",
			 engine_str(c, "reply_to"), "replies", "ms",
			 (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
}

static pnyx_rule deliver_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	const char *to = engine_str(c, "reply_to");
	json_t *sec = ses_section(st, "statements");
	json_t *rec = record_of(c);
	if (sec == NULL || rec == NULL) {
		json_decref(rec);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_set(sec, id, rec) != PNYX_RULE_OK ||
	    engine_session_add_statement(st, engine_str(c, "session"),
					 engine_str(c, "item"), id) != PNYX_RULE_OK ||
	    (to != NULL && engine_push(json_object_get(statement(st, to), "replies"),
				       json_string(id)) != PNYX_RULE_OK))
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

static const field_spec deliver_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"session", JSON_STRING, true, PNYX_ID_MAX},
	{"item", JSON_STRING, true, PNYX_ID_MAX},
	{"mode", JSON_STRING, true, 16},
	{"text", JSON_OBJECT, true, 0},
	{"attachment", JSON_STRING, false, ATTACHMENT_LEN},
	{"reply_to", JSON_STRING, false, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};

const action_spec engine_statement_actions[] = {
	{"statement.deliver", ACTOR_MEMBER | ACTOR_STAKEHOLDER, deliver_fields,
	 deliver_check, deliver_exec},
	{NULL, 0, NULL, NULL, NULL},
};
