/*
 * The encrypted body of cooperation actions and contact key files: see
 * pnyx/coop_seal.h.
 */
#include "pnyx/coop_seal.h"

#include "pnyx/action.h"
#include "pnyx/base64.h"
#include "pnyx/json.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#define INFO ((const uint8_t *)PNYX_COOP_INFO)
#define INFO_LEN (sizeof PNYX_COOP_INFO - 1)
#define AAD_MAX (4 * 256 + 32)
#define CT_MAX (PNYX_COOP_PLAINTEXT_MAX + PNYX_HPKE_TAG_LEN)
#define CEK_LEN 32                              /* the content key */
#define WRAPPED_LEN (CEK_LEN + PNYX_HPKE_TAG_LEN) /* it, HPKE-sealed */

static const char not_authentic[] =
	"the encrypted message does not authenticate: it was changed, or it "
	"is not addressed to this key";

pnyx_err pnyx_coop_aad(const pnyx_coop_envelope *env, pnyx_buf *out)
{
	assert(env != NULL && env->forum != NULL && env->actor != NULL &&
	       env->type != NULL && out != NULL);
	return pnyx_buf_printf(out, "%s\n%s\n%" PRIu64 "\n%s", env->forum,
			       env->actor, env->seq, env->type);
}

/* The aad of env into a fresh buffer (cleared by the caller). */
static pnyx_err make_aad(const pnyx_coop_envelope *env, pnyx_buf *aad)
{
	pnyx_buf_init(aad, AAD_MAX);
	return pnyx_coop_aad(env, aad);
}

static bool name_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	return n > 0 && n <= PNYX_COOP_NAME_MAX &&
	       pnyx_utf8_is_valid((const uint8_t *)s, n);
}

static pnyx_err check_recipients(const pnyx_coop_recipient *r, size_t nr,
				 pnyx_diag *diag)
{
	if (nr == 0 || nr > PNYX_COOP_RECIPIENTS_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "a sealed message "
				     "has 1 to %d recipients, not %zu",
				     PNYX_COOP_RECIPIENTS_MAX, nr);
	for (size_t i = 0; i < nr; i++) {
		if (!name_ok(r[i].member) || !name_ok(r[i].contact))
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "recipient %zu has no valid member "
					     "or contact id", i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(r[i].member, r[j].member) == 0 &&
			    strcmp(r[i].contact, r[j].contact) == 0)
				return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
						     "recipient %zu is named twice",
						     i + 1);
	}
	return PNYX_OK;
}

/* A new JSON string of the base64 of n bytes at p, or NULL. */
static json_t *b64_string(const uint8_t *p, size_t n)
{
	size_t cap = pnyx_base64_len(n) + 1;
	char *s = pnyx_malloc(cap);
	if (s == NULL)
		return NULL;
	size_t len = pnyx_base64_encode(p, n, s, cap);
	json_t *v = json_stringn(s, len);
	pnyx_free(s);
	return v;
}

/* The context that encrypts the body under the content key: AES-256-GCM,
 * nonce 12 zero bytes (each content key encrypts one message). */
static void body_ctx(const uint8_t cek[CEK_LEN], pnyx_hpke_ctx *ctx)
{
	*ctx = (pnyx_hpke_ctx){.aead = PNYX_HPKE_AES_256_GCM,
			       .key_len = CEK_LEN};
	memcpy(ctx->key, cek, CEK_LEN);
}

/* Seals the content key to one recipient; appends its entry to list. */
static pnyx_err seal_one(const pnyx_coop_recipient *r, const pnyx_buf *aad,
			 const uint8_t cek[CEK_LEN], json_t *list,
			 pnyx_diag *diag)
{
	uint8_t enc[PNYX_HPKE_ENC_LEN], wrapped[WRAPPED_LEN];
	pnyx_err err = pnyx_hpke_seal_base(PNYX_HPKE_AES_256_GCM, r->pk, INFO,
					   INFO_LEN, aad->data, aad->len, cek,
					   CEK_LEN, enc, wrapped, diag);
	if (err == PNYX_ERR_MALFORMED)
		pnyx_diag_set(diag, err, "the key of %.64s's contact %.64s is "
			      "not a usable X25519 public key", r->member,
			      r->contact);
	if (err != PNYX_OK)
		return err;
	json_t *e = json_pack("{s:s,s:o*,s:o*,s:s}", "contact", r->contact,
			      "enc", b64_string(enc, sizeof enc),
			      "key", b64_string(wrapped, sizeof wrapped),
			      "member", r->member);
	if (e == NULL || json_object_size(e) != 4 ||
	    json_array_append_new(list, e) != 0) {
		json_decref(e);
		return PNYX_ERR_NOMEM;
	}
	return PNYX_OK;
}

/* The canonical encoding of plaintext into pt (init'ed here). */
static pnyx_err encode_plaintext(const json_t *plaintext, pnyx_buf *pt,
				 pnyx_diag *diag)
{
	pnyx_buf_init(pt, PNYX_COOP_PLAINTEXT_MAX);
	if (!json_is_object(plaintext))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the message to "
				     "seal is not a JSON object");
	pnyx_err err = pnyx_json_encode(plaintext, pt);
	if (err == PNYX_ERR_TOO_LARGE)
		pnyx_diag_set(diag, err, "the message is larger than %u bytes "
			      "once encoded", PNYX_COOP_PLAINTEXT_MAX);
	return err;
}

static void wipe_clear(pnyx_buf *b)
{
	if (b->data != NULL)
		sodium_memzero(b->data, b->cap);
	pnyx_buf_clear(b);
}

/* The body encrypted under cek, as a JSON string of its base64; NULL
 * with *err set on failure. */
static json_t *seal_body(const uint8_t cek[CEK_LEN], const pnyx_buf *aad,
			 const pnyx_buf *pt, pnyx_err *err, pnyx_diag *diag)
{
	uint8_t *ct = pnyx_malloc(pt->len + PNYX_HPKE_TAG_LEN);
	if (ct == NULL) {
		*err = PNYX_ERR_NOMEM;
		return NULL;
	}
	pnyx_hpke_ctx ctx;
	body_ctx(cek, &ctx);
	*err = pnyx_hpke_seal(&ctx, aad->data, aad->len, pt->data, pt->len, ct,
			      diag);
	pnyx_hpke_ctx_clear(&ctx);
	json_t *v = *err == PNYX_OK ? b64_string(ct, pt->len + PNYX_HPKE_TAG_LEN)
				    : NULL;
	pnyx_free(ct);
	if (*err == PNYX_OK && v == NULL)
		*err = PNYX_ERR_NOMEM;
	return v;
}

pnyx_err pnyx_coop_seal(const json_t *plaintext, const pnyx_coop_envelope *env,
			const pnyx_coop_recipient *r, size_t nr, json_t **out,
			pnyx_diag *diag)
{
	assert(env != NULL && (r != NULL || nr == 0) && out != NULL);
	pnyx_err err = check_recipients(r, nr, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_buf pt, aad;
	err = encode_plaintext(plaintext, &pt, diag);
	pnyx_err aerr = make_aad(env, &aad);
	if (err == PNYX_OK)
		err = aerr;
	uint8_t cek[CEK_LEN];
	randombytes_buf(cek, sizeof cek);
	json_t *list = err == PNYX_OK ? json_array() : NULL;
	json_t *ct = err == PNYX_OK ? seal_body(cek, &aad, &pt, &err, diag) : NULL;
	if (err == PNYX_OK && list == NULL)
		err = PNYX_ERR_NOMEM;
	for (size_t i = 0; err == PNYX_OK && i < nr; i++)
		err = seal_one(&r[i], &aad, cek, list, diag);
	sodium_memzero(cek, sizeof cek);
	json_t *sealed = err == PNYX_OK ? json_pack("{s:O,s:O}", "ct", ct,
						    "recipients", list)
					: NULL;
	json_decref(ct);
	if (err == PNYX_OK && sealed == NULL)
		err = PNYX_ERR_NOMEM;
	if (err == PNYX_ERR_NOMEM)
		pnyx_diag_set(diag, err, "out of memory");
	json_decref(list);
	wipe_clear(&pt);
	pnyx_buf_clear(&aad);
	if (err == PNYX_OK)
		*out = sealed;
	return err;
}

/* ---- opening ---- */

/* One recipient entry, decoded. */
struct entry {
	const char *member, *contact;
	uint8_t enc[PNYX_HPKE_ENC_LEN];
	uint8_t wrapped[WRAPPED_LEN];
};

/* The body, decoded: ct is pnyx_malloc'd. */
struct body {
	uint8_t *ct;
	size_t ct_len;
};

static const char *str_of(const json_t *o, const char *key, size_t *n)
{
	const json_t *v = json_object_get(o, key);
	*n = json_string_length(v);
	return json_string_value(v);
}

/* Decodes base64 text (n bytes) of exactly len bytes into out. */
static bool decode_exact(const char *text, size_t n, uint8_t *out, size_t len)
{
	uint8_t tmp[WRAPPED_LEN + 1];
	size_t got = 0;
	if (text == NULL || n > pnyx_base64_len(sizeof tmp) ||
	    pnyx_base64_decode((const uint8_t *)text, n, tmp, sizeof tmp,
			       &got) != PNYX_OK || got != len)
		return false;
	memcpy(out, tmp, len);
	return true;
}

/* Decodes entry e of the list (index i for messages). */
static pnyx_err decode_entry(const json_t *e, size_t i, struct entry *out,
			     pnyx_diag *diag)
{
	size_t mn, cn, en, kn;
	const char *m = str_of(e, "member", &mn), *c = str_of(e, "contact", &cn);
	const char *enc = str_of(e, "enc", &en), *key = str_of(e, "key", &kn);
	*out = (struct entry){.member = m, .contact = c};
	if (!json_is_object(e) || json_object_size(e) != 4 || m == NULL ||
	    c == NULL || mn == 0 || mn > PNYX_COOP_NAME_MAX || cn == 0 ||
	    cn > PNYX_COOP_NAME_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "recipient %zu of "
				     "the sealed body is not {\"contact\", "
				     "\"enc\", \"key\", \"member\"}", i + 1);
	if (!decode_exact(enc, en, out->enc, sizeof out->enc) ||
	    !decode_exact(key, kn, out->wrapped, sizeof out->wrapped))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "recipient %zu: enc "
				     "must be the base64 of 32 bytes and key of "
				     "48", i + 1);
	return PNYX_OK;
}

static bool chosen(const struct entry *e, const char *member,
		   const char *contact)
{
	return (member == NULL || strcmp(e->member, member) == 0) &&
	       (contact == NULL || strcmp(e->contact, contact) == 0);
}

/* Opens the body with the content key; PNYX_OK with the plaintext parsed
 * into *out. */
static pnyx_err open_body(const struct body *b, const uint8_t cek[CEK_LEN],
			  const pnyx_buf *aad, json_t **out, pnyx_diag *diag)
{
	size_t n = b->ct_len - PNYX_HPKE_TAG_LEN;
	uint8_t *pt = pnyx_malloc(n + 1);
	if (pt == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	pnyx_hpke_ctx ctx;
	body_ctx(cek, &ctx);
	pnyx_err err = pnyx_hpke_open(&ctx, aad->data, aad->len, b->ct,
				      b->ct_len, pt, NULL);
	pnyx_hpke_ctx_clear(&ctx);
	if (err == PNYX_ERR_MALFORMED || err == PNYX_ERR_BAD_SIGNATURE)
		err = pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE, "%s", not_authentic);
	else if (err == PNYX_OK)
		err = pnyx_json_parse_canonical(pt, n, PNYX_ACTION_DEPTH, out, NULL);
	if (err == PNYX_ERR_MALFORMED)
		pnyx_diag_set(diag, err, "the decrypted message is not one "
			      "canonical JSON object");
	else if (err == PNYX_ERR_NOMEM)
		pnyx_diag_set(diag, err, "out of memory");
	sodium_memzero(pt, n + 1);
	pnyx_free(pt);
	return err;
}

/* Tries sk on e: its content key, then the body; *opened tells whether
 * the content key opened (the entry was for sk). */
static pnyx_err try_entry(const struct entry *e, const struct body *b,
			  const pnyx_buf *aad,
			  const uint8_t sk[PNYX_HPKE_SK_LEN], bool *opened,
			  json_t **out, pnyx_diag *diag)
{
	uint8_t cek[CEK_LEN];
	pnyx_err err = pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, e->enc, sk,
					   INFO, INFO_LEN, aad->data, aad->len,
					   e->wrapped, sizeof e->wrapped, cek,
					   NULL);
	*opened = err == PNYX_OK;
	if (err == PNYX_OK)
		err = open_body(b, cek, aad, out, diag);
	else if (err == PNYX_ERR_MALFORMED || err == PNYX_ERR_BAD_SIGNATURE)
		err = PNYX_ERR_BAD_SIGNATURE; /* not for this key, or changed */
	sodium_memzero(cek, sizeof cek);
	return err;
}

/* Tries every chosen entry; PNYX_OK at the first that opens. */
static pnyx_err open_list(const json_t *list, const struct body *b,
			  const pnyx_buf *aad, const char *member,
			  const char *contact,
			  const uint8_t sk[PNYX_HPKE_SK_LEN], json_t **out,
			  size_t *which, pnyx_diag *diag)
{
	bool any = false;
	for (size_t i = 0; i < json_array_size(list); i++) {
		struct entry e;
		pnyx_err err = decode_entry(json_array_get(list, i), i, &e, diag);
		if (err != PNYX_OK)
			return err;
		if (!chosen(&e, member, contact))
			continue;
		any = true;
		bool opened = false;
		err = try_entry(&e, b, aad, sk, &opened, out, diag);
		if (err == PNYX_OK && which != NULL)
			*which = i;
		if (err != PNYX_ERR_BAD_SIGNATURE || opened)
			return err;
	}
	if (!any)
		return pnyx_diag_set(diag, PNYX_ERR_NOT_FOUND, "the encrypted "
				     "message has no copy for %.64s%s%.64s",
				     member != NULL ? member : "this contact",
				     contact != NULL ? "'s contact " : "",
				     contact != NULL ? contact : "");
	return pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE, "%s", not_authentic);
}

/* Decodes the body's ct (at least a tag, at most CT_MAX bytes). */
static pnyx_err decode_body(const json_t *sealed, struct body *b,
			    pnyx_diag *diag)
{
	size_t tn;
	const char *ct = str_of(sealed, "ct", &tn);
	*b = (struct body){0};
	if (ct == NULL || tn > pnyx_base64_len(CT_MAX))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the sealed body "
				     "has no ct of at most %u bytes", CT_MAX);
	size_t cap = tn / 4 * 3 + 1;
	if ((b->ct = pnyx_malloc(cap)) == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	if (pnyx_base64_decode((const uint8_t *)ct, tn, b->ct, cap,
			       &b->ct_len) != PNYX_OK ||
	    b->ct_len < PNYX_HPKE_TAG_LEN) {
		pnyx_free(b->ct);
		b->ct = NULL;
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the sealed body's "
				     "ct is not the base64 of at least 16 bytes");
	}
	return PNYX_OK;
}

pnyx_err pnyx_coop_open(const json_t *sealed, const pnyx_coop_envelope *env,
			const char *member, const char *contact,
			const uint8_t sk[PNYX_HPKE_SK_LEN], json_t **out,
			size_t *which, pnyx_diag *diag)
{
	assert(env != NULL && sk != NULL && out != NULL);
	const json_t *list = json_object_get(sealed, "recipients");
	if (!json_is_object(sealed) || json_object_size(sealed) != 2 ||
	    !json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > PNYX_COOP_RECIPIENTS_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the sealed body is "
				     "not {\"ct\", \"recipients\": [1 to %d "
				     "entries]}", PNYX_COOP_RECIPIENTS_MAX);
	struct body b;
	pnyx_err err = decode_body(sealed, &b, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_buf aad;
	err = make_aad(env, &aad);
	json_t *pt = NULL;
	size_t at = 0;
	if (err != PNYX_OK)
		pnyx_diag_set(diag, err, "the envelope is too long");
	else
		err = open_list(list, &b, &aad, member, contact, sk, &pt, &at,
				diag);
	pnyx_buf_clear(&aad);
	pnyx_free(b.ct);
	if (err == PNYX_OK) {
		*out = pt;
		if (which != NULL)
			*which = at;
	}
	return err;
}

/* ---- contact key files ---- */

pnyx_err pnyx_coop_key_encode(const char *name,
			      const uint8_t sk[PNYX_HPKE_SK_LEN], pnyx_buf *out)
{
	assert(name != NULL && sk != NULL && out != NULL);
	if (!pnyx_key_name_is_valid((const uint8_t *)name, strlen(name)))
		return PNYX_ERR_MALFORMED;
	char b64[PNYX_HASH_B64_LEN + 1];
	pnyx_base64_encode(sk, PNYX_HPKE_SK_LEN, b64, sizeof b64);
	pnyx_err err = pnyx_buf_printf(out, PNYX_COOP_KEY_PREFIX "%s+%s\n",
				       name, b64);
	sodium_memzero(b64, sizeof b64);
	return err;
}

pnyx_err pnyx_coop_key_parse(const uint8_t *text, size_t n,
			     char name[PNYX_KEY_NAME_MAX + 1],
			     uint8_t sk[PNYX_HPKE_SK_LEN],
			     uint8_t pk[PNYX_HPKE_PK_LEN], pnyx_diag *diag)
{
	static const char bad[] = "not a contact key file: it must be one line "
				  PNYX_COOP_KEY_PREFIX "NAME+KEY";
	const size_t plen = sizeof PNYX_COOP_KEY_PREFIX - 1;
	assert((text != NULL || n == 0) && name != NULL && sk != NULL &&
	       pk != NULL);
	if (n > 0 && text[n - 1] == '\n')
		n--;
	if (n < plen + 2 + PNYX_HASH_B64_LEN ||
	    memcmp(text, PNYX_COOP_KEY_PREFIX, plen) != 0 ||
	    text[n - PNYX_HASH_B64_LEN - 1] != '+')
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "%s", bad);
	size_t name_len = n - PNYX_HASH_B64_LEN - 1 - plen;
	uint8_t k[PNYX_HPKE_SK_LEN + 1], p[PNYX_HPKE_PK_LEN];
	size_t klen = 0;
	pnyx_err err = PNYX_ERR_MALFORMED;
	if (!pnyx_key_name_is_valid(text + plen, name_len) ||
	    name_len > PNYX_KEY_NAME_MAX)
		pnyx_diag_set(diag, err, "%s (the name is not valid)", bad);
	else if (pnyx_base64_decode(text + n - PNYX_HASH_B64_LEN,
				    PNYX_HASH_B64_LEN, k, sizeof k,
				    &klen) != PNYX_OK || klen != PNYX_HPKE_SK_LEN)
		pnyx_diag_set(diag, err, "%s (the key is not 32 bytes in "
			      "base64)", bad);
	else if (pnyx_hpke_public_key(k, p, NULL) != PNYX_OK)
		pnyx_diag_set(diag, err, "the contact key file holds an unusable "
			      "X25519 key");
	else
		err = PNYX_OK;
	if (err == PNYX_OK) {
		memcpy(name, text + plen, name_len);
		name[name_len] = 0;
		memcpy(sk, k, PNYX_HPKE_SK_LEN);
		memcpy(pk, p, PNYX_HPKE_PK_LEN);
	}
	sodium_memzero(k, sizeof k);
	return err;
}

pnyx_err pnyx_coop_public_key_parse(const uint8_t *text, size_t n,
				    uint8_t pk[PNYX_HPKE_PK_LEN])
{
	uint8_t k[PNYX_HPKE_PK_LEN + 1];
	size_t len = 0;
	if (n != PNYX_HASH_B64_LEN ||
	    pnyx_base64_decode(text, n, k, sizeof k, &len) != PNYX_OK ||
	    len != PNYX_HPKE_PK_LEN)
		return PNYX_ERR_MALFORMED;
	memcpy(pk, k, PNYX_HPKE_PK_LEN);
	return PNYX_OK;
}
