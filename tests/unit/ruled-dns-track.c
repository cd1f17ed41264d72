/*
 * ruled-dns-track: which replies the tracker trusts.  Every refused reply
 * is checked for its reason and for leaving the real query pending (a
 * spoofed reply must not consume it), and the bounds are driven past.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "dnstrack.h"
#include "proto.h"
#include "t.h"
#include "dnsbuild.h"

#define UID	1000

static void	 t_match(void);
static void	 t_spoofs(void);
static void	 t_case(void);
static void	 t_not_a_reply(void);
static void	 t_expiry(void);
static void	 t_repeat(void);
static void	 t_same_port(void);
static void	 t_client_bound(void);
static void	 t_table_bound(void);
static void	 t_held(void);
static void	 mkmsg(struct dns_msg *, uint16_t, uint16_t, const char *,
		    uint16_t);
static const char *reply(struct dnstrack *, const struct conn_tuple *,
		    const struct dns_msg *, uint64_t);
static void	 query(struct dnstrack *, const struct conn_tuple *,
		    uint32_t, const struct dns_msg *, uint64_t);
static uint64_t	 pending(struct dnstrack *);

static const uint8_t	 key[HASH_KEY_LEN] = "tattle-dns-test";
static struct dns_msg	 qm, rm;
static uint32_t		 got_uid;

/* A query (flags 0x0100) or a reply with one A record (flags 0x8180). */
static void
mkmsg(struct dns_msg *m, uint16_t id, uint16_t flags, const char *name,
    uint16_t type)
{
	struct db	d;
	const char	*why;

	db_hdr(&d, id, flags, 1, flags & DNS_F_QR ? 1 : 0, 0, 0);
	db_question(&d, name, type);
	if (flags & DNS_F_QR)
		db_a(&d, name, 300, 192, 0, 2, 1);
	if (db_parse(d.b, d.n, 0, m, &why) != 0) {
		fprintf(stderr, "mkmsg: %s\n", why);
		exit(99);
	}
}

static void
query(struct dnstrack *t, const struct conn_tuple *tp, uint32_t uid,
    const struct dns_msg *m, uint64_t now)
{
	const char	*why = NULL;

	T_EQ_INT(dnstrack_query(t, tp, uid, m, now, &why), 0);
	T_CHECK(why == NULL);
}

/* "trusted" or the reason the reply was refused. */
static const char *
reply(struct dnstrack *t, const struct conn_tuple *tp,
    const struct dns_msg *m, uint64_t now)
{
	const char	*why = NULL;

	got_uid = 0;
	if (dnstrack_reply(t, tp, m, now, &got_uid, &why) == 0)
		return "trusted";
	T_CHECK(why != NULL);
	return why != NULL ? why : "(none)";
}

static uint64_t
pending(struct dnstrack *t)
{
	struct dnstrack_stats	st;

	dnstrack_stats(t, &st);
	return st.pending;
}

static void
t_match(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct dnstrack_stats	 st;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x1111, 0x0100, "a.test", 1);
	mkmsg(&rm, 0x1111, 0x8180, "a.test", 1);

	/* Nothing asked yet: unsolicited. */
	T_EQ_STR(reply(t, &r, &rm, 0), "no query pending from that client "
	    "port");
	query(t, &q, UID, &qm, 0);
	T_EQ_INT(pending(t), 1);
	T_EQ_STR(reply(t, &r, &rm, 5), "trusted");
	T_EQ_INT(got_uid, UID);
	T_EQ_INT(pending(t), 0);
	/* The query was consumed: a second reply to it is not trusted. */
	T_EQ_STR(reply(t, &r, &rm, 6), "no query pending from that client "
	    "port");
	dnstrack_stats(t, &st);
	T_EQ_INT(st.queries, 1);
	T_EQ_INT(st.trusted, 1);
	T_EQ_INT(st.untrusted, 2);

	/* IPv6 and TCP the same way. */
	db_tuple(&q, IPPROTO_TCP, "fd00::2", 40001, "fd00::1", 53);
	db_reverse(&r, &q);
	query(t, &q, 0, &qm, 10);
	T_EQ_STR(reply(t, &r, &rm, 11), "trusted");
	T_EQ_INT(got_uid, 0);
	dnstrack_free(t);
}

/*
 * A query held for its verdict (dnstrack_ask) answers no reply; once
 * its copy says it left, the reply is trusted, for the uid it had while
 * held even when the copy carries none (socket closed by then).
 */
static void
t_held(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	const char		*why = NULL;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40100, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x2222, 0x0100, "held.test", 1);
	mkmsg(&rm, 0x2222, 0x8180, "held.test", 1);
	T_EQ_INT(dnstrack_ask(t, &q, UID, &qm, 0, &why), 0);
	T_EQ_INT(pending(t), 1);
	T_EQ_STR(reply(t, &r, &rm, 1), "its query never left (dropped or "
	    "held)");
	/* Still there after the refusal: the verdict may let it out. */
	query(t, &q, CONN_UID_UNKNOWN, &qm, 2);
	T_EQ_INT(pending(t), 1);
	T_EQ_STR(reply(t, &r, &rm, 3), "trusted");
	T_EQ_INT(got_uid, UID);
	dnstrack_free(t);
}

/* Each way a reply can miss; the real query survives all of them. */
static void
t_spoofs(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r, bad;
	struct dns_msg		 other;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x2222, 0x0100, "a.test", 1);
	mkmsg(&rm, 0x2222, 0x8180, "a.test", 1);
	query(t, &q, UID, &qm, 0);

	mkmsg(&other, 0x2223, 0x8180, "a.test", 1);
	T_EQ_STR(reply(t, &r, &other, 1), "no query pending with that id");

	bad = r;
	bad.dport = 40002;
	T_EQ_STR(reply(t, &bad, &rm, 1), "no query pending from that client "
	    "port");
	db_tuple(&bad, IPPROTO_UDP, "10.0.0.1", 53, "10.0.0.3", 40000);
	T_EQ_STR(reply(t, &bad, &rm, 1), "no query pending from that client "
	    "port");
	bad = r;
	bad.proto = IPPROTO_TCP;
	T_EQ_STR(reply(t, &bad, &rm, 1), "no query pending from that client "
	    "port");

	db_tuple(&bad, IPPROTO_UDP, "10.0.0.9", 53, "10.0.0.2", 40000);
	T_EQ_STR(reply(t, &bad, &rm, 1), "not from the server the query "
	    "went to");
	bad = r;
	bad.sport = 5353;
	T_EQ_STR(reply(t, &bad, &rm, 1), "not from the server the query "
	    "went to");

	mkmsg(&other, 0x2222, 0x8180, "allowed.test", 1);
	T_EQ_STR(reply(t, &r, &other, 1), "question differs from the "
	    "query's");
	mkmsg(&other, 0x2222, 0x8180, "a.test", 28);
	T_EQ_STR(reply(t, &r, &other, 1), "question differs from the "
	    "query's");
	T_EQ_INT(pending(t), 1);
	T_EQ_STR(reply(t, &r, &rm, 2), "trusted");
	T_EQ_INT(got_uid, UID);
	dnstrack_free(t);
}

/* 0x20 randomisation: the echo's case differs from nothing but itself. */
static void
t_case(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x3333, 0x0100, "MiXeD.TeSt", 1);
	mkmsg(&rm, 0x3333, 0x8180, "mIxEd.tEsT", 1);
	query(t, &q, UID, &qm, 0);
	T_EQ_STR(reply(t, &r, &rm, 1), "trusted");
	dnstrack_free(t);
}

static void
t_not_a_reply(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r, bad;
	const char		*why = NULL;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x4444, 0x0100, "a.test", 1);
	query(t, &q, UID, &qm, 0);

	/* The query itself, looped back as if it were the answer. */
	T_EQ_STR(reply(t, &r, &qm, 1), "reply: QR bit clear, a query");
	mkmsg(&rm, 0x4444, 0x8180 | (4 << 11), "a.test", 1);	/* NOTIFY */
	T_EQ_STR(reply(t, &r, &rm, 1), "reply: opcode not QUERY");
	bad = r;
	bad.family = 0;
	mkmsg(&rm, 0x4444, 0x8180, "a.test", 1);
	T_EQ_STR(reply(t, &bad, &rm, 1), "tuple: family not AF_INET or "
	    "AF_INET6");
	bad = r;
	bad.proto = IPPROTO_ICMP;
	T_EQ_STR(reply(t, &bad, &rm, 1), "tuple: protocol not UDP or TCP");

	T_EQ_INT(dnstrack_query(t, &q, UID, &rm, 1, &why), -1);
	T_EQ_STR(why, "query: QR bit set, a reply");
	mkmsg(&qm, 0x4445, 0x0100 | (2 << 11), "a.test", 1);	/* STATUS */
	T_EQ_INT(dnstrack_query(t, &q, UID, &qm, 1, &why), -1);
	T_EQ_STR(why, "query: opcode not QUERY");
	T_EQ_INT(pending(t), 1);
	T_EQ_STR(reply(t, &r, &rm, 2), "trusted");
	dnstrack_free(t);
}

static void
t_expiry(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct dnstrack_stats	 st;
	uint64_t		 t0 = 1000000;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x5555, 0x0100, "a.test", 1);
	mkmsg(&rm, 0x5555, 0x8180, "a.test", 1);
	query(t, &q, UID, &qm, t0);
	T_EQ_STR(reply(t, &r, &rm, t0 + DNSTRACK_TIMEOUT_MS), "no query "
	    "pending from that client port");
	dnstrack_stats(t, &st);
	T_EQ_INT(st.expired, 1);
	T_EQ_INT(st.pending, 0);

	query(t, &q, UID, &qm, t0);
	T_EQ_STR(reply(t, &r, &rm, t0 + DNSTRACK_TIMEOUT_MS - 1), "trusted");

	/* dnstrack_expire() alone empties the table as time passes. */
	query(t, &q, UID, &qm, t0);
	dnstrack_expire(t, t0 + DNSTRACK_TIMEOUT_MS - 1);
	T_EQ_INT(pending(t), 1);
	dnstrack_expire(t, t0 + DNSTRACK_TIMEOUT_MS);
	T_EQ_INT(pending(t), 0);
	dnstrack_free(t);
}

/* A retransmission renews the deadline instead of adding an entry. */
static void
t_repeat(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct dnstrack_stats	 st;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x6666, 0x0100, "a.test", 1);
	mkmsg(&rm, 0x6666, 0x8180, "a.test", 1);
	query(t, &q, UID, &qm, 0);
	query(t, &q, UID, &qm, 8000);
	dnstrack_stats(t, &st);
	T_EQ_INT(st.queries, 1);
	T_EQ_INT(st.repeats, 1);
	T_EQ_INT(st.pending, 1);
	T_EQ_STR(reply(t, &r, &rm, 15000), "trusted");
	dnstrack_free(t);
}

/* glibc asks A and AAAA from one socket with two ids. */
static void
t_same_port(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct dns_msg		 q6, r6;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	mkmsg(&qm, 0x7000, 0x0100, "a.test", 1);
	mkmsg(&q6, 0x7001, 0x0100, "a.test", 28);
	mkmsg(&rm, 0x7000, 0x8180, "a.test", 1);
	mkmsg(&r6, 0x7001, 0x8180, "a.test", 28);
	query(t, &q, UID, &qm, 0);
	query(t, &q, UID, &q6, 0);
	T_EQ_INT(pending(t), 2);
	T_EQ_STR(reply(t, &r, &r6, 1), "trusted");
	T_EQ_STR(reply(t, &r, &rm, 1), "trusted");
	T_EQ_INT(pending(t), 0);
	dnstrack_free(t);
}

/* One client port holds at most MAX_DNSTRACK_PER_CLIENT queries. */
static void
t_client_bound(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct dnstrack_stats	 st;
	uint16_t		 id;

	db_tuple(&q, IPPROTO_UDP, "10.0.0.2", 40000, "10.0.0.1", 53);
	db_reverse(&r, &q);
	for (id = 0; id <= MAX_DNSTRACK_PER_CLIENT; id++) {
		mkmsg(&qm, id, 0x0100, "a.test", 1);
		query(t, &q, UID, &qm, id);
	}
	dnstrack_stats(t, &st);
	T_EQ_INT(st.pending, MAX_DNSTRACK_PER_CLIENT);
	T_EQ_INT(st.evicted, 1);
	mkmsg(&rm, 0, 0x8180, "a.test", 1);
	T_EQ_STR(reply(t, &r, &rm, 100), "no query pending with that id");
	mkmsg(&rm, 1, 0x8180, "a.test", 1);
	T_EQ_STR(reply(t, &r, &rm, 100), "trusted");
	mkmsg(&rm, MAX_DNSTRACK_PER_CLIENT, 0x8180, "a.test", 1);
	T_EQ_STR(reply(t, &r, &rm, 100), "trusted");
	dnstrack_free(t);
}

/* The whole table: a flood of queries pushes the oldest out. */
static void
t_table_bound(void)
{
	struct dnstrack		*t = dnstrack_new(key);
	struct conn_tuple	 q, r;
	struct dnstrack_stats	 st;
	char			 src[32];
	uint32_t		 i, n = MAX_DNSTRACK_QUERIES + 10;

	mkmsg(&qm, 0x8888, 0x0100, "a.test", 1);
	mkmsg(&rm, 0x8888, 0x8180, "a.test", 1);
	for (i = 0; i < n; i++) {
		snprintf(src, sizeof(src), "10.1.%u.%u", i >> 8, i & 0xff);
		db_tuple(&q, IPPROTO_UDP, src, (uint16_t)(1024 + i % 50000),
		    "10.0.0.1", 53);
		query(t, &q, i, &qm, i);
	}
	dnstrack_stats(t, &st);
	T_EQ_INT(st.pending, MAX_DNSTRACK_QUERIES);
	T_EQ_INT(st.evicted, 10);
	db_tuple(&q, IPPROTO_UDP, "10.1.0.9", 1024 + 9, "10.0.0.1", 53);
	db_reverse(&r, &q);
	T_EQ_STR(reply(t, &r, &rm, n), "no query pending from that client "
	    "port");
	db_tuple(&q, IPPROTO_UDP, "10.1.0.10", 1024 + 10, "10.0.0.1", 53);
	db_reverse(&r, &q);
	T_EQ_STR(reply(t, &r, &rm, n), "trusted");
	T_EQ_INT(got_uid, 10);
	i = n - 1;
	snprintf(src, sizeof(src), "10.1.%u.%u", i >> 8, i & 0xff);
	db_tuple(&q, IPPROTO_UDP, src, (uint16_t)(1024 + i), "10.0.0.1", 53);
	db_reverse(&r, &q);
	T_EQ_STR(reply(t, &r, &rm, n), "trusted");
	T_EQ_INT(got_uid, n - 1);
	dnstrack_free(t);
}

int
main(void)
{
	t_match();
	t_spoofs();
	t_case();
	t_not_a_reply();
	t_expiry();
	t_repeat();
	t_same_port();
	t_client_bound();
	t_table_bound();
	t_held();
	return t_done("ruled-dns-track");
}
