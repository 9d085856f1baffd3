/*
 * coop_seal_tool: the C side of the interop test of sealed cooperation
 * bodies with web/hpke.js (tests/coop_seal_interop.sh runs
 * tests/web/coop_seal.test.mjs, which calls this).
 *
 *   coop_seal_tool seal FORUM ACTOR SEQ TYPE MEMBER CONTACT PK [MEMBER CONTACT PK]...
 *       reads a JSON object (the plaintext) on stdin; prints the sealed
 *       body (pnyx_coop_seal) as one line of JSON. PK: base64 X25519
 *       public key.
 *   coop_seal_tool open FORUM ACTOR SEQ TYPE KEYFILE [MEMBER [CONTACT]]
 *       reads a sealed body on stdin; opens it with the contact key file
 *       KEYFILE (pnyx_coop_open); prints the plaintext's canonical JSON.
 *
 * Exit 0 on success; otherwise one line on stderr, "coop_seal_tool:
 * <code>: <sentence>", and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pnyx/coop_seal.h"
#include "pnyx/json.h"
#include "pnyx/text.h"

#define IN_MAX (4u << 20)

static int fail(pnyx_err err, const char *what)
{
	fprintf(stderr, "coop_seal_tool: %s: %s\n", pnyx_err_name(err), what);
	return 1;
}

static json_t *read_json(void)
{
	char *in = malloc(IN_MAX + 1);
	if (in == NULL)
		return NULL;
	size_t n = fread(in, 1, IN_MAX + 1, stdin);
	json_error_t jerr;
	json_t *v = n <= IN_MAX ? json_loadb(in, n, 0, &jerr) : NULL;
	free(in);
	return v;
}

static bool envelope(char **argv, pnyx_coop_envelope *env)
{
	uint64_t seq;
	if (pnyx_parse_u64((const uint8_t *)argv[2], strlen(argv[2]), &seq) !=
	    PNYX_OK)
		return false;
	*env = (pnyx_coop_envelope){argv[0], argv[1], seq, argv[3]};
	return true;
}

static int print_json(const json_t *v)
{
	pnyx_buf b;
	pnyx_buf_init(&b, IN_MAX);
	pnyx_err err = pnyx_json_encode(v, &b);
	if (err == PNYX_OK)
		printf("%.*s\n", (int)b.len, (const char *)b.data);
	pnyx_buf_clear(&b);
	return err == PNYX_OK ? 0 : fail(err, "cannot encode");
}

static int seal(int argc, char **argv)
{
	pnyx_coop_envelope env;
	size_t nr = (size_t)(argc - 4) / 3;
	if (argc < 7 || (argc - 4) % 3 != 0 || nr > PNYX_COOP_RECIPIENTS_MAX ||
	    !envelope(argv, &env))
		return fail(PNYX_ERR_MALFORMED, "usage: seal FORUM ACTOR SEQ "
			    "TYPE (MEMBER CONTACT PK)...");
	pnyx_coop_recipient r[PNYX_COOP_RECIPIENTS_MAX];
	for (size_t i = 0; i < nr; i++) {
		char **a = argv + 4 + 3 * i;
		r[i].member = a[0];
		r[i].contact = a[1];
		if (pnyx_coop_public_key_parse((const uint8_t *)a[2], strlen(a[2]),
					       r[i].pk) != PNYX_OK)
			return fail(PNYX_ERR_MALFORMED, "a public key is not "
				    "32 bytes in base64");
	}
	json_t *pt = read_json(), *sealed = NULL;
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_coop_seal(pt, &env, r, nr, &sealed, &d);
	json_decref(pt);
	if (err != PNYX_OK)
		return fail(err, d.msg);
	int rc = print_json(sealed);
	json_decref(sealed);
	return rc;
}

static int open_sealed(int argc, char **argv)
{
	pnyx_coop_envelope env;
	if (argc < 5 || argc > 7 || !envelope(argv, &env))
		return fail(PNYX_ERR_MALFORMED, "usage: open FORUM ACTOR SEQ TYPE "
			    "KEYFILE [MEMBER [CONTACT]]");
	FILE *f = fopen(argv[4], "rb");
	char text[1024];
	size_t n = f != NULL ? fread(text, 1, sizeof text, f) : 0;
	if (f != NULL)
		fclose(f);
	char name[PNYX_KEY_NAME_MAX + 1];
	uint8_t sk[32], pk[32];
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_coop_key_parse((const uint8_t *)text, n, name, sk,
					   pk, &d);
	if (err != PNYX_OK)
		return fail(err, d.msg);
	json_t *sealed = read_json(), *pt = NULL;
	err = pnyx_coop_open(sealed, &env, argc > 5 ? argv[5] : NULL,
			     argc > 6 ? argv[6] : NULL, sk, &pt, NULL, &d);
	sodium_memzero(sk, sizeof sk);
	json_decref(sealed);
	if (err != PNYX_OK)
		return fail(err, d.msg);
	int rc = print_json(pt);
	json_decref(pt);
	return rc;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		return fail(PNYX_ERR_NOMEM, "cannot start");
	if (argc >= 2 && strcmp(argv[1], "seal") == 0)
		return seal(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "open") == 0)
		return open_sealed(argc - 2, argv + 2);
	return fail(PNYX_ERR_MALFORMED, "usage: coop_seal_tool seal|open ...");
}
