/*
 * fw.h: tattle's own nftables table, `inet tattle`, built with libnftnl
 * and sent as one netlink batch.  No other table is ever named.
 *
 * Output chain (hook output, type filter, priority -150):
 *	mark & reject_bit == reject_bit, tcp	-> reject with tcp reset
 *	mark & reject_bit == reject_bit		-> reject (icmpx port-unreach)
 *	tcp, flags & (fin|syn|rst|ack) == syn, ct state new	-> queue num
 *	udp, udplite, sctp, dccp, icmp, ct state new		-> queue num
 *	icmpv6 (not MLD/ND types 130-137, 143), ct state new	-> queue num
 *	udp dport 53, tcp dport 53 (every other packet)	-> queue num + 1
 * Input chain (hook input, type filter, priority -150):
 *	udp sport 53, tcp sport 53			-> queue num + 1
 *
 * Priority -150 (mangle, as OpenSnitch): after conntrack (-200), so that
 * ct state is known, and before output NAT (-100), so that ruled judges
 * the destination the program asked for, not a rewritten one.  Type
 * filter, not route: tattle never changes what routing looks at on an
 * accepted packet.
 *
 * Reject: a verdict of NF_REPEAT with mark | reject_bit runs the chain
 * again and meets the first two rules.  TCP gets a reset; everything
 * else ICMP/ICMPv6 port-unreachable, which every program sees as
 * ECONNREFUSED in both families (admin-prohibited reads as EHOSTUNREACH
 * in IPv4 but EACCES in IPv6).
 *
 * Queue num carries packets that need a decision; queue num + 1 (the
 * copy queue) carries DNS packets that are only copied to ruled and
 * accepted at once.  Without the kernel's conntrack glue for NFQUEUE
 * (CONFIG_NETFILTER_NETLINK_GLUE_CT, unset here) the queue number is the
 * only way the kernel can tell userspace that a packet is not new.
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
#define FW_PRIORITY		(-150)	/* after conntrack, before NAT */
#define FW_REJECT_BIT_DEFAULT	0x10000000u
#define FW_COPY_QUEUE(n)	((uint16_t)((n) + 1))

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
	uint16_t	queue_num;	/* decisions; copy queue is +1 */
	uint32_t	reject_bit;	/* 0: FW_REJECT_BIT_DEFAULT */
	int		fail_open;	/* 1: bypass when no queue is bound */
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
const char	*fw_qkind_name(enum fw_qkind);

#endif /* TATTLE_FW_H */
