/*
 * pnyx/witness_policy.h — a forum's witness policy: "k of these n
 * witnesses" must cosign (C2SP tlog-cosignature) a checkpoint of its log
 * before the server serves it and before `pnyx verify` trusts it
 * (docs/MIRROR.md, "Witnesses"). Its text, one item per line, every line
 * ending in '\n':
 *
 *   # a comment; blank lines are skipped too
 *   quorum 2
 *   witness <witness verifier key> [<URL>]
 *
 * - `quorum K`: at most once; K a decimal without leading zeros, 1 to the
 *   number of witnesses. Without it, every witness must cosign.
 * - `witness`: a witness verifier key in text form (type 0x04,
 *   pnyx_cosig_verifier_parse; its name is the witness's name) and,
 *   optionally, the base URL of its C2SP tlog-witness service (http:// or
 *   https://, 1 to PNYX_POLICY_URL_MAX printable ASCII bytes without
 *   spaces): the server POSTs to URL/add-checkpoint. Two witnesses may not
 *   share a name. At most PNYX_POLICY_WITNESSES_MAX.
 * - Fields are separated by exactly one space; nothing else is accepted.
 *
 * Pure and thread-safe; no allocation.
 */
#ifndef PNYX_WITNESS_POLICY_H
#define PNYX_WITNESS_POLICY_H

#include "pnyx/common.h"
#include "pnyx/key.h"
#include "pnyx/note.h"

#define PNYX_POLICY_WITNESSES_MAX 16
#define PNYX_POLICY_URL_MAX 512
#define PNYX_POLICY_TEXT_MAX (64u * 1024u) /* a policy file */

typedef struct pnyx_policy_witness {
	pnyx_verifier key;                 /* alg PNYX_KEY_ALG_COSIG_V1 */
	char url[PNYX_POLICY_URL_MAX + 1]; /* "" when the line has none */
} pnyx_policy_witness;

/* A parsed policy: k of the n witnesses w[0..n-1]. Caller-owned. */
typedef struct pnyx_witness_policy {
	size_t k, n;
	pnyx_policy_witness w[PNYX_POLICY_WITNESSES_MAX];
} pnyx_witness_policy;

/* Parses a policy's text (n bytes, untrusted, at most
 * PNYX_POLICY_TEXT_MAX). Returns PNYX_OK and *out, PNYX_ERR_TOO_LARGE, or
 * PNYX_ERR_MALFORMED with the line number and the reason in diag (no
 * witness, a quorum out of range, a key that is not a witness key, a bad
 * URL, a name twice, any other line). *out is written only on success. */
PNYX_EXPORT pnyx_err pnyx_witness_policy_parse(const uint8_t *text, size_t n,
					       pnyx_witness_policy *out,
					       pnyx_diag *diag) PNYX_WUR;

/* Which of p's witnesses cosigned the note, opened with the log's key
 * (pnyx_note_open): cosigned[i] (p->n entries) is true when witness i's
 * cosignature is on it and verifies, and then times[i] (may be NULL) is
 * its timestamp; *count receives how many. Returns PNYX_OK when *count >=
 * p->k, PNYX_ERR_UNVERIFIED when fewer cosigned (cosigned and *count
 * filled all the same), PNYX_ERR_BAD_SIGNATURE (naming the witness in
 * diag) when a line carries a policy witness's name and key ID but does
 * not verify: a forged or damaged cosignature. */
PNYX_EXPORT pnyx_err pnyx_witness_policy_count(const pnyx_witness_policy *p,
					       const pnyx_note *note,
					       bool *cosigned, uint64_t *times,
					       size_t *count, pnyx_diag *diag)
	PNYX_WUR;

#endif
