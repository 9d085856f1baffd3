/*
 * Fuzz target for pnyx_checkpoint_parse: any input must be refused with an
 * error or accepted; an accepted text must re-encode to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (pnyx_init() != PNYX_OK)
		abort();
	pnyx_checkpoint cp;
	pnyx_diag diag;
	if (pnyx_checkpoint_parse(data, size, &cp, &diag) != PNYX_OK)
		return 0;
	pnyx_buf b;
	pnyx_buf_init(&b, size + 1);
	if (pnyx_checkpoint_encode(&cp, &b) != PNYX_OK || b.len != size ||
	    memcmp(b.data, data, size) != 0)
		abort(); /* not byte-exact */
	pnyx_buf_clear(&b);
	return 0;
}
