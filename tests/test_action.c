/*
 * The action envelope (src/lib/action.c) and the forum leaf
 * (src/lib/leaf.c): ids, the header line, the two-line shape, the canonical
 * JSON of the body and the envelope fields, the depth limit at exactly
 * PNYX_ACTION_DEPTH and one more, NUL bytes, invalid UTF-8, huge numbers;
 * the leaf header and its time; encoders and their bounded buffers; an
 * allocation-failure loop. Every refusal is checked to leave the output
 * untouched and to give a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/json.h"
#include "pnyx/leaf.h"

typedef struct bytes {
	const char *p;
	size_t n;
	const char *what;
} bytes;

#define B(s, what) {s, sizeof s - 1, what}

#define HDR "pnyx-action v1\n"
#define ENV_A "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":"
#define ENV_B ",\"type\":\"key.add\"}\n"

/* ---- ids ---- */

static bool id_ok(const char *s)
{
	return pnyx_id_is_valid((const uint8_t *)s, strlen(s));
}

static void ids(void **state)
{
	(void)state;
	static const char *const good[] = {
		"a", "Z", "0", "9", ".", "_", "-", ":", "oewg", "chair.1",
		"sh.example-ngo", "d-2026:1_x", "AZaz09._-:",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!id_ok(good[i]))
			fail_msg("refused id %s", good[i]);
	static const char *const bad[] = {
		"", " ", "a b", "a/b", "a+b", "a@b", "a#b", "a,b", "a;b", "a\"b",
		"a\\b", "@", "[", "`", "{", "~", "\x7f", "a\n", "\t", "\xc3\xa9",
		"/", "*",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (id_ok(bad[i]))
			fail_msg("accepted id \"%s\"", bad[i]);
	/* the characters just outside each range */
	for (unsigned c = 0; c < 256; c++) {
		uint8_t b = (uint8_t)c;
		bool want = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			    c == '-' || c == ':';
		assert_int_equal(pnyx_id_is_valid(&b, 1), want);
	}
	/* NUL inside, the length counts */
	assert_false(pnyx_id_is_valid((const uint8_t *)"ab\0c", 4));
	assert_true(pnyx_id_is_valid((const uint8_t *)"ab\0c", 2));
	/* 64 characters pass, 65 do not */
	char s[PNYX_ID_MAX + 2];
	memset(s, 'x', sizeof s);
	assert_true(pnyx_id_is_valid((const uint8_t *)s, PNYX_ID_MAX));
	assert_false(pnyx_id_is_valid((const uint8_t *)s, PNYX_ID_MAX + 1));
	assert_false(pnyx_id_is_valid(NULL, 0));
}

/* ---- actions ---- */

static void parse_good(const char *text, size_t n, pnyx_action *a)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_action_parse((const uint8_t *)text, n, a, &diag);
	if (err != PNYX_OK)
		fail_msg("refused action %.*s: %s", (int)n, text, diag.msg);
}

/* Asserts PNYX_ERR_MALFORMED with a reason and the output untouched. */
static void parse_bad(const bytes *t)
{
	pnyx_action a;
	memset(&a, 0xa5, sizeof a);
	pnyx_action before = a;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_action_parse((const uint8_t *)t->p, t->n, &a, &diag);
	if (err != PNYX_ERR_MALFORMED)
		fail_msg("%s: expected malformed, got %s", t->what, pnyx_err_name(err));
	if (diag.msg[0] == 0)
		fail_msg("%s: no reason given", t->what);
	assert_memory_equal(&a, &before, sizeof a);
	assert_int_equal(pnyx_action_parse((const uint8_t *)t->p, t->n, &a, NULL),
			 PNYX_ERR_MALFORMED);
}

static void parse_bad_all(const bytes *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		parse_bad(&t[i]);
}

static void action_good(void **state)
{
	(void)state;
	static const char text[] =
		HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":7,"
		"\"type\":\"key.add\"}\n";
	pnyx_action a;
	parse_good(text, sizeof text - 1, &a);
	assert_string_equal(a.forum, "oewg");
	assert_string_equal(a.actor, "FRA");
	assert_string_equal(a.type, "key.add");
	assert_int_equal(a.seq, 7);
	assert_true(json_is_object(a.body));
	assert_string_equal(json_string_value(json_object_get(a.body, "key")), "k");
	pnyx_action_clear(&a);
	assert_null(a.body);
	pnyx_action_clear(&a); /* twice is harmless */
	pnyx_action_clear(NULL);
	pnyx_action zero = {.body = NULL};
	pnyx_action_clear(&zero);

	/* the largest seq, ids of 64 characters */
	static const char big[] =
		HDR "{\"actor\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		"\"forum\":\"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\","
		"\"seq\":9223372036854775807,"
		"\"type\":\"tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt\"}\n";
	parse_good(big, sizeof big - 1, &a);
	assert_int_equal(strlen(a.actor), PNYX_ID_MAX);
	assert_int_equal(strlen(a.forum), PNYX_ID_MAX);
	assert_int_equal(strlen(a.type), PNYX_ID_MAX);
	assert_int_equal(a.seq, INT64_MAX);
	pnyx_action_clear(&a);

	/* fields of every JSON kind next to the envelope, non-ASCII text */
	static const char rich[] =
		HDR "{\"actor\":\"KEN\",\"b\":true,\"forum\":\"oewg\",\"l\":[1,\"x\"],"
		"\"n\":null,\"o\":{\"en\":\"\xc3\xa9\\n\"},\"seq\":1,\"type\":\"x.y\"}\n";
	parse_good(rich, sizeof rich - 1, &a);
	assert_int_equal(json_object_size(a.body), 8);
	pnyx_action_clear(&a);
}

static void action_shape(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("", "empty text"),
		B("pnyx-action v1", "header without newline"),
		B(HDR, "header alone"),
		B("pnyx-action v2\n" ENV_A "1" ENV_B, "version 2"),
		B("pnyx-action v1 \n" ENV_A "1" ENV_B, "trailing space in header"),
		B(" pnyx-action v1\n" ENV_A "1" ENV_B, "leading space in header"),
		B("pnyx-action v1\r\n" ENV_A "1" ENV_B, "CRLF header"),
		B("Pnyx-action v1\n" ENV_A "1" ENV_B, "capitalised header"),
		B("pnyx-action  v1\n" ENV_A "1" ENV_B, "two spaces in header"),
		B("pnyx-action v1\0\n" ENV_A "1" ENV_B, "NUL in header"),
		B("\n" HDR ENV_A "1" ENV_B, "blank line first"),
		B(ENV_A "1" ENV_B, "no header"),
		B(HDR ENV_A "1,\"type\":\"key.add\"}", "JSON without final newline"),
		B(HDR ENV_A "1" ENV_B "\n", "an empty third line"),
		B(HDR ENV_A "1" ENV_B "x\n", "a third line"),
		B(HDR ENV_A "1" ENV_B "x", "trailing bytes"),
		B(HDR ENV_A "1" ENV_B "\0", "trailing NUL"),
		B(HDR "\n", "empty JSON line"),
		B(HDR "\n" ENV_A "1" ENV_B, "blank line before the JSON"),
		B(HDR ENV_A "1,\"type\":\"key.add\"}\r\n", "CRLF after the JSON"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad);
	/* NULL with length 0 is an empty text */
	pnyx_action a = {.body = NULL};
	assert_int_equal(pnyx_action_parse(NULL, 0, &a, NULL), PNYX_ERR_MALFORMED);
}

static void action_json(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B(HDR "{\"forum\":\"oewg\",\"actor\":\"FRA\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "keys not sorted"),
		B(HDR "{\"actor\": \"FRA\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "white space"),
		B(HDR "{\"actor\":\"FRA\",\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,"
		  "\"type\":\"key.add\"}\n", "duplicate key"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"seq\":2,"
		  "\"type\":\"key.add\"}\n", "duplicate seq"),
		B(HDR ENV_A "1.0" ENV_B, "seq as a real"),
		B(HDR ENV_A "1e0" ENV_B, "seq with exponent"),
		B(HDR ENV_A "01" ENV_B, "seq with leading zero"),
		B(HDR ENV_A "-0" ENV_B, "seq -0"),
		B(HDR ENV_A "9223372036854775808" ENV_B, "seq past int64"),
		B(HDR ENV_A "18446744073709551616" ENV_B, "seq past uint64"),
		B(HDR ENV_A "1,\"x\":0.5" ENV_B, "a real field"),
		B(HDR "{\"actor\":\"\\u0046RA\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "escaped letter"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"\\/\","
		  "\"type\":\"key.add\"}\n", "escaped slash"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"\x80\","
		  "\"type\":\"key.add\"}\n", "invalid UTF-8 in a field"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"\xed\xa0\x80\","
		  "\"type\":\"key.add\"}\n", "surrogate in a field"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"\xc0\xaf\","
		  "\"type\":\"key.add\"}\n", "overlong UTF-8 in a field"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"a\0b\","
		  "\"type\":\"key.add\"}\n", "raw NUL in a field"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"\\u0000\","
		  "\"type\":\"key.add\"}\n", "escaped NUL in a field"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"text\":\"\t\","
		  "\"type\":\"key.add\"}\n", "raw tab in a field"),
		B(HDR "[1,2]\n", "an array"),
		B(HDR "\"x\"\n", "a string"),
		B(HDR "7\n", "a number"),
		B(HDR "null\n", "null"),
		B(HDR "{}\n", "an empty object"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad);
}

static void action_envelope(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B(HDR "{\"actor\":\"FRA\",\"seq\":1,\"type\":\"key.add\"}\n", "no forum"),
		B(HDR "{\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n", "no actor"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1}\n", "no type"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"type\":\"key.add\"}\n", "no seq"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":7,\"seq\":1,\"type\":\"key.add\"}\n",
		  "forum a number"),
		B(HDR "{\"actor\":[\"FRA\"],\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "actor an array"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"type\":null}\n",
		  "type null"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"type\":{}}\n",
		  "type an object"),
		B(HDR ENV_A "\"1\"" ENV_B, "seq a string"),
		B(HDR ENV_A "true" ENV_B, "seq true"),
		B(HDR ENV_A "null" ENV_B, "seq null"),
		B(HDR ENV_A "0" ENV_B, "seq 0"),
		B(HDR ENV_A "-1" ENV_B, "seq -1"),
		B(HDR ENV_A "-9223372036854775808" ENV_B, "seq int64 min"),
		B(HDR "{\"actor\":\"\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "empty actor"),
		B(HDR "{\"actor\":\"F R\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "actor with a space"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oe/wg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "forum with a slash"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key add\"}\n",
		  "type with a space"),
		B(HDR "{\"actor\":\"\xc3\xa9\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "non-ASCII actor"),
		B(HDR "{\"actor\":\"\\n\",\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n",
		  "newline actor"),
		B(HDR "{\"actor\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		  "\"forum\":\"oewg\",\"seq\":1,\"type\":\"key.add\"}\n", "actor of 65"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\","
		  "\"seq\":1,\"type\":\"key.add\"}\n", "forum of 66"),
		B(HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":1,"
		  "\"type\":\"ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt\"}\n",
		  "type of 65"),
	};
	parse_bad_all(bad, sizeof bad / sizeof *bad);
}

/* An action whose field "x" nests levels - 1 more objects: the whole body
 * then has exactly `levels` levels. */
static void action_nested(pnyx_buf *b, size_t levels)
{
	assert_int_equal(pnyx_buf_puts(b, HDR ENV_A "1,\"type\":\"t\",\"x\":"), PNYX_OK);
	for (size_t i = 1; i < levels; i++)
		assert_int_equal(pnyx_buf_puts(b, i + 1 < levels ? "{\"a\":" : "{}"),
				 PNYX_OK);
	for (size_t i = 2; i < levels; i++)
		assert_int_equal(pnyx_buf_puts(b, "}"), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(b, "}\n"), PNYX_OK);
}

static void action_depth(void **state)
{
	(void)state;
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	action_nested(&b, PNYX_ACTION_DEPTH);
	pnyx_action a;
	parse_good((const char *)b.data, b.len, &a);
	pnyx_action_clear(&a);
	pnyx_buf_reset(&b);
	action_nested(&b, PNYX_ACTION_DEPTH + 1);
	bytes t = {(const char *)b.data, b.len, "one level past PNYX_ACTION_DEPTH"};
	parse_bad(&t);
	pnyx_buf_reset(&b);
	action_nested(&b, PNYX_JSON_MAX_DEPTH + 1);
	t = (bytes){(const char *)b.data, b.len, "past the JSON maximum"};
	parse_bad(&t);
	pnyx_buf_clear(&b);
	/* arrays count as levels too */
	static const char arr6[] = HDR ENV_A "1,\"type\":\"t\",\"x\":[[[[[]]]]]}\n";
	static const char arr7[] = HDR ENV_A "1,\"type\":\"t\",\"x\":[[[[[[]]]]]]}\n";
	parse_good(arr6, sizeof arr6 - 1, &a);
	pnyx_action_clear(&a);
	t = (bytes){arr7, sizeof arr7 - 1, "arrays one level too deep"};
	parse_bad(&t);
}

static void action_encode(void **state)
{
	(void)state;
	json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:{s:s}}", "type", "key.add",
				 "forum", "oewg", "seq", 3, "actor", "FRA",
				 "texts", "en", "\"quoted\"\n");
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_action_encode(body, &b), PNYX_OK);
	assert_string_equal((const char *)b.data,
			    HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"seq\":3,"
			    "\"texts\":{\"en\":\"\\\"quoted\\\"\\n\"},\"type\":\"key.add\"}\n");
	pnyx_action a;
	parse_good((const char *)b.data, b.len, &a);
	assert_true(json_equal(a.body, body));
	pnyx_action_clear(&a);
	/* a buffer too small for the header, for the JSON, for the newline */
	size_t full = b.len;
	size_t sizes[] = {5, sizeof HDR, full - 1};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		pnyx_buf small;
		pnyx_buf_init(&small, sizes[i]);
		assert_int_equal(pnyx_action_encode(body, &small), PNYX_ERR_TOO_LARGE);
		pnyx_buf_clear(&small);
	}
	pnyx_buf_clear(&b);
	json_decref(body);
}

/* Every allocation of a parse fails in turn: an error with the output
 * untouched, or success; nothing leaks (asan build). */
static void action_allocation_failures(void **state)
{
	(void)state;
	static const char text[] =
		HDR "{\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":[\"k\",{\"a\":1}],"
		"\"seq\":7,\"type\":\"key.add\"}\n";
	pnyx_action a;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	parse_good(text, sizeof text - 1, &a);
	pnyx_action_clear(&a);
	uint64_t n = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_true(n > 0);
	for (uint64_t i = 1; i <= n; i++) {
		memset(&a, 0x5a, sizeof a);
		pnyx_action before = a;
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_action_parse((const uint8_t *)text, sizeof text - 1,
						 &a, NULL);
		pnyx_fault_disarm();
		if (err == PNYX_OK) {
			pnyx_action_clear(&a);
			continue;
		}
		assert_true(err == PNYX_ERR_NOMEM || err == PNYX_ERR_MALFORMED);
		assert_memory_equal(&a, &before, sizeof a);
	}
}

/* ---- leaves ---- */

static void leaf_good(void **state)
{
	(void)state;
	static const char text[] = "pnyx-leaf v1 1764000000000\nnote bytes\n";
	pnyx_leaf l;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_leaf_parse((const uint8_t *)text, sizeof text - 1, &l,
					 &diag), PNYX_OK);
	assert_int_equal(l.time_ms, UINT64_C(1764000000000));
	assert_ptr_equal(l.note, (const uint8_t *)text + 27);
	assert_int_equal(l.note_len, 11);
	/* time 0, the largest time; the note is everything after the header,
	 * whatever it holds (the engine checks it) */
	static const char zero[] = "pnyx-leaf v1 0\nx";
	assert_int_equal(pnyx_leaf_parse((const uint8_t *)zero, sizeof zero - 1, &l,
					 NULL), PNYX_OK);
	assert_int_equal(l.time_ms, 0);
	assert_int_equal(l.note_len, 1);
	static const char max[] = "pnyx-leaf v1 18446744073709551615\n\0\n\xff";
	assert_int_equal(pnyx_leaf_parse((const uint8_t *)max, sizeof max - 1, &l,
					 NULL), PNYX_OK);
	assert_int_equal(l.time_ms, UINT64_MAX);
	assert_int_equal(l.note_len, 3);
	assert_int_equal(l.note[0], 0);
}

static void leaf_bad(void **state)
{
	(void)state;
	static const bytes bad[] = {
		B("", "empty"),
		B("pnyx-leaf v1 12", "no newline"),
		B("pnyx-leaf v1 12\n", "no note"),
		B("pnyx-leaf v1 \nx", "no time"),
		B("pnyx-leaf v1\nx", "no space, no time"),
		B("pnyx-leaf v1  12\nx", "two spaces"),
		B("pnyx-leaf v1 12 \nx", "trailing space"),
		B("pnyx-leaf v1 12\r\nx", "CR before the newline"),
		B("pnyx-leaf v1 012\nx", "leading zero"),
		B("pnyx-leaf v1 00\nx", "double zero"),
		B("pnyx-leaf v1 +12\nx", "plus sign"),
		B("pnyx-leaf v1 -12\nx", "minus sign"),
		B("pnyx-leaf v1 1.5\nx", "a fraction"),
		B("pnyx-leaf v1 1e3\nx", "an exponent"),
		B("pnyx-leaf v1 0x10\nx", "hexadecimal"),
		B("pnyx-leaf v1 12a\nx", "a letter after the time"),
		B("pnyx-leaf v1 1\0002\nx", "NUL inside the time"),
		B("pnyx-leaf v1 12\0\nx", "NUL after the time"),
		B("pnyx-leaf v1 \xd9\xa1\xd9\xa2\nx", "Arabic-Indic digits"),
		B("pnyx-leaf v1 18446744073709551616\nx", "2^64"),
		B("pnyx-leaf v1 99999999999999999999\nx", "20 nines"),
		B("pnyx-leaf v1 1000000000000000000000000000000\nx", "31 digits"),
		B("pnyx-leaf v2 12\nx", "version 2"),
		B("Pnyx-leaf v1 12\nx", "capital letter"),
		B("pnyx-leaf v112\nx", "no space before the time"),
		B(" pnyx-leaf v1 12\nx", "leading space"),
		B("\npnyx-leaf v1 12\nx", "blank line first"),
		B("pnyx-leaf v1 12", "header only, no newline"),
		B("pnyx-action v1\n{}\n", "an action, not a leaf"),
		B("\0", "a NUL"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pnyx_leaf l = {.time_ms = 42, .note = NULL, .note_len = 7};
		pnyx_diag diag = {{0}};
		pnyx_err err = pnyx_leaf_parse((const uint8_t *)bad[i].p, bad[i].n, &l,
					       &diag);
		if (err != PNYX_ERR_MALFORMED)
			fail_msg("%s: expected malformed, got %s", bad[i].what,
				 pnyx_err_name(err));
		if (diag.msg[0] == 0)
			fail_msg("%s: no reason", bad[i].what);
		assert_int_equal(l.time_ms, 42);
		assert_null(l.note);
		assert_int_equal(l.note_len, 7);
	}
	pnyx_leaf l;
	assert_int_equal(pnyx_leaf_parse(NULL, 0, &l, NULL), PNYX_ERR_MALFORMED);
}

static void leaf_encode(void **state)
{
	(void)state;
	static const char note[] = "some\nnote\n";
	pnyx_buf b;
	pnyx_buf_init(&b, 1000);
	assert_int_equal(pnyx_leaf_encode(UINT64_C(1764000000123), (const uint8_t *)note,
					  sizeof note - 1, &b), PNYX_OK);
	assert_string_equal((const char *)b.data, "pnyx-leaf v1 1764000000123\nsome\nnote\n");
	pnyx_leaf l;
	assert_int_equal(pnyx_leaf_parse(b.data, b.len, &l, NULL), PNYX_OK);
	assert_int_equal(l.time_ms, UINT64_C(1764000000123));
	assert_int_equal(l.note_len, sizeof note - 1);
	assert_memory_equal(l.note, note, sizeof note - 1);
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_leaf_encode(UINT64_MAX, (const uint8_t *)"n", 1, &b), PNYX_OK);
	assert_string_equal((const char *)b.data, "pnyx-leaf v1 18446744073709551615\nn");
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_leaf_encode(0, (const uint8_t *)"n", 1, &b), PNYX_OK);
	assert_string_equal((const char *)b.data, "pnyx-leaf v1 0\nn");
	pnyx_buf_clear(&b);
	/* too small for the header, then for the note */
	size_t sizes[] = {4, 28, 36};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		pnyx_buf_init(&b, sizes[i]);
		assert_int_equal(pnyx_leaf_encode(UINT64_C(1764000000123),
						  (const uint8_t *)note, sizeof note - 1, &b),
				 PNYX_ERR_TOO_LARGE);
		pnyx_buf_clear(&b);
	}
}

int main(void)
{
	assert_int_equal(pnyx_init(), PNYX_OK);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids),
		cmocka_unit_test(action_good),
		cmocka_unit_test(action_shape),
		cmocka_unit_test(action_json),
		cmocka_unit_test(action_envelope),
		cmocka_unit_test(action_depth),
		cmocka_unit_test(action_encode),
		cmocka_unit_test(action_allocation_failures),
		cmocka_unit_test(leaf_good),
		cmocka_unit_test(leaf_bad),
		cmocka_unit_test(leaf_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
