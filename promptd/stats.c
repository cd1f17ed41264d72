/*
 * stats.c: the counters packetd and ruled send (ATTR_STATS: lines
 * "name value\n") merged into the one JSON object of a `stats` result.
 *
 * A name is [a-z0-9_]+ for a top-level counter, or GROUP.KEY for a
 * counter inside the object GROUP ("by_reason.rule 12"); KEY is a JSON
 * string body (escaped, no quotes), so a rule name with spaces or
 * quotes survives ("by_rule.my \"big\" rule 3": the value follows the
 * last blank).  The same name from both processes is summed.
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "promptd.h"

#define STATS_GROUP	32	/* bytes of a group name, NUL included */

struct stats_ent {
	char		 group[STATS_GROUP];	/* "" at the top level */
	char		*key;			/* JSON string body */
	uint64_t	 value;
};

struct stats_merge {
	struct stats_ent	 ent[MAX_UI_STATS_KEYS];
	size_t			 n;
};

struct stats_merge *stats_new(void);
void		 stats_free(struct stats_merge *);
int		 stats_add_lines(struct stats_merge *, const char *, size_t,
		    const char **);
int		 stats_add(struct stats_merge *, const char *, const char *,
		    uint64_t);
int		 stats_get(const struct stats_merge *, const char *,
		    const char *, uint64_t *);
void		 stats_json(const struct stats_merge *, struct jw *);
static int	 stats_word(const char *, size_t);
static int	 stats_escaped(const char *, size_t);
static int	 stats_number(const char *, size_t, uint64_t *);
static int	 stats_line(struct stats_merge *, const char *, size_t,
		    const char **);
static int	 stats_addn(struct stats_merge *, const char *, size_t,
		    const char *, size_t, uint64_t, const char **);

struct stats_merge *
stats_new(void)
{
	return calloc(1, sizeof(struct stats_merge));
}

void
stats_free(struct stats_merge *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->ent[i].key);
	free(s);
}

/* [a-z0-9_]+ */
static int
stats_word(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* A JSON string body: no raw quote or control byte, valid escapes. */
static int
stats_escaped(const char *s, size_t n)
{
	size_t	 i, k;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || (unsigned char)s[i] < 0x20)
			return 0;
		if (s[i] != '\\')
			continue;
		if (++i == n)
			return 0;
		if (strchr("\"\\/bfnrt", s[i]) != NULL && s[i] != '\0')
			continue;
		if (s[i] != 'u' || n - i < 5)
			return 0;
		for (k = 1; k <= 4; k++)
			if (strchr("0123456789abcdefABCDEF", s[i + k]) ==
			    NULL || s[i + k] == '\0')
				return 0;
		i += 4;
	}
	return 1;
}

static int
stats_number(const char *s, size_t n, uint64_t *v)
{
	size_t	 i;

	*v = 0;
	if (n == 0 || n > 20)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (*v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return 0;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 1;
}

static int
stats_addn(struct stats_merge *s, const char *group, size_t glen,
    const char *key, size_t klen, uint64_t v, const char **why)
{
	struct stats_ent	*e;
	size_t			 i;

	if (glen >= STATS_GROUP) {
		*why = "group name too long";
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		e = &s->ent[i];
		/* A scalar and a group of one name cannot both exist. */
		if (glen == 0 && e->group[0] != '\0' &&
		    strlen(e->group) == klen &&
		    memcmp(e->group, key, klen) == 0) {
			*why = "a name used both as a counter and a group";
			return -1;
		}
		if (glen != 0 && e->group[0] == '\0' &&
		    strlen(e->key) == glen &&
		    memcmp(e->key, group, glen) == 0) {
			*why = "a name used both as a counter and a group";
			return -1;
		}
		if (strlen(e->group) == glen &&
		    memcmp(e->group, group, glen) == 0 &&
		    strlen(e->key) == klen && memcmp(e->key, key, klen) == 0) {
			e->value = v > UINT64_MAX - e->value ? UINT64_MAX :
			    e->value + v;
			return 0;
		}
	}
	if (s->n == MAX_UI_STATS_KEYS) {
		*why = "too many counters";
		return -1;
	}
	e = &s->ent[s->n];
	memcpy(e->group, group, glen);
	e->group[glen] = '\0';
	if ((e->key = malloc(klen + 1)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	memcpy(e->key, key, klen);
	e->key[klen] = '\0';
	e->value = v;
	s->n++;
	return 0;
}

/* One counter promptd adds itself; group may be "". */
int
stats_add(struct stats_merge *s, const char *group, const char *key,
    uint64_t v)
{
	const char	*why;

	return stats_addn(s, group, strlen(group), key, strlen(key), v, &why);
}

int
stats_get(const struct stats_merge *s, const char *group, const char *key,
    uint64_t *v)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->ent[i].group, group) == 0 &&
		    strcmp(s->ent[i].key, key) == 0) {
			*v = s->ent[i].value;
			return 0;
		}
	return -1;
}

static int
stats_line(struct stats_merge *s, const char *l, size_t n, const char **why)
{
	const char	*sp, *dot;
	size_t		 nlen;
	uint64_t	 v;

	for (sp = l + n; sp > l && sp[-1] != ' '; sp--)
		;
	if (sp == l) {
		*why = "a line without a blank";
		return -1;
	}
	if (!stats_number(sp, (size_t)(l + n - sp), &v)) {
		*why = "a value that is not a decimal integer";
		return -1;
	}
	nlen = (size_t)(sp - 1 - l);
	if ((dot = memchr(l, '.', nlen)) == NULL) {
		if (!stats_word(l, nlen)) {
			*why = "a name outside [a-z0-9_]";
			return -1;
		}
		return stats_addn(s, "", 0, l, nlen, v, why);
	}
	if (!stats_word(l, (size_t)(dot - l)) ||
	    !stats_escaped(dot + 1, (size_t)(l + nlen - dot - 1))) {
		*why = "a GROUP.KEY name that is not [a-z0-9_]+ and an "
		    "escaped string";
		return -1;
	}
	return stats_addn(s, l, (size_t)(dot - l), dot + 1,
	    (size_t)(l + nlen - dot - 1), v, why);
}

/*
 * The bytes of one ATTR_STATS.  -1 and *why at the first line that
 * breaks the format: a peer that sends that breaks the protocol.
 */
int
stats_add_lines(struct stats_merge *s, const char *p, size_t n,
    const char **why)
{
	const char	*nl;

	while (n > 0) {
		if ((nl = memchr(p, '\n', n)) == NULL) {
			*why = "a line without a newline";
			return -1;
		}
		if (stats_line(s, p, (size_t)(nl - p), why) == -1)
			return -1;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	return 0;
}

/* The counters as members of the object the caller has open. */
void
stats_json(const struct stats_merge *s, struct jw *w)
{
	size_t	 i, k;
	char	*done;

	if ((done = calloc(s->n ? s->n : 1, 1)) == NULL) {
		w->err = 1;
		return;
	}
	for (i = 0; i < s->n; i++) {
		if (done[i])
			continue;
		if (s->ent[i].group[0] == '\0') {
			jw_ku64(w, s->ent[i].key, s->ent[i].value);
			continue;
		}
		jw_key(w, s->ent[i].group);
		jw_obj(w);
		for (k = i; k < s->n; k++) {
			if (done[k] ||
			    strcmp(s->ent[k].group, s->ent[i].group) != 0)
				continue;
			done[k] = 1;
			/* Already escaped: written between quotes as is. */
			jw_rawkey(w, s->ent[k].key, strlen(s->ent[k].key));
			jw_u64(w, s->ent[k].value);
		}
		jw_end(w);
	}
	free(done);
}
