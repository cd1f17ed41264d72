/*
 * packetd-pkt.c: pkt_parse() on crafted packets of every kind, on every
 * truncation of them (each in a heap buffer of exactly that size, so
 * that a sanitizer build catches any read past the end), and on noise.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "pkt.h"

#define NOISE_ROUNDS	200000

static uint8_t	 buf[2048];

static size_t	 ip4(uint8_t *, uint8_t, size_t, size_t);
static size_t	 ip6(uint8_t *, uint8_t, size_t);
static void	 put16(uint8_t *, uint16_t);
static size_t	 tcp(uint8_t *, uint16_t, uint16_t, uint8_t, size_t);
static size_t	 udp(uint8_t *, uint16_t, uint16_t, size_t);
static int	 parse(const uint8_t *, size_t, struct pkt_info *,
		    const char **);
static void	 test_ipv4_tcp(void);
static void	 test_ipv4_udp(void);
static void	 test_ipv4_bad(void);
static void	 test_ipv4_frag(void);
static void	 test_other_l4(void);
static void	 test_ipv6(void);
static void	 test_ipv6_ext(void);
static void	 test_ipv6_bad(void);
static void	 test_prefixes(void);
static size_t	 ext(uint8_t *, uint8_t, uint8_t);
static void	 test_noise(void);

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* IPv4 header of hl bytes (options zero) before l4len bytes at b+hl. */
static size_t
ip4(uint8_t *b, uint8_t proto, size_t hl, size_t l4len)
{
	memset(b, 0, hl);
	b[0] = (uint8_t)(0x40 | (hl / 4));
	put16(b + 2, (uint16_t)(hl + l4len));
	b[8] = 64;
	b[9] = proto;
	b[12] = 10; b[13] = 1; b[14] = 2; b[15] = 3;
	b[16] = 192; b[17] = 0; b[18] = 2; b[19] = 7;
	return hl + l4len;
}

/* IPv6 header; the payload length covers plen bytes after it. */
static size_t
ip6(uint8_t *b, uint8_t nh, size_t plen)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	put16(b + 4, (uint16_t)plen);
	b[6] = nh;
	b[7] = 64;
	b[8] = 0x20; b[9] = 0x01; b[10] = 0x0d; b[11] = 0xb8; b[23] = 1;
	b[24] = 0x20; b[25] = 0x01; b[26] = 0x0d; b[27] = 0xb8; b[39] = 2;
	return 40 + plen;
}

static size_t
tcp(uint8_t *b, uint16_t sp, uint16_t dp, uint8_t flags, size_t pay)
{
	memset(b, 0, 20 + pay);
	put16(b, sp);
	put16(b + 2, dp);
	b[12] = 5 << 4;
	b[13] = flags;
	memset(b + 20, 'x', pay);
	return 20 + pay;
}

static size_t
udp(uint8_t *b, uint16_t sp, uint16_t dp, size_t pay)
{
	put16(b, sp);
	put16(b + 2, dp);
	put16(b + 4, (uint16_t)(8 + pay));
	put16(b + 6, 0);
	memset(b + 8, 'd', pay);
	return 8 + pay;
}

/* Parse from a heap copy of exactly len bytes. */
static int
parse(const uint8_t *p, size_t len, struct pkt_info *pi, const char **why)
{
	uint8_t		*c;
	int		 rv;
	ptrdiff_t	 off;

	if ((c = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(c, p, len);
	rv = pkt_parse(len ? c : NULL, len, pi, why);
	if (rv == 0 && pi->payload != NULL) {
		off = pi->payload - c;
		T_CHECK(off >= 0 && (size_t)off + pi->paylen <= len);
		pi->payload = p + off;	/* keep it valid after free */
	}
	free(c);
	return rv;
}

static void
test_ipv4_tcp(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 n;

	n = ip4(buf, IPPROTO_TCP, 20, tcp(buf + 20, 40000, 443, 0x02, 0));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.family, AF_INET);
	T_EQ_INT(pi.t.proto, IPPROTO_TCP);
	T_EQ_INT(pi.t.sport, 40000);
	T_EQ_INT(pi.t.dport, 443);
	T_EQ_INT(pi.t.saddr[0], 10);
	T_EQ_INT(pi.t.saddr[3], 3);
	T_EQ_INT(pi.t.daddr[0], 192);
	T_EQ_INT(pi.t.saddr[4], 0);
	T_EQ_INT(pi.t.pad, 0);
	T_EQ_INT(pi.flags, PKT_L4 | PKT_SYN);
	T_EQ_INT(pi.l4off, 20);
	T_EQ_INT(pi.paylen, 0);

	/* SYN+ACK and SYN+FIN are not a pure SYN. */
	n = ip4(buf, IPPROTO_TCP, 20, tcp(buf + 20, 1, 2, 0x12, 0));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags & PKT_SYN, 0);
	T_EQ_INT(pi.tcp_flags, 0x12);
	n = ip4(buf, IPPROTO_TCP, 20, tcp(buf + 20, 1, 2, 0x03, 0));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags & PKT_SYN, 0);
	/* SYN with ECN bits still is. */
	n = ip4(buf, IPPROTO_TCP, 20, tcp(buf + 20, 1, 2, 0xc2, 0));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags & PKT_SYN, PKT_SYN);

	/* Options in both headers; payload after the TCP options. */
	n = ip4(buf, IPPROTO_TCP, 24, tcp(buf + 24, 5353, 53, 0x18, 12 + 30));
	buf[24 + 12] = 8 << 4;		/* data offset 32 bytes */
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.l4off, 24);
	T_EQ_INT(pi.paylen, 30);
	T_CHECK(pi.payload == buf + 24 + 32);

	/* Bad data offsets. */
	n = ip4(buf, IPPROTO_TCP, 20, tcp(buf + 20, 1, 2, 0x02, 0));
	buf[32] = 4 << 4;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "tcp: data offset below 5 words");
	buf[32] = 6 << 4;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "tcp: data offset past the end");
	n = ip4(buf, IPPROTO_TCP, 20, 19);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "tcp: shorter than the minimal header");
}

static void
test_ipv4_udp(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 n;

	n = ip4(buf, IPPROTO_UDP, 20, udp(buf + 20, 53, 33000, 100));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.sport, 53);
	T_EQ_INT(pi.t.dport, 33000);
	T_EQ_INT(pi.paylen, 100);
	T_CHECK(pi.payload == buf + 28);
	T_EQ_INT(pi.flags, PKT_L4);

	/* Trailing bytes past the UDP length are not payload. */
	put16(buf + 24, 8 + 60);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.paylen, 60);
	put16(buf + 24, 7);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "udp: length field below 8");
	put16(buf + 24, 8 + 101);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "udp: length field past the end");

	/* A capture cut short: the IP length says more; payload is cut. */
	n = ip4(buf, IPPROTO_UDP, 20, udp(buf + 20, 53, 1000, 500));
	T_EQ_INT(parse(buf, 20 + 8 + 100, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_L4 | PKT_TRUNC);
	T_EQ_INT(pi.paylen, 100);
	(void)n;

	/* UDP-Lite: the length field is checksum coverage (0: all). */
	n = ip4(buf, IPPROTO_UDPLITE, 20, udp(buf + 20, 7, 9, 40));
	put16(buf + 24, 0);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, IPPROTO_UDPLITE);
	T_EQ_INT(pi.paylen, 40);
	n = ip4(buf, IPPROTO_UDP, 20, 7);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "udp: shorter than the header");
}

static void
test_ipv4_bad(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 n;

	T_EQ_INT(parse(buf, 0, &pi, &why), -1);
	T_EQ_STR(why, "ip: empty packet");
	n = ip4(buf, IPPROTO_TCP, 20, tcp(buf + 20, 1, 2, 2, 0));
	T_EQ_INT(parse(buf, 19, &pi, &why), -1);
	T_EQ_STR(why, "ipv4: shorter than the minimal header");
	buf[0] = 0x44;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ipv4: header length below 5 words");
	buf[0] = 0x4f;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ipv4: header length past the end");
	buf[0] = 0x45;
	put16(buf + 2, 19);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ipv4: total length shorter than the header");
	put16(buf + 2, 20);		/* no room left for TCP */
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "tcp: shorter than the minimal header");
	buf[0] = 0x55;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ip: version is neither 4 nor 6");
	/* ICMP carried by IPv6's number in IPv4 and vice versa. */
	n = ip4(buf, IPPROTO_ICMPV6, 20, 8);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "icmpv6: inside ipv4");
}

static void
test_ipv4_frag(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 n;

	/* First fragment, more to come: L4 header is there. */
	n = ip4(buf, IPPROTO_UDP, 20, udp(buf + 20, 5000, 53, 64));
	put16(buf + 6, 0x2000);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_L4 | PKT_MOREFRAGS);
	T_EQ_INT(pi.t.dport, 53);
	/* Non-first fragment: no L4 header, whatever the bytes say. */
	put16(buf + 6, 0x2000 | 185);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_FRAG);
	T_EQ_INT(pi.t.proto, IPPROTO_UDP);
	T_EQ_INT(pi.t.sport, 0);
	T_EQ_INT(pi.t.dport, 0);
	T_EQ_INT(pi.paylen, 0);
	T_CHECK(pi.payload == NULL);
	/* Last fragment, too short for any L4 header: still fine. */
	n = ip4(buf, IPPROTO_TCP, 20, 3);
	put16(buf + 6, 100);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_FRAG);
	/* First fragment cut inside the L4 header. */
	n = ip4(buf, IPPROTO_TCP, 20, 12);
	put16(buf + 6, 0x2000);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "tcp: shorter than the minimal header");
}

static void
test_other_l4(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 n;

	n = ip4(buf, IPPROTO_SCTP, 20, 12 + 16);
	put16(buf + 20, 3868);
	put16(buf + 22, 3869);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.sport, 3868);
	T_EQ_INT(pi.t.dport, 3869);
	T_EQ_INT(pi.paylen, 16);
	n = ip4(buf, IPPROTO_SCTP, 20, 11);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "sctp: shorter than the common header");

	n = ip4(buf, IPPROTO_DCCP, 20, 16 + 4);
	put16(buf + 20, 5001);
	put16(buf + 22, 5002);
	buf[24] = 4;			/* data offset: 16 bytes */
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.dport, 5002);
	T_EQ_INT(pi.paylen, 4);
	buf[24] = 2;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "dccp: data offset below 3 words");
	buf[24] = 6;
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "dccp: data offset past the end");
	n = ip4(buf, IPPROTO_DCCP, 20, 11);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "dccp: shorter than the generic header");

	n = ip4(buf, IPPROTO_ICMP, 20, 8 + 56);
	memset(buf + 20, 0, 8);
	buf[20] = 8;			/* echo request */
	put16(buf + 24, 0xbeef);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, IPPROTO_ICMP);
	T_EQ_INT(pi.icmp_type, 8);
	T_EQ_INT(pi.icmp_code, 0);
	T_EQ_INT(pi.echo_id, 0xbeef);
	T_EQ_INT(pi.t.sport, 0);
	T_EQ_INT(pi.t.dport, 0);
	T_EQ_INT(pi.paylen, 56);
	buf[20] = 3;			/* unreachable: no identifier */
	buf[21] = 3;
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.echo_id, 0);
	T_EQ_INT(pi.icmp_code, 3);
	n = ip4(buf, IPPROTO_ICMP, 20, 7);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "icmp: shorter than the header");

	/* A protocol without ports parses, without PKT_L4. */
	n = ip4(buf, 47, 20, 4);	/* GRE */
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, 47);
	T_EQ_INT(pi.flags, 0);
}

static void
test_ipv6(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 n;

	n = ip6(buf, IPPROTO_TCP, tcp(buf + 40, 50000, 80, 0x02, 0));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.family, AF_INET6);
	T_EQ_INT(pi.t.proto, IPPROTO_TCP);
	T_EQ_INT(pi.t.sport, 50000);
	T_EQ_INT(pi.t.dport, 80);
	T_EQ_INT(pi.t.saddr[0], 0x20);
	T_EQ_INT(pi.t.saddr[15], 1);
	T_EQ_INT(pi.t.daddr[15], 2);
	T_EQ_INT(pi.flags, PKT_L4 | PKT_SYN);
	T_EQ_INT(pi.l4off, 40);

	n = ip6(buf, IPPROTO_UDP, udp(buf + 40, 53, 40001, 300));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.paylen, 300);
	T_CHECK(pi.payload == buf + 48);
	/* Payload length past the bytes given: a cut capture. */
	T_EQ_INT(parse(buf, 40 + 8 + 10, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_L4 | PKT_TRUNC);
	T_EQ_INT(pi.paylen, 10);
	/* Payload length 0 (jumbo, BIG TCP): the bytes given are it. */
	put16(buf + 4, 0);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.paylen, 300);

	n = ip6(buf, IPPROTO_ICMPV6, 8 + 4);
	memset(buf + 40, 0, 12);
	buf[40] = 128;
	put16(buf + 44, 0x1234);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.icmp_type, 128);
	T_EQ_INT(pi.echo_id, 0x1234);
	T_EQ_INT(pi.paylen, 4);
	buf[40] = 135;			/* neighbour solicitation */
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.icmp_type, 135);
	T_EQ_INT(pi.echo_id, 0);
	n = ip6(buf, IPPROTO_ICMP, 8);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "icmp: inside ipv6");
	n = ip6(buf, IPPROTO_ICMPV6, 7);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "icmpv6: shorter than the header");
}

/* Extension header of 8*(units+1) bytes at b, next header nh. */
static size_t
ext(uint8_t *b, uint8_t nh, uint8_t units)
{
	memset(b, 0, (size_t)(units + 1) * 8);
	b[0] = nh;
	b[1] = units;
	return (size_t)(units + 1) * 8;
}

static void
test_ipv6_ext(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 off, n;

	/* hop-by-hop, destination options, routing, then UDP */
	off = 40;
	off += ext(buf + off, IPPROTO_DSTOPTS, 0);
	off += ext(buf + off, IPPROTO_ROUTING, 1);
	off += ext(buf + off, IPPROTO_UDP, 2);
	n = off + udp(buf + off, 1000, 53, 20);
	ip6(buf, IPPROTO_HOPOPTS, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, IPPROTO_UDP);
	T_EQ_INT(pi.t.dport, 53);
	T_EQ_INT(pi.l4off, 40 + 8 + 16 + 24);
	T_EQ_INT(pi.paylen, 20);

	/* hop-by-hop anywhere but first is refused */
	off = 40 + ext(buf + 40, IPPROTO_HOPOPTS, 0);
	off += ext(buf + off, IPPROTO_TCP, 0);
	n = off + tcp(buf + off, 1, 2, 2, 0);
	ip6(buf, IPPROTO_DSTOPTS, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: hop-by-hop options not first");

	/* AH (length in 4-byte units, minus 2), then TCP */
	memset(buf + 40, 0, 24);
	buf[40] = IPPROTO_TCP;
	buf[41] = 4;			/* (4 + 2) * 4 = 24 bytes */
	n = 64 + tcp(buf + 64, 7, 8, 2, 0);
	ip6(buf, IPPROTO_AH, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, IPPROTO_TCP);
	T_EQ_INT(pi.l4off, 64);
	T_EQ_INT(pi.t.dport, 8);

	/* first fragment (offset 0, M set), then UDP */
	memset(buf + 40, 0, 8);
	buf[40] = IPPROTO_UDP;
	put16(buf + 42, 0x0001);
	n = 48 + udp(buf + 48, 3, 4, 8);
	ip6(buf, IPPROTO_FRAGMENT, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_L4 | PKT_MOREFRAGS);
	T_EQ_INT(pi.t.dport, 4);
	/* later fragment: the protocol, no ports */
	put16(buf + 42, (uint16_t)(100 << 3));
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.flags, PKT_FRAG);
	T_EQ_INT(pi.t.proto, IPPROTO_UDP);
	T_EQ_INT(pi.t.dport, 0);

	/* ESP and "no next header" stop the walk. */
	n = ip6(buf, IPPROTO_ESP, 32);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, IPPROTO_ESP);
	T_EQ_INT(pi.flags, 0);
	n = 40 + ext(buf + 40, IPPROTO_NONE, 0);
	ip6(buf, IPPROTO_DSTOPTS, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.proto, IPPROTO_NONE);
	T_EQ_INT(pi.flags, 0);
}

static void
test_ipv6_bad(void)
{
	struct pkt_info	 pi;
	const char	*why;
	size_t		 off, n;
	int		 i;

	n = ip6(buf, IPPROTO_TCP, 0);
	T_EQ_INT(parse(buf, 39, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: shorter than the header");
	/* an extension header longer than the packet */
	n = 40 + ext(buf + 40, IPPROTO_TCP, 0);
	buf[41] = 5;
	ip6(buf, IPPROTO_ROUTING, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: extension header length past the end");
	/* a header cut before its length byte */
	ip6(buf, IPPROTO_DSTOPTS, 1);
	T_EQ_INT(parse(buf, 41, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: extension header past the end");
	ip6(buf, IPPROTO_AH, 1);
	T_EQ_INT(parse(buf, 41, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: AH header past the end");
	ip6(buf, IPPROTO_FRAGMENT, 7);
	T_EQ_INT(parse(buf, 47, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: fragment header past the end");
	/* a chain longer than MAX_PKT_EXTHDRS */
	off = 40;
	for (i = 0; i <= MAX_PKT_EXTHDRS; i++)
		off += ext(buf + off, IPPROTO_DSTOPTS, 0);
	n = off + udp(buf + off, 1, 2, 0);
	ip6(buf, IPPROTO_DSTOPTS, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), -1);
	T_EQ_STR(why, "ipv6: too many extension headers");
	/* exactly MAX_PKT_EXTHDRS is fine */
	off = 40;
	for (i = 0; i < MAX_PKT_EXTHDRS; i++)
		off += ext(buf + off, i + 1 < MAX_PKT_EXTHDRS ?
		    IPPROTO_DSTOPTS : IPPROTO_UDP, 0);
	n = off + udp(buf + off, 1, 2, 0);
	ip6(buf, IPPROTO_DSTOPTS, n - 40);
	T_EQ_INT(parse(buf, n, &pi, &why), 0);
	T_EQ_INT(pi.t.dport, 2);
}

/*
 * Every prefix of every kind of packet: parse or refuse, never read
 * past the end (the sanitizer build checks that), payload inside.
 */
static void
test_prefixes(void)
{
	uint8_t		 pk[8][256];
	size_t		 len[8], off, k, n;
	struct pkt_info	 pi;
	const char	*why;
	int		 ok, bad;

	len[0] = ip4(pk[0], IPPROTO_TCP, 28, tcp(pk[0] + 28, 1, 2, 2, 30));
	len[1] = ip4(pk[1], IPPROTO_UDP, 20, udp(pk[1] + 20, 1, 53, 60));
	len[2] = ip4(pk[2], IPPROTO_ICMP, 20, 16);
	len[3] = ip6(pk[3], IPPROTO_TCP, tcp(pk[3] + 40, 1, 2, 2, 10));
	off = 40 + ext(pk[4] + 40, IPPROTO_ROUTING, 1);
	off += ext(pk[4] + off, IPPROTO_UDP, 0);
	len[4] = off + udp(pk[4] + off, 9, 53, 40);
	ip6(pk[4], IPPROTO_HOPOPTS, len[4] - 40);
	len[5] = ip6(pk[5], IPPROTO_ICMPV6, 24);
	len[6] = ip4(pk[6], IPPROTO_SCTP, 20, 40);
	len[7] = ip4(pk[7], IPPROTO_DCCP, 20, 24);
	pk[7][24] = 3;
	ok = bad = 0;
	for (k = 0; k < 8; k++) {
		T_EQ_INT(parse(pk[k], len[k], &pi, &why), 0);
		for (n = 0; n <= len[k]; n++) {
			if (parse(pk[k], n, &pi, &why) == 0) {
				ok++;
				T_CHECK(why == NULL);
			} else {
				bad++;
				T_CHECK(why != NULL);
			}
		}
	}
	T_CHECK(ok > 0 && bad > 0);
}

/* Noise, and noise behind valid version nibbles: never a crash. */
static void
test_noise(void)
{
	struct pkt_info	 pi;
	const char	*why;
	uint32_t	 x = 2463534242u;
	size_t		 n, i;
	int		 r, fails = 0;

	for (r = 0; r < NOISE_ROUNDS; r++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		n = x % 128;
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (uint8_t)x;
		}
		if (n > 0 && (r & 1))
			buf[0] = (uint8_t)((r & 2 ? 0x60 : 0x45) |
			    (buf[0] & 0x0f));
		if (parse(buf, n, &pi, &why) == -1 && why == NULL)
			fails++;
	}
	T_EQ_INT(fails, 0);
}

int
main(void)
{
	test_ipv4_tcp();
	test_ipv4_udp();
	test_ipv4_bad();
	test_ipv4_frag();
	test_other_l4();
	test_ipv6();
	test_ipv6_ext();
	test_ipv6_bad();
	test_prefixes();
	test_noise();
	return t_done("packetd-pkt");
}
