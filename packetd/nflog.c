/*
 * nflog.c: bind one NFLOG group and read its copies.  Opened as root
 * before the sandbox; afterwards only recv(2) (recvfrom) on its socket.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nflog.h"

struct nflog {
	struct mnl_socket	*nl;
	uint16_t		 group;
	uint32_t		 seq;
	uint8_t			 buf[NFLOG_BUF_SIZE];
};

static struct nlmsghdr *nflog_cfg_msg(struct nflog *, void *);
static int	 nflog_ack(struct nflog *, uint32_t, char *, size_t);
static int	 nflog_attr_cb(const struct nlattr *, void *);
static void	 nflog_one(const struct nlmsghdr *, nflog_pkt_fn, void *);

static struct nlmsghdr *
nflog_cfg_msg(struct nflog *l, void *buf)
{
	struct nlmsghdr	*nlh;
	struct nfgenmsg	*g;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++l->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(l->group);
	return nlh;
}

/* The kernel's answer to message seq: 0, or -1 with err. */
static int
nflog_ack(struct nflog *l, uint32_t seq, char *err, size_t errlen)
{
	struct pollfd		 pfd;
	const struct nlmsghdr	*nlh;
	const struct nlmsgerr	*e;
	ssize_t			 n;
	int			 len;

	pfd.fd = mnl_socket_get_fd(l->nl);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, NFLOG_ACK_TIMEOUT_MS) <= 0) {
			snprintf(err, errlen, "no answer from the kernel");
			return -1;
		}
		if ((n = mnl_socket_recvfrom(l->nl, l->buf, sizeof(l->buf)))
		    == -1) {
			snprintf(err, errlen, "recv: %s", strerror(errno));
			return -1;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)l->buf;
		    mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq ||
			    nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error == 0)
				return 0;
			snprintf(err, errlen, "%s%s", strerror(-e->error),
			    e->error == -EBUSY ? " (another program has "
			    "bound the group)" : "");
			return -1;
		}
	}
}

/*
 * Bind group: whole packets (up to 64 KiB), each sent at once, with the
 * uid of the socket that sent it.  NULL with err on failure.
 */
struct nflog *
nflog_open(uint16_t group, char *err, size_t errlen)
{
	char				 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nflog			*l;
	struct nlmsghdr			*nlh;
	struct nfulnl_msg_config_cmd	 cmd;
	struct nfulnl_msg_config_mode	 mode;
	int				 rcv = NFLOG_RCVBUF;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	l->group = group;
	l->seq = (uint32_t)time(NULL);
	if ((l->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) ==
	    NULL || mnl_socket_bind(l->nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		snprintf(err, errlen, "netlink socket: %s", strerror(errno));
		goto fail;
	}
	/* Root may exceed rmem_max; a copy lost to a full buffer is
	 * counted, never waited for. */
	if (setsockopt(mnl_socket_get_fd(l->nl), SOL_SOCKET, SO_RCVBUFFORCE,
	    &rcv, sizeof(rcv)) == -1 &&
	    setsockopt(mnl_socket_get_fd(l->nl), SOL_SOCKET, SO_RCVBUF, &rcv,
	    sizeof(rcv)) == -1) {
		snprintf(err, errlen, "SO_RCVBUF: %s", strerror(errno));
		goto fail;
	}
	nlh = nflog_cfg_msg(l, buf);
	memset(&cmd, 0, sizeof(cmd));
	cmd.command = NFULNL_CFG_CMD_BIND;
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	if (mnl_socket_sendto(l->nl, nlh, nlh->nlmsg_len) == -1 ||
	    nflog_ack(l, nlh->nlmsg_seq, err, errlen) == -1)
		goto fail_bind;
	nlh = nflog_cfg_msg(l, buf);
	memset(&mode, 0, sizeof(mode));
	mode.copy_mode = NFULNL_COPY_PACKET;
	mode.copy_range = htonl(0xffff);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	if (mnl_socket_sendto(l->nl, nlh, nlh->nlmsg_len) == -1 ||
	    nflog_ack(l, nlh->nlmsg_seq, err, errlen) == -1)
		goto fail_bind;
	return l;
fail_bind:
	if (err[0] == '\0')
		snprintf(err, errlen, "send: %s", strerror(errno));
fail:
	if (l->nl != NULL)
		mnl_socket_close(l->nl);
	free(l);
	return NULL;
}

/* The kernel unbinds the group when the socket closes. */
void
nflog_close(struct nflog *l)
{
	if (l == NULL)
		return;
	mnl_socket_close(l->nl);
	free(l);
}

int
nflog_fd(const struct nflog *l)
{
	return l == NULL ? -1 : mnl_socket_get_fd(l->nl);
}

static int
nflog_attr_cb(const struct nlattr *a, void *arg)
{
	const struct nlattr	**tb = arg;
	int			  type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, NFULA_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case NFULA_PACKET_HDR:
		if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC,
		    sizeof(struct nfulnl_msg_packet_hdr)) < 0)
			return MNL_CB_OK;
		break;
	case NFULA_UID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;
		break;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

/* One copy: hands it on when it has a header and a payload. */
static void
nflog_one(const struct nlmsghdr *nlh, nflog_pkt_fn fn, void *arg)
{
	const struct nlattr			*tb[NFULA_MAX + 1];
	const struct nfulnl_msg_packet_hdr	*ph;
	struct nflog_pkt			 p;

	if (nlh->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET))
		return;
	memset(tb, 0, sizeof(tb));
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), nflog_attr_cb, tb) <
	    0 || tb[NFULA_PACKET_HDR] == NULL || tb[NFULA_PAYLOAD] == NULL)
		return;
	ph = mnl_attr_get_payload(tb[NFULA_PACKET_HDR]);
	memset(&p, 0, sizeof(p));
	p.hook = ph->hook;
	if (tb[NFULA_UID] != NULL) {
		p.uid = ntohl(mnl_attr_get_u32(tb[NFULA_UID]));
		p.flags |= NP_UID;
	}
	p.data = mnl_attr_get_payload(tb[NFULA_PAYLOAD]);
	p.len = mnl_attr_get_payload_len(tb[NFULA_PAYLOAD]);
	fn(&p, arg);
}

/*
 * Read every copy waiting (at most MAX_NFLOG_DRAIN), in the kernel's
 * order.  Returns how many were read; *lost grows by one for each time
 * the kernel said it had to throw copies away (ENOBUFS).
 */
int
nflog_drain(struct nflog *l, nflog_pkt_fn fn, void *arg, uint64_t *lost)
{
	const struct nlmsghdr	*nlh;
	ssize_t			 n;
	int			 len, count = 0;

	while (count < MAX_NFLOG_DRAIN) {
		n = recv(mnl_socket_get_fd(l->nl), l->buf, sizeof(l->buf),
		    MSG_DONTWAIT);
		if (n == -1) {
			if (errno == ENOBUFS) {
				(*lost)++;
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return count;
			return -1;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)l->buf;
		    mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			nflog_one(nlh, fn, arg);
			count++;
		}
	}
	return count;
}
