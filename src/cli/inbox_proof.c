/*
 * pnyx inbox: the proof that an entry is in the cooperation log (inbox.h,
 * inbox_check_inclusion): the checkpoint signed with the cooperation log's
 * key from the public record, and an RFC 9162 inclusion proof
 * (cli_proof.h, shared with pnyx verify).
 */
#include "inbox.h"

#include "cli_proof.h"
#include "cli_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
	const char *text = cli_str_of(k, "key");
	const char *kind = cli_str_of(actor, "kind");
	ir->have_log_key = text != NULL && kind != NULL &&
			   strcmp(kind, "log") == 0 &&
			   pnyx_verifier_parse((const uint8_t *)text, strlen(text),
					       &ir->log_key, NULL) == PNYX_OK;
	json_decref(r);
	return ir->have_log_key;
}

bool inbox_check_inclusion(inbox_reader *ir, const json_t *resp,
			   const uint8_t *leaf, size_t n, uint64_t index,
			   json_t *step)
{
	pnyx_checkpoint cp;
	const char *why = NULL;
	if (!load_log_key(ir))
		return fail(step, "the public record names no cooperation log key",
			    index);
	if (!cli_entry_proved(resp, &ir->log_key, leaf, n, index, &cp, &why))
		return fail(step, why, index);
	json_object_set_new(step, "included_in", json_integer((json_int_t)cp.size));
	return true;
}
