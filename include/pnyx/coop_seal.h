/*
 * pnyx/coop_seal.h — the encrypted body ("sealed") of cooperation actions
 * (docs/COOPERATION.md, "The encrypted body"), and the file that holds a
 * point of contact's X25519 private key (docs/FORMATS.md, "Contact keys").
 *
 * A plaintext (a JSON object, encoded canonically, at most
 * PNYX_COOP_PLAINTEXT_MAX bytes) is encrypted once with AES-256-GCM under a
 * random 32-byte content key (nonce 12 zero bytes: the key encrypts one
 * message), and the content key is sealed to each recipient with HPKE base
 * mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (pnyx/hpke.h),
 * single-shot, with
 *   info = "pnyx-coop v1"
 *   aad  = "<forum>\n<actor>\n<seq>\n<type>"   (the carrying action's envelope)
 * (the same aad for the body), giving
 *   {"ct": body, "recipients":[{"contact","enc","key","member"}, ...]}
 * (ct, enc (32 bytes) and key (48 bytes) in standard base64).
 *
 * Values are jansson's json_t (new references are released with
 * json_decref). Plaintext buffers are wiped before they are freed; the
 * library allocator (pnyx/mem.h) holds every temporary. Thread-safe on
 * distinct arguments.
 */
#ifndef PNYX_COOP_SEAL_H
#define PNYX_COOP_SEAL_H

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/hpke.h"
#include "pnyx/key.h"

#define PNYX_COOP_INFO "pnyx-coop v1"
#define PNYX_COOP_PLAINTEXT_MAX 40000u /* bytes of the canonical plaintext:
					   the action must fit a log entry */
#define PNYX_COOP_RECIPIENTS_MAX 16
#define PNYX_COOP_NAME_MAX 200 /* bytes of a member or contact id */
#define PNYX_COOP_KEY_PREFIX "PRIVATE+X25519+"

/* The envelope of the action that carries a sealed body (borrowed
 * NUL-terminated strings); it becomes the aad. */
typedef struct pnyx_coop_envelope {
	const char *forum;
	const char *actor;
	uint64_t seq;
	const char *type;
} pnyx_coop_envelope;

/* One recipient: a member's contact and its X25519 public key. member and
 * contact are borrowed, NUL-terminated. */
typedef struct pnyx_coop_recipient {
	const char *member;
	const char *contact;
	uint8_t pk[PNYX_HPKE_PK_LEN];
} pnyx_coop_recipient;

/* Appends the aad of env ("<forum>\n<actor>\n<seq>\n<type>") to out.
 * PNYX_OK, or the error of out (PNYX_ERR_NOMEM, PNYX_ERR_TOO_LARGE). */
PNYX_EXPORT pnyx_err pnyx_coop_aad(const pnyx_coop_envelope *env,
				   pnyx_buf *out) PNYX_WUR;

/* Seals plaintext (a JSON object, borrowed) for the nr recipients r[] under
 * the envelope env. On PNYX_OK *out is a new object {"ct", "recipients"},
 * the entries in the order of r[]. Errors (nothing written):
 * PNYX_ERR_MALFORMED when plaintext is not an object, nr is 0 or above
 * PNYX_COOP_RECIPIENTS_MAX, a member or contact is empty or longer than
 * PNYX_COOP_NAME_MAX, the same contact of a member is named twice, or a
 * public key is not a usable X25519 key; PNYX_ERR_TOO_LARGE when the
 * canonical plaintext exceeds PNYX_COOP_PLAINTEXT_MAX bytes;
 * PNYX_ERR_NOMEM. A sentence in diag (may be NULL). */
PNYX_EXPORT pnyx_err pnyx_coop_seal(const json_t *plaintext,
				    const pnyx_coop_envelope *env,
				    const pnyx_coop_recipient *r, size_t nr,
				    json_t **out, pnyx_diag *diag) PNYX_WUR;

/* Opens sealed (the "sealed" member of an action, borrowed) with the
 * contact private key sk under the envelope env. member and contact (each
 * may be NULL) choose the recipient entries to try: those of that member,
 * and of that contact; every entry when both are NULL. The first entry
 * that authenticates gives the plaintext: on PNYX_OK *out is a new
 * reference to it (a canonical JSON object) and, if which is not NULL,
 * *which is the index of that entry. Errors (nothing written):
 *   PNYX_ERR_MALFORMED   sealed is not a well-formed sealed body (ct of
 *                        at least 16 bytes; 1 to 16 entries with member,
 *                        contact, enc of 32 bytes and key of 48, in
 *                        base64), or the plaintext is not one canonical
 *                        JSON object;
 *   PNYX_ERR_NOT_FOUND   no entry is addressed to that member (contact);
 *   PNYX_ERR_BAD_SIGNATURE  no chosen entry authenticates with sk: "the
 *                        encrypted message does not authenticate: it was
 *                        changed, or it is not addressed to this key";
 *   PNYX_ERR_NOMEM.
 * A sentence in diag (may be NULL). */
PNYX_EXPORT pnyx_err pnyx_coop_open(const json_t *sealed,
				    const pnyx_coop_envelope *env,
				    const char *member, const char *contact,
				    const uint8_t sk[PNYX_HPKE_SK_LEN],
				    json_t **out, size_t *which,
				    pnyx_diag *diag) PNYX_WUR;

/* Appends the text of a contact key file to out:
 * "PRIVATE+X25519+<name>+<base64 of the 32-byte private key>\n". name is a
 * key name (pnyx_key_name_is_valid: 1 to 255 bytes of UTF-8, no white
 * space, no '+'). PNYX_ERR_MALFORMED for a bad name; out's errors. */
PNYX_EXPORT pnyx_err pnyx_coop_key_encode(const char *name,
					  const uint8_t sk[PNYX_HPKE_SK_LEN],
					  pnyx_buf *out) PNYX_WUR;

/* Parses the n bytes of a contact key file (the form above; one final
 * newline allowed, nothing else after the key). On PNYX_OK writes the
 * name (NUL-terminated), the private key and its public key. Errors
 * (nothing written): PNYX_ERR_MALFORMED with a sentence in diag. The
 * caller wipes sk (sodium_memzero) when done. */
PNYX_EXPORT pnyx_err pnyx_coop_key_parse(const uint8_t *text, size_t n,
					 char name[PNYX_KEY_NAME_MAX + 1],
					 uint8_t sk[PNYX_HPKE_SK_LEN],
					 uint8_t pk[PNYX_HPKE_PK_LEN],
					 pnyx_diag *diag) PNYX_WUR;

/* Decodes the base64 text of an X25519 public key (n bytes, exactly 32
 * once decoded) into pk. PNYX_OK or PNYX_ERR_MALFORMED (pk untouched). */
PNYX_EXPORT pnyx_err pnyx_coop_public_key_parse(const uint8_t *text, size_t n,
						uint8_t pk[PNYX_HPKE_PK_LEN])
	PNYX_WUR;

#endif
