/*
 * match.c: one connection against the rule set (SEMANTICS §3): the enabled
 * rules in name order; the first matching deny, reject or precedence rule
 * decides; otherwise the last matching rule does; otherwise none.
 * Each operand's text is made once per connection (numbers in decimal,
 * addresses as Go prints them, lowercase copies on demand).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "re2.h"

#define MCTX_BUF	4096

struct lowv {
	const char	*s;
	size_t		 len;
	char		*heap;
	int		 done;
};

struct mctx {
	struct policy			*p;
	const struct policy_conn	*c;
	char				 dip[64];
	char				 sip[64];
	char				 pid[24];	/* "" until needed */
	char				 uid[24];
	char				 dport[24];
	char				 sport[24];
	struct lowv			 low[OPD_MAX];
	size_t				 used;
	int				 oom;
	int				 denies;	/* the rule tried */
	char				 buf[MCTX_BUF];	/* not cleared */
};

int		 policy_match(struct policy *, const struct policy_conn *,
		    struct policy_result *);
int		 pol_cop_value_match(const struct cop *, const char *);
static void	 fmt_i64(char *, int64_t);
static const char *val(struct mctx *, enum opd, size_t *);
static const char *lowval(struct mctx *, enum opd, size_t *);
static int	 text_match(const struct cop *, const char *, size_t);
static int	 one_match(struct mctx *, const struct cop *, const char *);
static int	 value_match(struct mctx *, const struct cop *);
static int	 lists_match(struct mctx *, const struct cop *);
static int	 cop_match(struct mctx *, const struct cop *);
static void	 mark(struct mctx *);

/* Decimal text of v into b (at least 21 bytes), as Go's Itoa. */
static void
fmt_i64(char *b, int64_t v)
{
	char		t[24];
	uint64_t	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t		n = 0, i = 0;

	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		b[i++] = '-';
	while (n > 0)
		b[i++] = t[--n];
	b[i] = '\0';
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/* The operand's text, or NULL when it is unknown (hash, interface). */
static const char *
val(struct mctx *m, enum opd o, size_t *len)
{
	const struct policy_conn	*c = m->c;
	const char			*v;

	switch (o) {
	case OPD_PATH:
		v = nz(c->path);
		break;
	case OPD_CMD:
		v = nz(c->command);
		break;
	case OPD_HOST:
	case OPD_L_DOMAINS:
	case OPD_L_DOMAINS_RE:
		v = nz(c->host);
		break;
	case OPD_DIP:
		if (m->dip[0] == '\0')
			policy_ip_format(&c->dst, m->dip, sizeof(m->dip));
		v = m->dip;
		break;
	case OPD_SIP:
		if (m->sip[0] == '\0')
			policy_ip_format(&c->src, m->sip, sizeof(m->sip));
		v = m->sip;
		break;
	case OPD_DPORT:
		if (m->dport[0] == '\0')
			fmt_i64(m->dport, c->dport);
		v = m->dport;
		break;
	case OPD_SPORT:
		if (m->sport[0] == '\0')
			fmt_i64(m->sport, c->sport);
		v = m->sport;
		break;
	case OPD_PID:
		if (m->pid[0] == '\0')
			fmt_i64(m->pid, c->pid);
		v = m->pid;
		break;
	case OPD_UID:
	case OPD_USER:
		if (m->uid[0] == '\0')
			fmt_i64(m->uid, c->uid);
		v = m->uid;
		break;
	case OPD_PROTO:
		v = nz(c->proto);
		break;
	case OPD_IFIN:
		v = c->iface_in != NULL && c->iface_in[0] ? c->iface_in : NULL;
		break;
	case OPD_IFOUT:
		v = c->iface_out != NULL && c->iface_out[0] ? c->iface_out :
		    NULL;
		break;
	case OPD_MD5:
		v = c->md5 != NULL && c->md5[0] ? c->md5 : NULL;
		break;
	case OPD_SHA1:
		v = c->sha1 != NULL && c->sha1[0] ? c->sha1 : NULL;
		break;
	case OPD_L_MD5:
		v = nz(c->md5);
		break;
	default:
		v = NULL;
		break;
	}
	if (v != NULL)
		*len = strlen(v);
	return v;
}

/* The operand's text lowercased (Go's strings.ToLower), made once. */
static const char *
lowval(struct mctx *m, enum opd o, size_t *len)
{
	struct lowv	*l;
	const char	*v;
	size_t		 n;

	if (o == OPD_L_DOMAINS || o == OPD_L_DOMAINS_RE)
		o = OPD_HOST;
	l = &m->low[o];
	if (!l->done) {
		l->done = 1;
		if ((v = val(m, o, &n)) == NULL)
			return NULL;
		if (pol_ascii(v, n) && m->used + n + 1 <= sizeof(m->buf)) {
			memcpy(m->buf + m->used, v, n);
			pol_lower_ascii(m->buf + m->used, n);
			l->s = m->buf + m->used;
			l->len = n;
			m->used += n + 1;
		} else if ((l->heap = pol_lower(v, n, &l->len)) == NULL) {
			m->oom = 1;
			return NULL;
		} else
			l->s = l->heap;
	}
	*len = l->len;
	return l->s;
}

/* 1 match, 0 not, -1 the regexp engine failed (out of memory). */
static int
text_match(const struct cop *c, const char *v, size_t n)
{
	uint64_t	x;

	switch (c->type) {
	case OT_SIMPLE:
		if (c->sensitive || c->opd == OPD_MD5 || c->opd == OPD_SHA1)
			return n == c->datalen && memcmp(v, c->data, n) == 0;
		return pol_fold_equal(v, n, c->data, c->datalen);
	case OT_REGEXP:
		/* Unknown host, no command: the answer was found at load. */
		if (n == 0 && c->on_empty >= 0)
			return c->on_empty;
		if (c->litlen > 0 && !pol_contains(v, n, c->lit, c->litlen))
			return 0;
		return policy_re2_search(c->re, v, n);
	case OT_RANGE:
		if (pol_parse_u64(v, n, &x) == -1)
			x = 0;
		return x >= c->min && x <= c->max;
	default:
		return 0;
	}
}

/* One value of a many-valued operand (an ancestor, a variable). */
static int
one_match(struct mctx *m, const struct cop *c, const char *v)
{
	char	*low;
	size_t	 n = strlen(v);
	int	 r;

	if (c->type != OT_REGEXP || c->sensitive)
		r = text_match(c, v, n);
	else {
		if ((low = pol_lower(v, n, &n)) == NULL) {
			m->oom = 1;
			return 0;
		}
		r = text_match(c, low, n);
		free(low);
	}
	if (r == -1) {
		m->oom = 1;
		return 0;
	}
	return r;
}

/*
 * Whether a leaf operator holds for a connection whose operand has text
 * v (for lint's implication test); -1 if that cannot be told from v.
 */
int
pol_cop_value_match(const struct cop *c, const char *v)
{
	struct policy_ip	 ip;
	const struct ipnet	*nets;
	char			*low;
	size_t			 n = strlen(v), i, nn;
	int			 r;

	if (c->always)
		return 1;
	switch (c->type) {
	case OT_SIMPLE:
	case OT_RANGE:
		return text_match(c, v, n);
	case OT_REGEXP:
		if (c->sensitive)
			return text_match(c, v, n);
		if ((low = pol_lower(v, n, &n)) == NULL)
			return -1;
		r = text_match(c, low, n);
		free(low);
		return r;
	case OT_NETWORK:
		if (pol_ip_parse(v, n, &ip) == -1)
			return 0;
		nets = cop_nets(c, &nn);
		for (i = 0; i < nn; i++)
			if (pol_ipnet_contains(&nets[i], &ip))
				return 1;
		return 0;
	default:
		return -1;
	}
}

/*
 * Whether c reads text that attribution cut or could not know
 * (policy_conn): a cut command line or attribute list, a path that is
 * not the host's, an unknown hash.
 */
static int
cut_operand(const struct mctx *m, const struct cop *c)
{
	switch (c->opd) {
	case OPD_CMD:
		return m->c->command_cut;
	case OPD_PARENT:
	case OPD_ENV:
		return m->c->attrs_cut;
	case OPD_PATH:
		return m->c->path_unsure;
	case OPD_MD5:
	case OPD_L_MD5:
		return m->c->md5 == NULL || m->c->md5[0] == '\0';
	case OPD_SHA1:
		return m->c->sha1 == NULL || m->c->sha1[0] == '\0';
	default:
		return 0;
	}
}

static int
value_match(struct mctx *m, const struct cop *c)
{
	const struct policy_conn	*k = m->c;
	const char			*v;
	size_t				 i, n;
	int				 r;

	if (cut_operand(m, c))
		return m->denies;
	switch (c->opd) {
	case OPD_PARENT:
		for (i = 0; i < k->nparents && i < MAX_PARENTS; i++)
			if (one_match(m, c, nz(k->parents[i])))
				return 1;
		return 0;
	case OPD_ENV:
		for (i = 0; i < k->nenv; i++)
			if (k->env[i].name != NULL &&
			    strcmp(k->env[i].name, c->env) == 0)
				return one_match(m, c, nz(k->env[i].value));
		return one_match(m, c, "");
	default:
		break;
	}
	if (c->type == OT_REGEXP && !c->sensitive)
		v = lowval(m, c->opd, &n);
	else
		v = val(m, c->opd, &n);
	if (v == NULL)
		return 0;
	if ((r = text_match(c, v, n)) == -1) {
		m->oom = 1;
		return 0;
	}
	return r;
}

static int
lists_match(struct mctx *m, const struct cop *c)
{
	const char	*v;
	size_t		 n;
	int		 r;

	switch (c->opd) {
	case OPD_L_DOMAINS:
	case OPD_L_DOMAINS_RE:
		v = c->sensitive ? val(m, OPD_HOST, &n) :
		    lowval(m, OPD_HOST, &n);
		if (v == NULL)
			return 0;
		if (c->opd == OPD_L_DOMAINS)
			return pol_list_match_host(c->list, v, n);
		if ((r = pol_list_match_re(c->list, v, n)) == -1) {
			m->oom = 1;
			return 0;
		}
		return r;
	case OPD_L_IPS:
	case OPD_L_NETS:
		if (m->c->dst.family == 0)
			return 0;
		v = val(m, OPD_DIP, &n);
		return pol_list_match_ip(c->list, &m->c->dst, v);
	case OPD_L_MD5:
		if (cut_operand(m, c))
			return m->denies;
		if ((v = val(m, OPD_MD5, &n)) == NULL)
			return 0;
		return pol_list_match_key(c->list, v, n);
	default:
		return 0;
	}
}

static int
cop_match(struct mctx *m, const struct cop *c)
{
	const struct ipnet	*nets;
	size_t			 i, nn;

	if (c->always)
		return 1;
	switch (c->type) {
	case OT_LIST:
		for (i = 0; i < c->nkids; i++)
			if (!cop_match(m, &c->kids[i]))
				return 0;
		return 1;
	case OT_NETWORK:
		nets = cop_nets(c, &nn);
		for (i = 0; i < nn; i++)
			if (pol_ipnet_contains(&nets[i], &m->c->dst))
				return 1;
		return 0;
	case OT_LISTS:
		return lists_match(m, c);
	default:
		return value_match(m, c);
	}
}

/* Marks the guarded rules whose text equals this connection's value. */
static void
mark(struct mctx *m)
{
	static const enum opd ops[] = {
		OPD_PATH, OPD_CMD, OPD_HOST, OPD_DIP, OPD_SIP, OPD_DPORT,
		OPD_SPORT, OPD_PID, OPD_UID, OPD_PROTO, OPD_IFIN, OPD_IFOUT
	};
	struct policy	*p = m->p;
	char		 key[MAX_GUARD_TEXT + 2];
	const char	*v;
	size_t		 i, j, n;
	uint32_t	 g;
	int		 s, kl;

	memset(p->cand, 0, (p->nactive / 64 + 1) * sizeof(*p->cand));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (s = 0; s < 2; s++) {
			if (!(p->gmask & (1ULL << (2 * ops[i] + s))))
				continue;
			if ((v = val(m, ops[i], &n)) == NULL)
				continue;
			if ((!s && !pol_ascii(v, n)) ||
			    (ops[i] == OPD_CMD && m->c->command_cut) ||
			    (ops[i] == OPD_PATH && m->c->path_unsure)) {
				/*
				 * Folding beyond ASCII, a cut command
				 * line or an unsure path: evaluate them
				 * all.
				 */
				for (j = 0; j < p->nactive; j++)
					if (p->gopd[j] == (int)ops[i])
						p->cand[j / 64] |=
						    1ULL << (j % 64);
				continue;
			}
			if ((kl = pol_guard_key(key, sizeof(key), ops[i], s, v,
			    n)) < 0)
				continue;
			if (!pol_strset_find(&p->guard, key, (size_t)kl, &g))
				continue;
			for (; g != 0; g = p->gnext[g - 1])
				p->cand[(g - 1) / 64] |= 1ULL << ((g - 1) % 64);
		}
	}
}

int
policy_match(struct policy *p, const struct policy_conn *c,
    struct policy_result *res)
{
	struct mctx	 mc, *m = &mc;
	struct prule	*r, *match = NULL;
	size_t		 i;
	int		 ret = 0;

	memset(res, 0, sizeof(*res));
	if (policy_refresh(p) == -1)
		return -1;
	memset(m, 0, offsetof(struct mctx, buf));
	m->p = p;
	m->c = c;
	if (p->gmask != 0)
		mark(m);
	for (i = 0; i < p->nactive; i++) {
		r = p->active[i];
		if (p->gopd[i] >= 0 &&
		    !(p->cand[i / 64] & (1ULL << (i % 64))))
			continue;
		m->denies = r->action != POLICY_ALLOW;
		if (!cop_match(m, &r->op))
			continue;
		match = r;
		if (r->terminal)
			break;
	}
	if (m->oom)
		ret = -1;
	else if (match != NULL) {
		res->verdict = match->action;
		res->rule = match->def.name;
		res->nolog = match->def.nolog;
	}
	for (i = 0; i < OPD_MAX; i++)
		free(m->low[i].heap);
	return ret;
}
