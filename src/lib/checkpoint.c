/*
 * C2SP tlog-checkpoint v1.0.0 note text: parse and encode. See
 * pnyx/checkpoint.h.
 *
 * The text is checked as a whole first (final newline, UTF-8, no control
 * characters other than '\n', the character rules of signed-note), then line
 * by line. Every accepted text re-encodes to the same bytes: the size is a
 * canonical decimal, the root canonical base64 of exactly 32 bytes, and the
 * extension lines are kept verbatim.
 */
#include "pnyx/checkpoint.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/text.h"

/* The character rules that apply to the whole text. */
static pnyx_err check_text(const uint8_t *text, size_t n, pnyx_diag *diag)
{
	if (n == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: empty text");
	if (text[n - 1] != '\n')
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: text does not end in a "
				     "newline");
	return pnyx_text_check_note_chars(text, n, "checkpoint text", diag);
}

static pnyx_err parse_origin(pnyx_cursor *c, pnyx_checkpoint *cp,
			     pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	if (!pnyx_cursor_line(c, &line, &n) || n == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: empty origin line");
	if (n > PNYX_ORIGIN_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: origin longer than %d bytes",
				     PNYX_ORIGIN_MAX);
	memcpy(cp->origin, line, n);
	cp->origin[n] = '\0';
	return PNYX_OK;
}

static pnyx_err parse_size_root(pnyx_cursor *c, pnyx_checkpoint *cp,
				pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	if (!pnyx_cursor_line(c, &line, &n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: no tree size line");
	if (pnyx_parse_u64(line, n, &cp->size) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: tree size is not a "
				     "canonical decimal");
	if (!pnyx_cursor_line(c, &line, &n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: no root hash line");
	if (pnyx_base64_decode_hash(line, n, &cp->root) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "checkpoint: root hash is not canonical "
				     "base64 of 32 bytes");
	return PNYX_OK;
}

/* The rest of the text: extension lines, each non-empty. */
static pnyx_err parse_extensions(pnyx_cursor *c, pnyx_checkpoint *cp,
				 pnyx_diag *diag)
{
	const uint8_t *start = c->p + c->pos;
	size_t len = pnyx_cursor_left(c);
	const uint8_t *line;
	size_t n;
	while (pnyx_cursor_line(c, &line, &n))
		if (n == 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "checkpoint: empty extension "
					     "line");
	/* check_text made sure that the text ends in '\n'. */
	assert(pnyx_cursor_left(c) == 0);
	cp->ext = len > 0 ? start : NULL;
	cp->ext_len = len;
	return PNYX_OK;
}

pnyx_err pnyx_checkpoint_parse(const uint8_t *text, size_t n,
			       pnyx_checkpoint *out, pnyx_diag *diag)
{
	assert(out != NULL && (text != NULL || n == 0));
	pnyx_checkpoint cp;
	memset(&cp, 0, sizeof cp);
	pnyx_cursor c;
	pnyx_err err = check_text(text, n, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_cursor_init(&c, text, n);
	if ((err = parse_origin(&c, &cp, diag)) != PNYX_OK ||
	    (err = parse_size_root(&c, &cp, diag)) != PNYX_OK ||
	    (err = parse_extensions(&c, &cp, diag)) != PNYX_OK)
		return err;
	*out = cp;
	return PNYX_OK;
}

pnyx_err pnyx_checkpoint_encode(const pnyx_checkpoint *c, pnyx_buf *out)
{
	assert(c != NULL && out != NULL);
	size_t olen = strnlen(c->origin, sizeof c->origin);
	assert(olen > 0 && olen <= PNYX_ORIGIN_MAX);
	assert(memchr(c->origin, '\n', olen) == NULL);
	assert(c->ext_len == 0 ||
	       (c->ext != NULL && c->ext[c->ext_len - 1] == '\n'));
	char root[PNYX_HASH_B64_LEN + 1];
	(void)pnyx_base64_encode(c->root.b, sizeof c->root.b, root,
				 sizeof root);
	pnyx_buf_append(out, c->origin, olen);
	pnyx_buf_printf(out, "\n%" PRIu64 "\n%s\n", c->size, root);
	return pnyx_buf_append(out, c->ext, c->ext_len);
}
