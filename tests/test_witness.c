/*
 * Tests for pnyx/witness.h (the judgement of add-checkpoint requests and
 * the configuration lines) and pnyx/witness_store.h (durable state,
 * compare-and-swap, evidence). Requests come from a real log (SQLite in a
 * temporary directory) with real proofs; every refusal is checked to leave
 * the cosignature buffer as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pnyx/cosignature.h"
#include "pnyx/fault.h"
#include "pnyx/log.h"
#include "pnyx/witness.h"
#include "pnyx/witness_req.h"
#include "pnyx/witness_store.h"

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define U8(s) ((const uint8_t *)(s))
#define NOW 1700000000u

static pnyx_signer log_key, other_key, witness_key;
static pnyx_witness_log logs[2];
static size_t nlogs;
static pnyx_log *lg;

static int add_vkey(const pnyx_signer *s)
{
	pnyx_verifier v;
	pnyx_buf b;
	pnyx_signer_verifier(s, &v);
	pnyx_buf_init(&b, 1024);
	int rc = pnyx_verifier_encode(&v, &b) == PNYX_OK &&
				 pnyx_witness_config_line(logs, &nlogs, 2, b.data,
							  b.len, NULL) == PNYX_OK
			 ? 0
			 : -1;
	pnyx_buf_clear(&b);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	if (pnyx_init() != PNYX_OK ||
	    pnyx_signer_generate("log.pnyx.example/w", &log_key) != PNYX_OK ||
	    pnyx_signer_generate("log.pnyx.example/w", &other_key) != PNYX_OK ||
	    pnyx_signer_generate("witness.pnyx.example", &witness_key) !=
		    PNYX_OK ||
	    add_vkey(&log_key) != 0)
		return -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/log.db", test_tmpdir("witness-log"));
	pnyx_store *store = NULL;
	pnyx_verifier v;
	pnyx_signer_verifier(&log_key, &v);
	return pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, NULL) ==
				       PNYX_OK &&
			       pnyx_log_create(store, &v, &lg, NULL) == PNYX_OK
		       ? 0
		       : -1;
}

static int teardown(void **state)
{
	(void)state;
	pnyx_log_close(lg);
	return 0;
}

/* Grows the log to size entries. */
static void grow(uint64_t size)
{
	while (pnyx_log_size(lg) < size) {
		char text[32];
		int n = snprintf(text, sizeof text, "entry %llu",
				 (unsigned long long)pnyx_log_size(lg));
		pnyx_entry e = {U8(text), (size_t)n};
		assert_int_equal(pnyx_log_append(lg, &e, 1, NULL, NULL), PNYX_OK);
	}
}

/* A request body: old, the proof from proof_from to the log's size, the
 * log's checkpoint signed by signer. */
static void request(uint64_t old, uint64_t proof_from,
		    const pnyx_signer *signer, pnyx_buf *out)
{
	pnyx_buf note;
	pnyx_buf_init(&note, 1 << 16);
	assert_int_equal(pnyx_log_checkpoint(lg, &log_key, &note, NULL),
			 PNYX_OK);
	if (signer != &log_key) {
		size_t text_len = 0;
		assert_int_equal(pnyx_note_text_len(note.data, note.len,
						    &text_len), PNYX_OK);
		pnyx_buf other;
		pnyx_buf_init(&other, 1 << 16);
		assert_int_equal(pnyx_note_sign(note.data, text_len, signer, 1,
						&other), PNYX_OK);
		pnyx_buf_clear(&note);
		note = other;
	}
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
	size_t n = 0;
	assert_int_equal(pnyx_log_consistency_proof(lg, proof_from,
						    pnyx_log_size(lg), proof,
						    &n), PNYX_OK);
	pnyx_buf_init(out, PNYX_WITNESS_BODY_MAX * 2);
	assert_int_equal(pnyx_witness_req_encode(old, proof, old ? n : 0,
						 note.data, note.len, out),
			 PNYX_OK);
	pnyx_buf_clear(&note);
}

/* Judges body against latest; on cosigned, checks the line and updates
 * latest as a witness would. */
static pnyx_witness_code judge(const pnyx_buf *body,
			       pnyx_witness_latest *latest,
			       pnyx_witness_verdict *v)
{
	size_t log = 99;
	pnyx_witness_verdict fv;
	if (!pnyx_witness_find_log(logs, nlogs, body->data, body->len, &log,
				   &fv)) {
		*v = fv;
		return fv.code;
	}
	assert_int_equal(log, 0);
	pnyx_buf cosig;
	pnyx_buf_init(&cosig, 4096);
	pnyx_witness_code c = pnyx_witness_judge(logs, nlogs, log, latest,
						 &witness_key, body->data,
						 body->len, NOW, &cosig, v);
	assert_int_equal(c, v->code);
	if (c == PNYX_WITNESS_COSIGNED) {
		const uint8_t *note;
		size_t note_len, text_len;
		assert_true(pnyx_witness_body_note(body->data, body->len, &note,
						   &note_len));
		assert_int_equal(pnyx_note_text_len(note, note_len, &text_len),
				 PNYX_OK);
		pnyx_verifier w;
		pnyx_cosig_verifier(&witness_key, &w);
		uint64_t t = 0;
		assert_int_equal(pnyx_cosig_verify_line(&w, note, text_len,
							cosig.data, cosig.len,
							&t, NULL), PNYX_OK);
		assert_int_equal(t, NOW);
		latest->present = true;
		latest->size = v->size;
		latest->root = v->root;
	} else {
		assert_int_equal(cosig.len, 0);
	}
	pnyx_buf_clear(&cosig);
	return c;
}

static void codes(void **state)
{
	(void)state;
	static const unsigned want[PNYX_WITNESS__COUNT] = {
		200, 400, 413, 404, 403, 400, 409, 409, 422, 503};
	for (int i = 0; i < PNYX_WITNESS__COUNT; i++) {
		assert_int_equal(pnyx_witness_code_status(i), want[i]);
		assert_string_not_equal(pnyx_witness_code_name(i), "unknown");
	}
	assert_string_equal(pnyx_witness_code_name(PNYX_WITNESS__COUNT),
			    "unknown");
	assert_int_equal(pnyx_witness_code_status(PNYX_WITNESS__COUNT), 500);
	assert_string_equal(pnyx_witness_code_name(PNYX_WITNESS_BAD_PROOF),
			    "bad-proof");
}

static void grows(void **state)
{
	(void)state;
	pnyx_witness_latest latest = {0};
	pnyx_witness_verdict v;
	pnyx_buf b;
	grow(3);
	request(0, 0, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v), PNYX_WITNESS_COSIGNED);
	assert_int_equal(latest.size, 3);
	pnyx_buf_clear(&b);
	/* a stale old size: 409 with the held size */
	grow(5);
	request(2, 2, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v),
			 PNYX_WITNESS_OLD_SIZE_MISMATCH);
	assert_int_equal(v.held_size, 3);
	pnyx_buf_clear(&b);
	request(3, 3, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v), PNYX_WITNESS_COSIGNED);
	assert_int_equal(latest.size, 5);
	/* the same checkpoint again, old = size: cosigned */
	pnyx_buf_clear(&b);
	request(5, 5, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v), PNYX_WITNESS_COSIGNED);
	pnyx_buf_clear(&b);
}

static void refusals(void **state)
{
	(void)state;
	grow(5);
	pnyx_witness_latest latest = {0}, held;
	pnyx_witness_verdict v;
	pnyx_buf b;
	request(0, 0, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v), PNYX_WITNESS_COSIGNED);
	pnyx_buf_clear(&b);
	held = latest;
	grow(9);
	/* wrong key of the same name */
	request(5, 5, &other_key, &b);
	assert_int_equal(judge(&b, &latest, &v), PNYX_WITNESS_UNVERIFIED);
	pnyx_buf_clear(&b);
	/* a proof from another size */
	request(5, 4, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v), PNYX_WITNESS_BAD_PROOF);
	/* a flipped proof byte */
	b.data[8] ^= 1;
	assert_int_not_equal(judge(&b, &latest, &v), PNYX_WITNESS_COSIGNED);
	pnyx_buf_clear(&b);
	/* old size larger than the checkpoint's */
	request(10, 5, &log_key, &b);
	assert_int_equal(judge(&b, &latest, &v),
			 PNYX_WITNESS_OLD_SIZE_TOO_LARGE);
	pnyx_buf_clear(&b);
	/* same size, another root: a fork */
	pnyx_witness_latest forged = latest;
	forged.size = 9;
	forged.root.b[0] ^= 1;
	request(9, 9, &log_key, &b);
	assert_int_equal(judge(&b, &forged, &v), PNYX_WITNESS_ROOT_MISMATCH);
	pnyx_buf_clear(&b);
	assert_int_equal(latest.size, held.size);
	assert_true(pnyx_hash_eq(&latest.root, &held.root));
	/* malformed and oversized bodies */
	pnyx_buf junk = {.data = (uint8_t *)"old 1\n", .len = 6};
	assert_int_equal(judge(&junk, &latest, &v), PNYX_WITNESS_MALFORMED);
	static uint8_t big[PNYX_WITNESS_BODY_MAX + 1];
	pnyx_buf huge = {.data = big, .len = sizeof big};
	assert_int_equal(judge(&huge, &latest, &v), PNYX_WITNESS_TOO_LARGE);
	static const char unsigned_cp[] = "old 0\n\nlog.pnyx.example/w\n0\n"
		"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	pnyx_buf nosig = {.data = (uint8_t *)unsigned_cp,
			  .len = sizeof unsigned_cp - 1};
	assert_int_equal(judge(&nosig, &latest, &v), PNYX_WITNESS_MALFORMED);
}

static void unknown_log(void **state)
{
	(void)state;
	static const char body[] = "old 0\n\nexample.com/behind-the-sofa\n"
		"20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
		"\xE2\x80\x94 example.com/behind-the-sofa Az3grlgtzPICa5OS8np"
		"Vmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyW"
		"E+xeMcTOAYQ8=\n";
	size_t log = 7;
	pnyx_witness_verdict v;
	assert_false(pnyx_witness_find_log(logs, nlogs, U8(body),
					   sizeof body - 1, &log, &v));
	assert_int_equal(v.code, PNYX_WITNESS_UNKNOWN_LOG);
	assert_int_equal(log, 7);
}

static void config(void **state)
{
	(void)state;
	pnyx_witness_log l[2];
	size_t n = 0;
	pnyx_verifier v1, v2;
	pnyx_signer_verifier(&log_key, &v1);
	pnyx_signer_verifier(&other_key, &v2);
	pnyx_buf a, b;
	pnyx_buf_init(&a, 1024);
	pnyx_buf_init(&b, 1024);
	assert_int_equal(pnyx_verifier_encode(&v1, &a), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(&b, "other.example=x y"), PNYX_OK);
	assert_int_equal(pnyx_witness_config_line(l, &n, 2, b.data, b.len,
						  NULL), PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_witness_config_line(l, &n, 2, U8("=x"), 2, NULL),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_witness_config_line(l, &n, 2, a.data, a.len,
						  NULL), PNYX_OK);
	assert_int_equal(pnyx_witness_config_line(l, &n, 2, a.data, a.len,
						  NULL), PNYX_ERR_EXISTS);
	pnyx_buf_reset(&b);
	pnyx_buf_puts(&b, "# comment\n\nlog.pnyx.example/w=");
	assert_int_equal(pnyx_verifier_encode(&v2, &b), PNYX_OK);
	pnyx_buf_puts(&b, "\nother.example/o=");
	assert_int_equal(pnyx_verifier_encode(&v2, &b), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(&b, "\n"), PNYX_OK);
	assert_int_equal(pnyx_witness_config_parse(l, &n, 2, b.data, b.len,
						   NULL), PNYX_OK);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].nkeys, 2);
	assert_string_equal(l[1].origin, "other.example/o");
	/* a third log does not fit; a last line without '\n' is refused */
	pnyx_buf_reset(&b);
	pnyx_buf_puts(&b, "third.example=");
	assert_int_equal(pnyx_verifier_encode(&v1, &b), PNYX_OK);
	assert_int_equal(pnyx_witness_config_line(l, &n, 2, b.data, b.len,
						  NULL), PNYX_ERR_TOO_LARGE);
	assert_int_equal(n, 2);
	size_t n0 = 0;
	assert_int_equal(pnyx_witness_config_parse(l, &n0, 2, a.data, a.len,
						   NULL), PNYX_ERR_MALFORMED);
	assert_int_equal(n0, 0);
	pnyx_buf_clear(&a);
	pnyx_buf_clear(&b);
}

/* A checkpoint note of the log at its size, for the store. */
static void note_now(pnyx_buf *out)
{
	pnyx_buf_init(out, 1 << 16);
	assert_int_equal(pnyx_log_checkpoint(lg, &log_key, out, NULL), PNYX_OK);
}

static void store(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("witness-store");
	char path[4096];
	snprintf(path, sizeof path, "%s/st", dir);
	pnyx_witness_store *s = NULL, *s2 = NULL;
	assert_int_equal(pnyx_witness_store_open(path, &s, NULL), PNYX_OK);
	assert_int_equal(pnyx_witness_store_open(path, &s2, NULL),
			 PNYX_ERR_EXISTS);
	const char *origin = "log.pnyx.example/w";
	pnyx_witness_latest none = {0}, got = {.size = 7}, stale;
	assert_int_equal(pnyx_witness_store_load(s, origin, &got, NULL, NULL),
			 PNYX_OK);
	assert_false(got.present);
	grow(10);
	pnyx_buf n10, n11, back;
	note_now(&n10);
	assert_int_equal(pnyx_witness_store_swap(s, "other.example", &none,
						 n10.data, n10.len, NULL),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_witness_store_swap(s, origin, &none, n10.data,
						 n10.len, NULL), PNYX_OK);
	pnyx_buf_init(&back, 1 << 17);
	assert_int_equal(pnyx_witness_store_load(s, origin, &got, &back, NULL),
			 PNYX_OK);
	assert_true(got.present);
	assert_int_equal(got.size, 10);
	assert_int_equal(back.len, n10.len);
	assert_memory_equal(back.data, n10.data, n10.len);
	/* compare-and-swap: a stale expectation changes nothing */
	grow(11);
	note_now(&n11);
	stale = got;
	stale.root.b[3] ^= 1;
	assert_int_equal(pnyx_witness_store_swap(s, origin, &none, n11.data,
						 n11.len, NULL),
			 PNYX_ERR_MISMATCH);
	assert_int_equal(pnyx_witness_store_swap(s, origin, &stale, n11.data,
						 n11.len, NULL),
			 PNYX_ERR_MISMATCH);
	assert_int_equal(pnyx_witness_store_swap(s, origin, &got, n11.data,
						 n11.len, NULL), PNYX_OK);
	pnyx_witness_store_close(s);
	/* reopened: the state is there */
	snprintf(path, sizeof path, "%s/st", dir);
	assert_int_equal(pnyx_witness_store_open(path, &s, NULL), PNYX_OK);
	assert_int_equal(pnyx_witness_store_load(s, origin, &got, NULL, NULL),
			 PNYX_OK);
	assert_int_equal(got.size, 11);
	pnyx_witness_store_close(s);
	pnyx_buf_clear(&n10);
	pnyx_buf_clear(&n11);
	pnyx_buf_clear(&back);
}

/* Evidence: written once per submitted body. */
static void evidence(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("witness-evidence");
	char path[4096];
	snprintf(path, sizeof path, "%s/st", dir);
	pnyx_witness_store *s = NULL;
	assert_int_equal(pnyx_witness_store_open(path, &s, NULL), PNYX_OK);
	pnyx_buf n10, n11;
	note_now(&n10);
	grow(pnyx_log_size(lg) + 1);
	note_now(&n11);
	/* evidence: written once per submitted body */
	char name[72], name2[72];
	assert_int_equal(pnyx_witness_store_evidence(s, "bad-proof", NOW,
		n10.data, n10.len, n11.data, n11.len, name, NULL), PNYX_OK);
	assert_int_equal(pnyx_witness_store_evidence(s, "bad-proof", NOW + 1,
		n10.data, n10.len, n11.data, n11.len, name2, NULL), PNYX_OK);
	assert_string_equal(name, name2);
	snprintf(path, sizeof path, "%s/st/evidence/%s", dir, name);
	size_t len = 0;
	uint8_t *ev = test_read_file(path, &len);
	assert_non_null(strstr((const char *)ev, "time 1700000000\n"));
	free(ev);
	pnyx_witness_store_close(s);
	pnyx_buf_clear(&n10);
	pnyx_buf_clear(&n11);
}

/* Every allocation of a judgement failing in turn: cosigned or
 * unavailable, never anything else, the buffer untouched on failure. */
static void fault_judge(void **state)
{
	(void)state;
	pnyx_witness_latest latest = {0};
	pnyx_witness_verdict v;
	pnyx_buf b, cosig;
	request(0, 0, &log_key, &b);
	pnyx_buf_init(&cosig, 4096);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_witness_judge(logs, nlogs, 0, &latest,
					    &witness_key, b.data, b.len, NOW,
					    &cosig, &v), PNYX_WITNESS_COSIGNED);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_true(points > 0);
	for (uint64_t i = 1; i <= points; i++) {
		pnyx_buf_reset(&cosig);
		pnyx_fault_arm(i);
		pnyx_witness_code c = pnyx_witness_judge(logs, nlogs, 0,
							 &latest, &witness_key,
							 b.data, b.len, NOW,
							 &cosig, &v);
		pnyx_fault_disarm();
		assert_true(c == PNYX_WITNESS_COSIGNED ||
			    c == PNYX_WITNESS_INTERNAL);
		if (c != PNYX_WITNESS_COSIGNED)
			assert_int_equal(cosig.len, 0);
	}
	pnyx_buf_clear(&cosig);
	pnyx_buf_clear(&b);
}

/* Every allocation of a swap failing in turn: the store holds the old
 * checkpoint or the new one, never anything else. */
static void fault_swap(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/st", test_tmpdir("witness-fault"));
	const char *origin = "log.pnyx.example/w";
	pnyx_witness_store *s = NULL;
	assert_int_equal(pnyx_witness_store_open(path, &s, NULL), PNYX_OK);
	pnyx_buf n1, n2;
	note_now(&n1);
	grow(pnyx_log_size(lg) + 1);
	note_now(&n2);
	pnyx_witness_latest none = {0}, old, cur;
	assert_int_equal(pnyx_witness_store_swap(s, origin, &none, n1.data,
						 n1.len, NULL), PNYX_OK);
	assert_int_equal(pnyx_witness_store_load(s, origin, &old, NULL, NULL),
			 PNYX_OK);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_witness_store_swap(s, origin, &old, n2.data,
						 n2.len, NULL), PNYX_OK);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	assert_int_equal(pnyx_witness_store_load(s, origin, &cur, NULL, NULL),
			 PNYX_OK);
	assert_int_equal(pnyx_witness_store_swap(s, origin, &cur, n1.data,
						 n1.len, NULL), PNYX_OK);
	for (uint64_t i = 1; i <= points; i++) {
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_witness_store_swap(s, origin, &old, n2.data,
						       n2.len, NULL);
		pnyx_fault_disarm();
		assert_int_equal(pnyx_witness_store_load(s, origin, &cur, NULL,
							 NULL), PNYX_OK);
		if (err != PNYX_OK) {
			assert_int_equal(cur.size, old.size);
			continue;
		}
		assert_int_equal(cur.size, old.size + 1);
		assert_int_equal(pnyx_witness_store_swap(s, origin, &cur,
							 n1.data, n1.len,
							 NULL), PNYX_OK);
	}
	pnyx_witness_store_close(s);
	pnyx_buf_clear(&n1);
	pnyx_buf_clear(&n2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes),
		cmocka_unit_test(grows),
		cmocka_unit_test(refusals),
		cmocka_unit_test(unknown_log),
		cmocka_unit_test(config),
		cmocka_unit_test(store),
		cmocka_unit_test(evidence),
		cmocka_unit_test(fault_judge),
		cmocka_unit_test(fault_swap),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
