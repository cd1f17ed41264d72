/*
 * pending.c: held packets in preallocated slots.  A slot index stands
 * for a slot everywhere; PENDING_NONE ends every list.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pending.h"

#define PENDING_NONE	UINT32_MAX
#define PENDING_MASK	(PENDING_BUCKETS - 1)

_Static_assert((PENDING_BUCKETS & PENDING_MASK) == 0,
    "PENDING_BUCKETS is a power of two");
_Static_assert(MAX_PENDING < PENDING_NONE, "slot index range");

struct pending_slot {
	struct conn_tuple	t;		/* leader */
	uint64_t		deadline;	/* leader */
	uint32_t		flow;		/* leader */
	uint32_t		id;
	uint32_t		mark;
	uint32_t		leader;		/* slot of the leader; self */
	uint32_t		next;		/* group member, or free list */
	uint32_t		last;		/* leader: last member */
	uint32_t		idnext;		/* id bucket chain */
	uint32_t		flownext;	/* flow bucket chain (leader) */
	uint32_t		heapi;		/* leader: place in the heap */
	uint16_t		queue;
	uint8_t			used;
};

struct pending {
	struct pending_slot	slot[MAX_PENDING];
	uint32_t		idb[PENDING_BUCKETS];
	uint32_t		flowb[PENDING_BUCKETS];
	uint32_t		heap[MAX_PENDING]; /* leaders by deadline */
	uint32_t		nheap;
	uint32_t		freelist;	/* slots given back */
	uint32_t		fresh;		/* slots never used */
	uint32_t		used;
	uint8_t			key[HASH_KEY_LEN];
	struct pending_stats	st;
};

static uint32_t	 pending_flow_hash(const struct pending *,
		    const struct conn_tuple *, uint32_t);
static uint32_t	 pending_find_id(const struct pending *, uint32_t);
static uint32_t	 pending_find_flow(const struct pending *,
		    const struct conn_tuple *, uint32_t);
static void	 pending_unlink_id(struct pending *, uint32_t);
static void	 pending_unlink_flow(struct pending *, uint32_t);
static void	 pending_heap_swap(struct pending *, uint32_t, uint32_t);
static void	 pending_heap_up(struct pending *, uint32_t);
static void	 pending_heap_down(struct pending *, uint32_t);
static void	 pending_heap_remove(struct pending *, uint32_t);
static int	 pending_release(struct pending *, uint32_t, pending_fn,
		    void *);

/* key: a random one, so that nobody can aim packets at one bucket. */
struct pending *
pending_new(const uint8_t key[HASH_KEY_LEN])
{
	struct pending	*pt;
	uint32_t	 i;

	if ((pt = calloc(1, sizeof(*pt))) == NULL)
		return NULL;
	memcpy(pt->key, key, sizeof(pt->key));
	for (i = 0; i < PENDING_BUCKETS; i++)
		pt->idb[i] = pt->flowb[i] = PENDING_NONE;
	/* Slots are taken in order: the untouched rest costs no RSS. */
	pt->freelist = PENDING_NONE;
	return pt;
}

void
pending_free(struct pending *pt)
{
	free(pt);
}

static uint32_t
pending_flow_hash(const struct pending *pt, const struct conn_tuple *t,
    uint32_t flow)
{
	uint8_t		 b[sizeof(*t) + sizeof(flow)];

	memcpy(b, t, sizeof(*t));
	memcpy(b + sizeof(*t), &flow, sizeof(flow));
	return (uint32_t)hash_sip24(pt->key, b, sizeof(b)) & PENDING_MASK;
}

static uint32_t
pending_find_id(const struct pending *pt, uint32_t id)
{
	uint32_t	 s;

	for (s = pt->idb[id & PENDING_MASK]; s != PENDING_NONE;
	    s = pt->slot[s].idnext)
		if (pt->slot[s].id == id)
			return s;
	return PENDING_NONE;
}

static uint32_t
pending_find_flow(const struct pending *pt, const struct conn_tuple *t,
    uint32_t flow)
{
	uint32_t	 s;

	for (s = pt->flowb[pending_flow_hash(pt, t, flow)]; s != PENDING_NONE;
	    s = pt->slot[s].flownext)
		if (pt->slot[s].flow == flow &&
		    memcmp(&pt->slot[s].t, t, sizeof(*t)) == 0)
			return s;
	return PENDING_NONE;
}

/*
 * Hold packet id (of queue, with mark) of flow (t, flow) until deadline.
 * PENDING_NEW: it leads a new group, ask about it.  PENDING_JOINED: it
 * joined the group led by *leader.  -1: ENOSPC (table full: apply the
 * fail mode to this packet) or EEXIST (id already held).  The tuple's
 * pad must be zero.
 */
int
pending_add(struct pending *pt, uint32_t id, uint16_t queue, uint32_t mark,
    const struct conn_tuple *t, uint32_t flow, uint64_t deadline,
    uint32_t *leader)
{
	struct pending_slot	*s, *l;
	uint32_t		 si, li, b;

	if (pending_find_id(pt, id) != PENDING_NONE) {
		errno = EEXIST;
		return -1;
	}
	if ((si = pt->freelist) != PENDING_NONE)
		pt->freelist = pt->slot[si].next;
	else if (pt->fresh < MAX_PENDING)
		si = pt->fresh++;
	else {
		pt->st.full++;
		errno = ENOSPC;
		return -1;
	}
	s = &pt->slot[si];
	pt->used++;
	s->used = 1;
	s->id = id;
	s->queue = queue;
	s->mark = mark;
	s->next = PENDING_NONE;
	b = id & PENDING_MASK;
	s->idnext = pt->idb[b];
	pt->idb[b] = si;

	if ((li = pending_find_flow(pt, t, flow)) != PENDING_NONE) {
		l = &pt->slot[li];
		s->leader = li;
		pt->slot[l->last].next = si;
		l->last = si;
		*leader = l->id;
		pt->st.joined++;
		return PENDING_JOINED;
	}
	s->leader = si;
	s->last = si;
	s->t = *t;
	s->flow = flow;
	s->deadline = deadline;
	b = pending_flow_hash(pt, t, flow);
	s->flownext = pt->flowb[b];
	pt->flowb[b] = si;
	s->heapi = pt->nheap;
	pt->heap[pt->nheap++] = si;
	pending_heap_up(pt, s->heapi);
	*leader = id;
	pt->st.groups++;
	return PENDING_NEW;
}

static void
pending_unlink_id(struct pending *pt, uint32_t si)
{
	uint32_t	*pp;

	for (pp = &pt->idb[pt->slot[si].id & PENDING_MASK];
	    *pp != PENDING_NONE; pp = &pt->slot[*pp].idnext)
		if (*pp == si) {
			*pp = pt->slot[si].idnext;
			return;
		}
}

static void
pending_unlink_flow(struct pending *pt, uint32_t si)
{
	struct pending_slot	*s = &pt->slot[si];
	uint32_t		*pp;

	for (pp = &pt->flowb[pending_flow_hash(pt, &s->t, s->flow)];
	    *pp != PENDING_NONE; pp = &pt->slot[*pp].flownext)
		if (*pp == si) {
			*pp = s->flownext;
			return;
		}
}

static void
pending_heap_swap(struct pending *pt, uint32_t a, uint32_t b)
{
	uint32_t	 t = pt->heap[a];

	pt->heap[a] = pt->heap[b];
	pt->heap[b] = t;
	pt->slot[pt->heap[a]].heapi = a;
	pt->slot[pt->heap[b]].heapi = b;
}

static void
pending_heap_up(struct pending *pt, uint32_t i)
{
	uint32_t	 p;

	while (i > 0) {
		p = (i - 1) / 2;
		if (pt->slot[pt->heap[p]].deadline <=
		    pt->slot[pt->heap[i]].deadline)
			break;
		pending_heap_swap(pt, i, p);
		i = p;
	}
}

static void
pending_heap_down(struct pending *pt, uint32_t i)
{
	uint32_t	 c, m;

	for (;;) {
		m = i;
		c = 2 * i + 1;
		if (c < pt->nheap && pt->slot[pt->heap[c]].deadline <
		    pt->slot[pt->heap[m]].deadline)
			m = c;
		if (c + 1 < pt->nheap && pt->slot[pt->heap[c + 1]].deadline <
		    pt->slot[pt->heap[m]].deadline)
			m = c + 1;
		if (m == i)
			return;
		pending_heap_swap(pt, i, m);
		i = m;
	}
}

static void
pending_heap_remove(struct pending *pt, uint32_t i)
{
	uint32_t	 last = --pt->nheap;

	if (i != last) {
		pending_heap_swap(pt, i, last);
		pending_heap_down(pt, i);
		pending_heap_up(pt, i);
	}
}

/* Hand every packet of the group led by slot li to fn, then free it. */
static int
pending_release(struct pending *pt, uint32_t li, pending_fn fn, void *arg)
{
	struct pending_pkt	 pp;
	struct pending_slot	*s;
	uint32_t		 si, next, leader_id = pt->slot[li].id;
	int			 n = 0;

	pending_heap_remove(pt, pt->slot[li].heapi);
	pending_unlink_flow(pt, li);
	for (si = li; si != PENDING_NONE; si = next) {
		s = &pt->slot[si];
		next = s->next;
		pending_unlink_id(pt, si);
		memset(&pp, 0, sizeof(pp));
		pp.id = s->id;
		pp.leader = leader_id;
		pp.mark = s->mark;
		pp.queue = s->queue;
		if (fn != NULL)
			fn(&pp, arg);
		memset(s, 0, sizeof(*s));
		s->next = pt->freelist;
		pt->freelist = si;
		pt->used--;
		n++;
	}
	return n;
}

/*
 * The decision for the group that leader leads: fn sees each of its
 * packets.  Returns how many; -1 with ENOENT when no such packet is held,
 * EINVAL when it is held but leads no group (ruled never saw that id).
 */
int
pending_resolve(struct pending *pt, uint32_t leader, pending_fn fn, void *arg)
{
	uint32_t	 si;
	int		 n;

	if ((si = pending_find_id(pt, leader)) == PENDING_NONE) {
		errno = ENOENT;
		return -1;
	}
	if (pt->slot[si].leader != si) {
		errno = EINVAL;
		return -1;
	}
	n = pending_release(pt, si, fn, arg);
	pt->st.resolved += (uint64_t)n;
	return n;
}

/* Release every group whose deadline is at or before now. */
int
pending_expire(struct pending *pt, uint64_t now, pending_fn fn, void *arg)
{
	int	 n = 0, k;

	while (pt->nheap > 0 && pt->slot[pt->heap[0]].deadline <= now) {
		k = pending_release(pt, pt->heap[0], fn, arg);
		pt->st.expired += (uint64_t)k;
		n += k;
	}
	return n;
}

/* Release everything (a child died, or shutdown). */
int
pending_drain(struct pending *pt, pending_fn fn, void *arg)
{
	int	 n = 0;

	while (pt->nheap > 0)
		n += pending_release(pt, pt->heap[0], fn, arg);
	return n;
}

/* The earliest deadline: 0 and *when, or -1 when nothing is held. */
int
pending_next_deadline(const struct pending *pt, uint64_t *when)
{
	if (pt->nheap == 0)
		return -1;
	*when = pt->slot[pt->heap[0]].deadline;
	return 0;
}

size_t
pending_count(const struct pending *pt)
{
	return pt->used;
}

void
pending_stats(const struct pending *pt, struct pending_stats *st)
{
	*st = pt->st;
}
