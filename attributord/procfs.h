/*
 * procfs.h: everything attributord learns from /proc, read through a
 * dirfd of /proc opened before the sandbox (openat/readlinkat only).
 * Attributes are read through a dirfd of /proc/PID: if the process ends
 * meanwhile, every later read fails instead of reading a newcomer that
 * got the same pid, so a value is the right process's or unknown.
 */
#ifndef TATTLE_PROCFS_H
#define TATTLE_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "attr_limits.h"
#include <md5.h>		/* libmd */
#include <sha1.h>

/* Attributes, as bits of proc_attrs.want and .have. */
#define PA_EXE		0x001	/* exe, exe_deleted */
#define PA_CMDLINE	0x002
#define PA_CWD		0x004
#define PA_PARENTS	0x008	/* parent chain paths up to pid 1 */
#define PA_UID		0x010	/* real uid and user name */
#define PA_ENV		0x020	/* the variables named by the caller */
#define PA_MD5		0x040	/* md5 of the running executable */
#define PA_CGROUP	0x080
#define PA_STAT		0x100	/* ppid, start time, comm: always read */
#define PA_SHA1		0x200	/* sha1 of the running executable */
#define PA_MNTNS	0x400	/* its mount namespace (ns/mnt's inode) */

#define MAX_ENV_NAMES	16	/* variables asked for in one call */
#define PARENT_BUF	8192	/* bytes of all parent paths */
#define ENV_BUF		4096	/* bytes of all env values */

struct proc_attrs {
	int32_t		pid;
	int32_t		ppid;
	uint32_t	uid;
	uint32_t	want;		/* PA_* asked for */
	uint32_t	have;		/* PA_* found */
	int32_t		exe_deleted;	/* exe had the " (deleted)" suffix */
	uint64_t	start_time;	/* clock ticks after boot */
	uint64_t	mntns_dev, mntns_ino;	/* PA_MNTNS */
	char		comm[17];
	char		md5[MD5_DIGEST_STRING_LENGTH];
	char		sha1[SHA1_DIGEST_STRING_LENGTH];
	char		user[MAX_USERNAME];
	char		exe[MAX_PROC_PATH];	/* suffix removed, see above */
	char		cmdline[MAX_CMDLINE];	/* joined as OpenSnitch does */
	int32_t		cmdline_cut;	/* longer than cmdline holds */
	char		cwd[MAX_PROC_PATH];
	char		cgroup[MAX_CGROUP];
	uint32_t	nparents;
	uint16_t	parent_off[MAX_PARENTS];	/* into parent_buf */
	char		parent_buf[PARENT_BUF];
	uint32_t	nenv;
	int16_t		env_off[MAX_ENV_NAMES];	/* -1: not set */
	uint32_t	env_cut;	/* bit i: name i set, value too long */
	char		env_buf[ENV_BUF];
};

struct md5_entry {
	uint64_t	dev, ino, size;
	int64_t		mtime_sec, mtime_nsec;
	uint32_t	have;		/* PA_MD5, PA_SHA1 */
	char		hex[MD5_DIGEST_STRING_LENGTH];
	char		sha1[SHA1_DIGEST_STRING_LENGTH];
};

struct procfs_stats {
	uint64_t	scans;		/* inode scans */
	uint64_t	scan_timeouts;	/* scans cut by their budget */
	uint64_t	md5_hits, md5_misses;
};

struct procfs {
	int			 procfd;	/* not owned */
	int32_t			*pids;		/* MAX_SCAN_PIDS, scratch */
	int32_t			 recent[MAX_RECENT_PIDS];
	unsigned int		 recent_next;
	char			*passwd;	/* snapshot, NUL-terminated */
	size_t			 passwd_len;
	struct md5_entry	 md5[MAX_MD5_CACHE];
	unsigned int		 md5_next;
	struct procfs_stats	 st;
};

int	 procfs_init(struct procfs *, int);
int	 procfs_netns(struct procfs *, pid_t, uint64_t *, uint64_t *);
void	 procfs_free(struct procfs *);
int	 procfs_set_passwd(struct procfs *, const char *, size_t);
void	 procfs_note_pid(struct procfs *, pid_t);
int	 procfs_find_inode(struct procfs *, uint32_t, uint64_t, pid_t *);
int	 procfs_read_attrs(struct procfs *, pid_t, uint64_t, uint32_t,
	    const char *const *, unsigned int, struct proc_attrs *);
int	 procfs_task(struct procfs *, pid_t, pid_t *, uint64_t *);
const char *procfs_parent(const struct proc_attrs *, unsigned int);
const char *procfs_env(const struct proc_attrs *, unsigned int);

/* Pure helpers, exposed for the tests. */
int	 procfs_join_cmdline(const char *, size_t, const char *, char *,
	    size_t);
int	 procfs_env_find(const char *, size_t, const char *, char *, size_t);
int	 procfs_parse_stat(const char *, pid_t *, uint64_t *, char *, size_t);
int	 procfs_passwd_name(const char *, size_t, uint32_t, char *, size_t);
int	 procfs_strip_deleted(char *);

#endif /* TATTLE_PROCFS_H */
