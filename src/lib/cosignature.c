/*
 * C2SP tlog-cosignature, Ed25519 type (cosignature/v1): see
 * pnyx/cosignature.h. The signature is plain Ed25519 under the witness's
 * key, so verification reuses pnyx_verifier_check with the key's type
 * byte switched to 0x01 for that call only. Witness keys are read here,
 * not by pnyx_verifier_parse, which accepts only type 0x01; their text form
 * is checked by re-encoding it with pnyx_verifier_encode.
 */
#include "pnyx/cosignature.h"

#include "pnyx/base64.h"
#include "pnyx/text.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#define SIG_PREFIX "\xE2\x80\x94 " /* em dash U+2014, space */
#define SIG_PREFIX_LEN 4
#define MSG_HEADER_MAX 48          /* "cosignature/v1\ntime <20 digits>\n" */
#define RAW_MAX (4 + PNYX_SIG_LEN + 64)

void pnyx_cosig_verifier(const pnyx_signer *s, pnyx_verifier *out)
{
	assert(s != NULL && out != NULL);
	memset(out, 0, sizeof *out);
	memcpy(out->name, s->name, sizeof out->name);
	out->alg = PNYX_KEY_ALG_COSIG_V1;
	memcpy(out->pk, s->pk, sizeof out->pk);
	out->hash = pnyx_key_hash(out->name, out->alg, out->pk);
}

/* Reads "<name>+<8 characters>+<base64(alg || key)>" into v (the hash is
 * then computed, not read: the caller compares the re-encoding). */
static bool split_vkey(const uint8_t *text, size_t n, pnyx_verifier *v)
{
	const uint8_t *plus = n ? memchr(text, '+', n) : NULL;
	if (plus == NULL)
		return false;
	size_t name_len = (size_t)(plus - text);
	size_t rest = n - name_len - 1;
	if (!pnyx_key_name_is_valid(text, name_len) || rest < 10 ||
	    plus[9] != '+')
		return false;
	uint8_t data[36];
	size_t got = 0;
	if (pnyx_base64_decode(plus + 10, rest - 9, data, sizeof data, &got) !=
		    PNYX_OK ||
	    got != 33)
		return false;
	memcpy(v->name, text, name_len);
	v->name[name_len] = 0;
	v->alg = data[0];
	memcpy(v->pk, data + 1, sizeof v->pk);
	v->hash = pnyx_key_hash(v->name, v->alg, v->pk);
	return true;
}

/* True if v's text form is exactly the n bytes at text. */
static pnyx_err same_text(const pnyx_verifier *v, const uint8_t *text,
			  size_t n, bool *same)
{
	pnyx_buf b;
	pnyx_buf_init(&b, n + 1);
	pnyx_err err = pnyx_verifier_encode(v, &b);
	*same = err == PNYX_OK && b.len == n && memcmp(b.data, text, n) == 0;
	pnyx_buf_clear(&b);
	return err == PNYX_ERR_NOMEM ? err : PNYX_OK;
}

pnyx_err pnyx_cosig_verifier_parse(const uint8_t *text, size_t n,
				   pnyx_verifier *out, pnyx_diag *diag)
{
	assert((text != NULL || n == 0) && out != NULL);
	if (n > 0 && text[n - 1] == '\n')
		n--;
	pnyx_verifier v;
	memset(&v, 0, sizeof v);
	if (!split_vkey(text, n, &v))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the witness key is not of the form "
				     "<name>+<8 hex digits>+<base64 of 33 "
				     "bytes>");
	if (v.alg != PNYX_KEY_ALG_COSIG_V1)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the key is of type 0x%02x, not a "
				     "witness cosignature key (0x04)",
				     v.alg);
	bool same = false;
	if (same_text(&v, text, n, &same) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM,
				     "out of memory for a witness key");
	if (!same)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the witness key's hash is not the 8 "
				     "lowercase hex digits of the hash of its "
				     "name and public key");
	*out = v;
	return PNYX_OK;
}

/* Builds the signed message for text (n bytes) at time into msg. */
static pnyx_err build_message(const uint8_t *text, size_t n, uint64_t time,
			      pnyx_buf *msg)
{
	pnyx_buf_init(msg, n + MSG_HEADER_MAX);
	(void)pnyx_buf_printf(msg, "cosignature/v1\ntime %" PRIu64 "\n", time);
	return pnyx_buf_append(msg, text, n);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

pnyx_err pnyx_cosig_sign(const pnyx_signer *s, const uint8_t *text, size_t n,
			 uint64_t time, pnyx_buf *out)
{
	assert(s != NULL && (text != NULL || n == 0) && out != NULL);
	if (n == 0 || text[n - 1] != '\n' || time > PNYX_COSIG_TIME_MAX ||
	    pnyx_text_check_note_chars(text, n, "the checkpoint", NULL) !=
		    PNYX_OK)
		return PNYX_ERR_MALFORMED;
	pnyx_buf msg;
	pnyx_err err = build_message(text, n, time, &msg);
	uint8_t raw[4 + PNYX_COSIG_LEN];
	char b64[128];
	if (err == PNYX_OK) {
		pnyx_verifier w;
		pnyx_cosig_verifier(s, &w);
		raw[0] = (uint8_t)(w.hash >> 24);
		raw[1] = (uint8_t)(w.hash >> 16);
		raw[2] = (uint8_t)(w.hash >> 8);
		raw[3] = (uint8_t)w.hash;
		put_be64(raw + 4, time);
		pnyx_signer_sign(s, msg.data, msg.len, raw + 12);
		(void)pnyx_base64_encode(raw, sizeof raw, b64, sizeof b64);
	}
	pnyx_buf_clear(&msg);
	if (err != PNYX_OK)
		return err;
	size_t start = out->len;
	(void)pnyx_buf_puts(out, SIG_PREFIX);
	(void)pnyx_buf_puts(out, s->name);
	(void)pnyx_buf_puts(out, " ");
	(void)pnyx_buf_puts(out, b64);
	err = pnyx_buf_puts(out, "\n");
	if (err != PNYX_OK && out->data != NULL) {
		out->len = start;
		out->data[start] = 0;
	}
	return err;
}

pnyx_err pnyx_cosig_verify_sig(const pnyx_verifier *w, const uint8_t *text,
			       size_t n, const uint8_t *sig, size_t sig_len,
			       uint64_t *time)
{
	assert(w != NULL && (text != NULL || n == 0));
	if (w->alg != PNYX_KEY_ALG_COSIG_V1 || n == 0 || text[n - 1] != '\n')
		return PNYX_ERR_MALFORMED;
	if (sig == NULL || sig_len != PNYX_COSIG_LEN)
		return PNYX_ERR_BAD_SIGNATURE;
	uint64_t t = get_be64(sig);
	if (t > PNYX_COSIG_TIME_MAX)
		return PNYX_ERR_BAD_SIGNATURE;
	pnyx_buf msg;
	pnyx_err err = build_message(text, n, t, &msg);
	if (err == PNYX_OK) {
		pnyx_verifier ed = *w;
		ed.alg = PNYX_KEY_ALG_ED25519;
		if (!pnyx_verifier_check(&ed, msg.data, msg.len, sig + 8,
					 PNYX_SIG_LEN))
			err = PNYX_ERR_BAD_SIGNATURE;
	}
	pnyx_buf_clear(&msg);
	if (err == PNYX_OK && time != NULL)
		*time = t;
	return err;
}

/* Splits "— <name> <base64>" into its name and decoded payload. */
static pnyx_err split_line(const uint8_t *line, size_t n, const uint8_t **name,
			   size_t *name_len, uint8_t *raw, size_t *raw_len)
{
	if (n > 0 && line[n - 1] == '\n')
		n--;
	if (n < SIG_PREFIX_LEN || memcmp(line, SIG_PREFIX, SIG_PREFIX_LEN) != 0)
		return PNYX_ERR_MALFORMED;
	line += SIG_PREFIX_LEN;
	n -= SIG_PREFIX_LEN;
	const uint8_t *space = n ? memchr(line, ' ', n) : NULL;
	if (space == NULL)
		return PNYX_ERR_MALFORMED;
	*name = line;
	*name_len = (size_t)(space - line);
	if (!pnyx_key_name_is_valid(line, *name_len))
		return PNYX_ERR_MALFORMED;
	size_t b64_len = n - *name_len - 1;
	if (pnyx_base64_decode(space + 1, b64_len, raw, RAW_MAX, raw_len) !=
		    PNYX_OK ||
	    *raw_len < 5)
		return PNYX_ERR_MALFORMED;
	return PNYX_OK;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

pnyx_err pnyx_cosig_verify_line(const pnyx_verifier *w, const uint8_t *text,
				size_t n, const uint8_t *line, size_t line_len,
				uint64_t *time, pnyx_diag *diag)
{
	assert(w != NULL && (line != NULL || line_len == 0));
	if (w->alg != PNYX_KEY_ALG_COSIG_V1)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the key is not a witness cosignature "
				     "key (type 0x04)");
	const uint8_t *name = NULL;
	size_t name_len = 0, raw_len = 0;
	uint8_t raw[RAW_MAX];
	if (split_line(line, line_len, &name, &name_len, raw, &raw_len) !=
	    PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the line is not of the form '— <name> "
				     "<base64 of a key ID and a signature>'");
	if (!pnyx_bytes_eq(name, name_len, w->name) ||
	    get_be32(raw) != w->hash)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the line is not signed by witness key "
				     "%s+%08" PRIx32,
				     w->name, w->hash);
	pnyx_err err = pnyx_cosig_verify_sig(w, text, n, raw + 4, raw_len - 4,
					     time);
	if (err != PNYX_OK)
		return pnyx_diag_set(diag, err,
				     "the cosignature by witness %s does not "
				     "verify over the checkpoint",
				     w->name);
	return PNYX_OK;
}

pnyx_err pnyx_cosig_find(const pnyx_note *note, const pnyx_verifier *w,
			 uint64_t *time, pnyx_diag *diag)
{
	assert(note != NULL && w != NULL);
	if (w->alg != PNYX_KEY_ALG_COSIG_V1)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the key is not a witness cosignature "
				     "key (type 0x04)");
	for (size_t i = 0; i < note->nsigs; i++) {
		const pnyx_note_sig *s = &note->sigs[i];
		if (s->hash != w->hash || strcmp(s->name, w->name) != 0)
			continue;
		if (pnyx_cosig_verify_sig(w, note->text, note->text_len,
					  s->sig, s->sig_len, time) != PNYX_OK)
			return pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE,
					     "the cosignature by witness %s "
					     "does not verify over the "
					     "checkpoint",
					     w->name);
		return PNYX_OK;
	}
	return pnyx_diag_set(diag, PNYX_ERR_NOT_FOUND,
			     "the checkpoint carries no cosignature by "
			     "witness %s",
			     w->name);
}
