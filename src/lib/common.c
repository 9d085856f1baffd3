/* Error names, descriptions and the diagnostic buffer. */
#include "pnyx/common.h"

#include "pnyx/mem.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>

static const struct {
	const char *name;
	const char *text;
} err_table[PNYX_ERR__COUNT] = {
	[PNYX_OK] = {"ok", "success"},
	[PNYX_ERR_NOMEM] = {"out-of-memory", "out of memory"},
	[PNYX_ERR_MALFORMED] = {"malformed", "the input is not well formed"},
	[PNYX_ERR_TOO_LARGE] = {"too-large", "the input is larger than allowed"},
	[PNYX_ERR_BAD_SIGNATURE] = {"bad-signature", "a signature does not verify"},
	[PNYX_ERR_UNVERIFIED] = {"unverified", "no known key signed it"},
	[PNYX_ERR_BAD_PROOF] = {"bad-proof", "the proof does not verify"},
	[PNYX_ERR_RANGE] = {"out-of-range", "the index or size is outside the log"},
	[PNYX_ERR_STORAGE] = {"storage", "the storage failed"},
	[PNYX_ERR_CORRUPT] = {"corrupt", "the stored log is inconsistent"},
	[PNYX_ERR_EXISTS] = {"exists", "it already exists"},
	[PNYX_ERR_NOT_FOUND] = {"not-found", "not found"},
	[PNYX_ERR_IO] = {"io", "a file could not be read or written"},
	[PNYX_ERR_MISMATCH] = {"mismatch", "two values that must agree differ"},
};

const char *pnyx_err_name(pnyx_err err)
{
	if ((unsigned)err >= PNYX_ERR__COUNT)
		return "unknown";
	return err_table[err].name;
}

const char *pnyx_err_text(pnyx_err err)
{
	if ((unsigned)err >= PNYX_ERR__COUNT)
		return "unknown error";
	return err_table[err].text;
}

pnyx_err pnyx_diag_set(pnyx_diag *diag, pnyx_err err, const char *fmt, ...)
{
	if (diag != NULL) {
		va_list ap;
		va_start(ap, fmt);
		(void)vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* jansson allocates through the library's allocator, so that fault loops
 * reach the engine's state too. */
static void *json_alloc(size_t n)
{
	return pnyx_malloc(n > 0 ? n : 1);
}

pnyx_err pnyx_init(void)
{
	json_set_alloc_funcs(json_alloc, pnyx_free);
	return sodium_init() < 0 ? PNYX_ERR_NOMEM : PNYX_OK;
}
