/*
 * Fuzz target for the HTTP service's request handling without a log:
 * srv_target_parse, routing, query checks, body limits and problem
 * documents (src/server/query.c, route.c, problem.c), If-None-Match, and
 * the web page's path check (static_files.c): an accepted path has no
 * empty, "." or ".." segment, no segment starting with '.', only the
 * allowed bytes, and stays within the length and depth limits.
 *
 * Input: one byte choosing the method and whether a Content-Length is
 * announced, the request target up to the first '\n', then the body.
 * Invariants: an accepted target decodes to UTF-8 strings without NUL or
 * controls; a refused exchange is a problem document whose status and
 * code agree with the table; nothing crashes or leaks.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/text.h"

#include "../src/server/http.h"
#include "../src/server/static_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_target(const uint8_t *p, size_t n)
{
	struct srv_target *t = malloc(sizeof *t);
	if (t == NULL)
		abort();
	if (srv_target_parse(p, n, t, NULL) == PNYX_OK) {
		const char *path = srv_target_path(t);
		if (path[0] != '/' || strlen(path) != t->path_len ||
		    !pnyx_utf8_is_valid((const uint8_t *)path, t->path_len))
			abort();
		for (size_t i = 0; i < t->nparams; i++) {
			size_t len;
			const char *v = srv_target_value(t, i, &len);
			if (strlen(v) != len || srv_target_name(t, i)[0] == 0)
				abort();
		}
	}
	free(t);
}

static void check_static_path(const uint8_t *p, size_t n)
{
	char *rel = malloc(n + 1);
	if (rel == NULL)
		abort();
	memcpy(rel, p, n);
	rel[n] = 0;
	if (strlen(rel) == n && srv_static_path_ok(rel)) {
		size_t segments = 1;
		if (n == 0 || n > SRV_STATIC_PATH_MAX || rel[0] == '.' ||
		    rel[0] == '/' || rel[n - 1] == '/' || strstr(rel, "//") != NULL ||
		    strstr(rel, "/.") != NULL)
			abort();
		for (size_t i = 0; i < n; i++) {
			char c = rel[i];
			segments += c == '/';
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			      c == '.' || c == '/'))
				abort();
		}
		if (segments > SRV_STATIC_DEPTH_MAX)
			abort();
		(void)srv_static_media_type(rel);
	}
	free(rel);
}

static void check_problem(const struct srv_response *r)
{
	if (r->status < 400 || r->code == NULL ||
	    srv_problem_status(r->code) != r->status)
		abort();
	json_t *doc = json_loadb((const char *)r->body.data, r->body.len, 0, NULL);
	if (doc == NULL ||
	    strcmp(json_string_value(json_object_get(doc, "code")), r->code) != 0)
		abort();
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT"};
	if (pnyx_init() != PNYX_OK)
		abort();
	if (size == 0)
		return 0;
	const uint8_t *target = data + 1;
	const uint8_t *nl = memchr(target, '\n', size - 1);
	size_t tn = nl != NULL ? (size_t)(nl - target) : size - 1;
	const uint8_t *body = nl != NULL ? nl + 1 : target + tn;
	size_t bn = size - 1 - tn - (nl != NULL);
	check_target(target, tn);
	check_static_path(target, tn);
	char *inm = malloc(tn + 1);
	if (inm == NULL)
		abort();
	memcpy(inm, target, tn);
	inm[tn] = 0;
	(void)srv_etag_matches(inm, "\"0123456789abcdef0123456789abcdef\"");
	free(inm);

	struct srv_app *app = calloc(1, sizeof *app);
	struct srv_exchange *x = calloc(1, sizeof *x);
	if (app == NULL || x == NULL)
		abort();
	srv_metrics_init(&app->metrics);
	app->max_body = 64;
	srv_exchange_begin(app, x, methods[data[0] & 3], target, tn);
	if ((data[0] & 4) != 0)
		srv_exchange_expect(x, bn);
	srv_exchange_body(x, body, bn);
	if (x->done) { /* refused: no handler, so no log is needed */
		srv_exchange_finish(app, x, NULL, NULL);
		check_problem(&x->resp);
	}
	srv_exchange_clear(x);
	free(x);
	free(app);
	return 0;
}
