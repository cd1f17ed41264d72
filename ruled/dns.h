/*
 * dns.h: ruled's DNS snooping.  dns.c parses one DNS message from the
 * bytes packetd copied (nothing is trusted yet), dnstrack.c remembers the
 * queries seen leaving and says whether a reply answers one of them, and
 * dnscache.c maps an address to the name an application asked for, fed
 * only by replies the tracker trusted.
 *
 * All three are pure computation: no I/O, no clock (the caller passes
 * "now", CLOCK_MONOTONIC in milliseconds) and no randomness (the caller
 * passes the hash key).  Every bound of the three is defined here.
 */
#ifndef TATTLE_DNS_H
#define TATTLE_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"		/* the tables' keyed hash */

/* The wire (RFC 1035 2.3.4, 4.1; RFC 2181). */
#define DNS_HDR_LEN		12
#define MAX_DNS_MSG		65535	/* TCP adds a 2-byte prefix */
#define MAX_DNS_NAME		255	/* wire octets, root included */
#define MAX_DNS_LABEL		63
#define DNS_NAME_SIZE		256	/* text and NUL: <= 253 chars */
#define DNS_PORT		53

/* The parser: pointers per name, answers kept, CNAME links followed. */
#define MAX_DNS_PTRS		32
#define MAX_DNS_ANSWERS		32
#define MAX_DNS_CHAIN		16
#define DNS_ERR_SIZE		96

/*
 * The tracker: queries waiting for their reply, in all and from one
 * client address and port (the oldest gives way), and for how long
 * (glibc waits 5 s and tries twice).
 */
#define MAX_DNSTRACK_QUERIES	4096
#define MAX_DNSTRACK_PER_CLIENT	64
#define DNSTRACK_TIMEOUT_MS	10000

/*
 * The cache: entries, and bytes of entries with their names (LRU
 * eviction keeps both); TTLs in seconds, clamped as dnscache.c says; a
 * query's own name lives DNSCACHE_QUERY_TTL.
 */
#define MAX_DNSCACHE_ENTRIES	16384
#define MAX_DNSCACHE_BYTES	(4u * 1024 * 1024)
#define MIN_DNSCACHE_TTL	60
#define MAX_DNSCACHE_TTL	86400
#define DNSCACHE_QUERY_TTL	60

#define DNS_CLASS_IN		1
#define DNS_TYPE_A		1
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_AAAA		28

#define DNS_F_QR		0x8000
#define DNS_F_TC		0x0200
#define DNS_OPCODE(f)		(((f) >> 11) & 0xf)
#define DNS_RCODE(f)		((f) & 0xf)
#define DNS_OPCODE_QUERY	0
#define DNS_RCODE_NOERROR	0

/* dns_parse() flags, and its result besides 0 and -1. */
#define DNS_PARSE_TCP		0x1	/* buf starts with the length */
#define DNS_PARTIAL		(-2)	/* TCP: not all of it is here */

/* Names are text: labels joined by '.', ASCII lower case, no final dot. */
struct dns_rr {
	uint16_t	type;		/* DNS_TYPE_A, _AAAA or _CNAME */
	uint32_t	ttl;		/* seconds, as sent */
	char		name[DNS_NAME_SIZE];	/* owner */
	uint8_t		addr[16];	/* A: the first 4 bytes */
	char		target[DNS_NAME_SIZE];	/* CNAME */
};

struct dns_msg {
	size_t		wire_len;	/* used, with any TCP prefix */
	uint16_t	id;
	uint16_t	flags;		/* header bits as sent */
	uint16_t	qtype;
	uint16_t	qclass;
	uint16_t	ancount;	/* as the header says */
	char		qname[DNS_NAME_SIZE];	/* root: "." */
	size_t		nrr;		/* kept in rr[] */
	size_t		nignored;	/* other answers, or past MAX */
	struct dns_rr	rr[MAX_DNS_ANSWERS];
	char		err[DNS_ERR_SIZE];	/* the why */
};

int		 dns_parse(const uint8_t *, size_t, int, struct dns_msg *,
		    const char **);

#endif /* TATTLE_DNS_H */
