/*
 * re2.c: compile a parsed Go regexp to TRE and search with it.
 *
 * The code points are first cut into atoms: maximal sets that no class of
 * the pattern (nor the ASCII word characters, nor newline) tells apart.
 * Each atom gets one TRE character: a word atom its least member (an
 * ASCII word character, so TRE's \< and \> see the right word-ness in any
 * locale), the newline atom '\n', every other atom a number above
 * U+10FFFF.  The subject is mapped the same way on the fly, so TRE matches
 * over an alphabet no larger than the pattern, never sees NUL (which TRE
 * takes for the end of the text), and no TRE metacharacter ever appears
 * as a literal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <tre/tre.h>

#include "re2.h"
#include "re2_int.h"
#include "ufold.h"

#define RE2_ID_NOMATCH	0x110000	/* no subject character maps here */
#define RE2_ID_PADBEGIN	0x110001	/* before the subject under \B */
#define RE2_ID_PADEND	0x110002	/* after the subject under \B */
#define RE2_ID_BASE	0x110010	/* first non-word atom */
#define RE2_END		0x110000	/* one past U+10FFFF */
#define RE2_TRE_DUP_MAX	255		/* TRE's RE_DUP_MAX */
#define RE2_SAT		((uint64_t)1 << 62)

struct re2 {
	regex_t		 tre;		/* padded if pad */
	regex_t		 nw;		/* if pad: for subjects without \w */
	uint32_t	*bound;		/* interval starts, ascending */
	uint32_t	*id;		/* TRE character of each interval */
	size_t		 nint;
	wchar_t		 ascii[128];
	int		 pad;
};

struct re2_cost {
	uint64_t	 pos, first, last, trans;
	int		 nullable;
};

struct re2_wbuf {
	wchar_t		*w;
	size_t		 n, cap;
	int		 nomem;
	int		 mode;		/* RE2_EMIT_* */
};

#define RE2_EMIT_PLAIN	0	/* no \b \B in the pattern */
#define RE2_EMIT_PADDED	1	/* subject padded, has a word character */
#define RE2_EMIT_NOWORD	2	/* subject without a word character */

struct re2_atoms {
	uint32_t	*bound;		/* interval starts */
	uint32_t	*atom;		/* atom of each interval */
	size_t		 nint;
	uint32_t	 natoms;
	uint32_t	*size;		/* intervals per atom */
	uint32_t	*cnt;		/* scratch: intervals per atom */
	uint32_t	*remap;		/* scratch: new atom of a split atom */
	uint32_t	*touched;	/* scratch: atoms the set covers */
};

struct re2_src {
	const struct re2 *re;
	const char	*s;
	size_t		 len, i;
	int		 state;
	int		 pad;
};

static int	 re2_scan(const struct re2_node *, int *, int *, int *);
static int	 re2_per_path(const struct re2_node *, enum re2_op);
static int	 re2_empty_paths(const struct re2_node *, int, int *,
		    const char **);
static int	 re2_zero_width(const struct re2_node *);
static size_t	 re2_collect(struct re2_node *, struct re2_rset **, size_t);
static int	 re2_set_cmp(const void *, const void *);
static int	 re2_u32cmp(const void *, const void *);
static size_t	 re2_find(const uint32_t *, size_t, uint32_t);
static size_t	 re2_interval(const struct re2_atoms *, uint32_t);
static void	 re2_atoms_free(struct re2_atoms *);
static int	 re2_isword(uint32_t);
static int	 re2_atoms_split(struct re2_atoms *, const struct re2_rset *);
static int	 re2_atoms_build(struct re2_atoms *, struct re2_tree *,
		    const struct re2_rset *, size_t);
static int	 re2_ids(struct re2 *, struct re2_atoms *);
static int	 re2_class_ids(struct re2 *, const struct re2_atoms *,
		    struct re2_rset *);
static uint64_t	 re2_sat_add(uint64_t, uint64_t);
static uint64_t	 re2_sat_mul(uint64_t, uint64_t);
static void	 re2_cost_cat(struct re2_cost *, const struct re2_cost *);
static void	 re2_cost_star(struct re2_cost *);
static void	 re2_cost(const struct re2_node *, struct re2_cost *);
static void	 re2_put(struct re2_wbuf *, wchar_t);
static void	 re2_puts(struct re2_wbuf *, const wchar_t *);
static void	 re2_putn(struct re2_wbuf *, int);
static void	 re2_emit(struct re2_wbuf *, const struct re2_node *);
static void	 re2_emit_operand(struct re2_wbuf *, const struct re2_node *);
static void	 re2_emit_count(struct re2_wbuf *, const struct re2_node *,
		    int, int);
static void	 re2_emit_repeat(struct re2_wbuf *, const struct re2_node *);
static int	 re2_classes_ids(struct re2 *, const struct re2_atoms *,
		    struct re2_node *);
static wchar_t	 re2_map(const struct re2 *, uint32_t);
static int	 re2_getc(tre_char_t *, unsigned int *, void *);

/* Which anchors the pattern uses; refuse the mixes TRE cannot express. */
static int
re2_scan(const struct re2_node *n, int *text, int *line, int *nwb)
{
	const struct re2_node	*s;

	switch (n->op) {
	case RE2_BOT:
	case RE2_EOT:
		*text = 1;
		break;
	case RE2_BOL:
	case RE2_EOL:
		*line = 1;
		break;
	case RE2_WB:
	case RE2_NWB:
		*nwb = 1;
		break;
	default:
		break;
	}
	for (s = n->sub; s != NULL; s = s->next)
		re2_scan(s, text, line, nwb);
	return 0;
}

/*
 * TRE merges the assertions of different empty paths that lead to the
 * same place, so an assertion on one empty path is demanded on the other
 * too: (a|$)*b does not match "b", ($)?a does not match "a".  Count the
 * empty paths through n (2 means several) and whether one carries an
 * assertion; refuse several empty paths when one asserts, and a loop over
 * an expression that can be empty when the pattern asserts anywhere.
 */
static int
re2_empty_paths(const struct re2_node *n, int asserts, int *na,
    const char **why)
{
	const struct re2_node	*s;
	int			 np = 0, k, a;

	*na = 0;
	switch (n->op) {
	case RE2_CLASS:
		return 0;
	case RE2_EMPTY:
		return 1;
	case RE2_CAT:
		np = 1;
		for (s = n->sub; s != NULL && np > 0; s = s->next) {
			k = re2_empty_paths(s, asserts, &a, why);
			np = np * k > 2 ? 2 : np * k;
			*na |= a;
		}
		if (np == 0)
			*na = 0;
		break;
	case RE2_ALT:
		for (s = n->sub; s != NULL; s = s->next) {
			k = re2_empty_paths(s, asserts, &a, why);
			np = np + k > 2 ? 2 : np + k;
			if (k > 0)
				*na |= a;
		}
		break;
	case RE2_CAPTURE:
		return re2_empty_paths(n->sub, asserts, na, why);
	case RE2_REPEAT:
		if (re2_zero_width(n->sub)) {
			if (n->min == 0)
				return 1;
			return re2_empty_paths(n->sub, asserts, na, why);
		}
		k = re2_empty_paths(n->sub, asserts, &a, why);
		if (k > 0 && asserts && (n->max == -1 || n->max > 1))
			*why = "a repetition of an expression that can match "
			    "empty, in a pattern with ^, $, \\A, \\z, \\b or "
			    "\\B,";
		np = n->min == 0 ? 1 + k : k;
		if (np > 2)
			np = 2;
		*na = k > 0 && a;
		break;
	default:
		*na = 1;
		return 1;
	}
	if (np >= 2 && *na && *why == NULL)
		*why = "an assertion (^, $, \\A, \\z, \\b or \\B) on one of "
		    "several ways to match empty";
	return np;
}

/* How many op anchors one path through n may pass (2 means "several"). */
static int
re2_per_path(const struct re2_node *n, enum re2_op op)
{
	const struct re2_node	*s;
	int			 k = 0, m;

	switch (n->op) {
	case RE2_CAT:
		for (s = n->sub; s != NULL; s = s->next)
			k += re2_per_path(s, op);
		break;
	case RE2_ALT:
		for (s = n->sub; s != NULL; s = s->next)
			if ((m = re2_per_path(s, op)) > k)
				k = m;
		break;
	case RE2_CAPTURE:
		k = re2_per_path(n->sub, op);
		break;
	case RE2_REPEAT:
		k = re2_per_path(n->sub, op);
		if (k > 0 && (n->max == -1 || n->max > 1) &&
		    !re2_zero_width(n->sub))
			k = 2;
		break;
	default:
		k = n->op == op;
		break;
	}
	return k > 2 ? 2 : k;
}

static int
re2_zero_width(const struct re2_node *n)
{
	const struct re2_node	*s;

	switch (n->op) {
	case RE2_CLASS:
		return 0;
	case RE2_CAT:
	case RE2_ALT:
	case RE2_CAPTURE:
	case RE2_REPEAT:
		for (s = n->sub; s != NULL; s = s->next)
			if (!re2_zero_width(s))
				return 0;
		return 1;
	default:
		return 1;
	}
}

static size_t
re2_collect(struct re2_node *n, struct re2_rset **v, size_t k)
{
	struct re2_node	*s;

	if (n->op == RE2_CLASS)
		v[k++] = &n->cls;
	for (s = n->sub; s != NULL; s = s->next)
		k = re2_collect(s, v, k);
	return k;
}

static int
re2_set_cmp(const void *a, const void *b)
{
	const struct re2_rset	*x = *(struct re2_rset * const *)a;
	const struct re2_rset	*y = *(struct re2_rset * const *)b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	if (x->n == 0)
		return 0;
	return memcmp(x->r, y->r, x->n * sizeof(x->r[0]));
}

/* The interval holding code point c. */
static size_t
re2_find(const uint32_t *bound, size_t nint, uint32_t c)
{
	size_t	 lo = 0, hi = nint, m;

	while (hi - lo > 1) {
		m = lo + (hi - lo) / 2;
		if (bound[m] <= c)
			lo = m;
		else
			hi = m;
	}
	return lo;
}

static size_t
re2_interval(const struct re2_atoms *a, uint32_t c)
{
	return re2_find(a->bound, a->nint, c);
}

/* Split every atom that set s cuts in two; cost: intervals s covers. */
static int
re2_atoms_split(struct re2_atoms *a, const struct re2_rset *s)
{
	size_t		 i, k, end, nt = 0;
	uint32_t	 at;

	for (i = 0; i < s->n; i++) {
		end = s->r[i][1] + 1 == RE2_END ? a->nint :
		    re2_interval(a, s->r[i][1] + 1);
		for (k = re2_interval(a, s->r[i][0]); k < end; k++)
			if (a->cnt[a->atom[k]]++ == 0)
				a->touched[nt++] = a->atom[k];
	}
	for (i = 0; i < s->n; i++) {
		end = s->r[i][1] + 1 == RE2_END ? a->nint :
		    re2_interval(a, s->r[i][1] + 1);
		for (k = re2_interval(a, s->r[i][0]); k < end; k++) {
			at = a->atom[k];
			if (a->remap[at] == UINT32_MAX) {
				if (a->cnt[at] == a->size[at])
					continue;
				a->remap[at] = a->natoms++;
			}
			a->atom[k] = a->remap[at];
			a->size[at]--;
			a->size[a->atom[k]]++;
		}
	}
	for (i = 0; i < nt; i++) {
		a->cnt[a->touched[i]] = 0;
		a->remap[a->touched[i]] = UINT32_MAX;
	}
	return 0;
}

static int
re2_u32cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
re2_atoms_build(struct re2_atoms *a, struct re2_tree *t,
    const struct re2_rset *extra, size_t nextra)
{
	struct re2_rset	**sets = NULL;
	uint32_t	 *b = NULL;
	size_t		  nsets, nb = 0, i, j, k;
	int		  rv = -1;

	memset(a, 0, sizeof(*a));
	nsets = nextra;
	{
		struct re2_node	*n;

		for (n = t->nodes; n != NULL; n = n->all)
			nsets++;
	}
	if ((sets = calloc(nsets, sizeof(*sets))) == NULL)
		goto done;
	for (i = 0; i < nextra; i++)
		sets[i] = (struct re2_rset *)&extra[i];
	nsets = re2_collect(t->root, sets, nextra);
	qsort(sets, nsets, sizeof(*sets), re2_set_cmp);
	for (i = j = 0; i < nsets; i++)
		if (j == 0 || re2_set_cmp(&sets[j - 1], &sets[i]) != 0)
			sets[j++] = sets[i];
	nsets = j;
	for (i = 0, k = 1; i < nsets; i++)
		k += 2 * sets[i]->n;
	if ((b = calloc(k, sizeof(*b))) == NULL)
		goto done;
	b[nb++] = 0;
	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i]->n; j++) {
			b[nb++] = sets[i]->r[j][0];
			if (sets[i]->r[j][1] + 1 < RE2_END)
				b[nb++] = sets[i]->r[j][1] + 1;
		}
	qsort(b, nb, sizeof(*b), re2_u32cmp);
	for (i = j = 0; i < nb; i++)
		if (j == 0 || b[j - 1] != b[i])
			b[j++] = b[i];
	a->bound = b;
	a->nint = j;
	b = NULL;
	a->natoms = 1;
	if ((a->atom = calloc(a->nint, sizeof(uint32_t))) == NULL ||
	    (a->size = calloc(a->nint, sizeof(uint32_t))) == NULL ||
	    (a->cnt = calloc(a->nint, sizeof(uint32_t))) == NULL ||
	    (a->touched = calloc(a->nint, sizeof(uint32_t))) == NULL ||
	    (a->remap = malloc(a->nint * sizeof(uint32_t))) == NULL)
		goto done;
	memset(a->remap, 0xff, a->nint * sizeof(uint32_t));
	a->size[0] = a->nint;
	for (i = 0; i < nsets; i++)
		re2_atoms_split(a, sets[i]);
	rv = 0;
done:
	free(sets);
	free(b);
	return rv;
}

static void
re2_atoms_free(struct re2_atoms *a)
{
	free(a->bound);
	free(a->atom);
	free(a->size);
	free(a->cnt);
	free(a->remap);
	free(a->touched);
	memset(a, 0, sizeof(*a));
}

static int
re2_isword(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '_';
}

/* Give every atom its TRE character; the tables move into re. */
static int
re2_ids(struct re2 *re, struct re2_atoms *a)
{
	uint32_t	*aid;
	uint32_t	 nonword = 0, c;
	size_t		 k;

	if ((aid = malloc(a->natoms * sizeof(*aid))) == NULL)
		return -1;
	memset(aid, 0xff, a->natoms * sizeof(*aid));
	for (k = 0; k < a->nint; k++) {
		if (aid[a->atom[k]] != UINT32_MAX)
			continue;
		c = a->bound[k];
		if (re2_isword(c) || c == '\n')
			aid[a->atom[k]] = c;
		else
			aid[a->atom[k]] = RE2_ID_BASE + nonword++;
	}
	/* Atom numbers are not needed any more: keep ids in their place. */
	for (k = 0; k < a->nint; k++)
		a->atom[k] = aid[a->atom[k]];
	free(aid);
	re->bound = a->bound;
	re->id = a->atom;
	re->nint = a->nint;
	a->bound = a->atom = NULL;
	for (c = 0; c < 128; c++)
		re->ascii[c] = re->id[re2_find(re->bound, re->nint, c)];
	return 0;
}

/* Rewrite a code point class as the set of TRE characters it matches. */
static int
re2_class_ids(struct re2 *re, const struct re2_atoms *a,
    struct re2_rset *cls)
{
	struct re2_rset	 t = { NULL, 0, 0 };
	size_t		 i, k, end;

	(void)a;
	for (i = 0; i < cls->n; i++) {
		end = cls->r[i][1] + 1 == RE2_END ? re->nint :
		    re2_find(re->bound, re->nint, cls->r[i][1] + 1);
		for (k = re2_find(re->bound, re->nint, cls->r[i][0]); k < end;
		    k++)
			if (pol_re2_rset_add(&t, re->id[k], re->id[k]) == -1) {
				free(t.r);
				return -1;
			}
	}
	if (pol_re2_rset_clean(&t) == -1) {
		free(t.r);
		return -1;
	}
	free(cls->r);
	*cls = t;
	return 0;
}

static uint64_t
re2_sat_add(uint64_t x, uint64_t y)
{
	return x + y > RE2_SAT ? RE2_SAT : x + y;
}

static uint64_t
re2_sat_mul(uint64_t x, uint64_t y)
{
	if (x != 0 && y > RE2_SAT / x)
		return RE2_SAT;
	return x * y;
}

/* c = c followed by d, as Glushkov positions and links. */
static void
re2_cost_cat(struct re2_cost *c, const struct re2_cost *d)
{
	c->trans = re2_sat_add(re2_sat_add(c->trans, d->trans),
	    re2_sat_mul(c->last, d->first));
	c->first = c->nullable ? re2_sat_add(c->first, d->first) : c->first;
	c->last = d->nullable ? re2_sat_add(c->last, d->last) : d->last;
	c->pos = re2_sat_add(c->pos, d->pos);
	c->nullable = c->nullable && d->nullable;
}

static void
re2_cost_star(struct re2_cost *c)
{
	c->trans = re2_sat_add(c->trans, re2_sat_mul(c->last, c->first));
}

/*
 * The size of the automaton TRE builds: positions (a bracket is one per
 * range) and transitions, with {n,m} expanded into copies as TRE does.
 */
static void
re2_cost(const struct re2_node *n, struct re2_cost *c)
{
	const struct re2_node	*s;
	struct re2_cost		 d, one;
	int			 i;

	memset(c, 0, sizeof(*c));
	switch (n->op) {
	case RE2_CLASS:
		c->pos = c->first = c->last = n->cls.n ? n->cls.n : 1;
		return;
	case RE2_CAT:
		c->nullable = 1;
		for (s = n->sub; s != NULL; s = s->next) {
			re2_cost(s, &d);
			re2_cost_cat(c, &d);
		}
		return;
	case RE2_ALT:
		for (s = n->sub; s != NULL; s = s->next) {
			re2_cost(s, &d);
			c->pos = re2_sat_add(c->pos, d.pos);
			c->first = re2_sat_add(c->first, d.first);
			c->last = re2_sat_add(c->last, d.last);
			c->trans = re2_sat_add(c->trans, d.trans);
			c->nullable |= d.nullable;
		}
		return;
	case RE2_CAPTURE:
		re2_cost(n->sub, c);
		return;
	case RE2_REPEAT:
		if (re2_zero_width(n->sub)) {
			c->nullable = 1;
			return;
		}
		re2_cost(n->sub, &one);
		if (!n->counted || (n->min <= 1 && n->max == -1) ||
		    (n->min == 0 && n->max == 1)) {
			*c = one;
			if (n->max == -1)
				re2_cost_star(c);
			if (n->min == 0)
				c->nullable = 1;
			return;
		}
		c->nullable = 1;
		for (i = 0; i < n->min && c->pos < RE2_SAT; i++)
			re2_cost_cat(c, &one);
		d = one;
		if (n->max == -1) {
			re2_cost_star(&d);
			d.nullable = 1;
			re2_cost_cat(c, &d);
			return;
		}
		d.nullable = 1;
		for (; i < n->max && c->pos < RE2_SAT; i++)
			re2_cost_cat(c, &d);
		return;
	default:
		c->nullable = 1;
		return;
	}
}

static void
re2_put(struct re2_wbuf *b, wchar_t c)
{
	wchar_t	*nw;
	size_t	 ncap;

	if (b->nomem)
		return;
	if (b->n + 1 >= b->cap) {
		ncap = b->cap ? b->cap * 2 : 256;
		if ((nw = reallocarray(b->w, ncap, sizeof(*nw))) == NULL) {
			b->nomem = 1;
			return;
		}
		b->w = nw;
		b->cap = ncap;
	}
	b->w[b->n++] = c;
}

static void
re2_puts(struct re2_wbuf *b, const wchar_t *s)
{
	while (*s != L'\0')
		re2_put(b, *s++);
}

static void
re2_putn(struct re2_wbuf *b, int n)
{
	if (n >= 10)
		re2_putn(b, n / 10);
	re2_put(b, L'0' + n % 10);
}

/* A repeat operand: one TRE character or bracket alone, else a group. */
static void
re2_emit_operand(struct re2_wbuf *b, const struct re2_node *n)
{
	while (n->op == RE2_CAPTURE)
		n = n->sub;
	if (n->op == RE2_CLASS) {
		re2_emit(b, n);
		return;
	}
	re2_put(b, L'(');
	re2_emit(b, n);
	re2_put(b, L')');
}

/* n{min,max} within TRE's limit of 255: split larger counts in pieces. */
static void
re2_emit_count(struct re2_wbuf *b, const struct re2_node *n, int min,
    int max)
{
	int	 k;

	while (min > 0) {
		k = min > RE2_TRE_DUP_MAX ? RE2_TRE_DUP_MAX : min;
		re2_emit_operand(b, n);
		re2_put(b, L'{');
		re2_putn(b, k);
		re2_put(b, L'}');
		min -= k;
		if (max > 0)
			max -= k;
	}
	if (max == -1) {
		re2_emit_operand(b, n);
		re2_put(b, L'*');
		return;
	}
	while (max > 0) {
		k = max > RE2_TRE_DUP_MAX ? RE2_TRE_DUP_MAX : max;
		re2_emit_operand(b, n);
		re2_puts(b, L"{0,");
		re2_putn(b, k);
		re2_put(b, L'}');
		max -= k;
	}
}

static void
re2_emit_repeat(struct re2_wbuf *b, const struct re2_node *n)
{
	/* An assertion repeated is itself, or nothing if it may be absent. */
	if (re2_zero_width(n->sub)) {
		if (n->min == 0)
			re2_puts(b, L"()");
		else
			re2_emit(b, n->sub);
		return;
	}
	if (n->max == 0) {
		re2_puts(b, L"()");
		return;
	}
	if (!n->counted || n->max > RE2_TRE_DUP_MAX ||
	    n->min > RE2_TRE_DUP_MAX) {
		if (!n->counted && n->min == 0 && n->max == 1) {
			re2_emit_operand(b, n->sub);
			re2_put(b, L'?');
		} else if (!n->counted && n->min == 1) {
			re2_emit_operand(b, n->sub);
			re2_put(b, L'+');
		} else
			re2_emit_count(b, n->sub, n->min, n->max);
		return;
	}
	re2_emit_operand(b, n->sub);
	re2_put(b, L'{');
	re2_putn(b, n->min);
	if (n->max != n->min) {
		re2_put(b, L',');
		if (n->max != -1)
			re2_putn(b, n->max);
	}
	re2_put(b, L'}');
}

static void
re2_emit(struct re2_wbuf *b, const struct re2_node *n)
{
	const struct re2_node	*s;
	size_t			 i;

	switch (n->op) {
	case RE2_EMPTY:
		re2_puts(b, L"()");
		break;
	case RE2_CLASS:
		if (n->cls.n == 0) {
			re2_put(b, RE2_ID_NOMATCH);
			break;
		}
		if (n->cls.n == 1 && n->cls.r[0][0] == n->cls.r[0][1]) {
			re2_put(b, n->cls.r[0][0]);
			break;
		}
		re2_put(b, L'[');
		for (i = 0; i < n->cls.n; i++) {
			re2_put(b, n->cls.r[i][0]);
			if (n->cls.r[i][1] != n->cls.r[i][0]) {
				re2_put(b, L'-');
				re2_put(b, n->cls.r[i][1]);
			}
		}
		re2_put(b, L']');
		break;
	case RE2_CAT:
		for (s = n->sub; s != NULL; s = s->next)
			re2_emit(b, s);
		break;
	case RE2_ALT:
		re2_put(b, L'(');
		for (s = n->sub; s != NULL; s = s->next) {
			re2_emit(b, s);
			if (s->next != NULL)
				re2_put(b, L'|');
		}
		re2_put(b, L')');
		break;
	case RE2_REPEAT:
		re2_emit_repeat(b, n);
		break;
	case RE2_CAPTURE:
		re2_emit(b, n->sub);
		break;
	case RE2_BOT:
		re2_put(b, b->mode == RE2_EMIT_PADDED ? RE2_ID_PADBEGIN : L'^');
		break;
	case RE2_EOT:
		re2_put(b, b->mode == RE2_EMIT_PADDED ? RE2_ID_PADEND : L'$');
		break;
	case RE2_BOL:
		re2_put(b, L'^');
		break;
	case RE2_EOL:
		re2_put(b, L'$');
		break;
	case RE2_WB:
		if (b->mode == RE2_EMIT_PADDED)
			re2_puts(b, L"\\b");
		else
			re2_put(b, RE2_ID_NOMATCH);
		break;
	case RE2_NWB:
		if (b->mode == RE2_EMIT_PADDED)
			re2_puts(b, L"\\B");
		else
			re2_puts(b, L"()");
		break;
	default:
		break;
	}
}

static int
re2_classes_ids(struct re2 *re, const struct re2_atoms *a,
    struct re2_node *n)
{
	struct re2_node	*s;

	if (n->op == RE2_CLASS && re2_class_ids(re, a, &n->cls) == -1)
		return -1;
	for (s = n->sub; s != NULL; s = s->next)
		if (re2_classes_ids(re, a, s) == -1)
			return -1;
	return 0;
}

struct re2 *
policy_re2_compile(const char *pat, size_t len, char *err, size_t errlen)
{
	static const uint32_t	 wordr[][2] = { { '0', '9' }, { 'A', 'Z' },
				     { '_', '_' }, { 'a', 'z' } };
	static const uint32_t	 nlr[][2] = { { '\n', '\n' } };
	struct re2_rset		 extra[2];
	struct re2_tree		 tree;
	struct re2_atoms	 atoms;
	struct re2_wbuf		 b = { NULL, 0, 0, 0, 0 };
	struct re2_cost		 cost;
	struct re2		*re = NULL;
	int			 text = 0, line = 0, nwb = 0, e;
	char			 terr[128];

	if (errlen > 0)
		err[0] = '\0';
	memset(&atoms, 0, sizeof(atoms));
	if (len > RE2_MAX_PATTERN) {
		snprintf(err, errlen, "regexp too long for tattle: %zu bytes "
		    "(limit %d)", len, RE2_MAX_PATTERN);
		return NULL;
	}
	if (pol_re2_parse(pat, len, &tree, err, errlen) == -1)
		return NULL;
	re2_scan(tree.root, &text, &line, &nwb);
	if (line && text) {
		snprintf(err, errlen, "regexp not supported by tattle: (?m) "
		    "line anchors mixed with text anchors (\\A, \\z, ^ or $ "
		    "outside (?m)) cannot be expressed exactly in TRE");
		goto fail;
	}
	{
		const char	*why = NULL;
		int		 na;

		re2_empty_paths(tree.root, text || line || nwb, &na, &why);
		if (why != NULL) {
			snprintf(err, errlen, "regexp not supported by tattle: "
			    "%s cannot be expressed exactly in TRE", why);
			goto fail;
		}
	}
	if (nwb && line) {
		snprintf(err, errlen, "regexp not supported by tattle: \\b or "
		    "\\B together with (?m) ^ or $ cannot be expressed "
		    "exactly in TRE");
		goto fail;
	}
	if (nwb && (re2_per_path(tree.root, RE2_BOT) > 1 ||
	    re2_per_path(tree.root, RE2_EOT) > 1)) {
		snprintf(err, errlen, "regexp not supported by tattle: \\b or "
		    "\\B with ^, $, \\A or \\z repeated on one path cannot be "
		    "expressed exactly in TRE");
		goto fail;
	}
	if ((re = calloc(1, sizeof(*re))) == NULL)
		goto nomem;
	extra[0].r = (uint32_t (*)[2])wordr;
	extra[0].n = extra[0].cap = 4;
	extra[1].r = (uint32_t (*)[2])nlr;
	extra[1].n = extra[1].cap = 1;
	if (re2_atoms_build(&atoms, &tree, extra, 2) == -1 ||
	    re2_ids(re, &atoms) == -1 ||
	    re2_classes_ids(re, &atoms, tree.root) == -1)
		goto nomem;
	re2_cost(tree.root, &cost);
	if (cost.pos > RE2_MAX_POSITIONS) {
		snprintf(err, errlen, "regexp too large for tattle: %llu TRE "
		    "positions after expanding repetitions (limit %d)",
		    (unsigned long long)cost.pos, RE2_MAX_POSITIONS);
		goto fail;
	}
	if (cost.trans > RE2_MAX_TRANSITIONS) {
		snprintf(err, errlen, "regexp too large for tattle: %llu TRE "
		    "transitions after expanding repetitions (limit %d)",
		    (unsigned long long)cost.trans, RE2_MAX_TRANSITIONS);
		goto fail;
	}
	b.mode = nwb ? RE2_EMIT_PADDED : RE2_EMIT_PLAIN;
	re2_emit(&b, tree.root);
	if (b.nomem)
		goto nomem;
	e = tre_regwncomp(&re->tre, b.w, b.n, REG_EXTENDED | REG_NOSUB |
	    (line ? REG_NEWLINE : 0));
	if (e == 0 && nwb) {
		b.n = 0;
		b.mode = RE2_EMIT_NOWORD;
		re2_emit(&b, tree.root);
		if (b.nomem) {
			tre_regfree(&re->tre);
			goto nomem;
		}
		if ((e = tre_regwncomp(&re->nw, b.w, b.n, REG_EXTENDED |
		    REG_NOSUB)) != 0)
			tre_regfree(&re->tre);
		else
			re->pad = 1;
	}
	if (e != 0) {
		tre_regerror(e, NULL, terr, sizeof(terr));
		snprintf(err, errlen, "regexp not supported by tattle: TRE "
		    "refused the translation: %s", terr);
		goto fail;
	}
	free(b.w);
	re2_atoms_free(&atoms);
	pol_re2_tree_free(&tree);
	return re;
nomem:
	snprintf(err, errlen, "regexp: out of memory");
fail:
	free(b.w);
	re2_atoms_free(&atoms);
	pol_re2_tree_free(&tree);
	if (re != NULL) {
		free(re->bound);
		free(re->id);
		free(re);
	}
	return NULL;
}

static wchar_t
re2_map(const struct re2 *re, uint32_t c)
{
	if (c < 128)
		return re->ascii[c];
	return re->id[re2_find(re->bound, re->nint, c)];
}

/* TRE's input callback: the subject as TRE characters, then 0 at the end. */
static int
re2_getc(tre_char_t *c, unsigned int *pos_add, void *ctx)
{
	struct re2_src	*src = ctx;

	*pos_add = 1;
	if (src->state == 0) {
		src->state = 1;
		if (src->pad) {
			*c = RE2_ID_PADBEGIN;
			return 0;
		}
	}
	if (src->i < src->len) {
		*c = re2_map(src->re, pol_ufold_decode(src->s, src->len,
		    &src->i));
		return 0;
	}
	if (src->state == 1) {
		src->state = 2;
		if (src->pad) {
			*c = RE2_ID_PADEND;
			return 0;
		}
	}
	*c = 0;
	return 1;
}

/*
 * With \b or \B the subject is padded with a non-word character at each
 * end, so that TRE's \b and \B (which always hold, respectively never hold,
 * at the very start and end) see RE2's edges.  A program that could then
 * match empty at an outer edge through \b alone only does so when some word
 * boundary exists, i.e. when the subject has a word character; subjects
 * without one use the second program, where \b never and \B always holds.
 */
int
policy_re2_search(const struct re2 *re, const char *s, size_t len)
{
	struct re2_src	 src = { re, s, len, 0, 0, 0 };
	tre_str_source	 ts;
	size_t		 i;
	int		 e;

	if (re->pad)
		for (i = 0; i < len && !src.pad; i++)
			src.pad = re2_isword((unsigned char)s[i]);
	ts.get_next_char = re2_getc;
	ts.rewind = NULL;
	ts.compare = NULL;
	ts.context = &src;
	e = tre_reguexec(re->pad && !src.pad ? &re->nw : &re->tre, &ts, 0,
	    NULL, 0);
	if (e == 0)
		return 1;
	if (e == REG_NOMATCH)
		return 0;
	return -1;
}

void
policy_re2_free(struct re2 *re)
{
	if (re == NULL)
		return;
	tre_regfree(&re->tre);
	if (re->pad)
		tre_regfree(&re->nw);
	free(re->bound);
	free(re->id);
	free(re);
}
