/* Tests for pnyx/hash.h: FIPS 180-2 vectors, incremental use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/hash.h"
#include <sodium.h>

static void hex(const pnyx_hash *h, char out[65])
{
	sodium_bin2hex(out, 65, h->b, PNYX_HASH_LEN);
}

static void vectors(void **state)
{
	(void)state;
	pnyx_hash h;
	char x[65];
	pnyx_sha256("", 0, &h);
	hex(&h, x);
	assert_string_equal(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	pnyx_sha256("abc", 3, &h);
	hex(&h, x);
	assert_string_equal(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	pnyx_sha256(m, strlen(m), &h);
	hex(&h, x);
	assert_string_equal(x, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void incremental_matches_oneshot(void **state)
{
	(void)state;
	uint8_t data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 31 + 7);
	pnyx_hash a, b;
	pnyx_sha256(data, sizeof data, &a);
	pnyx_sha256_ctx s;
	pnyx_sha256_start(&s);
	for (size_t i = 0; i < sizeof data; i += 77)
		pnyx_sha256_update(&s, data + i,
				   sizeof data - i < 77 ? sizeof data - i : 77);
	pnyx_sha256_final(&s, &b);
	assert_true(pnyx_hash_eq(&a, &b));
	b.b[31] ^= 1;
	assert_false(pnyx_hash_eq(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),
		cmocka_unit_test(incremental_matches_oneshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
