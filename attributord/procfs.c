/*
 * procfs.c: the inode -> pid scan over /proc/PID/fd and the attribute
 * reads.  Needs CAP_SYS_PTRACE (exe, cwd, fd links, environ of other
 * users' processes) and CAP_DAC_READ_SEARCH (listing their fd dirs).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

#define DELETED_SUFFIX	" (deleted)"

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static uint64_t	pf_now(void);
static int	pf_pid_name(const char *, pid_t *);
static ssize_t	pf_read(int, const char *, char *, size_t);
static int	pf_readlink(int, const char *, char *, size_t);
static int	pf_open_pid(struct procfs *, pid_t);
static int	pf_pid_has_inode(struct procfs *, pid_t, const char *, size_t);
static size_t	pf_list_pids(struct procfs *);
static int	pf_stat(int, pid_t *, uint64_t *, char *, size_t);
static int	pf_uid(int, uint32_t *);
static void	pf_cgroup(int, struct proc_attrs *);
static void	pf_env(int, const char *const *, unsigned int,
		    struct proc_attrs *);
static void	pf_parents(struct procfs *, struct proc_attrs *);
static int	pf_hash(struct procfs *, int, uint32_t, struct proc_attrs *);
static int	pf_trim_split(const char *, size_t, char *, size_t, size_t *,
		    int *);

static uint64_t
pf_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
pf_pid_name(const char *s, pid_t *pid)
{
	long	 v = 0;

	if (*s < '1' || *s > '9')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > 0x3fffffff)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*pid = (pid_t)v;
	return 0;
}

/* Read at most len - 1 bytes of a file; NUL-terminated; -1 on error. */
static ssize_t
pf_read(int dirfd, const char *path, char *buf, size_t len)
{
	size_t	 have = 0;
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (have < len - 1) {
		n = read(fd, buf + have, len - 1 - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	buf[have] = '\0';
	return (ssize_t)have;
}

static int
pf_readlink(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t	 n;

	n = readlinkat(dirfd, path, buf, len);
	if (n == -1)
		return -1;
	if ((size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

static int
pf_open_pid(struct procfs *pf, pid_t pid)
{
	char	 name[16];

	snprintf(name, sizeof(name), "%d", (int)pid);
	return openat(pf->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int
procfs_init(struct procfs *pf, int procfd)
{
	memset(pf, 0, sizeof(*pf));
	pf->procfd = procfd;
	if ((pf->pids = calloc(MAX_SCAN_PIDS, sizeof(*pf->pids))) == NULL)
		return -1;
	return 0;
}

void
procfs_free(struct procfs *pf)
{
	free(pf->pids);
	free(pf->passwd);
	pf->pids = NULL;
	pf->passwd = NULL;
}

/* A copy of /etc/passwd taken before the sandbox: no NSS inside it. */
int
procfs_set_passwd(struct procfs *pf, const char *buf, size_t len)
{
	char	*p;

	if (len > MAX_PASSWD || memchr(buf, '\0', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((p = malloc(len + 1)) == NULL)
		return -1;
	memcpy(p, buf, len);
	p[len] = '\0';
	free(pf->passwd);
	pf->passwd = p;
	pf->passwd_len = len;
	return 0;
}

/* Pids seen in recent events or answers: the scan tries them first. */
void
procfs_note_pid(struct procfs *pf, pid_t pid)
{
	unsigned int	 i;

	for (i = 0; i < MAX_RECENT_PIDS; i++)
		if (pf->recent[i] == pid)
			return;
	pf->recent[pf->recent_next] = pid;
	pf->recent_next = (pf->recent_next + 1) % MAX_RECENT_PIDS;
}

/* Does /proc/PID/fd hold a link to target ("socket:[N]")? 1, 0, -1. */
static int
pf_pid_has_inode(struct procfs *pf, pid_t pid, const char *target,
    size_t tlen)
{
	char			 buf[4096] __attribute__((aligned(8)));
	char			 name[32], link[64];
	struct linux_dirent64	*de;
	long			 n, off;
	int			 fdd, found = 0;
	ssize_t			 ln;

	snprintf(name, sizeof(name), "%d/fd", (int)pid);
	if ((fdd = openat(pf->procfd, name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return -1;
	while (!found && (n = syscall(SYS_getdents64, fdd, buf,
	    sizeof(buf))) > 0) {
		for (off = 0; off < n; off += de->d_reclen) {
			de = (struct linux_dirent64 *)(buf + off);
			if (de->d_reclen == 0 || off + de->d_reclen > n)
				break;
			if (de->d_name[0] == '.')
				continue;
			ln = readlinkat(fdd, de->d_name, link, sizeof(link));
			if (ln == (ssize_t)tlen &&
			    memcmp(link, target, tlen) == 0) {
				found = 1;
				break;
			}
		}
	}
	close(fdd);
	return found;
}

/* The numeric entries of /proc, ascending as the kernel lists them. */
static size_t
pf_list_pids(struct procfs *pf)
{
	char			 buf[8192] __attribute__((aligned(8)));
	struct linux_dirent64	*de;
	long			 n, off;
	size_t			 np = 0;
	pid_t			 pid;
	int			 dfd;

	if ((dfd = openat(pf->procfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return 0;
	while (np < MAX_SCAN_PIDS && (n = syscall(SYS_getdents64, dfd, buf,
	    sizeof(buf))) > 0) {
		for (off = 0; off < n && np < MAX_SCAN_PIDS;
		    off += de->d_reclen) {
			de = (struct linux_dirent64 *)(buf + off);
			if (de->d_reclen == 0 || off + de->d_reclen > n)
				break;
			if (pf_pid_name(de->d_name, &pid) == 0)
				pf->pids[np++] = pid;
		}
	}
	close(dfd);
	return np;
}

/*
 * Which process holds socket inode?  Recently active pids first, then
 * the newest pids down.  Returns 1 and *pid, 0 when no process has it,
 * or -1 with errno ETIMEDOUT when the budget ran out first.
 */
int
procfs_find_inode(struct procfs *pf, uint32_t inode, uint64_t budget_ns,
    pid_t *pid)
{
	char		 target[32];
	uint64_t	 deadline = pf_now() + budget_ns;
	size_t		 tlen, np, i;
	unsigned int	 k, idx;

	pf->st.scans++;
	tlen = (size_t)snprintf(target, sizeof(target), "socket:[%u]", inode);
	for (k = 1; k <= MAX_RECENT_PIDS; k++) {
		idx = (pf->recent_next + MAX_RECENT_PIDS - k) %
		    MAX_RECENT_PIDS;
		if (pf->recent[idx] <= 0)
			continue;
		if (pf_pid_has_inode(pf, pf->recent[idx], target, tlen) == 1) {
			*pid = pf->recent[idx];
			return 1;
		}
	}
	np = pf_list_pids(pf);
	for (i = np; i > 0; i--) {
		if ((i & 15) == 0 && pf_now() > deadline) {
			pf->st.scan_timeouts++;
			errno = ETIMEDOUT;
			return -1;
		}
		if (pf_pid_has_inode(pf, pf->pids[i - 1], target, tlen) == 1) {
			*pid = pf->pids[i - 1];
			procfs_note_pid(pf, *pid);
			return 1;
		}
	}
	return 0;
}

/*
 * /proc/PID/stat: "pid (comm) state ppid ... starttime(22) ...".  comm
 * may hold spaces and parentheses: it ends at the last ')'.
 */
int
procfs_parse_stat(const char *buf, pid_t *ppid, uint64_t *start,
    char *comm, size_t commlen)
{
	const char		*lp, *rp, *p;
	char			*end;
	unsigned long long	 v;
	unsigned int		 field;
	size_t			 n;

	if ((lp = strchr(buf, '(')) == NULL || (rp = strrchr(buf, ')')) ==
	    NULL || rp < lp)
		return -1;
	if (comm != NULL && commlen > 0) {
		n = (size_t)(rp - lp - 1);
		if (n >= commlen)
			n = commlen - 1;
		memcpy(comm, lp + 1, n);
		comm[n] = '\0';
	}
	p = rp + 1;
	for (field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return -1;
		if (field == 4 || field == 22) {
			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno != 0)
				return -1;
			if (field == 4) {
				if (v > 0x7fffffff)
					return -1;
				*ppid = (pid_t)v;
			} else
				*start = v;
			p = end;
		} else
			while (*p != ' ' && *p != '\0')
				p++;
	}
	return 0;
}

static int
pf_stat(int piddir, pid_t *ppid, uint64_t *start, char *comm,
    size_t commlen)
{
	char	 buf[1024];

	if (pf_read(piddir, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	return procfs_parse_stat(buf, ppid, start, comm, commlen);
}

static int
pf_uid(int piddir, uint32_t *uid)
{
	char		 buf[4096], *p, *end;
	unsigned long	 v;

	if (pf_read(piddir, "status", buf, sizeof(buf)) <= 0)
		return -1;
	if ((p = strstr(buf, "\nUid:")) == NULL)
		return -1;
	p += 5;
	v = strtoul(p, &end, 10);
	if (end == p || v > 0xffffffffUL)
		return -1;
	*uid = (uint32_t)v;
	return 0;
}

/*
 * The thread tid's process and start time, from /proc/TID/status and
 * stat (a thread's directory is reachable though not listed).
 */
/*
 * The network namespace process pid is in now (ns/net's device and
 * inode): 0, or -1 when it is gone or cannot be read.
 */
int
procfs_netns(struct procfs *pf, pid_t pid, uint64_t *dev, uint64_t *ino)
{
	char		 path[32];
	struct stat	 sb;

	snprintf(path, sizeof(path), "%d/ns/net", (int)pid);
	if (fstatat(pf->procfd, path, &sb, 0) == -1)
		return -1;
	*dev = (uint64_t)sb.st_dev;
	*ino = (uint64_t)sb.st_ino;
	return 0;
}

int
procfs_task(struct procfs *pf, pid_t tid, pid_t *tgid, uint64_t *start)
{
	char		 buf[4096], *p, *end;
	unsigned long	 v;
	pid_t		 ppid;
	int		 d, r = -1;

	if ((d = pf_open_pid(pf, tid)) == -1)
		return -1;
	if (pf_read(d, "status", buf, sizeof(buf)) <= 0 ||
	    (p = strstr(buf, "\nTgid:")) == NULL)
		goto out;
	p += 6;
	v = strtoul(p, &end, 10);
	if (end == p || v == 0 || v > 0x7fffffff)
		goto out;
	*tgid = (pid_t)v;
	close(d);
	/* The process's start time, not the thread's. */
	if ((d = pf_open_pid(pf, *tgid)) == -1)
		return -1;
	r = pf_stat(d, &ppid, start, NULL, 0);
 out:
	close(d);
	return r;
}

/* Split on spaces, trim each word, drop empty ones, join with a space. */
static int
pf_trim_split(const char *s, size_t len, char *out, size_t outlen,
    size_t *used, int *first)
{
	size_t	 i = 0, b, e;

	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		b = i;
		while (i < len && s[i] != ' ')
			i++;
		e = i;
		while (b < e && isspace((unsigned char)s[b]))
			b++;
		while (e > b && isspace((unsigned char)s[e - 1]))
			e--;
		if (e == b)
			continue;
		if (*used + (*first ? 0 : 1) + (e - b) >= outlen)
			return -1;
		if (!*first)
			out[(*used)++] = ' ';
		memcpy(out + *used, s + b, e - b);
		*used += e - b;
		*first = 0;
	}
	return 0;
}

/*
 * OpenSnitch's process.command: cmdline's NULs become spaces, the result
 * is split on spaces, each word trimmed, empty words dropped, and the
 * words joined by one space; an argv[0] of "/proc/self/exe" becomes the
 * executable's path.  Returns 0, or -1 if out is too small (out then
 * holds what fitted).
 */
int
procfs_join_cmdline(const char *raw, size_t len, const char *exe,
    char *out, size_t outlen)
{
	static const char	 self[] = "/proc/self/exe";
	size_t			 used = 0, a0;
	int			 first = 1, r;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	for (a0 = 0; a0 < len && raw[a0] != '\0'; a0++)
		;
	if (exe != NULL && a0 == sizeof(self) - 1 &&
	    memcmp(raw, self, a0) == 0) {
		if (pf_trim_split(exe, strlen(exe), out, outlen, &used,
		    &first) == -1)
			goto full;
		raw += a0;
		len -= a0;
	}
	while (len > 0) {
		for (a0 = 0; a0 < len && raw[a0] != '\0'; a0++)
			;
		r = pf_trim_split(raw, a0, out, outlen, &used, &first);
		if (r == -1)
			goto full;
		if (a0 == len)
			break;
		raw += a0 + 1;
		len -= a0 + 1;
	}
	out[used] = '\0';
	return 0;
 full:
	out[used] = '\0';
	return -1;
}

/*
 * The value of NAME in an environ block (NUL-separated NAME=value).
 * 1 found, 0 not set, -1 value too long for out.
 */
int
procfs_env_find(const char *env, size_t len, const char *name, char *out,
    size_t outlen)
{
	size_t	 nlen = strlen(name), i = 0, e, vlen;

	if (nlen == 0 || strchr(name, '=') != NULL)
		return 0;
	while (i < len) {
		for (e = i; e < len && env[e] != '\0'; e++)
			;
		if (e - i > nlen && memcmp(env + i, name, nlen) == 0 &&
		    env[i + nlen] == '=') {
			vlen = e - i - nlen - 1;
			if (vlen >= outlen)
				return -1;
			memcpy(out, env + i + nlen + 1, vlen);
			out[vlen] = '\0';
			return 1;
		}
		i = e + 1;
	}
	return 0;
}

/* The user name of uid in an /etc/passwd image; 1 found, 0 not. */
int
procfs_passwd_name(const char *pw, size_t len, uint32_t uid, char *out,
    size_t outlen)
{
	const char	*line = pw, *end = pw + len, *nl, *c1, *c2, *c3;
	char		 num[16];
	size_t		 n;

	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if ((c1 = memchr(line, ':', (size_t)(nl - line))) == NULL ||
		    (c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1))) ==
		    NULL ||
		    (c3 = memchr(c2 + 1, ':', (size_t)(nl - c2 - 1))) == NULL)
			continue;
		n = (size_t)(c3 - c2 - 1);
		if (n == 0 || n >= sizeof(num))
			continue;
		memcpy(num, c2 + 1, n);
		num[n] = '\0';
		if (strspn(num, "0123456789") != n ||
		    strtoul(num, NULL, 10) != uid)
			continue;
		n = (size_t)(c1 - line);
		if (n == 0 || n >= outlen)
			continue;
		memcpy(out, line, n);
		out[n] = '\0';
		return 1;
	}
	return 0;
}

/* Remove a trailing " (deleted)"; 1 if it was there. */
int
procfs_strip_deleted(char *path)
{
	size_t	 len = strlen(path), sl = sizeof(DELETED_SUFFIX) - 1;

	if (len <= sl || strcmp(path + len - sl, DELETED_SUFFIX) != 0)
		return 0;
	path[len - sl] = '\0';
	return 1;
}

/*
 * The cgroup, as container identity: the v2 path ("0::/path") unless it
 * is the root, else (hybrid hierarchies) the first v1 path that is not.
 */
static void
pf_cgroup(int piddir, struct proc_attrs *a)
{
	char	 buf[MAX_CGROUP * 4], *line, *nl, *c;
	size_t	 n;
	int	 v2;

	if (pf_read(piddir, "cgroup", buf, sizeof(buf)) <= 0)
		return;
	snprintf(a->cgroup, sizeof(a->cgroup), "/");
	for (line = buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		v2 = strncmp(line, "0::", 3) == 0;
		if ((c = memchr(line, ':', (size_t)(nl - line))) != NULL &&
		    (c = memchr(c + 1, ':', (size_t)(nl - c - 1))) != NULL &&
		    (n = (size_t)(nl - c - 1)) < sizeof(a->cgroup) &&
		    !(n == 1 && c[1] == '/') &&
		    (v2 || !(a->have & PA_CGROUP))) {
			memcpy(a->cgroup, c + 1, n);
			a->cgroup[n] = '\0';
			a->have |= PA_CGROUP;
			if (v2)
				return;
		}
		if (*nl == '\0')
			break;
	}
	a->have |= PA_CGROUP;
}

static void
pf_env(int piddir, const char *const *names, unsigned int n,
    struct proc_attrs *a)
{
	char		*env;
	ssize_t		 len;
	size_t		 used = 0;
	unsigned int	 i;
	int		 r;

	if ((env = malloc(MAX_ENVIRON)) == NULL)
		return;
	if ((len = pf_read(piddir, "environ", env, MAX_ENVIRON)) < 0) {
		free(env);
		return;
	}
	a->nenv = n;
	for (i = 0; i < n; i++) {
		a->env_off[i] = -1;
		if (used >= sizeof(a->env_buf))
			continue;
		r = procfs_env_find(env, (size_t)len, names[i],
		    a->env_buf + used, sizeof(a->env_buf) - used);
		if (r == 1) {
			a->env_off[i] = (int16_t)used;
			used += strlen(a->env_buf + used) + 1;
		} else if (r == -1)
			a->env_cut |= 1u << i;
	}
	a->have |= PA_ENV;
	free(env);
}

/* Ancestors' paths up to pid 1; a parent younger than its child is a
 * reused pid, and the chain stops there. */
static void
pf_parents(struct procfs *pf, struct proc_attrs *a)
{
	char		 path[MAX_PROC_PATH];
	pid_t		 pid = a->ppid, ppid;
	uint64_t	 start, child_start = a->start_time;
	size_t		 used = 0, len;
	int		 d;

	a->have |= PA_PARENTS;
	while (pid > 0 && a->nparents < MAX_PARENTS) {
		if ((d = pf_open_pid(pf, pid)) == -1)
			return;
		if (pf_stat(d, &ppid, &start, NULL, 0) == -1 ||
		    start > child_start) {
			close(d);
			a->have &= ~PA_PARENTS;
			return;
		}
		if (pf_readlink(d, "exe", path, sizeof(path)) == 0) {
			procfs_strip_deleted(path);
			len = strlen(path) + 1;
			if (used + len > sizeof(a->parent_buf)) {
				close(d);
				return;
			}
			memcpy(a->parent_buf + used, path, len);
			a->parent_off[a->nparents++] = (uint16_t)used;
			used += len;
		}
		close(d);
		if (pid == 1)
			return;
		child_start = start;
		pid = ppid;
	}
}

/*
 * The md5 and sha1 (those of want that a rule asks for) of the running
 * executable, read through /proc/PID/exe and nothing else: the file the
 * process runs, even if the path now names another, and the only file
 * whose contents attributord reads.  Both in one pass, cached by
 * device, inode, mtime and size.
 */
static int
pf_hash(struct procfs *pf, int piddir, uint32_t want, struct proc_attrs *a)
{
	static uint8_t		 buf[65536];
	MD5_CTX			 mc;
	SHA1_CTX		 sc;
	struct stat		 sb;
	struct md5_entry	*m;
	ssize_t			 n;
	unsigned int		 i;
	int			 fd;

	want &= PA_MD5 | PA_SHA1;
	if ((fd = openat(piddir, "exe", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return -1;
	}
	for (i = 0; i < MAX_MD5_CACHE; i++) {
		m = &pf->md5[i];
		if ((m->have & want) == want && m->dev == (uint64_t)sb.st_dev &&
		    m->ino == (uint64_t)sb.st_ino &&
		    m->size == (uint64_t)sb.st_size &&
		    m->mtime_sec == (int64_t)sb.st_mtim.tv_sec &&
		    m->mtime_nsec == (int64_t)sb.st_mtim.tv_nsec) {
			memcpy(a->md5, m->hex, sizeof(a->md5));
			memcpy(a->sha1, m->sha1, sizeof(a->sha1));
			a->have |= want;
			pf->st.md5_hits++;
			close(fd);
			return 0;
		}
	}
	pf->st.md5_misses++;
	MD5Init(&mc);
	SHA1Init(&sc);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (want & PA_MD5)
			MD5Update(&mc, buf, (size_t)n);
		if (want & PA_SHA1)
			SHA1Update(&sc, buf, (size_t)n);
	}
	close(fd);
	m = &pf->md5[pf->md5_next];
	pf->md5_next = (pf->md5_next + 1) % MAX_MD5_CACHE;
	memset(m, 0, sizeof(*m));
	/* libmd's End: the digest in lower-case hex, as md5sum writes it. */
	if (want & PA_MD5)
		MD5End(&mc, m->hex);
	if (want & PA_SHA1)
		SHA1End(&sc, m->sha1);
	m->have = want;
	m->dev = (uint64_t)sb.st_dev;
	m->ino = (uint64_t)sb.st_ino;
	m->size = (uint64_t)sb.st_size;
	m->mtime_sec = (int64_t)sb.st_mtim.tv_sec;
	m->mtime_nsec = (int64_t)sb.st_mtim.tv_nsec;
	memcpy(a->md5, m->hex, sizeof(a->md5));
	memcpy(a->sha1, m->sha1, sizeof(a->sha1));
	a->have |= want;
	return 0;
}

/*
 * Read the attributes in want of process pid.  When want_start is not 0
 * and the process's start time differs, the pid was reused: -1, ESRCH.
 * Otherwise 0, with a->have telling which attributes were read; the
 * others are unknown (the process ended, or permission was refused).
 */
int
procfs_read_attrs(struct procfs *pf, pid_t pid, uint64_t want_start,
    uint32_t want, const char *const *envnames, unsigned int nenv,
    struct proc_attrs *a)
{
	struct stat	 nsst;
	char		*raw = NULL;
	ssize_t		 n;
	int		 d;

	memset(a, 0, sizeof(*a));
	a->pid = pid;
	a->ppid = -1;
	a->uid = (uint32_t)-1;
	a->want = want | PA_STAT;
	if (nenv > MAX_ENV_NAMES) {
		errno = E2BIG;
		return -1;
	}
	if ((d = pf_open_pid(pf, pid)) == -1)
		return -1;
	if (pf_stat(d, &a->ppid, &a->start_time, a->comm,
	    sizeof(a->comm)) == -1) {
		close(d);
		errno = ESRCH;
		return -1;
	}
	if (want_start != 0 && a->start_time != want_start) {
		close(d);
		errno = ESRCH;
		return -1;
	}
	a->have |= PA_STAT;
	if ((want & PA_EXE) && pf_readlink(d, "exe", a->exe,
	    sizeof(a->exe)) == 0) {
		a->exe_deleted = procfs_strip_deleted(a->exe);
		a->have |= PA_EXE;
	}
	/* One byte more than fits tells a cut command line from a full one. */
	if ((want & PA_CMDLINE) && (raw = malloc(MAX_CMDLINE + 2)) != NULL &&
	    (n = pf_read(d, "cmdline", raw, MAX_CMDLINE + 2)) >= 0) {
		a->cmdline_cut = n > MAX_CMDLINE;
		if (a->cmdline_cut)
			n = MAX_CMDLINE;
		if (procfs_join_cmdline(raw, (size_t)n,
		    (a->have & PA_EXE) ? a->exe : NULL, a->cmdline,
		    sizeof(a->cmdline)) == -1)
			a->cmdline_cut = 1;
		a->have |= PA_CMDLINE;
	}
	free(raw);
	if ((want & PA_CWD) && pf_readlink(d, "cwd", a->cwd,
	    sizeof(a->cwd)) == 0)
		a->have |= PA_CWD;
	if ((want & PA_UID) && pf_uid(d, &a->uid) == 0) {
		a->have |= PA_UID;
		if (pf->passwd == NULL || procfs_passwd_name(pf->passwd,
		    pf->passwd_len, a->uid, a->user, sizeof(a->user)) != 1)
			a->user[0] = '\0';
	}
	if (want & PA_ENV)
		pf_env(d, envnames, nenv, a);
	if (want & PA_CGROUP)
		pf_cgroup(d, a);
	if ((want & PA_MNTNS) && fstatat(d, "ns/mnt", &nsst, 0) == 0) {
		a->mntns_dev = (uint64_t)nsst.st_dev;
		a->mntns_ino = (uint64_t)nsst.st_ino;
		a->have |= PA_MNTNS;
	}
	if (want & (PA_MD5 | PA_SHA1))
		(void)pf_hash(pf, d, want, a);
	/* Still there?  Then nothing above came from a dead process. */
	if (pf_stat(d, &a->ppid, &a->start_time, NULL, 0) == -1)
		a->have = 0;
	close(d);
	if ((want & PA_PARENTS) && (a->have & PA_STAT))
		pf_parents(pf, a);
	return 0;
}

const char *
procfs_parent(const struct proc_attrs *a, unsigned int i)
{
	return i < a->nparents ? a->parent_buf + a->parent_off[i] : NULL;
}

const char *
procfs_env(const struct proc_attrs *a, unsigned int i)
{
	return i < a->nenv && a->env_off[i] >= 0 ? a->env_buf +
	    a->env_off[i] : NULL;
}
