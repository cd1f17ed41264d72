/*
 * cli.h: the tattle command's subcommands and what they share.  The
 * subcommands read files and hand bytes to policy/; policy/ reads nothing.
 */
#ifndef TATTLE_CLI_H
#define TATTLE_CLI_H

#include <stdio.h>

#include "policy.h"

#define MAX_CONN_FILE_SIZE	(1024 * 1024)

/* A rule file that did not load. */
struct cli_loaderr {
	char	*key;		/* rule name, or the file name if unknown */
	char	*msg;		/* one line: file, rule, field, reason */
	int	 errnum;	/* errno if the file was unreadable, else 0 */
};

struct cli_conn;

int	 cmd_eval(int, char **);
int	 cmd_check(int, char **);

/* rulesdir.c */
int	 cli_load_rules(struct policy *, const char *, struct cli_loaderr **,
	    size_t *);
int	 cli_load_lists(struct policy *, void (*)(const char *, void *),
	    void *);
void	 cli_loaderr_free(struct cli_loaderr *, size_t);
int	 cli_read_file(int, const char *, size_t, char **, size_t *);
int	 cli_user_lookup(const char *, uint32_t *, void *);

/* conn.c */
struct cli_conn	*cli_conn_parse(const char *, size_t, char *, size_t);
const struct policy_conn *cli_conn_get(const struct cli_conn *);
void		 cli_conn_free(struct cli_conn *);

#endif /* TATTLE_CLI_H */
