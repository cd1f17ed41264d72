/*
 * index.c: what is derived from the rule set after each change, rebuilt
 * lazily before the next match or query: the enabled rules in order, the
 * guard index, and what the rules need (operands, environment variables,
 * list directories).
 *
 * The guard index: a rule whose operator is (or, for a list, contains) a
 * "simple" comparison on a plain operand can only match a connection whose
 * value equals that text.  Such rules are filed under (operand, case,
 * text); a match looks each connection value up once and evaluates only the
 * guarded rules found there, plus every unguarded rule.  A 500-rule set of
 * mostly per-program rules then costs a few hash probes, not 500 compares.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

int		 policy_refresh(struct policy *);
int		 pol_guard_key(char *, size_t, int, int, const char *, size_t);
unsigned	 policy_needs(struct policy *);
size_t		 policy_env_count(struct policy *);
const char	*policy_env_name(struct policy *, size_t);
size_t		 policy_list_dir_count(struct policy *);
const char	*policy_list_dir(struct policy *, size_t);
int		 policy_list_dir_loaded(struct policy *, size_t);
static int	 guard_operand(enum opd);
static const struct cop *guard_of(const struct cop *);
static void	 needs_of(struct policy *, const struct cop *);

/* Operands with one value per connection, compared as text. */
static int
guard_operand(enum opd o)
{
	switch (o) {
	case OPD_PATH:
	case OPD_CMD:
	case OPD_HOST:
	case OPD_DIP:
	case OPD_SIP:
	case OPD_DPORT:
	case OPD_SPORT:
	case OPD_PID:
	case OPD_UID:
	case OPD_USER:
	case OPD_PROTO:
	case OPD_IFIN:
	case OPD_IFOUT:
		return 1;
	default:
		return 0;
	}
}

/*
 * The key of (operand, case, text): user.name is filed as user.id (its
 * text is the uid); a case-insensitive text is ASCII-lowercased (only ASCII
 * texts are guarded that way).  Returns the length, or -1 if too long.
 */
int
pol_guard_key(char *buf, size_t len, int opd, int sensitive, const char *s,
    size_t n)
{
	if (n > MAX_GUARD_TEXT || n + 2 > len)
		return -1;
	buf[0] = (char)(opd == OPD_USER ? OPD_UID : opd);
	buf[1] = (char)(sensitive ? 's' : 'i');
	memcpy(buf + 2, s, n);
	if (!sensitive)
		pol_lower_ascii(buf + 2, n);
	return (int)n + 2;
}

static const struct cop *
guard_of(const struct cop *c)
{
	size_t	i;

	if (c->type == OT_SIMPLE && !c->always && guard_operand(c->opd) &&
	    c->datalen <= MAX_GUARD_TEXT &&
	    (c->sensitive || pol_ascii(c->data, c->datalen)))
		return c;
	if (c->type == OT_LIST)
		for (i = 0; i < c->nkids; i++)
			if (guard_of(&c->kids[i]) != NULL)
				return guard_of(&c->kids[i]);
	return NULL;
}

static void
needs_of(struct policy *p, const struct cop *c)
{
	size_t	i;

	switch (c->opd) {
	case OPD_PATH:
		p->needs |= POLICY_NEED_PATH;
		break;
	case OPD_CMD:
		p->needs |= POLICY_NEED_CMDLINE;
		break;
	case OPD_PARENT:
		p->needs |= POLICY_NEED_PARENTS;
		break;
	case OPD_ENV:
		p->needs |= POLICY_NEED_ENV;
		for (i = 0; i < p->nenvs; i++)
			if (strcmp(p->envs[i], c->env) == 0)
				break;
		if (i == p->nenvs) {
			if (p->nenvs < MAX_ENV_NAMES)
				p->envs[p->nenvs++] = c->env;
			else
				p->needs |= POLICY_NEED_ENV_ALL;
		}
		break;
	case OPD_MD5:
	case OPD_L_MD5:
		p->needs |= POLICY_NEED_MD5;
		break;
	case OPD_SHA1:
		p->needs |= POLICY_NEED_SHA1;
		break;
	case OPD_UID:
	case OPD_USER:
		p->needs |= POLICY_NEED_UID;
		break;
	case OPD_PID:
		p->needs |= POLICY_NEED_PID;
		break;
	case OPD_HOST:
	case OPD_L_DOMAINS:
	case OPD_L_DOMAINS_RE:
		p->needs |= POLICY_NEED_HOST;
		break;
	case OPD_IFIN:
		p->needs |= POLICY_NEED_IFACE_IN;
		break;
	case OPD_IFOUT:
		p->needs |= POLICY_NEED_IFACE_OUT;
		break;
	default:
		break;
	}
	for (i = 0; i < c->nkids; i++)
		needs_of(p, &c->kids[i]);
}

int
policy_refresh(struct policy *p)
{
	const struct cop	*g;
	char			 key[MAX_GUARD_TEXT + 2];
	size_t			 i, j, n = 0;
	uint32_t		 old;
	int			 kl, r;

	if (!p->dirty)
		return 0;
	free(p->active);
	free(p->gnext);
	free(p->gopd);
	free(p->cand);
	pol_strset_free(&p->guard);
	p->active = NULL;
	p->gnext = NULL;
	p->gopd = NULL;
	p->cand = NULL;
	p->nactive = 0;
	p->gmask = 0;
	p->needs = 0;
	p->nenvs = 0;
	p->ndirs = 0;
	for (i = 0; i < p->nrules; i++)
		if (p->rules[i]->compiled)
			n++;
	if ((p->active = calloc(n + 1, sizeof(*p->active))) == NULL ||
	    (p->gnext = calloc(n + 1, sizeof(*p->gnext))) == NULL ||
	    (p->gopd = calloc(n + 1, sizeof(*p->gopd))) == NULL ||
	    (p->cand = calloc(n / 64 + 1, sizeof(*p->cand))) == NULL ||
	    pol_strset_init(&p->guard, n, 1, p->opts.hash_seed) == -1)
		return -1;
	for (i = 0; i < p->nrules; i++) {
		if (!p->rules[i]->compiled)
			continue;
		j = p->nactive++;
		p->active[j] = p->rules[i];
		needs_of(p, &p->rules[i]->op);
		p->gopd[j] = -1;
		if (p->noguard || (g = guard_of(&p->rules[i]->op)) == NULL)
			continue;
		kl = pol_guard_key(key, sizeof(key), g->opd, g->sensitive,
		    g->data, g->datalen);
		if (kl < 0)
			continue;
		old = 0;
		if ((r = pol_strset_add(&p->guard, key, (size_t)kl,
		    (uint32_t)j + 1, &old)) == -1)
			return -1;
		p->gnext[j] = r == 0 ? old : 0;
		kl = g->opd == OPD_USER ? OPD_UID : g->opd;
		p->gopd[j] = kl | (g->sensitive ? 0x100 : 0);
		p->gmask |= 1ULL << (2 * kl + (g->sensitive ? 1 : 0));
	}
	for (i = 0; i < p->nlists; i++) {
		for (j = 0; j < p->ndirs; j++)
			if (strcmp(p->dirs[j], p->lists[i]->dir) == 0)
				break;
		if (j == p->ndirs)
			p->dirs[p->ndirs++] = p->lists[i]->dir;
	}
	p->dirty = 0;
	return 0;
}

unsigned
policy_needs(struct policy *p)
{
	if (policy_refresh(p) == -1)
		return ~0U;
	return p->needs;
}

size_t
policy_env_count(struct policy *p)
{
	if (policy_refresh(p) == -1)
		return 0;
	return p->nenvs;
}

const char *
policy_env_name(struct policy *p, size_t i)
{
	if (policy_refresh(p) == -1 || i >= p->nenvs)
		return NULL;
	return p->envs[i];
}

size_t
policy_list_dir_count(struct policy *p)
{
	if (policy_refresh(p) == -1)
		return 0;
	return p->ndirs;
}

const char *
policy_list_dir(struct policy *p, size_t i)
{
	if (policy_refresh(p) == -1 || i >= p->ndirs)
		return NULL;
	return p->dirs[i];
}

int
policy_list_dir_loaded(struct policy *p, size_t i)
{
	size_t	j;

	if (policy_refresh(p) == -1 || i >= p->ndirs)
		return 0;
	for (j = 0; j < p->nlists; j++)
		if (strcmp(p->lists[j]->dir, p->dirs[i]) == 0 &&
		    !p->lists[j]->loaded)
			return 0;
	return 1;
}
