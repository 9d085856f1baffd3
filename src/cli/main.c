/* pnyx: the command-line tool. Dispatches to one subcommand. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pnyx <command> [options]\n"
	"\n"
	"Pnyx keeps a public, signed record that no operator can rewrite:\n"
	"every entry is appended to a Merkle log, and anyone can check that\n"
	"the log holds an entry and that it only ever grew.\n"
	"\n"
	"Commands:\n"
	"  keygen NAME [-o FILE]   create a signing key; print its public key\n"
	"  note sign|verify        sign a text, or check a signed text\n"
	"  log init|append|checkpoint|prove|verify|check-proof\n"
	"                          keep a local log and prove what it holds\n"
	"  demo [--dir DIR]        create the demo forum, a training simulation\n"
	"  verify --db FILE        replay a forum's log with the rules of procedure\n"
	"                          and print its decisions and state digest\n"
	"  verify URL              the same from a server or a mirror's tiles, and\n"
	"                          compare every outcome with what the server says\n"
	"  serve --db FILE         serve a log over HTTP (docs/API.md)\n"
	"  receipt check --db FILE RECEIPT...\n"
	"                          check signed receipts a member kept against a log\n"
	"  act --server URL --key FILE --as ACTOR TYPE [--FIELD VALUE]...\n"
	"                          take an action in a forum: sign it and send it\n"
	"  show --server URL VIEW  print a forum's record: forum, members, documents,\n"
	"                          decisions, the consensus board of a decision\n"
	"  inbox --server URL --key FILE --as MEMBER --contact-key FILE\n"
	"                          read the cooperation requests sent to your member,\n"
	"                          decrypted with your point of contact's key\n"
	"  mirror --dir DIR --from URL [--serve ADDR:PORT]\n"
	"                          keep a checked copy of a forum's log, and serve it\n"
	"  witness --key FILE --state DIR --log KEY...\n"
	"                          cosign logs' checkpoints, refusing any rewritten\n"
	"                          history (docs/WITNESS.md)\n"
	"  help [COMMAND]          show this help, or a command's help\n"
	"  version                 show the version\n"
	"\n"
	"Run 'pnyx <command> --help' for the options of a command.\n";

static const struct {
	const char *name;
	cli_cmd_fn fn;
} commands[] = {
	{"keygen", cmd_keygen},
	{"note", cmd_note},
	{"log", cmd_log},
	{"demo", cmd_demo},
	{"verify", cmd_verify},
	{"serve", cmd_serve},
	{"receipt", cmd_receipt},
	{"act", cmd_act},
	{"show", cmd_show},
	{"inbox", cmd_inbox},
	{"mirror", cmd_mirror},
	{"witness", cmd_witness},
};

static cli_cmd_fn find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].fn;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	if (pnyx_init() != PNYX_OK)
		return cli_fail("cannot initialise the cryptographic library");
	const char *name = argv[1];
	if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
		puts("pnyx 0.1.0");
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		}
		cli_cmd_fn fn = find_command(argv[2]);
		if (fn == NULL)
			return cli_usage_error("help", "no command named '%s'",
					       argv[2]);
		char help[] = "--help";
		char *args[] = {argv[2], help, NULL};
		return fn(2, args);
	}
	cli_cmd_fn fn = find_command(name);
	if (fn == NULL) {
		fprintf(stderr, "pnyx: no command named '%s'\n\n%s", name, usage);
		return CLI_EXIT_USAGE;
	}
	return fn(argc - 1, argv + 1);
}
