/* The served log behind one mutex (see logview.h). */
#include "logview.h"

#include "pnyx/checkpoint.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"
#include "pnyx/store.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>

/* Largest checkpoint note the service reads back from its store. */
#define CHECKPOINT_MAX (64u * 1024u)

struct srv_logview {
	pthread_mutex_t mu;
	pnyx_log *log;
	char vkey[2 * PNYX_KEY_NAME_MAX + 64];
	/* The latest checkpoint seen, under mu. */
	bool has_cp;
	pnyx_hash cp_hash;
	uint64_t cp_size;
	time_t cp_seen;
};

/* Records the checkpoint note (held under mu) if it is new. */
static void observe(struct srv_logview *lv, const pnyx_buf *note)
{
	pnyx_hash h;
	pnyx_sha256(note->data, note->len, &h);
	if (lv->has_cp && pnyx_hash_eq(&h, &lv->cp_hash))
		return;
	size_t text_len;
	pnyx_checkpoint cp;
	if (pnyx_note_text_len(note->data, note->len, &text_len) != PNYX_OK ||
	    pnyx_checkpoint_parse(note->data, text_len, &cp, NULL) != PNYX_OK)
		return; /* served as stored; `pnyx log verify` audits it */
	lv->has_cp = true;
	lv->cp_hash = h;
	lv->cp_size = cp.size;
	lv->cp_seen = time(NULL);
}

static pnyx_err read_checkpoint(struct srv_logview *lv, pnyx_buf *out)
{
	pnyx_buf note;
	pnyx_buf_init(&note, CHECKPOINT_MAX);
	pnyx_err err = pnyx_log_latest_checkpoint(lv->log, &note);
	if (err == PNYX_OK) {
		observe(lv, &note);
		if (out != NULL)
			err = pnyx_buf_append(out, note.data, note.len);
	}
	pnyx_buf_clear(&note);
	return err;
}

static pnyx_err encode_vkey(struct srv_logview *lv)
{
	pnyx_buf b;
	pnyx_buf_init(&b, sizeof lv->vkey - 1);
	pnyx_err err = pnyx_verifier_encode(pnyx_log_key(lv->log), &b);
	if (err == PNYX_OK)
		memcpy(lv->vkey, b.data, b.len + 1);
	pnyx_buf_clear(&b);
	return err;
}

pnyx_err srv_logview_open(const char *path, struct srv_logview **out,
			  pnyx_diag *diag)
{
	assert(path != NULL && out != NULL);
	struct srv_logview *lv = pnyx_calloc(1, sizeof *lv);
	if (lv == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	pnyx_store *store = NULL;
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_OPEN, &store, diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(store, &lv->log, diag);
	if (err == PNYX_OK && (err = encode_vkey(lv)) != PNYX_OK)
		pnyx_diag_set(diag, err, "cannot encode the log's key");
	if (err == PNYX_OK) {
		err = read_checkpoint(lv, NULL);
		if (err == PNYX_ERR_NOT_FOUND)
			err = PNYX_OK;
		else if (err != PNYX_OK)
			pnyx_diag_set(diag, err, "cannot read the latest checkpoint");
	}
	if (err == PNYX_OK && pthread_mutex_init(&lv->mu, NULL) != 0)
		err = pnyx_diag_set(diag, PNYX_ERR_NOMEM, "cannot create a mutex");
	if (err != PNYX_OK) {
		pnyx_log_close(lv->log);
		pnyx_free(lv);
		return err;
	}
	*out = lv;
	return PNYX_OK;
}

void srv_logview_close(struct srv_logview *lv)
{
	if (lv == NULL)
		return;
	pthread_mutex_destroy(&lv->mu);
	pnyx_log_close(lv->log);
	pnyx_free(lv);
}

pnyx_log *srv_logview_lock(struct srv_logview *lv)
{
	int rc = pthread_mutex_lock(&lv->mu);
	assert(rc == 0);
	(void)rc;
	return lv->log;
}

void srv_logview_unlock(struct srv_logview *lv)
{
	int rc = pthread_mutex_unlock(&lv->mu);
	assert(rc == 0);
	(void)rc;
}

const char *srv_logview_vkey(const struct srv_logview *lv)
{
	return lv->vkey;
}

pnyx_err srv_logview_checkpoint(struct srv_logview *lv, pnyx_buf *out)
{
	srv_logview_lock(lv);
	pnyx_err err = read_checkpoint(lv, out);
	srv_logview_unlock(lv);
	return err;
}

pnyx_err srv_logview_stats(struct srv_logview *lv, struct srv_log_stats *out)
{
	srv_logview_lock(lv);
	pnyx_err err = read_checkpoint(lv, NULL);
	if (err == PNYX_ERR_NOT_FOUND)
		err = PNYX_OK;
	if (err == PNYX_OK)
		*out = (struct srv_log_stats){
			.size = pnyx_log_size(lv->log),
			.has_checkpoint = lv->has_cp,
			.checkpoint_size = lv->cp_size,
			.checkpoint_seen = lv->cp_seen,
		};
	srv_logview_unlock(lv);
	return err;
}
