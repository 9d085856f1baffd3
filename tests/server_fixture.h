/*
 * The fixture the read-API tests share: a forum written by
 * tests/forum_writer into a fresh directory, served by a real logview and
 * sequencer (with the log's key) and the names of states, as
 * `pnyx serve` sets them up, but fed exchanges directly.
 */
#ifndef PNYX_TESTS_SERVER_FIXTURE_H
#define PNYX_TESTS_SERVER_FIXTURE_H

#include <stddef.h>

#include <jansson.h>

#include "pnyx/buf.h"
#include "pnyx/key.h"

#include "../src/server/http.h"

/* Creates the forum in a fresh directory named after name (its path in
 * dir, n bytes) with forum_writer, and fills *app. Fails the test on any
 * error. */
void sfx_start(struct srv_app *app, const char *forum_writer, const char *name,
	       char *dir, size_t n);

/* Stops what sfx_start started (not app->read_cache). */
void sfx_stop(struct srv_app *app);

/* The private key of actor (as forum_writer wrote it under dir). */
void sfx_load_key(const char *dir, const char *actor, pnyx_signer *out);

/* The action {type, fields} of actor in the forum "oewg" with sequence
 * number seq, encoded and signed with actor's key (sfx_load_key) into
 * *note, which this initialises (the caller clears it). fields is stolen.
 * Fails the test on any error. */
void sfx_sign_action(const char *dir, const char *actor, json_int_t seq,
		     const char *type, json_t *fields, pnyx_buf *note);

#endif
