/*
 * stats_merge.c: the counters packetd and ruled send (ATTR_STATS: lines
 * "name value\n") merged into the one JSON object of a `stats` result.
 *
 * A name is [a-z0-9_.-]+: "connections" is a top-level member,
 * "by_reason.rule" the member "rule" of the object "by_reason".  A rule
 * name follows "by_rule." with its bytes outside printable ASCII, the
 * blank and the backslash written \xNN; it is decoded here and written
 * as a JSON string.  A value is a decimal integer, or a word ("closed",
 * "xt NFQUEUE via nft_compat": printable ASCII).  Integers of the same
 * name from both processes are summed; a word is kept as the last one
 * sent.
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "hex.h"
#include "promptd.h"

#define STATS_GROUP	32	/* bytes of a group name, NUL included */

struct stats_ent {
	char		 group[STATS_GROUP];	/* "" at the top level */
	char		*key;			/* decoded bytes */
	size_t		 klen;
	char		*word;			/* NULL: value is a number */
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
static int	 stats_word(const char *, size_t, const char *);
static int	 stats_decode(const char *, size_t, char *, size_t *);
static void	 stats_value(struct jw *, const struct stats_ent *);
static int	 stats_number(const char *, size_t, uint64_t *);
static int	 stats_line(struct stats_merge *, const char *, size_t,
		    const char **);
static int	 stats_addn(struct stats_merge *, const char *, size_t,
		    const char *, size_t, const char *, size_t, uint64_t,
		    const char **);

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
	for (i = 0; i < s->n; i++) {
		free(s->ent[i].key);
		free(s->ent[i].word);
	}
	free(s);
}

/* Non-empty, every byte in the set (a-z and 0-9 always). */
static int
stats_word(const char *s, size_t n, const char *more)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] != '\0' && strchr(more, s[i]) != NULL)))
			return 0;
	return 1;
}

/* A rule name as ruled writes it: printable ASCII and \xNN. */
static int
stats_decode(const char *s, size_t n, char *out, size_t *olen)
{
	size_t	 i, o = 0;
	int	 hi, lo;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return -1;
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (n - i < 4 || s[i + 1] != 'x' ||
		    (hi = hex_value(s[i + 2])) == -1 ||
		    (lo = hex_value(s[i + 3])) == -1)
			return -1;
		out[o++] = (char)(hi << 4 | lo);
		i += 3;
	}
	*olen = o;
	return 0;
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
    const char *key, size_t klen, const char *word, size_t wlen, uint64_t v,
    const char **why)
{
	struct stats_ent	*e;
	size_t			 i;

	if (glen >= STATS_GROUP) {
		*why = "group name too long";
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		e = &s->ent[i];
		/* A member and a group of one name cannot both exist. */
		if ((glen == 0 && e->group[0] != '\0' &&
		    strlen(e->group) == klen &&
		    memcmp(e->group, key, klen) == 0) ||
		    (glen != 0 && e->group[0] == '\0' && e->klen == glen &&
		    memcmp(e->key, group, glen) == 0)) {
			*why = "a name used both as a counter and a group";
			return -1;
		}
		if (strlen(e->group) != glen ||
		    memcmp(e->group, group, glen) != 0 || e->klen != klen ||
		    memcmp(e->key, key, klen) != 0)
			continue;
		if ((word == NULL) != (e->word == NULL)) {
			*why = "a name with a number and a word";
			return -1;
		}
		if (word == NULL) {
			e->value = v > UINT64_MAX - e->value ? UINT64_MAX :
			    e->value + v;
			return 0;
		}
		free(e->word);
		e->word = NULL;
		break;
	}
	if (i == s->n && s->n == MAX_UI_STATS_KEYS) {
		*why = "too many counters";
		return -1;
	}
	e = &s->ent[i];
	if (i == s->n) {
		memcpy(e->group, group, glen);
		e->group[glen] = '\0';
		if ((e->key = malloc(klen + 1)) == NULL) {
			*why = "out of memory";
			return -1;
		}
		memcpy(e->key, key, klen);
		e->key[klen] = '\0';
		e->klen = klen;
		s->n++;
	}
	e->value = v;
	if (word != NULL) {
		if ((e->word = malloc(wlen + 1)) == NULL) {
			*why = "out of memory";
			return -1;
		}
		memcpy(e->word, word, wlen);
		e->word[wlen] = '\0';
	}
	return 0;
}

/* One counter promptd adds itself; group may be "". */
int
stats_add(struct stats_merge *s, const char *group, const char *key,
    uint64_t v)
{
	const char	*why;

	return stats_addn(s, group, strlen(group), key, strlen(key), NULL, 0,
	    v, &why);
}

int
stats_get(const struct stats_merge *s, const char *group, const char *key,
    uint64_t *v)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->ent[i].group, group) == 0 &&
		    s->ent[i].word == NULL &&
		    strcmp(s->ent[i].key, key) == 0) {
			*v = s->ent[i].value;
			return 0;
		}
	return -1;
}

static int
stats_line(struct stats_merge *s, const char *l, size_t n, const char **why)
{
	static const char	 rule[] = "by_rule.";
	const char		*sp, *dot, *val;
	char			 key[MAX_STATS];
	size_t			 nlen, vlen, klen, i;
	uint64_t		 v = 0;
	int			 num;

	if ((sp = memchr(l, ' ', n)) == NULL) {
		*why = "a line without a blank";
		return -1;
	}
	nlen = (size_t)(sp - l);
	val = sp + 1;
	vlen = n - nlen - 1;
	if (!(num = stats_number(val, vlen, &v))) {
		for (i = 0; i < vlen; i++)
			if (val[i] < 0x20 || val[i] >= 0x7f)
				break;
		if (vlen == 0 || i < vlen || val[0] == ' ') {
			*why = "a value that is neither a number nor a word";
			return -1;
		}
	}
	if (nlen > sizeof(rule) - 1 &&
	    memcmp(l, rule, sizeof(rule) - 1) == 0) {
		if (stats_decode(l + sizeof(rule) - 1, nlen - sizeof(rule) + 1,
		    key, &klen) == -1) {
			*why = "a rule name not written as printable ASCII "
			    "and \\xNN";
			return -1;
		}
		return stats_addn(s, "by_rule", 7, key, klen,
		    num ? NULL : val, vlen, v, why);
	}
	if (!stats_word(l, nlen, "_.-")) {
		*why = "a name outside [a-z0-9_.-]";
		return -1;
	}
	if ((dot = memchr(l, '.', nlen)) == NULL)
		return stats_addn(s, "", 0, l, nlen, num ? NULL : val, vlen,
		    v, why);
	if (dot == l || dot == l + nlen - 1) {
		*why = "a name with an empty part";
		return -1;
	}
	return stats_addn(s, l, (size_t)(dot - l), dot + 1,
	    (size_t)(l + nlen - dot - 1), num ? NULL : val, vlen, v, why);
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

static void
stats_value(struct jw *w, const struct stats_ent *e)
{
	if (e->word != NULL)
		jw_str(w, e->word);
	else
		jw_u64(w, e->value);
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
			jw_keyn(w, s->ent[i].key, s->ent[i].klen);
			stats_value(w, &s->ent[i]);
			continue;
		}
		jw_key(w, s->ent[i].group);
		jw_obj(w);
		for (k = i; k < s->n; k++) {
			if (done[k] ||
			    strcmp(s->ent[k].group, s->ent[i].group) != 0)
				continue;
			done[k] = 1;
			jw_keyn(w, s->ent[k].key, s->ent[k].klen);
			stats_value(w, &s->ent[k]);
		}
		jw_end(w);
	}
	free(done);
}
