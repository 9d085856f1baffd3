/*
 * Tests for pnyx/coop_seal.h: the encrypted body of cooperation actions
 * (round trips to several recipients, a key that is not addressed, every
 * tampering refused, sizes, malformed bodies, allocation failures) and
 * contact key files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <sodium.h>

#include "pnyx/base64.h"
#include "pnyx/coop_seal.h"
#include "pnyx/fault.h"
#include "pnyx/json.h"

static const char not_authentic[] =
	"the encrypted message does not authenticate: it was changed, or it "
	"is not addressed to this key";

struct pair {
	uint8_t sk[PNYX_HPKE_SK_LEN], pk[PNYX_HPKE_PK_LEN];
};

static struct pair new_pair(void)
{
	struct pair p;
	assert_int_equal(pnyx_hpke_keypair(p.sk, p.pk), PNYX_OK);
	return p;
}

static const pnyx_coop_envelope env = {
	.forum = "oewg", .actor = "KEN", .seq = 3, .type = "request.send"};

static json_t *message(const char *text)
{
	json_t *m = json_pack("{s:s,s:[{s:s,s:s,s:s}]}", "text", text,
			      "attachments", "name", "ioc.txt", "type",
			      "text/plain", "data", "MTkyLjAuMi4x");
	assert_non_null(m);
	return m;
}

/* Seals msg to FRA/tech-1 (a) and KEN/cert (b). */
static json_t *seal_two(const json_t *msg, const struct pair *a,
			const struct pair *b)
{
	pnyx_coop_recipient r[2] = {{.member = "FRA", .contact = "tech-1"},
				    {.member = "KEN", .contact = "cert"}};
	memcpy(r[0].pk, a->pk, sizeof r[0].pk);
	memcpy(r[1].pk, b->pk, sizeof r[1].pk);
	json_t *sealed = NULL;
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_coop_seal(msg, &env, r, 2, &sealed, &d), PNYX_OK);
	return sealed;
}

static void assert_opens(const json_t *sealed, const pnyx_coop_envelope *e,
			 const char *member, const char *contact,
			 const struct pair *p, const json_t *expected,
			 size_t expected_index)
{
	json_t *pt = NULL;
	size_t which = 99;
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_coop_open(sealed, e, member, contact, p->sk, &pt,
					&which, &d), PNYX_OK);
	assert_true(json_equal(pt, expected));
	assert_int_equal(which, expected_index);
	json_decref(pt);
}

static void assert_refused(const json_t *sealed, const pnyx_coop_envelope *e,
			   const char *member, const char *contact,
			   const struct pair *p, pnyx_err expected)
{
	json_t *pt = NULL;
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_coop_open(sealed, e, member, contact, p->sk, &pt,
					NULL, &d), expected);
	assert_null(pt);
	if (expected == PNYX_ERR_BAD_SIGNATURE)
		assert_string_equal(d.msg, not_authentic);
}

static void aad_bytes(void **state)
{
	(void)state;
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	assert_int_equal(pnyx_coop_aad(&env, &b), PNYX_OK);
	assert_int_equal(b.len, strlen("oewg\nKEN\n3\nrequest.send"));
	assert_memory_equal(b.data, "oewg\nKEN\n3\nrequest.send", b.len);
	pnyx_buf_clear(&b);
}

static void two_recipients_each_open(void **state)
{
	(void)state;
	struct pair a = new_pair(), b = new_pair(), c = new_pair();
	json_t *msg = message("Ransomware on the grid operator: IOC attached.");
	json_t *sealed = seal_two(msg, &a, &b);
	assert_opens(sealed, &env, "FRA", "tech-1", &a, msg, 0);
	assert_opens(sealed, &env, "KEN", "cert", &b, msg, 1);
	assert_opens(sealed, &env, NULL, NULL, &a, msg, 0); /* try each */
	assert_opens(sealed, &env, NULL, NULL, &b, msg, 1);
	assert_opens(sealed, &env, "KEN", NULL, &b, msg, 1);
	/* a third key opens nothing; a's key on b's entry neither */
	assert_refused(sealed, &env, NULL, NULL, &c, PNYX_ERR_BAD_SIGNATURE);
	assert_refused(sealed, &env, "KEN", "cert", &a, PNYX_ERR_BAD_SIGNATURE);
	/* no entry for that member or contact */
	assert_refused(sealed, &env, "DEU", NULL, &a, PNYX_ERR_NOT_FOUND);
	assert_refused(sealed, &env, "FRA", "cert", &a, PNYX_ERR_NOT_FOUND);
	json_decref(sealed);
	json_decref(msg);
}

static void sizes(void **state)
{
	(void)state;
	struct pair a = new_pair(), b = new_pair();
	json_t *msg = message("x");
	json_t *sealed = seal_two(msg, &a, &b);
	pnyx_buf enc;
	pnyx_buf_init(&enc, 1u << 20);
	assert_int_equal(pnyx_json_encode(msg, &enc), PNYX_OK);
	const json_t *list = json_object_get(sealed, "recipients");
	assert_int_equal(json_object_size(sealed), 2);
	/* the body once: the plaintext plus a tag */
	assert_int_equal(json_string_length(json_object_get(sealed, "ct")),
			 pnyx_base64_len(enc.len + 16));
	assert_int_equal(json_array_size(list), 2);
	for (size_t i = 0; i < 2; i++) {
		const json_t *e = json_array_get(list, i);
		assert_int_equal(json_object_size(e), 4);
		assert_int_equal(json_string_length(json_object_get(e, "enc")),
				 pnyx_base64_len(32));
		assert_int_equal(json_string_length(json_object_get(e, "key")),
				 pnyx_base64_len(48));
	}
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(list, 0), "member")), "FRA");
	/* two seals of one message differ (fresh content and ephemeral keys) */
	json_t *again = seal_two(msg, &a, &b);
	assert_false(json_equal(json_object_get(again, "ct"),
				json_object_get(sealed, "ct")));
	assert_false(json_equal(again, sealed));
	pnyx_buf_clear(&enc);
	json_decref(again);
	json_decref(sealed);
	json_decref(msg);
}

/* Replaces the base64 member key of obj by itself with one bit of byte
 * at flipped. */
static void flip(json_t *obj, const char *key, size_t at)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t n = strlen(s), len = 0;
	uint8_t *raw = malloc(n);
	assert_int_equal(pnyx_base64_decode((const uint8_t *)s, n, raw, n, &len),
			 PNYX_OK);
	assert_true(at < len);
	raw[at] ^= 0x01;
	char *out = malloc(pnyx_base64_len(len) + 1);
	pnyx_base64_encode(raw, len, out, pnyx_base64_len(len) + 1);
	assert_int_equal(json_object_set_new(obj, key, json_string(out)), 0);
	free(raw);
	free(out);
}

static json_t *entry_of(json_t *sealed, size_t i)
{
	return json_array_get(json_object_get(sealed, "recipients"), i);
}

static void tampering_refused(void **state)
{
	(void)state;
	struct pair a = new_pair(), b = new_pair();
	json_t *msg = message("Request for assistance");
	/* one recipient's enc or wrapped key: that copy only */
	static const struct {
		const char *key;
		size_t at;
	} flips[] = {{"key", 0}, {"key", 47}, {"enc", 0}, {"enc", 31}};
	for (size_t k = 0; k < sizeof flips / sizeof *flips; k++) {
		json_t *sealed = seal_two(msg, &a, &b);
		flip(entry_of(sealed, 0), flips[k].key, flips[k].at);
		assert_refused(sealed, &env, "FRA", "tech-1", &a,
			       PNYX_ERR_BAD_SIGNATURE);
		assert_opens(sealed, &env, "KEN", "cert", &b, msg, 1);
		json_decref(sealed);
	}
	/* the body (its first byte, its tag): every copy */
	json_t *sealed = seal_two(msg, &a, &b);
	const char *ct = json_string_value(json_object_get(sealed, "ct"));
	size_t ctn = strlen(ct) / 4 * 3 - (ct[strlen(ct) - 1] == '=') -
		     (ct[strlen(ct) - 2] == '=');
	for (size_t at = 0; at < ctn; at += ctn - 1) {
		json_t *copy = json_deep_copy(sealed);
		flip(copy, "ct", at);
		assert_refused(copy, &env, "FRA", "tech-1", &a,
			       PNYX_ERR_BAD_SIGNATURE);
		assert_refused(copy, &env, "KEN", "cert", &b,
			       PNYX_ERR_BAD_SIGNATURE);
		json_decref(copy);
	}
	/* another envelope: each part of the aad counts */
	pnyx_coop_envelope e[4] = {env, env, env, env};
	e[0].forum = "oewg2";
	e[1].actor = "FRA";
	e[2].seq = 4;
	e[3].type = "request.answer";
	for (size_t k = 0; k < 4; k++)
		assert_refused(sealed, &e[k], "FRA", "tech-1", &a,
			       PNYX_ERR_BAD_SIGNATURE);
	/* wrapped keys swapped between recipients */
	json_t *e0 = entry_of(sealed, 0), *e1 = entry_of(sealed, 1);
	json_t *k0 = json_incref(json_object_get(e0, "key"));
	json_object_set(e0, "key", json_object_get(e1, "key"));
	json_object_set_new(e1, "key", k0);
	assert_refused(sealed, &env, "FRA", "tech-1", &a, PNYX_ERR_BAD_SIGNATURE);
	assert_refused(sealed, &env, "KEN", "cert", &b, PNYX_ERR_BAD_SIGNATURE);
	json_decref(sealed);
	/* the body of another sealed message under this one's keys */
	sealed = seal_two(msg, &a, &b);
	json_t *another = message("another");
	json_t *other = seal_two(another, &a, &b);
	json_object_set(sealed, "ct", json_object_get(other, "ct"));
	assert_refused(sealed, &env, "FRA", "tech-1", &a, PNYX_ERR_BAD_SIGNATURE);
	json_decref(other);
	json_decref(another);
	json_decref(sealed);
	json_decref(msg);
}

static void seal_refusals(void **state)
{
	(void)state;
	struct pair a = new_pair();
	json_t *msg = message("x"), *out = NULL;
	pnyx_coop_recipient r[PNYX_COOP_RECIPIENTS_MAX + 1];
	char ids[PNYX_COOP_RECIPIENTS_MAX + 1][8];
	for (size_t i = 0; i <= PNYX_COOP_RECIPIENTS_MAX; i++) {
		snprintf(ids[i], sizeof ids[i], "c%zu", i);
		r[i] = (pnyx_coop_recipient){.member = "FRA", .contact = ids[i]};
		memcpy(r[i].pk, a.pk, sizeof a.pk);
	}
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_coop_seal(msg, &env, r, 0, &out, &d),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_coop_seal(msg, &env, r, PNYX_COOP_RECIPIENTS_MAX + 1,
					&out, &d), PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_coop_seal(msg, &env, r, PNYX_COOP_RECIPIENTS_MAX,
					&out, &d), PNYX_OK);
	json_decref(out);
	out = NULL;
	r[1].contact = "c0"; /* the same contact twice */
	assert_int_equal(pnyx_coop_seal(msg, &env, r, 2, &out, &d),
			 PNYX_ERR_MALFORMED);
	r[1].contact = "";
	assert_int_equal(pnyx_coop_seal(msg, &env, r, 2, &out, &d),
			 PNYX_ERR_MALFORMED);
	r[1].contact = "c1";
	memset(r[1].pk, 0, sizeof r[1].pk); /* not a usable X25519 key */
	assert_int_equal(pnyx_coop_seal(msg, &env, r, 2, &out, &d),
			 PNYX_ERR_MALFORMED);
	json_t *arr = json_array();
	assert_int_equal(pnyx_coop_seal(arr, &env, r, 1, &out, &d),
			 PNYX_ERR_MALFORMED);
	assert_null(out);
	json_decref(arr);
	json_decref(msg);
}

static void plaintext_limit(void **state)
{
	(void)state;
	struct pair a = new_pair();
	pnyx_coop_recipient r = {.member = "FRA", .contact = "tech-1"};
	memcpy(r.pk, a.pk, sizeof a.pk);
	/* {"text":"xxx..."}: 11 bytes of frame */
	size_t n = PNYX_COOP_PLAINTEXT_MAX - 11;
	char *big = malloc(n + 2);
	memset(big, 'x', n + 1);
	big[n] = 0;
	json_t *msg = json_pack("{s:s}", "text", big), *out = NULL;
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_coop_seal(msg, &env, &r, 1, &out, &d), PNYX_OK);
	json_t *pt = NULL;
	assert_int_equal(pnyx_coop_open(out, &env, NULL, NULL, a.sk, &pt, NULL,
					&d), PNYX_OK);
	assert_true(json_equal(pt, msg));
	json_decref(pt);
	json_decref(out);
	json_decref(msg);
	big[n] = 'x';
	big[n + 1] = 0;
	msg = json_pack("{s:s}", "text", big);
	out = NULL;
	assert_int_equal(pnyx_coop_seal(msg, &env, &r, 1, &out, &d),
			 PNYX_ERR_TOO_LARGE);
	assert_null(out);
	json_decref(msg);
	free(big);
}

static void assert_malformed_json(const char *text, const struct pair *a)
{
	json_error_t jerr;
	json_t *s = json_loads(text, 0, &jerr);
	assert_non_null(s);
	assert_refused(s, &env, NULL, NULL, a, PNYX_ERR_MALFORMED);
	json_decref(s);
}

static void malformed_bodies(void **state)
{
	(void)state;
	struct pair a = new_pair(), b = new_pair();
#define ENC "\"enc\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\""
#define KEY "\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""
#define CT "\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\""
	static const char *bad[] = {
		"{}",
		"{" CT ",\"recipients\":[]}",
		"{" CT ",\"recipients\":{}}",
		"{" CT ",\"recipients\":[1]}",
		"{\"recipients\":[{\"member\":\"FRA\",\"contact\":\"c\"," ENC "," KEY "}]}",
		"{" CT ",\"recipients\":[],\"x\":1}",
		"{\"ct\":\"AAAA\",\"recipients\":[{\"member\":\"FRA\",\"contact\":\"c\"," ENC "," KEY "}]}",
		"{" CT ",\"recipients\":[{\"member\":\"FRA\",\"contact\":\"c\",\"enc\":\"AAAA\"," KEY "}]}",
		"{" CT ",\"recipients\":[{\"member\":\"FRA\",\"contact\":\"c\"," ENC ",\"key\":\"AAAA\"}]}",
		"{" CT ",\"recipients\":[{\"member\":\"\",\"contact\":\"c\"," ENC "," KEY "}]}",
		"{" CT ",\"recipients\":[{\"member\":\"FRA\",\"contact\":\"c\"," ENC "," KEY ",\"x\":1}]}",
		"{" CT ",\"recipients\":[{\"member\":\"FRA\",\"contact\":\"c\",\"enc\":\"not base64!\"," KEY "}]}",
	};
#undef ENC
#undef KEY
#undef CT
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_malformed_json(bad[i], &a);
	assert_refused(NULL, &env, NULL, NULL, &a, PNYX_ERR_MALFORMED);
	/* 17 entries */
	json_t *msg = message("x");
	json_t *sealed = seal_two(msg, &a, &b);
	json_t *list = json_object_get(sealed, "recipients");
	while (json_array_size(list) <= PNYX_COOP_RECIPIENTS_MAX)
		json_array_append(list, json_array_get(list, 0));
	assert_refused(sealed, &env, NULL, NULL, &a, PNYX_ERR_MALFORMED);
	json_decref(sealed);
	json_decref(msg);
}

/* A body that authenticates but whose plaintext is not canonical JSON. */
static void non_canonical_plaintext(void **state)
{
	(void)state;
	struct pair a = new_pair();
	pnyx_buf aad;
	pnyx_buf_init(&aad, 1024);
	assert_int_equal(pnyx_coop_aad(&env, &aad), PNYX_OK);
	static const char pt[] = "{ \"text\": \"x\" }";
	uint8_t cek[32], enc[32], wrapped[48], ct[sizeof pt - 1 + 16];
	randombytes_buf(cek, sizeof cek);
	/* the body under the content key, nonce 12 zero bytes */
	pnyx_hpke_ctx ctx = {.aead = PNYX_HPKE_AES_256_GCM, .key_len = 32};
	memcpy(ctx.key, cek, sizeof cek);
	assert_int_equal(pnyx_hpke_seal(&ctx, aad.data, aad.len,
					(const uint8_t *)pt, sizeof pt - 1, ct,
					NULL), PNYX_OK);
	assert_int_equal(pnyx_hpke_seal_base(PNYX_HPKE_AES_256_GCM, a.pk,
					     (const uint8_t *)PNYX_COOP_INFO,
					     strlen(PNYX_COOP_INFO), aad.data,
					     aad.len, cek, sizeof cek, enc,
					     wrapped, NULL),
			 PNYX_OK);
	char e64[64], k64[96], c64[128];
	pnyx_base64_encode(enc, sizeof enc, e64, sizeof e64);
	pnyx_base64_encode(wrapped, sizeof wrapped, k64, sizeof k64);
	pnyx_base64_encode(ct, sizeof ct, c64, sizeof c64);
	json_t *s = json_pack("{s:s,s:[{s:s,s:s,s:s,s:s}]}", "ct", c64,
			      "recipients", "member", "FRA", "contact", "c",
			      "enc", e64, "key", k64);
	assert_refused(s, &env, NULL, NULL, &a, PNYX_ERR_MALFORMED);
	/* the same body, canonical, opens: the construction is the one
	 * documented */
	static const char good[] = "{\"text\":\"x\"}";
	uint8_t ct2[sizeof good - 1 + 16];
	pnyx_hpke_ctx ctx2 = {.aead = PNYX_HPKE_AES_256_GCM, .key_len = 32};
	memcpy(ctx2.key, cek, sizeof cek);
	assert_int_equal(pnyx_hpke_seal(&ctx2, aad.data, aad.len,
					(const uint8_t *)good, sizeof good - 1,
					ct2, NULL), PNYX_OK);
	pnyx_base64_encode(ct2, sizeof ct2, c64, sizeof c64);
	json_object_set_new(s, "ct", json_string(c64));
	json_t *expected = json_pack("{s:s}", "text", "x");
	assert_opens(s, &env, "FRA", "c", &a, expected, 0);
	json_decref(expected);
	json_decref(s);
	pnyx_hpke_ctx_clear(&ctx);
	pnyx_hpke_ctx_clear(&ctx2);
	pnyx_buf_clear(&aad);
}

static void key_files(void **state)
{
	(void)state;
	struct pair a = new_pair();
	pnyx_buf f;
	pnyx_buf_init(&f, 1024);
	assert_int_equal(pnyx_coop_key_encode("KEN/cert", a.sk, &f), PNYX_OK);
	assert_true(f.len > 15 && memcmp(f.data, "PRIVATE+X25519+KEN/cert+", 24) == 0);
	assert_int_equal(f.data[f.len - 1], '\n');
	char name[PNYX_KEY_NAME_MAX + 1];
	uint8_t sk[32], pk[32];
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_coop_key_parse(f.data, f.len, name, sk, pk, &d),
			 PNYX_OK);
	assert_string_equal(name, "KEN/cert");
	assert_memory_equal(sk, a.sk, 32);
	assert_memory_equal(pk, a.pk, 32);
	assert_int_equal(pnyx_coop_key_parse(f.data, f.len - 1, name, sk, pk, &d),
			 PNYX_OK);
	char pk64[64];
	pnyx_base64_encode(a.pk, 32, pk64, sizeof pk64);
	uint8_t back[32];
	assert_int_equal(pnyx_coop_public_key_parse((const uint8_t *)pk64,
						    strlen(pk64), back), PNYX_OK);
	assert_memory_equal(back, a.pk, 32);
	assert_int_equal(pnyx_coop_public_key_parse((const uint8_t *)pk64, 40,
						    back), PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_coop_key_encode("bad name", a.sk, &f),
			 PNYX_ERR_MALFORMED);
	static const char *bad[] = {
		"",
		"PRIVATE+X25519+\n",
		"PRIVATE+X25519+KEN+AAAA\n",
		"PRIVATE+KEY+KEN+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		"PRIVATE+X25519+KEN+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",
		"PRIVATE+X25519+K N+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		"PRIVATE+X25519++AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		"PRIVATE+X25519+KEN+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
		"PRIVATE+X25519+KEN+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		d.msg[0] = 0;
		assert_int_equal(pnyx_coop_key_parse((const uint8_t *)bad[i],
						     strlen(bad[i]), name, sk, pk,
						     &d), PNYX_ERR_MALFORMED);
		assert_true(d.msg[0] != 0);
	}
	pnyx_buf_clear(&f);
}

/* Every allocation of a seal and an open fails in turn: an error (or a
 * complete result), never a leak or a crash. */
static void allocation_failures(void **state)
{
	(void)state;
	struct pair a = new_pair(), b = new_pair();
	json_t *msg = message("fault loop");
	pnyx_coop_recipient r[2] = {{.member = "FRA", .contact = "tech-1"},
				    {.member = "KEN", .contact = "cert"}};
	memcpy(r[0].pk, a.pk, 32);
	memcpy(r[1].pk, b.pk, 32);
	json_t *good = seal_two(msg, &a, &b);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	json_t *out = NULL, *pt = NULL;
	assert_int_equal(pnyx_coop_seal(msg, &env, r, 2, &out, NULL), PNYX_OK);
	assert_int_equal(pnyx_coop_open(good, &env, "KEN", NULL, b.sk, &pt, NULL,
					NULL), PNYX_OK);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	json_decref(out);
	json_decref(pt);
	assert_true(points > 4);
	for (uint64_t i = 1; i <= points; i++) {
		out = pt = NULL;
		pnyx_fault_arm(i);
		pnyx_err e1 = pnyx_coop_seal(msg, &env, r, 2, &out, NULL);
		pnyx_err e2 = pnyx_coop_open(good, &env, "KEN", NULL, b.sk, &pt,
					     NULL, NULL);
		pnyx_fault_disarm();
		assert_true(e1 == PNYX_OK || e1 == PNYX_ERR_NOMEM);
		assert_true(e2 == PNYX_OK || e2 == PNYX_ERR_NOMEM);
		assert_true(e1 != PNYX_OK || json_array_size(json_object_get(
						     out, "recipients")) == 2);
		assert_true(e2 != PNYX_OK || json_equal(pt, msg));
		assert_true(e1 == PNYX_OK || out == NULL);
		json_decref(out);
		json_decref(pt);
	}
	json_decref(good);
	json_decref(msg);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aad_bytes),
		cmocka_unit_test(two_recipients_each_open),
		cmocka_unit_test(sizes),
		cmocka_unit_test(tampering_refused),
		cmocka_unit_test(seal_refusals),
		cmocka_unit_test(plaintext_limit),
		cmocka_unit_test(malformed_bodies),
		cmocka_unit_test(non_canonical_plaintext),
		cmocka_unit_test(key_files),
		cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
