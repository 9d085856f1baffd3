/*
 * Tests for the parsers of the HTTP service (src/server/): request targets
 * (every refusal, and nothing written on refusal), If-None-Match, the
 * problem table (every pnyx_err and pnyx_rule has a status), the config
 * file, the environment and listen addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../src/server/http.h"
#include "../src/server/server.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))

static struct srv_target target; /* large: off the stack */

static pnyx_err parse(const char *s)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_target_parse(U8(s), strlen(s), &target, &diag);
	if (err != PNYX_OK)
		assert_true(diag.msg[0] != 0);
	return err;
}

static const char *param(const char *name)
{
	for (size_t i = 0; i < target.nparams; i++)
		if (strcmp(srv_target_name(&target, i), name) == 0)
			return srv_target_value(&target, i, NULL);
	return NULL;
}

static void target_valid(void **state)
{
	(void)state;
	assert_int_equal(parse("/"), PNYX_OK);
	assert_string_equal(srv_target_path(&target), "/");
	assert_int_equal(target.nparams, 0);
	assert_int_equal(parse("/v1/log?"), PNYX_OK);
	assert_string_equal(srv_target_path(&target), "/v1/log");
	assert_int_equal(target.nparams, 0);
	assert_int_equal(parse("/v1/proof/inclusion?index=3&size=10"), PNYX_OK);
	assert_string_equal(srv_target_path(&target), "/v1/proof/inclusion");
	assert_int_equal(target.nparams, 2);
	assert_string_equal(param("index"), "3");
	assert_string_equal(param("size"), "10");
	assert_int_equal(parse("/a%20b/caf%C3%A9/caf\xc3\xa9/x+y"), PNYX_OK);
	assert_string_equal(srv_target_path(&target),
			    "/a b/caf\xc3\xa9/caf\xc3\xa9/x+y");
	assert_int_equal(parse("/a?x=a+b%2B&y=&%7A=%2F"), PNYX_OK);
	assert_string_equal(param("x"), "a b+");
	assert_string_equal(param("y"), "");
	assert_string_equal(param("z"), "/");
	size_t len;
	srv_target_value(&target, 1, &len);
	assert_int_equal(len, 0);
	/* Eight parameters and the longest target are accepted. */
	assert_int_equal(parse("/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8"), PNYX_OK);
	assert_int_equal(target.nparams, 8);
	char longest[SRV_TARGET_MAX + 1];
	memset(longest, 'a', SRV_TARGET_MAX);
	longest[0] = '/';
	longest[SRV_TARGET_MAX] = 0;
	assert_int_equal(parse(longest), PNYX_OK);
	assert_int_equal(target.path_len, SRV_TARGET_MAX);
}

static void target_invalid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		pnyx_err err;
	} cases[] = {
		{"", PNYX_ERR_MALFORMED},
		{"v1/log", PNYX_ERR_MALFORMED},
		{"*", PNYX_ERR_MALFORMED},
		{"http://example.org/v1/log", PNYX_ERR_MALFORMED},
		{"/a%", PNYX_ERR_MALFORMED},
		{"/a%2", PNYX_ERR_MALFORMED},
		{"/a%G1", PNYX_ERR_MALFORMED},
		{"/a%1G", PNYX_ERR_MALFORMED},
		{"/v1%2Flog", PNYX_ERR_MALFORMED},
		{"/a%FF", PNYX_ERR_MALFORMED},
		{"/a\xff", PNYX_ERR_MALFORMED},
		{"/a%C3", PNYX_ERR_MALFORMED},
		{"/a%C0%AF", PNYX_ERR_MALFORMED}, /* overlong '/' */
		{"/a%ED%A0%80", PNYX_ERR_MALFORMED}, /* surrogate */
		{"/a%00", PNYX_ERR_MALFORMED},
		{"/a%0A", PNYX_ERR_MALFORMED},
		{"/a%7F", PNYX_ERR_MALFORMED},
		{"/a b", PNYX_ERR_MALFORMED},
		{"/a\tb", PNYX_ERR_MALFORMED},
		{"/a#frag", PNYX_ERR_MALFORMED},
		{"/a\x7f", PNYX_ERR_MALFORMED},
		{"/a?x", PNYX_ERR_MALFORMED},
		{"/a?=1", PNYX_ERR_MALFORMED},
		{"/a?x=1&", PNYX_ERR_MALFORMED},
		{"/a?&x=1", PNYX_ERR_MALFORMED},
		{"/a?x=1&&y=2", PNYX_ERR_MALFORMED},
		{"/a?x=1&x=2", PNYX_ERR_MALFORMED},
		{"/a?x=1&%78=2", PNYX_ERR_MALFORMED}, /* x twice, once escaped */
		{"/a?x=%ZZ", PNYX_ERR_MALFORMED},
		{"/a?x=%FF", PNYX_ERR_MALFORMED},
		{"/a?%FF=1", PNYX_ERR_MALFORMED},
		{"/a?x=%00", PNYX_ERR_MALFORMED},
		{"/a?x=1#f", PNYX_ERR_MALFORMED},
		{"/a?x=a b", PNYX_ERR_MALFORMED},
		{"/?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9", PNYX_ERR_TOO_LARGE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		memset(&target, 0xa5, sizeof target);
		pnyx_err err = parse(cases[i].s);
		if (err != cases[i].err)
			fail_msg("case %zu: got %s", i, pnyx_err_name(err));
		/* nothing written on refusal */
		for (size_t j = 0; j < sizeof target; j++)
			assert_int_equal(((const uint8_t *)&target)[j], 0xa5);
	}
	char too_long[SRV_TARGET_MAX + 2];
	memset(too_long, 'a', SRV_TARGET_MAX + 1);
	too_long[0] = '/';
	too_long[SRV_TARGET_MAX + 1] = 0;
	assert_int_equal(parse(too_long), PNYX_ERR_TOO_LARGE);
}

static void etags(void **state)
{
	(void)state;
	const char *tag = "\"0123abcd\"";
	assert_true(srv_etag_matches("\"0123abcd\"", tag));
	assert_true(srv_etag_matches("W/\"0123abcd\"", tag));
	assert_true(srv_etag_matches("\"x\", W/\"y\" ,\"0123abcd\"", tag));
	assert_true(srv_etag_matches("*", tag));
	assert_true(srv_etag_matches("  *", tag));
	assert_false(srv_etag_matches("", tag));
	assert_false(srv_etag_matches("\"0123abce\"", tag));
	assert_false(srv_etag_matches("\"0123abcd", tag));
	assert_false(srv_etag_matches("0123abcd", tag));
	assert_false(srv_etag_matches("\"0123abc\"", tag));
	assert_false(srv_etag_matches("w/\"0123abcd\"", tag));
	assert_false(srv_etag_matches("junk, \"0123abcd\"", tag));
}

static void problem_table(void **state)
{
	(void)state;
	for (int e = 1; e < PNYX_ERR__COUNT; e++)
		if (srv_problem_status(pnyx_err_name((pnyx_err)e)) == 0)
			fail_msg("no status for error %s", pnyx_err_name((pnyx_err)e));
	for (int r = 1; r < PNYX_RULE__COUNT; r++)
		if (srv_problem_status(pnyx_rule_name((pnyx_rule)r)) == 0)
			fail_msg("no status for verdict %s",
				 pnyx_rule_name((pnyx_rule)r));
	assert_int_equal(srv_problem_status("not-found"), 404);
	assert_int_equal(srv_problem_status("malformed"), 400);
	assert_int_equal(srv_problem_status("too-large"), 413);
	assert_int_equal(srv_problem_status("storage"), 500);
	assert_int_equal(srv_problem_status("seq-replayed"), 409);
	assert_int_equal(srv_problem_status("unknown-key"), 403);
	assert_int_equal(srv_problem_status("invalid-field"), 422);
	assert_int_equal(srv_problem_status("method-not-allowed"), 405);
	assert_int_equal(srv_problem_status("no-such-code"), 0);
	assert_int_equal(srv_problem_status("ok"), 0);
}

/* docs/API.md's table of codes is the code's table: every row of the
 * form "| `code` | status | title |" agrees, and every code has a row. */
static void problem_table_documented(void **state)
{
	(void)state;
	size_t n;
	uint8_t *doc = test_read_file(test_source_path("docs/API.md"), &n);
	size_t codes = srv_problem_count();
	bool seen[64] = {false};
	assert_true(codes <= 64);
	for (char *line = (char *)doc; line != NULL && *line != 0;) {
		char *next = strchr(line, '\n');
		if (next != NULL)
			*next++ = 0;
		char code[64];
		unsigned status;
		int used = 0;
		if (sscanf(line, "| `%63[a-z-]` | %u |%n", code, &status, &used) == 2 &&
		    used > 0) {
			if (srv_problem_status(code) != status)
				fail_msg("docs/API.md: %s is %u, the code says %u", code,
					 status, srv_problem_status(code));
			for (size_t i = 0; i < codes; i++)
				if (strcmp(srv_problem_code(i), code) == 0)
					seen[i] = true;
		}
		line = next;
	}
	for (size_t i = 0; i < codes; i++)
		if (!seen[i])
			fail_msg("docs/API.md lacks %s", srv_problem_code(i));
	free(doc);
}

/* Checks resp is the problem document of code with the given status. */
static void check_problem(struct srv_response *resp, const char *code,
			  unsigned status, const char *detail)
{
	assert_int_equal(resp->status, status);
	assert_string_equal(resp->code, code);
	assert_string_equal(resp->content_type, "application/problem+json");
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)resp->body.data, resp->body.len,
				 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "code")), code);
	assert_int_equal(json_integer_value(json_object_get(doc, "status")), status);
	assert_non_null(json_string_value(json_object_get(doc, "title")));
	char type[80];
	snprintf(type, sizeof type, "/problems/%s", code);
	assert_string_equal(json_string_value(json_object_get(doc, "type")), type);
	assert_string_equal(json_string_value(json_object_get(doc, "detail")),
			    detail);
	json_decref(doc);
}

static void problem_documents(void **state)
{
	(void)state;
	struct srv_response resp = {0};
	pnyx_buf_init(&resp.body, SRV_RESPONSE_MAX);
	pnyx_buf_puts(&resp.body, "earlier content is replaced");
	srv_problem(&resp, "bad-parameter", "the parameter %s is \"odd\"", "x");
	check_problem(&resp, "bad-parameter", 400, "the parameter x is \"odd\"");
	pnyx_diag diag = {{0}};
	pnyx_diag_set(&diag, PNYX_ERR_CORRUPT, "hash %d differs", 7);
	srv_problem_err(&resp, PNYX_ERR_CORRUPT, &diag);
	check_problem(&resp, "corrupt", 500, "hash 7 differs");
	srv_problem_err(&resp, PNYX_ERR_NOT_FOUND, NULL);
	check_problem(&resp, "not-found", 404, pnyx_err_text(PNYX_ERR_NOT_FOUND));
	pnyx_verdict v = {.code = PNYX_RULE_DEADLINE_PASSED};
	snprintf(v.msg, sizeof v.msg, "the decision closed at 12:00");
	srv_problem_rule(&resp, &v);
	check_problem(&resp, "deadline-passed", 409, "the decision closed at 12:00");
	/* A detail that is not UTF-8 is left out, the rest stays. */
	srv_problem(&resp, "internal", "bad \xff byte");
	assert_int_equal(resp.status, 500);
	assert_null(strstr((const char *)resp.body.data, "detail"));
	assert_non_null(strstr((const char *)resp.body.data, "\"code\":\"internal\""));
	pnyx_buf_clear(&resp.body);
}

static pnyx_err conf(struct srv_config *c, const char *text, pnyx_diag *diag)
{
	srv_config_defaults(c);
	return srv_config_parse(c, U8(text), strlen(text), diag);
}

static void config_valid(void **state)
{
	(void)state;
	struct srv_config c;
	pnyx_diag diag = {{0}};
	srv_config_defaults(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.max_body, 61440);
	assert_int_equal(c.db[0], 0);
	assert_int_equal(srv_config_check(&c, &diag), PNYX_ERR_MALFORMED);
	const char *text = "# a comment\n"
			   "\n"
			   "db = /var/lib/pnyx/forum.db\n"
			   "  listen=[::1]:0  \r\n"
			   "\tmax-body =\t2048\n"
			   "timeout = 5\n"
			   "   # indented comment\n"
			   "threads = 0\n"
			   "max-connections = 10\n"
			   "ready-file = /run/pnyx ready";
	assert_int_equal(conf(&c, text, &diag), PNYX_OK);
	assert_string_equal(c.db, "/var/lib/pnyx/forum.db");
	assert_string_equal(c.listen, "[::1]:0");
	assert_string_equal(c.ready_file, "/run/pnyx ready");
	assert_int_equal(c.max_body, 2048);
	assert_int_equal(c.timeout, 5);
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.max_connections, 10);
	assert_int_equal(srv_config_check(&c, &diag), PNYX_OK);
	assert_int_equal(conf(&c, "", &diag), PNYX_OK);
	assert_int_equal(conf(&c, "\n\n# only comments\n", &diag), PNYX_OK);
}

static void config_invalid(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		pnyx_err err;
		const char *msg; /* a part of diag */
	} cases[] = {
		{"db\n", PNYX_ERR_MALFORMED, "line 1"},
		{"\n\nport = 80\n", PNYX_ERR_MALFORMED, "line 3: unknown"},
		{"db = a\ndb = b\n", PNYX_ERR_MALFORMED, "line 2: db is set twice"},
		{"db =\n", PNYX_ERR_RANGE, "line 1"},
		{"max-body = 01024\n", PNYX_ERR_MALFORMED, "decimal"},
		{"max-body = 1 KiB\n", PNYX_ERR_MALFORMED, "decimal"},
		{"max-body = -1\n", PNYX_ERR_MALFORMED, "decimal"},
		{"max-body = 1023\n", PNYX_ERR_RANGE, "1024 to 1048576"},
		{"max-body = 1048577\n", PNYX_ERR_RANGE, "1024 to 1048576"},
		{"timeout = 0\n", PNYX_ERR_RANGE, "timeout"},
		{"threads = 65\n", PNYX_ERR_RANGE, "threads"},
		{"max-connections = 0\n", PNYX_ERR_RANGE, "max-connections"},
		{"max-connections = 99999999999999999999\n", PNYX_ERR_MALFORMED, ""},
		{"db = a\x01" "b\n", PNYX_ERR_MALFORMED, "control"},
		{"db = caf\xe9\n", PNYX_ERR_MALFORMED, "UTF-8"},
		{"DB = x\n", PNYX_ERR_MALFORMED, "unknown"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct srv_config c;
		pnyx_diag diag = {{0}};
		pnyx_err err = conf(&c, cases[i].text, &diag);
		if (err != cases[i].err || strstr(diag.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: %s: %s", i, pnyx_err_name(err), diag.msg);
	}
	struct srv_config c, before;
	pnyx_diag diag = {{0}};
	srv_config_defaults(&c);
	before = c;
	assert_int_equal(srv_config_set(&c, "port", U8("1"), 1, &diag),
			 PNYX_ERR_NOT_FOUND);
	assert_int_equal(srv_config_set(&c, "timeout", U8("0"), 1, &diag),
			 PNYX_ERR_RANGE);
	char path[SRV_PATH_MAX + 1];
	memset(path, 'a', sizeof path);
	assert_int_equal(srv_config_set(&c, "db", U8(path), SRV_PATH_MAX, &diag),
			 PNYX_ERR_RANGE);
	assert_memory_equal(&c, &before, sizeof c); /* unchanged */
	assert_int_equal(srv_config_set(&c, "db", U8(path), SRV_PATH_MAX - 1, &diag),
			 PNYX_OK);
	assert_int_equal(srv_config_load_file(&c, "/nonexistent/pnyx.conf", &diag),
			 PNYX_ERR_IO);
}

static void config_env(void **state)
{
	(void)state;
	struct srv_config c;
	pnyx_diag diag = {{0}};
	srv_config_defaults(&c);
	setenv("PNYX_DB", "env.db", 1);
	setenv("PNYX_MAX_BODY", "4096", 1);
	assert_int_equal(srv_config_load_env(&c, &diag), PNYX_OK);
	assert_string_equal(c.db, "env.db");
	assert_int_equal(c.max_body, 4096);
	setenv("PNYX_TIMEOUT", "forever", 1);
	assert_int_equal(srv_config_load_env(&c, &diag), PNYX_ERR_MALFORMED);
	assert_non_null(strstr(diag.msg, "PNYX_TIMEOUT"));
	unsetenv("PNYX_DB");
	unsetenv("PNYX_MAX_BODY");
	unsetenv("PNYX_TIMEOUT");
}

static void listen_addresses(void **state)
{
	(void)state;
	struct srv_listen l;
	pnyx_diag diag = {{0}};
	assert_int_equal(srv_listen_parse("127.0.0.1:0", &l, &diag), PNYX_OK);
	assert_false(l.ipv6);
	assert_int_equal(l.port, 0);
	assert_string_equal(l.host, "127.0.0.1");
	assert_int_equal(srv_listen_parse("0.0.0.0:65535", &l, &diag), PNYX_OK);
	assert_int_equal(l.port, 65535);
	assert_int_equal(srv_listen_parse("[::1]:8080", &l, &diag), PNYX_OK);
	assert_true(l.ipv6);
	assert_string_equal(l.host, "[::1]");
	assert_int_equal(l.port, 8080);
	static const char *bad[] = {
		"", "127.0.0.1", "127.0.0.1:", ":80", "127.0.0.1:65536",
		"127.0.0.1:080", "127.0.0.1:+80", "localhost:80", "[::1]8080",
		"[::1:80", "::1:80", "[]:80", "[127.0.0.1]:80", "127.0.0.256:80",
		"127.0.0.1:80 ", "[::1]:",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (srv_listen_parse(bad[i], &l, &diag) != PNYX_ERR_MALFORMED)
			fail_msg("accepted '%s'", bad[i]);
}

int main(void)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(target_valid),
		cmocka_unit_test(target_invalid),
		cmocka_unit_test(etags),
		cmocka_unit_test(problem_table),
		cmocka_unit_test(problem_documents),
		cmocka_unit_test(problem_table_documented),
		cmocka_unit_test(config_valid),
		cmocka_unit_test(config_invalid),
		cmocka_unit_test(config_env),
		cmocka_unit_test(listen_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
