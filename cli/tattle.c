/*
 * tattle.c: the tattle command: a dispatcher to one file per subcommand.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "uiclient.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*what;
} cmds[] = {
	{ "eval", cmd_eval, "evaluate one connection against a rules "
	    "directory" },
	{ "check", cmd_check, "lint a rules directory" },
	{ "prompt", cmd_prompt, "answer the daemon's questions at this "
	    "terminal" },
	{ "rules", cmd_rules, "list, add, delete, enable or disable the "
	    "daemon's rules" },
	{ "events", cmd_events, "show the connections the daemon decided" },
	{ "stats", cmd_stats, "show the daemon's modes and counters" },
};

static void	usage(FILE *);
int		main(int, char **);

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: tattle COMMAND [ARGS...]\n"
	    "       tattle COMMAND --help\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].what);
}

int
main(int argc, char **argv)
{
	size_t	i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tattle %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tattle: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
