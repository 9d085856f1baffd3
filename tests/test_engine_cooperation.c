/*
 * The public actions of cooperation (docs/actions/cooperation.md):
 * cooperation.open (once, only the secretariat, rules checked) and
 * cooperation.anchor (signed by the log key only, size never shrinking,
 * one root per size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "engine_support.h"
#include "pnyx/action_fields.h"
#include "pnyx/coop.h"

static const char *const codes[] = {"FRA", "KEN", "USA"};

#define ROOT_A "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
#define ROOT_B "e0Zcgx/+zSPK7GwdbrBisB5+UuH7lyr9OvvuwMuKAos="

static json_t *rules(void)
{
	return json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[ss]}", "ack_hours", "low", 168,
			 "medium", 72, "high", 24, "critical", 2, "ping_window_hours",
			 48, "publish", "per_member", "pings");
}

static void setup_forum(eng *e)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 3, NULL);
	e->now += 1000;
}

static void open_coop(eng *e)
{
	EXPECT_OK(e, "secretariat", "cooperation.open", "{s:s,s:o}", "log_key",
		  eng_vkey(e, "cooperation"), "rules", rules());
}

static pnyx_rule anchor(eng *e, json_int_t size, const char *root)
{
	e->now += 1000;
	return eng_act(e, "cooperation", "cooperation.anchor", "{s:I,s:s}", "size",
		       size, "root", root);
}

static void open_once_by_secretariat(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	const char *key = eng_vkey(&e, "cooperation");
	char k[700];
	memcpy(k, key, strlen(key) + 1);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "KEN", "cooperation.open", "{s:s,s:o}",
		    "log_key", k, "rules", rules());
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "chair.1", "cooperation.open",
		    "{s:s,s:o}", "log_key", k, "rules", rules());
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "cooperation.open",
		    "{s:s,s:o}", "log_key", "not a key", "rules", rules());
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "secretariat", "cooperation.open",
		    "{s:s}", "log_key", k);
	open_coop(&e);
	assert_string_equal(eng_get_str(&e, "actors", "cooperation", "kind", NULL), "log");
	assert_string_equal(eng_get_str(&e, "cooperation", "log_key", NULL), k);
	assert_int_equal(json_array_size(eng_get(&e, "cooperation", "anchors", NULL)), 0);
	assert_int_equal(json_integer_value(eng_get(&e, "cooperation", "opened_ms", NULL)),
			 (json_int_t)e.now);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "secretariat", "cooperation.open", "{s:s,s:o}",
		    "log_key", k, "rules", rules());
	eng_check_replay(&e);
	eng_free(&e);
}

/* Each broken rule object is refused with invalid-field. */
static void open_checks_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	char k[700];
	const char *key = eng_vkey(&e, "cooperation");
	memcpy(k, key, strlen(key) + 1);
	json_t *bad[] = {
		json_pack("{s:{s:i,s:i,s:i},s:i,s:[]}", "ack_hours", "low", 1, "medium", 1,
			  "high", 1, "ping_window_hours", 48, "publish"),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[]}", "ack_hours", "low", 0,
			  "medium", 1, "high", 1, "critical", 1, "ping_window_hours", 48,
			  "publish"),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[]}", "ack_hours", "low", 8761,
			  "medium", 1, "high", 1, "critical", 1, "ping_window_hours", 48,
			  "publish"),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[]}", "ack_hours", "low", 1,
			  "medium", 1, "high", 1, "critical", 1, "ping_window_hours", 721,
			  "publish"),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[s]}", "ack_hours", "low", 1,
			  "medium", 1, "high", 1, "critical", 1, "ping_window_hours", 1,
			  "publish", "requests"),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[ss]}", "ack_hours", "low", 1,
			  "medium", 1, "high", 1, "critical", 1, "ping_window_hours", 1,
			  "publish", "pings", "pings"),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i}", "ack_hours", "low", 1, "medium", 1,
			  "high", 1, "critical", 1, "ping_window_hours", 1),
		json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:[],s:i}", "ack_hours", "low", 1,
			  "medium", 1, "high", 1, "critical", 1, "ping_window_hours", 1,
			  "publish", "extra", 1),
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "cooperation.open",
			    "{s:s,s:o}", "log_key", k, "rules", bad[i]);
	assert_null(eng_get(&e, "cooperation", NULL));
	eng_free(&e);
}

static void anchor_by_log_key_only(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(anchor(&e, 1, ROOT_A), PNYX_RULE_UNKNOWN_ACTOR);
	open_coop(&e);
	assert_int_equal(anchor(&e, 1, ROOT_A), PNYX_RULE_OK);
	/* the actor "cooperation" signed with another key */
	json_t *body = json_pack("{s:s,s:s,s:I,s:s,s:I,s:s}", "forum", "oewg", "actor",
				 "cooperation", "seq", (json_int_t)2, "type",
				 "cooperation.anchor", "size", (json_int_t)2, "root", ROOT_B);
	assert_int_equal(eng_act_raw(&e, body, &eng_who(&e, "secretariat")->key),
			 PNYX_RULE_UNKNOWN_KEY);
	/* nobody else anchors, and the log key does nothing else */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "secretariat", "cooperation.anchor",
		    "{s:i,s:s}", "size", 3, "root", ROOT_B);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "KEN", "cooperation.anchor",
		    "{s:i,s:s}", "size", 3, "root", ROOT_B);
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "cooperation", "key.add", "{s:s}",
		    "key", eng_vkey(&e, "other"));
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "cooperation", "cooperation.open",
		    "{s:s,s:o}", "log_key", "x", "rules", rules());
	assert_int_equal(json_array_size(eng_get(&e, "cooperation", "anchors", NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

static void anchor_sizes(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	open_coop(&e);
	assert_int_equal(anchor(&e, 5, ROOT_A), PNYX_RULE_OK);
	assert_int_equal(anchor(&e, 4, ROOT_B), PNYX_RULE_CONFLICT);
	assert_int_equal(anchor(&e, 5, ROOT_B), PNYX_RULE_CONFLICT);
	assert_int_equal(anchor(&e, 5, ROOT_A), PNYX_RULE_OK);
	assert_int_equal(anchor(&e, 9, ROOT_B), PNYX_RULE_OK);
	assert_int_equal(anchor(&e, -1, ROOT_B), PNYX_RULE_INVALID_FIELD);
	assert_int_equal(anchor(&e, 10, "AAAA"), PNYX_RULE_INVALID_FIELD);
	assert_int_equal(anchor(&e, 10, "not base64 at all, not at all, not at all!!"),
			 PNYX_RULE_INVALID_FIELD);
	const json_t *anchors = eng_get(&e, "cooperation", "anchors", NULL);
	assert_int_equal(json_array_size(anchors), 3);
	const json_t *last = json_array_get(anchors, 2);
	assert_int_equal(json_integer_value(json_object_get(last, "size")), 9);
	assert_string_equal(json_string_value(json_object_get(last, "root")), ROOT_B);
	assert_true(json_is_integer(json_object_get(last, "time_ms")));
	eng_check_replay(&e);
	for (size_t i = e.nleaves - 2; i < e.nleaves; i++)
		(void)eng_fault_loop(&e, i);
	eng_free(&e);
}

/* Clients find both logs' types through pnyx/action_fields.h. */
static void types_visible(void **state)
{
	(void)state;
	pnyx_action_type_info t;
	assert_true(pnyx_action_type_find("cooperation.open", &t));
	assert_int_equal(t.log, PNYX_LOG_PUBLIC);
	assert_int_equal(t.actors, PNYX_ACTORS_SECRETARIAT);
	assert_true(pnyx_action_type_find("cooperation.anchor", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_LOG);
	assert_true(pnyx_action_type_find("consensus.join", &t));
	assert_int_equal(t.log, PNYX_LOG_PUBLIC);
	assert_true(pnyx_coop_type_count() >= 8);
	for (size_t i = 0; i < pnyx_coop_type_count(); i++) {
		assert_true(pnyx_action_type_find(pnyx_coop_type_name(i), &t));
		assert_int_equal(t.log, PNYX_LOG_COOPERATION);
	}
	assert_true(pnyx_action_type_find("request.send", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_MEMBER);
	bool sealed = false;
	for (size_t j = 0; j < t.nfields; j++) {
		pnyx_field_info f;
		pnyx_action_type_field(&t, j, &f);
		sealed = sealed || (strcmp(f.name, "sealed") == 0 && f.required &&
				    f.kind == PNYX_FIELD_OBJECT);
	}
	assert_true(sealed);
	assert_true(pnyx_action_type_find("ping.start", &t));
	assert_int_equal(t.actors, PNYX_ACTORS_SECRETARIAT);
	assert_false(pnyx_action_type_find("request.nothing", &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_once_by_secretariat),
		cmocka_unit_test(open_checks_rules),
		cmocka_unit_test(anchor_by_log_key_only),
		cmocka_unit_test(anchor_sizes),
		cmocka_unit_test(types_visible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
