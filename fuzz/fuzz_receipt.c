/*
 * Fuzz target for pnyx/receipt.h: any input is refused with an error or
 * accepted, as receipt text (pnyx_receipt_parse) and as a signed receipt
 * opened with a fixed log key (pnyx_receipt_open); what is accepted must
 * re-encode to the same bytes.
 *
 * The signed seeds of fuzz/corpus/receipt/ were written by
 * tests/receipt_writer with the private key of FUZZ_VKEY (a test key,
 * used nowhere else).
 */
#include <stdlib.h>
#include <string.h>

#include "pnyx/note.h"
#include "pnyx/receipt.h"

#define FUZZ_VKEY "fuzz.example/receipt-log+63c7d030+" \
		  "AZaONdRJzqVuj+4gfVWV9J3U7vH8IYN+ri1TXsvTaAwe"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const pnyx_receipt *r, const uint8_t *text,
			     size_t n)
{
	pnyx_buf b;
	pnyx_buf_init(&b, n + 1);
	if (pnyx_receipt_encode(r, &b) != PNYX_OK || b.len != n ||
	    memcmp(b.data, text, n) != 0)
		abort(); /* not byte-exact */
	pnyx_buf_clear(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (pnyx_init() != PNYX_OK)
		abort();
	pnyx_verifier key;
	if (pnyx_verifier_parse((const uint8_t *)FUZZ_VKEY,
				sizeof FUZZ_VKEY - 1, &key, NULL) != PNYX_OK)
		abort();
	pnyx_receipt r;
	pnyx_diag diag;
	if (pnyx_receipt_parse(data, size, &r, &diag) == PNYX_OK)
		check_round_trip(&r, data, size);
	if (pnyx_receipt_open(data, size, &key, &r, &diag) != PNYX_OK)
		return 0;
	size_t text_len;
	if (pnyx_note_text_len(data, size, &text_len) != PNYX_OK ||
	    strcmp(r.origin, key.name) != 0)
		abort(); /* opened, yet not a note of the key's origin */
	check_round_trip(&r, data, text_len);
	return 0;
}
