/*
 * A forum's witness policy on the command line (pnyx/witness_policy.h):
 * `pnyx verify URL --witnesses FILE` and `pnyx mirror --witnesses FILE`
 * accept a checkpoint only when k of the policy's witnesses cosigned it.
 */
#ifndef PNYX_CLI_VERIFY_WITNESS_H
#define PNYX_CLI_VERIFY_WITNESS_H

#include "pnyx/buf.h"
#include "pnyx/key.h"
#include "pnyx/witness_policy.h"

#include <stdio.h>

/* Reads and parses the policy file at path; prints the reason and returns
 * false if it cannot. */
bool cli_load_policy(const char *path, pnyx_witness_policy *out);

/* Checks that k of p's witnesses cosigned the checkpoint note (raw bytes,
 * signed by key): writes one line naming the witnesses that did (and
 * when) to report (NULL: none), or prints why not (too few, or a
 * cosignature that does not verify). what names the checkpoint in
 * messages. */
bool cli_check_cosigned(const pnyx_witness_policy *p, const pnyx_buf *note,
			const pnyx_verifier *key, const char *what,
			FILE *report);

#endif
