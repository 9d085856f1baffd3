/*
 * One step of a cooperation request, read and checked (inbox.h).
 */
#include "inbox.h"

#include "cli_text.h"

#include "pnyx/action.h"
#include "pnyx/base64.h"
#include "pnyx/coop_seal.h"
#include "pnyx/leaf.h"
#include "pnyx/mem.h"
#include "pnyx/note.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LEAF_MAX 70000u /* a leaf: header and an action of 65,535 bytes */
#define ACTOR_KEYS_MAX 32

/* The step's entry, parsed: the leaf (owned), the action in it. */
struct entry {
	uint8_t *leaf;
	size_t leaf_len;
	pnyx_leaf l;
	pnyx_action a;
};

static bool fail(json_t *step, const char *fmt, ...) PNYX_PRINTF(2, 3);

static bool fail(json_t *step, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_object_set_new(step, "error", json_string(msg));
	return false;
}

/* GET /v1/cooperation/entries/N into e. */
static bool fetch(inbox_reader *ir, json_t *step, uint64_t index,
		  struct entry *e)
{
	char target[64];
	snprintf(target, sizeof target, "/v1/cooperation/entries/%" PRIu64, index);
	json_t *r = NULL;
	pnyx_diag d = {{0}};
	if (!coop_get_json(ir->cc, target, &r, NULL, &d))
		return fail(step, "%s", d.msg);
	const char *b64 = cli_str_of(r, "leaf");
	size_t n = b64 != NULL ? strlen(b64) : 0;
	e->leaf = n > 0 && n <= pnyx_base64_len(LEAF_MAX) ? pnyx_malloc(n / 4 * 3)
							  : NULL;
	bool ok = e->leaf != NULL &&
		  pnyx_base64_decode((const uint8_t *)b64, n, e->leaf, n / 4 * 3,
				     &e->leaf_len) == PNYX_OK &&
		  json_integer_value(json_object_get(r, "index")) == (json_int_t)index;
	if (ok)
		ok = inbox_check_inclusion(ir, r, e->leaf, e->leaf_len, index, step);
	else
		fail(step, "the server's entry %" PRIu64 " is not a leaf in "
		     "base64", index);
	json_decref(r);
	if (!ok)
		return false;
	if (pnyx_leaf_parse(e->leaf, e->leaf_len, &e->l, &d) != PNYX_OK)
		return fail(step, "entry %" PRIu64 ": %s", index, d.msg);
	size_t text_len;
	if (pnyx_note_text_len(e->l.note, e->l.note_len, &text_len) != PNYX_OK ||
	    pnyx_action_parse(e->l.note, text_len, &e->a, &d) != PNYX_OK)
		return fail(step, "entry %" PRIu64 " does not hold an action",
			    index);
	return true;
}

/* The entry is the step the server described. */
static bool is_step(const struct entry *e, json_t *step)
{
	const char *type = cli_str_of(step, "type"), *actor = cli_str_of(step, "actor");
	if (type == NULL || strcmp(e->a.type, type) != 0 ||
	    (actor != NULL && strcmp(e->a.actor, actor) != 0) ||
	    json_integer_value(json_object_get(step, "time_ms")) !=
		    (json_int_t)e->l.time_ms)
		return fail(step, "the entry is not the %s the server lists",
			    type != NULL ? type : "step");
	return true;
}

/* The author's record (GET /v1/actors/ID), fetched once per actor and kept
 * in ir->actors; NULL with the step's "error" if it cannot be had. */
static const json_t *actor_record(inbox_reader *ir, const char *actor,
				  json_t *step)
{
	const json_t *known = json_object_get(ir->actors, actor);
	if (known != NULL)
		return known;
	char path[PNYX_ID_MAX + 16];
	snprintf(path, sizeof path, "/v1/actors/%s", actor);
	long status;
	json_t *r = NULL;
	pnyx_diag d = {{0}};
	if (!http_get_json(ir->cc->hc, path, &status, &r, &d) || status != 200) {
		json_decref(r);
		fail(step, "cannot read the keys of %s on the public record", actor);
		return NULL;
	}
	if (ir->actors == NULL)
		ir->actors = json_object();
	if (json_object_set_new(ir->actors, actor, r) != 0) {
		fail(step, "out of memory");
		return NULL;
	}
	return r;
}

/* The author's keys held at time_ms, from the public record. */
static size_t actor_keys(inbox_reader *ir, const char *actor, uint64_t time_ms,
			 pnyx_verifier *v, json_t *step)
{
	const json_t *r = actor_record(ir, actor, step);
	if (r == NULL)
		return 0;
	size_t i, n = 0;
	const json_t *k;
	json_array_foreach(json_object_get(json_object_get(r, "actor"), "keys"), i, k) {
		const char *text = cli_str_of(k, "key");
		const json_t *added = json_object_get(k, "added_ms");
		const json_t *revoked = json_object_get(k, "revoked_ms");
		if (n < ACTOR_KEYS_MAX && text != NULL &&
		    (!json_is_integer(added) ||
		     json_integer_value(added) <= (json_int_t)time_ms) &&
		    (!json_is_integer(revoked) ||
		     (json_int_t)time_ms < json_integer_value(revoked)) &&
		    pnyx_verifier_parse((const uint8_t *)text, strlen(text),
					&v[n], NULL) == PNYX_OK)
			n++;
	}
	if (n == 0)
		fail(step, "%s held no key at the time of this entry", actor);
	return n;
}

static bool check_signature(inbox_reader *ir, const struct entry *e,
			    json_t *step)
{
	pnyx_verifier v[ACTOR_KEYS_MAX];
	size_t nv = actor_keys(ir, e->a.actor, e->l.time_ms, v, step);
	if (nv == 0)
		return false;
	pnyx_note note = {0};
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_note_open(e->l.note, e->l.note_len, e->l.note_len, v,
				      nv, &note, &d);
	for (size_t i = 0; err == PNYX_OK && i < note.nsigs; i++)
		if (note.sigs[i].verified) {
			json_object_set_new(step, "signed_by",
					    json_string(note.sigs[i].name));
			break;
		}
	pnyx_note_clear(&note);
	if (err != PNYX_OK)
		return fail(step, "the entry is not signed by a key %s held then "
			    "(%s)", e->a.actor, pnyx_err_name(err));
	return true;
}

/* Opens the sealed body with the first key that fits. */
static bool open_sealed(inbox_reader *ir, const struct entry *e, json_t *step)
{
	const json_t *sealed = json_object_get(e->a.body, "sealed");
	if (sealed == NULL && strcmp(e->a.type, "request.decline") == 0)
		return true; /* declined without an explanation */
	pnyx_coop_envelope env = {e->a.forum, e->a.actor, e->a.seq, e->a.type};
	pnyx_err err = PNYX_ERR_NOT_FOUND;
	pnyx_diag d = {{0}};
	json_t *msg = NULL;
	for (size_t i = 0; i < ir->keys->n && err != PNYX_OK; i++) {
		pnyx_diag di = {{0}};
		pnyx_err ei = pnyx_coop_open(sealed, &env, ir->cc->actor, NULL,
					     ir->keys->sk[i], &msg, NULL, &di);
		if (i == 0 || ei == PNYX_OK || ei == PNYX_ERR_MALFORMED) {
			err = ei;
			d = di;
		}
	}
	if (err != PNYX_OK)
		return fail(step, "%s", d.msg);
	json_object_set_new(step, "message", msg);
	return true;
}

/* The author of an event without one: the sender sends, the recipient
 * acknowledges, answers and declines; a close names its author. */
static const char *event_actor(const json_t *r, const char *type)
{
	if (strcmp(type, "request.send") == 0)
		return cli_str_of(r, "from");
	if (strcmp(type, "request.close") == 0)
		return cli_str_of(r, "closed_by");
	return cli_str_of(r, "to");
}

bool inbox_steps(json_t *r)
{
	if (json_is_array(json_object_get(r, "steps")))
		return true;
	json_t *steps = json_array();
	size_t i;
	const json_t *ev;
	json_array_foreach(json_object_get(r, "events"), i, ev) {
		const char *type = cli_str_of(ev, "type");
		const char *actor = type != NULL ? event_actor(r, type) : NULL;
		json_t *s = json_pack("{s:s?,s:O?,s:O?,s:s?}", "type", type, "index",
				      json_object_get(ev, "leaf"), "time_ms",
				      json_object_get(ev, "ms"), "actor", actor);
		if (s == NULL || json_array_append_new(steps, s) != 0) {
			json_decref(steps);
			return false;
		}
	}
	return json_object_set_new(r, "steps", steps) == 0;
}

bool inbox_open_step(inbox_reader *ir, json_t *step)
{
	const char *type = cli_str_of(step, "type");
	const json_t *index = json_object_get(step, "index");
	if (type == NULL || (strcmp(type, "request.send") != 0 &&
			     strcmp(type, "request.answer") != 0 &&
			     strcmp(type, "request.decline") != 0))
		return true;
	if (!json_is_integer(index) || json_integer_value(index) < 0)
		return fail(step, "the server gave no entry number for this step");
	struct entry e = {0};
	bool ok = fetch(ir, step, (uint64_t)json_integer_value(index), &e) &&
		  is_step(&e, step) && check_signature(ir, &e, step) &&
		  open_sealed(ir, &e, step);
	pnyx_action_clear(&e.a);
	pnyx_free(e.leaf);
	return ok;
}
