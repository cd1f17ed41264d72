/*
 * names.c: DNS names for ruled.  Every DNS query leaving and every reply
 * to a flow that left is copied here by packetd; a reply names addresses
 * only when it answers a query seen leaving, and only for the uid that
 * asked.  The name becomes the connection's dest.host.  A query still
 * held for its verdict (DNS_DIR_ASK) names only its own connection; it
 * is tracked, but no reply may count on it until its copy from the
 * NFLOG group says it left (and the uid it had while held is kept: the
 * program may have closed its socket by then).
 */
#include <sys/random.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <string.h>

#include "compat.h"
#include "dns.h"
#include "dnscache.h"
#include "dnstrack.h"
#include "ruled.h"

static struct dnstrack	*track;
static struct dnscache	*cache;
static struct dns_msg	 dm;		/* 17 KB: not on the stack */

#define MAX_DNS_PER_SEGMENT	16	/* TCP messages in one segment */

static void	 names_one(struct ruled *, const struct msg_dns *, uint64_t);

void
names_init(void)
{
	uint8_t	 key[HASH_KEY_LEN];

	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		fatal("getrandom");
	if ((track = dnstrack_new(key)) == NULL ||
	    (cache = dnscache_new(key)) == NULL)
		fatal("DNS tables");
	explicit_bzero(key, sizeof(key));
}

/* One parsed DNS message: a query leaving or a reply arriving. */
static void
names_one(struct ruled *r, const struct msg_dns *d, uint64_t now)
{
	const char	*why;
	uint32_t	 uid;
	int		 n;

	if (d->dir == DNS_DIR_ASK) {
		if (dnstrack_ask(track, &d->t, d->uid, &dm, now, &why) == 0)
			dnscache_add_query(cache, &d->t, &dm, now);
		return;
	}
	if (d->dir == DNS_DIR_QUERY) {
		r->stats.dns_queries++;
		if (dnstrack_query(track, &d->t, d->uid, &dm, now, &why) == 0)
			dnscache_add_query(cache, &d->t, &dm, now);
		return;
	}
	r->stats.dns_replies++;
	if (dnstrack_reply(track, &d->t, &dm, now, &uid, &why) != 0) {
		/* Unsolicited or spoofed: it names nothing. */
		r->stats.dns_untrusted++;
		log_debug("DNS reply for %s not trusted: %s", dm.qname, why);
		return;
	}
	if ((n = dnscache_add_reply(cache, uid, &dm, now)) == -1)
		log_warnx("DNS cache: out of memory");
	else
		r->stats.dns_named += n;
}

/*
 * One DNS payload from packetd.  Over TCP one segment may carry several
 * length-prefixed messages (glibc writes its A and AAAA queries in one
 * go): each is taken in turn, up to a bound.
 */
void
names_dns(struct ruled *r, const struct msg *m)
{
	struct msg_dns	 d;
	const uint8_t	*pl;
	const char	*why;
	size_t		 len, off = 0;
	uint64_t	 now = ruled_now_ms();
	int		 flags, n;

	msg_get_body(m, &d, sizeof(d));
	if ((d.dir != DNS_DIR_QUERY && d.dir != DNS_DIR_REPLY &&
	    d.dir != DNS_DIR_ASK) ||
	    (d.t.family != AF_INET && d.t.family != AF_INET6))
		fatalx("%s: MSG_DNS with direction %u, family %u", __func__,
		    d.dir, d.t.family);
	pl = msg_get_attr(m, ATTR_PAYLOAD, &len);
	if (d.flags & DNS_F_CUT) {
		r->stats.dns_cut++;
		return;
	}
	flags = d.t.proto == IPPROTO_TCP ? DNS_PARSE_TCP : 0;
	for (n = 0; off < len && n < MAX_DNS_PER_SEGMENT; n++) {
		if (dns_parse(pl + off, len - off, flags, &dm, &why) != 0) {
			r->stats.dns_bad++;
			log_debug("DNS %s: %s", d.dir == DNS_DIR_REPLY ?
			    "reply" : "query", why);
			return;
		}
		names_one(r, &d, now);
		if (!(flags & DNS_PARSE_TCP) || dm.wire_len == 0)
			break;
		off += dm.wire_len;
	}
}

/* dest.host of a connection: "" when no trusted answer named it. */
const char *
names_host(struct ruled *r, const struct msg_conn *c)
{
	const char	*h;

	h = dnscache_host(cache, c->uid, &c->t, ruled_now_ms());
	if (h == NULL)
		r->stats.host_unknown++;
	return h != NULL ? h : "";
}

void
names_expire(void)
{
	dnstrack_expire(track, ruled_now_ms());
}
