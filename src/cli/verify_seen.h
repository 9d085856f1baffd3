/*
 * pnyx verify URL --seen FILE (verify_seen.c): fork detection against
 * checkpoints of the same log seen elsewhere.
 */
#ifndef PNYX_CLI_VERIFY_SEEN_H
#define PNYX_CLI_VERIFY_SEEN_H

#include "cli.h"
#include "http_client.h"

#include "pnyx/checkpoint.h"
#include "pnyx/key.h"

#include <stdio.h>

/* Checks each of the n signed checkpoint files (paths) against the served
 * checkpoint cur (whose signed note is cur_note): each must be signed
 * with key, and the served log must be consistent with it (same root at
 * the same size; else a consistency proof from URL's
 * /v1/proof/consistency, checked here). A contradiction is a fork: both
 * signed checkpoints are printed on stderr. CLI_EXIT_OK when every one is
 * consistent, CLI_EXIT_FAIL otherwise. */
int verify_seen(http_client *hc, const pnyx_verifier *key,
		const pnyx_checkpoint *cur, const pnyx_buf *cur_note,
		const char *const *paths, size_t n, FILE *report);

#endif
