/*
 * The cooperation engine (pnyx/coop.h, docs/COOPERATION.md): the directory,
 * requests and their lifecycle, who may see and do what, keys at the
 * leaf's time, sequence numbers in both scopes, ping rounds, figures and
 * published figures, and replays (whole log and one member's view).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "coop_support.h"

#define HOUR INT64_C(3600000)
#define KEY32 "e0Zcgx/+zSPK7GwdbrBisB5+UuH7lyr9OvvuwMuKAos="
#define SALT32 "c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ="
#define B64_31 "c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbA=="
#define B64_15 "c2VhbGVkIGNvbnRlbnQ="
#define CT22 "c2VhbGVkIGNvbnRlbnQgZXhhbXBsZQ=="
#define KEY48 "d3JhcHBlZCBjb250ZW50IGtleTogNDggYnl0ZXMgb2YgSFBLRSBvdXRwdXQhISEh"
#define KEY47 "d3JhcHBlZCBjb250ZW50IGtleTogNDggYnl0ZXMgb2YgSFBLRSBvdXRwdXQhISE="

static const char *const codes[] = {"BRA", "CHN", "FRA", "KEN", "USA"};

static void setup(coop_h *h)
{
	coop_h_init(h, codes, 5);
}

/* ---- the directory ---- */

static pnyx_rule register_one(coop_h *h, const char *who, json_t *contact,
			      const char *salt)
{
	return coop_h_act(h, who, "poc.register", "{s:[o],s:s}", "contacts", contact,
			  "salt", salt);
}

static json_t *contact_with(const char *key, json_t *value)
{
	json_t *c = coop_h_contact("tech-1", "technical");
	if (value == NULL)
		json_object_del(c, key);
	else
		json_object_set_new(c, key, value);
	return c;
}

static void directory_rules(void **state)
{
	(void)state;
	coop_h h;
	setup(&h);
	COOP_RULE(&h, PNYX_RULE_NOT_PERMITTED, "chair.1", "poc.register", "{s:[o],s:s}",
		  "contacts", coop_h_contact("a", "technical"), "salt", SALT32);
	COOP_RULE(&h, PNYX_RULE_NOT_PERMITTED, "secretariat", "poc.register",
		  "{s:[o],s:s}", "contacts", coop_h_contact("a", "technical"), "salt",
		  SALT32);
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_ACTOR, "XYZ", "poc.register", "{s:[o],s:s}",
		  "contacts", coop_h_contact("a", "technical"), "salt", SALT32);
	struct { const char *key; json_t *value; } bad[] = {
		{"function", json_string("diplomatic")}, /* no technical contact */
		{"function", json_string("military")},
		{"id", json_string("no spaces")},
		{"name", json_string("")},
		{"email", json_string("a\tb")},
		{"time_zone", json_string("Africa Nairobi")},
		{"languages", json_pack("[s]", "de")},
		{"languages", json_pack("[ss]", "en", "en")},
		{"languages", json_array()},
		{"key", json_string(B64_31)},
		{"key", json_string("not base64")},
		{"key", NULL},
		{"extra", json_string("x")},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(register_one(&h, "KEN", contact_with(bad[i].key, bad[i].value),
					      SALT32),
				 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(register_one(&h, "KEN", coop_h_contact("a", "technical"), B64_31),
			 PNYX_RULE_INVALID_FIELD);
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "poc.register", "{s:[],s:s}",
		  "contacts", "salt", SALT32);
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "poc.register", "{s:[oo],s:s}",
		  "contacts", coop_h_contact("a", "technical"),
		  coop_h_contact("a", "diplomatic"), "salt", SALT32);
	json_t *nine = json_array();
	for (int i = 0; i < 9; i++) {
		char id[8];
		snprintf(id, sizeof id, "c%d", i);
		json_array_append_new(nine, coop_h_contact(id, "technical"));
	}
	COOP_RULE(&h, PNYX_RULE_MALFORMED_ACTION, "KEN", "poc.register", "{s:o,s:s}",
		  "contacts", nine, "salt", SALT32);
	assert_null(coop_h_get(&h, "directory", "KEN", NULL));
	snprintf(h.e.forum, sizeof h.e.forum, "other");
	assert_int_equal(register_one(&h, "KEN", coop_h_contact("a", "technical"), SALT32),
			 PNYX_RULE_WRONG_FORUM);
	snprintf(h.e.forum, sizeof h.e.forum, "oewg");
	coop_h_register(&h, "KEN", 3);
	assert_int_equal(json_array_size(coop_h_get(&h, "directory", "KEN", "contacts", NULL)), 3);
	pnyx_coop_audience au;
	pnyx_coop_last_audience(h.c, &au);
	assert_true(au.all_members);
	assert_string_equal(pnyx_coop_last_actor(h.c), "KEN");
	coop_h_register(&h, "KEN", 1); /* replaces the whole entry */
	assert_int_equal(json_array_size(coop_h_get(&h, "directory", "KEN", "contacts", NULL)), 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "KEN", "sent", NULL), 0);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* Before cooperation.open nothing is accepted, and nothing is published. */
static void not_open(void **state)
{
	(void)state;
	coop_h h;
	coop_h_init_closed(&h, codes, 5);
	assert_int_equal(register_one(&h, "KEN", coop_h_contact("a", "technical"), SALT32),
			 PNYX_RULE_NO_FORUM);
	assert_string_equal(h.last.msg, "cooperation is not open in this forum");
	json_t *pub = pnyx_coop_published_figures(h.c, h.e.st);
	assert_int_equal(json_object_size(pub), 0);
	json_decref(pub);
	coop_h_free(&h);
}

/* ---- requests ---- */

static void request_lifecycle(void **state)
{
	(void)state;
	coop_h h;
	char id[88];
	setup(&h);
	coop_h_register(&h, "KEN", 2);
	coop_h_register(&h, "FRA", 1);
	uint64_t t0 = h.e.now;
	coop_h_send(&h, "KEN", "FRA", "incident", "high", id);
	assert_string_equal(id, "KEN:2");
	pnyx_coop_audience au;
	pnyx_coop_last_audience(h.c, &au);
	assert_false(au.all_members);
	assert_string_equal(au.a, "KEN");
	assert_string_equal(au.b, "FRA");
	const json_t *req = coop_h_get(&h, "requests", id, NULL);
	assert_string_equal(json_string_value(json_object_get(req, "status")), "sent");
	assert_int_equal(coop_h_int(&h, "requests", id, "deadline_ms", NULL),
			 (json_int_t)t0 + 24 * HOUR);
	h.e.now += HOUR;
	COOP_OK(&h, "FRA", "request.ack", "{s:s}", "request", id);
	COOP_RULE(&h, PNYX_RULE_CONFLICT, "FRA", "request.ack", "{s:s}", "request", id);
	assert_string_equal(json_string_value(json_object_get(req, "status")), "acknowledged");
	assert_int_equal(coop_h_int(&h, "requests", id, "acknowledged_ms", NULL),
			 (json_int_t)h.e.now);
	assert_true(json_is_false(json_object_get(req, "late")));
	h.e.now += HOUR;
	COOP_OK(&h, "FRA", "request.answer", "{s:s,s:o}", "request", id, "sealed",
		coop_h_sealed("FRA", "KEN"));
	COOP_OK(&h, "FRA", "request.answer", "{s:s,s:o}", "request", id, "sealed",
		coop_h_sealed("FRA", "KEN"));
	assert_string_equal(json_string_value(json_object_get(req, "status")), "answered");
	assert_int_equal(coop_h_int(&h, "requests", id, "answers", NULL), 2);
	COOP_RULE(&h, PNYX_RULE_CONFLICT, "FRA", "request.decline", "{s:s,s:s}", "request",
		  id, "grounds", "other");
	COOP_OK(&h, "KEN", "request.close", "{s:s}", "request", id);
	assert_string_equal(json_string_value(json_object_get(req, "status")), "closed");
	assert_string_equal(json_string_value(json_object_get(req, "closed_by")), "KEN");
	COOP_RULE(&h, PNYX_RULE_CONFLICT, "FRA", "request.close", "{s:s}", "request", id);
	COOP_RULE(&h, PNYX_RULE_CONFLICT, "FRA", "request.answer", "{s:s,s:o}", "request",
		  id, "sealed", coop_h_sealed("FRA", "KEN"));
	assert_int_equal(json_array_size(json_object_get(req, "events")), 5);
	uint64_t nomem = 0;
	for (size_t i = 0; i < h.n; i++)
		nomem += coop_h_fault_loop(&h, i);
	assert_true(nomem > 20);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "KEN", "sent", NULL), 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "received", NULL), 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "acknowledged", NULL), 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "median_ack_ms", NULL),
			 HOUR);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

static void decline_and_data(void **state)
{
	(void)state;
	coop_h h;
	char id[88], id2[88];
	setup(&h);
	coop_h_register(&h, "KEN", 1);
	coop_h_register(&h, "FRA", 1);
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "request.send", "{s:s,s:s,s:s,s:s,s:o}",
		  "to", "FRA", "kind", "data", "severity", "low", "tlp", "RED", "sealed",
		  coop_h_sealed("KEN", "FRA"));
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "request.send",
		  "{s:s,s:s,s:s,s:s,s:o,s:s}", "to", "FRA", "kind", "incident", "severity",
		  "low", "tlp", "RED", "sealed", coop_h_sealed("KEN", "FRA"), "legal_basis",
		  "MLAT");
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "request.send", "{s:s,s:s,s:s,s:s,s:o}",
		  "to", "FRA", "kind", "gossip", "severity", "low", "tlp", "RED", "sealed",
		  coop_h_sealed("KEN", "FRA"));
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "request.send", "{s:s,s:s,s:s,s:s,s:o}",
		  "to", "FRA", "kind", "incident", "severity", "urgent", "tlp", "RED",
		  "sealed", coop_h_sealed("KEN", "FRA"));
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "request.send", "{s:s,s:s,s:s,s:s,s:o}",
		  "to", "FRA", "kind", "incident", "severity", "low", "tlp", "WHITE",
		  "sealed", coop_h_sealed("KEN", "FRA"));
	coop_h_send(&h, "KEN", "FRA", "data", "medium", id);
	assert_string_equal(json_string_value(coop_h_get(&h, "requests", id, "legal_basis", NULL)),
			    "Budapest Convention, article 31");
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "FRA", "request.decline", "{s:s,s:s}",
		  "request", id, "grounds", "bored");
	COOP_OK(&h, "FRA", "request.decline", "{s:s,s:s,s:o}", "request", id, "grounds",
		"human-rights", "sealed", coop_h_sealed("FRA", "KEN"));
	assert_string_equal(json_string_value(coop_h_get(&h, "requests", id, "status", NULL)),
			    "declined");
	COOP_RULE(&h, PNYX_RULE_CONFLICT, "FRA", "request.answer", "{s:s,s:o}", "request",
		  id, "sealed", coop_h_sealed("FRA", "KEN"));
	coop_h_send(&h, "KEN", "FRA", "data", "medium", id2);
	COOP_OK(&h, "FRA", "request.answer", "{s:s,s:o}", "request", id2, "sealed",
		coop_h_sealed("FRA", "KEN"));
	coop_h_send(&h, "FRA", "KEN", "data", "low", id2);
	const json_t *pair = coop_h_get(&h, "figures", "data_requests", "KEN", "FRA", NULL);
	assert_int_equal(json_integer_value(json_object_get(pair, "made")), 2);
	assert_int_equal(json_integer_value(json_object_get(pair, "granted")), 1);
	assert_int_equal(json_integer_value(json_object_get(pair, "refused")), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(pair, "refusals"), "human-rights")), 1);
	assert_int_equal(coop_h_int(&h, "figures", "data_requests", "FRA", "KEN", "made", NULL), 1);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* Only the recipient acts on a request; others learn nothing of it. */
static void who_may_act(void **state)
{
	(void)state;
	coop_h h;
	char id[88];
	setup(&h);
	coop_h_register(&h, "KEN", 1);
	coop_h_register(&h, "FRA", 1);
	coop_h_register(&h, "USA", 1);
	coop_h_send(&h, "KEN", "FRA", "assistance", "critical", id);
	COOP_RULE(&h, PNYX_RULE_NOT_PERMITTED, "KEN", "request.ack", "{s:s}", "request", id);
	COOP_RULE(&h, PNYX_RULE_NOT_PERMITTED, "KEN", "request.answer", "{s:s,s:o}",
		  "request", id, "sealed", coop_h_sealed("KEN", "FRA"));
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_OBJECT, "USA", "request.ack", "{s:s}", "request", id);
	assert_string_equal(h.last.msg, "no request KEN:2 concerns you");
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_OBJECT, "USA", "request.ack", "{s:s}", "request",
		  "KEN:9");
	assert_string_equal(h.last.msg, "no request KEN:9 concerns you");
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_OBJECT, "USA", "request.close", "{s:s}", "request", id);
	assert_string_equal(h.last.msg, "no request KEN:2 concerns you");
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_OBJECT, "USA", "request.decline", "{s:s,s:s}",
		  "request", id, "grounds", "other");
	assert_string_equal(h.last.msg, "no request KEN:2 concerns you");
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "request.ack", "{s:s}", "request",
		  "FRA:1");
	COOP_OK(&h, "FRA", "request.decline", "{s:s,s:s}", "request", id, "grounds",
		"not-in-jurisdiction");
	COOP_OK(&h, "FRA", "request.close", "{s:s}", "request", id);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

static json_t *recipient(const char *member, const char *contact, const char *enc,
			 const char *key)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "contact", contact, "enc", enc, "key", key,
			 "member", member);
}

/* request.send KEN -> to with the sealed body {ct, recipients (stolen)}. */
static pnyx_rule send_sealed(coop_h *h, const char *to, const char *ct,
			     json_t *recipients)
{
	return coop_h_act(h, "KEN", "request.send", "{s:s,s:s,s:s,s:s,s:{s:s,s:o}}", "to",
			  to, "kind", "incident", "severity", "low", "tlp", "GREEN", "sealed",
			  "ct", ct, "recipients", recipients);
}

static json_t *pair(const char *m1, const char *c1, const char *enc1,
		    const char *key1, const char *m2, const char *c2)
{
	return json_pack("[o,o]", recipient(m1, c1, enc1, key1),
			 recipient(m2, c2, KEY32, KEY48));
}

static void recipients_rules(void **state)
{
	(void)state;
	coop_h h;
	char id[88];
	setup(&h);
	coop_h_register(&h, "KEN", 2);
	coop_h_register(&h, "FRA", 1);
	coop_h_register(&h, "USA", 1);
	json_t *cases[] = {
		pair("KEN", "tech-1", KEY32, KEY48, "USA", "tech-1"), /* a third member */
		pair("KEN", "tech-1", KEY32, KEY48, "FRA", "cert"),   /* no such contact */
		pair("KEN", "tech-1", KEY32, KEY48, "KEN", "dipl-2"), /* only one side */
		pair("FRA", "tech-1", KEY32, KEY48, "FRA", "tech-1"), /* twice */
		pair("KEN", "tech-1", B64_31, KEY48, "FRA", "tech-1"), /* enc 31 bytes */
		pair("KEN", "tech-1", KEY32, KEY47, "FRA", "tech-1"), /* key 47 bytes */
		pair("KEN", "tech-1", KEY32, "not base64", "FRA", "tech-1"),
		json_array(),
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (send_sealed(&h, "FRA", CT22, cases[i]) != PNYX_RULE_INVALID_FIELD)
			fail_msg("case %zu: %s", i, h.last.msg);
	assert_int_equal(send_sealed(&h, "FRA", B64_15,
				     pair("KEN", "tech-1", KEY32, KEY48, "FRA", "tech-1")),
			 PNYX_RULE_INVALID_FIELD); /* ct shorter than its tag */
	json_t *many = json_array();
	for (int i = 0; i < 17; i++)
		json_array_append_new(many, recipient(i % 2 ? "KEN" : "FRA", "tech-1", KEY32,
						      KEY48));
	assert_int_equal(send_sealed(&h, "FRA", CT22, many), PNYX_RULE_INVALID_FIELD);
	assert_int_equal(send_sealed(&h, "KEN", CT22,
				     pair("KEN", "tech-1", KEY32, KEY48, "KEN", "dipl-2")),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(send_sealed(&h, "chair.1", CT22, json_array()),
			 PNYX_RULE_INVALID_FIELD);
	assert_int_equal(send_sealed(&h, "BRA", CT22,
				     pair("KEN", "tech-1", KEY32, KEY48, "BRA", "tech-1")),
			 PNYX_RULE_UNKNOWN_OBJECT);
	COOP_RULE(&h, PNYX_RULE_MALFORMED_ACTION, "KEN", "request.send",
		  "{s:s,s:s,s:s,s:s}", "to", "FRA", "kind", "incident", "severity", "low",
		  "tlp", "GREEN");
	assert_int_equal(send_sealed(&h, "FRA", CT22,
				     pair("KEN", "tech-1", KEY32, KEY48, "FRA", "tech-1")),
			 PNYX_RULE_OK);
	coop_h_send(&h, "KEN", "FRA", "incident", "low", id);
	/* an answer is sealed to the request's sender, not to a third member */
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "FRA", "request.answer", "{s:s,s:o}",
		  "request", id, "sealed", coop_h_sealed("FRA", "USA"));
	COOP_OK(&h, "FRA", "request.answer", "{s:s,s:o}", "request", id, "sealed",
		coop_h_sealed("FRA", "KEN"));
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* Acknowledgements after the deadline are late; unacknowledged requests
 * past their deadline are overdue. */
static void late_and_overdue(void **state)
{
	(void)state;
	coop_h h;
	char a[88], b[88], c[88];
	setup(&h);
	coop_h_register(&h, "KEN", 1);
	coop_h_register(&h, "FRA", 1);
	coop_h_register(&h, "USA", 1);
	coop_h_send(&h, "KEN", "FRA", "incident", "critical", a); /* 2 h */
	coop_h_send(&h, "KEN", "FRA", "incident", "critical", b);
	coop_h_send(&h, "USA", "FRA", "information", "low", c); /* 168 h */
	h.e.now += 2 * HOUR; /* exactly at the deadline: not yet overdue */
	coop_h_register(&h, "BRA", 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "overdue", NULL), 0);
	h.e.now += 1;
	coop_h_register(&h, "CHN", 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "overdue", NULL), 2);
	assert_true(json_is_true(coop_h_get(&h, "requests", a, "overdue", NULL)));
	COOP_OK(&h, "FRA", "request.ack", "{s:s}", "request", a);
	assert_true(json_is_true(coop_h_get(&h, "requests", a, "late", NULL)));
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "late_acks", NULL), 1);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "overdue", NULL), 1);
	COOP_OK(&h, "KEN", "request.close", "{s:s}", "request", b);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "overdue", NULL), 0);
	COOP_OK(&h, "FRA", "request.ack", "{s:s}", "request", c);
	assert_true(json_is_false(coop_h_get(&h, "requests", c, "late", NULL)));
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "acknowledged", NULL), 2);
	assert_int_equal(coop_h_int(&h, "figures", "per_member", "FRA", "late_acks", NULL), 1);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* The median time to a first response. */
static void median(void **state)
{
	(void)state;
	coop_h h;
	char id[4][88];
	static const int64_t hours[] = {10, 1, 3, 5};
	static const int64_t want[] = {10 * HOUR, 11 * HOUR / 2, 3 * HOUR, 4 * HOUR};
	setup(&h);
	coop_h_register(&h, "KEN", 1);
	coop_h_register(&h, "FRA", 1);
	assert_true(json_is_null(coop_h_get(&h, "figures", "per_member", "FRA",
					    "median_ack_ms", NULL)));
	for (int i = 0; i < 4; i++) {
		coop_h_send(&h, "KEN", "FRA", "information", "low", id[i]);
		h.e.now += (uint64_t)(hours[i] * HOUR);
		if (i % 2)
			COOP_OK(&h, "FRA", "request.ack", "{s:s}", "request", id[i]);
		else
			COOP_OK(&h, "FRA", "request.answer", "{s:s,s:o}", "request", id[i],
				"sealed", coop_h_sealed("FRA", "KEN"));
		if (coop_h_int(&h, "figures", "per_member", "FRA", "median_ack_ms", NULL) !=
		    want[i])
			fail_msg("median after %d responses", i + 1);
	}
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* ---- keys and sequence numbers ---- */

static char *copy_vkey(coop_h *h, const char *id, char *out)
{
	const char *k = eng_vkey(&h->e, id);
	memcpy(out, k, strlen(k) + 1);
	return out;
}

static pnyx_rule register_signed(coop_h *h, const char *who, const char *signer_id)
{
	const pnyx_signer *s = signer_id != NULL ? &eng_who(&h->e, signer_id)->key : NULL;
	return coop_h_act_ex(h, who, 0, s, "poc.register", "{s:[o],s:s}", "contacts",
			     coop_h_contact("tech-1", "technical"), "salt", SALT32);
}

/* A key signs cooperation actions from its addition on the public log to
 * its revocation there; a replay against the later public state judges
 * each leaf by the keys of its own time. */
static void keys_at_leaf_time(void **state)
{
	(void)state;
	coop_h h;
	char k1[700], k2[700], u2[700];
	setup(&h);
	EXPECT_OK(&h.e, "KEN", "key.add", "{s:s}", "key", copy_vkey(&h, "KEN-2", k2));
	h.e.now += 1000;
	assert_int_equal(register_signed(&h, "KEN", NULL), PNYX_RULE_OK);
	h.e.now += 1000;
	EXPECT_OK(&h.e, "KEN", "key.revoke", "{s:s}", "key", copy_vkey(&h, "KEN", k1));
	h.e.now += 1000;
	assert_int_equal(register_signed(&h, "KEN", NULL), PNYX_RULE_UNKNOWN_KEY);
	assert_int_equal(register_signed(&h, "KEN", "KEN-2"), PNYX_RULE_OK);
	assert_int_equal(register_signed(&h, "KEN", "USA"), PNYX_RULE_UNKNOWN_KEY);
	/* a key added on the public log after the leaf's time */
	uint64_t t = h.e.now + 10000;
	h.e.now = t;
	EXPECT_OK(&h.e, "USA", "key.add", "{s:s}", "key", copy_vkey(&h, "USA-2", u2));
	h.e.now = t - 1;
	assert_int_equal(register_signed(&h, "USA", "USA-2"), PNYX_RULE_UNKNOWN_KEY);
	h.e.now = t;
	assert_int_equal(register_signed(&h, "USA", "USA-2"), PNYX_RULE_OK);
	/* the time of the cooperation log never goes back */
	h.e.now = t - 1;
	assert_int_equal(register_signed(&h, "USA", NULL), PNYX_RULE_TIME_BACKWARDS);
	h.e.now = t + 1;
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* A member suspended on the public log may not act on the cooperation log
 * from the suspension on; what it did before stays valid at replay. */
static void suspended_member(void **state)
{
	(void)state;
	coop_h h;
	setup(&h);
	uint64_t deadline = h.e.now + 72 * HOUR;
	EXPECT_OK(&h.e, "secretariat", "decision.open", "{s:s,s:s,s:{s:s,s:s},s:I}", "id",
		  "suspend-usa", "procedure", "silence", "subject", "kind", "suspend",
		  "member", "USA", "deadline_ms", (json_int_t)deadline);
	h.e.now = deadline + 1;
	EXPECT_OK(&h.e, "secretariat", "credentials.record", "{s:s,s:s}", "member", "KEN",
		  "text", "credentials of Kenya");
	assert_string_equal(eng_get_str(&h.e, "members", "USA", "status", NULL), "suspended");
	h.e.now = deadline - 1;
	assert_int_equal(register_signed(&h, "USA", NULL), PNYX_RULE_OK);
	h.e.now = deadline + 1;
	assert_int_equal(register_signed(&h, "USA", NULL), PNYX_RULE_SUSPENDED);
	assert_int_equal(register_signed(&h, "KEN", NULL), PNYX_RULE_OK);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

static void seq_rules(void **state)
{
	(void)state;
	coop_h h;
	setup(&h);
	coop_h_register(&h, "KEN", 1);
	assert_int_equal(pnyx_coop_next_seq(h.c, "KEN"), 2);
	assert_int_equal(pnyx_coop_next_seq(h.c, "FRA"), 1);
	json_t *c = coop_h_contact("tech-1", "technical");
	assert_int_equal(coop_h_act_ex(&h, "KEN", 1, NULL, "poc.register", "{s:[O],s:s}",
				       "contacts", c, "salt", SALT32),
			 PNYX_RULE_SEQ_REPLAYED);
	assert_int_equal(coop_h_act_ex(&h, "KEN", 3, NULL, "poc.register", "{s:[O],s:s}",
				       "contacts", c, "salt", SALT32),
			 PNYX_RULE_SEQ_SKIPPED);
	/* one member's view: other entries are missing, numbers only increase */
	pnyx_coop_free(h.c);
	assert_int_equal(pnyx_coop_new(PNYX_COOP_MEMBER_VIEW, &h.c), PNYX_OK);
	static const struct { uint64_t seq; pnyx_rule want; } steps[] = {
		{3, PNYX_RULE_OK}, {2, PNYX_RULE_SEQ_REPLAYED}, {3, PNYX_RULE_SEQ_REPLAYED},
		{7, PNYX_RULE_OK},
	};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		assert_int_equal(coop_h_act_ex(&h, "KEN", steps[i].seq, NULL, "poc.register",
					       "{s:[O],s:s}", "contacts", c, "salt", SALT32),
				 steps[i].want);
	assert_int_equal(pnyx_coop_next_seq(h.c, "KEN"), 8);
	json_decref(c);
	coop_h_free(&h);
}

/* ---- pings ---- */

static const char *result(coop_h *h, const char *round, const char *member)
{
	return json_string_value(coop_h_get(h, "figures", "pings", round, "results",
					    member, NULL));
}

static void ping_round(void **state)
{
	(void)state;
	coop_h h;
	setup(&h);
	coop_h_register(&h, "KEN", 2);
	coop_h_register(&h, "FRA", 2);
	coop_h_register(&h, "USA", 1);
	coop_h_register(&h, "CHN", 1);
	COOP_RULE(&h, PNYX_RULE_NOT_PERMITTED, "KEN", "ping.start", "{s:s}", "round", "r1");
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "secretariat", "ping.start", "{s:s}", "round",
		  "r 1");
	COOP_OK(&h, "secretariat", "ping.start", "{s:s}", "round", "r1");
	COOP_RULE(&h, PNYX_RULE_EXISTS, "secretariat", "ping.start", "{s:s}", "round", "r1");
	assert_string_equal(result(&h, "r1", "KEN"), "pending");
	assert_null(result(&h, "r1", "BRA"));
	coop_h_register(&h, "KEN", 3); /* the round keeps the contacts it started with */
	h.e.now += HOUR;
	COOP_OK(&h, "KEN", "ping.ack", "{s:s,s:s}", "round", "r1", "contact", "tech-1");
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "KEN", "ping.ack", "{s:s,s:s}", "round", "r1",
		  "contact", "dipl-3");
	COOP_OK(&h, "KEN", "ping.ack", "{s:s,s:s}", "round", "r1", "contact", "dipl-2");
	COOP_RULE(&h, PNYX_RULE_CONFLICT, "KEN", "ping.ack", "{s:s,s:s}", "round", "r1",
		  "contact", "dipl-2");
	COOP_RULE(&h, PNYX_RULE_UNKNOWN_OBJECT, "KEN", "ping.ack", "{s:s,s:s}", "round", "r2",
		  "contact", "tech-1");
	COOP_RULE(&h, PNYX_RULE_INVALID_FIELD, "BRA", "ping.ack", "{s:s,s:s}", "round", "r1",
		  "contact", "tech-1");
	assert_string_equal(result(&h, "r1", "KEN"), "answered");
	COOP_OK(&h, "FRA", "ping.ack", "{s:s,s:s}", "round", "r1", "contact", "tech-1");
	assert_string_equal(result(&h, "r1", "FRA"), "pending");
	h.e.now += 48 * HOUR; /* past the window (it closed 47 h after the last ack) */
	COOP_OK(&h, "CHN", "ping.ack", "{s:s,s:s}", "round", "r1", "contact", "tech-1");
	assert_string_equal(result(&h, "r1", "KEN"), "answered");
	assert_string_equal(result(&h, "r1", "FRA"), "partial");
	assert_string_equal(result(&h, "r1", "CHN"), "late");
	assert_string_equal(result(&h, "r1", "USA"), "silent");
	size_t silent = 0;
	const char *m;
	json_t *r;
	json_object_foreach((json_t *)coop_h_get(&h, "figures", "pings", "r1", "results", NULL),
			    m, r)
		silent += strcmp(json_string_value(r), "silent") == 0;
	assert_int_equal(silent, 1);
	COOP_OK(&h, "FRA", "ping.ack", "{s:s,s:s}", "round", "r1", "contact", "dipl-2");
	assert_string_equal(result(&h, "r1", "FRA"), "late");
	/* published: the groups rules.publish names (per_member, pings) */
	json_t *pub = pnyx_coop_published_figures(h.c, h.e.st);
	assert_int_equal(json_object_size(pub), 2);
	assert_non_null(json_object_get(pub, "per_member"));
	assert_null(json_object_get(pub, "data_requests"));
	assert_true(json_equal(json_object_get(pub, "pings"),
			       coop_h_get(&h, "figures", "pings", NULL)));
	json_decref(pub);
	coop_h_check_replay(&h);
	coop_h_free(&h);
}

/* ---- advancing without a leaf (pnyx_coop_advance) ---- */

/* c's state at the path of up to four keys (the first NULL ends it). */
static const json_t *at(const pnyx_coop *c, const char *a, const char *b,
			const char *x, const char *y)
{
	const char *const path[] = {a, b, x, y};
	const json_t *v = pnyx_coop_json(c);
	for (size_t i = 0; i < 4 && path[i] != NULL; i++)
		v = json_object_get(v, path[i]);
	return v;
}

static void expect_digest(const pnyx_coop *c, const pnyx_hash *want)
{
	pnyx_hash got;
	assert_int_equal(pnyx_coop_digest(c, &got), PNYX_OK);
	assert_true(pnyx_hash_eq(&got, want));
}

/* A member's view advanced to a later time shows the figures as they stand
 * then (overdue requests, closed rounds), as a leaf at that time would;
 * a time not after the last leaf's changes nothing. */
static void advance(void **state)
{
	(void)state;
	coop_h h;
	char a[88];
	setup(&h);
	coop_h_register(&h, "KEN", 1);
	coop_h_register(&h, "FRA", 1);
	coop_h_send(&h, "KEN", "FRA", "incident", "critical", a); /* 2 h */
	COOP_OK(&h, "secretariat", "ping.start", "{s:s}", "round", "r1"); /* 48 h */
	uint64_t t0 = h.e.now;
	pnyx_coop *c = coop_h_replay(&h, PNYX_COOP_MEMBER_VIEW, NULL, NULL);
	pnyx_hash before;
	assert_int_equal(pnyx_coop_digest(c, &before), PNYX_OK);
	assert_int_equal(pnyx_coop_advance(c, t0 - HOUR), PNYX_RULE_OK);
	assert_int_equal(pnyx_coop_advance(c, t0), PNYX_RULE_OK);
	expect_digest(c, &before);
	assert_int_equal(pnyx_coop_advance(c, t0 + 2 * HOUR), PNYX_RULE_OK);
	expect_digest(c, &before); /* exactly at the deadline: not yet overdue */
	assert_int_equal(pnyx_coop_advance(c, t0 + 2 * HOUR + 1), PNYX_RULE_OK);
	assert_true(json_is_true(at(c, "requests", a, "overdue", NULL)));
	assert_int_equal(json_integer_value(at(c, "figures", "per_member", "FRA",
					       "overdue")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    at(c, "figures", "pings", "r1", "results"), "FRA")),
			    "pending");
	assert_int_equal(pnyx_coop_leaves(c), h.n);
	/* the whole log with a leaf at that time agrees */
	h.e.now = t0 + 2 * HOUR + 1;
	coop_h_register(&h, "BRA", 1);
	assert_true(json_equal(at(c, "figures", "per_member", "FRA", NULL),
			       coop_h_get(&h, "figures", "per_member", "FRA", NULL)));
	assert_true(json_equal(at(c, "requests", a, NULL, NULL),
			       coop_h_get(&h, "requests", a, NULL)));
	/* past the ping window: the round's results are final */
	assert_int_equal(pnyx_coop_advance(c, t0 + 48 * HOUR + 1), PNYX_RULE_OK);
	assert_string_equal(json_string_value(json_object_get(
				    at(c, "figures", "pings", "r1", "results"), "FRA")),
			    "silent");
	assert_int_equal(pnyx_coop_digest(c, &before), PNYX_OK);
	assert_int_equal(pnyx_coop_advance(c, t0 + HOUR), PNYX_RULE_OK);
	expect_digest(c, &before); /* already advanced past it */
	pnyx_coop_free(c);
	coop_h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(directory_rules),
		cmocka_unit_test(not_open),
		cmocka_unit_test(request_lifecycle),
		cmocka_unit_test(decline_and_data),
		cmocka_unit_test(who_may_act),
		cmocka_unit_test(recipients_rules),
		cmocka_unit_test(late_and_overdue),
		cmocka_unit_test(median),
		cmocka_unit_test(keys_at_leaf_time),
		cmocka_unit_test(suspended_member),
		cmocka_unit_test(seq_rules),
		cmocka_unit_test(ping_round),
		cmocka_unit_test(advance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
