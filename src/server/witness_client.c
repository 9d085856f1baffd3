/*
 * Submitting checkpoints to the forum's witnesses and serving the cosigned
 * one (witness_client.h).
 */
#include "witness_client.h"

#include "http.h"
#include "logview.h"
#include "sequencer.h"
#include "server.h"
#include "witness_post.h"

#include "pnyx/checkpoint.h"
#include "pnyx/cosignature.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"
#include "pnyx/text.h"
#include "pnyx/witness_req.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOTE_MAX (64u * 1024u)
#define ANSWER_MAX (64u * 1024u)
#define SERVED_MAX (NOTE_MAX + PNYX_POLICY_WITNESSES_MAX * 1024u)

/* One witness and its thread. */
struct slot {
	struct srv_witnesses *w;
	const pnyx_policy_witness *pw;
	pthread_t thread;
	bool started;
	/* under w->mu */
	uint64_t done_gen;   /* the newest generation it cosigned */
	pnyx_buf line;       /* its cosignature on generation w->gen, or "" */
	/* the thread's own */
	uint64_t known;      /* the size it holds, as far as we know */
	bool failing;        /* its last submission failed (said) */
};

struct srv_witnesses {
	struct srv_logview *lv;
	pnyx_witness_policy policy;
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* a new checkpoint, or stop */
	bool stopping;
	uint64_t gen;        /* of the latest checkpoint; 0: none yet */
	pnyx_buf latest;     /* the log's note */
	uint64_t latest_size;
	pnyx_buf served;     /* the newest with k cosignatures, or "" */
	struct srv_seq_hooks hooks;
	struct slot slots[PNYX_POLICY_WITNESSES_MAX];
};

/* ---- the checkpoints (w->mu held) ---- */

/* A new checkpoint to submit, unless it is older than the latest. */
static void set_latest(struct srv_witnesses *w, const uint8_t *cp, size_t n,
		       uint64_t size)
{
	if (w->gen > 0 && size <= w->latest_size)
		return;
	pnyx_buf_reset(&w->latest);
	if (pnyx_buf_append(&w->latest, cp, n) != PNYX_OK) {
		fputs("pnyx: a checkpoint too large to submit to witnesses\n", stderr);
		return;
	}
	w->latest_size = size;
	w->gen++;
	for (size_t i = 0; i < w->policy.n; i++)
		pnyx_buf_reset(&w->slots[i].line);
	pthread_cond_broadcast(&w->cv);
}

/* Once k witnesses cosigned the latest, it is the one served. */
static void update_served(struct srv_witnesses *w)
{
	size_t got = 0;
	for (size_t i = 0; i < w->policy.n; i++)
		got += w->slots[i].line.len > 0;
	if (got < w->policy.k)
		return;
	pnyx_buf_reset(&w->served);
	pnyx_buf_append(&w->served, w->latest.data, w->latest.len);
	for (size_t i = 0; i < w->policy.n; i++)
		pnyx_buf_append(&w->served, w->slots[i].line.data,
				w->slots[i].line.len);
	if (w->served.err != PNYX_OK)
		pnyx_buf_reset(&w->served);
}

/* ---- one submission (the slot's thread, no lock) ---- */

/* The add-checkpoint body: the old size the witness holds, the proof from
 * it, the note. */
static pnyx_err make_body(struct slot *sl, const pnyx_buf *note, uint64_t size,
			  pnyx_buf *body)
{
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
	size_t n = 0;
	if (sl->known > size)
		sl->known = 0; /* it holds more than we have: it will say */
	if (sl->known > 0 && sl->known < size) {
		pnyx_log *log = srv_logview_lock(sl->w->lv);
		pnyx_err err = pnyx_log_consistency_proof(log, sl->known, size,
							  proof, &n);
		srv_logview_unlock(sl->w->lv);
		if (err != PNYX_OK)
			return err;
	}
	pnyx_buf_reset(body);
	return pnyx_witness_req_encode(sl->known, proof, n, note->data, note->len,
				       body);
}

/* Finds the witness's valid cosignature line in its answer. */
static bool take_cosig(struct slot *sl, const pnyx_buf *note,
		       const pnyx_buf *answer, pnyx_buf *line, pnyx_diag *diag)
{
	size_t text_len;
	if (pnyx_note_text_len(note->data, note->len, &text_len) != PNYX_OK)
		return false;
	const uint8_t *p = answer->data, *end = p + answer->len;
	while (p != NULL && p < end) {
		const uint8_t *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);
		if (pnyx_cosig_verify_line(&sl->pw->key, note->data, text_len, p, n,
					   NULL, NULL) == PNYX_OK) {
			pnyx_buf_reset(line);
			return pnyx_buf_append(line, p, n) == PNYX_OK &&
			       pnyx_buf_puts(line, "\n") == PNYX_OK;
		}
		p = eol != NULL ? eol + 1 : NULL;
	}
	pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE, "its answer holds no valid "
		      "cosignature by its key");
	return false;
}

/* A 409 with text/x.tlog.size: the size the witness holds. */
static bool held_size(const struct srv_post_answer *a, const pnyx_buf *answer,
		      uint64_t *out)
{
	return a->status == 409 &&
	       strncmp(a->content_type, "text/x.tlog.size", 16) == 0 &&
	       answer->len >= 2 && answer->data[answer->len - 1] == '\n' &&
	       pnyx_parse_u64(answer->data, answer->len - 1, out) == PNYX_OK;
}

/* Submits the note of size entries; on success line holds the cosignature.
 * A 409 naming another old size is retried once with that size. */
static bool submit(struct slot *sl, const pnyx_buf *note, uint64_t size,
		   pnyx_buf *line, pnyx_diag *diag)
{
	pnyx_buf body, answer;
	pnyx_buf_init(&body, NOTE_MAX + 8192);
	pnyx_buf_init(&answer, ANSWER_MAX);
	bool ok = false;
	for (int attempt = 0; attempt < 2 && !ok; attempt++) {
		struct srv_post_answer a;
		uint64_t held;
		if (make_body(sl, note, size, &body) != PNYX_OK) {
			pnyx_diag_set(diag, PNYX_ERR_STORAGE, "cannot build the request "
				      "(consistency proof from %llu)",
				      (unsigned long long)sl->known);
			break;
		}
		if (!srv_post(sl->pw->url, "/add-checkpoint", body.data, body.len,
			      SRV_WITNESS_TIMEOUT_MS, &a, &answer, diag))
			break;
		if (a.status == 200) {
			ok = take_cosig(sl, note, &answer, line, diag);
			if (ok)
				sl->known = size;
			break;
		}
		pnyx_diag_set(diag, PNYX_ERR_MISMATCH, "it answered HTTP %u: %.160s",
			      a.status, answer.len > 0 ? (const char *)answer.data : "");
		if (!held_size(&a, &answer, &held) || held == sl->known || held > size)
			break;
		sl->known = held; /* and again, from the size it holds */
	}
	pnyx_buf_clear(&body);
	pnyx_buf_clear(&answer);
	return ok;
}

/* Prints a change of the witness's health, once. */
static void say(struct slot *sl, bool ok, uint64_t size, const pnyx_diag *why)
{
	if (ok && sl->failing)
		fprintf(stderr, "pnyx: witness %s cosigns again (checkpoint of %llu "
			"entries)\n", sl->pw->key.name, (unsigned long long)size);
	else if (!ok && !sl->failing)
		fprintf(stderr, "pnyx: witness %s did not cosign the checkpoint of "
			"%llu entries: %s; trying again every %u ms\n",
			sl->pw->key.name, (unsigned long long)size, why->msg,
			SRV_WITNESS_RETRY_MS);
	sl->failing = !ok;
}

/* ---- the threads ---- */

static void wait_retry(struct srv_witnesses *w)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += (long)SRV_WITNESS_RETRY_MS * 1000000L;
	t.tv_sec += t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	(void)pthread_cond_timedwait(&w->cv, &w->mu, &t);
}

static void *slot_main(void *arg)
{
	struct slot *sl = arg;
	struct srv_witnesses *w = sl->w;
	pnyx_buf note, line;
	pnyx_buf_init(&note, NOTE_MAX);
	pnyx_buf_init(&line, 4096);
	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		if (w->gen == 0 || sl->done_gen == w->gen) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		uint64_t gen = w->gen, size = w->latest_size;
		pnyx_buf_reset(&note);
		bool copied = pnyx_buf_append(&note, w->latest.data,
					      w->latest.len) == PNYX_OK;
		pthread_mutex_unlock(&w->mu);
		pnyx_diag why = {{0}};
		bool ok = copied && submit(sl, &note, size, &line, &why);
		say(sl, ok, size, &why);
		pthread_mutex_lock(&w->mu);
		if (ok) {
			sl->done_gen = gen;
			if (gen == w->gen && pnyx_buf_append(&sl->line, line.data,
							     line.len) == PNYX_OK)
				update_served(w);
		} else if (!w->stopping) {
			wait_retry(w);
		}
	}
	pthread_mutex_unlock(&w->mu);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&line);
	return NULL;
}

/* ---- start and stop ---- */

static pnyx_err read_policy(const char *path, uint64_t k,
			    pnyx_witness_policy *p, pnyx_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pnyx_diag_set(diag, PNYX_ERR_IO, "cannot read the witness "
				     "policy %s: %s", path, strerror(errno));
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_POLICY_TEXT_MAX);
	uint8_t chunk[4096];
	ssize_t got;
	do /* until the end, an error, or a chunk past the cap */
		got = read(fd, chunk, sizeof chunk);
	while ((got > 0 && pnyx_buf_append(&b, chunk, (size_t)got) == PNYX_OK) ||
	       (got < 0 && errno == EINTR));
	int read_errno = errno;
	close(fd);
	pnyx_err err = got < 0 ? pnyx_diag_set(diag, PNYX_ERR_IO, "cannot read "
					       "the witness policy %s: %s", path,
					       strerror(read_errno))
		       : got > 0 ? pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "the "
						 "witness policy %s is larger "
						 "than %u bytes", path,
						 PNYX_POLICY_TEXT_MAX)
				 : pnyx_witness_policy_parse(b.data, b.len, p, diag);
	pnyx_buf_clear(&b);
	if (err == PNYX_OK && k > p->n)
		err = pnyx_diag_set(diag, PNYX_ERR_RANGE, "witness-k is %llu, but "
				    "the policy names %zu witnesses",
				    (unsigned long long)k, p->n);
	for (size_t i = 0; err == PNYX_OK && i < p->n; i++)
		if (strncmp(p->w[i].url, "http://", 7) != 0)
			err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "witness %s "
					    "has no http:// URL to submit to",
					    p->w[i].key.name);
	if (err == PNYX_OK && k > 0)
		p->k = (size_t)k;
	return err;
}

/* The latest checkpoint the log holds, submitted at start. */
static void seed(struct srv_witnesses *w)
{
	pnyx_buf note;
	pnyx_buf_init(&note, NOTE_MAX);
	size_t text_len;
	pnyx_checkpoint cp;
	if (srv_logview_checkpoint(w->lv, &note) == PNYX_OK &&
	    pnyx_note_text_len(note.data, note.len, &text_len) == PNYX_OK &&
	    pnyx_checkpoint_parse(note.data, text_len, &cp, NULL) == PNYX_OK)
		set_latest(w, note.data, note.len, cp.size);
	pnyx_buf_clear(&note);
}

static pnyx_err init_sync(struct srv_witnesses *w)
{
	pthread_condattr_t ca;
	if (pthread_condattr_init(&ca) != 0)
		return PNYX_ERR_NOMEM;
	bool ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
		  pthread_cond_init(&w->cv, &ca) == 0;
	pthread_condattr_destroy(&ca);
	if (ok && pthread_mutex_init(&w->mu, NULL) != 0) {
		pthread_cond_destroy(&w->cv);
		ok = false;
	}
	return ok ? PNYX_OK : PNYX_ERR_NOMEM;
}

pnyx_err srv_witnesses_start(struct srv_logview *lv, const char *path,
			     uint64_t k, struct srv_witnesses **out,
			     pnyx_diag *diag)
{
	struct srv_witnesses *w = pnyx_calloc(1, sizeof *w);
	if (w == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	pnyx_err err = read_policy(path, k, &w->policy, diag);
	if (err == PNYX_OK && init_sync(w) != PNYX_OK)
		err = pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	if (err != PNYX_OK) {
		pnyx_free(w);
		return err;
	}
	w->lv = lv;
	w->hooks = (struct srv_seq_hooks){srv_witnesses_checkpointed, w};
	pnyx_buf_init(&w->latest, NOTE_MAX);
	pnyx_buf_init(&w->served, SERVED_MAX);
	for (size_t i = 0; i < w->policy.n; i++) {
		w->slots[i] = (struct slot){.w = w, .pw = &w->policy.w[i]};
		pnyx_buf_init(&w->slots[i].line, 4096);
	}
	pthread_mutex_lock(&w->mu);
	seed(w);
	pthread_mutex_unlock(&w->mu);
	for (size_t i = 0; i < w->policy.n && err == PNYX_OK; i++) {
		w->slots[i].started = pthread_create(&w->slots[i].thread, NULL,
						     slot_main, &w->slots[i]) == 0;
		if (!w->slots[i].started)
			err = pnyx_diag_set(diag, PNYX_ERR_NOMEM, "cannot start "
					    "the witness threads");
	}
	if (err != PNYX_OK) {
		srv_witnesses_stop(w);
		return err;
	}
	*out = w;
	return PNYX_OK;
}

void srv_witnesses_stop(struct srv_witnesses *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (size_t i = 0; i < w->policy.n; i++) {
		if (w->slots[i].started)
			pthread_join(w->slots[i].thread, NULL);
		pnyx_buf_clear(&w->slots[i].line);
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	pnyx_buf_clear(&w->latest);
	pnyx_buf_clear(&w->served);
	pnyx_free(w);
}

void srv_witnesses_checkpointed(void *arg, const uint8_t *cp, size_t n,
				uint64_t size)
{
	struct srv_witnesses *w = arg;
	pthread_mutex_lock(&w->mu);
	set_latest(w, cp, n, size);
	pthread_mutex_unlock(&w->mu);
}

pnyx_err srv_witnesses_checkpoint(struct srv_witnesses *w, pnyx_buf *out)
{
	pthread_mutex_lock(&w->mu);
	pnyx_err err = w->served.len == 0
			       ? PNYX_ERR_NOT_FOUND
			       : pnyx_buf_append(out, w->served.data, w->served.len);
	pthread_mutex_unlock(&w->mu);
	return err;
}

bool srv_witnesses_configure(struct srv_app *app, const struct srv_config *cfg)
{
	if (cfg->witnesses[0] == 0)
		return true;
	pnyx_diag diag = {{0}};
	pnyx_err err = srv_witnesses_start(app->log, cfg->witnesses,
					   cfg->witness_k, &app->witnesses, &diag);
	if (err != PNYX_OK)
		fprintf(stderr, "pnyx: cannot start submitting to the witnesses "
			"of %s: %s (%s)\n", cfg->witnesses, diag.msg,
			pnyx_err_name(err));
	return err == PNYX_OK;
}

const struct srv_seq_hooks *srv_witnesses_hooks(const struct srv_witnesses *w)
{
	return w != NULL ? &w->hooks : NULL;
}

void srv_witnesses_answer(struct srv_witnesses *w, struct srv_response *resp)
{
	pnyx_err err = srv_witnesses_checkpoint(w, &resp->body);
	if (err == PNYX_ERR_NOT_FOUND) {
		srv_problem(resp, "no-checkpoint", "no checkpoint has the "
			    "cosignatures of %zu witnesses yet", w->policy.k);
	} else if (err != PNYX_OK) {
		srv_problem_err(resp, err, NULL);
	} else {
		resp->status = 200;
		resp->content_type = "text/plain; charset=utf-8";
		resp->cache_control = "no-cache";
		resp->cacheable = true;
	}
}
