/*
 * The cooperation engine's pipeline (coop_internal.h describes its steps),
 * the state container, its digest, and the helpers its modules share.
 * docs/COOPERATION.md is the design.
 */
#include "coop_internal.h"

#include "pnyx/base64.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

#define COOP_MAX_KEYS 16

static const coop_spec *const *tables(void)
{
	static const coop_spec *const t[] = {
		coop_directory_actions, coop_request_actions, coop_ping_actions, NULL,
	};
	return t;
}

const coop_spec *coop_find_spec(const char *type)
{
	for (const coop_spec *const *t = tables(); *t != NULL; t++)
		for (const coop_spec *s = *t; s->type != NULL; s++)
			if (strcmp(s->type, type) == 0)
				return s;
	return NULL;
}

size_t pnyx_coop_type_count(void)
{
	size_t n = 0;
	for (const coop_spec *const *t = tables(); *t != NULL; t++)
		for (const coop_spec *s = *t; s->type != NULL; s++)
			n++;
	return n;
}

const char *pnyx_coop_type_name(size_t i)
{
	assert(i < pnyx_coop_type_count());
	for (const coop_spec *const *t = tables(); *t != NULL; t++)
		for (const coop_spec *s = *t; s->type != NULL; s++)
			if (i-- == 0)
				return s->type;
	return NULL;
}

/* ---- the container ---- */

pnyx_err pnyx_coop_new(pnyx_coop_scope scope, pnyx_coop **out)
{
	assert(out != NULL);
	pnyx_coop *c = pnyx_calloc(1, sizeof *c);
	if (c == NULL)
		return PNYX_ERR_NOMEM;
	c->scope = scope;
	c->root = json_pack("{s:{},s:{},s:{},s:{},s:{s:{},s:{},s:{}},s:I,s:I}",
			    "actors", "directory", "requests", "pings", "figures",
			    "per_member", "data_requests", "pings", "time_ms",
			    (json_int_t)0, "leaves", (json_int_t)0);
	c->ack_ms = json_object();
	c->open_rounds = json_array();
	if (c->root == NULL || c->ack_ms == NULL || c->open_rounds == NULL) {
		pnyx_coop_free(c);
		return PNYX_ERR_NOMEM;
	}
	*out = c;
	return PNYX_OK;
}

void pnyx_coop_free(pnyx_coop *c)
{
	if (c == NULL)
		return;
	coop_figures_clear(c);
	json_decref(c->root);
	pnyx_free(c);
}

static uint64_t root_u64(const pnyx_coop *c, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(c->root, key));
}

void pnyx_coop_last_audience(const pnyx_coop *c, pnyx_coop_audience *out)
{
	assert(c != NULL && out != NULL);
	*out = c->audience;
}

const char *pnyx_coop_last_actor(const pnyx_coop *c)
{
	return c->last_actor;
}

uint64_t pnyx_coop_next_seq(const pnyx_coop *c, const char *actor)
{
	const json_t *a = json_object_get(coop_section(c, "actors"), actor);
	return (uint64_t)json_integer_value(json_object_get(a, "seq")) + 1;
}

uint64_t pnyx_coop_leaves(const pnyx_coop *c)
{
	return root_u64(c, "leaves");
}

const json_t *pnyx_coop_json(const pnyx_coop *c)
{
	return c->root;
}

pnyx_err pnyx_coop_digest(const pnyx_coop *c, pnyx_hash *out)
{
	return engine_json_digest(c->root, out);
}

json_t *pnyx_coop_published_figures(const pnyx_coop *c, const pnyx_state *pub)
{
	json_t *out = json_object();
	const json_t *coop = engine_section(pub, "cooperation");
	const json_t *publish = json_object_get(json_object_get(coop, "rules"), "publish");
	size_t i;
	const json_t *g;
	json_array_foreach(publish, i, g) {
		const json_t *fig = json_object_get(coop_section(c, "figures"),
						    json_string_value(g));
		if (out != NULL && fig != NULL &&
		    json_object_set_new(out, json_string_value(g), json_deep_copy(fig)) != 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* ---- helpers ---- */

json_t *coop_section(const pnyx_coop *c, const char *key)
{
	return json_object_get(c->root, key);
}

const char *coop_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

bool coop_in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool coop_is_b64(const json_t *v, size_t min, size_t max, bool *nomem)
{
	size_t n = json_string_length(v);
	if (!json_is_string(v) || n < pnyx_base64_len(min) || n > pnyx_base64_len(max))
		return false;
	size_t cap = n / 4 * 3 < max ? n / 4 * 3 : max; /* what n characters hold */
	uint8_t *buf = pnyx_malloc(cap + 1);
	if (buf == NULL) {
		*nomem = true;
		return false;
	}
	size_t got = 0;
	bool ok = pnyx_base64_decode((const uint8_t *)json_string_value(v), n, buf,
				     cap, &got) == PNYX_OK &&
		  got >= min;
	pnyx_free(buf);
	return ok;
}

bool coop_is_text(const json_t *v, size_t max)
{
	const uint8_t *s = (const uint8_t *)json_string_value(v);
	size_t n = json_string_length(v);
	if (s == NULL || n == 0 || n > max || !pnyx_utf8_is_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

bool coop_has_keys(const json_t *obj, const char *const *list, size_t n)
{
	if (!json_is_object(obj) || json_object_size(obj) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (json_object_get(obj, list[i]) == NULL)
			return false;
	return true;
}

const json_t *coop_pub_actor(const coop_ctx *ctx, const char *id)
{
	return json_object_get(engine_section(ctx->pub, "actors"), id);
}

bool coop_member_active_at(const pnyx_state *pub, const char *id, uint64_t t)
{
	const json_t *m = json_object_get(engine_section(pub, "members"), id);
	bool active = false;
	size_t i;
	const json_t *h;
	json_array_foreach(json_object_get(m, "history"), i, h) {
		const char *ev = coop_str(h, "event");
		if ((uint64_t)json_integer_value(json_object_get(h, "ms")) > t || ev == NULL)
			break;
		if (strcmp(ev, "suspended") == 0)
			active = false;
		else if (strcmp(ev, "founding") == 0 || strcmp(ev, "admitted") == 0 ||
			 strcmp(ev, "reinstated") == 0)
			active = true;
	}
	return active;
}

/* ---- the pipeline ---- */

static pnyx_rule check_open(const pnyx_state *pub, coop_ctx *ctx, pnyx_verdict *v)
{
	const json_t *forum = engine_section(pub, "forum");
	const json_t *coop = engine_section(pub, "cooperation");
	if (forum == NULL || coop == NULL ||
	    (uint64_t)json_integer_value(json_object_get(coop, "opened_ms")) > ctx->time_ms)
		return engine_fail(v, PNYX_RULE_NO_FORUM,
				   "cooperation is not open in this forum");
	if (strcmp(coop_str(forum, "id"), ctx->a->forum) != 0)
		return engine_fail(v, PNYX_RULE_WRONG_FORUM,
				   "the action is for forum %s, not this one",
				   ctx->a->forum);
	ctx->rules = json_object_get(coop, "rules");
	return PNYX_RULE_OK;
}

/* The actor's keys active at t: added_ms <= t < revoked_ms. */
static size_t keys_at(const json_t *actor, uint64_t t, pnyx_verifier *keys)
{
	size_t n = 0, i;
	const json_t *k;
	json_array_foreach(json_object_get(actor, "keys"), i, k) {
		const json_t *rev = json_object_get(k, "revoked_ms");
		uint64_t added = (uint64_t)json_integer_value(json_object_get(k, "added_ms"));
		const char *text = coop_str(k, "key");
		if (added > t || (json_is_integer(rev) && (uint64_t)json_integer_value(rev) <= t) ||
		    text == NULL || n == COOP_MAX_KEYS)
			continue;
		if (pnyx_verifier_parse((const uint8_t *)text, strlen(text), &keys[n], NULL) ==
		    PNYX_OK)
			n++;
	}
	return n;
}

static pnyx_rule verify(const json_t *actor, const pnyx_leaf *leaf,
			const coop_ctx *ctx, pnyx_verdict *v)
{
	pnyx_verifier keys[COOP_MAX_KEYS];
	size_t n = keys_at(actor, ctx->time_ms, keys);
	if (n == 0)
		return engine_fail(v, PNYX_RULE_UNKNOWN_KEY,
				   "%s had no active key at the leaf's time", ctx->a->actor);
	return engine_open_note(keys, n, leaf, PNYX_COOP_NOTE_MAX, ctx->a->actor, v);
}

static pnyx_rule check_seq(const pnyx_coop *c, const pnyx_action *a, pnyx_verdict *v)
{
	uint64_t next = pnyx_coop_next_seq(c, a->actor);
	if (a->seq < next)
		return engine_fail(v, PNYX_RULE_SEQ_REPLAYED,
				   "%s already used sequence number %llu on the "
				   "cooperation log; the next is %llu", a->actor,
				   (unsigned long long)a->seq, (unsigned long long)next);
	if (a->seq != next && c->scope == PNYX_COOP_WHOLE_LOG)
		return engine_fail(v, PNYX_RULE_SEQ_SKIPPED,
				   "the next sequence number of %s on the cooperation "
				   "log is %llu, not %llu", a->actor,
				   (unsigned long long)next, (unsigned long long)a->seq);
	return PNYX_RULE_OK;
}

static unsigned kind_of(const json_t *actor)
{
	const char *kind = coop_str(actor, "kind");
	if (kind != NULL && strcmp(kind, "member") == 0)
		return ACTOR_MEMBER;
	if (kind != NULL && strcmp(kind, "secretariat") == 0)
		return ACTOR_SECRETARIAT;
	return 0;
}

static pnyx_rule check_role(const coop_ctx *ctx, const coop_spec *spec,
			    unsigned kind, pnyx_verdict *v)
{
	const pnyx_action *a = ctx->a;
	if ((spec->actors & kind) == 0)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "%s may not take the action %s", a->actor, a->type);
	if (kind == ACTOR_MEMBER && !coop_member_active_at(ctx->pub, a->actor, ctx->time_ms))
		return engine_fail(v, PNYX_RULE_SUSPENDED,
				   "%s is not an active member at the leaf's time", a->actor);
	return PNYX_RULE_OK;
}

/* Step 2: everything the pipeline checks before the action's own rules. */
static pnyx_rule admit(const pnyx_coop *c, const pnyx_leaf *leaf, coop_ctx *ctx,
		       pnyx_engine_mode mode, const coop_spec **spec, pnyx_verdict *v)
{
	const pnyx_action *a = ctx->a;
	pnyx_rule r = check_open(ctx->pub, ctx, v);
	if (r != PNYX_RULE_OK)
		return r;
	if ((*spec = coop_find_spec(a->type)) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_TYPE,
				   "there is no cooperation action type \"%s\"", a->type);
	const json_t *actor = coop_pub_actor(ctx, a->actor);
	if (actor == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_ACTOR,
				   "%s is not a member or officer of this forum", a->actor);
	if (mode == PNYX_ENGINE_CHECK_SIGNATURES &&
	    (r = verify(actor, leaf, ctx, v)) != PNYX_RULE_OK)
		return r;
	if ((r = check_seq(c, a, v)) != PNYX_RULE_OK ||
	    (r = check_role(ctx, *spec, kind_of(actor), v)) != PNYX_RULE_OK)
		return r;
	return engine_check_fields(a->type, (*spec)->fields, a->body, v);
}

static void set_audience(pnyx_coop *c, const coop_spec *spec, const coop_ctx *ctx)
{
	pnyx_coop_audience *au = &c->audience;
	*au = (pnyx_coop_audience){.all_members = spec->all_members};
	if (spec->all_members)
		return;
	const char *a = ctx->request != NULL ? coop_str(ctx->request, "from") : ctx->a->actor;
	const char *b = coop_str(ctx->request != NULL ? ctx->request : ctx->a->body, "to");
	memcpy(au->a, a, strlen(a) + 1);
	memcpy(au->b, b, strlen(b) + 1);
}

/* Steps 4 and 5. */
static pnyx_rule commit(pnyx_coop *c, const coop_spec *spec, const coop_ctx *ctx,
			pnyx_verdict *v)
{
	pnyx_rule r = spec->exec(c, ctx, v);
	if (r != PNYX_RULE_OK)
		return r;
	json_t *actors = coop_section(c, "actors");
	json_t *rec = json_object_get(actors, ctx->a->actor);
	if ((rec == NULL && engine_set(actors, ctx->a->actor, rec = json_object()) != PNYX_RULE_OK) ||
	    engine_set(rec, "seq", json_integer((json_int_t)ctx->a->seq)) != PNYX_RULE_OK ||
	    engine_set(c->root, "time_ms", json_integer((json_int_t)ctx->time_ms)) != PNYX_RULE_OK ||
	    engine_set(c->root, "leaves", json_integer((json_int_t)ctx->index + 1)) != PNYX_RULE_OK ||
	    coop_figures_tick(c, ctx->time_ms) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	memcpy(c->last_actor, ctx->a->actor, sizeof c->last_actor);
	set_audience(c, spec, ctx);
	return PNYX_RULE_OK;
}

pnyx_rule pnyx_coop_apply(pnyx_coop *c, const pnyx_state *pub, const uint8_t *p,
			  size_t n, pnyx_engine_mode mode, pnyx_verdict *v)
{
	assert(c != NULL && pub != NULL && (p != NULL || n == 0));
	if (v != NULL)
		*v = (pnyx_verdict){.code = PNYX_RULE_OK};
	pnyx_leaf leaf = {.time_ms = 0};
	pnyx_action a = {.body = NULL};
	pnyx_rule r = engine_parse_leaf(root_u64(c, "time_ms"), p, n, &leaf, &a, v);
	coop_ctx ctx = {.a = &a, .pub = pub, .time_ms = leaf.time_ms,
			.index = pnyx_coop_leaves(c)};
	const coop_spec *spec = NULL;
	if (r == PNYX_RULE_OK)
		r = admit(c, &leaf, &ctx, mode, &spec, v);
	if (r == PNYX_RULE_OK)
		r = spec->check(c, &ctx, v);
	if (r == PNYX_RULE_OK)
		r = commit(c, spec, &ctx, v);
	pnyx_action_clear(&a);
	return r;
}

pnyx_rule pnyx_coop_advance(pnyx_coop *c, uint64_t time_ms)
{
	assert(c != NULL);
	if (time_ms <= root_u64(c, "time_ms"))
		return PNYX_RULE_OK;
	return coop_figures_tick(c, time_ms);
}
