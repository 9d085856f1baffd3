/* Building and signing an action as a client does (pnyx/action_sign.h). */
#include "pnyx/action_sign.h"

#include "pnyx/action.h"
#include "pnyx/note.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

static bool is_id(const char *s)
{
	return s != NULL && pnyx_id_is_valid((const uint8_t *)s, strlen(s));
}

pnyx_err pnyx_action_envelope(json_t *body, const char *forum,
			      const char *actor, uint64_t seq,
			      const char *type, pnyx_diag *diag)
{
	assert(body != NULL);
	if (!json_is_object(body))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "an action is a JSON object");
	if (!is_id(forum) || !is_id(actor))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the forum and the actor must be ids "
				     "(1 to 64 of A-Z a-z 0-9 . _ - :)");
	if (type == NULL || type[0] == '\0' || strlen(type) > PNYX_ID_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the action type must be 1 to %d bytes",
				     PNYX_ID_MAX);
	if (seq == 0 || seq > (uint64_t)INT64_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the sequence number must be 1 or more");
	if (json_object_set_new(body, "forum", json_string(forum)) != 0 ||
	    json_object_set_new(body, "actor", json_string(actor)) != 0 ||
	    json_object_set_new(body, "type", json_string(type)) != 0 ||
	    json_object_set_new(body, "seq", json_integer((json_int_t)seq)) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	return PNYX_OK;
}

pnyx_err pnyx_action_sign(const json_t *body, const pnyx_signer *key,
			  pnyx_buf *out, pnyx_diag *diag)
{
	assert(body != NULL && key != NULL && out != NULL);
	pnyx_buf text;
	pnyx_buf_init(&text, PNYX_ACTION_TEXT_MAX);
	pnyx_err err = pnyx_action_encode(body, &text);
	if (err == PNYX_OK)
		err = pnyx_note_sign(text.data, text.len, key, 1, out);
	pnyx_buf_clear(&text);
	if (err == PNYX_ERR_TOO_LARGE)
		return pnyx_diag_set(diag, err, "the action is too large");
	if (err != PNYX_OK)
		return pnyx_diag_set(diag, err, "cannot sign the action: %s",
				     pnyx_err_text(err));
	return PNYX_OK;
}
