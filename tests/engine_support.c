/* The engine test harness: see engine_support.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "engine_support.h"
#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

void eng_init(eng *e, const char *forum)
{
	assert_int_equal(pnyx_init(), PNYX_OK);
	memset(e, 0, sizeof *e);
	assert_int_equal(pnyx_state_new(&e->st), PNYX_OK);
	e->now = UINT64_C(1700000000000);
	snprintf(e->forum, sizeof e->forum, "%s", forum);
}

void eng_free(eng *e)
{
	pnyx_state_free(e->st);
	for (size_t i = 0; i < e->nleaves; i++)
		pnyx_buf_clear(&e->leaves[i]);
	pnyx_free(e->leaves);
	for (size_t i = 0; i < e->nactors; i++)
		pnyx_signer_clear(&e->actors[i].key);
}

eng_actor *eng_who(eng *e, const char *id)
{
	for (size_t i = 0; i < e->nactors; i++)
		if (strcmp(e->actors[i].id, id) == 0)
			return &e->actors[i];
	assert_true(e->nactors < ENG_MAX_ACTORS);
	eng_actor *a = &e->actors[e->nactors++];
	snprintf(a->id, sizeof a->id, "%s", id);
	char name[128];
	snprintf(name, sizeof name, "test.pnyx/%s", id);
	assert_int_equal(pnyx_signer_generate(name, &a->key), PNYX_OK);
	a->seq = 0;
	return a;
}

const char *eng_vkey(eng *e, const char *id)
{
	static char text[700];
	pnyx_verifier v;
	pnyx_signer_verifier(&eng_who(e, id)->key, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, sizeof text - 1);
	assert_int_equal(pnyx_verifier_encode(&v, &b), PNYX_OK);
	memcpy(text, b.data, b.len + 1);
	pnyx_buf_clear(&b);
	return text;
}

json_t *eng_default_rules(void)
{
	return json_pack("{s:[sss],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
			 "consensus", "silence", "vote", "vote_on_request", 1,
			 "quorum_percent", 50, "silence_min_hours", 72,
			 "objection_window_hours", 336, "majority", "simple",
			 "important_majority", "two-thirds");
}

static void keep_leaf(eng *e, const pnyx_buf *leaf)
{
	if (e->nleaves == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->leaves = pnyx_realloc(e->leaves, e->cap * sizeof *e->leaves);
		assert_non_null(e->leaves);
	}
	pnyx_buf *copy = &e->leaves[e->nleaves++];
	pnyx_buf_init(copy, leaf->len + 1);
	assert_int_equal(pnyx_buf_append(copy, leaf->data, leaf->len), PNYX_OK);
}

pnyx_rule eng_apply_leaf(eng *e, const uint8_t *leaf, size_t n)
{
	pnyx_hash before, after;
	assert_int_equal(pnyx_state_digest(e->st, &before), PNYX_OK);
	pnyx_rule r = pnyx_engine_apply(e->st, leaf, n, PNYX_ENGINE_CHECK_SIGNATURES,
					&e->last);
	assert_int_equal(e->last.code, r);
	if (r == PNYX_RULE_OK) {
		pnyx_buf b = {.data = (uint8_t *)leaf, .len = n, .max = n + 1};
		keep_leaf(e, &b);
		return r;
	}
	assert_int_not_equal(r, PNYX_RULE_NOMEM);
	assert_true(e->last.msg[0] != 0);
	assert_int_equal(pnyx_state_digest(e->st, &after), PNYX_OK);
	if (!pnyx_hash_eq(&before, &after))
		fail_msg("a rejected action (%s) changed the state", pnyx_rule_name(r));
	return r;
}

pnyx_rule eng_act_raw(eng *e, json_t *body, const pnyx_signer *signer)
{
	if (body == NULL)
		fail_msg("eng_act_raw: no body (a json_pack format does not match its arguments)");
	pnyx_buf text, note, leaf;
	pnyx_buf_init(&text, 1u << 20);
	pnyx_buf_init(&note, 1u << 20);
	pnyx_buf_init(&leaf, 1u << 20);
	assert_int_equal(pnyx_action_encode(body, &text), PNYX_OK);
	json_decref(body);
	assert_int_equal(pnyx_note_sign(text.data, text.len, signer, 1, &note), PNYX_OK);
	assert_int_equal(pnyx_leaf_encode(e->now, note.data, note.len, &leaf), PNYX_OK);
	pnyx_rule r = eng_apply_leaf(e, leaf.data, leaf.len);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&leaf);
	return r;
}

pnyx_rule eng_act(eng *e, const char *actor, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_error_t err;
	json_t *body = json_vpack_ex(&err, 0, fmt, ap);
	va_end(ap);
	if (body == NULL)
		fail_msg("bad pack format for %s: %s", type, err.text);
	eng_actor *a = eng_who(e, actor);
	assert_int_equal(json_object_set_new(body, "forum", json_string(e->forum)), 0);
	assert_int_equal(json_object_set_new(body, "actor", json_string(actor)), 0);
	assert_int_equal(json_object_set_new(body, "type", json_string(type)), 0);
	assert_int_equal(json_object_set_new(body, "seq",
					     json_integer((json_int_t)a->seq + 1)), 0);
	pnyx_rule r = eng_act_raw(e, body, &a->key);
	if (r == PNYX_RULE_OK)
		a->seq++;
	return r;
}

void eng_genesis(eng *e, const char *const *codes, size_t n, json_t *rules)
{
	json_t *members = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(members, json_pack("{s:s,s:s}", "code", codes[i],
							 "key", eng_vkey(e, codes[i])));
	char chair_key[700];
	snprintf(chair_key, sizeof chair_key, "%s", eng_vkey(e, "chair.1"));
	EXPECT_OK(e, "secretariat", "forum.create",
		  "{s:s,s:[ssssss],s:o,s:s,s:[{s:s,s:s,s:s}],s:o}", "title",
		  "Test working group", "languages", "en", "fr", "ar", "zh", "ru",
		  "es", "rules", rules != NULL ? rules : eng_default_rules(),
		  "secretariat_key", eng_vkey(e, "secretariat"), "chairs", "id",
		  "chair.1", "key", chair_key, "name", "The Chair", "members", members);
}

static void replay_mode(eng *e, pnyx_engine_mode mode, const pnyx_hash *want)
{
	pnyx_state *st;
	assert_int_equal(pnyx_state_new(&st), PNYX_OK);
	for (size_t i = 0; i < e->nleaves; i++) {
		pnyx_verdict v;
		pnyx_rule r = pnyx_engine_apply(st, e->leaves[i].data, e->leaves[i].len,
						mode, &v);
		if (r != PNYX_RULE_OK)
			fail_msg("replay: leaf %zu refused: %s: %s", i, pnyx_rule_name(r), v.msg);
	}
	pnyx_hash got;
	assert_int_equal(pnyx_state_digest(st, &got), PNYX_OK);
	if (!pnyx_hash_eq(&got, want))
		fail_msg("replay reached another state digest");
	pnyx_state_free(st);
}

void eng_check_replay(eng *e)
{
	pnyx_hash live;
	assert_int_equal(pnyx_state_digest(e->st, &live), PNYX_OK);
	replay_mode(e, PNYX_ENGINE_CHECK_SIGNATURES, &live);
	replay_mode(e, PNYX_ENGINE_TRUST_SIGNATURES, &live);
}

static const json_t *get_va(eng *e, va_list ap)
{
	const json_t *v = pnyx_state_json(e->st);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL)
		v = json_object_get(v, k);
	return v;
}

const json_t *eng_get(eng *e, ...)
{
	va_list ap;
	va_start(ap, e);
	const json_t *v = get_va(e, ap);
	va_end(ap);
	return v;
}

const char *eng_get_str(eng *e, ...)
{
	va_list ap;
	va_start(ap, e);
	const char *s = json_string_value(get_va(e, ap));
	va_end(ap);
	return s != NULL ? s : "";
}

/* A state with the first n accepted leaves of e applied (signatures
 * trusted). */
static pnyx_state *replay_prefix(eng *e, size_t n)
{
	pnyx_state *st;
	assert_int_equal(pnyx_state_new(&st), PNYX_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pnyx_engine_apply(st, e->leaves[i].data, e->leaves[i].len,
						   PNYX_ENGINE_TRUST_SIGNATURES, NULL),
				 PNYX_RULE_OK);
	return st;
}

/* The fault points that parsing the leaf's action passes. */
static uint64_t parse_points(const pnyx_buf *leaf)
{
	pnyx_leaf l;
	size_t text_len;
	pnyx_action a = {.body = NULL};
	assert_int_equal(pnyx_leaf_parse(leaf->data, leaf->len, &l, NULL), PNYX_OK);
	assert_int_equal(pnyx_note_text_len(l.note, l.note_len, &text_len), PNYX_OK);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_action_parse(l.note, text_len, &a, NULL), PNYX_OK);
	uint64_t n = pnyx_fault_passed();
	pnyx_fault_disarm();
	pnyx_action_clear(&a);
	return n;
}

/* Applies leaf to st with fault point k armed (PNYX_FAULT_COUNT: none);
 * *points receives the number of points passed. */
static pnyx_rule apply_faulted(pnyx_state *st, const pnyx_buf *leaf, uint64_t k,
			       uint64_t *points)
{
	pnyx_fault_arm(k);
	pnyx_rule r = pnyx_engine_apply(st, leaf->data, leaf->len,
					PNYX_ENGINE_CHECK_SIGNATURES, NULL);
	*points = pnyx_fault_passed();
	pnyx_fault_disarm();
	return r;
}

uint64_t eng_fault_loop(eng *e, size_t i)
{
	assert_true(i < e->nleaves);
	const pnyx_buf *leaf = &e->leaves[i];
	pnyx_hash before, want, got;
	pnyx_state *st = replay_prefix(e, i);
	assert_int_equal(pnyx_state_digest(st, &before), PNYX_OK);
	uint64_t points;
	assert_int_equal(apply_faulted(st, leaf, PNYX_FAULT_COUNT, &points), PNYX_RULE_OK);
	assert_int_equal(pnyx_state_digest(st, &want), PNYX_OK);
	pnyx_state_free(st);
	/* the action's parse (our own parser: json_canonical.c) must report
	 * every failed allocation as out of memory, changing nothing */
	uint64_t parsing = parse_points(leaf), passed, nomem = 0;
	for (uint64_t k = 1; k <= points; k++) {
		st = replay_prefix(e, i);
		pnyx_rule r = apply_faulted(st, leaf, k, &passed);
		assert_int_equal(pnyx_state_digest(st, &got), PNYX_OK);
		if (k <= parsing && (r != PNYX_RULE_NOMEM || !pnyx_hash_eq(&got, &before)))
			fail_msg("leaf %zu, fault %llu in the parse gave %s", i,
				 (unsigned long long)k, pnyx_rule_name(r));
		if (r == PNYX_RULE_OK && !pnyx_hash_eq(&got, &want))
			fail_msg("leaf %zu, fault %llu ignored: ok with another state", i,
				 (unsigned long long)k);
		if (r != PNYX_RULE_OK && r != PNYX_RULE_NOMEM && !pnyx_hash_eq(&got, &before))
			fail_msg("leaf %zu, fault %llu gave %s and changed the state", i,
				 (unsigned long long)k, pnyx_rule_name(r));
		nomem += r == PNYX_RULE_NOMEM;
		pnyx_state_free(st);
	}
	return nomem;
}
