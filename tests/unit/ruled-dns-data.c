/*
 * ruled-dns-data [DIR]: the whole snooping path on real exchanges with
 * dnsmasq (captured by data/dns/capture.sh; DIR defaults to the committed
 * ones).  For each: the query is parsed, tracked and names its own
 * connection; spoofed variants of the real reply are refused with their
 * reason and leave the cache as it was; the real reply is trusted, names
 * its addresses with the question for the TTL, and a replay of it is
 * refused.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dnscache.h"
#include "dnstrack.h"
#include "t.h"
#include "dnsbuild.h"

#ifndef DNS_TEST_DATA_DIR
#define DNS_TEST_DATA_DIR	"tests/unit/data/dns"
#endif

#define UID	1000
#define T0	7000000ULL

struct dcase {
	const char	*stem;
	const char	*qname;
	uint16_t	 qtype;
	int		 rcode;
	int		 named;		/* addresses named */
	const char	*addr[2];
	const char	*host;		/* their name; NULL: none */
	unsigned	 ttl;		/* seconds the name lives */
};

static const struct dcase cases[] = {
	{ "a-host", "host.test", 1, 0, 1, { "10.53.1.2" }, "host.test", 300 },
	{ "aaaa-host", "host.test", 28, 0, 1, { "fd53:1::2" }, "host.test",
	    300 },
	/* Asked as WwW.cHaIn.TeSt; the CNAME has TTL 120, the rest 300. */
	{ "cname-chain", "www.chain.test", 1, 0, 1, { "10.53.1.2" },
	    "www.chain.test", 120 },
	{ "multi", "multi.test", 1, 0, 2, { "10.53.2.1", "10.53.2.2" },
	    "multi.test", 300 },
	{ "nxdomain", "nx.test", 1, 3, 0, { NULL }, NULL, 0 },
	{ "loopback", "loop.test", 1, 0, 0, { "127.0.0.1" }, NULL, 0 },
	{ "tcp-host", "host.test", 1, 0, 1, { "10.53.1.2" }, "host.test",
	    300 },
	{ "edns-chain-aaaa", "www.chain.test", 28, 0, 1, { "fd53:1::2" },
	    "www.chain.test", 120 },
	/* TTL 5, raised to MIN_DNSCACHE_TTL. */
	{ "short-ttl", "short.test", 1, 0, 1, { "10.53.1.5" }, "short.test",
	    60 },
	{ "tcp6-chain", "www.chain.test", 28, 0, 1, { "fd53:1::2" },
	    "www.chain.test", 120 },
};

static const uint8_t	 key[HASH_KEY_LEN] = "tattle-dns-data";
static const char	*dir = DNS_TEST_DATA_DIR;

static int	 load(const char *, const char *, uint8_t *, size_t,
		    size_t *);
static int	 load_tuple(const char *, struct conn_tuple *, int *);
static const char *lookup(struct dnscache *, uint32_t, const char *,
		    uint64_t);
static const char *spoof(struct dnstrack *, struct dnscache *,
		    const struct conn_tuple *, const uint8_t *, size_t, int);
static void	 run(const struct dcase *);

static int
load(const char *stem, const char *ext, uint8_t *buf, size_t size,
    size_t *len)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, stem, ext);
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	*len = fread(buf, 1, size, f);
	fclose(f);
	return 0;
}

/* "udp|tcp client port server port", as the query travelled. */
static int
load_tuple(const char *stem, struct conn_tuple *tp, int *tcp)
{
	char		 line[256], proto[8], ca[64], sa[64];
	unsigned	 cp, sp;
	size_t		 len;

	if (load(stem, "tuple", (uint8_t *)line, sizeof(line) - 1, &len) == -1)
		return -1;
	line[len] = '\0';
	if (sscanf(line, "%7s %63s %u %63s %u", proto, ca, &cp, sa, &sp) != 5 ||
	    cp > 65535 || sp > 65535) {
		fprintf(stderr, "%s.tuple: bad line\n", stem);
		return -1;
	}
	*tcp = strcmp(proto, "tcp") == 0;
	db_tuple(tp, *tcp ? IPPROTO_TCP : IPPROTO_UDP, ca, (uint16_t)cp, sa,
	    (uint16_t)sp);
	return 0;
}

static const char *
lookup(struct dnscache *c, uint32_t uid, const char *addr, uint64_t now)
{
	uint8_t	a[16];
	uint8_t	family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;

	if (inet_pton(family, addr, a) != 1)
		return "(bad address)";
	return dnscache_name(c, uid, family, a, now);
}

/* Offer a reply the way ruled would; "trusted" or the reason. */
static const char *
spoof(struct dnstrack *t, struct dnscache *c, const struct conn_tuple *rt,
    const uint8_t *b, size_t len, int flags)
{
	static struct dns_msg	 m;
	const char		*why;
	uint32_t		 uid;

	if (db_parse(b, len, flags, &m, &why) != 0)
		return why;
	if (dnstrack_reply(t, rt, &m, T0 + 1, &uid, &why) != 0)
		return why;
	dnscache_add_reply(c, uid, &m, T0 + 1);
	return "trusted";
}

static void
run(const struct dcase *dc)
{
	static uint8_t		 q[65540], r[65540], x[65540];
	static struct dns_msg	 qm, rm;
	struct dnstrack		*t = dnstrack_new(key);
	struct dnscache		*c = dnscache_new(key);
	struct dnscache_stats	 st;
	struct conn_tuple	 qt, rt, bad;
	const char		*why;
	size_t			 qlen, rlen, h;
	uint32_t		 uid = 0;
	int			 tcp, flags, i;

	if (load(dc->stem, "query", q, sizeof(q), &qlen) == -1 ||
	    load(dc->stem, "reply", r, sizeof(r), &rlen) == -1 ||
	    load_tuple(dc->stem, &qt, &tcp) == -1) {
		T_CHECK(!"test data present");
		goto out;
	}
	fprintf(stderr, "%s: %zu-byte query, %zu-byte reply, %s\n", dc->stem,
	    qlen, rlen, tcp ? "tcp" : "udp");
	flags = tcp ? DNS_PARSE_TCP : 0;
	h = tcp ? 2 : 0;		/* where the message starts */
	db_reverse(&rt, &qt);

	T_EQ_INT(db_parse(q, qlen, flags, &qm, &why), 0);
	T_EQ_INT(qm.wire_len, qlen);
	T_CHECK(!(qm.flags & DNS_F_QR));
	T_EQ_STR(qm.qname, dc->qname);
	T_EQ_INT(qm.qtype, dc->qtype);
	T_EQ_INT(dnstrack_query(t, &qt, UID, &qm, T0, &why), 0);
	T_EQ_INT(dnscache_add_query(c, &qt, &qm, T0), 1);
	T_EQ_STR(dnscache_host(c, UID, &qt, T0), dc->qname);

	T_EQ_INT(db_parse(r, rlen, flags, &rm, &why), 0);
	T_EQ_INT(rm.wire_len, rlen);
	T_EQ_INT(rm.id, qm.id);
	T_EQ_INT(DNS_RCODE(rm.flags), dc->rcode);
	T_EQ_STR(rm.qname, dc->qname);
	if (tcp) {
		T_EQ_INT(db_parse(r, rlen - 1, flags, &rm, &why),
		    DNS_PARTIAL);
		T_EQ_INT(db_parse(r, rlen, flags, &rm, &why), 0);
	}

	/* Spoofs of the real reply: each refused, nothing named. */
	bad = rt;
	bad.dport++;
	T_EQ_STR(spoof(t, c, &bad, r, rlen, flags),
	    "no query pending from that client port");
	bad = rt;
	bad.saddr[bad.family == AF_INET ? 3 : 15] ^= 0x40;
	T_EQ_STR(spoof(t, c, &bad, r, rlen, flags),
	    "not from the server the query went to");
	memcpy(x, r, rlen);
	x[h + 1] ^= 0x01;				/* the id */
	T_EQ_STR(spoof(t, c, &rt, x, rlen, flags),
	    "no query pending with that id");
	memcpy(x, r, rlen);
	x[h + 13] = x[h + 13] == 'z' ? 'y' : 'z';	/* a question letter */
	T_EQ_STR(spoof(t, c, &rt, x, rlen, flags),
	    "question differs from the query's");
	dnscache_stats(c, &st);
	T_EQ_INT(st.entries, 1);			/* the query's name */
	for (i = 0; i < 2 && dc->addr[i] != NULL; i++)
		T_CHECK(lookup(c, UID, dc->addr[i], T0 + 1) == NULL);

	/* The real one. */
	T_EQ_INT(dnstrack_reply(t, &rt, &rm, T0 + 1, &uid, &why), 0);
	T_EQ_INT(uid, UID);
	T_EQ_INT(dnscache_add_reply(c, uid, &rm, T0 + 1), dc->named);
	for (i = 0; i < 2 && dc->addr[i] != NULL; i++) {
		T_EQ_STR(lookup(c, UID, dc->addr[i], T0 + 1), dc->host);
		T_CHECK(lookup(c, UID + 1, dc->addr[i], T0 + 1) == NULL);
		if (dc->host == NULL)
			continue;
		T_EQ_STR(lookup(c, UID, dc->addr[i],
		    T0 + 1 + dc->ttl * 1000ULL - 1), dc->host);
		T_CHECK(lookup(c, UID, dc->addr[i],
		    T0 + 1 + dc->ttl * 1000ULL) == NULL);
	}

	/* A replay of the real reply finds its query consumed. */
	dnscache_stats(c, &st);
	T_EQ_STR(spoof(t, c, &rt, r, rlen, flags),
	    "no query pending from that client port");
	{
		struct dnscache_stats	after;

		dnscache_stats(c, &after);
		T_EQ_INT(after.added, st.added);
		T_EQ_INT(after.entries, st.entries);
	}
out:
	dnstrack_free(t);
	dnscache_free(c);
}

int
main(int argc, char *argv[])
{
	size_t	i;

	if (argc > 1)
		dir = argv[1];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	return t_done("ruled-dns-data");
}
