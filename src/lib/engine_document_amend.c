/*
 * What members and stakeholders do with a draft: members table amendments
 * to a paragraph of its latest revision, co-sponsor and withdraw them;
 * members and accredited stakeholders submit written input; accredited
 * stakeholders comment on paragraphs. revision.issue (engine_document.c)
 * closes the open amendments. docs/actions/documents.md is the reference.
 */
#include "engine_document.h"

#include <string.h>

static const char *str_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool is_open(const json_t *amendment)
{
	return strcmp(str_of(amendment, "status"), "open") == 0;
}

/* The document named by the action's "document" field, or a verdict. */
static pnyx_rule find_document(const pnyx_state *st, const engine_ctx *c,
			       const json_t **doc, pnyx_verdict *v)
{
	*doc = doc_find(st, engine_str(c, "document"));
	if (*doc == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "no document %s",
				   engine_str(c, "document"));
	return PNYX_RULE_OK;
}

/* ---- amendment.table ---- */

static pnyx_rule check_target(const json_t *doc, const engine_ctx *c,
			      const json_t **para, pnyx_verdict *v)
{
	json_int_t rev = engine_int(c, "revision", 0);
	json_int_t latest = doc_latest_number(doc);
	if (rev < 1 || rev > latest)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "the document has no Rev.%lld", (long long)rev);
	if (rev < latest)
		return engine_fail(v, PNYX_RULE_CONFLICT,
				   "Rev.%lld was superseded by Rev.%lld: amend the "
				   "latest revision", (long long)rev, (long long)latest);
	*para = doc_paragraph(doc_latest(doc), engine_str(c, "paragraph"));
	if (*para == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "Rev.%lld has no paragraph %s", (long long)rev,
				   engine_str(c, "paragraph"));
	return PNYX_RULE_OK;
}

static pnyx_rule check_op(const pnyx_state *st, const engine_ctx *c,
			  const json_t *para, pnyx_verdict *v)
{
	const char *op = engine_str(c, "op");
	const json_t *text = engine_field(c, "text");
	if (strcmp(op, "delete") == 0)
		return text == NULL ? PNYX_RULE_OK
				    : engine_fail(v, PNYX_RULE_INVALID_FIELD,
						  "a deletion has no \"text\"");
	if (strcmp(op, "replace") != 0 && strcmp(op, "insert_after") != 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"op\" is replace, insert_after or delete");
	if (text == NULL)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "%s needs a \"text\"", op);
	pnyx_rule r = engine_check_texts(st, text, "text", DOC_PARA_TEXT_MAX, v);
	if (r == PNYX_RULE_OK && strcmp(op, "replace") == 0 &&
	    json_equal(text, json_object_get(para, "text")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "the replacement is the paragraph's current text");
	return r;
}

pnyx_rule doc_amendment_table_check(const pnyx_state *st, const engine_ctx *c,
				    pnyx_verdict *v)
{
	const char *id = engine_str(c, "id");
	if (!doc_is_id(id))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "an amendment id is 1 to 64 characters from "
				   "A-Z a-z 0-9 . _ - :");
	if (doc_find_amendment(st, id, NULL) != NULL)
		return engine_fail(v, PNYX_RULE_EXISTS, "amendment %s already exists", id);
	const json_t *doc, *para = NULL;
	pnyx_rule r = find_document(st, c, &doc, v);
	if (r == PNYX_RULE_OK)
		r = check_target(doc, c, &para, v);
	if (r == PNYX_RULE_OK)
		r = check_op(st, c, para, v);
	return r;
}

pnyx_rule doc_amendment_table_exec(pnyx_state *st, const engine_ctx *c,
				   pnyx_verdict *v)
{
	json_t *doc = doc_find(st, engine_str(c, "document"));
	const json_t *text = engine_field(c, "text");
	json_t *a = json_pack("{s:s,s:I,s:s,s:s,s:o,s:[],s:s,s:I,s:I,s:n,s:n}",
			      "sponsor", c->a->actor, "revision",
			      engine_int(c, "revision", 0), "paragraph",
			      engine_str(c, "paragraph"), "op", engine_str(c, "op"),
			      "text", text != NULL ? json_deep_copy(text) : json_null(),
			      "cosponsors", "status", "open", "tabled_ms",
			      (json_int_t)c->time_ms, "leaf", (json_int_t)c->index,
			      "closed_ms", "closed_by_revision");
	if (engine_set(json_object_get(doc, "amendments"), engine_str(c, "id"), a) !=
		    PNYX_RULE_OK ||
	    engine_set(st->amendment_docs, engine_str(c, "id"),
		       json_string(engine_str(c, "document"))) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- amendment.cosponsor, amendment.withdraw ---- */

static pnyx_rule find_amendment(const pnyx_state *st, const engine_ctx *c,
				const json_t **a, pnyx_verdict *v)
{
	*a = doc_find_amendment(st, engine_str(c, "amendment"), NULL);
	if (*a == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT, "no amendment %s",
				   engine_str(c, "amendment"));
	if (!is_open(*a))
		return engine_fail(v, PNYX_RULE_CONFLICT, "amendment %s is %s, not open",
				   engine_str(c, "amendment"), str_of(*a, "status"));
	return PNYX_RULE_OK;
}

pnyx_rule doc_amendment_cosponsor_check(const pnyx_state *st,
					const engine_ctx *c, pnyx_verdict *v)
{
	const json_t *a;
	pnyx_rule r = find_amendment(st, c, &a, v);
	if (r != PNYX_RULE_OK)
		return r;
	if (strcmp(str_of(a, "sponsor"), c->a->actor) == 0)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "%s is the sponsor, not a co-sponsor", c->a->actor);
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(a, "cosponsors"), i, s)
		if (strcmp(str_of(s, "member"), c->a->actor) == 0)
			return engine_fail(v, PNYX_RULE_CONFLICT,
					   "%s already co-sponsors amendment %s",
					   c->a->actor, engine_str(c, "amendment"));
	return PNYX_RULE_OK;
}

pnyx_rule doc_amendment_cosponsor_exec(pnyx_state *st, const engine_ctx *c,
				       pnyx_verdict *v)
{
	json_t *a = doc_find_amendment(st, engine_str(c, "amendment"), NULL);
	json_t *s = json_pack("{s:s,s:I,s:I}", "member", c->a->actor, "ms",
			      (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	if (engine_push(json_object_get(a, "cosponsors"), s) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

pnyx_rule doc_amendment_withdraw_check(const pnyx_state *st,
				       const engine_ctx *c, pnyx_verdict *v)
{
	const json_t *a = doc_find_amendment(st, engine_str(c, "amendment"), NULL);
	if (a != NULL && strcmp(str_of(a, "sponsor"), c->a->actor) != 0)
		return engine_fail(v, PNYX_RULE_NOT_PERMITTED,
				   "only its sponsor %s may withdraw amendment %s",
				   str_of(a, "sponsor"), engine_str(c, "amendment"));
	return find_amendment(st, c, &a, v);
}

pnyx_rule doc_amendment_withdraw_exec(pnyx_state *st, const engine_ctx *c,
				      pnyx_verdict *v)
{
	json_t *a = doc_find_amendment(st, engine_str(c, "amendment"), NULL);
	if (engine_set(a, "status", json_string("withdrawn")) != PNYX_RULE_OK ||
	    engine_set(a, "closed_ms", json_integer((json_int_t)c->time_ms)) !=
		    PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- input.submit ---- */

pnyx_rule doc_input_submit_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v)
{
	const json_t *doc = NULL;
	pnyx_rule r = engine_check_accredited(st, c, v);
	if (r == PNYX_RULE_OK)
		r = find_document(st, c, &doc, v);
	if (r == PNYX_RULE_OK)
		r = engine_check_texts(st, engine_field(c, "text"), "text",
				       DOC_INPUT_MAX, v);
	const char *para = engine_str(c, "paragraph");
	if (r == PNYX_RULE_OK && para != NULL &&
	    doc_paragraph(doc_latest(doc), para) == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "Rev.%lld has no paragraph %s",
				   (long long)doc_latest_number(doc), para);
	return r;
}

pnyx_rule doc_input_submit_exec(pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	json_t *doc = doc_find(st, engine_str(c, "document"));
	json_t *in = json_pack("{s:s,s:s,s:I,s:s?,s:o,s:I,s:I}", "by", c->a->actor,
			       "role", c->kind == ACTOR_MEMBER ? "member" : "stakeholder",
			       "revision", doc_latest_number(doc), "paragraph",
			       engine_str(c, "paragraph"), "text",
			       json_deep_copy(engine_field(c, "text")), "ms",
			       (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	if (engine_push(json_object_get(doc, "inputs"), in) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

/* ---- comment.add ---- */

pnyx_rule doc_comment_add_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v)
{
	const json_t *doc = NULL;
	pnyx_rule r = engine_check_accredited(st, c, v);
	if (r == PNYX_RULE_OK)
		r = find_document(st, c, &doc, v);
	if (r != PNYX_RULE_OK)
		return r;
	json_int_t n = engine_int(c, "revision", 0);
	const json_t *rev = engine_revision(st, engine_str(c, "document"), n);
	if (rev == NULL)
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "the document has no Rev.%lld", (long long)n);
	if (!engine_revision_has_paragraph(rev, engine_str(c, "paragraph")))
		return engine_fail(v, PNYX_RULE_UNKNOWN_OBJECT,
				   "Rev.%lld has no paragraph %s", (long long)n,
				   engine_str(c, "paragraph"));
	return engine_check_texts(st, engine_field(c, "text"), "text",
				  DOC_COMMENT_MAX, v);
}

pnyx_rule doc_comment_add_exec(pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v)
{
	json_t *doc = doc_find(st, engine_str(c, "document"));
	json_t *cm = json_pack("{s:s,s:I,s:s,s:o,s:I,s:I}", "by", c->a->actor,
			       "revision", engine_int(c, "revision", 0), "paragraph",
			       engine_str(c, "paragraph"), "text",
			       json_deep_copy(engine_field(c, "text")), "ms",
			       (json_int_t)c->time_ms, "leaf", (json_int_t)c->index);
	if (engine_push(json_object_get(doc, "comments"), cm) != PNYX_RULE_OK)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}
