/*
 * Tests for pnyx/httpsig.h: the RFC 9421 Ed25519 example, round trips,
 * malformed headers and every refusal of the verifier's policy.
 *
 * Source of the example: RFC 9421 (HTTP Message Signatures, February 2024).
 *  - Appendix B.1.4, "Example Ed25519 Test Key" (test-key-ed25519), given as
 *    PKCS#8 / SubjectPublicKeyInfo PEM; the raw bytes below are the last 32
 *    bytes of each DER (the seed after 04 20 in the private key, the key
 *    after 03 21 00 in the public key):
 *      MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
 *      MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
 *  - Appendix B.2, the test request (fields that B.2.6 does not cover are
 *    left out):
 *      POST /foo?param=Value&Pet=dog HTTP/1.1
 *      Host: example.com
 *      Date: Tue, 20 Apr 2021 02:07:55 GMT
 *      Content-Type: application/json
 *      Content-Length: 18
 *  - Appendix B.2.6, "Signing a Request Using ed25519": the signature base,
 *    the Signature-Input and the Signature of label sig-b26 (unwrapped from
 *    the RFC 8792 line folding the RFC prints them with).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pnyx/fault.h"
#include "pnyx/httpsig.h"

/* Copies a literal into a char array member, truncating (never does). */
#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static const char rfc_seed_hex[] =
	"9f8362f87a484a954e6e740c5b4c0e84229139a20aa8ab56ff66586f6a7d29c5";
static const char rfc_pk_hex[] =
	"26b40b8f93fff3d897112f7ebc582b232dbd72517d082fe83cfb30ddce43d1bb";

#define RFC_INPUT                                                         \
	"sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" "         \
	"\"content-type\" \"content-length\");created=1618884473"         \
	";keyid=\"test-key-ed25519\""
#define RFC_SIG                                                           \
	"sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1"        \
	"u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:"
#define RFC_BASE                                                          \
	"\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"                       \
	"\"@method\": POST\n"                                             \
	"\"@path\": /foo\n"                                               \
	"\"@authority\": example.com\n"                                   \
	"\"content-type\": application/json\n"                            \
	"\"content-length\": 18\n"                                        \
	"\"@signature-params\": (\"date\" \"@method\" \"@path\" "         \
	"\"@authority\" \"content-type\" \"content-length\")"             \
	";created=1618884473;keyid=\"test-key-ed25519\""
#define RFC_CREATED 1618884473u

static const pnyx_httpsig_field rfc_fields[] = {
	{"Host", "example.com"},
	{"Date", "Tue, 20 Apr 2021 02:07:55 GMT"},
	{"Content-Type", "application/json"},
	{"Content-Length", "18"},
};

static pnyx_httpsig_request rfc_request(void)
{
	pnyx_httpsig_request r = {
		.method = "POST", .scheme = "https",
		.authority = "example.com", .path = "/foo",
		.query = "param=Value&Pet=dog", .fields = rfc_fields,
		.nfields = sizeof rfc_fields / sizeof *rfc_fields,
	};
	return r;
}

static const char *const required[] = {"@method", "@target-uri|@path",
				       "@authority"};

static pnyx_httpsig_policy policy_at(uint64_t now)
{
	pnyx_httpsig_policy p = {
		.required = required, .nrequired = 3, .now = now,
		.max_skew = 60, .max_age = 300,
	};
	return p;
}

static void hex(const char *h, uint8_t *out, size_t n)
{
	assert_int_equal(sodium_hex2bin(out, n, h, strlen(h), NULL, NULL,
					NULL), 0);
}

static void rfc_keys(pnyx_signer *s, pnyx_verifier *v)
{
	uint8_t seed[32], pk[32];
	hex(rfc_seed_hex, seed, sizeof seed);
	hex(rfc_pk_hex, pk, sizeof pk);
	memset(s, 0, sizeof *s);
	COPY(s->name, "test-key-ed25519");
	assert_int_equal(crypto_sign_seed_keypair(s->pk, s->sk, seed), 0);
	assert_memory_equal(s->pk, pk, 32); /* B.1.4's two halves agree */
	s->hash = pnyx_key_hash(s->name, PNYX_KEY_ALG_ED25519, s->pk);
	pnyx_signer_verifier(s, v);
}

static pnyx_err parse(const char *in, const char *sig,
		      pnyx_httpsig_params *ps, uint8_t out[PNYX_SIG_LEN],
		      pnyx_diag *d)
{
	return pnyx_httpsig_parse((const uint8_t *)in, strlen(in),
				  (const uint8_t *)sig, strlen(sig), ps, out,
				  d);
}

static void rfc_example_verifies(void **state)
{
	(void)state;
	pnyx_signer s;
	pnyx_verifier v;
	rfc_keys(&s, &v);
	pnyx_httpsig_params ps;
	uint8_t sig[PNYX_SIG_LEN];
	pnyx_diag d = {{0}};
	assert_int_equal(parse(RFC_INPUT, RFC_SIG, &ps, sig, &d), PNYX_OK);
	assert_string_equal(ps.label, "sig-b26");
	assert_int_equal(ps.ncomponents, 6);
	assert_string_equal(ps.components[0], "date");
	assert_string_equal(ps.components[5], "content-length");
	assert_int_equal(ps.nparams, 2);
	assert_int_equal(ps.created, RFC_CREATED);
	assert_string_equal(ps.keyid, "test-key-ed25519");

	pnyx_httpsig_request req = rfc_request();
	pnyx_buf base;
	pnyx_buf_init(&base, PNYX_HTTPSIG_BASE_MAX);
	assert_int_equal(pnyx_httpsig_base(&ps, &req, &base, &d), PNYX_OK);
	assert_int_equal(base.len, strlen(RFC_BASE));
	assert_memory_equal(base.data, RFC_BASE, base.len);
	pnyx_buf_clear(&base);

	pnyx_httpsig_policy pol = policy_at(RFC_CREATED + 10);
	pnyx_httpsig_reason why = PNYX_HTTPSIG_MALFORMED;
	assert_int_equal(pnyx_httpsig_verify(&ps, sig, &req, &v, &pol, &why,
					     &d), PNYX_OK);
	assert_int_equal(why, PNYX_HTTPSIG_OK);
	pnyx_signer_clear(&s);
}

/* Ed25519 is deterministic: signing the example reproduces both headers. */
static void rfc_example_signs(void **state)
{
	(void)state;
	pnyx_signer s;
	pnyx_verifier v;
	rfc_keys(&s, &v);
	pnyx_httpsig_params ps;
	uint8_t sig[PNYX_SIG_LEN];
	assert_int_equal(parse(RFC_INPUT, RFC_SIG, &ps, sig, NULL), PNYX_OK);
	pnyx_httpsig_request req = rfc_request();
	pnyx_buf in, out;
	pnyx_buf_init(&in, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_buf_init(&out, PNYX_HTTPSIG_HEADER_MAX);
	assert_int_equal(pnyx_httpsig_sign(&ps, &req, &s, &in, &out, NULL),
			 PNYX_OK);
	assert_string_equal((const char *)in.data, RFC_INPUT);
	assert_string_equal((const char *)out.data, RFC_SIG);
	pnyx_buf_clear(&in);
	pnyx_buf_clear(&out);
	pnyx_signer_clear(&s);
}

static const pnyx_httpsig_field rt_fields[] = {
	{"Accept", "application/json"},
	{"X-Multi", "  one\t"},
	{"Date", "Sun, 22 Nov 2026 10:00:00 GMT"},
	{"x-multi", "two, three "},
};

static pnyx_httpsig_request rt_request(void)
{
	pnyx_httpsig_request r = {
		.method = "GET", .scheme = "HTTPS",
		.authority = "Pnyx.Example:8443", .path = "/v1/coop/directory",
		.query = "member=FR&x=1", .fields = rt_fields,
		.nfields = sizeof rt_fields / sizeof *rt_fields,
	};
	return r;
}

static const char *const rt_components[] = {
	"@method", "@target-uri", "@authority", "@scheme",
	"@request-target", "@path", "@query", "x-multi", "date",
};
#define RT_NCOMP (sizeof rt_components / sizeof *rt_components)

static pnyx_httpsig_params rt_params(uint64_t created)
{
	pnyx_httpsig_params ps;
	memset(&ps, 0, sizeof ps);
	COPY(ps.label, "pnyx");
	for (size_t k = 0; k < RT_NCOMP; k++)
		COPY(ps.components[k], rt_components[k]);
	ps.ncomponents = RT_NCOMP;
	const pnyx_httpsig_param order[] = {
		PNYX_HTTPSIG_P_CREATED, PNYX_HTTPSIG_P_EXPIRES,
		PNYX_HTTPSIG_P_KEYID, PNYX_HTTPSIG_P_ALG,
		PNYX_HTTPSIG_P_NONCE, PNYX_HTTPSIG_P_TAG,
	};
	memcpy(ps.order, order, sizeof order);
	ps.nparams = 6;
	ps.created = created;
	ps.expires = created + 120;
	COPY(ps.keyid, "fr.pnyx.example/key \"a\\b\"");
	COPY(ps.alg, "ed25519");
	COPY(ps.nonce, "n-0001");
	COPY(ps.tag, "pnyx-coop");
	return ps;
}

#define RT_BASE                                                           \
	"\"@method\": GET\n"                                              \
	"\"@target-uri\": https://pnyx.example:8443/v1/coop/directory"    \
	"?member=FR&x=1\n"                                                \
	"\"@authority\": pnyx.example:8443\n"                             \
	"\"@scheme\": https\n"                                            \
	"\"@request-target\": /v1/coop/directory?member=FR&x=1\n"         \
	"\"@path\": /v1/coop/directory\n"                                 \
	"\"@query\": ?member=FR&x=1\n"                                    \
	"\"x-multi\": one, two, three\n"                                  \
	"\"date\": Sun, 22 Nov 2026 10:00:00 GMT\n"                       \
	"\"@signature-params\": (\"@method\" \"@target-uri\" "            \
	"\"@authority\" \"@scheme\" \"@request-target\" \"@path\" "       \
	"\"@query\" \"x-multi\" \"date\");created=1800000000"             \
	";expires=1800000120;keyid=\"fr.pnyx.example/key \\\"a\\\\b\\\"\"" \
	";alg=\"ed25519\";nonce=\"n-0001\";tag=\"pnyx-coop\""

/* Signs rt_request with a fresh key; parses the headers back into ps. */
static void sign_rt(pnyx_signer *s, pnyx_verifier *v, pnyx_httpsig_params *ps,
		    uint8_t sig[PNYX_SIG_LEN])
{
	assert_int_equal(pnyx_signer_generate("fr.pnyx.example/key", s),
			 PNYX_OK);
	pnyx_signer_verifier(s, v);
	pnyx_httpsig_params in = rt_params(1800000000u);
	pnyx_httpsig_request req = rt_request();
	pnyx_buf hi, hs;
	pnyx_buf_init(&hi, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_buf_init(&hs, PNYX_HTTPSIG_HEADER_MAX);
	assert_int_equal(pnyx_httpsig_sign(&in, &req, s, &hi, &hs, NULL),
			 PNYX_OK);
	pnyx_diag d = {{0}};
	assert_int_equal(parse((const char *)hi.data, (const char *)hs.data,
			       ps, sig, &d), PNYX_OK);
	assert_memory_equal(ps, &in, sizeof in);
	pnyx_buf_clear(&hi);
	pnyx_buf_clear(&hs);
}

static void round_trip(void **state)
{
	(void)state;
	pnyx_signer s;
	pnyx_verifier v;
	pnyx_httpsig_params ps;
	uint8_t sig[PNYX_SIG_LEN];
	sign_rt(&s, &v, &ps, sig);
	pnyx_httpsig_request req = rt_request();
	pnyx_buf base;
	pnyx_buf_init(&base, PNYX_HTTPSIG_BASE_MAX);
	assert_int_equal(pnyx_httpsig_base(&ps, &req, &base, NULL), PNYX_OK);
	assert_string_equal((const char *)base.data, RT_BASE);
	pnyx_buf_clear(&base);
	pnyx_httpsig_policy pol = policy_at(1800000030u);
	pnyx_httpsig_reason why;
	assert_int_equal(pnyx_httpsig_verify(&ps, sig, &req, &v, &pol, &why,
					     NULL), PNYX_OK);
	assert_int_equal(why, PNYX_HTTPSIG_OK);
	pnyx_signer_clear(&s);
}

/* "@path" of an empty path is "/"; "@query" of no query is "?". */
static void derived_edges(void **state)
{
	(void)state;
	pnyx_httpsig_params ps;
	memset(&ps, 0, sizeof ps);
	COPY(ps.label, "a");
	COPY(ps.components[0], "@path");
	COPY(ps.components[1], "@query");
	COPY(ps.components[2], "@target-uri");
	ps.ncomponents = 3;
	pnyx_httpsig_request req = {.method = "GET", .scheme = "http",
				    .authority = "h", .path = "",
				    .query = NULL};
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_HTTPSIG_BASE_MAX);
	assert_int_equal(pnyx_httpsig_base(&ps, &req, &b, NULL), PNYX_OK);
	assert_string_equal((const char *)b.data,
			    "\"@path\": /\n\"@query\": ?\n"
			    "\"@target-uri\": http://h/\n"
			    "\"@signature-params\": (\"@path\" \"@query\" "
			    "\"@target-uri\")");
	pnyx_buf_clear(&b);
	/* a control character in a covered value is refused */
	req.path = "/a\nb";
	pnyx_buf_init(&b, PNYX_HTTPSIG_BASE_MAX);
	assert_int_equal(pnyx_httpsig_base(&ps, &req, &b, NULL),
			 PNYX_ERR_MALFORMED);
	pnyx_buf_clear(&b);
}

#define SIG64                                                             \
	":wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu" \
	"4A0w6vuQv5lIp5WPpBKRCw==:"

/* Signature-Input values refused, each with a valid Signature value. */
static const char *const bad_inputs[] = {
	"",
	"sig",
	"sig=",
	"Sig=();created=1",
	"1sig=();created=1",
	"sig=\"date\"",
	"sig=(\"date\"",
	"sig=(\"date\"  \"@method\")",
	"sig=( \"date\")",
	"sig=(\"date\" )",
	"sig=(date)",
	"sig=(\"Date\")",
	"sig=(\"@unknown\")",
	"sig=(\"@Method\")",
	"sig=(\"\")",
	"sig=(\"da te\")",
	"sig=(\"date\" \"date\")",
	"sig=(\"date\";sf)",
	"sig=(\"date\";key=\"a\")",
	"sig=();created",
	"sig=();created=-1",
	"sig=();created=01",
	"sig=();created=1234567890123456",
	"sig=();created=1.5",
	"sig=();created=\"1\"",
	"sig=();created=1;created=2",
	"sig=();foo=\"x\"",
	"sig=();Keyid=\"x\"",
	"sig=();keyid=abc",
	"sig=();keyid=\"a\\x\"",
	"sig=();keyid=\"a",
	"sig=();keyid=\"\x01\"",
	"sig=();keyid=\"\xc3\xa9\"",
	"sig=();alg=\"rsa-pss-sha512\"",
	"sig=();created=1, sig2=();created=1",
	"sig=();created=1 ",
	" sig=();created=1",
	"sig=();created=1;",
	"sig=()created=1",
	"sig=(\"a\" \"b\" \"c\" \"d\" \"e\" \"f\" \"g\" \"h\" \"i\" \"j\" \"k\" "
	"\"l\" \"m\" \"n\" \"o\" \"p\" \"q\")",
	"sig=(\"a12345678901234567890123456789012345678901234567890123456789"
	"01234\")",
	"sig=();nonce=\"0123456789012345678901234567890123456789012345678901"
	"234567890123456789012345678901234567890123456789012345678901234567"
	"890123456789\"", /* 129 bytes */
	"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde"
	"=();created=1",
};

/* Signature values refused for the input "sig=();created=1". */
static const char *const bad_sigs[] = {
	"",
	"sig",
	"other=" SIG64,
	"sig=abc",
	"sig=\"abc\"",
	"sig=:AAAA",
	"sig=:AAAA:",
	"sig=::",
	"sig=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu"
	"4A0w6vuQv5lIp5WPpBKRCw:",
	"sig=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu"
	"4A0w6vuQv5lIp5WPpBKRCx==:",
	"sig=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1_02Gb04v9EDgwUPiu"
	"4A0w6vuQv5lIp5WPpBKRCw==:",
	"sig=" SIG64 ", x=" SIG64,
	"sig=" SIG64 ";p=1",
	"sig=" SIG64 " ",
};

static void expect_malformed(const char *in, const char *sig)
{
	pnyx_httpsig_params ps;
	memset(&ps, 0x5a, sizeof ps);
	pnyx_httpsig_params before = ps;
	uint8_t out[PNYX_SIG_LEN];
	memset(out, 0x5a, sizeof out);
	pnyx_diag d = {{0}};
	pnyx_err err = parse(in, sig, &ps, out, &d);
	if (err != PNYX_ERR_MALFORMED)
		fail_msg("accepted or wrong error %d: [%s] [%s]", (int)err, in,
			 sig);
	assert_true(strlen(d.msg) > 0);
	assert_memory_equal(&ps, &before, sizeof ps);
	assert_int_equal(out[0], 0x5a);
}

static void malformed_refused(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof bad_inputs / sizeof *bad_inputs; k++)
		expect_malformed(bad_inputs[k], "sig=" SIG64);
	for (size_t k = 0; k < sizeof bad_sigs / sizeof *bad_sigs; k++)
		expect_malformed("sig=();created=1", bad_sigs[k]);
	/* the good forms next to them are accepted */
	pnyx_httpsig_params ps;
	uint8_t out[PNYX_SIG_LEN];
	assert_int_equal(parse("sig=();created=1", "sig=" SIG64, &ps, out,
			       NULL), PNYX_OK);
	assert_int_equal(parse("*s.-_9=(\"@query\");tag=\"\";created=0",
			       "*s.-_9=" SIG64, &ps, out, NULL), PNYX_OK);
	assert_string_equal(ps.tag, "");
	/* a value over the cap is too large */
	char big[PNYX_HTTPSIG_HEADER_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	pnyx_diag d = {{0}};
	assert_int_equal(parse(big, "sig=" SIG64, &ps, out, &d),
			 PNYX_ERR_TOO_LARGE);
	assert_int_equal(parse("sig=();created=1", big, &ps, out, &d),
			 PNYX_ERR_TOO_LARGE);
}

/* Verifies ps/sig over req with v at now; checks the error and reason. */
static void expect(const pnyx_httpsig_params *ps, const uint8_t *sig,
		   const pnyx_httpsig_request *req, const pnyx_verifier *v,
		   const pnyx_httpsig_policy *pol, pnyx_err err,
		   pnyx_httpsig_reason why)
{
	pnyx_httpsig_reason got = PNYX_HTTPSIG_OK;
	pnyx_diag d = {{0}};
	assert_int_equal(pnyx_httpsig_verify(ps, sig, req, v, pol, &got, &d),
			 err);
	assert_int_equal(got, why);
	assert_true(err == PNYX_OK || strlen(d.msg) > 0);
}

static void signature_refusals(const pnyx_httpsig_params *ps,
			       const uint8_t *sig, const pnyx_verifier *v)
{
	const pnyx_err bad = PNYX_ERR_BAD_SIGNATURE;
	const pnyx_httpsig_reason rb = PNYX_HTTPSIG_BAD_SIGNATURE;
	pnyx_httpsig_policy pol = policy_at(1800000030u);
	pnyx_httpsig_request req = rt_request();
	req.method = "POST";
	expect(ps, sig, &req, v, &pol, bad, rb);
	req = rt_request();
	req.path = "/v1/coop/log";
	expect(ps, sig, &req, v, &pol, bad, rb);
	req = rt_request();
	req.query = "member=DE&x=1";
	expect(ps, sig, &req, v, &pol, bad, rb);
	req = rt_request();
	req.authority = "evil.example";
	expect(ps, sig, &req, v, &pol, bad, rb);
	req = rt_request();
	req.nfields = 3; /* the second X-Multi line is gone */
	expect(ps, sig, &req, v, &pol, bad, rb);
	const pnyx_httpsig_field changed[] = {
		{"X-Multi", "one"}, {"Date", "Mon, 23 Nov 2026 10:00:00 GMT"},
		{"X-Multi", "two, three"},
	};
	req.fields = changed;
	expect(ps, sig, &req, v, &pol, bad, rb);
	req.nfields = 1;
	expect(ps, sig, &req, v, &pol, PNYX_ERR_NOT_FOUND,
	       PNYX_HTTPSIG_FIELD_MISSING);
	req = rt_request();
	uint8_t flipped[PNYX_SIG_LEN];
	memcpy(flipped, sig, sizeof flipped);
	flipped[10] ^= 1;
	expect(ps, flipped, &req, v, &pol, bad, rb);
}

static void policy_refusals(const pnyx_httpsig_params *ps, const uint8_t *sig,
			    const pnyx_verifier *v)
{
	const pnyx_err mm = PNYX_ERR_MISMATCH;
	pnyx_httpsig_request req = rt_request();
	pnyx_httpsig_policy pol = policy_at(1800000000u - 60);
	expect(ps, sig, &req, v, &pol, PNYX_OK, PNYX_HTTPSIG_OK);
	pol.now = 1800000000u - 61;
	expect(ps, sig, &req, v, &pol, mm, PNYX_HTTPSIG_FUTURE);
	pol.now = 1800000120u;
	expect(ps, sig, &req, v, &pol, PNYX_OK, PNYX_HTTPSIG_OK);
	pol.now = 1800000121u;
	expect(ps, sig, &req, v, &pol, mm, PNYX_HTTPSIG_EXPIRED);
	pol.max_age = 100;
	expect(ps, sig, &req, v, &pol, mm, PNYX_HTTPSIG_TOO_OLD);
	pol = policy_at(1800000030u);
	const char *const need[] = {"@method", "content-digest|accept"};
	pol.required = need;
	pol.nrequired = 2;
	expect(ps, sig, &req, v, &pol, mm, PNYX_HTTPSIG_NOT_COVERED);
	pol = policy_at(1800000030u);
	pnyx_httpsig_params p2 = *ps;
	p2.order[0] = p2.order[--p2.nparams]; /* drop created */
	expect(&p2, sig, &req, v, &pol, mm, PNYX_HTTPSIG_NO_CREATED);
	p2 = *ps;
	COPY(p2.alg, "hmac-sha256");
	expect(&p2, sig, &req, v, &pol, mm, PNYX_HTTPSIG_UNSUPPORTED);
}

static void refusals_are_distinct(void **state)
{
	(void)state;
	pnyx_signer s, other;
	pnyx_verifier v, ov;
	pnyx_httpsig_params ps;
	uint8_t sig[PNYX_SIG_LEN];
	sign_rt(&s, &v, &ps, sig);
	assert_int_equal(pnyx_signer_generate("de.pnyx.example/key", &other),
			 PNYX_OK);
	pnyx_signer_verifier(&other, &ov);
	pnyx_httpsig_request req = rt_request();
	pnyx_httpsig_policy pol = policy_at(1800000030u);
	expect(&ps, sig, &req, &ov, &pol, PNYX_ERR_BAD_SIGNATURE,
	       PNYX_HTTPSIG_BAD_SIGNATURE);
	signature_refusals(&ps, sig, &v);
	policy_refusals(&ps, sig, &v);
	pnyx_signer_clear(&s);
	pnyx_signer_clear(&other);
}

/* One sign and verify of the round-trip request; returns the first error. */
static pnyx_err sign_and_verify(const pnyx_signer *s, const pnyx_verifier *v)
{
	pnyx_httpsig_params in = rt_params(1800000000u);
	pnyx_httpsig_request req = rt_request();
	pnyx_buf hi, hs;
	pnyx_buf_init(&hi, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_buf_init(&hs, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_httpsig_sign(&in, &req, s, &hi, &hs, &d);
	pnyx_httpsig_params ps;
	uint8_t sig[PNYX_SIG_LEN];
	if (err == PNYX_OK)
		err = pnyx_httpsig_parse(hi.data, hi.len, hs.data, hs.len, &ps,
					 sig, &d);
	pnyx_httpsig_policy pol = policy_at(1800000030u);
	if (err == PNYX_OK)
		err = pnyx_httpsig_verify(&ps, sig, &req, v, &pol, NULL, &d);
	assert_true(err == PNYX_OK || strlen(d.msg) > 0);
	pnyx_buf_clear(&hi);
	pnyx_buf_clear(&hs);
	return err;
}

/* Every allocation of a sign and verify fails in turn: an error, no leak
 * (ASan), and the next run succeeds. */
static void allocation_failures(void **state)
{
	(void)state;
	pnyx_signer s;
	pnyx_verifier v;
	assert_int_equal(pnyx_signer_generate("fr.pnyx.example/key", &s),
			 PNYX_OK);
	pnyx_signer_verifier(&s, &v);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(sign_and_verify(&s, &v), PNYX_OK);
	uint64_t n = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_true(n > 0);
	for (uint64_t k = 1; k <= n; k++) {
		pnyx_fault_arm(k);
		pnyx_err err = sign_and_verify(&s, &v);
		pnyx_fault_disarm();
		assert_int_equal(err, PNYX_ERR_NOMEM);
	}
	assert_int_equal(sign_and_verify(&s, &v), PNYX_OK);
	pnyx_signer_clear(&s);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc_example_verifies),
		cmocka_unit_test(rfc_example_signs),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(derived_edges),
		cmocka_unit_test(malformed_refused),
		cmocka_unit_test(refusals_are_distinct),
		cmocka_unit_test(allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
