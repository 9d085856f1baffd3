/*
 * The server's side of witnessing (docs/MIRROR.md, "Witnesses"): each
 * checkpoint the sequencer signs is submitted to every witness of the
 * forum's policy (pnyx/witness_policy.h) with a C2SP tlog-witness
 * add-checkpoint request, the cosignatures that come back are checked,
 * and once k of them are in, that checkpoint with its cosignature lines
 * (C2SP tlog-cosignature) is the one GET /checkpoint serves. Until then,
 * the last checkpoint that had k is served (none: 404 no-checkpoint).
 *
 * One thread per witness, so that a slow or dead witness delays no other:
 * it submits the newest checkpoint it has not cosigned, with the size it
 * last cosigned as the old size and the consistency proof from the log;
 * on 409 it takes the size the witness says it holds and submits again;
 * when a witness cannot be reached or refuses, it tries again every
 * SRV_WITNESS_RETRY_MS (each change of a witness's health is printed once
 * on stderr). A witness that comes back catches up with the newest
 * checkpoint.
 */
#ifndef PNYX_SERVER_WITNESS_CLIENT_H
#define PNYX_SERVER_WITNESS_CLIENT_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/witness_policy.h"

#define SRV_WITNESS_TIMEOUT_MS 5000u /* one submission */
#define SRV_WITNESS_RETRY_MS 500u    /* between failed submissions */

struct srv_logview;
struct srv_witnesses;
struct srv_app;
struct srv_config;
struct srv_response;
struct srv_seq_hooks;

/* Reads the policy file at path (its quorum replaced by k unless k is 0),
 * and starts a thread per witness over the log of lv (which must outlive
 * the client); the latest checkpoint lv holds, if any, is submitted at
 * once. Every witness must have an http:// URL. Returns PNYX_OK and *out,
 * or an error with the reason in diag (file unreadable, policy refused, k
 * larger than the number of witnesses, no thread). */
pnyx_err srv_witnesses_start(struct srv_logview *lv, const char *path,
			     uint64_t k, struct srv_witnesses **out,
			     pnyx_diag *diag) PNYX_WUR;

/* Stops the threads (a submission in flight ends within its time limit)
 * and frees w. NULL is a no-op. */
void srv_witnesses_stop(struct srv_witnesses *w);

/* The sequencer's hook (srv_seq_hooks.checkpointed, arg = w): a new
 * checkpoint note (n bytes, copied) of a tree of size entries to submit.
 * Never blocks on the network. */
void srv_witnesses_checkpointed(void *arg, const uint8_t *cp, size_t n,
				uint64_t size);

/* With a witness policy in cfg (the witnesses and witness-k settings):
 * srv_witnesses_start over app->log into app->witnesses. true when it
 * started or there is no policy; false, with the reason on stderr, if it
 * cannot start. */
bool srv_witnesses_configure(struct srv_app *app, const struct srv_config *cfg);

/* The sequencer's hooks that feed w (srv_sequencer_start_rules); NULL
 * when w is NULL. Borrowed from w. */
const struct srv_seq_hooks *srv_witnesses_hooks(const struct srv_witnesses *w);

/* GET /checkpoint under a witness policy: the newest checkpoint with k
 * cosignatures as a 200 (text, revalidated, ETag), or 404 no-checkpoint
 * while none has k. */
void srv_witnesses_answer(struct srv_witnesses *w, struct srv_response *resp);

/* Appends to out the newest checkpoint with k cosignatures: the log's
 * note followed by the witnesses' cosignature lines. PNYX_ERR_NOT_FOUND
 * if no checkpoint has k yet; out's errors otherwise. Thread-safe. */
pnyx_err srv_witnesses_checkpoint(struct srv_witnesses *w, pnyx_buf *out)
	PNYX_WUR;

#endif
