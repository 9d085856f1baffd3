/*
 * engine_internal.h — how the engine's rule modules plug into its pipeline.
 * Not a public header: only src/lib/engine*.c include it.
 *
 * The pipeline (engine.c) for one leaf at time t:
 *   1. parse the leaf, the note and the action envelope;
 *   2. settle: if any module has a deadline at or before t (a silence
 *      procedure, an accreditation window; engine_due.c keeps them in a
 *      heap), every such deadline is decided in a fixed order (decisions,
 *      then applications, each by time then id), in place, recording every
 *      change in an undo log (engine_undo.c); if the leaf is then refused,
 *      the log puts the state back;
 *   3. check the forum, the actor, the signature, the sequence number
 *      (against the settled state: a member suspended or whose keys were
 *      replaced at a deadline before t is judged as such);
 *   4. find the action's spec; check the actor's kind against spec->actors
 *      and the fields against spec->fields (unknown, missing, wrong type);
 *   5. spec->check(st, ctx): every rule of the action, WITHOUT modifying st;
 *   6. spec->exec(st, ctx): apply the action. It may fail only with
 *      PNYX_RULE_NOMEM; everything else must have been refused in check;
 *   7. record the actor's sequence number and the clock.
 * So a rejected action leaves the state untouched, settled or not. The
 * time-aware predicates below stay correct either way.
 *
 * State layout: one JSON object with a section per module (docs/FORMATS.md):
 *   "forum"        engine_forum.c      id, title, rules, languages, lists
 *   "actors"       engine_forum.c      every actor id -> kind, keys, seq
 *   "members"      engine_forum.c      alpha-3 code -> status, history
 *   "stakeholders" engine_stakeholder.c
 *   "documents"    engine_document.c
 *   "decisions"    engine_decision.c
 *   "commitments"  engine_commitment.c
 *   "sessions"     engine_session.c    (engine_session.h) created by the
 *   "statements"   engine_statement.c  first action that needs them
 *   "board"        engine_board.c
 *   "clock"        engine.c            time_ms and leaves of the last leaf
 * A module writes only its own section; it reads others through the
 * functions declared here.
 */
#ifndef PNYX_ENGINE_INTERNAL_H
#define PNYX_ENGINE_INTERNAL_H

#include "pnyx/action.h"
#include "pnyx/engine.h"
#include "pnyx/key.h"
#include "pnyx/leaf.h"

#include <jansson.h>

/* Milliseconds in an hour: the rules count their windows in hours. */
#define MS_PER_HOUR UINT64_C(3600000)

/* ---- deadlines (engine_due.c) ----
 * A deadline a module registered: a silence procedure's (kind DECISION, the
 * decision id) or an objection window's (kind APPLICATION, the stakeholder
 * id). The index is a cache beside the JSON state, not part of it. */
typedef enum engine_due_kind {
	ENGINE_DUE_DECISION = 0,
	ENGINE_DUE_APPLICATION = 1,
} engine_due_kind;

typedef struct engine_deadline {
	uint64_t ms;
	engine_due_kind kind;
	char id[72]; /* ids are 1 to 64 bytes */
} engine_deadline;

typedef struct engine_deadlines {
	engine_deadline *heap; /* min-heap by (ms, kind, id) */
	size_t n, cap;
	engine_deadline *taken; /* what the settle in progress took, in order */
	size_t ntaken, taken_cap;
} engine_deadlines;

/* ---- the undo log of a settle in progress (engine_undo.c) ---- */
typedef struct engine_undo_entry {
	json_t *parent; /* the object or array changed (a reference) */
	char *key;      /* the object member, or NULL for an array element */
	size_t index;   /* the array element removed */
	json_t *old;    /* the value before (NULL: the member did not exist) */
} engine_undo_entry;

typedef struct engine_undo {
	engine_undo_entry *e;
	size_t n, cap;
	bool on; /* recording */
} engine_undo;

/* Lookup tables beside the JSON state (never part of it or its digest),
 * changed only by exec of accepted actions, never by settle:
 *   amendment_docs  amendment id -> its document's id (ids are forum-wide)
 *   open_decisions  id -> true for every decision opened and not yet seen
 *                   closed by the next decision.open (a superset of the
 *                   open ones: readers check the status) */
struct pnyx_state {
	json_t *root;
	char last_actor[PNYX_ID_MAX + 1]; /* of the last accepted leaf */
	json_t *amendment_docs;
	json_t *open_decisions;
	engine_deadlines due;
	engine_undo undo;
};

/* Kinds of actor, as a bitmask for action_spec.actors. */
enum actor_kind {
	ACTOR_SECRETARIAT = 1u << 0,
	ACTOR_CHAIR = 1u << 1,
	ACTOR_MEMBER = 1u << 2,
	ACTOR_STAKEHOLDER = 1u << 3, /* accredited or not: check says which */
	ACTOR_NEW = 1u << 4,         /* an id not yet known (applications) */
	ACTOR_LOG = 1u << 5,         /* the cooperation log ("cooperation") */
};

/* What check and exec get for one action. */
typedef struct engine_ctx {
	const pnyx_action *a; /* the action; its fields are in a->body */
	uint64_t time_ms;     /* the leaf's time */
	uint64_t index;       /* the leaf's index in the log */
	unsigned kind;        /* the actor's kind (one enum actor_kind bit) */
} engine_ctx;

/* A field of an action type: name, JSON type, required or optional, and
 * for strings the largest length in bytes, for arrays the most elements
 * (0 = no limit beyond the action's size). */
typedef struct field_spec {
	const char *name;
	json_type type; /* JSON_STRING, JSON_INTEGER, JSON_ARRAY, JSON_OBJECT,
			   JSON_TRUE (means: a boolean) */
	bool required;
	size_t max;
} field_spec;

typedef pnyx_rule (*action_check)(const pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v);
typedef pnyx_rule (*action_exec)(pnyx_state *st, const engine_ctx *c,
				 pnyx_verdict *v);

typedef struct action_spec {
	const char *type;
	unsigned actors;          /* enum actor_kind bits allowed */
	const field_spec *fields; /* ends with {NULL}; forum/actor/seq/type
				     are implicit */
	action_check check;
	action_exec exec;
} action_spec;

/* Each module's action table, ending with {NULL}. */
extern const action_spec engine_forum_actions[];
extern const action_spec engine_document_actions[];
extern const action_spec engine_decision_actions[];
extern const action_spec engine_stakeholder_actions[];
extern const action_spec engine_commitment_actions[];
extern const action_spec engine_cooperation_actions[];
extern const action_spec engine_session_actions[];
extern const action_spec engine_statement_actions[];
extern const action_spec engine_board_actions[];

/* Each module's settle function (step 2): decides the deadlines of its
 * kind that engine_due_take took (st->due.taken), in their order, changing
 * the state only through the undo log (engine_own, engine_will_set,
 * engine_will_remove). May fail only with NOMEM. */
pnyx_rule engine_decision_settle(pnyx_state *st, pnyx_verdict *v);
pnyx_rule engine_stakeholder_settle(pnyx_state *st, pnyx_verdict *v);

/* Whether a registered deadline still stands: the decision is an open
 * silence procedure with that deadline; the application is pending with
 * that window end. */
bool engine_decision_deadline_live(const pnyx_state *st, const char *id,
				   uint64_t ms);
bool engine_stakeholder_window_live(const pnyx_state *st, const char *id,
				    uint64_t ms);

/* ---- deadlines (engine_due.c) ---- */

/* Registers a deadline (in exec, when the action that sets it is
 * accepted). NOMEM only. */
pnyx_rule engine_due_add(pnyx_state *st, engine_due_kind kind, const char *id,
			 uint64_t ms);

/* True if a registered deadline that still stands is at or before
 * time_ms; drops the stale entries it meets. */
bool engine_due_any(pnyx_state *st, uint64_t time_ms);

/* Moves every entry at or before time_ms, in order, to st->due.taken for
 * the settle functions. NOMEM only. */
pnyx_rule engine_due_take(pnyx_state *st, uint64_t time_ms);

/* Ends a settle: accepted drops the taken entries (decided), otherwise
 * they go back into the index. */
void engine_due_settled(pnyx_state *st, bool accepted);

/* Frees the index. */
void engine_due_clear(pnyx_state *st);

/* ---- settling in place (engine_undo.c) ----
 * Between engine_undo_begin and engine_undo_stop, every change to the
 * state is recorded first; engine_undo_finish(st, false) then puts the
 * state back exactly. Outside that span the calls below change nothing
 * and cost nothing. */
void engine_undo_begin(pnyx_state *st);
void engine_undo_stop(pnyx_state *st);
void engine_undo_finish(pnyx_state *st, bool accepted);
void engine_undo_clear(pnyx_state *st);

/* Before obj[key] is set (added or replaced): records its value. NOMEM. */
pnyx_rule engine_will_set(pnyx_state *st, json_t *obj, const char *key);

/* Before element index of arr is removed: records it. NOMEM. */
pnyx_rule engine_will_remove(pnyx_state *st, json_t *arr, size_t index);

/* obj[key] (NULL if absent) in *out, made safe to change in place: while
 * recording, replaced by a deep copy and the original recorded. NOMEM. */
pnyx_rule engine_own(pnyx_state *st, json_t *obj, const char *key,
		     json_t **out);

/* ---- helpers for every module (engine_util.c) ---- */

/* Sets v (may be NULL) to code and a formatted sentence; returns code. */
pnyx_rule engine_fail(pnyx_verdict *v, pnyx_rule code, const char *fmt, ...)
	PNYX_PRINTF(3, 4);

/* The state section named key (always present after forum.create). */
json_t *engine_section(const pnyx_state *st, const char *key);

/* A field of the action (NULL if absent); a string field's value (NULL if
 * absent or not a string); an integer field (dflt if absent). */
json_t *engine_field(const engine_ctx *c, const char *name);
const char *engine_str(const engine_ctx *c, const char *name);
json_int_t engine_int(const engine_ctx *c, const char *name, json_int_t dflt);

/* Sets obj[key] = v, stealing the reference to v (as json_object_set_new);
 * PNYX_RULE_NOMEM if v is NULL or the set fails. */
pnyx_rule engine_set(json_t *obj, const char *key, json_t *v);

/* Appends v to the array arr, stealing the reference; NOMEM as above. */
pnyx_rule engine_push(json_t *arr, json_t *v);

/* True if s is one of the forum's working languages. */
bool engine_is_forum_language(const pnyx_state *st, const char *s);

/* Checks a multilingual text field: an object mapping language codes of the
 * forum to non-empty strings of at most max bytes, at least one. */
pnyx_rule engine_check_texts(const pnyx_state *st, const json_t *texts,
			     const char *field, size_t max, pnyx_verdict *v);

/* ---- the pipeline's steps that the cooperation engine shares (engine.c) */

/* Parses a leaf (time not before last_ms), its note's text and the action
 * in it. MALFORMED_LEAF, TIME_BACKWARDS, MALFORMED_NOTE, MALFORMED_ACTION
 * or NOMEM; on PNYX_RULE_OK the caller clears *a (also on failure). */
pnyx_rule engine_parse_leaf(uint64_t last_ms, const uint8_t *p, size_t n,
			    pnyx_leaf *leaf, pnyx_action *a, pnyx_verdict *v);

/* Verifies the leaf's note (at most max bytes) against the n keys
 * (n >= 1) of actor: OK, BAD_SIGNATURE, UNKNOWN_KEY, MALFORMED_NOTE, NOMEM. */
pnyx_rule engine_open_note(const pnyx_verifier *keys, size_t n,
			   const pnyx_leaf *leaf, size_t max, const char *actor,
			   pnyx_verdict *v);

/* SHA-256 of the canonical encoding of root (the state digests). */
pnyx_err engine_json_digest(const json_t *root, pnyx_hash *out);

/* No unknown field in body (besides the envelope), every required one, the
 * right JSON types and sizes: OK or MALFORMED_ACTION. */
pnyx_rule engine_check_fields(const char *type, const field_spec *fields,
			      const json_t *body, pnyx_verdict *v);

/* ---- what engine_forum.c offers the other modules ---- */

/* The forum's rules object (see docs/FORMATS.md "forum.create"). */
const json_t *engine_rules(const pnyx_state *st);

/* True if code is a member whose status is "active". */
bool engine_member_is_active(const pnyx_state *st, const char *code);

/* Number of active members. */
size_t engine_active_member_count(const pnyx_state *st);

/* True if the actor id is the forum's secretariat or one of its chairs. */
bool engine_is_officer(const pnyx_state *st, const char *actor);

/* Checks a membership question put to a decision (the "subject" object of
 * decision.open when it is not about a document): admit, suspend,
 * reinstate, credentials, restore-keys. */
pnyx_rule engine_member_check_subject(const pnyx_state *st,
				      const json_t *subject, pnyx_verdict *v);

/* Carries out an adopted membership decision at time_ms. NOMEM only. */
pnyx_rule engine_member_apply_subject(pnyx_state *st, const json_t *subject,
				      uint64_t time_ms, pnyx_verdict *v);

/* ---- what engine_stakeholder.c offers ---- */

/* True if the stakeholder id is accredited at time_ms (on notification, or
 * its objection window ended before time_ms with no objection standing). */
bool engine_stakeholder_is_accredited(const pnyx_state *st, const char *id,
				      uint64_t time_ms);

/* NOT_PERMITTED if the actor of c is a stakeholder not accredited at the
 * action's time (members and officers pass). */
pnyx_rule engine_check_accredited(const pnyx_state *st, const engine_ctx *c,
				  pnyx_verdict *v);

/* ---- what engine_document.c offers ---- */

/* The revision object (NULL if none) of a document: number >= 1. */
const json_t *engine_revision(const pnyx_state *st, const char *doc,
			      json_int_t rev);

/* True if the paragraph id exists in that revision. */
bool engine_revision_has_paragraph(const json_t *revision, const char *para);

/* ---- what engine_decision.c offers ---- */

/* The decision object (NULL if none). */
const json_t *engine_decision(const pnyx_state *st, const char *id);

/* Registers a new key for an actor (the actor record's "keys" array):
 * used by key.add and by stakeholder.apply. NOMEM only. */
pnyx_rule engine_actor_create(pnyx_state *st, const char *id, const char *kind,
			      const char *vkey, uint64_t time_ms,
			      pnyx_verdict *v);

#endif
