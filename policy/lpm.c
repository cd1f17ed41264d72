/*
 * lpm.c: is an address inside any of a set of networks?  The networks are
 * kept in one hash table keyed by (family, prefix length, masked address)
 * with a bitmap of the prefix lengths in use; a lookup masks the address
 * once per length in use (at most 33 for IPv4, 129 for IPv6) and probes,
 * so its cost does not grow with the number of networks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

int		 pol_lpm_init(struct lpm *, size_t, const uint8_t *);
void		 pol_lpm_free(struct lpm *);
int		 pol_lpm_add(struct lpm *, const struct ipnet *);
int		 pol_lpm_contains(const struct lpm *, const struct policy_ip *);
static int	 lpm_find(const struct lpm *, const struct ipnet *);
static int	 lpm_grow(struct lpm *);
static size_t	 lpm_slot(const struct lpm *, const struct ipnet *, size_t);

int
pol_lpm_init(struct lpm *l, size_t expect, const uint8_t *key)
{
	size_t	cap = 16;

	memset(l, 0, sizeof(*l));
	memcpy(l->key, key, sizeof(l->key));
	while (cap * 7 < expect * 10 && cap < ((size_t)1 << 30))
		cap <<= 1;
	if ((l->tab = calloc(cap, sizeof(*l->tab))) == NULL)
		return -1;
	l->mask = cap - 1;
	return 0;
}

void
pol_lpm_free(struct lpm *l)
{
	free(l->tab);
	memset(l, 0, sizeof(*l));
}

static size_t
lpm_slot(const struct lpm *l, const struct ipnet *n, size_t mask)
{
	return (size_t)hash_sip24(l->key, n, sizeof(*n)) & mask;
}

static int
lpm_grow(struct lpm *l)
{
	size_t		 ncap = (l->mask + 1) * 2, i, j;
	struct ipnet	*nt;

	if ((nt = calloc(ncap, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i <= l->mask; i++) {
		if (l->tab[i].family == 0)
			continue;
		for (j = lpm_slot(l, &l->tab[i], ncap - 1); nt[j].family != 0;
		    j = (j + 1) & (ncap - 1))
			;
		nt[j] = l->tab[i];
	}
	free(l->tab);
	l->tab = nt;
	l->mask = ncap - 1;
	return 0;
}

static int
lpm_find(const struct lpm *l, const struct ipnet *n)
{
	size_t	i;

	for (i = lpm_slot(l, n, l->mask); l->tab[i].family != 0;
	    i = (i + 1) & l->mask)
		if (memcmp(&l->tab[i], n, sizeof(*n)) == 0)
			return 1;
	return 0;
}

/* 1 added, 0 already there, -1 ENOMEM. */
int
pol_lpm_add(struct lpm *l, const struct ipnet *n)
{
	size_t	i;

	if (l->tab == NULL)
		return -1;
	if (lpm_find(l, n))
		return 0;
	if ((l->n + 1) * 10 > (l->mask + 1) * 7 && lpm_grow(l) == -1)
		return -1;
	for (i = lpm_slot(l, n, l->mask); l->tab[i].family != 0;
	    i = (i + 1) & l->mask)
		;
	l->tab[i] = *n;
	l->n++;
	if (n->family == 4)
		l->lens4 |= 1ULL << n->bits;
	else
		l->lens6[n->bits / 64] |= 1ULL << (n->bits % 64);
	return 1;
}

int
pol_lpm_contains(const struct lpm *l, const struct policy_ip *ip)
{
	struct ipnet	key;
	int		b, nb;

	if (l->n == 0 || (ip->family != 4 && ip->family != 6))
		return 0;
	nb = ip->family == 4 ? 4 : 16;
	for (b = ip->family == 4 ? 32 : 128; b >= 0; b--) {
		if (ip->family == 4 && !(l->lens4 & (1ULL << b)))
			continue;
		if (ip->family == 6 && !(l->lens6[b / 64] & (1ULL << (b % 64))))
			continue;
		memset(&key, 0, sizeof(key));
		key.family = ip->family;
		key.bits = (uint8_t)b;
		pol_ip_mask(key.addr, ip->addr, nb, b);
		if (lpm_find(l, &key))
			return 1;
	}
	return 0;
}
