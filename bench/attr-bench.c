/*
 * attr-bench.c: attribution time per connection, as attributord would
 * spend it: ftrace-hit TCP connects and UDP sends, and UDP sends found
 * by sock_diag + the /proc fd scan (warm: the pid is in the recent list;
 * cold: a full scan).  Also the ftrace lag: whether the event of a
 * connect() that just returned is already readable by a non-blocking
 * read, and how old it is when read.  Then attributord's whole work for
 * a connection (attrd_attribute: resolve, the process's attributes from
 * the cache or /proc, the MSG_CONN_ATTR): cache hits, cache misses,
 * misses with the md5 wanted (with ATTR_BENCH_NS, see main(): misses
 * of a process in another mount namespace, its path checked on the
 * host).  Root; own tracefs instance and network
 * namespace, both gone at exit.  Not sandboxed: seccomp adds its cost
 * to every system call in the daemon.
 *
 *	attr-bench [iterations]
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attributord.h"
#include "ftrace.h"
#include "procfs.h"
#include "proctable.h"
#include "resolve.h"
#include "sockdiag.h"
#include "tracefs.h"

#define PORT	19090

static int	 bench_lo_up(void);
static int	 bench_cmp(const void *, const void *);
static void	 bench_report(const char *, uint64_t *, size_t, size_t);
static int	 bench_tcp(struct attr_ctx *, int, size_t, uint64_t *,
		    uint64_t *, uint64_t *, size_t *, size_t *);
static int	 bench_udp(struct attr_ctx *, size_t, int, uint64_t *,
		    size_t *);
static int	 bench_full(struct attrd *, int, size_t, int, uint64_t *,
		    size_t *);
static void	 bench_cleanup(void);
static void	 bench_alarm(int);

static struct tracefs	 tfs;
static int		 have_tfs;

static void
bench_cleanup(void)
{
	if (have_tfs) {
		tracefs_stop(&tfs);
		tracefs_close(&tfs);
		(void)tracefs_remove(tfs.owner);
		have_tfs = 0;
	}
}

static void
bench_alarm(int sig)
{
	(void)sig;
	bench_cleanup();
	_exit(1);
}

static int
bench_lo_up(void)
{
	struct ifreq	 ifr;
	int		 s, r;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
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

static int
bench_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
bench_report(const char *what, uint64_t *v, size_t n, size_t bad)
{
	if (n == 0) {
		printf("%-34s no samples (%zu not attributed)\n", what, bad);
		return;
	}
	qsort(v, n, sizeof(*v), bench_cmp);
	printf("%-34s n=%zu p50=%.1f us p99=%.1f us max=%.1f us "
	    "(not attributed: %zu)\n", what, n, v[n / 2] / 1e3,
	    v[(n * 99) / 100] / 1e3, v[n - 1] / 1e3, bad);
}

/*
 * n connects; t[] the resolve time, lag[] event-read minus event time,
 * age[] connect-return minus event time; *first counts events that the
 * first non-blocking drain after connect() found.
 */
static int
bench_tcp(struct attr_ctx *ac, int lsock, size_t n, uint64_t *t,
    uint64_t *lag, uint64_t *age, size_t *nt, size_t *first)
{
	struct sockaddr_in	 sa, la;
	struct conn_tuple	 q;
	struct attr_who		 w;
	struct ftrace_flow	*fl[4];
	socklen_t		 ll;
	uint64_t		 back, t0, t1;
	size_t			 i, bad = 0;
	int			 s, a;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(PORT);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*nt = *first = 0;
	for (i = 0; i < n; i++) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 &&
		    errno != EINPROGRESS)
			return -1;
		back = attr_now();
		ll = sizeof(la);
		getsockname(s, (struct sockaddr *)&la, &ll);
		memset(&q, 0, sizeof(q));
		q.family = AF_INET;
		q.proto = IPPROTO_TCP;
		q.sport = ntohs(la.sin_port);
		q.dport = PORT;
		memcpy(q.saddr, &la.sin_addr, 4);
		memcpy(q.daddr, &sa.sin_addr, 4);
		t0 = attr_now();
		attr_resolve(ac, &q, t0, &w);
		t1 = attr_now();
		if (w.source == ATTR_SRC_FTRACE && w.pid == getpid()) {
			t[*nt] = t1 - t0;
			if (ftrace_find_flows(ac->ft, &q, t1, fl, 4) > 0) {
				lag[*nt] = t0 - fl[0]->ts;
				age[*nt] = back - fl[0]->ts;
			}
			(*nt)++;
			(*first)++;
		} else
			bad++;
		close(s);
		while ((a = accept4(lsock, NULL, NULL, SOCK_NONBLOCK)) != -1)
			close(a);
	}
	return (int)bad;
}

/* n UDP sends; with cold, the recent-pid list is cleared each time. */
static int
bench_udp(struct attr_ctx *ac, size_t n, int cold, uint64_t *t, size_t *nt)
{
	struct sockaddr_in	 sa, la;
	struct conn_tuple	 q;
	struct attr_who		 w;
	socklen_t		 ll;
	uint64_t		 t0, t1;
	size_t			 i, bad = 0;
	int			 s;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(PORT);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*nt = 0;
	for (i = 0; i < n; i++) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa));
		ll = sizeof(la);
		getsockname(s, (struct sockaddr *)&la, &ll);
		memset(&q, 0, sizeof(q));
		q.family = AF_INET;
		q.proto = IPPROTO_UDP;
		q.sport = ntohs(la.sin_port);
		q.dport = PORT;
		memcpy(q.saddr, &la.sin_addr, 4);
		memcpy(q.daddr, &sa.sin_addr, 4);
		if (cold)
			memset(ac->pf->recent, 0, sizeof(ac->pf->recent));
		t0 = attr_now();
		attr_resolve(ac, &q, t0, &w);
		t1 = attr_now();
		if ((w.source == ATTR_SRC_FTRACE ||
		    w.source == ATTR_SRC_SOCKDIAG) && w.pid == getpid())
			t[(*nt)++] = t1 - t0;
		else
			bad++;
		close(s);
	}
	return (int)bad;
}

/*
 * n connects, each attributed as attributord does it; with cold, the
 * attribute cache is emptied first so that /proc is read every time.
 */
static int
bench_full(struct attrd *ad, int lsock, size_t n, int cold, uint64_t *t,
    size_t *nt)
{
	static struct msg	 m, out;
	struct sockaddr_in	 sa, la;
	struct msg_conn		 c;
	struct msg_conn_attr	 ca;
	socklen_t		 ll;
	uint64_t		 t0, t1;
	size_t			 i, bad = 0;
	int			 s, a;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(PORT);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*nt = 0;
	for (i = 0; i < n; i++) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 &&
		    errno != EINPROGRESS)
			return -1;
		ll = sizeof(la);
		getsockname(s, (struct sockaddr *)&la, &ll);
		memset(&c, 0, sizeof(c));
		c.t.family = AF_INET;
		c.t.proto = IPPROTO_TCP;
		c.t.sport = ntohs(la.sin_port);
		c.t.dport = PORT;
		memcpy(c.t.saddr, &la.sin_addr, 4);
		memcpy(c.t.daddr, &sa.sin_addr, 4);
		c.uid = CONN_UID_UNKNOWN;
		c.stamp_ns = attr_now();
		msg_init(&m, MSG_CONN, (uint32_t)i + 1);
		msg_set_body(&m, &c, sizeof(c));
		if (cold)
			attrd_cache_clear(&ad->cache);
		t0 = attr_now();
		attrd_attribute(ad, &m, &out);
		t1 = attr_now();
		msg_get_body(&out, &ca, sizeof(ca));
		if (ca.source == SRC_FTRACE && ca.pid == (uint32_t)getpid() &&
		    !(ca.flags & CONN_F_RACED))
			t[(*nt)++] = t1 - t0;
		else
			bad++;
		close(s);
		while ((a = accept4(lsock, NULL, NULL, SOCK_NONBLOCK)) != -1)
			close(a);
	}
	return (int)bad;
}

int
main(int argc, char *argv[])
{
	static struct attrd	 ad;
	static struct ftrace	 ft;
	struct proctable	 pt;
	struct sockdiag		 sd;
	struct procfs		 pf;
	struct attr_ctx		 ac;
	struct sockaddr_in	 sa;
	struct stat		 nsst;
	const char		*nsname;
	uint64_t		*t, *lag, *age;
	size_t			 n = 2000, nt, first, nproc = 0;
	int			 bad, lsock, procfd;
	DIR			*d;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	if (n == 0 || n > 1000000 || geteuid() != 0) {
		fprintf(stderr, "usage: attr-bench [iterations] (as root)\n");
		return 2;
	}
	t = calloc(n, sizeof(*t));
	lag = calloc(n, sizeof(*lag));
	age = calloc(n, sizeof(*age));
	if (t == NULL || lag == NULL || age == NULL)
		return 1;
	signal(SIGALRM, bench_alarm);
	alarm(300);
	atexit(bench_cleanup);
	if (tracefs_open(&tfs, getpid()) == -1)
		return 1;
	have_tfs = 1;
	if (ftrace_init(&ft, &tfs.layout, tfs.raw, tfs.ncpu) == -1 ||
	    proctable_init(&pt) == -1 || unshare(CLONE_NEWNET) == -1 ||
	    bench_lo_up() == -1 || sockdiag_open(&sd) == -1)
		return 1;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfs_init(&pf, procfd) == -1)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(PORT);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (bind(lsock, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(lsock, 4096) == -1)
		return 1;
	if ((d = opendir("/proc")) != NULL) {
		struct dirent *de;

		while ((de = readdir(d)) != NULL)
			nproc += de->d_name[0] >= '1' && de->d_name[0] <= '9';
		closedir(d);
	}
	memset(&ac, 0, sizeof(ac));
	ac.ft = &ft;
	ac.pt = &pt;
	ac.sd = &sd;
	ac.pf = &pf;
	ac.scan_budget_ns = PROCFS_SCAN_BUDGET_NS;
	printf("attr-bench: %zu iterations, %zu processes in /proc, "
	    "%u CPUs\n", n, nproc, tfs.ncpu);

	bad = bench_tcp(&ac, lsock, n, t, lag, age, &nt, &first);
	if (bad < 0)
		return 1;
	bench_report("tcp connect, ftrace hit:", t, nt, (size_t)bad);
	printf("%-34s %zu of %zu\n", "  event readable at first drain:",
	    first, n);
	bench_report("  event age at read (lag):", lag, nt, 0);
	bench_report("  event age at connect() return:", age, nt, 0);
	bad = bench_udp(&ac, n, 0, t, &nt);
	bench_report("udp send, ftrace hit (route):", t, nt, (size_t)bad);
	ac.ft = NULL;
	bad = bench_udp(&ac, n, 0, t, &nt);
	bench_report("udp send, sock_diag+/proc warm:", t, nt, (size_t)bad);
	bad = bench_udp(&ac, n / 10 + 1, 1, t, &nt);
	bench_report("udp send, sock_diag+/proc cold:", t, nt, (size_t)bad);
	printf("ftrace: %llu pages, %llu events, %llu lost pages\n",
	    (unsigned long long)ft.st.pages, (unsigned long long)ft.st.events,
	    (unsigned long long)ft.st.missed_pages);
	ftrace_free(&ft);

	/* attributord's own state, on the same pipes from here on. */
	memset(&ad, 0, sizeof(ad));
	ad.pf = pf;
	/*
	 * As attributord_open(): the host's root and mount namespace, its
	 * own unless ATTR_BENCH_NS names another (PID/ns/mnt under /proc):
	 * `ATTR_BENCH_NS=$$/ns/mnt unshare -m attr-bench` measures the
	 * check a process in another mount namespace meets.
	 */
	if ((nsname = getenv("ATTR_BENCH_NS")) == NULL)
		nsname = "self/ns/mnt";
	if ((ad.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fstatat(procfd, nsname, &nsst, 0) == -1)
	{
		perror("/ or the mount namespace");
		return 1;
	}
	ad.host_mntns_dev = nsst.st_dev;
	ad.host_mntns_ino = nsst.st_ino;
	ad.sd = sd;
	ad.have_sd = 1;
	ad.have_config = 1;
	attrd_cache_init(&ad.cache);
	attrd_trace_init(&ad);
	if (proctable_init(&ad.pt) == -1 || ftrace_init(&ad.ft, &tfs.layout,
	    tfs.raw, tfs.ncpu) == -1)
		return 1;
	ad.tr.state = TR_ON;
	ad.ac.ft = &ad.ft;
	ad.ac.pt = &ad.pt;
	ad.ac.sd = &ad.sd;
	ad.ac.pf = &ad.pf;
	ad.ac.scan_budget_ns = PROCFS_SCAN_BUDGET_NS;
	/*
	 * Nothing read the ring during the sock_diag rounds: it may have
	 * overflowed, which would keep ftrace out for FTRACE_FLOW_KEEP_NS.
	 * That loss is this bench's own doing; start afresh.
	 */
	(void)ftrace_drain(&ad.ft, attr_now(), attr_event_cb, &ad.ac);
	ad.ft.last_loss_ts = 0;
	bad = bench_full(&ad, lsock, n, 0, t, &nt);
	bench_report("attributord, cache hit:", t, nt, (size_t)bad);
	bad = bench_full(&ad, lsock, n / 4 + 1, 1, t, &nt);
	bench_report("attributord, cache miss (/proc):", t, nt,
	    (size_t)bad);
	ad.need_md5 = 1;
	bad = bench_full(&ad, lsock, n / 4 + 1, 1, t, &nt);
	bench_report("attributord, miss, md5 wanted:", t, nt, (size_t)bad);
	printf("%-34s %llu hits, %llu misses\n", "  attribute cache:",
	    (unsigned long long)ad.cache.hits,
	    (unsigned long long)ad.cache.misses);
	attrd_cache_clear(&ad.cache);
	ftrace_free(&ad.ft);
	proctable_free(&ad.pt);
	proctable_free(&pt);
	procfs_free(&pf);
	sockdiag_close(&sd);
	bench_cleanup();
	free(t);
	free(lag);
	free(age);
	return 0;
}
