/*
 * ufold.c: Go's strings.EqualFold and strings.ToLower over generated
 * Unicode tables (policy/ufold_tables.h, made by policy/gen-unicode.py).
 */
#include <stdlib.h>
#include <string.h>

#include "ufold.h"
#include "ufold_tables.h"

static uint32_t	 ufold_lookup(const uint32_t (*)[2], size_t, uint32_t);
static size_t	 ufold_encode(uint32_t, char *);

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

uint32_t
pol_ufold_decode(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t		 left = len - *i, n, k;
	uint32_t	 c, min;

	if (p[0] < 0x80) {
		(*i)++;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (left < n)
		goto bad;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (p[k] & 0x3f);
	}
	if (c < min || c > UFOLD_MAX_RUNE || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*i += n;
	return c;
bad:
	(*i)++;
	return UFOLD_RUNE_ERROR;
}

static uint32_t
ufold_lookup(const uint32_t (*t)[2], size_t n, uint32_t c)
{
	size_t	 lo = 0, hi = n, m;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if (t[m][0] < c)
			lo = m + 1;
		else
			hi = m;
	}
	if (lo < n && t[lo][0] == c)
		return t[lo][1];
	return c;
}

uint32_t
pol_ufold_simple(uint32_t c)
{
	return ufold_lookup(ufold_orbit, NELEM(ufold_orbit), c);
}

uint32_t
pol_ufold_next_folding(uint32_t c)
{
	size_t	 lo = 0, hi = NELEM(ufold_orbit), m;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if (ufold_orbit[m][0] < c)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < NELEM(ufold_orbit) ? ufold_orbit[lo][0] : UINT32_MAX;
}

uint32_t
pol_ufold_tolower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
	return ufold_lookup(ufold_lower_map, NELEM(ufold_lower_map), c);
}

/* Go's EqualFold: walk both strings rune by rune, orbit-compare. */
int
pol_ufold_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		 i = 0, j = 0;
	uint32_t	 sr, tr, r;

	while (i < alen) {
		if (j >= blen)
			return 0;
		sr = pol_ufold_decode(a, alen, &i);
		tr = pol_ufold_decode(b, blen, &j);
		if (sr == tr)
			continue;
		if (tr < sr) {
			r = tr;
			tr = sr;
			sr = r;
		}
		if (tr < 0x80) {
			if (sr >= 'A' && sr <= 'Z' && tr == sr + ('a' - 'A'))
				continue;
			return 0;
		}
		r = pol_ufold_simple(sr);
		while (r != sr && r < tr)
			r = pol_ufold_simple(r);
		if (r != tr)
			return 0;
	}
	return j == blen;
}

static size_t
ufold_encode(uint32_t c, char *out)
{
	unsigned char	*o = (unsigned char *)out;

	if (c < 0x80) {
		o[0] = c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = 0xc0 | c >> 6;
		o[1] = 0x80 | (c & 0x3f);
		return 2;
	}
	if (c < 0x10000) {
		o[0] = 0xe0 | c >> 12;
		o[1] = 0x80 | (c >> 6 & 0x3f);
		o[2] = 0x80 | (c & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | c >> 18;
	o[1] = 0x80 | (c >> 12 & 0x3f);
	o[2] = 0x80 | (c >> 6 & 0x3f);
	o[3] = 0x80 | (c & 0x3f);
	return 4;
}

/*
 * Every lowercase mapping keeps or shrinks the encoded length except for
 * invalid bytes (1 -> 3) and a few code points (e.g. U+023A, 2 -> 3), so
 * 3 output bytes per input byte always suffice.
 */
char *
pol_ufold_lower(const char *s, size_t len, size_t *outlen)
{
	char		*out;
	size_t		 i = 0, o = 0;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	if ((out = malloc(3 * len + 1)) == NULL)
		return NULL;
	while (i < len)
		o += ufold_encode(pol_ufold_tolower(pol_ufold_decode(s, len,
		    &i)), out + o);
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}
