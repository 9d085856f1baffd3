/* Tests for pnyx/text.h: cursor, UTF-8, decimals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/text.h"

#define U8(s) ((const uint8_t *)(s))

static void cursor_lines(void **state)
{
	(void)state;
	const char *t = "one\n\ntwo\nrest";
	pnyx_cursor c;
	pnyx_cursor_init(&c, U8(t), strlen(t));
	const uint8_t *line;
	size_t n;
	assert_true(pnyx_cursor_line(&c, &line, &n));
	assert_true(pnyx_bytes_eq(line, n, "one"));
	assert_true(pnyx_cursor_line(&c, &line, &n));
	assert_int_equal(n, 0);
	assert_true(pnyx_cursor_line(&c, &line, &n));
	assert_true(pnyx_bytes_eq(line, n, "two"));
	size_t before = c.pos;
	assert_false(pnyx_cursor_line(&c, &line, &n)); /* no '\n' left */
	assert_int_equal(c.pos, before);
	assert_int_equal(pnyx_cursor_left(&c), 4);
	pnyx_cursor_init(&c, NULL, 0);
	assert_false(pnyx_cursor_line(&c, &line, &n));
}

static void utf8_valid(void **state)
{
	(void)state;
	static const char *good[] = {"", "abc", "\xc3\xa9", "\xe2\x80\x94",
				     "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
				     "\xed\x9f\xbf", "\xd9\x81\xd8\xb1"};
	static const char *bad[] = {
		"\x80",             /* lone continuation */
		"\xc0\xaf",         /* overlong '/' */
		"\xc1\xbf",         /* overlong */
		"\xe0\x80\xaf",     /* overlong */
		"\xed\xa0\x80",     /* surrogate U+D800 */
		"\xf0\x80\x80\xaf", /* overlong */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xf5\x80\x80\x80", /* invalid lead */
		"\xff",             /* invalid byte */
		"\xc3",             /* truncated */
		"\xe2\x80",         /* truncated */
		"a\xe2\x28\xa1",    /* bad continuation */
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(pnyx_utf8_is_valid(U8(good[i]), strlen(good[i])));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(pnyx_utf8_is_valid(U8(bad[i]), strlen(bad[i])));
}

static void decimals(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_int_equal(pnyx_parse_u64(U8("0"), 1, &v), PNYX_OK);
	assert_int_equal(v, 0);
	assert_int_equal(pnyx_parse_u64(U8("18446744073709551615"), 20, &v),
			 PNYX_OK);
	assert_true(v == UINT64_MAX);
	static const char *bad[] = {"", "01", "00", "-1", "+1", " 1", "1 ",
				    "1a", "18446744073709551616",
				    "99999999999999999999", "123456789012345678901"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		v = 42;
		assert_int_equal(pnyx_parse_u64(U8(bad[i]), strlen(bad[i]), &v),
				 PNYX_ERR_MALFORMED);
		assert_int_equal(v, 42); /* untouched on failure */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor_lines),
		cmocka_unit_test(utf8_valid),
		cmocka_unit_test(decimals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
