/*
 * A full scenario in the style of a real working group, through real signed
 * actions: a secretariat, the 193 UN member states, a chair's draft of the
 * eleven norms of the 2015 GGE report (in Pnyx's own words, data/), three
 * revisions with amendments, a consensus decision blocked by one objection,
 * a fourth revision, adoption by consensus with reservations and
 * explanations of position, a silence procedure broken once and then
 * passed, stakeholders accredited (on notification, by non-objection) and
 * one objected to, commitments and implementation reports. Outcomes are
 * asserted, and the replay of the log reaches the same state digest.
 *
 * Members that take scripted positions are drawn by a seeded pseudo-random
 * choice, never picked to suggest any real government's policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_support.h"
#include "support.h"

#define NMEMBERS 193
#define HOUR (UINT64_C(3600) * 1000)

static char codes[NMEMBERS][4];
static const char *code_ptrs[NMEMBERS];
static char norm_ids[11][16];
static char norm_texts[11][400];

static void load_members(void)
{
	size_t n = 0;
	FILE *f = fopen(test_source_path("data/un-members.txt"), "r");
	assert_non_null(f);
	char buf[512];
	while (fgets(buf, sizeof buf, f) != NULL) {
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		assert_true(n < NMEMBERS);
		memcpy(codes[n], buf, 3);
		codes[n][3] = 0;
		code_ptrs[n] = codes[n];
		n++;
	}
	fclose(f);
	assert_int_equal(n, NMEMBERS);
}

static void load_norms(void)
{
	FILE *f = fopen(test_source_path("data/norms-2015.tsv"), "r");
	assert_non_null(f);
	char buf[512];
	size_t n = 0;
	while (fgets(buf, sizeof buf, f) != NULL) {
		if (buf[0] == '#')
			continue;
		char *tab = strchr(buf, '\t');
		assert_non_null(tab);
		*tab = 0;
		tab[strcspn(tab + 1, "\n") + 1] = 0;
		assert_true(n < 11);
		snprintf(norm_ids[n], sizeof norm_ids[n], "%.15s", buf);
		snprintf(norm_texts[n], sizeof norm_texts[n], "%.399s", tab + 1);
		n++;
	}
	fclose(f);
	assert_int_equal(n, 11);
}

/* A seeded linear congruential generator: the scripted members. */
static uint32_t lcg_state = 20151;
static size_t draw(size_t n)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return (lcg_state >> 8) % n;
}

/* The paragraphs of a revision: a preamble and the eleven norms, with
 * overrides for some norms' texts (NULL keeps the original). */
static json_t *paragraphs(const char *const over[11])
{
	json_t *p = json_array();
	json_array_append_new(p, json_pack("{s:s,s:{s:s,s:s}}", "id", "preamble",
					   "text", "en",
					   "The Group recalls that the norms are voluntary and non-binding.",
					   "fr",
					   "Le Groupe rappelle que les normes sont volontaires et non contraignantes."));
	for (size_t i = 0; i < 11; i++)
		json_array_append_new(p, json_pack("{s:s,s:b,s:{s:s}}", "id", norm_ids[i],
						   "norm", 1, "text", "en",
						   over != NULL && over[i] != NULL ? over[i]
										  : norm_texts[i]));
	return p;
}

/* A member drawn at random that is not in taken[0..ntaken-1]. */
static const char *draw_member(const char **taken, size_t *ntaken)
{
	for (;;) {
		const char *c = codes[draw(NMEMBERS)];
		bool used = false;
		for (size_t i = 0; i < *ntaken; i++)
			used = used || strcmp(taken[i], c) == 0;
		if (!used) {
			taken[(*ntaken)++] = c;
			return c;
		}
	}
}

static void stakeholders_apply(eng *e, const char **taken, size_t *ntaken,
			       const char **objector)
{
	EXPECT_OK(e, "secretariat", "stakeholder.list_add", "{s:[s]}", "names",
		  "Internet Society");
	EXPECT_OK(e, "sh.isoc", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(e, "sh.isoc"), "name", "Internet Society", "category",
		  "technical-community");
	EXPECT_OK(e, "sh.uni", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(e, "sh.uni"), "name", "University Cyber Policy Centre",
		  "category", "academia");
	EXPECT_OK(e, "sh.corp", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		  eng_vkey(e, "sh.corp"), "name", "Example Security Ltd", "category",
		  "company");
	*objector = draw_member(taken, ntaken);
	EXPECT_OK(e, *objector, "stakeholder.object", "{s:s,s:{s:s}}", "stakeholder",
		  "sh.corp", "reason", "en", "Training scenario: an objection on the record.");
	assert_string_equal(eng_get_str(e, "stakeholders", "applications", "sh.isoc",
					"status", NULL), "accredited");
	assert_string_equal(eng_get_str(e, "stakeholders", "applications", "sh.uni",
					"status", NULL), "pending");
}

/* Rev.1 from the chair, amendments, Rev.2 and Rev.3 taking some in. */
static void draft_and_revisions(eng *e, const char **taken, size_t *ntaken,
				const char *over[11])
{
	EXPECT_OK(e, "chair.1", "document.create", "{s:s,s:{s:s,s:s},s:o}", "id", "norms",
		  "title", "en", "Voluntary norms of responsible State behaviour", "fr",
		  "Normes volontaires de comportement responsable des États",
		  "paragraphs", paragraphs(NULL));
	const char *a = draw_member(taken, ntaken), *b = draw_member(taken, ntaken);
	const char *c = draw_member(taken, ntaken), *d = draw_member(taken, ntaken);
	over[2] = "States do not knowingly allow their territory to be used for "
		  "internationally wrongful acts carried out with ICTs, and act when "
		  "they learn of such use.";
	EXPECT_OK(e, a, "amendment.table", "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-1",
		  "document", "norms", "revision", 1, "paragraph", "norm-c", "op",
		  "replace", "text", "en", over[2]);
	EXPECT_OK(e, b, "amendment.cosponsor", "{s:s}", "amendment", "am-1");
	EXPECT_OK(e, c, "amendment.table", "{s:s,s:s,s:i,s:s,s:s}", "id", "am-2",
		  "document", "norms", "revision", 1, "paragraph", "preamble", "op", "delete");
	EXPECT_OK(e, c, "amendment.withdraw", "{s:s}", "amendment", "am-2");
	EXPECT_OK(e, "chair.1", "revision.issue", "{s:s,s:o,s:[s]}", "document", "norms",
		  "paragraphs", paragraphs(over), "amendments_taken", "am-1");
	over[7] = "States answer appropriate requests for help from another State whose "
		  "critical infrastructure is the target of malicious ICT acts, within "
		  "agreed times.";
	EXPECT_OK(e, d, "amendment.table", "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-3",
		  "document", "norms", "revision", 2, "paragraph", "norm-h", "op",
		  "replace", "text", "en", over[7]);
	EXPECT_OK(e, "chair.1", "revision.issue", "{s:s,s:o,s:[s]}", "document", "norms",
		  "paragraphs", paragraphs(over), "amendments_taken", "am-3");
	assert_string_equal(eng_get_str(e, "documents", "norms", "amendments", "am-1",
					"status", NULL), "taken");
	assert_string_equal(eng_get_str(e, "documents", "norms", "amendments", "am-2",
					"status", NULL), "withdrawn");
}

/* Every member joins a consensus decision except the given objector (NULL:
 * none); members in dissociating[] join with a reservation on norm-k. */
static void everyone_joins(eng *e, const char *decision, const char *objector,
			   const char *const *dissociating, size_t ndis)
{
	for (size_t i = 0; i < NMEMBERS; i++) {
		if (objector != NULL && strcmp(codes[i], objector) == 0) {
			EXPECT_OK(e, codes[i], "consensus.object", "{s:s,s:{s:s}}", "decision",
				  decision, "reason", "en",
				  "Training scenario: norm b needs more work.");
			continue;
		}
		bool dis = false;
		for (size_t j = 0; j < ndis; j++)
			dis = dis || strcmp(dissociating[j], codes[i]) == 0;
		if (dis)
			EXPECT_OK(e, codes[i], "consensus.join", "{s:s,s:[s]}", "decision",
				  decision, "dissociate", "norm-k");
		else
			EXPECT_OK(e, codes[i], "consensus.join", "{s:s}", "decision", decision);
		e->now += 1000;
	}
}

static void blocked_then_adopted(eng *e, const char **taken, size_t *ntaken,
				 const char *over[11])
{
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", "adopt-rev3",
		  "procedure", "consensus", "document", "norms", "revision", 3);
	const char *objector = draw_member(taken, ntaken);
	everyone_joins(e, "adopt-rev3", objector, NULL, 0);
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", "adopt-rev3");
	assert_string_equal(eng_get_str(e, "decisions", "adopt-rev3", "status", NULL),
			    "not-adopted");
	assert_string_equal(eng_get_str(e, "decisions", "adopt-rev3", "outcome_code", NULL),
			    "objection");
	const json_t *tally = eng_get(e, "decisions", "adopt-rev3", "tally", NULL);
	assert_int_equal(json_array_size(json_object_get(tally, "joined")), NMEMBERS - 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(tally, "objected"), 0)),
			    objector);

	over[1] = "Faced with an ICT incident, States weigh all relevant information, "
		  "including its wider context, the challenges of attribution and the "
		  "nature and extent of the consequences.";
	EXPECT_OK(e, "chair.1", "revision.issue", "{s:s,s:o,s:[]}", "document", "norms",
		  "paragraphs", paragraphs(over), "amendments_taken");
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", "adopt-rev4",
		  "procedure", "consensus", "document", "norms", "revision", 4);
	EXPECT_OK(e, objector, "position.explain", "{s:s,s:{s:s,s:s},s:s}", "decision",
		  "adopt-rev4", "text", "en",
		  "Training scenario: the revision meets our concern on norm b.", "fr",
		  "Scénario de formation : la révision répond à notre préoccupation.",
		  "when", "before");
	const char *dis[3];
	for (size_t i = 0; i < 3; i++)
		dis[i] = draw_member(taken, ntaken);
	everyone_joins(e, "adopt-rev4", NULL, dis, 3);
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", "adopt-rev4");
	assert_string_equal(eng_get_str(e, "decisions", "adopt-rev4", "status", NULL),
			    "adopted");
	assert_string_equal(eng_get_str(e, "decisions", "adopt-rev4", "outcome_code", NULL),
			    "consensus");
	tally = eng_get(e, "decisions", "adopt-rev4", "tally", NULL);
	assert_int_equal(json_array_size(json_object_get(tally, "joined")), NMEMBERS);
	assert_int_equal(json_array_size(json_object_get(tally, "objected")), 0);
	assert_int_equal(json_object_size(json_object_get(tally, "reservations")), 3);
	for (size_t i = 0; i < 2; i++)
		EXPECT_OK(e, draw_member(taken, ntaken), "position.explain",
			  "{s:s,s:{s:s},s:s}", "decision", "adopt-rev4", "text", "en",
			  "Training scenario: an explanation after the adoption.", "when",
			  "after");
	assert_int_equal(json_array_size(eng_get(e, "decisions", "adopt-rev4",
						 "explanations", NULL)), 3);
}

static void silence_broken_then_passed(eng *e, const char **taken, size_t *ntaken)
{
	EXPECT_OK(e, "chair.1", "document.create", "{s:s,s:{s:s},s:[{s:s,s:{s:s}}]}",
		  "id", "procedural-report", "title", "en", "Procedural report", "paragraphs",
		  "id", "p1", "text", "en", "The Group held its first session.");
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "proc-1",
		  "procedure", "silence", "document", "procedural-report", "revision", 1,
		  "deadline_ms", (json_int_t)(e->now + 72 * HOUR));
	e->now += 24 * HOUR;
	EXPECT_OK(e, draw_member(taken, ntaken), "silence.break", "{s:s,s:{s:s}}",
		  "decision", "proc-1", "reason", "en", "Training scenario: a date is wrong.");
	assert_string_equal(eng_get_str(e, "decisions", "proc-1", "outcome_code", NULL),
			    "silence-broken");
	EXPECT_OK(e, "chair.1", "revision.issue", "{s:s,s:[{s:s,s:{s:s}}],s:[]}",
		  "document", "procedural-report", "paragraphs", "id", "p1", "text", "en",
		  "The Group held its first and second sessions.", "amendments_taken");
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "proc-2",
		  "procedure", "silence", "document", "procedural-report", "revision", 2,
		  "deadline_ms", (json_int_t)(e->now + 72 * HOUR));
	e->now += 73 * HOUR;
	/* any later leaf records that silence was kept */
	EXPECT_OK(e, "sh.uni", "input.submit", "{s:s,s:{s:s}}", "document", "norms", "text",
		  "en", "Training scenario: written input from academia.");
	assert_string_equal(eng_get_str(e, "decisions", "proc-2", "status", NULL), "adopted");
	assert_string_equal(eng_get_str(e, "decisions", "proc-2", "outcome_code", NULL),
			    "silence-passed");
}

static void commitments_and_reports(eng *e, const char **taken, size_t *ntaken)
{
	for (size_t i = 0; i < 5; i++) {
		const char *m = draw_member(taken, ntaken);
		EXPECT_OK(e, m, "commitment.subscribe", "{s:s,s:s}", "decision", "adopt-rev4",
			  "norm", "norm-g");
		e->now += HOUR;
		EXPECT_OK(e, m, "report.file", "{s:s,s:s,s:s,s:{s:s}}", "decision",
			  "adopt-rev4", "norm", "norm-g", "status", "in-progress", "text", "en",
			  "Training scenario: a national plan is being drafted.");
		assert_string_equal(eng_get_str(e, "commitments", "adopt-rev4", "norms",
						"norm-g", m, "status", NULL), "subscribed");
	}
	assert_int_equal(json_object_size(eng_get(e, "commitments", "adopt-rev4", "norms",
						  "norm-g", NULL)), 5);
}

static void working_group(void **state)
{
	(void)state;
	load_members();
	load_norms();
	eng e;
	eng_init(&e, "oewg-training");
	eng_genesis(&e, code_ptrs, NMEMBERS, NULL);
	e.now += HOUR;
	const char *taken[64];
	size_t ntaken = 0;
	const char *sh_objector;
	const char *over[11] = {NULL};
	stakeholders_apply(&e, taken, &ntaken, &sh_objector);
	draft_and_revisions(&e, taken, &ntaken, over);
	EXPECT_OK(&e, "sh.isoc", "input.submit", "{s:s,s:{s:s}}", "document", "norms",
		  "text", "en", "Training scenario: input from the technical community.");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.corp", "input.submit", "{s:s,s:{s:s}}",
		    "document", "norms", "text", "en", "Too early: still pending.");
	e.now += 337 * HOUR; /* the objection window (336 h) ends */
	blocked_then_adopted(&e, taken, &ntaken, over);
	assert_string_equal(eng_get_str(&e, "stakeholders", "applications", "sh.uni",
					"status", NULL), "accredited");
	assert_string_equal(eng_get_str(&e, "stakeholders", "applications", "sh.corp",
					"status", NULL), "not-accredited");
	assert_string_equal(json_string_value(json_array_get(
				    eng_get(&e, "stakeholders", "applications", "sh.corp",
					    "objected_by", NULL), 0)), sh_objector);
	silence_broken_then_passed(&e, taken, &ntaken);
	commitments_and_reports(&e, taken, &ntaken);
	/* stakeholders never decide */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.isoc", "consensus.join", "{s:s}",
		    "decision", "adopt-rev4");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.corp", "input.submit", "{s:s,s:{s:s}}",
		    "document", "norms", "text", "en", "Objected to: refused.");
	assert_int_equal(json_array_size(eng_get(&e, "documents", "norms", "revisions", NULL)), 4);
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(working_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
