/*
 * `pnyx witness`: a C2SP tlog-witness v1.0.0 service. The library judges
 * (pnyx/witness.h) and stores (pnyx/witness_store.h); this adapter routes
 * requests (witness_handle.c, transport-neutral, tested directly) and
 * carries them over HTTP (witness_daemon.c, libmicrohttpd).
 *
 * One endpoint: POST /add-checkpoint (body at most PNYX_WITNESS_BODY_MAX
 * bytes). Answers: 200 with the witness's cosignature line; 409 with
 * text/x.tlog.size (the size the witness holds, "\n") when the old size is
 * not that size; every other refusal as RFC 9457 problem+json with a
 * stable code (pnyx_witness_code_name), and for a forked log the held and
 * the submitted checkpoints as evidence.
 */
#ifndef PNYX_WITNESS_SRV_H
#define PNYX_WITNESS_SRV_H

#include "pnyx/buf.h"
#include "pnyx/key.h"
#include "pnyx/witness.h"
#include "pnyx/witness_store.h"

#include <stdatomic.h>

#define WIT_LOGS_MAX 1024   /* logs one witness follows */
#define WIT_PATH_MAX 1024
#define WIT_RESPONSE_MAX (2u * PNYX_WITNESS_BODY_MAX + 65536u)

/* What every request shares; owned by witness_daemon.c (or a test). All
 * read-only once serving starts, but for the store (thread-safe) and the
 * counters. */
struct wit_app {
	const pnyx_witness_log *logs;
	size_t nlogs;
	const pnyx_signer *key;          /* the witness's own key */
	pnyx_witness_store *store;
	atomic_uint_fast64_t answers[PNYX_WITNESS__COUNT]; /* by verdict */
};

/* One answer. */
struct wit_response {
	unsigned status;
	const char *content_type;       /* static string */
	const char *allow;              /* 405 only, else NULL */
	pnyx_buf body;                  /* max WIT_RESPONSE_MAX */
};

/* Prepares an empty response (status 500 until set); clear with
 * wit_response_clear. */
void wit_response_init(struct wit_response *r);
void wit_response_clear(struct wit_response *r);

/* Answers one request: method and path (NUL-terminated, as sent; the path
 * without a query), the body (n bytes, untrusted), now (POSIX seconds, the
 * cosignature's time). Thread-safe. */
void wit_handle(struct wit_app *app, const char *method, const char *path,
		const uint8_t *body, size_t n, uint64_t now,
		struct wit_response *r);

/* Makes r a 413 problem: the body was larger than PNYX_WITNESS_BODY_MAX. */
void wit_too_large(struct wit_response *r);

/* Settings of `pnyx witness` (src/cli/cmd_witness.c). */
struct wit_config {
	const pnyx_signer *key;   /* the witness's key, borrowed */
	const char *listen;       /* IPv4:PORT or [IPv6]:PORT */
	const char *state;        /* the state directory */
	const char *ready_file;   /* NULL or where to write the URL */
	unsigned threads;         /* 0: one per CPU */
	unsigned timeout;         /* seconds per connection and at shutdown */
	const pnyx_witness_log *logs;
	size_t nlogs;
};

/* Runs the witness until SIGTERM or SIGINT: opens (and
 * locks) the state directory, listens, prints its cosignature verifier
 * key and "listening on http://HOST:PORT" and writes the URL to the ready
 * file. Returns 0 after a clean stop, 1 (a message on stderr) if it
 * cannot start. Call from the main thread before any other thread
 * exists. */
int wit_run(const struct wit_config *cfg);

#endif
