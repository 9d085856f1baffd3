/*
 * The transport-neutral half of the pnyx HTTP service: request targets,
 * requests and responses, the routing table, problem documents (RFC 9457)
 * and the handlers. Nothing here includes libmicrohttpd: daemon.c feeds
 * exchanges from the network, tests/test_server.c feeds them directly.
 *
 * One exchange is one request and its response:
 *   srv_exchange_begin   parse the target, pick the route (or refuse:
 *                        400 bad target, 404, 405), fix the body limit
 *   srv_exchange_body    feed request body bytes (413 past the limit)
 *   srv_exchange_finish  run the route's handler, add the ETag, answer
 *                        304 to a matching If-None-Match
 *   srv_exchange_clear   free it
 * Exchanges are independent; the shared state (struct srv_app) is
 * thread-safe: the log sits behind a mutex (logview.h), counters are
 * atomics (metrics.h), the read API's response cache has a mutex per
 * shard (read_cache.h).
 */
#ifndef PNYX_SERVER_HTTP_H
#define PNYX_SERVER_HTTP_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/engine.h"

#include "metrics.h"

#include <stdatomic.h>
#include <time.h>

/* Methods, as bits so that a route can accept several. 0 is any other. */
#define SRV_GET 1u
#define SRV_HEAD 2u
#define SRV_POST 4u

/* Longest request target (path and query, before decoding) we read. */
#define SRV_TARGET_MAX 2048
/* Most query parameters in one request. */
#define SRV_QUERY_MAX 8
/* Largest response body (an entry bundle of 256 entries of 64 KiB). */
#define SRV_RESPONSE_MAX (17u * 1024u * 1024u)
/* Largest cooperation action (POST /v1/cooperation/actions): a log entry
 * holds 65535 bytes, the leaf's first line included. */
#define SRV_COOP_BODY_MAX 65000u
/* Most {name} segments in a route's path (route.c). */
#define SRV_PATH_ARGS_MAX 2

/* ---- request targets (query.c) ---- */

/* A decoded request target. Names and values are NUL-terminated strings
 * inside buf, found by offset so that the struct may be copied. */
struct srv_target {
	size_t path_len;        /* the path is buf[0 .. path_len) */
	size_t nparams;
	struct {
		size_t name;    /* offset in buf */
		size_t value;   /* offset in buf */
		size_t value_len;
	} params[SRV_QUERY_MAX];
	char buf[2 * SRV_TARGET_MAX + 2 * SRV_QUERY_MAX + 2];
};

/* Parses an origin-form request target "/path[?query]" (n bytes at raw,
 * untrusted). Percent-escapes are decoded; the path and every name and
 * value must then be UTF-8 without control characters or NUL. The query is
 * name=value pairs separated by '&', each name given once, no empty pair;
 * '+' stands for a space. Returns PNYX_OK and *out, PNYX_ERR_TOO_LARGE (n >
 * SRV_TARGET_MAX, more than SRV_QUERY_MAX parameters) or
 * PNYX_ERR_MALFORMED, with the reason in diag (which never quotes the
 * target). */
pnyx_err srv_target_parse(const uint8_t *raw, size_t n, struct srv_target *out,
			  pnyx_diag *diag) PNYX_WUR;

/* The decoded path of t (NUL-terminated). */
const char *srv_target_path(const struct srv_target *t);

/* Parameter i (< t->nparams): its name and value (NUL-terminated). */
const char *srv_target_name(const struct srv_target *t, size_t i);
const char *srv_target_value(const struct srv_target *t, size_t i,
			     size_t *len);

/* ---- shared state ---- */

struct srv_logview;
struct srv_config;
struct srv_sequencer;
struct srv_read_cache;

/* What every exchange shares; owned by daemon.c (or a test). */
struct srv_app {
	struct srv_logview *log;
	struct srv_sequencer *seq;  /* NULL: no key, the log is read-only */
	struct srv_coop *coop;      /* NULL: no cooperation log (coop_log.h) */
	struct srv_sequencer *coop_seq; /* its sequencer, NULL without */
	const struct pnyx_country_set *countries; /* NULL: no state names */
	struct srv_read_cache *read_cache; /* NULL: the read API builds
					      every answer (read_cache.h) */
	const char *web_root;   /* NULL: no web page (static_files.h) */
	struct srv_witnesses *witnesses; /* NULL: no witness policy
					    (witness_client.h) */
	struct srv_metrics metrics;
	size_t max_body;        /* body limit of routes that take a body */
	atomic_uint_fast64_t in_flight;
	time_t started;
};

/* ---- requests and responses ---- */

struct srv_route;

/* The request's header fields, as the transport can look them up. */
struct srv_headers {
	/* the value of the field name (case-insensitive), or NULL */
	const char *(*get)(const void *ctx, const char *name);
	const void *ctx;
};

struct srv_request {
	struct srv_app *app;
	unsigned method;                 /* SRV_GET, SRV_HEAD or SRV_POST */
	const struct srv_target *target;
	const char *rest;                /* for prefix routes: the path after
					    the prefix; "" otherwise */
	const char *args[SRV_PATH_ARGS_MAX]; /* for routes with {name}
					    segments: each such segment of
					    the path, decoded, in order;
					    NULL beyond */
	const uint8_t *body;
	size_t body_len;
	const char *content_type;        /* header value or NULL */
	const char *raw_target;          /* the target as sent (undecoded) */
	const struct srv_headers *headers; /* NULL: none known (tests) */
};

/* The value of header field name of req, or NULL. */
const char *srv_request_header(const struct srv_request *req,
			       const char *name);

struct srv_response {
	unsigned status;
	const char *content_type;   /* static strings */
	const char *cache_control;
	const char *allow;          /* 405 only */
	const char *accept_signature; /* 401 only: an Accept-Signature value */
	const char *csp;            /* the web page: a Content-Security-Policy */
	const char *code;           /* problem code when status >= 400 */
	bool cacheable;             /* a 200 to GET/HEAD gets a strong ETag */
	char etag[40];              /* "" or the quoted entity tag */
	pnyx_buf body;              /* max SRV_RESPONSE_MAX */
};

typedef void (*srv_handler)(const struct srv_request *req,
			    struct srv_response *resp);

/* ---- exchanges (route.c) ---- */

struct srv_exchange {
	unsigned method;
	const struct srv_route *route; /* NULL when refused before routing */
	size_t route_slot;             /* metrics slot (srv_route_slot) */
	size_t body_limit;
	bool done;                     /* resp is final */
	struct srv_target target;
	char raw_target[SRV_TARGET_MAX + 1]; /* as sent ("" if too long) */
	const struct srv_headers *headers; /* the transport's, or NULL */
	pnyx_buf body;
	struct srv_response resp;
};

/* Starts an exchange for a request line: method (NUL-terminated, as sent)
 * and the raw target (n bytes, untrusted). Sets x->done when the request is
 * refused already (bad target, no route, wrong method). */
void srv_exchange_begin(struct srv_app *app, struct srv_exchange *x,
			const char *method, const uint8_t *target, size_t n);

/* Announces the declared body length (Content-Length); refuses with 413
 * (x->done) when it is over the limit. */
void srv_exchange_expect(struct srv_exchange *x, uint64_t content_length);

/* Feeds n body bytes; past the route's limit, refuses with 413 and ignores
 * the rest. */
void srv_exchange_body(struct srv_exchange *x, const uint8_t *p, size_t n);

/* Completes the exchange: runs the handler unless done, then sets the
 * ETag and answers 304 to a matching if_none_match (may be NULL); a 304
 * keeps the body of the 200 so that the transport can send its
 * Content-Length (RFC 9110 8.6), but the transport sends no content with
 * it. content_type (may be NULL) is the request's. x->resp is final after,
 * and the answer is counted in app's metrics. */
void srv_exchange_finish(struct srv_app *app, struct srv_exchange *x,
			 const char *if_none_match, const char *content_type);

/* Frees an exchange's buffers (a zeroed exchange may be cleared). */
void srv_exchange_clear(struct srv_exchange *x);

/* Sets resp->etag to the strong entity tag of its body (128 bits of the
 * body's SHA-256, quoted). srv_exchange_finish does it for a cacheable
 * 200 whose etag is still "". */
void srv_response_set_etag(struct srv_response *resp);

/* True if an If-None-Match header value matches the entity tag etag
 * (weak comparison, RFC 9110 13.1.2; "*" matches any). */
bool srv_etag_matches(const char *if_none_match, const char *etag);

/* Number of metrics slots in use: one per route plus one for requests no
 * route took; and the label of slot i. */
size_t srv_route_slots(void);
const char *srv_route_slot_name(size_t i);

/* ---- problem documents (problem.c) ---- */

/* The HTTP status of a problem code, 0 if the table lacks it. Every
 * pnyx_err name and every pnyx_rule name is in the table. */
unsigned srv_problem_status(const char *code);

/* The problem table's size and its i-th code (i < count), for tests. */
size_t srv_problem_count(void);
const char *srv_problem_code(size_t i);

/* Makes resp a problem document: status from the table (code must be in
 * it), application/problem+json, the detail formatted from fmt. */
void srv_problem(struct srv_response *resp, const char *code,
		 const char *fmt, ...) PNYX_PRINTF(3, 4);

/* The same for a library error (detail: diag's message, or the error's
 * text when diag is NULL or empty) and for an engine verdict. */
void srv_problem_err(struct srv_response *resp, pnyx_err err,
		     const pnyx_diag *diag);
void srv_problem_rule(struct srv_response *resp, const pnyx_verdict *v);

/* ---- handlers (handlers.c), named in the routing table ---- */

void srv_h_checkpoint(const struct srv_request *req, struct srv_response *resp);
/* The same answers for another log (the cooperation log's endpoints). */
struct srv_logview;
void srv_log_checkpoint(struct srv_logview *lv, struct srv_response *resp);
void srv_log_consistency(struct srv_logview *lv, const struct srv_request *req,
			 struct srv_response *resp);
void srv_h_log(const struct srv_request *req, struct srv_response *resp);
void srv_h_inclusion(const struct srv_request *req, struct srv_response *resp);
void srv_h_consistency(const struct srv_request *req,
		       struct srv_response *resp);
void srv_h_tile(const struct srv_request *req, struct srv_response *resp);
void srv_h_healthz(const struct srv_request *req, struct srv_response *resp);
void srv_h_metrics(const struct srv_request *req, struct srv_response *resp);
/* handlers_seq.c */
void srv_h_actions(const struct srv_request *req, struct srv_response *resp);
/* POST /v1/checkpoint: signs a checkpoint now if the log grew since the
 * last one (handlers_seq.c), then answers as GET /checkpoint. */
void srv_h_checkpoint_now(const struct srv_request *req,
			  struct srv_response *resp);
void srv_h_state_digest(const struct srv_request *req,
			struct srv_response *resp);

/* Reads query parameter name as a canonical decimal. On failure makes resp
 * a bad-parameter problem and returns false. */
bool srv_query_u64(const struct srv_request *req, struct srv_response *resp,
		   const char *name, uint64_t *out);

#endif
