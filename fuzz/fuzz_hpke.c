/*
 * Fuzz target for pnyx/hpke.h: the input is an encapsulated key (its first
 * 32 bytes) and a ciphertext (the rest), opened with pnyx_hpke_open_base
 * for a fixed recipient key, info and aad with AES-256-GCM, then again
 * through a recipient context as messages 0 and 1. Any input is refused
 * or opens; what opens must be the one message the corpus holds sealed to
 * that key (fuzz/corpus/hpke/valid), since anything else would be a
 * forgery.
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/hpke.h"

/* DeriveKeyPair input of the fixed recipient key (a test key). */
#define FUZZ_IKM "pnyx fuzz_hpke recipient key ikm"
#define FUZZ_INFO "pnyx fuzz_hpke"
#define FUZZ_AAD "message 0"
#define FUZZ_PLAINTEXT "the one message sealed to the fuzz key"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_opened(const uint8_t *pt, size_t n)
{
	if (n != sizeof FUZZ_PLAINTEXT - 1 ||
	    memcmp(pt, FUZZ_PLAINTEXT, n) != 0)
		abort(); /* a forgery opened */
}

static void open_in_context(const uint8_t sk[32], const uint8_t *data,
			    size_t size, uint8_t *pt)
{
	pnyx_hpke_ctx ctx;
	if (pnyx_hpke_setup_r(PNYX_HPKE_AES_256_GCM, data, sk,
			      (const uint8_t *)FUZZ_INFO,
			      sizeof FUZZ_INFO - 1, &ctx, NULL) != PNYX_OK)
		return;
	for (int i = 0; i < 2; i++) {
		uint64_t seq = ctx.seq;
		if (pnyx_hpke_open(&ctx, (const uint8_t *)FUZZ_AAD,
				   sizeof FUZZ_AAD - 1, data + 32, size - 32,
				   pt, NULL) == PNYX_OK) {
			check_opened(pt, size - 32 - PNYX_HPKE_TAG_LEN);
			if (ctx.seq != seq + 1)
				abort();
		} else if (ctx.seq != seq) {
			abort(); /* a refusal changed the context */
		}
	}
	pnyx_hpke_ctx_clear(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (pnyx_init() != PNYX_OK)
		abort();
	uint8_t sk[32], pk[32];
	if (pnyx_hpke_derive_keypair((const uint8_t *)FUZZ_IKM,
				     sizeof FUZZ_IKM - 1, sk, pk,
				     NULL) != PNYX_OK)
		abort();
	if (size < PNYX_HPKE_ENC_LEN)
		return 0;
	uint8_t *pt = malloc(size - 32 + 1);
	if (pt == NULL)
		abort();
	if (pnyx_hpke_open_base(PNYX_HPKE_AES_256_GCM, data, sk,
				(const uint8_t *)FUZZ_INFO,
				sizeof FUZZ_INFO - 1,
				(const uint8_t *)FUZZ_AAD,
				sizeof FUZZ_AAD - 1, data + 32, size - 32, pt,
				NULL) == PNYX_OK)
		check_opened(pt, size - 32 - PNYX_HPKE_TAG_LEN);
	open_in_context(sk, data, size, pt);
	free(pt);
	return 0;
}
