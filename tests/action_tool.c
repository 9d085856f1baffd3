/*
 * action_tool: signed action notes for tests/sequencer.sh.
 *
 *   action_tool sign KEYFILE     standard input: one JSON object, the
 *                                action's body; prints the signed action
 *                                note (pnyx_action_encode, pnyx_note_sign)
 *   action_tool forge KEYFILE    the same, with one signature character
 *                                changed (a signature that does not verify)
 *   action_tool text KEYFILE     standard input: note text, signed as is
 *
 * Exits 1 with a message on any failure.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pnyx/action.h"
#include "pnyx/buf.h"
#include "pnyx/key.h"
#include "pnyx/note.h"

#include <sodium.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "action_tool: %s\n", what);
	exit(1);
}

static void read_all(FILE *f, pnyx_buf *b)
{
	uint8_t chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (pnyx_buf_append(b, chunk, n) != PNYX_OK)
			die("input too large");
}

static void load_key(const char *path, pnyx_signer *out)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		die("cannot open the key file");
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	read_all(f, &b);
	fclose(f);
	if (pnyx_signer_parse(b.data, b.len, out, NULL) != PNYX_OK)
		die("not a private key");
	pnyx_buf_clear(&b);
}

/* Changes one base64 character in the middle of the last signature. */
static void forge(pnyx_buf *note)
{
	if (note->len < 40)
		die("note too short to forge");
	uint8_t *c = &note->data[note->len - 30];
	*c = *c == 'A' ? 'B' : 'A';
}

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage: action_tool sign|forge|text KEYFILE");
	pnyx_signer key;
	load_key(argv[2], &key);
	pnyx_buf in, text, note;
	pnyx_buf_init(&in, 1u << 20);
	pnyx_buf_init(&text, 1u << 20);
	pnyx_buf_init(&note, 1u << 20);
	read_all(stdin, &in);
	if (strcmp(argv[1], "text") == 0) {
		if (pnyx_buf_append(&text, in.data, in.len) != PNYX_OK)
			die("out of memory");
	} else {
		json_error_t jerr;
		json_t *body = json_loadb((const char *)in.data, in.len, 0, &jerr);
		if (body == NULL)
			die("the body is not JSON");
		if (pnyx_action_encode(body, &text) != PNYX_OK)
			die("cannot encode the action");
		json_decref(body);
	}
	if (pnyx_note_sign(text.data, text.len, &key, 1, &note) != PNYX_OK)
		die("cannot sign the note text");
	if (strcmp(argv[1], "forge") == 0)
		forge(&note);
	if (fwrite(note.data, 1, note.len, stdout) != note.len || fflush(stdout) != 0)
		die("cannot write");
	pnyx_signer_clear(&key);
	pnyx_buf_clear(&in);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
	return 0;
}
