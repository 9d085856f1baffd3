/*
 * Fuzz target for the cooperation engine (pnyx/coop.h).
 *
 * A fixed public forum is built once: forum.create with the members below
 * and cooperation.open, every key derived from a fixed seed (the Ed25519
 * seed of actor id is SHA-256("pnyx fuzz_coop/" id), its key name
 * "pnyx.test/" id). The input is one cooperation leaf, or several
 * separated by the line "~~~ next leaf ~~~\n" (at most MAX_PIECES). Each is
 * applied with pnyx_coop_apply against that forum to two states, one
 * checking signatures and one trusting them. Neither may crash; a refusal
 * gives a reason and leaves the digest and the leaf count unchanged; what
 * the checking state accepts, the trusting one accepts with the same
 * digest; an accepted leaf's audience names every member or two distinct
 * members. At the end the leaves each state accepted are replayed into a
 * fresh state, which must reach the same digest, and the published figures
 * are built.
 *
 * fuzz_coop_write_seeds (run by fuzz/coop_seeds) writes the seeds of
 * fuzz/corpus/coop/ signed with these keys.
 */
#include "fuzz_support.h"

#include "pnyx/action.h"
#include "pnyx/coop.h"
#include "pnyx/engine.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED "pnyx fuzz_coop"
#define T0 UINT64_C(1767258000000)
#define MAX_PIECES 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int fuzz_coop_write_seeds(const char *dir);


static const char *const members[] = {"CHN", "FRA", "KEN", "USA"};
#define NMEMBERS (sizeof members / sizeof *members)

/* ---- keys and leaves ---- */



/* The leaf of body (stolen) signed by signer's key at time t, in *leaf
 * (initialised here). */
static void sign_leaf(const char *signer, json_t *body, uint64_t t, pnyx_buf *leaf)
{
	CHECK(body != NULL);
	pnyx_buf text, note;
	pnyx_buf_init(&text, PNYX_COOP_NOTE_MAX);
	pnyx_buf_init(&note, PNYX_COOP_NOTE_MAX);
	pnyx_buf_init(leaf, PNYX_COOP_NOTE_MAX);
	CHECK(pnyx_action_encode(body, &text) == PNYX_OK);
	json_decref(body);
	pnyx_signer s;
	fuzz_seeded_signer(SEED, signer, &s);
	CHECK(pnyx_note_sign(text.data, text.len, &s, 1, &note) == PNYX_OK);
	pnyx_signer_clear(&s);
	CHECK(pnyx_leaf_encode(t, note.data, note.len, leaf) == PNYX_OK);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
}

static void apply_public(pnyx_state *st, json_t *body, uint64_t t)
{
	pnyx_buf leaf;
	sign_leaf("secretariat", body, t, &leaf);
	CHECK(pnyx_engine_apply(st, leaf.data, leaf.len, PNYX_ENGINE_CHECK_SIGNATURES,
				NULL) == PNYX_RULE_OK);
	pnyx_buf_clear(&leaf);
}

/* The public forum, built at the first call (one-time initialisation). */
static const pnyx_state *forum(void)
{
	static pnyx_state *st;
	if (st != NULL)
		return st;
	json_t *list = json_array();
	for (size_t i = 0; i < NMEMBERS; i++)
		CHECK(json_array_append_new(list, json_pack("{s:s,s:o}", "code", members[i],
							    "key", fuzz_vkey(SEED, members[i]))) == 0);
	CHECK(pnyx_state_new(&st) == PNYX_OK);
	apply_public(st, json_pack("{s:s,s:s,s:i,s:s,s:s,s:[ss],s:{s:[s],s:b,s:i,s:i,s:i,"
				   "s:s,s:s},s:o,s:[],s:o}",
				   "forum", "oewg", "actor", "secretariat", "seq", 1, "type",
				   "forum.create", "title", "Fuzz forum", "languages", "en",
				   "fr", "rules", "procedures", "consensus",
				   "vote_on_request", 0, "quorum_percent", 50,
				   "silence_min_hours", 72, "objection_window_hours", 336,
				   "majority", "simple", "important_majority", "two-thirds",
				   "secretariat_key", fuzz_vkey(SEED, "secretariat"), "chairs", "members",
				   list),
		     T0);
	apply_public(st, json_pack("{s:s,s:s,s:i,s:s,s:o,s:{s:{s:i,s:i,s:i,s:i},s:i,s:[s]}}",
				   "forum", "oewg", "actor", "secretariat", "seq", 2, "type",
				   "cooperation.open", "log_key", fuzz_vkey(SEED, "cooperation"), "rules",
				   "ack_hours", "low", 168, "medium", 72, "high", 24,
				   "critical", 2, "ping_window_hours", 48, "publish",
				   "per_member"),
		     T0 + 1000);
	return st;
}

/* ---- the engine ---- */

struct run {
	pnyx_coop *c;
	pnyx_engine_mode mode;
	size_t accepted[MAX_PIECES];
	size_t naccepted;
};

static void digest(const pnyx_coop *c, pnyx_hash *out)
{
	CHECK(pnyx_coop_digest(c, out) == PNYX_OK);
}

static void run_init(struct run *r, pnyx_engine_mode mode)
{
	*r = (struct run){.mode = mode, .naccepted = 0};
	CHECK(pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &r->c) == PNYX_OK);
}

static void check_audience(const pnyx_coop *c)
{
	pnyx_coop_audience a;
	pnyx_coop_last_audience(c, &a);
	if (a.all_members)
		return;
	CHECK(a.a[0] != 0 && a.b[0] != 0 && strcmp(a.a, a.b) != 0);
	CHECK(strcmp(pnyx_coop_last_actor(c), a.a) == 0 ||
	      strcmp(pnyx_coop_last_actor(c), a.b) == 0);
}

static pnyx_rule apply(struct run *r, const uint8_t *p, size_t n, size_t index)
{
	pnyx_hash before, after;
	digest(r->c, &before);
	uint64_t leaves = pnyx_coop_leaves(r->c);
	pnyx_verdict v;
	pnyx_rule rule = pnyx_coop_apply(r->c, forum(), n ? p : NULL, n, r->mode, &v);
	CHECK(v.code == rule);
	if (rule == PNYX_RULE_OK) {
		CHECK(pnyx_coop_leaves(r->c) == leaves + 1);
		check_audience(r->c);
		r->accepted[r->naccepted++] = index;
		return rule;
	}
	CHECK(rule > PNYX_RULE_OK && rule < PNYX_RULE_NOMEM);
	CHECK(v.msg[0] != 0);
	digest(r->c, &after);
	CHECK(pnyx_hash_eq(&before, &after));
	CHECK(pnyx_coop_leaves(r->c) == leaves);
	return rule;
}


static void check_replay(const struct run *r, const uint8_t *const *p, const size_t *n)
{
	struct run again;
	run_init(&again, PNYX_ENGINE_TRUST_SIGNATURES);
	for (size_t i = 0; i < r->naccepted; i++) {
		size_t k = r->accepted[i];
		CHECK(pnyx_coop_apply(again.c, forum(), p[k], n[k], again.mode, NULL) ==
		      PNYX_RULE_OK);
	}
	pnyx_hash a, b;
	digest(r->c, &a);
	digest(again.c, &b);
	CHECK(pnyx_hash_eq(&a, &b));
	json_t *pub = pnyx_coop_published_figures(again.c, forum());
	CHECK(pub != NULL && json_object_size(pub) == 1);
	json_decref(pub);
	pnyx_coop_free(again.c);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	static const uint8_t empty[1];
	const uint8_t *p[MAX_PIECES];
	size_t n[MAX_PIECES];
	size_t count = fuzz_split(size ? data : empty, size, p, n, MAX_PIECES);
	struct run trust, check;
	run_init(&trust, PNYX_ENGINE_TRUST_SIGNATURES);
	run_init(&check, PNYX_ENGINE_CHECK_SIGNATURES);
	bool in_step = true;
	for (size_t i = 0; i < count; i++) {
		pnyx_rule rt = apply(&trust, p[i], n[i], i);
		pnyx_rule rc = apply(&check, p[i], n[i], i);
		CHECK(rt != PNYX_RULE_BAD_SIGNATURE && rt != PNYX_RULE_UNKNOWN_KEY);
		if (!in_step)
			continue;
		if (rc == PNYX_RULE_OK) {
			pnyx_hash a, b;
			digest(trust.c, &a);
			digest(check.c, &b);
			CHECK(rt == PNYX_RULE_OK && pnyx_hash_eq(&a, &b));
		} else if (!fuzz_is_signature_verdict(rc)) {
			CHECK(rt == rc);
		}
		in_step = (rt == PNYX_RULE_OK) == (rc == PNYX_RULE_OK);
	}
	check_replay(&trust, p, n);
	check_replay(&check, p, n);
	pnyx_coop_free(trust.c);
	pnyx_coop_free(check.c);
	return 0;
}

/* ---- the seed corpus ---- */

#define KEY32 "e0Zcgx/+zSPK7GwdbrBisB5+UuH7lyr9OvvuwMuKAos="
#define SALT32 "c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ="
#define CT22 "c2VhbGVkIGNvbnRlbnQgZXhhbXBsZQ=="
#define KEY48 "d3JhcHBlZCBjb250ZW50IGtleTogNDggYnl0ZXMgb2YgSFBLRSBvdXRwdXQhISEh"

/* A seed being written: its pieces, its clock, and for a valid seed
 * (named valid-*) a state that must accept every piece. */
struct seed {
	FILE *f;
	size_t pieces;
	uint64_t t;
	pnyx_coop *valid;
};

/* Appends the leaf of {forum, actor, seq, type} + fields (stolen), signed
 * by signer (NULL: the actor). */
static void piece(struct seed *s, const char *actor, const char *signer,
		  uint64_t seq, const char *type, json_t *fields)
{
	CHECK(fields != NULL);
	CHECK(json_object_set_new(fields, "forum", json_string("oewg")) == 0 &&
	      json_object_set_new(fields, "actor", json_string(actor)) == 0 &&
	      json_object_set_new(fields, "seq", json_integer((json_int_t)seq)) == 0 &&
	      json_object_set_new(fields, "type", json_string(type)) == 0);
	pnyx_buf leaf;
	s->t += 60000;
	sign_leaf(signer != NULL ? signer : actor, fields, s->t, &leaf);
	pnyx_verdict v;
	if (s->valid != NULL &&
	    pnyx_coop_apply(s->valid, forum(), leaf.data, leaf.len,
			    PNYX_ENGINE_CHECK_SIGNATURES, &v) != PNYX_RULE_OK) {
		fprintf(stderr, "coop_seeds: %s %s refused: %s\n", actor, type, v.msg);
		abort();
	}
	if (s->pieces++ > 0)
		CHECK(fputs(FUZZ_SEPARATOR, s->f) >= 0);
	CHECK(fwrite(leaf.data, 1, leaf.len, s->f) == leaf.len);
	pnyx_buf_clear(&leaf);
}

static json_t *contacts(void)
{
	return json_pack("{s:[{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s],s:s}],s:s}", "contacts",
			 "id", "tech-1", "function", "technical", "name", "Duty officer",
			 "email", "cert@example.org", "phone", "+1 555 0100", "hours",
			 "24/7", "time_zone", "Europe/Paris", "languages", "en", "key",
			 KEY32, "salt", SALT32);
}

static json_t *sealed(const char *a, const char *b)
{
	return json_pack("{s:s,s:[{s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s}]}", "ct", CT22,
			 "recipients", "contact", "tech-1", "enc", KEY32, "key", KEY48,
			 "member", a, "contact", "tech-1", "enc", KEY32, "key", KEY48,
			 "member", b);
}

static struct seed seed_open(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct seed s = {.f = fopen(path, "wb"), .t = T0 + 2000};
	CHECK(s.f != NULL);
	if (strncmp(name, "valid-", 6) == 0)
		CHECK(pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &s.valid) == PNYX_OK);
	return s;
}

static void seed_close(struct seed *s)
{
	CHECK(fclose(s->f) == 0);
	pnyx_coop_free(s->valid);
}

static void seed_requests(const char *dir)
{
	struct seed s = seed_open(dir, "valid-request-lifecycle");
	piece(&s, "KEN", NULL, 1, "poc.register", contacts());
	piece(&s, "FRA", NULL, 1, "poc.register", contacts());
	piece(&s, "KEN", NULL, 2, "request.send",
	      json_pack("{s:s,s:s,s:s,s:s,s:o}", "to", "FRA", "kind", "incident",
			"severity", "high", "tlp", "AMBER", "sealed", sealed("KEN", "FRA")));
	piece(&s, "FRA", NULL, 2, "request.ack", json_pack("{s:s}", "request", "KEN:2"));
	piece(&s, "FRA", NULL, 3, "request.answer",
	      json_pack("{s:s,s:o}", "request", "KEN:2", "sealed", sealed("FRA", "KEN")));
	piece(&s, "KEN", NULL, 3, "request.close", json_pack("{s:s}", "request", "KEN:2"));
	seed_close(&s);
	s = seed_open(dir, "valid-data-declined");
	piece(&s, "USA", NULL, 1, "poc.register", contacts());
	piece(&s, "CHN", NULL, 1, "poc.register", contacts());
	piece(&s, "USA", NULL, 2, "request.send",
	      json_pack("{s:s,s:s,s:s,s:s,s:o,s:s}", "to", "CHN", "kind", "data",
			"severity", "low", "tlp", "RED", "sealed", sealed("USA", "CHN"),
			"legal_basis", "Treaty on mutual legal assistance"));
	piece(&s, "CHN", NULL, 2, "request.decline",
	      json_pack("{s:s,s:s}", "request", "USA:2", "grounds", "sovereignty-security"));
	seed_close(&s);
}

static void seed_pings(const char *dir)
{
	struct seed s = seed_open(dir, "valid-ping-round");
	piece(&s, "KEN", NULL, 1, "poc.register", contacts());
	piece(&s, "FRA", NULL, 1, "poc.register", contacts());
	piece(&s, "secretariat", NULL, 1, "ping.start", json_pack("{s:s}", "round", "r1"));
	piece(&s, "KEN", NULL, 2, "ping.ack",
	      json_pack("{s:s,s:s}", "round", "r1", "contact", "tech-1"));
	s.t += 49 * UINT64_C(3600000);
	piece(&s, "FRA", NULL, 2, "ping.ack",
	      json_pack("{s:s,s:s}", "round", "r1", "contact", "tech-1"));
	seed_close(&s);
	s = seed_open(dir, "bad-forged-and-skipped");
	piece(&s, "KEN", "USA", 1, "poc.register", contacts());
	piece(&s, "KEN", NULL, 2, "poc.register", contacts());
	piece(&s, "cooperation", NULL, 1, "poc.register", contacts());
	piece(&s, "USA", NULL, 1, "request.ack", json_pack("{s:s}", "request", "KEN:1"));
	piece(&s, "FRA", NULL, 1, "request.send",
	      json_pack("{s:s,s:s,s:s,s:s,s:o}", "to", "KEN", "kind", "data",
			"severity", "low", "tlp", "RED", "sealed", sealed("FRA", "KEN")));
	seed_close(&s);
}

int fuzz_coop_write_seeds(const char *dir)
{
	CHECK(pnyx_init() == PNYX_OK);
	seed_requests(dir);
	seed_pings(dir);
	return 0;
}
