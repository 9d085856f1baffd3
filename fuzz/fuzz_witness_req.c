/*
 * Fuzz target for pnyx_witness_req_parse: arbitrary bytes parsed as a
 * C2SP tlog-witness add-checkpoint request body. A body that parses must
 * satisfy the contract and encode back to exactly the same bytes (the
 * parser accepts one form per request).
 */
#include "pnyx/witness_req.h"

#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_LEN 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	pnyx_witness_req r;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_req_parse(size ? data : NULL, size,
					      FUZZ_MAX_LEN, &r, &diag);
	CHECK(err == PNYX_OK || err == PNYX_ERR_MALFORMED ||
	      err == PNYX_ERR_TOO_LARGE);
	CHECK(memchr(diag.msg, 0, sizeof diag.msg) != NULL);
	if (err != PNYX_OK)
		return 0;
	CHECK(r.nproof <= PNYX_WITNESS_PROOF_MAX);
	CHECK(r.old_size != 0 || r.nproof == 0);
	CHECK(r.note_len >= 1 && r.note + r.note_len == data + size);
	pnyx_buf b;
	pnyx_buf_init(&b, FUZZ_MAX_LEN + 1);
	CHECK(pnyx_witness_req_encode(r.old_size, r.proof, r.nproof, r.note,
				      r.note_len, &b) == PNYX_OK);
	CHECK(b.len == size && memcmp(b.data, data, size) == 0);
	pnyx_buf_clear(&b);
	return 0;
}
