/*
 * strset.c: an open-addressing hash set of byte strings (optionally mapping
 * each to a uint32), keys packed in one arena, each behind its length as a
 * varint (one byte below 128).  A slot is a 32-bit arena offset and a
 * one-byte tag from the hash (0: empty), in two arrays: a lookup that
 * misses reads only tags, and one that hits compares one key, almost
 * always.  The table has any size (the hash is scaled to it, not masked):
 * sized and fitted for 0.75 full, grown past 0.8, so about 7 bytes of
 * table and 1 of length per key beside the key itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

int		 pol_strset_init(struct strset *, size_t, int, const uint8_t *);
void		 pol_strset_free(struct strset *);
int		 pol_strset_add(struct strset *, const char *, size_t, uint32_t,
		    uint32_t *);
int		 pol_strset_find(const struct strset *, const char *, size_t,
		    uint32_t *);
int		 pol_strset_reserve(struct strset *, size_t);
int		 pol_strset_fit(struct strset *);
static uint8_t	 tag_of(uint64_t);
static size_t	 key_at(const struct strset *, uint32_t, const char **);
static int	 key_eq(const struct strset *, uint32_t, const char *, size_t);
static size_t	 slots_for(size_t);
static size_t	 home(uint64_t, size_t);
static int	 rehash(struct strset *, size_t);
static size_t	 probe(const struct strset *, const char *, size_t, uint64_t,
		    int *);

#define ARENA_MAX	0xffffffffUL
#define SLOTS_MAX	((size_t)1 << 31)
#define VARINT_MAX	5		/* bytes of a 32-bit length */

static uint8_t
tag_of(uint64_t h)
{
	uint8_t	t = (uint8_t)(h >> 56);

	return t != 0 ? t : 1;
}

/* The key stored at off: its bytes in *k, its length returned. */
static size_t
key_at(const struct strset *s, uint32_t off, const char **k)
{
	const unsigned char	*p = (const unsigned char *)s->arena + off;
	size_t			 len = 0;
	unsigned int		 shift = 0;

	for (;;) {
		len |= (size_t)(*p & 0x7f) << shift;
		if ((*p++ & 0x80) == 0)
			break;
		shift += 7;
	}
	*k = (const char *)p;
	return len;
}

static int
key_eq(const struct strset *s, uint32_t off, const char *k, size_t n)
{
	const char	*e;

	return key_at(s, off, &e) == n && memcmp(e, k, n) == 0;
}

/* Slots for n keys at 0.75 full. */
static size_t
slots_for(size_t n)
{
	size_t	cap = n + n / 3 + 16;

	return cap < SLOTS_MAX ? cap : SLOTS_MAX;
}

/* A hash's first slot: its low 32 bits scaled to the table. */
static size_t
home(uint64_t h, size_t cap)
{
	return (size_t)(((h & 0xffffffffULL) * cap) >> 32);
}

int
pol_strset_init(struct strset *s, size_t expect, int withval,
    const uint8_t *key)
{
	size_t	cap = slots_for(expect);

	memset(s, 0, sizeof(*s));
	memcpy(s->key, key, sizeof(s->key));
	s->off = malloc(cap * sizeof(*s->off));
	s->tag = calloc(cap, sizeof(*s->tag));
	if (withval)
		s->val = malloc(cap * sizeof(*s->val));
	if (s->off == NULL || s->tag == NULL || (withval && s->val == NULL)) {
		pol_strset_free(s);
		return -1;
	}
	s->cap = cap;
	return 0;
}

void
pol_strset_free(struct strset *s)
{
	free(s->off);
	free(s->tag);
	free(s->val);
	free(s->arena);
	memset(s, 0, sizeof(*s));
}

/*
 * The slot holding k (*found = 1) or the empty slot where it would go
 * (*found = 0).
 */
static size_t
probe(const struct strset *s, const char *k, size_t n, uint64_t h,
    int *found)
{
	uint8_t	 t = tag_of(h);
	size_t	 i;

	for (i = home(h, s->cap); s->tag[i] != 0;
	    i = i + 1 < s->cap ? i + 1 : 0) {
		if (s->tag[i] == t && key_eq(s, s->off[i], k, n)) {
			*found = 1;
			return i;
		}
	}
	*found = 0;
	return i;
}

/* Moves every key into a table of cap slots (hashing each again). */
static int
rehash(struct strset *s, size_t cap)
{
	uint32_t	*noff, *nval = NULL;
	uint8_t		*ntag;
	const char	*k;
	size_t		 i, j, len;
	uint64_t	 h;

	noff = malloc(cap * sizeof(*noff));
	ntag = calloc(cap, sizeof(*ntag));
	if (s->val != NULL)
		nval = malloc(cap * sizeof(*nval));
	if (noff == NULL || ntag == NULL || (s->val != NULL && nval == NULL)) {
		free(noff);
		free(ntag);
		free(nval);
		return -1;
	}
	for (i = 0; i < s->cap; i++) {
		if (s->tag[i] == 0)
			continue;
		len = key_at(s, s->off[i], &k);
		h = hash_sip24(s->key, k, len);
		for (j = home(h, cap); ntag[j] != 0;
		    j = j + 1 < cap ? j + 1 : 0)
			;
		ntag[j] = s->tag[i];
		noff[j] = s->off[i];
		if (nval != NULL)
			nval[j] = s->val[i];
	}
	free(s->off);
	free(s->tag);
	free(s->val);
	s->off = noff;
	s->tag = ntag;
	s->val = nval;
	s->cap = cap;
	return 0;
}

/* Makes room for keys of about bytes in all (untouched pages cost no RSS). */
int
pol_strset_reserve(struct strset *s, size_t bytes)
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
 * Once every key is in: the table shrinks to the size its keys need (it
 * was sized for the lines, comments and repeats included) and the arena
 * gives back what was reserved beyond them.  On ENOMEM nothing changes
 * and the set stays whole.
 */
int
pol_strset_fit(struct strset *s)
{
	char	*na;
	size_t	 cap = slots_for(s->n);

	if (s->off == NULL)
		return -1;
	/* Shrink only when it saves an eighth or more. */
	if (cap + cap / 8 < s->cap && rehash(s, cap) == -1)
		return -1;
	if (s->alen > 0 && s->alen < s->acap &&
	    (na = realloc(s->arena, s->alen)) != NULL) {
		s->arena = na;
		s->acap = s->alen;
	}
	return 0;
}

/*
 * Adds k.  Returns 1 if it was new, 0 if it was there (*old gets its
 * value, which val then replaces), -1 on ENOMEM or a full arena.
 */
int
pol_strset_add(struct strset *s, const char *k, size_t n, uint32_t val,
    uint32_t *old)
{
	unsigned char	 lenb[VARINT_MAX];
	size_t		 i, lb = 0, need, ncap, len = n;
	uint64_t	 h;
	char		*na;
	int		 found;

	if (s->off == NULL || n > ARENA_MAX)
		return -1;
	h = hash_sip24(s->key, k, n);
	i = probe(s, k, n, h, &found);
	if (found) {
		if (s->val != NULL) {
			if (old != NULL)
				*old = s->val[i];
			s->val[i] = val;
		}
		return 0;
	}
	do {
		lenb[lb++] = (unsigned char)((len & 0x7f) | (len > 0x7f ?
		    0x80 : 0));
		len >>= 7;
	} while (len > 0);
	need = lb + n;
	if (s->alen + need > ARENA_MAX)
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
	if ((s->n + 1) * 5 > s->cap * 4) {
		if (s->cap * 2 > SLOTS_MAX || rehash(s, s->cap * 2) == -1)
			return -1;
		i = probe(s, k, n, h, &found);
	}
	memcpy(s->arena + s->alen, lenb, lb);
	memcpy(s->arena + s->alen + lb, k, n);
	s->off[i] = (uint32_t)s->alen;
	s->tag[i] = tag_of(h);
	if (s->val != NULL)
		s->val[i] = val;
	s->alen += need;
	s->n++;
	return 1;
}

/* 1 and *val if k is in the set, else 0. */
int
pol_strset_find(const struct strset *s, const char *k, size_t n, uint32_t *val)
{
	size_t	i;
	int	found;

	if (s->off == NULL || s->n == 0)
		return 0;
	i = probe(s, k, n, hash_sip24(s->key, k, n), &found);
	if (found && val != NULL && s->val != NULL)
		*val = s->val[i];
	return found;
}
