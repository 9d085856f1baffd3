/*
 * Sessions: the secretariat schedules substantive and organisational
 * sessions (dates, a venue or online, a provisional agenda); the chair
 * opens and closes them and holds the stakeholder segment; members register
 * their delegation for a session. The agenda is adopted as the session's
 * first decision (decision.open with the subject {"kind": "agenda"}); a
 * decision taken in a session counts the members registered for it.
 * docs/actions/sessions.md describes the actions; engine_session.h the
 * section "sessions".
 */
#include "engine_session.h"

#include <stdio.h>
#include <string.h>

static const char *const session_kinds[] = {"substantive", "organisational"};

/* ---- helpers ---- */

const char *ses_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

bool ses_str_is(const json_t *obj, const char *key, const char *want)
{
	const char *s = ses_str(obj, key);
	return s != NULL && strcmp(s, want) == 0;
}

bool ses_is_id(const char *s)
{
	return s != NULL && pnyx_id_is_valid((const uint8_t *)s, strlen(s));
}

const char *ses_quote(const char *s)
{
	return ses_is_id(s) ? s : "(not a valid id)";
}

pnyx_rule ses_check_new_id(const char *id, bool exists, const char *what,
			   pnyx_verdict *v)
{
	if (!ses_is_id(id))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"id\" must be 1 to %d of A-Z a-z 0-9 . _ - :",
				   PNYX_ID_MAX);
	if (exists)
		return engine_fail(v, PNYX_RULE_EXISTS, "%s %s already exists", what, id);
	return PNYX_RULE_OK;
}


json_t *ses_section(pnyx_state *st, const char *key)
{
	json_t *sec = engine_section(st, key);
	if (sec != NULL)
		return sec;
	if (engine_set(st->root, key, json_object()) != PNYX_RULE_OK)
		return NULL;
	return engine_section(st, key);
}

json_t *engine_session(const pnyx_state *st, const char *id)
{
	return json_object_get(engine_section(st, "sessions"), id);
}

json_t *engine_session_item(const json_t *session, const char *item)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(json_object_get(session, "agenda"), "items"),
			   i, it)
		if (ses_str_is(it, "id", item))
			return it;
	return NULL;
}

bool engine_session_agenda_adopted(const json_t *session)
{
	return ses_str_is(json_object_get(session, "agenda"), "status", "adopted");
}

const char *engine_session_segment(const json_t *session)
{
	const json_t *segs = json_object_get(session, "segments");
	size_t n = json_array_size(segs);
	const json_t *last = n > 0 ? json_array_get(segs, n - 1) : NULL;
	if (last == NULL || !json_is_null(json_object_get(last, "closed_ms")))
		return NULL;
	return ses_str(last, "item");
}

bool engine_session_is_registered(const pnyx_state *st, const char *session,
				  const char *member)
{
	const json_t *p = json_object_get(engine_session(st, session), "participants");
	return json_object_get(p, member) != NULL;
}

size_t engine_session_registered_count(const pnyx_state *st, const char *session)
{
	const char *code;
	const json_t *p;
	size_t n = 0;
	json_object_foreach(json_object_get(engine_session(st, session), "participants"),
			    code, p)
		if (engine_member_is_active(st, code))
			n++;
	return n;
}

/* The session id in *out: UNKNOWN_OBJECT if there is none, CONFLICT
 * unless its status is want (NULL: any status). */
static pnyx_rule session_in(const pnyx_state *st, const char *id,
			    const char *want, const json_t **out, pnyx_verdict *v)
{
	*out = engine_session(st, id);
	if (*out == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "there is no session %s",
				   ses_quote(id));
	if (want == NULL || ses_str_is(*out, "status", want))
		return PNYX_RULE_OK;
	return engine_fail(v, PNYX_RULE_CONFLICT, "session %s is %s, not %s",
			   ses_quote(id), ses_str(*out, "status"), want);
}

/* session_in for the session named by the action's "session" field. */
static pnyx_rule find_session(const pnyx_state *st, const engine_ctx *c,
			      const char *want, const json_t **out,
			      pnyx_verdict *v)
{
	return session_in(st, engine_str(c, "session"), want, out, v);
}

/* Sets the "<what>_ms", "<what>_leaf" (and "<what>_by" if by) members. */
static pnyx_rule stamp(json_t *obj, const char *what, const engine_ctx *c,
		       const char *by)
{
	char k[32];
	(void)snprintf(k, sizeof k, "%s_ms", what);
	if (engine_set(obj, k, json_integer((json_int_t)c->time_ms)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	(void)snprintf(k, sizeof k, "%s_leaf", what);
	if (engine_set(obj, k, json_integer((json_int_t)c->index)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	(void)snprintf(k, sizeof k, "%s_by", what);
	if (by != NULL && engine_set(obj, k, json_string(by)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

/* ---- the agenda and decisions in a session ---- */

pnyx_rule engine_session_check_agenda(const pnyx_state *st,
				      const json_t *subject, pnyx_verdict *v)
{
	const char *id = ses_str(subject, "session");
	if (json_object_size(subject) != 2 || !ses_is_id(id))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "an agenda question is {\"kind\": \"agenda\", "
				   "\"session\": id}");
	const json_t *s;
	pnyx_rule r = session_in(st, id, "open", &s, v);
	if (r == PNYX_RULE_OK && engine_session_agenda_adopted(s))
		r = engine_fail(v, PNYX_RULE_CONFLICT,
				"the agenda of session %s is already adopted", id);
	return r;
}

pnyx_rule engine_session_check_decision(const pnyx_state *st,
					const char *session, pnyx_verdict *v)
{
	const json_t *s;
	pnyx_rule r = session_in(st, session, "open", &s, v);
	if (r == PNYX_RULE_OK && !engine_session_agenda_adopted(s))
		r = engine_fail(v, PNYX_RULE_CONFLICT,
				"the agenda of session %s must be adopted first: it "
				"is the session's first decision", session);
	return r;
}

pnyx_rule engine_session_adopt_agenda(pnyx_state *st, const json_t *subject,
				      const char *decision, uint64_t t,
				      pnyx_verdict *v)
{
	json_t *s, *agenda;
	if (engine_own(st, engine_section(st, "sessions"), ses_str(subject, "session"),
		       &s) != PNYX_RULE_OK ||
	    engine_own(st, s, "agenda", &agenda) != PNYX_RULE_OK ||
	    engine_will_set(st, agenda, "status") != PNYX_RULE_OK ||
	    engine_set(agenda, "status", json_string("adopted")) != PNYX_RULE_OK ||
	    engine_will_set(st, agenda, "decision") != PNYX_RULE_OK ||
	    engine_set(agenda, "decision", json_string(decision)) != PNYX_RULE_OK ||
	    engine_will_set(st, agenda, "adopted_ms") != PNYX_RULE_OK ||
	    engine_set(agenda, "adopted_ms", json_integer((json_int_t)t)) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

pnyx_rule engine_session_add_statement(pnyx_state *st, const char *session,
				       const char *item, const char *id)
{
	json_t *it = engine_session_item(engine_session(st, session), item);
	return engine_push(json_object_get(it, "statements"), json_string(id));
}

/* True if a decision taken in the session is open (its status in the
 * state; the open ones are all in st->open_decisions). */
static bool has_open_decision(const pnyx_state *st, const char *session)
{
	const char *id;
	const json_t *x;
	json_object_foreach(st->open_decisions, id, x) {
		const json_t *d = engine_decision(st, id);
		if (ses_str_is(d, "status", "open") && ses_str_is(d, "session", session))
			return true;
	}
	return false;
}

/* ---- session.schedule ---- */

static bool is_kind(const char *s)
{
	for (size_t i = 0; i < sizeof session_kinds / sizeof *session_kinds; i++)
		if (strcmp(s, session_kinds[i]) == 0)
			return true;
	return false;
}

/* The provisional agenda: 1 to SESSION_AGENDA_MAX items {id, title}, ids
 * unique. */
static pnyx_rule check_agenda(const pnyx_state *st, const json_t *items,
			      pnyx_verdict *v)
{
	size_t i, j;
	const json_t *it;
	if (json_array_size(items) == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"agenda\" lists 1 to %d items", SESSION_AGENDA_MAX);
	json_array_foreach(items, i, it) {
		const char *id = ses_str(it, "id");
		if (!json_is_object(it) || json_object_size(it) != 2 || !ses_is_id(id) ||
		    json_object_get(it, "title") == NULL)
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "each agenda item is {\"id\", \"title\"}");
		for (j = 0; j < i; j++)
			if (ses_str_is(json_array_get(items, j), "id", id))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "agenda item %s is listed twice", id);
		pnyx_rule r = engine_check_texts(st, json_object_get(it, "title"),
						 "title", SESSION_TITLE_MAX, v);
		if (r != PNYX_RULE_OK)
			return r;
	}
	return PNYX_RULE_OK;
}

/* Dates and place: 0 <= start_ms < end_ms; a venue, online, or both. */
static pnyx_rule check_when_where(const engine_ctx *c, pnyx_verdict *v)
{
	json_int_t start = engine_int(c, "start_ms", -1);
	json_int_t end = engine_int(c, "end_ms", -1);
	if (start < 0 || end <= start)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"start_ms\" must be 0 or more and before \"end_ms\"");
	if (engine_field(c, "venue") == NULL && !json_is_true(engine_field(c, "online")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a session has a \"venue\", is \"online\", or both");
	return PNYX_RULE_OK;
}

static pnyx_rule schedule_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	pnyx_rule r = ses_check_new_id(id, engine_session(st, id) != NULL, "session", v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!is_kind(engine_str(c, "kind")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"kind\" is substantive or organisational");
	r = check_when_where(c, v);
	if (r == PNYX_RULE_OK)
		r = engine_check_texts(st, engine_field(c, "title"), "title",
				       SESSION_TITLE_MAX, v);
	if (r == PNYX_RULE_OK)
		r = check_agenda(st, engine_field(c, "agenda"), v);
	return r;
}

/* The provisional agenda as the state keeps it: each item gets an empty
 * list of statements. */
static json_t *agenda_of(const engine_ctx *c)
{
	json_t *items = json_deep_copy(engine_field(c, "agenda"));
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (engine_set(it, "statements", json_array()) != PNYX_RULE_OK) {
			json_decref(items);
			return NULL;
		}
	return json_pack("{s:s,s:n,s:n,s:o?}", "status", "provisional", "decision",
			 "adopted_ms", "items", items);
}

static pnyx_rule schedule_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *agenda = agenda_of(c);
	json_t *s = json_pack(
		"{s:s,s:O,s:O,s:O,s:O?,s:b,s:s,s:o?,s:{},s:[],s:n,s:n,s:n,s:n,s:n,s:n}",
		"kind", engine_str(c, "kind"), "title", engine_field(c, "title"),
		"start_ms", engine_field(c, "start_ms"), "end_ms", engine_field(c, "end_ms"),
		"venue", engine_field(c, "venue"), "online",
		json_is_true(engine_field(c, "online")), "status", "scheduled", "agenda",
		agenda, "participants", "segments", "opened_by", "opened_ms",
		"opened_leaf", "closed_by", "closed_ms", "closed_leaf");
	json_t *sec = ses_section(st, "sessions");
	if (s == NULL || agenda == NULL || json_object_get(s, "agenda") == NULL ||
	    stamp(s, "scheduled", c, c->a->actor) != PNYX_RULE_OK || sec == NULL) {
		json_decref(s);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_set(sec, engine_str(c, "id"), s) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- session.open and session.close ---- */

static pnyx_rule open_check(const pnyx_state *st, const engine_ctx *c,
			    pnyx_verdict *v)
{
	const json_t *s;
	return find_session(st, c, "scheduled", &s, v);
}

/* Sets the session's status and stamps the change. */
static pnyx_rule set_status(pnyx_state *st, const engine_ctx *c,
			    const char *status, const char *what, pnyx_verdict *v)
{
	json_t *s = engine_session(st, engine_str(c, "session"));
	if (engine_set(s, "status", json_string(status)) != PNYX_RULE_OK ||
	    stamp(s, what, c, c->a->actor) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule open_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	return set_status(st, c, "open", "opened", v);
}

static pnyx_rule close_check(const pnyx_state *st, const engine_ctx *c,
			     pnyx_verdict *v)
{
	const json_t *s;
	const char *id = engine_str(c, "session");
	pnyx_rule r = find_session(st, c, "open", &s, v);
	if (r == PNYX_RULE_OK && has_open_decision(st, id))
		r = engine_fail(v, PNYX_RULE_CONFLICT,
				"a decision taken in session %s is still open: close "
				"it first", id);
	return r;
}

/* Stamps the stakeholder segment open in session s closed (if one is).
 * NOMEM only. */
static pnyx_rule close_segment(json_t *s, const engine_ctx *c)
{
	json_t *segs = json_object_get(s, "segments");
	if (engine_session_segment(s) == NULL)
		return PNYX_RULE_OK;
	return stamp(json_array_get(segs, json_array_size(segs) - 1), "closed", c, NULL);
}

static pnyx_rule close_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	if (close_segment(engine_session(st, engine_str(c, "session")), c) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return set_status(st, c, "closed", "closed", v);
}

/* ---- session.register ---- */

static pnyx_rule register_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *s;
	const char *id = engine_str(c, "session");
	pnyx_rule r = find_session(st, c, NULL, &s, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (ses_str_is(s, "status", "closed"))
		return engine_fail(v, PNYX_RULE_CONFLICT, "session %s is closed", id);
	if (engine_session_is_registered(st, id, c->a->actor))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s is already registered for session %s",
				   c->a->actor, id);
	return PNYX_RULE_OK;
}

static pnyx_rule register_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *s = engine_session(st, engine_str(c, "session"));
	json_t *p = json_object();
	if (p == NULL || stamp(p, "registered", c, NULL) != PNYX_RULE_OK) {
		json_decref(p);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_set(json_object_get(s, "participants"), c->a->actor, p) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- segment.open and segment.close: the stakeholder segment ---- */

static pnyx_rule segment_open_check(const pnyx_state *st, const engine_ctx *c,
				    pnyx_verdict *v)
{
	const json_t *s;
	const char *id = engine_str(c, "session");
	pnyx_rule r = find_session(st, c, "open", &s, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (!engine_session_agenda_adopted(s))
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "the agenda of session %s is not adopted yet", id);
	if (engine_session_item(s, engine_str(c, "item")) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "the agenda of session %s has no item %s", id,
				   ses_quote(engine_str(c, "item")));
	if (engine_session_segment(s) != NULL)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "the stakeholder segment of session %s is already open",
				   id);
	return PNYX_RULE_OK;
}

static pnyx_rule segment_open_exec(pnyx_state *st, const engine_ctx *c,
				   pnyx_verdict *v)
{
	json_t *s = engine_session(st, engine_str(c, "session"));
	json_t *seg = json_pack("{s:s,s:n,s:n}", "item", engine_str(c, "item"),
				"closed_ms", "closed_leaf");
	if (seg == NULL || stamp(seg, "opened", c, NULL) != PNYX_RULE_OK) {
		json_decref(seg);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_push(json_object_get(s, "segments"), seg) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule segment_close_check(const pnyx_state *st, const engine_ctx *c,
				     pnyx_verdict *v)
{
	const json_t *s;
	pnyx_rule r = find_session(st, c, NULL, &s, v);
	if (r == PNYX_RULE_OK && engine_session_segment(s) == NULL)
		r = engine_fail(v, PNYX_RULE_CONFLICT,
				"session %s has no stakeholder segment open",
				engine_str(c, "session"));
	return r;
}

static pnyx_rule segment_close_exec(pnyx_state *st, const engine_ctx *c,
				    pnyx_verdict *v)
{
	if (close_segment(engine_session(st, engine_str(c, "session")), c) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

static const field_spec schedule_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"kind", JSON_STRING, true, 32},
	{"title", JSON_OBJECT, true, 0},
	{"start_ms", JSON_INTEGER, true, 0},
	{"end_ms", JSON_INTEGER, true, 0},
	{"venue", JSON_STRING, false, 300},
	{"online", JSON_TRUE, false, 0},
	{"agenda", JSON_ARRAY, true, SESSION_AGENDA_MAX},
	{NULL, 0, false, 0},
};
static const field_spec session_only[] = {
	{"session", JSON_STRING, true, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec segment_fields[] = {
	{"session", JSON_STRING, true, PNYX_ID_MAX},
	{"item", JSON_STRING, true, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};

const action_spec engine_session_actions[] = {
	{"session.schedule", ACTOR_SECRETARIAT, schedule_fields, schedule_check,
	 schedule_exec},
	{"session.open", ACTOR_CHAIR, session_only, open_check, open_exec},
	{"session.close", ACTOR_CHAIR, session_only, close_check, close_exec},
	{"session.register", ACTOR_MEMBER, session_only, register_check,
	 register_exec},
	{"segment.open", ACTOR_CHAIR, segment_fields, segment_open_check,
	 segment_open_exec},
	{"segment.close", ACTOR_CHAIR, session_only, segment_close_check,
	 segment_close_exec},
	{NULL, 0, NULL, NULL, NULL},
};
