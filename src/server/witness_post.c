/*
 * POST to a witness over plain HTTP/1.1 (witness_post.h).
 */
#include "witness_post.h"

#include "pnyx/text.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOST_MAX 255
#define PREFIX_MAX 512

/* A parsed http:// base URL. */
struct target {
	char host[HOST_MAX + 1];   /* without the brackets of an IPv6 address */
	char port[6];
	char authority[HOST_MAX + 10]; /* for the Host header */
	char prefix[PREFIX_MAX + 1];   /* the path, without a final '/' */
};

static pnyx_err parse_base(const char *base, struct target *t, pnyx_diag *diag)
{
	if (strncmp(base, "http://", 7) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "only http:// "
				     "witness URLs are supported");
	const char *auth = base + 7, *slash = strchr(auth, '/');
	size_t alen = slash != NULL ? (size_t)(slash - auth) : strlen(auth);
	size_t plen = slash != NULL ? strlen(slash) : 0;
	while (plen > 0 && slash[plen - 1] == '/')
		plen--;
	if (alen == 0 || alen >= sizeof t->authority || plen > PREFIX_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness URL's "
				     "host or path is empty or too long");
	memcpy(t->authority, auth, alen);
	t->authority[alen] = 0;
	memcpy(t->prefix, plen > 0 ? slash : "", plen);
	t->prefix[plen] = 0;
	const char *h = t->authority, *he, *ps = NULL;
	if (*h == '[') {
		he = strchr(h, ']');
		if (he == NULL || (he[1] != 0 && he[1] != ':'))
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness "
					     "URL's IPv6 address is not valid");
		h++;
		ps = he[1] == ':' ? he + 2 : NULL;
	} else {
		ps = strchr(h, ':');
		he = ps != NULL ? ps : h + alen;
		ps = ps != NULL ? ps + 1 : NULL;
	}
	size_t hlen = (size_t)(he - h);
	uint64_t port = 80;
	if (hlen == 0 || hlen > HOST_MAX ||
	    (ps != NULL && (pnyx_parse_u64((const uint8_t *)ps, strlen(ps),
					   &port) != PNYX_OK ||
			    port == 0 || port > 65535)))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness URL's "
				     "host or port is not valid");
	memcpy(t->host, h, hlen);
	t->host[hlen] = 0;
	snprintf(t->port, sizeof t->port, "%u", (unsigned)port);
	return PNYX_OK;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline; false when it passed. */
static bool wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = fd, .events = events};
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
	}
}

/* A connected non-blocking socket to one of the host's addresses, or -1. */
static int connect_to(const struct target *t, int64_t deadline,
		      pnyx_diag *diag)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int gai = getaddrinfo(t->host, t->port, &hints, &res);
	if (gai != 0) {
		pnyx_diag_set(diag, PNYX_ERR_IO, "cannot resolve %s: %s", t->host,
			      gai_strerror(gai));
		return -1;
	}
	int fd = -1, err = ECONNREFUSED;
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		if (err == EINPROGRESS) { /* the outcome, or the time limit */
			socklen_t len = sizeof err;
			if (!wait_fd(fd, POLLOUT, deadline))
				err = ETIMEDOUT;
			else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
				err = errno;
			if (err == 0)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		pnyx_diag_set(diag, PNYX_ERR_IO, "cannot connect to %s: %s",
			      t->authority, strerror(err));
	return fd;
}

static bool send_all(int fd, const uint8_t *p, size_t n, int64_t deadline)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!wait_fd(fd, POLLOUT, deadline))
				return false;
		} else {
			return false;
		}
	}
	return true;
}

/* Reads until the peer closes (Connection: close) into raw. */
static pnyx_err recv_all(int fd, pnyx_buf *raw, int64_t deadline)
{
	uint8_t chunk[16384];
	for (;;) {
		ssize_t r = recv(fd, chunk, sizeof chunk, 0);
		if (r == 0)
			return PNYX_OK;
		if (r > 0) {
			if (pnyx_buf_append(raw, chunk, (size_t)r) != PNYX_OK)
				return PNYX_ERR_TOO_LARGE;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (!wait_fd(fd, POLLIN, deadline))
				return PNYX_ERR_IO;
		} else if (errno != EINTR) {
			return PNYX_ERR_IO;
		}
	}
}

/* The value of header name in the header lines (n bytes), trimmed and
 * lowercased into out; "" when it does not fit. false if absent. */
static bool header(const char *head, size_t n, const char *name, char *out,
		   size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = head; p < head + n;) {
		const char *eol = memchr(p, '\n', (size_t)(head + n - p));
		size_t len = eol != NULL ? (size_t)(eol - p) : (size_t)(head + n - p);
		if (len > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1, *e = p + len;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
				e--;
			size_t vl = (size_t)(e - v) < cap ? (size_t)(e - v) : 0;
			for (size_t i = 0; i < vl; i++)
				out[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
			out[vl] = 0;
			return true;
		}
		p += len + 1;
	}
	return false;
}

pnyx_err srv_post_parse_answer(const uint8_t *raw, size_t n,
			       struct srv_post_answer *a, pnyx_buf *out,
			       pnyx_diag *diag)
{
	const char *p = (const char *)raw;
	const char *end = n > 0 ? memmem(p, n, "\r\n\r\n", 4) : NULL;
	uint64_t status;
	if (end == NULL || end - p < 12 || memcmp(p, "HTTP/1.", 7) != 0 ||
	    p[8] != ' ' || pnyx_parse_u64(raw + 9, 3, &status) != PNYX_OK ||
	    (p[12] != ' ' && p[12] != '\r') || status < 100 ||
	    (size_t)(end - p) > SRV_POST_HEAD_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness's "
				     "answer is not HTTP/1.x");
	size_t hlen = (size_t)(end - p) + 2, blen = n - hlen - 2;
	char v[64];
	if (header(p, hlen, "transfer-encoding", v, sizeof v))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness's "
				     "answer uses a transfer encoding");
	uint64_t cl;
	if (header(p, hlen, "content-length", v, sizeof v)) {
		if (pnyx_parse_u64((const uint8_t *)v, strlen(v), &cl) != PNYX_OK ||
		    cl > blen)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness's "
					     "answer is shorter than its "
					     "Content-Length");
		blen = (size_t)cl;
	}
	a->status = (unsigned)status;
	if (!header(p, hlen, "content-type", a->content_type, sizeof a->content_type))
		a->content_type[0] = 0;
	pnyx_buf_reset(out);
	if (pnyx_buf_append(out, end + 4, blen) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "the witness's "
				     "answer is too large");
	return PNYX_OK;
}

bool srv_post(const char *base, const char *path, const uint8_t *body,
	      size_t n, unsigned timeout_ms, struct srv_post_answer *a,
	      pnyx_buf *out, pnyx_diag *diag)
{
	struct target t;
	if (parse_base(base, &t, diag) != PNYX_OK)
		return false;
	int64_t deadline = now_ms() + timeout_ms;
	int fd = connect_to(&t, deadline, diag);
	if (fd < 0)
		return false;
	char head[PREFIX_MAX + HOST_MAX + 256];
	int hn = snprintf(head, sizeof head,
			  "POST %s%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: pnyx\r\n"
			  "Content-Type: text/plain; charset=utf-8\r\n"
			  "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			  t.prefix, path, t.authority, n);
	pnyx_buf raw;
	pnyx_buf_init(&raw, SRV_POST_HEAD_MAX + out->max);
	pnyx_err err = PNYX_ERR_IO;
	if (hn > 0 && (size_t)hn < sizeof head &&
	    send_all(fd, (const uint8_t *)head, (size_t)hn, deadline) &&
	    send_all(fd, body, n, deadline))
		err = recv_all(fd, &raw, deadline);
	close(fd);
	if (err != PNYX_OK)
		pnyx_diag_set(diag, err, "no complete answer from %s within %u ms",
			      t.authority, timeout_ms);
	else
		err = srv_post_parse_answer(raw.data, raw.len, a, out, diag);
	pnyx_buf_clear(&raw);
	return err == PNYX_OK;
}
