/*
 * pnyx act: the fields of an action from "--NAME VALUE" arguments
 * (act_fields.h). Which fields a type has, their JSON types, whether they
 * are required and their limits all come from the engine's tables through
 * pnyx/action_fields.h; only the one-line descriptions live here.
 */
#include "act_fields.h"
#include "cli.h"

#include "pnyx/action.h"
#include "pnyx/engine.h"
#include "pnyx/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char act_values_help[] =
	"How values are written:\n"
	"  text and identifiers   as they are: --decision adopt-report-rev3\n"
	"  numbers                whole numbers: --revision 2; a deadline (a field\n"
	"                         ending in _ms) also as +30m, +73h or +14d from now\n"
	"                         (the server's clock decides: leave a margin over\n"
	"                         a minimum such as 72 hours)\n"
	"  yes/no                 true or false (also yes or no): --important true\n"
	"  lists                  repeat the option, one item each time\n"
	"                         (--dissociate p3 --dissociate p7), or give the\n"
	"                         whole list as JSON: --names '[\"A\",\"B\"]'\n"
	"  texts in languages     --text 'Our statement' is in the language of\n"
	"                         --lang (default en); --text.fr 'Notre déclaration'\n"
	"                         adds French; or the whole object as JSON\n"
	"  other objects          one member at a time (--subject.kind admit\n"
	"                         --subject.member DEU), or the whole object as JSON\n"
	"  @FILE                  any value read from FILE (a final newline is\n"
	"                         dropped); write @@ for a value starting with @\n"
	"  --json FILE            fields from a JSON object in FILE; options given\n"
	"                         after it add to or replace them\n";

/* One-line descriptions of fields, by name (the same name means the same
 * thing in every type that has it). */
static const struct {
	const char *name;
	const char *text;
} descriptions[] = {
	{"id", "the new object's identifier (1 to 64 of A-Z a-z 0-9 . _ - :)"},
	{"decision", "the decision's identifier"},
	{"document", "the document's identifier"},
	{"revision", "the revision's number (1 for Rev.1)"},
	{"paragraph", "a paragraph's identifier"},
	{"paragraphs", "the paragraphs, as JSON or @FILE: [{\"id\":\"p1\",\"text\":{\"en\":\"...\"}}, ...]"},
	{"amendment", "the amendment's identifier"},
	{"amendments_taken", "an amendment the revision takes in (repeat for several)"},
	{"op", "replace, insert_after or delete"},
	{"symbol", "the document's symbol, e.g. A/AC.292/2025/CRP.1"},
	{"procedure", "consensus, silence or vote"},
	{"important", "true if a vote on it needs two thirds"},
	{"subject", "a membership question: --subject.kind admit|suspend|reinstate|credentials|restore-keys --subject.member CODE, with --subject.key KEY (admit, restore-keys) or --subject.accept true|false (credentials)"},
	{"deadline_ms", "the end of a silence procedure: ms since 1970 UTC, or +73h from now"},
	{"dissociate", "a paragraph you dissociate from (repeat for several)"},
	{"reason", "your reasons"},
	{"title", "the title"},
	{"text", "the text"},
	{"vote", "yes, no or abstain"},
	{"when", "before or after (the decision)"},
	{"key", "a verifier key, as 'pnyx keygen' prints it (or @FILE)"},
	{"member", "a member's ISO 3166-1 alpha-3 code, e.g. KEN"},
	{"stakeholder", "the stakeholder's identifier, e.g. sh.example-ngo"},
	{"norm", "the paragraph identifier of the norm in the adopted text"},
	{"status", "not-started, in-progress, implemented or other"},
	{"name", "the organisation's name"},
	{"category", "company, ngo, academia, technical-community, international-organisation or individual"},
	{"country", "the ISO 3166-1 alpha-3 code of its country"},
	{"website", "its web site (http:// or https://)"},
	{"description", "what the organisation does, or what the need or offer is"},
	{"names", "an organisation's name (repeat for several)"},
	{"languages", "a working language: ar, en, es, fr, ru or zh (repeat)"},
	{"rules", "the rules, as JSON (of procedure for forum.create: "
		  "docs/actions/forum.md; of cooperation for cooperation.open: "
		  "docs/actions/cooperation.md)"},
	{"log_key", "the cooperation log's verifier key, as 'pnyx keygen' "
		    "prints it (or @FILE)"},
	{"secretariat_key", "the secretariat's verifier key"},
	{"chairs", "as JSON: [{\"id\":\"chair.1\",\"key\":\"...\",\"name\":\"...\"}]"},
	{"members", "as JSON: [{\"code\":\"KEN\",\"key\":\"...\"}, ...]"},
	{"consultative_list", "an organisation accredited on notification (repeat)"},
	{"training", "true for a training simulation (like a Model UN)"},
	{"session", "the session's identifier"},
	{"kind", "substantive or organisational"},
	{"start_ms", "the session's first day: ms since 1970 UTC, or +14d from now"},
	{"end_ms", "the session's end: ms since 1970 UTC, or +19d from now"},
	{"venue", "where the session meets (with --online true if also online)"},
	{"online", "true if the session is held online"},
	{"agenda", "the provisional agenda, as JSON or @FILE: [{\"id\":\"1\",\"title\":{\"en\":\"...\"}}, ...]"},
	{"item", "an item of the session's agenda"},
	{"mode", "oral (delivered at the session) or written"},
	{"attachment", "the SHA-256 of an attached document: sha256:<64 hex digits>"},
	{"reply_to", "the statement a right of reply answers"},
	{"area", "cert-maturity, critical-infrastructure, legislation, diplomatic-training or other"},
	{"offer", "the offer's identifier"},
	{"need", "the need's identifier"},
	{"pledge", "the pledge's identifier"},
	{"note", "a note on the record"},
};

/* Where each family of types is described. */
static const struct {
	const char *prefix;
	const char *page;
} pages[] = {
	{"forum.", "forum"},         {"key.", "forum"},
	{"credentials.", "forum"},   {"document.", "documents"},
	{"revision.", "documents"},  {"amendment.", "documents"},
	{"input.", "documents"},     {"comment.", "documents"},
	{"stakeholder.", "stakeholders"}, {"commitment.", "commitments"},
	{"report.", "commitments"},
	{"session.", "sessions"},     {"segment.", "sessions"},
	{"statement.", "sessions"},   {"need.", "board"},
	{"offer.", "board"},          {"pledge.", "board"},
	{"cooperation.", "cooperation"},
};

static const char *describe(const pnyx_field_info *f)
{
	for (size_t i = 0; i < sizeof descriptions / sizeof *descriptions; i++)
		if (strcmp(descriptions[i].name, f->name) == 0)
			return descriptions[i].text;
	return "";
}

/* A multilingual text: an object field other than the two structured
 * ones. */
static bool is_texts(const pnyx_field_info *f)
{
	return f->kind == PNYX_FIELD_OBJECT && strcmp(f->name, "subject") != 0 &&
	       strcmp(f->name, "rules") != 0;
}

static const char *page_of(const char *type)
{
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
		if (strncmp(type, pages[i].prefix, strlen(pages[i].prefix)) == 0)
			return pages[i].page;
	return "decisions";
}

/* "the secretariat, a chair" from actor bits. */
static void put_actors(unsigned bits, FILE *f)
{
	static const struct {
		unsigned bit;
		const char *who;
	} who[] = {
		{PNYX_ACTORS_SECRETARIAT, "the secretariat"},
		{PNYX_ACTORS_CHAIR, "a chair"},
		{PNYX_ACTORS_MEMBER, "a member"},
		{PNYX_ACTORS_STAKEHOLDER, "a stakeholder"},
		{PNYX_ACTORS_NEW, "a newcomer (its first action)"},
		{PNYX_ACTORS_LOG, "the server, with the cooperation log's key"},
	};
	const char *sep = "";
	for (size_t i = 0; i < sizeof who / sizeof *who; i++)
		if ((bits & who[i].bit) != 0) {
			fprintf(f, "%s%s", sep, who[i].who);
			sep = ", ";
		}
}

void act_types_list(FILE *f)
{
	for (size_t i = 0; i < pnyx_engine_type_count(); i++) {
		pnyx_action_type_info t;
		if (!pnyx_action_type_find(pnyx_engine_type_name(i), &t))
			continue;
		fprintf(f, "  %-30s ", t.type);
		put_actors(t.actors, f);
		fputc('\n', f);
	}
}

void act_fields_help(const pnyx_action_type_info *t, FILE *f)
{
	fprintf(f, "Usage: pnyx act --server URL --key FILE --as ACTOR %s", t->type);
	for (size_t j = 0; j < t->nfields; j++) {
		pnyx_field_info fi;
		pnyx_action_type_field(t, j, &fi);
		fprintf(f, fi.required ? " --%s VALUE" : " [--%s VALUE]", fi.name);
	}
	fputs("\n\nWho may take it: ", f);
	put_actors(t->actors, f);
	fputs(".\n\nFields:\n", f);
	for (size_t j = 0; j < t->nfields; j++) {
		pnyx_field_info fi;
		pnyx_action_type_field(t, j, &fi);
		fprintf(f, "  --%-18s %s, %s", fi.name, fi.required ? "required" : "optional",
			pnyx_field_kind_name(fi.kind));
		if (fi.max > 0)
			fprintf(f, fi.kind == PNYX_FIELD_ARRAY ? " of at most %zu items"
							       : " of at most %zu bytes", fi.max);
		const char *d = describe(&fi);
		fprintf(f, "%s%s%s\n", d[0] != 0 ? ": " : "", d,
			is_texts(&fi) ? " (a text in one or more languages)" : "");
	}
	fprintf(f, "\nRules, verdicts and an example: docs/actions/%s.md\n"
		"How to write values: pnyx act --help\n", page_of(t->type));
}

/* ---- building the fields ---- */

static bool find_field(const pnyx_action_type_info *t, const char *name,
		       size_t len, pnyx_field_info *out)
{
	for (size_t j = 0; j < t->nfields; j++) {
		pnyx_action_type_field(t, j, out);
		if (strlen(out->name) == len && memcmp(out->name, name, len) == 0)
			return true;
	}
	return false;
}

/* The value's bytes: the argument itself, or a file's content for @FILE
 * (without one final newline), or the argument minus one @ for @@.
 * file (init'ed by the caller, cleared by it) holds a file's content. */
static bool resolve(const char *arg, pnyx_buf *file, const char **p, size_t *n)
{
	if (arg[0] != '@' || arg[1] == '@') {
		*p = arg[0] == '@' ? arg + 1 : arg;
		*n = strlen(*p);
		return true;
	}
	pnyx_buf_clear(file);
	if (!cli_read_file(arg + 1, file))
		return false;
	*p = file->data != NULL ? (const char *)file->data : "";
	*n = file->len;
	if (*n > 0 && (*p)[*n - 1] == '\n')
		(*n)--;
	return true;
}

/* A JSON value from text (any type), or NULL. */
static json_t *load_json(const char *p, size_t n)
{
	json_error_t jerr;
	return json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
}

/* +N followed by m, h or d: now_ms plus that many minutes, hours, days. */
static bool relative_ms(const char *p, size_t n, uint64_t now_ms, uint64_t *out)
{
	static const struct {
		char unit;
		uint64_t ms;
	} units[] = {{'m', 60000}, {'h', 3600000}, {'d', 86400000}};
	uint64_t v;
	if (n < 3 || p[0] != '+' ||
	    pnyx_parse_u64((const uint8_t *)p + 1, n - 2, &v) != PNYX_OK)
		return false;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (p[n - 1] == units[i].unit && v <= (INT64_MAX - now_ms) / units[i].ms) {
			*out = now_ms + v * units[i].ms;
			return true;
		}
	return false;
}

static json_t *integer_value(const pnyx_field_info *f, const char *p, size_t n,
			     uint64_t now_ms)
{
	uint64_t v;
	size_t len = strlen(f->name);
	bool is_time = len > 3 && strcmp(f->name + len - 3, "_ms") == 0;
	if (is_time && relative_ms(p, n, now_ms, &v))
		return json_integer((json_int_t)v);
	if (pnyx_parse_u64((const uint8_t *)p, n, &v) != PNYX_OK || v > INT64_MAX)
		return NULL;
	return json_integer((json_int_t)v);
}

static json_t *boolean_value(const char *p, size_t n)
{
	if (pnyx_bytes_eq((const uint8_t *)p, n, "true") ||
	    pnyx_bytes_eq((const uint8_t *)p, n, "yes"))
		return json_true();
	if (pnyx_bytes_eq((const uint8_t *)p, n, "false") ||
	    pnyx_bytes_eq((const uint8_t *)p, n, "no"))
		return json_false();
	return NULL;
}

/* The value of an object's member given as --NAME.KEY: true/false, a whole
 * number, JSON (starting with [ { or "), or else the text itself. */
static json_t *member_value(const char *p, size_t n)
{
	json_t *b = boolean_value(p, n);
	uint64_t v;
	if (b != NULL && (p[0] == 't' || p[0] == 'f'))
		return b;
	json_decref(b);
	if (pnyx_parse_u64((const uint8_t *)p, n, &v) == PNYX_OK && v <= INT64_MAX)
		return json_integer((json_int_t)v);
	if (n > 0 && (p[0] == '[' || p[0] == '{' || p[0] == '"'))
		return load_json(p, n);
	return json_stringn(p, n);
}

/* Sets body[name] (an object; created if absent) [key] = v (stolen). */
static bool set_member(json_t *body, const char *name, const char *key,
		       json_t *v)
{
	json_t *obj = json_object_get(body, name);
	if (!json_is_object(obj)) {
		obj = json_object();
		if (obj == NULL || json_object_set_new(body, name, obj) != 0) {
			json_decref(v);
			return false;
		}
	}
	return json_object_set_new(obj, key, v) == 0;
}

/* Appends v (stolen) to the array body[name], created if absent. */
static bool push_item(json_t *body, const char *name, json_t *v)
{
	json_t *arr = json_object_get(body, name);
	if (!json_is_array(arr)) {
		arr = json_array();
		if (arr == NULL || json_object_set_new(body, name, arr) != 0) {
			json_decref(v);
			return false;
		}
	}
	return json_array_append_new(arr, v) == 0;
}

struct build {
	const pnyx_action_type_info *t;
	const char *type;
	const char *lang;
	uint64_t now_ms;
	json_t *body;
};

/* The whole value of a field from its text; NULL if it does not fit. */
static json_t *field_value(const struct build *b, const pnyx_field_info *f,
			   const char *p, size_t n)
{
	switch (f->kind) {
	case PNYX_FIELD_STRING: return json_stringn(p, n);
	case PNYX_FIELD_INTEGER: return integer_value(f, p, n, b->now_ms);
	case PNYX_FIELD_BOOLEAN: return boolean_value(p, n);
	case PNYX_FIELD_ARRAY:
		return n > 0 && p[0] == '[' ? load_json(p, n) : json_stringn(p, n);
	case PNYX_FIELD_OBJECT:
		if (n > 0 && p[0] == '{')
			return load_json(p, n);
		return json_pack("{s:s%}", b->lang, p, n);
	}
	return NULL;
}

static const char *expected(pnyx_field_kind k)
{
	switch (k) {
	case PNYX_FIELD_INTEGER: return "a whole number";
	case PNYX_FIELD_BOOLEAN: return "true or false";
	case PNYX_FIELD_ARRAY: return "a text, or a JSON list";
	case PNYX_FIELD_OBJECT: return "a text, or a JSON object";
	default: return "a text in UTF-8";
	}
}

/* Adds one --NAME[.KEY] VALUE to the body. */
static int add_field(struct build *b, const char *opt, const char *arg)
{
	const char *dot = strchr(opt, '.');
	size_t len = dot != NULL ? (size_t)(dot - opt) : strlen(opt);
	pnyx_field_info f;
	if (!find_field(b->t, opt, len, &f))
		return cli_usage_error("act", "%s has no field --%.*s (see 'pnyx act "
				       "%s --help'; options such as --yes go before "
				       "the type)", b->type, (int)len, opt, b->type);
	if (dot != NULL && (f.kind != PNYX_FIELD_OBJECT || dot[1] == 0))
		return cli_usage_error("act", "--%s: only an object field takes "
				       "--%s.KEY", opt, f.name);
	pnyx_buf file = {0};
	const char *p;
	size_t n;
	if (!resolve(arg, &file, &p, &n))
		return CLI_EXIT_FAIL;
	bool item = f.kind == PNYX_FIELD_ARRAY && !(n > 0 && p[0] == '[');
	json_t *v = dot != NULL ? member_value(p, n) : field_value(b, &f, p, n);
	pnyx_buf_clear(&file);
	if (v == NULL || (f.kind == PNYX_FIELD_ARRAY && !item && !json_is_array(v)) ||
	    (f.kind == PNYX_FIELD_OBJECT && dot == NULL && !json_is_object(v))) {
		json_decref(v);
		return cli_usage_error("act", "--%s needs %s", opt, expected(f.kind));
	}
	bool ok = dot != NULL ? set_member(b->body, f.name, dot + 1, v)
		  : item     ? push_item(b->body, f.name, v)
			     : json_object_set_new(b->body, f.name, v) == 0;
	return ok ? CLI_EXIT_OK : cli_fail("out of memory");
}

/* Merges the fields of a JSON object in a file (--json FILE). */
static int add_json_file(struct build *b, const char *path)
{
	pnyx_buf file;
	if (!cli_read_file(path, &file))
		return CLI_EXIT_FAIL;
	json_t *obj = load_json(file.data != NULL ? (const char *)file.data : "",
				file.len);
	pnyx_buf_clear(&file);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return cli_usage_error("act", "%s does not hold a JSON object", path);
	}
	const char *k;
	json_t *v;
	int rc = CLI_EXIT_OK;
	json_object_foreach(obj, k, v) {
		pnyx_field_info f;
		if (!find_field(b->t, k, strlen(k), &f)) {
			rc = cli_usage_error("act", "%s: %s has no field \"%s\"",
					     path, b->type, k);
			break;
		}
		if (json_object_set(b->body, k, v) != 0) {
			rc = cli_fail("out of memory");
			break;
		}
	}
	json_decref(obj);
	return rc;
}

static int check_required(const struct build *b)
{
	for (size_t j = 0; j < b->t->nfields; j++) {
		pnyx_field_info f;
		pnyx_action_type_field(b->t, j, &f);
		if (f.required && json_object_get(b->body, f.name) == NULL)
			return cli_usage_error("act", "%s needs --%s; see 'pnyx act "
					       "%s --help'", b->type, f.name, b->type);
	}
	return CLI_EXIT_OK;
}

/* Splits "--NAME=VALUE" or takes "--NAME" "VALUE"; *used is how many
 * arguments it took. */
static int next_option(int argc, char **argv, int i, char *name, size_t cap,
		       const char **value, int *used)
{
	const char *a = argv[i];
	if (strncmp(a, "--", 2) != 0 || a[2] == 0)
		return cli_usage_error("act", "unexpected argument '%s': fields are "
				       "given as --NAME VALUE", a);
	const char *eq = strchr(a, '=');
	size_t len = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
	if (len >= cap)
		return cli_usage_error("act", "no field is named '%.40s'", a + 2);
	memcpy(name, a + 2, len);
	name[len] = 0;
	if (eq != NULL) {
		*value = eq + 1;
		*used = 1;
	} else if (i + 1 < argc) {
		*value = argv[i + 1];
		*used = 2;
	} else {
		return cli_usage_error("act", "--%s needs a value", name);
	}
	return CLI_EXIT_OK;
}

int act_fields_build(const pnyx_action_type_info *t, int argc, char **argv,
		     const char *lang, uint64_t now_ms, json_t **out)
{
	struct build b = {.t = t, .type = t->type, .lang = lang,
			  .now_ms = now_ms, .body = json_object()};
	if (b.body == NULL)
		return cli_fail("out of memory");
	int rc = CLI_EXIT_OK;
	for (int i = 0, used = 0; rc == CLI_EXIT_OK && i < argc; i += used) {
		char name[PNYX_ID_MAX + 16];
		const char *value = NULL;
		rc = next_option(argc, argv, i, name, sizeof name, &value, &used);
		if (rc != CLI_EXIT_OK)
			break;
		rc = strcmp(name, "json") == 0 ? add_json_file(&b, value)
					       : add_field(&b, name, value);
	}
	if (rc == CLI_EXIT_OK)
		rc = check_required(&b);
	if (rc != CLI_EXIT_OK) {
		json_decref(b.body);
		return rc;
	}
	*out = b.body;
	return CLI_EXIT_OK;
}
