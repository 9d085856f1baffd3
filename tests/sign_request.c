/*
 * sign_request: prints the two header lines that sign a request to the
 * cooperation endpoints (RFC 9421, the profile of docs/COOPERATION.md), for
 * curl -H in the scripted tests (tests/coop_serve.sh), which also need
 * signatures a client would never make: stale, replayed, wrong key.
 *
 *   sign_request KEYFILE KEYID METHOD URL [NONCE [CREATED]]
 *
 * URL is http://authority/path[?query]. NONCE defaults to 22 random
 * base64url characters, CREATED to now. Output:
 *   Signature-Input: pnyx=(...);created=...;keyid="...";nonce="...";alg="ed25519"
 *   Signature: pnyx=:...:
 */
#include "support.h"

#include "pnyx/base64.h"
#include "pnyx/httpsig.h"
#include "pnyx/key.h"
#include "pnyx/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int usage(void)
{
	fputs("usage: sign_request KEYFILE KEYID METHOD URL [NONCE [CREATED]]\n",
	      stderr);
	return 2;
}

/* Splits http://authority/path?query into its parts (in buf). */
static bool split_url(const char *url, char *buf, size_t cap,
		      const char **authority, const char **path,
		      const char **query)
{
	const char *p = strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	if (p == NULL || strlen(p) + 2 > cap)
		return false;
	const char *slash = strchr(p, '/');
	size_t an = slash != NULL ? (size_t)(slash - p) : strlen(p);
	memcpy(buf, p, an);
	buf[an] = 0;
	*authority = buf;
	char *rest = buf + an + 1;
	memcpy(rest, slash != NULL ? slash : "/", strlen(slash != NULL ? slash : "/") + 1);
	*path = rest;
	char *q = strchr(rest, '?');
	*query = NULL;
	if (q != NULL) {
		*q = 0;
		*query = q + 1;
	}
	return true;
}

static void set_params(pnyx_httpsig_params *p, const char *keyid,
		       const char *nonce, uint64_t created)
{
	static const char *const comps[] = {"@method", "@authority", "@path",
					    "@query"};
	memset(p, 0, sizeof *p);
	memcpy(p->label, "pnyx", 5);
	p->ncomponents = 4;
	for (size_t i = 0; i < 4; i++)
		snprintf(p->components[i], sizeof p->components[i], "%s", comps[i]);
	p->created = created;
	snprintf(p->keyid, sizeof p->keyid, "%s", keyid);
	snprintf(p->nonce, sizeof p->nonce, "%s", nonce);
	memcpy(p->alg, "ed25519", 8);
	p->nparams = 4;
	p->order[0] = PNYX_HTTPSIG_P_CREATED;
	p->order[1] = PNYX_HTTPSIG_P_KEYID;
	p->order[2] = PNYX_HTTPSIG_P_NONCE;
	p->order[3] = PNYX_HTTPSIG_P_ALG;
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 7 || sodium_init() < 0)
		return usage();
	size_t n;
	uint8_t *text = test_read_file(argv[1], &n);
	pnyx_signer key;
	if (text == NULL || pnyx_signer_parse(text, n, &key, NULL) != PNYX_OK) {
		fprintf(stderr, "sign_request: %s is not a private key\n", argv[1]);
		return 1;
	}
	free(text);
	char nonce[64];
	if (argc >= 6) {
		snprintf(nonce, sizeof nonce, "%s", argv[5]);
	} else {
		uint8_t raw[16];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(nonce, sizeof nonce, raw, sizeof raw,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	uint64_t created = (uint64_t)time(NULL);
	if (argc == 7 && pnyx_parse_u64((const uint8_t *)argv[6],
					strlen(argv[6]), &created) != PNYX_OK)
		return usage();
	char buf[4096];
	pnyx_httpsig_request req = {.method = argv[3], .scheme = "http"};
	if (!split_url(argv[4], buf, sizeof buf, &req.authority, &req.path,
		       &req.query))
		return usage();
	pnyx_httpsig_params p;
	set_params(&p, argv[2], nonce, created);
	pnyx_buf in, sig;
	pnyx_buf_init(&in, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_buf_init(&sig, PNYX_HTTPSIG_HEADER_MAX);
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_httpsig_sign(&p, &req, &key, &in, &sig, &diag);
	if (err != PNYX_OK) {
		fprintf(stderr, "sign_request: %s\n", diag.msg);
		return 1;
	}
	printf("Signature-Input: %.*s\nSignature: %.*s\n", (int)in.len,
	       (const char *)in.data, (int)sig.len, (const char *)sig.data);
	pnyx_buf_clear(&in);
	pnyx_buf_clear(&sig);
	return 0;
}
