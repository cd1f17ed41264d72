/*
 * dnstrack.c: queries seen leaving, waiting for their reply.  Entries sit
 * in a fixed array, on one list in the order they were seen (which is
 * also deadline order, the timeout being one constant) and in a hash
 * table keyed by the client's address and port.  When the table or one
 * client's share is full, the oldest query gives way: a flood then has to
 * outpace real replies, which come back in milliseconds, to cost one.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "dnstrack.h"
#include "proto.h"

/* Twice the entries, a power of 2. */
#define DNSTRACK_BUCKETS	(2 * MAX_DNSTRACK_QUERIES)

struct dnstrack_ent {
	TAILQ_ENTRY(dnstrack_ent) age;		/* pending, or free */
	struct dnstrack_ent	*hnext;
	struct conn_tuple	 tuple;		/* the query's */
	uint64_t		 deadline;
	uint32_t		 uid;
	uint16_t		 id;
	uint16_t		 qtype;
	uint16_t		 qclass;
	int			 left;		/* 0: held for its verdict */
	char			 qname[DNS_NAME_SIZE];
};

TAILQ_HEAD(dnstrack_list, dnstrack_ent);

struct dnstrack {
	uint8_t			 key[HASH_KEY_LEN];
	struct dnstrack_ent	*ents;
	struct dnstrack_list	 pending;	/* oldest first */
	struct dnstrack_list	 free;		/* given back */
	size_t			 fresh;		/* ents never used */
	struct dnstrack_stats	 st;
	struct dnstrack_ent	*buckets[DNSTRACK_BUCKETS];
};

/* What the table is keyed by: one end of the exchange. */
struct dnstrack_end {
	uint8_t		family;
	uint8_t		proto;
	uint16_t	port;
	uint8_t		addr[16];
};

static size_t	 dnstrack_addrlen(uint8_t);
static int	 dnstrack_record(struct dnstrack *, const struct conn_tuple *,
		    uint32_t, const struct dns_msg *, uint64_t, const char **,
		    int);
static const char *dnstrack_check(const struct conn_tuple *,
		    const struct dns_msg *, int);
static struct dnstrack_ent **dnstrack_bucket(struct dnstrack *, uint8_t,
		    uint8_t, const uint8_t *, uint16_t);
static int	 dnstrack_same_client(const struct dnstrack_ent *,
		    const struct conn_tuple *, int);
static int	 dnstrack_same_server(const struct dnstrack_ent *,
		    const struct conn_tuple *);
static int	 dnstrack_same_question(const struct dnstrack_ent *,
		    const struct dns_msg *);
static void	 dnstrack_remove(struct dnstrack *, struct dnstrack_ent *);
static struct dnstrack_ent *dnstrack_find_query(struct dnstrack *,
		    const struct conn_tuple *, const struct dns_msg *,
		    size_t *, struct dnstrack_ent **);

struct dnstrack *
dnstrack_new(const uint8_t key[HASH_KEY_LEN])
{
	struct dnstrack	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->ents = calloc(MAX_DNSTRACK_QUERIES, sizeof(*t->ents))) ==
	    NULL) {
		free(t);
		return NULL;
	}
	memcpy(t->key, key, HASH_KEY_LEN);
	TAILQ_INIT(&t->pending);
	/* Entries are taken in order, so the untouched rest costs no RSS. */
	TAILQ_INIT(&t->free);
	return t;
}

void
dnstrack_free(struct dnstrack *t)
{
	if (t == NULL)
		return;
	free(t->ents);
	free(t);
}

static size_t
dnstrack_addrlen(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static const char *
dnstrack_check(const struct conn_tuple *tp, const struct dns_msg *m,
    int reply)
{
	if (tp->family != AF_INET && tp->family != AF_INET6)
		return "tuple: family not AF_INET or AF_INET6";
	if (tp->proto != IPPROTO_UDP && tp->proto != IPPROTO_TCP)
		return "tuple: protocol not UDP or TCP";
	if (reply && !(m->flags & DNS_F_QR))
		return "reply: QR bit clear, a query";
	if (!reply && (m->flags & DNS_F_QR))
		return "query: QR bit set, a reply";
	if (DNS_OPCODE(m->flags) != DNS_OPCODE_QUERY)
		return reply ? "reply: opcode not QUERY" :
		    "query: opcode not QUERY";
	return NULL;
}

static struct dnstrack_ent **
dnstrack_bucket(struct dnstrack *t, uint8_t family, uint8_t proto,
    const uint8_t *addr, uint16_t port)
{
	struct dnstrack_end	e;

	memset(&e, 0, sizeof(e));
	e.family = family;
	e.proto = proto;
	e.port = port;
	memcpy(e.addr, addr, dnstrack_addrlen(family));
	return &t->buckets[hash_sip24(t->key, &e, sizeof(e)) &
	    (DNSTRACK_BUCKETS - 1)];
}

/* Is tp's client the query's?  A query's client is its source. */
static int
dnstrack_same_client(const struct dnstrack_ent *q, const struct conn_tuple *tp,
    int reply)
{
	const uint8_t	*addr = reply ? tp->daddr : tp->saddr;
	uint16_t	 port = reply ? tp->dport : tp->sport;

	return q->tuple.family == tp->family && q->tuple.proto == tp->proto &&
	    q->tuple.sport == port &&
	    memcmp(q->tuple.saddr, addr, dnstrack_addrlen(tp->family)) == 0;
}

/* Does the reply tp come from the server the query went to? */
static int
dnstrack_same_server(const struct dnstrack_ent *q, const struct conn_tuple *tp)
{
	return q->tuple.dport == tp->sport &&
	    memcmp(q->tuple.daddr, tp->saddr,
	    dnstrack_addrlen(tp->family)) == 0;
}

/* Names are lower case from dns_parse(): 0x20 randomisation compares. */
static int
dnstrack_same_question(const struct dnstrack_ent *q, const struct dns_msg *m)
{
	return q->qtype == m->qtype && q->qclass == m->qclass &&
	    strcmp(q->qname, m->qname) == 0;
}

static void
dnstrack_remove(struct dnstrack *t, struct dnstrack_ent *q)
{
	struct dnstrack_ent	**pp;

	pp = dnstrack_bucket(t, q->tuple.family, q->tuple.proto,
	    q->tuple.saddr, q->tuple.sport);
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == q) {
			*pp = q->hnext;
			break;
		}
	TAILQ_REMOVE(&t->pending, q, age);
	TAILQ_INSERT_TAIL(&t->free, q, age);
	t->st.pending--;
}

void
dnstrack_expire(struct dnstrack *t, uint64_t now)
{
	struct dnstrack_ent	*q;

	while ((q = TAILQ_FIRST(&t->pending)) != NULL && q->deadline <= now) {
		dnstrack_remove(t, q);
		t->st.expired++;
	}
}

/*
 * The same query already pending (a retransmission), if any; *nclient
 * counts that client's queries and *oldest is the first of them seen.
 */
static struct dnstrack_ent *
dnstrack_find_query(struct dnstrack *t, const struct conn_tuple *tp,
    const struct dns_msg *m, size_t *nclient, struct dnstrack_ent **oldest)
{
	struct dnstrack_ent	*q;

	*nclient = 0;
	*oldest = NULL;
	q = *dnstrack_bucket(t, tp->family, tp->proto, tp->saddr, tp->sport);
	for (; q != NULL; q = q->hnext) {
		if (!dnstrack_same_client(q, tp, 0))
			continue;
		if (q->id == m->id && q->tuple.dport == tp->dport &&
		    memcmp(q->tuple.daddr, tp->daddr,
		    dnstrack_addrlen(tp->family)) == 0 &&
		    dnstrack_same_question(q, m))
			return q;
		(*nclient)++;
		/* The chain runs newest first: on a tie, the later is older. */
		if (*oldest == NULL || q->deadline <= (*oldest)->deadline)
			*oldest = q;
	}
	return NULL;
}

/*
 * Record the query m that left as tp (source = client) from a socket of
 * uid (CONN_UID_UNKNOWN: the uid its dnstrack_ask() gave, if any).
 * Returns 0, or -1 with *why if m is not a query to track.
 */
int
dnstrack_query(struct dnstrack *t, const struct conn_tuple *tp, uint32_t uid,
    const struct dns_msg *m, uint64_t now, const char **why)
{
	return dnstrack_record(t, tp, uid, m, now, why, 1);
}

/*
 * Record the query m, held for its verdict: no reply may match it until
 * dnstrack_query() says it left.  It keeps uid (the socket may be closed
 * by the time the query leaves).
 */
int
dnstrack_ask(struct dnstrack *t, const struct conn_tuple *tp, uint32_t uid,
    const struct dns_msg *m, uint64_t now, const char **why)
{
	return dnstrack_record(t, tp, uid, m, now, why, 0);
}

static int
dnstrack_record(struct dnstrack *t, const struct conn_tuple *tp,
    uint32_t uid, const struct dns_msg *m, uint64_t now, const char **why,
    int left)
{
	struct dnstrack_ent	*q, *oldest, **bucket;
	const char		*e;
	size_t			 nclient;

	if ((e = dnstrack_check(tp, m, 0)) != NULL) {
		if (why != NULL)
			*why = e;
		return -1;
	}
	dnstrack_expire(t, now);
	if ((q = dnstrack_find_query(t, tp, m, &nclient, &oldest)) != NULL) {
		if (uid != CONN_UID_UNKNOWN)
			q->uid = uid;
		if (left && !q->left)
			q->left = 1;	/* the verdict let it out */
		else
			t->st.repeats++;
		q->deadline = now + DNSTRACK_TIMEOUT_MS;
		TAILQ_REMOVE(&t->pending, q, age);
		TAILQ_INSERT_TAIL(&t->pending, q, age);
		return 0;
	}
	if (nclient >= MAX_DNSTRACK_PER_CLIENT) {
		dnstrack_remove(t, oldest);
		t->st.evicted++;
	}
	if (TAILQ_EMPTY(&t->free) && t->fresh < MAX_DNSTRACK_QUERIES)
		q = &t->ents[t->fresh++];
	else {
		if (TAILQ_EMPTY(&t->free)) {
			dnstrack_remove(t, TAILQ_FIRST(&t->pending));
			t->st.evicted++;
		}
		q = TAILQ_FIRST(&t->free);
		TAILQ_REMOVE(&t->free, q, age);
	}
	memset(q, 0, sizeof(*q));
	memcpy(&q->tuple, tp, sizeof(q->tuple));
	q->deadline = now + DNSTRACK_TIMEOUT_MS;
	q->uid = uid;
	q->left = left;
	q->id = m->id;
	q->qtype = m->qtype;
	q->qclass = m->qclass;
	memcpy(q->qname, m->qname, sizeof(q->qname));
	bucket = dnstrack_bucket(t, tp->family, tp->proto, tp->saddr,
	    tp->sport);
	q->hnext = *bucket;
	*bucket = q;
	TAILQ_INSERT_TAIL(&t->pending, q, age);
	t->st.queries++;
	t->st.pending++;
	return 0;
}

/*
 * Does the reply m, which arrived as tp (source = server), answer a
 * pending query?  If so the query is consumed, *uid is the uid that sent
 * it, and 0 is returned; otherwise -1 with *why, and nothing changes.
 * The reasons are tried from the widest miss to the narrowest.
 */
int
dnstrack_reply(struct dnstrack *t, const struct conn_tuple *tp,
    const struct dns_msg *m, uint64_t now, uint32_t *uid, const char **why)
{
	struct dnstrack_ent	*q;
	const char		*e;
	int			 client = 0, server = 0, id = 0, held = 0;

	if ((e = dnstrack_check(tp, m, 1)) != NULL)
		goto untrusted;
	dnstrack_expire(t, now);
	q = *dnstrack_bucket(t, tp->family, tp->proto, tp->daddr, tp->dport);
	for (; q != NULL; q = q->hnext) {
		if (!dnstrack_same_client(q, tp, 1))
			continue;
		client = 1;
		if (!dnstrack_same_server(q, tp))
			continue;
		server = 1;
		if (q->id != m->id)
			continue;
		id = 1;
		if (!dnstrack_same_question(q, m))
			continue;
		if (q->left)
			break;
		held = 1;
	}
	if (q == NULL) {
		e = held ? "its query never left (dropped or held)" :
		    !client ? "no query pending from that client port" :
		    !server ? "not from the server the query went to" :
		    !id ? "no query pending with that id" :
		    "question differs from the query's";
		goto untrusted;
	}
	*uid = q->uid;
	dnstrack_remove(t, q);
	t->st.trusted++;
	return 0;

untrusted:
	if (why != NULL)
		*why = e;
	t->st.untrusted++;
	return -1;
}

void
dnstrack_stats(const struct dnstrack *t, struct dnstrack_stats *st)
{
	memcpy(st, &t->st, sizeof(*st));
}
