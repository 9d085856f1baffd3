/*
 * pnyx inbox: reading one step of a cooperation request (inbox_open.c):
 * its entry from the server, the author's signature checked against the
 * public record, its sealed body opened with the contact's keys.
 */
#ifndef PNYX_CLI_INBOX_H
#define PNYX_CLI_INBOX_H

#include "coop_client.h"

#include "pnyx/hpke.h"
#include "pnyx/key.h"

#include <jansson.h>

#define INBOX_KEYS_MAX 8

/* The contact private keys that may open a message (secret: wipe). */
typedef struct inbox_keys {
	uint8_t sk[INBOX_KEYS_MAX][PNYX_HPKE_SK_LEN];
	size_t n;
} inbox_keys;

typedef struct inbox_reader {
	coop_client *cc;        /* borrowed: the member's signed client */
	const inbox_keys *keys; /* borrowed */
	bool have_log_key;      /* log_key was read from the public record */
	pnyx_verifier log_key;  /* the cooperation log's key */
	json_t *actors;         /* owned, NULL at first: actor id -> its answer
				   of GET /v1/actors/ID (fetched once);
				   json_decref when done */
} inbox_reader;

/* For a step ({"type","index","time_ms","actor"}) of type request.send,
 * request.answer or request.decline: fetches its entry, checks that it is
 * that action, signed by a key its author held at the entry's time (GET
 * /v1/actors/ID), and opens its sealed body with one of the keys for a
 * contact of the member. Adds to step "message" (the plaintext) and
 * "signed_by" (the key's name), or "error" (one sentence) and returns
 * false. A decline without a message, and steps of other types, are left
 * as they are (true). */
bool inbox_open_step(inbox_reader *ir, json_t *step);

/* Checks that leaf (n bytes) is entry index of the cooperation log: the
 * answer resp of GET /v1/cooperation/entries/N holds "checkpoint" (a
 * checkpoint signed with the cooperation log's key, which the public
 * record names: GET /v1/actors/cooperation) and "proof" (base64 hashes),
 * an inclusion proof of the leaf in it. Adds "included_in" (the
 * checkpoint's size) to step, or "error" and returns false. */
bool inbox_check_inclusion(inbox_reader *ir, const json_t *resp,
			   const uint8_t *leaf, size_t n, uint64_t index,
			   json_t *step);

/* Writes every decrypted attachment of the requests in items (their
 * steps' "message") to a new file DIR/<request id>-<entry>-<name> (mode
 * 0600; names reduced to A-Z a-z 0-9 . _ -), and records its path as the
 * attachment's "saved_to". Refuses to overwrite a file. An exit code. */
int inbox_save_attachments(const char *dir, json_t *items);

/* Gives the request object r (from GET /v1/cooperation/requests) a list
 * "steps" of {"type","index","time_ms","actor"} if it has none, from its
 * "events" ({"type","leaf","ms"}). false if memory runs out. */
bool inbox_steps(json_t *r);

#endif
