/*
 * pending.h: the packets packetd holds while ruled decides.
 *
 * The first packet of a flow (its tuple, plus a flow word the tuple does
 * not carry, such as the ICMP echo identifier) becomes a group's leader
 * and is the one ruled is asked about; a TCP SYN retransmission or a
 * second datagram of the same flow, arriving while the leader waits,
 * joins the group and gets the leader's verdict.  A group has one
 * deadline, the leader's.
 *
 * All memory is allocated once by pending_new(): slots on a free list,
 * two hash tables (by packet id, by flow) and a deadline heap.  Nothing
 * is allocated per packet.
 */
#ifndef TATTLE_PENDING_H
#define TATTLE_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "hash.h"

#define MAX_PENDING		4096	/* held packets, joined ones included */
#define PENDING_BUCKETS		8192	/* per hash table; a power of two */

#define PENDING_NEW		0	/* a new group: ask ruled */
#define PENDING_JOINED		1	/* joined a group: nothing to ask */

struct pending;

struct pending_pkt {
	uint32_t	id;		/* the packet */
	uint32_t	leader;		/* its group's leader (may be id) */
	uint32_t	mark;		/* as the kernel gave it */
	uint16_t	queue;
};

/* Called once per packet of a group, leader first; must not change pt. */
typedef void	(*pending_fn)(const struct pending_pkt *, void *);

struct pending_stats {
	uint64_t	groups;		/* leaders added */
	uint64_t	joined;
	uint64_t	full;		/* refused: table full */
	uint64_t	resolved;	/* packets given a decision */
	uint64_t	expired;	/* packets past their deadline */
};

struct pending	*pending_new(const uint8_t [HASH_KEY_LEN]);
void		 pending_free(struct pending *);
int		 pending_add(struct pending *, uint32_t, uint16_t, uint32_t,
		    const struct conn_tuple *, uint32_t, uint64_t, uint32_t *);
int		 pending_resolve(struct pending *, uint32_t, pending_fn,
		    void *);
int		 pending_expire(struct pending *, uint64_t, pending_fn, void *);
int		 pending_drain(struct pending *, pending_fn, void *);
int		 pending_next_deadline(const struct pending *, uint64_t *);
size_t		 pending_count(const struct pending *);
void		 pending_stats(const struct pending *, struct pending_stats *);

#endif /* TATTLE_PENDING_H */
