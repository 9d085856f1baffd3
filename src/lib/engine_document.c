/* placeholder: documents, revisions, amendments (being written) */
#include "engine_internal.h"

const action_spec engine_document_actions[] = {{NULL, 0, NULL, NULL, NULL}};

const json_t *engine_revision(const pnyx_state *st, const char *doc, json_int_t rev)
{
	(void)st; (void)doc; (void)rev;
	return NULL;
}

bool engine_revision_has_paragraph(const json_t *revision, const char *para)
{
	(void)revision; (void)para;
	return false;
}
