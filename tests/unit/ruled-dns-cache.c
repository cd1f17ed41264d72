/*
 * ruled-dns-cache: what a trusted reply names, for whom and for how long,
 * and that floods stay inside the entry and byte bounds.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <string.h>

#include "dnscache.h"
#include "t.h"
#include "dnsbuild.h"

#define UID	1000
#define T0	5000000ULL

static void	 t_chain(void);
static void	 t_off_chain(void);
static void	 t_chain_bounds(void);
static void	 t_ignored(void);
static void	 t_not_noerror(void);
static void	 t_ttl(void);
static void	 t_uid(void);
static void	 t_last_wins(void);
static void	 t_query_name(void);
static void	 t_many_answers(void);
static void	 t_flood_entries(void);
static void	 t_flood_bytes(void);
static void	 t_lru(void);
static int	 add(struct dnscache *, uint32_t, const struct db *,
		    uint64_t);
static const char *name(struct dnscache *, uint32_t, const char *,
		    uint64_t);
static void	 flood_reply(struct db *, const char *, uint32_t);
static void	 addr_of(uint32_t, char *, size_t);

static const uint8_t	 key[HASH_KEY_LEN] = "tattle-dns-test";
static struct dns_msg	 m;
static struct db	 d;

static int
add(struct dnscache *c, uint32_t uid, const struct db *b, uint64_t now)
{
	const char	*why;

	if (db_parse(b->b, b->n, 0, &m, &why) != 0) {
		fprintf(stderr, "add: %s\n", why);
		exit(99);
	}
	return dnscache_add_reply(c, uid, &m, now);
}

/* The name of a textual address for uid, or NULL. */
static const char *
name(struct dnscache *c, uint32_t uid, const char *addr, uint64_t now)
{
	uint8_t	a[16];
	uint8_t	family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;

	if (inet_pton(family, addr, a) != 1) {
		fprintf(stderr, "name: bad address %s\n", addr);
		exit(99);
	}
	return dnscache_name(c, uid, family, a, now);
}

static void
t_chain(void)
{
	struct dnscache	*c = dnscache_new(key);
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };

	/* Records out of order: the chain is walked, not the list. */
	db_hdr(&d, 1, 0x8180, 1, 4, 0, 0);
	db_question(&d, "WWW.Shop.test", 1);
	db_a(&d, "e1.cdn.test", 300, 192, 0, 2, 10);
	db_cname(&d, "edge.cdn.test", 100, "e1.cdn.test");
	db_aaaa(&d, "E1.cdn.test", 50, v6);
	db_cname(&d, "www.shop.TEST", 600, "edge.cdn.test");
	T_EQ_INT(add(c, UID, &d, T0), 2);
	T_EQ_STR(name(c, UID, "192.0.2.10", T0), "www.shop.test");
	T_EQ_STR(name(c, UID, "2001:db8::10", T0), "www.shop.test");
	/* A: min(600, 100, 300) = 100 s.  AAAA: 50 s, raised to 60. */
	T_EQ_STR(name(c, UID, "192.0.2.10", T0 + 99999), "www.shop.test");
	T_CHECK(name(c, UID, "192.0.2.10", T0 + 100000) == NULL);
	T_EQ_STR(name(c, UID, "2001:db8::10", T0 + 59999), "www.shop.test");
	T_CHECK(name(c, UID, "2001:db8::10", T0 + 60000) == NULL);
	dnscache_free(c);
}

/* What the question did not lead to names nothing. */
static void
t_off_chain(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;

	db_hdr(&d, 1, 0x8180, 1, 3, 0, 0);
	db_question(&d, "evil.test", 1);
	db_a(&d, "evil.test", 300, 192, 0, 2, 66);
	db_a(&d, "allowed.test", 300, 192, 0, 2, 77);
	db_cname(&d, "allowed.test", 300, "evil.test");
	T_EQ_INT(add(c, UID, &d, T0), 1);
	T_EQ_STR(name(c, UID, "192.0.2.66", T0), "evil.test");
	T_CHECK(name(c, UID, "192.0.2.77", T0) == NULL);
	dnscache_stats(c, &st);
	T_EQ_INT(st.ignored, 1);
	T_EQ_INT(st.entries, 1);

	/* A chain from the question may lead anywhere: still its name. */
	db_hdr(&d, 2, 0x8180, 1, 2, 0, 0);
	db_question(&d, "evil2.test", 1);
	db_cname(&d, "evil2.test", 300, "allowed.test");
	db_a(&d, "allowed.test", 300, 192, 0, 2, 78);
	T_EQ_INT(add(c, UID, &d, T0), 1);
	T_EQ_STR(name(c, UID, "192.0.2.78", T0), "evil2.test");
	dnscache_free(c);
}

static void
t_chain_bounds(void)
{
	struct dnscache	*c = dnscache_new(key);
	char		 from[32], to[32];
	int		 i, links;

	/* a -> b -> a: the walk stops; a's own address is named. */
	db_hdr(&d, 1, 0x8180, 1, 3, 0, 0);
	db_question(&d, "a.test", 1);
	db_cname(&d, "a.test", 300, "b.test");
	db_cname(&d, "b.test", 300, "a.test");
	db_a(&d, "b.test", 300, 192, 0, 2, 1);
	T_EQ_INT(add(c, UID, &d, T0), 1);
	T_EQ_STR(name(c, UID, "192.0.2.1", T0), "a.test");

	/* MAX_DNS_CHAIN links are followed, one more is not. */
	for (links = MAX_DNS_CHAIN; links <= MAX_DNS_CHAIN + 1; links++) {
		db_hdr(&d, 2, 0x8180, 1, (uint16_t)(links + 1), 0, 0);
		db_question(&d, "c0.test", 1);
		for (i = 0; i < links; i++) {
			snprintf(from, sizeof(from), "c%d.test", i);
			snprintf(to, sizeof(to), "c%d.test", i + 1);
			db_cname(&d, from, 300, to);
		}
		db_a(&d, to, 300, 192, 0, 2, (uint8_t)links);
		T_EQ_INT(add(c, UID, &d, T0), links == MAX_DNS_CHAIN ? 1 : 0);
	}
	T_EQ_STR(name(c, UID, "192.0.2.16", T0), "c0.test");
	T_CHECK(name(c, UID, "192.0.2.17", T0) == NULL);
	dnscache_free(c);
}

/* Loopback (as OpenSnitch) and unspecified (blocked-name) answers. */
static void
t_ignored(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	static const uint8_t	 a6[4][16] = {
		{ [15] = 1 }, { 0 }, { [10] = 0xff, 0xff, 127, 0, 0, 1 },
		{ [10] = 0xff, 0xff, 0, 0, 0, 0 }
	};
	int			 i;

	db_hdr(&d, 1, 0x8180, 1, 7, 0, 0);
	db_question(&d, "lo.test", 1);
	db_a(&d, "lo.test", 300, 127, 0, 0, 1);
	db_a(&d, "lo.test", 300, 127, 255, 255, 254);
	db_a(&d, "lo.test", 300, 0, 0, 0, 0);
	for (i = 0; i < 4; i++)
		db_aaaa(&d, "lo.test", 300, a6[i]);
	T_EQ_INT(add(c, UID, &d, T0), 0);
	dnscache_stats(c, &st);
	T_EQ_INT(st.ignored, 7);
	T_EQ_INT(st.entries, 0);
	T_CHECK(name(c, UID, "127.0.0.1", T0) == NULL);
	T_CHECK(name(c, UID, "::1", T0) == NULL);
	dnscache_free(c);
}

static void
t_not_noerror(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;

	db_hdr(&d, 1, 0x8183, 1, 1, 0, 0);		/* NXDOMAIN */
	db_question(&d, "nx.test", 1);
	db_a(&d, "nx.test", 300, 192, 0, 2, 1);
	T_EQ_INT(add(c, UID, &d, T0), 0);
	db_set16(&d, 2, 0x0100);			/* a query */
	T_EQ_INT(add(c, UID, &d, T0), 0);
	dnscache_stats(c, &st);
	T_EQ_INT(st.entries, 0);
	T_CHECK(name(c, UID, "192.0.2.1", T0) == NULL);
	dnscache_free(c);
}

static void
t_ttl(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;

	db_hdr(&d, 1, 0x8180, 1, 4, 0, 0);
	db_question(&d, "ttl.test", 1);
	db_a(&d, "ttl.test", 300, 192, 0, 2, 1);
	db_a(&d, "ttl.test", 5, 192, 0, 2, 2);
	db_a(&d, "ttl.test", 10 * 86400, 192, 0, 2, 3);
	db_a(&d, "ttl.test", 0x80000000u, 192, 0, 2, 4);	/* means 0 */
	T_EQ_INT(add(c, UID, &d, T0), 4);
	T_EQ_STR(name(c, UID, "192.0.2.1", T0 + 299999), "ttl.test");
	T_CHECK(name(c, UID, "192.0.2.1", T0 + 300000) == NULL);
	T_EQ_STR(name(c, UID, "192.0.2.2", T0 + 59999), "ttl.test");
	T_CHECK(name(c, UID, "192.0.2.2", T0 + 60000) == NULL);
	T_EQ_STR(name(c, UID, "192.0.2.3", T0 + 86399999ULL), "ttl.test");
	T_CHECK(name(c, UID, "192.0.2.3", T0 + 86400000ULL) == NULL);
	T_EQ_STR(name(c, UID, "192.0.2.4", T0 + 59999), "ttl.test");
	T_CHECK(name(c, UID, "192.0.2.4", T0 + 60000) == NULL);

	/* A top-bit CNAME TTL is 0 too: it cuts the chain's TTL down. */
	db_hdr(&d, 2, 0x8180, 1, 2, 0, 0);
	db_question(&d, "ttl2.test", 1);
	db_cname(&d, "ttl2.test", 0xffffffffu, "ttl3.test");
	db_a(&d, "ttl3.test", 3600, 192, 0, 2, 5);
	T_EQ_INT(add(c, UID, &d, T0), 1);
	T_EQ_STR(name(c, UID, "192.0.2.5", T0 + 59999), "ttl2.test");
	T_CHECK(name(c, UID, "192.0.2.5", T0 + 60000) == NULL);
	dnscache_stats(c, &st);
	T_EQ_INT(st.expired, 5);
	T_EQ_INT(st.entries, 0);
	T_EQ_INT(st.bytes, 0);
	dnscache_free(c);
}

/* One uid's answer does not name another uid's connection. */
static void
t_uid(void)
{
	struct dnscache	*c = dnscache_new(key);

	db_hdr(&d, 1, 0x8180, 1, 1, 0, 0);
	db_question(&d, "mine.test", 1);
	db_a(&d, "mine.test", 300, 192, 0, 2, 1);
	T_EQ_INT(add(c, UID, &d, T0), 1);
	T_EQ_STR(name(c, UID, "192.0.2.1", T0), "mine.test");
	T_CHECK(name(c, UID + 1, "192.0.2.1", T0) == NULL);
	T_CHECK(name(c, 0, "192.0.2.1", T0) == NULL);

	db_hdr(&d, 2, 0x8180, 1, 1, 0, 0);
	db_question(&d, "theirs.test", 1);
	db_a(&d, "theirs.test", 300, 192, 0, 2, 1);
	T_EQ_INT(add(c, UID + 1, &d, T0), 1);
	T_EQ_STR(name(c, UID, "192.0.2.1", T0), "mine.test");
	T_EQ_STR(name(c, UID + 1, "192.0.2.1", T0), "theirs.test");
	dnscache_free(c);
}

/* A shared address (a CDN): the latest trusted answer names it. */
static void
t_last_wins(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;

	db_hdr(&d, 1, 0x8180, 1, 1, 0, 0);
	db_question(&d, "first.test", 1);
	db_a(&d, "first.test", 300, 192, 0, 2, 1);
	T_EQ_INT(add(c, UID, &d, T0), 1);
	db_hdr(&d, 2, 0x8180, 1, 1, 0, 0);
	db_question(&d, "second-longer-name.test", 1);
	db_a(&d, "second-longer-name.test", 60, 192, 0, 2, 1);
	T_EQ_INT(add(c, UID, &d, T0 + 1000), 1);
	T_EQ_STR(name(c, UID, "192.0.2.1", T0 + 1000),
	    "second-longer-name.test");
	/* ...with its own TTL, not the older one's. */
	T_CHECK(name(c, UID, "192.0.2.1", T0 + 61000) == NULL);
	dnscache_stats(c, &st);
	T_EQ_INT(st.added, 1);
	T_EQ_INT(st.replaced, 1);
	T_EQ_INT(st.entries, 0);
	dnscache_free(c);
}

/* The DNS connection's own dest.host is its question. */
static void
t_query_name(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct conn_tuple	 q, other;
	const char		*why;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_hdr(&d, 1, 0x0100, 1, 0, 0, 0);
	db_question(&d, "Asked.test", 1);
	T_EQ_INT(db_parse(d.b, d.n, 0, &m, &why), 0);
	T_EQ_INT(dnscache_add_query(c, &q, &m, T0), 1);
	T_EQ_STR(dnscache_query_name(c, &q, T0), "asked.test");
	T_EQ_STR(dnscache_host(c, UID, &q, T0), "asked.test");

	/* Another query on the same tuple: the last one names it. */
	db_hdr(&d, 2, 0x0100, 1, 0, 0, 0);
	db_question(&d, "later.test", 28);
	T_EQ_INT(db_parse(d.b, d.n, 0, &m, &why), 0);
	T_EQ_INT(dnscache_add_query(c, &q, &m, T0 + 1), 1);
	T_EQ_STR(dnscache_host(c, UID, &q, T0 + 1), "later.test");
	T_CHECK(dnscache_host(c, UID, &q,
	    T0 + 1 + DNSCACHE_QUERY_TTL * 1000ULL) == NULL);

	/* Without a query, the server's own name if one is known. */
	db_tuple(&other, IPPROTO_TCP, "10.0.0.2", 40001, "10.0.0.1", 53);
	T_CHECK(dnscache_host(c, UID, &other, T0) == NULL);
	db_hdr(&d, 3, 0x8180, 1, 1, 0, 0);
	db_question(&d, "ns.test", 1);
	db_a(&d, "ns.test", 300, 10, 0, 0, 1);
	T_EQ_INT(add(c, UID, &d, T0), 1);
	T_EQ_STR(dnscache_host(c, UID, &other, T0), "ns.test");
	other.dport = 853;
	T_EQ_STR(dnscache_host(c, UID, &other, T0), "ns.test");

	/* A reply is not a query. */
	T_EQ_INT(dnscache_add_query(c, &other, &m, T0), 0);
	dnscache_free(c);
}

/* 1000 answers: MAX_DNS_ANSWERS named, the rest never read. */
static void
t_many_answers(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	int			 i;

	db_hdr(&d, 1, 0x8180, 1, 1000, 0, 0);
	db_question(&d, "many.test", 1);
	for (i = 0; i < 1000; i++) {
		db_ptr(&d, 12);
		db_rrhdr(&d, 1, 300, 4);
		db_u32(&d, 0x0a000000u + (uint32_t)i + 1);
	}
	T_EQ_INT(add(c, UID, &d, T0), MAX_DNS_ANSWERS);
	dnscache_stats(c, &st);
	T_EQ_INT(st.entries, MAX_DNS_ANSWERS);
	T_EQ_STR(name(c, UID, "10.0.0.32", T0), "many.test");
	T_CHECK(name(c, UID, "10.0.0.33", T0) == NULL);
	dnscache_free(c);
}

static void
addr_of(uint32_t i, char *buf, size_t size)
{
	snprintf(buf, size, "10.%u.%u.%u", (i >> 16) & 0xff, (i >> 8) & 0xff,
	    i & 0xff);
}

/* A reply naming MAX_DNS_ANSWERS new addresses, from 10.0.0.0 + first. */
static void
flood_reply(struct db *b, const char *qname, uint32_t first)
{
	uint32_t	i;

	db_hdr(b, (uint16_t)first, 0x8180, 1, MAX_DNS_ANSWERS, 0, 0);
	db_question(b, qname, 1);
	for (i = 0; i < MAX_DNS_ANSWERS; i++) {
		db_ptr(b, 12);
		db_rrhdr(b, 1, 3600, 4);
		db_u32(b, 0x0a000000u + first + i);
	}
}

static void
t_flood_entries(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	uint32_t		 i, n = 100000;
	char			 a[32];

	for (i = 0; i < n; i += MAX_DNS_ANSWERS) {
		flood_reply(&d, "flood.test", i);
		T_EQ_INT(add(c, UID, &d, T0), MAX_DNS_ANSWERS);
	}
	n = i;
	dnscache_stats(c, &st);
	T_EQ_INT(st.entries, MAX_DNSCACHE_ENTRIES);
	T_CHECK(st.bytes <= MAX_DNSCACHE_BYTES);
	T_EQ_INT(st.added, n);
	T_EQ_INT(st.evicted, n - MAX_DNSCACHE_ENTRIES);
	addr_of(n - 1, a, sizeof(a));
	T_EQ_STR(name(c, UID, a, T0), "flood.test");
	addr_of(n - MAX_DNSCACHE_ENTRIES, a, sizeof(a));
	T_EQ_STR(name(c, UID, a, T0), "flood.test");
	addr_of(n - MAX_DNSCACHE_ENTRIES - 1, a, sizeof(a));
	T_CHECK(name(c, UID, a, T0) == NULL);
	addr_of(0, a, sizeof(a));
	T_CHECK(name(c, UID, a, T0) == NULL);
	dnscache_free(c);
}

/* Longest names: the byte bound bites before the entry bound. */
static void
t_flood_bytes(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	char			 l63[64], l61[62], qname[256];
	uint32_t		 i;

	memset(l63, 'x', 63);
	l63[63] = '\0';
	memset(l61, 'y', 61);
	l61[61] = '\0';
	snprintf(qname, sizeof(qname), "%s.%s.%s.%s", l63, l63, l63, l61);
	for (i = 0; i < 2 * MAX_DNSCACHE_ENTRIES; i += MAX_DNS_ANSWERS) {
		flood_reply(&d, qname, i);
		T_EQ_INT(add(c, UID, &d, T0), MAX_DNS_ANSWERS);
	}
	dnscache_stats(c, &st);
	T_CHECK(st.bytes <= MAX_DNSCACHE_BYTES);
	T_CHECK(st.entries < MAX_DNSCACHE_ENTRIES);
	/* Full to within one entry: eviction takes only what it must. */
	T_CHECK(st.bytes + st.bytes / st.entries > MAX_DNSCACHE_BYTES);
	T_EQ_INT(st.evicted, 2 * MAX_DNSCACHE_ENTRIES - st.entries);
	dnscache_free(c);
}

/* Use keeps an entry: the least recently used one goes first. */
static void
t_lru(void)
{
	struct dnscache		*c = dnscache_new(key);
	uint32_t		 i;
	char			 a[32];

	for (i = 0; i < MAX_DNSCACHE_ENTRIES; i += MAX_DNS_ANSWERS) {
		flood_reply(&d, "lru.test", i);
		T_EQ_INT(add(c, UID, &d, T0), MAX_DNS_ANSWERS);
	}
	addr_of(0, a, sizeof(a));
	T_EQ_STR(name(c, UID, a, T0), "lru.test");	/* now the newest */
	flood_reply(&d, "lru.test", i);
	T_EQ_INT(add(c, UID, &d, T0), MAX_DNS_ANSWERS);
	T_EQ_STR(name(c, UID, a, T0), "lru.test");
	for (i = 1; i <= MAX_DNS_ANSWERS; i++) {
		addr_of(i, a, sizeof(a));
		T_CHECK(name(c, UID, a, T0) == NULL);
	}
	addr_of(MAX_DNS_ANSWERS + 1, a, sizeof(a));
	T_EQ_STR(name(c, UID, a, T0), "lru.test");
	dnscache_free(c);
}

int
main(void)
{
	t_chain();
	t_off_chain();
	t_chain_bounds();
	t_ignored();
	t_not_noerror();
	t_ttl();
	t_uid();
	t_last_wins();
	t_query_name();
	t_many_answers();
	t_flood_entries();
	t_flood_bytes();
	t_lru();
	return t_done("ruled-dns-cache");
}
