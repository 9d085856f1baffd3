/* pnyx keygen: create an Ed25519 signing key in the signed-note text form,
 * or (--contact) a point of contact's X25519 encryption key. */
#include "cli.h"

#include "pnyx/base64.h"
#include "pnyx/coop_seal.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx keygen NAME [-o FILE]\n"
	"       pnyx keygen --contact NAME [-o FILE]\n"
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
	"With --contact it creates instead the encryption key of a point of\n"
	"contact (an X25519 key, for cooperation requests between members):\n"
	"the private key goes to FILE (default: NAME.contact.key), readable\n"
	"only by you; keep it where the contact reads its inbox ('pnyx inbox\n"
	"--contact-key FILE'). The public key is printed in base64: put it in\n"
	"the contact's \"key\" when you register your points of contact\n"
	"('pnyx act ... poc.register --contacts FILE'). Whoever holds the\n"
	"private key reads every request sent to that contact.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   where to write the private key\n"
	"  --contact           create a point of contact's encryption key\n"
	"  -h, --help          show this help\n";

/* Default key file name: the key name with '/' replaced, plus suffix. */
static bool default_path(const char *name, const char *suffix, char *out,
			 size_t cap)
{
	int n = snprintf(out, cap, "%s%s", name, suffix);
	if (n < 0 || (size_t)n >= cap)
		return false;
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '_';
	return true;
}

/* Writes the contact key file and prints the base64 public key. */
static int contact_keygen(const char *name, const char *path)
{
	if (!pnyx_key_name_is_valid((const uint8_t *)name, strlen(name)))
		return cli_fail("'%s' cannot be a key name: it must be 1 to %d "
				"bytes of UTF-8 without spaces or '+'",
				name, PNYX_KEY_NAME_MAX);
	uint8_t sk[PNYX_HPKE_SK_LEN], pk[PNYX_HPKE_PK_LEN];
	char pub[PNYX_HPKE_PK_LEN * 2];
	pnyx_buf priv;
	pnyx_buf_init(&priv, 1024);
	int rc = CLI_EXIT_FAIL;
	if (pnyx_hpke_keypair(sk, pk) != PNYX_OK ||
	    pnyx_coop_key_encode(name, sk, &priv) != PNYX_OK) {
		rc = cli_fail("out of memory");
	} else if (cli_write_new_file(path, priv.data, priv.len, 0600)) {
		fprintf(stderr, "pnyx: contact private key written to %s\n", path);
		pnyx_base64_encode(pk, sizeof pk, pub, sizeof pub);
		rc = printf("%s\n", pub) > 0 && fflush(stdout) == 0 ? CLI_EXIT_OK
								     : CLI_EXIT_FAIL;
	}
	if (priv.data != NULL)
		sodium_memzero(priv.data, priv.len);
	pnyx_buf_clear(&priv);
	sodium_memzero(sk, sizeof sk);
	return rc;
}

/* Writes the signing key file and prints the verifier key. */
static int signer_keygen(const char *name, const char *path)
{
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

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"contact", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	bool contact = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': path = optarg; break;
		case 'c': contact = true; break;
		case 'h': fputs(help, stdout); return CLI_EXIT_OK;
		default: return cli_usage_error("keygen", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("keygen", "give exactly one key NAME");
	const char *name = argv[optind];
	char def[PNYX_KEY_NAME_MAX + 16];
	if (path == NULL) {
		if (!default_path(name, contact ? ".contact.key" : ".key", def,
				  sizeof def))
			return cli_fail("the key name is too long");
		path = def;
	}
	return contact ? contact_keygen(name, path) : signer_keygen(name, path);
}
