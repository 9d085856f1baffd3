/*
 * Tests for src/cli/coop_client.c: the RFC 9421 signature of cooperation
 * reads, checked with the library's own verifier (pnyx/httpsig.h): the
 * components, the authority as written in the URL but lowercased, a path
 * prefix of the URL, the query, a fresh nonce each time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "coop_client.h"

#include "pnyx/httpsig.h"

static const char *const required[] = {"@method", "@authority", "@path",
				       "@query"};

struct signed_get {
	pnyx_buf in, sig;
	pnyx_httpsig_params p;
	uint8_t s[PNYX_SIG_LEN];
};

/* Signs a GET of target with a client for base; parses the headers. */
static void sign_get(const char *base, const pnyx_signer *key,
		     const char *target, struct signed_get *g)
{
	pnyx_diag d = {{0}};
	http_client *hc = http_client_new(base, 30, &d);
	assert_non_null(hc);
	coop_client cc;
	assert_true(coop_client_init(&cc, hc, key, "KEN", &d));
	pnyx_buf_init(&g->in, 8192);
	pnyx_buf_init(&g->sig, 8192);
	assert_true(coop_client_sign(&cc, target, &g->in, &g->sig, &d));
	const char *in = (const char *)g->in.data, *sig = (const char *)g->sig.data;
	assert_true(strncmp(in, "Signature-Input: ", 17) == 0);
	assert_true(strncmp(sig, "Signature: ", 11) == 0);
	assert_int_equal(pnyx_httpsig_parse((const uint8_t *)in + 17,
					    strlen(in) - 17,
					    (const uint8_t *)sig + 11,
					    strlen(sig) - 11, &g->p, g->s, &d),
			 PNYX_OK);
	http_client_free(hc);
}

static pnyx_err verify(const struct signed_get *g, const pnyx_signer *key,
		       const char *authority, const char *path,
		       const char *query)
{
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	pnyx_httpsig_request req = {.method = "GET", .scheme = "http",
				    .authority = authority, .path = path,
				    .query = query};
	pnyx_httpsig_policy pol = {.required = required, .nrequired = 4,
				   .now = (uint64_t)time(NULL), .max_skew = 300,
				   .max_age = 300};
	return pnyx_httpsig_verify(&g->p, g->s, &req, &v, &pol, NULL, NULL);
}

static void clear(struct signed_get *g)
{
	pnyx_buf_clear(&g->in);
	pnyx_buf_clear(&g->sig);
}

static void signs_the_profile(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("coop.test/KEN", &key), PNYX_OK);
	struct signed_get g;
	sign_get("http://127.0.0.1:8080", &key, "/v1/cooperation/me", &g);
	const char *in = (const char *)g.in.data;
	assert_true(strncmp(in, "Signature-Input: pnyx=(\"@method\" \"@authority\" "
			    "\"@path\" \"@query\");created=", 62) == 0);
	assert_non_null(strstr(in, ";keyid=\"KEN\";nonce=\""));
	assert_non_null(strstr(in, "\";alg=\"ed25519\""));
	assert_int_equal(strlen(g.p.nonce), 22);
	assert_int_equal(verify(&g, &key, "127.0.0.1:8080", "/v1/cooperation/me",
				NULL), PNYX_OK);
	/* another path, a query, another authority: refused */
	assert_int_equal(verify(&g, &key, "127.0.0.1:8080", "/v1/cooperation/directory",
				NULL), PNYX_ERR_BAD_SIGNATURE);
	assert_int_equal(verify(&g, &key, "127.0.0.1:8080", "/v1/cooperation/me",
				"x=1"), PNYX_ERR_BAD_SIGNATURE);
	assert_int_equal(verify(&g, &key, "127.0.0.1:8081", "/v1/cooperation/me",
				NULL), PNYX_ERR_BAD_SIGNATURE);
	/* a fresh nonce each time */
	struct signed_get h;
	sign_get("http://127.0.0.1:8080", &key, "/v1/cooperation/me", &h);
	assert_string_not_equal(g.p.nonce, h.p.nonce);
	clear(&g);
	clear(&h);
	pnyx_signer_clear(&key);
}

static void authority_prefix_query(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("coop.test/KEN", &key), PNYX_OK);
	struct signed_get g;
	sign_get("http://Forum.Example:8443/oewg/", &key,
		 "/v1/cooperation/requests?box=inbox", &g);
	assert_int_equal(verify(&g, &key, "forum.example:8443",
				"/oewg/v1/cooperation/requests", "box=inbox"),
			 PNYX_OK);
	assert_int_equal(verify(&g, &key, "forum.example:8443",
				"/oewg/v1/cooperation/requests", "box=outbox"),
			 PNYX_ERR_BAD_SIGNATURE);
	clear(&g);
	pnyx_signer_clear(&key);
}

static void refused_bases(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("coop.test/KEN", &key), PNYX_OK);
	pnyx_diag d = {{0}};
	http_client *hc = http_client_new("file:///srv/mirror", 30, &d);
	assert_non_null(hc);
	coop_client cc;
	assert_false(coop_client_init(&cc, hc, &key, "KEN", &d));
	assert_non_null(strstr(d.msg, "http:// or https://"));
	http_client_free(hc);
	hc = http_client_new("http://", 30, &d);
	assert_non_null(hc);
	assert_false(coop_client_init(&cc, hc, &key, "KEN", &d));
	http_client_free(hc);
	hc = http_client_new("http:///oewg", 30, &d);
	assert_non_null(hc);
	d = (pnyx_diag){{0}};
	assert_false(coop_client_init(&cc, hc, &key, "KEN", &d));
	assert_non_null(strstr(d.msg, "no host"));
	http_client_free(hc);
	pnyx_signer_clear(&key);
}

/* User information in the URL is not part of the signed authority. */
static void userinfo_not_signed(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("coop.test/KEN", &key), PNYX_OK);
	struct signed_get g;
	sign_get("http://ken:secret@Forum.Example/", &key, "/v1/cooperation/me", &g);
	assert_int_equal(verify(&g, &key, "forum.example", "/v1/cooperation/me", NULL),
			 PNYX_OK);
	clear(&g);
	pnyx_signer_clear(&key);
}

/* A target that makes the signed path too long is refused, not cut. */
static void path_too_long(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("coop.test/KEN", &key), PNYX_OK);
	pnyx_diag d = {{0}};
	http_client *hc = http_client_new("http://forum.example/oewg", 30, &d);
	assert_non_null(hc);
	coop_client cc;
	assert_true(coop_client_init(&cc, hc, &key, "KEN", &d));
	char target[HTTP_URL_MAX];
	memset(target, 'a', sizeof target - 1);
	target[0] = '/';
	target[sizeof target - 1] = 0;
	pnyx_buf in, sig;
	pnyx_buf_init(&in, 8192);
	pnyx_buf_init(&sig, 8192);
	assert_false(coop_client_sign(&cc, target, &in, &sig, &d));
	assert_non_null(strstr(d.msg, "the address is too long"));
	assert_int_equal(in.len, 0);
	pnyx_buf_clear(&in);
	pnyx_buf_clear(&sig);
	http_client_free(hc);
	pnyx_signer_clear(&key);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signs_the_profile),
		cmocka_unit_test(authority_prefix_query),
		cmocka_unit_test(refused_bases),
		cmocka_unit_test(userinfo_not_signed),
		cmocka_unit_test(path_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
