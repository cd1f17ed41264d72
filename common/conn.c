/*
 * conn.c: what every process says the same way about a connection.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include "conn.h"

/* OpenSnitch's spelling of the protocol: lower case, "6" for IPv6. */
const char *
conn_proto_name(const struct conn_tuple *t)
{
	int	 v6 = t->family == AF_INET6;

	switch (t->proto) {
	case IPPROTO_TCP:
		return v6 ? "tcp6" : "tcp";
	case IPPROTO_UDP:
		return v6 ? "udp6" : "udp";
	case IPPROTO_UDPLITE:
		return v6 ? "udplite6" : "udplite";
	case IPPROTO_SCTP:
		return v6 ? "sctp6" : "sctp";
	case IPPROTO_DCCP:
		return v6 ? "dccp6" : "dccp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmp6";
	}
	return v6 ? "unknown6" : "unknown";
}
