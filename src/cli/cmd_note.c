/* pnyx note sign|verify: C2SP signed notes on stdin and stdout. */
#include "cli.h"

#include "pnyx/note.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"Usage: pnyx note sign --key FILE      < text > signed-note\n"
	"       pnyx note verify --vkey KEY... < signed-note > text\n"
	"\n"
	"sign     signs the text read from standard input with the private key\n"
	"         in FILE and prints the signed note. The text must be UTF-8,\n"
	"         end with a newline, and contain no control characters other\n"
	"         than newlines. Repeat --key to add several signatures.\n"
	"verify   checks a signed note read from standard input. KEY is a\n"
	"         verifier key as 'pnyx keygen' prints it, or @FILE to read it\n"
	"         from a file; repeat --vkey to accept several. The note is valid\n"
	"         if at least one of these keys signed it and every signature by\n"
	"         these keys is correct; signatures by other keys are ignored.\n"
	"         If valid, the text is printed and the exit status is 0;\n"
	"         otherwise a one-line reason and exit status 1.\n";

#define MAX_KEYS 16

static int note_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{"key", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *paths[MAX_KEYS];
	size_t npaths = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return CLI_EXIT_OK;
		}
		if (c != 'k')
			return cli_usage_error("note", "unknown option");
		if (npaths == MAX_KEYS)
			return cli_usage_error("note", "at most %d keys", MAX_KEYS);
		paths[npaths++] = optarg;
	}
	if (npaths == 0 || optind != argc)
		return cli_usage_error("note", "sign needs --key FILE and no other arguments");

	pnyx_signer signers[MAX_KEYS];
	size_t loaded = 0;
	int rc = CLI_EXIT_FAIL;
	pnyx_buf text, out;
	pnyx_buf_init(&out, CLI_INPUT_MAX);
	bool have_text = false;
	while (loaded < npaths && cli_load_signer(paths[loaded], &signers[loaded]))
		loaded++;
	if (loaded == npaths && (have_text = cli_read_file("-", &text))) {
		pnyx_err err = pnyx_note_sign(text.data, text.len, signers,
					      loaded, &out);
		if (err == PNYX_OK)
			rc = cli_write_stdout(out.data, out.len) ? CLI_EXIT_OK
								 : CLI_EXIT_FAIL;
		else if (err == PNYX_ERR_MALFORMED)
			rc = cli_fail("the text cannot be signed: it must be UTF-8, end "
				      "with a newline and contain no control characters "
				      "other than newlines");
		else
			rc = cli_fail_err("cannot sign", err, NULL);
	}
	for (size_t i = 0; i < loaded; i++)
		pnyx_signer_clear(&signers[i]);
	if (have_text)
		pnyx_buf_clear(&text);
	pnyx_buf_clear(&out);
	return rc;
}

static int note_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"vkey", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	pnyx_verifier keys[MAX_KEYS];
	size_t nkeys = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return CLI_EXIT_OK;
		}
		if (c != 'v')
			return cli_usage_error("note", "unknown option");
		if (nkeys == MAX_KEYS)
			return cli_usage_error("note", "at most %d keys", MAX_KEYS);
		if (!cli_load_verifier(optarg, &keys[nkeys]))
			return CLI_EXIT_FAIL;
		nkeys++;
	}
	if (nkeys == 0 || optind != argc)
		return cli_usage_error("note", "verify needs --vkey KEY and no other arguments");
	pnyx_buf in;
	if (!cli_read_file("-", &in))
		return CLI_EXIT_FAIL;
	pnyx_note note = {0};
	pnyx_diag diag = {{0}};
	pnyx_err err = pnyx_note_open(in.data, in.len, CLI_NOTE_MAX, keys, nkeys,
				      &note, &diag);
	int rc;
	if (err == PNYX_OK)
		rc = cli_write_stdout(note.text, note.text_len) ? CLI_EXIT_OK
							       : CLI_EXIT_FAIL;
	else
		rc = cli_fail_err("the note is not valid", err, &diag);
	pnyx_note_clear(&note);
	pnyx_buf_clear(&in);
	return rc;
}

int cmd_note(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "sign") == 0)
		return note_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return note_verify(argc - 1, argv + 1);
	return cli_usage_error("note", "unknown subcommand '%s' (sign or verify)",
			       argv[1]);
}
