/*
 * attributord-proctable.c: the process table from synthetic events: exec path
 * at exec time, inheritance at fork, threads, exit and the keep window,
 * pid reuse (by event and by start time), the bound and its eviction.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ftrace.h"
#include "proctable.h"
#include "t.h"

#define SEC	1000000000ULL

static struct ftrace_event ev_newtask(pid_t, pid_t, int, uint64_t);
static struct ftrace_event ev_exec(pid_t, const char *, uint64_t);
static struct ftrace_event ev_exit(pid_t, uint64_t);
static void	test_lifecycle(void);
static void	test_threads(void);
static void	test_reuse(void);
static void	test_bound(void);

static struct ftrace_event
ev_newtask(pid_t parent_tid, pid_t child, int thread, uint64_t ts)
{
	struct ftrace_event	 e;

	memset(&e, 0, sizeof(e));
	e.type = FT_NEWTASK;
	e.tid = parent_tid;
	e.pid = child;
	e.thread = (uint8_t)thread;
	e.ts = ts;
	return e;
}

static struct ftrace_event
ev_exec(pid_t pid, const char *path, uint64_t ts)
{
	struct ftrace_event	 e;

	memset(&e, 0, sizeof(e));
	e.type = FT_EXEC;
	e.tid = e.pid = e.old_pid = pid;
	e.path = path;
	e.pathlen = strlen(path);
	e.ts = ts;
	return e;
}

static struct ftrace_event
ev_exit(pid_t pid, uint64_t ts)
{
	struct ftrace_event	 e;

	memset(&e, 0, sizeof(e));
	e.type = FT_EXIT;
	e.tid = e.pid = pid;
	e.ts = ts;
	return e;
}

static void
test_lifecycle(void)
{
	struct proctable	 pt;
	struct proc_entry	*pe;
	struct ftrace_event	 e;

	T_EQ_INT(proctable_init(&pt), 0);
	e = ev_exec(100, "/usr/bin/bash", 1 * SEC);
	proctable_apply(&pt, &e);
	e = ev_newtask(100, 200, 0, 2 * SEC);
	proctable_apply(&pt, &e);
	/* Before its exec, the child runs the parent's program. */
	pe = proctable_process(&pt, 200, 2 * SEC + 1);
	T_CHECK(pe != NULL);
	if (pe != NULL) {
		T_EQ_STR(pe->path, "/usr/bin/bash");
		T_CHECK(pe->flags & PE_INHERITED);
		T_EQ_INT(pe->ppid, 100);
	}
	e = ev_exec(200, "/tmp/x/tattle-test-client", 3 * SEC);
	proctable_apply(&pt, &e);
	e = ev_exit(200, 4 * SEC);
	proctable_apply(&pt, &e);
	/* Exited, but a packet sent before the exit still finds it. */
	pe = proctable_process(&pt, 200, 3 * SEC + 5);
	T_CHECK(pe != NULL);
	if (pe != NULL) {
		T_EQ_STR(pe->path, "/tmp/x/tattle-test-client");
		T_CHECK(pe->flags & PE_EXEC);
		T_CHECK(pe->flags & PE_EXITED);
		T_EQ_INT(pe->ppid, 100);
	}
	/* Not for an event after its exit, nor before its birth. */
	T_CHECK(proctable_process(&pt, 200, 5 * SEC) == NULL);
	T_CHECK(proctable_process(&pt, 200, 1 * SEC) == NULL);
	/* Kept PROC_EXITED_KEEP_NS, then gone. */
	proctable_expire(&pt, 4 * SEC + PROC_EXITED_KEEP_NS - 1);
	T_CHECK(proctable_get(&pt, 200) != NULL);
	proctable_expire(&pt, 4 * SEC + PROC_EXITED_KEEP_NS + 1);
	T_CHECK(proctable_get(&pt, 200) == NULL);
	T_EQ_INT(pt.st.expired, 1);
	T_CHECK(proctable_get(&pt, 100) != NULL);
	proctable_free(&pt);
}

static void
test_threads(void)
{
	struct proctable	 pt;
	struct proc_entry	*pe;
	struct ftrace_event	 e;

	T_EQ_INT(proctable_init(&pt), 0);
	e = ev_exec(300, "/usr/bin/firefox", 1 * SEC);
	proctable_apply(&pt, &e);
	e = ev_newtask(300, 301, 1, 2 * SEC);
	proctable_apply(&pt, &e);
	e = ev_newtask(301, 302, 1, 3 * SEC);	/* a thread's thread */
	proctable_apply(&pt, &e);
	pe = proctable_process(&pt, 302, 4 * SEC);
	T_CHECK(pe != NULL && pe->pid == 300);
	T_CHECK(proctable_get(&pt, 302) != NULL &&
	    (proctable_get(&pt, 302)->flags & PE_THREAD));
	/* A process forked by a thread has the process as parent. */
	e = ev_newtask(302, 400, 0, 5 * SEC);
	proctable_apply(&pt, &e);
	pe = proctable_get(&pt, 400);
	T_CHECK(pe != NULL && pe->ppid == 300);
	T_CHECK(pe != NULL && pe->path != NULL &&
	    strcmp(pe->path, "/usr/bin/firefox") == 0);
	/* The last thread out ends the process. */
	e = ev_exit(301, 6 * SEC);
	proctable_apply(&pt, &e);
	T_CHECK(proctable_get(&pt, 300)->flags & PE_EXITED);
	/* A non-leader thread's exec takes over the leader's pid. */
	e = ev_exec(400, "/bin/sh", 7 * SEC);
	proctable_apply(&pt, &e);
	e = ev_newtask(400, 401, 1, 8 * SEC);
	proctable_apply(&pt, &e);
	e = ev_exec(400, "/bin/ls", 9 * SEC);
	e.old_pid = 401;
	proctable_apply(&pt, &e);
	T_CHECK(proctable_get(&pt, 401) == NULL);
	T_EQ_STR(proctable_get(&pt, 400)->path, "/bin/ls");
	proctable_free(&pt);
}

static void
test_reuse(void)
{
	struct proctable	 pt;
	struct proc_entry	*pe;
	struct ftrace_event	 e;

	T_EQ_INT(proctable_init(&pt), 0);
	e = ev_exec(500, "/usr/bin/allowed", 1 * SEC);
	proctable_apply(&pt, &e);
	e = ev_exit(500, 2 * SEC);
	proctable_apply(&pt, &e);
	/* The pid comes back for another program: a new identity. */
	e = ev_newtask(1, 500, 0, 3 * SEC);
	proctable_apply(&pt, &e);
	pe = proctable_process(&pt, 500, 3 * SEC + 1);
	T_CHECK(pe != NULL && !(pe->flags & PE_EXITED) &&
	    pe->path == NULL);
	T_EQ_INT(pt.st.replaced, 1);
	/* Start times: the first sets, the same passes, another drops. */
	pe = proctable_add(&pt, 600, 600, 4 * SEC);
	T_EQ_INT(proctable_set_path(pe, "/usr/bin/a", 10, PE_PROCFS), 0);
	T_EQ_INT(proctable_check_start(&pt, pe, 12345), 0);
	T_EQ_INT(proctable_check_start(&pt, pe, 12345), 0);
	T_EQ_INT(proctable_check_start(&pt, pe, 12399), -1);
	T_CHECK(proctable_get(&pt, 600) == NULL);
	T_EQ_INT(pt.st.reused, 1);
	/* Bad paths are refused, not truncated. */
	pe = proctable_add(&pt, 601, 601, 4 * SEC);
	T_EQ_INT(proctable_set_path(pe, "x", 0, PE_PROCFS), -1);
	T_EQ_INT(proctable_set_path(pe, "x", MAX_PROC_PATH, PE_PROCFS), -1);
	proctable_free(&pt);
}

/* Past MAX_PROCS: exited entries go first, then the least recently used. */
static void
test_bound(void)
{
	struct proctable	 pt;
	struct ftrace_event	 e;
	unsigned int		 i;
	char			 path[32];

	T_EQ_INT(proctable_init(&pt), 0);
	for (i = 0; i < MAX_PROCS; i++) {
		snprintf(path, sizeof(path), "/bin/p%u", i);
		e = ev_exec((pid_t)(1000 + i), path, (uint64_t)(i + 1) * 1000);
		proctable_apply(&pt, &e);
	}
	T_EQ_INT(pt.n, MAX_PROCS);
	e = ev_exit(1000 + 77, SEC);
	proctable_apply(&pt, &e);
	/* Touch the oldest live one so it is no longer least recent. */
	T_CHECK(proctable_process(&pt, 1000, 2 * SEC) != NULL);
	e = ev_exec(90000, "/bin/new1", 3 * SEC);
	proctable_apply(&pt, &e);
	T_EQ_INT(pt.n, MAX_PROCS);
	T_CHECK(proctable_get(&pt, 1077) == NULL);	/* the exited one */
	e = ev_exec(90001, "/bin/new2", 4 * SEC);
	proctable_apply(&pt, &e);
	T_CHECK(proctable_get(&pt, 1000) != NULL);	/* was touched */
	T_CHECK(proctable_get(&pt, 1001) == NULL);	/* least recent */
	T_CHECK(proctable_get(&pt, 90000) != NULL);
	T_CHECK(proctable_get(&pt, 90001) != NULL);
	T_EQ_INT(pt.st.evicted, 2);
	for (i = 0; i < 3 * MAX_PROCS; i++) {
		e = ev_newtask(1, (pid_t)(200000 + i), 0, 5 * SEC + i);
		proctable_apply(&pt, &e);
	}
	T_EQ_INT(pt.n, MAX_PROCS);
	proctable_free(&pt);
}

int
main(void)
{
	test_lifecycle();
	test_threads();
	test_reuse();
	test_bound();
	return t_done("attributord-proctable");
}
