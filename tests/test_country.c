/*
 * Tests for pnyx/country.h: state names in the six UN languages from
 * Debian's iso-codes (JSON and .mo catalogues), the fallbacks to English,
 * the 193 UN members, lookups from many threads at once; the .mo parser on
 * hand-built catalogues in both byte orders and on every malformation
 * (truncated, bad magic or revision, tables and strings outside the file,
 * huge N, unsorted, no NUL, not UTF-8); and loading refused for missing or
 * malformed files, with every allocation failed in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/country.h"
#include "pnyx/fault.h"

#include "support.h"

#define U8(s) ((const uint8_t *)(s))

static pnyx_country_set *load_default(void)
{
	pnyx_country_paths paths = {
		.members = test_source_path("data/un-members.txt")};
	pnyx_country_set *set = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_country_set_load(&paths, &set, &diag);
	if (err != PNYX_OK)
		fail_msg("cannot load: %s (%s)", diag.msg, pnyx_err_name(err));
	return set;
}

static int setup_set(void **state)
{
	*state = load_default();
	return 0;
}

static int teardown_set(void **state)
{
	pnyx_country_set_free(*state);
	return 0;
}

/* ---- names ---- */

static void expect_names(const pnyx_country_set *set, const char *code,
			 const char *const names[6])
{
	static const char *const tags[6] = {"en", "ar", "zh", "fr", "ru", "es"};
	for (int l = 0; l < 6; l++) {
		bool tr = false;
		const char *got = pnyx_country_lookup(set, code, tags[l],
						      PNYX_COUNTRY_SHORT, &tr);
		if (got == NULL || strcmp(got, names[l]) != 0)
			fail_msg("%s in %s: got \"%s\", wanted \"%s\"", code,
				 tags[l], got ? got : "(null)", names[l]);
		assert_true(tr);
		assert_string_equal(pnyx_country_name(set, code, tags[l]),
				    names[l]);
	}
}

static void six_languages(void **state)
{
	const pnyx_country_set *set = *state;
	static const char *const names[][7] = {
		{"FRA", "France", "فرنسا", "法国", "France", "Франция", "Francia"},
		{"CHN", "China", "الصّين", "中国", "Chine", "Китай", "China"},
		{"RUS", "Russian Federation", "الاتّحاد الرّوسي", "俄罗斯",
		 "Russie, Fédération de", "Российская Федерация",
		 "Federación Rusa"},
		{"BRA", "Brazil", "البرازيل", "巴西", "Brésil", "Бразилия",
		 "Brasil"},
		{"EGY", "Egypt", "مصر", "埃及", "Égypte", "Египет", "Egipto"},
		{"CIV", "Côte d'Ivoire", "ساحل العاج", "科特迪瓦",
		 "Côte d'Ivoire", "Кот-д'Ивуар", "Costa de Marfíl"},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		expect_names(set, names[i][0], &names[i][1]);
}

static void forms_and_tags(void **state)
{
	const pnyx_country_set *set = *state;
	bool tr = false;
	assert_string_equal(pnyx_country_lookup(set, "KOR", "en",
						PNYX_COUNTRY_COMMON, &tr),
			    "South Korea");
	assert_string_equal(pnyx_country_lookup(set, "KOR", "zh",
						PNYX_COUNTRY_COMMON, &tr),
			    "韩国");
	/* no Arabic common name: the translated short name, not English */
	assert_string_equal(pnyx_country_lookup(set, "KOR", "ar",
						PNYX_COUNTRY_COMMON, &tr),
			    "كوريا، جمهوريّة كوريا");
	assert_true(tr);
	assert_string_equal(pnyx_country_lookup(set, "FRA", "en",
						PNYX_COUNTRY_OFFICIAL, &tr),
			    "French Republic");
	/* no official name: the short name */
	assert_string_equal(pnyx_country_lookup(set, "RUS", "en",
						PNYX_COUNTRY_OFFICIAL, NULL),
			    "Russian Federation");
	assert_string_equal(pnyx_country_name(set, "FRA", "zh-CN"), "法国");
	assert_string_equal(pnyx_country_name(set, "FRA", "fr_FR"), "France");
	assert_string_equal(pnyx_country_name(set, "CHN", "FR"), "Chine");
	assert_string_equal(pnyx_country_name(set, "CHN", NULL), "China");
	/* another language: English, and said so */
	tr = true;
	assert_string_equal(pnyx_country_lookup(set, "CHN", "de",
						PNYX_COUNTRY_SHORT, &tr),
			    "China");
	assert_false(tr);
	assert_string_equal(pnyx_country_name(set, "CHN", ""), "China");
	assert_string_equal(pnyx_country_name(set, "CHN", "zho"), "China");
}

static void unknown_codes(void **state)
{
	const pnyx_country_set *set = *state;
	static const char *const bad[] = {"XXX", "FR", "FRAN", "", "fra",
					  "ZZZ", "AAA", "\xff\xff\xff"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		bool tr = true;
		assert_null(pnyx_country_lookup(set, bad[i], "fr",
						PNYX_COUNTRY_SHORT, &tr));
		assert_true(tr); /* left alone */
		assert_null(pnyx_country_name(set, bad[i], "en"));
		assert_false(pnyx_country_is_member(set, bad[i]));
	}
}

/* States whose short name a Debian 12 catalogue (iso-codes 4.15) lacks:
 * "Türkiye" (renamed in ISO 3166-1 in 2022) is untranslated in ar, fr, ru
 * and es. A fallback outside this list fails the test. */
static bool known_fallback(const char *code, const char *tag)
{
	return strcmp(code, "TUR") == 0 && strcmp(tag, "zh") != 0;
}

static void every_member_named(void **state)
{
	const pnyx_country_set *set = *state;
	static const char *const tags[5] = {"ar", "zh", "fr", "ru", "es"};
	size_t n = pnyx_country_member_count(set);
	assert_int_equal(n, 193);
	size_t fallbacks = 0;
	for (size_t i = 0; i < n; i++) {
		const char *code = pnyx_country_member(set, i);
		assert_true(pnyx_country_is_member(set, code));
		const char *en = pnyx_country_name(set, code, "en");
		assert_non_null(en);
		assert_true(en[0] != 0);
		for (int l = 0; l < 5; l++) {
			bool tr = false;
			const char *name = pnyx_country_lookup(
				set, code, tags[l], PNYX_COUNTRY_SHORT, &tr);
			assert_non_null(name);
			if (tr)
				continue;
			print_message("fallback: %s has no %s name, shown as "
				      "\"%s\"\n", code, tags[l], name);
			assert_string_equal(name, en);
			if (!known_fallback(code, tags[l]))
				fail_msg("unexpected fallback %s/%s", code,
					 tags[l]);
			fallbacks++;
		}
	}
	print_message("%zu of %zu member names fall back to English\n",
		      fallbacks, n * 5);
	assert_string_equal(pnyx_country_member(set, 0), "AFG");
	assert_string_equal(pnyx_country_member(set, n - 1), "ZWE");
	assert_false(pnyx_country_is_member(set, "TWN")); /* ISO, not UN */
	assert_false(pnyx_country_is_member(set, "PSE")); /* observer */
	assert_false(pnyx_country_is_member(set, "VAT")); /* observer */
	assert_non_null(pnyx_country_name(set, "PSE", "ar"));
}

static void *lookup_many(void *arg)
{
	const pnyx_country_set *set = arg;
	static const char *const tags[6] = {"en", "ar", "zh", "fr", "ru", "es"};
	for (int r = 0; r < 20; r++)
		for (size_t i = 0; i < pnyx_country_member_count(set); i++)
			if (pnyx_country_name(set, pnyx_country_member(set, i),
					      tags[(i + (size_t)r) % 6]) == NULL)
				return (void *)1;
	return NULL;
}

static void many_threads(void **state)
{
	pthread_t t[8];
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, lookup_many,
						*state), 0);
	for (int i = 0; i < 8; i++) {
		void *rc;
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

/* ---- the .mo parser ---- */

typedef struct mo_entry {
	const char *orig;
	size_t orig_n; /* 0: strlen(orig) */
	const char *trans;
} mo_entry;

static void put32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (be ? 24 - 8 * i : 8 * i));
}

/* Builds a .mo file of n entries (in the order given) into buf (cap
 * bytes); returns its length. The layout msgfmt uses: header, original
 * table, translation table, an empty hash table, then the strings. */
static size_t build_mo(const mo_entry *e, uint32_t n, bool be, uint8_t *buf,
		       size_t cap)
{
	uint32_t o = 28, t = o + 8 * n, at = t + 8 * n;
	memset(buf, 0, cap);
	uint32_t head[7] = {0x950412de, 0, n, o, t, 0, at};
	for (int i = 0; i < 7; i++)
		put32(buf + 4 * i, head[i], be);
	for (uint32_t i = 0; i < n; i++) {
		size_t on = e[i].orig_n ? e[i].orig_n : strlen(e[i].orig);
		size_t tn = strlen(e[i].trans);
		assert_true(at + on + tn + 2 < cap);
		put32(buf + o + 8 * i, (uint32_t)on, be);
		put32(buf + o + 8 * i + 4, at, be);
		memcpy(buf + at, e[i].orig, on);
		at += (uint32_t)on + 1;
		put32(buf + t + 8 * i, (uint32_t)tn, be);
		put32(buf + t + 8 * i + 4, at, be);
		memcpy(buf + at, e[i].trans, tn);
		at += (uint32_t)tn + 1;
	}
	return at;
}

static const mo_entry sample[] = {
	{"", 0, "Content-Type: text/plain; charset=UTF-8\n"},
	{"China", 0, "中国"},
	{"France", 0, "فرنسا"},
	{"Kind", 0, ""}, /* untranslated */
	{"ctx\004Name", 0, "Nom"},
	{"one\0many", 8, "un\0plusieurs"},
};
#define NSAMPLE ((uint32_t)(sizeof sample / sizeof *sample))

static void mo_lookups(void **state)
{
	(void)state;
	uint8_t buf[1024];
	for (int be = 0; be < 2; be++) {
		size_t n = build_mo(sample, NSAMPLE, be, buf, sizeof buf);
		pnyx_mo mo;
		pnyx_diag diag = {{0}};
		if (pnyx_mo_parse(buf, n, &mo, &diag) != PNYX_OK)
			fail_msg("refused: %s", diag.msg);
		assert_int_equal(mo.big_endian, be);
		assert_int_equal(mo.n, NSAMPLE);
		assert_string_equal(pnyx_mo_lookup(&mo, U8("France"), 6),
				    "فرنسا");
		assert_string_equal(pnyx_mo_lookup(&mo, U8("China"), 5), "中国");
		assert_string_equal(pnyx_mo_lookup(&mo, U8("ctx\004Name"), 8),
				    "Nom");
		assert_string_equal(pnyx_mo_lookup(&mo, U8("one"), 3), "un");
		assert_null(pnyx_mo_lookup(&mo, U8("Kind"), 4));
		assert_null(pnyx_mo_lookup(&mo, U8("Franc"), 5));
		assert_null(pnyx_mo_lookup(&mo, U8("Francee"), 7));
		assert_null(pnyx_mo_lookup(&mo, U8("one\0many"), 8));
		assert_null(pnyx_mo_lookup(&mo, U8("zzz"), 3));
		assert_non_null(pnyx_mo_lookup(&mo, U8(""), 0));
	}
	/* an empty catalogue */
	size_t n = build_mo(NULL, 0, false, buf, sizeof buf);
	pnyx_mo mo;
	assert_int_equal(pnyx_mo_parse(buf, n, &mo, NULL), PNYX_OK);
	assert_null(pnyx_mo_lookup(&mo, U8("France"), 6));
}

static void expect_refused(const uint8_t *p, size_t n, const char *what)
{
	pnyx_mo mo;
	memset(&mo, 0x5a, sizeof mo);
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_mo_parse(p, n, &mo, &diag);
	if (err != PNYX_ERR_MALFORMED)
		fail_msg("%s: got %s", what, pnyx_err_name(err));
	assert_true(diag.msg[0] != 0);
	assert_int_equal(mo.n, 0x5a5a5a5a); /* out untouched */
}

static void mo_truncated(void **state)
{
	(void)state;
	uint8_t buf[1024];
	size_t n = build_mo(sample, NSAMPLE, false, buf, sizeof buf);
	for (size_t len = 0; len < n; len++)
		expect_refused(buf, len, "truncated");
	assert_int_equal(pnyx_mo_parse(NULL, 0, &(pnyx_mo){0}, NULL),
			 PNYX_ERR_MALFORMED);
}

/* Sets word w (0-based) of the header or a table in a copy, refuses it. */
static void patch_refused(uint32_t off, uint32_t v, const char *what)
{
	uint8_t buf[1024];
	size_t n = build_mo(sample, NSAMPLE, false, buf, sizeof buf);
	put32(buf + off, v, false);
	expect_refused(buf, n, what);
}

static void mo_malformed(void **state)
{
	(void)state;
	const uint32_t t = 28 + 8 * NSAMPLE; /* translation table */
	patch_refused(0, 0x950412df, "bad magic");
	patch_refused(0, 0, "zero magic");
	patch_refused(4, 0x00020000, "revision 2.0");
	patch_refused(4, 0x00000002, "revision 0.2");
	patch_refused(8, 0xffffffff, "huge N");
	patch_refused(8, PNYX_MO_MAX_STRINGS + 1, "N over the cap");
	patch_refused(8, NSAMPLE + 1, "N one too many");
	patch_refused(12, 0xfffffff0, "original table outside");
	patch_refused(16, 0xfffffff0, "translation table outside");
	patch_refused(20, 0x40000000, "hash table outside");
	uint8_t buf[1024];
	size_t n = build_mo(sample, NSAMPLE, false, buf, sizeof buf);
	put32(buf + 20, (uint32_t)(n - t - 8 * NSAMPLE) / 4 + 1, false);
	expect_refused(buf, n, "hash table one word too long");
	put32(buf + 20, (uint32_t)(n - t - 8 * NSAMPLE) / 4, false);
	pnyx_mo mo;
	assert_int_equal(pnyx_mo_parse(buf, n, &mo, NULL), PNYX_OK);
	patch_refused(28 + 8, 0xffffffff, "original length huge");
	patch_refused(28 + 12, 0xffffffff, "original offset huge");
	patch_refused(t + 8, 0xfffffff0, "translation length huge");
	patch_refused(t + 12, 0x7fffffff, "translation offset huge");
	patch_refused(28 + 8, 6, "original swallows its NUL");
	patch_refused(t + 8, 200, "translation runs to the end");
}

static void mo_bad_strings(void **state)
{
	(void)state;
	uint8_t buf[1024];
	static const mo_entry unsorted[] = {
		{"France", 0, "x"}, {"China", 0, "y"}};
	static const mo_entry dup[] = {{"China", 0, "x"}, {"China", 0, "y"}};
	static const mo_entry plural_dup[] = {
		{"one", 0, "x"}, {"one\0two", 7, "y"}};
	static const mo_entry bad_utf8[] = {{"China", 0, "\xc3\x28"}};
	static const mo_entry bad_orig[] = {{"\xff", 0, "x"}};
	static const struct {
		const mo_entry *e;
		uint32_t n;
		const char *what;
	} cases[] = {
		{unsorted, 2, "unsorted"},
		{dup, 2, "duplicate"},
		{plural_dup, 2, "same key twice"},
		{bad_utf8, 1, "translation not UTF-8"},
		{bad_orig, 1, "original not UTF-8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = build_mo(cases[i].e, cases[i].n, i % 2 == 1, buf,
				    sizeof buf);
		expect_refused(buf, n, cases[i].what);
	}
	pnyx_mo mo;
	assert_int_equal(pnyx_mo_parse(buf, PNYX_MO_MAX + 1u, &mo, NULL),
			 PNYX_ERR_TOO_LARGE);
}

/* Every iso_3166-1 catalogue Debian ships parses, and names France. */
static void mo_every_debian_catalogue(void **state)
{
	(void)state;
	DIR *d = opendir(PNYX_COUNTRY_LOCALE_DIR);
	assert_non_null(d);
	struct dirent *ent;
	size_t parsed = 0;
	while ((ent = readdir(d)) != NULL) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/iso_3166-1.mo",
			 PNYX_COUNTRY_LOCALE_DIR, ent->d_name);
		FILE *f = fopen(path, "rb");
		if (f == NULL)
			continue;
		fclose(f);
		size_t n;
		uint8_t *p = test_read_file(path, &n);
		pnyx_mo mo;
		pnyx_diag diag = {{0}};
		if (pnyx_mo_parse(p, n, &mo, &diag) != PNYX_OK)
			fail_msg("%s: %s", path, diag.msg);
		parsed++;
		free(p);
	}
	closedir(d);
	print_message("%zu iso_3166-1 catalogues parsed\n", parsed);
	assert_true(parsed >= 5);
}

/* ---- loading ---- */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* Loads with the given paths (NULL members: the project's list); expects
 * err and a message naming the problem. */
static void load_expect(const char *json, const char *locale,
			const char *members, pnyx_err want, const char *needle)
{
	char mpath[4096];
	snprintf(mpath, sizeof mpath, "%s",
		 members ? members : test_source_path("data/un-members.txt"));
	pnyx_country_paths paths = {json, locale, mpath};
	pnyx_country_set *set = (pnyx_country_set *)&paths; /* poison */
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_country_set_load(&paths, &set, &diag);
	if (err != want)
		fail_msg("got %s (%s), wanted %s", pnyx_err_name(err),
			 diag.msg, pnyx_err_name(want));
	if (want == PNYX_OK) {
		pnyx_country_set_free(set);
		return;
	}
	assert_ptr_equal(set, &paths); /* untouched */
	if (strstr(diag.msg, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", diag.msg, needle);
}

static void load_missing_files(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("country-missing");
	char path[4200];
	snprintf(path, sizeof path, "%s/none", dir);
	load_expect(path, NULL, NULL, PNYX_ERR_NOT_FOUND, "cannot open");
	load_expect(NULL, path, NULL, PNYX_ERR_NOT_FOUND, "ar/LC_MESSAGES");
	load_expect(NULL, NULL, path, PNYX_ERR_NOT_FOUND, "none");
	load_expect(NULL, NULL, dir, PNYX_ERR_IO, "cannot read");
}

static void load_bad_members(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("country-members");
	static const char *const bad[][2] = {
		{"# c\nFRA\nfra\n", ":3: not the alpha-3"},
		{"FRA\nXXX\n", ":2: not the alpha-3"},
		{"FRA\nFRAN\n", ":2: not the alpha-3"},
		{"FRA\n FR\n", ":2: not the alpha-3"},
		{"FRA\nCHN\n", ":2: codes are not in increasing order"},
		{"CHN\nFRA\nFRA\n", ":3: codes are not in increasing"},
		{"CHN\nFRA", "lacks its newline"},
		{"CHN\r\n", ":1: not the alpha-3"},
	};
	char path[4200];
	snprintf(path, sizeof path, "%s/members.txt", dir);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		write_text(path, bad[i][0]);
		load_expect(NULL, NULL, path, PNYX_ERR_MALFORMED, bad[i][1]);
	}
	write_text(path, "# only two\n\nCHN\nFRA\n");
	pnyx_country_paths paths = {.members = path};
	pnyx_country_set *set;
	assert_int_equal(pnyx_country_set_load(&paths, &set, NULL), PNYX_OK);
	assert_int_equal(pnyx_country_member_count(set), 2);
	assert_true(pnyx_country_is_member(set, "FRA"));
	assert_false(pnyx_country_is_member(set, "RUS"));
	pnyx_country_set_free(set);
}

static void load_bad_json(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("country-json");
	static const char *const bad[][2] = {
		{"", "empty"},
		{"[", "not valid JSON"},
		{"{}", "no \"3166-1\" array"},
		{"{\"3166-1\": {}}", "no \"3166-1\" array"},
		{"{\"3166-1\": []}", "no states"},
		{"{\"3166-1\": [1]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FRA\"}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FR\", \"name\": \"F\"}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"fra\", \"name\": \"F\"}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": \"\"}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": \"F\\n\"}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": 3}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": \"F\", "
		 "\"common_name\": 1}]}", "state 0"},
		{"{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": \"F\"}, "
		 "{\"alpha_3\": \"FRA\", \"name\": \"G\"}]}", "FRA appears twice"},
		{"{\"3166-1\": [], \"3166-1\": []}", "not valid JSON"},
	};
	char path[4200];
	snprintf(path, sizeof path, "%s/iso.json", dir);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		write_text(path, bad[i][0]);
		load_expect(path, NULL, NULL, PNYX_ERR_MALFORMED, bad[i][1]);
	}
	/* valid, but the members are not all states of this JSON */
	write_text(path, "{\"3166-1\": [{\"alpha_3\": \"FRA\", \"name\": "
			 "\"France\"}]}");
	load_expect(path, NULL, NULL, PNYX_ERR_MALFORMED, ":4: not the alpha-3");
}

/* A locale directory holding copies of Debian's five catalogues, one of
 * them replaced by bytes. */
static void load_bad_catalogue(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("country-mo");
	static const char *const dirs[] = {"ar", "zh_CN", "fr", "ru", "es"};
	char path[4400], cmd[9000];
	for (size_t i = 0; i < 5; i++) {
		snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s/LC_MESSAGES' && cp "
			 "'%s/%s/LC_MESSAGES/iso_3166-1.mo' '%s/%s/LC_MESSAGES/'",
			 dir, dirs[i], PNYX_COUNTRY_LOCALE_DIR, dirs[i], dir,
			 dirs[i]);
		assert_int_equal(system(cmd), 0);
	}
	load_expect(NULL, dir, NULL, PNYX_OK, NULL);
	snprintf(path, sizeof path, "%s/ru/LC_MESSAGES/iso_3166-1.mo", dir);
	write_text(path, "not a catalogue, but long enough for a header\n");
	load_expect(NULL, dir, NULL, PNYX_ERR_MALFORMED, "bad magic");
	assert_true(strstr(path, "/ru/") != NULL);
	write_text(path, "");
	load_expect(NULL, dir, NULL, PNYX_ERR_MALFORMED, "ru/LC_MESSAGES");
}

/* A catalogue of our own: names it lacks, or holds with a control
 * character, fall back to English. */
static void load_own_catalogue(void **state)
{
	(void)state;
	const char *dir = test_tmpdir("country-own");
	static const char *const dirs[] = {"ar", "zh_CN", "fr", "ru", "es"};
	static const mo_entry own[] = {
		{"China", 0, "Chine!"}, {"France", 0, "Fran\nce"}};
	uint8_t buf[1024];
	size_t n = build_mo(own, 2, true, buf, sizeof buf);
	char path[4400], cmd[4500];
	for (size_t i = 0; i < 5; i++) {
		snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s/LC_MESSAGES'", dir,
			 dirs[i]);
		assert_int_equal(system(cmd), 0);
		snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/iso_3166-1.mo",
			 dir, dirs[i]);
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(buf, 1, n, f), n);
		assert_int_equal(fclose(f), 0);
	}
	pnyx_country_paths paths = {
		.locale_dir = dir,
		.members = test_source_path("data/un-members.txt")};
	pnyx_country_set *set;
	assert_int_equal(pnyx_country_set_load(&paths, &set, NULL), PNYX_OK);
	bool tr = false;
	assert_string_equal(pnyx_country_lookup(set, "CHN", "ru",
						PNYX_COUNTRY_SHORT, &tr),
			    "Chine!");
	assert_true(tr);
	assert_string_equal(pnyx_country_lookup(set, "FRA", "ru",
						PNYX_COUNTRY_SHORT, &tr),
			    "France");
	assert_false(tr);
	assert_string_equal(pnyx_country_lookup(set, "CHN", "ar",
						PNYX_COUNTRY_OFFICIAL, &tr),
			    "Chine!"); /* the translated short name */
	assert_true(tr);
	assert_string_equal(pnyx_country_name(set, "RUS", "es"),
			    "Russian Federation");
	pnyx_country_set_free(set);
}

/* Every allocation of a load fails in turn: an error, no leak, no crash.
 * jansson reports some failed allocations as a parse error, so a failed
 * load may also say malformed, and gets over a few (a load that succeeds
 * must then be whole). */
static void load_fault_loop(void **state)
{
	(void)state;
	pnyx_country_paths paths = {
		.members = test_source_path("data/un-members.txt")};
	pnyx_country_set *set;
	pnyx_fault_arm(PNYX_FAULT_COUNT);
	assert_int_equal(pnyx_country_set_load(&paths, &set, NULL), PNYX_OK);
	uint64_t points = pnyx_fault_passed();
	pnyx_fault_disarm();
	pnyx_country_set_free(set);
	assert_true(points > 10);
	/* every point near the start and the end, every 7th in between */
	for (uint64_t i = 1; i <= points; i++) {
		if (i > 300 && i + 300 < points && i % 7 != 0)
			continue;
		pnyx_fault_arm(i);
		pnyx_err err = pnyx_country_set_load(&paths, &set, NULL);
		pnyx_fault_disarm();
		if (err == PNYX_OK) { /* jansson got over it */
			assert_string_equal(pnyx_country_name(set, "FRA", "ar"),
					    "فرنسا");
			pnyx_country_set_free(set);
			continue;
		}
		assert_true(err == PNYX_ERR_NOMEM || err == PNYX_ERR_MALFORMED);
	}
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest set_tests[] = {
		cmocka_unit_test(six_languages),
		cmocka_unit_test(forms_and_tags),
		cmocka_unit_test(unknown_codes),
		cmocka_unit_test(every_member_named),
		cmocka_unit_test(many_threads),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mo_lookups),
		cmocka_unit_test(mo_truncated),
		cmocka_unit_test(mo_malformed),
		cmocka_unit_test(mo_bad_strings),
		cmocka_unit_test(mo_every_debian_catalogue),
		cmocka_unit_test(load_missing_files),
		cmocka_unit_test(load_bad_members),
		cmocka_unit_test(load_bad_json),
		cmocka_unit_test(load_bad_catalogue),
		cmocka_unit_test(load_own_catalogue),
		cmocka_unit_test(load_fault_loop),
	};
	int failed = cmocka_run_group_tests(set_tests, setup_set, teardown_set);
	return failed + cmocka_run_group_tests(tests, NULL, NULL);
}
