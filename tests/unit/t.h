/*
 * t.h: the unit tests' few assertions.  A test program runs its cases,
 * prints one line per failed check, and exits 1 if any failed (77 to
 * report a skip, which the runner counts as a failure unless the test is
 * listed as allowed to skip).
 */
#ifndef TATTLE_T_H
#define TATTLE_T_H

#include <stdio.h>
#include <string.h>

static int	t_failed;
static int	t_checks;

#define T_CHECK(cond) do {						\
	t_checks++;							\
	if (!(cond)) {							\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: check failed: %s\n",	\
		    __FILE__, __LINE__, __func__, #cond);		\
	}								\
} while (0)

#define T_EQ_INT(a, b) do {						\
	long long t_a = (long long)(a), t_b = (long long)(b);		\
	t_checks++;							\
	if (t_a != t_b) {						\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: %s == %lld, want %lld\n",	\
		    __FILE__, __LINE__, __func__, #a, t_a, t_b);	\
	}								\
} while (0)

#define T_EQ_STR(a, b) do {						\
	const char *t_a = (a), *t_b = (b);				\
	t_checks++;							\
	if (t_a == NULL || t_b == NULL ? t_a != t_b :			\
	    strcmp(t_a, t_b) != 0) {					\
		t_failed++;						\
		fprintf(stderr, "%s:%d: %s: %s == \"%s\", want \"%s\"\n", \
		    __FILE__, __LINE__, __func__, #a,			\
		    t_a ? t_a : "(null)", t_b ? t_b : "(null)");	\
	}								\
} while (0)

static inline int
t_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, t_checks, t_failed);
	return t_failed ? 1 : 0;
}

#endif /* TATTLE_T_H */
