/*
 * fw.c: install and remove the `inet tattle` table (see fw.h for the
 * rules).  Every change is one nfnetlink batch, so the kernel applies
 * all of it or none of it.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if_arp.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "fw.h"

#define FW_PROBE_CHAIN	"probe"
#define FW_CT_INVALID	0x01	/* NF_CT_STATE_INVALID_BIT */
#define FW_CT_ESTABLISHED 0x02	/* NF_CT_STATE_BIT(IP_CT_ESTABLISHED) */
#define FW_CT_NEW	0x08	/* NF_CT_STATE_BIT(IP_CT_NEW) */
#define FW_CT_UNTRACKED	0x40	/* NF_CT_STATE_UNTRACKED_BIT */
#define FW_CT_DIR_REPLY	1	/* IP_CT_DIR_REPLY */
#define FW_IPPROTO_IGMP	2
#define FW_TCP_FLAGS_OFF 13
#define FW_TCP_SYN	0x02
#define FW_TCP_FSRA	0x17	/* fin | syn | rst | ack */

/* One batch being built, and what each of its messages was for. */
struct fw_batch {
	struct mnl_nlmsg_batch	*b;
	char			 buf[MAX_FW_BATCH];
	uint32_t		 seq[MAX_FW_MSGS];
	const char		*what[MAX_FW_MSGS];
	int			 error[MAX_FW_MSGS];	/* -errno, 0: ok */
	int			 done[MAX_FW_MSGS];	/* answered */
	int			 nmsg;
	int			 broken;
	uint32_t		 begin_seq;
};

/* A rule under construction; the first failure sticks. */
struct fw_rule {
	struct nftnl_rule	*r;
	int			 broken;
};

static void	 fw_seterr(struct fw *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static int	 fw_batch_start(struct fw *, struct fw_batch *);
static void	 fw_batch_free(struct fw_batch *);
static struct nlmsghdr *fw_batch_msg(struct fw *, struct fw_batch *, uint16_t,
		    uint16_t, const char *);
static void	 fw_batch_next(struct fw *, struct fw_batch *);
static int	 fw_batch_send(struct fw *, struct fw_batch *, int);
static int	 fw_read_acks(struct fw *, struct fw_batch *, int *);
static void	 fw_add_table(struct fw *, struct fw_batch *, const char *,
		    uint16_t, uint16_t, const char *);
static void	 fw_add_chain(struct fw *, struct fw_batch *, const char *,
		    const char *, int, int, const char *);
static void	 fw_add_counter(struct fw *, struct fw_batch *, const char *,
		    const char *, const char *);
static void	 fw_add_rule(struct fw *, struct fw_batch *, const char *,
		    const char *, struct fw_rule *, const char *);
static void	 fw_rule_start(struct fw_rule *);
static void	 fw_expr_add(struct fw_rule *, struct nftnl_expr *);
static void	 fw_expr_meta(struct fw_rule *, uint32_t);
static void	 fw_expr_cmp(struct fw_rule *, uint32_t, const void *,
		    uint32_t);
static void	 fw_expr_mask(struct fw_rule *, const void *, uint32_t);
static void	 fw_expr_payload(struct fw_rule *, uint32_t, uint32_t,
		    uint32_t);
static void	 fw_expr_l4proto(struct fw_rule *, uint8_t);
static void	 fw_expr_ctstate(struct fw_rule *, uint32_t, int);
static void	 fw_expr_ctreply(struct fw_rule *);
static void	 fw_expr_range(struct fw_rule *, uint32_t, uint8_t, uint8_t);
static void	 fw_expr_accept(struct fw_rule *);
static void	 fw_expr_oif_loopback(struct fw_rule *);
static void	 fw_expr_log(struct fw_rule *, uint16_t);
static void	 fw_expr_counter(struct fw_rule *, const char *);
static void	 fw_expr_port(struct fw_rule *, uint8_t, uint32_t, uint16_t);
static void	 fw_expr_reject(struct fw_rule *, uint32_t, uint8_t);
static void	 fw_expr_queue(struct fw_rule *, enum fw_qkind, uint16_t, int);
static void	 fw_rules_output(struct fw *, struct fw_batch *,
		    const struct fw_opts *, enum fw_qkind);
static void	 fw_rules_copy(struct fw *, struct fw_batch *,
		    const struct fw_opts *);
static void	 fw_rules_input(struct fw *, struct fw_batch *,
		    const struct fw_opts *);

static void
fw_seterr(struct fw *fw, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(fw->err, sizeof(fw->err), fmt, ap);
	va_end(ap);
}

/* A NETLINK_NETFILTER socket for fw_* only; no queue may be bound on it. */
struct mnl_socket *
fw_socket(void)
{
	struct mnl_socket	*nl;

	if ((nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

void
fw_init(struct fw *fw, struct mnl_socket *nl)
{
	memset(fw, 0, sizeof(*fw));
	fw->nl = nl;
	fw->seq = (uint32_t)time(NULL);
}

const char *
fw_qkind_name(enum fw_qkind k)
{
	switch (k) {
	case FW_QUEUE_NATIVE:
		return "nft queue";
	case FW_QUEUE_XT:
		return "xt NFQUEUE via nft_compat";
	case FW_QUEUE_AUTO:
		break;
	}
	return "none";
}

static int
fw_batch_start(struct fw *fw, struct fw_batch *fb)
{
	fb->nmsg = 0;
	fb->broken = 0;
	if ((fb->b = mnl_nlmsg_batch_start(fb->buf, sizeof(fb->buf))) == NULL) {
		fw_seterr(fw, "batch: %s", strerror(errno));
		return -1;
	}
	fb->begin_seq = fw->seq;
	nftnl_batch_begin(mnl_nlmsg_batch_current(fb->b), fw->seq++);
	mnl_nlmsg_batch_next(fb->b);
	return 0;
}

static void
fw_batch_free(struct fw_batch *fb)
{
	if (fb == NULL)
		return;
	if (fb->b != NULL)
		mnl_nlmsg_batch_stop(fb->b);
	free(fb);
}

/* Start a message that wants an ack; NULL once the batch is full. */
static struct nlmsghdr *
fw_batch_msg(struct fw *fw, struct fw_batch *fb, uint16_t type,
    uint16_t flags, const char *what)
{
	struct nlmsghdr	*nlh;

	if (fb->broken)
		return NULL;
	if (fb->nmsg == MAX_FW_MSGS) {
		fw_seterr(fw, "batch: more than %d messages", MAX_FW_MSGS);
		fb->broken = 1;
		return NULL;
	}
	fb->seq[fb->nmsg] = fw->seq;
	fb->what[fb->nmsg] = what;
	fb->error[fb->nmsg] = 0;
	fb->done[fb->nmsg] = 0;
	fb->nmsg++;
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(fb->b), type,
	    NFPROTO_INET, flags | NLM_F_ACK, fw->seq++);
	return nlh;
}

/* Close a message; a message that did not fit breaks the batch. */
static void
fw_batch_next(struct fw *fw, struct fw_batch *fb)
{
	if (!mnl_nlmsg_batch_next(fb->b)) {
		fw_seterr(fw, "batch: more than %d bytes", MAX_FW_BATCH);
		fb->broken = 1;
	}
}

/*
 * Send the batch.  Without the end message (commit == 0) the kernel
 * checks every message and then aborts the transaction: a dry run.
 * Returns 0 when every message was acknowledged without error.
 */
static int
fw_batch_send(struct fw *fw, struct fw_batch *fb, int commit)
{
	int	 failed;

	if (fb->broken)
		return -1;
	if (commit) {
		nftnl_batch_end(mnl_nlmsg_batch_current(fb->b), fw->seq++);
		fw_batch_next(fw, fb);
		if (fb->broken)
			return -1;
	}
	if (mnl_socket_sendto(fw->nl, mnl_nlmsg_batch_head(fb->b),
	    mnl_nlmsg_batch_size(fb->b)) == -1) {
		fw_seterr(fw, "send batch: %s", strerror(errno));
		return -1;
	}
	if (fw_read_acks(fw, fb, &failed) == -1)
		return -1;
	return failed ? -1 : 0;
}

/*
 * Read one answer per message.  Each NLMSG_ERROR names its message by
 * sequence number; fb->error[] keeps each message's -errno and fw->err
 * the first failure in words.
 */
static int
fw_read_acks(struct fw *fw, struct fw_batch *fb, int *failed)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct pollfd		 pfd;
	const struct nlmsghdr	*nlh;
	const struct nlmsgerr	*e;
	uint32_t		 portid;
	ssize_t			 n;
	int			 i, len, left, rv;

	*failed = 0;
	left = fb->nmsg;
	portid = mnl_socket_get_portid(fw->nl);
	pfd.fd = mnl_socket_get_fd(fw->nl);
	pfd.events = POLLIN;
	while (left > 0) {
		if ((rv = poll(&pfd, 1, FW_ACK_TIMEOUT_MS)) == -1) {
			if (errno == EINTR)
				continue;
			fw_seterr(fw, "poll: %s", strerror(errno));
			return -1;
		}
		if (rv == 0) {
			fw_seterr(fw, "no answer from the kernel in %d ms",
			    FW_ACK_TIMEOUT_MS);
			return -1;
		}
		if ((n = mnl_socket_recvfrom(fw->nl, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			fw_seterr(fw, "recv: %s", strerror(errno));
			return -1;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_pid != portid ||
			    nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			/* Refused whole (EPERM): no message gets an answer. */
			if (nlh->nlmsg_seq == fb->begin_seq && e->error != 0) {
				fw_seterr(fw, "batch: %s", strerror(-e->error));
				for (i = 0; i < fb->nmsg; i++)
					fb->error[i] = e->error;
				*failed = fb->nmsg;
				return 0;
			}
			for (i = 0; i < fb->nmsg; i++)
				if (fb->seq[i] == nlh->nlmsg_seq)
					break;
			if (i == fb->nmsg || fb->done[i])
				continue;
			fb->done[i] = 1;
			fb->error[i] = e->error;
			left--;
			if (e->error != 0 && (*failed)++ == 0)
				fw_seterr(fw, "%s: %s", fb->what[i],
				    strerror(-e->error));
		}
	}
	return 0;
}

static void
fw_add_table(struct fw *fw, struct fw_batch *fb, const char *name,
    uint16_t type, uint16_t flags, const char *what)
{
	struct nftnl_table	*t;
	struct nlmsghdr		*nlh;

	if ((t = nftnl_table_alloc()) == NULL) {
		fw_seterr(fw, "%s: %s", what, strerror(errno));
		fb->broken = 1;
		return;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	if (nftnl_table_set_str(t, NFTNL_TABLE_NAME, name) == -1)
		fb->broken = 1;
	if ((nlh = fw_batch_msg(fw, fb, type, flags, what)) != NULL) {
		nftnl_table_nlmsg_build_payload(nlh, t);
		fw_batch_next(fw, fb);
	}
	nftnl_table_free(t);
}

/* A base chain when hook >= 0, else a regular chain. */
static void
fw_add_chain(struct fw *fw, struct fw_batch *fb, const char *table,
    const char *name, int hook, int prio, const char *what)
{
	struct nftnl_chain	*c;
	struct nlmsghdr		*nlh;

	if ((c = nftnl_chain_alloc()) == NULL) {
		fw_seterr(fw, "%s: %s", what, strerror(errno));
		fb->broken = 1;
		return;
	}
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	if (nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table) == -1 ||
	    nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name) == -1)
		fb->broken = 1;
	if (hook >= 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		if (nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter") == -1)
			fb->broken = 1;
	}
	if ((nlh = fw_batch_msg(fw, fb, NFT_MSG_NEWCHAIN,
	    NLM_F_CREATE | NLM_F_EXCL, what)) != NULL) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		fw_batch_next(fw, fb);
	}
	nftnl_chain_free(c);
}

/* A named counter object in the table. */
static void
fw_add_counter(struct fw *fw, struct fw_batch *fb, const char *table,
    const char *name, const char *what)
{
	struct nftnl_obj	*o;
	struct nlmsghdr		*nlh;

	if ((o = nftnl_obj_alloc()) == NULL) {
		fw_seterr(fw, "%s: %s", what, strerror(errno));
		fb->broken = 1;
		return;
	}
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, NFPROTO_INET);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, table);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, name);
	if ((nlh = fw_batch_msg(fw, fb, NFT_MSG_NEWOBJ,
	    NLM_F_CREATE | NLM_F_EXCL, what)) != NULL) {
		nftnl_obj_nlmsg_build_payload(nlh, o);
		fw_batch_next(fw, fb);
	}
	nftnl_obj_free(o);
}

/* Append the rule to the batch and free it. */
static void
fw_add_rule(struct fw *fw, struct fw_batch *fb, const char *table,
    const char *chain, struct fw_rule *fr, const char *what)
{
	struct nlmsghdr	*nlh;

	if (fr->r == NULL || fr->broken) {
		fw_seterr(fw, "%s: cannot build: %s", what, strerror(ENOMEM));
		fb->broken = 1;
		goto out;
	}
	nftnl_rule_set_u32(fr->r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	if (nftnl_rule_set_str(fr->r, NFTNL_RULE_TABLE, table) == -1 ||
	    nftnl_rule_set_str(fr->r, NFTNL_RULE_CHAIN, chain) == -1) {
		fb->broken = 1;
		goto out;
	}
	if ((nlh = fw_batch_msg(fw, fb, NFT_MSG_NEWRULE,
	    NLM_F_CREATE | NLM_F_APPEND, what)) != NULL) {
		nftnl_rule_nlmsg_build_payload(nlh, fr->r);
		fw_batch_next(fw, fb);
	}
out:
	if (fr->r != NULL)
		nftnl_rule_free(fr->r);
	fr->r = NULL;
}

static void
fw_rule_start(struct fw_rule *fr)
{
	fr->broken = 0;
	if ((fr->r = nftnl_rule_alloc()) == NULL)
		fr->broken = 1;
}

static void
fw_expr_add(struct fw_rule *fr, struct nftnl_expr *e)
{
	if (e == NULL || fr->broken || fr->r == NULL) {
		fr->broken = 1;
		if (e != NULL)
			nftnl_expr_free(e);
		return;
	}
	nftnl_rule_add_expr(fr->r, e);
}

/* Every expression here works in register 1. */
static void
fw_expr_meta(struct fw_rule *fr, uint32_t key)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("meta")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	}
	fw_expr_add(fr, e);
}

static void
fw_expr_cmp(struct fw_rule *fr, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("cmp")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	fw_expr_add(fr, e);
}

/* reg1 = reg1 & mask */
static void
fw_expr_mask(struct fw_rule *fr, const void *mask, uint32_t len)
{
	static const uint8_t	 zero[4];
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("bitwise")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	}
	fw_expr_add(fr, e);
}

static void
fw_expr_payload(struct fw_rule *fr, uint32_t base, uint32_t off,
    uint32_t len)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("payload")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	}
	fw_expr_add(fr, e);
}

static void
fw_expr_l4proto(struct fw_rule *fr, uint8_t proto)
{
	fw_expr_meta(fr, NFT_META_L4PROTO);
	fw_expr_cmp(fr, NFT_CMP_EQ, &proto, sizeof(proto));
}

/* ct state & bits != 0 (any of them), or == 0 (none) when none is set */
static void
fw_expr_ctstate(struct fw_rule *fr, uint32_t bits, int none)
{
	struct nftnl_expr	*e;
	uint32_t		 zero = 0;

	if ((e = nftnl_expr_alloc("ct")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	}
	fw_expr_add(fr, e);
	fw_expr_mask(fr, &bits, sizeof(bits));
	fw_expr_cmp(fr, none ? NFT_CMP_EQ : NFT_CMP_NEQ, &zero, sizeof(zero));
}

/* ct direction reply */
static void
fw_expr_ctreply(struct fw_rule *fr)
{
	struct nftnl_expr	*e;
	uint8_t			 dir = FW_CT_DIR_REPLY;

	if ((e = nftnl_expr_alloc("ct")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_DIRECTION);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	}
	fw_expr_add(fr, e);
	fw_expr_cmp(fr, NFT_CMP_EQ, &dir, sizeof(dir));
}

/* reg1 (one byte) inside (NFT_RANGE_EQ) or outside [from, to] */
static void
fw_expr_range(struct fw_rule *fr, uint32_t op, uint8_t from, uint8_t to)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("range")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, &from, 1);
		nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, &to, 1);
	}
	fw_expr_add(fr, e);
}

static void
fw_expr_accept(struct fw_rule *fr)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("immediate")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
	}
	fw_expr_add(fr, e);
}

/*
 * A copy to NFLOG group, sent at once (threshold 1), whole up to
 * FW_LOG_SNAPLEN; the packet goes on, never held.
 */
/* meta oiftype loopback */
static void
fw_expr_oif_loopback(struct fw_rule *fr)
{
	uint16_t	 type = ARPHRD_LOOPBACK;

	fw_expr_meta(fr, NFT_META_OIFTYPE);
	fw_expr_cmp(fr, NFT_CMP_EQ, &type, sizeof(type));
}

static void
fw_expr_log(struct fw_rule *fr, uint16_t group)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("log")) != NULL) {
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, group);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, FW_LOG_SNAPLEN);
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD, 1);
	}
	fw_expr_add(fr, e);
}

/* counter name NAME */
static void
fw_expr_counter(struct fw_rule *fr, const char *name)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("objref")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE,
		    NFT_OBJECT_COUNTER);
		nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, name);
	}
	fw_expr_add(fr, e);
}

/* meta l4proto proto, th (sport: off 0, dport: off 2) == port */
static void
fw_expr_port(struct fw_rule *fr, uint8_t proto, uint32_t off, uint16_t port)
{
	uint16_t	 p = htons(port);

	fw_expr_l4proto(fr, proto);
	fw_expr_payload(fr, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2);
	fw_expr_cmp(fr, NFT_CMP_EQ, &p, sizeof(p));
}

static void
fw_expr_reject(struct fw_rule *fr, uint32_t type, uint8_t code)
{
	struct nftnl_expr	*e;

	if ((e = nftnl_expr_alloc("reject")) != NULL) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, type);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, code);
	}
	fw_expr_add(fr, e);
}

/*
 * The queue verdict: the native expression, or the xt NFQUEUE target
 * (revision 3) run by nft_compat.  The target's info block is handed to
 * libnftnl, which frees it with the expression.
 */
static void
fw_expr_queue(struct fw_rule *fr, enum fw_qkind k, uint16_t num, int bypass)
{
	struct nftnl_expr	*e;
	struct xt_NFQ_info_v3	*info;

	if (k == FW_QUEUE_NATIVE) {
		if ((e = nftnl_expr_alloc("queue")) != NULL) {
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, num);
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, 1);
			if (bypass)
				nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS,
				    NFT_QUEUE_FLAG_BYPASS);
		}
		fw_expr_add(fr, e);
		return;
	}
	if ((info = calloc(1, sizeof(*info))) == NULL) {
		fr->broken = 1;
		return;
	}
	info->queuenum = num;
	info->queues_total = 1;
	info->flags = bypass ? NFQ_FLAG_BYPASS : 0;
	if ((e = nftnl_expr_alloc("target")) == NULL) {
		free(info);
		fr->broken = 1;
		return;
	}
	nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, "NFQUEUE");
	nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, 3);
	nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, info, sizeof(*info));
	fw_expr_add(fr, e);
}

static void
fw_rules_output(struct fw *fw, struct fw_batch *fb, const struct fw_opts *o,
    enum fw_qkind k)
{
	struct fw_rule	 fr;
	uint32_t	 bit;
	uint16_t	 q = o->queue_num;
	uint8_t		 v;

	bit = o->reject_bit ? o->reject_bit : FW_REJECT_BIT_DEFAULT;

	/* Before tattled runs, nothing could ask about loopback. */
	if (o->boot) {
		fw_rule_start(&fr);
		fw_expr_oif_loopback(&fr);
		fw_expr_accept(&fr);
		fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
		    "rule: oif loopback -> accept (boot table)");
	}

	fw_rule_start(&fr);
	fw_expr_meta(&fr, NFT_META_MARK);
	fw_expr_mask(&fr, &bit, sizeof(bit));
	fw_expr_cmp(&fr, NFT_CMP_EQ, &bit, sizeof(bit));
	fw_expr_l4proto(&fr, IPPROTO_TCP);
	fw_expr_reject(&fr, NFT_REJECT_TCP_RST, 0);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: reject mark tcp -> reset");

	fw_rule_start(&fr);
	fw_expr_meta(&fr, NFT_META_MARK);
	fw_expr_mask(&fr, &bit, sizeof(bit));
	fw_expr_cmp(&fr, NFT_CMP_EQ, &bit, sizeof(bit));
	fw_expr_reject(&fr, NFT_REJECT_ICMPX_UNREACH,
	    NFT_REJECT_ICMPX_PORT_UNREACH);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: reject mark -> icmpx port-unreachable");

	/*
	 * What the kernel sends for a link to work and no program asks
	 * for: MLD (130-132, 143) and neighbour discovery (133-137), and
	 * IGMP, MLD's IPv4 twin.  Conntrack leaves MLD and ND untracked;
	 * the rule below for untracked packets would hold them.
	 */
	fw_rule_start(&fr);
	fw_expr_l4proto(&fr, IPPROTO_ICMPV6);
	fw_expr_payload(&fr, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	fw_expr_range(&fr, NFT_RANGE_EQ, 130, 137);
	fw_expr_accept(&fr);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: icmpv6 type 130-137 -> accept");

	fw_rule_start(&fr);
	fw_expr_l4proto(&fr, IPPROTO_ICMPV6);
	fw_expr_payload(&fr, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	v = 143;
	fw_expr_cmp(&fr, NFT_CMP_EQ, &v, 1);
	fw_expr_accept(&fr);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: icmpv6 type 143 -> accept");

	fw_rule_start(&fr);
	fw_expr_l4proto(&fr, FW_IPPROTO_IGMP);
	fw_expr_accept(&fr);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: igmp -> accept");

	/*
	 * Every pure SYN, whatever conntrack says: a SYN that reuses a
	 * 5-tuple conntrack still holds would otherwise not count as new
	 * and pass unasked.  Connections already open send no SYN, so they
	 * stay alone; a SYN retransmitted while held joins its decision.
	 */
	fw_rule_start(&fr);
	fw_expr_l4proto(&fr, IPPROTO_TCP);
	fw_expr_payload(&fr, NFT_PAYLOAD_TRANSPORT_HEADER, FW_TCP_FLAGS_OFF, 1);
	v = FW_TCP_FSRA;
	fw_expr_mask(&fr, &v, 1);
	v = FW_TCP_SYN;
	fw_expr_cmp(&fr, NFT_CMP_EQ, &v, 1);
	fw_expr_queue(&fr, k, q, o->fail_open);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: tcp syn -> queue");

	/* Every other protocol's new flows, whatever the protocol. */
	fw_rule_start(&fr);
	v = IPPROTO_TCP;
	fw_expr_meta(&fr, NFT_META_L4PROTO);
	fw_expr_cmp(&fr, NFT_CMP_NEQ, &v, 1);
	fw_expr_ctstate(&fr, FW_CT_NEW, 0);
	fw_expr_queue(&fr, k, q, o->fail_open);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: not tcp, ct new -> queue");

	/*
	 * What conntrack cannot follow (ICMP types it does not know, TCP
	 * out of window, a notrack elsewhere): each packet is asked about.
	 */
	fw_rule_start(&fr);
	fw_expr_ctstate(&fr, FW_CT_INVALID | FW_CT_UNTRACKED, 0);
	fw_expr_queue(&fr, k, q, o->fail_open);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, &fr,
	    "rule: ct invalid, untracked -> queue");
}

/*
 * The copy chain runs after the queue's (priority FW_COPY_PRIORITY):
 * only a DNS query the verdict accepted reaches it.
 */
static void
fw_rules_copy(struct fw *fw, struct fw_batch *fb, const struct fw_opts *o)
{
	struct fw_rule	 fr;
	uint16_t	 g = FW_LOG_GROUP(o->queue_num);

	fw_rule_start(&fr);
	fw_expr_port(&fr, IPPROTO_UDP, 2, 53);
	fw_expr_log(&fr, g);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_COPY, &fr,
	    "rule: udp dport 53 -> log group");

	fw_rule_start(&fr);
	fw_expr_port(&fr, IPPROTO_TCP, 2, 53);
	fw_expr_log(&fr, g);
	fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_COPY, &fr,
	    "rule: tcp dport 53 -> log group");
}

/*
 * Replies of flows that were accepted are copied; every other packet
 * from port 53 is only counted.
 */
static void
fw_rules_input(struct fw *fw, struct fw_batch *fb, const struct fw_opts *o)
{
	static const uint8_t	 protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	struct fw_rule		 fr;
	uint16_t		 g = FW_LOG_GROUP(o->queue_num);
	size_t			 i;

	for (i = 0; i < sizeof(protos); i++) {
		fw_rule_start(&fr);
		fw_expr_port(&fr, protos[i], 0, 53);
		fw_expr_ctstate(&fr, FW_CT_ESTABLISHED, 0);
		fw_expr_ctreply(&fr);
		fw_expr_log(&fr, g);
		fw_expr_accept(&fr);
		fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_INPUT, &fr,
		    protos[i] == IPPROTO_UDP ?
		    "rule: udp sport 53 reply -> log group" :
		    "rule: tcp sport 53 reply -> log group");

		fw_rule_start(&fr);
		fw_expr_port(&fr, protos[i], 0, 53);
		fw_expr_counter(&fr, FW_COUNTER_UNSOLICITED);
		fw_add_rule(fw, fb, FW_TABLE, FW_CHAIN_INPUT, &fr,
		    protos[i] == IPPROTO_UDP ?
		    "rule: udp sport 53 -> counter" :
		    "rule: tcp sport 53 -> counter");
	}
}

/*
 * Ask the kernel, in a dry run that commits nothing, which queue
 * expression it accepts.  Sets *kind to FW_QUEUE_NATIVE or FW_QUEUE_XT;
 * -1 when it takes neither (fw->err says why).
 */
int
fw_probe(struct fw *fw, enum fw_qkind *kind)
{
	struct fw_batch	*fb;
	struct fw_rule	 fr;
	int		 failed, native, xt, rv = -1;

	if ((fb = calloc(1, sizeof(*fb))) == NULL) {
		fw_seterr(fw, "probe: %s", strerror(errno));
		return -1;
	}
	if (fw_batch_start(fw, fb) == -1)
		goto out;
	fw_add_table(fw, fb, FW_TABLE, NFT_MSG_NEWTABLE, NLM_F_CREATE,
	    "probe: table");
	fw_add_chain(fw, fb, FW_TABLE, FW_PROBE_CHAIN, -1, 0,
	    "probe: chain");
	fw_rule_start(&fr);
	fw_expr_queue(&fr, FW_QUEUE_NATIVE, 0, 0);
	fw_add_rule(fw, fb, FW_TABLE, FW_PROBE_CHAIN, &fr,
	    "probe: nft queue");
	fw_rule_start(&fr);
	fw_expr_queue(&fr, FW_QUEUE_XT, 0, 0);
	fw_add_rule(fw, fb, FW_TABLE, FW_PROBE_CHAIN, &fr,
	    "probe: xt NFQUEUE");
	if (fb->broken)
		goto out;
	if (mnl_socket_sendto(fw->nl, mnl_nlmsg_batch_head(fb->b),
	    mnl_nlmsg_batch_size(fb->b)) == -1) {
		fw_seterr(fw, "probe: send: %s", strerror(errno));
		goto out;
	}
	if (fw_read_acks(fw, fb, &failed) == -1)
		goto out;
	if (fb->error[0] != 0 || fb->error[1] != 0) {
		fw_seterr(fw, "probe: cannot create a table: %s",
		    strerror(-(fb->error[0] ? fb->error[0] : fb->error[1])));
		goto out;
	}
	native = fb->error[2] == 0;
	xt = fb->error[3] == 0;
	if (native)
		*kind = FW_QUEUE_NATIVE;
	else if (xt)
		*kind = FW_QUEUE_XT;
	else {
		fw_seterr(fw, "kernel has neither the nft queue expression "
		    "(CONFIG_NFT_QUEUE: %s) nor xt NFQUEUE through nft_compat "
		    "(CONFIG_NFT_COMPAT, CONFIG_NETFILTER_XT_TARGET_NFQUEUE: "
		    "%s)", strerror(-fb->error[2]), strerror(-fb->error[3]));
		goto out;
	}
	rv = 0;
out:
	fw_batch_free(fb);
	return rv;
}

/* 1 if `inet tattle` exists, 0 if not, -1 on error. */
int
fw_exists(struct fw *fw)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_table	*t;
	struct nlmsghdr		*nlh;
	struct pollfd		 pfd;
	const struct nlmsgerr	*e;
	uint32_t		 seq, portid;
	ssize_t			 n;
	int			 len, found;

	if ((t = nftnl_table_alloc()) == NULL) {
		fw_seterr(fw, "get table: %s", strerror(errno));
		return -1;
	}
	seq = fw->seq++;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, NFPROTO_INET,
	    NLM_F_ACK, seq);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, FW_TABLE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (mnl_socket_sendto(fw->nl, nlh, nlh->nlmsg_len) == -1) {
		fw_seterr(fw, "get table: send: %s", strerror(errno));
		return -1;
	}
	portid = mnl_socket_get_portid(fw->nl);
	pfd.fd = mnl_socket_get_fd(fw->nl);
	pfd.events = POLLIN;
	/* The table comes first, then the ack; or only an error. */
	for (found = 0;;) {
		if (poll(&pfd, 1, FW_ACK_TIMEOUT_MS) <= 0) {
			fw_seterr(fw, "get table: no answer");
			return -1;
		}
		if ((n = mnl_socket_recvfrom(fw->nl, buf, sizeof(buf))) == -1) {
			fw_seterr(fw, "get table: recv: %s", strerror(errno));
			return -1;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_pid != portid || nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				found = 1;
				continue;
			}
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error == -ENOENT)
				return 0;
			if (e->error != 0) {
				fw_seterr(fw, "get table: %s",
				    strerror(-e->error));
				return -1;
			}
			return found;
		}
	}
}

/*
 * The packets named counter NAME of the table has counted, in *pkts.
 * 0, or -1 with fw->err.
 */
int
fw_counter(struct fw *fw, const char *name, uint64_t *pkts)
{
	char			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_obj	*o;
	struct nlmsghdr		*nlh;
	struct pollfd		 pfd;
	const struct nlmsgerr	*e;
	uint32_t		 seq, portid;
	ssize_t			 n;
	int			 len, found = 0;

	if ((o = nftnl_obj_alloc()) == NULL) {
		fw_seterr(fw, "get counter: %s", strerror(errno));
		return -1;
	}
	seq = fw->seq++;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETOBJ, NFPROTO_INET,
	    NLM_F_ACK, seq);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, FW_TABLE);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	if (mnl_socket_sendto(fw->nl, nlh, nlh->nlmsg_len) == -1) {
		fw_seterr(fw, "get counter: send: %s", strerror(errno));
		nftnl_obj_free(o);
		return -1;
	}
	portid = mnl_socket_get_portid(fw->nl);
	pfd.fd = mnl_socket_get_fd(fw->nl);
	pfd.events = POLLIN;
	/* The object comes first, then the ack; or only an error. */
	for (;;) {
		if (poll(&pfd, 1, FW_ACK_TIMEOUT_MS) <= 0) {
			fw_seterr(fw, "get counter: no answer");
			break;
		}
		if ((n = mnl_socket_recvfrom(fw->nl, buf, sizeof(buf))) == -1) {
			fw_seterr(fw, "get counter: recv: %s",
			    strerror(errno));
			break;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_pid != portid || nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				if (nftnl_obj_nlmsg_parse(nlh, o) == 0 &&
				    nftnl_obj_is_set(o, NFTNL_OBJ_CTR_PKTS)) {
					*pkts = nftnl_obj_get_u64(o,
					    NFTNL_OBJ_CTR_PKTS);
					found = 1;
				}
				continue;
			}
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			nftnl_obj_free(o);
			if (e->error != 0) {
				fw_seterr(fw, "get counter %s: %s", name,
				    strerror(-e->error));
				return -1;
			}
			if (!found)
				fw_seterr(fw, "get counter %s: no packets "
				    "count in the answer", name);
			return found ? 0 : -1;
		}
	}
	nftnl_obj_free(o);
	return -1;
}

/*
 * Install the table in one batch: add (so that a delete cannot fail),
 * delete (drops a stale table left by a crash), add anew, chains, rules.
 * The kernel commits all of it at once or nothing.
 */
int
fw_install(struct fw *fw, const struct fw_opts *o)
{
	struct fw_batch	*fb;
	enum fw_qkind	 k;
	int		 rv = -1, ex;

	/* Probe once per struct fw; a later install reuses the answer. */
	if ((k = o->qkind) == FW_QUEUE_AUTO)
		k = fw->qkind;
	if (k == FW_QUEUE_AUTO) {
		if (fw_probe(fw, &k) == -1)
			return -1;
		fw->qkind = k;
	}
	if ((ex = fw_exists(fw)) == -1)
		return -1;
	if ((fb = calloc(1, sizeof(*fb))) == NULL) {
		fw_seterr(fw, "install: %s", strerror(errno));
		return -1;
	}
	if (fw_batch_start(fw, fb) == -1)
		goto out;
	fw_add_table(fw, fb, FW_TABLE, NFT_MSG_NEWTABLE, NLM_F_CREATE,
	    "table: add");
	fw_add_table(fw, fb, FW_TABLE, NFT_MSG_DELTABLE, 0, "table: flush");
	fw_add_table(fw, fb, FW_TABLE, NFT_MSG_NEWTABLE,
	    NLM_F_CREATE | NLM_F_EXCL, "table: create");
	fw_add_counter(fw, fb, FW_TABLE, FW_COUNTER_UNSOLICITED,
	    "counter: " FW_COUNTER_UNSOLICITED);
	fw_add_chain(fw, fb, FW_TABLE, FW_CHAIN_OUTPUT, NF_INET_LOCAL_OUT,
	    FW_PRIORITY, "chain: output");
	fw_add_chain(fw, fb, FW_TABLE, FW_CHAIN_COPY, NF_INET_LOCAL_OUT,
	    FW_COPY_PRIORITY, "chain: " FW_CHAIN_COPY);
	fw_add_chain(fw, fb, FW_TABLE, FW_CHAIN_INPUT, NF_INET_LOCAL_IN,
	    FW_PRIORITY, "chain: input");
	fw_rules_output(fw, fb, o, k);
	fw_rules_copy(fw, fb, o);
	fw_rules_input(fw, fb, o);
	if (fw_batch_send(fw, fb, 1) == -1)
		goto out;
	fw->qkind = k;
	fw->replaced = ex;
	rv = 0;
out:
	fw_batch_free(fb);
	return rv;
}

/* Delete the table; a table that is not there is not an error. */
int
fw_remove(struct fw *fw)
{
	struct fw_batch	*fb;
	int		 rv = -1;

	if ((fb = calloc(1, sizeof(*fb))) == NULL) {
		fw_seterr(fw, "remove: %s", strerror(errno));
		return -1;
	}
	if (fw_batch_start(fw, fb) == -1)
		goto out;
	fw_add_table(fw, fb, FW_TABLE, NFT_MSG_DELTABLE, 0, "table: delete");
	if (fw_batch_send(fw, fb, 1) == -1 && fb->error[0] != -ENOENT)
		goto out;
	fw->err[0] = '\0';
	rv = 0;
out:
	fw_batch_free(fb);
	return rv;
}
