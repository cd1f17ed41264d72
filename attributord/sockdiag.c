/*
 * sockdiag.c: inet_diag requests for one socket.  TCP, UDP and UDPLITE
 * answer an exact request (no dump): the kernel does the same hash lookup
 * it does for a packet, so an unconnected UDP socket (bound, no peer) is
 * found by its local address and port.  For UDP the kernel reads the
 * request's source as the peer ("swapped for historical reasons" in
 * net/ipv4/udp_diag.c).  Raw and ICMP sockets need raw_diag, which
 * kernels built without CONFIG_INET_RAW_DIAG lack: that is reported as
 * SD_UNSUPPORTED, an unknown, not an error.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "attr_limits.h"
#include "sockdiag.h"

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE	136
#endif

struct sd_req {
	struct nlmsghdr		nlh;
	struct inet_diag_req_v2	req;
};

static int	sd_send(struct sockdiag *, struct sd_req *);
static int	sd_recv(struct sockdiag *, uint32_t, struct sockdiag_result *,
		    const struct conn_tuple *, int);
static int	sd_exact(struct sockdiag *, const struct conn_tuple *, int,
		    struct sockdiag_result *);
static int	sd_raw(struct sockdiag *, const struct conn_tuple *,
		    struct sockdiag_result *);
static void	sd_fill_id(struct inet_diag_sockid *, const struct conn_tuple *,
		    int);
static int	sd_probe_raw(struct sockdiag *);

int
sockdiag_open(struct sockdiag *sd)
{
	struct timeval	 tv;

	memset(sd, 0, sizeof(*sd));
	sd->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG);
	if (sd->fd == -1)
		return -1;
	tv.tv_sec = 0;
	tv.tv_usec = SOCKDIAG_TIMEOUT_MS * 1000;
	if (setsockopt(sd->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))
	    == -1) {
		sockdiag_close(sd);
		return -1;
	}
	sd->raw_ok = sd_probe_raw(sd);
	return 0;
}

void
sockdiag_close(struct sockdiag *sd)
{
	if (sd->fd != -1)
		close(sd->fd);
	sd->fd = -1;
}

static void
sd_fill_id(struct inet_diag_sockid *id, const struct conn_tuple *t,
    int swap)
{
	size_t	 alen = t->family == AF_INET ? 4 : 16;

	memset(id, 0, sizeof(*id));
	if (!swap) {
		id->idiag_sport = htons(t->sport);
		id->idiag_dport = htons(t->dport);
		memcpy(id->idiag_src, t->saddr, alen);
		memcpy(id->idiag_dst, t->daddr, alen);
	} else {
		id->idiag_sport = htons(t->dport);
		id->idiag_dport = htons(t->sport);
		memcpy(id->idiag_src, t->daddr, alen);
		memcpy(id->idiag_dst, t->saddr, alen);
	}
	id->idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	id->idiag_cookie[1] = INET_DIAG_NOCOOKIE;
}

static int
sd_send(struct sockdiag *sd, struct sd_req *r)
{
	struct sockaddr_nl	 sa;
	ssize_t			 n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	r->nlh.nlmsg_len = sizeof(*r);
	r->nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	r->nlh.nlmsg_seq = ++sd->seq;
	n = sendto(sd->fd, r, sizeof(*r), 0, (struct sockaddr *)&sa,
	    sizeof(sa));
	return n == (ssize_t)sizeof(*r) ? 0 : -1;
}

/*
 * Read answers to request seq.  For a dump, only a socket whose
 * addresses match t counts.  Returns an enum sockdiag_answer.
 */
static int
sd_recv(struct sockdiag *sd, uint32_t seq, struct sockdiag_result *res,
    const struct conn_tuple *t, int dump)
{
	static uint8_t		 buf[SOCKDIAG_BUFSIZE]
				    __attribute__((aligned(8)));
	struct nlmsghdr		*nlh;
	struct inet_diag_msg	*m;
	struct nlmsgerr		*e;
	ssize_t			 n;
	size_t			 left, alen = t->family == AF_INET ? 4 : 16;
	int			 found = SD_NOTFOUND, derr = 0;

	for (;;) {
		n = recv(sd->fd, buf, sizeof(buf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return SD_ERROR;	/* EAGAIN: past the bound */
		left = (size_t)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		    nlh = NLMSG_NEXT(nlh, left)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* A dump reports its error here. */
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&derr, NLMSG_DATA(nlh),
					    sizeof(derr));
				if (derr == -ENOENT)
					return SD_UNSUPPORTED;
				if (derr < 0) {
					errno = -derr;
					return SD_ERROR;
				}
				return found;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					goto bad;
				e = NLMSG_DATA(nlh);
				if (e->error == -ENOENT)
					return dump ? SD_UNSUPPORTED :
					    SD_NOTFOUND;
				if (e->error == 0)
					return found;
				errno = -e->error;
				return SD_ERROR;
			}
			if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				goto bad;
			m = NLMSG_DATA(nlh);
			if (dump && (ntohs(m->id.idiag_dport) != t->dport ||
			    memcmp(m->id.idiag_dst, t->daddr, alen) != 0))
				continue;
			if (found == SD_FOUND)
				continue;
			res->inode = m->idiag_inode;
			res->uid = m->idiag_uid;
			res->family = m->idiag_family;
			res->state = m->idiag_state;
			res->unconnected = m->id.idiag_dport == 0;
			found = SD_FOUND;
			if (!dump)
				return found;
		}
	}
 bad:
	errno = EPROTO;
	return SD_ERROR;
}

static int
sd_exact(struct sockdiag *sd, const struct conn_tuple *t, int swap,
    struct sockdiag_result *res)
{
	struct sd_req	 r;

	memset(&r, 0, sizeof(r));
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	r.req.sdiag_family = t->family;
	r.req.sdiag_protocol = t->proto;
	r.req.idiag_states = ~0U;
	sd_fill_id(&r.req.id, t, swap);
	if (sd_send(sd, &r) == -1)
		return SD_ERROR;
	return sd_recv(sd, r.nlh.nlmsg_seq, res, t, 0);
}

/*
 * raw_diag takes the raw protocol in the byte after sdiag_protocol
 * (struct inet_diag_req_raw's sdiag_raw_protocol, which overlays pad).
 */
static int
sd_raw(struct sockdiag *sd, const struct conn_tuple *t,
    struct sockdiag_result *res)
{
	struct sd_req	 r;

	if (!sd->raw_ok)
		return SD_UNSUPPORTED;
	memset(&r, 0, sizeof(r));
	r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r.req.sdiag_family = t->family;
	r.req.sdiag_protocol = IPPROTO_RAW;
	r.req.pad = t->proto;
	r.req.idiag_states = ~0U;
	if (sd_send(sd, &r) == -1)
		return SD_ERROR;
	return sd_recv(sd, r.nlh.nlmsg_seq, res, t, 1);
}

static int
sd_probe_raw(struct sockdiag *sd)
{
	struct sockdiag_result	 res;
	struct conn_tuple	 t;

	memset(&t, 0, sizeof(t));
	t.family = AF_INET;
	t.proto = IPPROTO_ICMP;
	sd->raw_ok = 1;
	return sd_raw(sd, &t, &res) == SD_UNSUPPORTED ? 0 : 1;
}

/*
 * Which socket sent t?  For UDP, first as the kernel would deliver a
 * reply (finds connected and unconnected sockets alike).
 */
int
sockdiag_lookup(struct sockdiag *sd, const struct conn_tuple *t,
    struct sockdiag_result *res)
{
	memset(res, 0, sizeof(*res));
	if (t->family != AF_INET && t->family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return SD_ERROR;
	}
	switch (t->proto) {
	case IPPROTO_TCP:
		return sd_exact(sd, t, 0, res);
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return sd_exact(sd, t, 1, res);
	default:
		return sd_raw(sd, t, res);
	}
}
