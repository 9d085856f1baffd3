/*
 * The pnyx command-line tool: shared declarations of its subcommands and
 * helpers. The CLI is a thin adapter: it turns argv, files and stdin into
 * library calls and library errors into one-line messages.
 *
 * Exit codes: 0 success, 1 the operation failed (bad input, verification
 * failure, storage error), 2 the command line is wrong.
 */
#ifndef PNYX_CLI_H
#define PNYX_CLI_H

#include "pnyx/buf.h"
#include "pnyx/common.h"
#include "pnyx/key.h"
#include "pnyx/log.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

/* Largest input the CLI reads from a file or stdin (a signed note, a key,
 * a proof, a batch of entries). */
#define CLI_INPUT_MAX (64u * 1024u * 1024u)
/* Largest signed note the CLI accepts. */
#define CLI_NOTE_MAX (1024u * 1024u)

/* A subcommand: argv[0] is the subcommand's own name. */
typedef int (*cli_cmd_fn)(int argc, char **argv);

int cmd_keygen(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_receipt(int argc, char **argv);
int cmd_act(int argc, char **argv);
int cmd_verify_url(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_inbox(int argc, char **argv);
int cmd_mirror(int argc, char **argv);
int cmd_witness(int argc, char **argv);

/* Prints "pnyx: <message>" on stderr and returns CLI_EXIT_FAIL. */
int cli_fail(const char *fmt, ...) PNYX_PRINTF(1, 2);

/* Prints "pnyx: <message>", then "Try 'pnyx <cmd> --help'." and returns
 * CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) PNYX_PRINTF(2, 3);

/* Prints a library error as one line: "pnyx: <what>: <detail or text>"
 * and returns CLI_EXIT_FAIL. diag may be NULL or empty. */
int cli_fail_err(const char *what, pnyx_err err, const pnyx_diag *diag);

/* Reads a whole file ("-" is stdin) into out (max CLI_INPUT_MAX bytes).
 * On failure prints the reason and returns false. */
bool cli_read_file(const char *path, pnyx_buf *out);

/* Writes n bytes to a new file with the given mode, refusing to overwrite
 * an existing one; prints the reason and returns false on failure. */
bool cli_write_new_file(const char *path, const uint8_t *p, size_t n,
			unsigned mode);

/* Writes all n bytes to fd, retrying after EINTR; false (errno set, nothing
 * printed) if a write fails. */
bool cli_write_all(int fd, const uint8_t *p, size_t n);

/* Writes n bytes to stdout; false (with a message) if it fails. */
bool cli_write_stdout(const uint8_t *p, size_t n);

/* Loads a private key file; prints the reason and returns false on failure.
 * The caller wipes *out with pnyx_signer_clear. */
bool cli_load_signer(const char *path, pnyx_signer *out);

/* Parses a verifier key given as text, or as @FILE to read it from a file;
 * prints the reason and returns false on failure. */
bool cli_load_verifier(const char *arg, pnyx_verifier *out);

/* Opens the existing log in the SQLite file db into *out (close with
 * pnyx_log_close); prints "cannot open the log DB: reason" and returns
 * false on failure. */
bool cli_open_log(const char *db, pnyx_log **out);

/* True if two verifier keys are the same key (name, hash and public key). */
bool cli_same_key(const pnyx_verifier *a, const pnyx_verifier *b);

/* Parses a canonical decimal argument; prints a usage error naming opt and
 * returns false if it is not one. */
bool cli_parse_u64(const char *cmd, const char *opt, const char *arg,
		   uint64_t *out);

/* True if s is "--help" or "-h". */
bool cli_is_help(const char *s);

#endif
