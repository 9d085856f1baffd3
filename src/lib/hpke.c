/*
 * RFC 9180 base mode for DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
 * AES-GCM. HKDF is written out over libsodium's incremental HMAC-SHA256 so
 * that the labeled inputs ("HPKE-v1" || suite_id || label || ...) are fed
 * in pieces, never concatenated in an allocated buffer. AES-GCM is
 * OpenSSL's EVP.
 */
#include "pnyx/hpke.h"

#include <assert.h>
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#define HPKE_MAX_AEAD_INPUT ((size_t)INT_MAX - PNYX_HPKE_TAG_LEN)

/* One suite identifier: "KEM" || I2OSP(kem_id, 2) for the KEM,
 * "HPKE" || kem_id || kdf_id || aead_id for the rest (RFC 9180 5.1). */
typedef struct suite_id {
	uint8_t b[10];
	size_t len;
} suite_id;

static const uint8_t hpke_version[7] = { 'H', 'P', 'K', 'E', '-', 'v', '1' };

static suite_id kem_suite(void)
{
	suite_id s = { { 'K', 'E', 'M', 0x00, 0x20 }, 5 };
	return s;
}

static suite_id hpke_suite(pnyx_hpke_aead aead)
{
	suite_id s = { { 'H', 'P', 'K', 'E', 0x00, 0x20, 0x00, 0x01, 0x00,
			 (uint8_t)aead }, 10 };
	return s;
}

static size_t aead_key_len(pnyx_hpke_aead aead)
{
	assert(aead == PNYX_HPKE_AES_128_GCM || aead == PNYX_HPKE_AES_256_GCM);
	return aead == PNYX_HPKE_AES_128_GCM ? 16 : 32;
}

static void hmac_put(crypto_auth_hmacsha256_state *st, const void *p,
		     size_t n)
{
	if (n > 0)
		(void)crypto_auth_hmacsha256_update(st, p, n);
}

/* Feeds "HPKE-v1" || suite_id || label || x. */
static void labeled_put(crypto_auth_hmacsha256_state *st, const suite_id *s,
			const char *label, const uint8_t *x, size_t x_len)
{
	hmac_put(st, hpke_version, sizeof hpke_version);
	hmac_put(st, s->b, s->len);
	hmac_put(st, label, strlen(label));
	hmac_put(st, x, x_len);
}

/* LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, labeled_ikm). An
 * empty salt is HashLen zero bytes, which HMAC pads to the same key. */
static void labeled_extract(const suite_id *s, const uint8_t *salt,
			    size_t salt_len, const char *label,
			    const uint8_t *ikm, size_t ikm_len,
			    uint8_t prk[PNYX_HPKE_SECRET_LEN])
{
	static const uint8_t zero_salt[PNYX_HPKE_SECRET_LEN];
	crypto_auth_hmacsha256_state st;
	if (salt_len == 0) {
		salt = zero_salt;
		salt_len = sizeof zero_salt;
	}
	(void)crypto_auth_hmacsha256_init(&st, salt, salt_len);
	labeled_put(&st, s, label, ikm, ikm_len);
	(void)crypto_auth_hmacsha256_final(&st, prk);
	sodium_memzero(&st, sizeof st);
}

/* LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) ||
 * "HPKE-v1" || suite_id || label || info, L). L <= 255 * 32. */
static void labeled_expand(const suite_id *s,
			   const uint8_t prk[PNYX_HPKE_SECRET_LEN],
			   const char *label, const uint8_t *info,
			   size_t info_len, uint8_t *out, size_t out_len)
{
	assert(out_len > 0 && out_len <= PNYX_HPKE_EXPORT_MAX);
	const uint8_t len2[2] = { (uint8_t)(out_len >> 8), (uint8_t)out_len };
	uint8_t t[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	size_t done = 0;
	for (uint8_t i = 1; done < out_len; i++) {
		(void)crypto_auth_hmacsha256_init(&st, prk,
						  PNYX_HPKE_SECRET_LEN);
		if (i > 1)
			hmac_put(&st, t, sizeof t);
		hmac_put(&st, len2, sizeof len2);
		labeled_put(&st, s, label, info, info_len);
		hmac_put(&st, &i, 1);
		(void)crypto_auth_hmacsha256_final(&st, t);
		size_t n = out_len - done < sizeof t ? out_len - done : sizeof t;
		memcpy(out + done, t, n);
		done += n;
	}
	sodium_memzero(&st, sizeof st);
	sodium_memzero(t, sizeof t);
}

pnyx_err pnyx_hpke_public_key(const uint8_t sk[PNYX_HPKE_SK_LEN],
			      uint8_t pk[PNYX_HPKE_PK_LEN], pnyx_diag *diag)
{
	uint8_t out[PNYX_HPKE_PK_LEN];
	if (crypto_scalarmult_base(out, sk) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the private key gives no usable X25519 "
				     "public key");
	memcpy(pk, out, sizeof out);
	return PNYX_OK;
}

pnyx_err pnyx_hpke_derive_keypair(const uint8_t *ikm, size_t ikm_len,
				  uint8_t sk[PNYX_HPKE_SK_LEN],
				  uint8_t pk[PNYX_HPKE_PK_LEN],
				  pnyx_diag *diag)
{
	if (ikm_len < PNYX_HPKE_SK_LEN)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "key derivation needs at least 32 bytes "
				     "of input keying material, got %zu",
				     ikm_len);
	const suite_id s = kem_suite();
	uint8_t prk[PNYX_HPKE_SECRET_LEN], k[PNYX_HPKE_SK_LEN];
	labeled_extract(&s, NULL, 0, "dkp_prk", ikm, ikm_len, prk);
	labeled_expand(&s, prk, "sk", NULL, 0, k, sizeof k);
	pnyx_err err = pnyx_hpke_public_key(k, pk, diag);
	if (err == PNYX_OK)
		memcpy(sk, k, sizeof k);
	sodium_memzero(prk, sizeof prk);
	sodium_memzero(k, sizeof k);
	return err;
}

pnyx_err pnyx_hpke_keypair(uint8_t sk[PNYX_HPKE_SK_LEN],
			   uint8_t pk[PNYX_HPKE_PK_LEN])
{
	uint8_t ikm[PNYX_HPKE_SK_LEN];
	pnyx_err err;
	do { /* an all-zero public key has probability 2^-252: retry */
		randombytes_buf(ikm, sizeof ikm);
		err = pnyx_hpke_derive_keypair(ikm, sizeof ikm, sk, pk, NULL);
	} while (err != PNYX_OK);
	sodium_memzero(ikm, sizeof ikm);
	return PNYX_OK;
}

/* ExtractAndExpand(dh, enc || pk_r) of DHKEM (RFC 9180 4.1). */
static pnyx_err kem_shared_secret(const uint8_t sk[PNYX_HPKE_SK_LEN],
				  const uint8_t pk_peer[PNYX_HPKE_PK_LEN],
				  const uint8_t enc[PNYX_HPKE_ENC_LEN],
				  const uint8_t pk_r[PNYX_HPKE_PK_LEN],
				  uint8_t ss[PNYX_HPKE_SECRET_LEN],
				  pnyx_diag *diag)
{
	uint8_t dh[32], prk[PNYX_HPKE_SECRET_LEN], kem_context[64];
	if (crypto_scalarmult(dh, sk, pk_peer) != 0) {
		sodium_memzero(dh, sizeof dh);
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the encapsulated key or the public key "
				     "is not a usable X25519 key");
	}
	const suite_id s = kem_suite();
	memcpy(kem_context, enc, 32);
	memcpy(kem_context + 32, pk_r, 32);
	labeled_extract(&s, NULL, 0, "eae_prk", dh, sizeof dh, prk);
	labeled_expand(&s, prk, "shared_secret", kem_context,
		       sizeof kem_context, ss, PNYX_HPKE_SECRET_LEN);
	sodium_memzero(dh, sizeof dh);
	sodium_memzero(prk, sizeof prk);
	return PNYX_OK;
}

pnyx_err pnyx_hpke_encap_with(const uint8_t pk_r[PNYX_HPKE_PK_LEN],
			      const uint8_t sk_e[PNYX_HPKE_SK_LEN],
			      uint8_t enc[PNYX_HPKE_ENC_LEN],
			      uint8_t shared_secret[PNYX_HPKE_SECRET_LEN],
			      pnyx_diag *diag)
{
	uint8_t pk_e[PNYX_HPKE_PK_LEN], ss[PNYX_HPKE_SECRET_LEN];
	pnyx_err err = pnyx_hpke_public_key(sk_e, pk_e, diag);
	if (err == PNYX_OK)
		err = kem_shared_secret(sk_e, pk_r, pk_e, pk_r, ss, diag);
	if (err == PNYX_OK) {
		memcpy(enc, pk_e, sizeof pk_e);
		memcpy(shared_secret, ss, sizeof ss);
	}
	sodium_memzero(ss, sizeof ss);
	return err;
}

pnyx_err pnyx_hpke_decap(const uint8_t enc[PNYX_HPKE_ENC_LEN],
			 const uint8_t sk_r[PNYX_HPKE_SK_LEN],
			 uint8_t shared_secret[PNYX_HPKE_SECRET_LEN],
			 pnyx_diag *diag)
{
	uint8_t pk_r[PNYX_HPKE_PK_LEN];
	pnyx_err err = pnyx_hpke_public_key(sk_r, pk_r, diag);
	if (err == PNYX_OK)
		err = kem_shared_secret(sk_r, enc, enc, pk_r, shared_secret,
					diag);
	return err;
}

/* KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = ""):
 * key_schedule_context = mode || psk_id_hash || info_hash. */
void pnyx_hpke_key_schedule(pnyx_hpke_aead aead,
			    const uint8_t shared_secret[PNYX_HPKE_SECRET_LEN],
			    const uint8_t *info, size_t info_len,
			    pnyx_hpke_ctx *ctx)
{
	assert(ctx != NULL && (info != NULL || info_len == 0));
	const suite_id s = hpke_suite(aead);
	uint8_t ksc[1 + 2 * PNYX_HPKE_SECRET_LEN], secret[PNYX_HPKE_SECRET_LEN];
	ksc[0] = 0x00; /* mode_base */
	labeled_extract(&s, NULL, 0, "psk_id_hash", NULL, 0, ksc + 1);
	labeled_extract(&s, NULL, 0, "info_hash", info, info_len,
			ksc + 1 + PNYX_HPKE_SECRET_LEN);
	labeled_extract(&s, shared_secret, PNYX_HPKE_SECRET_LEN, "secret",
			NULL, 0, secret);
	memset(ctx, 0, sizeof *ctx);
	ctx->aead = aead;
	ctx->key_len = aead_key_len(aead);
	labeled_expand(&s, secret, "key", ksc, sizeof ksc, ctx->key,
		       ctx->key_len);
	labeled_expand(&s, secret, "base_nonce", ksc, sizeof ksc,
		       ctx->base_nonce, sizeof ctx->base_nonce);
	labeled_expand(&s, secret, "exp", ksc, sizeof ksc,
		       ctx->exporter_secret, sizeof ctx->exporter_secret);
	sodium_memzero(secret, sizeof secret);
}

pnyx_err pnyx_hpke_setup_s_with(pnyx_hpke_aead aead,
				const uint8_t pk_r[PNYX_HPKE_PK_LEN],
				const uint8_t *info, size_t info_len,
				const uint8_t sk_e[PNYX_HPKE_SK_LEN],
				uint8_t enc[PNYX_HPKE_ENC_LEN],
				pnyx_hpke_ctx *ctx, pnyx_diag *diag)
{
	(void)aead_key_len(aead);
	uint8_t ss[PNYX_HPKE_SECRET_LEN];
	pnyx_err err = pnyx_hpke_encap_with(pk_r, sk_e, enc, ss, diag);
	if (err == PNYX_OK)
		pnyx_hpke_key_schedule(aead, ss, info, info_len, ctx);
	sodium_memzero(ss, sizeof ss);
	return err;
}

pnyx_err pnyx_hpke_setup_s(pnyx_hpke_aead aead,
			   const uint8_t pk_r[PNYX_HPKE_PK_LEN],
			   const uint8_t *info, size_t info_len,
			   uint8_t enc[PNYX_HPKE_ENC_LEN], pnyx_hpke_ctx *ctx,
			   pnyx_diag *diag)
{
	uint8_t sk_e[PNYX_HPKE_SK_LEN], pk_e[PNYX_HPKE_PK_LEN];
	pnyx_err err = pnyx_hpke_keypair(sk_e, pk_e);
	if (err == PNYX_OK)
		err = pnyx_hpke_setup_s_with(aead, pk_r, info, info_len, sk_e,
					     enc, ctx, diag);
	sodium_memzero(sk_e, sizeof sk_e);
	return err;
}

pnyx_err pnyx_hpke_setup_r(pnyx_hpke_aead aead,
			   const uint8_t enc[PNYX_HPKE_ENC_LEN],
			   const uint8_t sk_r[PNYX_HPKE_SK_LEN],
			   const uint8_t *info, size_t info_len,
			   pnyx_hpke_ctx *ctx, pnyx_diag *diag)
{
	(void)aead_key_len(aead);
	uint8_t ss[PNYX_HPKE_SECRET_LEN];
	pnyx_err err = pnyx_hpke_decap(enc, sk_r, ss, diag);
	if (err == PNYX_OK)
		pnyx_hpke_key_schedule(aead, ss, info, info_len, ctx);
	sodium_memzero(ss, sizeof ss);
	return err;
}

/* The checks seal and open share: sizes OpenSSL's int lengths can carry,
 * and a sequence number left (RFC 9180 5.2: seq < 2^96 - 1; ours stops at
 * 2^64 - 1). */
static pnyx_err check_message(const pnyx_hpke_ctx *ctx, size_t aad_len,
			      size_t text_len, pnyx_diag *diag)
{
	if (aad_len > HPKE_MAX_AEAD_INPUT || text_len > HPKE_MAX_AEAD_INPUT)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the message or its additional data is "
				     "larger than 2 GiB");
	if (ctx->seq == UINT64_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_RANGE,
				     "this encryption context has used all "
				     "its message numbers");
	return PNYX_OK;
}

/* ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn). */
static void compute_nonce(const pnyx_hpke_ctx *ctx,
			  uint8_t nonce[PNYX_HPKE_NONCE_LEN])
{
	memcpy(nonce, ctx->base_nonce, PNYX_HPKE_NONCE_LEN);
	for (size_t i = 0; i < 8; i++)
		nonce[PNYX_HPKE_NONCE_LEN - 1 - i] ^=
			(uint8_t)(ctx->seq >> (8 * i));
}

/* A GCM context keyed for one message, or NULL when OpenSSL fails. */
static EVP_CIPHER_CTX *gcm_start(const pnyx_hpke_ctx *ctx, bool encrypt,
				 const uint8_t *aad, size_t aad_len)
{
	const EVP_CIPHER *cipher = ctx->aead == PNYX_HPKE_AES_128_GCM ?
					   EVP_aes_128_gcm() : EVP_aes_256_gcm();
	uint8_t nonce[PNYX_HPKE_NONCE_LEN];
	compute_nonce(ctx, nonce);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int outl = 0;
	bool ok = c != NULL &&
		  EVP_CipherInit_ex(c, cipher, NULL, NULL, NULL,
				    encrypt ? 1 : 0) == 1 &&
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN,
				      PNYX_HPKE_NONCE_LEN, NULL) == 1 &&
		  EVP_CipherInit_ex(c, NULL, NULL, ctx->key, nonce, -1) == 1 &&
		  (aad_len == 0 ||
		   EVP_CipherUpdate(c, NULL, &outl, aad, (int)aad_len) == 1);
	if (!ok) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

static pnyx_err openssl_failed(pnyx_diag *diag)
{
	return pnyx_diag_set(diag, PNYX_ERR_NOMEM,
			     "the AES-GCM cipher could not be set up "
			     "(OpenSSL failed, probably out of memory)");
}

pnyx_err pnyx_hpke_seal(pnyx_hpke_ctx *ctx, const uint8_t *aad,
			size_t aad_len, const uint8_t *pt, size_t pt_len,
			uint8_t *ct, pnyx_diag *diag)
{
	assert(ctx != NULL && ct != NULL);
	assert((aad != NULL || aad_len == 0) && (pt != NULL || pt_len == 0));
	pnyx_err err = check_message(ctx, aad_len, pt_len, diag);
	if (err != PNYX_OK)
		return err;
	EVP_CIPHER_CTX *c = gcm_start(ctx, true, aad, aad_len);
	if (c == NULL)
		return openssl_failed(diag);
	int n = 0, fin = 0;
	bool ok = (pt_len == 0 ||
		   EVP_CipherUpdate(c, ct, &n, pt, (int)pt_len) == 1) &&
		  EVP_CipherFinal_ex(c, ct + n, &fin) == 1 &&
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG,
				      PNYX_HPKE_TAG_LEN, ct + pt_len) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		return openssl_failed(diag);
	ctx->seq++;
	return PNYX_OK;
}

pnyx_err pnyx_hpke_open(pnyx_hpke_ctx *ctx, const uint8_t *aad,
			size_t aad_len, const uint8_t *ct, size_t ct_len,
			uint8_t *pt, pnyx_diag *diag)
{
	assert(ctx != NULL && ct != NULL);
	assert(aad != NULL || aad_len == 0);
	if (ct_len < PNYX_HPKE_TAG_LEN)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the ciphertext is %zu bytes, shorter "
				     "than its 16-byte authentication tag",
				     ct_len);
	size_t pt_len = ct_len - PNYX_HPKE_TAG_LEN;
	assert(pt != NULL || pt_len == 0);
	pnyx_err err = check_message(ctx, aad_len, pt_len, diag);
	if (err != PNYX_OK)
		return err;
	EVP_CIPHER_CTX *c = gcm_start(ctx, false, aad, aad_len);
	if (c == NULL)
		return openssl_failed(diag);
	uint8_t tag[PNYX_HPKE_TAG_LEN];
	memcpy(tag, ct + pt_len, sizeof tag);
	int n = 0, fin = 0;
	bool ok = (pt_len == 0 ||
		   EVP_CipherUpdate(c, pt, &n, ct, (int)pt_len) == 1) &&
		  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, sizeof tag,
				      tag) == 1 &&
		  EVP_CipherFinal_ex(c, pt_len == 0 ? tag : pt + n, &fin) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		if (pt_len > 0)
			sodium_memzero(pt, pt_len);
		return pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE,
				     "the encrypted message does not "
				     "authenticate: it was altered, or it was "
				     "not encrypted to this key with this "
				     "context and additional data");
	}
	ctx->seq++;
	return PNYX_OK;
}

pnyx_err pnyx_hpke_export(const pnyx_hpke_ctx *ctx,
			  const uint8_t *exporter_context, size_t context_len,
			  uint8_t *out, size_t out_len, pnyx_diag *diag)
{
	assert(ctx != NULL && out != NULL && out_len > 0);
	assert(exporter_context != NULL || context_len == 0);
	if (out_len > PNYX_HPKE_EXPORT_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "an exported secret is at most %d bytes, "
				     "%zu were asked for",
				     PNYX_HPKE_EXPORT_MAX, out_len);
	const suite_id s = hpke_suite(ctx->aead);
	labeled_expand(&s, ctx->exporter_secret, "sec", exporter_context,
		       context_len, out, out_len);
	return PNYX_OK;
}

void pnyx_hpke_ctx_clear(pnyx_hpke_ctx *ctx)
{
	if (ctx != NULL)
		sodium_memzero(ctx, sizeof *ctx);
}

pnyx_err pnyx_hpke_seal_base(pnyx_hpke_aead aead,
			     const uint8_t pk_r[PNYX_HPKE_PK_LEN],
			     const uint8_t *info, size_t info_len,
			     const uint8_t *aad, size_t aad_len,
			     const uint8_t *pt, size_t pt_len,
			     uint8_t enc[PNYX_HPKE_ENC_LEN], uint8_t *ct,
			     pnyx_diag *diag)
{
	pnyx_hpke_ctx ctx;
	uint8_t e[PNYX_HPKE_ENC_LEN];
	pnyx_err err = pnyx_hpke_setup_s(aead, pk_r, info, info_len, e, &ctx,
					 diag);
	if (err == PNYX_OK)
		err = pnyx_hpke_seal(&ctx, aad, aad_len, pt, pt_len, ct, diag);
	if (err == PNYX_OK)
		memcpy(enc, e, sizeof e);
	pnyx_hpke_ctx_clear(&ctx);
	return err;
}

pnyx_err pnyx_hpke_open_base(pnyx_hpke_aead aead,
			     const uint8_t enc[PNYX_HPKE_ENC_LEN],
			     const uint8_t sk_r[PNYX_HPKE_SK_LEN],
			     const uint8_t *info, size_t info_len,
			     const uint8_t *aad, size_t aad_len,
			     const uint8_t *ct, size_t ct_len, uint8_t *pt,
			     pnyx_diag *diag)
{
	pnyx_hpke_ctx ctx;
	pnyx_err err = pnyx_hpke_setup_r(aead, enc, sk_r, info, info_len, &ctx,
					 diag);
	if (err == PNYX_OK)
		err = pnyx_hpke_open(&ctx, aad, aad_len, ct, ct_len, pt, diag);
	pnyx_hpke_ctx_clear(&ctx);
	return err;
}
