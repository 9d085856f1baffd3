/* The fault-injecting store wrapper: see fault_store.h. */
#include "fault_store.h"

#include "pnyx/fault.h"

#include <stdlib.h>

typedef struct fault_store {
	pnyx_store base; /* first */
	pnyx_store *inner;
} fault_store;

static pnyx_store *inner_of(pnyx_store *s)
{
	return ((fault_store *)(void *)s)->inner;
}

/* Each forwarding function below: fail here, or call the inner store. */

static pnyx_err f_begin(pnyx_store *s)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->begin(in);
}

static pnyx_err f_commit(pnyx_store *s)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->commit(in);
}

static void f_rollback(pnyx_store *s)
{
	pnyx_store *in = inner_of(s);
	in->ops->rollback(in);
}

static pnyx_err f_get_size(pnyx_store *s, uint64_t *size)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->get_size(in, size);
}

static pnyx_err f_set_size(pnyx_store *s, uint64_t size)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->set_size(in, size);
}

static pnyx_err f_put_entry(pnyx_store *s, uint64_t index, const uint8_t *p,
			    size_t n)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->put_entry(in, index, p, n);
}

static pnyx_err f_get_entry(pnyx_store *s, uint64_t index, pnyx_buf *out)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->get_entry(in, index, out);
}

/* A scan passes one fault point to start and one before each entry it
 * hands on, so a fault loop also fails a scan half-way through, as a read
 * error on a later page would. */
struct f_scan {
	pnyx_entry_fn fn;
	void *ctx;
};

static pnyx_err f_scan_entry(void *ctx, uint64_t index, const uint8_t *p,
			     size_t n)
{
	struct f_scan *sc = ctx;
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : sc->fn(sc->ctx, index, p, n);
}

static pnyx_err f_scan_entries(pnyx_store *s, uint64_t from, uint64_t to,
			       pnyx_entry_fn fn, void *ctx)
{
	pnyx_store *in = inner_of(s);
	struct f_scan sc = {fn, ctx};
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->scan_entries(in, from, to,
							 f_scan_entry, &sc);
}

static pnyx_err f_put_hash(pnyx_store *s, unsigned level, uint64_t index,
			   const pnyx_hash *h)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->put_hash(in, level, index, h);
}

static pnyx_err f_get_hashes(pnyx_store *s, unsigned level, uint64_t index,
			     size_t count, pnyx_hash *out)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->get_hashes(in, level, index, count, out);
}

static pnyx_err f_put_checkpoint(pnyx_store *s, uint64_t size,
				 const uint8_t *note, size_t n)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->put_checkpoint(in, size, note, n);
}

static pnyx_err f_get_checkpoint(pnyx_store *s, pnyx_buf *out)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->get_checkpoint(in, out);
}

static pnyx_err f_get_meta(pnyx_store *s, const char *key, pnyx_buf *out)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->get_meta(in, key, out);
}

static pnyx_err f_put_meta(pnyx_store *s, const char *key, const uint8_t *v,
			   size_t n)
{
	pnyx_store *in = inner_of(s);
	return pnyx_fault_hit() ? PNYX_ERR_STORAGE
				 : in->ops->put_meta(in, key, v, n);
}

static void f_close(pnyx_store *s)
{
	pnyx_store_close(inner_of(s));
	free(s);
}

static const struct pnyx_store_ops fault_ops = {
	.begin = f_begin,
	.commit = f_commit,
	.rollback = f_rollback,
	.get_size = f_get_size,
	.set_size = f_set_size,
	.put_entry = f_put_entry,
	.get_entry = f_get_entry,
	.scan_entries = f_scan_entries,
	.put_hash = f_put_hash,
	.get_hashes = f_get_hashes,
	.put_checkpoint = f_put_checkpoint,
	.get_checkpoint = f_get_checkpoint,
	.get_meta = f_get_meta,
	.put_meta = f_put_meta,
	.close = f_close,
};

pnyx_store *fault_store_wrap(pnyx_store *inner)
{
	fault_store *f = calloc(1, sizeof *f);
	if (f == NULL)
		abort();
	f->base.ops = &fault_ops;
	f->inner = inner;
	return &f->base;
}
