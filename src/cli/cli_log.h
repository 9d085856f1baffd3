/* The larger pnyx log subcommands, in cmd_log_check.c and cmd_log_append.c. */
#ifndef PNYX_CLI_LOG_H
#define PNYX_CLI_LOG_H

#include "cli.h"

#include "pnyx/checkpoint.h"

/* Appends each of the nfiles files as one entry (one transaction), or, with
 * no files, each line of standard input, batch lines per transaction. */
int cli_log_append(const char *db, uint64_t batch, int nfiles, char **files);

/* Audits a whole log file; vkey (may be NULL) pins the expected log key. */
int cli_log_verify(const char *db, const char *vkey);

/* Checks a proof file against signed checkpoint files: an inclusion proof
 * of the entry in entry_path, or a consistency proof from old_path. */
int cli_log_check_proof(const char *vkey, const char *checkpoint_path,
			const char *proof_path, const char *entry_path,
			const char *old_path);

/* Opens a signed checkpoint note with key and parses it into *cp, whose
 * extension pointer borrows note_buf. Prints the reason on failure. */
bool cli_open_checkpoint(const pnyx_buf *note_buf, const pnyx_verifier *key,
			 const char *what, pnyx_checkpoint *cp);

#endif
