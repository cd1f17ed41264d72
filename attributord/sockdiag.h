/*
 * sockdiag.h: ask the kernel (NETLINK_SOCK_DIAG) which socket owns a
 * 5-tuple: its inode (for the /proc scan) and its owner's uid.
 */
#ifndef TATTLE_SOCKDIAG_H
#define TATTLE_SOCKDIAG_H

#include <stdint.h>

#include "conn.h"

enum sockdiag_answer {
	SD_ERROR = -1,		/* errno set */
	SD_NOTFOUND = 0,
	SD_FOUND = 1,
	SD_UNSUPPORTED = 2	/* the kernel cannot answer for this protocol */
};

struct sockdiag_result {
	uint32_t	inode;
	uint32_t	uid;
	uint8_t		family;		/* the socket's: AF_INET6 for a
					   dual-stack socket sending IPv4 */
	uint8_t		state;
	uint8_t		unconnected;	/* matched with a wildcard peer */
	uint8_t		pad;
};

struct sockdiag {
	int		fd;
	uint32_t	seq;
	int		raw_ok;		/* kernel has raw_diag: 1, 0 */
};

int	sockdiag_open(struct sockdiag *);
void	sockdiag_close(struct sockdiag *);
int	sockdiag_lookup(struct sockdiag *, const struct conn_tuple *,
	    struct sockdiag_result *);

#endif /* TATTLE_SOCKDIAG_H */
