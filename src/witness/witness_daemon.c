/*
 * The network half of `pnyx witness`: libmicrohttpd 0.9.75 carrying
 * requests to wit_handle (witness_handle.c), signals, the ready file.
 *
 * Per request (as src/server/daemon.c does it): the first call only reads
 * the headers and returns MHD_YES without a response, so that MHD keeps
 * the connection alive; a body announced larger than the cap is refused at
 * once (413, MHD then closes the connection unread). Later calls bring the
 * body, and the final call answers. SIGTERM and SIGINT are blocked before
 * MHD starts and waited for with sigwait.
 */
#include "witness_srv.h"

#include "../server/listener.h"
#include "../server/server.h"

#include "pnyx/cosignature.h"
#include "pnyx/mem.h"
#include "pnyx/text.h"

#include <microhttpd.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CONNECTION_MEMORY (32u * 1024u)
#define MAX_THREADS 16
#define MAX_CONNECTIONS 256u

struct request_ctx {
	bool began;
	bool answered;
	bool too_large;
	pnyx_buf body;
};

struct daemon_ctx {
	struct wit_app app;
	atomic_uint_fast64_t in_flight;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)uri;
	(void)c;
	struct daemon_ctx *d = cls;
	atomic_fetch_add(&d->in_flight, 1);
	struct request_ctx *ctx = pnyx_malloc(sizeof *ctx);
	if (ctx != NULL) {
		ctx->began = false;
		ctx->answered = false;
		ctx->too_large = false;
		pnyx_buf_init(&ctx->body, PNYX_WITNESS_BODY_MAX);
	}
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
		pnyx_buf_clear(&ctx->body);
		pnyx_free(ctx);
		*con_cls = NULL;
	}
	atomic_fetch_sub(&d->in_flight, 1);
}

static enum MHD_Result queue(struct MHD_Connection *c, struct wit_response *r)
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
	bool ok = (r->content_type == NULL ||
		   MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					   r->content_type) == MHD_YES) &&
		  (r->allow == NULL ||
		   MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					   r->allow) == MHD_YES) &&
		  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
					  "no-store") == MHD_YES;
	enum MHD_Result ret = ok ? MHD_queue_response(c, r->status, resp)
				 : MHD_NO;
	MHD_destroy_response(resp);
	return ret;
}

/* Answers now with r, made by fill (the first call's refusals). */
static enum MHD_Result answer_413(struct request_ctx *ctx,
				  struct MHD_Connection *c)
{
	struct wit_response r;
	wit_response_init(&r);
	wit_too_large(&r);
	ctx->answered = true;
	enum MHD_Result ret = queue(c, &r);
	wit_response_clear(&r);
	return ret;
}

/* First call: a body announced over the cap is refused at once. */
static enum MHD_Result begin(struct request_ctx *ctx, struct MHD_Connection *c)
{
	ctx->began = true;
	const char *cl = MHD_lookup_connection_value(
		c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t len = 0;
	if (cl != NULL &&
	    pnyx_parse_u64((const uint8_t *)cl, strlen(cl), &len) == PNYX_OK &&
	    len > PNYX_WITNESS_BODY_MAX)
		return answer_413(ctx, c);
	return MHD_YES;
}

static enum MHD_Result finish(struct daemon_ctx *d, struct request_ctx *ctx,
			      struct MHD_Connection *c, const char *url,
			      const char *method)
{
	if (ctx->too_large)
		return answer_413(ctx, c);
	struct wit_response r;
	wit_response_init(&r);
	wit_handle(&d->app, method, url, ctx->body.data, ctx->body.len,
		   (uint64_t)time(NULL), &r);
	ctx->answered = true;
	enum MHD_Result ret = queue(c, &r);
	wit_response_clear(&r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct daemon_ctx *d = cls;
	struct request_ctx *ctx = *con_cls;
	if (ctx == NULL)
		return MHD_NO; /* out of memory: drop the connection */
	if (!ctx->began)
		return begin(ctx, c);
	if (*upload_data_size != 0) {
		if (!ctx->too_large &&
		    pnyx_buf_append(&ctx->body, upload_data,
				    *upload_data_size) != PNYX_OK)
			ctx->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->answered)
		return MHD_YES;
	return finish(d, ctx, c, url, method);
}

static unsigned worker_threads(unsigned want)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = want != 0 ? want : cpus > 0 ? (unsigned)cpus : 1;
	return n > MAX_THREADS ? MAX_THREADS : n;
}

static struct MHD_Daemon *start(struct daemon_ctx *d,
				const struct wit_config *cfg,
				const struct srv_listen *l)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG |
			 (l->ipv6 ? MHD_USE_IPv6 : 0u);
	unsigned threads = worker_threads(cfg->threads);
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
		MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_ARRAY, pool, MHD_OPTION_END);
}

/* Prints the witness's verifier key and starts listening. */
static int serve(struct daemon_ctx *d, const struct wit_config *cfg,
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
	fprintf(stderr, "pnyx witness: %s: finishing requests in flight\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	srv_drain(mhd, &d->in_flight, NULL, cfg->timeout);
	if (cfg->ready_file != NULL)
		unlink(cfg->ready_file);
	return 0;
}

/* Prints "witness key: <cosignature verifier key>" for the operator. */
static bool print_vkey(const pnyx_signer *key)
{
	pnyx_verifier v;
	pnyx_cosig_verifier(key, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	bool ok = pnyx_verifier_encode(&v, &b) == PNYX_OK;
	if (ok)
		printf("witness key: %s\n", (const char *)b.data);
	pnyx_buf_clear(&b);
	return ok;
}

static int run_with(struct daemon_ctx *d, const struct wit_config *cfg,
		    const struct srv_listen *l, const sigset_t *stop)
{
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_store_open(cfg->state, &d->app.store,
					       &diag);
	if (err != PNYX_OK) {
		fprintf(stderr, "pnyx: cannot open the state directory %s: "
			"%s (%s)\n", cfg->state, diag.msg, pnyx_err_name(err));
		return 1;
	}
	for (size_t i = 0; i < cfg->nlogs; i++) {
		pnyx_witness_latest latest;
		err = pnyx_witness_store_load(d->app.store, cfg->logs[i].origin,
					      &latest, NULL, &diag);
		if (err != PNYX_OK) {
			fprintf(stderr, "pnyx: the state of the log %s: %s "
				"(%s)\n", cfg->logs[i].origin, diag.msg,
				pnyx_err_name(err));
			break;
		}
		printf("log %s: %s%llu\n", cfg->logs[i].origin,
		       latest.present ? "holds a checkpoint of size "
				      : "nothing cosigned yet, size ",
		       (unsigned long long)latest.size);
	}
	int rc = err == PNYX_OK && print_vkey(d->app.key)
			 ? serve(d, cfg, l, stop)
			 : 1;
	pnyx_witness_store_close(d->app.store);
	return rc;
}

int wit_run(const struct wit_config *cfg)
{
	pnyx_diag diag = {{0}};
	struct srv_listen l;
	if (srv_listen_parse(cfg->listen, &l, &diag) != PNYX_OK) {
		fprintf(stderr, "pnyx: --listen: %s\n", diag.msg);
		return 1;
	}
	sigset_t stop;
	srv_block_stop_signals(&stop);
	struct daemon_ctx *d = pnyx_calloc(1, sizeof *d);
	if (d == NULL) {
		fputs("pnyx: out of memory\n", stderr);
		return 1;
	}
	d->app.logs = cfg->logs;
	d->app.nlogs = cfg->nlogs;
	d->app.key = cfg->key;
	atomic_init(&d->in_flight, 0);
	int rc = run_with(d, cfg, &l, &stop);
	pnyx_free(d);
	return rc;
}
