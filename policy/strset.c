/*
 * strset.c: an open-addressing hash set of byte strings (optionally mapping
 * each to a uint32), keys packed in one arena.  About 12 bytes of table
 * (load at most 0.7) and 4 bytes of length per key beside the key itself;
 * lookups cost one hash and, almost always, one comparison, whatever the
 * size.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

int		 strset_init(struct strset *, size_t, int, uint64_t);
void		 strset_free(struct strset *);
int		 strset_add(struct strset *, const char *, size_t, uint32_t,
		    uint32_t *);
int		 strset_find(const struct strset *, const char *, size_t,
		    uint32_t *);
int		 strset_reserve(struct strset *, size_t);
static uint32_t	 hash32(const struct strset *, const char *, size_t);
static int	 key_eq(const struct strset *, uint64_t, const char *, size_t);
static int	 grow(struct strset *);

#define ARENA_MAX	0xffffffffUL

int
strset_init(struct strset *s, size_t expect, int withval, uint64_t seed)
{
	size_t	cap = 16;

	memset(s, 0, sizeof(*s));
	s->seed = seed;
	while (cap * 7 < expect * 10 && cap < ((size_t)1 << 31))
		cap <<= 1;
	if ((s->slot = calloc(cap, sizeof(*s->slot))) == NULL)
		return -1;
	if (withval && (s->val = calloc(cap, sizeof(*s->val))) == NULL) {
		free(s->slot);
		s->slot = NULL;
		return -1;
	}
	s->mask = cap - 1;
	return 0;
}

void
strset_free(struct strset *s)
{
	free(s->slot);
	free(s->val);
	free(s->arena);
	memset(s, 0, sizeof(*s));
}

static uint32_t
hash32(const struct strset *s, const char *k, size_t n)
{
	uint64_t	h = phash(k, n, s->seed);

	return (uint32_t)(h ^ (h >> 32));
}

static int
key_eq(const struct strset *s, uint64_t slot, const char *k, size_t n)
{
	const char	*e = s->arena + (uint32_t)slot - 1;
	uint32_t	 len;

	memcpy(&len, e, sizeof(len));
	return len == n && memcmp(e + sizeof(len), k, n) == 0;
}

static int
grow(struct strset *s)
{
	size_t		 ncap = (s->mask + 1) * 2, i, j;
	uint64_t	*ns;
	uint32_t	*nv = NULL;

	if (ncap > ((size_t)1 << 32))
		return -1;
	if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
		return -1;
	if (s->val != NULL && (nv = calloc(ncap, sizeof(*nv))) == NULL) {
		free(ns);
		return -1;
	}
	for (i = 0; i <= s->mask; i++) {
		if (s->slot[i] == 0)
			continue;
		for (j = (s->slot[i] >> 32) & (ncap - 1); ns[j] != 0;
		    j = (j + 1) & (ncap - 1))
			;
		ns[j] = s->slot[i];
		if (nv != NULL)
			nv[j] = s->val[i];
	}
	free(s->slot);
	free(s->val);
	s->slot = ns;
	s->val = nv;
	s->mask = ncap - 1;
	return 0;
}

/* Makes room for keys of about bytes in all (untouched pages cost no RSS). */
int
strset_reserve(struct strset *s, size_t bytes)
{
	char	*na;

	if (bytes > ARENA_MAX)
		bytes = ARENA_MAX;
	if (bytes <= s->acap)
		return 0;
	if ((na = realloc(s->arena, bytes)) == NULL)
		return -1;
	s->arena = na;
	s->acap = bytes;
	return 0;
}

/*
 * Adds k.  Returns 1 if it was new, 0 if it was there (*old gets its
 * value, which val then replaces), -1 on ENOMEM or a full arena.
 */
int
strset_add(struct strset *s, const char *k, size_t n, uint32_t val,
    uint32_t *old)
{
	uint32_t	 h, len;
	size_t		 i, need, ncap;
	char		*na;

	if (s->slot == NULL || n > ARENA_MAX - sizeof(len))
		return -1;
	h = hash32(s, k, n);
	for (i = h & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask) {
		if ((uint32_t)(s->slot[i] >> 32) == h &&
		    key_eq(s, s->slot[i], k, n)) {
			if (s->val != NULL) {
				if (old != NULL)
					*old = s->val[i];
				s->val[i] = val;
			}
			return 0;
		}
	}
	need = sizeof(len) + n;
	if (s->alen + need >= ARENA_MAX)
		return -1;
	if (s->alen + need > s->acap) {
		ncap = s->acap ? s->acap : 4096;
		while (ncap < s->alen + need)
			ncap *= 2;
		if (ncap > ARENA_MAX)
			ncap = ARENA_MAX;
		if ((na = realloc(s->arena, ncap)) == NULL)
			return -1;
		s->arena = na;
		s->acap = ncap;
	}
	if ((s->n + 1) * 10 > (s->mask + 1) * 7) {
		if (grow(s) == -1)
			return -1;
		for (i = h & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask)
			;
	}
	len = (uint32_t)n;
	memcpy(s->arena + s->alen, &len, sizeof(len));
	memcpy(s->arena + s->alen + sizeof(len), k, n);
	s->slot[i] = (uint64_t)h << 32 | (uint64_t)(s->alen + 1);
	if (s->val != NULL)
		s->val[i] = val;
	s->alen += need;
	s->n++;
	return 1;
}

/* 1 and *val if k is in the set, else 0. */
int
strset_find(const struct strset *s, const char *k, size_t n, uint32_t *val)
{
	uint32_t	h;
	size_t		i;

	if (s->slot == NULL || s->n == 0)
		return 0;
	h = hash32(s, k, n);
	for (i = h & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask) {
		if ((uint32_t)(s->slot[i] >> 32) == h &&
		    key_eq(s, s->slot[i], k, n)) {
			if (val != NULL && s->val != NULL)
				*val = s->val[i];
			return 1;
		}
	}
	return 0;
}
