/*
 * pnyx demo: the cast and the real action path (see demo.h). Every action
 * of the demo is built here, signed with its actor's own key and handed
 * to the sequencer that `pnyx serve` runs, which checks it with the rules
 * of procedure, appends it durably and signs a receipt: the same path as
 * POST /v1/actions, without the HTTP.
 */
#include "demo.h"

#include "cli.h"

#include "pnyx/action_sign.h"
#include "pnyx/hash.h"
#include "pnyx/text.h"

#include "../server/sequencer.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

uint64_t demo_draw(uint64_t seed, const char *label, uint64_t i, uint64_t n)
{
	/* the largest multiple of n that fits: draws at or above it are
	 * drawn again, so every value below n is equally likely */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	for (uint64_t attempt = 0;; attempt++) {
		char text[256];
		int len = snprintf(text, sizeof text, "pnyx demo/%llu/%s/%llu/%llu",
				   (unsigned long long)seed, label,
				   (unsigned long long)i,
				   (unsigned long long)attempt);
		pnyx_hash h;
		pnyx_sha256(text, len > 0 ? (size_t)len : 0, &h);
		uint64_t v = 0;
		for (size_t k = 0; k < 8; k++)
			v = v << 8 | h.b[k];
		if (v < limit)
			return v % n;
	}
}

size_t demo_order(const pnyx_country_set *countries, uint64_t seed,
		  const char **order)
{
	size_t n = pnyx_country_member_count(countries);
	if (n > DEMO_MAX_ACTORS)
		n = DEMO_MAX_ACTORS;
	for (size_t i = 0; i < n; i++)
		order[i] = pnyx_country_member(countries, i);
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)demo_draw(seed, "members", i - 1, i);
		const char *t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	return n;
}

/* Adds actor id with a fresh key named DEMO_KEY_PREFIX id. */
static bool add_actor(struct demo *d, const char *id)
{
	if (d->nactors == DEMO_MAX_ACTORS) {
		cli_fail("the demo has too many actors");
		return false;
	}
	struct demo_actor *a = &d->actors[d->nactors];
	char name[PNYX_KEY_NAME_MAX + 1];
	snprintf(a->id, sizeof a->id, "%s", id);
	snprintf(name, sizeof name, DEMO_KEY_PREFIX "%s", id);
	a->seq = 0;
	if (pnyx_signer_generate(name, &a->key) != PNYX_OK) {
		cli_fail("cannot create a key for %s", id);
		return false;
	}
	d->nactors++;
	return true;
}

bool demo_cast_init(struct demo *d, const pnyx_country_set *countries,
		    uint64_t seed)
{
	d->seed = seed;
	d->countries = countries;
	d->nactors = 0;
	d->nmembers = demo_order(countries, seed, d->order);
	if (d->nmembers < DEMO_CAST + 1) {
		cli_fail("the member list has only %zu members", d->nmembers);
		return false;
	}
	bool ok = add_actor(d, "secretariat") && add_actor(d, "chair.1");
	for (size_t i = 0; ok && i < pnyx_country_member_count(countries); i++)
		ok = add_actor(d, pnyx_country_member(countries, i));
	for (size_t i = 0; ok && i < demo_stakeholder_count; i++)
		ok = add_actor(d, demo_stakeholder_ids[i]);
	return ok;
}

void demo_cast_clear(struct demo *d)
{
	for (size_t i = 0; i < d->nactors; i++)
		pnyx_signer_clear(&d->actors[i].key);
	d->nactors = 0;
}

const char *demo_cast(const struct demo *d, size_t k)
{
	return k < DEMO_CAST && k < d->nmembers ? d->order[k] : NULL;
}

struct demo_actor *demo_actor_find(struct demo *d, const char *id)
{
	for (size_t i = 0; i < d->nactors; i++)
		if (strcmp(d->actors[i].id, id) == 0)
			return &d->actors[i];
	return NULL;
}

bool demo_vkey(struct demo *d, const char *id, char *out, size_t cap)
{
	struct demo_actor *a = demo_actor_find(d, id);
	if (a == NULL)
		return false;
	pnyx_verifier v;
	pnyx_signer_verifier(&a->key, &v);
	pnyx_buf b;
	pnyx_buf_init(&b, cap - 1);
	bool ok = pnyx_verifier_encode(&v, &b) == PNYX_OK;
	if (ok)
		memcpy(out, b.data, b.len + 1);
	pnyx_buf_clear(&b);
	return ok;
}

/* Signs body (the envelope set) with a's key and submits it. */
static bool submit(struct demo *d, struct demo_actor *a, const json_t *body,
		   const char *type)
{
	pnyx_buf note;
	pnyx_buf_init(&note, PNYX_ACTION_TEXT_MAX + 1024);
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_action_sign(body, &a->key, &note, &diag);
	if (err != PNYX_OK) {
		pnyx_buf_clear(&note);
		cli_fail_err("cannot sign an action of the demo", err, &diag);
		return false;
	}
	struct srv_seq_result r;
	srv_sequencer_submit(d->seq, note.data, note.len, &r);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&r.receipt);
	if (r.outcome == SRV_SEQ_REFUSED) {
		cli_fail("the demo's action %s by %s was refused: %s: %s", type,
			 a->id, pnyx_rule_name(r.v.code), r.v.msg);
		return false;
	}
	if (r.outcome != SRV_SEQ_ACCEPTED) {
		cli_fail("the demo's action %s by %s failed: %s: %s", type, a->id,
			 r.problem, r.detail);
		return false;
	}
	a->seq++;
	d->accepted++;
	return true;
}

void demo_act(struct demo *d, const char *actor, const char *type,
	      const char *fmt, ...)
{
	/* packed even after a failure, so that the values fmt steals ("o")
	 * are always released */
	va_list ap;
	va_start(ap, fmt);
	json_error_t jerr;
	json_t *body = json_vpack_ex(&jerr, 0, fmt, ap);
	va_end(ap);
	if (d->failed) {
		json_decref(body);
		return;
	}
	d->failed = true;
	struct demo_actor *a = demo_actor_find(d, actor);
	pnyx_diag diag = {{0}};
	if (body == NULL)
		cli_fail("cannot build the demo's action %s: %s", type, jerr.text);
	else if (a == NULL)
		cli_fail("the demo has no actor %s", actor);
	else if (pnyx_action_envelope(body, DEMO_FORUM, actor, a->seq + 1, type,
				      &diag) != PNYX_OK)
		cli_fail("cannot build the demo's action %s: %s", type, diag.msg);
	else
		d->failed = !submit(d, a, body, type);
	json_decref(body);
}

bool demo_write_keys(const struct demo *d, const char *dir)
{
	char path[DEMO_PATH_MAX];
	snprintf(path, sizeof path, "%s/keys", dir);
	if (mkdir(path, 0700) != 0) {
		cli_fail("cannot create %s: %s", path, strerror(errno));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; ok && i < d->nactors; i++) {
		pnyx_buf b;
		pnyx_buf_init(&b, 1024);
		ok = pnyx_signer_encode(&d->actors[i].key, &b) == PNYX_OK &&
		     pnyx_buf_puts(&b, "\n") == PNYX_OK;
		snprintf(path, sizeof path, "%s/keys/%s.key", dir, d->actors[i].id);
		ok = ok && cli_write_new_file(path, b.data, b.len, 0600);
		if (b.data != NULL)
			sodium_memzero(b.data, b.len);
		pnyx_buf_clear(&b);
	}
	return ok;
}

/* Reads one line "id<TAB>text" of the norms file into *n. */
static bool parse_norm(const uint8_t *line, size_t len, struct demo_norm *n)
{
	const uint8_t *tab = memchr(line, '\t', len);
	if (tab == NULL)
		return false;
	size_t idn = (size_t)(tab - line), tn = len - idn - 1;
	if (!pnyx_id_is_valid(line, idn) || tn == 0 || tn > DEMO_NORM_TEXT_MAX ||
	    !pnyx_utf8_is_valid(tab + 1, tn) || memchr(tab + 1, '\t', tn) != NULL)
		return false;
	memcpy(n->id, line, idn);
	n->id[idn] = '\0';
	memcpy(n->text, tab + 1, tn);
	n->text[tn] = '\0';
	return true;
}

bool demo_load_norms(struct demo *d, const char *data_dir)
{
	char path[DEMO_PATH_MAX];
	snprintf(path, sizeof path, "%s/norms-2015.tsv", data_dir);
	pnyx_buf b;
	if (!cli_read_file(path, &b))
		return false;
	pnyx_cursor c;
	pnyx_cursor_init(&c, b.data, b.len);
	const uint8_t *line;
	size_t len, n = 0, lineno = 0;
	bool ok = true;
	while (ok && pnyx_cursor_line(&c, &line, &len)) {
		lineno++;
		if (len > 0 && line[0] == '#')
			continue;
		ok = n < DEMO_NORMS && parse_norm(line, len, &d->norms[n]);
		n++;
	}
	if (ok && (n != DEMO_NORMS || pnyx_cursor_left(&c) != 0))
		ok = false;
	pnyx_buf_clear(&b);
	if (!ok)
		cli_fail("%s: expected %d lines 'id<TAB>text' after the comment "
			 "lines, each ending in a newline (stopped at line %zu)",
			 path, DEMO_NORMS, lineno);
	return ok;
}
