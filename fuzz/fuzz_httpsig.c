/*
 * Fuzz target for pnyx/httpsig.h: the input is a Signature-Input value, a
 * line feed, and a Signature value. They are parsed; what parses must
 * re-encode to the very bytes received (the profile admits one form only),
 * then its signature base is built for the request of RFC 9421 Appendix B.2
 * and verified with the RFC's test-key-ed25519 (Appendix B.1.4). Only the
 * RFC's own example (fuzz/corpus/httpsig/rfc9421-b26) may verify: anything
 * else that did would be a forgery. Whatever parses is also signed with
 * the test key, must parse back to the same parameters and then verify
 * (unless the policy refuses it first).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pnyx/httpsig.h"

/* RFC 9421 B.1.4, the raw seed of test-key-ed25519 (a published test key). */
static const uint8_t rfc_seed[32] = {
	0x9f, 0x83, 0x62, 0xf8, 0x7a, 0x48, 0x4a, 0x95, 0x4e, 0x6e, 0x74,
	0x0c, 0x5b, 0x4c, 0x0e, 0x84, 0x22, 0x91, 0x39, 0xa2, 0x0a, 0xa8,
	0xab, 0x56, 0xff, 0x66, 0x58, 0x6f, 0x6a, 0x7d, 0x29, 0xc5,
};

#define RFC_SIG_PREFIX "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrn"

static const pnyx_httpsig_field fields[] = {
	{"Host", "example.com"},
	{"Date", "Tue, 20 Apr 2021 02:07:55 GMT"},
	{"Content-Type", "application/json"},
	{"Content-Length", "18"},
};

static const pnyx_httpsig_request request = {
	.method = "POST", .scheme = "https", .authority = "example.com",
	.path = "/foo", .query = "param=Value&Pet=dog", .fields = fields,
	.nfields = sizeof fields / sizeof *fields,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/* What parsed re-encodes to the received Signature-Input bytes. */
static void check_canonical(const pnyx_httpsig_params *ps, const uint8_t *in,
			    size_t n)
{
	size_t l = strlen(ps->label);
	CHECK(n > l + 1 && memcmp(in, ps->label, l) == 0 && in[l] == '=');
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_HTTPSIG_HEADER_MAX);
	CHECK(pnyx_httpsig_params_encode(ps, &b, NULL) == PNYX_OK);
	CHECK(b.len == n - l - 1 && memcmp(b.data, in + l + 1, b.len) == 0);
	pnyx_buf_clear(&b);
}

/* Signs the parsed parameters with the test key; that must verify. */
static void check_sign(const pnyx_httpsig_params *ps, const pnyx_signer *s,
		       const pnyx_verifier *v, const pnyx_httpsig_policy *pol)
{
	pnyx_buf hi, hs;
	pnyx_buf_init(&hi, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_buf_init(&hs, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_err err = pnyx_httpsig_sign(ps, &request, s, &hi, &hs, NULL);
	if (err == PNYX_OK) {
		pnyx_httpsig_params back;
		uint8_t sig[PNYX_SIG_LEN];
		CHECK(pnyx_httpsig_parse(hi.data, hi.len, hs.data, hs.len,
					 &back, sig, NULL) == PNYX_OK);
		CHECK(memcmp(&back, ps, sizeof back) == 0);
		pnyx_httpsig_reason why;
		err = pnyx_httpsig_verify(&back, sig, &request, v, pol, &why,
					  NULL);
		/* a policy refusal (no created, expired) comes first */
		CHECK(err == PNYX_OK || (err == PNYX_ERR_MISMATCH &&
					 why != PNYX_HTTPSIG_BAD_SIGNATURE));
	} else {
		CHECK(err == PNYX_ERR_NOT_FOUND);
	}
	pnyx_buf_clear(&hi);
	pnyx_buf_clear(&hs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
	if (nl == NULL)
		return 0;
	size_t n = (size_t)(nl - data);
	const uint8_t *sv = nl + 1;
	size_t sn = size - n - 1;
	pnyx_httpsig_params ps;
	uint8_t sig[PNYX_SIG_LEN];
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_httpsig_parse(data, n, sv, sn, &ps, sig, &diag);
	if (err != PNYX_OK) {
		CHECK(err == PNYX_ERR_MALFORMED || err == PNYX_ERR_TOO_LARGE);
		CHECK(diag.msg[0] != '\0');
		return 0;
	}
	check_canonical(&ps, data, n);
	pnyx_signer s;
	memset(&s, 0, sizeof s);
	CHECK(crypto_sign_seed_keypair(s.pk, s.sk, rfc_seed) == 0);
	pnyx_verifier v;
	pnyx_signer_verifier(&s, &v);
	pnyx_httpsig_policy pol = {
		.now = ps.created, .max_skew = 0, .max_age = 0,
	};
	pnyx_httpsig_reason why;
	err = pnyx_httpsig_verify(&ps, sig, &request, &v, &pol, &why, &diag);
	CHECK((err == PNYX_OK) == (why == PNYX_HTTPSIG_OK));
	if (err == PNYX_OK)
		CHECK(sn > sizeof RFC_SIG_PREFIX - 1 &&
		      memcmp(sv, RFC_SIG_PREFIX, sizeof RFC_SIG_PREFIX - 1) ==
			      0);
	check_sign(&ps, &s, &v, &pol);
	pnyx_signer_clear(&s);
	return 0;
}
