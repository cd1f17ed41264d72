/*
 * dnscache.h: address -> the name an application asked for, the
 * connection's dest.host.  Filled only from replies dnstrack trusted, and
 * named by the question, not by the record: at the end of a CNAME chain
 * the address still carries the name first asked for (what OpenSnitch
 * reaches by walking its map back to the chain's root).  Also the
 * question name of each query by its tuple, the dest.host of the DNS
 * connection itself.  Bounds and TTL limits are in dns.h.
 *
 * Names are per uid: an answer to a query sent by uid U names addresses
 * only for connections of uid U.  OpenSnitch shares one map between all
 * processes, so that one user's lookup (or a process asking a server it
 * controls for an allowed name) labels every user's connections.  The
 * cost: where an application's lookup never crosses the wire as its own
 * uid (nscd, systemd-resolved over varlink/D-Bus), only the resolver's
 * uid gets the name and the application's dest.host stays unknown, which
 * is reported as unknown rather than borrowed.  A local stub on the wire
 * (127.0.0.53 over UDP/TCP) is seen as the application's uid.
 *
 * One uid, one address, one name: the newest trusted answer wins, so an
 * address shared by several names (a CDN) carries the last one asked
 * for by that uid, as in OpenSnitch.
 */
#ifndef TATTLE_DNSCACHE_H
#define TATTLE_DNSCACHE_H

#include <stdint.h>

#include "conn.h"
#include "dns.h"

struct dnscache;

struct dnscache_stats {
	uint64_t	entries;	/* now */
	uint64_t	bytes;		/* now: entries and names */
	uint64_t	added;		/* new entries */
	uint64_t	replaced;	/* same key, the newer answer won */
	uint64_t	evicted;	/* LRU, to keep the bounds */
	uint64_t	expired;	/* TTL ran out, found on lookup */
	uint64_t	ignored;	/* loopback, 0, off the chain */
	uint64_t	hits;
	uint64_t	misses;
};

struct dnscache	*dnscache_new(const uint8_t [HASH_KEY_LEN]);
void		 dnscache_free(struct dnscache *);
int		 dnscache_add_reply(struct dnscache *, uint32_t,
		    const struct dns_msg *, uint64_t);
int		 dnscache_add_query(struct dnscache *,
		    const struct conn_tuple *, const struct dns_msg *,
		    uint64_t);
const char	*dnscache_name(struct dnscache *, uint32_t, uint8_t,
		    const uint8_t *, uint64_t);
const char	*dnscache_query_name(struct dnscache *,
		    const struct conn_tuple *, uint64_t);
const char	*dnscache_host(struct dnscache *, uint32_t,
		    const struct conn_tuple *, uint64_t);
void		 dnscache_stats(const struct dnscache *,
		    struct dnscache_stats *);

#endif /* TATTLE_DNSCACHE_H */
