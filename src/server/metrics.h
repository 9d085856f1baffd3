/*
 * Request counters of the pnyx HTTP service, by route and status, kept in
 * atomics (relaxed: counters need no ordering) so that every MHD thread
 * counts without a lock; rendered in the Prometheus text format.
 */
#ifndef PNYX_SERVER_METRICS_H
#define PNYX_SERVER_METRICS_H

#include "pnyx/buf.h"
#include "pnyx/common.h"

#include <stdatomic.h>

/* Routes plus one slot for requests no route took (checked in route.c). */
#define SRV_ROUTE_SLOTS 64
/* The statuses the service sends, plus "other" (see metrics.c). */
#define SRV_STATUS_SLOTS 17

struct srv_metrics {
	atomic_uint_fast64_t count[SRV_ROUTE_SLOTS][SRV_STATUS_SLOTS];
};

/* Zeroes every counter. */
void srv_metrics_init(struct srv_metrics *m);

/* Counts one answered request in route slot (< SRV_ROUTE_SLOTS) with the
 * given status. Thread-safe. */
void srv_metrics_count(struct srv_metrics *m, size_t slot, unsigned status);

/* Appends pnyx_http_requests_total{route=...,status=...} for every
 * non-zero counter, with its HELP and TYPE lines. Thread-safe. */
pnyx_err srv_metrics_render(struct srv_metrics *m, pnyx_buf *out) PNYX_WUR;

#endif
