/*
 * pnyx verify URL, last step: the server's word against the replay's
 * (verify_compare.h). The state digest first (equal digests, equal
 * states), then every decision through the read API, so that a server
 * whose pages say something else than its own log is caught too.
 */
#include "verify_compare.h"

#include "cli.h"
#include "cli_text.h"

#include "pnyx/action.h"
#include "pnyx/json.h"
#include "pnyx/mem.h"

#include <string.h>

#define LIST_PAGE "1000"

int verify_get_server_state(http_client *hc, verify_server_state *out)
{
	long status;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	*out = (verify_server_state){.published = false};
	if (!http_get_json(hc, "/v1/state/digest", &status, &r, &diag))
		return cli_fail("cannot read the server's state digest: %s", diag.msg);
	if (status == 404 || status == 501)
		return CLI_EXIT_OK;
	const char *digest = cli_str_of(r, "digest");
	const json_t *leaves = json_object_get(r, "leaves");
	int rc = CLI_EXIT_OK;
	if (status != 200 || digest == NULL || strlen(digest) != 2 * PNYX_HASH_LEN ||
	    !json_is_integer(leaves) || json_integer_value(leaves) < 0) {
		rc = cli_fail("the server's state digest cannot be read (HTTP %ld)",
			      status);
	} else {
		out->published = true;
		out->leaves = (uint64_t)json_integer_value(leaves);
		memcpy(out->digest, digest, sizeof out->digest);
	}
	json_decref(r);
	return rc;
}

/* Prints a difference in one member of a decision. */
static void print_difference(const char *id, const char *key,
			     const json_t *server, const json_t *replay)
{
	fputs("pnyx: decision ", stderr);
	cli_put_text(stderr, id);
	fputs(": ", stderr);
	cli_put_text(stderr, key);
	fputs(" differs: the server says ", stderr);
	cli_put_scalar(stderr, server != NULL ? server : json_null());
	fputs(", the log gives ", stderr);
	cli_put_scalar(stderr, replay != NULL ? replay : json_null());
	fputc('\n', stderr);
}

/* Compares one decision member by member; prints each difference. */
static int compare_decision(const char *id, const json_t *server,
			    const json_t *replay)
{
	int rc = CLI_EXIT_OK;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)replay, k, v) {
		if (!json_equal(json_object_get(server, k), v)) {
			print_difference(id, k, json_object_get(server, k), v);
			rc = CLI_EXIT_FAIL;
		}
	}
	json_object_foreach((json_t *)server, k, v) {
		if (strcmp(k, "id") != 0 && json_object_get(replay, k) == NULL) {
			print_difference(id, k, v, NULL);
			rc = CLI_EXIT_FAIL;
		}
	}
	return rc;
}

/* The answer's tree_size must be the replayed size. */
static int check_tree_size(const json_t *r, uint64_t size, const char *path)
{
	const json_t *t = json_object_get(r, "tree_size");
	if (json_is_integer(t) && json_integer_value(t) == (json_int_t)size)
		return CLI_EXIT_OK;
	return cli_fail("%s answers for another log size than the checkpoint's "
			"(%llu): the forum moved on; run the check again", path,
			(unsigned long long)size);
}

/* GET /v1/decisions/{id} and compare it with the replay's. */
static int check_decision(http_client *hc, const char *id,
			  const json_t *replay, uint64_t size)
{
	char path[PNYX_ID_MAX + 32];
	snprintf(path, sizeof path, "/v1/decisions/%s", id);
	long status;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	if (!http_get_json(hc, path, &status, &r, &diag))
		return cli_fail("cannot read %s: %s", path, diag.msg);
	int rc;
	if (status != 200) {
		fputs("pnyx: decision ", stderr);
		cli_put_text(stderr, id);
		fprintf(stderr, ": the server does not show it (HTTP %ld)\n", status);
		rc = CLI_EXIT_FAIL;
	} else if ((rc = check_tree_size(r, size, path)) == CLI_EXIT_OK) {
		rc = compare_decision(id, json_object_get(r, "decision"), replay);
	}
	json_decref(r);
	return rc;
}

/* One page of GET /v1/decisions: every item must be a decision of the
 * replay. Sets *next (an id, in cap bytes) or empties it after the last
 * page; *count adds the items. */
static int check_list_page(http_client *hc, const json_t *decisions,
			   uint64_t size, char *next, size_t cap, size_t *count)
{
	char path[PNYX_ID_MAX + 64];
	snprintf(path, sizeof path, "/v1/decisions?limit=" LIST_PAGE "%s%s",
		 next[0] != 0 ? "&after=" : "", next);
	long status;
	json_t *r = NULL;
	pnyx_diag diag = {{0}};
	if (!http_get_json(hc, path, &status, &r, &diag))
		return cli_fail("cannot read the list of decisions: %s", diag.msg);
	const json_t *items = json_object_get(r, "items");
	const char *cursor = cli_str_of(r, "next");
	int rc = status == 200 && json_is_array(items)
			 ? check_tree_size(r, size, "/v1/decisions")
			 : cli_fail("/v1/decisions: HTTP %ld", status);
	size_t i;
	const json_t *item;
	json_array_foreach(items, i, item) {
		const char *id = cli_str_of(item, "id");
		if (rc == CLI_EXIT_OK && (id == NULL || json_object_get(decisions, id) == NULL)) {
			fputs("pnyx: the server lists a decision the log does not hold: ",
			      stderr);
			cli_put_text(stderr, id != NULL ? id : "(no id)");
			fputc('\n', stderr);
			rc = CLI_EXIT_FAIL;
		}
	}
	*count += json_array_size(items);
	next[0] = 0;
	if (rc == CLI_EXIT_OK && cursor != NULL) {
		if (strlen(cursor) >= cap ||
		    !pnyx_id_is_valid((const uint8_t *)cursor, strlen(cursor)))
			rc = cli_fail("/v1/decisions: the next page's cursor is not an id");
		else
			memcpy(next, cursor, strlen(cursor) + 1);
	}
	json_decref(r);
	return rc;
}

/* Every decision of the replay against the server's page, then the
 * server's list against the replay. */
static int compare_decisions(http_client *hc, const pnyx_state *st,
			     uint64_t size, FILE *report)
{
	const json_t *decisions = json_object_get(pnyx_state_json(st), "decisions");
	size_t n;
	const char **ids = pnyx_json_sorted_keys(decisions, &n);
	int rc = CLI_EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (check_decision(hc, ids[i], json_object_get(decisions, ids[i]),
				   size) != CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
	pnyx_free(ids);
	char next[PNYX_ID_MAX + 1] = "";
	size_t listed = 0;
	int pages = 0;
	do {
		if (check_list_page(hc, decisions, size, next, sizeof next,
				    &listed) != CLI_EXIT_OK)
			return CLI_EXIT_FAIL;
	} while (next[0] != 0 && ++pages < 100000);
	if (listed != json_object_size(decisions))
		rc = cli_fail("the server lists %zu decisions, the log holds %zu",
			      listed, json_object_size(decisions));
	if (rc == CLI_EXIT_OK)
		fprintf(report, "decisions: the server shows all %zu exactly as the "
			"log gives them (status, positions, tally, outcome)\n",
			json_object_size(decisions));
	return rc;
}

int verify_compare(http_client *hc, const pnyx_state *st, uint64_t size,
		   const char *digest, const verify_server_state *server,
		   FILE *report)
{
	if (!server->published) {
		fprintf(report, "%s publishes no forum state (a static mirror?): "
			"the outcomes above come from the log alone; there is "
			"nothing to compare them with\n", http_client_base(hc));
		return CLI_EXIT_OK;
	}
	int rc = CLI_EXIT_OK;
	if (server->leaves != size || strcmp(server->digest, digest) != 0)
		rc = cli_fail("the server's state digest (%s after %llu leaves) is "
			      "not the log's (%s after %llu): the server shows "
			      "another state than its own log gives",
			      server->digest, (unsigned long long)server->leaves,
			      digest, (unsigned long long)size);
	else
		fprintf(report, "state digest: the server's is the same\n");
	if (compare_decisions(hc, st, size, report) != CLI_EXIT_OK)
		rc = CLI_EXIT_FAIL;
	return rc;
}
