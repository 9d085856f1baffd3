/*
 * A tlog-witness's judgement of add-checkpoint requests (pnyx/witness.h):
 * parse the body (witness_req.c), find the log by the checkpoint's origin,
 * open the note with the log's keys, then compare the request with what
 * the witness holds and check the consistency proof (merkle_proof.c).
 * Pure: no I/O, no clock.
 */
#include "pnyx/witness.h"

#include "pnyx/cosignature.h"
#include "pnyx/merkle.h"
#include "pnyx/note.h"
#include "pnyx/text.h"
#include "pnyx/witness_req.h"

#include <assert.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned status;
} codes[PNYX_WITNESS__COUNT] = {
	[PNYX_WITNESS_COSIGNED] = {"cosigned", 200},
	[PNYX_WITNESS_MALFORMED] = {"malformed", 400},
	[PNYX_WITNESS_TOO_LARGE] = {"too-large", 413},
	[PNYX_WITNESS_UNKNOWN_LOG] = {"unknown-log", 404},
	[PNYX_WITNESS_UNVERIFIED] = {"unverified", 403},
	[PNYX_WITNESS_OLD_SIZE_TOO_LARGE] = {"old-size-too-large", 400},
	[PNYX_WITNESS_OLD_SIZE_MISMATCH] = {"old-size-mismatch", 409},
	[PNYX_WITNESS_ROOT_MISMATCH] = {"root-mismatch", 409},
	[PNYX_WITNESS_BAD_PROOF] = {"bad-proof", 422},
	[PNYX_WITNESS_INTERNAL] = {"unavailable", 503},
};

const char *pnyx_witness_code_name(pnyx_witness_code code)
{
	if ((unsigned)code >= PNYX_WITNESS__COUNT)
		return "unknown";
	return codes[code].name;
}

unsigned pnyx_witness_code_status(pnyx_witness_code code)
{
	if ((unsigned)code >= PNYX_WITNESS__COUNT)
		return 500;
	return codes[code].status;
}

/* Sets the verdict's code and returns it; the sentence is set by the
 * caller through v->diag. */
static pnyx_witness_code verdict(pnyx_witness_verdict *v,
				 pnyx_witness_code code)
{
	v->code = code;
	return code;
}

/* Parses the body and the checkpoint text of its note (no signature is
 * checked). On failure sets v (malformed or too-large). */
static bool parse_body(const uint8_t *body, size_t n, pnyx_witness_req *req,
		       pnyx_checkpoint *cp, pnyx_witness_verdict *v)
{
	pnyx_err err = pnyx_witness_req_parse(body, n, PNYX_WITNESS_BODY_MAX,
					      req, &v->diag);
	if (err == PNYX_ERR_TOO_LARGE) {
		pnyx_diag_set(&v->diag, err, "the request body is larger than "
			      "%u bytes", PNYX_WITNESS_BODY_MAX);
		verdict(v, PNYX_WITNESS_TOO_LARGE);
		return false;
	}
	size_t text_len = 0;
	if (err == PNYX_OK &&
	    pnyx_note_text_len(req->note, req->note_len, &text_len) != PNYX_OK)
		err = pnyx_diag_set(&v->diag, PNYX_ERR_MALFORMED,
				    "the checkpoint is not a signed note: it "
				    "has no signature lines");
	if (err == PNYX_OK)
		err = pnyx_checkpoint_parse(req->note, text_len, cp, &v->diag);
	if (err != PNYX_OK) {
		verdict(v, PNYX_WITNESS_MALFORMED);
		return false;
	}
	return true;
}

bool pnyx_witness_find_log(const pnyx_witness_log *logs, size_t nlogs,
			   const uint8_t *body, size_t n, size_t *log,
			   pnyx_witness_verdict *v)
{
	assert(logs != NULL || nlogs == 0);
	assert(log != NULL && v != NULL);
	memset(v, 0, sizeof *v);
	pnyx_witness_req req;
	pnyx_checkpoint cp;
	if (!parse_body(body, n, &req, &cp, v))
		return false;
	for (size_t i = 0; i < nlogs; i++)
		if (strcmp(logs[i].origin, cp.origin) == 0) {
			*log = i;
			return true;
		}
	pnyx_diag_set(&v->diag, PNYX_ERR_NOT_FOUND,
		      "this witness does not follow a log with the "
		      "checkpoint's origin");
	verdict(v, PNYX_WITNESS_UNKNOWN_LOG);
	return false;
}

bool pnyx_witness_body_note(const uint8_t *body, size_t n,
			    const uint8_t **note, size_t *note_len)
{
	pnyx_witness_req req;
	if (pnyx_witness_req_parse(body, n, PNYX_WITNESS_BODY_MAX, &req,
				   NULL) != PNYX_OK)
		return false;
	*note = req.note;
	*note_len = req.note_len;
	return true;
}

/* Opens the request's note with the log's keys. */
static pnyx_witness_code open_note(const pnyx_witness_log *log,
				   const pnyx_witness_req *req,
				   pnyx_note *note, pnyx_witness_verdict *v)
{
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_note_open(req->note, req->note_len,
				      PNYX_WITNESS_BODY_MAX, log->keys,
				      log->nkeys, note, &d);
	switch (err) {
	case PNYX_OK:
		return PNYX_WITNESS_COSIGNED;
	case PNYX_ERR_UNVERIFIED:
	case PNYX_ERR_BAD_SIGNATURE:
		pnyx_diag_set(&v->diag, err, "the checkpoint is not signed by "
			      "a key this witness trusts for its log: %s",
			      d.msg);
		return verdict(v, PNYX_WITNESS_UNVERIFIED);
	case PNYX_ERR_NOMEM:
		pnyx_diag_set(&v->diag, err, "the witness is out of memory");
		return verdict(v, PNYX_WITNESS_INTERNAL);
	default:
		pnyx_diag_set(&v->diag, err, "%s", d.msg);
		return verdict(v, PNYX_WITNESS_MALFORMED);
	}
}

/* Compares the request with what the witness holds, then checks the
 * consistency proof from the held tree to the new one. */
static pnyx_witness_code check_history(const pnyx_witness_latest *latest,
				       const pnyx_witness_req *req,
				       const pnyx_checkpoint *cp,
				       pnyx_witness_verdict *v)
{
	uint64_t held = latest->present ? latest->size : 0;
	v->held_size = held;
	if (req->old_size > cp->size) {
		pnyx_diag_set(&v->diag, PNYX_ERR_RANGE, "the old size %llu is "
			      "larger than the checkpoint's size %llu",
			      (unsigned long long)req->old_size,
			      (unsigned long long)cp->size);
		return verdict(v, PNYX_WITNESS_OLD_SIZE_TOO_LARGE);
	}
	if (req->old_size != held) {
		pnyx_diag_set(&v->diag, PNYX_ERR_MISMATCH, "the witness holds "
			      "a checkpoint of size %llu, not %llu",
			      (unsigned long long)held,
			      (unsigned long long)req->old_size);
		return verdict(v, PNYX_WITNESS_OLD_SIZE_MISMATCH);
	}
	if (latest->present && cp->size == held &&
	    !pnyx_hash_eq(&cp->root, &latest->root)) {
		pnyx_diag_set(&v->diag, PNYX_ERR_MISMATCH, "the log signed two "
			      "different trees of size %llu: the log is forked",
			      (unsigned long long)held);
		return verdict(v, PNYX_WITNESS_ROOT_MISMATCH);
	}
	pnyx_hash old_root;
	if (latest->present)
		old_root = latest->root;
	else
		pnyx_merkle_empty_root(&old_root);
	if (pnyx_merkle_verify_consistency(held, cp->size, req->proof,
					   req->nproof, &old_root,
					   &cp->root) != PNYX_OK) {
		pnyx_diag_set(&v->diag, PNYX_ERR_BAD_PROOF, "the consistency "
			      "proof from size %llu to size %llu does not "
			      "verify against the checkpoint the witness holds",
			      (unsigned long long)held,
			      (unsigned long long)cp->size);
		return verdict(v, PNYX_WITNESS_BAD_PROOF);
	}
	return PNYX_WITNESS_COSIGNED;
}

pnyx_witness_code pnyx_witness_judge(const pnyx_witness_log *logs,
				     size_t nlogs, size_t log_index,
				     const pnyx_witness_latest *latest,
				     const pnyx_signer *w, const uint8_t *body,
				     size_t n, uint64_t now, pnyx_buf *cosig,
				     pnyx_witness_verdict *v)
{
	assert(logs != NULL && log_index < nlogs);
	assert(latest != NULL && w != NULL && cosig != NULL && v != NULL);
	memset(v, 0, sizeof *v);
	v->log = log_index;
	pnyx_witness_req req;
	pnyx_checkpoint cp;
	if (!parse_body(body, n, &req, &cp, v))
		return v->code;
	const pnyx_witness_log *log = &logs[log_index];
	if (strcmp(cp.origin, log->origin) != 0) {
		pnyx_diag_set(&v->diag, PNYX_ERR_MISMATCH, "the checkpoint's "
			      "origin is not the log's");
		return verdict(v, PNYX_WITNESS_UNKNOWN_LOG);
	}
	pnyx_note note = {0};
	if (open_note(log, &req, &note, v) != PNYX_WITNESS_COSIGNED)
		return v->code;
	v->size = cp.size;
	v->root = cp.root;
	if (check_history(latest, &req, &cp, v) == PNYX_WITNESS_COSIGNED) {
		pnyx_err err = pnyx_cosig_sign(w, note.text, note.text_len,
					       now, cosig);
		if (err != PNYX_OK) {
			pnyx_diag_set(&v->diag, err, "the witness cannot "
				      "cosign: %s", pnyx_err_text(err));
			verdict(v, PNYX_WITNESS_INTERNAL);
		} else {
			verdict(v, PNYX_WITNESS_COSIGNED);
		}
	}
	pnyx_note_clear(&note);
	return v->code;
}
