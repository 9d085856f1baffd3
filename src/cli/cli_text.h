/*
 * Printing text that came from a log or a server (untrusted, valid UTF-8
 * or not) on a terminal, and the small formatting helpers pnyx verify and
 * pnyx show share.
 */
#ifndef PNYX_CLI_TEXT_H
#define PNYX_CLI_TEXT_H

#include "pnyx/hash.h"

#include <jansson.h>
#include <stdio.h>

/* Writes s with every character that must not reach a terminal as it is
 * (C0 and C1 controls, DEL, bidirectional overrides and isolates) written
 * as \xNN escapes. */
void cli_put_text(FILE *f, const char *s);

/* A time in ms since the epoch as "2026-01-05 12:00:00 UTC" (or "N ms"
 * when it is not a date). */
void cli_format_time(json_int_t ms, char out[40]);

/* cli_format_time of an integer JSON value, written to f. */
void cli_put_time(FILE *f, const json_t *ms);

/* A hash in lowercase hex. */
void cli_hex(const pnyx_hash *h, char out[2 * PNYX_HASH_LEN + 1]);

/* obj[key] if it is a string, else NULL (obj may be NULL). */
const char *cli_str_of(const json_t *obj, const char *key);

/* Writes obj[key] if it is a string (escaped), else "?". */
void cli_put_str(FILE *f, const json_t *obj, const char *key);

/* A text that is a string or a multilingual object {lang: text}: the
 * language lang if there is one, else English, else the first; NULL if t
 * is neither. cli_text_of is cli_text_in(t, "en"). Borrowed from t. */
const char *cli_text_in(const json_t *t, const char *lang);
const char *cli_text_of(const json_t *t);

/* Writes a forum's id and title, as in: oewg "Open-ended working group"
 * (forum is the state's or the read API's forum object; may be NULL). */
void cli_put_forum(FILE *f, const json_t *forum);

/* Writes a scalar JSON value: a string (escaped), a number, yes/no, "-"
 * for null, "(N items)" for a list or an object. */
void cli_put_scalar(FILE *f, const json_t *v);

/* "s" unless n is 1. */
const char *cli_plural(size_t n);

#endif
