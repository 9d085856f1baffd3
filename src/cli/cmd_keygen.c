/* pnyx keygen: create an Ed25519 signing key in the signed-note text form. */
#include "cli.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx keygen NAME [-o FILE]\n"
	"\n"
	"Creates a new signing key named NAME (for example the name of your\n"
	"delegation, office or log, such as 'pnyx.example/FRA'). The private key\n"
	"is written to FILE, readable only by you (default: NAME.key, with '/'\n"
	"replaced by '_'); an existing file is never overwritten. The public\n"
	"(verifier) key is printed on standard output: give it to those who must\n"
	"check your signatures.\n"
	"\n"
	"A name may not contain spaces or '+'.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   where to write the private key\n"
	"  -h, --help          show this help\n";

/* Default key file name: the key name with '/' replaced, plus ".key". */
static bool default_path(const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s.key", name);
	if (n < 0 || (size_t)n >= cap)
		return false;
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '_';
	return true;
}

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': path = optarg; break;
		case 'h': fputs(help, stdout); return CLI_EXIT_OK;
		default: return cli_usage_error("keygen", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("keygen", "give exactly one key NAME");
	const char *name = argv[optind];
	char def[PNYX_KEY_NAME_MAX + 8];
	if (path == NULL) {
		if (!default_path(name, def, sizeof def))
			return cli_fail("the key name is too long");
		path = def;
	}

	pnyx_signer s;
	pnyx_err err = pnyx_signer_generate(name, &s);
	if (err != PNYX_OK)
		return cli_fail("'%s' cannot be a key name: it must be 1 to %d "
				"bytes of UTF-8 without spaces or '+'",
				name, PNYX_KEY_NAME_MAX);
	pnyx_buf priv, pub;
	pnyx_buf_init(&priv, 1024);
	pnyx_buf_init(&pub, 1024);
	pnyx_verifier v;
	pnyx_signer_verifier(&s, &v);
	int rc = CLI_EXIT_FAIL;
	if (pnyx_signer_encode(&s, &priv) == PNYX_OK &&
	    pnyx_buf_puts(&priv, "\n") == PNYX_OK &&
	    pnyx_verifier_encode(&v, &pub) == PNYX_OK &&
	    pnyx_buf_puts(&pub, "\n") == PNYX_OK) {
		if (cli_write_new_file(path, priv.data, priv.len, 0600)) {
			fprintf(stderr, "pnyx: private key written to %s\n", path);
			rc = cli_write_stdout(pub.data, pub.len) ? CLI_EXIT_OK
								 : CLI_EXIT_FAIL;
		}
	} else {
		rc = cli_fail("out of memory");
	}
	if (priv.data != NULL)
		sodium_memzero(priv.data, priv.len);
	pnyx_buf_clear(&priv);
	pnyx_buf_clear(&pub);
	pnyx_signer_clear(&s);
	return rc;
}
