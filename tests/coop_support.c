/* The cooperation engine test harness: see coop_support.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "coop_support.h"
#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

/* base64 of 32 bytes (an X25519 public key or an HPKE enc), of 32 salt
 * bytes, and of a 22-byte ciphertext */
#define KEY32 "e0Zcgx/+zSPK7GwdbrBisB5+UuH7lyr9OvvuwMuKAos="
#define SALT32 "c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ="
#define CT22 "c2VhbGVkIGNvbnRlbnQgZXhhbXBsZQ=="
#define KEY48 "d3JhcHBlZCBjb250ZW50IGtleTogNDggYnl0ZXMgb2YgSFBLRSBvdXRwdXQhISEh"

json_t *coop_h_rules(void)
{
	return json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[ss]}", "ack_hours", "low", 168,
			 "medium", 72, "high", 24, "critical", 2, "ping_window_hours",
			 48, "publish", "per_member", "pings");
}

void coop_h_init_closed(coop_h *h, const char *const *codes, size_t n)
{
	memset(h, 0, sizeof *h);
	eng_init(&h->e, "oewg");
	eng_genesis(&h->e, codes, n, NULL);
	h->e.now += 1000;
	assert_int_equal(pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &h->c), PNYX_OK);
	h->leaves = pnyx_calloc(COOP_H_MAX_LEAVES, sizeof *h->leaves);
	h->aud = pnyx_calloc(COOP_H_MAX_LEAVES, sizeof *h->aud);
	assert_non_null(h->leaves);
	assert_non_null(h->aud);
}

void coop_h_init(coop_h *h, const char *const *codes, size_t n)
{
	coop_h_init_closed(h, codes, n);
	char key[700];
	const char *k = eng_vkey(&h->e, "cooperation");
	memcpy(key, k, strlen(k) + 1);
	EXPECT_OK(&h->e, "secretariat", "cooperation.open", "{s:s,s:o}", "log_key", key,
		  "rules", coop_h_rules());
	h->e.now += 1000;
}

void coop_h_free(coop_h *h)
{
	for (size_t i = 0; i < h->n; i++)
		pnyx_buf_clear(&h->leaves[i]);
	pnyx_free(h->leaves);
	pnyx_free(h->aud);
	pnyx_coop_free(h->c);
	eng_free(&h->e);
}

static size_t actor_index(coop_h *h, const char *actor)
{
	return (size_t)(eng_who(&h->e, actor) - h->e.actors);
}

static pnyx_rule apply(coop_h *h, const pnyx_buf *leaf)
{
	pnyx_hash before, after;
	assert_int_equal(pnyx_coop_digest(h->c, &before), PNYX_OK);
	pnyx_rule r = pnyx_coop_apply(h->c, h->e.st, leaf->data, leaf->len,
				      PNYX_ENGINE_CHECK_SIGNATURES, &h->last);
	assert_int_equal(h->last.code, r);
	if (r == PNYX_RULE_OK) {
		assert_true(h->n < COOP_H_MAX_LEAVES);
		pnyx_buf *copy = &h->leaves[h->n];
		pnyx_buf_init(copy, leaf->len + 1);
		assert_int_equal(pnyx_buf_append(copy, leaf->data, leaf->len), PNYX_OK);
		pnyx_coop_last_audience(h->c, &h->aud[h->n]);
		h->n++;
		return r;
	}
	assert_int_not_equal(r, PNYX_RULE_NOMEM);
	assert_true(h->last.msg[0] != 0);
	assert_int_equal(pnyx_coop_digest(h->c, &after), PNYX_OK);
	if (!pnyx_hash_eq(&before, &after))
		fail_msg("a refused action (%s) changed the state", pnyx_rule_name(r));
	return r;
}

pnyx_rule coop_h_vact(coop_h *h, const char *actor, uint64_t seq,
		      const pnyx_signer *signer, const char *type, const char *fmt,
		      va_list ap)
{
	json_error_t err;
	json_t *body = json_vpack_ex(&err, 0, fmt, ap);
	if (body == NULL)
		fail_msg("bad pack format for %s: %s", type, err.text);
	size_t i = actor_index(h, actor);
	uint64_t s = seq != 0 ? seq : h->seq[i] + 1;
	assert_int_equal(json_object_set_new(body, "forum", json_string(h->e.forum)), 0);
	assert_int_equal(json_object_set_new(body, "actor", json_string(actor)), 0);
	assert_int_equal(json_object_set_new(body, "type", json_string(type)), 0);
	assert_int_equal(json_object_set_new(body, "seq", json_integer((json_int_t)s)), 0);
	pnyx_buf text, note, leaf;
	pnyx_buf_init(&text, 1u << 20);
	pnyx_buf_init(&note, 1u << 20);
	pnyx_buf_init(&leaf, 1u << 20);
	assert_int_equal(pnyx_action_encode(body, &text), PNYX_OK);
	json_decref(body);
	assert_int_equal(pnyx_note_sign(text.data, text.len,
					signer != NULL ? signer : &h->e.actors[i].key, 1,
					&note), PNYX_OK);
	assert_int_equal(pnyx_leaf_encode(h->e.now, note.data, note.len, &leaf), PNYX_OK);
	pnyx_rule r = apply(h, &leaf);
	if (r == PNYX_RULE_OK && s > h->seq[i])
		h->seq[i] = s;
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&leaf);
	return r;
}

pnyx_rule coop_h_act(coop_h *h, const char *actor, const char *type, const char *fmt,
		     ...)
{
	va_list ap;
	va_start(ap, fmt);
	pnyx_rule r = coop_h_vact(h, actor, 0, NULL, type, fmt, ap);
	va_end(ap);
	return r;
}

pnyx_rule coop_h_act_ex(coop_h *h, const char *actor, uint64_t seq,
			const pnyx_signer *signer, const char *type, const char *fmt,
			...)
{
	va_list ap;
	va_start(ap, fmt);
	pnyx_rule r = coop_h_vact(h, actor, seq, signer, type, fmt, ap);
	va_end(ap);
	return r;
}

json_t *coop_h_contact(const char *id, const char *function)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[ss],s:s}", "id", id,
			 "function", function, "name", "Duty officer", "email",
			 "duty@cert.example", "phone", "+1 555 0100", "hours", "24/7",
			 "time_zone", "Africa/Nairobi", "languages", "en", "fr", "key",
			 KEY32);
}

void coop_h_register(coop_h *h, const char *member, size_t n)
{
	json_t *contacts = json_array();
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "%s-%zu", i == 0 ? "tech" : "dipl", i + 1);
		json_array_append_new(contacts,
				      coop_h_contact(id, i == 0 ? "technical" : "diplomatic"));
	}
	COOP_OK(h, member, "poc.register", "{s:o,s:s}", "contacts", contacts, "salt",
		SALT32);
}

json_t *coop_h_sealed(const char *a, const char *b)
{
	return json_pack("{s:s,s:[{s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s}]}", "ct", CT22,
			 "recipients", "contact", "tech-1", "enc", KEY32, "key", KEY48,
			 "member", a, "contact", "tech-1", "enc", KEY32, "key", KEY48,
			 "member", b);
}

void coop_h_send(coop_h *h, const char *from, const char *to, const char *kind,
		 const char *severity, char *id)
{
	uint64_t seq = pnyx_coop_next_seq(h->c, from);
	if (strcmp(kind, "data") == 0)
		COOP_OK(h, from, "request.send", "{s:s,s:s,s:s,s:s,s:o,s:s}", "to", to,
			"kind", kind, "severity", severity, "tlp", "AMBER", "sealed",
			coop_h_sealed(from, to), "legal_basis",
			"Budapest Convention, article 31");
	else
		COOP_OK(h, from, "request.send", "{s:s,s:s,s:s,s:s,s:o}", "to", to, "kind",
			kind, "severity", severity, "tlp", "AMBER", "sealed",
			coop_h_sealed(from, to));
	snprintf(id, 88, "%s:%llu", from, (unsigned long long)seq);
}

pnyx_coop *coop_h_replay(coop_h *h, pnyx_coop_scope scope,
			 bool (*keep)(const pnyx_coop_audience *, const char *),
			 const char *arg)
{
	pnyx_coop *c;
	assert_int_equal(pnyx_coop_new(scope, &c), PNYX_OK);
	for (size_t i = 0; i < h->n; i++) {
		if (keep != NULL && !keep(&h->aud[i], arg))
			continue;
		pnyx_verdict v;
		pnyx_rule r = pnyx_coop_apply(c, h->e.st, h->leaves[i].data, h->leaves[i].len,
					      PNYX_ENGINE_CHECK_SIGNATURES, &v);
		if (r != PNYX_RULE_OK)
			fail_msg("replay: leaf %zu refused: %s: %s", i, pnyx_rule_name(r), v.msg);
	}
	return c;
}

/* A whole-log state with the first n accepted leaves (signatures
 * trusted). */
static pnyx_coop *prefix(coop_h *h, size_t n)
{
	pnyx_coop *c;
	assert_int_equal(pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &c), PNYX_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pnyx_coop_apply(c, h->e.st, h->leaves[i].data,
						 h->leaves[i].len,
						 PNYX_ENGINE_TRUST_SIGNATURES, NULL),
				 PNYX_RULE_OK);
	return c;
}

void coop_h_check_replay(coop_h *h)
{
	pnyx_hash live, got;
	assert_int_equal(pnyx_coop_digest(h->c, &live), PNYX_OK);
	pnyx_coop *c = coop_h_replay(h, PNYX_COOP_WHOLE_LOG, NULL, NULL);
	assert_int_equal(pnyx_coop_digest(c, &got), PNYX_OK);
	if (!pnyx_hash_eq(&got, &live))
		fail_msg("replay reached another cooperation state digest");
	pnyx_coop_free(c);
	c = prefix(h, h->n);
	assert_int_equal(pnyx_coop_digest(c, &got), PNYX_OK);
	assert_true(pnyx_hash_eq(&got, &live));
	pnyx_coop_free(c);
}

static const json_t *get_va(coop_h *h, va_list ap)
{
	const json_t *v = pnyx_coop_json(h->c);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL)
		v = json_object_get(v, k);
	return v;
}

const json_t *coop_h_get(coop_h *h, ...)
{
	va_list ap;
	va_start(ap, h);
	const json_t *v = get_va(h, ap);
	va_end(ap);
	return v;
}

json_int_t coop_h_int(coop_h *h, ...)
{
	va_list ap;
	va_start(ap, h);
	const json_t *v = get_va(h, ap);
	va_end(ap);
	if (!json_is_integer(v))
		fail_msg("not an integer in the cooperation state");
	return json_integer_value(v);
}

static pnyx_rule apply_faulted(coop_h *h, pnyx_coop *c, size_t i, uint64_t k,
			       uint64_t *points)
{
	pnyx_fault_arm(k);
	pnyx_rule r = pnyx_coop_apply(c, h->e.st, h->leaves[i].data, h->leaves[i].len,
				      PNYX_ENGINE_CHECK_SIGNATURES, NULL);
	*points = pnyx_fault_passed();
	pnyx_fault_disarm();
	return r;
}

uint64_t coop_h_fault_loop(coop_h *h, size_t i)
{
	assert_true(i < h->n);
	pnyx_hash before, want, got;
	pnyx_coop *c = prefix(h, i);
	assert_int_equal(pnyx_coop_digest(c, &before), PNYX_OK);
	uint64_t points, passed, nomem = 0;
	assert_int_equal(apply_faulted(h, c, i, PNYX_FAULT_COUNT, &points), PNYX_RULE_OK);
	assert_int_equal(pnyx_coop_digest(c, &want), PNYX_OK);
	pnyx_coop_free(c);
	for (uint64_t k = 1; k <= points; k++) {
		c = prefix(h, i);
		pnyx_rule r = apply_faulted(h, c, i, k, &passed);
		assert_int_equal(pnyx_coop_digest(c, &got), PNYX_OK);
		if (r == PNYX_RULE_OK && !pnyx_hash_eq(&got, &want))
			fail_msg("leaf %zu, fault %llu ignored: ok with another state", i,
				 (unsigned long long)k);
		if (r != PNYX_RULE_OK && r != PNYX_RULE_NOMEM && !pnyx_hash_eq(&got, &before))
			fail_msg("leaf %zu, fault %llu gave %s and changed the state", i,
				 (unsigned long long)k, pnyx_rule_name(r));
		nomem += r == PNYX_RULE_NOMEM;
		pnyx_coop_free(c);
	}
	return nomem;
}
