/*
 * glob.c: shell patterns with the rules of Go's path/filepath.Match on a
 * Unix system ('*' and '?' never match '/', classes "[^a-z]", backslash
 * escapes, malformed patterns reported even when the name already failed),
 * which OpenSnitch applies to each label of a glob entry in a domain list.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "policy_int.h"

#define RUNE_ERROR	0xfffd

int		 pol_glob_valid(const char *, size_t);
int		 pol_glob_match(const char *, size_t, const char *, size_t);
static size_t	 decode_rune(const unsigned char *, size_t, uint32_t *);
static void	 scan_chunk(const char **, size_t *, int *, const char **,
		    size_t *);
static int	 get_esc(const char **, size_t *, uint32_t *);
static int	 match_chunk(const char *, size_t, const char *, size_t,
		    size_t *);
static int	 match(const char *, size_t, const char *, size_t);

/* Go's utf8.DecodeRune: an invalid byte is RuneError of width 1. */
static size_t
decode_rune(const unsigned char *s, size_t n, uint32_t *r)
{
	uint32_t	cp;

	*r = RUNE_ERROR;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*r = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf && n >= 2 && (s[1] & 0xc0) == 0x80) {
		*r = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef && n >= 3 &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		cp = (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) {
			*r = cp;
			return 3;
		}
		return 1;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && n >= 4 &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		cp = (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3f) << 12 |
		    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		if (cp >= 0x10000 && cp <= 0x10ffff) {
			*r = cp;
			return 4;
		}
	}
	return 1;
}

/* Splits off the next run of stars and the literal chunk after it. */
static void
scan_chunk(const char **pat, size_t *plen, int *star, const char **chunk,
    size_t *clen)
{
	const char	*p = *pat;
	size_t		 n = *plen, i;
	int		 inrange = 0;

	*star = 0;
	while (n > 0 && p[0] == '*') {
		p++;
		n--;
		*star = 1;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == '\\') {
			if (i + 1 < n)
				i++;
		} else if (p[i] == '[')
			inrange = 1;
		else if (p[i] == ']')
			inrange = 0;
		else if (p[i] == '*' && !inrange)
			break;
	}
	*chunk = p;
	*clen = i;
	*pat = p + i;
	*plen = n - i;
}

/* One possibly escaped character of a class; -1 if malformed. */
static int
get_esc(const char **c, size_t *n, uint32_t *r)
{
	size_t	w;

	if (*n == 0 || (*c)[0] == '-' || (*c)[0] == ']')
		return -1;
	if ((*c)[0] == '\\') {
		(*c)++;
		(*n)--;
		if (*n == 0)
			return -1;
	}
	w = decode_rune((const unsigned char *)*c, *n, r);
	if (*r == RUNE_ERROR && w == 1)
		return -1;
	*c += w;
	*n -= w;
	if (*n == 0)
		return -1;
	return 0;
}

/*
 * Matches chunk against the start of s: 1 and *rest (offset into s) on a
 * match, 0 if not, -1 if the chunk is malformed.
 */
static int
match_chunk(const char *c, size_t cn, const char *s, size_t sn, size_t *rest)
{
	size_t		 si = 0, w;
	uint32_t	 r, lo, hi;
	int		 failed = 0, negated, in, nrange;

	while (cn > 0) {
		if (!failed && si == sn)
			failed = 1;
		switch (c[0]) {
		case '[':
			r = 0;
			if (!failed)
				si += decode_rune((const unsigned char *)s + si,
				    sn - si, &r);
			c++;
			cn--;
			negated = 0;
			if (cn > 0 && c[0] == '^') {
				negated = 1;
				c++;
				cn--;
			}
			in = 0;
			nrange = 0;
			for (;;) {
				if (cn > 0 && c[0] == ']' && nrange > 0) {
					c++;
					cn--;
					break;
				}
				if (get_esc(&c, &cn, &lo) == -1)
					return -1;
				hi = lo;
				if (c[0] == '-') {
					c++;
					cn--;
					if (get_esc(&c, &cn, &hi) == -1)
						return -1;
				}
				if (lo <= r && r <= hi)
					in = 1;
				nrange++;
			}
			if (in == negated)
				failed = 1;
			break;
		case '?':
			if (!failed) {
				if (s[si] == '/')
					failed = 1;
				w = decode_rune((const unsigned char *)s + si,
				    sn - si, &r);
				si += w;
			}
			c++;
			cn--;
			break;
		case '\\':
			c++;
			cn--;
			if (cn == 0)
				return -1;
			/* FALLTHROUGH */
		default:
			if (!failed) {
				if (c[0] != s[si])
					failed = 1;
				si++;
			}
			c++;
			cn--;
			break;
		}
	}
	if (failed)
		return 0;
	*rest = si;
	return 1;
}

/* 1 match, 0 no match, -1 malformed pattern. */
static int
match(const char *p, size_t pn, const char *name, size_t nn)
{
	const char	*chunk;
	size_t		 cn, rest, i;
	int		 star, ok;

next:
	while (pn > 0) {
		scan_chunk(&p, &pn, &star, &chunk, &cn);
		if (star && cn == 0) {
			for (i = 0; i < nn; i++)
				if (name[i] == '/')
					return 0;
			return 1;
		}
		ok = match_chunk(chunk, cn, name, nn, &rest);
		if (ok == 1 && (rest == nn || pn > 0)) {
			name += rest;
			nn -= rest;
			continue;
		}
		if (ok == -1)
			return -1;
		if (star) {
			for (i = 0; i < nn && name[i] != '/'; i++) {
				ok = match_chunk(chunk, cn, name + i + 1,
				    nn - i - 1, &rest);
				if (ok == 1) {
					if (pn == 0 && rest < nn - i - 1)
						continue;
					name += i + 1 + rest;
					nn -= i + 1 + rest;
					goto next;
				}
				if (ok == -1)
					return -1;
			}
		}
		/* The rest of the pattern must still be well formed. */
		while (pn > 0) {
			scan_chunk(&p, &pn, &star, &chunk, &cn);
			if (match_chunk(chunk, cn, "", 0, &rest) == -1)
				return -1;
		}
		return 0;
	}
	return nn == 0;
}

int
pol_glob_valid(const char *p, size_t n)
{
	return match(p, n, "", 0) != -1;
}

int
pol_glob_match(const char *p, size_t pn, const char *name, size_t nn)
{
	return match(p, pn, name, nn) == 1;
}
