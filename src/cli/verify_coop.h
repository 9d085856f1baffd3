/*
 * pnyx verify and the cooperation log (docs/COOPERATION.md): the whole
 * log's audit (verify_coop.c).
 */
#ifndef PNYX_CLI_VERIFY_COOP_H
#define PNYX_CLI_VERIFY_COOP_H

#include "cli.h"
#include "http_client.h"

#include "pnyx/engine.h"
#include "pnyx/log.h"

#include <stdio.h>

/* Audits the whole cooperation log `log` against st, the forum's state
 * replayed from its log: the log's tree and checkpoint with the
 * cooperation key st names (cooperation.open), every anchor of st against
 * the log's roots, every entry replayed with the cooperation engine
 * (signatures checked). Prints what it found and the figures to report.
 * Returns CLI_EXIT_OK or CLI_EXIT_FAIL (the reason on stderr). */
int verify_cooperation_db(pnyx_log *log, const pnyx_state *st, FILE *report);

/* A member's check of its part of the cooperation log at the server of hc
 * (verify_coop_member.c), against st, the forum's state replayed from the
 * public log: every entry the member (actor, signing with key) may read
 * with its inclusion proof in a checkpoint signed with the cooperation
 * key st names; the latest checkpoint extends st's last anchor; the
 * replay's figures of the member, its pairs and the ping rounds equal the
 * published ones. Returns CLI_EXIT_OK or CLI_EXIT_FAIL (reasons on
 * stderr). */
int verify_cooperation_member(http_client *hc, const pnyx_state *st,
			      const pnyx_signer *key, const char *actor,
			      FILE *report);

#endif
