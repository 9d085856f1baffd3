/*
 * pnyx verify URL --seen FILE: a checkpoint of the same log that the
 * member saw elsewhere (another server, a mirror, a colleague, a witness's
 * evidence) must be one the served log extends. Two checkpoints signed
 * with the log's key that no append-only log can both have (same size and
 * another root, or a consistency proof that fails) are a fork: the log's
 * key showed two histories. Both signed checkpoints are printed as the
 * evidence.
 */
#include "verify_seen.h"

#include "cli_log.h"
#include "cli_proof.h"

#include "pnyx/merkle.h"

#include <stdio.h>
#include <string.h>

/* Prints both signed checkpoints and says the log forked. */
static int forked(const char *path, const pnyx_buf *seen,
		  const pnyx_buf *served, const char *why)
{
	fprintf(stderr, "pnyx: the log forked: %s. The same key signed both "
		"checkpoints below, which no append-only log can both have.\n"
		"--- the checkpoint in %s ---\n%.*s--- the checkpoint served "
		"now ---\n%.*s---\n", why, path, (int)seen->len,
		(const char *)seen->data, (int)served->len,
		(const char *)served->data);
	return CLI_EXIT_FAIL;
}

/* The consistency proof from old to new as the server gives it; false if
 * it gives none. */
static bool get_proof(http_client *hc, uint64_t old, uint64_t new_size,
		      pnyx_hash *out, size_t *n)
{
	char path[96];
	snprintf(path, sizeof path, "/v1/proof/consistency?old=%llu&new=%llu",
		 (unsigned long long)old, (unsigned long long)new_size);
	long status = 0;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	bool ok = http_get_json(hc, path, &status, &r, &diag) && status == 200;
	const json_t *list = json_object_get(r, "hashes");
	ok = ok && cli_proof_hashes(list, out, n);
	json_decref(r);
	return ok;
}

/* One seen checkpoint against the served one (cur, its note). */
static int check_one(http_client *hc, const pnyx_verifier *key,
		     const char *path, const pnyx_checkpoint *cur,
		     const pnyx_buf *cur_note, FILE *report)
{
	pnyx_buf note;
	if (!cli_read_file(path, &note))
		return CLI_EXIT_FAIL;
	pnyx_checkpoint seen;
	int rc = CLI_EXIT_OK;
	if (!cli_open_checkpoint(&note, key, path, &seen)) {
		rc = CLI_EXIT_FAIL;
	} else if (seen.size == cur->size) {
		if (!pnyx_hash_eq(&seen.root, &cur->root))
			rc = forked(path, &note, cur_note,
				    "two different trees of the same size");
	} else {
		bool older = seen.size < cur->size;
		uint64_t a = older ? seen.size : cur->size;
		uint64_t b = older ? cur->size : seen.size;
		const pnyx_hash *ra = older ? &seen.root : &cur->root;
		const pnyx_hash *rb = older ? &cur->root : &seen.root;
		pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
		size_t n = 0;
		if (!get_proof(hc, a, b, proof, &n))
			rc = cli_fail("%s: the log served here (%llu entries) cannot "
				      "prove that it is consistent with the "
				      "checkpoint of %llu entries in %s%s", path,
				      (unsigned long long)cur->size,
				      (unsigned long long)seen.size, path,
				      older ? "" : ": it is older (a copy that "
						  "lags, or a log cut back)");
		else if (pnyx_merkle_verify_consistency(a, b, proof, n, ra, rb) !=
			 PNYX_OK)
			rc = forked(path, &note, cur_note, "the tree of one does "
				    "not extend the tree of the other");
	}
	if (rc == CLI_EXIT_OK)
		fprintf(report, "seen: %s (%llu entries) is consistent with the "
			"checkpoint served\n", path, (unsigned long long)seen.size);
	pnyx_buf_clear(&note);
	return rc;
}

int verify_seen(http_client *hc, const pnyx_verifier *key,
		const pnyx_checkpoint *cur, const pnyx_buf *cur_note,
		const char *const *paths, size_t n, FILE *report)
{
	int rc = CLI_EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (check_one(hc, key, paths[i], cur, cur_note, report) != CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
	return rc;
}
