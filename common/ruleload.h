/*
 * ruleload.h: a rules directory and the list directories its rules name,
 * read from the file system into a policy in one process, as ruled gets
 * them from packetd.  For the tattle command and `tattled -n`, which
 * never run in the daemon's loop; it links libpolicy.
 */
#ifndef TATTLE_RULELOAD_H
#define TATTLE_RULELOAD_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

/* A rule file that did not load. */
struct ruleload_err {
	char	*key;		/* rule name, or the file name if unknown */
	char	*msg;		/* one line: file, rule, field, reason */
	int	 errnum;	/* errno if the file was unreadable, else 0 */
};

int	 ruleload_rules(struct policy *, const char *, struct ruleload_err **,
	    size_t *);
int	 ruleload_lists(struct policy *, void (*)(const char *, void *),
	    void *);
void	 ruleload_errs_free(struct ruleload_err *, size_t);
int	 ruleload_read_file(int, const char *, size_t, char **, size_t *);
int	 ruleload_user_lookup(const char *, uint32_t *, void *);

#endif /* TATTLE_RULELOAD_H */
