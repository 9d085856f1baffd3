/*
 * The web page's static files (static_files.h): a strict check of the
 * path, a table of media types, and a read of one regular file that must
 * lie under the root once symbolic links are resolved.
 */
#include "static_files.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct media_type {
	const char *ext;   /* with the dot */
	const char *type;
};

/* The only files served: the page's own kinds. */
/* The page's Content-Security-Policy: the policy of web/index.html's meta
 * tag, and what only a header can say (no framing by other sites). */
static const char page_policy[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

static const struct media_type media_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".txt", "text/plain; charset=utf-8"},
	{".woff2", "font/woff2"},
};

#define NTYPES (sizeof media_types / sizeof *media_types)

/* Revalidate every time: the files change with the software, and the
 * ETag makes the check cheap (304). */
static const char revalidate[] = "no-cache";

static bool segment_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool srv_static_path_ok(const char *rel)
{
	assert(rel != NULL);
	size_t n = strnlen(rel, SRV_STATIC_PATH_MAX + 1);
	if (n == 0 || n > SRV_STATIC_PATH_MAX)
		return false;
	size_t depth = 0;
	for (size_t i = 0; i < n; i++) {
		bool starts = i == 0 || rel[i - 1] == '/';
		if (starts && (rel[i] == '/' || rel[i] == '.'))
			return false; /* empty, ".", ".." or hidden */
		if (starts && ++depth > SRV_STATIC_DEPTH_MAX)
			return false;
		if (rel[i] != '/' && !segment_char(rel[i]))
			return false;
	}
	return rel[n - 1] != '/';
}

const char *srv_static_media_type(const char *name)
{
	assert(name != NULL);
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash != NULL ? slash : name, '.');
	if (dot == NULL)
		return NULL;
	for (size_t i = 0; i < NTYPES; i++)
		if (strcmp(dot, media_types[i].ext) == 0)
			return media_types[i].type;
	return NULL;
}

static void not_found(struct srv_response *resp)
{
	srv_problem(resp, "not-found", "there is no file of the web page at this path");
}

/* Resolves root/rel into out (PATH_MAX bytes): true if it exists and lies
 * strictly under root. */
static bool resolve_under(const char *root, const char *rel, char *out)
{
	char joined[PATH_MAX];
	int w = snprintf(joined, sizeof joined, "%s/%s", root, rel);
	if (w < 0 || (size_t)w >= sizeof joined)
		return false;
	if (realpath(joined, out) == NULL)
		return false;
	size_t rn = strlen(root);
	return strncmp(out, root, rn) == 0 && out[rn] == '/';
}

/* Appends the whole of fd to resp->body, refusing past the cap. */
static pnyx_err read_all(int fd, struct srv_response *resp)
{
	uint8_t chunk[16384];
	size_t total = 0;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return PNYX_ERR_IO;
		if (got == 0)
			break;
		total += (size_t)got;
		if (total > SRV_STATIC_FILE_MAX)
			return PNYX_ERR_TOO_LARGE; /* it grew meanwhile */
		pnyx_err err = pnyx_buf_append(&resp->body, chunk, (size_t)got);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}

/* Opens the resolved path and answers with it if it is a regular file
 * within the size cap. */
static void answer_file(const char *path, const char *type,
			struct srv_response *resp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		not_found(resp);
		return;
	}
	struct stat st;
	pnyx_err err = PNYX_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		err = PNYX_ERR_NOT_FOUND;
	else if ((uint64_t)st.st_size > SRV_STATIC_FILE_MAX)
		err = PNYX_ERR_TOO_LARGE;
	else
		err = read_all(fd, resp);
	close(fd);
	if (err == PNYX_ERR_NOT_FOUND) {
		not_found(resp);
	} else if (err == PNYX_ERR_TOO_LARGE) {
		pnyx_buf_reset(&resp->body);
		srv_problem(resp, "too-large", "the file is larger than %u bytes",
			    SRV_STATIC_FILE_MAX);
	} else if (err != PNYX_OK) {
		pnyx_buf_reset(&resp->body);
		srv_problem(resp, err == PNYX_ERR_NOMEM ? "out-of-memory" : "io",
			    "cannot read the file");
	} else {
		resp->status = 200;
		resp->content_type = type;
		resp->cache_control = revalidate;
		resp->cacheable = true;
		if (strncmp(type, "text/html", 9) == 0)
			resp->csp = page_policy;
	}
}

void srv_static_answer(const char *root, const char *rel,
		       struct srv_response *resp)
{
	assert(rel != NULL && resp != NULL);
	if (root == NULL) {
		srv_problem(resp, "not-found",
			    "this server does not serve the web page (the "
			    "web-dir setting names no directory)");
		return;
	}
	const char *type = srv_static_media_type(rel);
	char path[PATH_MAX];
	if (type == NULL || !srv_static_path_ok(rel) ||
	    !resolve_under(root, rel, path)) {
		not_found(resp);
		return;
	}
	answer_file(path, type, resp);
}

void srv_h_web_index(const struct srv_request *req, struct srv_response *resp)
{
	srv_static_answer(req->app->web_root, "index.html", resp);
}

void srv_h_web_file(const struct srv_request *req, struct srv_response *resp)
{
	srv_static_answer(req->app->web_root, req->rest, resp);
}
