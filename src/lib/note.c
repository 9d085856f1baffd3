/*
 * C2SP signed-note v1.0.0 notes: see pnyx/note.h.
 *
 * pnyx_note_open follows Go's golang.org/x/mod/sumdb/note Open step by step
 * (character check, split at the last blank line, one signature line at a
 * time, the 101st signature rejected, duplicates by a known key dropped
 * before they are verified, identical unknown lines dropped), so that both
 * accept and reject the same notes and report the first problem in the same
 * order. Differences, all rejections Go does not make: a Pnyx size cap
 * (max_len), key names longer than PNYX_KEY_NAME_MAX bytes, and base64 whose
 * unused trailing bits are not zero (Go's decoder is not strict; Pnyx keeps
 * one encoding per signature, so a signed note's bytes cannot be varied
 * without invalidating it). When several
 * known keys share a name and hash (Go refuses such a list), the signature
 * must verify under every one of them.
 */
#include "pnyx/note.h"

#include "pnyx/base64.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

#define SIG_PREFIX "\xE2\x80\x94 " /* em dash U+2014, space */
#define SIG_PREFIX_LEN 4
#define B64_CHUNK 96   /* base64 characters decoded at a time */
#define RAW_CHUNK 72   /* bytes they hold */

/* Offset of the last "\n\n" in the n bytes at p, or n if there is none. */
static size_t last_blank_line(const uint8_t *p, size_t n)
{
	for (size_t i = n; i >= 2; i--)
		if (p[i - 2] == '\n' && p[i - 1] == '\n')
			return i - 2;
	return n;
}

/* Number of '\n' in the n bytes at p. */
static size_t count_lines(const uint8_t *p, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/* Decodes base64(key hash || signature), of any length, without a buffer
 * for all of it: 96 characters (72 bytes) at a time, padding allowed only at
 * the very end. Keeps the hash, the first cap signature bytes and the whole
 * signature length. */
static bool decode_sig(const uint8_t *s, size_t n, uint32_t *hash,
		       uint8_t *sig, size_t cap, size_t *sig_len)
{
	if (n == 0 || n % 4 != 0)
		return false;
	uint8_t head[4];
	uint8_t raw[RAW_CHUNK];
	size_t total = 0;
	for (size_t off = 0; off < n; off += B64_CHUNK) {
		size_t len = n - off < B64_CHUNK ? n - off : B64_CHUNK;
		size_t got = 0;
		if (pnyx_base64_decode(s + off, len, raw, sizeof raw, &got) !=
			    PNYX_OK ||
		    (off + len < n && got != RAW_CHUNK))
			return false;
		for (size_t i = 0; i < got; i++, total++) {
			if (total < 4)
				head[total] = raw[i];
			else if (total - 4 < cap)
				sig[total - 4] = raw[i];
		}
	}
	if (total < 5)
		return false;
	*hash = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 |
		(uint32_t)head[2] << 8 | (uint32_t)head[3];
	*sig_len = total - 4;
	return true;
}

/* Parses one signature line "— <name> <base64>" into *sig. *full_len gets
 * the signature's length even when it exceeds sig->sig, which then keeps
 * sig_len 0 (see pnyx/note.h). */
static pnyx_err parse_sig_line(const uint8_t *line, size_t n, size_t lineno,
			       pnyx_note_sig *sig, size_t *full_len,
			       pnyx_diag *diag)
{
	if (n < SIG_PREFIX_LEN || memcmp(line, SIG_PREFIX, SIG_PREFIX_LEN) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "signature line %zu does not start with "
				     "an em dash and a space",
				     lineno);
	line += SIG_PREFIX_LEN;
	n -= SIG_PREFIX_LEN;
	const uint8_t *space = n ? memchr(line, ' ', n) : NULL;
	size_t name_len = space ? (size_t)(space - line) : n;
	size_t b64_len = space ? n - name_len - 1 : 0;
	if (!pnyx_key_name_is_valid(line, name_len))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "signature line %zu has no valid key "
				     "name",
				     lineno);
	memset(sig, 0, sizeof *sig);
	const uint8_t *b64 = space ? space + 1 : line + n;
	if (!decode_sig(b64, b64_len, &sig->hash, sig->sig, sizeof sig->sig,
			full_len))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "signature line %zu is not of the form "
				     "'— <name> <base64 of a key hash and a "
				     "signature>'",
				     lineno);
	memcpy(sig->name, line, name_len);
	sig->name[name_len] = 0;
	sig->sig_len = *full_len <= sizeof sig->sig ? *full_len : 0;
	return PNYX_OK;
}

/* What one opening needs while it walks the signature lines. */
typedef struct opener {
	const uint8_t *text;
	size_t text_len;
	const uint8_t *block; /* the signature block */
	const pnyx_verifier *known;
	size_t nknown;
	pnyx_note_sig *sigs;
	size_t nsigs;
	size_t nverified;
} opener;

/* True if an earlier line of the block equals the line at (line, n). */
static bool is_repeated_line(const opener *o, const uint8_t *line, size_t n)
{
	pnyx_cursor c;
	pnyx_cursor_init(&c, o->block, (size_t)(line - o->block));
	const uint8_t *prev;
	size_t prev_n;
	while (pnyx_cursor_line(&c, &prev, &prev_n))
		if (prev_n == n && memcmp(prev, line, n) == 0)
			return true;
	return false;
}

/* True if a signature by this name and hash was already verified. */
static bool is_verified_before(const opener *o, const pnyx_note_sig *sig)
{
	for (size_t i = 0; i < o->nsigs; i++)
		if (o->sigs[i].verified && o->sigs[i].hash == sig->hash &&
		    strcmp(o->sigs[i].name, sig->name) == 0)
			return true;
	return false;
}

/* Files one parsed signature: dropped, kept unverified, or verified
 * against every known key with its name and hash. */
static pnyx_err file_sig(opener *o, const pnyx_note_sig *sig,
			 const uint8_t *line, size_t n, size_t lineno,
			 pnyx_diag *diag)
{
	bool known = false;
	for (size_t k = 0; k < o->nknown; k++) {
		const pnyx_verifier *v = &o->known[k];
		if (v->hash != sig->hash || strcmp(v->name, sig->name) != 0)
			continue;
		if (!known && is_verified_before(o, sig))
			return PNYX_OK; /* a repeated signature by this key */
		known = true;
		if (!pnyx_verifier_check(v, o->text, o->text_len, sig->sig,
					 sig->sig_len))
			return pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE,
					     "the signature on signature line "
					     "%zu, by a known key, does not "
					     "verify",
					     lineno);
	}
	if (!known && is_repeated_line(o, line, n))
		return PNYX_OK;
	o->sigs[o->nsigs] = *sig;
	o->sigs[o->nsigs].verified = known;
	o->nsigs++;
	o->nverified += known;
	return PNYX_OK;
}

/* Parses and files every line of the signature block (block_len bytes,
 * ending in '\n'). */
static pnyx_err open_sigs(opener *o, size_t block_len, pnyx_diag *diag)
{
	pnyx_cursor c;
	pnyx_cursor_init(&c, o->block, block_len);
	const uint8_t *line;
	size_t n, lineno = 0;
	pnyx_note_sig sig;
	pnyx_err err = PNYX_OK;
	while (err == PNYX_OK && pnyx_cursor_line(&c, &line, &n)) {
		size_t full_len = 0;
		lineno++;
		err = parse_sig_line(line, n, lineno, &sig, &full_len, diag);
		if (err == PNYX_OK && lineno > PNYX_NOTE_MAX_SIGS)
			err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					    "the note has more than %d "
					    "signatures",
					    PNYX_NOTE_MAX_SIGS);
		if (err == PNYX_OK)
			err = file_sig(o, &sig, line, n, lineno, diag);
	}
	if (err == PNYX_OK && o->nverified == 0)
		err = pnyx_diag_set(diag, PNYX_ERR_UNVERIFIED,
				    "no known key signed the note");
	return err;
}

/* Splits a checked note into text and signature block. */
static pnyx_err split_note(const uint8_t *msg, size_t n, opener *o,
			   size_t *block_len, pnyx_diag *diag)
{
	size_t split = last_blank_line(msg, n);
	if (split == n)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the note has no blank line before a "
				     "signature block");
	o->text = msg;
	o->text_len = split + 1;
	o->block = msg + split + 2;
	*block_len = n - split - 2;
	if (*block_len == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the note's signature block is empty");
	if (o->block[*block_len - 1] != '\n')
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the note's last line does not end in a "
				     "newline");
	return PNYX_OK;
}

pnyx_err pnyx_note_open(const uint8_t *msg, size_t n, size_t max_len,
			const pnyx_verifier *known, size_t nknown,
			pnyx_note *out, pnyx_diag *diag)
{
	assert((msg != NULL || n == 0) && out != NULL);
	assert(known != NULL || nknown == 0);
	if (n > max_len)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the note is %zu bytes long, more than "
				     "the %zu allowed",
				     n, max_len);
	pnyx_err err = pnyx_text_check_note_chars(msg, n, "the note", diag);
	if (err != PNYX_OK)
		return err;
	opener o = {.known = known, .nknown = nknown};
	size_t block_len = 0;
	err = split_note(msg, n, &o, &block_len, diag);
	if (err != PNYX_OK)
		return err;
	size_t lines = count_lines(o.block, block_len);
	if (lines > PNYX_NOTE_MAX_SIGS)
		lines = PNYX_NOTE_MAX_SIGS;
	o.sigs = pnyx_calloc(lines, sizeof *o.sigs);
	if (o.sigs == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM,
				     "out of memory for %zu signatures", lines);
	err = open_sigs(&o, block_len, diag);
	if (err != PNYX_OK) {
		pnyx_free(o.sigs);
		return err;
	}
	*out = (pnyx_note){.text = o.text, .text_len = o.text_len,
			   .sigs = o.sigs, .nsigs = o.nsigs};
	return PNYX_OK;
}

pnyx_err pnyx_note_text_len(const uint8_t *msg, size_t n, size_t *text_len)
{
	size_t split = last_blank_line(msg, n);
	if (split >= n)
		return PNYX_ERR_MALFORMED;
	*text_len = split + 1;
	return PNYX_OK;
}

void pnyx_note_clear(pnyx_note *note)
{
	if (note == NULL)
		return;
	pnyx_free(note->sigs);
	*note = (pnyx_note){0};
}

/* Appends "— <name> <base64(hash || signature of text)>\n". */
static void append_sig_line(const pnyx_signer *s, const uint8_t *text,
			    size_t n, pnyx_buf *out)
{
	uint8_t raw[4 + PNYX_SIG_LEN];
	char b64[128];
	raw[0] = (uint8_t)(s->hash >> 24);
	raw[1] = (uint8_t)(s->hash >> 16);
	raw[2] = (uint8_t)(s->hash >> 8);
	raw[3] = (uint8_t)s->hash;
	pnyx_signer_sign(s, text, n, raw + 4);
	(void)pnyx_base64_encode(raw, sizeof raw, b64, sizeof b64);
	(void)pnyx_buf_puts(out, SIG_PREFIX);
	(void)pnyx_buf_puts(out, s->name);
	(void)pnyx_buf_puts(out, " ");
	(void)pnyx_buf_puts(out, b64);
	(void)pnyx_buf_puts(out, "\n");
}

pnyx_err pnyx_note_sign(const uint8_t *text, size_t n,
			const pnyx_signer *signers, size_t nsigners,
			pnyx_buf *out)
{
	assert((text != NULL || n == 0) && out != NULL);
	assert(signers != NULL && nsigners >= 1);
	if (n == 0 || text[n - 1] != '\n')
		return PNYX_ERR_MALFORMED;
	if (pnyx_text_check_note_chars(text, n, "the text", NULL) != PNYX_OK)
		return PNYX_ERR_MALFORMED;
	size_t start = out->len;
	(void)pnyx_buf_append(out, text, n);
	(void)pnyx_buf_puts(out, "\n");
	for (size_t i = 0; i < nsigners; i++) {
		assert(pnyx_key_name_is_valid((const uint8_t *)signers[i].name,
					      strlen(signers[i].name)));
		append_sig_line(&signers[i], text, n, out);
	}
	if (out->err != PNYX_OK && out->data != NULL) {
		out->len = start; /* keep what was there; the error sticks */
		out->data[start] = 0;
	}
	return out->err;
}
