/*
 * attr-client.c: the program the attribution tests copy under a unique
 * name and run.  It makes one connection and reports what it did on fd 3
 * (struct attr_report), then waits for a byte on fd 4 before exiting,
 * unless the mode exits at once.
 *
 *	attr-client MODE ADDR PORT
 *	MODE: tcp, tcp-thread, udp, udplite, udp-exit, raw-exit; a
 *	      "wait-" prefix first reports pid 0 and port 0 and waits for a
 *	      byte on fd 4.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FD_REPORT	3
#define FD_GO		4

struct attr_report {
	int32_t		pid;		/* getpid(): namespace-local */
	int32_t		tid;		/* the thread that connected */
	uint16_t	sport;
	uint16_t	pad;
	int32_t		err;		/* errno of a failed step, or 0 */
};

static int	 client_addr(const char *, const char *,
		    struct sockaddr_storage *, socklen_t *);
static uint16_t	 client_sport(int);
static int	 client_tcp(const struct sockaddr_storage *, socklen_t,
		    struct attr_report *);
static int	 client_udp(const struct sockaddr_storage *, socklen_t, int,
		    struct attr_report *);
static int	 client_raw(const struct sockaddr_storage *, socklen_t,
		    struct attr_report *);
static void	*client_thread(void *);
static void	 client_report(const struct attr_report *);

static struct sockaddr_storage	 g_ss;
static socklen_t		 g_sl;
static struct attr_report	 g_rep;

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

static uint16_t
client_sport(int s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);

	if (getsockname(s, (struct sockaddr *)&ss, &sl) == -1)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int
client_tcp(const struct sockaddr_storage *ss, socklen_t sl,
    struct attr_report *r)
{
	int	 s;

	r->tid = (int32_t)syscall(SYS_gettid);
	if ((s = socket(ss->ss_family, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(s, (const struct sockaddr *)ss, sl) == -1)
		r->err = errno;
	r->sport = client_sport(s);
	return s;
}

static int
client_udp(const struct sockaddr_storage *ss, socklen_t sl, int proto,
    struct attr_report *r)
{
	int	 s;

	r->tid = (int32_t)syscall(SYS_gettid);
	if ((s = socket(ss->ss_family, SOCK_DGRAM, proto)) == -1) {
		r->err = errno;
		return -1;
	}
	if (sendto(s, "x", 1, 0, (const struct sockaddr *)ss, sl) != 1)
		r->err = errno;
	r->sport = client_sport(s);
	return s;
}

static int
client_raw(const struct sockaddr_storage *ss, socklen_t sl,
    struct attr_report *r)
{
	struct icmphdr	 ic;
	int		 s;

	r->tid = (int32_t)syscall(SYS_gettid);
	if ((s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1)
		return -1;
	memset(&ic, 0, sizeof(ic));
	ic.type = ICMP_ECHO;
	ic.checksum = htons(~(ICMP_ECHO << 8));
	if (sendto(s, &ic, sizeof(ic), 0, (const struct sockaddr *)ss, sl) ==
	    -1)
		r->err = errno;
	return s;
}

static void *
client_thread(void *arg)
{
	(void)arg;
	(void)client_tcp(&g_ss, g_sl, &g_rep);
	return NULL;
}

static void
client_report(const struct attr_report *r)
{
	if (write(FD_REPORT, r, sizeof(*r)) != (ssize_t)sizeof(*r))
		_exit(3);
}

int
main(int argc, char *argv[])
{
	const char	*mode;
	pthread_t	 th;
	char		 c;

	if (argc != 4 || client_addr(argv[2], argv[3], &g_ss, &g_sl) == -1)
		return 2;
	mode = argv[1];
	memset(&g_rep, 0, sizeof(g_rep));
	if (strncmp(mode, "wait-", 5) == 0) {
		client_report(&g_rep);
		if (read(FD_GO, &c, 1) != 1)
			return 3;
		mode += 5;
	}
	g_rep.pid = getpid();
	if (strcmp(mode, "tcp") == 0)
		(void)client_tcp(&g_ss, g_sl, &g_rep);
	else if (strcmp(mode, "tcp-thread") == 0) {
		if (pthread_create(&th, NULL, client_thread, NULL) != 0 ||
		    pthread_join(th, NULL) != 0)
			return 3;
	} else if (strcmp(mode, "udp") == 0 || strcmp(mode, "udp-exit") == 0)
		(void)client_udp(&g_ss, g_sl, IPPROTO_UDP, &g_rep);
	else if (strcmp(mode, "udplite") == 0)
		(void)client_udp(&g_ss, g_sl, IPPROTO_UDPLITE, &g_rep);
	else if (strcmp(mode, "raw-exit") == 0)
		(void)client_raw(&g_ss, g_sl, &g_rep);
	else
		return 2;
	client_report(&g_rep);
	if (strstr(mode, "exit") != NULL)
		_exit(0);
	(void)!read(FD_GO, &c, 1);
	return 0;
}
