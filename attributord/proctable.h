/*
 * proctable.h: a bounded table of processes and threads, built from
 * ftrace's exec/fork/exit events and completed from /proc.  A process's
 * identity is (pid, start time); the path it holds is the one the kernel
 * reported at exec time, which renaming or deleting the file later does
 * not change.  Exited processes stay PROC_EXITED_KEEP_NS, so a packet
 * that outlives its sender is still attributed.
 */
#ifndef TATTLE_PROCTABLE_H
#define TATTLE_PROCTABLE_H

#include <stdint.h>
#include <sys/types.h>

#include "attr_limits.h"
#include "hash.h"

struct ftrace_event;

#define PE_EXITED	0x01	/* the process has ended */
#define PE_THREAD	0x02	/* a thread: pid is a tid, see tgid */
#define PE_EXEC		0x04	/* path from an exec event */
#define PE_PROCFS	0x08	/* path read from /proc/PID/exe */
#define PE_INHERITED	0x10	/* path copied from the parent at fork */

struct proc_entry {
	int32_t		 pid;		/* tid for a thread */
	int32_t		 tgid;		/* the process; == pid, or -1 */
	int32_t		 ppid;		/* parent process, -1 unknown */
	uint32_t	 flags;		/* PE_* */
	/* /proc/PID/stat starttime; 0 unknown */
	uint64_t	 start_time;
	uint64_t	 born_ts;	/* trace ns; 0 unknown (before us) */
	uint64_t	 exec_ts;
	uint64_t	 exit_ts;
	uint64_t	 used_ts;	/* last lookup or update, for LRU */
	char		*path;		/* NULL until known */
	/* Its network namespace when last read (ns/net), 0 unknown. */
	uint64_t	 netns_dev, netns_ino;
	int32_t		 hnext;		/* hash chain, -1 ends */
	int32_t		 inuse;
};

struct proctable_stats {
	uint64_t	evicted;	/* live or recent entries pushed out */
	uint64_t	expired;	/* exited entries aged out */
	uint64_t	reused;		/* start time differed: discarded */
	uint64_t	replaced;	/* a new task took a known pid */
};

struct proctable {
	struct proc_entry	*e;		/* MAX_PROCS */
	int32_t			*bucket;
	int32_t			 freelist;	/* entries given back */
	unsigned int		 fresh;		/* entries never used */
	unsigned int		 n;
	struct proctable_stats	 st;
	uint8_t			 key[HASH_KEY_LEN];	/* bucket's hash */
};

int	 proctable_init(struct proctable *);
void	 proctable_free(struct proctable *);
void	 proctable_apply(struct proctable *, const struct ftrace_event *);
void	 proctable_event_cb(const struct ftrace_event *, void *);
struct proc_entry *proctable_get(struct proctable *, pid_t);
struct proc_entry *proctable_process(struct proctable *, pid_t, uint64_t);
struct proc_entry *proctable_add(struct proctable *, pid_t, pid_t, uint64_t);
int	 proctable_set_path(struct proc_entry *, const char *, size_t,
	    uint32_t);
int	 proctable_check_start(struct proctable *, struct proc_entry *,
	    uint64_t);
void	 proctable_remove(struct proctable *, struct proc_entry *);
void	 proctable_expire(struct proctable *, uint64_t);

#endif /* TATTLE_PROCTABLE_H */
