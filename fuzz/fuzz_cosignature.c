/*
 * Fuzz target for pnyx/cosignature.h: arbitrary bytes read three ways,
 * never crashing:
 *   - as a cosignature line verified against a fixed witness key and a
 *     fixed checkpoint (the example of c2sp.org/tlog-cosignature); a line
 *     that verifies must be exactly the one the witness signs at its time;
 *   - as a witness verifier key in text form, which must re-encode to the
 *     same bytes when it parses;
 *   - as a note opened with a fixed log key, then searched for the
 *     witness's cosignature.
 * The keys are test keys (not secrets), usable with tests/note_tool:
 *   log:     PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz
 *   witness: PRIVATE+KEY+fuzz.pnyx.example/key+5b0557f1+AUvwvJIKT706mdW32Ccrelp/mwbKLeJqRjwRsQC0tXni
 * whose witness key (type 0x04) is
 *   fuzz.pnyx.example/key+3079fe3d+BIAYZAwgxOZezqfsoQ/CJ0B9ioTeLdnOvDaYrI+XvTOb
 */
#include "pnyx/cosignature.h"

#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_LEN 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char log_vkey[] =
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char witness_skey[] =
	"PRIVATE+KEY+fuzz.pnyx.example/key+5b0557f1+"
	"AUvwvJIKT706mdW32Ccrelp/mwbKLeJqRjwRsQC0tXni";
static const char witness_vkey[] =
	"fuzz.pnyx.example/key+3079fe3d+"
	"BIAYZAwgxOZezqfsoQ/CJ0B9ioTeLdnOvDaYrI+XvTOb";
static const char checkpoint[] =
	"example.com/behind-the-sofa\n20852163\n"
	"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

#define U8(s) ((const uint8_t *)(s))
#define CHECK(cond)                  \
	do {                         \
		if (!(cond))         \
			abort();     \
	} while (0)

/* Bytes without one final '\n'. */
static size_t strip(const uint8_t *data, size_t size)
{
	return size > 0 && data[size - 1] == '\n' ? size - 1 : size;
}

static void fuzz_line(const pnyx_verifier *w, const uint8_t *data,
		      size_t size)
{
	uint64_t t = 0;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_cosig_verify_line(w, U8(checkpoint),
					      strlen(checkpoint), data, size,
					      &t, &diag);
	CHECK(err == PNYX_OK || err == PNYX_ERR_MALFORMED ||
	      err == PNYX_ERR_MISMATCH || err == PNYX_ERR_BAD_SIGNATURE ||
	      err == PNYX_ERR_NOMEM);
	CHECK(memchr(diag.msg, 0, sizeof diag.msg) != NULL);
	if (err != PNYX_OK)
		return;
	CHECK(t <= PNYX_COSIG_TIME_MAX);
	pnyx_signer s;
	CHECK(pnyx_signer_parse(U8(witness_skey), strlen(witness_skey), &s,
				NULL) == PNYX_OK);
	pnyx_buf b;
	pnyx_buf_init(&b, FUZZ_MAX_LEN);
	CHECK(pnyx_cosig_sign(&s, U8(checkpoint), strlen(checkpoint), t, &b) ==
	      PNYX_OK);
	CHECK(b.len - 1 == strip(data, size));
	CHECK(memcmp(b.data, data, b.len - 1) == 0);
	pnyx_buf_clear(&b);
	pnyx_signer_clear(&s);
}

static void fuzz_vkey(const uint8_t *data, size_t size)
{
	pnyx_verifier v;
	if (pnyx_cosig_verifier_parse(data, size, &v, NULL) != PNYX_OK)
		return;
	CHECK(v.alg == PNYX_KEY_ALG_COSIG_V1);
	pnyx_buf b;
	pnyx_buf_init(&b, FUZZ_MAX_LEN);
	CHECK(pnyx_verifier_encode(&v, &b) == PNYX_OK);
	CHECK(b.len == strip(data, size));
	CHECK(memcmp(b.data, data, b.len) == 0);
	pnyx_buf_clear(&b);
}

static void fuzz_note(const pnyx_verifier *w, const uint8_t *data,
		      size_t size)
{
	pnyx_verifier log;
	CHECK(pnyx_verifier_parse(U8(log_vkey), strlen(log_vkey), &log,
				  NULL) == PNYX_OK);
	pnyx_note note;
	if (pnyx_note_open(data, size, FUZZ_MAX_LEN, &log, 1, &note, NULL) !=
	    PNYX_OK)
		return;
	uint64_t t = 0;
	pnyx_err err = pnyx_cosig_find(&note, w, &t, NULL);
	CHECK(err == PNYX_OK || err == PNYX_ERR_NOT_FOUND ||
	      err == PNYX_ERR_BAD_SIGNATURE || err == PNYX_ERR_NOMEM);
	CHECK(err != PNYX_OK || t <= PNYX_COSIG_TIME_MAX);
	pnyx_note_clear(&note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CHECK(pnyx_init() == PNYX_OK);
	if (size > FUZZ_MAX_LEN)
		return 0;
	pnyx_verifier w;
	CHECK(pnyx_cosig_verifier_parse(U8(witness_vkey), strlen(witness_vkey),
					&w, NULL) == PNYX_OK);
	const uint8_t *p = size ? data : NULL;
	fuzz_line(&w, p, size);
	fuzz_vkey(p, size);
	fuzz_note(&w, p, size);
	return 0;
}
