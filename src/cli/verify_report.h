/*
 * pnyx verify's replay step and report, shared by the two ways of reading
 * a log: a SQLite file (pnyx verify --db) and a server's or mirror's tiles
 * (pnyx verify URL).
 */
#ifndef PNYX_CLI_VERIFY_REPORT_H
#define PNYX_CLI_VERIFY_REPORT_H

#include "pnyx/engine.h"
#include "pnyx/hash.h"

/* Which log was replayed, for the JSON summary. */
typedef struct verify_log_id {
	const char *origin; /* the log's origin (its key's name) */
	uint64_t entries;
	pnyx_hash root;
} verify_log_id;

/* Applies leaf i (n bytes at p) to st, checking signatures. CLI_EXIT_OK,
 * or CLI_EXIT_FAIL after printing "pnyx: leaf N is refused: <code>:
 * <reason>" (or running out of memory). */
int verify_apply_leaf(pnyx_state *st, uint64_t i, const uint8_t *p, size_t n);

/* The state digest in hex; CLI_EXIT_FAIL (printed) without memory. */
int verify_digest(const pnyx_state *st, char out[2 * PNYX_HASH_LEN + 1]);

/* Prints the human-readable summary of st on standard output. */
void verify_print_summary(const pnyx_state *st, const char *digest);

/* Prints the summary as one JSON object on standard output. */
int verify_print_json(const pnyx_state *st, const verify_log_id *id,
		      const char *digest);

#endif
