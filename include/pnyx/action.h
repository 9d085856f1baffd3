/*
 * pnyx/action.h — the action format. An action is a C2SP signed note,
 * signed by the actor's key, whose text is exactly two lines:
 *
 *   pnyx-action v1
 *   {"actor":"FRA","decision":"d1","forum":"oewg","seq":7,"type":"consensus.join"}
 *
 * The second line is one canonical JSON object (pnyx/json.h) holding the
 * forum id, the actor id, the actor's sequence number (1, 2, 3, ... per
 * actor), the action type, and the type's own fields (docs/FORMATS.md lists
 * every type). This module checks the envelope; the engine checks the
 * fields of each type and the rules.
 */
#ifndef PNYX_ACTION_H
#define PNYX_ACTION_H

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"

#define PNYX_ACTION_HEADER "pnyx-action v1"
#define PNYX_ID_MAX 64          /* forum, actor, type and object ids */
#define PNYX_ACTION_DEPTH 6     /* JSON nesting allowed in an action */

/* A parsed action. body is owned (json_decref'd by pnyx_action_clear). */
typedef struct pnyx_action {
	char forum[PNYX_ID_MAX + 1];
	char actor[PNYX_ID_MAX + 1];
	char type[PNYX_ID_MAX + 1];
	uint64_t seq;
	json_t *body; /* the whole object, including the four fields above */
} pnyx_action;

/* True if the n bytes at p form an id: 1 to PNYX_ID_MAX characters from
 * A-Z a-z 0-9 and . _ - : */
PNYX_EXPORT bool pnyx_id_is_valid(const uint8_t *p, size_t n);

/* Parses a note's text as an action. PNYX_OK, or PNYX_ERR_MALFORMED with
 * the reason in diag (wrong header, not two lines, non-canonical JSON,
 * missing or ill-typed forum/actor/seq/type, invalid id, seq 0);
 * PNYX_ERR_NOMEM. */
PNYX_EXPORT pnyx_err pnyx_action_parse(const uint8_t *text, size_t n,
				       pnyx_action *out, pnyx_diag *diag)
	PNYX_WUR;

/* Releases what pnyx_action_parse holds; a zeroed action may be cleared. */
PNYX_EXPORT void pnyx_action_clear(pnyx_action *a);

/* Appends the text of an action with this body (header line, canonical
 * JSON, newline) to out: what a client signs. */
PNYX_EXPORT pnyx_err pnyx_action_encode(const json_t *body, pnyx_buf *out)
	PNYX_WUR;

#endif
