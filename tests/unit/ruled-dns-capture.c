/*
 * ruled-dns-capture: send one DNS query from a fixed address and port, wait for
 * the reply, and write the exact bytes: STEM.query, STEM.reply (TCP: with
 * the length prefix, as they travel) and STEM.tuple ("udp|tcp client-addr
 * client-port server-addr server-port", the query's direction).  The
 * capture script runs it against dnsmasq in a network namespace.
 *
 * usage: ruled-dns-capture [-te] -b client-addr -p client-port -s server-addr
 *	      -i id -o stem name type
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAPTURE_TIMEOUT_MS	2000
#define CAPTURE_MAX		65537

struct capture {
	int			 tcp;
	int			 edns;
	int			 family;
	struct sockaddr_storage	 client;
	struct sockaddr_storage	 server;
	socklen_t		 slen;
	uint16_t		 id;
	uint16_t		 type;
	const char		*name;
	const char		*stem;
};

static void	 usage(void) __attribute__((__noreturn__));
static void	 capture_addr(struct capture *, struct sockaddr_storage *,
		    const char *, uint16_t);
static size_t	 capture_query(const struct capture *, uint8_t *, size_t);
static void	 capture_put16(uint8_t *, uint16_t);
static void	 capture_wait(int);
static size_t	 capture_udp(const struct capture *, int, const uint8_t *,
		    size_t, uint8_t *);
static size_t	 capture_tcp(const struct capture *, int, const uint8_t *,
		    size_t, uint8_t *);
static void	 capture_write(const char *, const char *, const void *,
		    size_t);
static void	 capture_tuple(const struct capture *);

static void
usage(void)
{
	fprintf(stderr, "usage: ruled-dns-capture [-te] -b client-addr "
	    "-p client-port -s server-addr -i id -o stem name type\n");
	exit(2);
}

static void
capture_addr(struct capture *c, struct sockaddr_storage *ss,
    const char *addr, uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		c->slen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		c->slen = sizeof(*sin6);
	} else
		errx(2, "bad address: %s", addr);
	if (c->family != 0 && c->family != ss->ss_family)
		errx(2, "client and server families differ");
	c->family = ss->ss_family;
}

static void
capture_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* A stub's query: RD set, one question, optionally an EDNS0 OPT record. */
static size_t
capture_query(const struct capture *c, uint8_t *q, size_t size)
{
	const char	*s = c->name, *dot;
	size_t		 n = 12, l;

	memset(q, 0, 12);
	capture_put16(q, c->id);
	capture_put16(q + 2, 0x0100);
	capture_put16(q + 4, 1);
	capture_put16(q + 10, c->edns ? 1 : 0);
	while (*s != '\0') {
		dot = strchr(s, '.');
		l = dot != NULL ? (size_t)(dot - s) : strlen(s);
		if (l == 0 || l > 63 || n + 1 + l + 16 > size)
			errx(2, "bad name: %s", c->name);
		q[n++] = (uint8_t)l;
		memcpy(q + n, s, l);
		n += l;
		s += l + (dot != NULL);
	}
	q[n++] = 0;
	capture_put16(q + n, c->type);
	capture_put16(q + n + 2, 1);
	n += 4;
	if (c->edns) {
		/* root, OPT, 1232-byte payload, no flags, no options */
		q[n++] = 0;
		capture_put16(q + n, 41);
		capture_put16(q + n + 2, 1232);
		memset(q + n + 4, 0, 6);
		n += 10;
	}
	return n;
}

static void
capture_wait(int fd)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	int		r;

	if ((r = poll(&pfd, 1, CAPTURE_TIMEOUT_MS)) == -1)
		err(1, "poll");
	if (r == 0)
		errx(1, "no reply within %d ms", CAPTURE_TIMEOUT_MS);
}

static size_t
capture_udp(const struct capture *c, int fd, const uint8_t *q, size_t qlen,
    uint8_t *r)
{
	ssize_t	n;

	if (sendto(fd, q, qlen, 0, (const struct sockaddr *)&c->server,
	    c->slen) != (ssize_t)qlen)
		err(1, "sendto");
	capture_wait(fd);
	if ((n = recv(fd, r, CAPTURE_MAX, 0)) == -1)
		err(1, "recv");
	return (size_t)n;
}

static size_t
capture_tcp(const struct capture *c, int fd, const uint8_t *q, size_t qlen,
    uint8_t *r)
{
	size_t	have = 0, want = 2;
	ssize_t	n;

	if (connect(fd, (const struct sockaddr *)&c->server, c->slen) == -1)
		err(1, "connect");
	if (write(fd, q, qlen) != (ssize_t)qlen)
		err(1, "write");
	while (have < want) {
		capture_wait(fd);
		if ((n = read(fd, r + have, want - have)) == -1)
			err(1, "read");
		if (n == 0)
			errx(1, "connection closed after %zu bytes", have);
		have += (size_t)n;
		if (have == 2)
			want = 2 + (size_t)(r[0] << 8 | r[1]);
	}
	return have;
}

static void
capture_write(const char *stem, const char *ext, const void *p, size_t len)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof(path), "%s.%s", stem, ext);
	if ((f = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	if (fwrite(p, 1, len, f) != len || fclose(f) != 0)
		err(1, "%s", path);
}

static void
capture_tuple(const struct capture *c)
{
	char		 ca[INET6_ADDRSTRLEN], sa[INET6_ADDRSTRLEN];
	char		 line[256];
	const void	*cp, *sp;
	uint16_t	 cport, sport;

	if (c->family == AF_INET) {
		cp = &((const struct sockaddr_in *)&c->client)->sin_addr;
		sp = &((const struct sockaddr_in *)&c->server)->sin_addr;
		cport = ((const struct sockaddr_in *)&c->client)->sin_port;
		sport = ((const struct sockaddr_in *)&c->server)->sin_port;
	} else {
		cp = &((const struct sockaddr_in6 *)&c->client)->sin6_addr;
		sp = &((const struct sockaddr_in6 *)&c->server)->sin6_addr;
		cport = ((const struct sockaddr_in6 *)&c->client)->sin6_port;
		sport = ((const struct sockaddr_in6 *)&c->server)->sin6_port;
	}
	inet_ntop(c->family, cp, ca, sizeof(ca));
	inet_ntop(c->family, sp, sa, sizeof(sa));
	snprintf(line, sizeof(line), "%s %s %u %s %u\n",
	    c->tcp ? "tcp" : "udp", ca, ntohs(cport), sa, ntohs(sport));
	capture_write(c->stem, "tuple", line, strlen(line));
}

int
main(int argc, char *argv[])
{
	struct capture	 c;
	const char	*bind_addr = NULL, *server = NULL;
	uint8_t		 q[2 + 512], *r;
	size_t		 qlen, rlen;
	long		 port = -1, id = -1;
	int		 ch, fd, one = 1;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt(argc, argv, "b:ei:o:p:s:t")) != -1) {
		switch (ch) {
		case 'b':
			bind_addr = optarg;
			break;
		case 'e':
			c.edns = 1;
			break;
		case 'i':
			id = strtol(optarg, NULL, 0);
			break;
		case 'o':
			c.stem = optarg;
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			break;
		case 's':
			server = optarg;
			break;
		case 't':
			c.tcp = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || bind_addr == NULL || server == NULL ||
	    c.stem == NULL || port < 1 || port > 65535 || id < 0 || id > 65535)
		usage();
	c.name = argv[0];
	c.type = (uint16_t)strtol(argv[1], NULL, 10);
	c.id = (uint16_t)id;
	capture_addr(&c, &c.client, bind_addr, (uint16_t)port);
	capture_addr(&c, &c.server, server, 53);

	if ((r = malloc(CAPTURE_MAX)) == NULL)
		err(1, NULL);
	if ((fd = socket(c.family, c.tcp ? SOCK_STREAM : SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		err(1, "SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&c.client, c.slen) == -1)
		err(1, "bind %s port %ld", bind_addr, port);
	qlen = capture_query(&c, q + 2, sizeof(q) - 2);
	if (c.tcp) {
		capture_put16(q, (uint16_t)qlen);
		qlen += 2;
		rlen = capture_tcp(&c, fd, q, qlen, r);
		capture_write(c.stem, "query", q, qlen);
	} else {
		rlen = capture_udp(&c, fd, q + 2, qlen, r);
		capture_write(c.stem, "query", q + 2, qlen);
	}
	capture_write(c.stem, "reply", r, rlen);
	capture_tuple(&c);
	close(fd);
	free(r);
	return 0;
}
