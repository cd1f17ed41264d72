/*
 * cli.h: the tattle command's subcommands and what they share.  The
 * subcommands read files and hand bytes to policy/; policy/ reads nothing.
 */
#ifndef TATTLE_CLI_H
#define TATTLE_CLI_H

#include <stdio.h>

#include "policy.h"
#include "ruleload.h"

#define MAX_CONN_FILE_SIZE	(1024 * 1024)

struct cli_connfile;

int	 cmd_eval(int, char **);
int	 cmd_check(int, char **);

/* connfile.c */
struct cli_connfile *cli_connfile_parse(const char *, size_t, char *, size_t);
const struct policy_conn *cli_connfile_get(const struct cli_connfile *);
void		 cli_connfile_free(struct cli_connfile *);

#endif /* TATTLE_CLI_H */
