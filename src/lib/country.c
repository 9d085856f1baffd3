/*
 * Country names in the UN's six languages and the UN member list. See
 * pnyx/country.h.
 *
 * Loading reads three kinds of file, each through a bounded reader and a
 * strict parser: the iso-codes JSON (jansson, then every field checked),
 * five GNU .mo catalogues (pnyx_mo_parse below: 32-bit words read through a
 * cursor that never leaves the file), and the member list (line cursor).
 * It then resolves every name of every state in every language once, so
 * that a lookup is a binary search over immutable memory.
 */
#include "pnyx/country.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pnyx/buf.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"

#define MO_MAGIC 0x950412deu
#define MO_HEADER 28u     /* magic, revision, N, O, T, S, H */
#define NAME_MAX_BYTES 1024u /* of one English name */

/* ---- GNU .mo catalogues ---- */

/* Moves c to offset off; false (c unmoved) past the end. */
static bool cursor_seek(pnyx_cursor *c, uint64_t off)
{
	if (off > c->len)
		return false;
	c->pos = (size_t)off;
	return true;
}

/* Reads a 32-bit word in the file's byte order and advances; false (c
 * unmoved) if fewer than 4 bytes are left. */
static bool cursor_u32(pnyx_cursor *c, bool big_endian, uint32_t *out)
{
	if (pnyx_cursor_left(c) < 4)
		return false;
	const uint8_t *b = c->p + c->pos;
	if (big_endian)
		*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		       (uint32_t)b[2] << 8 | b[3];
	else
		*out = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[1] << 8 | b[0];
	c->pos += 4;
	return true;
}

/* Reads descriptor i (length, offset) of the table at table. The parser
 * has checked that every descriptor lies inside the file. */
static void mo_desc(const pnyx_mo *mo, uint32_t table, uint32_t i,
		    uint32_t *len, uint32_t *off)
{
	pnyx_cursor c;
	pnyx_cursor_init(&c, mo->p, mo->len);
	bool ok = cursor_seek(&c, (uint64_t)table + (uint64_t)i * 8) &&
		  cursor_u32(&c, mo->big_endian, len) &&
		  cursor_u32(&c, mo->big_endian, off);
	assert(ok);
	(void)ok;
}

/* Reads the fixed header: magic, revision, N, O, T, S, H. */
static pnyx_err mo_header(pnyx_cursor *c, pnyx_mo *mo, pnyx_diag *diag)
{
	uint32_t magic, rev, hsize, hoff;
	if (!cursor_u32(c, false, &magic))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: shorter than its header");
	if (magic != MO_MAGIC && magic != 0xde120495u)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: not a GNU .mo file (bad magic)");
	mo->big_endian = magic != MO_MAGIC;
	if (!cursor_u32(c, mo->big_endian, &rev) ||
	    !cursor_u32(c, mo->big_endian, &mo->n) ||
	    !cursor_u32(c, mo->big_endian, &mo->orig) ||
	    !cursor_u32(c, mo->big_endian, &mo->trans) ||
	    !cursor_u32(c, mo->big_endian, &hsize) ||
	    !cursor_u32(c, mo->big_endian, &hoff))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: shorter than its header");
	if ((rev >> 16) > 1 || (rev & 0xffffu) > 1)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: unknown format revision %u.%u",
				     rev >> 16, rev & 0xffffu);
	if (mo->n > PNYX_MO_MAX_STRINGS)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: %u strings, more than %u", mo->n,
				     PNYX_MO_MAX_STRINGS);
	uint64_t tab = (uint64_t)mo->n * 8;
	if ((uint64_t)mo->orig + tab > mo->len ||
	    (uint64_t)mo->trans + tab > mo->len ||
	    (hsize > 0 && (uint64_t)hoff + (uint64_t)hsize * 4 > mo->len))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: a table lies outside the file");
	return PNYX_OK;
}

/* Checks descriptor i of a table: the string inside the file, followed by
 * a NUL, valid UTF-8. */
static pnyx_err mo_check_string(const pnyx_mo *mo, uint32_t table, uint32_t i,
				const char *what, pnyx_diag *diag)
{
	uint32_t len, off;
	mo_desc(mo, table, i, &len, &off);
	if ((uint64_t)off + len >= mo->len || mo->p[(size_t)off + len] != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: %s string %u lies outside the file "
				     "or lacks its NUL", what, i);
	if (!pnyx_utf8_is_valid(mo->p + off, len))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     ".mo: %s string %u is not UTF-8", what, i);
	return PNYX_OK;
}

/* The key of original string i: its bytes up to the first NUL (an entry
 * with plural forms holds "msgid\0msgid_plural"), as gettext compares. */
static void mo_key(const pnyx_mo *mo, uint32_t i, const uint8_t **key,
		   size_t *n)
{
	uint32_t len, off;
	mo_desc(mo, mo->orig, i, &len, &off);
	*key = mo->p + off;
	*n = strnlen((const char *)*key, len);
}

static int key_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn ? 1 : 0;
}

pnyx_err pnyx_mo_parse(const uint8_t *p, size_t n, pnyx_mo *out,
		       pnyx_diag *diag)
{
	assert(out != NULL && (p != NULL || n == 0));
	if (n > PNYX_MO_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     ".mo: larger than %u bytes", PNYX_MO_MAX);
	pnyx_mo mo = {.p = p, .len = n};
	pnyx_cursor c;
	pnyx_cursor_init(&c, p, n);
	pnyx_err err = mo_header(&c, &mo, diag);
	const uint8_t *prev = NULL, *key;
	size_t prev_n = 0, key_n;
	for (uint32_t i = 0; err == PNYX_OK && i < mo.n; i++) {
		err = mo_check_string(&mo, mo.orig, i, "original", diag);
		if (err == PNYX_OK)
			err = mo_check_string(&mo, mo.trans, i, "translated",
					      diag);
		if (err != PNYX_OK)
			break;
		mo_key(&mo, i, &key, &key_n);
		if (prev != NULL && key_cmp(prev, prev_n, key, key_n) >= 0)
			err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					    ".mo: original string %u is not in "
					    "increasing order", i);
		prev = key;
		prev_n = key_n;
	}
	if (err == PNYX_OK)
		*out = mo;
	return err;
}

const char *pnyx_mo_lookup(const pnyx_mo *mo, const uint8_t *msgid, size_t n)
{
	assert(mo != NULL && (msgid != NULL || n == 0));
	if (n > 0 && memchr(msgid, 0, n) != NULL)
		return NULL;
	uint32_t lo = 0, hi = mo->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint8_t *key;
		size_t key_n;
		mo_key(mo, mid, &key, &key_n);
		int c = key_cmp(msgid, n, key, key_n);
		if (c == 0) {
			uint32_t len, off;
			mo_desc(mo, mo->trans, mid, &len, &off);
			return len > 0 ? (const char *)mo->p + off : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* ---- the set ---- */

/* The UN's six languages: the tag callers give and the catalogue's
 * directory under the locale directory (index 0, English, has none). */
static const struct {
	const char *tag;
	const char *dir;
} langs[PNYX_COUNTRY_LANGS] = {
	{"en", NULL}, {"ar", "ar"}, {"zh", "zh_CN"},
	{"fr", "fr"}, {"ru", "ru"}, {"es", "es"},
};

struct country {
	char alpha3[4];
	char *english; /* owned: the English names, NUL-separated */
	const char *name[PNYX_COUNTRY__FORMS][PNYX_COUNTRY_LANGS];
	bool translated[PNYX_COUNTRY__FORMS][PNYX_COUNTRY_LANGS];
};

struct pnyx_country_set {
	struct country *c; /* sorted by alpha3 */
	size_t nc;
	char (*members)[4];
	size_t nm;
	uint8_t *mo_bytes[PNYX_COUNTRY_LANGS]; /* owned catalogues */
};

/* Reads a whole file of at most max bytes into out (initialised here). */
static pnyx_err read_file(const char *path, size_t max, pnyx_buf *out,
			  pnyx_diag *diag)
{
	pnyx_buf_init(out, max);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pnyx_diag_set(diag, errno == ENOENT ? PNYX_ERR_NOT_FOUND
							   : PNYX_ERR_IO,
				     "cannot open %s: %s", path,
				     strerror(errno));
	uint8_t chunk[16384];
	pnyx_err err = PNYX_OK;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0)
				err = pnyx_diag_set(diag, PNYX_ERR_IO,
						    "cannot read %s: %s", path,
						    strerror(errno));
			break;
		}
		err = pnyx_buf_append(out, chunk, (size_t)got);
		if (err != PNYX_OK) {
			err = pnyx_diag_set(diag, err, "%s: %s", path,
					    err == PNYX_ERR_TOO_LARGE
						    ? "file too large"
						    : "out of memory");
			break;
		}
	}
	close(fd);
	if (err != PNYX_OK)
		pnyx_buf_clear(out);
	return err;
}

static bool is_alpha3(const char *s, size_t n)
{
	return n == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	       s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/* Index of the state with code alpha3 (3 bytes), or nc if none. */
static size_t find_country(const pnyx_country_set *set, const char *alpha3)
{
	size_t lo = 0, hi = set->nc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(alpha3, set->c[mid].alpha3, 3);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return set->nc;
}

/* ---- the English names (iso-codes JSON) ---- */

/* The optional string member key of o: NULL if absent; else it must be a
 * non-empty string without control characters, at most NAME_MAX_BYTES. */
static pnyx_err get_name(const json_t *o, const char *key, bool required,
			 const char **out, size_t *n)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	*n = 0;
	if (v == NULL && !required)
		return PNYX_OK;
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > NAME_MAX_BYTES)
		return PNYX_ERR_MALFORMED;
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return PNYX_ERR_MALFORMED;
	*out = s;
	*n = len;
	return PNYX_OK;
}

/* Fills one state from its JSON object: code and English names. */
static pnyx_err load_state(const json_t *o, struct country *c)
{
	const json_t *code = json_object_get(o, "alpha_3");
	if (!json_is_string(code) ||
	    !is_alpha3(json_string_value(code), json_string_length(code)))
		return PNYX_ERR_MALFORMED;
	const char *s[PNYX_COUNTRY__FORMS];
	size_t n[PNYX_COUNTRY__FORMS];
	if (get_name(o, "name", true, &s[0], &n[0]) != PNYX_OK ||
	    get_name(o, "common_name", false, &s[1], &n[1]) != PNYX_OK ||
	    get_name(o, "official_name", false, &s[2], &n[2]) != PNYX_OK)
		return PNYX_ERR_MALFORMED;
	c->english = pnyx_malloc(n[0] + n[1] + n[2] + 3);
	if (c->english == NULL)
		return PNYX_ERR_NOMEM;
	memcpy(c->alpha3, json_string_value(code), 4);
	size_t at = 0;
	for (int f = 0; f < PNYX_COUNTRY__FORMS; f++) {
		if (s[f] != NULL)
			memcpy(c->english + at, s[f], n[f]);
		c->english[at + n[f]] = '\0';
		c->name[f][0] = s[f] != NULL ? c->english + at : c->english;
		c->translated[f][0] = true;
		at += n[f] + 1;
	}
	return PNYX_OK;
}

static int country_cmp(const void *a, const void *b)
{
	return memcmp(((const struct country *)a)->alpha3,
		      ((const struct country *)b)->alpha3, 3);
}

static pnyx_err load_states(pnyx_country_set *set, const json_t *list,
			    const char *path, pnyx_diag *diag)
{
	size_t n = json_array_size(list);
	if (n == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "%s: no states", path);
	set->c = pnyx_calloc(n, sizeof *set->c);
	if (set->c == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		pnyx_err err = load_state(json_array_get(list, i), &set->c[i]);
		if (err != PNYX_OK)
			return pnyx_diag_set(diag, err, "%s: state %zu: %s",
					     path, i,
					     err == PNYX_ERR_NOMEM
						     ? "out of memory"
						     : "no valid alpha_3 and "
						       "names");
		set->nc = i + 1;
	}
	qsort(set->c, set->nc, sizeof *set->c, country_cmp);
	for (size_t i = 1; i < set->nc; i++)
		if (country_cmp(&set->c[i - 1], &set->c[i]) == 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "%s: %s appears twice", path,
					     set->c[i].alpha3);
	return PNYX_OK;
}

static pnyx_err load_json(pnyx_country_set *set, const char *path,
			  pnyx_diag *diag)
{
	pnyx_buf b;
	pnyx_err err = read_file(path, PNYX_COUNTRY_JSON_MAX, &b, diag);
	if (err != PNYX_OK)
		return err;
	if (b.len == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "%s: empty",
				     path);
	json_error_t e;
	json_t *root = json_loadb((const char *)b.data, b.len,
				 JSON_REJECT_DUPLICATES, &e);
	pnyx_buf_clear(&b);
	if (root == NULL)
		return pnyx_diag_set(diag,
				     json_error_code(&e) ==
						     json_error_out_of_memory
					     ? PNYX_ERR_NOMEM
					     : PNYX_ERR_MALFORMED,
				     "%s: not valid JSON (line %d)", path,
				     e.line);
	const json_t *list = json_object_get(root, "3166-1");
	if (!json_is_array(list))
		err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				    "%s: no \"3166-1\" array", path);
	else
		err = load_states(set, list, path, diag);
	json_decref(root);
	return err;
}

/* ---- the translations ---- */

/* The translation of an English name, or NULL if the catalogue has none
 * or only one with a control character (which no name may hold). */
static const char *translate(const pnyx_mo *mo, const char *en)
{
	const char *t = pnyx_mo_lookup(mo, (const uint8_t *)en, strlen(en));
	for (const char *q = t; q != NULL && *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return NULL;
	return t;
}

/* Resolves every name of every state in language l from its catalogue. */
static void resolve(pnyx_country_set *set, const pnyx_mo *mo, int l)
{
	for (size_t i = 0; i < set->nc; i++) {
		struct country *c = &set->c[i];
		const char *shortname = c->name[PNYX_COUNTRY_SHORT][0];
		const char *tshort = translate(mo, shortname);
		for (int f = 0; f < PNYX_COUNTRY__FORMS; f++) {
			const char *en = c->name[f][0];
			const char *t = f == PNYX_COUNTRY_SHORT
						? tshort
						: translate(mo, en);
			if (t == NULL)
				t = tshort;
			c->name[f][l] = t != NULL ? t : en;
			c->translated[f][l] = t != NULL;
		}
	}
}

static pnyx_err load_catalogue(pnyx_country_set *set, const char *dir, int l,
			       pnyx_diag *diag)
{
	char path[4096];
	int w = snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", dir,
			 langs[l].dir, PNYX_COUNTRY_DOMAIN);
	if (w < 0 || (size_t)w >= sizeof path)
		return pnyx_diag_set(diag, PNYX_ERR_NOT_FOUND,
				     "the locale directory's path is too long");
	pnyx_buf b;
	pnyx_err err = read_file(path, PNYX_MO_MAX, &b, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_mo mo;
	pnyx_diag why = {{0}};
	err = pnyx_mo_parse(b.data, b.len, &mo, &why);
	if (err != PNYX_OK) {
		pnyx_buf_clear(&b);
		return pnyx_diag_set(diag, err, "%s: %s", path, why.msg);
	}
	size_t len;
	set->mo_bytes[l] = pnyx_buf_take(&b, &len);
	/* a parsed empty file cannot exist: the header alone is 28 bytes */
	assert(set->mo_bytes[l] != NULL && len == mo.len);
	mo.p = set->mo_bytes[l];
	resolve(set, &mo, l);
	return PNYX_OK;
}

/* ---- the member list ---- */

static pnyx_err parse_members(pnyx_country_set *set, const pnyx_buf *b,
			      const char *path, pnyx_diag *diag)
{
	set->members = pnyx_calloc(set->nc, sizeof *set->members);
	if (set->members == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	pnyx_cursor c;
	pnyx_cursor_init(&c, b->data, b->len);
	const uint8_t *line;
	size_t n, lineno = 0;
	while (pnyx_cursor_line(&c, &line, &n)) {
		lineno++;
		if (n == 0 || line[0] == '#')
			continue;
		if (!is_alpha3((const char *)line, n) ||
		    find_country(set, (const char *)line) == set->nc)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "%s:%zu: not the alpha-3 code of "
					     "a state", path, lineno);
		if (set->nm > 0 && memcmp(set->members[set->nm - 1], line,
					  3) >= 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "%s:%zu: codes are not in "
					     "increasing order", path, lineno);
		memcpy(set->members[set->nm], line, 3);
		set->members[set->nm++][3] = '\0';
	}
	if (pnyx_cursor_left(&c) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "%s: the last line lacks its newline",
				     path);
	return PNYX_OK;
}

static pnyx_err load_members(pnyx_country_set *set, const char *path,
			     pnyx_diag *diag)
{
	pnyx_buf b;
	pnyx_err err = read_file(path, PNYX_COUNTRY_MEMBERS_MAX, &b, diag);
	if (err != PNYX_OK)
		return err;
	err = parse_members(set, &b, path, diag);
	pnyx_buf_clear(&b);
	return err;
}

pnyx_err pnyx_country_set_load(const pnyx_country_paths *paths,
			       pnyx_country_set **out, pnyx_diag *diag)
{
	assert(paths != NULL && paths->members != NULL && out != NULL);
	pnyx_country_set *set = pnyx_calloc(1, sizeof *set);
	if (set == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	const char *dir = paths->locale_dir != NULL ? paths->locale_dir
						    : PNYX_COUNTRY_LOCALE_DIR;
	pnyx_err err = load_json(set, paths->iso_json != NULL
					      ? paths->iso_json
					      : PNYX_COUNTRY_ISO_JSON,
				 diag);
	for (int l = 1; err == PNYX_OK && l < PNYX_COUNTRY_LANGS; l++)
		err = load_catalogue(set, dir, l, diag);
	if (err == PNYX_OK)
		err = load_members(set, paths->members, diag);
	if (err != PNYX_OK) {
		pnyx_country_set_free(set);
		return err;
	}
	*out = set;
	return PNYX_OK;
}

void pnyx_country_set_free(pnyx_country_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->nc; i++)
		pnyx_free(set->c[i].english);
	pnyx_free(set->c);
	pnyx_free(set->members);
	for (int l = 0; l < PNYX_COUNTRY_LANGS; l++)
		pnyx_free(set->mo_bytes[l]);
	pnyx_free(set);
}

/* ---- lookups ---- */

/* The language index of a tag by its primary subtag; -1 if none of the
 * six (NULL counts as English). */
static int lang_index(const char *lang)
{
	if (lang == NULL)
		return 0;
	size_t n = strcspn(lang, "-_");
	for (int l = 0; l < PNYX_COUNTRY_LANGS; l++)
		if (n == 2 && (lang[0] | 0x20) == langs[l].tag[0] &&
		    (lang[1] | 0x20) == langs[l].tag[1])
			return l;
	return -1;
}

const char *pnyx_country_lookup(const pnyx_country_set *set,
				const char *alpha3, const char *lang,
				pnyx_country_form form, bool *translated)
{
	assert(set != NULL && alpha3 != NULL);
	assert(form >= PNYX_COUNTRY_SHORT && form < PNYX_COUNTRY__FORMS);
	size_t i = strnlen(alpha3, 4) == 3 ? find_country(set, alpha3)
					   : set->nc;
	if (i == set->nc)
		return NULL;
	const struct country *c = &set->c[i];
	int l = lang_index(lang);
	if (translated != NULL)
		*translated = l >= 0 && c->translated[form][l];
	return c->name[form][l >= 0 ? l : 0];
}

const char *pnyx_country_name(const pnyx_country_set *set,
			      const char *alpha3, const char *lang)
{
	return pnyx_country_lookup(set, alpha3, lang, PNYX_COUNTRY_SHORT,
				   NULL);
}

size_t pnyx_country_member_count(const pnyx_country_set *set)
{
	assert(set != NULL);
	return set->nm;
}

const char *pnyx_country_member(const pnyx_country_set *set, size_t i)
{
	assert(set != NULL && i < set->nm);
	return set->members[i];
}

bool pnyx_country_is_member(const pnyx_country_set *set, const char *alpha3)
{
	assert(set != NULL && alpha3 != NULL);
	if (strnlen(alpha3, 4) != 3)
		return false;
	size_t lo = 0, hi = set->nm;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(alpha3, set->members[mid], 3);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}
