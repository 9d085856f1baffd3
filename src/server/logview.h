/*
 * The log as the HTTP service sees it: one pnyx_log (whose contract allows
 * one thread at a time) shared by every MHD thread behind one mutex.
 *
 * Locking: a handler calls srv_logview_lock, makes its library calls, and
 * calls srv_logview_unlock before it encodes its response, so the lock is
 * held only for store reads (a few SQLite lookups per request). A mutex
 * rather than a rwlock, because reads share the one SQLite connection
 * inside pnyx_log and its statement cache, so two reads cannot run at
 * once anyway. The sequencer (POST /v1/actions) will append under the same
 * lock, so a reader sees a tree size, root and checkpoint that belong
 * together.
 *
 * The server must be the log's only writer while it runs: it reads the
 * tree size when it opens the log.
 */
#ifndef PNYX_SERVER_LOGVIEW_H
#define PNYX_SERVER_LOGVIEW_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/log.h"

#include <time.h>

struct srv_logview;

/* What /metrics reports about the log. */
struct srv_log_stats {
	uint64_t size;            /* entries committed */
	bool has_checkpoint;
	uint64_t checkpoint_size; /* tree size of the latest checkpoint */
	time_t checkpoint_seen;   /* when this server first saw it: when it
				     started, or when it signed it */
};

/* Opens the SQLite log at path (which must exist) for serving. Returns
 * PNYX_OK and *out (close with srv_logview_close), or the store's or the
 * log's error with the reason in diag. */
pnyx_err srv_logview_open(const char *path, struct srv_logview **out,
			  pnyx_diag *diag) PNYX_WUR;

/* Closes the log. NULL is a no-op. No other thread may use lv. */
void srv_logview_close(struct srv_logview *lv);

/* Takes the lock and returns the log, usable until srv_logview_unlock. */
pnyx_log *srv_logview_lock(struct srv_logview *lv);
void srv_logview_unlock(struct srv_logview *lv);

/* The log's verifier key in text form (immutable, borrowed from lv). */
const char *srv_logview_vkey(const struct srv_logview *lv);

/* Appends the latest signed checkpoint to out (PNYX_ERR_NOT_FOUND if none
 * yet) and notes when it was first seen. Takes the lock. */
pnyx_err srv_logview_checkpoint(struct srv_logview *lv, pnyx_buf *out)
	PNYX_WUR;

/* Fills *out. Takes the lock. */
pnyx_err srv_logview_stats(struct srv_logview *lv, struct srv_log_stats *out)
	PNYX_WUR;

#endif
