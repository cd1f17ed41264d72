/*
 * compile.c: checks a decoded operator and builds its matcher, with
 * OpenSnitch's load-time rejections (SEMANTICS §4, §10) and tattle's
 * deviations D1-D6.  Constructs that load but behave surprisingly are
 * noted for policy_lint().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "re2.h"

int		 pol_cop_compile(struct policy *, const struct opdef *,
		    struct cop *, int, const char *, struct policy_err *,
		    struct pnotes *);
void		 pol_cop_free(struct policy *, struct cop *);
int		 pol_legacy_list_expand(struct opdef *, struct pnotes *,
		    struct policy_err *);
enum policy_verdict pol_action_parse(const char *, int *);
const struct palias *policy_alias(const struct policy *, const char *);
static enum opd	 opd_lookup(const char *);
static enum optype type_lookup(const char *);
static int	 compile_simple(struct policy *, const struct opdef *,
		    struct cop *, const char *, struct policy_err *,
		    struct pnotes *);
static int	 compile_regexp(const struct opdef *, struct cop *,
		    const char *, struct policy_err *, struct pnotes *);
static int	 compile_range(const struct opdef *, struct cop *,
		    const char *, struct policy_err *, struct pnotes *);
static int	 compile_network(struct policy *, const struct opdef *,
		    struct cop *, const char *, struct policy_err *,
		    struct pnotes *);
static int	 compile_lists(struct policy *, const struct opdef *,
		    struct cop *, const char *, struct policy_err *);
static int	 compile_list(struct policy *, const struct opdef *,
		    struct cop *, int, const char *, struct policy_err *,
		    struct pnotes *);
static void	 note_value(const struct opdef *, const struct cop *,
		    const char *, struct pnotes *);

static const struct {
	const char	*name;
	enum opd	 opd;
} operands[] = {
	{ "true", OPD_TRUE },
	{ "process.path", OPD_PATH },
	{ "process.id", OPD_PID },
	{ "process.command", OPD_CMD },
	{ "process.parent.path", OPD_PARENT },
	{ "process.hash.md5", OPD_MD5 },
	{ "process.hash.sha1", OPD_SHA1 },
	{ "user.id", OPD_UID },
	{ "user.name", OPD_USER },
	{ "source.ip", OPD_SIP },
	{ "source.port", OPD_SPORT },
	{ "dest.ip", OPD_DIP },
	{ "dest.host", OPD_HOST },
	{ "dest.port", OPD_DPORT },
	{ "dest.network", OPD_DNET },
	{ "source.network", OPD_SNET },
	{ "protocol", OPD_PROTO },
	{ "iface.in", OPD_IFIN },
	{ "iface.out", OPD_IFOUT },
	{ "list", OPD_LIST },
	{ "lists.domains", OPD_L_DOMAINS },
	{ "lists.domains_regexp", OPD_L_DOMAINS_RE },
	{ "lists.ips", OPD_L_IPS },
	{ "lists.nets", OPD_L_NETS },
	{ "lists.hash.md5", OPD_L_MD5 },
};

#define ENV_PREFIX	"process.env."

static enum opd
opd_lookup(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof(operands) / sizeof(operands[0]); i++)
		if (strcmp(operands[i].name, s) == 0)
			return operands[i].opd;
	if (strncmp(s, ENV_PREFIX, strlen(ENV_PREFIX)) == 0)
		return OPD_ENV;
	return OPD_UNKNOWN;
}

static enum optype
type_lookup(const char *s)
{
	if (strcmp(s, "simple") == 0)
		return OT_SIMPLE;
	if (strcmp(s, "regexp") == 0)
		return OT_REGEXP;
	if (strcmp(s, "network") == 0)
		return OT_NETWORK;
	if (strcmp(s, "range") == 0)
		return OT_RANGE;
	if (strcmp(s, "list") == 0)
		return OT_LIST;
	if (strcmp(s, "lists") == 0)
		return OT_LISTS;
	return 0;
}

/* D1: allow/deny/reject in any case; anything else is a terminal deny. */
enum policy_verdict
pol_action_parse(const char *a, int *exact)
{
	static const struct {
		const char		*name;
		enum policy_verdict	 v;
	} acts[] = {
		{ "allow", POLICY_ALLOW },
		{ "deny", POLICY_DENY },
		{ "reject", POLICY_REJECT },
	};
	size_t	i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (pol_fold_equal(a, strlen(a), acts[i].name,
		    strlen(acts[i].name))) {
			*exact = strcmp(a, acts[i].name) == 0;
			return acts[i].v;
		}
	}
	*exact = 0;
	return POLICY_DENY;
}

/* Values that load but can never be equal to what the daemon prints. */
static void
note_value(const struct opdef *d, const struct cop *c, const char *f,
    struct pnotes *notes)
{
	struct policy_ip	ip;
	char			canon[64], q[128];
	uint64_t		v;
	size_t			dl = strlen(d->data);

	pol_quote(q, sizeof(q), d->data, dl);
	switch (c->opd) {
	case OPD_DIP:
	case OPD_SIP:
		if (pol_ip_parse(d->data, dl, &ip) == 0) {
			policy_ip_format(&ip, canon, sizeof(canon));
			if (c->sensitive ? strcmp(canon, d->data) != 0 :
			    !pol_fold_equal(canon, strlen(canon), d->data, dl))
				pol_note_add(notes, f, "surprising", "%s is "
				    "compared as text with the address as "
				    "the daemon prints it (\"%s\"): it never "
				    "matches", q, canon);
		}
		break;
	case OPD_PID:
	case OPD_UID:
	case OPD_SPORT:
	case OPD_DPORT:
		if (pol_parse_u64(d->data, dl, &v) == 0) {
			snprintf(canon, sizeof(canon), "%llu",
			    (unsigned long long)v);
			if (strcmp(canon, d->data) != 0)
				pol_note_add(notes, f, "surprising", "%s is "
				    "compared as text with the decimal "
				    "number (\"%s\"): it never matches", q,
				    canon);
		}
		break;
	case OPD_IFIN:
	case OPD_IFOUT:
		if (dl == 0)
			pol_note_add(notes, f, "surprising", "an empty "
			    "interface name never matches: an interface that "
			    "does not resolve makes the operator false");
		break;
	default:
		break;
	}
}

static int
compile_simple(struct policy *p, const struct opdef *d, struct cop *c,
    const char *f, struct policy_err *err, struct pnotes *notes)
{
	char		 fd[POLICY_ERR_FIELD], q[128], uid[24];
	uint32_t	 u;
	size_t		 dl = strlen(d->data);

	snprintf(fd, sizeof(fd), "%s.data", f);
	if (c->opd == OPD_USER) {
		pol_quote(q, sizeof(q), d->data, dl);
		if (p->opts.user_lookup == NULL) {
			pol_err_set(err, fd, "user.name %s: no user database "
			    "to look it up in", q);
			return -1;
		}
		if (p->opts.user_lookup(d->data, &u, p->opts.user_arg) != 0) {
			pol_err_set(err, fd, "unknown user %s", q);
			return -1;
		}
		snprintf(uid, sizeof(uid), "%u", u);
		c->data = strdup(uid);
	} else
		c->data = strdup(d->data);
	if (c->data == NULL) {
		pol_err_set(err, fd, "out of memory");
		return -1;
	}
	c->datalen = strlen(c->data);
	note_value(d, c, fd, notes);
	if (!c->sensitive && !pol_ascii(c->data, c->datalen) &&
	    (c->opd == OPD_PATH || c->opd == OPD_CMD || c->opd == OPD_ENV ||
	    c->opd == OPD_PARENT || c->opd == OPD_HOST))
		pol_note_add(notes, fd, "surprising", "compared with Unicode "
		    "case folding (Go's EqualFold: U+212A KELVIN SIGN equals "
		    "\"k\", \"\\u00df\" does not equal \"SS\")");
	if (c->opd == OPD_L_DOMAINS || c->opd == OPD_L_DOMAINS_RE ||
	    c->opd == OPD_L_MD5)
		pol_note_add(notes, f, "surprising", "operand %s with type "
		    "simple compares the connection's value with the text of "
		    "\"data\"; it reads no list", d->operand);
	return 0;
}

static int
compile_regexp(const struct opdef *d, struct cop *c, const char *f,
    struct policy_err *err, struct pnotes *notes)
{
	char		 fd[POLICY_ERR_FIELD], e[POLICY_ERR_REASON / 2];
	char		 e2[64], lit[256];
	char		*pat;
	size_t		 dl = strlen(d->data), pl, i;
	struct re2	*orig;

	snprintf(fd, sizeof(fd), "%s.data", f);
	pl = dl;
	if (c->sensitive)
		pat = strdup(d->data);
	else
		pat = pol_lower(d->data, dl, &pl);
	if (pat == NULL) {
		pol_err_set(err, fd, "out of memory");
		return -1;
	}
	if ((c->re = policy_re2_compile(pat, pl, e, sizeof(e))) == NULL) {
		orig = NULL;
		if (!c->sensitive)
			orig = policy_re2_compile(d->data, dl, e2, sizeof(e2));
		pol_err_set(err, fd, "invalid regexp: %s%s", e, orig != NULL ?
		    " (sensitive is false, so the pattern was lowercased "
		    "first; it is valid as written)" : "");
		policy_re2_free(orig);
		free(pat);
		return -1;
	}
	/* -1 (the engine failed): left to each match. */
	c->on_empty = policy_re2_search(c->re, "", 0);
	c->litlen = pol_re_literal(pat, pl, lit, sizeof(lit));
	if (c->litlen > 0 && (c->lit = pol_strndup(lit, c->litlen)) == NULL)
		c->litlen = 0;
	if (!c->sensitive) {
		for (i = 0; i + 1 < dl; i++)
			if (d->data[i] == '\\' && d->data[i + 1] >= 'A' &&
			    d->data[i + 1] <= 'Z')
				break;
		if (i + 1 < dl)
			pol_note_add(notes, fd, "surprising", "sensitive is "
			    "false, so the pattern is lowercased before it is "
			    "compiled: \\%c became \\%c", d->data[i + 1],
			    d->data[i + 1] - 'A' + 'a');
		if (strstr(d->data, "[:upper:]") != NULL ||
		    strstr(d->data, "A-Z") != NULL)
			pol_note_add(notes, fd, "surprising", "sensitive is "
			    "false: the value is lowercased, so upper-case "
			    "classes never match");
	}
	if (c->opd == OPD_USER)
		pol_note_add(notes, f, "surprising", "regexp on user.name is "
		    "matched against the numeric uid, not the name");
	free(pat);
	return 0;
}

/* "min-max": spaces removed, both base-10 uint64, min <= max. */
static int
compile_range(const struct opdef *d, struct cop *c, const char *f,
    struct policy_err *err, struct pnotes *notes)
{
	char		 fd[POLICY_ERR_FIELD], q[128], *buf, *dash;
	size_t		 i, o = 0, dl = strlen(d->data);
	int		 numeric;

	snprintf(fd, sizeof(fd), "%s.data", f);
	pol_quote(q, sizeof(q), d->data, dl);
	switch (c->opd) {
	case OPD_TRUE:
	case OPD_PID:
	case OPD_UID:
	case OPD_USER:
	case OPD_SPORT:
	case OPD_DPORT:
	case OPD_UNKNOWN:
		numeric = 1;
		break;
	default:
		numeric = 0;
		break;
	}
	if ((buf = malloc(dl + 1)) == NULL) {
		pol_err_set(err, fd, "out of memory");
		return -1;
	}
	for (i = 0; i < dl; i++)
		if (d->data[i] != ' ')
			buf[o++] = d->data[i];
	buf[o] = '\0';
	if ((dash = strchr(buf, '-')) == NULL || strchr(dash + 1, '-')) {
		pol_err_set(err, fd, "range %s is not \"min-max\"", q);
		free(buf);
		return -1;
	}
	if (pol_parse_u64(buf, (size_t)(dash - buf), &c->min) == -1 ||
	    pol_parse_u64(dash + 1, strlen(dash + 1), &c->max) == -1) {
		pol_err_set(err, fd, "range %s: min and max must be decimal "
		    "numbers", q);
		free(buf);
		return -1;
	}
	free(buf);
	if (c->min > c->max) {
		pol_err_set(err, fd, "range %s: min is greater than max", q);
		return -1;
	}
	if (numeric)
		return 0;
	/*
	 * D4: OpenSnitch reads a value that is not a number as 0, so a range
	 * from 0 matches every connection: refused.  One that cannot hold 0
	 * never matches: loaded, and noted.
	 */
	snprintf(fd, sizeof(fd), "%s.operand", f);
	if (c->min == 0) {
		pol_err_set(err, fd, "range on %s is refused: it is not a "
		    "number, and OpenSnitch reads it as 0, which %s holds (D4)",
		    d->operand, q);
		return -1;
	}
	pol_note_add(notes, fd, "D4", "range on %s, which is not a number: "
	    "OpenSnitch reads it as 0, so this rule never matches", d->operand);
	return 0;
}

static int
compile_network(struct policy *p, const struct opdef *d, struct cop *c,
    const char *f, struct policy_err *err, struct pnotes *notes)
{
	const struct palias	*a;
	char			 fd[POLICY_ERR_FIELD], q[128];

	if (c->opd != OPD_DNET) {
		snprintf(fd, sizeof(fd), "%s.operand", f);
		pol_err_set(err, fd, "type network needs operand dest.network, "
		    "not %s", d->operand);
		return -1;
	}
	snprintf(fd, sizeof(fd), "%s.data", f);
	if ((a = policy_alias(p, d->data)) != NULL && a->dynamic) {
		/* tattle's own (OpenSnitch refuses it): read at match. */
		c->alias = a;
		return 0;
	}
	if (a != NULL) {
		if (a->n > 0 &&
		    (c->nets = calloc(a->n, sizeof(*c->nets))) == NULL) {
			pol_err_set(err, fd, "out of memory");
			return -1;
		}
		if (a->n > 0)
			memcpy(c->nets, a->nets, a->n * sizeof(*c->nets));
		c->nnets = a->n;
		if (strcmp(d->data, "LAN") == 0)
			pol_note_add(notes, fd, "D6", "alias LAN includes "
			    "::1/128 in tattle; OpenSnitch's stock alias file "
			    "lists \"::1\" without a prefix length and drops "
			    "it");
		return 0;
	}
	if ((c->nets = calloc(1, sizeof(*c->nets))) == NULL) {
		pol_err_set(err, fd, "out of memory");
		return -1;
	}
	if (pol_ipnet_parse(d->data, strlen(d->data), c->nets) == -1) {
		pol_quote(q, sizeof(q), d->data, strlen(d->data));
		pol_err_set(err, fd, "invalid CIDR %s (and not an alias such "
		    "as LAN or MULTICAST; aliases are case-sensitive)", q);
		return -1;
	}
	c->nnets = 1;
	return 0;
}

static int
compile_lists(struct policy *p, const struct opdef *d, struct cop *c,
    const char *f, struct policy_err *err)
{
	char		fd[POLICY_ERR_FIELD], why[512];
	enum lkind	kind;

	snprintf(fd, sizeof(fd), "%s.operand", f);
	switch (c->opd) {
	case OPD_L_DOMAINS:
		kind = LK_DOMAINS;
		break;
	case OPD_L_DOMAINS_RE:
		kind = LK_DOMAINS_RE;
		break;
	case OPD_L_IPS:
		kind = LK_IPS;
		break;
	case OPD_L_NETS:
		kind = LK_NETS;
		break;
	case OPD_L_MD5:
		kind = LK_MD5;
		break;
	default:
		pol_err_set(err, fd, "unknown lists operand %s (lists.domains, "
		    "lists.domains_regexp, lists.ips, lists.nets, "
		    "lists.hash.md5)", d->operand);
		return -1;
	}
	if (p->opts.list_roots != NULL && !policy_list_dir_ok(
	    p->opts.list_roots, p->opts.nlist_roots, d->data, why,
	    sizeof(why))) {
		snprintf(fd, sizeof(fd), "%s.data", f);
		pol_err_set(err, fd, "%s", why);
		return -1;
	}
	c->list = pol_list_get(p, d->data, kind, kind == LK_DOMAINS &&
	    !c->sensitive);
	if (c->list == NULL) {
		snprintf(fd, sizeof(fd), "%s.data", f);
		pol_err_set(err, fd, "more than %d list directories in use "
		    "(MAX_LIST_DIRS), or out of memory", MAX_LIST_DIRS);
		return -1;
	}
	return 0;
}

static int
compile_list(struct policy *p, const struct opdef *d, struct cop *c,
    int depth, const char *f, struct policy_err *err, struct pnotes *notes)
{
	char	fd[POLICY_ERR_FIELD];
	size_t	i;

	c->opd = OPD_LIST;
	if (depth > 0) {
		snprintf(fd, sizeof(fd), "%s.type", f);
		pol_err_set(err, fd, "a list inside a list is refused "
		    "(OpenSnitch never compiles its operators and crashes)");
		return -1;
	}
	snprintf(fd, sizeof(fd), "%s.list", f);
	if (d->nlist == 0) {
		pol_err_set(err, fd, "an empty or null list is refused (D2; "
		    "OpenSnitch matches every connection with it)");
		return -1;
	}
	if (d->nlist > MAX_OP_CHILDREN) {
		pol_err_set(err, fd, "%zu operators (MAX_OP_CHILDREN is %d)",
		    d->nlist, MAX_OP_CHILDREN);
		return -1;
	}
	if ((c->kids = calloc(d->nlist, sizeof(*c->kids))) == NULL) {
		pol_err_set(err, fd, "out of memory");
		return -1;
	}
	for (i = 0; i < d->nlist; i++) {
		snprintf(fd, sizeof(fd), "%s.list[%zu]", f, i);
		c->nkids = i + 1;
		if (pol_cop_compile(p, &d->list[i], &c->kids[i], depth + 1, fd,
		    err, notes) == -1)
			return -1;
	}
	return 0;
}

int
pol_cop_compile(struct policy *p, const struct opdef *d, struct cop *c,
    int depth, const char *f, struct policy_err *err, struct pnotes *notes)
{
	char	fd[POLICY_ERR_FIELD], q[128];
	const char *name;
	size_t	nl;

	memset(c, 0, sizeof(*c));
	c->type = type_lookup(d->type);
	c->opd = opd_lookup(d->operand);
	c->sensitive = d->sensitive;
	if (c->type == 0) {
		snprintf(fd, sizeof(fd), "%s.type", f);
		pol_quote(q, sizeof(q), d->type, strlen(d->type));
		pol_err_set(err, fd, "unknown operator type %s (simple, "
		    "regexp, network, range, list, lists; case-sensitive)", q);
		return -1;
	}
	if (c->type != OT_SIMPLE && c->type != OT_REGEXP &&
	    c->type != OT_LIST && c->opd != OPD_TRUE && d->data[0] == '\0') {
		snprintf(fd, sizeof(fd), "%s.data", f);
		pol_err_set(err, fd, "must not be empty for type %s", d->type);
		return -1;
	}
	if (c->type == OT_LIST)
		return compile_list(p, d, c, depth, f, err, notes);
	snprintf(fd, sizeof(fd), "%s.operand", f);
	if (c->type != OT_NETWORK && c->type != OT_LISTS) {
		switch (c->opd) {
		case OPD_DNET:
		case OPD_SNET:
			pol_err_set(err, fd, "%s needs type "
			    "network (OpenSnitch crashes on it "
			    "with type %s)", d->operand,
			    d->type);
			return -1;
		case OPD_L_IPS:
		case OPD_L_NETS:
			pol_err_set(err, fd, "%s needs type lists (OpenSnitch "
			    "crashes on it with type %s)", d->operand,
			    d->type);
			return -1;
		case OPD_LIST:
			pol_err_set(err, fd, "operand list needs type list "
			    "(OpenSnitch evaluates it as a list it never "
			    "compiled)");
			return -1;
		default:
			break;
		}
	}
	if (c->opd == OPD_ENV) {
		name = d->operand + strlen(ENV_PREFIX);
		nl = strlen(name);
		pol_trim_set(&name, &nl, "\r\n\t ");
		if ((c->env = pol_strndup(name, nl)) == NULL) {
			pol_err_set(err, fd, "out of memory");
			return -1;
		}
		if (nl != strlen(d->operand + strlen(ENV_PREFIX)))
			pol_note_add(notes, fd, "surprising", "the variable "
			    "name is trimmed of blanks: \"%s\"", c->env);
	}
	if (c->opd == OPD_UNKNOWN && c->type != OT_LISTS) {
		pol_quote(q, sizeof(q), d->operand, strlen(d->operand));
		pol_note_add(notes, fd, "surprising", "unknown operand %s: the "
		    "operator never matches (operands are case-sensitive)", q);
	}
	if (c->opd == OPD_MD5 || c->opd == OPD_SHA1)
		pol_note_add(notes, fd, "D5", "%s is always compared, and an "
		    "unknown hash is unknown: it matches in deny and reject "
		    "rules, never in allow rules; OpenSnitch matches any "
		    "process when Rules.EnableChecksums is false (it is %s "
		    "here) or the hash is unknown%s", d->operand,
		    p->opts.checksums ? "true" : "false",
		    c->opd == OPD_SHA1 ? " (it never computes sha1)" : "");
	switch (c->type) {
	case OT_SIMPLE:
		if (compile_simple(p, d, c, f, err, notes) == -1)
			return -1;
		break;
	case OT_REGEXP:
		if (compile_regexp(d, c, f, err, notes) == -1)
			return -1;
		break;
	case OT_RANGE:
		if (compile_range(d, c, f, err, notes) == -1)
			return -1;
		break;
	case OT_NETWORK:
		if (compile_network(p, d, c, f, err, notes) == -1)
			return -1;
		break;
	case OT_LISTS:
		if (compile_lists(p, d, c, f, err) == -1)
			return -1;
		break;
	case OT_LIST:
		break;
	}
	c->always = c->opd == OPD_TRUE;
	return 0;
}

void
pol_cop_free(struct policy *p, struct cop *c)
{
	size_t	i;

	free(c->data);
	free(c->env);
	policy_re2_free(c->re);
	free(c->lit);
	free(c->nets);
	for (i = 0; i < c->nkids; i++)
		pol_cop_free(p, &c->kids[i]);
	free(c->kids);
	if (c->list != NULL)
		pol_list_put(p, c->list);
	memset(c, 0, sizeof(*c));
}

/*
 * D3: a "list" operator with no "list" takes the operators from the
 * legacy JSON text in "data", for enabled and disabled rules alike.
 * Returns 1 if it did, 0 if there was nothing to do, -1 on error.
 */
int
pol_legacy_list_expand(struct opdef *op, struct pnotes *notes,
    struct policy_err *err)
{
	struct jdoc	doc;
	char		e[POLICY_ERR_REASON / 2];
	char		*empty;

	if (strcmp(op->type, "list") != 0 || op->nlist > 0 ||
	    op->data[0] == '\0')
		return 0;
	if (pol_json_parse(&doc, op->data, strlen(op->data), e,
	    sizeof(e)) == -1) {
		pol_err_set(err, "operator.data", "the legacy list in data is "
		    "not JSON: %s", e);
		return -1;
	}
	if (pol_oplist_decode(doc.root, &op->list, &op->nlist, notes, err,
	    "operator.data") == -1) {
		pol_json_free(&doc);
		return -1;
	}
	pol_json_free(&doc);
	if ((empty = strdup("")) == NULL) {
		pol_err_set(err, "operator.data", "out of memory");
		return -1;
	}
	free(op->data);
	op->data = empty;
	op->list_null = op->nlist == 0;
	return 1;
}

/* An alias by name (compile's and policy_set_resolvers'). */
const struct palias *
policy_alias(const struct policy *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->naliases; i++)
		if (strcmp(p->aliases[i].name, name) == 0)
			return &p->aliases[i];
	return NULL;
}
