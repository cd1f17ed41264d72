/*
 * pkt.h: the only parsing packetd does of packet bytes: the IPv4/IPv6
 * header (with IPv6 extension headers) and the fixed part of the L4
 * header.  Every length is checked before it is read; anything else is
 * an error with a reason, and the caller applies the default action.
 * Checksums are not verified (GSO packets leave the kernel without them).
 */
#ifndef TATTLE_PKT_H
#define TATTLE_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

#define MAX_PKT_EXTHDRS		16	/* IPv6 extension headers walked */

#define PKT_L4		0x01	/* the L4 header was read: ports, type */
#define PKT_SYN		0x02	/* TCP: SYN without FIN, RST or ACK */
#define PKT_FRAG	0x04	/* a non-first fragment: no L4 header */
#define PKT_MOREFRAGS	0x08	/* a first fragment; more follow */
#define PKT_TRUNC	0x10	/* the packet continues past the bytes given */

struct pkt_info {
	struct conn_tuple	 t;		/* ports 0 without PKT_L4 */
	uint8_t			 flags;		/* PKT_* */
	uint8_t			 tcp_flags;
	uint8_t			 icmp_type;
	uint8_t			 icmp_code;
	uint16_t		 echo_id;	/* echo identifier, else 0 */
	uint16_t		 l4off;		/* where the L4 header starts */
	const uint8_t		*payload;	/* L4 payload, in the buffer */
	size_t			 paylen;
};

int	pkt_parse(const uint8_t *, size_t, struct pkt_info *, const char **);

#endif /* TATTLE_PKT_H */
