/*
 * pnyx show: the forum's record as a delegate reads it, from the server's
 * read API (docs/API.md). cmd_show.c reads the command line and the
 * server's answers; show_views.c prints each view.
 */
#ifndef PNYX_CLI_SHOW_H
#define PNYX_CLI_SHOW_H

#include "http_client.h"

#include <jansson.h>

struct show_ctx {
	http_client *hc;
	const char *lang;  /* ar, en, es, fr, ru or zh */
	bool json;         /* print the server's answers as they are */
	bool noticed;      /* the training line was printed */
	bool headed;       /* the forum's heading was printed */
	json_t *names;     /* member code -> name in lang, loaded once */
};

/* GET path (a read API path with its query); on 200, prints the training
 * line if the forum is a training simulation and the forum's heading, once
 * per command, and returns CLI_EXIT_OK with *out (a new reference); with
 * --json it prints the answer itself and sets *out to NULL.
 * Otherwise prints the reason in one line and returns CLI_EXIT_FAIL. */
int show_get(struct show_ctx *c, const char *path, json_t **out);

/* show_get without printing anything (a page the view needs to read, not
 * the one it shows). */
int show_get_quiet(struct show_ctx *c, const char *path, json_t **out);

/* Every item of a paged list (path without limit/after; query is "" or
 * starts with '?'), in order: a new array in *out. With --json each page
 * is printed as the server sent it and *out is NULL. */
int show_list(struct show_ctx *c, const char *path, const char *query,
	      json_t **out);

/* The name of member code in the chosen language, or the code itself. */
const char *show_member_name(struct show_ctx *c, const char *code);

/* Prints the forum's id and title and the log size an answer r reflects. */
void show_heading(const json_t *r);

/* The views: argv holds the view's own arguments. Each returns a CLI exit
 * code. */
int show_forum(struct show_ctx *c, int argc, char **argv);
int show_members(struct show_ctx *c, int argc, char **argv);
int show_member(struct show_ctx *c, int argc, char **argv);
int show_documents(struct show_ctx *c, int argc, char **argv);
int show_document(struct show_ctx *c, int argc, char **argv);
int show_decisions(struct show_ctx *c, int argc, char **argv);
int show_decision(struct show_ctx *c, int argc, char **argv);
int show_stakeholders(struct show_ctx *c, int argc, char **argv);
int show_commitments(struct show_ctx *c, int argc, char **argv);
int show_actor(struct show_ctx *c, int argc, char **argv);
/* show_sessions.c */
int show_sessions(struct show_ctx *c, int argc, char **argv);
int show_session(struct show_ctx *c, int argc, char **argv);
int show_statements(struct show_ctx *c, int argc, char **argv);
int show_board(struct show_ctx *c, int argc, char **argv);

#endif
