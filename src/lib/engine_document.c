/*
 * Drafts: documents and their revisions (Rev.1, Rev.2, ...), made of
 * paragraphs with ids that stay the same from one revision to the next.
 * This file holds document.create, revision.issue, the lookups the other
 * modules use (engine_revision) and the module's action table; amendments,
 * written input and comments are in engine_document_amend.c.
 * docs/actions/documents.md is the reference for every action.
 */
#include "engine_document.h"

#include "pnyx/action.h"

#include <string.h>

/* ---- lookups ---- */

bool doc_is_id(const char *s)
{
	return s != NULL && pnyx_id_is_valid((const uint8_t *)s, strlen(s));
}

json_t *doc_find(const pnyx_state *st, const char *id)
{
	if (id == NULL)
		return NULL;
	return json_object_get(engine_section(st, "documents"), id);
}

json_t *doc_latest(const json_t *doc)
{
	const json_t *revs = json_object_get(doc, "revisions");
	size_t n = json_array_size(revs);
	return n == 0 ? NULL : json_array_get(revs, n - 1);
}

json_int_t doc_latest_number(const json_t *doc)
{
	return (json_int_t)json_array_size(json_object_get(doc, "revisions"));
}

json_t *doc_paragraph(const json_t *revision, const char *id)
{
	size_t i;
	json_t *p;
	if (id == NULL)
		return NULL;
	json_array_foreach(json_object_get(revision, "paragraphs"), i, p) {
		const char *pid = json_string_value(json_object_get(p, "id"));
		if (pid != NULL && strcmp(pid, id) == 0)
			return p;
	}
	return NULL;
}

json_t *doc_find_amendment(const pnyx_state *st, const char *id, json_t **doc)
{
	if (id == NULL)
		return NULL;
	const char *doc_id = json_string_value(json_object_get(st->amendment_docs, id));
	json_t *d = doc_id != NULL ? doc_find(st, doc_id) : NULL;
	json_t *a = json_object_get(json_object_get(d, "amendments"), id);
	if (a != NULL && doc != NULL)
		*doc = d;
	return a;
}

const json_t *engine_revision(const pnyx_state *st, const char *doc,
			      json_int_t rev)
{
	const json_t *revs = json_object_get(doc_find(st, doc), "revisions");
	if (rev < 1 || (size_t)rev > json_array_size(revs))
		return NULL;
	return json_array_get(revs, (size_t)(rev - 1));
}

bool engine_revision_has_paragraph(const json_t *revision, const char *para)
{
	return doc_paragraph(revision, para) != NULL;
}

/* ---- paragraphs of a new revision ---- */

/* One entry {"id", "text"?, "norm"?} of a new revision's paragraph list;
 * prev is the latest revision (NULL for Rev.1). A paragraph that prev has
 * may leave out its text and norm mark, which it then keeps. */
static pnyx_rule check_paragraph(const pnyx_state *st, const json_t *p, size_t i,
				 const json_t *prev, pnyx_verdict *v)
{
	const char *k;
	const json_t *x;
	if (!json_is_object(p))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "paragraph %zu must be an object", i + 1);
	json_object_foreach((json_t *)p, k, x)
		if (strcmp(k, "id") != 0 && strcmp(k, "text") != 0 &&
		    strcmp(k, "norm") != 0)
			return engine_fail(v, PNYX_RULE_MALFORMED_ACTION,
					   "paragraph %zu has no field \"%.64s\"", i + 1, k);
	const char *id = json_string_value(json_object_get(p, "id"));
	if (!doc_is_id(id))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "paragraph %zu needs an \"id\" of 1 to %d characters "
				   "from A-Z a-z 0-9 . _ - :", i + 1, PNYX_ID_MAX);
	x = json_object_get(p, "norm");
	if (x != NULL && !json_is_boolean(x))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"norm\" of paragraph %s must be true or false", id);
	x = json_object_get(p, "text");
	if (x != NULL)
		return engine_check_texts(st, x, "text", DOC_PARA_TEXT_MAX, v);
	if (prev == NULL || doc_paragraph(prev, id) == NULL)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "paragraph %s is new: it needs a \"text\"", id);
	return PNYX_RULE_OK;
}

static pnyx_rule check_paragraphs(const pnyx_state *st, const json_t *paras,
				  const json_t *prev, pnyx_verdict *v)
{
	if (json_array_size(paras) == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a revision has at least one paragraph");
	size_t i, j;
	const json_t *p, *o;
	json_array_foreach(paras, i, p) {
		pnyx_rule r = check_paragraph(st, p, i, prev, v);
		if (r != PNYX_RULE_OK)
			return r;
		json_array_foreach(paras, j, o) {
			if (j >= i)
				break;
			if (json_equal(json_object_get(o, "id"), json_object_get(p, "id")))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "paragraph id %s is used twice",
						   json_string_value(json_object_get(p, "id")));
		}
	}
	return PNYX_RULE_OK;
}

/* True if the paragraph list would give a revision identical to prev. */
static bool same_as(const json_t *paras, const json_t *prev)
{
	const json_t *old = json_object_get(prev, "paragraphs");
	if (json_array_size(paras) != json_array_size(old))
		return false;
	size_t i;
	const json_t *p;
	json_array_foreach(paras, i, p) {
		const json_t *o = json_array_get(old, i);
		const json_t *t = json_object_get(p, "text");
		const json_t *n = json_object_get(p, "norm");
		if (!json_equal(json_object_get(p, "id"), json_object_get(o, "id")) ||
		    (t != NULL && !json_equal(t, json_object_get(o, "text"))) ||
		    (n != NULL && !json_equal(n, json_object_get(o, "norm"))))
			return false;
	}
	return true;
}

/* The stored paragraphs: every one with its id, its full text and its norm
 * mark, what is left out carried over from prev. New reference or NULL. */
static json_t *build_paragraphs(const json_t *given, const json_t *prev)
{
	json_t *out = json_array();
	size_t i;
	const json_t *p;
	if (out == NULL)
		return NULL;
	json_array_foreach(given, i, p) {
		const char *id = json_string_value(json_object_get(p, "id"));
		const json_t *old = doc_paragraph(prev, id);
		const json_t *text = json_object_get(p, "text");
		const json_t *norm = json_object_get(p, "norm");
		if (text == NULL)
			text = json_object_get(old, "text");
		if (norm == NULL)
			norm = old != NULL ? json_object_get(old, "norm") : json_false();
		json_t *np = json_pack("{s:s,s:o,s:b}", "id", id, "text",
				       json_deep_copy(text), "norm", json_is_true(norm));
		if (engine_push(out, np) != PNYX_RULE_OK) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* A new revision object from the action's paragraphs. */
static json_t *new_revision(const engine_ctx *c, const json_t *prev,
			    json_int_t number)
{
	json_t *paras = build_paragraphs(engine_field(c, "paragraphs"), prev);
	const json_t *taken = engine_field(c, "amendments_taken");
	if (paras == NULL)
		return NULL;
	return json_pack("{s:I,s:o,s:s,s:I,s:I,s:o}", "number", number,
			 "paragraphs", paras, "issued_by", c->a->actor, "issued_ms",
			 (json_int_t)c->time_ms, "leaf", (json_int_t)c->index,
			 "amendments_taken",
			 taken != NULL ? json_deep_copy(taken) : json_array());
}

/* ---- document.create ---- */

/* A symbol such as "A/AC.292/2025/CRP.1": printable ASCII, no spaces. */
static bool is_symbol(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

static pnyx_rule check_symbol(const pnyx_state *st, const char *symbol,
			      pnyx_verdict *v)
{
	const char *k;
	const json_t *d;
	if (symbol == NULL)
		return PNYX_RULE_OK;
	if (!is_symbol(symbol))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a symbol is printable ASCII without spaces");
	json_object_foreach(engine_section(st, "documents"), k, d) {
		const char *s = json_string_value(json_object_get(d, "symbol"));
		if (s != NULL && strcmp(s, symbol) == 0)
			return engine_fail(v, PNYX_RULE_EXISTS,
					   "document %s already has this symbol", k);
	}
	return PNYX_RULE_OK;
}

static pnyx_rule document_create_check(const pnyx_state *st,
				       const engine_ctx *c, pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	if (!doc_is_id(id))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "a document id is 1 to %d characters from "
				   "A-Z a-z 0-9 . _ - :", PNYX_ID_MAX);
	if (doc_find(st, id) != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS, "document %s already exists", id);
	pnyx_rule r = engine_check_texts(st, engine_field(c, "title"), "title",
					 DOC_TITLE_MAX, v);
	if (r == PNYX_RULE_OK)
		r = check_symbol(st, engine_str(c, "symbol"), v);
	if (r == PNYX_RULE_OK)
		r = check_paragraphs(st, engine_field(c, "paragraphs"), NULL, v);
	return r;
}

static pnyx_rule document_create_exec(pnyx_state *st, const engine_ctx *c,
				      pnyx_verdict *v)
{
	json_t *rev = new_revision(c, NULL, 1);
	json_t *doc = json_pack("{s:o,s:s?,s:s,s:I,s:I,s:[o],s:{},s:[],s:[]}",
				"title", json_deep_copy(engine_field(c, "title")),
				"symbol", engine_str(c, "symbol"), "created_by",
				c->a->actor, "created_ms", (json_int_t)c->time_ms,
				"leaf", (json_int_t)c->index, "revisions", rev,
				"amendments", "inputs", "comments");
	if (engine_set(engine_section(st, "documents"), engine_str(c, "id"), doc) !=
	    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- revision.issue ---- */

/* amendments_taken: ids of open amendments of this document, once each. */
static pnyx_rule check_taken(const json_t *doc, const json_t *taken,
			     pnyx_verdict *v)
{
	size_t i, j;
	const json_t *t, *o;
	json_array_foreach(taken, i, t) {
		const char *id = json_string_value(t);
		if (id == NULL)
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "amendments_taken lists amendment ids");
		const json_t *a = json_object_get(json_object_get(doc, "amendments"), id);
		if (a == NULL)
			return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
					   "the document has no amendment %.64s", id);
		if (strcmp(json_string_value(json_object_get(a, "status")), "open") != 0)
			return engine_fail(v, PNYX_RULE_CONFLICT,
					   "amendment %s is not open: it is %s", id,
					   json_string_value(json_object_get(a, "status")));
		json_array_foreach(taken, j, o) {
			if (j >= i)
				break;
			if (json_equal(o, t))
				return engine_fail(v, PNYX_RULE_INVALID_FIELD,
						   "amendment %s is listed twice", id);
		}
	}
	return PNYX_RULE_OK;
}

static pnyx_rule revision_issue_check(const pnyx_state *st, const engine_ctx *c,
				      pnyx_verdict *v)
{
	const json_t *doc = doc_find(st, engine_str(c, "document"));
	if (doc == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "no document %s",
				   engine_str(c, "document"));
	const json_t *prev = doc_latest(doc);
	const json_t *paras = engine_field(c, "paragraphs");
	pnyx_rule r = check_paragraphs(st, paras, prev, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (same_as(paras, prev))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "the new revision would be the same as Rev.%lld",
				   (long long)doc_latest_number(doc));
	return check_taken(doc, engine_field(c, "amendments_taken"), v);
}

static bool is_taken(const engine_ctx *c, const char *id)
{
	size_t i;
	const json_t *t;
	json_array_foreach(engine_field(c, "amendments_taken"), i, t)
		if (strcmp(json_string_value(t), id) == 0)
			return true;
	return false;
}

/* Every open amendment of the document is closed by the new revision:
 * "taken" if it took it in, "not-taken" otherwise. */
static pnyx_rule close_amendments(json_t *doc, const engine_ctx *c,
				  json_int_t number)
{
	const char *id;
	json_t *a;
	json_object_foreach(json_object_get(doc, "amendments"), id, a) {
		if (strcmp(json_string_value(json_object_get(a, "status")), "open") != 0)
			continue;
		if (engine_set(a, "status", json_string(is_taken(c, id) ? "taken"
								      : "not-taken")) !=
			    PNYX_RULE_OK ||
		    engine_set(a, "closed_ms", json_integer((json_int_t)c->time_ms)) !=
			    PNYX_RULE_OK ||
		    engine_set(a, "closed_by_revision", json_integer(number)) !=
			    PNYX_RULE_OK)
			return PNYX_RULE_NOMEM;
	}
	return PNYX_RULE_OK;
}

static pnyx_rule revision_issue_exec(pnyx_state *st, const engine_ctx *c,
				     pnyx_verdict *v)
{
	json_t *doc = doc_find(st, engine_str(c, "document"));
	json_int_t number = doc_latest_number(doc) + 1;
	json_t *rev = new_revision(c, doc_latest(doc), number);
	if (engine_push(json_object_get(doc, "revisions"), rev) != PNYX_RULE_OK ||
	    close_amendments(doc, c, number) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- the table ---- */

static const field_spec document_create_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"title", JSON_OBJECT, true, 0},
	{"symbol", JSON_STRING, false, DOC_SYMBOL_MAX},
	{"paragraphs", JSON_ARRAY, true, DOC_PARAGRAPHS_MAX},
	{NULL, 0, false, 0},
};
static const field_spec revision_issue_fields[] = {
	{"document", JSON_STRING, true, PNYX_ID_MAX},
	{"paragraphs", JSON_ARRAY, true, DOC_PARAGRAPHS_MAX},
	{"amendments_taken", JSON_ARRAY, false, DOC_TAKEN_MAX},
	{NULL, 0, false, 0},
};
static const field_spec amendment_table_fields[] = {
	{"id", JSON_STRING, true, PNYX_ID_MAX},
	{"document", JSON_STRING, true, PNYX_ID_MAX},
	{"revision", JSON_INTEGER, true, 0},
	{"paragraph", JSON_STRING, true, PNYX_ID_MAX},
	{"op", JSON_STRING, true, 16},
	{"text", JSON_OBJECT, false, 0},
	{NULL, 0, false, 0},
};
static const field_spec amendment_fields[] = {
	{"amendment", JSON_STRING, true, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec input_submit_fields[] = {
	{"document", JSON_STRING, true, PNYX_ID_MAX},
	{"text", JSON_OBJECT, true, 0},
	{"paragraph", JSON_STRING, false, PNYX_ID_MAX},
	{NULL, 0, false, 0},
};
static const field_spec comment_add_fields[] = {
	{"document", JSON_STRING, true, PNYX_ID_MAX},
	{"revision", JSON_INTEGER, true, 0},
	{"paragraph", JSON_STRING, true, PNYX_ID_MAX},
	{"text", JSON_OBJECT, true, 0},
	{NULL, 0, false, 0},
};

const action_spec engine_document_actions[] = {
	{"document.create", ACTOR_SECRETARIAT | ACTOR_CHAIR, document_create_fields,
	 document_create_check, document_create_exec},
	{"revision.issue", ACTOR_CHAIR, revision_issue_fields, revision_issue_check,
	 revision_issue_exec},
	{"amendment.table", ACTOR_MEMBER, amendment_table_fields,
	 doc_amendment_table_check, doc_amendment_table_exec},
	{"amendment.cosponsor", ACTOR_MEMBER, amendment_fields,
	 doc_amendment_cosponsor_check, doc_amendment_cosponsor_exec},
	{"amendment.withdraw", ACTOR_MEMBER, amendment_fields,
	 doc_amendment_withdraw_check, doc_amendment_withdraw_exec},
	{"input.submit", ACTOR_MEMBER | ACTOR_STAKEHOLDER, input_submit_fields,
	 doc_input_submit_check, doc_input_submit_exec},
	{"comment.add", ACTOR_STAKEHOLDER, comment_add_fields, doc_comment_add_check,
	 doc_comment_add_exec},
	{NULL, 0, NULL, NULL, NULL},
};
