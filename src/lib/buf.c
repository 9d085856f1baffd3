/* Bounded, sticky-failing byte buffer: see pnyx/buf.h. */
#include "pnyx/buf.h"

#include "pnyx/mem.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pnyx_buf_init(pnyx_buf *b, size_t max)
{
	assert(b != NULL && max > 0 && max < SIZE_MAX);
	*b = (pnyx_buf){.max = max};
}

void pnyx_buf_clear(pnyx_buf *b)
{
	pnyx_free(b->data);
	*b = (pnyx_buf){.max = b->max};
}

void pnyx_buf_reset(pnyx_buf *b)
{
	b->len = 0;
	b->err = PNYX_OK;
	if (b->data != NULL)
		b->data[0] = 0;
}

static pnyx_err buf_fail(pnyx_buf *b, pnyx_err err)
{
	b->err = err;
	return err;
}

/* Makes room for n more bytes plus the terminating NUL. */
static pnyx_err buf_reserve(pnyx_buf *b, size_t n)
{
	if (b->err != PNYX_OK)
		return b->err;
	if (n > b->max - b->len)
		return buf_fail(b, PNYX_ERR_TOO_LARGE);
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return PNYX_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > (b->max + 1) / 2 ? b->max + 1 : cap * 2;
	uint8_t *p = pnyx_realloc(b->data, cap);
	if (p == NULL)
		return buf_fail(b, PNYX_ERR_NOMEM);
	b->data = p;
	b->cap = cap;
	return PNYX_OK;
}

pnyx_err pnyx_buf_append(pnyx_buf *b, const void *p, size_t n)
{
	pnyx_err err = buf_reserve(b, n);
	if (err != PNYX_OK)
		return err;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return PNYX_OK;
}

pnyx_err pnyx_buf_puts(pnyx_buf *b, const char *s)
{
	return pnyx_buf_append(b, s, strlen(s));
}

pnyx_err pnyx_buf_printf(pnyx_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return buf_fail(b, PNYX_ERR_MALFORMED);
	pnyx_err err = buf_reserve(b, (size_t)n);
	if (err != PNYX_OK)
		return err;
	va_start(ap, fmt);
	(void)vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return PNYX_OK;
}

uint8_t *pnyx_buf_take(pnyx_buf *b, size_t *len)
{
	uint8_t *p = b->data;
	*len = b->len;
	*b = (pnyx_buf){.max = b->max};
	return p;
}
