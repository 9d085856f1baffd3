/* Settings of `pnyx serve`: defaults, config file, environment, listen
 * address (see server.h and docs/API.md). */
#include "server.h"

#include "pnyx/buf.h"
#include "pnyx/text.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { KIND_TEXT, KIND_COUNT };

struct key_def {
	const char *key;
	const char *env;
	enum kind kind;
	size_t off;       /* of the field in struct srv_config */
	size_t cap;       /* KIND_TEXT: the field's size */
	uint64_t min, max; /* KIND_COUNT: the allowed range */
};

#define TEXT(k, e, f) \
	{k, e, KIND_TEXT, offsetof(struct srv_config, f), \
	 sizeof(((struct srv_config *)0)->f), 0, 0}
#define COUNT(k, e, f, lo, hi) \
	{k, e, KIND_COUNT, offsetof(struct srv_config, f), 0, lo, hi}

static const struct key_def keys[] = {
	TEXT("db", "PNYX_DB", db),
	TEXT("listen", "PNYX_LISTEN", listen),
	TEXT("ready-file", "PNYX_READY_FILE", ready_file),
	COUNT("max-connections", "PNYX_MAX_CONNECTIONS", max_connections, 1, 65536),
	COUNT("max-body", "PNYX_MAX_BODY", max_body, 1024, 1048576),
	COUNT("timeout", "PNYX_TIMEOUT", timeout, 1, 3600),
	COUNT("threads", "PNYX_THREADS", threads, 0, 64),
	TEXT("key", "PNYX_KEY", key),
	COUNT("checkpoint-interval-ms", "PNYX_CHECKPOINT_INTERVAL_MS",
	      checkpoint_interval_ms, 0, 3600000),
	TEXT("web-dir", "PNYX_WEB_DIR", web_dir),
	TEXT("data-dir", "PNYX_DATA_DIR", data_dir),
	TEXT("witnesses", "PNYX_WITNESSES", witnesses),
	COUNT("witness-k", "PNYX_WITNESS_K", witness_k, 0, 16),
	TEXT("cooperation-db", "PNYX_COOPERATION_DB", cooperation_db),
	TEXT("cooperation-key", "PNYX_COOPERATION_KEY", cooperation_key),
};

#define NKEYS (sizeof keys / sizeof *keys)

void srv_config_defaults(struct srv_config *c)
{
	*c = (struct srv_config){
		.listen = "127.0.0.1:8080",
		.max_connections = 256,
		.max_body = 61440,
		.timeout = 30,
		.threads = 0,
		.checkpoint_interval_ms = 1000,
#ifdef PNYX_WEB_DIR
		.web_dir = PNYX_WEB_DIR,
#endif
#ifdef PNYX_DATA_DIR
		.data_dir = PNYX_DATA_DIR,
#endif
	};
}

static const struct key_def *find_key(const char *key, size_t n)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(keys[i].key) == n && memcmp(keys[i].key, key, n) == 0)
			return &keys[i];
	return NULL;
}

static pnyx_err set_value(struct srv_config *c, const struct key_def *k,
			  const uint8_t *v, size_t n, pnyx_diag *diag)
{
	char *field = (char *)c + k->off;
	if (k->kind == KIND_COUNT) {
		uint64_t x;
		if (pnyx_parse_u64(v, n, &x) != PNYX_OK)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "%s must be a decimal number", k->key);
		if (x < k->min || x > k->max)
			return pnyx_diag_set(diag, PNYX_ERR_RANGE,
					     "%s must be %llu to %llu", k->key,
					     (unsigned long long)k->min,
					     (unsigned long long)k->max);
		memcpy(field, &x, sizeof x);
		return PNYX_OK;
	}
	if (n == 0 || n >= k->cap)
		return pnyx_diag_set(diag, PNYX_ERR_RANGE,
				     "%s must be 1 to %zu bytes", k->key, k->cap - 1);
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0x20 || v[i] == 0x7f)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "%s has a control character", k->key);
	if (!pnyx_utf8_is_valid(v, n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "%s is not UTF-8", k->key);
	memcpy(field, v, n);
	field[n] = 0;
	return PNYX_OK;
}

pnyx_err srv_config_set(struct srv_config *c, const char *key,
			const uint8_t *value, size_t n, pnyx_diag *diag)
{
	assert(c != NULL && key != NULL && (value != NULL || n == 0));
	const struct key_def *k = find_key(key, strlen(key));
	if (k == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOT_FOUND,
				     "there is no setting of that name");
	return set_value(c, k, value, n, diag);
}

static bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims blanks from both ends of [*p, *p + *n). */
static void trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && is_blank((*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_blank((*p)[*n - 1]))
		(*n)--;
}

/* Applies one line; seen marks the keys given so far. */
static pnyx_err parse_line(struct srv_config *c, const uint8_t *p, size_t n,
			   bool seen[NKEYS], size_t line, pnyx_diag *diag)
{
	trim(&p, &n);
	if (n == 0 || p[0] == '#')
		return PNYX_OK;
	const uint8_t *eq = memchr(p, '=', n);
	if (eq == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "line %zu: expected key = value", line);
	const uint8_t *key = p, *val = eq + 1;
	size_t key_n = (size_t)(eq - p), val_n = n - key_n - 1;
	trim(&key, &key_n);
	trim(&val, &val_n);
	const struct key_def *k = find_key((const char *)key, key_n);
	if (k == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "line %zu: unknown setting", line);
	size_t i = (size_t)(k - keys);
	if (seen[i])
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "line %zu: %s is set twice", line, k->key);
	seen[i] = true;
	pnyx_diag d = {{0}};
	pnyx_err err = set_value(c, k, val, val_n, &d);
	if (err != PNYX_OK)
		return pnyx_diag_set(diag, err, "line %zu: %s", line, d.msg);
	return PNYX_OK;
}

pnyx_err srv_config_parse(struct srv_config *c, const uint8_t *text, size_t n,
			  pnyx_diag *diag)
{
	assert(c != NULL && (text != NULL || n == 0));
	if (!pnyx_utf8_is_valid(text, n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the config file is not UTF-8");
	bool seen[NKEYS] = {false};
	pnyx_cursor cur;
	pnyx_cursor_init(&cur, text, n);
	size_t line = 0;
	const uint8_t *p;
	size_t len;
	for (;;) {
		line++;
		if (!pnyx_cursor_line(&cur, &p, &len)) {
			/* a last line without '\n' */
			len = pnyx_cursor_left(&cur);
			p = text + (n - len);
			if (len == 0)
				return PNYX_OK;
			return parse_line(c, p, len, seen, line, diag);
		}
		pnyx_err err = parse_line(c, p, len, seen, line, diag);
		if (err != PNYX_OK)
			return err;
	}
}

pnyx_err srv_config_load_file(struct srv_config *c, const char *path,
			      pnyx_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pnyx_diag_set(diag, PNYX_ERR_IO, "cannot open %s: %s", path,
				     strerror(errno));
	pnyx_buf b;
	pnyx_buf_init(&b, SRV_CONFIG_FILE_MAX);
	uint8_t chunk[4096];
	pnyx_err err = PNYX_OK;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			err = pnyx_diag_set(diag, PNYX_ERR_IO, "cannot read %s: %s",
					    path, strerror(errno));
		else if (got > 0 && pnyx_buf_append(&b, chunk, (size_t)got) != PNYX_OK)
			err = pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
					    "%s is larger than %u bytes", path,
					    SRV_CONFIG_FILE_MAX);
		if (got <= 0 || err != PNYX_OK)
			break;
	}
	close(fd);
	if (err == PNYX_OK)
		err = srv_config_parse(c, b.data, b.len, diag);
	pnyx_buf_clear(&b);
	return err;
}

pnyx_err srv_config_load_env(struct srv_config *c, pnyx_diag *diag)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const char *v = getenv(keys[i].env);
		if (v == NULL)
			continue;
		pnyx_diag d = {{0}};
		pnyx_err err = set_value(c, &keys[i], (const uint8_t *)v,
					 strlen(v), &d);
		if (err != PNYX_OK)
			return pnyx_diag_set(diag, err, "%s: %s", keys[i].env, d.msg);
	}
	return PNYX_OK;
}

pnyx_err srv_config_check(const struct srv_config *c, pnyx_diag *diag)
{
	if (c->db[0] == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the log's file is required (--db FILE)");
	if ((c->cooperation_db[0] == 0) != (c->cooperation_key[0] == 0))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the cooperation log needs both its file "
				     "(--cooperation-db) and its key "
				     "(--cooperation-key)");
	if (c->cooperation_db[0] != 0 && c->key[0] == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the cooperation log needs the forum's "
				     "sequencer: give the forum log's key too "
				     "(--key)");
	struct srv_listen l;
	return srv_listen_parse(c->listen, &l, diag);
}

/* Splits HOST:PORT; host is what lies between the brackets for IPv6. */
static pnyx_err split_listen(const char *s, char *host, size_t cap,
			     const char **port, bool *ipv6)
{
	const char *colon;
	const char *h = s;
	size_t hn;
	if (s[0] == '[') {
		const char *close_br = strchr(s, ']');
		if (close_br == NULL || close_br[1] != ':')
			return PNYX_ERR_MALFORMED;
		h = s + 1;
		hn = (size_t)(close_br - h);
		colon = close_br + 1;
		*ipv6 = true;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return PNYX_ERR_MALFORMED;
		hn = (size_t)(colon - s);
		*ipv6 = false;
	}
	if (hn == 0 || hn >= cap)
		return PNYX_ERR_MALFORMED;
	memcpy(host, h, hn);
	host[hn] = 0;
	*port = colon + 1;
	return PNYX_OK;
}

pnyx_err srv_listen_parse(const char *s, struct srv_listen *out,
			  pnyx_diag *diag)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_s;
	bool ipv6;
	uint64_t port;
	if (split_listen(s, host, sizeof host, &port_s, &ipv6) != PNYX_OK ||
	    pnyx_parse_u64((const uint8_t *)port_s, strlen(port_s), &port) != PNYX_OK ||
	    port > 65535)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "listen must be IPv4:PORT or [IPv6]:PORT");
	struct srv_listen l = {.ipv6 = ipv6, .port = (uint16_t)port};
	int ok;
	if (ipv6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&l.addr;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(l.port);
		ok = inet_pton(AF_INET6, host, &a->sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&l.addr;
		a->sin_family = AF_INET;
		a->sin_port = htons(l.port);
		ok = inet_pton(AF_INET, host, &a->sin_addr);
	}
	if (ok != 1)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "listen: not a numeric IPv%c address",
				     ipv6 ? '6' : '4');
	snprintf(l.host, sizeof l.host, ipv6 ? "[%s]" : "%s", host);
	*out = l;
	return PNYX_OK;
}
