/*
 * Building and signing an action (src/lib/action_sign.c): the envelope set
 * on a body, every refusal leaving the body unchanged with a reason; the
 * signed note verifies with the actor's key, its text parses as the same
 * action, and an action too large for a log entry is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "pnyx/action.h"
#include "pnyx/action_sign.h"
#include "pnyx/json.h"
#include "pnyx/note.h"

static void envelope_set(void **state)
{
	(void)state;
	json_t *body = json_pack("{s:s,s:s}", "decision", "d1", "forum", "old");
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_action_envelope(body, "oewg", "KEN", 7,
					      "consensus.join", &diag), PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	assert_int_equal(pnyx_json_encode(body, &b), PNYX_OK);
	assert_string_equal((const char *)b.data,
			    "{\"actor\":\"KEN\",\"decision\":\"d1\",\"forum\":"
			    "\"oewg\",\"seq\":7,\"type\":\"consensus.join\"}");
	pnyx_buf_clear(&b);
	json_decref(body);
}

/* Each call must fail with PNYX_ERR_MALFORMED, a reason, and body as it
 * was. */
static void envelope_refused(void **state)
{
	(void)state;
	static const char long_type[] =
		"a.type.longer.than.sixty.four.bytes.is.refused.by.the.envelope.xy";
	const struct {
		const char *forum, *actor, *type;
		uint64_t seq;
	} bad[] = {
		{"oewg", "KEN", "consensus.join", 0},
		{"oewg", "KEN", "consensus.join", (uint64_t)INT64_MAX + 1},
		{"", "KEN", "consensus.join", 1},
		{"oe wg", "KEN", "consensus.join", 1},
		{"oewg", "K/N", "consensus.join", 1},
		{"oewg", NULL, "consensus.join", 1},
		{"oewg", "KEN", "", 1},
		{"oewg", "KEN", long_type, 1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *body = json_pack("{s:s}", "decision", "d1");
		pnyx_diag diag = {{0}};
		assert_int_equal(pnyx_action_envelope(body, bad[i].forum, bad[i].actor,
						      bad[i].seq, bad[i].type, &diag),
				 PNYX_ERR_MALFORMED);
		assert_true(diag.msg[0] != '\0');
		assert_int_equal(json_object_size(body), 1);
		json_decref(body);
	}
	json_t *arr = json_array();
	assert_int_equal(pnyx_action_envelope(arr, "oewg", "KEN", 1, "key.add", NULL),
			 PNYX_ERR_MALFORMED);
	assert_int_equal(json_array_size(arr), 0);
	json_decref(arr);
}

static void sign_verifies(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("test.pnyx/KEN", &key), PNYX_OK);
	json_t *body = json_pack("{s:s}", "decision", "d1");
	assert_int_equal(pnyx_action_envelope(body, "oewg", "KEN", 3,
					      "consensus.join", NULL), PNYX_OK);
	pnyx_buf note;
	pnyx_buf_init(&note, 1u << 20);
	assert_int_equal(pnyx_action_sign(body, &key, &note, NULL), PNYX_OK);
	pnyx_verifier v;
	pnyx_signer_verifier(&key, &v);
	pnyx_note n = {0};
	assert_int_equal(pnyx_note_open(note.data, note.len, note.len, &v, 1, &n,
					NULL), PNYX_OK);
	pnyx_action a = {0};
	assert_int_equal(pnyx_action_parse(n.text, n.text_len, &a, NULL), PNYX_OK);
	assert_string_equal(a.actor, "KEN");
	assert_string_equal(a.forum, "oewg");
	assert_string_equal(a.type, "consensus.join");
	assert_int_equal(a.seq, 3);
	assert_true(json_equal(a.body, body));
	pnyx_action_clear(&a);
	pnyx_note_clear(&n);
	pnyx_buf_clear(&note);
	json_decref(body);
	pnyx_signer_clear(&key);
}

static void sign_too_large(void **state)
{
	(void)state;
	pnyx_signer key;
	assert_int_equal(pnyx_signer_generate("test.pnyx/KEN", &key), PNYX_OK);
	static char big[PNYX_ACTION_TEXT_MAX];
	memset(big, 'x', sizeof big - 1);
	json_t *body = json_pack("{s:s}", "text", big);
	assert_int_equal(pnyx_action_envelope(body, "oewg", "KEN", 1,
					      "input.submit", NULL), PNYX_OK);
	pnyx_buf note;
	pnyx_buf_init(&note, 1u << 20);
	pnyx_diag diag = {{0}};
	assert_int_equal(pnyx_action_sign(body, &key, &note, &diag),
			 PNYX_ERR_TOO_LARGE);
	assert_true(diag.msg[0] != '\0');
	pnyx_buf_clear(&note);
	/* an output buffer too small for the signed note */
	json_object_set_new(body, "text", json_string("short"));
	pnyx_buf_init(&note, 64);
	assert_int_equal(pnyx_action_sign(body, &key, &note, NULL), PNYX_ERR_TOO_LARGE);
	pnyx_buf_clear(&note);
	json_decref(body);
	pnyx_signer_clear(&key);
}

int main(void)
{
	assert_int_equal(pnyx_init(), PNYX_OK);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(envelope_set),
		cmocka_unit_test(envelope_refused),
		cmocka_unit_test(sign_verifies),
		cmocka_unit_test(sign_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
