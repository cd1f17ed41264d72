/*
 * conn.h: a connection's 5-tuple as packetd reads it from the first
 * packet, shared by every process that talks about connections.
 */
#ifndef TATTLE_CONN_H
#define TATTLE_CONN_H

#include <stdint.h>

struct conn_tuple {
	uint8_t		family;		/* AF_INET or AF_INET6 */
	uint8_t		proto;		/* IPPROTO_TCP, _UDP, _ICMP, ... */
	uint16_t	sport;		/* host order; 0 without ports */
	uint16_t	dport;		/* host order; ICMP: 0 */
	uint16_t	pad;
	uint8_t		saddr[16];	/* IPv4: first 4 bytes, rest 0 */
	uint8_t		daddr[16];
};
_Static_assert(sizeof(struct conn_tuple) == 40, "conn_tuple size");

const char	*conn_proto_name(const struct conn_tuple *);

#endif /* TATTLE_CONN_H */
