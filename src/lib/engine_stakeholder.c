/*
 * Stakeholders: companies, NGOs, academia, the technical community,
 * international organisations and individuals apply for accreditation with
 * their own key. As in the UN working group's modalities, an organisation
 * on a list the secretariat keeps (forum.consultative_list and the names
 * added by stakeholder.list_add) is accredited on notification; every other
 * applicant is accredited when the objection window ends unless a member's
 * objection stands then. Objections (and their withdrawals) name the
 * member, carry its general reasons if it gives them, and stay on the
 * record. docs/actions/stakeholders.md describes the actions and the state.
 *
 * Section "stakeholders":
 *   "list":         [{"name", "added_ms", "leaf"}]   the secretariat's list
 *   "applications": {id: record}                     one per stakeholder
 *   "pending":      [id]                             windows still open
 */
#include "engine_internal.h"

#include "pnyx/key.h"

#include <stdint.h>
#include <string.h>

#define NAME_MAX_BYTES 300
#define TEXT_MAX 4000
#define URL_MAX 300
#define LIST_ADD_MAX 1000

static const char *const categories[] = {
	"company", "ngo", "academia", "technical-community",
	"international-organisation", "individual"};

/* ---- reading the section ---- */

static json_t *section_get(const pnyx_state *st, const char *key)
{
	return json_object_get(engine_section(st, "stakeholders"), key);
}

static json_t *application(const pnyx_state *st, const char *id)
{
	return json_object_get(section_get(st, "applications"), id);
}

/* The section's member key, created empty (object or array) if absent. */
static json_t *section_make(pnyx_state *st, const char *key, bool array)
{
	json_t *sec = engine_section(st, "stakeholders");
	json_t *x = json_object_get(sec, key);
	if (x != NULL)
		return x;
	if (engine_set(sec, key, array ? json_array() : json_object()) != PNYX_RULE_OK)
		return NULL;
	return json_object_get(sec, key);
}

static const char *str_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool str_is(const json_t *obj, const char *key, const char *want)
{
	const char *s = str_of(obj, key);
	return s != NULL && strcmp(s, want) == 0;
}

static json_int_t int_of(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* True if the name is on forum.consultative_list or the secretariat's list. */
static bool on_list(const pnyx_state *st, const char *name)
{
	size_t i;
	const json_t *x;
	const json_t *forum = engine_section(st, "forum");
	json_array_foreach(json_object_get(forum, "consultative_list"), i, x)
		if (strcmp(json_string_value(x), name) == 0)
			return true;
	json_array_foreach(section_get(st, "list"), i, x)
		if (str_is(x, "name", name))
			return true;
	return false;
}

/* The member's standing (not withdrawn) objection to an application. */
static json_t *standing_objection(const json_t *app, const char *member)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(app, "objections"), i, o)
		if (str_is(o, "member", member) &&
		    json_is_null(json_object_get(o, "withdrawn_ms")))
			return o;
	return NULL;
}

static bool has_standing_objection(const json_t *app)
{
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(app, "objections"), i, o)
		if (json_is_null(json_object_get(o, "withdrawn_ms")))
			return true;
	return false;
}

bool engine_stakeholder_is_accredited(const pnyx_state *st, const char *id,
				      uint64_t time_ms)
{
	const json_t *app = application(st, id);
	if (str_is(app, "status", "accredited"))
		return true;
	if (!str_is(app, "status", "pending"))
		return false;
	return (uint64_t)int_of(app, "window_end_ms") <= time_ms &&
	       !has_standing_objection(app);
}

/* ---- stakeholder.apply ---- */

static bool has_control_byte(const char *s)
{
	for (; *s != 0; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool is_country_code(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	       s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/* An http(s) address with a host and no spaces or control bytes. */
static bool is_website(const char *s)
{
	size_t skip = strncmp(s, "https://", 8) == 0 ? 8
		      : strncmp(s, "http://", 7) == 0 ? 7 : 0;
	if (skip == 0 || s[skip] == 0 || s[skip] == '/')
		return false;
	for (const char *p = s; *p != 0; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool in_categories(const char *s)
{
	for (size_t i = 0; i < sizeof categories / sizeof *categories; i++)
		if (strcmp(s, categories[i]) == 0)
			return true;
	return false;
}

/* Another pending or accredited applicant already uses this name. */
static bool name_taken(const pnyx_state *st, const char *name)
{
	const char *id;
	const json_t *app;
	json_object_foreach(section_get(st, "applications"), id, app)
		if (str_is(app, "name", name) && !str_is(app, "status", "not-accredited"))
			return true;
	return false;
}

static pnyx_rule check_profile(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	const char *name = engine_str(c, "name");
	const char *country = engine_str(c, "country");
	const char *web = engine_str(c, "website");
	if (has_control_byte(name) || name[0] == ' ' || name[strlen(name) - 1] == ' ')
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"name\" has control characters or surrounding spaces");
	if (!in_categories(engine_str(c, "category")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"category\" is one of company, ngo, academia, "
				   "technical-community, international-organisation, "
				   "individual");
	if (country != NULL && !is_country_code(country))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"country\" is an ISO 3166-1 alpha-3 code");
	if (web != NULL && !is_website(web))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"website\" is an http:// or https:// address");
	if (engine_field(c, "description") != NULL)
		return engine_check_texts(st, engine_field(c, "description"),
					  "description", TEXT_MAX, v);
	return PNYX_RULE_OK;
}

static pnyx_rule apply_check(const pnyx_state *st, const engine_ctx *c,
			     pnyx_verdict *v)
{
	const char *id = c->a->actor;
	const char *key = engine_str(c, "key");
	pnyx_verifier vk;
	if (strncmp(id, "sh.", 3) != 0 || id[3] == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a stakeholder's id starts with \"sh.\"");
	if (pnyx_verifier_parse((const uint8_t *)key, strlen(key), &vk, NULL) != PNYX_OK)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"key\" must be a verifier key");
	pnyx_rule r = check_profile(st, c, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (name_taken(st, engine_str(c, "name")))
		return engine_fail(v, PNYX_RULE_EXISTS,
				   "another applicant, pending or accredited, uses "
				   "this name");
	return PNYX_RULE_OK;
}

/* Copies the optional profile fields that the action gives. */
static pnyx_rule copy_optional(json_t *rec, const engine_ctx *c)
{
	static const char *const optional[] = {"country", "website", "description"};
	for (size_t i = 0; i < sizeof optional / sizeof *optional; i++) {
		json_t *x = engine_field(c, optional[i]);
		if (x != NULL && engine_set(rec, optional[i], json_deep_copy(x)) != PNYX_RULE_OK)
			return PNYX_RULE_NOMEM;
	}
	return PNYX_RULE_OK;
}

/* The end of the objection window for an application at t (saturated). */
static json_int_t window_end(const pnyx_state *st, uint64_t t)
{
	json_int_t hours = int_of(engine_rules(st), "objection_window_hours");
	json_int_t w = hours * (json_int_t)MS_PER_HOUR;
	if (t > (uint64_t)(INT64_MAX - w))
		return INT64_MAX;
	return (json_int_t)t + w;
}

/* Sets the basis, status and window of a new application record. */
static pnyx_rule set_basis(pnyx_state *st, json_t *rec, const char *id,
			   const engine_ctx *c)
{
	json_int_t t = (json_int_t)c->time_ms;
	bool listed = on_list(st, engine_str(c, "name"));
	json_int_t end = listed ? t : window_end(st, c->time_ms);
	bool closed = end <= t; /* on notification, or a window of 0 hours */
	if (engine_set(rec, "basis",
		       json_string(listed ? "notification" : "non-objection")) != PNYX_RULE_OK ||
	    engine_set(rec, "status", json_string(closed ? "accredited" : "pending")) !=
		    PNYX_RULE_OK ||
	    engine_set(rec, "decided_ms", closed ? json_integer(end) : json_null()) !=
		    PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (listed)
		return PNYX_RULE_OK;
	if (engine_set(rec, "window_end_ms", json_integer(end)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (closed)
		return engine_set(rec, "objected_by", json_array());
	json_t *pending = section_make(st, "pending", true);
	if (pending == NULL || engine_push(pending, json_string(id)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return engine_due_add(st, ENGINE_DUE_APPLICATION, id, (uint64_t)end);
}

static pnyx_rule apply_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	const char *id = c->a->actor;
	pnyx_rule r = engine_actor_create(st, id, "stakeholder", engine_str(c, "key"),
					  c->time_ms, v);
	if (r != PNYX_RULE_OK)
		return r;
	json_t *apps = section_make(st, "applications", false);
	json_t *rec = json_pack("{s:s,s:s,s:I,s:I,s:[]}", "name", engine_str(c, "name"),
				"category", engine_str(c, "category"), "applied_ms",
				(json_int_t)c->time_ms, "leaf", (json_int_t)c->index,
				"objections");
	if (apps == NULL) {
		json_decref(rec);
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	if (engine_set(apps, id, rec) != PNYX_RULE_OK ||
	    copy_optional(rec, c) != PNYX_RULE_OK ||
	    set_basis(st, rec, id, c) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- stakeholder.list_add ---- */

static pnyx_rule list_add_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *names = engine_field(c, "names");
	size_t i, j;
	const json_t *x, *y;
	if (json_array_size(names) == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD, "\"names\" is empty");
	json_array_foreach(names, i, x) {
		const char *s = json_string_value(x);
		if (s == NULL || s[0] == 0 || json_string_length(x) > NAME_MAX_BYTES ||
		    has_control_byte(s) || s[0] == ' ' || s[strlen(s) - 1] == ' ')
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "name %zu must be a name of 1 to %d bytes, "
					   "without control characters or surrounding "
					   "spaces", i + 1, NAME_MAX_BYTES);
		json_array_foreach(names, j, y)
			if (j < i && json_equal(x, y))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "name %zu is given twice", i + 1);
		if (on_list(st, s))
			return engine_fail(v, PNYX_RULE_EXISTS,
					   "name %zu is already on the list", i + 1);
	}
	return PNYX_RULE_OK;
}

static pnyx_rule list_add_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *list = section_make(st, "list", true);
	size_t i;
	const json_t *x;
	json_array_foreach(engine_field(c, "names"), i, x)
		if (list == NULL ||
		    engine_push(list, json_pack("{s:O,s:I,s:I}", "name", x, "added_ms",
						(json_int_t)c->time_ms, "leaf",
						(json_int_t)c->index)) != PNYX_RULE_OK)
			return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- objections ---- */

/* The application named by the action, open to objections at its time. */
static pnyx_rule check_window(const pnyx_state *st, const engine_ctx *c,
			      const json_t **app, pnyx_verdict *v)
{
	const char *id = engine_str(c, "stakeholder");
	*app = application(st, id);
	if (*app == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "no stakeholder %.64s has applied", id);
	if (str_is(*app, "basis", "notification"))
		return engine_fail(v, PNYX_RULE_WRONG_PROCEDURE,
				   "%s was accredited on notification: there is no "
				   "objection window", id);
	if (c->time_ms >= (uint64_t)int_of(*app, "window_end_ms"))
		return engine_fail(v, PNYX_RULE_DEADLINE_PASSED,
				   "the objection window for %s has ended", id);
	return PNYX_RULE_OK;
}

static pnyx_rule object_check(const pnyx_state *st, const engine_ctx *c,
			      pnyx_verdict *v)
{
	const json_t *app;
	pnyx_rule r = check_window(st, c, &app, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (standing_objection(app, c->a->actor) != NULL)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s already objects to this application", c->a->actor);
	if (engine_field(c, "reason") != NULL)
		return engine_check_texts(st, engine_field(c, "reason"), "reason",
					  TEXT_MAX, v);
	return PNYX_RULE_OK;
}

static pnyx_rule object_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *app = application(st, engine_str(c, "stakeholder"));
	json_t *o = json_pack("{s:s,s:I,s:I,s:n,s:n}", "member", c->a->actor, "ms",
			      (json_int_t)c->time_ms, "leaf", (json_int_t)c->index,
			      "withdrawn_ms", "withdrawn_leaf");
	json_t *reason = engine_field(c, "reason");
	if (o != NULL && reason != NULL &&
	    engine_set(o, "reason", json_deep_copy(reason)) != PNYX_RULE_OK) {
		json_decref(o);
		o = NULL;
	}
	if (engine_push(json_object_get(app, "objections"), o) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule withdraw_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *app;
	pnyx_rule r = check_window(st, c, &app, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (standing_objection(app, c->a->actor) == NULL)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "%s has no standing objection to this application",
				   c->a->actor);
	return PNYX_RULE_OK;
}

static pnyx_rule withdraw_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *o = standing_objection(application(st, engine_str(c, "stakeholder")),
				       c->a->actor);
	if (engine_set(o, "withdrawn_ms", json_integer((json_int_t)c->time_ms)) != PNYX_RULE_OK ||
	    engine_set(o, "withdrawn_leaf", json_integer((json_int_t)c->index)) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- settle: windows that ended ---- */

/* The members whose objections to the application stand (NULL: NOMEM). */
static json_t *objectors(const json_t *app)
{
	json_t *by = json_array();
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(app, "objections"), i, o)
		if (by != NULL && json_is_null(json_object_get(o, "withdrawn_ms")) &&
		    engine_push(by, json_copy(json_object_get(o, "member"))) != PNYX_RULE_OK) {
			json_decref(by);
			by = NULL;
		}
	return by;
}

/* Records the outcome of an application whose window has ended. */
static pnyx_rule decide(json_t *app)
{
	json_t *by = objectors(app);
	if (by == NULL)
		return PNYX_RULE_NOMEM;
	bool objected = json_array_size(by) > 0;
	if (engine_set(app, "objected_by", by) != PNYX_RULE_OK ||
	    engine_set(app, "status",
		       json_string(objected ? "not-accredited" : "accredited")) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return engine_set(app, "decided_ms", json_integer(int_of(app, "window_end_ms")));
}

bool engine_stakeholder_window_live(const pnyx_state *st, const char *id,
				    uint64_t ms)
{
	const json_t *app = application(st, id);
	return str_is(app, "status", "pending") &&
	       (uint64_t)int_of(app, "window_end_ms") == ms;
}

/* The position of id in the pending list (its length if absent). */
static size_t pending_index(const json_t *pending, const char *id)
{
	size_t i;
	const json_t *x;
	json_array_foreach(pending, i, x)
		if (strcmp(json_string_value(x), id) == 0)
			return i;
	return json_array_size(pending);
}

/* Decides one application whose window ended, through the undo log. */
static pnyx_rule settle_one(pnyx_state *st, const char *id)
{
	json_t *pending = section_get(st, "pending");
	size_t at = pending_index(pending, id);
	json_t *app;
	if (engine_own(st, section_get(st, "applications"), id, &app) != PNYX_RULE_OK ||
	    decide(app) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	if (at == json_array_size(pending))
		return PNYX_RULE_OK;
	if (engine_will_remove(st, pending, at) != PNYX_RULE_OK ||
	    json_array_remove(pending, at) != 0)
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

pnyx_rule engine_stakeholder_settle(pnyx_state *st, pnyx_verdict *v)
{
	for (size_t i = 0; i < st->due.ntaken; i++) {
		const engine_deadline *e = &st->due.taken[i];
		if (e->kind == ENGINE_DUE_APPLICATION &&
		    engine_stakeholder_window_live(st, e->id, e->ms) &&
		    settle_one(st, e->id) != PNYX_RULE_OK)
			return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	}
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

static const field_spec apply_fields[] = {
	{"key", JSON_STRING, true, 600},
	{"name", JSON_STRING, true, NAME_MAX_BYTES},
	{"category", JSON_STRING, true, 64},
	{"country", JSON_STRING, false, 3},
	{"website", JSON_STRING, false, URL_MAX},
	{"description", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec list_add_fields[] = {
	{"names", JSON_ARRAY, true, LIST_ADD_MAX},
	{NULL, 0, false, 0},
};
static const field_spec object_fields[] = {
	{"stakeholder", JSON_STRING, true, 64},
	{"reason", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec withdraw_fields[] = {
	{"stakeholder", JSON_STRING, true, 64},
	{NULL, 0, false, 0},
};

const action_spec engine_stakeholder_actions[] = {
	{"stakeholder.apply", ACTOR_NEW, apply_fields, apply_check, apply_exec},
	{"stakeholder.list_add", ACTOR_SECRETARIAT, list_add_fields, list_add_check,
	 list_add_exec},
	{"stakeholder.object", ACTOR_MEMBER, object_fields, object_check, object_exec},
	{"stakeholder.withdraw_objection", ACTOR_MEMBER, withdraw_fields,
	 withdraw_check, withdraw_exec},
	{NULL, 0, NULL, NULL, NULL},
};

pnyx_rule engine_check_accredited(const pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v)
{
	if (c->kind == ACTOR_STAKEHOLDER &&
	    !engine_stakeholder_is_accredited(st, c->a->actor, c->time_ms))
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "%s is not an accredited stakeholder", c->a->actor);
	return PNYX_RULE_OK;
}
