/*
 * The CLI's one libcurl wrapper (http_client.h): size caps, time limits,
 * allowed protocols, one-sentence errors.
 */
#include "http_client.h"

#include "cli.h"

#include "pnyx/mem.h"

#include <assert.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define HTTP_CONNECT_TIMEOUT 10 /* seconds to open a connection */
#define HTTP_REDIRECTS_MAX 5

struct http_client {
	CURL *h;
	long timeout_s;
	bool is_file; /* a file:// base: no status line */
	char base[HTTP_URL_MAX];
	char errbuf[CURL_ERROR_SIZE];
};

/* Where a response body goes: a buffer with a cap. */
struct sink {
	pnyx_buf *body;
	pnyx_err err;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct sink *s = ctx;
	size_t n = size * nmemb;
	pnyx_err err = pnyx_buf_append(s->body, p, n);
	if (err != PNYX_OK) {
		s->err = err;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	return n;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

http_client *http_client_new(const char *base, long timeout_s,
			     pnyx_diag *diag)
{
	assert(base != NULL && timeout_s >= 1 && timeout_s <= 3600);
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	bool is_file = has_prefix(base, "file://");
	if (!is_file && !has_prefix(base, "http://") && !has_prefix(base, "https://")) {
		pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the address must start "
			      "with http://, https:// or file://");
		return NULL;
	}
	if (n + 256 >= HTTP_URL_MAX) {
		pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "the address is longer "
			      "than %d bytes", HTTP_URL_MAX - 256);
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		pnyx_diag_set(diag, PNYX_ERR_NOMEM, "libcurl cannot start");
		return NULL;
	}
	http_client *c = pnyx_calloc(1, sizeof *c);
	if (c != NULL && (c->h = curl_easy_init()) == NULL) {
		pnyx_free(c);
		c = NULL;
	}
	if (c == NULL) {
		curl_global_cleanup();
		pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
		return NULL;
	}
	memcpy(c->base, base, n);
	c->base[n] = 0;
	c->timeout_s = timeout_s;
	c->is_file = is_file;
	return c;
}

void http_client_free(http_client *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->h);
	pnyx_free(c);
	curl_global_cleanup();
}

const char *http_client_base(const http_client *c)
{
	return c->base;
}

/* The options every request shares. */
static bool setup(http_client *c, const char *url, struct sink *s)
{
	CURL *h = c->h;
	curl_easy_reset(h);
	c->errbuf[0] = 0;
	return curl_easy_setopt(h, CURLOPT_URL, url) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file") == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)HTTP_REDIRECTS_MAX) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)HTTP_CONNECT_TIMEOUT) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_USERAGENT, "pnyx/0.1.0") == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data) == CURLE_OK &&
	       curl_easy_setopt(h, CURLOPT_WRITEDATA, s) == CURLE_OK;
}

/* Runs the request set up on c; fills *status or diag. */
static bool perform(http_client *c, const char *url, struct sink *s,
		    size_t max, long *status, pnyx_diag *diag)
{
	CURLcode rc = curl_easy_perform(c->h);
	if (rc == CURLE_WRITE_ERROR && s->err == PNYX_ERR_TOO_LARGE) {
		pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "the answer from %s is "
			      "larger than %zu bytes", url, max);
		return false;
	}
	if (rc == CURLE_WRITE_ERROR && s->err != PNYX_OK) {
		pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
		return false;
	}
	if (c->is_file && (rc == CURLE_FILE_COULDNT_READ_FILE)) {
		*status = 404;
		return true;
	}
	if (rc != CURLE_OK) {
		pnyx_diag_set(diag, PNYX_ERR_IO, "no answer from %s: %s", url,
			      c->errbuf[0] != 0 ? c->errbuf : curl_easy_strerror(rc));
		return false;
	}
	long code = 0;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
	*status = c->is_file && code == 0 ? 200 : code;
	return true;
}

/* base + path into url; false if it does not fit. */
static bool make_url(const http_client *c, const char *path,
		     char url[HTTP_URL_MAX], pnyx_diag *diag)
{
	assert(path[0] == '/');
	int n = snprintf(url, HTTP_URL_MAX, "%s%s", c->base, path);
	if (n < 0 || n >= HTTP_URL_MAX) {
		pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "the address is too long");
		return false;
	}
	return true;
}

static bool request(http_client *c, const char *path, const uint8_t *post,
		    size_t post_len, struct curl_slist *headers, size_t max,
		    pnyx_buf *body, long *status, pnyx_diag *diag)
{
	char url[HTTP_URL_MAX];
	if (!make_url(c, path, url, diag))
		return false;
	pnyx_buf_reset(body);
	body->max = max;
	struct sink s = {.body = body, .err = PNYX_OK};
	bool ok = setup(c, url, &s);
	if (ok && post != NULL)
		ok = curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, post) == CURLE_OK &&
		     curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE,
				      (curl_off_t)post_len) == CURLE_OK;
	if (ok && headers != NULL)
		ok = curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
	if (!ok) {
		pnyx_diag_set(diag, PNYX_ERR_NOMEM, "libcurl refused an option");
		return false;
	}
	return perform(c, url, &s, max, status, diag);
}

bool http_get(http_client *c, const char *path, size_t max, pnyx_buf *body,
	      long *status, pnyx_diag *diag)
{
	assert(c != NULL && path != NULL && body != NULL && status != NULL);
	return request(c, path, NULL, 0, NULL, max, body, status, diag);
}

bool http_get_headers(http_client *c, const char *path,
		      const char *const *headers, size_t nheaders, size_t max,
		      pnyx_buf *body, long *status, pnyx_diag *diag)
{
	assert(c != NULL && path != NULL && body != NULL && status != NULL &&
	       (headers != NULL || nheaders == 0));
	struct curl_slist *list = NULL;
	for (size_t i = 0; i < nheaders; i++) {
		struct curl_slist *next = curl_slist_append(list, headers[i]);
		if (next == NULL) {
			curl_slist_free_all(list);
			pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
			return false;
		}
		list = next;
	}
	bool ok = request(c, path, NULL, 0, list, max, body, status, diag);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(list);
	return ok;
}

bool http_post(http_client *c, const char *path, const uint8_t *p, size_t n,
	       size_t max, pnyx_buf *body, long *status, pnyx_diag *diag)
{
	assert(c != NULL && path != NULL && p != NULL && body != NULL &&
	       status != NULL);
	if (c->is_file) {
		pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "actions are sent to a "
			      "server (http:// or https://), not to a file:// "
			      "mirror");
		return false;
	}
	return request(c, path, p, n, NULL, max, body, status, diag);
}

bool http_json_object(const pnyx_buf *body, const char *path, json_t **out,
		      pnyx_diag *diag)
{
	json_error_t jerr;
	*out = json_loadb(body->data != NULL ? (const char *)body->data : "",
			  body->len, JSON_REJECT_DUPLICATES, &jerr);
	if (json_is_object(*out))
		return true;
	json_decref(*out);
	*out = NULL;
	pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the answer to %s is not a JSON "
		      "object", path);
	return false;
}

bool http_get_json(http_client *c, const char *path, long *status,
		   json_t **out, pnyx_diag *diag)
{
	pnyx_buf body;
	pnyx_buf_init(&body, HTTP_JSON_MAX);
	bool ok = http_get(c, path, HTTP_JSON_MAX, &body, status, diag);
	*out = NULL;
	if (ok && *status >= 200 && *status < 300)
		ok = http_json_object(&body, path, out, diag);
	pnyx_buf_clear(&body);
	return ok;
}

/* Copies s into out (cap bytes) without control characters. */
static void copy_clean(const char *s, char *out, size_t cap)
{
	size_t j = 0;
	for (size_t i = 0; s[i] != 0 && j + 1 < cap; i++)
		if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f)
			out[j++] = s[i];
	out[j] = 0;
}

void http_problem_text(long status, const pnyx_buf *body, char *out,
		       size_t cap)
{
	assert(out != NULL && cap > 0);
	json_error_t jerr;
	json_t *p = body->len > 0 ? json_loadb((const char *)body->data,
					       body->len, 0, &jerr)
				  : NULL;
	const char *detail = json_string_value(json_object_get(p, "detail"));
	const char *code = json_string_value(json_object_get(p, "code"));
	char line[512];
	if (detail != NULL && code != NULL)
		snprintf(line, sizeof line, "%s (%s)", detail, code);
	else
		snprintf(line, sizeof line, "HTTP %ld", status);
	copy_clean(line, out, cap);
	json_decref(p);
}

int http_timeout_arg(const char *cmd, const char *arg, long *out)
{
	uint64_t v;
	if (!cli_parse_u64(cmd, "--timeout", arg, &v))
		return CLI_EXIT_USAGE;
	if (v < 1 || v > 3600)
		return cli_usage_error(cmd, "--timeout is 1 to 3600 seconds");
	*out = (long)v;
	return CLI_EXIT_OK;
}
