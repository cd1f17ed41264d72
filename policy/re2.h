/*
 * re2.h: Go RE2 regular expressions (regexp.Compile, Perl flags) matched
 * with TRE.
 *
 * A pattern is parsed with Go's regexp/syntax rules (Go 1.22 to 1.24:
 * named groups (?P<n>..) and (?<n>..), \p{Name} by exact category or
 * script name, Unicode 15.0.0 tables) and translated to a TRE program over
 * a private alphabet: every code point of the subject is replaced by the
 * number of its class of code points that the pattern cannot tell apart,
 * so TRE never sees the locale, NUL, or a class larger than the pattern
 * needs.  What TRE cannot express exactly is refused, never approximated:
 *   - \B together with a text or line anchor (^ $ \A \z);
 *   - (?m) line anchors together with text anchors (\A, \z, ^ or $
 *     outside (?m)) in one pattern;
 *   - anything over the limits below.
 * Error messages are Go's ("error parsing regexp: invalid escape
 * sequence: `\y`") for what Go rejects, and name tattle's limit or the
 * construct for what tattle refuses.  Control bytes and invalid UTF-8 in
 * a message are shown as \xNN.
 *
 * Matching is an unanchored search (Go's MatchString).  Invalid UTF-8 in
 * the subject reads as U+FFFD, one per bad byte, as in Go.  Matching time
 * is linear in the subject length: at most RE2_MAX_POSITIONS states are
 * tracked per subject character, and no match state is allocated on the
 * heap.
 */
#ifndef TATTLE_RE2_H
#define TATTLE_RE2_H

#include <stddef.h>

/* Pattern bytes.  Longer patterns are refused. */
#define RE2_MAX_PATTERN		16384
/* Go's limits: counted repetition {n,m} and nested repeat products. */
#define RE2_MAX_REPEAT		1000
/* Go's parse tree height limit ("expression nests too deeply"). */
#define RE2_MAX_HEIGHT		1000
/* TRE positions after expanding counted repetitions (TRE's states). */
#define RE2_MAX_POSITIONS	10000
/* TRE transitions, the size of TRE's automaton. */
#define RE2_MAX_TRANSITIONS	10000
/* Code point ranges over all classes of one pattern. */
#define RE2_MAX_RANGES		200000
/* Size of a message written to err. */
#define RE2_ERRLEN		256

struct re2;

/* Compile a Go RE2 pattern; NULL with a message naming the construct in err. */
struct re2	*policy_re2_compile(const char *pat, size_t len, char *err,
		    size_t errlen);
/*
 * Unanchored search, as Go's regexp MatchString: 1 match, 0 no match.
 * -1 only if TRE fails internally (out of memory): treat it as "could not
 * decide", never as a match.
 */
int		 policy_re2_search(const struct re2 *re, const char *s,
		    size_t len);
void		 policy_re2_free(struct re2 *re);

#endif /* TATTLE_RE2_H */
