/*
 * pnyx demo: the demonstration forum (docs/DEMO.md), a training
 * simulation like a Model UN. Shared declarations of its files:
 *
 *   cmd_demo.c     the command: options, the folder, create or reopen,
 *                  what it prints
 *   demo_forum.c   the cast (actors, keys, the seeded draw), key files,
 *                  and demo_act: every action built, signed with the
 *                  actor's key and submitted to the same sequencer
 *                  `pnyx serve` runs (src/server/sequencer.h), in process
 *   demo_script.c  the scenes: what happens in the forum
 *   demo_report.c  what the forum holds, and how to act in it, read from
 *                  the sequencer's state
 *
 * Single-threaded apart from the sequencer's own thread.
 */
#ifndef PNYX_CLI_DEMO_H
#define PNYX_CLI_DEMO_H

#include "pnyx/action.h"
#include "pnyx/common.h"
#include "pnyx/country.h"
#include "pnyx/engine.h"
#include "pnyx/key.h"
#include "pnyx/training.h"

#include <stdio.h>

struct srv_sequencer;

#define DEMO_FORUM "training"
#define DEMO_KEY_PREFIX "pnyx.demo/"      /* key names: pnyx.demo/<actor> */
#define DEMO_LOG_KEY_NAME "pnyx.demo/log"
#define DEMO_COOP_KEY_NAME "pnyx.demo/cooperation"
#define DEMO_MAX_ACTORS 256
#define DEMO_CAST 12                      /* members with scripted parts */
#define DEMO_NORMS 11                     /* paragraphs of norms-2015.tsv */
#define DEMO_NORM_TEXT_MAX 1000           /* bytes of one norm's text */
#define DEMO_PATH_MAX 1024                /* a path in the demo folder */
#define DEMO_OPEN_DECISION "adopt-poc-directory"

struct demo_actor {
	char id[PNYX_ID_MAX + 1];
	pnyx_signer key;
	uint64_t seq;    /* the last sequence number it used */
	uint64_t coop_seq; /* the same on the cooperation log */
};

struct demo_norm {
	char id[PNYX_ID_MAX + 1];
	char text[DEMO_NORM_TEXT_MAX + 1];
};

struct demo {
	uint64_t seed;
	const pnyx_country_set *countries;     /* borrowed */
	struct demo_actor actors[DEMO_MAX_ACTORS];
	size_t nactors;
	const char *order[DEMO_MAX_ACTORS];    /* the members, shuffled by
						  the seed (borrowed codes) */
	size_t nmembers;
	struct demo_norm norms[DEMO_NORMS];
	struct srv_sequencer *seq;             /* borrowed while the script
						  runs */
	size_t accepted;                       /* actions the sequencer took */
	bool failed;                           /* sticky: an action failed */
};

/* ---- demo_forum.c ---- */

/* Fills d for seed: the members of countries in the order the seed draws
 * them (d->order), and a fresh random key for every actor of the script
 * (the secretariat, chair.1, every member, the stakeholders). Prints the
 * reason and returns false on failure. */
bool demo_cast_init(struct demo *d, const pnyx_country_set *countries,
		    uint64_t seed);

/* Wipes every key of d. */
void demo_cast_clear(struct demo *d);

/* Fills order[] with the codes of the members of countries (at most
 * DEMO_MAX_ACTORS, borrowed from countries) in the order seed draws them
 * (a Fisher-Yates shuffle driven by demo_draw) and returns their number. */
size_t demo_order(const pnyx_country_set *countries, uint64_t seed,
		  const char **order);

/* A uniformly drawn number below n (n >= 1), the i-th of label, a pure
 * function of (seed, label, i): SHA-256 of "pnyx demo/SEED/LABEL/I",
 * rejection-sampled. */
uint64_t demo_draw(uint64_t seed, const char *label, uint64_t i, uint64_t n);

/* The member with the k-th scripted part (k < DEMO_CAST): the k-th
 * member drawn by the seed. */
const char *demo_cast(const struct demo *d, size_t k);

/* The actor id, or NULL if the script has no such actor. */
struct demo_actor *demo_actor_find(struct demo *d, const char *id);

/* The verifier key text of id's key into out (cap bytes); false if id is
 * unknown or it does not fit. */
bool demo_vkey(struct demo *d, const char *id, char *out, size_t cap);

/* Takes one action: the JSON object of json_pack format fmt (the type's
 * fields) gets the envelope (forum DEMO_FORUM, actor, the actor's next
 * sequence number, type), is signed with the actor's key and submitted
 * to d->seq. Does nothing once d->failed is set; on a refusal or failure
 * prints the reason and sets d->failed. */
void demo_act(struct demo *d, const char *actor, const char *type,
	      const char *fmt, ...);

/* Writes dir/keys/<actor>.key (mode 0600, the form `pnyx keygen` writes)
 * for every actor, in a new folder dir/keys. Prints the reason and
 * returns false on failure. */
bool demo_write_keys(const struct demo *d, const char *dir);

/* Reads the 2015 norms (data_dir/norms-2015.tsv: '#' comment lines, then
 * DEMO_NORMS lines "id<TAB>text") into d->norms. Prints the reason and
 * returns false on failure. */
bool demo_load_norms(struct demo *d, const char *data_dir);

/* ---- demo_script.c ---- */

/* The stakeholders of the script, which apply for accreditation. */
extern const char *const demo_stakeholder_ids[];
extern const size_t demo_stakeholder_count;

/* Runs every scene through demo_act, from forum.create on. Returns false
 * (the reason printed) if an action was not accepted. */
bool demo_script_run(struct demo *d);

/* ---- demo_sessions.c ---- */

/* The scene of the sessions and the capacity-building board: an
 * organisational session (closed) and a substantive one left open, each
 * with its agenda adopted, statements in the six languages, a right of
 * reply, a stakeholder segment; needs, offers and pledges. */
void demo_sessions(struct demo *d);

/* Prints to stdout how a newcomer delivers a statement in the open
 * substantive session of st (the first active member of order, n codes,
 * not registered for it) with `pnyx act` on the forum served at url, the
 * keys in dir/keys; nothing if that session is not open. */
void demo_sessions_howto(const pnyx_state *st, const pnyx_country_set *cs,
			 const char *const *order, size_t n, const char *dir,
			 const char *url);

/* ---- demo_coop.c ---- */

/* Runs the cooperation scenes on the cooperation log's sequencer
 * coop_seq (cooperation already open on d->seq's forum) and writes the
 * contacts' private keys to dir/contacts/<member>.<contact>.key. Returns
 * false (the reason printed) if an action was not accepted. */
bool demo_coop_run(struct demo *d, struct srv_sequencer *coop_seq,
		   const char *dir);

/* ---- demo_report.c ---- */

/* Prints to out what the forum in st holds: its title, members,
 * documents and their revisions, decisions, stakeholders (state names
 * from countries, in English). */
void demo_report_forum(const pnyx_state *st, const pnyx_country_set *countries,
		       FILE *out);

/* Picks a member for the newcomer to act as: the first active member of
 * order (n codes, as demo_order draws them) after the scripted cast that
 * has taken no position on decision (NULL: any active member after the
 * cast). Returns its code (borrowed from order), or NULL. */
const char *demo_report_pick(const pnyx_state *st, const char *const *order,
			     size_t n, const char *decision);

/* The id of an open consensus decision (DEMO_OPEN_DECISION if still
 * open), borrowed from st; NULL if none is open. */
const char *demo_report_open_decision(const pnyx_state *st);

#endif
