/*
 * duration.c: Go's time.ParseDuration ("30s", "1h30m", "1.5h", "-2m",
 * units ns us µs ms s m h), which decides how long a temporary rule lives.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "policy_int.h"

int		pol_duration_parse(const char *, int64_t *);
static uint64_t	unit_ns(const char *, size_t);

static uint64_t
unit_ns(const char *u, size_t n)
{
	static const struct {
		const char	*name;
		uint64_t	 ns;
	} units[] = {
		{ "ns", 1 },
		{ "us", 1000 },
		{ "\xc2\xb5s", 1000 },		/* U+00B5 micro sign */
		{ "\xce\xbcs", 1000 },		/* U+03BC greek mu */
		{ "ms", 1000000 },
		{ "s", 1000000000ULL },
		{ "m", 60000000000ULL },
		{ "h", 3600000000000ULL },
	};
	size_t	i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n &&
		    memcmp(units[i].name, u, n) == 0)
			return units[i].ns;
	return 0;
}

/* Returns 0 and the duration in ms (rounded away from zero), or -1. */
int
pol_duration_parse(const char *s, int64_t *ms)
{
	uint64_t	d = 0, v, f, unit;
	double		scale;
	int		neg = 0, pre, post, fover;
	size_t		i;
	const char	*start;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		*ms = 0;
		return 0;
	}
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return -1;
		v = 0;
		for (start = s; *s >= '0' && *s <= '9'; s++) {
			if (v > (1ULL << 63) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > 1ULL << 63)
				return -1;
		}
		pre = s != start;
		f = 0;
		scale = 1.0;
		post = 0;
		fover = 0;
		if (*s == '.') {
			s++;
			for (start = s; *s >= '0' && *s <= '9'; s++) {
				if (fover)
					continue;
				if (f > (UINT64_MAX >> 1) / 10) {
					fover = 1;
					continue;
				}
				f = f * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
			post = s != start;
		}
		if (!pre && !post)
			return -1;
		for (i = 0; s[i] != '\0' && s[i] != '.' &&
		    !(s[i] >= '0' && s[i] <= '9'); i++)
			;
		if (i == 0 || (unit = unit_ns(s, i)) == 0)
			return -1;
		s += i;
		if (v > (1ULL << 63) / unit)
			return -1;
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > 1ULL << 63)
				return -1;
		}
		d += v;
		if (d > 1ULL << 63)
			return -1;
	}
	if (!neg && d > (1ULL << 63) - 1)
		return -1;
	*ms = (int64_t)((d + 999999) / 1000000);
	if (neg)
		*ms = -*ms;
	return 0;
}
