/*
 * Printing what came from a log or a server on a terminal (cli_text.h):
 * text with unsafe characters escaped, times, hashes, multilingual texts.
 */
#include "cli_text.h"

#include <string.h>
#include <time.h>

/* Length of a character that must not reach a terminal as it is: C0 and C1
 * controls, DEL, and the bidirectional overrides and isolates that could
 * make a line read differently from its bytes. 0 if s starts with none. */
static size_t unsafe_char(const unsigned char *s)
{
	if (s[0] < 0x20 || s[0] == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 3;
	return 0;
}

/* Writes s (valid UTF-8 from the state) with unsafe characters escaped. */
void cli_put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != 0) {
		size_t n = unsafe_char(p);
		if (n == 0) {
			fputc(*p++, f);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			fprintf(f, "\\x%02x", p[i]);
		p += n;
	}
}

/* A time in ms since the epoch as "2026-01-05 12:00:00 UTC". */
void cli_format_time(json_int_t ms, char out[40])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms < 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 40, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, 40, "%lld ms", (long long)ms);
}

void cli_hex(const pnyx_hash *h, char out[2 * PNYX_HASH_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		out[2 * i] = digits[h->b[i] >> 4];
		out[2 * i + 1] = digits[h->b[i] & 0xf];
	}
	out[2 * PNYX_HASH_LEN] = 0;
}

const char *cli_str_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

const char *cli_text_in(const json_t *t, const char *lang)
{
	if (json_is_string(t))
		return json_string_value(t);
	if (!json_is_object(t) || json_object_size(t) == 0)
		return NULL;
	const json_t *in = json_object_get(t, lang != NULL ? lang : "en");
	if (json_is_string(in))
		return json_string_value(in);
	const json_t *en = json_object_get(t, "en");
	if (json_is_string(en))
		return json_string_value(en);
	return json_string_value(json_object_iter_value(json_object_iter((json_t *)t)));
}

const char *cli_text_of(const json_t *t)
{
	return cli_text_in(t, "en");
}

void cli_put_scalar(FILE *f, const json_t *v)
{
	if (json_is_string(v))
		cli_put_text(f, json_string_value(v));
	else if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "yes" : "no", f);
	else if (json_is_null(v))
		fputs("-", f);
	else
		fprintf(f, "(%zu items)", json_is_array(v) ? json_array_size(v)
							 : json_object_size(v));
}

const char *cli_plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void cli_put_time(FILE *f, const json_t *ms)
{
	char when[40];
	cli_format_time(json_integer_value(ms), when);
	fputs(when, f);
}

void cli_put_forum(FILE *f, const json_t *forum)
{
	cli_put_str(f, forum, "id");
	const char *title = cli_text_of(json_object_get(forum, "title"));
	if (title != NULL) {
		fputs(" \"", f);
		cli_put_text(f, title);
		fputc('"', f);
	}
}

void cli_put_str(FILE *f, const json_t *obj, const char *key)
{
	const char *s = cli_str_of(obj, key);
	cli_put_text(f, s != NULL ? s : "?");
}
