/*
 * pnyx/hash.h — SHA-256, the one hash of every format Pnyx speaks.
 *
 * Built on OpenSSL libcrypto's SHA-256, which uses the CPU's SHA extensions
 * (about 10.8M 65-byte hashes per second per core on our machines against
 * 2.5M for libsodium's portable code; see docs/PERFORMANCE.md). Merkle
 * hashing is the hot path of the log, so this choice is deliberate.
 */
#ifndef PNYX_HASH_H
#define PNYX_HASH_H

#include "pnyx/common.h"

#define PNYX_HASH_LEN 32

/* A SHA-256 value, passed by value or pointer like any small struct. */
typedef struct pnyx_hash {
	uint8_t b[PNYX_HASH_LEN];
} pnyx_hash;

/* Incremental SHA-256 state, owned by the caller. Large enough for
 * OpenSSL's SHA256_CTX (checked at compile time in hash.c). */
typedef struct pnyx_sha256 {
	_Alignas(8) uint8_t opaque[112];
} pnyx_sha256_ctx;

/* Starts, feeds and finishes an incremental hash. p may be NULL if n is 0.
 * After final, the state must be started again before reuse. */
PNYX_EXPORT void pnyx_sha256_start(pnyx_sha256_ctx *s);
PNYX_EXPORT void pnyx_sha256_update(pnyx_sha256_ctx *s, const void *p, size_t n);
PNYX_EXPORT void pnyx_sha256_final(pnyx_sha256_ctx *s, pnyx_hash *out);

/* SHA-256 of n bytes at p, in one call. */
PNYX_EXPORT void pnyx_sha256(const void *p, size_t n, pnyx_hash *out);

/* True if two hashes are equal (constant time). */
PNYX_EXPORT bool pnyx_hash_eq(const pnyx_hash *a, const pnyx_hash *b);

#endif
