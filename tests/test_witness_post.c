/*
 * Tests for src/server/witness_post.c: the reading of a witness's HTTP
 * answer (every refusal), the base URLs it takes, and a real exchange
 * with a one-shot HTTP server on a loopback socket (the request line,
 * Host, Content-Length and body as sent; the answer as read), a refused
 * connection and a server that never answers (the time limit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../src/server/witness_post.h"

#define U8(s) ((const uint8_t *)(s))

static pnyx_err parse(const char *raw, struct srv_post_answer *a, pnyx_buf *out)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_post_parse_answer(U8(raw), strlen(raw), a, out, &diag);
	if (err != PNYX_OK)
		assert_true(diag.msg[0] != 0);
	return err;
}

static void test_answers(void **state)
{
	(void)state;
	struct srv_post_answer a;
	pnyx_buf out;
	pnyx_buf_init(&out, 64);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Type: Text/Plain\r\n"
			       "Content-Length: 5\r\n\r\nhello", &a, &out), PNYX_OK);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.content_type, "text/plain");
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.data, "hello", 5);
	/* no Content-Length: the rest; a shorter one: that much */
	assert_int_equal(parse("HTTP/1.0 409\r\ncontent-type: text/x.tlog.size\r\n"
			       "\r\n42\n", &a, &out), PNYX_OK);
	assert_int_equal(a.status, 409);
	assert_string_equal(a.content_type, "text/x.tlog.size");
	assert_int_equal(out.len, 3);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabcd",
			       &a, &out), PNYX_OK);
	assert_int_equal(out.len, 2);
	/* no Content-Type */
	assert_int_equal(parse("HTTP/1.1 204 No Content\r\n\r\n", &a, &out), PNYX_OK);
	assert_string_equal(a.content_type, "");
	assert_int_equal(out.len, 0);
	pnyx_buf_clear(&out);
}

static void test_answers_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"HTTP/1.1 200 OK\r\n",                      /* no empty line */
		"HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1 099 OK\r\n\r\n",
		"HTTP/1.1 +20 OK\r\n\r\n",
		"http/1.1 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nContent-Length: +4\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nContent-Length: 04\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789012345678901"
		"234567890123456789012345678901234567890\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n",
	};
	struct srv_post_answer a;
	pnyx_buf out;
	pnyx_buf_init(&out, 64);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse(bad[i], &a, &out), PNYX_ERR_MALFORMED);
	/* a body larger than the caller's cap */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n\r\n"
			       "0123456789012345678901234567890123456789012345678"
			       "90123456789012345678901234567890", &a, &out),
			 PNYX_ERR_TOO_LARGE);
	/* a head larger than SRV_POST_HEAD_MAX */
	static char big[SRV_POST_HEAD_MAX + 64];
	memset(big, 'x', sizeof big);
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 21);
	memcpy(big + sizeof big - 5, "\r\n\r\n", 5);
	assert_int_equal(parse(big, &a, &out), PNYX_ERR_MALFORMED);
	pnyx_buf_clear(&out);
}

static void test_bad_urls(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"https://w.example", "ftp://w.example", "http://", "http:///x",
		"http://w.example:0", "http://w.example:65536", "http://w.example:x",
		"http://[::1", "http://[::1]x", "http://w.example:",
	};
	struct srv_post_answer a;
	pnyx_buf out;
	pnyx_buf_init(&out, 64);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pnyx_diag diag = {{0}};
		assert_false(srv_post(bad[i], "/add-checkpoint", U8("x"), 1, 1000, &a,
				      &out, &diag));
		assert_true(diag.msg[0] != 0);
	}
	pnyx_buf_clear(&out);
}

/* A one-shot server: accepts one connection, reads the request until the
 * client's body is in (or the peer stops), answers with reply (NULL: says
 * nothing and waits for the client to give up). */
struct one_shot {
	int fd;
	const char *reply;
	char request[4096];
	size_t len;
};

static void *serve_once(void *arg)
{
	struct one_shot *o = arg;
	int c = accept(o->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	while (o->len < sizeof o->request - 1) {
		ssize_t r = read(c, o->request + o->len, sizeof o->request - 1 - o->len);
		if (r <= 0)
			break;
		o->len += (size_t)r;
		o->request[o->len] = 0;
		const char *end = strstr(o->request, "\r\n\r\n");
		if (end != NULL && strstr(o->request, "\r\n\r\nBODY") != NULL)
			break;
	}
	if (o->reply != NULL) {
		ssize_t w = write(c, o->reply, strlen(o->reply));
		(void)w;
	} else {
		char drain[64];
		while (read(c, drain, sizeof drain) > 0)
			;
	}
	close(c);
	return NULL;
}

/* Listens on a free loopback port; writes the base URL. */
static int listen_any(char url[64])
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(url, 64, "http://127.0.0.1:%u/w1/", (unsigned)ntohs(sa.sin_port));
	return fd;
}

static void test_exchange(void **state)
{
	(void)state;
	char url[64];
	struct one_shot o = {.reply = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
				      "Connection: close\r\n\r\nline"};
	o.fd = listen_any(url);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, serve_once, &o), 0);
	struct srv_post_answer a;
	pnyx_buf out;
	pnyx_buf_init(&out, 64);
	pnyx_diag diag = {{0}};
	assert_true(srv_post(url, "/add-checkpoint", U8("BODY"), 4, 5000, &a, &out,
			     &diag));
	pthread_join(t, NULL);
	assert_int_equal(a.status, 200);
	assert_memory_equal(out.data, "line", 4);
	assert_non_null(strstr(o.request, "POST /w1/add-checkpoint HTTP/1.1\r\n"));
	assert_non_null(strstr(o.request, "\r\nHost: 127.0.0.1:"));
	assert_non_null(strstr(o.request, "\r\nContent-Length: 4\r\n"));
	/* the port is closed now: refused */
	close(o.fd);
	assert_false(srv_post(url, "/add-checkpoint", U8("BODY"), 4, 5000, &a, &out,
			      &diag));
	assert_non_null(strstr(diag.msg, "cannot connect"));
	/* a server that never answers: the time limit */
	struct one_shot mute = {.reply = NULL};
	mute.fd = listen_any(url);
	assert_int_equal(pthread_create(&t, NULL, serve_once, &mute), 0);
	assert_false(srv_post(url, "/add-checkpoint", U8("BODY"), 4, 300, &a, &out,
			      &diag));
	assert_non_null(strstr(diag.msg, "within 300 ms"));
	pthread_join(t, NULL);
	close(mute.fd);
	pnyx_buf_clear(&out);
}

/* A listener whose queue is full drops the SYN: the connection times out,
 * and says so (not "refused"). */
static void test_connect_timeout(void **state)
{
	(void)state;
	char url[64];
	int fd = listen_any(url);
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	int fill[4];
	for (size_t i = 0; i < 4; i++) { /* never accepted */
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fill[i] >= 0);
		(void)connect(fill[i], (struct sockaddr *)&sa, sizeof sa);
	}
	struct srv_post_answer a;
	pnyx_buf out;
	pnyx_buf_init(&out, 64);
	pnyx_diag diag = {{0}};
	assert_false(srv_post(url, "/add-checkpoint", U8("BODY"), 4, 300, &a,
			      &out, &diag));
	assert_non_null(strstr(diag.msg, "cannot connect"));
	assert_non_null(strstr(diag.msg, strerror(ETIMEDOUT)));
	for (size_t i = 0; i < 4; i++)
		close(fill[i]);
	close(fd);
	pnyx_buf_clear(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_answers_refused),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_exchange),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
