/*
 * The strict canonical JSON parser (see pnyx/json.h): one pass over the
 * bytes that checks the canonical form while it builds the jansson tree.
 *
 * The canonical form is what jansson's json_dump with JSON_COMPACT |
 * JSON_SORT_KEYS writes (dump.c, dump_string and compare_keys):
 *   - no white space; "," and ":" alone between tokens;
 *   - object keys in strictly increasing byte order (memcmp, a prefix
 *     first), which also means no key twice;
 *   - integers as "%lld" writes them: no '+', no leading zero, no "-0", no
 *     fraction or exponent, within int64;
 *   - strings: every byte as it is except '"', '\\' and the control
 *     characters U+0001 to U+001F, which are escaped as \" \\ \b \f \n \r
 *     \t, the rest as \u00XX with upper-case hex. '/', DEL and non-ASCII
 *     stay raw; U+0000 is refused (jansson's parser refuses it too).
 * So every escape decodes to exactly one byte below 0x80, and UTF-8
 * validity of the raw bytes between the quotes is that of the string.
 *
 * No recursion: an explicit stack of open containers, at most max_depth.
 * Every container is inserted into its parent as soon as it is opened, so
 * on any refusal dropping the root frees everything built.
 */
#include "pnyx/json.h"

#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

static_assert(sizeof(json_int_t) == sizeof(int64_t), "json_int_t is 64 bits");

/* Decoded strings up to this length are built on the stack. */
#define JC_SMALL 256

/* The raw bytes of a string between its quotes. */
struct jc_str {
	const uint8_t *s;
	size_t len;
	bool esc; /* holds at least one escape */
};

/* One open container. */
struct jc_frame {
	json_t *c;
	bool obj;
	size_t count;          /* members or elements so far */
	struct jc_str last;    /* object: the last key */
};

struct jc {
	const uint8_t *p;
	size_t n, pos;
	size_t max_depth, top;
	struct jc_frame st[PNYX_JSON_MAX_DEPTH];
	char small[JC_SMALL];
	char *big; /* n bytes, allocated for the first long escaped string */
	pnyx_diag *diag;
};

/* Classes of the bytes inside a string. */
enum { SC_PLAIN, SC_QUOTE, SC_ESCAPE, SC_CONTROL, SC_HIGH };

#define SC_CONTROL_8 SC_CONTROL, SC_CONTROL, SC_CONTROL, SC_CONTROL, \
	SC_CONTROL, SC_CONTROL, SC_CONTROL, SC_CONTROL
#define SC_HIGH_8 SC_HIGH, SC_HIGH, SC_HIGH, SC_HIGH, SC_HIGH, SC_HIGH, \
	SC_HIGH, SC_HIGH
#define SC_HIGH_64 SC_HIGH_8, SC_HIGH_8, SC_HIGH_8, SC_HIGH_8, SC_HIGH_8, \
	SC_HIGH_8, SC_HIGH_8, SC_HIGH_8

static const uint8_t str_class[256] = {
	SC_CONTROL_8, SC_CONTROL_8, SC_CONTROL_8, SC_CONTROL_8,
	['"'] = SC_QUOTE, ['\\'] = SC_ESCAPE,
	[0x80] = SC_HIGH_64, SC_HIGH_64,
};

/* The byte an escape stands for, by the letter after the backslash; 0 for
 * letters that are not a short escape. */
static const uint8_t short_escape[128] = {
	['"'] = '"', ['\\'] = '\\', ['b'] = '\b', ['f'] = '\f',
	['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

static pnyx_err invalid_at(struct jc *c, size_t at)
{
	return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
			     "not valid JSON at byte %zu", at + 1);
}

static pnyx_err not_canonical_at(struct jc *c, size_t at, const char *what)
{
	return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
			     "the JSON is not in canonical form (%s) at byte %zu",
			     what, at + 1);
}

/* U+0000 is refused wherever it is, raw or escaped (jansson's parser
 * refuses it too, and keys could not hold it). */
static pnyx_err nul_at(struct jc *c, size_t at)
{
	return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
			     "the JSON holds a NUL character at byte %zu", at + 1);
}

static pnyx_err nomem(struct jc *c)
{
	return pnyx_diag_set(c->diag, PNYX_ERR_NOMEM, "out of memory");
}

static bool is_space(uint8_t b)
{
	return b == ' ' || b == '\t' || b == '\n' || b == '\r';
}

/* The refusal for a byte (or the end) where something else was expected:
 * white space is valid JSON but not canonical. */
static pnyx_err unexpected(struct jc *c)
{
	if (c->pos < c->n && is_space(c->p[c->pos]))
		return not_canonical_at(c, c->pos, "white space");
	return invalid_at(c, c->pos);
}

/* Moves past the byte b, or refuses. */
static pnyx_err expect(struct jc *c, uint8_t b)
{
	if (c->pos >= c->n || c->p[c->pos] != b)
		return unexpected(c);
	c->pos++;
	return PNYX_OK;
}

static int hex_upper(uint8_t b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	if (b >= 'A' && b <= 'F')
		return b - 'A' + 10;
	return -1;
}

static bool is_hex(uint8_t b)
{
	return hex_upper(b) >= 0 || (b >= 'a' && b <= 'f');
}

/* Checks the escape at p[i] (a backslash): one jansson writes, else
 * refused. Returns its length through *len. */
static pnyx_err check_escape(struct jc *c, size_t i, size_t *len)
{
	const uint8_t *p = c->p;
	if (i + 1 >= c->n)
		return invalid_at(c, c->n);
	uint8_t e = p[i + 1];
	*len = 2;
	if (e < 128 && short_escape[e] != 0)
		return PNYX_OK;
	if (e == '/')
		return not_canonical_at(c, i, "an escaped '/'");
	if (e != 'u')
		return invalid_at(c, i + 1);
	for (size_t k = 2; k < 6; k++)
		if (i + k >= c->n || !is_hex(p[i + k]))
			return invalid_at(c, i + k);
	*len = 6;
	int lo = hex_upper(p[i + 5]);
	if (p[i + 2] != '0' || p[i + 3] != '0' || (p[i + 4] != '0' && p[i + 4] != '1') ||
	    lo < 0)
		return not_canonical_at(c, i, "a \\u escape the canonical form "
					      "does not use");
	uint8_t v = (uint8_t)((p[i + 4] - '0') * 16 + lo);
	if (v == 0)
		return nul_at(c, i);
	if (v == '\b' || v == '\t' || v == '\n' || v == '\f' || v == '\r')
		return not_canonical_at(c, i, "\\u00XX where a short escape belongs");
	return PNYX_OK;
}

/* Reads the string whose opening quote is at c->pos into *out (its raw
 * bytes) and moves past the closing quote. */
static pnyx_err scan_string(struct jc *c, struct jc_str *out)
{
	size_t start = c->pos + 1, i = start;
	bool esc = false, high = false;
	for (;;) {
		if (i >= c->n)
			return invalid_at(c, c->n);
		uint8_t k = str_class[c->p[i]];
		if (k == SC_PLAIN) {
			i++;
		} else if (k == SC_QUOTE) {
			break;
		} else if (k == SC_HIGH) {
			high = true;
			i++;
		} else if (k == SC_CONTROL) {
			return c->p[i] == 0 ? nul_at(c, i) : invalid_at(c, i);
		} else {
			size_t len = 0;
			pnyx_err err = check_escape(c, i, &len);
			if (err != PNYX_OK)
				return err;
			esc = true;
			i += len;
		}
	}
	if (high && !pnyx_utf8_is_valid(c->p + start, i - start))
		return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
				     "the JSON holds a string that is not valid "
				     "UTF-8 (it starts at byte %zu)", start + 1);
	*out = (struct jc_str){.s = c->p + start, .len = i - start, .esc = esc};
	c->pos = i + 1;
	return PNYX_OK;
}

/* The byte at s[*i] of a checked canonical string, decoding an escape;
 * moves *i past it. */
static uint8_t next_byte(const uint8_t *s, size_t *i)
{
	uint8_t b = s[*i];
	if (b != '\\') {
		(*i)++;
		return b;
	}
	uint8_t e = s[*i + 1];
	if (e != 'u') {
		*i += 2;
		return short_escape[e];
	}
	*i += 6;
	return (uint8_t)((s[*i - 2] - '0') * 16 + hex_upper(s[*i - 1]));
}

/* Compares two keys by the bytes they stand for, as jansson sorts them. */
static int key_cmp(const struct jc_str *a, const struct jc_str *b)
{
	if (!a->esc && !b->esc) {
		int r = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
		if (r != 0)
			return r;
		return (a->len > b->len) - (a->len < b->len);
	}
	size_t i = 0, j = 0;
	while (i < a->len && j < b->len) {
		uint8_t x = next_byte(a->s, &i), y = next_byte(b->s, &j);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (i < a->len) - (j < b->len);
}

/* The bytes a string stands for: its raw bytes when it has no escape,
 * else decoded into a scratch buffer (valid until the next call). NULL
 * when memory runs out. */
static const char *decode(struct jc *c, const struct jc_str *s, size_t *len)
{
	*len = s->len;
	if (!s->esc)
		return (const char *)s->s;
	char *dst = c->small;
	if (s->len > JC_SMALL) {
		if (c->big == NULL)
			c->big = pnyx_malloc(c->n);
		dst = c->big;
		if (dst == NULL)
			return NULL;
	}
	size_t i = 0, o = 0;
	while (i < s->len)
		dst[o++] = (char)next_byte(s->s, &i);
	*len = o;
	return dst;
}

static pnyx_err parse_string(struct jc *c, json_t **v)
{
	struct jc_str s;
	pnyx_err err = scan_string(c, &s);
	if (err != PNYX_OK)
		return err;
	size_t len;
	const char *d = decode(c, &s, &len);
	*v = d != NULL ? json_stringn_nocheck(d, len) : NULL;
	return *v != NULL ? PNYX_OK : nomem(c);
}

static bool is_digit(uint8_t b)
{
	return b >= '0' && b <= '9';
}

/* Reads a canonical integer at c->pos. */
static pnyx_err parse_integer(struct jc *c, json_t **v)
{
	size_t start = c->pos, i = start;
	bool neg = c->p[i] == '-';
	i += neg ? 1 : 0;
	if (i >= c->n || !is_digit(c->p[i]))
		return invalid_at(c, i);
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t u = 0;
	bool zero = c->p[i] == '0';
	for (; i < c->n && is_digit(c->p[i]); i++) {
		unsigned d = (unsigned)(c->p[i] - '0');
		if (u > (limit - d) / 10)
			return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
					     "the JSON holds an integer outside the "
					     "64-bit range at byte %zu", start + 1);
		u = u * 10 + d;
	}
	if (i < c->n && (c->p[i] == '.' || c->p[i] == 'e' || c->p[i] == 'E'))
		return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
				     "the JSON holds a number that is not an integer");
	if (zero && i - start > (neg ? 2u : 1u))
		return invalid_at(c, start + (neg ? 2u : 1u));
	if (zero && neg)
		return not_canonical_at(c, start, "-0");
	c->pos = i;
	/* u - 1 fits even for INT64_MIN */
	json_int_t x = neg ? -(json_int_t)(u - 1) - 1 : (json_int_t)u;
	*v = json_integer(x);
	return *v != NULL ? PNYX_OK : nomem(c);
}

/* Reads true, false or null at c->pos. */
static pnyx_err parse_literal(struct jc *c, json_t **v)
{
	static const char *const word[] = {"true", "false", "null"};
	size_t left = c->n - c->pos;
	for (size_t k = 0; k < 3; k++) {
		size_t len = strlen(word[k]);
		if (left >= len && memcmp(c->p + c->pos, word[k], len) == 0) {
			c->pos += len;
			*v = k == 0 ? json_true() : k == 1 ? json_false() : json_null();
			return PNYX_OK;
		}
	}
	return invalid_at(c, c->pos);
}

/* Reads the value at c->pos into a new reference *v; a container is
 * returned empty and open (*open set). */
static pnyx_err parse_value(struct jc *c, json_t **v, bool *open)
{
	*open = false;
	if (c->pos >= c->n)
		return invalid_at(c, c->pos);
	uint8_t b = c->p[c->pos];
	if (b == '{' || b == '[') {
		if (c->top == c->max_depth)
			return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
					     "the JSON nests deeper than %zu levels",
					     c->max_depth);
		*v = b == '{' ? json_object() : json_array();
		if (*v == NULL)
			return nomem(c);
		c->pos++;
		*open = true;
		return PNYX_OK;
	}
	if (b == '"')
		return parse_string(c, v);
	if (b == '-' || is_digit(b))
		return parse_integer(c, v);
	if (b == 't' || b == 'f' || b == 'n')
		return parse_literal(c, v);
	return unexpected(c);
}

/* Reads "key": of the innermost object, checking it comes after the last. */
static pnyx_err parse_key(struct jc *c, struct jc_frame *f, struct jc_str *key)
{
	size_t at = c->pos;
	if (at >= c->n || c->p[at] != '"')
		return unexpected(c);
	pnyx_err err = scan_string(c, key);
	if (err != PNYX_OK)
		return err;
	if (f->count > 0) {
		int r = key_cmp(&f->last, key);
		if (r >= 0)
			return not_canonical_at(c, at, r == 0 ? "a key repeated"
							      : "keys out of byte order");
	}
	return expect(c, ':');
}

/* Adds v (stolen) to the container of f, under key for an object. */
static pnyx_err insert(struct jc *c, struct jc_frame *f,
		       const struct jc_str *key, json_t *v)
{
	if (!f->obj)
		return json_array_append_new(f->c, v) == 0 ? PNYX_OK : nomem(c);
	size_t len;
	const char *k = decode(c, key, &len);
	if (k == NULL) {
		json_decref(v);
		return nomem(c);
	}
	if (json_object_setn_new_nocheck(f->c, k, len, v) != 0)
		return nomem(c);
	f->last = *key;
	return PNYX_OK;
}

/* One step of the innermost container: its close, or its next member. */
static pnyx_err step(struct jc *c)
{
	struct jc_frame *f = &c->st[c->top - 1];
	if (c->pos < c->n && c->p[c->pos] == (f->obj ? '}' : ']')) {
		c->pos++;
		c->top--;
		return PNYX_OK;
	}
	pnyx_err err = f->count > 0 ? expect(c, ',') : PNYX_OK;
	struct jc_str key = {0};
	if (err == PNYX_OK && f->obj)
		err = parse_key(c, f, &key);
	json_t *v = NULL;
	bool open = false;
	if (err == PNYX_OK)
		err = parse_value(c, &v, &open);
	if (err == PNYX_OK)
		err = insert(c, f, &key, v);
	else
		json_decref(v);
	if (err != PNYX_OK)
		return err;
	f->count++;
	if (open)
		c->st[c->top++] = (struct jc_frame){.c = v, .obj = json_is_object(v)};
	return PNYX_OK;
}

/* Parses the whole text; *root is set as soon as it exists, so that the
 * caller frees it on failure. */
static pnyx_err parse_root(struct jc *c, json_t **root)
{
	if (c->n == 0)
		return invalid_at(c, 0);
	uint8_t b = c->p[0];
	if (b != '{' && b != 0 && strchr("[\"-0123456789tfn", b) != NULL)
		return pnyx_diag_set(c->diag, PNYX_ERR_MALFORMED,
				     "the JSON value is not an object");
	if (b != '{')
		return unexpected(c);
	*root = json_object();
	if (*root == NULL)
		return nomem(c);
	c->pos = 1;
	c->st[0] = (struct jc_frame){.c = *root, .obj = true};
	c->top = 1;
	while (c->top > 0) {
		pnyx_err err = step(c);
		if (err != PNYX_OK)
			return err;
	}
	return c->pos == c->n ? PNYX_OK : unexpected(c);
}

pnyx_err pnyx_json_parse_canonical(const uint8_t *p, size_t n,
				   size_t max_depth, json_t **out,
				   pnyx_diag *diag)
{
	assert(max_depth >= 1 && max_depth <= PNYX_JSON_MAX_DEPTH);
	assert(out != NULL && (p != NULL || n == 0));
	struct jc c = {.p = p, .n = n, .max_depth = max_depth, .diag = diag};
	json_t *root = NULL;
	pnyx_err err = parse_root(&c, &root);
	pnyx_free(c.big);
	if (err != PNYX_OK) {
		json_decref(root);
		return err;
	}
	*out = root;
	return PNYX_OK;
}
