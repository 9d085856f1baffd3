/*
 * Tests for pnyx/note.h. Vectors: the example of c2sp.org/signed-note
 * v1.0.0 (vkey and note), its opening example (quasimodo), and the
 * PeterNeumann / EnochRoot notes of golang.org/x/mod/sumdb/note
 * (note_test.go TestSign and TestOpen).
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
#include "pnyx/note.h"

#define U8(s) ((const uint8_t *)(s))
#define MAX 65536
#define DASH "\xE2\x80\x94"

static const char spec_vkey[] =
	"example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char spec_note[] =
	"This is an example message.\n\n" DASH " example.com/foo "
	"Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3"
	"mFXmRKuwHjG1Yu72IneyaQM=\n";
static const char quasimodo_note[] =
	"Ognuno sta solo sul cuor della terra\n"
	"trafitto da un raggio di sole:\n\ned \xC3\xA8 subito sera.\n\n" DASH
	" quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnG"
	"ITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

static const char peter_skey[] =
	"PRIVATE+KEY+PeterNeumann+c74f20a3+"
	"AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char peter_vkey[] =
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char enoch_vkey[] =
	"EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char text[] =
	"If you think cryptography is the answer to your problem,\n"
	"then you don't know what your problem is.\n";
#define PETER_B64 \
	"x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqf" \
	"qdngotpRZb6KE6RyyBwJnAM="
#define ENOCH_B64 \
	"rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01" \
	"oOTGwnWLox33WWd1RvMc+QQ="
static const char peter_sig[] = DASH " PeterNeumann " PETER_B64 "\n";
static const char enoch_sig[] = DASH " EnochRoot " ENOCH_B64 "\n";

/* Verifier keys: [0] spec example, [1] Peter, [2] Enoch. */
static pnyx_verifier keys[3];

static int setup(void **state)
{
	(void)state;
	if (pnyx_init() != PNYX_OK)
		return -1;
	const char *v[] = {spec_vkey, peter_vkey, enoch_vkey};
	for (size_t i = 0; i < 3; i++)
		if (pnyx_verifier_parse(U8(v[i]), strlen(v[i]), &keys[i],
					NULL) != PNYX_OK)
			return -1;
	return 0;
}

/* A growing string built from pieces (test-only, plain malloc). */
static char *cat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);
	assert_non_null(s);
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

static char *cat3(const char *a, const char *b, const char *c)
{
	char *ab = cat(a, b);
	char *s = cat(ab, c);
	free(ab);
	return s;
}

/* Opens a NUL-terminated note with the keys [first, first + n). */
static pnyx_err open_s(const char *msg, size_t first, size_t n, pnyx_note *note,
		       pnyx_diag *diag)
{
	return pnyx_note_open(U8(msg), strlen(msg), MAX, keys + first, n, note,
			      diag);
}

/* Expects the note to be rejected with err, leaving the output untouched
 * and a diagnostic written. */
static void expect_err(const char *msg, size_t first, size_t n, pnyx_err err)
{
	pnyx_note note;
	memset(&note, 0x5A, sizeof note);
	pnyx_diag d = {{0}};
	assert_int_equal(open_s(msg, first, n, &note, &d), err);
	assert_true(d.msg[0] != 0);
	assert_true(note.nsigs == (size_t)0x5A5A5A5A5A5A5A5AULL);
}

static void spec_example(void **state)
{
	(void)state;
	pnyx_note note;
	assert_int_equal(open_s(spec_note, 0, 1, &note, NULL), PNYX_OK);
	assert_ptr_equal(note.text, spec_note);
	assert_int_equal(note.text_len, strlen("This is an example message.\n"));
	assert_int_equal(note.nsigs, 1);
	assert_string_equal(note.sigs[0].name, "example.com/foo");
	assert_int_equal(note.sigs[0].hash, 0x530d903a);
	assert_int_equal(note.sigs[0].sig_len, PNYX_SIG_LEN);
	assert_true(note.sigs[0].verified);
	pnyx_note_clear(&note);
	assert_null(note.sigs);
	pnyx_note_clear(&note);
	pnyx_note_clear(NULL);

	/* one byte of the text changed: the known key's signature fails */
	char *bad = cat(spec_note, "");
	bad[26] = 'f'; /* "messagf." */
	expect_err(bad, 0, 1, PNYX_ERR_BAD_SIGNATURE);
	free(bad);
	/* unknown key (none, or others) */
	expect_err(spec_note, 0, 0, PNYX_ERR_UNVERIFIED);
	expect_err(spec_note, 1, 2, PNYX_ERR_UNVERIFIED);
	/* the spec's other example: text with a blank line inside, by a key
	 * the spec does not publish: well formed, so unverified */
	expect_err(quasimodo_note, 0, 3, PNYX_ERR_UNVERIFIED);
}

/* The signature of the spec's opening example, kept unverified with its
 * text split at the last blank line, once a known key also signs. */
static void split_at_last_blank_line(void **state)
{
	(void)state;
	const char *body = "Ognuno sta solo sul cuor della terra\n"
			   "trafitto da un raggio di sole:\n\n"
			   "ed \xC3\xA8 subito sera.\n";
	pnyx_signer s;
	assert_int_equal(pnyx_signer_parse(U8(peter_skey), strlen(peter_skey),
					   &s, NULL),
			 PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_note_sign(U8(body), strlen(body), &s, 1, &b),
			 PNYX_OK);
	const char *q = strstr(quasimodo_note, DASH);
	char *msg = cat((char *)b.data, q);
	pnyx_note note;
	assert_int_equal(open_s(msg, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.text_len, strlen(body));
	assert_int_equal(note.nsigs, 2);
	assert_true(note.sigs[0].verified);
	assert_false(note.sigs[1].verified);
	assert_string_equal(note.sigs[1].name, "quasimodo.example/salvatore");
	assert_int_equal(note.sigs[1].sig_len, 64);
	pnyx_note_clear(&note);
	free(msg);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
}

/* Go's TestOpen: one verified and one not, both, neither. */
static void go_open(void **state)
{
	(void)state;
	char *msg = cat3(text, "\n", peter_sig);
	char *two = cat(msg, enoch_sig);
	pnyx_note note;
	assert_int_equal(open_s(two, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.text_len, strlen(text));
	assert_memory_equal(note.text, text, note.text_len);
	assert_int_equal(note.nsigs, 2);
	assert_string_equal(note.sigs[0].name, "PeterNeumann");
	assert_int_equal(note.sigs[0].hash, 0xc74f20a3);
	assert_true(note.sigs[0].verified);
	assert_string_equal(note.sigs[1].name, "EnochRoot");
	assert_int_equal(note.sigs[1].hash, 0xaf0cfe78);
	assert_false(note.sigs[1].verified);
	uint8_t raw[80];
	size_t rn;
	assert_int_equal(pnyx_base64_decode(U8(ENOCH_B64), strlen(ENOCH_B64),
					    raw, sizeof raw, &rn),
			 PNYX_OK);
	assert_int_equal(note.sigs[1].sig_len, rn - 4);
	assert_memory_equal(note.sigs[1].sig, raw + 4, rn - 4);
	pnyx_note_clear(&note);
	assert_int_equal(open_s(two, 1, 2, &note, NULL), PNYX_OK);
	assert_int_equal(note.nsigs, 2);
	assert_true(note.sigs[0].verified && note.sigs[1].verified);
	pnyx_note_clear(&note);
	expect_err(two, 0, 1, PNYX_ERR_UNVERIFIED);
	/* the same key listed twice is not ambiguous here; a different key
	 * with the same name and hash makes the signature fail */
	pnyx_verifier twice[2] = {keys[1], keys[1]};
	assert_int_equal(pnyx_note_open(U8(msg), strlen(msg), MAX, twice, 2,
					&note, NULL),
			 PNYX_OK);
	pnyx_note_clear(&note);
	twice[1].pk[0] ^= 1;
	assert_int_equal(pnyx_note_open(U8(msg), strlen(msg), MAX, twice, 2,
					&note, NULL),
			 PNYX_ERR_BAD_SIGNATURE);
	free(two);
	free(msg);
}

/* Go's TestOpen: duplicates are dropped (by key when known, by identical
 * line when unknown); a bad signature by a known key fails the note. */
static void duplicates(void **state)
{
	(void)state;
	char enoch_abcd[200], peter_abcd[200];
	snprintf(enoch_abcd, sizeof enoch_abcd, "%.60sABCD%s", enoch_sig,
		 enoch_sig + 60);
	snprintf(peter_abcd, sizeof peter_abcd, "%.60sABCD%s", peter_sig,
		 peter_sig + 60);
	char *a = cat3(text, "\n", peter_sig);
	char *b = cat3(a, peter_sig, enoch_sig);
	char *c = cat3(b, enoch_sig, enoch_abcd);
	pnyx_note note;
	assert_int_equal(open_s(c, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.nsigs, 3);
	assert_true(note.sigs[0].verified);
	assert_false(note.sigs[1].verified);
	assert_false(note.sigs[2].verified);
	assert_string_equal(note.sigs[2].name, "EnochRoot");
	assert_true(memcmp(note.sigs[1].sig, note.sigs[2].sig, 64) != 0);
	pnyx_note_clear(&note);
	free(b);
	free(c);
	/* as Go: a later signature by an already verified key is dropped
	 * unchecked; an invalid one first fails the note */
	b = cat(a, peter_abcd);
	assert_int_equal(open_s(b, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.nsigs, 1);
	pnyx_note_clear(&note);
	free(b);
	b = cat3(text, "\n", peter_abcd);
	c = cat(b, peter_sig);
	expect_err(c, 1, 1, PNYX_ERR_BAD_SIGNATURE);
	expect_err(b, 1, 1, PNYX_ERR_BAD_SIGNATURE);
	assert_int_equal(open_s(b, 0, 1, &note, NULL), PNYX_ERR_UNVERIFIED);
	free(a);
	free(b);
	free(c);
}

/* The spec: signatures sharing a name or a hash (but not both) with a
 * known key are unknown and ignored. */
static void name_or_hash_only(void **state)
{
	(void)state;
	char carmen[200], wrong_hash[200];
	snprintf(carmen, sizeof carmen, DASH " CarmenSandiego %s",
		 peter_sig + strlen(DASH " PeterNeumann "));
	snprintf(wrong_hash, sizeof wrong_hash, DASH " PeterNeumann xxxx%s",
		 peter_sig + strlen(DASH " PeterNeumann x08g"));
	char *a = cat3(text, "\n", carmen);
	char *b = cat3(a, wrong_hash, peter_sig);
	pnyx_note note;
	assert_int_equal(open_s(b, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.nsigs, 3);
	assert_false(note.sigs[0].verified);
	assert_int_equal(note.sigs[0].hash, 0xc74f20a3);
	assert_false(note.sigs[1].verified);
	assert_string_equal(note.sigs[1].name, "PeterNeumann");
	assert_true(note.sigs[2].verified);
	pnyx_note_clear(&note);
	expect_err(a, 1, 1, PNYX_ERR_UNVERIFIED);
	free(a);
	free(b);
}

static void too_many_signatures(void **state)
{
	(void)state;
	char *msg = cat(text, "\n");
	for (int i = 0; i < 100; i++) {
		char *m = cat(msg, i % 2 ? peter_sig : enoch_sig);
		free(msg);
		msg = m;
	}
	pnyx_note note;
	assert_int_equal(open_s(msg, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.nsigs, 2);
	pnyx_note_clear(&note);
	char *m = cat(msg, peter_sig);
	expect_err(m, 1, 1, PNYX_ERR_MALFORMED);
	expect_err(m, 0, 0, PNYX_ERR_MALFORMED);
	free(m);
	free(msg);
}

/* Every note-level rejection. */
static void malformed_notes(void **state)
{
	(void)state;
	/* texts that are not note text, each followed by a valid block */
	const char *texts[] = {
		"\x01\n", "a\tb\n", "a\rb\n", "a\r\n", "\x1F\n", "\x7F\x01\n",
		"\xFF\n", "\xC0\x80\n", "\xED\xA0\x80\n", "\xF4\x90\x80\x80\n",
		"\xE2\x80\n", "\x80\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char *m = cat3(texts[i], "\n", peter_sig);
		pnyx_diag d = {{0}};
		expect_err(m, 1, 1, PNYX_ERR_MALFORMED);
		pnyx_note note;
		assert_int_equal(open_s(m, 1, 1, &note, &d), PNYX_ERR_MALFORMED);
		assert_non_null(strstr(d.msg, i < 6 ? "control" : "UTF-8"));
		free(m);
	}
	/* a NUL byte is a control character too */
	char *m = cat3("nul.\n", "\n", peter_sig);
	m[3] = 0;
	pnyx_note note;
	assert_int_equal(pnyx_note_open(U8(m), 5 + 1 + strlen(peter_sig), MAX,
					keys + 1, 1, &note, NULL),
			 PNYX_ERR_MALFORMED);
	free(m);
	/* structure */
	char *no_nl = cat3(text, "\n", peter_sig);
	no_nl[strlen(no_nl) - 1] = 0; /* last line without '\n' */
	const char *notes[] = {
		"", "\n", "\n\n", "text\n", "text\n\n", text,
		no_nl,
		"a\n\n" DASH " PeterNeumann " PETER_B64 "\n\n", /* block ends
								   in blank */
		"a\n\n" DASH " PeterNeumann " PETER_B64 "\nUnexpected line.\n",
		"no final newline\n\n" DASH " PeterNeumann " PETER_B64,
	};
	for (size_t i = 0; i < sizeof notes / sizeof *notes; i++)
		expect_err(notes[i], 0, 1, PNYX_ERR_MALFORMED);
	free(no_nl);
	/* a second blank line moves the split: the signed text then differs */
	m = cat3(text, "\n\n", peter_sig);
	expect_err(m, 1, 1, PNYX_ERR_BAD_SIGNATURE);
	free(m);
}

static void expect_bad_line(const char *line)
{
	/* as line 2, after a valid signature */
	char *a = cat3(text, "\n", peter_sig);
	char *m = cat3(a, line, "\n");
	pnyx_diag d;
	pnyx_note note;
	assert_int_equal(open_s(m, 1, 1, &note, &d), PNYX_ERR_MALFORMED);
	assert_non_null(strstr(d.msg, "signature line 2"));
	assert_null(strstr(d.msg, "Peter")); /* never echoes the input */
	assert_null(strstr(d.msg, "x08go"));
	free(a);
	free(m);
}

/* Every signature-line rejection. */
static void malformed_sig_lines(void **state)
{
	(void)state;
	const char *lines[] = {
		"- PeterNeumann " PETER_B64,           /* hyphen, not em dash */
		DASH "PeterNeumann " PETER_B64,        /* no space after dash */
		DASH,
		"\xE2\x80\x93 PeterNeumann " PETER_B64, /* en dash */
		" " DASH " PeterNeumann " PETER_B64,
		DASH "  PeterNeumann " PETER_B64,      /* empty name */
		DASH " PeterNeumann",                  /* no signature */
		DASH " PeterNeumann ",                 /* empty signature */
		DASH " PeterNeumann  " PETER_B64,      /* two spaces */
		DASH " PeterNeumann " PETER_B64 " ",   /* trailing space */
		DASH " Peter Neumann " PETER_B64,      /* Go's "Bad Name" */
		DASH " Peter+Neumann " PETER_B64,      /* '+' in name */
		DASH " Peter\xC2\xA0Neumann " PETER_B64, /* U+00A0 in name */
		DASH " Peter\xE3\x80\x80Neumann " PETER_B64, /* U+3000 */
		DASH " Peter\xE2\x80\xA8Neumann " PETER_B64, /* U+2028 */
		/* bad base64: unpadded, URL alphabet, non-zero trailing bits
		 * (Go's non-strict decoder accepts the last: a deliberate
		 * Pnyx tightening, one encoding per signature) */
		DASH " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZ"
		     "InNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM",
		DASH " PeterNeumann x08go_ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZ"
		     "InNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
		DASH " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZ"
		     "InNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=",
		DASH " PeterNeumann ====",
		/* short: 3 bytes, 4 bytes (a hash and no signature) */
		DASH " PeterNeumann AAAA",
		DASH " PeterNeumann AAAAAA==",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		expect_bad_line(lines[i]);
	/* names of 256 bytes are too long, 255 fit */
	char longname[400];
	memset(longname, 'x', sizeof longname);
	snprintf(longname + 4 + PNYX_KEY_NAME_MAX + 1, 100, " %s", PETER_B64);
	memcpy(longname, DASH " ", 4);
	expect_bad_line(longname);
	memmove(longname + 4, longname + 5, strlen(longname + 5) + 1);
	char *a = cat3(text, "\n", peter_sig);
	char *m = cat3(a, longname, "\n");
	pnyx_note note;
	assert_int_equal(open_s(m, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(strlen(note.sigs[1].name), PNYX_KEY_NAME_MAX);
	pnyx_note_clear(&note);
	free(m);
	/* a name may be an em dash; 5 bytes (hash and one signature byte)
	 * parse: unknown keys, ignored */
	m = cat3(a, DASH " " DASH " " PETER_B64 "\n",
		 DASH " PeterNeumann AAAAAAA=\n");
	assert_int_equal(open_s(m, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.nsigs, 3);
	assert_string_equal(note.sigs[1].name, DASH);
	assert_int_equal(note.sigs[2].hash, 0);
	assert_int_equal(note.sigs[2].sig_len, 1);
	pnyx_note_clear(&note);
	free(m);
	free(a);
}

/* Builds "— <name> <base64(hash || sig_len bytes)>\n". */
static char *long_sig_line(const char *name, uint32_t hash, size_t sig_len)
{
	uint8_t raw[600];
	assert_true(sig_len + 4 <= sizeof raw);
	raw[0] = (uint8_t)(hash >> 24);
	raw[1] = (uint8_t)(hash >> 16);
	raw[2] = (uint8_t)(hash >> 8);
	raw[3] = (uint8_t)hash;
	for (size_t i = 0; i < sig_len; i++)
		raw[4 + i] = (uint8_t)(i * 7 + 1);
	char b64[900];
	pnyx_base64_encode(raw, sig_len + 4, b64, sizeof b64);
	char *line = malloc(1200);
	assert_non_null(line);
	snprintf(line, 1200, DASH " %s %s\n", name, b64);
	return line;
}

/* Signatures of any length parse; those longer than the struct holds are
 * kept with sig_len 0, and fail for a known key. */
static void long_signatures(void **state)
{
	(void)state;
	size_t lens[] = {1, 63, 65, 100, 124, 128, 129, 200, 500};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		char *line = long_sig_line("witness.example/w", 0x01020304,
					   lens[i]);
		char *m = cat3(text, "\n", line);
		char *m2 = cat(m, peter_sig);
		pnyx_note note;
		assert_int_equal(open_s(m2, 1, 1, &note, NULL), PNYX_OK);
		assert_int_equal(note.nsigs, 2);
		assert_false(note.sigs[0].verified);
		assert_int_equal(note.sigs[0].hash, 0x01020304);
		if (lens[i] <= sizeof note.sigs[0].sig) {
			assert_int_equal(note.sigs[0].sig_len, lens[i]);
			for (size_t k = 0; k < lens[i]; k++)
				assert_int_equal(note.sigs[0].sig[k],
						 (uint8_t)(k * 7 + 1));
		} else {
			assert_int_equal(note.sigs[0].sig_len, 0);
		}
		pnyx_note_clear(&note);
		free(line);
		free(m);
		free(m2);
		/* the same length by the known key: its signature fails */
		line = long_sig_line("PeterNeumann", 0xc74f20a3, lens[i]);
		m = cat3(text, "\n", line);
		expect_err(m, 1, 1, PNYX_ERR_BAD_SIGNATURE);
		free(line);
		free(m);
	}
	/* padding only at the very end of a long base64 string: 96
	 * characters ending in "==" (70 bytes), then 4 more */
	char b64[200];
	memset(b64, 'A', 100);
	b64[100] = 0;
	char *a = cat3(text, "\n", peter_sig);
	char *m = cat3(a, DASH " w ", b64);
	char *m2 = cat(m, "\n");
	pnyx_note note;
	assert_int_equal(open_s(m2, 1, 1, &note, NULL), PNYX_OK);
	assert_int_equal(note.sigs[1].sig_len, 71);
	pnyx_note_clear(&note);
	free(m);
	free(m2);
	b64[94] = b64[95] = '=';
	m = cat3(a, DASH " w ", b64);
	m2 = cat(m, "\n");
	expect_err(m2, 1, 1, PNYX_ERR_MALFORMED);
	free(m);
	free(m2);
	free(a);
}

static void size_cap(void **state)
{
	(void)state;
	size_t n = strlen(spec_note);
	pnyx_note note;
	assert_int_equal(pnyx_note_open(U8(spec_note), n, n, keys, 1, &note,
					NULL),
			 PNYX_OK);
	pnyx_note_clear(&note);
	pnyx_diag d;
	assert_int_equal(pnyx_note_open(U8(spec_note), n, n - 1, keys, 1, &note,
					&d),
			 PNYX_ERR_TOO_LARGE);
	assert_int_equal(pnyx_note_open(U8(""), 0, 0, keys, 1, &note, &d),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(pnyx_note_open(NULL, 0, 10, NULL, 0, &note, &d),
			 PNYX_ERR_MALFORMED);
}

/* DEL and C1 controls are not ASCII control characters: allowed. */
static void allowed_characters(void **state)
{
	(void)state;
	const char *body = "del \x7F, next line \xC2\x85, nbsp \xC2\xA0.\n\n"
			   "\xF0\x9F\x98\x80 after a blank line\n";
	pnyx_signer s;
	assert_int_equal(pnyx_signer_parse(U8(peter_skey), strlen(peter_skey),
					   &s, NULL),
			 PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_note_sign(U8(body), strlen(body), &s, 1, &b),
			 PNYX_OK);
	pnyx_note note;
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, keys + 1, 1, &note,
					NULL),
			 PNYX_OK);
	assert_int_equal(note.text_len, strlen(body));
	pnyx_note_clear(&note);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
}

static pnyx_signer peter_signer(void)
{
	pnyx_signer s;
	assert_int_equal(pnyx_signer_parse(U8(peter_skey), strlen(peter_skey),
					   &s, NULL),
			 PNYX_OK);
	return s;
}

/* Ed25519 is deterministic: our signed note equals Go's note.Sign output
 * for the same key and text (TestSign in note_test.go). */
static void sign_like_go(void **state)
{
	(void)state;
	pnyx_signer s = peter_signer();
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_note_sign(U8(text), strlen(text), &s, 1, &b),
			 PNYX_OK);
	char *want = cat3(text, "\n", peter_sig);
	assert_string_equal((char *)b.data, want);
	pnyx_note note;
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, keys + 1, 1, &note,
					NULL),
			 PNYX_OK);
	assert_int_equal(note.nsigs, 1);
	pnyx_note_clear(&note);
	/* appends after what the buffer holds */
	pnyx_buf_reset(&b);
	assert_int_equal(pnyx_buf_puts(&b, "head:"), PNYX_OK);
	assert_int_equal(pnyx_note_sign(U8(text), strlen(text), &s, 1, &b),
			 PNYX_OK);
	assert_string_equal((char *)b.data + 5, want);
	free(want);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
}

static void sign_several(void **state)
{
	(void)state;
	pnyx_signer s[3];
	s[0] = peter_signer();
	assert_int_equal(pnyx_signer_generate("pnyx.example/a", &s[1]), PNYX_OK);
	assert_int_equal(pnyx_signer_generate("pnyx.example/b", &s[2]), PNYX_OK);
	pnyx_verifier v[3];
	for (size_t i = 0; i < 3; i++)
		pnyx_signer_verifier(&s[i], &v[i]);
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_note_sign(U8("x\n"), 2, s, 3, &b), PNYX_OK);
	pnyx_note note;
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, v, 3, &note, NULL),
			 PNYX_OK);
	assert_int_equal(note.nsigs, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(note.sigs[i].verified);
		assert_string_equal(note.sigs[i].name, s[i].name);
		assert_int_equal(note.sigs[i].hash, s[i].hash);
	}
	pnyx_note_clear(&note);
	assert_int_equal(pnyx_note_open(b.data, b.len, MAX, v + 2, 1, &note,
					NULL),
			 PNYX_OK);
	assert_int_equal(note.nsigs, 3);
	assert_false(note.sigs[0].verified || note.sigs[1].verified);
	assert_true(note.sigs[2].verified);
	pnyx_note_clear(&note);
	/* tampering with any signature by a known key fails the note */
	for (size_t i = 0; i < 3; i++) {
		char *m = cat((char *)b.data, "");
		char *c = strstr(m, s[i].name) + strlen(s[i].name) + 10;
		*c = *c == 'A' ? 'B' : 'A'; /* a signature byte, not the hash */
		expect_err(m, 0, 0, PNYX_ERR_UNVERIFIED);
		pnyx_diag d;
		assert_int_equal(pnyx_note_open(U8(m), strlen(m), MAX, v, 3,
						&note, &d),
				 PNYX_ERR_BAD_SIGNATURE);
		free(m);
	}
	pnyx_buf_clear(&b);
	for (size_t i = 0; i < 3; i++)
		pnyx_signer_clear(&s[i]);
}

static void sign_rejects(void **state)
{
	(void)state;
	pnyx_signer s = peter_signer();
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	assert_int_equal(pnyx_buf_puts(&b, "kept"), PNYX_OK);
	const char *bad[] = {"", "abc", "a\tb\n", "\xFF\n", "a\r\n", "\x01\n",
			     "\xC0\x80\n", "two lines\nno end"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(pnyx_note_sign(U8(bad[i]), strlen(bad[i]), &s,
						1, &b),
				 PNYX_ERR_MALFORMED);
		assert_string_equal((char *)b.data, "kept");
	}
	assert_int_equal(pnyx_note_sign(U8("a\0\n"), 3, &s, 1, &b),
			 PNYX_ERR_MALFORMED);
	/* the buffer's cap: nothing half-written stays */
	pnyx_buf_clear(&b);
	pnyx_buf_init(&b, 100);
	assert_int_equal(pnyx_buf_puts(&b, "kept"), PNYX_OK);
	assert_int_equal(pnyx_note_sign(U8(text), strlen(text), &s, 1, &b),
			 PNYX_ERR_TOO_LARGE);
	assert_int_equal(b.len, 4);
	assert_string_equal((char *)b.data, "kept");
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
}

/* Fails each allocation of one opening (and one signing) in turn. */
static void fault_loop(void **state)
{
	(void)state;
	char *a = cat3(text, "\n", peter_sig);
	char *m = cat(a, enoch_sig);
	pnyx_note note;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(open_s(m, 1, 1, &note, NULL), PNYX_OK);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	pnyx_note_clear(&note);
	assert_true(points >= 1);
	for (uint64_t i = 1; i <= points; i++) {
		pnyx_diag d;
		memset(&note, 0x5A, sizeof note);
		pnyx_fault_arm(i);
		pnyx_err err = open_s(m, 1, 1, &note, &d);
		pnyx_fault_disarm();
		assert_int_equal(err, PNYX_ERR_NOMEM);
		assert_true(note.nsigs == (size_t)0x5A5A5A5A5A5A5A5AULL);
	}
	pnyx_fault_arm(points + 1);
	assert_int_equal(open_s(m, 1, 1, &note, NULL), PNYX_OK);
	pnyx_fault_disarm();
	pnyx_note_clear(&note);

	pnyx_signer s = peter_signer();
	pnyx_buf b;
	pnyx_buf_init(&b, MAX);
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_note_sign(U8(text), strlen(text), &s, 1, &b),
			 PNYX_OK);
	points = pnyx_fault_passed();
	pnyx_fault_disarm();
	pnyx_buf_clear(&b);
	assert_true(points >= 1);
	for (uint64_t i = 1; i <= points; i++) {
		pnyx_buf_init(&b, MAX);
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_note_sign(U8(text), strlen(text), &s, 1, &b);
		pnyx_fault_disarm();
		assert_int_equal(err, PNYX_ERR_NOMEM);
		pnyx_buf_clear(&b);
	}
	pnyx_signer_clear(&s);
	free(a);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_example),
		cmocka_unit_test(split_at_last_blank_line),
		cmocka_unit_test(go_open),
		cmocka_unit_test(duplicates),
		cmocka_unit_test(name_or_hash_only),
		cmocka_unit_test(too_many_signatures),
		cmocka_unit_test(malformed_notes),
		cmocka_unit_test(malformed_sig_lines),
		cmocka_unit_test(long_signatures),
		cmocka_unit_test(size_cap),
		cmocka_unit_test(allowed_characters),
		cmocka_unit_test(sign_like_go),
		cmocka_unit_test(sign_several),
		cmocka_unit_test(sign_rejects),
		cmocka_unit_test(fault_loop),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
