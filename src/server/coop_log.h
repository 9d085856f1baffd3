/*
 * The cooperation log of `pnyx serve` (docs/COOPERATION.md): a second log
 * beside the forum's, with its own key, sequenced by a second sequencer
 * (sequencer.h) whose rules are the cooperation engine (pnyx/coop.h)
 * applied against the forum's committed state, and anchored on the
 * forum's log: after each checkpoint of the cooperation log the server
 * signs a cooperation.anchor action with the cooperation log's key and
 * submits it to the forum's sequencer.
 *
 * Its entries are indexed by who may read them (actor_index.h): under
 * both members a request concerns, or under SRV_COOP_ALL for entries
 * every member may read (directory, pings).
 *
 * Lock order: the cooperation state, then the forum's state (the
 * cooperation rules read the forum's state while they hold their own).
 */
#ifndef PNYX_SERVER_COOP_LOG_H
#define PNYX_SERVER_COOP_LOG_H

#include "pnyx/common.h"
#include "pnyx/key.h"

#include "logview.h"
#include "sequencer.h"

/* The index key of entries every member may read. */
#define SRV_COOP_ALL "*"

struct srv_coop;

/* Opens the cooperation log at db (created beforehand with `pnyx log
 * init` and key's verifier), checks that key is its key, replays it
 * against the forum's state (forum: the forum's running sequencer, which
 * must outlive the result) and starts its sequencer; then anchors the log
 * on the forum's if the forum's last anchor is behind. PNYX_OK and *out,
 * or an error with the reason in diag (PNYX_ERR_CORRUPT: an entry the
 * rules refuse). key is copied. */
pnyx_err srv_coop_start(const char *db, const pnyx_signer *key,
			struct srv_sequencer *forum, uint64_t cp_interval_ms,
			struct srv_coop **out, pnyx_diag *diag) PNYX_WUR;

/* Stops the sequencer (signing and anchoring a last checkpoint) and
 * closes the log. NULL is a no-op. Call before stopping the forum's
 * sequencer. */
void srv_coop_stop(struct srv_coop *c);

/* The cooperation log's sequencer, log, and the forum's sequencer. */
struct srv_sequencer *srv_coop_sequencer(const struct srv_coop *c);
struct srv_logview *srv_coop_logview(const struct srv_coop *c);
struct srv_sequencer *srv_coop_forum(const struct srv_coop *c);

/* Remembers a request signature's nonce for actor. False if the same
 * actor used it within the last window_s seconds (a replayed request).
 * Thread-safe. Holds at most a bounded number of nonces: when full, the
 * oldest are forgotten only once older than the window; a full cache of
 * fresh nonces refuses (false) rather than forget one. */
bool srv_coop_nonce_fresh(struct srv_coop *c, const char *actor,
			  const char *nonce, uint64_t now_s,
			  uint64_t window_s);

#endif
