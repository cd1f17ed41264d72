/*
 * check.c: `tattled -n`.  The configuration was parsed already; load
 * every rule and the lists they name exactly as ruled would, with the
 * same library, and report what would not load.  It runs before any
 * privileged step and never in the daemon's loop.
 */
#include <sys/random.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "packetd.h"
#include "policy.h"
#include "ruleload.h"

static void	 check_list_warn(const char *, void *);

static void
check_list_warn(const char *line, void *arg)
{
	int	*nwarn = arg;

	(*nwarn)++;
	fprintf(stderr, "tattled: warning: %s\n", line);
}

/* 0: the configuration and every rule load; 1: something does not. */
int
check_rules(struct packetd *p)
{
	struct policy_opts	 o;
	struct policy		*pol;
	struct ruleload_err	*errs;
	const char		*roots[MAX_CONF_PATHS];
	size_t			 nerrs, i;
	int			 nwarn = 0;

	memset(&o, 0, sizeof(o));
	/* As ruled: lists only under ListsRoots. */
	for (i = 0; i < p->cfg.nlists_roots; i++)
		roots[i] = p->cfg.lists_roots[i];
	o.list_roots = roots;
	o.nlist_roots = p->cfg.nlists_roots;
	o.checksums = p->cfg.checksums;
	o.user_lookup = ruleload_user_lookup;
	if (getrandom(&o.hash_seed, sizeof(o.hash_seed), 0) !=
	    sizeof(o.hash_seed))
		fatal("getrandom");
	if ((pol = policy_new(&o)) == NULL)
		fatal("policy_new");
	if (ruleload_rules(pol, p->cfg.rules_path, &errs, &nerrs) == -1) {
		fprintf(stderr, "tattled: rules directory %s: %s\n",
		    p->cfg.rules_path, strerror(errno));
		policy_free(pol);
		return 1;
	}
	for (i = 0; i < nerrs; i++)
		fprintf(stderr, "tattled: rule file %s\n", errs[i].msg);
	if (ruleload_lists(pol, check_list_warn, &nwarn) == -1)
		fatal("lists");
	printf("%s: configuration OK; %zu rules loaded from %s, %zu refused\n",
	    p->conf_path, policy_rule_count(pol), p->cfg.rules_path, nerrs);
	ruleload_errs_free(errs, nerrs);
	policy_free(pol);
	return nerrs > 0;
}
