/*
 * pnyx verify URL: comparing the state replayed from the log with what the
 * forum's server says through its read API (docs/API.md): the state digest
 * and every decision.
 */
#ifndef PNYX_CLI_VERIFY_COMPARE_H
#define PNYX_CLI_VERIFY_COMPARE_H

#include "http_client.h"

#include "pnyx/engine.h"
#include "pnyx/hash.h"

#include <stdio.h>

/* What GET /v1/state/digest says. */
typedef struct verify_server_state {
	bool published; /* false: the URL serves no state (a static mirror) */
	uint64_t leaves;
	char digest[2 * PNYX_HASH_LEN + 1];
} verify_server_state;

/* Reads GET /v1/state/digest into *out. A 404 or 501 answer means the URL
 * publishes no state (out->published false). CLI_EXIT_OK, or CLI_EXIT_FAIL
 * after printing why (no answer, a malformed one). */
int verify_get_server_state(http_client *hc, verify_server_state *out);

/* Compares st, replayed from the first size entries of the log, with the
 * server: its state digest (already read into server, for the same size)
 * and, through /v1/decisions/{ID}, every decision, in both directions.
 * Prints what agrees on report and every difference on standard error.
 * CLI_EXIT_OK if all agree (or the URL publishes no state: said on
 * report), CLI_EXIT_FAIL otherwise. */
int verify_compare(http_client *hc, const pnyx_state *st, uint64_t size,
		   const char *digest, const verify_server_state *server,
		   FILE *report);

#endif
