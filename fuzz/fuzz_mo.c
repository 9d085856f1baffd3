/*
 * Fuzz target for pnyx_mo_parse and pnyx_mo_lookup (pnyx/country.h): any
 * input is refused with an error or accepted; in an accepted catalogue
 * every lookup returns NULL or a NUL-terminated string inside the input.
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/country.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lookup(const pnyx_mo *mo, const uint8_t *data, size_t size,
		   const uint8_t *msgid, size_t n)
{
	const char *t = pnyx_mo_lookup(mo, msgid, n);
	if (t == NULL)
		return;
	const uint8_t *u = (const uint8_t *)t;
	if (u < data || u >= data + size ||
	    memchr(u, 0, (size_t)(data + size - u)) == NULL)
		abort(); /* a translation outside the catalogue */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pnyx_mo mo;
	pnyx_diag diag;
	if (pnyx_mo_parse(data, size, &mo, &diag) != PNYX_OK)
		return 0;
	if (mo.p != data || mo.len != size || mo.n > PNYX_MO_MAX_STRINGS)
		abort();
	static const char *const ids[] = {"", "France", "China", "Kind",
					  "one", "\xd9\x81"};
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
		lookup(&mo, data, size, (const uint8_t *)ids[i],
		       strlen(ids[i]));
	/* the input's own tail, as a msgid of every length up to 32 */
	for (size_t n = 0; n <= 32 && n <= size; n++)
		lookup(&mo, data, size, data + size - n, n);
	return 0;
}
