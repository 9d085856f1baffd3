/*
 * `pnyx serve`: the HTTP service over a log, as the CLI starts it. Its
 * settings (config.c) and its daemon (daemon.c, libmicrohttpd).
 *
 * Settings come from, in increasing precedence: the defaults, a config
 * file (key = value lines), environment variables (PNYX_<KEY>, the key in
 * upper case with '-' as '_'), and command-line options (--<key>). Every
 * source goes through srv_config_set, so every value meets the same
 * checks. docs/API.md lists the keys and limits.
 */
#ifndef PNYX_SERVER_SERVER_H
#define PNYX_SERVER_SERVER_H

#include "pnyx/common.h"

#include <netinet/in.h>
#include <sys/socket.h>

#define SRV_PATH_MAX 1024
#define SRV_LISTEN_MAX 128
/* Largest config file read. */
#define SRV_CONFIG_FILE_MAX (64u * 1024u)

struct srv_config {
	char db[SRV_PATH_MAX];          /* the log's SQLite file (required) */
	char listen[SRV_LISTEN_MAX];    /* IPv4:PORT or [IPv6]:PORT */
	char ready_file[SRV_PATH_MAX];  /* "" or where to write the URL */
	uint64_t max_connections;       /* open connections at once */
	uint64_t max_body;              /* bytes of a request body (actions) */
	uint64_t timeout;               /* seconds: idle connection, request,
					   and the drain at shutdown */
	uint64_t threads;               /* worker threads; 0: one per CPU */
	char key[SRV_PATH_MAX];         /* "" or the log's private key file:
					   with it the server sequences
					   actions (POST /v1/actions) */
	uint64_t checkpoint_interval_ms; /* longest wait for a checkpoint */
	char web_dir[SRV_PATH_MAX];     /* "" or the web page's directory
					   (static_files.h) */
	char witnesses[SRV_PATH_MAX];   /* "" or the witness policy file
					   (witness_client.h) */
	uint64_t witness_k;             /* 0: the policy's quorum */
	char data_dir[SRV_PATH_MAX];    /* the project's data/ (the UN
					   member list, un-members.txt) */
	char cooperation_db[SRV_PATH_MAX];  /* "" or the cooperation log's
					       SQLite file (coop_log.h) */
	char cooperation_key[SRV_PATH_MAX]; /* its private key file; both or
					       neither, and only with key */
};

/* A parsed listen address. */
struct srv_listen {
	struct sockaddr_storage addr;
	bool ipv6;
	char host[64];  /* as it appears in a URL: 127.0.0.1 or [::1] */
	uint16_t port;  /* 0: any free port */
};

/* Fills c with the defaults. */
void srv_config_defaults(struct srv_config *c);

/* Sets the setting named key (e.g. "max-body") from the n bytes at value.
 * PNYX_ERR_NOT_FOUND for an unknown key, PNYX_ERR_MALFORMED or
 * PNYX_ERR_RANGE for a bad value (reason in diag); c is unchanged then. */
pnyx_err srv_config_set(struct srv_config *c, const char *key,
			const uint8_t *value, size_t n, pnyx_diag *diag)
	PNYX_WUR;

/* Applies a config file's text (n bytes): UTF-8 lines "key = value" (white
 * space around key and value ignored), blank lines and lines starting
 * with '#' skipped, each key at most once. Errors name the line in diag;
 * on error c may hold the settings of the lines before it. */
pnyx_err srv_config_parse(struct srv_config *c, const uint8_t *text, size_t n,
			  pnyx_diag *diag) PNYX_WUR;

/* Reads the file at path (at most SRV_CONFIG_FILE_MAX bytes) and applies
 * it as srv_config_parse does. PNYX_ERR_IO if it cannot be read. */
pnyx_err srv_config_load_file(struct srv_config *c, const char *path,
			      pnyx_diag *diag) PNYX_WUR;

/* Applies the PNYX_<KEY> environment variables that are set. */
pnyx_err srv_config_load_env(struct srv_config *c, pnyx_diag *diag) PNYX_WUR;

/* Checks a complete configuration (db given, listen address valid). */
pnyx_err srv_config_check(const struct srv_config *c, pnyx_diag *diag)
	PNYX_WUR;

/* Parses a listen address: IPv4:PORT or [IPv6]:PORT, numeric only, PORT a
 * canonical decimal up to 65535. PNYX_ERR_MALFORMED with the reason. */
pnyx_err srv_listen_parse(const char *s, struct srv_listen *out,
			  pnyx_diag *diag) PNYX_WUR;

/* Runs the service until SIGTERM or SIGINT: opens the log; with a key,
 * loads it, checks it is the log's, rebuilds the forum's state from the
 * log (a leaf the rules refuse is fatal) and starts the sequencer; listens, prints
 * "listening on http://HOST:PORT" and writes the same URL to the ready
 * file; on the signal stops accepting, lets in-flight requests finish
 * (for at most the timeout), and returns 0. Returns 1, with a message on
 * stderr, if it cannot start. Call from the main thread before any other
 * thread exists (it blocks the signals it waits for). */
int srv_run(const struct srv_config *c);

#endif
