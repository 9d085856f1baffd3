/*
 * pnyx/languages.h — the six official languages of the United Nations, by
 * their tags, in byte order: the languages a forum may work in, and those
 * the read API, the CLI and the web page offer. One list for every module.
 */
#ifndef PNYX_LANGUAGES_H
#define PNYX_LANGUAGES_H

#define PNYX_UN_LANGUAGE_COUNT 6

static const char *const pnyx_un_languages[PNYX_UN_LANGUAGE_COUNT] = {
	"ar", "en", "es", "fr", "ru", "zh",
};

#endif
