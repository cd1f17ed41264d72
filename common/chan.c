/*
 * chan.c: a channel end.  A message goes out at once when the peer can
 * take it, else into a bounded queue flushed on POLLOUT; a process
 * never blocks on its peer.  A sender may also hold messages back (in
 * the same queue, so they keep their order) and let them go together
 * later, waking the peer once for many.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"

struct chan_out {
	TAILQ_ENTRY(chan_out)	 entry;
	int			 fd;
	size_t			 len;
	uint8_t			 buf[];
};

void
chan_init(struct chan *c, int fd, enum role self, enum role peer)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->self = self;
	c->peer = peer;
	TAILQ_INIT(&c->queue);
}

/* Queue a copy of m; the queue takes m's descriptor. */
static int
chan_enqueue(struct chan *c, struct msg *m)
{
	struct chan_out	*o;

	if (c->qcount >= CHAN_QUEUE_MAX_MSGS ||
	    c->qbytes + m->len > CHAN_QUEUE_MAX_BYTES) {
		errno = ENOBUFS;
		return -1;
	}
	if ((o = malloc(sizeof(*o) + m->len)) == NULL)
		return -1;
	memcpy(o->buf, m->buf, m->len);
	o->len = m->len;
	o->fd = msg_take_fd(m);
	TAILQ_INSERT_TAIL(&c->queue, o, entry);
	c->qcount++;
	c->qbytes += m->len;
	return 0;
}

static void
chan_out_free(struct chan_out *o)
{
	if (o->fd != -1)
		close(o->fd);
	free(o);
}

/* o, the head of c's queue, went out. */
static void
chan_out_sent(struct chan *c, struct chan_out *o)
{
	c->nsent++;
	TAILQ_REMOVE(&c->queue, o, entry);
	c->qcount--;
	c->qbytes -= o->len;
	chan_out_free(o);
}

/*
 * Send m, or queue it behind what is already waiting.  The channel
 * takes the message's descriptor and closes it once sent.  -1 with
 * ENOBUFS: the queue is full; EPIPE: the peer is gone.
 */
int
chan_send(struct chan *c, struct msg *m)
{
	int	 rv = 0;

	if (c->fd == -1) {
		errno = EPIPE;
		rv = -1;
		goto out;
	}
	/* What was held goes first: the order on a channel never changes. */
	if (c->held && (rv = chan_release(c)) == -1)
		goto out;
	if (TAILQ_EMPTY(&c->queue)) {
		if (msg_send(c->fd, m) == 0) {
			c->nsent++;
			goto out;
		}
		if (errno != EAGAIN && errno != ENOBUFS) {
			rv = -1;
			goto out;
		}
	}
	rv = chan_enqueue(c, m);
 out:
	msg_close_fd(m);
	return rv;
}

/*
 * Queue m without sending it: it goes with the next chan_send() or
 * chan_release(), behind what was queued before.  The queue's bounds
 * apply; the channel takes m's descriptor.
 */
int
chan_send_later(struct chan *c, struct msg *m)
{
	int	 rv;

	if (c->fd == -1) {
		msg_close_fd(m);
		errno = EPIPE;
		return -1;
	}
	if (TAILQ_EMPTY(&c->queue))
		c->held = 1;
	rv = chan_enqueue(c, m);
	msg_close_fd(m);
	return rv;
}

/* Messages held back by chan_send_later(), 0 if none. */
size_t
chan_held(const struct chan *c)
{
	return c->held ? c->qcount : 0;
}

/* Send the held messages now.  0: sent, or queued for POLLOUT; -1: gone. */
int
chan_release(struct chan *c)
{
	if (!c->held)
		return 0;
	c->held = 0;
	return chan_flush(c);
}

/*
 * Stop reading c until chan_resume(): its handler took a message it
 * cannot act on before one that another channel, w, brings (ruled: a
 * connection waits for the DNS copy packetd sent before it).  The
 * messages behind it wait in the socket, in order.  child_loop_run()
 * reads w at once, then c again when resumed.
 */
void
chan_pause(struct chan *c, struct chan *w)
{
	c->waits_for = w;
}

void
chan_resume(struct chan *c)
{
	c->waits_for = NULL;
}

int
chan_want_read(const struct chan *c)
{
	return c->waits_for == NULL;
}

/*
 * What waits on c goes out up to CHAN_SEND_BATCH messages per system
 * call, so the peer wakes once for them.  The caller's sandbox must allow
 * sendmmsg.
 */
void
chan_send_many(struct chan *c)
{
	c->many = 1;
}

/*
 * The first messages of the queue (none with a descriptor) in one
 * sendmmsg().  Returns how many went, 0 when the peer is full, -1 when it
 * is gone.
 */
static int
chan_flush_batch(struct chan *c)
{
	struct mmsghdr	 mm[CHAN_SEND_BATCH];
	struct iovec	 iov[CHAN_SEND_BATCH];
	struct chan_out	*o;
	int		 n = 0, i, sent;

	memset(mm, 0, sizeof(mm));
	TAILQ_FOREACH(o, &c->queue, entry) {
		if (n == CHAN_SEND_BATCH || o->fd != -1)
			break;
		iov[n].iov_base = o->buf;
		iov[n].iov_len = o->len;
		mm[n].msg_hdr.msg_iov = &iov[n];
		mm[n].msg_hdr.msg_iovlen = 1;
		n++;
	}
	do {
		sent = sendmmsg(c->fd, mm, (unsigned int)n,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (sent == -1 && errno == EINTR);
	if (sent == -1)
		return errno == EAGAIN || errno == ENOBUFS ? 0 : -1;
	for (i = 0; i < sent; i++) {
		o = TAILQ_FIRST(&c->queue);
		if (mm[i].msg_len != o->len) {
			errno = EMSGSIZE;
			return -1;
		}
		chan_out_sent(c, o);
	}
	return sent;
}

int
chan_send_hello(struct chan *c)
{
	struct msg		 m;
	struct msg_hello	 h;

	memset(&h, 0, sizeof(h));
	h.version = TATTLE_PROTO_VERSION;
	h.role = c->self;
	h.pid = getpid();
	msg_init(&m, MSG_HELLO, 0);
	msg_set_body(&m, &h, sizeof(h));
	return chan_send(c, &m);
}

/* Send what waits.  0: done or would block; -1: the peer is gone. */
int
chan_flush(struct chan *c)
{
	struct chan_out	*o;
	int		 n;

	while ((o = TAILQ_FIRST(&c->queue)) != NULL) {
		if (c->many && o->fd == -1 && TAILQ_NEXT(o, entry) != NULL) {
			if ((n = chan_flush_batch(c)) <= 0)
				return n;
			continue;
		}
		if (msg_send_buf(c->fd, o->buf, o->len, o->fd) == -1) {
			if (errno == EAGAIN || errno == ENOBUFS)
				return 0;
			return -1;
		}
		chan_out_sent(c, o);
	}
	return 0;
}

int
chan_want_write(const struct chan *c)
{
	return !TAILQ_EMPTY(&c->queue) && !c->held;
}

/*
 * The peer's HELLO must come first with our version and role (once:
 * the catalogue's RX_ONCE).
 */
static int
chan_check_hello(struct chan *c, struct msg *m, const char **why)
{
	struct msg_hello	 h;

	if (msg_type(m) != MSG_HELLO) {
		/* A child may log before its sandbox is complete. */
		if (!c->hello && msg_type(m) != MSG_LOG) {
			*why = "message before HELLO";
			return -1;
		}
		return 0;
	}
	msg_get_body(m, &h, sizeof(h));
	if (h.version != TATTLE_PROTO_VERSION) {
		*why = "HELLO with another protocol version";
		return -1;
	}
	if (h.role != c->peer) {
		*why = "HELLO from the wrong role";
		return -1;
	}
	c->hello = 1;
	c->peer_pid = h.pid;
	return 0;
}

/*
 * Read two datagrams per system call on c (chan_recv_one()).  The
 * caller's sandbox must allow recvmmsg.
 */
int
chan_recv_many(struct chan *c)
{
	if (c->next == NULL && (c->next = malloc(sizeof(*c->next))) == NULL)
		return -1;
	c->nextrv = CHAN_NEXT_NONE;
	return 0;
}

/*
 * msg_recv()'s answer for c.  A channel reading two at a time keeps the
 * second datagram, or the news that none was waiting, for the next call:
 * its caller reads until CHAN_AGAIN and polls again, so "empty" told
 * once, right after the read that found it, loses nothing.
 */
static int
chan_recv_one(struct chan *c, struct msg *m)
{
	int	 rv;

	if (c->next == NULL)
		return msg_recv(c->fd, m);
	switch ((rv = c->nextrv)) {
	case CHAN_NEXT_NONE:
		rv = msg_recv2(c->fd, m, c->next, &c->nextrv, &c->nexterr);
		/* After EOF or an error, or before one, ask the socket. */
		if (rv != 1 || c->nextrv == 0)
			c->nextrv = CHAN_NEXT_NONE;
		return rv;
	case MSG_RECV_EMPTY:
		c->nextrv = CHAN_NEXT_NONE;
		errno = EAGAIN;
		return -1;
	case 1:
		c->nextrv = CHAN_NEXT_NONE;
		memcpy(m->buf, c->next->buf, c->next->len);
		m->len = c->next->len;
		m->fd = c->next->fd;
		m->nattrs = 0;
		c->next->fd = -1;
		return 1;
	default:
		c->nextrv = CHAN_NEXT_NONE;
		errno = c->nexterr;
		return -1;
	}
}

/*
 * Receive and check one message.  1: a message that passed every check;
 * CHAN_EOF; CHAN_AGAIN; CHAN_BAD with *why saying what was wrong (the
 * caller ends the process: a peer that breaks the protocol is not
 * trusted again).
 */
int
chan_recv(struct chan *c, struct msg *m, const char **why)
{
	int	 n;

	if (c->waits_for != NULL)
		return CHAN_AGAIN;
	if ((n = chan_recv_one(c, m)) == 0)
		return CHAN_EOF;
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return CHAN_AGAIN;
		if (errno == EMSGSIZE)
			*why = "oversized message or descriptors";
		else if (errno == ECONNRESET)
			return CHAN_EOF;
		else
			*why = "receive failed";
		return CHAN_BAD;
	}
	if (msg_check(m, c->self, c->peer, why) == -1)
		return CHAN_BAD;
	if (msg_check_once(m, &c->once, why) == -1 ||
	    chan_check_hello(c, m, why) == -1) {
		msg_close_fd(m);
		return CHAN_BAD;
	}
	c->nrecv++;
	return 1;
}

void
chan_close(struct chan *c)
{
	struct chan_out	*o;

	while ((o = TAILQ_FIRST(&c->queue)) != NULL) {
		TAILQ_REMOVE(&c->queue, o, entry);
		chan_out_free(o);
	}
	c->qcount = c->qbytes = 0;
	c->held = 0;
	c->waits_for = NULL;
	if (c->next != NULL) {
		if (c->nextrv == 1)
			msg_close_fd(c->next);
		free(c->next);
		c->next = NULL;
	}
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}
