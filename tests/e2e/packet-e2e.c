/*
 * packet-e2e.c: packetd's kernel side against the real kernel.  Runs
 * inside a network namespace that packet-e2e.sh created (never the
 * machine's own): installs `inet tattle` with fw, binds the queues with
 * queue, parses with pkt, holds packets in pending, and decides by
 * destination port.  A forked client then checks with real sockets on
 * loopback:
 *	7001 accept, 7002 drop, 7003 reject (NF_REPEAT + reject mark),
 *	53 DNS (queries that left and their replies copied whole through
 *	the NFLOG group), ICMP echo accepted,
 * for TCP and UDP, IPv4 and IPv6.  At the end: fail-closed with no
 * queue bound, fail-open bypass, and the table removed.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>

#include "t.h"
#include "fw.h"
#include "nflog.h"
#include "pending.h"
#include "pkt.h"
#include "queue.h"

#define QNUM		7
#define PORT_ACCEPT	7001
#define PORT_DROP	7002
#define PORT_REJECT	7003
#define PORT_DNS	53
#define DNS_UDP_REPLY	3000	/* bytes of a UDP DNS reply payload */
#define DNS_TCP_REPLY	20000	/* bytes of a TCP DNS reply, prefix excluded */
#define HOLD_MS		2000	/* pending deadline */
#define JOIN_DELAY_MS	50	/* UDP accept decisions wait, to be joined */
#define RUN_LIMIT_MS	60000	/* the whole run */
#define MAX_DECIDE	256
#define MAX_FDS		32
#define CLIENT_UID	65534
#define NOBODY_UDP_N	3	/* datagrams sent together to the accept port */

struct decide {
	uint32_t	leader;
	uint32_t	verdict;
	int		reject;
	uint64_t	at;
};

struct fwctx {
	struct queue	*q;
	struct nflog	*log;
	struct pending	*pt;
	struct decide	 dq[MAX_DECIDE];
	int		 ndq;
	/* what the firewall saw */
	int		 parse_errors;
	int		 full;
	int		 groups;
	int		 joined;
	int		 expired;
	int		 syn_uid_ok;
	int		 icmp_seen[2];
	int		 nd_seen;		/* ICMPv6 133-137 queued */
	int		 echo6_link_seen;
	int		 dns_new_query[2];
	int		 dns_copy_query[2];
	int		 dns_udp_reply_whole[2];
	size_t		 dns_tcp_reply_bytes;
	int		 copy_trunc;
	uint64_t	 copies_lost;
	int		 drop_seen[2][2];	/* [tcp/udp][v4/v6] */
	int		 reject_seen[2][2];
};

static uint64_t	 now_ms(void);
static int	 fam_idx(uint8_t);
static int	 listen_on(int, int, const char *, uint16_t);
static void	 fw_pkt(const struct queue_pkt *, void *);
static void	 fw_copy_pkt(const struct nflog_pkt *, void *);
static void	 fw_release(const struct pending_pkt *, void *);
static void	 fw_expire(const struct pending_pkt *, void *);
static void	 fw_decide_due(struct fwctx *);
static void	 serve(int, int);
static void	 dns_tcp_serve(int);
static int	 client(const char *, const char *);
static int	 client_icmp(int, const char *, const char *);
static int	 client_tcp(int, uint16_t, int);
static int	 client_udp(int, uint16_t, int);
static int	 client_dns_udp(int);
static int	 client_dns_tcp(void);
static int	 client_unprivileged_fw(void);
static int	 fill_addr(int, uint16_t, struct sockaddr_storage *,
		    socklen_t *);
static int	 nb_connect(int, uint16_t, int, int *);
static int	 run_firewall(struct fwctx *, pid_t);
static void	 run_servers(int *, int);
static void	 check_fail_modes(struct fw *);

static uint32_t	 reject_bit = FW_REJECT_BIT_DEFAULT;

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
fam_idx(uint8_t family)
{
	return family == AF_INET6;
}

static int
fill_addr(int family, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*sl = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = in6addr_loopback;
		*sl = sizeof(*s6);
	}
	return 0;
}

static int
listen_on(int family, int type, const char *what, uint16_t port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 s, one = 1;

	fill_addr(family, port, &ss, &sl);
	if ((s = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, sl) == -1)
		goto fail;
	if (type == SOCK_STREAM && listen(s, 64) == -1)
		goto fail;
	return s;
fail:
	fprintf(stderr, "listen %s port %u: %s\n", what, port,
	    strerror(errno));
	exit(2);
}

/* ---- the firewall side ---- */

static void
fw_copy_pkt(const struct nflog_pkt *np, void *arg)
{
	struct fwctx	*c = arg;
	struct pkt_info	 pis, *pi = &pis;
	const char	*why;
	int		 f;
	size_t		 i;

	if (pkt_parse(np->data, np->len, pi, &why) == -1) {
		fprintf(stderr, "parse copy: %s\n", why);
		c->parse_errors++;
		return;
	}
	f = fam_idx(pi->t.family);
	if (pi->flags & PKT_TRUNC)
		c->copy_trunc++;
	if (np->hook == NF_INET_LOCAL_OUT && pi->t.dport == PORT_DNS &&
	    pi->t.proto == IPPROTO_UDP && pi->paylen > 0)
		c->dns_copy_query[f]++;
	if (np->hook == NF_INET_LOCAL_IN && pi->t.sport == PORT_DNS) {
		if (pi->t.proto == IPPROTO_TCP)
			c->dns_tcp_reply_bytes += pi->paylen;
		else if (pi->paylen == DNS_UDP_REPLY) {
			/* The server's filler is (i & 0xff) after 12 bytes. */
			for (i = 12; i < pi->paylen; i++)
				if (pi->payload[i] != (uint8_t)i)
					break;
			if (i == pi->paylen)
				c->dns_udp_reply_whole[f]++;
		}
	}
}

static void
fw_pkt(const struct queue_pkt *qp, void *arg)
{
	struct fwctx	*c = arg;
	struct pkt_info	 pi;
	struct decide	*d;
	const char	*why;
	uint32_t	 leader;
	int		 r, f, tcp;

	if (pkt_parse(qp->data, qp->len, &pi, &why) == -1) {
		fprintf(stderr, "parse: %s\n", why);
		c->parse_errors++;
		queue_verdict(c->q, qp->queue, qp->id, NF_DROP, NULL);
		return;
	}
	f = fam_idx(pi.t.family);
	tcp = pi.t.proto == IPPROTO_TCP;
	if (pi.t.proto == IPPROTO_ICMP || pi.t.proto == IPPROTO_ICMPV6)
		c->icmp_seen[f]++;
	if (pi.t.proto == IPPROTO_ICMPV6 && pi.icmp_type >= 133 &&
	    pi.icmp_type <= 137)
		c->nd_seen++;
	if (pi.t.proto == IPPROTO_ICMPV6 && pi.icmp_type == 128 &&
	    pi.t.daddr[0] == 0xfe && (pi.t.daddr[1] & 0xc0) == 0x80)
		c->echo6_link_seen++;
	if (pi.t.dport == PORT_DNS && pi.t.proto == IPPROTO_UDP &&
	    pi.paylen > 0)
		c->dns_new_query[f]++;
	if (tcp && pi.t.dport == PORT_ACCEPT && (pi.flags & PKT_SYN) &&
	    (qp->flags & QP_UID) && qp->uid == CLIENT_UID)
		c->syn_uid_ok++;
	if (pi.t.dport == PORT_DROP && (tcp || pi.t.proto == IPPROTO_UDP))
		c->drop_seen[!tcp][f]++;
	if (pi.t.dport == PORT_REJECT && (tcp || pi.t.proto == IPPROTO_UDP))
		c->reject_seen[!tcp][f]++;

	r = pending_add(c->pt, qp->id, qp->queue, qp->mark, &pi.t, pi.echo_id,
	    now_ms() + HOLD_MS, &leader);
	if (r == -1) {
		c->full++;
		queue_verdict(c->q, qp->queue, qp->id, NF_DROP, NULL);
		return;
	}
	if (r == PENDING_JOINED) {
		c->joined++;
		return;
	}
	c->groups++;
	if (c->ndq == MAX_DECIDE)
		return;		/* left to expire */
	d = &c->dq[c->ndq++];
	d->leader = leader;
	d->reject = pi.t.dport == PORT_REJECT;
	d->verdict = pi.t.dport == PORT_DROP ? NF_DROP :
	    d->reject ? NF_REPEAT : NF_ACCEPT;
	d->at = now_ms();
	if (pi.t.proto == IPPROTO_UDP && pi.t.dport == PORT_ACCEPT)
		d->at += JOIN_DELAY_MS;
}

static struct decide	*cur_decide;

static void
fw_release(const struct pending_pkt *pp, void *arg)
{
	struct fwctx	*c = arg;
	uint32_t	 mark = pp->mark | reject_bit;

	queue_verdict(c->q, pp->queue, pp->id, cur_decide->verdict,
	    cur_decide->reject ? &mark : NULL);
}

static void
fw_expire(const struct pending_pkt *pp, void *arg)
{
	struct fwctx	*c = arg;

	c->expired++;
	queue_verdict(c->q, pp->queue, pp->id, NF_DROP, NULL);
}

static void
fw_decide_due(struct fwctx *c)
{
	uint64_t	 now = now_ms();
	int		 i, j;

	for (i = j = 0; i < c->ndq; i++) {
		if (c->dq[i].at > now) {
			c->dq[j++] = c->dq[i];
			continue;
		}
		cur_decide = &c->dq[i];
		if (pending_resolve(c->pt, c->dq[i].leader, fw_release,
		    c) == -1)
			fprintf(stderr, "resolve %u: %s\n", c->dq[i].leader,
			    strerror(errno));
	}
	c->ndq = j;
}

/* Servers: TCP accept and close; UDP echo; DNS answers. */
static void
serve(int fd, int kind)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	uint8_t			 buf[4096];
	ssize_t			 n;
	size_t			 i;
	int			 s;

	switch (kind) {
	case SOCK_STREAM:
		if ((s = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) != -1)
			close(s);
		break;
	case SOCK_DGRAM:
		if ((n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sl)) > 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&ss,
			    sl);
		break;
	default:	/* DNS over UDP: the query's id, then filler */
		if ((n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sl)) < 12)
			break;
		{
			uint8_t	 r[DNS_UDP_REPLY];

			for (i = 0; i < sizeof(r); i++)
				r[i] = (uint8_t)i;
			memcpy(r, buf, 2);
			sendto(fd, r, sizeof(r), 0, (struct sockaddr *)&ss,
			    sl);
		}
		break;
	}
}

/* One TCP DNS exchange, blocking with a bound (the client is ready). */
static void
dns_tcp_serve(int lfd)
{
	static uint8_t	 r[2 + DNS_TCP_REPLY];
	uint8_t		 q[512];
	struct timeval	 tv = { 2, 0 };
	size_t		 i, off;
	ssize_t		 n;
	int		 s;

	if ((s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (recv(s, q, sizeof(q), 0) >= 4) {
		r[0] = DNS_TCP_REPLY >> 8;
		r[1] = DNS_TCP_REPLY & 0xff;
		for (i = 2; i < sizeof(r); i++)
			r[i] = (uint8_t)i;
		memcpy(r + 2, q + 2, 2);
		for (off = 0; off < sizeof(r); off += (size_t)n)
			if ((n = send(s, r + off, sizeof(r) - off,
			    MSG_NOSIGNAL)) <= 0)
				break;
	}
	close(s);
}

/*
 * The firewall loop: queue, decisions and deadlines, until the client
 * exits or RUN_LIMIT_MS passes.  Returns the client's exit status.
 */
static int
run_firewall(struct fwctx *c, pid_t child)
{
	struct pollfd	 pfd[2];
	uint64_t	 start = now_ms(), dl, lost = 0;
	int		 st = -1, timeout;

	for (;;) {
		if (waitpid(child, &st, WNOHANG) == child)
			break;
		if (now_ms() - start > RUN_LIMIT_MS) {
			fprintf(stderr, "client still running after %d ms\n",
			    RUN_LIMIT_MS);
			kill(child, SIGKILL);
			waitpid(child, &st, 0);
			st = -1;
			break;
		}
		timeout = 20;
		if (pending_next_deadline(c->pt, &dl) == 0 && dl <= now_ms())
			timeout = 0;
		pfd[0].fd = queue_fd(c->q);
		pfd[0].events = POLLIN;
		pfd[1].fd = nflog_fd(c->log);
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, timeout) == -1 && errno != EINTR)
			break;
		/* The copies first, as packetd takes them. */
		if (nflog_drain(c->log, fw_copy_pkt, c, &lost) == -1)
			fprintf(stderr, "nflog: %s\n", strerror(errno));
		if (pfd[0].revents & POLLIN)
			while (queue_read(c->q, fw_pkt, c) > 0)
				;
		fw_decide_due(c);
		pending_expire(c->pt, now_ms(), fw_expire, c);
		if (queue_flush(c->q) == -1)
			fprintf(stderr, "flush: %s\n", strerror(errno));
	}
	pending_drain(c->pt, fw_expire, c);
	queue_flush(c->q);
	(void)nflog_drain(c->log, fw_copy_pkt, c, &lost);
	c->copies_lost += lost;
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* The servers, in their own process; ended by SIGTERM or the limit. */
static void
run_servers(int *fds, int nfds)
{
	struct pollfd	 pfd[MAX_FDS];
	uint64_t	 start = now_ms();
	int		 i;

	while (now_ms() - start < RUN_LIMIT_MS) {
		for (i = 0; i < nfds; i++) {
			pfd[i].fd = fds[2 * i];
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)nfds, 100) == -1 && errno != EINTR)
			break;
		for (i = 0; i < nfds; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (fds[2 * i + 1] == -1)
				dns_tcp_serve(fds[2 * i]);
			else
				serve(fds[2 * i], fds[2 * i + 1]);
		}
	}
}

/* ---- the client side (a child process) ---- */

/*
 * Non-blocking connect; *ms gets how long the outcome took.  Returns 0
 * connected, or an errno, or ETIMEDOUT when nothing came in limit ms.
 */
static int
nb_connect(int family, uint16_t port, int limit, int *ms)
{
	struct sockaddr_storage	 ss;
	struct pollfd		 pfd;
	socklen_t		 sl, el = sizeof(int);
	uint64_t		 t0 = now_ms();
	int			 s, e = 0, r;

	fill_addr(family, port, &ss, &sl);
	if ((s = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return errno;
	if (connect(s, (struct sockaddr *)&ss, sl) == 0)
		goto out;
	if (errno != EINPROGRESS) {
		e = errno;
		goto out;
	}
	pfd.fd = s;
	pfd.events = POLLOUT;
	if ((r = poll(&pfd, 1, limit)) == 0)
		e = ETIMEDOUT;
	else if (r == -1)
		e = errno;
	else if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &el) == -1)
		e = errno;
out:
	*ms = (int)(now_ms() - t0);
	close(s);
	return e;
}

static int
client_tcp(int family, uint16_t port, int want)
{
	int	 e, ms, fails = 0;

	e = nb_connect(family, port, 1000, &ms);
	printf("tcp %s port %u: %s after %d ms\n",
	    family == AF_INET ? "ipv4" : "ipv6", port,
	    e ? strerror(e) : "connected", ms);
	if (e != want)
		fails++;
	return fails;
}

/*
 * Send n datagrams on a connected socket, then wait up to 1 s for the
 * echoes.  want: 0 (n echoes), ETIMEDOUT (nothing), ECONNREFUSED
 * (every port has a server: only the reject verdict refuses).  The
 * times are printed, not checked: how fast is bench/'s business.
 */
static int
client_udp(int family, uint16_t port, int want)
{
	struct sockaddr_storage	 ss;
	struct pollfd		 pfd;
	socklen_t		 sl;
	uint64_t		 t0, left;
	char			 buf[64];
	int			 s, i, n = want == 0 ? NOBODY_UDP_N : 1;
	int			 got = 0, e = 0, ms;

	fill_addr(family, port, &ss, &sl);
	if ((s = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&ss, sl) == -1)
		return 1;
	t0 = now_ms();
	for (i = 0; i < n; i++)
		if (send(s, "ping", 4, 0) != 4)
			e = errno;
	while (e == 0 && got < n && (left = now_ms() - t0) < 1000) {
		pfd.fd = s;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(1000 - left)) <= 0)
			break;
		if (recv(s, buf, sizeof(buf), MSG_DONTWAIT) == -1) {
			if (errno != EAGAIN)
				e = errno;
		} else
			got++;
	}
	ms = (int)(now_ms() - t0);
	close(s);
	if (e == 0 && got == 0)
		e = ETIMEDOUT;
	printf("udp %s port %u: %d/%d echoes, %s after %d ms\n",
	    family == AF_INET ? "ipv4" : "ipv6", port, got, n,
	    e ? strerror(e) : "ok", ms);
	if (want == 0)
		return got == n ? 0 : 1;
	return e != want;
}

/* Two queries from one socket: the first is new, the second is not. */
static int
client_dns_udp(int family)
{
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { 1, 0 };
	socklen_t		 sl;
	uint8_t			 q[32], r[DNS_UDP_REPLY + 16];
	int			 s, i, fails = 0;
	ssize_t			 n;

	fill_addr(family, PORT_DNS, &ss, &sl);
	if ((s = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&ss, sl) == -1)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < 2; i++) {
		memset(q, 0, sizeof(q));
		q[0] = 0x12;
		q[1] = (uint8_t)(0x34 + i);
		if (send(s, q, sizeof(q), 0) != (ssize_t)sizeof(q))
			fails++;
		n = recv(s, r, sizeof(r), 0);
		if (n != DNS_UDP_REPLY || r[1] != q[1])
			fails++;
	}
	close(s);
	printf("dns udp %s: %s\n", family == AF_INET ? "ipv4" : "ipv6",
	    fails ? "failed" : "two answers");
	return fails;
}

static int
client_dns_tcp(void)
{
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { 2, 0 };
	socklen_t		 sl;
	static uint8_t		 r[2 + DNS_TCP_REPLY];
	uint8_t			 q[34];
	size_t			 got = 0;
	ssize_t			 n;
	int			 s;

	fill_addr(AF_INET, PORT_DNS, &ss, &sl);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&ss, sl) == -1) {
		close(s);
		return 1;
	}
	memset(q, 0, sizeof(q));
	q[1] = 32;
	q[2] = 0x56;
	q[3] = 0x78;
	if (send(s, q, sizeof(q), MSG_NOSIGNAL) != (ssize_t)sizeof(q)) {
		close(s);
		return 1;
	}
	while (got < sizeof(r) && (n = recv(s, r + got, sizeof(r) - got,
	    0)) > 0)
		got += (size_t)n;
	close(s);
	printf("dns tcp: %zu of %zu bytes\n", got, sizeof(r));
	return got != sizeof(r) || r[2] != 0x56;
}

/*
 * An echo request on a raw socket to loopback, or to addr on interface
 * ifname (a link-local peer across the veth); the answer must come back.
 */
static int
client_icmp(int family, const char *ifname, const char *addr)
{
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { 1, 0 };
	socklen_t		 sl;
	uint8_t			 p[16], r[128];
	int			 s, proto, fails = 1, i;

	proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	fill_addr(family, 0, &ss, &sl);
	if (addr != NULL) {
		struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1 ||
		    (s6->sin6_scope_id = if_nametoindex(ifname)) == 0)
			return 1;
	}
	if ((s = socket(family, SOCK_RAW, proto)) == -1)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(p, 0, sizeof(p));
	p[0] = family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	p[4] = 0x42;
	if (family == AF_INET) {	/* the kernel does ICMPv6's sum */
		uint32_t sum = 0;

		for (i = 0; i < (int)sizeof(p); i += 2)
			sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		p[2] = (uint8_t)(~sum >> 8);
		p[3] = (uint8_t)~sum;
	}
	if (sendto(s, p, sizeof(p), 0, (struct sockaddr *)&ss, sl) !=
	    (ssize_t)sizeof(p))
		goto out;
	/* A raw socket sees the request too; wait for the reply. */
	for (i = 0; i < 4; i++) {
		ssize_t	 n = recv(s, r, sizeof(r), 0);
		size_t	 off;

		if (n <= 0)
			break;
		off = family == AF_INET ? (size_t)(r[0] & 0x0f) * 4 : 0;
		if ((size_t)n > off && r[off] == (family == AF_INET ?
		    ICMP_ECHOREPLY : ICMP6_ECHO_REPLY)) {
			fails = 0;
			break;
		}
	}
out:
	close(s);
	printf("icmp %s echo%s%s: %s\n", family == AF_INET ? "ipv4" : "ipv6",
	    addr ? " to " : "", addr ? addr : "", fails ? "no reply" : "reply");
	return fails;
}

/* Without CAP_NET_ADMIN the kernel refuses; fw must say so, at once. */
static int
client_unprivileged_fw(void)
{
	struct mnl_socket	*nl;
	struct fw		 fw;
	enum fw_qkind		 k;
	uint64_t		 t0 = now_ms();
	int			 rv, fails = 0;

	if ((nl = fw_socket()) == NULL)
		return 1;
	fw_init(&fw, nl);
	rv = fw_probe(&fw, &k);
	printf("unprivileged probe: %d (%s) after %d ms\n", rv, fw.err,
	    (int)(now_ms() - t0));
	if (rv != -1 || strstr(fw.err, strerror(EPERM)) == NULL)
		fails++;
	mnl_socket_close(nl);
	return fails;
}

static int
client(const char *ifname, const char *peer)
{
	int	 fails = 0, f, fam;

	fails += client_icmp(AF_INET, NULL, NULL);
	fails += client_icmp(AF_INET6, NULL, NULL);
	/* Neighbour discovery happens here, and must not be queued. */
	if (peer != NULL)
		fails += client_icmp(AF_INET6, ifname, peer);
	fails += client_dns_udp(AF_INET);
	fails += client_dns_udp(AF_INET6);
	fails += client_dns_tcp();
	/* The rest as another user: the queue must report that uid. */
	if (setgid(CLIENT_UID) == -1 || setuid(CLIENT_UID) == -1) {
		perror("setuid");
		return 100;
	}
	fails += client_unprivileged_fw();
	for (f = 0; f < 2; f++) {
		fam = f ? AF_INET6 : AF_INET;
		fails += client_tcp(fam, PORT_ACCEPT, 0);
		fails += client_tcp(fam, PORT_REJECT, ECONNREFUSED);
		fails += client_tcp(fam, PORT_DROP, ETIMEDOUT);
		fails += client_udp(fam, PORT_ACCEPT, 0);
		fails += client_udp(fam, PORT_REJECT, ECONNREFUSED);
		fails += client_udp(fam, PORT_DROP, ETIMEDOUT);
	}
	return fails > 99 ? 99 : fails;
}

/*
 * With the table in place and no queue bound, fail-closed holds new
 * connections; the fail-open table lets them through (queue bypass).
 */
static void
check_fail_modes(struct fw *fw)
{
	struct fw_opts	 o;
	int		 e, ms;

	e = nb_connect(AF_INET, PORT_ACCEPT, 1000, &ms);
	printf("fail-closed, no queue: %s after %d ms\n",
	    e ? strerror(e) : "connected", ms);
	T_EQ_INT(e, ETIMEDOUT);
	memset(&o, 0, sizeof(o));
	o.queue_num = QNUM;
	o.fail_open = 1;
	T_EQ_INT(fw_install(fw, &o), 0);
	T_EQ_INT(fw->replaced, 1);
	e = nb_connect(AF_INET6, PORT_ACCEPT, 1000, &ms);
	printf("fail-open, no queue: %s after %d ms\n",
	    e ? strerror(e) : "connected", ms);
	T_EQ_INT(e, 0);
}

/* argv: [interface link-local-peer], the veth the script made. */
int
main(int argc, char *argv[])
{
	struct fwctx		 c;
	struct fw		 fw;
	struct fw_opts		 fo;
	struct queue_opts	 qo;
	struct queue_stats	 qs;
	struct pending_stats	 ps;
	struct mnl_socket	*fwnl, *qnl;
	char			 err[256];
	int			 fds[2 * MAX_FDS], nfds = 0, f, fam, st;
	static const uint16_t	 ports[] = { PORT_ACCEPT, PORT_DROP,
				    PORT_REJECT };
	size_t			 i;
	pid_t			 pid, spid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	memset(&c, 0, sizeof(c));
	for (f = 0; f < 2; f++) {
		fam = f ? AF_INET6 : AF_INET;
		for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
			fds[nfds * 2] = listen_on(fam, SOCK_STREAM, "tcp",
			    ports[i]);
			fds[nfds++ * 2 + 1] = SOCK_STREAM;
			fds[nfds * 2] = listen_on(fam, SOCK_DGRAM, "udp",
			    ports[i]);
			fds[nfds++ * 2 + 1] = SOCK_DGRAM;
		}
		fds[nfds * 2] = listen_on(fam, SOCK_DGRAM, "dns", PORT_DNS);
		fds[nfds++ * 2 + 1] = 0;
	}
	fds[nfds * 2] = listen_on(AF_INET, SOCK_STREAM, "dns tcp", PORT_DNS);
	fds[nfds++ * 2 + 1] = -1;

	if ((spid = fork()) == -1)
		return 2;
	if (spid == 0) {
		run_servers(fds, nfds);
		_exit(0);
	}
	for (i = 0; i < (size_t)nfds; i++)
		close(fds[2 * i]);

	if ((qnl = queue_socket()) == NULL || (fwnl = fw_socket()) == NULL) {
		perror("netlink socket");
		return 2;
	}
	memset(&qo, 0, sizeof(qo));
	qo.num = QNUM;
	qo.count = 1;
	if ((c.q = queue_open(qnl, &qo, err, sizeof(err))) == NULL) {
		fprintf(stderr, "queue_open: %s\n", err);
		return 2;
	}
	if ((c.log = nflog_open(FW_LOG_GROUP(QNUM), err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "nflog_open: %s\n", err);
		return 2;
	}
	if ((c.pt = pending_new((const uint8_t *)"packet e2e test")) == NULL)
		return 2;
	fw_init(&fw, fwnl);
	/* A table left by a crash, and a table that is not ours. */
	T_EQ_INT(system("nft add table inet tattle && "
	    "nft add chain inet tattle stale && "
	    "nft add table inet other && nft add chain inet other keep"), 0);
	memset(&fo, 0, sizeof(fo));
	fo.queue_num = QNUM;
	if (fw_install(&fw, &fo) == -1) {
		fprintf(stderr, "fw_install: %s\n", fw.err);
		return 2;
	}
	printf("queue path in force: %s\n", fw_qkind_name(fw.qkind));
	fflush(stdout);
	(void)!system("nft list table inet tattle 2>/dev/null");
	T_EQ_INT(fw_exists(&fw), 1);
	T_EQ_INT(fw.replaced, 1);
	T_CHECK(system("nft list chain inet tattle stale >/dev/null 2>&1") !=
	    0);
	T_EQ_INT(system("nft list chain inet other keep >/dev/null"), 0);

	if ((pid = fork()) == -1)
		return 2;
	if (pid == 0)	/* shares the queue socket: must not touch it */
		_exit(client(argc == 3 ? argv[1] : NULL,
		    argc == 3 ? argv[2] : NULL));
	st = run_firewall(&c, pid);
	printf("client failures: %d\n", st);
	T_EQ_INT(st, 0);

	queue_stats(c.q, &qs);
	pending_stats(c.pt, &ps);
	printf("queue: %llu reads, %llu packets, %llu verdicts in %llu "
	    "single and %llu batch messages, %llu sends, %llu bad, "
	    "%llu truncated, %llu kernel errors, rcvbuf %d\n",
	    (unsigned long long)qs.reads, (unsigned long long)qs.packets,
	    (unsigned long long)qs.verdicts,
	    (unsigned long long)qs.verdict_msgs,
	    (unsigned long long)qs.batch_msgs, (unsigned long long)qs.sends,
	    (unsigned long long)qs.bad_msgs, (unsigned long long)qs.truncated,
	    (unsigned long long)qs.kernel_errors, qs.rcvbuf);
	printf("pending: %llu groups, %llu joined, %llu resolved, "
	    "%llu expired, %llu full\n", (unsigned long long)ps.groups,
	    (unsigned long long)ps.joined, (unsigned long long)ps.resolved,
	    (unsigned long long)ps.expired, (unsigned long long)ps.full);
	T_EQ_INT(c.parse_errors, 0);
	T_EQ_INT(c.full, 0);
	T_EQ_INT(c.expired, 0);
	T_EQ_INT(qs.verdicts, qs.packets);
	T_EQ_INT(qs.truncated, 0);
	T_EQ_INT(qs.bad_msgs, 0);
	T_EQ_INT(qs.kernel_errors, 0);
	T_CHECK(qs.batch_msgs > 0);
	/* UDP to the accept port: NOBODY_UDP_N datagrams, one decision. */
	T_CHECK(c.joined >= 2 * (NOBODY_UDP_N - 1));
	T_CHECK(c.syn_uid_ok >= 2);
	for (f = 0; f < 2; f++) {
		T_CHECK(c.icmp_seen[f] >= 1);
		T_EQ_INT(c.dns_new_query[f], 1);
		/* Both queries left: the first once its verdict came. */
		T_EQ_INT(c.dns_copy_query[f], 2);
		T_EQ_INT(c.dns_udp_reply_whole[f], 2);
		T_CHECK(c.drop_seen[0][f] >= 1 && c.drop_seen[1][f] >= 1);
		T_CHECK(c.reject_seen[0][f] >= 1 && c.reject_seen[1][f] >= 1);
	}
	T_EQ_INT(c.dns_tcp_reply_bytes, 2 + DNS_TCP_REPLY);
	T_EQ_INT(c.copy_trunc, 0);
	T_EQ_INT(c.copies_lost, 0);
	T_EQ_INT(c.nd_seen, 0);
	if (argc == 3)
		T_EQ_INT(c.echo6_link_seen, 1);

	queue_close(c.q);
	nflog_close(c.log);
	check_fail_modes(&fw);
	kill(spid, SIGTERM);
	waitpid(spid, NULL, 0);
	T_EQ_INT(fw_remove(&fw), 0);
	T_EQ_INT(fw_exists(&fw), 0);
	T_EQ_INT(fw_remove(&fw), 0);	/* nothing there: still fine */
	T_EQ_INT(system("nft list chain inet other keep >/dev/null"), 0);
	T_EQ_INT(system("nft delete table inet other"), 0);
	pending_free(c.pt);
	mnl_socket_close(qnl);
	mnl_socket_close(fwnl);
	return t_done("packet-e2e");
}
