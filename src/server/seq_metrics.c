/* The counters of a sequencer (see seq_metrics.h). */
#include "seq_metrics.h"

#include <stdio.h>

/* Upper bounds of the batch size histogram, and of the append latency
 * histogram in microseconds; a last bucket counts the rest (+Inf). */
static const uint64_t batch_bounds[SEQ_BATCH_BUCKETS] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
static const uint64_t latency_bounds_us[SEQ_LATENCY_BUCKETS] = {
	500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 250000, 500000,
	1000000};

void seq_metrics_init(struct seq_metrics *m)
{
	atomic_init(&m->accepted, 0);
	atomic_init(&m->failed, 0);
	atomic_init(&m->batch_sum, 0);
	atomic_init(&m->latency_sum_us, 0);
	for (size_t i = 0; i < PNYX_RULE__COUNT; i++)
		atomic_init(&m->refused[i], 0);
	for (size_t i = 0; i <= SEQ_BATCH_BUCKETS; i++)
		atomic_init(&m->batch[i], 0);
	for (size_t i = 0; i <= SEQ_LATENCY_BUCKETS; i++)
		atomic_init(&m->latency[i], 0);
}

static void count_in(atomic_uint_fast64_t *buckets, const uint64_t *bounds,
		     size_t nbounds, uint64_t v)
{
	size_t i = 0;
	while (i < nbounds && v > bounds[i])
		i++;
	atomic_fetch_add_explicit(&buckets[i], 1, memory_order_relaxed);
}

void seq_metrics_batch(struct seq_metrics *m, size_t n)
{
	count_in(m->batch, batch_bounds, SEQ_BATCH_BUCKETS, n);
	atomic_fetch_add_explicit(&m->batch_sum, n, memory_order_relaxed);
}

void seq_metrics_append(struct seq_metrics *m, uint64_t us)
{
	count_in(m->latency, latency_bounds_us, SEQ_LATENCY_BUCKETS, us);
	atomic_fetch_add_explicit(&m->latency_sum_us, us, memory_order_relaxed);
}

static uint64_t load_u64(atomic_uint_fast64_t *a)
{
	return atomic_load_explicit(a, memory_order_relaxed);
}

/* A Prometheus histogram of buckets (cumulative on output). */
static void histogram(pnyx_buf *out, const char *name, const char *help,
		      atomic_uint_fast64_t *buckets, const uint64_t *bounds,
		      size_t nbounds, double scale, double sum)
{
	pnyx_buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help,
			name);
	uint64_t cum = 0;
	for (size_t i = 0; i < nbounds; i++) {
		cum += load_u64(&buckets[i]);
		pnyx_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name,
				(double)bounds[i] * scale, (unsigned long long)cum);
	}
	cum += load_u64(&buckets[nbounds]);
	pnyx_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %g\n"
			"%s_count %llu\n", name, (unsigned long long)cum, name,
			sum, name, (unsigned long long)cum);
}

pnyx_err seq_metrics_render(struct seq_metrics *m, const char *prefix,
			    pnyx_buf *out)
{
	const char *p = prefix;
	pnyx_buf_printf(out, "# HELP %s_actions_accepted_total Actions "
			"committed to the log.\n# TYPE %s_actions_accepted_total "
			"counter\n%s_actions_accepted_total %llu\n", p, p, p,
			(unsigned long long)load_u64(&m->accepted));
	pnyx_buf_printf(out, "# HELP %s_actions_refused_total Actions the "
			"rules refused, by verdict.\n# TYPE "
			"%s_actions_refused_total counter\n", p, p);
	for (size_t i = 1; i < PNYX_RULE__COUNT; i++)
		if (load_u64(&m->refused[i]) != 0)
			pnyx_buf_printf(out, "%s_actions_refused_total{code=\"%s\"} "
					"%llu\n", p, pnyx_rule_name((pnyx_rule)i),
					(unsigned long long)load_u64(&m->refused[i]));
	pnyx_buf_printf(out, "# HELP %s_actions_failed_total Actions "
			"answered with a server error (storage, memory).\n"
			"# TYPE %s_actions_failed_total counter\n"
			"%s_actions_failed_total %llu\n", p, p, p,
			(unsigned long long)load_u64(&m->failed));
	char name[64];
	snprintf(name, sizeof name, "%s_batch_size", p);
	histogram(out, name, "Actions taken per batch.", m->batch, batch_bounds,
		  SEQ_BATCH_BUCKETS, 1.0, (double)load_u64(&m->batch_sum));
	snprintf(name, sizeof name, "%s_append_seconds", p);
	histogram(out, name, "Time of one group commit (pnyx_log_append).",
		  m->latency, latency_bounds_us, SEQ_LATENCY_BUCKETS, 1e-6,
		  (double)load_u64(&m->latency_sum_us) * 1e-6);
	return out->err;
}
