/*
 * Proofs as the HTTP API gives them (a JSON list of base64 hashes), and an
 * entry of the cooperation log checked against the proof and signed
 * checkpoint of GET /v1/cooperation/entries/{N} (cli_proof.c): shared by
 * pnyx inbox and pnyx verify.
 */
#ifndef PNYX_CLI_PROOF_H
#define PNYX_CLI_PROOF_H

#include "pnyx/checkpoint.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"
#include "pnyx/merkle.h"

#include <jansson.h>

/* Decodes list (a JSON array of base64 hashes, at most
 * PNYX_MERKLE_MAX_PROOF) into out and *n. False if it is anything else. */
bool cli_proof_hashes(const json_t *list, pnyx_hash out[PNYX_MERKLE_MAX_PROOF],
		      size_t *n);

/* Checks that leaf (n bytes) is entry index of a log whose checkpoints key
 * signs, by resp's "checkpoint" (the signed note) and "proof". True and
 * *cp (its extension lines not kept); false with a sentence in *why. */
bool cli_entry_proved(const json_t *resp, const pnyx_verifier *key,
		      const uint8_t *leaf, size_t n, uint64_t index,
		      pnyx_checkpoint *cp, const char **why);

#endif
