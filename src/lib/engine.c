/*
 * The engine's pipeline (engine_internal.h describes its steps), the state
 * container, its canonical dump and digest.
 */
#include "engine_internal.h"

#include "pnyx/json.h"
#include "pnyx/key.h"
#include "pnyx/leaf.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

#include <assert.h>
#include <string.h>

#define ENGINE_NOTE_MAX (64u * 1024u) /* an action's note, as the log entry */
#define ENGINE_MAX_KEYS 16            /* active keys per actor */

static const char *const rule_names[PNYX_RULE__COUNT] = {
	[PNYX_RULE_OK] = "ok",
	[PNYX_RULE_MALFORMED_LEAF] = "malformed-leaf",
	[PNYX_RULE_MALFORMED_NOTE] = "malformed-note",
	[PNYX_RULE_BAD_SIGNATURE] = "bad-signature",
	[PNYX_RULE_UNKNOWN_KEY] = "unknown-key",
	[PNYX_RULE_MALFORMED_ACTION] = "malformed-action",
	[PNYX_RULE_UNKNOWN_TYPE] = "unknown-action-type",
	[PNYX_RULE_NO_FORUM] = "no-forum",
	[PNYX_RULE_FORUM_EXISTS] = "forum-exists",
	[PNYX_RULE_WRONG_FORUM] = "wrong-forum",
	[PNYX_RULE_UNKNOWN_ACTOR] = "unknown-actor",
	[PNYX_RULE_SEQ_REPLAYED] = "seq-replayed",
	[PNYX_RULE_SEQ_SKIPPED] = "seq-skipped",
	[PNYX_RULE_TIME_BACKWARDS] = "time-backwards",
	[PNYX_RULE_NOT_PERMITTED] = "not-permitted",
	[PNYX_RULE_SUSPENDED] = "member-suspended",
	[PNYX_RULE_UNKNOWN_OBJECT] = "unknown-object",
	[PNYX_RULE_EXISTS] = "already-exists",
	[PNYX_RULE_INVALID_FIELD] = "invalid-field",
	[PNYX_RULE_PROCEDURE_NOT_ALLOWED] = "procedure-not-allowed",
	[PNYX_RULE_WRONG_PROCEDURE] = "wrong-procedure",
	[PNYX_RULE_DECISION_CLOSED] = "decision-closed",
	[PNYX_RULE_DEADLINE_PASSED] = "deadline-passed",
	[PNYX_RULE_TOO_EARLY] = "too-early",
	[PNYX_RULE_CONFLICT] = "conflict",
	[PNYX_RULE_NOMEM] = "out-of-memory",
};

const char *pnyx_rule_name(pnyx_rule r)
{
	if ((unsigned)r >= PNYX_RULE__COUNT)
		return "unknown";
	return rule_names[r];
}

pnyx_err pnyx_state_new(pnyx_state **out)
{
	pnyx_state *st = pnyx_calloc(1, sizeof *st);
	if (st == NULL)
		return PNYX_ERR_NOMEM;
	st->root = json_pack("{s:{s:I,s:I}}", "clock", "time_ms", (json_int_t)0,
			     "leaves", (json_int_t)0);
	st->amendment_docs = json_object();
	st->open_decisions = json_object();
	if (st->root == NULL || st->amendment_docs == NULL || st->open_decisions == NULL) {
		pnyx_state_free(st);
		return PNYX_ERR_NOMEM;
	}
	*out = st;
	return PNYX_OK;
}

void pnyx_state_free(pnyx_state *st)
{
	if (st == NULL)
		return;
	engine_undo_clear(st);
	engine_due_clear(st);
	json_decref(st->amendment_docs);
	json_decref(st->open_decisions);
	json_decref(st->root);
	pnyx_free(st);
}

static json_t *clock_field(const pnyx_state *st, const char *key)
{
	return json_object_get(json_object_get(st->root, "clock"), key);
}

const char *pnyx_state_last_actor(const pnyx_state *st)
{
	return st->last_actor;
}

uint64_t pnyx_state_leaves(const pnyx_state *st)
{
	return (uint64_t)json_integer_value(clock_field(st, "leaves"));
}

const json_t *pnyx_state_json(const pnyx_state *st)
{
	return st->root;
}

pnyx_err pnyx_state_dump(const pnyx_state *st, pnyx_buf *out)
{
	return pnyx_json_encode(st->root, out);
}

/* Feeds the canonical encoding to SHA-256 piece by piece. */
static int hash_chunk(const char *p, size_t n, void *ctx)
{
	pnyx_sha256_update(ctx, p, n);
	return 0;
}

pnyx_err pnyx_state_digest(const pnyx_state *st, pnyx_hash *out)
{
	return engine_json_digest(st->root, out);
}

pnyx_err engine_json_digest(const json_t *root, pnyx_hash *out)
{
	pnyx_sha256_ctx s;
	pnyx_sha256_start(&s);
	if (json_dump_callback(root, hash_chunk, &s,
			       JSON_COMPACT | JSON_SORT_KEYS) != 0)
		return PNYX_ERR_NOMEM;
	pnyx_sha256_final(&s, out);
	return PNYX_OK;
}

/* ---- finding the spec ---- */

static const action_spec *const *all_tables(void)
{
	static const action_spec *const tables[] = {
		engine_forum_actions, engine_document_actions,
		engine_decision_actions, engine_stakeholder_actions,
		engine_commitment_actions, engine_cooperation_actions,
		engine_session_actions, engine_statement_actions,
		engine_board_actions, NULL,
	};
	return tables;
}

static const action_spec *find_spec(const char *type)
{
	for (const action_spec *const *t = all_tables(); *t != NULL; t++)
		for (const action_spec *s = *t; s->type != NULL; s++)
			if (strcmp(s->type, type) == 0)
				return s;
	return NULL;
}

size_t pnyx_engine_type_count(void)
{
	size_t n = 0;
	for (const action_spec *const *t = all_tables(); *t != NULL; t++)
		for (const action_spec *s = *t; s->type != NULL; s++)
			n++;
	return n;
}

const char *pnyx_engine_type_name(size_t i)
{
	assert(i < pnyx_engine_type_count());
	for (const action_spec *const *t = all_tables(); *t != NULL; t++)
		for (const action_spec *s = *t; s->type != NULL; s++)
			if (i-- == 0)
				return s->type;
	return NULL;
}

static const char *json_type_name(json_type t)
{
	switch (t) {
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "a whole number";
	case JSON_ARRAY: return "a list";
	case JSON_OBJECT: return "an object";
	default: return "true or false";
	}
}

static bool has_type(const json_t *v, json_type t)
{
	if (t == JSON_TRUE)
		return json_is_boolean(v);
	return json_typeof(v) == t;
}

static bool is_envelope_key(const char *k)
{
	return strcmp(k, "forum") == 0 || strcmp(k, "actor") == 0 ||
	       strcmp(k, "seq") == 0 || strcmp(k, "type") == 0;
}

static const field_spec *find_field(const field_spec *f, const char *name)
{
	for (; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* Step 4: no unknown field, every required one, the right JSON types and
 * sizes. */
pnyx_rule engine_check_fields(const char *type, const field_spec *fields,
			      const json_t *body, pnyx_verdict *v)
{
	const char *k;
	const json_t *val;
	json_object_foreach((json_t *)body, k, val) {
		if (is_envelope_key(k))
			continue;
		const field_spec *f = find_field(fields, k);
		if (f == NULL)
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "%s has no field \"%.64s\"", type, k);
		if (!has_type(val, f->type))
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "field \"%s\" of %s must be %s", f->name,
					   type, json_type_name(f->type));
		size_t size = json_is_string(val) ? json_string_length(val)
			      : json_is_array(val) ? json_array_size(val) : 0;
		if (f->max > 0 && size > f->max)
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "field \"%s\" of %s is longer than %zu",
					   f->name, type, f->max);
		if (json_is_string(val) && size == 0)
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "field \"%s\" of %s is empty", f->name,
					   type);
	}
	for (const field_spec *f = fields; f->name != NULL; f++)
		if (f->required && json_object_get(body, f->name) == NULL)
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "%s needs the field \"%s\"", type, f->name);
	return PNYX_RULE_OK;
}

/* ---- actors, signatures, sequence numbers ---- */

static unsigned kind_of(const char *kind)
{
	if (strcmp(kind, "member") == 0)
		return ACTOR_MEMBER;
	if (strcmp(kind, "secretariat") == 0)
		return ACTOR_SECRETARIAT;
	if (strcmp(kind, "chair") == 0)
		return ACTOR_CHAIR;
	if (strcmp(kind, "log") == 0)
		return ACTOR_LOG;
	return ACTOR_STAKEHOLDER;
}

/* The keys that may sign this action: the actor's active keys, or for an
 * action that introduces its actor, the key named in its fields. */
static pnyx_rule signing_keys(const json_t *actor, const pnyx_action *a,
			      pnyx_verifier *keys, size_t *n, pnyx_verdict *v)
{
	*n = 0;
	if (actor == NULL) {
		const char *field = strcmp(a->type, "forum.create") == 0
					    ? "secretariat_key" : "key";
		const char *k = json_string_value(json_object_get(a->body, field));
		if (k == NULL || pnyx_verifier_parse((const uint8_t *)k, strlen(k),
						     &keys[0], NULL) != PNYX_OK)
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "%s needs a valid verifier key in \"%s\"",
					   a->type, field);
		*n = 1;
		return PNYX_RULE_OK;
	}
	size_t i;
	const json_t *k;
	json_array_foreach(json_object_get(actor, "keys"), i, k) {
		if (!json_is_null(json_object_get(k, "revoked_ms")))
			continue;
		const char *text = json_string_value(json_object_get(k, "key"));
		if (*n < ENGINE_MAX_KEYS &&
		    pnyx_verifier_parse((const uint8_t *)text, strlen(text),
					&keys[*n], NULL) == PNYX_OK)
			(*n)++;
	}
	return PNYX_RULE_OK;
}

pnyx_rule engine_open_note(const pnyx_verifier *keys, size_t n,
			   const pnyx_leaf *leaf, size_t max, const char *actor,
			   pnyx_verdict *v)
{
	pnyx_note note = {0};
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_note_open(leaf->note, leaf->note_len, max, keys, n,
				      &note, &diag);
	pnyx_note_clear(&note);
	switch (err) {
	case PNYX_OK: return PNYX_RULE_OK;
	case PNYX_ERR_NOMEM: return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	case PNYX_ERR_BAD_SIGNATURE:
		return engine_fail(v, PNYX_RULE_BAD_SIGNATURE,
				   "the signature by %s's key does not verify", actor);
	case PNYX_ERR_UNVERIFIED:
		return engine_fail(v, PNYX_RULE_UNKNOWN_KEY,
				   "no active key of %s signed the action", actor);
	default:
		return engine_fail(v, PNYX_RULE_MALFORMED_NOTE, "%s", diag.msg);
	}
}

static pnyx_rule verify_signature(const json_t *actor, const pnyx_action *a,
				  const pnyx_leaf *leaf, pnyx_verdict *v)
{
	pnyx_verifier keys[ENGINE_MAX_KEYS];
	size_t n;
	pnyx_rule r = signing_keys(actor, a, keys, &n, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (n == 0)
		return engine_fail(v, PNYX_RULE_UNKNOWN_KEY,
				   "%s has no active key", a->actor);
	return engine_open_note(keys, n, leaf, ENGINE_NOTE_MAX, a->actor, v);
}

static pnyx_rule check_seq(const json_t *actor, const pnyx_action *a,
			   pnyx_verdict *v)
{
	uint64_t last = actor == NULL
				? 0
				: (uint64_t)json_integer_value(json_object_get(actor, "seq"));
	if (a->seq <= last)
		return engine_fail(v, PNYX_RULE_SEQ_REPLAYED,
				   "%s already used sequence number %llu; the next is %llu",
				   a->actor, (unsigned long long)a->seq,
				   (unsigned long long)(last + 1));
	if (a->seq != last + 1)
		return engine_fail(v, PNYX_RULE_SEQ_SKIPPED,
				   "the next sequence number of %s is %llu, not %llu",
				   a->actor, (unsigned long long)(last + 1),
				   (unsigned long long)a->seq);
	return PNYX_RULE_OK;
}

/* ---- the pipeline ---- */

static pnyx_rule check_forum(const pnyx_state *st, const pnyx_action *a,
			     pnyx_verdict *v)
{
	const json_t *forum = engine_section(st, "forum");
	bool genesis = strcmp(a->type, "forum.create") == 0;
	if (forum == NULL)
		return genesis ? PNYX_RULE_OK
			       : engine_fail(v, PNYX_RULE_NO_FORUM,
					     "the forum does not exist yet: the first "
					     "action must be forum.create");
	if (genesis)
		return engine_fail(v, PNYX_RULE_FORUM_EXISTS,
				   "the forum was already created");
	if (strcmp(json_string_value(json_object_get(forum, "id")), a->forum) != 0)
		return engine_fail(v, PNYX_RULE_WRONG_FORUM,
				   "the action is for forum %s, not this one", a->forum);
	return PNYX_RULE_OK;
}

/* Finds the actor and its kind, and checks the kind may take the action. */
static pnyx_rule resolve_actor(const pnyx_state *st, const pnyx_action *a,
			       const action_spec *spec, const json_t **actor,
			       unsigned *kind, pnyx_verdict *v)
{
	*actor = json_object_get(engine_section(st, "actors"), a->actor);
	if (*actor == NULL) {
		if ((spec->actors & ACTOR_NEW) == 0)
			return engine_fail(v, PNYX_RULE_UNKNOWN_ACTOR,
					   "%s is not a member, officer or stakeholder "
					   "of this forum", a->actor);
		*kind = ACTOR_NEW;
		return PNYX_RULE_OK;
	}
	*kind = kind_of(json_string_value(json_object_get(*actor, "kind")));
	return PNYX_RULE_OK;
}

static pnyx_rule check_role(const pnyx_state *st, const pnyx_action *a,
			    const action_spec *spec, unsigned kind,
			    pnyx_verdict *v)
{
	if ((spec->actors & kind) == 0)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "%s may not take the action %s", a->actor, a->type);
	if (kind == ACTOR_MEMBER && !engine_member_is_active(st, a->actor) &&
	    strncmp(a->type, "key.", 4) != 0)
		return engine_fail(v, PNYX_RULE_SUSPENDED,
				   "%s is suspended: it may only manage its keys",
				   a->actor);
	return PNYX_RULE_OK;
}

/* Steps 3 to 5: everything that may refuse the leaf, modifying nothing. */
static pnyx_rule admit(const pnyx_state *st, const pnyx_leaf *leaf,
		       const pnyx_action *a, pnyx_engine_mode mode,
		       const action_spec **spec, engine_ctx *ctx,
		       pnyx_verdict *v)
{
	pnyx_rule r = check_forum(st, a, v);
	if (r != PNYX_RULE_OK)
		return r;
	*spec = find_spec(a->type);
	if (*spec == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_TYPE,
				   "there is no action type \"%s\"", a->type);
	const json_t *actor;
	if ((r = resolve_actor(st, a, *spec, &actor, &ctx->kind, v)) != PNYX_RULE_OK)
		return r;
	if (mode == PNYX_ENGINE_CHECK_SIGNATURES &&
	    (r = verify_signature(actor, a, leaf, v)) != PNYX_RULE_OK)
		return r;
	if ((r = check_seq(actor, a, v)) != PNYX_RULE_OK ||
	    (r = check_role(st, a, *spec, ctx->kind, v)) != PNYX_RULE_OK ||
	    (r = engine_check_fields((*spec)->type, (*spec)->fields, a->body, v)) !=
		    PNYX_RULE_OK)
		return r;
	return (*spec)->check(st, ctx, v);
}

/* Step 2: decides every deadline at or before t, in place, recording the
 * changes (the caller ends the undo log and the deadline index's take). */
static pnyx_rule settle(pnyx_state *st, uint64_t t, pnyx_verdict *v)
{
	engine_undo_begin(st);
	pnyx_rule r = engine_due_take(st, t) == PNYX_RULE_OK
			      ? PNYX_RULE_OK
			      : engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	if (r == PNYX_RULE_OK)
		r = engine_decision_settle(st, v);
	if (r == PNYX_RULE_OK)
		r = engine_stakeholder_settle(st, v);
	engine_undo_stop(st);
	return r;
}

static bool settle_due(pnyx_state *st, uint64_t t)
{
	return engine_section(st, "forum") != NULL && engine_due_any(st, t);
}

/* Steps 6 and 7. */
static pnyx_rule commit(pnyx_state *st, const action_spec *spec,
			const engine_ctx *ctx, pnyx_verdict *v)
{
	pnyx_rule r = spec->exec(st, ctx, v);
	if (r != PNYX_RULE_OK)
		return r;
	json_t *actor = json_object_get(engine_section(st, "actors"), ctx->a->actor);
	json_t *clock = json_object_get(st->root, "clock");
	if (actor == NULL)
		return engine_fail(v, PNYX_RULE_NOMEM, "the action created no actor");
	if (engine_set(actor, "seq", json_integer((json_int_t)ctx->a->seq)) != PNYX_RULE_OK ||
	    engine_set(clock, "time_ms", json_integer((json_int_t)ctx->time_ms)) != PNYX_RULE_OK ||
	    engine_set(clock, "leaves", json_integer((json_int_t)ctx->index + 1)) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	memcpy(st->last_actor, ctx->a->actor, sizeof st->last_actor);
	return PNYX_RULE_OK;
}

/* Steps 3 to 7 on st, already settled. */
static pnyx_rule judge(pnyx_state *st, const pnyx_leaf *leaf, const pnyx_action *a,
		       pnyx_engine_mode mode, pnyx_verdict *v)
{
	const action_spec *spec = NULL;
	engine_ctx ctx = {.a = a, .time_ms = leaf->time_ms,
			  .index = pnyx_state_leaves(st)};
	pnyx_rule r = admit(st, leaf, a, mode, &spec, &ctx, v);
	return r != PNYX_RULE_OK ? r : commit(st, spec, &ctx, v);
}

/* Steps 2 to 7 when a deadline is due: settled in place, put back if the
 * leaf is refused. */
static pnyx_rule judge_settled(pnyx_state *st, const pnyx_leaf *leaf,
			       const pnyx_action *a, pnyx_engine_mode mode,
			       pnyx_verdict *v)
{
	pnyx_rule r = settle(st, leaf->time_ms, v);
	if (r == PNYX_RULE_OK)
		r = judge(st, leaf, a, mode, v);
	engine_undo_finish(st, r == PNYX_RULE_OK);
	engine_due_settled(st, r == PNYX_RULE_OK);
	return r;
}

pnyx_rule engine_parse_leaf(uint64_t last_ms, const uint8_t *p, size_t n,
			    pnyx_leaf *leaf, pnyx_action *a, pnyx_verdict *v)
{
	pnyx_diag diag = {{0}};
	if (pnyx_leaf_parse(p, n, leaf, &diag) != PNYX_OK)
		return engine_fail(v, PNYX_RULE_MALFORMED_LEAF, "%s", diag.msg);
	if (leaf->time_ms < last_ms)
		return engine_fail(v, PNYX_RULE_TIME_BACKWARDS,
				   "the leaf's time is before the previous leaf's");
	size_t text_len;
	if (pnyx_note_text_len(leaf->note, leaf->note_len, &text_len) != PNYX_OK)
		return engine_fail(v, PNYX_RULE_MALFORMED_NOTE,
				   "the leaf's action is not a signed note");
	pnyx_err err = pnyx_action_parse(leaf->note, text_len, a, &diag);
	if (err == PNYX_ERR_NOMEM)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	if (err != PNYX_OK)
		return engine_fail(v, PNYX_RULE_MALFORMED_ACTION, "%s", diag.msg);
	return PNYX_RULE_OK;
}

pnyx_rule pnyx_engine_apply(pnyx_state *st, const uint8_t *p, size_t n,
			    pnyx_engine_mode mode, pnyx_verdict *v)
{
	assert(st != NULL && (p != NULL || n == 0));
	if (v != NULL)
		*v = (pnyx_verdict){.code = PNYX_RULE_OK};
	pnyx_leaf leaf;
	pnyx_action a = {.body = NULL};
	uint64_t last = (uint64_t)json_integer_value(clock_field(st, "time_ms"));
	pnyx_rule r = engine_parse_leaf(last, p, n, &leaf, &a, v);
	if (r == PNYX_RULE_OK)
		r = settle_due(st, leaf.time_ms) ? judge_settled(st, &leaf, &a, mode, v)
						 : judge(st, &leaf, &a, mode, v);
	pnyx_action_clear(&a);
	return r;
}
