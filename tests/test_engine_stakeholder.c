/*
 * Stakeholder accreditation: on notification for names on the
 * secretariat's list (forum.consultative_list and stakeholder.list_add),
 * by non-objection for everyone else, with objections, withdrawals and the
 * outcome on the record. Every rejection is checked by the harness to
 * leave the state digest unchanged; every test ends with a replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "engine_support.h"
#include "pnyx/action.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"

/* An internal function of the engine (src/lib/engine_internal.h), linked
 * from the static library: the time-aware accreditation predicate. */
bool engine_stakeholder_is_accredited(const pnyx_state *st, const char *id,
				      uint64_t time_ms);

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI"};

/* Fails each allocation made while applying e's last accepted leaf. */
static void fault_loop_last(eng *e)
{
	assert_true(eng_fault_loop(e, e->nleaves - 1) > 0);
}

#define HOUR_MS UINT64_C(3600000)
#define WINDOW_MS (336 * HOUR_MS) /* eng_default_rules: 14 days */

/* A forum created with a consultative list and the given window. */
static void setup_forum_with(eng *e, json_int_t window_hours)
{
	eng_init(e, "oewg");
	json_t *members = json_array();
	for (size_t i = 0; i < 5; i++)
		json_array_append_new(members, json_pack("{s:s,s:s}", "code", codes[i],
							 "key", eng_vkey(e, codes[i])));
	json_t *rules = eng_default_rules();
	json_object_set_new(rules, "objection_window_hours", json_integer(window_hours));
	char chair_key[700];
	snprintf(chair_key, sizeof chair_key, "%s", eng_vkey(e, "chair.1"));
	EXPECT_OK(e, "secretariat", "forum.create",
		  "{s:s,s:[sss],s:o,s:s,s:[{s:s,s:s,s:s}],s:o,s:[ss]}", "title", "T",
		  "languages", "en", "fr", "es", "rules", rules, "secretariat_key",
		  eng_vkey(e, "secretariat"), "chairs", "id", "chair.1", "key",
		  chair_key, "name", "The Chair", "members", members,
		  "consultative_list", "Internet Society", "Red Cross");
	e->now += 1000;
}

static void setup_forum(eng *e)
{
	setup_forum_with(e, 336);
}

/* stakeholder.apply by id with a name, category ngo, nothing optional. */
static pnyx_rule apply(eng *e, const char *id, const char *name)
{
	return eng_act(e, id, "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		       eng_vkey(e, id), "name", name, "category", "ngo");
}

static const char *status(eng *e, const char *id)
{
	return eng_get_str(e, "stakeholders", "applications", id, "status", NULL);
}

static json_int_t app_int(eng *e, const char *id, const char *key)
{
	return json_integer_value(eng_get(e, "stakeholders", "applications", id, key, NULL));
}

/* Any accepted action by another actor, to let settle run at e->now. */
static void later_leaf(eng *e)
{
	EXPECT_OK(e, "secretariat", "credentials.record", "{s:s,s:s}", "member",
		  "KEN", "text", "credentials of Kenya");
}

static void accredited_on_notification(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	/* on forum.consultative_list */
	assert_int_equal(apply(&e, "sh.isoc", "Internet Society"), PNYX_RULE_OK);
	assert_string_equal(status(&e, "sh.isoc"), "accredited");
	assert_string_equal(eng_get_str(&e, "stakeholders", "applications", "sh.isoc",
					"basis", NULL), "notification");
	assert_int_equal(app_int(&e, "sh.isoc", "decided_ms"), (json_int_t)e.now);
	assert_true(engine_stakeholder_is_accredited(e.st, "sh.isoc", e.now));
	assert_string_equal(eng_get_str(&e, "actors", "sh.isoc", "kind", NULL),
			    "stakeholder");
	/* on the secretariat's own list */
	e.now += 1000;
	EXPECT_OK(&e, "secretariat", "stakeholder.list_add", "{s:[ss]}", "names",
		  "Academia Sinica", "CERT Coordination Center");
	e.now += 1000;
	assert_int_equal(apply(&e, "sh.cert", "CERT Coordination Center"), PNYX_RULE_OK);
	assert_string_equal(status(&e, "sh.cert"), "accredited");
	/* no window to object in */
	EXPECT_RULE(&e, PNYX_RULE_WRONG_PROCEDURE, "CHN", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.cert");
	/* a second applicant under a listed name that is taken */
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "sh.fake", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", eng_vkey(&e, "sh.fake"), "name",
		    "Internet Society", "category", "ngo");
	eng_check_replay(&e);
	eng_free(&e);
}

static void list_add_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "stakeholder.list_add",
		    "{s:[s]}", "names", "X");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "stakeholder.list_add",
		    "{s:[s]}", "names", "X");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "stakeholder.list_add",
		    "{s:[]}", "names");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "stakeholder.list_add",
		    "{s:[ss]}", "names", "A", "A");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "stakeholder.list_add",
		    "{s:[s]}", "names", " padded");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "stakeholder.list_add",
		    "{s:[i]}", "names", 7);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "secretariat", "stakeholder.list_add",
		    "{s:[s]}", "names", "Red Cross");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "secretariat",
		    "stakeholder.list_add", "{s:s}", "names", "A");
	EXPECT_OK(&e, "secretariat", "stakeholder.list_add", "{s:[s]}", "names", "A");
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "secretariat", "stakeholder.list_add",
		    "{s:[ss]}", "names", "B", "A");
	const json_t *entry = eng_get(&e, "stakeholders", "list", NULL);
	assert_int_equal(json_array_size(entry), 1);
	entry = json_array_get(entry, 0);
	assert_string_equal(json_string_value(json_object_get(entry, "name")), "A");
	assert_int_equal(json_integer_value(json_object_get(entry, "added_ms")),
			 (json_int_t)e.now);
	assert_int_equal(json_integer_value(json_object_get(entry, "leaf")), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void apply_field_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	const char *k = NULL;
	/* the id must start with "sh." */
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "ngo.x", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", eng_vkey(&e, "ngo.x"), "name", "X",
		    "category", "ngo");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", eng_vkey(&e, "sh."), "name", "X",
		    "category", "ngo");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", k, "name", "X", "category", "club");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s,s:s}", "key", k, "name", "X", "category", "ngo",
		    "country", "fra");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s,s:s}", "key", k, "name", "X", "category", "ngo",
		    "website", "ftp://x.org");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s,s:{s:s}}", "key", k, "name", "X", "category",
		    "ngo", "description", "de", "Eine NGO");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", k, "name", "X\n", "category", "ngo");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "sh.x", "stakeholder.apply",
		    "{s:s,s:s}", "key", k, "category", "ngo");
	k = eng_vkey(&e, "sh.x");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s,s:b}", "key", k, "name", "X", "category", "ngo",
		    "vote", 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void apply_envelope_and_record(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	const char *k = NULL;
	/* a new actor's first action has seq 1 */
	json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "forum", "oewg",
				 "actor", "sh.x", "seq", 2, "type", "stakeholder.apply",
				 "key", eng_vkey(&e, "sh.x"), "name", "X", "category", "ngo");
	assert_int_equal(eng_act_raw(&e, body, &eng_who(&e, "sh.x")->key),
			 PNYX_RULE_SEQ_SKIPPED);
	/* signed by another key than the one it names */
	body = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "forum", "oewg", "actor",
			 "sh.x", "seq", 1, "type", "stakeholder.apply", "key",
			 eng_vkey(&e, "sh.x"), "name", "X", "category", "ngo");
	assert_int_equal(eng_act_raw(&e, body, &eng_who(&e, "sh.y")->key),
			 PNYX_RULE_UNKNOWN_KEY);
	/* everything given */
	k = eng_vkey(&e, "sh.x");
	EXPECT_OK(&e, "sh.x", "stakeholder.apply", "{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s}}",
		  "key", k, "name", "X", "category", "technical-community", "country",
		  "BRA", "website", "https://x.example/about", "description", "en",
		  "A network operators' group", "es", "Un grupo de operadores");
	assert_string_equal(status(&e, "sh.x"), "pending");
	assert_string_equal(eng_get_str(&e, "stakeholders", "applications", "sh.x",
					"website", NULL), "https://x.example/about");
	assert_int_equal(app_int(&e, "sh.x", "window_end_ms"), (json_int_t)(e.now + WINDOW_MS));
	assert_int_equal(app_int(&e, "sh.x", "leaf"), 1);
	/* the same id applying again is a known actor: not permitted */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.x", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", eng_vkey(&e, "sh.x"), "name", "X2",
		    "category", "ngo");
	/* members and officers do not apply */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", eng_vkey(&e, "FRA"), "name", "France",
		    "category", "ngo");
	/* the name is taken while the first application is pending */
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "sh.x2", "stakeholder.apply",
		    "{s:s,s:s,s:s}", "key", eng_vkey(&e, "sh.x2"), "name", "X",
		    "category", "ngo");
	eng_check_replay(&e);
	eng_free(&e);
}

static void accredited_by_non_objection(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	uint64_t applied = e.now;
	assert_int_equal(apply(&e, "sh.ngo", "Digital Rights Watch"), PNYX_RULE_OK);
	assert_string_equal(status(&e, "sh.ngo"), "pending");
	assert_int_equal(json_array_size(eng_get(&e, "stakeholders", "pending", NULL)), 1);
	assert_false(engine_stakeholder_is_accredited(e.st, "sh.ngo", applied));
	assert_false(engine_stakeholder_is_accredited(e.st, "sh.ngo",
						      applied + WINDOW_MS - 1));
	/* time-aware: accredited from the window's end, before settle ran */
	assert_true(engine_stakeholder_is_accredited(e.st, "sh.ngo", applied + WINDOW_MS));
	assert_false(engine_stakeholder_is_accredited(e.st, "sh.nobody", applied + WINDOW_MS));
	/* a leaf inside the window settles nothing */
	e.now = applied + WINDOW_MS - 1;
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.ngo"), "pending");
	/* a later leaf of anyone settles it, dated at the window's end */
	e.now = applied + WINDOW_MS + 5000;
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.ngo"), "accredited");
	assert_int_equal(app_int(&e, "sh.ngo", "decided_ms"), (json_int_t)(applied + WINDOW_MS));
	assert_int_equal(json_array_size(eng_get(&e, "stakeholders", "applications",
						 "sh.ngo", "objected_by", NULL)), 0);
	assert_int_equal(json_array_size(eng_get(&e, "stakeholders", "pending", NULL)), 0);
	assert_true(engine_stakeholder_is_accredited(e.st, "sh.ngo", e.now));
	eng_check_replay(&e);
	eng_free(&e);
}

static void objection_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	uint64_t applied = e.now;
	assert_int_equal(apply(&e, "sh.co", "Example Corp"), PNYX_RULE_OK);
	assert_int_equal(apply(&e, "sh.other", "Other Org"), PNYX_RULE_OK);
	e.now += HOUR_MS;
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "CHN", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.nobody");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.other", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.co");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "secretariat", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.co");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.co");
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "CHN", "stakeholder.object",
		    "{s:s,s:{s:s}}", "stakeholder", "sh.co", "reason", "de", "nein");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "CHN", "stakeholder.withdraw_objection",
		    "{s:s}", "stakeholder", "sh.co");
	EXPECT_OK(&e, "CHN", "stakeholder.object", "{s:s,s:{s:s}}", "stakeholder",
		  "sh.co", "reason", "en", "Not independent of a party to a dispute");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "CHN", "stakeholder.object", "{s:s}",
		    "stakeholder", "sh.co");
	assert_false(engine_stakeholder_is_accredited(e.st, "sh.co", applied + WINDOW_MS));
	/* the last moment of the window, then the window's end */
	e.now = applied + WINDOW_MS - 1;
	EXPECT_OK(&e, "BRA", "stakeholder.object", "{s:s}", "stakeholder", "sh.co");
	e.now = applied + WINDOW_MS;
	EXPECT_RULE(&e, PNYX_RULE_DEADLINE_PASSED, "KEN", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.co");
	EXPECT_RULE(&e, PNYX_RULE_DEADLINE_PASSED, "CHN",
		    "stakeholder.withdraw_objection", "{s:s}", "stakeholder", "sh.co");
	/* the refusals did not settle anything; a later leaf does */
	assert_string_equal(status(&e, "sh.co"), "pending");
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.co"), "not-accredited");
	assert_string_equal(status(&e, "sh.other"), "accredited");
	const json_t *by = eng_get(&e, "stakeholders", "applications", "sh.co",
				   "objected_by", NULL);
	assert_int_equal(json_array_size(by), 2);
	assert_string_equal(json_string_value(json_array_get(by, 0)), "CHN");
	assert_string_equal(json_string_value(json_array_get(by, 1)), "BRA");
	const json_t *o = json_array_get(eng_get(&e, "stakeholders", "applications",
						 "sh.co", "objections", NULL), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "reason"),
							      "en")),
			    "Not independent of a party to a dispute");
	assert_int_equal(json_integer_value(json_object_get(o, "ms")),
			 (json_int_t)(applied + HOUR_MS));
	assert_false(engine_stakeholder_is_accredited(e.st, "sh.co", e.now));
	/* not accredited: the name is free again under a new id */
	assert_int_equal(apply(&e, "sh.co2", "Example Corp"), PNYX_RULE_OK);
	eng_check_replay(&e);
	eng_free(&e);
}

static void objection_withdrawn(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	uint64_t applied = e.now;
	assert_int_equal(apply(&e, "sh.uni", "University of Nairobi"), PNYX_RULE_OK);
	e.now += HOUR_MS;
	EXPECT_OK(&e, "FJI", "stakeholder.object", "{s:s}", "stakeholder", "sh.uni");
	e.now += HOUR_MS;
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "KEN", "stakeholder.withdraw_objection",
		    "{s:s}", "stakeholder", "sh.uni");
	EXPECT_OK(&e, "FJI", "stakeholder.withdraw_objection", "{s:s}", "stakeholder",
		  "sh.uni");
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FJI", "stakeholder.withdraw_objection",
		    "{s:s}", "stakeholder", "sh.uni");
	assert_true(engine_stakeholder_is_accredited(e.st, "sh.uni", applied + WINDOW_MS));
	/* it may object again while the window is open, and withdraw again */
	e.now += HOUR_MS;
	EXPECT_OK(&e, "FJI", "stakeholder.object", "{s:s}", "stakeholder", "sh.uni");
	assert_false(engine_stakeholder_is_accredited(e.st, "sh.uni", applied + WINDOW_MS));
	EXPECT_OK(&e, "FJI", "stakeholder.withdraw_objection", "{s:s}", "stakeholder",
		  "sh.uni");
	e.now = applied + WINDOW_MS;
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.uni"), "accredited");
	/* the withdrawn objections stay on the record */
	const json_t *objs = eng_get(&e, "stakeholders", "applications", "sh.uni",
				     "objections", NULL);
	assert_int_equal(json_array_size(objs), 2);
	const json_t *o = json_array_get(objs, 0);
	assert_string_equal(json_string_value(json_object_get(o, "member")), "FJI");
	assert_int_equal(json_integer_value(json_object_get(o, "withdrawn_ms")),
			 (json_int_t)(applied + 2 * HOUR_MS));
	assert_int_equal(json_array_size(eng_get(&e, "stakeholders", "applications",
						 "sh.uni", "objected_by", NULL)), 0);
	eng_check_replay(&e);
	eng_free(&e);
}

/* A forum whose rules set no objection window accredits at once. */
static void zero_window(void **state)
{
	(void)state;
	eng e;
	setup_forum_with(&e, 0);
	assert_int_equal(apply(&e, "sh.ngo", "Some NGO"), PNYX_RULE_OK);
	assert_string_equal(status(&e, "sh.ngo"), "accredited");
	assert_string_equal(eng_get_str(&e, "stakeholders", "applications", "sh.ngo",
					"basis", NULL), "non-objection");
	EXPECT_RULE(&e, PNYX_RULE_DEADLINE_PASSED, "FRA", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.ngo");
	eng_check_replay(&e);
	eng_free(&e);
}

/* Several windows ending at different times settle in the right leaves. */
static void staggered_windows(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	uint64_t t0 = e.now;
	char id[32], name[32];
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof id, "sh.n%d", i);
		snprintf(name, sizeof name, "NGO %d", i);
		assert_int_equal(apply(&e, id, name), PNYX_RULE_OK);
		e.now += 10 * HOUR_MS;
	}
	EXPECT_OK(&e, "KEN", "stakeholder.object", "{s:s}", "stakeholder", "sh.n2");
	e.now = t0 + WINDOW_MS + 15 * HOUR_MS; /* n0 and n1 have ended */
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.n0"), "accredited");
	assert_string_equal(status(&e, "sh.n1"), "accredited");
	assert_string_equal(status(&e, "sh.n2"), "pending");
	assert_int_equal(json_array_size(eng_get(&e, "stakeholders", "pending", NULL)), 2);
	e.now = t0 + WINDOW_MS + 40 * HOUR_MS;
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.n2"), "not-accredited");
	assert_string_equal(status(&e, "sh.n3"), "accredited");
	assert_int_equal(app_int(&e, "sh.n3", "decided_ms"),
			 (json_int_t)(t0 + WINDOW_MS + 30 * HOUR_MS));
	eng_check_replay(&e);
	eng_free(&e);
}

/* What accreditation opens: written input (documents module), in the very
 * leaf that ends the window; never a decision. */
static void accreditation_gates_input(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	EXPECT_OK(&e, "chair.1", "document.create", "{s:s,s:{s:s},s:[{s:s,s:{s:s}}]}",
		  "id", "doc1", "title", "en", "Draft report", "paragraphs", "id", "p1",
		  "text", "en", "States should cooperate.");
	uint64_t applied = e.now;
	assert_int_equal(apply(&e, "sh.ok", "Accepted NGO"), PNYX_RULE_OK);
	assert_int_equal(apply(&e, "sh.no", "Refused NGO"), PNYX_RULE_OK);
	EXPECT_OK(&e, "CHN", "stakeholder.object", "{s:s}", "stakeholder", "sh.no");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ok", "input.submit",
		    "{s:s,s:{s:s}}", "document", "doc1", "text", "en", "Our input");
	e.now = applied + WINDOW_MS;
	EXPECT_OK(&e, "sh.ok", "input.submit", "{s:s,s:{s:s}}", "document", "doc1",
		  "text", "en", "Our input");
	assert_string_equal(status(&e, "sh.ok"), "accredited");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.no", "input.submit",
		    "{s:s,s:{s:s}}", "document", "doc1", "text", "en", "Our input");
	EXPECT_OK(&e, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", "d1",
		  "procedure", "consensus", "document", "doc1", "revision", 1);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ok", "consensus.join", "{s:s}",
		    "decision", "d1");
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "sh.ok", "stakeholder.object",
		    "{s:s}", "stakeholder", "sh.no");
	eng_check_replay(&e);
	eng_free(&e);
}

/* An application with every optional field, by sh.x. */
static void apply_full(eng *e)
{
	const char *k = eng_vkey(e, "sh.x");
	EXPECT_OK(e, "sh.x", "stakeholder.apply", "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}",
		  "key", k, "name", "X", "category", "academia", "country", "FJI",
		  "website", "http://x.example", "description", "en", "A university");
}

/* Every allocation of every action and of settle fails in turn. */
static void fault_loops(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	uint64_t t0 = e.now;
	EXPECT_OK(&e, "secretariat", "stakeholder.list_add", "{s:[ss]}", "names",
		  "A", "B");
	fault_loop_last(&e);
	assert_int_equal(apply(&e, "sh.a", "A"), PNYX_RULE_OK);
	fault_loop_last(&e);
	apply_full(&e);
	fault_loop_last(&e);
	assert_int_equal(apply(&e, "sh.c", "C"), PNYX_RULE_OK);
	fault_loop_last(&e);
	EXPECT_OK(&e, "CHN", "stakeholder.object", "{s:s,s:{s:s,s:s}}", "stakeholder",
		  "sh.c", "reason", "en", "General reasons", "fr", "Raisons générales");
	fault_loop_last(&e);
	EXPECT_OK(&e, "FRA", "stakeholder.object", "{s:s}", "stakeholder", "sh.x");
	EXPECT_OK(&e, "FRA", "stakeholder.withdraw_objection", "{s:s}", "stakeholder",
		  "sh.x");
	fault_loop_last(&e);
	e.now = t0 + WINDOW_MS + 1; /* settles sh.x (accredited) and sh.c (not) */
	later_leaf(&e);
	assert_string_equal(status(&e, "sh.x"), "accredited");
	assert_string_equal(status(&e, "sh.c"), "not-accredited");
	fault_loop_last(&e);
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accredited_on_notification),
		cmocka_unit_test(list_add_rules),
		cmocka_unit_test(apply_field_rules),
		cmocka_unit_test(apply_envelope_and_record),
		cmocka_unit_test(accredited_by_non_objection),
		cmocka_unit_test(objection_rules),
		cmocka_unit_test(objection_withdrawn),
		cmocka_unit_test(zero_window),
		cmocka_unit_test(staggered_windows),
		cmocka_unit_test(accreditation_gates_input),
		cmocka_unit_test(fault_loops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
