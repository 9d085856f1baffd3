/*
 * Signed receipts: parse, encode, sign, open, and check against a log. See
 * pnyx/receipt.h.
 *
 * The text is checked as a whole first (final newline, UTF-8, no control
 * characters other than '\n'), then line by line, each line in its one
 * canonical form, so that every accepted text re-encodes to the same bytes.
 */
#include "pnyx/receipt.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/leaf.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"
#include "pnyx/text.h"

static pnyx_err check_text(const uint8_t *text, size_t n, pnyx_diag *diag)
{
	if (n == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: empty text");
	if (text[n - 1] != '\n')
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: text does not end in a newline");
	return pnyx_text_check_note_chars(text, n, "receipt text", diag);
}

/* Reads the next line or fails naming the line that is missing. */
static pnyx_err next_line(pnyx_cursor *c, const char *what,
			  const uint8_t **line, size_t *n, pnyx_diag *diag)
{
	if (!pnyx_cursor_line(c, line, n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: no %s line", what);
	return PNYX_OK;
}

static pnyx_err parse_names(pnyx_cursor *c, pnyx_receipt *r, pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	pnyx_err err = next_line(c, "header", &line, &n, diag);
	if (err != PNYX_OK)
		return err;
	if (!pnyx_bytes_eq(line, n, PNYX_RECEIPT_HEADER))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: the first line is not \"%s\"",
				     PNYX_RECEIPT_HEADER);
	if ((err = next_line(c, "origin", &line, &n, diag)) != PNYX_OK)
		return err;
	if (n == 0 || n > PNYX_ORIGIN_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: the origin is empty or longer "
				     "than %d bytes", PNYX_ORIGIN_MAX);
	memcpy(r->origin, line, n);
	r->origin[n] = '\0';
	if ((err = next_line(c, "forum", &line, &n, diag)) != PNYX_OK)
		return err;
	if (!pnyx_id_is_valid(line, n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: the forum is not a valid id");
	memcpy(r->forum, line, n);
	r->forum[n] = '\0';
	return PNYX_OK;
}

static pnyx_err parse_numbers(pnyx_cursor *c, pnyx_receipt *r,
			      pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	pnyx_err err = next_line(c, "leaf index", &line, &n, diag);
	if (err != PNYX_OK)
		return err;
	if (pnyx_parse_u64(line, n, &r->index) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: the leaf index is not a "
				     "canonical decimal");
	if ((err = next_line(c, "leaf hash", &line, &n, diag)) != PNYX_OK)
		return err;
	if (pnyx_base64_decode_hash(line, n, &r->leaf_hash) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: the leaf hash is not canonical "
				     "base64 of 32 bytes");
	if ((err = next_line(c, "time", &line, &n, diag)) != PNYX_OK)
		return err;
	if (pnyx_parse_u64(line, n, &r->time_ms) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: the time is not a canonical "
				     "decimal");
	if (pnyx_cursor_left(c) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "receipt: text after the time line");
	return PNYX_OK;
}

pnyx_err pnyx_receipt_parse(const uint8_t *text, size_t n, pnyx_receipt *out,
			    pnyx_diag *diag)
{
	assert(out != NULL && (text != NULL || n == 0));
	pnyx_receipt r;
	memset(&r, 0, sizeof r);
	pnyx_err err = check_text(text, n, diag);
	if (err != PNYX_OK)
		return err;
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, n);
	if ((err = parse_names(&c, &r, diag)) != PNYX_OK ||
	    (err = parse_numbers(&c, &r, diag)) != PNYX_OK)
		return err;
	*out = r;
	return PNYX_OK;
}

pnyx_err pnyx_receipt_encode(const pnyx_receipt *r, pnyx_buf *out)
{
	assert(r != NULL && out != NULL);
	size_t olen = strnlen(r->origin, sizeof r->origin);
	assert(olen > 0 && olen <= PNYX_ORIGIN_MAX);
	assert(memchr(r->origin, '\n', olen) == NULL);
	size_t flen = strnlen(r->forum, sizeof r->forum);
	assert(pnyx_id_is_valid((const uint8_t *)r->forum, flen));
	char hash[PNYX_HASH_B64_LEN + 1];
	(void)pnyx_base64_encode(r->leaf_hash.b, sizeof r->leaf_hash.b, hash,
				 sizeof hash);
	(void)pnyx_buf_puts(out, PNYX_RECEIPT_HEADER "\n");
	(void)pnyx_buf_append(out, r->origin, olen);
	(void)pnyx_buf_puts(out, "\n");
	(void)pnyx_buf_append(out, r->forum, flen);
	return pnyx_buf_printf(out, "\n%" PRIu64 "\n%s\n%" PRIu64 "\n",
			       r->index, hash, r->time_ms);
}

pnyx_err pnyx_receipt_sign(const pnyx_receipt *r, const pnyx_signer *signer,
			   pnyx_buf *out, pnyx_diag *diag)
{
	assert(r != NULL && signer != NULL && out != NULL);
	if (strcmp(r->origin, signer->name) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "receipt: its origin is not the name of "
				     "the signing key (%s)", signer->name);
	pnyx_buf text;
	pnyx_buf_init(&text, PNYX_RECEIPT_MAX);
	pnyx_err err = pnyx_receipt_encode(r, &text);
	if (err == PNYX_OK)
		err = pnyx_note_sign(text.data, text.len, signer, 1, out);
	pnyx_buf_clear(&text);
	if (err != PNYX_OK)
		return pnyx_diag_set(diag, err, "receipt: cannot sign (%s)",
				     pnyx_err_name(err));
	return PNYX_OK;
}

pnyx_err pnyx_receipt_open(const uint8_t *msg, size_t n,
			   const pnyx_verifier *key, pnyx_receipt *out,
			   pnyx_diag *diag)
{
	assert(key != NULL && out != NULL && (msg != NULL || n == 0));
	pnyx_note note = {0};
	pnyx_err err = pnyx_note_open(msg, n, PNYX_RECEIPT_MAX, key, 1, &note,
				      diag);
	pnyx_receipt r;
	if (err == PNYX_OK)
		err = pnyx_receipt_parse(note.text, note.text_len, &r, diag);
	pnyx_note_clear(&note);
	if (err != PNYX_OK)
		return err;
	if (strcmp(r.origin, key->name) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "receipt: signed by %s but for another "
				     "log's origin", key->name);
	*out = r;
	return PNYX_OK;
}

/* The time of a forum leaf and the forum of its action. */
static pnyx_err read_leaf(const uint8_t *p, size_t n, uint64_t *time_ms,
			  char forum[PNYX_ID_MAX + 1], pnyx_diag *diag)
{
	pnyx_leaf leaf;
	pnyx_err err = pnyx_leaf_parse(p, n, &leaf, diag);
	if (err != PNYX_OK)
		return err;
	size_t text_len;
	if (pnyx_note_text_len(leaf.note, leaf.note_len, &text_len) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the leaf does not hold a signed note");
	pnyx_action a;
	memset(&a, 0, sizeof a);
	err = pnyx_action_parse(leaf.note, text_len, &a, diag);
	if (err == PNYX_OK) {
		*time_ms = leaf.time_ms;
		memcpy(forum, a.forum, sizeof a.forum);
	}
	pnyx_action_clear(&a);
	return err;
}

pnyx_err pnyx_receipt_from_leaf(const char *origin, uint64_t index,
				const uint8_t *leaf, size_t n,
				pnyx_receipt *out, pnyx_diag *diag)
{
	assert(origin != NULL && out != NULL && (leaf != NULL || n == 0));
	size_t olen = strlen(origin);
	assert(olen > 0 && olen <= PNYX_ORIGIN_MAX);
	pnyx_receipt r;
	memset(&r, 0, sizeof r);
	pnyx_err err = read_leaf(leaf, n, &r.time_ms, r.forum, diag);
	if (err != PNYX_OK)
		return err;
	memcpy(r.origin, origin, olen + 1);
	r.index = index;
	pnyx_merkle_leaf_hash(leaf, n, &r.leaf_hash);
	*out = r;
	return PNYX_OK;
}

/* Compares the stored entry's leaf with the receipt's claims. */
static pnyx_err check_entry(const pnyx_buf *entry, const pnyx_receipt *r,
			    pnyx_diag *diag)
{
	pnyx_hash h;
	pnyx_merkle_leaf_hash(entry->data, entry->len, &h);
	if (!pnyx_hash_eq(&h, &r->leaf_hash))
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the log's entry %" PRIu64 " has another "
				     "leaf hash than the receipt's", r->index);
	uint64_t t;
	char forum[PNYX_ID_MAX + 1];
	pnyx_diag ignored;
	pnyx_err err = read_leaf(entry->data, entry->len, &t, forum, &ignored);
	if (err == PNYX_ERR_NOMEM)
		return pnyx_diag_set(diag, err, "out of memory");
	if (err != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the log's entry %" PRIu64 " is not a "
				     "forum leaf", r->index);
	if (t != r->time_ms)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the log's entry %" PRIu64 " was accepted "
				     "at %" PRIu64 " ms, the receipt says %"
				     PRIu64, r->index, t, r->time_ms);
	if (strcmp(forum, r->forum) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the log's entry %" PRIu64 " is an action "
				     "of forum %s, not of the receipt's",
				     r->index, forum);
	return PNYX_OK;
}

pnyx_err pnyx_receipt_check(pnyx_log *log, const pnyx_receipt *r,
			    pnyx_diag *diag)
{
	assert(log != NULL && r != NULL);
	const pnyx_verifier *key = pnyx_log_key(log);
	if (strcmp(r->origin, key->name) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MISMATCH,
				     "the receipt's origin is not this log's "
				     "(%s)", key->name);
	uint64_t size = pnyx_log_size(log);
	if (r->index >= size)
		return pnyx_diag_set(diag, PNYX_ERR_RANGE,
				     "the log holds %" PRIu64 " entries, none "
				     "at index %" PRIu64, size, r->index);
	pnyx_buf entry;
	pnyx_buf_init(&entry, PNYX_ENTRY_MAX);
	pnyx_err err = pnyx_log_entry(log, r->index, &entry);
	if (err != PNYX_OK)
		err = pnyx_diag_set(diag, err, "cannot read the log's entry %"
				    PRIu64 " (%s)", r->index,
				    pnyx_err_name(err));
	else
		err = check_entry(&entry, r, diag);
	pnyx_buf_clear(&entry);
	return err;
}
