/* Helpers shared by the subcommands: messages, files, keys, numbers. */
#include "cli.h"

#include "pnyx/log.h"
#include "pnyx/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("pnyx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("pnyx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pnyx %s --help'.\n", cmd);
	return CLI_EXIT_USAGE;
}

int cli_fail_err(const char *what, pnyx_err err, const pnyx_diag *diag)
{
	const char *detail = diag != NULL && diag->msg[0] != 0
				     ? diag->msg
				     : pnyx_err_text(err);
	return cli_fail("%s: %s (%s)", what, detail, pnyx_err_name(err));
}

bool cli_read_file(const char *path, pnyx_buf *out)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_fail("cannot open %s: %s", path, strerror(errno));
		return false;
	}
	pnyx_buf_init(out, CLI_INPUT_MAX);
	uint8_t chunk[65536];
	bool ok = true;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			cli_fail("cannot read %s: %s", is_stdin ? "standard input" : path,
				 strerror(errno));
			ok = false;
			break;
		}
		if (got == 0)
			break;
		if (pnyx_buf_append(out, chunk, (size_t)got) != PNYX_OK) {
			cli_fail("%s is larger than %u bytes",
				 is_stdin ? "standard input" : path, CLI_INPUT_MAX);
			ok = false;
			break;
		}
	}
	if (!is_stdin)
		close(fd);
	sodium_memzero(chunk, sizeof chunk);
	if (!ok)
		pnyx_buf_clear(out);
	return ok;
}

bool cli_write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

bool cli_write_new_file(const char *path, const uint8_t *p, size_t n,
			unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			cli_fail("%s already exists; refusing to overwrite it", path);
		else
			cli_fail("cannot create %s: %s", path, strerror(errno));
		return false;
	}
	bool ok = cli_write_all(fd, p, n) && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		cli_fail("cannot write %s: %s", path, strerror(errno));
		(void)unlink(path);
	}
	return ok;
}

bool cli_write_stdout(const uint8_t *p, size_t n)
{
	if (cli_write_all(STDOUT_FILENO, p, n))
		return true;
	cli_fail("cannot write to standard output: %s", strerror(errno));
	return false;
}

bool cli_load_signer(const char *path, pnyx_signer *out)
{
	pnyx_buf b;
	if (!cli_read_file(path, &b))
		return false;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_signer_parse(b.data, b.len, out, &diag);
	if (b.data != NULL)
		sodium_memzero(b.data, b.len);
	pnyx_buf_clear(&b);
	if (err != PNYX_OK) {
		cli_fail("%s is not a private key: %s", path,
			 diag.msg[0] ? diag.msg : pnyx_err_text(err));
		return false;
	}
	return true;
}

bool cli_load_verifier(const char *arg, pnyx_verifier *out)
{
	pnyx_diag diag = {{0}};
	pnyx_err err;
	if (arg[0] == '@') {
		pnyx_buf b;
		if (!cli_read_file(arg + 1, &b))
			return false;
		err = pnyx_verifier_parse(b.data, b.len, out, &diag);
		pnyx_buf_clear(&b);
	} else {
		err = pnyx_verifier_parse((const uint8_t *)arg, strlen(arg), out,
					  &diag);
	}
	if (err != PNYX_OK) {
		cli_fail("not a verifier key (%s): %s",
			 arg[0] == '@' ? arg + 1 : "given on the command line",
			 diag.msg[0] ? diag.msg : pnyx_err_text(err));
		return false;
	}
	return true;
}

bool cli_parse_u64(const char *cmd, const char *opt, const char *arg,
		   uint64_t *out)
{
	if (pnyx_parse_u64((const uint8_t *)arg, strlen(arg), out) == PNYX_OK)
		return true;
	cli_usage_error(cmd, "%s needs a whole number, without sign or leading zeros",
			opt);
	return false;
}

bool cli_is_help(const char *s)
{
	return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

bool cli_open_log(const char *db, pnyx_log **out)
{
	pnyx_diag diag = {{0}};
	pnyx_store *store = NULL;
	pnyx_err err = pnyx_store_sqlite_open(db, PNYX_STORE_OPEN, &store, &diag);
	if (err == PNYX_OK)
		err = pnyx_log_open(store, out, &diag);
	if (err != PNYX_OK) {
		char what[600];
		snprintf(what, sizeof what, "cannot open the log %s", db);
		cli_fail_err(what, err, &diag);
		return false;
	}
	return true;
}

bool cli_same_key(const pnyx_verifier *a, const pnyx_verifier *b)
{
	return strcmp(a->name, b->name) == 0 && a->hash == b->hash &&
	       memcmp(a->pk, b->pk, sizeof a->pk) == 0;
}
