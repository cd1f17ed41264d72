/*
 * floor.c: the floor of the benchmark, a bare NFQUEUE accept loop.
 *
 * It installs the very table tattled installs (fw_install: the same
 * chains, the same queue expression, xt NFQUEUE through nft_compat where
 * the kernel has no native queue) and binds the same queues with the same
 * code (queue.c: batched reads, batched verdicts), then accepts every
 * packet without looking at it.  What tattle adds on top of this is the
 * cost of deciding.
 *
 * It guards only the network namespace it runs in (ip netns exec NS
 * floor), and refuses to run in the machine's own.  SIGTERM or SIGINT:
 * remove the table, exit 0.  It prints "floor ready" once the table is in.
 * Usage: floor [-q queue] [-t seconds]
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
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

#include "fw.h"
#include "queue.h"

#define FLOOR_QUEUE_DEFAULT	0
#define FLOOR_MAX_SECONDS	3600	/* it stops by itself after this */
#define FLOOR_POLL_MS		200

static volatile sig_atomic_t	 floor_quit;

static void	 floor_on_signal(int);
static int	 floor_own_netns(void);
static void	 floor_accept(const struct queue_pkt *, void *);
static int	 floor_loop(struct queue *, long);

static void
floor_on_signal(int sig)
{
	(void)sig;
	floor_quit = 1;
}

/*
 * 0 if this process's network namespace is one that ip netns made (a
 * bind mount under /run/netns), else 1: never the machine's own.
 */
static int
floor_own_netns(void)
{
	struct stat	 self, st;
	struct dirent	*de;
	DIR		*d;
	int		 fd, rv = 1;

	if (stat("/proc/self/ns/net", &self) == -1 ||
	    (d = opendir("/run/netns")) == NULL)
		return 1;
	while (rv == 1 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((fd = openat(dirfd(d), de->d_name, O_RDONLY |
		    O_CLOEXEC)) == -1)
			continue;
		if (fstat(fd, &st) == 0 && st.st_ino == self.st_ino &&
		    st.st_dev == self.st_dev)
			rv = 0;
		close(fd);
	}
	closedir(d);
	return rv;
}

static void
floor_accept(const struct queue_pkt *qp, void *arg)
{
	struct queue	*q = arg;

	queue_verdict(q, qp->queue, qp->id, NF_ACCEPT, NULL);
}

static int
floor_loop(struct queue *q, long seconds)
{
	struct pollfd	 pfd;
	time_t		 end = time(NULL) + seconds;
	int		 n;

	while (!floor_quit && time(NULL) < end) {
		pfd.fd = queue_fd(q);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, FLOOR_POLL_MS) <= 0)
			continue;
		do {
			n = queue_read(q, floor_accept, q);
		} while (n > 0);
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			fprintf(stderr, "floor: queue read: %s\n",
			    strerror(errno));
		if (queue_buffered(q) > 0 && queue_flush(q) == -1)
			fprintf(stderr, "floor: verdicts: %s\n",
			    strerror(errno));
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct queue_opts	 qo;
	struct fw_opts		 fo;
	struct queue_stats	 qs;
	struct sigaction	 sa;
	struct mnl_socket	*qnl, *fwnl;
	struct queue		*q;
	struct fw		 fw;
	char			 err[MAX_QUEUE_ERR], *end;
	long			 qnum = FLOOR_QUEUE_DEFAULT;
	long			 seconds = FLOOR_MAX_SECONDS;
	int			 ch;

	while ((ch = getopt(argc, argv, "q:t:")) != -1) {
		switch (ch) {
		case 'q':
			qnum = strtol(optarg, &end, 10);
			if (*end != '\0' || qnum < 0 || qnum > 65534) {
				fprintf(stderr, "floor: -q: 0 to 65534\n");
				return 2;
			}
			break;
		case 't':
			seconds = strtol(optarg, &end, 10);
			if (*end != '\0' || seconds < 1 ||
			    seconds > FLOOR_MAX_SECONDS) {
				fprintf(stderr, "floor: -t: 1 to %d\n",
				    FLOOR_MAX_SECONDS);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: floor [-q queue] "
			    "[-t seconds]\n");
			return 2;
		}
	}
	if (floor_own_netns() != 0) {
		fprintf(stderr, "floor: refusing to run in the machine's own "
		    "network namespace (use ip netns exec)\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = floor_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((qnl = queue_socket()) == NULL || (fwnl = fw_socket()) == NULL) {
		fprintf(stderr, "floor: netlink: %s\n", strerror(errno));
		return 1;
	}
	memset(&qo, 0, sizeof(qo));
	qo.num = (uint16_t)qnum;
	qo.count = 2;
	if ((q = queue_open(qnl, &qo, err, sizeof(err))) == NULL) {
		fprintf(stderr, "floor: queue %ld: %s\n", qnum, err);
		return 1;
	}
	fw_init(&fw, fwnl);
	memset(&fo, 0, sizeof(fo));
	fo.queue_num = (uint16_t)qnum;
	fo.reject_bit = FW_REJECT_BIT_DEFAULT;
	fo.qkind = FW_QUEUE_AUTO;
	if (fw_install(&fw, &fo) == -1) {
		fprintf(stderr, "floor: table: %s\n", fw.err);
		return 1;
	}
	printf("floor ready: queue %ld via %s\n", qnum,
	    fw_qkind_name(fw.qkind));
	fflush(stdout);

	floor_loop(q, seconds);

	if (fw_remove(&fw) == -1)
		fprintf(stderr, "floor: removing the table: %s\n", fw.err);
	queue_stats(q, &qs);
	printf("floor: %llu packets in %llu reads, %llu verdict sends\n",
	    (unsigned long long)qs.packets, (unsigned long long)qs.reads,
	    (unsigned long long)qs.sends);
	queue_close(q);
	mnl_socket_close(qnl);
	mnl_socket_close(fwnl);
	return 0;
}
