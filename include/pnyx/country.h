/*
 * pnyx/country.h — names of states in the UN's six official languages
 * (Arabic, Chinese, English, French, Russian, Spanish), and the list of UN
 * members.
 *
 * Names come from Debian's iso-codes: the English names of
 * /usr/share/iso-codes/json/iso_3166-1.json and their translations in the
 * gettext catalogues <locale dir>/<lang>/LC_MESSAGES/iso_3166-1.mo (ar,
 * zh_CN, fr, ru, es). The catalogues are read by this module's own strict
 * parser of the GNU .mo format, not through gettext, whose process-wide
 * state (locale, LANGUAGE, bound domains) does not belong in a library.
 * ISO 3166-1 does not say which states are UN members: the project keeps
 * that list (data/un-members.txt: one alpha-3 code a line, in increasing
 * order, '#' comment lines).
 *
 * A set is loaded once at start-up; after that every lookup is a pure read
 * of immutable memory, safe from any number of threads at once.
 */
#ifndef PNYX_COUNTRY_H
#define PNYX_COUNTRY_H

#include "pnyx/common.h"

/* ---- GNU .mo catalogues ---- */

#define PNYX_MO_MAX (16u * 1024u * 1024u) /* bytes of a .mo file */
#define PNYX_MO_MAX_STRINGS 262144u       /* strings in a .mo file */

/* A parsed .mo catalogue; borrows the file's bytes, which must outlive it.
 * Plain data, caller-owned. */
typedef struct pnyx_mo {
	const uint8_t *p;
	size_t len;
	uint32_t n;       /* number of strings */
	uint32_t orig;    /* offset of the table of original strings */
	uint32_t trans;   /* offset of the table of translations */
	bool big_endian;  /* byte order of the file's 32-bit words */
} pnyx_mo;

/* Parses the n bytes at p as a GNU .mo file: magic 0x950412de in either
 * byte order, format revision major 0 or 1 and minor 0 or 1 (the
 * system-dependent strings of minor revision 1 are ignored), at most
 * PNYX_MO_MAX_STRINGS strings, both string tables and the hash table inside
 * the file, every string inside the file, followed by a NUL and valid UTF-8,
 * and the original strings in strictly increasing byte order (as msgfmt
 * writes them; lookups bisect). Returns PNYX_OK and *out, or
 * PNYX_ERR_TOO_LARGE (n > PNYX_MO_MAX), PNYX_ERR_MALFORMED with the reason
 * in diag. Allocates nothing. */
PNYX_EXPORT pnyx_err pnyx_mo_parse(const uint8_t *p, size_t n, pnyx_mo *out,
				   pnyx_diag *diag) PNYX_WUR;

/* Looks up the translation of msgid (n bytes): returns a NUL-terminated
 * string inside the catalogue's bytes (for an entry with plural forms, the
 * first form), or NULL if msgid is absent or its translation empty.
 * O(log strings); thread-safe. */
PNYX_EXPORT const char *pnyx_mo_lookup(const pnyx_mo *mo, const uint8_t *msgid,
				       size_t n);

/* ---- country names ---- */

#define PNYX_COUNTRY_ISO_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#define PNYX_COUNTRY_LOCALE_DIR "/usr/share/locale"
#define PNYX_COUNTRY_DOMAIN "iso_3166-1"
#define PNYX_COUNTRY_JSON_MAX (8u * 1024u * 1024u) /* bytes of the JSON */
#define PNYX_COUNTRY_MEMBERS_MAX (64u * 1024u) /* bytes of the member list */
#define PNYX_COUNTRY_LANGS 6 /* en, ar, zh, fr, ru, es */

typedef struct pnyx_country_set pnyx_country_set;

/* Where to read from; NULL members take the defaults. */
typedef struct pnyx_country_paths {
	const char *iso_json;   /* NULL: PNYX_COUNTRY_ISO_JSON */
	const char *locale_dir; /* NULL: PNYX_COUNTRY_LOCALE_DIR */
	const char *members;    /* the UN member list; required */
} pnyx_country_paths;

/* Which of the names iso-codes gives a state. */
typedef enum pnyx_country_form {
	PNYX_COUNTRY_SHORT = 0, /* ISO's short name ("name"): "Korea,
				   Republic of", "France" */
	PNYX_COUNTRY_COMMON,    /* "common_name" if any ("South Korea"),
				   else the short name */
	PNYX_COUNTRY_OFFICIAL,  /* "official_name" if any ("French
				   Republic"), else the short name */
	PNYX_COUNTRY__FORMS
} pnyx_country_form;

/* Loads the English names, the five catalogues and the member list. Every
 * file must be there and well formed: the JSON an object whose "3166-1"
 * array holds objects with a unique "alpha_3" of three letters A-Z and a
 * non-empty "name" (optional "common_name", "official_name"), every name
 * free of control characters; each catalogue as pnyx_mo_parse; the member
 * list as above, each code a state of the JSON. Returns PNYX_OK and *out
 * (free with pnyx_country_set_free), or PNYX_ERR_NOT_FOUND / PNYX_ERR_IO (a
 * file cannot be read), PNYX_ERR_TOO_LARGE, PNYX_ERR_MALFORMED,
 * PNYX_ERR_NOMEM, with the file and the reason in diag. */
PNYX_EXPORT pnyx_err pnyx_country_set_load(const pnyx_country_paths *paths,
					   pnyx_country_set **out,
					   pnyx_diag *diag) PNYX_WUR;

/* Frees a set and every string it handed out. NULL is a no-op. */
PNYX_EXPORT void pnyx_country_set_free(pnyx_country_set *set);

/* The short name (PNYX_COUNTRY_SHORT) of the state with ISO 3166-1 alpha-3
 * code alpha3 (NUL-terminated, e.g. "FRA") in language lang: "en", "ar",
 * "zh", "fr", "ru" or "es" (a longer tag such as "zh-CN" or "fr_FR" counts
 * by its part before '-' or '_'; lang may be NULL). Falls back to English
 * when lang is another language or the catalogue lacks the name. Returns
 * NULL if alpha3 is not a code of the set. The string is the set's and
 * lives as long as the set. Thread-safe. */
PNYX_EXPORT const char *pnyx_country_name(const pnyx_country_set *set,
					  const char *alpha3,
					  const char *lang);

/* As pnyx_country_name, for any form. *translated (may be NULL) is set to
 * true if the name returned is in lang (always true for English), false
 * if it is the English fallback; it is left alone when NULL is returned.
 * A form's translation missing from a catalogue (or holding a control
 * character) falls back to the translation of the short name, and only
 * then to English. */
PNYX_EXPORT const char *pnyx_country_lookup(const pnyx_country_set *set,
					    const char *alpha3,
					    const char *lang,
					    pnyx_country_form form,
					    bool *translated);

/* Number of UN members in the set's list (193 with the project's list). */
PNYX_EXPORT size_t pnyx_country_member_count(const pnyx_country_set *set);

/* The alpha-3 code of member i (i < pnyx_country_member_count), in the
 * list's (increasing) order. Owned by the set. */
PNYX_EXPORT const char *pnyx_country_member(const pnyx_country_set *set,
					    size_t i);

/* True if alpha3 (NUL-terminated) is on the set's member list. */
PNYX_EXPORT bool pnyx_country_is_member(const pnyx_country_set *set,
					const char *alpha3);

#endif
