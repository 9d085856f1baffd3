/*
 * Property tests of the engine: seeded random streams of valid and invalid
 * actions from many members (and stakeholders who may not decide). After
 * every step the invariants of the rules of procedure must hold; every
 * refused action must leave the state digest unchanged (the harness checks
 * it); and replaying the accepted leaves, checking or trusting signatures,
 * must reach the live state digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "engine_support.h"

#define NMEM 12
#define NDOCS 4
#define HOUR (UINT64_C(3600) * 1000)

static const char *const members[NMEM] = {"ARG", "BEN", "CAN", "DNK", "EGY", "FJI",
					  "GHA", "IND", "JPN", "KEN", "MEX", "NOR"};
static const char *const stakeholders[2] = {"sh.isoc", "sh.ngo"};

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(rng >> 33) % n;
}

static void setup(eng *e, uint64_t seed)
{
	rng = seed;
	eng_init(e, "prop");
	eng_genesis(e, members, NMEM, NULL);
	e->now += HOUR;
	EXPECT_OK(e, "secretariat", "stakeholder.list_add", "{s:[ss]}", "names", "ISOC", "NGO");
	EXPECT_OK(e, "sh.isoc", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(e, "sh.isoc"), "name", "ISOC", "category", "technical-community");
	EXPECT_OK(e, "sh.ngo", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(e, "sh.ngo"), "name", "NGO", "category", "ngo");
	for (int d = 0; d < NDOCS; d++) {
		char id[16];
		snprintf(id, sizeof id, "doc%d", d);
		EXPECT_OK(e, "chair.1", "document.create", "{s:s,s:{s:s},s:[{s:s,s:{s:s}},{s:s,s:{s:s}}]}",
			  "id", id, "title", "en", "A draft", "paragraphs", "id", "p1", "text",
			  "en", "First paragraph.", "id", "p2", "text", "en", "Second paragraph.");
	}
}

/* Count of positions of a decision whose current position is in set. */
static size_t count_positions(const json_t *d, const char *const *set, size_t n)
{
	size_t count = 0;
	const char *code;
	const json_t *p;
	json_object_foreach(json_object_get(d, "positions"), code, p)
		for (size_t i = 0; i < n; i++)
			count += strcmp(json_string_value(json_object_get(p, "position")),
					set[i]) == 0;
	return count;
}

static bool is_stakeholder_in(const json_t *list)
{
	size_t i;
	const json_t *x;
	json_array_foreach(list, i, x)
		if (strncmp(json_string_value(x), "sh.", 3) == 0)
			return true;
	return false;
}

static void check_decision(const char *id, const json_t *d)
{
	const char *status = json_string_value(json_object_get(d, "status"));
	const char *proc = json_string_value(json_object_get(d, "procedure"));
	const char *code;
	const json_t *p;
	json_object_foreach(json_object_get(d, "positions"), code, p) {
		if (strncmp(code, "sh.", 3) == 0 || strlen(code) != 3)
			fail_msg("%s: a non-member %s holds a position", id, code);
		const json_t *h = json_object_get(p, "history");
		if (json_array_size(h) == 0 ||
		    !json_equal(json_object_get(json_array_get(h, json_array_size(h) - 1), "position"),
				json_object_get(p, "position")))
			fail_msg("%s: %s's position is not the last of its history", id, code);
	}
	if (strcmp(status, "open") == 0)
		return;
	const json_t *t = json_object_get(d, "tally");
	const char *k;
	const json_t *list;
	json_object_foreach((json_t *)t, k, list)
		if (json_is_array(list) && is_stakeholder_in(list))
			fail_msg("%s: a stakeholder appears in the tally", id);
	if (strcmp(proc, "consensus") == 0) {
		static const char *const took[] = {"joined", "objected"};
		size_t j = json_array_size(json_object_get(t, "joined"));
		size_t o = json_array_size(json_object_get(t, "objected"));
		if (j + o != count_positions(d, took, 2))
			fail_msg("%s: the consensus tally does not sum to the members who took part", id);
		if (strcmp(status, "adopted") == 0 && o != 0)
			fail_msg("%s: adopted over a standing objection", id);
	} else if (strcmp(proc, "vote") == 0) {
		static const char *const took[] = {"yes", "no", "abstain"};
		size_t y = json_array_size(json_object_get(t, "yes"));
		size_t n = json_array_size(json_object_get(t, "no"));
		size_t a = json_array_size(json_object_get(t, "abstain"));
		if (y + n + a != count_positions(d, took, 3))
			fail_msg("%s: the vote tally does not sum to the members who voted", id);
		if (strcmp(status, "adopted") == 0 && y <= n)
			fail_msg("%s: adopted without a majority", id);
	}
}

static void check_invariants(eng *e)
{
	const char *id;
	const json_t *d;
	json_object_foreach((json_t *)eng_get(e, "decisions", NULL), id, d)
		check_decision(id, d);
}

/* Mostly an open decision; sometimes any id opened so far, or a fresh one. */
static void decision_id(eng *e, char *out, size_t cap, int opened)
{
	const char *open[64];
	size_t n = 0;
	const char *id;
	const json_t *d;
	json_object_foreach((json_t *)eng_get(e, "decisions", NULL), id, d)
		if (n < 64 && strcmp(json_string_value(json_object_get(d, "status")), "open") == 0)
			open[n++] = id;
	if (n > 0 && rnd(5) != 0)
		snprintf(out, cap, "%s", open[rnd((uint32_t)n)]);
	else
		snprintf(out, cap, "d%u", rnd((uint32_t)opened + 1));
}

static pnyx_rule open_decision(eng *e, int *opened)
{
	static const char *const procs[] = {"consensus", "vote", "silence"};
	char id[16], doc[16];
	snprintf(id, sizeof id, "d%d", *opened);
	snprintf(doc, sizeof doc, "doc%u", rnd(NDOCS));
	const char *proc = procs[rnd(3)];
	pnyx_rule r = strcmp(proc, "silence") == 0
			      ? eng_act(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}",
					"id", id, "procedure", proc, "document", doc,
					"revision", 1, "deadline_ms",
					(json_int_t)(e->now + (72 + rnd(24)) * HOUR))
			      : eng_act(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:b}",
					"id", id, "procedure", proc, "document", doc,
					"revision", 1, "important", (int)rnd(2));
	if (r == PNYX_RULE_OK)
		(*opened)++;
	return r;
}

/* An action whose envelope is wrong: a skipped or replayed sequence number,
 * or a member signing for another. Always refused. */
static pnyx_rule forged(eng *e, const char *m)
{
	eng_actor *a = eng_who(e, m);
	json_int_t seq = rnd(2) ? (json_int_t)a->seq + 2 : (json_int_t)a->seq;
	const pnyx_signer *key = &a->key;
	if (rnd(2)) {
		seq = (json_int_t)a->seq + 1;
		key = &eng_who(e, members[rnd(NMEM)])->key;
		if (key == &a->key)
			seq = (json_int_t)a->seq + 3;
	}
	json_t *body = json_pack("{s:s,s:s,s:I,s:s,s:s}", "forum", e->forum, "actor",
				 m, "seq", seq, "type", "consensus.join", "decision", "d0");
	pnyx_rule r = eng_act_raw(e, body, key);
	assert_int_not_equal(r, PNYX_RULE_OK);
	return r;
}

static pnyx_rule member_step(eng *e, const char *m, const char *dec, uint32_t pick)
{
	static const char *const votes[] = {"yes", "no", "abstain"};
	switch (pick) {
	case 0: case 1: case 2:
		return rnd(4) == 0 ? eng_act(e, m, "consensus.join", "{s:s,s:[s]}", "decision",
					     dec, "dissociate", "p2")
				   : eng_act(e, m, "consensus.join", "{s:s}", "decision", dec);
	case 3: return eng_act(e, m, "consensus.object", "{s:s}", "decision", dec);
	case 4: return eng_act(e, m, "consensus.withdraw_objection", "{s:s}", "decision", dec);
	case 5: return eng_act(e, m, "vote.request", "{s:s}", "decision", dec);
	case 6: case 7:
		return eng_act(e, m, "vote.cast", "{s:s,s:s}", "decision", dec, "vote",
			       votes[rnd(3)]);
	case 8:
		return eng_act(e, m, "silence.break", "{s:s,s:{s:s}}", "decision", dec,
			       "reason", "en", "Not yet.");
	default:
		return eng_act(e, m, "position.explain", "{s:s,s:{s:s},s:s}", "decision", dec,
			       "text", "en", "Our position.", "when", rnd(2) ? "before" : "after");
	}
}

static pnyx_rule random_step(eng *e, int *opened)
{
	char dec[16];
	decision_id(e, dec, sizeof dec, *opened);
	const char *m = members[rnd(NMEM)];
	uint32_t pick = rnd(20);
	if (pick < 10)
		return member_step(e, m, dec, pick);
	if (pick < 12)
		return open_decision(e, opened);
	if (pick < 14)
		return eng_act(e, "chair.1", "decision.close", "{s:s}", "decision", dec);
	if (pick < 16) /* stakeholders never decide */
		return eng_act(e, stakeholders[rnd(2)], rnd(2) ? "consensus.join" : "vote.cast",
			       rnd(2) ? "{s:s}" : "{s:s,s:s}", "decision", dec, "vote", "yes");
	if (pick < 17)
		return eng_act(e, stakeholders[rnd(2)], "input.submit", "{s:s,s:{s:s}}",
			       "document", "doc0", "text", "en", "Written input.");
	return forged(e, m);
}

static void random_streams(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		eng e;
		setup(&e, seed);
		int opened = 0;
		size_t ok = 0, refused = 0;
		for (int step = 0; step < 700; step++) {
			e.now += rnd(8) == 0 ? (40 + rnd(60)) * HOUR : rnd(3 * 3600) * 1000u;
			pnyx_rule r = random_step(&e, &opened);
			if (r == PNYX_RULE_OK)
				ok++;
			else
				refused++;
			check_invariants(&e);
		}
		print_message("seed %llu: %zu accepted, %zu refused, %d decisions\n",
			      (unsigned long long)seed, ok, refused, opened);
		assert_true(ok > 150 && refused > 150 && opened > 10);
		eng_check_replay(&e);
		eng_free(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
