/*
 * pnyx mirror: a full copy of a log (its checkpoint, C2SP tiles and entry
 * bundles) in a directory, kept up to date from the log's server or from
 * another mirror, and served read-only in the same layout (docs/MIRROR.md).
 *
 *   mirror_files.c   the copy's directory: staging, atomic publication
 *   mirror_sync.c    one catch-up: fetch, check consistency, publish
 *   mirror_serve.c   the read-only HTTP server (libmicrohttpd)
 *   cmd_mirror.c     the command: options, the log's key, the loop
 *
 * Layout of DIR: checkpoint, tile/<L>/<N>[.p/<W>], tile/entries/<N>[.p/<W>]
 * (exactly what is served), log.vkey (the log's verifier key, saved at
 * first use), and .incoming/ (files fetched but not yet published; emptied
 * at every start and after every refused or failed catch-up).
 */
#ifndef PNYX_CLI_MIRROR_H
#define PNYX_CLI_MIRROR_H

#include "http_client.h"

#include "pnyx/buf.h"
#include "pnyx/checkpoint.h"
#include "pnyx/key.h"
#include "pnyx/witness_policy.h"

#include <limits.h>

#define MIRROR_STAGE ".incoming"
#define MIRROR_KEY_FILE "log.vkey"
#define MIRROR_CHECKPOINT "checkpoint"

/* The copy's directory, open for *at() calls. */
struct mirror_dir {
	int fd;        /* DIR */
	int stage_fd;  /* DIR/.incoming */
	char path[PATH_MAX];
};

/* ---- mirror_files.c (each prints the reason of a failure) ---- */

/* Opens DIR (created with mode 0755 if missing) and its staging directory
 * (created too). */
bool mirror_dir_open(const char *path, struct mirror_dir *d);

/* Takes the copy for this process (an flock held until mirror_dir_close;
 * false, printed, if another process holds it) and empties the staging
 * directory of what an interrupted run left there. Only a process that
 * writes the copy takes it; one that only serves it does not. */
bool mirror_dir_lock(struct mirror_dir *d);

/* Closes both descriptors; a zeroed or closed d is a no-op. */
void mirror_dir_close(struct mirror_dir *d);

/* Removes every file from the staging directory. */
void mirror_stage_discard(struct mirror_dir *d);

/* Writes n bytes as the staged version of rel (a path below DIR, e.g.
 * "tile/0/000.p/5"); nothing is visible in DIR until mirror_publish. */
bool mirror_stage(struct mirror_dir *d, const char *rel, const uint8_t *p,
		  size_t n);

/* Moves the staged rel to DIR/rel (atomic rename; parents created). */
bool mirror_publish(struct mirror_dir *d, const char *rel);

/* Flushes every file written so far to disk (syncfs), then nothing staged
 * before can be lost once a checkpoint that needs it is published. */
bool mirror_flush(struct mirror_dir *d);

/* Replaces DIR/rel with n bytes durably: staged, fsync'd, renamed, and
 * the directory fsync'd. */
bool mirror_replace(struct mirror_dir *d, const char *rel, const uint8_t *p,
		    size_t n);

/* Reads DIR/rel (at most max bytes) into out (initialised here; the
 * caller clears it). Returns 1 on success, 0 if the file does not exist
 * (nothing printed), -1 on any other failure (printed). */
int mirror_read(struct mirror_dir *d, const char *rel, size_t max,
		pnyx_buf *out);

/* ---- mirror_sync.c ---- */

enum mirror_result {
	MIRROR_SAME,    /* the source's checkpoint is the copy's */
	MIRROR_GREW,    /* a consistent, larger tree was copied */
	MIRROR_REFUSED, /* the source's tree is not consistent with the copy's:
			   both checkpoints printed, the copy unchanged */
	MIRROR_FAILED,  /* the source could not be read, its tiles do not match
			   its checkpoint, or the copy is damaged (printed);
			   the copy unchanged */
};

/* What one catch-up did. */
struct mirror_stats {
	uint64_t old_size, size;  /* entries before and after */
	uint64_t tiles, bundles;  /* files fetched */
	uint64_t bytes;           /* bytes of those files */
};

/* Brings the copy in d up to the checkpoint at hc's base URL, signed by
 * key: fetches every tile and entry bundle the copy lacks, checks each
 * bundle against its tile, the new tiles against the copy's old ones and
 * the new checkpoint's root (so the new tree extends the copy's), then
 * publishes the files and, last, the checkpoint. With a policy (may be
 * NULL), a checkpoint without k of its witnesses' cosignatures is not
 * taken (MIRROR_FAILED). Prints a one-line reason on failure; fills
 * *stats (may be NULL) on MIRROR_SAME and MIRROR_GREW. */
enum mirror_result mirror_sync(http_client *hc, struct mirror_dir *d,
			       const pnyx_verifier *key,
			       const pnyx_witness_policy *policy,
			       struct mirror_stats *stats);

/* Opens the copy's checkpoint with key into *cp (its extension pointer
 * borrows note, which the caller clears). Returns 1, 0 when the copy has
 * none yet, -1 if it does not verify (printed). */
int mirror_load_checkpoint(struct mirror_dir *d, const pnyx_verifier *key,
			   pnyx_buf *note, pnyx_checkpoint *cp);

/* ---- mirror_serve.c ---- */

struct mirror_server;

/* Serves d read-only at addr (IPv4:PORT or [IPv6]:PORT, port 0 for any):
 * GET and HEAD of /checkpoint and of canonical tile paths, from the files
 * of d; 404 for anything else. Prints "listening on URL" and writes the
 * URL to ready_file (may be NULL). NULL (reason printed) if it cannot. */
struct mirror_server *mirror_serve_start(const struct mirror_dir *d,
					 const char *addr,
					 const char *ready_file);

/* Stops the server and frees it; NULL is a no-op. */
void mirror_serve_stop(struct mirror_server *s);

#endif
