/*
 * pnyx inbox: the proof that an entry is in the cooperation log (inbox.h,
 * inbox_check_inclusion): the checkpoint signed with the cooperation log's
 * key from the public record, and an RFC 9162 inclusion proof.
 */
#include "inbox.h"

#include "cli_text.h"

#include "pnyx/base64.h"
#include "pnyx/checkpoint.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define CHECKPOINT_MAX 8192u

static bool fail(json_t *step, const char *why, uint64_t index)
{
	char msg[300];
	snprintf(msg, sizeof msg, "entry %" PRIu64 " is not proved to be in the "
		 "cooperation log: %s", index, why);
	json_object_set_new(step, "error", json_string(msg));
	return false;
}

/* The cooperation log's key: the key of the actor "cooperation" (kind
 * "log") on the public record. */
static bool load_log_key(inbox_reader *ir)
{
	if (ir->have_log_key)
		return true;
	long status;
	json_t *r = NULL;
	pnyx_diag d = {{0}};
	if (!http_get_json(ir->cc->hc, "/v1/actors/cooperation", &status, &r, &d) ||
	    status != 200) {
		json_decref(r);
		return false;
	}
	const json_t *actor = json_object_get(r, "actor");
	const json_t *k = json_array_get(json_object_get(actor, "keys"), 0);
	const char *text = json_is_string(k) ? json_string_value(k)
					     : cli_str_of(k, "key");
	const char *kind = cli_str_of(actor, "kind");
	ir->have_log_key = text != NULL && kind != NULL &&
			   strcmp(kind, "log") == 0 &&
			   pnyx_verifier_parse((const uint8_t *)text, strlen(text),
					       &ir->log_key, NULL) == PNYX_OK;
	json_decref(r);
	return ir->have_log_key;
}

/* The checkpoint of resp, opened with the log's key and parsed. */
static bool open_checkpoint(const inbox_reader *ir, const json_t *resp,
			    pnyx_checkpoint *cp)
{
	const json_t *t = json_object_get(resp, "checkpoint");
	const uint8_t *text = (const uint8_t *)json_string_value(t);
	pnyx_note note = {0};
	bool ok = text != NULL &&
		  pnyx_note_open(text, json_string_length(t), CHECKPOINT_MAX,
				 &ir->log_key, 1, &note, NULL) == PNYX_OK &&
		  pnyx_checkpoint_parse(note.text, note.text_len, cp, NULL) ==
			  PNYX_OK;
	pnyx_note_clear(&note);
	return ok;
}

/* The proof's hashes; false if one is not a hash or there are too many. */
static bool read_proof(const json_t *list, pnyx_hash *proof, size_t *n)
{
	size_t i;
	const json_t *h;
	if (!json_is_array(list) || json_array_size(list) > PNYX_MERKLE_MAX_PROOF)
		return false;
	json_array_foreach(list, i, h)
		if (!json_is_string(h) ||
		    pnyx_base64_decode_hash((const uint8_t *)json_string_value(h),
					    json_string_length(h), &proof[i]) != PNYX_OK)
			return false;
	*n = json_array_size(list);
	return true;
}

bool inbox_check_inclusion(inbox_reader *ir, const json_t *resp,
			   const uint8_t *leaf, size_t n, uint64_t index,
			   json_t *step)
{
	pnyx_checkpoint cp;
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF], h;
	size_t np = 0;
	if (!load_log_key(ir))
		return fail(step, "the public record names no cooperation log key",
			    index);
	if (!open_checkpoint(ir, resp, &cp))
		return fail(step, "the checkpoint is not signed with the "
			    "cooperation log's key", index);
	if (!read_proof(json_object_get(resp, "proof"), proof, &np))
		return fail(step, "the inclusion proof is malformed", index);
	pnyx_merkle_leaf_hash(leaf, n, &h);
	if (pnyx_merkle_verify_inclusion(&h, index, cp.size, proof, np,
					 &cp.root) != PNYX_OK)
		return fail(step, "the inclusion proof does not verify", index);
	json_object_set_new(step, "included_in", json_integer((json_int_t)cp.size));
	return true;
}
