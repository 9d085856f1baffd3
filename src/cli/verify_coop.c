/*
 * pnyx verify --cooperation-db: audit the whole cooperation log (the
 * operator's copy, or an auditor's) against the forum's log it was
 * replayed with: the log itself (its tree and checkpoint, signed with the
 * cooperation key the forum's cooperation.open names), every anchor on the
 * forum's log (the cooperation log's root at that size must be the
 * anchored root), then every entry replayed with the cooperation engine;
 * prints the figures it computed (docs/COOPERATION.md, "What the engine
 * derives") and the cooperation state's digest.
 */
#include "verify_coop.h"

#include "cli_log.h"

#include "pnyx/base64.h"
#include "pnyx/coop.h"
#include "pnyx/key.h"

#include <string.h>

/* The cooperation key and anchors the forum's state names. */
static const json_t *coop_section(const pnyx_state *st)
{
	return json_object_get(pnyx_state_json(st), "cooperation");
}

/* Each anchor's root must be the log's root at the anchored size. */
static int check_anchors(pnyx_log *log, const pnyx_state *st, FILE *report)
{
	const json_t *anchors = json_object_get(coop_section(st), "anchors");
	size_t i;
	const json_t *a;
	json_array_foreach(anchors, i, a) {
		json_int_t size = json_integer_value(json_object_get(a, "size"));
		const char *root = json_string_value(json_object_get(a, "root"));
		pnyx_hash h;
		char b64[PNYX_HASH_B64_LEN + 1];
		if (size < 0 || (uint64_t)size > pnyx_log_size(log) || root == NULL ||
		    pnyx_log_root_at(log, (uint64_t)size, &h) != PNYX_OK)
			return cli_fail("anchor %zu on the forum's log names size %lld, "
					"which the cooperation log does not reach: it "
					"was cut short or is another log", i + 1,
					(long long)size);
		pnyx_base64_encode(h.b, sizeof h.b, b64, sizeof b64);
		if (strcmp(b64, root) != 0)
			return cli_fail("anchor %zu on the forum's log (size %lld) has "
					"root %s, the cooperation log has %s there: "
					"the cooperation log was rewritten", i + 1,
					(long long)size, root, b64);
	}
	size_t n = json_array_size(anchors);
	fprintf(report, "anchors: the forum's log holds %zu anchor%s of the "
		"cooperation log; %s\n", n, n == 1 ? "" : "s",
		n == 1 ? "its root matches" : "every anchored root matches");
	return CLI_EXIT_OK;
}

/* A replay of the cooperation log in progress. */
struct coop_run {
	pnyx_coop *c;
	const pnyx_state *st;
	uint64_t next;
	int rc;
};

static pnyx_err coop_entry(void *ctx, uint64_t i, const uint8_t *p, size_t n)
{
	struct coop_run *r = ctx;
	pnyx_verdict v = {.code = PNYX_RULE_OK};
	pnyx_rule rule = pnyx_coop_apply(r->c, r->st, p, n,
					 PNYX_ENGINE_CHECK_SIGNATURES, &v);
	if (rule != PNYX_RULE_OK) {
		r->rc = cli_fail("cooperation leaf %llu is refused: %s: %s",
				 (unsigned long long)i, pnyx_rule_name(rule), v.msg);
		return PNYX_ERR_MISMATCH;
	}
	r->next = i + 1;
	return PNYX_OK;
}

static void print_member(FILE *out, const char *m, const json_t *f)
{
	const json_t *median = json_object_get(f, "median_ack_ms");
	fprintf(out, "  %s: sent %lld, received %lld, acknowledged %lld, ", m,
		json_integer_value(json_object_get(f, "sent")),
		json_integer_value(json_object_get(f, "received")),
		json_integer_value(json_object_get(f, "acknowledged")));
	if (json_is_integer(median))
		fprintf(out, "median time to acknowledge %.1f min, ",
			(double)json_integer_value(median) / 60000.0);
	fprintf(out, "late %lld, overdue %lld\n",
		json_integer_value(json_object_get(f, "late_acks")),
		json_integer_value(json_object_get(f, "overdue")));
}

/* Prints the figures the replay computed. */
static void print_figures(const pnyx_coop *c, FILE *out)
{
	const json_t *fig = json_object_get(pnyx_coop_json(c), "figures");
	const char *k;
	const json_t *v;
	fputs("requests per member:\n", out);
	json_object_foreach((json_t *)json_object_get(fig, "per_member"), k, v)
		print_member(out, k, v);
	fputs("data requests per pair of members:\n", out);
	json_object_foreach((json_t *)json_object_get(fig, "data_requests"), k, v) {
		const char *to;
		const json_t *p;
		json_object_foreach((json_t *)v, to, p)
			fprintf(out, "  %s to %s: made %lld, granted %lld, refused "
				"%lld\n", k, to,
				json_integer_value(json_object_get(p, "made")),
				json_integer_value(json_object_get(p, "granted")),
				json_integer_value(json_object_get(p, "refused")));
	}
	fputs("ping rounds:\n", out);
	json_object_foreach((json_t *)json_object_get(fig, "pings"), k, v) {
		fprintf(out, "  %s:", k);
		const char *m;
		const json_t *res;
		json_object_foreach((json_t *)json_object_get(v, "results"), m, res)
			fprintf(out, " %s %s", m, json_string_value(res) != NULL
							 ? json_string_value(res) : "?");
		fputc('\n', out);
	}
}

int verify_cooperation_db(pnyx_log *log, const pnyx_state *st, FILE *report)
{
	const char *key = json_string_value(json_object_get(coop_section(st),
							    "log_key"));
	if (key == NULL)
		return cli_fail("the forum's log never opened cooperation "
				"(cooperation.open): there is no cooperation key "
				"to check the cooperation log against");
	pnyx_verifier pinned;
	if (pnyx_verifier_parse((const uint8_t *)key, strlen(key), &pinned,
				NULL) != PNYX_OK)
		return cli_fail("the forum's cooperation key cannot be read");
	fputs("the cooperation log, against the key the forum's "
	      "cooperation.open names:\n", report);
	int rc = cli_log_audit(log, &pinned, report);
	if (rc == CLI_EXIT_OK)
		rc = check_anchors(log, st, report);
	if (rc != CLI_EXIT_OK)
		return rc;
	struct coop_run r = {.st = st, .rc = CLI_EXIT_OK};
	if (pnyx_coop_new(PNYX_COOP_WHOLE_LOG, &r.c) != PNYX_OK)
		return cli_fail("out of memory");
	fprintf(report, "replaying %llu cooperation leaves, checking every "
		"signature...\n", (unsigned long long)pnyx_log_size(log));
	pnyx_err err = pnyx_log_scan(log, 0, pnyx_log_size(log), coop_entry, &r);
	if (r.rc == CLI_EXIT_OK && err != PNYX_OK)
		r.rc = cli_fail("cooperation leaf %llu cannot be read (%s)",
				(unsigned long long)r.next, pnyx_err_name(err));
	pnyx_hash d;
	if (r.rc == CLI_EXIT_OK && pnyx_coop_digest(r.c, &d) != PNYX_OK)
		r.rc = cli_fail("out of memory");
	if (r.rc == CLI_EXIT_OK) {
		print_figures(r.c, report);
		fputs("cooperation state digest: ", report);
		for (size_t i = 0; i < sizeof d.b; i++)
			fprintf(report, "%02x", d.b[i]);
		fputc('\n', report);
	}
	pnyx_coop_free(r.c);
	return r.rc;
}
