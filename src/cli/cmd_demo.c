/*
 * pnyx demo: a training simulation of the public record. It creates (or
 * reopens) a log in a folder, has three fictitious delegations sign short
 * statements, appends them, signs a checkpoint with the log's key, and then
 * checks everything as an outside member would: the checkpoint's signature,
 * each statement's signature and its inclusion proof, and, from the second
 * run on, that the log only grew since the previous checkpoint.
 */
#include "cli.h"
#include "cli_log.h"

#include "pnyx/base64.h"
#include "pnyx/checkpoint.h"
#include "pnyx/log.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"Usage: pnyx demo [--dir DIR]\n"
	"\n"
	"Runs a training simulation of Pnyx's public record in DIR (default:\n"
	"./demo): three fictitious delegations sign statements, the log appends\n"
	"them and signs a checkpoint, and every signature and proof is checked\n"
	"as any member could check it. Run it again to add statements and see\n"
	"the proof that the log only grew. The keys and the log stay in DIR.\n";

#define DEMO_LOG_KEY "pnyx.demo/log"
#define NDELEGATIONS 3
static const char *const delegations[NDELEGATIONS] = {"A", "B", "C"};

struct demo {
	char dir[512];
	pnyx_signer log_key;
	pnyx_signer members[NDELEGATIONS];
	pnyx_log *log;
};

/* Loads DIR/<file>, or creates the key and writes it there. */
static bool demo_key(const struct demo *d, const char *name, const char *file,
		     pnyx_signer *out)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", d->dir, file);
	if (access(path, F_OK) == 0)
		return cli_load_signer(path, out);
	if (pnyx_signer_generate(name, out) != PNYX_OK) {
		cli_fail("cannot create the key %s", name);
		return false;
	}
	pnyx_buf b;
	pnyx_buf_init(&b, 1024);
	bool ok = pnyx_signer_encode(out, &b) == PNYX_OK &&
		  pnyx_buf_puts(&b, "\n") == PNYX_OK &&
		  cli_write_new_file(path, b.data, b.len, 0600);
	pnyx_buf_clear(&b);
	return ok;
}

static bool demo_open(struct demo *d)
{
	if (mkdir(d->dir, 0700) != 0 && errno != EEXIST) {
		cli_fail("cannot create %s: %s", d->dir, strerror(errno));
		return false;
	}
	if (!demo_key(d, DEMO_LOG_KEY, "log.key", &d->log_key))
		return false;
	for (int i = 0; i < NDELEGATIONS; i++) {
		char name[64], file[64];
		snprintf(name, sizeof name, "pnyx.demo/delegation-%s", delegations[i]);
		snprintf(file, sizeof file, "delegation-%s.key", delegations[i]);
		if (!demo_key(d, name, file, &d->members[i]))
			return false;
	}
	char db[700];
	snprintf(db, sizeof db, "%s/log.db", d->dir);
	pnyx_diag diag = {{0}};
	pnyx_store *store = NULL;
	bool exists = access(db, F_OK) == 0;
	pnyx_err err = pnyx_store_sqlite_open(
		db, exists ? PNYX_STORE_OPEN : PNYX_STORE_CREATE, &store, &diag);
	if (err == PNYX_OK && exists) {
		err = pnyx_log_open(store, &d->log, &diag);
	} else if (err == PNYX_OK) {
		pnyx_verifier v;
		pnyx_signer_verifier(&d->log_key, &v);
		err = pnyx_log_create(store, &v, &d->log, &diag);
	}
	if (err != PNYX_OK) {
		cli_fail_err("cannot open the demo log", err, &diag);
		return false;
	}
	return true;
}

/* Signs one statement per delegation into notes[] (caller clears them). */
static bool demo_statements(struct demo *d, pnyx_buf notes[NDELEGATIONS])
{
	static const char *const texts[NDELEGATIONS] = {
		"supports strengthening national computer emergency response teams",
		"offers training for points of contact in the region",
		"asks for assistance in protecting critical infrastructure",
	};
	uint64_t round = pnyx_log_size(d->log) / NDELEGATIONS + 1;
	for (int i = 0; i < NDELEGATIONS; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "pnyx demo statement (training simulation)\n"
			 "round %llu\ndelegation %s %s.\n",
			 (unsigned long long)round, delegations[i], texts[i]);
		pnyx_buf_init(&notes[i], 4096);
		if (pnyx_note_sign((const uint8_t *)text, strlen(text),
				   &d->members[i], 1, &notes[i]) != PNYX_OK) {
			cli_fail("cannot sign a statement");
			return false;
		}
	}
	return true;
}

static int demo_fail(const char *what)
{
	return cli_fail("demo check failed: %s", what);
}

/* Checks what any member can check with public keys only. */
static int demo_verify(struct demo *d, const pnyx_buf *cp_note,
		       const pnyx_buf notes[NDELEGATIONS], uint64_t first,
		       const pnyx_checkpoint *prev)
{
	pnyx_verifier log_v;
	pnyx_signer_verifier(&d->log_key, &log_v);
	pnyx_checkpoint cp;
	if (!cli_open_checkpoint(cp_note, &log_v, "the new checkpoint", &cp))
		return CLI_EXIT_FAIL;
	for (int i = 0; i < NDELEGATIONS; i++) {
		pnyx_verifier mv;
		pnyx_signer_verifier(&d->members[i], &mv);
		pnyx_note note = {0};
		pnyx_err err = pnyx_note_open(notes[i].data, notes[i].len,
					      CLI_NOTE_MAX, &mv, 1, &note, NULL);
		pnyx_note_clear(&note);
		if (err != PNYX_OK)
			return demo_fail("a delegation's signature");
		pnyx_hash leaf, proof[PNYX_MERKLE_MAX_PROOF];
		size_t n;
		pnyx_merkle_leaf_hash(notes[i].data, notes[i].len, &leaf);
		uint64_t index = first + (uint64_t)i;
		if (pnyx_log_inclusion_proof(d->log, index, cp.size, proof, &n) != PNYX_OK ||
		    pnyx_merkle_verify_inclusion(&leaf, index, cp.size, proof, n,
						 &cp.root) != PNYX_OK)
			return demo_fail("an inclusion proof");
		printf("  entry %llu: signed by %s, included (proof of %zu %s)\n",
		       (unsigned long long)index, mv.name, n, n == 1 ? "hash" : "hashes");
	}
	if (prev != NULL) {
		pnyx_hash proof[PNYX_MERKLE_MAX_PROOF];
		size_t n;
		if (pnyx_log_consistency_proof(d->log, prev->size, cp.size, proof, &n) != PNYX_OK ||
		    pnyx_merkle_verify_consistency(prev->size, cp.size, proof, n,
						   &prev->root, &cp.root) != PNYX_OK)
			return demo_fail("the consistency proof");
		printf("  the log of %llu entries extends the previous checkpoint of "
		       "%llu entries (proof of %zu %s)\n",
		       (unsigned long long)cp.size, (unsigned long long)prev->size, n,
		       n == 1 ? "hash" : "hashes");
	}
	return CLI_EXIT_OK;
}

/* Reads the previous checkpoint, if any, into *prev; *have says whether. */
static bool demo_previous(struct demo *d, pnyx_buf *buf, pnyx_checkpoint *prev,
			  bool *have)
{
	pnyx_buf_init(buf, CLI_NOTE_MAX);
	pnyx_err err = pnyx_log_latest_checkpoint(d->log, buf);
	*have = err == PNYX_OK;
	if (err == PNYX_ERR_NOT_FOUND)
		return true;
	if (err != PNYX_OK) {
		cli_fail_err("cannot read the previous checkpoint", err, NULL);
		return false;
	}
	pnyx_verifier log_v;
	pnyx_signer_verifier(&d->log_key, &log_v);
	return cli_open_checkpoint(buf, &log_v, "the previous checkpoint", prev);
}

static int demo_run(struct demo *d)
{
	pnyx_buf notes[NDELEGATIONS] = {{0}}, cp_note = {0}, prev_note = {0};
	pnyx_checkpoint prev;
	bool have_prev = false;
	int rc = CLI_EXIT_FAIL;
	if (!demo_previous(d, &prev_note, &prev, &have_prev) ||
	    !demo_statements(d, notes))
		goto out;
	pnyx_entry entries[NDELEGATIONS];
	for (int i = 0; i < NDELEGATIONS; i++)
		entries[i] = (pnyx_entry){notes[i].data, notes[i].len};
	uint64_t first;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_log_append(d->log, entries, NDELEGATIONS, &first, &diag);
	if (err != PNYX_OK) {
		rc = cli_fail_err("cannot append", err, &diag);
		goto out;
	}
	printf("Pnyx demo — a training simulation, not a real forum.\n\n"
	       "Three fictitious delegations signed statements; the log appended them\n"
	       "durably as entries %llu to %llu and signed this checkpoint:\n\n",
	       (unsigned long long)first, (unsigned long long)(first + NDELEGATIONS - 1));
	pnyx_buf_init(&cp_note, CLI_NOTE_MAX);
	err = pnyx_log_checkpoint(d->log, &d->log_key, &cp_note, &diag);
	if (err != PNYX_OK) {
		rc = cli_fail_err("cannot sign the checkpoint", err, &diag);
		goto out;
	}
	fwrite(cp_note.data, 1, cp_note.len, stdout);
	printf("\nChecked with public keys only, as any member can:\n"
	       "  checkpoint: signature by %s is valid\n", d->log_key.name);
	rc = demo_verify(d, &cp_note, notes, first, have_prev ? &prev : NULL);
	if (rc == CLI_EXIT_OK)
		printf("\nEverything verified. Try it yourself:\n"
		       "  build/pnyx log verify --db %s/log.db\n"
		       "  build/pnyx log prove --db %s/log.db --index 0\n"
		       "  build/pnyx log checkpoint --db %s/log.db\n"
		       "Run the demo again to add statements and prove the log only grew.\n",
		       d->dir, d->dir, d->dir);
out:
	for (int i = 0; i < NDELEGATIONS; i++)
		pnyx_buf_clear(&notes[i]);
	pnyx_buf_clear(&cp_note);
	pnyx_buf_clear(&prev_note);
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct demo d = {.log = NULL};
	snprintf(d.dir, sizeof d.dir, "demo");
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (snprintf(d.dir, sizeof d.dir, "%s", optarg) >= (int)sizeof d.dir)
				return cli_usage_error("demo", "the folder name is too long");
			break;
		case 'h': fputs(help, stdout); return CLI_EXIT_OK;
		default: return cli_usage_error("demo", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
	int rc = demo_open(&d) ? demo_run(&d) : CLI_EXIT_FAIL;
	pnyx_log_close(d.log);
	pnyx_signer_clear(&d.log_key);
	for (int i = 0; i < NDELEGATIONS; i++)
		pnyx_signer_clear(&d.members[i]);
	return rc;
}
