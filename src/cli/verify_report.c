/*
 * What pnyx verify prints after a replay, whether the log came from a file
 * (cmd_verify.c) or from tiles over HTTP (cmd_verify_url.c): the forum, its
 * members, documents, decisions with their tallies and outcomes,
 * stakeholders, commitments and the state digest, as text or as JSON.
 */
#include "verify_report.h"

#include "cli.h"
#include "cli_text.h"

#include "pnyx/base64.h"
#include "pnyx/json.h"
#include "pnyx/mem.h"
#include "pnyx/training.h"

#include <stdio.h>
#include <string.h>

#define VERIFY_JSON_MAX (256u * 1024u * 1024u)
#define WRAP_COLUMNS 72

static const json_t *section(const pnyx_state *st, const char *key)
{
	return json_object_get(pnyx_state_json(st), key);
}

int verify_apply_leaf(pnyx_state *st, uint64_t i, const uint8_t *p, size_t n)
{
	pnyx_verdict v;
	pnyx_rule r = pnyx_engine_apply(st, p, n, PNYX_ENGINE_CHECK_SIGNATURES, &v);
	if (r == PNYX_RULE_OK)
		return CLI_EXIT_OK;
	if (r == PNYX_RULE_NOMEM)
		return cli_fail("out of memory at leaf %llu", (unsigned long long)i);
	fprintf(stderr, "pnyx: leaf %llu is refused: %s: ",
		(unsigned long long)i, pnyx_rule_name(r));
	cli_put_text(stderr, v.msg);
	fputc('\n', stderr);
	return CLI_EXIT_FAIL;
}

int verify_digest(const pnyx_state *st, char out[2 * PNYX_HASH_LEN + 1])
{
	pnyx_hash digest;
	if (pnyx_state_digest(st, &digest) != PNYX_OK)
		return cli_fail("out of memory");
	cli_hex(&digest, out);
	return CLI_EXIT_OK;
}

static void print_forum(const pnyx_state *st)
{
	const json_t *forum = section(st, "forum");
	if (json_is_true(json_object_get(forum, "training")))
		fputs("\n" PNYX_TRAINING_NOTICE "\n", stdout);
	fputs("\nforum: ", stdout);
	cli_put_forum(stdout, forum);
	fputs("\ncreated: ", stdout);
	cli_put_time(stdout, json_object_get(forum, "created_ms"));
	printf("\nleaves: %llu, the last at ", (unsigned long long)pnyx_state_leaves(st));
	cli_put_time(stdout, json_object_get(section(st, "clock"), "time_ms"));
	fputc('\n', stdout);
}

/* Prints the ids (sorted) of obj whose "status" is status, wrapped. */
static void print_ids_with_status(const json_t *obj, const char **ids, size_t n,
				  const char *status)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = cli_str_of(json_object_get(obj, ids[i]), "status");
		if (s == NULL || strcmp(s, status) != 0)
			continue;
		if (col == 0 || col + strlen(ids[i]) + 1 > WRAP_COLUMNS) {
			fputs(col == 0 ? "  " : "\n  ", stdout);
			cli_put_text(stdout, status);
			fputs(":", stdout);
			col = 3 + strlen(status);
		}
		fputc(' ', stdout);
		cli_put_text(stdout, ids[i]);
		col += strlen(ids[i]) + 1;
	}
	if (col > 0)
		fputc('\n', stdout);
}

/* The members by status: each status once, in the order the sorted ids
 * first show it. */
static void print_members(const json_t *members)
{
	size_t n;
	const char **ids = pnyx_json_sorted_keys(members, &n);
	printf("\nmembers: %zu\n", json_object_size(members));
	for (size_t i = 0; i < n; i++) {
		const char *s = cli_str_of(json_object_get(members, ids[i]), "status");
		bool seen = s == NULL;
		for (size_t j = 0; j < i && !seen; j++) {
			const char *s2 = cli_str_of(json_object_get(members, ids[j]), "status");
			seen = s2 != NULL && strcmp(s, s2) == 0;
		}
		if (!seen)
			print_ids_with_status(members, ids, n, s);
	}
	pnyx_free(ids);
}

static void print_documents(const json_t *docs)
{
	printf("\ndocuments: %zu\n", json_object_size(docs));
	const char *id;
	const json_t *d;
	json_object_foreach((json_t *)docs, id, d) {
		fputs("  ", stdout);
		cli_put_text(stdout, id);
		const char *title = cli_text_of(json_object_get(d, "title"));
		if (title != NULL) {
			fputs(" \"", stdout);
			cli_put_text(stdout, title);
			fputc('"', stdout);
		}
		size_t am = json_object_size(json_object_get(d, "amendments"));
		size_t in = json_array_size(json_object_get(d, "inputs"));
		printf(": Rev.%zu, %zu amendment%s, %zu input%s\n",
		       json_array_size(json_object_get(d, "revisions")), am, cli_plural(am),
		       in, cli_plural(in));
	}
}

/* The members named in a tally list: strings, or objects with "member". */
static void put_names(const json_t *arr)
{
	size_t i, shown = 0;
	const json_t *x;
	json_array_foreach(arr, i, x) {
		const char *name = json_is_string(x) ? json_string_value(x)
						     : cli_str_of(x, "member");
		if (name == NULL)
			continue;
		fputs(shown++ == 0 ? " (" : ", ", stdout);
		cli_put_text(stdout, name);
	}
	if (shown > 0)
		fputc(')', stdout);
}

/* The keys of an object, as put_names. */
static void put_keys(const json_t *obj)
{
	const char *k;
	const json_t *v;
	const char *sep = " (";
	json_object_foreach((json_t *)obj, k, v) {
		fputs(sep, stdout);
		cli_put_text(stdout, k);
		sep = ", ";
	}
	if (json_object_size(obj) > 0)
		fputc(')', stdout);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Every member of the tally as it is: lists with their size and names,
 * times (keys ending in _ms) as dates, the rest as values. */
static void print_tally(const json_t *tally)
{
	if (!json_is_object(tally))
		return;
	fputs("      tally:", stdout);
	const char *k;
	const json_t *v;
	const char *sep = " ";
	json_object_foreach((json_t *)tally, k, v) {
		fputs(sep, stdout);
		cli_put_text(stdout, k);
		fputc(' ', stdout);
		if (json_is_array(v)) {
			printf("%zu", json_array_size(v));
			put_names(v);
		} else if (json_is_object(v)) {
			printf("%zu", json_object_size(v));
			put_keys(v);
		} else if (json_is_integer(v) && ends_with(k, "_ms")) {
			cli_put_time(stdout, v);
		} else {
			cli_put_scalar(stdout, v);
		}
		sep = "; ";
	}
	fputc('\n', stdout);
}

/* "about": a document's revision, a membership question, or else the
 * subject's scalar members as they are. */
static void print_subject(const json_t *subject)
{
	if (!json_is_object(subject))
		return;
	const char *kind = cli_str_of(subject, "kind");
	const char *doc = cli_str_of(subject, "document");
	const char *member = cli_str_of(subject, "member");
	fputs("      about: ", stdout);
	if (kind != NULL && strcmp(kind, "document") == 0 && doc != NULL) {
		fputs("document ", stdout);
		cli_put_text(stdout, doc);
		printf(", Rev.%lld\n",
		       (long long)json_integer_value(json_object_get(subject, "revision")));
		return;
	}
	cli_put_text(stdout, kind != NULL ? kind : "?");
	if (member != NULL) {
		fputc(' ', stdout);
		cli_put_text(stdout, member);
	}
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)subject, k, v) {
		if (strcmp(k, "kind") == 0 || strcmp(k, "member") == 0 ||
		    json_is_array(v) || json_is_object(v))
			continue;
		fputs(", ", stdout);
		cli_put_text(stdout, k);
		fputc(' ', stdout);
		cli_put_scalar(stdout, v);
	}
	fputc('\n', stdout);
}

static void print_closed(const json_t *d)
{
	const json_t *closed = json_object_get(d, "closed_ms");
	if (!json_is_integer(closed))
		return;
	fputs(" (closed ", stdout);
	cli_put_time(stdout, closed);
	const char *by = cli_str_of(d, "closed_by");
	if (by != NULL) {
		fputs(" by ", stdout);
		cli_put_text(stdout, by);
	}
	const json_t *leaf = json_object_get(d, "closed_leaf");
	if (json_is_integer(leaf))
		printf(", leaf %lld", (long long)json_integer_value(leaf));
	fputc(')', stdout);
}

static void print_decision(const char *id, const json_t *d)
{
	fputs("  ", stdout);
	cli_put_text(stdout, id);
	const char *title = cli_text_of(json_object_get(d, "title"));
	if (title != NULL) {
		fputs(": ", stdout);
		cli_put_text(stdout, title);
	}
	fputc('\n', stdout);
	print_subject(json_object_get(d, "subject"));
	fputs("      procedure: ", stdout);
	cli_put_scalar(stdout, json_object_get(d, "procedure"));
	if (json_is_true(json_object_get(d, "important")))
		fputs(" (important question)", stdout);
	fputs(", status: ", stdout);
	cli_put_scalar(stdout, json_object_get(d, "status"));
	print_closed(d);
	fputc('\n', stdout);
	print_tally(json_object_get(d, "tally"));
	const char *outcome = cli_text_of(json_object_get(d, "outcome"));
	if (outcome != NULL) {
		fputs("      outcome: ", stdout);
		cli_put_text(stdout, outcome);
		fputc('\n', stdout);
	}
}

/* How an application was or will be decided, and who objected. */
static void print_basis(const json_t *app, const json_t *now)
{
	const char *basis = cli_str_of(app, "basis");
	const char *status = cli_str_of(app, "status");
	if (basis != NULL) {
		fputs(strcmp(basis, "notification") == 0 ? " on notification"
							 : " by non-objection", stdout);
	}
	const json_t *end = json_object_get(app, "window_end_ms");
	if (status != NULL && strcmp(status, "pending") == 0 && json_is_integer(end)) {
		fputs(json_integer_value(end) <= json_integer_value(now)
			      ? "; the window ended " : "; the window ends ", stdout);
		cli_put_time(stdout, end);
	}
	const json_t *by = json_object_get(app, "objected_by");
	if (json_array_size(by) > 0) {
		fputs("; standing objections", stdout);
		put_names(by);
	}
	size_t n = json_array_size(json_object_get(app, "objections"));
	if (n > 0)
		printf("; %zu objection%s on the record", n, cli_plural(n));
}

static void print_stakeholders(const pnyx_state *st)
{
	const json_t *apps = json_object_get(section(st, "stakeholders"), "applications");
	const json_t *now = json_object_get(section(st, "clock"), "time_ms");
	printf("\nstakeholders: %zu applications\n", json_object_size(apps));
	const char *id;
	const json_t *app;
	json_object_foreach((json_t *)apps, id, app) {
		fputs("  ", stdout);
		cli_put_text(stdout, id);
		const char *name = cli_text_of(json_object_get(app, "name"));
		if (name != NULL) {
			fputs(" \"", stdout);
			cli_put_text(stdout, name);
			fputc('"', stdout);
		}
		fputs(": ", stdout);
		cli_put_scalar(stdout, json_object_get(app, "status"));
		print_basis(app, now);
		fputc('\n', stdout);
	}
}

/* commitments: decision -> {"norms": {norm -> {member -> {"status",
 * "reports"}}}}: one line per norm. */
static void print_commitments(const json_t *commitments)
{
	size_t n = json_object_size(commitments);
	printf("\ncommitments: to the norms of %zu adopted text%s\n", n, cli_plural(n));
	const char *dec, *norm, *member;
	const json_t *c, *byn, *m;
	json_object_foreach((json_t *)commitments, dec, c) {
		json_object_foreach(json_object_get(c, "norms"), norm, byn) {
			fputs("  ", stdout);
			cli_put_text(stdout, dec);
			fputs(" norm ", stdout);
			cli_put_text(stdout, norm);
			fputc(':', stdout);
			json_object_foreach((json_t *)byn, member, m) {
				fputc(' ', stdout);
				cli_put_text(stdout, member);
				fputc(' ', stdout);
				cli_put_scalar(stdout, json_object_get(m, "status"));
				size_t r = json_array_size(json_object_get(m, "reports"));
				printf(" (%zu report%s)", r, cli_plural(r));
			}
			fputc('\n', stdout);
		}
	}
}

void verify_print_summary(const pnyx_state *st, const char *digest)
{
	print_forum(st);
	print_members(section(st, "members"));
	print_documents(section(st, "documents"));
	const json_t *decisions = section(st, "decisions");
	printf("\ndecisions: %zu\n", json_object_size(decisions));
	const char *id;
	const json_t *d;
	json_object_foreach((json_t *)decisions, id, d)
		print_decision(id, d);
	print_stakeholders(st);
	print_commitments(section(st, "commitments"));
	printf("\nstate digest: %s\n", digest);
	printf("verified: replaying all %llu leaves from the forum's creation, "
	       "checking every signature, reaches this state\n",
	       (unsigned long long)pnyx_state_leaves(st));
}

/* ---- the JSON summary ---- */

/* A copy of the members of obj named in keys that it has. */
static json_t *pick(const json_t *obj, const char *const *keys, size_t n)
{
	json_t *out = json_object();
	for (size_t i = 0; out != NULL && i < n; i++) {
		json_t *v = json_object_get(obj, keys[i]);
		if (v != NULL && json_object_set_new(out, keys[i], json_deep_copy(v)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* {id: pick(entry, keys)} for every entry of a state section. */
static json_t *pick_each(const json_t *sec, const char *const *keys, size_t n)
{
	json_t *out = json_object();
	const char *id;
	const json_t *x;
	json_object_foreach((json_t *)sec, id, x) {
		if (out != NULL && json_object_set_new(out, id, pick(x, keys, n)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

static json_t *json_summary(const pnyx_state *st, const verify_log_id *id,
			    const char *digest)
{
	static const char *const forum_keys[] = {"id", "title", "created_ms",
						 "languages"};
	static const char *const member_keys[] = {"status", "since_ms"};
	static const char *const decision_keys[] = {
		"title", "subject", "procedure", "status", "tally", "outcome",
		"outcome_code", "closed_ms", "closed_by", "closed_leaf"};
	static const char *const stakeholder_keys[] = {
		"name", "category", "basis", "status", "decided_ms", "objected_by"};
	char root64[64];
	pnyx_base64_encode(id->root.b, PNYX_HASH_LEN, root64, sizeof root64);
	return json_pack(
		"{s:s,s:I,s:{s:s,s:I,s:s},s:o,s:o,s:o,s:o,s:s}", "digest", digest,
		"leaves", (json_int_t)pnyx_state_leaves(st), "log", "origin",
		id->origin, "entries", (json_int_t)id->entries,
		"root", root64, "forum", pick(section(st, "forum"), forum_keys, 4),
		"members", pick_each(section(st, "members"), member_keys, 2),
		"decisions", pick_each(section(st, "decisions"), decision_keys, 10),
		"stakeholders", pick_each(json_object_get(section(st, "stakeholders"),
							  "applications"), stakeholder_keys, 6),
		"verified", "replayed every leaf from the forum's creation, "
			    "checking every signature");
}

int verify_print_json(const pnyx_state *st, const verify_log_id *id,
		      const char *digest)
{
	json_t *summary = json_summary(st, id, digest);
	if (summary == NULL)
		return cli_fail("out of memory");
	pnyx_buf out;
	pnyx_buf_init(&out, VERIFY_JSON_MAX);
	pnyx_err err = pnyx_json_encode(summary, &out);
	json_decref(summary);
	if (err == PNYX_OK)
		err = pnyx_buf_puts(&out, "\n");
	int rc = err != PNYX_OK ? cli_fail_err("cannot encode the summary", err, NULL)
		 : cli_write_stdout(out.data, out.len) ? CLI_EXIT_OK
						      : CLI_EXIT_FAIL;
	pnyx_buf_clear(&out);
	return rc;
}

