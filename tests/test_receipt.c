/*
 * Tests for pnyx/receipt.h: byte-exact round trips, every rejection of the
 * parser, signing and opening (altered, another key, another origin, too
 * large), receipts built from leaves, checks against a real SQLite log
 * (valid, cut back, rewritten, wrong time, forum or origin, an entry that is
 * not a forum leaf), and fault loops over every allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"
#include "pnyx/receipt.h"
#include "pnyx/store.h"

#include "support.h"

#define U8(s) ((const uint8_t *)(s))
#define HASH "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
#define ORIGIN "log.example/oewg"
#define T0 UINT64_C(1767258000000)

static const char good_text[] = "pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH
				"\n1767258000123\n";

static void round_trip(const char *text)
{
	pnyx_receipt r;
	pnyx_diag diag = {{0}};
	size_t n = strlen(text);
	pnyx_err err = pnyx_receipt_parse(U8(text), n, &r, &diag);
	if (err != PNYX_OK)
		fail_msg("refused: %s", diag.msg);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_receipt_encode(&r, &b), PNYX_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, text, n);
	pnyx_buf_clear(&b);
}

static void parses_and_round_trips(void **state)
{
	(void)state;
	pnyx_receipt r;
	assert_int_equal(pnyx_receipt_parse(U8(good_text), strlen(good_text),
					    &r, NULL), PNYX_OK);
	assert_string_equal(r.origin, ORIGIN);
	assert_string_equal(r.forum, "oewg");
	assert_int_equal(r.index, 7);
	assert_true(r.time_ms == UINT64_C(1767258000123));
	static const uint8_t head[4] = {0x0a, 0xc5, 0x18, 0x6a}; /* CsUY */
	assert_memory_equal(r.leaf_hash.b, head, 4);
	round_trip(good_text);
	round_trip("pnyx-receipt v1\no\nf\n0\n" HASH "\n0\n");
	round_trip("pnyx-receipt v1\nexample.com/a log with spaces\n"
		   "A-z_0.9:x\n18446744073709551615\n" HASH
		   "\n18446744073709551615\n");
}

static void rejects(void **state)
{
	(void)state;
	char long_origin[400];
	memset(long_origin, 'o', 256);
	long_origin[256] = 0;
	char over[600];
	snprintf(over, sizeof over, "pnyx-receipt v1\n%s\nf\n0\n" HASH "\n0\n",
		 long_origin);
	const char *const bad[] = {
		"",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH "\n1", /* no \n */
		"pnyx-receipt v2\n" ORIGIN "\noewg\n7\n" HASH "\n1\n",
		"pnyx-receipt v1 \n" ORIGIN "\noewg\n7\n" HASH "\n1\n",
		"pnyx-receipt v1\n\noewg\n7\n" HASH "\n1\n", /* empty origin */
		"pnyx-receipt v1\n" ORIGIN "\n\n7\n" HASH "\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noe wg\n7\n" HASH "\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg/x\n7\n" HASH "\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n07\n" HASH "\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n+7\n" HASH "\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n\n" HASH "\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n18446744073709551616\n" HASH
		"\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h"
		"2fB2MPA3j2jxq2J=\n1\n", /* non-canonical base64 */
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\nAAAA\n1\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH "\n01\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH "\n\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH "\n1\nextra\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH "\n1\n\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n" HASH "\n",
		"pnyx-receipt v1\n" ORIGIN "\noewg\n7\n",
		"pnyx-receipt v1\n" ORIGIN "\n",
		"pnyx-receipt v1\n",
		"pnyx-receipt v1\r\n" ORIGIN "\noewg\n7\n" HASH "\n1\n",
		"pnyx-receipt v1\nlog\texample\noewg\n7\n" HASH "\n1\n",
		"pnyx-receipt v1\nlog\xff\noewg\n7\n" HASH "\n1\n",
		over,
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pnyx_receipt r;
		memset(&r, 0x5a, sizeof r);
		pnyx_diag diag = {{0}};
		if (pnyx_receipt_parse(U8(bad[i]), strlen(bad[i]), &r, &diag) !=
		    PNYX_ERR_MALFORMED)
			fail_msg("case %zu accepted", i);
		assert_true(diag.msg[0] != 0);
		assert_int_equal(r.origin[0], 0x5a); /* out untouched */
	}
	/* 255 bytes of origin are fine */
	long_origin[255] = 0;
	snprintf(over, sizeof over, "pnyx-receipt v1\n%s\nf\n0\n" HASH "\n0\n",
		 long_origin);
	round_trip(over);
}

static void make_key(const char *name, pnyx_signer *out)
{
	assert_int_equal(pnyx_signer_generate(name, out), PNYX_OK);
}

static void sign_and_open(void **state)
{
	(void)state;
	pnyx_signer log_key, other;
	make_key(ORIGIN, &log_key);
	make_key(ORIGIN, &other); /* same name, another key */
	pnyx_verifier v, vo;
	pnyx_signer_verifier(&log_key, &v);
	pnyx_signer_verifier(&other, &vo);
	pnyx_receipt r;
	assert_int_equal(pnyx_receipt_parse(U8(good_text), strlen(good_text),
					    &r, NULL), PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_RECEIPT_MAX);
	assert_int_equal(pnyx_receipt_sign(&r, &log_key, &b, NULL), PNYX_OK);
	assert_memory_equal(b.data, good_text, strlen(good_text));
	pnyx_receipt got;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_receipt_open(b.data, b.len, &v, &got, &diag),
			 PNYX_OK);
	assert_memory_equal(&got, &r, sizeof r);
	assert_int_equal(pnyx_receipt_open(b.data, b.len, &vo, &got, &diag),
			 PNYX_ERR_UNVERIFIED);
	/* altered: the index 7 becomes 8 */
	b.data[strlen("pnyx-receipt v1\n" ORIGIN "\noewg\n")] = '8';
	assert_int_equal(pnyx_receipt_open(b.data, b.len, &v, &got, &diag),
			 PNYX_ERR_BAD_SIGNATURE);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&log_key);
	pnyx_signer_clear(&other);
}

static void open_refusals(void **state)
{
	(void)state;
	pnyx_signer k;
	make_key("another.example/log", &k);
	pnyx_verifier v;
	pnyx_signer_verifier(&k, &v);
	pnyx_receipt r;
	assert_int_equal(pnyx_receipt_parse(U8(good_text), strlen(good_text),
					    &r, NULL), PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, 1u << 20);
	pnyx_diag diag = {{0}};
	/* the signer's name is not the receipt's origin */
	assert_int_equal(pnyx_receipt_sign(&r, &k, &b, &diag),
			 PNYX_ERR_MISMATCH);
	assert_int_equal(b.len, 0);
	/* signed anyway, by hand: opened, then refused for the origin */
	assert_int_equal(pnyx_note_sign(U8(good_text), strlen(good_text), &k, 1,
					&b), PNYX_OK);
	pnyx_receipt got;
	assert_int_equal(pnyx_receipt_open(b.data, b.len, &v, &got, &diag),
			 PNYX_ERR_MISMATCH);
	/* a signed note that is not a receipt */
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_note_sign(U8("hello\n"), 6, &k, 1, &b), PNYX_OK);
	assert_int_equal(pnyx_receipt_open(b.data, b.len, &v, &got, &diag),
			 PNYX_ERR_MALFORMED);
	/* no signature at all; too large */
	assert_int_equal(pnyx_receipt_open(U8(good_text), strlen(good_text), &v,
					   &got, &diag), PNYX_ERR_MALFORMED);
	pnyx_buf_reset(&b);
	for (size_t i = 0; i <= PNYX_RECEIPT_MAX; i++)
		(void)pnyx_buf_puts(&b, "x");
	assert_int_equal(pnyx_receipt_open(b.data, b.len, &v, &got, &diag),
			 PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&k);
}

/* A forum leaf: an action of forum by actor, signed, accepted at t. */
static void make_leaf(const char *forum, const pnyx_signer *actor,
		      uint64_t seq, uint64_t t, pnyx_buf *out)
{
	json_t *body = json_pack("{s:s,s:s,s:I,s:s,s:s}", "forum", forum,
				 "actor", "FRA", "seq", (json_int_t)seq, "type",
				 "statement.deliver", "text", "We agree.");
	assert_non_null(body);
	pnyx_buf text, note;
	pnyx_buf_init(&text, 1u << 16);
	pnyx_buf_init(&note, 1u << 16);
	assert_int_equal(pnyx_action_encode(body, &text), PNYX_OK);
	json_decref(body);
	assert_int_equal(pnyx_note_sign(text.data, text.len, actor, 1, &note),
			 PNYX_OK);
	assert_int_equal(pnyx_leaf_encode(t, note.data, note.len, out), PNYX_OK);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
}

static void from_leaf(void **state)
{
	(void)state;
	pnyx_signer fra;
	make_key("member.example/FRA", &fra);
	pnyx_buf leaf;
	pnyx_buf_init(&leaf, 1u << 16);
	make_leaf("oewg", &fra, 1, T0 + 5, &leaf);
	pnyx_receipt r;
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_receipt_from_leaf(ORIGIN, 3, leaf.data, leaf.len,
						&r, &diag), PNYX_OK);
	assert_string_equal(r.origin, ORIGIN);
	assert_string_equal(r.forum, "oewg");
	assert_int_equal(r.index, 3);
	assert_true(r.time_ms == T0 + 5);
	pnyx_hash h;
	pnyx_merkle_leaf_hash(leaf.data, leaf.len, &h);
	assert_true(pnyx_hash_eq(&h, &r.leaf_hash));
	static const char *const not_leaves[] = {
		"hello", "pnyx-leaf v1 5\n", "pnyx-leaf v1 5\nno note\n",
		"pnyx-leaf v1 5\nnot an action\n\n\xe2\x80\x94 k AAAA\n",
	};
	for (size_t i = 0; i < sizeof not_leaves / sizeof *not_leaves; i++)
		assert_int_equal(pnyx_receipt_from_leaf(ORIGIN, 0,
							U8(not_leaves[i]),
							strlen(not_leaves[i]),
							&r, &diag),
				 PNYX_ERR_MALFORMED);
	pnyx_buf_clear(&leaf);
	pnyx_signer_clear(&fra);
}

/* ---- checks against a real log ---- */

typedef struct fixture {
	pnyx_log *log;
	pnyx_signer key;
	pnyx_receipt r[3]; /* receipts of entries 0, 1 and 2 */
} fixture;

static int setup_log(void **state)
{
	static fixture f;
	memset(&f, 0, sizeof f);
	char path[4200];
	snprintf(path, sizeof path, "%s/log.db", test_tmpdir("receipt"));
	pnyx_store *store;
	if (pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, NULL) !=
	    PNYX_OK)
		return -1;
	make_key(ORIGIN, &f.key);
	pnyx_verifier v;
	pnyx_signer_verifier(&f.key, &v);
	if (pnyx_log_create(store, &v, &f.log, NULL) != PNYX_OK)
		return -1;
	pnyx_signer fra;
	make_key("member.example/FRA", &fra);
	for (uint64_t i = 0; i < 3; i++) {
		pnyx_buf leaf;
		pnyx_buf_init(&leaf, 1u << 16);
		make_leaf("oewg", &fra, i + 1, T0 + i * 60000, &leaf);
		pnyx_entry e = {leaf.data, leaf.len};
		uint64_t first;
		if (pnyx_log_append(f.log, &e, 1, &first, NULL) != PNYX_OK ||
		    first != i ||
		    pnyx_receipt_from_leaf(ORIGIN, i, leaf.data, leaf.len,
					   &f.r[i], NULL) != PNYX_OK)
			return -1;
		pnyx_buf_clear(&leaf);
	}
	pnyx_signer_clear(&fra);
	*state = &f;
	return 0;
}

static int teardown_log(void **state)
{
	fixture *f = *state;
	pnyx_log_close(f->log);
	pnyx_signer_clear(&f->key);
	return 0;
}

static void check_expect(pnyx_log *log, const pnyx_receipt *r, pnyx_err want,
			 const char *needle)
{
	pnyx_diag diag = {{0}};
	pnyx_err got = pnyx_receipt_check(log, r, &diag);
	if (got != want)
		fail_msg("got %s (%s), wanted %s", pnyx_err_name(got), diag.msg,
			 pnyx_err_name(want));
	if (needle != NULL && strstr(diag.msg, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", diag.msg, needle);
}

static void check_against_log(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < 3; i++)
		check_expect(f->log, &f->r[i], PNYX_OK, NULL);
	pnyx_receipt r = f->r[0];
	r.index = 1; /* entry 0's receipt, for another index */
	check_expect(f->log, &r, PNYX_ERR_MISMATCH, "leaf hash");
	r.index = 3; /* past the end: the log was cut back */
	check_expect(f->log, &r, PNYX_ERR_RANGE, "none at index 3");
	r.index = UINT64_MAX;
	check_expect(f->log, &r, PNYX_ERR_RANGE, NULL);
	r = f->r[1];
	r.time_ms++;
	check_expect(f->log, &r, PNYX_ERR_MISMATCH, "accepted at");
	r = f->r[1];
	memcpy(r.forum, "other", 6);
	check_expect(f->log, &r, PNYX_ERR_MISMATCH, "forum oewg");
	r = f->r[1];
	memcpy(r.origin, "elsewhere", 10);
	check_expect(f->log, &r, PNYX_ERR_MISMATCH, "origin");
	r = f->r[2];
	r.leaf_hash.b[31] ^= 1;
	check_expect(f->log, &r, PNYX_ERR_MISMATCH, "leaf hash");
}

static void check_signed_round_trip(void **state)
{
	fixture *f = *state;
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_RECEIPT_MAX);
	assert_int_equal(pnyx_receipt_sign(&f->r[2], &f->key, &b, NULL),
			 PNYX_OK);
	pnyx_receipt got;
	assert_int_equal(pnyx_receipt_open(b.data, b.len, pnyx_log_key(f->log),
					   &got, NULL), PNYX_OK);
	check_expect(f->log, &got, PNYX_OK, NULL);
	pnyx_buf_clear(&b);
}

/* An opaque entry whose leaf hash a receipt names: not a forum leaf. */
static void check_opaque_entry(void **state)
{
	fixture *f = *state;
	static const char opaque[] = "not a leaf\n";
	pnyx_entry e = {U8(opaque), strlen(opaque)};
	uint64_t idx;
	assert_int_equal(pnyx_log_append(f->log, &e, 1, &idx, NULL), PNYX_OK);
	pnyx_receipt r = f->r[0];
	r.index = idx;
	pnyx_merkle_leaf_hash(e.p, e.n, &r.leaf_hash);
	check_expect(f->log, &r, PNYX_ERR_MISMATCH, "not a forum leaf");
}

/* Sign, open and check once; the errors of the three in e[]. */
static void sign_open_check(fixture *f, const pnyx_buf *signed_r, pnyx_err e[3],
			    pnyx_diag *diag)
{
	pnyx_buf s;
	pnyx_buf_init(&s, PNYX_RECEIPT_MAX);
	e[0] = pnyx_receipt_sign(&f->r[1], &f->key, &s, NULL);
	pnyx_buf_clear(&s);
	pnyx_receipt got;
	e[1] = pnyx_receipt_open(signed_r->data, signed_r->len,
				 pnyx_log_key(f->log), &got, NULL);
	e[2] = e[1] == PNYX_OK ? pnyx_receipt_check(f->log, &got, diag)
			       : PNYX_OK;
}

/* Every allocation of sign, open and check fails in turn: an error, never
 * a crash or a leak (the sanitizer build checks leaks). */
static void fault_loops(void **state)
{
	fixture *f = *state;
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_RECEIPT_MAX);
	assert_int_equal(pnyx_receipt_sign(&f->r[1], &f->key, &b, NULL),
			 PNYX_OK);
	pnyx_err e[3];
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	sign_open_check(f, &b, e, NULL);
	uint64_t points = pnyx_fault_passed();
	assert_true(e[0] == PNYX_OK && e[1] == PNYX_OK && e[2] == PNYX_OK);
	assert_true(points > 2);
	for (uint64_t i = 1; i <= points; i++) {
		pnyx_fault_arm(i);
		pnyx_diag diag = {{0}};
		sign_open_check(f, &b, e, &diag);
		/* exactly one of the three met the failing point */
		assert_int_equal((e[0] != PNYX_OK) + (e[1] != PNYX_OK) +
				 (e[2] != PNYX_OK), 1);
		assert_true(e[0] == PNYX_OK || e[0] == PNYX_ERR_NOMEM);
		assert_true(e[1] == PNYX_OK || e[1] == PNYX_ERR_NOMEM);
		/* every failed allocation, the action's parse included, is
		 * reported as such: nothing else may go wrong */
		assert_true(e[2] == PNYX_OK || e[2] == PNYX_ERR_NOMEM ||
			    e[2] == PNYX_ERR_STORAGE);
	}
	pnyx_fault_disarm();
	pnyx_buf_clear(&b);
}

/* The example in docs/FORMATS.md opens with the key printed there. */
static void docs_example(void **state)
{
	(void)state;
	size_t n;
	char *doc = (char *)test_read_file(test_source_path("docs/FORMATS.md"),
					   &n);
	char *sec = strstr(doc, "\n## Receipts\n");
	assert_non_null(sec);
	char *start = strstr(sec, "```\n");
	assert_non_null(start);
	start += 4;
	char *end = strstr(start, "```\n");
	assert_non_null(end);
	static const char vkey[] = "fuzz.example/receipt-log+63c7d030+"
				   "AZaONdRJzqVuj+4gfVWV9J3U7vH8IYN+ri1TXsvTaAwe";
	assert_non_null(strstr(end, vkey));
	pnyx_verifier v;
	assert_int_equal(pnyx_verifier_parse(U8(vkey), strlen(vkey), &v, NULL),
			 PNYX_OK);
	pnyx_receipt r;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_receipt_open(U8(start), (size_t)(end - start), &v,
					 &r, &diag);
	if (err != PNYX_OK)
		fail_msg("the example does not open: %s", diag.msg);
	assert_string_equal(r.forum, "oewg");
	assert_true(r.time_ms == T0);
	free(doc);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_and_round_trips),
		cmocka_unit_test(rejects),
		cmocka_unit_test(sign_and_open),
		cmocka_unit_test(open_refusals),
		cmocka_unit_test(from_leaf),
		cmocka_unit_test(docs_example),
	};
	const struct CMUnitTest log_tests[] = {
		cmocka_unit_test(check_against_log),
		cmocka_unit_test(check_signed_round_trip),
		cmocka_unit_test(fault_loops),
		cmocka_unit_test(check_opaque_entry),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	return failed + cmocka_run_group_tests(log_tests, setup_log,
					       teardown_log);
}
