/*
 * attr-resolve.c: the resolver's choices on flow events put in by hand
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
	struct ftrace_flow	*fl = &ft->flows[ft->flow_next];

	memset(fl, 0, sizeof(*fl));
	fl->tuple.family = AF_INET;
	fl->tuple.proto = type == FT_CONNECT ? 6 : 17;
	fl->tuple.sport = sport;
	fl->tuple.dport = 443;
	inet_pton(AF_INET, "192.0.2.1", fl->tuple.daddr);
	inet_pton(AF_INET, "198.51.100.7", fl->tuple.saddr);
	fl->type = (uint8_t)type;
	fl->tid = tid;
	fl->ts = ts;
	ft->flow_next = (ft->flow_next + 1) % MAX_FTRACE_FLOWS;
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

int
main(void)
{
	test_resolve();
	return t_done("attr-resolve");
}
