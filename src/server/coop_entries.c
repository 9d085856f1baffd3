/*
 * The entries of the cooperation log a member may read, with proofs
 * (docs/API.md "Cooperation"): the list (its own requests' entries and
 * those every member reads), one entry with its inclusion proof in the
 * latest checkpoint, the checkpoint itself and consistency proofs. The
 * others' entries are never served: a member sees their hashes only
 * inside proofs.
 */
#include "coop_read.h"
#include "coop_log.h"
#include "actor_index.h"
#include "read_common.h"
#include "sequencer.h"

#include "pnyx/base64.h"
#include "pnyx/leaf.h"
#include "pnyx/log.h"
#include "pnyx/mem.h"
#include "pnyx/merkle.h"
#include "pnyx/text.h"

#include <string.h>

/* Up to max indices (ascending) from index `from` on that c's caller may
 * read, into out; *more when further ones follow. Under the state lock. */
static pnyx_err visible(const struct coop_ctx *c, uint64_t from,
			uint64_t *out, size_t max, size_t *n, bool *more)
{
	const struct srv_actor_index *ix = srv_sequencer_actor_index(c->seq);
	uint64_t *mine = pnyx_malloc(2 * max * sizeof *mine);
	if (mine == NULL)
		return PNYX_ERR_NOMEM;
	uint64_t *all = mine + max;
	size_t nm = 0, na = 0;
	bool more_m = false, more_a = false;
	pnyx_err err = PNYX_OK;
	if (c->caller.kind == SRV_CALLER_MEMBER)
		err = srv_actor_index_page(ix, c->caller.actor, from, mine, max,
					   &nm, &more_m);
	if (err == PNYX_OK)
		err = srv_actor_index_page(ix, SRV_COOP_ALL, from, all, max, &na,
					   &more_a);
	size_t i = 0, j = 0;
	*n = 0;
	while (err == PNYX_OK && *n < max && (i < nm || j < na))
		out[(*n)++] = j >= na || (i < nm && mine[i] < all[j]) ? mine[i++]
								     : all[j++];
	*more = i < nm || j < na || more_m || more_a;
	pnyx_free(mine);
	return err;
}

/* The item {index, time_ms, leaf} of entry i. */
static json_t *entry_item(pnyx_log *log, uint64_t i, pnyx_buf *buf)
{
	pnyx_buf_reset(buf);
	pnyx_leaf leaf;
	if (pnyx_log_entry(log, i, buf) != PNYX_OK ||
	    pnyx_leaf_parse(buf->data, buf->len, &leaf, NULL) != PNYX_OK)
		return NULL;
	size_t cap = (buf->len + 2) / 3 * 4 + 1;
	char *b64 = pnyx_malloc(cap);
	if (b64 == NULL)
		return NULL;
	pnyx_base64_encode(buf->data, buf->len, b64, cap);
	json_t *item = json_pack("{s:I,s:I,s:s}", "index", (json_int_t)i,
				 "time_ms", (json_int_t)leaf.time_ms, "leaf", b64);
	pnyx_free(b64);
	return item;
}

/* The items of the n entries at idx[]. */
static json_t *entry_items(struct srv_logview *lv, const uint64_t *idx,
			   size_t n)
{
	json_t *items = json_array();
	pnyx_buf buf;
	pnyx_buf_init(&buf, PNYX_ENTRY_MAX + 64);
	pnyx_log *log = srv_logview_lock(lv);
	for (size_t k = 0; items != NULL && k < n; k++) {
		json_t *item = entry_item(log, idx[k], &buf);
		if (item == NULL || json_array_append_new(items, item) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	srv_logview_unlock(lv);
	pnyx_buf_clear(&buf);
	return items;
}

void srv_h_coop_entries(const struct srv_request *req,
			struct srv_response *resp)
{
	size_t limit;
	uint64_t from = 0;
	if (!read_limit(req, resp, &limit))
		return;
	if (read_query(req, "after") != NULL) {
		uint64_t after;
		if (!srv_query_u64(req, resp, "after", &after))
			return;
		from = after + 1;
	}
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	uint64_t *idx = pnyx_malloc(limit * sizeof *idx);
	size_t n = 0;
	bool more = false;
	pnyx_err err = idx != NULL ? visible(&c, from, idx, limit, &n, &more)
				   : PNYX_ERR_NOMEM;
	coop_release(&c); /* the entries below are committed: no lock needed */
	if (err != PNYX_OK) {
		pnyx_free(idx);
		coop_abort(&c);
		srv_problem_err(resp, err, NULL);
		return;
	}
	coop_put(&c, "items", entry_items(srv_coop_logview(req->app->coop), idx, n));
	coop_put(&c, "next", more && n > 0 ? json_integer((json_int_t)idx[n - 1])
					   : json_null());
	pnyx_free(idx);
	coop_end(&c);
}

/* The size the checkpoint text (a signed note) signs: its second line. */
static bool checkpoint_size(const pnyx_buf *cp, uint64_t *size)
{
	const uint8_t *nl = memchr(cp->data, '\n', cp->len);
	if (nl == NULL)
		return false;
	const uint8_t *p = nl + 1, *end = cp->data + cp->len;
	const uint8_t *nl2 = memchr(p, '\n', (size_t)(end - p));
	return nl2 != NULL &&
	       pnyx_parse_u64(p, (size_t)(nl2 - p), size) == PNYX_OK;
}

/* The latest checkpoint, signed now if the entry is newer than it. */
static pnyx_err checkpoint_covering(struct srv_request const *req,
				    uint64_t index, pnyx_buf *cp,
				    uint64_t *size)
{
	struct srv_logview *lv = srv_coop_logview(req->app->coop);
	pnyx_err err = srv_logview_checkpoint(lv, cp);
	if (err == PNYX_OK && checkpoint_size(cp, size) && index < *size)
		return PNYX_OK;
	if (srv_sequencer_checkpoint(req->app->coop_seq) != PNYX_OK)
		return PNYX_ERR_STORAGE;
	pnyx_buf_reset(cp);
	err = srv_logview_checkpoint(lv, cp);
	if (err == PNYX_OK && !(checkpoint_size(cp, size) && index < *size))
		err = PNYX_ERR_CORRUPT;
	return err;
}

/* {proof: [...], checkpoint: text} for entry index. */
static void put_proof(struct coop_ctx *c, const struct srv_request *req,
		      uint64_t index)
{
	pnyx_buf cp;
	pnyx_buf_init(&cp, 65536);
	uint64_t size = 0;
	pnyx_hash hashes[PNYX_MERKLE_MAX_PROOF];
	size_t n = 0;
	pnyx_err err = checkpoint_covering(req, index, &cp, &size);
	if (err == PNYX_OK) {
		struct srv_logview *lv = srv_coop_logview(req->app->coop);
		pnyx_log *log = srv_logview_lock(lv);
		err = pnyx_log_inclusion_proof(log, index, size, hashes, &n);
		srv_logview_unlock(lv);
	}
	json_t *list = err == PNYX_OK ? json_array() : NULL;
	for (size_t i = 0; list != NULL && i < n; i++) {
		char b64[PNYX_HASH_B64_LEN + 1];
		pnyx_base64_encode(hashes[i].b, sizeof hashes[i].b, b64, sizeof b64);
		if (json_array_append_new(list, json_string(b64)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	coop_put(c, "proof", list);
	coop_put(c, "proof_size", json_integer((json_int_t)size));
	coop_put(c, "checkpoint", json_stringn((const char *)cp.data, cp.len));
	pnyx_buf_clear(&cp);
}

void srv_h_coop_entry(const struct srv_request *req, struct srv_response *resp)
{
	uint64_t index;
	if (pnyx_parse_u64((const uint8_t *)req->args[0], strlen(req->args[0]),
			   &index) != PNYX_OK) {
		srv_problem(resp, "bad-target", "an entry is named by its index, "
			    "a decimal number");
		return;
	}
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	uint64_t found = 0;
	size_t n = 0;
	bool more;
	pnyx_err err = visible(&c, index, &found, 1, &n, &more);
	coop_release(&c);
	if (err != PNYX_OK || n == 0 || found != index) {
		coop_abort(&c);
		if (err != PNYX_OK)
			srv_problem_err(resp, err, NULL);
		else
			srv_problem(resp, "not-found", "no entry %llu that you "
				    "may read", (unsigned long long)index);
		resp->cache_control = "no-store";
		return;
	}
	json_t *items = entry_items(srv_coop_logview(req->app->coop), &index, 1);
	json_t *item = json_array_get(items, 0);
	coop_put(&c, "index", json_integer((json_int_t)index));
	coop_put(&c, "time_ms", json_incref(json_object_get(item, "time_ms")));
	coop_put(&c, "leaf", json_incref(json_object_get(item, "leaf")));
	json_decref(items);
	put_proof(&c, req, index);
	coop_end(&c);
}

void srv_h_coop_checkpoint(const struct srv_request *req,
			   struct srv_response *resp)
{
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	coop_abort(&c);
	srv_log_checkpoint(srv_coop_logview(req->app->coop), resp);
	resp->cache_control = "private, no-store";
	resp->cacheable = false;
}

void srv_h_coop_consistency(const struct srv_request *req,
			    struct srv_response *resp)
{
	struct coop_ctx c;
	if (!coop_begin(&c, req, resp, ACCESS_MEMBERS_SECRETARIAT))
		return;
	coop_abort(&c);
	srv_log_consistency(srv_coop_logview(req->app->coop), req, resp);
	resp->cache_control = "private, no-store";
	resp->cacheable = false;
}
