/*
 * The network half of `pnyx serve`: libmicrohttpd 0.9.75 feeding exchanges
 * (http.h), signals, the ready file and the drain at shutdown.
 *
 * MHD runs its own worker threads (epoll, a thread pool). Per request:
 *   on_uri        MHD has read the request line: a context is allocated,
 *                 holding a copy of the raw target (MHD's own path is
 *                 already unescaped, and we parse strictly ourselves)
 *   on_request    first call: headers are in; the exchange begins. It
 *                 returns MHD_YES without a response, so that MHD keeps the
 *                 connection alive (queueing on the first call makes every
 *                 reply Connection: close), unless the request is refused
 *                 while a body is still announced (then the response goes
 *                 out at once and MHD closes the connection unread).
 *                 Later calls: body bytes, then the final call answers.
 *                 POST /v1/actions is the exception: the final call
 *                 suspends the connection and posts the action to the
 *                 sequencer; the sequencer's thread resumes it once the
 *                 action is committed or refused, and MHD calls again to
 *                 take the answer. So no worker thread waits for a
 *                 commit, and every action queued meanwhile shares the
 *                 next one (one fsync for the whole batch).
 *   on_completed  the context is freed.
 * in_flight counts requests between on_uri and on_completed; SIGTERM waits
 * for it to reach zero.
 */
#include "server.h"

#include "coop_log.h"
#include "listener.h"
#include "handlers_seq.h"
#include "http.h"
#include "logview.h"
#include "read_api.h"
#include "read_cache.h"
#include "sequencer.h"
#include "witness_client.h"

#include "pnyx/country.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <microhttpd.h>
#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Request headers and the request line fit in this much memory per
 * connection; MHD answers 431 beyond it. */
#define CONNECTION_MEMORY (32u * 1024u)
#define MAX_THREADS 16

struct request_ctx {
	bool began;
	bool answered;
	bool posted;                  /* given to the sequencer: res */
	struct srv_sequencer *seq;    /* the one it was posted to */
	struct MHD_Connection *conn;  /* to resume after posting */
	struct srv_seq_result res;
	struct timespec deadline;
	size_t raw_len;
	uint8_t raw[SRV_TARGET_MAX + 1];
	struct srv_headers headers;   /* x.headers: the connection's */
	struct srv_exchange x;
};

struct daemon_ctx {
	struct srv_app app;
	unsigned timeout;
	atomic_bool draining;   /* SIGTERM came: new requests are refused */
	atomic_uint_fast64_t suspended; /* connections waiting for the
					   sequencer (post_action) */
	char web_root[PATH_MAX];  /* app.web_root points here */
};

static struct timespec now_plus(unsigned seconds)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)seconds;
	return t;
}

static bool is_past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct daemon_ctx *d = cls;
	atomic_fetch_add(&d->app.in_flight, 1);
	struct request_ctx *ctx = pnyx_malloc(sizeof *ctx);
	if (ctx == NULL)
		return NULL;
	ctx->began = false;
	ctx->answered = false;
	ctx->posted = false;
	ctx->seq = NULL;
	ctx->conn = c;
	/* One byte more than the limit shows the target is too long. */
	ctx->raw_len = strnlen(uri, SRV_TARGET_MAX + 1);
	memcpy(ctx->raw, uri, ctx->raw_len);
	return ctx;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct daemon_ctx *d = cls;
	struct request_ctx *ctx = *con_cls;
	if (ctx != NULL) {
		if (ctx->began)
			srv_exchange_clear(&ctx->x);
		pnyx_free(ctx);
		*con_cls = NULL;
	}
	atomic_fetch_sub(&d->app.in_flight, 1);
}

static bool add_header(struct MHD_Response *r, const char *name,
		       const char *value)
{
	return value == NULL || value[0] == 0 ||
	       MHD_add_response_header(r, name, value) == MHD_YES;
}

static enum MHD_Result queue(struct MHD_Connection *c, struct srv_response *r)
{
	size_t len = 0;
	uint8_t *body = pnyx_buf_take(&r->body, &len);
	struct MHD_Response *resp =
		body != NULL
			? MHD_create_response_from_buffer_with_free_callback(
				  len, body, pnyx_free)
			: MHD_create_response_from_buffer(0, NULL,
							  MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		pnyx_free(body);
		return MHD_NO;
	}
	bool ok = (r->status == 304 ||
		   add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type)) &&
		  add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache_control) &&
		  add_header(resp, MHD_HTTP_HEADER_ETAG, r->etag) &&
		  add_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow) &&
		  add_header(resp, "Accept-Signature", r->accept_signature) &&
		  add_header(resp, "Content-Security-Policy", r->csp) &&
		  add_header(resp, "X-Content-Type-Options", "nosniff") &&
		  add_header(resp, "Access-Control-Allow-Origin", "*");
	enum MHD_Result ret = ok ? MHD_queue_response(c, r->status, resp) : MHD_NO;
	MHD_destroy_response(resp);
	return ret;
}

/* A response for a request whose context could not be allocated. */
static enum MHD_Result queue_nomem(struct MHD_Connection *c)
{
	static const char body[] =
		"{\"code\":\"out-of-memory\",\"status\":503,"
		"\"title\":\"The server is out of memory\","
		"\"type\":\"/problems/out-of-memory\"}\n";
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		sizeof body - 1, (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/problem+json");
	enum MHD_Result ret = MHD_queue_response(c, 503, resp);
	MHD_destroy_response(resp);
	return ret;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* srv_headers.get over an MHD connection. */
static const char *connection_header(const void *conn, const char *name)
{
	return header((struct MHD_Connection *)(uintptr_t)conn, name);
}

/* A request that begins while the server drains: 503 at once, so that
 * MHD closes the connection (an answer on the first call is Connection:
 * close) and keep-alive clients cannot hold the drain open. */
static enum MHD_Result refuse_draining(struct daemon_ctx *d,
				       struct request_ctx *ctx,
				       struct MHD_Connection *c)
{
	ctx->x.done = true;
	pnyx_buf_reset(&ctx->x.resp.body);
	srv_problem(&ctx->x.resp, "unavailable",
		    "the server is shutting down; send the request again "
		    "once it is back");
	srv_exchange_finish(&d->app, &ctx->x, NULL, NULL);
	ctx->answered = true;
	return queue(c, &ctx->x.resp);
}

/* First call: begins the exchange. A refused request that announces a
 * body is answered at once (MHD then closes the connection). */
static enum MHD_Result begin(struct daemon_ctx *d, struct request_ctx *ctx,
			     struct MHD_Connection *c, const char *method)
{
	ctx->began = true;
	ctx->deadline = now_plus(d->timeout);
	srv_exchange_begin(&d->app, &ctx->x, method, ctx->raw, ctx->raw_len);
	ctx->headers = (struct srv_headers){connection_header, c};
	ctx->x.headers = &ctx->headers;
	if (atomic_load(&d->draining))
		return refuse_draining(d, ctx, c);
	const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = header(c, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	uint64_t len = 0;
	if (cl != NULL && pnyx_parse_u64((const uint8_t *)cl, strlen(cl), &len) == PNYX_OK)
		srv_exchange_expect(&ctx->x, len);
	if (ctx->x.done && (len > 0 || te != NULL)) {
		srv_exchange_finish(&d->app, &ctx->x, NULL, NULL);
		ctx->answered = true;
		return queue(c, &ctx->x.resp);
	}
	return MHD_YES;
}

/* The sequencer is done with a posted action (its thread). */
static void on_sequenced(void *arg)
{
	struct request_ctx *ctx = arg;
	MHD_resume_connection(ctx->conn);
}

/* Final call of a POST /v1/actions: posts it to the sequencer and
 * suspends the connection until on_sequenced; the call after that takes
 * the answer. */
static enum MHD_Result post_action(struct daemon_ctx *d, struct request_ctx *ctx,
				   struct MHD_Connection *c)
{
	if (ctx->posted) {
		srv_actions_answer(&d->app, &ctx->x, ctx->seq, &ctx->res);
		ctx->answered = true;
		atomic_fetch_sub(&d->suspended, 1);
		return queue(c, &ctx->x.resp);
	}
	ctx->posted = true;
	atomic_fetch_add(&d->suspended, 1);
	/* suspended first: the sequencer may resume it before post returns */
	MHD_suspend_connection(c);
	if (!srv_sequencer_post(ctx->seq, ctx->x.body.data, ctx->x.body.len,
				&ctx->res, on_sequenced, ctx))
		MHD_resume_connection(c); /* res holds the failure */
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)url;
	(void)version;
	struct daemon_ctx *d = cls;
	struct request_ctx *ctx = *con_cls;
	if (ctx == NULL)
		return queue_nomem(c);
	if (!ctx->began)
		return begin(d, ctx, c, method);
	if (*upload_data_size != 0) {
		if (is_past(&ctx->deadline)) {
			/* MHD 0.9.75 cannot answer before it has read the
			 * whole body: drop the connection, count a 408. */
			srv_metrics_count(&d->app.metrics, ctx->x.route_slot, 408);
			return MHD_NO;
		}
		srv_exchange_body(&ctx->x, (const uint8_t *)upload_data,
				  *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->answered)
		return MHD_YES; /* begin() queued the response */
	if (!ctx->posted)
		ctx->seq = srv_actions_post_target(&d->app, &ctx->x);
	if (ctx->seq != NULL)
		return post_action(d, ctx, c);
	srv_exchange_finish(&d->app, &ctx->x,
			    header(c, MHD_HTTP_HEADER_IF_NONE_MATCH),
			    header(c, MHD_HTTP_HEADER_CONTENT_TYPE));
	return queue(c, &ctx->x.resp);
}

static unsigned worker_threads(const struct srv_config *cfg)
{
	uint64_t n = cfg->threads;
	if (n == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 0 ? (uint64_t)cpus : 1;
	}
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	/* MHD splits the connection limit between the threads. */
	if (n > cfg->max_connections)
		n = cfg->max_connections;
	return (unsigned)n;
}

static struct MHD_Daemon *start(struct daemon_ctx *d,
				const struct srv_config *cfg,
				const struct srv_listen *l)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG | (l->ipv6 ? MHD_USE_IPv6 : 0u);
	/* A pool of one thread is MHD's plain internal thread, which MHD
	 * wants without the pool option. */
	unsigned threads = worker_threads(cfg);
	struct MHD_OptionItem pool[] = {
		{threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		 (intptr_t)threads, NULL},
		{MHD_OPTION_END, 0, NULL},
	};
	return MHD_start_daemon(
		flags, l->port, NULL, NULL, on_request, d,
		MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&l->addr,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, d,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, d,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_ARRAY, pool,
		MHD_OPTION_END);
}

/* Stops accepting, waits up to timeout seconds for the requests in
 * flight, then stops MHD (closing idle keep-alive connections). Actions
 * given to the sequencer are waited for past the timeout: their
 * connections are suspended, which MHD cannot stop, and their answer
 * says whether they were committed. */
static void drain(struct daemon_ctx *d, struct MHD_Daemon *mhd)
{
	atomic_store(&d->draining, true); /* new requests are refused */
	srv_drain(mhd, &d->app.in_flight, &d->suspended, d->timeout);
}

static int serve(struct daemon_ctx *d, const struct srv_config *cfg,
		 const struct srv_listen *l, const sigset_t *stop)
{
	struct MHD_Daemon *mhd = start(d, cfg, l);
	if (mhd == NULL) {
		fprintf(stderr, "pnyx: cannot listen on %s\n", cfg->listen);
		return 1;
	}
	char url[128];
	if (!srv_announce(mhd, l, cfg->ready_file, url, sizeof url)) {
		MHD_stop_daemon(mhd);
		return 1;
	}
	int sig = srv_wait_stop(stop);
	fprintf(stderr, "pnyx: %s: finishing requests in flight\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	drain(d, mhd);
	if (cfg->ready_file[0] != 0)
		unlink(cfg->ready_file);
	return 0;
}

/* Reads the private key file at path. */
static bool load_key(const char *path, pnyx_signer *out)
{
	uint8_t text[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "pnyx: cannot open the key %s: %s\n", path,
			strerror(errno));
		return false;
	}
	ssize_t n = read(fd, text, sizeof text);
	close(fd);
	pnyx_diag diag = {{0}};
	pnyx_err err = PNYX_ERR_TOO_LARGE;
	if (n >= 0 && (size_t)n < sizeof text)
		err = pnyx_signer_parse(text, (size_t)n, out, &diag);
	sodium_memzero(text, sizeof text);
	if (err != PNYX_OK)
		fprintf(stderr, "pnyx: %s is not a private key: %s\n", path,
			diag.msg[0] != 0 ? diag.msg : pnyx_err_text(err));
	return err == PNYX_OK;
}

/* With a key: the sequencer over the open log. */
static bool start_sequencer(struct daemon_ctx *d, const struct srv_config *cfg)
{
	if (cfg->key[0] == 0)
		return true;
	pnyx_signer key;
	if (!load_key(cfg->key, &key))
		return false;
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_sequencer_start_rules(
		d->app.log, &key, cfg->checkpoint_interval_ms, &srv_forum_rules,
		srv_witnesses_hooks(d->app.witnesses), &d->app.seq, &diag);
	pnyx_signer_clear(&key);
	if (err == PNYX_ERR_MISMATCH)
		fprintf(stderr, "pnyx: %s does not match the log %s: %s\n",
			cfg->key, cfg->db, diag.msg);
	else if (err != PNYX_OK)
		fprintf(stderr, "pnyx: cannot start the sequencer: %s (%s)\n",
			diag.msg[0] != 0 ? diag.msg : pnyx_err_text(err),
			pnyx_err_name(err));
	return err == PNYX_OK;
}

/* With a cooperation log: its sequencer, after the forum's. */
static bool start_cooperation(struct daemon_ctx *d,
			      const struct srv_config *cfg)
{
	if (cfg->cooperation_db[0] == 0)
		return true;
	pnyx_signer key;
	if (!load_key(cfg->cooperation_key, &key))
		return false;
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_coop_start(cfg->cooperation_db, &key, d->app.seq,
				      cfg->checkpoint_interval_ms, &d->app.coop,
				      &diag);
	pnyx_signer_clear(&key);
	if (err != PNYX_OK) {
		fprintf(stderr, "pnyx: cannot start the cooperation log %s: "
			"%s (%s)\n", cfg->cooperation_db,
			diag.msg[0] != 0 ? diag.msg : pnyx_err_text(err),
			pnyx_err_name(err));
		return false;
	}
	d->app.coop_seq = srv_coop_sequencer(d->app.coop);
	return true;
}

/* The web page's directory, resolved once (static_files.h); none when
 * the setting is "none" or names no directory (with a warning). */
static void set_web_root(struct daemon_ctx *d, const struct srv_config *cfg)
{
	d->app.web_root = NULL;
	if (cfg->web_dir[0] == 0 || strcmp(cfg->web_dir, "none") == 0)
		return;
	struct stat st;
	if (realpath(cfg->web_dir, d->web_root) == NULL ||
	    stat(d->web_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pnyx: the web page is not served: %s is not a "
			"directory\n", cfg->web_dir);
		return;
	}
	d->app.web_root = d->web_root;
}

int srv_run(const struct srv_config *cfg)
{
	pnyx_diag diag = {{0}};
	struct srv_listen l;
	if (srv_config_check(cfg, &diag) != PNYX_OK ||
	    srv_listen_parse(cfg->listen, &l, &diag) != PNYX_OK) {
		fprintf(stderr, "pnyx: %s\n", diag.msg);
		return 1;
	}
	/* Blocked in this thread before MHD starts, so in every thread: the
	 * signals then wait for sigwait below. SIGPIPE stays blocked. */
	sigset_t stop;
	srv_block_stop_signals(&stop);
	struct daemon_ctx *d = pnyx_calloc(1, sizeof *d);
	if (d == NULL) {
		fputs("pnyx: out of memory\n", stderr);
		return 1;
	}
	pnyx_err err = srv_logview_open(cfg->db, &d->app.log, &diag);
	if (err != PNYX_OK) {
		fprintf(stderr, "pnyx: cannot open the log %s: %s (%s)\n", cfg->db,
			diag.msg[0] != 0 ? diag.msg : pnyx_err_text(err),
			pnyx_err_name(err));
		pnyx_free(d);
		return 1;
	}
	srv_metrics_init(&d->app.metrics);
	atomic_init(&d->app.in_flight, 0);
	atomic_init(&d->draining, false);
	atomic_init(&d->suspended, 0);
	d->app.max_body = (size_t)cfg->max_body;
	d->app.started = time(NULL);
	d->timeout = (unsigned)cfg->timeout;
	pnyx_country_set *names = NULL;
	if (srv_read_names_load(cfg->data_dir, &names, &diag) != PNYX_OK)
		fprintf(stderr, "pnyx: the names of states are not available "
			"(the read API shows null): %s\n", diag.msg);
	d->app.countries = names;
	set_web_root(d, cfg);
	if (srv_read_cache_new(SRV_READ_CACHE_BYTES, &d->app.read_cache) != PNYX_OK)
		fputs("pnyx: no memory for the read API's response cache: "
		      "every answer is built afresh\n", stderr);
	int rc = srv_witnesses_configure(&d->app, cfg) &&
			 start_sequencer(d, cfg) && start_cooperation(d, cfg)
			 ? serve(d, cfg, &l, &stop) : 1;
	srv_coop_stop(d->app.coop);
	srv_sequencer_stop(d->app.seq);
	srv_witnesses_stop(d->app.witnesses);
	srv_read_cache_free(d->app.read_cache);
	pnyx_country_set_free(names);
	srv_logview_close(d->app.log);
	pnyx_free(d);
	return rc;
}
