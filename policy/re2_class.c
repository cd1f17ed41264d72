/*
 * re2_class.c: code point sets for Go regexps: ranges, case folding as
 * regexp/syntax does it (closure under unicode.SimpleFold), Perl and
 * POSIX groups (ASCII), and Unicode categories and scripts.
 */
#include <stdlib.h>
#include <string.h>

#include "re2_int.h"
#include "re2_uclass.h"
#include "ufold.h"

static int	 re2_rset_add_set(struct re2_rset *, const struct re2_rset *,
		    int);
static int	 re2_rset_fold(struct re2_rset *);
static int	 re2_rset_grow(struct re2_rset *);
static int	 re2_range_cmp(const void *, const void *);
static int	 re2_rset_group(struct re2_rset *, const uint32_t (*)[2],
		    size_t, int, int);
static const struct re2_uclass *re2_uclass_find(const char *, size_t);

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const uint32_t re2_g_digit[][2] = { { 0x30, 0x39 } };
static const uint32_t re2_g_space[][2] = {
	{ 0x09, 0x0a }, { 0x0c, 0x0d }, { 0x20, 0x20 }
};
static const uint32_t re2_g_word[][2] = {
	{ 0x30, 0x39 }, { 0x41, 0x5a }, { 0x5f, 0x5f }, { 0x61, 0x7a }
};
static const uint32_t re2_g_alnum[][2] = {
	{ 0x30, 0x39 }, { 0x41, 0x5a }, { 0x61, 0x7a }
};
static const uint32_t re2_g_alpha[][2] = { { 0x41, 0x5a }, { 0x61, 0x7a } };
static const uint32_t re2_g_ascii[][2] = { { 0x00, 0x7f } };
static const uint32_t re2_g_blank[][2] = { { 0x09, 0x09 }, { 0x20, 0x20 } };
static const uint32_t re2_g_cntrl[][2] = { { 0x00, 0x1f }, { 0x7f, 0x7f } };
static const uint32_t re2_g_graph[][2] = { { 0x21, 0x7e } };
static const uint32_t re2_g_lower[][2] = { { 0x61, 0x7a } };
static const uint32_t re2_g_print[][2] = { { 0x20, 0x7e } };
static const uint32_t re2_g_punct[][2] = {
	{ 0x21, 0x2f }, { 0x3a, 0x40 }, { 0x5b, 0x60 }, { 0x7b, 0x7e }
};
static const uint32_t re2_g_pspace[][2] = { { 0x09, 0x0d }, { 0x20, 0x20 } };
static const uint32_t re2_g_upper[][2] = { { 0x41, 0x5a } };
static const uint32_t re2_g_xdigit[][2] = {
	{ 0x30, 0x39 }, { 0x41, 0x46 }, { 0x61, 0x66 }
};
static const uint32_t re2_g_any[][2] = { { 0, UFOLD_MAX_RUNE } };

static const struct {
	const char		*name;
	const uint32_t		(*r)[2];
	size_t			 n;
} re2_posix[] = {
#define G(name, t) { name, t, NELEM(t) }
	G("alnum", re2_g_alnum), G("alpha", re2_g_alpha),
	G("ascii", re2_g_ascii), G("blank", re2_g_blank),
	G("cntrl", re2_g_cntrl), G("digit", re2_g_digit),
	G("graph", re2_g_graph), G("lower", re2_g_lower),
	G("print", re2_g_print), G("punct", re2_g_punct),
	G("space", re2_g_pspace), G("upper", re2_g_upper),
	G("word", re2_g_word), G("xdigit", re2_g_xdigit),
#undef G
};

static int
re2_rset_grow(struct re2_rset *s)
{
	size_t		  ncap;
	uint32_t	(*nr)[2];

	if (s->n < s->cap)
		return 0;
	ncap = s->cap ? s->cap * 2 : 8;
	if ((nr = reallocarray(s->r, ncap, sizeof(*nr))) == NULL)
		return -1;
	s->r = nr;
	s->cap = ncap;
	return 0;
}

int
pol_re2_rset_add(struct re2_rset *s, uint32_t lo, uint32_t hi)
{
	/* Extend the last range when appending in order, as is common. */
	if (s->n > 0 && lo <= s->r[s->n - 1][1] + 1 &&
	    lo >= s->r[s->n - 1][0]) {
		if (hi > s->r[s->n - 1][1])
			s->r[s->n - 1][1] = hi;
		return 0;
	}
	if (re2_rset_grow(s) == -1)
		return -1;
	s->r[s->n][0] = lo;
	s->r[s->n][1] = hi;
	s->n++;
	return 0;
}

/* [lo, hi] and everything fold-equivalent to a code point in it. */
int
pol_re2_rset_add_folded(struct re2_rset *s, uint32_t lo, uint32_t hi)
{
	uint32_t	 c, f;

	if (pol_re2_rset_add(s, lo, hi) == -1)
		return -1;
	for (c = pol_ufold_next_folding(lo); c <= hi;
	    c = pol_ufold_next_folding(c + 1)) {
		for (f = pol_ufold_simple(c); f != c; f = pol_ufold_simple(f))
			if (f < lo || f > hi)
				if (pol_re2_rset_add(s, f, f) == -1)
					return -1;
		if (c == UINT32_MAX - 1)
			break;
	}
	return 0;
}

static int
re2_range_cmp(const void *a, const void *b)
{
	const uint32_t	*x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	if (x[1] != y[1])
		return x[1] > y[1] ? -1 : 1;
	return 0;
}

int
pol_re2_rset_clean(struct re2_rset *s)
{
	size_t	 i, w;

	if (s->n < 2)
		return 0;
	qsort(s->r, s->n, sizeof(s->r[0]), re2_range_cmp);
	for (w = 0, i = 1; i < s->n; i++) {
		if (s->r[i][0] <= s->r[w][1] + 1) {
			if (s->r[i][1] > s->r[w][1])
				s->r[w][1] = s->r[i][1];
			continue;
		}
		w++;
		s->r[w][0] = s->r[i][0];
		s->r[w][1] = s->r[i][1];
	}
	s->n = w + 1;
	return 0;
}

/* Complement of a clean set within [0, U+10FFFF]. */
int
pol_re2_rset_negate(struct re2_rset *s)
{
	struct re2_rset	 t = { NULL, 0, 0 };
	uint32_t	 next = 0;
	size_t		 i;

	for (i = 0; i < s->n; i++) {
		if (s->r[i][0] > next && pol_re2_rset_add(&t, next,
		    s->r[i][0] - 1) == -1)
			goto fail;
		next = s->r[i][1] + 1;
	}
	if (next <= UFOLD_MAX_RUNE && pol_re2_rset_add(&t, next,
	    UFOLD_MAX_RUNE) == -1)
		goto fail;
	free(s->r);
	*s = t;
	return 0;
fail:
	free(t.r);
	return -1;
}

/* Closure of a clean set under case folding, clean again. */
static int
re2_rset_fold(struct re2_rset *s)
{
	struct re2_rset	 t = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < s->n; i++)
		if (pol_re2_rset_add_folded(&t, s->r[i][0], s->r[i][1]) == -1) {
			free(t.r);
			return -1;
		}
	free(s->r);
	*s = t;
	return pol_re2_rset_clean(s);
}

/* Append a clean src, or its complement. */
static int
re2_rset_add_set(struct re2_rset *dst, const struct re2_rset *src, int neg)
{
	struct re2_rset	 t = { NULL, 0, 0 };
	size_t		 i;
	int		 rv = 0;

	if (neg) {
		for (i = 0; i < src->n; i++)
			if (pol_re2_rset_add(&t, src->r[i][0],
			    src->r[i][1]) == -1)
				goto fail;
		if (pol_re2_rset_negate(&t) == -1)
			goto fail;
		src = &t;
	}
	for (i = 0; i < src->n; i++)
		if (pol_re2_rset_add(dst, src->r[i][0], src->r[i][1]) == -1)
			goto fail;
	goto done;
fail:
	rv = -1;
done:
	free(t.r);
	return rv;
}

void
pol_re2_rset_free(struct re2_rset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
}

/* Go's appendGroup: fold the group under (?i), then negate, then append. */
static int
re2_rset_group(struct re2_rset *dst, const uint32_t (*g)[2], size_t n,
    int neg, int fold)
{
	struct re2_rset	 t = { NULL, 0, 0 };
	size_t		 i;
	int		 rv;

	for (i = 0; i < n; i++)
		if (pol_re2_rset_add(&t, g[i][0], g[i][1]) == -1)
			goto fail;
	if (pol_re2_rset_clean(&t) == -1 || (fold && re2_rset_fold(&t) == -1))
		goto fail;
	rv = re2_rset_add_set(dst, &t, neg);
	free(t.r);
	return rv;
fail:
	free(t.r);
	return -1;
}

/* \d \s \w \D \S \W. */
int
pol_re2_rset_perl(struct re2_rset *dst, char c, int fold)
{
	switch (c) {
	case 'd':
	case 'D':
		return re2_rset_group(dst, re2_g_digit, NELEM(re2_g_digit),
		    c == 'D', fold);
	case 's':
	case 'S':
		return re2_rset_group(dst, re2_g_space, NELEM(re2_g_space),
		    c == 'S', fold);
	default:
		return re2_rset_group(dst, re2_g_word, NELEM(re2_g_word),
		    c == 'W', fold);
	}
}

/* name is the text between "[:" and ":]", maybe with a leading '^'. */
int
pol_re2_rset_posix(struct re2_rset *dst, const char *name, size_t len, int fold)
{
	size_t	 i;
	int	 neg = 0;

	if (len > 0 && name[0] == '^') {
		neg = 1;
		name++;
		len--;
	}
	for (i = 0; i < NELEM(re2_posix); i++)
		if (strlen(re2_posix[i].name) == len &&
		    memcmp(re2_posix[i].name, name, len) == 0)
			return re2_rset_group(dst, re2_posix[i].r,
			    re2_posix[i].n, neg, fold);
	return -2;
}

static const struct re2_uclass *
re2_uclass_find(const char *name, size_t len)
{
	size_t	 lo = 0, hi = NELEM(re2_uclasses), m, k;
	int	 c;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		k = strlen(re2_uclasses[m].name);
		c = memcmp(re2_uclasses[m].name, name, k < len ? k : len);
		if (c == 0 && k != len)
			c = k < len ? -1 : 1;
		if (c == 0)
			return &re2_uclasses[m];
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

/* \p{name}: Any, a general category or a script, Go's exact names. */
int
pol_re2_rset_unicode(struct re2_rset *dst, const char *name, size_t len,
    int neg, int fold)
{
	const struct re2_uclass	*u;

	if (len == 3 && memcmp(name, "Any", 3) == 0)
		return re2_rset_group(dst, re2_g_any, 1, neg, 0);
	if ((u = re2_uclass_find(name, len)) == NULL)
		return -2;
	return re2_rset_group(dst, &re2_uranges[u->off], u->n, neg, fold);
}
