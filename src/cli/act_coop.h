/*
 * pnyx act for the action types of the cooperation log
 * (docs/COOPERATION.md): points of contact, requests between members and
 * their answers, pings. The message of a request, an answer or a decline
 * is sealed (pnyx/coop_seal.h) to the points of contact of both members
 * before the action is signed; the action goes to POST
 * /v1/cooperation/actions with the sequence number of GET
 * /v1/cooperation/me.
 */
#ifndef PNYX_CLI_ACT_COOP_H
#define PNYX_CLI_ACT_COOP_H

#include "http_client.h"

#include "pnyx/action_fields.h"
#include "pnyx/buf.h"

#include <stdio.h>

/* The options of pnyx act given before the type (cmd_act.c). */
typedef struct act_coop_opts {
	const char *server, *key, *actor, *forum, *receipt;
	uint64_t seq;    /* 0: ask the server */
	uint64_t now_ms; /* the time relative deadlines count from */
	long timeout;
	bool yes, dry_run;
} act_coop_opts;

/* Takes the cooperation action of type t (t->log is
 * PNYX_LOG_COOPERATION) with the arguments after the type (argc, argv).
 * Returns an exit code (CLI_EXIT_OK, _FAIL or _USAGE); prints the help of
 * the type for --help. */
int act_coop(const act_coop_opts *o, const pnyx_action_type_info *t,
	     int argc, char **argv);

/* Prints every cooperation action type with who may take it. */
void act_coop_types_list(FILE *f);

/* Defined in cmd_act.c, shared with act_coop.c. */

/* What to do with a signed action. */
typedef enum act_mode {
	ACT_ASK,     /* ask "Sign and send this action? [y/N]" on the terminal */
	ACT_YES,     /* send without asking (--yes) */
	ACT_DRY_RUN, /* print the signed note and send nothing (--dry-run) */
} act_mode;

/* Delivers the signed note: prints it (ACT_DRY_RUN), or POSTs it to path
 * (after confirmation for ACT_ASK) and prints the accepted entry and its
 * receipt (also written to the new file receipt_path if not NULL), or the
 * refusal in one line. An exit code. */
int act_deliver(http_client *hc, const char *path, const char *receipt_path,
		act_mode mode, const pnyx_buf *note);

#endif
