/*
 * The routing table of the pnyx HTTP service, and the life of one exchange
 * (see http.h): target, route, body, handler, ETag.
 */
#include "http.h"
#include "coop_read.h"
#include "read_api.h"
#include "static_files.h"

#include "pnyx/hash.h"

#include <assert.h>
#include <string.h>

/* MATCH_ARGS: the path has as many segments as the pattern, a "{name}"
 * segment of the pattern matching any non-empty segment (an argument of
 * the handler: req->args), every other segment equal. */
enum match { MATCH_EXACT, MATCH_PREFIX, MATCH_ARGS };
/* BODY_COOP_ACTION: a cooperation action, up to SRV_COOP_BODY_MAX */
enum body_kind { BODY_NONE, BODY_ACTION, BODY_COOP_ACTION };

struct srv_route {
	const char *name;            /* metrics label */
	const char *path;            /* the path, or its prefix */
	enum match match;
	unsigned methods;
	const char *const *params;   /* query parameters it takes, NULL-ended */
	srv_handler handler;
	enum body_kind body;         /* BODY_ACTION: up to max_body bytes */
};

static const char *const no_params[] = {NULL};
static const char *const inclusion_params[] = {"index", "size", NULL};
static const char *const consistency_params[] = {"old", "new", NULL};
static const char *const page_params[] = {"limit", "after", NULL};
static const char *const members_params[] = {"limit", "after", "lang", NULL};
static const char *const lang_params[] = {"lang", NULL};
static const char *const decisions_params[] = {"limit", "after", "status",
					       NULL};
static const char *const diff_params[] = {"from", "to", NULL};
static const char *const statements_params[] = {"limit", "after", "lang", "by",
						"session", "item", NULL};
static const char *const board_params[] = {"limit", "after", "area", "status",
					   NULL};
static const char *const offers_params[] = {"limit", "after", "area", NULL};
static const char *const box_params[] = {"box", NULL};

#define GET_HEAD (SRV_GET | SRV_HEAD)

/* The one routing table. GET routes also answer HEAD. */
static const struct srv_route routes[] = {
	{"/checkpoint", "/checkpoint", MATCH_EXACT, GET_HEAD, no_params,
	 srv_h_checkpoint, BODY_NONE},
	{"/v1/log", "/v1/log", MATCH_EXACT, GET_HEAD, no_params, srv_h_log,
	 BODY_NONE},
	{"/v1/proof/inclusion", "/v1/proof/inclusion", MATCH_EXACT, GET_HEAD,
	 inclusion_params, srv_h_inclusion, BODY_NONE},
	{"/v1/proof/consistency", "/v1/proof/consistency", MATCH_EXACT,
	 GET_HEAD, consistency_params, srv_h_consistency, BODY_NONE},
	{"/v1/actions", "/v1/actions", MATCH_EXACT, SRV_POST, no_params,
	 srv_h_actions, BODY_ACTION},
	{"/v1/checkpoint", "/v1/checkpoint", MATCH_EXACT, SRV_POST, no_params,
	 srv_h_checkpoint_now, BODY_NONE},
	{"/v1/state/digest", "/v1/state/digest", MATCH_EXACT, GET_HEAD,
	 no_params, srv_h_state_digest, BODY_NONE},
	{"/tile/*", "/tile/", MATCH_PREFIX, GET_HEAD, no_params, srv_h_tile,
	 BODY_NONE},
	{"/healthz", "/healthz", MATCH_EXACT, GET_HEAD, no_params,
	 srv_h_healthz, BODY_NONE},
	{"/metrics", "/metrics", MATCH_EXACT, GET_HEAD, no_params,
	 srv_h_metrics, BODY_NONE},
	/* the read API over the forum's state (read_*.c) */
#define READ(path, match, params, handler) \
	{path, path, match, GET_HEAD, params, handler, BODY_NONE}
	READ("/v1/forum", MATCH_EXACT, no_params, srv_h_forum),
	READ("/v1/members", MATCH_EXACT, members_params, srv_h_members),
	READ("/v1/members/{code}", MATCH_ARGS, lang_params, srv_h_member),
	READ("/v1/actors/{id}", MATCH_ARGS, no_params, srv_h_actor),
	READ("/v1/actors/{id}/actions", MATCH_ARGS, page_params,
	     srv_h_actor_actions),
	READ("/v1/stakeholders", MATCH_EXACT, page_params, srv_h_stakeholders),
	READ("/v1/stakeholders/{id}", MATCH_ARGS, no_params, srv_h_stakeholder),
	READ("/v1/documents", MATCH_EXACT, page_params, srv_h_documents),
	READ("/v1/documents/{id}", MATCH_ARGS, no_params, srv_h_document),
	READ("/v1/documents/{id}/revisions/{n}", MATCH_ARGS, no_params,
	     srv_h_revision),
	READ("/v1/documents/{id}/diff", MATCH_ARGS, diff_params, srv_h_diff),
	READ("/v1/decisions", MATCH_EXACT, decisions_params, srv_h_decisions),
	READ("/v1/decisions/{id}", MATCH_ARGS, no_params, srv_h_decision),
	READ("/v1/commitments", MATCH_EXACT, page_params, srv_h_commitments),
	READ("/v1/commitments/{member}", MATCH_ARGS, no_params,
	     srv_h_member_commitments),
	READ("/v1/sessions", MATCH_EXACT, page_params, srv_h_sessions),
	READ("/v1/sessions/{id}", MATCH_ARGS, lang_params, srv_h_session),
	READ("/v1/statements", MATCH_EXACT, statements_params, srv_h_statements),
	READ("/v1/statements/{id}", MATCH_ARGS, lang_params, srv_h_statement),
	READ("/v1/board", MATCH_EXACT, board_params, srv_h_board),
	READ("/v1/board/offers", MATCH_EXACT, offers_params, srv_h_board_offers),
	READ("/v1/board/actors/{id}", MATCH_ARGS, no_params, srv_h_board_actor),
#undef READ
	/* the cooperation log (coop_read.c, coop_entries.c) */
	{"/v1/cooperation/actions", "/v1/cooperation/actions", MATCH_EXACT,
	 SRV_POST, no_params, srv_h_coop_actions, BODY_COOP_ACTION},
#define COOP(path, match, params, handler) \
	{path, path, match, GET_HEAD, params, handler, BODY_NONE}
	COOP("/v1/cooperation/me", MATCH_EXACT, no_params, srv_h_coop_me),
	COOP("/v1/cooperation/directory", MATCH_EXACT, no_params,
	     srv_h_coop_directory),
	COOP("/v1/cooperation/requests", MATCH_EXACT, box_params,
	     srv_h_coop_requests),
	COOP("/v1/cooperation/entries", MATCH_EXACT, page_params,
	     srv_h_coop_entries),
	COOP("/v1/cooperation/entries/{index}", MATCH_ARGS, no_params,
	     srv_h_coop_entry),
	COOP("/v1/cooperation/checkpoint", MATCH_EXACT, no_params,
	     srv_h_coop_checkpoint),
	COOP("/v1/cooperation/proof/consistency", MATCH_EXACT,
	     consistency_params, srv_h_coop_consistency),
	COOP("/v1/cooperation/pings", MATCH_EXACT, no_params, srv_h_coop_pings),
	COOP("/v1/cooperation/figures", MATCH_EXACT, no_params,
	     srv_h_coop_figures),
#undef COOP
	/* the web page (static_files.c) */
	{"/", "/", MATCH_EXACT, GET_HEAD, no_params, srv_h_web_index, BODY_NONE},
	{"/web/*", "/web/", MATCH_PREFIX, GET_HEAD, no_params, srv_h_web_file,
	 BODY_NONE},
};

#define NROUTES (sizeof routes / sizeof *routes)
_Static_assert(NROUTES + 1 <= SRV_ROUTE_SLOTS, "raise SRV_ROUTE_SLOTS");

/* Allow header values by method bits. */
static const char *const allow_values[8] = {
	"", "GET", "HEAD", "GET, HEAD", "POST", "GET, POST", "HEAD, POST",
	"GET, HEAD, POST",
};

size_t srv_route_slots(void)
{
	return NROUTES + 1;
}

const char *srv_route_slot_name(size_t i)
{
	assert(i <= NROUTES);
	return i < NROUTES ? routes[i].name : "unmatched";
}

static unsigned method_bit(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return SRV_GET;
	if (strcmp(m, "HEAD") == 0)
		return SRV_HEAD;
	if (strcmp(m, "POST") == 0)
		return SRV_POST;
	return 0;
}

/* Walks pattern and path segment by segment (MATCH_ARGS). With args
 * (may be NULL), copies path into buf (at least as long) and points
 * args[i] at the i-th argument in it. */
static bool match_args(const char *pattern, const char *path, char *buf,
		       const char **args)
{
	size_t nargs = 0, off = 0;
	for (;;) {
		size_t pn = strcspn(pattern, "/"), n = strcspn(path, "/");
		bool arg = pattern[0] == '{';
		if (arg ? n == 0 : pn != n || memcmp(pattern, path, n) != 0)
			return false;
		if (arg && args != NULL) {
			assert(nargs < SRV_PATH_ARGS_MAX);
			memcpy(buf + off, path, n);
			buf[off + n] = 0;
			args[nargs++] = buf + off;
			off += n + 1;
		}
		pattern += pn;
		path += n;
		if (*pattern == 0 || *path == 0)
			return *pattern == *path;
		pattern++;
		path++;
	}
}

static bool route_matches(const struct srv_route *r, const char *path)
{
	if (r->match == MATCH_EXACT)
		return strcmp(r->path, path) == 0;
	if (r->match == MATCH_ARGS)
		return match_args(r->path, path, NULL, NULL);
	return strncmp(r->path, path, strlen(r->path)) == 0;
}

/* Picks the route for x's path and method, or refuses with 404 or 405. */
static void pick_route(struct srv_app *app, struct srv_exchange *x)
{
	const char *path = srv_target_path(&x->target);
	unsigned allowed = 0;
	for (size_t i = 0; i < NROUTES; i++) {
		if (!route_matches(&routes[i], path))
			continue;
		if (allowed == 0)
			x->route_slot = i;
		allowed |= routes[i].methods;
		if ((routes[i].methods & x->method) != 0) {
			x->route = &routes[i];
			x->route_slot = i;
			x->body_limit = routes[i].body == BODY_ACTION
						? app->max_body
					: routes[i].body == BODY_COOP_ACTION
						? SRV_COOP_BODY_MAX : 0;
			return;
		}
	}
	x->done = true;
	if (allowed == 0) {
		srv_problem(&x->resp, "not-found", "there is no resource at this path");
		return;
	}
	srv_problem(&x->resp, "method-not-allowed",
		    "this resource answers %s", allow_values[allowed]);
	x->resp.allow = allow_values[allowed];
}

/* Refuses query parameters the route does not take. */
static void check_params(struct srv_exchange *x)
{
	for (size_t i = 0; i < x->target.nparams; i++) {
		const char *name = srv_target_name(&x->target, i);
		bool known = false;
		for (const char *const *p = x->route->params; *p != NULL; p++)
			known = known || strcmp(*p, name) == 0;
		if (!known) {
			x->done = true;
			srv_problem(&x->resp, "bad-parameter",
				    "this resource takes no query parameter of that name");
			return;
		}
	}
}

/* The problem code for a target srv_target_parse refused with err: too
 * long, a bad query (when the path alone parses), or a bad path. */
static const char *target_problem(const uint8_t *target, size_t n,
				  pnyx_err err)
{
	if (err == PNYX_ERR_TOO_LARGE && n > SRV_TARGET_MAX)
		return "target-too-long";
	const uint8_t *q = n > 0 ? memchr(target, '?', n) : NULL;
	struct srv_target path_only;
	if (q != NULL && srv_target_parse(target, (size_t)(q - target),
					  &path_only, NULL) == PNYX_OK)
		return "bad-parameter";
	return "bad-target";
}

void srv_exchange_begin(struct srv_app *app, struct srv_exchange *x,
			const char *method, const uint8_t *target, size_t n)
{
	assert(app != NULL && x != NULL && method != NULL);
	x->method = method_bit(method);
	x->route = NULL;
	x->route_slot = NROUTES;
	x->body_limit = 0;
	x->done = false;
	x->raw_target[0] = 0;
	x->headers = NULL;
	if (n < sizeof x->raw_target) {
		memcpy(x->raw_target, target, n);
		x->raw_target[n] = 0;
	}
	pnyx_buf_init(&x->body, 1);
	x->resp = (struct srv_response){.status = 0};
	pnyx_buf_init(&x->resp.body, SRV_RESPONSE_MAX);
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_target_parse(target, n, &x->target, &diag);
	if (err != PNYX_OK) {
		x->done = true;
		srv_problem(&x->resp, target_problem(target, n, err), "%s",
			    diag.msg);
		return;
	}
	pick_route(app, x);
	if (!x->done)
		check_params(x);
	if (!x->done && x->body_limit > 0)
		pnyx_buf_init(&x->body, x->body_limit);
}

static void refuse_body(struct srv_exchange *x)
{
	x->done = true;
	pnyx_buf_clear(&x->body);
	if (x->body_limit == 0)
		srv_problem(&x->resp, "too-large", "this resource takes no request body");
	else
		srv_problem(&x->resp, "too-large",
			    "the request body is larger than %zu bytes",
			    x->body_limit);
}

void srv_exchange_expect(struct srv_exchange *x, uint64_t content_length)
{
	if (!x->done && content_length > x->body_limit)
		refuse_body(x);
}

void srv_exchange_body(struct srv_exchange *x, const uint8_t *p, size_t n)
{
	if (x->done || n == 0)
		return;
	if (n > x->body_limit - x->body.len) {
		refuse_body(x);
		return;
	}
	if (pnyx_buf_append(&x->body, p, n) != PNYX_OK) {
		x->done = true;
		srv_problem(&x->resp, "out-of-memory", "cannot hold the request body");
	}
}

void srv_response_set_etag(struct srv_response *resp)
{
	static const char hex[] = "0123456789abcdef";
	pnyx_hash h;
	pnyx_sha256(resp->body.data, resp->body.len, &h);
	size_t o = 0;
	resp->etag[o++] = '"';
	for (size_t i = 0; i < 16; i++) {
		resp->etag[o++] = hex[h.b[i] >> 4];
		resp->etag[o++] = hex[h.b[i] & 15];
	}
	resp->etag[o++] = '"';
	resp->etag[o] = 0;
}

static void run_handler(struct srv_app *app, struct srv_exchange *x,
			const char *content_type)
{
	const char *path = srv_target_path(&x->target);
	char args[SRV_TARGET_MAX + 1];
	struct srv_request req = {
		.app = app,
		.method = x->method,
		.target = &x->target,
		.rest = x->route->match == MATCH_PREFIX
				? path + strlen(x->route->path) : "",
		.body = x->body.data,
		.body_len = x->body.len,
		.content_type = content_type,
		.raw_target = x->raw_target,
		.headers = x->headers,
	};
	if (x->route->match == MATCH_ARGS) {
		assert(x->target.path_len < sizeof args);
		bool matched = match_args(x->route->path, path, args, req.args);
		assert(matched);
		(void)matched;
	}
	x->route->handler(&req, &x->resp);
	if (x->resp.body.err != PNYX_OK)
		srv_problem(&x->resp, x->resp.body.err == PNYX_ERR_NOMEM
					      ? "out-of-memory" : "internal",
			    "cannot build the response");
	assert(x->resp.status != 0); /* every handler answers */
}

void srv_exchange_finish(struct srv_app *app, struct srv_exchange *x,
			 const char *if_none_match, const char *content_type)
{
	if (!x->done)
		run_handler(app, x, content_type);
	x->done = true;
	struct srv_response *r = &x->resp;
	if (r->status == 200 && r->cacheable &&
	    (x->method & (SRV_GET | SRV_HEAD)) != 0) {
		if (r->etag[0] == 0) /* a cached answer brings its own */
			srv_response_set_etag(r);
		if (if_none_match != NULL && srv_etag_matches(if_none_match, r->etag)) {
			/* The body stays, so that the 304 announces the
			 * Content-Length of the 200 (RFC 9110 8.6); the
			 * transport sends no content with a 304. */
			r->status = 304;
		}
	}
	srv_metrics_count(&app->metrics, x->route_slot, r->status);
}

void srv_exchange_clear(struct srv_exchange *x)
{
	pnyx_buf_clear(&x->body);
	pnyx_buf_clear(&x->resp.body);
}

/* Reads one entity-tag at *s (after white space and commas), weak or not;
 * *tag and *n receive its quoted opaque part. False at the end or if
 * malformed. */
static bool next_etag(const char **s, const char **tag, size_t *n)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (*p == 0)
		return false;
	if (p[0] == 'W' && p[1] == '/')
		p += 2;
	if (*p != '"')
		return false;
	const char *end = strchr(p + 1, '"');
	if (end == NULL)
		return false;
	*tag = p;
	*n = (size_t)(end + 1 - p);
	*s = end + 1;
	return true;
}

const char *srv_request_header(const struct srv_request *req,
			       const char *name)
{
	return req->headers != NULL ? req->headers->get(req->headers->ctx, name)
				    : NULL;
}

bool srv_etag_matches(const char *if_none_match, const char *etag)
{
	const char *s = if_none_match;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '*')
		return true;
	const char *tag;
	size_t n;
	while (next_etag(&s, &tag, &n))
		if (n == strlen(etag) && memcmp(tag, etag, n) == 0)
			return true;
	return false;
}
