/*
 * The CLI's one HTTP client (libcurl): GET and POST against a forum's
 * server or a static mirror of its log, with a cap on every response's
 * size, time limits, and one-sentence errors. URLs are http://, https://
 * or file:// (a mirror on disk); nothing else, and redirects only to
 * http:// or https://. A file:// read answers status 200, or 404 when the
 * file is not there, so callers treat both kinds of mirror alike.
 *
 * A client is used by one thread at a time; it keeps its connection open
 * between requests.
 */
#ifndef PNYX_CLI_HTTP_CLIENT_H
#define PNYX_CLI_HTTP_CLIENT_H

#include "pnyx/buf.h"
#include "pnyx/common.h"

#include <jansson.h>

#define HTTP_TIMEOUT_DEFAULT 30 /* seconds for one request */
#define HTTP_URL_MAX 2048       /* a base URL and a path */
#define HTTP_JSON_MAX (16u * 1024u * 1024u) /* a JSON answer */

typedef struct http_client http_client;

/* A new client for the base URL base (its trailing '/' dropped): every
 * path is appended to it. timeout_s (1..3600) bounds each request.
 * Returns NULL with the reason in diag if base is not an http://,
 * https:// or file:// URL, is too long, or libcurl cannot start. */
http_client *http_client_new(const char *base, long timeout_s,
			     pnyx_diag *diag);

/* Frees a client; NULL is a no-op. */
void http_client_free(http_client *c);

/* The base URL, without a trailing '/'. Borrowed from c. */
const char *http_client_base(const http_client *c);

/* GET base + path (path starts with '/'). On true, *status is the HTTP
 * status and body (reset first, its max at least max) holds the answer's
 * body. false with the reason in diag when no answer came (connection,
 * time limit, TLS) or the body is larger than max bytes. */
bool http_get(http_client *c, const char *path, size_t max, pnyx_buf *body,
	      long *status, pnyx_diag *diag);

/* GET base + path with nheaders extra request header lines ("Name: value",
 * borrowed for the call), as http_get otherwise. */
bool http_get_headers(http_client *c, const char *path,
		      const char *const *headers, size_t nheaders, size_t max,
		      pnyx_buf *body, long *status, pnyx_diag *diag);

/* POST the n bytes at p to base + path, as http_get otherwise. */
bool http_post(http_client *c, const char *path, const uint8_t *p, size_t n,
	       size_t max, pnyx_buf *body, long *status, pnyx_diag *diag);

/* GET a JSON object (at most HTTP_JSON_MAX bytes). true: *status and, for
 * a 2xx status, *out (a new reference; NULL for other statuses). false
 * with the reason in diag: no answer, too large, or a 2xx body that is not
 * a JSON object. */
bool http_get_json(http_client *c, const char *path, long *status,
		   json_t **out, pnyx_diag *diag);

/* Parses body, the answer to path, as a JSON object: true and *out (a
 * new reference), or false with *out NULL and the reason in diag. */
bool http_json_object(const pnyx_buf *body, const char *path, json_t **out,
		      pnyx_diag *diag);

/* Describes an error answer in one line: the problem document's detail
 * and code ("detail (code)"), or "HTTP <status>" for any other body;
 * control characters are left out. */
void http_problem_text(long status, const pnyx_buf *body, char *out,
		       size_t cap);

/* Parses the argument of a command's --timeout option (1 to 3600
 * seconds) into *out. CLI_EXIT_OK, or a usage error for cmd printed and
 * CLI_EXIT_USAGE returned. */
int http_timeout_arg(const char *cmd, const char *arg, long *out);

#endif
