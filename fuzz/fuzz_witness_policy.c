/*
 * Fuzz target for pnyx_witness_policy_parse: arbitrary bytes parsed as a
 * forum's witness policy ("quorum K", "witness KEY [URL]" lines). A policy
 * that parses must satisfy the contract: 1 <= k <= n <= the maximum, every
 * key a witness (0x04) key, names unique, URLs empty or http(s) without
 * spaces or control characters.
 */
#include "pnyx/cosignature.h"
#include "pnyx/witness_policy.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

static void check_witness(const pnyx_witness_policy *p, size_t i)
{
	const pnyx_policy_witness *w = &p->w[i];
	CHECK(w->key.alg == PNYX_KEY_ALG_COSIG_V1);
	size_t n = strnlen(w->url, sizeof w->url);
	CHECK(n < sizeof w->url);
	CHECK(n == 0 || strncmp(w->url, "http://", 7) == 0 ||
	      strncmp(w->url, "https://", 8) == 0);
	for (size_t j = 0; j < n; j++)
		CHECK(w->url[j] > 0x20 && w->url[j] < 0x7f);
	for (size_t j = 0; j < i; j++)
		CHECK(strcmp(p->w[j].key.name, w->key.name) != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	pnyx_witness_policy p;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_policy_parse(size ? data : NULL, size, &p,
						 &diag);
	CHECK(err == PNYX_OK || err == PNYX_ERR_MALFORMED ||
	      err == PNYX_ERR_TOO_LARGE);
	CHECK(memchr(diag.msg, 0, sizeof diag.msg) != NULL);
	CHECK(err == PNYX_OK || diag.msg[0] != 0);
	if (err != PNYX_OK)
		return 0;
	CHECK(p.n >= 1 && p.n <= PNYX_POLICY_WITNESSES_MAX);
	CHECK(p.k >= 1 && p.k <= p.n);
	for (size_t i = 0; i < p.n; i++)
		check_witness(&p, i);
	return 0;
}
