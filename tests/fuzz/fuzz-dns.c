/*
 * fuzz-dns.c: ruled's DNS snooping, the most hostile input tattle reads
 * (anyone who can send a packet from port 53).  Built twice:
 *
 * fuzz-dns: byte 0 says UDP (even) or TCP (odd, length prefix first);
 *	the rest is one payload for dns_parse().
 *
 * fuzz-dnstrack (FUZZ_DNS_TRACK): the input is a stream of records
 *	driving dns_parse(), the query tracker and the name cache as
 *	ruled/names.c does:
 *
 *	   op, port, uid, dt, len (2 bytes, big endian), len payload bytes
 *
 *	op & 3: 0 a query leaving the client, 1 a reply from the server the
 *	query went to, 2 the same reply from another address (a spoof), 3
 *	lookups (payload: an address, then a port); op & 4: IPv6; op & 8:
 *	TCP.  port picks the client port (40000 + port), uid the querying
 *	uid, dt advances the clock by dt * 100 ms.  Each input starts with
 *	an empty tracker and cache; its first FUZZ_DNS_RECORDS records are
 *	read.
 *
 * The promises checked: what parses stays within its bounds; a reply is
 * trusted only if the same client port sent a query with that id and
 * name to that server, and the tracker names the uid that sent it; a
 * spoofed source is never trusted; the tables stay within their bounds.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <string.h>

#include "dns.h"
#include "dnscache.h"
#include "dnstrack.h"
#include "fuzz.h"

#define FUZZ_DNS_SENT	1024	/* queries remembered by the fuzzer */
#define FUZZ_DNS_RECORDS 64	/* records read from one input */

struct sent {
	struct conn_tuple	 t;
	uint16_t		 id;
	uint32_t		 uid;
	char			 qname[DNS_NAME_SIZE];
};

static void	 fuzz_dns_props(const struct dns_msg *, size_t);
#ifdef FUZZ_DNS_TRACK
static void	 fuzz_dns_tuple(struct conn_tuple *, uint8_t, uint8_t, int);
static void	 fuzz_dns_record(uint8_t, uint8_t, uint8_t, const uint8_t *,
		    size_t, uint64_t);
static void	 fuzz_dns_lookup(uint8_t, uint8_t, const uint8_t *, size_t,
		    uint64_t);
static int	 fuzz_dns_was_sent(const struct conn_tuple *,
		    const struct dns_msg *, uint32_t);
static void	 fuzz_dns_stream(const uint8_t *, size_t);
#endif

static struct dns_msg	 dm;
#ifdef FUZZ_DNS_TRACK
static const uint8_t	 key[HASH_KEY_LEN] = "tattle fuzz key";
static struct dnstrack	*track;
static struct dnscache	*cache;
static struct sent	 sent[FUZZ_DNS_SENT];
static size_t		 nsent;
static int		 sent_overflow;
#endif

static void
fuzz_dns_props(const struct dns_msg *m, size_t len)
{
	size_t	 i;

	FUZZ_ASSERT(m->wire_len <= len);
	FUZZ_ASSERT(m->nrr <= MAX_DNS_ANSWERS);
	FUZZ_ASSERT(strlen(m->qname) < DNS_NAME_SIZE);
	for (i = 0; i < m->nrr; i++) {
		FUZZ_ASSERT(strlen(m->rr[i].name) < DNS_NAME_SIZE);
		FUZZ_ASSERT(m->rr[i].type == DNS_TYPE_A ||
		    m->rr[i].type == DNS_TYPE_AAAA ||
		    m->rr[i].type == DNS_TYPE_CNAME);
		if (m->rr[i].type == DNS_TYPE_CNAME)
			FUZZ_ASSERT(strlen(m->rr[i].target) < DNS_NAME_SIZE);
	}
}

#ifdef FUZZ_DNS_TRACK
/* Client 10.0.0.2 / fd00::2 port 40000 + port; server .1 / ::1 : 53. */
static void
fuzz_dns_tuple(struct conn_tuple *t, uint8_t op, uint8_t port, int spoof)
{
	uint8_t	 client[16], server[16];

	memset(t, 0, sizeof(*t));
	memset(client, 0, sizeof(client));
	memset(server, 0, sizeof(server));
	if (op & 4) {
		t->family = AF_INET6;
		client[0] = server[0] = 0xfd;
		client[15] = 2;
		server[15] = spoof ? 9 : 1;
	} else {
		t->family = AF_INET;
		client[0] = server[0] = 10;
		client[3] = 2;
		server[3] = spoof ? 9 : 1;
	}
	t->proto = (op & 8) ? IPPROTO_TCP : IPPROTO_UDP;
	if ((op & 3) == 0) {
		memcpy(t->saddr, client, 16);
		memcpy(t->daddr, server, 16);
		t->sport = 40000 + port;
		t->dport = DNS_PORT;
	} else {
		memcpy(t->saddr, server, 16);
		memcpy(t->daddr, client, 16);
		t->sport = DNS_PORT;
		t->dport = 40000 + port;
	}
}

/* Did this client port send a query with this id and name to rt's source? */
static int
fuzz_dns_was_sent(const struct conn_tuple *rt, const struct dns_msg *m,
    uint32_t uid)
{
	size_t	 i;

	for (i = 0; i < nsent; i++)
		if (sent[i].t.family == rt->family &&
		    sent[i].t.proto == rt->proto &&
		    sent[i].t.sport == rt->dport &&
		    memcmp(sent[i].t.saddr, rt->daddr, 16) == 0 &&
		    memcmp(sent[i].t.daddr, rt->saddr, 16) == 0 &&
		    sent[i].id == m->id && sent[i].uid == uid &&
		    strcmp(sent[i].qname, m->qname) == 0)
			return 1;
	return 0;
}

static void
fuzz_dns_record(uint8_t op, uint8_t port, uint8_t uid, const uint8_t *p,
    size_t len, uint64_t now)
{
	struct conn_tuple	 t;
	const char		*why;
	const char		*name;
	uint32_t		 quid;
	size_t			 i;
	uint8_t			*copy;
	int			 rv;

	fuzz_dns_tuple(&t, op, port, (op & 3) == 2);
	/* Exactly the record's bytes on the heap, for ASan. */
	if ((copy = malloc(len ? len : 1)) == NULL)
		return;
	memcpy(copy, p, len);
	rv = dns_parse(copy, len, (op & 8) ? DNS_PARSE_TCP : 0, &dm, &why);
	free(copy);
	if (rv != 0)
		return;
	fuzz_dns_props(&dm, len);
	if ((op & 3) == 0) {
		if (dnstrack_query(track, &t, uid, &dm, now, &why) != 0)
			return;
		dnscache_add_query(cache, &t, &dm, now);
		name = dnscache_query_name(cache, &t, now);
		FUZZ_ASSERT(name == NULL || strlen(name) < DNS_NAME_SIZE);
		if (nsent == FUZZ_DNS_SENT) {
			sent_overflow = 1;
			return;
		}
		sent[nsent].t = t;
		sent[nsent].id = dm.id;
		sent[nsent].uid = uid;
		memcpy(sent[nsent].qname, dm.qname, sizeof(dm.qname));
		nsent++;
		return;
	}
	if (dnstrack_reply(track, &t, &dm, now, &quid, &why) != 0)
		return;
	FUZZ_ASSERT((op & 3) != 2);
	FUZZ_ASSERT(sent_overflow || fuzz_dns_was_sent(&t, &dm, quid));
	if (dnscache_add_reply(cache, quid, &dm, now) == -1)
		return;
	for (i = 0; i < dm.nrr; i++) {
		if (dm.rr[i].type == DNS_TYPE_CNAME)
			continue;
		name = dnscache_name(cache, quid, dm.rr[i].type ==
		    DNS_TYPE_A ? AF_INET : AF_INET6, dm.rr[i].addr, now);
		FUZZ_ASSERT(name == NULL || strlen(name) < DNS_NAME_SIZE);
	}
}

static void
fuzz_dns_lookup(uint8_t op, uint8_t uid, const uint8_t *p, size_t len,
    uint64_t now)
{
	struct conn_tuple	 t;
	const char		*name;

	memset(&t, 0, sizeof(t));
	t.family = (op & 4) ? AF_INET6 : AF_INET;
	t.proto = (op & 8) ? IPPROTO_TCP : IPPROTO_UDP;
	memcpy(t.daddr, p, len < 16 ? len : 16);
	if (t.family == AF_INET)
		memset(t.daddr + 4, 0, 12);
	t.dport = len > 17 ? (uint16_t)(p[16] << 8 | p[17]) : 443;
	name = dnscache_name(cache, uid, t.family, t.daddr, now);
	FUZZ_ASSERT(name == NULL || strlen(name) < DNS_NAME_SIZE);
	name = dnscache_host(cache, uid, &t, now);
	FUZZ_ASSERT(name == NULL || strlen(name) < DNS_NAME_SIZE);
	dnstrack_expire(track, now);
}

static void
fuzz_dns_stream(const uint8_t *p, size_t len)
{
	struct dnstrack_stats	 ts;
	struct dnscache_stats	 cs;
	uint64_t		 now = 1000000;
	size_t			 n, i;

	/*
	 * The tracker is made once (4096 slots to set up): expiring every
	 * query at the end of an input empties it as new.  The cache is
	 * made per input.
	 */
	if (track == NULL && (track = dnstrack_new(key)) == NULL)
		abort();
	if ((cache = dnscache_new(key)) == NULL)
		abort();
	dnstrack_stats(track, &ts);
	FUZZ_ASSERT(ts.pending == 0);
	nsent = 0;
	sent_overflow = 0;
	/* Each dns_parse() clears a 17 KB dns_msg: keep inputs quick. */
	for (i = 0; i < FUZZ_DNS_RECORDS && len >= 6; i++) {
		n = (size_t)p[4] << 8 | p[5];
		if (n > len - 6)
			n = len - 6;
		now += (uint64_t)p[3] * 100;
		if ((p[0] & 3) == 3)
			fuzz_dns_lookup(p[0], p[2], p + 6, n, now);
		else
			fuzz_dns_record(p[0], p[1], p[2], p + 6, n, now);
		p += 6 + n;
		len -= 6 + n;
	}
	dnstrack_stats(track, &ts);
	dnscache_stats(cache, &cs);
	FUZZ_ASSERT(ts.pending <= MAX_DNSTRACK_QUERIES);
	FUZZ_ASSERT(cs.entries <= MAX_DNSCACHE_ENTRIES);
	FUZZ_ASSERT(cs.bytes <= MAX_DNSCACHE_BYTES);
	dnstrack_expire(track, UINT64_MAX);
	dnscache_free(cache);
}

#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_DNS_TRACK
	fuzz_dns_stream(data, size);
#else
	uint8_t		*copy;
	const char	*why;
	int		 rv;

	if (size < 1)
		return 0;
	/* Exactly the payload on the heap, for ASan. */
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	rv = dns_parse(copy, size - 1, data[0] & 1 ? DNS_PARSE_TCP : 0, &dm,
	    &why);
	FUZZ_ASSERT(rv == 0 || rv == -1 ||
	    (rv == DNS_PARTIAL && (data[0] & 1)));
	if (rv == 0)
		fuzz_dns_props(&dm, size - 1);
	else
		FUZZ_ASSERT(why != NULL && *why != '\0');
	free(copy);
#endif
	return 0;
}
