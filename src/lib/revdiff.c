/*
 * The paragraph-by-paragraph difference between two revisions: see
 * pnyx/revdiff.h for the contract and the order of the entries.
 */
#include "pnyx/revdiff.h"

#include <assert.h>
#include <string.h>

/* The two revisions' paragraph lists and, for each, an object mapping a
 * paragraph id to its position. */
typedef struct diff_ctx {
	const json_t *from, *to;
	json_t *from_index, *to_index;
	json_t *out;
} diff_ctx;

static const char *para_id(const json_t *p)
{
	return json_string_value(json_object_get(p, "id"));
}

static pnyx_err check_paragraph(const json_t *p, size_t i, const char *which,
				pnyx_diag *diag)
{
	const json_t *id = json_object_get(p, "id");
	const json_t *norm = json_object_get(p, "norm");
	if (!json_is_object(p) || !json_is_string(id) || json_string_length(id) == 0 ||
	    strlen(json_string_value(id)) != json_string_length(id))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "paragraph %zu of the %s revision has no valid "
				     "\"id\"", i + 1, which);
	if (!json_is_object(json_object_get(p, "text")) ||
	    (norm != NULL && !json_is_boolean(norm)))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "paragraph %zu of the %s revision needs a \"text\" "
				     "object and a boolean \"norm\" if any", i + 1, which);
	return PNYX_OK;
}

/* Checks a revision and returns its paragraph list and index. */
static pnyx_err index_revision(const json_t *rev, const char *which,
			       const json_t **list, json_t **index, pnyx_diag *diag)
{
	const json_t *paras = json_object_get(rev, "paragraphs");
	if (!json_is_object(rev) || !json_is_array(paras))
		return pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
				     "the %s revision has no \"paragraphs\" list", which);
	if (json_array_size(paras) > PNYX_REVDIFF_MAX_PARAGRAPHS)
		return pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE,
				     "the %s revision has more than %d paragraphs",
				     which, PNYX_REVDIFF_MAX_PARAGRAPHS);
	json_t *idx = json_object();
	if (idx == NULL)
		return PNYX_ERR_NOMEM;
	size_t i;
	const json_t *p;
	json_array_foreach(paras, i, p) {
		pnyx_err err = check_paragraph(p, i, which, diag);
		if (err == PNYX_OK && json_object_get(idx, para_id(p)) != NULL)
			err = pnyx_diag_set(diag, PNYX_ERR_MALFORMED,
					    "paragraph %zu of the %s revision repeats "
					    "an id", i + 1, which);
		if (err == PNYX_OK &&
		    json_object_set_new(idx, para_id(p), json_integer((json_int_t)i)) != 0)
			err = PNYX_ERR_NOMEM;
		if (err != PNYX_OK) {
			json_decref(idx);
			return err;
		}
	}
	*list = paras;
	*index = idx;
	return PNYX_OK;
}

static json_t *text_of(const json_t *p)
{
	return p == NULL ? json_null() : json_deep_copy(json_object_get(p, "text"));
}

static json_t *norm_of(const json_t *p)
{
	return p == NULL ? json_null()
			 : json_boolean(json_is_true(json_object_get(p, "norm")));
}

/* Appends one entry; a is the paragraph in `from`, b in `to` (either NULL). */
static pnyx_err emit(diff_ctx *d, const json_t *a, const json_t *b)
{
	const char *change = "unchanged";
	if (a == NULL)
		change = "added";
	else if (b == NULL)
		change = "removed";
	else if (!json_equal(json_object_get(a, "text"), json_object_get(b, "text")) ||
		 json_is_true(json_object_get(a, "norm")) !=
			 json_is_true(json_object_get(b, "norm")))
		change = "changed";
	json_t *e = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "paragraph",
			      para_id(a != NULL ? a : b), "change", change, "from",
			      text_of(a), "to", text_of(b), "from_norm", norm_of(a),
			      "to_norm", norm_of(b));
	if (e == NULL || json_array_append_new(d->out, e) != 0)
		return PNYX_ERR_NOMEM;
	return PNYX_OK;
}

/* Emits the paragraphs of `from` from position k on that `to` no longer
 * has, up to the next one it kept. */
static pnyx_err emit_removed(diff_ctx *d, size_t k)
{
	for (; k < json_array_size(d->from); k++) {
		const json_t *a = json_array_get(d->from, k);
		if (json_object_get(d->to_index, para_id(a)) != NULL)
			break;
		pnyx_err err = emit(d, a, NULL);
		if (err != PNYX_OK)
			return err;
	}
	return PNYX_OK;
}

static pnyx_err walk(diff_ctx *d)
{
	pnyx_err err = emit_removed(d, 0);
	size_t j;
	const json_t *b;
	json_array_foreach(d->to, j, b) {
		if (err != PNYX_OK)
			break;
		const json_t *pos = json_object_get(d->from_index, para_id(b));
		size_t k = (size_t)json_integer_value(pos);
		err = emit(d, pos != NULL ? json_array_get(d->from, k) : NULL, b);
		if (err == PNYX_OK && pos != NULL)
			err = emit_removed(d, k + 1);
	}
	return err;
}

pnyx_err pnyx_revision_diff(const json_t *from, const json_t *to, json_t **out,
			    pnyx_diag *diag)
{
	assert(from != NULL && to != NULL && out != NULL);
	diff_ctx d = {0};
	pnyx_err err = index_revision(from, "first", &d.from, &d.from_index, diag);
	if (err == PNYX_OK)
		err = index_revision(to, "second", &d.to, &d.to_index, diag);
	if (err == PNYX_OK && (d.out = json_array()) == NULL)
		err = PNYX_ERR_NOMEM;
	if (err == PNYX_OK)
		err = walk(&d);
	json_decref(d.from_index);
	json_decref(d.to_index);
	if (err != PNYX_OK) {
		json_decref(d.out);
		if (err == PNYX_ERR_NOMEM)
			pnyx_diag_set(diag, err, "out of memory");
		return err;
	}
	*out = d.out;
	return PNYX_OK;
}
