/*
 * The list of logs a witness follows, from configuration lines
 * "KEY" or "ORIGIN=KEY" (pnyx/witness.h).
 */
#include "pnyx/witness.h"

#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

/* True if the n bytes at p can be a checkpoint origin (one line of note
 * text, not empty, at most PNYX_ORIGIN_MAX bytes). */
static bool origin_is_valid(const uint8_t *p, size_t n)
{
	return n > 0 && n <= PNYX_ORIGIN_MAX &&
	       memchr(p, '\n', n) == NULL &&
	       pnyx_text_check_note_chars(p, n, "origin", NULL) == PNYX_OK;
}

static bool same_key(const pnyx_verifier *a, const pnyx_verifier *b)
{
	return a->alg == b->alg && a->hash == b->hash &&
	       strcmp(a->name, b->name) == 0 &&
	       memcmp(a->pk, b->pk, sizeof a->pk) == 0;
}

/* Splits a line into its origin and key. */
static pnyx_err split_line(const uint8_t *line, size_t n, char *origin,
			   pnyx_verifier *key, pnyx_diag *diag)
{
	if (pnyx_verifier_parse(line, n, key, NULL) == PNYX_OK) {
		memcpy(origin, key->name, strlen(key->name) + 1);
		return PNYX_OK;
	}
	const uint8_t *eq = n > 0 ? memchr(line, '=', n) : NULL;
	if (eq == NULL)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "expected a log's verifier key, or "
				     "ORIGIN=KEY");
	size_t olen = (size_t)(eq - line);
	if (!origin_is_valid(line, olen))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the origin must be 1 to %d bytes of "
				     "UTF-8 without control characters",
				     PNYX_ORIGIN_MAX);
	pnyx_diag d = {{0}};
	if (pnyx_verifier_parse(eq + 1, n - olen - 1, key, &d) != PNYX_OK)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the log's key is not a verifier key: %s",
				     d.msg);
	memcpy(origin, line, olen);
	origin[olen] = 0;
	return PNYX_OK;
}

pnyx_err pnyx_witness_config_line(pnyx_witness_log *logs, size_t *nlogs,
				  size_t cap, const uint8_t *line, size_t n,
				  pnyx_diag *diag)
{
	assert(logs != NULL && nlogs != NULL && *nlogs <= cap);
	char origin[PNYX_ORIGIN_MAX + 1];
	pnyx_verifier key;
	pnyx_err err = split_line(line, n, origin, &key, diag);
	if (err != PNYX_OK)
		return err;
	size_t i = 0;
	while (i < *nlogs && strcmp(logs[i].origin, origin) != 0)
		i++;
	if (i == *nlogs && i == cap)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "more than %zu logs", cap);
	if (i < *nlogs) {
		for (size_t k = 0; k < logs[i].nkeys; k++)
			if (same_key(&logs[i].keys[k], &key))
				return pnyx_diag_set(diag, PNYX_ERR_EXISTS,
						     "the same key is given "
						     "twice for one log");
		if (logs[i].nkeys == PNYX_WITNESS_KEYS_MAX)
			return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
					     "more than %d keys for one log",
					     PNYX_WITNESS_KEYS_MAX);
	} else {
		memset(&logs[i], 0, sizeof logs[i]);
		memcpy(logs[i].origin, origin, sizeof origin);
		(*nlogs)++;
	}
	logs[i].keys[logs[i].nkeys++] = key;
	return PNYX_OK;
}

pnyx_err pnyx_witness_config_parse(pnyx_witness_log *logs, size_t *nlogs,
				   size_t cap, const uint8_t *text, size_t n,
				   pnyx_diag *diag)
{
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, n);
	const uint8_t *line;
	size_t len;
	for (size_t no = 1; pnyx_cursor_left(&c) > 0; no++) {
		if (!pnyx_cursor_line(&c, &line, &len))
			return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					     "line %zu does not end in a "
					     "newline", no);
		if (len == 0 || line[0] == '#')
			continue;
		if (len > PNYX_WITNESS_LINE_MAX)
			return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
					     "line %zu is longer than %d bytes",
					     no, PNYX_WITNESS_LINE_MAX);
		pnyx_diag d = {{0}};
		pnyx_err err = pnyx_witness_config_line(logs, nlogs, cap, line,
							len, &d);
		if (err != PNYX_OK)
			return pnyx_diag_set(diag, err, "line %zu: %s", no,
					     d.msg);
	}
	return PNYX_OK;
}
