/*
 * attrd-client.c: the program attrd-e2e.sh copies under unique names
 * and runs inside the guarded namespace.  It makes one connection and
 * says by its exit status how it went: 0 it got through, 1 refused, 2
 * no answer in time, 3 something else failed.
 *
 *	attrd-client [-w] MODE ADDR PORT [TIMEOUT_MS]
 *	-w	first print "ready" and wait for SIGUSR1 (at most 10 s), so
 *		that the test can rename or delete this file meanwhile
 *	MODE	tcp: connect; tcp2: connect twice; udp: send, wait for
 *		the echo; udplite: the same over UDP-Lite;
 *		udp-exit: send one datagram and exit at once;
 *		raw-exit: send one ICMP echo from a raw socket, exit at once
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE	136
#endif

#define WAIT_GO_S	10

static int	 client_addr(const char *, const char *,
		    struct sockaddr_storage *, socklen_t *);
static int	 client_tcp(const struct sockaddr_storage *, socklen_t, int);
static int	 client_udp(const struct sockaddr_storage *, socklen_t, int,
		    int, int);
static int	 client_raw(const struct sockaddr_storage *, socklen_t);
static void	 client_wait_go(void);
static void	 on_usr1(int);
static void	 on_alarm(int);

static volatile sig_atomic_t	 go;

static int
client_addr(const char *addr, const char *port, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		*sl = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		*sl = sizeof(*s6);
		return 0;
	}
	return -1;
}

static int
client_tcp(const struct sockaddr_storage *ss, socklen_t sl, int ms)
{
	struct pollfd	 p;
	socklen_t	 el = sizeof(int);
	int		 s, err = 0;

	if ((s = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return 3;
	if (connect(s, (const struct sockaddr *)ss, sl) == 0)
		return 0;
	if (errno == ECONNREFUSED)
		return 1;
	if (errno != EINPROGRESS)
		return 3;
	p.fd = s;
	p.events = POLLOUT;
	if (poll(&p, 1, ms) != 1)
		return 2;
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el) == -1)
		return 3;
	return err == 0 ? 0 : err == ECONNREFUSED ? 1 : 3;
}

static int
client_udp(const struct sockaddr_storage *ss, socklen_t sl, int ms, int wait,
    int proto)
{
	struct pollfd	 p;
	char		 msg[64], buf[64];
	ssize_t		 n;
	int		 s;

	if ((s = socket(ss->ss_family, SOCK_DGRAM, proto)) == -1 ||
	    connect(s, (const struct sockaddr *)ss, sl) == -1)
		return 3;
	snprintf(msg, sizeof(msg), "attrd %ld", (long)getpid());
	if (send(s, msg, strlen(msg), 0) == -1)
		return errno == ECONNREFUSED ? 1 : 3;
	if (!wait)
		_exit(0);
	p.fd = s;
	p.events = POLLIN;
	if (poll(&p, 1, ms) != 1)
		return 2;
	if ((n = recv(s, buf, sizeof(buf), 0)) == -1)
		return errno == ECONNREFUSED ? 1 : 3;
	return (size_t)n == strlen(msg) && memcmp(buf, msg, n) == 0 ? 0 : 3;
}

/* An echo request with our pid as its id, then gone. */
static int
client_raw(const struct sockaddr_storage *ss, socklen_t sl)
{
	struct icmphdr	 ic;
	uint32_t	 sum;
	uint16_t	*w = (uint16_t *)&ic;
	size_t		 i;
	int		 s;

	if ((s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1)
		return 3;
	memset(&ic, 0, sizeof(ic));
	ic.type = ICMP_ECHO;
	ic.un.echo.id = htons((uint16_t)getpid());
	ic.un.echo.sequence = htons(1);
	for (sum = 0, i = 0; i < sizeof(ic) / 2; i++)
		sum += w[i];
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	ic.checksum = (uint16_t)~sum;
	if (sendto(s, &ic, sizeof(ic), 0, (const struct sockaddr *)ss, sl) ==
	    -1)
		return 3;
	_exit(0);
}

static void
on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

/* Handled, not default: as pid 1 of a pid namespace, default is ignore. */
static void
on_alarm(int sig)
{
	(void)sig;
	_exit(3);
}

static void
client_wait_go(void)
{
	struct sigaction	 sa;
	sigset_t		 block, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	alarm(WAIT_GO_S);
	while (!go)
		sigsuspend(&old);
	alarm(0);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	const char		*mode;
	int			 ms = 1000, a = 1;

	if (argc > 1 && strcmp(argv[1], "-w") == 0) {
		client_wait_go();
		a++;
	}
	if (argc - a < 3 || argc - a > 4 ||
	    client_addr(argv[a + 1], argv[a + 2], &ss, &sl) == -1) {
		fprintf(stderr, "usage: attrd-client [-w] MODE ADDR PORT "
		    "[TIMEOUT_MS]\n");
		return 3;
	}
	if (argc - a == 4)
		ms = atoi(argv[a + 3]);
	mode = argv[a];
	if (strcmp(mode, "tcp") == 0)
		return client_tcp(&ss, sl, ms);
	if (strcmp(mode, "tcp2") == 0)
		return client_tcp(&ss, sl, ms) | client_tcp(&ss, sl, ms);
	if (strcmp(mode, "udp") == 0)
		return client_udp(&ss, sl, ms, 1, 0);
	if (strcmp(mode, "udplite") == 0)
		return client_udp(&ss, sl, ms, 1, IPPROTO_UDPLITE);
	if (strcmp(mode, "udp-exit") == 0)
		return client_udp(&ss, sl, ms, 0, 0);
	if (strcmp(mode, "raw-exit") == 0)
		return client_raw(&ss, sl);
	return 3;
}
