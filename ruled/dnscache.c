/*
 * dnscache.c: a hash table of names with one LRU list.  Each entry is one
 * allocation (key, links, name) charged at its full size; adding evicts
 * from the cold end until both the entry and the byte bound hold, so a
 * flood of answers replaces old names and never grows the cache.  A
 * lookup allocates nothing; an expired entry is dropped when found.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "dnscache.h"

/* Twice the entries, a power of 2. */
#define DNSCACHE_BUCKETS	(2 * MAX_DNSCACHE_ENTRIES)

/* Keyed by an answer's address and a uid, or by a query's tuple. */
#define DNSCACHE_ADDR		1
#define DNSCACHE_QUERY		2

/* Built zeroed and compared whole: no padding may hold garbage. */
struct dnscache_key {
	uint32_t	uid;		/* ADDR only */
	uint8_t		kind;
	uint8_t		family;
	uint8_t		proto;		/* QUERY, like the ports */
	uint8_t		pad;
	uint16_t	sport;
	uint16_t	dport;
	uint8_t		saddr[16];
	uint8_t		daddr[16];	/* ADDR: the address */
};
_Static_assert(sizeof(struct dnscache_key) == 44, "dnscache_key size");

struct dnscache_ent {
	TAILQ_ENTRY(dnscache_ent) lru;		/* most recent first */
	struct dnscache_ent	*hnext;
	uint64_t		 expires;
	size_t			 size;		/* charged */
	struct dnscache_key	 key;
	char			 name[];
};

struct dnscache {
	uint8_t			 hkey[HASH_KEY_LEN];
	TAILQ_HEAD(dnscache_ent_list, dnscache_ent) lru;
	struct dnscache_stats	 st;
	struct dnscache_ent	*buckets[DNSCACHE_BUCKETS];
};

static struct dnscache_ent **dnscache_bucket(struct dnscache *,
		    const struct dnscache_key *);
static struct dnscache_ent **dnscache_find(struct dnscache *,
		    const struct dnscache_key *);
static void	 dnscache_remove(struct dnscache *, struct dnscache_ent **);
static int	 dnscache_put(struct dnscache *, const struct dnscache_key *,
		    const char *, uint64_t);
static const char *dnscache_get(struct dnscache *,
		    const struct dnscache_key *, uint64_t);
static void	 dnscache_key_addr(struct dnscache_key *, uint32_t, uint8_t,
		    const uint8_t *);
static void	 dnscache_key_query(struct dnscache_key *,
		    const struct conn_tuple *);
static int	 dnscache_ignored_addr(uint8_t, const uint8_t *);
static uint32_t	 dnscache_ttl(const struct dns_rr *);
static uint64_t	 dnscache_ttl_ms(uint32_t);
static size_t	 dnscache_chain(const struct dns_msg *,
		    const char *[MAX_DNS_CHAIN + 1],
		    uint32_t [MAX_DNS_CHAIN + 1]);
static const struct dns_rr *dnscache_cname_of(const struct dns_msg *,
		    const char *);

struct dnscache *
dnscache_new(const uint8_t hkey[HASH_KEY_LEN])
{
	struct dnscache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	memcpy(c->hkey, hkey, HASH_KEY_LEN);
	TAILQ_INIT(&c->lru);
	return c;
}

void
dnscache_free(struct dnscache *c)
{
	struct dnscache_ent	*e;

	if (c == NULL)
		return;
	while ((e = TAILQ_FIRST(&c->lru)) != NULL) {
		TAILQ_REMOVE(&c->lru, e, lru);
		free(e);
	}
	free(c);
}

static struct dnscache_ent **
dnscache_bucket(struct dnscache *c, const struct dnscache_key *k)
{
	return &c->buckets[hash_sip24(c->hkey, k, sizeof(*k)) &
	    (DNSCACHE_BUCKETS - 1)];
}

/* The link that points at k's entry, or at the NULL ending its bucket. */
static struct dnscache_ent **
dnscache_find(struct dnscache *c, const struct dnscache_key *k)
{
	struct dnscache_ent	**pp;

	for (pp = dnscache_bucket(c, k); *pp != NULL; pp = &(*pp)->hnext)
		if (memcmp(&(*pp)->key, k, sizeof(*k)) == 0)
			break;
	return pp;
}

static void
dnscache_remove(struct dnscache *c, struct dnscache_ent **pp)
{
	struct dnscache_ent	*e = *pp;

	*pp = e->hnext;
	TAILQ_REMOVE(&c->lru, e, lru);
	c->st.entries--;
	c->st.bytes -= e->size;
	free(e);
}

/* The newest answer for a key wins: it replaces the entry whole. */
static int
dnscache_put(struct dnscache *c, const struct dnscache_key *k,
    const char *name, uint64_t expires)
{
	struct dnscache_ent	*e, **pp;
	size_t			 len = strlen(name), size;

	size = sizeof(*e) + len + 1;
	if (*(pp = dnscache_find(c, k)) != NULL) {
		dnscache_remove(c, pp);
		c->st.replaced++;
	} else
		c->st.added++;
	while (c->st.entries > 0 && (c->st.entries >= MAX_DNSCACHE_ENTRIES ||
	    c->st.bytes + size > MAX_DNSCACHE_BYTES)) {
		e = TAILQ_LAST(&c->lru, dnscache_ent_list);
		dnscache_remove(c, dnscache_find(c, &e->key));
		c->st.evicted++;
	}
	if ((e = malloc(size)) == NULL)
		return -1;
	e->expires = expires;
	e->size = size;
	memcpy(&e->key, k, sizeof(*k));
	memcpy(e->name, name, len + 1);
	pp = dnscache_bucket(c, k);
	e->hnext = *pp;
	*pp = e;
	TAILQ_INSERT_HEAD(&c->lru, e, lru);
	c->st.entries++;
	c->st.bytes += size;
	return 0;
}

static const char *
dnscache_get(struct dnscache *c, const struct dnscache_key *k, uint64_t now)
{
	struct dnscache_ent	**pp, *e;

	if ((e = *(pp = dnscache_find(c, k))) == NULL) {
		c->st.misses++;
		return NULL;
	}
	if (e->expires <= now) {
		dnscache_remove(c, pp);
		c->st.expired++;
		c->st.misses++;
		return NULL;
	}
	TAILQ_REMOVE(&c->lru, e, lru);
	TAILQ_INSERT_HEAD(&c->lru, e, lru);
	c->st.hits++;
	return e->name;
}

static void
dnscache_key_addr(struct dnscache_key *k, uint32_t uid, uint8_t family,
    const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	k->kind = DNSCACHE_ADDR;
	k->uid = uid;
	k->family = family;
	memcpy(k->daddr, addr, family == AF_INET ? 4 : 16);
}

static void
dnscache_key_query(struct dnscache_key *k, const struct conn_tuple *tp)
{
	size_t	alen = tp->family == AF_INET ? 4 : 16;

	memset(k, 0, sizeof(*k));
	k->kind = DNSCACHE_QUERY;
	k->family = tp->family;
	k->proto = tp->proto;
	k->sport = tp->sport;
	k->dport = tp->dport;
	memcpy(k->saddr, tp->saddr, alen);
	memcpy(k->daddr, tp->daddr, alen);
}

/*
 * Loopback answers name this host, as in OpenSnitch.  Unspecified ones
 * are what filtering resolvers answer for a blocked name; a connection
 * to them reaches this host too, so they name no remote either.
 */
static int
dnscache_ignored_addr(uint8_t family, const uint8_t *a)
{
	static const uint8_t	 mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t	 zero[16];

	if (family == AF_INET6) {
		if (memcmp(a, mapped, 12) == 0)
			return dnscache_ignored_addr(AF_INET, a + 12);
		return memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1);
	}
	return a[0] == 127 || memcmp(a, zero, 4) == 0;
}

/* RFC 2181 8: a TTL with the top bit set means 0. */
static uint32_t
dnscache_ttl(const struct dns_rr *rr)
{
	return rr->ttl > 0x7fffffffU ? 0 : rr->ttl;
}

/*
 * The floor keeps a name for as long as applications commonly reuse an
 * answer without asking again (browsers' host caches hold one for about
 * a minute, whatever the TTL); the ceiling limits how long a stale or
 * planted name lives after the address changes hands.
 */
static uint64_t
dnscache_ttl_ms(uint32_t ttl)
{
	if (ttl < MIN_DNSCACHE_TTL)
		ttl = MIN_DNSCACHE_TTL;
	if (ttl > MAX_DNSCACHE_TTL)
		ttl = MAX_DNSCACHE_TTL;
	return (uint64_t)ttl * 1000;
}

static const struct dns_rr *
dnscache_cname_of(const struct dns_msg *m, const char *owner)
{
	size_t	i;

	for (i = 0; i < m->nrr; i++)
		if (m->rr[i].type == DNS_TYPE_CNAME &&
		    strcmp(m->rr[i].name, owner) == 0)
			return &m->rr[i];
	return NULL;
}

/*
 * The names from the question along the CNAME records, each with the
 * smallest TTL of the links that lead to it.  A loop or an over-long
 * chain ends the walk where it is.
 */
static size_t
dnscache_chain(const struct dns_msg *m, const char *name[MAX_DNS_CHAIN + 1],
    uint32_t ttl[MAX_DNS_CHAIN + 1])
{
	const struct dns_rr	*rr;
	size_t			 n = 1, i;

	name[0] = m->qname;
	ttl[0] = UINT32_MAX;
	while (n <= MAX_DNS_CHAIN &&
	    (rr = dnscache_cname_of(m, name[n - 1])) != NULL) {
		for (i = 0; i < n; i++)
			if (strcmp(name[i], rr->target) == 0)
				return n;
		name[n] = rr->target;
		ttl[n] = dnscache_ttl(rr) < ttl[n - 1] ? dnscache_ttl(rr) :
		    ttl[n - 1];
		n++;
	}
	return n;
}

/*
 * Name the addresses a trusted reply m (to a query sent by uid) gives for
 * its question.  Only A/AAAA records whose owner is on the CNAME chain
 * from the question count: anything else in the answer section is not
 * an answer to what was asked.  Returns the number of addresses named,
 * or -1 when memory ran out.
 */
int
dnscache_add_reply(struct dnscache *c, uint32_t uid, const struct dns_msg *m,
    uint64_t now)
{
	const char		*chain[MAX_DNS_CHAIN + 1];
	uint32_t		 cttl[MAX_DNS_CHAIN + 1], ttl;
	struct dnscache_key	 k;
	const struct dns_rr	*rr;
	size_t			 n, i, j;
	uint8_t			 family;
	int			 named = 0;

	if (!(m->flags & DNS_F_QR) || DNS_RCODE(m->flags) != DNS_RCODE_NOERROR)
		return 0;
	n = dnscache_chain(m, chain, cttl);
	for (i = 0; i < m->nrr; i++) {
		rr = &m->rr[i];
		if (rr->type != DNS_TYPE_A && rr->type != DNS_TYPE_AAAA)
			continue;
		family = rr->type == DNS_TYPE_A ? AF_INET : AF_INET6;
		for (j = 0; j < n; j++)
			if (strcmp(rr->name, chain[j]) == 0)
				break;
		if (j == n || dnscache_ignored_addr(family, rr->addr)) {
			c->st.ignored++;
			continue;
		}
		ttl = dnscache_ttl(rr) < cttl[j] ? dnscache_ttl(rr) : cttl[j];
		dnscache_key_addr(&k, uid, family, rr->addr);
		if (dnscache_put(c, &k, m->qname, now + dnscache_ttl_ms(ttl))
		    == -1)
			return -1;
		named++;
	}
	return named;
}

/*
 * Remember the question of the query m that left as tp, for the dest.host
 * of that connection (OpenSnitch: the last question wins).
 */
int
dnscache_add_query(struct dnscache *c, const struct conn_tuple *tp,
    const struct dns_msg *m, uint64_t now)
{
	struct dnscache_key	k;

	if (m->flags & DNS_F_QR)
		return 0;
	dnscache_key_query(&k, tp);
	if (dnscache_put(c, &k, m->qname,
	    now + (uint64_t)DNSCACHE_QUERY_TTL * 1000) == -1)
		return -1;
	return 1;
}

/*
 * The name of addr (family AF_INET: 4 bytes, AF_INET6: 16) for a
 * connection of uid, or NULL.  The string is the cache's: valid until the
 * next call on it.
 */
const char *
dnscache_name(struct dnscache *c, uint32_t uid, uint8_t family,
    const uint8_t *addr, uint64_t now)
{
	struct dnscache_key	k;

	if (family != AF_INET && family != AF_INET6)
		return NULL;
	dnscache_key_addr(&k, uid, family, addr);
	return dnscache_get(c, &k, now);
}

const char *
dnscache_query_name(struct dnscache *c, const struct conn_tuple *tp,
    uint64_t now)
{
	struct dnscache_key	k;

	if (tp->family != AF_INET && tp->family != AF_INET6)
		return NULL;
	dnscache_key_query(&k, tp);
	return dnscache_get(c, &k, now);
}

/*
 * dest.host of the connection tp made by uid: for a DNS query its
 * question, else the name of its destination address; NULL if unknown.
 */
const char *
dnscache_host(struct dnscache *c, uint32_t uid, const struct conn_tuple *tp,
    uint64_t now)
{
	const char	*name;

	if (tp->dport == DNS_PORT &&
	    (name = dnscache_query_name(c, tp, now)) != NULL)
		return name;
	return dnscache_name(c, uid, tp->family, tp->daddr, now);
}

void
dnscache_stats(const struct dnscache *c, struct dnscache_stats *st)
{
	memcpy(st, &c->st, sizeof(*st));
}
