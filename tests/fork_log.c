/*
 * fork_log: a forked log, for tests/witness.sh: two logs with the same key
 * and two different histories after a common prefix.
 *
 *   fork_log DIR KEYFILE COMMON EXTRA_A EXTRA_B
 *
 * Creates DIR/a.db and DIR/b.db, both signed by the private key in
 * KEYFILE (origin: the key's name); appends to both the same COMMON
 * entries ("entry 0", "entry 1", ...), then EXTRA_A entries "a 0", ... to
 * a and EXTRA_B entries "b 0", ... to b; signs a checkpoint of each.
 * Writes DIR/a.checkpoint and DIR/b.checkpoint (signed notes) and the
 * add-checkpoint request bodies DIR/a.request and DIR/b.request (old size
 * COMMON, each with the consistency proof from its own history), and
 * prints both checkpoints. Exit 0 on success.
 */
#include "pnyx/log.h"
#include "pnyx/text.h"
#include "pnyx/witness_req.h"

#include <stdio.h>
#include <string.h>

#define PATH_LEN 4096

static int fail(const char *what, pnyx_err err, const pnyx_diag *d)
{
	fprintf(stderr, "fork_log: %s: %s %s\n", what, pnyx_err_name(err),
		d != NULL ? d->msg : "");
	return 1;
}

static bool write_file(const char *dir, const char *name, const pnyx_buf *b)
{
	char path[PATH_LEN];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return false;
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	return fclose(f) == 0 && ok;
}

static pnyx_err append(pnyx_log *log, const char *prefix, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++) {
		char text[64];
		int n = snprintf(text, sizeof text, "%s %llu", prefix,
				 (unsigned long long)i);
		pnyx_entry e = {(const uint8_t *)text, (size_t)n};
		pnyx_err err = pnyx_log_append(log, &e, 1, NULL, NULL);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}

/* One history: DIR/<name>.db, .checkpoint and .request. */
static int history(const char *dir, const char *name, const pnyx_signer *key,
		   uint64_t common, uint64_t extra)
{
	char path[PATH_LEN];
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	pnyx_diag d = {{0}};
	pnyx_store *store = NULL;
	pnyx_log *log = NULL;
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	pnyx_err err = pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, &d);
	if (err == PNYX_OK)
		err = pnyx_log_create(store, &v, &log, &d);
	if (err != PNYX_OK)
		return fail(path, err, &d);
	pnyx_buf note, req;
	pnyx_buf_init(&note, 1 << 16);
	pnyx_buf_init(&req, 1 << 16);
	pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
	size_t nproof = 0;
	err = append(log, "entry", common);
	if (err == PNYX_OK)
		err = append(log, name, extra);
	if (err == PNYX_OK)
		err = pnyx_log_checkpoint(log, key, &note, &d);
	if (err == PNYX_OK)
		err = pnyx_log_consistency_proof(log, common, common + extra,
						 proof, &nproof);
	if (err == PNYX_OK)
		err = pnyx_witness_req_encode(common, proof, nproof, note.data,
					      note.len, &req);
	char file[64];
	int rc = err == PNYX_OK ? 0 : fail(name, err, &d);
	snprintf(file, sizeof file, "%s.checkpoint", name);
	if (rc == 0 && !write_file(dir, file, &note))
		rc = fail(file, PNYX_ERR_IO, NULL);
	snprintf(file, sizeof file, "%s.request", name);
	if (rc == 0 && !write_file(dir, file, &req))
		rc = fail(file, PNYX_ERR_IO, NULL);
	if (rc == 0)
		printf("history %s (%llu entries):\n%s\n", name,
		       (unsigned long long)(common + extra),
		       (const char *)note.data);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&req);
	pnyx_log_close(log);
	return rc;
}

static bool number(const char *s, uint64_t *out)
{
	return pnyx_parse_u64((const uint8_t *)s, strlen(s), out) == PNYX_OK &&
	       *out <= 100000;
}

int main(int argc, char **argv)
{
	uint64_t common, ea, eb;
	if (argc != 6 || !number(argv[3], &common) || !number(argv[4], &ea) ||
	    !number(argv[5], &eb)) {
		fputs("usage: fork_log DIR KEYFILE COMMON EXTRA_A EXTRA_B\n",
		      stderr);
		return 2;
	}
	if (pnyx_init() != PNYX_OK)
		return 1;
	uint8_t text[4096];
	FILE *f = fopen(argv[2], "rb");
	size_t n = f != NULL ? fread(text, 1, sizeof text, f) : 0;
	if (f != NULL)
		fclose(f);
	pnyx_signer key;
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_signer_parse(text, n, &key, &d);
	if (err != PNYX_OK)
		return fail(argv[2], err, &d);
	int rc = history(argv[1], "a", &key, common, ea);
	if (rc == 0)
		rc = history(argv[1], "b", &key, common, eb);
	pnyx_signer_clear(&key);
	return rc;
}
