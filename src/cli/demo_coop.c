/*
 * pnyx demo: the cooperation scenes (docs/COOPERATION.md). The secretariat
 * opens cooperation on the forum's log; members of the cast register
 * points of contact, each with an X25519 key of its own; they exchange
 * encrypted requests (an incident notification acknowledged, answered and
 * closed; a data request declined on human-rights grounds; a request for
 * assistance still waiting); the secretariat runs a ping round that one
 * member leaves unanswered. Every action goes through the cooperation
 * log's own sequencer (src/server/coop_log.h), encrypted for real.
 */
#include "cli.h"
#include "demo.h"

#include "pnyx/action_sign.h"
#include "pnyx/base64.h"
#include "pnyx/coop_seal.h"
#include "pnyx/mem.h"

#include "../server/sequencer.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Members of the cast that register points of contact. */
#define COOP_CAST 8

/* One contact of the cast: who, its id, its key pair. */
struct coop_contact {
	const char *member;
	char id[16];
	uint8_t sk[PNYX_HPKE_SK_LEN];
	uint8_t pk[PNYX_HPKE_PK_LEN];
};

struct coop_demo {
	struct demo *d;
	struct srv_sequencer *seq;
	struct coop_contact contacts[2 * COOP_CAST];
	size_t ncontacts;
};

/* Signs body (envelope set) with the actor's key and submits it to the
 * cooperation log's sequencer. */
static void submit(struct coop_demo *c, struct demo_actor *a, json_t *body,
		   const char *type)
{
	struct demo *d = c->d;
	pnyx_buf note;
	pnyx_buf_init(&note, PNYX_ACTION_TEXT_MAX + 1024);
	pnyx_diag diag = {{0}};
	d->failed = true;
	if (pnyx_action_sign(body, &a->key, &note, &diag) != PNYX_OK) {
		cli_fail("cannot sign the demo's %s: %s", type, diag.msg);
		pnyx_buf_clear(&note);
		return;
	}
	struct srv_seq_result r;
	srv_sequencer_submit(c->seq, note.data, note.len, &r);
	pnyx_buf_clear(&note);
	pnyx_buf_clear(&r.receipt);
	if (r.outcome == SRV_SEQ_ACCEPTED) {
		a->coop_seq++;
		d->accepted++;
		d->failed = false;
	} else {
		cli_fail("the demo's cooperation action %s by %s was refused: %s",
			 type, a->id, r.outcome == SRV_SEQ_REFUSED ? r.v.msg : r.detail);
	}
}

/* The recipients of a message between two members: every contact of
 * both. */
static size_t recipients(const struct coop_demo *c, const char *a,
			 const char *b, pnyx_coop_recipient *r)
{
	size_t n = 0;
	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct coop_contact *k = &c->contacts[i];
		if (strcmp(k->member, a) == 0 || strcmp(k->member, b) == 0) {
			r[n] = (pnyx_coop_recipient){k->member, k->id, {0}};
			memcpy(r[n].pk, k->pk, sizeof r[n].pk);
			n++;
		}
	}
	return n;
}

/* One cooperation action of actor: fields packed from fmt; with `text`
 * (may be NULL) sealed to the contacts of actor and `other`. */
static void act(struct coop_demo *c, const char *actor, const char *other,
		const char *text, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *body = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	struct demo *d = c->d;
	struct demo_actor *a = demo_actor_find(d, actor);
	if (d->failed || body == NULL || a == NULL) {
		if (!d->failed)
			cli_fail("cannot build the demo's %s", type);
		d->failed = true;
		json_decref(body);
		return;
	}
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_action_envelope(body, DEMO_FORUM, actor,
					    a->coop_seq + 1, type, &diag);
	if (err == PNYX_OK && text != NULL) {
		pnyx_coop_recipient r[2 * COOP_CAST];
		size_t n = recipients(c, actor, other, r);
		pnyx_coop_envelope env = {DEMO_FORUM, actor, a->coop_seq + 1, type};
		json_t *plain = json_pack("{s:s}", "text", text), *sealed = NULL;
		err = plain != NULL ? pnyx_coop_seal(plain, &env, r, n, &sealed, &diag)
				    : PNYX_ERR_NOMEM;
		json_decref(plain);
		if (err == PNYX_OK && json_object_set_new(body, "sealed", sealed) != 0)
			err = PNYX_ERR_NOMEM;
	}
	if (err != PNYX_OK) {
		cli_fail("cannot build the demo's %s: %s", type, diag.msg);
		d->failed = true;
	} else {
		submit(c, a, body, type);
	}
	json_decref(body);
}

/* ---- the scenes ---- */

static json_t *contact_json(const struct coop_contact *k, const char *function,
			    const pnyx_country_set *cs)
{
	char b64[64];
	pnyx_base64_encode(k->pk, sizeof k->pk, b64, sizeof b64);
	const char *name = pnyx_country_name(cs, k->member, "en");
	char who[160], email[96];
	snprintf(who, sizeof who, "%s duty officer (%s, fictitious)",
		 strcmp(function, "technical") == 0 ? "CERT" : "Cyber desk",
		 name != NULL ? name : k->member);
	snprintf(email, sizeof email, "%s@%s.example", k->id, k->member);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s,s],s:s}", "id", k->id,
			 "function", function, "name", who, "email", email, "phone",
			 "+00 000 000 000 (fictitious)", "hours",
			 strcmp(function, "technical") == 0 ? "24/7" : "Mon-Fri 09:00-18:00",
			 "time_zone", "UTC", "languages", "en", "fr", "key", b64);
}

/* Each member of the cast gets a technical and a diplomatic contact. */
static void register_contacts(struct coop_demo *c)
{
	static const char *const functions[] = {"technical", "diplomatic"};
	for (size_t m = 0; m < COOP_CAST && !c->d->failed; m++) {
		const char *member = demo_cast(c->d, m);
		json_t *list = json_array();
		for (size_t f = 0; f < 2; f++) {
			struct coop_contact *k = &c->contacts[c->ncontacts++];
			k->member = member;
			snprintf(k->id, sizeof k->id, "%s", f == 0 ? "cert" : "desk");
			if (pnyx_hpke_keypair(k->sk, k->pk) != PNYX_OK)
				c->d->failed = true;
			json_array_append_new(list, contact_json(k, functions[f],
								 c->d->countries));
		}
		uint8_t salt[32];
		char salt64[64];
		randombytes_buf(salt, sizeof salt);
		pnyx_base64_encode(salt, sizeof salt, salt64, sizeof salt64);
		act(c, member, NULL, NULL, "poc.register", "{s:o,s:s}", "contacts",
		    list, "salt", salt64);
	}
}

static void requests(struct coop_demo *c)
{
	struct demo *d = c->d;
	const char *m0 = demo_cast(d, 0), *m1 = demo_cast(d, 1),
		   *m2 = demo_cast(d, 2), *m3 = demo_cast(d, 3),
		   *m4 = demo_cast(d, 4);
	char id[PNYX_ID_MAX + 1];
	snprintf(id, sizeof id, "%s:%llu", m0,
		 (unsigned long long)demo_actor_find(d, m0)->coop_seq + 1);
	act(c, m0, m1, "Training exercise: our CERT sees scanning of energy "
	    "grid control systems from addresses announced in your network. "
	    "Indicators attached in the real exercise.", "request.send",
	    "{s:s,s:s,s:s,s:s}", "to", m1, "kind", "incident", "severity",
	    "high", "tlp", "AMBER");
	act(c, m1, NULL, NULL, "request.ack", "{s:s}", "request", id);
	act(c, m1, m0, "Training exercise: the addresses belong to a hosting "
	    "provider; it has taken the machines offline.", "request.answer",
	    "{s:s}", "request", id);
	act(c, m0, NULL, NULL, "request.close", "{s:s}", "request", id);
	snprintf(id, sizeof id, "%s:%llu", m2,
		 (unsigned long long)demo_actor_find(d, m2)->coop_seq + 1);
	act(c, m2, m3, "Training exercise: subscriber data of an account used "
	    "in a fraud scheme.", "request.send", "{s:s,s:s,s:s,s:s,s:s}", "to",
	    m3, "kind", "data", "severity", "medium", "tlp", "RED",
	    "legal_basis", "Training exercise: a mutual legal assistance "
	    "treaty between the two states (fictitious)");
	act(c, m3, m2, "Training exercise: the account belongs to a "
	    "journalist; we decline.", "request.decline", "{s:s,s:s}",
	    "request", id, "grounds", "human-rights");
	act(c, m4, m1, "Training exercise: we ask for help to assess a "
	    "ransomware sample.", "request.send", "{s:s,s:s,s:s,s:s}", "to", m1,
	    "kind", "assistance", "severity", "medium", "tlp", "GREEN");
}

static void ping_round(struct coop_demo *c)
{
	act(c, "secretariat", NULL, NULL, "ping.start", "{s:s}", "round",
	    "ping-1");
	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct coop_contact *k = &c->contacts[i];
		if (strcmp(k->member, demo_cast(c->d, COOP_CAST - 1)) != 0)
			act(c, k->member, NULL, NULL, "ping.ack", "{s:s,s:s}",
			    "round", "ping-1", "contact", k->id);
	}
}

/* Writes DIR/contacts/<member>.<contact>.key for every contact. */
static bool write_contact_keys(const struct coop_demo *c, const char *dir)
{
	char path[DEMO_PATH_MAX];
	snprintf(path, sizeof path, "%s/contacts", dir);
	if (mkdir(path, 0700) != 0) {
		cli_fail("cannot create %s: %s", path, strerror(errno));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; ok && i < c->ncontacts; i++) {
		const struct coop_contact *k = &c->contacts[i];
		char name[PNYX_KEY_NAME_MAX + 1];
		snprintf(name, sizeof name, DEMO_KEY_PREFIX "%s.%s", k->member, k->id);
		pnyx_buf b;
		pnyx_buf_init(&b, 1024);
		ok = pnyx_coop_key_encode(name, k->sk, &b) == PNYX_OK;
		snprintf(path, sizeof path, "%s/contacts/%s.%s.key", dir, k->member,
			 k->id);
		ok = ok && cli_write_new_file(path, b.data, b.len, 0600);
		if (b.data != NULL)
			sodium_memzero(b.data, b.len);
		pnyx_buf_clear(&b);
	}
	return ok;
}

bool demo_coop_run(struct demo *d, struct srv_sequencer *coop_seq,
		   const char *dir)
{
	struct coop_demo *c = pnyx_calloc(1, sizeof *c);
	if (c == NULL) {
		cli_fail("out of memory");
		return false;
	}
	c->d = d;
	c->seq = coop_seq;
	register_contacts(c);
	requests(c);
	ping_round(c);
	bool ok = !d->failed && write_contact_keys(c, dir);
	sodium_memzero(c, sizeof *c);
	pnyx_free(c);
	return ok;
}
