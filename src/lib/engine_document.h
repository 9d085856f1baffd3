/*
 * engine_document.h — private to the documents module (engine_document*.c):
 * the limits of its actions, lookups into its state section, and the
 * checks and executions that engine_document_amend.c contributes to the
 * module's action table. docs/actions/documents.md describes the actions
 * and the section's shape.
 */
#ifndef PNYX_ENGINE_DOCUMENT_H
#define PNYX_ENGINE_DOCUMENT_H

#include "engine_internal.h"

#define DOC_TITLE_MAX 300       /* bytes of a title, per language */
#define DOC_SYMBOL_MAX 100      /* bytes of a document symbol */
#define DOC_PARA_TEXT_MAX 8000  /* bytes of a paragraph, per language */
#define DOC_PARAGRAPHS_MAX 1000 /* paragraphs in one revision */
#define DOC_INPUT_MAX 16000     /* bytes of a written input, per language */
#define DOC_COMMENT_MAX 4000    /* bytes of a comment, per language */
#define DOC_TAKEN_MAX 1000      /* amendments taken in by one revision */

/* True if s is not NULL and a valid client-chosen id (pnyx_id_is_valid). */
bool doc_is_id(const char *s);

/* The document (NULL if none); borrowed from the state. */
json_t *doc_find(const pnyx_state *st, const char *id);

/* The document's latest revision (never NULL for an existing document) and
 * its number. */
json_t *doc_latest(const json_t *doc);
json_int_t doc_latest_number(const json_t *doc);

/* The paragraph of a revision with this id (NULL if none). */
json_t *doc_paragraph(const json_t *revision, const char *id);

/* The amendment with this id in any document (NULL if none); *doc (may be
 * NULL) receives the document that holds it. */
json_t *doc_find_amendment(const pnyx_state *st, const char *id, json_t **doc);

/* Actions of engine_document_amend.c. */
pnyx_rule doc_amendment_table_check(const pnyx_state *st, const engine_ctx *c,
				    pnyx_verdict *v);
pnyx_rule doc_amendment_table_exec(pnyx_state *st, const engine_ctx *c,
				   pnyx_verdict *v);
pnyx_rule doc_amendment_cosponsor_check(const pnyx_state *st,
					const engine_ctx *c, pnyx_verdict *v);
pnyx_rule doc_amendment_cosponsor_exec(pnyx_state *st, const engine_ctx *c,
				       pnyx_verdict *v);
pnyx_rule doc_amendment_withdraw_check(const pnyx_state *st,
				       const engine_ctx *c, pnyx_verdict *v);
pnyx_rule doc_amendment_withdraw_exec(pnyx_state *st, const engine_ctx *c,
				      pnyx_verdict *v);
pnyx_rule doc_input_submit_check(const pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v);
pnyx_rule doc_input_submit_exec(pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v);
pnyx_rule doc_comment_add_check(const pnyx_state *st, const engine_ctx *c,
				pnyx_verdict *v);
pnyx_rule doc_comment_add_exec(pnyx_state *st, const engine_ctx *c,
			       pnyx_verdict *v);

#endif
