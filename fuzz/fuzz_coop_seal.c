/*
 * Fuzz target for pnyx/coop_seal.h: the input is parsed as JSON and opened
 * as a sealed body (pnyx_coop_open) with a fixed contact key, once for any
 * entry and once for the entries of member FRA, under a fixed envelope;
 * and it is parsed as a contact key file (pnyx_coop_key_parse), which
 * must re-encode to the same bytes. Whatever opens must be the one
 * message the corpus holds sealed to that key (fuzz/corpus/coop_seal/
 * valid): anything else would be a forgery.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/coop_seal.h"
#include "pnyx/json.h"

/* DeriveKeyPair input of the fixed contact key (a test key). */
#define FUZZ_IKM "pnyx fuzz_coop_seal contact key!"
#define FUZZ_TEXT "the one message sealed to the fuzz contact key"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_opened(json_t *pt)
{
	const char *text = json_string_value(json_object_get(pt, "text"));
	if (json_object_size(pt) != 1 || text == NULL ||
	    strcmp(text, FUZZ_TEXT) != 0)
		abort(); /* a forgery opened */
	json_decref(pt);
}

static void open_sealed(const uint8_t *data, size_t size)
{
	static const pnyx_coop_envelope env = {"oewg", "KEN", 2, "request.send"};
	uint8_t sk[PNYX_HPKE_SK_LEN], pk[PNYX_HPKE_PK_LEN];
	if (pnyx_hpke_derive_keypair((const uint8_t *)FUZZ_IKM,
				     sizeof FUZZ_IKM - 1, sk, pk, NULL) != PNYX_OK)
		abort();
	json_error_t jerr;
	json_t *sealed = json_loadb((const char *)data, size, 0, &jerr);
	json_t *pt = NULL;
	if (pnyx_coop_open(sealed, &env, NULL, NULL, sk, &pt, NULL, NULL) == PNYX_OK)
		check_opened(pt);
	pt = NULL;
	if (pnyx_coop_open(sealed, &env, "FRA", NULL, sk, &pt, NULL, NULL) == PNYX_OK)
		check_opened(pt);
	json_decref(sealed);
}

static void parse_key(const uint8_t *data, size_t size)
{
	char name[PNYX_KEY_NAME_MAX + 1];
	uint8_t sk[PNYX_HPKE_SK_LEN], pk[PNYX_HPKE_PK_LEN];
	if (pnyx_coop_key_parse(data, size, name, sk, pk, NULL) != PNYX_OK)
		return;
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	if (pnyx_coop_key_encode(name, sk, &b) != PNYX_OK ||
	    b.len < size || b.len > size + 1 || memcmp(b.data, data, size) != 0)
		abort(); /* what parses must be the canonical form */
	pnyx_buf_clear(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		if (pnyx_init() != PNYX_OK)
			abort();
		ready = true;
	}
	open_sealed(data, size);
	parse_key(data, size);
	return 0;
}
