/*
 * Fuzz target for pnyx_note_open: arbitrary bytes opened as a signed note
 * against a fixed list of known keys and a fixed size cap. When a note
 * verifies, checks what the contract promises about it.
 *
 * The known keys are the example key of c2sp.org/signed-note and a test key
 * made for this corpus, whose private half (a test key, not a secret) is
 *   PRIVATE+KEY+fuzz.pnyx.example/key+5b0557f1+AUvwvJIKT706mdW32Ccrelp/mwbKLeJqRjwRsQC0tXni
 * so that new seeds can be signed with tests/note_tool.
 */
#include "pnyx/note.h"
#include "pnyx/text.h"

#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_LEN 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vkeys[] = {
	"example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
	"fuzz.pnyx.example/key+5b0557f1+AYAYZAwgxOZezqfsoQ/CJ0B9ioTeLdnOvDaYrI+XvTOb",
};
#define NKEYS (sizeof vkeys / sizeof *vkeys)

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/* The known key a verified signature belongs to. */
static const pnyx_verifier *find_key(const pnyx_verifier *known,
				     const pnyx_note_sig *sig)
{
	for (size_t k = 0; k < NKEYS; k++)
		if (known[k].hash == sig->hash &&
		    strcmp(known[k].name, sig->name) == 0)
			return &known[k];
	return NULL;
}

static void check_note(const uint8_t *data, size_t size,
		       const pnyx_verifier *known, const pnyx_note *note)
{
	CHECK(note->text == data);
	CHECK(note->text_len >= 1 && note->text_len + 2 < size);
	CHECK(data[note->text_len - 1] == '\n' && data[note->text_len] == '\n');
	CHECK(data[size - 1] == '\n');
	CHECK(note->nsigs >= 1 && note->nsigs <= PNYX_NOTE_MAX_SIGS);
	size_t verified = 0;
	for (size_t i = 0; i < note->nsigs; i++) {
		const pnyx_note_sig *s = &note->sigs[i];
		size_t n = strlen(s->name);
		CHECK(pnyx_key_name_is_valid((const uint8_t *)s->name, n));
		CHECK(s->sig_len <= sizeof s->sig);
		const pnyx_verifier *v = find_key(known, s);
		CHECK(s->verified == (v != NULL));
		if (v == NULL)
			continue;
		verified++;
		CHECK(s->sig_len == PNYX_SIG_LEN);
		CHECK(pnyx_verifier_check(v, note->text, note->text_len,
					  s->sig, s->sig_len));
	}
	CHECK(verified >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	pnyx_verifier known[NKEYS];
	for (size_t k = 0; k < NKEYS; k++)
		CHECK(pnyx_verifier_parse((const uint8_t *)vkeys[k],
					  strlen(vkeys[k]), &known[k],
					  NULL) == PNYX_OK);
	pnyx_note note;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_note_open(size ? data : NULL, size, FUZZ_MAX_LEN,
				      known, NKEYS, &note, &diag);
	if (err == PNYX_OK) {
		check_note(data, size, known, &note);
		pnyx_note_clear(&note);
		return 0;
	}
	CHECK(err == PNYX_ERR_MALFORMED || err == PNYX_ERR_TOO_LARGE ||
	      err == PNYX_ERR_BAD_SIGNATURE || err == PNYX_ERR_UNVERIFIED);
	CHECK(err != PNYX_ERR_TOO_LARGE || size > FUZZ_MAX_LEN);
	/* a reason is given, as text without control characters */
	size_t n = strlen(diag.msg);
	CHECK(n > 0 && pnyx_utf8_is_valid((const uint8_t *)diag.msg, n));
	for (size_t i = 0; i < n; i++)
		CHECK((uint8_t)diag.msg[i] >= 0x20);
	return 0;
}
