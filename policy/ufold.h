/*
 * ufold.h: Go's Unicode case handling for rule matching (Unicode 15.0.0,
 * the tables of Go 1.21 and later).
 *
 * Strings are byte strings that should be UTF-8.  Invalid bytes are read
 * the way Go reads them: each byte that does not start a valid, shortest,
 * non-surrogate sequence counts as one U+FFFD.
 */
#ifndef TATTLE_UFOLD_H
#define TATTLE_UFOLD_H

#include <stddef.h>
#include <stdint.h>

#define UFOLD_RUNE_ERROR	0xfffdU
#define UFOLD_MAX_RUNE		0x10ffffU

/* Go strings.EqualFold (Unicode simple case folding): 1 equal, 0 not. */
int		 pol_ufold_equal(const char *a, size_t alen, const char *b,
		    size_t blen);
/*
 * Go strings.ToLower into a new malloc'd NUL-terminated string; NULL on
 * ENOMEM.  Each invalid byte becomes U+FFFD (3 bytes), as Go does, so the
 * output is valid UTF-8 and may be longer than the input.  The caller
 * frees the result; *outlen (if not NULL) gets its length without the NUL.
 */
char		*pol_ufold_lower(const char *s, size_t len, size_t *outlen);

/* Go utf8.DecodeRune at s[*i]; advances *i by 1 on invalid input. */
uint32_t	 pol_ufold_decode(const char *s, size_t len, size_t *i);
/* Go unicode.SimpleFold: the next code point in c's folding orbit. */
uint32_t	 pol_ufold_simple(uint32_t c);
/* The least code point >= c whose orbit is not {c}; 0xffffffff if none. */
uint32_t	 pol_ufold_next_folding(uint32_t c);
/* Go unicode.ToLower of one code point. */
uint32_t	 pol_ufold_tolower(uint32_t c);

#endif /* TATTLE_UFOLD_H */
