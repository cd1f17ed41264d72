/*
 * policy-re2.c: the Go RE2 translation against Go's own answers
 * (re2_cases.h, made by re2_oracle.go), then one check per construct with
 * its error message, the limits, and the refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "re2.h"
#include "ufold.h"
#include "t.h"

struct re2_subject {
	const char	*s;
	size_t		 len;
};

struct re2_case {
	const char	*pat;
	size_t		 patlen;
	int		 lower;		/* OpenSnitch sensitive:false */
	const char	*err;		/* Go's error, or NULL */
	int		 refused;	/* Go accepts, tattle refuses */
	int		 set;		/* which subject list */
	const char	*want;		/* Go's MatchString per subject */
};

#include "re2_cases.h"

static void	 test_oracle(void);
static int	 match(const char *, const char *);
static const char *compile_err(const char *);
static void	 test_constructs(void);
static void	 test_errors(void);
static void	 test_limits(void);
static void	 test_refusals(void);

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_oracle(void)
{
	const struct re2_subject *subj;
	const struct re2_case	*c;
	struct re2		*re;
	char			 err[RE2_ERRLEN], *p, *v;
	size_t			 i, j, plen, vlen;
	int			 m, bad = 0, refused = 0;

	for (i = 0; i < NELEM(re2_cases); i++) {
		c = &re2_cases[i];
		subj = c->set ? re2_subjects1 : re2_subjects0;
		if (c->lower)
			p = pol_ufold_lower(c->pat, c->patlen, &plen);
		else {
			p = malloc(c->patlen + 1);
			memcpy(p, c->pat, c->patlen);
			plen = c->patlen;
		}
		re = policy_re2_compile(p, plen, err, sizeof(err));
		if (c->err != NULL) {
			T_CHECK(re == NULL);
			/* Messages with bytes Go prints raw differ on
			 * purpose. */
			if (re == NULL && strcspn(c->err, "\001\002\003\004"
			    "\005\006\007\010\011\012\013\014\015\016\017\020"
			    "\177\377\376") == strlen(c->err) &&
			    strcmp(err, c->err) != 0 && bad++ < 20)
				fprintf(stderr, "case %zu /%s/: error "
				    "\"%s\", Go \"%s\"\n", i, c->pat, err,
				    c->err);
			policy_re2_free(re);
			free(p);
			continue;
		}
		if (c->refused) {
			T_CHECK(re == NULL && strstr(err, "tattle") != NULL);
			policy_re2_free(re);
			free(p);
			continue;
		}
		if (re == NULL && c->set == 1 &&
		    strstr(err, "tattle") != NULL) {
			/* Random patterns: refusing is allowed, not
			 * guessing. */
			refused++;
			free(p);
			continue;
		}
		if (re == NULL) {
			if (bad++ < 20)
				fprintf(stderr, "case %zu /%s/: refused: "
				    "%s\n", i, c->pat, err);
			t_failed++;
			free(p);
			continue;
		}
		for (j = 0; c->want[j] != '\0'; j++) {
			if (c->lower)
				v = pol_ufold_lower(subj[j].s, subj[j].len,
				    &vlen);
			else {
				v = malloc(subj[j].len + 1);
				memcpy(v, subj[j].s, subj[j].len);
				vlen = subj[j].len;
			}
			m = policy_re2_search(re, v, vlen);
			t_checks++;
			if (m != c->want[j] - '0') {
				t_failed++;
				if (bad++ < 40)
					fprintf(stderr,
					    "case %zu /%s/%s on \"%s\": "
					    "%d, Go %c\n", i, c->pat,
					    c->lower ? " (lowered)" : "",
					    subj[j].s, m, c->want[j]);
			}
			free(v);
		}
		policy_re2_free(re);
		free(p);
	}
	printf("policy-re2: %d of the random patterns refused by design\n",
	    refused);
}

static int
match(const char *pat, const char *s)
{
	struct re2	*re;
	char		 err[RE2_ERRLEN];
	int		 m;

	if ((re = policy_re2_compile(pat, strlen(pat), err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "/%s/: %s\n", pat, err);
		return -2;
	}
	m = policy_re2_search(re, s, strlen(s));
	policy_re2_free(re);
	return m;
}

static const char *
compile_err(const char *pat)
{
	static char	 err[RE2_ERRLEN];
	struct re2	*re;

	if ((re = policy_re2_compile(pat, strlen(pat), err,
	    sizeof(err))) != NULL) {
		policy_re2_free(re);
		return "(compiled)";
	}
	return err;
}

/* One construct at a time, accepted. */
static void
test_constructs(void)
{
	T_EQ_INT(match("abc", "xabcx"), 1);
	T_EQ_INT(match("\\x41\\x{263a}", "A\xe2\x98\xba"), 1);
	T_EQ_INT(match("\\101", "A"), 1);
	T_EQ_INT(match("a.c", "a\nc"), 0);
	T_EQ_INT(match("(?s)a.c", "a\nc"), 1);
	T_EQ_INT(match("^b", "a\nb"), 0);
	T_EQ_INT(match("(?m)^b", "a\nb"), 1);
	T_EQ_INT(match("a$", "a\n"), 0);
	T_EQ_INT(match("(?m)a$", "a\nb"), 1);
	T_EQ_INT(match("\\Aa\\z", "a"), 1);
	T_EQ_INT(match("\\bfoo\\b", "a foo."), 1);
	T_EQ_INT(match("\\bfoo\\b", "afoo"), 0);
	T_EQ_INT(match("\\bfoo", "\xc3\xa9" "foo"), 1);	/* é is no word char */
	T_EQ_INT(match("a\\Bb", "ab"), 1);
	T_EQ_INT(match("\\B", " "), 1);
	T_EQ_INT(match("\\d+", "\xd9\xa3"), 0);		/* Arabic-Indic 3 */
	T_EQ_INT(match("\\pN", "\xd9\xa3"), 1);
	T_EQ_INT(match("\\w", "\xc3\xa9"), 0);
	T_EQ_INT(match("\\pL", "\xc3\xa9"), 1);
	T_EQ_INT(match("\\p{Greek}", "\xce\xb1"), 1);
	T_EQ_INT(match("\\P{Greek}", "\xce\xb1"), 0);
	T_EQ_INT(match("[[:alpha:]]", "\xc3\xa9"), 0);
	T_EQ_INT(match("[^a]", "\n"), 1);
	T_EQ_INT(match("[a-c]+$", "xbca"), 1);
	T_EQ_INT(match("(?i)k", "\xe2\x84\xaa"), 1);	/* KELVIN SIGN */
	T_EQ_INT(match("(?i)[^k]", "\xe2\x84\xaa"), 0);
	T_EQ_INT(match("(?i)\\w", "\xc5\xbf"), 1);	/* long s */
	T_EQ_INT(match("(?i:A)b", "aB"), 0);
	T_EQ_INT(match("(?P<n>a)(?<m>b)", "ab"), 1);
	T_EQ_INT(match("a*?b+?c??", "bb"), 1);
	T_EQ_INT(match("(?U)a{2,3}", "aa"), 1);
	T_EQ_INT(match("a{3}", "aa"), 0);
	T_EQ_INT(match("a{1000}", "aaa"), 0);
	T_EQ_INT(match("\\Q.*\\E", "a.*"), 1);
	T_EQ_INT(match("\\Q.*\\E", "ab"), 0);
	T_EQ_INT(match("", "x"), 1);
	T_EQ_INT(match("a|", "x"), 1);
	T_EQ_INT(match("[^\\x00-\\x{10FFFF}]", "x"), 0);
	T_EQ_INT(match("a\\x00b", "a"), 0);
	/* NUL is a character, not the end of the text. */
	{
		struct re2	*re;
		char		 err[RE2_ERRLEN];

		re = policy_re2_compile("a$", 2, err, sizeof(err));
		T_CHECK(re != NULL);
		if (re != NULL) {
			T_EQ_INT(policy_re2_search(re, "a\0b", 3), 0);
			T_EQ_INT(policy_re2_search(re, "b\0a", 3), 1);
			policy_re2_free(re);
		}
		re = policy_re2_compile("a\0b", 3, err, sizeof(err));
		T_CHECK(re != NULL);
		if (re != NULL) {
			T_EQ_INT(policy_re2_search(re, "xa\0b", 4), 1);
			policy_re2_free(re);
		}
	}
	/* Invalid UTF-8 in the subject is U+FFFD per byte. */
	T_EQ_INT(match("^\\x{FFFD}\\x{FFFD}$", "\xe2\x82"), 1);
	T_EQ_INT(match("^.$", "\xff"), 1);
}

/* What Go rejects, with Go's message. */
static void
test_errors(void)
{
	T_EQ_STR(compile_err("(a)\\1"),
	    "error parsing regexp: invalid escape sequence: `\\1`");
	T_EQ_STR(compile_err("foo(?=bar)"),
	    "error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
	T_EQ_STR(compile_err("foo(?!bar)"),
	    "error parsing regexp: invalid or unsupported Perl syntax: `(?!`");
	T_EQ_STR(compile_err("(?<=a)b"),
	    "error parsing regexp: invalid named capture: `(?<=a)b`");
	T_EQ_STR(compile_err("a*+"),
	    "error parsing regexp: invalid nested repetition operator: `*+`");
	T_EQ_STR(compile_err("curl\\Z"),
	    "error parsing regexp: invalid escape sequence: `\\Z`");
	T_EQ_STR(compile_err("a{1001}"),
	    "error parsing regexp: invalid repeat count: `{1001}`");
	T_EQ_STR(compile_err("(a{40}){30}"),
	    "error parsing regexp: invalid repeat count: `{30}`");
	T_EQ_STR(compile_err("/opt/((.*)google"),
	    "error parsing regexp: missing closing ): `/opt/((.*)google`");
	T_EQ_STR(compile_err("a)"),
	    "error parsing regexp: unexpected ): `a)`");
	T_EQ_STR(compile_err("[z-a]"),
	    "error parsing regexp: invalid character class range: `z-a`");
	T_EQ_STR(compile_err("[a"),
	    "error parsing regexp: missing closing ]: `[a`");
	T_EQ_STR(compile_err("\\y"),
	    "error parsing regexp: invalid escape sequence: `\\y`");
	T_EQ_STR(compile_err("a\\"), "error parsing regexp: "
	    "trailing backslash at end of expression: ``");
	T_EQ_STR(compile_err("*a"), "error parsing regexp: "
	    "missing argument to repetition operator: `*`");
	T_EQ_STR(compile_err("\\pl"),
	    "error parsing regexp: invalid character class range: `\\pl`");
	T_EQ_STR(compile_err("\\p{greek}"), "error parsing regexp: "
	    "invalid character class range: `\\p{greek}`");
	T_EQ_STR(compile_err("\\q/usr\\e"),
	    "error parsing regexp: invalid escape sequence: `\\q`");
	T_EQ_STR(compile_err("[[:foo:]]"),
	    "error parsing regexp: invalid character class range: `[:foo:]`");
	T_EQ_STR(compile_err("(?P<n!>a)"),
	    "error parsing regexp: invalid named capture: `(?P<n!>`");
	T_EQ_STR(compile_err("a\xff"),
	    "error parsing regexp: invalid UTF-8: `\\xff`");
	T_EQ_STR(compile_err("\\C"),
	    "error parsing regexp: invalid escape sequence: `\\C`");
}

static void
test_limits(void)
{
	char	*big;
	size_t	 i;

	big = malloc(RE2_MAX_PATTERN + 2);
	for (i = 0; i < RE2_MAX_PATTERN + 1; i++)
		big[i] = 'a';
	big[i] = '\0';
	T_EQ_STR(compile_err(big),
	    "regexp too long for tattle: 16385 bytes (limit 16384)");
	free(big);
	/* 1000 nested groups are Go's limit. */
	big = malloc(4096);
	for (i = 0; i < 1001; i++)
		big[i] = '(';
	big[i] = 'a';
	for (i = 1002; i < 2003; i++)
		big[i] = ')';
	big[i] = '\0';
	T_CHECK(strstr(compile_err(big), "expression nests too deeply") !=
	    NULL);
	free(big);
	T_EQ_STR(compile_err("a{0,1000}"), "regexp too large for tattle: "
	    "499500 TRE transitions after expanding repetitions (limit "
	    "10000)");
	T_CHECK(strncmp(compile_err("(\\pL{1000}){10}"), "error parsing",
	    13) == 0);
	T_EQ_STR(compile_err("a{1000}b{1000}c{1000}d{1000}e{1000}f{1000}"
	    "g{1000}h{1000}i{1000}j{1000}k{1000}"), "regexp too large for "
	    "tattle: 11000 TRE positions after expanding repetitions (limit "
	    "10000)");
	/* Classes shrink to the pattern's alphabet: this one is small. */
	T_EQ_STR(compile_err("(?i)(\\p{Greek}\\pL\\pN){100}"), "(compiled)");
	T_EQ_STR(compile_err("(a*)*b"), "(compiled)");
	T_EQ_STR(compile_err("(a|aa)*c"), "(compiled)");
}

/* What TRE cannot express exactly is refused with the construct named. */
static void
test_refusals(void)
{
	T_EQ_STR(compile_err("^a(?m)$"), "regexp not supported by tattle: "
	    "(?m) line anchors mixed with text anchors (\\A, \\z, ^ or $ "
	    "outside (?m)) cannot be expressed exactly in TRE");
	T_EQ_STR(compile_err("(?m)\\bx$"), "regexp not supported by tattle: "
	    "\\b or \\B together with (?m) ^ or $ cannot be expressed "
	    "exactly in TRE");
	T_EQ_STR(compile_err("^^\\ba"), "regexp not supported by tattle: "
	    "\\b or \\B with ^, $, \\A or \\z repeated on one path cannot be "
	    "expressed exactly in TRE");
	T_EQ_STR(compile_err("^^a"), "(compiled)");
	T_EQ_STR(compile_err("^\\ba|b\\b$"), "(compiled)");
}

int
main(void)
{
	test_oracle();
	test_constructs();
	test_errors();
	test_limits();
	test_refusals();
	return t_done("policy-re2");
}
