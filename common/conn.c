/*
 * conn.c: what every process says the same way about a connection.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>

#include "conn.h"

/*
 * OpenSnitch's spelling of the protocol: lower case, "6" for IPv6.  A
 * protocol OpenSnitch has no name for goes by IANA's keyword where
 * tattle knows it, else by its number ("253"), in both families.
 */
const char *
conn_proto_name(const struct conn_tuple *t)
{
	static const char *const iana[] = {
		[2] = "igmp", [4] = "ipv4", [41] = "ipv6", [47] = "gre",
		[50] = "esp", [51] = "ah", [89] = "ospf", [103] = "pim",
		[112] = "vrrp", [115] = "l2tp", [137] = "mpls-in-ip",
	};
	static char	 num[256][4];
	int		 v6 = t->family == AF_INET6;

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
	if (t->proto < sizeof(iana) / sizeof(iana[0]) &&
	    iana[t->proto] != NULL)
		return iana[t->proto];
	/* Filled on first use; every process here is single-threaded. */
	if (num[t->proto][0] == '\0')
		snprintf(num[t->proto], sizeof(num[t->proto]), "%u",
		    (unsigned int)t->proto);
	return num[t->proto];
}
