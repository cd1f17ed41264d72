/*
 * compat.h: what glibc 2.36 lacks.
 */
#ifndef TATTLE_COMPAT_H
#define TATTLE_COMPAT_H

#include <stddef.h>

#include "config.h"

#ifndef HAVE_STRLCPY
size_t	strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_STRLCAT
size_t	strlcat(char *, const char *, size_t);
#endif

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* TATTLE_COMPAT_H */
