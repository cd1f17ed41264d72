/*
 * lint.c: what `tattle check` reports beyond refused files: the notes each
 * rule and list gathered while loading (Go decoding quirks, D1-D8,
 * surprising constructs, duplicate names), disabled rules that would be
 * refused once enabled, list directories never handed in or empty, and
 * rules that can never decide because an earlier terminal rule matches
 * every connection they match, and names the daemon will not write back.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

#define MAX_SHADOW_RULES	20000	/* the shadow test is quadratic */

struct lint {
	policy_diag_fn	*fn;
	void		*arg;
};

void		 policy_lint(struct policy *, policy_diag_fn *, void *);
static void	 emit(struct lint *, const char *, const char *, const char *,
		    const char *, const char *, ...)
		    __attribute__((format(printf, 6, 7)));
static void	 emit_notes(struct lint *, const struct pnotes *, const char *,
		    const char *);
static void	 lint_disabled(struct policy *, struct lint *, struct prule *);
static void	 lint_lists(struct policy *, struct lint *);
static void	 lint_shadow(struct policy *, struct lint *);
static int	 leaf_implies(const struct cop *, const struct cop *);
static int	 implies(const struct cop *, const struct cop *);
static int	 same_operand(const struct cop *, const struct cop *);
static int	 net_within(const struct ipnet *, const struct ipnet *);

static void
emit(struct lint *l, const char *file, const char *rule, const char *field,
    const char *code, const char *fmt, ...)
{
	struct policy_diag	d;
	char			msg[POLICY_ERR_REASON + 128];
	va_list			ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d.sev = POLICY_SEV_WARN;
	d.file = file != NULL ? file : "";
	d.rule = rule;
	d.field = field != NULL ? field : "";
	d.code = code;
	d.msg = msg;
	l->fn(&d, l->arg);
}

static void
emit_notes(struct lint *l, const struct pnotes *nt, const char *file,
    const char *rule)
{
	size_t	i;

	for (i = 0; i < nt->n; i++)
		emit(l, file, rule, nt->v[i].field, nt->v[i].code, "%s",
		    nt->v[i].msg);
	if (nt->dropped > 0)
		emit(l, file, rule, "", "notes", "%zu more note(s) not kept",
		    nt->dropped);
}

static void
lint_disabled(struct policy *p, struct lint *l, struct prule *r)
{
	struct cop		c;
	struct policy_err	err;
	struct pnotes		nt;

	memset(&err, 0, sizeof(err));
	memset(&nt, 0, sizeof(nt));
	if (pol_cop_compile(p, &r->def.op, &c, 0, "operator", &err, &nt) == -1)
		emit(l, r->file, r->def.name, err.field, "disabled", "this "
		    "disabled rule would be refused once enabled: %s",
		    err.reason);
	pol_cop_free(p, &c);
	pol_notes_free(&nt);
}

static void
lint_lists(struct policy *p, struct lint *l)
{
	struct plist	*pl;
	char		 file[POLICY_ERR_FILE];
	size_t		 i, j, dl;

	for (i = 0; i < p->nlists; i++) {
		pl = p->lists[i];
		if (!pl->loaded) {
			emit(l, pl->dir, NULL, "", "list", "list directory "
			    "not loaded: its operators match nothing");
			continue;
		}
		dl = strlen(pl->dir);
		for (j = 0; j < pl->notes.n; j++) {
			snprintf(file, sizeof(file), "%s%s%s", pl->dir,
			    dl > 0 && pl->dir[dl - 1] == '/' ? "" : "/",
			    pl->notes.v[j].field);
			emit(l, file, NULL, "", pl->notes.v[j].code, "%s",
			    pl->notes.v[j].msg);
		}
		if (pl->notes.dropped > 0)
			emit(l, pl->dir, NULL, "", "list", "%zu more note(s) "
			    "not kept", pl->notes.dropped);
		if (pol_list_entries(pl) == 0)
			emit(l, pl->dir, NULL, "", "list", "no usable entries "
			    "(a missing directory is not an error): its "
			    "operators match nothing");
	}
}

static int
same_operand(const struct cop *r, const struct cop *s)
{
	enum opd	a = r->opd == OPD_USER ? OPD_UID : r->opd;
	enum opd	b = s->opd == OPD_USER ? OPD_UID : s->opd;

	if (a != b)
		return 0;
	return a != OPD_ENV || strcmp(r->env, s->env) == 0;
}

static int
net_within(const struct ipnet *in, const struct ipnet *out)
{
	struct policy_ip	ip;

	if (in->family != out->family || in->bits < out->bits)
		return 0;
	ip.family = in->family;
	memcpy(ip.addr, in->addr, sizeof(ip.addr));
	return pol_ipnet_contains(out, &ip);
}

/* Whenever leaf r holds, leaf s holds (a sufficient test, not complete). */
static int
leaf_implies(const struct cop *r, const struct cop *s)
{
	size_t	i, j;
	int	v;

	if (s->always)
		return 1;
	if (r->type == OT_LISTS || s->type == OT_LISTS)
		return r->type == s->type && r->opd == s->opd &&
		    r->list == s->list;
	/* A changing alias (TATTLE_RESOLVERS): what it holds now may change. */
	if (r->alias != NULL || s->alias != NULL)
		return 0;
	if (r->type == OT_NETWORK) {
		if (s->type != OT_NETWORK)
			return 0;
		for (i = 0; i < r->nnets; i++) {
			for (j = 0; j < s->nnets; j++)
				if (net_within(&r->nets[i], &s->nets[j]))
					break;
			if (j == s->nnets)
				return 0;
		}
		return 1;
	}
	if (r->type == OT_RANGE)
		return s->type == OT_RANGE && same_operand(r, s) &&
		    r->min >= s->min && r->max <= s->max;
	if (r->type != OT_SIMPLE)
		return 0;
	/* r pins the operand's text: evaluate s on that text. */
	if (s->type == OT_NETWORK) {
		if (r->opd != OPD_DIP)
			return 0;
	} else if (!same_operand(r, s))
		return 0;
	if (!r->sensitive && !pol_ascii(r->data, r->datalen))
		return 0;
	if (!r->sensitive && s->type != OT_SIMPLE) {
		for (i = 0; i < r->datalen; i++)
			if ((r->data[i] | 0x20) >= 'a' &&
			    (r->data[i] | 0x20) <= 'z')
				return 0;	/* its case is open */
	}
	if (s->type == OT_SIMPLE && !r->sensitive && s->sensitive)
		return 0;
	v = pol_cop_value_match(s, r->data);
	return v == 1;
}

/* Whenever R matches, S matches: each condition of S is implied by R's. */
static int
implies(const struct cop *R, const struct cop *S)
{
	const struct cop	*rs, *ss;
	size_t			 nr, ns, i, j;

	if (S->always)
		return 1;
	rs = R->type == OT_LIST ? R->kids : R;
	nr = R->type == OT_LIST ? R->nkids : 1;
	ss = S->type == OT_LIST ? S->kids : S;
	ns = S->type == OT_LIST ? S->nkids : 1;
	if (R->always)
		return 0;
	for (j = 0; j < ns; j++) {
		for (i = 0; i < nr; i++)
			if (leaf_implies(&rs[i], &ss[j]))
				break;
		if (i == nr)
			return 0;
	}
	return 1;
}

static void
lint_shadow(struct policy *p, struct lint *l)
{
	struct prule	*r, *s;
	size_t		 i, j;

	if (p->nactive > MAX_SHADOW_RULES) {
		emit(l, "", NULL, "", "shadowed", "more than %d enabled rules: "
		    "shadowed rules not looked for", MAX_SHADOW_RULES);
		return;
	}
	for (j = 1; j < p->nactive; j++) {
		r = p->active[j];
		for (i = 0; i < j; i++) {
			s = p->active[i];
			if (!s->terminal || !implies(&r->op, &s->op))
				continue;
			emit(l, r->file, r->def.name, "", "shadowed", "never "
			    "decides: rule \"%s\" (%s%s) comes first by name "
			    "and matches every connection this one matches",
			    s->def.name, policy_verdict_name(s->action),
			    s->action == POLICY_ALLOW ? ", precedence" : "");
			break;
		}
	}
}

void
policy_lint(struct policy *p, policy_diag_fn *fn, void *arg)
{
	struct lint	 l;
	struct prule	*r;
	size_t		 i;

	l.fn = fn;
	l.arg = arg;
	for (i = 0; i < p->nrules; i++) {
		r = p->rules[i];
		emit_notes(&l, &r->notes, r->file, r->def.name);
		if (!policy_rule_name_ok(r->def.name))
			emit(&l, r->file, r->def.name, "name", "name", "not a "
			    "name the daemon writes files under (empty, over "
			    "%d bytes, a leading dot, \"..\", a slash or a "
			    "control character): changes to it are not saved",
			    POLICY_NAME_MAX);
		if (!r->def.enabled)
			lint_disabled(p, &l, r);
	}
	if (policy_refresh(p) == -1) {
		emit(&l, "", NULL, "", "lint", "out of memory");
		return;
	}
	lint_lists(p, &l);
	lint_shadow(p, &l);
}
