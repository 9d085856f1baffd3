/*
 * Ed25519 keys in the text forms of C2SP signed-note and Go's
 * golang.org/x/mod/sumdb/note: see pnyx/key.h.
 *
 * Parsing follows Go's NewVerifier/NewSigner field by field (split at the
 * first '+' each time, 8 hex digits of hash, base64 key data starting with
 * the algorithm byte, hash checked against name and public key), with three
 * deliberate tightenings so that every key has one text form and fits the
 * C structs: the hash must be lowercase hex, base64 must be canonical, and a
 * name may not hold ASCII control characters (a C string cannot hold NUL and
 * no valid note can carry the others) nor exceed PNYX_KEY_NAME_MAX bytes.
 */
#include "pnyx/key.h"

#include "pnyx/base64.h"
#include "pnyx/hash.h"
#include "pnyx/text.h"

#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#define KEY_DATA_LEN 33 /* algorithm byte || 32 key bytes */

/* True for the code points Go's unicode.IsSpace reports as white space. */
static bool rune_is_space(uint32_t r)
{
	if (r == 0x20 || (r >= 0x09 && r <= 0x0D))
		return true;
	if (r == 0x85 || r == 0xA0 || r == 0x1680)
		return true;
	if (r >= 0x2000 && r <= 0x200A)
		return true;
	return r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F ||
	       r == 0x3000;
}

/* Decodes the code point at p (well-formed UTF-8, checked by the caller)
 * and returns its length in bytes. */
static size_t rune_decode(const uint8_t *p, uint32_t *r)
{
	if (p[0] < 0x80) {
		*r = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*r = (uint32_t)(p[0] & 0x1F) << 6 | (uint32_t)(p[1] & 0x3F);
		return 2;
	}
	if (p[0] < 0xF0) {
		*r = (uint32_t)(p[0] & 0x0F) << 12 |
		     (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
		return 3;
	}
	*r = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
	     (uint32_t)(p[2] & 0x3F) << 6 | (uint32_t)(p[3] & 0x3F);
	return 4;
}

bool pnyx_key_name_is_valid(const uint8_t *name, size_t n)
{
	if (n == 0 || n > PNYX_KEY_NAME_MAX || !pnyx_utf8_is_valid(name, n))
		return false;
	size_t i = 0;
	while (i < n) {
		uint32_t r;
		i += rune_decode(name + i, &r);
		if (r < 0x20 || r == '+' || rune_is_space(r))
			return false;
	}
	return true;
}

uint32_t pnyx_key_hash(const char *name, uint8_t alg, const uint8_t pk[32])
{
	pnyx_sha256_ctx s;
	pnyx_hash h;
	pnyx_sha256_start(&s);
	pnyx_sha256_update(&s, name, strlen(name));
	pnyx_sha256_update(&s, "\n", 1);
	pnyx_sha256_update(&s, &alg, 1);
	pnyx_sha256_update(&s, pk, 32);
	pnyx_sha256_final(&s, &h);
	return (uint32_t)h.b[0] << 24 | (uint32_t)h.b[1] << 16 |
	       (uint32_t)h.b[2] << 8 | (uint32_t)h.b[3];
}

/* A (pointer, length) view of part of the key text. */
typedef struct field {
	const uint8_t *p;
	size_t n;
} field;

/* As Go's chop: takes from *rest the bytes before the first '+' (all of
 * them if there is none) and leaves in *rest what follows the '+'. */
static field chop(field *rest)
{
	field f = *rest;
	const uint8_t *plus = rest->n ? memchr(rest->p, '+', rest->n) : NULL;
	if (plus == NULL) {
		*rest = (field){.p = rest->p + rest->n, .n = 0};
		return f;
	}
	f.n = (size_t)(plus - rest->p);
	*rest = (field){.p = plus + 1, .n = rest->n - f.n - 1};
	return f;
}

/* Parses exactly 8 lowercase hex digits. */
static bool parse_hash(field f, uint32_t *out)
{
	if (f.n != 8)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < 8; i++) {
		uint8_t c = f.p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* The fields common to both key forms: name, hash and key data. */
typedef struct key_fields {
	char name[PNYX_KEY_NAME_MAX + 1];
	uint32_t hash;
	uint8_t data[KEY_DATA_LEN];
} key_fields;

/* Parses "<name>+<hash>+<base64 key data>" (Go's checks, in Go's order,
 * except that the hash is compared later by the caller). */
static pnyx_err parse_fields(field rest, key_fields *k, pnyx_diag *diag)
{
	field name = chop(&rest);
	field hash = chop(&rest);
	if (!pnyx_key_name_is_valid(name.p, name.n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the key name is empty, too long, not "
				     "UTF-8, or holds white space, '+' or a "
				     "control character");
	if (!parse_hash(hash, &k->hash))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the key hash is not 8 lowercase hex "
				     "digits");
	size_t len = 0;
	uint8_t data[KEY_DATA_LEN + 3];
	pnyx_err err = pnyx_base64_decode(rest.p, rest.n, data, sizeof data,
					  &len);
	if (err == PNYX_OK && len == 0)
		err = PNYX_ERR_MALFORMED;
	if (err != PNYX_OK) {
		sodium_memzero(data, sizeof data);
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the key data is not canonical base64 "
				     "of a key");
	}
	if (data[0] != PNYX_KEY_ALG_ED25519 || len != KEY_DATA_LEN) {
		bool alg = data[0] != PNYX_KEY_ALG_ED25519;
		sodium_memzero(data, sizeof data);
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "%s",
				     alg ? "the key algorithm is not Ed25519 "
					   "(0x01)"
					 : "the Ed25519 key data is not 33 "
					   "bytes long");
	}
	memcpy(k->data, data, KEY_DATA_LEN);
	sodium_memzero(data, sizeof data);
	memcpy(k->name, name.p, name.n);
	k->name[name.n] = 0;
	return PNYX_OK;
}

/* The text without one optional final '\n'. */
static field key_text(const uint8_t *text, size_t n)
{
	assert(text != NULL || n == 0);
	if (n > 0 && text[n - 1] == '\n')
		n--;
	return (field){.p = text, .n = n};
}

static pnyx_err hash_mismatch(pnyx_diag *diag)
{
	return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
			     "the key hash does not match the name and "
			     "public key");
}

pnyx_err pnyx_signer_parse(const uint8_t *text, size_t n, pnyx_signer *out,
			   pnyx_diag *diag)
{
	assert(out != NULL);
	field rest = key_text(text, n);
	field priv = chop(&rest);
	field key = chop(&rest);
	if (!pnyx_bytes_eq(priv.p, priv.n, "PRIVATE") ||
	    !pnyx_bytes_eq(key.p, key.n, "KEY"))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "a private key must start with "
				     "PRIVATE+KEY+");
	key_fields k;
	memset(&k, 0, sizeof k);
	pnyx_err err = parse_fields(rest, &k, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_signer s;
	memcpy(s.name, k.name, sizeof s.name);
	s.hash = k.hash;
	(void)crypto_sign_seed_keypair(s.pk, s.sk, k.data + 1);
	sodium_memzero(&k, sizeof k);
	if (pnyx_key_hash(s.name, PNYX_KEY_ALG_ED25519, s.pk) != s.hash) {
		pnyx_signer_clear(&s);
		return hash_mismatch(diag);
	}
	*out = s;
	pnyx_signer_clear(&s);
	return PNYX_OK;
}

pnyx_err pnyx_verifier_parse(const uint8_t *text, size_t n,
			     pnyx_verifier *out, pnyx_diag *diag)
{
	assert(out != NULL);
	key_fields k;
	memset(&k, 0, sizeof k);
	pnyx_err err = parse_fields(key_text(text, n), &k, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_verifier v;
	memset(&v, 0, sizeof v);
	memcpy(v.name, k.name, sizeof v.name);
	v.hash = k.hash;
	v.alg = k.data[0];
	memcpy(v.pk, k.data + 1, sizeof v.pk);
	if (pnyx_key_hash(v.name, v.alg, v.pk) != v.hash)
		return hash_mismatch(diag);
	*out = v;
	return PNYX_OK;
}

pnyx_err pnyx_signer_generate(const char *name, pnyx_signer *out)
{
	assert(name != NULL && out != NULL);
	size_t n = strnlen(name, PNYX_KEY_NAME_MAX + 1);
	if (!pnyx_key_name_is_valid((const uint8_t *)name, n))
		return PNYX_ERR_MALFORMED;
	pnyx_signer s;
	memset(&s, 0, sizeof s);
	memcpy(s.name, name, n);
	(void)crypto_sign_keypair(s.pk, s.sk);
	s.hash = pnyx_key_hash(s.name, PNYX_KEY_ALG_ED25519, s.pk);
	*out = s;
	pnyx_signer_clear(&s);
	return PNYX_OK;
}

/* Appends "<name>+<hash>+<base64(alg || key)>". */
static pnyx_err encode_fields(const char *name, uint32_t hash, uint8_t alg,
			      const uint8_t key[32], pnyx_buf *out)
{
	uint8_t data[KEY_DATA_LEN];
	char b64[64];
	data[0] = alg;
	memcpy(data + 1, key, 32);
	(void)pnyx_base64_encode(data, sizeof data, b64, sizeof b64);
	(void)pnyx_buf_puts(out, name);
	(void)pnyx_buf_printf(out, "+%08" PRIx32 "+", hash);
	pnyx_err err = pnyx_buf_puts(out, b64);
	sodium_memzero(data, sizeof data);
	sodium_memzero(b64, sizeof b64);
	return err;
}

pnyx_err pnyx_signer_encode(const pnyx_signer *s, pnyx_buf *out)
{
	assert(s != NULL && out != NULL);
	(void)pnyx_buf_puts(out, "PRIVATE+KEY+");
	/* The seed is the first half of libsodium's secret key. */
	return encode_fields(s->name, s->hash, PNYX_KEY_ALG_ED25519, s->sk,
			     out);
}

pnyx_err pnyx_verifier_encode(const pnyx_verifier *v, pnyx_buf *out)
{
	assert(v != NULL && out != NULL);
	return encode_fields(v->name, v->hash, v->alg, v->pk, out);
}

void pnyx_signer_clear(pnyx_signer *s)
{
	if (s != NULL)
		sodium_memzero(s, sizeof *s);
}

void pnyx_signer_verifier(const pnyx_signer *s, pnyx_verifier *out)
{
	assert(s != NULL && out != NULL);
	memset(out, 0, sizeof *out);
	memcpy(out->name, s->name, sizeof out->name);
	out->hash = s->hash;
	out->alg = PNYX_KEY_ALG_ED25519;
	memcpy(out->pk, s->pk, sizeof out->pk);
}

void pnyx_signer_sign(const pnyx_signer *s, const uint8_t *msg, size_t n,
		      uint8_t sig[PNYX_SIG_LEN])
{
	assert(s != NULL && sig != NULL && (msg != NULL || n == 0));
	(void)crypto_sign_detached(sig, NULL, msg, n, s->sk);
}

bool pnyx_verifier_check(const pnyx_verifier *v, const uint8_t *msg,
			 size_t n, const uint8_t *sig, size_t sig_len)
{
	assert(v != NULL && (msg != NULL || n == 0));
	if (v->alg != PNYX_KEY_ALG_ED25519 || sig_len != PNYX_SIG_LEN ||
	    sig == NULL)
		return false;
	return crypto_sign_verify_detached(sig, msg, n, v->pk) == 0;
}
