/*
 * attr_limits.h: every bound of attributord's tables, caches and budgets,
 * in one place so an auditor can see how much memory and time the
 * attribution modules may take.
 */
#ifndef TATTLE_ATTR_LIMITS_H
#define TATTLE_ATTR_LIMITS_H

/* proctable: processes and threads known from ftrace events or /proc. */
#define MAX_PROCS		8192	/* entries (processes + threads) */
#define MAX_PROC_PATH		4096	/* bytes of a path, NUL included */
#define PROC_EXITED_KEEP_NS	(10ULL * 1000000000ULL)	/* exited, known */

/* ftrace: raw pages read per CPU in one drain, recent flow events kept. */
/*
 * A drain must be able to empty the whole ring (TRACEFS_BUFFER_KB / 4 KiB
 * pages per CPU): the event of the packet being decided is in it, behind
 * whatever a burst of fork/exec put there first.
 */
#define MAX_DRAIN_PAGES		256	/* per CPU per ftrace_drain() call */
#define MAX_PAGE_EVENTS		512	/* events decoded from one page */
#define MAX_FTRACE_FLOWS	4096	/* connect/route events kept */
#define FTRACE_FLOW_KEEP_NS	(5ULL * 1000000000ULL)	/* their age bound */

/* sockdiag: one dump's reply buffer and its time bound. */
#define SOCKDIAG_BUFSIZE	32768
#define SOCKDIAG_TIMEOUT_MS	50

/* procfs: the inode scan and the attribute reads. */
#define PROCFS_SCAN_BUDGET_NS	(20ULL * 1000000ULL)	/* one inode scan */
#define MAX_SCAN_PIDS		32768	/* pids considered in one scan */
#define MAX_RECENT_PIDS		256	/* "recently active" pids tried first */
#define MAX_CMDLINE		4096	/* bytes of /proc/PID/cmdline read */
#define MAX_ENVIRON		65536	/* bytes of /proc/PID/environ read */
#define MAX_ENV_VALUE		1024	/* bytes of one env value returned */
#define MAX_PARENTS		32	/* parent chain depth */
#define MAX_CGROUP		1024	/* bytes of a cgroup path */
#define MAX_USERNAME		64	/* bytes of a user name */
#define MAX_PASSWD		(1024 * 1024)	/* /etc/passwd snapshot bytes */
#define MAX_MD5_CACHE		256	/* executables whose md5 is cached */

/* attributord itself: the per-process attribute cache, its timers. */
#define MAX_ATTR_CACHE		128	/* processes whose attributes kept */
#define ATTR_CACHE_TTL_NS	(1ULL * 1000000000ULL)	/* read again after */
#define ATTRD_DRAIN_NS		(100ULL * 1000000ULL)	/* idle ftrace drain */
#define ATTRD_EXPIRE_NS		(1000ULL * 1000000ULL)	/* table expiry */
#define MAX_SYMLINKS		40	/* followed resolving one exec path */
#define MAX_NEED_ENV		64	/* env names ruled may ask for */
#define MAX_ENV_NAME		256	/* one name, NUL included */

#endif /* TATTLE_ATTR_LIMITS_H */
