/*
 * resolve.c: attribution of one connection from the modules' answers.
 * The common case (a TCP connect or UDP send whose event has arrived,
 * from a process the table knows) reads nothing from /proc.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ftrace.h"
#include "procfs.h"
#include "proctable.h"
#include "resolve.h"
#include "sockdiag.h"

#define MAX_CANDIDATES	16

static struct proc_entry *res_process(struct attr_ctx *, pid_t, uint64_t);
static int	res_ftrace(struct attr_ctx *, const struct conn_tuple *,
		    uint64_t, struct attr_who *);
static int	res_sockdiag(struct attr_ctx *, const struct conn_tuple *,
		    struct attr_who *);
static void	res_fill(struct attr_who *, const struct proc_entry *);
static int	res_started_after(uint64_t, uint64_t);
static int	res_exe_from_proc(struct attr_ctx *, struct proc_entry *);
static int	res_elsewhere(struct attr_ctx *, struct proc_entry *);
static void	res_who_init(struct attr_who *);

/*
 * The ftrace_drain() callback for attributord's own drains too: the
 * table learns every event, and a pid that just exec'd goes to the front
 * of the /proc scan's order.
 */
void
attr_event_cb(const struct ftrace_event *ev, void *arg)
{
	struct attr_ctx	*ac = arg;

	proctable_apply(ac->pt, ev);
	if (ev->type == FT_EXEC && ac->pf != NULL)
		procfs_note_pid(ac->pf, ev->pid);
}

uint64_t
attr_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Did a process with /proc start time start (clock ticks after boot)
 * begin clearly after trace time ts (CLOCK_MONOTONIC ns)?  Then it is
 * not the task that raised the event.  One tick of slack: start times
 * are coarse.
 */
static int
res_started_after(uint64_t start, uint64_t ts)
{
	struct timespec	 b, m;
	uint64_t	 tick, boot_off, start_ns;
	int64_t		 d;
	long		 hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0)
		return 0;
	tick = 1000000000ULL / (uint64_t)hz;
	/* Time spent suspended: BOOTTIME counts it, MONOTONIC does not. */
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	d = ((int64_t)b.tv_sec - (int64_t)m.tv_sec) * 1000000000LL +
	    (b.tv_nsec - m.tv_nsec);
	boot_off = d > 0 ? (uint64_t)d : 0;
	start_ns = start * tick;
	if (start_ns < boot_off)
		return 0;
	return start_ns - boot_off > ts + tick;
}

/* The path of a process the events did not show exec'ing: /proc. */
static int
res_exe_from_proc(struct attr_ctx *ac, struct proc_entry *pe)
{
	struct proc_attrs	*a;
	static struct proc_attrs attrs;
	int			 r = -1;

	a = &attrs;
	if (procfs_read_attrs(ac->pf, pe->pid, pe->start_time, PA_EXE, NULL,
	    0, a) == 0 && (a->have & PA_EXE) && (a->have & PA_STAT) &&
	    proctable_check_start(ac->pt, pe, a->start_time) == 0)
		r = proctable_set_path(pe, a->exe, strlen(a->exe),
		    PE_PROCFS);
	return r;
}

/*
 * The process thread tid belonged to at ts, from the table, else from
 * /proc (and then remembered).
 */
static struct proc_entry *
res_process(struct attr_ctx *ac, pid_t tid, uint64_t ts)
{
	struct proc_entry	*pe, *te;
	pid_t			 tgid;
	uint64_t		 start;

	if ((pe = proctable_process(ac->pt, tid, ts)) != NULL)
		return pe;
	/*
	 * Known, but born after the event or gone before it: the pid now
	 * names another task, and /proc would describe that one.
	 */
	if ((te = proctable_get(ac->pt, tid)) != NULL &&
	    ((te->born_ts != 0 && te->born_ts > ts) ||
	    ((te->flags & PE_EXITED) && te->exit_ts < ts)))
		return NULL;
	if (procfs_task(ac->pf, tid, &tgid, &start) == -1 ||
	    res_started_after(start, ts))
		return NULL;
	if (tgid != tid && ((te = proctable_get(ac->pt, tid)) == NULL ||
	    te->tgid <= 0))
		(void)proctable_add(ac->pt, tid, tgid, ts);
	else if (tgid != tid)
		te->tgid = tgid;
	if ((pe = proctable_get(ac->pt, tgid)) == NULL ||
	    (pe->flags & PE_THREAD)) {
		pe = proctable_add(ac->pt, tgid, tgid, ts);
		pe->start_time = start;
	} else if (proctable_check_start(ac->pt, pe, start) == -1) {
		pe = proctable_add(ac->pt, tgid, tgid, ts);
		pe->start_time = start;
	}
	return pe;
}

static void
res_fill(struct attr_who *w, const struct proc_entry *pe)
{
	w->pid = pe->pid;
	w->exited = (pe->flags & PE_EXITED) != 0;
	w->start_time = pe->start_time;
	w->path_flags = pe->flags & (PE_EXEC | PE_PROCFS | PE_INHERITED);
	if (pe->path != NULL)
		snprintf(w->exec_path, sizeof(w->exec_path), "%s", pe->path);
}

/*
 * Is the process in another network namespace than the one guarded?
 * tracefs sees every namespace's sockets, and the same tuple can stand
 * in another one (an unprivileged `unshare -rn` makes one): such an
 * event is not a candidate, or a program there could lend its identity
 * to a connection here.  Read now when the process lives, else what was
 * read before.  1: elsewhere; 0: here (or not checked); -1: gone before
 * anyone looked, unknown.
 */
static int
res_elsewhere(struct attr_ctx *ac, struct proc_entry *pe)
{
	uint64_t	 dev, ino;

	if (ac->netns_ino == 0 || ac->pf == NULL)
		return 0;
	if (!(pe->flags & PE_EXITED) &&
	    procfs_netns(ac->pf, pe->pid, &dev, &ino) == 0) {
		pe->netns_dev = dev;
		pe->netns_ino = ino;
	}
	if (pe->netns_ino == 0)
		return -1;
	return pe->netns_dev != ac->netns_dev || pe->netns_ino != ac->netns_ino;
}

/*
 * 1: attributed by ftrace; 2: the same, by a process gone before its
 * network namespace was read.  0: no usable event (none, rivals from other
 * processes, or events were lost lately so a rival may be missing).
 */
static int
res_ftrace(struct attr_ctx *ac, const struct conn_tuple *q, uint64_t now,
    struct attr_who *w)
{
	struct ftrace_flow	*c[MAX_CANDIDATES], *pick = NULL;
	struct proc_entry	*pe, *who = NULL;
	size_t			 n, i;
	int			 ns, who_ns = 0;

	n = ftrace_find_flows(ac->ft, q, now, c, MAX_CANDIDATES);
	if (n == 0 || ftrace_recent_loss(ac->ft, now))
		return 0;
	/*
	 * Events with this exact source port settle it, if they agree: the
	 * same tuple may come from another network namespace (tracefs sees
	 * them all) or from an earlier user of the port.
	 */
	for (i = 0; i < n; i++) {
		if (!(c[i]->claimed && c[i]->claimed_sport == q->sport) &&
		    !(c[i]->tuple.sport != 0 && c[i]->tuple.sport == q->sport))
			continue;
		if ((pe = res_process(ac, c[i]->tid, c[i]->ts)) == NULL)
			return 0;
		if ((ns = res_elsewhere(ac, pe)) == 1)
			continue;
		if (who != NULL && pe != who) {
			w->ambiguous = 1;
			return 0;
		}
		who = pe;
		who_ns = ns;
		if (pick == NULL)
			pick = c[i];
	}
	if (pick == NULL) {
		/* Port-less connect events: all must be one process's. */
		for (i = 0; i < n; i++) {
			if ((pe = res_process(ac, c[i]->tid, c[i]->ts)) ==
			    NULL)
				return 0;
			if ((ns = res_elsewhere(ac, pe)) == 1)
				continue;
			if (who != NULL && pe != who) {
				w->ambiguous = 1;
				return 0;
			}
			who = pe;
			who_ns = ns;
			pick = c[i];	/* the oldest: SYNs leave in order */
		}
		if (who == NULL)
			return 0;
	}
	if (pick->type == FT_CONNECT)
		ftrace_claim(ac->ft, pick, q->sport);
	if (who->path == NULL && !(who->flags & PE_EXITED))
		(void)res_exe_from_proc(ac, who);
	w->tid = pick->tid;
	w->ev_ts = pick->ts;
	w->source = ATTR_SRC_FTRACE;
	res_fill(w, who);
	return who_ns == -1 ? 2 : 1;
}

static int
res_sockdiag(struct attr_ctx *ac, const struct conn_tuple *q,
    struct attr_who *w)
{
	struct sockdiag_result	 sr;
	struct proc_entry	*pe;
	pid_t			 pid, tgid;
	uint64_t		 start;
	int			 r;

	r = sockdiag_lookup(ac->sd, q, &sr);
	if (r == SD_UNSUPPORTED)
		w->unsupported = 1;
	if (r != SD_FOUND)
		return 0;
	w->inode = sr.inode;
	w->sock_uid = sr.uid;
	if (sr.inode == 0 || procfs_find_inode(ac->pf, sr.inode,
	    ac->scan_budget_ns, &pid) != 1)
		return 0;
	if (procfs_task(ac->pf, pid, &tgid, &start) == -1)
		return 0;
	pe = proctable_get(ac->pt, pid);
	if (pe == NULL || (pe->flags & (PE_THREAD | PE_EXITED)) ||
	    proctable_check_start(ac->pt, pe, start) == -1) {
		pe = proctable_add(ac->pt, pid, pid, attr_now());
		pe->start_time = start;
	}
	if (pe->path == NULL)
		(void)res_exe_from_proc(ac, pe);
	w->source = ATTR_SRC_SOCKDIAG;
	res_fill(w, pe);
	return 1;
}

/*
 * Attribute connection q.  Drains ftrace first, so the event of a packet
 * already queued is in the table.  Returns 0 with w->source telling how
 * (ATTR_SRC_UNKNOWN when nothing found the process).
 */
static void
res_who_init(struct attr_who *w)
{
	memset(w, 0, sizeof(*w));
	w->pid = w->tid = -1;
	w->sock_uid = (uint32_t)-1;
}

int
attr_resolve(struct attr_ctx *ac, const struct conn_tuple *q, uint64_t now,
    struct attr_who *w)
{
	static struct attr_who	 sd;
	int			 r;

	res_who_init(w);
	if (ac->ft != NULL) {
		(void)ftrace_drain(ac->ft, now, attr_event_cb, ac);
		if ((r = res_ftrace(ac, q, now, w)) == 1)
			return 0;
		/*
		 * An event of a process already gone, whose namespace nobody
		 * read: a socket that sock_diag finds with another owner is
		 * the surer answer (the event may be another namespace's).
		 * The same process keeps the event's answer, which knows the
		 * path that a process on its way out no longer shows.
		 */
		if (r == 2) {
			res_who_init(&sd);
			if (ac->sd != NULL && res_sockdiag(ac, q, &sd) == 1 &&
			    sd.pid != w->pid)
				*w = sd;
			return 0;
		}
	}
	if (ac->sd != NULL && res_sockdiag(ac, q, w) == 1)
		return 0;
	w->source = ATTR_SRC_UNKNOWN;
	return 0;
}
