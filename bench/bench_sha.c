/*
 * bench_sha: the SHA-256 implementations pnyx could use, on 65-byte inputs
 * (the size of a Merkle node: 0x01 || left || right), one core.
 *
 *   bench_sha ROUNDS REPEAT
 *
 *   pnyx    pnyx_sha256: OpenSSL's SHA256_Init/Update/Final (src/lib/hash.c)
 *   evp     OpenSSL 3 EVP_DigestInit_ex/Update/Final_ex with the digest
 *           fetched once and the context reused (EVP's best case)
 *   sodium  libsodium's crypto_hash_sha256 (portable C)
 *
 * Each chains its output into bytes 1..32 of the next input, so every
 * variant computes the same chain; all must print the same final hash.
 * Output: "<name>.per_s N" and "<name>.final HEX"; best of REPEAT runs.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "pnyx/hash.h"

typedef struct evp_ctx {
	EVP_MD_CTX *ctx;
	EVP_MD *md;
} evp_ctx;

typedef void (*hash_fn)(void *ctx, const uint8_t *in, size_t n, uint8_t *out);

static void hash_pnyx(void *ctx, const uint8_t *in, size_t n, uint8_t *out)
{
	(void)ctx;
	pnyx_hash h;
	pnyx_sha256(in, n, &h);
	memcpy(out, h.b, PNYX_HASH_LEN);
}

static void hash_evp(void *ctx, const uint8_t *in, size_t n, uint8_t *out)
{
	evp_ctx *e = ctx;
	unsigned len = 0;
	if (EVP_DigestInit_ex(e->ctx, e->md, NULL) != 1 ||
	    EVP_DigestUpdate(e->ctx, in, n) != 1 ||
	    EVP_DigestFinal_ex(e->ctx, out, &len) != 1 || len != 32)
		bench_fail("EVP SHA-256", PNYX_ERR_MISMATCH);
}

static void hash_sodium(void *ctx, const uint8_t *in, size_t n, uint8_t *out)
{
	(void)ctx;
	crypto_hash_sha256(out, in, n);
}

static void bench_one(const char *name, hash_fn f, void *ctx,
		      uint64_t rounds, unsigned repeat)
{
	uint8_t buf[65];
	double best = 0;
	for (unsigned r = 0; r < repeat; r++) {
		memset(buf, 0, sizeof buf);
		buf[0] = 0x01;
		double t0 = bench_now();
		for (uint64_t k = 0; k < rounds; k++) {
			uint8_t h[32];
			f(ctx, buf, sizeof buf, h);
			memcpy(buf + 1, h, sizeof h);
		}
		double d = bench_now() - t0;
		best = (r == 0 || d < best) ? d : best;
	}
	pnyx_hash final;
	memcpy(final.b, buf + 1, PNYX_HASH_LEN);
	char key[32];
	(void)snprintf(key, sizeof key, "%s.per_s", name);
	printf("%s %.0f\n", key, (double)rounds / best);
	(void)snprintf(key, sizeof key, "%s.final", name);
	bench_report_hash(key, &final);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_sha ROUNDS REPEAT\n");
		return 2;
	}
	uint64_t rounds = bench_arg(argv[1]), repeat = bench_arg(argv[2]);
	if (rounds < 1 || repeat < 1 || repeat > 100) {
		fprintf(stderr, "bench_sha: ROUNDS >= 1, 1 <= REPEAT <= 100\n");
		return 2;
	}
	if (pnyx_init() != PNYX_OK)
		bench_fail("init", PNYX_ERR_NOMEM);
	evp_ctx e = {EVP_MD_CTX_new(), EVP_MD_fetch(NULL, "SHA256", NULL)};
	if (e.ctx == NULL || e.md == NULL)
		bench_fail("EVP setup", PNYX_ERR_NOMEM);
	bench_one("pnyx", hash_pnyx, NULL, rounds, (unsigned)repeat);
	bench_one("evp", hash_evp, &e, rounds, (unsigned)repeat);
	bench_one("sodium", hash_sodium, NULL, rounds, (unsigned)repeat);
	EVP_MD_free(e.md);
	EVP_MD_CTX_free(e.ctx);
	return 0;
}
