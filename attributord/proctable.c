/*
 * proctable.c: fixed arrays, hash chains by pid, eviction by age.
 * Nothing here reads /proc; callers add what they learnt there.
 */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ftrace.h"
#include "proctable.h"

#define PT_BUCKETS	4096	/* power of two */

static unsigned int	pt_hash(const struct proctable *, pid_t);
static struct proc_entry *pt_alloc(struct proctable *, pid_t, uint64_t);
static void	pt_unlink(struct proctable *, struct proc_entry *);
static struct proc_entry *pt_victim(struct proctable *);
static void	pt_newtask(struct proctable *, const struct ftrace_event *);
static void	pt_exec(struct proctable *, const struct ftrace_event *);
static void	pt_exit(struct proctable *, const struct ftrace_event *);

/* Keyed: a user who forks at will could pick pids for one bucket. */
static unsigned int
pt_hash(const struct proctable *pt, pid_t pid)
{
	return (unsigned int)hash_sip24(pt->key, &pid, sizeof(pid)) &
	    (PT_BUCKETS - 1);
}

int
proctable_init(struct proctable *pt)
{
	int32_t		 i;

	memset(pt, 0, sizeof(*pt));
	pt->e = calloc(MAX_PROCS, sizeof(*pt->e));
	pt->bucket = calloc(PT_BUCKETS, sizeof(*pt->bucket));
	if (pt->e == NULL || pt->bucket == NULL) {
		proctable_free(pt);
		errno = ENOMEM;
		return -1;
	}
	if (getrandom(pt->key, sizeof(pt->key), 0) != sizeof(pt->key)) {
		proctable_free(pt);
		return -1;
	}
	for (i = 0; i < PT_BUCKETS; i++)
		pt->bucket[i] = -1;
	/* Entries are taken in order: the untouched rest costs no RSS. */
	pt->freelist = -1;
	return 0;
}

void
proctable_free(struct proctable *pt)
{
	unsigned int	 i;

	if (pt->e != NULL)
		for (i = 0; i < MAX_PROCS; i++)
			free(pt->e[i].path);
	free(pt->e);
	free(pt->bucket);
	pt->e = NULL;
	pt->bucket = NULL;
}

struct proc_entry *
proctable_get(struct proctable *pt, pid_t pid)
{
	int32_t		 i;

	for (i = pt->bucket[pt_hash(pt, pid)]; i != -1; i = pt->e[i].hnext)
		if (pt->e[i].pid == pid)
			return &pt->e[i];
	return NULL;
}

static void
pt_unlink(struct proctable *pt, struct proc_entry *pe)
{
	int32_t		*pp, idx = (int32_t)(pe - pt->e);

	for (pp = &pt->bucket[pt_hash(pt, pe->pid)]; *pp != -1;
	    pp = &pt->e[*pp].hnext)
		if (*pp == idx) {
			*pp = pe->hnext;
			break;
		}
	free(pe->path);
	memset(pe, 0, sizeof(*pe));
	pe->hnext = pt->freelist;
	pt->freelist = idx;
	pt->n--;
}

void
proctable_remove(struct proctable *pt, struct proc_entry *pe)
{
	pt_unlink(pt, pe);
}

/*
 * The table is full: push out, in order of preference, the exited entry
 * that ended first, else the entry least recently used.
 */
static struct proc_entry *
pt_victim(struct proctable *pt)
{
	struct proc_entry	*v = NULL, *pe;
	unsigned int		 i;

	for (i = 0; i < MAX_PROCS; i++) {
		pe = &pt->e[i];
		if (!pe->inuse)
			continue;
		if (v == NULL) {
			v = pe;
			continue;
		}
		if ((pe->flags & PE_EXITED) != (v->flags & PE_EXITED)) {
			if (pe->flags & PE_EXITED)
				v = pe;
			continue;
		}
		if ((pe->flags & PE_EXITED) ? pe->exit_ts < v->exit_ts :
		    pe->used_ts < v->used_ts)
			v = pe;
	}
	return v;
}

/* A fresh entry for pid; any older one for the same pid is gone. */
static struct proc_entry *
pt_alloc(struct proctable *pt, pid_t pid, uint64_t now)
{
	struct proc_entry	*pe;
	unsigned int		 h = pt_hash(pt, pid);
	int32_t			 idx;

	if ((pe = proctable_get(pt, pid)) != NULL) {
		pt->st.replaced++;
		pt_unlink(pt, pe);
	}
	if (pt->freelist == -1 && pt->fresh < MAX_PROCS)
		idx = (int32_t)pt->fresh++;
	else {
		if (pt->freelist == -1) {
			pt->st.evicted++;
			pt_unlink(pt, pt_victim(pt));
		}
		idx = pt->freelist;
		pt->freelist = pt->e[idx].hnext;
	}
	pe = &pt->e[idx];
	memset(pe, 0, sizeof(*pe));
	pe->pid = pid;
	pe->tgid = pid;
	pe->ppid = -1;
	pe->used_ts = now;
	pe->inuse = 1;
	pe->hnext = pt->bucket[h];
	pt->bucket[h] = idx;
	pt->n++;
	return pe;
}

/* A process (tgid == pid) first seen through /proc. */
struct proc_entry *
proctable_add(struct proctable *pt, pid_t pid, pid_t tgid, uint64_t now)
{
	struct proc_entry	*pe;

	pe = pt_alloc(pt, pid, now);
	pe->tgid = tgid;
	if (tgid != pid)
		pe->flags |= PE_THREAD;
	return pe;
}

int
proctable_set_path(struct proc_entry *pe, const char *path, size_t len,
    uint32_t how)
{
	char	*p;

	if (len == 0 || len >= MAX_PROC_PATH) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((p = malloc(len + 1)) == NULL)
		return -1;
	memcpy(p, path, len);
	p[len] = '\0';
	free(pe->path);
	pe->path = p;
	pe->flags &= ~(PE_EXEC | PE_PROCFS | PE_INHERITED);
	pe->flags |= how;
	return 0;
}

static void
pt_newtask(struct proctable *pt, const struct ftrace_event *ev)
{
	struct proc_entry	*parent, *pe;
	pid_t			 ptgid = -1;

	if (ev->pid <= 0)
		return;
	if ((parent = proctable_get(pt, ev->tid)) != NULL)
		ptgid = parent->tgid;
	if (parent != NULL && (parent->flags & PE_THREAD))
		parent = ptgid > 0 ? proctable_get(pt, ptgid) : NULL;
	pe = pt_alloc(pt, ev->pid, ev->ts);
	pe->born_ts = ev->ts;
	if (ev->thread) {
		/* Unknown parent: the tgid is found in /proc when needed. */
		pe->tgid = ptgid;
		pe->flags |= PE_THREAD;
		return;
	}
	pe->ppid = ptgid;
	/* Until it execs, a child runs its parent's program. */
	if (parent != NULL && parent->path != NULL)
		(void)proctable_set_path(pe, parent->path,
		    strlen(parent->path), PE_INHERITED);
}

static void
pt_exec(struct proctable *pt, const struct ftrace_event *ev)
{
	struct proc_entry	*pe, *old;

	if (ev->pid <= 0)
		return;
	/* A non-leader thread that execs takes over the leader's pid. */
	if (ev->old_pid != ev->pid &&
	    (old = proctable_get(pt, ev->old_pid)) != NULL)
		pt_unlink(pt, old);
	pe = proctable_get(pt, ev->pid);
	if (pe == NULL || (pe->flags & (PE_THREAD | PE_EXITED)))
		pe = pt_alloc(pt, ev->pid, ev->ts);
	pe->exec_ts = ev->ts;
	pe->used_ts = ev->ts;
	(void)proctable_set_path(pe, ev->path, ev->pathlen, PE_EXEC);
}

static void
pt_exit(struct proctable *pt, const struct ftrace_event *ev)
{
	struct proc_entry	*pe;

	if ((pe = proctable_get(pt, ev->pid)) == NULL)
		return;
	/* The last thread to leave may not be the leader. */
	if ((pe->flags & PE_THREAD) && (pe->tgid <= 0 ||
	    (pe = proctable_get(pt, pe->tgid)) == NULL))
		return;
	pe->flags |= PE_EXITED;
	pe->exit_ts = ev->ts;
}

void
proctable_apply(struct proctable *pt, const struct ftrace_event *ev)
{
	switch (ev->type) {
	case FT_NEWTASK:
		pt_newtask(pt, ev);
		break;
	case FT_EXEC:
		pt_exec(pt, ev);
		break;
	case FT_EXIT:
		pt_exit(pt, ev);
		break;
	default:
		break;
	}
}

/* An ftrace_drain() callback. */
void
proctable_event_cb(const struct ftrace_event *ev, void *arg)
{
	proctable_apply(arg, ev);
}

/*
 * The process that thread tid belonged to at trace time ts: the entry,
 * or NULL when the table does not know it (the caller asks /proc).
 */
struct proc_entry *
proctable_process(struct proctable *pt, pid_t tid, uint64_t ts)
{
	struct proc_entry	*pe;

	if ((pe = proctable_get(pt, tid)) == NULL)
		return NULL;
	if (pe->flags & PE_THREAD) {
		if (pe->tgid <= 0 || (pe = proctable_get(pt, pe->tgid)) ==
		    NULL || (pe->flags & PE_THREAD))
			return NULL;
	}
	/* Born after, or gone before, the event: another process. */
	if ((pe->born_ts != 0 && pe->born_ts > ts) ||
	    ((pe->flags & PE_EXITED) && pe->exit_ts < ts))
		return NULL;
	if (ts > pe->used_ts)
		pe->used_ts = ts;
	return pe;
}

/*
 * Compare the entry with the start time /proc shows for its pid now.  A
 * different start time means the pid was reused: the entry is dropped
 * and -1 returned.
 */
int
proctable_check_start(struct proctable *pt, struct proc_entry *pe,
    uint64_t start)
{
	if (pe->start_time == 0) {
		pe->start_time = start;
		return 0;
	}
	if (pe->start_time == start)
		return 0;
	pt->st.reused++;
	pt_unlink(pt, pe);
	return -1;
}

/* Drop exited processes older than PROC_EXITED_KEEP_NS. */
void
proctable_expire(struct proctable *pt, uint64_t now)
{
	unsigned int	 i;

	for (i = 0; i < MAX_PROCS; i++)
		if (pt->e[i].inuse && (pt->e[i].flags & PE_EXITED) &&
		    pt->e[i].exit_ts + PROC_EXITED_KEEP_NS < now) {
			pt->st.expired++;
			pt_unlink(pt, &pt->e[i]);
		}
}
