/*
 * Tests for the read API of sessions, statements and the capacity-building
 * board (src/server/read_sessions.c, read_board.c) without the network:
 * the forum of tests/forum_writer (its path is argv[1]) served by a real
 * sequencer, to which the test posts a session (agenda adopted, three
 * delegations, statements in three languages, a right of reply, a
 * stakeholder segment) and a board (a need, two offers, a pledge
 * accepted), as signed actions through POST /v1/actions. Every endpoint
 * shows what was posted, in order; names of speakers in the asked
 * language; pagination walks every statement once; filters; 400 and 404
 * cases; every allocation failing in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/fault.h"

#include "../src/server/http.h"
#include "server_fixture.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))

static const char *forum_writer;
static char dir[4096];
static struct srv_app app;
static struct srv_exchange ex; /* large: off the stack */
static json_t *doc;             /* the last answer, parsed */

/* Runs one exchange (body and inm, an If-None-Match value, may be NULL);
 * parses the answer into doc. */
static unsigned run_if(const char *method, const char *target,
		       const pnyx_buf *body, const char *inm)
{
	srv_exchange_clear(&ex);
	srv_exchange_begin(&app, &ex, method, U8(target), strlen(target));
	if (body != NULL)
		srv_exchange_body(&ex, body->data, body->len);
	srv_exchange_finish(&app, &ex, inm, NULL);
	json_decref(doc);
	doc = ex.resp.body.len > 0
		      ? json_loadb((const char *)ex.resp.body.data, ex.resp.body.len, 0,
				   NULL)
		      : NULL;
	return ex.resp.status;
}

static unsigned run(const char *method, const char *target, const pnyx_buf *body)
{
	return run_if(method, target, body, NULL);
}

static void get_ok(const char *target)
{
	unsigned status = run("GET", target, NULL);
	if (status != 200)
		fail_msg("%s: %u %.*s", target, status, (int)ex.resp.body.len,
			 (const char *)ex.resp.body.data);
	assert_string_equal(ex.resp.content_type, "application/json");
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(doc, "forum"), "id")), "oewg");
}

static void expect_problem(const char *target, unsigned status, const char *code)
{
	unsigned got = run("GET", target, NULL);
	if (got != status || strcmp(ex.resp.code, code) != 0)
		fail_msg("%s: got %u %s, want %u %s", target, got,
			 ex.resp.code != NULL ? ex.resp.code : "-", status, code);
}

/* Posts the action {type, fields (stolen)} of actor with its next
 * sequence number; asserts 201. */
static void post(const char *actor, const char *type, json_t *fields)
{
	char target[128];
	snprintf(target, sizeof target, "/v1/actors/%s", actor);
	get_ok(target);
	json_int_t seq = json_integer_value(
		json_object_get(json_object_get(doc, "actor"), "next_seq"));
	pnyx_buf note;
	sfx_sign_action(dir, actor, seq, type, fields, &note);
	unsigned status = run("POST", "/v1/actions", &note);
	if (status != 201)
		fail_msg("%s by %s: %u %.*s", type, actor, status, (int)ex.resp.body.len,
			 (const char *)ex.resp.body.data);
	pnyx_buf_clear(&note);
}

static void say(const char *actor, const char *id, const char *item,
		const char *lang, const char *text, const char *reply_to)
{
	json_t *f = json_pack("{s:s,s:s,s:s,s:s,s:{s:s}}", "id", id, "session", "s1",
			      "item", item, "mode", "oral", "text", lang, text);
	if (reply_to != NULL)
		json_object_set_new(f, "reply_to", json_string(reply_to));
	post(actor, "statement.deliver", f);
}

static void session(void)
{
	post("secretariat", "session.schedule",
	     json_pack("{s:s,s:s,s:{s:s},s:I,s:I,s:b,s:[{s:s,s:{s:s}},{s:s,s:{s:s}}]}",
		       "id", "s1", "kind", "substantive", "title", "en",
		       "First substantive session", "start_ms", (json_int_t)1767258000000,
		       "end_ms", (json_int_t)1767690000000, "online", 1, "agenda", "id",
		       "2", "title", "en", "General exchange of views", "id", "5", "title",
		       "en", "Capacity building"));
	post("chair.1", "session.open", json_pack("{s:s}", "session", "s1"));
	const char *regs[] = {"FRA", "KEN", "CHN"};
	for (size_t i = 0; i < 3; i++)
		post(regs[i], "session.register", json_pack("{s:s}", "session", "s1"));
	post("chair.1", "decision.open",
	     json_pack("{s:s,s:s,s:{s:s,s:s}}", "id", "s1-agenda", "procedure",
		       "consensus", "subject", "kind", "agenda", "session", "s1"));
	post("chair.1", "decision.close", json_pack("{s:s}", "decision", "s1-agenda"));
	say("FRA", "st-fra", "2", "fr", "La France remercie le Président.", NULL);
	say("KEN", "st-ken", "2", "en", "Kenya supports the programme.", NULL);
	say("CHN", "st-chn", "2", "zh", "中方支持。", "st-fra");
	say("FRA", "st-fra-5", "5", "en", "France offers training.", NULL);
	post("chair.1", "segment.open", json_pack("{s:s,s:s}", "session", "s1", "item", "5"));
	say("sh.icrc", "st-icrc", "5", "en", "The ICRC recalls humanitarian law.", NULL);
	post("chair.1", "segment.close", json_pack("{s:s}", "session", "s1"));
}

static void board(void)
{
	const char *fmt = "{s:s,s:s,s:{s:s},s:{s:s},s:[s]}";
	post("FJI", "need.post", json_pack(fmt, "id", "fji-cert", "area", "cert-maturity",
					   "title", "en", "A national CERT", "description",
					   "en", "Procedures and training.", "languages", "en"));
	post("FJI", "need.post", json_pack(fmt, "id", "fji-law", "area", "legislation",
					   "title", "en", "Cybercrime law", "description",
					   "en", "Drafting help.", "languages", "fr"));
	post("FRA", "offer.post", json_pack(fmt, "id", "fra-cert", "area", "cert-maturity",
					    "title", "en", "Mentoring", "description", "en",
					    "Two experts.", "languages", "en"));
	post("sh.icrc", "offer.post", json_pack(fmt, "id", "icrc-cert", "area",
						"cert-maturity", "title", "en", "Training",
						"description", "en", "Courses.", "languages",
						"en"));
	post("FRA", "pledge.make", json_pack("{s:s,s:s,s:s}", "id", "p1", "offer",
					     "fra-cert", "need", "fji-cert"));
	post("FJI", "pledge.accept", json_pack("{s:s}", "pledge", "p1"));
}

static int setup(void **state)
{
	(void)state;
	sfx_start(&app, forum_writer, "server_read_sessions", dir, sizeof dir);
	session();
	board();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(doc);
	doc = NULL;
	srv_exchange_clear(&ex);
	sfx_stop(&app);
	return 0;
}

/* The value at a path of object keys and array indexes ("a.0.b"). */
static const json_t *at(const char *path)
{
	const json_t *v = doc;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf, *dot; v != NULL && p != NULL; p = dot) {
		dot = strchr(p, '.');
		if (dot != NULL)
			*dot++ = '\0';
		if (json_is_array(v)) {
			size_t i = 0;
			for (const char *d = p; *d != '\0'; d++)
				i = i * 10 + (size_t)(*d - '0');
			v = json_array_get(v, i);
		} else {
			v = json_object_get(v, p);
		}
	}
	return v;
}

static const char *str_at(const char *path)
{
	const char *s = json_string_value(at(path));
	return s != NULL ? s : "";
}

static void sessions_list(void **state)
{
	(void)state;
	get_ok("/v1/sessions");
	assert_int_equal(json_array_size(at("items")), 1);
	assert_string_equal(str_at("items.0.id"), "s1");
	assert_string_equal(str_at("items.0.status"), "open");
	assert_string_equal(str_at("items.0.agenda.status"), "adopted");
	assert_string_equal(str_at("items.0.agenda.decision"), "s1-agenda");
	assert_int_equal(json_integer_value(at("items.0.participants_count")), 3);
	assert_int_equal(json_integer_value(at("items.0.agenda.items.0.statements_count")), 3);
	assert_int_equal(json_integer_value(at("items.0.agenda.items.1.statements_count")), 2);
	assert_null(at("items.0.agenda.items.0.statements"));
	assert_true(json_is_null(at("next")));
}

static void session_in_full(void **state)
{
	(void)state;
	get_ok("/v1/sessions/s1?lang=fr");
	assert_string_equal(str_at("lang"), "fr");
	assert_string_equal(str_at("session.id"), "s1");
	assert_true(json_is_null(at("session.venue")));
	assert_true(json_is_true(at("session.online")));
	/* the statements under each item, in the order delivered */
	assert_string_equal(str_at("session.agenda.items.0.statements.0.id"), "st-fra");
	assert_string_equal(str_at("session.agenda.items.0.statements.0.name"), "France");
	assert_string_equal(str_at("session.agenda.items.0.statements.0.text.fr"),
			    "La France remercie le Président.");
	assert_string_equal(str_at("session.agenda.items.0.statements.2.reply_to"), "st-fra");
	assert_string_equal(str_at("session.agenda.items.0.statements.2.name"), "Chine");
	assert_string_equal(str_at("session.agenda.items.1.statements.1.id"), "st-icrc");
	assert_string_equal(str_at("session.agenda.items.1.statements.1.as"), "stakeholder");
	assert_string_equal(str_at("session.agenda.items.1.statements.1.name"),
			    "International Committee of the Red Cross");
	assert_string_equal(str_at("session.participants.0.code"), "CHN");
	assert_string_equal(str_at("session.participants.1.name"), "France");
	assert_int_equal(json_array_size(at("session.segments")), 1);
	assert_true(json_is_integer(at("session.segments.0.closed_ms")));
	get_ok("/v1/sessions/s1?lang=ar");
	assert_string_equal(str_at("session.participants.1.name"), "فرنسا");
	expect_problem("/v1/sessions/s2", 404, "not-found");
	expect_problem("/v1/sessions/s1?lang=de", 400, "unsupported-language");
	expect_problem("/v1/sessions/s1?limit=2", 400, "bad-parameter");
}

static void statements_lists(void **state)
{
	(void)state;
	get_ok("/v1/statements?by=FRA");
	assert_int_equal(json_array_size(at("items")), 2);
	assert_string_equal(str_at("items.0.id"), "st-fra");
	assert_string_equal(str_at("items.1.id"), "st-fra-5");
	get_ok("/v1/statements?session=s1&item=5&lang=zh");
	assert_int_equal(json_array_size(at("items")), 2);
	assert_string_equal(str_at("items.0.name"), "法国");
	get_ok("/v1/statements?by=nobody");
	assert_int_equal(json_array_size(at("items")), 0);
	assert_true(json_is_null(at("next")));
	/* pages of one walk every statement once, in the order delivered */
	const char *want[] = {"st-fra", "st-ken", "st-chn", "st-fra-5", "st-icrc"};
	char target[128] = "/v1/statements?limit=1";
	for (size_t i = 0; i < 5; i++) {
		get_ok(target);
		assert_int_equal(json_array_size(at("items")), 1);
		assert_string_equal(str_at("items.0.id"), want[i]);
		if (i < 4)
			snprintf(target, sizeof target, "/v1/statements?limit=1&after=%s",
				 str_at("next"));
		else
			assert_true(json_is_null(at("next")));
	}
	/* the cursor may name a statement the filter leaves out; an unknown
	 * one ends the list */
	get_ok("/v1/statements?by=FRA&after=st-ken");
	assert_int_equal(json_array_size(at("items")), 1);
	assert_string_equal(str_at("items.0.id"), "st-fra-5");
	get_ok("/v1/statements?after=nope");
	assert_int_equal(json_array_size(at("items")), 0);
	assert_true(json_is_null(at("next")));
	get_ok("/v1/statements/st-chn");
	assert_string_equal(str_at("statement.reply_to"), "st-fra");
	get_ok("/v1/statements/st-fra");
	assert_string_equal(str_at("statement.replies.0"), "st-chn");
	expect_problem("/v1/statements/nope", 404, "not-found");
	expect_problem("/v1/statements?by=a%20b", 400, "bad-parameter");
	expect_problem("/v1/statements?session=s%2F1", 400, "bad-parameter");
	expect_problem("/v1/statements?item=", 400, "bad-parameter");
	expect_problem("/v1/statements?member=FRA", 400, "bad-parameter");
	expect_problem("/v1/statements?limit=0", 400, "bad-parameter");
}

static void board_views(void **state)
{
	(void)state;
	get_ok("/v1/board");
	assert_int_equal(json_array_size(at("items")), 2);
	assert_string_equal(str_at("items.0.id"), "fji-cert");
	assert_string_equal(str_at("items.0.status"), "in-progress");
	assert_string_equal(str_at("items.0.pledges.0.id"), "p1");
	assert_string_equal(str_at("items.0.pledges.0.status"), "accepted");
	/* the stakeholder's offer matches (same area, English); FRA's is
	 * already pledged */
	assert_int_equal(json_array_size(at("items.0.suggestions")), 1);
	assert_string_equal(str_at("items.0.suggestions.0"), "icrc-cert");
	assert_int_equal(json_array_size(at("items.1.suggestions")), 0);
	get_ok("/v1/board?area=legislation&status=open");
	assert_int_equal(json_array_size(at("items")), 1);
	assert_string_equal(str_at("items.0.id"), "fji-law");
	get_ok("/v1/board?status=completed");
	assert_int_equal(json_array_size(at("items")), 0);
	get_ok("/v1/board/offers?area=cert-maturity&limit=1");
	assert_string_equal(str_at("items.0.id"), "fra-cert");
	assert_string_equal(str_at("next"), "fra-cert");
	get_ok("/v1/board/actors/FJI");
	assert_int_equal(json_array_size(at("asked")), 2);
	assert_int_equal(json_array_size(at("received")), 1);
	assert_int_equal(json_array_size(at("gave")), 0);
	get_ok("/v1/board/actors/FRA");
	assert_string_equal(str_at("offered.0.id"), "fra-cert");
	assert_string_equal(str_at("gave.0.id"), "p1");
	expect_problem("/v1/board/actors/nobody", 404, "not-found");
	expect_problem("/v1/board?area=CERT", 400, "bad-parameter");
	expect_problem("/v1/board/offers?status=open", 400, "bad-parameter");
}

/* The ETag revalidates to 304 until the next action, which shows. */
static void etag(void **state)
{
	(void)state;
	get_ok("/v1/sessions/s1");
	char tag[128];
	snprintf(tag, sizeof tag, "%s", ex.resp.etag);
	assert_int_equal(run_if("GET", "/v1/sessions/s1", NULL, tag), 304);
	post("chair.1", "session.close", json_pack("{s:s}", "session", "s1"));
	get_ok("/v1/sessions/s1");
	assert_string_not_equal(ex.resp.etag, tag);
	assert_string_equal(str_at("session.status"), "closed");
}

/* Every allocation failing in turn: the same status or a 5xx, never a
 * wrong answer. */
static void faults(void **state)
{
	(void)state;
	static const char *targets[] = {
		"/v1/sessions", "/v1/sessions/s1?lang=ru", "/v1/statements?by=FRA",
		"/v1/statements/st-fra", "/v1/board", "/v1/board/offers",
		"/v1/board/actors/FJI",
	};
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		unsigned want = run("GET", targets[i], NULL);
		json_t *want_doc = doc; /* the right answer, to compare each 200 with */
		doc = NULL;
		pnyx_fault_arm(PNYX_FAULT_COUNT);
		srv_exchange_clear(&ex);
		srv_exchange_begin(&app, &ex, "GET", U8(targets[i]), strlen(targets[i]));
		srv_exchange_finish(&app, &ex, NULL, NULL);
		uint64_t points = pnyx_fault_passed();
		pnyx_fault_disarm();
		assert_true(points > 0);
		for (uint64_t k = 1; k <= points; k++) {
			pnyx_fault_arm(k);
			srv_exchange_clear(&ex);
			srv_exchange_begin(&app, &ex, "GET", U8(targets[i]),
					   strlen(targets[i]));
			srv_exchange_finish(&app, &ex, NULL, NULL);
			unsigned got = ex.resp.status;
			pnyx_fault_disarm();
			if (got != want && got < 500)
				fail_msg("%s, fault %llu: %u", targets[i],
					 (unsigned long long)k, got);
			if (got == 200) {
				json_t *got_doc = json_loadb((const char *)ex.resp.body.data,
							     ex.resp.body.len, 0, NULL);
				if (!json_equal(got_doc, want_doc))
					fail_msg("%s, fault %llu: 200 with another body",
						 targets[i], (unsigned long long)k);
				json_decref(got_doc);
			}
		}
		json_decref(want_doc);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_server_read_sessions FORUM_WRITER\n");
		return 2;
	}
	forum_writer = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sessions_list),
		cmocka_unit_test(session_in_full),
		cmocka_unit_test(statements_lists),
		cmocka_unit_test(board_views),
		cmocka_unit_test(etag),
		cmocka_unit_test(faults),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
