/* What the fuzz targets over signed leaves share (see fuzz_support.h). */
#include "fuzz_support.h"

#include "pnyx/hash.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void fuzz_seeded_signer(const char *seed, const char *id, pnyx_signer *out)
{
	char text[128];
	int n = snprintf(text, sizeof text, "%s/%s", seed, id);
	pnyx_hash h;
	pnyx_sha256(text, (size_t)n, &h);
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "pnyx.test/%s", id);
	CHECK(crypto_sign_seed_keypair(out->pk, out->sk, h.b) == 0);
	out->hash = pnyx_key_hash(out->name, PNYX_KEY_ALG_ED25519, out->pk);
}

json_t *fuzz_vkey(const char *seed, const char *id)
{
	pnyx_signer s;
	fuzz_seeded_signer(seed, id, &s);
	pnyx_verifier v;
	pnyx_signer_verifier(&s, &v);
	pnyx_signer_clear(&s);
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	CHECK(pnyx_verifier_encode(&v, &b) == PNYX_OK);
	json_t *str = json_string((const char *)b.data);
	pnyx_buf_clear(&b);
	CHECK(str != NULL);
	return str;
}

size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **p,
		  size_t *n, size_t max)
{
	static const size_t seplen = sizeof FUZZ_SEPARATOR - 1;
	size_t count = 0, pos = 0;
	while (count < max) {
		const uint8_t *at = size > pos ? memmem(data + pos, size - pos,
							FUZZ_SEPARATOR, seplen)
					       : NULL;
		size_t len = at != NULL ? (size_t)(at - (data + pos)) : size - pos;
		p[count] = data + pos;
		n[count++] = len;
		if (at == NULL)
			break;
		pos += len + seplen;
	}
	return count;
}

bool fuzz_is_signature_verdict(pnyx_rule r)
{
	return r == PNYX_RULE_BAD_SIGNATURE || r == PNYX_RULE_UNKNOWN_KEY ||
	       r == PNYX_RULE_MALFORMED_NOTE || r == PNYX_RULE_MALFORMED_ACTION;
}
