/*
 * A long random cooperation scenario (a fixed seed, so every run is the
 * same): members register contacts, send requests of every kind to each
 * other, acknowledge, answer, decline and close them (and try what they
 * may not), the secretariat runs ping rounds, time moves on by minutes to
 * days. Then:
 *   - replaying the accepted leaves (whole log) gives the live digest;
 *   - each leaf's audience is every member, or exactly the two members of
 *     the request it concerns;
 *   - replaying only the leaves one member may read (member view) gives
 *     that member's figures, the data request figures of its pairs and the
 *     ping figures exactly as the whole log does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "coop_support.h"

#define STEPS 1500
#define NM 8

static const char *const codes[NM] = {"BRA", "CHN", "EGY", "FRA",
				      "IND", "KEN", "NOR", "USA"};
static const char *const kinds[] = {"incident", "assistance", "information", "data"};
static const char *const severities[] = {"low", "medium", "high", "critical"};
static const char *const grounds[] = {"political-offence", "human-rights", "other",
				      "not-in-jurisdiction"};

static uint64_t rng = UINT64_C(0x9e3779b97f4a7c15);

static size_t pick(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (size_t)(rng % n);
}

/* A request id of the live state (NULL if none yet). */
static const char *any_request(coop_h *h, const json_t **req)
{
	const json_t *all = coop_h_get(h, "requests", NULL);
	size_t n = json_object_size(all), k = n ? pick(n) : 0;
	const char *id;
	const json_t *r;
	json_object_foreach((json_t *)all, id, r)
		if (k-- == 0) {
			*req = r;
			return id;
		}
	return NULL;
}

/* Mostly the recipient, sometimes the sender or a third member. */
static const char *actor_for(const json_t *req)
{
	size_t p = pick(10);
	if (p < 7)
		return json_string_value(json_object_get(req, "to"));
	if (p < 9)
		return json_string_value(json_object_get(req, "from"));
	return codes[pick(NM)];
}

static void step_request(coop_h *h, size_t what)
{
	const json_t *req;
	const char *id = any_request(h, &req);
	if (id == NULL)
		return;
	char rid[96];
	snprintf(rid, sizeof rid, "%s", id);
	const char *who = actor_for(req);
	const char *from = json_string_value(json_object_get(req, "from"));
	char other[8];
	snprintf(other, sizeof other, "%s", from);
	if (what == 0)
		(void)coop_h_act(h, who, "request.ack", "{s:s}", "request", rid);
	else if (what == 1)
		(void)coop_h_act(h, who, "request.answer", "{s:s,s:o}", "request", rid,
				 "sealed", coop_h_sealed(who, other));
	else if (what == 2)
		(void)coop_h_act(h, who, "request.decline", "{s:s,s:s}", "request", rid,
				 "grounds", grounds[pick(4)]);
	else
		(void)coop_h_act(h, who, "request.close", "{s:s}", "request", rid);
}

static void step_send(coop_h *h)
{
	const char *from = codes[pick(NM)], *to = codes[pick(NM)];
	const char *kind = kinds[pick(4)];
	json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:o}", "to", to, "kind", kind,
				 "severity", severities[pick(4)], "tlp", "GREEN", "sealed",
				 coop_h_sealed(from, to));
	if (strcmp(kind, "data") == 0 && pick(8) != 0)
		json_object_set_new(body, "legal_basis", json_string("MLAT of 2001"));
	(void)coop_h_act(h, from, "request.send", "O", body);
	json_decref(body);
}

static void step_ping(coop_h *h, size_t *rounds)
{
	char round[32];
	if (pick(3) == 0) {
		snprintf(round, sizeof round, "r%zu", ++*rounds);
		(void)coop_h_act(h, "secretariat", "ping.start", "{s:s}", "round", round);
		return;
	}
	if (*rounds == 0)
		return;
	snprintf(round, sizeof round, "r%zu", 1 + pick(*rounds));
	(void)coop_h_act(h, codes[pick(NM)], "ping.ack", "{s:s,s:s}", "round", round,
			 "contact", pick(2) ? "tech-1" : "dipl-2");
}

static void run(coop_h *h)
{
	size_t rounds = 0;
	for (size_t i = 0; i < STEPS; i++) {
		h->e.now += pick(4) == 0 ? pick(72) * UINT64_C(3600000) : pick(600000);
		size_t p = pick(20);
		if (p < 2) {
			const char *m = codes[pick(NM)];
			coop_h_register(h, m, 1 + pick(3));
		} else if (p < 7) {
			step_send(h);
		} else if (p < 17) {
			step_request(h, pick(4));
		} else {
			step_ping(h, &rounds);
		}
	}
	h->e.now += 100 * UINT64_C(3600000);
	coop_h_register(h, "KEN", 2); /* every member sees the last leaf */
}

static bool member_sees(const pnyx_coop_audience *a, const char *m)
{
	return a->all_members || strcmp(a->a, m) == 0 || strcmp(a->b, m) == 0;
}

static void check_audiences(coop_h *h)
{
	pnyx_coop *c;
	assert_int_equal(pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &c), PNYX_OK);
	for (size_t i = 0; i < h->n; i++) {
		assert_int_equal(pnyx_coop_apply(c, h->e.st, h->leaves[i].data, h->leaves[i].len,
						 PNYX_ENGINE_TRUST_SIGNATURES, NULL),
				 PNYX_RULE_OK);
		const char *type = strstr((const char *)h->leaves[i].data, "\"type\":\"");
		assert_non_null(type);
		bool request = strncmp(type + 8, "request.", 8) == 0;
		assert_true(h->aud[i].all_members == !request);
		if (request) {
			assert_true(strcmp(h->aud[i].a, pnyx_coop_last_actor(c)) == 0 ||
				    strcmp(h->aud[i].b, pnyx_coop_last_actor(c)) == 0);
			assert_true(strcmp(h->aud[i].a, h->aud[i].b) != 0);
		}
	}
	pnyx_coop_free(c);
}

/* The data request figures of every pair m belongs to. */
static json_t *pairs_of(const json_t *figures, const char *m)
{
	json_t *out = json_object();
	const json_t *dr = json_object_get(figures, "data_requests");
	const char *from;
	const json_t *tos;
	json_object_foreach((json_t *)dr, from, tos) {
		const char *to;
		const json_t *pair;
		json_object_foreach((json_t *)tos, to, pair) {
			char key[32];
			snprintf(key, sizeof key, "%s>%s", from, to);
			if (strcmp(from, m) == 0 || strcmp(to, m) == 0)
				json_object_set(out, key, (json_t *)pair);
		}
	}
	return out;
}

static void check_member_view(coop_h *h, const char *m)
{
	pnyx_coop *view = coop_h_replay(h, PNYX_COOP_MEMBER_VIEW, member_sees, m);
	const json_t *want = json_object_get(pnyx_coop_json(h->c), "figures");
	const json_t *got = json_object_get(pnyx_coop_json(view), "figures");
	if (!json_equal(json_object_get(json_object_get(want, "per_member"), m),
			json_object_get(json_object_get(got, "per_member"), m)))
		fail_msg("the member view of %s gives other figures for it", m);
	json_t *a = pairs_of(want, m), *b = pairs_of(got, m);
	if (!json_equal(a, b))
		fail_msg("the member view of %s gives other data request figures", m);
	assert_true(json_equal(json_object_get(want, "pings"), json_object_get(got, "pings")));
	json_decref(a);
	json_decref(b);
	pnyx_coop_free(view);
}

static void long_random_scenario(void **state)
{
	(void)state;
	coop_h h;
	coop_h_init(&h, codes, NM);
	run(&h);
	const json_t *reqs = coop_h_get(&h, "requests", NULL);
	print_message("%zu leaves accepted, %zu requests, %zu rounds\n", h.n,
		      json_object_size(reqs),
		      json_object_size(coop_h_get(&h, "pings", NULL)));
	assert_true(h.n > STEPS / 3);
	assert_true(json_object_size(reqs) > 50);
	coop_h_check_replay(&h);
	check_audiences(&h);
	for (size_t i = 0; i < NM; i++)
		check_member_view(&h, codes[i]);
	coop_h_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_random_scenario),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
