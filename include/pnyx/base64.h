/*
 * pnyx/base64.h — standard base64 (RFC 4648 section 4, with padding), the
 * encoding every C2SP format uses, on top of libsodium's constant-time codec.
 * Decoding is strict: padding required, no whitespace, no other alphabet,
 * unused trailing bits zero, so that every value has one encoding.
 */
#ifndef PNYX_BASE64_H
#define PNYX_BASE64_H

#include "pnyx/common.h"
#include "pnyx/hash.h"

/* Length of the base64 of one SHA-256 hash: 44 characters. */
#define PNYX_HASH_B64_LEN 44

/* Length of the encoding of n bytes, without a terminating NUL. */
PNYX_EXPORT size_t pnyx_base64_len(size_t n);

/* Encodes n bytes of p into out, which must hold pnyx_base64_len(n) + 1
 * bytes (cap); out is NUL-terminated. Returns the encoded length. */
PNYX_EXPORT size_t pnyx_base64_encode(const uint8_t *p, size_t n, char *out,
				      size_t cap);

/* Decodes the n characters at s into out (capacity cap). Returns PNYX_OK and
 * sets *out_len, or PNYX_ERR_MALFORMED for anything not canonical base64 or
 * longer than cap once decoded. */
PNYX_EXPORT pnyx_err pnyx_base64_decode(const uint8_t *s, size_t n,
					uint8_t *out, size_t cap,
					size_t *out_len) PNYX_WUR;

/* Decodes the base64 of exactly one hash (PNYX_HASH_B64_LEN characters).
 * Returns PNYX_OK, or PNYX_ERR_MALFORMED, leaving *out untouched. */
PNYX_EXPORT pnyx_err pnyx_base64_decode_hash(const uint8_t *s, size_t n,
					     pnyx_hash *out) PNYX_WUR;

#endif
