/*
 * The server's one outgoing HTTP request: POST of an add-checkpoint body
 * to a witness (C2SP tlog-witness), over plain http://. HTTP/1.1 on a
 * socket of its own, one request per connection (Connection: close), a
 * time limit on the whole exchange, a cap on the answer, and a strict
 * reading of the status line and of the two headers it needs.
 *
 * Plain HTTP is enough here: everything a witness and a log exchange is
 * signed (the checkpoint by the log, the cosignature by the witness) and
 * checked on arrival, and nothing is secret. An https:// witness is
 * reached through a local proxy (docs/MIRROR.md, "Witnesses").
 *
 * Thread-safe (no shared state).
 */
#ifndef PNYX_SERVER_WITNESS_POST_H
#define PNYX_SERVER_WITNESS_POST_H

#include "pnyx/buf.h"
#include "pnyx/common.h"

#define SRV_POST_HEAD_MAX 8192 /* status line and headers of an answer */

/* An answer: its status, its Content-Type (lowercase, "" if none) and its
 * body (out, reset first; at most its max). */
struct srv_post_answer {
	unsigned status;
	char content_type[64];
};

/* Reads an HTTP/1.x answer received whole (n bytes at raw, untrusted;
 * the connection closed after it): "HTTP/1.x DDD" then a space or CR, the
 * header lines up to an empty line (at most SRV_POST_HEAD_MAX bytes), no
 * Transfer-Encoding, and a body of Content-Length bytes (the rest when
 * there is none; bytes past it are ignored). Sets a (the Content-Type
 * lowercased, "" if absent or longer than it holds) and out (reset
 * first). PNYX_ERR_MALFORMED or PNYX_ERR_TOO_LARGE (the body exceeds
 * out's max) with the reason in diag; a and out may be changed then. */
pnyx_err srv_post_parse_answer(const uint8_t *raw, size_t n,
			       struct srv_post_answer *a, pnyx_buf *out,
			       pnyx_diag *diag) PNYX_WUR;

/* POSTs the n bytes at body to base (an http:// URL: host, optional port,
 * optional path) followed by path (starting with '/'), within timeout_ms
 * for the whole exchange. true with *a and out filled when an HTTP answer
 * came; false with the reason in diag (a bad URL, no connection, time
 * limit, an answer that is not HTTP/1.x, chunked, or larger than out's
 * max). */
bool srv_post(const char *base, const char *path, const uint8_t *body,
	      size_t n, unsigned timeout_ms, struct srv_post_answer *a,
	      pnyx_buf *out, pnyx_diag *diag);

#endif
