/*
 * ftrace.c: the ring buffer's binary page format, as the kernel's
 * events/header_page and events/header_event describe it:
 *
 *	page:	u64 timestamp, commit word (bytes used + "lost" flags), data
 *	record:	u32 header = type_len:5 | time_delta:27 (little end first)
 *		type_len 1..28	data of type_len * 4 bytes follows
 *		type_len 0	u32 length (its own 4 bytes included), data
 *		29 padding	time_delta 0: the rest of the page; else a
 *				discarded record of u32 length + 4 bytes
 *		30 time extend	u32: delta bits above the 27 in the header
 *		31 time stamp	u32: absolute time bits above the 27
 *
 * Every offset is checked against the page before it is read; a page
 * that does not parse is counted and dropped whole.
 */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftrace.h"

#define RB_TYPE_PADDING		29
#define RB_TYPE_TIME_EXTEND	30
#define RB_TYPE_TIME_STAMP	31
#define RB_MAX_SMALL		28
#define RB_MISSED_EVENTS	(1ULL << 31)
#define RB_MISSED_STORED	(1ULL << 30)
#define RB_COMMIT_MASK		((1ULL << 30) - 1)
#define RB_TS_MSB		(~((1ULL << 59) - 1))

_Static_assert(MAX_DRAIN_PAGES * 4096ULL >= TRACEFS_BUFFER_KB * 1024ULL,
    "a drain covers the whole ring");

#define TCP_SYN_SENT		2
#define LOOPBACK_IFINDEX	1
#define CLONE_THREAD_FLAG	0x00010000ULL
/* common_flags bits: hard irq, soft irq, NMI (kernel trace.h). */
#define TRACE_FLAGS_IRQ		(0x08 | 0x10 | 0x40)

static int	ft_field(const struct trace_layout *, enum trace_fld,
		    const uint8_t *, size_t, uint64_t *);
static int	ft_bytes(const struct trace_layout *, enum trace_fld,
		    const uint8_t *, size_t, uint8_t *, size_t);
static int	ft_record(const struct trace_layout *, const uint8_t *,
		    size_t, struct ftrace_event *);
static int	ft_connect(const struct trace_layout *, const uint8_t *,
		    size_t, struct ftrace_event *);
static int	ft_route(const struct trace_layout *, const uint8_t *, size_t,
		    int, struct ftrace_event *);
static int	ft_exec(const struct trace_layout *, const uint8_t *, size_t,
		    struct ftrace_event *);
static uint32_t	ft_le32(const uint8_t *);
static int	ft_read_page(struct ftrace *, unsigned int, uint64_t);
static int	ft_flow_match(const struct ftrace_flow *,
		    const struct conn_tuple *);
static uint32_t	ft_flow_hash(const struct ftrace *, const struct conn_tuple *,
	    uint16_t);
static void	ft_flow_link(struct ftrace *, int32_t, uint16_t);
static void	ft_flow_unlink(struct ftrace *, int32_t);
static size_t	ft_flow_chain(struct ftrace *, uint32_t,
		    const struct conn_tuple *, uint64_t, struct ftrace_flow **,
		    size_t, size_t);

static uint32_t
ft_le32(const uint8_t *p)
{
	uint32_t	 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* An unsigned field of 1, 2, 4 or 8 bytes; -1 if absent or outside. */
static int
ft_field(const struct trace_layout *lay, enum trace_fld f,
    const uint8_t *d, size_t len, uint64_t *v)
{
	const struct trace_field *tf = &lay->f[f];
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;

	if (tf->size == 0 || (size_t)tf->off + tf->size > len)
		return -1;
	switch (tf->size) {
	case 1:
		memcpy(&u8, d + tf->off, 1);
		*v = u8;
		break;
	case 2:
		memcpy(&u16, d + tf->off, 2);
		*v = u16;
		break;
	case 4:
		memcpy(&u32, d + tf->off, 4);
		*v = u32;
		break;
	case 8:
		memcpy(v, d + tf->off, 8);
		break;
	default:
		return -1;
	}
	return 0;
}

/* A byte-array field of exactly n bytes. */
static int
ft_bytes(const struct trace_layout *lay, enum trace_fld f,
    const uint8_t *d, size_t len, uint8_t *out, size_t n)
{
	const struct trace_field *tf = &lay->f[f];

	if (tf->size != n || (size_t)tf->off + tf->size > len)
		return -1;
	memcpy(out, d + tf->off, n);
	return 0;
}

static int
ft_connect(const struct trace_layout *lay, const uint8_t *d, size_t len,
    struct ftrace_event *ev)
{
	static const uint8_t	 v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0xff, 0xff };
	struct conn_tuple	*t = &ev->tuple;
	uint64_t		 state, proto, family, sport, dport;
	uint8_t			 s6[16], d6[16];

	if (ft_field(lay, TF_CONN_NEWSTATE, d, len, &state) == -1 ||
	    ft_field(lay, TF_CONN_PROTO, d, len, &proto) == -1 ||
	    ft_field(lay, TF_CONN_FAMILY, d, len, &family) == -1 ||
	    ft_field(lay, TF_CONN_SPORT, d, len, &sport) == -1 ||
	    ft_field(lay, TF_CONN_DPORT, d, len, &dport) == -1 ||
	    ft_bytes(lay, TF_CONN_SADDR6, d, len, s6, 16) == -1 ||
	    ft_bytes(lay, TF_CONN_DADDR6, d, len, d6, 16) == -1)
		return -1;
	if (state != TCP_SYN_SENT || proto != 6)
		return 0;		/* the kernel filter's job, redone */
	t->proto = 6;
	t->sport = (uint16_t)sport;
	t->dport = (uint16_t)dport;
	/* An AF_INET6 socket talking to ::ffff:a.b.c.d sends IPv4. */
	if (family == 2 || (family == 10 && memcmp(d6, v4mapped, 12) == 0)) {
		t->family = 2;
		if (ft_bytes(lay, TF_CONN_SADDR, d, len, t->saddr, 4) == -1 ||
		    ft_bytes(lay, TF_CONN_DADDR, d, len, t->daddr, 4) == -1)
			return -1;
	} else if (family == 10) {
		t->family = 10;
		memcpy(t->saddr, s6, 16);
		memcpy(t->daddr, d6, 16);
	} else
		return 0;
	ev->type = FT_CONNECT;
	return 1;
}

static int
ft_route(const struct trace_layout *lay, const uint8_t *d, size_t len,
    int v6, struct ftrace_event *ev)
{
	struct conn_tuple	*t = &ev->tuple;
	uint64_t		 iif, proto, sport, dport;
	size_t			 alen = v6 ? 16 : 4;

	if (ft_field(lay, v6 ? TF_R6_IIF : TF_R4_IIF, d, len, &iif) == -1 ||
	    ft_field(lay, v6 ? TF_R6_PROTO : TF_R4_PROTO, d, len, &proto)
	    == -1 ||
	    ft_field(lay, v6 ? TF_R6_SPORT : TF_R4_SPORT, d, len, &sport)
	    == -1 ||
	    ft_field(lay, v6 ? TF_R6_DPORT : TF_R4_DPORT, d, len, &dport)
	    == -1 ||
	    ft_bytes(lay, v6 ? TF_R6_SRC : TF_R4_SRC, d, len, t->saddr, alen)
	    == -1 ||
	    ft_bytes(lay, v6 ? TF_R6_DST : TF_R4_DST, d, len, t->daddr, alen)
	    == -1)
		return -1;
	/* Output lookups only, and only those made by the sending task. */
	if ((uint32_t)iif != LOOPBACK_IFINDEX || proto != 17 || sport == 0)
		return 0;
	t->family = v6 ? 10 : 2;
	t->proto = (uint8_t)proto;
	t->sport = (uint16_t)sport;
	t->dport = (uint16_t)dport;
	ev->type = FT_ROUTE;
	return 1;
}

static int
ft_exec(const struct trace_layout *lay, const uint8_t *d, size_t len,
    struct ftrace_event *ev)
{
	uint64_t	 loc, pid, old;
	size_t		 off, n;

	if (ft_field(lay, TF_EXEC_FILENAME, d, len, &loc) == -1 ||
	    lay->f[TF_EXEC_FILENAME].size != 4 ||
	    ft_field(lay, TF_EXEC_PID, d, len, &pid) == -1 ||
	    ft_field(lay, TF_EXEC_OLDPID, d, len, &old) == -1)
		return -1;
	/* __data_loc: offset in the low 16 bits, length (NUL too) above. */
	off = loc & 0xffff;
	n = (loc >> 16) & 0xffff;
	if (n == 0 || off > len || n > len - off)
		return -1;
	ev->path = (const char *)d + off;
	ev->pathlen = strnlen(ev->path, n);
	if (ev->pathlen == n || ev->pathlen == 0)
		return -1;		/* unterminated or empty */
	ev->pid = (int32_t)pid;
	ev->old_pid = (int32_t)old;
	ev->type = FT_EXEC;
	return 1;
}

/* Decode one data record; 1 = an event, 0 = not one we use, -1 = bad. */
static int
ft_record(const struct trace_layout *lay, const uint8_t *d, size_t len,
    struct ftrace_event *ev)
{
	uint64_t	 type, flags, tid, v;

	if (ft_field(lay, TF_TYPE, d, len, &type) == -1 ||
	    ft_field(lay, TF_FLAGS, d, len, &flags) == -1 ||
	    ft_field(lay, TF_PID, d, len, &tid) == -1)
		return -1;
	ev->tid = (int32_t)tid;
	if (type == 0)
		return 0;
	if (type == lay->id[TE_CONNECT])
		return (flags & TRACE_FLAGS_IRQ) ? 0 : ft_connect(lay, d, len,
		    ev);
	if (type == lay->id[TE_ROUTE4] || type == lay->id[TE_ROUTE6])
		return (flags & TRACE_FLAGS_IRQ) ? 0 : ft_route(lay, d, len,
		    type == lay->id[TE_ROUTE6], ev);
	if (type == lay->id[TE_EXEC])
		return ft_exec(lay, d, len, ev);
	if (type == lay->id[TE_NEWTASK]) {
		if (ft_field(lay, TF_NT_PID, d, len, &v) == -1)
			return -1;
		ev->pid = (int32_t)v;
		if (ft_field(lay, TF_NT_FLAGS, d, len, &v) == -1)
			return -1;
		ev->thread = (v & CLONE_THREAD_FLAG) != 0;
		ev->type = FT_NEWTASK;
		return 1;
	}
	if (type == lay->id[TE_EXIT]) {
		if (ft_field(lay, TF_EXIT_PID, d, len, &v) == -1)
			return -1;
		ev->pid = (int32_t)v;
		/* Without group_dead, every exit is taken as a process's. */
		if (ft_field(lay, TF_EXIT_GROUPDEAD, d, len, &v) == 0 &&
		    v == 0)
			return 0;
		ev->type = FT_EXIT;
		return 1;
	}
	return 0;
}

/* The layout came from another process: check it before using it. */
int
ftrace_check_layout(const struct trace_layout *lay)
{
	unsigned int	 i;

	if (lay->version != TRACE_LAYOUT_VERSION ||
	    lay->clock != TRACE_CLOCK_MONO ||
	    lay->ncpu == 0 || lay->ncpu > MAX_TRACE_CPUS ||
	    lay->page_size < 64 || lay->page_size > 1024 * 1024 ||
	    (lay->commit_size != 4 && lay->commit_size != 8) ||
	    lay->commit_off + lay->commit_size > lay->data_off ||
	    lay->data_off >= lay->page_size || lay->pad != 0)
		return -1;
	for (i = 0; i < TF_MAX; i++)
		if ((uint32_t)lay->f[i].off + lay->f[i].size > 65535)
			return -1;
	if (lay->f[TF_TYPE].size != 2 || lay->f[TF_PID].size != 4 ||
	    lay->id[TE_CONNECT] == 0 || lay->id[TE_EXEC] == 0 ||
	    lay->id[TE_NEWTASK] == 0 || lay->id[TE_EXIT] == 0)
		return -1;
	return 0;
}

/*
 * Decode one raw page read from CPU cpu's pipe into at most max events.
 * *missed is set when the kernel flagged events lost before this page.
 * Returns 0, or -1 with errno EINVAL for a page that does not parse.
 */
int
ftrace_decode_page(const struct trace_layout *lay, const uint8_t *page,
    size_t len, unsigned int cpu, struct ftrace_event *ev, size_t max,
    size_t *nev, int *missed)
{
	uint64_t	 ts, commit, delta;
	uint32_t	 hdr, type_len, tdelta, arg;
	size_t		 off, end, rlen, n = 0;
	int		 r;

	*nev = 0;
	*missed = 0;
	if (len < lay->data_off || len > lay->page_size)
		goto bad;
	memcpy(&ts, page, sizeof(ts));
	if (lay->commit_size == 8)
		memcpy(&commit, page + lay->commit_off, 8);
	else
		commit = ft_le32(page + lay->commit_off);
	/*
	 * The kernel adds its flags to a signed long as ints: bit 31
	 * (events lost) arrives sign-extended through the high word.
	 */
	if ((commit & RB_MISSED_EVENTS) && (commit >> 32) == 0xffffffffULL)
		commit &= 0xffffffffULL;
	*missed = (commit & (RB_MISSED_EVENTS | RB_MISSED_STORED)) != 0;
	if ((commit & ~(RB_COMMIT_MASK | RB_MISSED_EVENTS |
	    RB_MISSED_STORED)) != 0)
		goto bad;
	commit &= RB_COMMIT_MASK;
	if (commit > len - lay->data_off)
		goto bad;
	end = lay->data_off + (size_t)commit;
	for (off = lay->data_off; off < end; ) {
		if (end - off < 4)
			goto bad;
		hdr = ft_le32(page + off);
		type_len = hdr & 0x1f;
		tdelta = hdr >> 5;
		off += 4;
		switch (type_len) {
		case RB_TYPE_PADDING:
			if (tdelta == 0)
				goto done;	/* the rest is padding */
			if (end - off < 4)
				goto bad;
			arg = ft_le32(page + off);
			if (arg > end - off)
				goto bad;
			off += arg;
			continue;
		case RB_TYPE_TIME_EXTEND:
			if (end - off < 4)
				goto bad;
			delta = (uint64_t)ft_le32(page + off) << 27 | tdelta;
			ts += delta;
			off += 4;
			continue;
		case RB_TYPE_TIME_STAMP:
			if (end - off < 4)
				goto bad;
			delta = (uint64_t)ft_le32(page + off) << 27 | tdelta;
			/* Newer kernels store only the low 59 bits. */
			if ((delta & RB_TS_MSB) == 0) {
				delta |= ts & RB_TS_MSB;
				if (delta < ts)
					delta += 1ULL << 59;
			}
			ts = delta;
			off += 4;
			continue;
		case 0:
			if (end - off < 4)
				goto bad;
			arg = ft_le32(page + off);
			if (arg < 4 || arg > end - off)
				goto bad;
			rlen = arg - 4;
			off += 4;
			break;
		default:
			rlen = (size_t)type_len * 4;
			if (rlen > end - off)
				goto bad;
			break;
		}
		ts += tdelta;
		if (n < max) {
			memset(&ev[n], 0, sizeof(ev[n]));
			ev[n].ts = ts;
			ev[n].cpu = (uint16_t)cpu;
			r = ft_record(lay, page + off, rlen, &ev[n]);
			if (r == -1)
				goto bad;
			if (r == 1)
				n++;
		}
		off += rlen;
	}
 done:
	*nev = n;
	return 0;
 bad:
	*nev = 0;
	errno = EINVAL;
	return -1;
}

int
ftrace_init(struct ftrace *f, const struct trace_layout *lay,
    const int *fds, unsigned int ncpu)
{
	unsigned int	 i;

	memset(f, 0, sizeof(*f));
	if (ftrace_check_layout(lay) == -1 || ncpu != lay->ncpu) {
		errno = EINVAL;
		return -1;
	}
	if (getrandom(f->key, sizeof(f->key), 0) != sizeof(f->key))
		return -1;
	f->lay = *lay;
	f->ncpu = ncpu;
	for (i = 0; i < ncpu; i++)
		f->fd[i] = fds[i];
	/* Zeroed, not cleared: the ring's pages cost RSS as it fills. */
	f->flows = calloc(MAX_FTRACE_FLOWS, sizeof(*f->flows));
	for (i = 0; i < MAX_FTRACE_FLOWS; i++)
		f->fbucket[i] = -1;
	f->page = calloc(ncpu, lay->page_size);
	f->ev = calloc((size_t)ncpu * MAX_PAGE_EVENTS, sizeof(*f->ev));
	f->nev = calloc(ncpu, sizeof(*f->nev));
	f->iev = calloc(ncpu, sizeof(*f->iev));
	f->npages = calloc(ncpu, sizeof(*f->npages));
	if (f->flows == NULL || f->page == NULL || f->ev == NULL ||
	    f->nev == NULL || f->iev == NULL || f->npages == NULL) {
		ftrace_free(f);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
ftrace_free(struct ftrace *f)
{
	free(f->page);
	free(f->ev);
	free(f->nev);
	free(f->iev);
	free(f->npages);
	free(f->flows);
	f->flows = NULL;
	f->page = NULL;
	f->ev = NULL;
	f->nev = f->iev = NULL;
	f->npages = NULL;
}

/*
 * Read and decode CPU cpu's next page.  Returns 1 when events are ready,
 * 0 when the pipe is empty (or this drain's page budget is spent), -1
 * on a read error.  The fds are O_NONBLOCK: a partly filled page comes
 * back at once, an empty buffer gives EAGAIN.
 */
static int
ft_read_page(struct ftrace *f, unsigned int cpu, uint64_t now)
{
	uint8_t		*page = f->page + (size_t)cpu * f->lay.page_size;
	struct ftrace_event *ev = f->ev + (size_t)cpu * MAX_PAGE_EVENTS;
	ssize_t		 n;
	size_t		 i;
	int		 missed;

	for (;;) {
		if (f->npages[cpu] >= MAX_DRAIN_PAGES)
			return 0;
		n = read(f->fd[cpu], page, f->lay.page_size);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		f->npages[cpu]++;
		f->st.pages++;
		if (ftrace_decode_page(&f->lay, page, (size_t)n, cpu, ev,
		    MAX_PAGE_EVENTS, &f->nev[cpu], &missed) == -1) {
			f->st.bad_pages++;
			f->last_loss_ts = now;
			continue;
		}
		if (missed) {
			f->st.missed_pages++;
			f->last_loss_ts = now;
		}
		f->iev[cpu] = 0;
		f->st.events += f->nev[cpu];
		for (i = 0; i < f->nev[cpu]; i++)
			if (now > ev[i].ts && now - ev[i].ts > f->st.max_lag_ns)
				f->st.max_lag_ns = now - ev[i].ts;
		if (f->nev[cpu] > 0)
			return 1;
	}
}

/*
 * The keyed hash of what a packet and its event share, and the source
 * port: a local program chooses all of them.
 */
static uint32_t
ft_flow_hash(const struct ftrace *f, const struct conn_tuple *t,
    uint16_t sport)
{
	uint8_t		 b[2 + 16 + 2 + 2];
	size_t		 alen = t->family == 2 ? 4 : 16;

	b[0] = t->family;
	b[1] = t->proto;
	memcpy(b + 2, t->daddr, alen);
	memcpy(b + 2 + alen, &t->dport, 2);
	memcpy(b + 4 + alen, &sport, 2);
	return (uint32_t)(hash_sip24(f->key, b, 6 + alen) %
	    MAX_FTRACE_FLOWS);
}

static void
ft_flow_link(struct ftrace *f, int32_t idx, uint16_t sport)
{
	struct ftrace_flow	*fl = &f->flows[idx];

	fl->bucket = ft_flow_hash(f, &fl->tuple, sport);
	fl->hnext = f->fbucket[fl->bucket];
	f->fbucket[fl->bucket] = idx;
}

static void
ft_flow_unlink(struct ftrace *f, int32_t idx)
{
	int32_t		*pp;

	for (pp = &f->fbucket[f->flows[idx].bucket]; *pp != -1;
	    pp = &f->flows[*pp].hnext)
		if (*pp == idx) {
			*pp = f->flows[idx].hnext;
			return;
		}
}

void
ftrace_flows_reset(struct ftrace *f)
{
	unsigned int	 i;

	memset(f->flows, 0, MAX_FTRACE_FLOWS * sizeof(*f->flows));
	for (i = 0; i < MAX_FTRACE_FLOWS; i++)
		f->fbucket[i] = -1;
	f->flow_next = 0;
}

/* Remember a connect or route event; the oldest one makes room. */
void
ftrace_keep_flow(struct ftrace *f, const struct ftrace_event *ev)
{
	int32_t			 idx = (int32_t)f->flow_next;
	struct ftrace_flow	*fl = &f->flows[idx];

	if (fl->type != 0)
		ft_flow_unlink(f, idx);
	memset(fl, 0, sizeof(*fl));
	fl->tuple = ev->tuple;
	fl->ts = ev->ts;
	fl->tid = ev->tid;
	fl->type = ev->type;
	ft_flow_link(f, idx, fl->tuple.sport);
	f->flow_next = (f->flow_next + 1) % MAX_FTRACE_FLOWS;
	f->st.flows++;
}

/*
 * Drain every CPU's pipe (at most MAX_DRAIN_PAGES each), merging the
 * per-CPU streams in time order so that a fork is seen before the exec
 * it led to.  Connect and route events are kept for ftrace_find_flows();
 * every event is passed to cb.  now is CLOCK_MONOTONIC in ns.  Returns
 * the number of events, or -1 if a pipe failed.
 */
int
ftrace_drain(struct ftrace *f, uint64_t now, ftrace_cb cb, void *arg)
{
	struct ftrace_event	*best;
	unsigned int		 cpu, bcpu;
	int			 n = 0, r, err = 0;

	for (cpu = 0; cpu < f->ncpu; cpu++) {
		f->npages[cpu] = 0;
		f->nev[cpu] = f->iev[cpu] = 0;
		if ((r = ft_read_page(f, cpu, now)) == -1)
			err = 1;
	}
	for (;;) {
		best = NULL;
		bcpu = 0;
		for (cpu = 0; cpu < f->ncpu; cpu++) {
			struct ftrace_event *e;

			if (f->iev[cpu] >= f->nev[cpu])
				continue;
			e = f->ev + (size_t)cpu * MAX_PAGE_EVENTS +
			    f->iev[cpu];
			if (best == NULL || e->ts < best->ts) {
				best = e;
				bcpu = cpu;
			}
		}
		if (best == NULL)
			break;
		if (best->type == FT_CONNECT || best->type == FT_ROUTE)
			ftrace_keep_flow(f, best);
		if (cb != NULL)
			cb(best, arg);
		n++;
		/* Refill before comparing again: the streams stay sorted. */
		if (++f->iev[bcpu] >= f->nev[bcpu] &&
		    ft_read_page(f, bcpu, now) == -1)
			err = 1;
	}
	return err ? -1 : n;
}

static int
ft_flow_match(const struct ftrace_flow *fl, const struct conn_tuple *q)
{
	static const uint8_t	 zero[16];
	size_t			 alen = q->family == 2 ? 4 : 16;

	if (fl->tuple.family != q->family || fl->tuple.proto != q->proto ||
	    fl->tuple.dport != q->dport ||
	    memcmp(fl->tuple.daddr, q->daddr, alen) != 0)
		return 0;
	if (memcmp(fl->tuple.saddr, zero, alen) != 0 &&
	    memcmp(fl->tuple.saddr, q->saddr, alen) != 0)
		return 0;
	if (fl->claimed)
		return fl->claimed_sport == q->sport;
	return fl->tuple.sport == 0 || fl->tuple.sport == q->sport;
}

static size_t
ft_flow_chain(struct ftrace *f, uint32_t b, const struct conn_tuple *q,
    uint64_t now, struct ftrace_flow **out, size_t n, size_t max)
{
	struct ftrace_flow	*fl;
	int32_t			 i;

	for (i = f->fbucket[b]; i != -1 && n < max; i = fl->hnext) {
		fl = &f->flows[i];
		if (fl->ts + FTRACE_FLOW_KEEP_NS >= now && ft_flow_match(fl, q))
			out[n++] = fl;
	}
	return n;
}

/*
 * The kept events that may have made connection q, at most max, no older
 * than FTRACE_FLOW_KEEP_NS: first those with q's source port, then the
 * connect events that have none yet (the kernel picks it after
 * SYN_SENT), newest first.  Several may match: the caller decides, and
 * claims the one it used.
 */
size_t
ftrace_find_flows(struct ftrace *f, const struct conn_tuple *q,
    uint64_t now, struct ftrace_flow **out, size_t max)
{
	uint32_t	 b, b0;
	size_t		 n;

	b = ft_flow_hash(f, q, q->sport);
	b0 = ft_flow_hash(f, q, 0);
	n = ft_flow_chain(f, b, q, now, out, 0, max);
	/* One chain holds both when they share a bucket: scanned once. */
	if (q->sport != 0 && b0 != b)
		n = ft_flow_chain(f, b0, q, now, out, n, max);
	return n;
}

/* A connect event, once given to a packet, matches only that port. */
void
ftrace_claim(struct ftrace *f, struct ftrace_flow *fl, uint16_t sport)
{
	int32_t	 idx = (int32_t)(fl - f->flows);

	if (fl->claimed)
		return;
	ft_flow_unlink(f, idx);
	fl->claimed = 1;
	fl->claimed_sport = sport;
	ft_flow_link(f, idx, sport);
}

/* Events were lost recently: a flow match may be missing its rival. */
int
ftrace_recent_loss(const struct ftrace *f, uint64_t now)
{
	return f->last_loss_ts != 0 &&
	    f->last_loss_ts + FTRACE_FLOW_KEEP_NS >= now;
}
