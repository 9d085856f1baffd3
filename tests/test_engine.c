/*
 * The engine's pipeline and the forum module: genesis, the envelope rules
 * every action passes (forum, actor, signature, sequence, time, fields),
 * keys and credentials. Every rejection is checked by the harness to leave
 * the state digest unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "engine_support.h"
#include "pnyx/action.h"
#include "pnyx/json.h"
#include "pnyx/leaf.h"
#include "pnyx/note.h"

static const char *const codes[] = {"FRA", "CHN", "BRA", "KEN", "FJI"};

static void setup_forum(eng *e)
{
	eng_init(e, "oewg");
	eng_genesis(e, codes, 5, NULL);
	e->now += 1000;
}

static void genesis_creates_forum(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_string_equal(eng_get_str(&e, "forum", "id", NULL), "oewg");
	assert_string_equal(eng_get_str(&e, "members", "KEN", "status", NULL), "active");
	assert_string_equal(eng_get_str(&e, "actors", "chair.1", "kind", NULL), "chair");
	assert_int_equal(json_object_size(eng_get(&e, "members", NULL)), 5);
	assert_int_equal(pnyx_state_leaves(e.st), 1);
	/* a second genesis is refused */
	EXPECT_RULE(&e, PNYX_RULE_FORUM_EXISTS, "secretariat", "forum.create", "{}");
	eng_check_replay(&e);
	eng_free(&e);
}

static void genesis_rules_are_checked(void **state)
{
	(void)state;
	struct {
		const char *what;
		json_t *rules;
	} bad[] = {
		{"unknown procedure", json_pack("{s:[s],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
						"lottery", "vote_on_request", 0, "quorum_percent",
						50, "silence_min_hours", 72, "objection_window_hours",
						1, "majority", "simple", "important_majority", "two-thirds")},
		{"quorum over 100", json_pack("{s:[s],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
					      "vote", "vote_on_request", 0, "quorum_percent", 101,
					      "silence_min_hours", 72, "objection_window_hours", 1,
					      "majority", "simple", "important_majority", "two-thirds")},
		{"weighted majority", json_pack("{s:[s],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
						"vote", "vote_on_request", 0, "quorum_percent", 50,
						"silence_min_hours", 72, "objection_window_hours", 1,
						"majority", "weighted", "important_majority", "two-thirds")},
		{"unknown setting", json_pack("{s:[s],s:b,s:i,s:i,s:i,s:s,s:s,s:b}", "procedures",
					      "vote", "vote_on_request", 0, "quorum_percent", 50,
					      "silence_min_hours", 72, "objection_window_hours", 1,
					      "majority", "simple", "important_majority", "two-thirds",
					      "veto", 1)},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		eng e;
		eng_init(&e, "oewg");
		pnyx_rule r = eng_act(&e, "secretariat", "forum.create",
				      "{s:s,s:[s],s:o,s:s,s:[],s:[{s:s,s:s}]}", "title", "T",
				      "languages", "en", "rules", bad[i].rules,
				      "secretariat_key", eng_vkey(&e, "secretariat"), "chairs",
				      "members", "code", "FRA", "key", eng_vkey(&e, "FRA"));
		if (r != PNYX_RULE_INVALID_FIELD && r != PNYX_RULE_MALFORMED_ACTION)
			fail_msg("%s: got %s", bad[i].what, pnyx_rule_name(r));
		assert_null(eng_get(&e, "forum", NULL));
		eng_free(&e);
	}
}

static void genesis_members_are_checked(void **state)
{
	(void)state;
	eng e;
	eng_init(&e, "oewg");
	/* duplicate member, lower-case code, unknown language */
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "forum.create",
		    "{s:s,s:[s],s:o,s:s,s:[],s:[{s:s,s:s},{s:s,s:s}]}", "title", "T",
		    "languages", "en", "rules", eng_default_rules(), "secretariat_key",
		    eng_vkey(&e, "secretariat"), "chairs", "members", "code", "FRA",
		    "key", eng_vkey(&e, "FRA"), "code", "FRA", "key", eng_vkey(&e, "FRA"));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "forum.create",
		    "{s:s,s:[s],s:o,s:s,s:[],s:[{s:s,s:s}]}", "title", "T",
		    "languages", "en", "rules", eng_default_rules(), "secretariat_key",
		    eng_vkey(&e, "secretariat"), "chairs", "members", "code", "fra",
		    "key", eng_vkey(&e, "FRA"));
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "secretariat", "forum.create",
		    "{s:s,s:[s],s:o,s:s,s:[],s:[{s:s,s:s}]}", "title", "T",
		    "languages", "de", "rules", eng_default_rules(), "secretariat_key",
		    eng_vkey(&e, "secretariat"), "chairs", "members", "code", "FRA",
		    "key", eng_vkey(&e, "FRA"));
	/* not created by the secretariat actor */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "forum.create",
		    "{s:s,s:[s],s:o,s:s,s:[],s:[{s:s,s:s}]}", "title", "T",
		    "languages", "en", "rules", eng_default_rules(), "secretariat_key",
		    eng_vkey(&e, "FRA"), "chairs", "members", "code", "FRA",
		    "key", eng_vkey(&e, "FRA"));
	/* nothing before genesis */
	EXPECT_RULE(&e, PNYX_RULE_NO_FORUM, "FRA", "key.add", "{s:s}", "key",
		    eng_vkey(&e, "x"));
	eng_free(&e);
}

/* Builds, signs and applies an action with an explicit envelope. */
static pnyx_rule act_with(eng *e, const char *forum, const char *actor,
			  json_int_t seq, const char *signer_id)
{
	json_t *body = json_pack("{s:s,s:s,s:I,s:s,s:s}", "forum", forum, "actor",
				 actor, "seq", seq, "type", "credentials.record",
				 "member", "FRA");
	json_object_set_new(body, "text", json_string("credentials of France"));
	return eng_act_raw(e, body, &eng_who(e, signer_id)->key);
}

static void envelope_rules(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	assert_int_equal(act_with(&e, "other", "secretariat", 2, "secretariat"),
			 PNYX_RULE_WRONG_FORUM);
	assert_int_equal(act_with(&e, "oewg", "nobody", 1, "secretariat"),
			 PNYX_RULE_UNKNOWN_ACTOR);
	/* signed with another actor's key: a member acting for the secretariat */
	assert_int_equal(act_with(&e, "oewg", "secretariat", 2, "FRA"),
			 PNYX_RULE_UNKNOWN_KEY);
	assert_int_equal(act_with(&e, "oewg", "secretariat", 1, "secretariat"),
			 PNYX_RULE_SEQ_REPLAYED);
	assert_int_equal(act_with(&e, "oewg", "secretariat", 3, "secretariat"),
			 PNYX_RULE_SEQ_SKIPPED);
	assert_int_equal(act_with(&e, "oewg", "secretariat", 2, "secretariat"),
			 PNYX_RULE_OK);
	eng_who(&e, "secretariat")->seq = 2;
	/* the same action again is a replay */
	assert_int_equal(act_with(&e, "oewg", "secretariat", 2, "secretariat"),
			 PNYX_RULE_SEQ_REPLAYED);
	/* a member may not record credentials */
	EXPECT_RULE(&e, PNYX_RULE_NOT_PERMITTED, "FRA", "credentials.record",
		    "{s:s,s:s}", "member", "FRA", "text", "x");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "secretariat", "credentials.record",
		    "{s:s,s:s}", "member", "XYZ", "text", "x");
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_TYPE, "FRA", "consensus.veto", "{}");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "secretariat", "credentials.record",
		    "{s:s,s:s,s:b}", "member", "FRA", "text", "x", "urgent", 1);
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "secretariat", "credentials.record",
		    "{s:s}", "member", "FRA");
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "secretariat", "credentials.record",
		    "{s:s,s:i}", "member", "FRA", "text", 5);
	EXPECT_RULE(&e, PNYX_RULE_MALFORMED_ACTION, "secretariat", "credentials.record",
		    "{s:s,s:s}", "member", "FRA", "text", "");
	/* time may not go backwards */
	e.now -= 2000;
	EXPECT_RULE(&e, PNYX_RULE_TIME_BACKWARDS, "secretariat", "credentials.record",
		    "{s:s,s:s}", "member", "FRA", "text", "x");
	e.now += 2000;
	assert_int_equal(json_array_size(eng_get(&e, "members", "FRA", "credentials", NULL)), 1);
	eng_check_replay(&e);
	eng_free(&e);
}

/* Signs text with the actor's key and applies it as a leaf. */
static pnyx_rule apply_text(eng *e, const char *text, const char *signer)
{
	pnyx_buf note, leaf;
	pnyx_buf_init(&note, 1 << 16);
	pnyx_buf_init(&leaf, 1 << 16);
	assert_int_equal(pnyx_note_sign((const uint8_t *)text, strlen(text),
					&eng_who(e, signer)->key, 1, &note), PNYX_OK);
	assert_int_equal(pnyx_leaf_encode(e->now, note.data, note.len, &leaf), PNYX_OK);
	pnyx_rule r = eng_apply_leaf(e, leaf.data, leaf.len);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&leaf);
	return r;
}

static void malformed_input(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	static const char *const texts[] = {
		/* wrong header */
		"pnyx-action v2\n{\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n",
		/* keys not sorted */
		"pnyx-action v1\n{\"forum\":\"oewg\",\"actor\":\"FRA\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n",
		/* white space */
		"pnyx-action v1\n{\"actor\": \"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n",
		/* duplicate key */
		"pnyx-action v1\n{\"actor\":\"FRA\",\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n",
		/* a real number */
		"pnyx-action v1\n{\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1.0,\"type\":\"key.add\"}\n",
		/* seq 0 */
		"pnyx-action v1\n{\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":0,\"type\":\"key.add\"}\n",
		/* a third line */
		"pnyx-action v1\n{\"actor\":\"FRA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\nmore\n",
		/* not an object */
		"pnyx-action v1\n[1,2]\n",
		/* an invalid id */
		"pnyx-action v1\n{\"actor\":\"F R A\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n",
		/* an escaped character where the canonical form has it plain */
		"pnyx-action v1\n{\"actor\":\"\\u0046RA\",\"forum\":\"oewg\",\"key\":\"k\",\"seq\":1,\"type\":\"key.add\"}\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		pnyx_rule r = apply_text(&e, texts[i], "FRA");
		if (r != PNYX_RULE_MALFORMED_ACTION)
			fail_msg("text %zu: got %s (%s)", i, pnyx_rule_name(r), e.last.msg);
	}
	static const char *const leaves[] = {
		"", "pnyx-leaf v1 12\n", "pnyx-leaf v1 012\nx", "pnyx-leaf v2 12\nx",
		"pnyx-leaf v1 99999999999999999999\nx",
	};
	for (size_t i = 0; i < sizeof leaves / sizeof *leaves; i++)
		assert_int_equal(eng_apply_leaf(&e, (const uint8_t *)leaves[i],
						strlen(leaves[i])),
				 PNYX_RULE_MALFORMED_LEAF);
	const char *unsigned_leaf = "pnyx-leaf v1 1700000002000\nhello\n";
	assert_int_equal(eng_apply_leaf(&e, (const uint8_t *)unsigned_leaf,
					strlen(unsigned_leaf)),
			 PNYX_RULE_MALFORMED_NOTE);
	eng_free(&e);
}

static void tampered_signature(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:s}", "forum", "oewg", "actor",
				 "FRA", "seq", 1, "type", "key.add", "key",
				 eng_vkey(&e, "FRA-2"));
	pnyx_buf text, note, leaf;
	pnyx_buf_init(&text, 1 << 16);
	pnyx_buf_init(&note, 1 << 16);
	pnyx_buf_init(&leaf, 1 << 16);
	assert_int_equal(pnyx_action_encode(body, &text), PNYX_OK);
	json_decref(body);
	assert_int_equal(pnyx_note_sign(text.data, text.len, &eng_who(&e, "FRA")->key,
					1, &note), PNYX_OK);
	/* change the signed text after signing: seq 1 -> 2 would be a skip;
	 * change the key's name character instead */
	uint8_t *p = memmem(note.data, note.len, "FRA-2", 5);
	assert_non_null(p);
	p[4] = '3';
	assert_int_equal(pnyx_leaf_encode(e.now, note.data, note.len, &leaf), PNYX_OK);
	assert_int_equal(eng_apply_leaf(&e, leaf.data, leaf.len), PNYX_RULE_BAD_SIGNATURE);
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&leaf);
	eng_free(&e);
}

static void keys_add_and_revoke(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	char old_key[700], new_key[700];
	snprintf(old_key, sizeof old_key, "%s", eng_vkey(&e, "FRA"));
	snprintf(new_key, sizeof new_key, "%s", eng_vkey(&e, "FRA-new"));
	EXPECT_OK(&e, "FRA", "key.add", "{s:s}", "key", new_key);
	EXPECT_RULE(&e, PNYX_RULE_EXISTS, "FRA", "key.add", "{s:s}", "key", new_key);
	EXPECT_RULE(&e, PNYX_RULE_INVALID_FIELD, "FRA", "key.add", "{s:s}", "key", "nonsense");
	EXPECT_OK(&e, "FRA", "key.revoke", "{s:s}", "key", old_key);
	/* the revoked key signs nothing after its revocation */
	e.now += 1;
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_KEY, "FRA", "key.add", "{s:s}", "key",
		    eng_vkey(&e, "FRA-third"));
	/* the new key does: swap the harness's key for FRA */
	eng_actor *fra = eng_who(&e, "FRA");
	pnyx_signer tmp = fra->key;
	fra->key = eng_who(&e, "FRA-new")->key;
	eng_who(&e, "FRA-new")->key = tmp;
	EXPECT_RULE(&e, PNYX_RULE_CONFLICT, "FRA", "key.revoke", "{s:s}", "key", old_key);
	EXPECT_OK(&e, "FRA", "key.add", "{s:s}", "key", eng_vkey(&e, "FRA-third"));
	/* another member cannot revoke France's key */
	EXPECT_RULE(&e, PNYX_RULE_UNKNOWN_OBJECT, "KEN", "key.revoke", "{s:s}", "key", new_key);
	eng_check_replay(&e);
	eng_free(&e);
}

/* A deadline that passed is decided before the next leaf is judged: a
 * member suspended at a silence deadline is suspended for the very first
 * leaf after it, and a refused leaf leaves even the settlement undone. */
static void deadline_before_judging(void **state)
{
	(void)state;
	eng e;
	setup_forum(&e);
	uint64_t deadline = e.now + 72 * 3600 * 1000;
	EXPECT_OK(&e, "secretariat", "decision.open", "{s:s,s:s,s:{s:s,s:s},s:I}",
		  "id", "suspend-fji", "procedure", "silence", "subject", "kind",
		  "suspend", "member", "FJI", "deadline_ms", (json_int_t)deadline);
	e.now = deadline;
	/* refused: the settlement it would have caused is not kept */
	EXPECT_RULE(&e, PNYX_RULE_SUSPENDED, "FJI", "silence.break", "{s:s,s:{s:s}}",
		    "decision", "suspend-fji", "reason", "en", "too late");
	assert_string_equal(eng_get_str(&e, "decisions", "suspend-fji", "status", NULL),
			    "open");
	assert_string_equal(eng_get_str(&e, "members", "FJI", "status", NULL), "active");
	/* the next accepted leaf records it */
	EXPECT_OK(&e, "secretariat", "credentials.record", "{s:s,s:s}", "member",
		  "KEN", "text", "credentials of Kenya");
	assert_string_equal(eng_get_str(&e, "decisions", "suspend-fji", "status", NULL),
			    "adopted");
	assert_string_equal(eng_get_str(&e, "members", "FJI", "status", NULL),
			    "suspended");
	eng_check_replay(&e);
	eng_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(genesis_creates_forum),
		cmocka_unit_test(genesis_rules_are_checked),
		cmocka_unit_test(genesis_members_are_checked),
		cmocka_unit_test(envelope_rules),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(tampered_signature),
		cmocka_unit_test(keys_add_and_revoke),
		cmocka_unit_test(deadline_before_judging),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
