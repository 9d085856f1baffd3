/* pnyx log append: entries from files or from the lines of standard input. */
#include "cli_log.h"

#include "pnyx/log.h"
#include "pnyx/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int append_batch(pnyx_log *log, const pnyx_entry *e, size_t n)
{
	pnyx_diag diag = {{0}};
	uint64_t first = 0;
	pnyx_err err = pnyx_log_append(log, e, n, &first, &diag);
	if (err == PNYX_ERR_TOO_LARGE)
		return cli_fail("an entry is longer than %d bytes; nothing of this "
				"batch was appended", PNYX_ENTRY_MAX);
	if (err == PNYX_ERR_MALFORMED)
		return cli_fail("an entry is empty; nothing of this batch was appended");
	if (err != PNYX_OK)
		return cli_fail_err("cannot append", err, &diag);
	printf("appended entries %llu to %llu\n", (unsigned long long)first,
	       (unsigned long long)(first + n - 1));
	return CLI_EXIT_OK;
}

static int append_files(pnyx_log *log, int nfiles, char **files)
{
	pnyx_buf *bufs = pnyx_calloc((size_t)nfiles, sizeof *bufs);
	pnyx_entry *e = pnyx_calloc((size_t)nfiles, sizeof *e);
	int rc = CLI_EXIT_FAIL, read = 0;
	if (bufs == NULL || e == NULL) {
		rc = cli_fail("out of memory");
		goto out;
	}
	for (; read < nfiles; read++) {
		if (!cli_read_file(files[read], &bufs[read]))
			goto out;
		e[read] = (pnyx_entry){bufs[read].data, bufs[read].len};
	}
	rc = append_batch(log, e, (size_t)nfiles);
out:
	for (int i = 0; i < read; i++)
		pnyx_buf_clear(&bufs[i]);
	pnyx_free(bufs);
	pnyx_free(e);
	return rc;
}

/* Appends the n lines held in data, line i ending at ends[i]. */
static int flush_lines(pnyx_log *log, const pnyx_buf *data, const size_t *ends,
		       pnyx_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t start = i > 0 ? ends[i - 1] : 0;
		e[i] = (pnyx_entry){data->data + start, ends[i] - start};
	}
	return append_batch(log, e, n);
}

/* Reads standard input line by line; appends every batch lines. */
static int append_lines(pnyx_log *log, uint64_t batch)
{
	pnyx_buf data;
	pnyx_buf_init(&data, (size_t)batch * (PNYX_ENTRY_MAX + 1));
	size_t *ends = pnyx_calloc((size_t)batch, sizeof *ends);
	pnyx_entry *e = pnyx_calloc((size_t)batch, sizeof *e);
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	int rc = ends != NULL && e != NULL ? CLI_EXIT_OK : cli_fail("out of memory");
	while (rc == CLI_EXIT_OK && (len = getline(&line, &cap, stdin)) >= 0) {
		size_t l = (size_t)len;
		if (l > 0 && line[l - 1] == '\n')
			l--;
		if (l > PNYX_ENTRY_MAX) {
			rc = cli_fail("a line is longer than %d bytes", PNYX_ENTRY_MAX);
			break;
		}
		if (pnyx_buf_append(&data, line, l) != PNYX_OK) {
			rc = cli_fail("out of memory");
			break;
		}
		ends[n++] = data.len;
		if (n < batch)
			continue;
		rc = flush_lines(log, &data, ends, e, n);
		n = 0;
		pnyx_buf_reset(&data);
	}
	if (rc == CLI_EXIT_OK && n > 0)
		rc = flush_lines(log, &data, ends, e, n);
	free(line);
	pnyx_free(ends);
	pnyx_free(e);
	pnyx_buf_clear(&data);
	return rc;
}

int cli_log_append(const char *db, uint64_t batch, int nfiles, char **files)
{
	if (db == NULL)
		return cli_usage_error("log", "--db FILE is required");
	pnyx_log *log;
	if (!cli_open_log(db, &log))
		return CLI_EXIT_FAIL;
	int rc = nfiles > 0 ? append_files(log, nfiles, files)
			    : append_lines(log, batch);
	if (rc == CLI_EXIT_OK)
		printf("the log now has %llu entries\n",
		       (unsigned long long)pnyx_log_size(log));
	pnyx_log_close(log);
	return rc;
}
