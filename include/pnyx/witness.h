/*
 * pnyx/witness.h — a C2SP tlog-witness v1.0.0 witness's judgement of an
 * add-checkpoint request, as a pure function: the configured logs, what
 * the witness holds for the request's log (its latest cosigned checkpoint)
 * and the request body go in; a verdict (a stable code and the spec's HTTP
 * status) and, when the checkpoint is accepted, the witness's
 * tlog-cosignature line come out. No I/O and no clock: the caller passes
 * the time, stores the new checkpoint durably (pnyx/witness_store.h)
 * before answering, and serialises requests for the same log.
 *
 * The checks, in the spec's order:
 *   body does not parse ............................. 400 malformed
 *   body larger than the cap ........................ 413 too-large
 *   origin not configured ........................... 404 unknown-log
 *   no valid signature by one of the log's keys ..... 403 unverified
 *   old size larger than the checkpoint's size ...... 400 old-size-too-large
 *   old size is not the size the witness holds ...... 409 old-size-mismatch
 *                                    (the answer's body: that size, "\n")
 *   same size as held but another root hash ......... 409 root-mismatch
 *   consistency proof does not verify ............... 422 bad-proof
 *   all pass ........................................ 200 cosigned
 * root-mismatch and bad-proof are what a forked log (one key, two
 * histories) meets: the caller keeps both checkpoints as evidence.
 */
#ifndef PNYX_WITNESS_H
#define PNYX_WITNESS_H

#include "pnyx/buf.h"
#include "pnyx/checkpoint.h"
#include "pnyx/common.h"
#include "pnyx/hash.h"
#include "pnyx/key.h"

#define PNYX_WITNESS_KEYS_MAX 8             /* keys of one log */
#define PNYX_WITNESS_BODY_MAX (64u * 1024u) /* request body, bytes */
#define PNYX_WITNESS_LINE_MAX 1024          /* one configuration line */

/* One log the witness follows: its origin and the keys that may sign its
 * checkpoints. Caller-owned plain data. */
typedef struct pnyx_witness_log {
	char origin[PNYX_ORIGIN_MAX + 1]; /* NUL-terminated */
	pnyx_verifier keys[PNYX_WITNESS_KEYS_MAX];
	size_t nkeys;
} pnyx_witness_log;

/* What the witness holds for a log. present is false (size 0) if it never
 * cosigned a checkpoint of that log. */
typedef struct pnyx_witness_latest {
	bool present;
	uint64_t size;
	pnyx_hash root;
} pnyx_witness_latest;

/* Verdict codes. Numbers, names and statuses are stable. */
typedef enum pnyx_witness_code {
	PNYX_WITNESS_COSIGNED = 0,       /* 200 */
	PNYX_WITNESS_MALFORMED,          /* 400 */
	PNYX_WITNESS_TOO_LARGE,          /* 413 */
	PNYX_WITNESS_UNKNOWN_LOG,        /* 404 */
	PNYX_WITNESS_UNVERIFIED,         /* 403 */
	PNYX_WITNESS_OLD_SIZE_TOO_LARGE, /* 400 */
	PNYX_WITNESS_OLD_SIZE_MISMATCH,  /* 409, body: the held size */
	PNYX_WITNESS_ROOT_MISMATCH,      /* 409 */
	PNYX_WITNESS_BAD_PROOF,          /* 422 */
	PNYX_WITNESS_INTERNAL,           /* 503: out of memory */
	PNYX_WITNESS__COUNT
} pnyx_witness_code;

/* The judgement of one request. */
typedef struct pnyx_witness_verdict {
	pnyx_witness_code code;
	size_t log;              /* index of the request's log in the list,
				    valid from unverified on */
	uint64_t held_size;      /* the held size (old-size-mismatch) */
	uint64_t size;           /* the submitted checkpoint's size and root,
				    valid from unverified on */
	pnyx_hash root;
	pnyx_diag diag;          /* one sentence for the client; never
				    echoes the body raw */
} pnyx_witness_verdict;

/* Stable name of a code ("cosigned", "bad-proof", ...); "unknown" out of
 * range. Thread-safe. */
PNYX_EXPORT const char *pnyx_witness_code_name(pnyx_witness_code code);

/* The tlog-witness HTTP status of a code (200, 400, 403, 404, 409, 413,
 * 422, 503); 500 out of range. Thread-safe. */
PNYX_EXPORT unsigned pnyx_witness_code_status(pnyx_witness_code code);

/* Finds the log a request body (n bytes, untrusted) is for, without
 * verifying its signatures. Returns true and sets *log (index in logs,
 * nlogs entries) when the body parses and its origin is configured;
 * otherwise false, with v set (malformed, too-large or unknown-log). */
PNYX_EXPORT bool pnyx_witness_find_log(const pnyx_witness_log *logs,
				       size_t nlogs, const uint8_t *body,
				       size_t n, size_t *log,
				       pnyx_witness_verdict *v);

/* Judges a request body (n bytes, untrusted) for log number log_index of
 * logs, against what the witness holds for it (latest). When the verdict
 * is cosigned, appends the witness's cosignature line (C2SP
 * tlog-cosignature, the witness key w, timestamp now in POSIX seconds) to
 * cosig. Returns v->code. On any other verdict cosig keeps its length.
 * Thread-safe for distinct v and cosig. */
PNYX_EXPORT pnyx_witness_code pnyx_witness_judge(
	const pnyx_witness_log *logs, size_t nlogs, size_t log_index,
	const pnyx_witness_latest *latest, const pnyx_signer *w,
	const uint8_t *body, size_t n, uint64_t now, pnyx_buf *cosig,
	pnyx_witness_verdict *v);

/* The checkpoint note inside a request body that find_log accepted: sets
 * *note and *note_len (borrowing body). false if the body does not parse. */
PNYX_EXPORT bool pnyx_witness_body_note(const uint8_t *body, size_t n,
					const uint8_t **note,
					size_t *note_len);

/* Adds one configuration line (n bytes, no '\n') to the list of logs:
 *   KEY            a log whose origin is the key's name
 *   ORIGIN=KEY     a log whose origin is ORIGIN (up to the first '=')
 * KEY is a verifier key in text form. A second line for the same origin
 * adds a key to that log. logs holds *nlogs entries and room for cap.
 * PNYX_ERR_MALFORMED (bad origin or key), PNYX_ERR_EXISTS (the same key
 * twice), PNYX_ERR_TOO_LARGE (more than cap logs or
 * PNYX_WITNESS_KEYS_MAX keys for one log); the reason in diag; the list
 * is unchanged on error. */
PNYX_EXPORT pnyx_err pnyx_witness_config_line(pnyx_witness_log *logs,
					      size_t *nlogs, size_t cap,
					      const uint8_t *line, size_t n,
					      pnyx_diag *diag) PNYX_WUR;

/* Adds every line of a configuration file's text (n bytes): lines as
 * pnyx_witness_config_line takes them, blank lines and lines starting with
 * '#' skipped, every line (the last too) ending in '\n'. Errors as
 * pnyx_witness_config_line, naming the line in diag; the lines before the
 * failing one stay added. */
PNYX_EXPORT pnyx_err pnyx_witness_config_parse(pnyx_witness_log *logs,
					       size_t *nlogs, size_t cap,
					       const uint8_t *text, size_t n,
					       pnyx_diag *diag) PNYX_WUR;

#endif
