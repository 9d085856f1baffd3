/*
 * Commitments and implementation reports: members subscribe to the norms
 * of an adopted document, withdraw, and file reports per norm, kept as a
 * history. The adopted documents are built through real actions
 * (document.create, decision.open, consensus.join, decision.close, the
 * silence procedure). Every rejection is checked by the harness to leave
 * the state digest unchanged; every test ends with a replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "engine_support.h"
#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI"};

/* Fails each allocation made while applying e's last accepted leaf. */
static void fault_loop_last(eng *e)
{
	assert_true(eng_fault_loop(e, e->nleaves - 1) > 0);
}

#define HOUR_MS UINT64_C(3600000)

static void setup_forum(eng *e)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 5, NULL);
	e->now += 1000;
}

/* Document doc with paragraphs p1 (preamble), p2 and p3 (norms). */
static void create_document(eng *e, const char *doc)
{
	EXPECT_OK(e, "chair.1", "document.create",
		  "{s:s,s:{s:s},s:[{s:s,s:{s:s}},{s:s,s:b,s:{s:s}},{s:s,s:b,s:{s:s}}]}",
		  "id", doc, "title", "en", "Norms of responsible State behaviour",
		  "paragraphs", "id", "p1", "text", "en", "Recalling its resolutions,",
		  "id", "p2", "norm", 1, "text", "en",
		  "States should not knowingly allow their territory to be used "
		  "for internationally wrongful acts using ICTs.",
		  "id", "p3", "norm", 1, "text", "en",
		  "States should respond to appropriate requests for assistance.");
	e->now += 1000;
}

/* Opens decision id on Rev.1 of doc by consensus, and closes it after a
 * join, or after an objection by CHN when object is non-zero. */
static void decide_by_consensus(eng *e, const char *id, const char *doc, int object)
{
	EXPECT_OK(e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", id,
		  "procedure", "consensus", "document", doc, "revision", 1);
	e->now += 1000;
	EXPECT_OK(e, "KEN", "consensus.join", "{s:s}", "decision", id);
	if (object != 0)
		EXPECT_OK(e, "CHN", "consensus.object", "{s:s}", "decision", id);
	e->now += 1000;
	EXPECT_OK(e, "chair.1", "decision.close", "{s:s}", "decision", id);
	e->now += 1000;
}

static pnyx_rule subscribe(eng *e, const char *member, const char *decision,
			   const char *norm)
{
	return eng_act(e, member, "commitment.subscribe", "{s:s,s:s}", "decision",
		       decision, "norm", norm);
}

static const json_t *record(eng *e, const char *d, const char *norm,
			    const char *member)
{
	return eng_get(e, "commitments", d, "norms", norm, member, NULL);
}

static void subscribe_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_document(&e, "doc1");
	decide_by_consensus(&e, "d1", "doc1", 0);
	assert_string_equal(eng_get_str(&e, "decisions", "d1", "status", NULL), "adopted");
	/* unknown decision, unknown paragraph, a paragraph that is no norm */
	assert_int_equal(subscribe(&e, "FRA", "d9", "p2"), PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(subscribe(&e, "FRA", "d1", "p9"), PNYX_RULE_UNKNOWN_OBJECT);
	assert_int_equal(subscribe(&e, "FRA", "d1", "p1"), PNYX_RULE_INVALID_FIELD);
	/* only members */
	assert_int_equal(subscribe(&e, "chair.1", "d1", "p2"), PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(subscribe(&e, "secretariat", "d1", "p2"), PNYX_RULE_NOT_PERMITTED);
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "FRA", "commitment.subscribe",
		    "{s:s}", "decision", "d1");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "FRA", "commitment.subscribe",
		    "{s:s,s:s,s:s}", "decision", "d1", "norm", "p2", "status", "x");
	/* once per member and norm */
	assert_int_equal(subscribe(&e, "FRA", "d1", "p2"), PNYX_RULE_OK);
	assert_int_equal(subscribe(&e, "FRA", "d1", "p2"), PNYX_RULE_CONFLICT);
	assert_int_equal(subscribe(&e, "FRA", "d1", "p3"), PNYX_RULE_OK);
	assert_int_equal(subscribe(&e, "BRA", "d1", "p2"), PNYX_RULE_OK);
	const json_t *r = record(&e, "d1", "p2", "FRA");
	assert_string_equal(json_string_value(json_object_get(r, "status")), "subscribed");
	const json_t *h = json_array_get(json_object_get(r, "history"), 0);
	assert_string_equal(json_string_value(json_object_get(h, "event")), "subscribed");
	assert_int_equal(json_integer_value(json_object_get(h, "ms")), (json_int_t)e.now);
	assert_string_equal(eng_get_str(&e, "commitments", "d1", "document", NULL), "doc1");
	assert_int_equal(json_integer_value(eng_get(&e, "commitments", "d1", "revision",
						    NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

/* Only an adopted decision on a document has norms to subscribe to. */
static void decision_must_be_adopted(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_document(&e, "doc1");
	create_document(&e, "doc2");
	/* open */
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", "d1",
		  "procedure", "consensus", "document", "doc1", "revision", 1);
	e.now += 1000;
	assert_int_equal(subscribe(&e, "FRA", "d1", "p2"), PNYX_RULE_TOO_EARLY);
	/* not adopted: an objection stood at the close */
	decide_by_consensus(&e, "d2", "doc2", 1);
	assert_string_equal(eng_get_str(&e, "decisions", "d2", "status", NULL),
			    "not-adopted");
	assert_int_equal(subscribe(&e, "FRA", "d2", "p2"), PNYX_RULE_CONFLICT);
	/* a membership question has no norms */
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id", "d3",
		  "procedure", "consensus", "subject", "kind", "suspend", "member",
		  "FJI");
	e.now += 1000;
	assert_int_equal(subscribe(&e, "FRA", "d3", "p2"), PNYX_RULE_INVALID_FIELD);
	assert_null(eng_get(&e, "commitments", "d1", NULL));
	eng_check_replay(&e);
	eng_free(&e);
}

/* A silence procedure is adopted at its deadline, before settle runs: a
 * member may subscribe in the very leaf that settles it. */
static void adopted_by_silence(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_document(&e, "doc1");
	uint64_t deadline = e.now + 72 * HOUR_MS;
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "d1",
		  "procedure", "silence", "document", "doc1", "revision", 1,
		  "deadline_ms", (json_int_t)deadline);
	e.now = deadline - 1;
	assert_int_equal(subscribe(&e, "KEN", "d1", "p3"), PNYX_RULE_TOO_EARLY);
	e.now = deadline;
	assert_int_equal(subscribe(&e, "KEN", "d1", "p3"), PNYX_RULE_OK);
	assert_string_equal(eng_get_str(&e, "decisions", "d1", "status", NULL), "adopted");
	assert_string_equal(json_string_value(json_object_get(record(&e, "d1", "p3", "KEN"),
							      "status")), "subscribed");
	eng_check_replay(&e);
	eng_free(&e);
}

static void withdraw_and_resubscribe(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_document(&e, "doc1");
	decide_by_consensus(&e, "d1", "doc1", 0);
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "commitment.withdraw", "{s:s,s:s}",
		    "decision", "d1", "norm", "p2");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "FRA", "commitment.withdraw",
		    "{s:s,s:s}", "decision", "d1", "norm", "p7");
	assert_int_equal(subscribe(&e, "FRA", "d1", "p2"), PNYX_RULE_OK);
	e.now += HOUR_MS;
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "CHN", "commitment.withdraw", "{s:s,s:s}",
		    "decision", "d1", "norm", "p2");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "commitment.withdraw",
		    "{s:s,s:s,s:{s:s}}", "decision", "d1", "norm", "p2", "reason",
		    "de", "Aus Gründen");
	EXPECT_OK(&e, "FRA", "commitment.withdraw", "{s:s,s:s,s:{s:s}}", "decision",
		  "d1", "norm", "p2", "reason", "fr", "En attente d'un examen national");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "commitment.withdraw", "{s:s,s:s}",
		    "decision", "d1", "norm", "p2");
	/* no reports while withdrawn */
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "report.file",
		    "{s:s,s:s,s:s,s:{s:s}}", "decision", "d1", "norm", "p2", "status",
		    "in-progress", "text", "en", "x");
	e.now += HOUR_MS;
	assert_int_equal(subscribe(&e, "FRA", "d1", "p2"), PNYX_RULE_OK);
	const json_t *r = record(&e, "d1", "p2", "FRA");
	assert_string_equal(json_string_value(json_object_get(r, "status")), "subscribed");
	const json_t *h = json_object_get(r, "history");
	assert_int_equal(json_array_size(h), 3);
	const json_t *w = json_array_get(h, 1);
	assert_string_equal(json_string_value(json_object_get(w, "event")), "withdrawn");
	assert_string_equal(json_string_value(json_object_get(json_object_get(w, "reason"),
							      "fr")),
			    "En attente d'un examen national");
	eng_check_replay(&e);
	eng_free(&e);
}

static pnyx_rule report(eng *e, const char *member, const char *norm,
			const char *status, const char *text)
{
	return eng_act(e, member, "report.file", "{s:s,s:s,s:s,s:{s:s}}", "decision",
		       "d1", "norm", norm, "status", status, "text", "en", text);
}

static void reports_history(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_document(&e, "doc1");
	decide_by_consensus(&e, "d1", "doc1", 0);
	/* only members who subscribed */
	assert_int_equal(report(&e, "KEN", "p2", "in-progress", "x"), PNYX_RULE_CONFLICT);
	assert_int_equal(subscribe(&e, "KEN", "d1", "p2"), PNYX_RULE_OK);
	assert_int_equal(report(&e, "KEN", "p3", "in-progress", "x"), PNYX_RULE_CONFLICT);
	assert_int_equal(report(&e, "chair.1", "p2", "in-progress", "x"),
			 PNYX_RULE_NOT_PERMITTED);
	assert_int_equal(report(&e, "KEN", "p2", "done", "x"), PNYX_RULE_INVALID_FIELD);
	assert_int_equal(report(&e, "KEN", "p1", "implemented", "x"),
			 PNYX_RULE_INVALID_FIELD);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "KEN", "report.file",
		    "{s:s,s:s,s:s,s:{}}", "decision", "d1", "norm", "p2", "status",
		    "other", "text");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "KEN", "report.file",
		    "{s:s,s:s,s:s,s:{s:s}}", "decision", "d1", "norm", "p2", "status",
		    "other", "text", "xx", "y");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "KEN", "report.file",
		    "{s:s,s:s,s:s}", "decision", "d1", "norm", "p2", "status", "other");
	/* a history, in order */
	static const char *const statuses[] = {"not-started", "in-progress",
					       "implemented", "other"};
	uint64_t t0 = e.now;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(report(&e, "KEN", "p2", statuses[i], "report text"),
				 PNYX_RULE_OK);
		e.now += 24 * HOUR_MS;
	}
	const json_t *reps = json_object_get(record(&e, "d1", "p2", "KEN"), "reports");
	assert_int_equal(json_array_size(reps), 4);
	for (size_t i = 0; i < 4; i++) {
		const json_t *r = json_array_get(reps, i);
		assert_string_equal(json_string_value(json_object_get(r, "status")),
				    statuses[i]);
		assert_int_equal(json_integer_value(json_object_get(r, "ms")),
				 (json_int_t)(t0 + i * 24 * HOUR_MS));
		assert_string_equal(json_string_value(json_object_get(json_object_get(r, "text"),
								      "en")),
				    "report text");
	}
	eng_check_replay(&e);
	eng_free(&e);
}

/* Every allocation of every action fails in turn. */
static void fault_loops(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	create_document(&e, "doc1");
	decide_by_consensus(&e, "d1", "doc1", 0);
	assert_int_equal(subscribe(&e, "FJI", "d1", "p3"), PNYX_RULE_OK);
	fault_loop_last(&e);
	assert_int_equal(subscribe(&e, "KEN", "d1", "p3"), PNYX_RULE_OK);
	fault_loop_last(&e);
	assert_int_equal(report(&e, "KEN", "p3", "implemented", "Done in 2026"),
			 PNYX_RULE_OK);
	fault_loop_last(&e);
	EXPECT_OK(&e, "KEN", "commitment.withdraw", "{s:s,s:s,s:{s:s}}", "decision",
		  "d1", "norm", "p3", "reason", "en", "Under review");
	fault_loop_last(&e);
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subscribe_rules),
		cmocka_unit_test(decision_must_be_adopted),
		cmocka_unit_test(adopted_by_silence),
		cmocka_unit_test(withdraw_and_resubscribe),
		cmocka_unit_test(reports_history),
		cmocka_unit_test(fault_loops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
