/* pnyx log verify and check-proof: checking a log and its proofs. */
#include "cli_log.h"

#include "pnyx/base64.h"
#include "pnyx/checkpoint.h"
#include "pnyx/log.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"
#include "pnyx/proof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cli_open_checkpoint(const pnyx_buf *note_buf, const pnyx_verifier *key,
			 const char *what, pnyx_checkpoint *cp)
{
	pnyx_note note = {0};
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_note_open(note_buf->data, note_buf->len, CLI_NOTE_MAX,
				      key, 1, &note, &diag);
	if (err == PNYX_OK)
		err = pnyx_checkpoint_parse(note.text, note.text_len, cp, &diag);
	pnyx_note_clear(&note);
	if (err != PNYX_OK) {
		cli_fail_err(what, err, &diag);
		return false;
	}
	if (strcmp(cp->origin, key->name) != 0) {
		cli_fail("%s: its origin is not %s", what, key->name);
		return false;
	}
	return true;
}

static void print_hash(FILE *report, const char *label, const pnyx_hash *h)
{
	char b64[64];
	pnyx_base64_encode(h->b, PNYX_HASH_LEN, b64, sizeof b64);
	fprintf(report, "%s%s\n", label, b64);
}

/* A root being recomputed: the edge so far, which is also the count. */
static pnyx_err hash_entry(void *ctx, uint64_t i, const uint8_t *p, size_t n)
{
	(void)i;
	pnyx_hash leaf;
	pnyx_merkle_leaf_hash(p, n, &leaf);
	/* cannot fail without an emit callback */
	return pnyx_merkle_edge_append(ctx, &leaf, NULL, NULL);
}

/* Recomputes the root of all n entries from the entries themselves, read
 * in one pass. */
static int recompute_root(pnyx_log *log, uint64_t n, pnyx_hash *root)
{
	pnyx_merkle_edge edge;
	pnyx_merkle_edge_init(&edge);
	pnyx_err err = pnyx_log_scan(log, 0, n, hash_entry, &edge);
	if (err != PNYX_OK)
		return cli_fail("entry %llu cannot be read (%s)",
				(unsigned long long)edge.size, pnyx_err_name(err));
	pnyx_merkle_edge_root(&edge, root);
	return CLI_EXIT_OK;
}

/* Checks the latest checkpoint against the log; prints what it found. */
static int check_latest_checkpoint(pnyx_log *log, const pnyx_verifier *key,
				   FILE *report)
{
	pnyx_buf note;
	pnyx_buf_init(&note, CLI_NOTE_MAX);
	pnyx_err err = pnyx_log_latest_checkpoint(log, &note);
	if (err == PNYX_ERR_NOT_FOUND) {
		pnyx_buf_clear(&note);
		fputs("latest checkpoint: none signed yet\n", report);
		return CLI_EXIT_OK;
	}
	pnyx_checkpoint cp;
	int rc = CLI_EXIT_FAIL;
	pnyx_hash root;
	if (err != PNYX_OK)
		rc = cli_fail_err("cannot read the latest checkpoint", err, NULL);
	else if (!cli_open_checkpoint(&note, key, "the latest checkpoint", &cp))
		rc = CLI_EXIT_FAIL;
	else if (cp.size > pnyx_log_size(log))
		rc = cli_fail("the latest checkpoint is for %llu entries, but the log "
			      "has only %llu", (unsigned long long)cp.size,
			      (unsigned long long)pnyx_log_size(log));
	else if (pnyx_log_root_at(log, cp.size, &root) != PNYX_OK ||
		 !pnyx_hash_eq(&root, &cp.root))
		rc = cli_fail("the latest checkpoint's root does not match the "
			      "log's first %llu entries", (unsigned long long)cp.size);
	else {
		fprintf(report, "latest checkpoint: %llu entries, signature valid, "
			"root matches\n", (unsigned long long)cp.size);
		rc = CLI_EXIT_OK;
	}
	pnyx_buf_clear(&note);
	return rc;
}

int cli_log_audit(pnyx_log *log, const pnyx_verifier *pinned, FILE *report)
{
	const pnyx_verifier *key = pnyx_log_key(log);
	uint64_t n = pnyx_log_size(log);
	pnyx_hash stored, computed;
	pnyx_log_root(log, &stored);
	int rc;
	if (pinned != NULL && !cli_same_key(key, pinned)) {
		rc = cli_fail("the log's key is not the one given with --vkey");
	} else if ((rc = recompute_root(log, n, &computed)) != CLI_EXIT_OK) {
		/* message printed */
	} else if (!pnyx_hash_eq(&stored, &computed)) {
		rc = cli_fail("the tree recomputed from the %llu entries does not "
			      "match the stored tree", (unsigned long long)n);
	} else {
		fprintf(report, "log: %s%s\nentries: %llu\n", key->name,
			pinned == NULL ? " (key as stored in the file; pin it with --vkey)"
				     : "",
			(unsigned long long)n);
		print_hash(report, "root: ", &computed);
		rc = check_latest_checkpoint(log, key, report);
		if (rc == CLI_EXIT_OK)
			fputs("verified: every entry hashes to the stored tree\n", report);
	}
	return rc;
}

int cli_log_verify(const char *db, const char *vkey)
{
	pnyx_verifier pinned;
	if (vkey != NULL && !cli_load_verifier(vkey, &pinned))
		return CLI_EXIT_FAIL;
	pnyx_log *log = NULL;
	if (!cli_open_log(db, &log))
		return CLI_EXIT_FAIL;
	int rc = cli_log_audit(log, vkey != NULL ? &pinned : NULL, stdout);
	pnyx_log_close(log);
	return rc;
}

static bool read_checkpoint(const char *path, const pnyx_verifier *key,
			    pnyx_buf *buf, pnyx_checkpoint *cp)
{
	if (!cli_read_file(path, buf))
		return false;
	char what[600];
	snprintf(what, sizeof what, "the checkpoint in %s is not valid", path);
	return cli_open_checkpoint(buf, key, what, cp);
}

static int check_inclusion(const pnyx_proof *p, const pnyx_checkpoint *cp,
			   const char *entry_path)
{
	if (p->kind != PNYX_PROOF_INCLUSION)
		return cli_fail("--entry needs an inclusion proof");
	if (p->b != cp->size)
		return cli_fail("the proof is for a log of %llu entries, the "
				"checkpoint for %llu", (unsigned long long)p->b,
				(unsigned long long)cp->size);
	pnyx_buf entry;
	if (!cli_read_file(entry_path, &entry))
		return CLI_EXIT_FAIL;
	pnyx_hash leaf;
	pnyx_merkle_leaf_hash(entry.data, entry.len, &leaf);
	pnyx_buf_clear(&entry);
	if (pnyx_merkle_verify_inclusion(&leaf, p->a, p->b, p->hashes, p->n,
					 &cp->root) != PNYX_OK)
		return cli_fail("the proof does not show this entry at index %llu "
				"of the checkpointed log", (unsigned long long)p->a);
	printf("verified: the entry is number %llu of the log of %llu entries "
	       "signed by %s\n", (unsigned long long)p->a,
	       (unsigned long long)p->b, cp->origin);
	return CLI_EXIT_OK;
}

static int check_consistency(const pnyx_proof *p, const pnyx_checkpoint *cp,
			     const pnyx_checkpoint *old)
{
	if (p->kind != PNYX_PROOF_CONSISTENCY)
		return cli_fail("--old-checkpoint needs a consistency proof");
	if (p->a != old->size || p->b != cp->size)
		return cli_fail("the proof is from %llu to %llu entries, the "
				"checkpoints are for %llu and %llu",
				(unsigned long long)p->a, (unsigned long long)p->b,
				(unsigned long long)old->size,
				(unsigned long long)cp->size);
	if (pnyx_merkle_verify_consistency(p->a, p->b, p->hashes, p->n,
					   &old->root, &cp->root) != PNYX_OK)
		return cli_fail("the proof does not show that the log of %llu "
				"entries extends the log of %llu entries",
				(unsigned long long)p->b, (unsigned long long)p->a);
	printf("verified: the log of %llu entries extends the log of %llu "
	       "entries, both signed by %s\n", (unsigned long long)p->b,
	       (unsigned long long)p->a, cp->origin);
	return CLI_EXIT_OK;
}

int cli_log_check_proof(const char *vkey, const char *checkpoint_path,
			const char *proof_path, const char *entry_path,
			const char *old_path)
{
	pnyx_verifier key;
	if (!cli_load_verifier(vkey, &key))
		return CLI_EXIT_FAIL;
	pnyx_buf cp_buf = {0}, old_buf = {0}, proof_buf = {0};
	pnyx_checkpoint cp, old;
	pnyx_proof proof;
	pnyx_diag diag = {{0}};
	int rc = CLI_EXIT_FAIL;
	if (!read_checkpoint(checkpoint_path, &key, &cp_buf, &cp))
		goto out;
	if (old_path != NULL && !read_checkpoint(old_path, &key, &old_buf, &old))
		goto out;
	if (!cli_read_file(proof_path, &proof_buf))
		goto out;
	pnyx_err err = pnyx_proof_parse(proof_buf.data, proof_buf.len, &proof, &diag);
	if (err != PNYX_OK) {
		rc = cli_fail_err("the proof cannot be read", err, &diag);
		goto out;
	}
	rc = entry_path != NULL ? check_inclusion(&proof, &cp, entry_path)
				: check_consistency(&proof, &cp, &old);
out:
	pnyx_buf_clear(&cp_buf);
	pnyx_buf_clear(&old_buf);
	pnyx_buf_clear(&proof_buf);
	return rc;
}
