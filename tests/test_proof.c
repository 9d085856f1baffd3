/*
 * Tests for pnyx/proof.h: the text form of proofs. Round trips (including
 * proofs made by merkle_proof.c and the empty and maximal proofs), every
 * rejection, and encoding into a full or failing buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pnyx/fault.h"
#include "pnyx/proof.h"

#define U8(s) ((const uint8_t *)(s))
#define H1 "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c="
#define H2 "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="
#define H3 "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="

static pnyx_proof proof; /* large; file scope keeps it off the stack */

static void round_trip(const char *text, size_t n)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_proof_parse(U8(text), n, &proof, &diag);
	if (err != PNYX_OK)
		fail_msg("refused: %s", diag.msg);
	pnyx_buf b;
	pnyx_buf_init(&b, 1 << 16);
	assert_int_equal(pnyx_proof_encode(&proof, &b), PNYX_OK);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, text, n);
	pnyx_buf_clear(&b);
}

static void valid_texts(void **state)
{
	(void)state;
	const char *t = "inclusion\nindex 0\nsize 8\n" H1 "\n" H2 "\n" H3 "\n";
	round_trip(t, strlen(t));
	assert_int_equal(proof.kind, PNYX_PROOF_INCLUSION);
	assert_int_equal(proof.a, 0);
	assert_int_equal(proof.b, 8);
	assert_int_equal(proof.n, 3);
	assert_int_equal(proof.hashes[0].b[0], 0x96); /* "lqKW" */
	t = "consistency\nold 1\nsize 8\n" H1 "\n" H2 "\n" H3 "\n";
	round_trip(t, strlen(t));
	assert_int_equal(proof.kind, PNYX_PROOF_CONSISTENCY);
	assert_int_equal(proof.a, 1);
	assert_int_equal(proof.n, 3);
	static const char *more[] = {
		"inclusion\nindex 0\nsize 1\n",
		"consistency\nold 0\nsize 0\n",
		"consistency\nold 18446744073709551615\n"
		"size 18446744073709551615\n",
		/* Parsing says nothing about verifying. */
		"inclusion\nindex 9\nsize 3\n" H1 "\n",
		"consistency\nold 9\nsize 3\n" H1 "\n",
	};
	for (size_t i = 0; i < sizeof more / sizeof *more; i++)
		round_trip(more[i], strlen(more[i]));
}

static void build_long(char *text, size_t cap, size_t hashes)
{
	size_t len = (size_t)snprintf(text, cap, "inclusion\nindex 1\nsize 2\n");
	for (size_t i = 0; i < hashes; i++) {
		assert_true(len + 46 < cap);
		memcpy(text + len, H2 "\n", 45);
		len += 45;
	}
	text[len] = '\0';
}

static void maximal(void **state)
{
	(void)state;
	static char text[64 + 45 * (PNYX_MERKLE_MAX_PROOF + 1)];
	build_long(text, sizeof text, PNYX_MERKLE_MAX_PROOF);
	round_trip(text, strlen(text));
	assert_int_equal(proof.n, PNYX_MERKLE_MAX_PROOF);
	build_long(text, sizeof text, PNYX_MERKLE_MAX_PROOF + 1);
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_proof_parse(U8(text), strlen(text), &proof,
					  &diag),
			 PNYX_ERR_MALFORMED);
	assert_non_null(strstr(diag.msg, "more than"));
}

typedef struct bad_case {
	const char *text;
	size_t n;
	const char *why; /* a word the diagnostic must contain */
} bad_case;

#define BAD(s, w) {s, sizeof(s) - 1, w}
#define INC "inclusion\nindex 0\nsize 8\n"

static const bad_case bad[] = {
	/* kind line */
	BAD("", "kind"),
	BAD("inclusion", "kind"),
	BAD("\nindex 0\nsize 8\n", "kind"),
	BAD("Inclusion\nindex 0\nsize 8\n", "kind"),
	BAD("inclusion \nindex 0\nsize 8\n", "kind"),
	BAD("inclusions\nindex 0\nsize 8\n", "kind"),
	BAD("consistent\nold 0\nsize 8\n", "kind"),
	BAD("inclusion\r\nindex 0\nsize 8\n", "kind"),
	/* number lines */
	BAD("inclusion\n", "index"),
	BAD("inclusion\nold 0\nsize 8\n", "index"),
	BAD("consistency\nindex 0\nsize 8\n", "old"),
	BAD("inclusion\nindex\nsize 8\n", "index"),
	BAD("inclusion\nindex \nsize 8\n", "index"),
	BAD("inclusion\nindex  0\nsize 8\n", "index"),
	BAD("inclusion\nindex 01\nsize 8\n", "index"),
	BAD("inclusion\nindex -1\nsize 8\n", "index"),
	BAD("inclusion\nindex 0 \nsize 8\n", "index"),
	BAD("inclusion\nindex\t0\nsize 8\n", "index"),
	BAD("inclusion\nindex 18446744073709551616\nsize 8\n", "index"),
	BAD("inclusion\nindex 0\n", "size"),
	BAD("inclusion\nindex 0\nsize 8", "size"),
	BAD("inclusion\nindex 0\nsize\n", "size"),
	BAD("inclusion\nindex 0\nsize 08\n", "size"),
	BAD("inclusion\nindex 0\nSize 8\n", "size"),
	BAD("inclusion\nindex 0\nsize 8x\n", "size"),
	BAD("inclusion\nindex 0\nsize 99999999999999999999\n", "size"),
	BAD("consistency\nold 1\nsize 0x8\n", "size"),
	/* hashes */
	BAD(INC "\n", "hash 1"),
	BAD(INC H1 "\n\n", "hash 2"),
	BAD(INC H1 "\n" H2 "\n" H3, "newline"),
	BAD(INC H1, "newline"),
	BAD(INC "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c\n", "hash 1"),
	BAD(INC "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8d=\n", "hash 1"),
	BAD(INC "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh-QQt4YwoJz8c=\n", "hash 1"),
	BAD(INC H1 " \n", "hash 1"),
	BAD(INC " " H1 "\n", "hash 1"),
	BAD(INC "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", "hash 1"),
	BAD(INC "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "hash 1"),
	BAD(INC "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "hash 1"),
	BAD(INC H1 "\r\n", "hash 1"),
	/* Found by fuzzing: libsodium 1.0.18 decodes 0xaf as '/'. */
	BAD(INC H1 "\nXwg/ChozygdqlSeYMlgNs+DvRYS9\xaf"
		   "x9UyKNg9Q3jAx4=\n",
	    "hash 2"),
	BAD(INC H1 "\n" H2 "\0\n", "hash 2"),
	BAD(INC H1 "\n" H2 "\n# comment\n", "hash 3"),
};

static void rejections(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&proof, 0x5a, sizeof proof);
		pnyx_diag diag = {{0}};
		pnyx_err err = pnyx_proof_parse(U8(bad[i].text), bad[i].n,
						&proof, &diag);
		if (err != PNYX_ERR_MALFORMED)
			fail_msg("case %zu accepted", i);
		if (strstr(diag.msg, bad[i].why) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, diag.msg,
				 bad[i].why);
		/* Outputs are written only on success. */
		assert_int_equal(proof.n, 0x5a5a5a5a5a5a5a5aULL);
		assert_int_equal(pnyx_proof_parse(U8(bad[i].text), bad[i].n,
						  &proof, NULL),
				 PNYX_ERR_MALFORMED);
	}
}

static void encode_fields(void **state)
{
	(void)state;
	memset(&proof, 0, sizeof proof);
	proof.kind = PNYX_PROOF_CONSISTENCY;
	proof.a = 3;
	proof.b = 18446744073709551615u;
	proof.n = 2;
	for (int i = 0; i < PNYX_HASH_LEN; i++)
		proof.hashes[1].b[i] = (uint8_t)i;
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_proof_encode(&proof, &b), PNYX_OK);
	assert_string_equal((const char *)b.data,
			    "consistency\nold 3\nsize 18446744073709551615\n"
			    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
			    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
	pnyx_buf_clear(&b);
}

static void encode_failures(void **state)
{
	(void)state;
	const char *t = "inclusion\nindex 0\nsize 8\n" H1 "\n" H2 "\n" H3 "\n";
	assert_int_equal(pnyx_proof_parse(U8(t), strlen(t), &proof, NULL),
			 PNYX_OK);
	for (size_t max = 1; max < strlen(t); max++) {
		pnyx_buf b;
		pnyx_buf_init(&b, max);
		assert_int_equal(pnyx_proof_encode(&proof, &b),
				 PNYX_ERR_TOO_LARGE);
		pnyx_buf_clear(&b);
	}
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_proof_encode(&proof, &b), PNYX_OK);
	pnyx_buf_clear(&b);
	uint64_t points = pnyx_fault_passed();
	assert_true(points > 0);
	for (uint64_t f = 1; f <= points; f++) {
		pnyx_fault_arm(f);
		pnyx_buf_init(&b, 4096);
		assert_int_equal(pnyx_proof_encode(&proof, &b), PNYX_ERR_NOMEM);
		pnyx_buf_clear(&b);
	}
	pnyx_fault_disarm();
}

/* Proofs made by merkle_proof.c survive the text form and still verify. */
static pnyx_hash tree[4][8];

static pnyx_err read_tree(void *ctx, unsigned level, uint64_t index,
			  size_t count, pnyx_hash *out)
{
	(void)ctx;
	for (size_t i = 0; i < count; i++)
		out[i] = tree[level][index + i];
	return PNYX_OK;
}

static void generated(void **state)
{
	(void)state;
	pnyx_merkle_edge e;
	pnyx_merkle_edge_init(&e);
	for (uint8_t i = 0; i < 7; i++) {
		pnyx_hash leaf;
		pnyx_merkle_leaf_hash(&i, 1, &leaf);
		tree[0][i] = leaf;
		assert_int_equal(pnyx_merkle_edge_append(&e, &leaf, NULL, NULL),
				 PNYX_OK);
	}
	for (unsigned l = 1; l < 4; l++)
		for (unsigned i = 0; i < (7u >> l); i++)
			pnyx_merkle_node_hash(&tree[l - 1][2 * i],
					      &tree[l - 1][2 * i + 1],
					      &tree[l][i]);
	pnyx_hash root;
	pnyx_merkle_edge_root(&e, &root);
	pnyx_proof p = {.kind = PNYX_PROOF_INCLUSION, .a = 5, .b = 7};
	assert_int_equal(pnyx_merkle_inclusion_proof(5, 7, read_tree, NULL,
						     p.hashes, &p.n),
			 PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_proof_encode(&p, &b), PNYX_OK);
	round_trip((const char *)b.data, b.len);
	assert_int_equal(pnyx_merkle_verify_inclusion(&tree[0][5], proof.a,
						      proof.b, proof.hashes,
						      proof.n, &root),
			 PNYX_OK);
	pnyx_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_texts),
		cmocka_unit_test(maximal),
		cmocka_unit_test(rejections),
		cmocka_unit_test(encode_fields),
		cmocka_unit_test(encode_failures),
		cmocka_unit_test(generated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
