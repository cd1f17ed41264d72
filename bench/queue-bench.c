/*
 * queue-bench.c: packets per second through packetd's accept loop
 * (queue_read -> pkt_parse -> [pending] -> queue_verdict -> queue_flush).
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET) first;
 * it refuses to run otherwise), on loopback only.  A child process
 * sends UDP datagrams; the parent is the firewall.  Modes:
 *	copy	every datagram to port 53 from one socket: all go to the
 *		copy queue (the raw read/verdict path)
 *	new	each datagram from a fresh socket: ct state new, decision
 *		queue, through the pending table, accepted at once
 * Usage: queue-bench [copy|new] [packets]
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>

#include "fw.h"
#include "pending.h"
#include "pkt.h"
#include "queue.h"

#define QNUM		3
#define SINK_PORT	9
#define DNS_PORT	53
#define MAX_PACKETS	2000000
#define LIMIT_MS	20000	/* the run ends by then whatever happens */
#define IDLE_MS		500	/* this long without a packet: sender done */

struct bench {
	struct queue	*q;
	struct pending	*pt;
	int		 use_pending;
	uint64_t	 packets;
	uint64_t	 parse_errors;
	uint64_t	 refused;
};

static uint64_t	 now_ns(void);
static int	 lo_up(void);
static void	 on_pkt(const struct queue_pkt *, void *);
static void	 on_release(const struct pending_pkt *, void *);
static void	 sender(int, long);

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
lo_up(void)
{
	struct ifreq	 ifr;
	int		 s, rv = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name) - 1);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rv = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rv;
}

static void
on_release(const struct pending_pkt *pp, void *arg)
{
	struct bench	*b = arg;

	queue_verdict(b->q, pp->queue, pp->id, NF_ACCEPT, NULL);
}

static void
on_pkt(const struct queue_pkt *qp, void *arg)
{
	struct bench	*b = arg;
	struct pkt_info	 pi;
	const char	*why;
	uint32_t	 leader;
	int		 r;

	b->packets++;
	if (pkt_parse(qp->data, qp->len, &pi, &why) == -1) {
		b->parse_errors++;
		queue_verdict(b->q, qp->queue, qp->id, NF_ACCEPT, NULL);
		return;
	}
	if (!b->use_pending || qp->queue != QNUM) {
		queue_verdict(b->q, qp->queue, qp->id, NF_ACCEPT, NULL);
		return;
	}
	r = pending_add(b->pt, qp->id, qp->queue, qp->mark, &pi.t, pi.echo_id,
	    0, &leader);
	if (r == -1) {
		b->refused++;
		queue_verdict(b->q, qp->queue, qp->id, NF_ACCEPT, NULL);
	} else if (r == PENDING_NEW)
		pending_resolve(b->pt, leader, on_release, b);
}

/* Send n datagrams: to port 53 on one socket, or each on a new one. */
static void
sender(int fresh, long n)
{
	struct sockaddr_in	 sin;
	char			 payload[64];
	long			 i;
	int			 s = -1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(fresh ? SINK_PORT : DNS_PORT);
	memset(payload, 'b', sizeof(payload));
	for (i = 0; i < n; i++) {
		if (s == -1 && (s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
			_exit(1);
		(void)sendto(s, payload, sizeof(payload), 0,
		    (struct sockaddr *)&sin, sizeof(sin));
		if (fresh) {
			close(s);
			s = -1;
		}
	}
	_exit(0);
}

int
main(int argc, char *argv[])
{
	struct bench		 b;
	struct fw		 fw;
	struct fw_opts		 fo;
	struct queue_opts	 qo;
	struct queue_stats	 qs;
	struct queue_kstats	 ks[2];
	struct mnl_socket	*fwnl, *qnl;
	struct pollfd		 pfd;
	struct sockaddr_in	 sin;
	char			 err[256];
	uint64_t		 t0 = 0, t1 = 0, start, last;
	long			 n = 200000;
	int			 fresh = 0, sink, kfd, i, st;
	pid_t			 pid;

	if (argc > 1)
		fresh = strcmp(argv[1], "new") == 0;
	if (argc > 2)
		n = strtol(argv[2], NULL, 10);
	if (n <= 0 || n > MAX_PACKETS) {
		fprintf(stderr, "packets: 1 to %d\n", MAX_PACKETS);
		return 1;
	}
	/* Never anywhere but a namespace of our own. */
	if (unshare(CLONE_NEWNET) == -1) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s (run as root)\n",
		    strerror(errno));
		return 1;
	}
	if (lo_up() == -1) {
		perror("lo up");
		return 1;
	}
	memset(&b, 0, sizeof(b));
	b.use_pending = fresh;
	if ((b.pt = pending_new((const uint8_t *)"queue bench key")) ==
	    NULL)
		return 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(fresh ? SINK_PORT : DNS_PORT);
	if ((sink = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(sink, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("sink");
		return 1;
	}

	if ((qnl = queue_socket()) == NULL || (fwnl = fw_socket()) == NULL) {
		perror("netlink");
		return 1;
	}
	memset(&qo, 0, sizeof(qo));
	qo.num = QNUM;
	qo.count = 2;
	if ((b.q = queue_open(qnl, &qo, err, sizeof(err))) == NULL) {
		fprintf(stderr, "queue_open: %s\n", err);
		return 1;
	}
	fw_init(&fw, fwnl);
	memset(&fo, 0, sizeof(fo));
	fo.queue_num = QNUM;
	if (fw_install(&fw, &fo) == -1) {
		fprintf(stderr, "fw_install: %s\n", fw.err);
		return 1;
	}
	kfd = open("/proc/net/netfilter/nfnetlink_queue", O_RDONLY);

	if ((pid = fork()) == -1)
		return 1;
	if (pid == 0)
		sender(fresh, n);

	start = last = now_ns();
	for (;;) {
		if ((now_ns() - start) / 1000000 > LIMIT_MS)
			break;
		if (b.packets > 0 && (now_ns() - last) / 1000000 > IDLE_MS)
			break;
		pfd.fd = queue_fd(b.q);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		while ((i = queue_read(b.q, on_pkt, &b)) > 0) {
			if (t0 == 0)
				t0 = now_ns();
			if (queue_flush(b.q) == -1)
				perror("flush");
		}
		t1 = last = now_ns();
	}
	waitpid(pid, &st, 0);
	queue_stats(b.q, &qs);
	memset(ks, 0, sizeof(ks));
	if (kfd != -1) {
		(void)queue_kstats_read(kfd, QNUM, &ks[0]);
		(void)queue_kstats_read(kfd, QNUM + 1, &ks[1]);
	}
	printf("mode %s, %s, %ld datagrams sent\n", fresh ? "new" : "copy",
	    fw_qkind_name(fw.qkind), n);
	printf("%llu packets in %.3f s: %.0f packets/s\n",
	    (unsigned long long)b.packets, (double)(t1 - t0) / 1e9,
	    t1 > t0 ? (double)b.packets / ((double)(t1 - t0) / 1e9) : 0.0);
	printf("%llu reads (%.1f packets each), %llu sends, %llu single + "
	    "%llu batch verdict messages\n", (unsigned long long)qs.reads,
	    qs.reads ? (double)qs.packets / (double)qs.reads : 0.0,
	    (unsigned long long)qs.sends,
	    (unsigned long long)qs.verdict_msgs,
	    (unsigned long long)qs.batch_msgs);
	printf("kernel: queue %u dropped %u (full) %u (socket); queue %u "
	    "dropped %u (full) %u (socket); parse errors %llu\n",
	    ks[0].queue, ks[0].dropped, ks[0].user_dropped, ks[1].queue,
	    ks[1].dropped, ks[1].user_dropped,
	    (unsigned long long)b.parse_errors);
	fw_remove(&fw);
	queue_close(b.q);
	mnl_socket_close(qnl);
	mnl_socket_close(fwnl);
	pending_free(b.pt);
	return 0;
}
