/*
 * bench_coop: how fast the cooperation engine (pnyx/coop.h) applies its
 * log, with and without checking signatures.
 *
 *   bench_coop N MEMBERS
 *
 * 1. builds a public forum of MEMBERS members (ids AAA, AAB, ...; keys from
 *    fixed seeds) with cooperation open, then N cooperation leaves in
 *    memory: every member registers two contacts, then cycles of a request
 *    between two members (every kind and severity; data requests with a
 *    legal basis) acknowledged, answered and closed, or declined; every
 *    200 leaves the secretariat starts a ping round that ten members
 *    answer. Ten minutes pass between leaves (gen.*);
 * 2. applies the N leaves to a fresh whole-log state trusting signatures
 *    (trust.*) and checking them (check.*); both must accept every leaf
 *    and reach the same digest;
 * 3. reports requests, rounds and the peak RSS (rss_kb).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bench_util.h"
#include "pnyx/action.h"
#include "pnyx/coop.h"
#include "pnyx/engine.h"
#include "pnyx/key.h"
#include "pnyx/leaf.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

#define T0 UINT64_C(1767258000000)
#define STEP_MS UINT64_C(600000)
#define KEY32 "e0Zcgx/+zSPK7GwdbrBisB5+UuH7lyr9OvvuwMuKAos="
#define CT "c2VhbGVkIGNvbnRlbnQgZXhhbXBsZSwgYSBsaXR0bGUgbG9uZ2VyIHRoYW4gdGhhdA=="
#define KEY48 "d3JhcHBlZCBjb250ZW50IGtleTogNDggYnl0ZXMgb2YgSFBLRSBvdXRwdXQhISEh"

typedef struct actor {
	char id[24];
	pnyx_signer key;
	uint64_t seq;
} actor;

typedef struct gen {
	actor *m, sec;
	size_t nm;
	uint64_t now, n, requests, rounds;
	pnyx_buf *leaves;
} gen;

static void seeded(const char *id, actor *a)
{
	pnyx_hash seed;
	char text[64];
	int n = snprintf(text, sizeof text, "bench_coop/%s", id);
	pnyx_sha256(text, (size_t)n, &seed);
	memset(a, 0, sizeof *a);
	snprintf(a->id, sizeof a->id, "%s", id);
	snprintf(a->key.name, sizeof a->key.name, "bench.pnyx/%s", id);
	if (crypto_sign_seed_keypair(a->key.pk, a->key.sk, seed.b) != 0)
		bench_fail("keypair", PNYX_ERR_MISMATCH);
	a->key.hash = pnyx_key_hash(a->key.name, PNYX_KEY_ALG_ED25519, a->key.pk);
}

static json_t *vkey(const actor *a)
{
	pnyx_verifier v;
	pnyx_buf b;
	pnyx_signer_verifier(&a->key, &v);
	pnyx_buf_init(&b, 1024);
	if (pnyx_verifier_encode(&v, &b) != PNYX_OK)
		bench_fail("verifier", PNYX_ERR_NOMEM);
	json_t *s = json_string((const char *)b.data);
	pnyx_buf_clear(&b);
	return s;
}

/* Signs {forum, actor, seq, type} + fields (stolen) by a into leaf. */
static void sign(actor *a, const char *type, json_t *f, uint64_t t, pnyx_buf *leaf)
{
	pnyx_buf text, note;
	json_object_set_new(f, "forum", json_string("oewg"));
	json_object_set_new(f, "actor", json_string(a->id));
	json_object_set_new(f, "seq", json_integer((json_int_t)++a->seq));
	json_object_set_new(f, "type", json_string(type));
	pnyx_buf_init(&text, PNYX_COOP_NOTE_MAX);
	pnyx_buf_init(&note, PNYX_COOP_NOTE_MAX);
	pnyx_buf_init(leaf, PNYX_COOP_NOTE_MAX);
	if (pnyx_action_encode(f, &text) != PNYX_OK ||
	    pnyx_note_sign(text.data, text.len, &a->key, 1, &note) != PNYX_OK ||
	    pnyx_leaf_encode(t, note.data, note.len, leaf) != PNYX_OK)
		bench_fail("sign", PNYX_ERR_NOMEM);
	json_decref(f);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
}

static pnyx_state *forum(gen *g)
{
	pnyx_state *st;
	pnyx_buf leaf;
	json_t *list = json_array();
	for (size_t i = 0; i < g->nm; i++)
		json_array_append_new(list, json_pack("{s:s,s:o}", "code", g->m[i].id, "key",
						      vkey(&g->m[i])));
	actor log;
	seeded("cooperation", &log);
	if (pnyx_state_new(&st) != PNYX_OK)
		bench_fail("state", PNYX_ERR_NOMEM);
	json_t *bodies[] = {
		json_pack("{s:s,s:[s],s:{s:[s],s:b,s:i,s:i,s:i,s:s,s:s},s:o,s:[],s:o}", "title",
			  "Bench", "languages", "en", "rules", "procedures", "consensus",
			  "vote_on_request", 0, "quorum_percent", 50, "silence_min_hours",
			  72, "objection_window_hours", 336, "majority", "simple",
			  "important_majority", "two-thirds", "secretariat_key",
			  vkey(&g->sec), "chairs", "members", list),
		json_pack("{s:o,s:{s:{s:i,s:i,s:i,s:i},s:i,s:[sss]}}", "log_key", vkey(&log),
			  "rules", "ack_hours", "low", 168, "medium", 72, "high", 24,
			  "critical", 2, "ping_window_hours", 48, "publish", "per_member",
			  "data_requests", "pings"),
	};
	static const char *const types[] = {"forum.create", "cooperation.open"};
	for (size_t i = 0; i < 2; i++) {
		sign(&g->sec, types[i], bodies[i], T0 + i, &leaf);
		if (pnyx_engine_apply(st, leaf.data, leaf.len, PNYX_ENGINE_CHECK_SIGNATURES,
				      NULL) != PNYX_RULE_OK)
			bench_fail(types[i], PNYX_ERR_MALFORMED);
		pnyx_buf_clear(&leaf);
	}
	g->sec.seq = 0; /* the cooperation log counts from 1 */
	return st;
}

static void add(gen *g, actor *a, const char *type, json_t *fields)
{
	g->now += STEP_MS;
	sign(a, type, fields, g->now, &g->leaves[g->n++]);
}

static json_t *sealed(const actor *a, const actor *b)
{
	return json_pack("{s:s,s:[{s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s}]}", "ct", CT,
			 "recipients", "contact", "tech", "enc", KEY32, "key", KEY48,
			 "member", a->id, "contact", "tech", "enc", KEY32, "key", KEY48,
			 "member", b->id);
}

static json_t *entry(void)
{
	static const char *const ids[] = {"tech", "mfa"};
	json_t *list = json_array();
	for (size_t i = 0; i < 2; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s],s:s}",
			"id", ids[i], "function", i ? "diplomatic" : "technical", "name",
			"Duty officer", "email", "duty@example.org", "phone", "+1 555 0100",
			"hours", "24/7", "time_zone", "UTC", "languages", "en", "key", KEY32));
	return json_pack("{s:o,s:s}", "contacts", list, "salt", KEY32);
}

/* One request between two members and what follows it. */
static void request_cycle(gen *g, uint64_t k)
{
	static const char *const kinds[] = {"incident", "assistance", "information", "data"};
	static const char *const sev[] = {"low", "medium", "high", "critical"};
	actor *a = &g->m[k % g->nm], *b = &g->m[(k * 7 + 1) % g->nm];
	if (a == b)
		b = &g->m[(k + 1) % g->nm];
	char id[48];
	snprintf(id, sizeof id, "%s:%llu", a->id, (unsigned long long)a->seq + 1);
	json_t *f = json_pack("{s:s,s:s,s:s,s:s,s:o}", "to", b->id, "kind", kinds[k % 4],
			      "severity", sev[(k / 4) % 4], "tlp", "AMBER", "sealed",
			      sealed(a, b));
	if (k % 4 == 3)
		json_object_set_new(f, "legal_basis", json_string("MLAT"));
	add(g, a, "request.send", f);
	g->requests++;
	if (k % 5 == 4) {
		add(g, b, "request.decline", json_pack("{s:s,s:s}", "request", id, "grounds",
						       "other"));
		return;
	}
	add(g, b, "request.ack", json_pack("{s:s}", "request", id));
	add(g, b, "request.answer", json_pack("{s:s,s:o}", "request", id, "sealed",
					      sealed(b, a)));
	add(g, a, "request.close", json_pack("{s:s}", "request", id));
}

static void generate(gen *g, uint64_t want)
{
	uint64_t k = 0;
	for (size_t i = 0; i < g->nm && g->n < want; i++)
		add(g, &g->m[i], "poc.register", entry());
	while (g->n + 16 <= want) {
		if (g->n / 200 > g->rounds) {
			char round[24];
			snprintf(round, sizeof round, "r%llu", (unsigned long long)++g->rounds);
			add(g, &g->sec, "ping.start", json_pack("{s:s}", "round", round));
			for (size_t i = 0; i < 10 && i < g->nm; i++)
				add(g, &g->m[(g->rounds + i) % g->nm], "ping.ack",
				    json_pack("{s:s,s:s}", "round", round, "contact", "tech"));
		}
		request_cycle(g, k++);
	}
}

static double replay(const gen *g, const pnyx_state *st, pnyx_engine_mode mode,
		     pnyx_hash *digest)
{
	pnyx_coop *c;
	if (pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &c) != PNYX_OK)
		bench_fail("coop", PNYX_ERR_NOMEM);
	double t = bench_now();
	for (uint64_t i = 0; i < g->n; i++) {
		pnyx_verdict v;
		if (pnyx_coop_apply(c, st, g->leaves[i].data, g->leaves[i].len, mode, &v) !=
		    PNYX_RULE_OK) {
			fprintf(stderr, "bench_coop: leaf %llu refused: %s\n",
				(unsigned long long)i, v.msg);
			exit(1);
		}
	}
	t = bench_now() - t;
	if (pnyx_coop_digest(c, digest) != PNYX_OK)
		bench_fail("digest", PNYX_ERR_NOMEM);
	pnyx_coop_free(c);
	return t;
}

int main(int argc, char **argv)
{
	if (argc != 3 || pnyx_init() != PNYX_OK) {
		fprintf(stderr, "usage: bench_coop N MEMBERS\n");
		return 2;
	}
	uint64_t n = bench_arg(argv[1]), nm = bench_arg(argv[2]);
	if (nm < 2 || nm > 17576)
		bench_fail("MEMBERS (2 to 17576)", PNYX_ERR_RANGE);
	gen g = {.nm = (size_t)nm, .now = T0 + 10};
	g.m = pnyx_calloc((size_t)nm, sizeof *g.m);
	g.leaves = pnyx_calloc((size_t)n + 1, sizeof *g.leaves);
	if (g.m == NULL || g.leaves == NULL)
		bench_fail("memory", PNYX_ERR_NOMEM);
	for (size_t i = 0; i < g.nm; i++) {
		char id[4] = {(char)('A' + i / 676), (char)('A' + i / 26 % 26),
			      (char)('A' + i % 26), 0};
		seeded(id, &g.m[i]);
	}
	seeded("secretariat", &g.sec);
	pnyx_state *st = forum(&g);
	double t = bench_now();
	generate(&g, n);
	bench_report_rate("gen", g.n, bench_now() - t);
	pnyx_hash a, b;
	bench_report_rate("trust", g.n, replay(&g, st, PNYX_ENGINE_TRUST_SIGNATURES, &a));
	bench_report_rate("check", g.n, replay(&g, st, PNYX_ENGINE_CHECK_SIGNATURES, &b));
	if (!pnyx_hash_eq(&a, &b))
		bench_fail("the two replays reached other digests", PNYX_ERR_MISMATCH);
	bench_report_hash("digest", &a);
	bench_report_u64("requests", g.requests);
	bench_report_u64("rounds", g.rounds);
	bench_report_u64("rss_kb", (uint64_t)bench_rss_kb());
	for (uint64_t i = 0; i < g.n; i++)
		pnyx_buf_clear(&g.leaves[i]);
	pnyx_free(g.leaves);
	pnyx_free(g.m);
	pnyx_state_free(st);
	return 0;
}
