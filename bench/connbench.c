/*
 * connbench.c: the benchmark's workload, run inside the network namespace
 * under test (ip netns exec NS connbench ...).
 *
 * It starts a sink on loopback (TCP: accept and close; UDP: echo each
 * datagram), then W worker processes that each make connections one after
 * the other, each from the next source port of the worker's share of a
 * range: TCP, a blocking connect() timed from the call to its return,
 * then an abortive close (RST: no TIME_WAIT, so ports never run out); UDP,
 * a new socket whose first datagram goes to the echo, timed until the
 * reply is back.  Every connection is new to conntrack, so exactly its
 * first packet crosses the queue.  A warm-up comes first, then all
 * workers start the measured part together.
 *
 * It reads the namespace's queue counters before and after, so that the
 * caller can tell a run that bypassed the queue, and the CPU time (utime
 * + stime, /proc/PID/stat) and RSS of the processes named with -P.
 *
 * Output: one line of name=value pairs (see connbench_report()).
 * Usage: connbench -p tcp|udp -f 4|6 [-w workers] [-n count] [-W warmup]
 *	  [-q queue] [-P pid,...] [-t seconds]
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

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

#define MAX_WORKERS		16
#define MAX_CONNS		1000000	/* measured, all workers together */
#define MAX_WARMUP		100000
#define MAX_PIDS		8	/* processes we read CPU and RSS of */
#define MAX_SECONDS		600	/* the whole run ends by then */
#define CONN_TIMEOUT_MS		2000	/* one connection gives up after */
#define SINK_BACKLOG		4096	/* capped by net.core.somaxconn */
#define SINK_NICE		(-10)	/* ahead of the workers */
#define SINK_POLL_MS		200
#define PAYLOAD_LEN		32
/*
 * Connections take their source ports in turn from this range, below the
 * kernel's ephemeral range (where the sink's port is): a port the kernel
 * picked at random could repeat a flow conntrack still holds, which is
 * then not new and never queued.
 */
#define SRC_PORT_LO		2000
#define SRC_PORT_HI		32000

struct bench_opts {
	int		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	int		 family;	/* AF_INET or AF_INET6 */
	int		 workers;
	long		 count;		/* measured connections, in all */
	long		 warmup;	/* per worker */
	long		 qnum;		/* -1: no queue check */
	int		 npids;
	pid_t		 pids[MAX_PIDS];
	long		 seconds;
};

/* Shared between the workers and the parent (MAP_SHARED). */
struct bench_shared {
	uint64_t	 t_start_ns[MAX_WORKERS];
	uint64_t	 t_end_ns[MAX_WORKERS];
	long		 done[MAX_WORKERS];
	long		 errors[MAX_WORKERS];
	long		 warm_errors[MAX_WORKERS];
	uint32_t	 lat_ns[];	/* count slots, per-worker slices */
};

struct qcount {
	int		 found;
	unsigned long	 id_sequence;
	unsigned long	 dropped;	/* queue full + socket full */
};

struct proc_sample {
	unsigned long long ticks;	/* utime + stime */
	long		 rss_kb;
};

static uint64_t	 now_ns(void);
static long	 opt_num(const char *, const char *, long, long);
static int	 parse_opts(int, char *[], struct bench_opts *);
static int	 parse_pids(const char *, struct bench_opts *);
static socklen_t sink_addr(int, struct sockaddr_storage *, uint16_t);
static int	 sink_open(const struct bench_opts *, struct sockaddr_storage *,
		    socklen_t *);
static void	 sink_run(int, int, pid_t) __attribute__((noreturn));
static int	 one_tcp(const struct sockaddr_storage *, socklen_t,
		    uint16_t, uint64_t *);
static int	 src_bind(int, int, uint16_t);
static int	 one_udp(const struct sockaddr_storage *, socklen_t,
		    uint16_t, uint64_t *);
static void	 worker_run(const struct bench_opts *, int, long,
		    struct bench_shared *, const struct sockaddr_storage *,
		    socklen_t, int, int, uint64_t) __attribute__((noreturn));
static int	 queue_count(long, struct qcount *);
static int	 proc_sample(pid_t, struct proc_sample *);
static int	 cmp_u32(const void *, const void *);
static double	 pct_us(const uint32_t *, long, int);
static void	 connbench_report(const struct bench_opts *,
		    struct bench_shared *, long, const struct qcount *,
		    const struct qcount *, const struct proc_sample *,
		    const struct proc_sample *);

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
parse_pids(const char *s, struct bench_opts *o)
{
	char	*end;
	long	 v;

	while (*s != '\0') {
		if (o->npids == MAX_PIDS) {
			fprintf(stderr, "connbench: -P: at most %d pids\n",
			    MAX_PIDS);
			return -1;
		}
		v = strtol(s, &end, 10);
		if (end == s || v <= 0 || (*end != ',' && *end != '\0')) {
			fprintf(stderr, "connbench: -P: bad pid list\n");
			return -1;
		}
		o->pids[o->npids++] = (pid_t)v;
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static long
opt_num(const char *name, const char *s, long lo, long hi)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "connbench: %s: %ld to %ld\n", name, lo, hi);
		return lo - 1;
	}
	return v;
}

static int
parse_opts(int argc, char *argv[], struct bench_opts *o)
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->workers = 1;
	o->count = 2000;
	o->warmup = 200;
	o->qnum = -1;
	o->seconds = 120;
	while ((ch = getopt(argc, argv, "p:f:w:n:W:q:P:t:")) != -1) {
		switch (ch) {
		case 'p':
			if (strcmp(optarg, "tcp") == 0)
				o->proto = IPPROTO_TCP;
			else if (strcmp(optarg, "udp") == 0)
				o->proto = IPPROTO_UDP;
			else {
				fprintf(stderr, "connbench: -p: tcp or udp\n");
				return -1;
			}
			break;
		case 'f':
			if (strcmp(optarg, "4") == 0)
				o->family = AF_INET;
			else if (strcmp(optarg, "6") == 0)
				o->family = AF_INET6;
			else {
				fprintf(stderr, "connbench: -f: 4 or 6\n");
				return -1;
			}
			break;
		case 'w':
			if ((o->workers = (int)opt_num("-w", optarg, 1,
			    MAX_WORKERS)) < 1)
				return -1;
			break;
		case 'n':
			if ((o->count = opt_num("-n", optarg, 1,
			    MAX_CONNS)) < 1)
				return -1;
			break;
		case 'W':
			if ((o->warmup = opt_num("-W", optarg, 0,
			    MAX_WARMUP)) < 0)
				return -1;
			break;
		case 'q':
			if ((o->qnum = opt_num("-q", optarg, 0, 65535)) < 0)
				return -1;
			break;
		case 'P':
			if (parse_pids(optarg, o) == -1)
				return -1;
			break;
		case 't':
			if ((o->seconds = opt_num("-t", optarg, 1,
			    MAX_SECONDS)) < 1)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (o->proto == 0 || o->family == 0) {
		fprintf(stderr, "connbench: -p and -f are required\n");
		return -1;
	}
	if (o->count < o->workers) {
		fprintf(stderr, "connbench: -n must be at least -w\n");
		return -1;
	}
	return 0;
}

static socklen_t
sink_addr(int family, struct sockaddr_storage *ss, uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_loopback;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

/* The sink's socket, bound to an ephemeral port on loopback. */
static int
sink_open(const struct bench_opts *o, struct sockaddr_storage *ss,
    socklen_t *sl)
{
	int	 s, on = 1;

	*sl = sink_addr(o->family, ss, 0);
	s = socket(o->family, (o->proto == IPPROTO_TCP ? SOCK_STREAM :
	    SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (s == -1)
		return -1;
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(s, (struct sockaddr *)ss, *sl) == -1 ||
	    getsockname(s, (struct sockaddr *)ss, sl) == -1 ||
	    (o->proto == IPPROTO_TCP && listen(s, SINK_BACKLOG) == -1)) {
		close(s);
		return -1;
	}
	return s;
}

/* The sink's process: until SIGTERM or its parent is gone. */
static void
sink_run(int s, int proto, pid_t parent)
{
	struct sockaddr_storage	 from;
	struct pollfd		 pfd;
	socklen_t		 fl;
	char			 buf[512];
	ssize_t			 n;
	int			 c;

	signal(SIGTERM, SIG_DFL);
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	/*
	 * A sink starved by the workers lets its accept queue fill, and a
	 * dropped SYN costs a 1 s retransmission that is no firewall's.
	 */
	(void)setpriority(PRIO_PROCESS, 0, SINK_NICE);
	for (;;) {
		if (getppid() != parent)
			_exit(0);
		pfd.fd = s;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, SINK_POLL_MS) <= 0)
			continue;
		if (proto == IPPROTO_TCP) {
			while ((c = accept4(s, NULL, NULL, SOCK_NONBLOCK)) !=
			    -1)
				close(c);
			continue;
		}
		for (;;) {
			fl = sizeof(from);
			n = recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fl);
			if (n < 0)
				break;
			(void)sendto(s, buf, (size_t)n, 0,
			    (struct sockaddr *)&from, fl);
		}
	}
}

static int
src_bind(int s, int family, uint16_t port)
{
	struct sockaddr_storage	 src;
	socklen_t		 len;
	int			 on = 1;

	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	len = sink_addr(family, &src, port);
	return bind(s, (struct sockaddr *)&src, len);
}

/* One TCP connection from port sport: 0 and its connect() time, or -1. */
static int
one_tcp(const struct sockaddr_storage *ss, socklen_t sl, uint16_t sport,
    uint64_t *ns)
{
	struct timeval	 tv = { CONN_TIMEOUT_MS / 1000,
			    (CONN_TIMEOUT_MS % 1000) * 1000 };
	struct linger	 lg = { 1, 0 };
	uint64_t	 t0;
	int		 s, rv;

	*ns = 0;
	if ((s = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (src_bind(s, ss->ss_family, sport) == -1) {
		close(s);
		return -1;
	}
	(void)setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	t0 = now_ns();
	rv = connect(s, (const struct sockaddr *)ss, sl);
	*ns = now_ns() - t0;
	/* An abortive close: RST, no TIME_WAIT. */
	(void)setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(s);
	return rv;
}

/* One UDP flow from port sport: its first datagram to the echo and back. */
static int
one_udp(const struct sockaddr_storage *ss, socklen_t sl, uint16_t sport,
    uint64_t *ns)
{
	struct pollfd	 pfd;
	char		 out[PAYLOAD_LEN], in[PAYLOAD_LEN];
	uint64_t	 t0;
	ssize_t		 n;
	int		 s, rv = -1;

	*ns = 0;
	if ((s = socket(ss->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (src_bind(s, ss->ss_family, sport) == -1) {
		close(s);
		return -1;
	}
	memset(out, 'u', sizeof(out));
	t0 = now_ns();
	if (sendto(s, out, sizeof(out), 0, (const struct sockaddr *)ss,
	    sl) == (ssize_t)sizeof(out)) {
		pfd.fd = s;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, CONN_TIMEOUT_MS) == 1 &&
		    (n = recv(s, in, sizeof(in), 0)) == (ssize_t)sizeof(in))
			rv = 0;
	}
	*ns = now_ns() - t0;
	close(s);
	return rv;
}

/*
 * One worker: warm up, say so on `ready`, wait for `go` to close, then
 * make n connections, writing each time into its slice of lat_ns.
 */
static void
worker_run(const struct bench_opts *o, int w, long n, struct bench_shared *sh,
    const struct sockaddr_storage *ss, socklen_t sl, int ready, int go,
    uint64_t deadline)
{
	uint32_t	*lat = sh->lat_ns + (size_t)w * (o->count / o->workers);
	uint64_t	 ns;
	long		 i, span, k = 0;
	uint16_t	 port;
	char		 c = 'r';
	int		 rv;

	span = (SRC_PORT_HI - SRC_PORT_LO) / o->workers;
	for (i = 0; i < o->warmup && now_ns() < deadline; i++) {
		port = (uint16_t)(SRC_PORT_LO + w * span + k++ % span);
		rv = o->proto == IPPROTO_TCP ? one_tcp(ss, sl, port, &ns) :
		    one_udp(ss, sl, port, &ns);
		if (rv == -1)
			sh->warm_errors[w]++;
	}
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 0)
		_exit(1);
	sh->t_start_ns[w] = now_ns();
	for (i = 0; i < n && now_ns() < deadline; i++) {
		port = (uint16_t)(SRC_PORT_LO + w * span + k++ % span);
		rv = o->proto == IPPROTO_TCP ? one_tcp(ss, sl, port, &ns) :
		    one_udp(ss, sl, port, &ns);
		if (rv == -1)
			sh->errors[w]++;
		lat[i] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	}
	sh->done[w] = i;
	sh->t_end_ns[w] = now_ns();
	_exit(0);
}

/* The namespace's counters of queue qnum (0 found=0 when unbound). */
static int
queue_count(long qnum, struct qcount *qc)
{
	FILE		*f;
	unsigned long	 v[9];
	char		 line[256];

	memset(qc, 0, sizeof(*qc));
	if (qnum < 0)
		return 0;
	if ((f = fopen("/proc/net/netfilter/nfnetlink_queue", "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lu %lu %lu %lu %lu %lu %lu %lu %lu",
		    &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		    &v[8]) != 9 || v[0] != (unsigned long)qnum)
			continue;
		qc->found = 1;
		qc->dropped = v[5] + v[6];
		qc->id_sequence = v[7];
	}
	fclose(f);
	return 0;
}

/* utime + stime (all threads, dead ones too) and VmRSS of one process. */
static int
proc_sample(pid_t pid, struct proc_sample *ps)
{
	char		 path[64], buf[2048], *p;
	unsigned long long ut, st;
	FILE		*f;
	size_t		 n;

	memset(ps, 0, sizeof(*ps));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip past it. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &ut, &st) != 2)
		return -1;
	ps->ticks = ut + st;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(buf, sizeof(buf), f) != NULL)
		if (sscanf(buf, "VmRSS: %ld", &ps->rss_kb) == 1)
			break;
	fclose(f);
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n-1], in microseconds. */
static double
pct_us(const uint32_t *v, long n, int pct)
{
	long	 k;

	if (n == 0)
		return 0.0;
	k = (n * pct + 99) / 100;
	if (k < 1)
		k = 1;
	return (double)v[k - 1] / 1000.0;
}

static void
connbench_report(const struct bench_opts *o, struct bench_shared *sh,
    long per, const struct qcount *q0, const struct qcount *q1,
    const struct proc_sample *p0, const struct proc_sample *p1)
{
	uint32_t	*all;
	uint64_t	 t0 = UINT64_MAX, t1 = 0;
	long		 n = 0, errors = 0, warm_errors = 0, i, total;
	double		 secs;
	long		 tck = sysconf(_SC_CLK_TCK);
	int		 w;

	if ((all = calloc((size_t)o->count, sizeof(*all))) == NULL) {
		perror("connbench: calloc");
		exit(1);
	}
	for (w = 0; w < o->workers; w++) {
		memcpy(all + n, sh->lat_ns + (size_t)w * per,
		    (size_t)sh->done[w] * sizeof(*all));
		n += sh->done[w];
		errors += sh->errors[w];
		warm_errors += sh->warm_errors[w];
		if (sh->t_start_ns[w] < t0)
			t0 = sh->t_start_ns[w];
		if (sh->t_end_ns[w] > t1)
			t1 = sh->t_end_ns[w];
	}
	qsort(all, (size_t)n, sizeof(*all), cmp_u32);
	secs = t1 > t0 ? (double)(t1 - t0) / 1e9 : 0.0;
	total = n + o->warmup * o->workers;
	printf("proto=%s family=%d workers=%d conns=%ld warmup=%ld "
	    "errors=%ld warm_errors=%ld elapsed_s=%.4f conn_per_s=%.1f "
	    "p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f",
	    o->proto == IPPROTO_TCP ? "tcp" : "udp",
	    o->family == AF_INET ? 4 : 6, o->workers, n,
	    o->warmup * o->workers, errors, warm_errors, secs,
	    secs > 0 ? (double)n / secs : 0.0, pct_us(all, n, 50),
	    pct_us(all, n, 90), pct_us(all, n, 99), pct_us(all, n, 100));
	if (o->qnum >= 0)
		printf(" queue_found=%d queued=%lu qdropped=%lu",
		    q0->found && q1->found,
		    q1->id_sequence - q0->id_sequence,
		    q1->dropped - q0->dropped);
	for (i = 0; i < o->npids; i++)
		printf(" pid_%d_cpu_us=%llu pid_%d_rss_kb=%ld",
		    (int)o->pids[i],
		    (p1[i].ticks - p0[i].ticks) * 1000000ull /
		    (unsigned long long)tck, (int)o->pids[i], p1[i].rss_kb);
	printf(" total_conns=%ld\n", total);
	free(all);
}

int
main(int argc, char *argv[])
{
	struct bench_opts	 o;
	struct bench_shared	*sh;
	struct sockaddr_storage	 ss;
	struct qcount		 q0, q1;
	struct proc_sample	 p0[MAX_PIDS], p1[MAX_PIDS];
	socklen_t		 sl;
	pid_t			 sink, parent, kids[MAX_WORKERS];
	size_t			 shsize;
	uint64_t		 deadline;
	long			 per;
	char			 c;
	int			 s, i, st, ready[2], go[2], bad = 0;

	if (parse_opts(argc, argv, &o) == -1) {
		fprintf(stderr, "usage: connbench -p tcp|udp -f 4|6 "
		    "[-w workers] [-n count] [-W warmup] [-q queue] "
		    "[-P pid,...] [-t seconds]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	per = o.count / o.workers;
	o.count = per * o.workers;
	shsize = sizeof(*sh) + (size_t)o.count * sizeof(uint32_t);
	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("connbench: mmap");
		return 1;
	}
	if ((s = sink_open(&o, &ss, &sl)) == -1) {
		perror("connbench: sink");
		return 1;
	}
	parent = getpid();
	if ((sink = fork()) == -1) {
		perror("connbench: fork");
		return 1;
	}
	if (sink == 0)
		sink_run(s, o.proto, parent);
	close(s);
	if (pipe2(ready, O_CLOEXEC) == -1 || pipe2(go, O_CLOEXEC) == -1) {
		perror("connbench: pipe");
		kill(sink, SIGTERM);
		return 1;
	}

	if (queue_count(o.qnum, &q0) == -1)
		perror("connbench: queue counters");
	for (i = 0; i < o.npids; i++)
		if (proc_sample(o.pids[i], &p0[i]) == -1) {
			fprintf(stderr, "connbench: pid %d: gone\n",
			    (int)o.pids[i]);
			bad = 1;
		}
	deadline = now_ns() + (uint64_t)o.seconds * 1000000000ull;
	for (i = 0; i < o.workers; i++) {
		if ((kids[i] = fork()) == -1) {
			perror("connbench: fork");
			o.workers = i;
			bad = 1;
			break;
		}
		if (kids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			worker_run(&o, i, per, sh, &ss, sl, ready[1], go[0],
			    deadline);
		}
	}
	close(ready[1]);
	close(go[0]);
	/* Every worker warmed up (or died: EOF) -> all start together. */
	for (i = 0; i < o.workers; i++)
		if (read(ready[0], &c, 1) != 1)
			bad = 1;
	close(go[1]);
	for (i = 0; i < o.workers; i++)
		if (waitpid(kids[i], &st, 0) == -1 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			bad = 1;
	if (queue_count(o.qnum, &q1) == -1)
		perror("connbench: queue counters");
	for (i = 0; i < o.npids; i++)
		if (proc_sample(o.pids[i], &p1[i]) == -1) {
			fprintf(stderr, "connbench: pid %d: gone\n",
			    (int)o.pids[i]);
			bad = 1;
			p1[i] = p0[i];
		}
	kill(sink, SIGTERM);
	waitpid(sink, &st, 0);
	connbench_report(&o, sh, per, &q0, &q1, p0, p1);
	munmap(sh, shsize);
	return bad;
}
