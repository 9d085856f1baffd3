/* The read API: documents with their revisions, paragraphs and
 * amendments, and the paragraph-level difference between two revisions
 * (pnyx/revdiff.h) (docs/API.md). */
#include "read_api.h"
#include "read_common.h"

#include "pnyx/revdiff.h"
#include "pnyx/text.h"

#include <string.h>

/* A revision without its paragraphs, with their number instead. */
static json_t *revision_summary(const json_t *rev)
{
	json_t *s = read_copy(rev);
	size_t n = json_array_size(json_object_get(rev, "paragraphs"));
	if (s == NULL || json_object_del(s, "paragraphs") != 0 ||
	    json_object_set_new(s, "paragraph_count",
				json_integer((json_int_t)n)) != 0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *revision_summaries(const json_t *revs)
{
	json_t *list = json_array();
	for (size_t i = 0; list != NULL && i < json_array_size(revs); i++)
		if (json_array_append_new(list, revision_summary(
					  json_array_get(revs, i))) != 0) {
			json_decref(list);
			list = NULL;
		}
	return list;
}

/* A list item: id, title, symbol, who created it and when, how many
 * revisions and amendments. */
static json_t *document_item(const char *id, const json_t *d, void *arg)
{
	(void)arg;
	return json_pack("{s:s,s:O?,s:O?,s:O?,s:O?,s:I,s:I}", "id", id, "title",
			 json_object_get(d, "title"), "symbol",
			 json_object_get(d, "symbol"), "created_by",
			 json_object_get(d, "created_by"), "created_ms",
			 json_object_get(d, "created_ms"), "revisions",
			 (json_int_t)json_array_size(json_object_get(d, "revisions")),
			 "amendments",
			 (json_int_t)json_object_size(json_object_get(d, "amendments")));
}

void srv_h_documents(const struct srv_request *req, struct srv_response *resp)
{
	struct read_page pg;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !read_begin(&c, req, resp))
		return;
	read_list(&c, read_section(&c, "documents"), &pg, NULL, document_item,
		  NULL);
	read_end(&c);
}

/* The document named by the path, or NULL after failing with 404. */
static const json_t *document(struct read_ctx *c, const char *id)
{
	const json_t *d = json_object_get(read_section(c, "documents"), id);
	if (d == NULL)
		read_fail(c, "not-found", "no document of this forum has this id");
	return d;
}

void srv_h_document(const struct srv_request *req, struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const json_t *d = document(&c, req->args[0]);
	json_t *doc = d != NULL ? read_copy_with(d, "id", req->args[0]) : NULL;
	if (doc != NULL &&
	    json_object_set_new(doc, "revisions", revision_summaries(
				json_object_get(d, "revisions"))) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	if (d != NULL)
		read_put(&c, "document", doc);
	read_end(&c);
}

/* The revision of document d whose number is text (from the path), or
 * NULL if text is not a canonical decimal naming one; *num its number. */
static const json_t *revision(const json_t *d, const char *text, uint64_t *num)
{
	const json_t *revs = json_object_get(d, "revisions");
	uint64_t n;
	if (pnyx_parse_u64((const uint8_t *)text, strlen(text), &n) != PNYX_OK ||
	    n < 1 || n > json_array_size(revs))
		return NULL;
	*num = n;
	return json_array_get(revs, (size_t)(n - 1));
}

/* The amendments tabled to revision num, with their ids. */
static json_t *amendments_to(const json_t *d, uint64_t num)
{
	json_t *list = json_array();
	const char *id;
	const json_t *a;
	json_object_foreach(json_object_get(d, "amendments"), id, a) {
		json_int_t r = json_integer_value(json_object_get(a, "revision"));
		if (list == NULL || r < 0 || (uint64_t)r != num)
			continue;
		if (json_array_append_new(list, read_copy_with(a, "id", id)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

void srv_h_revision(const struct srv_request *req, struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const json_t *d = document(&c, req->args[0]), *rev = NULL;
	uint64_t num = 0;
	if (d != NULL && (rev = revision(d, req->args[1], &num)) == NULL)
		read_fail(&c, "not-found", "this document has no revision of "
			  "that number");
	if (rev != NULL) {
		read_put(&c, "document",
			 json_pack("{s:s,s:O?}", "id", req->args[0], "title",
				   json_object_get(d, "title")));
		read_put(&c, "revision", json_incref((json_t *)rev));
		read_put(&c, "amendments", amendments_to(d, num));
	}
	read_end(&c);
}

/* ?from and ?to, both required canonical decimals. False after
 * answering 400. */
static bool diff_params(const struct srv_request *req,
			struct srv_response *resp, uint64_t *from, uint64_t *to)
{
	return srv_query_u64(req, resp, "from", from) &&
	       srv_query_u64(req, resp, "to", to);
}

void srv_h_diff(const struct srv_request *req, struct srv_response *resp)
{
	uint64_t from, to;
	struct read_ctx c;
	if (!diff_params(req, resp, &from, &to) || !read_begin(&c, req, resp))
		return;
	const json_t *d = document(&c, req->args[0]);
	const json_t *revs = json_object_get(d, "revisions");
	json_t *diff = NULL;
	pnyx_diag diag = {{0}};
	pnyx_err err;
	if (d == NULL) {
		/* answered */
	} else if (from < 1 || to < 1 || from > json_array_size(revs) ||
		   to > json_array_size(revs)) {
		read_fail(&c, "not-found", "this document has %zu revisions, "
			  "numbered from 1", json_array_size(revs));
	} else if ((err = pnyx_revision_diff(
			    json_array_get(revs, (size_t)(from - 1)),
			    json_array_get(revs, (size_t)(to - 1)), &diff,
			    &diag)) != PNYX_OK) {
		read_fail(&c, err == PNYX_ERR_NOMEM ? "out-of-memory" : "internal",
			  "cannot compare the revisions: %s", diag.msg);
	} else {
		read_put(&c, "document", json_string(req->args[0]));
		read_put(&c, "from", json_integer((json_int_t)from));
		read_put(&c, "to", json_integer((json_int_t)to));
		read_put(&c, "paragraphs", diff);
	}
	read_end(&c);
}
