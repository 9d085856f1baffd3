/*
 * Tests for pnyx/cosignature.h. Vectors: the example checkpoint, its
 * cosignature line and the example signed message of c2sp.org/
 * tlog-cosignature (C2SP/C2SP tlog-cosignature.md, commit 01194db1). The
 * spec does not publish the witness's public key, so its cosignature is
 * checked for its key ID and timestamp, and our signatures are checked
 * against the spec's literal signed message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/cosignature.h"
#include "pnyx/fault.h"
#include "pnyx/note.h"

#define U8(s) ((const uint8_t *)(s))
#define DASH "\xE2\x80\x94"
#define MAX 65536

static const char spec_checkpoint[] = "example.com/behind-the-sofa\n"
				      "20852163\n"
				      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
static const char spec_cosig_line[] =
	DASH " witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtP"
	"HeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
static const char spec_message[] = "cosignature/v1\n"
				   "time 1679315147\n"
				   "example.com/behind-the-sofa\n"
				   "20852163\n"
				   "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
#define SPEC_TIME 1679315147u

/* Test keys (not secrets). */
static const char log_skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+"
	"AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char w1_skey[] =
	"PRIVATE+KEY+fuzz.pnyx.example/key+5b0557f1+"
	"AUvwvJIKT706mdW32Ccrelp/mwbKLeJqRjwRsQC0tXni";

static pnyx_signer log_s, w1, w2;

static int setup(void **state)
{
	(void)state;
	if (pnyx_init() != PNYX_OK ||
	    pnyx_signer_parse(U8(log_skey), strlen(log_skey), &log_s, NULL) !=
		    PNYX_OK ||
	    pnyx_signer_parse(U8(w1_skey), strlen(w1_skey), &w1, NULL) !=
		    PNYX_OK ||
	    pnyx_signer_generate("witness.example.org/w2", &w2) != PNYX_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pnyx_signer_clear(&log_s);
	pnyx_signer_clear(&w1);
	pnyx_signer_clear(&w2);
	return 0;
}

/* Signs spec_checkpoint with s at t into b (initialised here). */
static void cosign(const pnyx_signer *s, uint64_t t, pnyx_buf *b)
{
	pnyx_buf_init(b, MAX);
	assert_int_equal(pnyx_cosig_sign(s, U8(spec_checkpoint),
					 strlen(spec_checkpoint), t, b),
			 PNYX_OK);
}

static pnyx_err verify(const pnyx_verifier *w, const char *text,
		       const uint8_t *line, size_t n, uint64_t *t)
{
	return pnyx_cosig_verify_line(w, U8(text), strlen(text), line, n, t,
				      NULL);
}

/* Decodes the payload of a line made by cosign into raw (76 bytes). */
static void payload(const pnyx_buf *b, const char *name, uint8_t raw[76])
{
	size_t skip = 4 + strlen(name) + 1, got = 0;
	assert_int_equal(pnyx_base64_decode(b->data + skip, b->len - skip - 1,
					    raw, 76, &got),
			 PNYX_OK);
	assert_int_equal(got, 76);
}

/* Rebuilds a line for name from raw into b. */
static void relabel(pnyx_buf *b, const char *name, const uint8_t *raw,
		    size_t n)
{
	char b64[256];
	(void)pnyx_base64_encode(raw, n, b64, sizeof b64);
	pnyx_buf_reset(b);
	(void)pnyx_buf_printf(b, DASH " %s %s\n", name, b64);
}

static void spec_example(void **state)
{
	(void)state;
	const char *p = strchr(spec_cosig_line, ' ');
	p = strchr(p + 1, ' ') + 1;
	uint8_t raw[76];
	size_t got = 0;
	assert_int_equal(pnyx_base64_decode(U8(p), strlen(p) - 1, raw,
					    sizeof raw, &got),
			 PNYX_OK);
	assert_int_equal(got, 76);
	assert_memory_equal(raw, "\x8d\x66\xcf\x3f", 4);
	uint64_t t = 0;
	for (int i = 0; i < 8; i++)
		t = t << 8 | raw[4 + i];
	assert_int_equal(t, SPEC_TIME);
	/* a different key under the same name: another key ID */
	pnyx_signer other;
	assert_int_equal(pnyx_signer_generate("witness.example.com/w1", &other),
			 PNYX_OK);
	pnyx_verifier w;
	pnyx_cosig_verifier(&other, &w);
	assert_int_equal(verify(&w, spec_checkpoint, U8(spec_cosig_line),
				strlen(spec_cosig_line), NULL),
			 PNYX_ERR_MISMATCH);
	/* the same key ID: the signature is checked and fails */
	w.hash = 0x8d66cf3fu;
	assert_int_equal(verify(&w, spec_checkpoint, U8(spec_cosig_line),
				strlen(spec_cosig_line), NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	pnyx_signer_clear(&other);
}

/* Our cosignature is an Ed25519 signature over the spec's literal message. */
static void spec_message_format(void **state)
{
	(void)state;
	pnyx_buf b;
	cosign(&w1, SPEC_TIME, &b);
	uint8_t raw[76];
	payload(&b, w1.name, raw);
	pnyx_verifier w, ed;
	pnyx_cosig_verifier(&w1, &w);
	uint32_t id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
		      (uint32_t)raw[2] << 8 | raw[3];
	assert_int_equal(id, pnyx_key_hash(w1.name, 0x04, w1.pk));
	assert_int_equal(id, w.hash);
	assert_true(id != w1.hash);
	assert_memory_equal(raw + 4, "\0\0\0\0\x64\x18\x50\xcb", 8);
	pnyx_signer_verifier(&w1, &ed);
	assert_true(pnyx_verifier_check(&ed, U8(spec_message),
					strlen(spec_message), raw + 12, 64));
	pnyx_buf_clear(&b);
}

static void round_trip(void **state)
{
	(void)state;
	const uint64_t times[] = {0, 1, SPEC_TIME, PNYX_COSIG_TIME_MAX};
	pnyx_verifier w;
	pnyx_cosig_verifier(&w2, &w);
	for (size_t i = 0; i < 4; i++) {
		pnyx_buf b;
		cosign(&w2, times[i], &b);
		uint64_t t = 42;
		assert_int_equal(verify(&w, spec_checkpoint, b.data, b.len, &t),
				 PNYX_OK);
		assert_int_equal(t, times[i]);
		/* without the final newline too */
		assert_int_equal(verify(&w, spec_checkpoint, b.data,
					b.len - 1, NULL),
				 PNYX_OK);
		pnyx_buf_clear(&b);
	}
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_cosig_sign(&w2, U8(spec_checkpoint),
					 strlen(spec_checkpoint),
					 (uint64_t)PNYX_COSIG_TIME_MAX + 1, &b),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_cosig_sign(&w2, U8("no newline"), 10, 1, &b),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_cosig_sign(&w2, U8("a\tb\n"), 4, 1, &b),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(b.len, 0);
	pnyx_buf_clear(&b);
}

static void key_text_form(void **state)
{
	(void)state;
	pnyx_verifier w, back, ed;
	pnyx_cosig_verifier(&w1, &w);
	assert_int_equal(w.alg, PNYX_KEY_ALG_COSIG_V1);
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_verifier_encode(&w, &b), PNYX_OK);
	/* base64 of 0x04 || key starts with 'B' */
	char want[300];
	snprintf(want, sizeof want, "%s+%08x+B", w1.name, (unsigned)w.hash);
	assert_memory_equal(b.data, want, strlen(want));
	assert_int_equal(pnyx_cosig_verifier_parse(b.data, b.len, &back, NULL),
			 PNYX_OK);
	assert_memory_equal(&back, &w, sizeof w);
	pnyx_signer_verifier(&w1, &ed);
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_verifier_encode(&ed, &b), PNYX_OK);
	pnyx_diag d;
	assert_int_equal(pnyx_cosig_verifier_parse(b.data, b.len, &back, &d),
			 PNYX_ERR_MALFORMED);
	assert_non_null(strstr(d.msg, "0x01"));
	/* a changed hash, name or key; truncated or padded forms */
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_verifier_encode(&w, &b), PNYX_OK);
	assert_int_equal(pnyx_buf_puts(&b, "\n"), PNYX_OK);
	assert_int_equal(pnyx_cosig_verifier_parse(b.data, b.len, &back, NULL),
			 PNYX_OK);
	size_t hash_at = strlen(w1.name) + 1;
	size_t cuts[] = {0, 1, hash_at, hash_at + 8, b.len - 2};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
		assert_int_equal(pnyx_cosig_verifier_parse(b.data, cuts[i],
							   &back, NULL),
				 PNYX_ERR_MALFORMED);
	size_t spots[] = {0, hash_at, hash_at + 7, hash_at + 8, b.len - 5};
	for (size_t i = 0; i < sizeof spots / sizeof *spots; i++) {
		uint8_t c = b.data[spots[i]];
		b.data[spots[i]] = c == 'A' ? 'C' : 'A';
		assert_int_equal(pnyx_cosig_verifier_parse(b.data, b.len,
							   &back, NULL),
				 PNYX_ERR_MALFORMED);
		b.data[spots[i]] = c;
	}
	pnyx_buf_clear(&b);
}

static void tampered(void **state)
{
	(void)state;
	pnyx_verifier w, w2v;
	pnyx_cosig_verifier(&w1, &w);
	pnyx_cosig_verifier(&w2, &w2v);
	pnyx_buf b;
	cosign(&w1, SPEC_TIME, &b);
	uint8_t raw[76], bad[76];
	payload(&b, w1.name, raw);
	/* another checkpoint */
	char text[sizeof spec_checkpoint];
	memcpy(text, spec_checkpoint, sizeof text);
	text[30] = '3';
	assert_int_equal(verify(&w, text, b.data, b.len, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	/* another key */
	assert_int_equal(verify(&w2v, spec_checkpoint, b.data, b.len, NULL),
			 PNYX_ERR_MISMATCH);
	/* every byte of the payload, flipped */
	for (size_t i = 0; i < sizeof raw; i++) {
		memcpy(bad, raw, sizeof bad);
		bad[i] ^= i < 4 ? 0x01 : 0x80;
		relabel(&b, w1.name, bad, sizeof bad);
		assert_int_equal(verify(&w, spec_checkpoint, b.data, b.len,
					NULL),
				 i < 4 ? PNYX_ERR_MISMATCH
				       : PNYX_ERR_BAD_SIGNATURE);
	}
	/* short and long payloads */
	relabel(&b, w1.name, raw, 75);
	assert_int_equal(verify(&w, spec_checkpoint, b.data, b.len, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	memcpy(bad, raw, sizeof bad);
	relabel(&b, w1.name, raw, 68); /* a 0x01-sized signature */
	assert_int_equal(verify(&w, spec_checkpoint, b.data, b.len, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	/* another name */
	relabel(&b, "witness.example.org/w9", raw, sizeof raw);
	assert_int_equal(verify(&w, spec_checkpoint, b.data, b.len, NULL),
			 PNYX_ERR_MISMATCH);
	pnyx_buf_clear(&b);
}

static void malformed_lines(void **state)
{
	(void)state;
	pnyx_verifier w;
	pnyx_cosig_verifier(&w1, &w);
	const char *bad[] = {
		"",
		"\n",
		"- fuzz.pnyx.example/key AAAA\n",
		DASH " fuzz.pnyx.example/key\n",
		DASH " fuzz.pnyx.example/key \n",
		DASH "  AAAAAAAA\n",
		DASH " fuzz.pnyx.example/key AAAAAAA\n",
		DASH " fuzz.pnyx.example/key AAAA\n",
		DASH " fuzz.pnyx.example/key AAAAAAAA\n\n",
		DASH " fuzz.pnyx.example/key AAAAAAAA \n",
		DASH " a+b AAAAAAAA\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(verify(&w, spec_checkpoint, U8(bad[i]),
					strlen(bad[i]), NULL),
				 PNYX_ERR_MALFORMED);
}

static void wrong_key_type(void **state)
{
	(void)state;
	pnyx_verifier ed, w;
	pnyx_signer_verifier(&w1, &ed);
	pnyx_cosig_verifier(&w1, &w);
	pnyx_buf b;
	cosign(&w1, SPEC_TIME, &b);
	assert_int_equal(verify(&ed, spec_checkpoint, b.data, b.len, NULL),
			 PNYX_ERR_MALFORMED);
	uint8_t raw[76];
	payload(&b, w1.name, raw);
	assert_int_equal(pnyx_cosig_verify_sig(&ed, U8(spec_checkpoint),
					       strlen(spec_checkpoint),
					       raw + 4, 72, NULL),
			 PNYX_ERR_MALFORMED);
	/* an ordinary 0x01 note signature by the same key is not a
	 * cosignature: its key ID differs */
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_note_sign(U8(spec_checkpoint),
					strlen(spec_checkpoint), &w1, 1, &b),
			 PNYX_OK);
	const uint8_t *line = b.data + strlen(spec_checkpoint) + 1;
	size_t n = b.len - strlen(spec_checkpoint) - 1;
	assert_int_equal(verify(&w, spec_checkpoint, line, n, NULL),
			 PNYX_ERR_MISMATCH);
	/* a witness key cannot verify a note signature */
	pnyx_note note;
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, &w, 1, &note,
					NULL),
			 PNYX_ERR_UNVERIFIED);
	pnyx_buf_clear(&b);
}

/* Builds the log's signed checkpoint followed by cosignature lines of w1
 * (at t) and w2 (at t + 1) into b. */
static void cosigned_note(uint64_t t, pnyx_buf *b)
{
	pnyx_buf_init(b, MAX);
	assert_int_equal(pnyx_note_sign(U8(spec_checkpoint),
					strlen(spec_checkpoint), &log_s, 1, b),
			 PNYX_OK);
	assert_int_equal(pnyx_cosig_sign(&w1, U8(spec_checkpoint),
					 strlen(spec_checkpoint), t, b),
			 PNYX_OK);
	assert_int_equal(pnyx_cosig_sign(&w2, U8(spec_checkpoint),
					 strlen(spec_checkpoint), t + 1, b),
			 PNYX_OK);
}

static void coexist_on_note(void **state)
{
	(void)state;
	pnyx_buf b;
	cosigned_note(SPEC_TIME, &b);
	pnyx_verifier lv, wv1, wv2, wv3, ed1;
	pnyx_signer_verifier(&log_s, &lv);
	pnyx_cosig_verifier(&w1, &wv1);
	pnyx_cosig_verifier(&w2, &wv2);
	pnyx_cosig_verifier(&log_s, &wv3);
	pnyx_signer_verifier(&w1, &ed1);
	pnyx_note note;
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, &lv, 1, &note,
					NULL),
			 PNYX_OK);
	assert_int_equal(note.nsigs, 3);
	assert_true(note.sigs[0].verified);
	assert_false(note.sigs[1].verified);
	assert_false(note.sigs[2].verified);
	uint64_t t = 0;
	assert_int_equal(pnyx_cosig_find(&note, &wv1, &t, NULL), PNYX_OK);
	assert_int_equal(t, SPEC_TIME);
	assert_int_equal(pnyx_cosig_find(&note, &wv2, &t, NULL), PNYX_OK);
	assert_int_equal(t, SPEC_TIME + 1);
	pnyx_diag d;
	assert_int_equal(pnyx_cosig_find(&note, &wv3, &t, &d),
			 PNYX_ERR_NOT_FOUND);
	assert_non_null(strstr(d.msg, "no cosignature"));
	assert_int_equal(pnyx_cosig_find(&note, &ed1, &t, NULL),
			 PNYX_ERR_MALFORMED);
	pnyx_note_clear(&note);
	pnyx_buf_clear(&b);
}

/* A cosignature line whose signature is wrong leaves the log's signature
 * valid (an unknown key to the note) but fails that witness. */
static void bad_cosig_on_note(void **state)
{
	(void)state;
	pnyx_buf b;
	cosigned_note(SPEC_TIME, &b);
	/* the last line is w2's; flip one base64 character of its signature */
	size_t at = b.len - 10;
	b.data[at] = b.data[at] == 'A' ? 'B' : 'A';
	pnyx_verifier lv, wv1, wv2;
	pnyx_signer_verifier(&log_s, &lv);
	pnyx_cosig_verifier(&w1, &wv1);
	pnyx_cosig_verifier(&w2, &wv2);
	pnyx_note note;
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, &lv, 1, &note,
					NULL),
			 PNYX_OK);
	assert_int_equal(pnyx_cosig_find(&note, &wv1, NULL, NULL), PNYX_OK);
	assert_int_equal(pnyx_cosig_find(&note, &wv2, NULL, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	pnyx_note_clear(&note);
	pnyx_buf_clear(&b);
}

/* Fails each allocation of a signing and a verification in turn. */
static void fault_loop(void **state)
{
	(void)state;
	pnyx_verifier w;
	pnyx_cosig_verifier(&w1, &w);
	pnyx_buf b;
	cosign(&w1, SPEC_TIME, &b);
	for (uint64_t i = 1; i < 8; i++) {
		pnyx_fault_arm(i);
		pnyx_err err = verify(&w, spec_checkpoint, b.data, b.len, NULL);
		pnyx_fault_disarm();
		assert_true(err == PNYX_OK || err == PNYX_ERR_NOMEM);
		pnyx_buf o;
		pnyx_buf_init(&o, MAX);
		pnyx_fault_arm(i);
		err = pnyx_cosig_sign(&w1, U8(spec_checkpoint),
				      strlen(spec_checkpoint), 1, &o);
		pnyx_fault_disarm();
		assert_true(err == PNYX_OK || err == PNYX_ERR_NOMEM);
		assert_true(err == PNYX_OK || o.len == 0);
		pnyx_buf_clear(&o);
	}
	pnyx_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_example),
		cmocka_unit_test(spec_message_format),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(key_text_form),
		cmocka_unit_test(tampered),
		cmocka_unit_test(malformed_lines),
		cmocka_unit_test(wrong_key_type),
		cmocka_unit_test(coexist_on_note),
		cmocka_unit_test(bad_cosig_on_note),
		cmocka_unit_test(fault_loop),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
