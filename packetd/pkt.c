/*
 * pkt.c: bounds-checked IPv4/IPv6 and L4 header parsing.  The reason
 * strings are static and name the field that was wrong.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <string.h>

#include "pkt.h"

#define IPV4_HDR_MIN	20
#define IPV6_HDR_LEN	40
#define IPV4_MF		0x2000
#define IPV4_OFFMASK	0x1fff
#define TCP_HDR_MIN	20
#define UDP_HDR_LEN	8
#define SCTP_HDR_LEN	12
#define DCCP_HDR_MIN	12
#define ICMP_HDR_LEN	8
#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_ACK		0x10
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8
#define ICMP6_ECHO	128
#define ICMP6_ECHOREPLY	129

static uint16_t	 pkt_be16(const uint8_t *);
static int	 pkt_ipv4(const uint8_t *, size_t, struct pkt_info *,
		    size_t *, const char **);
static int	 pkt_ipv6(const uint8_t *, size_t, struct pkt_info *,
		    size_t *, const char **);
static int	 pkt_ipv6_ext(const uint8_t *, size_t, size_t *, uint8_t *,
		    struct pkt_info *, const char **);
static int	 pkt_l4(const uint8_t *, size_t, size_t, struct pkt_info *,
		    const char **);
static int	 pkt_tcp(const uint8_t *, size_t, struct pkt_info *,
		    const char **);
static int	 pkt_udp(const uint8_t *, size_t, struct pkt_info *,
		    const char **);
static int	 pkt_ports(const uint8_t *, size_t, size_t, struct pkt_info *,
		    const char **);
static int	 pkt_icmp(const uint8_t *, size_t, struct pkt_info *, uint8_t,
		    const char **);

static uint16_t
pkt_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Parse the packet at p (len bytes, starting with the IP header).  0 and
 * *pi filled, or -1 with *why set.  A non-first fragment, ESP, "no next
 * header" and protocols without ports parse without PKT_L4.
 */
int
pkt_parse(const uint8_t *p, size_t len, struct pkt_info *pi, const char **why)
{
	size_t	 end, off;

	memset(pi, 0, sizeof(*pi));
	*why = NULL;
	if (p == NULL || len == 0) {
		*why = "ip: empty packet";
		return -1;
	}
	switch (p[0] >> 4) {
	case 4:
		if (pkt_ipv4(p, len, pi, &off, why) == -1)
			return -1;
		break;
	case 6:
		if (pkt_ipv6(p, len, pi, &off, why) == -1)
			return -1;
		break;
	default:
		*why = "ip: version is neither 4 nor 6";
		return -1;
	}
	/* pkt_ipv4/6 left the end of the IP datagram in pi->paylen. */
	end = pi->paylen;
	pi->paylen = 0;
	if (pi->flags & PKT_FRAG)
		return 0;
	return pkt_l4(p, off, end, pi, why);
}

static int
pkt_ipv4(const uint8_t *p, size_t len, struct pkt_info *pi, size_t *off,
    const char **why)
{
	size_t		 hl, tot;
	uint16_t	 frag;

	if (len < IPV4_HDR_MIN) {
		*why = "ipv4: shorter than the minimal header";
		return -1;
	}
	hl = (size_t)(p[0] & 0x0f) * 4;
	if (hl < IPV4_HDR_MIN) {
		*why = "ipv4: header length below 5 words";
		return -1;
	}
	if (hl > len) {
		*why = "ipv4: header length past the end";
		return -1;
	}
	tot = pkt_be16(p + 2);
	if (tot < hl) {
		*why = "ipv4: total length shorter than the header";
		return -1;
	}
	if (tot > len) {
		pi->flags |= PKT_TRUNC;
		tot = len;
	}
	pi->t.family = AF_INET;
	pi->t.proto = p[9];
	memcpy(pi->t.saddr, p + 12, 4);
	memcpy(pi->t.daddr, p + 16, 4);
	frag = pkt_be16(p + 6);
	if (frag & IPV4_OFFMASK)
		pi->flags |= PKT_FRAG;
	else if (frag & IPV4_MF)
		pi->flags |= PKT_MOREFRAGS;
	*off = hl;
	pi->paylen = tot;
	return 0;
}

static int
pkt_ipv6(const uint8_t *p, size_t len, struct pkt_info *pi, size_t *off,
    const char **why)
{
	size_t	 end, plen;
	uint8_t	 nh;

	if (len < IPV6_HDR_LEN) {
		*why = "ipv6: shorter than the header";
		return -1;
	}
	plen = pkt_be16(p + 4);
	/* 0: a jumbogram or a BIG TCP packet; the bytes given are it. */
	if (plen == 0)
		end = len;
	else if (IPV6_HDR_LEN + plen > len) {
		pi->flags |= PKT_TRUNC;
		end = len;
	} else
		end = IPV6_HDR_LEN + plen;
	pi->t.family = AF_INET6;
	memcpy(pi->t.saddr, p + 8, 16);
	memcpy(pi->t.daddr, p + 24, 16);
	nh = p[6];
	*off = IPV6_HDR_LEN;
	if (pkt_ipv6_ext(p, end, off, &nh, pi, why) == -1)
		return -1;
	pi->t.proto = nh;
	pi->paylen = end;
	return 0;
}

/*
 * Walk the extension headers from *off; leave *nh at the upper-layer
 * protocol and *off at its header.  ESP and "no next header" end the
 * walk (nothing readable follows), a non-first fragment too.
 */
static int
pkt_ipv6_ext(const uint8_t *p, size_t end, size_t *off, uint8_t *nh,
    struct pkt_info *pi, const char **why)
{
	size_t		 hl;
	uint16_t	 fo;
	int		 i;

	for (i = 0; i <= MAX_PKT_EXTHDRS; i++) {
		switch (*nh) {
		case IPPROTO_HOPOPTS:
			if (i != 0) {
				*why = "ipv6: hop-by-hop options not first";
				return -1;
			}
			/* FALLTHROUGH */
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (end - *off < 2) {
				*why = "ipv6: extension header past the end";
				return -1;
			}
			hl = ((size_t)p[*off + 1] + 1) * 8;
			break;
		case IPPROTO_AH:
			if (end - *off < 2) {
				*why = "ipv6: AH header past the end";
				return -1;
			}
			hl = ((size_t)p[*off + 1] + 2) * 4;
			break;
		case IPPROTO_FRAGMENT:
			hl = 8;
			if (end - *off < hl) {
				*why = "ipv6: fragment header past the end";
				return -1;
			}
			fo = pkt_be16(p + *off + 2);
			if (fo >> 3) {
				*nh = p[*off];
				*off += hl;
				pi->flags |= PKT_FRAG;
				return 0;
			}
			if (fo & 1)
				pi->flags |= PKT_MOREFRAGS;
			break;
		default:
			return 0;	/* upper layer, ESP, no next header */
		}
		if (end - *off < hl) {
			*why = "ipv6: extension header length past the end";
			return -1;
		}
		*nh = p[*off];
		*off += hl;
	}
	*why = "ipv6: too many extension headers";
	return -1;
}

static int
pkt_l4(const uint8_t *p, size_t off, size_t end, struct pkt_info *pi,
    const char **why)
{
	const uint8_t	*l4 = p + off;
	size_t		 n = end - off;

	pi->l4off = (uint16_t)(off > UINT16_MAX ? UINT16_MAX : off);
	switch (pi->t.proto) {
	case IPPROTO_TCP:
		return pkt_tcp(l4, n, pi, why);
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return pkt_udp(l4, n, pi, why);
	case IPPROTO_SCTP:
		return pkt_ports(l4, n, SCTP_HDR_LEN, pi, why);
	case IPPROTO_DCCP:
		return pkt_ports(l4, n, DCCP_HDR_MIN, pi, why);
	case IPPROTO_ICMP:
		if (pi->t.family != AF_INET) {
			*why = "icmp: inside ipv6";
			return -1;
		}
		return pkt_icmp(l4, n, pi, ICMP_ECHO, why);
	case IPPROTO_ICMPV6:
		if (pi->t.family != AF_INET6) {
			*why = "icmpv6: inside ipv4";
			return -1;
		}
		return pkt_icmp(l4, n, pi, ICMP6_ECHO, why);
	default:
		return 0;	/* no ports to read */
	}
}

static int
pkt_tcp(const uint8_t *l4, size_t n, struct pkt_info *pi, const char **why)
{
	size_t	 doff;

	if (n < TCP_HDR_MIN) {
		*why = "tcp: shorter than the minimal header";
		return -1;
	}
	doff = (size_t)(l4[12] >> 4) * 4;
	if (doff < TCP_HDR_MIN) {
		*why = "tcp: data offset below 5 words";
		return -1;
	}
	if (doff > n) {
		*why = "tcp: data offset past the end";
		return -1;
	}
	pi->t.sport = pkt_be16(l4);
	pi->t.dport = pkt_be16(l4 + 2);
	pi->tcp_flags = l4[13];
	if ((pi->tcp_flags & (TCP_FIN | TCP_SYN | TCP_RST | TCP_ACK)) ==
	    TCP_SYN)
		pi->flags |= PKT_SYN;
	pi->flags |= PKT_L4;
	pi->payload = l4 + doff;
	pi->paylen = n - doff;
	return 0;
}

/* UDP-Lite's length field is its checksum coverage, not the length. */
static int
pkt_udp(const uint8_t *l4, size_t n, struct pkt_info *pi, const char **why)
{
	size_t	 ulen;

	if (n < UDP_HDR_LEN) {
		*why = "udp: shorter than the header";
		return -1;
	}
	ulen = pkt_be16(l4 + 4);
	if (pi->t.proto == IPPROTO_UDP) {
		if (ulen < UDP_HDR_LEN) {
			*why = "udp: length field below 8";
			return -1;
		}
		if (ulen > n && !(pi->flags & PKT_TRUNC)) {
			*why = "udp: length field past the end";
			return -1;
		}
		if (ulen < n)
			n = ulen;
	}
	pi->t.sport = pkt_be16(l4);
	pi->t.dport = pkt_be16(l4 + 2);
	pi->flags |= PKT_L4;
	pi->payload = l4 + UDP_HDR_LEN;
	pi->paylen = n - UDP_HDR_LEN;
	return 0;
}

/* SCTP's common header and DCCP's generic header open with the ports. */
static int
pkt_ports(const uint8_t *l4, size_t n, size_t hl, struct pkt_info *pi,
    const char **why)
{
	size_t	 doff = hl;

	if (n < hl) {
		*why = pi->t.proto == IPPROTO_SCTP ?
		    "sctp: shorter than the common header" :
		    "dccp: shorter than the generic header";
		return -1;
	}
	if (pi->t.proto == IPPROTO_DCCP) {
		doff = (size_t)l4[4] * 4;
		if (doff < DCCP_HDR_MIN || doff > n) {
			*why = doff < DCCP_HDR_MIN ?
			    "dccp: data offset below 3 words" :
			    "dccp: data offset past the end";
			return -1;
		}
	}
	pi->t.sport = pkt_be16(l4);
	pi->t.dport = pkt_be16(l4 + 2);
	pi->flags |= PKT_L4;
	pi->payload = l4 + doff;
	pi->paylen = n - doff;
	return 0;
}

static int
pkt_icmp(const uint8_t *l4, size_t n, struct pkt_info *pi, uint8_t echo,
    const char **why)
{
	if (n < ICMP_HDR_LEN) {
		*why = pi->t.family == AF_INET ?
		    "icmp: shorter than the header" :
		    "icmpv6: shorter than the header";
		return -1;
	}
	pi->icmp_type = l4[0];
	pi->icmp_code = l4[1];
	if (l4[0] == echo || (echo == ICMP_ECHO && l4[0] == ICMP_ECHOREPLY) ||
	    (echo == ICMP6_ECHO && l4[0] == ICMP6_ECHOREPLY))
		pi->echo_id = pkt_be16(l4 + 4);
	pi->flags |= PKT_L4;
	pi->payload = l4 + ICMP_HDR_LEN;
	pi->paylen = n - ICMP_HDR_LEN;
	return 0;
}
