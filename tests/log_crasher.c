/*
 * log_crasher: the helper of the crash test (crash_log.sh).
 *
 *   log_crasher create DB KEYFILE      new log, its private key to KEYFILE
 *   log_crasher run DB KEYFILE SEED    append random batches until killed
 *   log_crasher observe DB             print "observed <size> <root>"
 *   log_crasher verify DB KEYFILE REPORT...
 *
 * run prints "committed <first> <last> <root>" (root in base64, of the tree
 * of last + 1 entries) and flushes after every append that returned PNYX_OK,
 * and signs a checkpoint every fourth batch. Entry i always holds the bytes
 * test_entry_fill(i) gives, so verify can check every byte.
 *
 * verify reads the reports (run outputs and observations, in the order
 * they happened; a run's last line may be cut short by the kill) and
 * checks: every batch reported committed is in the log, a run resumes at
 * the size observed before it, the stored root equals the root recomputed
 * from all entries, every reported or observed root is the log's root at
 * that size and a consistency proof from it to the final tree verifies, and
 * the latest checkpoint verifies and matches the log.
 */
#include "pnyx/base64.h"
#include "pnyx/checkpoint.h"
#include "pnyx/log.h"
#include "pnyx/note.h"
#include "pnyx/text.h"

#include "log_support.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "crash.example/log"
#define BATCH_MAX 100

static _Noreturn void die(const char *what, pnyx_err err,
			   const pnyx_diag *diag)
{
	fprintf(stderr, "log_crasher: %s: %s%s%s\n", what, pnyx_err_name(err),
		diag != NULL ? ": " : "", diag != NULL ? diag->msg : "");
	exit(1);
}

static pnyx_log *open_log(const char *db)
{
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(db, PNYX_STORE_OPEN, &s, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(s, &log, &diag);
	if (err != PNYX_OK)
		die("open", err, &diag);
	return log;
}

static void read_key(const char *file, pnyx_signer *key)
{
	size_t n = 0;
	uint8_t *text = test_read_file(file, &n);
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_signer_parse(text, n, key, &diag);
	free(text);
	if (err != PNYX_OK)
		die("key", err, &diag);
}

static int cmd_create(const char *db, const char *keyfile)
{
	pnyx_signer key;
	pnyx_verifier v;
	pnyx_buf text;
	pnyx_buf_init(&text, 4096);
	if (pnyx_signer_generate(NAME, &key) != PNYX_OK ||
	    pnyx_signer_encode(&key, &text) != PNYX_OK)
		die("keygen", PNYX_ERR_NOMEM, NULL);
	FILE *f = fopen(keyfile, "wb");
	if (f == NULL || fwrite(text.data, 1, text.len, f) != text.len ||
	    fclose(f) != 0)
		die("writing the key", PNYX_ERR_IO, NULL);
	pnyx_buf_clear(&text);
	pnyx_signer_verifier(&key, &v);
	pnyx_signer_clear(&key);
	pnyx_store *s = NULL;
	pnyx_log *log = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_store_sqlite_open(db, PNYX_STORE_CREATE, &s, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_create(s, &v, &log, &diag);
	if (err != PNYX_OK)
		die("create", err, &diag);
	pnyx_log_close(log);
	return 0;
}

static uint64_t next_random(uint64_t *x)
{
	/* xorshift64 */
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void print_committed(uint64_t first, uint64_t last,
			    const pnyx_hash *root)
{
	char b64[64];
	pnyx_base64_encode(root->b, PNYX_HASH_LEN, b64, sizeof b64);
	printf("committed %llu %llu %s\n", (unsigned long long)first,
	       (unsigned long long)last, b64);
	fflush(stdout);
}

/* Appends one batch of n entries; reports it. */
static void run_batch(pnyx_log *log, uint8_t *bytes, pnyx_entry *e, size_t n)
{
	uint64_t base = pnyx_log_size(log);
	uint8_t *p = bytes;
	for (size_t i = 0; i < n; i++) {
		e[i].n = test_entry_len(base + i);
		test_entry_fill(base + i, p);
		e[i].p = p;
		p += e[i].n;
	}
	uint64_t first = 0;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_log_append(log, e, n, &first, &diag);
	if (err != PNYX_OK)
		die("append", err, &diag);
	if (first != base)
		die("append returned the wrong first index", PNYX_ERR_CORRUPT,
		    NULL);
	pnyx_hash root;
	pnyx_log_root(log, &root);
	print_committed(first, first + n - 1, &root);
}

static int cmd_run(const char *db, const char *keyfile, const char *seed_text)
{
	uint64_t seed = 0;
	if (pnyx_parse_u64((const uint8_t *)seed_text, strlen(seed_text),
			   &seed) != PNYX_OK)
		die("seed", PNYX_ERR_MALFORMED, NULL);
	seed = seed * 2654435761u + 88172645463325252u;
	pnyx_signer key;
	read_key(keyfile, &key);
	pnyx_log *log = open_log(db);
	uint8_t *bytes = malloc((size_t)BATCH_MAX * 1024);
	pnyx_entry *e = calloc(BATCH_MAX, sizeof *e);
	pnyx_buf note;
	pnyx_buf_init(&note, 4096);
	if (bytes == NULL || e == NULL)
		die("memory", PNYX_ERR_NOMEM, NULL);
	for (uint64_t batch = 1;; batch++) {
		size_t n = (size_t)(next_random(&seed) % BATCH_MAX) + 1;
		run_batch(log, bytes, e, n);
		if (batch % 4 != 0)
			continue;
		pnyx_diag diag = {{0}};
		pnyx_buf_reset(&note);
		pnyx_err err = pnyx_log_checkpoint(log, &key, &note, &diag);
		if (err != PNYX_OK)
			die("checkpoint", err, &diag);
	}
}

static int cmd_observe(const char *db)
{
	pnyx_log *log = open_log(db);
	pnyx_hash root;
	pnyx_log_root(log, &root);
	char b64[64];
	pnyx_base64_encode(root.b, PNYX_HASH_LEN, b64, sizeof b64);
	printf("observed %llu %s\n", (unsigned long long)pnyx_log_size(log),
	       b64);
	pnyx_log_close(log);
	return 0;
}

/* ---- verify ---- */

/* A size and the root reported for it. */
typedef struct seen_root {
	uint64_t size;
	pnyx_hash root;
} seen_root;

typedef struct verify_state {
	pnyx_log *log;
	uint64_t next; /* the index the next batch must start at */
	seen_root *seen;
	size_t nseen, cap;
	uint64_t lines;
} verify_state;

/* Splits line into up to max space-separated fields. Returns their count. */
static size_t split(const uint8_t *line, size_t n, const uint8_t **f,
		    size_t *len, size_t max)
{
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n && k < max; i++) {
		if (i == n || line[i] == ' ') {
			f[k] = line + start;
			len[k++] = i - start;
			start = i + 1;
		}
	}
	return k;
}

static void add_seen(verify_state *v, uint64_t size, const uint8_t *b64,
		     size_t n)
{
	seen_root r = {.size = size};
	size_t got = 0;
	if (pnyx_base64_decode(b64, n, r.root.b, PNYX_HASH_LEN, &got) !=
		    PNYX_OK ||
	    got != PNYX_HASH_LEN)
		die("a reported root is not base64", PNYX_ERR_MALFORMED, NULL);
	if (v->nseen == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->seen = realloc(v->seen, v->cap * sizeof *v->seen);
		if (v->seen == NULL)
			die("memory", PNYX_ERR_NOMEM, NULL);
	}
	v->seen[v->nseen++] = r;
}

static void verify_line(verify_state *v, const uint8_t *line, size_t n)
{
	const uint8_t *f[5];
	size_t len[5];
	size_t k = split(line, n, f, len, 5);
	uint64_t a = 0, b = 0;
	if (k == 4 && pnyx_bytes_eq(f[0], len[0], "committed") &&
	    pnyx_parse_u64(f[1], len[1], &a) == PNYX_OK &&
	    pnyx_parse_u64(f[2], len[2], &b) == PNYX_OK && a <= b) {
		if (a != v->next)
			die("a batch does not start where the log ended",
			    PNYX_ERR_CORRUPT, NULL);
		v->next = b + 1;
		add_seen(v, b + 1, f[3], len[3]);
	} else if (k == 3 && pnyx_bytes_eq(f[0], len[0], "observed") &&
		   pnyx_parse_u64(f[1], len[1], &a) == PNYX_OK) {
		if (a < v->next)
			die("a reopened log lost committed entries",
			    PNYX_ERR_CORRUPT, NULL);
		v->next = a;
		add_seen(v, a, f[2], len[2]);
	} else {
		die("a report line does not parse", PNYX_ERR_MALFORMED, NULL);
	}
	v->lines++;
}

static void verify_report(verify_state *v, const char *file)
{
	size_t n = 0;
	uint8_t *text = test_read_file(file, &n);
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, n);
	const uint8_t *line;
	size_t len;
	/* a line cut short by the kill has no '\n' and is left unread */
	while (pnyx_cursor_line(&c, &line, &len))
		verify_line(v, line, len);
	free(text);
}

/* The edge of the entries read so far and the bytes entry i must hold. */
struct recompute {
	pnyx_merkle_edge e;
	uint8_t *want;
};

/* Checks entry i's bytes and adds its leaf hash (pnyx_entry_fn). */
static pnyx_err recompute_entry(void *ctx, uint64_t i, const uint8_t *p,
				size_t n)
{
	struct recompute *r = ctx;
	test_entry_fill(i, r->want);
	if (n != test_entry_len(i) || memcmp(p, r->want, n) != 0)
		die("an entry holds the wrong bytes", PNYX_ERR_CORRUPT, NULL);
	pnyx_hash leaf;
	pnyx_merkle_leaf_hash(p, n, &leaf);
	return pnyx_merkle_edge_append(&r->e, &leaf, NULL, NULL);
}

/* The root of all entries, recomputed from their bytes, each checked,
 * read in one pass. */
static void recompute_root(pnyx_log *log, pnyx_hash *root)
{
	struct recompute r = {.want = malloc(PNYX_ENTRY_MAX)};
	if (r.want == NULL)
		die("memory", PNYX_ERR_NOMEM, NULL);
	pnyx_merkle_edge_init(&r.e);
	pnyx_err err = pnyx_log_scan(log, 0, pnyx_log_size(log),
				     recompute_entry, &r);
	if (err != PNYX_OK)
		die("reading the entries", err, NULL);
	free(r.want);
	pnyx_merkle_edge_root(&r.e, root);
}

static void verify_seen(verify_state *v, const pnyx_hash *final_root)
{
	uint64_t size = pnyx_log_size(v->log);
	for (size_t i = 0; i < v->nseen; i++) {
		const seen_root *r = &v->seen[i];
		pnyx_hash at, proof[PNYX_MERKLE_MAX_PROOF];
		size_t n = 0;
		if (r->size > size ||
		    pnyx_log_root_at(v->log, r->size, &at) != PNYX_OK ||
		    !pnyx_hash_eq(&at, &r->root))
			die("a reported root is not the log's", PNYX_ERR_CORRUPT,
			    NULL);
		if (pnyx_log_consistency_proof(v->log, r->size, size, proof,
					       &n) != PNYX_OK ||
		    pnyx_merkle_verify_consistency(r->size, size, proof, n,
						   &r->root,
						   final_root) != PNYX_OK)
			die("a consistency proof does not verify",
			    PNYX_ERR_BAD_PROOF, NULL);
	}
}

static void verify_checkpoint(pnyx_log *log, const pnyx_signer *key)
{
	pnyx_verifier vk;
	pnyx_signer_verifier(key, &vk);
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	pnyx_err err = pnyx_log_latest_checkpoint(log, &b);
	if (err == PNYX_ERR_NOT_FOUND) {
		pnyx_buf_clear(&b);
		return;
	}
	pnyx_note note = {0};
	pnyx_checkpoint cp;
	pnyx_diag diag = {{0}};
	if (err == PNYX_OK)
		err = pnyx_note_open(b.data, b.len, 4096, &vk, 1, &note, &diag);
	if (err == PNYX_OK)
		err = pnyx_checkpoint_parse(note.text, note.text_len, &cp,
					    &diag);
	pnyx_hash at;
	if (err == PNYX_OK && (cp.size > pnyx_log_size(log) ||
			       pnyx_log_root_at(log, cp.size, &at) != PNYX_OK ||
			       !pnyx_hash_eq(&at, &cp.root)))
		err = PNYX_ERR_MISMATCH;
	pnyx_note_clear(&note);
	pnyx_buf_clear(&b);
	if (err != PNYX_OK)
		die("the latest checkpoint", err, &diag);
}

static int cmd_verify(const char *db, const char *keyfile, int nfiles,
		      char **files)
{
	pnyx_signer key;
	read_key(keyfile, &key);
	verify_state v = {.log = open_log(db)};
	for (int i = 0; i < nfiles; i++)
		verify_report(&v, files[i]);
	uint64_t size = pnyx_log_size(v.log);
	if (size < v.next)
		die("the log lost committed entries", PNYX_ERR_CORRUPT, NULL);
	pnyx_hash stored, recomputed;
	pnyx_log_root(v.log, &stored);
	recompute_root(v.log, &recomputed);
	if (!pnyx_hash_eq(&stored, &recomputed))
		die("the stored root is not the entries' root",
		    PNYX_ERR_CORRUPT, NULL);
	verify_seen(&v, &stored);
	verify_checkpoint(v.log, &key);
	printf("verified: %llu entries, %llu report lines, %zu roots\n",
	       (unsigned long long)size, (unsigned long long)v.lines,
	       v.nseen);
	free(v.seen);
	pnyx_log_close(v.log);
	pnyx_signer_clear(&key);
	return 0;
}

int main(int argc, char **argv)
{
	if (pnyx_init() != PNYX_OK)
		return 1;
	if (argc == 4 && strcmp(argv[1], "create") == 0)
		return cmd_create(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "run") == 0)
		return cmd_run(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "observe") == 0)
		return cmd_observe(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "verify") == 0)
		return cmd_verify(argv[2], argv[3], argc - 4, argv + 4);
	fprintf(stderr, "usage: log_crasher create|run|observe|verify ...\n");
	return 2;
}
