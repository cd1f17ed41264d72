/*
 * nflog.h: packetd's NFLOG group (nfnetlink_log through libmnl), where
 * fw.h's rules send copies of DNS queries that left and of replies to
 * flows that were accepted.  The kernel never holds a packet for it: a
 * copy that finds the socket full is lost, and the next read says so
 * (ENOBUFS), counted in `tattle stats`.
 */
#ifndef TATTLE_NFLOG_H
#define TATTLE_NFLOG_H

#include <stddef.h>
#include <stdint.h>

#define NFLOG_BUF_SIZE		(64 * 1024 + 4096)	/* one copy, whole */
#define NFLOG_RCVBUF		(8 * 1024 * 1024)
#define MAX_NFLOG_DRAIN		4096	/* copies taken per drain */
#define NFLOG_ACK_TIMEOUT_MS	2000

struct nflog;

#define NP_UID		0x01	/* uid is valid */

struct nflog_pkt {
	uint8_t		 hook;		/* NF_INET_LOCAL_OUT, _IN */
	uint8_t		 flags;		/* NP_* */
	uint32_t	 uid;
	const uint8_t	*data;		/* valid during the callback only */
	size_t		 len;
};

typedef void	(*nflog_pkt_fn)(const struct nflog_pkt *, void *);

struct nflog	*nflog_open(uint16_t, char *, size_t);
void		 nflog_close(struct nflog *);
int		 nflog_fd(const struct nflog *);
int		 nflog_drain(struct nflog *, nflog_pkt_fn, void *,
		    uint64_t *);

#endif /* TATTLE_NFLOG_H */
