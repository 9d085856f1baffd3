/*
 * pnyx demo: what the demo forum holds, read from the engine's state (the
 * sections described in docs/actions/), and the member the newcomer may act as.
 * Every string printed from the state was written by the demo's own
 * script or by someone acting in the forum, so ids and texts are printed
 * only through safe_puts, which escapes control characters.
 */
#include "demo.h"

#include <string.h>
#include <time.h>

/* Prints s with ASCII control characters and DEL escaped as \xNN. */
static void safe_puts(const char *s, FILE *out)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != 0; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s != NULL ? s : "?";
}

static const json_t *section(const pnyx_state *st, const char *name)
{
	return json_object_get(pnyx_state_json(st), name);
}

/* Prints ms since the epoch as "YYYY-MM-DD HH:MM UTC". */
static void put_time(json_int_t ms, FILE *out)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char text[64];
	if (ms < 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		fputs("?", out);
	else
		fputs(text, out);
}

static void report_documents(const pnyx_state *st, FILE *out)
{
	const char *id;
	const json_t *doc;
	fprintf(out, "  documents: %zu\n", json_object_size(section(st, "documents")));
	json_object_foreach((json_t *)section(st, "documents"), id, doc) {
		const json_t *amends = json_object_get(doc, "amendments");
		fputs("    ", out);
		safe_puts(id, out);
		fprintf(out, ": Rev.%zu, %zu amendment%s, %zu written input%s, "
			"%zu comment%s\n",
			json_array_size(json_object_get(doc, "revisions")),
			json_object_size(amends), json_object_size(amends) == 1 ? "" : "s",
			json_array_size(json_object_get(doc, "inputs")),
			json_array_size(json_object_get(doc, "inputs")) == 1 ? "" : "s",
			json_array_size(json_object_get(doc, "comments")),
			json_array_size(json_object_get(doc, "comments")) == 1 ? "" : "s");
	}
}

/* Counts the decision's positions that are p. */
static size_t count_positions(const json_t *dec, const char *p)
{
	const char *code;
	const json_t *pos;
	size_t n = 0;
	json_object_foreach((json_t *)json_object_get(dec, "positions"), code, pos)
		n += strcmp(str(pos, "position"), p) == 0 ? 1u : 0u;
	return n;
}

static void report_decision(const char *id, const json_t *dec, FILE *out)
{
	const json_t *subject = json_object_get(dec, "subject");
	fputs("    ", out);
	safe_puts(id, out);
	fprintf(out, ": %s on ", str(dec, "procedure"));
	if (strcmp(str(subject, "kind"), "document") == 0) {
		safe_puts(str(subject, "document"), out);
		fprintf(out, " Rev.%lld", (long long)json_integer_value(
					       json_object_get(subject, "revision")));
	} else {
		bool agenda = strcmp(str(subject, "kind"), "agenda") == 0;
		fputs(agenda ? "the agenda of session " : str(subject, "kind"), out);
		fputs(agenda ? "" : " ", out);
		safe_puts(str(subject, agenda ? "session" : "member"), out);
	}
	bool open = strcmp(str(dec, "status"), "open") == 0;
	fputs(open ? ", open: " : ", ", out);
	if (!open) {
		safe_puts(str(dec, "outcome"), out);
		fputs(" (", out);
	}
	size_t ex = json_array_size(json_object_get(dec, "explanations"));
	fprintf(out, "%zu joined, %zu objected, %zu explanation%s of position%s\n",
		count_positions(dec, "joined"), count_positions(dec, "objected"),
		ex, ex == 1 ? "" : "s", open ? "" : ")");
}

/* The members whose objection to app stands, as "KEN, FRA". */
static void put_objectors(const json_t *app, FILE *out)
{
	size_t i, n = 0;
	const json_t *o;
	json_array_foreach(json_object_get(app, "objections"), i, o) {
		if (!json_is_null(json_object_get(o, "withdrawn_ms")))
			continue;
		fputs(n++ == 0 ? "; objection by " : ", ", out);
		safe_puts(str(o, "member"), out);
	}
	if (n == 0)
		fputs("; no objection standing", out);
}

static void report_stakeholders(const pnyx_state *st, FILE *out)
{
	const json_t *apps = json_object_get(section(st, "stakeholders"),
					     "applications");
	const char *id;
	const json_t *app;
	fprintf(out, "  stakeholders: %zu applications\n", json_object_size(apps));
	json_object_foreach((json_t *)apps, id, app) {
		fputs("    ", out);
		safe_puts(id, out);
		fputs(" (", out);
		safe_puts(str(app, "name"), out);
		fputs("): ", out);
		safe_puts(str(app, "status"), out);
		if (strcmp(str(app, "basis"), "notification") == 0)
			fputs(", on notification", out);
		if (strcmp(str(app, "status"), "pending") == 0) {
			fputs(", objection window until ", out);
			put_time(json_integer_value(json_object_get(app, "window_end_ms")),
				 out);
			put_objectors(app, out);
		}
		fputc('\n', out);
	}
}

void demo_report_forum(const pnyx_state *st, const pnyx_country_set *countries,
		       FILE *out)
{
	const json_t *forum = section(st, "forum");
	fputs("Forum \"", out);
	safe_puts(str(forum, "title"), out);
	fputs("\" (id ", out);
	safe_puts(str(forum, "id"), out);
	fprintf(out, "%s), %llu actions on the record\n",
		json_is_true(json_object_get(forum, "training"))
			? ", a training simulation" : "",
		(unsigned long long)pnyx_state_leaves(st));
	size_t n = json_object_size(section(st, "members")), un = 0;
	const char *code;
	const json_t *m;
	json_object_foreach((json_t *)section(st, "members"), code, m)
		un += pnyx_country_is_member(countries, code) ? 1u : 0u;
	fprintf(out, "  members: %zu (%zu of them UN member states), each with "
		"its own key; officers: the secretariat and %zu chair%s\n", n, un,
		json_array_size(json_object_get(forum, "chairs")),
		json_array_size(json_object_get(forum, "chairs")) == 1 ? "" : "s");
	report_documents(st, out);
	const char *id;
	const json_t *dec;
	fprintf(out, "  decisions: %zu\n", json_object_size(section(st, "decisions")));
	json_object_foreach((json_t *)section(st, "decisions"), id, dec)
		report_decision(id, dec, out);
	report_stakeholders(st, out);
}

static bool is_open_consensus(const json_t *dec)
{
	return dec != NULL && strcmp(str(dec, "status"), "open") == 0 &&
	       strcmp(str(dec, "procedure"), "consensus") == 0;
}

const char *demo_report_open_decision(const pnyx_state *st)
{
	const json_t *decs = section(st, "decisions");
	if (is_open_consensus(json_object_get(decs, DEMO_OPEN_DECISION)))
		return DEMO_OPEN_DECISION;
	const char *id;
	const json_t *dec;
	json_object_foreach((json_t *)decs, id, dec)
		if (is_open_consensus(dec))
			return id;
	return NULL;
}

const char *demo_report_pick(const pnyx_state *st, const char *const *order,
			     size_t n, const char *decision)
{
	const json_t *members = section(st, "members");
	const json_t *positions = decision == NULL ? NULL
		: json_object_get(json_object_get(section(st, "decisions"), decision),
				  "positions");
	for (size_t i = DEMO_CAST; i < n; i++) {
		const json_t *m = json_object_get(members, order[i]);
		if (m != NULL && strcmp(str(m, "status"), "active") == 0 &&
		    json_object_get(positions, order[i]) == NULL)
			return order[i];
	}
	return NULL;
}
