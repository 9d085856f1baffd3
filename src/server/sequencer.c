/* The sequencer of `pnyx serve`: engine state, batches, group commit,
 * checkpoints and receipts (see sequencer.h). */
#include "sequencer.h"

#include "actor_index.h"
#include "seq_metrics.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"
#include "pnyx/receipt.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

/* One submitted action: on the submitter's stack (srv_sequencer_submit),
 * or allocated and freed here (srv_sequencer_post: on_done set). */
struct seq_req {
	const uint8_t *note;
	size_t n;
	struct seq_req *next;
	bool done;
	bool accepted;           /* in the batch: applied, to be committed */
	char keys[2][PNYX_ID_MAX + 1]; /* its index keys, once accepted */
	size_t nkeys;
	pnyx_buf leaf;
	struct srv_seq_result *out;
	void (*on_done)(void *arg);
	void *arg;
};

struct srv_sequencer {
	struct srv_logview *lv;
	pnyx_signer key;
	uint64_t cp_interval_ms;
	struct srv_rules rules;
	struct srv_seq_hooks hooks;
	/* the state, under state_lock */
	pthread_rwlock_t state_lock;
	void *st;
	struct srv_actor_index *ix; /* committed leaves by actor */
	uint64_t last_time;      /* time of the last committed leaf */
	/* the sequencer thread's own (no lock) */
	struct timespec cp_at;   /* when the last checkpoint was signed */
	uint64_t cp_size;        /* its tree size */
	uint64_t size;           /* entries committed */
	bool broken;             /* the state could not be rebuilt */
	pnyx_buf cp_text;        /* a checkpoint the hooks have not seen */
	struct seq_req *batch[SRV_SEQ_BATCH_MAX];
	pnyx_entry entries[SRV_SEQ_BATCH_MAX];
	/* the queue, under mu */
	pthread_mutex_t mu;
	pthread_cond_t work;     /* a request is queued, or stop */
	pthread_cond_t done;     /* a batch is finished */
	struct seq_req *head, *tail;
	bool stopping;
	bool cp_wanted;          /* srv_sequencer_checkpoint asks for one */
	uint64_t cp_rounds;      /* such requests answered so far */
	bool cp_ok;              /* the last one's result */
	pthread_t thread;
	struct seq_metrics m;
};

static uint64_t wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static uint64_t elapsed_us(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t us = (int64_t)(now.tv_sec - since->tv_sec) * 1000000 +
		     (int64_t)(now.tv_nsec - since->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 0;
}

/* ---- the forum's rules ---- */

static pnyx_err forum_state_new(void *ctx, void **out)
{
	(void)ctx;
	pnyx_state *st;
	pnyx_err err = pnyx_state_new(&st);
	*out = err == PNYX_OK ? st : NULL;
	return err;
}

static void forum_state_free(void *st)
{
	pnyx_state_free(st);
}

static pnyx_rule forum_apply(void *ctx, void *st, const uint8_t *leaf,
			     size_t n, pnyx_engine_mode mode, pnyx_verdict *v)
{
	(void)ctx;
	return pnyx_engine_apply(st, leaf, n, mode, v);
}

static size_t forum_index_keys(const void *st, char keys[2][PNYX_ID_MAX + 1])
{
	snprintf(keys[0], sizeof keys[0], "%s", pnyx_state_last_actor(st));
	return 1;
}

const struct srv_rules srv_forum_rules = {
	.what = "the forum's log",
	.state_new = forum_state_new,
	.state_free = forum_state_free,
	.apply = forum_apply,
	.index_keys = forum_index_keys,
};

/* Adds the leaf at index, just accepted into st, to ix. */
static pnyx_err index_leaf(const struct srv_rules *rules, const void *st,
			   struct srv_actor_index *ix, uint64_t index)
{
	char keys[2][PNYX_ID_MAX + 1];
	size_t n = rules->index_keys(st, keys);
	const char *k[2] = {keys[0], keys[1]};
	return srv_actor_index_add_keys(ix, index, k, n);
}

/* ---- replay ---- */

/* One replay in progress: what each entry is applied to (pnyx_log_scan). */
struct replay_run {
	const struct srv_rules *rules;
	void *st;
	struct srv_actor_index *ix; /* NULL: none */
	uint64_t next; /* the entry to read next */
	uint64_t last_time;
	pnyx_diag *diag;
};

/* Applies entry i of the log (pnyx_entry_fn); says why in diag when not. */
static pnyx_err replay_entry(void *ctx, uint64_t i, const uint8_t *p,
			     size_t n)
{
	struct replay_run *r = ctx;
	r->next = i + 1;
	pnyx_verdict v = {.code = PNYX_RULE_OK};
	pnyx_rule rule = r->rules->apply(r->rules->ctx, r->st, p, n,
					 PNYX_ENGINE_TRUST_SIGNATURES, &v);
	pnyx_leaf leaf;
	pnyx_err err = PNYX_OK;
	if (rule == PNYX_RULE_OK &&
	    pnyx_leaf_parse(p, n, &leaf, NULL) == PNYX_OK) {
		r->last_time = leaf.time_ms;
		if (r->ix != NULL &&
		    (err = index_leaf(r->rules, r->st, r->ix, i)) != PNYX_OK)
			pnyx_diag_set(r->diag, err, "cannot index entry %llu",
				      (unsigned long long)i);
	} else if (rule == PNYX_RULE_NOMEM) {
		err = pnyx_diag_set(r->diag, PNYX_ERR_NOMEM, "out of memory");
	} else {
		err = pnyx_diag_set(r->diag, PNYX_ERR_CORRUPT,
				    "entry %llu of the log is refused by the "
				    "rules: %s: %s", (unsigned long long)i,
				    pnyx_rule_name(rule), v.msg);
	}
	return err;
}

/* A new state holding every entry of log, applied trusting the
 * signatures, read in one pass (pnyx_log_scan: one read transaction);
 * *last_time receives the last leaf's time (0 if none); ix (NULL: none)
 * receives every entry too. PNYX_ERR_CORRUPT names the entry the rules
 * refuse. */
static pnyx_err replay(const struct srv_rules *rules, pnyx_log *log,
		       void **out, uint64_t *last_time,
		       struct srv_actor_index *ix, pnyx_diag *diag)
{
	pnyx_diag said = {{0}}; /* why replay_entry stopped, if it did */
	struct replay_run r = {.rules = rules, .ix = ix, .diag = &said};
	pnyx_err err = rules->state_new(rules->ctx, &r.st);
	if (err != PNYX_OK) {
		pnyx_diag_set(diag, err, "cannot create the state");
		return err;
	}
	err = pnyx_log_scan(log, 0, pnyx_log_size(log), replay_entry, &r);
	if (err != PNYX_OK) {
		if (said.msg[0] != '\0')
			pnyx_diag_set(diag, err, "%s", said.msg);
		else
			pnyx_diag_set(diag, err, "cannot read entry %llu of "
				      "the log: %s", (unsigned long long)r.next,
				      pnyx_err_text(err));
		rules->state_free(r.st);
		return err;
	}
	*out = r.st;
	*last_time = r.last_time;
	return PNYX_OK;
}

/* Replaces s->st by a state rebuilt from the log (held). On failure the
 * old state stays, which is wrong: the server can only stop. */
static bool rebuild(struct srv_sequencer *s, pnyx_log *log)
{
	pnyx_diag diag = {{0}};
	void *st;
	uint64_t t;
	if (replay(&s->rules, log, &st, &t, NULL, &diag) != PNYX_OK) {
		fprintf(stderr, "pnyx: cannot rebuild the state of %s: %s\n",
			s->rules.what, diag.msg);
		return false;
	}
	s->rules.state_free(s->st);
	s->st = st;
	s->last_time = t;
	return true;
}

/* ---- checkpoints ---- */

/* Signs a checkpoint of the log (held) if it has entries the last one
 * does not cover. False if it could not. */
static bool sign_checkpoint(struct srv_sequencer *s, pnyx_log *log)
{
	if (pnyx_log_size(log) == s->cp_size)
		return true;
	pnyx_buf cp;
	pnyx_buf_init(&cp, 65536);
	pnyx_diag diag = {{0}};
	bool ok = pnyx_log_checkpoint(log, &s->key, &cp, &diag) == PNYX_OK;
	if (ok) {
		s->cp_size = pnyx_log_size(log);
		clock_gettime(CLOCK_MONOTONIC, &s->cp_at);
		if (s->hooks.checkpointed != NULL) {
			pnyx_buf_reset(&s->cp_text);
			pnyx_buf_append(&s->cp_text, cp.data, cp.len);
		}
	} else {
		fprintf(stderr, "pnyx: cannot sign a checkpoint: %s\n", diag.msg);
	}
	pnyx_buf_clear(&cp);
	return ok;
}

/* Shows the hooks the checkpoint signed last, if they have not seen it
 * (sequencer thread, no lock held). */
static void run_hooks(struct srv_sequencer *s)
{
	if (s->cp_text.len == 0)
		return;
	s->hooks.checkpointed(s->hooks.arg, s->cp_text.data, s->cp_text.len,
			      s->cp_size);
	pnyx_buf_reset(&s->cp_text);
}

static bool checkpoint_due(const struct srv_sequencer *s)
{
	return elapsed_us(&s->cp_at) >= s->cp_interval_ms * 1000u;
}

/* ---- one batch ---- */

static void fail(struct seq_req *r, const char *problem, const char *detail)
{
	r->accepted = false;
	r->out->outcome = SRV_SEQ_FAILED;
	r->out->problem = problem;
	snprintf(r->out->detail, sizeof r->out->detail, "%s", detail);
}

/* Encodes r's leaf at time t and applies it to the state. Returns false
 * if the state must be discarded (out of memory). */
static bool check_one(struct srv_sequencer *s, struct seq_req *r, uint64_t t)
{
	if (pnyx_leaf_encode(t, r->note, r->n, &r->leaf) != PNYX_OK) {
		fail(r, r->leaf.err == PNYX_ERR_NOMEM ? "out-of-memory" : "too-large",
		     r->leaf.err == PNYX_ERR_NOMEM
			     ? "cannot hold the leaf"
			     : "the action does not fit in a log entry");
		return true;
	}
	pnyx_verdict *v = &r->out->v;
	pnyx_rule rule = s->rules.apply(s->rules.ctx, s->st, r->leaf.data,
					r->leaf.len, PNYX_ENGINE_CHECK_SIGNATURES, v);
	if (rule == PNYX_RULE_NOMEM)
		return false;
	r->accepted = rule == PNYX_RULE_OK;
	if (r->accepted)
		r->nkeys = s->rules.index_keys(s->st, r->keys);
	if (!r->accepted) {
		v->code = rule;
		r->out->outcome = SRV_SEQ_REFUSED;
		atomic_fetch_add_explicit(&s->m.refused[rule], 1,
					  memory_order_relaxed);
	}
	return true;
}

/* Answers every request of the batch with a problem (after a failed
 * commit or an allocation failure midway). */
static void fail_all(struct srv_sequencer *s, size_t n, const char *problem,
		     const char *detail)
{
	for (size_t i = 0; i < n; i++)
		fail(s->batch[i], problem, detail);
	atomic_fetch_add_explicit(&s->m.failed, n, memory_order_relaxed);
}

/* Appends the accepted leaves (k of them) in one transaction. */
static pnyx_err commit(struct srv_sequencer *s, pnyx_log *log, size_t n,
		       size_t k, uint64_t t)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (s->batch[i]->accepted)
			s->entries[j++] = (pnyx_entry){s->batch[i]->leaf.data,
						       s->batch[i]->leaf.len};
	assert(j == k);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t first = 0;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_log_append(log, s->entries, k, &first, &diag);
	uint64_t us = elapsed_us(&t0);
	seq_metrics_append(&s->m, us);
	if (err != PNYX_OK) {
		fprintf(stderr, "pnyx: cannot append %zu entries: %s\n", k, diag.msg);
		return err;
	}
	s->last_time = t;
	s->size = pnyx_log_size(log);
	for (size_t i = 0; i < n; i++) {
		struct seq_req *r = s->batch[i];
		if (!r->accepted)
			continue;
		r->out->outcome = SRV_SEQ_ACCEPTED;
		r->out->index = first++;
		r->out->time_ms = t;
		/* a failure marks the index broken (it answers 503) */
		const char *keys[2] = {r->keys[0], r->keys[1]};
		srv_actor_index_add_keys(s->ix, r->out->index, keys, r->nkeys);
	}
	atomic_fetch_add_explicit(&s->m.accepted, k, memory_order_relaxed);
	return PNYX_OK;
}

/* Checks and commits the n requests of s->batch under the state's write
 * lock and the log's mutex. False if the state could not be rebuilt. */
static bool run_batch(struct srv_sequencer *s, size_t n)
{
	pthread_rwlock_wrlock(&s->state_lock);
	pnyx_log *log = srv_logview_lock(s->lv);
	uint64_t now = wall_ms();
	uint64_t t = now > s->last_time ? now : s->last_time;
	size_t k = 0;
	bool state_ok = true;
	for (size_t i = 0; i < n && state_ok; i++) {
		state_ok = check_one(s, s->batch[i], t);
		k += s->batch[i]->accepted ? 1u : 0u;
	}
	bool sane = true;
	if (!state_ok) {
		fail_all(s, n, "out-of-memory", "the server ran out of memory");
		sane = rebuild(s, log);
	} else if (k > 0 && commit(s, log, n, k, t) != PNYX_OK) {
		fail_all(s, n, "unavailable", "the log could not be written; "
			 "nothing was appended");
		sane = rebuild(s, log);
	}
	if (checkpoint_due(s))
		sign_checkpoint(s, log);
	srv_logview_unlock(s->lv);
	pthread_rwlock_unlock(&s->state_lock);
	seq_metrics_batch(&s->m, n);
	return sane;
}

/* Signs the receipt of the accepted result o, whose leaf is leaf. */
static void sign_receipt(const struct srv_sequencer *s,
			 struct srv_seq_result *o, const pnyx_buf *leaf)
{
	pnyx_receipt rc;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_receipt_from_leaf(s->key.name, o->index, leaf->data,
					      leaf->len, &rc, &diag);
	if (err == PNYX_OK)
		err = pnyx_receipt_sign(&rc, &s->key, &o->receipt, &diag);
	if (err == PNYX_OK)
		o->leaf_hash = rc.leaf_hash;
	else
		fprintf(stderr, "pnyx: cannot sign the receipt of entry %llu: %s\n",
			(unsigned long long)o->index, diag.msg);
}

/* Signs the receipts of the accepted requests that wait (after the
 * commit, outside the locks); posted ones sign theirs in their own
 * thread (srv_sequencer_sign_receipt). */
static void sign_receipts(struct srv_sequencer *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct seq_req *r = s->batch[i];
		if (r->out->outcome == SRV_SEQ_ACCEPTED && r->on_done == NULL)
			sign_receipt(s, r->out, &r->leaf);
	}
}

void srv_sequencer_sign_receipt(const struct srv_sequencer *s,
				struct srv_seq_result *out)
{
	if (out->outcome == SRV_SEQ_ACCEPTED)
		sign_receipt(s, out, &out->leaf);
	pnyx_buf_clear(&out->leaf);
}

/* ---- the thread ---- */

/* Takes up to SRV_SEQ_BATCH_MAX queued requests (mu held). */
static size_t take_batch(struct srv_sequencer *s)
{
	size_t n = 0;
	while (s->head != NULL && n < SRV_SEQ_BATCH_MAX) {
		s->batch[n++] = s->head;
		s->head = s->head->next;
	}
	if (s->head == NULL)
		s->tail = NULL;
	return n;
}

/* Waits (mu held) for work, or until a pending checkpoint is due. */
static void wait_for_work(struct srv_sequencer *s)
{
	if (s->cp_size == s->size) {
		pthread_cond_wait(&s->work, &s->mu);
		return;
	}
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	uint64_t wait_us = s->cp_interval_ms * 1000u;
	uint64_t gone = elapsed_us(&s->cp_at);
	wait_us = gone < wait_us ? wait_us - gone : 0;
	at.tv_sec += (time_t)(wait_us / 1000000u);
	at.tv_nsec += (long)(wait_us % 1000000u) * 1000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	if (pthread_cond_timedwait(&s->work, &s->mu, &at) == ETIMEDOUT &&
	    s->head == NULL) {
		pthread_mutex_unlock(&s->mu);
		pnyx_log *log = srv_logview_lock(s->lv);
		(void)sign_checkpoint(s, log);
		srv_logview_unlock(s->lv);
		run_hooks(s);
		pthread_mutex_lock(&s->mu);
	}
}

/* Answers srv_sequencer_checkpoint (mu held; released while signing). */
static void checkpoint_on_demand(struct srv_sequencer *s)
{
	s->cp_wanted = false;
	pthread_mutex_unlock(&s->mu);
	pnyx_log *log = srv_logview_lock(s->lv);
	bool ok = !s->broken && sign_checkpoint(s, log);
	srv_logview_unlock(s->lv);
	run_hooks(s);
	pthread_mutex_lock(&s->mu);
	s->cp_ok = ok;
	s->cp_rounds++;
	pthread_cond_broadcast(&s->done);
}

/* Answers a request of srv_sequencer_post (its leaf moves to the result)
 * and frees it. */
static void finish_posted(struct seq_req *r)
{
	void (*on_done)(void *) = r->on_done;
	void *arg = r->arg;
	r->out->leaf = r->leaf;
	pnyx_free(r);
	on_done(arg);
}

static void *sequencer_main(void *arg)
{
	struct srv_sequencer *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->head == NULL && s->stopping)
			break;
		if (s->cp_wanted) {
			checkpoint_on_demand(s);
			continue;
		}
		if (s->head == NULL) {
			wait_for_work(s);
			continue;
		}
		size_t n = take_batch(s);
		pthread_mutex_unlock(&s->mu);
		if (s->broken) {
			fail_all(s, n, "unavailable", "the server's state is "
				 "broken; it must be restarted");
		} else if (!run_batch(s, n)) {
			fputs("pnyx: the state cannot be rebuilt; refusing "
			      "every further action\n", stderr);
			s->broken = true;
		} else {
			sign_receipts(s, n);
		}
		run_hooks(s);
		for (size_t i = 0; i < n; i++)
			if (s->batch[i]->on_done != NULL) {
				finish_posted(s->batch[i]);
				s->batch[i] = NULL;
			}
		pthread_mutex_lock(&s->mu);
		for (size_t i = 0; i < n; i++)
			if (s->batch[i] != NULL)
				s->batch[i]->done = true;
		pthread_cond_broadcast(&s->done);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Queues r (mu held); false, with r->out failed, once stopping. */
static bool enqueue(struct srv_sequencer *s, struct seq_req *r)
{
	if (s->stopping) {
		r->out->outcome = SRV_SEQ_FAILED;
		r->out->problem = "unavailable";
		snprintf(r->out->detail, sizeof r->out->detail,
			 "the sequencer is not running");
		return false;
	}
	if (s->tail != NULL)
		s->tail->next = r;
	else
		s->head = r;
	s->tail = r;
	pthread_cond_signal(&s->work);
	return true;
}

void srv_sequencer_submit(struct srv_sequencer *s, const uint8_t *note,
			  size_t n, struct srv_seq_result *out)
{
	memset(out, 0, sizeof *out);
	pnyx_buf_init(&out->receipt, PNYX_RECEIPT_MAX);
	struct seq_req r = {.note = note, .n = n, .out = out};
	pnyx_buf_init(&r.leaf, PNYX_ENTRY_MAX);
	pthread_mutex_lock(&s->mu);
	if (enqueue(s, &r))
		while (!r.done)
			pthread_cond_wait(&s->done, &s->mu);
	pthread_mutex_unlock(&s->mu);
	pnyx_buf_clear(&r.leaf);
}

bool srv_sequencer_post(struct srv_sequencer *s, const uint8_t *note,
			size_t n, struct srv_seq_result *out,
			void (*on_done)(void *arg), void *arg)
{
	assert(on_done != NULL);
	memset(out, 0, sizeof *out);
	pnyx_buf_init(&out->receipt, PNYX_RECEIPT_MAX);
	pnyx_buf_init(&out->leaf, PNYX_ENTRY_MAX);
	struct seq_req *r = pnyx_malloc(sizeof *r);
	if (r == NULL) {
		out->outcome = SRV_SEQ_FAILED;
		out->problem = "out-of-memory";
		snprintf(out->detail, sizeof out->detail, "cannot queue the action");
		return false;
	}
	*r = (struct seq_req){.note = note, .n = n, .out = out,
			      .on_done = on_done, .arg = arg};
	pnyx_buf_init(&r->leaf, PNYX_ENTRY_MAX);
	pthread_mutex_lock(&s->mu);
	bool queued = enqueue(s, r);
	pthread_mutex_unlock(&s->mu);
	if (!queued)
		pnyx_free(r);
	return queued;
}

/* ---- start and stop ---- */

/* True if key is the log's key. */
static bool is_log_key(pnyx_log *log, const pnyx_signer *key)
{
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	const pnyx_verifier *lk = pnyx_log_key(log);
	return strcmp(v.name, lk->name) == 0 && v.hash == lk->hash &&
	       v.alg == lk->alg && memcmp(v.pk, lk->pk, sizeof v.pk) == 0;
}

/* Builds the state and the checkpoint bookkeeping (log held). */
static pnyx_err load(struct srv_sequencer *s, pnyx_log *log, pnyx_diag *diag)
{
	if (!is_log_key(log, &s->key))
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the key is not the log's key (the log's "
				     "is %s)", pnyx_log_key(log)->name);
	pnyx_err err = srv_actor_index_new(&s->ix);
	if (err != PNYX_OK)
		return pnyx_diag_set(diag, err, "out of memory");
	err = replay(&s->rules, log, &s->st, &s->last_time, s->ix, diag);
	if (err != PNYX_OK)
		return err;
	s->size = pnyx_log_size(log);
	s->cp_size = s->size;
	clock_gettime(CLOCK_MONOTONIC, &s->cp_at);
	return PNYX_OK;
}

/* Creates the locks and the thread. */
static pnyx_err start_thread(struct srv_sequencer *s, pnyx_diag *diag)
{
	pthread_condattr_t ca;
	bool ok = pthread_condattr_init(&ca) == 0;
	ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0;
	ok = ok && pthread_cond_init(&s->work, &ca) == 0;
	ok = ok && pthread_cond_init(&s->done, NULL) == 0;
	ok = ok && pthread_mutex_init(&s->mu, NULL) == 0;
	ok = ok && pthread_rwlock_init(&s->state_lock, NULL) == 0;
	ok = ok && pthread_create(&s->thread, NULL, sequencer_main, s) == 0;
	pthread_condattr_destroy(&ca);
	if (!ok)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM,
				     "cannot start the sequencer thread");
	return PNYX_OK;
}

pnyx_err srv_sequencer_start(struct srv_logview *lv, const pnyx_signer *key,
			     uint64_t cp_interval_ms,
			     struct srv_sequencer **out, pnyx_diag *diag)
{
	return srv_sequencer_start_rules(lv, key, cp_interval_ms,
					 &srv_forum_rules, NULL, out, diag);
}

pnyx_err srv_sequencer_start_rules(struct srv_logview *lv,
				   const pnyx_signer *key,
				   uint64_t cp_interval_ms,
				   const struct srv_rules *rules,
				   const struct srv_seq_hooks *hooks,
				   struct srv_sequencer **out, pnyx_diag *diag)
{
	assert(lv != NULL && key != NULL && rules != NULL && out != NULL);
	struct srv_sequencer *s = pnyx_calloc(1, sizeof *s);
	if (s == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_NOMEM, "out of memory");
	s->lv = lv;
	s->key = *key;
	s->cp_interval_ms = cp_interval_ms;
	s->rules = *rules;
	if (hooks != NULL)
		s->hooks = *hooks;
	pnyx_buf_init(&s->cp_text, 65536);
	seq_metrics_init(&s->m);
	struct srv_log_stats stats;
	pnyx_err err = srv_logview_stats(lv, &stats);
	if (err != PNYX_OK)
		pnyx_diag_set(diag, err, "cannot read the log");
	pnyx_log *log = srv_logview_lock(lv);
	if (err == PNYX_OK)
		err = load(s, log, diag);
	if (err == PNYX_OK) {
		s->cp_size = stats.has_checkpoint ? stats.checkpoint_size : 0;
		sign_checkpoint(s, log);
		if (s->cp_size != s->size)
			err = pnyx_diag_set(diag, PNYX_ERR_STORAGE,
					    "cannot sign a checkpoint");
	}
	srv_logview_unlock(lv);
	if (err == PNYX_OK)
		err = start_thread(s, diag);
	if (err != PNYX_OK) {
		if (s->st != NULL)
			s->rules.state_free(s->st);
		srv_actor_index_free(s->ix);
		pnyx_buf_clear(&s->cp_text);
		sodium_memzero(&s->key, sizeof s->key);
		pnyx_free(s);
		return err;
	}
	/* the logview notes the checkpoint it did not sign itself; a failure
	 * here only delays that */
	err = srv_logview_checkpoint(lv, NULL);
	if (err != PNYX_OK && err != PNYX_ERR_NOT_FOUND)
		fputs("pnyx: cannot read back the checkpoint\n", stderr);
	*out = s;
	return PNYX_OK;
}

void srv_sequencer_stop(struct srv_sequencer *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_signal(&s->work);
	pthread_cond_broadcast(&s->done);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	if (!s->broken) {
		/* every committed entry leaves covered by a checkpoint */
		pnyx_log *log = srv_logview_lock(s->lv);
		(void)sign_checkpoint(s, log);
		srv_logview_unlock(s->lv);
	}
	pthread_rwlock_destroy(&s->state_lock);
	pthread_cond_destroy(&s->work);
	pthread_cond_destroy(&s->done);
	pthread_mutex_destroy(&s->mu);
	s->rules.state_free(s->st);
	srv_actor_index_free(s->ix);
	pnyx_buf_clear(&s->cp_text);
	pnyx_signer_clear(&s->key);
	pnyx_free(s);
}

pnyx_err srv_sequencer_checkpoint(struct srv_sequencer *s)
{
	pthread_mutex_lock(&s->mu);
	uint64_t round = s->cp_rounds;
	if (!s->stopping) {
		s->cp_wanted = true;
		pthread_cond_signal(&s->work);
	}
	while (s->cp_rounds == round && !s->stopping)
		pthread_cond_wait(&s->done, &s->mu);
	pnyx_err err = s->cp_rounds != round && s->cp_ok ? PNYX_OK : PNYX_ERR_STORAGE;
	pthread_mutex_unlock(&s->mu);
	return err;
}

const void *srv_sequencer_lock_any(struct srv_sequencer *s)
{
	int rc = pthread_rwlock_rdlock(&s->state_lock);
	assert(rc == 0);
	(void)rc;
	return s->st;
}

const pnyx_state *srv_sequencer_lock_state(struct srv_sequencer *s)
{
	assert(s->rules.apply == srv_forum_rules.apply);
	return srv_sequencer_lock_any(s);
}

void srv_sequencer_unlock_state(struct srv_sequencer *s)
{
	pthread_rwlock_unlock(&s->state_lock);
}

const struct srv_actor_index *srv_sequencer_actor_index(
	const struct srv_sequencer *s)
{
	return s->ix;
}

/* ---- metrics ---- */

pnyx_err srv_sequencer_metrics(struct srv_sequencer *s, const char *prefix,
			       pnyx_buf *out)
{
	return seq_metrics_render(&s->m, prefix, out);
}
