/*
 * coop_get: one GET of the cooperation API signed as a member
 * (src/cli/coop_client.c), for tests/coop_cli.sh.
 *
 *   coop_get URL KEYFILE ACTOR TARGET
 *
 * Writes the answer's body on stdout and "HTTP <status>" on stderr; exit
 * 0 when an answer came, 1 otherwise.
 */
#include "cli.h"
#include "coop_client.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 5 || pnyx_init() != PNYX_OK) {
		fputs("usage: coop_get URL KEYFILE ACTOR TARGET\n", stderr);
		return 1;
	}
	pnyx_signer key;
	if (!cli_load_signer(argv[2], &key))
		return 1;
	pnyx_diag d = {{0}};
	http_client *hc = http_client_new(argv[1], 30, &d);
	coop_client cc;
	pnyx_buf body;
	pnyx_buf_init(&body, HTTP_JSON_MAX);
	long status = 0;
	bool ok = hc != NULL && coop_client_init(&cc, hc, &key, argv[3], &d) &&
		  coop_get(&cc, argv[4], HTTP_JSON_MAX, &body, &status, &d);
	if (ok) {
		fwrite(body.data != NULL ? body.data : (const uint8_t *)"", 1,
		       body.len, stdout);
		fprintf(stderr, "HTTP %ld\n", status);
	} else {
		fprintf(stderr, "coop_get: %s\n", d.msg);
	}
	pnyx_buf_clear(&body);
	http_client_free(hc);
	pnyx_signer_clear(&key);
	return ok ? 0 : 1;
}
