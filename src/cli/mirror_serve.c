/*
 * pnyx mirror --serve: the copy, read-only over HTTP, in the layout of
 * C2SP tlog-tiles (mirror.h). GET and HEAD only; /checkpoint and the one
 * canonical path of each tile or entry bundle (pnyx_tile_path_parse), each
 * answered from its file in the copy; anything else is 404. Files are
 * published by rename, so an answer is always a whole file; tiles never
 * change, so they may be cached for ever, and the checkpoint never.
 *
 * libmicrohttpd 0.9.75: a response queued on the first call of a request
 * makes every reply Connection: close, so the first call only marks the
 * request (docs: ENVIRONMENT.md).
 */
#include "cli.h"
#include "mirror.h"

#include "../server/listener.h"
#include "../server/server.h"

#include "pnyx/mem.h"
#include "pnyx/tile.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SERVE_THREADS 4
#define SERVE_CONNECTIONS 256
#define SERVE_TIMEOUT 30

struct mirror_server {
	struct MHD_Daemon *mhd;
	int dir_fd;
};

static const char not_found[] =
	"{\"code\":\"not-found\",\"status\":404,\"title\":\"Not found\","
	"\"detail\":\"this mirror serves /checkpoint and /tile/... only\"}\n";
static const char not_allowed[] =
	"{\"code\":\"method-not-allowed\",\"status\":405,"
	"\"title\":\"Method not allowed\",\"detail\":\"GET or HEAD only\"}\n";
static const char failed[] =
	"{\"code\":\"io\",\"status\":500,\"title\":\"The file cannot be read\"}\n";

static enum MHD_Result queue_static(struct MHD_Connection *c, unsigned status,
				    const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	enum MHD_Result ret =
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					"application/problem+json") == MHD_YES &&
				(status != 405 ||
				 MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
							 "GET, HEAD") == MHD_YES)
			? MHD_queue_response(c, status, r)
			: MHD_NO;
	MHD_destroy_response(r);
	return ret;
}

/* The file behind a request path, its media type and caching; false if
 * the path is not one the mirror serves. */
static bool resolve(const char *url, char rel[PNYX_TILE_PATH_MAX],
		    const char **type, const char **cache)
{
	if (strcmp(url, "/" MIRROR_CHECKPOINT) == 0) {
		memcpy(rel, MIRROR_CHECKPOINT, sizeof MIRROR_CHECKPOINT);
		*type = "text/plain; charset=utf-8";
		*cache = "no-cache";
		return true;
	}
	pnyx_tile t;
	if (url[0] != '/' ||
	    pnyx_tile_path_parse((const uint8_t *)url + 1, strlen(url + 1), &t) !=
		    PNYX_OK ||
	    t.level >= PNYX_TILE_LEVELS)
		return false;
	pnyx_tile_path_format(&t, rel);
	*type = "application/octet-stream";
	*cache = "public, max-age=31536000, immutable";
	return true;
}

/* Answers with the file rel of the copy. */
static enum MHD_Result queue_file(struct mirror_server *s,
				  struct MHD_Connection *c, const char *rel,
				  const char *type, const char *cache)
{
	int fd = openat(s->dir_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		bool missing = fd < 0 && (errno == ENOENT || errno == ELOOP);
		if (fd >= 0)
			close(fd);
		return queue_static(c, missing || fd >= 0 ? 404 : 500,
				    missing || fd >= 0 ? not_found : failed);
	}
	/* MHD closes fd when the response is destroyed. */
	struct MHD_Response *r =
		MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (r == NULL) {
		close(fd);
		return MHD_NO;
	}
	enum MHD_Result ret =
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) ==
				MHD_YES &&
			MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
						cache) == MHD_YES &&
			MHD_add_response_header(r, "Access-Control-Allow-Origin",
						"*") == MHD_YES
			? MHD_queue_response(c, MHD_HTTP_OK, r)
			: MHD_NO;
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	(void)upload;
	if (*con_cls == NULL) {
		*con_cls = cls; /* any non-NULL value: the request has begun */
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0; /* a body is read and ignored */
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return queue_static(c, 405, not_allowed);
	char rel[PNYX_TILE_PATH_MAX];
	const char *type, *cache;
	if (!resolve(url, rel, &type, &cache))
		return queue_static(c, 404, not_found);
	return queue_file(cls, c, rel, type, cache);
}

static struct MHD_Daemon *start(struct mirror_server *s,
				const struct srv_listen *l)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 (l->ipv6 ? MHD_USE_IPv6 : 0u);
	return MHD_start_daemon(
		flags, l->port, NULL, NULL, on_request, s,
		MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&l->addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVE_THREADS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_TIMEOUT,
		MHD_OPTION_END);
}

struct mirror_server *mirror_serve_start(const struct mirror_dir *d,
					 const char *addr,
					 const char *ready_file)
{
	struct srv_listen l;
	pnyx_diag diag = {{0}};
	if (srv_listen_parse(addr, &l, &diag) != PNYX_OK) {
		cli_fail("--serve %s: %s", addr, diag.msg);
		return NULL;
	}
	struct mirror_server *s = pnyx_calloc(1, sizeof *s);
	if (s == NULL) {
		cli_fail("out of memory");
		return NULL;
	}
	s->dir_fd = d->fd;
	s->mhd = start(s, &l);
	if (s->mhd == NULL) {
		cli_fail("cannot listen on %s", addr);
		pnyx_free(s);
		return NULL;
	}
	char url[128];
	if (!srv_announce(s->mhd, &l, ready_file, url, sizeof url)) {
		mirror_serve_stop(s);
		return NULL;
	}
	return s;
}

void mirror_serve_stop(struct mirror_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->mhd);
	pnyx_free(s);
}
