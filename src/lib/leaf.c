/* The forum log leaf: see pnyx/leaf.h. */
#include "pnyx/leaf.h"

#include "pnyx/text.h"

#include <inttypes.h>
#include <string.h>

pnyx_err pnyx_leaf_parse(const uint8_t *p, size_t n, pnyx_leaf *out,
			 pnyx_diag *diag)
{
	static const size_t hlen = sizeof PNYX_LEAF_HEADER - 1;
	pnyx_cursor c;
	pnyx_cursor_init(&c, p, n);
	const uint8_t *line;
	size_t len;
	uint64_t t;
	if (!pnyx_cursor_line(&c, &line, &len) || len <= hlen ||
	    memcmp(line, PNYX_LEAF_HEADER, hlen) != 0 ||
	    pnyx_parse_u64(line + hlen, len - hlen, &t) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the leaf does not start with \"%s<time in "
				     "milliseconds>\"", PNYX_LEAF_HEADER);
	if (pnyx_cursor_left(&c) == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the leaf holds no signed action");
	*out = (pnyx_leaf){.time_ms = t, .note = p + c.pos,
			   .note_len = pnyx_cursor_left(&c)};
	return PNYX_OK;
}

pnyx_err pnyx_leaf_encode(uint64_t time_ms, const uint8_t *note, size_t n,
			  pnyx_buf *out)
{
	(void)pnyx_buf_printf(out, PNYX_LEAF_HEADER "%" PRIu64 "\n", time_ms);
	return pnyx_buf_append(out, note, n);
}
