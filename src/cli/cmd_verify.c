/*
 * pnyx verify: audit a forum's log on one's own machine. First the log
 * itself (cli_log_audit: the Merkle tree and the latest checkpoint), then
 * every leaf replayed from the forum's creation with the same engine the
 * server runs, checking every signature; then what the record says: the
 * forum, its members, each decision with its procedure, status and tally,
 * the stakeholders, and the state digest.
 */
#include "cli.h"
#include "cli_log.h"

#include "pnyx/base64.h"
#include "pnyx/engine.h"
#include "pnyx/json.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"
#include "pnyx/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"Usage: pnyx verify --db FILE [--vkey LOGKEY] [--json]\n"
	"\n"
	"Checks a forum's record on your own machine, trusting neither the\n"
	"server nor its operator. FILE is a copy of the forum's log (a SQLite\n"
	"file, for instance a mirror's). Two checks, in order:\n"
	"\n"
	"  1. The log. Every entry is hashed again into the Merkle tree, which\n"
	"     must match the tree stored in the file, and the latest signed\n"
	"     checkpoint must verify and match it. With --vkey, the log must\n"
	"     be the one LOGKEY signs (LOGKEY as text, or @FILE to read it from\n"
	"     a file): get it from the forum's secretariat, not from the file.\n"
	"  2. The rules. Every entry, from the forum's creation on, is replayed\n"
	"     with the rules of procedure (the same engine the server runs):\n"
	"     each action's signature by its actor's key, its sequence number,\n"
	"     who may take it, its deadlines. Outcomes are computed, never read\n"
	"     from the file.\n"
	"\n"
	"It then prints the forum, the members and their status, every\n"
	"decision (what it is about, its procedure, status, tally and\n"
	"outcome), the stakeholders and their status, and the state digest:\n"
	"the SHA-256 of the whole computed state. Anyone who replays the same\n"
	"log gets the same digest, so comparing digests compares records.\n"
	"\n"
	"On the first entry the rules refuse it stops with\n"
	"  pnyx: leaf N is refused: <code>: <reason>\n"
	"where N counts entries from 0 and <code> is a stable verdict name\n"
	"(bad-signature, seq-replayed, ...): the log and the rules part there.\n"
	"\n"
	"  --db FILE      the forum's log\n"
	"  --vkey LOGKEY  the log's verifier key (recommended)\n"
	"  --json         print the summary as one JSON object on standard\n"
	"                 output (the log check's report goes to standard error)\n"
	"\n"
	"Exit status: 0 verified, 1 a check failed, 2 the command line is wrong.\n";

#define VERIFY_JSON_MAX (256u * 1024u * 1024u)
#define WRAP_COLUMNS 72

struct verify_args {
	const char *db;
	const char *vkey;
	bool json;
};

/* Returns CLI_EXIT_OK to go on, -1 after printing the help, or a usage
 * error. */
static int parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"vkey", required_argument, NULL, 'v'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*a = (struct verify_args){.db = NULL};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'v': a->vkey = optarg; break;
		case 'j': a->json = true; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("verify", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if (a->db == NULL)
		return cli_usage_error("verify", "--db FILE is required");
	return CLI_EXIT_OK;
}

/* ---- printing text that came from the log ---- */

/* Length of a character that must not reach a terminal as it is: C0 and C1
 * controls, DEL, and the bidirectional overrides and isolates that could
 * make a line read differently from its bytes. 0 if s starts with none. */
static size_t unsafe_char(const unsigned char *s)
{
	if (s[0] < 0x20 || s[0] == 0x7f)
		return 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 3;
	return 0;
}

/* Writes s (valid UTF-8 from the state) with unsafe characters escaped. */
static void put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != 0) {
		size_t n = unsafe_char(p);
		if (n == 0) {
			fputc(*p++, f);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			fprintf(f, "\\x%02x", p[i]);
		p += n;
	}
}

/* A time in ms since the epoch as "2026-01-05 12:00:00 UTC". */
static void format_time(json_int_t ms, char out[40])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms < 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 40, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, 40, "%lld ms", (long long)ms);
}

static void hex(const pnyx_hash *h, char out[2 * PNYX_HASH_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < PNYX_HASH_LEN; i++) {
		out[2 * i] = digits[h->b[i] >> 4];
		out[2 * i + 1] = digits[h->b[i] & 0xf];
	}
	out[2 * PNYX_HASH_LEN] = 0;
}

static const json_t *section(const pnyx_state *st, const char *key)
{
	return json_object_get(pnyx_state_json(st), key);
}

static const char *str_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A text that is a string or a multilingual object: English if there is
 * one, else the first language. NULL if neither. */
static const char *text_of(const json_t *t)
{
	if (json_is_string(t))
		return json_string_value(t);
	if (!json_is_object(t) || json_object_size(t) == 0)
		return NULL;
	const json_t *en = json_object_get(t, "en");
	if (json_is_string(en))
		return json_string_value(en);
	return json_string_value(json_object_iter_value(json_object_iter((json_t *)t)));
}

/* Writes a scalar JSON value: a string (escaped), a number, true/false. */
static void put_scalar(FILE *f, const json_t *v)
{
	if (json_is_string(v))
		put_text(f, json_string_value(v));
	else if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "yes" : "no", f);
	else if (json_is_null(v))
		fputs("-", f);
	else
		fprintf(f, "(%zu items)", json_is_array(v) ? json_array_size(v)
							 : json_object_size(v));
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* ---- the replay ---- */

/* Applies every entry of the log to st, checking signatures. Prints the
 * first refusal and returns CLI_EXIT_FAIL then. */
static int replay(pnyx_log *log, pnyx_state *st)
{
	uint64_t n = pnyx_log_size(log);
	if (n == 0)
		return cli_fail("the log holds no leaf: there is no forum to verify");
	pnyx_buf entry;
	pnyx_buf_init(&entry, PNYX_ENTRY_MAX);
	int rc = CLI_EXIT_OK;
	for (uint64_t i = 0; i < n && rc == CLI_EXIT_OK; i++) {
		pnyx_buf_reset(&entry);
		pnyx_err err = pnyx_log_entry(log, i, &entry);
		if (err != PNYX_OK) {
			rc = cli_fail("leaf %llu cannot be read (%s)",
				      (unsigned long long)i, pnyx_err_name(err));
			break;
		}
		pnyx_verdict v;
		pnyx_rule r = pnyx_engine_apply(st, entry.data, entry.len,
						PNYX_ENGINE_CHECK_SIGNATURES, &v);
		if (r == PNYX_RULE_OK)
			continue;
		rc = CLI_EXIT_FAIL;
		if (r == PNYX_RULE_NOMEM) {
			cli_fail("out of memory at leaf %llu", (unsigned long long)i);
			break;
		}
		fprintf(stderr, "pnyx: leaf %llu is refused: %s: ",
			(unsigned long long)i, pnyx_rule_name(r));
		put_text(stderr, v.msg);
		fputc('\n', stderr);
	}
	pnyx_buf_clear(&entry);
	return rc;
}

/* ---- the human-readable summary ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of obj, sorted (free with pnyx_free); NULL if obj is empty or
 * memory runs out (the caller then prints nothing of it). */
static const char **sorted_keys(const json_t *obj, size_t *n)
{
	*n = json_object_size(obj);
	const char **keys = *n > 0 ? pnyx_calloc(*n, sizeof *keys) : NULL;
	if (keys == NULL) {
		*n = 0;
		return NULL;
	}
	size_t i = 0;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		keys[i++] = k;
	qsort(keys, *n, sizeof *keys, cmp_str);
	return keys;
}

static void put_time(FILE *f, const json_t *ms)
{
	char when[40];
	format_time(json_integer_value(ms), when);
	fputs(when, f);
}

static void print_forum(const pnyx_state *st)
{
	const json_t *forum = section(st, "forum");
	fputs("\nforum: ", stdout);
	put_text(stdout, str_of(forum, "id") != NULL ? str_of(forum, "id") : "?");
	const char *title = text_of(json_object_get(forum, "title"));
	if (title != NULL) {
		fputs(" \"", stdout);
		put_text(stdout, title);
		fputc('"', stdout);
	}
	fputs("\ncreated: ", stdout);
	put_time(stdout, json_object_get(forum, "created_ms"));
	printf("\nleaves: %llu, the last at ", (unsigned long long)pnyx_state_leaves(st));
	put_time(stdout, json_object_get(section(st, "clock"), "time_ms"));
	fputc('\n', stdout);
}

/* Prints the ids (sorted) of obj whose "status" is status, wrapped. */
static void print_ids_with_status(const json_t *obj, const char **ids, size_t n,
				  const char *status)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = str_of(json_object_get(obj, ids[i]), "status");
		if (s == NULL || strcmp(s, status) != 0)
			continue;
		if (col == 0 || col + strlen(ids[i]) + 1 > WRAP_COLUMNS) {
			fputs(col == 0 ? "  " : "\n  ", stdout);
			put_text(stdout, status);
			fputs(":", stdout);
			col = 3 + strlen(status);
		}
		fputc(' ', stdout);
		put_text(stdout, ids[i]);
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
	const char **ids = sorted_keys(members, &n);
	printf("\nmembers: %zu\n", json_object_size(members));
	for (size_t i = 0; i < n; i++) {
		const char *s = str_of(json_object_get(members, ids[i]), "status");
		bool seen = s == NULL;
		for (size_t j = 0; j < i && !seen; j++) {
			const char *s2 = str_of(json_object_get(members, ids[j]), "status");
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
		put_text(stdout, id);
		const char *title = text_of(json_object_get(d, "title"));
		if (title != NULL) {
			fputs(" \"", stdout);
			put_text(stdout, title);
			fputc('"', stdout);
		}
		size_t am = json_object_size(json_object_get(d, "amendments"));
		size_t in = json_array_size(json_object_get(d, "inputs"));
		printf(": Rev.%zu, %zu amendment%s, %zu input%s\n",
		       json_array_size(json_object_get(d, "revisions")), am, plural(am),
		       in, plural(in));
	}
}

/* The members named in a tally list: strings, or objects with "member". */
static void put_names(const json_t *arr)
{
	size_t i, shown = 0;
	const json_t *x;
	json_array_foreach(arr, i, x) {
		const char *name = json_is_string(x) ? json_string_value(x)
						     : str_of(x, "member");
		if (name == NULL)
			continue;
		fputs(shown++ == 0 ? " (" : ", ", stdout);
		put_text(stdout, name);
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
		put_text(stdout, k);
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
		put_text(stdout, k);
		fputc(' ', stdout);
		if (json_is_array(v)) {
			printf("%zu", json_array_size(v));
			put_names(v);
		} else if (json_is_object(v)) {
			printf("%zu", json_object_size(v));
			put_keys(v);
		} else if (json_is_integer(v) && ends_with(k, "_ms")) {
			put_time(stdout, v);
		} else {
			put_scalar(stdout, v);
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
	const char *kind = str_of(subject, "kind");
	const char *doc = str_of(subject, "document");
	const char *member = str_of(subject, "member");
	fputs("      about: ", stdout);
	if (kind != NULL && strcmp(kind, "document") == 0 && doc != NULL) {
		fputs("document ", stdout);
		put_text(stdout, doc);
		printf(", Rev.%lld\n",
		       (long long)json_integer_value(json_object_get(subject, "revision")));
		return;
	}
	put_text(stdout, kind != NULL ? kind : "?");
	if (member != NULL) {
		fputc(' ', stdout);
		put_text(stdout, member);
	}
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)subject, k, v) {
		if (strcmp(k, "kind") == 0 || strcmp(k, "member") == 0 ||
		    json_is_array(v) || json_is_object(v))
			continue;
		fputs(", ", stdout);
		put_text(stdout, k);
		fputc(' ', stdout);
		put_scalar(stdout, v);
	}
	fputc('\n', stdout);
}

static void print_closed(const json_t *d)
{
	const json_t *closed = json_object_get(d, "closed_ms");
	if (!json_is_integer(closed))
		return;
	fputs(" (closed ", stdout);
	put_time(stdout, closed);
	const char *by = str_of(d, "closed_by");
	if (by != NULL) {
		fputs(" by ", stdout);
		put_text(stdout, by);
	}
	const json_t *leaf = json_object_get(d, "closed_leaf");
	if (json_is_integer(leaf))
		printf(", leaf %lld", (long long)json_integer_value(leaf));
	fputc(')', stdout);
}

static void print_decision(const char *id, const json_t *d)
{
	fputs("  ", stdout);
	put_text(stdout, id);
	const char *title = text_of(json_object_get(d, "title"));
	if (title != NULL) {
		fputs(": ", stdout);
		put_text(stdout, title);
	}
	fputc('\n', stdout);
	print_subject(json_object_get(d, "subject"));
	fputs("      procedure: ", stdout);
	put_scalar(stdout, json_object_get(d, "procedure"));
	if (json_is_true(json_object_get(d, "important")))
		fputs(" (important question)", stdout);
	fputs(", status: ", stdout);
	put_scalar(stdout, json_object_get(d, "status"));
	print_closed(d);
	fputc('\n', stdout);
	print_tally(json_object_get(d, "tally"));
	const char *outcome = text_of(json_object_get(d, "outcome"));
	if (outcome != NULL) {
		fputs("      outcome: ", stdout);
		put_text(stdout, outcome);
		fputc('\n', stdout);
	}
}

/* How an application was or will be decided, and who objected. */
static void print_basis(const json_t *app, const json_t *now)
{
	const char *basis = str_of(app, "basis");
	const char *status = str_of(app, "status");
	if (basis != NULL) {
		fputs(strcmp(basis, "notification") == 0 ? " on notification"
							 : " by non-objection", stdout);
	}
	const json_t *end = json_object_get(app, "window_end_ms");
	if (status != NULL && strcmp(status, "pending") == 0 && json_is_integer(end)) {
		fputs(json_integer_value(end) <= json_integer_value(now)
			      ? "; the window ended " : "; the window ends ", stdout);
		put_time(stdout, end);
	}
	const json_t *by = json_object_get(app, "objected_by");
	if (json_array_size(by) > 0) {
		fputs("; standing objections", stdout);
		put_names(by);
	}
	size_t n = json_array_size(json_object_get(app, "objections"));
	if (n > 0)
		printf("; %zu objection%s on the record", n, plural(n));
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
		put_text(stdout, id);
		const char *name = text_of(json_object_get(app, "name"));
		if (name != NULL) {
			fputs(" \"", stdout);
			put_text(stdout, name);
			fputc('"', stdout);
		}
		fputs(": ", stdout);
		put_scalar(stdout, json_object_get(app, "status"));
		print_basis(app, now);
		fputc('\n', stdout);
	}
}

/* commitments: decision -> {"norms": {norm -> {member -> {"status",
 * "reports"}}}}: one line per norm. */
static void print_commitments(const json_t *commitments)
{
	size_t n = json_object_size(commitments);
	printf("\ncommitments: to the norms of %zu adopted text%s\n", n, plural(n));
	const char *dec, *norm, *member;
	const json_t *c, *byn, *m;
	json_object_foreach((json_t *)commitments, dec, c) {
		json_object_foreach(json_object_get(c, "norms"), norm, byn) {
			fputs("  ", stdout);
			put_text(stdout, dec);
			fputs(" norm ", stdout);
			put_text(stdout, norm);
			fputc(':', stdout);
			json_object_foreach((json_t *)byn, member, m) {
				fputc(' ', stdout);
				put_text(stdout, member);
				fputc(' ', stdout);
				put_scalar(stdout, json_object_get(m, "status"));
				size_t r = json_array_size(json_object_get(m, "reports"));
				printf(" (%zu report%s)", r, plural(r));
			}
			fputc('\n', stdout);
		}
	}
}

static void print_summary(const pnyx_state *st, const char *digest)
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

static json_t *json_summary(const pnyx_state *st, pnyx_log *log,
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
	pnyx_hash root;
	pnyx_log_root(log, &root);
	char root64[64];
	pnyx_base64_encode(root.b, PNYX_HASH_LEN, root64, sizeof root64);
	return json_pack(
		"{s:s,s:I,s:{s:s,s:I,s:s},s:o,s:o,s:o,s:o,s:s}", "digest", digest,
		"leaves", (json_int_t)pnyx_state_leaves(st), "log", "origin",
		pnyx_log_key(log)->name, "entries", (json_int_t)pnyx_log_size(log),
		"root", root64, "forum", pick(section(st, "forum"), forum_keys, 4),
		"members", pick_each(section(st, "members"), member_keys, 2),
		"decisions", pick_each(section(st, "decisions"), decision_keys, 10),
		"stakeholders", pick_each(json_object_get(section(st, "stakeholders"),
							  "applications"), stakeholder_keys, 6),
		"verified", "replayed every leaf from the forum's creation, "
			    "checking every signature");
}

static int print_json(const pnyx_state *st, pnyx_log *log, const char *digest)
{
	json_t *summary = json_summary(st, log, digest);
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

/* ---- the command ---- */

static int verify_open(pnyx_log *log, const struct verify_args *a,
		       const pnyx_verifier *pinned)
{
	FILE *report = a->json ? stderr : stdout;
	int rc = cli_log_audit(log, pinned, report);
	if (rc != CLI_EXIT_OK)
		return rc;
	fprintf(report, "replaying %llu leaves with the rules of procedure, "
		"checking every signature...\n",
		(unsigned long long)pnyx_log_size(log));
	pnyx_state *st = NULL;
	if (pnyx_state_new(&st) != PNYX_OK)
		return cli_fail("out of memory");
	rc = replay(log, st);
	pnyx_hash digest;
	if (rc == CLI_EXIT_OK && pnyx_state_digest(st, &digest) != PNYX_OK)
		rc = cli_fail("out of memory");
	if (rc == CLI_EXIT_OK) {
		char digest_hex[2 * PNYX_HASH_LEN + 1];
		hex(&digest, digest_hex);
		if (a->json)
			rc = print_json(st, log, digest_hex);
		else
			print_summary(st, digest_hex);
	}
	pnyx_state_free(st);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != CLI_EXIT_OK)
		return rc < 0 ? CLI_EXIT_OK : rc;
	pnyx_verifier pinned;
	if (a.vkey != NULL && !cli_load_verifier(a.vkey, &pinned))
		return CLI_EXIT_FAIL;
	pnyx_log *log = NULL;
	if (!cli_open_log(a.db, &log))
		return CLI_EXIT_FAIL;
	rc = verify_open(log, &a, a.vkey != NULL ? &pinned : NULL);
	pnyx_log_close(log);
	return rc;
}
