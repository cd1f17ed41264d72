/*
 * queue.h: packetd's NFQUEUE binding through libnetfilter_queue's libmnl
 * helpers (nfq_nlmsg_*).  One netlink socket, opened by the caller,
 * carries one or two queues (tattled binds one, for decisions; DNS copies
 * come from an NFLOG group, nflog.h).
 *
 * Reads are batched: queue_read() takes up to MAX_QUEUE_BATCH packets
 * with one recvmmsg() and calls back once per packet.  Verdicts are
 * buffered by queue_verdict() and leave with queue_flush() in one
 * sendmsg(); where every packet read from a queue has its verdict, runs
 * of equal verdicts go as one NFQNL_MSG_VERDICT_BATCH.
 *
 * Contract: every packet handed to the callback gets exactly one verdict,
 * on the queue it came from.  The batching relies on it.
 */
#ifndef TATTLE_QUEUE_H
#define TATTLE_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct queue;

/*
 * The kernel copies min(packet length, copy range) bytes, so a full
 * range costs nothing for the small first packets of connections, and a
 * DNS reply (EDNS0 or TCP, up to 64 KiB, reassembled before our hook)
 * reaches ruled whole.  A read slot holds one such packet plus the
 * netlink attributes around it.
 */
#define QUEUE_COPY_RANGE	65535
#define QUEUE_SLOT_SIZE		(64 * 1024 + 4096)	/* 4-byte aligned */
#define MAX_QUEUE_BATCH		32	/* packets per queue_read() */
#define MAX_QUEUE_VERDICTS	256	/* buffered verdicts; full: flush */
#define MAX_QUEUE_NUMS		2	/* queues bound on one socket */
#define QUEUE_MAXLEN_DEFAULT	4096	/* kernel queue length (packets) */
#define QUEUE_RCVBUF_DEFAULT	(8 * 1024 * 1024)
#define QUEUE_ACK_TIMEOUT_MS	2000
#define MAX_QUEUE_ERR		256

struct queue_opts {
	uint16_t	num;		/* first queue */
	uint16_t	count;		/* queues num .. num+count-1; 0: 1 */
	uint32_t	maxlen;		/* 0: QUEUE_MAXLEN_DEFAULT */
	uint32_t	copy_range;	/* 0: QUEUE_COPY_RANGE */
	int		rcvbuf;		/* 0: QUEUE_RCVBUF_DEFAULT */
	int		fail_open;	/* NFQA_CFG_F_FAIL_OPEN */
};

#define QP_UID		0x01	/* uid is valid */
#define QP_GID		0x02	/* gid is valid */
#define QP_TRUNC	0x04	/* data is shorter than the packet */
#define QP_GSO		0x08	/* a GSO packet; checksums not ready */

struct queue_pkt {
	uint32_t	 id;
	uint16_t	 queue;		/* the queue it came from */
	uint16_t	 hw_proto;	/* host order: ETH_P_IP, ETH_P_IPV6 */
	uint8_t		 hook;		/* NF_INET_LOCAL_OUT, ... */
	uint8_t		 flags;		/* QP_* */
	uint32_t	 mark;		/* 0 when the kernel sent none */
	uint32_t	 indev;		/* ifindex, 0 if none */
	uint32_t	 outdev;
	uint32_t	 uid;
	uint32_t	 gid;
	uint32_t	 pkt_len;	/* length of the whole packet */
	const uint8_t	*data;		/* valid during the callback only */
	size_t		 len;
};

typedef void	(*queue_pkt_fn)(const struct queue_pkt *, void *);

struct queue_stats {
	uint64_t	reads;		/* recvmmsg calls that returned data */
	uint64_t	packets;	/* handed to the callback */
	uint64_t	verdicts;	/* packets verdicted */
	uint64_t	verdict_msgs;	/* single verdict messages sent */
	uint64_t	batch_msgs;	/* VERDICT_BATCH messages sent */
	uint64_t	sends;		/* sendmsg calls */
	uint64_t	truncated;	/* datagrams cut short (lost packets) */
	uint64_t	bad_msgs;	/* messages that did not parse */
	uint64_t	kernel_errors;	/* NLMSG_ERROR answers (e.g. ENOENT) */
	uint64_t	setup_verdicts;	/* packets verdicted while binding */
	int		last_kernel_error;
	int		rcvbuf;		/* what the socket got */
};

/* One line of /proc/net/netfilter/nfnetlink_queue. */
struct queue_kstats {
	uint32_t	queue;
	uint32_t	portid;
	uint32_t	total;		/* packets waiting now */
	uint32_t	copy_mode;
	uint32_t	copy_range;
	uint32_t	dropped;	/* queue full */
	uint32_t	user_dropped;	/* socket buffer full */
	uint32_t	id_sequence;	/* last id given */
};

struct mnl_socket *queue_socket(void);
struct queue	*queue_open(struct mnl_socket *, const struct queue_opts *,
		    char *, size_t);
void		 queue_close(struct queue *);
int		 queue_fd(const struct queue *);
int		 queue_read(struct queue *, queue_pkt_fn, void *);
void		 queue_set_first(struct queue *, void (*)(void *), void *);
int		 queue_verdict(struct queue *, uint16_t, uint32_t, uint32_t,
		    const uint32_t *);
int		 queue_flush(struct queue *);
size_t		 queue_buffered(const struct queue *);
void		 queue_stats(const struct queue *, struct queue_stats *);
int		 queue_kstats_parse(const char *, size_t, uint16_t,
		    struct queue_kstats *);
int		 queue_kstats_read(int, uint16_t, struct queue_kstats *);

#endif /* TATTLE_QUEUE_H */
