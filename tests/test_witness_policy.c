/*
 * Tests for pnyx/witness_policy.h: the policy text (every refusal of the
 * parser) and the count of cosignatures on a checkpoint note signed by a
 * log and cosigned by real witness keys (valid, missing, forged, by a
 * witness outside the policy, with the log's ordinary key in place of a
 * witness key).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pnyx/buf.h"
#include "pnyx/cosignature.h"
#include "pnyx/note.h"
#include "pnyx/witness_policy.h"

#define U8(s) ((const uint8_t *)(s))

static pnyx_signer log_s, w[4];
static char wkey[4][512];

static const char cp_text[] = "test.pnyx/log\n42\n"
			      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

static int setup(void **state)
{
	(void)state;
	if (pnyx_init() != PNYX_OK ||
	    pnyx_signer_generate("test.pnyx/log", &log_s) != PNYX_OK)
		return -1;
	for (int i = 0; i < 4; i++) {
		char name[64];
		snprintf(name, sizeof name, "witness%d.test", i);
		pnyx_verifier v;
		pnyx_buf b;
		pnyx_buf_init(&b, sizeof wkey[i] - 1);
		if (pnyx_signer_generate(name, &w[i]) != PNYX_OK)
			return -1;
		pnyx_cosig_verifier(&w[i], &v);
		if (pnyx_verifier_encode(&v, &b) != PNYX_OK)
			return -1;
		memcpy(wkey[i], b.data, b.len);
		wkey[i][b.len] = 0;
		pnyx_buf_clear(&b);
	}
	return 0;
}

/* A policy text: "quorum K" if k > 0, then witnesses 0..n-1. */
static void policy_text(char *out, size_t cap, int k, int n)
{
	size_t at = 0;
	if (k > 0)
		at += (size_t)snprintf(out, cap, "# a forum's witnesses\nquorum %d\n", k);
	for (int i = 0; i < n; i++)
		at += (size_t)snprintf(out + at, cap - at,
				       "witness %s http://127.0.0.1:%d\n", wkey[i],
				       8000 + i);
}

static pnyx_err parse(const char *text, pnyx_witness_policy *p)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_policy_parse(U8(text), strlen(text), p, &diag);
	if (err != PNYX_OK)
		assert_true(diag.msg[0] != 0);
	return err;
}

static void test_parse(void **state)
{
	(void)state;
	char text[4096];
	pnyx_witness_policy p;
	policy_text(text, sizeof text, 2, 3);
	assert_int_equal(parse(text, &p), PNYX_OK);
	assert_int_equal(p.k, 2);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.w[1].key.name, "witness1.test");
	assert_string_equal(p.w[2].url, "http://127.0.0.1:8002");
	/* no quorum line: every witness */
	policy_text(text, sizeof text, 0, 2);
	assert_int_equal(parse(text, &p), PNYX_OK);
	assert_int_equal(p.k, 2);
	/* a witness without a URL (enough for pnyx verify) */
	snprintf(text, sizeof text, "quorum 1\n\nwitness %s\n", wkey[0]);
	assert_int_equal(parse(text, &p), PNYX_OK);
	assert_string_equal(p.w[0].url, "");
}

/* tmpl with every '@' replaced by witness 0's key. */
static void expand(const char *tmpl, char *out, size_t cap)
{
	size_t at = 0;
	for (; *tmpl != 0; tmpl++) {
		const char *put = *tmpl == '@' ? wkey[0] : (char[2]){*tmpl, 0};
		size_t n = strlen(put);
		assert_true(at + n < cap);
		memcpy(out + at, put, n);
		at += n;
	}
	out[at] = 0;
}

static void test_parse_refused(void **state)
{
	(void)state;
	char text[4096];
	pnyx_witness_policy p;
	const char *bad[] = {
		"",                                  /* no witness */
		"# nothing\n",
		"quorum 1\n",
		"quorum 0\nwitness @\n",            /* quorum out of range */
		"quorum 2\nwitness @\n",
		"quorum 01\nwitness @\n",
		"quorum 1\nquorum 1\nwitness @\n",  /* twice */
		"quorum  1\nwitness @\n",           /* two spaces */
		"witness @ \n",                     /* empty URL */
		"witness @ ftp://x\n",
		"witness @ http://a b\n",
		"witness @\nwitness @\n",          /* the same name twice */
		"witnesses @\n",
		"witness @",                        /* no final newline */
		"witness @\r\n",
		"witness  @\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		expand(bad[i], text, sizeof text);
		assert_int_equal(parse(text, &p), PNYX_ERR_MALFORMED);
	}
	/* an ordinary (0x01) key is not a witness key */
	pnyx_verifier v;
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	pnyx_signer_verifier(&log_s, &v);
	assert_int_equal(pnyx_verifier_encode(&v, &b), PNYX_OK);
	snprintf(text, sizeof text, "witness %.*s\n", (int)b.len, (char *)b.data);
	pnyx_buf_clear(&b);
	assert_int_equal(parse(text, &p), PNYX_ERR_MALFORMED);
	/* too large */
	static char big[PNYX_POLICY_TEXT_MAX + 2];
	memset(big, '#', sizeof big - 1);
	big[sizeof big - 2] = '\n';
	assert_int_equal(pnyx_witness_policy_parse(U8(big), sizeof big - 1, &p, NULL),
			 PNYX_ERR_TOO_LARGE);
	/* more than the maximum of witnesses */
	size_t at = 0;
	for (int i = 0; i <= PNYX_POLICY_WITNESSES_MAX; i++)
		at += (size_t)snprintf(text + at, sizeof text - at, "witness %s\n",
				       wkey[0]);
	assert_int_equal(parse(text, &p), PNYX_ERR_MALFORMED);
}

/* The checkpoint signed by the log, then cosigned by each witness in who
 * (indices, -1 ends). */
static void cosigned_note(const int *who, pnyx_buf *out)
{
	pnyx_buf_init(out, 65536);
	assert_int_equal(pnyx_note_sign(U8(cp_text), strlen(cp_text), &log_s, 1,
					out), PNYX_OK);
	for (; *who >= 0; who++)
		assert_int_equal(pnyx_cosig_sign(&w[*who], U8(cp_text),
						 strlen(cp_text), 1700000000u + 7u,
						 out), PNYX_OK);
}

static pnyx_err count(const pnyx_witness_policy *p, const pnyx_buf *b,
		      bool *cos, size_t *n)
{
	pnyx_verifier lv;
	pnyx_signer_verifier(&log_s, &lv);
	pnyx_note note = {0};
	assert_int_equal(pnyx_note_open(b->data, b->len, 65536, &lv, 1, &note, NULL),
			 PNYX_OK);
	uint64_t times[PNYX_POLICY_WITNESSES_MAX];
	pnyx_err err = pnyx_witness_policy_count(p, &note, cos, times, n, NULL);
	for (size_t i = 0; err == PNYX_OK && i < p->n; i++)
		if (cos[i])
			assert_int_equal(times[i], 1700000007u);
	pnyx_note_clear(&note);
	return err;
}

static void test_count(void **state)
{
	(void)state;
	char text[4096];
	pnyx_witness_policy p;
	policy_text(text, sizeof text, 2, 3);
	assert_int_equal(parse(text, &p), PNYX_OK);
	bool cos[PNYX_POLICY_WITNESSES_MAX];
	size_t n;
	pnyx_buf b;
	cosigned_note((const int[]){0, 1, 2, -1}, &b);
	assert_int_equal(count(&p, &b, cos, &n), PNYX_OK);
	assert_int_equal(n, 3);
	pnyx_buf_clear(&b);
	/* two of three, and a witness outside the policy that does not count */
	cosigned_note((const int[]){2, 3, 0, -1}, &b);
	assert_int_equal(count(&p, &b, cos, &n), PNYX_OK);
	assert_int_equal(n, 2);
	assert_true(cos[0] && !cos[1] && cos[2]);
	pnyx_buf_clear(&b);
	/* one of three */
	cosigned_note((const int[]){1, 3, -1}, &b);
	assert_int_equal(count(&p, &b, cos, &n), PNYX_ERR_UNVERIFIED);
	assert_int_equal(n, 1);
	pnyx_buf_clear(&b);
	/* a forged cosignature: the last byte of witness 1's line changed */
	cosigned_note((const int[]){0, 1, -1}, &b);
	size_t at = b.len - 30; /* inside the signature's base64 */
	b.data[at] = b.data[at] == 'A' ? 'B' : 'A';
	assert_int_equal(count(&p, &b, cos, &n), PNYX_ERR_BAD_SIGNATURE);
	pnyx_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_count),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
