/*
 * pnyx/hpke.h — Hybrid Public Key Encryption (RFC 9180), base mode only,
 * for one KEM and KDF: DHKEM(X25519, HKDF-SHA256) (kem_id 0x0020) with
 * HKDF-SHA256 (kdf_id 0x0001). The AEAD is AES-256-GCM (aead_id 0x0002),
 * the suite cooperation messages use; AES-128-GCM (aead_id 0x0001) is also
 * offered because RFC 9180 Appendix A.1 publishes its test vectors, which
 * check the KEM and key schedule end to end.
 *
 * X25519 and HMAC-SHA256 come from libsodium, AES-GCM from OpenSSL. Nothing
 * here allocates through pnyx_malloc: every output goes to storage the
 * caller owns (OpenSSL allocates its own AES-GCM state per message; its
 * failure is PNYX_ERR_NOMEM). Secrets on the stack are wiped before returning;
 * pnyx_hpke_ctx_clear wipes a context.
 *
 * Errors: a ciphertext, enc, aad or info that was altered, or a message
 * sealed to another key, yields PNYX_ERR_BAD_SIGNATURE (the authentication
 * tag does not verify: the same meaning as a signature by a known key that
 * does not verify). An enc that is not a usable X25519 public key (its
 * Diffie-Hellman result is all zeros) yields PNYX_ERR_MALFORMED; input
 * beyond the sizes below yields PNYX_ERR_TOO_LARGE; an OpenSSL failure or
 * an exhausted sequence number yields PNYX_ERR_NOMEM or PNYX_ERR_RANGE.
 */
#ifndef PNYX_HPKE_H
#define PNYX_HPKE_H

#include "pnyx/common.h"

#define PNYX_HPKE_KEM_ID 0x0020
#define PNYX_HPKE_KDF_ID 0x0001
#define PNYX_HPKE_SK_LEN 32     /* Nsk: X25519 private key */
#define PNYX_HPKE_PK_LEN 32     /* Npk: X25519 public key */
#define PNYX_HPKE_ENC_LEN 32    /* Nenc: the encapsulated key */
#define PNYX_HPKE_SECRET_LEN 32 /* Nsecret, Nh */
#define PNYX_HPKE_KEY_MAX 32    /* Nk of AES-256-GCM */
#define PNYX_HPKE_NONCE_LEN 12  /* Nn */
#define PNYX_HPKE_TAG_LEN 16    /* Nt: a ciphertext is plaintext + 16 */
#define PNYX_HPKE_EXPORT_MAX (255 * 32) /* largest Export length */

/* The AEAD of a suite; the values are RFC 9180's aead_id. */
typedef enum pnyx_hpke_aead {
	PNYX_HPKE_AES_128_GCM = 0x0001,
	PNYX_HPKE_AES_256_GCM = 0x0002,
} pnyx_hpke_aead;

/* An encryption context (RFC 9180 section 5.2), owned by the caller: one
 * sender context seals messages 0, 1, 2, ... and the recipient's context
 * opens them in the same order. Fields are readable (tests compare them
 * with the RFC's vectors); change them only through the functions below.
 * Holds secrets: wipe it with pnyx_hpke_ctx_clear. */
typedef struct pnyx_hpke_ctx {
	pnyx_hpke_aead aead;
	size_t key_len; /* Nk: 16 or 32 */
	uint8_t key[PNYX_HPKE_KEY_MAX];
	uint8_t base_nonce[PNYX_HPKE_NONCE_LEN];
	uint8_t exporter_secret[PNYX_HPKE_SECRET_LEN];
	uint64_t seq; /* number of the next message sealed or opened */
} pnyx_hpke_ctx;

/* A fresh random key pair (RFC 9180 DeriveKeyPair on 32 random bytes).
 * Never fails once pnyx_init() succeeded; returns PNYX_OK. */
PNYX_EXPORT pnyx_err pnyx_hpke_keypair(uint8_t sk[PNYX_HPKE_SK_LEN],
				       uint8_t pk[PNYX_HPKE_PK_LEN]) PNYX_WUR;

/* DeriveKeyPair(ikm) of RFC 9180 section 7.1.3: the same ikm always gives
 * the same pair. ikm must hold at least 32 bytes of entropy; ikm_len below
 * 32 is refused with PNYX_ERR_MALFORMED (sk, pk untouched). */
PNYX_EXPORT pnyx_err pnyx_hpke_derive_keypair(const uint8_t *ikm,
					      size_t ikm_len,
					      uint8_t sk[PNYX_HPKE_SK_LEN],
					      uint8_t pk[PNYX_HPKE_PK_LEN],
					      pnyx_diag *diag) PNYX_WUR;

/* The public key of a private key. Returns PNYX_ERR_MALFORMED for a
 * private key whose public key would be all zeros (never a real key). */
PNYX_EXPORT pnyx_err pnyx_hpke_public_key(const uint8_t sk[PNYX_HPKE_SK_LEN],
					  uint8_t pk[PNYX_HPKE_PK_LEN],
					  pnyx_diag *diag) PNYX_WUR;

/* Encap with a given ephemeral private key (RFC 9180 section 4.1, DHKEM
 * over X25519): writes enc (the public key of sk_e) and the KEM shared
 * secret for recipient pk_r. For test vectors and the setup functions
 * below; reusing sk_e for two messages destroys their confidentiality.
 * Errors: PNYX_ERR_MALFORMED when pk_r or sk_e is not a usable X25519
 * key. */
PNYX_EXPORT pnyx_err pnyx_hpke_encap_with(const uint8_t pk_r[PNYX_HPKE_PK_LEN],
					  const uint8_t sk_e[PNYX_HPKE_SK_LEN],
					  uint8_t enc[PNYX_HPKE_ENC_LEN],
					  uint8_t shared_secret[PNYX_HPKE_SECRET_LEN],
					  pnyx_diag *diag) PNYX_WUR;

/* Decap: the KEM shared secret of enc for the recipient's private key
 * sk_r. Errors: PNYX_ERR_MALFORMED when enc is not a usable X25519 public
 * key. The caller wipes shared_secret after use. */
PNYX_EXPORT pnyx_err pnyx_hpke_decap(const uint8_t enc[PNYX_HPKE_ENC_LEN],
				     const uint8_t sk_r[PNYX_HPKE_SK_LEN],
				     uint8_t shared_secret[PNYX_HPKE_SECRET_LEN],
				     pnyx_diag *diag) PNYX_WUR;

/* KeySchedule for mode_base (RFC 9180 section 5.1): sets ctx (key,
 * base_nonce, exporter_secret, seq 0) from a KEM shared secret and info.
 * Cannot fail. */
PNYX_EXPORT void pnyx_hpke_key_schedule(pnyx_hpke_aead aead,
					const uint8_t shared_secret[PNYX_HPKE_SECRET_LEN],
					const uint8_t *info, size_t info_len,
					pnyx_hpke_ctx *ctx);

/* SetupBaseS (RFC 9180 section 5.1.1) to recipient key pk_r with a fresh
 * random ephemeral key: writes the encapsulated key enc, to be sent along
 * with the ciphertexts, and the sender context ctx (seq 0). info binds the
 * messages to their purpose (may be NULL when info_len is 0). Errors:
 * PNYX_ERR_MALFORMED when pk_r is not a usable X25519 public key. */
PNYX_EXPORT pnyx_err pnyx_hpke_setup_s(pnyx_hpke_aead aead,
				       const uint8_t pk_r[PNYX_HPKE_PK_LEN],
				       const uint8_t *info, size_t info_len,
				       uint8_t enc[PNYX_HPKE_ENC_LEN],
				       pnyx_hpke_ctx *ctx,
				       pnyx_diag *diag) PNYX_WUR;

/* As pnyx_hpke_setup_s, with the ephemeral private key sk_e given by the
 * caller instead of drawn at random. For test vectors only: reusing sk_e
 * for two messages destroys their confidentiality. */
PNYX_EXPORT pnyx_err pnyx_hpke_setup_s_with(pnyx_hpke_aead aead,
					    const uint8_t pk_r[PNYX_HPKE_PK_LEN],
					    const uint8_t *info,
					    size_t info_len,
					    const uint8_t sk_e[PNYX_HPKE_SK_LEN],
					    uint8_t enc[PNYX_HPKE_ENC_LEN],
					    pnyx_hpke_ctx *ctx,
					    pnyx_diag *diag) PNYX_WUR;

/* SetupBaseR (RFC 9180 section 5.1.1): the recipient context for enc under
 * the recipient's private key sk_r and the same info as the sender's.
 * A wrong key or info is not detected here but by the first open. Errors:
 * PNYX_ERR_MALFORMED when enc is not a usable X25519 public key. */
PNYX_EXPORT pnyx_err pnyx_hpke_setup_r(pnyx_hpke_aead aead,
				       const uint8_t enc[PNYX_HPKE_ENC_LEN],
				       const uint8_t sk_r[PNYX_HPKE_SK_LEN],
				       const uint8_t *info, size_t info_len,
				       pnyx_hpke_ctx *ctx,
				       pnyx_diag *diag) PNYX_WUR;

/* ContextS.Seal: encrypts pt (pt_len bytes) with additional data aad into
 * ct, which must have room for pt_len + PNYX_HPKE_TAG_LEN bytes, using the
 * nonce base_nonce XOR seq; then seq advances. pt and aad may be NULL when
 * their length is 0. Errors (ctx unchanged): PNYX_ERR_TOO_LARGE when pt or
 * aad exceed 2^31 - 17 bytes, PNYX_ERR_RANGE when seq is exhausted,
 * PNYX_ERR_NOMEM when OpenSSL fails. */
PNYX_EXPORT pnyx_err pnyx_hpke_seal(pnyx_hpke_ctx *ctx, const uint8_t *aad,
				    size_t aad_len, const uint8_t *pt,
				    size_t pt_len, uint8_t *ct,
				    pnyx_diag *diag) PNYX_WUR;

/* ContextR.Open: decrypts and authenticates ct (ct_len bytes, at least
 * PNYX_HPKE_TAG_LEN) with aad into pt, which must have room for
 * ct_len - PNYX_HPKE_TAG_LEN bytes; then seq advances. On any error ctx is
 * unchanged and pt holds no plaintext (it may have been zeroed). Errors:
 * PNYX_ERR_BAD_SIGNATURE when the tag does not verify (altered ciphertext,
 * enc, aad or info, another recipient's key, or a message out of order),
 * PNYX_ERR_MALFORMED when ct is shorter than a tag, and those of seal. */
PNYX_EXPORT pnyx_err pnyx_hpke_open(pnyx_hpke_ctx *ctx, const uint8_t *aad,
				    size_t aad_len, const uint8_t *ct,
				    size_t ct_len, uint8_t *pt,
				    pnyx_diag *diag) PNYX_WUR;

/* Context.Export (RFC 9180 section 5.3): writes out_len bytes of secret
 * derived from the context and exporter_context into out. Both sides of a
 * context export the same bytes. out_len is at least 1 (0 is a caller bug,
 * asserted); above PNYX_HPKE_EXPORT_MAX it is refused with
 * PNYX_ERR_TOO_LARGE. */
PNYX_EXPORT pnyx_err pnyx_hpke_export(const pnyx_hpke_ctx *ctx,
				      const uint8_t *exporter_context,
				      size_t context_len, uint8_t *out,
				      size_t out_len, pnyx_diag *diag) PNYX_WUR;

/* Wipes every secret of ctx (sodium_memzero). ctx may be NULL. */
PNYX_EXPORT void pnyx_hpke_ctx_clear(pnyx_hpke_ctx *ctx);

/* Single-shot encryption (RFC 9180 section 6.1, SealBase): a fresh setup
 * to pk_r, then one seal (seq 0). Writes enc and ct (pt_len + 16 bytes).
 * Errors as pnyx_hpke_setup_s and pnyx_hpke_seal. */
PNYX_EXPORT pnyx_err pnyx_hpke_seal_base(pnyx_hpke_aead aead,
					 const uint8_t pk_r[PNYX_HPKE_PK_LEN],
					 const uint8_t *info, size_t info_len,
					 const uint8_t *aad, size_t aad_len,
					 const uint8_t *pt, size_t pt_len,
					 uint8_t enc[PNYX_HPKE_ENC_LEN],
					 uint8_t *ct, pnyx_diag *diag) PNYX_WUR;

/* Single-shot decryption (OpenBase): setup with enc and sk_r, then one
 * open (seq 0) of ct into pt (ct_len - 16 bytes). Errors as
 * pnyx_hpke_setup_r and pnyx_hpke_open. */
PNYX_EXPORT pnyx_err pnyx_hpke_open_base(pnyx_hpke_aead aead,
					 const uint8_t enc[PNYX_HPKE_ENC_LEN],
					 const uint8_t sk_r[PNYX_HPKE_SK_LEN],
					 const uint8_t *info, size_t info_len,
					 const uint8_t *aad, size_t aad_len,
					 const uint8_t *ct, size_t ct_len,
					 uint8_t *pt, pnyx_diag *diag) PNYX_WUR;

#endif
