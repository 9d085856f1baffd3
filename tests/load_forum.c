/*
 * The forum of tests/load_gen.c (see load_forum.h): actors with derived
 * keys, signed actions, the setup, and logs written straight into a store.
 */
#include "load_forum.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "pnyx/action.h"
#include "pnyx/hash.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/note.h"
#include "pnyx/store.h"

void lf_die(const char *fmt, ...)
{
	va_list ap;
	fputs("load_gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

double lf_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void lf_member_code(size_t i, char out[4])
{
	out[0] = (char)('A' + i / 676);
	out[1] = (char)('A' + (i / 26) % 26);
	out[2] = (char)('A' + i % 26);
	out[3] = 0;
}

void lf_actor_init(actor *a, const char *id)
{
	char text[64];
	int n = snprintf(text, sizeof text, "pnyx load_gen/%s", id);
	pnyx_hash seed;
	pnyx_sha256(text, (size_t)n, &seed);
	memset(a, 0, sizeof *a);
	snprintf(a->id, sizeof a->id, "%s", id);
	snprintf(a->key.name, sizeof a->key.name, "load.pnyx/%s", id);
	if (crypto_sign_seed_keypair(a->key.pk, a->key.sk, seed.b) != 0)
		lf_die("crypto_sign_seed_keypair failed");
	a->key.hash = pnyx_key_hash(a->key.name, PNYX_KEY_ALG_ED25519, a->key.pk);
}

/* The verifier key text of a (new reference to a JSON string). */
static json_t *vkey_json(const actor *a)
{
	pnyx_verifier v;
	pnyx_signer_verifier(&a->key, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	if (pnyx_verifier_encode(&v, &b) != PNYX_OK)
		lf_die("cannot encode a verifier key");
	json_t *s = json_stringn((const char *)b.data, b.len);
	pnyx_buf_clear(&b);
	return s;
}

/* Signs body (stolen) as a's next action, into note (reset first). */
void lf_sign_action(actor *a, const char *type, json_t *body, pnyx_buf *note)
{
	if (body == NULL ||
	    json_object_set_new(body, "forum", json_string(FORUM)) != 0 ||
	    json_object_set_new(body, "actor", json_string(a->id)) != 0 ||
	    json_object_set_new(body, "type", json_string(type)) != 0 ||
	    json_object_set_new(body, "seq", json_integer((json_int_t)a->seq + 1)) != 0)
		lf_die("cannot build a %s action", type);
	pnyx_buf text;
	pnyx_buf_init(&text, BODY_MAX);
	if (pnyx_action_encode(body, &text) != PNYX_OK)
		lf_die("cannot encode a %s action", type);
	json_decref(body);
	pnyx_buf_reset(note);
	if (pnyx_note_sign(text.data, text.len, &a->key, 1, note) != PNYX_OK)
		lf_die("cannot sign a %s action", type);
	pnyx_buf_clear(&text);
}

/* ---- the forum ---- */

void lf_forum_init(forum *f, size_t n)
{
	if (n < 2 || n > MAX_MEMBERS)
		lf_die("MEMBERS must be 2 to %d", MAX_MEMBERS);
	f->n = n;
	f->members = calloc(n, sizeof *f->members);
	if (f->members == NULL)
		lf_die("out of memory");
	lf_actor_init(&f->secretariat, "secretariat");
	lf_actor_init(&f->chair, "chair.1");
	for (size_t i = 0; i < n; i++) {
		char code[4];
		lf_member_code(i, code);
		lf_actor_init(&f->members[i], code);
	}
}

static json_t *forum_create_body(const forum *f)
{
	json_t *list = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(list, json_pack("{s:s,s:o}", "code",
						      f->members[i].id, "key",
						      vkey_json(&f->members[i])));
	return json_pack(
		"{s:s,s:[s,s],s:{s:s,s:s,s:i,s:[s,s,s],s:i,s:i,s:b},s:o,"
		"s:[{s:s,s:o,s:s}],s:o}",
		"title", "Load test forum", "languages", "en", "fr", "rules",
		"important_majority", "two-thirds", "majority", "simple",
		"objection_window_hours", 336, "procedures", "consensus", "silence",
		"vote", "quorum_percent", 50, "silence_min_hours", 72,
		"vote_on_request", 1, "secretariat_key", vkey_json(&f->secretariat),
		"chairs", "id", f->chair.id, "key", vkey_json(&f->chair), "name",
		"The Chair", "members", list);
}

/* A document of three paragraphs (one a norm) and a consensus decision on
 * it, joined by the members from..n-1; the first three explain. */
static void emit_decision(forum *f, sink *k, const char *doc,
			  const char *decision, size_t from)
{
	k->emit(k, &f->secretariat, "document.create", json_pack(
		"{s:s,s:{s:s},s:[{s:s,s:{s:s}},{s:s,s:b,s:{s:s}},{s:s,s:{s:s}}]}",
		"id", doc, "title", "en", "Draft report under load", "paragraphs",
		"id", "p1", "text", "en", "The Group met under load.", "id", "p2",
		"norm", 1, "text", "en", "States should keep their records "
		"verifiable.", "id", "p3", "text", "en", "The Group welcomes "
		"the capacity-building portal."));
	k->emit(k, &f->chair, "decision.open", json_pack(
		"{s:s,s:s,s:s,s:i,s:{s:s}}", "id", decision, "procedure",
		"consensus", "document", doc, "revision", 1, "title", "en",
		"Adoption of the report under load"));
	for (size_t i = from; i < f->n; i++)
		k->emit(k, &f->members[i], "consensus.join",
			json_pack("{s:s}", "decision", decision));
	for (size_t i = from; i < from + 3 && i < f->n; i++)
		k->emit(k, &f->members[i], "position.explain", json_pack(
			"{s:s,s:s,s:{s:s,s:s}}", "decision", decision, "when",
			"before", "text", "en", "We join on the understanding "
			"that paragraph p2 is without prejudice.", "fr",
			"Nous nous joignons au consensus sans préjudice du "
			"paragraphe p2."));
}

/* forum.create, load-doc and load-decision joined by the upper half. */
void lf_emit_setup(forum *f, sink *k)
{
	k->emit(k, &f->secretariat, "forum.create", forum_create_body(f));
	emit_decision(f, k, DOC, DECISION, f->n / 2);
}

/* ---- fill: a forum log written straight into a store ---- */

#define FILL_BATCH 1000
#define FILL_T0 UINT64_C(1767258000000) /* 2026-01-01 09:00:00 UTC */

typedef struct store_sink {
	sink k;
	pnyx_log *log;
	uint64_t t, want, total;
	pnyx_buf note, leaves;
	size_t off[FILL_BATCH + 1];
	size_t nbatch;
} store_sink;

/* Appends the leaves of the batch in one transaction. */
static void flush(store_sink *s)
{
	pnyx_entry e[FILL_BATCH];
	for (size_t i = 0; i < s->nbatch; i++)
		e[i] = (pnyx_entry){s->leaves.data + s->off[i],
				    s->off[i + 1] - s->off[i]};
	pnyx_diag diag = {{0}};
	if (s->nbatch > 0 && pnyx_log_append(s->log, e, s->nbatch, NULL, &diag) != PNYX_OK)
		lf_die("cannot append: %s", diag.msg);
	pnyx_buf_reset(&s->leaves);
	s->nbatch = 0;
}

/* Signs the action into a leaf one second after the previous one; drops
 * it once the log has the number of leaves wanted. */
static void store_emit(sink *k, actor *a, const char *type, json_t *body)
{
	store_sink *s = (store_sink *)k;
	if (s->total == s->want) {
		json_decref(body);
		return;
	}
	lf_sign_action(a, type, body, &s->note);
	s->off[s->nbatch] = s->leaves.len;
	if (pnyx_leaf_encode(s->t, s->note.data, s->note.len, &s->leaves) != PNYX_OK)
		lf_die("cannot encode a leaf");
	s->off[++s->nbatch] = s->leaves.len;
	a->seq++;
	s->t += 1000;
	s->total++;
	if (s->nbatch == FILL_BATCH)
		flush(s);
}

/* Cycles of a forum's work: a document, a consensus decision every member
 * joins (three explain), ten members' written input, the close. */
static void emit_cycles(forum *f, store_sink *s)
{
	for (uint64_t c = 0; s->total < s->want; c++) {
		char doc[32], dec[32], text[96];
		snprintf(doc, sizeof doc, "doc-%llu", (unsigned long long)c);
		snprintf(dec, sizeof dec, "adopt-%llu", (unsigned long long)c);
		emit_decision(f, &s->k, doc, dec, 0);
		for (size_t i = 0; i < 10; i++) {
			actor *m = &f->members[(c * 10 + i) % f->n];
			snprintf(text, sizeof text, "Input of %s on %s.", m->id, doc);
			s->k.emit(&s->k, m, "input.submit", json_pack(
				"{s:s,s:s,s:{s:s}}", "document", doc, "paragraph",
				"p1", "text", "en", text));
		}
		s->k.emit(&s->k, &f->chair, "decision.close",
			  json_pack("{s:s}", "decision", dec));
	}
}

/* Writes DIR/log.key (the log's key, derived as the actors' are). */
static void write_log_key(const char *dir, const actor *log_key)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/log.key", dir);
	FILE *f = fopen(path, "wx");
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	if (f == NULL || pnyx_signer_encode(&log_key->key, &b) != PNYX_OK ||
	    fwrite(b.data, 1, b.len, f) != b.len || fputc('\n', f) == EOF ||
	    fclose(f) != 0)
		lf_die("cannot write %s", path);
	pnyx_buf_clear(&b);
}

int lf_fill(const char *dir, uint64_t want, size_t n)
{
	forum f;
	lf_forum_init(&f, n);
	actor log_key;
	lf_actor_init(&log_key, "log");
	write_log_key(dir, &log_key);
	char path[4096];
	snprintf(path, sizeof path, "%s/forum.db", dir);
	pnyx_verifier vk;
	pnyx_signer_verifier(&log_key.key, &vk);
	store_sink s = {.k = {store_emit}, .t = FILL_T0, .want = want};
	pnyx_diag diag = {{0}};
	pnyx_store *store = NULL;
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_create(store, &vk, &s.log, &diag);
	if (err != PNYX_OK)
		lf_die("cannot create %s: %s", path, diag.msg);
	pnyx_buf_init(&s.note, BODY_MAX);
	pnyx_buf_init(&s.leaves, (FILL_BATCH + 1) * PNYX_ENTRY_MAX);
	double t0 = lf_now();
	lf_emit_setup(&f, &s.k);
	emit_cycles(&f, &s);
	flush(&s);
	printf("leaves %llu\nseconds %.2f\n", (unsigned long long)s.total,
	       lf_now() - t0);
	pnyx_log_close(s.log);
	pnyx_buf_clear(&s.note);
	pnyx_buf_clear(&s.leaves);
	free(f.members);
	return 0;
}
