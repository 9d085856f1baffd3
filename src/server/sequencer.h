/*
 * The sequencer of `pnyx serve`: the forum's engine state, rebuilt from the
 * log at start-up, and one thread that takes the submitted actions in
 * batches, checks each against the live state, appends the accepted ones
 * with one pnyx_log_append (one transaction, one fsync: group commit),
 * signs checkpoints, and wakes the submitters.
 *
 * Locking (lock order: state, then the log's mutex):
 *   - the state sits behind a rwlock: readers (GET handlers) take it for
 *     reading; the sequencer holds it for writing from the first apply of
 *     a batch to the end of its commit, so readers never see state that is
 *     not durable. If the commit fails, the state is rebuilt from the log
 *     before the lock is released.
 *   - the log is appended under the logview's mutex, so that GET handlers
 *     see a size, root and checkpoint that belong together.
 *   - the queue has its own mutex and condition variables; submitters wait
 *     on one for their result.
 */
#ifndef PNYX_SERVER_SEQUENCER_H
#define PNYX_SERVER_SEQUENCER_H

#include "pnyx/action.h"
#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/engine.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"

#include "logview.h"

/* Most requests taken in one batch. */
#define SRV_SEQ_BATCH_MAX 1024

struct srv_sequencer;

/* The rules a sequencer applies to its log: the forum's engine
 * (srv_forum_rules, pnyx/engine.h) or another pure engine over another
 * log (the cooperation log: coop_log.h). Every function is called with
 * the sequencer's state lock held for writing, or before it exists. */
struct srv_rules {
	const char *what; /* names the log in messages: "the forum's log" */
	/* a new empty state */
	pnyx_err (*state_new)(void *ctx, void **out);
	void (*state_free)(void *st);
	/* pnyx_engine_apply's contract */
	pnyx_rule (*apply)(void *ctx, void *st, const uint8_t *leaf, size_t n,
			   pnyx_engine_mode mode, pnyx_verdict *v);
	/* the keys under which the last accepted leaf is indexed
	 * (actor_index.h): writes 1 or 2 distinct ids into keys, returns
	 * how many */
	size_t (*index_keys)(const void *st, char keys[2][PNYX_ID_MAX + 1]);
	void *ctx;
};

/* The forum's rules (ctx unused). */
extern const struct srv_rules srv_forum_rules;

/* Called in the sequencer's thread, with no lock held, each time it has
 * signed a checkpoint (its text, n bytes, borrowed for the call, of a tree
 * of size entries). It may submit to another sequencer; it must not
 * submit to its own. */
struct srv_seq_hooks {
	void (*checkpointed)(void *arg, const uint8_t *cp, size_t n,
			     uint64_t size);
	void *arg;
};

/* The outcome of one submitted action. */
enum srv_seq_outcome {
	SRV_SEQ_ACCEPTED,    /* committed: index, time_ms, leaf_hash, receipt */
	SRV_SEQ_REFUSED,     /* the engine's verdict in v; nothing appended */
	SRV_SEQ_FAILED,      /* problem (a problem.c code) and detail */
};

struct srv_seq_result {
	enum srv_seq_outcome outcome;
	uint64_t index;
	uint64_t time_ms;
	pnyx_hash leaf_hash;
	pnyx_buf receipt;        /* the signed receipt note; caller clears */
	pnyx_buf leaf;           /* srv_sequencer_post only: the leaf, until
				    srv_sequencer_sign_receipt clears it */
	pnyx_verdict v;
	const char *problem;     /* static string */
	char detail[256];
};

/* Builds the state by replaying every entry of lv's log (trusting the
 * signatures), checks that key is the log's key, signs a checkpoint if the
 * log has entries no checkpoint covers, and starts the sequencer thread.
 * key is copied. cp_interval_ms: the longest a committed entry waits for a
 * checkpoint. Returns PNYX_OK and *out, or PNYX_ERR_MISMATCH (not the
 * log's key), PNYX_ERR_CORRUPT (an entry the rules refuse: its index and
 * the verdict in diag), a storage or memory error. */
pnyx_err srv_sequencer_start(struct srv_logview *lv, const pnyx_signer *key,
			     uint64_t cp_interval_ms,
			     struct srv_sequencer **out, pnyx_diag *diag)
	PNYX_WUR;

/* srv_sequencer_start with other rules (copied; their ctx must outlive the
 * sequencer) and hooks (NULL: none; copied). */
pnyx_err srv_sequencer_start_rules(struct srv_logview *lv,
				   const pnyx_signer *key,
				   uint64_t cp_interval_ms,
				   const struct srv_rules *rules,
				   const struct srv_seq_hooks *hooks,
				   struct srv_sequencer **out, pnyx_diag *diag)
	PNYX_WUR;

/* Finishes the queued requests, stops the thread, frees s. NULL is a
 * no-op. No submit may start after it begins. */
void srv_sequencer_stop(struct srv_sequencer *s);

/* Submits one signed action note (n bytes at note, borrowed for the call)
 * and waits until it is committed or refused. Fills *out (whose receipt
 * buffer the caller clears in every case). Thread-safe. */
void srv_sequencer_submit(struct srv_sequencer *s, const uint8_t *note,
			  size_t n, struct srv_seq_result *out);

/* Submits like srv_sequencer_submit without waiting: once *out is filled,
 * on_done(arg) is called from the sequencer's thread (no lock held; it
 * must not block). note and out must stay valid until then. Returns false
 * without calling on_done when the action cannot be queued (stopping, out
 * of memory): *out holds the failure then. Either way the caller then
 * calls srv_sequencer_sign_receipt on *out and clears out->receipt.
 * Thread-safe. */
bool srv_sequencer_post(struct srv_sequencer *s, const uint8_t *note,
			size_t n, struct srv_seq_result *out,
			void (*on_done)(void *arg), void *arg);

/* Signs the receipt of a posted action once it is answered (if accepted:
 * out->receipt and out->leaf_hash), in the caller's thread so that the
 * sequencer's stays free; clears out->leaf. Thread-safe. */
void srv_sequencer_sign_receipt(const struct srv_sequencer *s,
				struct srv_seq_result *out);

/* Signs a checkpoint now, in the sequencer's thread, if the log has
 * entries the latest checkpoint does not cover (the interval's checkpoint
 * early), and waits for it. PNYX_OK once the latest checkpoint covers
 * every committed entry; PNYX_ERR_STORAGE if it could not be signed or
 * the sequencer is stopping. Thread-safe. */
pnyx_err srv_sequencer_checkpoint(struct srv_sequencer *s) PNYX_WUR;

/* Takes the state's read lock and returns the committed state (of a
 * sequencer of srv_forum_rules); release with srv_sequencer_unlock_state.
 * Thread-safe. */
const pnyx_state *srv_sequencer_lock_state(struct srv_sequencer *s);
/* The same for a sequencer of any rules: their state type. */
const void *srv_sequencer_lock_any(struct srv_sequencer *s);
void srv_sequencer_unlock_state(struct srv_sequencer *s);

/* The committed leaves by index key (actor_index.h; for the forum's rules
 * the actor of each leaf); read it only while
 * holding the state's read lock, which guards it too. */
struct srv_actor_index;
const struct srv_actor_index *srv_sequencer_actor_index(
	const struct srv_sequencer *s);

/* Appends the sequencer's Prometheus metrics (accepted, refused by
 * verdict, batch sizes, append latency) to out, their names starting with
 * prefix ("pnyx" for the forum's log, "pnyx_cooperation" for the
 * cooperation log's; at most 40 bytes). Thread-safe. */
pnyx_err srv_sequencer_metrics(struct srv_sequencer *s, const char *prefix,
			       pnyx_buf *out) PNYX_WUR;

#endif
