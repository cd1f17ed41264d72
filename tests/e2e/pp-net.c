/*
 * pp-net.c: the servers and clients of the packet path's end-to-end
 * tests (tests/e2e/pp-*.sh).  Every wait is bounded; every result is a
 * line on stdout that the scripts compare.
 *
 *	pp-net serve [-l secs] PORT...
 *		TCP and UDP echo on every local address, IPv4 and IPv6,
 *		for secs (default 120); prints "ready" once bound
 *	pp-net probe [-t ms] TARGET...
 *		all targets at once; one line each:
 *		"TARGET ok|refused|timeout|error:ERRNO MS" (TARGET is
 *		tcp|udp,ADDR,PORT; ok is a TCP connect or a UDP echo)
 *	pp-net hold TARGET
 *		one TCP connection ("connected" or "failed ..."), then each
 *		line read on stdin goes through it: "echo ok|timeout|error"
 *	pp-net bench [-n N] TARGET
 *		N TCP connects one after the other; connect latency
 *		percentiles in microseconds
 *	pp-net dnsq -s SPORT -x TXID [-T A|AAAA] SERVER NAME
 *		one DNS query to SERVER port 53 from SPORT, not awaited
 *	pp-net dnsr -b ADDR -x TXID [-T A|AAAA] -a ANSWER DEST DPORT NAME
 *		one DNS reply, from ADDR port 53 to DEST DPORT: NAME's
 *		question and one answer, ANSWER
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS	64	/* probe */
#define MAX_PORTS	16	/* serve */
#define MAX_CLIENTS	512	/* serve: TCP connections open at once */
#define MAX_BENCH	100000	/* bench: connects */
#define MAX_DNS_PKT	512
#define PP_BUF		2048
#define HOLD_WAIT_MS	1000	/* hold: connect and each echo */
#define BENCH_WAIT_MS	2000	/* bench: one connect */
#define DNS_TTL		300

enum outcome { PENDING, OK, REFUSED, TIMEOUT, FAILED };

struct target {
	char			 spec[128];
	int			 tcp;
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 fd;
	enum outcome		 out;
	int			 err;
	uint64_t		 start, end;	/* ns */
};

static void	 usage(void) __attribute__((__noreturn__));
static uint64_t	 now_ns(void);
static int	 parse_addr(const char *, uint16_t, struct sockaddr_storage *,
		    socklen_t *);
static int	 parse_target(const char *, struct target *);
static long	 parse_num(const char *, long, long, const char *);
static void	 probe_start(struct target *);
static void	 probe_event(struct target *, short);
static int	 probe_main(int, char **);
static int	 serve_bind(int, int, uint16_t);
static void	 serve_udp(int);
static int	 serve_main(int, char **);
static int	 hold_wait(int, short, int);
static int	 hold_main(int, char **);
static int	 bench_connect(const struct target *, uint64_t *);
static int	 bench_cmp(const void *, const void *);
static int	 bench_main(int, char **);
static int	 dns_name(uint8_t *, size_t, const char *);
static int	 dns_type(const char *);
static size_t	 dns_build(uint8_t *, uint16_t, uint16_t, const char *, int,
		    const struct sockaddr_storage *);
static int	 dnsq_main(int, char **);
static int	 dnsr_main(int, char **);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: pp-net serve [-l secs] PORT...\n"
	    "       pp-net probe [-t ms] tcp|udp,ADDR,PORT...\n"
	    "       pp-net hold tcp,ADDR,PORT\n"
	    "       pp-net bench [-n N] tcp,ADDR,PORT\n"
	    "       pp-net dnsq -s SPORT -x TXID [-T A|AAAA] SERVER NAME\n"
	    "       pp-net dnsr -b ADDR -x TXID [-T A|AAAA] -a ANSWER DEST "
	    "DPORT NAME\n");
	exit(2);
}

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static long
parse_num(const char *s, long lo, long hi, const char *what)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "pp-net: %s \"%s\": not a number in "
		    "[%ld, %ld]\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static int
parse_addr(const char *addr, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*sl = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*sl = sizeof(*s6);
		return 0;
	}
	fprintf(stderr, "pp-net: \"%s\": not an IPv4 or IPv6 address\n",
	    addr);
	return -1;
}

/* "tcp,ADDR,PORT" or "udp,ADDR,PORT". */
static int
parse_target(const char *spec, struct target *t)
{
	char	 buf[sizeof(t->spec)], *addr, *port;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (strlen(spec) >= sizeof(buf)) {
		fprintf(stderr, "pp-net: target too long\n");
		return -1;
	}
	strcpy(t->spec, spec);
	strcpy(buf, spec);
	if ((addr = strchr(buf, ',')) == NULL ||
	    (port = strchr(addr + 1, ',')) == NULL) {
		fprintf(stderr, "pp-net: \"%s\": want tcp|udp,ADDR,PORT\n",
		    spec);
		return -1;
	}
	*addr++ = '\0';
	*port++ = '\0';
	if (strcmp(buf, "tcp") == 0)
		t->tcp = 1;
	else if (strcmp(buf, "udp") != 0) {
		fprintf(stderr, "pp-net: \"%s\": protocol %s\n", spec, buf);
		return -1;
	}
	return parse_addr(addr, (uint16_t)parse_num(port, 1, 65535, "port"),
	    &t->ss, &t->sl);
}

/*
 * Start one attempt: a non-blocking TCP connect, or a UDP datagram on a
 * connected socket (its answer, or the ICMP error, comes later).
 */
static void
probe_start(struct target *t)
{
	char	 ping[64];
	int	 n;

	t->start = now_ns();
	if ((t->fd = socket(t->ss.ss_family, (t->tcp ? SOCK_STREAM :
	    SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		goto failed;
	if (connect(t->fd, (struct sockaddr *)&t->ss, t->sl) == -1) {
		if (t->tcp && errno == EINPROGRESS)
			return;
		if (errno == ECONNREFUSED) {
			t->out = REFUSED;
			t->end = now_ns();
			return;
		}
		goto failed;
	}
	if (t->tcp) {
		t->out = OK;
		t->end = now_ns();
		return;
	}
	n = snprintf(ping, sizeof(ping), "pp-net %s", t->spec);
	if (send(t->fd, ping, n, 0) == n)
		return;
 failed:
	t->err = errno;
	t->out = errno == ECONNREFUSED ? REFUSED : FAILED;
	t->end = now_ns();
}

static void
probe_event(struct target *t, short revents)
{
	char		 buf[PP_BUF];
	socklen_t	 sl = sizeof(t->err);
	ssize_t		 n;

	if (t->tcp) {
		if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &t->err, &sl) == -1)
			t->err = errno;
		if (t->err == 0 && !(revents & POLLOUT))
			t->err = ECONNRESET;
	} else {
		if ((n = recv(t->fd, buf, sizeof(buf), 0)) > 0)
			t->err = 0;
		else if (n == -1 && errno == EAGAIN)
			return;
		else
			t->err = n == 0 ? EPROTO : errno;
	}
	t->end = now_ns();
	if (t->err == 0)
		t->out = OK;
	else if (t->err == ECONNREFUSED)
		t->out = REFUSED;
	else
		t->out = FAILED;
}

static int
probe_main(int argc, char **argv)
{
	static struct target	 t[MAX_TARGETS];
	static const char *const names[] = { "pending", "ok", "refused",
				    "timeout", "error" };
	struct pollfd		 pfd[MAX_TARGETS];
	int			 idx[MAX_TARGETS];
	uint64_t		 wait_ns, now, next;
	int			 ch, i, n, ntarget;

	wait_ns = 1000 * 1000000ull;
	while ((ch = getopt(argc, argv, "t:")) != -1) {
		switch (ch) {
		case 't':
			wait_ns = parse_num(optarg, 1, 60000, "-t") *
			    1000000ull;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > MAX_TARGETS)
		usage();
	ntarget = argc;
	for (i = 0; i < ntarget; i++)
		if (parse_target(argv[i], &t[i]) == -1)
			return 2;
	for (i = 0; i < ntarget; i++)
		probe_start(&t[i]);
	for (;;) {
		now = now_ns();
		next = UINT64_MAX;
		for (n = 0, i = 0; i < ntarget; i++) {
			if (t[i].out != PENDING)
				continue;
			if (now - t[i].start >= wait_ns) {
				t[i].out = TIMEOUT;
				t[i].end = now;
				continue;
			}
			if (t[i].start + wait_ns < next)
				next = t[i].start + wait_ns;
			pfd[n].fd = t[i].fd;
			pfd[n].events = t[i].tcp ? POLLOUT : POLLIN;
			idx[n++] = i;
		}
		if (n == 0)
			break;
		if (poll(pfd, n, (int)((next - now) / 1000000) + 1) == -1 &&
		    errno != EINTR) {
			perror("pp-net: poll");
			return 2;
		}
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				probe_event(&t[idx[i]], pfd[i].revents);
	}
	for (i = 0; i < ntarget; i++) {
		if (t[i].out == FAILED)
			printf("%s error:%s %.3f\n", t[i].spec,
			    strerror(t[i].err),
			    (t[i].end - t[i].start) / 1e6);
		else
			printf("%s %s %.3f\n", t[i].spec, names[t[i].out],
			    (t[i].end - t[i].start) / 1e6);
		if (t[i].fd != -1)
			close(t[i].fd);
	}
	return 0;
}

/* A wildcard socket; IPv6 ones are IPv6 only, so both can bind. */
static int
serve_bind(int family, int type, uint16_t port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 fd, on = 1;

	if (parse_addr(family == AF_INET ? "0.0.0.0" : "::", port, &ss, &sl)
	    == -1)
		return -1;
	if ((fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) ==
	    -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &on, sizeof(on)) == -1) ||
	    (type == SOCK_DGRAM && family == AF_INET && setsockopt(fd,
	    IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == -1) ||
	    (type == SOCK_DGRAM && family == AF_INET6 && setsockopt(fd,
	    IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) == -1) ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    (type == SOCK_STREAM && listen(fd, 4096) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Echo one datagram from the address it was sent to: a server with
 * several addresses must answer from the one the client connected to.
 */
static void
serve_udp(int fd)
{
	struct sockaddr_storage	 from;
	struct msghdr		 mh;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	char			 buf[PP_BUF];
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cbuf;
	struct in_pktinfo	*pi4;
	ssize_t			 n;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.buf;
	mh.msg_controllen = sizeof(cbuf.buf);
	if ((n = recvmsg(fd, &mh, 0)) <= 0)
		return;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			/* Reply from the destination, whatever the iface. */
			pi4 = (struct in_pktinfo *)CMSG_DATA(cm);
			pi4->ipi_ifindex = 0;
			pi4->ipi_spec_dst = pi4->ipi_addr;
		}
	iov.iov_len = n;
	(void)sendmsg(fd, &mh, 0);
}

static int
serve_main(int argc, char **argv)
{
	static struct pollfd	 pfd[MAX_PORTS * 4 + MAX_CLIENTS];
	char			 buf[PP_BUF];
	uint64_t		 until;
	ssize_t			 n;
	int			 ch, i, j, nlisten = 0, nfd, fd;
	int			 families[] = { AF_INET, AF_INET6 };
	int			 types[] = { SOCK_STREAM, SOCK_DGRAM };
	long			 life = 120;

	while ((ch = getopt(argc, argv, "l:")) != -1) {
		switch (ch) {
		case 'l':
			life = parse_num(optarg, 1, 3600, "-l");
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > MAX_PORTS)
		usage();
	for (i = 0; i < argc; i++)
		for (j = 0; j < 4; j++) {
			if ((fd = serve_bind(families[j / 2], types[j % 2],
			    (uint16_t)parse_num(argv[i], 1, 65535, "port"))) ==
			    -1) {
				fprintf(stderr, "pp-net: serve port %s: %s\n",
				    argv[i], strerror(errno));
				return 1;
			}
			pfd[nlisten].fd = fd;
			pfd[nlisten++].events = POLLIN;
		}
	printf("ready\n");
	fflush(stdout);
	nfd = nlisten;
	until = now_ns() + life * 1000000000ull;
	while (now_ns() < until) {
		if (poll(pfd, nfd, 100) == -1 && errno != EINTR)
			return 1;
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (i < nlisten && (i % 2) == 1) {
				serve_udp(pfd[i].fd);
				continue;
			}
			if (i < nlisten) {
				while ((fd = accept4(pfd[i].fd, NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
					if (nfd == (int)(sizeof(pfd) /
					    sizeof(pfd[0]))) {
						close(fd);
						continue;
					}
					pfd[nfd].fd = fd;
					pfd[nfd].events = POLLIN;
					pfd[nfd++].revents = 0;
				}
				continue;
			}
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n > 0 && write(pfd[i].fd, buf, n) == n)
				continue;
			if (n == -1 && errno == EAGAIN)
				continue;
			close(pfd[i].fd);
			pfd[i] = pfd[--nfd];
			i--;
		}
	}
	return 0;
}

/* 0 when fd is ready for events within ms, -1 on timeout. */
static int
hold_wait(int fd, short events, int ms)
{
	struct pollfd	 pfd;
	int		 rv;

	pfd.fd = fd;
	pfd.events = events;
	while ((rv = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
		;
	return rv == 1 ? 0 : -1;
}

static int
hold_main(int argc, char **argv)
{
	struct target	 t;
	char		 line[256], buf[PP_BUF];
	socklen_t	 sl = sizeof(int);
	ssize_t		 n;
	size_t		 len;
	int		 err = 0;

	if (argc != 2 || parse_target(argv[1], &t) == -1 || !t.tcp)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((t.fd = socket(t.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return 1;
	if (connect(t.fd, (struct sockaddr *)&t.ss, t.sl) == -1 &&
	    errno != EINPROGRESS)
		err = errno;
	else if (hold_wait(t.fd, POLLOUT, HOLD_WAIT_MS) == -1)
		err = ETIMEDOUT;
	else if (getsockopt(t.fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
		err = errno;
	if (err != 0) {
		printf("failed %s\n", strerror(err));
		return 1;
	}
	printf("connected\n");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		len = strlen(line);
		if (send(t.fd, line, len, MSG_NOSIGNAL) != (ssize_t)len) {
			printf("echo error %s\n", strerror(errno));
			continue;
		}
		if (hold_wait(t.fd, POLLIN, HOLD_WAIT_MS) == -1) {
			printf("echo timeout\n");
			continue;
		}
		n = recv(t.fd, buf, sizeof(buf), 0);
		if (n == (ssize_t)len && memcmp(buf, line, len) == 0)
			printf("echo ok\n");
		else
			printf("echo error %s\n", n == -1 ? strerror(errno) :
			    "short or wrong echo");
	}
	close(t.fd);
	return 0;
}

/* One connect, timed; closed with a reset so no TIME_WAIT piles up. */
static int
bench_connect(const struct target *t, uint64_t *ns)
{
	struct linger	 lg = { 1, 0 };
	socklen_t	 sl = sizeof(int);
	uint64_t	 start;
	int		 fd, err = 0;

	if ((fd = socket(t->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return errno;
	start = now_ns();
	if (connect(fd, (struct sockaddr *)&t->ss, t->sl) == -1) {
		if (errno != EINPROGRESS)
			err = errno;
		else if (hold_wait(fd, POLLOUT, BENCH_WAIT_MS) == -1)
			err = ETIMEDOUT;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
			err = errno;
	}
	*ns = now_ns() - start;
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	return err;
}

static int
bench_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
bench_main(int argc, char **argv)
{
	struct target	 t;
	uint64_t	*lat;
	long		 n = 2000, i;
	int		 ch, err;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		switch (ch) {
		case 'n':
			n = parse_num(optarg, 1, MAX_BENCH, "-n");
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || parse_target(argv[0], &t) == -1 || !t.tcp)
		usage();
	if ((lat = calloc(n, sizeof(*lat))) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if ((err = bench_connect(&t, &lat[i])) != 0) {
			printf("connect %ld of %ld failed: %s\n", i + 1, n,
			    strerror(err));
			free(lat);
			return 1;
		}
	qsort(lat, n, sizeof(*lat), bench_cmp);
	printf("n %ld p50 %.1f p90 %.1f p99 %.1f max %.1f us\n", n,
	    lat[n / 2] / 1e3, lat[n * 9 / 10] / 1e3, lat[n * 99 / 100] / 1e3,
	    lat[n - 1] / 1e3);
	free(lat);
	return 0;
}

/* NAME in wire form into buf; its length, or -1. */
static int
dns_name(uint8_t *buf, size_t size, const char *name)
{
	const char	*dot;
	size_t		 off = 0, l;

	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		if (l == 0 || l > 63 || off + 1 + l + 1 > size ||
		    off + 1 + l + 1 > 255)
			return -1;
		buf[off++] = (uint8_t)l;
		memcpy(buf + off, name, l);
		off += l;
		name += l;
		if (*name == '.')
			name++;
	}
	buf[off++] = 0;
	return (int)off;
}

static int
dns_type(const char *s)
{
	if (strcmp(s, "A") == 0)
		return 1;
	if (strcmp(s, "AAAA") == 0)
		return 28;
	fprintf(stderr, "pp-net: type %s: want A or AAAA\n", s);
	exit(2);
}

/*
 * A query (answer NULL) or a reply with one answer, compressed as every
 * server does: the answer's owner points back at the question.
 */
static size_t
dns_build(uint8_t *p, uint16_t txid, uint16_t flags, const char *name,
    int type, const struct sockaddr_storage *answer)
{
	size_t	 off = 12, alen;
	int	 nl;

	memset(p, 0, 12);
	p[0] = txid >> 8;
	p[1] = txid & 0xff;
	p[2] = flags >> 8;
	p[3] = flags & 0xff;
	p[5] = 1;				/* qdcount */
	p[7] = answer != NULL;			/* ancount */
	if ((nl = dns_name(p + off, MAX_DNS_PKT - off - 64, name)) == -1) {
		fprintf(stderr, "pp-net: bad name \"%s\"\n", name);
		exit(2);
	}
	off += nl;
	p[off++] = 0;
	p[off++] = (uint8_t)type;
	p[off++] = 0;
	p[off++] = 1;				/* IN */
	if (answer == NULL)
		return off;
	alen = answer->ss_family == AF_INET ? 4 : 16;
	if ((type == 1) != (alen == 4)) {
		fprintf(stderr, "pp-net: answer's family is not the type's\n");
		exit(2);
	}
	p[off++] = 0xc0;
	p[off++] = 12;
	p[off++] = 0;
	p[off++] = (uint8_t)type;
	p[off++] = 0;
	p[off++] = 1;
	p[off++] = 0;
	p[off++] = 0;
	p[off++] = DNS_TTL >> 8;
	p[off++] = DNS_TTL & 0xff;
	p[off++] = 0;
	p[off++] = (uint8_t)alen;
	memcpy(p + off, answer->ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)answer)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)answer)->sin6_addr,
	    alen);
	return off + alen;
}

static int
dnsq_main(int argc, char **argv)
{
	struct sockaddr_storage	 srv, src;
	socklen_t		 sl, srcl;
	uint8_t			 pkt[MAX_DNS_PKT];
	size_t			 len;
	long			 sport = -1, txid = -1;
	int			 ch, fd, type = 1, on = 1;

	while ((ch = getopt(argc, argv, "s:x:T:")) != -1) {
		switch (ch) {
		case 's':
			sport = parse_num(optarg, 1, 65535, "-s");
			break;
		case 'x':
			txid = parse_num(optarg, 0, 65535, "-x");
			break;
		case 'T':
			type = dns_type(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || sport == -1 || txid == -1 ||
	    parse_addr(argv[0], 53, &srv, &sl) == -1)
		usage();
	if (parse_addr(srv.ss_family == AF_INET ? "0.0.0.0" : "::",
	    (uint16_t)sport, &src, &srcl) == -1)
		return 2;
	len = dns_build(pkt, (uint16_t)txid, 0x0100, argv[1], type, NULL);
	if ((fd = socket(srv.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&src, srcl) == -1 ||
	    sendto(fd, pkt, len, 0, (struct sockaddr *)&srv, sl) !=
	    (ssize_t)len) {
		perror("pp-net: dnsq");
		return 1;
	}
	close(fd);
	printf("query sent\n");
	return 0;
}

static int
dnsr_main(int argc, char **argv)
{
	struct sockaddr_storage	 from, to, ans;
	socklen_t		 froml, tol, ansl;
	uint8_t			 pkt[MAX_DNS_PKT];
	const char		*bind_addr = NULL, *answer = NULL;
	size_t			 len;
	long			 txid = -1;
	int			 ch, fd, type = 1, on = 1;

	while ((ch = getopt(argc, argv, "b:x:T:a:")) != -1) {
		switch (ch) {
		case 'b':
			bind_addr = optarg;
			break;
		case 'x':
			txid = parse_num(optarg, 0, 65535, "-x");
			break;
		case 'T':
			type = dns_type(optarg);
			break;
		case 'a':
			answer = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3 || bind_addr == NULL || answer == NULL || txid == -1 ||
	    parse_addr(bind_addr, 53, &from, &froml) == -1 ||
	    parse_addr(argv[0], (uint16_t)parse_num(argv[1], 1, 65535,
	    "DPORT"), &to, &tol) == -1 ||
	    parse_addr(answer, 0, &ans, &ansl) == -1)
		usage();
	len = dns_build(pkt, (uint16_t)txid, 0x8180, argv[2], type, &ans);
	if ((fd = socket(from.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) ==
	    -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ==
	    -1 || bind(fd, (struct sockaddr *)&from, froml) == -1 ||
	    sendto(fd, pkt, len, 0, (struct sockaddr *)&to, tol) !=
	    (ssize_t)len) {
		perror("pp-net: dnsr");
		return 1;
	}
	close(fd);
	printf("reply sent\n");
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc < 2)
		usage();
	argc--;
	argv++;
	if (strcmp(argv[0], "serve") == 0)
		return serve_main(argc, argv);
	if (strcmp(argv[0], "probe") == 0)
		return probe_main(argc, argv);
	if (strcmp(argv[0], "hold") == 0)
		return hold_main(argc, argv);
	if (strcmp(argv[0], "bench") == 0)
		return bench_main(argc, argv);
	if (strcmp(argv[0], "dnsq") == 0)
		return dnsq_main(argc, argv);
	if (strcmp(argv[0], "dnsr") == 0)
		return dnsr_main(argc, argv);
	usage();
}
