/*
 * pnyx/revdiff.h — the difference between two revisions of a document,
 * paragraph by paragraph, matched by paragraph id (ids are stable across
 * revisions: docs/actions/documents.md).
 *
 * A revision is the object the engine keeps in the state's "documents"
 * section (documents.<id>.revisions[n-1]) and that decisions name: it has a
 * "paragraphs" array of {"id": string, "text": {lang: string}, "norm": bool}
 * ("norm" may be absent, meaning false; other keys are ignored).
 *
 * Pure: no I/O, no state. Thread-safe on distinct outputs.
 */
#ifndef PNYX_REVDIFF_H
#define PNYX_REVDIFF_H

#include <jansson.h>

#include "pnyx/common.h"

/* Most paragraphs a revision given to pnyx_revision_diff may have. */
#define PNYX_REVDIFF_MAX_PARAGRAPHS 100000

/* Compares revision `from` with revision `to` (either may be the older; a
 * revision compared with itself gives only "unchanged"). On success *out
 * receives a new JSON array (release with json_decref; it shares no value
 * with the inputs) with one entry per paragraph id found in either:
 *
 *   {"paragraph": id, "change": "added" | "removed" | "changed" | "unchanged",
 *    "from": text or null, "to": text or null,
 *    "from_norm": bool or null, "to_norm": bool or null}
 *
 * "from"/"to" are the paragraph's texts ({lang: string}) in each revision,
 * null where it is absent; "changed" means the text (in any language) or
 * the norm mark differs. Order: the paragraphs of `to` in their order, each
 * paragraph removed since `from` placed right after the paragraph that
 * preceded it in `from` (removed paragraphs that precede every kept one
 * come first, in their order). The same inputs always give the same array.
 *
 * Both arguments are borrowed and never NULL. Returns PNYX_OK;
 * PNYX_ERR_MALFORMED (reason in diag, which may be NULL) if either is not
 * an object with a "paragraphs" array of objects each with a non-empty
 * string "id", an object "text" and, if present, a boolean "norm", or if an
 * id appears twice in one revision; PNYX_ERR_TOO_LARGE past
 * PNYX_REVDIFF_MAX_PARAGRAPHS; PNYX_ERR_NOMEM. */
PNYX_EXPORT pnyx_err pnyx_revision_diff(const json_t *from, const json_t *to,
					json_t **out, pnyx_diag *diag)
	PNYX_WUR;

#endif
