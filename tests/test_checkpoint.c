/*
 * Tests for pnyx/checkpoint.h: the example of c2sp.org/tlog-checkpoint
 * v1.0.0, Go sumdb's tree note, byte-exact round trips, every rejection,
 * and encoding into a full or failing buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pnyx/checkpoint.h"
#include "pnyx/fault.h"

#define U8(s) ((const uint8_t *)(s))
#define ROOT "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="

/* The note text of the example in c2sp.org/tlog-checkpoint v1.0.0. */
static const char spec_example[] = "example.com/behind-the-sofa\n"
				   "20852163\n" ROOT "\n";

static void round_trip(const char *text, size_t n)
{
	pnyx_checkpoint cp;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_checkpoint_parse(U8(text), n, &cp, &diag);
	if (err != PNYX_OK)
		fail_msg("refused: %s", diag.msg);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_checkpoint_encode(&cp, &b), PNYX_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, text, n);
	pnyx_buf_clear(&b);
}

static void spec_example_parses(void **state)
{
	(void)state;
	pnyx_checkpoint cp;
	assert_int_equal(pnyx_checkpoint_parse(U8(spec_example),
					       strlen(spec_example), &cp, NULL),
			 PNYX_OK);
	assert_string_equal(cp.origin, "example.com/behind-the-sofa");
	assert_int_equal(cp.size, 20852163);
	static const uint8_t head[4] = {0x0a, 0xc5, 0x18, 0x6a}; /* CsUY */
	assert_memory_equal(cp.root.b, head, 4);
	assert_null(cp.ext);
	assert_int_equal(cp.ext_len, 0);
	round_trip(spec_example, strlen(spec_example));
}

static void valid_texts(void **state)
{
	(void)state;
	static const char *good[] = {
		spec_example,
		/* The shape of Go's sumdb tree note (tlog.FormatTree). */
		"go.sum database tree\n0\n" ROOT "\n",
		"o\n18446744073709551615\n" ROOT "\n",
		"example.com/log\n1\n" ROOT "\next one\n",
		"example.com/log\n1\n" ROOT "\nx\n\xc3\xa9t\xc3\xa9 + spaces \n",
		"\xd9\x81\xd8\xb1 log with spaces+plus\n7\n" ROOT "\n",
		"o\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
		"o\n5\n" ROOT "\n\x7f is not a C0 control\n",
		"o\n5\n" ROOT "\n\xf4\x8f\xbf\xbf\n",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		round_trip(good[i], strlen(good[i]));
	/* The extension lines are borrowed verbatim. */
	const char *t = "example.com/log\n1\n" ROOT "\nline a\nline b\n";
	pnyx_checkpoint cp;
	assert_int_equal(pnyx_checkpoint_parse(U8(t), strlen(t), &cp, NULL),
			 PNYX_OK);
	assert_ptr_equal(cp.ext, U8(t) + strlen(t) - 14);
	assert_int_equal(cp.ext_len, 14);
}

static void origin_limits(void **state)
{
	(void)state;
	char text[PNYX_ORIGIN_MAX + 80];
	memset(text, 'a', PNYX_ORIGIN_MAX);
	snprintf(text + PNYX_ORIGIN_MAX, 80, "\n3\n%s\n", ROOT);
	round_trip(text, strlen(text));
	pnyx_checkpoint cp;
	assert_int_equal(pnyx_checkpoint_parse(U8(text), strlen(text), &cp,
					       NULL),
			 PNYX_OK);
	assert_int_equal(strlen(cp.origin), PNYX_ORIGIN_MAX);
	/* One byte more is refused. */
	memset(text, 'a', PNYX_ORIGIN_MAX + 1);
	snprintf(text + PNYX_ORIGIN_MAX + 1, 79, "\n3\n%s\n", ROOT);
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_checkpoint_parse(U8(text), strlen(text), &cp,
					       &diag),
			 PNYX_ERR_MALFORMED);
	assert_non_null(strstr(diag.msg, "origin"));
}

typedef struct bad_case {
	const char *text;
	size_t n;
	const char *why; /* a word the diagnostic must contain */
} bad_case;

#define BAD(s, w) {s, sizeof(s) - 1, w}

static const bad_case bad[] = {
	BAD("", "empty"),
	BAD("\n3\n" ROOT "\n", "origin"),
	BAD("\n", "origin"),
	/* tree size */
	BAD("o\n01\n" ROOT "\n", "size"),
	BAD("o\n00\n" ROOT "\n", "size"),
	BAD("o\n-1\n" ROOT "\n", "size"),
	BAD("o\n+1\n" ROOT "\n", "size"),
	BAD("o\n\n" ROOT "\n", "size"),
	BAD("o\n 1\n" ROOT "\n", "size"),
	BAD("o\n1 \n" ROOT "\n", "size"),
	BAD("o\n0x10\n" ROOT "\n", "size"),
	BAD("o\n1e3\n" ROOT "\n", "size"),
	BAD("o\n18446744073709551616\n" ROOT "\n", "size"),
	BAD("o\n99999999999999999999999\n" ROOT "\n", "size"),
	BAD("o\n\xd9\xa1\n" ROOT "\n", "size"), /* Arabic-Indic one */
	/* root hash */
	BAD("o\n1\n\n", "root"),
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "root"),
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "root"),
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I==\n", "root"),
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n", "root"),
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2 =\n", "root"),
	BAD("o\n1\n" ROOT " \n", "root"),
	BAD("o\n1\n " ROOT "\n", "root"),
	BAD("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", "root"),
	BAD("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "root"),
	BAD("o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "root"),
	BAD("o\n1\nAAAA\n", "root"),
	/* Found by fuzzing: libsodium 1.0.18 decodes these bytes as '/'. */
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB\xc7\xb2"
	    "3AP2jjxq2I=\n", "root"),
	BAD("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB\xc2\xaf"
	    "3AP2jjxq2I=\n", "root"),
	/* missing lines and newlines */
	BAD("o\n", "size"),
	BAD("o\n1\n", "root"),
	BAD("o", "newline"),
	BAD("o\n1", "newline"),
	BAD("o\n1\n" ROOT, "newline"),
	BAD("o\n1\n" ROOT "\next", "newline"),
	/* extension lines */
	BAD("o\n1\n" ROOT "\n\n", "extension"),
	BAD("o\n1\n" ROOT "\nx\n\n", "extension"),
	BAD("o\n1\n" ROOT "\n\nx\n", "extension"),
	/* control characters */
	BAD("o\to\n1\n" ROOT "\n", "control"),
	BAD("o\r\n1\r\n" ROOT "\r\n", "control"),
	BAD("o\0o\n1\n" ROOT "\n", "control"),
	BAD("o\n1\n" ROOT "\n\x1b[31m\n", "control"),
	BAD("o\n1\x01\n" ROOT "\n", "control"),
	/* invalid UTF-8 */
	BAD("\xff\n1\n" ROOT "\n", "UTF-8"),
	BAD("o\n1\n" ROOT "\n\xc0\xaf\n", "UTF-8"),
	BAD("o\xed\xa0\x80\n1\n" ROOT "\n", "UTF-8"),
	BAD("o\n1\n" ROOT "\n\xe2\x82\n", "UTF-8"),
	BAD("o\n1\n" ROOT "\n\xf4\x90\x80\x80\n", "UTF-8"),
};

static void rejections(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pnyx_checkpoint cp;
		memset(&cp, 0x5a, sizeof cp);
		pnyx_checkpoint before = cp;
		pnyx_diag diag = {{0}};
		pnyx_err err = pnyx_checkpoint_parse(U8(bad[i].text), bad[i].n,
						     &cp, &diag);
		if (err != PNYX_ERR_MALFORMED)
			fail_msg("case %zu accepted", i);
		if (strstr(diag.msg, bad[i].why) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, diag.msg,
				 bad[i].why);
		/* Outputs are written only on success. */
		assert_memory_equal(&cp, &before, sizeof cp);
		/* diag may be NULL. */
		assert_int_equal(pnyx_checkpoint_parse(U8(bad[i].text),
						       bad[i].n, &cp, NULL),
				 PNYX_ERR_MALFORMED);
	}
}

static void encode_fields(void **state)
{
	(void)state;
	pnyx_checkpoint cp;
	memset(&cp, 0, sizeof cp);
	memcpy(cp.origin, "example.com/log", 16);
	cp.size = 42;
	for (int i = 0; i < PNYX_HASH_LEN; i++)
		cp.root.b[i] = (uint8_t)i;
	const char *ext = "a: b\n";
	cp.ext = U8(ext);
	cp.ext_len = strlen(ext);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_checkpoint_encode(&cp, &b), PNYX_OK);
	assert_string_equal((const char *)b.data,
			    "example.com/log\n42\n"
			    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
			    "a: b\n");
	pnyx_buf_clear(&b);
}

static void encode_failures(void **state)
{
	(void)state;
	pnyx_checkpoint cp;
	assert_int_equal(pnyx_checkpoint_parse(U8(spec_example),
					       strlen(spec_example), &cp, NULL),
			 PNYX_OK);
	/* Every buffer too small for the text fails, with a sticky error. */
	for (size_t max = 1; max < strlen(spec_example); max++) {
		pnyx_buf b;
		pnyx_buf_init(&b, max);
		assert_int_equal(pnyx_checkpoint_encode(&cp, &b),
				 PNYX_ERR_TOO_LARGE);
		pnyx_buf_clear(&b);
	}
	/* Every allocation failing in turn gives NOMEM and no leak. */
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_checkpoint_encode(&cp, &b), PNYX_OK);
	pnyx_buf_clear(&b);
	uint64_t points = pnyx_fault_passed();
	assert_true(points > 0);
	for (uint64_t f = 1; f <= points; f++) {
		pnyx_fault_arm(f);
		pnyx_buf_init(&b, 4096);
		assert_int_equal(pnyx_checkpoint_encode(&cp, &b),
				 PNYX_ERR_NOMEM);
		pnyx_buf_clear(&b);
	}
	pnyx_fault_disarm();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_example_parses),
		cmocka_unit_test(valid_texts),
		cmocka_unit_test(origin_limits),
		cmocka_unit_test(rejections),
		cmocka_unit_test(encode_fields),
		cmocka_unit_test(encode_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
