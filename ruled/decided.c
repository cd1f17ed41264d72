/*
 * decided.c: the verdicts of connections decided a moment ago.  A
 * dropped first packet comes again (a TCP SYN retransmitted, a UDP
 * datagram the program sends again on the same socket), and conntrack
 * counts it new; without this table it would be asked about and
 * reported once more each time.  An entry is keyed by the whole tuple,
 * the socket's uid and the process (pid and start time), so another
 * process that reuses the tuple is decided afresh.  The table is
 * bounded in entries (the oldest gives way) and in time
 * (DECIDED_KEEP_MS); any change of the rules empties it, so that a rule
 * added after a verdict decides the next retransmit.
 */
#include <sys/random.h>

#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "dns.h"
#include "ruled.h"

struct decided_key {
	struct conn_tuple t;
	uint32_t	 uid;		/* the socket's, from the queue */
	uint32_t	 pid;		/* 0: no process found */
	uint64_t	 start_time;
};

struct decided {
	struct decided_key k;
	int64_t		 expires;	/* ruled_now_ms */
	uint32_t	 verdict;	/* VERDICT_NONE: slot free */
	uint32_t	 reason;
	uint32_t	 next;		/* chain: slot + 1, 0 ends it */
};

static struct decided	 slots[MAX_DECIDED];
static uint32_t		 buckets[DECIDED_BUCKETS];	/* slot + 1 */
static uint32_t		 ring;		/* the next slot to fill */
static uint8_t		 hkey[HASH_KEY_LEN];

static void	 decided_key(struct decided_key *,
		    const struct msg_conn_attr *);
static uint32_t	*decided_bucket(const struct decided_key *);
static void	 decided_unlink(uint32_t);

void
decided_init(void)
{
	if (getrandom(hkey, sizeof(hkey), 0) != sizeof(hkey))
		fatal("getrandom");
}

static void
decided_key(struct decided_key *k, const struct msg_conn_attr *ca)
{
	memset(k, 0, sizeof(*k));
	k->t = ca->conn.t;
	k->uid = ca->conn.uid;
	k->pid = ca->pid;
	k->start_time = ca->start_time;
}

static uint32_t *
decided_bucket(const struct decided_key *k)
{
	return &buckets[hash_sip24(hkey, k, sizeof(*k)) &
	    (DECIDED_BUCKETS - 1)];
}

/* Take slot s out of its chain before it is reused. */
static void
decided_unlink(uint32_t s)
{
	uint32_t	*p = decided_bucket(&slots[s].k);

	while (*p != 0 && *p != s + 1)
		p = &slots[*p - 1].next;
	if (*p == s + 1)
		*p = slots[s].next;
	slots[s].verdict = VERDICT_NONE;
}

/*
 * Remember a verdict.  An unknown process is remembered only when it
 * was not allowed: another process unknown to tattle could reuse the
 * tuple, and must not inherit an allow.
 */
void
decided_add(const struct msg_conn_attr *ca, uint32_t verdict, uint32_t reason)
{
	struct decided_key	 k;
	uint32_t		*b, s;

	if (ca->pid == 0 && verdict == VERDICT_ALLOW)
		return;
	decided_key(&k, ca);
	b = decided_bucket(&k);
	for (s = *b; s != 0; s = slots[s - 1].next)
		if (memcmp(&slots[s - 1].k, &k, sizeof(k)) == 0)
			break;
	if (s == 0) {
		s = ring + 1;
		ring = (ring + 1) % MAX_DECIDED;
		if (slots[s - 1].verdict != VERDICT_NONE)
			decided_unlink(s - 1);
		slots[s - 1].k = k;
		slots[s - 1].next = *b;
		*b = s;
	}
	slots[s - 1].verdict = verdict;
	slots[s - 1].reason = reason;
	slots[s - 1].expires = ruled_now_ms() +
	    (int64_t)DECIDED_KEEP_MS * ruled_time_scale;
}

/*
 * The verdict this connection had a moment ago and its reason,
 * VERDICT_NONE if none.
 */
uint32_t
decided_find(const struct msg_conn_attr *ca, uint32_t *reason)
{
	struct decided_key	 k;
	uint32_t		 s;

	decided_key(&k, ca);
	for (s = *decided_bucket(&k); s != 0; s = slots[s - 1].next) {
		if (memcmp(&slots[s - 1].k, &k, sizeof(k)) != 0)
			continue;
		if (slots[s - 1].expires <= (int64_t)ruled_now_ms())
			return VERDICT_NONE;
		*reason = slots[s - 1].reason;
		return slots[s - 1].verdict;
	}
	return VERDICT_NONE;
}

/* The rules changed: what they decided before no longer holds. */
void
decided_forget(void)
{
	memset(buckets, 0, sizeof(buckets));
	memset(slots, 0, sizeof(slots));
	ring = 0;
}
