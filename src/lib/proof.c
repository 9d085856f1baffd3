/*
 * The text form of Merkle proofs (docs/FORMATS.md): parse and encode. See
 * pnyx/proof.h.
 *
 *   inclusion | consistency
 *   index <n> | old <n>
 *   size <n>
 *   <base64 hash>   (0 to PNYX_MERKLE_MAX_PROOF lines)
 *
 * Strict: every line ends in '\n', numbers are canonical decimals, hashes
 * canonical base64 of 32 bytes, nothing else, so encode(parse(t)) == t.
 */
#include "pnyx/proof.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "pnyx/base64.h"
#include "pnyx/text.h"


/* Reads a line "<key> <canonical decimal>". */
static pnyx_err parse_number_line(pnyx_cursor *c, const char *key,
				  uint64_t *out, pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n, k = strlen(key);
	if (!pnyx_cursor_line(c, &line, &n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "proof: missing '%s' line", key);
	if (n <= k || !pnyx_bytes_eq(line, k, key) || line[k] != ' ' ||
	    pnyx_parse_u64(line + k + 1, n - k - 1, out) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "proof: expected '%s <decimal>'", key);
	return PNYX_OK;
}

static pnyx_err parse_kind(pnyx_cursor *c, pnyx_proof *p, pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	if (!pnyx_cursor_line(c, &line, &n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "proof: no kind line");
	if (pnyx_bytes_eq(line, n, "inclusion"))
		p->kind = PNYX_PROOF_INCLUSION;
	else if (pnyx_bytes_eq(line, n, "consistency"))
		p->kind = PNYX_PROOF_CONSISTENCY;
	else
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "proof: unknown kind (expected "
				     "'inclusion' or 'consistency')");
	return PNYX_OK;
}

static pnyx_err parse_hashes(pnyx_cursor *c, pnyx_proof *p, pnyx_diag *diag)
{
	const uint8_t *line;
	size_t n;
	while (pnyx_cursor_line(c, &line, &n)) {
		if (p->n == PNYX_MERKLE_MAX_PROOF)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "proof: more than %d hashes",
					     PNYX_MERKLE_MAX_PROOF);
		if (pnyx_base64_decode_hash(line, n, &p->hashes[p->n]) != PNYX_OK)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "proof: hash %zu is not canonical "
					     "base64 of 32 bytes",
					     p->n + 1);
		p->n++;
	}
	if (pnyx_cursor_left(c) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "proof: last line does not end in a "
				     "newline");
	return PNYX_OK;
}

pnyx_err pnyx_proof_parse(const uint8_t *text, size_t n, pnyx_proof *out,
			  pnyx_diag *diag)
{
	assert(out != NULL && (text != NULL || n == 0));
	pnyx_proof p;
	memset(&p, 0, sizeof p);
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, n);
	pnyx_err err = parse_kind(&c, &p, diag);
	if (err != PNYX_OK)
		return err;
	const char *first = p.kind == PNYX_PROOF_INCLUSION ? "index" : "old";
	if ((err = parse_number_line(&c, first, &p.a, diag)) != PNYX_OK ||
	    (err = parse_number_line(&c, "size", &p.b, diag)) != PNYX_OK ||
	    (err = parse_hashes(&c, &p, diag)) != PNYX_OK)
		return err;
	*out = p;
	return PNYX_OK;
}

pnyx_err pnyx_proof_encode(const pnyx_proof *p, pnyx_buf *out)
{
	assert(p != NULL && out != NULL);
	assert(p->kind == PNYX_PROOF_INCLUSION ||
	       p->kind == PNYX_PROOF_CONSISTENCY);
	assert(p->n <= PNYX_MERKLE_MAX_PROOF);
	bool incl = p->kind == PNYX_PROOF_INCLUSION;
	pnyx_buf_printf(out, "%s\n%s %" PRIu64 "\nsize %" PRIu64 "\n",
			incl ? "inclusion" : "consistency",
			incl ? "index" : "old", p->a, p->b);
	for (size_t i = 0; i < p->n; i++) {
		char b64[PNYX_HASH_B64_LEN + 1];
		(void)pnyx_base64_encode(p->hashes[i].b, PNYX_HASH_LEN, b64,
					 sizeof b64);
		b64[PNYX_HASH_B64_LEN] = '\n';
		pnyx_buf_append(out, b64, sizeof b64);
	}
	return pnyx_buf_append(out, NULL, 0);
}
