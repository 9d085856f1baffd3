/*
 * pnyx/action_sign.h — building and signing an action, as a client does:
 * the type's fields in a JSON object, the four envelope fields set on it
 * (forum, actor, seq, type), the action's text encoded (pnyx/action.h) and
 * signed with the actor's key as a C2SP signed note (pnyx/note.h). The
 * result is what POST /v1/actions takes and what a leaf carries.
 *
 * Both functions are pure (no I/O, no clock) and thread-safe on distinct
 * arguments.
 */
#ifndef PNYX_ACTION_SIGN_H
#define PNYX_ACTION_SIGN_H

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/key.h"

/* The largest action text pnyx_action_sign encodes: a log entry holds at
 * most 65,535 bytes, leaf header and signature included. */
#define PNYX_ACTION_TEXT_MAX 65535u

/* Sets the envelope of an action on body (a JSON object holding the type's
 * fields; borrowed, modified in place): "forum", "actor", "type" (each
 * NUL-terminated, replacing any member of that name) and "seq" (1 to
 * INT64_MAX). Returns PNYX_OK; PNYX_ERR_MALFORMED (body is not an object,
 * forum or actor is not an id of pnyx_id_is_valid, type empty or longer
 * than PNYX_ID_MAX, seq out of range) with the reason in diag, leaving body
 * unchanged; PNYX_ERR_NOMEM (body may then hold some of the members). */
PNYX_EXPORT pnyx_err pnyx_action_envelope(json_t *body, const char *forum,
					  const char *actor, uint64_t seq,
					  const char *type, pnyx_diag *diag)
	PNYX_WUR;

/* Encodes body as an action's text (pnyx_action_encode: header line and
 * canonical JSON, at most PNYX_ACTION_TEXT_MAX bytes) and appends to out
 * the signed note of that text signed by key alone. body is borrowed and
 * not judged: the engine does that. Returns PNYX_OK; PNYX_ERR_TOO_LARGE
 * (the text is over PNYX_ACTION_TEXT_MAX bytes, or out is full),
 * PNYX_ERR_NOMEM, with the reason in diag; out's contents are then
 * unspecified. */
PNYX_EXPORT pnyx_err pnyx_action_sign(const json_t *body,
				      const pnyx_signer *key, pnyx_buf *out,
				      pnyx_diag *diag) PNYX_WUR;

#endif
