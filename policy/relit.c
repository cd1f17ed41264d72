/*
 * relit.c: a prefilter for regexp operators.  From an RE2 pattern it finds
 * a run of literal text that every match must contain, so that a value
 * without it is refused by one memmem() instead of a regexp search.  Only
 * a plain top-level concatenation is read: an alternation, a flag group,
 * \Q...\E or anything unclear gives no literal (no prefilter), so the
 * result never changes a verdict.  The regexp engine still decides.
 */
#include "config.h"

#include <string.h>

#include "policy_int.h"

struct run {
	char	*buf;
	size_t	 cap;
	size_t	 len;		/* current run */
	size_t	 lastlen;	/* bytes of the run's last character */
	size_t	 best;		/* length of the best run, kept at buf+cap */
	char	*bestbuf;
};

size_t		pol_re_literal(const char *, size_t, char *, size_t);
static void	flush(struct run *);
static int	skip_group(const char *, size_t, size_t *);
static int	skip_class(const char *, size_t, size_t *);
static int	repeat(const char *, size_t, size_t *, int *);
static size_t	u8width(unsigned char);

static size_t
u8width(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	return 2;
}

static void
flush(struct run *r)
{
	if (r->len > r->best) {
		memcpy(r->bestbuf, r->buf, r->len);
		r->best = r->len;
	}
	r->len = 0;
	r->lastlen = 0;
}

/* p[*i] is '('; moves *i past the matching ')'.  -1 if unbalanced. */
static int
skip_group(const char *p, size_t n, size_t *i)
{
	int	depth = 0;

	while (*i < n) {
		switch (p[*i]) {
		case '\\':
			(*i)++;
			break;
		case '[':
			if (skip_class(p, n, i) == -1)
				return -1;
			continue;
		case '(':
			depth++;
			break;
		case ')':
			if (--depth == 0) {
				(*i)++;
				return 0;
			}
			break;
		}
		(*i)++;
	}
	return -1;
}

/* p[*i] is '['; moves *i past the class's closing ']'. */
static int
skip_class(const char *p, size_t n, size_t *i)
{
	(*i)++;
	if (*i < n && p[*i] == '^')
		(*i)++;
	if (*i < n && p[*i] == ']')
		(*i)++;
	while (*i < n) {
		if (p[*i] == '\\')
			*i += 2;
		else if (p[*i] == '[' && *i + 1 < n && p[*i + 1] == ':') {
			*i += 2;
			while (*i + 1 < n &&
			    !(p[*i] == ':' && p[*i + 1] == ']'))
				(*i)++;
			*i += 2;
		} else if (p[*i] == ']') {
			(*i)++;
			return 0;
		} else
			(*i)++;
	}
	return -1;
}

/*
 * A repetition at p[*i]: "*", "+", "?", "{n}", "{n,}", "{n,m}", each with
 * an optional lazy "?".  Returns 1 and moves *i past it (*min = at least
 * how many), or 0 if there is none.
 */
static int
repeat(const char *p, size_t n, size_t *i, int *min)
{
	size_t	j;
	int	m = 0, digits = 0;

	if (*i >= n)
		return 0;
	switch (p[*i]) {
	case '*':
	case '?':
		*min = 0;
		(*i)++;
		break;
	case '+':
		*min = 1;
		(*i)++;
		break;
	case '{':
		for (j = *i + 1; j < n && p[j] >= '0' && p[j] <= '9'; j++) {
			if (m < 100000)
				m = m * 10 + (p[j] - '0');
			digits++;
		}
		if (digits == 0 || j >= n)
			return 0;
		if (p[j] == ',') {
			for (j++; j < n && p[j] >= '0' && p[j] <= '9'; j++)
				;
			if (j >= n)
				return 0;
		}
		if (p[j] != '}')
			return 0;
		*min = m;
		*i = j + 1;
		break;
	default:
		return 0;
	}
	if (*i < n && p[*i] == '?')
		(*i)++;
	return 1;
}

/* The longest literal every match contains, into out; its length or 0. */
size_t
pol_re_literal(const char *p, size_t n, char *out, size_t outlen)
{
	char		cur[256];
	struct run	r;
	size_t		i = 0, w, j;
	int		min;
	unsigned char	c;

	if (outlen == 0 || memmem(p, n, "\xef\xbf\xbd", 3) != NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	r.buf = cur;
	r.cap = sizeof(cur) < outlen ? sizeof(cur) : outlen;
	r.bestbuf = out;
	while (i < n) {
		c = (unsigned char)p[i];
		switch (c) {
		case '|':
		case ')':
			return 0;
		case '(':
			if (i + 1 < n && p[i + 1] == '?') {
				for (j = i + 2; j < n && ((p[j] >= 'a' &&
				    p[j] <= 'z') || (p[j] >= 'A' &&
				    p[j] <= 'Z') || p[j] == '-'); j++)
					;
				if (j < n && p[j] == ')')
					return 0;	/* flags */
			}
			flush(&r);
			if (skip_group(p, n, &i) == -1)
				return 0;
			repeat(p, n, &i, &min);
			continue;
		case '[':
			flush(&r);
			if (skip_class(p, n, &i) == -1)
				return 0;
			repeat(p, n, &i, &min);
			continue;
		case '.':
		case '^':
		case '$':
			flush(&r);
			i++;
			repeat(p, n, &i, &min);
			continue;
		case '*':
		case '+':
		case '?':
			return 0;	/* nothing to repeat: unclear */
		case '\\':
			if (i + 1 >= n)
				return 0;
			c = (unsigned char)p[i + 1];
			if (c == 'Q')
				return 0;
			if (c < 0x80 && !((c >= '0' && c <= '9') ||
			    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
				/* An escaped punctuation mark is itself. */
				i += 2;
				w = 1;
				goto literal;
			}
			/* A class, an assertion or a coded character. */
			flush(&r);
			i += 2;
			if ((c == 'p' || c == 'P' || c == 'x') && i < n &&
			    p[i] == '{') {
				while (i < n && p[i] != '}')
					i++;
				i++;
			} else if (c == 'p' || c == 'P')
				i++;
			else if (c == 'x')
				i += 2;
			else if (c >= '0' && c <= '7')
				for (j = 0; j < 2 && i < n && p[i] >= '0' &&
				    p[i] <= '7'; j++)
					i++;
			repeat(p, n, &i, &min);
			continue;
		default:
			w = u8width(c);
			if (i + w > n)
				return 0;
			i += w;
			goto literal;
		}
literal:
		if (r.len + w > r.cap)
			flush(&r);
		memcpy(r.buf + r.len, p + i - w, w);
		r.len += w;
		r.lastlen = w;
		if (repeat(p, n, &i, &min)) {
			if (min == 0)
				r.len -= r.lastlen;
			flush(&r);
		}
	}
	flush(&r);
	return r.best;
}
