/*
 * receipt_writer: builds a small forum log and receipts for
 * tests/receipt_cli.sh.
 *
 *   receipt_writer DIR [LOGKEY-FILE]
 *
 * Creates DIR/log.db, a log whose key is read from LOGKEY-FILE (or a fresh
 * key named log.example/oewg), with three forum leaves (actions of forum
 * "oewg" by FRA, one minute apart), and writes in DIR:
 *   log.vkey         the log's verifier key
 *   r0.txt r1.txt r2.txt   the genuine receipts of entries 0, 1 and 2
 *   other-index.txt  entry 0's receipt, but naming index 1
 *   future.txt       the receipt of a fourth leaf that was never appended
 *   forged.txt       a receipt for index 1 of a leaf the log never held
 *   wrong-time.txt   entry 2's receipt, one millisecond later
 *   other-forum.txt  entry 2's receipt, naming forum "other"
 *   other-key.txt    entry 1's receipt signed by another key of the same
 *                    name as the log's
 * every receipt signed by the log's key except other-key.txt.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pnyx/action.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/note.h"
#include "pnyx/receipt.h"
#include "pnyx/store.h"

#include "support.h"

#define T0 UINT64_C(1767258000000) /* 2026-01-01 09:00:00 UTC */

static _Noreturn void die(const char *what, pnyx_err err)
{
	fprintf(stderr, "receipt_writer: %s: %s\n", what, pnyx_err_name(err));
	exit(1);
}

static void check(pnyx_err err, const char *what)
{
	if (err != PNYX_OK)
		die(what, err);
}

static void leaf_of(const pnyx_signer *actor, uint64_t seq, const char *say,
		    pnyx_buf *out)
{
	json_t *body = json_pack("{s:s,s:s,s:I,s:s,s:s}", "forum", "oewg",
				 "actor", "FRA", "seq", (json_int_t)seq, "type",
				 "statement.deliver", "text", say);
	if (body == NULL)
		die("json_pack", PNYX_ERR_NOMEM);
	pnyx_buf text, note;
	pnyx_buf_init(&text, 1u << 16);
	pnyx_buf_init(&note, 1u << 16);
	check(pnyx_action_encode(body, &text), "encode an action");
	json_decref(body);
	check(pnyx_note_sign(text.data, text.len, actor, 1, &note), "sign");
	check(pnyx_leaf_encode(T0 + (seq - 1) * 60000, note.data, note.len,
			       out), "encode a leaf");
	pnyx_buf_clear(&text);
	pnyx_buf_clear(&note);
}

static void write_file(const char *dir, const char *name, const uint8_t *p,
		       size_t n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void write_receipt(const char *dir, const char *name,
			  const pnyx_receipt *r, const pnyx_signer *key)
{
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_RECEIPT_MAX);
	check(pnyx_receipt_sign(r, key, &b, NULL), "sign a receipt");
	write_file(dir, name, b.data, b.len);
	pnyx_buf_clear(&b);
}

static void load_key(const char *path, pnyx_signer *out)
{
	if (path == NULL) {
		check(pnyx_signer_generate("log.example/oewg", out), "keygen");
		return;
	}
	size_t n;
	uint8_t *text = test_read_file(path, &n);
	check(pnyx_signer_parse(text, n, out, NULL), "parse the log key");
	free(text);
}

static pnyx_log *create_log(const char *dir, const pnyx_signer *key)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/log.db", dir);
	pnyx_store *store;
	pnyx_log *log;
	pnyx_verifier v;
	pnyx_signer_verifier(key, &v);
	check(pnyx_store_sqlite_open(path, PNYX_STORE_CREATE, &store, NULL),
	      "create the store");
	check(pnyx_log_create(store, &v, &log, NULL), "create the log");
	pnyx_buf b;
	pnyx_buf_init(&b, 4096);
	check(pnyx_verifier_encode(&v, &b), "encode the key");
	check(pnyx_buf_puts(&b, "\n"), "encode the key");
	write_file(dir, "log.vkey", b.data, b.len);
	pnyx_buf_clear(&b);
	return log;
}

/* Appends leaves 1..3 and writes their receipts; r[3] is a fourth leaf's
 * receipt (never appended), r[4] the receipt of an unrelated leaf. */
static void append_leaves(const char *dir, pnyx_log *log,
			  const pnyx_signer *key, pnyx_receipt r[5])
{
	pnyx_signer fra;
	check(pnyx_signer_generate("member.example/FRA", &fra), "keygen");
	for (uint64_t i = 0; i < 5; i++) {
		pnyx_buf leaf;
		pnyx_buf_init(&leaf, 1u << 16);
		leaf_of(&fra, i < 4 ? i + 1 : 2, i < 4 ? "We object." : "We agree.",
			&leaf);
		pnyx_entry e = {leaf.data, leaf.len};
		if (i < 3)
			check(pnyx_log_append(log, &e, 1, NULL, NULL), "append");
		check(pnyx_receipt_from_leaf(key->name, i, leaf.data, leaf.len,
					     &r[i], NULL), "receipt");
		pnyx_buf_clear(&leaf);
		if (i < 3) {
			char name[32];
			snprintf(name, sizeof name, "r%u.txt", (unsigned)i);
			write_receipt(dir, name, &r[i], key);
		}
	}
	pnyx_signer_clear(&fra);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fputs("usage: receipt_writer DIR [LOGKEY-FILE]\n", stderr);
		return 2;
	}
	check(pnyx_init(), "init");
	const char *dir = argv[1];
	pnyx_signer key, other;
	load_key(argc == 3 ? argv[2] : NULL, &key);
	pnyx_log *log = create_log(dir, &key);
	pnyx_receipt r[5];
	append_leaves(dir, log, &key, r);
	pnyx_receipt x = r[0];
	x.index = 1;
	write_receipt(dir, "other-index.txt", &x, &key);
	write_receipt(dir, "future.txt", &r[3], &key);
	x = r[4];
	x.index = 1; /* FRA's seq 2 saying something else, never appended */
	write_receipt(dir, "forged.txt", &x, &key);
	x = r[2];
	x.time_ms++;
	write_receipt(dir, "wrong-time.txt", &x, &key);
	x = r[2];
	memcpy(x.forum, "other", 6);
	write_receipt(dir, "other-forum.txt", &x, &key);
	check(pnyx_signer_generate(key.name, &other), "keygen");
	write_receipt(dir, "other-key.txt", &r[1], &other);
	pnyx_log_close(log);
	pnyx_signer_clear(&key);
	pnyx_signer_clear(&other);
	return 0;
}
