/*
 * Tests for the web page's static files (src/server/static_files.c) through
 * the routing table, without the network: index and files with their media
 * types, ETag and 304, HEAD; and the refusals: traversal in every spelling
 * (.., %2e%2e, NUL, backslash, //, hidden files), symbolic links out of
 * the root, directories, FIFOs, unknown extensions, files over the cap,
 * and a server without a web page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/server/http.h"
#include "../src/server/static_files.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))
/* snprintf into the array buf, failing the test if it did not fit. */
#define PATH_FMT(buf, ...) \
	assert_true((size_t)snprintf(buf, sizeof buf, __VA_ARGS__) < sizeof buf)

static struct srv_app app;
static struct srv_exchange ex; /* large: off the stack */
static char root[4096];        /* the web root, resolved */
static char outside[4096];     /* a directory beside it */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[8192];
	PATH_FMT(path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void make_tree(const char *base)
{
	char web[4096], path[8192];
	PATH_FMT(web, "%s/web", base);
	PATH_FMT(outside, "%s/secret", base);
	assert_int_equal(mkdir(web, 0755), 0);
	assert_int_equal(mkdir(outside, 0755), 0);
	assert_non_null(realpath(web, root));
	write_file(root, "index.html", "<!doctype html><title>t</title>\n");
	write_file(root, "app.js", "export const a = 1;\n");
	write_file(root, "style.css", "body{}\n");
	write_file(root, ".hidden.js", "hidden\n");
	write_file(root, "README", "no extension\n");
	write_file(root, "x.exe", "unknown extension\n");
	write_file(outside, "passwd.js", "secret\n");
	PATH_FMT(path, "%s/views", root);
	assert_int_equal(mkdir(path, 0755), 0);
	write_file(path, "forum.js", "export const f = 2;\n");
	PATH_FMT(path, "%s/dir.js", root);
	assert_int_equal(mkdir(path, 0755), 0);
	PATH_FMT(path, "%s/fifo.js", root);
	assert_int_equal(mkfifo(path, 0644), 0);
	PATH_FMT(path, "%s/escape.js", root);
	char target[8192];
	PATH_FMT(target, "%s/passwd.js", outside);
	assert_int_equal(symlink(target, path), 0);
	PATH_FMT(path, "%s/inside.js", root);
	assert_int_equal(symlink("app.js", path), 0);
	/* one byte over the cap */
	PATH_FMT(path, "%s/big.txt", root);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, SRV_STATIC_FILE_MAX + 1), 0);
	close(fd);
	PATH_FMT(path, "%s/cap.txt", root);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, SRV_STATIC_FILE_MAX), 0);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	make_tree(test_tmpdir("static_files"));
	srv_metrics_init(&app.metrics);
	app.web_root = root;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	srv_exchange_clear(&ex);
	return 0;
}

static unsigned run(const char *method, const char *target, const char *inm)
{
	srv_exchange_clear(&ex);
	srv_exchange_begin(&app, &ex, method, U8(target), strlen(target));
	srv_exchange_finish(&app, &ex, inm, NULL);
	return ex.resp.status;
}

static const char *body(void)
{
	return ex.resp.body.data != NULL ? (const char *)ex.resp.body.data : "";
}

static void expect_file(const char *target, const char *type, const char *text)
{
	assert_int_equal(run("GET", target, NULL), 200);
	assert_string_equal(ex.resp.content_type, type);
	assert_string_equal(ex.resp.cache_control, "no-cache");
	assert_int_equal(ex.resp.etag[0], '"');
	assert_string_equal(body(), text);
}

static void serves_files(void **state)
{
	(void)state;
	expect_file("/", "text/html; charset=utf-8",
		    "<!doctype html><title>t</title>\n");
	expect_file("/web/index.html", "text/html; charset=utf-8",
		    "<!doctype html><title>t</title>\n");
	expect_file("/web/app.js", "text/javascript; charset=utf-8",
		    "export const a = 1;\n");
	expect_file("/web/style.css", "text/css; charset=utf-8", "body{}\n");
	expect_file("/web/views/forum.js", "text/javascript; charset=utf-8",
		    "export const f = 2;\n");
	/* a link that stays under the root is followed */
	expect_file("/web/inside.js", "text/javascript; charset=utf-8",
		    "export const a = 1;\n");
	assert_int_equal(run("GET", "/web/cap.txt", NULL), 200);
	assert_int_equal(ex.resp.body.len, SRV_STATIC_FILE_MAX);
}

static void etag_and_head(void **state)
{
	(void)state;
	assert_int_equal(run("GET", "/web/app.js", NULL), 200);
	char etag[40];
	memcpy(etag, ex.resp.etag, sizeof etag);
	assert_int_equal(run("GET", "/web/app.js", etag), 304);
	assert_int_equal(run("GET", "/web/app.js", "\"0000\""), 200);
	assert_int_equal(run("HEAD", "/", NULL), 200);
	assert_string_equal(ex.resp.content_type, "text/html; charset=utf-8");
	assert_int_equal(run("POST", "/web/app.js", NULL), 405);
	assert_string_equal(ex.resp.allow, "GET, HEAD");
}

static void expect_refused(const char *target, unsigned status)
{
	unsigned got = run("GET", target, NULL);
	if (got != status)
		fail_msg("%s: expected %u, got %u", target, status, got);
	assert_string_equal(ex.resp.content_type, "application/problem+json");
	assert_null(strstr(body(), "secret"));
}

static void refuses_traversal(void **state)
{
	(void)state;
	static const char *const not_found[] = {
		"/web/../secret/passwd.js", "/web/%2e%2e/secret/passwd.js",
		"/web/%2E%2E/secret/passwd.js", "/web/.%2e/secret/passwd.js",
		"/web/views/../../secret/passwd.js", "/web/./app.js",
		"/web//app.js", "/web/a%5c..%5capp.js",
		"/web/..%5csecret%5cpasswd.js", "/web/a\\b.js",
		"/web/..\\secret\\passwd.js", "/web/.hidden.js",
		"/web/escape.js", "/web/", "/web/views/", "/web/views",
		"/web/dir.js", "/web/fifo.js", "/web/README", "/web/x.exe",
		"/web/missing.js", "/web/app.js/", "/web/app.js/x.js",
		"/index.html", "/web", "/web/%e2%80%a8.js",
	};
	for (size_t i = 0; i < sizeof not_found / sizeof *not_found; i++)
		expect_refused(not_found[i], 404);
	/* the target parser refuses these before any route */
	expect_refused("/web/app%00.js", 400);
	expect_refused("/web/app.js%00.txt", 400);
	expect_refused("/web/%2fapp.js", 400);
	expect_refused("/?lang=ar", 400);
	expect_refused("/web/big.txt", 413);
}

static void path_shapes(void **state)
{
	(void)state;
	assert_true(srv_static_path_ok("app.js"));
	assert_true(srv_static_path_ok("views/forum-2_x.js"));
	assert_false(srv_static_path_ok(""));
	assert_false(srv_static_path_ok(".."));
	assert_false(srv_static_path_ok("a/../b.js"));
	assert_false(srv_static_path_ok("a/./b.js"));
	assert_false(srv_static_path_ok("a//b.js"));
	assert_false(srv_static_path_ok("/a.js"));
	assert_false(srv_static_path_ok("a/"));
	assert_false(srv_static_path_ok("a\\b.js"));
	assert_false(srv_static_path_ok("a b.js"));
	assert_false(srv_static_path_ok("a/b/c/d/e/f/g/h/i.js"));
	assert_true(srv_static_path_ok("a/b/c/d/e/f/g/h.js"));
	char longp[SRV_STATIC_PATH_MAX + 2];
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	assert_false(srv_static_path_ok(longp));
	assert_string_equal(srv_static_media_type("a.svg"), "image/svg+xml");
	assert_string_equal(srv_static_media_type("a.json"), "application/json");
	assert_null(srv_static_media_type("a.js.exe"));
	assert_null(srv_static_media_type("js"));
	assert_null(srv_static_media_type("a.d/js"));
}

static void no_web_page(void **state)
{
	(void)state;
	app.web_root = NULL;
	expect_refused("/", 404);
	assert_non_null(strstr(body(), "web-dir"));
	expect_refused("/web/app.js", 404);
	app.web_root = root;
	assert_int_equal(run("GET", "/", NULL), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serves_files),
		cmocka_unit_test(etag_and_head),
		cmocka_unit_test(refuses_traversal),
		cmocka_unit_test(path_shapes),
		cmocka_unit_test(no_web_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
