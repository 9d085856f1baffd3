/*
 * bench_engine: how fast the forum engine replays a log, with and without
 * checking signatures, against the raw Ed25519 verification rate.
 *
 *   bench_engine N MEMBERS [REPEAT]
 *
 * 1. generates, in memory, a forum of MEMBERS members (ids AAA, AAB, ...;
 *    keys derived from fixed seeds, so every run builds the same leaves)
 *    and N signed leaves the engine accepts, in cycles that mix what a
 *    forum does: the secretariat publishes a document, members table and
 *    co-sponsor amendments, the chair opens a decision (consensus, recorded
 *    vote, or silence procedure), every member joins, objects and
 *    withdraws, or votes, some explain their position, the chair closes it;
 *    members subscribe to adopted norms and report; a member rotates its
 *    key (key.add then key.revoke); credentials are recorded; stakeholders
 *    apply and submit input. One second passes between leaves (gen.*:
 *    making and signing them, mix.<type> counts, leaf.mean_bytes);
 * 2. replays the N leaves into a fresh state trusting signatures
 *    (trust.*), which must accept every leaf and gives the digest
 *    (digest, state.*), and checking them (check.*), best of REPEAT
 *    (default 1); every replay must reach the same digest;
 * 3. times crypto_sign_verify_detached alone on the signed texts and
 *    signatures of up to VERIFY_MAX leaves spread over the log, so the
 *    messages have the same sizes (verify.*);
 * 4. reports the peak RSS (rss_kb). bench/run.sh divides verify.per_s by
 *    check.per_s: 1.00 would mean the engine costs nothing beside the
 *    signature.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bench_util.h"
#include "pnyx/action.h"
#include "pnyx/base64.h"
#include "pnyx/engine.h"
#include "pnyx/key.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

#define VERIFY_MAX 200000u
#define MAX_TYPES 32
#define T0 UINT64_C(1767258000000)
#define SECOND UINT64_C(1000)
#define HOUR (3600 * SECOND)

typedef struct actor {
	char id[24];
	pnyx_signer key;
	uint64_t seq;
} actor;

typedef struct mix {
	const char *type;
	uint64_t count;
} mix;

typedef struct gen {
	uint64_t now, want;
	actor *members, secretariat, chair;
	actor shs[64];
	size_t nmembers, nshs, keys_made;
	uint8_t *data;          /* the leaves, back to back */
	size_t len, cap;
	uint64_t *off;          /* leaf i is data[off[i] .. off[i+1]) */
	uint64_t nleaves;
	uint8_t (*pk)[32];      /* the key that signed leaf i */
	pnyx_buf text, note;    /* scratch */
	mix mix[MAX_TYPES];
	size_t ntypes;
} gen;

static _Noreturn PNYX_PRINTF(1, 2) void die(const char *fmt, ...)
{
	va_list ap;
	fputs("bench_engine: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* A key derived from a fixed seed: SHA-256("pnyx bench_engine/" id). */
static void seeded_key(const char *id, pnyx_signer *out)
{
	char text[96];
	int n = snprintf(text, sizeof text, "pnyx bench_engine/%s", id);
	pnyx_hash seed;
	pnyx_sha256(text, (size_t)n, &seed);
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "bench.pnyx/%s", id);
	if (crypto_sign_seed_keypair(out->pk, out->sk, seed.b) != 0)
		die("crypto_sign_seed_keypair");
	out->hash = pnyx_key_hash(out->name, PNYX_KEY_ALG_ED25519, out->pk);
}

static void actor_init(actor *a, const char *id)
{
	snprintf(a->id, sizeof a->id, "%s", id);
	seeded_key(id, &a->key);
	a->seq = 0;
}

static const char *vkey_of(const pnyx_signer *s, char out[700])
{
	pnyx_verifier v;
	pnyx_signer_verifier(s, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, 699);
	if (pnyx_verifier_encode(&v, &b) != PNYX_OK)
		die("encode a verifier key");
	memcpy(out, b.data, b.len + 1);
	pnyx_buf_clear(&b);
	return out;
}

static void count_type(gen *g, const char *type)
{
	for (size_t i = 0; i < g->ntypes; i++)
		if (strcmp(g->mix[i].type, type) == 0) {
			g->mix[i].count++;
			return;
		}
	if (g->ntypes == MAX_TYPES)
		die("too many action types");
	g->mix[g->ntypes++] = (mix){type, 1};
}

static void keep_leaf(gen *g, const pnyx_buf *leaf)
{
	if (g->len + leaf->len > g->cap) {
		size_t cap = g->cap ? g->cap * 2 : (size_t)1 << 24;
		while (cap < g->len + leaf->len)
			cap *= 2;
		g->data = pnyx_realloc(g->data, cap);
		if (g->data == NULL)
			die("out of memory for the leaves");
		g->cap = cap;
	}
	memcpy(g->data + g->len, leaf->data, leaf->len);
	g->len += leaf->len;
	g->off[++g->nleaves] = g->len;
}

/* Builds, signs and keeps one action; nothing once N leaves are made. The
 * type string must be a literal. Nothing reads the state here: the first
 * replay checks that the engine accepts every leaf. */
static void act(gen *g, actor *a, const char *type, const char *fmt, ...)
{
	if (g->nleaves == g->want)
		return;
	va_list ap;
	va_start(ap, fmt);
	json_error_t err;
	json_t *body = json_vpack_ex(&err, 0, fmt, ap);
	va_end(ap);
	if (body == NULL ||
	    json_object_set_new(body, "forum", json_string("bench")) != 0 ||
	    json_object_set_new(body, "actor", json_string(a->id)) != 0 ||
	    json_object_set_new(body, "type", json_string(type)) != 0 ||
	    json_object_set_new(body, "seq", json_integer((json_int_t)a->seq + 1)) != 0)
		die("pack %s: %s", type, err.text);
	pnyx_buf leaf;
	pnyx_buf_init(&leaf, PNYX_ENTRY_MAX);
	pnyx_buf_reset(&g->text);
	pnyx_buf_reset(&g->note);
	if (pnyx_action_encode(body, &g->text) != PNYX_OK ||
	    pnyx_note_sign(g->text.data, g->text.len, &a->key, 1, &g->note) != PNYX_OK ||
	    pnyx_leaf_encode(g->now, g->note.data, g->note.len, &leaf) != PNYX_OK)
		die("encode %s", type);
	json_decref(body);
	memcpy(g->pk[g->nleaves], a->key.pk, 32);
	keep_leaf(g, &leaf);
	pnyx_buf_clear(&leaf);
	a->seq++;
	g->now += SECOND;
	count_type(g, type);
}

/* ---- the forum ---- */

static void genesis(gen *g)
{
	char k[700];
	json_t *members = json_array();
	for (size_t i = 0; i < g->nmembers; i++)
		if (json_array_append_new(members, json_pack("{s:s,s:s}", "code",
			g->members[i].id, "key", vkey_of(&g->members[i].key, k))) != 0)
			die("out of memory");
	json_t *rules = json_pack("{s:[sss],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
				  "consensus", "silence", "vote", "vote_on_request", 1,
				  "quorum_percent", 50, "silence_min_hours", 72,
				  "objection_window_hours", 24, "majority", "simple",
				  "important_majority", "two-thirds");
	char chair_key[700];
	vkey_of(&g->chair.key, chair_key);
	act(g, &g->secretariat, "forum.create",
	    "{s:s,s:[ssssss],s:o,s:s,s:[{s:s,s:s,s:s}],s:o}", "title",
	    "Benchmark forum", "languages", "ar", "en", "es", "fr", "ru", "zh",
	    "rules", rules, "secretariat_key", vkey_of(&g->secretariat.key, k),
	    "chairs", "id", "chair.1", "key", chair_key, "name", "The Chair",
	    "members", members);
	json_t *names = json_array();
	for (int i = 0; i < 32; i++) {
		char name[64];
		snprintf(name, sizeof name, "Listed organisation %d", i);
		json_array_append_new(names, json_string(name));
	}
	act(g, &g->secretariat, "stakeholder.list_add", "{s:o}", "names", names);
}

static actor *member(gen *g, size_t i)
{
	return &g->members[i % g->nmembers];
}

static void publish(gen *g, const char *doc, size_t c)
{
	act(g, &g->secretariat, "document.create",
	    "{s:s,s:{s:s,s:s},s:[{s:s,s:{s:s}},{s:s,s:b,s:{s:s}},{s:s,s:{s:s,s:s}}]}",
	    "id", doc, "title", "en", "Draft report of the session", "fr",
	    "Projet de rapport de la session", "paragraphs", "id", "p1", "text", "en",
	    "The working group met in formal and informal meetings.", "id", "p2",
	    "norm", 1, "text", "en", "States should not conduct or knowingly support "
	    "ICT activity that damages critical infrastructure.", "id", "p3", "text",
	    "en", "States should cooperate to exchange information on threats.",
	    "fr", "Les Etats devraient cooperer pour echanger des informations.");
	if (c % 4 != 0)
		return;
	char am[40];
	snprintf(am, sizeof am, "am-%zu", c);
	act(g, member(g, c * 5), "amendment.table", "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}",
	    "id", am, "document", doc, "revision", 1, "paragraph", "p1", "op",
	    "replace", "text", "en", "The working group met in formal meetings.");
	act(g, member(g, c * 5 + 1), "amendment.cosponsor", "{s:s}", "amendment", am);
}

static void explain(gen *g, actor *a, const char *dec, const char *when)
{
	act(g, a, "position.explain", "{s:s,s:s,s:{s:s}}", "decision", dec, "when",
	    when, "text", "en", "Our delegation wishes to explain its position on "
	    "this text, which it supports with the reservations stated.");
}

/* Every member joins; one objects first and withdraws; some dissociate
 * from p3; two explain; the chair closes: adopted. */
static void consensus_round(gen *g, const char *doc, const char *dec, size_t c)
{
	act(g, &g->chair, "decision.open", "{s:s,s:s,s:s,s:i}", "id", dec,
	    "procedure", "consensus", "document", doc, "revision", 1);
	size_t objector = (c * 7) % g->nmembers;
	act(g, member(g, objector), "consensus.object", "{s:s,s:{s:s}}", "decision",
	    dec, "reason", "en", "Paragraph 2 needs more discussion.");
	for (size_t i = 0; i < g->nmembers; i++) {
		if (i == objector)
			continue;
		if (i % 17 == 3)
			act(g, member(g, i), "consensus.join", "{s:s,s:[s]}", "decision",
			    dec, "dissociate", "p3");
		else
			act(g, member(g, i), "consensus.join", "{s:s}", "decision", dec);
	}
	act(g, member(g, objector), "consensus.withdraw_objection", "{s:s}",
	    "decision", dec);
	act(g, member(g, objector), "consensus.join", "{s:s}", "decision", dec);
	explain(g, member(g, c + 1), dec, "before");
	explain(g, member(g, c + 2), dec, "before");
	act(g, &g->chair, "decision.close", "{s:s}", "decision", dec);
}

/* A recorded vote: yes, yes, yes, no, abstain in turn; adopted. */
static void vote_round(gen *g, const char *doc, const char *dec, size_t c)
{
	act(g, &g->chair, "decision.open", "{s:s,s:s,s:s,s:i,s:b}", "id", dec,
	    "procedure", "vote", "document", doc, "revision", 1, "important",
	    (int)(c % 2));
	static const char *const votes[] = {"yes", "yes", "yes", "no", "abstain"};
	for (size_t i = 0; i < g->nmembers; i++)
		act(g, member(g, i), "vote.cast", "{s:s,s:s}", "decision", dec, "vote",
		    votes[(i + c) % 5]);
	act(g, &g->chair, "decision.close", "{s:s}", "decision", dec);
	explain(g, member(g, c + 3), dec, "after");
}

/* A silence procedure: adopted at its deadline, 72 hours later, by
 * whatever leaf comes then. */
static void silence_round(gen *g, const char *doc, const char *dec, size_t c)
{
	act(g, &g->chair, "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", dec,
	    "procedure", "silence", "document", doc, "revision", 1, "deadline_ms",
	    (json_int_t)(g->now + 72 * HOUR));
	explain(g, member(g, c + 4), dec, "before");
}

/* Three members subscribe to the norm p2 of an adopted text; one reports. */
static void commit_round(gen *g, const char *dec, size_t c)
{
	for (size_t k = 0; k < 3; k++)
		act(g, member(g, c + 11 * k), "commitment.subscribe", "{s:s,s:s}",
		    "decision", dec, "norm", "p2");
	act(g, member(g, c), "report.file", "{s:s,s:s,s:s,s:{s:s}}", "decision", dec,
	    "norm", "p2", "status", "in-progress", "text", "en",
	    "A national register of critical infrastructure is being drawn up.");
}

/* Member c rotates its key: adds a new one, then revokes the old one
 * signed with the new. */
static void rotate_key(gen *g, size_t c)
{
	actor *a = member(g, c);
	char id[40], old_key[700], new_key[700];
	snprintf(id, sizeof id, "%s-key-%zu", a->id, g->keys_made++);
	pnyx_signer fresh;
	seeded_key(id, &fresh);
	vkey_of(&a->key, old_key);
	act(g, a, "key.add", "{s:s}", "key", vkey_of(&fresh, new_key));
	a->key = fresh;
	act(g, a, "key.revoke", "{s:s}", "key", old_key);
}

/* Every 25 cycles a stakeholder applies (listed or not); accredited ones
 * submit input and comment on the cycle's document. */
static void stakeholder_round(gen *g, const char *doc, size_t c)
{
	if (c % 25 == 0 && g->nshs < sizeof g->shs / sizeof *g->shs) {
		actor *s = &g->shs[g->nshs];
		char id[24], name[64], k[700];
		snprintf(id, sizeof id, "sh.org-%zu", g->nshs);
		if (g->nshs % 2 == 0)
			snprintf(name, sizeof name, "Listed organisation %zu", g->nshs / 2);
		else
			snprintf(name, sizeof name, "Applicant organisation %zu", g->nshs);
		actor_init(s, id);
		g->nshs++;
		act(g, s, "stakeholder.apply", "{s:s,s:s,s:s}", "key", vkey_of(&s->key, k),
		    "name", name, "category", "ngo");
	}
	if (g->nshs == 0 || c % 3 != 0)
		return;
	actor *s = &g->shs[(c / 3) % ((g->nshs + 1) / 2) * 2]; /* a listed one */
	act(g, s, "input.submit", "{s:s,s:{s:s}}", "document", doc, "text", "en",
	    "We suggest adding a reference to capacity building.");
	act(g, s, "comment.add", "{s:s,s:i,s:s,s:{s:s}}", "document", doc, "revision", 1,
	    "paragraph", "p3", "text", "en", "Information exchange should include CERTs.");
}

static void cycle(gen *g, size_t c)
{
	char doc[32], dec[32];
	snprintf(doc, sizeof doc, "doc-%zu", c);
	snprintf(dec, sizeof dec, "dec-%zu", c);
	publish(g, doc, c);
	stakeholder_round(g, doc, c);
	size_t kind = c % 10;
	if (kind < 6)
		consensus_round(g, doc, dec, c);
	else if (kind < 9)
		vote_round(g, doc, dec, c);
	else
		silence_round(g, doc, dec, c);
	if (kind == 0)
		commit_round(g, dec, c);
	rotate_key(g, c);
	if (c % 10 == 5)
		act(g, &g->secretariat, "credentials.record", "{s:s,s:s}", "member",
		    member(g, c)->id, "text", "Credentials issued by the Minister for "
		    "Foreign Affairs, received by the secretariat");
}

/* ---- generation ---- */

static void member_code(size_t i, char out[4])
{
	out[0] = (char)('A' + (i / 676) % 26);
	out[1] = (char)('A' + (i / 26) % 26);
	out[2] = (char)('A' + i % 26);
	out[3] = 0;
}

static void generate(gen *g, uint64_t n, size_t nmembers)
{
	memset(g, 0, sizeof *g);
	g->want = n;
	g->now = T0;
	g->nmembers = nmembers;
	g->members = pnyx_calloc(nmembers, sizeof *g->members);
	g->off = pnyx_calloc(n + 1, sizeof *g->off);
	g->pk = pnyx_calloc(n, sizeof *g->pk);
	if (g->members == NULL || g->off == NULL || g->pk == NULL)
		die("out of memory");
	pnyx_buf_init(&g->text, PNYX_ENTRY_MAX);
	pnyx_buf_init(&g->note, PNYX_ENTRY_MAX);
	for (size_t i = 0; i < nmembers; i++) {
		char code[4];
		member_code(i, code);
		actor_init(&g->members[i], code);
	}
	actor_init(&g->secretariat, "secretariat");
	actor_init(&g->chair, "chair.1");
	genesis(g);
	for (size_t c = 0; g->nleaves < g->want; c++)
		cycle(g, c);
}

static void gen_free(gen *g)
{
	pnyx_free(g->members);
	pnyx_free(g->off);
	pnyx_free(g->pk);
	pnyx_free(g->data);
	pnyx_buf_clear(&g->text);
	pnyx_buf_clear(&g->note);
}

/* ---- the timed parts ---- */

/* Replays every leaf into a fresh state; returns the seconds it took and
 * the digest reached. */
static double replay(const gen *g, pnyx_engine_mode mode, pnyx_hash *digest)
{
	pnyx_state *st;
	if (pnyx_state_new(&st) != PNYX_OK)
		die("out of memory");
	double t0 = bench_now();
	for (uint64_t i = 0; i < g->nleaves; i++) {
		pnyx_verdict v;
		if (pnyx_engine_apply(st, g->data + g->off[i], g->off[i + 1] - g->off[i],
				      mode, &v) != PNYX_RULE_OK)
			die("replay: leaf %llu refused: %s: %s", (unsigned long long)i,
			    pnyx_rule_name(v.code), v.msg);
	}
	double t = bench_now() - t0;
	if (pnyx_state_digest(st, digest) != PNYX_OK)
		die("digest");
	const json_t *root = pnyx_state_json(st);
	bench_report_u64("state.decisions", json_object_size(json_object_get(root, "decisions")));
	bench_report_u64("state.documents", json_object_size(json_object_get(root, "documents")));
	pnyx_state_free(st);
	return t;
}

/* The best of repeat replays; each must reach *want, which the first
 * trusting replay sets. */
static void time_replay(const gen *g, pnyx_engine_mode mode, unsigned repeat,
			pnyx_hash *want, const char *key)
{
	double best = 0;
	for (unsigned r = 0; r < repeat; r++) {
		pnyx_hash got;
		double t = replay(g, mode, &got);
		if (r == 0 && mode == PNYX_ENGINE_TRUST_SIGNATURES)
			*want = got;
		if (!pnyx_hash_eq(&got, want))
			die("%s replay reached another digest", key);
		best = r == 0 || t < best ? t : best;
	}
	bench_report_rate(key, g->nleaves, best);
}

/* One signed text and its signature, taken out of a leaf. */
typedef struct signed_msg {
	const uint8_t *text;
	size_t len;
	uint8_t sig[PNYX_SIG_LEN];
	const uint8_t *pk;
} signed_msg;

static void extract(const gen *g, uint64_t i, signed_msg *m)
{
	static const char dash[] = "\n\xe2\x80\x94 ";
	pnyx_leaf leaf;
	const uint8_t *p = g->data + g->off[i];
	size_t n = g->off[i + 1] - g->off[i];
	if (pnyx_leaf_parse(p, n, &leaf, NULL) != PNYX_OK ||
	    pnyx_note_text_len(leaf.note, leaf.note_len, &m->len) != PNYX_OK)
		die("leaf %llu: no note", (unsigned long long)i);
	m->text = leaf.note;
	const uint8_t *line = leaf.note + m->len; /* the blank line */
	size_t left = leaf.note_len - m->len;
	const uint8_t *b64 = left > sizeof dash ? memchr(line + sizeof dash - 1, ' ',
							 left - (sizeof dash - 1)) : NULL;
	uint8_t raw[4 + PNYX_SIG_LEN];
	size_t raw_len;
	const uint8_t *end = leaf.note + leaf.note_len - 1; /* the final newline */
	if (b64 == NULL || memcmp(line, dash, sizeof dash - 1) != 0 ||
	    pnyx_base64_decode(b64 + 1, (size_t)(end - b64 - 1), raw, sizeof raw,
			       &raw_len) != PNYX_OK || raw_len != sizeof raw)
		die("leaf %llu: no signature", (unsigned long long)i);
	memcpy(m->sig, raw + 4, PNYX_SIG_LEN);
	m->pk = g->pk[i];
}

/* crypto_sign_verify_detached alone, on up to VERIFY_MAX leaves spread
 * over the log (leaf 0, the genesis, is left out: it is larger than any
 * other). */
static void time_verify(const gen *g)
{
	uint64_t count = g->nleaves - 1 < VERIFY_MAX ? g->nleaves - 1 : VERIFY_MAX;
	uint64_t stride = (g->nleaves - 1) / count;
	signed_msg *m = pnyx_calloc(count, sizeof *m);
	if (m == NULL)
		die("out of memory");
	size_t bytes = 0;
	for (uint64_t k = 0; k < count; k++) {
		extract(g, 1 + k * stride, &m[k]);
		bytes += m[k].len;
	}
	double t0 = bench_now();
	for (uint64_t k = 0; k < count; k++)
		if (crypto_sign_verify_detached(m[k].sig, m[k].text, m[k].len, m[k].pk) != 0)
			die("signature %llu does not verify", (unsigned long long)k);
	double t = bench_now() - t0;
	bench_report_rate("verify", count, t);
	bench_report_u64("verify.mean_text_bytes", bytes / count);
	pnyx_free(m);
}

static void report_mix(const gen *g)
{
	for (size_t i = 0; i < g->ntypes; i++) {
		char key[64];
		snprintf(key, sizeof key, "mix.%s", g->mix[i].type);
		bench_report_u64(key, g->mix[i].count);
	}
	bench_report_u64("leaf.mean_bytes", g->len / g->nleaves);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_engine N MEMBERS [REPEAT]\n");
		return 2;
	}
	uint64_t n = bench_arg(argv[1]);
	uint64_t nmembers = bench_arg(argv[2]);
	unsigned repeat = argc == 4 ? (unsigned)bench_arg(argv[3]) : 1;
	if (n < 1000 || nmembers < 3 || nmembers > 250 || repeat < 1)
		die("N >= 1000, MEMBERS 3 to 250, REPEAT >= 1");
	if (pnyx_init() != PNYX_OK)
		die("cannot initialise");
	setvbuf(stdout, NULL, _IOLBF, 0); /* figures as they come: runs are long */
	gen g;
	double t0 = bench_now();
	generate(&g, n, (size_t)nmembers);
	bench_report_rate("gen", g.nleaves, bench_now() - t0);
	bench_report_u64("members", nmembers);
	report_mix(&g);
	pnyx_hash want;
	time_replay(&g, PNYX_ENGINE_TRUST_SIGNATURES, repeat, &want, "trust");
	bench_report_hash("digest", &want);
	/* BENCH_ENGINE_TRUST_ONLY=1: stop after the trusted replay (profiling) */
	const char *only = getenv("BENCH_ENGINE_TRUST_ONLY");
	if (only == NULL || strcmp(only, "1") != 0) {
		time_replay(&g, PNYX_ENGINE_CHECK_SIGNATURES, repeat, &want, "check");
		time_verify(&g);
	}
	bench_report_u64("rss_kb", (uint64_t)bench_rss_kb());
	gen_free(&g);
	return 0;
}
