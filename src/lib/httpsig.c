/*
 * httpsig.c — HTTP Message Signatures (RFC 9421) with Ed25519, one label:
 * a strict parser for Signature-Input and Signature (the canonical RFC 8941
 * forms only), the signature base of RFC 9421 section 2.5, signing,
 * verification and the caller's policy (see pnyx/httpsig.h).
 */
#include "pnyx/httpsig.h"

#include "pnyx/base64.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

#define SF_INT_DIGITS 15 /* RFC 8941 section 3.3.1 */

static const char *const derived[] = {
	"@method", "@target-uri", "@authority", "@scheme",
	"@request-target", "@path", "@query",
};
#define NDERIVED (sizeof derived / sizeof *derived)

static const char *const param_names[PNYX_HTTPSIG_P__COUNT] = {
	"created", "expires", "keyid", "alg", "nonce", "tag",
};

/* A bounded read position over one header value. */
typedef struct rd {
	const uint8_t *p;
	size_t n;
	size_t i;
} rd;

static bool rd_eat(rd *r, uint8_t c)
{
	if (r->i < r->n && r->p[r->i] == c) {
		r->i++;
		return true;
	}
	return false;
}

static int rd_peek(const rd *r)
{
	return r->i < r->n ? r->p[r->i] : -1;
}

static bool is_lcalpha(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A lowercase tchar (RFC 9110 section 5.6.2): what a field name holds. */
static bool is_name_char(int c)
{
	return is_lcalpha(c) || is_digit(c) ||
	       (c > 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_key_char(int c)
{
	return is_lcalpha(c) || is_digit(c) || c == '_' || c == '-' ||
	       c == '.' || c == '*';
}

/* RFC 8941 key (a label or a parameter name) into out (cap bytes + NUL). */
static bool parse_key(rd *r, char *out, size_t cap)
{
	size_t k = 0;
	int c = rd_peek(r);
	if (!is_lcalpha(c) && c != '*')
		return false;
	while (is_key_char(c = rd_peek(r))) {
		if (k == cap)
			return false;
		out[k++] = (char)c;
		r->i++;
	}
	out[k] = '\0';
	return true;
}

/* RFC 8941 sf-string (escapes \" and \\) into out (cap bytes + NUL). */
static pnyx_err parse_sfstring(rd *r, char *out, size_t cap, pnyx_diag *d)
{
	if (!rd_eat(r, '"'))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "a quoted string was expected");
	size_t k = 0;
	for (;;) {
		int c = rd_peek(r);
		if (c < 0)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a quoted string is not closed");
		r->i++;
		if (c == '"')
			break;
		if (c == '\\') {
			c = rd_peek(r);
			if (c != '"' && c != '\\')
				return pnyx_diag_set(
					d, PNYX_ERR_MALFORMED,
					"a quoted string has a bad escape");
			r->i++;
		} else if (c < 0x20 || c > 0x7e) {
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a quoted string holds a byte "
					     "outside printable ASCII");
		}
		if (k == cap)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a quoted string is longer than "
					     "%zu bytes", cap);
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return PNYX_OK;
}

static pnyx_err parse_int(rd *r, uint64_t *v, pnyx_diag *d)
{
	if (rd_peek(r) == '-')
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "a time parameter is negative");
	size_t start = r->i;
	while (is_digit(rd_peek(r)))
		r->i++;
	size_t len = r->i - start;
	if (len == 0 || len > SF_INT_DIGITS ||
	    pnyx_parse_u64(r->p + start, len, v) != PNYX_OK)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "a time parameter is not an integer of "
				     "1 to 15 digits without leading zeros");
	return PNYX_OK;
}

static bool is_derived(const char *name)
{
	for (size_t k = 0; k < NDERIVED; k++)
		if (strcmp(name, derived[k]) == 0)
			return true;
	return false;
}

static pnyx_err check_component(const char *name, pnyx_diag *d)
{
	if (name[0] == '@') {
		if (is_derived(name))
			return PNYX_OK;
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "a covered component names a derived "
				     "component this service does not know");
	}
	if (name[0] == '\0')
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "a covered component is empty");
	for (const char *c = name; *c != '\0'; c++)
		if (!is_name_char((unsigned char)*c))
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a covered component is not a "
					     "lowercase header field name");
	return PNYX_OK;
}

static bool has_param(const pnyx_httpsig_params *ps, pnyx_httpsig_param p)
{
	for (size_t k = 0; k < ps->nparams; k++)
		if (ps->order[k] == p)
			return true;
	return false;
}

/* Checks the components of ps: valid, unique, within the cap. */
static pnyx_err check_components(const pnyx_httpsig_params *ps, pnyx_diag *d)
{
	if (ps->ncomponents > PNYX_HTTPSIG_MAX_COMPONENTS)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "more than %d covered components",
				     PNYX_HTTPSIG_MAX_COMPONENTS);
	for (size_t k = 0; k < ps->ncomponents; k++) {
		pnyx_err err = check_component(ps->components[k], d);
		if (err != PNYX_OK)
			return err;
		for (size_t j = 0; j < k; j++)
			if (strcmp(ps->components[j], ps->components[k]) == 0)
				return pnyx_diag_set(
					d, PNYX_ERR_MALFORMED,
					"the covered component \"%s\" is "
					"listed twice", ps->components[k]);
	}
	return PNYX_OK;
}

/* The inner list of covered components, from '(' to ')'. */
static pnyx_err parse_components(rd *r, pnyx_httpsig_params *ps,
				 pnyx_diag *d)
{
	if (!rd_eat(r, '('))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature input does not start "
				     "with a parenthesised list");
	if (rd_eat(r, ')'))
		return PNYX_OK;
	for (;;) {
		if (ps->ncomponents == PNYX_HTTPSIG_MAX_COMPONENTS)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "more than %d covered components",
					     PNYX_HTTPSIG_MAX_COMPONENTS);
		pnyx_err err = parse_sfstring(
			r, ps->components[ps->ncomponents],
			PNYX_HTTPSIG_NAME_MAX, d);
		if (err != PNYX_OK)
			return err;
		ps->ncomponents++;
		if (rd_peek(r) == ';')
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "component parameters are not "
					     "supported");
		if (rd_eat(r, ')'))
			return check_components(ps, d);
		if (!rd_eat(r, ' ') || rd_peek(r) != '"')
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "covered components must be "
					     "separated by exactly one space");
	}
}

static pnyx_err parse_param_value(rd *r, pnyx_httpsig_params *ps,
				  pnyx_httpsig_param p, pnyx_diag *d)
{
	switch (p) {
	case PNYX_HTTPSIG_P_CREATED:
		return parse_int(r, &ps->created, d);
	case PNYX_HTTPSIG_P_EXPIRES:
		return parse_int(r, &ps->expires, d);
	case PNYX_HTTPSIG_P_KEYID:
		return parse_sfstring(r, ps->keyid, PNYX_HTTPSIG_STR_MAX, d);
	case PNYX_HTTPSIG_P_ALG:
		return parse_sfstring(r, ps->alg, PNYX_HTTPSIG_STR_MAX, d);
	case PNYX_HTTPSIG_P_NONCE:
		return parse_sfstring(r, ps->nonce, PNYX_HTTPSIG_STR_MAX, d);
	default:
		return parse_sfstring(r, ps->tag, PNYX_HTTPSIG_STR_MAX, d);
	}
}

/* One ";name=value" signature parameter. */
static pnyx_err parse_param(rd *r, pnyx_httpsig_params *ps, pnyx_diag *d)
{
	char name[16];
	if (!parse_key(r, name, sizeof name - 1))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "a signature parameter has no valid "
				     "name");
	size_t p = 0;
	while (p < PNYX_HTTPSIG_P__COUNT && strcmp(name, param_names[p]) != 0)
		p++;
	if (p == PNYX_HTTPSIG_P__COUNT)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature parameter \"%s\" is not "
				     "supported", name);
	if (has_param(ps, (pnyx_httpsig_param)p))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature parameter \"%s\" is "
				     "given twice", name);
	if (!rd_eat(r, '='))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature parameter \"%s\" has no "
				     "value", name);
	pnyx_err err = parse_param_value(r, ps, (pnyx_httpsig_param)p, d);
	if (err != PNYX_OK)
		return err;
	ps->order[ps->nparams++] = (pnyx_httpsig_param)p;
	return PNYX_OK;
}

/* "label=" at the start of a header value; the label is written to out. */
static pnyx_err parse_label(rd *r, char *out, const char *what, pnyx_diag *d)
{
	if (!parse_key(r, out, PNYX_HTTPSIG_LABEL_MAX) || !rd_eat(r, '='))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the %s header does not start with a "
				     "valid label and '='", what);
	return PNYX_OK;
}

static pnyx_err check_end(const rd *r, const char *what, pnyx_diag *d)
{
	if (r->i == r->n)
		return PNYX_OK;
	if (r->p[r->i] == ',')
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the %s header holds more than one "
				     "signature", what);
	return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
			     "the %s header has unexpected bytes at offset "
			     "%zu", what, r->i);
}

static pnyx_err parse_input(const uint8_t *p, size_t n,
			    pnyx_httpsig_params *ps, pnyx_diag *d)
{
	rd r = {p, n, 0};
	pnyx_err err = parse_label(&r, ps->label, "Signature-Input", d);
	if (err == PNYX_OK)
		err = parse_components(&r, ps, d);
	while (err == PNYX_OK && rd_eat(&r, ';'))
		err = parse_param(&r, ps, d);
	if (err != PNYX_OK)
		return err;
	if (has_param(ps, PNYX_HTTPSIG_P_ALG) &&
	    strcmp(ps->alg, "ed25519") != 0)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature algorithm is not "
				     "\"ed25519\"");
	return check_end(&r, "Signature-Input", d);
}

static pnyx_err parse_sig(const uint8_t *p, size_t n, const char *label,
			  uint8_t sig[PNYX_SIG_LEN], pnyx_diag *d)
{
	rd r = {p, n, 0};
	char got[PNYX_HTTPSIG_LABEL_MAX + 1];
	pnyx_err err = parse_label(&r, got, "Signature", d);
	if (err != PNYX_OK)
		return err;
	if (strcmp(got, label) != 0)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the Signature and Signature-Input "
				     "headers name different labels");
	if (!rd_eat(&r, ':'))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature is not a byte sequence "
				     "between colons");
	size_t start = r.i;
	while (r.i < r.n && r.p[r.i] != ':')
		r.i++;
	size_t len = r.i - start;
	if (!rd_eat(&r, ':'))
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature's byte sequence is not "
				     "closed by a colon");
	uint8_t tmp[PNYX_SIG_LEN + 3];
	size_t got_len = 0;
	if (pnyx_base64_decode(p + start, len, tmp, sizeof tmp, &got_len) !=
		    PNYX_OK ||
	    got_len != PNYX_SIG_LEN)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "the signature is not the canonical "
				     "base64 of 64 bytes");
	err = check_end(&r, "Signature", d);
	if (err == PNYX_OK)
		memcpy(sig, tmp, PNYX_SIG_LEN);
	return err;
}

pnyx_err pnyx_httpsig_parse(const uint8_t *input, size_t n,
			    const uint8_t *sig, size_t sig_n,
			    pnyx_httpsig_params *params,
			    uint8_t sig_out[PNYX_SIG_LEN], pnyx_diag *diag)
{
	assert((input != NULL || n == 0) && (sig != NULL || sig_n == 0));
	assert(params != NULL && sig_out != NULL);
	if (n > PNYX_HTTPSIG_HEADER_MAX || sig_n > PNYX_HTTPSIG_HEADER_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "a signature header is longer than %d "
				     "bytes", PNYX_HTTPSIG_HEADER_MAX);
	pnyx_httpsig_params ps;
	memset(&ps, 0, sizeof ps);
	uint8_t s[PNYX_SIG_LEN];
	pnyx_err err = parse_input(input, n, &ps, diag);
	if (err == PNYX_OK)
		err = parse_sig(sig, sig_n, ps.label, s, diag);
	if (err != PNYX_OK)
		return err;
	*params = ps;
	memcpy(sig_out, s, PNYX_SIG_LEN);
	return PNYX_OK;
}

/* ---- serialisation ---- */

static pnyx_err put_sfstring(pnyx_buf *out, const char *s, pnyx_diag *d)
{
	pnyx_err err = pnyx_buf_puts(out, "\"");
	for (const char *c = s; err == PNYX_OK && *c != '\0'; c++) {
		unsigned char u = (unsigned char)*c;
		if (u < 0x20 || u > 0x7e)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a signature parameter holds a "
					     "byte outside printable ASCII");
		if (u == '"' || u == '\\')
			err = pnyx_buf_puts(out, "\\");
		if (err == PNYX_OK)
			err = pnyx_buf_append(out, c, 1);
	}
	return err == PNYX_OK ? pnyx_buf_puts(out, "\"") : err;
}

static pnyx_err put_param(const pnyx_httpsig_params *ps, pnyx_httpsig_param p,
			  pnyx_buf *out, pnyx_diag *d)
{
	pnyx_err err = pnyx_buf_printf(out, ";%s=", param_names[p]);
	if (err != PNYX_OK)
		return err;
	switch (p) {
	case PNYX_HTTPSIG_P_CREATED:
	case PNYX_HTTPSIG_P_EXPIRES: {
		uint64_t v = p == PNYX_HTTPSIG_P_CREATED ? ps->created
							 : ps->expires;
		if (v > 999999999999999u)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a time parameter has more than "
					     "15 digits");
		return pnyx_buf_printf(out, "%llu", (unsigned long long)v);
	}
	case PNYX_HTTPSIG_P_KEYID:
		return put_sfstring(out, ps->keyid, d);
	case PNYX_HTTPSIG_P_ALG:
		return put_sfstring(out, ps->alg, d);
	case PNYX_HTTPSIG_P_NONCE:
		return put_sfstring(out, ps->nonce, d);
	default:
		return put_sfstring(out, ps->tag, d);
	}
}

static pnyx_err check_order(const pnyx_httpsig_params *ps, pnyx_diag *d)
{
	if (ps->nparams > PNYX_HTTPSIG_P__COUNT)
		return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
				     "too many signature parameters");
	for (size_t k = 0; k < ps->nparams; k++) {
		if ((unsigned)ps->order[k] >= PNYX_HTTPSIG_P__COUNT)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "an unknown signature parameter");
		for (size_t j = 0; j < k; j++)
			if (ps->order[j] == ps->order[k])
				return pnyx_diag_set(
					d, PNYX_ERR_MALFORMED,
					"a signature parameter is listed "
					"twice");
	}
	return PNYX_OK;
}

pnyx_err pnyx_httpsig_params_encode(const pnyx_httpsig_params *params,
				    pnyx_buf *out, pnyx_diag *diag)
{
	assert(params != NULL && out != NULL);
	pnyx_err err = check_components(params, diag);
	if (err == PNYX_OK)
		err = check_order(params, diag);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(out, "(");
	for (size_t k = 0; err == PNYX_OK && k < params->ncomponents; k++) {
		if (k > 0)
			err = pnyx_buf_puts(out, " ");
		if (err == PNYX_OK)
			err = pnyx_buf_printf(out, "\"%s\"",
					      params->components[k]);
	}
	if (err == PNYX_OK)
		err = pnyx_buf_puts(out, ")");
	for (size_t k = 0; err == PNYX_OK && k < params->nparams; k++)
		err = put_param(params, params->order[k], out, diag);
	return err;
}

/* ---- the signature base ---- */

/* Appends n bytes of s, lowercased when lower; refuses control bytes. */
static pnyx_err put_part(pnyx_buf *out, const char *s, size_t n, bool lower,
			 pnyx_diag *d)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return pnyx_diag_set(d, PNYX_ERR_MALFORMED,
					     "a request part or header value "
					     "holds a control character");
		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		pnyx_err err = pnyx_buf_append(out, &c, 1);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}

static pnyx_err put_str(pnyx_buf *out, const char *s, bool lower,
			pnyx_diag *d)
{
	return put_part(out, s, strlen(s), lower, d);
}

static pnyx_err put_path(pnyx_buf *out, const pnyx_httpsig_request *req,
			 pnyx_diag *d)
{
	if (req->path[0] == '\0')
		return pnyx_buf_puts(out, "/");
	return put_str(out, req->path, false, d);
}

static pnyx_err put_query(pnyx_buf *out, const pnyx_httpsig_request *req,
			  pnyx_diag *d)
{
	pnyx_err err = pnyx_buf_puts(out, "?");
	if (err == PNYX_OK && req->query != NULL)
		err = put_str(out, req->query, false, d);
	return err;
}

static pnyx_err put_derived(pnyx_buf *out, const char *name,
			    const pnyx_httpsig_request *req, pnyx_diag *d)
{
	pnyx_err err = PNYX_OK;
	if (strcmp(name, "@method") == 0)
		return put_str(out, req->method, false, d);
	if (strcmp(name, "@authority") == 0)
		return put_str(out, req->authority, true, d);
	if (strcmp(name, "@scheme") == 0)
		return put_str(out, req->scheme, true, d);
	if (strcmp(name, "@path") == 0)
		return put_path(out, req, d);
	if (strcmp(name, "@query") == 0)
		return put_query(out, req, d);
	if (strcmp(name, "@target-uri") == 0) {
		err = put_str(out, req->scheme, true, d);
		if (err == PNYX_OK)
			err = pnyx_buf_puts(out, "://");
		if (err == PNYX_OK)
			err = put_str(out, req->authority, true, d);
	}
	/* "@target-uri" continues here, and "@request-target" starts */
	if (err == PNYX_OK)
		err = put_path(out, req, d);
	if (err == PNYX_OK && req->query != NULL)
		err = put_query(out, req, d);
	return err;
}

static bool name_eq(const char *field, const char *lower)
{
	size_t k = 0;
	for (; field[k] != '\0' && lower[k] != '\0'; k++) {
		char c = field[k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lower[k])
			return false;
	}
	return field[k] == lower[k];
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* The values of every field named name, trimmed, joined with ", ". */
static pnyx_err put_field(pnyx_buf *out, const char *name,
			  const pnyx_httpsig_request *req, pnyx_diag *d)
{
	size_t found = 0;
	for (size_t k = 0; k < req->nfields; k++) {
		const pnyx_httpsig_field *f = &req->fields[k];
		if (!name_eq(f->name, name))
			continue;
		const char *v = f->value;
		size_t n = strlen(v);
		while (n > 0 && is_ows(v[0])) {
			v++;
			n--;
		}
		while (n > 0 && is_ows(v[n - 1]))
			n--;
		pnyx_err err = found++ ? pnyx_buf_puts(out, ", ") : PNYX_OK;
		if (err == PNYX_OK)
			err = put_part(out, v, n, false, d);
		if (err != PNYX_OK)
			return err;
	}
	if (found == 0)
		return pnyx_diag_set(d, PNYX_ERR_NOT_FOUND,
				     "the signed header field \"%s\" is not "
				     "in the request", name);
	return PNYX_OK;
}

pnyx_err pnyx_httpsig_base(const pnyx_httpsig_params *params,
			   const pnyx_httpsig_request *req, pnyx_buf *out,
			   pnyx_diag *diag)
{
	assert(params != NULL && req != NULL && out != NULL);
	assert(req->method != NULL && req->scheme != NULL &&
	       req->authority != NULL && req->path != NULL);
	assert(req->fields != NULL || req->nfields == 0);
	pnyx_err err = check_components(params, diag);
	for (size_t k = 0; err == PNYX_OK && k < params->ncomponents; k++) {
		const char *name = params->components[k];
		err = pnyx_buf_printf(out, "\"%s\": ", name);
		if (err == PNYX_OK)
			err = name[0] == '@' ? put_derived(out, name, req, diag)
					     : put_field(out, name, req, diag);
		if (err == PNYX_OK)
			err = pnyx_buf_puts(out, "\n");
	}
	if (err == PNYX_OK)
		err = pnyx_buf_puts(out, "\"@signature-params\": ");
	if (err == PNYX_OK)
		err = pnyx_httpsig_params_encode(params, out, diag);
	if (err == PNYX_ERR_TOO_LARGE || err == PNYX_ERR_NOMEM)
		pnyx_diag_set(diag, err, "the signature base does not fit");
	return err;
}

/* ---- signing and verification ---- */

/* Appends "label=<params>" to input_out and "label=:<sig>:" to sig_out. */
static pnyx_err put_headers(const pnyx_httpsig_params *params,
			    const char *label, const uint8_t sig[PNYX_SIG_LEN],
			    pnyx_buf *input_out, pnyx_buf *sig_out,
			    pnyx_diag *diag)
{
	char b64[PNYX_SIG_LEN * 2];
	pnyx_base64_encode(sig, PNYX_SIG_LEN, b64, sizeof b64);
	pnyx_err err = pnyx_buf_printf(input_out, "%s=", label);
	if (err == PNYX_OK)
		err = pnyx_httpsig_params_encode(params, input_out, diag);
	if (err == PNYX_OK)
		err = pnyx_buf_printf(sig_out, "%s=:%s:", label, b64);
	if (err == PNYX_ERR_NOMEM || err == PNYX_ERR_TOO_LARGE)
		pnyx_diag_set(diag, err, "the signature headers do not fit");
	return err;
}

pnyx_err pnyx_httpsig_sign(const pnyx_httpsig_params *params,
			   const pnyx_httpsig_request *req,
			   const pnyx_signer *s, pnyx_buf *input_out,
			   pnyx_buf *sig_out, pnyx_diag *diag)
{
	assert(s != NULL && input_out != NULL && sig_out != NULL);
	if (has_param(params, PNYX_HTTPSIG_P_ALG) &&
	    strcmp(params->alg, "ed25519") != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the signature algorithm is not "
				     "\"ed25519\"");
	rd r = {(const uint8_t *)params->label, strlen(params->label), 0};
	char label[PNYX_HTTPSIG_LABEL_MAX + 1];
	if (!parse_key(&r, label, PNYX_HTTPSIG_LABEL_MAX) || r.i != r.n)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the signature label is not a valid key");
	pnyx_buf base;
	pnyx_buf_init(&base, PNYX_HTTPSIG_BASE_MAX);
	pnyx_err err = pnyx_httpsig_base(params, req, &base, diag);
	if (err == PNYX_OK) {
		uint8_t sig[PNYX_SIG_LEN];
		pnyx_signer_sign(s, base.data, base.len, sig);
		err = put_headers(params, label, sig, input_out, sig_out, diag);
	}
	pnyx_buf_clear(&base);
	return err;
}

static pnyx_err fail(pnyx_httpsig_reason *reason, pnyx_httpsig_reason why,
		     pnyx_diag *d, pnyx_err err, const char *msg)
{
	if (reason != NULL)
		*reason = why;
	return pnyx_diag_set(d, err, "%s", msg);
}

/* True if one of the '|'-separated names in alt is covered by ps. */
static bool is_covered(const pnyx_httpsig_params *ps, const char *alt)
{
	while (*alt != '\0') {
		size_t n = strcspn(alt, "|");
		for (size_t k = 0; k < ps->ncomponents; k++)
			if (strlen(ps->components[k]) == n &&
			    memcmp(ps->components[k], alt, n) == 0)
				return true;
		alt += n;
		if (*alt == '|')
			alt++;
	}
	return false;
}

static pnyx_err check_policy(const pnyx_httpsig_params *ps,
			     const pnyx_httpsig_policy *pol,
			     pnyx_httpsig_reason *reason, pnyx_diag *d)
{
	const pnyx_err e = PNYX_ERR_MISMATCH;
	if (has_param(ps, PNYX_HTTPSIG_P_ALG) && strcmp(ps->alg, "ed25519"))
		return fail(reason, PNYX_HTTPSIG_UNSUPPORTED, d, e,
			    "the signature algorithm is not \"ed25519\"");
	for (size_t k = 0; k < pol->nrequired; k++)
		if (!is_covered(ps, pol->required[k]))
			return fail(reason, PNYX_HTTPSIG_NOT_COVERED, d, e,
				    "the signature does not cover a "
				    "component this request must sign");
	if (!has_param(ps, PNYX_HTTPSIG_P_CREATED))
		return fail(reason, PNYX_HTTPSIG_NO_CREATED, d, e,
			    "the signature has no creation time");
	if (ps->created > pol->now && ps->created - pol->now > pol->max_skew)
		return fail(reason, PNYX_HTTPSIG_FUTURE, d, e,
			    "the signature was created in the future");
	if (pol->now > ps->created && pol->now - ps->created > pol->max_age)
		return fail(reason, PNYX_HTTPSIG_TOO_OLD, d, e,
			    "the signature is older than allowed");
	if (has_param(ps, PNYX_HTTPSIG_P_EXPIRES) && ps->expires < pol->now)
		return fail(reason, PNYX_HTTPSIG_EXPIRED, d, e,
			    "the signature has expired");
	return PNYX_OK;
}

pnyx_err pnyx_httpsig_verify(const pnyx_httpsig_params *params,
			     const uint8_t sig[PNYX_SIG_LEN],
			     const pnyx_httpsig_request *req,
			     const pnyx_verifier *v,
			     const pnyx_httpsig_policy *policy,
			     pnyx_httpsig_reason *reason, pnyx_diag *diag)
{
	assert(params != NULL && sig != NULL && v != NULL && policy != NULL);
	assert(policy->required != NULL || policy->nrequired == 0);
	pnyx_err err = check_policy(params, policy, reason, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_buf base;
	pnyx_buf_init(&base, PNYX_HTTPSIG_BASE_MAX);
	err = pnyx_httpsig_base(params, req, &base, diag);
	if (err == PNYX_OK &&
	    !pnyx_verifier_check(v, base.data, base.len, sig, PNYX_SIG_LEN))
		err = fail(reason, PNYX_HTTPSIG_BAD_SIGNATURE, diag,
			   PNYX_ERR_BAD_SIGNATURE,
			   "the request signature does not verify with the "
			   "named key");
	else if (err == PNYX_ERR_NOT_FOUND && reason != NULL)
		*reason = PNYX_HTTPSIG_FIELD_MISSING;
	else if (err != PNYX_OK && reason != NULL)
		*reason = PNYX_HTTPSIG_MALFORMED;
	else if (reason != NULL)
		*reason = PNYX_HTTPSIG_OK;
	pnyx_buf_clear(&base);
	return err;
}
