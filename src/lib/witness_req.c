/*
 * C2SP tlog-witness add-checkpoint request bodies: see pnyx/witness_req.h.
 */
#include "pnyx/witness_req.h"

#include "pnyx/base64.h"
#include "pnyx/text.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

/* Reads the "old <size>" line. */
static pnyx_err parse_old(pnyx_cursor *c, uint64_t *size, pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	if (!pnyx_cursor_line(c, &line, &n) || n < 5 ||
	    memcmp(line, "old ", 4) != 0 ||
	    pnyx_parse_u64(line + 4, n - 4, size) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the request does not start with a line "
				     "'old <size>' (a decimal without leading "
				     "zeros)");
	return PNYX_OK;
}

/* Reads the proof lines up to and including the empty line. */
static pnyx_err parse_proof(pnyx_cursor *c, pnyx_witness_req *r,
			    pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	for (;;) {
		if (!pnyx_cursor_line(c, &line, &n))
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "the request has no empty line "
					     "before the checkpoint");
		if (n == 0)
			return PNYX_OK;
		if (r->nproof == PNYX_WITNESS_PROOF_MAX)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "the request has more than %d "
					     "consistency proof lines",
					     PNYX_WITNESS_PROOF_MAX);
		if (pnyx_base64_decode_hash(line, n, &r->proof[r->nproof]) !=
		    PNYX_OK)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "consistency proof line %zu is not "
					     "the base64 of one 32-byte hash",
					     r->nproof + 1);
		r->nproof++;
	}
}

pnyx_err pnyx_witness_req_parse(const uint8_t *body, size_t n, size_t max_len,
				pnyx_witness_req *out, pnyx_diag *diag)
{
	assert((body != NULL || n == 0) && out != NULL);
	if (n > max_len)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the request is %zu bytes long, more than "
				     "the %zu allowed",
				     n, max_len);
	pnyx_witness_req r;
	memset(&r, 0, sizeof r);
	pnyx_cursor c;
	pnyx_cursor_init(&c, body, n);
	pnyx_err err = parse_old(&c, &r.old_size, diag);
	if (err == PNYX_OK)
		err = parse_proof(&c, &r, diag);
	if (err != PNYX_OK)
		return err;
	if (r.old_size == 0 && r.nproof != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the request has a consistency proof "
				     "from size 0, which must be empty");
	r.note_len = pnyx_cursor_left(&c);
	if (r.note_len == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the request has no checkpoint after "
				     "the empty line");
	r.note = body + (n - r.note_len);
	*out = r;
	return PNYX_OK;
}

pnyx_err pnyx_witness_req_encode(uint64_t old_size, const pnyx_hash *proof,
				 size_t nproof, const uint8_t *note,
				 size_t note_len, pnyx_buf *out)
{
	assert((proof != NULL || nproof == 0) && out != NULL);
	assert(note != NULL || note_len == 0);
	if (nproof > PNYX_WITNESS_PROOF_MAX || (old_size == 0 && nproof) ||
	    note_len == 0)
		return PNYX_ERR_MALFORMED;
	size_t start = out->len;
	(void)pnyx_buf_printf(out, "old %" PRIu64 "\n", old_size);
	for (size_t i = 0; i < nproof; i++) {
		char b64[PNYX_HASH_B64_LEN + 1];
		(void)pnyx_base64_encode(proof[i].b, PNYX_HASH_LEN, b64,
					 sizeof b64);
		(void)pnyx_buf_puts(out, b64);
		(void)pnyx_buf_puts(out, "\n");
	}
	(void)pnyx_buf_puts(out, "\n");
	pnyx_err err = pnyx_buf_append(out, note, note_len);
	if (err != PNYX_OK && out->data != NULL) {
		out->len = start;
		out->data[start] = 0;
	}
	return err;
}
