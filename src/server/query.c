/* Request targets: strict percent-decoding of the path and the query
 * (see http.h), and query parameters read as canonical decimals. */
#include "http.h"

#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

/* How '+' decodes: as itself in a path, as a space in a query. */
enum decode_mode { DECODE_PATH, DECODE_QUERY };

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True if the decoded bytes are UTF-8 without controls (C0, DEL) or NUL. */
static bool is_clean_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return pnyx_utf8_is_valid((const uint8_t *)s, n);
}

/* Decodes the n bytes at p into t->buf at *pos and NUL-terminates them;
 * *pos moves past the NUL. what names the part for diag. */
static pnyx_err decode(const uint8_t *p, size_t n, enum decode_mode mode,
		       struct srv_target *t, size_t *pos, const char *what,
		       pnyx_diag *diag)
{
	assert(*pos + n + 1 <= sizeof t->buf);
	size_t start = *pos, o = *pos;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex_value(p[i + 1]) : -1;
			int lo = i + 2 < n ? hex_value(p[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
						     "the %s has a bad percent-escape", what);
			c = (uint8_t)(hi * 16 + lo);
			i += 2;
			if (c == '/' && mode == DECODE_PATH)
				return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
						     "the path has an escaped '/'");
		} else if (c == '+' && mode == DECODE_QUERY) {
			c = ' ';
		} else if (c <= 0x20 || c == 0x7f || c == '#') {
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "the %s has a character that must be escaped",
					     what);
		}
		t->buf[o++] = (char)c;
	}
	t->buf[o] = 0;
	if (!is_clean_text(t->buf + start, o - start))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the %s is not UTF-8 text without control characters",
				     what);
	*pos = o + 1;
	return PNYX_OK;
}

/* Parses one name=value pair (n bytes at p) into parameter t->nparams. */
static pnyx_err parse_pair(const uint8_t *p, size_t n, struct srv_target *t,
			   size_t *pos, pnyx_diag *diag)
{
	if (t->nparams == SRV_QUERY_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "more than %d query parameters", SRV_QUERY_MAX);
	const uint8_t *eq = memchr(p, '=', n);
	if (n == 0 || eq == NULL || eq == p)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the query is not name=value pairs joined by '&'");
	size_t name_len = (size_t)(eq - p);
	size_t name = *pos;
	pnyx_err err = decode(p, name_len, DECODE_QUERY, t, pos,
			      "query parameter name", diag);
	if (err != PNYX_OK)
		return err;
	size_t value = *pos;
	err = decode(eq + 1, n - name_len - 1, DECODE_QUERY, t, pos,
		     "query parameter value", diag);
	if (err != PNYX_OK)
		return err;
	for (size_t i = 0; i < t->nparams; i++)
		if (strcmp(t->buf + t->params[i].name, t->buf + name) == 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "a query parameter is given twice");
	t->params[t->nparams].name = name;
	t->params[t->nparams].value = value;
	t->params[t->nparams].value_len = *pos - value - 1;
	t->nparams++;
	return PNYX_OK;
}

static pnyx_err parse_query(const uint8_t *q, size_t n, struct srv_target *t,
			    size_t *pos, pnyx_diag *diag)
{
	if (n == 0)
		return PNYX_OK;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && q[i] != '&')
			continue;
		pnyx_err err = parse_pair(q + start, i - start, t, pos, diag);
		if (err != PNYX_OK)
			return err;
		start = i + 1;
	}
	return PNYX_OK;
}

pnyx_err srv_target_parse(const uint8_t *raw, size_t n, struct srv_target *out,
			  pnyx_diag *diag)
{
	assert(out != NULL && (raw != NULL || n == 0));
	if (n > SRV_TARGET_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the request target is longer than %d bytes",
				     SRV_TARGET_MAX);
	if (n == 0 || raw[0] != '/')
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the request target is not an absolute path");
	struct srv_target t;
	t.nparams = 0;
	const uint8_t *q = memchr(raw, '?', n);
	size_t path_n = q != NULL ? (size_t)(q - raw) : n;
	size_t pos = 0;
	pnyx_err err = decode(raw, path_n, DECODE_PATH, &t, &pos, "path", diag);
	if (err != PNYX_OK)
		return err;
	t.path_len = pos - 1;
	if (q != NULL)
		err = parse_query(q + 1, n - path_n - 1, &t, &pos, diag);
	if (err != PNYX_OK)
		return err;
	memcpy(out, &t, sizeof t);
	return PNYX_OK;
}

const char *srv_target_path(const struct srv_target *t)
{
	return t->buf;
}

const char *srv_target_name(const struct srv_target *t, size_t i)
{
	assert(i < t->nparams);
	return t->buf + t->params[i].name;
}

const char *srv_target_value(const struct srv_target *t, size_t i,
			     size_t *len)
{
	assert(i < t->nparams);
	if (len != NULL)
		*len = t->params[i].value_len;
	return t->buf + t->params[i].value;
}

bool srv_query_u64(const struct srv_request *req, struct srv_response *resp,
		   const char *name, uint64_t *out)
{
	const struct srv_target *t = req->target;
	for (size_t i = 0; i < t->nparams; i++) {
		if (strcmp(srv_target_name(t, i), name) != 0)
			continue;
		size_t n;
		const char *v = srv_target_value(t, i, &n);
		if (pnyx_parse_u64((const uint8_t *)v, n, out) == PNYX_OK)
			return true;
		srv_problem(resp, "bad-parameter",
			    "the parameter %s is not a canonical decimal number",
			    name);
		return false;
	}
	srv_problem(resp, "bad-parameter", "the parameter %s is missing", name);
	return false;
}
