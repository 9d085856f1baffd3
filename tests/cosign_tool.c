/*
 * cosign_tool: writes a cosigned checkpoint for the Go interop test of
 * tlog-cosignature (tests/interop_cosig.sh).
 *
 *   cosign_tool DIR
 *
 * Generates a log key and two witness keys, signs a fixed checkpoint as a
 * note with the log key, appends the two witnesses' cosignature lines at
 * the fixed times COSIG_TIME_1 and COSIG_TIME_2, and writes DIR/note,
 * DIR/log.vkey, DIR/w1.vkey and DIR/w2.vkey (witness keys in 0x04 form).
 * DIR/note-forged is the log's note of the checkpoint with one byte changed
 * (tree size 8), carrying the cosignatures of the original (size 7).
 */
#include "pnyx/cosignature.h"

#include <stdio.h>
#include <string.h>

#define COSIG_TIME_1 1700000000u
#define COSIG_TIME_2 1700000123u
#define PATH_MAX_LEN 4096

static const char checkpoint[] =
	"log.pnyx.example/oewg\n"
	"7\n"
	"rMxnSk1/2Q3jKR0c8bVOXqJ4m5Fj2Gq7S3pZbT0yYl4=\n";
/* The same checkpoint with one byte changed (tree size 8). */
static const char checkpoint_8[] =
	"log.pnyx.example/oewg\n"
	"8\n"
	"rMxnSk1/2Q3jKR0c8bVOXqJ4m5Fj2Gq7S3pZbT0yYl4=\n";

static int fail(const char *what, pnyx_err err)
{
	fprintf(stderr, "cosign_tool: %s: %s\n", what, pnyx_err_name(err));
	return 1;
}

static int write_file(const char *dir, const char *name, const uint8_t *p,
		      size_t n)
{
	char path[PATH_MAX_LEN];
	int len = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= sizeof path)
		return fail(name, PNYX_ERR_TOO_LARGE);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return fail(name, PNYX_ERR_IO);
	size_t put = fwrite(p, 1, n, f);
	if (fclose(f) != 0 || put != n)
		return fail(name, PNYX_ERR_IO);
	return 0;
}

/* Writes v's text form, with a final '\n', to DIR/name. */
static int write_vkey(const char *dir, const char *name,
		      const pnyx_verifier *v)
{
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	pnyx_err err = pnyx_verifier_encode(v, &b);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&b, "\n");
	int rc = err == PNYX_OK ? write_file(dir, name, b.data, b.len)
				: fail(name, err);
	pnyx_buf_clear(&b);
	return rc;
}

/* Writes DIR/name: the log's (s[0]) note of text, with s[1] and s[2]'s
 * cosignatures over cosigned (which differs from text to forge a note). */
static int write_note(const char *dir, const char *name, const char *text,
		      const char *cosigned, const pnyx_signer s[3])
{
	const uint8_t *t = (const uint8_t *)text;
	const uint8_t *c = (const uint8_t *)cosigned;
	size_t cn = strlen(cosigned);
	pnyx_buf b;
	pnyx_buf_init(&b, 1u << 16);
	pnyx_err err = pnyx_note_sign(t, strlen(text), &s[0], 1, &b);
	if (err == PNYX_OK)
		err = pnyx_cosig_sign(&s[1], c, cn, COSIG_TIME_1, &b);
	if (err == PNYX_OK)
		err = pnyx_cosig_sign(&s[2], c, cn, COSIG_TIME_2, &b);
	int rc = err == PNYX_OK ? write_file(dir, name, b.data, b.len)
				: fail("sign", err);
	pnyx_buf_clear(&b);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: cosign_tool DIR\n");
		return 2;
	}
	if (pnyx_init() != PNYX_OK)
		return fail("init", PNYX_ERR_NOMEM);
	static const char *const names[3] = {
		"log.pnyx.example/oewg", "witness-one.example",
		"witness-two.example/w"};
	pnyx_signer s[3];
	int made = 0, rc = 0;
	while (rc == 0 && made < 3) {
		pnyx_err err = pnyx_signer_generate(names[made], &s[made]);
		if (err != PNYX_OK)
			rc = fail("keygen", err);
		else
			made++;
	}
	pnyx_verifier v;
	if (rc == 0) {
		pnyx_signer_verifier(&s[0], &v);
		rc = write_vkey(argv[1], "log.vkey", &v);
	}
	if (rc == 0) {
		pnyx_cosig_verifier(&s[1], &v);
		rc = write_vkey(argv[1], "w1.vkey", &v);
	}
	if (rc == 0) {
		pnyx_cosig_verifier(&s[2], &v);
		rc = write_vkey(argv[1], "w2.vkey", &v);
	}
	if (rc == 0)
		rc = write_note(argv[1], "note", checkpoint, checkpoint, s);
	if (rc == 0)
		rc = write_note(argv[1], "note-forged", checkpoint_8, checkpoint,
				s);
	for (int i = 0; i < made; i++)
		pnyx_signer_clear(&s[i]);
	return rc;
}
