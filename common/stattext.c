/*
 * stattext.c: counters as "name value" lines; a line that does not fit
 * is dropped whole, and so is every line after it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "stattext.h"

static void	 stattext_line(struct stattext *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

void
stattext_init(struct stattext *st)
{
	st->len = 0;
	st->full = 0;
}

static void
stattext_line(struct stattext *st, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (st->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(st->buf + st->len, sizeof(st->buf) - st->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(st->buf) - st->len)
		st->full = 1;
	else
		st->len += n;
}

void
stattext_num(struct stattext *st, const char *name, uint64_t v)
{
	stattext_line(st, "%s %llu\n", name, (unsigned long long)v);
}

void
stattext_word(struct stattext *st, const char *name, const char *word)
{
	stattext_line(st, "%s %s\n", name, word);
}
