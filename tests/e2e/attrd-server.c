/*
 * attrd-server.c: the other end of attrd-e2e.sh's connections, inside
 * the guarded namespace.  TCP: accepts and closes, on 127.0.0.1 and
 * ::1.  UDP and UDP-Lite: echoes each datagram back and logs "udp
 * PAYLOAD" or "udplite PAYLOAD".  ICMP: a raw socket logs "icmp-echo ID"
 * for each echo request that got through.  It writes "ready" once
 * everything is bound and stops on SIGTERM or after its lifetime.
 *
 *	attrd-server PORT LOGFILE [LIFETIME_S]
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE	136
#endif

enum { S_TCP4, S_TCP6, S_UDP4, S_UDP6, S_LITE4, S_LITE6, S_ICMP, S_MAX };

static int	 server_bind(int, int, int, const char *, int);
static void	 server_log(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 server_udp(int, int, const char *);
static void	 server_icmp(int, int);
static void	 on_term(int);

static volatile sig_atomic_t	 stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int
server_bind(int family, int type, int proto, const char *addr, int port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 sl;
	int			 s, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		sl = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		sl = sizeof(*s6);
	}
	if ((s = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto)) ==
	    -1)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, sl) == -1 ||
	    (type == SOCK_STREAM && listen(s, 64) == -1)) {
		close(s);
		return -1;
	}
	return s;
}

static void
server_log(int fd, const char *fmt, ...)
{
	char	 line[256];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(fd, line, (size_t)n);
}

static void
server_udp(int s, int log, const char *what)
{
	struct sockaddr_storage	 from;
	socklen_t		 fl;
	char			 buf[128];
	ssize_t			 n;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(s, buf, sizeof(buf) - 1, 0,
		    (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		buf[n] = '\0';
		server_log(log, "%s %s", what, buf);
		(void)sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from,
		    fl);
	}
}

static void
server_icmp(int s, int log)
{
	uint8_t		 buf[256];
	struct ip	*ip = (struct ip *)buf;
	struct icmphdr	*ic;
	ssize_t		 n;
	size_t		 hl;

	for (;;) {
		if ((n = recv(s, buf, sizeof(buf), 0)) < 0)
			return;
		if ((size_t)n < sizeof(*ip))
			continue;
		hl = (size_t)ip->ip_hl * 4;
		if ((size_t)n < hl + sizeof(*ic))
			continue;
		ic = (struct icmphdr *)(buf + hl);
		if (ic->type == ICMP_ECHO)
			server_log(log, "icmp-echo %u",
			    ntohs(ic->un.echo.id));
	}
}

int
main(int argc, char *argv[])
{
	struct pollfd	 p[S_MAX];
	struct sigaction sa;
	time_t		 end;
	int		 port, log, i, a;

	if (argc < 3 || argc > 4 || (port = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: attrd-server PORT LOGFILE "
		    "[LIFETIME_S]\n");
		return 2;
	}
	end = time(NULL) + (argc == 4 ? atoi(argv[3]) : 300);
	if ((log = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) == -1)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	p[S_TCP4].fd = server_bind(AF_INET, SOCK_STREAM, 0, "127.0.0.1", port);
	p[S_TCP6].fd = server_bind(AF_INET6, SOCK_STREAM, 0, "::1", port);
	p[S_UDP4].fd = server_bind(AF_INET, SOCK_DGRAM, 0, "127.0.0.1", port);
	p[S_UDP6].fd = server_bind(AF_INET6, SOCK_DGRAM, 0, "::1", port);
	p[S_LITE4].fd = server_bind(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE,
	    "127.0.0.1", port);
	p[S_LITE6].fd = server_bind(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE,
	    "::1", port);
	p[S_ICMP].fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, IPPROTO_ICMP);
	for (i = 0; i < S_MAX; i++) {
		if (p[i].fd == -1) {
			fprintf(stderr, "attrd-server: socket %d: %s\n", i,
			    strerror(errno));
			return 1;
		}
		p[i].events = POLLIN;
	}
	server_log(log, "ready");
	while (!stop && time(NULL) < end) {
		if (poll(p, S_MAX, 200) <= 0)
			continue;
		for (i = S_TCP4; i <= S_TCP6; i++)
			if (p[i].revents & POLLIN)
				while ((a = accept4(p[i].fd, NULL, NULL,
				    SOCK_CLOEXEC)) != -1)
					close(a);
		for (i = S_UDP4; i <= S_LITE6; i++)
			if (p[i].revents & POLLIN)
				server_udp(p[i].fd, log, i >= S_LITE4 ?
				    "udplite" : "udp");
		if (p[S_ICMP].revents & POLLIN)
			server_icmp(p[S_ICMP].fd, log);
	}
	return 0;
}
