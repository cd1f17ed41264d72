/*
 * policy-ufold.c: pol_ufold_equal and pol_ufold_lower against Go's
 * strings.EqualFold and strings.ToLower (ufold_cases.h, made by re2_oracle.go).
 */
#include <stdlib.h>
#include <string.h>

#include "ufold.h"
#include "t.h"

struct ufold_eq {
	const char	*a;
	size_t		 alen;
	const char	*b;
	size_t		 blen;
	int		 equal;
};

struct ufold_low {
	const char	*s;
	size_t		 len;
	const char	*lower;
	size_t		 lowerlen;
};

#include "ufold_cases.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

int
main(void)
{
	size_t	 i, n;
	char	*l;

	for (i = 0; i < NELEM(ufold_eqs); i++) {
		t_checks++;
		if (pol_ufold_equal(ufold_eqs[i].a, ufold_eqs[i].alen,
		    ufold_eqs[i].b, ufold_eqs[i].blen) != ufold_eqs[i].equal) {
			t_failed++;
			fprintf(stderr, "EqualFold(\"%s\", \"%s\") != %d\n",
			    ufold_eqs[i].a, ufold_eqs[i].b, ufold_eqs[i].equal);
		}
	}
	for (i = 0; i < NELEM(ufold_lows); i++) {
		l = pol_ufold_lower(ufold_lows[i].s, ufold_lows[i].len, &n);
		T_CHECK(l != NULL);
		if (l == NULL)
			continue;
		T_EQ_INT(n, ufold_lows[i].lowerlen);
		T_CHECK(memcmp(l, ufold_lows[i].lower, n) == 0);
		T_EQ_INT(l[n], '\0');
		free(l);
	}
	/* The corpus's cases. */
	T_EQ_INT(pol_ufold_equal("/opt/\xc3\x84PP/bin", 12,
	    "/opt/\xc3\xa4pp/bin", 12), 1);
	T_EQ_INT(pol_ufold_equal("/opt/\xe2\x84\xaa", 8, "/opt/k", 6), 1);
	T_EQ_INT(pol_ufold_equal("\xc3\x9f", 2, "SS", 2), 0);
	T_EQ_INT(pol_ufold_simple('K'), 'k');
	T_EQ_INT(pol_ufold_simple('k'), 0x212a);
	T_EQ_INT(pol_ufold_simple(0x212a), 'K');
	T_EQ_INT(pol_ufold_tolower(0x130), 'i');
	return t_done("policy-ufold");
}
