/*
 * jsonw.c: JSON text into a bounded buffer (jsonw.h says how strings are
 * escaped).  Past the bound or without memory the writer stops and says
 * so in err; the caller drops the text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

void		 jw_init(struct jw *, size_t);
void		 jw_reset(struct jw *);
void		 jw_free(struct jw *);
char		*jw_take(struct jw *, size_t *);
void		 jw_obj(struct jw *);
void		 jw_arr(struct jw *);
void		 jw_end(struct jw *);
void		 jw_key(struct jw *, const char *);
void		 jw_keyn(struct jw *, const char *, size_t);
void		 jw_bytes(struct jw *, const char *, size_t);
void		 jw_str(struct jw *, const char *);
void		 jw_strn(struct jw *, const char *, size_t);
void		 jw_u64(struct jw *, uint64_t);
void		 jw_bool(struct jw *, int);
void		 jw_null(struct jw *);
void		 jw_raw(struct jw *, const char *, size_t);
void		 jw_kstr(struct jw *, const char *, const char *);
void		 jw_ku64(struct jw *, const char *, uint64_t);
void		 jw_kbool(struct jw *, const char *, int);
static void	 jw_put(struct jw *, const char *, size_t);
static void	 jw_sep(struct jw *);
static void	 jw_open(struct jw *, char);
static size_t	 jw_utf8_len(const unsigned char *, size_t);

void
jw_init(struct jw *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
}

/* Empty again, keeping the memory. */
void
jw_reset(struct jw *w)
{
	w->len = 0;
	w->err = 0;
	w->depth = 0;
	w->first = 0;
	w->arr = 0;
}

void
jw_free(struct jw *w)
{
	free(w->buf);
	jw_init(w, w->max);
}

/* The text, NUL-terminated, now the caller's; NULL if the writer failed. */
char *
jw_take(struct jw *w, size_t *len)
{
	char	*p;

	jw_put(w, "", 1);
	if (w->err) {
		jw_free(w);
		return NULL;
	}
	p = w->buf;
	*len = w->len - 1;
	w->buf = NULL;
	w->len = w->cap = 0;
	jw_reset(w);
	return p;
}

static void
jw_put(struct jw *w, const char *s, size_t n)
{
	size_t	 cap;
	char	*p;

	if (w->err || n == 0)
		return;
	if (n > w->max - w->len || w->len + n > w->max) {
		w->err = 1;
		return;
	}
	if (w->len + n > w->cap) {
		cap = w->cap ? w->cap : 256;
		while (cap < w->len + n)
			cap *= 2;
		if (cap > w->max + 1)
			cap = w->max + 1;
		if ((p = realloc(w->buf, cap)) == NULL) {
			w->err = 1;
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* A comma before every element but the first of its container. */
static void
jw_sep(struct jw *w)
{
	uint64_t	 bit;

	if (w->depth == 0)
		return;
	bit = (uint64_t)1 << (w->depth - 1);
	if (w->first & bit)
		w->first &= ~bit;
	else
		jw_put(w, ",", 1);
}

static void
jw_open(struct jw *w, char c)
{
	jw_sep(w);
	if (w->depth >= JW_MAX_DEPTH) {
		w->err = 1;
		return;
	}
	jw_put(w, &c, 1);
	w->first |= (uint64_t)1 << w->depth;
	if (c == '[')
		w->arr |= (uint64_t)1 << w->depth;
	w->depth++;
}

void
jw_obj(struct jw *w)
{
	jw_open(w, '{');
}

void
jw_arr(struct jw *w)
{
	jw_open(w, '[');
}

/* Close the innermost container. */
void
jw_end(struct jw *w)
{
	if (w->depth == 0) {
		w->err = 1;
		return;
	}
	w->depth--;
	jw_put(w, (w->arr & ((uint64_t)1 << w->depth)) ? "]" : "}", 1);
	w->first &= ~((uint64_t)1 << w->depth);
	w->arr &= ~((uint64_t)1 << w->depth);
}

/* A key: the separator goes before it, none before its value. */
void
jw_key(struct jw *w, const char *k)
{
	jw_keyn(w, k, strlen(k));
}

void
jw_keyn(struct jw *w, const char *k, size_t n)
{
	jw_strn(w, k, n);
	jw_put(w, ":", 1);
	if (w->depth > 0)
		w->first |= (uint64_t)1 << (w->depth - 1);
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at p, 0 if there is none. */
static size_t
jw_utf8_len(const unsigned char *p, size_t n)
{
	uint32_t	 cp;
	size_t		 len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong, surrogate or past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 esc[8];
	size_t			 i = 0, run, l;

	jw_sep(w);
	jw_put(w, "\"", 1);
	while (i < n && !w->err) {
		/* Copy the longest stretch that needs no escape at once. */
		for (run = i; run < n && p[run] >= 0x20 && p[run] < 0x80 &&
		    p[run] != '"' && p[run] != '\\' && p[run] != 0x7f; run++)
			;
		jw_put(w, s + i, run - i);
		if ((i = run) >= n)
			break;
		if (p[i] >= 0x80) {
			if ((l = jw_utf8_len(p + i, n - i)) == 0) {
				jw_put(w, "\\ufffd", 6);
				i++;
			} else {
				jw_put(w, s + i, l);
				i += l;
			}
			continue;
		}
		switch (p[i]) {
		case '"':
			jw_put(w, "\\\"", 2);
			break;
		case '\\':
			jw_put(w, "\\\\", 2);
			break;
		case '\n':
			jw_put(w, "\\n", 2);
			break;
		case '\t':
			jw_put(w, "\\t", 2);
			break;
		case '\r':
			jw_put(w, "\\r", 2);
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
			jw_put(w, esc, 6);
		}
		i++;
	}
	jw_put(w, "\"", 1);
}

void
jw_u64(struct jw *w, uint64_t v)
{
	char	 b[24];
	int	 n;

	jw_sep(w);
	n = snprintf(b, sizeof(b), "%" PRIu64, v);
	jw_put(w, b, (size_t)n);
}

void
jw_bool(struct jw *w, int v)
{
	jw_sep(w);
	if (v)
		jw_put(w, "true", 4);
	else
		jw_put(w, "false", 5);
}

void
jw_null(struct jw *w)
{
	jw_sep(w);
	jw_put(w, "null", 4);
}

/* Bytes as they are, no separator: pieces of one value. */
void
jw_bytes(struct jw *w, const char *s, size_t n)
{
	jw_put(w, s, n);
}

/* Text the caller vouches is one JSON value. */
void
jw_raw(struct jw *w, const char *s, size_t n)
{
	jw_sep(w);
	jw_put(w, s, n);
}

void
jw_kstr(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

void
jw_ku64(struct jw *w, const char *k, uint64_t v)
{
	jw_key(w, k);
	jw_u64(w, v);
}

void
jw_kbool(struct jw *w, const char *k, int v)
{
	jw_key(w, k);
	jw_bool(w, v);
}
