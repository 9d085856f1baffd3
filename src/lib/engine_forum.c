/*
 * Rules of the forum itself: its creation (genesis), every actor's keys,
 * credentials, and the membership questions that only the members decide
 * (admission, suspension, reinstatement, credentials, restoring a member's
 * keys), carried out when engine_decision.c adopts them.
 */
#include "engine_internal.h"
#include "pnyx/languages.h"

#include "pnyx/key.h"

#include <string.h>

#define TITLE_MAX 300
#define TEXT_MAX 4000
#define MEMBERS_MAX 250
#define KEYS_MAX 16

static const char *const procedures[] = {"consensus", "silence", "vote"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool is_vkey(const json_t *k)
{
	pnyx_verifier v;
	return json_is_string(k) &&
	       pnyx_verifier_parse((const uint8_t *)json_string_value(k),
				   json_string_length(k), &v, NULL) == PNYX_OK;
}

/* An ISO 3166-1 alpha-3 code: three capital letters. */
static bool is_member_code(const char *s)
{
	return s != NULL && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' &&
	       s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/* Every element a string from list, no duplicates, at least one. */
static bool is_subset(const json_t *arr, const char *const *list, size_t n)
{
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > n)
		return false;
	size_t i, j;
	const json_t *x, *y;
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x) || !in_list(json_string_value(x), list, n))
			return false;
		json_array_foreach(arr, j, y)
			if (j < i && json_equal(x, y))
				return false;
	}
	return true;
}

static bool int_in(const json_t *v, json_int_t lo, json_int_t hi)
{
	return json_is_integer(v) && json_integer_value(v) >= lo &&
	       json_integer_value(v) <= hi;
}

static pnyx_rule check_rules(const json_t *rules, pnyx_verdict *v)
{
	static const char *const keys[] = {
		"procedures", "vote_on_request", "quorum_percent",
		"silence_min_hours", "objection_window_hours", "majority",
		"important_majority"};
	const char *k;
	const json_t *x;
	json_object_foreach((json_t *)rules, k, x)
		if (!in_list(k, keys, sizeof keys / sizeof *keys))
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "the rules have no setting \"%.64s\"", k);
	if (!is_subset(json_object_get(rules, "procedures"), procedures, 3))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "rules.procedures must list some of consensus, "
				   "silence and vote, once each");
	if (!json_is_boolean(json_object_get(rules, "vote_on_request")) ||
	    !int_in(json_object_get(rules, "quorum_percent"), 0, 100) ||
	    !int_in(json_object_get(rules, "silence_min_hours"), 0, 8760) ||
	    !int_in(json_object_get(rules, "objection_window_hours"), 0, 8760))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "rules need vote_on_request (true or false), "
				   "quorum_percent (0-100), silence_min_hours and "
				   "objection_window_hours (0-8760)");
	const char *maj = json_string_value(json_object_get(rules, "majority"));
	const char *imp = json_string_value(json_object_get(rules, "important_majority"));
	if (maj == NULL || strcmp(maj, "simple") != 0 || imp == NULL ||
	    strcmp(imp, "two-thirds") != 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "rules.majority must be \"simple\" and "
				   "rules.important_majority \"two-thirds\" (of the "
				   "members present and voting)");
	return PNYX_RULE_OK;
}

/* Founding members: [{"code": "FRA", "key": vkey}, ...], codes unique. */
static pnyx_rule check_members(const json_t *members, pnyx_verdict *v)
{
	if (json_array_size(members) == 0 || json_array_size(members) > MEMBERS_MAX)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a forum has 1 to %d founding members", MEMBERS_MAX);
	size_t i, j;
	const json_t *m, *o;
	json_array_foreach(members, i, m) {
		const char *code = json_string_value(json_object_get(m, "code"));
		if (!json_is_object(m) || json_object_size(m) != 2 ||
		    !is_member_code(code) || !is_vkey(json_object_get(m, "key")))
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "founding member %zu needs exactly a \"code\" "
					   "(ISO 3166-1 alpha-3) and a verifier \"key\"", i + 1);
		json_array_foreach(members, j, o)
			if (j < i && json_equal(json_object_get(o, "code"),
						json_object_get(m, "code")))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "%s is listed twice", code);
	}
	return PNYX_RULE_OK;
}

/* Chairs: [{"id": "chair.x", "key": vkey, "name": "..."}], ids unique,
 * starting with "chair.". */
static pnyx_rule check_chairs(const json_t *chairs, pnyx_verdict *v)
{
	size_t i, j;
	const json_t *c, *o;
	json_array_foreach(chairs, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		const json_t *name = json_object_get(c, "name");
		if (!json_is_object(c) || json_object_size(c) != 3 || id == NULL ||
		    strncmp(id, "chair.", 6) != 0 ||
		    !pnyx_id_is_valid((const uint8_t *)id, strlen(id)) ||
		    !is_vkey(json_object_get(c, "key")) || !json_is_string(name) ||
		    json_string_length(name) == 0 || json_string_length(name) > TITLE_MAX)
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "chair %zu needs exactly an \"id\" starting with "
					   "\"chair.\", a verifier \"key\" and a \"name\"", i + 1);
		json_array_foreach(chairs, j, o)
			if (j < i && json_equal(json_object_get(o, "id"),
						json_object_get(c, "id")))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "chair %s is listed twice", id);
	}
	return PNYX_RULE_OK;
}

static pnyx_rule forum_create_check(const pnyx_state *st, const engine_ctx *c,
				    pnyx_verdict *v)
{
	(void)st;
	if (strcmp(c->a->actor, "secretariat") != 0)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "the forum is created by the actor \"secretariat\"");
	if (!is_subset(engine_field(c, "languages"), pnyx_un_languages,
		       PNYX_UN_LANGUAGE_COUNT))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "languages must list some of ar, en, es, fr, ru "
				   "and zh, once each");
	pnyx_rule r = check_rules(engine_field(c, "rules"), v);
	if (r == PNYX_RULE_OK)
		r = check_members(engine_field(c, "members"), v);
	if (r == PNYX_RULE_OK)
		r = check_chairs(engine_field(c, "chairs"), v);
	size_t i;
	const json_t *s;
	json_array_foreach(engine_field(c, "consultative_list"), i, s)
		if (r == PNYX_RULE_OK && (!json_is_string(s) || json_string_length(s) == 0 ||
					  json_string_length(s) > TITLE_MAX))
			r = engine_fail(v, PNYX_RULE_INVALID_FIELD,
					"consultative_list holds organisation names");
	return r;
}

pnyx_rule engine_actor_create(pnyx_state *st, const char *id, const char *kind,
			      const char *vkey, uint64_t time_ms, pnyx_verdict *v)
{
	json_t *actor = json_pack("{s:s,s:I,s:[{s:s,s:I,s:n}]}", "kind", kind,
				  "seq", (json_int_t)0, "keys", "key", vkey,
				  "added_ms", (json_int_t)time_ms, "revoked_ms");
	if (engine_set(engine_section(st, "actors"), id, actor) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule add_member(pnyx_state *st, const char *code, const char *vkey,
			    const char *event, uint64_t t, pnyx_verdict *v)
{
	json_t *m = json_pack("{s:s,s:I,s:[{s:s,s:I}],s:[]}", "status", "active",
			      "since_ms", (json_int_t)t, "history", "event", event,
			      "ms", (json_int_t)t, "credentials");
	if (engine_set(engine_section(st, "members"), code, m) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return engine_actor_create(st, code, "member", vkey, t, v);
}

static pnyx_rule create_sections(pnyx_state *st, const engine_ctx *c)
{
	static const char *const sections[] = {"actors", "members", "stakeholders",
					       "documents", "decisions", "commitments"};
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		if (engine_set(st->root, sections[i], json_object()) != PNYX_RULE_OK)
			return PNYX_RULE_NOMEM;
	json_t *list = engine_field(c, "consultative_list");
	json_t *training = engine_field(c, "training");
	json_t *forum = json_pack("{s:s,s:O,s:O,s:O,s:I,s:[],s:b}", "id", c->a->forum,
				  "title", engine_field(c, "title"), "languages",
				  engine_field(c, "languages"), "rules",
				  engine_field(c, "rules"), "created_ms",
				  (json_int_t)c->time_ms, "chairs", "training",
				  json_is_true(training));
	if (forum == NULL ||
	    engine_set(forum, "consultative_list",
		       list != NULL ? json_deep_copy(list) : json_array()) != PNYX_RULE_OK) {
		json_decref(forum);
		return PNYX_RULE_NOMEM;
	}
	return engine_set(st->root, "forum", forum);
}

static pnyx_rule forum_create_exec(pnyx_state *st, const engine_ctx *c,
				   pnyx_verdict *v)
{
	if (create_sections(st, c) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	pnyx_rule r = engine_actor_create(st, "secretariat", "secretariat",
					  engine_str(c, "secretariat_key"),
					  c->time_ms, v);
	size_t i;
	const json_t *x;
	json_t *chairs = json_object_get(engine_section(st, "forum"), "chairs");
	json_array_foreach(engine_field(c, "chairs"), i, x) {
		const char *id = json_string_value(json_object_get(x, "id"));
		if (r == PNYX_RULE_OK)
			r = engine_actor_create(st, id, "chair",
						json_string_value(json_object_get(x, "key")),
						c->time_ms, v);
		if (r == PNYX_RULE_OK)
			r = engine_set(json_object_get(engine_section(st, "actors"), id),
				       "name", json_copy(json_object_get(x, "name")));
		if (r == PNYX_RULE_OK)
			r = engine_push(chairs, json_string(id));
	}
	json_array_foreach(engine_field(c, "members"), i, x)
		if (r == PNYX_RULE_OK)
			r = add_member(st, json_string_value(json_object_get(x, "code")),
				       json_string_value(json_object_get(x, "key")),
				       "founding", c->time_ms, v);
	return r == PNYX_RULE_OK ? r : engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
}

/* ---- keys ---- */

static json_t *actor_record(const pnyx_state *st, const char *id)
{
	return json_object_get(engine_section(st, "actors"), id);
}

/* The actor's key entry whose text is key (NULL if none). */
static json_t *find_key(const pnyx_state *st, const char *actor, const char *key)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(actor_record(st, actor), "keys"), i, k)
		if (strcmp(json_string_value(json_object_get(k, "key")), key) == 0)
			return k;
	return NULL;
}

static size_t active_keys(const pnyx_state *st, const char *actor)
{
	size_t i, n = 0;
	json_t *k;
	json_array_foreach(json_object_get(actor_record(st, actor), "keys"), i, k)
		n += json_is_null(json_object_get(k, "revoked_ms"));
	return n;
}

static pnyx_rule key_add_check(const pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	if (!is_vkey(engine_field(c, "key")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"key\" must be a verifier key");
	if (find_key(st, c->a->actor, engine_str(c, "key")) != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS,
				   "this key was already registered for %s", c->a->actor);
	if (active_keys(st, c->a->actor) >= KEYS_MAX)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "%s already has %d active keys", c->a->actor, KEYS_MAX);
	return PNYX_RULE_OK;
}

static pnyx_rule key_add_exec(pnyx_state *st, const engine_ctx *c, pnyx_verdict *v)
{
	json_t *k = json_pack("{s:s,s:I,s:n}", "key", engine_str(c, "key"),
			      "added_ms", (json_int_t)c->time_ms, "revoked_ms");
	if (engine_push(json_object_get(actor_record(st, c->a->actor), "keys"), k) !=
	    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static pnyx_rule key_revoke_check(const pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v)
{
	json_t *k = find_key(st, c->a->actor, engine_str(c, "key"));
	if (k == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "%s has no such key", c->a->actor);
	if (!json_is_null(json_object_get(k, "revoked_ms")))
		return engine_fail(v, PNYX_RULE_CONFLICT, "the key is already revoked");
	return PNYX_RULE_OK;
}

static pnyx_rule key_revoke_exec(pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	json_t *k = find_key(st, c->a->actor, engine_str(c, "key"));
	if (engine_set(k, "revoked_ms", json_integer((json_int_t)c->time_ms)) !=
	    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- credentials ---- */

static pnyx_rule credentials_check(const pnyx_state *st, const engine_ctx *c,
				   pnyx_verdict *v)
{
	if (json_object_get(engine_section(st, "members"), engine_str(c, "member")) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "no member %s",
				   engine_str(c, "member"));
	return PNYX_RULE_OK;
}

static pnyx_rule credentials_exec(pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v)
{
	json_t *m = json_object_get(engine_section(st, "members"), engine_str(c, "member"));
	json_t *entry = json_pack("{s:I,s:s}", "ms", (json_int_t)c->time_ms, "text",
				  engine_str(c, "text"));
	if (engine_push(json_object_get(m, "credentials"), entry) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- membership questions decided by the members ---- */

static const char *subject_str(const json_t *subject, const char *key)
{
	return json_string_value(json_object_get(subject, key));
}

pnyx_rule engine_member_check_subject(const pnyx_state *st,
				      const json_t *subject, pnyx_verdict *v)
{
	static const char *const kinds[] = {"admit", "suspend", "reinstate",
					    "credentials", "restore-keys"};
	const char *kind = subject_str(subject, "kind");
	const char *code = subject_str(subject, "member");
	if (kind == NULL || !in_list(kind, kinds, 5) || !is_member_code(code))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a membership question needs a \"kind\" (admit, "
				   "suspend, reinstate, credentials, restore-keys) and "
				   "a \"member\" code");
	bool needs_key = strcmp(kind, "admit") == 0 || strcmp(kind, "restore-keys") == 0;
	size_t want = needs_key || strcmp(kind, "credentials") == 0 ? 3 : 2;
	if (json_object_size(subject) != want ||
	    (needs_key && !is_vkey(json_object_get(subject, "key"))) ||
	    (strcmp(kind, "credentials") == 0 &&
	     !json_is_boolean(json_object_get(subject, "accept"))))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "admit and restore-keys name the member's \"key\"; "
				   "credentials says \"accept\" true or false");
	const json_t *m = json_object_get(engine_section(st, "members"), code);
	const char *status = subject_str(m, "status");
	if (strcmp(kind, "admit") == 0)
		return m == NULL ? PNYX_RULE_OK
				 : engine_fail(v, PNYX_RULE_EXISTS, "%s is already a member", code);
	if (m == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "no member %s", code);
	if (strcmp(kind, "suspend") == 0 && strcmp(status, "active") != 0)
		return engine_fail(v, PNYX_RULE_CONFLICT, "%s is not active", code);
	if (strcmp(kind, "reinstate") == 0 && strcmp(status, "suspended") != 0)
		return engine_fail(v, PNYX_RULE_CONFLICT, "%s is not suspended", code);
	return PNYX_RULE_OK;
}

static pnyx_rule set_status(json_t *m, const char *status, const char *event,
			    uint64_t t)
{
	if (engine_set(m, "status", json_string(status)) != PNYX_RULE_OK)
		return PNYX_RULE_NOMEM;
	return engine_push(json_object_get(m, "history"),
			   json_pack("{s:s,s:I}", "event", event, "ms", (json_int_t)t));
}

/* Revokes every key of the actor at t, then registers key. */
static pnyx_rule restore_keys(pnyx_state *st, const char *code, const char *key,
			      uint64_t t)
{
	size_t i;
	json_t *k;
	json_t *keys = json_object_get(actor_record(st, code), "keys");
	json_array_foreach(keys, i, k)
		if (json_is_null(json_object_get(k, "revoked_ms")) &&
		    engine_set(k, "revoked_ms", json_integer((json_int_t)t)) != PNYX_RULE_OK)
			return PNYX_RULE_NOMEM;
	if (find_key(st, code, key) != NULL) /* an old key given again: revive */
		return engine_set(find_key(st, code, key), "revoked_ms", json_null());
	return engine_push(keys, json_pack("{s:s,s:I,s:n}", "key", key, "added_ms",
					   (json_int_t)t, "revoked_ms"));
}

pnyx_rule engine_member_apply_subject(pnyx_state *st, const json_t *subject,
				      uint64_t time_ms, pnyx_verdict *v)
{
	const char *kind = subject_str(subject, "kind");
	const char *code = subject_str(subject, "member");
	json_t *m, *actor;
	/* At a deadline, the changes go through the undo log (engine_undo.c). */
	if (engine_own(st, engine_section(st, "members"), code, &m) != PNYX_RULE_OK ||
	    engine_own(st, engine_section(st, "actors"), code, &actor) != PNYX_RULE_OK ||
	    (m == NULL && engine_will_set(st, engine_section(st, "members"), code) != PNYX_RULE_OK) ||
	    (actor == NULL && engine_will_set(st, engine_section(st, "actors"), code) != PNYX_RULE_OK))
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	pnyx_rule r;
	if (strcmp(kind, "admit") == 0)
		return add_member(st, code, subject_str(subject, "key"), "admitted",
				  time_ms, v);
	if (strcmp(kind, "suspend") == 0)
		r = set_status(m, "suspended", "suspended", time_ms);
	else if (strcmp(kind, "reinstate") == 0)
		r = set_status(m, "active", "reinstated", time_ms);
	else if (strcmp(kind, "credentials") == 0)
		r = engine_push(json_object_get(m, "history"),
				json_pack("{s:s,s:I}", "event",
					  json_is_true(json_object_get(subject, "accept"))
						  ? "credentials-accepted"
						  : "credentials-not-accepted",
					  "ms", (json_int_t)time_ms));
	else
		r = restore_keys(st, code, subject_str(subject, "key"), time_ms);
	return r == PNYX_RULE_OK ? r : engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
}

/* ---- what the other modules read ---- */

const json_t *engine_rules(const pnyx_state *st)
{
	return json_object_get(engine_section(st, "forum"), "rules");
}

bool engine_member_is_active(const pnyx_state *st, const char *code)
{
	const json_t *m = json_object_get(engine_section(st, "members"), code);
	const char *status = subject_str(m, "status");
	return status != NULL && strcmp(status, "active") == 0;
}

size_t engine_active_member_count(const pnyx_state *st)
{
	size_t n = 0;
	const char *code;
	const json_t *m;
	json_object_foreach(engine_section(st, "members"), code, m)
		n += strcmp(subject_str(m, "status"), "active") == 0;
	return n;
}

bool engine_is_officer(const pnyx_state *st, const char *actor)
{
	const char *kind = subject_str(actor_record(st, actor), "kind");
	return kind != NULL &&
	       (strcmp(kind, "secretariat") == 0 || strcmp(kind, "chair") == 0);
}

/* ---- the table ---- */

static const field_spec forum_create_fields[] = {
	{"title", JSON_STRING, true, TITLE_MAX},
	{"languages", JSON_ARRAY, true, 6},
	{"rules", JSON_OBJECT, true, 0},
	{"secretariat_key", JSON_STRING, true, 600},
	{"chairs", JSON_ARRAY, true, 16},
	{"members", JSON_ARRAY, true, MEMBERS_MAX},
	{"consultative_list", JSON_ARRAY, false, 10000},
	{"training", JSON_TRUE, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec key_fields[] = {
	{"key", JSON_STRING, true, 600},
	{NULL, 0, false, 0},
};
static const field_spec credentials_fields[] = {
	{"member", JSON_STRING, true, 3},
	{"text", JSON_STRING, true, TEXT_MAX},
	{NULL, 0, false, 0},
};

#define ANY_KNOWN (ACTOR_SECRETARIAT | ACTOR_CHAIR | ACTOR_MEMBER | ACTOR_STAKEHOLDER)

const action_spec engine_forum_actions[] = {
	{"forum.create", ACTOR_NEW, forum_create_fields, forum_create_check,
	 forum_create_exec},
	{"key.add", ANY_KNOWN, key_fields, key_add_check, key_add_exec},
	{"key.revoke", ANY_KNOWN, key_fields, key_revoke_check, key_revoke_exec},
	{"credentials.record", ACTOR_SECRETARIAT, credentials_fields,
	 credentials_check, credentials_exec},
	{NULL, 0, NULL, NULL, NULL},
};
