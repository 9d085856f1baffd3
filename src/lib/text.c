/* Line cursor, UTF-8 validation and canonical decimals: see pnyx/text.h. */
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

void pnyx_cursor_init(pnyx_cursor *c, const uint8_t *p, size_t len)
{
	assert(c != NULL && (p != NULL || len == 0));
	*c = (pnyx_cursor){.p = p, .len = len, .pos = 0};
}

size_t pnyx_cursor_left(const pnyx_cursor *c)
{
	return c->len - c->pos;
}

bool pnyx_cursor_line(pnyx_cursor *c, const uint8_t **line, size_t *n)
{
	size_t left = pnyx_cursor_left(c);
	if (left == 0)
		return false;
	const uint8_t *start = c->p + c->pos;
	const uint8_t *nl = memchr(start, '\n', left);
	if (nl == NULL)
		return false;
	*line = start;
	*n = (size_t)(nl - start);
	c->pos += *n + 1;
	return true;
}

/* Length of the UTF-8 sequence starting at p[0] if it is well formed, else 0. */
static size_t utf8_seq_len(const uint8_t *p, size_t left)
{
	uint8_t b0 = p[0];
	if (b0 < 0x80)
		return 1;
	size_t len;
	uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		len = 2;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		len = 3;
		if (b0 == 0xE0)
			lo = 0xA0; /* no overlong */
		if (b0 == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		len = 4;
		if (b0 == 0xF0)
			lo = 0x90; /* no overlong */
		if (b0 == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (left < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

bool pnyx_utf8_is_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t len = utf8_seq_len(p + i, n - i);
		if (len == 0)
			return false;
		i += len;
	}
	return true;
}

pnyx_err pnyx_text_check_note_chars(const uint8_t *p, size_t n,
				    const char *what, pnyx_diag *diag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\n')
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "%s has a control character other "
					     "than newline at byte %zu",
					     what, i);
	if (!pnyx_utf8_is_valid(p, n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "%s is not valid UTF-8", what);
	return PNYX_OK;
}

pnyx_err pnyx_parse_u64(const uint8_t *p, size_t n, uint64_t *out)
{
	if (n == 0 || n > 20 || (p[0] == '0' && n > 1))
		return PNYX_ERR_MALFORMED;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return PNYX_ERR_MALFORMED;
		uint64_t d = (uint64_t)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return PNYX_ERR_MALFORMED;
		v = v * 10 + d;
	}
	*out = v;
	return PNYX_OK;
}

bool pnyx_bytes_eq(const uint8_t *p, size_t n, const char *s)
{
	size_t m = strlen(s);
	return n == m && (n == 0 || memcmp(p, s, n) == 0);
}
