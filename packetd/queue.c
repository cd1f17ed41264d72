/*
 * queue.c: bind NFQUEUE queues, read packets in batches, send verdicts
 * in batches.  Built on libnetfilter_queue's nfq_nlmsg_* helpers and
 * libmnl; no thread, no blocking read (queue_read() never waits).
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
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include "queue.h"

_Static_assert(QUEUE_SLOT_SIZE % NLMSG_ALIGNTO == 0, "slots stay aligned");
_Static_assert(QUEUE_SLOT_SIZE > QUEUE_COPY_RANGE + 1024,
    "room for the attributes around a packet");

/* Room for one verdict message: header, nfgenmsg, verdict, mark. */
#define QUEUE_VMSG_SIZE	64

struct queue_vbuf {
	uint32_t	id;
	uint32_t	verdict;
	uint32_t	mark;
	uint8_t		has_mark;
	uint8_t		qidx;
};

struct queue {
	struct mnl_socket	*nl;		/* borrowed */
	uint16_t		 nums[MAX_QUEUE_NUMS];
	int			 nnums;
	int			 fail_open;
	uint32_t		 portid;
	uint32_t		 seq;
	/* packets read minus verdicts buffered, per queue */
	int64_t			 open[MAX_QUEUE_NUMS];
	struct queue_vbuf	 vb[MAX_QUEUE_VERDICTS];
	size_t			 nvb;
	struct queue_stats	 st;
	struct mmsghdr		 mm[MAX_QUEUE_BATCH];
	struct iovec		 iov[MAX_QUEUE_BATCH];
	uint8_t			*slots;		/* MAX_QUEUE_BATCH slots */
	void			(*first)(void *);
	void			*first_arg;
	char			 out[MAX_QUEUE_VERDICTS * QUEUE_VMSG_SIZE];
};

static int	 queue_qidx(const struct queue *, uint16_t);
static int	 queue_config(struct queue *, uint16_t,
		    const struct queue_opts *, char *, size_t);
static int	 queue_wait_ack(struct queue *, uint32_t, char *, size_t);
static void	 queue_setup_verdict(struct queue *, const struct nlmsghdr *);
static int	 queue_msg(struct queue *, const struct nlmsghdr *,
		    struct queue_pkt *);
static void	 queue_datagram(struct queue *, const uint8_t *, size_t,
		    queue_pkt_fn, void *);
static void	 queue_truncated(struct queue *, const uint8_t *, size_t);
static int	 queue_id_before(uint32_t, uint32_t);
static void	 queue_sort(struct queue_vbuf *, size_t);
static size_t	 queue_put_verdict(struct queue *, size_t, uint16_t, int,
		    const struct queue_vbuf *);
static void	 queue_err(char *, size_t, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));

static void
queue_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A NETLINK_NETFILTER socket for one queue_open(); nothing else on it. */
struct mnl_socket *
queue_socket(void)
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

static int
queue_qidx(const struct queue *q, uint16_t num)
{
	int	 i;

	for (i = 0; i < q->nnums; i++)
		if (q->nums[i] == num)
			return i;
	return -1;
}

/*
 * Bind the queues on nl and set them up.  The socket stays the caller's;
 * queue_close() unbinds but does not close it.  NULL on failure, with the
 * reason in err.
 */
struct queue *
queue_open(struct mnl_socket *nl, const struct queue_opts *o, char *err,
    size_t errlen)
{
	struct queue	*q;
	socklen_t	 sl;
	int		 fd, one = 1, rb, i, count;

	count = o->count ? o->count : 1;
	if (count > MAX_QUEUE_NUMS || o->num + count - 1 > UINT16_MAX) {
		queue_err(err, errlen, "queue count %d: at most %d queues",
		    count, MAX_QUEUE_NUMS);
		errno = EINVAL;
		return NULL;
	}
	if (o->copy_range > QUEUE_COPY_RANGE) {
		queue_err(err, errlen, "copy range %u: more than %d",
		    o->copy_range, QUEUE_COPY_RANGE);
		errno = EINVAL;
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->slots = malloc((size_t)MAX_QUEUE_BATCH *
	    QUEUE_SLOT_SIZE)) == NULL) {
		queue_err(err, errlen, "queue buffers: %s", strerror(errno));
		free(q);
		return NULL;
	}
	q->nl = nl;
	q->fail_open = o->fail_open;
	q->portid = mnl_socket_get_portid(nl);
	q->seq = 1;
	fd = mnl_socket_get_fd(nl);

	/* A full socket buffer must drop packets (counted), not fail reads. */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one,
	    sizeof(one)) == -1) {
		queue_err(err, errlen, "NETLINK_NO_ENOBUFS: %s",
		    strerror(errno));
		goto fail;
	}
	rb = o->rcvbuf ? o->rcvbuf : QUEUE_RCVBUF_DEFAULT;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof(rb)) == -1 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof(rb)) == -1) {
		queue_err(err, errlen, "SO_RCVBUF: %s", strerror(errno));
		goto fail;
	}
	sl = sizeof(q->st.rcvbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &q->st.rcvbuf, &sl) == -1)
		q->st.rcvbuf = -1;

	for (i = 0; i < MAX_QUEUE_BATCH; i++) {
		q->iov[i].iov_base = q->slots + (size_t)i * QUEUE_SLOT_SIZE;
		q->iov[i].iov_len = QUEUE_SLOT_SIZE;
	}
	for (i = 0; i < count; i++) {
		q->nums[i] = (uint16_t)(o->num + i);
		q->nnums = i + 1;
		if (queue_config(q, q->nums[i], o, err, errlen) == -1) {
			q->nnums = i;
			goto fail;
		}
	}
	return q;
fail:
	i = errno;
	queue_close(q);
	errno = i;
	return NULL;
}

/*
 * One config message does it all: bind, copy mode and range, queue
 * length, flags.  The kernel applies it as one.
 */
static int
queue_config(struct queue *q, uint16_t num, const struct queue_opts *o,
    char *err, size_t errlen)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	uint32_t	 flags, mask, seq;

	nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, num);
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq = q->seq++;
	nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
	nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET,
	    o->copy_range ? (int)o->copy_range : QUEUE_COPY_RANGE);
	nfq_nlmsg_cfg_put_qmaxlen(nlh, o->maxlen ? o->maxlen :
	    QUEUE_MAXLEN_DEFAULT);
	mask = NFQA_CFG_F_UID_GID | NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN;
	flags = NFQA_CFG_F_UID_GID | NFQA_CFG_F_GSO;
	if (o->fail_open)
		flags |= NFQA_CFG_F_FAIL_OPEN;
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(mask));
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
	if (mnl_socket_sendto(q->nl, nlh, nlh->nlmsg_len) == -1) {
		queue_err(err, errlen, "queue %u: bind: %s", num,
		    strerror(errno));
		return -1;
	}
	if (queue_wait_ack(q, seq, err, errlen) == -1) {
		if (errno == EBUSY)
			queue_err(err, errlen, "queue %u: bind: another "
			    "process has this queue", num);
		else if (err != NULL && err[0] == '\0')
			queue_err(err, errlen, "queue %u: bind: %s", num,
			    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Wait for the answer to seq.  Packets of queues bound a moment ago may
 * arrive first; they cannot reach a caller yet, so they get the fail
 * mode's verdict at once (counted in setup_verdicts).
 */
static int
queue_wait_ack(struct queue *q, uint32_t seq, char *err, size_t errlen)
{
	struct pollfd		 pfd;
	const struct nlmsghdr	*nlh;
	const struct nlmsgerr	*e;
	uint8_t			*buf = q->slots;
	ssize_t			 n;
	int			 len, rv;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	pfd.fd = mnl_socket_get_fd(q->nl);
	pfd.events = POLLIN;
	for (;;) {
		if ((rv = poll(&pfd, 1, QUEUE_ACK_TIMEOUT_MS)) == -1 &&
		    errno == EINTR)
			continue;
		if (rv <= 0) {
			queue_err(err, errlen, "no answer from the kernel");
			errno = ETIMEDOUT;
			return -1;
		}
		if ((n = recv(pfd.fd, buf, QUEUE_SLOT_SIZE, MSG_TRUNC)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n > QUEUE_SLOT_SIZE) {
			queue_truncated(q, buf, QUEUE_SLOT_SIZE);
			q->st.setup_verdicts++;
			continue;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)buf;
		    mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				queue_setup_verdict(q, nlh);
				continue;
			}
			if (nlh->nlmsg_seq != seq ||
			    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (queue_flush(q) == -1)
				return -1;
			if (e->error == 0)
				return 0;
			errno = -e->error;
			return -1;
		}
	}
}

static void
queue_setup_verdict(struct queue *q, const struct nlmsghdr *nlh)
{
	struct queue_pkt	 p;
	int			 qi;

	if (queue_msg(q, nlh, &p) != 0 || (qi = queue_qidx(q, p.queue)) == -1)
		return;
	q->open[qi]++;
	if (queue_verdict(q, p.queue, p.id, q->fail_open ? NF_ACCEPT : NF_DROP,
	    NULL) == 0)
		q->st.setup_verdicts++;
}

/* Unbind what was bound and free q; the socket stays open. */
void
queue_close(struct queue *q)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	int		 i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nnums; i++) {
		nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, q->nums[i]);
		nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_UNBIND);
		(void)mnl_socket_sendto(q->nl, nlh, nlh->nlmsg_len);
	}
	free(q->slots);
	free(q);
}

int
queue_fd(const struct queue *q)
{
	return mnl_socket_get_fd(q->nl);
}

/*
 * Decode one netlink message.  0: a packet in *p; 1: not a packet (an
 * error answer, counted); -1: a malformed message (counted).
 */
static int
queue_msg(struct queue *q, const struct nlmsghdr *nlh, struct queue_pkt *p)
{
	struct nlattr				*a[NFQA_MAX + 1];
	const struct nfgenmsg			*g;
	const struct nfqnl_msg_packet_hdr	*ph;
	const struct nlmsgerr			*e;
	uint32_t				 info;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*e))) {
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error != 0) {
				q->st.kernel_errors++;
				q->st.last_kernel_error = -e->error;
			}
		}
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_NOOP || nlh->nlmsg_type == NLMSG_DONE)
		return 1;
	if (nlh->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET) ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*g)))
		goto bad;
	g = mnl_nlmsg_get_payload(nlh);
	memset(a, 0, sizeof(a));
	if (nfq_nlmsg_parse(nlh, a) != MNL_CB_OK ||
	    a[NFQA_PACKET_HDR] == NULL)
		goto bad;
	memset(p, 0, sizeof(*p));
	ph = mnl_attr_get_payload(a[NFQA_PACKET_HDR]);
	p->id = ntohl(ph->packet_id);
	p->hw_proto = ntohs(ph->hw_protocol);
	p->hook = ph->hook;
	p->queue = ntohs(g->res_id);
	if (a[NFQA_MARK] != NULL)
		p->mark = ntohl(mnl_attr_get_u32(a[NFQA_MARK]));
	if (a[NFQA_IFINDEX_INDEV] != NULL)
		p->indev = ntohl(mnl_attr_get_u32(a[NFQA_IFINDEX_INDEV]));
	if (a[NFQA_IFINDEX_OUTDEV] != NULL)
		p->outdev = ntohl(mnl_attr_get_u32(a[NFQA_IFINDEX_OUTDEV]));
	if (a[NFQA_UID] != NULL) {
		p->uid = ntohl(mnl_attr_get_u32(a[NFQA_UID]));
		p->flags |= QP_UID;
	}
	if (a[NFQA_GID] != NULL) {
		p->gid = ntohl(mnl_attr_get_u32(a[NFQA_GID]));
		p->flags |= QP_GID;
	}
	if (a[NFQA_SKB_INFO] != NULL) {
		info = ntohl(mnl_attr_get_u32(a[NFQA_SKB_INFO]));
		if (info & NFQA_SKB_GSO)
			p->flags |= QP_GSO;
	}
	if (a[NFQA_PAYLOAD] != NULL) {
		p->data = mnl_attr_get_payload(a[NFQA_PAYLOAD]);
		p->len = mnl_attr_get_payload_len(a[NFQA_PAYLOAD]);
	}
	p->pkt_len = (uint32_t)p->len;
	if (a[NFQA_CAP_LEN] != NULL) {
		p->pkt_len = ntohl(mnl_attr_get_u32(a[NFQA_CAP_LEN]));
		if (p->pkt_len > p->len)
			p->flags |= QP_TRUNC;
	}
	return 0;
bad:
	q->st.bad_msgs++;
	return -1;
}

static void
queue_datagram(struct queue *q, const uint8_t *buf, size_t n,
    queue_pkt_fn fn, void *arg)
{
	const struct nlmsghdr	*nlh;
	struct queue_pkt	 p;
	int			 len, qi;

	len = (int)n;
	for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
	    nlh = mnl_nlmsg_next(nlh, &len)) {
		if (queue_msg(q, nlh, &p) != 0)
			continue;
		if ((qi = queue_qidx(q, p.queue)) == -1) {
			q->st.bad_msgs++;
			continue;
		}
		q->open[qi]++;
		q->st.packets++;
		fn(&p, arg);
	}
}

/*
 * A datagram larger than a slot (the copy range makes that impossible
 * unless the kernel adds much more around the payload): the packet is
 * lost to the caller, but its id comes first and still gets the fail
 * mode's verdict, so that it neither waits forever nor falls under a
 * later VERDICT_BATCH.
 */
static void
queue_truncated(struct queue *q, const uint8_t *buf, size_t n)
{
	const struct nlmsghdr			*nlh = (const void *)buf;
	const struct nfgenmsg			*g;
	const struct nlattr			*a;
	const struct nfqnl_msg_packet_hdr	*ph;
	size_t					 off;
	int					 qi;

	q->st.truncated++;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*g));
	if (n < off + sizeof(*a) + sizeof(*ph) ||
	    nlh->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET))
		return;
	g = (const void *)(buf + NLMSG_HDRLEN);
	a = (const void *)(buf + off);
	if ((a->nla_type & NLA_TYPE_MASK) != NFQA_PACKET_HDR ||
	    a->nla_len < sizeof(*a) + sizeof(*ph))
		return;
	ph = (const void *)(buf + off + sizeof(*a));
	if ((qi = queue_qidx(q, ntohs(g->res_id))) == -1)
		return;
	q->open[qi]++;
	(void)queue_verdict(q, q->nums[qi], ntohl(ph->packet_id),
	    q->fail_open ? NF_ACCEPT : NF_DROP, NULL);
}

/*
 * Read what is waiting, up to MAX_QUEUE_BATCH datagrams in one call,
 * and hand each packet to fn.  Returns the number of datagrams read, 0
 * when none was waiting, -1 on a socket error.
 */
int
queue_read(struct queue *q, queue_pkt_fn fn, void *arg)
{
	int	 n, i;

	for (i = 0; i < MAX_QUEUE_BATCH; i++) {
		memset(&q->mm[i], 0, sizeof(q->mm[i]));
		q->mm[i].msg_hdr.msg_iov = &q->iov[i];
		q->mm[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(mnl_socket_get_fd(q->nl), q->mm, MAX_QUEUE_BATCH,
	    MSG_DONTWAIT, NULL);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return -1;
	}
	q->st.reads++;
	if (q->first != NULL)
		q->first(q->first_arg);
	for (i = 0; i < n; i++) {
		/* A cut datagram cannot be trusted, not even its id. */
		if (q->mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
			queue_truncated(q, q->iov[i].iov_base,
			    q->mm[i].msg_len);
			continue;
		}
		queue_datagram(q, q->iov[i].iov_base, q->mm[i].msg_len, fn,
		    arg);
	}
	return n;
}

/*
 * fn(arg) runs after each read that got packets, before their callbacks:
 * whatever the kernel sent elsewhere before these packets were queued
 * is waiting by then.
 */
void
queue_set_first(struct queue *q, void (*fn)(void *), void *arg)
{
	q->first = fn;
	q->first_arg = arg;
}

/*
 * Buffer a verdict (NF_ACCEPT, NF_DROP, NF_REPEAT) for packet id of
 * queue num, with a new mark when mark is not NULL.  A full buffer is
 * flushed first.
 */
int
queue_verdict(struct queue *q, uint16_t num, uint32_t id, uint32_t verdict,
    const uint32_t *mark)
{
	struct queue_vbuf	*v;
	int			 qi;

	if ((qi = queue_qidx(q, num)) == -1 || verdict > NF_MAX_VERDICT) {
		errno = EINVAL;
		return -1;
	}
	if (q->nvb == MAX_QUEUE_VERDICTS && queue_flush(q) == -1)
		return -1;
	v = &q->vb[q->nvb++];
	v->id = id;
	v->verdict = verdict;
	v->mark = mark ? *mark : 0;
	v->has_mark = mark != NULL;
	v->qidx = (uint8_t)qi;
	q->open[qi]--;
	return 0;
}

size_t
queue_buffered(const struct queue *q)
{
	return q->nvb;
}

/* Serial-number order, as the kernel compares packet ids. */
static int
queue_id_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* By queue, then id.  Insertion sort: verdicts come mostly in order. */
static void
queue_sort(struct queue_vbuf *v, size_t n)
{
	struct queue_vbuf	 t;
	size_t			 i, j;

	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && (v[j - 1].qidx > t.qidx ||
		    (v[j - 1].qidx == t.qidx &&
		    queue_id_before(t.id, v[j - 1].id))); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/* Append one verdict message at offset off; returns the new offset. */
static size_t
queue_put_verdict(struct queue *q, size_t off, uint16_t num, int batch,
    const struct queue_vbuf *v)
{
	struct nlmsghdr	*nlh;

	nlh = nfq_nlmsg_put(q->out + off, batch ? NFQNL_MSG_VERDICT_BATCH :
	    NFQNL_MSG_VERDICT, num);
	nlh->nlmsg_seq = q->seq++;
	nfq_nlmsg_verdict_put(nlh, (int)v->id, (int)v->verdict);
	if (v->has_mark)
		nfq_nlmsg_verdict_put_mark(nlh, v->mark);
	return off + NLMSG_ALIGN(nlh->nlmsg_len);
}

/*
 * Send the buffered verdicts in one sendmsg().  For a queue whose every
 * packet read so far now has its verdict, a VERDICT_BATCH up to id N
 * can only reach packets in the buffer (ids are given and delivered in
 * order), so each run of equal verdicts, in id order, goes as one
 * message.  Otherwise each verdict goes alone.  On failure the buffer
 * is kept for another try.
 */
int
queue_flush(struct queue *q)
{
	size_t	 i, j, off = 0, n = q->nvb, nsingle = 0, nbatch = 0;
	int	 qi, batchable;

	if (n == 0)
		return 0;
	queue_sort(q->vb, n);
	for (i = 0; i < n; i = j) {
		qi = q->vb[i].qidx;
		batchable = q->open[qi] == 0;
		for (j = i + 1; j < n && q->vb[j].qidx == qi &&
		    q->vb[j].verdict == q->vb[i].verdict &&
		    q->vb[j].has_mark == q->vb[i].has_mark &&
		    q->vb[j].mark == q->vb[i].mark; j++)
			;
		if (!batchable || j - i == 1) {
			j = i + 1;
			off = queue_put_verdict(q, off, q->nums[qi], 0,
			    &q->vb[i]);
			nsingle++;
		} else {
			off = queue_put_verdict(q, off, q->nums[qi], 1,
			    &q->vb[j - 1]);
			nbatch++;
		}
	}
	while (mnl_socket_sendto(q->nl, q->out, off) == -1) {
		if (errno != EINTR)
			return -1;
	}
	q->st.sends++;
	q->st.verdicts += n;
	q->st.verdict_msgs += nsingle;
	q->st.batch_msgs += nbatch;
	q->nvb = 0;
	return 0;
}

void
queue_stats(const struct queue *q, struct queue_stats *st)
{
	*st = q->st;
}

/*
 * Find queue num in the text of /proc/net/netfilter/nfnetlink_queue:
 * "queue portid total copy_mode copy_range dropped user_dropped id 1".
 * 0 found, 1 not listed (not bound), -1 malformed text.
 */
int
queue_kstats_parse(const char *text, size_t len, uint16_t num,
    struct queue_kstats *ks)
{
	char		 line[256];
	const char	*p = text, *nl, *end = text + len;
	unsigned int	 v[8];
	size_t		 l;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l = (size_t)(nl - p);
		if (l >= sizeof(line))
			return -1;
		memcpy(line, p, l);
		line[l] = '\0';
		p = nl + 1;
		if (l == 0)
			continue;
		if (sscanf(line, "%u %u %u %u %u %u %u %u", &v[0], &v[1],
		    &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
			return -1;
		if (v[0] != num)
			continue;
		ks->queue = v[0];
		ks->portid = v[1];
		ks->total = v[2];
		ks->copy_mode = v[3];
		ks->copy_range = v[4];
		ks->dropped = v[5];
		ks->user_dropped = v[6];
		ks->id_sequence = v[7];
		return 0;
	}
	return 1;
}

/*
 * Read the kernel's counters through fd, /proc/net/netfilter/
 * nfnetlink_queue opened by the caller (before it gave up access).
 */
int
queue_kstats_read(int fd, uint16_t num, struct queue_kstats *ks)
{
	char	 buf[8192];
	ssize_t	 n;

	if ((n = pread(fd, buf, sizeof(buf), 0)) == -1)
		return -1;
	if ((size_t)n == sizeof(buf)) {
		errno = EOVERFLOW;
		return -1;
	}
	switch (queue_kstats_parse(buf, (size_t)n, num, ks)) {
	case 0:
		return 0;
	case 1:
		errno = ENOENT;
		return -1;
	default:
		errno = EBADMSG;
		return -1;
	}
}
