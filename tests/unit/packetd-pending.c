/*
 * packetd-pending.c: the held-packet table: joining, resolving, refusing,
 * overflow, expiry in deadline order, draining, and a long random run
 * checked against a plain model.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "pending.h"

#define MODEL_ROUNDS	200000
#define MODEL_FLOWS	64

struct seen {
	uint32_t	ids[MAX_PENDING];
	uint32_t	leaders[MAX_PENDING];
	uint32_t	marks[MAX_PENDING];
	int		n;
};

/* The table's hash key: any fixed one will do here. */
static const uint8_t	 tkey[HASH_KEY_LEN] = "pending testkey";

static void	 tuple(struct conn_tuple *, uint16_t, uint8_t);
static void	 record(const struct pending_pkt *, void *);
static void	 test_join(void);
static void	 test_refuse(void);
static void	 test_overflow(void);
static void	 test_expire(void);
static void	 test_model(void);

static void
tuple(struct conn_tuple *t, uint16_t sport, uint8_t proto)
{
	memset(t, 0, sizeof(*t));
	t->family = AF_INET;
	t->proto = proto;
	t->sport = sport;
	t->dport = 443;
	t->saddr[0] = 127;
	t->saddr[3] = 1;
	t->daddr[0] = 127;
	t->daddr[3] = 1;
}

static void
record(const struct pending_pkt *pp, void *arg)
{
	struct seen	*s = arg;

	if (s->n == MAX_PENDING)
		return;
	s->ids[s->n] = pp->id;
	s->leaders[s->n] = pp->leader;
	s->marks[s->n] = pp->mark;
	s->n++;
}

static void
test_join(void)
{
	struct pending		*pt;
	struct conn_tuple	 a, b;
	struct seen		 s;
	uint32_t		 l;

	T_CHECK((pt = pending_new(tkey)) != NULL);
	tuple(&a, 40000, IPPROTO_TCP);
	tuple(&b, 40001, IPPROTO_TCP);
	T_EQ_INT(pending_add(pt, 10, 0, 0x1, &a, 0, 1000, &l), PENDING_NEW);
	T_EQ_INT(l, 10);
	/* a SYN retransmission: same tuple */
	T_EQ_INT(pending_add(pt, 11, 0, 0x2, &a, 0, 2000, &l), PENDING_JOINED);
	T_EQ_INT(l, 10);
	T_EQ_INT(pending_add(pt, 12, 0, 0x3, &b, 0, 1000, &l), PENDING_NEW);
	T_EQ_INT(l, 12);
	T_EQ_INT(pending_add(pt, 13, 0, 0x4, &a, 0, 3000, &l), PENDING_JOINED);
	T_EQ_INT(l, 10);
	/* the flow word separates what the tuple does not (ICMP ids) */
	T_EQ_INT(pending_add(pt, 14, 0, 0, &a, 7, 1000, &l), PENDING_NEW);
	T_EQ_INT(pending_count(pt), 5);

	memset(&s, 0, sizeof(s));
	T_EQ_INT(pending_resolve(pt, 10, record, &s), 3);
	T_EQ_INT(s.n, 3);
	T_EQ_INT(s.ids[0], 10);
	T_EQ_INT(s.ids[1], 11);
	T_EQ_INT(s.ids[2], 13);
	T_EQ_INT(s.leaders[2], 10);
	T_EQ_INT(s.marks[1], 0x2);
	T_EQ_INT(pending_count(pt), 2);
	/* once decided, the flow starts afresh */
	T_EQ_INT(pending_add(pt, 15, 0, 0, &a, 0, 1000, &l), PENDING_NEW);
	T_EQ_INT(pending_resolve(pt, 10, record, &s), -1);
	T_EQ_INT(errno, ENOENT);
	pending_free(pt);
}

static void
test_refuse(void)
{
	struct pending		*pt;
	struct conn_tuple	 a;
	uint32_t		 l;

	T_CHECK((pt = pending_new(tkey)) != NULL);
	tuple(&a, 1, IPPROTO_UDP);
	T_EQ_INT(pending_add(pt, 1, 0, 0, &a, 0, 10, &l), PENDING_NEW);
	T_EQ_INT(pending_add(pt, 2, 0, 0, &a, 0, 10, &l), PENDING_JOINED);
	/* the same id twice */
	T_EQ_INT(pending_add(pt, 2, 0, 0, &a, 0, 10, &l), -1);
	T_EQ_INT(errno, EEXIST);
	/* a joined packet is not a group: ruled never saw its id */
	T_EQ_INT(pending_resolve(pt, 2, NULL, NULL), -1);
	T_EQ_INT(errno, EINVAL);
	T_EQ_INT(pending_resolve(pt, 99, NULL, NULL), -1);
	T_EQ_INT(errno, ENOENT);
	T_EQ_INT(pending_resolve(pt, 1, NULL, NULL), 2);
	T_EQ_INT(pending_resolve(pt, 1, NULL, NULL), -1);
	T_EQ_INT(pending_count(pt), 0);
	/* ids at the top of the range hash like any other */
	T_EQ_INT(pending_add(pt, UINT32_MAX, 0, 0, &a, 0, 10, &l),
	    PENDING_NEW);
	T_EQ_INT(pending_resolve(pt, UINT32_MAX, NULL, NULL), 1);
	pending_free(pt);
}

static void
test_overflow(void)
{
	struct pending		*pt;
	struct pending_stats	 st;
	struct conn_tuple	 a;
	struct seen		*s;
	uint32_t		 i, l;
	int			 ok = 1;

	T_CHECK((pt = pending_new(tkey)) != NULL);
	T_CHECK((s = calloc(1, sizeof(*s))) != NULL);
	for (i = 0; i < MAX_PENDING; i++) {
		tuple(&a, (uint16_t)i, IPPROTO_TCP);
		a.daddr[2] = (uint8_t)(i >> 8);
		if (pending_add(pt, 1000 + i, 0, 0, &a, 0, i, &l) !=
		    PENDING_NEW)
			ok = 0;
	}
	T_CHECK(ok);
	T_EQ_INT(pending_count(pt), MAX_PENDING);
	tuple(&a, 60000, IPPROTO_UDP);
	T_EQ_INT(pending_add(pt, 9, 0, 0, &a, 0, 0, &l), -1);
	T_EQ_INT(errno, ENOSPC);
	/* a join needs a slot too */
	tuple(&a, 0, IPPROTO_TCP);
	T_EQ_INT(pending_add(pt, 8, 0, 0, &a, 0, 0, &l), -1);
	T_EQ_INT(errno, ENOSPC);
	pending_stats(pt, &st);
	T_EQ_INT(st.full, 2);
	/* one decision frees one slot */
	T_EQ_INT(pending_resolve(pt, 1000 + 17, NULL, NULL), 1);
	T_EQ_INT(pending_add(pt, 9, 0, 0, &a, 0, 0, &l), PENDING_JOINED);
	T_EQ_INT(l, 1000);
	T_EQ_INT(pending_drain(pt, record, s), MAX_PENDING);
	T_EQ_INT(pending_count(pt), 0);
	/* drained by deadline order: ids 1000 and 9 (deadline 0) first */
	T_EQ_INT(s->ids[0], 1000);
	T_EQ_INT(s->ids[1], 9);
	T_EQ_INT(s->leaders[1], 1000);
	T_EQ_INT(s->ids[2], 1001);
	free(s);
	pending_free(pt);
}

static void
test_expire(void)
{
	struct pending		*pt;
	struct pending_stats	 st;
	struct conn_tuple	 a;
	struct seen		 s;
	uint64_t		 when;
	uint32_t		 l;
	static const uint64_t	 dl[] = { 500, 100, 900, 300, 700, 100 };
	size_t			 i;

	T_CHECK((pt = pending_new(tkey)) != NULL);
	T_EQ_INT(pending_next_deadline(pt, &when), -1);
	for (i = 0; i < sizeof(dl) / sizeof(dl[0]); i++) {
		tuple(&a, (uint16_t)(i + 1), IPPROTO_UDP);
		T_EQ_INT(pending_add(pt, (uint32_t)i, 0, 0, &a, 0, dl[i], &l),
		    PENDING_NEW);
	}
	/* joined to the group with deadline 300; keeps that deadline */
	tuple(&a, 4, IPPROTO_UDP);
	T_EQ_INT(pending_add(pt, 50, 0, 0, &a, 0, 5000, &l), PENDING_JOINED);
	T_EQ_INT(pending_next_deadline(pt, &when), 0);
	T_EQ_INT(when, 100);
	memset(&s, 0, sizeof(s));
	T_EQ_INT(pending_expire(pt, 99, record, &s), 0);
	T_EQ_INT(pending_expire(pt, 300, record, &s), 4);
	T_EQ_INT(s.n, 4);
	T_CHECK((s.ids[0] == 1 && s.ids[1] == 5) ||
	    (s.ids[0] == 5 && s.ids[1] == 1));
	T_EQ_INT(s.ids[2], 3);
	T_EQ_INT(s.ids[3], 50);
	T_EQ_INT(s.leaders[3], 3);
	T_EQ_INT(pending_next_deadline(pt, &when), 0);
	T_EQ_INT(when, 500);
	/* resolving from the middle of the heap keeps the order */
	T_EQ_INT(pending_resolve(pt, 4, NULL, NULL), 1);
	s.n = 0;
	T_EQ_INT(pending_expire(pt, 10000, record, &s), 2);
	T_EQ_INT(s.ids[0], 0);
	T_EQ_INT(s.ids[1], 2);
	pending_stats(pt, &st);
	T_EQ_INT(st.expired, 6);
	T_EQ_INT(st.resolved, 1);
	T_EQ_INT(st.groups, 6);
	T_EQ_INT(st.joined, 1);
	T_EQ_INT(pending_count(pt), 0);
	pending_free(pt);
}

/*
 * A random run against a model: per flow, the list of held ids and the
 * group deadline.  Checks counts, membership and deadline order.
 */
struct mflow {
	uint32_t	ids[MAX_PENDING];
	int		n;
	uint32_t	leader;
	uint64_t	deadline;
};

struct mcheck {
	struct mflow	*flows;
	int		 flow;		/* the flow being released, -1: any */
	int		 bad;
	uint64_t	 now;
	uint64_t	 last_deadline;
	int		 expiring;
};

static struct mflow	*model;
static int		 model_total;

static int
model_flow_of(uint32_t id, int *pos)
{
	int	 f, i;

	for (f = 0; f < MODEL_FLOWS; f++)
		for (i = 0; i < model[f].n; i++)
			if (model[f].ids[i] == id) {
				*pos = i;
				return f;
			}
	return -1;
}

static void
model_release(const struct pending_pkt *pp, void *arg)
{
	struct mcheck	*mc = arg;
	int		 f, pos;

	if ((f = model_flow_of(pp->id, &pos)) == -1 ||
	    (mc->flow != -1 && f != mc->flow) ||
	    model[f].leader != pp->leader) {
		mc->bad++;
		return;
	}
	if (mc->expiring && (model[f].deadline > mc->now ||
	    model[f].deadline < mc->last_deadline))
		mc->bad++;
	if (mc->expiring)
		mc->last_deadline = model[f].deadline;
	model[f].ids[pos] = UINT32_MAX;		/* counted below */
}

static void
model_compact(void)
{
	int	 f, i, j;

	model_total = 0;
	for (f = 0; f < MODEL_FLOWS; f++) {
		for (i = j = 0; i < model[f].n; i++)
			if (model[f].ids[i] != UINT32_MAX)
				model[f].ids[j++] = model[f].ids[i];
		if (j != model[f].n && j != 0)
			j = -1;			/* partial release: wrong */
		model[f].n = j < 0 ? 0 : j;
		model_total += model[f].n;
	}
}

static void
test_model(void)
{
	struct pending		*pt;
	struct conn_tuple	 t;
	struct mcheck		 mc;
	uint64_t		 now = 0;
	uint32_t		 x = 88172645u, id = 1, l;
	int			 r, f, op, rv, bad = 0;

	T_CHECK((pt = pending_new(tkey)) != NULL);
	T_CHECK((model = calloc(MODEL_FLOWS, sizeof(*model))) != NULL);
	for (r = 0; r < MODEL_ROUNDS; r++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		op = (int)(x % 16);
		f = (int)((x >> 8) % MODEL_FLOWS);
		memset(&mc, 0, sizeof(mc));
		mc.flow = -1;
		if (op < 9) {			/* a packet arrives */
			tuple(&t, (uint16_t)f, IPPROTO_UDP);
			rv = pending_add(pt, id, 0, 0, &t, 0,
			    now + (x >> 20) % 500, &l);
			if (model_total == MAX_PENDING) {
				if (rv != -1 || errno != ENOSPC)
					bad++;
			} else if (model[f].n == 0) {
				if (rv != PENDING_NEW || l != id)
					bad++;
				model[f].deadline = now + (x >> 20) % 500;
				model[f].leader = id;
				model[f].ids[model[f].n++] = id;
				model_total++;
			} else {
				if (rv != PENDING_JOINED ||
				    l != model[f].ids[0])
					bad++;
				model[f].ids[model[f].n++] = id;
				model_total++;
			}
			id++;
		} else if (op < 14) {		/* ruled decides flow f */
			mc.flow = f;
			rv = pending_resolve(pt, model[f].n ?
			    model[f].ids[0] : 0, model_release, &mc);
			if (model[f].n == 0 ? rv != -1 : rv != model[f].n)
				bad++;
			model_compact();
		} else {			/* time passes */
			now += x % 50;
			mc.expiring = 1;
			mc.now = now;
			pending_expire(pt, now, model_release, &mc);
			model_compact();
		}
		bad += mc.bad;
		if (pending_count(pt) != (size_t)model_total)
			bad++;
	}
	T_EQ_INT(bad, 0);
	T_EQ_INT(pending_drain(pt, NULL, NULL), model_total);
	free(model);
	pending_free(pt);
}

int
main(void)
{
	test_join();
	test_refuse();
	test_overflow();
	test_expire();
	test_model();
	return t_done("packetd-pending");
}
