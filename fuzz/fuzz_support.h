/*
 * What the fuzz targets over signed leaves share (fuzz_action.c,
 * fuzz_coop.c): the abort-on-failure check, actors' keys derived from a
 * fixed seed, the input split into leaves, and which verdicts depend on
 * whether signatures are checked.
 */
#ifndef PNYX_FUZZ_SUPPORT_H
#define PNYX_FUZZ_SUPPORT_H

#include "pnyx/engine.h"
#include "pnyx/key.h"

#include <jansson.h>
#include <stdlib.h>

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/* The separator of leaves in an input. */
#define FUZZ_SEPARATOR "~~~ next leaf ~~~\n"

/* The key of actor id: Ed25519 seed SHA-256("<seed>/<id>"), name
 * "pnyx.test/<id>". */
void fuzz_seeded_signer(const char *seed, const char *id, pnyx_signer *out);

/* The verifier key text of that key, as a new JSON string. */
json_t *fuzz_vkey(const char *seed, const char *id);

/* Splits data (size bytes) at FUZZ_SEPARATOR into at most max pieces
 * (p[i], n[i]); returns their number (at least 1). */
size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **p,
		  size_t *n, size_t max);

/* Verdicts a state that trusts signatures may not give where a checking
 * one does (or the reverse): signature and note-level refusals. */
bool fuzz_is_signature_verdict(pnyx_rule r);

#endif
