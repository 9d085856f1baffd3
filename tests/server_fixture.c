/* The read-API tests' fixture: see server_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "server_fixture.h"

#include "pnyx/action.h"
#include "pnyx/note.h"

#include "../src/server/logview.h"
#include "../src/server/read_api.h"
#include "../src/server/sequencer.h"
#include "pnyx/country.h"
#include "support.h"

void sfx_load_key(const char *dir, const char *actor, pnyx_signer *out)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/f/keys/%s.key", dir, actor);
	size_t n;
	uint8_t *text = test_read_file(path, &n);
	assert_int_equal(pnyx_signer_parse(text, n, out, NULL), PNYX_OK);
	free(text);
}

void sfx_sign_action(const char *dir, const char *actor, json_int_t seq,
		     const char *type, json_t *fields, pnyx_buf *note)
{
	json_t *envelope = json_pack("{s:s,s:s,s:I,s:s}", "actor", actor, "forum",
				     "oewg", "seq", seq, "type", type);
	assert_int_equal(json_object_update(fields, envelope), 0);
	json_decref(envelope);
	pnyx_buf text;
	pnyx_buf_init(&text, 65536);
	pnyx_buf_init(note, 65536);
	assert_int_equal(pnyx_action_encode(fields, &text), PNYX_OK);
	json_decref(fields);
	pnyx_signer key;
	sfx_load_key(dir, actor, &key);
	assert_int_equal(pnyx_note_sign(text.data, text.len, &key, 1, note), PNYX_OK);
	pnyx_signer_clear(&key);
	pnyx_buf_clear(&text);
}

void sfx_start(struct srv_app *app, const char *forum_writer, const char *name,
	       char *dir, size_t n)
{
	snprintf(dir, n, "%s", test_tmpdir(name));
	char cmd[8400], path[4300];
	snprintf(cmd, sizeof cmd, "'%s' create '%s/f' >/dev/null", forum_writer, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/f/forum.db", dir);
	assert_int_equal(srv_logview_open(path, &app->log, NULL), PNYX_OK);
	pnyx_signer key;
	sfx_load_key(dir, "log", &key);
	assert_int_equal(srv_sequencer_start(app->log, &key, 1000, &app->seq, NULL),
			 PNYX_OK);
	pnyx_signer_clear(&key);
	pnyx_country_set *names;
	assert_int_equal(srv_read_names_load(PNYX_DATA_DIR, &names, NULL), PNYX_OK);
	app->countries = names;
	srv_metrics_init(&app->metrics);
	atomic_init(&app->in_flight, 0);
	app->max_body = 65536;
}

void sfx_stop(struct srv_app *app)
{
	srv_sequencer_stop(app->seq);
	pnyx_country_set_free((pnyx_country_set *)app->countries);
	srv_logview_close(app->log);
}
