/*
 * Tests for pnyx/key.h. Vectors: the verifier key of the example of
 * c2sp.org/signed-note v1.0.0, and the PeterNeumann / EnochRoot keys of
 * golang.org/x/mod/sumdb/note (note.go documentation and note_test.go).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/key.h"

#define U8(s) ((const uint8_t *)(s))

static const char spec_vkey[] =
	"example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char peter_skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+"
	"AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char peter_vkey[] =
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char enoch_vkey[] =
	"EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

static pnyx_err parse_v(const char *s, pnyx_verifier *v, pnyx_diag *d)
{
	return pnyx_verifier_parse(U8(s), strlen(s), v, d);
}

static pnyx_err parse_s(const char *s, pnyx_signer *k, pnyx_diag *d)
{
	return pnyx_signer_parse(U8(s), strlen(s), k, d);
}

static void spec_example_key(void **state)
{
	(void)state;
	pnyx_verifier v;
	assert_int_equal(parse_v(spec_vkey, &v, NULL), PNYX_OK);
	assert_string_equal(v.name, "example.com/foo");
	assert_int_equal(v.hash, 0x530d903a);
	assert_int_equal(v.alg, PNYX_KEY_ALG_ED25519);
	assert_int_equal(pnyx_key_hash(v.name, v.alg, v.pk), 0x530d903a);
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	assert_int_equal(pnyx_verifier_encode(&v, &b), PNYX_OK);
	assert_string_equal((char *)b.data, spec_vkey);
	pnyx_buf_clear(&b);
}

/* Go's private and verifier forms of one key agree with ours byte for byte. */
static void go_key_forms(void **state)
{
	(void)state;
	pnyx_signer s;
	pnyx_verifier v, w;
	assert_int_equal(parse_s(peter_skey, &s, NULL), PNYX_OK);
	assert_string_equal(s.name, "PeterNeumann");
	assert_int_equal(s.hash, 0xc74f20a3);
	assert_int_equal(parse_v(peter_vkey, &v, NULL), PNYX_OK);
	pnyx_signer_verifier(&s, &w);
	assert_memory_equal(&v, &w, sizeof v);
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	assert_int_equal(pnyx_signer_encode(&s, &b), PNYX_OK);
	assert_string_equal((char *)b.data, peter_skey);
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_verifier_encode(&w, &b), PNYX_OK);
	assert_string_equal((char *)b.data, peter_vkey);
	pnyx_buf_reset(&b);
	assert_int_equal(parse_v(enoch_vkey, &v, NULL), PNYX_OK);
	assert_int_equal(pnyx_verifier_encode(&v, &b), PNYX_OK);
	assert_string_equal((char *)b.data, enoch_vkey);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
	static const uint8_t zero[sizeof s] = {0};
	assert_memory_equal(&s, zero, sizeof s);
}

static void generate_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 8; i++) {
		pnyx_signer s, t;
		assert_int_equal(pnyx_signer_generate("pnyx.example/m\xC3\xA9mber",
						      &s),
				 PNYX_OK);
		pnyx_buf b;
		pnyx_buf_init(&b, 1024);
		assert_int_equal(pnyx_signer_encode(&s, &b), PNYX_OK);
		assert_int_equal(pnyx_signer_parse(b.data, b.len, &t, NULL),
				 PNYX_OK);
		assert_memory_equal(&s, &t, sizeof s);
		/* one trailing newline is allowed */
		assert_int_equal(pnyx_buf_puts(&b, "\n"), PNYX_OK);
		assert_int_equal(pnyx_signer_parse(b.data, b.len, &t, NULL),
				 PNYX_OK);
		assert_memory_equal(&s, &t, sizeof s);
		pnyx_verifier v, w;
		pnyx_signer_verifier(&s, &v);
		pnyx_buf_reset(&b);
		assert_int_equal(pnyx_verifier_encode(&v, &b), PNYX_OK);
		assert_int_equal(pnyx_verifier_parse(b.data, b.len, &w, NULL),
				 PNYX_OK);
		assert_memory_equal(&v, &w, sizeof v);
		assert_int_equal(v.hash, pnyx_key_hash(v.name, 1, v.pk));
		uint8_t sig[PNYX_SIG_LEN];
		pnyx_signer_sign(&s, U8("hi"), 2, sig);
		assert_true(pnyx_verifier_check(&v, U8("hi"), 2, sig, sizeof sig));
		assert_false(pnyx_verifier_check(&v, U8("ho"), 2, sig, sizeof sig));
		assert_false(pnyx_verifier_check(&v, U8("hi"), 2, sig, 63));
		sig[0] ^= 1;
		assert_false(pnyx_verifier_check(&v, U8("hi"), 2, sig, sizeof sig));
		sig[0] ^= 1;
		v.alg = 4;
		assert_false(pnyx_verifier_check(&v, U8("hi"), 2, sig, sizeof sig));
		pnyx_buf_clear(&b);
		pnyx_signer_clear(&s);
		pnyx_signer_clear(&t);
	}
}

static void names(void **state)
{
	(void)state;
	static const char *good[] = {
		"a", "example.com/foo", "PeterNeumann", "m\xC3\xA9mber",
		"\xE2\x80\x8B",     /* U+200B zero width space: not a space */
		"\xE1\xA0\x8E",     /* U+180E: not a space since Unicode 6.3 */
		"\xC2\x84",         /* U+0084 */
		"\x7F",             /* DEL is not a space */
		"\xF0\x9F\x98\x80", /* U+1F600 */
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(pnyx_key_name_is_valid(U8(good[i]), strlen(good[i])));
	static const char *bad[] = {
		"a+b", "+", "a b", "a\tb", "a\nb", "a\vb", "a\fb", "a\rb",
		"\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80",
		"\xE2\x80\x85", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9",
		"\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80",
		"a\x01", "\xFF", "\xC0\x80", "\xED\xA0\x80", "\xE2\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(pnyx_key_name_is_valid(U8(bad[i]), strlen(bad[i])));
	assert_false(pnyx_key_name_is_valid(U8(""), 0));
	assert_false(pnyx_key_name_is_valid(U8("a\0b"), 3));
	char longname[PNYX_KEY_NAME_MAX + 2];
	memset(longname, 'x', sizeof longname);
	assert_true(pnyx_key_name_is_valid(U8(longname), PNYX_KEY_NAME_MAX));
	assert_false(pnyx_key_name_is_valid(U8(longname), PNYX_KEY_NAME_MAX + 1));
	longname[PNYX_KEY_NAME_MAX] = 0;
	pnyx_signer s;
	assert_int_equal(pnyx_signer_generate(longname, &s), PNYX_OK);
	assert_int_equal(strlen(s.name), PNYX_KEY_NAME_MAX);
	pnyx_signer_clear(&s);
	longname[PNYX_KEY_NAME_MAX] = 'x';
	longname[PNYX_KEY_NAME_MAX + 1] = 0;
	static const char *bad_gen[] = {"", "a+b", "a b", "a\xC2\xA0", "\xFF"};
	memset(&s, 0xAA, sizeof s);
	for (size_t i = 0; i < sizeof bad_gen / sizeof *bad_gen; i++)
		assert_int_equal(pnyx_signer_generate(bad_gen[i], &s),
				 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_signer_generate(longname, &s), PNYX_ERR_MALFORMED);
	assert_int_equal(s.hash, 0xAAAAAAAA); /* untouched */
}

/* Builds "<prefix><name>+<hash>+<base64(alg || pk)>" with the correct hash
 * for whatever name, bypassing the name checks. */
static char *raw_key(const char *prefix, const char *name, uint8_t alg,
		     const uint8_t pk[32])
{
	uint8_t data[33];
	data[0] = alg;
	memcpy(data + 1, pk, 32);
	char b64[64];
	pnyx_base64_encode(data, sizeof data, b64, sizeof b64);
	static char out[1024];
	snprintf(out, sizeof out, "%s%s+%08x+%s", prefix, name,
		 (unsigned)pnyx_key_hash(name, alg, pk), b64);
	return out;
}

static void expect_bad_v(const char *text)
{
	pnyx_verifier v;
	pnyx_diag d = {{0}};
	memset(&v, 0x55, sizeof v);
	assert_int_equal(pnyx_verifier_parse(U8(text), strlen(text), &v, &d),
			 PNYX_ERR_MALFORMED);
	assert_true(d.msg[0] != 0);
	assert_int_equal(v.hash, 0x55555555); /* untouched */
}

static void expect_bad_s(const char *text)
{
	pnyx_signer s;
	pnyx_diag d = {{0}};
	memset(&s, 0x55, sizeof s);
	assert_int_equal(pnyx_signer_parse(U8(text), strlen(text), &s, &d),
			 PNYX_ERR_MALFORMED);
	assert_true(d.msg[0] != 0);
	assert_int_equal(s.hash, 0x55555555);
	/* the diagnostic never echoes key material */
	assert_null(strstr(d.msg, "AYEK"));
	assert_null(strstr(d.msg, "Peter"));
}

static void malformed_verifiers(void **state)
{
	(void)state;
	static const char *bad[] = {
		"", "\n", "PeterNeumann", "PeterNeumann+c74f20a3",
		"PeterNeumann+c74f20a3+",
		"+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann++ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		/* bad hash: upper case, short, long, not hex */
		"PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+c74f20a30+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+-74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		/* hash mismatch */
		"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumanm+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TX",
		/* wrong length and unknown algorithm with adjusted hashes
		 * (from Go's note_test.go) */
		"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
		"PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		/* bad base64: unpadded, URL alphabet, space, non-zero bits */
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq_LDE4izWy10TW",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izW y10TW",
		/* trailing garbage */
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n\n",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\r\n",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAAAA",
		/* leading garbage; a private key is not a verifier key */
		" PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		expect_bad_v(bad[i]);
	pnyx_verifier v;
	assert_int_equal(parse_v(peter_vkey, &v, NULL), PNYX_OK);
	/* names that are invalid though the hash matches */
	static const char *bad_names[] = {"a b", "a\xC2\xA0", "a\xE3\x80\x80",
					  "\xFF", "a\x01"};
	for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++)
		expect_bad_v(raw_key("", bad_names[i], 1, v.pk));
	char longname[PNYX_KEY_NAME_MAX + 2];
	memset(longname, 'x', sizeof longname - 1);
	longname[PNYX_KEY_NAME_MAX + 1] = 0;
	expect_bad_v(raw_key("", longname, 1, v.pk));
	longname[PNYX_KEY_NAME_MAX] = 0;
	assert_int_equal(parse_v(raw_key("", longname, 1, v.pk), &v, NULL),
			 PNYX_OK);
	/* algorithm bytes other than Ed25519, with matching hashes */
	expect_bad_v(raw_key("", "PeterNeumann", 0, v.pk));
	expect_bad_v(raw_key("", "PeterNeumann", 4, v.pk));
	expect_bad_v(raw_key("", "PeterNeumann", 0xff, v.pk));
}

static void malformed_signers(void **state)
{
	(void)state;
	static const char *bad[] = {
		"", "PRIVATE", "PRIVATE+KEY", "PRIVATE+KEY+",
		"PRIVATE+KEY+PeterNeumann+c74f20a3",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+",
		"PRIVATE+KEX+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"private+key+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+C74F20A3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFa",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKD=",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFzAAAA",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz ",
		"PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		expect_bad_s(bad[i]);
}

/* Go's note_test.go: every proper substring and every single-byte
 * increment of a valid key text is rejected. */
static void go_manglings(void **state)
{
	(void)state;
	const char *keys[] = {peter_vkey, peter_skey};
	for (size_t k = 0; k < 2; k++) {
		char b[128];
		size_t n = strlen(keys[k]);
		memcpy(b, keys[k], n + 1);
		for (size_t i = 0; i <= n; i++)
			for (size_t j = i + 1; j <= n; j++) {
				if (i == 0 && j == n)
					continue;
				char sub[128];
				memcpy(sub, b + i, j - i);
				sub[j - i] = 0;
				if (k == 0)
					expect_bad_v(sub);
				else
					expect_bad_s(sub);
			}
		for (size_t i = 0; i < n; i++) {
			b[i]++;
			if (k == 0)
				expect_bad_v(b);
			else
				expect_bad_s(b);
			b[i]--;
		}
	}
}

static void encode_too_small(void **state)
{
	(void)state;
	pnyx_signer s;
	assert_int_equal(parse_s(peter_skey, &s, NULL), PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, 20);
	assert_int_equal(pnyx_signer_encode(&s, &b), PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&b);
	pnyx_verifier v;
	pnyx_signer_verifier(&s, &v);
	pnyx_buf_init(&b, 20);
	assert_int_equal(pnyx_verifier_encode(&v, &b), PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
}

static int setup(void **state)
{
	(void)state;
	return pnyx_init() == PNYX_OK ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_example_key),
		cmocka_unit_test(go_key_forms),
		cmocka_unit_test(generate_round_trip),
		cmocka_unit_test(names),
		cmocka_unit_test(malformed_verifiers),
		cmocka_unit_test(malformed_signers),
		cmocka_unit_test(go_manglings),
		cmocka_unit_test(encode_too_small),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
