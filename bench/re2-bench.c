/*
 * re2-bench.c: compile and search times of hostile and ordinary patterns
 * through policy/re2 (TRE).  Usage: re2-bench [subject-length]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "re2.h"

static double	 now(void);
static void	 run(const char *, char, char, size_t);

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Subject: n copies of fill, then last. */
static void
run(const char *pat, char fill, char last, size_t n)
{
	struct re2	*re;
	struct rusage	 ru;
	char		 err[RE2_ERRLEN], *s;
	double		 t0, t1, t2;
	int		 m, i, reps = 5;

	if ((s = malloc(n + 1)) == NULL)
		return;
	memset(s, fill, n);
	s[n - 1] = last;
	t0 = now();
	re = policy_re2_compile(pat, strlen(pat), err, sizeof(err));
	t1 = now();
	if (re == NULL) {
		printf("%-28s refused in %.3f ms: %s\n", pat, (t1 - t0) * 1e3,
		    err);
		free(s);
		return;
	}
	for (i = 0, m = 0; i < reps; i++)
		m = policy_re2_search(re, s, n);
	t2 = now();
	getrusage(RUSAGE_SELF, &ru);
	printf("%-28s compile %8.3f ms  search %zu B %9.3f ms (%.1f ns/B) "
	    "match %d  maxrss %ld KiB\n", pat, (t1 - t0) * 1e3, n,
	    (t2 - t1) * 1e3 / reps, (t2 - t1) * 1e9 / reps / n, m,
	    ru.ru_maxrss);
	policy_re2_free(re);
	free(s);
}

int
main(int argc, char *argv[])
{
	size_t	 n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;

	run("(a*)*b", 'a', 'a', n);
	run("(a|aa)*c", 'a', 'a', n);
	run("(a|a)*b", 'a', 'a', n);
	run("(x+x+)+y", 'x', 'x', n);
	run("(.*a){20}", 'a', 'b', n);
	run("(x{1000}){1000}", 'x', 'x', n);
	run("(x{30}){30}", 'x', 'x', n);
	run("a{0,1000}", 'a', 'a', n);
	run("a{1000}", 'a', 'b', n);
	run("(?i)\\pL+\\d", 'a', 'a', n);
	run("[\\p{Greek}\\p{Han}\\pN]+$", 'a', 'a', n);
	run("\\b(foo|bar)\\b", 'a', 'a', n);
	run("^/usr/(s?bin|lib)/.*$", 'a', 'a', n);
	run(".*\\.(com|net|org)$", 'a', 'a', n);
	run("(?i)(a|b|c|d|e|f|g|h){100}", 'a', 'a', n);
	run("a{0,771}x", 'a', 'a', n);
	run("a{0,140}x", 'a', 'a', n);
	return 0;
}
