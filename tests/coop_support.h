/*
 * A harness for cooperation engine tests, on top of engine_support.h: a
 * public forum (eng) with cooperation open, and a cooperation log whose
 * actions are signed with the same actors' keys and applied with
 * pnyx_coop_apply against the forum's public state, as the server will.
 *
 *   coop_h h;
 *   coop_h_init(&h, codes, 5);               // forum + cooperation.open
 *   coop_h_register(&h, "KEN", 2);           // poc.register, 2 contacts
 *   COOP_OK(&h, "KEN", "request.send", "{s:s,...}", ...);
 *   coop_h_check_replay(&h);
 *   coop_h_free(&h);
 *
 * Every refused action is checked to leave the digest unchanged. Accepted
 * leaves and their audiences are kept in order for replays.
 */
#ifndef PNYX_TEST_COOP_SUPPORT_H
#define PNYX_TEST_COOP_SUPPORT_H

#include "engine_support.h"
#include "pnyx/coop.h"

#define COOP_H_MAX_LEAVES 8192

typedef struct coop_h {
	eng e;                     /* the public forum; e.now is the clock */
	pnyx_coop *c;              /* the live cooperation state (whole log) */
	uint64_t seq[ENG_MAX_ACTORS]; /* last cooperation seq per eng actor */
	pnyx_buf *leaves;          /* accepted cooperation leaves, in order */
	pnyx_coop_audience *aud;   /* and their audiences */
	size_t n;
	pnyx_verdict last;
} coop_h;

/* The rules of cooperation.open in these tests: ack_hours low 168, medium
 * 72, high 24, critical 2; ping window 48 h; publish per_member, pings. */
json_t *coop_h_rules(void);

/* A forum with the members codes, then cooperation.open by the
 * secretariat with the log key of actor "cooperation" (coop_h_rules). */
void coop_h_init(coop_h *h, const char *const *codes, size_t n);

/* The same without cooperation.open. */
void coop_h_init_closed(coop_h *h, const char *const *codes, size_t n);
void coop_h_free(coop_h *h);

/* Builds {forum, actor, seq, type, fields from fmt}; seq 0 means the
 * actor's next on the cooperation log; signer NULL means the actor's own
 * key. Signs, wraps in a leaf at h->e.now, applies. Returns the verdict
 * (also in h->last). */
pnyx_rule coop_h_vact(coop_h *h, const char *actor, uint64_t seq,
		      const pnyx_signer *signer, const char *type,
		      const char *fmt, va_list ap);
pnyx_rule coop_h_act(coop_h *h, const char *actor, const char *type,
		     const char *fmt, ...);
pnyx_rule coop_h_act_ex(coop_h *h, const char *actor, uint64_t seq,
			const pnyx_signer *signer, const char *type,
			const char *fmt, ...);

/* A contact {"id", "function", ...} with a valid X25519-sized key. New. */
json_t *coop_h_contact(const char *id, const char *function);

/* poc.register for member with n contacts: "tech-1" (technical), then
 * "dipl-2", "dipl-3", ... (diplomatic). Asserts it is accepted. */
void coop_h_register(coop_h *h, const char *member, size_t n);

/* A sealed body to the contact "tech-1" of a and of b. New. */
json_t *coop_h_sealed(const char *a, const char *b);

/* request.send from -> to, accepted; writes its id ("FROM:seq") to id
 * (64 + 24 bytes). kind "data" gets a legal_basis. */
void coop_h_send(coop_h *h, const char *from, const char *to, const char *kind,
		 const char *severity, char *id);

/* Replays the accepted leaves into a new whole-log state (checking and
 * trusting signatures) and asserts the digest equals the live one. */
void coop_h_check_replay(coop_h *h);

/* A new state of the given scope with the accepted leaves for which
 * keep(audience, arg) is true applied (asserts each is accepted). */
pnyx_coop *coop_h_replay(coop_h *h, pnyx_coop_scope scope,
			 bool (*keep)(const pnyx_coop_audience *, const char *),
			 const char *arg);

/* Fails, in turn, each allocation made while applying accepted leaf i to
 * the state of leaves 0..i-1: every run must end in PNYX_RULE_NOMEM, or in
 * PNYX_RULE_OK with exactly the fault-free state; any other refusal must
 * leave the state untouched; ASan checks for leaks. Returns how many runs
 * ended in PNYX_RULE_NOMEM. */
uint64_t coop_h_fault_loop(coop_h *h, size_t i);

/* A value of the cooperation state by a path of keys, NULL-terminated. */
const json_t *coop_h_get(coop_h *h, ...);

/* An integer at that path (asserts it is one). */
json_int_t coop_h_int(coop_h *h, ...);

#define COOP_OK(h, ...)                                                       \
	do {                                                                  \
		pnyx_rule r_ = coop_h_act(h, __VA_ARGS__);                    \
		if (r_ != PNYX_RULE_OK)                                       \
			fail_msg("expected ok, got %s: %s", pnyx_rule_name(r_), \
				 (h)->last.msg);                              \
	} while (0)

#define COOP_RULE(h, rule, ...)                                               \
	do {                                                                  \
		pnyx_rule r_ = coop_h_act(h, __VA_ARGS__);                    \
		if (r_ != (rule))                                             \
			fail_msg("expected %s, got %s: %s", pnyx_rule_name(rule), \
				 pnyx_rule_name(r_), (h)->last.msg);          \
	} while (0)

#endif
