/*
 * verdict.c: from a held packet to its verdict.  A new connection's first
 * packet is parsed (headers only), held in the pending table and handed
 * to attributord; packets of the same connection that follow join it.
 * ruled's verdict releases the whole group.  DNS packets are copied to
 * ruled, which alone parses them: a query held for its verdict (to name
 * its own connection), and from the NFLOG group the queries that left
 * and the replies to them.  Whatever tattle cannot decide gets
 * the fail mode (closed: drop; open: accept), and says so in the log.
 */
#include <sys/types.h>
#include <sys/random.h>

#include <linux/netfilter.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "fw.h"
#include "nflog.h"
#include "packetd.h"
#include "pending.h"
#include "pkt.h"
#include "queue.h"

#define VERDICT_LOG_EVERY_MS	10000	/* rate of repeated warnings */

struct verdict_arg {
	struct packetd	*p;
	uint32_t	 verdict;	/* enum verdict */
};

static uint64_t	 verdict_now_ns(void);
static void	 verdict_packet(const struct queue_pkt *, void *);
static void	 verdict_decide_new(struct packetd *, const struct queue_pkt *,
		    const struct pkt_info *);
static void	 verdict_copy_dns(struct packetd *, const struct pkt_info *,
		    uint32_t, uint32_t, int);
static void	 verdict_nflog_pkt(const struct nflog_pkt *, void *);
static void	 verdict_nflog_first(void *);
static void	 verdict_one(struct packetd *, uint16_t, uint32_t,
		    uint32_t, uint32_t);
static void	 verdict_pending_cb(const struct pending_pkt *, void *);
static uint32_t	 verdict_failmode(const struct packetd *);
static void	 verdict_stage_times(struct packetd *,
		    const struct msg_verdict *);
static void	 verdict_warn(struct packetd *, uint64_t *, const char *,
		    const char *);

static uint64_t
verdict_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint32_t
verdict_failmode(const struct packetd *p)
{
	return p->cfg.fail_open ? VERDICT_ALLOW : VERDICT_DENY;
}

/* A warning that could come with every packet, at most every 10 s. */
static void
verdict_warn(struct packetd *p, uint64_t *last, const char *what,
    const char *why)
{
	uint64_t	 now = verdict_now_ns();

	if (*last != 0 && now - *last < VERDICT_LOG_EVERY_MS * 1000000ull)
		return;
	*last = now;
	log_warnx("%s: %s (%s so far; fail mode %s)", what, why,
	    "see tattle stats", p->cfg.fail_open ? "open" : "closed");
}

/*
 * As root: the netfilter sockets, the queues bound (nothing arrives
 * before the table exists), the pending table.
 */
void
verdict_open(struct packetd *p)
{
	struct queue_opts	 qo;
	struct mnl_socket	*fwsock, *qsock;
	char			 err[MAX_QUEUE_ERR];
	uint8_t			 seed[HASH_KEY_LEN];

	if ((fwsock = fw_socket()) == NULL)
		fatal("nftables netlink socket");
	fw_init(&p->fw, fwsock);
	if ((qsock = queue_socket()) == NULL)
		fatal("NFQUEUE netlink socket");
	memset(&qo, 0, sizeof(qo));
	qo.num = p->cfg.queue_num;
	qo.count = 1;
	qo.fail_open = p->cfg.fail_open;
	if ((p->queue = queue_open(qsock, &qo, err, sizeof(err))) == NULL)
		fatalx("NFQUEUE %u: %s", p->cfg.queue_num, err);
	if ((p->nflog = nflog_open(FW_LOG_GROUP(p->cfg.queue_num), err,
	    sizeof(err))) == NULL)
		fatalx("NFLOG group %u: %s", FW_LOG_GROUP(p->cfg.queue_num),
		    err);
	queue_set_first(p->queue, verdict_nflog_first, p);
	if (getrandom(seed, sizeof(seed), 0) != sizeof(seed))
		fatal("getrandom");
	if ((p->pending = pending_new(seed)) == NULL)
		fatal("pending table");
}

/*
 * The table goes in last, once the pipeline answers: from here on every
 * new connection is held.
 */
void
verdict_install(struct packetd *p)
{
	struct fw_opts	 fo;

	memset(&fo, 0, sizeof(fo));
	fo.queue_num = p->cfg.queue_num;
	fo.reject_bit = FW_REJECT_BIT_DEFAULT;
	fo.fail_open = p->cfg.fail_open;
	fo.qkind = FW_QUEUE_AUTO;
	if (fw_install(&p->fw, &fo) == -1)
		fatalx("nftables table inet %s: %s", FW_TABLE, p->fw.err);
	if (p->fw.replaced)
		log_warnx("replaced the table inet %s already there (the "
		    "boot table, or one a failed run left)", FW_TABLE);
	log_info("table inet %s installed: queue %u via %s, DNS copies "
	    "from log group %u, fail mode %s", FW_TABLE, p->cfg.queue_num,
	    fw_qkind_name(p->fw.qkind), FW_LOG_GROUP(p->cfg.queue_num),
	    p->cfg.fail_open ? "open" : "closed");
}

/* A clean stop: the table goes, so stopping tattle never cuts the net. */
void
verdict_remove(struct packetd *p)
{
	if (p->queue == NULL)
		return;
	if (fw_remove(&p->fw) == -1)
		log_warnx("removing table inet %s: %s", FW_TABLE, p->fw.err);
}

/*
 * Read what the queue holds and give every verdict in one go.  A short
 * batch means the socket was empty: poll says when more comes, so no
 * read is spent learning EAGAIN.  The DNS copies come first: after each
 * read, before its packets (verdict_nflog_first), since a reply copied
 * before a program could connect must reach ruled before the connection
 * it names, and the two sockets keep no order between them.
 */
void
verdict_dispatch_queue(struct packetd *p)
{
	int	 n;

	do {
		n = queue_read(p->queue, verdict_packet, p);
	} while (n == MAX_QUEUE_BATCH);
	if (n == -1 && errno != EAGAIN)
		log_warn("NFQUEUE read");
	verdict_flush(p);
}

/* The DNS copies of the NFLOG group, in the kernel's order. */
void
verdict_dispatch_nflog(struct packetd *p)
{
	if (p->nflog != NULL && nflog_drain(p->nflog, verdict_nflog_pkt, p,
	    &p->stats.dns_lost) == -1)
		log_warn("NFLOG read");
}

/*
 * Every copy the kernel sent before the packets just read were queued
 * (one recv, EAGAIN when no DNS came: the price of that order).
 */
static void
verdict_nflog_first(void *arg)
{
	verdict_dispatch_nflog(arg);
}

static void
verdict_nflog_pkt(const struct nflog_pkt *np, void *arg)
{
	struct packetd	*p = arg;
	struct pkt_info	 pi;
	const char	*why;

	if (pkt_parse(np->data, np->len, &pi, &why) == -1 ||
	    (pi.t.proto != IPPROTO_UDP && pi.t.proto != IPPROTO_TCP)) {
		p->stats.dns_bad++;
		return;
	}
	verdict_copy_dns(p, &pi, np->hook == NF_INET_LOCAL_OUT ?
	    DNS_DIR_QUERY : DNS_DIR_REPLY, (np->flags & NP_UID) ? np->uid :
	    CONN_UID_UNKNOWN, 0);
}

void
verdict_flush(struct packetd *p)
{
	if (p->queue != NULL && queue_buffered(p->queue) > 0 &&
	    queue_flush(p->queue) == -1)
		log_warn("NFQUEUE verdicts");
}

static void
verdict_one(struct packetd *p, uint16_t q, uint32_t id, uint32_t mark,
    uint32_t verdict)
{
	uint32_t	 m;

	switch (verdict) {
	case VERDICT_ALLOW:
		p->stats.allowed++;
		queue_verdict(p->queue, q, id, NF_ACCEPT, NULL);
		break;
	case VERDICT_REJECT:
		/* Back through the chain, where the mark meets reject. */
		p->stats.rejected++;
		m = mark | FW_REJECT_BIT_DEFAULT;
		queue_verdict(p->queue, q, id, NF_REPEAT, &m);
		break;
	default:
		p->stats.denied++;
		queue_verdict(p->queue, q, id, NF_DROP, NULL);
		break;
	}
}

static void
verdict_pending_cb(const struct pending_pkt *pp, void *arg)
{
	struct verdict_arg	*a = arg;

	verdict_one(a->p, pp->queue, pp->id, pp->mark, a->verdict);
}

static void
verdict_packet(const struct queue_pkt *qp, void *arg)
{
	struct packetd	*p = arg;
	struct pkt_info	 pi;
	const char	*why;

	p->stats.packets++;
	if (pkt_parse(qp->data, qp->len, &pi, &why) == -1) {
		/* Nothing to decide on: the default action, counted. */
		p->stats.unparsed++;
		verdict_warn(p, &p->warned_unparsed, "unparsable packet", why);
		verdict_one(p, qp->queue, qp->id, qp->mark,
		    p->default_verdict);
		return;
	}
	/*
	 * A new DNS flow's query names its own connection; it counts as
	 * asked only once the verdict let it leave (the NFLOG copy).
	 */
	if ((pi.t.proto == IPPROTO_UDP || pi.t.proto == IPPROTO_TCP) &&
	    pi.t.dport == 53 && pi.paylen > 0)
		verdict_copy_dns(p, &pi, DNS_DIR_ASK, (qp->flags & QP_UID) ?
		    qp->uid : CONN_UID_UNKNOWN, (qp->flags & QP_TRUNC) != 0);
	verdict_decide_new(p, qp, &pi);
}

/* Hold the packet; ask attributord about its connection if it is new. */
static void
verdict_decide_new(struct packetd *p, const struct queue_pkt *qp,
    const struct pkt_info *pi)
{
	struct msg_conn	 c;
	struct msg	 m;
	uint64_t	 now = verdict_now_ns();
	uint32_t	 leader;
	int		 rv;

	rv = pending_add(p->pending, qp->id, qp->queue, qp->mark, &pi->t,
	    pi->echo_id, now + p->decide_timeout_ns, &leader);
	if (rv == PENDING_JOINED)
		return;
	if (rv == -1) {
		p->stats.overflow++;
		p->stats.failmode++;
		verdict_warn(p, &p->warned_overflow, "pending table full",
		    errno == ENOSPC ? "too many connections held" :
		    "duplicate packet id");
		verdict_one(p, qp->queue, qp->id, qp->mark,
		    verdict_failmode(p));
		return;
	}
	p->stats.conns++;
	memset(&c, 0, sizeof(c));
	c.t = pi->t;
	c.uid = (qp->flags & QP_UID) ? qp->uid : CONN_UID_UNKNOWN;
	c.gid = (qp->flags & QP_GID) ? qp->gid : CONN_UID_UNKNOWN;
	c.ifindex_in = qp->indev;
	c.ifindex_out = qp->outdev;
	c.stamp_ns = now;
	/* ruled takes the DNS copies sent so far before it decides. */
	c.dns_seq = (uint32_t)(p->stats.dns_copied - p->stats.dns_dropped);
	msg_init(&m, MSG_CONN, qp->id);
	msg_set_body(&m, &c, sizeof(c));
	if (chan_send(&p->children[ROLE_ATTRIBUTORD].chan, &m) == -1) {
		/* attributord cannot take more: decide by the fail mode. */
		p->stats.failmode++;
		verdict_warn(p, &p->warned_backlog, "attributord backlog full",
		    strerror(errno));
		verdict_resolve(p, qp->id, verdict_failmode(p));
	}
}

/* packetd never parses DNS; ruled, the least privileged, does. */
static void
verdict_copy_dns(struct packetd *p, const struct pkt_info *pi, uint32_t dir,
    uint32_t uid, int cut)
{
	struct msg_dns	 d;
	struct msg	 m;
	size_t		 len = pi->paylen;

	if (len == 0)
		return;
	memset(&d, 0, sizeof(d));
	d.t = pi->t;
	d.dir = dir;
	d.uid = uid;
	if (len > MAX_PAYLOAD || cut || (pi->flags & PKT_TRUNC)) {
		d.flags |= DNS_F_CUT;
		if (len > MAX_PAYLOAD)
			len = MAX_PAYLOAD;
	}
	msg_init(&m, MSG_DNS, 0);
	msg_set_body(&m, &d, sizeof(d));
	msg_add_attr(&m, ATTR_PAYLOAD, pi->payload, len);
	p->stats.dns_copied++;
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		p->stats.dns_dropped++;
}

/* Give the verdict to the connection's first packet and all it joined. */
void
verdict_resolve(struct packetd *p, uint32_t id, uint32_t verdict)
{
	struct verdict_arg	 a = { p, verdict };

	if (pending_resolve(p->pending, id, verdict_pending_cb, &a) == -1)
		p->stats.late_verdicts++;
}

/*
 * Where a decided connection's time went: attributord, ruled, and the
 * rest (three channel hops, packetd's own work).  Sums, for means.
 */
static void
verdict_stage_times(struct packetd *p, const struct msg_verdict *v)
{
	uint64_t	 total, now = verdict_now_ns();

	if (v->conn_stamp_ns == 0 || v->conn_stamp_ns > now)
		return;
	total = now - v->conn_stamp_ns;
	if (v->attr_ns + v->rule_ns > total)
		return;
	p->stats.stage_count++;
	p->stats.stage_total_ns += total;
	p->stats.stage_attr_ns += v->attr_ns;
	p->stats.stage_rule_ns += v->rule_ns;
}

/* ruled's answer for connection id. */
void
verdict_from_ruled(struct packetd *p, const struct msg *m)
{
	struct msg_verdict	 v;

	msg_get_body(m, &v, sizeof(v));
	if (v.verdict == VERDICT_NONE || v.verdict >= VERDICT_MAX)
		fatalx("%s: verdict %u from ruled", __func__, v.verdict);
	verdict_resolve(p, msg_id(m), v.verdict);
	verdict_stage_times(p, &v);
}

/*
 * Held too long (ruled must answer within the prompt timeout): the
 * default action, as DESIGN.md says, counted and logged.
 */
void
verdict_expire(struct packetd *p)
{
	struct verdict_arg	 a = { p, p->default_verdict };
	int			 n;

	if ((n = pending_expire(p->pending, verdict_now_ns(),
	    verdict_pending_cb, &a)) > 0) {
		p->stats.expired += n;
		verdict_warn(p, &p->warned_expired, "no verdict in time",
		    "default action given");
	}
}

/* Milliseconds until the next deadline, -1 for none. */
int
verdict_timeout_ms(struct packetd *p)
{
	uint64_t	 when, now;

	if (p->pending == NULL || pending_next_deadline(p->pending, &when)
	    == -1)
		return -1;
	now = verdict_now_ns();
	if (when <= now)
		return 0;
	return (int)((when - now) / 1000000ull) + 1;
}

/* Stopping: every held packet gets the fail mode now. */
void
verdict_drain_failmode(struct packetd *p)
{
	struct verdict_arg	 a = { p, verdict_failmode(p) };
	int			 n;

	if (p->pending == NULL)
		return;
	if ((n = pending_drain(p->pending, verdict_pending_cb, &a)) > 0) {
		p->stats.failmode += n;
		log_warnx("%d held packets given the fail mode (%s)", n,
		    p->cfg.fail_open ? "accepted" : "dropped");
	}
	verdict_flush(p);
}
