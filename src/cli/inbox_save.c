/*
 * pnyx inbox --save DIR: the decrypted attachments written to new files
 * (inbox.h, inbox_save_attachments).
 */
#include "inbox.h"

#include "cli.h"
#include "cli_text.h"

#include "pnyx/base64.h"
#include "pnyx/coop_seal.h"
#include "pnyx/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_BYTES 120

/* s with every byte outside A-Z a-z 0-9 . _ - replaced by '_', no dot
 * first (no hidden file, no ".."), at most NAME_MAX_BYTES bytes. */
static void safe_name(const char *s, char *out)
{
	size_t j = 0;
	for (size_t i = 0; s != NULL && s[i] != 0 && j < NAME_MAX_BYTES; i++) {
		char c = s[i];
		bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			    (c == '.' && j > 0);
		out[j++] = keep ? c : '_';
	}
	if (j == 0)
		out[j++] = '_';
	out[j] = 0;
}

/* Writes one attachment of request id, entry index, into dir. */
static int save_one(const char *dir, const char *id, json_int_t index,
		    json_t *att)
{
	char rid[NAME_MAX_BYTES + 1], name[NAME_MAX_BYTES + 1], path[4096];
	safe_name(id, rid);
	safe_name(cli_str_of(att, "name"), name);
	int n = snprintf(path, sizeof path, "%s/%s-%" JSON_INTEGER_FORMAT "-%s",
			 dir, rid, index, name);
	const char *data = cli_str_of(att, "data");
	size_t len = data != NULL ? strlen(data) : 0, out_len = 0;
	uint8_t *bytes = pnyx_malloc(len / 4 * 3 + 1);
	int rc = CLI_EXIT_OK;
	if (n < 0 || (size_t)n >= sizeof path)
		rc = cli_fail("the directory's name is too long");
	else if (bytes == NULL)
		rc = cli_fail("out of memory");
	else if (pnyx_base64_decode((const uint8_t *)data, len, bytes,
				    len / 4 * 3 + 1, &out_len) != PNYX_OK)
		rc = cli_fail("the attachment %s of %s is not base64", name, rid);
	else if (!cli_write_new_file(path, bytes, out_len, 0600))
		rc = CLI_EXIT_FAIL;
	else if (json_object_set_new(att, "saved_to", json_string(path)) != 0)
		rc = cli_fail("out of memory");
	if (bytes != NULL)
		sodium_memzero(bytes, len / 4 * 3 + 1);
	pnyx_free(bytes);
	return rc;
}

int inbox_save_attachments(const char *dir, json_t *items)
{
	size_t i, j, k;
	json_t *r, *step, *att;
	int rc = CLI_EXIT_OK;
	json_array_foreach(items, i, r) {
		json_array_foreach(json_object_get(r, "steps"), j, step) {
			json_t *msg = json_object_get(step, "message");
			json_int_t index = json_integer_value(json_object_get(step, "index"));
			json_array_foreach(json_object_get(msg, "attachments"), k, att)
				if (rc == CLI_EXIT_OK)
					rc = save_one(dir, cli_str_of(r, "id"), index, att);
		}
	}
	return rc;
}
