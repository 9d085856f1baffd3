/*
 * A forum's witness policy, "k of these n witnesses" (pnyx/witness_policy.h):
 * the strict parser of its text and the count of cosignatures on a
 * checkpoint.
 */
#include "pnyx/witness_policy.h"

#include "pnyx/cosignature.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

/* A policy being read: the witnesses so far and the quorum line, if any. */
struct reading {
	pnyx_witness_policy p;
	bool has_quorum;
	uint64_t quorum;
};

/* http:// or https://, then printable ASCII without spaces. */
static bool url_is_valid(const uint8_t *u, size_t n)
{
	size_t skip = n > 7 && memcmp(u, "http://", 7) == 0 ? 7
		      : n > 8 && memcmp(u, "https://", 8) == 0 ? 8 : 0;
	if (skip == 0 || n > PNYX_POLICY_URL_MAX)
		return false;
	for (size_t i = skip; i < n; i++)
		if (u[i] <= 0x20 || u[i] >= 0x7f)
			return false;
	return true;
}

/* "witness KEY [URL]": rest is what follows "witness ". */
static pnyx_err witness_line(struct reading *r, const uint8_t *rest, size_t n,
			     pnyx_diag *diag)
{
	const uint8_t *sp = n > 0 ? memchr(rest, ' ', n) : NULL;
	size_t klen = sp != NULL ? (size_t)(sp - rest) : n;
	if (r->p.n == PNYX_POLICY_WITNESSES_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "more than %d "
				     "witnesses", PNYX_POLICY_WITNESSES_MAX);
	pnyx_policy_witness *w = &r->p.w[r->p.n];
	pnyx_diag why = {{0}};
	if (pnyx_cosig_verifier_parse(rest, klen, &w->key, &why) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "not a witness "
				     "verifier key: %s", why.msg);
	w->url[0] = 0;
	if (sp != NULL) {
		size_t ulen = n - klen - 1;
		if (!url_is_valid(sp + 1, ulen))
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the URL "
					     "must be http:// or https:// and at "
					     "most %d bytes without spaces",
					     PNYX_POLICY_URL_MAX);
		memcpy(w->url, sp + 1, ulen);
		w->url[ulen] = 0;
	}
	for (size_t i = 0; i < r->p.n; i++)
		if (strcmp(r->p.w[i].key.name, w->key.name) == 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "a second "
					     "witness named %s", w->key.name);
	r->p.n++;
	return PNYX_OK;
}

static pnyx_err one_line(struct reading *r, const uint8_t *line, size_t n,
			 pnyx_diag *diag)
{
	if (n == 0 || line[0] == '#')
		return PNYX_OK;
	if (n > 7 && memcmp(line, "quorum ", 7) == 0) {
		if (r->has_quorum)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "a second quorum line");
		r->has_quorum = true;
		if (pnyx_parse_u64(line + 7, n - 7, &r->quorum) != PNYX_OK ||
		    r->quorum == 0)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the quorum "
					     "must be a whole number from 1");
		return PNYX_OK;
	}
	if (n > 8 && memcmp(line, "witness ", 8) == 0)
		return witness_line(r, line + 8, n - 8, diag);
	return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "expected 'quorum K', "
			     "'witness KEY [URL]', a comment or a blank line");
}

pnyx_err pnyx_witness_policy_parse(const uint8_t *text, size_t n,
				   pnyx_witness_policy *out, pnyx_diag *diag)
{
	assert((text != NULL || n == 0) && out != NULL);
	if (n > PNYX_POLICY_TEXT_MAX)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "a witness policy "
				     "is at most %u bytes", PNYX_POLICY_TEXT_MAX);
	if (n > 0 && text[n - 1] != '\n')
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the last line "
				     "of the witness policy does not end in a "
				     "newline");
	struct reading r = {0};
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, n);
	const uint8_t *line;
	size_t len, lineno = 0;
	while (pnyx_cursor_line(&c, &line, &len)) {
		lineno++;
		pnyx_diag why = {{0}};
		if (one_line(&r, line, len, &why) != PNYX_OK)
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "line %zu: "
					     "%s", lineno, why.msg);
	}
	if (r.p.n == 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the witness "
				     "policy names no witness");
	if (r.has_quorum && r.quorum > r.p.n)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the quorum (%llu) "
				     "is larger than the number of witnesses "
				     "(%zu)", (unsigned long long)r.quorum, r.p.n);
	r.p.k = r.has_quorum ? (size_t)r.quorum : r.p.n;
	*out = r.p;
	return PNYX_OK;
}

pnyx_err pnyx_witness_policy_count(const pnyx_witness_policy *p,
				   const pnyx_note *note, bool *cosigned,
				   uint64_t *times, size_t *count,
				   pnyx_diag *diag)
{
	assert(p != NULL && note != NULL && cosigned != NULL && count != NULL);
	size_t got = 0;
	for (size_t i = 0; i < p->n; i++) {
		uint64_t t = 0;
		pnyx_diag why = {{0}};
		pnyx_err err = pnyx_cosig_find(note, &p->w[i].key, &t, &why);
		cosigned[i] = err == PNYX_OK;
		if (times != NULL)
			times[i] = t;
		if (err == PNYX_OK)
			got++;
		else if (err != PNYX_ERR_NOT_FOUND)
			return pnyx_diag_set(diag, PNYX_ERR_BAD_SIGNATURE, "the "
					     "cosignature of witness %s does not "
					     "verify: %s", p->w[i].key.name,
					     why.msg);
	}
	*count = got;
	if (got >= p->k)
		return PNYX_OK;
	return pnyx_diag_set(diag, PNYX_ERR_UNVERIFIED, "%zu of the %zu "
			     "witnesses cosigned the checkpoint; the policy "
			     "asks for %zu", got, p->n, p->k);
}
