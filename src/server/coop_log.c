/* The cooperation log of `pnyx serve`: its rules, its anchors on the
 * forum's log, and the nonces of signed requests (see coop_log.h). */
#include "coop_log.h"

#include "pnyx/action_sign.h"
#include "pnyx/base64.h"
#include "pnyx/coop.h"
#include "pnyx/hash.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

/* Signed requests remembered at once (coop_log.h). */
#define NONCES 4096

struct nonce_slot {
	uint8_t id[16]; /* SHA-256 of actor NUL nonce, truncated */
	uint64_t at;    /* seconds; 0: free */
};

struct srv_coop {
	struct srv_logview *lv;
	struct srv_sequencer *seq;
	struct srv_sequencer *forum;
	pnyx_signer key;
	pthread_mutex_t nonce_mu;
	struct nonce_slot nonces[NONCES]; /* a ring, oldest at next */
	size_t next;
	uint64_t anchored; /* the size last anchored (sequencer thread) */
};

/* ---- the rules ---- */

static pnyx_err coop_state_new(void *ctx, void **out)
{
	(void)ctx;
	pnyx_coop *st;
	pnyx_err err = pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &st);
	*out = err == PNYX_OK ? st : NULL;
	return err;
}

static void coop_state_free(void *st)
{
	pnyx_coop_free(st);
}

static pnyx_rule coop_apply(void *ctx, void *st, const uint8_t *leaf,
			    size_t n, pnyx_engine_mode mode, pnyx_verdict *v)
{
	struct srv_coop *c = ctx;
	const pnyx_state *pub = srv_sequencer_lock_state(c->forum);
	pnyx_rule r = pnyx_coop_apply(st, pub, leaf, n, mode, v);
	srv_sequencer_unlock_state(c->forum);
	return r;
}

static size_t coop_index_keys(const void *st, char keys[2][PNYX_ID_MAX + 1])
{
	pnyx_coop_audience a;
	pnyx_coop_last_audience(st, &a);
	if (a.all_members) {
		snprintf(keys[0], sizeof keys[0], "%s", SRV_COOP_ALL);
		return 1;
	}
	snprintf(keys[0], sizeof keys[0], "%s", a.a);
	snprintf(keys[1], sizeof keys[1], "%s", a.b);
	return strcmp(a.a, a.b) == 0 ? 1 : 2;
}

/* ---- anchors ---- */

/* The forum's id and the next sequence number of the actor
 * "cooperation" on the forum's log; false when cooperation is not open
 * there with this log's key. */
static bool anchor_envelope(struct srv_coop *c, char *forum, size_t cap,
			    uint64_t *seq)
{
	const pnyx_state *st = srv_sequencer_lock_state(c->forum);
	const json_t *root = pnyx_state_json(st);
	const char *id = json_string_value(
		json_object_get(json_object_get(root, "forum"), "id"));
	const char *key = json_string_value(json_object_get(
		json_object_get(root, "cooperation"), "log_key"));
	const json_t *actor =
		json_object_get(json_object_get(root, "actors"), "cooperation");
	bool ok = id != NULL && key != NULL && actor != NULL &&
		  strcmp(key, srv_logview_vkey(c->lv)) == 0 &&
		  strlen(id) < cap;
	if (ok) {
		memcpy(forum, id, strlen(id) + 1);
		*seq = (uint64_t)json_integer_value(json_object_get(actor, "seq")) + 1;
	}
	srv_sequencer_unlock_state(c->forum);
	return ok;
}

/* The signed cooperation.anchor action for the tree of size entries. */
static pnyx_err anchor_note(struct srv_coop *c, uint64_t size,
			    const pnyx_hash *root, pnyx_buf *out)
{
	char forum[PNYX_ID_MAX + 1];
	uint64_t seq;
	if (!anchor_envelope(c, forum, sizeof forum, &seq))
		return PNYX_ERR_NOT_FOUND;
	char b64[PNYX_HASH_B64_LEN + 1];
	pnyx_base64_encode(root->b, sizeof root->b, b64, sizeof b64);
	json_t *body = json_pack("{s:s,s:s,s:s,s:I,s:I,s:s}", "actor",
				 "cooperation", "forum", forum, "root", b64,
				 "seq", (json_int_t)seq, "size",
				 (json_int_t)size, "type", "cooperation.anchor");
	if (body == NULL)
		return PNYX_ERR_NOMEM;
	pnyx_err err = pnyx_action_sign(body, &c->key, out, NULL);
	json_decref(body);
	return err;
}

/* Anchors the tree of size entries on the forum's log (sequencer
 * thread, or start-up). */
static void anchor(struct srv_coop *c, uint64_t size)
{
	if (size == 0 || size == c->anchored)
		return;
	pnyx_hash root;
	pnyx_log *log = srv_logview_lock(c->lv);
	pnyx_err err = pnyx_log_root_at(log, size, &root);
	srv_logview_unlock(c->lv);
	pnyx_buf note;
	pnyx_buf_init(&note, 4096);
	if (err == PNYX_OK)
		err = anchor_note(c, size, &root, &note);
	if (err == PNYX_ERR_NOT_FOUND) {
		pnyx_buf_clear(&note);
		return; /* cooperation is not open on the forum's log yet */
	}
	struct srv_seq_result r;
	if (err == PNYX_OK) {
		srv_sequencer_submit(c->forum, note.data, note.len, &r);
		if (r.outcome == SRV_SEQ_ACCEPTED)
			c->anchored = size;
		else
			fprintf(stderr, "pnyx: the forum's log refused the "
				"anchor of the cooperation log at size %llu: %s\n",
				(unsigned long long)size,
				r.outcome == SRV_SEQ_REFUSED ? r.v.msg : r.detail);
		pnyx_buf_clear(&r.receipt);
	} else {
		fprintf(stderr, "pnyx: cannot sign the anchor of the "
			"cooperation log: %s\n", pnyx_err_text(err));
	}
	pnyx_buf_clear(&note);
}

static void on_checkpoint(void *arg, const uint8_t *cp, size_t n,
			  uint64_t size)
{
	(void)cp;
	(void)n;
	anchor(arg, size);
}

/* The size of the forum's last anchor (0 if none). */
static uint64_t last_anchored(struct srv_coop *c)
{
	const pnyx_state *st = srv_sequencer_lock_state(c->forum);
	const json_t *anchors = json_object_get(
		json_object_get(pnyx_state_json(st), "cooperation"), "anchors");
	size_t n = json_array_size(anchors);
	uint64_t size = n > 0 ? (uint64_t)json_integer_value(json_object_get(
					json_array_get(anchors, n - 1), "size"))
			      : 0;
	srv_sequencer_unlock_state(c->forum);
	return size;
}

/* Says so at start-up when the forum's cooperation.open names another
 * key than this log's: members cannot check this log's checkpoints
 * against the forum's record, and it is not anchored. */
static void warn_other_key(struct srv_coop *c)
{
	const pnyx_state *st = srv_sequencer_lock_state(c->forum);
	const char *key = json_string_value(json_object_get(
		json_object_get(pnyx_state_json(st), "cooperation"), "log_key"));
	if (key != NULL && strcmp(key, srv_logview_vkey(c->lv)) != 0)
		fprintf(stderr, "pnyx: the forum's cooperation.open names the "
			"cooperation log key %s, not this log's (%s): check "
			"--cooperation-db and --cooperation-key\n", key,
			srv_logview_vkey(c->lv));
	srv_sequencer_unlock_state(c->forum);
}

/* ---- start and stop ---- */

pnyx_err srv_coop_start(const char *db, const pnyx_signer *key,
			struct srv_sequencer *forum, uint64_t cp_interval_ms,
			struct srv_coop **out, pnyx_diag *diag)
{
	assert(db != NULL && key != NULL && forum != NULL && out != NULL);
	struct srv_coop *c = pnyx_calloc(1, sizeof *c);
	if (c == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	c->forum = forum;
	c->key = *key;
	if (pthread_mutex_init(&c->nonce_mu, NULL) != 0) {
		pnyx_free(c);
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "cannot create a lock");
	}
	pnyx_err err = srv_logview_open(db, &c->lv, diag);
	if (err == PNYX_OK) {
		struct srv_rules rules = {
			.what = "the cooperation log",
			.state_new = coop_state_new,
			.state_free = coop_state_free,
			.apply = coop_apply,
			.index_keys = coop_index_keys,
			.ctx = c,
		};
		struct srv_seq_hooks hooks = {on_checkpoint, c};
		err = srv_sequencer_start_rules(c->lv, key, cp_interval_ms,
						&rules, &hooks, &c->seq, diag);
	}
	if (err != PNYX_OK) {
		srv_logview_close(c->lv);
		pthread_mutex_destroy(&c->nonce_mu);
		pnyx_signer_clear(&c->key);
		pnyx_free(c);
		return err;
	}
	c->anchored = last_anchored(c);
	warn_other_key(c);
	pnyx_log *log = srv_logview_lock(c->lv);
	uint64_t size = pnyx_log_size(log);
	srv_logview_unlock(c->lv);
	anchor(c, size);
	*out = c;
	return PNYX_OK;
}

void srv_coop_stop(struct srv_coop *c)
{
	if (c == NULL)
		return;
	srv_sequencer_stop(c->seq);
	pnyx_log *log = srv_logview_lock(c->lv);
	uint64_t size = pnyx_log_size(log);
	srv_logview_unlock(c->lv);
	anchor(c, size);
	srv_logview_close(c->lv);
	pthread_mutex_destroy(&c->nonce_mu);
	pnyx_signer_clear(&c->key);
	pnyx_free(c);
}

struct srv_sequencer *srv_coop_sequencer(const struct srv_coop *c)
{
	return c->seq;
}

struct srv_logview *srv_coop_logview(const struct srv_coop *c)
{
	return c->lv;
}

struct srv_sequencer *srv_coop_forum(const struct srv_coop *c)
{
	return c->forum;
}

/* ---- nonces ---- */

bool srv_coop_nonce_fresh(struct srv_coop *c, const char *actor,
			  const char *nonce, uint64_t now_s,
			  uint64_t window_s)
{
	pnyx_sha256_ctx h;
	pnyx_sha256_start(&h);
	pnyx_sha256_update(&h, actor, strlen(actor) + 1);
	pnyx_sha256_update(&h, nonce, strlen(nonce));
	pnyx_hash d;
	pnyx_sha256_final(&h, &d);
	uint64_t since = now_s > window_s ? now_s - window_s : 0;
	pthread_mutex_lock(&c->nonce_mu);
	bool fresh = true;
	for (size_t i = 0; i < NONCES && fresh; i++)
		fresh = !(c->nonces[i].at != 0 && c->nonces[i].at >= since &&
			  memcmp(c->nonces[i].id, d.b, sizeof c->nonces[i].id) == 0);
	struct nonce_slot *slot = &c->nonces[c->next];
	if (fresh && slot->at != 0 && slot->at >= since)
		fresh = false; /* full of fresh nonces: refuse, forget none */
	if (fresh) {
		memcpy(slot->id, d.b, sizeof slot->id);
		slot->at = now_s > 0 ? now_s : 1;
		c->next = (c->next + 1) % NONCES;
	}
	pthread_mutex_unlock(&c->nonce_mu);
	return fresh;
}
