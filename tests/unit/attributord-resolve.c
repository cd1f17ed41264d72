/*
 * attributord-resolve.c: the resolver's choices on flow events put in by hand
 * (the ftrace pipe is an empty pipe): a table miss falls back to /proc
 * for a live process; a claimed connect serves only its port; a pid
 * known to be reused, a process younger than the event, rival processes
 * or recent event loss all give unknown, never a guess.  No privileges:
 * the only process looked up in /proc is this one.
 */
#include "config.h"

#include <arpa/inet.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ftrace.h"
#include "procfs.h"
#include "proctable.h"
#include "resolve.h"
#include "t.h"

static void	fake_layout(struct trace_layout *);
static void	add_flow(struct ftrace *, int, uint16_t, pid_t, uint64_t);
static void	query(struct conn_tuple *, int, uint16_t);
static void	test_resolve(void);
static void	test_flows(void);

static void
fake_layout(struct trace_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	lay->version = TRACE_LAYOUT_VERSION;
	lay->page_size = 4096;
	lay->ncpu = 1;
	lay->clock = TRACE_CLOCK_MONO;
	lay->commit_off = 8;
	lay->commit_size = 8;
	lay->data_off = 16;
	lay->id[TE_CONNECT] = 1;
	lay->id[TE_EXEC] = 2;
	lay->id[TE_NEWTASK] = 3;
	lay->id[TE_EXIT] = 4;
	lay->f[TF_TYPE].size = 2;
	lay->f[TF_FLAGS].off = 2;
	lay->f[TF_FLAGS].size = 1;
	lay->f[TF_PID].off = 4;
	lay->f[TF_PID].size = 4;
}

static void
add_flow(struct ftrace *ft, int type, uint16_t sport, pid_t tid,
    uint64_t ts)
{
	struct ftrace_event	 e;

	memset(&e, 0, sizeof(e));
	e.tuple.family = AF_INET;
	e.tuple.proto = type == FT_CONNECT ? 6 : 17;
	e.tuple.sport = sport;
	e.tuple.dport = 443;
	inet_pton(AF_INET, "192.0.2.1", e.tuple.daddr);
	inet_pton(AF_INET, "198.51.100.7", e.tuple.saddr);
	e.type = (uint8_t)type;
	e.tid = tid;
	e.ts = ts;
	ftrace_keep_flow(ft, &e);
}

static void
query(struct conn_tuple *q, int proto, uint16_t sport)
{
	memset(q, 0, sizeof(*q));
	q->family = AF_INET;
	q->proto = (uint8_t)proto;
	q->sport = sport;
	q->dport = 443;
	inet_pton(AF_INET, "192.0.2.1", q->daddr);
	inet_pton(AF_INET, "198.51.100.7", q->saddr);
}

static void
test_resolve(void)
{
	static struct ftrace	 ft;
	struct trace_layout	 lay;
	struct proctable	 pt;
	struct procfs		 pf;
	struct attr_ctx		 ac;
	struct attr_who		 w;
	struct conn_tuple	 q;
	struct proc_entry	*pe;
	char			 self[PATH_MAX];
	uint64_t		 now;
	ssize_t			 n;
	int			 p[2], procfd;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	T_CHECK(n > 0);
	self[n > 0 ? n : 0] = '\0';
	fake_layout(&lay);
	T_EQ_INT(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	T_EQ_INT(ftrace_init(&ft, &lay, &p[0], 1), 0);
	T_EQ_INT(proctable_init(&pt), 0);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T_EQ_INT(procfs_init(&pf, procfd), 0);
	memset(&ac, 0, sizeof(ac));
	ac.ft = &ft;
	ac.pt = &pt;
	ac.pf = &pf;
	now = attr_now();

	/* Not in the table: /proc names the live process, once. */
	add_flow(&ft, FT_CONNECT, 0, getpid(), now - 1000);
	query(&q, 6, 40000);
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	T_EQ_INT(w.pid, getpid());
	T_EQ_STR(w.exec_path, self);
	T_CHECK(w.path_flags & PE_PROCFS);
	T_CHECK(w.start_time != 0);
	T_EQ_INT(w.ev_ts, now - 1000);
	/* The claimed event answers for its port again, not for another. */
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	query(&q, 6, 40001);
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);
	T_EQ_INT(w.pid, -1);

	/* Rival processes for a port-less connect: unknown, ambiguous. */
	add_flow(&ft, FT_CONNECT, 0, getpid(), now - 900);
	add_flow(&ft, FT_CONNECT, 0, getppid(), now - 800);
	pe = proctable_add(&pt, getppid(), getppid(), now);
	T_EQ_INT(proctable_set_path(pe, "/usr/bin/other", 14, PE_EXEC), 0);
	query(&q, 6, 40002);
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);
	T_EQ_INT(w.ambiguous, 1);

	/* An exact source port (a UDP route event) settles it. */
	add_flow(&ft, FT_ROUTE, 40003, getppid(), now - 700);
	add_flow(&ft, FT_ROUTE, 40004, getpid(), now - 600);
	query(&q, 17, 40003);
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	T_EQ_INT(w.pid, getppid());
	T_EQ_STR(w.exec_path, "/usr/bin/other");

	/* The same exact tuple from two processes (two netns): unknown. */
	add_flow(&ft, FT_ROUTE, 40004, getppid(), now - 550);
	query(&q, 17, 40004);
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);
	T_EQ_INT(w.ambiguous, 1);

	/* Our pid, but the table saw it born after the event: reused. */
	proctable_remove(&pt, proctable_get(&pt, getpid()));
	pe = proctable_add(&pt, getpid(), getpid(), now);
	pe->born_ts = now - 100;
	add_flow(&ft, FT_ROUTE, 40005, getpid(), now - 500);
	query(&q, 17, 40005);
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);

	/* Not in the table, and /proc's process started after the event. */
	proctable_remove(&pt, proctable_get(&pt, getpid()));
	add_flow(&ft, FT_ROUTE, 40006, getpid(), 1);
	query(&q, 17, 40006);
	attr_resolve(&ac, &q, 2, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);

	/* Events were lost lately: a rival may be missing, so no answer. */
	add_flow(&ft, FT_ROUTE, 40007, getpid(), now - 400);
	query(&q, 17, 40007);
	ft.last_loss_ts = now - 300;
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);
	ft.last_loss_ts = 0;
	attr_resolve(&ac, &q, now, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	/* Too old to be kept. */
	attr_resolve(&ac, &q, now + FTRACE_FLOW_KEEP_NS, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);

	ftrace_free(&ft);
	proctable_free(&pt);
	procfs_free(&pf);
	close(procfd);
	close(p[0]);
	close(p[1]);
}

/*
 * The flow ring and its index: after the ring wrapped three times only
 * the newest MAX_FTRACE_FLOWS are found, each by its own port; a claimed
 * connect moves from the port-less chain to its port's.
 */
static void
test_flows(void)
{
	static struct ftrace	 ft;
	struct trace_layout	 lay;
	struct ftrace_flow	*out[8];
	struct conn_tuple	 q;
	unsigned int		 i, found = 0, total = 3 * MAX_FTRACE_FLOWS;
	int			 p[2];

	fake_layout(&lay);
	T_EQ_INT(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	T_EQ_INT(ftrace_init(&ft, &lay, &p[0], 1), 0);
	for (i = 0; i < total; i++)
		add_flow(&ft, FT_ROUTE, (uint16_t)(1024 + i % 60000), 7,
		    1000 + i);
	for (i = 0; i < total; i++) {
		query(&q, 17, (uint16_t)(1024 + i % 60000));
		if (ftrace_find_flows(&ft, &q, 2000 + total, out, 8) == 1) {
			found++;
			T_EQ_INT(out[0]->ts, 1000 + i);
		}
	}
	T_EQ_INT(found, MAX_FTRACE_FLOWS);
	add_flow(&ft, FT_CONNECT, 0, 8, 5000000);
	add_flow(&ft, FT_CONNECT, 0, 9, 5000001);
	query(&q, 6, 50000);
	T_EQ_INT(ftrace_find_flows(&ft, &q, 5000002, out, 8), 2);
	T_EQ_INT(out[0]->tid, 9);		/* newest first */
	ftrace_claim(&ft, out[1], 50000);
	T_EQ_INT(ftrace_find_flows(&ft, &q, 5000002, out, 8), 2);
	T_EQ_INT(out[0]->tid, 8);		/* its own port first */
	T_EQ_INT(out[0]->claimed, 1);
	query(&q, 6, 50001);
	T_EQ_INT(ftrace_find_flows(&ft, &q, 5000002, out, 8), 1);
	T_EQ_INT(out[0]->tid, 9);
	ftrace_free(&ft);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	test_resolve();
	test_flows();
	return t_done("attributord-resolve");
}
