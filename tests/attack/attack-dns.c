/*
 * attack-dns.c: ruled's DNS tables against floods, at the library level
 * (SECURITY.md C.29; tests/attack/dns-flood.sh drives the same through
 * the daemon).  A burst of queries from one client port, all within one
 * millisecond, must give way oldest first; a million distinct answers
 * must leave the cache within its entry and byte bounds; a CNAME chain
 * that loops must name nothing and end; a name is ASCII or nothing.
 */
#include <netinet/in.h>

#include "dnsbuild.h"
#include "dnscache.h"
#include "dnstrack.h"
#include "t.h"

static const uint8_t	 key[HASH_KEY_LEN] = "attack key 0123";
static struct dns_msg	 m;

/* A query for name with id from 10.0.0.2:port to 10.0.0.1:53. */
static void
attack_query(struct db *d, uint16_t id, const char *name)
{
	const char	*why;

	db_hdr(d, id, 0x0100, 1, 0, 0, 0);
	db_question(d, name, DNS_TYPE_A);
	T_EQ_INT(db_parse(d->b, d->n, 0, &m, &why), 0);
}

static void
attack_reply(struct db *d, uint16_t id, const char *name, uint8_t last)
{
	const char	*why;

	db_hdr(d, id, 0x8180, 1, 1, 0, 0);
	db_question(d, name, DNS_TYPE_A);
	db_a(d, name, 300, 10, 90, 0, last);
	T_EQ_INT(db_parse(d->b, d->n, 0, &m, &why), 0);
}

/*
 * 65 queries from one port in the same millisecond: the one that gives
 * way is the first, whose reply is then refused, and every other stays.
 * (Ties on the deadline picked the newest before.)
 */
static void
attack_tracker_burst(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct db		 d;
	char			 name[64];
	const char		*why;
	uint32_t		 uid;
	int			 i, trusted = 0;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_tuple(&r, IPPROTO_UDP, "10.0.0.1", 53, "10.0.0.2", 40000);
	for (i = 1; i <= MAX_DNSTRACK_PER_CLIENT + 1; i++) {
		snprintf(name, sizeof(name), "q%d.test", i);
		attack_query(&d, i, name);
		T_EQ_INT(dnstrack_query(t, &q, 1000, &m, 5000, &why), 0);
	}
	attack_reply(&d, 1, "q1.test", 1);
	T_EQ_INT(dnstrack_reply(t, &r, &m, 5000, &uid, &why), -1);
	for (i = 2; i <= MAX_DNSTRACK_PER_CLIENT + 1; i++) {
		snprintf(name, sizeof(name), "q%d.test", i);
		attack_reply(&d, i, name, i);
		if (dnstrack_reply(t, &r, &m, 5000, &uid, &why) == 0)
			trusted++;
	}
	T_EQ_INT(trusted, MAX_DNSTRACK_PER_CLIENT);
	dnstrack_free(t);
}

/* Answer number i: name is 10.x.y.z (i's low 24 bits), for a day. */
static int
attack_cache_answer(struct dnscache *c, const char *name, int i)
{
	struct db	 d;
	const char	*why;

	db_hdr(&d, i & 0xffff, 0x8180, 1, 1, 0, 0);
	db_question(&d, name, DNS_TYPE_A);
	db_a(&d, name, 86400, 10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
	if (dns_parse(d.b, d.n, 0, &m, &why) != 0 ||
	    dnscache_add_reply(c, 1000, &m, 1000 + i) != 1)
		return -1;
	return 0;
}

/* A million distinct trusted answers: the cache stays within bounds. */
static void
attack_cache_flood(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	char			 name[64];
	int			 i, named = 0;

	for (i = 0; i < 1000000; i++) {
		snprintf(name, sizeof(name), "flood-%d.example.test", i);
		if (attack_cache_answer(c, name, i) == -1)
			break;
		named++;
	}
	T_EQ_INT(named, 1000000);
	dnscache_stats(c, &st);
	T_CHECK(st.entries <= MAX_DNSCACHE_ENTRIES);
	T_CHECK(st.bytes <= MAX_DNSCACHE_BYTES);
	T_CHECK(st.evicted >= 1000000 - MAX_DNSCACHE_ENTRIES);
	T_EQ_STR(dnscache_name(c, 1000, AF_INET,
	    (const uint8_t *)"\x0a\x0f\x42\x3f", 3000000),
	    "flood-999999.example.test");
	T_CHECK(dnscache_name(c, 1000, AF_INET,
	    (const uint8_t *)"\x0a\x00\x00\x00", 3000000) == NULL);
	dnscache_free(c);
}

/*
 * Long names: the byte bound binds before the entry bound.  100000
 * answers for names of about 240 bytes leave the cache full by bytes,
 * with fewer entries than MAX_DNSCACHE_ENTRIES.
 */
static void
attack_cache_bytes(void)
{
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	char			 name[300], label[64];
	int			 i, named = 0;

	memset(label, 'x', 55);
	label[55] = '\0';
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "%s.%s.%s.%s.n%d.test", label,
		    label, label, label, i);
		if (attack_cache_answer(c, name, i) == -1)
			break;
		named++;
	}
	T_EQ_INT(named, 100000);
	dnscache_stats(c, &st);
	T_CHECK(st.bytes <= MAX_DNSCACHE_BYTES);
	T_CHECK(st.bytes > MAX_DNSCACHE_BYTES - 1024);
	T_CHECK(st.entries < MAX_DNSCACHE_ENTRIES);
	printf("long names: %llu entries, %llu bytes\n",
	    (unsigned long long)st.entries, (unsigned long long)st.bytes);
	dnscache_free(c);
}

/* a -> b -> a -> ... with an address at the end: names nothing, ends. */
static void
attack_cname_loop(void)
{
	struct dnscache	*c = dnscache_new(key);
	struct db	 d;
	const char	*why;

	db_hdr(&d, 7, 0x8180, 1, 3, 0, 0);
	db_question(&d, "a.test", DNS_TYPE_A);
	db_cname(&d, "a.test", 300, "b.test");
	db_cname(&d, "b.test", 300, "a.test");
	db_a(&d, "c.test", 300, 10, 9, 9, 9);
	T_EQ_INT(dns_parse(d.b, d.n, 0, &m, &why), 0);
	T_EQ_INT(dnscache_add_reply(c, 0, &m, 1000), 0);
	T_CHECK(dnscache_name(c, 0, AF_INET,
	    (const uint8_t *)"\x0a\x09\x09\x09", 1000) == NULL);
	dnscache_free(c);
}

/*
 * C.30: a name is kept only in its ASCII (punycode) form, so a prompt
 * shows xn--...; raw UTF-8 or control bytes in a label are refused, so
 * no name can look like another.
 */
static void
attack_idn(void)
{
	struct db	 d;
	const char	*why;

	db_hdr(&d, 1, 0x8180, 1, 1, 0, 0);
	db_question(&d, "xn--pple-43d.test", DNS_TYPE_A);
	db_a(&d, "xn--pple-43d.test", 300, 10, 1, 1, 1);
	T_EQ_INT(dns_parse(d.b, d.n, 0, &m, &why), 0);
	T_EQ_STR(m.qname, "xn--pple-43d.test");
	db_hdr(&d, 1, 0x8180, 1, 1, 0, 0);
	db_question(&d, "\xd0\xb0pple.test", DNS_TYPE_A);
	db_a(&d, "\xd0\xb0pple.test", 300, 10, 1, 1, 1);
	T_EQ_INT(dns_parse(d.b, d.n, 0, &m, &why), -1);
	db_hdr(&d, 1, 0x8180, 1, 0, 0, 0);
	db_question(&d, "a\x1b[2Jb.test", DNS_TYPE_A);
	T_EQ_INT(dns_parse(d.b, d.n, 0, &m, &why), -1);
}

int
main(void)
{
	attack_tracker_burst();
	attack_cache_flood();
	attack_cache_bytes();
	attack_cname_loop();
	attack_idn();
	return t_done("attack-dns");
}
