/*
 * Canonical JSON (src/lib/json_canonical.c, json.c): every form the parser accepts, and a
 * negative test for every branch that refuses: invalid JSON, white space,
 * key order, duplicate keys, reals, -0, leading zeros, huge numbers,
 * non-canonical escapes, invalid UTF-8 inside strings, NUL bytes, raw
 * control characters, values that are not objects, trailing bytes, and the
 * depth limit at exactly max_depth and one more; every \uXXXX escape and
 * every raw byte and escape letter; keys ordered by the bytes their escapes
 * stand for; the reasons given (invalid or not canonical, the byte, never
 * the input's words); escaped strings longer than the parser's stack
 * buffer. Also the encoder's bounded buffer and allocation-failure loops
 * (every allocation fails in turn: PNYX_ERR_NOMEM, nothing leaked). The
 * comparison with jansson's parse and re-encoding is the fuzz target
 * fuzz/fuzz_json_canonical.c and its corpus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pnyx/fault.h"
#include "pnyx/json.h"
#include "pnyx/mem.h"

/* A byte string that may hold NUL bytes: its length is the literal's. */
typedef struct bytes {
	const char *p;
	size_t n;
	const char *what;
} bytes;

#define B(s, what) {s, sizeof s - 1, what}

static json_t *const SENTINEL = (json_t *)&SENTINEL;

/* Parses and asserts success; returns the new reference. */
static json_t *parse_ok(const char *p, size_t n, size_t depth)
{
	json_t *v = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_json_parse_canonical((const uint8_t *)p, n, depth,
						 &v, &diag);
	if (err != PNYX_OK)
		fail_msg("refused canonical JSON %.*s: %s", (int)n, p, diag.msg);
	assert_non_null(v);
	assert_true(json_is_object(v));
	/* re-encoding gives the same bytes */
	pnyx_buf b;
	pnyx_buf_init(&b, n + 1);
	assert_int_equal(pnyx_json_encode(v, &b), PNYX_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, p, n);
	pnyx_buf_clear(&b);
	return v;
}

/* parse_ok of a NUL-terminated text. */
static json_t *parse_str(const char *s, size_t depth)
{
	return parse_ok(s, strlen(s), depth);
}

/* Parses and asserts PNYX_ERR_MALFORMED, a reason, and *out untouched. */
static void parse_bad(const bytes *t, size_t depth)
{
	json_t *v = SENTINEL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_json_parse_canonical((const uint8_t *)t->p, t->n,
						 depth, &v, &diag);
	if (err != PNYX_ERR_MALFORMED)
		fail_msg("%s: expected malformed, got %s", t->what, pnyx_err_name(err));
	assert_ptr_equal(v, SENTINEL);
	if (diag.msg[0] == 0)
		fail_msg("%s: no reason given", t->what);
	/* NULL diag is allowed */
	assert_int_equal(pnyx_json_parse_canonical((const uint8_t *)t->p, t->n,
						   depth, &v, NULL),
			 PNYX_ERR_MALFORMED);
}

static void parse_bad_all(const bytes *t, size_t n, size_t depth)
{
	for (size_t i = 0; i < n; i++)
		parse_bad(&t[i], depth);
}

static void accepts_canonical(void **state)
{
	(void)state;
	static const bytes ok[] = {
		B("{}", "empty object"),
		B("{\"a\":1}", "one member"),
		B("{\"a\":[],\"b\":{}}", "empty containers"),
		B("{\"a\":[1,\"x\",true,false,null,{\"b\":-5}]}", "every kind of value"),
		B("{\"A\":1,\"B\":2,\"_\":3,\"a\":4}", "keys by byte value"),
		B("{\"a\":1,\"aa\":2,\"ab\":3,\"b\":4}", "prefix before longer key"),
		B("{\"a\":9223372036854775807}", "int64 max"),
		B("{\"a\":-9223372036854775808}", "int64 min"),
		B("{\"a\":0,\"b\":-1,\"c\":10}", "zero, negative, ten"),
		B("{\"a\":\"\"}", "empty string"),
		B("{\"a\":\"\\\"\\\\\\b\\f\\n\\r\\t\"}", "the short escapes"),
		B("{\"a\":\"\\u0001\\u001F\\u000B\"}", "other control characters"),
		B("{\"a\":\"/\x7f\"}", "slash and DEL as they are"),
		B("{\"a\":\"\xc3\xa9\xe2\x80\xa8\xe4\xb8\xad\xf0\x9f\x98\x80\"}",
		  "UTF-8 of 2, 3 and 4 bytes"),
		B("{\"z\":1,\"\xc3\xa9\":2,\"\xe4\xb8\xad\":3}", "non-ASCII keys by byte"),
		B("{\"\":1}", "empty key"),
		B("{\"\\t\":1,\"\\\"\":2,\"\\\\\":3}",
		  "escaped keys by the bytes they stand for, not as written"),
		B("{\"\\u001F\":1,\" \":2}", "an escaped key before a space"),
		B("{\"a\":1,\"a\\n\":2,\"a\\u001F\":3,\"a \":4}",
		  "a prefix before its escaped extensions"),
		B("{\"a\":\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
		  "\\u000B\\u000E\\u000F\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015"
		  "\\u0016\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E"
		  "\\u001F\"}", "every control character without a short escape"),
		B("{\"a\":\"\xf4\x8f\xbf\xbf\xee\x80\x80\xef\xbf\xbf\"}",
		  "U+10FFFF, U+E000 and U+FFFF raw"),
		B("{\"a\":[[],{},\"\",0]}", "empty values in an array"),
		B("{\"a\":[true,false,null]}", "literals"),
		B("{\"a\":1234567890,\"b\":-1000000000000000000}", "long integers"),
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		json_decref(parse_ok(ok[i].p, ok[i].n, PNYX_JSON_MAX_DEPTH));
	json_t *v = parse_str("{\"a\":-9223372036854775808}", 1);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), INT64_MIN);
	json_decref(v);
}

static void refuses_invalid_json(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("", "empty input"),
		B("{", "unterminated object"),
		B("{\"a\":1", "missing brace"),
		B("{\"a\"}", "missing value"),
		B("{\"a\":}", "missing value after colon"),
		B("{a:1}", "unquoted key"),
		B("{'a':1}", "single quotes"),
		B("{\"a\":1,}", "trailing comma"),
		B("{,\"a\":1}", "leading comma"),
		B("{\"a\":[1,]}", "trailing comma in array"),
		B("{\"a\":tru}", "truncated literal"),
		B("{\"a\":True}", "capitalised literal"),
		B("{\"a\":\"x}", "unterminated string"),
		B("{\"a\":\"\\x\"}", "unknown escape"),
		B("{\"a\":\"\\u12\"}", "short \\u escape"),
		B("{\"a\":\"\\ud83d\"}", "lone high surrogate escape"),
		B("{\"a\":\"\\ude00\"}", "lone low surrogate escape"),
		B("{}{}", "two objects"),
		B("{}x", "trailing garbage"),
		B("{}]", "trailing bracket"),
		B("/*c*/{}", "comment"),
		B("\xef\xbb\xbf{}", "byte order mark"),
		B("{\"a\":NaN}", "NaN"),
		B("{\"a\":Infinity}", "Infinity"),
		B("{\"a\":0x10}", "hexadecimal"),
		B("{\"a\":+1}", "plus sign"),
		B("{\"a\":01}", "leading zero"),
		B("{\"a\":-01}", "negative leading zero"),
		B("{\"a\":.5}", "no integer part"),
		B("{\"a\":1.}", "no fraction digits"),
		B("{\"a\":--1}", "double minus"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_white_space_and_order(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B(" {}", "leading space"),
		B("{} ", "trailing space"),
		B("{}\n", "trailing newline"),
		B("{ }", "space inside"),
		B("{\"a\": 1}", "space after colon"),
		B("{\"a\" :1}", "space before colon"),
		B("{\"a\":1, \"b\":2}", "space after comma"),
		B("{\"a\":[1, 2]}", "space in array"),
		B("{\"a\":1,\n\"b\":2}", "newline between members"),
		B("{\"a\":1,\t\"b\":2}", "tab between members"),
		B("{\"a\":1,\r\"b\":2}", "carriage return between members"),
		B("{\"b\":1,\"a\":2}", "keys not sorted"),
		B("{\"a\":1,\"B\":2}", "keys sorted ignoring case"),
		B("{\"ab\":1,\"a\":2}", "longer key first"),
		B("{\"a\":{\"y\":1,\"x\":2}}", "nested keys not sorted"),
		B("{\"a\":[{\"y\":1,\"x\":2}]}", "keys in an array not sorted"),
		B("{\"z\":1,\"\xc3\xa9\":2,\"a\":3}", "non-ASCII key out of order"),
		B("{\"\\\"\":1,\"\\t\":2}", "escaped keys in the order written"),
		B("{\" \":1,\"\\u001F\":2}", "a space before an escaped key"),
		B("{\"a\\n\":1,\"a\":2}", "an escaped extension before its prefix"),
		B("{\"a\\u001F\":1,\"a\\n\":2}", "escaped keys out of order"),
		B("{\"\xc3\xa9\":1,\"\\u001F\":2}", "non-ASCII before an escaped key"),
		B("{\"a\":1,\"b\":2,\"c\":3,\"b\":4}", "a key back after others"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_duplicate_keys(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("{\"a\":1,\"a\":1}", "the same member twice"),
		B("{\"a\":1,\"a\":2}", "a key twice, different values"),
		B("{\"a\":1,\"b\":2,\"a\":3}", "a key twice, not adjacent"),
		B("{\"x\":{\"a\":1,\"a\":2}}", "nested duplicate"),
		B("{\"x\":[{\"a\":1,\"a\":2}]}", "duplicate in an array's object"),
		B("{\"a\":1,\"\\u0061\":2}", "the same key, escaped"),
		B("{\"\\n\":1,\"\\n\":2}", "the same escaped key"),
		B("{\"\\n\":1,\"\\u000A\":2}", "the same key, escaped two ways"),
		B("{\"\":1,\"\":2}", "the empty key twice"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_reals_and_odd_numbers(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("{\"a\":1.0}", "1.0"),
		B("{\"a\":0.5}", "a fraction"),
		B("{\"a\":1e2}", "an exponent"),
		B("{\"a\":1E2}", "a capital exponent"),
		B("{\"a\":1e-2}", "a negative exponent"),
		B("{\"a\":1e+2}", "an exponent with plus"),
		B("{\"a\":-0.0}", "-0.0"),
		B("{\"a\":[1,2.5]}", "a real in an array"),
		B("{\"a\":{\"b\":{\"c\":3.0}}}", "a nested real"),
		B("{\"a\":-0}", "-0"),
		B("{\"a\":9223372036854775808}", "int64 max + 1"),
		B("{\"a\":-9223372036854775809}", "int64 min - 1"),
		B("{\"a\":18446744073709551616}", "2^64"),
		B("{\"a\":1000000000000000000000000000000000000000}", "40 digits"),
		B("{\"a\":1e400}", "a real beyond double"),
		B("{\"a\":-1e400}", "a negative real beyond double"),
		B("{\"a\":1e-400}", "a real below double"),
		B("{\"a\":1e3}", "1e3"),
		B("{\"a\":-}", "a minus alone"),
		B("{\"a\":-a}", "a minus before a letter"),
		B("{\"a\":00}", "00"),
		B("{\"a\":-00}", "-00"),
		B("{\"a\":0.0}", "0.0"),
		B("{\"a\":10000000000000000000}", "a 20-digit integer"),
		B("{\"a\":99999999999999999999}", "20 nines"),
		B("{\"a\":-9223372036854775810}", "below int64 min"),
		B("{\"a\":1-1}", "a minus after digits"),
		B("{\"a\":[-0]}", "-0 in an array"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_non_canonical_strings(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("{\"a\":\"\\/\"}", "escaped slash"),
		B("{\"a\":\"\\u0041\"}", "escaped ASCII letter"),
		B("{\"\\u0061\":1}", "escaped letter in a key"),
		B("{\"a\":\"\\u0022\"}", "quote as \\u0022"),
		B("{\"a\":\"\\u005c\"}", "backslash as \\u005c"),
		B("{\"a\":\"\\u000a\"}", "newline as \\u000a"),
		B("{\"a\":\"\\u0008\"}", "backspace as \\u0008"),
		B("{\"a\":\"\\u001f\"}", "lower-case hex escape"),
		B("{\"a\":\"\\u007f\"}", "escaped DEL"),
		B("{\"a\":\"\\u00e9\"}", "escaped e acute"),
		B("{\"a\":\"\\u2028\"}", "escaped line separator"),
		B("{\"a\":\"\\ud83d\\ude00\"}", "escaped surrogate pair"),
		B("{\"a\":\"\x01\"}", "raw control character"),
		B("{\"a\":\"\t\"}", "raw tab"),
		B("{\"a\":\"\n\"}", "raw newline"),
		B("{\"a\":\"\x1f\"}", "raw unit separator"),
		B("{\"a\":\"\\u000A\"}", "newline as \\u000A"),
		B("{\"a\":\"\\u0009\"}", "tab as \\u0009"),
		B("{\"a\":\"\\u000D\"}", "carriage return as \\u000D"),
		B("{\"a\":\"\\u000C\"}", "form feed as \\u000C"),
		B("{\"a\":\"\\u0020\"}", "escaped space"),
		B("{\"a\":\"\\u007F\"}", "escaped DEL, upper case"),
		B("{\"a\":\"\\u0080\"}", "escaped U+0080"),
		B("{\"a\":\"\\u00E9\"}", "escaped e acute, upper case"),
		B("{\"a\":\"\\uD83D\\uDE00\"}", "escaped surrogate pair, upper case"),
		B("{\"a\":\"\\u0100\"}", "escaped U+0100"),
		B("{\"a\":\"\\u1001\"}", "escaped U+1001"),
		B("{\"a\":\"\\U0001\"}", "capital U escape"),
		B("{\"a\":\"\\u001G\"}", "not a hex digit"),
		B("{\"a\":\"\\u001\"}", "three hex digits"),
		B("{\"a\":\"\\\"}", "a backslash before the closing quote"),
		B("{\"a\":\"\\", "a backslash at the end"),
		B("{\"a\":\"\\u00", "a \\u escape cut short"),
		B("{\"a\":\"\\a\"}", "\\a"),
		B("{\"a\":\"\\'\"}", "escaped single quote"),
		B("{\"a\":\"\\ \"}", "escaped space, short"),
		B("{\"a\\/\":1}", "escaped slash in a key"),
		B("{\"\\u00e9\":1}", "escaped e acute in a key"),
		B("{\"a\":\"\x7f\\u007f\"}", "raw DEL then escaped"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_invalid_utf8(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("{\"a\":\"\x80\"}", "lone continuation byte"),
		B("{\"a\":\"\xbf\"}", "lone last continuation byte"),
		B("{\"a\":\"\xc0\x80\"}", "overlong NUL"),
		B("{\"a\":\"\xc1\xbf\"}", "overlong 2-byte"),
		B("{\"a\":\"\xe0\x80\xaf\"}", "overlong 3-byte"),
		B("{\"a\":\"\xf0\x80\x80\xaf\"}", "overlong 4-byte"),
		B("{\"a\":\"\xed\xa0\x80\"}", "encoded high surrogate"),
		B("{\"a\":\"\xed\xbf\xbf\"}", "encoded low surrogate"),
		B("{\"a\":\"\xf4\x90\x80\x80\"}", "above U+10FFFF"),
		B("{\"a\":\"\xf5\x80\x80\x80\"}", "lead byte F5"),
		B("{\"a\":\"\xff\"}", "byte FF"),
		B("{\"a\":\"\xfe\"}", "byte FE"),
		B("{\"a\":\"\xc3\"}", "truncated 2-byte"),
		B("{\"a\":\"\xe2\x82\"}", "truncated 3-byte"),
		B("{\"a\":\"\xf0\x9f\x98\"}", "truncated 4-byte"),
		B("{\"a\":\"\xc3\x28\"}", "bad continuation"),
		B("{\"\xc3\":1}", "invalid key"),
		B("{\"a\":[\"ok\",\"\x80\"]}", "invalid string in array"),
		B("{\"a\":1}\x80", "invalid byte after the object"),
		B("{\"a\":\"\xc1\x81\"}", "overlong A"),
		B("{\"a\":\"\xe0\x9f\xbf\"}", "overlong U+07FF"),
		B("{\"a\":\"\xf0\x8f\xbf\xbf\"}", "overlong U+FFFF"),
		B("{\"a\":\"\xf8\x88\x80\x80\x80\"}", "5-byte form"),
		B("{\"a\":\"\xe2\x82\\n\"}", "an escape inside a 3-byte form"),
		B("{\"a\":\"\xc3\"}", "a lead byte before the quote"),
		B("{\"\xc3\xa9\x80\":1}", "a continuation byte too many in a key"),
		B("{\"a\":\"ok\",\"b\":\"\xed\xb0\x80\"}", "second string invalid"),
		B("{\xc3\xa9:1}", "UTF-8 outside a string"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_nul_bytes(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("\0", "a lone NUL"),
		B("{}\0", "NUL after the object"),
		B("\0{}", "NUL before the object"),
		B("{\"a\":\"x\0y\"}", "raw NUL in a string"),
		B("{\"a\0\":1}", "raw NUL in a key"),
		B("{\"a\":1\0}", "raw NUL between tokens"),
		B("{\"a\":\"\\u0000\"}", "escaped NUL in a value"),
		B("{\"\\u0000\":1}", "escaped NUL in a key"),
		B("{\"a\":[\"\\u0000\"]}", "escaped NUL in an array"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

static void refuses_non_objects(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("[]", "an empty array"),
		B("[{\"a\":1}]", "an array of an object"),
		B("\"a\"", "a string"),
		B("1", "a number"),
		B("-1", "a negative number"),
		B("1.5", "a real"),
		B("true", "true"),
		B("false", "false"),
		B("null", "null"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad, PNYX_JSON_MAX_DEPTH);
}

/* One way of nesting: the opening and closing of each inner container, and
 * an empty one. */
typedef struct nesting {
	const char *open, *close, *empty;
} nesting;

static const nesting nestings[] = {
	{"{\"a\":", "}", "{}"},
	{"[", "]", "[]"},
};

/* Appends to b {"a":...} with depth containers (the object and depth - 1
 * nested ones of kind k) around inner, which adds a level of its own if it
 * is an empty container. */
static void nest(pnyx_buf *b, size_t depth, const nesting *k, const char *inner)
{
	assert_true(depth >= 1);
	assert_int_equal(pnyx_buf_puts(b, "{\"a\":"), PNYX_OK);
	for (size_t i = 1; i < depth; i++)
		assert_int_equal(pnyx_buf_puts(b, k->open), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(b, inner), PNYX_OK);
	for (size_t i = 1; i < depth; i++)
		assert_int_equal(pnyx_buf_puts(b, k->close), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(b, "}"), PNYX_OK);
}

/* Checks an object of exactly max levels passes and one of max + 1 fails,
 * with objects and with arrays as the nested containers. */
static void check_depth(size_t max)
{
	for (size_t i = 0; i < sizeof nestings / sizeof *nestings; i++) {
		const nesting *k = &nestings[i];
		pnyx_buf b;
		pnyx_buf_init(&b, 4096);
		/* max levels: the innermost container is empty */
		nest(&b, max - 1, k, k->empty);
		json_decref(parse_ok((const char *)b.data, b.len, max));
		pnyx_buf_reset(&b);
		/* max levels with a scalar inside the innermost */
		nest(&b, max, k, "1");
		json_decref(parse_ok((const char *)b.data, b.len, max));
		pnyx_buf_reset(&b);
		/* max + 1 levels */
		nest(&b, max, k, k->empty);
		bytes t = {(const char *)b.data, b.len, "one level too deep"};
		parse_bad(&t, max);
		pnyx_buf_reset(&b);
		nest(&b, max + 1, k, "1");
		t = (bytes){(const char *)b.data, b.len, "one level too deep, scalar"};
		parse_bad(&t, max);
		pnyx_buf_clear(&b);
	}
}

static void depth_limit(void **state)
{
	(void)state;
	/* depth 1: the object itself, holding only scalars */
	json_decref(parse_str("{}", 1));
	json_decref(parse_str("{\"a\":1,\"b\":\"x\"}", 1));
	static const bytes bad1[] = {
		B("{\"a\":{}}", "an object inside"),
		B("{\"a\":[]}", "an empty array inside"),
	};
	parse_bad_all(bad1, 2, 1);
	for (size_t max = 2; max <= PNYX_JSON_MAX_DEPTH; max++)
		check_depth(max);
	/* a wide tree of depth 3 does not count as deep */
	json_decref(parse_str("{\"a\":{\"b\":1},\"c\":[[]],\"d\":{\"e\":[1]}}", 3));
	/* the depth of the deepest branch counts, not the first */
	static const bytes bad3[] = {
		B("{\"a\":{},\"b\":{\"c\":{\"d\":{}}}}", "second branch too deep"),
		B("{\"a\":[1,[2,[3]]]}", "arrays too deep"),
	};
	parse_bad_all(bad3, 2, 3);
}

/* Parses text (NUL-terminated) at the widest depth and returns the error. */
static pnyx_err parse_err(const char *text, pnyx_diag *diag)
{
	json_t *v = SENTINEL;
	pnyx_err err = pnyx_json_parse_canonical((const uint8_t *)text,
						 strlen(text), PNYX_JSON_MAX_DEPTH,
						 &v, diag);
	if (err == PNYX_OK)
		json_decref(v);
	else
		assert_ptr_equal(v, SENTINEL);
	return err;
}

/* Every \uXXXX escape, in upper- and lower-case hex: canonical exactly for
 * U+0001 to U+001F in upper case, except the five with a short escape. */
static void every_u_escape(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 2; c++) {
		for (unsigned u = 0; u <= 0xFFFF; u++) {
			char text[32];
			if (c == 0)
				snprintf(text, sizeof text, "{\"a\":\"\\u%04X\"}", u);
			else
				snprintf(text, sizeof text, "{\"a\":\"\\u%04x\"}", u);
			bool digits_only = (u & 0xF) < 10 && ((u >> 4) & 0xF) < 10;
			bool want = (c == 0 || digits_only) && u >= 1 && u < 0x20 &&
				    u != '\b' && u != '\t' && u != '\n' &&
				    u != '\f' && u != '\r';
			pnyx_err err = parse_err(text, NULL);
			if (err != (want ? PNYX_OK : PNYX_ERR_MALFORMED))
				fail_msg("\\u%04X (case %u): got %s", u, c,
					 pnyx_err_name(err));
		}
	}
}

/* Every byte raw inside a string, and every letter after a backslash. */
static void every_byte_and_escape_letter(void **state)
{
	(void)state;
	for (unsigned b = 0; b < 256; b++) {
		uint8_t text[] = {'{', '"', 'a', '"', ':', '"', (uint8_t)b, '"', '}'};
		json_t *v = SENTINEL;
		bool want = b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
		pnyx_err err = pnyx_json_parse_canonical(text, sizeof text, 1, &v, NULL);
		if (err != (want ? PNYX_OK : PNYX_ERR_MALFORMED))
			fail_msg("raw byte 0x%02X: got %s", b, pnyx_err_name(err));
		if (err == PNYX_OK)
			json_decref(v);
		if (b == 0 || b >= 0x80)
			continue;
		uint8_t esc[] = {'{', '"', 'a', '"', ':', '"', '\\', (uint8_t)b, '"', '}'};
		want = b != 0 && strchr("\"\\bfnrt", (int)b) != NULL;
		v = SENTINEL;
		err = pnyx_json_parse_canonical(esc, sizeof esc, 1, &v, NULL);
		if (err != (want ? PNYX_OK : PNYX_ERR_MALFORMED))
			fail_msg("escape \\%c: got %s", (char)b, pnyx_err_name(err));
		if (err == PNYX_OK)
			json_decref(v);
	}
}

/* The reasons: invalid JSON apart from valid but not canonical, the byte
 * where it went wrong, and never a word of the input. */
static void reasons(void **state)
{
	(void)state;
	static const struct {
		const char *text, *reason;
	} cases[] = {
		{"{\"a\":tru}", "not valid JSON at byte 6"},
		{"{\"a\":1,}", "not valid JSON at byte 8"},
		{"{\"a\": 1}", "not in canonical form (white space) at byte 6"},
		{"{} ", "not in canonical form (white space) at byte 3"},
		{"{\"b\":1,\"a\":2}", "keys out of byte order) at byte 8"},
		{"{\"a\":1,\"a\":2}", "a key repeated) at byte 8"},
		{"{\"a\":\"\\/\"}", "escaped '/') at byte 7"},
		{"{\"a\":\"\\u00e9\"}",
		 "(a \\u escape the canonical form does not use) at byte 7"},
		{"{\"a\":\"\\u000A\"}", "short escape belongs) at byte 7"},
		{"{\"a\":-0}", "canonical form (-0) at byte 6"},
		{"{\"a\":1.5}", "a number that is not an integer"},
		{"{\"a\":9223372036854775808}", "outside the 64-bit range at byte 6"},
		{"{\"a\":\"\\u0000\"}", "NUL character at byte 7"},
		{"{\"a\":\"x\xc3\"}", "not valid UTF-8 (it starts at byte 7)"},
		{"[]", "the JSON value is not an object"},
		{"{\"a\":{\"b\":{}}}", "nests deeper than 32 levels"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pnyx_diag diag = {{0}};
		const char *t = cases[i].text;
		size_t depth = strstr(cases[i].reason, "deeper") ? 2 : PNYX_JSON_MAX_DEPTH;
		json_t *v = SENTINEL;
		assert_int_equal(pnyx_json_parse_canonical((const uint8_t *)t, strlen(t),
							   depth, &v, &diag),
				 PNYX_ERR_MALFORMED);
		if (depth == 2)
			assert_non_null(strstr(diag.msg, "nests deeper than 2 levels"));
		else if (strstr(diag.msg, cases[i].reason) == NULL)
			fail_msg("%s: reason \"%s\"", t, diag.msg);
	}
	static const char *const secret[] = {
		"{\"SECRET\":1.5}", "{\"a\":\"SECRET\x80\"}", "{\"SECRET\": 1}",
		"{\"b\":1,\"SECRET\":2}", "{\"a\":\"SECRET\\/\"}", "SECRET",
		"{\"a\":SECRET}", "{\"a\":\"SECRET",
	};
	for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) {
		pnyx_diag diag = {{0}};
		assert_int_equal(parse_err(secret[i], &diag), PNYX_ERR_MALFORMED);
		assert_null(strstr(diag.msg, "SECRET"));
		assert_true(diag.msg[0] != 0);
	}
}

/* Appends a string value of n copies of the escape esc (and some plain
 * text), so that the decoded string is longer than the parser's stack
 * buffer. */
static void put_long_string(pnyx_buf *b, const char *esc, size_t n)
{
	assert_int_equal(pnyx_buf_puts(b, "\"x"), PNYX_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pnyx_buf_puts(b, esc), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(b, "\xc3\xa9\""), PNYX_OK);
}

/* Strings with escapes longer than the stack buffer, as values and keys. */
static void long_escaped_strings(void **state)
{
	(void)state;
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 16);
	assert_int_equal(pnyx_buf_puts(&b, "{"), PNYX_OK);
	put_long_string(&b, "\\n", 300);
	assert_int_equal(pnyx_buf_puts(&b, ":"), PNYX_OK);
	put_long_string(&b, "\\u001F", 1000);
	assert_int_equal(pnyx_buf_puts(&b, ",\"y\":["), PNYX_OK);
	put_long_string(&b, "\\\"", 5000);
	assert_int_equal(pnyx_buf_puts(&b, "]}"), PNYX_OK);
	json_t *v = parse_ok((const char *)b.data, b.len, 2);
	json_t *first = json_object_iter_value(json_object_iter(v));
	assert_int_equal(json_string_length(first), 1 + 1000 + 2);
	assert_int_equal(json_string_value(first)[1], 0x1F);
	assert_int_equal(strlen(json_object_iter_key(json_object_iter(v))), 303);
	json_t *y = json_array_get(json_object_get(v, "y"), 0);
	assert_int_equal(json_string_length(y), 1 + 5000 + 2);
	json_decref(v);
	pnyx_buf_clear(&b);
}

static void encode_bounded(void **state)
{
	(void)state;
	json_t *v = parse_str("{\"a\":[1,2,3],\"b\":\"text\"}", 3);
	pnyx_buf b;
	pnyx_buf_init(&b, 10);
	assert_int_equal(pnyx_json_encode(v, &b), PNYX_ERR_TOO_LARGE);
	/* sticky */
	assert_int_equal(pnyx_json_encode(v, &b), PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&b);
	pnyx_buf_init(&b, 24);
	assert_int_equal(pnyx_json_encode(v, &b), PNYX_OK);
	assert_string_equal((const char *)b.data, "{\"a\":[1,2,3],\"b\":\"text\"}");
	pnyx_buf_clear(&b);
	json_decref(v);
	/* encoding sorts keys and escapes as the canonical form wants */
	v = json_pack("{s:s,s:i,s:s}", "z", "\"\x01\t/", "a", -3, "M", "\xc3\xa9");
	pnyx_buf_init(&b, 100);
	assert_int_equal(pnyx_json_encode(v, &b), PNYX_OK);
	assert_string_equal((const char *)b.data,
			    "{\"M\":\"\xc3\xa9\",\"a\":-3,\"z\":\"\\\"\\u0001\\t/\"}");
	json_decref(parse_ok((const char *)b.data, b.len, 1));
	pnyx_buf_clear(&b);
	json_decref(v);
}

/* Runs the parse of the n bytes at p once counting allocations, then once
 * per allocation with that one failing: each run returns PNYX_ERR_NOMEM
 * with *out untouched (and leaks nothing: the asan build checks). */
static void fault_loop(const char *p, size_t n, size_t depth)
{
	json_decref(parse_ok(p, n, depth));
	json_t *v = NULL;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_json_parse_canonical((const uint8_t *)p, n, depth,
						   &v, NULL), PNYX_OK);
	uint64_t count = pnyx_fault_passed();
	pnyx_fault_disarm();
	json_decref(v);
	assert_true(count > 0);
	for (uint64_t i = 1; i <= count; i++) {
		v = SENTINEL;
		pnyx_diag diag = {{0}};
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_json_parse_canonical((const uint8_t *)p, n,
							 depth, &v, &diag);
		pnyx_fault_disarm();
		if (err != PNYX_ERR_NOMEM)
			fail_msg("allocation %llu of %llu failing: got %s (%s)",
				 (unsigned long long)i, (unsigned long long)count,
				 pnyx_err_name(err), diag.msg);
		assert_ptr_equal(v, SENTINEL);
	}
}

/* Every allocation of a parse fails in turn: small documents, one wide
 * enough for the objects and arrays to grow, and long escaped strings
 * (the parser's own scratch buffer). */
static void allocation_failures(void **state)
{
	(void)state;
	static const char doc[] = "{\"a\":[1,{\"b\":\"x\"}],\"c\":{\"d\":true}}";
	fault_loop(doc, sizeof doc - 1, 4);
	static const char esc[] = "{\"\\t\":\"\\n\\u0001\",\"a\":[\"\\\"\",null]}";
	fault_loop(esc, sizeof esc - 1, 2);
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 16);
	assert_int_equal(pnyx_buf_puts(&b, "{"), PNYX_OK);
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(pnyx_buf_printf(&b, "\"k%02u\":%u,", i, i), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(&b, "\"long\":"), PNYX_OK);
	put_long_string(&b, "\\u001F", 400);
	assert_int_equal(pnyx_buf_puts(&b, ",\"many\":["), PNYX_OK);
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(pnyx_buf_printf(&b, "\"s%u\",", i), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(&b, "[],{}],"), PNYX_OK);
	put_long_string(&b, "\\\\", 300);
	assert_int_equal(pnyx_buf_puts(&b, ":-9223372036854775808}"), PNYX_OK);
	fault_loop((const char *)b.data, b.len, 3);
	pnyx_buf_clear(&b);
}

/* pnyx_json_sorted_keys: byte order, no keys for NULL, an empty object or
 * an array (still an array to free), and NULL with 0 keys when the
 * allocation fails. */
static void sorted_keys(void **state)
{
	(void)state;
	json_t *o = json_pack("{s:i,s:i,s:i,s:i}", "b", 1, "a", 2, "Z", 3,
			      "\xc3\xa9", 4);
	assert_non_null(o);
	size_t n = 99;
	const char **k = pnyx_json_sorted_keys(o, &n);
	assert_non_null(k);
	assert_int_equal(n, 4);
	assert_string_equal(k[0], "Z");
	assert_string_equal(k[1], "a");
	assert_string_equal(k[2], "b");
	assert_string_equal(k[3], "\xc3\xa9");
	pnyx_free(k);
	pnyx_fault_arm(1);
	n = 99;
	assert_null(pnyx_json_sorted_keys(o, &n));
	pnyx_fault_disarm();
	assert_int_equal(n, 0);
	json_decref(o);
	json_t *empty[3] = {NULL, json_object(), json_array()};
	for (size_t i = 0; i < 3; i++) {
		n = 99;
		k = pnyx_json_sorted_keys(empty[i], &n);
		assert_non_null(k);
		assert_int_equal(n, 0);
		pnyx_free(k);
		json_decref(empty[i]);
	}
}

int main(void)
{
	assert_int_equal(pnyx_init(), PNYX_OK);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_canonical),
		cmocka_unit_test(refuses_invalid_json),
		cmocka_unit_test(refuses_white_space_and_order),
		cmocka_unit_test(refuses_duplicate_keys),
		cmocka_unit_test(refuses_reals_and_odd_numbers),
		cmocka_unit_test(refuses_non_canonical_strings),
		cmocka_unit_test(refuses_invalid_utf8),
		cmocka_unit_test(refuses_nul_bytes),
		cmocka_unit_test(refuses_non_objects),
		cmocka_unit_test(depth_limit),
		cmocka_unit_test(every_u_escape),
		cmocka_unit_test(every_byte_and_escape_letter),
		cmocka_unit_test(reasons),
		cmocka_unit_test(long_escaped_strings),
		cmocka_unit_test(encode_bounded),
		cmocka_unit_test(allocation_failures),
		cmocka_unit_test(sorted_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
