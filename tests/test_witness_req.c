/*
 * Tests for pnyx/witness_req.h. Vector: the example request body of
 * c2sp.org/tlog-witness (C2SP/C2SP tlog-witness.md, commit 055270b5),
 * add-checkpoint section.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/fault.h"
#include "pnyx/witness_req.h"

#define U8(s) ((const uint8_t *)(s))
#define DASH "\xE2\x80\x94"
#define MAX 65536

static const char spec_proof[] =
	"PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
	"jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
	"5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
	"/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n";
static const char spec_note[] =
	"example.com/behind-the-sofa\n"
	"20852163\n"
	"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	"\n" DASH " example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniM"
	"p+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n" DASH
	" example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZ"
	"dXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";

static int setup(void **state)
{
	(void)state;
	return pnyx_init() == PNYX_OK ? 0 : -1;
}

/* The spec's example body, built here from its parts. */
static char *spec_body(void)
{
	size_t n = strlen("old 20852014\n") + strlen(spec_proof) + 1 +
		   strlen(spec_note) + 1;
	char *b = malloc(n);
	assert_non_null(b);
	snprintf(b, n, "old 20852014\n%s\n%s", spec_proof, spec_note);
	return b;
}

static pnyx_err parse(const char *s, pnyx_witness_req *r)
{
	return pnyx_witness_req_parse(U8(s), strlen(s), MAX, r, NULL);
}

static void spec_example(void **state)
{
	(void)state;
	char *body = spec_body();
	pnyx_witness_req r;
	assert_int_equal(parse(body, &r), PNYX_OK);
	assert_int_equal(r.old_size, 20852014);
	assert_int_equal(r.nproof, 4);
	pnyx_hash h;
	assert_int_equal(pnyx_base64_decode_hash(U8(spec_proof), 44, &h),
			 PNYX_OK);
	assert_memory_equal(&r.proof[0], &h, sizeof h);
	assert_int_equal(pnyx_base64_decode_hash(U8(spec_proof + 135), 44, &h),
			 PNYX_OK);
	assert_memory_equal(&r.proof[3], &h, sizeof h);
	assert_int_equal(r.note_len, strlen(spec_note));
	assert_memory_equal(r.note, spec_note, r.note_len);
	assert_ptr_equal(r.note, U8(body) + strlen(body) - r.note_len);
	/* and back, byte for byte */
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_witness_req_encode(r.old_size, r.proof, r.nproof,
						 r.note, r.note_len, &b),
			 PNYX_OK);
	assert_int_equal(b.len, strlen(body));
	assert_memory_equal(b.data, body, b.len);
	pnyx_buf_clear(&b);
	free(body);
}

static void sizes_and_limits(void **state)
{
	(void)state;
	pnyx_witness_req r;
	assert_int_equal(parse("old 0\n\nx\n", &r), PNYX_OK);
	assert_int_equal(r.old_size, 0);
	assert_int_equal(r.nproof, 0);
	assert_int_equal(r.note_len, 2);
	assert_int_equal(parse("old 18446744073709551615\n\nx\n", &r),
			 PNYX_OK);
	assert_true(r.old_size == UINT64_MAX);
	/* 63 proof lines, then 64 */
	pnyx_hash proof[PNYX_WITNESS_PROOF_MAX + 1];
	for (size_t i = 0; i <= PNYX_WITNESS_PROOF_MAX; i++)
		memset(proof[i].b, (int)i, sizeof proof[i].b);
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_witness_req_encode(7, proof, 63, U8("n\n"), 2,
						 &b),
			 PNYX_OK);
	assert_int_equal(pnyx_witness_req_parse(b.data, b.len, MAX, &r, NULL),
			 PNYX_OK);
	assert_int_equal(r.nproof, 63);
	assert_memory_equal(r.proof, proof, sizeof r.proof);
	assert_int_equal(pnyx_witness_req_parse(b.data, b.len, b.len - 1, &r,
						NULL),
			 PNYX_ERR_TOO_LARGE);
	size_t len = b.len;
	assert_int_equal(pnyx_witness_req_encode(7, proof, 64, U8("n\n"), 2,
						 &b),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_witness_req_encode(0, proof, 1, U8("n\n"), 2,
						 &b),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_witness_req_encode(1, proof, 1, U8(""), 0, &b),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(b.len, len);
	/* a 64th line, added by hand */
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_buf_puts(&b, "old 7\n"), PNYX_OK);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(pnyx_buf_puts(&b, "AAAAAAAAAAAAAAAAAAAAAAAAAA"
						   "AAAAAAAAAAAAAAAAA=\n"),
				 PNYX_OK);
	assert_int_equal(pnyx_buf_puts(&b, "\nn\n"), PNYX_OK);
	pnyx_diag d;
	assert_int_equal(pnyx_witness_req_parse(b.data, b.len, MAX, &r, &d),
			 PNYX_ERR_MALFORMED);
	assert_non_null(strstr(d.msg, "more than 63"));
	pnyx_buf_clear(&b);
}

static void malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"\n",
		"old 0",
		"old 0\n",
		"old 0\n\n",
		"old 00\n\nx\n",
		"old 01\n\nx\n",
		"old +1\n\nx\n",
		"old -1\n\nx\n",
		"old 18446744073709551616\n\nx\n",
		"old  1\n\nx\n",
		"old 1 \n\nx\n",
		"Old 1\n\nx\n",
		"old\n\nx\n",
		"old 1\r\n\r\nx\n",
		"old 0\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\nx\n",
		"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\nx\n",
		"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=x\n\nx\n",
		"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkax=\n\nx\n",
		"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw= \n\nx\n",
		"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n",
		"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\nx\n",
		"old 5\n \nx\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pnyx_witness_req r;
		memset(&r, 0x5A, sizeof r);
		assert_int_equal(parse(bad[i], &r), PNYX_ERR_MALFORMED);
		assert_true(r.nproof == (size_t)0x5A5A5A5A5A5A5A5AULL);
	}
}

/* Fails each allocation of an encoding in turn; the buffer is unchanged. */
static void fault_loop(void **state)
{
	(void)state;
	pnyx_hash proof[2];
	memset(proof, 7, sizeof proof);
	for (uint64_t i = 1; i < 6; i++) {
		pnyx_buf b;
		pnyx_buf_init(&b, MAX);
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_witness_req_encode(3, proof, 2,
						       U8(spec_note),
						       strlen(spec_note), &b);
		pnyx_fault_disarm();
		assert_true(err == PNYX_OK || err == PNYX_ERR_NOMEM);
		assert_true(err == PNYX_OK || b.len == 0);
		pnyx_buf_clear(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_example),
		cmocka_unit_test(sizes_and_limits),
		cmocka_unit_test(malformed),
		cmocka_unit_test(fault_loop),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
