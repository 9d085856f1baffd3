/* The action envelope: see pnyx/action.h. */
#include "pnyx/action.h"

#include "pnyx/json.h"
#include "pnyx/text.h"

#include <assert.h>
#include <string.h>

bool pnyx_id_is_valid(const uint8_t *p, size_t n)
{
	if (n == 0 || n > PNYX_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			  c == '-' || c == ':';
		if (!ok)
			return false;
	}
	return true;
}

/* Copies the id-valued string member key of body into out. */
static pnyx_err get_id(json_t *body, const char *key, char out[PNYX_ID_MAX + 1],
		       pnyx_diag *diag)
{
	json_t *v = json_object_get(body, key);
	if (!json_is_string(v))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the action has no \"%s\" string", key);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!pnyx_id_is_valid((const uint8_t *)s, n))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the action's \"%s\" is not a valid id "
				     "(1 to %d of A-Z a-z 0-9 . _ - :)",
				     key, PNYX_ID_MAX);
	memcpy(out, s, n + 1);
	return PNYX_OK;
}

static pnyx_err parse_envelope(json_t *body, pnyx_action *a, pnyx_diag *diag)
{
	pnyx_err err = get_id(body, "forum", a->forum, diag);
	if (err == PNYX_OK)
		err = get_id(body, "actor", a->actor, diag);
	if (err == PNYX_OK)
		err = get_id(body, "type", a->type, diag);
	if (err != PNYX_OK)
		return err;
	json_t *seq = json_object_get(body, "seq");
	if (!json_is_integer(seq) || json_integer_value(seq) < 1)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the action's \"seq\" is not a whole number "
				     "of 1 or more");
	a->seq = (uint64_t)json_integer_value(seq);
	return PNYX_OK;
}

pnyx_err pnyx_action_parse(const uint8_t *text, size_t n, pnyx_action *out,
			   pnyx_diag *diag)
{
	assert(out != NULL && (text != NULL || n == 0));
	pnyx_cursor c;
	pnyx_cursor_init(&c, text, n);
	const uint8_t *line;
	size_t len;
	if (!pnyx_cursor_line(&c, &line, &len) ||
	    !pnyx_bytes_eq(line, len, PNYX_ACTION_HEADER))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the text does not start with the line \"%s\"",
				     PNYX_ACTION_HEADER);
	if (!pnyx_cursor_line(&c, &line, &len) || pnyx_cursor_left(&c) != 0)
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "an action is exactly two lines: the header "
				     "and one line of JSON");
	pnyx_action a = {.body = NULL};
	pnyx_err err = pnyx_json_parse_canonical(line, len, PNYX_ACTION_DEPTH,
						 &a.body, diag);
	if (err != PNYX_OK)
		return err;
	err = parse_envelope(a.body, &a, diag);
	if (err != PNYX_OK) {
		json_decref(a.body);
		return err;
	}
	*out = a;
	return PNYX_OK;
}

void pnyx_action_clear(pnyx_action *a)
{
	if (a == NULL)
		return;
	json_decref(a->body);
	a->body = NULL;
}

pnyx_err pnyx_action_encode(const json_t *body, pnyx_buf *out)
{
	(void)pnyx_buf_puts(out, PNYX_ACTION_HEADER "\n");
	pnyx_err err = pnyx_json_encode(body, out);
	if (err != PNYX_OK)
		return err;
	return pnyx_buf_puts(out, "\n");
}
