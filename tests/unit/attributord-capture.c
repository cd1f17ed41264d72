/*
 * attributord-capture.c: regenerate the raw ring-buffer pages the ftrace unit
 * test decodes (not run by `make check`; run as root by hand):
 *
 *	cd tests/unit/data &&
 *	    attributord-capture attr-pages.bin attr-pages.txt
 *
 * It creates its own tracefs instance, then, inside a network namespace
 * it creates: forks and execs /bin/true, starts a thread, connects TCP to
 * 127.0.0.1:9 (refused), sends UDP to 127.0.0.1:9 and [::1]:9; then
 * reads every page and removes the instance.  The .txt file records the
 * pids and ports the test looks for.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracefs.h"

static void	*cap_thread(void *);
static uint16_t	 cap_udp(int, const char *);
static int	 cap_lo_up(void);

static pid_t	 thread_tid;

static void *
cap_thread(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	return NULL;
}

static int
cap_lo_up(void)
{
	struct ifreq	 ifr;
	int		 s, r;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	r = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return r;
}

static uint16_t
cap_udp(int family, const char *addr)
{
	struct sockaddr_storage	 ss, ls;
	socklen_t		 sl, ll = sizeof(ls);
	int			 s;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(9);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(9);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		sl = sizeof(*s6);
	}
	if ((s = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    sendto(s, "x", 1, 0, (struct sockaddr *)&ss, sl) != 1 ||
	    getsockname(s, (struct sockaddr *)&ls, &ll) == -1)
		return 0;
	close(s);
	return ntohs(family == AF_INET ? ((struct sockaddr_in *)&ls)->sin_port
	    : ((struct sockaddr_in6 *)&ls)->sin6_port);
}

int
main(int argc, char *argv[])
{
	static uint8_t		 page[1024 * 1024];
	struct tracefs		 t;
	struct sockaddr_in	 sa;
	pthread_t		 th;
	FILE			*bin, *txt;
	pid_t			 child;
	uint16_t		 u4, u6;
	uint32_t		 cpu, len, npages = 0;
	long			 where;
	ssize_t			 n;
	int			 s;

	if (argc != 3)
		return 2;
	if (tracefs_open(&t, getpid()) == -1)
		return 1;
	if (unshare(CLONE_NEWNET) == -1 || cap_lo_up() == -1)
		goto fail;
	if ((child = fork()) == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(child, NULL, 0);
	if (pthread_create(&th, NULL, cap_thread, NULL) != 0 ||
	    pthread_join(th, NULL) != 0)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(9);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	(void)connect(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
	u4 = cap_udp(AF_INET, "127.0.0.1");
	u6 = cap_udp(AF_INET6, "::1");
	usleep(10000);

	if ((bin = fopen(argv[1], "w")) == NULL ||
	    (txt = fopen(argv[2], "w")) == NULL)
		goto fail;
	fwrite(&t.layout, sizeof(t.layout), 1, bin);
	where = ftell(bin);
	fwrite(&npages, sizeof(npages), 1, bin);
	for (cpu = 0; cpu < t.ncpu; cpu++)
		while ((n = read(t.raw[cpu], page, t.layout.page_size)) > 0) {
			len = (uint32_t)n;
			fwrite(&cpu, sizeof(cpu), 1, bin);
			fwrite(&len, sizeof(len), 1, bin);
			fwrite(page, 1, len, bin);
			npages++;
		}
	fseek(bin, where, SEEK_SET);
	fwrite(&npages, sizeof(npages), 1, bin);
	fclose(bin);
	fprintf(txt, "capture_pid %d\ntrue_pid %d\nthread_tid %d\n"
	    "udp4_sport %u\nudp6_sport %u\npages %u\n", (int)getpid(),
	    (int)child, (int)thread_tid, u4, u6, npages);
	fclose(txt);
	tracefs_stop(&t);
	tracefs_close(&t);
	return tracefs_remove(getpid()) == 0 ? 0 : 1;
 fail:
	tracefs_stop(&t);
	tracefs_close(&t);
	tracefs_remove(getpid());
	return 1;
}
