/*
 * re2_parse.c: parse a Go regexp (regexp/syntax with the Perl flags that
 * regexp.Compile uses) into a tree, with Go's error for every input Go
 * rejects.  The parser works like Go's: a stack of finished pieces with
 * '(' and '|' markers; flags apply to what is parsed while they are set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "re2.h"
#include "re2_int.h"
#include "ufold.h"

#define E_CLASS		"invalid character class"
#define E_RANGE		"invalid character class range"
#define E_ESCAPE	"invalid escape sequence"
#define E_NAMED		"invalid named capture"
#define E_PERLOP	"invalid or unsupported Perl syntax"
#define E_REPEATOP	"invalid nested repetition operator"
#define E_REPEATSIZE	"invalid repeat count"
#define E_UTF8		"invalid UTF-8"
#define E_BRACKET	"missing closing ]"
#define E_PAREN		"missing closing )"
#define E_ARGUMENT	"missing argument to repetition operator"
#define E_BACKSLASH	"trailing backslash at end of expression"
#define E_UNPAREN	"unexpected )"
#define E_DEPTH		"expression nests too deeply"

struct re2_parser {
	const char		 *whole, *end;
	int			  flags;
	struct re2_node		**stack;
	size_t			  n, cap;
	struct re2_tree		 *tree;
	char			 *err;
	size_t			  errlen;
};

static int	 re2_err(struct re2_parser *, const char *, const char *,
		    const char *);
static int	 re2_nomem(struct re2_parser *);
static int	 re2_next(struct re2_parser *, const char **, uint32_t *);
static int	 re2_check_utf8(struct re2_parser *, const char *,
		    const char *);
static struct re2_node *re2_node_new(struct re2_parser *, enum re2_op);
static int	 re2_height(struct re2_parser *, struct re2_node *);
static int	 re2_push(struct re2_parser *, struct re2_node *);
static int	 re2_push_op(struct re2_parser *, enum re2_op);
static int	 re2_push_class(struct re2_parser *, struct re2_node *);
static int	 re2_literal(struct re2_parser *, uint32_t);
static struct re2_node *re2_collapse(struct re2_parser *, size_t,
		    enum re2_op);
static int	 re2_concat(struct re2_parser *);
static int	 re2_alternate(struct re2_parser *);
static int	 re2_right_paren(struct re2_parser *);
static int	 re2_repeat_valid(const struct re2_node *, int);
static int	 re2_repeat(struct re2_parser *, int, int, int, const char *,
		    const char **, const char *);
static int	 re2_parse_int(const char **, const char *, int *);
static int	 re2_parse_repeat(const char *, const char *, int *, int *,
		    const char **);
static int	 re2_perl_flags(struct re2_parser *, const char **);
static int	 re2_escape(struct re2_parser *, const char **, uint32_t *);
static int	 re2_unicode_class(struct re2_parser *, const char **,
		    struct re2_rset *);
static int	 re2_perl_class(struct re2_parser *, const char **,
		    struct re2_rset *);
static int	 re2_class(struct re2_parser *, const char **);
static int	 re2_backslash(struct re2_parser *, const char **);
static int	 re2_isalnum(uint32_t);

static int
re2_isalnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* Go's message: error parsing regexp: CODE: `EXPR`, EXPR made printable. */
static int
re2_err(struct re2_parser *p, const char *code, const char *e,
    const char *eend)
{
	size_t		 o;
	int		 k;
	unsigned char	 c;

	if (p->errlen == 0)
		return -1;
	k = snprintf(p->err, p->errlen, "error parsing regexp: %s: `", code);
	o = k < 0 ? 0 : (size_t)k;
	while (e < eend && o + 5 < p->errlen) {
		c = *e;
		if (c >= 0x80) {
			size_t	 i = 0, n;
			uint32_t r = pol_ufold_decode(e, eend - e, &i);

			n = i;
			if ((r == UFOLD_RUNE_ERROR && n == 1) ||
			    o + n + 2 >= p->errlen) {
				o += snprintf(p->err + o, p->errlen - o,
				    "\\x%02x", c);
				n = 1;
			} else {
				memcpy(p->err + o, e, n);
				o += n;
			}
			e += n;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			o += snprintf(p->err + o, p->errlen - o, "\\x%02x", c);
		else
			p->err[o++] = c;
		e++;
	}
	if (o + 2 <= p->errlen) {
		p->err[o++] = '`';
		p->err[o] = '\0';
	} else
		p->err[p->errlen - 1] = '\0';
	return -1;
}

static int
re2_nomem(struct re2_parser *p)
{
	snprintf(p->err, p->errlen, "regexp: out of memory");
	return -1;
}

/* Go's nextRune: at the end, U+FFFD without error; bad UTF-8 is an error. */
static int
re2_next(struct re2_parser *p, const char **t, uint32_t *c)
{
	size_t	 i = 0;

	if (*t >= p->end) {
		*c = UFOLD_RUNE_ERROR;
		return 0;
	}
	*c = pol_ufold_decode(*t, p->end - *t, &i);
	if (*c == UFOLD_RUNE_ERROR && i == 1)
		return re2_err(p, E_UTF8, *t, p->end);
	*t += i;
	return 0;
}

static int
re2_check_utf8(struct re2_parser *p, const char *s, const char *e)
{
	size_t		 i = 0;
	uint32_t	 c;

	while (s + i < e) {
		size_t	 at = i;

		c = pol_ufold_decode(s, e - s, &i);
		if (c == UFOLD_RUNE_ERROR && i - at == 1)
			return re2_err(p, E_UTF8, s + at, e);
	}
	return 0;
}

static struct re2_node *
re2_node_new(struct re2_parser *p, enum re2_op op)
{
	struct re2_node	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		re2_nomem(p);
		return NULL;
	}
	n->op = op;
	n->height = 1;
	n->all = p->tree->nodes;
	p->tree->nodes = n;
	return n;
}

/*
 * Go's tree height, with a run of literals counting as one node as in
 * Go's literal strings.
 */
static int
re2_height(struct re2_parser *p, struct re2_node *n)
{
	struct re2_node	*s;
	int		 h = 0, lits = 1;

	for (s = n->sub; s != NULL; s = s->next) {
		if (s->height > h)
			h = s->height;
		if (s->op != RE2_CLASS || s->counted != 1)
			lits = 0;
	}
	n->height = n->op == RE2_CAT && lits ? 1 : h + 1;
	if (n->height > RE2_MAX_HEIGHT)
		return re2_err(p, E_DEPTH, p->whole, p->end);
	return 0;
}

static int
re2_push(struct re2_parser *p, struct re2_node *n)
{
	struct re2_node	**ns;
	size_t		  ncap;

	if (p->n == p->cap) {
		ncap = p->cap ? p->cap * 2 : 32;
		if ((ns = reallocarray(p->stack, ncap, sizeof(*ns))) == NULL)
			return re2_nomem(p);
		p->stack = ns;
		p->cap = ncap;
	}
	p->stack[p->n++] = n;
	return 0;
}

static int
re2_push_op(struct re2_parser *p, enum re2_op op)
{
	struct re2_node	*n;

	if ((n = re2_node_new(p, op)) == NULL)
		return -1;
	return re2_push(p, n);
}

static int
re2_push_class(struct re2_parser *p, struct re2_node *n)
{
	if (pol_re2_rset_clean(&n->cls) == -1)
		return re2_nomem(p);
	p->tree->nranges += n->cls.n;
	if (p->tree->nranges > RE2_MAX_RANGES) {
		snprintf(p->err, p->errlen, "regexp too large for tattle: "
		    "more than %d code point ranges in its classes",
		    RE2_MAX_RANGES);
		return -1;
	}
	return re2_push(p, n);
}

/* A literal is a one-element class; under (?i) its folding orbit. */
static int
re2_literal(struct re2_parser *p, uint32_t c)
{
	struct re2_node	*n;
	int		 rv;

	if ((n = re2_node_new(p, RE2_CLASS)) == NULL)
		return -1;
	n->counted = 1 + ((p->flags & RE2_F_FOLD) != 0);
	if (p->flags & RE2_F_FOLD)
		rv = pol_re2_rset_add_folded(&n->cls, c, c);
	else
		rv = pol_re2_rset_add(&n->cls, c, c);
	if (rv == -1)
		return re2_nomem(p);
	return re2_push_class(p, n);
}

/* Replace stack[from..] by one node; nested nodes of the same op merge. */
static struct re2_node *
re2_collapse(struct re2_parser *p, size_t from, enum re2_op op)
{
	struct re2_node	*n, *s, **tail;
	size_t		 i;

	if (p->n - from == 1)
		return p->stack[--p->n];
	if ((n = re2_node_new(p, op)) == NULL)
		return NULL;
	tail = &n->sub;
	for (i = from; i < p->n; i++) {
		s = p->stack[i];
		if (s->op == op && op != RE2_CLASS) {
			*tail = s->sub;
			while (*tail != NULL)
				tail = &(*tail)->next;
			s->sub = NULL;
		} else {
			*tail = s;
			tail = &s->next;
		}
	}
	*tail = NULL;
	p->n = from;
	if (re2_height(p, n) == -1)
		return NULL;
	return n;
}

static int
re2_concat(struct re2_parser *p)
{
	struct re2_node	*n;
	size_t		 i = p->n;

	while (i > 0 && p->stack[i - 1]->op < RE2_LPAREN)
		i--;
	if (i == p->n)
		return re2_push_op(p, RE2_EMPTY);
	if ((n = re2_collapse(p, i, RE2_CAT)) == NULL)
		return -1;
	return re2_push(p, n);
}

/* The stack above the last '(' is: alt | alt | ... alt; make one node. */
static int
re2_alternate(struct re2_parser *p)
{
	struct re2_node	*n;
	size_t		 i = p->n, j, w;

	while (i > 0 && p->stack[i - 1]->op != RE2_LPAREN)
		i--;
	for (w = j = i; j < p->n; j++)
		if (p->stack[j]->op != RE2_VBAR)
			p->stack[w++] = p->stack[j];
	p->n = w;
	if ((n = re2_collapse(p, i, RE2_ALT)) == NULL)
		return -1;
	return re2_push(p, n);
}

static int
re2_right_paren(struct re2_parser *p)
{
	struct re2_node	*n, *lp;

	if (re2_concat(p) == -1 || re2_alternate(p) == -1)
		return -1;
	if (p->n < 2 || p->stack[p->n - 2]->op != RE2_LPAREN)
		return re2_err(p, E_UNPAREN, p->whole, p->end);
	n = p->stack[--p->n];
	lp = p->stack[--p->n];
	p->flags = lp->flags;
	if (lp->cap) {
		lp->op = RE2_CAPTURE;
		lp->sub = n;
		if (re2_height(p, lp) == -1)
			return -1;
		n = lp;
	}
	return re2_push(p, n);
}

/* Go's repeatIsValid: nested counted repeats multiply to at most n. */
static int
re2_repeat_valid(const struct re2_node *re, int n)
{
	const struct re2_node	*s;
	int			 m;

	if (re->op == RE2_REPEAT && re->counted) {
		m = re->max;
		if (m == 0)
			return 1;
		if (m < 0)
			m = re->min;
		if (m > n)
			return 0;
		if (m > 0)
			n /= m;
	}
	for (s = re->sub; s != NULL; s = s->next)
		if (!re2_repeat_valid(s, n))
			return 0;
	return 1;
}

static int
re2_repeat(struct re2_parser *p, int min, int max, int counted,
    const char *before, const char **after, const char *last)
{
	struct re2_node	*n, *sub;

	if (*after < p->end && **after == '?')
		(*after)++;
	if (last != NULL)
		return re2_err(p, E_REPEATOP, last, *after);
	if (p->n == 0 || p->stack[p->n - 1]->op >= RE2_LPAREN)
		return re2_err(p, E_ARGUMENT, before, *after);
	sub = p->stack[p->n - 1];
	if ((n = re2_node_new(p, RE2_REPEAT)) == NULL)
		return -1;
	n->min = min;
	n->max = max;
	n->counted = counted;
	n->sub = sub;
	p->stack[p->n - 1] = n;
	if (re2_height(p, n) == -1)
		return -1;
	if (counted && (min >= 2 || max >= 2) &&
	    !re2_repeat_valid(n, RE2_MAX_REPEAT))
		return re2_err(p, E_REPEATSIZE, before, *after);
	return 0;
}

/* Go's parseInt: no leading zeros; -1 when too big. */
static int
re2_parse_int(const char **s, const char *end, int *n)
{
	const char	*t = *s;

	if (t >= end || *t < '0' || *t > '9')
		return 0;
	if (end - t >= 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9')
		return 0;
	*n = 0;
	for (; t < end && *t >= '0' && *t <= '9'; t++) {
		if (*n < 0)
			continue;
		if (*n >= 100000000)
			*n = -1;
		else
			*n = *n * 10 + (*t - '0');
	}
	*s = t;
	return 1;
}

/* {min} {min,} {min,max}: 1 if s has that form, 0 if '{' is a literal. */
static int
re2_parse_repeat(const char *s, const char *end, int *min, int *max,
    const char **rest)
{
	if (s >= end || *s != '{')
		return 0;
	s++;
	if (!re2_parse_int(&s, end, min) || s >= end)
		return 0;
	if (*s != ',')
		*max = *min;
	else {
		if (++s >= end)
			return 0;
		if (*s == '}')
			*max = -1;
		else if (!re2_parse_int(&s, end, max))
			return 0;
		else if (*max < 0)
			*min = -1;
	}
	if (s >= end || *s != '}')
		return 0;
	*rest = s + 1;
	return 1;
}

/* After "(?": named group, flag change, or non-capturing group. */
static int
re2_perl_flags(struct re2_parser *p, const char **tp)
{
	const char	*s = *tp, *t = s, *e, *name;
	struct re2_node	*n;
	uint32_t	 c;
	int		 flags = p->flags, neg = 0, saw = 0;
	size_t		 len = p->end - s;

	if ((len > 4 && t[2] == 'P' && t[3] == '<') || (len > 3 &&
	    t[2] == '<')) {
		name = s + (t[2] == 'P' ? 4 : 3);
		if ((e = memchr(s, '>', len)) == NULL) {
			if (re2_check_utf8(p, s, p->end) == -1)
				return -1;
			return re2_err(p, E_NAMED, s, p->end);
		}
		if (re2_check_utf8(p, name, e) == -1)
			return -1;
		if (name >= e)
			return re2_err(p, E_NAMED, s, e + 1);
		for (t = name; t < e; t++)
			if (*t != '_' && !re2_isalnum((unsigned char)*t))
				return re2_err(p, E_NAMED, s, e + 1);
		if ((n = re2_node_new(p, RE2_LPAREN)) == NULL)
			return -1;
		n->flags = p->flags;
		n->cap = 1;
		*tp = e + 1;
		return re2_push(p, n);
	}
	t = s + 2;
	while (t < p->end) {
		if (re2_next(p, &t, &c) == -1)
			return -1;
		switch (c) {
		case 'i':
			flags = neg ? flags & ~RE2_F_FOLD : flags | RE2_F_FOLD;
			saw = 1;
			continue;
		case 'm':
			flags = neg ? flags | RE2_F_ONELINE :
			    flags & ~RE2_F_ONELINE;
			saw = 1;
			continue;
		case 's':
			flags = neg ? flags & ~RE2_F_DOTNL :
			    flags | RE2_F_DOTNL;
			saw = 1;
			continue;
		case 'U':
			flags = neg ? flags & ~RE2_F_NONGREEDY :
			    flags | RE2_F_NONGREEDY;
			saw = 1;
			continue;
		case '-':
			if (neg)
				break;
			neg = 1;
			saw = 0;
			continue;
		case ':':
		case ')':
			if (neg && !saw)
				break;
			if (c == ':') {
				if ((n = re2_node_new(p, RE2_LPAREN)) == NULL)
					return -1;
				n->flags = p->flags;
				if (re2_push(p, n) == -1)
					return -1;
			}
			p->flags = flags;
			*tp = t;
			return 0;
		default:
			break;
		}
		break;
	}
	return re2_err(p, E_PERLOP, s, t);
}

/* A single-character escape at *tp (which starts with '\'). */
static int
re2_escape(struct re2_parser *p, const char **tp, uint32_t *r)
{
	const char	*s = *tp, *t = s + 1;
	uint32_t	 c;
	int		 i, x, y, nhex;

	if (t >= p->end)
		return re2_err(p, E_BACKSLASH, t, t);
	if (re2_next(p, &t, &c) == -1)
		return -1;
	switch (c) {
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		if (t >= p->end || *t < '0' || *t > '7')
			break;
		/* FALLTHROUGH */
	case '0':
		*r = c - '0';
		for (i = 1; i < 3 && t < p->end && *t >= '0' && *t <= '7';
		    i++)
			*r = *r * 8 + (*t++ - '0');
		*tp = t;
		return 0;
	case 'x':
		if (t >= p->end)
			break;
		if (re2_next(p, &t, &c) == -1)
			return -1;
		if (c == '{') {
			for (nhex = 0, *r = 0;; nhex++) {
				if (t >= p->end)
					goto bad;
				if (re2_next(p, &t, &c) == -1)
					return -1;
				if (c == '}')
					break;
				if ((x = hex_value((int)c)) < 0)
					goto bad;
				*r = *r * 16 + x;
				if (*r > UFOLD_MAX_RUNE)
					goto bad;
			}
			if (nhex == 0)
				break;
			*tp = t;
			return 0;
		}
		x = hex_value((int)c);
		if (re2_next(p, &t, &c) == -1)
			return -1;
		y = hex_value((int)c);
		if (x < 0 || y < 0)
			break;
		*r = x * 16 + y;
		*tp = t;
		return 0;
	case 'a':
		*r = '\a';
		*tp = t;
		return 0;
	case 'f':
		*r = '\f';
		*tp = t;
		return 0;
	case 'n':
		*r = '\n';
		*tp = t;
		return 0;
	case 'r':
		*r = '\r';
		*tp = t;
		return 0;
	case 't':
		*r = '\t';
		*tp = t;
		return 0;
	case 'v':
		*r = '\v';
		*tp = t;
		return 0;
	default:
		if (c < 0x80 && !re2_isalnum(c)) {
			*r = c;
			*tp = t;
			return 0;
		}
		break;
	}
bad:
	return re2_err(p, E_ESCAPE, s, t);
}

/* \pN \p{Name} \PN \P{^Name}: 1 if parsed into cls, 0 if not there. */
static int
re2_unicode_class(struct re2_parser *p, const char **tp,
    struct re2_rset *cls)
{
	const char	*s = *tp, *t = s + 2, *name, *nend, *e;
	uint32_t	 c;
	int		 neg, rv;

	if (p->end - s < 2 || s[0] != '\\' || (s[1] != 'p' && s[1] != 'P'))
		return 0;
	neg = s[1] == 'P';
	if (re2_next(p, &t, &c) == -1)
		return -1;
	if (c != '{') {
		name = s + 2;
		nend = e = t;
	} else {
		if ((e = memchr(s, '}', p->end - s)) == NULL) {
			if (re2_check_utf8(p, s, p->end) == -1)
				return -1;
			return re2_err(p, E_RANGE, s, p->end);
		}
		name = s + 3;
		nend = e++;
		if (re2_check_utf8(p, name, nend) == -1)
			return -1;
	}
	if (name < nend && *name == '^') {
		neg = !neg;
		name++;
	}
	rv = pol_re2_rset_unicode(cls, name, nend - name, neg,
	    (p->flags & RE2_F_FOLD) != 0);
	if (rv == -2)
		return re2_err(p, E_RANGE, s, e);
	if (rv == -1)
		return re2_nomem(p);
	*tp = e;
	return 1;
}

static int
re2_perl_class(struct re2_parser *p, const char **tp, struct re2_rset *cls)
{
	const char	*s = *tp;

	if (p->end - s < 2 || s[0] != '\\' || strchr("dDsSwW", s[1]) == NULL ||
	    s[1] == '\0')
		return 0;
	if (pol_re2_rset_perl(cls, s[1], (p->flags & RE2_F_FOLD) != 0) == -1)
		return re2_nomem(p);
	*tp = s + 2;
	return 1;
}

/* A bracket class at *tp (which starts with '['). */
static int
re2_class(struct re2_parser *p, const char **tp)
{
	const char	*s = *tp, *t = s + 1, *rng, *e;
	struct re2_node	*n;
	uint32_t	 lo, hi;
	int		 neg = 0, first = 1, rv, fold;

	fold = (p->flags & RE2_F_FOLD) != 0;
	if ((n = re2_node_new(p, RE2_CLASS)) == NULL)
		return -1;
	if (t < p->end && *t == '^') {
		neg = 1;
		t++;
	}
	while (t >= p->end || *t != ']' || first) {
		first = 0;
		if (p->end - t > 2 && t[0] == '[' && t[1] == ':') {
			e = NULL;
			for (rng = t + 2; rng + 1 < p->end; rng++)
				if (rng[0] == ':' && rng[1] == ']') {
					e = rng;
					break;
				}
			if (e != NULL) {
				rv = pol_re2_rset_posix(&n->cls, t + 2,
				    e - t - 2, fold);
				if (rv == -2)
					return re2_err(p, E_RANGE, t, e + 2);
				if (rv == -1)
					return re2_nomem(p);
				t = e + 2;
				continue;
			}
		}
		if ((rv = re2_unicode_class(p, &t, &n->cls)) != 0) {
			if (rv == -1)
				return -1;
			continue;
		}
		if ((rv = re2_perl_class(p, &t, &n->cls)) != 0) {
			if (rv == -1)
				return -1;
			continue;
		}
		rng = t;
		if (t >= p->end)
			return re2_err(p, E_BRACKET, s, p->end);
		if (*t == '\\') {
			if (re2_escape(p, &t, &lo) == -1)
				return -1;
		} else if (re2_next(p, &t, &lo) == -1)
			return -1;
		hi = lo;
		if (p->end - t >= 2 && t[0] == '-' && t[1] != ']') {
			t++;
			if (t >= p->end)
				return re2_err(p, E_BRACKET, s, p->end);
			if (*t == '\\') {
				if (re2_escape(p, &t, &hi) == -1)
					return -1;
			} else if (re2_next(p, &t, &hi) == -1)
				return -1;
			if (hi < lo)
				return re2_err(p, E_RANGE, rng, t);
		}
		rv = fold ? pol_re2_rset_add_folded(&n->cls, lo, hi) :
		    pol_re2_rset_add(&n->cls, lo, hi);
		if (rv == -1)
			return re2_nomem(p);
	}
	*tp = t + 1;
	if (pol_re2_rset_clean(&n->cls) == -1 || (neg &&
	    pol_re2_rset_negate(&n->cls) == -1))
		return re2_nomem(p);
	return re2_push_class(p, n);
}

/* Everything that starts with '\' outside a class. */
static int
re2_backslash(struct re2_parser *p, const char **tp)
{
	const char	*t = *tp, *q, *lit;
	struct re2_node	*n;
	uint32_t	 c;
	int		 rv;

	if (p->end - t >= 2) {
		switch (t[1]) {
		case 'A':
			*tp = t + 2;
			return re2_push_op(p, RE2_BOT);
		case 'b':
			*tp = t + 2;
			return re2_push_op(p, RE2_WB);
		case 'B':
			*tp = t + 2;
			return re2_push_op(p, RE2_NWB);
		case 'C':
			return re2_err(p, E_ESCAPE, t, t + 2);
		case 'z':
			*tp = t + 2;
			return re2_push_op(p, RE2_EOT);
		case 'Q':
			lit = t + 2;
			for (q = lit; q + 1 < p->end; q++)
				if (q[0] == '\\' && q[1] == 'E')
					break;
			if (q + 1 >= p->end)
				q = p->end;
			*tp = q == p->end ? q : q + 2;
			while (lit < q) {
				size_t	 i = 0;

				c = pol_ufold_decode(lit, q - lit, &i);
				if (c == UFOLD_RUNE_ERROR && i == 1)
					return re2_err(p, E_UTF8, lit, q);
				if (re2_literal(p, c) == -1)
					return -1;
				lit += i;
			}
			return 0;
		}
	}
	if ((n = re2_node_new(p, RE2_CLASS)) == NULL)
		return -1;
	if ((rv = re2_unicode_class(p, tp, &n->cls)) == 0)
		rv = re2_perl_class(p, tp, &n->cls);
	if (rv == -1)
		return -1;
	if (rv == 1)
		return re2_push_class(p, n);
	if (re2_escape(p, tp, &c) == -1)
		return -1;
	return re2_literal(p, c);
}

int
pol_re2_parse(const char *pat, size_t len, struct re2_tree *tree, char *err,
    size_t errlen)
{
	struct re2_parser	 p;
	const char		*t = pat, *before, *after, *last = NULL;
	const char		*rep;
	struct re2_node		*n;
	uint32_t		 c;
	int			 min, max, rv = -1;

	memset(&p, 0, sizeof(p));
	memset(tree, 0, sizeof(*tree));
	p.whole = pat;
	p.end = pat + len;
	p.flags = RE2_F_ONELINE;
	p.tree = tree;
	p.err = err;
	p.errlen = errlen;
	while (t < p.end) {
		rep = NULL;
		switch (*t) {
		case '(':
			if (p.end - t >= 2 && t[1] == '?') {
				if (re2_perl_flags(&p, &t) == -1)
					goto done;
				break;
			}
			if ((n = re2_node_new(&p, RE2_LPAREN)) == NULL)
				goto done;
			n->flags = p.flags;
			n->cap = 1;
			if (re2_push(&p, n) == -1)
				goto done;
			t++;
			break;
		case '|':
			if (re2_concat(&p) == -1 || re2_push_op(&p,
			    RE2_VBAR) == -1)
				goto done;
			t++;
			break;
		case ')':
			if (re2_right_paren(&p) == -1)
				goto done;
			t++;
			break;
		case '^':
			if (re2_push_op(&p, p.flags & RE2_F_ONELINE ? RE2_BOT :
			    RE2_BOL) == -1)
				goto done;
			t++;
			break;
		case '$':
			if (re2_push_op(&p, p.flags & RE2_F_ONELINE ? RE2_EOT :
			    RE2_EOL) == -1)
				goto done;
			t++;
			break;
		case '.':
			if ((n = re2_node_new(&p, RE2_CLASS)) == NULL)
				goto done;
			if (p.flags & RE2_F_DOTNL)
				rv = pol_re2_rset_add(&n->cls, 0,
				    UFOLD_MAX_RUNE);
			else if ((rv = pol_re2_rset_add(&n->cls, 0,
			    '\n' - 1)) == 0)
				rv = pol_re2_rset_add(&n->cls, '\n' + 1,
				    UFOLD_MAX_RUNE);
			if (rv == -1) {
				re2_nomem(&p);
				goto done;
			}
			rv = -1;
			if (re2_push_class(&p, n) == -1)
				goto done;
			t++;
			break;
		case '[':
			if (re2_class(&p, &t) == -1)
				goto done;
			break;
		case '*':
		case '+':
		case '?':
			before = t;
			after = t + 1;
			if (re2_repeat(&p, *t == '+', *t == '?' ? 1 : -1, 0,
			    before, &after, last) == -1)
				goto done;
			rep = before;
			t = after;
			break;
		case '{':
			before = t;
			if (!re2_parse_repeat(t, p.end, &min, &max, &after)) {
				if (re2_literal(&p, '{') == -1)
					goto done;
				t++;
				break;
			}
			if (min < 0 || min > RE2_MAX_REPEAT ||
			    max > RE2_MAX_REPEAT || (max >= 0 && min > max)) {
				re2_err(&p, E_REPEATSIZE, before, after);
				goto done;
			}
			if (re2_repeat(&p, min, max, 1, before, &after,
			    last) == -1)
				goto done;
			rep = before;
			t = after;
			break;
		case '\\':
			if (re2_backslash(&p, &t) == -1)
				goto done;
			break;
		default:
			if (re2_next(&p, &t, &c) == -1 ||
			    re2_literal(&p, c) == -1)
				goto done;
			break;
		}
		last = rep;
	}
	if (re2_concat(&p) == -1 || re2_alternate(&p) == -1)
		goto done;
	if (p.n != 1) {
		re2_err(&p, E_PAREN, p.whole, p.end);
		goto done;
	}
	tree->root = p.stack[0];
	rv = 0;
done:
	free(p.stack);
	if (rv == -1)
		pol_re2_tree_free(tree);
	return rv;
}

void
pol_re2_tree_free(struct re2_tree *tree)
{
	struct re2_node	*n, *next;

	for (n = tree->nodes; n != NULL; n = next) {
		next = n->all;
		pol_re2_rset_free(&n->cls);
		free(n);
	}
	memset(tree, 0, sizeof(*tree));
}
