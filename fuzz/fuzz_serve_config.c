/*
 * Fuzz target for the settings of `pnyx serve` (src/server/config.c): the
 * config file parser and the listen address parser. Any input is refused
 * or accepted without a crash; accepted settings pass their own checks
 * again (a number within its range, text NUL-terminated in its field).
 */
#include <stdlib.h>
#include <string.h>

#include "../src/server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (pnyx_init() != PNYX_OK)
		abort();
	struct srv_config c;
	srv_config_defaults(&c);
	pnyx_diag diag;
	if (srv_config_parse(&c, data, size, &diag) == PNYX_OK) {
		if (memchr(c.db, 0, sizeof c.db) == NULL ||
		    memchr(c.listen, 0, sizeof c.listen) == NULL ||
		    memchr(c.ready_file, 0, sizeof c.ready_file) == NULL ||
		    c.max_body < 1024 || c.max_body > 1048576 || c.timeout < 1 ||
		    c.threads > 64 || c.max_connections < 1)
			abort();
		if (srv_config_check(&c, &diag) == PNYX_OK && c.db[0] == 0)
			abort(); /* a config without a log passed the check */
	}
	char *s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	struct srv_listen l;
	if (srv_listen_parse(s, &l, &diag) == PNYX_OK &&
	    memchr(l.host, 0, sizeof l.host) == NULL)
		abort();
	free(s);
	return 0;
}
