/*
 * hpke_tool: the C side of the HPKE interop test with web/hpke.js
 * (tests/hpke_interop.sh runs tests/web/hpke.test.mjs, which calls this).
 *
 *   hpke_tool keygen        prints a fresh key pair: sk, then pk
 *   hpke_tool seal SUITE    reads pk, info, aad, pt; prints enc, then ct
 *   hpke_tool open SUITE    reads sk, enc, info, aad, ct; prints pt
 *
 * SUITE is aes-128-gcm or aes-256-gcm (the AEAD; the KEM and KDF are
 * always DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256). Every value is one
 * line of lowercase hex on stdin or stdout; an empty line is an empty
 * value. Messages are at most MSG_MAX bytes. Exit 0 on success; on any
 * error (bad input, a message that does not authenticate) a line on
 * stderr naming it and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pnyx/hpke.h"

#define MSG_MAX 65536
#define IN_MAX (6 * (2 * MSG_MAX + 64))
#define FIELDS_MAX 5

typedef struct field {
	uint8_t *b;
	size_t len;
} field;

static int fail(const char *what)
{
	fprintf(stderr, "hpke_tool: %s\n", what);
	return 1;
}

/* Reads stdin (at most IN_MAX bytes) into a NUL-terminated buffer. */
static char *read_all(void)
{
	char *in = malloc(IN_MAX + 1);
	if (in == NULL)
		return NULL;
	size_t n = fread(in, 1, IN_MAX + 1, stdin);
	if (n > IN_MAX) {
		free(in);
		return NULL;
	}
	in[n] = '\0';
	return in;
}

/* Decodes the first count lines of hex in into f (each malloc'd, the
 * caller frees). Returns 0, or -1 for a missing line or bad hex. */
static int parse_fields(char *in, field *f, size_t count)
{
	char *p = in;
	for (size_t i = 0; i < count; i++) {
		char *nl = strchr(p, '\n');
		if (nl == NULL)
			return -1;
		size_t hex_len = (size_t)(nl - p), n = 0;
		const char *end = NULL;
		f[i].b = malloc(hex_len / 2 + 1);
		if (f[i].b == NULL || hex_len % 2 != 0 ||
		    sodium_hex2bin(f[i].b, hex_len / 2 + 1, p, hex_len, NULL,
				   &n, &end) != 0 ||
		    end != nl || n * 2 != hex_len)
			return -1;
		f[i].len = n;
		p = nl + 1;
	}
	return 0;
}

static void print_hex(const uint8_t *b, size_t n)
{
	char *x = malloc(2 * n + 1);
	if (x == NULL)
		return;
	sodium_bin2hex(x, 2 * n + 1, b, n);
	printf("%s\n", x);
	free(x);
}

static int keygen(void)
{
	uint8_t sk[PNYX_HPKE_SK_LEN], pk[PNYX_HPKE_PK_LEN];
	if (pnyx_hpke_keypair(sk, pk) != PNYX_OK)
		return fail("key generation failed");
	print_hex(sk, sizeof sk);
	print_hex(pk, sizeof pk);
	sodium_memzero(sk, sizeof sk);
	return 0;
}

/* f: pk, info, aad, pt. */
static int seal(pnyx_hpke_aead aead, const field *f)
{
	if (f[0].len != PNYX_HPKE_PK_LEN || f[3].len > MSG_MAX)
		return fail("seal: pk must be 32 bytes, pt at most 64 KiB");
	uint8_t enc[PNYX_HPKE_ENC_LEN];
	uint8_t *ct = malloc(f[3].len + PNYX_HPKE_TAG_LEN);
	if (ct == NULL)
		return fail("out of memory");
	pnyx_diag d;
	pnyx_err err = pnyx_hpke_seal_base(aead, f[0].b, f[1].b, f[1].len,
					   f[2].b, f[2].len, f[3].b, f[3].len,
					   enc, ct, &d);
	if (err == PNYX_OK) {
		print_hex(enc, sizeof enc);
		print_hex(ct, f[3].len + PNYX_HPKE_TAG_LEN);
	}
	free(ct);
	return err == PNYX_OK ? 0 : fail(d.msg);
}

/* f: sk, enc, info, aad, ct. */
static int open_msg(pnyx_hpke_aead aead, const field *f)
{
	if (f[0].len != PNYX_HPKE_SK_LEN || f[1].len != PNYX_HPKE_ENC_LEN ||
	    f[4].len > MSG_MAX + PNYX_HPKE_TAG_LEN)
		return fail("open: sk and enc must be 32 bytes, ct at most "
			    "64 KiB + 16");
	uint8_t *pt = malloc(f[4].len + 1);
	if (pt == NULL)
		return fail("out of memory");
	pnyx_diag d;
	pnyx_err err = pnyx_hpke_open_base(aead, f[1].b, f[0].b, f[2].b,
					   f[2].len, f[3].b, f[3].len, f[4].b,
					   f[4].len, pt, &d);
	if (err == PNYX_OK)
		print_hex(pt, f[4].len - PNYX_HPKE_TAG_LEN);
	free(pt);
	return err == PNYX_OK ? 0 : fail(d.msg);
}

static int run(const char *cmd, pnyx_hpke_aead aead)
{
	bool is_seal = strcmp(cmd, "seal") == 0;
	size_t count = is_seal ? 4 : 5;
	field f[FIELDS_MAX];
	memset(f, 0, sizeof f);
	char *in = read_all();
	int rc;
	if (in == NULL)
		rc = fail("stdin is too large or unreadable");
	else if (parse_fields(in, f, count) != 0)
		rc = fail("stdin must hold one line of hex per value");
	else
		rc = is_seal ? seal(aead, f) : open_msg(aead, f);
	for (size_t i = 0; i < FIELDS_MAX; i++)
		free(f[i].b);
	free(in);
	return rc;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		return fail("pnyx_init failed");
	if (argc == 2 && strcmp(argv[1], "keygen") == 0)
		return keygen();
	if (argc != 3 || (strcmp(argv[1], "seal") != 0 &&
			  strcmp(argv[1], "open") != 0))
		return fail("usage: hpke_tool keygen | seal SUITE | open SUITE");
	if (strcmp(argv[2], "aes-128-gcm") == 0)
		return run(argv[1], PNYX_HPKE_AES_128_GCM);
	if (strcmp(argv[2], "aes-256-gcm") == 0)
		return run(argv[1], PNYX_HPKE_AES_256_GCM);
	return fail("SUITE must be aes-128-gcm or aes-256-gcm");
}
