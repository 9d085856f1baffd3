/* Tests for pnyx/base64.h: RFC 4648 section 10 vectors and strictness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/base64.h"

static void rfc4648_vectors(void **state)
{
	(void)state;
	static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba",
				   "foobar"};
	static const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
				    "Zm9vYmE=", "Zm9vYmFy"};
	for (size_t i = 0; i < 7; i++) {
		char enc[16];
		size_t n = pnyx_base64_encode((const uint8_t *)in[i],
					      strlen(in[i]), enc, sizeof enc);
		assert_int_equal(n, strlen(out[i]));
		assert_string_equal(enc, out[i]);
		uint8_t dec[16];
		size_t dn = 99;
		assert_int_equal(pnyx_base64_decode((const uint8_t *)out[i],
						    strlen(out[i]), dec,
						    sizeof dec, &dn),
				 PNYX_OK);
		assert_int_equal(dn, strlen(in[i]));
		assert_memory_equal(dec, in[i], dn);
	}
}

static void rejects_non_canonical(void **state)
{
	(void)state;
	static const char *bad[] = {
		"Zg",       /* no padding */
		"Zg=",      /* short padding */
		"Zh==",     /* non-zero trailing bits */
		"Zm9=",     /* non-zero trailing bits */
		"Zm9v\n",   /* whitespace */
		"Zm 9v",    /* whitespace */
		"Zm9-",     /* URL alphabet */
		"Zm9_",     /* URL alphabet */
		"====",     /* padding only */
		"Zg==Zg==", /* padding in the middle */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		uint8_t dec[16];
		size_t dn = 99;
		assert_int_equal(pnyx_base64_decode((const uint8_t *)bad[i],
						    strlen(bad[i]), dec,
						    sizeof dec, &dn),
				 PNYX_ERR_MALFORMED);
		assert_int_equal(dn, 99);
	}
	/* libsodium 1.0.18 on its own decodes bytes above 0x7F as alphabet
	 * characters: every one of them must be refused, anywhere. */
	for (unsigned c = 0x80; c <= 0xFF; c++) {
		for (size_t pos = 0; pos < 4; pos++) {
			uint8_t s[4] = {'Z', 'm', '9', 'v'};
			s[pos] = (uint8_t)c;
			uint8_t dec[4];
			size_t dn = 99;
			assert_int_equal(pnyx_base64_decode(s, 4, dec, sizeof dec, &dn),
					 PNYX_ERR_MALFORMED);
			assert_int_equal(dn, 99);
		}
	}
	/* too long for the output buffer */
	uint8_t small[2];
	size_t dn;
	assert_int_equal(pnyx_base64_decode((const uint8_t *)"Zm9v", 4, small,
					    sizeof small, &dn),
			 PNYX_ERR_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc4648_vectors),
		cmocka_unit_test(rejects_non_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
