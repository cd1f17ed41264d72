/*
 * fw.h: tattle's own nftables table, `inet tattle`, built with libnftnl
 * and sent as one netlink batch.  No other table is ever named.
 *
 * Output chain (hook output, type filter, priority -150):
 *	oif type loopback (the boot table only)	-> accept
 *	mark & reject_bit == reject_bit, tcp	-> reject with tcp reset
 *	mark & reject_bit == reject_bit		-> reject (icmpx port-unreach)
 *	icmpv6 type 130-137 or 143 (MLD, ND); igmp	-> accept
 *	tcp, flags & (fin|syn|rst|ack) == syn		-> queue num
 *	meta l4proto != tcp, ct state new		-> queue num
 *	ct state invalid, untracked			-> queue num
 * Copy chain (hook output, type filter, priority -149):
 *	udp dport 53, tcp dport 53		-> log group FW_LOG_GROUP(num)
 * Input chain (hook input, type filter, priority -150):
 *	udp/tcp sport 53, ct state established, ct direction reply
 *						-> log group, accept
 *	udp/tcp sport 53			-> counter dns_unsolicited
 *
 * Priority -150 (mangle, as OpenSnitch): after conntrack (-200), so that
 * ct state is known, and before output NAT (-100), so that ruled judges
 * the destination the program asked for, not a rewritten one.  Type
 * filter, not route: tattle never changes what routing looks at on an
 * accepted packet.  The copy chain comes right after the queue's: a
 * packet the verdict dropped or rejected never reaches it, so only a
 * DNS query that left is copied.
 *
 * Reject: a verdict of NF_REPEAT with mark | reject_bit runs the chain
 * again and meets the first two rules.  TCP gets a reset; everything
 * else ICMP/ICMPv6 port-unreachable, which every program sees as
 * ECONNREFUSED in both families (admin-prohibited reads as EHOSTUNREACH
 * in IPv4 but EACCES in IPv6).
 *
 * DNS copies go through NFLOG (nft `log group`): the kernel sends a
 * copy and the packet goes on at once, so no flood of packets from port
 * 53 can fill a queue and hold real answers.  A reply is copied only
 * when conntrack saw it answer a flow that left (established, reply
 * direction); a query that was dropped left no conntrack entry, so a
 * reply forged to it is neither.  Every other packet from port 53 is
 * counted (`tattle stats`: dns_unsolicited).
 *
 * The boot table (tattled --boot-table, before the network is up) is the
 * same with loopback let through: nothing listens on the queue yet, so
 * every other new connection is dropped until tattled takes the table
 * over, in one batch like every install.
 *
 * Fail closed: no bypass flag unless fail_open, and no table owner flag
 * (an owned table would vanish with tattled's socket).
 */
#ifndef TATTLE_FW_H
#define TATTLE_FW_H

#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

#define FW_TABLE		"tattle"
#define FW_CHAIN_OUTPUT		"output"
#define FW_CHAIN_INPUT		"input"
#define FW_CHAIN_COPY		"dnscopy"
#define FW_COUNTER_UNSOLICITED	"dns_unsolicited"
#define FW_PRIORITY		(-150)	/* after conntrack, before NAT */
#define FW_COPY_PRIORITY	(-149)	/* after the queue's verdict */
#define FW_REJECT_BIT_DEFAULT	0x10000000u
#define FW_LOG_GROUP(n)		((uint16_t)(FW_LOG_GROUP_BASE + (n)))
#define FW_LOG_GROUP_BASE	29812	/* "tt": far from groups 0-9 */
#define FW_LOG_SNAPLEN		65535	/* the whole DNS message */

#define MAX_FW_BATCH		16384	/* bytes of one netlink batch */
#define MAX_FW_MSGS		32	/* messages in one batch */
#define MAX_FW_ERR		256	/* bytes of the last error text */
#define FW_ACK_TIMEOUT_MS	2000	/* wait for the kernel's answers */

enum fw_qkind {
	FW_QUEUE_AUTO = 0,	/* probe, prefer native */
	FW_QUEUE_NATIVE,	/* nft `queue` expression (CONFIG_NFT_QUEUE) */
	FW_QUEUE_XT,		/* xt NFQUEUE v3 through nft_compat */
};

struct fw_opts {
	uint16_t	queue_num;	/* decisions; log group from it */
	uint32_t	reject_bit;	/* 0: FW_REJECT_BIT_DEFAULT */
	int		fail_open;	/* 1: bypass when no queue is bound */
	int		boot;		/* 1: loaded before tattled runs */
	enum fw_qkind	qkind;		/* FW_QUEUE_AUTO probes */
};

struct fw {
	struct mnl_socket	*nl;	/* borrowed, never closed here */
	uint32_t		 seq;
	enum fw_qkind		 qkind;	/* in force after fw_install */
	int			 replaced; /* fw_install found a stale table */
	char			 err[MAX_FW_ERR];
};

struct mnl_socket *fw_socket(void);
void		 fw_init(struct fw *, struct mnl_socket *);
int		 fw_probe(struct fw *, enum fw_qkind *);
int		 fw_install(struct fw *, const struct fw_opts *);
int		 fw_remove(struct fw *);
int		 fw_exists(struct fw *);
int		 fw_counter(struct fw *, const char *, uint64_t *);
const char	*fw_qkind_name(enum fw_qkind);

#endif /* TATTLE_FW_H */
