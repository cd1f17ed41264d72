/*
 * policy.c: the rule set: loading and replacing rule files, removal,
 * temporary rules, enumeration and the Save() text of a rule.  Rules are
 * kept sorted by name in byte order (Go's sort.Strings), which is the
 * order they are evaluated in.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

struct policy	*policy_new(const struct policy_opts *);
void		 policy_free(struct policy *);
int		 policy_load_rule(struct policy *, const char *, const char *,
		    size_t, int64_t, struct policy_err *);
int		 policy_remove_file(struct policy *, const char *);
int		 policy_remove_rule(struct policy *, const char *);
size_t		 policy_expire(struct policy *, int64_t);
int64_t		 policy_next_expiry(const struct policy *);
size_t		 policy_rule_count(const struct policy *);
const char	*policy_rule_name(const struct policy *, size_t);
const char	*policy_rule_file(const struct policy *, size_t);
int		 policy_rule_enabled(const struct policy *, size_t);
int		 policy_rule_json(const struct policy *, const char *,
		    const char *, char **, size_t *);
int		 policy_set_resolvers(struct policy *,
		    const struct policy_ip *, size_t);
const char	*policy_verdict_name(enum policy_verdict);
static int	 alias_add(struct policy *, const char *,
		    const char *const *);
static void	 prule_free(struct policy *, struct prule *);
static size_t	 rule_pos(const struct policy *, const char *, int *);
static void	 rule_remove_at(struct policy *, size_t);
static int	 rule_insert(struct policy *, struct prule *);
static int	 temporary(const char *);
static struct prule *rule_build(struct policy *, const char *, const char *,
		    size_t, int64_t, struct policy_err *);

/* Stock daemon/data/network_aliases.json, with D6's ::1/128. */
static const char *const alias_lan[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
	"::1/128", "fc00::/7", NULL
};
static const char *const alias_multicast[] = {
	"224.0.0.0/4", "ff00::/8", NULL
};
/* TATTLE_RESOLVERS before any nameserver: a local stub resolver. */
static const char *const alias_stub[] = {
	"127.0.0.0/8", "::1/128", NULL
};

static int
alias_add(struct policy *p, const char *name, const char *const *nets)
{
	struct palias	*a;
	size_t		 n;

	if (p->naliases >= MAX_ALIASES)
		return -1;
	a = &p->aliases[p->naliases];
	for (n = 0; nets[n] != NULL; n++)
		;
	if ((a->name = strdup(name)) == NULL ||
	    (a->nets = calloc(n, sizeof(*a->nets))) == NULL) {
		free(a->name);
		return -1;
	}
	for (a->n = 0; a->n < n; a->n++)
		if (pol_ipnet_parse(nets[a->n], strlen(nets[a->n]),
		    &a->nets[a->n]) == -1)
			break;
	p->naliases++;
	return 0;
}


/*
 * The resolvers' addresses (each a /32 or /128) after the stub's ranges.
 * Rules read the alias when they match, so every rule naming it follows.
 */
int
policy_set_resolvers(struct policy *p, const struct policy_ip *ips, size_t n)
{
	struct palias	*a;
	struct ipnet	*nets;
	size_t		 i, nstub;

	if ((a = (struct palias *)policy_alias(p, POLICY_RESOLVERS_ALIAS)) ==
	    NULL || n > POLICY_MAX_RESOLVERS)
		return -1;
	for (nstub = 0; alias_stub[nstub] != NULL; nstub++)
		;
	if ((nets = calloc(nstub + n, sizeof(*nets))) == NULL)
		return -1;
	for (i = 0; i < nstub; i++)
		if (pol_ipnet_parse(alias_stub[i], strlen(alias_stub[i]),
		    &nets[i]) == -1) {
			free(nets);
			return -1;
		}
	for (i = 0; i < n; i++) {
		if (ips[i].family != 4 && ips[i].family != 6) {
			free(nets);
			return -1;
		}
		nets[nstub + i].family = ips[i].family;
		nets[nstub + i].bits = ips[i].family == 4 ? 32 : 128;
		memcpy(nets[nstub + i].addr, ips[i].addr,
		    sizeof(nets[nstub + i].addr));
	}
	free(a->nets);
	a->nets = nets;
	a->n = nstub + n;
	return 0;
}


struct policy *
policy_new(const struct policy_opts *opts)
{
	struct policy	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (opts != NULL)
		p->opts = *opts;
	if (alias_add(p, "LAN", alias_lan) == -1 ||
	    alias_add(p, "MULTICAST", alias_multicast) == -1 ||
	    alias_add(p, POLICY_RESOLVERS_ALIAS, alias_stub) == -1) {
		policy_free(p);
		return NULL;
	}
	p->aliases[p->naliases - 1].dynamic = 1;
	p->dirty = 1;
	return p;
}

static void
prule_free(struct policy *p, struct prule *r)
{
	if (r == NULL)
		return;
	if (r->compiled)
		pol_cop_free(p, &r->op);
	pol_ruledef_free(&r->def);
	pol_notes_free(&r->notes);
	free(r->file);
	free(r);
}

void
policy_free(struct policy *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrules; i++)
		prule_free(p, p->rules[i]);
	free(p->rules);
	for (i = 0; i < p->nlists; i++)
		pol_list_free(p->lists[i]);
	for (i = 0; i < p->naliases; i++) {
		free(p->aliases[i].name);
		free(p->aliases[i].nets);
	}
	free(p->active);
	pol_strset_free(&p->guard);
	free(p->gnext);
	free(p->gopd);
	free(p->cand);
	free(p);
}

/* Index of name, or where it would go (*found 0). */
static size_t
rule_pos(const struct policy *p, const char *name, int *found)
{
	size_t	lo = 0, hi = p->nrules, mid;
	int	c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(p->rules[mid]->def.name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
rule_remove_at(struct policy *p, size_t i)
{
	prule_free(p, p->rules[i]);
	memmove(&p->rules[i], &p->rules[i + 1],
	    (p->nrules - i - 1) * sizeof(*p->rules));
	p->nrules--;
	p->dirty = 1;
}

static int
rule_insert(struct policy *p, struct prule *r)
{
	struct prule	**nr;
	size_t		  i, ncap;
	int		  found;

	/* A file that now names another rule no longer holds its old one. */
	if (r->file != NULL) {
		for (i = 0; i < p->nrules; i++) {
			if (p->rules[i]->file != NULL &&
			    strcmp(p->rules[i]->file, r->file) == 0 &&
			    strcmp(p->rules[i]->def.name, r->def.name) != 0) {
				rule_remove_at(p, i);
				break;
			}
		}
	}
	i = rule_pos(p, r->def.name, &found);
	if (found) {
		if (p->rules[i]->file != NULL && r->file != NULL &&
		    strcmp(p->rules[i]->file, r->file) != 0)
			pol_note_add(&r->notes, "name", "duplicate", "%s also "
			    "names this rule; the file loaded last (this one) "
			    "replaced it", p->rules[i]->file);
		prule_free(p, p->rules[i]);
		p->rules[i] = r;
		p->dirty = 1;
		return 0;
	}
	if (p->nrules >= MAX_RULES)
		return -1;
	if (p->nrules == p->caprules) {
		ncap = p->caprules ? p->caprules * 2 : 64;
		if ((nr = realloc(p->rules, ncap * sizeof(*nr))) == NULL)
			return -1;
		p->rules = nr;
		p->caprules = ncap;
	}
	memmove(&p->rules[i + 1], &p->rules[i],
	    (p->nrules - i) * sizeof(*p->rules));
	p->rules[i] = r;
	p->nrules++;
	p->dirty = 1;
	return 0;
}

static int
temporary(const char *d)
{
	return strcmp(d, "once") != 0 && strcmp(d, "until restart") != 0 &&
	    strcmp(d, "always") != 0;
}

/* Parses, decodes and compiles one rule file; NULL with *err on failure. */
static struct prule *
rule_build(struct policy *p, const char *file, const char *buf, size_t len,
    int64_t now, struct policy_err *err)
{
	struct prule	*r;
	struct jdoc	 doc;
	char		 e[POLICY_ERR_REASON];
	int		 exact, x;
	int64_t		 ms;

	if (len > MAX_RULE_FILE_SIZE) {
		pol_err_set(err, "", "%zu bytes (MAX_RULE_FILE_SIZE is %d)",
		    len, MAX_RULE_FILE_SIZE);
		return NULL;
	}
	if (pol_json_parse(&doc, buf, len, e, sizeof(e)) == -1) {
		pol_err_set(err, "", "%s", e);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL || pol_ruledef_init(&r->def)) {
		free(r);
		pol_json_free(&doc);
		pol_err_set(err, "", "out of memory");
		return NULL;
	}
	r->expires = INT64_MAX;
	if (pol_rule_decode(doc.root, &r->def, &r->notes, err) == -1) {
		if (r->def.has_name)
			pol_err_rule(err, r->def.name);
		pol_json_free(&doc);
		prule_free(p, r);
		return NULL;
	}
	pol_json_free(&doc);
	if (r->def.has_name)
		pol_err_rule(err, r->def.name);
	if (file != NULL && (r->file = strdup(file)) == NULL) {
		pol_err_set(err, "", "out of memory");
		goto fail;
	}
	if (strlen(r->def.name) > MAX_RULE_NAME_LOAD) {
		pol_err_set(err, "name", "longer than %d bytes "
		    "(MAX_RULE_NAME_LOAD)", MAX_RULE_NAME_LOAD);
		goto fail;
	}
	if ((x = pol_legacy_list_expand(&r->def.op, &r->notes, err)) == -1)
		goto fail;
	if (x == 1 && r->def.enabled)
		pol_note_add(&r->notes, "operator.data", "D3", "the operators "
		    "are read from the legacy JSON list in data; OpenSnitch "
		    "ignores it for an enabled rule and matches every "
		    "connection");
	r->action = pol_action_parse(r->def.action, &exact);
	r->terminal = r->action != POLICY_ALLOW || r->def.precedence;
	if (!exact)
		pol_note_add(&r->notes, "action", "D1", "action \"%s\" is read "
		    "as %s%s; OpenSnitch compares actions byte-exactly and "
		    "treats it as a deny that does not stop evaluation",
		    r->def.action, policy_verdict_name(r->action),
		    pol_fold_equal(r->def.action, strlen(r->def.action), "deny",
		    4) || pol_fold_equal(r->def.action, strlen(r->def.action),
		    "allow", 5) || pol_fold_equal(r->def.action,
		    strlen(r->def.action), "reject", 6) ? "" :
		    " (unknown actions are a terminal deny)");
	if (r->def.enabled) {
		if (pol_cop_compile(p, &r->def.op, &r->op, 0, "operator", err,
		    &r->notes) == -1) {
			pol_cop_free(p, &r->op);
			goto fail;
		}
		r->compiled = 1;
		if (temporary(r->def.duration)) {
			if (pol_duration_parse(r->def.duration, &ms) == 0)
				r->expires = ms > 0 && now > INT64_MAX - ms ?
				    INT64_MAX : now + ms;
			else
				pol_note_add(&r->notes, "duration",
				    "surprising",
				    "duration \"%s\" is not once, until "
				    "restart, always or a Go duration: the "
				    "rule never expires", r->def.duration);
		}
	}
	return r;
fail:
	prule_free(p, r);
	return NULL;
}

int
policy_load_rule(struct policy *p, const char *file, const char *buf,
    size_t len, int64_t now, struct policy_err *err)
{
	struct policy_err	 scratch;
	struct prule		*r;

	if (err == NULL)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	pol_err_file(err, file);
	if ((r = rule_build(p, file, buf, len, now, err)) == NULL)
		return -1;
	if (rule_insert(p, r) == -1) {
		pol_err_set(err, "", "more than %d rules (MAX_RULES), or out "
		    "of memory", MAX_RULES);
		prule_free(p, r);
		return -1;
	}
	return 0;
}

int
policy_remove_file(struct policy *p, const char *file)
{
	size_t	i;

	for (i = 0; i < p->nrules; i++) {
		if (p->rules[i]->file != NULL &&
		    strcmp(p->rules[i]->file, file) == 0) {
			rule_remove_at(p, i);
			return 1;
		}
	}
	return 0;
}

int
policy_remove_rule(struct policy *p, const char *name)
{
	size_t	i;
	int	found;

	i = rule_pos(p, name, &found);
	if (!found)
		return 0;
	rule_remove_at(p, i);
	return 1;
}

size_t
policy_expire(struct policy *p, int64_t now)
{
	size_t	i, n = 0;

	for (i = 0; i < p->nrules; ) {
		if (p->rules[i]->expires <= now) {
			rule_remove_at(p, i);
			n++;
		} else
			i++;
	}
	return n;
}

int64_t
policy_next_expiry(const struct policy *p)
{
	int64_t	t = INT64_MAX;
	size_t	i;

	for (i = 0; i < p->nrules; i++)
		if (p->rules[i]->expires < t)
			t = p->rules[i]->expires;
	return t;
}

size_t
policy_rule_count(const struct policy *p)
{
	return p->nrules;
}

const char *
policy_rule_name(const struct policy *p, size_t i)
{
	return i < p->nrules ? p->rules[i]->def.name : NULL;
}

const char *
policy_rule_file(const struct policy *p, size_t i)
{
	return i < p->nrules ? p->rules[i]->file : NULL;
}

int
policy_rule_enabled(const struct policy *p, size_t i)
{
	return i < p->nrules ? p->rules[i]->def.enabled : 0;
}

int
policy_rule_json(const struct policy *p, const char *name,
    const char *updated, char **out, size_t *outlen)
{
	size_t	i;
	int	found;

	i = rule_pos(p, name, &found);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	if (pol_ruledef_json(&p->rules[i]->def, updated, out, outlen) == -1) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

const char *
policy_verdict_name(enum policy_verdict v)
{
	switch (v) {
	case POLICY_ALLOW:
		return "allow";
	case POLICY_DENY:
		return "deny";
	case POLICY_REJECT:
		return "reject";
	case POLICY_NONE:
		break;
	}
	return "prompt-or-default";
}
