/*
 * pnyx verify URL --cooperation: a member checks its own part of the
 * cooperation log, which is all it may read (docs/COOPERATION.md, "Who
 * sees what"). With the forum's state replayed from the public log:
 *   1. every entry it may read, each with its inclusion proof in a
 *      cooperation checkpoint signed by the key the forum's
 *      cooperation.open names;
 *   2. the latest cooperation checkpoint extends the last anchor on the
 *      forum's log (a consistency proof): the cooperation log was not
 *      rewritten behind the public record;
 *   3. its entries replayed with the cooperation engine (member view),
 *      advanced to the time of the published figures, give exactly the
 *      published figures of this member, of the pairs it belongs to and of
 *      the ping rounds.
 */
#include "verify_coop.h"

#include "cli_log.h"
#include "cli_proof.h"
#include "coop_client.h"

#include "pnyx/base64.h"
#include "pnyx/checkpoint.h"
#include "pnyx/coop.h"
#include "pnyx/mem.h"
#include "pnyx/merkle.h"

#include <stdlib.h>
#include <string.h>

#define PAGE 1000

struct member_run {
	coop_client *cc;
	const pnyx_state *st;
	pnyx_verifier key;      /* the cooperation log's */
	pnyx_coop *c;
	uint64_t entries;
};

/* The leaf of entry e (base64), decoded into a new buffer; NULL if it is
 * not base64. */
static uint8_t *entry_leaf(const json_t *e, size_t *n)
{
	const char *b64 = json_string_value(json_object_get(e, "leaf"));
	size_t cap = b64 != NULL ? strlen(b64) / 4 * 3 + 3 : 0;
	uint8_t *leaf = cap > 0 ? pnyx_malloc(cap) : NULL;
	if (leaf != NULL && pnyx_base64_decode((const uint8_t *)b64, strlen(b64),
					       leaf, cap, n) != PNYX_OK) {
		pnyx_free(leaf);
		leaf = NULL;
	}
	return leaf;
}

/* Fetches entry i with its proof, checks it, applies it. */
static int check_entry(struct member_run *r, uint64_t i)
{
	char target[64];
	snprintf(target, sizeof target, "/v1/cooperation/entries/%llu",
		 (unsigned long long)i);
	json_t *e = NULL;
	pnyx_diag diag = {{0}};
	if (!coop_get_json(r->cc, target, &e, NULL, &diag))
		return cli_fail("cooperation entry %llu: %s", (unsigned long long)i,
				diag.msg);
	size_t n = 0;
	uint8_t *leaf = entry_leaf(e, &n);
	pnyx_checkpoint cp;
	const char *why = "the entry is not base64";
	int rc = CLI_EXIT_OK;
	if (leaf == NULL || !cli_entry_proved(e, &r->key, leaf, n, i, &cp, &why))
		rc = cli_fail("cooperation entry %llu: %s", (unsigned long long)i,
			      why);
	if (rc == CLI_EXIT_OK) {
		pnyx_verdict v;
		pnyx_rule rule = pnyx_coop_apply(r->c, r->st, leaf, n,
						 PNYX_ENGINE_CHECK_SIGNATURES, &v);
		if (rule != PNYX_RULE_OK)
			rc = cli_fail("cooperation entry %llu is refused by the "
				      "rules: %s: %s", (unsigned long long)i,
				      pnyx_rule_name(rule), v.msg);
		r->entries++;
	}
	pnyx_free(leaf);
	json_decref(e);
	return rc;
}

/* Every entry the member may read, page by page. */
static int check_entries(struct member_run *r)
{
	char target[96];
	json_t *page = NULL;
	pnyx_diag diag = {{0}};
	int rc = CLI_EXIT_OK;
	bool more = true;
	uint64_t after = 0;
	bool first = true;
	while (rc == CLI_EXIT_OK && more) {
		if (first)
			snprintf(target, sizeof target,
				 "/v1/cooperation/entries?limit=%d", PAGE);
		else
			snprintf(target, sizeof target,
				 "/v1/cooperation/entries?limit=%d&after=%llu", PAGE,
				 (unsigned long long)after);
		first = false;
		if (!coop_get_json(r->cc, target, &page, NULL, &diag))
			return cli_fail("the cooperation entries: %s", diag.msg);
		size_t k;
		const json_t *item;
		json_array_foreach(json_object_get(page, "items"), k, item)
			if (rc == CLI_EXIT_OK)
				rc = check_entry(r, (uint64_t)json_integer_value(
							     json_object_get(item, "index")));
		const json_t *next = json_object_get(page, "next");
		more = json_is_integer(next);
		after = more ? (uint64_t)json_integer_value(next) : 0;
		json_decref(page);
	}
	return rc;
}

/* The latest cooperation checkpoint extends the forum's last anchor. */
static int check_anchor(struct member_run *r, FILE *report)
{
	const json_t *anchors = json_object_get(
		json_object_get(pnyx_state_json(r->st), "cooperation"), "anchors");
	size_t na = json_array_size(anchors);
	if (na == 0) {
		fputs("anchors: the forum's log holds none yet\n", report);
		return CLI_EXIT_OK;
	}
	const json_t *a = json_array_get(anchors, na - 1);
	uint64_t old = (uint64_t)json_integer_value(json_object_get(a, "size"));
	pnyx_hash old_root, proof[PNYX_MERKLE_MAX_PROOF];
	pnyx_buf cpb;
	pnyx_buf_init(&cpb, 65536);
	long status = 0;
	pnyx_diag diag = {{0}};
	pnyx_checkpoint cp;
	const json_t *root = json_object_get(a, "root");
	bool ok = json_is_string(root) &&
		  pnyx_base64_decode_hash((const uint8_t *)json_string_value(root),
					  json_string_length(root),
					  &old_root) == PNYX_OK &&
		  coop_get(r->cc, "/v1/cooperation/checkpoint", 65536, &cpb,
			   &status, &diag) && status == 200 &&
		  cli_open_checkpoint(&cpb, &r->key, "the cooperation checkpoint", &cp);
	pnyx_buf_clear(&cpb);
	if (!ok)
		return cli_fail("the cooperation checkpoint cannot be read or is not "
				"signed with the forum's cooperation key");
	if (cp.size < old)
		return cli_fail("the cooperation checkpoint (%llu entries) is behind "
				"the forum's last anchor (%llu): the server shows an "
				"older or another cooperation log",
				(unsigned long long)cp.size, (unsigned long long)old);
	char target[96];
	snprintf(target, sizeof target,
		 "/v1/cooperation/proof/consistency?old=%llu&new=%llu",
		 (unsigned long long)old, (unsigned long long)cp.size);
	json_t *p = NULL;
	size_t n = 0;
	ok = coop_get_json(r->cc, target, &p, NULL, &diag) &&
	     cli_proof_hashes(json_object_get(p, "hashes"), proof, &n) &&
	     pnyx_merkle_verify_consistency(old, cp.size, proof, n, &old_root,
					    &cp.root) == PNYX_OK;
	json_decref(p);
	if (!ok)
		return cli_fail("the cooperation log of %llu entries does not extend "
				"the forum's last anchor (%llu entries): it was "
				"rewritten", (unsigned long long)cp.size,
				(unsigned long long)old);
	fprintf(report, "anchors: the cooperation log (%llu entries) extends the "
		"forum's last anchor (%llu entries)\n", (unsigned long long)cp.size,
		(unsigned long long)old);
	return CLI_EXIT_OK;
}

/* One group of figures: equal, or a difference printed. */
static bool same(const char *what, const json_t *mine, const json_t *theirs)
{
	if ((mine == NULL && theirs == NULL) ||
	    json_equal((json_t *)mine, (json_t *)theirs))
		return true;
	char *a = json_dumps(mine, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	char *b = json_dumps(theirs, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	cli_fail("%s: the replay gives %s, the server publishes %s", what,
		 a != NULL ? a : "?", b != NULL ? b : "?");
	free(a);
	free(b);
	return false;
}

/* The published figures of the member, its pairs and the ping rounds
 * against the replay's. */
static int compare_figures(struct member_run *r, const char *actor,
			   FILE *report)
{
	json_t *pub = NULL;
	pnyx_diag diag = {{0}};
	if (!coop_get_json(r->cc, "/v1/cooperation/figures", &pub, NULL, &diag))
		return cli_fail("the published figures: %s", diag.msg);
	const json_t *as_of = json_object_get(pub, "as_of_ms");
	if (json_is_integer(as_of) &&
	    pnyx_coop_advance(r->c, (uint64_t)json_integer_value(as_of)) !=
		    PNYX_RULE_OK) {
		json_decref(pub);
		return cli_fail("out of memory");
	}
	const json_t *theirs = json_object_get(pub, "figures");
	const json_t *mine = json_object_get(pnyx_coop_json(r->c), "figures");
	bool ok = true;
	size_t groups = 0;
	const json_t *tp = json_object_get(theirs, "per_member");
	if (tp != NULL && ++groups)
		ok = same("your figures", json_object_get(json_object_get(mine, "per_member"), actor),
			  json_object_get(tp, actor)) && ok;
	const json_t *td = json_object_get(theirs, "data_requests");
	const json_t *md = json_object_get(mine, "data_requests");
	if (td != NULL && ++groups) {
		ok = same("your data requests", json_object_get(md, actor),
			  json_object_get(td, actor)) && ok;
		const char *from;
		const json_t *to;
		json_object_foreach((json_t *)td, from, to)
			if (json_object_get(to, actor) != NULL ||
			    json_object_get(json_object_get(md, from), actor) != NULL)
				ok = same("data requests to you",
					  json_object_get(json_object_get(md, from), actor),
					  json_object_get(to, actor)) && ok;
	}
	const json_t *tg = json_object_get(theirs, "pings");
	if (tg != NULL && ++groups)
		ok = same("the ping rounds", json_object_get(mine, "pings"), tg) && ok;
	json_decref(pub);
	if (!ok)
		return CLI_EXIT_FAIL;
	fprintf(report, "figures: the %zu published group%s agree with the replay "
		"of your %llu entries\n", groups, groups == 1 ? "" : "s",
		(unsigned long long)r->entries);
	return CLI_EXIT_OK;
}

int verify_cooperation_member(http_client *hc, const pnyx_state *st,
			      const pnyx_signer *key, const char *actor,
			      FILE *report)
{
	const char *vkey = json_string_value(json_object_get(
		json_object_get(pnyx_state_json(st), "cooperation"), "log_key"));
	struct member_run r = {.st = st};
	if (vkey == NULL ||
	    pnyx_verifier_parse((const uint8_t *)vkey, strlen(vkey), &r.key,
				NULL) != PNYX_OK)
		return cli_fail("the forum's log never opened cooperation "
				"(cooperation.open)");
	coop_client cc;
	pnyx_diag diag = {{0}};
	if (!coop_client_init(&cc, hc, key, actor, &diag))
		return cli_fail("%s", diag.msg);
	r.cc = &cc;
	if (pnyx_coop_new(PNYX_COOP_MEMBER_VIEW, &r.c) != PNYX_OK)
		return cli_fail("out of memory");
	fprintf(report, "cooperation: the entries %s may read, each with its "
		"proof...\n", actor);
	int rc = check_entries(&r);
	if (rc == CLI_EXIT_OK)
		fprintf(report, "entries: %llu, each in a checkpoint signed with the "
			"forum's cooperation key, each accepted by the rules\n",
			(unsigned long long)r.entries);
	if (rc == CLI_EXIT_OK)
		rc = check_anchor(&r, report);
	if (rc == CLI_EXIT_OK)
		rc = compare_figures(&r, actor, report);
	pnyx_coop_free(r.c);
	return rc;
}
