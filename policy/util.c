/*
 * util.c: small helpers of the policy library: errors, notes,
 * case folding with an ASCII fast path, Go's trimming rules.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "ufold.h"

void	 pol_err_set(struct policy_err *, const char *, const char *, ...);
void	 pol_err_file(struct policy_err *, const char *);
void	 pol_err_rule(struct policy_err *, const char *);
char	*pol_strndup(const char *, size_t);
int	 pol_ascii(const char *, size_t);
int	 pol_parse_u64(const char *, size_t, uint64_t *);
void	 pol_lower_ascii(char *, size_t);
int	 pol_fold_equal(const char *, size_t, const char *, size_t);
int	 pol_contains(const char *, size_t, const char *, size_t);
char	*pol_lower(const char *, size_t, size_t *);
size_t	 pol_quote(char *, size_t, const char *, size_t);
int	 pol_is_space(const char *, size_t, size_t *);
void	 pol_trim_set(const char **, size_t *, const char *);
void	 pol_trim_unicode_space(const char **, size_t *);
void	 pol_note_add(struct pnotes *, const char *, const char *, const char *,
	    ...);
void	 pol_notes_free(struct pnotes *);
void	 policy_err_format(const struct policy_err *, char *, size_t);

void
pol_err_set(struct policy_err *err, const char *field, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

void
pol_err_file(struct policy_err *err, const char *file)
{
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

void
pol_err_rule(struct policy_err *err, const char *name)
{
	if (err == NULL)
		return;
	err->has_rule = name != NULL;
	snprintf(err->rule, sizeof(err->rule), "%s", name ? name : "");
}

void
policy_err_format(const struct policy_err *err, char *buf, size_t len)
{
	char	name[POLICY_ERR_RULE + 16];

	name[0] = '\0';
	if (err->has_rule)
		pol_quote(name, sizeof(name), err->rule, strlen(err->rule));
	snprintf(buf, len, "%s%s%s%s: %s%s%s",
	    err->file[0] ? err->file : "(no file)",
	    err->has_rule ? " (rule " : "", name, err->has_rule ? ")" : "",
	    err->field, err->field[0] ? ": " : "", err->reason);
}

char *
pol_strndup(const char *s, size_t n)
{
	char	*p;

	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
pol_ascii(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Go's strconv.ParseUint(s, 10, 64). */
int
pol_parse_u64(const char *s, size_t n, uint64_t *v)
{
	size_t		i;
	uint64_t	d;

	*v = 0;
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (uint64_t)(s[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	return 0;
}

void
pol_lower_ascii(char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] += 'a' - 'A';
}

/*
 * Go's strings.EqualFold.  One pass while both are ASCII (the runes line
 * up, and an ASCII letter folds only to ASCII, so a mismatch there is
 * final); the first byte beyond ASCII hands the rest to pol_ufold_equal().
 */
int
pol_fold_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i, n = alen < blen ? alen : blen;
	int	ca, cb;

	/* Mostly written as the program names itself. */
	if (alen == blen && memcmp(a, b, alen) == 0)
		return 1;
	for (i = 0; i < n; i++) {
		ca = (unsigned char)a[i];
		cb = (unsigned char)b[i];
		if (ca >= 0x80 || cb >= 0x80)
			return pol_ufold_equal(a + i, alen - i, b + i,
			    blen - i);
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return 0;
	}
	/* Runes left in one only: never equal. */
	return alen == blen;
}

/*
 * Whether lit occurs in s.  Short values: memchr for lit's first byte,
 * then a compare (cheaper than memmem's set-up for a command line);
 * longer ones go to memmem, whose time stays linear whatever s holds.
 */
int
pol_contains(const char *s, size_t n, const char *lit, size_t litlen)
{
	const char	*p, *last;

	if (litlen == 0)
		return 1;
	if (n < litlen)
		return 0;
	if (n * litlen > PCONTAINS_SCAN_MAX)
		return memmem(s, n, lit, litlen) != NULL;
	last = s + (n - litlen);
	for (p = s; p <= last &&
	    (p = memchr(p, lit[0], (size_t)(last - p) + 1)) != NULL; p++)
		if (memcmp(p + 1, lit + 1, litlen - 1) == 0)
			return 1;
	return 0;
}

/* Go's strings.ToLower into a new string. */
char *
pol_lower(const char *s, size_t n, size_t *outlen)
{
	char	*p;

	if (!pol_ascii(s, n))
		return pol_ufold_lower(s, n, outlen);
	if ((p = pol_strndup(s, n)) == NULL)
		return NULL;
	pol_lower_ascii(p, n);
	if (outlen != NULL)
		*outlen = n;
	return p;
}

/*
 * Writes s in double quotes for a message: quotes, backslashes and control
 * bytes escaped, cut with "..." when it does not fit.
 */
size_t
pol_quote(char *buf, size_t len, const char *s, size_t slen)
{
	size_t		 o = 0, i;
	unsigned char	 c;
	char		 tmp[8];
	size_t		 tl;

	if (len < 6) {
		if (len > 0)
			buf[0] = '\0';
		return 0;
	}
	buf[o++] = '"';
	for (i = 0; i < slen; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else {
			tmp[0] = (char)c;
			tl = 1;
		}
		if (o + tl + 5 > len) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, tl);
		o += tl;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return o;
}

/* Go's unicode.IsSpace on the UTF-8 character at s. */
int
pol_is_space(const char *p, size_t n, size_t *width)
{
	const unsigned char	*s = (const unsigned char *)p;
	unsigned		 cp;

	*width = 1;
	if (n == 0)
		return 0;
	switch (s[0]) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
		return 1;
	}
	if (s[0] == 0xc2 && n >= 2 && (s[1] == 0x85 || s[1] == 0xa0)) {
		*width = 2;
		return 1;
	}
	if ((s[0] == 0xe1 || s[0] == 0xe2 || s[0] == 0xe3) && n >= 3 &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		cp = (unsigned)(s[0] & 0x0f) << 12 |
		    (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
		    cp == 0x205f || cp == 0x3000) {
			*width = 3;
			return 1;
		}
	}
	return 0;
}

/* Go's strings.Trim(s, set) for an ASCII set. */
void
pol_trim_set(const char **s, size_t *n, const char *set)
{
	while (*n > 0 && strchr(set, (*s)[0]) != NULL && (*s)[0] != '\0') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && strchr(set, (*s)[*n - 1]) != NULL &&
	    (*s)[*n - 1] != '\0')
		(*n)--;
}

/* Go's strings.TrimSpace. */
void
pol_trim_unicode_space(const char **s, size_t *n)
{
	size_t	w, k;
	int	found;

	while (*n > 0 && pol_is_space(*s, *n, &w)) {
		*s += w;
		*n -= w;
	}
	for (;;) {
		found = 0;
		/* A space ends the string: look 1..3 bytes back. */
		for (k = 1; k <= 3 && k <= *n; k++) {
			if (pol_is_space(*s + *n - k, k, &w) && w == k) {
				*n -= k;
				found = 1;
				break;
			}
		}
		if (!found)
			break;
	}
}

void
pol_note_add(struct pnotes *nt, const char *field, const char *code,
    const char *fmt, ...)
{
	va_list		 ap;
	struct pnote	*n;
	size_t		 cap;

	if (nt == NULL)
		return;
	cap = nt->cap ? nt->cap : MAX_RULE_NOTES;
	if (nt->v == NULL && (nt->v = calloc(cap, sizeof(*nt->v))) == NULL) {
		nt->dropped++;
		return;
	}
	if (nt->n >= cap) {
		nt->dropped++;
		return;
	}
	n = &nt->v[nt->n++];
	snprintf(n->field, sizeof(n->field), "%s", field ? field : "");
	snprintf(n->code, sizeof(n->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(n->msg, sizeof(n->msg), fmt, ap);
	va_end(ap);
}

void
pol_notes_free(struct pnotes *nt)
{
	free(nt->v);
	nt->v = NULL;
	nt->n = nt->dropped = 0;
}
