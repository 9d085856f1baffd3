/*
 * The witness policy in `pnyx verify URL` and `pnyx mirror`
 * (verify_witness.h).
 */
#include "verify_witness.h"

#include "cli.h"
#include "cli_text.h"

#include "pnyx/note.h"

#include <string.h>
#include <time.h>

bool cli_load_policy(const char *path, pnyx_witness_policy *out)
{
	pnyx_buf b;
	if (!cli_read_file(path, &b))
		return false;
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_witness_policy_parse(b.data, b.len, out, &diag);
	pnyx_buf_clear(&b);
	if (err != PNYX_OK) {
		char what[600];
		snprintf(what, sizeof what, "the witness policy %s", path);
		cli_fail_err(what, err, &diag);
	}
	return err == PNYX_OK;
}

/* "witness1.example (2026-01-05 12:00:00 UTC), ..." */
static void print_cosigners(const pnyx_witness_policy *p, const bool *cos,
			    const uint64_t *times, FILE *report)
{
	bool first = true;
	for (size_t i = 0; i < p->n; i++) {
		if (!cos[i])
			continue;
		char when[40];
		cli_format_time(times[i] <= INT64_MAX / 1000
					? (json_int_t)(times[i] * 1000) : -1,
				when);
		fprintf(report, "%s", first ? "" : ", ");
		cli_put_text(report, p->w[i].key.name);
		fprintf(report, " (%s)", when);
		first = false;
	}
	if (first)
		fputs("none", report);
}

bool cli_check_cosigned(const pnyx_witness_policy *p, const pnyx_buf *note,
			const pnyx_verifier *key, const char *what,
			FILE *report)
{
	pnyx_note opened = {0};
	pnyx_diag diag = {{0}};
	bool cos[PNYX_POLICY_WITNESSES_MAX];
	uint64_t times[PNYX_POLICY_WITNESSES_MAX];
	size_t count = 0;
	pnyx_err err = pnyx_note_open(note->data, note->len, CLI_NOTE_MAX, key, 1,
				      &opened, &diag);
	if (err == PNYX_OK)
		err = pnyx_witness_policy_count(p, &opened, cos, times, &count,
						&diag);
	pnyx_note_clear(&opened);
	if (report != NULL && (err == PNYX_OK || err == PNYX_ERR_UNVERIFIED)) {
		fprintf(report, "witnesses: %zu of %zu cosigned (the policy asks "
			"for %zu): ", count, p->n, p->k);
		print_cosigners(p, cos, times, report);
		fputc('\n', report);
	}
	if (err != PNYX_OK)
		cli_fail_err(what, err, &diag);
	return err == PNYX_OK;
}
