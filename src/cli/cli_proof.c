/* Proofs from the HTTP API, and proved entries (see cli_proof.h). */
#include "cli_proof.h"

#include "pnyx/base64.h"
#include "pnyx/note.h"

#define CHECKPOINT_MAX 8192u

bool cli_proof_hashes(const json_t *list, pnyx_hash out[PNYX_MERKLE_MAX_PROOF],
		      size_t *n)
{
	size_t i;
	const json_t *h;
	if (!json_is_array(list) || json_array_size(list) > PNYX_MERKLE_MAX_PROOF)
		return false;
	json_array_foreach(list, i, h)
		if (!json_is_string(h) ||
		    pnyx_base64_decode_hash((const uint8_t *)json_string_value(h),
					    json_string_length(h), &out[i]) != PNYX_OK)
			return false;
	*n = json_array_size(list);
	return true;
}

/* The signed checkpoint text t, opened with key and parsed into *cp. */
static bool open_checkpoint(const json_t *t, const pnyx_verifier *key,
			    pnyx_checkpoint *cp)
{
	const uint8_t *text = (const uint8_t *)json_string_value(t);
	pnyx_note note = {0};
	bool ok = text != NULL &&
		  pnyx_note_open(text, json_string_length(t), CHECKPOINT_MAX, key,
				 1, &note, NULL) == PNYX_OK &&
		  pnyx_checkpoint_parse(note.text, note.text_len, cp, NULL) ==
			  PNYX_OK;
	cp->ext = NULL; /* it pointed into the note */
	cp->ext_len = 0;
	pnyx_note_clear(&note);
	return ok;
}

bool cli_entry_proved(const json_t *resp, const pnyx_verifier *key,
		      const uint8_t *leaf, size_t n, uint64_t index,
		      pnyx_checkpoint *cp, const char **why)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], h;
	size_t np = 0;
	if (!open_checkpoint(json_object_get(resp, "checkpoint"), key, cp)) {
		*why = "the checkpoint is not signed with the cooperation log's key";
		return false;
	}
	if (!cli_proof_hashes(json_object_get(resp, "proof"), proof, &np)) {
		*why = "the inclusion proof is malformed";
		return false;
	}
	pnyx_merkle_leaf_hash(leaf, n, &h);
	if (pnyx_merkle_verify_inclusion(&h, index, cp->size, proof, np,
					 &cp->root) != PNYX_OK) {
		*why = "the inclusion proof does not verify";
		return false;
	}
	return true;
}
