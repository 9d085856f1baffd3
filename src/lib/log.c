/*
 * The durable log over a pnyx_store: see pnyx/log.h.
 *
 * Memory follows disk. The log keeps its committed right edge (the peaks of
 * the tree, pnyx/merkle.h) in memory; an append works on a copy of the
 * edge, writes every entry and every complete subtree it completes inside
 * one store transaction, commits, and only then replaces the in-memory
 * edge. Any failure before or at the commit is rolled back and returned with
 * the store and the in-memory state as they were (a failing rollback is
 * ignored: the store contract makes an uncommitted transaction vanish).
 * Nothing fallible follows a successful commit, so PNYX_OK means durable and
 * an error means not committed; the one exception is a storage engine that
 * reports a failed commit which nevertheless reached the disk, in which case
 * the log reopens in the after state, never in between.
 *
 * Stored metadata: "origin" (the key name, which is the checkpoint origin)
 * and "vkey" (the verifier key's text form). Opening checks them against
 * each other, loads the edge (one read per peak), and checks the tail
 * cheaply: the last entry exists and hashes to the stored leaf hash, and no
 * entry exists at the committed size.
 */
#include "pnyx/log.h"

#include "pnyx/checkpoint.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

#define META_ORIGIN "origin"
#define META_VKEY "vkey"
#define VKEY_TEXT_MAX 1024
#define CHECKPOINT_TEXT_MAX 1024
#define CHECKPOINT_NOTE_MAX 4096

struct pnyx_log {
	pnyx_store *store;
	pnyx_verifier key;
	pnyx_merkle_edge edge; /* the committed tree */
};

/* pnyx_merkle_reader over the store. */
static pnyx_err read_store(void *ctx, unsigned level, uint64_t index,
			   size_t count, pnyx_hash *out)
{
	pnyx_store *s = ctx;
	return s->ops->get_hashes(s, level, index, count, out);
}

/* pnyx_merkle_emit into the store: every new complete subtree. */
static pnyx_err emit_store(void *ctx, unsigned level, uint64_t index,
			   const pnyx_hash *h)
{
	pnyx_store *s = ctx;
	return s->ops->put_hash(s, level, index, h);
}

static pnyx_err fail(pnyx_diag *diag, pnyx_err err, const char *what)
{
	return pnyx_diag_set(diag, err, "%s: %s", what, pnyx_err_text(err));
}

static pnyx_log *log_alloc(pnyx_store *store)
{
	pnyx_log *log = pnyx_malloc(sizeof *log);
	if (log == NULL)
		return NULL;
	memset(log, 0, sizeof *log);
	log->store = store;
	pnyx_merkle_edge_init(&log->edge);
	return log;
}

void pnyx_log_close(pnyx_log *log)
{
	if (log == NULL)
		return;
	pnyx_store_close(log->store);
	pnyx_free(log);
}

/* ---- creating ---- */

static pnyx_err check_new_key(const pnyx_verifier *key, pnyx_diag *diag)
{
	size_t n = strnlen(key->name, sizeof key->name);
	if (n == sizeof key->name ||
	    !pnyx_key_name_is_valid((const uint8_t *)key->name, n) ||
	    key->alg != PNYX_KEY_ALG_ED25519 ||
	    key->hash != pnyx_key_hash(key->name, key->alg, key->pk))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the log's key is not a valid Ed25519 "
				     "verifier key");
	return PNYX_OK;
}

/* Inside a transaction: refuses a store that already holds a log. */
static pnyx_err check_store_empty(pnyx_store *s, pnyx_diag *diag)
{
	pnyx_buf b;
	pnyx_buf_init(&b, VKEY_TEXT_MAX);
	pnyx_err err = s->ops->get_meta(s, META_VKEY, &b);
	pnyx_buf_clear(&b);
	if (err == PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_EXISTS,
				     "the store already holds a log");
	if (err != PNYX_ERR_NOT_FOUND)
		return fail(diag, err, "reading the store");
	uint64_t size = 0;
	err = s->ops->get_size(s, &size);
	if (err != PNYX_OK)
		return fail(diag, err, "reading the store");
	if (size != 0)
		return pnyx_diag_set(diag, PNYX_ERR_EXISTS,
				     "the store already holds entries");
	return PNYX_OK;
}

static pnyx_err write_header(pnyx_store *s, const pnyx_verifier *key,
			     const pnyx_buf *vkey, pnyx_diag *diag)
{
	pnyx_err err = s->ops->begin(s);
	if (err != PNYX_OK)
		return fail(diag, err, "starting a transaction");
	err = check_store_empty(s, diag);
	if (err == PNYX_OK) {
		err = s->ops->put_meta(s, META_ORIGIN,
				       (const uint8_t *)key->name,
				       strlen(key->name));
		if (err == PNYX_OK)
			err = s->ops->put_meta(s, META_VKEY, vkey->data,
					       vkey->len);
		if (err == PNYX_OK)
			err = s->ops->set_size(s, 0);
		if (err == PNYX_OK)
			err = s->ops->commit(s);
		if (err != PNYX_OK)
			(void)fail(diag, err, "writing the log's header");
	}
	if (err != PNYX_OK)
		s->ops->rollback(s);
	return err;
}

pnyx_err pnyx_log_create(pnyx_store *store, const pnyx_verifier *key,
			 pnyx_log **out, pnyx_diag *diag)
{
	assert(store != NULL && key != NULL && out != NULL);
	pnyx_err err = check_new_key(key, diag);
	pnyx_buf vkey;
	pnyx_buf_init(&vkey, VKEY_TEXT_MAX);
	if (err == PNYX_OK) {
		err = pnyx_verifier_encode(key, &vkey);
		if (err != PNYX_OK)
			(void)fail(diag, err, "encoding the log's key");
	}
	if (err == PNYX_OK)
		err = write_header(store, key, &vkey, diag);
	pnyx_buf_clear(&vkey);
	pnyx_log *log = NULL;
	if (err == PNYX_OK) {
		log = log_alloc(store);
		if (log == NULL)
			err = fail(diag, PNYX_ERR_NOMEM, "creating the log");
	}
	if (err != PNYX_OK) {
		pnyx_store_close(store);
		return err;
	}
	log->key = *key;
	*out = log;
	return PNYX_OK;
}

/* ---- opening ---- */

/* Maps an error reading a log's own records: storage failures stay what
 * they are, anything else (absent, too large, unparsable) is corruption. */
static pnyx_err read_fail(pnyx_diag *diag, pnyx_err err, const char *what)
{
	if (err == PNYX_ERR_STORAGE || err == PNYX_ERR_NOMEM)
		return fail(diag, err, what);
	return pnyx_diag_set(diag, PNYX_ERR_CORRUPT, "%s: %s", what,
			     pnyx_err_text(err));
}

/* Reads the verifier key and checks the stored origin against its name. */
static pnyx_err read_key(pnyx_store *s, pnyx_verifier *key, pnyx_diag *diag)
{
	pnyx_buf b;
	pnyx_buf_init(&b, VKEY_TEXT_MAX);
	pnyx_err err = s->ops->get_meta(s, META_VKEY, &b);
	if (err == PNYX_OK)
		err = pnyx_verifier_parse(b.data, b.len, key, NULL);
	if (err != PNYX_OK) {
		pnyx_buf_clear(&b);
		return read_fail(diag, err, "reading the log's key");
	}
	pnyx_buf_reset(&b);
	err = s->ops->get_meta(s, META_ORIGIN, &b);
	if (err == PNYX_OK && !pnyx_bytes_eq(b.data, b.len, key->name))
		err = PNYX_ERR_MISMATCH;
	pnyx_buf_clear(&b);
	if (err != PNYX_OK)
		return read_fail(diag, err, "reading the log's origin");
	return PNYX_OK;
}

/* Checks the tail of a tree of size entries: entry size - 1 exists and
 * hashes to the stored leaf hash, entry size does not exist. */
static pnyx_err check_tail(pnyx_store *s, uint64_t size, pnyx_diag *diag)
{
	pnyx_buf b;
	pnyx_buf_init(&b, PNYX_ENTRY_MAX);
	pnyx_err err = PNYX_OK;
	if (size > 0) {
		pnyx_hash stored, leaf;
		err = s->ops->get_entry(s, size - 1, &b);
		if (err == PNYX_OK)
			err = s->ops->get_hashes(s, 0, size - 1, 1, &stored);
		if (err == PNYX_OK) {
			pnyx_merkle_leaf_hash(b.data, b.len, &leaf);
			if (b.len == 0 || !pnyx_hash_eq(&leaf, &stored))
				err = PNYX_ERR_MISMATCH;
		}
		if (err != PNYX_OK)
			err = read_fail(diag, err, "checking the last entry");
	}
	if (err == PNYX_OK) {
		pnyx_buf_reset(&b);
		err = s->ops->get_entry(s, size, &b);
		if (err == PNYX_OK)
			err = pnyx_diag_set(diag, PNYX_ERR_CORRUPT,
					    "an entry lies past the committed "
					    "size");
		else if (err == PNYX_ERR_NOT_FOUND)
			err = PNYX_OK;
		else
			err = read_fail(diag, err, "checking the tail");
	}
	pnyx_buf_clear(&b);
	return err;
}

static pnyx_err load_state(pnyx_log *log, pnyx_diag *diag)
{
	pnyx_store *s = log->store;
	uint64_t size = 0;
	pnyx_err err = s->ops->get_size(s, &size);
	if (err != PNYX_OK)
		return read_fail(diag, err, "reading the tree size");
	err = read_key(s, &log->key, diag);
	if (err != PNYX_OK)
		return err;
	err = pnyx_merkle_edge_load(&log->edge, size, read_store, s);
	if (err != PNYX_OK)
		return read_fail(diag, err, "loading the tree's right edge");
	return check_tail(s, size, diag);
}

pnyx_err pnyx_log_open(pnyx_store *store, pnyx_log **out, pnyx_diag *diag)
{
	assert(store != NULL && out != NULL);
	pnyx_log *log = log_alloc(store);
	if (log == NULL) {
		pnyx_store_close(store);
		return fail(diag, PNYX_ERR_NOMEM, "opening the log");
	}
	pnyx_err err = load_state(log, diag);
	if (err != PNYX_OK) {
		pnyx_log_close(log);
		return err;
	}
	*out = log;
	return PNYX_OK;
}

/* ---- appending ---- */

static pnyx_err check_entries(const pnyx_entry *entries, size_t n,
			      pnyx_diag *diag)
{
	for (size_t i = 0; i < n; i++) {
		if (entries[i].n == 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "entry %zu of the batch is empty",
					     i);
		if (entries[i].n > PNYX_ENTRY_MAX)
			return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
					     "entry %zu of the batch has %zu "
					     "bytes (at most %d)",
					     i, entries[i].n, PNYX_ENTRY_MAX);
		assert(entries[i].p != NULL);
	}
	return PNYX_OK;
}

/* Inside a transaction: writes the entries, their hashes and the new size,
 * advancing edge (a copy of the log's). */
static pnyx_err write_entries(pnyx_store *s, pnyx_merkle_edge *edge,
			      const pnyx_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		pnyx_err err = s->ops->put_entry(s, edge->size, entries[i].p,
						 entries[i].n);
		if (err != PNYX_OK)
			return err;
		pnyx_hash leaf;
		pnyx_merkle_leaf_hash(entries[i].p, entries[i].n, &leaf);
		err = pnyx_merkle_edge_append(edge, &leaf, emit_store, s);
		if (err != PNYX_OK)
			return err;
	}
	return s->ops->set_size(s, edge->size);
}

pnyx_err pnyx_log_append(pnyx_log *log, const pnyx_entry *entries, size_t n,
			 uint64_t *first, pnyx_diag *diag)
{
	assert(log != NULL && entries != NULL && n >= 1);
	pnyx_err err = check_entries(entries, n, diag);
	if (err != PNYX_OK)
		return err;
	if (n > UINT64_MAX - 1 - log->edge.size)
		return pnyx_diag_set(diag, PNYX_ERR_RANGE, "the log is full");
	pnyx_store *s = log->store;
	pnyx_merkle_edge next = log->edge;
	err = s->ops->begin(s);
	if (err != PNYX_OK)
		return fail(diag, err, "starting a transaction");
	err = write_entries(s, &next, entries, n);
	if (err == PNYX_OK)
		err = s->ops->commit(s);
	if (err != PNYX_OK) {
		s->ops->rollback(s);
		return fail(diag, err, "appending");
	}
	if (first != NULL)
		*first = log->edge.size;
	log->edge = next;
	return PNYX_OK;
}

/* ---- reading ---- */

uint64_t pnyx_log_size(const pnyx_log *log)
{
	return log->edge.size;
}

void pnyx_log_root(const pnyx_log *log, pnyx_hash *out)
{
	pnyx_merkle_edge_root(&log->edge, out);
}

const pnyx_verifier *pnyx_log_key(const pnyx_log *log)
{
	return &log->key;
}

pnyx_err pnyx_log_entry(pnyx_log *log, uint64_t index, pnyx_buf *out)
{
	if (index >= log->edge.size)
		return PNYX_ERR_RANGE;
	pnyx_err err = log->store->ops->get_entry(log->store, index, out);
	return err == PNYX_ERR_NOT_FOUND ? PNYX_ERR_CORRUPT : err;
}

/* The caller's function behind a scan, and a guard on the stored bytes. */
struct log_scan {
	pnyx_entry_fn fn;
	void *ctx;
};

static pnyx_err scan_entry(void *ctx, uint64_t index, const uint8_t *p,
			   size_t n)
{
	struct log_scan *sc = ctx;
	if (n == 0 || n > PNYX_ENTRY_MAX)
		return PNYX_ERR_CORRUPT;
	return sc->fn(sc->ctx, index, p, n);
}

pnyx_err pnyx_log_scan(pnyx_log *log, uint64_t from, uint64_t to,
		       pnyx_entry_fn fn, void *ctx)
{
	assert(log != NULL && fn != NULL);
	if (from > to || to > log->edge.size)
		return PNYX_ERR_RANGE;
	if (from == to)
		return PNYX_OK;
	struct log_scan sc = {fn, ctx};
	return log->store->ops->scan_entries(log->store, from, to, scan_entry,
					     &sc);
}

pnyx_err pnyx_log_root_at(pnyx_log *log, uint64_t size, pnyx_hash *out)
{
	if (size > log->edge.size)
		return PNYX_ERR_RANGE;
	if (size == log->edge.size) {
		pnyx_merkle_edge_root(&log->edge, out);
		return PNYX_OK;
	}
	return pnyx_merkle_root(size, read_store, log->store, out);
}

pnyx_err pnyx_log_read_hashes(pnyx_log *log, unsigned level, uint64_t index,
			      size_t count, pnyx_hash *out)
{
	if (level > PNYX_MERKLE_MAX_LEVEL)
		return PNYX_ERR_RANGE;
	uint64_t complete = log->edge.size >> level;
	if (count > complete || index > complete - count)
		return PNYX_ERR_RANGE;
	if (count == 0)
		return PNYX_OK;
	return read_store(log->store, level, index, count, out);
}

pnyx_err pnyx_log_inclusion_proof(pnyx_log *log, uint64_t index,
				  uint64_t size, pnyx_hash *proof, size_t *n)
{
	if (index >= size || size > log->edge.size)
		return PNYX_ERR_RANGE;
	return pnyx_merkle_inclusion_proof(index, size, read_store, log->store,
					   proof, n);
}

pnyx_err pnyx_log_consistency_proof(pnyx_log *log, uint64_t old,
				    uint64_t size, pnyx_hash *proof,
				    size_t *n)
{
	if (old > size || size > log->edge.size)
		return PNYX_ERR_RANGE;
	return pnyx_merkle_consistency_proof(old, size, read_store,
					     log->store, proof, n);
}

/* ---- checkpoints ---- */

static bool signer_is_key(const pnyx_signer *signer, const pnyx_verifier *key)
{
	return strcmp(signer->name, key->name) == 0 &&
	       signer->hash == key->hash &&
	       memcmp(signer->pk, key->pk, sizeof key->pk) == 0;
}

/* Signs the checkpoint of the committed tree into note. */
static pnyx_err sign_checkpoint(const pnyx_log *log, const pnyx_signer *signer,
				pnyx_buf *note, pnyx_diag *diag)
{
	pnyx_checkpoint cp;
	memset(&cp, 0, sizeof cp);
	size_t n = strlen(log->key.name);
	if (n >= sizeof cp.origin)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the origin is too long for a checkpoint");
	memcpy(cp.origin, log->key.name, n + 1);
	cp.size = log->edge.size;
	pnyx_merkle_edge_root(&log->edge, &cp.root);
	pnyx_buf text;
	pnyx_buf_init(&text, CHECKPOINT_TEXT_MAX);
	pnyx_err err = pnyx_checkpoint_encode(&cp, &text);
	if (err == PNYX_OK)
		err = pnyx_note_sign(text.data, text.len, signer, 1, note);
	pnyx_buf_clear(&text);
	if (err != PNYX_OK)
		return fail(diag, err, "signing the checkpoint");
	return PNYX_OK;
}

static pnyx_err store_checkpoint(pnyx_store *s, uint64_t size,
				 const pnyx_buf *note, pnyx_diag *diag)
{
	pnyx_err err = s->ops->begin(s);
	if (err != PNYX_OK)
		return fail(diag, err, "starting a transaction");
	err = s->ops->put_checkpoint(s, size, note->data, note->len);
	if (err == PNYX_OK)
		err = s->ops->commit(s);
	if (err != PNYX_OK) {
		s->ops->rollback(s);
		return fail(diag, err, "storing the checkpoint");
	}
	return PNYX_OK;
}

pnyx_err pnyx_log_checkpoint(pnyx_log *log, const pnyx_signer *signer,
			     pnyx_buf *out, pnyx_diag *diag)
{
	assert(log != NULL && signer != NULL && out != NULL);
	if (!signer_is_key(signer, &log->key))
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the signer is not the log's key");
	pnyx_buf note;
	pnyx_buf_init(&note, CHECKPOINT_NOTE_MAX);
	pnyx_err err = sign_checkpoint(log, signer, &note, diag);
	if (err == PNYX_OK)
		err = store_checkpoint(log->store, log->edge.size, &note, diag);
	/* The checkpoint is durable now; should handing it over fail, it is
	 * still the log's latest. */
	if (err == PNYX_OK) {
		err = pnyx_buf_append(out, note.data, note.len);
		if (err != PNYX_OK)
			(void)fail(diag, err, "returning the checkpoint");
	}
	pnyx_buf_clear(&note);
	return err;
}

pnyx_err pnyx_log_latest_checkpoint(pnyx_log *log, pnyx_buf *out)
{
	assert(log != NULL && out != NULL);
	return log->store->ops->get_checkpoint(log->store, out);
}
