/*
 * Tests for the read API of the HTTP service (src/server/read_*.c,
 * actor_index.c) without the network: a forum written by
 * tests/forum_writer (its path is argv[1]) served by a real sequencer, and
 * exchanges fed directly as tests/test_server.c does. Every endpoint
 * shows the outcomes of the scripted forum (positions, tallies, outcomes,
 * names in six languages, revisions and their difference, stakeholders'
 * objections, commitments); pagination walks every item once; ETag and
 * 304; the ETag changes after a new action; next_seq is what a POST then
 * accepts; the list of actions by actor equals the log's own; 400, 404
 * and 503 cases; readers beside a writing sequencer; every allocation
 * failing in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pnyx/action.h"
#include "pnyx/country.h"
#include "pnyx/fault.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/note.h"

#include "../src/server/http.h"
#include "../src/server/logview.h"
#include "../src/server/read_api.h"
#include "../src/server/sequencer.h"
#include "server_fixture.h"
#include "support.h"

#define U8(s) ((const uint8_t *)(s))

static const char *forum_writer;
static char dir[4096];
static struct srv_app app;
static struct srv_exchange ex; /* large: off the stack */
static json_t *doc;             /* the last answer, parsed */

static int setup(void **state)
{
	(void)state;
	sfx_start(&app, forum_writer, "server_read", dir, sizeof dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(doc);
	srv_exchange_clear(&ex);
	sfx_stop(&app);
	return 0;
}

/* Runs one GET exchange without parsing the answer (jansson allocates
 * through pnyx_malloc, which the fault loop makes fail). */
static unsigned get_status(const char *target)
{
	srv_exchange_clear(&ex);
	srv_exchange_begin(&app, &ex, "GET", U8(target), strlen(target));
	srv_exchange_finish(&app, &ex, NULL, NULL);
	return ex.resp.status;
}

/* Runs one exchange (body may be NULL); parses the answer into doc. */
static unsigned run(struct srv_app *a, const char *method, const char *target,
		    const char *inm, const pnyx_buf *body)
{
	srv_exchange_clear(&ex);
	srv_exchange_begin(a, &ex, method, U8(target), strlen(target));
	if (body != NULL)
		srv_exchange_body(&ex, body->data, body->len);
	srv_exchange_finish(a, &ex, inm, NULL);
	json_decref(doc);
	doc = ex.resp.body.len > 0
		      ? json_loadb((const char *)ex.resp.body.data,
				   ex.resp.body.len, 0, NULL)
		      : NULL;
	return ex.resp.status;
}

static unsigned get(const char *target)
{
	return run(&app, "GET", target, NULL, NULL);
}

/* GET that must answer 200 application/json with the envelope. */
static void get_ok(const char *target)
{
	unsigned status = get(target);
	if (status != 200)
		fail_msg("%s: %u %.*s", target, status, (int)ex.resp.body.len,
			 (const char *)ex.resp.body.data);
	assert_string_equal(ex.resp.content_type, "application/json");
	assert_string_equal(ex.resp.cache_control, "no-cache");
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(doc, "forum"), "id")), "oewg");
	assert_true(json_is_false(json_object_get(json_object_get(doc, "forum"),
						  "training")));
	assert_null(json_object_get(doc, "notice"));
	assert_true(json_integer_value(json_object_get(doc, "tree_size")) >= 59);
}

static void expect_problem(const char *target, unsigned status,
			   const char *code)
{
	unsigned got = get(target);
	if (got != status || strcmp(ex.resp.code, code) != 0)
		fail_msg("%s: got %u %s, want %u %s", target, got,
			 ex.resp.code != NULL ? ex.resp.code : "-", status, code);
	assert_string_equal(ex.resp.content_type, "application/problem+json");
	assert_string_equal(json_string_value(json_object_get(doc, "code")), code);
}

/* doc at a path of member names and array indices ("a.b.0.c"). */
static const json_t *at(const char *path)
{
	const json_t *v = doc;
	char part[128];
	while (v != NULL && *path != 0) {
		size_t n = strcspn(path, ".");
		assert_true(n < sizeof part);
		memcpy(part, path, n);
		part[n] = 0;
		path += n + (path[n] == '.');
		if (json_is_array(v))
			v = json_array_get(v, (size_t)strtoul(part, NULL, 10));
		else
			v = json_object_get(v, part);
	}
	return v;
}

static const char *str(const char *path)
{
	const char *s = json_string_value(at(path));
	if (s == NULL)
		fail_msg("no string at %s", path);
	return s;
}

static json_int_t num(const char *path)
{
	const json_t *v = at(path);
	if (!json_is_integer(v))
		fail_msg("no integer at %s", path);
	return json_integer_value(v);
}

/* The strings of the array at path, joined by ','. */
static const char *joined(const char *path)
{
	static char out[4096];
	out[0] = 0;
	const json_t *a = at(path);
	if (!json_is_array(a))
		fail_msg("no array at %s", path);
	for (size_t i = 0; i < json_array_size(a); i++) {
		size_t o = strlen(out);
		snprintf(out + o, sizeof out - o, "%s%s", i > 0 ? "," : "",
			 json_string_value(json_array_get(a, i)));
	}
	return out;
}

static void decision_consensus(void **state)
{
	(void)state;
	get_ok("/v1/decisions/dec-report");
	assert_string_equal(str("decision.id"), "dec-report");
	assert_string_equal(str("decision.status"), "adopted");
	assert_string_equal(str("decision.procedure"), "consensus");
	assert_string_equal(str("decision.outcome_code"), "consensus");
	assert_string_equal(str("decision.outcome"),
			    "adopted by consensus; reservations by BRA");
	assert_string_equal(str("decision.positions.BRA.position"), "joined");
	assert_string_equal(joined("decision.positions.BRA.dissociate"), "p3");
	assert_string_equal(str("decision.positions.FRA.position"), "joined");
	assert_string_equal(str("decision.positions.KEN.position"), "joined");
	assert_string_equal(str("decision.positions.RUS.position"),
			    "objection-withdrawn");
	assert_string_equal(str("decision.positions.RUS.history.0.position"),
			    "objected");
	assert_int_equal(json_object_size(at("decision.positions")), 4);
	assert_string_equal(joined("decision.tally.joined"), "BRA,FRA,KEN");
	assert_string_equal(joined("decision.tally.objected"), "");
	assert_int_equal(num("decision.tally.active_members"), 12);
	assert_string_equal(str("decision.explanations.0.member"), "RUS");
	assert_string_equal(str("decision.explanations.0.when"), "before");
	assert_string_equal(joined("not_spoken"), "CHN,EGY,FJI,IND,JPN,MEX,NOR,USA");
	assert_int_equal(num("decision.subject.revision"), 1);
	assert_string_equal(str("decision.subject.document"), "report-2026");
}

static void decision_vote(void **state)
{
	(void)state;
	get_ok("/v1/decisions/dec-admit-nzl");
	assert_string_equal(str("decision.status"), "adopted");
	assert_string_equal(str("decision.outcome_code"), "majority");
	assert_string_equal(joined("decision.tally.yes"),
			    "BRA,FRA,JPN,KEN,MEX,NOR,USA");
	assert_string_equal(joined("decision.tally.no"), "RUS");
	assert_string_equal(joined("decision.tally.abstain"), "CHN");
	assert_int_equal(num("decision.tally.present_and_voting"), 8);
	assert_string_equal(str("decision.tally.majority"), "two-thirds");
	assert_string_equal(str("decision.positions.RUS.position"), "no");
	assert_string_equal(str("decision.explanations.0.when"), "after");
	/* NZL, admitted by this very decision, is not among them */
	assert_string_equal(joined("not_spoken"), "EGY,FJI,IND");
	get_ok("/v1/decisions/dec-cbm");
	assert_string_equal(str("decision.procedure"), "silence");
	assert_string_equal(str("decision.status"), "adopted");
	expect_problem("/v1/decisions/dec-none", 404, "not-found");
	expect_problem("/v1/decisions/", 404, "not-found");
	expect_problem("/v1/decisions/dec-report/x", 404, "not-found");
}

/* Walks a list with ?limit=limit (base has no query yet, or extra has
 * "&..."), checking each page; returns the ids (member key) joined. */
static const char *walk(const char *base, const char *extra, size_t limit,
			const char *key)
{
	static char ids[8192];
	ids[0] = 0;
	char cursor[128] = "", target[512];
	for (size_t pages = 0;; pages++) {
		assert_true(pages < 100);
		snprintf(target, sizeof target, "%s?limit=%zu%s%s%s", base, limit,
			 extra, cursor[0] != 0 ? "&after=" : "", cursor);
		get_ok(target);
		const json_t *items = at("items");
		assert_true(json_array_size(items) <= limit);
		for (size_t i = 0; i < json_array_size(items); i++) {
			const json_t *v = json_object_get(json_array_get(items, i), key);
			size_t o = strlen(ids);
			if (json_is_string(v))
				snprintf(ids + o, sizeof ids - o, "%s%s", o > 0 ? "," : "",
					 json_string_value(v));
			else
				snprintf(ids + o, sizeof ids - o, "%s%lld", o > 0 ? "," : "",
					 (long long)json_integer_value(v));
		}
		const json_t *next = at("next");
		if (json_is_null(next))
			return ids;
		assert_int_equal(json_array_size(items), limit);
		snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
	}
}

static void decisions_list(void **state)
{
	(void)state;
	assert_string_equal(walk("/v1/decisions", "", 1, "id"),
			    "dec-admit-nzl,dec-cbm,dec-norms,dec-report");
	assert_string_equal(walk("/v1/decisions", "&status=closed", 3, "id"),
			    "dec-admit-nzl,dec-cbm,dec-norms,dec-report");
	assert_string_equal(walk("/v1/decisions", "&status=open", 2, "id"), "");
	get_ok("/v1/decisions");
	assert_int_equal(num("items.3.positions_count"), 4);
	assert_null(at("items.3.positions"));
	assert_string_equal(str("items.3.outcome_code"), "consensus");
	expect_problem("/v1/decisions?status=adopted", 400, "bad-parameter");
	expect_problem("/v1/decisions?after=a%20b", 400, "bad-parameter");
}

static void members(void **state)
{
	(void)state;
	const char *all = "BRA,CHN,EGY,FJI,FRA,IND,JPN,KEN,MEX,NOR,NZL,RUS,USA";
	for (size_t limit = 1; limit <= 14; limit++)
		assert_string_equal(walk("/v1/members", "", limit, "code"), all);
	assert_string_equal(walk("/v1/members", "&lang=fr", 5, "name"),
			    "Brésil,Chine,Égypte,Fidji,France,Inde,Japon,Kenya,"
			    "Mexique,Norvège,Nouvelle-Zélande,Russie, Fédération de,États-Unis");
	get_ok("/v1/members?lang=ar&after=EGY&limit=2");
	assert_string_equal(str("lang"), "ar");
	assert_string_equal(str("items.0.code"), "FJI");
	assert_string_equal(str("items.1.name"), "فرنسا");
	assert_string_equal(str("next"), "FRA");
	get_ok("/v1/members/FRA?lang=fr");
	assert_string_equal(str("member.name"), "France");
	assert_string_equal(str("member.names.ar"), "فرنسا");
	assert_string_equal(str("member.names.zh"), "法国");
	assert_string_equal(str("member.names.ru"), "Франция");
	assert_string_equal(str("member.names.es"), "Francia");
	assert_string_equal(str("member.status"), "active");
	get_ok("/v1/members/NZL");
	assert_string_equal(str("member.history.0.event"), "admitted");
	get_ok("/v1/members/BRA");
	assert_int_equal(json_array_size(at("member.credentials")), 1);
	expect_problem("/v1/members?lang=de", 400, "unsupported-language");
	expect_problem("/v1/members/FRA?lang=fr-FR", 400, "unsupported-language");
	expect_problem("/v1/members?lang=", 400, "unsupported-language");
	expect_problem("/v1/members/XXX", 404, "not-found");
}

static void bad_pages(void **state)
{
	(void)state;
	static const char *bad[] = {
		"/v1/members?limit=0", "/v1/members?limit=1001",
		"/v1/members?limit=01", "/v1/members?limit=abc",
		"/v1/members?limit=", "/v1/members?limit=-1",
		"/v1/members?after=", "/v1/members?after=%C3%A9",
		"/v1/stakeholders?after=a/b", "/v1/documents?limit=99999999999999999999",
		"/v1/commitments?x=1", "/v1/actors/KEN/actions?after=x",
		"/v1/actors/KEN/actions?after=01", "/v1/actors/KEN/actions?limit=0",
		"/v1/forum?limit=1", "/v1/decisions/dec-report?lang=en",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		expect_problem(bad[i], 400, "bad-parameter");
	get_ok("/v1/members?limit=1000");
	get_ok("/v1/members?limit=1");
}

static void actors(void **state)
{
	(void)state;
	get_ok("/v1/actors/KEN");
	assert_string_equal(str("actor.id"), "KEN");
	assert_string_equal(str("actor.kind"), "member");
	assert_int_equal(num("actor.seq"), 6);
	assert_int_equal(num("actor.next_seq"), 7);
	assert_int_equal(json_array_size(at("actor.keys")), 2);
	assert_false(json_is_null(at("actor.keys.0.revoked_ms")));
	get_ok("/v1/actors/EGY");
	assert_int_equal(num("actor.next_seq"), 2);
	get_ok("/v1/actors/sh.acme");
	assert_string_equal(str("actor.kind"), "stakeholder");
	get_ok("/v1/actors/chair.1");
	assert_string_equal(str("actor.name"), "The Chair");
	expect_problem("/v1/actors/nobody", 404, "not-found");
	expect_problem("/v1/actors/nobody/actions", 404, "not-found");
}

/* The indices of actor's leaves, read from the log itself, joined. */
static const char *log_leaves_of(const char *actor)
{
	static char out[4096];
	out[0] = 0;
	pnyx_log *log = srv_logview_lock(app.log);
	pnyx_buf e;
	pnyx_buf_init(&e, PNYX_ENTRY_MAX);
	for (uint64_t i = 0; i < pnyx_log_size(log); i++) {
		pnyx_buf_reset(&e);
		assert_int_equal(pnyx_log_entry(log, i, &e), PNYX_OK);
		pnyx_leaf leaf;
		size_t text_len;
		pnyx_action a = {0};
		assert_int_equal(pnyx_leaf_parse(e.data, e.len, &leaf, NULL), PNYX_OK);
		assert_int_equal(pnyx_note_text_len(leaf.note, leaf.note_len,
						    &text_len), PNYX_OK);
		assert_int_equal(pnyx_action_parse(leaf.note, text_len, &a, NULL),
				 PNYX_OK);
		size_t o = strlen(out);
		if (strcmp(a.actor, actor) == 0)
			snprintf(out + o, sizeof out - o, "%s%llu", o > 0 ? "," : "",
				 (unsigned long long)i);
		pnyx_action_clear(&a);
	}
	pnyx_buf_clear(&e);
	srv_logview_unlock(app.log);
	return out;
}

static void actions_by_actor(void **state)
{
	(void)state;
	static const char *who[] = {"KEN", "RUS", "secretariat", "chair.1",
				    "sh.acme", "FJI", "NZL"};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		char base[128];
		snprintf(base, sizeof base, "/v1/actors/%s/actions", who[i]);
		char want[4096];
		snprintf(want, sizeof want, "%s", log_leaves_of(who[i]));
		assert_string_equal(walk(base, "", 2, "index"), want);
		assert_string_equal(walk(base, "", 1000, "index"), want);
	}
	get_ok("/v1/actors/KEN/actions");
	const json_t *items = at("items");
	assert_int_equal(json_array_size(items), 6);
	for (size_t i = 0; i < 6; i++) {
		const json_t *it = json_array_get(items, i);
		const json_t *a = json_object_get(it, "action");
		assert_string_equal(json_string_value(json_object_get(a, "actor")), "KEN");
		assert_int_equal(json_integer_value(json_object_get(it, "seq")),
				 (json_int_t)i + 1);
		assert_string_equal(json_string_value(json_object_get(it, "type")),
				    json_string_value(json_object_get(a, "type")));
		assert_true(json_integer_value(json_object_get(it, "time_ms")) >
			    1767258000000);
	}
	assert_string_equal(str("items.0.type"), "key.add");
	get_ok("/v1/actors/KEN/actions?after=18446744073709551615");
	assert_int_equal(json_array_size(at("items")), 0);
	assert_true(json_is_null(at("next")));
}

/* Posts an action of actor with sequence number seq and type; fields
 * (stolen) are the action's own. Returns the status. */
static unsigned post(const char *actor, json_int_t seq, const char *type,
		     json_t *fields)
{
	pnyx_buf note;
	sfx_sign_action(dir, actor, seq, type, fields, &note);
	unsigned status = run(&app, "POST", "/v1/actions", NULL, &note);
	pnyx_buf_clear(&note);
	return status;
}

static json_t *explanation(const char *text)
{
	return json_pack("{s:s,s:{s:s},s:s}", "decision", "dec-report", "text",
			 "en", text, "when", "after");
}

static void etag_and_next_seq(void **state)
{
	(void)state;
	get_ok("/v1/decisions/dec-report");
	char tag[40];
	snprintf(tag, sizeof tag, "%s", ex.resp.etag);
	assert_int_equal(strlen(tag), 34);
	json_int_t size = num("tree_size");
	assert_int_equal(run(&app, "GET", "/v1/decisions/dec-report", tag, NULL), 304);
	assert_string_equal(ex.resp.etag, tag);
	assert_int_equal(run(&app, "HEAD", "/v1/decisions/dec-report", tag, NULL), 304);
	assert_int_equal(run(&app, "HEAD", "/v1/decisions/dec-report", NULL, NULL), 200);
	assert_string_equal(ex.resp.etag, tag);
	/* the actor's next_seq is what the sequencer accepts */
	get_ok("/v1/actors/FJI");
	json_int_t next = num("actor.next_seq");
	assert_int_equal(next, 1);
	assert_int_equal(post("FJI", next + 1, "position.explain",
			      explanation("Too far ahead.")), 409);
	assert_string_equal(ex.resp.code, "seq-skipped");
	assert_int_equal(post("FJI", next, "position.explain",
			      explanation("We join the consensus after the fact.")), 201);
	json_int_t index = json_integer_value(json_object_get(doc, "index"));
	assert_int_equal(index, size);
	assert_int_equal(post("FJI", next, "position.explain",
			      explanation("Again.")), 409);
	assert_string_equal(ex.resp.code, "seq-replayed");
	/* the answers now reflect the new leaf */
	assert_int_equal(run(&app, "GET", "/v1/decisions/dec-report", tag, NULL), 200);
	assert_string_not_equal(ex.resp.etag, tag);
	assert_int_equal(num("tree_size"), size + 1);
	assert_string_equal(str("decision.explanations.1.member"), "FJI");
	assert_string_equal(joined("not_spoken"), "CHN,EGY,FJI,IND,JPN,MEX,NOR,USA");
	get_ok("/v1/actors/FJI");
	assert_int_equal(num("actor.seq"), 1);
	assert_int_equal(num("actor.next_seq"), 2);
	get_ok("/v1/actors/FJI/actions");
	assert_int_equal(json_array_size(at("items")), 1);
	assert_int_equal(num("items.0.index"), index);
	assert_string_equal(str("items.0.type"), "position.explain");
	assert_string_equal(str("items.0.action.text.en"),
			    "We join the consensus after the fact.");
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)index);
	assert_string_equal(log_leaves_of("FJI"), want);
}

static void documents(void **state)
{
	(void)state;
	assert_string_equal(walk("/v1/documents", "", 3, "id"),
			    "cbm-list,draft-norms,norms-2026,report-2026");
	get_ok("/v1/documents?after=cbm-list&limit=1");
	assert_string_equal(str("items.0.id"), "draft-norms");
	assert_int_equal(num("items.0.revisions"), 2);
	assert_int_equal(num("items.0.amendments"), 2);
	get_ok("/v1/documents/draft-norms");
	assert_int_equal(json_array_size(at("document.revisions")), 2);
	assert_int_equal(num("document.revisions.1.paragraph_count"), 3);
	assert_null(at("document.revisions.1.paragraphs"));
	assert_string_equal(joined("document.revisions.1.amendments_taken"), "am-1");
	assert_string_equal(str("document.amendments.am-1.status"), "taken");
	assert_string_equal(str("document.amendments.am-2.status"), "withdrawn");
	assert_string_equal(str("document.inputs.0.by"), "IND");
	get_ok("/v1/documents/draft-norms/revisions/2");
	assert_int_equal(num("revision.number"), 2);
	assert_int_equal(json_array_size(at("revision.paragraphs")), 3);
	assert_string_equal(str("revision.paragraphs.0.text.en"), "States should "
			    "cooperate closely to prevent harmful ICT practices.");
	assert_int_equal(json_array_size(at("amendments")), 0);
	get_ok("/v1/documents/draft-norms/revisions/1");
	assert_int_equal(json_array_size(at("amendments")), 2);
	get_ok("/v1/documents/draft-norms/diff?from=1&to=2");
	assert_string_equal(str("paragraphs.0.paragraph"), "p1");
	assert_string_equal(str("paragraphs.0.change"), "changed");
	assert_string_equal(str("paragraphs.0.from.en"),
			    "States should cooperate to prevent harmful ICT practices.");
	assert_string_equal(str("paragraphs.1.change"), "unchanged");
	assert_string_equal(str("paragraphs.2.change"), "unchanged");
	assert_int_equal(json_array_size(at("paragraphs")), 3);
	get_ok("/v1/documents/draft-norms/diff?from=2&to=2");
	static const char *missing[] = {
		"/v1/documents/nope", "/v1/documents/nope/revisions/1",
		"/v1/documents/draft-norms/revisions/3",
		"/v1/documents/draft-norms/revisions/0",
		"/v1/documents/draft-norms/revisions/01",
		"/v1/documents/draft-norms/revisions/x",
		"/v1/documents/draft-norms/diff?from=1&to=3",
		"/v1/documents/draft-norms/diff?from=0&to=1",
		"/v1/documents/nope/diff?from=1&to=1",
	};
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++)
		expect_problem(missing[i], 404, "not-found");
	expect_problem("/v1/documents/draft-norms/diff?from=1", 400, "bad-parameter");
	expect_problem("/v1/documents/draft-norms/diff?from=1&to=x", 400,
		       "bad-parameter");
}

static void stakeholders(void **state)
{
	(void)state;
	assert_string_equal(walk("/v1/stakeholders", "", 2, "id"),
			    "sh.acme,sh.digital-rights,sh.icrc");
	assert_string_equal(str("notification_list.0.name"),
			    "International Committee of the Red Cross");
	get_ok("/v1/stakeholders/sh.acme");
	assert_string_equal(str("stakeholder.status"), "not-accredited");
	assert_string_equal(joined("stakeholder.objected_by"), "EGY");
	assert_string_equal(str("stakeholder.objections.0.member"), "EGY");
	get_ok("/v1/stakeholders/sh.digital-rights");
	assert_string_equal(str("stakeholder.status"), "accredited");
	assert_string_equal(str("stakeholder.objections.0.member"), "CHN");
	assert_string_equal(str("stakeholder.objections.0.reason.en"),
			    "Not relevant to the mandate.");
	assert_false(json_is_null(at("stakeholder.objections.0.withdrawn_leaf")));
	get_ok("/v1/stakeholders/sh.icrc");
	assert_string_equal(str("stakeholder.basis"), "notification");
	expect_problem("/v1/stakeholders/sh.none", 404, "not-found");
}

static void commitments(void **state)
{
	(void)state;
	assert_string_equal(walk("/v1/commitments", "", 1, "decision"), "dec-norms");
	get_ok("/v1/commitments");
	assert_string_equal(str("items.0.norms.p2.NOR.status"), "subscribed");
	get_ok("/v1/commitments/NOR");
	assert_string_equal(str("member"), "NOR");
	assert_int_equal(json_array_size(at("commitments")), 1);
	assert_string_equal(str("commitments.0.decision"), "dec-norms");
	assert_string_equal(str("commitments.0.norm"), "p2");
	assert_string_equal(str("commitments.0.document"), "norms-2026");
	assert_string_equal(str("commitments.0.reports.0.status"), "in-progress");
	get_ok("/v1/commitments/MEX");
	assert_string_equal(str("commitments.0.status"), "withdrawn");
	get_ok("/v1/commitments/KEN");
	assert_int_equal(json_array_size(at("commitments")), 0);
	expect_problem("/v1/commitments/XXX", 404, "not-found");
}

static void forum(void **state)
{
	(void)state;
	get_ok("/v1/forum");
	assert_string_equal(str("forum.title"),
			    "Open-ended working group on security of and in the use of ICTs");
	assert_int_equal(num("forum.rules.quorum_percent"), 50);
	assert_int_equal(num("forum.rules.silence_min_hours"), 72);
	assert_string_equal(joined("forum.languages"), "ar,en,es,fr,ru,zh");
	assert_string_equal(joined("forum.chairs"), "chair.1");
	assert_int_equal(json_array_size(at("officers")), 2);
	assert_int_equal(num("counts.members"), 13);
	assert_int_equal(num("counts.decisions"), 4);
	assert_int_equal(num("counts.decisions_open"), 0);
	assert_int_equal(num("counts.stakeholders"), 3);
	run(&app, "POST", "/v1/forum", NULL, NULL);
	assert_int_equal(ex.resp.status, 405);
	assert_string_equal(ex.resp.allow, "GET, HEAD");
}

/* Without a sequencer (no --key) there is no state: 503. */
static void read_only(void **state)
{
	(void)state;
	struct srv_app ro = app;
	ro.seq = NULL;
	static const char *targets[] = {
		"/v1/forum", "/v1/members", "/v1/actors/KEN",
		"/v1/actors/KEN/actions", "/v1/decisions/dec-report",
		"/v1/documents/draft-norms/diff?from=1&to=2",
	};
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		assert_int_equal(run(&ro, "GET", targets[i], NULL, NULL), 503);
		assert_string_equal(ex.resp.code, "unavailable");
	}
	/* parameters are checked first */
	assert_int_equal(run(&ro, "GET", "/v1/members?lang=xx", NULL, NULL), 400);
}

/* Every allocation of an answer fails in turn: the answer is then the
 * right one or a 5xx problem, and nothing leaks (ASan checks). Runs while
 * the sequencer is idle (before any post), so that only this thread
 * passes fault points. */
static void faults(void **state)
{
	(void)state;
	static const char *targets[] = {
		"/v1/forum", "/v1/members?lang=ar&limit=3",
		"/v1/members/FRA", "/v1/actors/KEN", "/v1/actors/KEN/actions",
		"/v1/decisions?status=closed", "/v1/decisions/dec-report",
		"/v1/documents", "/v1/documents/draft-norms",
		"/v1/documents/draft-norms/revisions/1",
		"/v1/documents/draft-norms/diff?from=1&to=2",
		"/v1/stakeholders", "/v1/stakeholders/sh.acme",
		"/v1/commitments", "/v1/commitments/NOR",
		"/v1/decisions/nope", "/v1/members?limit=0",
	};
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		unsigned want = get_status(targets[i]);
		pnyx_fault_arm(PNYX_FAULT_COUNT);
		get_status(targets[i]);
		uint64_t points = pnyx_fault_passed();
		pnyx_fault_disarm();
		assert_true(points > 0);
		for (uint64_t k = 1; k <= points; k++) {
			pnyx_fault_arm(k);
			unsigned got = get_status(targets[i]);
			pnyx_fault_disarm();
			if (got != want && got < 500)
				fail_msg("%s, fault %llu: %u", targets[i],
					 (unsigned long long)k, got);
		}
	}
	get_ok("/v1/forum");
}

#define READERS 4
#define POSTS 30

struct reader {
	pthread_t thread;
	json_int_t first;      /* index of FJI's first action */
	size_t answers;
	const char *error;
	_Atomic bool *stop;
};

/* GET target on x from a reader thread: the parsed 200 answer, or NULL. */
static json_t *fetch(struct srv_exchange *x, const char *target)
{
	srv_exchange_begin(&app, x, "GET", U8(target), strlen(target));
	srv_exchange_finish(&app, x, NULL, NULL);
	json_t *d = x->resp.status == 200
			    ? json_loadb((const char *)x->resp.body.data,
					 x->resp.body.len, 0, NULL)
			    : NULL;
	srv_exchange_clear(x);
	return d;
}

/* Reads FJI's actions: every one listed is committed (below tree_size)
 * and every committed one is listed (FJI writes every leaf from first on). */
static const char *check_fji(struct srv_exchange *x, json_int_t first)
{
	json_t *d = fetch(x, "/v1/actors/FJI/actions?limit=1000");
	json_int_t size = json_integer_value(json_object_get(d, "tree_size"));
	const json_t *items = json_object_get(d, "items");
	const char *err = NULL;
	if (d == NULL)
		err = "not a 200 JSON answer";
	else if ((json_int_t)json_array_size(items) != size - first)
		err = "the list does not match the tree size";
	for (size_t i = 0; err == NULL && i < json_array_size(items); i++)
		if (json_integer_value(json_object_get(json_array_get(items, i),
						       "index")) != first + (json_int_t)i)
			err = "a listed index is not the committed one";
	json_decref(d);
	return err;
}

/* Reads the decision FJI explains (encoded while other readers encode
 * the same state values): RUS's explanation and one per leaf of FJI. */
static const char *check_decision(struct srv_exchange *x, json_int_t first)
{
	json_t *d = fetch(x, "/v1/decisions/dec-report");
	json_int_t size = json_integer_value(json_object_get(d, "tree_size"));
	size_t n = json_array_size(json_object_get(json_object_get(d, "decision"),
						   "explanations"));
	const char *err = d == NULL ? "not a 200 JSON answer"
		: (json_int_t)n != 1 + size - first
			? "the explanations do not match the tree size" : NULL;
	json_decref(d);
	return err;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct srv_exchange *x = calloc(1, sizeof *x);
	while (r->error == NULL && !*r->stop) {
		r->error = check_fji(x, r->first);
		if (r->error == NULL)
			r->error = check_decision(x, r->first);
		r->answers++;
	}
	free(x);
	return NULL;
}

static void readers_beside_the_sequencer(void **state)
{
	(void)state;
	get_ok("/v1/actors/FJI/actions");
	json_int_t first = num("items.0.index");
	get_ok("/v1/actors/FJI");
	json_int_t seq = num("actor.next_seq");
	_Atomic bool stop = false;
	struct reader r[READERS];
	for (size_t i = 0; i < READERS; i++) {
		r[i] = (struct reader){.first = first, .stop = &stop};
		assert_int_equal(pthread_create(&r[i].thread, NULL, reader_main, &r[i]), 0);
	}
	for (int i = 0; i < POSTS; i++) {
		char text[64];
		snprintf(text, sizeof text, "Explanation %d.", i);
		assert_int_equal(post("FJI", seq++, "position.explain",
				      explanation(text)), 201);
	}
	stop = true;
	for (size_t i = 0; i < READERS; i++) {
		pthread_join(r[i].thread, NULL);
		if (r[i].error != NULL)
			fail_msg("reader %zu: %s", i, r[i].error);
		assert_true(r[i].answers > 0);
	}
	get_ok("/v1/actors/FJI/actions");
	assert_int_equal(json_array_size(at("items")), POSTS + 1);
	get_ok("/v1/decisions/dec-report");
	assert_int_equal(json_array_size(at("decision.explanations")), POSTS + 2);
}

int main(int argc, char **argv)
{
	if (argc != 2 || pnyx_init() != PNYX_OK) {
		fputs("usage: test_server_read FORUM_WRITER\n", stderr);
		return 1;
	}
	forum_writer = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decision_consensus),
		cmocka_unit_test(decision_vote),
		cmocka_unit_test(decisions_list),
		cmocka_unit_test(members),
		cmocka_unit_test(bad_pages),
		cmocka_unit_test(actors),
		cmocka_unit_test(actions_by_actor),
		cmocka_unit_test(documents),
		cmocka_unit_test(stakeholders),
		cmocka_unit_test(commitments),
		cmocka_unit_test(forum),
		cmocka_unit_test(read_only),
		cmocka_unit_test(faults),
		cmocka_unit_test(etag_and_next_seq),
		cmocka_unit_test(readers_beside_the_sequencer),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
