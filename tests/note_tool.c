/*
 * note_tool: a small driver of pnyx/key.h and pnyx/note.h for the Go
 * interop test (tests/interop_note.sh), standing in for the CLI.
 *
 *   note_tool keygen NAME          prints the private key line, then the
 *                                  verifier key line
 *   note_tool sign KEYFILE...      signs the text on stdin, prints the note
 *   note_tool verify VKEY...       opens the note on stdin; prints the text
 *                                  and exits 0 if it verifies, else 1
 *
 * Errors go to stderr as "note_tool: <error name>: <reason>".
 */
#include "pnyx/note.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define INPUT_MAX (1u << 20)
#define MAX_KEYS 16

static int fail(const char *what, pnyx_err err, const pnyx_diag *d)
{
	fprintf(stderr, "note_tool: %s: %s: %s\n", what, pnyx_err_name(err),
		d != NULL ? d->msg : pnyx_err_text(err));
	return 1;
}

/* Reads a whole stream into b (at most INPUT_MAX bytes). */
static pnyx_err read_all(FILE *f, pnyx_buf *b)
{
	uint8_t chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (pnyx_buf_append(b, chunk, got) != PNYX_OK)
			return b->err;
	return ferror(f) ? PNYX_ERR_IO : PNYX_OK;
}

static int keygen(const char *name)
{
	pnyx_signer s;
	pnyx_verifier v;
	pnyx_err err = pnyx_signer_generate(name, &s);
	if (err != PNYX_OK)
		return fail("keygen", err, NULL);
	pnyx_signer_verifier(&s, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	err = pnyx_signer_encode(&s, &b);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&b, "\n");
	if (err == PNYX_OK)
		err = pnyx_verifier_encode(&v, &b);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&b, "\n");
	pnyx_signer_clear(&s);
	if (err == PNYX_OK)
		fwrite(b.data, 1, b.len, stdout);
	if (b.data != NULL)
		sodium_memzero(b.data, b.len); /* the private key */
	pnyx_buf_clear(&b);
	return err == PNYX_OK ? 0 : fail("keygen", err, NULL);
}

static pnyx_err load_signer(const char *path, pnyx_signer *s, pnyx_diag *d)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return pnyx_diag_set(d, PNYX_ERR_IO, "cannot open the key file");
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	pnyx_err err = read_all(f, &b);
	fclose(f);
	if (err == PNYX_OK)
		err = pnyx_signer_parse(b.data, b.len, s, d);
	else
		(void)pnyx_diag_set(d, err, "cannot read the key file");
	if (b.data != NULL)
		sodium_memzero(b.data, b.len);
	pnyx_buf_clear(&b);
	return err;
}

static int sign(int n, char **paths)
{
	pnyx_signer s[MAX_KEYS];
	pnyx_diag d = {{0}};
	int loaded = 0, rc = 1;
	pnyx_err err = PNYX_OK;
	while (err == PNYX_OK && loaded < n) {
		err = load_signer(paths[loaded], &s[loaded], &d);
		loaded += err == PNYX_OK;
	}
	pnyx_buf in, out;
	pnyx_buf_init(&in, INPUT_MAX);
	pnyx_buf_init(&out, 2 * INPUT_MAX);
	if (err != PNYX_OK) {
		fail("sign: key", err, &d);
	} else if ((err = read_all(stdin, &in)) != PNYX_OK) {
		fail("sign: input", err, NULL);
	} else if ((err = pnyx_note_sign(in.data, in.len, s, (size_t)n,
					 &out)) != PNYX_OK) {
		fail("sign", err, NULL);
	} else {
		fwrite(out.data, 1, out.len, stdout);
		rc = 0;
	}
	for (int i = 0; i < loaded; i++)
		pnyx_signer_clear(&s[i]);
	pnyx_buf_clear(&in);
	pnyx_buf_clear(&out);
	return rc;
}

static int verify(int n, char **vkeys)
{
	pnyx_verifier v[MAX_KEYS];
	pnyx_diag d = {{0}};
	for (int i = 0; i < n; i++) {
		pnyx_err err = pnyx_verifier_parse((const uint8_t *)vkeys[i],
						   strlen(vkeys[i]), &v[i], &d);
		if (err != PNYX_OK)
			return fail("verify: key", err, &d);
	}
	pnyx_buf in;
	pnyx_buf_init(&in, INPUT_MAX + 1);
	pnyx_err err = read_all(stdin, &in);
	pnyx_note note = {0};
	if (err == PNYX_OK)
		err = pnyx_note_open(in.data, in.len, INPUT_MAX, v, (size_t)n,
				     &note, &d);
	else
		(void)pnyx_diag_set(&d, err, "cannot read the note");
	if (err == PNYX_OK)
		fwrite(note.text, 1, note.text_len, stdout);
	pnyx_note_clear(&note);
	pnyx_buf_clear(&in);
	return err == PNYX_OK ? 0 : fail("verify", err, &d);
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		return fail("init", PNYX_ERR_NOMEM, NULL);
	if (argc == 3 && strcmp(argv[1], "keygen") == 0)
		return keygen(argv[2]);
	if (argc >= 3 && argc - 2 <= MAX_KEYS && strcmp(argv[1], "sign") == 0)
		return sign(argc - 2, argv + 2);
	if (argc >= 3 && argc - 2 <= MAX_KEYS && strcmp(argv[1], "verify") == 0)
		return verify(argc - 2, argv + 2);
	fputs("usage: note_tool keygen NAME | sign KEYFILE... < text |"
	      " verify VKEY... < note\n",
	      stderr);
	return 2;
}
