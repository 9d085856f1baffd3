/*
 * The counters of a sequencer (sequencer.c) and their Prometheus text:
 * actions accepted, refused by verdict and failed, the batch sizes and the
 * group commits' latency as histograms. Updated by the sequencer's thread
 * with relaxed atomics, read by /metrics from any thread.
 */
#ifndef PNYX_SERVER_SEQ_METRICS_H
#define PNYX_SERVER_SEQ_METRICS_H

#include "pnyx/buf.h"
#include "pnyx/engine.h"

#include <stdatomic.h>

#define SEQ_BATCH_BUCKETS 11   /* upper bounds 1, 2, 4, ... 1024 */
#define SEQ_LATENCY_BUCKETS 11 /* upper bounds 0.5 ms ... 1 s */

struct seq_metrics {
	atomic_uint_fast64_t accepted;
	atomic_uint_fast64_t refused[PNYX_RULE__COUNT];
	atomic_uint_fast64_t failed;
	atomic_uint_fast64_t batch[SEQ_BATCH_BUCKETS + 1];
	atomic_uint_fast64_t batch_sum;
	atomic_uint_fast64_t latency[SEQ_LATENCY_BUCKETS + 1];
	atomic_uint_fast64_t latency_sum_us;
};

/* Sets every counter to 0. */
void seq_metrics_init(struct seq_metrics *m);

/* Counts a batch of n actions, and a group commit of us microseconds. */
void seq_metrics_batch(struct seq_metrics *m, size_t n);
void seq_metrics_append(struct seq_metrics *m, uint64_t us);

/* Appends the Prometheus text of m to out, every name starting with
 * prefix (at most 40 bytes). Returns out's error. */
pnyx_err seq_metrics_render(struct seq_metrics *m, const char *prefix,
			    pnyx_buf *out) PNYX_WUR;

#endif
