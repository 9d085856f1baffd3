/*
 * pnyx/json.h — canonical JSON, the encoding of every action and of the
 * engine's state dump (docs/FORMATS.md).
 *
 * Canonical form: UTF-8; no white space; object keys sorted by byte value
 * and unique; integers only (no fractions, exponents or -0), within
 * int64; strings escaped as jansson escapes them (\" \\ \b \f \n \r \t
 * and \u00XX in upper-case hex for other control characters; everything
 * else, '/' and DEL included, as is; U+0000 nowhere). A text is canonical
 * exactly when re-encoding its parse gives the same bytes; the parser
 * checks that while it parses, and fuzz/fuzz_json_canonical.c checks it
 * against re-encoding.
 *
 * Values are jansson's json_t; ownership follows jansson (new references
 * are released with json_decref).
 */
#ifndef PNYX_JSON_H
#define PNYX_JSON_H

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/common.h"

#define PNYX_JSON_MAX_DEPTH 32

/* Parses the n bytes at p as one canonical JSON object of nesting depth at
 * most max_depth (1 to PNYX_JSON_MAX_DEPTH; the object itself is depth 1). Returns PNYX_OK and a new reference in *out, or
 * PNYX_ERR_MALFORMED (with the reason in diag) for invalid JSON, a
 * duplicate key, a real number, a value that is not an object, excessive
 * depth, or any non-canonical form; PNYX_ERR_NOMEM. */
PNYX_EXPORT pnyx_err pnyx_json_parse_canonical(const uint8_t *p, size_t n,
					       size_t max_depth, json_t **out,
					       pnyx_diag *diag) PNYX_WUR;

/* Appends the canonical encoding of v to out. */
PNYX_EXPORT pnyx_err pnyx_json_encode(const json_t *v, pnyx_buf *out) PNYX_WUR;

/* The keys of obj sorted by byte value (the canonical order), as an array
 * of *n pointers into obj's keys (valid while obj keeps them; free the
 * array with pnyx_free). A NULL obj or one that is not an object has no
 * keys: *n is 0 and the array is still allocated. NULL (with *n 0) only
 * when memory runs out. */
PNYX_EXPORT const char **pnyx_json_sorted_keys(const json_t *obj, size_t *n);

#endif
