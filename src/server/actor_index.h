/*
 * The list of actions by actor: for every actor, the leaf indices of its
 * accepted actions, in increasing order. The sequencer builds it while it
 * replays the log at start-up and adds each leaf once its batch is committed, so it
 * only ever holds committed leaves; GET /v1/actors/{id}/actions reads the
 * actions themselves from the log (read_actions.c).
 *
 * Not thread-safe by itself: the sequencer changes it only under the
 * state's write lock, and readers read it under the state's read lock
 * (srv_sequencer_actor_index).
 *
 * Memory: one slot per actor (an open-addressing table keyed by the
 * actor id) and 8 bytes per leaf.
 */
#ifndef PNYX_SERVER_ACTOR_INDEX_H
#define PNYX_SERVER_ACTOR_INDEX_H

#include "pnyx/common.h"
#include "pnyx/log.h"

struct srv_actor_index;

/* A new empty index. PNYX_OK and *out (free with srv_actor_index_free)
 * or PNYX_ERR_NOMEM. The sequencer fills it while it replays the log at
 * start-up, then as batches commit. */
pnyx_err srv_actor_index_new(struct srv_actor_index **out) PNYX_WUR;

/* Frees the index. NULL is a no-op. */
void srv_actor_index_free(struct srv_actor_index *ix);

/* Adds the committed leaf at index, which must be the number of leaves
 * indexed so far, under its n keys (1 or 2 distinct ids of 1 to
 * PNYX_ID_MAX bytes, from the rules' index_keys right after they accepted
 * the leaf, so that it is not parsed again): for the forum's log the
 * actor; for the cooperation log both members a request concerns, or
 * "*". On failure (PNYX_ERR_CORRUPT: a bad key; PNYX_ERR_NOMEM) the index
 * is marked broken: from then on it answers every query with that error,
 * since it would miss a leaf. */
pnyx_err srv_actor_index_add_keys(struct srv_actor_index *ix, uint64_t index,
				  const char *const *keys, size_t n);

/* Number of leaves indexed (the committed tree size). */
uint64_t srv_actor_index_size(const struct srv_actor_index *ix);

/* The leaf indices of actor (NUL-terminated) from index `from` on, at
 * most max of them, into out[]; *n receives how many, *more whether any
 * further leaf of the actor follows. An actor with no action gives *n = 0.
 * Returns PNYX_OK, or the error that broke the index. */
pnyx_err srv_actor_index_page(const struct srv_actor_index *ix,
			      const char *actor, uint64_t from, uint64_t *out,
			      size_t max, size_t *n, bool *more) PNYX_WUR;

#endif
