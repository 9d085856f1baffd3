/* The larger pnyx log subcommands, in cmd_log_check.c and cmd_log_append.c. */
#ifndef PNYX_CLI_LOG_H
#define PNYX_CLI_LOG_H

#include "cli.h"

#include "pnyx/checkpoint.h"
#include "pnyx/log.h"

#include <stdio.h>

/* Appends each of the nfiles files as one entry (one transaction), or, with
 * no files, each line of standard input, batch lines per transaction. */
int cli_log_append(const char *db, uint64_t batch, int nfiles, char **files);

/* Audits a whole log file; vkey (may be NULL) pins the expected log key. */
int cli_log_verify(const char *db, const char *vkey);

/* Audits an open log as cli_log_verify does: the log's key against pinned
 * (NULL: take the key stored in the file), every entry hashed again into the
 * tree and compared with the stored root, the latest checkpoint's signature
 * and root. Writes what it found to report (stdout, or stderr when stdout
 * carries something else); the reason of a failure goes to stderr.
 * Returns CLI_EXIT_OK or CLI_EXIT_FAIL. */
int cli_log_audit(pnyx_log *log, const pnyx_verifier *pinned, FILE *report);

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
