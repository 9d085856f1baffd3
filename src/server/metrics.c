/* Request counters by route and status (see metrics.h). */
#include "metrics.h"

#include "http.h"

#include <assert.h>

/* The statuses the service sends; the last slot counts any other. */
static const unsigned statuses[SRV_STATUS_SLOTS - 1] = {
	200, 201, 304, 400, 403, 404, 405, 408, 409, 413, 414, 415, 422, 500,
	501, 503,
};

static size_t status_slot(unsigned status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
		if (statuses[i] == status)
			return i;
	return SRV_STATUS_SLOTS - 1;
}

void srv_metrics_init(struct srv_metrics *m)
{
	for (size_t r = 0; r < SRV_ROUTE_SLOTS; r++)
		for (size_t s = 0; s < SRV_STATUS_SLOTS; s++)
			atomic_init(&m->count[r][s], 0);
}

void srv_metrics_count(struct srv_metrics *m, size_t slot, unsigned status)
{
	assert(slot < SRV_ROUTE_SLOTS);
	atomic_fetch_add_explicit(&m->count[slot][status_slot(status)], 1,
				  memory_order_relaxed);
}

pnyx_err srv_metrics_render(struct srv_metrics *m, pnyx_buf *out)
{
	pnyx_buf_puts(out, "# HELP pnyx_http_requests_total HTTP requests "
		      "answered, by route and status.\n"
		      "# TYPE pnyx_http_requests_total counter\n");
	size_t slots = srv_route_slots();
	assert(slots <= SRV_ROUTE_SLOTS);
	for (size_t r = 0; r < slots; r++) {
		for (size_t s = 0; s < SRV_STATUS_SLOTS; s++) {
			uint_fast64_t n = atomic_load_explicit(
				&m->count[r][s], memory_order_relaxed);
			if (n == 0)
				continue;
			if (s == SRV_STATUS_SLOTS - 1)
				pnyx_buf_printf(out, "pnyx_http_requests_total"
						"{route=\"%s\",status=\"other\"} ",
						srv_route_slot_name(r));
			else
				pnyx_buf_printf(out, "pnyx_http_requests_total"
						"{route=\"%s\",status=\"%u\"} ",
						srv_route_slot_name(r),
						statuses[s]);
			pnyx_buf_printf(out, "%llu\n", (unsigned long long)n);
		}
	}
	return out->err;
}
