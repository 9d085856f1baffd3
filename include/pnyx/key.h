/*
 * pnyx/key.h — Ed25519 signing and verifier keys named as C2SP signed-note
 * v1.0.0 names them, in the text forms of Go's golang.org/x/mod/sumdb/note:
 *
 *   private:  PRIVATE+KEY+<name>+<hash>+<base64(0x01 || 32-byte seed)>
 *   verifier: <name>+<hash>+<base64(0x01 || 32-byte public key)>
 *
 * <hash> is 8 lowercase hex digits: the first 4 bytes, big-endian, of
 * SHA-256(name || "\n" || 0x01 || public key). A name is non-empty UTF-8
 * with no Unicode white space, no '+' and no ASCII control character (which
 * no note can carry), at most PNYX_KEY_NAME_MAX bytes.
 * Signing uses libsodium; secret material is wiped by pnyx_signer_clear.
 */
#ifndef PNYX_KEY_H
#define PNYX_KEY_H

#include "pnyx/buf.h"
#include "pnyx/common.h"

#define PNYX_KEY_NAME_MAX 255       /* bytes, a Pnyx limit */
#define PNYX_KEY_ALG_ED25519 0x01   /* signed-note algorithm byte */
#define PNYX_SIG_LEN 64             /* Ed25519 signature */

/* A signing key. Caller-owned; wipe with pnyx_signer_clear. */
typedef struct pnyx_signer {
	char name[PNYX_KEY_NAME_MAX + 1]; /* NUL-terminated */
	uint32_t hash;
	uint8_t pk[32];
	uint8_t sk[64]; /* libsodium form: seed || public key */
} pnyx_signer;

/* A verifier key. Caller-owned, plain data. */
typedef struct pnyx_verifier {
	char name[PNYX_KEY_NAME_MAX + 1]; /* NUL-terminated */
	uint32_t hash;
	uint8_t alg; /* PNYX_KEY_ALG_ED25519 */
	uint8_t pk[32];
} pnyx_verifier;

/* True if the n bytes at name form a valid key name (see above). */
PNYX_EXPORT bool pnyx_key_name_is_valid(const uint8_t *name, size_t n);

/* The key hash of a name and an algorithm-prefixed public key (see above). */
PNYX_EXPORT uint32_t pnyx_key_hash(const char *name, uint8_t alg,
				   const uint8_t pk[32]);

/* Generates a fresh Ed25519 key named name (NUL-terminated) from the
 * system's randomness. PNYX_ERR_MALFORMED if the name is not valid. */
PNYX_EXPORT pnyx_err pnyx_signer_generate(const char *name, pnyx_signer *out)
	PNYX_WUR;

/* Parses a private key in text form (optionally followed by one '\n').
 * Returns PNYX_OK, or PNYX_ERR_MALFORMED with the reason in diag (never
 * echoing key material) if the text, the name, the hash or the algorithm is
 * wrong. */
PNYX_EXPORT pnyx_err pnyx_signer_parse(const uint8_t *text, size_t n,
				       pnyx_signer *out, pnyx_diag *diag)
	PNYX_WUR;

/* Appends the private key's text form (no newline) to out. */
PNYX_EXPORT pnyx_err pnyx_signer_encode(const pnyx_signer *s, pnyx_buf *out)
	PNYX_WUR;

/* Wipes the secret key and everything else in s. */
PNYX_EXPORT void pnyx_signer_clear(pnyx_signer *s);

/* The verifier key that matches a signer. */
PNYX_EXPORT void pnyx_signer_verifier(const pnyx_signer *s,
				      pnyx_verifier *out);

/* Signs n bytes of msg: writes PNYX_SIG_LEN bytes to sig. */
PNYX_EXPORT void pnyx_signer_sign(const pnyx_signer *s, const uint8_t *msg,
				  size_t n, uint8_t sig[PNYX_SIG_LEN]);

/* Parses a verifier key in text form (optionally followed by one '\n').
 * Returns PNYX_OK, or PNYX_ERR_MALFORMED with the reason in diag. */
PNYX_EXPORT pnyx_err pnyx_verifier_parse(const uint8_t *text, size_t n,
					 pnyx_verifier *out, pnyx_diag *diag)
	PNYX_WUR;

/* Appends the verifier key's text form (no newline) to out. */
PNYX_EXPORT pnyx_err pnyx_verifier_encode(const pnyx_verifier *v,
					  pnyx_buf *out) PNYX_WUR;

/* True if sig (sig_len bytes) is v's valid signature over msg. */
PNYX_EXPORT bool pnyx_verifier_check(const pnyx_verifier *v,
				     const uint8_t *msg, size_t n,
				     const uint8_t *sig, size_t sig_len);

#endif
