/*
 * pnyx/httpsig.h — HTTP Message Signatures (RFC 9421) with Ed25519 (alg
 * "ed25519", RFC 9421 section 3.3.6), for one signature label per request.
 *
 * The library knows no HTTP: the caller hands over the request as a
 * pnyx_httpsig_request and the values of its Signature-Input and Signature
 * header fields. The profile is strict (docs/FORMATS.md, "Authenticated
 * requests"):
 *   - each header value holds exactly one dictionary member, the same label
 *     in both, in the canonical RFC 8941 serialisation (no optional white
 *     space, one SP between inner-list items, integers without leading
 *     zeros), so that the "@signature-params" line is the received bytes;
 *   - covered components are lowercase sf-strings without parameters, at
 *     most PNYX_HTTPSIG_MAX_COMPONENTS, no duplicates: the derived
 *     components "@method", "@target-uri", "@authority", "@scheme",
 *     "@request-target", "@path", "@query", or header field names;
 *   - the parameters are created, expires (non-negative integers), keyid,
 *     alg, nonce, tag (sf-strings), each at most once; any other parameter
 *     is refused; alg, when present, must be "ed25519";
 *   - the signature is a Byte Sequence of exactly 64 bytes.
 * The library reads no clock: time comes in as pnyx_httpsig_policy.now.
 * All functions are thread-safe on distinct arguments.
 */
#ifndef PNYX_HTTPSIG_H
#define PNYX_HTTPSIG_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/key.h"

#define PNYX_HTTPSIG_MAX_COMPONENTS 16
#define PNYX_HTTPSIG_NAME_MAX 64     /* bytes of a component identifier */
#define PNYX_HTTPSIG_LABEL_MAX 64    /* bytes of a dictionary key */
#define PNYX_HTTPSIG_STR_MAX 128     /* bytes of keyid, alg, nonce, tag */
#define PNYX_HTTPSIG_HEADER_MAX 4096 /* bytes of one header value */
#define PNYX_HTTPSIG_BASE_MAX 65536  /* bytes of a signature base */

/* The signature parameters, in the order they were received (order[]). */
typedef enum pnyx_httpsig_param {
	PNYX_HTTPSIG_P_CREATED,
	PNYX_HTTPSIG_P_EXPIRES,
	PNYX_HTTPSIG_P_KEYID,
	PNYX_HTTPSIG_P_ALG,
	PNYX_HTTPSIG_P_NONCE,
	PNYX_HTTPSIG_P_TAG,
	PNYX_HTTPSIG_P__COUNT
} pnyx_httpsig_param;

/* One parsed Signature-Input member (plain data, caller-owned). To sign,
 * fill label, components and the parameters, and list in order[] (nparams
 * entries) the parameters to serialise, in that order. */
typedef struct pnyx_httpsig_params {
	char label[PNYX_HTTPSIG_LABEL_MAX + 1];
	size_t ncomponents;
	char components[PNYX_HTTPSIG_MAX_COMPONENTS][PNYX_HTTPSIG_NAME_MAX + 1];
	size_t nparams;
	pnyx_httpsig_param order[PNYX_HTTPSIG_P__COUNT];
	uint64_t created;
	uint64_t expires;
	char keyid[PNYX_HTTPSIG_STR_MAX + 1];
	char alg[PNYX_HTTPSIG_STR_MAX + 1];
	char nonce[PNYX_HTTPSIG_STR_MAX + 1];
	char tag[PNYX_HTTPSIG_STR_MAX + 1];
} pnyx_httpsig_params;

/* One header field line; names match case-insensitively. */
typedef struct pnyx_httpsig_field {
	const char *name;  /* NUL-terminated */
	const char *value; /* NUL-terminated, as received */
} pnyx_httpsig_field;

/* The request, borrowed. method e.g. "GET"; scheme "https"; authority
 * "example.com:8443"; path "/foo" (empty means "/"); query without its '?',
 * NULL when the target has none. */
typedef struct pnyx_httpsig_request {
	const char *method;
	const char *scheme;
	const char *authority;
	const char *path;
	const char *query;
	const pnyx_httpsig_field *fields;
	size_t nfields;
} pnyx_httpsig_request;

/* Verifier's policy. required[] lists components that must be covered;
 * an entry "a|b" is satisfied by either. created is always required: it
 * may be at most max_skew seconds after now and at most max_age seconds
 * before it; expires, when present, must not be before now. */
typedef struct pnyx_httpsig_policy {
	const char *const *required;
	size_t nrequired;
	uint64_t now;      /* seconds since the Unix epoch */
	uint64_t max_skew; /* seconds */
	uint64_t max_age;  /* seconds */
} pnyx_httpsig_policy;

/* Why a verification failed, finer than pnyx_err. */
typedef enum pnyx_httpsig_reason {
	PNYX_HTTPSIG_OK = 0,
	PNYX_HTTPSIG_MALFORMED,     /* a request part is malformed, or the
	                               base could not be built (memory) */
	PNYX_HTTPSIG_UNSUPPORTED,   /* alg is not ed25519 */
	PNYX_HTTPSIG_FIELD_MISSING, /* a covered header is not in the request */
	PNYX_HTTPSIG_NOT_COVERED,   /* a required component is not covered */
	PNYX_HTTPSIG_NO_CREATED,    /* the created parameter is absent */
	PNYX_HTTPSIG_FUTURE,        /* created is beyond now + max_skew */
	PNYX_HTTPSIG_TOO_OLD,       /* created is before now - max_age */
	PNYX_HTTPSIG_EXPIRED,       /* expires is before now */
	PNYX_HTTPSIG_BAD_SIGNATURE  /* the signature does not verify */
} pnyx_httpsig_reason;

/* Parses the Signature-Input value (input, n bytes) and the Signature value
 * (sig, sig_n bytes). Writes *params and the 64 signature bytes on success.
 * Returns PNYX_OK; PNYX_ERR_TOO_LARGE if a value exceeds
 * PNYX_HTTPSIG_HEADER_MAX; PNYX_ERR_MALFORMED with a sentence in diag for
 * anything outside the profile above. */
PNYX_EXPORT pnyx_err pnyx_httpsig_parse(const uint8_t *input, size_t n,
					const uint8_t *sig, size_t sig_n,
					pnyx_httpsig_params *params,
					uint8_t sig_out[PNYX_SIG_LEN],
					pnyx_diag *diag) PNYX_WUR;

/* Appends the serialised signature parameters (the inner list and its
 * parameters in order[], the value of "@signature-params") to out.
 * PNYX_ERR_MALFORMED if params break the profile; PNYX_ERR_NOMEM /
 * PNYX_ERR_TOO_LARGE from out. */
PNYX_EXPORT pnyx_err pnyx_httpsig_params_encode(
	const pnyx_httpsig_params *params, pnyx_buf *out,
	pnyx_diag *diag) PNYX_WUR;

/* Appends the signature base (RFC 9421 section 2.5) of req for params to
 * out: one line `"name": value` per covered component, LF-separated, then
 * the "@signature-params" line, no final LF. PNYX_ERR_NOT_FOUND if a
 * covered header is absent; PNYX_ERR_MALFORMED if a request part or a
 * header value holds a control character; PNYX_ERR_NOMEM/TOO_LARGE. */
PNYX_EXPORT pnyx_err pnyx_httpsig_base(const pnyx_httpsig_params *params,
				       const pnyx_httpsig_request *req,
				       pnyx_buf *out, pnyx_diag *diag) PNYX_WUR;

/* Signs req with s for params (label, components, parameters set by the
 * caller) and appends the Signature-Input value to input_out and the
 * Signature value to sig_out. Errors as pnyx_httpsig_base; outputs may be
 * partly written on error. */
PNYX_EXPORT pnyx_err pnyx_httpsig_sign(const pnyx_httpsig_params *params,
				       const pnyx_httpsig_request *req,
				       const pnyx_signer *s,
				       pnyx_buf *input_out, pnyx_buf *sig_out,
				       pnyx_diag *diag) PNYX_WUR;

/* Verifies a parsed signature over req with v under policy. Returns PNYX_OK;
 * PNYX_ERR_MISMATCH for a policy failure (not covered, no created, future,
 * too old, expired, unsupported alg); PNYX_ERR_NOT_FOUND or
 * PNYX_ERR_MALFORMED from building the base; PNYX_ERR_BAD_SIGNATURE if the
 * signature does not verify. *reason (may be NULL) tells which; diag says
 * it in a sentence. Policy is checked before the signature. */
PNYX_EXPORT pnyx_err pnyx_httpsig_verify(const pnyx_httpsig_params *params,
					 const uint8_t sig[PNYX_SIG_LEN],
					 const pnyx_httpsig_request *req,
					 const pnyx_verifier *v,
					 const pnyx_httpsig_policy *policy,
					 pnyx_httpsig_reason *reason,
					 pnyx_diag *diag) PNYX_WUR;

#endif
